"""Reproducibility: outputs record their provenance, and the same inputs give the same bytes
whatever runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(out: Path, *extra: str) -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "run", "scenarios/verdal.toml",
                           "--years", "1", "--replications", "3", "--seed", "7", "--quiet",
                           "--out", str(out), *extra], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_same_bytes_across_executors_and_provenance_recorded(tmp_path: Path) -> None:
    """Serial and two processes write the same timeseries.csv and scenario.toml byte for byte;
    summary.json differs only in the executor it records; provenance names the version, the
    git commit (when there is one), the scenario's hash, the seed and the executor."""
    run(tmp_path / "serial")
    run(tmp_path / "two", "--workers", "2")
    for name in ("timeseries.csv", "scenario.toml"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    a, b = (json.loads((tmp_path / d / "summary.json").read_text()) for d in ("serial", "two"))
    assert (a["provenance"].pop("executor"), b["provenance"].pop("executor")) == (
        "serial", "processes:2")
    assert a == b
    prov = a["provenance"]
    assert prov["boligsim"] and prov["seed"] == 7 and len(prov["scenario_digest"]) == 64
    assert "git_commit" in prov


def test_the_resolved_scenario_reproduces_the_run(tmp_path: Path) -> None:
    """Running the written scenario.toml again gives the same timeseries.csv."""
    run(tmp_path / "first")
    again = subprocess.run([sys.executable, "-m", "sim", "run",
                            str(tmp_path / "first" / "scenario.toml"), "--replications", "3",
                            "--seed", "7", "--quiet", "--out", str(tmp_path / "again")],
                           cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert ((tmp_path / "first" / "timeseries.csv").read_bytes()
            == (tmp_path / "again" / "timeseries.csv").read_bytes())


def test_an_interrupted_run_is_not_overwritten_without_resume(tmp_path: Path) -> None:
    """A folder holding the parts of an interrupted run (no summary.json yet) is refused
    without --resume or --force, so finished work is never silently thrown away."""
    out = tmp_path / "out"
    run(out)
    (out / "summary.json").unlink()
    (out / "timeseries.csv").unlink()
    again = subprocess.run([sys.executable, "-m", "sim", "run", "scenarios/verdal.toml",
                            "--years", "1", "--quiet", "--out", str(out)], cwd=ROOT,
                           capture_output=True, text=True)
    assert again.returncode == 2 and "runs" in again.stderr
    assert (out / "runs" / "r000000.parquet").exists()
