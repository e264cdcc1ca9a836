"""Run a scenario for several replications, serially or in parallel.

Random-number discipline (docs/ODD.md, 4.9 Stochasticity): replication ``k`` of *every* scenario
is seeded with ``SeedSequence([seed, k])``, so two scenarios run with the same ``seed`` see the
same life events replication by replication (common random numbers) and their difference is the
policy, not noise. Results are placed by replication index, never by completion order, so the
output is bit-for-bit the same whatever the number of workers.

:func:`run_replication` is a plain module-level function of picklable arguments; the
replications run as tasks of :mod:`sim.run.ensemble`, serially, in local processes or on Dask, and
can be stored as Parquet parts as they complete so that an interrupted run resumes.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.calendar import add_months
from sim.inputs.indicators import NAMES
from sim.run.ensemble import PartStore, Task, open_executor, run_tasks, slots
from sim.run.results import RunResult

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.engine.model import HousingModel
    from sim.inputs.scenario import Scenario

#: Called with the number of replications just completed (usually 1).
ProgressCallback = Callable[[int], Any]


def replication_seed(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of one replication: ``SeedSequence([seed, replication])``.

    The same for every scenario, so replication ``k`` of two scenarios shares its random
    numbers (common random numbers), and independent of how many replications are run.

    Args:
        seed: the run's seed, an integer >= 0.
        replication: 0-based replication index.
    """
    return np.random.SeedSequence([int(seed), int(replication)])


def build_model(scenario: Scenario, seed: int, replication: int = 0) -> HousingModel:
    """The model of replication ``replication`` of ``scenario``, built but not yet run.

    Built as every replication is (a batch of one town, seeded by :func:`replication_seed`),
    so stepping it by hand — the report's family stories, the dashboard — gives exactly the
    history :func:`run_replication` returns.
    """
    from sim.engine.model import HousingModel

    return HousingModel([scenario], [replication_seed(seed, replication)])


def run_replication(scenario: Scenario, seed: int, replication: int) -> np.ndarray:
    """Simulate one replication of ``scenario`` and return its monthly indicators.

    Module-level and free of closures so that it pickles for process pools and Dask.

    Args:
        scenario: the fully resolved scenario.
        seed: the run's seed.
        replication: 0-based replication index, combined with ``seed`` by
            :func:`replication_seed`.

    Returns:
        float64 array of shape ``(scenario.months, len(NAMES))``, columns in the order of
        :data:`sim.inputs.indicators.NAMES`.

    Raises:
        RuntimeError: if the model returns an array of another shape (an engine bug).
    """
    history = run_replications([(scenario, seed, replication)])[0]
    expected = (scenario.months, len(NAMES))
    if history.shape != expected:
        raise RuntimeError(
            f"HousingModel.run() returned shape {history.shape}, expected {expected}"
        )
    return history


#: A batch holds towns up to about this many rows at once
#: (:func:`sim.engine.resources.families_at_once`): beyond some 10,000 to 15,000 rows numpy's
#: fixed cost per call is already small (per run, in batches of 8, 16, 32, 64 and 128 worlds:
#: Verdal 140, 105, 89, 91 and 88 ms; Trondheim's Lerkendal, of 4, 8, 16, 32 and 64, 406, 299,
#: 247, 241 and 246 ms; docs/performance.md, "Batches of towns"), and a batch of national runs
#: would only take more memory. 53 towns of Verdal's size fit, 16 of Lerkendal's.
BATCH_ROWS = 20_000
#: Replications per task at most (:func:`replication_group`): beyond 64 small towns a batch
#: is no faster per town.
GROUP_MAX = 64
#: Work in one task at most, in family-months of the rows held at once, burn-in included
#: (:func:`replication_group`). With :data:`BATCH_ROWS` it binds only for towns larger than
#: Lerkendal (Verdal's limit by work is 130 runs, Lerkendal's 41; their batches hold 53 and 16),
#: so a task is a few seconds on one core of the 2-core test machine (53 Verdal runs at the
#: 89-99 ms a run measured in batches, about 5 s). Runs finish and are stored task by task, so
#: this is what a run killed at any moment can lose, serial or not.
TASK_FAMILY_MONTHS = 20_000_000


