"""Global session state: automatic layer/model names and random seeds."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import numpy as np
import torch

_name_counts: defaultdict[str, int] = defaultdict(int)


def snake_case(class_name: str) -> str:
    """'Dense' -> 'dense', 'MaxPooling2D' -> 'max_pooling2d', as Keras names layers."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix: str) -> str:
    """'dense', then 'dense_1', 'dense_2', ... until ``clear_session``."""
    count = _name_counts[prefix]
    _name_counts[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


_uids: defaultdict[str, int] = defaultdict(int)


def get_uid(prefix: str = "") -> int:
    """1, 2, 3, ... per ``prefix`` until ``clear_session``, as Keras's ``backend.get_uid``."""
    _uids[prefix] += 1
    return _uids[prefix]


def clear_session(free_memory: bool = True) -> None:
    """Resets automatic names (the next Dense is 'dense' again) and frees cached memory.

    Args:
        free_memory: also run Python's garbage collector and release torch's cached GPU
            memory (slow with a large heap, so tests pass False). Defaults to True.
    """
    _name_counts.clear()
    _uids.clear()
    from layerfit import _registry

    _registry.reset_warnings()
    if not free_memory:
        return
    import gc

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def set_random_seed(seed: int) -> None:
    """Seeds Python, NumPy and torch so two runs give identical weights and histories."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        from layerfit.errors import LayerfitTypeError, explain

        raise LayerfitTypeError(
            explain(f"set_random_seed got {seed!r}.", "an integer seed.", "set_random_seed(42)")
        )
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)
    torch.manual_seed(int(seed))
