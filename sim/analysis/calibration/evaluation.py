"""Evaluating parameter points: each point one task of the ensemble runner, stored and cached.

A point's raw result is every job's expressions per replication (:class:`MomentPlan` says which
jobs); its moments and loss are computed from that, so the same stored runs serve the search,
ABC and the figures.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from sim.analysis.calibration.moments import MomentPlan
from sim.analysis.calibration.setup import FreeParam
from sim.inputs.expressions import Expression


def evaluate_calibration_point(jobs: tuple[tuple[Any, tuple[Expression, ...]], ...],
                               params: Mapping[str, float], seed: int, replications: int
                               ) -> np.ndarray:
    """The raw result of one parameter point: every job's expressions per replication.

    Module-level with picklable arguments, so the ensemble runner can send it to processes
    or Dask.

    Returns:
        Array ``(replications, total expressions)``, jobs' columns in job order.
    """
    from sim.run.evaluate import evaluate_point

    return np.hstack([evaluate_point(sc, params, exprs, seed, replications)
                      for sc, exprs in jobs])


def point_key(params: Mapping[str, float]) -> str:
    """A stable file-name key for a parameter point: a hash of its exact values."""
    text = json.dumps({k: repr(float(v)) for k, v in params.items()}, sort_keys=True)
    return "p" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def point_seed(seed: int, key: str) -> int:
    """A seed of its own for the point ``key`` (:func:`point_key`), derived from ``seed``:
    a point's random numbers differ from every other point's, yet its result is the same
    each time it is evaluated (so stores resume)."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()
    return int(digest[:8], 16) % (2 ** 31 - 1)


class Evaluator:
    """Evaluates batches of parameter points through the ensemble runner.

    Each point is one :class:`~sim.run.ensemble.Task`; finished points are stored in ``store``
    (Parquet parts keyed by :func:`point_key`) and kept in memory, so a point is never
    simulated twice.

    Args:
        plan: the scenarios, expressions and targets.
        free: the free parameters (the order of a point's coordinates).
        seed: the seed of every evaluation (common random numbers), or with ``redraw`` the
            seed each point's own seed is derived from (:func:`point_seed`).
        replications: replications per point.
        executor: a :class:`concurrent.futures.Executor` (serial, processes or Dask).
        store: a :class:`~sim.run.ensemble.PartStore`, or ``None``.
        progress: called with the number of points completed.
        redraw: give every point random numbers of its own instead of common ones, so the
            simulation noise of its moments is independent of other points' (the ABC stage:
            :func:`sim.analysis.calibration.uncertainty.abc`).
    """

    def __init__(self, plan: MomentPlan, free: Sequence[FreeParam], seed: int,
                 replications: int, executor: Any, store: Any = None,
                 progress: Callable[[int], Any] | None = None, *, redraw: bool = False):
        self.plan = plan
        self.free = list(free)
        self.seed = seed
        self.replications = replications
        self.executor = executor
        self.store = store
        self.progress = progress
        self.redraw = redraw
        self.cache: dict[str, np.ndarray] = {}
        self.coordinates: dict[str, np.ndarray] = {}
        self.evaluated = 0

    def point(self, x: Sequence[float]) -> dict[str, float]:
        """``{path: value}`` of coordinates ``x`` (integers rounded)."""
        return {f.path: (float(round(v)) if f.is_int else float(v))
                for f, v in zip(self.free, x, strict=True)}

    def raw(self, xs: np.ndarray) -> list[np.ndarray]:
        """Raw results ``(replications, expressions)`` of the points in the rows of ``xs``."""
        from sim.run.ensemble import Task, run_tasks

        rows = np.atleast_2d(np.asarray(xs, dtype=float))
        points = [self.point(x) for x in rows]
        keys = [point_key(p) for p in points]
        for key, x in zip(keys, rows, strict=True):
            self.coordinates.setdefault(key, x.copy())
        jobs = tuple(self.plan.jobs)
        todo: dict[str, Any] = {}
        for key, p in zip(keys, points, strict=True):
            if key not in self.cache and key not in todo:
                seed = point_seed(self.seed, key) if self.redraw else self.seed
                todo[key] = Task(key, evaluate_calibration_point,
                                 (jobs, p, seed, self.replications))
        if todo:
            tasks = list(todo.values())
            results = run_tasks(tasks, self.executor, store=self.store, progress=self.progress)
            for task, value in zip(tasks, results, strict=True):
                self.cache[task.key] = np.asarray(value, dtype=float)
            self.evaluated += len(tasks)
        return [self.cache[k] for k in keys]

    def all_points(self) -> tuple[np.ndarray, np.ndarray]:
        """Every point evaluated so far and its loss: ``(points, k)`` and ``(points,)``."""
        keys = list(self.cache)
        xs = np.array([self.coordinates[k] for k in keys]).reshape(len(keys), len(self.free))
        return xs, np.array([self.plan.loss(self.cache[k]) for k in keys])

    def losses(self, xs: np.ndarray) -> np.ndarray:
        """Loss of each row of ``xs``."""
        return np.array([self.plan.loss(r) for r in self.raw(xs)])

    def moments(self, xs: np.ndarray) -> np.ndarray:
        """Simulated moments ``(points, targets)`` of the rows of ``xs``."""
        return np.array([self.plan.moments(r) for r in self.raw(xs)])
