"""Keras's ``keras.distribution`` API, mapped onto torch.distributed (data parallelism).

One process per device, as ``torchrun`` starts them: ``torchrun --nproc_per_node=2
train.py`` runs an unchanged script data-parallel (the process group is joined on the first
``fit``/``evaluate``/``predict``). ``DataParallel`` and ``set_distribution`` are accepted
for scripts written for Keras; model parallelism (``ModelParallel``, ``LayoutMap``,
``DeviceMesh`` layouts) is not supported and says so.
"""

from layerfit.distribution._api import (
    DataParallel,
    DeviceMesh,
    LayoutMap,
    ModelParallel,
    TensorLayout,
    distribute_tensor,
    distribution,
    get_device_count,
    initialize,
    list_devices,
    set_distribution,
)

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "set_distribution",
]
