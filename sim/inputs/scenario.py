"""Scenario files: what one simulation run is, as a strictly checked TOML file.

A scenario names a municipality set-up and its policies by overriding registry parameters, and
may change them at dated *phases* (a new housing service starting in 2015-08, say)::

    [scenario]
    name = "Verdal"                 # required unless inherited via extends
    description = "..."             # optional; inherited if absent
    extends = "baseline.toml"       # optional, a path relative to THIS file
    start = "2012-01"               # first reported month; inherited; default 2012-01
    years = 10                      # reported run length, an integer 1..100; inherited;
                                    # default 10
    burn_in = 24                    # years simulated before start and not reported, an
                                    # integer 0..50; inherited; default DEFAULT_BURN_IN

    [municipality]                  # every other key is a parameter override,
    inhabitants = 15000             # flattened to a dotted path: municipality.inhabitants

    [[phases]]                      # dated changes; other keys are parameter overrides
    start = "2015-08"
    label = "Housing service starts"
    policy.rotation.contract_years = 3

A run first simulates ``burn_in`` years before ``start`` under the start values (the top-level
tables), so that the reported months begin from a state the model could be in rather than
from the drawn population (docs/ODD.md, 5 Initialization). A phase may start at ``start``
itself: a reform that comes into force in the first reported month, after a burn-in under the
practice before it (Verdal's 2013 review). Every other phase starts after ``start``.

Values are resolved in the order registry defaults <- ``extends`` chain (base first) <- this
file <- command-line ``--set`` overrides. Phases of an extended file are inherited; a phase of
the child with the same start date as one of the parent's is merged over it.

Every mistake is an :class:`~sim.inputs.errors.InputError` naming the file and the key, with the
allowed values, so the CLI can print one line instead of a traceback. Phases are named in
messages as ``phases[N]``, counting from 1 in the order they are written in their file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from sim.inputs.calendar import format_month, months_between, parse_month
from sim.inputs.checks import number, read_toml, text
from sim.inputs.errors import InputError
from sim.inputs.registry import Registry, Value

#: The keys allowed in the ``[scenario]`` table.
SCENARIO_KEYS = ("name", "description", "extends", "start", "years", "burn_in")
#: First reported month when no file in the ``extends`` chain sets ``start``.
DEFAULT_START = "2012-01"
#: Reported run length in years when no file in the ``extends`` chain sets ``years``.
DEFAULT_YEARS = 10
#: Longest run allowed, in years.
MAX_YEARS = 100
#: Years simulated before ``start`` when no file in the ``extends`` chain sets ``burn_in``:
#: the shortest whole number of years after which no stock indicator of the bundled scenarios
#: drifts in the first reported year beyond its noise (measured in docs/ODD.md, 5
#: Initialization).
DEFAULT_BURN_IN = 24

#: The bundled traditional practice: the baseline scenario, and the counterfactual a municipal
#: model is set against in the same municipality (:meth:`Scenario.with_practice_of`).
BASELINE_FILE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
#: Longest burn-in allowed, in years.
MAX_BURN_IN = 50

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Phase:
    """A dated change of parameters.

    Attributes:
        start: first month the change is in force, ``'YYYY-MM'``.
        label: short human-readable name, shown in plots and reports.
        params: the parameters it changes, ``{dotted path: value}``, already validated.
    """

    start: str
    label: str
    params: dict[str, Value]


@dataclass
class Scenario:
    """A fully resolved scenario: every registry parameter has a value.

    Two scenarios compare equal when they would simulate the same thing: same name, start,
    years, burn-in, parameters and phases (the fields :meth:`digest` hashes). Description,
    file and sources are documentation and provenance, and are not compared.

    Attributes:
        name: scenario name.
        description: free text.
        file: the file it was loaded from, or ``None`` if built in code.
        start: first reported month, ``'YYYY-MM'``.
        years: reported run length in years.
        params: every registry parameter's start value, ``{dotted path: value}``: in force
            during the burn-in and from ``start`` on, unless a phase at ``start`` changes it.
        phases: dated changes, sorted by start date, all inside the reported run (a phase at
            ``start`` comes into force in the first reported month).
        burn_in: years simulated before ``start`` under the start values and not reported.
        sources: files read to build it, base of the ``extends`` chain first, then each
            command-line ``--set PATH=VALUE`` it was loaded with (:func:`load_scenario`).
        registry: the registry the values were checked against (used by
            :meth:`with_overrides`); ``None`` means :data:`sim.inputs.parameters.REGISTRY`.
    """

    name: str
    description: str = field(compare=False)
    file: str | None = field(compare=False)
    start: str
    years: int
    params: dict[str, Value]
    phases: list[Phase] = field(default_factory=list)
    burn_in: int = DEFAULT_BURN_IN
    sources: list[str] = field(default_factory=list, compare=False)
    registry: Registry | None = field(default=None, compare=False, repr=False)

    @property
    def months(self) -> int:
        """Reported run length in months."""
        return self.years * 12

    @property
    def burn_in_months(self) -> int:
        """Months simulated before ``start``."""
        return self.burn_in * 12

    @property
    def simulated_months(self) -> int:
        """Months a run simulates: the burn-in's and the reported ones."""
        return self.burn_in_months + self.months

    def phase_months(self) -> list[tuple[int, Phase]]:
        """Each phase with the 0-based reported month index at which it comes into force."""
        return [(months_between(self.start, p.start), p) for p in self.phases]

    def params_at(self, month: int) -> dict[str, Value]:
        """The parameters in force at 0-based reported month index ``month``.

        Start values with every phase starting at or before ``month`` applied in date order;
        a negative ``month`` is a month of the burn-in, which runs under the start values.
        """
        values = dict(self.params)
        if month < 0:
            return values
        for at, phase in self.phase_months():
            if at > month:
                break
            values.update(phase.params)
        return values

    def with_overrides(self, values: Mapping[str, object], where: str = "--set", *,
                       throughout: bool = False, warn: bool = False) -> Scenario:
        """A copy with ``values`` checked against the registry and applied to the start values.

        An override holds from the start of the burn-in: a phase at ``start`` no longer
        changes it (the phase keeps its date and label, and the rest of its changes). Later
        phases still apply at their dates, so an override of a parameter that a later phase
        changes holds only until that phase — unless ``throughout``, when no phase changes it.

        Args:
            values: ``{dotted path: value}``, e.g. from :func:`parse_overrides`; numpy
                scalars are taken as the Python numbers and booleans they hold.
            where: what to name as the source in error messages.
            throughout: the override holds for the whole run (a variant of a practice, e.g.
                Verdal without its 2013 referral of families to the start-loan desk).
            warn: issue a :class:`PhaseOverrideWarning` for each later phase that changes a
                value given here (what a user who sets a parameter expects to hold, and
                what the command line's ``--set`` and the Python API do).

        Raises:
            InputError: for an unknown path, a wrong type or a value out of range.
        """
        plain = {k: _plain(v) for k, v in values.items()}
        checked = _registry(self.registry).validate(plain, where=where)
        phases = list(self.phases)
        for k, phase in enumerate(phases):
            if throughout or (k == 0 and phase.start == self.start):
                kept = {key: v for key, v in phase.params.items() if key not in checked}
                phases[k] = Phase(phase.start, phase.label, kept)
        out = dataclasses.replace(self, params={**self.params, **checked}, phases=phases,
                                  sources=list(self.sources))
        if warn:
            import warnings

            for note in out.phases_changing(checked, where=where):
                warnings.warn(note, PhaseOverrideWarning, stacklevel=2)
        return out

    def phases_changing(self, paths: Iterable[str], *, where: str = "--set") -> list[str]:
        """What each phase does to a value set at the start: one line per phase and
        parameter in ``paths`` that the phase changes, saying from when the value no longer
        holds (for a warning; :meth:`with_overrides` with ``throughout`` removes them)."""
        wanted = set(paths)
        return [f"{where} {path}: the scenario's phase {phase.start}"
                f"{f' ({phase.label})' if phase.label else ''} sets it to "
                f"{_toml_value(phase.params[path])}, so the value given holds only until then"
                for at, phase in self.phase_months() if at > 0
                for path in sorted(wanted & set(phase.params))]

    def with_length(self, *, years: int | None = None, burn_in: int | None = None
                    ) -> Scenario:
        """A copy run for ``years`` reported years (phases at or after the end of a shorter
        run are dropped, since the user asked for it) and ``burn_in`` years of burn-in;
        ``None`` keeps the scenario's.

        Raises:
            InputError: for a length or burn-in out of range.
        """
        out = dataclasses.replace(self, phases=list(self.phases), sources=list(self.sources))
        if years is not None:
            out.years = _check_years(years, where="--years", key=None)
            out.phases = [p for m, p in out.phase_months() if m < out.months]
        if burn_in is not None:
            out.burn_in = _check_burn_in(burn_in, where="burn_in", key=None)
        return out

    def with_practice_of(self, other: Scenario) -> Scenario:
        """The same municipality under ``other``'s practice: a counterfactual for comparison.

        Every parameter of kind ``policy`` takes the value in force at ``other``'s start (a
        phase at its start included) and the phases are dropped, so the burn-in too runs under
        ``other``'s practice; the municipality's context (size, stock, population, markets) as
        it is at its start, its start, length and burn-in stay. Used to set a municipal model
        against traditional practice in the same place.
        """
        registry = _registry(self.registry)
        practice = other.params_at(0)
        params = {k: (practice[k] if registry[k].kind == "policy" else v)
                  for k, v in self.params_at(0).items()}
        return dataclasses.replace(self, name=f"{self.name}, {other.name.lower()} practice",
                                   params=params, phases=[], sources=list(self.sources))

    def to_toml(self) -> str:
        """The fully resolved scenario as TOML, for provenance and exact re-runs.

        Contains ``[scenario]`` (name, description, start, years, burn-in; no ``extends``),
        every parameter nested in tables, and ``[[phases]]`` with dotted parameter keys.
        Loading the text back gives an equal :class:`Scenario`.
        """
        doc: dict[str, object] = {
            "scenario": {
                "name": self.name, "description": self.description,
                "start": self.start, "years": self.years, "burn_in": self.burn_in,
            }
        }
        for path, value in self.params.items():
            _nest(doc, path, value)
        head = "# Resolved scenario written by boligsim"
        if self.sources:
            head += "; from " + ", ".join(self.sources)
        parts = [head.replace("\n", " "), "", tomli_w.dumps(doc).rstrip("\n")]
        for phase in self.phases:
            parts += ["", "[[phases]]", f"start = {_toml_value(phase.start)}",
                      f"label = {_toml_value(phase.label)}"]
            parts += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in phase.params.items()]
        return "\n".join(parts) + "\n"

    def digest(self) -> str:
        """SHA-256 hex digest of name, start, years, burn-in, parameters and phases.

        Computed over canonical JSON (sorted keys, no whitespace), so it identifies what is
        simulated independently of how the files were laid out; used as the scenario hash in
        provenance records.
        """
        payload = {
            "name": self.name,
            "start": self.start,
            "years": self.years,
            "burn_in": self.burn_in,
            "params": self.params,
            "phases": [
                {"start": p.start, "label": p.label, "params": p.params} for p in self.phases
            ],
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_overrides(items: Sequence[str]) -> dict[str, object]:
    """Parse command-line overrides ``PATH=VALUE`` into ``{path: value}``.

    ``VALUE`` is read as a TOML value (``true``, ``3``, ``2.5``, ``"sifo"``); text that is not
    valid TOML is taken as a bare string, so ``policy.startloan.budget_standard=actual`` works.
    Values are not checked here; see :meth:`Scenario.with_overrides`.

    Raises:
        InputError: (file ``--set``) for an item without ``=`` or with an empty path.
    """
    if isinstance(items, str):
        items = [items]
    out: dict[str, object] = {}
    for item in items:
        path, sep, text = item.partition("=") if isinstance(item, str) else ("", "", "")
        path = path.strip()
        if not sep or not path:
            raise InputError(f"expected PATH=VALUE, got {item!r}", file="--set")
        out[path] = _parse_value(text.strip())
    return out


def load_scenario(
    path: str | os.PathLike[str],
    *,
    registry: Registry | None = None,
    overrides: Sequence[str] = (),
    years: int | None = None,
    burn_in: int | None = None,
) -> Scenario:
    """Load, check and fully resolve a scenario file.

    Args:
        path: the scenario TOML file.
        registry: the parameters to check against; ``None`` means
            :data:`sim.inputs.parameters.REGISTRY`.
        overrides: ``PATH=VALUE`` strings from ``--set``, applied last to the start values.
        years: run length from ``--years``, replacing the file's. Phases that then fall at or
            after the end of the shorter run are dropped, since the user asked for it.
        burn_in: years of burn-in, replacing the file's (0 for tests whose subject is not
            the start, to run faster).

    Raises:
        InputError: for any problem in the files or the arguments (see the module docstring).
    """
    registry = _registry(registry)
    file = os.path.normpath(os.fspath(path))
    layer = _load_file(file, registry, ())
    if layer.name is None:
        raise InputError(
            "missing; give the scenario a name here or in a file it extends",
            file=file, key="scenario.name",
        )
    scenario = Scenario(
        name=layer.name,
        description=layer.description or "",
        file=file,
        start=layer.start,
        years=layer.years,
        params=layer.params,
        phases=[d.phase for d in layer.phases],
        burn_in=layer.burn_in,
        sources=layer.sources,
        registry=registry,
    )
    if years is not None or burn_in is not None:
        scenario = scenario.with_length(years=years, burn_in=burn_in)
    if overrides:
        scenario = scenario.with_overrides(parse_overrides(overrides), warn=True)
        # recorded beside the files, so summary.json and provenance.json say what was set
        scenario.sources.extend(f"--set {item.strip()}" for item in overrides)
    return scenario


class PhaseOverrideWarning(UserWarning):
    """A value given for a parameter that a later phase of the scenario changes: it holds only
    until that phase (:meth:`Scenario.with_overrides`)."""


def as_scenario(scenario: str | os.PathLike[str] | Scenario, *, years: int | None = None,
                burn_in: int | None = None) -> Scenario:
    """The scenario the Python API is given, as a file or a :class:`Scenario`: loaded if a
    file, with ``years`` and ``burn_in`` replacing its own (``None`` keeps them).

    Raises:
        TypeError: for anything else.
        InputError: for a problem in the file or the length.
    """
    if isinstance(scenario, (str, os.PathLike)):
        return load_scenario(scenario, years=years, burn_in=burn_in)
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario: expected a scenario file or a Scenario, got "
                        f"{type(scenario).__name__}")
    if years is None and burn_in is None:
        return scenario
    return scenario.with_length(years=years, burn_in=burn_in)


