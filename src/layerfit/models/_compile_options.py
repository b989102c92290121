"""compile()'s execution options: Keras's run_eagerly, steps_per_execution, jit_compile and
auto_scale_loss, accepted with Keras's defaults; the ones layerfit cannot honour yet warn."""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain, warn


def execution_options(run_eagerly, steps_per_execution, jit_compile, auto_scale_loss) -> dict:
    """The options as the model's attributes (Keras resolves jit_compile='auto' on torch to
    False); warns about each one that would change how training runs here."""
    if isinstance(steps_per_execution, bool) or not isinstance(steps_per_execution, int):
        raise LayerfitValueError(
            explain(
                f"compile() got steps_per_execution={steps_per_execution!r}.",
                "a positive int (batches run per call, for speed).",
                "compile(..., steps_per_execution=1)",
            )
        )
    if steps_per_execution < 1:
        raise LayerfitValueError(
            explain(
                f"compile() got steps_per_execution={steps_per_execution}.",
                "a positive int.",
                "compile(..., steps_per_execution=1)",
            )
        )
    if jit_compile not in ("auto", True, False):
        raise LayerfitValueError(
            explain(
                f"compile() got jit_compile={jit_compile!r}.",
                "'auto', True or False.",
                "compile(..., jit_compile='auto')",
            )
        )
    if steps_per_execution > 1:
        warn(
            f"compile(steps_per_execution={steps_per_execution}) is ignored: layerfit runs one "
            "batch per step, so batch-level callbacks run after every batch instead of every "
            f"{steps_per_execution}; results are unchanged.",
            "steps_per_execution=1 (the default).",
            "drop steps_per_execution=; layerfit's loop already avoids per-batch host syncs.",
        )
    if jit_compile is True:
        warn(
            "compile(jit_compile=True) is ignored for now: layerfit runs the model eagerly with "
            "PyTorch (jit_compile will map to torch.compile); results are unchanged.",
            "jit_compile='auto' or False.",
            "drop jit_compile=True.",
        )
    # run_eagerly: layerfit always runs eagerly, so both values give what they ask for.
    # auto_scale_loss: Keras scales the loss only under a mixed_float16 dtype policy, which
    # layerfit does not have, so (as in Keras under float32) there is nothing to scale.
    return {
        "run_eagerly": bool(run_eagerly),
        "steps_per_execution": steps_per_execution,
        "jit_compile": False if jit_compile == "auto" else bool(jit_compile),
        "auto_scale_loss": bool(auto_scale_loss),
    }
