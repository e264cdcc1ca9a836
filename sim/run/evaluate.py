"""Evaluate a scenario at parameter points: the task behind sensitivity analysis and
calibration.

:func:`evaluate_point` runs replications ``0..R-1`` of a scenario with some parameters
overridden and returns the value of each output expression per replication. Replication ``k``
uses ``SeedSequence([seed, k])`` at every point, so two points differ by their parameters, not
by luck (common random numbers). It is a module-level function of picklable arguments, so the
ensemble runner (:mod:`sim.run.ensemble`) can send it to processes or Dask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.inputs.expressions import Expression
from sim.inputs.scenario import Scenario
from sim.run.runner import run_replications


def _at_point(scenario: Scenario, params: Mapping[str, Any]) -> Scenario:
    """``scenario`` with ``params`` set (checked against the registry; integer and boolean
    parameters are rounded from the floats a sampler gives)."""
    from sim.inputs.parameters import REGISTRY

    values = {}
    for path, v in params.items():
        t = REGISTRY[path].type
        values[path] = (bool(round(float(v))) if t is bool else int(round(float(v))) if t is int
                        else float(v) if t is float else v)
    return scenario.with_overrides(values, where="experiment")


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
    return evaluate_points(scenario, [params], outputs, seed, replications)[0]


def evaluate_points(scenario: Scenario, points: Sequence[Mapping[str, Any]],
                    outputs: Sequence[Expression], seed: int, replications: int) -> np.ndarray:
    """:func:`evaluate_point` for several points (one task, less scheduling overhead).

    The runs are simulated as batches of towns (:func:`sim.run.runner.run_replications`): a chunk of
    small runs takes a fraction of the time of running them one by one.

    Returns an array ``(len(points), replications, len(outputs))``.
    """
    scenarios = [_at_point(scenario, p) for p in points]
    runs = [(sc, seed, k) for sc in scenarios for k in range(replications)]
    histories = run_replications(runs)
    out = np.empty((len(points), replications, len(outputs)))
    for j, ((sc, _, k), history) in enumerate(zip(runs, histories, strict=True)):
        out[j // replications, k] = [float(e.value(history, sc.start)) for e in outputs]
    return out
