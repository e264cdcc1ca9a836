"""Comparisons across plausible worlds: where a difference between municipal models holds.

:func:`run_worlds` runs every scenario in every world of a :class:`sim.analysis.worlds.Worlds`
with the same seed and replications (common random numbers across scenarios *and* worlds), and
keeps, for each world, each compared scenario's paired difference against its reference and
the 95 % half-width of that difference within the world (:class:`sim.run.compare.Comparison`,
so per-1,000 and each-against-its-own-baseline work as in ``boligsim compare``).

:class:`WorldDifferences` then says, for each outcome and scenario, in how many worlds the
difference has the sign of the difference in the nominal world (the scenarios as given), its
median and 5-95 % range across worlds, and the noise within a world beside it: a difference
that holds in 95 of 100 worlds but whose noise is as large as its median needs more
replications before its size is worth a sentence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.calendar import add_months
from sim.run.compare import Comparison, unique_names
from sim.run.ensemble import PartStore, Task, open_executor, run_tasks, slots
from sim.run.results import RunResult
from sim.run.runner import history_table, run_replication, run_replications, table_history

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.worlds import Worlds
    from sim.inputs.scenario import Scenario

#: Columns ``comparison.csv`` gains with ``--worlds``, after the usual ones.
WORLD_COLUMNS = ("worlds", "worlds_sign_holds", "worlds_diff_median", "worlds_diff_p05",
                 "worlds_diff_p95", "worlds_noise")

#: Worlds run together on the executor: enough tasks to keep a cluster busy, few enough that
#: only their monthly data is held at once (20 worlds of 7 scenarios and 5 replications are
#: 700 histories, some 40 MB).
WORLDS_AT_ONCE = 20


@dataclass
class WorldDifferences:
    """Each compared scenario's paired difference in each plausible world.

    Attributes:
        worlds: the worlds.
        indicators: indicator names (the last axis).
        scenarios: the scenario names, in order.
        compared: positions of the scenarios that have a reference other than themselves.
        diff: ``(worlds, scenarios, indicators)`` mean paired difference in each world (zero
            for a reference).
        halfwidth: the same shape, the 95 % half-width of that difference within the world.
        per_1000: whether counts and money are per 1,000 inhabitants.
    """

    worlds: Worlds
    indicators: tuple[str, ...]
    scenarios: list[str]
    compared: list[int]
    diff: np.ndarray
    halfwidth: np.ndarray
    per_1000: bool = False

    def summary(self, nominal: np.ndarray | None = None
                ) -> dict[tuple[str, str], dict[str, float]]:
        """For each (indicator, scenario): the columns of :data:`WORLD_COLUMNS`.

        Args:
            nominal: ``(scenarios, indicators)`` differences in the nominal world, whose sign
                the worlds are checked against; by default the median across worlds.

        ``worlds_sign_holds`` is the share of worlds whose difference has that sign (for a
        nominal difference of zero: is zero too).
        """
        median = np.median(self.diff, axis=0)
        holds = self.holds(nominal).mean(axis=0)
        p05, p95 = np.percentile(self.diff, [5, 95], axis=0)
        noise = np.median(self.halfwidth, axis=0)
        out = {}
        for s, scen in enumerate(self.scenarios):
            for k, name in enumerate(self.indicators):
                out[(name, scen)] = {
                    "worlds": float(self.worlds.count), "worlds_sign_holds": float(holds[s, k]),
                    "worlds_diff_median": float(median[s, k]), "worlds_diff_p05": float(p05[s, k]),
                    "worlds_diff_p95": float(p95[s, k]), "worlds_noise": float(noise[s, k])}
        return out

    def holds(self, nominal: np.ndarray | None = None) -> np.ndarray:
        """``(worlds, scenarios, indicators)``: whether each world's difference has the sign
        of ``nominal`` (``(scenarios, indicators)``; by default the median across worlds)."""
        ref = np.median(self.diff, axis=0) if nominal is None else nominal
        return np.sign(self.diff) == np.sign(ref)[None]

    def rows(self) -> list[dict[str, Any]]:
        """One row per world, indicator and compared scenario: the difference and its
        95 % interval within the world (``worlds.csv``)."""
        out = []
        for w in range(self.worlds.count):
            for k, name in enumerate(self.indicators):
                for s in self.compared:
                    d, h = self.diff[w, s, k], self.halfwidth[w, s, k]
                    out.append({"world": w, "indicator": name, "scenario": self.scenarios[s],
                                "diff": d, "diff_ci_low": d - h, "diff_ci_high": d + h})
        return out


def run_worlds(scenarios: Sequence[Scenario], worlds: Worlds, *, replications: int, seed: int,
               reference_of: Sequence[int] = (), per_1000: bool = False, workers: int = 1,
               scheduler: str | None = None, store: Path | None = None, resume: bool = False,
               progress: Callable[[int], Any] | None = None) -> WorldDifferences:
    """Every scenario in every world, ``replications`` times with ``seed``.

    Worlds go to the executor :data:`WORLDS_AT_ONCE` at a time, every replication of every
    scenario of those worlds at once (so a Dask cluster's workers all get work); the
    replications of one scenario in several worlds run together as a batch of towns (worlds
    differ only in parameters a batch lets differ, :data:`sim.engine.towns.TOWN_PARAMETERS`),
    and no task mixes two scenarios. With ``store`` every replication is kept as it finishes
    and ``resume`` reads back the ones there.

    Args:
        scenarios: as for :func:`sim.run.compare.run_paired` (names made unique).
        worlds: the plausible worlds.
        replications, seed: shared by every scenario and world.
        reference_of, per_1000: as for :class:`sim.run.compare.Comparison`.
        workers, scheduler: where to run (:func:`sim.run.ensemble.open_executor`).
        store: a folder for the replications' parts.
        progress: called with ``1`` as each replication completes.
    """
    names = unique_names([s.name for s in scenarios])
    scenarios = [dataclasses.replace(s, name=n) for s, n in zip(scenarios, names, strict=True)]
    refs = list(reference_of) or [0] * len(scenarios)
    parts = None if store is None else _store(store, scenarios, worlds, replications, seed,
                                              resume)
    diff = halfwidth = None
    compared: list[int] = []
    with open_executor(workers, scheduler) as (ex, _executor):
        at_once = slots(ex)  # a Dask cluster's threads, asked of its scheduler
        for first in range(0, worlds.count, WORLDS_AT_ONCE):
            block = range(first, min(first + WORLDS_AT_ONCE, worlds.count))
            tasks, runs = [], {}
            for s, sc in enumerate(scenarios):  # a scenario's worlds next to each other
                for w in block:
                    runs[w, s] = world = worlds.apply(w, sc)
                    tasks += [Task(f"w{w:04d}-s{s:02d}-r{k:06d}", run_replication,
                                   (world, seed, k), batch=run_replications, share=s)
                              for k in range(replications)]
            results = run_tasks(tasks, ex, store=parts, progress=progress,
                                group=_group(len(block) * replications,
                                             len(block) * replications * len(scenarios),
                                             at_once))
            at = {(w, s): (s * len(block) + j) * replications
                  for s in range(len(scenarios)) for j, w in enumerate(block)}
            for w in block:
                comparison = Comparison(
                    [_result(runs[w, s], seed, replications,
                             results[at[w, s]:at[w, s] + replications])
                     for s in range(len(scenarios))],
                    reference_of=refs, per_1000=per_1000)
                d, h = differences(comparison)
                if diff is None:
                    diff = np.zeros((worlds.count, *d.shape))
                    halfwidth = np.zeros_like(diff)
                    compared = comparison.compared_positions
                diff[w], halfwidth[w] = d, h  # type: ignore[index]
    assert diff is not None and halfwidth is not None
    return WorldDifferences(worlds, comparison.names, names, compared, diff, halfwidth,
                            per_1000)


def _group(per_scenario: int, tasks: int, workers: int) -> int:
    """Replications per task: a divisor of ``per_scenario``, a scenario's replications in a
    block of worlds (so a task never mixes two scenarios, which could not share a batch), of
    at most 64 towns (``sim.run.runner.GROUP_MAX``), and small enough that the block's
    ``tasks`` give every one of ``workers`` at least two."""
    from sim.run.runner import GROUP_MAX

    most = max(1, min(GROUP_MAX, tasks // (2 * max(workers, 1))))
    return max(d for d in range(1, min(per_scenario, most) + 1) if per_scenario % d == 0)


def _result(scenario: Scenario, seed: int, replications: int,
            histories: Sequence[np.ndarray]) -> RunResult:
    """A :class:`RunResult` from one scenario's replications in one world."""
    dates = [add_months(scenario.start, k) for k in range(scenario.months)]
    return RunResult(scenario=scenario, seed=seed, replications=replications,
                     data=np.stack(histories).astype(np.float64, copy=False), dates=dates)


def differences(comparison: Comparison) -> tuple[np.ndarray, np.ndarray]:
    """``(scenarios, indicators)`` mean paired differences of a comparison and their 95 %
    half-widths (zero for a reference)."""
    rows = comparison.rows()
    s, k = len(comparison.results), len(comparison.names)
    diff = np.array([r["diff"] for r in rows], dtype=float).reshape(k, s).T
    low = np.array([r["diff_ci_low"] for r in rows], dtype=float).reshape(k, s).T
    return diff, diff - low


def _store(folder: Path, scenarios: Sequence[Scenario], worlds: Worlds, replications: int,
           seed: int, resume: bool) -> PartStore:
    """The part store of the worlds' replications: tied to the worlds, scenarios, seed and
    replications, so ``--resume`` never mixes two experiments."""
    from sim.inputs.indicators import NAMES
    from sim.run.provenance import version

    identity = {"kind": "worlds", "worlds": worlds.identity(), "seed": seed,
                "replications": replications, "boligsim": version(), "indicators": list(NAMES),
                "scenarios": [s.digest() for s in scenarios]}
    return PartStore(folder, identity, resume=resume, encode=history_table,
                     decode=table_history)
