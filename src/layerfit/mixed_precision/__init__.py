"""Mixed precision, as ``keras.mixed_precision``: weights in float32, math in a half type.

Under ``set_global_policy("mixed_bfloat16")`` (or "mixed_float16") each layer made afterwards
keeps its weights in float32 and runs its call under ``torch.autocast`` with the half type:
matmuls and convolutions in half, reductions and losses in float32 (autocast's op lists).
``LossScaleOptimizer`` scales float16 losses so that small gradients survive.
"""

from layerfit.mixed_precision._policy import (
    DTypePolicy,
    Policy,
    dtype_policy,
    global_policy,
    set_dtype_policy,
    set_global_policy,
)
from layerfit.optimizers._loss_scale import LossScaleOptimizer

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
