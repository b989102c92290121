"""Every public class and function both libraries have takes the same arguments as in Keras.

Compared with ``inspect.signature``: for classes their ``__init__``, and for the base classes a
user subclasses or calls methods on (Model, Sequential, Layer, Optimizer, ...) every public
method both define. What a caller can see is compared, nothing else:

- positional parameters: the same names, in the same order, with the same defaults;
- ``*args``: present in both or in neither;
- keyword-only parameters: each of Keras's exists here with Keras's default; extra ones here
  are fine where Keras takes ``**kwargs`` (Keras accepts the same names through it);
- ``**kwargs``: present here wherever Keras has it (its name is invisible to callers).

Deliberate differences sit in ``ALLOWED`` with their reason (also in DECISIONS.md).
"""

from __future__ import annotations

import importlib
import inspect

import pytest

keras = pytest.importorskip("keras")

import layerfit  # noqa: E402, F401  (imported before the walk, as users do)

MODULES = [
    "layers",
    "losses",
    "metrics",
    "optimizers",
    "optimizers.schedules",
    "callbacks",
    "activations",
    "initializers",
    "regularizers",
    "models",
    "utils",
    "ops",
    "random",
    "backend",
    "saving",
    "preprocessing.sequence",
    "datasets.mnist",
    "datasets.fashion_mnist",
    "datasets.cifar10",
    "datasets.imdb",
    "datasets.reuters",
    "datasets.boston_housing",
    "datasets.california_housing",
]

# Classes whose methods users call or override: every public method both define is compared.
METHOD_CLASSES = [
    "models.Model",
    "models.Sequential",
    "layers.Layer",
    "optimizers.Optimizer",
    "losses.Loss",
    "metrics.Metric",
    "callbacks.Callback",
    "optimizers.schedules.LearningRateSchedule",
    "initializers.Initializer",
    "regularizers.Regularizer",
]

FIDELITY = "added by the fidelity branch"
ALLOWED = {
    # Keras's JAX backend threads state through train_step/test_step; with its torch backend
    # (layerfit's counterpart) they take `data` alone, as here.
    "models.Model.train_step": "Keras's torch backend signature (data); JAX's adds state",
    "models.Model.test_step": "Keras's torch backend signature (data); JAX's adds state",
    "models.Sequential.train_step": "Keras's torch backend signature (data); JAX's adds state",
    "models.Sequential.test_step": "Keras's torch backend signature (data); JAX's adds state",
    "models.Model.predict_step": "Keras's torch backend signature (data); JAX's adds state",
    "models.Sequential.predict_step": "Keras's torch backend signature (data); JAX's adds state",
    # A bound on what a file may declare, for big models one trusts (after Keras's arguments).
    "models.load_model": "adds max_bytes= (the loader's size limit) after Keras's arguments",
    "saving.load_model": "adds max_bytes= (the loader's size limit) after Keras's arguments",
    "saving.load_weights": "adds max_bytes= (the loader's size limit) after Keras's arguments",
    "saving.save_model": "adds format= ('keras' writes Keras's own file) after Keras's arguments",
    # Methods subclasses override: Keras's base takes (*args, **kwargs) and so do overrides.
    "models.Model.call": "base is overridden; layerfit names the first input for its checks",
    "layers.Layer.call": "base is overridden; layerfit names the first input for its checks",
    "models.Model.compute_output_shape": "base is overridden; takes input_shape like Keras's "
    "overrides",
    "layers.Layer.compute_output_shape": "base is overridden; takes input_shape like Keras's "
    "overrides",
    # Keras-2 spellings and misspellings get "did you mean" (an error) instead of TypeError.
    "models.Model.fit": "**kwargs only to raise 'did you mean' / map Keras 1's nb_epoch",
    "models.Sequential.fit": "**kwargs only to raise 'did you mean' / map Keras 1's nb_epoch",
    "models.Model.compile": "**kwargs only to raise 'did you mean' for misspelled names",
    "models.Sequential.compile": "**kwargs only to raise 'did you mean' for misspelled names",
    # More lenient than Keras: the shape is taken from the model's Input when there is one.
    "models.Model.build": "input_shape may be omitted when the model knows its input",
    # The progress bar is ours: fit passes its verbosity instead of Keras's params dict lookup.
    "callbacks.ProgbarLogger": "fit hands the progress bar its verbose level as an argument",
    # Masks through Sequential.call belong to the masking work (another branch).
    "models.Sequential.call": "mask= and **kwargs come with mask propagation (masking branch)",
    # Saved configs carry `trainable`, and Keras 2's input_shape= works on every layer here.
    "layers.SpatialDropout1D": "keeps **kwargs: saved configs carry trainable; input_shape=",
    "layers.SpatialDropout2D": "keeps **kwargs: saved configs carry trainable; input_shape=",
    "layers.SpatialDropout3D": "keeps **kwargs: saved configs carry trainable; input_shape=",
    "layers.Discretization": "keeps **kwargs: saved configs carry trainable; input_shape=",
    # Sequential forwards Layer's keyword arguments (dtype, Keras 2's input_shape shim).
    "models.Sequential": "keeps **kwargs: Layer's dtype and Keras 2's input_shape= shim",
}


