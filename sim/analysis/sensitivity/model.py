"""What an experiment evaluates, its ``[model]`` table: the housing model from a base scenario
(with an optional run length and fixed values), or a Python function named
``package.module:function``.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sim.inputs.checks import flatten_tables, number, reject_unknown_keys, text
from sim.inputs.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.scenario import Scenario


#: Keys of the ``[model]`` table.
MODEL_KEYS = ("scenario", "years", "set", "function")
_FUNCTION_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_]\w*")


def load_model(model: Mapping[str, Any], file: str) -> tuple[Scenario | None, str | None]:
    """The base scenario or the function path of the ``[model]`` table."""
    reject_unknown_keys(model, MODEL_KEYS, file, "model")
    if ("scenario" in model) == ("function" in model):
        raise InputError("give either scenario = 'FILE.toml' (the housing model) or function "
                         "= 'package.module:function', not both or neither", file=file,
                         key="model")
    if "function" in model:
        for key in ("years", "set"):
            if key in model:
                raise InputError("only for a scenario model, not a function", file=file,
                                 key=f"model.{key}")
        return None, _check_function(model["function"], file)
    return _scenario(model, file), None


def _scenario(model: Mapping[str, Any], file: str) -> Scenario:
    """The base scenario: its file relative to the experiment's, ``years``, ``set`` applied."""
    from sim.inputs.scenario import MAX_YEARS, load_scenario

    target = text(model["scenario"], file, "model.scenario")
    scenario_file = os.path.normpath(os.path.join(os.path.dirname(file), target))
    if not os.path.isfile(scenario_file):
        raise InputError(f"{scenario_file} not found (the path is relative to this file)",
                         file=file, key="model.scenario")
    years = None
    if "years" in model:
        years = number(model["years"], file, "model.years", integer=True, low=1,
                       high=MAX_YEARS)
    scenario = load_scenario(scenario_file, years=years)
    values = _fixed_values(model.get("set", {}), file)
    if not values:
        return scenario
    scenario = scenario.with_overrides(values, where=file)
    return hold_for_whole_run(scenario, set(values))[0]


def _fixed_values(fixed: Any, file: str) -> dict[str, Any]:
    """The ``set`` table as ``{registry path: value}``, each value checked by the registry."""
    from sim.inputs.parameters import REGISTRY

    if not isinstance(fixed, dict):
        raise InputError("expected a table of parameter values, e.g. set = "
                         "{ \"municipality.inhabitants\" = 3000 }", file=file, key="model.set")
    values = flatten_tables(fixed)
    for path, value in values.items():
        try:
            REGISTRY.lookup(path).check(value)
        except InputError as exc:
            raise InputError(exc.message, file=file, key=f"model.set.{path}") from None
    return values


#: Modules whose functions an experiment file may name without being allowed: the project's
#: own known-answer functions.
OWN_MODULES = ("sim.analysis.testfunctions",)
#: Entry-point group in which an installed package declares modules of model functions
#: (``[project.entry-points."boligsim.models"]`` in its pyproject.toml).
ENTRY_POINT_GROUP = "boligsim.models"
#: Environment variable with more allowed modules, comma-separated (``--allow-module`` adds to
#: it, and worker processes inherit it).
ALLOW_ENV = "BOLIGSIM_ALLOW_MODULES"
#: Modules (and their submodules) never allowed, even when named: they reach the operating
#: system, the interpreter or other code, so a data file naming them could do anything.
NEVER = ("os", "posix", "nt", "sys", "subprocess", "builtins", "importlib", "shutil", "socket",
         "pty", "ctypes", "multiprocessing", "concurrent", "runpy", "code", "codeop", "pickle",
         "marshal", "signal", "io", "pathlib", "tempfile", "webbrowser", "urllib", "http",
         "ftplib", "smtplib", "asyncio", "threading", "_thread", "inspect", "types", "gc",
         "pdb", "ensurepip", "venv", "sysconfig", "site", "platform", "operator", "functools")


