"""The sampled inputs: :class:`Factor`, and the ``[[parameters]]`` entries of an experiment
file that define them: registry parameters of the housing model, or a function's named inputs.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.inputs.checks import bounds, reject_unknown_keys, text
from sim.inputs.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.registry import Param


#: Keys of one ``[[parameters]]`` entry.
PARAMETER_KEYS = ("path", "name", "range", "group")


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


def load_factors(raw: Any, file: str, *, registry: bool, method: str,
                 name: str = "parameters") -> tuple[Factor, ...]:
    """The checked ``[[parameters]]`` entries (``[[name]]``: ``levers`` for a policy search):
    registry parameters of the housing model (``registry``) or a function's named inputs,
    grouped as ``method`` allows."""
    if raw is None:
        raise InputError(f"missing; list the inputs to vary as [[{name}]] entries",
                         file=file, key=name)
    if not isinstance(raw, list) or not raw or not all(isinstance(p, dict) for p in raw):
        raise InputError(f"expected one or more [[{name}]] entries (an array of tables)",
                         file=file, key=name)
    factor_of = _model_factor if registry else _function_factor
    factors: list[Factor] = []
    for index, entry in enumerate(raw, start=1):
        where = f"{name}[{index}]"
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
                 if "range" in entry else param.limits)
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
