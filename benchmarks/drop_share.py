"""How soon to drop departed families' rows: CPU time of a Verdal-size run against
:data:`sim.engine.model.DROP_SHARE` (``docs/performance.md``, "Departed rows").

Usage::

    python benchmarks/drop_share.py [SHARE ...]     # default 2 0.05 0.1 0.2 0.4

For each share (2 never drops), the best and median CPU time of five single runs of
``scenarios/verdal.toml`` (10 years and the 24-year burn-in) and the CPU time per run of a
batch of 32 replications. The histories are the same at every share (counts exactly, money to
the last bits: ``tests/engine/test_batch.py``); only the time differs.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sim.engine.model as model  # noqa: E402
from sim.inputs.scenario import load_scenario  # noqa: E402
from sim.run.runner import replication_seed, run_batch  # noqa: E402


def main(argv: list[str]) -> int:
    shares = [float(a) for a in argv] or [2.0, 0.05, 0.1, 0.2, 0.4]
    scenario = load_scenario(ROOT / "scenarios" / "verdal.toml", years=10)
    for share in shares:
        model.DROP_SHARE = share
        single = []
        for r in range(5):
            start = time.process_time()
            model.HousingModel(scenario, r).run()
            single.append(time.process_time() - start)
        start = time.process_time()
        run_batch([scenario] * 32, [replication_seed(7, k) for k in range(32)])
        batch = (time.process_time() - start) / 32
        print(f"DROP_SHARE {share:g}: single run {min(single) * 1000:.0f} ms best, "
              f"{statistics.median(single) * 1000:.0f} ms median; in a batch of 32 "
              f"{batch * 1000:.0f} ms a run", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
