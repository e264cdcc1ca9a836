"""Benchmark of the engine: wall time, family-months per second and peak memory by size.

``boligsim bench --families 500 10000 --years 10 --repeat 5`` runs the model at each size and
prints one row per size; :func:`measure` is the same measurement as a function (used by the
benchmark harness in ``benchmarks/``).

How a size is set up. A size is a number of families ``N``; the scenario (by default
``scenarios/baseline.toml``) is loaded with these overrides, so that the municipality stays
coherent as it grows (the ratios are Verdal's, the baseline's municipality: 15,000
inhabitants, about 120 municipal dwellings and one follow-up worker for about 500 families):

* ``population.initial_families = N`` — families outside municipal housing at the start;
* ``municipality.inhabitants = 30 N`` — inflows (refugee settlement, local families and single
  adults falling into difficulty), employment-measure places and the start-loan budget scale
  with it;
* ``stock.municipal_dwellings = round(0.24 N)`` — about 97 % of them start occupied, so the
  model starts with about ``1.23 N`` families in all;
* ``policy.followup.workers = N / 500`` — follow-up capacity grows with the municipality.

What is measured. Each size runs in a fresh Python subprocess, so that the peak resident
memory of one size does not carry over to the next; the child imports the model, then builds
and runs it ``repeat`` times with the same seed (identical work every time; the previous
model is garbage-collected before the next is built) and reports:

* ``seconds`` — the median over the repeats of the wall time of one run, building the model
  (the initial population) and the scenario's burn-in before its reported months included;
* ``months`` — the months simulated, the burn-in's and the reported ones;
* ``family_months_per_s`` — family-months of the run (the sum over the simulated months of
  the active families) divided by ``seconds``;
* with ``batch`` K > 1, each timed run is one batch of K towns of the size (seeds ``seed`` to
  ``seed + K - 1``; :class:`sim.engine.model.HousingModel`), as sensitivity analysis and calibration
  run their points: ``seconds`` is then the batch's wall time divided by K (per run), and
  ``batch_seconds`` the batch's own;
* ``peak_rss_mb`` — the child's peak resident set size (``getrusage(RUSAGE_SELF).ru_maxrss``,
  KiB on Linux), in MiB; it includes the interpreter and the imported libraries, whose share
  is reported separately as ``import_rss_mb``.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.inputs.errors import InputError
from sim.inputs.scenario import BASELINE_FILE

#: The scenario sizes are derived from when none is given.
DEFAULT_SCENARIO = BASELINE_FILE
#: Inhabitants of the municipality per family at the start (Verdal: 15,000 for 500).
INHABITANTS_PER_FAMILY = 30
#: Municipal dwellings per family at the start (Verdal: about 120 for 500).
DWELLINGS_PER_FAMILY = 0.24
#: Families per follow-up worker (the baseline's one worker for Verdal's 500).
FAMILIES_PER_WORKER = 500
#: Smallest size: the registry's lower bound on inhabitants (500) divided by 30, rounded up.
MIN_FAMILIES = 17
#: Largest size: the registry's upper bound on inhabitants (6 million) divided by 30.
MAX_FAMILIES = 200_000
#: Most towns in one timed batch.
MAX_BATCH = 1024
#: The keys every result has (the ``--json`` contract).
KEYS = ("families", "months", "seconds", "family_months_per_s", "peak_rss_mb")


def size_overrides(families: int) -> list[str]:
    """The ``PATH=VALUE`` overrides that scale the municipality to ``families`` families."""
    return [
        f"population.initial_families={families}",
        f"municipality.inhabitants={families * INHABITANTS_PER_FAMILY}",
        f"stock.municipal_dwellings={round(families * DWELLINGS_PER_FAMILY)}",
        f"policy.followup.workers={families / FAMILIES_PER_WORKER}",
    ]


def check_arguments(families: Sequence[int], years: int, repeat: int, batch: int = 1) -> None:
    """Raise :class:`InputError` for sizes, years, repeats or batches out of range."""
    from sim.inputs.scenario import MAX_YEARS

    if not families:
        raise InputError("give at least one size", file="--families")
    for n in families:
        if not MIN_FAMILIES <= n <= MAX_FAMILIES:
            raise InputError(f"expected a number of families from {MIN_FAMILIES} to "
                             f"{MAX_FAMILIES}, got {n}", file="--families")
    if not 1 <= years <= MAX_YEARS:
        raise InputError(f"expected an integer from 1 to {MAX_YEARS} (years), got {years}",
                         file="--years")
    if repeat < 1:
        raise InputError(f"expected an integer >= 1, got {repeat}", file="--repeat")
    if not 1 <= batch <= MAX_BATCH:
        raise InputError(f"expected an integer from 1 to {MAX_BATCH}, got {batch}",
                         file="--batch")


def bench_scenario(families: int, years: int, scenario: str | Path = DEFAULT_SCENARIO,
                   overrides: Sequence[str] = ()) -> Any:
    """The scenario of one benchmark size.

    Args:
        families: the size ``N`` (see the module docstring for what it sets).
        years: run length in years (replaces the scenario's).
        scenario: the scenario file to scale.
        overrides: further ``PATH=VALUE`` overrides, applied after the size's.

    Returns:
        A resolved :class:`sim.inputs.scenario.Scenario`.

    Raises:
        InputError: for a bad file, override or length.
    """
    from sim.inputs.scenario import load_scenario

    return load_scenario(scenario, years=years,
                         overrides=[*size_overrides(families), *overrides])


def time_runs(scenario: Any, repeat: int, seed: int = 1, batch: int = 1) -> dict[str, Any]:
    """Build and run ``scenario`` ``repeat`` times in this process; time every run (with
    ``batch`` > 1, every run is a batch of that many towns, and times are per town).

    Returns:
        ``months`` (simulated: burn-in and reported), ``family_months`` (active families
        summed over the simulated months), ``seconds`` (median), ``times_s`` (every run),
        ``family_months_per_s``, ``cpu_seconds`` (median CPU time of this process per run)
        and ``row_months`` (the sum over months of the rows of the family arrays, active or
        not: departed families keep their row until the model drops them, which it does only
        in large runs; :meth:`sim.engine.model.HousingModel._compact_rows`).
    """
    import numpy as np

    from sim.engine.model import HousingModel

    times: list[float] = []
    cpu: list[float] = []
    family_months = row_months = 0.0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        model = (HousingModel(scenario, seed, collect=False) if batch == 1 else
                 HousingModel([scenario] * batch, list(range(seed, seed + batch))))
        rows = families = 0  # rows and active families the months worked on (read
        # between months)
        while model.reported < model.months:
            model.step()
            rows += model.f.n
            families += np.count_nonzero(model.f.active[:model.f.n])
        times.append((time.perf_counter() - start) / batch)
        cpu.append((time.process_time() - start_cpu) / batch)
        family_months = families / batch
        row_months = float(rows)
        # a Mesa model sits in reference cycles: free it now, or the next run's peak memory
        # includes it
        del model
        gc.collect()
    seconds = statistics.median(times)
    return {"months": scenario.simulated_months, "family_months": family_months,
            "seconds": seconds,
            "times_s": times, "family_months_per_s": family_months / seconds,
            "cpu_seconds": statistics.median(cpu), "row_months": row_months / batch,
            "batch": batch, "batch_seconds": seconds * batch}


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MiB (``ru_maxrss`` is KiB on Linux)."""
    import resource

    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def measure(families: int, years: int, *, repeat: int = 3, seed: int = 1,
            scenario: str | Path = DEFAULT_SCENARIO, overrides: Sequence[str] = (),
            timeout: float | None = None, batch: int = 1) -> dict[str, Any]:
    """Measure one size in a fresh Python subprocess.

    Args:
        families: the size ``N``.
        years: run length in years.
        repeat: runs to take the median of.
        seed: the seed of every run.
        scenario: the scenario file to scale.
        overrides: further ``PATH=VALUE`` overrides.
        timeout: seconds before the child is stopped (None: no limit).
        batch: towns per timed run (1: single runs); times are per town.

    Returns:
        The :data:`KEYS` plus ``family_months``, ``times_s``, ``cpu_seconds`` (median CPU
        time of a run: close to the wall time on an idle machine, lower when other processes
        compete for the CPU), ``row_months``, ``repeat``, ``import_rss_mb`` and
        ``overrides``, ``batch`` and ``batch_seconds``.

    Raises:
        InputError: for a bad scenario or override (checked here before the child starts).
        RuntimeError: if the child fails.
    """
    bench_scenario(families, years, scenario, overrides)  # fail early, with a clean message
    spec = {"families": families, "years": years, "repeat": repeat, "seed": seed,
            "scenario": str(scenario), "overrides": list(overrides), "batch": batch}
    proc = subprocess.run([sys.executable, "-m", "sim.run.bench", "--child", json.dumps(spec)],
                          capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"benchmark of {families} families failed "
                           f"(exit {proc.returncode}): {tail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child(spec_text: str) -> int:
    """Run in the child process: measure the size in ``spec_text``, print one JSON line."""
    spec = json.loads(spec_text)
    import sim.engine.model  # noqa: F401  (import cost is not part of a run)

    import_rss = peak_rss_mb()
    scenario = bench_scenario(spec["families"], spec["years"], spec["scenario"],
                              spec["overrides"])
    result = time_runs(scenario, spec["repeat"], spec["seed"], spec.get("batch", 1))
    out = {"families": spec["families"], "months": result["months"],
           "seconds": result["seconds"], "family_months_per_s": result["family_months_per_s"],
           "peak_rss_mb": peak_rss_mb(), "family_months": result["family_months"],
           "times_s": result["times_s"], "cpu_seconds": result["cpu_seconds"],
           "row_months": result["row_months"],
           "repeat": spec["repeat"],
           "import_rss_mb": import_rss, "overrides": spec["overrides"],
           "batch": result["batch"], "batch_seconds": result["batch_seconds"]}
    print(json.dumps(out))
    return 0


HEADER = ("families", "months", "family-months", "seconds", "CPU s", "family-months/s",
          "peak RSS MB")
WIDTHS = (9, 7, 14, 9, 9, 16, 12)


def table_header() -> str:
    """Header lines of the printed table."""
    head = "  ".join(h.rjust(w) for h, w in zip(HEADER, WIDTHS, strict=True))
    return head + "\n" + "  ".join("-" * w for w in WIDTHS)


def table_row(r: dict[str, Any]) -> str:
    """One printed row for result ``r``."""
    cpu = r.get("cpu_seconds")
    cells = (f"{r['families']:,}", f"{r['months']}", f"{r.get('family_months', 0):,.0f}",
             f"{r['seconds']:.3f}", "" if cpu is None else f"{cpu:.3f}",
             f"{r['family_months_per_s']:,.0f}", f"{r['peak_rss_mb']:.0f}")
    return "  ".join(c.rjust(w) for c, w in zip(cells, WIDTHS, strict=True))


def format_table(results: Sequence[dict[str, Any]]) -> str:
    """A plain-text table of ``results``."""
    return "\n".join([table_header(), *(table_row(r) for r in results)])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        raise SystemExit(_child(sys.argv[2]))
    print("usage: boligsim bench --families N [N ...] (python -m sim.run.bench is the child)",
          file=sys.stderr)
    raise SystemExit(2)
