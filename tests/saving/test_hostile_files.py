"""Hostile and careless model files: each gets our error (or a warned conversion), and
refusing one costs little memory (measured with ``resource`` in a fresh subprocess)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning
from layerfit.saving import _safetensors, set_load_limits

SRC = str(Path(keras.__file__).resolve().parents[1])


def legit(path: Path) -> Path:
    """A small trained model file: the starting point every hostile file is made from."""
    model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Dense(2)])
    model.compile("adam", "mse")
    model.fit(np.ones((8, 4), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    model.save(path)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def hostile(path: Path, out: Path, *, config=None, extra=None, replace=None, deflate=()):
    """Writes ``out``: the members of ``path``, with ``config`` (a function of the parsed
    config.json) applied, members replaced or added, and the named members deflated."""
    items = members(path)
    if config is not None:
        entry = json.loads(items["config.json"])
        result = config(entry)
        items["config.json"] = (
            result if isinstance(result, bytes) else json.dumps(entry).encode("utf-8")
        )
    items.update(replace or {})
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in items.items():
            kind = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
            archive.writestr(name, data, compress_type=kind)
        for name, size in (extra or {}).items():  # streamed: the test never holds it
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                for _ in range(size // 2**20):
                    member.write(bytes(2**20))
    return out


def dense_layer(entry, index=-1):
    return [e for e in entry["config"]["layers"] if e["class_name"] == "Dense"][index]


def set_units(units, inputs):
    def edit(entry):
        layer = dense_layer(entry, 0)
        layer["config"]["units"] = units
        layer["build_config"]["input_shape"] = [None, inputs]
        entry["config"]["layers"][0]["config"]["batch_shape"] = [None, inputs]
        entry["config"]["layers"].pop()  # one Dense only: no shape to chain

    return edit


def peak_growth(path: Path, call: str) -> tuple[int, str]:
    """Runs ``call`` on ``path`` in a fresh Python; returns (bytes ru_maxrss grew, output).

    The legitimate model next to it is loaded first, so the one-off costs of a first load
    (lazy imports, torch's meta kernels) are paid before measuring."""
    legit_file = path.parent / "m.keras"
    script = textwrap.dedent(
        f"""
        import resource, sys
        import layerfit
        from layerfit.saving import load_model
        load_model({str(legit_file)!r})
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            {call}
            print("LOADED")
        except Exception as error:
            print(type(error).__name__, str(error).splitlines()[0])
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print("GROWTH", (after - before) * 1024, "DYNAMO", "torch._dynamo" in sys.modules)
        """
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run(
        [sys.executable, "-c", script.replace("PATH", repr(str(path)))],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    growth = int(done.stdout.split("GROWTH ")[1].split()[0])
    return growth, done.stdout


# A process's peak memory moves by a few MB between runs (allocator, caches).
CONSTANT = 32 * 2**20


def test_an_extra_member_is_refused_without_reading_it(tmp_path):
    source = legit(tmp_path / "m.keras")
    bomb = hostile(source, tmp_path / "bomb.keras", extra={"padding.bin": 512 * 2**20})
    assert bomb.stat().st_size < 2 * 2**20  # 512 MiB of zeros deflate to under 1 MiB
    with pytest.raises(LayerfitValueError) as info:
        keras.saving.load_model(bomb)
    message = str(info.value)
    assert "['padding.bin']" in message and "Extra members are refused" in message
    growth, out = peak_growth(bomb, "load_model(PATH)")
    assert "Extra members are refused" in out
    assert growth < 2 * source.stat().st_size + CONSTANT, out


@pytest.mark.parametrize("units", [20000, 100_000])
def test_a_config_declaring_more_weights_than_the_file_holds(tmp_path, units):
    """Dense(20000) on 20000 inputs (1.6 GB) or Dense(100000) on 100000 (40 GB) declared by a
    3 KB file: refused before that weight is allocated."""
    source = legit(tmp_path / "m.keras")
    lying = hostile(source, tmp_path / "big.keras", config=set_units(units, units))
    assert lying.stat().st_size < 64 * 2**10
    with pytest.raises(LayerfitValueError) as info:
        keras.saving.load_model(lying)
    message = str(info.value)
    assert f"by the weight of shape ({units}, {units})" in message
    assert "while its weights hold 23" in message and "was not allocated" in message
    growth, out = peak_growth(lying, "load_model(PATH)")
    assert "more weights than the file holds" in out
    assert growth < 2 * source.stat().st_size + CONSTANT, out


def test_a_json_config_over_the_size_limit_names_the_limit_and_how_to_raise_it(tmp_path):
    source = legit(tmp_path / "m.keras")
    hostile(source, tmp_path / "huge.keras", config=set_units(100_000, 100_000))
    config = members(tmp_path / "huge.keras")["config.json"].decode()
    with pytest.raises(LayerfitValueError) as info:
        keras.models.model_from_json(config)  # 40 GB of float32 weights declared
    message = str(info.value)
    assert "over the max_bytes limit of 17179869184 bytes (16.0 GiB)" in message
    assert "load_model(path, max_bytes=" in message and "set_load_limits(max_bytes=" in message
    previous = set_load_limits(max_bytes=2**20)
    try:  # a lowered limit stops a smaller model, a raised one lets it through
        with pytest.raises(LayerfitValueError, match="max_bytes limit of 1048576 bytes"):
            keras.models.model_from_json(config.replace("100000", "1000"))
    finally:
        set_load_limits(**previous)
    assert keras.models.model_from_json(config.replace("100000", "1000")).count_params() == (
        1000 * 1000 + 1000
    )


def test_the_limit_can_be_lowered_and_raised_for_a_trusted_model(tmp_path):
    source = legit(tmp_path / "m.keras")
    previous = set_load_limits(max_bytes=64)
    try:
        with pytest.raises(LayerfitValueError, match="over the max_bytes limit of 64 bytes"):
            keras.saving.load_model(source)
        model = keras.models.load_model(source, max_bytes=2**20)  # the argument wins
    finally:
        set_load_limits(**previous)
    assert model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    with pytest.raises(LayerfitValueError, match="max_bytes=0"):
        set_load_limits(max_bytes=0)


def test_weights_only_files_are_bounded_too(tmp_path):
    model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3)])
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(LayerfitValueError, match="the weights file is"):
        model.load_weights(tmp_path / "w.weights.h5", max_bytes=16)
    model.load_weights(tmp_path / "w.weights.h5", max_bytes=2**20)


