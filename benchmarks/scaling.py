"""How the engine's cost grows with the number of families and of months.

Usage::

    python benchmarks/scaling.py [--families 500 2000 10000 40000 122000] [--years 10]
                                 [--at 10000] [--years-list 2 5 10 20] [--repeat 3]
                                 [--json FILE] [--refit FILE]

Measures every size of ``--families`` over ``--years`` and ``--at`` families over every
length of ``--years-list`` (each in a fresh process, :func:`sim.run.bench.measure`), then fits
the run's CPU time as

    t = a * months + b * family_months      and      t = a' * months + b' * row_months

by least squares: ``a`` is the fixed cost of a month whatever the population (Python and
numpy call overhead: a few hundred array operations a month), ``b`` the cost of one
family-month; row-months count the rows of the family arrays, which keep families who have
left, so they are what the array operations actually process. The model's memory (peak
resident memory less what the imports take) is fitted as proportional to the size.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.run import bench  # noqa: E402


def fit(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Least-squares fits of CPU time and peak memory (see the module docstring).

    Returns:
        ``family_month_ms_per_month`` (a), ``ns_per_family_month`` (b), ``family_month_r2``,
        the same with ``row_month``, and ``model_kb_per_family``: peak memory above what the
        imports take, per family of the size, fitted through the origin.
    """
    import numpy as np

    months = np.array([r["months"] for r in rows], float)
    cpu = np.array([r["cpu_seconds"] for r in rows], float)
    out: dict[str, float] = {}
    for key, label in (("family_months", "family_month"), ("row_months", "row_month")):
        x = np.column_stack([months, np.array([r[key] for r in rows], float)])
        coef, *_ = np.linalg.lstsq(x, cpu, rcond=None)
        pred = x @ coef
        r2 = 1 - ((cpu - pred) ** 2).sum() / ((cpu - cpu.mean()) ** 2).sum()
        out[f"{label}_ms_per_month"] = 1000 * coef[0]
        out[f"ns_per_{label}"] = 1e9 * coef[1]
        out[f"{label}_r2"] = float(r2)
    families = np.array([r["families"] for r in rows], float)
    model_mb = np.array([r["peak_rss_mb"] - r["import_rss_mb"] for r in rows], float)
    out["model_kb_per_family"] = float(1024 * (families @ model_mb) / (families @ families))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print one row per run and the fits."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, nargs="+",
                        default=[500, 2000, 10_000, 40_000, 122_000])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--at", type=int, default=10_000)
    parser.add_argument("--years-list", type=int, nargs="+", default=[2, 5, 10, 20])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="write the rows and fits as JSON")
    parser.add_argument("--refit", metavar="FILE",
                        help="measure nothing: print the fits of the rows in a --json file")
    args = parser.parse_args(argv)

    if args.refit:
        rows = json.loads(Path(args.refit).read_text(encoding="utf-8"))["rows"]
        print(bench.format_table(rows))
    else:
        plan = [(n, args.years) for n in args.families]
        plan += [(args.at, y) for y in args.years_list if (args.at, y) not in plan]
        print(bench.table_header(), flush=True)
        rows = []
        for n, y in plan:
            r = bench.measure(n, y, repeat=args.repeat if n < 100_000 else 1)
            rows.append(r)
            print(bench.table_row(r), flush=True)
    f = fit(rows)
    print()
    for key, what in (("family_months", "family-month"), ("row_months", "row-month")):
        print(f"CPU ns per {what}: " + ", ".join(
            f"{r['families']:,}x{r['months']}: {1e9 * r['cpu_seconds'] / r[key]:,.0f}"
            for r in rows))
    for label, what in (("family_month", "family-months"), ("row_month", "row-months")):
        print(f"fit: CPU time = {f[f'{label}_ms_per_month']:.3f} ms x months + "
              f"{f[f'ns_per_{label}']:.0f} ns x {what} (R^2 {f[f'{label}_r2']:.4f})")
    print("model memory (peak RSS less imports), MB: " + ", ".join(
        f"{r['families']:,}x{r['months']}: {r['peak_rss_mb'] - r['import_rss_mb']:.0f}"
        for r in rows))
    print(f"fit: model memory = {f['model_kb_per_family']:.2f} KB x families")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "fit": f}, indent=2) + "\n",
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
