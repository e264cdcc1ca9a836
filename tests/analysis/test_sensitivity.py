"""Tests for global sensitivity analysis (sim/analysis/sensitivity/, ``boligsim sensitivity``).

What a user relies on, checked here:

1. the pipeline recovers known answers: the Ishigami function's Sobol' indices (S1 = 0.314,
   0.442, 0; ST = 0.558, 0.442, 0.244) with Sobol' and eFAST, and a group's closed index;
2. a Morris screening of the housing model runs end to end through the command line and
   writes ``indices.csv`` with the columns of design.md, plus noise, convergence, samples and
   a figure — and finds the lever whose effect is known (caseworkers cost money);
3. an experiment killed part-way resumes with ``--resume`` without redoing a finished chunk
   and gives byte-identical ``indices.csv``; ``--resume`` refuses another experiment's parts;
4. every mistake in an experiment file exits with status 2 and one line naming the file and
   the key;
5. the noise report flags an output that is pure replication noise and does not flag one
   that is not (with one replication per point, via the probe, and with several);
6. the convergence check's N/2 analysis is exactly what a run with N/2 gives;
7. the bundled experiments are what issue 6 asks for.

Runs are small: a function evaluates in microseconds, the model runs one year of a small
municipality.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import cli

from sim.analysis.sensitivity import Factor, load_experiment
from sim.analysis.testfunctions import ishigami_indices
from sim.inputs.parameters import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = ROOT / "experiments"
VERDAL = ROOT / "scenarios" / "verdal.toml"
SOBOL_COLUMNS = ["method", "output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
MORRIS_COLUMNS = ["method", "output", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
MAIN_OUTPUTS = ["children_municipal@mean", "owner_startloan@final", "families_in_work@final",
                "social_assistance_nok@total", "municipal_net_cost_nok@total",
                "evictions@total", "homeless@mean"]


# ---------------------------------------------------------------------------------- helpers

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


#: A Morris screening of three follow-up levers, one year of a small municipality.
SMALL_MORRIS = f"""
    [experiment]
    name = "Small Morris"
    method = "morris"
    N = 4
    seed = 2
    chunk_size = 4
    noise_points = 4
    noise_replications = 2
    outputs = ["municipal_net_cost_nok@total", "social_assistance_nok@total",
               "families_in_work@final"]

    [model]
    scenario = "{VERDAL.as_posix()}"
    years = 1
    set = {{ "municipality.inhabitants" = 3000, "stock.municipal_dwellings" = 24 }}

    [[parameters]]
    path = "policy.followup.workers"
    range = [0.0, 4.0]

    [[parameters]]
    path = "policy.followup.visits"

    [[parameters]]
    path = "policy.followup.network_families"
    range = [0, 6]
