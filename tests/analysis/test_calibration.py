"""Tests for calibration (sim/analysis/calibration.py, ``boligsim calibrate``, calibration/*.toml).

Identifiability is tested on synthetic targets the model itself produces at known parameter
values, in a small municipality over one year, with small optimiser and ABC budgets. Bad
set-ups must fail with exit status 2 and one clear line. The committed set-ups, targets and
calibrated fragment are checked for consistency with the registry and the scenarios.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_one_line_error, cli

import sim.analysis.calibration as cal
from sim.cli import main
from sim.inputs.checks import flatten_tables
from sim.inputs.errors import InputError
from sim.inputs.parameters import REGISTRY
from sim.inputs.scenario import load_scenario
from sim.run.ensemble import SerialExecutor

ROOT = Path(__file__).resolve().parents[2]
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
    write_targets(folder / "targets.toml", SYNTHETIC_TARGETS)
    setup = cal.load_setup(write_setup(folder / "setup.toml"))
    design = setup.fit_design()
    evaluator = cal.Evaluator(design, setup.free, seed, replications, SerialExecutor())
    raw = evaluator.raw(np.array([[TRUTH[p] for p in setup.paths]]))[0]
    observed = design.moments(raw)
    spread = design.per_replication(raw).std(axis=0, ddof=1)
    tolerance = spread * math.sqrt(1 / replications + 1 / setup.replications)
    targets = [{**t, "observed": float(o), "tolerance": float(max(s, 1e-6))}
               for t, o, s in zip(SYNTHETIC_TARGETS, observed, tolerance, strict=True)]
    write_targets(folder / "targets.toml", targets)
    return cal.load_setup(folder / "setup.toml")


# --------------------------------------------------------------------------- unit rules
def make_target(relation: str, observed: float = 10.0, tolerance: float = 2.0) -> cal.Target:
    from sim.inputs.expressions import parse

    return cal.Target(id="t", description="d", source="s", scenario=str(BASELINE),
                      expressions=(parse("homeless@final"),), relation=relation,
                      observed=observed, tolerance=tolerance)


def test_relations_measure_deviation_in_tolerances() -> None:
    eq, ge, le = make_target("eq"), make_target("ge"), make_target("le")
    assert eq.z(13.0) == pytest.approx(1.5) and not eq.within(13.0)
    assert eq.z(8.0) == pytest.approx(-1.0) and eq.within(8.0)
    assert ge.z(30.0) == 0.0 and ge.within(30.0)
    assert ge.z(6.0) == pytest.approx(-2.0) and not ge.within(6.0)
    assert le.z(0.0) == 0.0 and le.z(14.0) == pytest.approx(2.0)
    assert math.isnan(eq.z(math.nan)) and not eq.within(math.nan)


def test_loss_is_weighted_sum_of_squares_with_penalty_for_missing_moments() -> None:
    design = cal.Design(jobs=[], targets=[make_target("eq"), make_target("ge")],
                        weights=np.array([2.0, 1.0]), columns=[([0], []), ([1], [])])
    assert design.contributions(np.array([14.0, 4.0])).tolist() == pytest.approx([8.0, 9.0])
    assert design.contributions(np.array([10.0, math.nan]))[1] == cal.NAN_PENALTY


def test_ratio_targets_average_replications_with_a_denominator() -> None:
    design = cal.Design(jobs=[], targets=[make_target("eq")], weights=np.ones(1),
                        columns=[([0, 1], [2])])
    raw = np.array([[1.0, 1.0, 4.0], [3.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
    assert design.per_replication(raw)[:, 0][[0, 2]].tolist() == [0.5, 2.0]
    assert math.isnan(design.per_replication(raw)[1, 0])
    assert design.moments(raw)[0] == pytest.approx(1.25)


def test_weighted_quantiles_and_point_keys() -> None:
    values = np.arange(1.0, 101.0)
    assert cal.weighted_quantiles(values, np.ones(100), [0.5])[0] == pytest.approx(50.5)
    heavy = np.where(values > 50, 1.0, 0.0)
    assert cal.weighted_quantiles(values, heavy, [0.5])[0] > 70
    a = cal.point_key({"x.y": 0.1, "x.z": 2.0})
    assert a == cal.point_key({"x.z": 2, "x.y": 0.1})
    assert a != cal.point_key({"x.y": 0.1 + 1e-15, "x.z": 2.0})


# ----------------------------------------------------------------- committed set-ups
def test_targets_file_records_every_fact_with_source_scenario_and_tolerance() -> None:
    targets = cal.load_targets(CALIBRATION / "targets.toml")
    ids = {t.id for t in targets}
    # domain.md §6, each fact (inputs and unmatched facts as use = false)
    for fact in ("verdal_children_2013", "verdal_children_2017", "verdal_dwellings_2013",
                 "verdal_startloan_children_2016", "stjordal_no_vacancies",
                 "stjordal_long_stays", "malvik_dwellings", "malvik_transit", "group_stable",
                 "persons_with_children", "renting_share", "low_income_moves"):
        assert fact in ids
    for t in targets:
        assert t.source and t.tolerance > 0 and t.tolerance_note
        assert Path(t.scenario).is_file() and Path(t.scenario).parent.name == "scenarios"
        assert t.use or t.reason
        assert t.expressions or not t.use
    used = [t for t in targets if t.use]
    assert len(used) >= 10 and len(targets) - len(used) >= 5


@pytest.mark.parametrize("name", ["main.toml", "small.toml"])
def test_bundled_setups_load_and_free_only_calibrated_parameters(name: str) -> None:
    setup = cal.load_setup(CALIBRATION / name)
    assert setup.free and setup.fit
    for f in setup.free:
        param = REGISTRY[f.path]
        assert param.kind == "calibrated"
        assert param.bounds[0] <= f.low < f.high <= param.bounds[1]
    assert all(t.use for t in setup.fit)
    assert not any(t.use for t in setup.check)


def test_main_setup_fits_all_used_targets_within_the_cpu_budget() -> None:
    setup = cal.load_setup(CALIBRATION / "main.toml")
    assert {t.id for t in setup.fit} == {t.id for t in setup.targets if t.use}
    assert 4 <= len(setup.free) <= 6 and 2 <= setup.replications <= 4
    assert setup.optimiser["popsize"] <= 10 and setup.optimiser["maxiter"] <= 15
    # runs are cut after the last month the fitted targets need
    months = {sc.name: sc.months for sc, _ in setup.fit_design().jobs}
    assert months["Verdal"] < load_scenario(ROOT / "scenarios" / "verdal.toml").months


def test_horizon_cut_does_not_change_the_months_kept() -> None:
    from sim.run.runner import run_replication

    setup = cal.load_setup(CALIBRATION / "small.toml")
    sc = next(iter(setup.scenarios.values()))

    short = run_replication(cal.replace(sc, years=1, sources=list(sc.sources)), 1, 0)
    full = run_replication(sc, 1, 0)
    assert np.array_equal(full[:12], short)


# --------------------------------------------------------------------- identifiability
def test_loss_is_smallest_at_the_parameters_that_made_the_targets(tmp_path: Path) -> None:
    setup = synthetic_setup(tmp_path, seed=1, replications=3)  # the fit's own seeds
    evaluator = cal.Evaluator(setup.fit_design(), setup.free, setup.seed, setup.replications,
                              SerialExecutor())
    truth = np.array([TRUTH[p] for p in setup.paths])
    span = np.array([f.high - f.low for f in setup.free])
    perturbed = [truth + sign * 0.1 * span * np.eye(len(truth))[j]
                 for j in range(len(truth)) for sign in (-1, 1)]
    perturbed.append(truth + 0.1 * span)
    losses = evaluator.losses(np.vstack([truth, *perturbed]))
    assert losses[0] == pytest.approx(0.0, abs=1e-12)
    assert np.all(losses[1:] > 0.5)


def test_calibration_recovers_known_parameters(tmp_path: Path) -> None:
    """A twin experiment: targets made at TRUTH (with the fit's seeds, tolerances one standard
    error) are fitted from the prior with a small budget (40 optimiser points, 24 ABC draws).
    Stated tolerance: each estimate within 10 % of its prior range of the truth, and the
    truth inside the 90 % ABC and profile intervals."""
    setup = synthetic_setup(tmp_path, seed=1, replications=3)
    result = cal.run_calibration(setup, tmp_path / "out", quiet=True, log=lambda text: None)
    for path, info in result.fit["parameters"].items():
        low, high = info["bounds"]
        assert abs(info["value"] - TRUTH[path]) <= 0.1 * (high - low), (path, info)
        lo, hi = info["interval90"]
        assert lo <= TRUTH[path] <= hi, (path, info)
        plo, phi = info["profile_interval90"]
        assert plo <= info["value"] <= phi and plo <= TRUTH[path] <= phi, (path, info)
    assert all(t["within_tolerance"] for t in result.fit["targets"])
    assert result.fit["loss"] < result.fit["loss_at_defaults"]


# --------------------------------------------------------------------------- bad set-ups
@pytest.mark.parametrize(("free", "targets", "needles"), [
    ({"economy.no_such_rate": [0.0, 1.0]}, None, ["economy.no_such_rate",
                                                  "unknown parameter"]),
    ({"policy.rotation.contract_years": [0.0, 3.0]}, None,
     ["free.policy.rotation.contract_years", "only parameters of kind 'calibrated'"]),
    ({"economy.bostotte_own_rate": [0.1, 1.5]}, None,
     ["free.economy.bostotte_own_rate", "outside the valid range", "from 0 to 1"]),
    ({"economy.bostotte_own_rate": [0.3, 0.1]}, None,
     ["free.economy.bostotte_own_rate", "low must be below high"]),
    (None, [{"id": "bad", "expression": "homelss@2013"}], ["unknown indicator 'homelss'",
                                                            "did you mean 'homeless'"]),
    (None, [{"id": "late", "expression": "homeless@2030-01"}],
     ["targets.late", "2030-01 is outside the run", "baseline.toml"]),
    (None, [{"id": "nosource", "expression": "homeless@2013", "source": ""}],
     ["targets.nosource.source", "non-empty string"]),
    (None, [{"id": "twice", "expression": "homeless@2013"},
            {"id": "twice", "expression": "homeless@2014"}], ["targets[2].id", "given twice"]),
    (None, [{"id": "unused", "expression": "homeless@2013", "use": False}],
     ["targets.unused.reason"]),
    (None, [{"id": "rel", "expression": "homeless@2013", "relation": "gt"}],
     ["targets.rel.relation", "eq, ge, le"]),
])
def test_bad_setups_fail_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       free: dict | None, targets: list | None,
                                       needles: list[str]) -> None:
    write_targets(tmp_path / "targets.toml", targets or SYNTHETIC_TARGETS)
    setup = write_setup(tmp_path / "setup.toml", free=free)
    code, _, err = cli(capsys, "calibrate", setup, "--out", tmp_path / "out", "--quiet")
    assert code == 2
    assert_one_line_error(err, *needles)
    assert not (tmp_path / "out" / "fit.json").exists()


def test_missing_files_and_bad_references_fail_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup = write_setup(tmp_path / "setup.toml", targets="nowhere.toml")
    code, _, err = cli(capsys, "calibrate", setup, "--out", tmp_path / "out")
    assert code == 2
    assert_one_line_error(err, "nowhere.toml", "targets file not found")

    code, _, err = cli(capsys, "calibrate", tmp_path / "none.toml", "--out", tmp_path / "o")
    assert code == 2
    assert_one_line_error(err, "none.toml", "calibration set-up not found")

    write_targets(tmp_path / "targets.toml", SYNTHETIC_TARGETS)
    setup = write_setup(tmp_path / "setup.toml", calibration={"fit": ["allowance", "nope"]})
    code, _, err = cli(capsys, "calibrate", setup, "--out", tmp_path / "out")
    assert code == 2
    assert_one_line_error(err, "calibration.fit", "unknown target 'nope'")

    write_targets(tmp_path / "targets.toml",
                  [{"id": "x", "expression": "homeless@2013",
                    "scenario": str(tmp_path / "missing.toml")}])
    setup = write_setup(tmp_path / "setup.toml")
    code, _, err = cli(capsys, "calibrate", setup, "--out", tmp_path / "out")
    assert code == 2
    assert_one_line_error(err, "missing.toml", "not found")

    setup = write_setup(tmp_path / "setup.toml", extra="[optimiser2]\nx = 1\n")
    code, _, err = cli(capsys, "calibrate", setup, "--out", tmp_path / "out")
    assert code == 2
    assert_one_line_error(err, "optimiser2", "unknown table")

    code, _, err = cli(capsys, "calibrate", CALIBRATION / "small.toml", "--out",
                       tmp_path / "out", "--force", "--resume")
    assert code == 2
    assert_one_line_error(err, "--force", "--resume")


def test_phase_changing_a_free_parameter_is_refused(tmp_path: Path) -> None:
    scenario = tmp_path / "reform.toml"
    scenario.write_text(f'[scenario]\nname = "r"\nextends = {json.dumps(str(BASELINE))}\n\n'
                        '[[phases]]\nstart = "2014-01"\n'
                        'economy.bostotte_own_rate = 0.3\n', encoding="utf-8")
    write_targets(tmp_path / "targets.toml",
                  [{"id": "x", "expression": "homeless@2013", "scenario": str(scenario)}])
    with pytest.raises(InputError, match="sets the free parameter economy.bostotte_own_rate"):
        cal.load_setup(write_setup(tmp_path / "setup.toml"))


# ----------------------------------------------------------------- the command, resume
@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``boligsim calibrate calibration/small.toml`` once, for the tests that read it."""
    out = tmp_path_factory.mktemp("small") / "out"
    assert main(["calibrate", str(CALIBRATION / "small.toml"), "--out", str(out),
                 "--quiet"]) == 0
    return out


