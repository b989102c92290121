"""Keras's ``utils.Config``: a dict whose entries are also attributes, that can be frozen."""

from __future__ import annotations

import copy
import json

from layerfit.errors import LayerfitValueError, explain


class Config:
    """A mutable mapping with attribute access, as Keras's ``keras.utils.Config``.

    Example:
    >>> config = layerfit.utils.Config(learning_rate=0.1, momentum=0.9)
    >>> config.learning_rate
    0.1
    >>> config.freeze()  # further changes raise
    """

    __attrs__ = None

    def __init__(self, **kwargs):
        object.__setattr__(self, "_config", kwargs)
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self) -> bool:
        return self._frozen

    def freeze(self) -> None:
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self) -> None:
        object.__setattr__(self, "_frozen", False)

    def _refuse_when_frozen(self, what: str) -> None:
        if self._frozen:
            raise LayerfitValueError(
                explain(
                    f"Cannot {what}: this Config is frozen.",
                    "an unfrozen Config.",
                    "call config.unfreeze() first.",
                )
            )

    def __getattr__(self, name):
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        raise AttributeError(f"Config has no entry {name!r}; it has {sorted(config)}.")

    def __setattr__(self, name, value):
        self._refuse_when_frozen(f"set {name!r}")
        self._config[name] = value

    def __delattr__(self, name):
        self._refuse_when_frozen(f"delete {name!r}")
        del self._config[name]

    def __getitem__(self, key):
        return self._config[key]

    def __setitem__(self, key, value):
        self.__setattr__(key, value)

    def __delitem__(self, key):
        self.__delattr__(key)

    def __contains__(self, item) -> bool:
        return item in self._config

    def __len__(self) -> int:
        return len(self._config)

    def __iter__(self):
        return iter(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"

    def __copy__(self):
        return Config(**self._config)

    def __deepcopy__(self, memo):
        return Config(**copy.deepcopy(self._config, memo))

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def get(self, key, default=None):
        return self._config.get(key, default)

    def update(self, *args, **kwargs):
        self._refuse_when_frozen("update")
        self._config.update(*args, **kwargs)

    def pop(self, *args):
        self._refuse_when_frozen("pop")
        return self._config.pop(*args)

    def as_dict(self) -> dict:
        return copy.copy(self._config)

    def to_json(self) -> str:
        return json.dumps(self._config)
