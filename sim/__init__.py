"""boligsim: an agent-based simulation of disadvantaged families' housing careers in Norwegian
municipalities.

The model (:class:`sim.engine.model.HousingModel`) and runner are imported lazily so that the
command
line starts fast: ``from sim import HousingModel, load_scenario, run_scenario``.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "HousingModel": ("sim.engine.model", "HousingModel"),
    "load_scenario": ("sim.inputs.scenario", "load_scenario"),
    "run_scenario": ("sim.run.runner", "run_scenario"),
    "run_ensemble": ("sim.run.runner", "run_ensemble"),
    "Comparison": ("sim.run.compare", "Comparison"),
    "REGISTRY": ("sim.inputs.parameters", "REGISTRY"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
