"""Tests of simulated moments (sim/analysis/calibration/moments.py): the loss, ratio targets,
and runs cut after the last month the targets need."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from calibration_setups import CALIBRATION, ROOT, make_target

import sim.analysis.calibration as cal
from sim.inputs.scenario import load_scenario


def test_loss_is_weighted_sum_of_squares_with_penalty_for_missing_moments() -> None:
    plan = cal.MomentPlan(jobs=[], targets=[make_target("eq"), make_target("ge")],
                          weights=np.array([2.0, 1.0]), columns=[([0], []), ([1], [])])
    assert plan.contributions(np.array([14.0, 4.0])).tolist() == pytest.approx([8.0, 9.0])
    assert plan.contributions(np.array([10.0, math.nan]))[1] == cal.NAN_PENALTY


def test_ratio_targets_average_replications_with_a_denominator() -> None:
    plan = cal.MomentPlan(jobs=[], targets=[make_target("eq")], weights=np.ones(1),
                          columns=[([0, 1], [2])])
    raw = np.array([[1.0, 1.0, 4.0], [3.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
    assert plan.per_replication(raw)[:, 0][[0, 2]].tolist() == [0.5, 2.0]
    assert math.isnan(plan.per_replication(raw)[1, 0])
    assert plan.moments(raw)[0] == pytest.approx(1.25)


def test_fit_plan_cuts_runs_after_the_last_month_the_targets_need() -> None:
    setup = cal.load_setup(CALIBRATION / "main.toml")
    months = {sc.name: sc.months for sc, _ in setup.fit_plan().jobs}
    assert months["Verdal"] < load_scenario(ROOT / "scenarios" / "verdal.toml").months
    full = {sc.name: sc.months for sc, _ in setup.report_plan().jobs}
    assert full["Verdal"] == load_scenario(ROOT / "scenarios" / "verdal.toml").months


def test_horizon_cut_does_not_change_the_months_kept() -> None:
    from sim.run.runner import run_replication

    setup = cal.load_setup(CALIBRATION / "small.toml")
    sc = next(iter(setup.scenarios.values()))

    short = run_replication(dataclasses.replace(sc, years=1, sources=list(sc.sources)), 1, 0)
    full = run_replication(sc, 1, 0)
    assert np.array_equal(full[:12], short)
