"""Time a comparison across plausible worlds, the size issue 19 sets as the target: the seven
bundled scenarios x 100 worlds x 5 replications, 10 years (``docs/performance.md``, "Plausible
worlds").

Usage::

    python benchmarks/worlds.py [--worlds K] [--replications R] [--workers W] [--years N]

Runs ``boligsim compare scenarios/*.toml --worlds K`` in a fresh process into a temporary
folder and prints the wall time, the runs made (the nominal world included) and runs per
second. The bundled scenarios are not all of Verdal's size (Stjørdal, Kristiansund and
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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    raise SystemExit(main())
