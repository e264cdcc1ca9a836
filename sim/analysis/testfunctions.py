"""Analytic and synthetic functions with known sensitivity, for checking the analysis pipeline.

A sensitivity experiment may analyse any Python callable ``f(params) -> {output: value}``
instead of the housing model (``function = "sim.analysis.testfunctions:ishigami"`` in the experiment
file; see :mod:`sim.analysis.sensitivity`). The functions here have answers known in advance, so the
pipeline — sampling, evaluation through the ensemble runner, analysis, noise and convergence
reports — can be tested end to end in seconds, the way SALib carries its test functions with
their known indices.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

#: Constants of the Ishigami function in the usual benchmark (Ishigami & Homma 1990).
ISHIGAMI_A = 7.0
ISHIGAMI_B = 0.1


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B
                     ) -> dict[str, tuple[float, float, float]]:
    """The exact first-order and total Sobol indices of the Ishigami function.

    With ``x1, x2, x3`` independent and uniform on ``[-pi, pi]``, the variance splits into
    ``V1 = (1 + b pi^4 / 5)^2 / 2``, ``V2 = a^2 / 8`` and ``V13 = b^2 pi^8 (1/18 - 1/50)``, with
    ``V = V1 + V2 + V13``. For ``a = 7, b = 0.1``: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442,
    0.244).

    Returns:
        ``{"S1": (s1, s2, s3), "ST": (t1, t2, t3)}``.
    """
    pi4 = math.pi**4
    v1 = 0.5 * (1.0 + b * pi4 / 5.0) ** 2
    v2 = a * a / 8.0
    v13 = b * b * pi4 * pi4 * (1.0 / 18.0 - 1.0 / 50.0)
    v = v1 + v2 + v13
    return {"S1": (v1 / v, v2 / v, 0.0), "ST": ((v1 + v13) / v, v2 / v, v13 / v)}


def ishigami(params: Mapping[str, float]) -> dict[str, float]:
    """The Ishigami function ``sin x1 + a sin^2 x2 + b x3^4 sin x1`` with ``a = 7, b = 0.1``.

    A standard benchmark for variance-based sensitivity analysis: strongly non-linear and
    non-monotonic, with ``x3`` acting only through its interaction with ``x1`` (so its first
    order index is zero while its total index is not).

    Args:
        params: ``{"x1": ..., "x2": ..., "x3": ...}``, each meant to be sampled on
            ``[-pi, pi]``.

    Returns:
        ``{"y": value}``.
    """
    x1, x2, x3 = float(params["x1"]), float(params["x2"]), float(params["x3"])
    s1 = math.sin(x1)
    return {"y": s1 + ISHIGAMI_A * math.sin(x2) ** 2 + ISHIGAMI_B * x3**4 * s1}


def _ishigami_known() -> dict[str, dict[str, float]]:
    """:func:`ishigami_indices` by parameter name, for the figure to mark beside the estimates."""
    return {measure: dict(zip(("x1", "x2", "x3"), values, strict=True))
            for measure, values in ishigami_indices().items()}


#: The exact indices a sensitivity figure marks beside the estimates
#: (:func:`sim.analysis.sensitivity.figures.known_indices`).
ishigami.known_indices = _ishigami_known  # type: ignore[attr-defined]


def noisy(params: Mapping[str, float], rng: np.random.Generator) -> dict[str, float]:
    """A stochastic toy model: one output driven by the inputs, one that is pure noise.

    It behaves like a simulation run with common random numbers: ``rng`` is the same stream
    for every parameter point of a replication, so the small noise in ``signal`` cancels
    between points, while ``noise`` — like a simulation whose random paths diverge as soon as
    the parameters differ — is a fresh draw for every point and replication, independent of the
    inputs. A noise report must flag ``noise`` and must not flag ``signal``.

    Args:
        params: ``{"x1": ..., "x2": ...}``, meant to be sampled on ``[0, 1]``.
        rng: the replication's random stream (the pipeline passes it because the function
            accepts an ``rng`` argument).

    Returns:
        ``{"signal": 3 x1 + x2 + 0.05 e, "noise": z}`` with ``e`` shared by all points of a
        replication and ``z`` standard normal, new at every point.
    """
    x1, x2 = float(params["x1"]), float(params["x2"])
    common = rng.normal()
    # A stream that depends on the point as well as the replication: the paths "diverge".
    words = np.frombuffer(np.array([x1, x2], dtype=np.float64).tobytes(), dtype=np.uint32)
    own = np.random.default_rng([int(rng.integers(2**32)), *map(int, words)])
    return {"signal": 3.0 * x1 + x2 + 0.05 * common, "noise": float(own.normal())}
