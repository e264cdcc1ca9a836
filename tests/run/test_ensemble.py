"""Acceptance tests for parallel and distributed ensembles (sim/run/ensemble.py, sim/run/runner.py).

What a user relies on, checked here end to end:

1. the numbers do not depend on how the replications were run — serially, in local processes
   or on a real Dask cluster (a ``LocalCluster`` on 127.0.0.1 with two worker processes);
2. an ensemble killed part-way (SIGKILL of the main process or of one worker) and resumed with
   ``--resume`` gives exactly the uninterrupted result and redoes no finished replication;
3. ``--resume`` never mixes results of different experiments, and ``--out`` never overwrites
   earlier results by accident;
4. differences between scenarios are paired by replication, so their intervals are narrower
   than unpaired (Welch) intervals would be, and a scenario compared with itself differs by
   exactly zero;
5. ``boligsim compare --format xlsx`` writes a workbook that matches ``comparison.csv``, and the
   figures;
6. ``RunResult.to_df()`` and ``plot_timeseries`` of a result work.

Runs are short (one to five years, a dozen replications); the Dask cluster is started once.
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from helpers import cli

from sim.inputs.indicators import INDEX, NAMES
from sim.inputs.scenario import Scenario, load_scenario
from sim.present.figures import KEY_INDICATORS, plot_timeseries
from sim.present.outputs import comparison_text
from sim.run.compare import Comparison, welch_halfwidth
from sim.run.ensemble import open_executor
from sim.run.results import RunResult
from sim.run.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
VERDAL = ROOT / "scenarios" / "verdal.toml"

#: The ensemble of the reproducibility tests: short, but with enough replications to spread
#: over two workers in several batches.
YEARS, REPS, SEED = 2, 12, 1
#: The ensemble that is killed part-way: replications run in groups per task
#: (sim.run.runner.replication_group; here five tasks of up to 39), so the kill lands while
#: later tasks are still running.
KILL_YEARS, KILL_REPS = 5, 192
#: Parts that must exist before the kill.
KILL_AFTER = 3
#: Seconds to wait for a subprocess before giving up.
TIMEOUT = 120


# ---------------------------------------------------------------------------------- helpers

def sim_command(*args: object) -> list[str]:
    """``python -m sim ARGS`` as a user would type it."""
    return [sys.executable, "-m", "sim", *map(str, args)]


def run_cli_subprocess(*args: object) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` to completion in the repository root."""
    return subprocess.run(sim_command(*args), cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT)


def parts(runs: Path) -> dict[str, tuple[int, int]]:
    """The completed Parquet parts in ``runs``: name -> (st_mtime_ns, st_ino)."""
    out = {}
    for p in sorted(runs.glob("*.parquet")):
        st = p.stat()
        out[p.name] = (st.st_mtime_ns, st.st_ino)
    return out


def temp_files(folder: Path) -> list[str]:
    """Files ending in ``.tmp`` anywhere below ``folder`` (hidden ones included)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp"))


def assert_parts_readable(runs: Path) -> None:
    """Every part is a complete Parquet file with one row per month."""
    import pyarrow.parquet as pq

    for p in sorted(runs.glob("*.parquet")):
        table = pq.read_table(p)
        assert table.num_rows == KILL_YEARS * 12, f"{p.name}: {table.num_rows} rows"
        assert tuple(table.column_names) == NAMES, p.name


def read_csv_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def is_png(path: Path, min_bytes: int = 10_000) -> bool:
    """A real PNG file, larger than an empty canvas would be."""
    data = path.read_bytes()
    return data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= min_bytes


# ---------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The bundled baseline (about 250 families), cut to ``YEARS`` years."""
    return load_scenario(BASELINE, years=YEARS)


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[tuple[object, str]]:
    """A real Dask LocalCluster: two worker processes with one thread each on 127.0.0.1."""
    pytest.importorskip("distributed")
    with open_executor(2, "local") as (executor, name):
        yield executor, name


@pytest.fixture(scope="module")
def serial_result(scenario: Scenario) -> RunResult:
    """The reference ensemble, run serially in this process."""
    return run_scenario(scenario, replications=REPS, seed=SEED)


