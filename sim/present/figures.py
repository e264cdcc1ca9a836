"""Figures for runs and comparisons (matplotlib, no display needed).

Colour-blind-safe palette (Okabe & Ito 2008), labelled axes with units, one small panel per
indicator. The model never imports this module; reports and the CLI do.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.indicators import BY_NAME, INDEX
from sim.run.files import PALETTE, pyplot
from sim.run.results import mean_ci

if TYPE_CHECKING:  # pragma: no cover
    from sim.run.compare import Comparison
    from sim.run.results import RunResult

#: Indicators shown in figures and headline tables, in this order.
KEY_INDICATORS = ("children_municipal", "homeless", "owner_startloan", "families_in_work",
                  "social_assistance_recipients", "evictions", "startloans_granted",
                  "social_assistance_nok", "municipal_net_cost_nok", "vacant_municipal")


def axis_label(name: str) -> str:
    """``name (unit)`` for an indicator, with NOK in millions for money."""
    ind = BY_NAME[name]
    unit = "million NOK per month" if ind.unit == "NOK" and ind.kind == "money" else (
        "NOK" if ind.unit == "NOK" else ind.unit + (" per month" if ind.kind == "flow" else ""))
    return f"{name.replace('_', ' ')} ({unit})"


def _scale(name: str) -> float:
    return 1e-6 if BY_NAME[name].kind == "money" else 1.0


def _dates(result: RunResult) -> np.ndarray:
    return np.array([np.datetime64(d) for d in result.dates])


def plot_timeseries(results: Sequence[RunResult], indicators: Sequence[str],
                    path: str | os.PathLike[str] | None = None, *, labels: Sequence[str] = ()
                    ) -> Any:
    """Indicators over time: mean and 95 % band of the mean per scenario, one panel each.

    Returns the matplotlib Figure; saves it to ``path`` (PNG/PDF/SVG) when given.
    """
    plt = pyplot()
    n = len(indicators)
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False,
                             constrained_layout=True)
    labels = list(labels) or [r.scenario.name for r in results]
    for ax, name in zip(axes.flat, indicators, strict=False):
        k = INDEX[name]
        for j, res in enumerate(results):
            m, lo, hi = mean_ci(res.data[:, :, k] * _scale(name))
            x = _dates(res)
            colour = PALETTE[j % len(PALETTE)]
            ax.plot(x, m, color=colour, lw=1.6, label=labels[j])
            ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)
        ax.set_title(name.replace("_", " "), fontsize=10)
        ax.set_ylabel(axis_label(name), fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8, loc="best")
    fig.suptitle("Mean over replications with 95 % interval", fontsize=10)
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig


def difference_bars(ax: Any, rows: Sequence[dict[str, Any]], names: Sequence[str],
                    scale: float, *, alpha: float) -> None:
    """Horizontal bars of paired differences with their 95 % intervals, one per scenario.

    Args:
        ax: the matplotlib axes.
        rows: comparison rows (``diff``, ``diff_ci_low``, ``diff_ci_high``), one per bar.
        names: the bars' labels.
        scale: factor applied to the values (1e-6 for NOK shown in millions).
        alpha: bar opacity.
    """
    y = np.arange(len(rows))
    d = np.array([float(r["diff"]) for r in rows]) * scale
    lo = np.array([float(r["diff_ci_low"]) for r in rows]) * scale
    hi = np.array([float(r["diff_ci_high"]) for r in rows]) * scale
    ax.barh(y, d, color=[PALETTE[(j + 1) % len(PALETTE)] for j in range(len(rows))],
            alpha=alpha)
    ax.errorbar(d, y, xerr=[d - lo, hi - d], fmt="none", ecolor="black", capsize=3, lw=1)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, names, fontsize=8)


def plot_differences(comparison: Comparison, indicators: Sequence[str],
                     path: str | os.PathLike[str] | None = None) -> Any:
    """Paired differences against the reference (first) scenario with 95 % intervals.

    One panel per indicator; a bar per scenario; run values as in ``summary.json`` (a stock at
    the end, a flow or money total over the run).
    """
    plt = pyplot()
    rows = [r for r in comparison.rows() if r["indicator"] in indicators]
    scenarios = [r.scenario.name for r in comparison.results][1:]
    n = len(indicators)
    cols = min(3, n)
    nrows = (n + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 0.5 + 0.45 * max(
        len(scenarios), 1) * nrows + 1.2 * nrows), squeeze=False, constrained_layout=True)
    ref = comparison.results[0].scenario.name
    for ax, name in zip(axes.flat, indicators, strict=False):
        mine = [r for r in rows if r["indicator"] == name][1:]
        scale = 1e-6 if BY_NAME[name].unit == "NOK" else 1.0
        difference_bars(ax, mine, scenarios, scale, alpha=0.8)
        unit = "million NOK" if scale != 1.0 else BY_NAME[name].unit
        when = "at the end" if BY_NAME[name].kind == "stock" else "over the run"
        ax.set_xlabel(f"difference ({unit}, {when})", fontsize=8)
        ax.set_title(name.replace("_", " "), fontsize=10)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(f"Difference against {ref} (paired by replication, 95 % interval)",
                 fontsize=10)
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig
