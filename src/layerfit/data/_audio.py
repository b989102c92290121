"""``audio_dataset_from_directory``: a folder of class subfolders of .wav files -> batches.

Files are listed, shuffled and split as Keras does; WAV files are decoded with the standard
library's ``wave`` (PCM) to float32 in [-1, 1] of shape ``(samples, channels)``, as
``tf.audio.decode_wav``; batches are padded with zeros to the longest clip unless
``output_sequence_length`` fixes the length.
"""

from __future__ import annotations

import wave

import numpy as np

from layerfit.data._dataset import AUTOTUNE, Dataset
from layerfit.data._directory import (
    check_split_arguments,
    encode_labels,
    index_directory,
    split_files,
)
from layerfit.data._images import check_labels_and_format
from layerfit.errors import LayerfitValueError, explain

_PCM = {1: (np.uint8, 128.0, 128.0), 2: (np.int16, 0.0, 32768.0), 4: (np.int32, 0.0, 2.0**31)}


def read_wav(path, output_sequence_length=None) -> np.ndarray:
    """A PCM WAV file -> float32 (samples, channels) in [-1, 1], padded/cut to a length."""
    try:
        with wave.open(str(path), "rb") as file:
            width, channels = file.getsampwidth(), file.getnchannels()
            frames = file.readframes(file.getnframes())
    except (wave.Error, EOFError, OSError) as error:
        raise LayerfitValueError(
            explain(
                f"Could not read the audio file {str(path)!r} ({error}).",
                "a PCM .wav file (8, 16 or 32-bit).",
                "re-export the file as 16-bit PCM WAV.",
            )
        ) from None
    if width not in _PCM:
        raise LayerfitValueError(
            explain(
                f"The audio file {str(path)!r} has {8 * width}-bit samples.",
                "8, 16 or 32-bit PCM.",
                "re-export the file as 16-bit PCM WAV.",
            )
        )
    dtype, offset, scale = _PCM[width]
    audio = (np.frombuffer(frames, dtype=dtype).astype("float32") - offset) / scale
    audio = audio.reshape(-1, channels)
    if output_sequence_length is not None:
        fixed = np.zeros((output_sequence_length, channels), dtype="float32")
        count = min(len(audio), output_sequence_length)
        fixed[:count] = audio[:count]
        audio = fixed
    return audio


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    sampling_rate=None,
    output_sequence_length=None,
    ragged=False,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
):
    """Generates a dataset of audio clips (and labels) from a folder of ``.wav`` files.

    Args:
        directory: the folder (one subfolder per class with ``labels="inferred"``).
        labels: 'inferred', a list of integer labels (one per file in sorted order), or None.
            Defaults to 'inferred'.
        label_mode: 'int', 'categorical', 'binary' or None. Defaults to 'int'.
        class_names: subfolders to use, in label order. Defaults to None (all).
        batch_size: clips per batch (padded to the longest), or None. Defaults to 32.
        sampling_rate: resampling needs tensorflow-io in Keras; not available here (raises).
            Defaults to None.
        output_sequence_length: pad or cut every clip to this many samples. Defaults to None.
        ragged: not available (raises). Defaults to False.
        shuffle: shuffle the files and each epoch's order. Defaults to True.
        seed: seed for shuffling and the split. Defaults to None.
        validation_split: fraction kept for validation. Defaults to None.
        subset: 'training', 'validation' or 'both'. Defaults to None.
        follow_links: follow symbolic links to folders. Defaults to False.
        verbose: print how many files were found. Defaults to True.

    Example:
    >>> train = audio_dataset_from_directory("speech", output_sequence_length=16000)  # doctest: +SKIP
    """
    check_labels_and_format(labels, label_mode, "tf")
    if sampling_rate is not None or ragged:
        raise LayerfitValueError(
            explain(
                "audio_dataset_from_directory with sampling_rate= (Keras resamples with "
                "tensorflow-io) or ragged=True is not available in layerfit.",
                "sampling_rate=None and ragged=False.",
                "resample the files beforehand; use output_sequence_length for equal lengths.",
            )
        )
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_split_arguments(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, label_array, class_names = index_directory(
        directory, labels, (".wav",), class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose,
    )  # fmt: skip
    if label_mode == "binary" and len(class_names) != 2:
        raise LayerfitValueError(
            explain(
                f"label_mode='binary' with {len(class_names)} classes {class_names}.",
                "exactly 2 classes for binary labels.",
                "label_mode='int' (or 'categorical') for more than two classes.",
            )
        )
    num_classes = len(class_names) if class_names else 0

    def make(part, part_shuffle):
        part_paths, part_labels = split_files(paths, label_array, validation_split, part)
        if not part_paths:
            raise LayerfitValueError(
                explain(
                    f"No {part + ' ' if part else ''}audio files found in {directory!r}.",
                    "files ending in .wav" + (" in class subfolders." if labels else "."),
                    "check the path; with labels='inferred' files must sit in subfolders.",
                )
            )
        encoded = None
        if part_labels is not None:
            encoded = encode_labels(part_labels, label_mode, num_classes)
        elements = list(part_paths) if encoded is None else list(zip(part_paths, encoded))
        dataset = Dataset(lambda: iter(elements), len(elements))
        if part_shuffle:
            dataset = dataset.shuffle(batch_size * 8 if batch_size else 1024, seed=seed)

        def load(path, *label):
            audio = read_wav(path, output_sequence_length)
            return (audio, *label) if label else audio

        dataset = dataset.map(load, num_parallel_calls=AUTOTUNE)
        if batch_size is not None:
            dataset = dataset.padded_batch(batch_size)
        dataset = dataset.prefetch(AUTOTUNE)
        dataset.class_names = class_names
        dataset.file_paths = list(part_paths)
        return dataset

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle)
