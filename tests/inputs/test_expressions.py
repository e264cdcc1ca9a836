"""Indicator expressions: what each summary computes, and clear errors for bad ones."""

import numpy as np
import pytest

from sim.inputs.errors import InputError
from sim.inputs.expressions import parse
from sim.inputs.indicators import INDEX, NAMES


def history() -> np.ndarray:
    """Two replications of 24 months from 2012-01: families = month index, evictions = 1."""
    h = np.zeros((2, 24, len(NAMES)))
    h[..., INDEX["families"]] = np.arange(24)
    h[..., INDEX["evictions"]] = 1.0
    h[..., INDEX["startloans_granted"]] = 2.0
    h[..., INDEX["startloans_granted_children"]] = 1.0
    return h


@pytest.mark.parametrize(("text", "expected"), [
    ("families@final", 23), ("families@mean", 11.5), ("families@max", 23), ("families@min", 0),
    ("evictions@total", 24), ("families@2012-06", 5), ("families@2013", 17.5),
    ("evictions@2013", 12), ("startloans_granted_children@share:startloans_granted", 0.5)])
def test_summaries(text: str, expected: float) -> None:
    """Each summary gives the hand-computed value for every replication."""
    assert np.allclose(parse(text).value(history(), "2012-01"), expected)


@pytest.mark.parametrize(("text", "fragment"), [
    ("childern_municipal@final", "did you mean 'children_municipal'"),
    ("families@last", "unknown summary"), ("families", "NAME@SUMMARY"),
    ("families@2012-13", "unknown summary"), ("evictions@share:nothing", "unknown indicator")])
def test_bad_expressions(text: str, fragment: str) -> None:
    """A mistyped expression names the file, the expression and what is allowed."""
    with pytest.raises(InputError) as err:
        parse(text, where="x.toml")
    assert fragment in str(err.value) and "x.toml" in str(err.value)


def test_dates_outside_the_run_are_refused() -> None:
    """A target dated after the run ends cannot be matched."""
    with pytest.raises(InputError, match="outside the run"):
        parse("families@2030-01").check_in_run("2012-01", 24, where="t.toml")
    parse("families@2013-12").check_in_run("2012-01", 24)
