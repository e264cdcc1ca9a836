"""An adversarial pass over the command line: bad inputs and faults, each tried as a user would.

Usage::

    python benchmarks/adversarial.py [--out benchmarks/results/adversarial.txt]

Every case runs ``python -m sim ...`` in a fresh temporary folder and is *clean* when the
command ends with the exit status the contract gives (2 for bad input, 143/129/130 after
SIGTERM/SIGHUP/SIGINT, 0 where the fault is survived), prints at most one line on stderr and
no traceback, and leaves what the case names (no orphan process, no stray file, a resumed run
equal to a fresh one). It complements ``tests/test_bad_inputs.py`` (73 bad inputs, in CI)
with the cases an adversarial review tried: code named in a data file, absurd sizes, special
files, signals, a full disk, a corrupt resume, two writers on one folder. The script prints a
table and the totals; it takes about two minutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "scenarios" / "baseline.toml").as_posix()
SIM = [sys.executable, "-m", "sim"]
sys.path.insert(0, str(ROOT))

from sim.run.files import LOCK_FILE  # noqa: E402


@dataclass
class Outcome:
    code: int | None
    err: str
    problem: str = ""  # what the case found wrong besides status and stderr
    info: str = ""


def run(argv: list[str], cwd: Path, timeout: float = 120, **kw) -> Outcome:
    try:
        done = subprocess.run([*SIM, *argv], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        return Outcome(None, "", problem=f"still running after {timeout:.0f} s")
    return Outcome(done.returncode, done.stderr)


def write(d: Path, name: str, text: str) -> str:
    (d / name).write_text(text, encoding="utf-8")
    return (d / name).as_posix()


def experiment(d: Path, function: str = "sim.analysis.testfunctions:ishigami", n: int = 8,
               method: str = "sobol") -> str:
    params = "".join(f'[[parameters]]\nname = "x{i}"\nrange = [-3.0, 3.0]\n' for i in (1, 2, 3))
    return write(d, "exp.toml", f'[experiment]\nname = "x"\nmethod = "{method}"\nN = {n}\n'
                 f'seed = 1\noutputs = ["y"]\n[model]\nfunction = "{function}"\n{params}')


def calibration(d: Path, popsize: int = 4, tolerance: str = "") -> str:
    """calibration/small.toml copied into ``d`` (its targets too), with the optimiser's
    population and, when given, the first target's tolerance replaced."""
    targets = (ROOT / "calibration" / "targets.toml").read_text(encoding="utf-8")
    targets = targets.replace('"../scenarios/', f'"{(ROOT / "scenarios").as_posix()}/')
    if tolerance:
        head, sep, rest = targets.partition("\ntolerance = ")
        targets = head + sep + tolerance + "\n" + rest.split("\n", 1)[1]
    write(d, "targets.toml", targets)
    text = (ROOT / "calibration" / "small.toml").read_text(encoding="utf-8")
    return write(d, "cal.toml", text.replace("popsize = 4", f"popsize = {popsize}"))


def model_experiment(d: Path, n: int, method: str) -> str:
    """Verdal's 34 policy levers (experiments/verdal_morris.toml) with ``N = n``."""
    text = (ROOT / "experiments" / "verdal_morris.toml").read_text(encoding="utf-8")
    text = text.replace('"../scenarios/', f'"{(ROOT / "scenarios").as_posix()}/')
    text = text.replace('method = "morris"', f'method = "{method}"')
    lines = [f"N = {n}" if line.startswith("N = ") else line for line in text.splitlines()
             if method == "morris" or not line.startswith("levels")]
    return write(d, "exp.toml", "\n".join(lines))


# --- bad inputs: exit 2 and one line --------------------------------------------------------

def _fifo(d: Path) -> list[str]:
    os.mkfifo(d / "pipe.toml")
    return ["check", (d / "pipe.toml").as_posix()]


def _nested(d: Path) -> str:
    return write(d, "deep.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n")


INTERRUPTED = ["run", BASE, "--years", "10", "--replications", "200", "--quiet", "--out", "o"]


