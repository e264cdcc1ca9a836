"""Tests of the uncertainty around the fit (sim/analysis/calibration/uncertainty.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim.analysis.calibration as cal
from sim.analysis.calibration.setup import FreeParam


def test_weighted_quantiles_follow_the_weights() -> None:
    values = np.arange(1.0, 101.0)
    assert cal.weighted_quantiles(values, np.ones(100), [0.5])[0] == pytest.approx(50.5)
    heavy = np.where(values > 50, 1.0, 0.0)
    assert cal.weighted_quantiles(values, heavy, [0.5])[0] > 70
    assert np.isnan(cal.weighted_quantiles(values, np.zeros(100), [0.5])).all()


def test_profile_intervals_span_the_points_within_the_threshold() -> None:
    free = [FreeParam(path="a.b", low=0.0, high=1.0, default=0.5, unit="share",
                      registry_bounds=(0.0, 1.0))]
    xs = np.array([[0.1], [0.4], [0.5], [0.9]])
    losses = np.array([5.0, 1.0, 0.0, math.nan])  # χ²_0.9(1) = 2.71 above the best
    assert cal.profile_intervals(xs, losses, free, 0.9) == {"a.b": [0.4, 0.5]}
    assert all(math.isnan(v) for v in
               cal.profile_intervals(xs, np.full(4, math.nan), free, 0.9)["a.b"])
