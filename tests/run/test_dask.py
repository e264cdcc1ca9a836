"""Dask as a researcher's cluster runs it: a scheduler and workers started apart from the run
(``dask scheduler``, ``dask worker``), reached with ``--scheduler tcp://HOST:PORT``. The run's
tasks are sized by the workers the scheduler has, not by ``--workers``; a model function that
the workers cannot import is one line and exit status 2."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import assert_one_line_error, free_port

ROOT = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).with_name("dask")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-threaded worker processes, started from an empty folder
    with no PYTHONPATH: they import what is installed, nothing of the caller's folder."""
    if not DASK.exists():
        pytest.skip("the dask command is not installed")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    where = tmp_path_factory.mktemp("cluster")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    quiet = {"cwd": where, "env": env, "stdout": subprocess.DEVNULL,
             "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], **quiet)]
    procs.append(subprocess.Popen([str(DASK), "worker", address, "--nworkers", "2",
                                   "--nthreads", "1", "--no-dashboard"], **quiet))
    try:
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=20)


def test_tasks_follow_the_cluster_not_the_workers_option(cluster: str) -> None:
    """The executor of a running scheduler reports its two workers' threads, so a run of
    forty replications given no ``--workers`` is cut into tasks for both, not one task."""
    from sim.inputs.scenario import load_scenario
    from sim.run.ensemble import open_executor, slots
    from sim.run.runner import replication_group

    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml", years=1)
    with open_executor(1, cluster) as (executor, name):
        assert name == f"dask:{cluster}" and slots(executor) == 2
    assert replication_group(scenario, 40, 2) <= 20 < replication_group(scenario, 40, 1)


def test_a_function_the_workers_cannot_import_is_one_line(cluster: str, tmp_path: Path
                                                          ) -> None:
    """A sensitivity experiment whose model function lives in the caller's folder only:
    the workers cannot import it, and the command ends with one line naming the module and
    what to do, exit status 2 (not a traceback and exit 1)."""
    (tmp_path / "mymodel.py").write_text(
        "def f(x):\n    return {'y': x['a'] + 2 * x['b']}\n", encoding="utf-8")
    (tmp_path / "exp.toml").write_text(
        '[experiment]\nname = "dask"\nmethod = "morris"\nN = 4\noutputs = ["y"]\n'
        '[model]\nfunction = "mymodel:f"\n'
        '[[parameters]]\nname = "a"\nrange = [0.0, 1.0]\n'
        '[[parameters]]\nname = "b"\nrange = [0.0, 1.0]\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "sim", "sensitivity", "exp.toml",
                           "--allow-module", "mymodel", "--scheduler", cluster, "--quiet",
                           "--out", "out"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert_one_line_error(done.stderr, "cannot import 'mymodel'", "where the workers run")
