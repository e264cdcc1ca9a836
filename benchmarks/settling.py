"""How long the model takes to settle from its drawn population: the measurement behind the
default burn-in (``sim.inputs.scenario.DEFAULT_BURN_IN``; docs/ODD.md, 5 Initialization).

Usage::

    python benchmarks/settling.py [--years 40] [--replications 120] [SCENARIO.toml ...]

Each scenario (by default every bundled one) runs without burn-in and without phases, under
its start values (the parameters its burn-in runs under), for ``--years`` years from the draw
of the population. For every stock indicator and every year ``b`` the change from month
``12 b`` to month ``12 b + 11`` is taken in each replication; its mean over the replications,
divided by the standard error that the mean of :data:`TEST_REPLICATIONS` replications has
(the noise of the settled-start test in ``tests/engine/test_burn_in.py``), is the year's
*drift* in units of that noise. Many replications make the estimate sharp (its own noise is
``sqrt(TEST_REPLICATIONS / replications)`` of those units). The script prints, for each
scenario, the largest drift over the stock indicators year by year and the shortest whole
number of years after which it stays within :data:`THRESHOLD` to the end; the default burn-in
is the largest of these. It also prints each stock's mean level in the first month, after a
year and after that many years, to show how far the drawn population is from the settled one.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.inputs.indicators import INDEX, INDICATORS  # noqa: E402
from sim.inputs.scenario import load_scenario  # noqa: E402
from sim.run.runner import replication_seed, run_batch  # noqa: E402

#: The stock indicators, whose first-year change a settled start keeps within noise.
STOCKS = tuple(i.name for i in INDICATORS if i.kind == "stock")
#: Replications of the settled-start test, whose noise the drift is measured in.
TEST_REPLICATIONS = 20
#: Largest drift, in standard errors of :data:`TEST_REPLICATIONS` replications, that counts
#: as settled: within noise with a margin to the test's bound.
THRESHOLD = 3.0


def drift(histories: np.ndarray) -> np.ndarray:
    """(years, stocks): each year's mean change of each stock indicator, from its first month
    to its twelfth, in standard errors of the mean of :data:`TEST_REPLICATIONS` replications.

    Args:
        histories: (replications, months, indicators), months from the draw.
    """
    stocks = histories[:, :, [INDEX[name] for name in STOCKS]]
    change = stocks[:, 11::12] - stocks[:, 0::12]
    mean, sd = change.mean(axis=0), change.std(axis=0, ddof=1)
    noise = sd / np.sqrt(TEST_REPLICATIONS)
    # a stock that never moves (the stock of dwellings) has no noise and no drift
    return np.divide(np.abs(mean), noise, out=np.zeros_like(mean), where=noise > 0)


def settled_after(worst: np.ndarray, threshold: float = THRESHOLD) -> int | None:
    """The first year from which every later year's largest drift is within ``threshold``
    (None if the last year's is not)."""
    above = np.flatnonzero(worst > threshold)
    if len(above) and above[-1] == len(worst) - 1:
        return None
    return int(above[-1]) + 1 if len(above) else 0


def measure(path: str | Path, years: int, replications: int, seed: int = 1) -> dict:
    """Run ``path`` under its start values from the draw; return its drifts and levels."""
    loaded = load_scenario(path, years=years, burn_in=0)
    scenario = dataclasses.replace(loaded, phases=[], sources=list(loaded.sources))
    seeds = [replication_seed(seed, k) for k in range(replications)]
    histories = np.stack(run_batch([scenario] * replications, seeds))
    table = drift(histories)
    worst = table.max(axis=1)
    return {"name": scenario.name, "drift": table, "worst": worst,
            "which": [STOCKS[k] for k in table.argmax(axis=1)],
            "settled": settled_after(worst), "levels": histories.mean(axis=0)}


def report(result: dict) -> str:
    """The printed lines of one scenario's measurement."""
    b = result["settled"]
    lines = [f"== {result['name']}: settled after {b} years "
             f"(largest first-year drift within {THRESHOLD:g} standard errors of "
             f"{TEST_REPLICATIONS} replications from then on)",
             "year  largest drift  indicator"]
    lines += [f"{year:4d}  {w:13.1f}  {which}" for year, (w, which)
              in enumerate(zip(result["worst"], result["which"], strict=True))]
    at = 12 * (b if b is not None else len(result["worst"]) - 1)
    lines.append(f"mean level in month 0, month 12 and month {at}:")
    levels = result["levels"]
    lines += [f"  {name:30s} {levels[0, INDEX[name]]:12.1f} {levels[12, INDEX[name]]:12.1f} "
              f"{levels[at, INDEX[name]]:12.1f}" for name in STOCKS]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/settling.py",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", help="scenario files (default: scenarios/*)")
    parser.add_argument("--years", type=int, default=40, help="years from the draw (40)")
    parser.add_argument("--replications", type=int, default=120, help="replications (120)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = args.scenarios or sorted(str(p) for p in (ROOT / "scenarios").glob("*.toml"))
    settled = []
    for path in paths:
        result = measure(path, args.years, args.replications, args.seed)
        print(report(result), flush=True)
        settled.append((result["settled"], result["name"]))
    known = [s for s in settled if s[0] is not None]
    print("settled after: " + ", ".join(f"{name} {b}" for b, name in settled))
    if known:
        print(f"longest: {max(known)[0]} years ({max(known)[1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
