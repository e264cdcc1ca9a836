"""The outputs of a policy search (``boligsim optimise``): the candidates and the Pareto front
as tables, and the front as a figure with the compared municipal models placed on it."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.indicators import BY_NAME
from sim.run.files import PALETTE, format_number, pyplot, save_figure

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.optimise import Experiment, SearchResult


def front_text(exp: Experiment, result: SearchResult, *, only_front: bool) -> str:
    """``candidates.csv`` (every candidate, in order of evaluation) or ``front.csv`` (those on
    the front): ``candidate``, each lever, each outcome, ``feasible`` and ``on_front``."""
    levers = [f.name for f in exp.search.levers]
    outcomes = exp.outcome_names()
    front = set(result.front)
    lines = [",".join(["candidate", *levers, *outcomes, "feasible", "on_front"])]
    for i, (cand, out) in enumerate(zip(result.candidates, result.outcomes, strict=True)):
        if only_front and i not in front:
            continue
        lines.append(",".join([str(i), *(_value(cand[n]) for n in levers),
                               *(format_number(out[n]) for n in outcomes),
                               str(result.feasible[i]).lower(), str(i in front).lower()]))
    return "\n".join(lines) + "\n"


def _value(x: Any) -> str:
    if isinstance(x, bool):
        return json.dumps(x)
    return format_number(float(x))


def _scale(name: str) -> tuple[float, str]:
    """Money in millions: the factor and the axis label."""
    ind = BY_NAME[name]
    if ind.unit == "NOK":
        return 1e-6, f"{name.replace('_', ' ')} (million NOK)"
    return 1.0, f"{name.replace('_', ' ')} ({ind.unit})"


def plot_front(exp: Experiment, result: SearchResult,
               models: Sequence[tuple[str, Mapping[str, float]]],
               path: str | os.PathLike[str] | None = None) -> Any:
    """Each pair of objectives: every candidate (grey), the front (black) and the municipal
    models placed in the same municipality and worlds (coloured, labelled)."""
    plt = pyplot()
    objectives = [o.indicator for o in exp.search.objectives]
    pairs = list(itertools.combinations(objectives, 2))
    cols = min(3, len(pairs))
    rows = -(-len(pairs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 4.0 * rows), squeeze=False,
                             constrained_layout=True)
    front = result.front
    for ax, (a, b) in zip(axes.flat, pairs, strict=False):
        (sa, la), (sb, lb) = _scale(a), _scale(b)
        xs = np.array([o[a] for o in result.outcomes]) * sa
        ys = np.array([o[b] for o in result.outcomes]) * sb
        ax.scatter(xs, ys, s=8, color="0.75", label="candidates")
        ax.scatter(xs[front], ys[front], s=18, color="black", label="front")
        for j, (name, out) in enumerate(models):
            ax.scatter([out[a] * sa], [out[b] * sb], s=60, marker="D",
                       color=PALETTE[(j + 1) % len(PALETTE)], edgecolor="black", label=name,
                       zorder=3)
            ax.annotate(name, (out[a] * sa, out[b] * sb), xytext=(4, 4),
                        textcoords="offset points", fontsize=7)
        ax.set_xlabel(la, fontsize=8)
        ax.set_ylabel(lb, fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(pairs):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="best")
    senses = ", ".join(f"{o.indicator} ({o.sense})" for o in exp.search.objectives)
    fig.suptitle(f"{exp.name}: the Pareto front of {senses}; {exp.statistic} over "
                 f"{exp.worlds} plausible worlds", fontsize=9)
    if path is not None:
        save_figure(fig, path)
        plt.close(fig)
    return fig
