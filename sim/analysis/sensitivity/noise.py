"""Replication noise: how much of each output's variance is luck that no input explains.

With several replications per point the sample itself shows the noise; with one, a *probe*
re-runs a few sample points several times. :func:`noise_report` gives the rows of ``noise.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.sensitivity.model import is_stochastic, load_function

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.experiment import Experiment


def probe_indices(exp: Experiment, n_points: int) -> list[int]:
    """The sample points the noise probe re-runs: spread evenly over the sample."""
    k = min(exp.noise_points, n_points)
    return sorted(set(np.linspace(0, n_points - 1, k).round().astype(int).tolist()))


def needs_probe(exp: Experiment) -> bool:
    """A probe is needed when one replication per point cannot show the noise by itself."""
    if exp.replications > 1:
        return False
    if exp.function is not None:
        return is_stochastic(load_function(exp.function))
    return True


def noise_report(exp: Experiment, runs: np.ndarray, probe: np.ndarray | None
                 ) -> list[dict[str, Any]]:
    """How much of each analysed output's variance is replication noise.

    With common random numbers, replication ``k`` of every point shares its random numbers,
    so part of the noise is a shift common to all points of a replication; it moves every
    point alike and changes no index. What can blur the indices is the rest: the part of the
    noise that differs from point to point. Treating the values as a two-way table (points x
    replications), that part is the interaction mean square ``noise_variance`` = sum of
    ``(y[p,k] - mean_p - mean_k + grand mean)^2 / ((P - 1)(R - 1))``. It is estimated from the
    sample when it has two or more replications per point, else from the probe (a few sample
    points re-run ``noise_replications`` times). ``within_variance`` is the plain mean
    variance between the replications of a point, common shift included, for reference.

    ``total_variance`` is the variance over the sample of the analysed values (replication
    means); the noise share is ``noise_variance / replications / total_variance``: the part of
    what the indices divide up that no input explains. Near 0 the indices describe the model's
    response; at 0.2 a fifth of the variance is luck, and differences between indices of that
    size mean nothing. Above 1 the noise swamps the inputs' effects altogether (the sample's
    spread is then itself mostly noise, and the estimate is rough).
    """
    means = runs.mean(axis=1)
    r = exp.replications
    if r > 1:
        table, source = runs, f"design: {runs.shape[0]} points x {r} replications"
    elif probe is not None:
        table = probe
        source = f"probe: {probe.shape[0]} points x {probe.shape[1]} replications"
    else:
        table, source = None, "deterministic function"
    if table is not None and table.shape[0] > 1:
        within = table.var(axis=1, ddof=1).mean(axis=0)
        resid = (table - table.mean(axis=1, keepdims=True) - table.mean(axis=0, keepdims=True)
                 + table.mean(axis=(0, 1), keepdims=True))
        noise = (resid**2).sum(axis=(0, 1)) / ((table.shape[0] - 1) * (table.shape[1] - 1))
    else:
        within = noise = np.zeros(runs.shape[2])
    rows = []
    for j, name in enumerate(exp.outputs):
        col = means[:, j]
        total = float(np.var(col, ddof=1)) if np.all(np.isfinite(col)) else math.nan
        part = float(noise[j]) / r
        if total > 0:
            share = part / total
        else:  # no spread over the sample: all noise if there is any, else undefined
            share = math.inf if part > 0 else math.nan
        rows.append({"output": name, "replications": r, "points": runs.shape[0],
                     "within_variance": float(within[j]), "noise_variance": float(noise[j]),
                     "total_variance": total, "noise_share": share, "estimated_from": source,
                     "flagged": bool(share > exp.noise_threshold)})
    return rows


def noise_warnings(exp: Experiment, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """One warning per output whose noise share is above the experiment's threshold."""
    notes = []
    for row in rows:
        if row["flagged"]:
            share = row["noise_share"]
            amount = (f"{share:.0%} of its variance is" if math.isfinite(share)
                      else "it varies only by")
            notes.append(f"{row['output']}: {amount} replication noise (noise share above "
                         f"{exp.noise_threshold:g}); differences between its indices of that "
                         "size are not meaningful - add replications")
    return notes
