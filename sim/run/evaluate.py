"""Evaluate a scenario at parameter points: the one call behind notebooks, EMA Workbench,
SALib and optimisers, and the task behind sensitivity analysis and calibration.

:func:`evaluate` is the public call: a scenario, parameter values and output expressions in,
``{expression: mean over replications}`` out. :func:`evaluate_point` runs replications
``0..R-1`` of a scenario with some parameters overridden and returns the value of each output
expression per replication. Replication ``k`` uses ``SeedSequence([seed, k])`` at every
point, so two points differ by their parameters, not by luck (common random numbers). It is a
module-level function of picklable arguments, so the ensemble runner (:mod:`sim.run.ensemble`)
can send it to processes or Dask.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.inputs.expressions import Expression, parse
from sim.inputs.scenario import PhaseOverrideWarning, Scenario, as_scenario
from sim.run.runner import run_replications, run_scenario


def evaluate(scenario: str | os.PathLike[str] | Scenario,
             params: Mapping[str, Any] | None = None, *,
             outputs: Sequence[str], years: int | None = None, burn_in: int | None = None,
             replications: int = 10, seed: int = 1, workers: int = 1,
             scheduler: str | None = None, throughout: bool = False) -> dict[str, float]:
    """Run ``scenario`` with ``params`` set and return the mean of each output over the
    replications: the one call that EMA Workbench, SALib, optimisers and notebooks use.

    The replications run as ``boligsim run`` runs them (batches of towns on the ensemble
    runner; replication ``k`` seeded from ``seed`` and ``k``), so two calls with the same
    ``seed`` and different ``params`` differ by the parameters, not by luck (common random
    numbers), and a call without ``params`` gives the means of ``boligsim run``.

    Args:
        scenario: a scenario file or a :class:`~sim.inputs.scenario.Scenario`.
        params: ``{dotted registry path: value}`` (``{"policy.followup.workers": 4}``),
            applied to the start values and checked as ``--set`` values are. Numpy scalars
            are accepted, and an integer or boolean parameter is rounded from a float, as a
            sampler gives it. A :class:`~sim.inputs.scenario.PhaseOverrideWarning` says when
            a later phase of the scenario changes a value given here.
        outputs: indicator expressions ``NAME@SUMMARY`` (``"homeless@mean"``,
            ``"children_municipal@final"``, ``"municipal_net_cost_nok@total"``; the summaries are
            listed in :mod:`sim.inputs.expressions`, the indicators in docs/indicators.md).
        years: reported years, replacing the scenario's (as ``--years``).
        burn_in: years of burn-in, replacing the scenario's.
        replications: runs to average over, >= 1.
        seed: the seed, >= 0.
        workers: local processes; with ``scheduler``, as for ``boligsim run``.
        scheduler: ``None``, ``"local"`` or a Dask scheduler's ``tcp://HOST:PORT``.
        throughout: the values given hold for the whole run: no phase of the scenario
            changes them (what an exploratory study of a rate wants; then no warning).

    Returns:
        ``{expression: mean over the replications}`` in the order of ``outputs``, floats.

    Raises:
        InputError: for an unknown parameter or output, or a value out of range (its message
            names the key and the allowed values).

    Example::

        >>> import sim
        >>> sim.evaluate("scenarios/verdal.toml", {"policy.followup.workers": 4},
        ...              outputs=["homeless@mean", "children_municipal@final"],
        ...              years=2, replications=4)  # doctest: +SKIP
        {'homeless@mean': ..., 'children_municipal@final': ...}
    """
    base = as_scenario(scenario, years=years, burn_in=burn_in)
    exprs = [parse(text, where="outputs") for text in
             ([outputs] if isinstance(outputs, str) else outputs)]
    for e in exprs:
        e.check_in_run(base.start, base.months, where="outputs")
    given = dict(params or {})
    at = _at_point(base, given, where="evaluate", throughout=throughout)
    for note in at.phases_changing(given, where="evaluate"):
        warnings.warn(note, PhaseOverrideWarning, stacklevel=2)
    result = run_scenario(at, replications=replications, seed=seed, workers=workers,
                          scheduler=scheduler)
    return {e.text: float(np.mean(e.value(result.data, at.start))) for e in exprs}


def _at_point(scenario: Scenario, params: Mapping[str, Any], where: str = "experiment", *,
              throughout: bool = False) -> Scenario:
    """``scenario`` with ``params`` set (checked against the registry; integer and boolean
    parameters are rounded from the floats a sampler gives)."""
    from sim.inputs.parameters import REGISTRY

    values = {}
    for path, v in params.items():
        t = REGISTRY.lookup(path, where=where).type
        values[path] = (bool(round(float(v))) if t is bool else int(round(float(v))) if t is int
                        else float(v) if t is float else v)
    return scenario.with_overrides(values, where=where, throughout=throughout)


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
