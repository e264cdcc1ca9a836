"""Tests of running a calibration (sim/analysis/calibration/calibrate.py, outputs.py,
markdown.py, ``boligsim calibrate``, ``python -m sim.analysis.calibration``).

A twin experiment recovers known parameters; the small bundled set-up writes its outputs, its
fragment can be extended, and ``--resume`` re-uses every stored evaluation.
"""

from __future__ import annotations

import json
import math
import shutil
import tomllib
from pathlib import Path

import pytest
from calibration_setups import CALIBRATION, TRUTH, synthetic_setup
from helpers import cli

import sim.analysis.calibration as cal
from sim.analysis.calibration import evaluation
from sim.analysis.calibration.__main__ import main as markdown_main
from sim.cli import main
from sim.inputs.checks import flatten_tables
from sim.inputs.scenario import load_scenario


def test_calibration_recovers_known_parameters(tmp_path: Path) -> None:
    """A twin experiment: targets made at TRUTH (with the fit's seeds, tolerances one standard
    error) are fitted from the prior with a small budget (40 optimiser points, 24 ABC draws).
    Stated tolerance: each estimate within 10 % of its prior range of the truth, and the
    truth inside the 90 % ABC and profile intervals."""
    setup = synthetic_setup(tmp_path, seed=1, replications=3)
    result = cal.run_calibration(setup, tmp_path / "out", quiet=True, log=lambda text: None)
    for path, info in result.fit["parameters"].items():
        low, high = info["bounds"]
        assert abs(info["value"] - TRUTH[path]) <= 0.1 * (high - low), (path, info)
        lo, hi = info["interval90"]
        assert lo <= TRUTH[path] <= hi, (path, info)
        plo, phi = info["profile_interval90"]
        assert plo <= info["value"] <= phi and plo <= TRUTH[path] <= phi, (path, info)
    assert all(t["within_tolerance"] for t in result.fit["targets"])
    assert result.fit["loss"] < result.fit["loss_at_defaults"]
    assert result.fitted == {p: i["value"] for p, i in result.fit["parameters"].items()}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``boligsim calibrate calibration/small.toml`` once, for the tests that read it."""
    out = tmp_path_factory.mktemp("small") / "out"
    assert main(["calibrate", str(CALIBRATION / "small.toml"), "--out", str(out),
                 "--quiet"]) == 0
    return out


def test_calibrate_writes_fit_fragment_and_figures(small_run: Path) -> None:
    for name in ("fit.json", "calibrated.toml", "targets.png", "parameters.png"):
        assert (small_run / name).stat().st_size > 0
    fit = json.loads((small_run / "fit.json").read_text(encoding="utf-8"))
    assert math.isfinite(fit["loss"]) and fit["loss"] <= fit["loss_at_defaults"] + 1e-9
    for info in fit["parameters"].values():
        assert info["bounds"][0] <= info["value"] <= info["bounds"][1]
        assert len(info["interval90"]) == 2 and len(info["profile_interval90"]) == 2
    for row in fit["targets"]:
        assert {"observed", "simulated", "within_tolerance", "tolerance", "expression",
                "scenario", "source"} <= set(row)
        lo, hi = row["simulated"]["ci95"]
        assert lo <= row["simulated"]["mean"] <= hi
    assert fit["optimiser"]["history"] == sorted(fit["optimiser"]["history"], reverse=True)
    chosen = fit["selection"]["chosen"]
    assert fit["selection"]["losses_refined"][chosen] == min(fit["selection"]["losses_refined"])
    for weight in fit["weights"].values():
        assert 0 < weight["noise_factor"] <= 1 and weight["noise_sd"] >= 0
    assert list(fit["timings"]) == ["search_s", "selection_s", "abc_s", "report_s", "total_s"]
    draws = fit["uncertainty"]["posterior_draws"]  # the joint posterior plausible worlds use
    assert draws["parameters"] == list(fit["parameters"])
    assert len(draws["values"]) == len(draws["weights"]) == fit["uncertainty"]["accepted"]
    for row in draws["values"]:
        for path, x in zip(draws["parameters"], row, strict=True):
            assert fit["parameters"][path]["bounds"][0] <= x <= fit["parameters"][path]["bounds"][1]
    assert list((small_run / "runs" / "points").glob("p*.parquet"))


def test_calibrated_fragment_loads_and_can_be_extended(small_run: Path,
                                                       tmp_path: Path) -> None:
    fit = json.loads((small_run / "fit.json").read_text(encoding="utf-8"))
    fragment = load_scenario(small_run / "calibrated.toml")
    assert fragment.name == cal.CALIBRATED_NAME
    data = tomllib.loads((small_run / "calibrated.toml").read_text(encoding="utf-8"))
    written = flatten_tables({k: v for k, v in data.items() if k != "scenario"})
    assert set(written) == set(fit["parameters"])
    child = tmp_path / "child.toml"
    child.write_text('[scenario]\nname = "Child"\n'
                     f'extends = {json.dumps(str(small_run / "calibrated.toml"))}\n\n'
                     '[municipality]\ninhabitants = 5000\n', encoding="utf-8")
    scenario = load_scenario(child)
    for path, info in fit["parameters"].items():
        assert scenario.params[path] == info["value"]
    assert scenario.params["municipality.inhabitants"] == 5000


def test_markdown_tables_show_every_parameter_and_target(
        small_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fit = json.loads((small_run / "fit.json").read_text(encoding="utf-8"))
    assert markdown_main([str(small_run / "fit.json")]) == 0
    out = capsys.readouterr().out
    assert out == cal.fit_markdown(fit)
    for path in fit["parameters"]:
        assert f"| `{path}` (" in out
    for row in fit["targets"]:
        assert f"| `{row['id']}` |" in out
    assert markdown_main([str(small_run / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_resume_reuses_stored_evaluations(small_run: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    before = json.loads((out / "fit.json").read_text(encoding="utf-8"))

    def must_not_run(*args: object) -> None:
        raise AssertionError("a stored point was simulated again")

    monkeypatch.setattr(evaluation, "evaluate_calibration_point", must_not_run)
    code, _, err = cli(capsys, "calibrate", CALIBRATION / "small.toml", "--out", out,
                       "--quiet")
    assert code == 2 and "--force" in err  # outputs are there: resume or force needed
    code, _, err = cli(capsys, "calibrate", CALIBRATION / "small.toml", "--out", out,
                       "--quiet", "--resume")
    assert code == 0, err
    after = json.loads((out / "fit.json").read_text(encoding="utf-8"))
    for key in ("loss", "parameters", "targets", "uncertainty"):
        assert after[key] == before[key]
