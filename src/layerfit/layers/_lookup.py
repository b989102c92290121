"""StringLookup and IntegerLookup: vocabulary -> index maps, learned by ``adapt`` or given.

Index layout as Keras: ``[mask (int output only)] [OOV indices] [vocabulary by frequency]``.
``adapt`` sorts tokens by count, ties by token descending, as Keras's lexsort does. The
vocabulary travels in ``get_config``, so a saved model keeps it. Strings are looked up with a
Python dict on the CPU (string tensors do not exist in torch); outputs are torch tensors.
"""

from __future__ import annotations

import collections
import math
import os

import numpy as np
import torch

from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._farmhash import fingerprint64
from layerfit.layers._layer import Layer
from layerfit.layers._siphash import siphash24
from layerfit.layers._symbolic import KerasTensor

OUTPUT_MODES = Registry("output_mode")
for _mode in ("int", "one_hot", "multi_hot", "count", "tf_idf"):
    OUTPUT_MODES.register(_mode, _mode)


def as_array(data) -> np.ndarray:
    """Strings or integers (list, numpy, tensor, pandas) -> a numpy array."""
    if isinstance(data, torch.Tensor):
        return data.detach().cpu().numpy()
    if hasattr(data, "to_numpy"):
        return data.to_numpy()
    array = np.asarray(data)
    if array.dtype.kind == "S":  # bytes, as tf.string gives them
        array = np.char.decode(array, "utf-8")
    return array


def encode_categorical(indices: torch.Tensor, output_mode: str, depth: int, weights=None):
    """Integer indices -> one_hot / multi_hot / count (optionally idf-weighted) floats."""
    if output_mode == "one_hot":
        if indices.dim() > 1 and indices.shape[-1] == 1:
            indices = indices.squeeze(-1)
        return torch.nn.functional.one_hot(indices, depth).float()
    squeeze = indices.dim() == 1  # one sample: encode the whole vector
    batch = indices.unsqueeze(0) if squeeze else indices.reshape(indices.shape[0], -1)
    output = torch.zeros(batch.shape[0], depth, dtype=torch.float32, device=batch.device)
    output.scatter_add_(1, batch, torch.ones_like(batch, dtype=torch.float32))
    if output_mode == "multi_hot":
        output = (output > 0).float()
    if weights is not None:
        output = output * weights.to(output.device)
    return output[0] if squeeze else output


VOCABULARY_FILE = "vocabulary.txt"


def write_vocabulary(tokens: list, dir_path) -> None:
    """One token a line, as Keras's ``save_assets`` writes ``vocabulary.txt``."""
    with open(os.path.join(dir_path, VOCABULARY_FILE), "w", encoding="utf-8") as file:
        file.write("\n".join(str(token) for token in tokens))


def read_vocabulary(dir_path, strings: bool, layer: str) -> list:
    """The tokens of a ``vocabulary.txt``: lines as Keras splits them, trailing empty ones
    dropped; integers for IntegerLookup."""
    path = os.path.join(dir_path, VOCABULARY_FILE)
    if not os.path.isfile(path):
        raise LayerfitValueError(
            explain(
                f"{layer}: the model file has no {VOCABULARY_FILE} for this layer.",
                f"assets/.../{VOCABULARY_FILE} beside the layer's other saved state.",
                "save the model again after adapt(), or pass vocabulary=... to the layer.",
            )
        )
    with open(path, encoding="utf-8") as file:
        lines = file.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    if strings:
        return lines
    try:
        return [int(line) for line in lines]
    except ValueError:
        bad = next(line for line in lines if not line.strip().lstrip("-").isdigit())
        raise LayerfitValueError(
            explain(
                f"{layer}: its saved {VOCABULARY_FILE} holds {bad[:40]!r}, not an integer.",
                "one integer a line (an IntegerLookup vocabulary).",
                "save the model again from the layer that was adapted.",
            )
        ) from None