# --- internals ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A numpy integer, float or boolean (what samplers and arrays hand out) as the Python
    value it holds; anything else as it is. Recognised without importing numpy, for the
    command line's sake."""
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        return value.item()
    return value


@dataclass
class _PhaseDecl:
    """A phase with where it was written, for error messages."""

    phase: Phase
    file: str
    index: int  # 1-based, in its file


@dataclass
class _Layer:
    """A file resolved together with the files it extends."""

    name: str | None
    description: str | None
    start: str
    years: int
    burn_in: int
    params: dict[str, Value]
    phases: list[_PhaseDecl]
    sources: list[str]


def _registry(registry: Registry | None) -> Registry:
    if registry is None:
        from sim.inputs.parameters import REGISTRY

        return REGISTRY
    return registry


def _load_file(file: str, registry: Registry, chain: tuple[tuple[str, str], ...]) -> _Layer:
    """Read ``file`` and everything it extends; ``chain`` holds (real path, shown path) of the
    files extending it, child last, for detecting circles."""
    data = read_toml(file)
    table = data.get("scenario", {})
    if not isinstance(table, dict):
        raise InputError("expected a table [scenario]", file=file, key="scenario")
    own = _scenario_table(table, file, registry)
    params = _file_params(data, registry, file)
    own_phases = _file_phases(data.get("phases", []), registry, file)

    if "extends" in table:
        parent = _load_parent(file, table["extends"], registry, chain)
    else:
        parent = _Layer(None, None, DEFAULT_START, DEFAULT_YEARS, DEFAULT_BURN_IN,
                        registry.defaults(), [], [])
    inherited = {"name": parent.name, "description": parent.description,
                 "start": parent.start, "years": parent.years, "burn_in": parent.burn_in}
    layer = _Layer(
        **{**inherited, **own},
        params={**parent.params, **params},
        phases=_merge_phases(parent.phases, own_phases),
        sources=[*parent.sources, file],
    )
    _check_phases_in_run(layer, file)
    return layer


