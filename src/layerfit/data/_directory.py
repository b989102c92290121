"""Lists a folder of class subfolders the way Keras does, so file order and splits match.

Keras sorts class folders and files, then shuffles the whole list with
``np.random.RandomState(seed).shuffle`` and takes the validation files from the end; doing
the same steps gives the same ``file_paths`` and the same training/validation membership.
"""

from __future__ import annotations

import os

import numpy as np

from layerfit.errors import LayerfitValueError, explain, localize


def check_split_arguments(validation_split, subset, shuffle, seed) -> None:
    if validation_split and not 0 < validation_split < 1:
        raise LayerfitValueError(
            explain(
                f"validation_split={validation_split!r}.",
                "a fraction between 0 and 1.",
                "validation_split=0.2",
            )
        )
    if bool(validation_split) != bool(subset):
        raise LayerfitValueError(
            explain(
                f"validation_split={validation_split!r} with subset={subset!r}.",
                "both or neither: the split needs to know which part to return.",
                "validation_split=0.2, subset='both' (returns (train, validation)).",
            )
        )
    if subset not in ("training", "validation", "both", None):
        raise LayerfitValueError(
            explain(
                f"subset={subset!r}.",
                "'training', 'validation' or 'both'.",
                "subset='both' returns (train_ds, val_ds).",
            )
        )
    if validation_split and shuffle and seed is None:
        raise LayerfitValueError(
            explain(
                "validation_split with shuffle=True needs a seed.",
                "the same seed for the training and validation calls, so they do not overlap.",
                "pass seed=1337 (any integer) to both calls, or use subset='both'.",
            )
        )


def _class_folders(directory, class_names):
    if not os.path.isdir(directory):
        raise LayerfitValueError(
            explain(
                f"The directory {str(directory)!r} does not exist (or is not a folder).",
                "a folder with one subfolder per class.",
                "check the path, e.g. os.listdir(directory).",
            )
        )
    found = [
        name
        for name in sorted(os.listdir(directory))
        if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")
    ]
    if class_names is None:
        return found
    if not set(class_names) <= set(found):
        raise LayerfitValueError(
            explain(
                f"class_names={list(class_names)} do not all name subfolders of {directory!r}.",
                f"some of {found}.",
                "fix the names, or leave class_names=None to use every subfolder.",
            )
        )
    return list(class_names)  # the user's order sets the label numbers


def _files_under(folder, follow_links: bool, formats):
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda w: w[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
                yield os.path.join(root, name)


def index_directory(
    directory,
    labels,
    formats,
    class_names=None,
    shuffle=True,
    seed=None,
    follow_links=False,
    verbose=True,
):
    """Returns (file_paths, labels or None, class_names or None) in Keras's order."""
    if labels == "inferred":
        folders = _class_folders(directory, class_names)
    else:
        if class_names is not None:
            raise LayerfitValueError(
                explain(
                    f"class_names was given with labels={'None' if labels is None else 'a list'}.",
                    'class_names only with labels="inferred" (names come from the subfolders).',
                    "drop class_names, or use labels='inferred'.",
                )
            )
        _class_folders(directory, None)  # the folder exists
        folders = [""]
    paths, label_list = [], []
    for index, folder in enumerate(folders):
        for path in _files_under(os.path.join(directory, folder), follow_links, formats):
            # Keras's paths: directory joined with the path relative to the class folder.
            relative = os.path.join(folder, os.path.relpath(path, os.path.join(directory, folder)))
            paths.append(os.path.join(directory, relative))
            label_list.append(index)
    if labels == "inferred":
        label_array = np.asarray(label_list, dtype="int32")
        names = folders
    elif labels is None:
        label_array, names = None, None
    else:
        if len(labels) != len(paths):
            raise LayerfitValueError(
                explain(
                    f"labels has {len(labels)} entries but {len(paths)} files were found in "
                    f"{directory!r}.",
                    "one label per file, in sorted file order.",
                    "list the files with sorted(os.listdir(...)) and build labels from them.",
                )
            )
        label_array = np.asarray(labels)
        names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if label_array is None:
            print(localize(f"Found {len(paths)} files."))
        else:
            print(localize(f"Found {len(paths)} files belonging to {len(names)} classes."))
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(paths)
        if label_array is not None:
            np.random.RandomState(seed).shuffle(label_array)
    return paths, label_array, names


def split_files(paths, labels, validation_split, subset):
    """The training part (all but the last fraction) or the validation part (the last)."""
    if not validation_split:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        print(localize(f"Using {len(paths) - count} files for training."))
        keep = slice(None, -count) if count else slice(None)
    else:
        print(localize(f"Using {count} files for validation."))
        keep = slice(-count, None) if count else slice(0, 0)
    return paths[keep], None if labels is None else labels[keep]


def encode_labels(labels, label_mode, num_classes):
    """int -> int32 labels; 'binary' -> float32 (N, 1); 'categorical' -> one-hot float32."""
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels.astype("int32")
