"""Global sensitivity analysis with SALib: experiment files, evaluation, indices, noise and
convergence reports, figures.

An *experiment file* (TOML, ``experiments/*.toml``) says what to vary, what to look at and how:

.. code-block:: toml

    [experiment]
    name = "Verdal levers"
    method = "sobol"                # morris | sobol | fast
    N = 1024                        # base sample size (trajectories for Morris)
    replications = 1                # runs per sample point, averaged (common random numbers)
    seed = 1
    outputs = ["children_municipal@final", "social_assistance_nok@total"]

    [model]
    scenario = "../scenarios/verdal.toml"   # relative to this file
    years = 10                              # optional: run length
    set = { "municipality.inhabitants" = 15000 }   # optional fixed overrides

    [[parameters]]
    path = "policy.rotation.contract_years"      # range defaults to the registry's bounds

    [[parameters]]
    path = "policy.followup.workers"
    range = [0.0, 8.0]
    group = "follow-up"                         # optional SALib group (sobol, morris)

Instead of the housing model, ``[model] function = "package.module:function"`` analyses any
Python callable ``f(params: dict) -> dict[str, float]`` (parameters then have a ``name`` and an
explicit ``range``, outputs are keys of the returned dict); a function that accepts an ``rng``
argument is stochastic and gets the replication's random stream.

The pipeline (:func:`run_experiment`): sample with SALib; evaluate chunks of sample points as
tasks of :mod:`sim.run.ensemble` (each chunk a Parquet part in ``DIR/runs``, so ``--resume`` skips
finished chunks); average the replications of each point; analyse each output with SALib at N
and at N/2 (the convergence check); estimate each output's share of replication noise; write
``indices.csv``, ``noise.csv``, ``convergence.csv``, ``samples.csv``, ``sensitivity.json`` and
figures. Every mistake in an experiment file is an :class:`~sim.inputs.errors.InputError` naming the
file and the key. See ``docs/sensitivity.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import inspect
import itertools
import json
import math
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.checks import (
    boolean,
    bounds,
    choice,
    flatten_tables,
    number,
    read_toml,
    reject_unknown_keys,
    reject_unknown_tables,
    table,
    text,
)
from sim.inputs.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import concurrent.futures as cf

    from sim.inputs.expressions import Expression
    from sim.inputs.registry import Param
    from sim.inputs.scenario import Scenario
    from sim.run.ensemble import PartStore, Task

#: The SALib methods an experiment may name.
METHODS = ("morris", "sobol", "fast")
#: SALib's measures per method, in the column order of ``indices.csv``.
MEASURES: dict[str, tuple[str, ...]] = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu", "mu_star", "mu_star_conf", "sigma"),
    "fast": ("S1", "S1_conf", "ST", "ST_conf"),
}
#: Measures compared between N/2 and N, each with the confidence measure it is judged by.
CONVERGENCE_MEASURES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "sobol": (("S1", "S1_conf"), ("ST", "ST_conf")),
    "morris": (("mu_star", "mu_star_conf"), ("sigma", None)),
    "fast": (("S1", "S1_conf"), ("ST", "ST_conf")),
}
#: Changes between N/2 and N smaller than this never count as "not converged", however narrow
#: SALib's interval: 0.01 of the output variance for Sobol' and eFAST indices, 1 % of the
#: largest value for Morris measures (bootstrap intervals of exactly linear effects are ~0,
#: and eFAST's are known to be unreliable, SALib issue 649).
CONVERGENCE_FLOOR = 0.01
#: Keys of the ``[experiment]`` table valid for every method, and per method.
COMMON_KEYS = ("name", "description", "method", "N", "replications", "seed", "outputs",
               "conf_level", "num_resamples", "chunk_size", "noise_points",
               "noise_replications", "noise_threshold")
METHOD_KEYS: dict[str, tuple[str, ...]] = {
    "sobol": ("second_order",), "morris": ("levels",), "fast": ("M",),
}
#: Defaults of the ``[experiment]`` settings of how to run and analyse, for every method
#: (``chunk_size`` defaults by the kind of model: :data:`CHUNK_MODEL`, :data:`CHUNK_FUNCTION`).
RUN_DEFAULTS: dict[str, float] = {
    "replications": 1, "seed": 1, "conf_level": 0.95, "num_resamples": 100,
    "noise_points": 8, "noise_replications": 5, "noise_threshold": 0.2,
}
#: What each numeric setting of ``[experiment]`` may be: whole or not, smallest, largest.
LIMITS: dict[str, tuple[bool, float, float]] = {
    "N": (True, 1, 2**22), "levels": (True, 2, 100), "M": (True, 1, 64),
    "replications": (True, 1, 10_000), "seed": (True, 0, 2**63 - 1),
    "conf_level": (False, 0.5, 0.999), "num_resamples": (True, 10, 100_000),
    "chunk_size": (True, 1, 10**7), "noise_points": (True, 2, 10_000),
    "noise_replications": (True, 2, 1000), "noise_threshold": (False, 0.0, 1.0),
}
#: Keys of the ``[model]`` table.
MODEL_KEYS = ("scenario", "years", "set", "function")
#: Keys of one ``[[parameters]]`` entry.
PARAMETER_KEYS = ("path", "name", "range", "group")
#: Top-level tables of an experiment file.
TOP_KEYS = ("experiment", "model", "parameters")
#: Files whose presence in ``--out`` means an earlier experiment is there.
RESULT_FILES = ("indices.csv", "runs/manifest.json")
#: Default points per task: model runs take a fraction of a second, a function microseconds.
#: A task's model runs go as batches of towns (:func:`sim.run.runner.run_batch`): a 500-family
#: run costs about 45 ms in a batch of 32, 40 ms in one of 64 and no less in larger ones,
#: against 160 ms alone (docs/performance.md, "Batches of towns").
CHUNK_MODEL, CHUNK_FUNCTION = 64, 4096

_FUNCTION_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_]\w*")
_OUTPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.@:-]*")


# ---------------------------------------------------------------------------------- experiment
@dataclass(frozen=True)
class Factor:
    """One sampled input.

    Integers are sampled on ``[low - 0.5, high + 0.5]`` and rounded, so every integer in the
    range is equally likely (rounding a sample on ``[low, high]`` would give the two end values
    half the weight of the others); true/false inputs are sampled on ``[0, 1]`` and rounded.

    Attributes:
        name: the registry path (model experiments) or the function's parameter name.
        kind: ``float``, ``int`` or ``bool``.
        low: smallest value (0 for bool).
        high: largest value (1 for bool).
        group: SALib group, or ``None``.
    """

    name: str
    kind: str
    low: float
    high: float
    group: str | None = None

    def bounds(self) -> list[float]:
        """The sampling interval SALib sees."""
        if self.kind == "int":
            return [self.low - 0.5, self.high + 0.5]
        return [float(self.low), float(self.high)]

    def value(self, x: float) -> float | int | bool:
        """The input value for SALib's sample ``x``: clipped into range, rounded if discrete."""
        if self.kind == "bool":
            return bool(x >= 0.5)
        if self.kind == "int":
            return int(min(max(math.floor(x + 0.5), self.low), self.high))
        return float(min(max(x, self.low), self.high))