def test_calibrate_writes_fit_fragment_and_figures(small_run: Path) -> None:
    for name in ("fit.json", "calibrated.toml", "targets.png", "parameters.png"):
        assert (small_run / name).stat().st_size > 0
    fit = json.loads((small_run / "fit.json").read_text(encoding="utf-8"))
    assert math.isfinite(fit["loss"]) and fit["loss"] <= fit["loss_at_defaults"] + 1e-9
    for info in fit["parameters"].values():
        assert info["bounds"][0] <= info["value"] <= info["bounds"][1]
        assert len(info["interval90"]) == 2 and len(info["profile_interval90"]) == 2
    for row in fit["targets"]:
        assert {"observed", "simulated", "within_tolerance", "tolerance", "expression",
                "scenario", "source"} <= set(row)
        lo, hi = row["simulated"]["ci95"]
        assert lo <= row["simulated"]["mean"] <= hi
    assert fit["optimiser"]["history"] == sorted(fit["optimiser"]["history"], reverse=True)
    chosen = fit["selection"]["chosen"]
    assert fit["selection"]["losses_refined"][chosen] == min(fit["selection"]["losses_refined"])
    for weight in fit["weights"].values():
        assert 0 < weight["noise_factor"] <= 1 and weight["noise_sd"] >= 0
    assert list((small_run / "runs" / "points").glob("p*.parquet"))


