"""The record of a calibration (``fit.json``): what its stages found, in JSON-ready form.

Every number :mod:`sim.analysis.calibration.markdown` prints and the figures draw is in the
record, with the settings, weights and provenance needed to reproduce it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from sim.analysis.calibration.evaluation import Evaluator
from sim.analysis.calibration.moments import MomentPlan
from sim.analysis.calibration.setup import Setup
from sim.analysis.calibration.uncertainty import (
    chi2_quantile,
    posterior_predictive,
    profile_intervals,
)


@dataclass
class Findings:
    """What the stages of a calibration found (see
    :func:`sim.analysis.calibration.calibrate.run_calibration`).

    Attributes:
        search: the evaluator of the search (``replications`` per point, fitted targets,
            runs cut after the last month they need, common random numbers).
        drawer: the evaluator of the ABC draws: ``search`` itself with common seeds, else
            one with redrawn seeds whose loss leaves out the noise factor.
        reporter: the evaluator of the report (``report.replications`` per point, fitted and
            check targets, full runs).
        found: the optimiser's result (:func:`sim.analysis.calibration.fit.minimise`).
        loss_default: the search's loss at the registry defaults.
        x_fit: the fitted point, rounded.
        loss_fit: its loss in the search.
        selection: how it was chosen (:func:`sim.analysis.calibration.fit.select_fit`).
        posterior: the ABC result (:func:`sim.analysis.calibration.uncertainty.abc`).
        raw_fit, raw_default: the report's raw results at the fit and at the defaults.
    """

    search: Evaluator
    drawer: Evaluator
    reporter: Evaluator
    found: dict[str, Any]
    loss_default: float
    x_fit: np.ndarray
    loss_fit: float
    selection: dict[str, Any]
    posterior: dict[str, Any]
    raw_fit: np.ndarray
    raw_default: np.ndarray

    @property
    def fitted(self) -> dict[str, float]:
        """``{free parameter path: fitted value}``."""
        return self.search.point(self.x_fit)

    @cached_property
    def evaluated(self) -> tuple[np.ndarray, np.ndarray]:
        """Every point evaluated with the search's common random numbers (the search, and
        ABC with common seeds) and its loss: ``(points, k)``, ``(points,)``."""
        return self.search.all_points()


def fit_record(setup: Setup, findings: Findings, *, timings: Mapping[str, float],
               executor: str, workers: int) -> dict[str, Any]:
    """``fit.json``: the fitted values and their intervals, the fit to every target, the
    weights, how the fit was found, what it cost and what produced it.

    Args:
        setup: the set-up, with the noise measured.
        findings: what the stages found.
        timings: seconds per stage.
        executor: how points were run (``serial``, ``processes:2``, ...).
        workers: the ``--workers`` asked for.
    """
    rows, report_loss_default = _target_rows_at_fit(setup, findings)
    return {
        "setup": setup.file, "name": setup.name, "description": setup.description,
        "targets_file": setup.targets_file, "seed": setup.seed,
        "replications": setup.replications,
        "report_replications": setup.report["replications"],
        "loss": findings.loss_fit, "loss_at_defaults": findings.loss_default,
        "report_loss": float(sum(r["loss"] for r in rows if r["used"] and r["loss"] is not None)),
        "report_loss_at_defaults": report_loss_default,
        "targets_within_tolerance": _within_tolerance(rows, len(setup.fit)),
        "parameters": _parameters(setup, findings),
        "simulation_variance": setup.simulation_variance,
        "weights": _weights(setup),
        "selection": findings.selection,
        "optimiser": _optimiser(setup, findings.found),
        "uncertainty": _uncertainty(setup, findings),
        "targets": rows,
        "evaluations": _evaluations(setup, findings),
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "notes": list(setup.notes),
        "provenance": _provenance(setup, executor, workers),
    }


def target_rows(plan: MomentPlan, raw: np.ndarray, *, posterior: np.ndarray | None = None
                ) -> list[dict[str, Any]]:
    """Per target: observed, simulated mean with 95 % interval, deviation, within tolerance.

    Args:
        plan: the report's plan.
        raw: the raw result of the reported point.
        posterior: optional ``(targets, 2)`` 95 % posterior-predictive interval of the moment
            (fitted targets only; NaN rows for others).
    """
    per_rep = plan.per_replication(raw)
    moments = plan.moments(raw)
    contributions = plan.contributions(moments)
    rows = []
    for j, t in enumerate(plan.targets):
        lo, hi = _interval(per_rep[:, j])
        mean = float(moments[j])
        row: dict[str, Any] = {
            "id": t.id, "used": bool(plan.weights[j] > 0), "description": t.description,
            "scenario": t.scenario, "expression": t.label, "relation": t.relation,
            "observed": t.observed, "tolerance": t.tolerance,
            "simulated": {"mean": _num(mean), "ci95": [_num(lo), _num(hi)],
                          "replications": int(np.isfinite(per_rep[:, j]).sum())},
            "deviation": _num(t.z(mean)), "within_tolerance": t.within(mean),
            "weight": float(plan.weights[j]),
            "loss": _num(float(contributions[j])) if plan.weights[j] > 0 else 0.0,
            "source": t.source, "tolerance_note": t.tolerance_note,
        }
        if posterior is not None and np.all(np.isfinite(posterior[j])):
            row["simulated"]["posterior95"] = [float(posterior[j][0]), float(posterior[j][1])]
        if not t.use:
            row["reason"] = t.reason
        rows.append(row)
    return rows


def _target_rows_at_fit(setup: Setup, findings: Findings) -> tuple[list[dict[str, Any]], float]:
    """The report's rows at the fit, each with its moment at the defaults, and the report's
    loss at the defaults (fitted targets only)."""
    plan = findings.reporter.plan
    predictive = posterior_predictive(findings.drawer, findings.posterior, len(plan.targets))
    rows = target_rows(plan, findings.raw_fit, posterior=predictive)
    at_defaults = plan.moments(findings.raw_default)
    for row, m in zip(rows, at_defaults, strict=True):
        row["at_defaults"] = _num(float(m))
    loss_default = float(plan.contributions(at_defaults)[:len(setup.fit)].sum())
    return rows, loss_default


def _within_tolerance(rows: Sequence[Mapping[str, Any]], fitted: int) -> str:
    """E.g. ``10 of 12 fitted, 7 of 11 checks``."""
    fits = sum(r["within_tolerance"] for r in rows if r["used"])
    checks = sum(r["within_tolerance"] for r in rows if not r["used"])
    return f"{fits} of {fitted} fitted, {checks} of {len(rows) - fitted} checks"


def _parameters(setup: Setup, findings: Findings) -> dict[str, dict[str, Any]]:
    """Per free parameter: the fitted value, the default, the bounds and the intervals."""
    level = setup.uncertainty["level"]
    pct = int(round(100 * level))
    profiles = profile_intervals(*findings.evaluated, setup.free, level)
    fitted = findings.fitted
    x_fit = findings.x_fit
    parameters = {}
    for j, f in enumerate(setup.free):
        q = findings.posterior["quantiles"].get(f.path, [math.nan] * 3)
        span = f.high - f.low
        parameters[f.path] = {
            "value": fitted[f.path], "default": f.default, "unit": f.unit,
            "bounds": [f.low, f.high], "registry_bounds": list(f.registry_bounds),
            "median": _num(q[1]), f"interval{pct}": [_num(q[0]), _num(q[2])],
            f"profile_interval{pct}": [_num(v) for v in profiles[f.path]],
            "at_bound": bool(min(x_fit[j] - f.low, f.high - x_fit[j]) <= 0.01 * span),
        }
    return parameters


def _weights(setup: Setup) -> dict[str, dict[str, Any]]:
    """Per fitted target: its weight, the set-up's part and the noise's part of it."""
    return {t.id: {"weight": setup.weight(t), "set_up_weight": setup.weights.get(t.id, 1.0),
                   "noise_sd": _num(setup.noise.get(t.id, math.nan)),
                   "noise_factor": setup.factor(t)} for t in setup.fit}


def _optimiser(setup: Setup, found: Mapping[str, Any]) -> dict[str, Any]:
    """The optimiser's settings and how its search ended."""
    settings = {k: v for k, v in setup.optimiser.items() if k != "method"}
    return {"method": "differential_evolution", **settings,
            "generations": found["generations"], "message": found["message"],
            "success": found["success"], "best_loss_unrounded": found["loss"],
            "history": found["history"]}