@dataclass(frozen=True)
class Experiment:
    """A fully checked experiment file.

    Attributes:
        file: the experiment file.
        name: experiment name.
        description: free text.
        method: ``morris``, ``sobol`` or ``fast``.
        n: SALib's base sample size ``N`` (Morris: trajectories).
        replications: runs per sample point, averaged before the analysis.
        seed: seeds the sample, the runs (replication ``k`` uses ``SeedSequence([seed, k])``
            at every point) and the bootstrap of the confidence intervals.
        factors: the sampled inputs.
        outputs: output names (indicator expressions for the model).
        scenario: the base scenario (model experiments), with ``set`` applied and the sampled
            and set parameters removed from its phases.
        function: ``module:function`` of a callable experiment.
        options: method options (``second_order``, ``levels``, ``M``).
        conf_level: level of SALib's confidence intervals.
        num_resamples: bootstrap resamples for them.
        chunk_size: sample points per task (one Parquet part each).
        noise_points: points of the noise probe (used when ``replications`` is 1).
        noise_replications: replications per probe point.
        noise_threshold: noise share above which an output is flagged.
        notes: remarks about how the base scenario was adapted, for the user.
    """

    file: str
    name: str
    description: str
    method: str
    n: int
    replications: int
    seed: int
    factors: tuple[Factor, ...]
    outputs: tuple[str, ...]
    scenario: Scenario | None = None
    function: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    conf_level: float = 0.95
    num_resamples: int = 100
    chunk_size: int = CHUNK_MODEL
    noise_points: int = 8
    noise_replications: int = 5
    noise_threshold: float = 0.2
    notes: tuple[str, ...] = ()

    @property
    def groups(self) -> list[str] | None:
        """SALib's group of every factor (its own name if ungrouped), or ``None`` if no groups."""
        if not any(f.group for f in self.factors):
            return None
        return [f.group or f.name for f in self.factors]

    @property
    def labels(self) -> list[str]:
        """What indices are reported for: the groups in order of appearance, else the factors."""
        groups = self.groups
        return list(dict.fromkeys(groups)) if groups else [f.name for f in self.factors]

    def problem(self) -> dict[str, Any]:
        """The SALib problem definition."""
        problem: dict[str, Any] = {"num_vars": len(self.factors),
                                   "names": [f.name for f in self.factors],
                                   "bounds": [f.bounds() for f in self.factors]}
        if self.groups:
            problem["groups"] = self.groups
        return problem

    def expressions(self) -> list[Expression]:
        """The outputs as parsed indicator expressions (model experiments only)."""
        from sim.inputs.expressions import parse

        return [parse(o) for o in self.outputs]

    def identity(self) -> dict[str, Any]:
        """What makes stored results reusable: everything that changes a number.

        Used as the Parquet store's manifest, so ``--resume`` refuses results of another
        experiment and names what differs. The function's code is not hashed: after editing
        a function, start afresh with ``--force``.
        """
        from sim.run.provenance import version

        model = ({"scenario_digest": self.scenario.digest()} if self.scenario is not None
                 else {"function": self.function})
        identity = {
            "kind": "sensitivity", "method": self.method, "N": self.n, "seed": self.seed,
            "replications": self.replications, "options": self.options,
            "parameters": [dataclasses.asdict(f) for f in self.factors],
            "outputs": list(self.outputs), "model": model, "chunk_size": self.chunk_size,
            "noise_probe": [self.noise_points, self.noise_replications],
            "boligsim": version(),
        }
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        identity["experiment_digest"] = hashlib.sha256(text.encode()).hexdigest()
        return identity

    def rows_per_block(self) -> int:
        """Sample rows per base point (Sobol, Morris) or per factor (eFAST)."""
        g = len(self.labels)
        if self.method == "sobol":
            return (2 * g + 2) if self.options["second_order"] else (g + 2)
        if self.method == "morris":
            return g + 1
        return self.n

    def evaluations(self) -> int:
        """Model runs (or function calls) of the main design, replications included."""
        blocks = len(self.factors) if self.method == "fast" else self.n
        return blocks * self.rows_per_block() * self.replications


def load_experiment(path: str | os.PathLike[str]) -> Experiment:
    """Read and check an experiment file.

    Raises:
        InputError: naming the file and key, for anything wrong: unknown keys, an unknown
            method, parameter or output, a range outside the registry's bounds, a choice
            (string) parameter, an output date outside the run, a sample size SALib cannot use,
            a function that cannot be imported, ...
    """
    file = os.path.normpath(os.fspath(path))
    data = read_toml(file, "experiment file")
    reject_unknown_tables(data, TOP_KEYS, file)
    head = table(data, "experiment", file, required=True)
    model = table(data, "model", file, required=True)
    method = choice(head.get("method"), METHODS, file, "experiment.method")
    _reject_unknown_settings(head, method, file)
    name = text(head.get("name", Path(file).stem), file, "experiment.name")
    description = text(head.get("description"), file, "experiment.description", required=False)
    n = _sample_size(head, file)
    options = _METHOD_OPTIONS[method](head, n, file)
    scenario, function = _model(model, file)
    settings = _run_settings(head, file, CHUNK_MODEL if scenario is not None else CHUNK_FUNCTION)
    factors = _factors(data.get("parameters"), file, function is None, method)
    outputs = _outputs(head.get("outputs"), file, scenario)
    notes: tuple[str, ...] = ()
    if scenario is not None:
        scenario, notes = _hold_for_whole_run(scenario, {f.name for f in factors})
    return Experiment(file=file, name=name, description=description, method=method, n=n,
                      factors=factors, outputs=outputs, scenario=scenario, function=function,
                      options=options, notes=notes, **settings)


def _reject_unknown_settings(head: Mapping[str, Any], method: str, file: str) -> None:
    """Stop at a key of ``[experiment]`` that ``method`` does not take; an option of another
    method says which, the likeliest mistake after changing the method."""
    for key in head:
        owner = next((m for m, keys in METHOD_KEYS.items() if key in keys), method)
        if owner != method:
            raise InputError(f"unknown key; it is an option of method {owner!r}", file=file,
                             key=f"experiment.{key}")
    reject_unknown_keys(head, COMMON_KEYS + METHOD_KEYS[method], file, "experiment")


def _number(head: Mapping[str, Any], key: str, default: float | None, file: str) -> Any:
    """The numeric setting ``key`` of ``[experiment]``, within its :data:`LIMITS`."""
    integer, low, high = LIMITS[key]
    return number(head.get(key, default), file, f"experiment.{key}", integer=integer, low=low,
                  high=high)


