"""Small calibration set-ups for the tests of :mod:`sim.analysis.calibration`.

Synthetic targets are made by the model itself at known parameter values (:data:`TRUTH`), in a
small municipality over one year from its drawn population (no burn-in, so that the initial
share of children in municipal dwellings shows), with small optimiser and ABC budgets.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

import sim.analysis.calibration as cal
from sim.inputs.expressions import parse
from sim.run.ensemble import SerialExecutor

ROOT = Path(__file__).resolve().parents[3]
CALIBRATION = ROOT / "calibration"
BASELINE = ROOT / "scenarios" / "baseline.toml"

#: Known parameter values the synthetic targets are generated at.
TRUTH = {"economy.bostotte_own_rate": 0.2, "population.municipal_children_share": 0.3}
FREE = {"economy.bostotte_own_rate": [0.05, 0.35],
        "population.municipal_children_share": [0.05, 0.6]}
#: Two targets, each identifying one parameter, over the first year of the baseline.
SYNTHETIC_TARGETS = [
    {"id": "allowance", "expression": "housing_allowance_nok@2012",
     "per": ["municipal@2012", "private_rental@2012", "owner_bank@2012"]},
    {"id": "children", "expression": "children_municipal@2012-06"},
]


def toml_value(value: object) -> str:
    """A value in TOML syntax (strings, numbers, booleans, lists of them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def write_targets(path: Path, targets: list[dict[str, object]]) -> Path:
    """Write a targets file; missing keys get harmless defaults."""
    lines = []
    for t in targets:
        entry = {"description": "synthetic", "source": "the model itself",
                 "scenario": str(BASELINE), "observed": 1.0, "tolerance": 1.0,
                 "tolerance_note": "test", **t}
        lines.append("[[targets]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in entry.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_setup(path: Path, targets: str = "targets.toml", *, free: dict | None = None,
                calibration: dict | None = None, extra: str = "") -> Path:
    """Write a small, fast set-up: two free parameters, a small municipality."""
    head = {"name": "test", "targets": targets, "seed": 1, "replications": 3,
            **(calibration or {})}
    lines = ["[calibration]", *(f"{k} = {toml_value(v)}" for k, v in head.items()), "",
             "[free]", *(f"{json.dumps(k)} = {toml_value(v)}"
                         for k, v in (free or FREE).items()), "",
             "[overrides]", '"municipality.inhabitants" = 3000',
             '"stock.municipal_dwellings" = 150', "",
             "[optimiser]", "popsize = 4", "maxiter = 4", "reevaluate = 4", "",
             "[uncertainty]", "draws = 24", "min_accepted = 4", "",
             "[report]", "replications = 3", "", extra]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def synthetic_setup(folder: Path, *, seed: int, replications: int) -> cal.Setup:
    """A set-up whose observed values are the model's own output at :data:`TRUTH`.

    The observations are the mean of ``replications`` runs with ``seed``; each tolerance is
    the standard error of the difference between that mean and the fit's mean of 3
    replications, from the replication spread at the truth.
    """
    start = folder / "baseline_from_the_draw.toml"
    start.write_text(f'[scenario]\nextends = "{BASELINE.as_posix()}"\nburn_in = 0\n',
                     encoding="utf-8")
    synthetic = [{**t, "scenario": str(start)} for t in SYNTHETIC_TARGETS]
    write_targets(folder / "targets.toml", synthetic)
    setup = cal.load_setup(write_setup(folder / "setup.toml"))
    plan = setup.fit_plan()
    evaluator = cal.Evaluator(plan, setup.free, seed, replications, SerialExecutor())
    raw = evaluator.raw(np.array([[TRUTH[p] for p in setup.paths]]))[0]
    observed = plan.moments(raw)
    spread = plan.per_replication(raw).std(axis=0, ddof=1)
    tolerance = spread * math.sqrt(1 / replications + 1 / setup.replications)
    targets = [{**t, "observed": float(o), "tolerance": float(max(s, 1e-6))}
               for t, o, s in zip(synthetic, observed, tolerance, strict=True)]
    write_targets(folder / "targets.toml", targets)
    return cal.load_setup(folder / "setup.toml")


def make_target(relation: str, observed: float = 10.0, tolerance: float = 2.0) -> cal.Target:
    """A target on the baseline's final homeless count."""
    return cal.Target(id="t", description="d", source="s", scenario=str(BASELINE),
                      expressions=(parse("homeless@final"),), relation=relation,
                      observed=observed, tolerance=tolerance)
