"""Tests for the replication runner (sim/run/runner.py) and the output number format.

Summary semantics are checked on hand-made results with known answers; reproducibility
(common random numbers, independence from the number of workers) on short real runs.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from sim.inputs.indicators import BY_NAME, INDEX, NAMES
from sim.inputs.scenario import Scenario, load_scenario
from sim.run.files import format_number
from sim.run.results import RunResult
from sim.run.runner import replication_seed, run_replication, run_scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
STOCK = "families"
FLOW = "purchases"
MONEY = "social_assistance_nok"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The bundled baseline, cut to one year to keep runs short."""
    return load_scenario(BASELINE, years=1)


def hand_made(scenario: Scenario, columns: dict[str, list[list[float]]]) -> RunResult:
    """A RunResult whose named indicators hold ``columns[name][replication][month]``."""
    reps = len(next(iter(columns.values())))
    months = len(next(iter(columns.values()))[0])
    data = np.zeros((reps, months, len(NAMES)))
    for name, values in columns.items():
        data[:, :, INDEX[name]] = values
    dates = [f"2012-{m + 1:02d}" for m in range(months)]
    return RunResult(scenario=scenario, seed=1, replications=reps, data=data, dates=dates)


def test_kinds_used_here_are_what_the_tests_assume() -> None:
    assert BY_NAME[STOCK].kind == "stock"
    assert BY_NAME[FLOW].kind == "flow"
    assert BY_NAME[MONEY].kind == "money"


def test_stock_takes_last_month_and_flows_and_money_sum(scenario: Scenario) -> None:
    result = hand_made(scenario, {
        STOCK: [[10, 20, 30], [1, 2, 4]],
        FLOW: [[1, 2, 3], [0, 0, 5]],
        MONEY: [[100.5, 0, 0.5], [10, 10, 10]],
    })
    values = result.run_values()
    assert values.shape == (2, len(NAMES))
    assert values[:, INDEX[STOCK]].tolist() == [30, 4]
    assert values[:, INDEX[FLOW]].tolist() == [6, 5]
    assert values[:, INDEX[MONEY]].tolist() == [101, 30]
    summary = result.summary()
    assert list(summary) == list(NAMES)
    assert summary[STOCK]["mean"] == 17
    assert summary[FLOW]["mean"] == 5.5
    assert summary[MONEY]["mean"] == 65.5


def test_ci95_with_one_replication_is_the_value_itself(scenario: Scenario) -> None:
    result = hand_made(scenario, {STOCK: [[3, 7]], FLOW: [[2, 2]]})
    summary = result.summary()
    assert summary[STOCK] == {"mean": 7.0, "ci95": [7.0, 7.0]}
    assert summary[FLOW] == {"mean": 4.0, "ci95": [4.0, 4.0]}
    assert all(isinstance(x, float) for x in [summary[STOCK]["mean"], *summary[STOCK]["ci95"]])


def test_ci95_matches_a_hand_computed_t_interval(scenario: Scenario) -> None:
    # Run values 1, 2, 3, 4: mean 2.5, sample sd sqrt(5/3), standard error sqrt(5/3)/2,
    # t quantile 0.975 with 3 degrees of freedom 3.182446305284263 (from tables).
    result = hand_made(scenario, {STOCK: [[0, 1], [0, 2], [0, 3], [0, 4]]})
    half = 3.182446305284263 * math.sqrt(5 / 3) / 2
    summary = result.summary()[STOCK]
    assert summary["mean"] == 2.5
    assert summary["ci95"] == pytest.approx([2.5 - half, 2.5 + half], rel=1e-12)


def test_ci95_without_spread_has_zero_width(scenario: Scenario) -> None:
    result = hand_made(scenario, {FLOW: [[1, 1], [2, 0], [0, 2]]})
    assert result.summary()[FLOW] == {"mean": 2.0, "ci95": [2.0, 2.0]}


def test_result_rejects_data_of_the_wrong_shape(scenario: Scenario) -> None:
    with pytest.raises(ValueError, match="shape"):
        RunResult(scenario=scenario, seed=1, replications=2, data=np.zeros((2, 3, 4)),
                  dates=["2012-01", "2012-02", "2012-03"])


def test_to_df_wide_and_long(scenario: Scenario) -> None:
    result = hand_made(scenario, {STOCK: [[1, 2], [3, 4]]})
    wide = result.to_df()
    assert list(wide.columns) == ["replication", "month", "date", *NAMES]
    assert len(wide) == 4
    assert wide[STOCK].tolist() == [1, 2, 3, 4]
    assert wide["date"].tolist() == ["2012-01", "2012-02"] * 2
    long = result.to_df(wide=False)
    assert list(long.columns) == ["replication", "month", "date", "indicator", "value"]
    assert len(long) == 4 * len(NAMES)
    rows = long[long["indicator"] == STOCK]
    assert rows["value"].tolist() == [1, 2, 3, 4]
    assert rows["replication"].tolist() == [0, 0, 1, 1]


