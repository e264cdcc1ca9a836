"""Tests for ``boligsim bench`` (sim/run/bench.py and its subcommand in sim/cli.py).

Speed is measured by the benchmarks (``benchmarks/run.py``), not asserted here: these tests
check the command's contract on tiny sizes — the JSON it writes, a list for several sizes,
exit status 2 for bad arguments — and how a size sets up the municipality.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import cli

from sim.engine.model import HousingModel
from sim.inputs.indicators import INDEX
from sim.inputs.scenario import DEFAULT_BURN_IN
from sim.run import bench

ROOT = Path(__file__).resolve().parents[2]



def test_one_size_writes_a_json_object_with_the_keys(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """One size: a table row on stdout and a JSON object with the contract's keys, whose
    family-months per second is family-months over the median seconds."""
    out = tmp_path / "bench.json"
    code, stdout, err = cli(capsys, "bench", "--families", 40, "--years", 1, "--repeat", 2,
                            "--json", out)
    assert code == 0, err
    assert "family-months/s" in stdout and "40" in stdout
    data = json.loads(out.read_text())
    assert isinstance(data, dict)
    assert set(bench.KEYS) <= set(data)
    assert data["families"] == 40 and data["months"] == 12 * (1 + DEFAULT_BURN_IN)
    assert data["seconds"] > 0 and data["peak_rss_mb"] > 0
    assert data["family_months_per_s"] == pytest.approx(data["family_months"] / data["seconds"])
    assert len(data["times_s"]) == 2


def test_several_sizes_give_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two sizes: a list of two results in the order asked, the larger with more
    family-months."""
    out = tmp_path / "bench.json"
    code, _, err = cli(capsys, "bench", "--families", 60, 30, "--years", 1, "--repeat", 1,
                       "--json", out)
    assert code == 0, err
    data = json.loads(out.read_text())
    assert isinstance(data, list) and [d["families"] for d in data] == [60, 30]
    for d in data:
        assert set(bench.KEYS) <= set(d)
    assert data[0]["family_months"] > data[1]["family_months"]


@pytest.mark.parametrize("args, needle", [
    (["--families", "5"], "--families"),
    (["--families", "0"], "--families"),
    (["--families", str(bench.MAX_FAMILIES + 1)], "--families"),
    (["--years", "0"], "--years"),
    (["--years", "101"], "--years"),
    (["--repeat", "0"], "--repeat"),
    (["--seed", "-1"], "--seed"),
    (["--batch", "0"], "--batch"),
    (["--scenario", "no/such/scenario.toml"], "scenario.toml"),
    (["--set", "no.such.parameter=1"], "no.such.parameter"),
    (["--json", "no/such/dir/out.json"], "--json"),
])
def test_bad_arguments_exit_2_with_one_line(args: list[str], needle: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Bad sizes, lengths, repeats, seeds, files or overrides: one error line, status 2,
    nothing measured."""
    code, stdout, err = cli(capsys, "bench", "--years", 1, "--repeat", 1, *args)
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boligsim: error: ") and needle in lines[0]
    assert "family-months/s" not in stdout


@pytest.mark.parametrize("args", [["--families", "many"], ["--families"], ["--repeat", "2.5"]])
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Arguments argparse rejects (not integers, missing values) also exit with 2."""
    code, _, err = cli(capsys, "bench", *args)
    assert code == 2 and err.startswith("boligsim: error: bench: ") and err.count("\n") == 1


def test_a_size_scales_the_municipality() -> None:
    """N families: N outside municipal housing, 30 N inhabitants, 0.24 N municipal dwellings
    and N/500 follow-up workers; the rest of the scenario is the baseline's."""
    s = bench.bench_scenario(2000, 3)
    p = s.params
    assert p["population.initial_families"] == 2000
    assert p["municipality.inhabitants"] == 60_000
    assert p["stock.municipal_dwellings"] == 480
    assert p["policy.followup.workers"] == pytest.approx(4.0)
    assert s.months == 36 and s.name == "Baseline"
    assert bench.bench_scenario(500, 10).params["municipality.inhabitants"] == 15_000


def simulated_family_months(scenario, seed: int) -> float:
    """Active families summed over every month a run simulates, burn-in and reported."""
    model, total = HousingModel(scenario, seed), 0
    while model.reported < model.months:
        model.step()
        total += int(model.f.active[: model.f.n].sum())
    assert total >= model.history[:, INDEX["families"]].sum()  # the reported months and more
    return total


def test_family_months_sum_the_active_families_over_months() -> None:
    """Family-months are the active families summed over the simulated months of the timed
    run, its burn-in's included: the work the engine did."""
    s = bench.bench_scenario(50, 1)
    result = bench.time_runs(s, repeat=1, seed=3)
    assert result["family_months"] == simulated_family_months(s, 3)
    assert result["months"] == s.simulated_months == 12 * (1 + DEFAULT_BURN_IN)


def test_a_batch_reports_per_town_and_keeps_the_contract(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """``--batch B`` times B towns at once; seconds and family-months are per town."""
    out = tmp_path / "bench.json"
    code, stdout, err = cli(capsys, "bench", "--families", 40, "--years", 1, "--repeat", 1,
                            "--batch", 3, "--json", out)
    assert code == 0, err
    assert "batch of 3 towns" in stdout
    data = json.loads(out.read_text())
    assert set(bench.KEYS) <= set(data) and data["batch"] == 3
    assert data["batch_seconds"] == pytest.approx(3 * data["seconds"])
    # family-months of one town: the mean of the three towns' (seeds 1, 2, 3)
    s = bench.bench_scenario(40, 1)
    towns = [simulated_family_months(s, seed) for seed in (1, 2, 3)]
    assert data["family_months"] == pytest.approx(sum(towns) / 3)


def test_importing_the_command_stays_light() -> None:
    """``sim.run.bench`` and ``sim.cli`` import no numpy or Mesa, so ``boligsim --help`` is fast."""
    code = ("import sys, sim.cli, sim.run.bench; "
            "print(sorted(m for m in ('numpy', 'mesa') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_help_lists_bench(capsys: pytest.CaptureFixture[str]) -> None:
    """``boligsim bench --help`` explains the options and how a size is set up."""
    code, out, _ = cli(capsys, "bench", "--help")
    assert code == 0
    for option in ("--families", "--years", "--repeat", "--json", "--scenario"):
        assert option in out
    assert "30N" in out


def test_the_instruction_counter_refuses_a_count_of_no_runs(
        capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/instructions.py (valgrind's count per run) exits 2 with one line when it
    cannot measure: no valgrind, or nothing to measure."""
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "benchmarks"))
    try:
        import instructions
    finally:
        sys.path.remove(str(root / "benchmarks"))
    assert instructions.main(["--runs", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("instructions.py:") and "\n" not in err
