"""Evaluating a Python function (sim/analysis/sensitivity/evaluation.py): a function that fails
or returns no value for an output stops the experiment with one line naming the point."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli
from sensitivity_helpers import GOOD_FUNCTION


def test_a_function_without_the_output_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp = tmp_path / "missing.toml"
    exp.write_text(GOOD_FUNCTION.replace('["y"]', '["y", "w"]'), encoding="utf-8")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and "no output w" in err and len(err.strip().splitlines()) == 1


def test_an_exception_in_the_function_is_one_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    exp = tmp_path / "raises.toml"
    exp.write_text(GOOD_FUNCTION.replace('name = "x3"', 'name = "x4"'), encoding="utf-8")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "sim.analysis.testfunctions:ishigami: raised KeyError: 'x3' at {" in err
