"""compile()'s execution options as the model's attributes, as Keras exposes them.

``training/_arguments.check_compile_arguments`` checks the values and notes once which ones
have no effect here; this only records them.
"""

from __future__ import annotations


def execution_options(run_eagerly, steps_per_execution, jit_compile, auto_scale_loss) -> dict:
    """``model.run_eagerly``, ``model.jit_compile``, ...; Keras resolves jit_compile='auto'
    to False on PyTorch."""
    return {
        "run_eagerly": bool(run_eagerly),
        "steps_per_execution": steps_per_execution,
        "jit_compile": False if jit_compile == "auto" else bool(jit_compile),
        "auto_scale_loss": bool(auto_scale_loss),
    }
