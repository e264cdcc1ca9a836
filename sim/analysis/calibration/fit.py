"""Finding the fit: the noise in the weights, the search, and the selection of the best point.

The stages of :func:`sim.analysis.calibration.calibrate.run_calibration` up to the fitted
point; the uncertainty around it is :mod:`sim.analysis.calibration.uncertainty`'s.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.analysis.calibration.evaluation import Evaluator
from sim.analysis.calibration.setup import FreeParam, Setup

#: Significant digits of fitted values in ``calibrated.toml`` (and of the reported point).
DIGITS = 6


def round_point(x: Sequence[float], free: Sequence[FreeParam], digits: int = DIGITS
                ) -> np.ndarray:
    """``x`` rounded to ``digits`` significant digits and kept inside the set-up bounds."""
    out = []
    for v, f in zip(x, free, strict=True):
        r = float(f"{float(v):.{digits}g}")
        out.append(min(max(round(r) if f.is_int else r, f.low), f.high))
    return np.array(out, dtype=float)


def defaults_point(free: Sequence[FreeParam]) -> np.ndarray:
    """The registry defaults of the free parameters, clipped into the set-up bounds."""
    return np.array([min(max(f.default, f.low), f.high) for f in free])


def start_point(free: Sequence[FreeParam], optimiser: Mapping[str, Any], base: str = ""
                ) -> np.ndarray | None:
    """The member of the first population the search starts from: the values of
    ``optimiser.start_at`` (an earlier fit's ``calibrated.toml``, relative to the folder
    ``base`` of the set-up; a free parameter it lacks takes the registry default), else the
    registry defaults if ``start_at_defaults``, clipped into the set-up bounds."""
    if optimiser.get("start_at"):
        import os
        import tomllib

        from sim.inputs.checks import flatten_tables

        with open(os.path.join(base, optimiser["start_at"]), "rb") as fh:
            values = flatten_tables(tomllib.load(fh))
        return np.array([min(max(float(values.get(f.path, f.default)), f.low), f.high)
                         for f in free])
    return defaults_point(free) if optimiser["start_at_defaults"] else None


def measure_noise(probe: Evaluator, setup: Setup) -> None:
    """Set ``setup.noise``: each fitted target's replication SD at the registry defaults.

    With ``simulation_variance`` this turns a target's weight into ``tol² / (tol² + s²/R)``
    (:meth:`~sim.analysis.calibration.setup.Setup.factor`): the squared deviation is divided
    by the variance of observed − simulated mean rather than by the tolerance alone.

    Args:
        probe: evaluates the fitted targets, with ``report.replications`` replications so that
            the SD is measured better than the search's few replications could.
        setup: the set-up; its ``noise`` is replaced (NaN for a target with fewer than two
            finite replications).
    """
    raw = probe.raw(defaults_point(setup.free)[None, :])[0]
    spread = probe.plan.per_replication(raw)
    setup.noise = {t.id: _sd(spread[:, j]) for j, t in enumerate(setup.fit)}


def _sd(values: np.ndarray) -> float:
    """The sample SD of the finite ``values`` (NaN for fewer than two)."""
    finite = values[np.isfinite(values)]
    return float(finite.std(ddof=1)) if finite.size > 1 else math.nan


def minimise(evaluator: Evaluator, setup: Setup) -> dict[str, Any]:
    """Minimise the loss with seeded, vectorised differential evolution.

    Every population is one batch of tasks (:meth:`Evaluator.losses`). Polishing is off: a
    gradient method on a simulated loss would spend many serial evaluations on noise.

    Returns:
        ``x`` (best point, unrounded), ``loss``, ``generations``, ``message``, ``success`` and
        ``history`` (best loss after each generation, the initial population first).
    """
    from scipy.optimize import differential_evolution

    opt = setup.optimiser
    history: list[float] = []

    def objective(xs: np.ndarray) -> np.ndarray:
        losses = evaluator.losses(np.asarray(xs).T)
        best = float(np.min(losses))
        history.append(min(best, history[-1]) if history else best)
        return losses

    mutation = tuple(opt["mutation"]) if isinstance(opt["mutation"], list) else opt["mutation"]
    integrality = [f.is_int for f in setup.free]
    result = differential_evolution(
        objective, [(f.low, f.high) for f in setup.free], strategy=opt["strategy"],
        maxiter=opt["maxiter"], popsize=opt["popsize"], tol=opt["tol"], mutation=mutation,
        recombination=opt["recombination"], rng=np.random.default_rng(setup.seed),
        polish=False, init="latinhypercube", updating="deferred", vectorized=True,
        x0=start_point(setup.free, opt, os.path.dirname(setup.file)),
        integrality=integrality if any(integrality) else None,
    )
    return {"x": np.asarray(result.x, dtype=float), "loss": float(result.fun),
            "generations": int(result.nit), "message": str(result.message),
            "success": bool(result.success), "history": history}


def select_fit(search: Evaluator, refine: Evaluator, found: np.ndarray, setup: Setup
               ) -> tuple[np.ndarray, float, dict[str, Any]]:
    """Choose the fit among the best points of the search, with more replications.

    With few replications the search also chases lucky random numbers; evaluating the
    ``optimiser.reevaluate`` points with the lowest loss (rounded, the optimiser's own best
    first) again with ``refine``'s replications and taking the best there removes most of
    that optimism (the winner's curse).

    Args:
        search: the search's evaluator (every point it evaluated is a candidate).
        refine: the same targets with ``report.replications`` replications.
        found: the optimiser's best point, unrounded.
        setup: the set-up.

    Returns:
        The fitted point, its loss in the search and ``fit.json``'s ``selection``: the
        candidates' losses in the search and refined, and which was chosen.
    """
    reevaluate = setup.optimiser["reevaluate"]
    candidates = _candidates(search, found, setup.free, max(reevaluate, 1))
    refined = refine.losses(candidates) if reevaluate > 0 else np.zeros(1)
    chosen = int(np.argmin(refined))
    x_fit = candidates[chosen]
    loss_fit = float(search.losses(x_fit[None, :])[0])
    selection = {"candidates": len(candidates), "replications": refine.replications,
                 "losses_search": search.losses(candidates).tolist(),
                 "losses_refined": refined.tolist(), "chosen": chosen}
    return x_fit, loss_fit, selection


def _candidates(search: Evaluator, found: np.ndarray, free: Sequence[FreeParam], n: int
                ) -> np.ndarray:
    """Up to ``n`` distinct rounded points: ``found``, then the search's best by loss."""
    candidates = [round_point(found, free)]
    xs, losses = search.all_points()
    for i in np.argsort(losses, kind="stable"):
        if len(candidates) >= n:
            break
        x = round_point(xs[i], free)
        if not any(np.array_equal(x, c) for c in candidates):
            candidates.append(x)
    return np.vstack(candidates)
