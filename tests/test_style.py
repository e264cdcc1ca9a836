"""The habits the code keeps, checked as CI checks everything else: ruff (style, imports,
complexity) over the whole repository and mypy over the model and its inputs, with the
configuration in pyproject.toml. The same run as the pre-commit hooks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)


def test_ruff_finds_nothing():
    """Line length, import order, likely bugs, and no function too complex or too long
    (C90 at 10, PLR0915 at 50 statements) anywhere in the code, tests and benchmarks."""
    done = run("ruff", "check", "--no-cache", "sim", "tests", "benchmarks", "docs")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_the_engine_and_inputs():
    """The model and its inputs type-check, family columns included."""
    done = run("mypy", "--no-incremental")
    assert done.returncode == 0, done.stdout + done.stderr
