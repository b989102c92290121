"""A hand-derived train step for plain Dense stacks: no autograd graph, a few kernels per layer.

The seeds' own models (``Sequential([Input, Dense(relu), ..., Dense(softmax)])`` with a
cross-entropy loss) spend most of a small step on per-op overhead: autograd records a node per
op, the engine walks them back, the loss is a chain of small ops. For such a stack the gradients
are short formulas, so this step computes them directly: per layer one ``addmm`` forward, one
``mm`` for the kernel's gradient (into a buffer kept across steps), one ``sum`` for the bias's,
one ``mm`` and one activation derivative back to the layer below; the final softmax/sigmoid and
its cross-entropy give ``d loss / d logits`` in closed form. The optimizer then updates from
``param.grad`` exactly as after ``loss.backward()``.

``DenseStackStep.plan`` accepts only what it can reproduce (the same loss and gradients as the
autograd path, to float rounding); anything else keeps the plain step, silently, and so does a
batch that does not fit (another dtype, a dict of inputs).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import activations
from layerfit.backend import distributed
from layerfit.layers._core import Dense
from layerfit.optimizers._optimizer import Optimizer


def _relu_grad(grad: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
    # autograd's own relu derivative: one kernel, no bool mask cast to float.
    return torch.ops.aten.threshold_backward(grad, output, 0)


def _linear_grad(grad: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
    return grad


def _tanh_grad(grad: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
    return grad.mul_(1 - output * output)


def _sigmoid_grad(grad: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
    return grad.mul_(output * (1 - output))


# Hidden activations whose derivative is a function of their output: (forward in place, backward).
_HIDDEN = {
    activations.relu: (torch.relu_, _relu_grad),
    activations.linear: (None, _linear_grad),
    activations.tanh: (torch.tanh_, _tanh_grad),
    activations.sigmoid: (torch.sigmoid_, _sigmoid_grad),
}
_LOSSES = {
    "softmax": ("categorical_crossentropy", "sparse_categorical_crossentropy"),
    "sigmoid": ("binary_crossentropy",),
}
_DTYPES = (torch.float32, torch.float64)


class DenseStackStep:
    """The forward, loss and gradients of a plain Dense stack with a fused softmax/sigmoid loss.

    Call it with a batch: it sets each weight's ``.grad`` and returns ``(loss, predictions)``
    (the probabilities the metrics read), or None when the batch does not fit this path.
    """

    def __init__(self, layers: list, activation: str, loss_name: str):
        self.layers = layers
        self.hidden = [_HIDDEN[layer.activation] for layer in layers[:-1]]
        self.activation = activation
        self.loss_name = loss_name
        self.buffers: dict[int, torch.Tensor] = {}  # id(param) -> its gradient buffer

    @classmethod
    def plan(cls, model, activation: str | None, loss) -> DenseStackStep | None:
        """The step for ``model`` if it is a plain Dense stack this path reproduces, else None."""
        # Exactly layerfit's Sequential: a subclass may change call().
        if type(model).__module__ != "layerfit.models._sequential" or activation not in _LOSSES:
            return None
        name = getattr(loss, "fn_name", None)
        layers = list(getattr(model, "_stack", ()))
        if name not in _LOSSES[activation] or not layers or getattr(model, "jit_compile", False):
            return None
        if torch.nn.modules.module._global_forward_hooks or any(
            not _plain_dense(layer) for layer in layers
        ):
            return None
        if any(layer.activation not in _HIDDEN for layer in layers[:-1]):
            return None
        dtypes = {p.dtype for p in model.parameters()}
        if len(dtypes) != 1 or dtypes.pop() not in _DTYPES:
            return None
        return cls(layers, activation, name)

    def applies(self, model, x, target, sample_weight) -> bool:
        """Whether this batch (and the current optimizer) can take the hand-derived step."""
        optimizer = model.optimizer  # a user may assign a new one between fits
        kernel = self.layers[0].kernel
        return (
            type(x) is torch.Tensor
            and x.dim() == 2
            and x.dtype is kernel.dtype
            and x.shape[1] == kernel.shape[0]
            and type(target) is torch.Tensor
            and self._target_fits(target, x.shape[0])
            and (sample_weight is None or type(sample_weight) is torch.Tensor)
            and optimizer.loss_scale_factor is None
            and type(optimizer).scale_loss is Optimizer.scale_loss
            and not distributed.world().active
        )

    def _target_fits(self, target: torch.Tensor, rows: int) -> bool:
        units = self.layers[-1].units
        if self.loss_name == "sparse_categorical_crossentropy":
            return target.numel() == rows and not target.is_floating_point()
        if self.loss_name == "binary_crossentropy":
            return target.numel() == rows * units and target.dtype is self.layers[0].kernel.dtype
        return tuple(target.shape) == (rows, units) and target.dtype is self.layers[0].kernel.dtype

    @torch.no_grad()
    def __call__(self, x: torch.Tensor, target: torch.Tensor, sample_weight):
        layers = self.layers
        outputs = [x]  # each layer's input, then the logits
        for layer, (forward, _) in zip(layers[:-1], self.hidden):
            h = _linear(layer, outputs[-1])
            outputs.append(forward(h) if forward is not None else h)
        logits = _linear(layers[-1], outputs[-1])
        loss, probabilities, grad = self._loss_and_grad(logits, target, sample_weight)
        for index in range(len(layers) - 1, -1, -1):
            layer, inputs = layers[index], outputs[index]
            torch.mm(inputs.t(), grad, out=self._grad_buffer(layer.kernel))
            if layer.bias is not None:
                torch.sum(grad, 0, out=self._grad_buffer(layer.bias))
            if index:
                grad = self.hidden[index - 1][1](torch.mm(grad, layer.kernel.t()), inputs)
        return loss, probabilities

    def _loss_and_grad(self, logits, target, sample_weight):
        """(mean loss, probabilities, d loss / d logits) of the fused activation + cross-entropy;
        the loss as ``compiled.fused_loss`` computes it (Keras's sum_over_batch_size)."""
        rows = logits.shape[0]
        if self.activation == "sigmoid":
            target = target.reshape(logits.shape) if target.numel() == logits.numel() else target
            per_sample = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
            per_sample = per_sample.mean(-1)
            probabilities = torch.sigmoid(logits)
            grad = (probabilities - target).div_(rows * logits.shape[1])
        else:
            log_probabilities = torch.log_softmax(logits, -1)
            probabilities = log_probabilities.exp()
            if self.loss_name == "sparse_categorical_crossentropy":
                labels = target.reshape(-1) if target.dim() == logits.dim() else target
                labels = labels.long()
                per_sample = F.nll_loss(log_probabilities, labels, reduction="none")
                grad = probabilities.clone()
                grad[torch.arange(rows, device=grad.device), labels] -= 1
                grad.div_(rows)
            else:
                per_sample = -(target * log_probabilities).sum(-1)
                # d/dz of -sum(y * log_softmax(z)) = softmax(z) * sum(y) - y
                grad = (probabilities * target.sum(-1, keepdim=True)).sub_(target).div_(rows)
        if sample_weight is None:
            return per_sample.mean(), probabilities, grad
        weights = sample_weight.reshape(per_sample.shape).to(per_sample.dtype)
        loss = (per_sample * weights).sum() / rows
        return loss, probabilities, grad.mul_(weights.unsqueeze(-1))

    def _grad_buffer(self, param: torch.Tensor) -> torch.Tensor:
        """The gradient buffer of ``param``, set as its ``.grad`` (kept across steps: the
        optimizer clears ``.grad`` after each update, the buffer is written again next step)."""
        buffer = self.buffers.get(id(param))
        if buffer is None or buffer.shape != param.shape or buffer.device != param.device:
            buffer = self.buffers[id(param)] = torch.empty_like(param)
        param.grad = buffer
        return buffer


def _linear(layer, inputs: torch.Tensor) -> torch.Tensor:
    if layer.bias is None:
        return torch.mm(inputs, layer.kernel)
    return torch.addmm(layer.bias, inputs, layer.kernel)


def _plain_dense(layer) -> bool:
    """A built Dense layer computing only ``activation(x @ kernel + bias)``, all of it trained."""
    return (
        type(layer) is Dense
        and layer.built
        and layer.activity_regularizer is None
        and layer.kernel_regularizer is None
        and layer.bias_regularizer is None
        and layer.kernel_constraint is None
        and layer.bias_constraint is None
        and getattr(layer, "_autocast", None) is None
        and not layer._makes_masks
        and not layer._forward_hooks
        and not layer._forward_pre_hooks
        and all(p.requires_grad for p in layer.parameters())
    )
