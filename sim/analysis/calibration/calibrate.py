"""Running a calibration: its stages in order, their evaluations stored, and the outputs."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from sim.analysis.calibration.evaluation import Evaluator
from sim.analysis.calibration.fit import defaults_point, measure_noise, minimise, select_fit
from sim.analysis.calibration.moments import MomentPlan
from sim.analysis.calibration.outputs import write_outputs
from sim.analysis.calibration.record import Findings, fit_record
from sim.analysis.calibration.setup import Setup
from sim.analysis.calibration.uncertainty import abc, deviations, structural_misfit


@dataclass
class CalibrationResult:
    """What :func:`run_calibration` produced.

    Attributes:
        fit: the record, as written to ``fit.json``.
        fitted: ``{free parameter path: fitted value}``.
        paths: ``{file name: path}`` of the files written.
    """

    fit: dict[str, Any]
    fitted: dict[str, float]
    paths: dict[str, Path]


def run_calibration(setup: Setup, out: str | os.PathLike[str], *, workers: int = 1,
                    scheduler: str | None = None, quiet: bool = False, resume: bool = False,
                    log: Callable[[str], Any] | None = None) -> CalibrationResult:
    """Fit, quantify uncertainty, evaluate the fit and write the outputs into ``out``.

    Stages:

    1. *Noise*: the registry defaults with ``report.replications`` replications give each
       fitted target's replication spread, which enters its weight
       (:func:`~sim.analysis.calibration.fit.measure_noise`).
    2. *Search*: differential evolution with ``replications`` (R) per point
       (:func:`~sim.analysis.calibration.fit.minimise`).
    3. *Selection*: the ``optimiser.reevaluate`` points with the lowest loss (rounded) are
       evaluated again with ``report.replications`` and the best there is the fit
       (:func:`~sim.analysis.calibration.fit.select_fit`).
    4. *ABC* around the fit (:func:`~sim.analysis.calibration.uncertainty.abc`), with R
       replications per draw, each draw with random numbers of its own unless
       ``uncertainty.seeds = "common"``.
    5. *Report*: the fit and the defaults with ``report.replications`` over the full runs of
       every fitted and check target's scenario.

    Every evaluated point is stored in ``out/runs/points`` (search, and ABC with common
    seeds), ``out/runs/abc`` (ABC with redrawn seeds), ``out/runs/refine`` (noise and
    selection) or ``out/runs/report``; with ``resume`` stored points are read instead of
    simulated.

    Args:
        setup: from :func:`~sim.analysis.calibration.setup.load_setup`; its ``noise`` is
            measured here.
        out: output directory (must exist; see :func:`sim.run.files.prepare_out_dir`).
        workers: local processes, or Dask workers with ``scheduler="local"``.
        scheduler: ``None``, ``"local"`` or ``"tcp://HOST:PORT"``.
        quiet: no progress bar.
        resume: re-use stored evaluations.
        log: called with notes for the user (default: print to stderr).
    """
    from sim.run.ensemble import open_executor
    from sim.run.progress import progress

    log = log or (lambda text: print(text, file=sys.stderr))
    for note in setup.notes:
        log(f"note: {note}")
    out = Path(out)
    stores = _part_stores(setup, out, resume)
    timings: dict[str, float] = {}
    with _stopwatch(timings, "total_s"), \
            open_executor(workers, scheduler) as (executor, executor_name), \
            progress(_points_budget(setup), f"calibrate {setup.name}", quiet,
                     unit="point") as update:
        findings = _stages(setup, stores, executor, update, timings)
    fit = fit_record(setup, findings, timings=timings, executor=executor_name, workers=workers)
    paths = write_outputs(out, setup, findings, fit)
    return CalibrationResult(fit=fit, fitted=findings.fitted, paths=paths)


def simulate_targets(setup: Setup, values: Mapping[str, float], *, seed: int | None = None,
                     replications: int | None = None, report: bool = False) -> dict[str, float]:
    """The simulated moments of the set-up's targets at ``values`` (serially, no store).

    Useful for synthetic targets (identifiability checks): observed values the model
    produces at known parameters.

    Args:
        setup: from :func:`~sim.analysis.calibration.setup.load_setup`.
        values: ``{free parameter path: value}`` for every free parameter.
        seed, replications: default to the set-up's.
        report: include the check targets (full runs) instead of only the fitted ones.

    Returns:
        ``{target id: simulated moment}``.
    """
    from sim.run.ensemble import SerialExecutor

    plan = setup.report_plan() if report else setup.fit_plan()
    evaluator = Evaluator(plan, setup.free, setup.seed if seed is None else seed,
                          replications or setup.replications, SerialExecutor())
    x = np.array([[values[p] for p in setup.paths]], dtype=float)
    moments = evaluator.moments(x)[0]
    return {t.id: float(m) for t, m in zip(plan.targets, moments, strict=True)}


class _Stores(NamedTuple):
    """Where each kind of evaluation is stored (:class:`~sim.run.ensemble.PartStore`)."""

    points: Any  #: the search and ABC: R replications, runs cut for the fitted targets
    abc: Any  #: ABC with redrawn seeds: as ``points``, each point with seeds of its own
    refine: Any  #: the noise and the selection: report.replications, the same runs
    report: Any  #: the report: report.replications, full runs of every target's scenario


def _part_stores(setup: Setup, out: Path, resume: bool) -> _Stores:
    """The stores under ``out/runs``, each with a manifest of what its results depend on, so
    that ``resume`` never mixes results of different set-ups."""
    from sim.run.ensemble import PartStore
    from sim.run.provenance import version

    base = {"kind": "calibration", "boligsim": version(), "seed": setup.seed,
            "free": setup.paths}
    fit_jobs = setup.fit_plan().identity()
    report_replications = setup.report["replications"]

    def store(name: str, replications: int, jobs: list[dict[str, Any]], **more: Any) -> Any:
        return PartStore(out / "runs" / name,
                         {**base, **more, "replications": replications, "jobs": jobs},
                         resume=resume)

    return _Stores(points=store("points", setup.replications, fit_jobs),
                   abc=store("abc", setup.replications, fit_jobs, seeds="redrawn"),
                   refine=store("refine", report_replications, fit_jobs),
                   report=store("report", report_replications, setup.report_plan().identity()))


def _stages(setup: Setup, stores: _Stores, executor: Any, progress: Callable[[int], Any],
            timings: dict[str, float]) -> Findings:
    """Run the stages of :func:`run_calibration` on ``executor``, timing them in ``timings``."""

    def evaluator(plan: MomentPlan, replications: int, store: Any) -> Evaluator:
        return Evaluator(plan, setup.free, setup.seed, replications, executor, store, progress)

    report_replications = setup.report["replications"]
    x_default = defaults_point(setup.free)
    with _stopwatch(timings, "search_s"):
        measure_noise(evaluator(setup.fit_plan(), report_replications, stores.refine), setup)
        search = evaluator(setup.fit_plan(), setup.replications, stores.points)
        loss_default = float(search.losses(x_default[None, :])[0])
        found = minimise(search, setup)
    with _stopwatch(timings, "selection_s"):
        refine = evaluator(search.plan, report_replications, stores.refine)
        x_fit, loss_fit, selection = select_fit(search, refine, found["x"], setup)
    with _stopwatch(timings, "abc_s"):
        if setup.uncertainty["seeds"] == "redrawn":
            drawer = Evaluator(setup.fit_plan(noise=False), setup.free, setup.seed,
                               setup.replications, executor, stores.abc, progress, redraw=True)
            at_fit = deviations(drawer.plan, refine.moments(x_fit[None, :])[0])
            posterior = abc(drawer, setup, x_fit, math.inf, structural_misfit(at_fit))
        else:
            drawer = search
            posterior = abc(search, setup, x_fit, loss_fit)
    with _stopwatch(timings, "report_s"):
        reporter = evaluator(setup.report_plan(), report_replications, stores.report)
        raw_fit, raw_default = reporter.raw(np.vstack([x_fit, x_default]))
    return Findings(search=search, drawer=drawer, reporter=reporter, found=found,
                    loss_default=loss_default, x_fit=x_fit, loss_fit=loss_fit,
                    selection=selection, posterior=posterior, raw_fit=raw_fit,
                    raw_default=raw_default)


def _points_budget(setup: Setup) -> int:
    """The most points a calibration evaluates (for the progress bar): the search's
    generations, the defaults, the selection's candidates and the ABC draws."""
    opt = setup.optimiser
    return ((opt["maxiter"] + 1) * opt["popsize"] * len(setup.free) + 2 + opt["reevaluate"]
            + setup.uncertainty["draws"] + 2)


@contextmanager
def _stopwatch(timings: dict[str, float], key: str) -> Iterator[None]:
    """Record the seconds the block takes as ``timings[key]``."""
    start = time.perf_counter()
    yield
    timings[key] = time.perf_counter() - start
