"""Instructions per run, counted by valgrind: a measure of the engine's cost that the host's
speed does not move.

Usage::

    python benchmarks/instructions.py [--scenario scenarios/verdal.toml] [--years 10]
                                      [--families N] [--runs 2] [--batch B]

On a shared virtual machine wall and CPU time swing by 10-25 % within minutes, so an A/B
comparison of a change worth a few percent cannot be read from them. Valgrind's ``callgrind``
counts the instructions the process executes, which repeat to within a fraction of a percent.
The script runs itself under valgrind twice — building the scenario and warming the caches
with one run, then ``--runs`` more runs or none — and reports the difference per run, so the
interpreter's start-up and the imports drop out. Memory-bound work (national sizes) costs more
than its instructions say; use it for the call overhead of small and mid-sized runs. With
``--batch B`` each run is a batch of ``B`` towns (seeds in a row) and the count is per town.

Needs ``valgrind`` (Debian package ``valgrind``); the two counts run side by side, about a
minute for two Verdal-size runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _run_inside(args: argparse.Namespace) -> None:
    """Build the scenario, run it once to warm up, then ``args.runs`` more times."""
    from sim.engine.model import HousingModel
    from sim.inputs.scenario import load_scenario
    from sim.run.bench import bench_scenario

    if args.families:
        scenario = bench_scenario(args.families, args.years, args.scenario)
    else:
        scenario = load_scenario(args.scenario, years=args.years)
    def build(seed: int) -> HousingModel:
        if args.batch:
            return HousingModel([scenario] * args.batch, [seed * args.batch + t
                                                          for t in range(args.batch)])
        return HousingModel(scenario, seed)

    build(0).run()
    for seed in range(1, args.runs + 1):
        build(seed).run()


def _start(args: argparse.Namespace, runs: int) -> subprocess.Popen:
    """This script with ``runs`` measured runs, started under callgrind."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
               __file__, "--inside", "--runs", str(runs), "--years", str(args.years),
               "--scenario", str(args.scenario)]
    if args.families:
        command += ["--families", str(args.families)]
    if args.batch:
        command += ["--batch", str(args.batch)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same string hashes in every count
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=env)


def _instructions(process: subprocess.Popen) -> int:
    """The instruction count callgrind reports when ``process`` ends."""
    _, err = process.communicate()
    found = re.search(r"Collected\s*:\s*(\d+)", err)
    if process.returncode or not found:
        raise SystemExit(f"instructions.py: valgrind failed:\n{err[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "verdal.toml")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--families", type=int, default=0,
                        help="scale the scenario to N families as `boligsim bench` does")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=0,
                        help="run batches of B towns and count per town")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        _run_inside(args)
        return 0
    if shutil.which("valgrind") is None:
        print("instructions.py: valgrind is not installed (Debian: apt install valgrind)",
              file=sys.stderr)
        return 2
    if args.runs < 1 or args.batch < 0:
        print("instructions.py: --runs must be at least 1 and --batch at least 0",
              file=sys.stderr)
        return 2
    base, measured = _start(args, 0), _start(args, args.runs)  # side by side: two cores
    base, measured = _instructions(base), _instructions(measured)
    what = f"{args.families} families" if args.families else args.scenario.name
    per = args.runs * max(args.batch, 1)
    unit = f"town of batches of {args.batch}" if args.batch else "run"
    print(f"{what}, {args.years} years: {(measured - base) / per / 1e6:,.1f} million "
          f"instructions per {unit} ({args.runs} runs; start-up and warm-up run subtracted)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