def _sample_size(head: Mapping[str, Any], file: str) -> int:
    """``N``, which has no sensible default: it sets the cost and the precision."""
    if "N" not in head:
        raise InputError("missing; give the base sample size, e.g. N = 1024", file=file,
                         key="experiment.N")
    return _number(head, "N", None, file)


def _run_settings(head: Mapping[str, Any], file: str, chunk_size: int) -> dict[str, Any]:
    """The settings of how to run and analyse, any method: replications, seed, intervals,
    chunks and the noise probe; ``chunk_size`` is the default for this kind of model."""
    defaults = {**RUN_DEFAULTS, "chunk_size": chunk_size}
    return {key: _number(head, key, default, file) for key, default in defaults.items()}


def _sobol_options(head: Mapping[str, Any], n: int, file: str) -> dict[str, Any]:
    """Sobol': ``second_order``; N a power of 2 of at least 8."""
    second_order = boolean(head.get("second_order", False), file, "experiment.second_order")
    if n < 8 or n & (n - 1):
        raise InputError(
            f"expected a power of 2 of at least 8, got {n}: SALib's Sobol' sample keeps "
            "its balance only for powers of 2, and the convergence check analyses the "
            "first N/2 (e.g. 512, 1024, 2048)", file=file, key="experiment.N")
    return {"second_order": second_order}


def _morris_options(head: Mapping[str, Any], n: int, file: str) -> dict[str, Any]:
    """Morris: an even number of ``levels``; an even number N of trajectories, at least 4."""
    levels = _number(head, "levels", 4, file)
    if levels % 2:
        raise InputError(f"expected an even number of levels, got {levels} (SALib: an "
                         "odd number biases the sample)", file=file, key="experiment.levels")
    if n < 4 or n % 2:
        raise InputError(f"expected an even number of trajectories >= 4, got {n} (the "
                         "convergence check analyses the first N/2)", file=file,
                         key="experiment.N")
    return {"levels": levels}


def _fast_options(head: Mapping[str, Any], n: int, file: str) -> dict[str, Any]:
    """eFAST: the interference factor ``M``; N above 8 M^2."""
    m = _number(head, "M", 4, file)
    if n <= 8 * m * m:
        raise InputError(
            f"expected N > 8 M^2 = {8 * m * m}, got {n}: SALib's eFAST needs N > 4 M^2 "
            "and the convergence check also runs a design of N/2", file=file,
            key="experiment.N")
    return {"M": m}


#: Each method's options, read and checked together with the sample size they constrain.
_METHOD_OPTIONS: dict[str, Callable[[Mapping[str, Any], int, str], dict[str, Any]]] = {
    "sobol": _sobol_options, "morris": _morris_options, "fast": _fast_options,
}


def _model(model: Mapping[str, Any], file: str) -> tuple[Scenario | None, str | None]:
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
    return _hold_for_whole_run(scenario, set(values))[0]


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


def _check_function(target: Any, file: str) -> str:
    """Check that ``module:function`` imports and is callable; return it."""
    key = "model.function"
    if not isinstance(target, str) or not _FUNCTION_PATH.fullmatch(target):
        raise InputError(f"expected 'package.module:function', got {target!r}", file=file,
                         key=key)
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


def _factors(raw: Any, file: str, model: bool, method: str) -> tuple[Factor, ...]:
    """The checked ``[[parameters]]`` entries: registry parameters (``model``) or a function's
    named inputs."""
    if raw is None:
        raise InputError("missing; list the inputs to vary as [[parameters]] entries",
                         file=file, key="parameters")
    if not isinstance(raw, list) or not raw or not all(isinstance(p, dict) for p in raw):
        raise InputError("expected one or more [[parameters]] entries (an array of tables)",
                         file=file, key="parameters")
    factor_of = _model_factor if model else _function_factor
    factors: list[Factor] = []
    for index, entry in enumerate(raw, start=1):
        where = f"parameters[{index}]"
        reject_unknown_keys(entry, PARAMETER_KEYS, file, where)
        factor = factor_of(entry, file, where)
        if factor.name in {f.name for f in factors}:
            raise InputError(f"{factor.name!r} is listed twice", file=file, key=where)
        if "group" in entry:
            factor = _grouped(factor, entry["group"], method, file, where)
        factors.append(factor)
    _check_group_names(factors, file)
    return tuple(factors)


def _grouped(factor: Factor, group: Any, method: str, file: str, where: str) -> Factor:
    """``factor`` in SALib group ``group`` (Sobol' and Morris only)."""
    group = text(group, file, f"{where}.group")
    if method == "fast":
        raise InputError("SALib's eFAST has no groups; use sobol or morris, or drop the group",
                         file=file, key=f"{where}.group")
    return dataclasses.replace(factor, group=group)


def _check_group_names(factors: Sequence[Factor], file: str) -> None:
    """A group may not take the name of another parameter: its row in ``indices.csv`` would be
    read as that parameter's."""
    names = {f.name for f in factors}
    for index, f in enumerate(factors, start=1):
        if f.group is not None and f.group in names and f.group != f.name:
            raise InputError(f"group {f.group!r} has the name of another parameter; choose "
                             "another group name", file=file, key=f"parameters[{index}].group")


def _model_factor(entry: Mapping[str, Any], file: str, where: str) -> Factor:
    """A registry parameter; its range defaults to the registry's bounds."""
    from sim.inputs.parameters import REGISTRY

    if "name" in entry or "path" not in entry:
        raise InputError("give the registry path of the parameter as path = '...'", file=file,
                         key=where)
    path = text(entry["path"], file, f"{where}.path")
    param = REGISTRY.lookup(path, where=file)
    if param.type is str:
        raise InputError(f"is a choice parameter ({param.allowed()}); only numbers and "
                         "true/false can be sampled - compare its choices with boligsim "
                         "compare instead", file=file, key=path)
    if param.type is bool:
        if "range" in entry:
            raise InputError("true/false parameters are always sampled over both values; "
                             "remove range", file=file, key=f"{where}.range")
        return Factor(path, "bool", 0, 1)
    kind = "int" if param.type is int else "float"
    low, high = (_registry_range(entry["range"], param, file, f"{where}.range")
                 if "range" in entry else param.bounds)  # type: ignore[misc]
    if kind == "int":
        low, high = int(low), int(high)
    return Factor(path, kind, low, high)


