"""Sampled inputs (sim/analysis/sensitivity/factors.py): how SALib's sample becomes values."""

from __future__ import annotations

import numpy as np

from sim.analysis.sensitivity import Factor


def test_integer_factors_give_every_value_equal_weight() -> None:
    f = Factor("k", "int", 0, 2)
    lo, hi = f.bounds()
    xs = np.linspace(lo, hi, 30001)[:-1]
    counts = np.bincount([f.value(x) for x in xs])
    assert counts.tolist() == [10000, 10000, 10000]
    assert f.value(hi) == 2 and f.value(lo) == 0
    b = Factor("b", "bool", 0, 1)
    assert (b.value(0.49), b.value(0.5)) == (False, True)
    assert Factor("x", "float", 0.0, 1.0).value(1.0 + 1e-15) == 1.0
