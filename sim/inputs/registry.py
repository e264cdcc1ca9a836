"""The parameter registry: one strict, documented entry per parameter.

Every number the model uses comes through here. Each :class:`Param` carries its dotted path,
default, unit, type, valid range (or allowed choices), description, kind and source, in the
manner of PolicyEngine's cited parameters. Scenario files only override registry values; the
registry also defines SALib problems, dashboard sliders and the generated parameter reference.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sim.inputs.errors import InputError

#: The four kinds of parameter (docs/parameters.md explains them).
KINDS = ("policy", "context", "calibrated", "assumption")

Value = bool | int | float | str


@dataclass(frozen=True)
class Param:
    """One parameter.

    Attributes:
        path: dotted name, e.g. ``policy.rotation.contract_years``.
        default: value used when no scenario overrides it.
        unit: unit of the value (``NOK/month``, ``1/year``, ``share``, ``years``, ...).
        description: what it means and how the model uses it.
        kind: ``policy`` (a municipal lever), ``context`` (an observed input with a source),
            ``calibrated`` (fitted to a target) or ``assumption`` (said so plainly).
        source: where the value comes from: the key of an entry in ``docs/sources.md``
            (``SSB (2014)``, ``Røe (2018) §3.1.1``) and the fact taken from it or, for an
            assumption, the reasoning behind it.
        bounds: inclusive ``(low, high)`` for numbers; ``None`` for bool and str.
        choices: the allowed values of a str parameter.
        plausible: for a number of kind ``assumption`` or ``calibrated``, the ``(low, high)``
            that plausible worlds (:mod:`sim.analysis.worlds`) draw it from, where the valid
            ``bounds`` are wider than plausible; ``None`` for the default rule there (a band
            around the value a scenario uses).
        plausible_reason: why ``plausible`` is that range, or why a parameter is fixed.
        fixed_in_worlds: a definition or an institution's rule, not an uncertain rate:
            plausible worlds leave it as the scenario sets it.
    """

    path: str
    default: Value
    unit: str
    description: str
    kind: str
    source: str
    bounds: tuple[float, float] | None = None
    choices: tuple[str, ...] = field(default=())
    plausible: tuple[float, float] | None = None
    plausible_reason: str = ""
    fixed_in_worlds: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.path}: kind {self.kind!r} not in {KINDS}")
        if isinstance(self.default, (int, float)) and not isinstance(self.default, bool):
            if self.bounds is None:
                raise ValueError(f"{self.path}: numeric parameter needs bounds")
        if isinstance(self.default, str) and not self.choices:
            raise ValueError(f"{self.path}: string parameter needs choices")
        if self.plausible is not None:
            lo, hi = self.plausible
            if self.bounds is None or not self.bounds[0] <= lo < hi <= self.bounds[1]:
                raise ValueError(f"{self.path}: plausible range {self.plausible} must lie "
                                 f"within the bounds {self.bounds}, low below high")
        if (self.plausible is not None or self.fixed_in_worlds) and not self.plausible_reason:
            raise ValueError(f"{self.path}: a plausible range or fixing needs its reason")
        self.check(self.default, where="registry")

    @property
    def type(self) -> type:
        """The Python type of the value: bool, int, float or str."""
        return type(self.default)

    @property
    def limits(self) -> tuple[float, float]:
        """The inclusive ``(low, high)`` of a number parameter."""
        if self.bounds is None:
            raise TypeError(f"{self.path} is not a number parameter")
        return self.bounds

    def allowed(self) -> str:
        """Human-readable description of the allowed values."""
        if self.type is bool:
            return "true or false"
        if self.type is str:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        lo, hi = self.limits
        kind = "an integer" if self.type is int else "a number"
        return f"{kind} from {_fmt(lo)} to {_fmt(hi)} ({self.unit})"

    def check(self, value: object, *, where: str | None = None) -> Value:
        """Return ``value`` converted to this parameter's type, or raise :class:`InputError`.

        Integers are accepted for float parameters; nothing else is converted.
        """
        t = self.type
        if t is bool and isinstance(value, bool):
            return value
        if t is str and isinstance(value, str):
            if value not in self.choices:
                raise InputError(f"{value!r} is not allowed; expected {self.allowed()}",
                                 file=where, key=self.path)
            return value
        if (t in (int, float) and isinstance(value, (int, float))
                and not isinstance(value, bool) and (t is float or isinstance(value, int))):
            lo, hi = self.limits
            v = float(value)
            if not (lo <= v <= hi) or v != v:
                raise InputError(f"{value!r} is out of range; expected {self.allowed()}",
                                 file=where, key=self.path)
            return v if t is float else int(value)
        raise InputError(f"expected {self.allowed()}, got {value!r}", file=where, key=self.path)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class Registry(Mapping[str, Param]):
    """An ordered, read-only collection of :class:`Param` keyed by dotted path."""

    def __init__(self, params: Iterable[Param]):
        self._params: dict[str, Param] = {}
        for p in params:
            if p.path in self._params:
                raise ValueError(f"duplicate parameter {p.path}")
            self._params[p.path] = p

    def __getitem__(self, path: str) -> Param:
        return self._params[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def defaults(self) -> dict[str, Value]:
        """All parameters at their default values, as ``{path: value}``."""
        return {path: p.default for path, p in self._params.items()}

    def nearest(self, path: str) -> str | None:
        """The known path closest to a mistyped one, or ``None``."""
        hits = difflib.get_close_matches(path, list(self._params), n=1, cutoff=0.6)
        if not hits:  # a misspelt last part under a right prefix, e.g. policy.x.contrct_years
            leaf = path.rsplit(".", 1)[-1]
            leaves = {p.rsplit(".", 1)[-1]: p for p in self._params}
            close = difflib.get_close_matches(leaf, list(leaves), n=1, cutoff=0.75)
            hits = [leaves[close[0]]] if close else []
        return hits[0] if hits else None

    def lookup(self, path: str, *, where: str | None = None) -> Param:
        """The parameter at ``path``, or an :class:`InputError` suggesting the nearest key."""
        try:
            return self._params[path]
        except KeyError:
            near = self.nearest(path)
            hint = f"; did you mean {near!r}?" if near else ""
            raise InputError(f"unknown parameter{hint}", file=where, key=path) from None

    def validate(self, values: Mapping[str, object], *, where: str | None = None
                 ) -> dict[str, Value]:
        """Check every ``{path: value}`` against the registry; return the converted values."""
        return {k: self.lookup(k, where=where).check(v, where=where) for k, v in values.items()}

    def by_kind(self, kind: str) -> list[Param]:
        """The parameters of one kind, in registry order."""
        return [p for p in self._params.values() if p.kind == kind]
