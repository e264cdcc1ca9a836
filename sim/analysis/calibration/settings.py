"""The settings of a calibration set-up's ``[optimiser]``, ``[uncertainty]`` and ``[report]``.

Each table is optional and every key has a default, so a set-up names only what it changes;
the budgets (population, generations, draws, replications) set the cost of a calibration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.inputs.checks import boolean, choice, number, settings
from sim.inputs.errors import InputError

OPTIMISER_DEFAULTS: dict[str, Any] = {
    "method": "differential_evolution", "popsize": 10, "maxiter": 15, "tol": 0.01,
    "mutation": [0.5, 1.0], "recombination": 0.7, "strategy": "best1bin",
    "start_at_defaults": True, "start_at": "", "reevaluate": 10,
}
UNCERTAINTY_DEFAULTS: dict[str, Any] = {
    "method": "abc", "draws": 300, "local_share": 0.7, "local_width": 0.2, "level": 0.9,
    "min_accepted": 20, "estimator": "regression", "accept_share": 0.5, "seeds": "redrawn",
}
#: ABC estimators: noisy ABC with regression adjustment, or plain rejection.
ESTIMATORS = ("regression", "rejection")
#: Random numbers of the ABC draws: each its own, or the search's common ones.
SEEDS = ("redrawn", "common")
REPORT_DEFAULTS: dict[str, Any] = {"replications": 10}


def optimiser_settings(data: Mapping[str, Any], file: str) -> dict[str, Any]:
    """The ``[optimiser]`` table of a set-up over :data:`OPTIMISER_DEFAULTS`, checked.

    ``popsize`` (individuals per free parameter), ``maxiter`` (generations), ``tol``,
    ``mutation``, ``recombination`` and ``strategy`` are
    :func:`scipy.optimize.differential_evolution`'s; ``start_at_defaults`` puts the registry
    defaults in the first population, and ``start_at`` (a scenario fragment such as an earlier
    fit's ``calibrated.toml``, relative to the set-up) its values instead, so a calibration
    after a small change of the model starts from the previous fit rather than wandering off;
    ``reevaluate`` is how many of the best points the selection evaluates again.
    """
    optimiser = settings(data, OPTIMISER_DEFAULTS, file, "optimiser")
    choice(optimiser["method"], ("differential_evolution",), file, "optimiser.method")
    # a generation is popsize x free parameters points, each run with the replications: beyond
    # these a calibration would run for years (the bundled one uses 10 and 15)
    number(optimiser["popsize"], file, "optimiser.popsize", integer=True, low=2, high=1000)
    number(optimiser["maxiter"], file, "optimiser.maxiter", integer=True, low=0, high=10_000)
    optimiser["tol"] = number(optimiser["tol"], file, "optimiser.tol")
    optimiser["mutation"] = _mutation(optimiser["mutation"], file, "optimiser.mutation")
    optimiser["recombination"] = number(optimiser["recombination"], file,
                                        "optimiser.recombination", low=0, high=1)
    boolean(optimiser["start_at_defaults"], file, "optimiser.start_at_defaults")
    if optimiser["start_at"]:
        import os

        start = os.path.normpath(os.path.join(os.path.dirname(file), str(optimiser["start_at"])))
        if not os.path.isfile(start):
            raise InputError(f"{start} not found (the path is relative to this file)",
                             file=file, key="optimiser.start_at")
        optimiser["start_at"] = str(optimiser["start_at"])  # as written: fit.json stays portable
    number(optimiser["reevaluate"], file, "optimiser.reevaluate", integer=True, low=0)
    return optimiser


def _mutation(value: object, file: str, key: str) -> float | list[float]:
    """A mutation constant, or ``[low, high]`` for dithering."""
    if not isinstance(value, list):
        return number(value, file, key)
    if len(value) != 2:
        raise InputError("expected a number or [low, high] in [0, 2]", file=file, key=key)
    return [number(m, file, key) for m in value]


def uncertainty_settings(data: Mapping[str, Any], file: str) -> dict[str, Any]:
    """The ``[uncertainty]`` table of a set-up over :data:`UNCERTAINTY_DEFAULTS`, checked.

    ``draws`` ABC draws, ``local_share`` of them in a box of ``local_width`` (a share of each
    parameter's range) around the fit; intervals at ``level``; at least ``min_accepted``
    draws kept; the ``estimator`` (:data:`ESTIMATORS`), the ``accept_share`` of draws the
    regression keeps, and the ``seeds`` of the draws (:data:`SEEDS`) — the defaults make
    intervals that include the simulation noise (see
    :func:`sim.analysis.calibration.uncertainty.abc`); ``rejection`` with ``common`` is the
    method before, kept to measure what the change did (``docs/validation.md`` §8).
    """
    uncertainty = settings(data, UNCERTAINTY_DEFAULTS, file, "uncertainty")
    choice(uncertainty["method"], ("abc",), file, "uncertainty.method")
    choice(uncertainty["estimator"], ESTIMATORS, file, "uncertainty.estimator")
    uncertainty["accept_share"] = number(uncertainty["accept_share"], file,
                                         "uncertainty.accept_share", low=0, high=1,
                                         low_open=True)
    choice(uncertainty["seeds"], SEEDS, file, "uncertainty.seeds")
    number(uncertainty["draws"], file, "uncertainty.draws", integer=True, low=0)
    number(uncertainty["min_accepted"], file, "uncertainty.min_accepted", integer=True, low=1)
    uncertainty["local_share"] = number(uncertainty["local_share"], file,
                                        "uncertainty.local_share", low=0, high=1)
    uncertainty["local_width"] = number(uncertainty["local_width"], file,
                                        "uncertainty.local_width", low=0, high=1,
                                        low_open=True)
    uncertainty["level"] = number(uncertainty["level"], file, "uncertainty.level", low=0,
                                  high=1, low_open=True)
    return uncertainty


def report_settings(data: Mapping[str, Any], file: str) -> dict[str, Any]:
    """The ``[report]`` table of a set-up over :data:`REPORT_DEFAULTS`, checked.

    ``replications`` is used to measure the simulation noise, to select the fit and to report
    it (more than the search's, so the reported numbers are not the search's lucky draws).
    """
    report = settings(data, REPORT_DEFAULTS, file, "report")
    number(report["replications"], file, "report.replications", integer=True, low=1)
    return report