"""


# ---------------------------------------------------------------------------------- known answers
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


# ---------------------------------------------------------------------------------- the model
def test_morris_on_the_model_end_to_end(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    exp = write(tmp_path / "small.toml", SMALL_MORRIS)
    out = tmp_path / "out"
    code, stdout, err = cli(capsys, "sensitivity", exp, "--out", out, "--quiet",
                            "--workers", 2)
    assert code == 0, err
    header, rows = read_csv(out / "indices.csv")
    assert header == MORRIS_COLUMNS
    params = ["policy.followup.workers", "policy.followup.visits",
              "policy.followup.network_families"]
    outputs = ["municipal_net_cost_nok@total", "social_assistance_nok@total",
               "families_in_work@final"]
    assert [(r["output"], r["parameter"]) for r in rows] == [(o, p) for o in outputs
                                                            for p in params]
    assert {r["method"] for r in rows} == {"morris"}
    # caseworkers are paid: the number of them drives the municipality's net cost most
    cost = {r["parameter"]: float(r["mu_star"]) for r in rows
            if r["output"] == "municipal_net_cost_nok@total"}
    assert max(cost, key=cost.get) == "policy.followup.workers"
    assert cost["policy.followup.workers"] > 0
    # the other files
    _, samples = read_csv(out / "samples.csv")
    assert len(samples) == 4 * (3 + 1)
    assert {s["policy.followup.visits"] for s in samples} <= {"0", "1"}
    assert {float(s["policy.followup.network_families"]) % 1 for s in samples} == {0.0}
    _, noise = read_csv(out / "noise.csv")
    assert [n["output"] for n in noise] == outputs
    assert all(n["estimated_from"] == "probe: 4 points x 2 replications" for n in noise)
    _, conv = read_csv(out / "convergence.csv")
    assert {(c["measure"], c["n_half"]) for c in conv} == {("mu_star", "2"), ("sigma", "2")}
    assert (out / "morris_mu_star_sigma.png").stat().st_size > 1000
    assert (out / "runs" / "manifest.json").exists()
    assert "Small Morris: morris, 3 parameters, N=4" in stdout and "processes:2" in stdout
    # the same directory again is refused without --force
    code, _, err = cli(capsys, "sensitivity", exp, "--out", out, "--quiet")
    assert code == 2 and "--force" in err


def test_phase_settings_of_sampled_levers_give_way(tmp_path: Path) -> None:
    """Verdal's 2015 phase switches the network on; a sampled network holds all the run."""
    exp = load_experiment(EXPERIMENTS / "verdal_morris.toml")
    phased = {k for p in exp.scenario.phases for k in p.params}
    assert not phased & {f.name for f in exp.factors}
    assert any("policy.followup.network:" in note for note in exp.notes)


# ---------------------------------------------------------------------------------- resume
SLOW_MODULE = """
    import os
    import time


    def slow(params):
        time.sleep(float(os.environ.get("SLOW_SECONDS", "0.05")))
        return {"y": params["a"] + 2.0 * params["b"] ** 2, "z": params["a"] * params["b"]}
"""

SLOW_EXPERIMENT = """
    [experiment]
    method = "morris"
    N = 8
    seed = {seed}
    chunk_size = 2
    outputs = ["y", "z"]

    [model]
    function = "slowmod:slow"

    [[parameters]]
    name = "a"
    range = [0, 1]

    [[parameters]]
    name = "b"
    range = [-1, 1]
"""


def part_stamps(runs: Path) -> dict[str, tuple[int, int]]:
    """The stored chunks: name -> (mtime_ns, inode)."""
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in runs.glob("*.parquet")}