def _registry_range(value: Any, param: Param, file: str, key: str) -> tuple[float, float]:
    """A ``range`` given for a registry parameter: inside its bounds, whole for an integer."""
    low, high = bounds(value, file, key)
    if param.type is int and not (float(low).is_integer() and float(high).is_integer()):
        raise InputError(f"{param.path} is an integer parameter; give whole numbers, got "
                         f"{value!r}", file=file, key=key)
    lo, hi = param.bounds  # type: ignore[misc]
    if low < lo or high > hi:
        raise InputError(f"[{low:g}, {high:g}] is outside the registry's range of "
                         f"{param.path}: {param.allowed()}", file=file, key=key)
    return low, high


def _function_factor(entry: Mapping[str, Any], file: str, where: str) -> Factor:
    """An input of a Python function: a name and an explicit range."""
    if "path" in entry or "name" not in entry:
        raise InputError("a function's inputs have name = '...' and range = [low, high] "
                         "(registry paths are for scenario models)", file=file, key=where)
    name = text(entry["name"], file, f"{where}.name")
    if "range" not in entry:
        raise InputError("missing; a function's inputs need range = [low, high]", file=file,
                         key=f"{where}.range")
    low, high = bounds(entry["range"], file, f"{where}.range")
    return Factor(name, "float", low, high)


def _outputs(raw: Any, file: str, scenario: Scenario | None) -> tuple[str, ...]:
    """The checked output list: indicator expressions (model) or result keys (function)."""
    key = "experiment.outputs"
    if raw is None:
        raise InputError("missing; list what to analyse, e.g. outputs = "
                         "[\"children_municipal@final\"]", file=file, key=key)
    if not isinstance(raw, list) or not raw or not all(isinstance(o, str) for o in raw):
        raise InputError(f"expected a non-empty list of strings, got {raw!r}", file=file,
                         key=key)
    if len(set(raw)) != len(raw):
        twice = sorted({o for o in raw if raw.count(o) > 1})
        raise InputError(f"listed twice: {', '.join(twice)}", file=file, key=key)
    if scenario is None:
        for o in raw:
            if not _OUTPUT_NAME.fullmatch(o):
                raise InputError(f"expected a key of the function's result, got {o!r}",
                                 file=file, key=key)
        return tuple(raw)
    from sim.inputs.expressions import parse

    for o in raw:
        parse(o, where=file).check_in_run(scenario.start, scenario.months, where=file)
    return tuple(raw)


def _hold_for_whole_run(scenario: Scenario, paths: set[str]) -> tuple[Scenario, tuple[str, ...]]:
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


# ---------------------------------------------------------------------------------- sampling
@dataclass
class Design:
    """The sample: SALib's matrix and the input values it stands for.

    Attributes:
        x: SALib's sample, one row per point (integers not yet rounded).
        points: the input values of each row, as evaluated.
        half_x: eFAST only: the separate design of N/2 for the convergence check.
        half_points: its input values.
    """

    x: np.ndarray
    points: list[dict[str, Any]]
    half_x: np.ndarray | None = None
    half_points: list[dict[str, Any]] = field(default_factory=list)


def sample(exp: Experiment) -> Design:
    """Draw the experiment's design with SALib (deterministic for a given seed).

    Sobol' uses SALib's Saltelli-scheme sampler on a scrambled Sobol' sequence; Morris draws
    ``N`` trajectories on ``levels`` levels; eFAST samples ``N`` points per factor on its
    search curves, plus a second eFAST design of ``N/2`` for the convergence check (an eFAST
    design cannot be halved: its frequencies depend on N).
    """
    problem = exp.problem()
    half_x = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=FutureWarning)
        if exp.method == "sobol":
            from SALib.sample import sobol as sobol_sample

            x = sobol_sample.sample(problem, exp.n, calc_second_order=exp.options[
                "second_order"], scramble=True, seed=exp.seed)
        elif exp.method == "morris":
            from SALib.sample import morris as morris_sample

            x = morris_sample.sample(problem, exp.n, num_levels=exp.options["levels"],
                                     seed=exp.seed)
        else:
            from SALib.sample import fast_sampler

            x = fast_sampler.sample(problem, exp.n, M=exp.options["M"], seed=exp.seed)
            half_x = fast_sampler.sample(problem, exp.n // 2, M=exp.options["M"],
                                         seed=exp.seed)
    design = Design(x=np.asarray(x, dtype=float), points=_points(exp, x))
    if half_x is not None:
        design.half_x = np.asarray(half_x, dtype=float)
        design.half_points = _points(exp, half_x)
    return design


def _points(exp: Experiment, x: np.ndarray) -> list[dict[str, Any]]:
    return [{f.name: f.value(v) for f, v in zip(exp.factors, row, strict=True)} for row in x]


def probe_indices(exp: Experiment, n_points: int) -> list[int]:
    """The design points the noise probe re-runs: spread evenly over the design."""
    k = min(exp.noise_points, n_points)
    return sorted(set(np.linspace(0, n_points - 1, k).round().astype(int).tolist()))


# ---------------------------------------------------------------------------------- evaluation
def evaluate_function_points(target: str, points: Sequence[Mapping[str, Any]],
                             outputs: Sequence[str], seed: int, replications: int
                             ) -> np.ndarray:
    """Call the function ``target`` at ``points``, ``replications`` times each.

    A function that accepts an ``rng`` argument is stochastic: replication ``k`` passes it a
    fresh ``numpy.random.Generator`` seeded by ``SeedSequence([seed, k])`` at every point
    (common random numbers, as the model's replications). Module-level and picklable, so it
    runs as an ensemble task on processes or Dask.

    Returns:
        Array ``(len(points), replications, len(outputs))``.

    Raises:
        InputError: if the function raises an exception or its result lacks an output.
    """
    fn = load_function(target)
    stochastic = "rng" in inspect.signature(fn).parameters
    out = np.empty((len(points), replications, len(outputs)))
    for i, point in enumerate(points):
        for k in range(replications):
            try:
                if stochastic:
                    rng = np.random.default_rng(np.random.SeedSequence([int(seed), k]))
                    result = fn(dict(point), rng=rng)
                else:
                    result = fn(dict(point))
            except Exception as exc:  # the user's code: report it as one line, with the point
                raise InputError(f"raised {type(exc).__name__}: {exc} at {dict(point)} "
                                 f"(replication {k}); call it with these values to debug",
                                 file=target) from None
            if not isinstance(result, Mapping) or any(o not in result for o in outputs):
                got = ', '.join(result) if isinstance(result, Mapping) else repr(result)
                missing = [o for o in outputs if not isinstance(result, Mapping)
                           or o not in result]
                raise InputError(f"the function's result has no output {', '.join(missing)} "
                                 f"(it returned {got})", file=target,
                                 key="experiment.outputs")
            out[i, k] = [float(result[o]) for o in outputs]
    return out


