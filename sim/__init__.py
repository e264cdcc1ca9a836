"""boligsim: an agent-based simulation of disadvantaged families' housing careers in Norwegian
municipalities.

The public Python API (docs/python.md), imported lazily so that the command line starts fast:

- :func:`evaluate` — a scenario, parameter values and outputs in, their means out: the one
  call for notebooks, EMA Workbench, SALib and optimisers.
- :class:`HousingModel` — the Mesa model: ``HousingModel("scenarios/verdal.toml", years=2,
  seed=3, **{"policy.followup.workers": 4})``, stepped by hand, by ``run_model()`` or by
  ``mesa.batch_run``; its ``datacollector`` records every indicator each month.
- :func:`load_scenario`, :class:`Scenario` — scenario files, checked and resolved.
- :func:`run_scenario`, :func:`run_ensemble`, :class:`RunResult` — replications as
  ``boligsim run`` makes them; :func:`build_model` — replication ``k`` to step by hand.
- :class:`Comparison` — scenarios against a reference, as ``boligsim compare``.
- :data:`REGISTRY` — every parameter, its unit, range, kind and source; :data:`INDICATORS`
  — the indicators' names, in the order of every history's columns.
- :class:`InputError` — what every bad input raises; :class:`PhaseOverrideWarning` — a
  value given that a later phase of the scenario changes.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "evaluate": ("sim.run.evaluate", "evaluate"),
    "HousingModel": ("sim.engine.model", "HousingModel"),
    "load_scenario": ("sim.inputs.scenario", "load_scenario"),
    "Scenario": ("sim.inputs.scenario", "Scenario"),
    "PhaseOverrideWarning": ("sim.inputs.scenario", "PhaseOverrideWarning"),
    "run_scenario": ("sim.run.runner", "run_scenario"),
    "run_ensemble": ("sim.run.runner", "run_ensemble"),
    "build_model": ("sim.run.runner", "build_model"),
    "RunResult": ("sim.run.results", "RunResult"),
    "Comparison": ("sim.run.compare", "Comparison"),
    "REGISTRY": ("sim.inputs.parameters", "REGISTRY"),
    "INDICATORS": ("sim.inputs.indicators", "NAMES"),
    "InputError": ("sim.inputs.errors", "InputError"),
}
__all__ = ["__version__", *_LAZY]


def __dir__() -> list[str]:
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