def _scenario_table(table: Mapping[str, object], file: str, registry: Registry
                    ) -> dict[str, Any]:
    """The checked values the ``[scenario]`` table of ``file`` sets itself (those it does
    not set are inherited), by key: name, description, start, years, burn_in."""
    for key, value in table.items():
        if key not in SCENARIO_KEYS:
            hint = ""
            if isinstance(value, dict) or any(p.startswith(f"{key}.") for p in registry):
                hint = "; parameters go outside [scenario], e.g. in their own tables"
            raise InputError(
                f"unknown key; allowed keys are {', '.join(SCENARIO_KEYS)}{hint}",
                file=file, key=f"scenario.{key}",
            )
    own: dict[str, Any] = {}
    if "name" in table:
        text(table["name"], file, "scenario.name")
        own["name"] = table["name"]
    if "description" in table:
        text(table["description"], file, "scenario.description", required=False)
        own["description"] = table["description"]
    if "start" in table:
        own["start"] = format_month(parse_month(table["start"], where=file,
                                                key="scenario.start"))
    if "years" in table:
        own["years"] = _check_years(table["years"], where=file, key="scenario.years")
    if "burn_in" in table:
        own["burn_in"] = _check_burn_in(table["burn_in"], where=file, key="scenario.burn_in")
    return own