def build_tasks(exp: Experiment, design: Design) -> list[Task]:
    """The ensemble tasks: the noise probe, chunks of the design, chunks of eFAST's half.

    Keys are ``noise-probe``, ``chunk-000000``, ... and ``half-000000``, ...; every chunk is
    stored as one Parquet part, so a resumed experiment skips the chunks already there.
    """
    from sim.run.ensemble import Task, chunks

    if exp.scenario is not None:
        from sim.run.evaluate import evaluate_points

        fn: Callable[..., np.ndarray] = evaluate_points
        model: Any = exp.scenario
        outputs: Any = exp.expressions()
    else:
        fn, model, outputs = evaluate_function_points, exp.function, list(exp.outputs)

    tasks = []
    if _needs_probe(exp):
        probe = [design.points[i] for i in probe_indices(exp, len(design.points))]
        tasks.append(Task("noise-probe", fn, (model, probe, outputs, exp.seed,
                                              exp.noise_replications)))
    for prefix, points in (("chunk", design.points), ("half", design.half_points)):
        for i, part in enumerate(chunks(points, exp.chunk_size)):
            tasks.append(Task(f"{prefix}-{i:06d}", fn,
                              (model, part, outputs, exp.seed, exp.replications)))
    return tasks


def _needs_probe(exp: Experiment) -> bool:
    """A probe is needed when one replication per point cannot show the noise by itself."""
    if exp.replications > 1:
        return False
    if exp.function is not None:
        return "rng" in inspect.signature(load_function(exp.function)).parameters
    return True


