"""Running an experiment (sim/analysis/sensitivity/run.py, ``boligsim sensitivity``).

1. A Morris screening of the housing model runs end to end through the command line and writes
   ``indices.csv`` with the columns ``docs/sensitivity.md`` lists, plus noise, convergence,
   samples and a figure, and finds the lever whose effect is known (caseworkers cost money).
2. An experiment killed part-way resumes with ``--resume`` without redoing a finished chunk and
   gives byte-identical files; ``--resume`` refuses another experiment's parts.

The model runs one year of a small municipality.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import cli
from sensitivity_helpers import ROOT, VERDAL, read_csv, write

#: The columns of a Morris ``indices.csv``.
MORRIS_COLUMNS = ["method", "output", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]

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
    monkeypatch.setenv("BOLIGSIM_ALLOW_MODULES", "slowmod")  # the researcher's own module
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
