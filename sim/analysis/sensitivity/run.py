"""Running an experiment: :func:`run_experiment` samples, evaluates, analyses and writes;
:func:`command` is ``boligsim sensitivity``."""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.sensitivity import sampling
from sim.analysis.sensitivity.evaluation import build_tasks
from sim.analysis.sensitivity.experiment import load_experiment
from sim.analysis.sensitivity.indices import analyse_all
from sim.analysis.sensitivity.outputs import summary_text, write_results
from sim.inputs.errors import InputError
from sim.run.ensemble import PartStore, open_executor, run_tasks

if TYPE_CHECKING:  # pragma: no cover - typing only
    import concurrent.futures as cf

    from sim.analysis.sensitivity.experiment import Experiment
    from sim.analysis.sensitivity.result import SensitivityResult
    from sim.analysis.sensitivity.sampling import Sample


#: Files whose presence in ``--out`` means an earlier experiment is there.
RESULT_FILES = ("indices.csv", "runs/manifest.json")


def run_experiment(exp: Experiment, *, sample: Sample | None = None,
                   out: str | os.PathLike[str] | None = None,
                   workers: int = 1, scheduler: str | None = None,
                   executor: cf.Executor | None = None, resume: bool = False,
                   progress: Callable[[int], Any] | None = None) -> SensitivityResult:
    """Sample, evaluate, analyse and (with ``out``) write every result file.

    Args:
        exp: the experiment (:func:`load_experiment`).
        sample: its sample, if already drawn (:func:`~sim.analysis.sensitivity.sampling.sample`);
            drawn here otherwise.
        out: output directory; its ``runs`` folder holds one Parquet part per chunk. Without it
            nothing is stored or written.
        workers: local processes (or Dask workers with ``scheduler="local"``).
        scheduler: ``None``, ``"local"`` or ``"tcp://HOST:PORT"``.
        executor: an executor the caller owns, used instead of ``workers``/``scheduler``.
        resume: keep the parts already in ``out/runs`` (same experiment only).
        progress: called with 1 as each task completes.

    Returns:
        The :class:`SensitivityResult`.
    """
    sample = sampling.sample(exp) if sample is None else sample
    tasks = build_tasks(exp, sample)
    store: PartStore | None = None
    if out is not None:
        store = PartStore(Path(out) / "runs", exp.identity(), resume=resume)
    before = sum(1 for t in tasks if store is not None and t.key in store)
    start = time.perf_counter()
    if executor is not None:
        results = run_tasks(tasks, executor, store=store, progress=progress)
        name = type(executor).__name__
    else:
        with open_executor(workers, scheduler) as (ex, name):
            results = run_tasks(tasks, ex, store=store, progress=progress)
    seconds = time.perf_counter() - start
    by_key = dict(zip((t.key for t in tasks), results, strict=True))
    probe = by_key.get("noise-probe")
    runs = np.concatenate([by_key[t.key] for t in tasks if t.key.startswith("chunk-")])
    half = [by_key[t.key] for t in tasks if t.key.startswith("half-")]
    half_runs = np.concatenate(half) if half else None
    result = dataclasses.replace(analyse_all(exp, sample, runs, half_runs, probe),
                                 executor=name, seconds=seconds, computed=len(tasks) - before)
    if out is not None:
        write_results(Path(out), result)
    return result


def command(experiment: str, out: str, *, workers: int = 1, scheduler: str | None = None,
            quiet: bool = False, force: bool = False, resume: bool = False) -> int:
    """``boligsim sensitivity``: run an experiment file and write its results into ``out``.

    Prints a summary on stdout and, on stderr, notes about the base scenario and warnings
    about noise, convergence and degenerate outputs.

    Returns:
        Exit status 0.

    Raises:
        InputError: for anything wrong in the experiment file or the options.
    """
    from sim.engine.resources import check_sample
    from sim.run.files import prepare_out_dir
    from sim.run.progress import progress

    if workers < 1:
        raise InputError(f"expected an integer >= 1, got {workers}", file="--workers")
    if force and resume:
        raise InputError("use either --force (start afresh) or --resume (continue), not both",
                         file="--resume")
    exp = load_experiment(experiment)
    check_sample(exp.evaluations(), len(exp.factors) + len(exp.outputs),
                 f"the sample of N = {exp.n:,}", f"{exp.file}: experiment.N",
                 "ask for a smaller N", stored=len(exp.outputs), folder=out)
    folder = prepare_out_dir(out, force=force or resume, files=RESULT_FILES,
                             option="--force (or --resume to continue)")
    for note in exp.notes:
        print(f"boligsim: note: {note}", file=sys.stderr)
    drawn = sampling.sample(exp)
    total = len(build_tasks(exp, drawn))
    with progress(total, exp.name, quiet, unit="chunk") as update:
        result = run_experiment(exp, sample=drawn, out=folder, workers=workers,
                                scheduler=scheduler, resume=resume, progress=update)
    for warning in result.warnings:
        print(f"boligsim: warning: {warning}", file=sys.stderr)
    print(summary_text(result))
    files = ", ".join(sorted({"indices.csv", "noise.csv", "convergence.csv"}))
    print(f"wrote {files}, samples.csv, sensitivity.json and figures to {out}")
    return 0