def _load_parent(file: str, extends: object, registry: Registry,
                 chain: tuple[tuple[str, str], ...]) -> _Layer:
    """Resolve the ``extends`` target of ``file`` and load it."""
    key = "scenario.extends"
    if not isinstance(extends, str) or not extends.strip():
        raise InputError(f"expected a file name (relative to this file), got {extends!r}",
                         file=file, key=key)
    target = os.path.normpath(os.path.join(os.path.dirname(file), extends))
    chain = (*chain, (os.path.realpath(file), file))
    real = os.path.realpath(target)
    seen = [real_path for real_path, _ in chain]
    if real in seen:
        names = [shown for _, shown in chain[seen.index(real):]] + [target]
        raise InputError(f"circular extends: {' -> '.join(names)}", file=file, key=key)
    if not os.path.isfile(target):
        raise InputError(f"{target} not found (the path is relative to this file)",
                         file=file, key=key)
    return _load_file(target, registry, chain)


def _flatten(table: Mapping[str, object], prefix: str, out: dict[str, object], file: str
             ) -> dict[str, object]:
    """Flatten nested tables into ``{dotted path: value}``."""
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(value, path, out, file)
        elif path in out:
            raise InputError("given twice", file=file, key=path)
        else:
            out[path] = value
    return out


def _file_params(data: Mapping[str, object], registry: Registry, file: str
                 ) -> dict[str, Value]:
    """The checked parameter overrides of one file (everything but [scenario] and phases)."""
    raw: dict[str, object] = {}
    for key, value in data.items():
        if key in ("scenario", "phases"):
            continue
        if key in SCENARIO_KEYS and not isinstance(value, dict):
            raise InputError("belongs in the [scenario] table", file=file, key=key)
        _flatten({key: value}, "", raw, file)
    return registry.validate(raw, where=file)


