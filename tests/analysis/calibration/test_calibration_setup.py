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
    assert 4 <= len(setup.free) <= 6 and 2 <= setup.replications <= 4
    assert setup.optimiser["popsize"] <= 10 and setup.optimiser["maxiter"] <= 15


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
