"""A batch of towns in one set of arrays gives each town the history of its single run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim.engine.model
from sim.engine.model import HousingModel
from sim.engine.ranking import first_in_groups, first_in_order
from sim.engine.towns import LEVERS, TOWN_PARAMETERS, BatchError
from sim.inputs.expressions import parse
from sim.inputs.indicators import INDICATORS
from sim.inputs.scenario import load_scenario
from sim.run.evaluate import evaluate_points
from sim.run.runner import replication_seed, run_batch, run_replication

SCENARIOS = sorted(p.stem for p in (Path(__file__).parents[2] / "scenarios").glob("*.toml"))
#: Indicators that are sums of money: added in another order in a batch (last bits only).
MONEY = [i for i, ind in enumerate(INDICATORS) if ind.name.endswith("_nok")]
COUNTS = [i for i in range(len(INDICATORS)) if i not in MONEY]

#: Three towns: the scenario as it is, and two with every batchable parameter moved.
OVERRIDES = [
    {},
    {"work.job_finding_rate": 0.04, "policy.followup.workers": 6.0, "market.rent": 9000.0,
     "policy.work.measure_places": 25, "market.rate_shift": 0.02,
     "stock.acquire_per_year": 3.0, "policy.startloan.outreach": True},
    {"policy.rotation.contract_years": 2.0, "policy.rotation.rent_to_market": 0.6,
     "policy.startloan.budget_per_1000": 900_000.0, "policy.work.measure_places": 40,
     "economy.payment_failure_rate": 0.04, "market.search_success": 0.4,
     "ownership.purchase_success": 0.25, "stock.acquire_per_year": 1.5,
     "policy.startloan.outreach": False},
]


def towns(name: str, years: int = 4) -> list:
    sc = load_scenario(f"scenarios/{name}.toml", years=years)
    return [sc.with_overrides(o, where="test") if o else sc for o in OVERRIDES]


def assert_same_history(batch: np.ndarray, single: np.ndarray) -> None:
    """Counts equal exactly; money equal to the last bits."""
    np.testing.assert_array_equal(batch[:, COUNTS], single[:, COUNTS])
    np.testing.assert_allclose(batch[:, MONEY], single[:, MONEY], rtol=1e-10, atol=1e-6)


def test_overrides_cover_every_lever_a_batch_lets_differ():
    assert set().union(*OVERRIDES) == LEVERS


@pytest.mark.parametrize("name", SCENARIOS)
def test_towns_in_different_plausible_worlds_reproduce_their_single_runs(name):
    """Plausible worlds of one scenario share a batch: every assumed and fitted parameter may
    differ between its towns (each world draws all of them), and each town is still the
    single run of its world."""
    from sim.analysis.worlds import DEFAULT_FIT, Posterior, draw_worlds
    from sim.inputs.parameters import REGISTRY

    worlds = draw_worlds(3, 5, REGISTRY, Posterior.from_fit(DEFAULT_FIT))
    assert {d.path for d in worlds.dimensions} <= TOWN_PARAMETERS
    scenario = load_scenario(f"scenarios/{name}.toml", years=2)
    scenarios = [worlds.apply(w, scenario) for w in range(3)]
    seeds = [replication_seed(7, k) for k in range(3)]
    batch = HousingModel(scenarios, seeds).run()
    for k, sc in enumerate(scenarios):
        assert_same_history(batch[k], run_replication(sc, 7, k))
    assert not np.array_equal(batch[0], batch[1])


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_town_of_a_batch_reproduces_its_single_run(name):
    scenarios = towns(name)
    seeds = [replication_seed(7, k) for k in range(3)]
    batch = HousingModel(scenarios, seeds).run()
    assert batch.shape == (3, scenarios[0].months, len(INDICATORS))
    for k, sc in enumerate(scenarios):
        assert_same_history(batch[k], run_replication(sc, 7, k))
    # and the towns differ: they are not one run copied
    assert not np.array_equal(batch[0], batch[1])


def test_towns_that_drop_departed_rows_reproduce_their_single_runs(monkeypatch):
    # small thresholds so that each town's draws let departed families go, each town by its
    # own draw rows, in different months
    monkeypatch.setattr(sim.engine.model, "COMPACT_MIN_ROWS", 20)
    monkeypatch.setattr(sim.engine.model, "COMPACT_SHARE", 0.05)
    scenarios = towns("stjordal", years=3)
    batch = HousingModel(scenarios, [1, 2, 3])
    batch.run()
    assert batch.f.compactions > 0
    renumbered = 0
    for k, sc in enumerate(scenarios):
        single = HousingModel(sc, [1, 2, 3][k])
        assert_same_history(batch.history[k], single.run())
        assert batch.towns.draw_rows()[k] == single.towns.draw_rows()[0]
        renumbered += single.towns.draw_rows()[0] < single.f.n_ever
    assert renumbered == len(scenarios)


def test_a_parameter_outside_the_town_parameters_refuses_a_batch_and_run_batch_falls_back():
    sc = load_scenario("scenarios/verdal.toml", years=2)
    other = sc.with_overrides({"policy.followup.cost_per_worker": 900_000}, where="test")
    with pytest.raises(BatchError, match="policy.followup.cost_per_worker"):
        HousingModel([sc, other], [1, 2])
    histories = run_batch([sc, other], [replication_seed(3, 0), replication_seed(3, 1)])
    np.testing.assert_array_equal(histories[0], run_replication(sc, 3, 0))
    np.testing.assert_array_equal(histories[1], run_replication(other, 3, 1))


def test_towns_whose_rates_move_apart_reproduce_their_single_runs():
    """Towns two percentage points apart: in 2021 the lower town's rates stay at their floor of
    0 while the other town's move, and only the moving town's loans follow. Each town still
    gets its single run's history."""
    sc = load_scenario("scenarios/baseline.toml", overrides=["population.share_owner=0.5"])
    scenarios = [sc.with_overrides({"market.rate_shift": s}, where="test") for s in (0.0, -0.02)]
    batch = HousingModel(scenarios, [5, 6]).run()
    for k, town in enumerate(scenarios):
        assert_same_history(batch[k], HousingModel(town, [5, 6][k]).run())