def _file_phases(raw: object, registry: Registry, file: str) -> list[_PhaseDecl]:
    """The checked phases of one file, which must be in strictly increasing date order."""
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise InputError("expected an array of tables [[phases]]", file=file, key="phases")
    decls: list[_PhaseDecl] = []
    for index, entry in enumerate(raw, start=1):
        key = f"phases[{index}]"
        if "start" not in entry:
            raise InputError("phase has no start; add start = 'YYYY-MM'", file=file,
                             key=f"{key}.start")
        start = format_month(parse_month(entry["start"], where=file, key=f"{key}.start"))
        label = entry.get("label", "")
        if not isinstance(label, str):
            raise InputError(f"expected a string, got {label!r}", file=file, key=f"{key}.label")
        raw_params = _flatten({k: v for k, v in entry.items() if k not in ("start", "label")},
                              "", {}, file)
        params: dict[str, Value] = {}
        for path, value in raw_params.items():
            try:
                params[path] = registry.lookup(path, where=file).check(value, where=file)
            except InputError as exc:
                raise InputError(exc.message, file=file, key=f"{key}.{path}") from None
        if decls and parse_month(start) <= parse_month(decls[-1].phase.start):
            prev = decls[-1]
            raise InputError(
                f"{start} is not after {prev.phase.start} of phases[{prev.index}]; "
                "list phases in date order, one per date",
                file=file, key=f"{key}.start",
            )
        decls.append(_PhaseDecl(Phase(start, label, params), file, index))
    return decls


