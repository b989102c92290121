"""The oracle suite: real Keras 3 (JAX backend) and layerfit, same inputs, numbers compared.

Skipped as a whole where Keras or JAX is absent (``pip install -e ".[oracle]"`` brings both).
Keras picks its backend once, at import, so the variable is set before anything imports it.
"""

from __future__ import annotations

import importlib.util
import os

import pytest

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

HAVE_ORACLE = all(importlib.util.find_spec(name) for name in ("keras", "jax"))
if not HAVE_ORACLE:  # nothing here can run: skip the folder instead of failing each test
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def fresh_keras():
    """Keras's name counters and seeds reset too, so both libraries start each test alike."""
    import keras

    keras.backend.clear_session(free_memory=False)
    keras.utils.set_random_seed(1234)
    yield


# Keras 3.15's own Variable.__array__ predates numpy 2's copy keyword; the warning comes from
# Keras's code (get_weights, EarlyStopping's restore) and says nothing about layerfit.
KERAS_NUMPY2_WARNING = "ignore:__array__ implementation:DeprecationWarning:keras"


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.filterwarnings(KERAS_NUMPY2_WARNING))
