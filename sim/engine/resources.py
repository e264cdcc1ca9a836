"""Up-front resource checks: refuse a run that would need more memory than the machine has.

A run's memory is dominated by the family arrays, which grow with the number of families
ever present (the initial population plus arrivals over every simulated month, the burn-in's
included), not directly with the number of months; the monthly history is small.
:func:`estimate_mb` adds up the columns' bytes, doubles them for the arrays' amortised growth
and adds the month's temporary arrays. The estimate errs on the high side; :func:`check`
compares it with the memory available now.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

from sim.inputs.errors import InputError

#: Float64 temporaries a month's processes hold at once per family (measured order of
#: magnitude from the economy step, the largest).
_TEMPORARIES = 48


def bytes_per_family() -> int:
    """Bytes of one family's row across every column."""
    from sim.engine.families import COLUMNS, MAX_CHILDREN

    row = sum(np.dtype(dtype).itemsize for dtype, _, _ in COLUMNS.values())
    return row + 8 * MAX_CHILDREN


def families_ever(params: dict[str, Any], months: int) -> float:
    """Families that will have lived in the municipality during ``months`` simulated months
    (an upper estimate)."""
    from sim.engine.population import mean_persons

    inh = params["municipality.inhabitants"]
    start = params["population.initial_families"] or (
        inh * params["population.disadvantaged_share"] / max(mean_persons(params), 1.0))
    start += params["stock.municipal_dwellings"] + params["stock.sublet_dwellings"]
    per_month = inh / 10_000 / 12 * (params["demography.refugee_families_per_10k"]
                                     + params["demography.local_inflow_per_10k"]
                                     + params["demography.single_inflow_per_10k"])
    return start + per_month * months * 1.5


def families_at_once(params: dict[str, Any]) -> float:
    """Rows a run holds at once (an upper estimate): the families present, whose flows keep
    them near the initial population (docs/validation.md), and the departed ones whose rows
    are not yet dropped (at most :data:`sim.engine.model.DROP_SHARE`). In the bundled
    scenarios the most rows held, burn-in included, were 1.10 to 1.26 times the initial
    population's estimate (:func:`families_ever` at 0 months); 1.5 leaves room for worlds
    whose arrivals outweigh departures."""
    return 1.5 * families_ever(params, 0)


def estimate_mb(scenario: Any) -> float:
    """Estimated peak memory of one run of ``scenario``, MB."""
    rows = families_ever(scenario.params, scenario.simulated_months)
    per_row = 2 * bytes_per_family() + 8 * _TEMPORARIES
    history = scenario.months * 64 * 8
    return (rows * per_row + history) / 1e6 + 120  # + the interpreter and libraries