# ---------------------------------------------------------------------------------- analysis
def analyse(exp: Experiment, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """SALib's indices of one output.

    Args:
        exp: the experiment.
        x: the design (SALib's coordinates) that produced ``y``.
        y: one value per design row (replications already averaged).

    Returns:
        ``{measure: array over exp.labels}``, plus ``S2`` and ``S2_conf`` matrices for Sobol'
        with second order.
    """
    problem = exp.problem()
    seed = _analysis_seed(exp.seed)
    kw = {"num_resamples": exp.num_resamples, "conf_level": exp.conf_level, "seed": seed}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*FAST confidence intervals.*")
        warnings.simplefilter("ignore", category=RuntimeWarning)
        if exp.method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(problem, y, calc_second_order=exp.options["second_order"],
                                **kw)
        elif exp.method == "morris":
            from SALib.analyze import morris

            res = morris.analyze(problem, x, y, num_levels=exp.options["levels"], **kw)
        else:
            from SALib.analyze import fast

            res = fast.analyze(problem, y, M=exp.options["M"], **kw)
    out = {m: np.asarray(res[m], dtype=float) for m in MEASURES[exp.method]}
    if exp.method == "sobol" and exp.options["second_order"]:
        out["S2"] = np.asarray(res["S2"], dtype=float)
        out["S2_conf"] = np.asarray(res["S2_conf"], dtype=float)
    return out


def _analysis_seed(seed: int) -> int:
    """A non-zero seed for SALib's bootstraps (SALib treats a seed of 0 as no seed)."""
    return int(np.random.SeedSequence([seed, 0x5A17]).generate_state(1)[0]) or 1


def _empty(exp: Experiment) -> dict[str, np.ndarray]:
    g = len(exp.labels)
    out = {m: np.full(g, np.nan) for m in MEASURES[exp.method]}
    if exp.method == "sobol" and exp.options["second_order"]:
        out["S2"] = out["S2_conf"] = np.full((g, g), np.nan)
    return out


def half_design(exp: Experiment, design: Design, y: np.ndarray, y_half: np.ndarray | None
                ) -> tuple[np.ndarray, np.ndarray]:
    """The design of N/2 and its outputs, for the convergence check.

    Sobol': the first N/2 blocks of the Saltelli sample. They are built from the first N/2
    points of the same scrambled Sobol' sequence, which (N being a power of 2) are themselves
    a balanced Sobol' design, so analysing them is exactly what a run with N/2 would give.
    Morris: the first N/2 trajectories, drawn independently of the others. eFAST: the
    separate design of N/2 evaluated for this purpose.
    """
    if exp.method == "fast":
        assert design.half_x is not None and y_half is not None
        return design.half_x, y_half
    rows = exp.n // 2 * exp.rows_per_block()
    return design.x[:rows], y[:rows]


@dataclass
class SensitivityResult:
    """Everything an experiment produced.

    Attributes:
        experiment: the experiment.
        indices: rows of ``indices.csv`` (``method, output, parameter`` and the measures).
        second_order: rows of ``indices_second_order.csv`` (Sobol' with second order).
        noise: rows of ``noise.csv``.
        convergence: rows of ``convergence.csv``.
        warnings: what the reader must know before trusting an index.
        design: the sample.
        values: outputs per design point, replications averaged: ``(points, outputs)``.
        runs: raw outputs ``(points, replications, outputs)``.
        executor: how the tasks ran (provenance only).
        seconds: wall time of the evaluation.
        computed: chunks evaluated now (the rest were read from the store).
    """

    experiment: Experiment
    indices: list[dict[str, Any]]
    second_order: list[dict[str, Any]]
    noise: list[dict[str, Any]]
    convergence: list[dict[str, Any]]
    warnings: list[str]
    design: Design
    values: np.ndarray
    runs: np.ndarray
    executor: str = "serial"
    seconds: float = 0.0
    computed: int = 0

    def to_df(self, table: str = "indices") -> Any:
        """One of ``indices``, ``noise``, ``convergence``, ``second_order`` as a DataFrame."""
        import pandas as pd

        return pd.DataFrame(getattr(self, table))


def noise_report(exp: Experiment, runs: np.ndarray, probe: np.ndarray | None
                 ) -> list[dict[str, Any]]:
    """How much of each analysed output's variance is replication noise.

    With common random numbers, replication ``k`` of every point shares its random numbers,
    so part of the noise is a shift common to all points of a replication; it moves every
    point alike and changes no index. What can blur the indices is the rest: the part of the
    noise that differs from point to point. Treating the values as a two-way table (points x
    replications), that part is the interaction mean square ``noise_variance`` = sum of
    ``(y[p,k] - mean_p - mean_k + grand mean)^2 / ((P - 1)(R - 1))``. It is estimated from the
    design when it has two or more replications per point, else from the probe (a few design
    points re-run ``noise_replications`` times). ``within_variance`` is the plain mean
    variance between the replications of a point, common shift included, for reference.

    ``total_variance`` is the variance over the design of the analysed values (replication
    means); the noise share is ``noise_variance / replications / total_variance``: the part of
    what the indices divide up that no input explains. Near 0 the indices describe the model's
    response; at 0.2 a fifth of the variance is luck, and differences between indices of that
    size mean nothing. Above 1 the noise swamps the inputs' effects altogether (the design's
    spread is then itself mostly noise, and the estimate is rough).
    """
    means = runs.mean(axis=1)
    r = exp.replications
    if r > 1:
        table, source = runs, f"design: {runs.shape[0]} points x {r} replications"
    elif probe is not None:
        table = probe
        source = f"probe: {probe.shape[0]} points x {probe.shape[1]} replications"
    else:
        table, source = None, "deterministic function"
    if table is not None and table.shape[0] > 1:
        within = table.var(axis=1, ddof=1).mean(axis=0)
        resid = (table - table.mean(axis=1, keepdims=True) - table.mean(axis=0, keepdims=True)
                 + table.mean(axis=(0, 1), keepdims=True))
        noise = (resid**2).sum(axis=(0, 1)) / ((table.shape[0] - 1) * (table.shape[1] - 1))
    else:
        within = noise = np.zeros(runs.shape[2])
    rows = []
    for j, name in enumerate(exp.outputs):
        col = means[:, j]
        total = float(np.var(col, ddof=1)) if np.all(np.isfinite(col)) else math.nan
        part = float(noise[j]) / r
        if total > 0:
            share = part / total
        else:  # no spread over the design: all noise if there is any, else undefined
            share = math.inf if part > 0 else math.nan
        rows.append({"output": name, "replications": r, "points": runs.shape[0],
                     "within_variance": float(within[j]), "noise_variance": float(noise[j]),
                     "total_variance": total, "noise_share": share, "estimated_from": source,
                     "flagged": bool(share > exp.noise_threshold)})
    return rows


def analyse_all(exp: Experiment, design: Design, runs: np.ndarray, half_runs: np.ndarray | None,
                probe: np.ndarray | None) -> SensitivityResult:
    """Indices at N and N/2, the noise report and the warnings, for every output.

    Args:
        exp: the experiment.
        design: its sample.
        runs: outputs at the sample points, ``(points, replications, outputs)``.
        half_runs: eFAST only: outputs at the points of the separate sample of N/2.
        probe: outputs of the noise probe, if it ran.

    Returns:
        The result, less how it was evaluated (executor, time, chunks computed).
    """
    values = runs.mean(axis=1)
    half_values = half_runs.mean(axis=1) if half_runs is not None else None
    indices: list[dict[str, Any]] = []
    second: list[dict[str, Any]] = []
    convergence: list[dict[str, Any]] = []
    notes: list[str] = []
    for j, output in enumerate(exp.outputs):
        y_half = half_values[:, j] if half_values is not None else None
        full, half, problem = _analyse_output(exp, design, values[:, j], y_half)
        if problem:
            notes.append(f"{output}: {problem}")
        indices += _index_rows(exp, output, full)
        second += _second_order_rows(exp, output, full)
        rows = convergence_rows(exp, output, full, half)
        convergence += rows
        notes += convergence_warnings(exp, rows)
    noise = noise_report(exp, runs, probe)
    notes += noise_warnings(exp, noise)
    return SensitivityResult(experiment=exp, indices=indices, second_order=second, noise=noise,
                             convergence=convergence, warnings=notes, design=design,
                             values=values, runs=runs)


def _analyse_output(exp: Experiment, design: Design, y: np.ndarray, y_half: np.ndarray | None
                    ) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """One output's indices at N and at N/2, and why any of them were left empty.

    An output that is not a number somewhere, or the same everywhere, has no indices (SALib
    would divide by its zero variance); its half then cannot be compared either.
    """
    empty = _empty(exp)
    problem = _degenerate(y)
    if problem:
        return empty, empty, f"{problem}; its indices are left empty"
    full = analyse(exp, design.x, y)
    hx, hy = half_design(exp, design, y, y_half)
    problem = _degenerate(hy)
    if problem:
        return full, empty, f"{problem} of the N/2 sample; convergence not checked"
    return full, analyse(exp, hx, hy), None


def _index_rows(exp: Experiment, output: str, found: Mapping[str, Any]
                ) -> list[dict[str, Any]]:
    """Rows of ``indices.csv`` for one output: one per parameter (or group)."""
    return [{"method": exp.method, "output": output, "parameter": label,
             **{m: float(found[m][k]) for m in MEASURES[exp.method]}}
            for k, label in enumerate(exp.labels)]


def _second_order_rows(exp: Experiment, output: str, found: Mapping[str, Any]
                       ) -> list[dict[str, Any]]:
    """Rows of ``indices_second_order.csv`` for one output: one per pair, if computed."""
    if "S2" not in found:
        return []
    labels = exp.labels
    return [{"method": exp.method, "output": output, "parameter": labels[a],
             "other": labels[b], "S2": float(found["S2"][a, b]),
             "S2_conf": float(found["S2_conf"][a, b])}
            for a, b in itertools.combinations(range(len(labels)), 2)]


def convergence_rows(exp: Experiment, output: str, full: Mapping[str, Any],
                     half: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows of ``convergence.csv`` for one output: each judged measure at N/2 and at N.

    ``converged`` is true when the change is within the measure's confidence interval at N (or
    within the floor, :data:`CONVERGENCE_FLOOR`), empty for a measure without an interval.
    """
    rows = []
    for measure, conf in CONVERGENCE_MEASURES[exp.method]:
        floor = _convergence_floor(exp, full[measure])
        for k, label in enumerate(exp.labels):
            at_n, at_half = float(full[measure][k]), float(half[measure][k])
            c = float(full[conf][k]) if conf else math.nan
            diff = abs(at_n - at_half)
            judged = conf is not None and math.isfinite(c) and math.isfinite(diff)
            rows.append({
                "method": exp.method, "output": output, "parameter": label,
                "measure": measure, "n_half": exp.n // 2, "n": exp.n,
                "value_half": at_half, "value": at_n, "conf": c, "difference": diff,
                "converged": bool(diff <= max(c, floor)) if judged else None})
    return rows


def _convergence_floor(exp: Experiment, values: np.ndarray) -> float:
    """The change that never counts as "not converged": :data:`CONVERGENCE_FLOOR` of the
    output variance (Sobol', eFAST) or of the measure's largest value (Morris)."""
    if exp.method == "morris":
        return CONVERGENCE_FLOOR * float(np.nanmax(np.abs(values), initial=0.0))
    return CONVERGENCE_FLOOR


def convergence_warnings(exp: Experiment, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """One warning per output and measure that moved by more than its interval."""
    moved: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row["converged"] is False:
            moved.setdefault((row["output"], row["measure"]), []).append(row["parameter"])
    return [f"{output}: {measure} of {', '.join(which)} changed by more than its "
            f"{exp.conf_level:.0%} interval between N={exp.n // 2} and N={exp.n}; "
            "not converged; increase N" for (output, measure), which in moved.items()]


def noise_warnings(exp: Experiment, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """One warning per output whose noise share is above the experiment's threshold."""
    notes = []
    for row in rows:
        if row["flagged"]:
            share = row["noise_share"]
            amount = (f"{share:.0%} of its variance is" if math.isfinite(share)
                      else "it varies only by")
            notes.append(f"{row['output']}: {amount} replication noise (noise share above "
                         f"{exp.noise_threshold:g}); differences between its indices of that "
                         "size are not meaningful - add replications")
    return notes


def _degenerate(y: np.ndarray) -> str | None:
    """Why ``y`` cannot be analysed (NaN values or no variation), or ``None``."""
    bad = int(np.count_nonzero(~np.isfinite(y)))
    if bad:
        return f"not a number at {bad} of {y.size} sample points"
    if float(np.ptp(y)) == 0.0:
        return "the same value at every sample point"
    return None


# ---------------------------------------------------------------------------------- running
def run_experiment(exp: Experiment, *, design: Design | None = None,
                   out: str | os.PathLike[str] | None = None,
                   workers: int = 1, scheduler: str | None = None,
                   executor: cf.Executor | None = None, resume: bool = False,
                   progress: Callable[[int], Any] | None = None) -> SensitivityResult:
    """Sample, evaluate, analyse and (with ``out``) write every result file.

    Args:
        exp: the experiment (:func:`load_experiment`).
        design: its sample, if already drawn (:func:`sample`); drawn here otherwise.
        out: output directory; its ``runs`` folder holds one Parquet part per chunk. Without it
            nothing is stored or written.
        workers: local processes (or Dask workers with ``scheduler="local"``).
        scheduler: ``None``, ``"local"`` or ``"tcp://HOST:PORT"``.
        executor: an executor the caller owns, used instead of ``workers``/``scheduler``.
        resume: keep the parts already in ``out/runs`` (same experiment only).
        progress: called with 1 as each task completes.

    Returns:
        The :class:`SensitivityResult`.
    """
    from sim.run.ensemble import PartStore, open_executor, run_tasks

    design = sample(exp) if design is None else design
    tasks = build_tasks(exp, design)
    store: PartStore | None = None
    if out is not None:
        store = PartStore(Path(out) / "runs", exp.identity(), resume=resume)
    before = sum(1 for t in tasks if store is not None and t.key in store)
    start = time.perf_counter()
    if executor is not None:
        results = run_tasks(tasks, executor, store=store, progress=progress)
        name = type(executor).__name__
    else:
        with open_executor(workers, scheduler) as (ex, name):
            results = run_tasks(tasks, ex, store=store, progress=progress)
    seconds = time.perf_counter() - start
    by_key = dict(zip((t.key for t in tasks), results, strict=True))
    probe = by_key.get("noise-probe")
    runs = np.concatenate([by_key[t.key] for t in tasks if t.key.startswith("chunk-")])
    half = [by_key[t.key] for t in tasks if t.key.startswith("half-")]
    half_runs = np.concatenate(half) if half else None
    result = dataclasses.replace(analyse_all(exp, design, runs, half_runs, probe),
                                 executor=name, seconds=seconds, computed=len(tasks) - before)
    if out is not None:
        write_results(Path(out), result)
    return result


# ---------------------------------------------------------------------------------- writing
def _cell(value: Any) -> str:
    from sim.run.files import format_number

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, np.floating, np.integer)):
        return format_number(float(value))
    text = str(value)
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV text with ``columns`` in order; numbers as in ``timeseries.csv``."""
    lines = [",".join(columns)]
    lines += [",".join(_cell(row.get(c)) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def write_results(out: Path, result: SensitivityResult) -> list[str]:
    """Write the result files and figures into ``out``; return their names.

    ``indices.csv`` is written last, so its presence marks a complete experiment.
    """
    from sim.run.files import atomic_write_text

    exp = result.experiment
    written = []

    def put(name: str, text: str) -> None:
        atomic_write_text(out / name, text)
        written.append(name)

    put("noise.csv", csv_text(result.noise, ["output", "replications", "points",
                                             "within_variance", "noise_variance",
                                             "total_variance", "noise_share", "estimated_from",
                                             "flagged"]))
    put("convergence.csv", csv_text(result.convergence, [
        "method", "output", "parameter", "measure", "n_half", "n", "value_half", "value",
        "conf", "difference", "converged"]))
    if result.second_order:
        put("indices_second_order.csv", csv_text(result.second_order, [
            "method", "output", "parameter", "other", "S2", "S2_conf"]))
    sample_rows = []
    for i, point in enumerate(result.design.points):
        row: dict[str, Any] = {"point": i}
        row.update({k: (int(v) if isinstance(v, bool) else v) for k, v in point.items()})
        row.update(dict(zip(exp.outputs, result.values[i].tolist(), strict=True)))
        sample_rows.append(row)
    put("samples.csv", csv_text(sample_rows, ["point", *(f.name for f in exp.factors),
                                              *exp.outputs]))
    put("sensitivity.json", json.dumps(summary_dict(result), indent=2, ensure_ascii=False,
                                       allow_nan=False) + "\n")
    written += plot_results(result, out)
    put("indices.csv", csv_text(result.indices, ["method", "output", "parameter",
                                                 *MEASURES[exp.method]]))
    return written


def summary_dict(result: SensitivityResult) -> dict[str, Any]:
    """The content of ``sensitivity.json``: what was run, how long it took, noise, warnings."""
    exp = result.experiment
    model: dict[str, Any]
    if exp.scenario is not None:
        model = {"scenario": exp.scenario.name, "scenario_digest": exp.scenario.digest(),
                 "scenario_sources": list(exp.scenario.sources), "start": exp.scenario.start,
                 "months": exp.scenario.months}
    else:
        model = {"function": exp.function}
    return _finite({
        "experiment": exp.name, "file": exp.file, "method": exp.method, "N": exp.n,
        "options": exp.options, "replications": exp.replications, "seed": exp.seed,
        "model": model,
        "parameters": [dataclasses.asdict(f) for f in exp.factors],
        "outputs": list(exp.outputs), "evaluations": exp.evaluations(),
        "points": len(result.design.points), "chunks_evaluated_now": result.computed,
        "executor": result.executor, "seconds": round(result.seconds, 3),
        "experiment_digest": exp.identity()["experiment_digest"],
        "noise_share": {r["output"]: r["noise_share"] for r in result.noise},
        "notes": list(exp.notes), "warnings": list(result.warnings),
    })


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as ``None``, recursively (strict JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def summary_text(result: SensitivityResult) -> str:
    """A few lines for the terminal: what ran, each output's noise and leading parameters."""
    exp = result.experiment
    lead = {"sobol": "ST", "fast": "ST", "morris": "mu_star"}[exp.method]
    lines = [f"{exp.name}: {exp.method}, {len(exp.factors)} parameters, N={exp.n}: "
             f"{len(result.design.points)} points x {exp.replications} replication(s); "
             f"{result.computed} chunk(s) evaluated in {result.seconds:.1f} s "
             f"({result.executor})"]
    width = max(len("output"), *(len(o) for o in exp.outputs))
    lines.append(f"  {'output'.ljust(width)}  noise  leading parameters by {lead}")
    for output, noise in zip(exp.outputs, result.noise, strict=True):
        rows = [r for r in result.indices if r["output"] == output and math.isfinite(r[lead])]
        rows.sort(key=lambda r: -r[lead])
        top = ", ".join(f"{r['parameter']} {r[lead]:.3g}" for r in rows[:3]) or "-"
        share = noise["noise_share"]
        shown = f"{share:5.2f}" if math.isfinite(share) else ("  inf" if share > 0 else "    -")
        lines.append(f"  {output.ljust(width)}  {shown}  {top}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- figures
from sim.run.files import PALETTE, pyplot  # noqa: E402 - the figures' section (to be split)


def _short(label: str) -> str:
    """A registry path without its first part, to keep axis labels readable."""
    parts = label.split(".")
    return ".".join(parts[1:]) if len(parts) > 2 else label


def plot_results(result: SensitivityResult, out: Path | None = None) -> list[str]:
    """The method's figure: S1/ST bars (Sobol', eFAST) or mu*-sigma (Morris), one panel per
    output; returns the file names written into ``out``."""
    exp = result.experiment
    if exp.method == "morris":
        fig = plot_morris(result)
        name = "morris_mu_star_sigma.png"
    else:
        fig = plot_variance_indices(result)
        name = f"{exp.method}_indices.png"
    if out is None:
        return []
    tmp = out / f".{name}.tmp.png"
    fig.savefig(tmp, dpi=120)
    os.replace(tmp, out / name)
    pyplot().close(fig)
    return [name]


def _panels(n: int, width: float, height: float) -> tuple[Any, Any]:
    plt = pyplot()
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False,
                             constrained_layout=True)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, axes


