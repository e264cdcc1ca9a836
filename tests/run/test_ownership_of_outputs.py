"""One writer per output folder, and parts tied to the experiment and task that made them
(issue 20): a second run on a folder another run is writing is refused, and ``--resume`` never
reads a part another experiment, another task, or a crash left behind."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import cli

from sim.inputs.errors import InputError
from sim.run.ensemble import PartStore

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def test_a_folder_another_run_is_writing_is_refused(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "run", str(BASELINE), "--years", "1",
                             "--replications", "400", "--quiet", "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list((out / "runs").glob("r*.parquet")) and time.monotonic() < deadline:
            time.sleep(0.05)
        for extra in (["--force"], ["--resume"]):
            code, _, err = cli(capsys, "run", BASELINE, "--years", 1, "--replications", 2,
                               "--quiet", *extra, "--out", out)
            assert code == 2 and f"another boligsim run (process {proc.pid})" in err, err
            assert err.count("\n") == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    # the writer is gone: the folder may be used (and each command lets go of its lock)
    for _ in range(2):
        code, _, err = cli(capsys, "run", BASELINE, "--years", 1, "--replications", 2,
                           "--quiet", "--force", "--out", out)
        assert code == 0, err


def test_a_part_is_read_back_only_by_the_experiment_and_task_that_made_it(tmp_path: Path
                                                                         ) -> None:
    store = PartStore(tmp_path / "a", {"seed": 1})
    store.put("r000000", np.arange(4.0))
    store.put("r000001", np.arange(5.0))
    again = PartStore(tmp_path / "a", {"seed": 1}, resume=True)
    np.testing.assert_array_equal(again.get("r000000"), np.arange(4.0))
    # a part of another task under this key (a file copied or renamed)
    shutil.copy(store.path("r000001"), store.path("r000000"))
    with pytest.raises(InputError, match="another experiment or task"):
        again.get("r000000")
    # a part another experiment made, in a folder whose manifest says this one
    other = PartStore(tmp_path / "b", {"seed": 2})
    other.put("r000000", np.arange(4.0))
    shutil.copy(other.path("r000000"), store.path("r000000"))
    with pytest.raises(InputError, match="another experiment or task"):
        again.get("r000000")
    # a damaged part, and a damaged manifest
    store.path("r000000").write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="cannot be read"):
        again.get("r000000")
    (tmp_path / "a" / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="manifest.json cannot be read"):
        PartStore(tmp_path / "a", {"seed": 1}, resume=True)