def allowed_modules() -> tuple[str, ...]:
    """The modules an experiment file may name a model function from: :data:`OWN_MODULES`,
    the modules installed packages declare in :data:`ENTRY_POINT_GROUP`, and those in
    :data:`ALLOW_ENV` (``--allow-module``); a name allows its submodules too."""
    from importlib.metadata import entry_points

    declared = [ep.value.split(":")[0] for ep in entry_points(group=ENTRY_POINT_GROUP)]
    return tuple(dict.fromkeys((*OWN_MODULES, *declared, *_env_modules())))


def allow_modules(names: Sequence[str]) -> None:
    """Allow the modules ``names`` for this process and its workers (``--allow-module``)."""
    os.environ[ALLOW_ENV] = ",".join(dict.fromkeys((*_env_modules(), *names)))


def _env_modules() -> list[str]:
    """The modules :data:`ALLOW_ENV` allows."""
    return [m.strip() for m in os.environ.get(ALLOW_ENV, "").split(",") if m.strip()]


def _within(module: str, names: Sequence[str]) -> bool:
    """Whether ``module`` is one of ``names`` or a submodule of one."""
    return any(module == n or module.startswith(n + ".") for n in names)


def check_allowed(target: str, file: str, key: str = "model.function") -> None:
    """Refuse a function whose module is not allowed (:func:`allowed_modules`) or is one of
    :data:`NEVER`, before anything is imported: importing a module runs its code.

    Raises:
        InputError: naming the file, the key and the allowed modules.
    """
    module = target.partition(":")[0]
    allowed = allowed_modules()
    if _within(module, NEVER):
        raise InputError(f"{module!r} is never allowed: a model function is code, and this "
                         "module reaches the system; allowed modules are "
                         f"{', '.join(allowed)}", file=file, key=key)
    if not _within(module, allowed):
        raise InputError(f"module {module!r} is not allowed: a model function is code, so it "
                         f"must come from an allowed module ({', '.join(allowed)}); allow yours "
                         f"with --allow-module {module.split('.')[0]}, or declare it in the "
                         f"{ENTRY_POINT_GROUP!r} entry points of your package", file=file,
                         key=key)


def _check_function(target: Any, file: str) -> str:
    """Check that ``module:function`` is allowed, imports and is callable; return it."""
    key = "model.function"
    if not isinstance(target, str) or not _FUNCTION_PATH.fullmatch(target):
        raise InputError(f"expected 'package.module:function', got {target!r}", file=file,
                         key=key)
    check_allowed(target, file, key)
    try:
        load_function(target)
    except (ImportError, AttributeError, TypeError) as exc:
        raise InputError(f"cannot use {target!r}: {exc}", file=file, key=key) from None
    return target


def load_function(target: str) -> Callable[..., Mapping[str, float]]:
    """Import ``package.module:function`` with importlib (never ``eval``).

    Raises:
        ImportError: the module cannot be imported.
        AttributeError: it has no such attribute.
        TypeError: the attribute is not callable.
    """
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    if not hasattr(module, attr):
        raise AttributeError(f"module {module_name!r} has no attribute {attr!r}")
    fn = getattr(module, attr)
    if not callable(fn):
        raise TypeError(f"{target} is not callable")
    return fn


def is_stochastic(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` takes an ``rng`` argument: then it draws random numbers, gets the
    replication's random stream and needs its noise measured."""
    return "rng" in inspect.signature(fn).parameters


def hold_for_whole_run(scenario: Scenario, paths: set[str]) -> tuple[Scenario, tuple[str, ...]]:
    """Remove ``paths`` from the phases, so the experiment's value holds for the whole run.

    A sampled (or fixed) value of a parameter that a phase of the base scenario also changes
    would otherwise last only until that phase; the analysis would then measure the lever for
    a few months only, without saying so.
    """
    from sim.inputs.scenario import Phase

    notes = []
    phases = []
    for phase in scenario.phases:
        hit = sorted(set(phase.params) & paths)
        for path in hit:
            notes.append(f"{path}: the base scenario's phase {phase.start} "
                         f"({phase.label or 'no label'}) also sets it; the experiment's value "
                         "holds for the whole run instead")
        kept = {k: v for k, v in phase.params.items() if k not in paths}
        if kept:
            phases.append(Phase(phase.start, phase.label, kept))
    return dataclasses.replace(scenario, phases=phases), tuple(notes)