class _IndexLookup(Layer):
    """The shared vocabulary machinery of StringLookup, IntegerLookup and TextVectorization."""

    _kind = "token"

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=None,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        **kwargs,
    ):
        # In Keras's configs of adapted layers: the size until assets bring the vocabulary.
        self._frozen_vocabulary_size = kwargs.pop("vocabulary_size", None)
        if self._kind == "token" and kwargs.get("oov_method") in ("floormod", "farmhash"):
            kwargs.pop("oov_method")  # in Keras's StringLookup configs; strings hash either way
        super().__init__(**kwargs)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = invert
        self.output_mode = OUTPUT_MODES.get(output_mode) if isinstance(output_mode, str) else None
        if self.output_mode is None:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got output_mode={output_mode!r}.",
                    f"one of {OUTPUT_MODES.names()}.",
                    "output_mode='int'",
                )
            )
        self.pad_to_max_tokens = pad_to_max_tokens
        self._check_arguments(sparse, invert)
        self._vocabulary: list = []
        self._index: dict = {}
        self.idf_weights = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        elif idf_weights is not None:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got idf_weights without a vocabulary.",
                    "idf_weights together with vocabulary=[...].",
                    "pass vocabulary too, or call adapt(data).",
                )
            )
        self.built = True

    def _check_arguments(self, sparse, invert):
        if sparse:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__}(sparse=True): layerfit has no sparse tensors here.",
                    "sparse=False (dense outputs).",
                    "drop sparse=True.",
                )
            )
        if invert and self.output_mode != "int":
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__}(invert=True) with output_mode={self.output_mode!r}.",
                    "invert=True only with output_mode='int'.",
                    "use output_mode='int' to map indices back to tokens.",
                )
            )
        if not isinstance(self.num_oov_indices, int) or self.num_oov_indices < 0:
            raise LayerfitValueError(
                explain(
                    f"num_oov_indices={self.num_oov_indices!r}.",
                    "a non-negative integer.",
                    "num_oov_indices=1",
                )
            )
        if self.pad_to_max_tokens and self.max_tokens is None:
            raise LayerfitValueError(
                explain(
                    "pad_to_max_tokens=True without max_tokens.",
                    "max_tokens set, so outputs can be padded to it.",
                    "pass max_tokens=..., or drop pad_to_max_tokens.",
                )
            )

    # -- layout ------------------------------------------------------------------------------
    def _oov_start(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self) -> int:
        return self._oov_start() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """Size of the vocabulary, mask and OOV indices included."""
        if not self._vocabulary and getattr(self, "_frozen_vocabulary_size", None):
            return int(self._frozen_vocabulary_size)  # a loaded layer before its assets
        return self._token_start() + len(self._vocabulary)

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The tokens in index order (mask and OOV tokens first unless excluded)."""
        special = []
        if include_special_tokens:
            if self._oov_start():
                special.append(self.mask_token)
            special += [self.oov_token] * self.num_oov_indices
        return special + list(self._vocabulary)

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (and tf-idf weights) directly instead of ``adapt``."""
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as file:
                vocabulary = [line.rstrip("\n") for line in file]
        tokens = [self._token(t) for t in as_array(vocabulary).reshape(-1).tolist()]
        specials = {self.mask_token, self.oov_token} - {None}
        # Keras's own get_vocabulary() output starts with the special tokens: accept it back.
        while tokens and tokens[0] in specials:
            tokens = tokens[1:]
        duplicates = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if duplicates:
            raise LayerfitValueError(
                explain(
                    f"The vocabulary repeats {duplicates[:5]}.",
                    "each token once.",
                    "deduplicate it: list(dict.fromkeys(vocabulary)).",
                )
            )
        if self.max_tokens is not None and len(tokens) + self._token_start() > self.max_tokens:
            raise LayerfitValueError(
                explain(
                    f"A vocabulary of {len(tokens)} tokens plus {self._token_start()} special "
                    f"indices exceeds max_tokens={self.max_tokens}.",
                    "a vocabulary that fits max_tokens.",
                    "raise max_tokens or shorten the vocabulary.",
                )
            )
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise LayerfitValueError(
                    explain(
                        "output_mode='tf_idf' with a vocabulary but no idf_weights.",
                        "idf_weights, one per vocabulary token.",
                        "pass idf_weights=..., or call adapt(data) instead.",
                    )
                )
            weights = np.asarray(idf_weights, dtype="float32").reshape(-1)
            if len(weights) == len(tokens):  # pad the OOV slots with the mean, as Keras
                weights = np.concatenate([np.full(self._token_start(), weights.mean()), weights])
            self.idf_weights = torch.as_tensor(weights, dtype=torch.float32)
        self._set_tokens(tokens)

    # -- Keras's file hooks: vocabulary in assets/, idf weights as a variable --------------
    def save_own_variables(self, store) -> None:
        """Puts the tf-idf weights in ``store`` under "idf_weights", as Keras's lookups."""
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = self.idf_weights.numpy()

    def load_own_variables(self, store) -> None:
        """Takes the tf-idf weights from ``store`` ("idf_weights"), as Keras's lookups."""
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            weights = np.asarray(store["idf_weights"], dtype="float32").reshape(-1)
            self._stored_idf_weights = weights
            if self._vocabulary:
                self.set_vocabulary(list(self._vocabulary), weights)

    def save_assets(self, dir_path) -> None:
        """Writes the vocabulary (special tokens first) to ``dir_path/vocabulary.txt``."""
        write_vocabulary(self.get_vocabulary(include_special_tokens=True), dir_path)

    def load_assets(self, dir_path) -> None:
        """Reads ``dir_path/vocabulary.txt`` as ``save_assets`` (and Keras) write it."""
        values = read_vocabulary(dir_path, self._kind != "integer", self.name)
        idf = getattr(self, "_stored_idf_weights", None)
        if idf is None and self.idf_weights is not None:
            idf = self.idf_weights.numpy()
        self.set_vocabulary(values, idf if self.output_mode == "tf_idf" else None)

    def _set_tokens(self, tokens) -> None:
        self._vocabulary = list(tokens)
        start = self._token_start()
        self._index = {token: start + i for i, token in enumerate(self._vocabulary)}

    def _token(self, value):
        return value

    # -- adapt -------------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns the vocabulary (by frequency) and, for tf_idf, the idf weights, from data."""
        counts, documents, num_documents = collections.Counter(), collections.Counter(), 0
        for batch in _batches(data, steps, type(self).__name__):
            for document in self._documents(batch):
                counts.update(document)
                if self.output_mode == "tf_idf":
                    documents.update(set(document))
                num_documents += 1
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        # Keras: np.lexsort((tokens, counts))[::-1] -> count descending, ties token descending.
        ordered = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
        if self.max_tokens is not None:
            ordered = ordered[: max(0, self.max_tokens - self._token_start())]
        self._set_tokens(ordered)
        if self.output_mode == "tf_idf":
            idf = np.array(
                [math.log(1 + num_documents / (1 + documents[t])) for t in ordered],
                dtype="float32",
            )
            mean = idf.mean() if len(idf) else 0.0
            self.idf_weights = torch.as_tensor(
                np.concatenate([np.full(self._token_start(), mean, dtype="float32"), idf])
            )

    def _documents(self, batch):
        """One list of tokens per document (row) of a batch."""
        array = as_array(batch)
        if array.ndim == 0:
            array = array.reshape(1)
        if array.ndim == 1:
            return [[self._token(v) for v in array.tolist()]]
        return [[self._token(v) for v in row] for row in array.reshape(len(array), -1).tolist()]

    # -- call --------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, KerasTensor):
            return symbolic_text_call(self, inputs, args, kwargs)
        if isinstance(inputs, torch.Tensor) or not _is_raw(inputs):
            return super().__call__(inputs, *args, **kwargs)
        return self.call(inputs)  # strings and plain lists never become tensors

    def lookup(self, tokens: np.ndarray) -> np.ndarray:
        """Tokens -> indices (int64), with Keras's mask and OOV rules."""
        flat = tokens.reshape(-1).tolist()
        oov = self._token_start() - self.num_oov_indices
        mask = self.mask_token
        out = np.empty(len(flat), dtype=np.int64)
        for i, token in enumerate(flat):
            token = self._token(token)
            index = self._index.get(token)
            if index is None:
                if mask is not None and token == mask:
                    index = 0
                elif self.num_oov_indices == 0:
                    raise LayerfitValueError(
                        explain(
                            f"{self.name}: {token!r} is not in the vocabulary and "
                            "num_oov_indices=0.",
                            "every input in the vocabulary.",
                            "set num_oov_indices=1 to map unknown tokens to one index.",
                        )
                    )
                else:
                    index = oov + self._oov_bucket(token)
            out[i] = index
        return out.reshape(tokens.shape)

    def _oov_bucket(self, token) -> int:
        return 0

    def call(self, inputs):
        if self.invert:
            return self._invert(inputs)
        array = as_array(inputs)
        indices = torch.as_tensor(self.lookup(array))
        return self._encode(indices)

    def _encode(self, indices: torch.Tensor):
        if self.output_mode == "int":
            return indices
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        weights = None
        if self.output_mode == "tf_idf":
            weights = torch.zeros(depth)
            weights[: len(self.idf_weights)] = self.idf_weights
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        return encode_categorical(indices, mode, depth, weights)

    def _invert(self, inputs):
        indices = as_array(inputs).astype(np.int64)
        vocabulary = self.get_vocabulary()
        flat = [
            vocabulary[i] if 0 <= i < len(vocabulary) else self.oov_token
            for i in indices.reshape(-1).tolist()
        ]
        return np.asarray(flat, dtype=object if self._kind == "token" else None).reshape(
            indices.shape
        )

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return input_shape
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        return (*tuple(input_shape)[:-1], depth) if len(input_shape) > 1 else (depth,)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "mask_token": self.mask_token,
            "oov_token": self.oov_token,
            "vocabulary": list(self._vocabulary) or None,
            "idf_weights": None,
            "invert": self.invert,
            "output_mode": self.output_mode,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "sparse": False,
        }
        if self.idf_weights is not None and self._vocabulary:
            config["idf_weights"] = self.idf_weights[self._token_start() :].tolist()
        return config


