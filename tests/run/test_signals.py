"""A run stopped by a signal leaves nothing behind (issue 20): SIGTERM (``timeout``, systemd,
Slurm) and SIGHUP stop it as Ctrl-C does, with exit status 128 + the signal and one line, and
after SIGTERM, SIGHUP or SIGKILL of the main process no worker, fork server or resource
tracker stays alive holding the output pipe."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def started(out: Path, years: int = 1, replications: int = 200
            ) -> tuple[subprocess.Popen, list[int]]:
    """A two-worker run into ``out``, once it has finished a replication (its workers are
    busy), and every process it started."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", str(ROOT / "scenarios" / "baseline.toml"),
         "--replications", str(replications), "--years", str(years), "--workers", "2",
         "--quiet", "--out",
         str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((out / "runs").glob("r*.parquet")) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.05)
    kids = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    assert kids, "no worker processes"
    return proc, kids


def alive(pids: list[int], within: float) -> list[int]:
    """Those of ``pids`` still running after waiting up to ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        left = [p for p in pids if psutil.pid_exists(p)
                and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize(("years", "replications"), [(1, 200), (10, 400)],
                         ids=["short tasks", "tasks queued"])
def test_sigterm_and_sighup_stop_the_run_and_its_workers(sig, years: int, replications: int,
                                                         tmp_path: Path) -> None:
    """With ten-year runs the tasks are large and the pool's queue full when the signal comes:
    the process used to stop its workers and then wait for ever at exit, its queue's feeder
    thread blocked writing tasks for the dead workers into a pipe."""
    proc, kids = started(tmp_path / "out", years, replications)
    proc.send_signal(sig)
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        for pid in [proc.pid, *kids]:
            if psutil.pid_exists(pid):
                psutil.Process(pid).kill()
        raise
    err = proc.stderr.read() if proc.stderr else ""
    assert code == 128 + sig, err
    assert err.strip().splitlines() == [
        f"boligsim: error: stopped by {sig.name}; what finished is kept (--resume goes on "
        "from it)"], err
    assert alive(kids, within=10) == []
    assert list((tmp_path / "out" / "runs").glob("r*.parquet"))  # what finished is kept


def test_a_killed_main_process_leaves_no_worker_behind(tmp_path: Path) -> None:
    """SIGKILL cannot be handled: the workers watch the main process and end with it, and the
    fork server and resource tracker with them (``sim.run.ensemble.stop_with_main``)."""
    proc, kids = started(tmp_path / "out")
    proc.kill()
    proc.wait(timeout=30)
    assert alive(kids, within=15) == []


def test_a_worker_that_dies_stops_the_run_in_one_line_and_resume_goes_on(tmp_path: Path
                                                                         ) -> None:
    """A worker killed (by the out-of-memory killer, say): one line, exit 1, what finished is
    kept, and --resume completes the run."""
    out = tmp_path / "out"
    proc, kids = started(out)
    # the fork server and resource tracker are the main process's children, the workers the
    # fork server's
    workers = [p for p in kids if psutil.Process(p).ppid() != proc.pid]
    assert workers, kids
    psutil.Process(workers[0]).kill()
    code = proc.wait(timeout=120)
    err = proc.stderr.read() if proc.stderr else ""
    assert code == 1, err
    assert err.strip().splitlines() == [
        "boligsim: error: a worker process died (killed, or out of memory?); the tasks that "
        "finished are kept, and --resume goes on from them"], err
    kept = len(list((out / "runs").glob("r*.parquet")))
    assert kept >= 1
    assert alive(kids, within=15) == []
    done = subprocess.run([sys.executable, "-m", "sim", "run", str(ROOT / "scenarios" /
                                                                 "baseline.toml"),
                           "--replications", "200", "--years", "1", "--workers", "2",
                           "--quiet", "--resume", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert len(list((out / "runs").glob("r*.parquet"))) == 200
