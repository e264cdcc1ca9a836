"""Fingerprints of the engine's histories: a check that a change meant to keep behaviour did.

Usage::

    python benchmarks/histories.py --save /tmp/before.json     # before the change
    python benchmarks/histories.py --check /tmp/before.json    # after it: exit 1 if any differs

Runs every bundled scenario (``scenarios/*.toml``) with two seeds as single runs, each as a
batch of six replications, a batch of four towns that differ in parameters a batch lets
differ, and one run of 20,000 families long enough to drop departed rows, and prints the
SHA-256 of each history's bytes. A restructuring, a speed-up or a new lever at its neutral
default should leave every fingerprint as it was; a change of a rule changes some, and says
which. Fingerprints depend on the numpy version and the platform: compare runs made on the same
machine, never against a file from elsewhere.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.engine.model import HousingModel  # noqa: E402
from sim.inputs.scenario import load_scenario  # noqa: E402

SEEDS = (1, 2)


def digest(history: np.ndarray) -> str:
    """The first 16 hex digits of the SHA-256 of a history's float64 bytes."""
    data = np.ascontiguousarray(history, dtype=np.float64).tobytes()
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprints() -> dict[str, str]:
    """Every run's fingerprint by a name that says what was run."""
    files = sorted((ROOT / "scenarios").glob("*.toml"))
    out = {}
    for path in files:
        scenario = load_scenario(path)
        for seed in SEEDS:
            run = HousingModel(scenario, np.random.SeedSequence([seed, 0])).run()
            out[f"single {path.stem} seed {seed}"] = digest(run)
        seeds = [np.random.SeedSequence([1, k]) for k in range(6)]
        out[f"batch {path.stem} x6"] = digest(HousingModel([scenario] * 6, seeds).run())
    verdal = load_scenario(ROOT / "scenarios" / "verdal.toml")
    towns = [verdal.with_overrides({"policy.followup.workers": w, "work.job_finding_rate": r,
                                    "policy.rotation.contract_years": c})
             for w, r, c in ((0, 0.02, 0.0), (3, 0.03, 3.0), (6, 0.05, 1.0), (2, 0.01, 5.0))]
    seeds = [np.random.SeedSequence([3, k]) for k in range(len(towns))]
    out["batch of differing towns x4"] = digest(HousingModel(towns, seeds).run())
    large = load_scenario(ROOT / "scenarios" / "baseline.toml").with_overrides(
        {"population.initial_families": 20_000, "municipality.inhabitants": 400_000})
    out["single 20,000 families seed 1"] = digest(HousingModel(large, 1).run())
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/histories.py",
                                     description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save", metavar="FILE", help="write the fingerprints as JSON")
    group.add_argument("--check", metavar="FILE",
                       help="compare with fingerprints saved before; exit 1 if any differs")
    args = parser.parse_args(argv)
    found = fingerprints()
    for name, value in found.items():
        print(f"{value}  {name}")
    if args.save:
        Path(args.save).write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    if args.check:
        saved = json.loads(Path(args.check).read_text(encoding="utf-8"))
        changed = [k for k in sorted(set(saved) | set(found)) if saved.get(k) != found.get(k)]
        if changed:
            print(f"{len(changed)} of {len(found)} histories differ: " + "; ".join(changed))
            return 1
        print(f"all {len(found)} histories identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