def _is_raw(inputs) -> bool:
    if isinstance(inputs, (str, bytes, list, tuple)):
        return True
    return isinstance(inputs, np.ndarray) and inputs.dtype.kind in "USOiu"


def _batches(data, steps, layer: str):
    """adapt's input: an array/list (one batch) or an iterable dataset of batches."""
    if isinstance(data, (np.ndarray, list, tuple, str, torch.Tensor)) or hasattr(data, "to_numpy"):
        yield data
        return
    for step, batch in enumerate(data):
        if steps is not None and step >= steps:
            return
        if isinstance(batch, tuple):
            raise LayerfitValueError(
                explain(
                    f"{layer}.adapt got a dataset of (x, y) pairs.",
                    "a dataset of inputs only.",
                    "adapt(train_ds.map(lambda x, y: x)).",
                )
            )
        yield batch


class StringLookup(_IndexLookup):
    """Maps strings to integer indices from a vocabulary (given, or learned by ``adapt``).

    Args:
        max_tokens: largest vocabulary size, special indices included. Defaults to None.
        num_oov_indices: indices for out-of-vocabulary strings (spread by FarmHash, as
            Keras). Defaults to 1.
        mask_token: a token mapped to index 0 (with output_mode 'int'). Defaults to None.
        oov_token: the token ``invert`` returns for OOV indices. Defaults to '[UNK]'.
        vocabulary: a list of strings, or a path to a file with one per line. Defaults to None.
        idf_weights: tf-idf weights with output_mode 'tf_idf'. Defaults to None.
        invert: map indices back to strings. Defaults to False.
        output_mode: 'int', 'one_hot', 'multi_hot', 'count' or 'tf_idf'. Defaults to 'int'.
        pad_to_max_tokens: pad encodings to ``max_tokens`` wide. Defaults to False.
        sparse: not supported (True raises). Defaults to False.
        encoding: how bytes inputs are decoded. Defaults to 'utf-8'.
        salt: an integer or a pair keying the hash of unknown strings (SipHash-2-4, as
            Keras's ``to_hash_bucket_strong``) when ``num_oov_indices > 1``. Defaults to None.

    Example:
    >>> StringLookup(vocabulary=["a", "b", "c", "d"])(np.array([["a", "c", "d"], ["d", "z", "b"]]))
    tensor([[1, 3, 4],
            [4, 0, 2]])
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        salt=None,
        **kwargs,
    ):
        # Keras's configs carry IndexLookup's oov_method (unused for strings): accepted.
        self.oov_method = _check_oov_method("StringLookup", kwargs.pop("oov_method", "floormod"))
        self.salt = _checked_salt("StringLookup", salt)
        self.encoding = encoding
        super().__init__(
            max_tokens, num_oov_indices, mask_token, oov_token, vocabulary, idf_weights,
            invert, output_mode, pad_to_max_tokens, sparse, name=name, **kwargs,
        )  # fmt: skip

    takes_strings = True  # a string model input's numpy array reaches call() as it is

    def _token(self, value):
        return value.decode(self.encoding) if isinstance(value, bytes) else value

    def _oov_bucket(self, token) -> int:
        if self.num_oov_indices == 1:
            return 0
        # TensorFlow's to_hash_bucket_fast (or _strong with a salt), as Keras.
        return _hash_bucket(str(token).encode(self.encoding), self.salt, self.num_oov_indices)

    def get_config(self) -> dict:
        config = {**super().get_config(), "oov_method": self.oov_method, "salt": self.salt}
        return {**config, "encoding": self.encoding}


class IntegerLookup(_IndexLookup):
    """Maps integers to contiguous indices from a vocabulary (given, or learned by ``adapt``).

    Args:
        max_tokens: largest vocabulary size, special indices included. Defaults to None.
        num_oov_indices: indices for out-of-vocabulary values (spread by ``oov_method``).
            Defaults to 1.
        mask_token: an integer mapped to index 0 (with output_mode 'int'). Defaults to None.
        oov_token: the value ``invert`` returns for OOV indices. Defaults to -1.
        vocabulary: a list of integers. Defaults to None.
        idf_weights: tf-idf weights with output_mode 'tf_idf'. Defaults to None.
        invert: map indices back to values. Defaults to False.
        output_mode: 'int', 'one_hot', 'multi_hot', 'count' or 'tf_idf'. Defaults to 'int'.
        pad_to_max_tokens: pad encodings to ``max_tokens`` wide. Defaults to False.
        sparse: not supported (True raises). Defaults to False.
        vocabulary_dtype: Defaults to 'int64'.
        oov_method: 'floormod' (``value % num_oov_indices``) or 'farmhash' (the decimal
            string hashed with FarmHash64, as Keras). Defaults to 'floormod'.
        salt: with oov_method 'farmhash', an integer or a pair keying SipHash-2-4 instead.
            Defaults to None.

    Example:
    >>> IntegerLookup(vocabulary=[12, 36, 1138, 42])(np.array([[12, 1138, 42], [42, 1000, 36]]))
    tensor([[1, 3, 4],
            [4, 0, 2]])
    """

    _kind = "integer"

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ):
        self.oov_method = _check_oov_method("IntegerLookup", oov_method)
        self.salt = _checked_salt("IntegerLookup", salt)
        if self.salt is not None and self.oov_method != "farmhash":
            raise LayerfitValueError(
                explain(
                    f"IntegerLookup got salt={salt!r} with oov_method={oov_method!r}.",
                    "salt only with oov_method='farmhash' (it keys the hash of unknown values).",
                    "IntegerLookup(..., oov_method='farmhash', salt=133), or drop salt.",
                )
            )
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(
            max_tokens, num_oov_indices, mask_token, oov_token, vocabulary, idf_weights,
            invert, output_mode, pad_to_max_tokens, sparse, name=name, **kwargs,
        )  # fmt: skip

    def _token(self, value):
        return int(value)

    def _oov_bucket(self, token) -> int:
        if self.oov_method == "farmhash" and self.num_oov_indices > 1:
            # Keras hashes the decimal string (tf.strings.as_string), keyed by the salt if any.
            return _hash_bucket(str(token).encode(), self.salt, self.num_oov_indices)
        return token % self.num_oov_indices  # Keras's floormod rule for integers

    def get_config(self) -> dict:
        config = {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}
        return {**config, "oov_method": self.oov_method, "salt": self.salt}


def _check_oov_method(layer: str, oov_method) -> str:
    if oov_method in ("floormod", "farmhash"):
        return oov_method
    raise LayerfitValueError(
        explain(
            f"{layer} got oov_method={oov_method!r}.",
            "'floormod' (value % num_oov_indices) or 'farmhash' (hashed, as Keras).",
            "oov_method='farmhash'",
        )
    )


def _checked_salt(layer: str, salt):
    """Keras's rule: None, one integer s (the SipHash key (s, s)) or a pair of integers."""
    if salt is None:
        return None
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    if (
        isinstance(salt, (tuple, list))
        and len(salt) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in salt)
    ):
        return list(salt)
    raise LayerfitValueError(
        explain(
            f"{layer} got salt={salt!r}.",
            "None, an integer, or a pair of integers (the SipHash key of unknown tokens).",
            f"{layer}(..., salt=133) or salt=[133, 137]",
        )
    )


def _hash_bucket(data: bytes, salt, buckets: int) -> int:
    """tf.strings.to_hash_bucket_fast (FarmHash64), or _strong (SipHash-2-4) with a salt."""
    if salt is None:
        return fingerprint64(data) % buckets
    return siphash24(salt[0], salt[1], data) % buckets


def symbolic_text_call(layer, inputs, args, kwargs):
    """A text layer called on a symbolic input (``keras.Input(dtype="string")``, as keras-io's
    end-to-end models do): recorded in the graph like any layer; at run time it reads the
    numpy array of strings the model carries. Its output is int64 ids or float32 encodings."""
    outputs = Layer.__call__(layer, inputs, *args, **kwargs)
    outputs.dtype = "int64" if layer.output_mode == "int" else "float32"
    return outputs
