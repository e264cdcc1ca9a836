"""The sample (sim/analysis/sensitivity/sampling.py) and its N/2 half for the convergence check.

Sobol' and Morris samples are halved by taking their first blocks; an eFAST sample cannot be
halved (its frequencies depend on N), so its half is drawn on its own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sensitivity_helpers import ishigami_file

from sim.analysis.sensitivity import load_experiment, sample
from sim.analysis.sensitivity.convergence import half_sample


@pytest.mark.parametrize(("method", "n"), [("sobol", 64), ("morris", 8), ("fast", 200)])
def test_the_sample_and_its_half(method: str, n: int, tmp_path: Path) -> None:
    exp = load_experiment(ishigami_file(tmp_path, method=method, n=n))
    drawn = sample(exp)
    assert len(drawn.x) == len(drawn.points) == exp.evaluations()
    assert drawn.points[0] == {f.name: f.value(v) for f, v in zip(exp.factors, drawn.x[0],
                                                                    strict=True)}
    y = np.arange(len(drawn.x), dtype=float)
    y_half = np.arange(len(drawn.half_x), dtype=float) if method == "fast" else None
    hx, hy = half_sample(exp, drawn, y, y_half)
    if method == "fast":
        assert len(drawn.half_points) == len(drawn.half_x) == n // 2 * len(exp.factors)
        assert hx is drawn.half_x and hy is y_half
    else:
        assert drawn.half_x is None and not drawn.half_points
        assert np.array_equal(hx, drawn.x[:len(drawn.x) // 2])
        assert np.array_equal(hy, y[:len(y) // 2])


def test_the_same_seed_draws_the_same_sample(tmp_path: Path) -> None:
    exp = load_experiment(ishigami_file(tmp_path, method="morris", n=8))
    assert np.array_equal(sample(exp).x, sample(exp).x)
