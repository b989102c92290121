"""Augmentation policies of Keras 3: RandAugment and AugMix, built from the single layers.

Both hold the same sub-layers as Keras (shear, translation, rotation, posterization,
solarization, auto-contrast, equalization, brightness, colour degeneration, contrast,
sharpness), made with Keras's arguments from one ``factor``, and apply randomly chosen
ones to the batch during training.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._color_augment import (
    AutoContrast,
    Equalization,
    RandomColorDegeneration,
    RandomPosterization,
    RandomSharpness,
    Solarization,
    checked_value_range,
    keras_factor,
)
from layerfit.layers._geometric_augment import RandomShear
from layerfit.layers._image_crop import RandomBrightness
from layerfit.layers._preprocessing import (
    AUGMENT_INTERPOLATIONS,
    RandomContrast,
    RandomRotation,
    RandomTranslation,
    _choice,
    _RandomLayer,
)

GEOMETRIC_AND_TONE = [
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
]
COLOUR = ["random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness"]


def _count(layer: str, arg: str, value, example: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LayerfitValueError(
            explain(f"{layer} got {arg}={value!r}.", "a positive integer.", example)
        )
    return value


class _PolicyLayer(_RandomLayer):
    """Makes Keras's sub-layers from ``factor`` and runs one of them on a (N, C, H, W) batch."""

    def __init__(self, value_range, factor, interpolation, seed, data_format, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        layer = type(self).__name__
        self.value_range = checked_value_range(value_range, layer)
        self.factor = keras_factor(factor, "factor", layer, bounds=(0.0, 1.0))
        self.interpolation = _choice(AUGMENT_INTERPOLATIONS, interpolation, "interpolation", layer)

    def _make_layers(self, names: list) -> None:
        factor, value_range, seed = self.factor, self.value_range, self.seed
        interpolation = self.interpolation
        makers = {
            "random_shear": lambda: RandomShear(factor, factor, interpolation, seed=seed),
            "random_translation": lambda: RandomTranslation(
                factor, factor, interpolation=interpolation, seed=seed
            ),
            "random_rotation": lambda: RandomRotation(
                factor, interpolation=interpolation, seed=seed
            ),
            "random_posterization": lambda: RandomPosterization(
                max(1, int(8 * factor[1])), value_range, seed=seed
            ),
            "solarization": lambda: Solarization(factor, factor, value_range, seed=seed),
            "auto_contrast": lambda: AutoContrast(value_range),
            "equalization": lambda: Equalization(value_range),
            "random_brightness": lambda: RandomBrightness(factor, value_range, seed=seed),
            "random_color_degeneration": lambda: RandomColorDegeneration(
                factor, value_range, seed=seed
            ),
            "random_contrast": lambda: RandomContrast(factor, value_range, seed=seed),
            "random_sharpness": lambda: RandomSharpness(factor, value_range, seed=seed),
        }
        self._augment_layers = list(names)
        for name in names:
            setattr(self, name, makers[name]())

    def _run(self, name: str, images):
        layer = getattr(self, name)
        if isinstance(layer, AutoContrast):  # no random draw
            return layer._apply(images, {})
        return layer._augment(images)

    def _numpy_rng(self):
        """A numpy generator seeded from this layer's torch generator (for Gamma/Beta draws)."""
        seed = int(torch.randint(0, 2**31 - 1, (1,), generator=self._generator))
        return np.random.default_rng(seed)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "factor": self.factor,
            "interpolation": self.interpolation,
        }


class RandAugment(_PolicyLayer):
    """Applies ``num_ops`` augmentations chosen at random among 11 (RandAugment), in training.

    The choice is made once per batch, as in Keras; each chosen layer draws its own
    parameters per image.

    Args:
        value_range: the pixel range. Defaults to (0, 255).
        num_ops: how many augmentations to apply. Defaults to 2.
        factor: the strength of every augmentation, a number or a pair in [0, 1]
            (f means (0, f)). Defaults to 0.5.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        seed: Defaults to None (torch's global generator).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> RandAugment(seed=0)(torch.rand(2, 16, 16, 3) * 255, training=True).shape
    torch.Size([2, 16, 16, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        self.num_ops = _count("RandAugment", "num_ops", num_ops, "num_ops=2")
        self._make_layers(GEOMETRIC_AND_TONE[:3] + COLOUR + GEOMETRIC_AND_TONE[3:])

    def _augment(self, images):
        return self._apply(images, self._draw())

    def _draw(self) -> dict:
        count = len(self._augment_layers)
        return {"layer_idxes": torch.randint(0, count, (self.num_ops,), generator=self._generator)}

    def _apply(self, images, params):
        for index in params["layer_idxes"].tolist():
            images = self._run(self._augment_layers[index], images)
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "num_ops": self.num_ops}


class AugMix(_PolicyLayer):
    """Mixes the image with ``num_chains`` randomly augmented copies of itself (AugMix).

    Each chain applies up to ``chain_depth`` random augmentations (each step may be skipped,
    as in Keras); the chains are averaged with Dirichlet(alpha) weights and blended with the
    original with a Beta(alpha, alpha) weight. Outputs are clipped to ``value_range``.

    Args:
        value_range: the pixel range. Defaults to (0, 255).
        num_chains: how many augmented copies. Defaults to 3.
        chain_depth: augmentations per copy, at most. Defaults to 3.
        factor: the strength of every augmentation, a number or a pair in [0, 1].
            Defaults to 0.3.
        alpha: the Dirichlet and Beta parameter. Defaults to 1.0.
        all_ops: also use brightness, colour, contrast and sharpness (which may overlap
            the test-set corruptions in the AugMix paper). Defaults to True.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        seed: Defaults to None (torch's global generator).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> AugMix(seed=0)(torch.rand(2, 16, 16, 3) * 255, training=True).shape
    torch.Size([2, 16, 16, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        self.num_chains = _count("AugMix", "num_chains", num_chains, "num_chains=3")
        self.chain_depth = _count("AugMix", "chain_depth", chain_depth, "chain_depth=3")
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise LayerfitValueError(
                explain(f"AugMix got alpha={alpha!r}.", "a positive number.", "alpha=1.0")
            )
        self.alpha = alpha
        self.all_ops = bool(all_ops)
        self._make_layers(GEOMETRIC_AND_TONE + (COLOUR if self.all_ops else []))

    def _draw(self) -> dict:
        rng = self._numpy_rng()
        gamma = rng.gamma(self.alpha, size=self.num_chains)
        chains = []
        for _ in range(self.num_chains):
            steps = rng.integers(0, len(self._augment_layers) + 1, size=self.chain_depth)
            # The extra index is Keras's None: the step is skipped.
            chains.append([self._augment_layers[i] for i in steps if i < len(self._augment_layers)])
        return {
            "chain_mixing_weights": torch.as_tensor(gamma / gamma.sum(), dtype=torch.float32),
            "weight_sample": float(rng.beta(self.alpha, self.alpha)),
            "chains": chains,
        }

    def _augment(self, images):
        return self._apply(images, self._draw())

    def _apply(self, images, params):
        mixed = torch.zeros_like(images)
        for weight, chain in zip(params["chain_mixing_weights"].tolist(), params["chains"]):
            copy = images
            for name in chain:
                copy = self._run(name, copy)
            mixed = mixed + copy * weight
        weight = params["weight_sample"]
        return (weight * images + (1 - weight) * mixed).clamp(*self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
        }