def run_batch(scenarios: Sequence[Scenario], seeds: Sequence[np.random.SeedSequence]
              ) -> list[np.ndarray]:
    """Histories of runs of ``scenarios[k]`` with ``seeds[k]``, simulated as batches of towns.

    Each history is that of the single run (``HousingModel(scenarios[k], seeds[k])``), to
    the last bits of money sums: a batch gives every town its own random streams
    (:class:`sim.engine.model.HousingModel`). Small towns run several times faster together. Runs
    that cannot share a batch (other months or phases, or parameters outside
    :data:`sim.engine.model.TOWN_PARAMETERS` that differ) run one by one.

    Returns:
        One ``(months, indicators)`` array per run, in the order given.
    """
    from sim.engine.model import BatchError, HousingModel
    from sim.engine.resources import families_at_once

    if len(scenarios) != len(seeds):
        raise ValueError(f"{len(scenarios)} scenarios but {len(seeds)} seeds")
    out: list[np.ndarray] = []
    start = 0
    while start < len(scenarios):
        most = max(int(BATCH_ROWS // max(families_at_once(scenarios[start].params), 1.0)), 1)
        k = even_part(len(scenarios) - start, most)
        group, rngs = scenarios[start:start + k], seeds[start:start + k]
        try:
            histories = HousingModel(list(group), list(rngs)).run()
            histories = histories[None] if k == 1 else histories
        except BatchError:  # towns that cannot share a batch: each a batch of one
            histories = [HousingModel([sc], [rng]).run() for sc, rng in zip(group, rngs,
                                                                             strict=True)]
        out.extend(np.asarray(h, dtype=np.float64) for h in histories)
        start += k
    return out


def run_replications(items: Sequence[tuple[Scenario, int, int]]) -> list[np.ndarray]:
    """Histories of several ``(scenario, seed, replication)`` runs, simulated as batches of
    towns (:func:`run_batch`); each is what it would be run alone or beside any others."""
    return run_batch([sc for sc, _, _ in items],
                     [replication_seed(seed, k) for _, seed, k in items])


def replication_tasks(scenario: Scenario, seed: int, replications: Iterable[int]) -> list[Task]:
    """One :class:`~sim.run.ensemble.Task` per replication, keyed ``r000007``; the runner may do
    several at once as a batch of towns (:func:`run_replications`)."""
    return [Task(f"r{k:06d}", run_replication, (scenario, seed, k), batch=run_replications)
            for k in replications]


def replication_group(scenario: Scenario, replications: int, workers: int) -> int:
    """Replications per task: as many as share a batch well (up to :data:`GROUP_MAX`, fewer
    for larger municipalities; :data:`BATCH_ROWS`), no more than a task's share of work
    (:data:`TASK_FAMILY_MONTHS`, so a killed run keeps all but its last few seconds), and fewer
    when that would leave workers idle. Tasks are then evened out (40 replications in tasks of
    at most 28 go as 20 and 20, not 28 and 12)."""
    from sim.engine.resources import families_at_once

    size = max(families_at_once(scenario.params), 1.0)
    most = int(max(1, min(GROUP_MAX, BATCH_ROWS // size,
                          TASK_FAMILY_MONTHS // (size * scenario.simulated_months),
                          -(-replications // max(workers, 1)))))
    return even_part(replications, most)


def even_part(total: int, most: int) -> int:
    """The size of the first part when ``total`` is cut into as few parts of at most ``most``
    as can be, as even as can be: 50 in parts of at most 16 go as 13, 13, 12 and 12, not 16,
    16, 16 and 2."""
    return -(-total // -(-total // most))


def history_table(value: np.ndarray) -> Any:
    """A replication's history as a Parquet table with one column per indicator."""
    import pyarrow as pa

    return pa.table({name: value[:, k] for k, name in enumerate(NAMES)})


def table_history(table: Any) -> np.ndarray:
    """Inverse of :func:`history_table`; fails if the indicator columns differ."""
    if tuple(table.column_names) != NAMES:
        raise ValueError("stored replication has other indicators than this version")
    return np.column_stack([table.column(name).to_numpy() for name in NAMES])


def replication_store(folder: Any, scenario: Scenario, seed: int, resume: bool) -> PartStore:
    """The Parquet part store of one scenario's replications in ``folder``: each replication
    is kept as it finishes, and with ``resume`` the ones already there are read back."""
    from sim.run.provenance import version

    identity = {"kind": "replications", "scenario_digest": scenario.digest(), "seed": seed,
                "months": scenario.months, "boligsim": version(), "indicators": list(NAMES)}
    return PartStore(folder, identity, resume=resume, encode=history_table,
                     decode=table_history)


def run_ensemble(scenario: Scenario, replications: int = 1, *, executor: cf.Executor | None = None,
                 seed: int = 1, **kwargs: Any) -> RunResult:
    """Python API: ``replications`` replications of ``scenario`` on ``executor`` (or serially).

    Same as :func:`run_scenario` with ``pool=executor``; returns a :class:`RunResult` with
    ``to_df()`` and ``summary()``.
    """
    return run_scenario(scenario, replications=replications, seed=seed, pool=executor, **kwargs)


def run_scenario(
    scenario: Scenario,
    *,
    replications: int = 1,
    seed: int = 1,
    workers: int = 1,
    scheduler: str | None = None,
    pool: cf.Executor | None = None,
    pool_name: str | None = None,
    store: PartStore | None = None,
    progress: ProgressCallback | None = None,
) -> RunResult:
    """Run ``replications`` replications of ``scenario``.

    Args:
        scenario: the fully resolved scenario.
        replications: number of replications, >= 1.
        seed: the run's seed, >= 0; replication ``k`` uses :func:`replication_seed`.
        workers: local processes (1 = this process); with ``scheduler="local"``, Dask workers.
        scheduler: ``None``, ``"local"`` or ``"tcp://HOST:PORT"``
            (:func:`sim.run.ensemble.open_executor`).
        pool: an executor the caller owns, used instead of ``workers``/``scheduler``.
        pool_name: how to name ``pool`` in provenance (default: its class name).
        store: keep each replication as a Parquet part as it completes, and read parts already
            there instead of running them again (resume).
        progress: called with ``1`` as each replication completes.

    Returns:
        The replications in index order, identical whatever the executor.

    Raises:
        ValueError: if ``replications`` or ``workers`` is below 1 or ``seed`` is negative.
    """
    if replications < 1:
        raise ValueError(f"replications must be >= 1, got {replications}")
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    tasks = replication_tasks(scenario, seed, range(replications))
    if pool is not None:
        group = replication_group(scenario, replications, slots(pool))
        results = run_tasks(tasks, pool, store=store, progress=progress, group=group)
        executor = pool_name or type(pool).__name__
    else:
        n = min(workers, replications) if scheduler is None else workers
        with open_executor(n, scheduler) as (ex, executor):
            group = replication_group(scenario, replications, slots(ex))
            results = run_tasks(tasks, ex, store=store, progress=progress, group=group)
    data = np.stack(results).astype(np.float64, copy=False)
    dates = [add_months(scenario.start, k) for k in range(scenario.months)]
    return RunResult(scenario=scenario, seed=seed, replications=replications, data=data,
                     dates=dates, executor=executor)