def test_a_config_of_spaces_is_refused_cheaply(tmp_path):
    source = legit(tmp_path / "m.keras")
    spaces = hostile(source, tmp_path / "s.keras", config=lambda e: b" " * 522_000)
    with pytest.raises(LayerfitValueError, match="its JSON cannot be read"):
        keras.saving.load_model(spaces)
    growth, out = peak_growth(spaces, "load_model(PATH)")
    assert "JSON cannot be read" in out
    assert growth < 2 * source.stat().st_size + CONSTANT, out


def test_json_over_the_length_limit(tmp_path):
    source = legit(tmp_path / "m.keras")
    previous = set_load_limits(max_json_bytes=100)
    try:
        with pytest.raises(LayerfitValueError) as info:
            keras.saving.load_model(source)
    finally:
        set_load_limits(**previous)
    assert "over the max_json_bytes limit of 100 bytes" in str(info.value)
    assert "set_load_limits(max_json_bytes=" in str(info.value)


def test_deeply_nested_json_is_our_error(tmp_path):
    source = legit(tmp_path / "m.keras")
    deep = hostile(
        source,
        tmp_path / "deep.keras",
        config=lambda e: b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    )
    with pytest.raises(LayerfitValueError, match="over the max_json_depth limit"):
        keras.saving.load_model(deep)
    nested = hostile(source, tmp_path / "n.keras", config=lambda e: b"[" * 300 + b"1" + b"]" * 300)
    with pytest.raises(LayerfitValueError, match="300 levels, over the max_json_depth limit"):
        keras.saving.load_model(nested)


def test_model_from_json_deeply_nested():
    with pytest.raises(LayerfitValueError) as info:
        keras.models.model_from_json("[" * 5000 + "]" * 5000)
    assert "max_json_depth" in str(info.value)
    assert "set_load_limits(max_json_depth=" in str(info.value)
    with pytest.raises(LayerfitValueError, match="could not be parsed"):
        keras.models.model_from_json('{"class_name": ')


@pytest.mark.parametrize(
    "dtype, reason",
    [
        ("_dynamo", "not a dtype layerfit loads"),
        ("os.system", "not a dtype layerfit loads"),
        ("int8", "int8 suits inputs (InputLayer), not the weights of a Dense"),
        ("complex128", "layerfit layers compute on real numbers"),
    ],
)
def test_dtype_names_from_a_file_come_from_a_fixed_list(tmp_path, dtype, reason):
    source = legit(tmp_path / "m.keras")

    def edit(entry):
        dense_layer(entry)["config"]["dtype"] = dtype

    bad = hostile(source, tmp_path / "d.keras", config=edit)
    with pytest.raises(LayerfitValueError) as info:
        keras.saving.load_model(bad)
    message = str(info.value)
    assert f"declares dtype {dtype!r}" in message and reason in message
    assert "write dtype 'float32'" in message


def test_a_dtype_name_from_a_file_imports_nothing(tmp_path):
    source = legit(tmp_path / "m.keras")

    def edit(entry):
        dense_layer(entry)["config"]["dtype"] = "_dynamo"

    bad = hostile(source, tmp_path / "d.keras", config=edit)
    _, out = peak_growth(bad, "load_model(PATH)")
    assert "declares dtype '_dynamo'" in out and "DYNAMO False" in out, out


