"""Where a month's time goes: wall time per process function of the engine.

Usage::

    python benchmarks/profile_month.py --families 500 122000 --years 10 20 [--repeat 3]
                                 [--cprofile 15]

For each size (paired with the years in the same position; one value of ``--years`` applies to
all), the model is built with :func:`sim.run.bench.bench_scenario` and run ``repeat`` times with
every process function of the schedule wrapped in a timer: the ``step`` of each module of
:mod:`sim.engine.processes` the schedule calls (market, stock, demography, work, follow-up,
economy, tenancy, ownership, search), the model's own month bookkeeping (``_begin_month``), and
the accounts and record (:func:`sim.engine.accounts.costs`,
:func:`sim.engine.accounts.indicators`). The wrappers cost about a microsecond per call, a dozen
calls a month. ``--cprofile N`` also runs the size once under :mod:`cProfile` and prints the
``N`` functions with the most own time (cProfile's per-call overhead inflates Python-heavy
functions; use it to find *which* function, the timers for *how much*).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.run.bench import bench_scenario  # noqa: E402

#: The process modules called by :meth:`sim.engine.model.HousingModel.step`, in schedule order.
PROCESSES = ("market", "stock", "demography", "work", "followup", "economy", "tenancy",
             "ownership", "search")
#: The model's own method and the accounts' functions called every month.
METHODS = ("_begin_month", "costs", "indicators")


def _timed(fn: Callable[..., Any], name: str, totals: dict[str, float],
           calls: dict[str, int]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - start
            calls[name] += 1
    return wrapper


def process_times(scenario: Any, repeat: int = 1, seed: int = 1) -> dict[str, Any]:
    """Run ``scenario`` ``repeat`` times with timers on every process; mean seconds per run.

    Returns:
        ``{"processes": {name: seconds}, "run": seconds, "build": seconds, "other": seconds,
        "months": int, "family_months": float}``; ``other`` is the run's time outside the
        timed functions (the loop, Mesa's step wrapper); months and family-months are those
        simulated, the burn-in's included.

    Raises:
        RuntimeError: if a timed function was never called (the schedule changed).
    """
    import numpy as np

    import sim.engine.model as model_module
    from sim.engine import accounts
    from sim.engine.model import HousingModel

    names = (*PROCESSES, *METHODS)
    totals = dict.fromkeys(names, 0.0)
    calls = dict.fromkeys(names, 0)
    saved: list[tuple[Any, str, Any]] = []
    for name in PROCESSES:
        module = getattr(model_module, name)
        saved.append((module, "step", module.step))
        module.step = _timed(module.step, name, totals, calls)
    for name in METHODS:
        owner = HousingModel if name.startswith("_") else accounts
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, _timed(getattr(owner, name), name, totals, calls))
    build = run = 0.0
    family_months = 0.0
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            model = HousingModel(scenario, seed)
            built = time.perf_counter()
            family_months = 0.0
            while model.reported < model.months:
                model.step()
                family_months += np.count_nonzero(model.f.active[: model.f.n])
            end = time.perf_counter()
            build += built - start
            run += end - built
    finally:
        for owner, attr, original in saved:
            setattr(owner, attr, original)
    missing = [n for n in PROCESSES if calls[n] == 0]
    if missing:
        raise RuntimeError(f"never called: {missing}; the schedule in sim/engine/model.py changed")
    per_run = {n: t / repeat for n, t in totals.items()}
    timed = sum(per_run.values())
    return {"processes": per_run, "run": run / repeat, "build": build / repeat,
            "other": run / repeat - timed, "months": scenario.simulated_months,
            "family_months": family_months}


def format_times(families: int, result: dict[str, Any]) -> str:
    """A Markdown table of :func:`process_times`."""
    run, months = result["run"], result["months"]
    fm = result["family_months"]
    lines = [f"**{families:,} families, {months} months** — run {run:.3f} s "
             f"({1000 * run / months:.2f} ms a month, {1e9 * run / fm:.0f} ns a family-month); "
             f"building {1000 * result['build']:.1f} ms", "",
             "| process | ms per run | ms per month | share |", "|---|---:|---:|---:|"]
    rows = sorted(result["processes"].items(), key=lambda kv: -kv[1])
    rows.append(("other (loop, Mesa)", result["other"]))
    for name, seconds in rows:
        lines.append(f"| {name} | {1000 * seconds:.1f} | {1000 * seconds / months:.3f} | "
                     f"{100 * seconds / run:.1f} % |")
    return "\n".join(lines)


def cprofile_top(scenario: Any, top: int, seed: int = 1) -> str:
    """The ``top`` functions by own time in one cProfile'd run of ``scenario``."""
    from sim.engine.model import HousingModel

    model = HousingModel(scenario, seed)
    profiler = cProfile.Profile()
    profiler.runcall(model.run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Print the per-process table for every size asked."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, nargs="+", default=[500, 122_000])
    parser.add_argument("--years", type=int, nargs="+", default=[10, 20])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="also print the N functions with most own time (cProfile)")
    args = parser.parse_args(argv)
    years = args.years if len(args.years) == len(args.families) else args.years[:1] * len(
        args.families)
    for n, y in zip(args.families, years, strict=True):
        scenario = bench_scenario(n, y)
        print(format_times(n, process_times(scenario, args.repeat, args.seed)), "\n",
              flush=True)
        if args.cprofile:
            print(cprofile_top(scenario, args.cprofile, args.seed), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
