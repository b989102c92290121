"""FeatureSpace: Keras's one-stop preprocessing of structured (tabular) data, on our layers.

Each feature gets a preprocessing layer (Normalization, Discretization, StringLookup,
IntegerLookup, Hashing, Rescaling, or one you give), features can be crossed with
HashedCrossing, and the results are one-hot encoded (CategoryEncoding) and concatenated, or
returned as a dict, with Keras's rules: features then crosses, each in sorted name order.
It runs on dicts of numpy arrays, lists, pandas columns or tensors (batched or one sample),
on layerfit's ``Dataset`` (``adapt`` and ``map``), and symbolically (``get_inputs`` /
``get_encoded_features``) to build a model that takes raw dict inputs. Keras needs
TensorFlow for it on every backend; this one needs nothing more than layerfit.

The preprocessors are held in plain dicts, not as torch submodules: a FeatureSpace has no
weights, and its config carries everything it learned (vocabularies, bin boundaries, and the
adapted mean and variance of Normalization), so ``save`` / ``load_model`` round-trip it.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit.backend import unique_name
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._categorical import CategoryEncoding, Discretization
from layerfit.layers._feature_normalization import Normalization
from layerfit.layers._hashed_crossing import HashedCrossing
from layerfit.layers._hashing import Hashing
from layerfit.layers._input import Input
from layerfit.layers._layer import Layer
from layerfit.layers._lookup import IntegerLookup, StringLookup, as_array
from layerfit.layers._merge import Concatenate
from layerfit.layers._preprocessing import Rescaling
from layerfit.layers._reshaping_nd import Identity
from layerfit.layers._symbolic import KerasTensor

_MODULE = "keras.src.layers.preprocessing.feature_space"
FEATURE_MODES = ("int", "one_hot", "float")
CROSS_MODES = ("int", "one_hot")
SPACE_MODES = ("dict", "concat")
FEATURE_TYPES = (
    "float",
    "float_normalized",
    "float_rescaled",
    "float_discretized",
    "integer_categorical",
    "string_categorical",
    "integer_hashed",
    "string_hashed",
)


def _check_mode(what: str, output_mode, allowed) -> None:
    if output_mode not in allowed:
        raise LayerfitValueError(
            explain(
                f"{what} got output_mode={output_mode!r}.",
                f"one of {list(allowed)}.",
                f"output_mode={allowed[-1]!r}",
            )
        )


def _serialized(kind: str, config: dict) -> dict:
    return {"module": _MODULE, "class_name": kind, "config": config, "registered_name": None}


class Cross:
    """A feature cross: the named features hashed together into ``crossing_dim`` buckets."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        _check_mode("FeatureSpace.cross", output_mode, CROSS_MODES)
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {
            "feature_names": list(self.feature_names),
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class Feature:
    """One feature: its input dtype, its preprocessing layer and how its result is encoded."""

    def __init__(self, dtype, preprocessor, output_mode):
        _check_mode("FeatureSpace.feature", output_mode, FEATURE_MODES)
        if isinstance(preprocessor, dict):
            from layerfit.layers._serialization import deserialize

            preprocessor = deserialize(preprocessor)
        if not isinstance(preprocessor, Layer):
            raise LayerfitValueError(
                explain(
                    f"FeatureSpace.feature got preprocessor={preprocessor!r}.",
                    "a layer (for example layers.TextVectorization(output_mode='tf_idf')).",
                    "FeatureSpace.feature(dtype='string', preprocessor=layer, output_mode='float')",
                )
            )
        self.dtype = dtype
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        from layerfit.layers._serialization import serialize

        entry = serialize(self.preprocessor)
        layer = self.preprocessor
        if isinstance(layer, Normalization) and layer.fixed_mean is None and layer.built:
            # The adapted statistics travel in the config (a FeatureSpace has no weights).
            entry["config"]["mean"] = layer.mean.detach().cpu().reshape(-1).tolist()
            entry["config"]["variance"] = layer.variance.detach().cpu().reshape(-1).tolist()
        return {"dtype": self.dtype, "preprocessor": entry, "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def _from_entry(entry, cls):
    """A Feature/Cross, its config, or its serialized form (``{"class_name": ..., "config":
    ...}``, Keras's)."""
    if isinstance(entry, dict) and "class_name" not in entry and cls is Feature:
        return cls.from_config(dict(entry))
    if isinstance(entry, dict):
        if entry.get("class_name") != cls.__name__ or not isinstance(entry.get("config"), dict):
            raise LayerfitValueError(
                explain(
                    f"FeatureSpace got a saved entry {entry!r}.",
                    f"a serialized {cls.__name__} (class_name {cls.__name__!r} and a config).",
                    "pass FeatureSpace.feature(...)/FeatureSpace.cross(...) objects, or the "
                    "config FeatureSpace.get_config() wrote.",
                )
            )
        return cls.from_config(dict(entry["config"]))
    return entry


class FeatureSpace(Layer):
    """One-stop preprocessing and encoding of structured data (Keras's ``utils.FeatureSpace``).

    Args:
        features: a dict mapping each feature name to a type name (``"float"``,
            ``"float_normalized"``, ``"float_rescaled"``, ``"float_discretized"``,
            ``"integer_categorical"``, ``"string_categorical"``, ``"integer_hashed"``,
            ``"string_hashed"``) or to ``FeatureSpace.<type>(...)`` / ``FeatureSpace.feature``.
        output_mode: ``"concat"`` (one float vector) or ``"dict"`` (one entry per feature and
            cross). Defaults to "concat".
        crosses: features to cross: tuples of names or ``FeatureSpace.cross(...)``.
            Defaults to None.
        crossing_dim: buckets of a cross given as a tuple. Defaults to 32.
        hashing_dim: buckets of ``"integer_hashed"``/``"string_hashed"``. Defaults to 32.
        num_discretization_bins: bins of ``"float_discretized"``. Defaults to 32.
        name: the layer's name. Defaults to None.

    Example:
    >>> space = FeatureSpace({"x": "float_normalized", "c": "string_categorical"})
    >>> space.adapt({"x": [1.0, 3.0], "c": ["a", "b"]})
    >>> space({"x": [1.0, 3.0], "c": ["a", "b"]}).tolist()
    [[0.0, 0.0, 1.0, -1.0], [0.0, 1.0, 0.0, 1.0]]
    """

    # -- feature types ---------------------------------------------------------------------
    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = name or unique_name("float")
        return Feature("float32", Identity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = name or unique_name("float_rescaled")
        layer = Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature("float32", layer, "float")

    @classmethod
    def float_normalized(cls, name=None):
        name = name or unique_name("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = name or unique_name("float_discretized")
        layer = Discretization(
            num_bins=num_bins if bin_boundaries is None else None,
            bin_boundaries=bin_boundaries,
            name=f"{name}_preprocessor",
        )
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        name = name or unique_name("integer_categorical")
        layer = IntegerLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature("int32", layer, output_mode)

    @classmethod
    def string_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        name = name or unique_name("string_categorical")
        layer = StringLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature("string", layer, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or unique_name("string_hashed")
        return Feature("string", Hashing(num_bins, name=f"{name}_preprocessor"), output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or unique_name("integer_hashed")
        return Feature("int32", Hashing(num_bins, name=f"{name}_preprocessor"), output_mode)

    # -- construction ----------------------------------------------------------------------
    def __init__(
        self,
        features,
        output_mode="concat",
        crosses=None,
        crossing_dim=32,
        hashing_dim=32,
        num_discretization_bins=32,
        name=None,
    ):
        super().__init__(name=name)
        if not features or not isinstance(features, dict):
            raise LayerfitValueError(
                explain(
                    f"FeatureSpace got features={features!r}.",
                    "a non-empty dict mapping feature names to feature types.",
                    "FeatureSpace(features={'age': 'float_normalized', 'city': "
                    "'string_categorical'})",
                )
            )
        _check_mode("FeatureSpace", output_mode, SPACE_MODES)
        self.output_mode = output_mode
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: self._standardize_feature(key, v) for key, v in features.items()}
        self.crosses = [self._standardize_cross(c) for c in crosses or ()]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.inputs = {
            key: Input(shape=(1,), dtype=feature.dtype, name=key)
            for key, feature in self.features.items()
        }
        self.preprocessors = {key: f.preprocessor for key, f in self.features.items()}
        self.crossers = {c.name: HashedCrossing(c.crossing_dim, name=c.name) for c in self.crosses}
        self.one_hot_encoders: dict = {}
        self.concat = Concatenate(axis=-1) if output_mode == "concat" else None
        self.encoded_features = None
        self._is_adapted = False
        self._checked = False
        self.built = True

    def _standardize_feature(self, key, feature):
        feature = _from_entry(feature, Feature)
        if isinstance(feature, Feature):
            return feature
        makers = {
            "float": lambda: self.float(name=key),
            "float_normalized": lambda: self.float_normalized(name=key),
            "float_rescaled": lambda: self.float_rescaled(name=key),
            "float_discretized": lambda: self.float_discretized(
                self.num_discretization_bins, name=key
            ),
            "integer_categorical": lambda: self.integer_categorical(name=key),
            "string_categorical": lambda: self.string_categorical(name=key),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=key),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=key),
        }
        if not isinstance(feature, str) or feature not in makers:
            raise LayerfitValueError(
                explain(
                    f"FeatureSpace got feature type {feature!r} for {key!r}.",
                    f"one of {list(FEATURE_TYPES)}, or FeatureSpace.<type>(...).",
                    f"features={{{key!r}: 'float_normalized'}}",
                )
            )
        return makers[feature]()

    def _standardize_cross(self, cross):
        cross = _from_entry(cross, Cross)
        if not isinstance(cross, Cross):
            if not self.crossing_dim:
                raise LayerfitValueError(
                    explain(
                        f"FeatureSpace got crosses with crossing_dim={self.crossing_dim!r}.",
                        "crossing_dim, the number of buckets of each cross.",
                        "crossing_dim=32",
                    )
                )
            cross = Cross(cross, crossing_dim=self.crossing_dim)
        unknown = [key for key in cross.feature_names if key not in self.features]
        if unknown or len(cross.feature_names) < 2:
            raise LayerfitValueError(
                explain(
                    f"FeatureSpace got the cross {cross.feature_names!r}: "
                    f"{unknown or 'fewer than two features'}.",
                    "two or more names of features in the features dict.",
                    f"crosses=[({', '.join(repr(k) for k in list(self.features)[:2])})]",
                )
            )
        return cross

    # -- adapt -----------------------------------------------------------------------------
    def _list_adaptable_preprocessors(self) -> list:
        names = []
        for key, layer in self.preprocessors.items():
            if isinstance(layer, Normalization) and layer.fixed_mean is not None:
                continue
            if isinstance(layer, Discretization) and layer.num_bins is None:
                continue  # given bin_boundaries
            if getattr(layer, "_has_input_vocabulary", False):
                continue
            if hasattr(layer, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset) -> None:
        """Adapts every feature's preprocessor (vocabularies, statistics, bins) to the data:
        a ``Dataset`` (or any iterable) of dicts, batched or not, or a dict of columns."""
        batches = {key: [] for key in self._list_adaptable_preprocessors()}
        pending = {key: [] for key in batches}  # unbatched scalars, batched by 32 as Keras
        for element in self._elements(dataset):
            for key in batches:
                if key not in element:
                    raise self._keys_error(element, "adapt")
                value = _column(element[key])
                if value.ndim == 0:
                    pending[key].append(value)
                    if len(pending[key]) == 32:
                        batches[key].append(np.stack(pending[key])[:, None])
                        pending[key] = []
                else:
                    batches[key].append(value[:, None] if value.ndim == 1 else value)
        for key in batches:
            if pending[key]:
                batches[key].append(np.stack(pending[key])[:, None])
            layer = self.preprocessors[key]
            if not batches[key]:
                raise LayerfitValueError(
                    explain(
                        "FeatureSpace.adapt got an empty dataset.",
                        "at least one sample of every feature.",
                        "adapt on the training data: feature_space.adapt(train_ds.map(lambda "
                        "x, y: x)).",
                    )
                )
            if isinstance(layer, Normalization):
                layer.adapt(np.concatenate(batches[key]).astype("float32"))
            else:
                layer.adapt(iter(batches[key]))  # batch by batch, as Keras's adapt
        self._is_adapted = True
        self._check_if_built()

    def _elements(self, dataset):
        if hasattr(dataset, "columns") and hasattr(dataset, "to_numpy"):  # pandas DataFrame
            dataset = {key: dataset[key].to_numpy() for key in dataset.columns}
        if isinstance(dataset, dict):
            yield {key: _column(value) for key, value in dataset.items()}
            return
        if not hasattr(dataset, "__iter__") or isinstance(dataset, (str, bytes, np.ndarray)):
            raise LayerfitValueError(
                explain(
                    f"FeatureSpace.adapt got {type(dataset).__name__}.",
                    "a Dataset (or iterable) of dicts of features, or a dict of columns.",
                    "feature_space.adapt(train_ds.map(lambda x, y: x)) or "
                    "feature_space.adapt(dict(dataframe)).",
                )
            )
        for element in dataset:
            if isinstance(element, (tuple, list)):
                raise LayerfitValueError(
                    explain(
                        "FeatureSpace.adapt got a dataset of (features, label) pairs.",
                        "a dataset of feature dicts only.",
                        "feature_space.adapt(train_ds.map(lambda x, y: x)).",
                    )
                )
            if not isinstance(element, dict):
                raise LayerfitValueError(
                    explain(
                        f"FeatureSpace.adapt got elements of type {type(element).__name__}.",
                        "dicts mapping feature names to values.",
                        "build the dataset from a dict: Dataset.from_tensor_slices(dict(df)).",
                    )
                )
            yield element

    # -- building --------------------------------------------------------------------------
    def _check_if_adapted(self) -> None:
        if self._is_adapted:
            return
        if all(_has_state(self.preprocessors[k]) for k in self._list_adaptable_preprocessors()):
            self._is_adapted = True  # nothing to learn, or rebuilt from a saved config
            return
        raise LayerfitValueError(
            explain(
                "The FeatureSpace is used before adapt(): its vocabularies, statistics and "
                "bins are not learned yet.",
                "feature_space.adapt(data) first.",
                "feature_space.adapt(train_ds.map(lambda x, y: x)), then call it.",
            )
        )

    def _check_if_built(self) -> None:
        """Makes the one-hot encoders and checks the output plan, once, after adapt."""
        if self._checked:
            return
        self._check_if_adapted()
        for key in self._names():
            spec = self.features.get(key) or self.crosses_by_name[key]
            layer = self.preprocessors.get(key) or self.crossers.get(key)
            if spec.output_mode == "one_hot":
                depth = _cardinality(layer)
                if depth is None:
                    raise LayerfitValueError(
                        explain(
                            f"Feature {key!r} has output_mode='one_hot', but its preprocessor "
                            f"({type(layer).__name__}) has no known number of categories.",
                            "one_hot with StringLookup, IntegerLookup, Hashing, "
                            "Discretization, CategoryEncoding or a cross.",
                            "use output_mode='int' (or 'float') for this feature.",
                        )
                    )
                self.one_hot_encoders[key] = CategoryEncoding(
                    num_tokens=depth, output_mode="multi_hot"
                )
            elif self.output_mode == "concat" and spec.output_mode == "int":
                raise LayerfitValueError(
                    explain(
                        f"Cannot concatenate feature {key!r}: it is not encoded "
                        "(output_mode='int' gives integer indices).",
                        "every feature encoded (output_mode 'one_hot' or 'float') with "
                        "output_mode='concat'.",
                        "use FeatureSpace(..., output_mode='dict'), or one_hot for this feature.",
                    )
                )
        self._checked = True

    def _names(self) -> list:
        return sorted(self.features) + sorted(self.crosses_by_name)

    def get_inputs(self) -> dict:
        """The ``keras.Input`` of each feature, shape (1,), in a dict by name."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features as symbolic tensors (one, or a dict), to build a model on."""
        self._check_if_built()
        if self.encoded_features is None:
            processed = {}
            for key, tensor in self.inputs.items():
                processed[key] = out = self.preprocessors[key](tensor)
                if _gives_indices(self.preprocessors[key]):
                    out.dtype = "int64"
            crossed = {}
            for cross in self.crosses:
                crossed[cross.name] = out = self.crossers[cross.name](
                    [processed[key] for key in cross.feature_names]
                )
                out.dtype = "int64"
            self.encoded_features = self._merge(processed, crossed)
        return self.encoded_features

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, data):
        self._check_if_built()
        if hasattr(data, "columns") and hasattr(data, "to_numpy"):  # pandas DataFrame
            data = {key: data[key].to_numpy() for key in data.columns}
        if not isinstance(data, dict):
            raise LayerfitValueError(
                explain(
                    f"A FeatureSpace was called on {type(data).__name__}.",
                    "a dict mapping each feature name to its values (batched or one sample).",
                    "feature_space({'age': [54.0], 'city': ['Seoul']}), or "
                    "dataset.map(lambda x, y: (feature_space(x), y)).",
                )
            )
        if set(data) != set(self.features):
            raise self._keys_error(data, "call")
        columns, rebatched = {}, False
        for key, value in data.items():
            value = _as_input(value, self.features[key].dtype)
            if value.ndim == 0:
                value, rebatched = value.reshape(1, 1), True
            elif value.ndim == 1:
                value = value[:, None]
            columns[key] = value
        processed = {key: self.preprocessors[key](value) for key, value in columns.items()}
        crossed = {
            cross.name: self.crossers[cross.name]([processed[k] for k in cross.feature_names])
            for cross in self.crosses
        }
        merged = self._merge(processed, crossed)
        if rebatched:
            if self.output_mode == "concat":
                return merged.squeeze(0)
            return {
                key: x.squeeze(0) if x.dim() == 2 and x.shape[0] == 1 else x
                for key, x in merged.items()
            }
        return merged

    def _merge(self, processed: dict, crossed: dict):
        values = {**processed, **crossed}
        encoded = {}
        for key in self._names():
            value = values[key]
            encoder = self.one_hot_encoders.get(key)
            if encoder is not None:
                value = encoder(value)
            elif isinstance(value, torch.Tensor) and self.output_mode == "concat":
                value = value.float()
            encoded[key] = value
        if self.output_mode == "dict":
            return encoded
        return self.concat(list(encoded.values()))

    def _keys_error(self, data: dict, where: str) -> LayerfitValueError:
        missing = sorted(set(self.features) - set(data))
        extra = sorted(set(data) - set(self.features)) if where == "call" else []
        return LayerfitValueError(
            explain(
                f"FeatureSpace.{where} got a dict with features missing {missing} and "
                f"unknown keys {extra}.",
                f"exactly the features {sorted(self.features)}.",
                "pass one entry per feature (drop the label and unused columns: "
                "{k: x[k] for k in feature_space.features}).",
            )
        )

    # -- saving ----------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            "name": self.name,
            "features": {
                # Plain configs: saving's dtype check reads a "dtype" under a class_name as
                # a weight dtype, and a feature's dtype is its input's ("string", "int32").
                key: f.get_config()
                for key, f in self.features.items()
            },
            "output_mode": self.output_mode,
            "crosses": [_serialized("Cross", c.get_config()) for c in self.crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def save(self, filepath) -> None:
        """Saves the FeatureSpace to a ``.keras`` file; ``keras.models.load_model`` reloads it."""
        from layerfit.saving import save_model

        save_model(self, filepath)


def _column(value) -> np.ndarray:
    array = as_array(value)
    return array.astype(object) if array.dtype.kind == "U" else array


def _as_input(value, dtype: str):
    """One feature's values as its preprocessor takes them: strings and integers as numpy
    arrays (lookups and hashing read them on the CPU), floats as float32 tensors."""
    if isinstance(value, KerasTensor):
        return value
    if dtype == "float32":
        if isinstance(value, torch.Tensor):
            return value.float()
        return torch.tensor(np.asarray(as_array(value), dtype="float32"))  # a copy
    array = as_array(value)
    if dtype != "string" and array.dtype.kind == "f":
        raise LayerfitValueError(
            explain(
                f"A FeatureSpace integer feature got float values (dtype {array.dtype}).",
                "integers for integer_categorical / integer_hashed features.",
                "cast the column to int (df[col].astype('int64')), or declare it "
                "'float_normalized' / 'float_discretized'.",
            )
        )
    return array


def _has_state(layer) -> bool:
    if isinstance(layer, Normalization):
        return layer.fixed_mean is not None
    if isinstance(layer, Discretization):
        return layer.bin_boundaries is not None
    if isinstance(layer, (StringLookup, IntegerLookup)):
        return bool(layer._vocabulary)
    return False


def _gives_indices(layer) -> bool:
    if isinstance(layer, (StringLookup, IntegerLookup, Discretization, Hashing)):
        return layer.output_mode == "int"
    return False


def _cardinality(layer):
    if isinstance(layer, (StringLookup, IntegerLookup)):
        return layer.vocabulary_size()
    if isinstance(layer, CategoryEncoding):
        return layer.num_tokens
    if isinstance(layer, Discretization):
        return len(layer.bin_boundaries) + 1 if layer.bin_boundaries is not None else layer.num_bins
    if isinstance(layer, (HashedCrossing, Hashing)):
        return layer.num_bins
    return None


# Its public home is keras.utils: saved configs name that module, as Keras writes them, so a
# saved FeatureSpace (or a model holding one) loads back without custom_objects.
FeatureSpace.__module__ = "layerfit.utils"