@pytest.fixture(scope="module")
def serial_cli_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``boligsim run`` of the reference ensemble with no parallelism."""
    out = tmp_path_factory.mktemp("serial") / "out"
    proc = run_cli_subprocess("run", BASELINE, "--years", YEARS, "--replications", REPS,
                              "--seed", SEED, "--quiet", "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def uninterrupted_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ensemble of the kill tests, run to the end without interruption."""
    out = tmp_path_factory.mktemp("uninterrupted") / "out"
    proc = run_cli_subprocess("run", BASELINE, "--years", KILL_YEARS, "--replications",
                              KILL_REPS, "--workers", 2, "--quiet", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert len(parts(out / "runs")) == KILL_REPS
    return out


@pytest.fixture(scope="module")
def stronger_followup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The baseline with six follow-up workers instead of one (a stronger policy)."""
    path = tmp_path_factory.mktemp("scenarios") / "stronger_followup.toml"
    base = BASELINE.resolve().as_posix()
    path.write_text(
        "[scenario]\n"
        'name = "Stronger follow-up"\n'
        f'extends = "{base}"\n\n'
        "[policy.followup]\n"
        "workers = 6.0\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def followup_pair(scenario: Scenario, stronger_followup: Path,
                  dask_executor: tuple[object, str]) -> tuple[RunResult, RunResult]:
    """Baseline and stronger follow-up, same seed and replications (paired), run on Dask."""
    executor, _ = dask_executor
    strong = load_scenario(stronger_followup, years=YEARS)
    a = run_scenario(scenario, replications=REPS, seed=SEED, pool=executor)
    b = run_scenario(strong, replications=REPS, seed=SEED, pool=executor)
    return a, b


@pytest.fixture(scope="module")
def xlsx_comparison(tmp_path_factory: pytest.TempPathFactory, stronger_followup: Path) -> Path:
    """``boligsim compare baseline stronger --format xlsx`` with the ensemble of the pair."""
    out = tmp_path_factory.mktemp("compare") / "out"
    proc = run_cli_subprocess("compare", BASELINE, stronger_followup, "--years", YEARS,
                              "--replications", REPS, "--seed", SEED, "--workers", 2,
                              "--format", "xlsx", "--quiet", "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


# ---------------------------------------------------------------------------------- 1. executors
def test_serial_processes_and_dask_give_identical_arrays(
        scenario: Scenario, serial_result: RunResult,
        dask_executor: tuple[object, str]) -> None:
    """The same ensemble run serially, in two local processes and on a two-worker Dask
    LocalCluster gives exactly the same numbers, replication by replication."""
    from distributed import default_client

    executor, name = dask_executor
    assert name == "dask:local:2"
    workers = default_client().scheduler_info()["workers"]
    assert len(workers) == 2 and all(a.startswith("tcp://127.0.0.1:") for a in workers), workers

    processes = run_scenario(scenario, replications=REPS, seed=SEED, workers=2)
    dask = run_scenario(scenario, replications=REPS, seed=SEED, pool=executor)

    assert serial_result.executor == "serial"
    assert processes.executor == "processes:2"
    # Replications must really differ, or identical arrays would prove nothing.
    assert not np.array_equal(serial_result.data[0], serial_result.data[1])
    assert np.array_equal(serial_result.data, processes.data)
    assert np.array_equal(serial_result.data, dask.data)
    assert processes.dates == dask.dates == serial_result.dates


def test_cli_timeseries_is_byte_identical_whatever_the_executor(
        tmp_path: Path, serial_cli_run: Path, dask_executor: tuple[object, str]) -> None:
    """``boligsim run`` writes the same timeseries.csv, byte for byte, serially, with
    ``--workers 2``, with ``--scheduler local --workers 2`` and on a running Dask scheduler
    reached by ``--scheduler tcp://HOST:PORT``."""
    from distributed import default_client

    address = default_client().scheduler_info()["address"]
    reference = (serial_cli_run / "timeseries.csv").read_bytes()
    assert reference.count(b"\n") == 1 + REPS * YEARS * 12
    for label, extra in [("processes", ["--workers", 2]),
                         ("dask-local", ["--scheduler", "local", "--workers", 2]),
                         ("dask-tcp", ["--scheduler", address])]:
        out = tmp_path / label
        proc = run_cli_subprocess("run", BASELINE, "--years", YEARS, "--replications", REPS,
                                  "--seed", SEED, *extra, "--quiet", "--out", out)
        assert proc.returncode == 0, f"{label}: {proc.stderr}"
        assert (out / "timeseries.csv").read_bytes() == reference, label
        assert len(parts(out / "runs")) == REPS, label


# ---------------------------------------------------------------------------------- 2. resume
def _workers(pid: int) -> list[int]:
    """The worker processes of the run with main process ``pid``: its children (fork) or the
    fork server's (forkserver), without the fork server and the resource tracker."""
    import psutil

    found = []
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            cmd = " ".join(child.cmdline())
            server = "forkserver" in cmd and child.ppid() == pid
            if "resource_tracker" not in cmd and not server:
                found.append(child.pid)
    return found


def _interrupt(out: Path, kill_worker: bool) -> subprocess.Popen[str]:
    """Start the kill-test ensemble, wait for ``KILL_AFTER`` parts, then SIGKILL the main
    process (``kill_worker=False``) or one worker process.

    Skips the test if the ensemble finishes (or fails) before it can be interrupted.
    """
    proc = subprocess.Popen(
        sim_command("run", BASELINE, "--years", KILL_YEARS, "--replications", KILL_REPS,
                    "--workers", 2, "--quiet", "--out", out),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    runs = out / "runs"
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if runs.is_dir() and len(list(runs.glob("*.parquet"))) >= KILL_AFTER:
                break
            time.sleep(0.002)
        else:
            pytest.fail(f"no {KILL_AFTER} parts after {TIMEOUT} s")
        if proc.poll() is not None:
            _, err = proc.communicate()
            assert proc.returncode == 0, err
            pytest.skip("the run finished before it could be interrupted")
        if kill_worker:
            children = _workers(proc.pid)
            if not children:
                pytest.skip("no worker process found to kill")
            os.kill(children[0], signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=TIMEOUT)
        if proc.returncode == 0 or len(parts(runs)) >= KILL_REPS:
            pytest.skip(f"every replication had finished before the kill landed "
                        f"(status {proc.returncode})")
        return proc
    finally:
        # Orphaned workers of a killed main process: end the session this test started.
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


def _resume_and_check(out: Path, reference: Path) -> None:
    """Resume the interrupted ensemble in ``out``; it must finish, keep every finished part
    untouched, and write exactly the uninterrupted ``timeseries.csv``."""
    runs = out / "runs"
    before = parts(runs)
    assert KILL_AFTER <= len(before) < KILL_REPS, sorted(before)
    assert_parts_readable(runs)
    assert not (out / "timeseries.csv").exists(), "an interrupted run wrote its outputs"

    proc = run_cli_subprocess("run", BASELINE, "--years", KILL_YEARS, "--replications",
                              KILL_REPS, "--workers", 2, "--quiet", "--resume", "--out", out)
    assert proc.returncode == 0, proc.stderr

    after = parts(runs)
    assert len(after) == KILL_REPS, sorted(after)
    redone = [n for n, stamp in before.items() if after.get(n) != stamp]
    assert not redone, f"finished parts were written again on resume: {redone}"
    assert_parts_readable(runs)
    assert (out / "timeseries.csv").read_bytes() == (reference / "timeseries.csv").read_bytes()


def test_resume_after_sigkill_of_the_main_process(tmp_path: Path,
                                                  uninterrupted_run: Path) -> None:
    """SIGKILL of ``boligsim run`` part-way loses only the replications in flight:
    ``--resume`` keeps the finished parts untouched, runs the rest, and the result is
    byte-identical to an uninterrupted run."""
    out = tmp_path / "out"
    proc = _interrupt(out, kill_worker=False)
    assert proc.returncode == -signal.SIGKILL
    # A kill during a part's write can leave that write's hidden temporary file (see
    # test_resume_sweeps_temporary_files); it must never look like a part.
    for name in temp_files(out):
        assert Path(name).name.startswith(".") and not name.endswith(".parquet"), name
    _resume_and_check(out, uninterrupted_run)


def test_resume_after_sigkill_of_one_worker(tmp_path: Path, uninterrupted_run: Path) -> None:
    """If one worker process dies, ``boligsim run`` stops with a non-zero status, keeping
    what finished; ``--resume`` completes it byte-identically to an uninterrupted run."""
    pytest.importorskip("psutil")
    out = tmp_path / "out"
    proc = _interrupt(out, kill_worker=True)
    assert proc.returncode > 0, f"status {proc.returncode}"
    assert not temp_files(out)
    _resume_and_check(out, uninterrupted_run)
    assert not temp_files(out)


def _count_parts(folder: str, i: int) -> np.ndarray:
    """A task that sees how many parts were stored before it started; task 3 fails."""
    if i == 3:
        raise RuntimeError("task 3 fails")
    return np.array([len(list(Path(folder).glob("*.parquet")))], dtype=float)


def _count_parts_batch(args: list[tuple]) -> list[np.ndarray]:
    return [_count_parts(*a) for a in args]


@pytest.mark.parametrize("batched", [False, True])
def test_serial_execution_stores_each_part_before_the_next_task(tmp_path: Path,
                                                                batched: bool) -> None:
    """With one worker (the default), every finished task is on disk before the next one
    starts, so a kill or a failure part-way keeps all that finished."""
    from sim.run.ensemble import PartStore, SerialExecutor, Task, run_tasks

    runs = tmp_path / "runs"
    store = PartStore(runs, {"test": 1})
    batch = _count_parts_batch if batched else None
    tasks = [Task(f"t{i}", _count_parts, (str(runs), i), batch) for i in range(6)]
    with pytest.raises(RuntimeError, match="task 3 fails"):
        run_tasks(tasks, SerialExecutor(), store=store)
    assert sorted(p.name for p in runs.glob("*.parquet")) == ["t0.parquet", "t1.parquet",
                                                               "t2.parquet"]
    done = run_tasks(tasks[:3], SerialExecutor(), store=store)
    assert [float(d[0]) for d in done] == [0.0, 1.0, 2.0]


def test_resume_sweeps_temporary_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    """After ``--resume`` completes, no ``*.tmp`` file is left in the output folder, even
    one left by a process killed in the middle of writing a part."""
    out = tmp_path / "out"
    args = ["run", BASELINE, "--years", 1, "--replications", 3, "--quiet", "--out", out]
    assert cli(capsys, *args)[0] == 0
    runs = out / "runs"
    # What a SIGKILL between pq.write_table and os.replace leaves: the temporary file of
    # replication 2 and no part for it.
    shutil.copy(runs / "r000002.parquet", runs / ".r000002.parquet.99999.tmp")
    (runs / "r000002.parquet").unlink()
    assert cli(capsys, *args, "--resume")[0] == 0
    assert len(parts(runs)) == 3
    assert not temp_files(out)


def test_resume_with_more_replications_extends_the_ensemble(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], serial_cli_run: Path) -> None:
    """``--resume`` with more replications keeps the first ones and adds the rest; the result
    equals running all of them at once (replication k's seed does not depend on R)."""
    out = tmp_path / "out"
    base = ["run", BASELINE, "--years", YEARS, "--seed", SEED, "--quiet", "--out", out]
    assert cli(capsys, *base, "--replications", REPS // 2)[0] == 0
    before = parts(out / "runs")
    assert cli(capsys, *base, "--replications", REPS, "--resume")[0] == 0
    after = parts(out / "runs")
    assert all(after[n] == stamp for n, stamp in before.items())
    assert len(after) == REPS
    assert ((out / "timeseries.csv").read_bytes()
            == (serial_cli_run / "timeseries.csv").read_bytes())


# ---------------------------------------------------------------------------------- 3. refusals
@pytest.fixture
def small_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A finished one-year, two-replication run of the baseline with seed 1."""
    out = tmp_path / "out"
    code, _, err = cli(capsys, "run", BASELINE, "--years", 1, "--replications", 2, "--seed", 1,
                       "--quiet", "--out", out)
    assert code == 0, err
    return out


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize(("scenario_file", "extra", "differs"), [
    (BASELINE, ["--seed", "2"], "seed"),
    (VERDAL, [], "scenario_digest"),
    (BASELINE, ["--set", "policy.followup.workers=6"], "scenario_digest"),
    (BASELINE, ["--years", "2"], "months"),
], ids=["other-seed", "other-scenario", "other-parameter", "other-length"])
def test_resume_refuses_results_of_another_experiment(
        small_run: Path, capsys: pytest.CaptureFixture[str], scenario_file: Path,
        extra: list[str], differs: str) -> None:
    """``--resume`` onto a folder holding another experiment's replications exits with 2,
    names the folder and what differs, and leaves the folder as it was."""
    before = _snapshot(small_run)
    years = [] if "--years" in extra else ["--years", 1]
    code, _, err = cli(capsys, "run", scenario_file, *years, "--replications", 2, *extra,
                       "--quiet", "--resume", "--out", small_run)
    assert code == 2, err
    assert str(small_run / "runs") in err and differs in err, err
    assert "Traceback" not in err
    assert _snapshot(small_run) == before


def test_out_onto_earlier_results_refuses_without_force_or_resume(
        small_run: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``--out`` onto a folder with earlier results (of ``run`` or of ``compare``) exits
    with 2 naming the folder unless ``--force`` or ``--resume`` is given; nothing is lost."""
    before = _snapshot(small_run)
    code, _, err = cli(capsys, "run", BASELINE, "--years", 1, "--replications", 2, "--quiet",
                       "--out", small_run)
    assert code == 2 and str(small_run) in err, err
    assert _snapshot(small_run) == before

    earlier = tmp_path / "comparison"
    earlier.mkdir()
    (earlier / "comparison.csv").write_text("earlier\n", encoding="utf-8")
    code, _, err = cli(capsys, "compare", BASELINE, BASELINE, "--years", 1, "--replications",
                       2, "--quiet", "--out", earlier)
    assert code == 2 and str(earlier) in err, err
    assert (earlier / "comparison.csv").read_text(encoding="utf-8") == "earlier\n"


def test_force_and_resume_together_refuse(small_run: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``--force`` (start afresh) and ``--resume`` (continue) contradict each other: exit 2."""
    before = _snapshot(small_run)
    code, _, err = cli(capsys, "run", BASELINE, "--years", 1, "--replications", 2, "--quiet",
                       "--force", "--resume", "--out", small_run)
    assert code == 2 and "--force" in err and "--resume" in err, err
    assert _snapshot(small_run) == before


# ---------------------------------------------------------------------------------- 4. pairing
def test_scenario_compared_with_itself_differs_by_exactly_zero(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``boligsim compare A.toml A.toml``: every difference and both ends of its interval are
    0, although the scenario's own intervals are not."""
    out = tmp_path / "out"
    code, _, err = cli(capsys, "compare", BASELINE, BASELINE, "--years", 1, "--replications", 6,
                       "--quiet", "--out", out)
    assert code == 0, err
    header, *rows = read_csv_rows(out / "comparison.csv")
    col = {name: k for k, name in enumerate(header)}
    second = [r for r in rows if r[col["scenario"]] == "Baseline (2)"]
    assert len(second) == len(NAMES)
    nonzero = [(r[col["indicator"]], r[col["diff"]], r[col["diff_ci_low"]],
                r[col["diff_ci_high"]]) for r in second
               if any(float(r[col[c]]) != 0 for c in ("diff", "diff_ci_low", "diff_ci_high"))]
    assert not nonzero, nonzero
    # The zero width is the pairing, not a lack of spread.
    spread = [r for r in second if float(r[col["ci_high"]]) > float(r[col["ci_low"]])]
    assert len(spread) >= 5, "too few indicators vary between replications"


def test_paired_intervals_are_narrower_than_unpaired(
        followup_pair: tuple[RunResult, RunResult]) -> None:
    """Baseline against six follow-up workers: the paired 95 % interval of the difference is
    narrower than the unpaired (Welch) interval for the key indicators that vary."""
    from scipy import stats

    a, b = followup_pair
    va, vb = a.run_values(), b.run_values()
    followed = INDEX["followed_up"]
    assert vb[:, followed].mean() > va[:, followed].mean(), "the stronger policy did nothing"

    rows = {(r["indicator"], r["scenario"]): r for r in Comparison([a, b]).rows()}
    name_b = b.scenario.name
    paired = np.array([float(rows[n, name_b]["diff_ci_high"] - rows[n, name_b]["diff"])
                       for n in NAMES])
    # The product's paired interval is the t-interval of the per-replication differences.
    d = vb - va
    by_hand = stats.t.ppf(0.975, REPS - 1) * d.std(axis=0, ddof=1) / np.sqrt(REPS)
    np.testing.assert_allclose(paired, by_hand, rtol=1e-9, atol=1e-9)

    welch = welch_halfwidth(va, vb)
    keys = list(dict.fromkeys([*KEY_INDICATORS, "evictions", "families_in_work"]))
    table = {n: (float(paired[INDEX[n]]), float(welch[INDEX[n]])) for n in keys}
    report = ", ".join(f"{n}: paired {p:.4g} vs Welch {w:.4g}" for n, (p, w) in table.items())
    for must in ("evictions", "families_in_work"):
        p, w = table[must]
        assert 0 < p < w, f"{must}: paired {p:.4g}, Welch {w:.4g} ({report})"
    varying = {n: pw for n, pw in table.items() if pw[0] > 0}
    narrower = [n for n, (p, w) in varying.items() if p < w]
    assert len(narrower) >= 0.8 * len(varying), report


# ---------------------------------------------------------------------------------- 5. outputs
def test_compare_xlsx_matches_csv_and_figures_exist(
        xlsx_comparison: Path, followup_pair: tuple[RunResult, RunResult]) -> None:
    """``compare --format xlsx``: comparison.xlsx opens in openpyxl with a 'comparison' sheet
    holding comparison.csv's rows; timeseries.png and differences.png are real figures; and
    the CLI's comparison.csv equals the Python API's for the same ensemble."""
    from openpyxl import load_workbook

    from sim.run.files import format_number

    csv_rows = read_csv_rows(xlsx_comparison / "comparison.csv")
    wb = load_workbook(xlsx_comparison / "comparison.xlsx", read_only=True)
    assert "comparison" in wb.sheetnames
    sheet = [list(r) for r in wb["comparison"].iter_rows(values_only=True)]
    wb.close()
    assert len(sheet) == len(csv_rows) == 1 + 2 * len(NAMES)
    assert [str(c) for c in sheet[0]] == csv_rows[0]
    as_text = [[c if isinstance(c, str) else format_number(float(c)) for c in row]
               for row in sheet[1:]]
    assert as_text == csv_rows[1:]

    for png in ("timeseries.png", "differences.png"):
        assert is_png(xlsx_comparison / png), png

    api = comparison_text(Comparison(list(followup_pair)))
    assert (xlsx_comparison / "comparison.csv").read_text(encoding="utf-8") == api


# ---------------------------------------------------------------------------------- 6. Python API
def test_to_df_matches_timeseries_csv(serial_result: RunResult, serial_cli_run: Path) -> None:
    """``RunResult.to_df()`` has the layout and numbers of timeseries.csv; the long form has
    one row per replication, month and indicator."""
    import pandas as pd

    wide = serial_result.to_df()
    assert list(wide.columns) == ["replication", "month", "date", *NAMES]
    assert len(wide) == REPS * YEARS * 12
    from_csv = pd.read_csv(serial_cli_run / "timeseries.csv")
    assert list(from_csv.columns) == list(wide.columns)
    assert (wide["replication"].to_numpy() == from_csv["replication"].to_numpy()).all()
    assert (wide["date"].astype(str).to_numpy() == from_csv["date"].to_numpy()).all()
    np.testing.assert_allclose(wide[list(NAMES)].to_numpy(dtype=float),
                               from_csv[list(NAMES)].to_numpy(dtype=float), rtol=1e-9)

    long = serial_result.to_df(wide=False)
    assert list(long.columns) == ["replication", "month", "date", "indicator", "value"]
    assert len(long) == REPS * YEARS * 12 * len(NAMES)
    back = long.pivot_table(index=["replication", "month"], columns="indicator",
                            values="value")[list(NAMES)]
    np.testing.assert_array_equal(back.to_numpy(), wide[list(NAMES)].to_numpy())


@pytest.mark.parametrize("indicators", [
    ["homeless", "evictions", "families_in_work"],
    ["homeless", "evictions", "families_in_work", "municipal"],
    None,
], ids=["three", "four", "default"])
def test_plot_returns_a_figure_with_one_visible_panel_per_indicator(
        serial_result: RunResult, indicators: list[str] | None) -> None:
    """``plot_timeseries([result], indicators)`` returns a matplotlib Figure with exactly one
    visible panel per indicator asked for (the key indicators by default), titled with its
    label."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from sim.present.text import label

    fig = plot_timeseries([serial_result], list(indicators or KEY_INDICATORS))
    try:
        assert isinstance(fig, Figure)
        wanted = list(indicators or KEY_INDICATORS)
        visible = [ax for ax in fig.axes if ax.get_visible()]
        assert len(visible) == len(wanted)
        assert [ax.get_title() for ax in visible] == [label("en", n) for n in wanted]
        assert all(ax.lines for ax in visible)
    finally:
        plt.close(fig)