def test_calibrated_fragment_loads_and_can_be_extended(small_run: Path,
                                                       tmp_path: Path) -> None:
    fit = json.loads((small_run / "fit.json").read_text(encoding="utf-8"))
    fragment = load_scenario(small_run / "calibrated.toml")
    assert fragment.name == cal.CALIBRATED_NAME
    data = tomllib.loads((small_run / "calibrated.toml").read_text(encoding="utf-8"))
    written = flatten_tables({k: v for k, v in data.items() if k != "scenario"})
    assert set(written) == set(fit["parameters"])
    child = tmp_path / "child.toml"
    child.write_text('[scenario]\nname = "Child"\n'
                     f'extends = {json.dumps(str(small_run / "calibrated.toml"))}\n\n'
                     '[municipality]\ninhabitants = 5000\n', encoding="utf-8")
    scenario = load_scenario(child)
    for path, info in fit["parameters"].items():
        assert scenario.params[path] == info["value"]
    assert scenario.params["municipality.inhabitants"] == 5000


def test_resume_reuses_stored_evaluations(small_run: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    before = json.loads((out / "fit.json").read_text(encoding="utf-8"))

    def must_not_run(*args: object) -> None:
        raise AssertionError("a stored point was simulated again")

    monkeypatch.setattr(cal, "evaluate_calibration_point", must_not_run)
    code, _, err = cli(capsys, "calibrate", CALIBRATION / "small.toml", "--out", out,
                       "--quiet")
    assert code == 2 and "--force" in err  # outputs are there: resume or force needed
    code, _, err = cli(capsys, "calibrate", CALIBRATION / "small.toml", "--out", out,
                       "--quiet", "--resume")
    assert code == 0, err
    after = json.loads((out / "fit.json").read_text(encoding="utf-8"))
    for key in ("loss", "parameters", "targets", "uncertainty"):
        assert after[key] == before[key]


# ------------------------------------------------------------ the committed calibration
COMMITTED = CALIBRATION / "calibrated.toml"


@pytest.mark.skipif(not COMMITTED.exists(), reason="no committed calibration yet")
def test_committed_calibration_holds_only_calibrated_parameters_of_the_fit() -> None:
    data = tomllib.loads(COMMITTED.read_text(encoding="utf-8"))
    assert data["scenario"]["name"] == cal.CALIBRATED_NAME
    values = flatten_tables({k: v for k, v in data.items() if k != "scenario"})
    assert values and all(REGISTRY[p].kind == "calibrated" for p in values)
    fit = json.loads((CALIBRATION / "fit.json").read_text(encoding="utf-8"))
    assert {p: i["value"] for p, i in fit["parameters"].items()} == values
    load_scenario(COMMITTED)


@pytest.mark.skipif(not COMMITTED.exists(), reason="no committed calibration yet")
def test_municipal_scenarios_use_the_calibrated_values() -> None:
    data = tomllib.loads(COMMITTED.read_text(encoding="utf-8"))
    values = flatten_tables({k: v for k, v in data.items() if k != "scenario"})
    for file in sorted((ROOT / "scenarios").glob("*.toml")):
        scenario = load_scenario(file)
        assert str(COMMITTED.relative_to(ROOT)) in scenario.sources[0], file
        own = {p for p in values if scenario.params[p] != values[p]}
        # only where the scenario sets the value itself (the calibration notes name them)
        notes = cal._scenario_notes(scenario, list(values), str(file))
        assert own <= {p for p in values if any(f" {p} " in n for n in notes)}, (file, own)