def test_integer_input_dtypes_still_load(tmp_path):
    inputs = layers.Input(shape=(3,), dtype="int32")
    model = keras.Model(inputs, layers.Dense(2)(layers.Embedding(10, 4)(inputs)))
    model.save(tmp_path / "e.keras")
    restored = keras.saving.load_model(tmp_path / "e.keras")
    ids = np.array([[1, 2, 3]])
    np.testing.assert_array_equal(restored.predict(ids, verbose=0), model.predict(ids, verbose=0))


def test_a_dtype_name_in_a_constructor_is_checked():
    with pytest.raises(LayerfitValueError, match="Unknown dtype '_dynamo'"):
        layers.Dense(2, dtype="_dynamo").build((None, 3))


def test_a_negative_input_shape(tmp_path):
    source = legit(tmp_path / "m.keras")

    def edit(entry):
        entry["config"]["layers"][0]["config"]["batch_shape"] = [None, -3]

    bad = hostile(source, tmp_path / "neg.keras", config=edit)
    with pytest.raises(LayerfitValueError) as info:
        keras.saving.load_model(bad)
    assert "batch_shape [None, -3], with the size -3" in str(info.value)


def test_load_model_of_none():
    with pytest.raises(LayerfitTypeError) as info:
        keras.saving.load_model(None)
    assert "load_model() got None" in str(info.value) and "load_model('model.keras')" in str(
        info.value
    )
    model = keras.Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    with pytest.raises(LayerfitTypeError, match="load_weights\\(\\) got 3"):
        model.load_weights(3)


def optimizer_state(path: Path) -> dict:
    return _safetensors.loads(members(path)["optimizer.safetensors"])[0]


def test_optimizer_state_without_iterations(tmp_path):
    source = legit(tmp_path / "m.keras")
    state = optimizer_state(source)
    del state["iterations"]
    bad = hostile(
        source, tmp_path / "o.keras", replace={"optimizer.safetensors": _safetensors.dumps(state)}
    )
    with pytest.raises(LayerfitValueError) as info:
        keras.saving.load_model(bad)
    assert "'iterations' is missing" in str(info.value)
    assert "compile=False" in str(info.value)
    assert keras.saving.load_model(bad, compile=False).count_params() == 23


def test_optimizer_state_of_the_wrong_shape(tmp_path):
    source = legit(tmp_path / "m.keras")
    state = optimizer_state(source)
    key = next(k for k in state if "/" in k)
    state[key] = np.zeros((7, 7), "float32")
    bad = hostile(
        source, tmp_path / "o.keras", replace={"optimizer.safetensors": _safetensors.dumps(state)}
    )
    with pytest.raises(LayerfitValueError, match=f"'{key}' has shape \\(7, 7\\), expected"):
        keras.saving.load_model(bad)


def test_integer_and_boolean_weights_are_converted_with_a_warning(tmp_path):
    source = legit(tmp_path / "m.keras")
    tensors = _safetensors.loads(members(source)["model.weights.safetensors"])[0]
    names = list(tensors)
    tensors[names[0]] = np.arange(12, dtype="int64").reshape(4, 3)
    tensors[names[1]] = np.array([True, False, True])
    bad = hostile(
        source,
        tmp_path / "i.keras",
        replace={"model.weights.safetensors": _safetensors.dumps(tensors)},
    )
    with pytest.warns(LayerfitWarning) as caught:
        model = keras.saving.load_model(bad)
    message = str(caught[0].message)
    assert "2 non-float weights" in message and "(int64)" in message and "(bool)" in message
    kernel, bias = model.get_weights()[:2]
    np.testing.assert_array_equal(kernel, np.arange(12).reshape(4, 3))
    np.testing.assert_array_equal(bias, [1.0, 0.0, 1.0])


def test_a_safetensors_header_declaring_huge_tensors(tmp_path):
    """The header claims 1 TB of data; the member is 200 bytes: refused before any read."""
    source = legit(tmp_path / "m.keras")
    header = json.dumps(
        {"dense/kernel": {"dtype": "F32", "shape": [2**19, 2**19], "data_offsets": [0, 2**40]}}
    ).encode()
    bogus = struct.pack("<Q", len(header)) + header + bytes(64)
    bad = hostile(source, tmp_path / "h.keras", replace={"model.weights.safetensors": bogus})
    with pytest.raises(LayerfitValueError, match="ends at byte 1099511627776"):
        keras.saving.load_model(bad)
    growth, out = peak_growth(bad, "load_model(PATH)")
    assert "truncated" in out
    assert growth < 2 * source.stat().st_size + CONSTANT, out


def test_a_legit_model_still_loads_with_the_same_numbers(tmp_path):
    source = legit(tmp_path / "m.keras")
    x = np.random.default_rng(0).random((5, 4)).astype("float32")
    original = keras.saving.load_model(source)
    again = keras.saving.load_model(source)
    np.testing.assert_array_equal(original.predict(x, verbose=0), again.predict(x, verbose=0))
    assert original.optimizer.iterations == 1
