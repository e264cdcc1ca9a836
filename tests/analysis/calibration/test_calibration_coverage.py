"""Tests of the coverage experiment (sim/analysis/calibration/coverage.py) and of the honest
intervals it measures (the ABC with redrawn seeds in sim/analysis/calibration/uncertainty.py).

The statistical check replaces the simulator by a function model whose answer is known: each
target is a linear function of one free parameter plus noise drawn from the run's seed, three
times the tolerance in SD per replication, so the Monte Carlo error of three replications
(variance 3) weighs more than the tolerance (variance 2.25). Its exact posterior is known, so
each interval the default ABC gives for synthetic facts made at 30 known points is compared
with the exact one: a coverage count alone, over 60 intervals, could not tell a method that
misses a little more often from chance (the exact intervals themselves hold the truth 56 times
here, 177 times in 200 over 100 points).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from calibration_setups import CALIBRATION, write_targets

from sim.analysis.calibration import coverage, evaluation
from sim.inputs.errors import InputError

#: The function model: target expression -> (free parameter, slope); noise SD per replication.
SLOPES = {"homeless@2015": ("market.search_success", 30.0),
          "evictions@2015": ("economy.payment_failure_rate", 300.0)}
NOISE_SD = 3.0


def function_model(jobs: Any, params: dict[str, float], seed: int, replications: int
                   ) -> np.ndarray:
    """Stands in for evaluate_calibration_point: slope x parameter + seeded normal noise."""
    rng = np.random.default_rng(seed)
    columns = []
    for _, exprs in jobs:
        for e in exprs:
            path, slope = SLOPES[e.text]
            columns.append(slope * params[path] + rng.normal(0.0, NOISE_SD, replications))
    return np.column_stack(columns)


@pytest.fixture
def function_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A set-up of two rates and two targets, evaluated by :func:`function_model`."""
    monkeypatch.setattr(evaluation, "evaluate_calibration_point", function_model)
    write_targets(tmp_path / "targets.toml", [
        {"id": "homeless", "expression": "homeless@2015", "tolerance": 1.5},
        {"id": "evictions", "expression": "evictions@2015", "tolerance": 1.5}])
    (tmp_path / "setup.toml").write_text("""
[calibration]
name = "function model"
targets = "targets.toml"
seed = 1
replications = 3

[free]
"market.search_success" = [0.05, 0.8]
"economy.payment_failure_rate" = [0.002, 0.08]

[optimiser]
popsize = 5
maxiter = 5
reevaluate = 3

[uncertainty]
draws = 300

[report]
replications = 20
""", encoding="utf-8")
    return tmp_path / "setup.toml"


def exact_interval(low: float, high: float, fact: float, slope: float
                   ) -> tuple[float, float, float, float]:
    """The function model's exact 90 % posterior interval and median, and its SD scale: a
    normal likelihood of variance tolerance² + noise²/R around fact / slope, truncated to the
    prior's bounds."""
    from scipy.stats import truncnorm

    sd = np.sqrt(1.5 ** 2 + NOISE_SD ** 2 / 3) / slope
    mu = fact / slope
    a, b = (low - mu) / sd, (high - mu) / sd
    lo, med, hi = truncnorm.ppf([0.05, 0.5, 0.95], a, b, loc=mu, scale=sd)
    return float(lo), float(med), float(hi), float(sd)


def test_intervals_match_the_exact_posterior_of_a_function_model(function_setup: Path,
                                                                 tmp_path: Path) -> None:
    """30 known points x 2 parameters, each ABC interval beside the exact posterior's.

    Stated tolerances (measured at 300 draws: width ratio 0.94, centre error 0.14 SD, 54
    intervals holding the truth against the exact posterior's 56): mean width ratio
    0.85–1.15, root-mean-square error of the median under 0.3 posterior SDs, and no more than
    3 fewer intervals holding the truth than the exact ones. Mutants, each caught: common
    seeds in the ABC (centre error 0.35, 42 of 60), no observation error added to the draws
    (width ratio 0.73), no regression adjustment (width ratio 2.1)."""
    summary = coverage.run_coverage(function_setup, tmp_path / "out", values=30,
                                    methods=["regression"], quiet=True)
    assert summary["methods"]["regression"]["all"]["intervals"] == 60
    setup = coverage.load_setup(function_setup)
    rows = coverage.read_rows(tmp_path / "out" / coverage.CSV)
    free = {f.path: f for f in setup.free}
    ratios, errors, exact_inside = [], [], 0
    for i, x in enumerate(coverage.known_points(setup, 30, 1)):
        truth = dict(zip(setup.paths, x, strict=True))
        facts = {t.expressions[0].text: t.observed
                 for t in coverage.synthetic_targets(setup, truth, i)}
        for r in (r for r in rows if r["value"] == i):
            expression = next(e for e, (p, _) in SLOPES.items() if p == r["parameter"])
            f = free[r["parameter"]]
            lo, med, hi, sd = exact_interval(f.low, f.high, facts[expression],
                                             SLOPES[expression][1])
            exact_inside += lo <= truth[r["parameter"]] <= hi
            ratios.append((r["high"] - r["low"]) / (hi - lo))
            errors.append((r["median"] - med) / sd)
    assert 0.85 <= np.mean(ratios) <= 1.15, np.mean(ratios)
    assert np.sqrt(np.mean(np.square(errors))) < 0.3, errors
    inside = summary["methods"]["regression"]["all"]["inside"]
    assert inside >= exact_inside - 3, (inside, exact_inside)