def _uncertainty(setup: Setup, findings: Findings) -> dict[str, Any]:
    """How the intervals were found: the ABC draws, threshold and acceptance."""
    level = setup.uncertainty["level"]
    posterior = findings.posterior
    box_low, box_high = posterior["box"]
    profile = float(np.nanmin(findings.evaluated[1])) + chi2_quantile(level, 1)
    return {
        "method": f"ABC, {posterior['estimator']}, {posterior['seeds']} seeds, "
                  "defensive importance sampling",
        "estimator": posterior["estimator"], "seeds": posterior["seeds"],
        "level": level, "draws": int(len(posterior["losses"])),
        "draws_prior": posterior["n_global"], "draws_local": posterior["n_local"],
        "local_box": {f.path: [box_low[j], box_high[j]] for j, f in enumerate(setup.free)},
        "epsilon": posterior["epsilon"], "best_loss": posterior["best"],
        "accepted": int(posterior["accepted"].sum()),
        "accepted_prior_draws": posterior["accepted_prior"],
        "effective_sample_size": posterior["ess"],
        "epsilon_widened": posterior["widened"],
        "accepted_at_box_edge": posterior["at_box_edge"],
        "posterior_draws": _posterior_draws(setup, posterior),
        "profile": "span of each parameter over the points evaluated with the search's "
                   f"random numbers with loss <= best + chi2_{level:g}(1) = {profile:.4g} "
                   "(conditional on those random numbers: a cross-check, not an interval "
                   "that includes the simulation noise)",
    }


