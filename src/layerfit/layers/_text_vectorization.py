"""TextVectorization: strings -> token indices or bag-of-words vectors, Keras's steps in order.

standardize (lowercase, strip punctuation, or a callable) -> split (whitespace, characters,
or a callable) -> ngrams -> look each token up (a StringLookup with mask '' and OOV '[UNK]')
-> pad/truncate (int) or encode (multi_hot, count, tf_idf). Runs on the CPU in Python: on the
data (``dataset.map(lambda x, y: (vectorize(x), y))``, as Keras recommends for speed), or inside
a model after ``keras.Input(shape=(1,), dtype="string")`` (the model carries the numpy strings).
"""

from __future__ import annotations

import os
import re

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer
from layerfit.layers._lookup import StringLookup, _batches, as_array, symbolic_text_call
from layerfit.layers._symbolic import KerasTensor

# Keras's punctuation class (tf.strings.regex_replace in Keras's source).
PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation", None)
SPLIT = ("whitespace", "character", None)


def _ngram_widths(ngrams):
    if ngrams is None:
        return None
    if isinstance(ngrams, int) and not isinstance(ngrams, bool) and ngrams > 0:
        return tuple(range(1, ngrams + 1))
    if isinstance(ngrams, (tuple, list)) and all(isinstance(n, int) and n > 0 for n in ngrams):
        return tuple(ngrams)
    raise LayerfitValueError(
        explain(
            f"TextVectorization got ngrams={ngrams!r}.",
            "None, a positive int (all n-grams up to it) or a tuple of widths.",
            "ngrams=2 (unigrams and bigrams)",
        )
    )


