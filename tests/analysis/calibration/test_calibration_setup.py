"""Tests of calibration set-ups (sim/analysis/calibration/setup.py and settings.py,
calibration/main.toml and small.toml).

The bundled set-ups free only parameters of kind 'calibrated' within the registry's range. Bad
set-ups must fail with exit status 2 and one line naming the file, the key and what is allowed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from calibration_setups import (
    BASELINE,
    CALIBRATION,
    SYNTHETIC_TARGETS,
    write_setup,
    write_targets,
)
from helpers import assert_one_line_error, cli

import sim.analysis.calibration as cal
from sim.inputs.errors import InputError
from sim.inputs.parameters import REGISTRY


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
    assert 4 <= len(setup.free) <= 10 and 2 <= setup.replications <= 4
    assert setup.optimiser["popsize"] <= 10 and setup.optimiser["maxiter"] <= 15
    # the search's points (popsize x free parameters per generation): about 1,200 points,
    # 25 minutes on the project's 2-core machine with the burn-in (docs/validation.md)
    points = setup.optimiser["popsize"] * len(setup.free) * (setup.optimiser["maxiter"] + 1)
    assert points <= 1200


def test_settings_fill_in_defaults() -> None:
    setup = cal.load_setup(CALIBRATION / "small.toml")
    assert setup.optimiser["method"] == "differential_evolution"
    assert setup.optimiser["mutation"] == [0.5, 1.0] and setup.optimiser["popsize"] == 4
    assert setup.uncertainty["level"] == 0.9 and setup.uncertainty["draws"] == 16
    assert setup.simulation_variance and setup.weights == {}


@pytest.mark.parametrize(("free", "targets", "needles"), [
    ({"economy.no_such_rate": [0.0, 1.0]}, None, ["economy.no_such_rate",
                                                  "unknown parameter"]),
    ({"policy.rotation.contract_years": [0.0, 3.0]}, None,
     ["free.policy.rotation.contract_years", "only parameters of kind 'calibrated'"]),
    ({"economy.bostotte_own_rate": [0.1, 1.5]}, None,
     ["free.economy.bostotte_own_rate", "outside the valid range", "from 0 to 1"]),
    ({"economy.bostotte_own_rate": [0.3, 0.1]}, None,
     ["free.economy.bostotte_own_rate", "low must be below high"]),
    ({"economy.bostotte_own_rate": 0.2}, None,
     ["free.economy.bostotte_own_rate", "expected [low, high]"]),
    (None, [{"id": "bad", "expression": "homelss@2013"}], ["unknown indicator 'homelss'",
                                                            "did you mean 'homeless'"]),
    (None, [{"id": "late", "expression": "homeless@2030-01"}],
     ["targets.late", "2030-01 is outside the run", "baseline.toml"]),
    (None, [{"id": "nosource", "expression": "homeless@2013", "source": ""}],
     ["targets.nosource.source", "non-empty string"]),
    (None, [{"id": "twice", "expression": "homeless@2013"},
            {"id": "twice", "expression": "homeless@2014"}], ["targets[2].id", "given twice"]),
    (None, [{"id": "Bad-Id", "expression": "homeless@2013"}],
     ["targets[1].id", "lower-case letters, digits and _"]),
    (None, [{"id": "unused", "expression": "homeless@2013", "use": False}],
     ["targets.unused.reason"]),
    (None, [{"id": "rel", "expression": "homeless@2013", "relation": "gt"}],
     ["targets.rel.relation", "eq, ge, le"]),
    (None, [{"id": "tol", "expression": "homeless@2013", "tolerance": 0.0}],
     ["targets.tol.tolerance", "expected a number > 0"]),
    # squared, 1e-320 is 0 and the loss 0 with no target met: refused
    (None, [{"id": "tiny", "expression": "homeless@2013", "tolerance": 1e-320}],
     ["targets.tiny.tolerance", "squares it", "1e-150 to 1e+150"]),
    (None, [{"id": "huge", "expression": "homeless@2013", "tolerance": 1e200}],
     ["targets.huge.tolerance", "squares it"]),
    (None, [{"id": "noexpr", "use": True}], ["targets.noexpr.expression", "missing"]),
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


def set_line(setup: Path, table: str, line: str) -> Path:
    """Put ``line`` (``key = value``) into the set-up's ``[table]``, replacing the key's line
    there if it has one; the table is added if it is not there."""
    lines = setup.read_text(encoding="utf-8").splitlines()
    if f"[{table}]" not in lines:
        lines += [f"[{table}]", line]
    else:
        start = lines.index(f"[{table}]") + 1
        end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")),
                   len(lines))
        key = line.split("=")[0].strip()
        lines = ([*lines[:start], line]
                 + [x for x in lines[start:end] if x.split("=")[0].strip() != key]
                 + lines[end:])
    setup.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return setup


def assert_refused(setup: Path, key: str, allowed: str) -> None:
    """Loading ``setup`` fails naming the file, ``key`` and what is ``allowed``."""
    with pytest.raises(InputError) as info:
        cal.load_setup(setup)
    assert (info.value.file, info.value.key) == (str(setup), key)
    assert allowed in info.value.message


@pytest.mark.parametrize(("calibration", "key", "allowed"), [
    ({"seed": -1}, "calibration.seed", "an integer >= 0"),
    ({"replications": 1.5}, "calibration.replications", "an integer >= 1"),
    ({"years": 0}, "calibration.years", "an integer from 1 to"),
    ({"simulation_variance": 1}, "calibration.simulation_variance", "true or false"),
    ({"description": 3}, "calibration.description", "a string"),
    ({"colour": "red"}, "calibration.colour", "allowed keys are name"),
    ({"fit": "allowance"}, "calibration.fit", "a list of target ids"),
    ({"fit": []}, "calibration.fit", "no targets to fit"),
    ({"check": ["allowance"]}, "calibration.check", "both fitted and checked"),
])
def test_bad_calibration_table_names_key_and_what_is_allowed(
        tmp_path: Path, calibration: dict, key: str, allowed: str) -> None:
    write_targets(tmp_path / "targets.toml", SYNTHETIC_TARGETS)
    assert_refused(write_setup(tmp_path / "setup.toml", calibration=calibration), key, allowed)


@pytest.mark.parametrize(("table", "line", "key", "allowed"), [
    ("weights", "children = 0", "weights.children", "a number > 0"),
    ("weights", "children = 1e-320", "weights.children", "squares it"),
    ("weights", "nope = 2", "weights.nope", "not a fitted target"),
    ("overrides", '"economy.bostotte_own_rate" = 0.2', "overrides.economy.bostotte_own_rate",
     "is a free parameter"),
    ("optimiser", "method = 'nelder_mead'", "optimiser.method",
     "one of differential_evolution"),
    ("optimiser", "popsize = 1", "optimiser.popsize", "an integer from 2 to 1000"),
    ("optimiser", "tol = 'small'", "optimiser.tol", "a finite number"),
    ("optimiser", "mutation = [0.5, 1.0, 1.5]", "optimiser.mutation", "[low, high]"),
    ("optimiser", "recombination = 1.5", "optimiser.recombination", "from 0 to 1"),
    ("optimiser", "start_at_defaults = 'yes'", "optimiser.start_at_defaults", "true or false"),
    ("optimiser", "start_at = 'earlier.toml'", "optimiser.start_at", "earlier.toml not found"),
    ("optimiser", "generations = 3", "optimiser.generations", "allowed keys are method"),
    ("uncertainty", "method = 'mcmc'", "uncertainty.method", "one of abc"),
    ("uncertainty", "draws = -1", "uncertainty.draws", "an integer >= 0"),
    ("uncertainty", "local_width = 0.0", "uncertainty.local_width", "above 0 up to 1"),
    ("uncertainty", "level = 95", "uncertainty.level", "above 0 up to 1"),
    ("report", "replications = 0", "report.replications", "an integer >= 1"),
    ("report", "replicates = 3", "report.replicates", "allowed keys are replications"),
])
def test_bad_settings_name_key_and_what_is_allowed(tmp_path: Path, table: str, line: str,
                                                   key: str, allowed: str) -> None:
    write_targets(tmp_path / "targets.toml", SYNTHETIC_TARGETS)
    assert_refused(set_line(write_setup(tmp_path / "setup.toml"), table, line), key, allowed)


def test_search_starts_from_an_earlier_fit_when_told(tmp_path: Path) -> None:
    """``optimiser.start_at``: the earlier fit's values (clipped into the set-up's bounds; a
    parameter it lacks at its registry default) are the first population's given member;
    without it the registry defaults are, and with neither nothing is."""
    from sim.analysis.calibration.fit import start_point

    write_targets(tmp_path / "targets.toml", SYNTHETIC_TARGETS)
    (tmp_path / "earlier.toml").write_text(
        "[scenario]\nname = 'earlier'\n[economy]\nbostotte_own_rate = 0.9\n", encoding="utf-8")
    setup = cal.load_setup(set_line(write_setup(tmp_path / "setup.toml"), "optimiser",
                                    "start_at = 'earlier.toml'"))
    start = start_point(setup.free, setup.optimiser, str(tmp_path))
    point = dict(zip([f.path for f in setup.free], start, strict=True))
    assert point["economy.bostotte_own_rate"] == 0.35  # 0.9 clipped to the set-up's bound
    assert point["population.municipal_children_share"] == pytest.approx(
        REGISTRY["population.municipal_children_share"].default)
    plain = cal.load_setup(write_setup(tmp_path / "plain.toml"))
    assert list(start_point(plain.free, plain.optimiser)) == [
        min(max(REGISTRY[f.path].default, f.low), f.high) for f in plain.free]
    assert start_point(plain.free, {**plain.optimiser, "start_at_defaults": False}) is None


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
    assert_one_line_error(err, "optimiser2", "unknown table", "allowed tables are calibration")

    (tmp_path / "extra.toml").write_text("[targets2]\nx = 1\n", encoding="utf-8")
    setup = write_setup(tmp_path / "setup.toml", targets="extra.toml")
    code, _, err = cli(capsys, "calibrate", setup, "--out", tmp_path / "out")
    assert code == 2
    assert_one_line_error(err, "extra.toml", "targets2", "allowed tables are targets")

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