def test_towns_must_share_months_and_have_one_seed_each():
    sc = load_scenario("scenarios/verdal.toml", years=2)
    with pytest.raises(BatchError, match="months"):
        HousingModel([sc, load_scenario("scenarios/verdal.toml", years=3)], [1, 2])
    with pytest.raises(BatchError, match="one seed per town"):
        HousingModel([sc, sc], [1])


def test_conservation_holds_in_every_town_of_a_batch():
    m = HousingModel(towns("verdal", years=2), [4, 5, 6])
    for _ in range(m.burn_in + m.months):
        m.step()
        f, n = m.f, m.f.n
        for t in range(m.towns.n):
            mine = (f.town[:n] == t) & f.active[:n]
            held = f.dwelling[:n][mine]
            held = held[held >= 0]
            assert np.all(m.stock.town[held] == t)  # no one lives in another town's stock
            assert np.all(m.stock.occupant[held] == mine.nonzero()[0][f.dwelling[:n][mine] >= 0])
            stock = m.stock.active & (m.stock.town == t)
            assert np.count_nonzero(stock & (m.stock.occupant >= 0)) <= np.count_nonzero(stock)


def test_evaluate_points_in_a_batch_equals_running_each_point():
    sc = load_scenario("scenarios/verdal.toml", years=3)
    outputs = [parse(e) for e in ("homeless@mean", "social_assistance_nok@total")]
    points = [{"market.search_success": 0.2, "policy.followup.workers": 2.0},
              {"market.search_success": 0.45, "policy.followup.workers": 7.0}]
    got = evaluate_points(sc, points, outputs, seed=11, replications=2)
    for j, point in enumerate(points):
        at = sc.with_overrides(point, where="test")
        for k in range(2):
            history = run_replication(at, 11, k)
            want = [e.value(history, sc.start) for e in outputs]
            np.testing.assert_allclose(got[j, k], want, rtol=1e-10)


@pytest.mark.parametrize("low, high", [(0, 60), (1001, 4000)])
def test_first_in_groups_is_first_in_order_within_each_group(low: int, high: int):
    """Short lists, and long ones that are first cut to each group's contenders (with ties
    in the tie-break too)."""
    rng = np.random.default_rng(low)
    for _ in range(50 if high < 100 else 15):
        n = int(rng.integers(low, high))
        groups = rng.integers(0, 4, n).astype(np.int32)
        tie_break = rng.random(n) if rng.random() < 0.5 else rng.integers(0, 5, n) / 5
        keys = (tie_break, rng.integers(0, 3, n), rng.random(n) < 0.5)
        tops = rng.integers(-1, 12 if high < 100 else 400, 4)
        got = first_in_groups(keys, groups, tops)
        for g in range(4):
            rows = (groups == g).nonzero()[0]
            want = rows[first_in_order(tuple(k[rows] for k in keys), int(tops[g]))]
            np.testing.assert_array_equal(got[groups[got] == g], want)


def _double_each(items: list[tuple]) -> list[int]:
    _double_each.calls.append(len(items))
    return [2 * x for (x,) in items]


_double_each.calls = []


def test_run_tasks_sends_tasks_with_a_batch_function_in_groups(tmp_path):
    from sim.run.ensemble import PartStore, SerialExecutor, Task, run_tasks

    tasks = [Task(f"t{k}", lambda x: 2 * x, (k,), batch=_double_each) for k in range(7)]
    store = PartStore(tmp_path, {"what": "test"})
    _double_each.calls.clear()
    ticks: list[int] = []
    got = run_tasks(tasks, SerialExecutor(), store=store, progress=ticks.append, group=3)
    assert got == [0, 2, 4, 6, 8, 10, 12]
    assert _double_each.calls == [3, 3, 1] and ticks == [1] * 7
    assert all(f"t{k}" in store for k in range(7))  # each stored under its own key


