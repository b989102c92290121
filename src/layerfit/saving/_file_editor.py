"""``keras.saving.KerasFileEditor``: inspect and edit the weights of a Keras 3 file.

Opens a ``.keras`` file (Keras's or layerfit's ``save(format="keras")``) or a
``.weights.h5`` file and holds its weights as Keras's editor does: ``weights_dict``, a nested
dict following the file's groups (``{"layers": {"dense": {"0": kernel, "1": bias}}}``, the
``vars`` level folded away), ``object_metadata`` (each group's attributes by path), and for
``.keras`` files ``config`` and ``metadata``. Edits work on that dict by name or path;
``save`` writes a ``.weights.h5``. Reading keeps the loader's promises: members and JSON
checked as ``load_model`` does, only hard links followed, every dataset's type and size checked
before its data is read (``max_bytes`` in all).
"""

from __future__ import annotations

import collections
import math
import zipfile

import numpy as np

from layerfit.errors import LayerfitValueError, explain, localize
from layerfit.saving import _archive, _keras_archive, _keras_h5, _limits


class KerasFileEditor:
    """Inspects and edits the weights of a Keras ``.keras`` or ``.weights.h5`` file.

    Args:
        filepath: The path of a ``.keras`` or ``.weights.h5`` file.

    Example:
    >>> editor = KerasFileEditor("model.keras")
    >>> editor.summary()
    >>> editor.delete_object("layers/dense_2")
    >>> editor.save("edited.weights.h5")
    """

    def __init__(self, filepath):
        self.filepath = str(filepath)
        self.metadata = None
        self.config = None
        self.model = None
        path = _archive.resolve_path(filepath, "KerasFileEditor")
        if self.filepath.endswith(".keras"):
            data = self._read_archive(path)
        elif self.filepath.endswith(".weights.h5"):
            _limits.check("max_bytes", path.stat().st_size, "the file", self.filepath)
            data = None
        else:
            raise LayerfitValueError(
                explain(
                    f"KerasFileEditor got {self.filepath!r}.",
                    "a path ending in .keras or .weights.h5.",
                    "KerasFileEditor('model.keras') or KerasFileEditor('model.weights.h5').",
                )
            )
        with _keras_h5.open_file(self.filepath, data) as file:
            self.object_metadata: dict[str, dict] = {}
            self._total = 0
            self.weights_dict = self._extract(file, "")
        print(localize(f"Keras model file '{self.filepath}'"))
        if self.metadata is not None:
            version, date = self.metadata.get("keras_version"), self.metadata.get("date_saved")
            print(localize(f"Saved with Keras {version} - date: {date}"))

    def _read_archive(self, path) -> bytes:
        source = self.filepath
        try:
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
                names = [info.filename for info in infos]
                sizes = {info.filename: info.file_size for info in infos}
                _keras_archive._check_members(names, source)
                self.config = _keras_archive._json(archive, _archive.CONFIG, sizes, source)
                self.metadata = _keras_archive._json(archive, _archive.METADATA, sizes, source)
                weights = _keras_archive.H5_WEIGHTS
                _limits.check("max_bytes", sizes[weights], weights, source)
                return archive.read(weights)
        except zipfile.BadZipFile as error:
            raise LayerfitValueError(
                explain(
                    f"{source!r} is not a readable .keras file ({error}).",
                    "a .keras file written by Keras's or layerfit's model.save().",
                    "check the path, or save the model again.",
                )
            ) from None

    def _extract(self, group, inner_path: str):
        h5py = _keras_h5.require_h5py()
        attributes = {key: value for key, value in group.attrs.items()}
        if attributes:
            self.object_metadata[inner_path] = attributes
        result = collections.OrderedDict()
        for key in group.keys():
            path = f"{inner_path}/{key}"
            link = group.get(key, getlink=True)
            if not isinstance(link, h5py.HardLink):
                _keras_h5._refuse(self.filepath, f"{path!r} is a link ({type(link).__name__})")
            value = group[key]
            if isinstance(value, h5py.Group):
                if len(value) == 0:
                    continue
                if "vars" in value.keys():
                    inner = _keras_h5._get(value, "vars", self.filepath)
                    if inner is None or len(inner) == 0:
                        continue
                    result[key] = self._extract(inner, path)
                else:
                    result[key] = self._extract(value, path)
                continue
            dataset = _keras_h5._dataset(group, key, path, self.filepath)
            self._total += math.prod(dataset.shape) * dataset.dtype.itemsize
            _limits.check("max_bytes", self._total, "the weights it holds", self.filepath)
            result[key] = dataset[()]
        return result

    # -- inspecting -------------------------------------------------------------------------------

    def summary(self) -> None:
        """Prints the file's weight structure: each object's path and its weights' shapes."""
        print(self._structure(self.weights_dict, ""), end="")

    def _structure(self, weights: dict, indent: str) -> str:
        lines = []
        for key, value in weights.items():
            if isinstance(value, dict):
                lines.append(f"{indent}{key}\n{self._structure(value, indent + '    ')}")
            else:
                array = np.asarray(value)
                lines.append(f"{indent}{key}: shape={array.shape}, dtype={array.dtype}\n")
        return "".join(lines)

    # -- editing ----------------------------------------------------------------------------------

    def rename_object(self, object_name, new_name):
        """Renames an object (a name such as ``"dense_2"`` or a path ``"layers/dense_2"``)."""

        def rename(weights, source, target):
            weights[target] = weights.pop(source)

        self._edit_object(rename, object_name, new_name)

    def delete_object(self, object_name):
        """Removes an object and all its weights."""
        self._edit_object(lambda weights, source, target: weights.pop(source), object_name)

    def add_object(self, object_path, weights):
        """Adds an object at ``object_path`` with ``weights`` (``{"0": array, ...}``)."""
        _check_weights(weights)
        elements = object_path.split("/")
        target = self.weights_dict
        for element in elements[:-1]:
            if element not in target:
                _not_found("/".join(elements[:-1]), self.weights_dict)
            target = target[element]
        target[elements[-1]] = weights

    def delete_weight(self, object_name, weight_name):
        """Removes one weight (e.g. ``"0"``) of an object."""

        def delete(weights, source, target):
            if weight_name not in weights[source]:
                raise LayerfitValueError(
                    explain(
                        f"Weight {weight_name!r} not found in object {object_name!r}.",
                        f"one of {list(weights[source].keys())}.",
                        "check editor.summary() for the weights' names.",
                    )
                )
            weights[source].pop(weight_name)

        self._edit_object(delete, object_name)

    def add_weights(self, object_name, weights):
        """Adds weights (``{"2": array, ...}``) to an existing object."""
        _check_weights(weights)
        self._edit_object(lambda found, source, target: found[source].update(weights), object_name)

    def _edit_object(self, edit, source_name, target_name=None):
        if target_name is not None and "/" in target_name:
            raise LayerfitValueError(
                explain(
                    f"The new name {target_name!r} is a path.",
                    "a leaf name such as 'dense_3'.",
                    "pass only the last part of the path.",
                )
            )
        if "/" in source_name:
            elements = source_name.split("/")
            weights = self.weights_dict
            for element in elements[:-1]:
                if element not in weights or not isinstance(weights[element], dict):
                    _not_found(source_name, self.weights_dict)
                weights = weights[element]
            if elements[-1] not in weights:
                _not_found(source_name, self.weights_dict)
            edit(weights, elements[-1], target_name)
            return
        holders = []
        stack = [self.weights_dict]
        while stack:
            weights = stack.pop()
            if source_name in weights:
                holders.append(weights)
            stack.extend(value for value in weights.values() if isinstance(value, dict))
        if len(holders) != 1:
            if holders:
                raise LayerfitValueError(
                    explain(
                        f"The name {source_name!r} occurs {len(holders)} times in the file.",
                        "a name that occurs once, or a full path.",
                        "pass the object's path, e.g. 'layers/dense_2' (see editor.summary()).",
                    )
                )
            _not_found(source_name, self.weights_dict)
        edit(holders[0], source_name, target_name)

    # -- writing ----------------------------------------------------------------------------------

    def save(self, filepath):
        """Writes the (edited) weights to a ``.weights.h5`` file."""
        filepath = str(filepath)
        if not filepath.endswith(".weights.h5"):
            raise LayerfitValueError(
                explain(
                    f"KerasFileEditor.save() got {filepath!r}.",
                    "a path ending in .weights.h5.",
                    "editor.save('edited.weights.h5')",
                )
            )
        h5py = _keras_h5.require_h5py()

        def write(file):
            with h5py.File(file, "w") as out:
                _write(out, self.weights_dict, "")

        _archive.atomic_write(filepath, write)

    def resave_weights(self, filepath):
        """Same as ``save``."""
        self.save(filepath)


def _write(file, weights: dict, inner_path: str) -> None:
    values = {name: value for name, value in weights.items() if not isinstance(value, dict)}
    for name, value in weights.items():
        if isinstance(value, dict) and value:
            _write(file, value, f"{inner_path}/{name}" if inner_path else name)
    if values:
        group = file.require_group(f"{inner_path}/vars" if inner_path else "vars")
        for name, value in values.items():
            group.create_dataset(name, data=np.asarray(value))


def _check_weights(weights) -> None:
    if not isinstance(weights, dict):
        raise LayerfitValueError(
            explain(
                f"weights is a {type(weights).__name__}.",
                "a dict of weight names ('0', '1', ...) to numpy arrays.",
                "weights={'0': kernel, '1': bias}",
            )
        )


def _not_found(name: str, weights: dict) -> None:
    raise LayerfitValueError(
        explain(
            f"{name!r} is not in the file.",
            f"a name or path of an object in it; top level: {list(weights)[:8]}.",
            "check editor.summary() for the objects' paths.",
        )
    )


__all__ = ["KerasFileEditor"]