def _interrupted(d: Path) -> Path:
    """A run stopped by SIGTERM after some replications; its parts folder."""
    proc = subprocess.Popen([*SIM, *INTERRUPTED], cwd=d, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    parts = d / "o" / "runs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(parts.glob("*.parquet")):
        time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    return parts


def _corrupt_part(d: Path) -> list[str]:
    sorted(_interrupted(d).glob("*.parquet"))[0].write_bytes(b"not a parquet file")
    return [*INTERRUPTED, "--resume"]


def _corrupt_manifest(d: Path) -> list[str]:
    parts = _interrupted(d)
    for manifest in parts.parent.glob("*.json"):
        manifest.write_text("{ broken", encoding="utf-8")
    for manifest in parts.glob("*.json"):
        manifest.write_text("{ broken", encoding="utf-8")
    return [*INTERRUPTED, "--resume"]


INPUTS: dict[str, Callable[[Path], list[str]]] = {
    "model function subprocess:run": lambda d: [
        "sensitivity", experiment(d, "subprocess:run"), "--out", "s"],
    "model function sys:exit": lambda d: ["sensitivity", experiment(d, "sys:exit"), "--out", "s"],
    "model function builtins:dict": lambda d: [
        "sensitivity", experiment(d, "builtins:dict"), "--out", "s"],
    "model function os:system": lambda d: ["sensitivity", experiment(d, "os:system"), "--out", "s"],
    "Sobol N = 2^22, 34 levers": lambda d: [
        "sensitivity", model_experiment(d, 2**22, "sobol"), "--out", "s"],
    "Morris N = 2^22, 34 levers": lambda d: [
        "sensitivity", model_experiment(d, 2**22, "morris"), "--out", "s"],
    "--replications 10^9": lambda d: ["run", BASE, "--replications", "1000000000", "--out", "o"],
    "calibration popsize 10^8": lambda d: [
        "calibrate", calibration(d, popsize=10**8), "--out", "k"],
    "target tolerance 1e-320": lambda d: [
        "calibrate", calibration(d, tolerance="1e-320"), "--out", "k"],
    "TOML nested 3,000 deep (run)": lambda d: ["run", _nested(d), "--out", "o"],
    "TOML nested 3,000 deep (dashboard)": lambda d: ["dashboard", _nested(d), "--port", "8791"],
    "5,000-digit integer in a file": lambda d: ["run", write(
        d, "big.toml", f'[scenario]\nname = "x"\nextends = "{BASE}"\n[municipality]\n'
        f"inhabitants = {'9' * 5000}\n"), "--out", "o"],
    "5,000-digit integer in --set": lambda d: [
        "run", BASE, "--set", "municipality.inhabitants=" + "9" * 5000, "--out", "o"],
    "check /dev/zero": lambda d: ["check", "/dev/zero"],
    "check a FIFO": _fifo,
    "check a directory": lambda d: ["check", d.as_posix()],
    "a binary file as scenario": lambda d: ["check", sys.executable],
    "not UTF-8": lambda d: ["check", (d / "latin.toml").as_posix()]
    if (d / "latin.toml").write_bytes(b'[scenario]\nname = "\xe6\xf8\xe5"\n') else [],
    "start 9999-06 then compare": lambda d: ["compare", write(
        d, "late.toml", f'[scenario]\nname = "late"\nextends = "{BASE}"\nstart = "9999-06"\n'),
        BASE, "--out", "c"],
    "bench --json into a folder": lambda d: ["bench", "--families", "50", "--years", "1",
                                             "--repeat", "1", "--json", d.as_posix()],
    "--out ''": lambda d: ["run", BASE, "--years", "1", "--out", ""],
    "--out is a file": lambda d: ["run", BASE, "--years", "1", "--out", write(d, "f.txt", "x")],
    "--workers 0": lambda d: ["run", BASE, "--workers", "0", "--out", "o"],
    "--years -1": lambda d: ["run", BASE, "--years", "-1", "--out", "o"],
    "--seed -5": lambda d: ["run", BASE, "--seed", "-5", "--out", "o"],
    "--force with --resume": lambda d: ["run", BASE, "--force", "--resume", "--out", "o"],
    "unknown option": lambda d: ["run", BASE, "--replicatoins", "3", "--out", "o"],
    "missing argument": lambda d: ["compare"],
    "unknown command": lambda d: ["simulate", BASE],
    "dashboard --port 70000": lambda d: ["dashboard", BASE, "--port", "70000"],
    "dashboard --allow-host *.x": lambda d: ["dashboard", BASE, "--allow-host", "*.x"],
    "corrupt part on --resume": _corrupt_part,
    "corrupt manifest on --resume": _corrupt_manifest,
}


# --- faults -------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """Every process whose parent chain leads to ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(stat[1])
            except (OSError, IndexError):
                continue
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, parent in parents.items() if parent == p]
        found += kids
        frontier += kids
    return found


