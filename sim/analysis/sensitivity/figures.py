"""The figures: S1 and ST bars with their intervals (Sobol', eFAST) or mu* against sigma
(Morris), one panel per output."""

from __future__ import annotations

import math
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


def _not_analysed(ax: Any) -> None:
    """Mark a panel whose output has no indices, so an empty panel is not read as all zero."""
    ax.text(0.5, 0.5, "not analysed\n(see the warnings)", transform=ax.transAxes,
            ha="center", va="center", fontsize=8, color="grey")


def plot_variance_indices(result: SensitivityResult) -> Any:
    """First-order (S1) and total (ST) indices with their confidence intervals, per output."""

    exp = result.experiment
    labels = exp.labels
    fig, axes = _panels(len(exp.outputs), 4.6, 0.9 + 0.32 * len(labels))
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
        if not any(math.isfinite(rows[p]["S1"]) for p in labels):
            _not_analysed(ax)
        ax.set_yticks(y, [_short(p) for p in labels], fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlabel("share of output variance", fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, axis="x")
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{exp.name}: {exp.method} indices, N={exp.n}, "
                 f"{exp.conf_level:.0%} intervals", fontsize=10)
    return fig


def plot_morris(result: SensitivityResult) -> Any:
    """Morris screening: mu* (mean absolute elementary effect, with its interval) against sigma
    (spread of the effects: non-linearity or interactions), per output."""

    exp = result.experiment
    fig, axes = _panels(len(exp.outputs), 4.6, 3.8)
    for ax, output in zip(axes.flat, exp.outputs, strict=False):
        rows = [r for r in result.indices if r["output"] == output]
        mu = np.array([r["mu_star"] for r in rows])
        sigma = np.array([r["sigma"] for r in rows])
        conf = np.array([r["mu_star_conf"] for r in rows])
        ax.errorbar(mu, sigma, xerr=np.nan_to_num(conf), fmt="o", ms=4, color=PALETTE[0],
                    ecolor="grey", elinewidth=0.8, capsize=2)
        finite = np.isfinite(mu) & np.isfinite(sigma)
        if finite.any():
            top = max(float(np.nanmax(mu[finite])), float(np.nanmax(sigma[finite])), 1e-12)
            ax.plot([0, top], [0, top], ls="--", lw=0.8, color=PALETTE[5],
                    label="sigma = mu*")
            for k in np.argsort(-np.nan_to_num(mu))[:6]:
                if finite[k] and mu[k] > 0.02 * top:  # leave the crowd at the origin unlabelled
                    ax.annotate(_short(rows[k]["parameter"]), (mu[k], sigma[k]), fontsize=6,
                                xytext=(3, 3), textcoords="offset points")
        else:
            _not_analysed(ax)
        ax.set_xlabel("mu* (output units per range)", fontsize=8)
        ax.set_ylabel("sigma", fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    if axes.flat[0].get_legend_handles_labels()[0]:
        axes.flat[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{exp.name}: Morris screening, {exp.n} trajectories", fontsize=10)
    return fig
