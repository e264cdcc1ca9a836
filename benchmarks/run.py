"""The benchmark harness: the engine at three sizes, the CLI's start-up and the Mesa reference.

Usage::

    python benchmarks/run.py [--repeat K] [--repeat-large K] [--reference-years Y]
                             [--json FILE] [--skip-large]
    python benchmarks/run.py --report FILE     # the report of figures saved with --json

What it measures, each engine size in a fresh process (:func:`sim.run.bench.measure`; sizes are
set up as described in :mod:`sim.run.bench`):

* 500 families over 10 years (a Verdal-size municipality), 10,000 families over 10 years and
  122,000 families over 20 years (Norway's disadvantaged households): median wall time of a
  run, family-months per second, peak resident memory;
* 122,000 families over 10 years as well, to show whether memory grows with months;
* 500 families over 10 years run as a batch of :data:`BATCH` towns (seeds 1 to ``BATCH``), as
  sensitivity analysis and calibration run their points: time per run;
* ``boligsim --help``: median wall time of the console script (or ``python -m sim``);
* the speed ratio at 10,000 families: the engine and the per-agent Mesa reference
  (:mod:`benchmarks.reference`) over ``--reference-years`` with the reference's subset of the
  rules (:data:`benchmarks.reference.SUBSET_OVERRIDES`; the engine still runs all its
  processes, most with nothing to do), both flavours of the reference, per family-month.

It prints the figures against the targets of ``docs/performance.md`` and, with ``--json``,
writes them with the machine's context (git commit, load average, CPUs, versions).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.run import bench  # noqa: E402

#: (families, years) of the engine sizes.
SIZES = ((500, 10), (10_000, 10), (122_000, 20))
#: Towns in the batched Verdal-size measurement (sensitivity's chunk of points).
BATCH = 64
#: Size of the engine/reference comparison.
REFERENCE_FAMILIES = 10_000


def context() -> dict[str, Any]:
    """Where and when the figures were measured."""
    import mesa
    import numpy

    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                             check=False)
        return out.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"),
            "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
            "load_average": os.getloadavg(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "numpy": numpy.__version__,
            "mesa": mesa.__version__, "machine": platform.machine(),
            "date": time.strftime("%Y-%m-%d %H:%M:%S")}


def help_seconds(repeat: int) -> dict[str, Any]:
    """Median wall time of ``boligsim --help`` (a new process each time)."""
    script = Path(sys.executable).parent / "boligsim"
    found = shutil.which("boligsim")
    if script.exists():
        command = [str(script), "--help"]
    elif found:
        command = [found, "--help"]
    else:
        command = [sys.executable, "-m", "sim", "--help"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {"command": " ".join(Path(command[0]).name if i == 0 else c
                                for i, c in enumerate(command)),
            "seconds": statistics.median(times), "times_s": times}


def reference_comparison(years: int, repeat: int) -> dict[str, Any]:
    """Engine and reference at :data:`REFERENCE_FAMILIES` with the reference's subset."""
    from benchmarks.reference import SUBSET_OVERRIDES, subset_scenario, time_reference

    overrides = [f"{k}={json.dumps(v)}" for k, v in SUBSET_OVERRIDES.items()]  # TOML values
    engine = bench.measure(REFERENCE_FAMILIES, years, repeat=repeat, overrides=overrides)
    scenario = subset_scenario(bench.bench_scenario(REFERENCE_FAMILIES, years))
    plain = time_reference(scenario)
    scalar = time_reference(scenario, scalar_finance=True)
    out = {"families": REFERENCE_FAMILIES, "months": years * 12, "engine": engine,
           "reference": plain, "reference_scalar_finance": scalar}
    out["ratio"] = engine["family_months_per_s"] / plain["family_months_per_s"]
    out["ratio_scalar_finance"] = engine["family_months_per_s"] / scalar["family_months_per_s"]
    # the same ratios by CPU time (less sensitive to other processes on the machine)
    engine_cpu = engine["family_months"] / engine["cpu_seconds"]
    out["ratio_cpu"] = engine_cpu / (plain["family_months"] / plain["cpu_seconds"])
    out["ratio_scalar_finance_cpu"] = engine_cpu / (scalar["family_months"]
                                                    / scalar["cpu_seconds"])
    return out


def verdict(ok: bool) -> str:
    """``met`` or ``NOT met``."""
    return "met" if ok else "NOT met"


