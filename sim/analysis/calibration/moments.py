"""Simulated moments: which runs a set of targets needs, and how their results give a loss.

A :class:`MomentPlan` is what a parameter point is evaluated with: the scenarios to run with the
expressions to read from each (its *jobs*), and, for each target, the columns of that raw
result that make its moment, and its weight in the loss.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from sim.analysis.calibration.targets import Target
from sim.inputs.expressions import Expression

#: Loss charged (times the weight) for a moment that cannot be computed.
NAN_PENALTY = 100.0


@dataclass
class MomentPlan:
    """Scenarios to run and how their expressions make the targets' moments.

    Attributes:
        jobs: ``(scenario, expressions)`` pairs; a point's raw result is the replications x
            all jobs' expressions, concatenated in job order.
        targets: the targets computed from the raw result.
        weights: multiplier of each target's squared deviation in tolerances.
        columns: per target, (numerator columns, denominator columns) in the raw result.
    """

    jobs: list[tuple[Any, tuple[Expression, ...]]]
    targets: list[Target]
    weights: np.ndarray
    columns: list[tuple[list[int], list[int]]]

    def identity(self) -> list[dict[str, Any]]:
        """What the raw results depend on, for the part store's manifest."""
        return [{"scenario": sc.name, "digest": sc.digest(), "months": sc.months,
                 "expressions": [e.text for e in exprs]} for sc, exprs in self.jobs]

    def per_replication(self, raw: np.ndarray) -> np.ndarray:
        """Each target's simulated value per replication, ``(R, targets)``; NaN where a
        denominator is zero."""
        out = np.empty((raw.shape[0], len(self.targets)))
        for j, (num, den) in enumerate(self.columns):
            value = raw[:, num].sum(axis=1)
            if den:
                d = raw[:, den].sum(axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    value = np.where(d > 0, value / np.where(d > 0, d, 1.0), np.nan)
            out[:, j] = value
        return out

    def moments(self, raw: np.ndarray) -> np.ndarray:
        """The simulated moments: mean over replications (NaN replications left out)."""
        values = self.per_replication(raw)
        ok = np.isfinite(values)
        count = ok.sum(axis=0)
        total = np.where(ok, values, 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def deviations(self, moments: np.ndarray) -> np.ndarray:
        """Each target's signed deviation in tolerances (:meth:`Target.z`; NaN for a missing
        moment)."""
        return np.array([t.z(float(m)) for t, m in zip(self.targets, moments, strict=True)])

    def contributions(self, moments: np.ndarray) -> np.ndarray:
        """Each target's weighted squared deviation (``NAN_PENALTY`` for a missing moment)."""
        z = self.deviations(moments)
        sq = np.where(np.isfinite(z), z * z, NAN_PENALTY)
        return self.weights * sq

    def loss(self, raw: np.ndarray) -> float:
        """The weighted distance of a point's raw result from the observations."""
        return float(self.contributions(self.moments(raw)).sum())


def moment_plan(targets: Sequence[Target], scenarios: Mapping[str, Any],
                weights: Sequence[float], *, truncate: bool) -> MomentPlan:
    """The plan for ``targets``: one job per scenario, in the order the targets name them.

    Args:
        targets: the targets, in the order of the moments.
        scenarios: ``{scenario path: Scenario}`` holding every target's scenario.
        weights: each target's weight in the loss.
        truncate: cut each scenario after the last year its targets need (cheaper search;
            the months kept are simulated exactly as in the full run).
    """
    exprs: dict[str, list[Expression]] = {}
    for t in targets:
        needed = exprs.setdefault(t.scenario, [])
        for e in (*t.expressions, *t.per):
            if e not in needed:
                needed.append(e)
    jobs = []
    offset: dict[str, int] = {}
    column = 0
    for path, needed in exprs.items():
        sc = scenarios[path]
        if truncate:
            sc = _cut(sc, _horizon_years(sc, needed))
        jobs.append((sc, tuple(needed)))
        offset[path] = column
        column += len(needed)
    columns = [([offset[t.scenario] + exprs[t.scenario].index(e) for e in t.expressions],
                [offset[t.scenario] + exprs[t.scenario].index(e) for e in t.per])
               for t in targets]
    return MomentPlan(jobs=jobs, targets=list(targets),
                      weights=np.asarray(weights, dtype=float), columns=columns)


def _cut(scenario: Any, years: int) -> Any:
    """``scenario`` run for ``years`` only, without the phases that would start later."""
    if years >= scenario.years:
        return scenario
    return replace(scenario, years=years,
                   phases=[p for m, p in scenario.phase_months() if m < years * 12],
                   sources=list(scenario.sources))


def _horizon_years(scenario: Any, exprs: Sequence[Expression]) -> int:
    """Years of ``scenario`` needed to compute ``exprs``: all of it unless every expression
    is dated (``YYYY-MM`` or ``YYYY``), else up to the end of the last year needed."""
    from sim.inputs.calendar import months_between

    need = 0
    for e in exprs:
        if e.other is not None or not re.fullmatch(r"\d{4}(-\d{2})?", e.summary):
            return scenario.years
        if len(e.summary) == 4:
            need = max(need, months_between(scenario.start, f"{e.summary}-12") + 1)
        else:
            need = max(need, months_between(scenario.start, e.summary) + 1)
    return max(1, min(scenario.years, math.ceil(need / 12)))