def _walk():
    """(qualified name, layerfit object, keras object) for every public callable both have."""
    for module_name in MODULES:
        ours = importlib.import_module(f"layerfit.{module_name}")
        theirs = keras
        for part in module_name.split("."):
            theirs = getattr(theirs, part, None)
        if theirs is None:
            continue
        for name in getattr(ours, "__all__", []):
            mine, other = getattr(ours, name), getattr(theirs, name, None)
            if other is None or inspect.ismodule(mine) or not callable(other):
                continue
            yield f"{module_name}.{name}", mine, other
    for qualified in METHOD_CLASSES:
        module_name, class_name = qualified.rsplit(".", 1)
        mine = getattr(importlib.import_module(f"layerfit.{module_name}"), class_name)
        other = keras
        for part in qualified.split("."):
            other = getattr(other, part)
        for method in sorted(set(dir(mine)) & set(dir(other))):
            if method.startswith("_") and method != "__call__":
                continue
            ours, theirs = getattr(mine, method), getattr(other, method)
            if inspect.isroutine(ours) and inspect.isroutine(theirs):
                yield f"{qualified}.{method}", ours, theirs


def _parameters(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):  # builtins without a signature: nothing to compare
        return None
    return [p for p in signature.parameters.values() if p.name not in ("self", "cls")]


def _same_default(a, b) -> bool:
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return list(a) == list(b)
    return type(a) is type(b) and a == b or (a is b)


def differences(ours, theirs) -> list[str]:
    """What a caller would notice: '' when every call Keras accepts is accepted the same way."""
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    problems = []
    mine = [(p.name, p.default) for p in ours if p.kind in positional]
    other = [(p.name, p.default) for p in theirs if p.kind in positional]
    names_mine, names_other = [n for n, _ in mine], [n for n, _ in other]
    if names_mine != names_other:
        problems.append(f"positional {names_mine} != Keras {names_other}")
    else:
        for (name, a), (_, b) in zip(mine, other):
            if not _same_default(a, b):
                problems.append(f"default {name}={a!r} != Keras {b!r}")

    def kinds(params, kind):
        return any(p.kind == kind for p in params)

    for kind, label in (
        (inspect.Parameter.VAR_POSITIONAL, "*args"),
        (inspect.Parameter.VAR_KEYWORD, "**kwargs"),
    ):
        if kinds(ours, kind) != kinds(theirs, kind):
            problems.append(f"{label} {'present' if kinds(ours, kind) else 'absent'} here only")
    keyword_mine = {p.name: p.default for p in ours if p.kind == inspect.Parameter.KEYWORD_ONLY}
    keyword_other = {p.name: p.default for p in theirs if p.kind == inspect.Parameter.KEYWORD_ONLY}
    for name, default in keyword_other.items():
        if name not in keyword_mine:
            problems.append(f"keyword-only {name} missing")
        elif not _same_default(keyword_mine[name], default):
            problems.append(f"default {name}={keyword_mine[name]!r} != Keras {default!r}")
    extra = set(keyword_mine) - set(keyword_other)
    if extra and not kinds(theirs, inspect.Parameter.VAR_KEYWORD):
        problems.append(f"keyword-only {sorted(extra)} not accepted by Keras")
    return problems


PAIRS = list(_walk())


def test_the_walk_covers_the_api():
    # Exact figures would break on every new name; a floor catches a walk that silently shrank.
    assert len(PAIRS) > 450


@pytest.mark.parametrize("name, ours, theirs", PAIRS, ids=[p[0] for p in PAIRS])
def test_signature_matches_keras(name, ours, theirs):
    mine, other = _parameters(ours), _parameters(theirs)
    if mine is None or other is None:
        pytest.skip("no inspectable signature")
    problems = differences(mine, other)
    if name in ALLOWED:
        assert problems, f"{name} matches Keras now: drop it from ALLOWED ({ALLOWED[name]})"
        return
    assert not problems, f"{name}: " + "; ".join(problems)


def test_allow_list_names_exist():
    walked = {name for name, _, _ in PAIRS}
    assert set(ALLOWED) <= walked, sorted(set(ALLOWED) - walked)
