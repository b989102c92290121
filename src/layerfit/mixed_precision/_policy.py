"""Dtype policies: a variable dtype and a compute dtype under one name, as Keras's."""

from __future__ import annotations

import torch

from layerfit import config


class DTypePolicy:
    """A layer's dtypes: its weights' (``variable_dtype``) and its math's (``compute_dtype``).

    Args:
        name: 'float32', 'float64', 'float16', 'bfloat16', 'mixed_float16' or
            'mixed_bfloat16'. Defaults to the global policy's name.

    Example:
    >>> DTypePolicy("mixed_bfloat16").compute_dtype
    'bfloat16'
    """

    def __init__(self, name=None):
        name = getattr(name, "name", name) or config.dtype_policy()
        if name not in config._POLICIES:
            config.set_dtype_policy(name)  # raises the error that lists the policies
        self.name = name
        mixed = name.startswith("mixed_")
        self.compute_dtype = name.removeprefix("mixed_")
        self.variable_dtype = "float32" if mixed else name

    @property
    def is_mixed(self) -> bool:
        return self.name.startswith("mixed_")

    @property
    def autocast_dtype(self) -> torch.dtype | None:
        """The half type a mixed policy computes in (None for a plain policy)."""
        return getattr(torch, self.compute_dtype) if self.is_mixed else None

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config_dict: dict) -> DTypePolicy:
        return cls(**config_dict)

    def __eq__(self, other) -> bool:
        return getattr(other, "name", other) == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self.name}">'


Policy = DTypePolicy  # Keras keeps the older name as an alias


def set_global_policy(policy) -> None:
    """Sets the policy of the layers made from now on ('mixed_bfloat16', 'float32', ...)."""
    config.set_dtype_policy(policy)


def global_policy() -> DTypePolicy:
    """The policy new layers get when they are not given a dtype."""
    return DTypePolicy(config.dtype_policy())


set_dtype_policy = set_global_policy  # Keras's newer names for the same two functions
dtype_policy = global_policy
