"""Calibration: fit the registry's ``calibrated`` parameters to observed facts.

The method of simulated moments (MSM). Each *target* (``calibration/targets.toml``) is an
observed number with its source, the scenario it belongs to, the indicator expression the model
must match (:mod:`sim.inputs.expressions`, optionally a sum of expressions divided by another sum)
and a
tolerance. A *set-up* (``calibration/main.toml``) names the free parameters with bounds, the
targets to fit, replications per evaluation, the seed and the optimiser and uncertainty
settings. The loss of a parameter point ``θ`` is::

    L(θ) = Σ_i  w_i · z_i(θ)²,   z_i = (m_i(θ) − observed_i) / tolerance_i

where ``m_i`` is the simulated moment — the mean over replications ``0..R-1``, which use the same
seeds at every point (common random numbers, so ``L`` is a deterministic function of ``θ``) —
``w_i`` the set-up's weight (default 1). For a one-sided target (``relation = "ge"`` or ``"le"``)
``z_i`` is zero on the right side of the bound. A moment that cannot be computed (a share with
no denominator) costs :data:`NAN_PENALTY`.

``L`` is minimised by :func:`scipy.optimize.differential_evolution` (seeded, vectorised): every
population goes to the ensemble runner (:func:`sim.run.ensemble.run_tasks`) as one task per
candidate point, so it runs serially, in local processes or on Dask, and every evaluated point
is stored as a Parquet part keyed by a hash of the point (``DIR/runs/points``); ``--resume``
reads the finished ones back, and since the optimiser is seeded and the loss deterministic, a
resumed calibration retraces the same path.

Parameter uncertainty: approximate Bayesian computation (ABC) with a uniform kernel, by
importance sampling. Draws come from a defensive mixture of the prior (uniform on the set-up
bounds) and a box around the fit, are weighted back to the prior, and are accepted when
``L(θ) ≤ L* + χ²_level(k)`` (``L*`` the smallest loss seen, ``k`` free parameters); the weighted
quantiles of the accepted draws are the reported intervals. ``docs/validation.md`` explains the
choice.

Outputs (:func:`run_calibration`): ``fit.json``, ``calibrated.toml`` (a scenario fragment other
scenarios can ``extends``), ``targets.png`` and ``parameters.png``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.inputs.checks import (
    boolean,
    bounds,
    choice,
    flatten_tables,
    number,
    read_toml,
    reject_unknown_keys,
    reject_unknown_tables,
    settings,
    table,
    text,
)
from sim.inputs.errors import InputError
from sim.inputs.expressions import Expression, parse

#: Relations a target can state: equal to, at least, at most the observed value.
RELATIONS = ("eq", "ge", "le")
#: Symbols of the relations in tables and figures.
RELATION_SIGNS = {"eq": "≈", "ge": "≥", "le": "≤"}
#: Loss charged (times the weight) for a moment that cannot be computed.
NAN_PENALTY = 100.0
#: ``[scenario] name`` of the fragments this module writes; marks them as calibration output.
CALIBRATED_NAME = "Calibrated parameters"
FIT_JSON = "fit.json"
CALIBRATED_TOML = "calibrated.toml"
TARGETS_PNG = "targets.png"
PARAMETERS_PNG = "parameters.png"
#: Files whose presence in ``--out`` means an earlier calibration is there.
OUTPUT_FILES = (FIT_JSON, CALIBRATED_TOML)
#: Significant digits of fitted values in ``calibrated.toml`` (and of the reported point).
DIGITS = 6

_TARGET_KEYS = ("id", "description", "source", "scenario", "expression", "per", "relation",
                "observed", "tolerance", "tolerance_note", "use", "reason")
_SETUP_TABLES = ("calibration", "free", "weights", "overrides", "optimiser", "uncertainty",
                 "report")
_CALIBRATION_KEYS = ("name", "description", "targets", "seed", "replications", "years", "fit",
                     "check", "simulation_variance")
_OPTIMISER_DEFAULTS: dict[str, Any] = {
    "method": "differential_evolution", "popsize": 10, "maxiter": 15, "tol": 0.01,
    "mutation": [0.5, 1.0], "recombination": 0.7, "strategy": "best1bin",
    "start_at_defaults": True, "reevaluate": 10,
}
_UNCERTAINTY_DEFAULTS: dict[str, Any] = {
    "method": "abc", "draws": 300, "local_share": 0.7, "local_width": 0.2, "level": 0.9,
    "min_accepted": 20,
}
_REPORT_DEFAULTS: dict[str, Any] = {"replications": 10}
_ID = re.compile(r"[a-z0-9_]+")


# ----------------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    """One observed fact the model is compared with.

    Attributes:
        id: short unique name (lower case, digits, underscores).
        description: what the number is, in words.
        source: where it comes from (Røe (2018) §x, a ``parameters.md`` row) and any conversion.
        scenario: path of the scenario file it belongs to, resolved against the targets file.
        expressions: summed to give the simulated value (usually one); empty for a fact no
            indicator can match (then ``use`` is false and it is never evaluated).
        per: summed to give a denominator; empty for a plain value.
        relation: ``eq`` (about equal), ``ge`` (at least) or ``le`` (at most).
        observed: the observed value, in the expression's unit.
        tolerance: the distance at which the fit counts as off by one unit (a standard error
            or a tolerance; ``tolerance_note`` says which and why).
        tolerance_note: the justification of the tolerance.
        use: whether calibrations may fit it; ``False`` for inputs and out-of-sample checks.
        reason: why it is not used (required when ``use`` is false).
    """

    id: str
    description: str
    source: str
    scenario: str
    expressions: tuple[Expression, ...]
    per: tuple[Expression, ...] = ()
    relation: str = "eq"
    observed: float = 0.0
    tolerance: float = 1.0
    tolerance_note: str = ""
    use: bool = True
    reason: str = ""

    @property
    def label(self) -> str:
        """The expression as one line, e.g. ``a@2016 / (b@2016 + c@2016)``."""
        num = " + ".join(e.text for e in self.expressions)
        if not self.per:
            return num
        den = " + ".join(e.text for e in self.per)
        if len(self.expressions) > 1:
            num = f"({num})"
        if len(self.per) > 1:
            den = f"({den})"
        return f"{num} / {den}"

    def z(self, simulated: float) -> float:
        """Signed deviation in tolerances; zero on the allowed side of a one-sided target."""
        if not math.isfinite(simulated):
            return math.nan
        d = (simulated - self.observed) / self.tolerance
        if self.relation == "ge":
            return min(d, 0.0)
        if self.relation == "le":
            return max(d, 0.0)
        return d

    def within(self, simulated: float) -> bool:
        """Whether ``simulated`` is within tolerance of the observed value (or bound)."""
        z = self.z(simulated)
        return bool(math.isfinite(z) and abs(z) <= 1.0)


def _expressions(value: object, file: str, key: str) -> tuple[Expression, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise InputError("expected an indicator expression NAME@SUMMARY or a list of them",
                         file=file, key=key)
    out = []
    for item in items:
        try:
            out.append(parse(item, where=file))
        except InputError as exc:
            raise InputError(exc.message, file=file, key=f"{key} {item!r}") from None
    return tuple(out)


def load_targets(path: str | os.PathLike[str]) -> list[Target]:
    """Read and check a targets file (an array of tables ``[[targets]]``).

    Scenario paths are resolved relative to the targets file. Checks the keys, the values,
    that ids are unique, that every expression names a known indicator and that every unused
    target gives a reason. Whether dates fall inside the scenario's run is checked when a
    set-up loads the scenarios (:func:`load_setup`).

    Raises:
        InputError: naming the file and ``targets[N].key`` for any problem.
    """
    file = os.path.normpath(os.fspath(path))
    data = read_toml(file, "targets file", missing="targets file not found")
    reject_unknown_tables(data, ("targets",), file)
    raw = data.get("targets")
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise InputError("expected one or more tables [[targets]]", file=file, key="targets")
    base = os.path.dirname(file)
    targets: list[Target] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, start=1):
        where = f"targets[{n}]"
        reject_unknown_keys(entry, _TARGET_KEYS, file, where)
        tid = text(entry.get("id"), file, f"{where}.id")
        if not _ID.fullmatch(tid):
            raise InputError(f"expected lower-case letters, digits and _, got {tid!r}",
                             file=file, key=f"{where}.id")
        if tid in seen:
            raise InputError("id given twice", file=file, key=f"{where}.id")
        seen.add(tid)
        where = f"targets.{tid}"
        relation = choice(entry.get("relation", "eq"), RELATIONS, file, f"{where}.relation")
        tolerance = number(entry.get("tolerance"), file, f"{where}.tolerance", low=0,
                           low_open=True)
        use = boolean(entry.get("use", True), file, f"{where}.use")
        reason = text(entry.get("reason"), file, f"{where}.reason", required=not use)
        scenario_text = text(entry.get("scenario"), file, f"{where}.scenario")
        if "expression" not in entry and use:
            raise InputError("missing; only a target with use = false (a fact no indicator "
                             "can match) may go without an expression", file=file,
                             key=f"{where}.expression")
        if "per" in entry and "expression" not in entry:
            raise InputError("per without an expression", file=file, key=f"{where}.per")
        targets.append(Target(
            id=tid,
            description=text(entry.get("description"), file, f"{where}.description"),
            source=text(entry.get("source"), file, f"{where}.source"),
            scenario=os.path.normpath(os.path.join(base, scenario_text)),
            expressions=(_expressions(entry["expression"], file, f"{where}.expression")
                         if "expression" in entry else ()),
            per=(_expressions(entry["per"], file, f"{where}.per") if "per" in entry else ()),
            relation=relation,
            observed=number(entry.get("observed"), file, f"{where}.observed"),
            tolerance=tolerance,
            tolerance_note=text(entry.get("tolerance_note"), file, f"{where}.tolerance_note"),
            use=use,
            reason=reason,
        ))
    return targets


# ----------------------------------------------------------------------------------- set-up
@dataclass(frozen=True)
class FreeParam:
    """A parameter the calibration varies, within ``[low, high]`` (its prior's support)."""

    path: str
    low: float
    high: float
    default: float
    unit: str
    registry_bounds: tuple[float, float]
    is_int: bool = False


@dataclass
class Design:
    """Scenarios to run and how their expressions make the targets' moments.

    Attributes:
        jobs: ``(scenario, expressions)`` pairs; a point's raw result is the replications x
            all jobs' expressions, concatenated in job order.
        targets: the targets computed from the raw result.
        weights: multiplier of each target's squared deviation.
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

    def contributions(self, moments: np.ndarray) -> np.ndarray:
        """Each target's weighted squared deviation (``NAN_PENALTY`` for a missing moment)."""
        z = np.array([t.z(float(m)) for t, m in zip(self.targets, moments, strict=True)])
        sq = np.where(np.isfinite(z), z * z, NAN_PENALTY)
        return self.weights * sq

    def loss(self, raw: np.ndarray) -> float:
        """The weighted distance of a point's raw result from the observations."""
        return float(self.contributions(self.moments(raw)).sum())


@dataclass
class Setup:
    """A calibration set-up, checked and with its scenarios loaded.

    Attributes:
        file: the set-up file.
        name, description: from ``[calibration]``.
        targets_file: the targets file it uses.
        targets: every target of that file.
        fit: the targets fitted.
        check: targets evaluated at the fit for the report only (out of sample, inputs).
        free: the free parameters.
        weights: ``{target id: weight}`` of fitted targets.
        seed, replications: of every fitting evaluation.
        years: run length imposed on every scenario, or ``None``.
        overrides: parameter values applied to every scenario.
        optimiser, uncertainty, report: settings (defaults filled in).
        scenarios: ``{scenario path: Scenario}``, resolved with ``overrides`` and ``years``.
        notes: things the user should know (printed and written to ``fit.json``).
    """

    file: str
    name: str
    description: str
    targets_file: str
    targets: list[Target]
    fit: list[Target]
    check: list[Target]
    free: list[FreeParam]
    weights: dict[str, float]
    seed: int
    replications: int
    years: int | None
    overrides: dict[str, Any]
    optimiser: dict[str, Any]
    uncertainty: dict[str, Any]
    report: dict[str, Any]
    simulation_variance: bool = True
    scenarios: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    noise: dict[str, float] = field(default_factory=dict)

    def factor(self, target: Target) -> float:
        """The target's weight factor ``tol² / (tol² + s²/R)`` from the simulation noise
        ``s`` measured at the defaults (1 before it is measured or when switched off)."""
        sd = self.noise.get(target.id)
        if not self.simulation_variance or sd is None or not math.isfinite(sd):
            return 1.0
        tol2 = target.tolerance ** 2
        return tol2 / (tol2 + sd * sd / self.replications)

    @property
    def paths(self) -> list[str]:
        """Dotted paths of the free parameters, in set-up order."""
        return [f.path for f in self.free]

    def weight(self, target: Target) -> float:
        """The weight of a fitted target's squared deviation in tolerances: the set-up's
        weight times :meth:`factor`."""
        return self.weights.get(target.id, 1.0) * self.factor(target)

    def fit_design(self) -> Design:
        """The fitted targets, each scenario cut after the last month they need."""
        return _design(self.fit, self.scenarios, [self.weight(t) for t in self.fit],
                       truncate=True)

    def report_design(self) -> Design:
        """Fitted and check targets over the scenarios' full runs."""
        targets = [*self.fit, *self.check]
        weights = [self.weight(t) if t in self.fit else 0.0 for t in targets]
        return _design(targets, self.scenarios, weights, truncate=False)


def _free_params(free: Mapping[str, Any], file: str) -> list[FreeParam]:
    from sim.inputs.parameters import REGISTRY

    raw = flatten_tables(free)
    if not raw:
        raise InputError("no free parameters; list them as \"path\" = [low, high]", file=file,
                         key="free")
    out = []
    for path, given in raw.items():
        key = f"free.{path}"
        param = REGISTRY.lookup(path, where=file)
        if param.kind != "calibrated":
            raise InputError(f"is a {param.kind} parameter; only parameters of kind "
                             "'calibrated' may be fitted", file=file, key=key)
        if param.type not in (int, float) or param.bounds is None:
            raise InputError("only numeric parameters can be fitted", file=file, key=key)
        low, high = bounds(given, file, key)
        lo, hi = param.bounds
        if low < lo or high > hi:
            raise InputError(f"bounds [{low:g}, {high:g}] are outside the valid range; "
                             f"expected {param.allowed()}", file=file, key=key)
        out.append(FreeParam(path=path, low=low, high=high, default=float(param.default),
                             unit=param.unit, registry_bounds=(float(lo), float(hi)),
                             is_int=param.type is int))
    return out


def _ids(value: object, file: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("expected a list of target ids", file=file, key=key)
    return list(value)


def load_setup(path: str | os.PathLike[str]) -> Setup:
    """Read and check a calibration set-up and everything it refers to.

    Loads the targets file and every scenario the chosen targets belong to, applies the
    set-up's overrides and run length, and checks that every target's dates fall inside its
    scenario's run and that no scenario phase changes a free parameter.

    Raises:
        InputError: naming the file and key for any problem (unknown or non-calibrated free
            parameter, bounds outside the registry's range, unknown target ids or indicators,
            a missing file, a date outside a run, ...).
    """
    from sim.inputs.parameters import REGISTRY
    from sim.inputs.scenario import load_scenario

    file = os.path.normpath(os.fspath(path))
    data = read_toml(file, "calibration set-up", missing="calibration set-up not found")
    reject_unknown_tables(data, _SETUP_TABLES, file)
    head = table(data, "calibration", file)
    reject_unknown_keys(head, _CALIBRATION_KEYS, file, "calibration")
    name = text(head.get("name"), file, "calibration.name")
    description = text(head.get("description"), file, "calibration.description",
                       required=False)
    targets_text = text(head.get("targets"), file, "calibration.targets")
    targets_file = os.path.normpath(os.path.join(os.path.dirname(file), targets_text))
    seed = number(head.get("seed", 1), file, "calibration.seed", integer=True, low=0)
    replications = number(head.get("replications", 3), file, "calibration.replications",
                          integer=True, low=1)
    years = head.get("years")
    if years is not None:
        from sim.inputs.scenario import MAX_YEARS

        years = number(years, file, "calibration.years", integer=True, low=1, high=MAX_YEARS)
    free = _free_params(table(data, "free", file), file)
    paths = [f.path for f in free]

    overrides = flatten_tables(table(data, "overrides", file))
    for p in overrides:
        if p in paths:
            raise InputError("is a free parameter; it cannot also be overridden", file=file,
                             key=f"overrides.{p}")
    overrides = REGISTRY.validate(overrides, where=file)

    targets = load_targets(targets_file)
    by_id = {t.id: t for t in targets}
    fit_ids = (_ids(head["fit"], file, "calibration.fit") if "fit" in head
               else [t.id for t in targets if t.use])
    check_ids = (_ids(head["check"], file, "calibration.check") if "check" in head
                 else [t.id for t in targets if not t.use and t.expressions])
    for key, ids in (("calibration.fit", fit_ids), ("calibration.check", check_ids)):
        for tid in ids:
            if tid not in by_id:
                raise InputError(f"unknown target {tid!r}; targets in {targets_file}: "
                                 f"{', '.join(by_id)}", file=file, key=key)
    for tid in check_ids:
        if not by_id[tid].expressions:
            raise InputError(f"target {tid!r} has no expression to evaluate ({by_id[tid].reason})",
                             file=file, key="calibration.check")
    for tid in fit_ids:
        if not by_id[tid].use:
            raise InputError(f"target {tid!r} is marked use = false ({by_id[tid].reason}); "
                             "remove it from fit", file=file, key="calibration.fit")
    if not fit_ids:
        raise InputError("no targets to fit", file=file, key="calibration.fit")
    both = set(fit_ids) & set(check_ids)
    if both:
        raise InputError(f"target {sorted(both)[0]!r} is both fitted and checked", file=file,
                         key="calibration.check")

    weights_raw = table(data, "weights", file)
    weights: dict[str, float] = {}
    for tid, w in weights_raw.items():
        if tid not in fit_ids:
            raise InputError("not a fitted target", file=file, key=f"weights.{tid}")
        weights[tid] = number(w, file, f"weights.{tid}", low=0, low_open=True)

    optimiser = settings(data, _OPTIMISER_DEFAULTS, file, "optimiser")
    choice(optimiser["method"], ("differential_evolution",), file, "optimiser.method")
    number(optimiser["popsize"], file, "optimiser.popsize", integer=True, low=2)
    number(optimiser["maxiter"], file, "optimiser.maxiter", integer=True, low=0)
    optimiser["tol"] = number(optimiser["tol"], file, "optimiser.tol")
    mutation = optimiser["mutation"]
    if isinstance(mutation, list):
        if len(mutation) != 2:
            raise InputError("expected a number or [low, high] in [0, 2]", file=file,
                             key="optimiser.mutation")
        optimiser["mutation"] = [number(m, file, "optimiser.mutation") for m in mutation]
    else:
        optimiser["mutation"] = number(mutation, file, "optimiser.mutation")
    optimiser["recombination"] = number(optimiser["recombination"], file,
                                        "optimiser.recombination", low=0, high=1)
    boolean(optimiser["start_at_defaults"], file, "optimiser.start_at_defaults")
    number(optimiser["reevaluate"], file, "optimiser.reevaluate", integer=True, low=0)
    simulation_variance = boolean(head.get("simulation_variance", True), file,
                                  "calibration.simulation_variance")

    uncertainty = settings(data, _UNCERTAINTY_DEFAULTS, file, "uncertainty")
    choice(uncertainty["method"], ("abc",), file, "uncertainty.method")
    number(uncertainty["draws"], file, "uncertainty.draws", integer=True, low=0)
    number(uncertainty["min_accepted"], file, "uncertainty.min_accepted", integer=True, low=1)
    uncertainty["local_share"] = number(uncertainty["local_share"], file,
                                        "uncertainty.local_share", low=0, high=1)
    uncertainty["local_width"] = number(uncertainty["local_width"], file,
                                        "uncertainty.local_width", low=0, high=1,
                                        low_open=True)
    uncertainty["level"] = number(uncertainty["level"], file, "uncertainty.level", low=0,
                                  high=1, low_open=True)
    report = settings(data, _REPORT_DEFAULTS, file, "report")
    number(report["replications"], file, "report.replications", integer=True, low=1)

    setup = Setup(
        file=file, name=name, description=description, targets_file=targets_file,
        targets=targets, fit=[by_id[i] for i in fit_ids], check=[by_id[i] for i in check_ids],
        free=free, weights=weights, seed=seed, replications=replications, years=years,
        overrides=overrides, optimiser=optimiser, uncertainty=uncertainty, report=report,
        simulation_variance=simulation_variance,
    )
    for target in [*setup.fit, *setup.check]:
        if target.scenario not in setup.scenarios:
            sc = load_scenario(target.scenario, years=years)
            if overrides:
                sc = sc.with_overrides(overrides, where=file)
            _check_free_in_phases(sc, paths, target.scenario)
            setup.notes += _scenario_notes(sc, paths, target.scenario)
            setup.scenarios[target.scenario] = sc
        sc = setup.scenarios[target.scenario]
        for e in (*target.expressions, *target.per):
            try:
                e.check_in_run(sc.start, sc.months, where=setup.targets_file)
            except InputError as exc:
                raise InputError(f"{exc.message} of {target.scenario} (target {target.id})",
                                 file=setup.targets_file, key=f"targets.{target.id}") from None
    return setup


def _check_free_in_phases(scenario: Any, paths: Sequence[str], file: str) -> None:
    for n, phase in enumerate(scenario.phases, start=1):
        for p in paths:
            if p in phase.params:
                raise InputError(f"phase {phase.label!r} at {phase.start} sets the free "
                                 f"parameter {p}, so the calibration would not control it",
                                 file=file, key=f"phases[{n}].{p}")


def _scenario_notes(scenario: Any, paths: Sequence[str], file: str) -> list[str]:
    """Notes for free parameters a scenario file sets itself (other than calibration output):
    such a scenario ignores the calibrated value unless the line is removed."""
    notes = []
    for source in scenario.sources:
        try:
            with open(source, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):  # pragma: no cover - loaded before
            continue
        if data.get("scenario", {}).get("name") == CALIBRATED_NAME:
            continue
        flat = flatten_tables({k: v for k, v in data.items() if k not in ("scenario", "phases")})
        for p in paths:
            if p in flat:
                notes.append(f"{source} sets {p} = {flat[p]!r} itself; the fit overrides it, "
                             "but runs of that scenario will not use the calibrated value "
                             "unless the line is removed")
    return notes


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


def _design(targets: Sequence[Target], scenarios: Mapping[str, Any], weights: Sequence[float],
            *, truncate: bool) -> Design:
    order: list[str] = []
    exprs: dict[str, list[Expression]] = {}
    for t in targets:
        if t.scenario not in exprs:
            order.append(t.scenario)
            exprs[t.scenario] = []
        for e in (*t.expressions, *t.per):
            if e not in exprs[t.scenario]:
                exprs[t.scenario].append(e)
    jobs = []
    offset: dict[str, int] = {}
    column = 0
    for path in order:
        sc = scenarios[path]
        if truncate:
            years = _horizon_years(sc, exprs[path])
            if years < sc.years:
                sc = replace(sc, years=years,
                             phases=[p for m, p in sc.phase_months() if m < years * 12],
                             sources=list(sc.sources))
        jobs.append((sc, tuple(exprs[path])))
        offset[path] = column
        column += len(exprs[path])
    columns = [([offset[t.scenario] + exprs[t.scenario].index(e) for e in t.expressions],
                [offset[t.scenario] + exprs[t.scenario].index(e) for e in t.per])
               for t in targets]
    return Design(jobs=jobs, targets=list(targets), weights=np.asarray(weights, dtype=float),
                  columns=columns)


# ------------------------------------------------------------------------------- evaluation
def evaluate_calibration_point(jobs: tuple[tuple[Any, tuple[Expression, ...]], ...],
                               params: Mapping[str, float], seed: int, replications: int
                               ) -> np.ndarray:
    """The raw result of one parameter point: every job's expressions per replication.

    Module-level with picklable arguments, so the ensemble runner can send it to processes
    or Dask.

    Returns:
        Array ``(replications, total expressions)``, jobs' columns in job order.
    """
    from sim.run.evaluate import evaluate_point

    return np.hstack([evaluate_point(sc, params, exprs, seed, replications)
                      for sc, exprs in jobs])


def point_key(params: Mapping[str, float]) -> str:
    """A stable file-name key for a parameter point: a hash of its exact values."""
    text = json.dumps({k: repr(float(v)) for k, v in params.items()}, sort_keys=True)
    return "p" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class Evaluator:
    """Evaluates batches of parameter points through the ensemble runner.

    Each point is one :class:`~sim.run.ensemble.Task`; finished points are stored in ``store``
    (Parquet parts keyed by :func:`point_key`) and kept in memory, so a point is never
    simulated twice.

    Args:
        design: the scenarios, expressions and targets.
        free: the free parameters (the order of a point's coordinates).
        seed: the seed of every evaluation (common random numbers).
        replications: replications per point.
        executor: a :class:`concurrent.futures.Executor` (serial, processes or Dask).
        store: a :class:`~sim.run.ensemble.PartStore`, or ``None``.
        progress: called with the number of points completed.
    """

    def __init__(self, design: Design, free: Sequence[FreeParam], seed: int, replications: int,
                 executor: Any, store: Any = None, progress: Callable[[int], Any] | None = None):
        self.design = design
        self.free = list(free)
        self.seed = seed
        self.replications = replications
        self.executor = executor
        self.store = store
        self.progress = progress
        self.cache: dict[str, np.ndarray] = {}
        self.coordinates: dict[str, np.ndarray] = {}
        self.evaluated = 0

    def point(self, x: Sequence[float]) -> dict[str, float]:
        """``{path: value}`` of coordinates ``x`` (integers rounded)."""
        return {f.path: (float(round(v)) if f.is_int else float(v))
                for f, v in zip(self.free, x, strict=True)}

    def raw(self, xs: np.ndarray) -> list[np.ndarray]:
        """Raw results ``(replications, expressions)`` of the points in the rows of ``xs``."""
        from sim.run.ensemble import Task, run_tasks

        rows = np.atleast_2d(np.asarray(xs, dtype=float))
        points = [self.point(x) for x in rows]
        keys = [point_key(p) for p in points]
        for key, x in zip(keys, rows, strict=True):
            self.coordinates.setdefault(key, x.copy())
        jobs = tuple(self.design.jobs)
        todo: dict[str, Any] = {}
        for key, p in zip(keys, points, strict=True):
            if key not in self.cache and key not in todo:
                todo[key] = Task(key, evaluate_calibration_point,
                                 (jobs, p, self.seed, self.replications))
        if todo:
            tasks = list(todo.values())
            results = run_tasks(tasks, self.executor, store=self.store, progress=self.progress)
            for task, value in zip(tasks, results, strict=True):
                self.cache[task.key] = np.asarray(value, dtype=float)
            self.evaluated += len(tasks)
        return [self.cache[k] for k in keys]

    def all_points(self) -> tuple[np.ndarray, np.ndarray]:
        """Every point evaluated so far and its loss: ``(points, k)`` and ``(points,)``."""
        keys = list(self.cache)
        xs = np.array([self.coordinates[k] for k in keys]).reshape(len(keys), len(self.free))
        return xs, np.array([self.design.loss(self.cache[k]) for k in keys])

    def losses(self, xs: np.ndarray) -> np.ndarray:
        """Loss of each row of ``xs``."""
        return np.array([self.design.loss(r) for r in self.raw(xs)])

    def moments(self, xs: np.ndarray) -> np.ndarray:
        """Simulated moments ``(points, targets)`` of the rows of ``xs``."""
        return np.array([self.design.moments(r) for r in self.raw(xs)])


# -------------------------------------------------------------------------------- fit, ABC
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
        x0=defaults_point(setup.free) if opt["start_at_defaults"] else None,
        integrality=integrality if any(integrality) else None,
    )
    return {"x": np.asarray(result.x, dtype=float), "loss": float(result.fun),
            "generations": int(result.nit), "message": str(result.message),
            "success": bool(result.success), "history": history}


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
    from scipy.stats import chi2, qmc

    cfg = setup.uncertainty
    k = len(setup.free)
    low = np.array([f.low for f in setup.free])
    high = np.array([f.high for f in setup.free])
    span = high - low
    n = int(cfg["draws"])
    n_local = int(round(cfg["local_share"] * n))
    n_global = n - n_local
    delta = float(chi2.ppf(cfg["level"], k))
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


def profile_intervals(xs: np.ndarray, losses: np.ndarray, free: Sequence[FreeParam],
                      level: float) -> dict[str, list[float]]:
    """Empirical profile-likelihood intervals from every point evaluated (fit and ABC).

    For parameter ``j``, the span of ``θ_j`` over the evaluated points with
    ``loss ≤ L* + χ²_level(1)``: the profile-likelihood interval if the weighted distance is
    read as −2 log-likelihood with the tolerances as standard deviations. Only evaluated
    points count, not a re-optimisation of the others at each ``θ_j``, so it can be narrower
    than the true profile interval; it is a cross-check of the ABC interval at no extra cost.
    """
    from scipy.stats import chi2

    ok = np.isfinite(losses)
    if not ok.any():
        return {f.path: [math.nan, math.nan] for f in free}
    inside = xs[ok & (losses <= losses[ok].min() + float(chi2.ppf(level, 1)))]
    return {f.path: [float(inside[:, j].min()), float(inside[:, j].max())]
            for j, f in enumerate(free)}


# ------------------------------------------------------------------------------- reporting
def _ci95(values: np.ndarray) -> tuple[float, float]:
    """The 95 % interval of the mean of the finite ``values`` (NaN if there are none)."""
    from sim.run.results import mean_ci

    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return math.nan, math.nan
    _, low, high = mean_ci(finite)
    return float(low), float(high)


def _chi2(level: float, dof: int) -> float:
    from scipy.stats import chi2

    return float(chi2.ppf(level, dof))


def _num(x: float) -> float | None:
    """A JSON-safe float: NaN and infinities become None."""
    return float(x) if x is not None and math.isfinite(x) else None


def target_rows(design: Design, raw: np.ndarray, *, posterior: np.ndarray | None = None
                ) -> list[dict[str, Any]]:
    """Per target: observed, simulated mean with 95 % interval, deviation, within tolerance.

    Args:
        design: the report design.
        raw: the raw result of the reported point.
        posterior: optional ``(targets, 2)`` 95 % posterior-predictive interval of the moment
            (fitted targets only; NaN rows for others).
    """
    per_rep = design.per_replication(raw)
    moments = design.moments(raw)
    contributions = design.contributions(moments)
    rows = []
    for j, t in enumerate(design.targets):
        lo, hi = _ci95(per_rep[:, j])
        mean = float(moments[j])
        z = t.z(mean)
        row: dict[str, Any] = {
            "id": t.id, "used": bool(design.weights[j] > 0), "description": t.description,
            "scenario": t.scenario, "expression": t.label, "relation": t.relation,
            "observed": t.observed, "tolerance": t.tolerance,
            "simulated": {"mean": _num(mean), "ci95": [_num(lo), _num(hi)],
                          "replications": int(np.isfinite(per_rep[:, j]).sum())},
            "deviation": _num(z), "within_tolerance": t.within(mean),
            "weight": float(design.weights[j]),
            "loss": _num(float(contributions[j])) if design.weights[j] > 0 else 0.0,
            "source": t.source, "tolerance_note": t.tolerance_note,
        }
        if posterior is not None and np.all(np.isfinite(posterior[j])):
            row["simulated"]["posterior95"] = [float(posterior[j][0]), float(posterior[j][1])]
        if not t.use:
            row["reason"] = t.reason
        rows.append(row)
    return rows


def fragment_text(setup: Setup, values: Mapping[str, float], intervals: Mapping[str, Any],
                  loss: float) -> str:
    """``calibrated.toml``: a ``[scenario]`` name and the fitted values as nested tables.

    Only the free parameters (all of kind ``calibrated``) are written, each with its 90 %
    interval as a comment, so a scenario that ``extends`` the file takes exactly the fitted
    behavioural rates and nothing else.
    """
    level = int(round(100 * setup.uncertainty["level"]))
    lines = [
        f"# Calibrated parameters written by `boligsim calibrate {setup.file}`.",
        f"# Set-up {setup.name!r}: {len(setup.fit)} targets, {len(setup.free)} free "
        f"parameters, loss {loss:.4g};",
        "# fit.json next to this file has the intervals, the fit to every target and the",
        "# provenance. Other scenarios use these values with `extends = \"<path to this file>\"`",
        "# in their [scenario] table.",
        "",
        "[scenario]",
        f"name = {json.dumps(CALIBRATED_NAME)}",
        f"description = {json.dumps(f'Parameters fitted by calibration set-up {setup.name}')}",
    ]
    groups: dict[str, list[str]] = {}
    for f in setup.free:
        section, leaf = f.path.rsplit(".", 1)
        value = values[f.path]
        value_text = str(int(value)) if f.is_int else repr(float(value))
        q = intervals.get(f.path)
        note = ""
        if q and all(v is not None and math.isfinite(v) for v in q):
            note = f"  # {level} % interval {q[0]:.4g} to {q[2]:.4g} ({f.unit})"
        groups.setdefault(section, []).append(f"{leaf} = {value_text}{note}")
    for section, entries in groups.items():
        lines += ["", f"[{section}]", *entries]
    return "\n".join(lines) + "\n"


def check_fragment(path: Path) -> None:
    """Make sure ``path`` loads as a scenario and can be extended; raise RuntimeError if not."""
    import tempfile

    from sim.inputs.scenario import load_scenario

    load_scenario(path)
    with tempfile.TemporaryDirectory() as tmp:
        child = Path(tmp) / "child.toml"
        child.write_text(f"[scenario]\nname = \"child\"\nextends = "
                         f"{json.dumps(str(Path(path).resolve()))}\n",
                         encoding="utf-8")
        try:
            load_scenario(child)
        except InputError as exc:  # pragma: no cover - would be a bug in fragment_text
            raise RuntimeError(f"written {path} cannot be extended: {exc}") from exc


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
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_parameters(setup: Setup, fitted: Mapping[str, float], posterior: Mapping[str, Any],
                    evaluated: tuple[np.ndarray, np.ndarray], path: str | os.PathLike[str]
                    ) -> None:
    """Two panels per free parameter over its prior range.

    Top: weighted histogram of the accepted ABC draws, the interval, the fit and the registry
    default. Bottom: the loss of every evaluated point (fit and ABC) against the parameter —
    its lower envelope is the empirical profile — with the profile threshold
    ``L* + χ²_level(1)`` and the ABC threshold ``ε``.
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
            cap = best + 6.0 * _chi2(level, k)
            shown = finite & (losses <= cap)
            bottom.scatter(xs[shown, j], losses[shown], s=6, color=PALETTE[2], alpha=0.5,
                           lw=0, label="evaluated points")
            bottom.axhline(best + _chi2(level, 1), color=PALETTE[3], lw=1,
                           label=f"profile threshold ({pct} %)")
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
    fig.savefig(path, dpi=120)
    plt.close(fig)


# ------------------------------------------------------------------------------------ driver
@dataclass
class CalibrationResult:
    """What :func:`run_calibration` produced (also written to ``fit.json``)."""

    fit: dict[str, Any]
    fitted: dict[str, float]
    paths: dict[str, Path]


def run_calibration(setup: Setup, out: str | os.PathLike[str], *, workers: int = 1,
                    scheduler: str | None = None, quiet: bool = False, resume: bool = False,
                    log: Callable[[str], Any] | None = None) -> CalibrationResult:
    """Fit, quantify uncertainty, evaluate the fit and write the outputs into ``out``.

    Stages:

    1. *Noise*: the registry defaults with ``report.replications`` replications give each
       fitted target's replication spread ``s``; with ``simulation_variance`` its weight
       becomes ``tol² / (tol² + s²/R)``, i.e. the squared deviation is divided by the variance
       of observed − simulated mean rather than by the tolerance alone.
    2. *Search*: differential evolution with ``replications`` (R) per point.
    3. *Selection*: the ``optimiser.reevaluate`` points with the lowest loss (rounded) are
       evaluated again with ``report.replications`` and the best there is the fit. With few
       replications the search also chases lucky random numbers; this removes most of that
       optimism (the winner's curse).
    4. *ABC* around the fit (:func:`abc`), with R replications per draw.
    5. *Report*: the fit and the defaults with ``report.replications`` over the full runs of
       every fitted and check target's scenario.

    Every evaluated point is stored in ``out/runs/points`` (search and ABC),
    ``out/runs/refine`` (noise and selection) or ``out/runs/report``; with ``resume`` stored
    points are read instead of simulated.

    Args:
        setup: from :func:`load_setup`.
        out: output directory (must exist; see :func:`sim.run.files.prepare_out_dir`).
        workers: local processes, or Dask workers with ``scheduler="local"``.
        scheduler: ``None``, ``"local"`` or ``"tcp://HOST:PORT"``.
        quiet: no progress bar.
        resume: re-use stored evaluations.
        log: called with notes for the user (default: print to stderr).
    """
    from sim.run.ensemble import PartStore, open_executor
    from sim.run.files import atomic_write_text
    from sim.run.progress import progress
    from sim.run.provenance import git_commit, version

    log = log or (lambda text: print(text, file=sys.stderr))
    out = Path(out)
    for note in setup.notes:
        log(f"note: {note}")
    setup.noise = {}
    fit_design = setup.fit_design()
    base = {"kind": "calibration", "boligsim": version(), "seed": setup.seed,
            "free": setup.paths}
    reps_report = setup.report["replications"]
    points_store = PartStore(out / "runs" / "points",
                             {**base, "replications": setup.replications,
                              "jobs": fit_design.identity()}, resume=resume)
    refine_store = PartStore(out / "runs" / "refine",
                             {**base, "replications": reps_report,
                              "jobs": fit_design.identity()}, resume=resume)
    opt = setup.optimiser
    k = len(setup.free)
    total = ((opt["maxiter"] + 1) * opt["popsize"] * k + 2 + opt["reevaluate"]
             + setup.uncertainty["draws"] + 2)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with open_executor(workers, scheduler) as (executor, executor_name), \
            progress(total, f"calibrate {setup.name}", quiet, unit="point") as update:
        x_default = defaults_point(setup.free)
        probe = Evaluator(fit_design, setup.free, setup.seed, reps_report, executor,
                          refine_store, update)
        spread = fit_design.per_replication(probe.raw(x_default[None, :])[0])
        for j, t in enumerate(setup.fit):
            v = spread[:, j][np.isfinite(spread[:, j])]
            setup.noise[t.id] = float(v.std(ddof=1)) if v.size > 1 else math.nan
        fit_design = setup.fit_design()  # now with the noise in the weights
        report_design = setup.report_design()
        report_store = PartStore(out / "runs" / "report",
                                 {**base, "replications": reps_report,
                                  "jobs": report_design.identity()}, resume=resume)
        evaluator = Evaluator(fit_design, setup.free, setup.seed, setup.replications, executor,
                              points_store, update)
        loss_default = float(evaluator.losses(x_default[None, :])[0])
        found = minimise(evaluator, setup)
        timings["search_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        refine = Evaluator(fit_design, setup.free, setup.seed, reps_report, executor,
                           refine_store, update)
        xs_seen, losses_seen = evaluator.all_points()
        candidates: list[np.ndarray] = [round_point(found["x"], setup.free)]
        for i in np.argsort(losses_seen, kind="stable"):
            if len(candidates) >= max(opt["reevaluate"], 1):
                break
            x = round_point(xs_seen[i], setup.free)
            if not any(np.array_equal(x, c) for c in candidates):
                candidates.append(x)
        cand = np.vstack(candidates)
        refined = refine.losses(cand) if opt["reevaluate"] > 0 else np.zeros(1)
        x_fit = cand[int(np.argmin(refined))]
        loss_fit = float(evaluator.losses(x_fit[None, :])[0])
        selection = {"candidates": len(cand), "replications": reps_report,
                     "losses_search": evaluator.losses(cand).tolist(),
                     "losses_refined": refined.tolist(),
                     "chosen": int(np.argmin(refined))}
        timings["selection_s"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        posterior = abc(evaluator, setup, x_fit, loss_fit)
        timings["abc_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        reporter = Evaluator(report_design, setup.free, setup.seed, reps_report, executor,
                             report_store, update)
        raw_fit, raw_default = reporter.raw(np.vstack([x_fit, x_default]))
        timings["report_s"] = time.perf_counter() - t2
    timings["total_s"] = time.perf_counter() - t0

    fitted = evaluator.point(x_fit)
    accepted = posterior["accepted"]
    n_fit = len(setup.fit)
    predictive = np.full((len(report_design.targets), 2), np.nan)
    if accepted.any():
        mom = evaluator.moments(posterior["draws"][accepted])
        w = posterior["weights"][accepted]
        for j in range(n_fit):
            predictive[j] = weighted_quantiles(mom[:, j], w, [0.025, 0.975])
    rows = target_rows(report_design, raw_fit, posterior=predictive)
    default_moments = report_design.moments(raw_default)
    report_loss_default = float(report_design.contributions(default_moments)[:n_fit].sum())
    for row, m in zip(rows, default_moments, strict=True):
        row["at_defaults"] = _num(float(m))
    level = setup.uncertainty["level"]
    pct = int(round(100 * level))
    xs_all, losses_all = evaluator.all_points()
    profiles = profile_intervals(xs_all, losses_all, setup.free, level)
    parameters = {}
    for j, f in enumerate(setup.free):
        q = posterior["quantiles"].get(f.path, [math.nan] * 3)
        span = f.high - f.low
        parameters[f.path] = {
            "value": fitted[f.path], "default": f.default, "unit": f.unit,
            "bounds": [f.low, f.high], "registry_bounds": list(f.registry_bounds),
            "median": _num(q[1]), f"interval{pct}": [_num(q[0]), _num(q[2])],
            f"profile_interval{pct}": [_num(v) for v in profiles[f.path]],
            "at_bound": bool(min(x_fit[j] - f.low, f.high - x_fit[j]) <= 0.01 * span),
        }
    fit = {
        "setup": setup.file, "name": setup.name, "description": setup.description,
        "targets_file": setup.targets_file, "seed": setup.seed,
        "replications": setup.replications,
        "report_replications": setup.report["replications"],
        "loss": loss_fit, "loss_at_defaults": loss_default,
        "report_loss": float(sum(r["loss"] for r in rows if r["used"] and r["loss"] is not None)),
        "report_loss_at_defaults": report_loss_default,
        "targets_within_tolerance": f"{sum(r['within_tolerance'] for r in rows if r['used'])} "
                                    f"of {n_fit} fitted, "
                                    f"{sum(r['within_tolerance'] for r in rows if not r['used'])}"
                                    f" of {len(rows) - n_fit} checks",
        "parameters": parameters,
        "simulation_variance": setup.simulation_variance,
        "weights": {t.id: {"weight": setup.weight(t), "set_up_weight": setup.weights.get(t.id, 1.0),
                           "noise_sd": _num(setup.noise.get(t.id, math.nan)),
                           "noise_factor": setup.factor(t)} for t in setup.fit},
        "selection": selection,
        "optimiser": {"method": "differential_evolution", **{k_: v for k_, v in opt.items()
                                                              if k_ != "method"},
                      "generations": found["generations"], "message": found["message"],
                      "success": found["success"], "best_loss_unrounded": found["loss"],
                      "history": found["history"]},
        "uncertainty": {
            "method": "ABC, uniform kernel, defensive importance sampling",
            "level": level, "draws": int(len(posterior["losses"])),
            "draws_prior": posterior["n_global"], "draws_local": posterior["n_local"],
            "local_box": {f.path: [posterior["box"][0][j], posterior["box"][1][j]]
                          for j, f in enumerate(setup.free)},
            "epsilon": posterior["epsilon"], "best_loss": posterior["best"],
            "accepted": int(accepted.sum()), "accepted_prior_draws": posterior["accepted_prior"],
            "effective_sample_size": posterior["ess"],
            "epsilon_widened": posterior["widened"],
            "accepted_at_box_edge": posterior["at_box_edge"],
            "profile": "span of each parameter over all evaluated points (fit and ABC) with "
                       f"loss <= best + chi2_{level:g}(1) = "
                       f"{float(np.nanmin(losses_all)) + _chi2(level, 1):.4g}",
        },
        "targets": rows,
        "evaluations": {"fit_and_abc_points": evaluator.evaluated,
                        "report_points": reporter.evaluated,
                        "runs_per_fit_point": setup.replications * len(fit_design.jobs),
                        "runs_per_report_point": (setup.report["replications"]
                                                  * len(report_design.jobs))},
        "timings": {k_: round(v, 2) for k_, v in timings.items()},
        "notes": list(setup.notes),
        "provenance": {"boligsim": version(), "git_commit": git_commit(),
                       "executor": executor_name, "workers": workers,
                       "scenarios": [{"file": p, "digest": sc.digest(), "sources": sc.sources}
                                     for p, sc in setup.scenarios.items()]},
    }
    paths = {FIT_JSON: out / FIT_JSON, CALIBRATED_TOML: out / CALIBRATED_TOML,
             TARGETS_PNG: out / TARGETS_PNG, PARAMETERS_PNG: out / PARAMETERS_PNG}
    intervals = {p: posterior["quantiles"].get(p) for p in setup.paths}
    atomic_write_text(paths[CALIBRATED_TOML],
                      fragment_text(setup, fitted, intervals, loss_fit))
    check_fragment(paths[CALIBRATED_TOML])
    plot_targets(rows, paths[TARGETS_PNG])
    plot_parameters(setup, fitted, posterior, (xs_all, losses_all), paths[PARAMETERS_PNG])
    atomic_write_text(paths[FIT_JSON], json.dumps(fit, indent=2, ensure_ascii=False) + "\n")
    return CalibrationResult(fit=fit, fitted=fitted, paths=paths)


def simulate_targets(setup: Setup, values: Mapping[str, float], *, seed: int | None = None,
                     replications: int | None = None, report: bool = False) -> dict[str, float]:
    """The simulated moments of the set-up's targets at ``values`` (serially, no store).

    Useful for synthetic targets (identifiability checks): observed values the model
    produces at known parameters.

    Args:
        setup: from :func:`load_setup`.
        values: ``{free parameter path: value}`` for every free parameter.
        seed, replications: default to the set-up's.
        report: include the check targets (full runs) instead of only the fitted ones.

    Returns:
        ``{target id: simulated moment}``.
    """
    from sim.run.ensemble import SerialExecutor

    design = setup.report_design() if report else setup.fit_design()
    evaluator = Evaluator(design, setup.free, setup.seed if seed is None else seed,
                          replications or setup.replications, SerialExecutor())
    x = np.array([[values[p] for p in setup.paths]], dtype=float)
    moments = evaluator.moments(x)[0]
    return {t.id: float(m) for t, m in zip(design.targets, moments, strict=True)}


# --------------------------------------------------------------------------- markdown
def _fmt(x: float | None) -> str:
    """A number for a Markdown table: thousands spaced, 3 significant digits below 1,000."""
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}".replace(",", " ")
    if x == 0:
        return "0"
    return f"{x:.3g}"


def fit_markdown(fit: Mapping[str, Any]) -> str:
    """The parameter table and the target table of a ``fit.json`` as Markdown.

    ``docs/validation.md`` is written from this (``python -m sim.analysis.calibration FIT.json``),
    so
    every number there can be traced to the command that made it.
    """
    level = int(round(100 * fit["uncertainty"]["level"]))
    lines = [
        f"Loss {fit['loss']:.3g} at the fit, {fit['loss_at_defaults']:.3g} at the registry "
        f"defaults ({fit['replications']} replications per evaluation, seed {fit['seed']}); "
        f"with {fit['report_replications']} replications "
        f"{fit['report_loss']:.3g} at the fit and "
        f"{fit.get('report_loss_at_defaults', math.nan):.3g} at the defaults. Within "
        f"tolerance: {fit['targets_within_tolerance']}.",
        "",
        f"| parameter | registry default | fitted | {level} % ABC interval | "
        f"{level} % profile interval | prior (set-up bounds) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for path, p in fit["parameters"].items():
        lo, hi = p[f"interval{level}"]
        plo, phi = p[f"profile_interval{level}"]
        flag = " (at bound)" if p["at_bound"] else ""
        lines.append(f"| `{path}` ({p['unit']}) | {_fmt(p['default'])} | "
                     f"**{_fmt(p['value'])}**{flag} | {_fmt(lo)} – {_fmt(hi)} | "
                     f"{_fmt(plo)} – {_fmt(phi)} | {_fmt(p['bounds'][0])} – "
                     f"{_fmt(p['bounds'][1])} |")
    lines += [
        "",
        f"Targets ({fit['report_replications']} replications at the fitted point; 95 % "
        "interval of the mean over replications; *posterior* is the 95 % range of the moment "
        "over the accepted ABC draws):",
        "",
        "| target | scenario | expression | observed | at defaults | simulated (95 % CI) | "
        "posterior | within tolerance |",
        "|---|---|---|---:|---:|---:|---:|:---:|",
    ]
    for used in (True, False):
        for r in (r for r in fit["targets"] if r["used"] == used):
            sim = r["simulated"]
            lo, hi = sim["ci95"]
            post = sim.get("posterior95")
            sign = RELATION_SIGNS[r["relation"]]
            scenario = Path(r["scenario"]).stem
            kind = "" if used else " (check)"
            ok = ("yes" if r["within_tolerance"] else "**no**")
            lines.append(
                f"| `{r['id']}`{kind} | {scenario} | `{r['expression']}` | {sign} "
                f"{_fmt(r['observed'])} ± {_fmt(r['tolerance'])} | "
                f"{_fmt(r.get('at_defaults'))} | {_fmt(sim['mean'])} ({_fmt(lo)} – "
                f"{_fmt(hi)}) | {(_fmt(post[0]) + ' – ' + _fmt(post[1])) if post else '–'} "
                f"| {ok} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sim.analysis.calibration FIT.json``: print the fit's tables as Markdown."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m sim.analysis.calibration",
                                     description="Print a calibration's fit.json as Markdown "
                                                 "tables (for docs/validation.md).")
    parser.add_argument("fit", metavar="FIT.json")
    args = parser.parse_args(argv)
    try:
        fit = json.loads(Path(args.fit).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"python -m sim.analysis.calibration: error: {args.fit}: {exc}", file=sys.stderr)
        return 2
    print(fit_markdown(fit), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
