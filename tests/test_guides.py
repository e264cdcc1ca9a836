"""Every command in the guides runs, so the guides never drift from the code.

The commands are taken from the ``bash`` blocks of ``docs/guides/*.md`` and run as written, in
the environment a reader has activated (``boligsim`` and ``python`` on PATH), in a copy of the
bundled inputs, made small first: two replications, one year, small experiment and calibration
budgets (the files are rewritten with smaller sizes, nothing else). The dashboard is started,
answered on its port, and stopped.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w
from helpers import free_port

ROOT = Path(__file__).resolve().parent.parent
GUIDES = sorted((ROOT / "docs" / "guides").glob("*.md"))
INPUTS = ("scenarios", "experiments", "calibration")


def commands(guide: Path) -> list[str]:
    """The shell commands of a guide's ``bash`` blocks, continuation lines joined."""
    out = []
    for block in re.findall(r"```bash\n(.*?)```", guide.read_text(encoding="utf-8"), re.S):
        text = block.replace("\\\n", " ")
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#") and not line.startswith("python3 -m venv"):
                out.append(line)
    return out


CASES = [(g.stem, c) for g in GUIDES for c in commands(g)]


def small_experiment(path: Path, tmp: Path) -> Path:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    exp = data["experiment"]
    exp["N"] = {"sobol": 8, "fast": 70, "morris": 4}.get(exp.get("method"), 8)
    exp["replications"] = 1
    if "scenario" in data.get("model", {}):
        data["model"]["years"] = 1
        data["model"]["scenario"] = str((path.parent / data["model"]["scenario"]).resolve())
    out = tmp / f"small_{path.name}"
    out.write_text(tomli_w.dumps(data), encoding="utf-8")
    return out


def small_calibration(path: Path, tmp: Path) -> Path:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cal = data["calibration"]
    cal["replications"] = 1
    cal["targets"] = str((path.parent / cal["targets"]).resolve())
    data.setdefault("optimiser", {}).update(popsize=2, maxiter=1)
    if data["optimiser"].get("start_at"):
        data["optimiser"]["start_at"] = str((path.parent / data["optimiser"]["start_at"])
                                            .resolve())
    data.setdefault("uncertainty", {}).update(draws=6, min_accepted=2)
    data.setdefault("report", {})["replications"] = 1
    out = tmp / f"small_{path.name}"
    out.write_text(tomli_w.dumps(data), encoding="utf-8")
    return out


def small_optimisation(path: Path, tmp: Path) -> Path:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["optimise"].update(evaluations=4, population=4, worlds=2, replications=1)
    data["optimise"]["compare"] = [str((path.parent / p).resolve())
                                   for p in data["optimise"].get("compare", [])[:1]]
    data["model"]["years"] = 1
    data["model"]["scenario"] = str((path.parent / data["model"]["scenario"]).resolve())
    out = tmp / f"small_{path.name}"
    out.write_text(tomli_w.dumps(data), encoding="utf-8")
    return out


#: A command of ours in a guide: ``boligsim X`` or ``python -m sim X``.
SIM = r"(?:boligsim|python -m sim)"


def reader_env() -> dict[str, str]:
    """The environment of a reader who has activated the project's environment, as the README
    says (``source .venv/bin/activate``): its ``bin`` first on PATH, so that ``boligsim`` and
    ``python`` are the environment's. The commands are run as written, not rewritten."""
    import os

    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "VIRTUAL_ENV": str(Path(bin_dir).parent)}


def adapt(cmd: str, tmp: Path) -> str:
    """The command with small sizes (nothing else changed)."""
    cmd = re.sub(r"--replications \d+", "--replications 2", cmd)
    cmd = re.sub(r"--years \d+", "--years 1", cmd)
    cmd = re.sub(r"--worlds \d+", "--worlds 2", cmd)
    if re.search(SIM + r" (run|compare|report) ", cmd) and "--years" not in cmd:
        cmd += " --years 1"
    if re.search(SIM + " report ", cmd) and "--worlds" not in cmd:  # a report runs 100 by default
        cmd += " --worlds 2"
    if re.search(SIM + " sensitivity ", cmd):
        cmd = re.sub(r"(experiments/\S+\.toml)",
                     lambda m: str(small_experiment(tmp / m.group(1), tmp)), cmd)
    if re.search(SIM + " optimise ", cmd):
        cmd = re.sub(r"(experiments/\S+\.toml)",
                     lambda m: str(small_optimisation(tmp / m.group(1), tmp)), cmd)
    if re.search(SIM + " calibrate ", cmd):
        cmd = re.sub(r"(calibration/\S+\.toml)",
                     lambda m: str(small_calibration(tmp / m.group(1), tmp)), cmd)
    return cmd


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("guides")
    for name in INPUTS:
        shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns("*.parquet"))
    return tmp


@pytest.mark.parametrize(("guide", "command"), CASES,
                         ids=[f"{g}:{i}" for i, (g, _) in enumerate(CASES)])
def test_guide_command_runs(guide: str, command: str, workdir: Path) -> None:
    """The command, made small, exits 0 (the dashboard: starts and answers on its port)."""
    cmd = adapt(command, workdir)
    if re.search(SIM + " dashboard", cmd):
        port = free_port()
        cmd = re.sub(r"--port \d+", "", cmd.split("#")[0]) + f" --port {port}"
        proc = subprocess.Popen(cmd, shell=True, cwd=workdir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True,
                                env=reader_env())
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        return
                if proc.poll() is not None:
                    pytest.fail(f"dashboard exited: {proc.stderr.read().decode()[-500:]}")
                time.sleep(0.5)
            pytest.fail("dashboard did not answer within 60 s")
        finally:
            import os
            import signal

            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
    done = subprocess.run(cmd, shell=True, cwd=workdir, capture_output=True, text=True,
                          timeout=600, env=reader_env())
    assert done.returncode == 0, f"{command}\n-> {cmd}\n{done.stderr[-2000:]}"


def test_every_guide_has_commands() -> None:
    """Each of the three guides exists and has runnable commands."""
    assert {g.stem for g in GUIDES} >= {"analyst", "researcher", "presenter"}
    for g in GUIDES:
        assert commands(g), g.name