def test_a_replication_is_the_same_whatever_runs_beside_it():
    from sim.run.runner import run_scenario

    sc = load_scenario("scenarios/malvik.toml", years=2)
    three = run_scenario(sc, replications=3, seed=4).data
    five = run_scenario(sc, replications=5, seed=4).data
    np.testing.assert_array_equal(three, five[:3])
    for k in range(3):
        np.testing.assert_array_equal(five[k], run_replication(sc, 4, k))
        assert_same_history(five[k], HousingModel(sc, replication_seed(4, k)).run())


def test_replication_groups_fill_batches_without_idling_workers():
    """Small municipalities send as many replications a task as fill a batch (BATCH_ROWS),
    no task holds more than TASK_FAMILY_MONTHS of work (what a killed run can lose), tasks
    are even, a national run goes alone, and no grouping leaves a worker without a task."""
    from sim.engine.resources import families_at_once
    from sim.run.bench import bench_scenario
    from sim.run.runner import GROUP_MAX, TASK_FAMILY_MONTHS, replication_group

    short = load_scenario("scenarios/verdal.toml", years=10, burn_in=0)
    assert replication_group(short, 1000, 2) == 53  # 19 tasks of 52-53, not 18 of 53 and 46
    assert replication_group(short, 100, 2) == 50  # two tasks for two workers
    assert replication_group(short, 100, 8) == 13
    assert replication_group(short, 1, 2) == 1
    assert replication_group(bench_scenario(122_000, 20), 100, 2) == 1
    full = load_scenario("scenarios/trondheim_lerkendal.toml")  # larger, with its burn-in
    work = families_at_once(full.params) * full.simulated_months
    for workers in (1, 2):
        group = replication_group(full, 1000, workers)
        assert 8 <= group < GROUP_MAX and group * work <= TASK_FAMILY_MONTHS
    assert replication_group(full, 40, 1) == 14  # 14 + 13 + 13, not 16 + 16 + 8


@pytest.mark.parametrize("batch", [False, True])
def test_dropping_departed_rows_changes_no_familys_numbers(monkeypatch, batch):
    """Departed families' rows leave the arrays far sooner than the draws let them go: a run
    that drops them every month gives the history of one that never does (counts exactly,
    money to the last bits). A family keeps its place in the draws, not its row."""
    scenarios = towns("verdal", years=2)

    def run(share: float) -> tuple[np.ndarray, HousingModel]:
        monkeypatch.setattr(sim.engine.model, "DROP_SHARE", share)
        monkeypatch.setattr(sim.engine.model, "DROP_MIN_ROWS", 1)
        seeds = [replication_seed(5, k) for k in range(len(scenarios))]  # spawned: new each
        m = HousingModel(scenarios if batch else scenarios[0], seeds if batch else seeds[0],
                         burn_in=3)
        return m.run(), m

    kept, never = run(2.0)
    dropped, often = run(1e-9)
    assert never.f.compactions == 0 and often.f.compactions > 30
    assert often.f.n < never.f.n
    for k in range(len(scenarios) if batch else 1):
        assert_same_history((dropped[k] if batch else dropped), (kept[k] if batch else kept))


def test_draw_rows_number_each_towns_families_in_order_of_arrival():
    """Families added in any order of towns take their town's next places in the draws, and
    a town whose draws let the departed go is numbered afresh from its rows in use."""
    sc = load_scenario("scenarios/verdal.toml", years=1)
    m = HousingModel([sc, sc, sc], [1, 2, 3], populate=False)
    f = m.f
    s = f.add(6)
    f.town[s] = [2, 0, 2, 1, 0, 2]
    f.active[s] = True
    np.testing.assert_array_equal(m.towns.draw_rows(), [2, 1, 3])
    np.testing.assert_array_equal(f.draw[s], [0, 0, 1, 0, 1, 2])
    place, counts = m.towns.rows()
    assert counts == [2, 1, 3]
    np.testing.assert_array_equal(place, [3, 0, 4, 2, 1, 5])  # town 0 first, then 1, then 2
    f.active[[0, 3]] = False  # a family of town 2 and the one of town 1 leave
    m.stock.renumber(f.compact())
    m.towns.renumber_draws(np.array([False, False, True]))
    np.testing.assert_array_equal(m.towns.draw_rows(), [2, 1, 2])  # town 1 keeps its place
    np.testing.assert_array_equal(f.draw[: f.n], [0, 0, 1, 1])
    place, counts = m.towns.rows()
    np.testing.assert_array_equal(place, [0, 3, 1, 4])