class TextVectorization(Layer):
    """Turns strings into sequences of token indices or into bag-of-words vectors.

    Args:
        max_tokens: largest vocabulary size, padding and OOV included. Defaults to None.
        standardize: 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', None, or a
            callable on a numpy array of strings. Defaults to 'lower_and_strip_punctuation'.
        split: 'whitespace', 'character', None, or a callable string -> list of tokens.
            Defaults to 'whitespace'.
        ngrams: None, an int n (all n-grams up to n) or a tuple of widths. Defaults to None.
        output_mode: 'int', 'multi_hot', 'count' or 'tf_idf'. Defaults to 'int'.
        output_sequence_length: pad or cut 'int' outputs to this length. Defaults to None
            (the longest in the batch).
        pad_to_max_tokens: pad bag-of-words outputs to ``max_tokens`` wide. Defaults to False.
        vocabulary: a list of tokens or a file path. Defaults to None (use ``adapt``).
        idf_weights: weights for 'tf_idf' with a given vocabulary. Defaults to None.
        sparse: not supported (True raises). Defaults to False.
        ragged: not supported (True raises). Defaults to False.
        encoding: how bytes inputs are decoded. Defaults to 'utf-8'.

    Example:
    >>> vectorize = TextVectorization(output_sequence_length=4)
    >>> vectorize.adapt(["the cat sat", "the dog"])
    >>> vectorize.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
    >>> vectorize(["The cat ran!"])
    tensor([[2, 5, 1, 0]])
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        vocabulary_size = kwargs.pop("vocabulary_size", None)  # Keras's config of an adapted layer
        super().__init__(name=name, **kwargs)
        for name, value, choices in (
            ("standardize", standardize, STANDARDIZE),
            ("split", split, SPLIT),
        ):
            if not callable(value) and value not in choices:
                raise LayerfitValueError(
                    explain(
                        f"TextVectorization got {name}={value!r}.",
                        f"one of {list(choices)} or a callable.",
                        f"{name}={choices[0]!r}",
                    )
                )
        if output_mode not in ("int", "multi_hot", "count", "tf_idf"):
            raise LayerfitValueError(
                explain(
                    f"TextVectorization got output_mode={output_mode!r}.",
                    "'int', 'multi_hot', 'count' or 'tf_idf'.",
                    "output_mode='int' for sequence models, 'multi_hot' for bag-of-words.",
                )
            )
        if output_sequence_length is not None and output_mode != "int":
            raise LayerfitValueError(
                explain(
                    f"output_sequence_length with output_mode={output_mode!r}.",
                    "output_sequence_length only with output_mode='int'.",
                    "drop output_sequence_length (bag-of-words outputs are vocabulary-wide).",
                )
            )
        if sparse or ragged:
            raise LayerfitValueError(
                explain(
                    "TextVectorization(sparse=True / ragged=True): layerfit returns dense "
                    "tensors only.",
                    "sparse=False, ragged=False.",
                    "use output_sequence_length to fix the length instead of ragged outputs.",
                )
            )
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._ngram_widths = _ngram_widths(ngrams)
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.pad_to_max_tokens = pad_to_max_tokens
        self.encoding = encoding
        self._lookup = StringLookup(
            max_tokens=max_tokens,
            mask_token="",
            oov_token="[UNK]",
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            encoding=encoding,
            name=f"{self.name}_lookup",
        )
        self._lookup._frozen_vocabulary_size = vocabulary_size
        self.built = True

    @property
    def max_tokens(self):
        return self._lookup.max_tokens

    # -- text to tokens ----------------------------------------------------------------------
    def _standardize(self, texts: np.ndarray) -> np.ndarray:
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            texts = np.char.lower(texts)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            texts = np.asarray([PUNCTUATION.sub("", t) for t in texts.tolist()])
        if callable(self.standardize):
            texts = as_array(self.standardize(texts))
        return texts

    def _tokens(self, text: str) -> list:
        if self.split == "whitespace":
            tokens = text.split()
        elif self.split == "character":
            tokens = list(text)
        elif callable(self.split):
            tokens = [t.decode() if isinstance(t, bytes) else t for t in self.split(text)]
        else:
            tokens = [text]
        if self._ngram_widths is None:
            return tokens
        grams = []
        for width in self._ngram_widths:  # all 1-grams, then all 2-grams, ... as tf.strings.ngrams
            grams += [" ".join(tokens[i : i + width]) for i in range(len(tokens) - width + 1)]
        return grams

    def _texts(self, inputs) -> np.ndarray:
        texts = as_array(inputs)
        if texts.ndim == 0:
            texts = texts.reshape(1)
        if texts.ndim == 2 and texts.shape[-1] == 1:
            texts = texts[:, 0]
        if texts.ndim != 1 or texts.dtype.kind not in "USO":
            raise LayerfitValueError(
                explain(
                    f"TextVectorization got input of shape {texts.shape} and dtype {texts.dtype}.",
                    "a batch of strings: shape (batch,) or (batch, 1).",
                    "pass a list or 1-D array of texts, e.g. vectorize(['a sentence']).",
                )
            )
        texts = np.asarray(
            [t.decode(self.encoding) if isinstance(t, bytes) else str(t) for t in texts.tolist()]
        )
        return self._standardize(texts)

    # -- adapt and call ----------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns the vocabulary (and idf weights) from texts: an array, a list or a dataset."""
        documents = []
        for batch in _batches(data, steps, "TextVectorization"):
            documents += [self._tokens(t) for t in self._texts(batch).tolist()]
        self._lookup.adapt(_Documents(documents))

    takes_strings = True  # a string model input's numpy array reaches call() as it is

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, KerasTensor):
            return symbolic_text_call(self, inputs, args, kwargs)
        if isinstance(inputs, torch.Tensor):
            return super().__call__(inputs, *args, **kwargs)
        return self.call(inputs)  # strings never become tensors

    def call(self, inputs):
        token_lists = [self._tokens(t) for t in self._texts(inputs).tolist()]
        if self.output_mode != "int":
            return (
                torch.stack([self._lookup._encode(self._indices(tokens)) for tokens in token_lists])
                if token_lists
                else torch.zeros(0, self.vocabulary_size())
            )
        length = self.output_sequence_length
        if length is None:
            length = max((len(t) for t in token_lists), default=0)
        output = torch.zeros(len(token_lists), length, dtype=torch.int64)
        for row, tokens in enumerate(token_lists):
            indices = self._indices(tokens[:length])
            output[row, : len(indices)] = indices
        return output

    def _indices(self, tokens) -> torch.Tensor:
        return torch.as_tensor(self._lookup.lookup(np.asarray(tokens, dtype=object)))

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return (input_shape[0], self.output_sequence_length)
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        return (input_shape[0], depth)

    # -- vocabulary --------------------------------------------------------------------------
    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The tokens in index order: '' (padding, int mode), '[UNK]', then by frequency."""
        return self._lookup.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        self._lookup.set_vocabulary(vocabulary, idf_weights)

    _state_copies = ("_lookup_layer/",)  # Keras writes its lookup's state there too

    # Keras's file hooks: TextVectorization writes its vocabulary twice, in its own folder
    # and in its lookup layer's (``_lookup_layer``), and reads it from its own.
    def save_own_variables(self, store) -> None:
        self._lookup.save_own_variables(store)

    def load_own_variables(self, store) -> None:
        self._lookup.load_own_variables(store)

    def save_assets(self, dir_path) -> None:
        self._lookup.save_assets(dir_path)
        inner = os.path.join(dir_path, "_lookup_layer")
        os.makedirs(inner, exist_ok=True)
        self._lookup.save_assets(inner)

    def load_assets(self, dir_path) -> None:
        self._lookup.load_assets(dir_path)

    def get_config(self) -> dict:
        lookup = self._lookup.get_config()
        for name in ("standardize", "split"):
            value = getattr(self, name)
            if callable(value):
                raise LayerfitValueError(
                    explain(
                        f"TextVectorization({name}=<function>) cannot be written to a config.",
                        f"a built-in {name} mode to save the layer with the model.",
                        f"save the vocabulary instead: layer.get_vocabulary(); or pass "
                        f"{name} again when rebuilding the layer.",
                    )
                )
        return {
            **super().get_config(),
            "max_tokens": self.max_tokens,
            "standardize": self.standardize,
            "split": self.split,
            "ngrams": self.ngrams,
            "output_mode": self.output_mode,
            "output_sequence_length": self.output_sequence_length,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary": lookup["vocabulary"],
            "idf_weights": lookup["idf_weights"],
            "sparse": False,
            "ragged": False,
            "encoding": self.encoding,
        }


class _Documents:
    """Token lists handed to the lookup's adapt as one dataset of single-document batches."""

    def __init__(self, documents):
        self.documents = documents

    def __iter__(self):
        for tokens in self.documents:
            yield np.asarray(tokens, dtype=object)
