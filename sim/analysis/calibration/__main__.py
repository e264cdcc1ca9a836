"""``python -m sim.analysis.calibration FIT.json``: print a calibration's tables as Markdown."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.analysis.calibration.markdown import fit_markdown


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sim.analysis.calibration FIT.json``: print the fit's tables as Markdown."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m sim.analysis.calibration",
                                     description="Print a calibration's fit.json as Markdown "
                                                 "tables (for docs/validation.md).")
    parser.add_argument("fit", metavar="FIT.json")
    args = parser.parse_args(argv)
    try:
        fit = json.loads(Path(args.fit).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"python -m sim.analysis.calibration: error: {args.fit}: {exc}", file=sys.stderr)
        return 2
    print(fit_markdown(fit), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover - run as python -m
    raise SystemExit(main())
