"""The convergence check (sim/analysis/sensitivity/convergence.py): its N/2 analysis is exactly
what a run with N/2 gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli
from sensitivity_helpers import indices, ishigami_file, read_csv


def test_convergence_half_is_a_run_with_half_the_sample(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The first N/2 blocks of a Saltelli sample are the sample of N/2: same estimates."""
    full, half = tmp_path / "full", tmp_path / "half"
    assert cli(capsys, "sensitivity", ishigami_file(tmp_path, n=1024), "--out", full,
               "--quiet")[0] == 0
    assert cli(capsys, "sensitivity", ishigami_file(tmp_path, n=512), "--out", half,
               "--quiet")[0] == 0
    direct = indices(half / "indices.csv")
    _, conv = read_csv(full / "convergence.csv")
    assert len(conv) == 6
    for row in conv:
        assert row["n_half"] == "512" and row["n"] == "1024"
        expected = direct[(row["output"], row["parameter"])][row["measure"]]
        assert float(row["value_half"]) == pytest.approx(expected, rel=1e-9, abs=1e-12)
