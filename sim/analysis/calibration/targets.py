"""Targets: the observed facts a calibration compares the model with (``[[targets]]`` tables).

A target is a number with its source, the scenario it belongs to, the indicator expression the
model must match and a tolerance, the distance at which the fit counts as off by one unit.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.inputs.checks import (
    boolean,
    choice,
    number,
    read_toml,
    reject_unknown_keys,
    reject_unknown_tables,
    text,
)
from sim.inputs.errors import InputError
from sim.inputs.expressions import Expression, parse

#: Relations a target can state: equal to, at least, at most the observed value.
RELATIONS = ("eq", "ge", "le")
#: Symbols of the relations in tables and figures.
RELATION_SIGNS = {"eq": "≈", "ge": "≥", "le": "≤"}

def within_tolerance(simulated: float, observed: float, tolerance: float, relation: str
                     ) -> bool:
    """Whether ``simulated`` agrees with a fact stated as ``relation`` (``eq``, ``ge`` or
    ``le``) ``observed`` give or take ``tolerance`` (which may be 0); NaN never does."""
    d = simulated - observed
    return bool({"eq": abs(d) <= tolerance, "ge": d >= -tolerance,
                 "le": d <= tolerance}[relation])


_TARGET_KEYS = ("id", "description", "source", "scenario", "expression", "per", "relation",
                "observed", "tolerance", "tolerance_note", "use", "reason")
_ID = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class Target:
    """One observed fact the model is compared with.

    Attributes:
        id: short unique name (lower case, digits, underscores).
        description: what the number is, in words.
        source: where it comes from (e.g. Røe (2018) §3.1.1, an SSB table) and any conversion.
        scenario: path of the scenario file it belongs to, resolved against the targets file.
        expressions: summed to give the simulated value (usually one); empty for a fact no
            indicator can match (then ``use`` is false and it is never evaluated).
        per: summed to give a denominator; empty for a plain value.
        relation: ``eq`` (about equal), ``ge`` (at least) or ``le`` (at most).
        observed: the observed value, in the expression's unit.
        tolerance: the distance at which the fit counts as off by one unit (a standard error
            or a tolerance; ``tolerance_note`` says which and why), in the expression's unit.
        tolerance_note: the justification of the tolerance.
        use: whether calibrations may fit it; ``False`` for inputs and out-of-sample checks.
        reason: why it is not used (required when ``use`` is false).
    """

    id: str
    description: str
    source: str
    scenario: str
    expressions: tuple[Expression, ...]
    per: tuple[Expression, ...] = ()
    relation: str = "eq"
    observed: float = 0.0
    tolerance: float = 1.0
    tolerance_note: str = ""
    use: bool = True
    reason: str = ""

    @property
    def label(self) -> str:
        """The expression as one line, e.g. ``a@2016 / (b@2016 + c@2016)``."""
        num = " + ".join(e.text for e in self.expressions)
        if not self.per:
            return num
        den = " + ".join(e.text for e in self.per)
        if len(self.expressions) > 1:
            num = f"({num})"
        if len(self.per) > 1:
            den = f"({den})"
        return f"{num} / {den}"

    def z(self, simulated: float) -> float:
        """Signed deviation in tolerances; zero on the allowed side of a one-sided target."""
        if not math.isfinite(simulated):
            return math.nan
        d = (simulated - self.observed) / self.tolerance
        if self.relation == "ge":
            return min(d, 0.0)
        if self.relation == "le":
            return max(d, 0.0)
        return d

    def within(self, simulated: float) -> bool:
        """Whether ``simulated`` is within tolerance of the observed value (or bound)."""
        return within_tolerance(simulated, self.observed, self.tolerance, self.relation)


def load_targets(path: str | os.PathLike[str]) -> list[Target]:
    """Read and check a targets file (an array of tables ``[[targets]]``).

    Scenario paths are resolved relative to the targets file. Checks the keys, the values,
    that ids are unique, that every expression names a known indicator and that every unused
    target gives a reason. Whether dates fall inside the scenario's run is checked when a
    set-up loads the scenarios (:func:`sim.analysis.calibration.setup.load_setup`).

    Raises:
        InputError: naming the file and ``targets[N].key`` for any problem.
    """
    file = os.path.normpath(os.fspath(path))
    data = read_toml(file, "targets file", missing="targets file not found")
    reject_unknown_tables(data, ("targets",), file)
    raw = data.get("targets")
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise InputError("expected one or more tables [[targets]]", file=file, key="targets")
    targets: list[Target] = []
    for n, entry in enumerate(raw, start=1):
        where = f"targets[{n}]"
        reject_unknown_keys(entry, _TARGET_KEYS, file, where)
        tid = _target_id(entry.get("id"), file, f"{where}.id")
        if any(t.id == tid for t in targets):
            raise InputError("id given twice", file=file, key=f"{where}.id")
        targets.append(_target(tid, entry, file))
    return targets


def _target_id(value: object, file: str, key: str) -> str:
    tid = text(value, file, key)
    if not _ID.fullmatch(tid):
        raise InputError(f"expected lower-case letters, digits and _, got {tid!r}", file=file,
                         key=key)
    return tid


#: A tolerance or weight is squared and divided by in the loss: outside these bounds its square
#: or its reciprocal leaves what a float holds (1e-320 squares to 0, and the loss is then 0
#: with no target met).
SQUARABLE = (1e-150, 1e150)


def squarable(value: float, file: str, key: str) -> float:
    """``value`` if its square and the square's reciprocal are ordinary floats.

    Raises:
        InputError: naming the file and key, with the bounds.
    """
    low, high = SQUARABLE
    if not low <= value <= high:
        raise InputError(f"{value!r} is out of range: the loss squares it and divides by the "
                         f"square, so it must lie from {low:g} to {high:g}", file=file, key=key)
    return value


def _target(tid: str, entry: Mapping[str, Any], file: str) -> Target:
    """The target ``tid`` of ``file`` from its table ``entry`` (keys already checked)."""
    where = f"targets.{tid}"
    relation = choice(entry.get("relation", "eq"), RELATIONS, file, f"{where}.relation")
    tolerance = squarable(number(entry.get("tolerance"), file, f"{where}.tolerance", low=0,
                                 low_open=True), file, f"{where}.tolerance")
    use = boolean(entry.get("use", True), file, f"{where}.use")
    reason = text(entry.get("reason"), file, f"{where}.reason", required=not use)
    scenario = text(entry.get("scenario"), file, f"{where}.scenario")
    if "expression" not in entry and use:
        raise InputError("missing; only a target with use = false (a fact no indicator can "
                         "match) may go without an expression", file=file,
                         key=f"{where}.expression")
    if "per" in entry and "expression" not in entry:
        raise InputError("per without an expression", file=file, key=f"{where}.per")
    return Target(
        id=tid,
        description=text(entry.get("description"), file, f"{where}.description"),
        source=text(entry.get("source"), file, f"{where}.source"),
        scenario=os.path.normpath(os.path.join(os.path.dirname(file), scenario)),
        expressions=_expressions(entry.get("expression"), file, f"{where}.expression"),
        per=_expressions(entry.get("per"), file, f"{where}.per"),
        relation=relation,
        observed=number(entry.get("observed"), file, f"{where}.observed"),
        tolerance=tolerance,
        tolerance_note=text(entry.get("tolerance_note"), file, f"{where}.tolerance_note"),
        use=use,
        reason=reason,
    )


def _expressions(value: object, file: str, key: str) -> tuple[Expression, ...]:
    """The parsed expression or list of expressions ``value``; none when it is absent."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise InputError("expected an indicator expression NAME@SUMMARY or a list of them",
                         file=file, key=key)
    out = []
    for item in items:
        try:
            out.append(parse(item, where=file))
        except InputError as exc:
            raise InputError(exc.message, file=file, key=f"{key} {item!r}") from None
    return tuple(out)
