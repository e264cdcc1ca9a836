"""The figures: S1 and ST bars with their intervals (Sobol', eFAST) or mu* against sigma
(Morris), one panel per output.

Where the model is a test function that knows its indices (``known_indices``, as
:func:`sim.analysis.testfunctions.ishigami`), the bars carry the exact values beside the
estimates. Morris points are numbered with a key beside the panel, so labels never overlap;
money outputs are in million NOK.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.run.files import PALETTE, pyplot, save_figure

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.result import SensitivityResult


def _short(label: str) -> str:
    """A registry path without its first part, to keep axis labels readable."""
    parts = label.split(".")
    return ".".join(parts[1:]) if len(parts) > 2 else label


def plot_results(result: SensitivityResult, out: Path | None = None) -> list[str]:
    """The method's figure: S1/ST bars (Sobol', eFAST) or mu*-sigma (Morris), one panel per
    output; returns the file names written into ``out``."""
    exp = result.experiment
    if exp.method == "morris":
        fig = plot_morris(result)
        name = "morris_mu_star_sigma.png"
    else:
        fig = plot_variance_indices(result)
        name = f"{exp.method}_indices.png"
    if out is None:
        return []
    save_figure(fig, out / name)
    pyplot().close(fig)
    return [name]


def _panels(n: int, width: float, height: float) -> tuple[Any, Any]:
    """A figure with ``n`` panels of ``width`` x ``height`` inches, three to a row."""
    plt = pyplot()
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False,
                             constrained_layout=True)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, axes


def known_indices(result: SensitivityResult) -> dict[str, dict[str, float]] | None:
    """The exact ``{"S1": {parameter: value}, "ST": {...}}`` a test-function model declares
    (``known_indices``), or ``None`` for a simulation model or a function without them."""
    from sim.analysis.sensitivity.model import load_function

    target = result.experiment.function
    if not target:
        return None
    known = getattr(load_function(target), "known_indices", None)
    return known() if callable(known) else None


def _money_scale(output: str) -> tuple[float, str]:
    """``(factor, unit)`` of an output's values: an indicator's unit, NOK in millions; a
    function's output has no unit to name."""
    from sim.inputs.indicators import BY_NAME

    ind = BY_NAME.get(output.split("@")[0])
    if ind is None:
        return 1.0, "output units"
    return (1e-6, "million NOK") if ind.unit == "NOK" else (1.0, ind.unit)


def _not_analysed(ax: Any) -> None:
    """Mark a panel whose output has no indices, so an empty panel is not read as all zero."""
    ax.text(0.5, 0.5, "not analysed\n(see the warnings)", transform=ax.transAxes,
            ha="center", va="center", fontsize=8, color="grey")


def plot_variance_indices(result: SensitivityResult) -> Any:
    """First-order (S1) and total (ST) indices with their confidence intervals, per output."""

    exp = result.experiment
    labels = exp.labels
    known = known_indices(result)
    fig, axes = _panels(len(exp.outputs), 5.6, 1.1 + 0.32 * len(labels))
    y = np.arange(len(labels))
    for ax, output in zip(axes.flat, exp.outputs, strict=False):
        rows = {r["parameter"]: r for r in result.indices if r["output"] == output}
        for shift, (measure, colour) in zip((-0.2, 0.2), (("S1", PALETTE[0]),
                                                          ("ST", PALETTE[1])), strict=True):
            v = np.array([rows[p][measure] for p in labels])
            c = np.array([rows[p][f"{measure}_conf"] for p in labels])
            ax.barh(y + shift, np.nan_to_num(v), height=0.38, color=colour, label=measure)
            ax.errorbar(np.nan_to_num(v), y + shift, xerr=np.nan_to_num(c), fmt="none",
                        ecolor="black", capsize=2, lw=0.8)
            if known is not None:
                exact = [known[measure].get(p, np.nan) for p in labels]
                ax.plot(exact, y + shift, "D", ms=5, mfc="white", mec="black", mew=1.2,
                        label=f"{measure} exact" if output == exp.outputs[0] else None)
        if not any(math.isfinite(rows[p]["S1"]) for p in labels):
            _not_analysed(ax)
        ax.set_yticks(y, [_short(p) for p in labels], fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlabel("share of output variance", fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[: len(exp.outputs)]:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    exact = "; white diamonds: the exact values" if known is not None else ""
    title = (f"{exp.name}: {exp.method} indices, N={exp.n}, {exp.conf_level:.0%} intervals"
             f"{exact}")
    fig.suptitle(textwrap.fill(title, int(fig.get_figwidth() * 11)), fontsize=10)
    return fig


def plot_morris(result: SensitivityResult) -> Any:
    """Morris screening: mu* (mean absolute elementary effect, with its interval) against sigma
    (spread of the effects: non-linearity or interactions), per output; the most influential
    parameters numbered, with a key beside the panel; money in million NOK."""

    exp = result.experiment
    fig, axes = _panels(len(exp.outputs), 5.6, 3.8)
    for ax, output in zip(axes.flat, exp.outputs, strict=False):
        rows = [r for r in result.indices if r["output"] == output]
        scale, unit = _money_scale(output)
        mu = np.array([r["mu_star"] for r in rows]) * scale
        sigma = np.array([r["sigma"] for r in rows]) * scale
        conf = np.array([r["mu_star_conf"] for r in rows]) * scale
        ax.errorbar(mu, sigma, xerr=np.nan_to_num(conf), fmt="o", ms=4, color=PALETTE[0],
                    ecolor="grey", elinewidth=0.8, capsize=2)
        finite = np.isfinite(mu) & np.isfinite(sigma)
        if finite.any():
            top = max(float(np.nanmax(mu[finite])), float(np.nanmax(sigma[finite])), 1e-12)
            diagonal, = ax.plot([0, top], [0, top], ls="--", lw=0.8, color=PALETTE[5],
                                label="sigma = mu*")
            _number_points(ax, rows, mu, sigma, finite, top, diagonal)
        else:
            _not_analysed(ax)
        ax.set_xlabel(f"mu* ({unit} per range)", fontsize=8)
        ax.set_ylabel(f"sigma ({unit})", fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    fig.suptitle(f"{exp.name}: Morris screening, {exp.n} trajectories", fontsize=10)
    return fig


#: Morris points numbered on each panel: the most influential by mu*.
MORRIS_NUMBERED = 6


def _number_points(ax: Any, rows: list[dict[str, Any]], mu: np.ndarray, sigma: np.ndarray,
                   finite: np.ndarray, top: float, diagonal: Any) -> None:
    """Number the :data:`MORRIS_NUMBERED` points of largest mu* (the crowd near the origin,
    under 2 % of the largest, left out) and name them in the panel's legend after the
    ``diagonal`` line, so labels never overlap however close the points."""
    from matplotlib.lines import Line2D

    handles = [diagonal]
    order = [k for k in np.argsort(-np.nan_to_num(mu)) if finite[k] and mu[k] > 0.02 * top]
    for number, k in enumerate(order[:MORRIS_NUMBERED], start=1):
        ax.annotate(str(number), (mu[k], sigma[k]), fontsize=7, weight="bold",
                    xytext=(3, 3), textcoords="offset points")
        handles.append(Line2D([], [], ls="none", label=f"{number}  {_short(rows[k]['parameter'])}"))
    ax.legend(handles=handles, fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False, handlelength=1.2)
