"""audio_dataset_from_directory on folders of real .wav files written with the wave module."""

import wave

import numpy as np
import pytest

import layerfit as keras
from layerfit.utils import audio_dataset_from_directory


def _write(path, samples: np.ndarray, rate=8000):
    samples = samples.reshape(len(samples), -1)
    with wave.open(str(path), "wb") as file:
        file.setnchannels(samples.shape[1])
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples.astype("<i2").tobytes())


@pytest.fixture
def clips(tmp_path):
    rng = np.random.default_rng(0)
    for label in ("no", "yes"):
        (tmp_path / label).mkdir()
        for i in range(4):
            length = 50 + 10 * i
            _write(tmp_path / label / f"{i}.wav", rng.integers(-32768, 32767, size=length))
    return tmp_path


def test_decoded_as_tf_decode_wav_and_padded(clips, capsys):
    ds = audio_dataset_from_directory(clips, batch_size=8, shuffle=False)
    assert capsys.readouterr().out == "Found 8 files belonging to 2 classes.\n"
    audio, labels = next(iter(ds))
    assert audio.shape == (8, 80, 1) and audio.dtype == np.float32
    assert labels.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    with wave.open(ds.file_paths[0], "rb") as file:
        raw = np.frombuffer(file.readframes(file.getnframes()), dtype="<i2")
    np.testing.assert_array_equal(audio[0, : len(raw), 0], raw / 32768.0)  # exact: int16 / 2^15
    assert not audio[0, len(raw) :].any()  # zero padding after the clip


def test_fixed_length_stereo_split_and_fit(tmp_path):
    for label in ("a", "b"):
        (tmp_path / label).mkdir()
        for i in range(6):
            level = 8000 if label == "a" else -8000
            _write(tmp_path / label / f"{i}.wav", np.full((30 + i, 2), level))
    train, val = audio_dataset_from_directory(
        tmp_path, output_sequence_length=32, validation_split=0.25, subset="both", seed=1,
        batch_size=4, label_mode="binary", verbose=False,
    )  # fmt: skip
    audio, labels = next(iter(train))
    assert audio.shape == (4, 32, 2) and labels.shape == (4, 1)
    assert len(train.file_paths) == 9 and len(val.file_paths) == 3
    model = keras.Sequential(
        [keras.Input((32, 2)), keras.layers.GlobalAveragePooling1D(),
         keras.layers.Dense(1, activation="sigmoid")]
    )  # fmt: skip
    model.compile(keras.optimizers.Adam(0.1), "binary_crossentropy", metrics=["accuracy"])
    model.fit(train, epochs=20, verbose=0)
    assert model.evaluate(val, verbose=0)[1] == 1.0


def test_audio_errors(clips):
    (clips / "no" / "bad.wav").write_bytes(b"RIFF....not audio")
    ds = audio_dataset_from_directory(clips, shuffle=False, verbose=False)
    with pytest.raises(ValueError, match=r"bad\.wav[\s\S]*16-bit PCM"):
        list(ds)
    with pytest.raises(ValueError, match="tensorflow-io"):
        audio_dataset_from_directory(clips, sampling_rate=16000)
    with pytest.raises(ValueError, match="label_mode='one_hot'"):
        audio_dataset_from_directory(clips, label_mode="one_hot")


def test_padded_batch_on_any_dataset():
    ds = keras.data.Dataset.from_tensor_slices(np.arange(4)).map(lambda n: np.ones(int(n) + 1))
    assert [b.tolist() for b in ds.padded_batch(2)] == [[[1, 0], [1, 1]], [[1, 1, 1, 0], [1] * 4]]
    fixed = ds.padded_batch(4, padded_shapes=[5], padding_values=-1.0)
    assert next(iter(fixed))[0].tolist() == [1, -1, -1, -1, -1]
