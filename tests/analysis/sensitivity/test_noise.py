"""The noise report (sim/analysis/sensitivity/noise.py) flags an output that is pure
replication noise and not one that is not: with one replication per point via the probe, and
with several."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli
from sensitivity_helpers import read_csv, write

NOISY = """
[experiment]
method = "sobol"
N = 64
replications = {replications}
noise_points = 16
noise_replications = 4
outputs = ["signal", "noise"]

[model]
function = "sim.analysis.testfunctions:noisy"

[[parameters]]
name = "x1"
range = [0, 1]

[[parameters]]
name = "x2"
range = [0, 1]
"""


@pytest.mark.parametrize("replications", [1, 3])
def test_noise_report_flags_pure_noise_only(replications: int, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """``noise`` is a fresh draw at every point; ``signal`` = 3 x1 + x2 + common noise."""
    exp = write(tmp_path / "noisy.toml", NOISY.format(replications=replications))
    out = tmp_path / "out"
    code, _, err = cli(capsys, "sensitivity", exp, "--out", out, "--quiet")
    assert code == 0, err
    _, rows = read_csv(out / "noise.csv")
    noise = {r["output"]: r for r in rows}
    source = ("probe: 16 points x 4 replications" if replications == 1
              else f"design: 256 points x {replications} replications")
    assert noise["noise"]["estimated_from"] == source
    assert noise["noise"]["flagged"] == "true"
    assert float(noise["noise"]["noise_share"]) > 0.6
    # signal's noise is common to every point of a replication: it changes no index
    assert noise["signal"]["flagged"] == "false"
    assert float(noise["signal"]["noise_share"]) < 0.01
    assert float(noise["signal"]["within_variance"]) > 0
    warnings = [line for line in err.splitlines() if "replication noise" in line]
    assert len(warnings) == 1 and warnings[0].startswith("boligsim: warning: noise:")
