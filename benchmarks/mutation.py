"""Mutation testing of the engine's money rules: how many deliberate bugs the tests catch.

Usage::

    pip install -e ".[mutation]"
    python benchmarks/mutation.py [--workers 2] [--examples 20] [--out FILE]

mutmut (configured in ``pyproject.toml``, ``[tool.mutmut]``) copies the project into
``mutants/``, makes every small change it knows to the files listed there (an operator
swapped, a constant changed, an argument dropped...) and runs the engine's tests selected
there against each: a mutant the tests fail on is *killed*, one they pass is *survived*. The
property test draws ``--examples`` random scenarios (the suite draws 200) to keep a run to an
hour or two on two cores. The script then writes a summary with every survivor's diff to
``--out``; ``docs/testing.md`` says what was done about them. It is not part of CI: it takes
far longer than the test suite and measures the tests, not the model.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")


def _mutmut(*args: str, env: dict[str, str] | None = None, capture: bool = True) -> str:
    done = subprocess.run([str(MUTMUT), *args], cwd=ROOT, env=env, text=True, check=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout or ""


def _commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                          capture_output=True).stdout.strip()


def statuses() -> dict[str, str]:
    """Every mutant's name and status, as ``mutmut results --all true`` lists them."""
    lines = _mutmut("results", "--all", "true").splitlines()
    found = (re.match(r"\s*(\S+): (.+)$", line) for line in lines)
    return {m.group(1): m.group(2).strip() for m in found if m}


#: Kinds of survivor told apart by their diff (first match wins); the rest are "other", to
#: be read one by one.
KINDS = (
    ("equivalent: dtype of inputs that are floats already",
     r"dtype=None|asarray\([^()]*, \)|astype\(None\)"),
    ("equivalent: slice(None, n) is slice(0, n)", r"slice\(None, "),
    ("equivalent: numpy's warning settings", r"errstate"),
    ("the batch path (towns > 1), run by tests/engine/test_batch.py only", r"towns|f\.town"),
    ("a comparison at 0 or 1 of a continuous amount", r"(>=|<=|>|<|==|!=) ?[01](\.0)?\b"),
)


def kind(diff: str) -> str:
    """The kind of a surviving mutant, from the lines its diff adds."""
    added = "\n".join(line[1:] for line in diff.splitlines()
                      if line.startswith("+") and not line.startswith("+++"))
    return next((name for name, pattern in KINDS if re.search(pattern, added)), "other")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--examples", type=int, default=20,
                        help="random scenarios of the property test per mutant (default: 20)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results"
                        / "mutation.txt")
    parser.add_argument("--keep", action="store_true",
                        help="go on from an earlier run's mutants/ instead of starting afresh")
    parser.add_argument("--report-only", action="store_true",
                        help="run nothing: summarise what mutants/ holds (after a run was "
                             "stopped, say)")
    args = parser.parse_args(argv)
    if not MUTMUT.exists():
        print(f"mutation: mutmut is not installed beside {sys.executable}; "
              "pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    took = None
    if not args.report_only:
        if not args.keep:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        env = {**os.environ, "BOLIGSIM_PROPERTY_EXAMPLES": str(args.examples)}
        (ROOT / "mutants").mkdir(exist_ok=True)
        (ROOT / "mutants" / "commit.txt").write_text(_commit(), encoding="utf-8")
        start = time.monotonic()
        _mutmut("run", "--max-children", str(args.workers), env=env, capture=False)
        took = time.monotonic() - start
    found = statuses()
    counts = collections.Counter(found.values())
    survivors = sorted(k for k, v in found.items() if v in ("survived", "timeout", "suspicious"))
    made = ROOT / "mutants" / "commit.txt"
    commit = made.read_text(encoding="utf-8") if made.exists() else _commit()
    lines = [f"mutmut on {commit}: {len(found)} mutants, "
             + ", ".join(f"{n} {s}" for s, n in counts.most_common())
             + (f"; {took / 60:.0f} min with {args.workers} workers" if took else "")
             + f"; {args.examples} property examples per mutant",
             f"command: python benchmarks/mutation.py --workers {args.workers} "
             f"--examples {args.examples}", ""]
    diffs = {name: _mutmut("show", name).rstrip() for name in survivors}
    kinds = collections.Counter(kind(d) for d in diffs.values())
    lines += [f"survivors by kind: {n} {k}" for k, n in kinds.most_common()] + [""]
    for name in survivors:
        lines += [f"[{kind(diffs[name])}]", diffs[name], ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(lines[0])
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
