"""Tests of calibration targets (sim/analysis/calibration/targets.py, calibration/targets.toml).

A target measures the model's deviation in tolerances, one-sided where it states a bound; the
committed targets file records every fact with its source, scenario and tolerance.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from calibration_setups import CALIBRATION, make_target

import sim.analysis.calibration as cal
from sim.inputs.expressions import parse


def test_relations_measure_deviation_in_tolerances() -> None:
    eq, ge, le = make_target("eq"), make_target("ge"), make_target("le")
    assert eq.z(13.0) == pytest.approx(1.5) and not eq.within(13.0)
    assert eq.z(8.0) == pytest.approx(-1.0) and eq.within(8.0)
    assert ge.z(30.0) == 0.0 and ge.within(30.0)
    assert ge.z(6.0) == pytest.approx(-2.0) and not ge.within(6.0)
    assert le.z(0.0) == 0.0 and le.z(14.0) == pytest.approx(2.0)
    assert math.isnan(eq.z(math.nan)) and not eq.within(math.nan)


def test_label_writes_sums_and_ratios_on_one_line() -> None:
    a, b, c = (parse(f"{n}@2016") for n in ("homeless", "municipal", "private_rental"))
    target = cal.Target(id="t", description="d", source="s", scenario="s.toml",
                        expressions=(a,), per=(b, c))
    assert target.label == "homeless@2016 / (municipal@2016 + private_rental@2016)"
    assert cal.Target(id="t", description="d", source="s", scenario="s.toml",
                      expressions=(a, b)).label == "homeless@2016 + municipal@2016"


def test_targets_file_records_every_fact_with_source_scenario_and_tolerance() -> None:
    targets = cal.load_targets(CALIBRATION / "targets.toml")
    ids = {t.id for t in targets}
    # every fact the model was to be compared with (inputs and unmatched facts as use = false)
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
