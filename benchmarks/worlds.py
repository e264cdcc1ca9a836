"""Time a comparison across plausible worlds, the size issue 19 sets as the target: the seven
bundled scenarios x 100 worlds x 5 replications, 10 years (``docs/performance.md``, "Plausible
worlds").

Usage::

    python benchmarks/worlds.py [--worlds K] [--replications R] [--workers W] [--years N]

Runs ``boligsim compare scenarios/*.toml --worlds K`` in a fresh process into a temporary
folder and prints the wall time, the runs made (the nominal world included) and runs per
second. ``--per-run SCENARIO`` instead times, by CPU time in this process, one run of the
scenario in K worlds simulated as one batch of towns, K replications of one world as one
batch, and the K worlds as batches of 5 replications of one world each (how worlds ran before
they could share a batch)::

    python benchmarks/worlds.py --per-run verdal --worlds 40

The bundled scenarios are not all of Verdal's size (Stjørdal, Kristiansund and
Trondheim-Lerkendal are larger), so this is a little heavier than seven Verdal-size scenarios.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=100)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-run", metavar="SCENARIO",
                        help="time per run of SCENARIO (a name in scenarios/) in batches")
    args = parser.parse_args(argv)
    if args.per_run:
        return per_run(args.per_run, args.worlds, args.years)
    scenarios = sorted(str(p) for p in (ROOT / "scenarios").glob("*.toml"))
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "sim", "compare", *scenarios, "--worlds", str(args.worlds),
               "--replications", str(args.replications), "--workers", str(args.workers),
               "--years", str(args.years), "--quiet", "--out", out]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    runs = len(scenarios) * (args.worlds + 1) * args.replications
    print(f"{len(scenarios)} scenarios x ({args.worlds} worlds + the nominal) x "
          f"{args.replications} replications, {args.years} years, {args.workers} workers: "
          f"{runs} runs in {seconds:.1f} s ({runs / seconds:.1f} runs/s); target: 100 worlds "
          "in at most 300 s")
    return 0


def per_run(name: str, count: int, years: int) -> int:
    """Print CPU seconds per run of scenario ``name`` in ``count`` worlds, three ways."""
    sys.path.insert(0, str(ROOT))
    from sim.analysis.worlds import DEFAULT_FIT, Posterior, draw_worlds
    from sim.inputs.parameters import REGISTRY
    from sim.inputs.scenario import load_scenario
    from sim.run.runner import replication_seed, run_batch

    worlds = draw_worlds(count, 5, REGISTRY, Posterior.from_fit(DEFAULT_FIT))
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml", years=years)
    each = [worlds.apply(w, scenario) for w in range(count)]
    seeds = [replication_seed(7, k) for k in range(count)]

    def cpu(work) -> float:
        start = time.process_time()
        work()
        return (time.process_time() - start) / count

    shared = cpu(lambda: run_batch(each, seeds))
    one = cpu(lambda: run_batch([each[0]] * count, seeds))
    fives = cpu(lambda: [run_batch([each[w]] * 5, seeds[:5]) for w in range(0, count, 5)])
    print(f"{name}, {years} years, CPU s a run: {count} worlds in one batch {shared:.3f}; "
          f"{count} replications of one world {one:.3f}; batches of 5 replications of one "
          f"world {fives:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
