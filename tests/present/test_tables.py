"""The outcome tables of docs/scenarios.md (:mod:`sim.present.tables`): moves per child, and the
table that says where a model does worse for children than baseline practice."""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.inputs.indicators import INDEX, NAMES
from sim.inputs.scenario import BASELINE_FILE, load_scenario
from sim.present.tables import Paired, children_table, moves_per_child
from sim.run.results import RunResult

MONTHS, REPS = 12, 4


def _result(name: str, children: float, moves: float, insecure: float) -> RunResult:
    sc = dataclasses.replace(load_scenario(BASELINE_FILE, years=1), name=name)
    data = np.zeros((REPS, MONTHS, len(NAMES)))
    noise = np.linspace(-0.5, 0.5, REPS)[:, None]  # replications differ a little
    data[:, :, INDEX["children"]] = children
    data[:, :, INDEX["child_moves"]] = moves / MONTHS + noise / MONTHS
    data[:, :, INDEX["child_months_insecure"]] = insecure + noise
    dates = [f"2012-{k:02d}" for k in range(1, MONTHS + 1)]
    return RunResult(sc, 1, REPS, data, dates)


def test_moves_per_child_is_the_run_s_moves_over_its_mean_children() -> None:
    r = _result("A", children=50.0, moves=25.0, insecure=0.0)
    np.testing.assert_allclose(moves_per_child(r), (25.0 + np.linspace(-0.5, 0.5, REPS)) / 50)


def test_the_children_table_names_where_a_model_does_worse() -> None:
    base = _result("A, baseline practice", children=50.0, moves=25.0, insecure=10.0)
    worse = _result("A", children=50.0, moves=50.0, insecure=12.0)  # more of both
    better = _result("B", children=50.0, moves=10.0, insecure=8.0)
    text = children_table([Paired(base, worse), Paired(base, better)])
    row_a = next(line for line in text.splitlines() if line.startswith("| A |"))
    row_b = next(line for line in text.splitlines() if line.startswith("| B |"))
    assert "child-years homeless or under notice" in row_a and "moves per child" in row_a
    assert "| 2.0 (" in row_a  # 24 more child-months a year: two child-years
    assert row_b.endswith("| – |")
