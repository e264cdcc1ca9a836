"""A calibration set-up (``calibration/main.toml``): what is fitted to which targets, and how.

:func:`load_setup` reads the set-up, the targets file it names and every scenario its targets
belong to, and checks them together, so that a mistake stops the command before any run.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.analysis.calibration.moments import MomentPlan, moment_plan
from sim.analysis.calibration.settings import (
    optimiser_settings,
    report_settings,
    uncertainty_settings,
)
from sim.analysis.calibration.targets import Target, load_targets, squarable
from sim.inputs.checks import (
    boolean,
    bounds,
    flatten_tables,
    number,
    read_toml,
    reject_unknown_keys,
    reject_unknown_tables,
    table,
    text,
)
from sim.inputs.errors import InputError

#: ``[scenario] name`` of the fragments a calibration writes; marks them as calibration output.
CALIBRATED_NAME = "Calibrated parameters"

_SETUP_TABLES = ("calibration", "free", "weights", "overrides", "optimiser", "uncertainty",
                 "report")
_CALIBRATION_KEYS = ("name", "description", "targets", "seed", "replications", "years", "fit",
                     "check", "simulation_variance")


@dataclass(frozen=True)
class FreeParam:
    """A parameter the calibration varies, within ``[low, high]`` (its prior's support).

    Attributes:
        path: the registry path, e.g. ``economy.bostotte_own_rate``.
        low, high: the set-up's bounds, in ``unit``.
        default: the registry default.
        unit: the registry unit.
        registry_bounds: the registry's valid range.
        is_int: whether the parameter is an integer (the search then rounds it).
    """

    path: str
    low: float
    high: float
    default: float
    unit: str
    registry_bounds: tuple[float, float]
    is_int: bool = False


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
        optimiser, uncertainty, report: settings (defaults filled in; see
            :mod:`sim.analysis.calibration.settings`).
        simulation_variance: whether the weights allow for the simulation noise
            (:meth:`factor`).
        scenarios: ``{scenario path: Scenario}``, resolved with ``overrides`` and ``years``.
        notes: things the user should know (printed and written to ``fit.json``).
        noise: ``{target id: replication SD}`` at the registry defaults, once measured
            (:func:`sim.analysis.calibration.fit.measure_noise`).
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

    def weight(self, target: Target, *, noise: bool = True) -> float:
        """The weight of a fitted target's squared deviation in tolerances: the set-up's
        weight times :meth:`factor` (unless ``noise`` is false)."""
        return self.weights.get(target.id, 1.0) * (self.factor(target) if noise else 1.0)

    def fit_plan(self, *, noise: bool = True) -> MomentPlan:
        """The fitted targets, each scenario cut after the last month they need.

        Args:
            noise: weigh each target by :meth:`factor` as well; false for the ABC kernel
                with redrawn seeds, whose draws carry the simulation noise themselves.
        """
        return moment_plan(self.fit, self.scenarios,
                           [self.weight(t, noise=noise) for t in self.fit], truncate=True)

    def report_plan(self) -> MomentPlan:
        """Fitted and check targets over the scenarios' full runs (checks weigh nothing)."""
        targets = [*self.fit, *self.check]
        weights = [self.weight(t) if t in self.fit else 0.0 for t in targets]
        return moment_plan(targets, self.scenarios, weights, truncate=False)


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
    file = os.path.normpath(os.fspath(path))
    data = read_toml(file, "calibration set-up", missing="calibration set-up not found")
    reject_unknown_tables(data, _SETUP_TABLES, file)
    head = table(data, "calibration", file)
    reject_unknown_keys(head, _CALIBRATION_KEYS, file, "calibration")
    name = text(head.get("name"), file, "calibration.name")
    description = text(head.get("description"), file, "calibration.description",
                       required=False)
    targets_file = os.path.normpath(os.path.join(
        os.path.dirname(file), text(head.get("targets"), file, "calibration.targets")))
    seed = number(head.get("seed", 1), file, "calibration.seed", integer=True, low=0)
    replications = number(head.get("replications", 3), file, "calibration.replications",
                          integer=True, low=1)
    years = _years(head.get("years"), file)
    free = _free_params(table(data, "free", file), file)
    overrides = _overrides(table(data, "overrides", file), free, file)
    targets = load_targets(targets_file)
    fit, check = _chosen_targets(head, targets, targets_file, file)
    weights = _weights(table(data, "weights", file), fit, file)
    optimiser = optimiser_settings(data, file)
    simulation_variance = boolean(head.get("simulation_variance", True), file,
                                  "calibration.simulation_variance")
    setup = Setup(
        file=file, name=name, description=description, targets_file=targets_file,
        targets=targets, fit=fit, check=check, free=free, weights=weights, seed=seed,
        replications=replications, years=years, overrides=overrides, optimiser=optimiser,
        uncertainty=uncertainty_settings(data, file), report=report_settings(data, file),
        simulation_variance=simulation_variance,
    )
    _load_scenarios(setup)
    return setup


def _years(value: object, file: str) -> int | None:
    """``calibration.years``: the run length imposed on every scenario, if given."""
    if value is None:
        return None
    from sim.inputs.scenario import MAX_YEARS

    return number(value, file, "calibration.years", integer=True, low=1, high=MAX_YEARS)


def _free_params(free: Mapping[str, Any], file: str) -> list[FreeParam]:
    """The ``[free]`` table: registry parameters of kind ``calibrated`` with their bounds."""
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


def _overrides(overrides: Mapping[str, Any], free: Sequence[FreeParam], file: str
               ) -> dict[str, Any]:
    """The ``[overrides]`` table, checked against the registry; free parameters refused."""
    from sim.inputs.parameters import REGISTRY

    flat = flatten_tables(overrides)
    paths = [f.path for f in free]
    for p in flat:
        if p in paths:
            raise InputError("is a free parameter; it cannot also be overridden", file=file,
                             key=f"overrides.{p}")
    return REGISTRY.validate(flat, where=file)


def _chosen_targets(head: Mapping[str, Any], targets: Sequence[Target], targets_file: str,
                    file: str) -> tuple[list[Target], list[Target]]:
    """The fitted and the check targets named in ``[calibration]``.

    By default every target with ``use = true`` is fitted and every other one with an
    expression is checked.
    """
    by_id = {t.id: t for t in targets}
    fit_ids = (_target_ids(head["fit"], by_id, targets_file, file, "calibration.fit")
               if "fit" in head else [t.id for t in targets if t.use])
    check_ids = (_target_ids(head["check"], by_id, targets_file, file, "calibration.check")
                 if "check" in head else [t.id for t in targets if not t.use and t.expressions])
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
    return [by_id[i] for i in fit_ids], [by_id[i] for i in check_ids]


def _target_ids(value: object, by_id: Mapping[str, Target], targets_file: str, file: str,
                key: str) -> list[str]:
    """A list of ids of targets in ``targets_file``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("expected a list of target ids", file=file, key=key)
    for tid in value:
        if tid not in by_id:
            raise InputError(f"unknown target {tid!r}; targets in {targets_file}: "
                             f"{', '.join(by_id)}", file=file, key=key)
    return list(value)


def _weights(weights: Mapping[str, Any], fit: Sequence[Target], file: str) -> dict[str, float]:
    """The ``[weights]`` table: a positive weight for some of the fitted targets."""
    fitted = {t.id for t in fit}
    out: dict[str, float] = {}
    for tid, w in weights.items():
        if tid not in fitted:
            raise InputError("not a fitted target", file=file, key=f"weights.{tid}")
        out[tid] = squarable(number(w, file, f"weights.{tid}", low=0, low_open=True), file,
                             f"weights.{tid}")
    return out


def _load_scenarios(setup: Setup) -> None:
    """Load every fitted and check target's scenario into ``setup.scenarios`` and check that
    the target's dates fall inside its run."""
    from sim.inputs.scenario import load_scenario

    for target in [*setup.fit, *setup.check]:
        if target.scenario not in setup.scenarios:
            sc = load_scenario(target.scenario, years=setup.years)
            if setup.overrides:
                sc = sc.with_overrides(setup.overrides, where=setup.file)
            _check_free_in_phases(sc, setup.paths, target.scenario)
            setup.notes += _scenario_notes(sc, setup.paths, target.scenario)
            setup.scenarios[target.scenario] = sc
        sc = setup.scenarios[target.scenario]
        for e in (*target.expressions, *target.per):
            try:
                e.check_in_run(sc.start, sc.months, where=setup.targets_file)
            except InputError as exc:
                raise InputError(f"{exc.message} of {target.scenario} (target {target.id})",
                                 file=setup.targets_file, key=f"targets.{target.id}") from None


def _check_free_in_phases(scenario: Any, paths: Sequence[str], file: str) -> None:
    """Refuse a scenario whose phases set a free parameter: the fit could not control it."""
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
