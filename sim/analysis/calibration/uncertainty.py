"""Parameter uncertainty: ABC around the fit, and profile intervals from every point evaluated.

Both read the loss as −2 log-likelihood with the tolerances as standard deviations, so a
threshold ``L* + χ²_level(dof)`` above the smallest loss ``L*`` bounds a likelihood-ratio region
at ``level``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.analysis.calibration.evaluation import Evaluator
from sim.analysis.calibration.setup import FreeParam, Setup


def chi2_quantile(level: float, dof: int) -> float:
    """The ``level`` quantile of the χ² distribution with ``dof`` degrees of freedom."""
    from scipy.stats import chi2

    return float(chi2.ppf(level, dof))


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]
                       ) -> np.ndarray:
    """Quantiles of ``values`` under normalised ``weights`` (linear between midpoints)."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = np.isfinite(v) & (w > 0)
    v, w = v[keep], w[keep]
    if v.size == 0:
        return np.full(len(qs), np.nan)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(np.asarray(qs, dtype=float), cum, v)


def abc(evaluator: Evaluator, setup: Setup, fit_x: np.ndarray, fit_loss: float
        ) -> dict[str, Any]:
    """ABC with a uniform kernel, by defensive importance sampling around the fit.

    Two stages of Latin hypercube draws (seeded): ``(1 − local_share) · draws`` from the prior
    (uniform on the set-up bounds), then the rest uniform in a box around the fit. The box is
    the union of ``fit ± local_width · (high − low)`` and the span of the prior draws already
    accepted (plus a margin of ``local_width / 2`` of the range), clipped to the bounds, so it
    grows where the first stage found acceptable points far from the fit. A draw's importance
    weight is prior / mixture density (balance heuristic), so the accepted draws represent the
    ABC posterior under the uniform prior. Accepted: ``loss ≤ ε = L* + χ²_level(k)``, ``L*`` the
    smallest loss of the fit and the draws; if fewer than ``min_accepted`` pass, the
    ``min_accepted`` best are taken and ``ε`` widened to match (reported).

    Returns:
        Draws, losses, weights, accepted mask, epsilon, effective sample size, the box, the
        parameters whose accepted box draws reach a box edge inside the bounds, and the
        per-parameter weighted quantiles.
    """
    from scipy.stats import qmc

    cfg = setup.uncertainty
    k = len(setup.free)
    low = np.array([f.low for f in setup.free])
    high = np.array([f.high for f in setup.free])
    span = high - low
    n = int(cfg["draws"])
    n_local = int(round(cfg["local_share"] * n))
    n_global = n - n_local
    delta = chi2_quantile(cfg["level"], k)
    rng = np.random.default_rng([setup.seed, 7])
    prior_draws = (low + qmc.LatinHypercube(d=k, rng=rng).random(n_global) * span
                   if n_global else np.empty((0, k)))
    prior_losses = evaluator.losses(prior_draws) if n_global else np.empty(0)
    box_low = np.maximum(low, fit_x - cfg["local_width"] * span)
    box_high = np.minimum(high, fit_x + cfg["local_width"] * span)
    near = prior_draws[prior_losses <= min([fit_loss, *prior_losses.tolist()]) + delta]
    if len(near):
        margin = 0.5 * cfg["local_width"] * span
        box_low = np.maximum(low, np.minimum(box_low, near.min(axis=0) - margin))
        box_high = np.minimum(high, np.maximum(box_high, near.max(axis=0) + margin))
    local_draws = (box_low + qmc.LatinHypercube(d=k, rng=rng).random(n_local)
                   * (box_high - box_low) if n_local else np.empty((0, k)))
    local_losses = evaluator.losses(local_draws) if n_local else np.empty(0)
    draws = np.vstack([prior_draws, local_draws])
    losses = np.concatenate([prior_losses, local_losses])
    volume_ratio = float(np.prod(span / np.maximum(box_high - box_low, 1e-300)))
    in_box = np.all((draws >= box_low) & (draws <= box_high), axis=1)
    density = n_global / max(n, 1) + (n_local / max(n, 1)) * in_box * volume_ratio
    weights = np.where(density > 0, 1.0 / np.where(density > 0, density, 1.0), 0.0)

    best = min([fit_loss, *losses.tolist()])
    epsilon = best + delta
    accepted = losses <= epsilon
    widened = False
    if n and accepted.sum() < min(cfg["min_accepted"], n):
        order = np.argsort(losses, kind="stable")[: min(cfg["min_accepted"], n)]
        accepted = np.zeros(n, dtype=bool)
        accepted[order] = True
        epsilon = float(losses[order].max())
        widened = True
    w = np.where(accepted, weights, 0.0)
    ess = float(w.sum() ** 2 / (w * w).sum()) if w.sum() > 0 else 0.0
    tail = (1.0 - cfg["level"]) / 2.0
    quantiles = {f.path: weighted_quantiles(draws[:, j], w, [tail, 0.5, 1.0 - tail]).tolist()
                 for j, f in enumerate(setup.free)} if n else {}
    edge = 0.02 * (box_high - box_low)
    local_acc = local_draws[accepted[n_global:]] if n_local else np.empty((0, k))
    at_edge = [f.path for j, f in enumerate(setup.free) if len(local_acc) and (
        (box_low[j] > low[j] and local_acc[:, j].min() <= box_low[j] + edge[j])
        or (box_high[j] < high[j] and local_acc[:, j].max() >= box_high[j] - edge[j]))]
    return {"draws": draws, "losses": losses, "weights": w, "accepted": accepted,
            "epsilon": float(epsilon), "best": float(best), "ess": ess, "widened": widened,
            "box": [box_low.tolist(), box_high.tolist()], "quantiles": quantiles,
            "n_global": n_global, "n_local": n_local, "at_box_edge": at_edge,
            "accepted_prior": int(accepted[:n_global].sum())}


