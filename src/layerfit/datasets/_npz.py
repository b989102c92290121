"""Reading a verified .npz whose arrays may hold Python objects, without trusting pickle.

IMDB and Reuters store ragged sequences as object arrays, which numpy writes as pickle
streams. They are read here with an unpickler that can rebuild numpy arrays and nothing else
(the approach Keras itself took), and only after the file's hash was checked.
"""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a dataset file")
        return super().find_class(module, name)


def load_npz(path) -> dict[str, np.ndarray]:
    """Every array in the archive, object arrays rebuilt by the restricted unpickler."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            with archive.open(member) as stream:
                data = io.BytesIO(stream.read())
            version = np.lib.format.read_magic(data)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(data)
            if dtype.hasobject:
                array = _ArraysOnly(data).load()
            else:
                array = np.frombuffer(data.read(), dtype=dtype).copy()
                array = array.reshape(shape, order="F" if fortran else "C")
            arrays[member.removesuffix(".npy")] = array
    return arrays
