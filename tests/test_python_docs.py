"""docs/python.md runs as written: its ``python`` blocks, in order, in one namespace, from a
copy of the bundled inputs (as a reader pasting them into Python in the project folder)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "python.md"


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_the_page_has_its_examples() -> None:
    text = "\n".join(blocks())
    for call in ("sim.evaluate(", "sim.run_scenario(", "sim.HousingModel(", "mesa.batch_run(",
                 "ema.model(", "perform_experiments(", "summary(of="):
        assert call in text, call


def test_every_python_block_runs_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("scenarios", "calibration"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for k, code in enumerate(blocks()):
        exec(compile(code, f"{PAGE.name}, block {k + 1}", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert "Cross-agency network" in out  # the warning the page shows was given
    assert "12 False" in out              # the Mesa model stopped after its twelve months
    assert os.getcwd() == str(tmp_path)