def _merge_phases(parent: list[_PhaseDecl], child: list[_PhaseDecl]) -> list[_PhaseDecl]:
    """Inherited phases plus the child's; a child phase on a parent's date merges over it."""
    by_start = {d.phase.start: d for d in parent}
    for decl in child:
        old = by_start.get(decl.phase.start)
        if old is not None:
            phase = Phase(
                start=decl.phase.start,
                label=decl.phase.label or old.phase.label,
                params={**old.phase.params, **decl.phase.params},
            )
            decl = _PhaseDecl(phase, decl.file, decl.index)
        by_start[decl.phase.start] = decl
    return sorted(by_start.values(), key=lambda d: parse_month(d.phase.start))


def _check_phases_in_run(layer: _Layer, file: str) -> None:
    """Every phase must start in the reported run: at its first month (a reform after the
    burn-in) or later, and before its end."""
    first = parse_month(layer.start)
    end = first + layer.years * 12
    for decl in layer.phases:
        at = parse_month(decl.phase.start)
        if not first <= at < end:
            where = "" if decl.file == file else f" set by {file}"
            raise InputError(
                f"phase {decl.phase.label!r} at {decl.phase.start} is outside the run{where}: "
                f"a phase must start from {layer.start} and before {format_month(end)}",
                file=decl.file, key=f"phases[{decl.index}].start",
            )


def _check_years(value: object, *, where: str, key: str | None) -> int:
    return number(value, where, key, integer=True, low=1, high=MAX_YEARS, unit="years")


def _check_burn_in(value: object, *, where: str, key: str | None) -> int:
    return number(value, where, key, integer=True, low=0, high=MAX_BURN_IN, unit="years")


def _parse_value(text: str) -> object:
    """A TOML value, or ``text`` itself if it is not one."""
    try:
        parsed = tomllib.loads(f"v = {text}")
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):  # then the text itself, which
        return text                                                 # the registry refuses
    return parsed["v"] if list(parsed) == ["v"] else text


def _nest(doc: dict[str, object], path: str, value: Value) -> None:
    """Put ``value`` at dotted ``path`` in nested dicts."""
    *tables, leaf = path.split(".")
    node = doc
    for part in tables:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ValueError(f"parameter {path} is nested under parameter {part}")
        node = child
    if leaf in node:
        raise ValueError(f"parameter {path} has parameters nested under it")
    node[leaf] = value


def _toml_key(path: str) -> str:
    """A dotted TOML key, quoting the parts that are not bare keys."""
    return ".".join(p if _BARE_KEY.fullmatch(p) else json.dumps(p) for p in path.split("."))


def _toml_value(value: Value) -> str:
    """One value in TOML syntax, as tomli_w writes it."""
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")
