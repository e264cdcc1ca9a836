"""A disk that cannot take the results (issue 20, point 6): the run stops with one line naming
the file and exit status 2, leaves no half-written file, keeps the replications it stored, and
``--resume`` finishes from them once there is room.

The disk is filled by a per-file size limit (``RLIMIT_FSIZE``; Python ignores ``SIGXFSZ``, so a
write past it fails with ``EFBIG`` as a full disk fails with ``ENOSPC``): each replication's part
(about 27 kB here) fits, ``timeseries.csv`` does not.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ["run", str(ROOT / "scenarios" / "baseline.toml"), "--years", "10", "--replications", "4",
       "--quiet"]
#: Bytes a file may have in the limited run: more than a part, less than the time series.
LIMIT = 60_000


def boligsim(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=300, preexec_fn=cap)


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")
def test_a_full_disk_is_one_line_and_resume_finishes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    full = boligsim(*RUN, "--out", str(out), limit=LIMIT)
    assert full.returncode == 2, full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in full.stderr, full.stderr
    assert "timeseries.csv" in lines[0] and "cannot write" in lines[0], lines[0]
    parts = sorted(p.name for p in (out / "runs").glob("*.parquet"))
    assert parts == [f"r{k:06d}.parquet" for k in range(4)]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert not (out / "timeseries.csv").exists()

    again = boligsim(*RUN, "--out", str(out), "--resume")
    assert again.returncode == 0, again.stderr
    fresh = boligsim(*RUN, "--out", str(tmp_path / "fresh"))
    assert fresh.returncode == 0, fresh.stderr
    assert ((out / "timeseries.csv").read_bytes()
            == (tmp_path / "fresh" / "timeseries.csv").read_bytes())
