"""``text_dataset_from_directory``: a folder of class subfolders of .txt files -> batches of strings.

Files are listed, shuffled and split as Keras does; each element is the file's text as a
Python string (Keras gives tf.string bytes), so batches are numpy arrays of ``str``.
"""

from __future__ import annotations

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


def read_text(path, max_length=None) -> str:
    """The file's text; with ``max_length``, its first ``max_length`` bytes (as tf.strings.substr)."""
    with open(path, "rb") as file:
        data = file.read() if max_length is None else file.read(max_length)
    # A cut through a multi-byte character drops that character rather than failing.
    return data.decode("utf-8", errors="ignore" if max_length is not None else "replace")


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    format="tf",
    verbose=True,
):
    """Generates a dataset of texts (and labels) from a folder of ``.txt`` files.

    With ``labels="inferred"`` the folder holds one subfolder per class (e.g. ``pos/``,
    ``neg/``). Batches are ``(texts, labels)``: texts a numpy array of strings.

    Args:
        directory: the folder.
        labels: 'inferred', a list of integer labels (one per file in sorted order), or None.
            Defaults to 'inferred'.
        label_mode: 'int', 'categorical', 'binary' or None. Defaults to 'int'.
        class_names: subfolders to use, in label order. Defaults to None (all).
        batch_size: texts per batch, or None for single texts. Defaults to 32.
        max_length: keep at most this many bytes of each file. Defaults to None.
        shuffle: shuffle the files and each epoch's order. Defaults to True.
        seed: seed for shuffling and the split. Defaults to None.
        validation_split: fraction kept for validation. Defaults to None.
        subset: 'training', 'validation' or 'both'. Defaults to None.
        follow_links: follow symbolic links to folders. Defaults to False.
        format: Keras's 'tf' or 'grain'; layerfit returns its own ``Dataset`` for both.
            Defaults to 'tf'.
        verbose: print how many files were found. Defaults to True.

    Returns:
        A ``layerfit.data.Dataset`` with ``class_names`` (a pair for ``subset="both"``).

    Example:
    >>> train = text_dataset_from_directory("aclImdb/train", batch_size=32)  # doctest: +SKIP
    """
    check_labels_and_format(labels, label_mode, format)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_split_arguments(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, label_array, class_names = index_directory(
        directory,
        labels,
        (".txt",),
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise LayerfitValueError(
            explain(
                f"label_mode='binary' with {len(class_names)} classes {class_names}.",
                "exactly 2 classes for binary labels.",
                "label_mode='int' (or 'categorical') for more than two classes.",
            )
        )
    num_classes = len(class_names) if class_names else 0
    buffer = batch_size * 8 if batch_size is not None else 1024

    def make(part, part_shuffle):
        part_paths, part_labels = split_files(paths, label_array, validation_split, part)
        if not part_paths:
            raise LayerfitValueError(
                explain(
                    f"No {part + ' ' if part else ''}text files found in directory {directory!r}.",
                    "files ending in .txt"
                    + (" inside class subfolders." if labels == "inferred" else "."),
                    "check the path; with labels='inferred' files must sit in subfolders.",
                )
            )
        encoded = None
        if part_labels is not None:
            encoded = encode_labels(part_labels, label_mode, num_classes)
        elements = list(part_paths) if encoded is None else list(zip(part_paths, encoded))
        dataset = Dataset(lambda: iter(elements), len(elements))
        if part_shuffle:
            dataset = dataset.shuffle(buffer, seed=seed)

        def load(path, *label):
            text = read_text(path, max_length)
            return (text, *label) if label else text

        dataset = dataset.map(load, num_parallel_calls=AUTOTUNE)
        if batch_size is not None:
            dataset = dataset.batch(batch_size)
        dataset = dataset.prefetch(AUTOTUNE)
        dataset.class_names = class_names
        dataset.file_paths = list(part_paths)
        return dataset

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle)
