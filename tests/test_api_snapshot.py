"""The public names: Keras's that the seeds use exist, and nothing changes by accident."""

import importlib
from pathlib import Path

import layerfit

SNAPSHOT = Path(__file__).with_name("public_api.txt")
MODULES = sorted({line.rsplit(".", 1)[0] for line in SNAPSHOT.read_text().split()})


def test_public_names_match_the_snapshot():
    current = sorted(
        f"{name}.{attr}"
        for name in MODULES
        for attr in getattr(importlib.import_module(name), "__all__", [])
    )
    expected = SNAPSHOT.read_text().split()
    added, removed = sorted(set(current) - set(expected)), sorted(set(expected) - set(current))
    assert not added and not removed, (
        f"public API changed: added {added}, removed {removed}. If deliberate, regenerate "
        "tests/public_api.txt and note it in CHANGELOG.md."
    )
    for line in expected:  # every exported name really exists
        module, attr = line.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), attr), line


def test_the_names_the_seed_notes_use():
    import layerfit as keras

    assert keras.Input is keras.layers.Input and keras.Model is keras.models.Model
    assert keras.Sequential is keras.models.Sequential
    for name in ("Dense", "Dropout", "Flatten", "Conv2D", "MaxPooling2D", "Input", "Activation"):
        assert hasattr(keras.layers, name)
    for module, name in [
        ("callbacks", "EarlyStopping"),
        ("utils", "to_categorical"),
        ("backend", "clear_session"),
        ("optimizers", "Adam"),
        ("optimizers", "SGD"),
        ("optimizers", "RMSprop"),
        ("optimizers", "Adagrad"),
        ("losses", "binary_crossentropy"),
        ("datasets", "mnist"),
        ("datasets", "fashion_mnist"),
    ]:
        assert hasattr(getattr(keras, module), name), f"{module}.{name}"
    assert keras.backend.image_data_format() == "channels_last"
    assert layerfit.backend.floatx() == "float32" and layerfit.backend.epsilon() == 1e-7


def test_keras_applications_has_keras_layout():
    import layerfit as keras

    assert keras.applications.MobileNetV2 is keras.applications.mobilenet_v2.MobileNetV2
    assert callable(keras.applications.mobilenet_v2.preprocess_input)
    assert callable(keras.applications.mobilenet_v2.decode_predictions)
    assert keras.ops.mean is not None and keras.random.normal is not None
