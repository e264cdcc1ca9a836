"""Parameter uncertainty: ABC around the fit, and profile intervals from every point evaluated.

Both read the loss as −2 log-likelihood with the tolerances as standard deviations. ABC draws
with random numbers of their own by default, so its intervals include the simulation noise of
the moments; the profile intervals (a threshold ``L* + χ²_level(1)`` over the search's points)
are conditional on the search's common random numbers and are a cross-check only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.analysis.calibration.evaluation import Evaluator
from sim.analysis.calibration.moments import NAN_PENALTY, MomentPlan
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


def abc(evaluator: Evaluator, setup: Setup, fit_x: np.ndarray, fit_loss: float,
        anchor: np.ndarray | None = None) -> dict[str, Any]:
    """ABC around the fit, by defensive importance sampling (Latin hypercube, seeded).

    Two stages of draws: ``(1 − local_share) · draws`` from the prior (uniform on the set-up
    bounds), then the rest uniform in a box around the fit. The box is the union of
    ``fit ± local_width · (high − low)`` and the range the first stage's posterior covers
    (plus a margin of ``local_width / 2`` of the range), clipped to the bounds, so it grows
    where the prior draws point away from the fit. A draw's importance weight is prior /
    mixture density (balance heuristic), so the draws represent the prior.

    The ``estimator`` (``uncertainty.estimator``) turns the draws into a posterior:

    * ``regression`` (default): noisy ABC with local-linear regression adjustment. Each draw
      is simulated with random numbers of its own (``seeds = "redrawn"``: ``evaluator`` has
      ``redraw``), and a normal error with the tolerance as SD is added to each of its
      moments, so a draw's moments are what the observations would be if the parameters were
      the draw's — the statistical model ``observed = the mean of R replications + error``
      (Wilkinson 2013; Fearnhead & Prangle 2012). The ``accept_share`` of draws closest to
      the ``anchor`` (in tolerances) are kept with Epanechnikov weights, and each kept
      draw's parameters (on the logit scale of their bounds) are moved along a weighted
      linear regression of parameters on deviations to where the deviations are the
      anchor's (Beaumont, Zhang & Balding 2002). The anchor is zero except for the targets
      the fit misses structurally (:func:`structural_misfit`): there, projecting to zero
      would extrapolate the regression far outside the draws towards a fit no parameter
      reaches (in the main calibration it put three rates' intervals wholly beside the
      fit), so the regression projects to the fit's own deviation, as the rejection
      estimator measures from the smallest loss rather than from zero. The intervals thus
      include the Monte Carlo error of the moments that common random numbers hide, and use
      many draws, not the few closest (``docs/validation.md`` §8 measures their coverage).
    * ``rejection``: the draws with loss ``L ≤ ε = L* + χ²_level(k)`` (``L*`` the smallest
      loss, the fit's included when ``fit_loss`` is finite) unadjusted, a likelihood-ratio
      region; with ``seeds = "common"`` the method before, conditional on the search's
      random numbers.

    If fewer than ``min_accepted`` draws would be kept, the ``min_accepted`` closest are
    and ``widened`` says so.

    Returns:
        ``draws`` (adjusted by the regression), ``raw_draws`` (as simulated), ``losses``
        (the squared distance in tolerances the draws were kept by: from the anchor for
        ``regression``), ``weights`` (importance × kernel, zero when not kept),
        ``accepted``, ``epsilon`` (the largest distance kept), the effective sample size,
        the box, the parameters whose kept box draws reach a box edge inside the bounds, and
        the per-parameter weighted quantiles.
    """
    from scipy.stats import qmc

    cfg = setup.uncertainty
    regression = cfg["estimator"] == "regression"
    k = len(setup.free)
    low = np.array([f.low for f in setup.free])
    high = np.array([f.high for f in setup.free])
    span = high - low
    n = int(cfg["draws"])
    n_local = int(round(cfg["local_share"] * n))
    n_global = n - n_local
    rng = np.random.default_rng([setup.seed, 7])

    def draw_deviations(xs: np.ndarray, stage: int) -> np.ndarray:
        if not len(xs):
            return np.empty((0, len(evaluator.plan.targets)))
        z = _deviations(evaluator, xs, np.random.default_rng([setup.seed, 11, stage])
                        if regression else None)
        return z - anchor if regression and anchor is not None else z

    prior_draws = (low + qmc.LatinHypercube(d=k, rng=rng).random(n_global) * span
                   if n_global else np.empty((0, k)))
    prior_z = draw_deviations(prior_draws, 1)
    box_low = np.maximum(low, fit_x - cfg["local_width"] * span)
    box_high = np.minimum(high, fit_x + cfg["local_width"] * span)
    if n_global:
        first = _posterior(prior_draws, prior_z, np.ones(n_global), fit_loss, setup, low, high)
        kept = first["draws"][first["weights"] > 0]
        if len(kept):
            margin = 0.5 * cfg["local_width"] * span
            box_low = np.maximum(low, np.minimum(box_low, kept.min(axis=0) - margin))
            box_high = np.minimum(high, np.maximum(box_high, kept.max(axis=0) + margin))
    local_draws = (box_low + qmc.LatinHypercube(d=k, rng=rng).random(n_local)
                   * (box_high - box_low) if n_local else np.empty((0, k)))
    raw = np.vstack([prior_draws, local_draws])
    z = np.vstack([prior_z, draw_deviations(local_draws, 2)])
    volume_ratio = float(np.prod(span / np.maximum(box_high - box_low, 1e-300)))
    in_box = np.all((raw >= box_low) & (raw <= box_high), axis=1)
    density = n_global / max(n, 1) + (n_local / max(n, 1)) * in_box * volume_ratio
    importance = np.where(density > 0, 1.0 / np.where(density > 0, density, 1.0), 0.0)
    found = _posterior(raw, z, importance, fit_loss, setup, low, high)
    w, accepted, draws = found["weights"], found["weights"] > 0, found["draws"]
    ess = float(w.sum() ** 2 / (w * w).sum()) if w.sum() > 0 else 0.0
    tail = (1.0 - cfg["level"]) / 2.0
    quantiles = {f.path: weighted_quantiles(draws[:, j], w, [tail, 0.5, 1.0 - tail]).tolist()
                 for j, f in enumerate(setup.free)} if n else {}
    edge = 0.02 * (box_high - box_low)
    local_acc = raw[n_global:][accepted[n_global:]] if n_local else np.empty((0, k))
    at_edge = [f.path for j, f in enumerate(setup.free) if len(local_acc) and (
        (box_low[j] > low[j] and local_acc[:, j].min() <= box_low[j] + edge[j])
        or (box_high[j] < high[j] and local_acc[:, j].max() >= box_high[j] - edge[j]))]
    return {"draws": draws, "raw_draws": raw, "losses": found["losses"], "weights": w,
            "accepted": accepted, "epsilon": found["epsilon"], "best": found["best"],
            "ess": ess, "widened": found["widened"],
            "box": [box_low.tolist(), box_high.tolist()], "quantiles": quantiles,
            "n_global": n_global, "n_local": n_local, "at_box_edge": at_edge,
            "accepted_prior": int(accepted[:n_global].sum()),
            "estimator": cfg["estimator"], "seeds": cfg["seeds"]}


#: A target the fit misses by more than this many tolerances is missed structurally, not by
#: chance: the simulation noise of the fit's moments is well under one tolerance with
#: ``report.replications`` (20), and no parameter brings the target nearer, or the search would
#: have (docs/validation.md §3, §5).
MISFIT = 3.0


def structural_misfit(at_fit: np.ndarray) -> np.ndarray:
    """The fit's deviations (:func:`deviations`) where they exceed :data:`MISFIT` in size,
    zero elsewhere (and where a moment is missing): the anchor of :func:`abc`.

    Anchoring every target at the fit would put the fit's own Monte Carlo error into the
    posterior's centre (measured with 150 draws: intervals of a function model held the
    truth 163 times in 200 instead of 171, ``docs/validation.md`` §8); anchoring none lets a
    structural misfit drag the regression off."""
    z = np.nan_to_num(np.asarray(at_fit, dtype=float))
    return np.where(np.abs(z) > MISFIT, z, 0.0)


def deviations(plan: MomentPlan, moments: np.ndarray) -> np.ndarray:
    """Signed deviations of ``moments`` (``(points, targets)`` or ``(targets,)``) from the
    observations in tolerances, times √weight; NaN where a moment cannot be computed."""
    m = np.atleast_2d(moments)
    z = np.array([plan.deviations(row) for row in m]).reshape(m.shape) * np.sqrt(plan.weights)
    return z if np.ndim(moments) == 2 else z[0]


def _deviations(evaluator: Evaluator, xs: np.ndarray, rng: np.random.Generator | None
                ) -> np.ndarray:
    """Each draw's :func:`deviations`, ``(draws, targets)``; with ``rng``, from its moments
    plus a normal error of SD ``tolerance / √weight`` (noisy ABC)."""
    plan = evaluator.plan
    moments = evaluator.moments(xs)
    if rng is not None:
        tolerance = np.array([t.tolerance for t in plan.targets])
        moments = moments + rng.normal(0.0, 1.0, moments.shape) * tolerance / np.sqrt(
            plan.weights)
    return deviations(plan, moments)


def _posterior(raw: np.ndarray, z: np.ndarray, importance: np.ndarray, fit_loss: float,
               setup: Setup, low: np.ndarray, high: np.ndarray) -> dict[str, Any]:
    """The kept draws, their weights and (for ``regression``) adjusted parameters."""
    cfg = setup.uncertainty
    n, k = raw.shape
    losses = np.where(np.isfinite(z), z * z, NAN_PENALTY).sum(axis=1) if n else np.empty(0)
    regression = cfg["estimator"] == "regression"
    best = float(min([*([] if regression else [fit_loss]), *losses.tolist()], default=math.nan))
    if regression:
        keep = min(n, max(int(math.ceil(cfg["accept_share"] * n)), 1))
    else:
        keep = int((losses <= best + chi2_quantile(cfg["level"], k)).sum())
    widened = n > 0 and keep < min(cfg["min_accepted"], n)
    keep = max(keep, min(cfg["min_accepted"], n))
    order = np.argsort(losses, kind="stable")
    accepted = np.zeros(n, dtype=bool)
    accepted[order[:keep]] = True
    epsilon = float(losses[order[keep - 1]]) if keep else math.nan
    if not regression or not keep:
        return {"draws": raw, "weights": np.where(accepted, importance, 0.0),
                "losses": losses, "epsilon": epsilon, "best": best, "widened": widened}
    # Epanechnikov weights in the distance, zero just beyond the farthest kept draw
    h2 = epsilon * (1.0 + 1e-6) + 1e-12
    kernel = np.where(accepted, 1.0 - losses / h2, 0.0)
    w = importance * kernel
    return {"draws": _adjust(raw, np.nan_to_num(z), w, low, high), "weights": w,
            "losses": losses, "epsilon": epsilon, "best": best, "widened": widened}


def _adjust(raw: np.ndarray, z: np.ndarray, w: np.ndarray, low: np.ndarray, high: np.ndarray
            ) -> np.ndarray:
    """Local-linear regression adjustment (Beaumont, Zhang & Balding 2002) on the logit
    scale of the bounds: ``u* = u − B z``, ``B`` from the weighted least squares of ``u`` on
    ``[1, z]`` over the draws with weight."""
    span = high - low
    unit = np.clip((raw - low) / span, 1e-6, 1.0 - 1e-6)
    u = np.log(unit / (1.0 - unit))
    kept = w > 0
    design = np.hstack([np.ones((int(kept.sum()), 1)), z[kept]])
    root = np.sqrt(w[kept])[:, None]
    beta = np.linalg.lstsq(design * root, u[kept] * root, rcond=None)[0]
    adjusted = u - z @ beta[1:]
    return low + span / (1.0 + np.exp(-adjusted))


def posterior_predictive(drawer: Evaluator, posterior: Mapping[str, Any], targets: int
                         ) -> np.ndarray:
    """The 95 % range of each fitted target's moment over the kept ABC draws.

    A draw's moments are those simulated at its raw parameters; where the regression moved
    the parameters, the moments are moved with them along a weighted linear regression of
    moments on parameters over the kept draws (within the range the kept draws simulated,
    so a count never goes below zero), so the range is the adjusted posterior's.

    Args:
        drawer: the evaluator of the ABC draws (its targets are the fitted ones).
        posterior: from :func:`abc`.
        targets: rows of the result; rows past the fitted targets (the checks) stay NaN.

    Returns:
        Array ``(targets, 2)``, NaN where no draw was kept.
    """
    out = np.full((targets, 2), np.nan)
    accepted = posterior["accepted"]
    if accepted.any():
        raw = np.asarray(posterior.get("raw_draws", posterior["draws"]))[accepted]
        moved = np.asarray(posterior["draws"])[accepted] - raw
        moments = drawer.moments(raw)
        weights = posterior["weights"][accepted]
        if np.abs(moved).max() > 0:
            finite = np.all(np.isfinite(moments), axis=1)
            design = np.hstack([np.ones((int(finite.sum()), 1)), raw[finite]])
            root = np.sqrt(weights[finite])[:, None]
            slope = np.linalg.lstsq(design * root, moments[finite] * root, rcond=None)[0][1:]
            low, high = np.nanmin(moments, axis=0), np.nanmax(moments, axis=0)
            moments = np.clip(moments + moved @ slope, low, high)  # no count below zero
        for j in range(len(drawer.plan.targets)):
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
