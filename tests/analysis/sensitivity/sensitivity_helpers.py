"""What the sensitivity tests share: paths, CSV readers and small experiment files."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
EXPERIMENTS = ROOT / "experiments"
VERDAL = ROOT / "scenarios" / "verdal.toml"


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def indices(path: Path) -> dict[tuple[str, str], dict[str, float]]:
    """``indices.csv`` as ``{(output, parameter): {measure: value}}``."""
    header, rows = read_csv(path)
    return {(r["output"], r["parameter"]): {k: float(r[k]) for k in header[3:] if r[k]}
            for r in rows}


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def ishigami_file(tmp: Path, *, method: str = "sobol", n: int = 4096, extra: str = "",
                  x1_extra: str = "", x3_extra: str = "") -> Path:
    """An Ishigami experiment written to ``tmp``."""
    pi = "3.141592653589793"
    return write(tmp / f"ishigami_{method}_{n}.toml", f"""
        [experiment]
        method = "{method}"
        N = {n}
        seed = 3
        outputs = ["y"]
        {extra}

        [model]
        function = "sim.analysis.testfunctions:ishigami"

        [[parameters]]
        name = "x1"
        range = [-{pi}, {pi}]
        {x1_extra}

        [[parameters]]
        name = "x2"
        range = [-{pi}, {pi}]

        [[parameters]]
        name = "x3"
        range = [-{pi}, {pi}]
        {x3_extra}
    """)


GOOD_FUNCTION = """
[experiment]
method = "sobol"
N = 8
outputs = ["y"]

[model]
function = "sim.analysis.testfunctions:ishigami"

[[parameters]]
name = "x1"
range = [0.0, 1.0]
group = "g"

[[parameters]]
name = "x2"
range = [0.0, 1.0]

[[parameters]]
name = "x3"
range = [0.0, 1.0]
"""
