"""The figures of a calibration: ``targets.png`` (the fit to every target, in tolerances) and
``parameters.png`` (the ABC posterior and the loss of every evaluated point, per parameter).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.analysis.calibration.setup import Setup
from sim.analysis.calibration.targets import RELATION_SIGNS
from sim.analysis.calibration.uncertainty import chi2_quantile
from sim.run.files import save_figure


def plot_targets(rows: Sequence[Mapping[str, Any]], path: str | os.PathLike[str]) -> None:
    """Observed vs simulated for every target, in tolerances: 0 is the observed value, the
    band ±1 is within tolerance; bars are 95 % intervals over replications (dark) and over
    the ABC posterior (light)."""
    from sim.run.files import PALETTE, pyplot

    plt = pyplot()
    n = len(rows)
    fig, ax = plt.subplots(figsize=(8.5, 1.9 + 0.34 * n), constrained_layout=True)
    ax.axvspan(-1, 1, color="#dddddd", lw=0, zorder=0)
    ax.axvline(0, color="black", lw=0.8, zorder=1)
    labels = []
    for i, r in enumerate(rows):
        y = n - 1 - i
        colour = PALETTE[0] if r["used"] else PALETTE[1]
        sim = r["simulated"]
        scale = r["tolerance"]

        def std(v: float | None, r: Mapping[str, Any] = r, scale: float = scale) -> float:
            return math.nan if v is None else (v - r["observed"]) / scale

        post = sim.get("posterior95")
        if post:
            ax.plot([std(post[0]), std(post[1])], [y, y], color=colour, alpha=0.3, lw=6,
                    solid_capstyle="butt")
        lo, hi = sim["ci95"]
        ax.plot([std(lo), std(hi)], [y, y], color=colour, lw=1.6)
        marker = "o" if r["within_tolerance"] else "X"
        ax.plot([std(sim["mean"])], [y], marker=marker, color=colour, ms=6, ls="none")
        sign = RELATION_SIGNS[r["relation"]]
        obs = r["observed"]
        shown = f"{obs:,.0f}".replace(",", " ") if abs(obs) >= 1000 else f"{obs:.3g}"
        labels.append(f"{r['id']} ({sign} {shown})")
    ax.set_yticks(range(n - 1, -1, -1), labels, fontsize=7)
    finite = [abs(v) for r in rows for v in ((r["simulated"]["mean"] - r["observed"])
              / r["tolerance"],) if r["simulated"]["mean"] is not None and math.isfinite(v)]
    limit = min(max([3.0, *finite]) * 1.1, 30.0)
    ax.set_xlim(-limit, limit)
    ax.set_xlabel("(simulated − observed) / tolerance   (grey: within tolerance)", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(alpha=0.3, axis="x")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=PALETTE[0], marker="o", label="fitted target"),
               Line2D([], [], color=PALETTE[1], marker="o", label="not fitted (check, input)"),
               Line2D([], [], color="grey", marker="X", ls="none", label="outside tolerance")]
    fig.legend(handles=handles, fontsize=7, loc="outside lower center", ncol=3)
    ax.set_title("Targets: simulated mean with 95 % interval over replications (dark)\n"
                 "and over the ABC posterior (light); 0 = observed value", fontsize=9)
    save_figure(fig, path)
    plt.close(fig)


def plot_parameters(setup: Setup, fitted: Mapping[str, float], posterior: Mapping[str, Any],
                    evaluated: tuple[np.ndarray, np.ndarray], path: str | os.PathLike[str]
                    ) -> None:
    """Two panels per free parameter over its prior range.

    Top: weighted histogram of the accepted ABC draws, the interval, the fit and the registry
    default. Bottom: the loss of every point evaluated with the search's random numbers
    against the parameter — its lower envelope is the empirical profile — with the profile
    threshold ``L* + χ²_level(1)`` and, when ABC was rejection with those random numbers,
    its threshold ``ε``.
    """
    from sim.run.files import PALETTE, pyplot

    plt = pyplot()
    k = len(setup.free)
    cols = min(3, k)
    blocks = (k + cols - 1) // cols
    fig, axes = plt.subplots(2 * blocks, cols, figsize=(4.0 * cols, 5.0 * blocks),
                             squeeze=False, constrained_layout=True)
    draws = posterior.get("draws")
    weights = posterior.get("weights")
    level = setup.uncertainty["level"]
    pct = int(round(100 * level))
    xs, losses = evaluated
    finite = np.isfinite(losses)
    best = float(losses[finite].min()) if finite.any() else math.nan
    for j, f in enumerate(setup.free):
        top = axes[2 * (j // cols), j % cols]
        bottom = axes[2 * (j // cols) + 1, j % cols]
        if draws is not None and len(draws) and weights is not None and weights.sum() > 0:
            top.hist(draws[:, j], bins=20, range=(f.low, f.high),
                     weights=weights / weights.sum(), color=PALETTE[0], alpha=0.7)
        q = posterior.get("quantiles", {}).get(f.path)
        if q and all(math.isfinite(v) for v in q):
            top.axvspan(q[0], q[2], color=PALETTE[4], alpha=0.2, lw=0,
                        label=f"{pct} % interval")
        for ax in (top, bottom):
            ax.axvline(fitted[f.path], color=PALETTE[5], lw=1.6, label="fit")
            ax.axvline(f.default, color="black", lw=1, ls="--", label="registry default")
            ax.set_xlim(f.low, f.high)
            ax.tick_params(labelsize=7)
        top.set_title(f.path, fontsize=9)
        top.set_ylabel("ABC posterior weight", fontsize=8)
        if finite.any():
            cap = best + 6.0 * chi2_quantile(level, k)
            shown = finite & (losses <= cap)
            bottom.scatter(xs[shown, j], losses[shown], s=6, color=PALETTE[2], alpha=0.5,
                           lw=0, label="evaluated points")
            bottom.axhline(best + chi2_quantile(level, 1), color=PALETTE[3], lw=1,
                           label=f"profile threshold ({pct} %)")
            if posterior.get("seeds") == "common" and posterior.get("estimator") == "rejection":
                bottom.axhline(posterior.get("epsilon", math.nan), color=PALETTE[1], lw=1,
                               ls=":", label="ABC threshold ε")
            bottom.set_ylim(best - 0.05 * (cap - best), cap)
        bottom.set_xlabel(f.unit, fontsize=8)
        bottom.set_ylabel("loss", fontsize=8)
    for j in range(k, blocks * cols):
        axes[2 * (j // cols), j % cols].set_visible(False)
        axes[2 * (j // cols) + 1, j % cols].set_visible(False)
    axes[0, 0].legend(fontsize=6, loc="best")
    axes[1, 0].legend(fontsize=6, loc="best")
    fig.suptitle("Free parameters: ABC posterior (uniform prior on the set-up bounds) and the "
                 "loss of every evaluated point", fontsize=10)
    save_figure(fig, path)
    plt.close(fig)
