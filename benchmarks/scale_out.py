"""Speed-up on a Dask cluster: the same run on 1, 2 and 4 worker processes.

Usage::

    python benchmarks/scale_out.py [--replications 200] [--years 10] [--workers 1 2 4]
                                   [--repeat 2] [--out benchmarks/results/scale_out.txt]

For each worker count, starts a cluster as a user would (``dask scheduler`` and ``dask worker
--nworkers N --nthreads 1`` on 127.0.0.1), waits until its workers are up, then times
``boligsim run scenarios/baseline.toml --scheduler tcp://...`` (no ``--workers``: the tasks are
sized by the cluster's workers, asked of its scheduler) and stops the cluster. The serial run
(no scheduler) is the reference. Every run's ``timeseries.csv`` must be byte-identical to the
serial one. Wall times depend on the machine's other load, which is recorded beside them.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(out: Path, replications: int, years: int, scheduler: str | None) -> float:
    """Wall seconds of one ``boligsim run``."""
    cmd = [sys.executable, "-m", "sim", "run", str(ROOT / "scenarios" / "baseline.toml"),
           "--replications", str(replications), "--years", str(years), "--quiet", "--force",
           "--out", str(out)]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    return time.perf_counter() - start


def _cluster(workers: int, where: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and ``workers`` single-threaded worker processes, ready."""
    from distributed import Client

    port = _port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"cwd": where, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], **quiet)]
    procs.append(subprocess.Popen([str(DASK), "worker", address, "--nworkers", str(workers),
                                   "--nthreads", "1", "--no-dashboard"], **quiet))
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results"
                        / "scale_out.txt")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip()
    lines = [f"scale-out on {commit}: boligsim run scenarios/baseline.toml --replications "
             f"{args.replications} --years {args.years}; {os.cpu_count()} cores; best of "
             f"{args.repeat}", "",
             f"{'executor':<26}{'wall s':>9}{'speed-up':>10}{'load':>7}  same bytes"]
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        best = min(_run(where / "serial", args.replications, args.years, None)
                   for _ in range(args.repeat))
        reference = (where / "serial" / "timeseries.csv").read_bytes()
        lines.append(f"{'serial (no scheduler)':<26}{best:>9.1f}{1.0:>10.2f}"
                     f"{os.getloadavg()[0]:>7.1f}  reference")
        for n in args.workers:
            address, procs = _cluster(n, where)
            try:
                wall = min(_run(where / f"dask{n}", args.replications, args.years, address)
                           for _ in range(args.repeat))
            finally:
                for p in procs:
                    p.terminate()
                for p in procs:
                    p.wait(timeout=30)
            same = (where / f"dask{n}" / "timeseries.csv").read_bytes() == reference
            lines.append(f"{f'dask, {n} worker process' + ('es' if n > 1 else ''):<26}"
                         f"{wall:>9.1f}{best / wall:>10.2f}{os.getloadavg()[0]:>7.1f}  "
                         f"{'yes' if same else 'NO'}")
            print(lines[-1], flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
