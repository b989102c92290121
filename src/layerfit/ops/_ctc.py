"""Connectionist temporal classification: Keras's ``ctc_loss`` and greedy ``ctc_decode``."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor


def _logits(output):
    output = convert_to_tensor(output)
    if output.dim() != 3:
        raise LayerfitValueError(
            explain(
                f"CTC got model outputs of shape {tuple(output.shape)}.",
                "logits of rank 3: (batch, time steps, classes), the blank class included.",
                "pass the model's per-step class scores, e.g. the output of a Dense(classes) "
                "applied to each time step.",
            )
        )
    return output if output.is_floating_point() else output.float()


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """The CTC loss of each sample: -log p(target | output), Keras's ``ops.ctc_loss``.

    Args:
        target: int labels (batch, max_label_length), padding past ``target_length``.
        output: logits (batch, max_time, classes); log-softmax is applied here.
        target_length: (batch,) label lengths.
        output_length: (batch,) numbers of valid time steps.
        mask_index: the blank class. Defaults to 0.

    Example:
    >>> ctc_loss([[1]], torch.zeros(1, 2, 2), [1], [2]).shape
    torch.Size([1])
    """
    logits = _logits(output)
    log_probs = F.log_softmax(logits.float() if logits.dtype.itemsize < 4 else logits, dim=-1)
    target = convert_to_tensor(target).long()
    target_length = convert_to_tensor(target_length).long().reshape(-1)
    output_length = convert_to_tensor(output_length).long().reshape(-1)
    return F.ctc_loss(
        log_probs.transpose(0, 1),  # torch: (time, batch, classes)
        target,
        output_length,
        target_length,
        blank=mask_index,
        reduction="none",
        zero_infinity=False,
    )


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):  # fmt: skip
    """Best paths through per-step class scores (batch, max_time, classes).

    Returns ``(decoded, scores)``. Greedy: decoded (1, batch, max_time) int32 labels padded
    with -1, scores (batch, 1) the negative sum of each step's best score, as Keras.
    'beam_search': prefix beam search on log-softmax scores keeping ``beam_width`` prefixes;
    decoded (top_paths, batch, max_time), scores (batch, top_paths) the paths' log
    probabilities, best first.

    Example:
    >>> decoded, _ = ctc_decode(torch.eye(3)[[1, 1, 0, 2]][None], [4])
    >>> decoded[0, 0].tolist()
    [1, 2, -1, -1]
    """
    if strategy not in ("greedy", "beam_search"):
        raise LayerfitValueError(
            explain(
                f"ctc_decode got strategy={strategy!r}.",
                "strategy='greedy' or 'beam_search'.",
                "use strategy='greedy' (the keras-io OCR example's choice).",
            )
        )
    if strategy == "beam_search":
        return _beam_search(_logits(inputs), sequence_lengths, beam_width, top_paths, mask_index)
    scores = _logits(inputs)
    batch, steps, _ = scores.shape
    lengths = convert_to_tensor(sequence_lengths).long().reshape(-1).to(scores.device)
    best, labels = scores.max(dim=-1)  # (batch, steps)
    past_end = torch.arange(steps, device=scores.device)[None] >= lengths[:, None]
    labels = torch.where(past_end, mask_index, labels)
    best = torch.where(past_end, 0.0, best)
    if merge_repeated:
        repeated = F.pad(labels[:, 1:] == labels[:, :-1], (1, 0))
        labels = torch.where(repeated, mask_index, labels)
    blank = labels == mask_index
    # Move the kept labels to the front, in order; -1 fills the rest.
    position = torch.where(blank, steps, torch.arange(steps, device=scores.device)[None])
    order = torch.argsort(position, dim=-1, stable=True)
    decoded = torch.where(blank, -1, labels).gather(1, order).to(torch.int32)
    return decoded[None], -best.sum(dim=1, keepdim=True)


def _logaddexp(a, b):
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    top = max(a, b)
    return top + math.log1p(math.exp(-abs(a - b)))


def _beam_search(logits, sequence_lengths, beam_width, top_paths, mask_index):
    """CTC prefix beam search: each prefix keeps the log probabilities of the alignments that
    end in a blank and of those that end in its last label, so repeats merge only across a
    blank; the same state as Keras's, pruned to the ``beam_width`` best prefixes each step."""
    log_probs = F.log_softmax(logits.float(), dim=-1)
    batch, steps, classes = log_probs.shape
    lengths = convert_to_tensor(sequence_lengths).reshape(-1).tolist()
    decoded = torch.full((top_paths, batch, steps), -1, dtype=torch.int32)
    scores = torch.full((batch, top_paths), -math.inf, dtype=log_probs.dtype)
    for b in range(batch):
        beams = {(): (0.0, -math.inf)}  # prefix -> (log p ending in blank, ending in label)
        for row in log_probs[b, : max(int(lengths[b]), 1)].tolist():
            grown = {}
            for prefix, (blank, label) in beams.items():
                total = _logaddexp(blank, label)
                for c, p in enumerate(row):
                    if c == mask_index:
                        key, part = prefix, 0
                        extra = total + p
                    elif prefix and prefix[-1] == c:  # a repeat extends only after a blank;
                        key, part, extra = prefix + (c,), 1, blank + p
                        kept = grown.get(prefix, (-math.inf, -math.inf))
                        grown[prefix] = (kept[0], _logaddexp(kept[1], label + p))
                    else:
                        key, part, extra = prefix + (c,), 1, total + p
                    kept = list(grown.get(key, (-math.inf, -math.inf)))
                    kept[part] = _logaddexp(kept[part], extra)
                    grown[key] = tuple(kept)
            ranked = sorted(grown.items(), key=lambda item: -_logaddexp(*item[1]))
            beams = dict(ranked[:beam_width])
        best = sorted(beams.items(), key=lambda item: -_logaddexp(*item[1]))[:top_paths]
        for k, (prefix, (blank, label)) in enumerate(best):
            decoded[k, b, : len(prefix)] = torch.tensor(prefix, dtype=torch.int32)
            scores[b, k] = _logaddexp(blank, label)
    return decoded.to(logits.device), scores.to(logits.device)