def _not_analysed(ax: Any) -> None:
    ax.text(0.5, 0.5, "not analysed\n(see the warnings)", transform=ax.transAxes,
            ha="center", va="center", fontsize=8, color="grey")


def plot_variance_indices(result: SensitivityResult) -> Any:
    """First-order (S1) and total (ST) indices with their confidence intervals, per output."""

    exp = result.experiment
    labels = exp.labels
    fig, axes = _panels(len(exp.outputs), 4.6, 0.9 + 0.32 * len(labels))
    y = np.arange(len(labels))
    for ax, output in zip(axes.flat, exp.outputs, strict=False):
        rows = {r["parameter"]: r for r in result.indices if r["output"] == output}
        for shift, (measure, colour) in zip((-0.2, 0.2), (("S1", PALETTE[0]),
                                                          ("ST", PALETTE[1])), strict=True):
            v = np.array([rows[p][measure] for p in labels])
            c = np.array([rows[p][f"{measure}_conf"] for p in labels])
            ax.barh(y + shift, np.nan_to_num(v), height=0.38, color=colour, label=measure)
            ax.errorbar(np.nan_to_num(v), y + shift, xerr=np.nan_to_num(c), fmt="none",
                        ecolor="black", capsize=2, lw=0.8)
        if not any(math.isfinite(rows[p]["S1"]) for p in labels):
            _not_analysed(ax)
        ax.set_yticks(y, [_short(p) for p in labels], fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlabel("share of output variance", fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, axis="x")
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{exp.name}: {exp.method} indices, N={exp.n}, "
                 f"{exp.conf_level:.0%} intervals", fontsize=10)
    return fig


