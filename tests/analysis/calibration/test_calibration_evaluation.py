"""Tests of evaluating parameter points (sim/analysis/calibration/evaluation.py): stable keys,
and a loss that is smallest at the parameters that made the targets (identifiability)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from calibration_setups import TRUTH, synthetic_setup

import sim.analysis.calibration as cal
from sim.run.ensemble import SerialExecutor


def test_point_keys_depend_on_exact_values_not_on_order() -> None:
    a = cal.point_key({"x.y": 0.1, "x.z": 2.0})
    assert a == cal.point_key({"x.z": 2, "x.y": 0.1})
    assert a != cal.point_key({"x.y": 0.1 + 1e-15, "x.z": 2.0})


def test_loss_is_smallest_at_the_parameters_that_made_the_targets(tmp_path: Path) -> None:
    setup = synthetic_setup(tmp_path, seed=1, replications=3)  # the fit's own seeds
    evaluator = cal.Evaluator(setup.fit_plan(), setup.free, setup.seed, setup.replications,
                              SerialExecutor())
    truth = np.array([TRUTH[p] for p in setup.paths])
    span = np.array([f.high - f.low for f in setup.free])
    perturbed = [truth + sign * 0.1 * span * np.eye(len(truth))[j]
                 for j in range(len(truth)) for sign in (-1, 1)]
    perturbed.append(truth + 0.1 * span)
    losses = evaluator.losses(np.vstack([truth, *perturbed]))
    assert losses[0] == pytest.approx(0.0, abs=1e-12)
    assert np.all(losses[1:] > 0.5)
    # every point was simulated once and is remembered with its coordinates
    xs, seen = evaluator.all_points()
    assert evaluator.evaluated == len(perturbed) + 1 and np.array_equal(seen, losses)
    assert np.array_equal(xs[0], truth)
