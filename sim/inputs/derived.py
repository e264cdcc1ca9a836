"""Derived quantities, computed in one place: annual rates to monthly probabilities."""

from __future__ import annotations

import numpy as np


def monthly(annual_probability: float | np.ndarray) -> float | np.ndarray:
    """Monthly probability with the same chance of at least one event in a year.

    ``1 - (1 - a) ** (1/12)``; for example 0.12 a year is 0.0106 a month.
    """
    if isinstance(annual_probability, float | int):  # a scalar: skip numpy's call overhead
        a = min(max(float(annual_probability), 0.0), 1.0)
        return 1.0 - (1.0 - a) ** (1.0 / 12.0)
    a = np.clip(annual_probability, 0.0, 1.0)
    return 1.0 - (1.0 - a) ** (1.0 / 12.0)
