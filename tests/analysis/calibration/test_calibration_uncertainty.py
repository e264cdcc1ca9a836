"""Tests of the uncertainty around the fit (sim/analysis/calibration/uncertainty.py)."""

from __future__ import annotations

import numpy as np
import pytest

import sim.analysis.calibration as cal


def test_weighted_quantiles_follow_the_weights() -> None:
    values = np.arange(1.0, 101.0)
    assert cal.weighted_quantiles(values, np.ones(100), [0.5])[0] == pytest.approx(50.5)
    heavy = np.where(values > 50, 1.0, 0.0)
    assert cal.weighted_quantiles(values, heavy, [0.5])[0] > 70
