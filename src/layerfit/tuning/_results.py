"""The results of a search: the sorted table, and the plot of score against each parameter.

pandas and matplotlib are imported inside the functions that use them.
"""

from __future__ import annotations

import math

from layerfit.tuning._space import RESULT_COLUMNS

_STATUS_ORDER = {"ok": 0, "pruned": 1, "diverged": 2, "error": 3}


def ranked(records: list[dict], direction: str, order: dict[str, int]) -> list[dict]:
    """Best first; diverged then failed trials last; ties in the order trials were planned."""

    def key(record):
        score = record["score"]
        rank = _STATUS_ORDER.get(record["status"], 4)
        value = 0.0 if score is None else (score if direction == "min" else -score)
        return rank, value, order.get(record["trial_id"], len(order))

    return sorted(records, key=key)


def table(records: list[dict], param_names: list[str]):
    """A pandas DataFrame when pandas is installed, else a list of dicts (same columns)."""
    rows = []
    for record in records:
        row = {name: record["params"].get(name) for name in param_names}
        row.update({column: record.get(column) for column in RESULT_COLUMNS})
        row["score"] = math.nan if row["score"] is None else row["score"]
        rows.append(row)
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame(rows, columns=[*param_names, *RESULT_COLUMNS])


def plot_scores(records: list[dict], param_names: list[str], objective: str):
    """One panel per parameter: the score of every finished trial against its value."""
    import matplotlib.pyplot as plt

    finished = [r for r in records if r["status"] == "ok"]
    columns = min(3, len(param_names))
    rows = math.ceil(len(param_names) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.4 * rows), squeeze=False)
    scores = [r["score"] for r in finished]
    for ax, name in zip(axes.flat, param_names):
        values = [r["params"].get(name) for r in finished]
        _scatter(ax, values, scores)
        ax.set_xlabel(name)
        ax.set_ylabel(objective)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(param_names) :]:
        ax.set_visible(False)
    figure.suptitle(f"{objective} of {len(finished)} trials")
    figure.tight_layout()
    return figure


def _scatter(ax, values: list, scores: list) -> None:
    numeric = values and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
    )
    if numeric:
        ax.scatter(values, scores)
        positive = [v for v in values if v > 0]
        if len(positive) == len(values) and max(values) >= 100 * min(values):
            ax.set_xscale("log")
        return
    labels = list(dict.fromkeys(str(v) for v in values))
    ax.scatter([labels.index(str(v)) for v in values], scores)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right")
