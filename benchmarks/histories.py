"""Fingerprints of the engine's histories: a check that a change meant to keep behaviour did.

Usage::

    python benchmarks/histories.py --save /tmp/before.json     # before the change
    python benchmarks/histories.py --check /tmp/before.json    # after it: exit 1 if any differs
    python benchmarks/histories.py --check /tmp/before.json --tolerance 1e-9

``--save`` also keeps the histories themselves beside the fingerprints (``FILE.npz``), so that
``--check`` can say, of a history that differs, by how much (the largest difference relative
to the indicator's largest value) and in which indicators. ``--tolerance REL`` accepts a
history whose every value is within ``REL`` of the saved one in that measure: for a change
that reorders a floating-point sum (money totals then differ in their last bits), never for a
change meant to keep every bit.

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


def histories() -> dict[str, np.ndarray]:
    """Every run's history by a name that says what was run."""
    files = sorted((ROOT / "scenarios").glob("*.toml"))
    out = {}
    for path in files:
        scenario = load_scenario(path)
        for seed in SEEDS:
            run = HousingModel(scenario, np.random.SeedSequence([seed, 0])).run()
            out[f"single {path.stem} seed {seed}"] = run
        seeds = [np.random.SeedSequence([1, k]) for k in range(6)]
        out[f"batch {path.stem} x6"] = HousingModel([scenario] * 6, seeds).run()
    verdal = load_scenario(ROOT / "scenarios" / "verdal.toml")
    towns = [verdal.with_overrides({"policy.followup.workers": w, "work.job_finding_rate": r,
                                    "policy.rotation.contract_years": c})
             for w, r, c in ((0, 0.02, 0.0), (3, 0.03, 3.0), (6, 0.05, 1.0), (2, 0.01, 5.0))]
    seeds = [np.random.SeedSequence([3, k]) for k in range(len(towns))]
    out["batch of differing towns x4"] = HousingModel(towns, seeds).run()
    large = load_scenario(ROOT / "scenarios" / "baseline.toml").with_overrides(
        {"population.initial_families": 20_000, "municipality.inhabitants": 400_000})
    out["single 20,000 families seed 1"] = HousingModel(large, 1).run()
    return out


def difference(saved: np.ndarray, found: np.ndarray) -> tuple[float, list[str]]:
    """The largest difference between two histories of one run, each indicator's relative to
    its largest absolute value in the saved one, and the indicators that differ at all."""
    from sim.inputs.indicators import NAMES

    if saved.shape != found.shape:
        return float("inf"), ["(shape)"]
    scale = np.abs(saved).reshape(-1, saved.shape[-1]).max(axis=0)
    scale[scale == 0] = 1.0
    rel = (np.abs(found - saved) / scale).reshape(-1, saved.shape[-1]).max(axis=0)
    return float(rel.max()), [NAMES[i] for i in np.flatnonzero(rel)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/histories.py",
                                     description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save", metavar="FILE", help="write the fingerprints as JSON")
    group.add_argument("--check", metavar="FILE",
                       help="compare with fingerprints saved before; exit 1 if any differs")
    parser.add_argument("--tolerance", type=float, default=0.0, metavar="REL",
                        help="with --check: accept differences within REL (default 0: none)")
    args = parser.parse_args(argv)
    runs = histories()
    found = {name: digest(history) for name, history in runs.items()}
    for name, value in found.items():
        print(f"{value}  {name}")
    if args.save:
        Path(args.save).write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
        np.savez_compressed(args.save + ".npz", **runs)
    if args.check:
        saved = json.loads(Path(args.check).read_text(encoding="utf-8"))
        changed = [k for k in sorted(set(saved) | set(found)) if saved.get(k) != found.get(k)]
        arrays = Path(args.check + ".npz")
        kept = np.load(arrays) if arrays.exists() else {}
        beyond = []
        for name in changed:
            if name not in kept or name not in runs:
                beyond.append(name)
                print(f"differs: {name}")
                continue
            rel, where = difference(kept[name], runs[name])
            print(f"differs by at most {rel:.2e} of the indicator's largest value: {name} "
                  f"({', '.join(where)})")
            if rel > args.tolerance:
                beyond.append(name)
        if beyond:
            print(f"{len(beyond)} of {len(found)} histories differ"
                  + (f" by more than {args.tolerance:g}" if args.tolerance else "")
                  + ": " + "; ".join(beyond))
            return 1
        same = len(found) - len(changed)
        print(f"{same} of {len(found)} histories identical"
              + (f", {len(changed)} within {args.tolerance:g}" if changed else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
