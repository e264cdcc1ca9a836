"""Tests of the committed calibration (calibration/calibrated.toml and fit.json): it holds only
calibrated parameters, matches its fit.json, and the municipal scenarios use it."""

from __future__ import annotations

import json
import tomllib

import pytest
from calibration_setups import CALIBRATION, ROOT

import sim.analysis.calibration as cal
from sim.analysis.calibration.setup import _scenario_notes
from sim.inputs.checks import flatten_tables
from sim.inputs.parameters import REGISTRY
from sim.inputs.scenario import load_scenario

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
        notes = _scenario_notes(scenario, list(values), str(file))
        assert own <= {p for p in values if any(f" {p} " in n for n in notes)}, (file, own)