def _posterior_draws(setup: Setup, posterior: Mapping[str, Any]) -> dict[str, Any]:
    """The accepted ABC draws and their importance weights, so that plausible worlds
    (:mod:`sim.analysis.worlds`) can draw the calibrated parameters jointly from the
    posterior rather than each from its interval."""
    accepted = np.asarray(posterior["accepted"], dtype=bool)
    draws = np.asarray(posterior["draws"])[accepted]
    weights = np.asarray(posterior["weights"])[accepted]
    return {"parameters": [f.path for f in setup.free],
            "values": [[float(x) for x in row] for row in draws],
            "weights": [float(w) for w in weights]}


def _evaluations(setup: Setup, findings: Findings) -> dict[str, int]:
    """Points simulated (not read from a store) and scenario runs per point."""
    drawn = findings.drawer.evaluated if findings.drawer is not findings.search else 0
    return {"fit_and_abc_points": findings.search.evaluated + drawn,
            "report_points": findings.reporter.evaluated,
            "runs_per_fit_point": setup.replications * len(findings.search.plan.jobs),
            "runs_per_report_point": (setup.report["replications"]
                                      * len(findings.reporter.plan.jobs))}


def _provenance(setup: Setup, executor: str, workers: int) -> dict[str, Any]:
    """The code version, how points were run, and every scenario with its digest."""
    from sim.run.provenance import git_commit, version

    return {"boligsim": version(), "git_commit": git_commit(), "executor": executor,
            "workers": workers,
            "scenarios": [{"file": p, "digest": sc.digest(), "sources": sc.sources}
                          for p, sc in setup.scenarios.items()]}


def _interval(values: np.ndarray) -> tuple[float, float]:
    """The 95 % interval of the mean of the finite ``values`` (NaN if there are none)."""
    from sim.run.results import mean_ci

    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return math.nan, math.nan
    _, low, high = mean_ci(finite)
    return float(low), float(high)


def _num(x: float | None) -> float | None:
    """A JSON-safe float: NaN and infinities become None."""
    return float(x) if x is not None and math.isfinite(x) else None