def plot_morris(result: SensitivityResult) -> Any:
    """Morris screening: mu* (mean absolute elementary effect, with its interval) against sigma
    (spread of the effects: non-linearity or interactions), per output."""

    exp = result.experiment
    fig, axes = _panels(len(exp.outputs), 4.6, 3.8)
    for ax, output in zip(axes.flat, exp.outputs, strict=False):
        rows = [r for r in result.indices if r["output"] == output]
        mu = np.array([r["mu_star"] for r in rows])
        sigma = np.array([r["sigma"] for r in rows])
        conf = np.array([r["mu_star_conf"] for r in rows])
        ax.errorbar(mu, sigma, xerr=np.nan_to_num(conf), fmt="o", ms=4, color=PALETTE[0],
                    ecolor="grey", elinewidth=0.8, capsize=2)
        finite = np.isfinite(mu) & np.isfinite(sigma)
        if finite.any():
            top = max(float(np.nanmax(mu[finite])), float(np.nanmax(sigma[finite])), 1e-12)
            ax.plot([0, top], [0, top], ls="--", lw=0.8, color=PALETTE[5],
                    label="sigma = mu*")
            for k in np.argsort(-np.nan_to_num(mu))[:6]:
                if finite[k] and mu[k] > 0.02 * top:  # leave the crowd at the origin unlabelled
                    ax.annotate(_short(rows[k]["parameter"]), (mu[k], sigma[k]), fontsize=6,
                                xytext=(3, 3), textcoords="offset points")
        else:
            _not_analysed(ax)
        ax.set_xlabel("mu* (output units per range)", fontsize=8)
        ax.set_ylabel("sigma", fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    if axes.flat[0].get_legend_handles_labels()[0]:
        axes.flat[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{exp.name}: Morris screening, {exp.n} trajectories", fontsize=10)
    return fig


# ---------------------------------------------------------------------------------- command
def command(experiment: str, out: str, *, workers: int = 1, scheduler: str | None = None,
            quiet: bool = False, force: bool = False, resume: bool = False) -> int:
    """``boligsim sensitivity``: run an experiment file and write its results into ``out``.

    Prints a summary on stdout and, on stderr, notes about the base scenario and warnings
    about noise, convergence and degenerate outputs.

    Returns:
        Exit status 0.

    Raises:
        InputError: for anything wrong in the experiment file or the options.
    """
    from sim.run.files import prepare_out_dir
    from sim.run.progress import progress

    if workers < 1:
        raise InputError(f"expected an integer >= 1, got {workers}", file="--workers")
    if force and resume:
        raise InputError("use either --force (start afresh) or --resume (continue), not both",
                         file="--resume")
    exp = load_experiment(experiment)
    folder = prepare_out_dir(out, force=force or resume, files=RESULT_FILES,
                             option="--force (or --resume to continue)")
    for note in exp.notes:
        print(f"boligsim: note: {note}", file=sys.stderr)
    design = sample(exp)
    total = len(build_tasks(exp, design))
    with progress(total, exp.name, quiet, unit="chunk") as update:
        result = run_experiment(exp, design=design, out=folder, workers=workers,
                                scheduler=scheduler, resume=resume, progress=update)
    for warning in result.warnings:
        print(f"boligsim: warning: {warning}", file=sys.stderr)
    print(summary_text(result))
    files = ", ".join(sorted({"indices.csv", "noise.csv", "convergence.csv"}))
    print(f"wrote {files}, samples.csv, sensitivity.json and figures to {out}")
    return 0