def test_coverage_writes_as_it_goes_and_resumes(function_setup: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    coverage.run_coverage(function_setup, out, values=2, quiet=True)
    rows = coverage.read_rows(out / coverage.CSV)
    assert {(r["value"], r["method"]) for r in rows} == {
        (i, m) for i in range(2) for m in coverage.METHODS}
    assert len(rows) == 2 * len(coverage.METHODS) * 2
    for r in rows:
        assert r["inside"] == (r["low"] <= r["truth"] <= r["high"])
    summary = json.loads((out / coverage.JSON).read_text(encoding="utf-8"))
    assert summary["methods"]["regression"]["all"]["intervals"] == 4
    assert (out / coverage.PNG).stat().st_size > 0
    with pytest.raises(InputError, match="--resume"):
        coverage.run_coverage(function_setup, out, values=2, quiet=True)

    def must_not_run(*args: object) -> None:
        raise AssertionError("a finished calibration was run again")

    monkeypatch.setattr(coverage, "synthetic_targets", must_not_run)
    again = coverage.run_coverage(function_setup, out, values=2, quiet=True, resume=True)
    assert len(coverage.read_rows(out / coverage.CSV)) == len(rows)
    assert again["methods"] == summary["methods"]
    with pytest.raises(InputError, match="another experiment"):
        coverage.run_coverage(function_setup, out, values=3, quiet=True, resume=True)


def test_synthetic_facts_use_other_seeds_and_the_tolerance(function_setup: Path) -> None:
    setup = coverage.load_setup(function_setup)
    truth = {"market.search_success": 0.5, "economy.payment_failure_rate": 0.04}
    seeds = []

    def simulate(s: object, values: dict[str, float], *, seed: int) -> dict[str, float]:
        seeds.append(seed)
        return {"homeless": 15.0, "evictions": 12.0}

    facts = [coverage.synthetic_targets(setup, truth, i, simulate) for i in range(200)]
    assert setup.seed not in seeds and len(set(seeds)) == 200
    errors = np.array([[t.observed for t in f] for f in facts]) - [15.0, 12.0]
    assert abs(errors.mean()) < 0.3 and 1.3 < errors.std() < 1.7  # SD = the tolerance, 1.5


def test_coverage_command_rejects_bad_input(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = coverage.main([str(CALIBRATION / "small.toml"), "--out", str(tmp_path / "o"),
                          "--methods", "bayes"])
    assert code == 2 and "bayes" in capsys.readouterr().err
    code = coverage.main([str(tmp_path / "missing.toml"), "--out", str(tmp_path / "o")])
    assert code == 2 and "missing.toml" in capsys.readouterr().err


def test_coverage_command_runs_the_model(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The small version of the documented experiment: the real simulator makes the facts
    at one known point of the small set-up and calibrates them."""
    out = tmp_path / "out"
    code = coverage.main([str(CALIBRATION / "small.toml"), "--out", str(out), "--values", "1",
                          "--methods", "regression", "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "| regression | **all** |" in printed
    rows = coverage.read_rows(out / coverage.CSV)
    assert [r["parameter"] for r in rows] == ["economy.bostotte_own_rate",
                                              "economy.payment_failure_rate"]
    for r in rows:
        assert r["low"] <= r["median"] <= r["high"] and 0 < r["width_share"] <= 1
    fit = json.loads((out / "values" / "00" / "fit.json").read_text(encoding="utf-8"))
    assert fit["uncertainty"]["seeds"] == "redrawn"
    assert list((out / "values" / "00" / "runs" / "abc").glob("p*.parquet"))