def test_replication_seed_is_seed_and_index() -> None:
    assert replication_seed(5, 2).entropy == np.random.SeedSequence([5, 2]).entropy
    a = np.random.default_rng(replication_seed(5, 2)).random(4)
    b = np.random.default_rng(np.random.SeedSequence([5, 2])).random(4)
    assert np.array_equal(a, b)


def test_run_replication_shape(scenario: Scenario) -> None:
    history = run_replication(scenario, 1, 0)
    assert history.shape == (scenario.months, len(NAMES))
    assert history.dtype == np.float64


def test_same_seed_same_data_other_seed_different(scenario: Scenario) -> None:
    a = run_scenario(scenario, replications=2, seed=11)
    b = run_scenario(scenario, replications=2, seed=11)
    c = run_scenario(scenario, replications=2, seed=12)
    assert np.array_equal(a.data, b.data)
    assert not np.array_equal(a.data, c.data)
    assert not np.array_equal(a.data[0], a.data[1])  # replications differ from each other
    assert a.dates[0] == scenario.start and len(a.dates) == scenario.months


def test_replication_does_not_depend_on_how_many_are_run(scenario: Scenario) -> None:
    two = run_scenario(scenario, replications=2, seed=3)
    three = run_scenario(scenario, replications=3, seed=3)
    assert np.array_equal(two.data, three.data[:2])


def test_two_workers_give_the_same_data_as_one(scenario: Scenario) -> None:
    serial = run_scenario(scenario, replications=3, seed=5, workers=1)
    parallel = run_scenario(scenario, replications=3, seed=5, workers=2)
    assert serial.executor == "serial"
    assert parallel.executor == "processes:2"
    assert np.array_equal(serial.data, parallel.data)


def test_a_given_pool_gives_the_same_data(scenario: Scenario) -> None:
    serial = run_scenario(scenario, replications=3, seed=5)
    with ThreadPoolExecutor(max_workers=3) as pool:
        pooled = run_scenario(scenario, replications=3, seed=5, pool=pool)
    assert np.array_equal(serial.data, pooled.data)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_called_once_per_replication(scenario: Scenario, workers: int) -> None:
    calls: list[int] = []
    run_scenario(scenario, replications=3, workers=workers, progress=calls.append)
    assert calls == [1, 1, 1]


@pytest.mark.parametrize("kwargs", [{"replications": 0}, {"workers": 0}, {"seed": -1}])
def test_run_scenario_rejects_bad_arguments(scenario: Scenario, kwargs: dict) -> None:
    with pytest.raises(ValueError):
        run_scenario(scenario, **kwargs)


@pytest.mark.parametrize("value, text", [
    (0.0, "0"), (-0.0, "0"), (12.0, "12"), (-3.0, "-3"), (1e15, "1000000000000000"),
    (0.25, "0.25"), (1 / 3, "0.3333333333"), (1234.5678912345, "1234.567891"),
    (1.5e-7, "1.5e-07"), (2.0**60, "1.152921505e+18"), (math.nan, ""), (math.inf, "inf"),
    (-math.inf, "-inf"),
])
def test_number_format_is_fixed(value: float, text: str) -> None:
    assert format_number(value) == text


def test_a_count_interval_stops_at_zero_and_a_net_cost_does_not(scenario: Scenario) -> None:
    """Replications with 0, 0 and 3 purchases: the t-interval of the mean reaches below zero,
    where no expected count can be, so its lower end is 0 in summary.json and comparisons; the
    municipality's net cost can be negative (rent above cost) and keeps its interval."""
    from sim.run.compare import Comparison

    net = "municipal_net_cost_nok"
    result = hand_made(scenario, {FLOW: [[0, 0], [0, 0], [0, 3]], net: [[0, 0], [0, 0], [0, 3]]})
    summary = result.summary()
    assert summary[FLOW]["ci95"][0] == 0.0 and summary[FLOW]["ci95"][1] > 3.0
    assert summary[net]["ci95"][0] < 0.0
    rows = {r["indicator"]: r for r in Comparison([result, result]).rows()
            if r["scenario"] == result.scenario.name}
    assert rows[FLOW]["ci_low"] == 0.0 and rows[net]["ci_low"] < 0.0
