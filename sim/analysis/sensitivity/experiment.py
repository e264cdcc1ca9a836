"""What an experiment is, and reading one from its file: :class:`Experiment`,
:func:`load_experiment`.

This module checks the ``[experiment]`` table (method, sample size, each method's options, how
to run and analyse, the outputs); :mod:`sim.analysis.sensitivity.model` checks ``[model]`` and
:mod:`sim.analysis.sensitivity.factors` the ``[[parameters]]``. The file format is described in
the package's docstring and in ``docs/sensitivity.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.analysis.sensitivity.factors import Factor, load_factors
from sim.analysis.sensitivity.model import hold_for_whole_run, load_model
from sim.inputs.checks import (
    boolean,
    choice,
    number,
    read_toml,
    reject_unknown_keys,
    reject_unknown_tables,
    table,
    text,
)
from sim.inputs.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.expressions import Expression
    from sim.inputs.scenario import Scenario


#: The SALib methods an experiment may name.
METHODS = ("morris", "sobol", "fast")
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
#: Top-level tables of an experiment file.
TOP_KEYS = ("experiment", "model", "parameters")
#: Default points per task: model runs take a fraction of a second, a function microseconds.
#: A task's model runs go as batches of towns (:func:`sim.run.runner.run_batch`): a 500-family
#: run costs about 45 ms in a batch of 32, 40 ms in one of 64 and no less in larger ones,
#: against 160 ms alone (docs/performance.md, "Batches of towns").
CHUNK_MODEL, CHUNK_FUNCTION = 64, 4096
_OUTPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.@:-]*")


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
        canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        identity["experiment_digest"] = hashlib.sha256(canonical.encode()).hexdigest()
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
        """Model runs (or function calls) of the main sample, replications included."""
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
    scenario, function = load_model(model, file)
    settings = _run_settings(head, file, CHUNK_MODEL if scenario is not None else CHUNK_FUNCTION)
    factors = load_factors(data.get("parameters"), file, registry=function is None,
                           method=method)
    outputs = _outputs(head.get("outputs"), file, scenario)
    notes: tuple[str, ...] = ()
    if scenario is not None:
        scenario, notes = hold_for_whole_run(scenario, {f.name for f in factors})
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
