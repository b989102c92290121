"""Random ops with Keras 3's names and seeds: ``from layerfit import random``."""

from layerfit.random._random import (
    SeedGenerator,
    categorical,
    dropout,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)

__all__ = [
    "SeedGenerator",
    "categorical",
    "dropout",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]