def _signal_run(d: Path, sig: int) -> Outcome:
    """A run with two workers signalled once its first replication is kept (it has helpers
    then), and what is left of its processes afterwards."""
    proc = subprocess.Popen([*SIM, "run", BASE, "--years", "10", "--replications", "400",
                             "--workers", "2", "--out", "o", "--quiet"], cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any((d / "o" / "runs").glob("*.parquet")):
        time.sleep(0.2)
    helpers = _children(proc.pid)
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        return Outcome(None, "", problem="did not stop within 60 s")
    time.sleep(10 if sig == signal.SIGKILL else 2)  # helpers notice the lost parent
    left = [p for p in helpers if Path(f"/proc/{p}").exists()]
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
    problem = f"{len(left)} of {len(helpers)} helper processes left" if left else ""
    if sig == signal.SIGKILL:  # the main process cannot speak: only orphans count
        said = "; the resource tracker warned on stderr" if err.strip() else ""
        return Outcome(0, "", problem=problem, info=f"{len(helpers)} helpers ended{said}")
    return Outcome(proc.returncode, err, problem=problem, info=f"{len(helpers)} helpers ended")


def _resume_equals_fresh(d: Path) -> Outcome:
    args = ["run", BASE, "--years", "10", "--replications", "120", "--workers", "2", "--quiet"]
    proc = subprocess.Popen([*SIM, *args, "--out", "a"], cwd=d, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any((d / "a" / "runs").glob("*.parquet")):
        time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    kept = len(list((d / "a" / "runs").glob("*.parquet")))
    resumed = run([*args, "--out", "a", "--resume"], d, timeout=300)
    fresh = run([*args, "--out", "b"], d, timeout=300)
    same = ((d / "a" / "timeseries.csv").read_bytes() == (d / "b" / "timeseries.csv").read_bytes()
            if (d / "a" / "timeseries.csv").exists() else False)
    return Outcome(resumed.code if fresh.code == 0 else fresh.code, resumed.err,
                   problem="" if same else "resumed timeseries differs from a fresh run",
                   info=f"{kept} parts kept")


def _two_writers(d: Path) -> Outcome:
    # long enough to be still writing when the second starts (40 replications once were;
    # a faster engine finished them within the 5 s this waited): the second starts as soon
    # as the first holds its lock
    args = ["run", BASE, "--years", "10", "--replications", "1000", "--quiet", "--out", "o"]
    first = subprocess.Popen([*SIM, *args], cwd=d, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (d / "o" / LOCK_FILE).exists():
        time.sleep(0.1)
    if first.poll() is not None:
        return Outcome(None, "", problem="the first writer ended before the second started")
    second = run([*args, "--force"], d, timeout=60)
    first.terminate()
    first.communicate(timeout=60)
    return second


def _disk_full(d: Path) -> Outcome:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))
    return run(["run", BASE, "--years", "10", "--replications", "4", "--out", "o"], d,
               preexec_fn=limit)


def _worker_killed(d: Path) -> Outcome:
    proc = subprocess.Popen([*SIM, "run", BASE, "--years", "10", "--replications", "200",
                             "--workers", "2", "--out", "o", "--quiet"], cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any((d / "o" / "runs").glob("*.parquet")):
        time.sleep(0.2)
    kids = _children(proc.pid)
    if not kids:
        proc.kill()
        return Outcome(None, "", problem="no worker to kill")
    os.kill(max(kids), signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    return Outcome(proc.returncode, err)


FAULTS: dict[str, tuple[Callable[[Path], Outcome], set[int]]] = {
    "SIGTERM to a run with 2 workers": (lambda d: _signal_run(d, signal.SIGTERM), {143}),
    "SIGHUP to a run with 2 workers": (lambda d: _signal_run(d, signal.SIGHUP), {129}),
    "SIGINT to a run with 2 workers": (lambda d: _signal_run(d, signal.SIGINT), {130}),
    "SIGKILL to the main process (orphans?)": (lambda d: _signal_run(d, signal.SIGKILL), {0}),
    "a worker killed": (_worker_killed, {0, 1}),
    "resume after SIGTERM equals a fresh run": (_resume_equals_fresh, {0}),
    "a second writer on the same --out": (lambda d: _two_writers(d), {2}),
    "disk full while writing": (_disk_full, {2}),
}


def clean(out: Outcome, expected: set[int]) -> bool:
    lines = [line for line in out.err.splitlines() if line.strip()]
    return (out.code in expected and len(lines) <= 1 and "Traceback" not in out.err
            and not out.problem)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results"
                        / "adversarial.txt")
    args = parser.parse_args(argv)
    rows, tally = [], {"input": [0, 0], "fault": [0, 0]}
    cases = [("input", n, (lambda make: lambda d: run(make(d), d, timeout=60))(mk), {2})
             for n, mk in INPUTS.items()]
    cases += [("fault", n, f, codes) for n, (f, codes) in FAULTS.items()]
    for kind, name, attempt, expected in cases:
        d = Path(tempfile.mkdtemp(prefix="adv-"))
        try:
            out = attempt(d)
        finally:
            shutil.rmtree(d, ignore_errors=True)
        ok = clean(out, expected)
        tally[kind][0] += ok
        tally[kind][1] += 1
        first = (out.err.strip().splitlines() or [""])[-1][:110]
        rows.append(f"{'clean' if ok else 'FAIL '} {kind:5} {name:42} exit {out.code}  "
                    f"{out.problem or out.info}  {first}")
        print(rows[-1], flush=True)
    total = (f"bad inputs refused cleanly: {tally['input'][0]} of {tally['input'][1]}; "
             f"faults survived cleanly: {tally['fault'][0]} of {tally['fault'][1]}")
    print(total)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f"python benchmarks/adversarial.py on {commit}\n{total}\n\n"
                        + "\n".join(rows) + "\n", encoding="utf-8")
    return 0 if all(a == b for a, b in tally.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