def available_mb() -> float | None:
    """Memory available now (Linux ``MemAvailable``), MB, or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def usable_mb() -> float | None:
    """The memory a job may plan with, MB: ``BOLIGSIM_MEMORY_MB`` where set (for tests and
    shared machines), else what is available now; None if unknown."""
    limit = os.environ.get("BOLIGSIM_MEMORY_MB")
    return float(limit) if limit is not None else available_mb()


def check(scenario: Any, *, runs_at_once: int = 1, where: str | None = None) -> float:
    """Raise InputError if ``runs_at_once`` runs of ``scenario`` would not fit in memory.

    Returns the estimate (MB per run) when they fit.
    """
    need = estimate_mb(scenario)
    have = usable_mb()
    if have is not None and need * runs_at_once > 0.9 * have:
        fam = families_ever(scenario.params, scenario.simulated_months)
        raise InputError(
            f"this run needs about {need * runs_at_once:,.0f} MB ({fam:,.0f} families over "
            f"{scenario.simulated_months} months, {runs_at_once} at once) but only "
            f"{have:,.0f} MB is "
            f"available; use fewer families, fewer workers or a bigger machine",
            file=where or scenario.file or scenario.name)
    return need


#: Bytes a finished replication holds in memory besides its monthly history: its task, its
#: future and the bookkeeping of the executor (measured order of magnitude, an assumption).
TASK_BYTES = 2_000


def check_job(histories: int, months: int, what: str, where: str,
              folder: str | os.PathLike[str] | None = None) -> float:
    """Raise InputError if a job's results would not fit in memory: ``histories`` monthly
    histories of ``months`` months, held until the job writes them (the whole-job estimate,
    before any run; :func:`check` is the estimate of one run); nor, given the output
    ``folder``, on its disk, where each finished run is kept (uncompressed size, an upper
    bound: Parquet stores about half).

    Returns the estimate, MB.
    """
    from sim.inputs.indicators import NAMES

    need = histories * (months * len(NAMES) * 8 + TASK_BYTES) / 1e6
    have = usable_mb()
    if have is not None and need > 0.5 * have:
        raise InputError(f"{what} would hold about {need:,.0f} MB of results ({histories:,} "
                         f"runs of {months} months) but only {have:,.0f} MB is available; "
                         "ask for fewer", file=where)
    free = free_disk_mb(folder) if folder is not None else None
    disk = histories * months * len(NAMES) * 8 / 1e6
    if free is not None and disk > free:
        raise InputError(f"{what} would write up to {disk:,.0f} MB of runs into {folder} but "
                         f"its disk has {free:,.0f} MB free; make room or ask for fewer",
                         file=where)
    return need


def free_disk_mb(folder: str | os.PathLike[str]) -> float | None:
    """Free space on the disk that holds ``folder`` (or its nearest existing parent), MB;
    None if unknown."""
    import shutil
    from pathlib import Path

    path = Path(folder).absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free / 1e6
    except OSError:
        return None


#: Copies of a sample's matrix an experiment holds at once: SALib's sample, the scaled values,
#: the tasks built from them and the outputs beside them (an assumption, rounded up).
SAMPLE_COPIES = 4
#: Bytes of bookkeeping per model run of an experiment (runs go to workers in chunks; an
#: assumption of the order of magnitude).
ROW_BYTES = 200


def check_sample(evaluations: int, columns: int, what: str, where: str,
                 advice: str = "ask for fewer", *, stored: int = 0,
                 folder: str | os.PathLike[str] | None = None) -> float:
    """Raise InputError if an experiment's sample would not fit in memory: ``evaluations``
    rows of ``columns`` numbers (factors and outputs), :data:`SAMPLE_COPIES` times over,
    before anything is sampled (the whole-job estimate of ``boligsim sensitivity`` and
    ``boligsim optimise``); nor, given the output ``folder``, on its disk, where the
    ``stored`` numbers of each run are kept as they finish (uncompressed, an upper bound).

    Returns the estimate, MB.
    """
    need = evaluations * (columns * 8 * SAMPLE_COPIES + ROW_BYTES) / 1e6
    have = usable_mb()
    if have is not None and need > 0.5 * have:
        raise InputError(f"{what} would need about {need:,.0f} MB ({evaluations:,} model runs "
                         f"of {columns} numbers each) but only {have:,.0f} MB is available; "
                         f"{advice}", file=where)
    free = free_disk_mb(folder) if folder is not None else None
    disk = evaluations * stored * 8 / 1e6
    if free is not None and disk > free:
        raise InputError(f"{what} would write up to {disk:,.0f} MB of results into {folder} "
                         f"but its disk has {free:,.0f} MB free; make room or {advice}",
                         file=where)
    return need


#: glibc's ``mallopt`` options (malloc.h): below ``M_MMAP_THRESHOLD`` bytes an allocation
#: comes from the heap; the heap is given back to the system when its free top exceeds
#: ``M_TRIM_THRESHOLD`` bytes.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD_MB = 32  # the largest glibc accepts on 64-bit systems
TRIM_THRESHOLD_MB = 128


@functools.cache
def reuse_freed_memory() -> bool:
    """Let the C allocator keep and reuse the memory of a month's temporary arrays.

    A national run makes dozens of temporary arrays of a megabyte each a month. By default
    glibc serves such a request with a fresh ``mmap`` and unmaps it when freed, so every
    temporary costs its pages' faults again (about 300,000 page faults in a 3-year,
    122,000-family run; with these settings about 70,000, the system time falling from
    0.7-0.8 s to 0.3-0.4 s, measured with ``getrusage``). Peak memory is unchanged: the
    same arrays are alive at once. Does nothing on a system without glibc.

    Returns:
        Whether the allocator was tuned.
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # no C library to load, or no mallopt
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_MB * 2**20)
                and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_MB * 2**20))