def test_resume_after_a_kill_redoes_no_chunk(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "slowmod.py", SLOW_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    exp = write(tmp_path / "slow.toml", SLOW_EXPERIMENT.format(seed=5))
    reference, out = tmp_path / "reference", tmp_path / "out"
    assert cli(capsys, "sensitivity", exp, "--out", reference, "--quiet")[0] == 0
    chunks = len(part_stamps(reference / "runs"))
    assert chunks == 12  # 8 trajectories x 3 points, 2 points a chunk

    # slower points in the run to be killed: a busy machine must not let it finish first
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
           "SLOW_SECONDS": "0.3"}
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sensitivity", str(exp), "--out",
                             str(out), "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(part_stamps(out / "runs")) < 3 and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    before = part_stamps(out / "runs")
    assert 3 <= len(before) < chunks, "the kill did not land part-way"
    assert not (out / "indices.csv").exists()

    # without --resume the interrupted work is protected
    code, _, err = cli(capsys, "sensitivity", exp, "--out", out, "--quiet")
    assert code == 2 and "--resume" in err
    code, stdout, err = cli(capsys, "sensitivity", exp, "--out", out, "--quiet", "--resume")
    assert code == 0, err
    after = part_stamps(out / "runs")
    assert len(after) == chunks
    assert all(after[name] == stamp for name, stamp in before.items())
    assert f"{chunks - len(before)} chunk(s) evaluated" in stdout
    for name in ("indices.csv", "convergence.csv", "noise.csv", "samples.csv"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name

    # another experiment's parts are never mixed in
    other = write(tmp_path / "other.toml", SLOW_EXPERIMENT.format(seed=6))
    code, _, err = cli(capsys, "sensitivity", other, "--out", out, "--quiet", "--resume")
    assert code == 2 and "another experiment" in err and "seed" in err


# ---------------------------------------------------------------------------------- bad input
GOOD_MODEL = f"""
[experiment]
method = "morris"
N = 4
outputs = ["children_municipal@final"]

[model]
scenario = "{VERDAL.as_posix()}"

[[parameters]]
path = "policy.followup.workers"
range = [0.0, 5.0]
"""

BAD_INPUTS = {
    "unknown method": (('method = "morris"', 'method = "sobolev"'),
                       ["experiment.method", "morris, sobol, fast"]),
    "unknown parameter": (('path = "policy.followup.workers"',
                           'path = "policy.followup.worker"'),
                          ["policy.followup.worker", "did you mean 'policy.followup.workers'"]),
    "range outside bounds": (("range = [0.0, 5.0]", "range = [-1.0, 5.0]"),
                             ["parameters[1].range", "outside the registry's range"]),
    "empty range": (("range = [0.0, 5.0]", "range = [5.0, 5.0]"),
                    ["parameters[1].range", "low must be below high"]),
    "choice parameter": (('path = "policy.followup.workers"\nrange = [0.0, 5.0]',
                          'path = "policy.followup.mode"'),
                         ["policy.followup.mode", "choice parameter"]),
    "range of a bool": (('path = "policy.followup.workers"', 'path = "policy.followup.visits"'),
                        ["parameters[1].range", "true/false"]),
    "unknown output": (('"children_municipal@final"', '"children_municpal@final"'),
                       ["children_municpal@final", "did you mean 'children_municipal'"]),
    "output date outside the run": (('"children_municipal@final"',
                                     '"children_municipal@2031-01"'),
                                    ["children_municipal@2031-01", "outside the run"]),
    "sobol N not a power of 2": (('method = "morris"\nN = 4', 'method = "sobol"\nN = 1000'),
                                 ["experiment.N", "power of 2"]),
    "option of another method": (("N = 4", "N = 4\nM = 4"),
                                 ["experiment.M", "option of method 'fast'"]),
    "missing scenario": (("verdal.toml", "verdall.toml"), ["model.scenario", "not found"]),
    "function and scenario": (
        ("[model]", '[model]\nfunction = "sim.analysis.testfunctions:ishigami"'),
        ["model", "either scenario"]),
    "unknown table": (("[model]", "[modle]\n[model]"),
                      ["modle", "unknown table", "allowed tables are experiment, model"]),
    "duplicate parameter": (("range = [0.0, 5.0]",
                             'range = [0.0, 5.0]\n[[parameters]]\npath = '
                             '"policy.followup.workers"'),
                            ["parameters[2]", "listed twice"]),
    "fixed value out of range": (("[model]", '[model]\nset = { "stock.initial_occupancy" = 2 }'),
                                 ["model.set.stock.initial_occupancy", "out of range"]),
    "morris N odd": (("N = 4", "N = 5"), ["experiment.N", "even number"]),
    "invalid TOML": (("N = 4", "N = = 4"), ["invalid TOML"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_experiment_files_exit_2_with_one_line(case: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (old, new), needles = BAD_INPUTS[case]
    assert old in GOOD_MODEL, case
    exp = tmp_path / "bad.toml"
    exp.write_text(GOOD_MODEL.replace(old, new, 1), encoding="utf-8")
    code, stdout, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("boligsim: error: ") and str(exp) in err, err
    for needle in needles:
        assert needle in err, (needle, err)
    assert not (tmp_path / "out" / "indices.csv").exists()


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

BAD_FUNCTIONS = {
    "not module:function": (
        ("sim.analysis.testfunctions:ishigami", "sim.analysis.testfunctions.ishigami"),
        ["model.function", "package.module:function"]),
    "module missing": (("sim.analysis.testfunctions:", "sim.nosuchmodule:"),
                       ["model.function", "cannot use", "No module named"]),
    "function missing": ((":ishigami", ":ishigamy"), ["model.function", "no attribute"]),
    "input without range": (('range = [0.0, 1.0]\ngroup = "g"', ""),
                            ["parameters[1].range", "missing"]),
    "registry path for a function": (('name = "x1"', 'path = "x1"'),
                                     ["parameters[1]", "name = '...'"]),
    "groups in eFAST": (('method = "sobol"\nN = 8', 'method = "fast"\nN = 200'),
                        ["parameters[1].group", "eFAST has no groups"]),
    "eFAST N too small": (('method = "sobol"\nN = 8\n', 'method = "fast"\nN = 100\n'),
                          ["experiment.N", "8 M^2 = 128"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FUNCTIONS))
def test_bad_function_experiments_exit_2(case: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (old, new), needles = BAD_FUNCTIONS[case]
    assert old in GOOD_FUNCTION, case
    exp = tmp_path / "bad.toml"
    exp.write_text(GOOD_FUNCTION.replace(old, new, 1), encoding="utf-8")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and str(exp) in err, err
    for needle in needles:
        assert needle in err, (needle, err)


def test_a_function_without_the_output_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp = tmp_path / "missing.toml"
    exp.write_text(GOOD_FUNCTION.replace('["y"]', '["y", "w"]'), encoding="utf-8")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and "no output w" in err and len(err.strip().splitlines()) == 1


def test_an_exception_in_the_function_is_one_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    exp = tmp_path / "raises.toml"
    exp.write_text(GOOD_FUNCTION.replace('name = "x3"', 'name = "x4"'), encoding="utf-8")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "sim.analysis.testfunctions:ishigami: raised KeyError: 'x3' at {" in err


# ---------------------------------------------------------------------------------- noise
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


# ---------------------------------------------------------------------------------- pieces
def test_integer_factors_give_every_value_equal_weight() -> None:
    f = Factor("k", "int", 0, 2)
    lo, hi = f.bounds()
    xs = np.linspace(lo, hi, 30001)[:-1]
    counts = np.bincount([f.value(x) for x in xs])
    assert counts.tolist() == [10000, 10000, 10000]
    assert f.value(hi) == 2 and f.value(lo) == 0
    b = Factor("b", "bool", 0, 1)
    assert (b.value(0.49), b.value(0.5)) == (False, True)
    assert Factor("x", "float", 0.0, 1.0).value(1.0 + 1e-15) == 1.0


def test_bundled_verdal_experiments() -> None:
    morris = load_experiment(EXPERIMENTS / "verdal_morris.toml")
    levers = {p.path for p in REGISTRY.values() if p.kind == "policy" and p.type is not str}
    assert morris.method == "morris"
    assert {f.name for f in morris.factors} == levers
    assert list(morris.outputs) == MAIN_OUTPUTS
    assert morris.scenario is not None and morris.scenario.name == "Verdal"

    sobol = load_experiment(EXPERIMENTS / "verdal_sobol.toml")
    assert (sobol.method, sobol.n, sobol.replications) == ("sobol", 1024, 1)
    assert len(sobol.factors) == 10
    kinds = {REGISTRY[f.name].kind for f in sobol.factors}
    assert "policy" in kinds and kinds & {"context", "calibrated"}
    assert list(sobol.outputs) == MAIN_OUTPUTS
    assert sobol.evaluations() == 12_288
    assert sobol.scenario is not None and sobol.scenario.months == 120

    ishigami = load_experiment(EXPERIMENTS / "ishigami.toml")
    assert ishigami.function == "sim.analysis.testfunctions:ishigami"
