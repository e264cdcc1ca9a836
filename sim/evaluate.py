"""Evaluate a scenario at parameter points: the task behind sensitivity analysis and
calibration.

:func:`evaluate_point` runs replications ``0..R-1`` of a scenario with some parameters
overridden and returns the value of each output expression per replication. Replication ``k``
uses ``SeedSequence([seed, k])`` at every point, so two points differ by their parameters, not
by luck (common random numbers). It is a module-level function of picklable arguments, so the
ensemble runner (:mod:`sim.ensemble`) can send it to processes or Dask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.expressions import Expression
from sim.runner import run_replication
from sim.scenario import Scenario


def evaluate_point(scenario: Scenario, params: Mapping[str, Any], outputs: Sequence[Expression],
                   seed: int, replications: int) -> np.ndarray:
    """Values of ``outputs`` for ``replications`` runs of ``scenario`` with ``params`` set.

    Args:
        scenario: the base scenario.
        params: ``{registry path: value}`` overriding the start values (checked against the
            registry; integer parameters are rounded from floats a sampler gives).
        outputs: parsed indicator expressions.
        seed: the experiment's seed.
        replications: runs per point.

    Returns:
        Array ``(replications, len(outputs))``.
    """
    from sim.parameters import REGISTRY

    values = {}
    for path, v in params.items():
        t = REGISTRY[path].type
        values[path] = (bool(round(float(v))) if t is bool else int(round(float(v))) if t is int
                        else float(v) if t is float else v)
    sc = scenario.with_overrides(values, where="experiment")
    out = np.empty((replications, len(outputs)))
    for k in range(replications):
        history = run_replication(sc, seed, k)
        out[k] = [float(e.value(history, sc.start)) for e in outputs]
    return out


def evaluate_points(scenario: Scenario, points: Sequence[Mapping[str, Any]],
                    outputs: Sequence[Expression], seed: int, replications: int) -> np.ndarray:
    """:func:`evaluate_point` for several points (one task, less scheduling overhead).

    Returns an array ``(len(points), replications, len(outputs))``.
    """
    return np.stack([evaluate_point(scenario, p, outputs, seed, replications) for p in points])
