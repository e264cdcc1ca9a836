"""The Python examples run as written: the first-steps notebook (a Jupytext script) and the
EMA Workbench study, each from a copy of the bundled inputs, small (``BOLIGSIM_QUICK=1``), and
each leaves the figures and tables it promises."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "docs/notebooks/first_steps.py": ["out/notebook/verdal.png", "out/notebook/comparison.png",
                                      "out/notebook/morris.png"],
    "docs/examples/ema_study.py": ["out/ema/experiments.csv", "out/ema/tradeoff.png"],
}


@pytest.mark.parametrize("script", list(EXAMPLES))
def test_example_runs_from_the_project_folder(script: str, tmp_path: Path) -> None:
    for folder in ("scenarios", "calibration"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    env = {**os.environ, "BOLIGSIM_QUICK": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(ROOT / script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    for made in EXAMPLES[script]:
        assert (tmp_path / made).stat().st_size > 0, made


def test_the_notebook_opens_as_a_notebook() -> None:
    """The script is in Jupytext's percent format: a header, and cells Jupyter shows as
    markdown and code."""
    text = (ROOT / "docs/notebooks/first_steps.py").read_text(encoding="utf-8")
    assert text.startswith("# ---\n# jupyter:\n#   jupytext:\n#     formats: py:percent")
    assert text.count("# %% [markdown]") >= 4 and text.count("# %%\n") >= 5
