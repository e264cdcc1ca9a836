"""Tests for the ``boligsim`` command line (sim/cli.py) and the files it writes
(sim/present/outputs.py).

A few tests go through ``python -m sim`` in a subprocess, as a user would; the rest call
:func:`sim.cli.main` in-process for speed. Runs use ``--years 1`` and few replications.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import assert_one_line_error, cli

from sim.inputs.indicators import NAMES
from sim.inputs.scenario import DEFAULT_BURN_IN, load_scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"
COLUMNS = ["replication", "month", "date", *NAMES]
SUMMARY_KEYS = ["scenario", "seed", "replications", "start", "months", "provenance",
                "indicators"]



def run_module(*args: object, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def run_args(out: Path, *extra: object) -> list[object]:
    """Arguments of a short quiet run of the baseline into ``out``."""
    return ["run", BASELINE, "--years", 1, "--quiet", "--out", out, *extra]



# --- end to end, as a user runs it -------------------------------------------------------


def test_run_writes_the_contract_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_module(*run_args(out, "--replications", 2, "--seed", 4))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert str(out) in done.stdout and len(done.stdout.strip().splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "runs", "scenario.toml", "summary.json", "timeseries.csv"]
    # runs/ is a Parquet dataset, one file per replication, written as each completes
    assert sorted(p.name for p in (out / "runs").iterdir()) == [
        "manifest.json", "r000000.parquet", "r000001.parquet"]

    with open(out / "timeseries.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == COLUMNS
    body = rows[1:]
    assert len(body) == 2 * 12
    assert [(r[0], r[1]) for r in body[:2]] == [("0", "0"), ("0", "1")]
    assert [r[2] for r in body[:12]] == [f"2012-{m:02d}" for m in range(1, 13)]
    assert body[12][:3] == ["1", "0", "2012-01"]
    assert all(len(r) == len(COLUMNS) for r in body)
    for r in body:
        [float(x) for x in r[3:]]

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(summary) == SUMMARY_KEYS
    assert summary["scenario"] == "Baseline"
    assert summary["seed"] == 4
    assert summary["replications"] == 2
    assert summary["start"] == "2012-01"
    assert summary["months"] == 12
    assert list(summary["indicators"]) == list(NAMES)
    for entry in summary["indicators"].values():
        assert list(entry) == ["mean", "ci95"]
        lo, hi = entry["ci95"]
        assert lo <= entry["mean"] <= hi
    prov = summary["provenance"]
    assert prov["seed"] == 4 and prov["executor"] == "serial"
    assert prov["scenario_digest"] == load_scenario(BASELINE, years=1).digest()
    assert {"boligsim", "git_commit", "python", "numpy"} <= set(prov)
    assert not any("time" in key or "date" in key for key in prov)


def test_help_is_fast_and_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from sim.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "finally:\n"
        "    heavy = {'numpy', 'scipy', 'mesa', 'pandas', 'tqdm'} & set(sys.modules)\n"
        "    print('HEAVY', sorted(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "usage: boligsim" in done.stdout
    assert "HEAVY []" in done.stdout
    for command in ("run", "check"):
        assert command in done.stdout


def test_module_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "X"\n[municipality]\ninhabitant = 15000\n',
                   encoding="utf-8")
    done = run_module("run", bad, "--quiet", "--out", tmp_path / "out")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, str(bad), "municipality.inhabitant",
                          "'municipality.inhabitants'")
    assert done.stdout == ""
    assert not (tmp_path / "out").exists()


def test_usage_error_exits_2() -> None:
    done = run_module("run", BASELINE)  # no --out
    assert done.returncode == 2
    assert "--out" in done.stderr
    assert "Traceback" not in done.stderr


# --- run, in-process ---------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_different(capsys, tmp_path: Path) -> None:
    def timeseries(name: str, seed: int, *extra: object) -> bytes:
        out = tmp_path / name
        code, _, err = cli(capsys, *run_args(out, "--replications", 2, "--seed", seed, *extra))
        assert code == 0, err
        return (out / "timeseries.csv").read_bytes()

    first = timeseries("a", 7)
    assert timeseries("b", 7) == first
    assert timeseries("c", 7, "--workers", 2) == first
    assert timeseries("d", 8) != first
    assert (tmp_path / "a" / "summary.json").read_bytes() == (
        tmp_path / "b" / "summary.json").read_bytes()


def test_resolved_scenario_loads_back_with_the_same_digest(capsys, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = cli(capsys, *run_args(out, "--set", "municipality.inhabitants=20000"))
    assert code == 0, err
    original = load_scenario(BASELINE, years=1, overrides=["municipality.inhabitants=20000"])
    again = load_scenario(out / "scenario.toml")
    assert again.digest() == original.digest()
    assert again.params["municipality.inhabitants"] == 20000
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["scenario_digest"] == original.digest()
    # what was set is recorded beside the files it changed
    assert summary["provenance"]["scenario_sources"][-1] == "--set municipality.inhabitants=20000"


def test_run_prints_where_the_outputs_are(capsys, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    code, stdout, err = cli(capsys, *run_args(out))
    assert code == 0, err
    assert err == ""  # --quiet, and stderr is not a terminal anyway
    assert len(stdout.strip().splitlines()) == 1
    assert str(out) in stdout


def test_set_warns_in_one_line_when_a_later_phase_changes_the_value(capsys) -> None:
    """``--set`` of a parameter a later phase changes holds only until that phase: the
    command says so in one line (Verdal's network starts in 2015), and goes on."""
    verdal = Path(__file__).resolve().parents[1] / "scenarios" / "verdal.toml"
    code, _, err = cli(capsys, "check", verdal, "--set", "policy.followup.network=false")
    assert code == 0, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: --set policy.followup.network:")
    assert "2015-01" in lines[0]
    code, _, err = cli(capsys, "check", verdal, "--set", "market.price_growth=0.01")
    assert code == 0 and err == ""


def test_existing_outputs_are_kept_without_force(capsys, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli(capsys, *run_args(out, "--seed", 1))[0] == 0
    before = (out / "timeseries.csv").read_bytes()

    code, stdout, err = cli(capsys, *run_args(out, "--seed", 2))
    assert code == 2
    assert_one_line_error(err, str(out), "--force")
    assert stdout == ""
    assert (out / "timeseries.csv").read_bytes() == before

    code, _, err = cli(capsys, *run_args(out, "--seed", 2, "--force"))
    assert code == 0, err
    assert (out / "timeseries.csv").read_bytes() != before
    assert sorted(p.name for p in out.iterdir()) == [
        "runs", "scenario.toml", "summary.json", "timeseries.csv"]  # no temporary files left
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]


def test_out_dir_that_is_a_file_is_refused(capsys, tmp_path: Path) -> None:
    out = tmp_path / "file"
    out.write_text("x", encoding="utf-8")
    code, _, err = cli(capsys, *run_args(out))
    assert code == 2
    assert_one_line_error(err, str(out), "not a directory")


# --- check -------------------------------------------------------------------------------


def test_check_baseline(capsys) -> None:
    code, out, err = cli(capsys, "check", BASELINE)
    assert code == 0, err
    assert err == ""
    assert "Baseline" in out and "2012-01" in out and "no phases" in out
    assert f"after a burn-in of {DEFAULT_BURN_IN} years" in out
    assert len(out.strip().splitlines()) == 1


def test_check_reports_changes_and_phases(capsys, tmp_path: Path) -> None:
    path = tmp_path / "reform.toml"
    path.write_text(
        '[scenario]\nname = "Reform"\nstart = "2014-01"\nyears = 5\nburn_in = 3\n'
        "[municipality]\ninhabitants = 20000\n"
        '[[phases]]\nstart = "2015-08"\nlabel = "Housing service starts"\n'
        "stock.acquire_per_year = 5.0\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "check", path, "--set", "stock.sublet_dwellings=10")
    assert code == 0, err
    assert "'Reform'" in out and "2014-01" in out and "2018-12" in out
    assert "after a burn-in of 3 years" in out
    assert "2 of " in out  # inhabitants and sublet_dwellings
    assert "1 phase: 2015-08 Housing service starts" in out


# --- bad input: exit 2, one line naming the file and key ---------------------------------


BAD_FILES = {
    "unknown key": ("[municipality]\ninhabitant = 15000\n",
                    ["municipality.inhabitant", "did you mean 'municipality.inhabitants'"]),
    "wrong type": ('[municipality]\ninhabitants = "many"\n',
                   ["municipality.inhabitants", "expected an integer"]),
    "out of range": ("[municipality]\ninhabitants = 3\n",
                     ["municipality.inhabitants", "out of range"]),
    "broken TOML": ("[municipality\ninhabitants = 3\n", ["invalid TOML"]),
}


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_scenario_file(capsys, tmp_path: Path, command: str, case: str) -> None:
    text, needles = BAD_FILES[case]
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "Bad"\n' + text, encoding="utf-8")
    args = run_args(tmp_path / "out") if command == "run" else ["check", BASELINE]
    args[1] = path
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert_one_line_error(err, str(path), *needles)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["run", "check"])
def test_missing_file(capsys, tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nowhere.toml"
    args = run_args(tmp_path / "out") if command == "run" else ["check", BASELINE]
    args[1] = missing
    code, _, err = cli(capsys, *args)
    assert code == 2
    assert_one_line_error(err, str(missing), "not found")


@pytest.mark.parametrize("extra, needles", [
    (["--set", "municipality.inhabitants"], ["--set", "PATH=VALUE"]),
    (["--set", "municipality.inhabitans=3"], ["--set", "municipality.inhabitans",
                                              "'municipality.inhabitants'"]),
    (["--set", "municipality.inhabitants=true"], ["--set", "municipality.inhabitants"]),
    (["--set", "municipality.inhabitants=1"], ["--set", "municipality.inhabitants", "range"]),
    (["--years", "0"], ["--years", "1 to 100"]),
    (["--years", "101"], ["--years", "1 to 100"]),
    (["--replications", "0"], ["--replications", ">= 1"]),
    (["--workers", "0"], ["--workers", ">= 1"]),
    (["--seed", "-1"], ["--seed", ">= 0"]),
])
def test_bad_options(capsys, tmp_path: Path, extra: list[str], needles: list[str]) -> None:
    out = tmp_path / "out"
    code, stdout, err = cli(capsys, *run_args(out), *extra)
    assert code == 2
    assert stdout == ""
    assert_one_line_error(err, *needles)
    assert not out.exists()


def test_bad_set_in_check(capsys) -> None:
    code, _, err = cli(capsys, "check", BASELINE, "--set", "nonsense")
    assert code == 2
    assert_one_line_error(err, "--set", "PATH=VALUE")


@pytest.mark.parametrize("args", [
    ["run", BASELINE, "--out", "x", "--years", "abc"],
    ["run", BASELINE],
    ["frobnicate"],
    [],
])
def test_usage_errors_return_2(capsys, args: list[object]) -> None:
    """One line, like every other error: what is wrong and where the options are."""
    code, _, err = cli(capsys, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boligsim: error: "), err
    assert "--help'" in err and "Traceback" not in err


def test_help_returns_0(capsys) -> None:
    code, out, _ = cli(capsys, "run", "--help")
    assert code == 0
    for option in ("--years", "--replications", "--seed", "--set", "--workers", "--quiet",
                   "--force", "--out"):
        assert option in out
