"""SALib's indices (sim/analysis/sensitivity/indices.py) recover known answers: the Ishigami
function's Sobol' indices (S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244) with Sobol' and
eFAST, a group's closed index and the only second-order interaction. A function evaluates in
microseconds, so the samples can be large.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import cli
from sensitivity_helpers import EXPERIMENTS, indices, ishigami_file, read_csv

from sim.analysis.testfunctions import ishigami_indices

SOBOL_COLUMNS = ["method", "output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]


def test_ishigami_known_indices_are_the_textbook_values() -> None:
    known = ishigami_indices()
    assert np.allclose(known["S1"], (0.3139, 0.4424, 0.0), atol=5e-4)
    assert np.allclose(known["ST"], (0.5576, 0.4424, 0.2437), atol=5e-4)


def test_sobol_recovers_the_ishigami_indices(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled experiment, through the CLI: S1 and ST within 0.03 of the exact values."""
    out = tmp_path / "out"
    code, stdout, err = cli(capsys, "sensitivity", EXPERIMENTS / "ishigami.toml", "--out", out,
                            "--quiet")
    assert code == 0, err
    header, _ = read_csv(out / "indices.csv")
    assert header == SOBOL_COLUMNS
    got = indices(out / "indices.csv")
    known = ishigami_indices()
    for k, name in enumerate(("x1", "x2", "x3")):
        row = got[("y", name)]
        assert row["S1"] == pytest.approx(known["S1"][k], abs=0.03), name
        assert row["ST"] == pytest.approx(known["ST"][k], abs=0.03), name
        assert 0 < row["S1_conf"] < 0.06 and 0 < row["ST_conf"] < 0.06
    assert (out / "sobol_indices.png").stat().st_size > 1000
    _, noise = read_csv(out / "noise.csv")
    assert noise[0]["estimated_from"] == "deterministic function"
    assert "x1 0.55" in stdout or "x1 0.56" in stdout


def test_efast_recovers_the_ishigami_indices(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """eFAST, the third SALib method: looser tolerance (its estimator is biased at small N)."""
    out = tmp_path / "out"
    code, _, err = cli(capsys, "sensitivity", ishigami_file(tmp_path, method="fast", n=2048),
                       "--out", out, "--quiet")
    assert code == 0, err
    header, _ = read_csv(out / "indices.csv")
    assert header == SOBOL_COLUMNS
    got, known = indices(out / "indices.csv"), ishigami_indices()
    for k, name in enumerate(("x1", "x2", "x3")):
        assert got[("y", name)]["S1"] == pytest.approx(known["S1"][k], abs=0.05), name
        assert got[("y", name)]["ST"] == pytest.approx(known["ST"][k], abs=0.05), name
    _, conv = read_csv(out / "convergence.csv")
    assert {r["n_half"] for r in conv} == {"1024"}
    assert (out / "fast_indices.png").exists()


def test_a_group_gets_its_closed_index(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """x1 and x3 as one SALib group: S1 of the group is V1 + V13 over V = ST of x1."""
    out = tmp_path / "out"
    exp = ishigami_file(tmp_path, x1_extra='group = "x1+x3"', x3_extra='group = "x1+x3"')
    code, _, err = cli(capsys, "sensitivity", exp, "--out", out, "--quiet")
    assert code == 0, err
    got = indices(out / "indices.csv")
    assert sorted(p for _, p in got) == ["x1+x3", "x2"]
    assert got[("y", "x1+x3")]["S1"] == pytest.approx(ishigami_indices()["ST"][0], abs=0.03)


def test_second_order_finds_the_only_interaction(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Ishigami's only interaction is x1-x3 (b x3^4 sin x1): S2 = V13 / V = 0.244."""
    out = tmp_path / "out"
    exp = ishigami_file(tmp_path, n=2048, extra="second_order = true")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", out, "--quiet")
    assert code == 0, err
    header, rows = read_csv(out / "indices_second_order.csv")
    assert header == ["method", "output", "parameter", "other", "S2", "S2_conf"]
    s2 = {(r["parameter"], r["other"]): float(r["S2"]) for r in rows}
    assert set(s2) == {("x1", "x2"), ("x1", "x3"), ("x2", "x3")}
    assert s2[("x1", "x3")] == pytest.approx(ishigami_indices()["ST"][2], abs=0.05)
    assert abs(s2[("x1", "x2")]) < 0.05 and abs(s2[("x2", "x3")]) < 0.05