def report(results: dict[str, Any]) -> str:
    """The figures against the targets, as Markdown."""
    # by families: the months simulated include the scenario's burn-in
    sizes = {r["families"]: r for r in results["sizes"]}
    lines = [bench.format_table(results["sizes"]), ""]
    small = sizes.get(500)
    large = sizes.get(122_000)
    large10 = results.get("large_10_years")
    targets = []
    if small:
        ms = 1000 * small["seconds"]
        targets.append(("500 families, 10 years <= 50 ms (a single run)", f"{ms:.0f} ms",
                        ms <= 50))
    batched = results.get("batch")
    if batched:
        ms = 1000 * batched["seconds"]
        targets.append((f"... per run in a batch of {batched['batch']} towns", f"{ms:.0f} ms",
                        ms <= 50))
    if large:
        targets.append(("122,000 families, 20 years <= 15 s", f"{large['seconds']:.1f} s",
                        large["seconds"] <= 15))
        fms = large["family_months_per_s"]
        targets.append((">= 5 million family-months/s (122,000 families)",
                        f"{fms / 1e6:.2f} million/s", fms >= 5e6))
        targets.append(("peak memory, 122,000 families, 20 years <= 500 MB",
                        f"{large['peak_rss_mb']:.0f} MB", large["peak_rss_mb"] <= 500))
    if large and large10:
        grow = large["peak_rss_mb"] - large10["peak_rss_mb"]
        targets.append(("memory grows with families, not months (10 -> 20 years)",
                        f"{large10['peak_rss_mb']:.0f} -> {large['peak_rss_mb']:.0f} MB",
                        grow <= 0.05 * large10["peak_rss_mb"]))
    ref = results.get("reference")
    if ref:
        # the fair ratio is against the reference written as a Mesa user would, with
        # scalar arithmetic; the one calling sim.engine.finance per agent is shown beside it
        targets.append((f">= 50x the scalar per-agent reference at {ref['families']:,} "
                        "families", f"{ref['ratio_scalar_finance']:.0f}x (calling "
                        f"sim.engine.finance per agent: {ref['ratio']:.0f}x)",
                        ref["ratio_scalar_finance"] >= 50))
        targets.append(("... the same by CPU time", f"{ref['ratio_scalar_finance_cpu']:.0f}x "
                        f"(calling sim.engine.finance per agent: {ref['ratio_cpu']:.0f}x)",
                        ref["ratio_scalar_finance_cpu"] >= 50))
    h = results.get("help")
    if h:
        targets.append(("boligsim --help <= 1.5 s", f"{h['seconds']:.2f} s",
                        h["seconds"] <= 1.5))
    lines += ["| target | measured | |", "|---|---:|---|"]
    lines += [f"| {t} | {m} | {verdict(ok)} |" for t, m, ok in targets]
    if ref:
        e, p, s = ref["engine"], ref["reference"], ref["reference_scalar_finance"]
        lines += ["", f"Reference comparison, {ref['families']:,} families, {ref['months']} "
                      "months, the reference's subset of the rules:", "",
                  "| implementation | seconds | CPU s | family-months/s |",
                  "|---|---:|---:|---:|",
                  f"| engine (arrays), median of {e['repeat']} | {e['seconds']:.3f} | "
                  f"{e['cpu_seconds']:.3f} | {e['family_months_per_s']:,.0f} |",
                  f"| Mesa reference, sim.engine.finance per agent | {p['seconds']:.2f} | "
                  f"{p['cpu_seconds']:.2f} | {p['family_months_per_s']:,.0f} |",
                  f"| Mesa reference, scalar finance | {s['seconds']:.2f} | "
                  f"{s['cpu_seconds']:.2f} | {s['family_months_per_s']:,.0f} |"]
    c = results["context"]
    dirty = " + uncommitted changes" if c["uncommitted_changes"] else ""
    lines += ["", f"commit {c['commit'][:12]}{dirty}; "
                  f"load average {', '.join(f'{x:.2f}' for x in c['load_average'])} on "
                  f"{c['cpus']} CPUs; Python {c['python']}, numpy {c['numpy']}, "
                  f"Mesa {c['mesa']}; {c['date']}"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure everything, print the report, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs per engine size, median reported (default: 5)")
    parser.add_argument("--repeat-large", type=int, default=3,
                        help="runs of the 122,000-family sizes (default: 3)")
    parser.add_argument("--reference-years", type=int, default=2,
                        help="years of the engine/reference comparison (default: 2)")
    parser.add_argument("--skip-large", action="store_true",
                        help="leave out the 122,000-family sizes")
    parser.add_argument("--json", metavar="FILE", help="write all figures as JSON")
    parser.add_argument("--report", metavar="FILE",
                        help="measure nothing: print the report of figures saved with --json")
    args = parser.parse_args(argv)
    if args.report:
        print(report(json.loads(Path(args.report).read_text(encoding="utf-8"))))
        return 0

    results: dict[str, Any] = {"context": context(), "sizes": []}
    print(bench.table_header(), flush=True)
    for families, years in SIZES:
        if families >= 100_000 and args.skip_large:
            continue
        repeat = args.repeat_large if families >= 100_000 else args.repeat
        r = bench.measure(families, years, repeat=repeat)
        results["sizes"].append(r)
        print(bench.table_row(r), flush=True)
    if not args.skip_large:
        r = bench.measure(122_000, 10, repeat=1)
        results["large_10_years"] = r
        print(bench.table_row(r), "(memory: months)", flush=True)
    r = bench.measure(500, 10, repeat=args.repeat, batch=BATCH)
    results["batch"] = r
    print(bench.table_row(r), f"(per run, in batches of {BATCH})", flush=True)
    results["help"] = help_seconds(max(args.repeat, 5))
    print(f"boligsim --help: {results['help']['seconds']:.3f} s", flush=True)
    results["reference"] = reference_comparison(args.reference_years, args.repeat)
    results["context_after"] = {"load_average": os.getloadavg()}
    print()
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