def posterior_predictive(search: Evaluator, posterior: Mapping[str, Any], targets: int
                         ) -> np.ndarray:
    """The 95 % range of each fitted target's moment over the accepted ABC draws.

    Args:
        search: the evaluator of the ABC draws (its targets are the fitted ones).
        posterior: from :func:`abc`.
        targets: rows of the result; rows past the fitted targets (the checks) stay NaN.

    Returns:
        Array ``(targets, 2)``, NaN where no draw was accepted.
    """
    out = np.full((targets, 2), np.nan)
    accepted = posterior["accepted"]
    if accepted.any():
        moments = search.moments(posterior["draws"][accepted])
        weights = posterior["weights"][accepted]
        for j in range(len(search.plan.targets)):
            out[j] = weighted_quantiles(moments[:, j], weights, [0.025, 0.975])
    return out


def profile_intervals(xs: np.ndarray, losses: np.ndarray, free: Sequence[FreeParam],
                      level: float) -> dict[str, list[float]]:
    """Empirical profile-likelihood intervals from every point evaluated (fit and ABC).

    For parameter ``j``, the span of ``θ_j`` over the evaluated points with
    ``loss ≤ L* + χ²_level(1)``: the profile-likelihood interval if the weighted distance is
    read as −2 log-likelihood with the tolerances as standard deviations. Only evaluated
    points count, not a re-optimisation of the others at each ``θ_j``, so it can be narrower
    than the true profile interval; it is a cross-check of the ABC interval at no extra cost.
    """
    ok = np.isfinite(losses)
    if not ok.any():
        return {f.path: [math.nan, math.nan] for f in free}
    inside = xs[ok & (losses <= losses[ok].min() + chi2_quantile(level, 1))]
    return {f.path: [float(inside[:, j].min()), float(inside[:, j].max())]
            for j, f in enumerate(free)}
