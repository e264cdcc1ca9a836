"""What the report says about each municipality, set beside what the model gives.

``python -m sim.analysis.statements [FILE] [--replications R] [--seed S] [--only ID,...]
[--update docs/scenarios.md]``
reads the report's statements (``calibration/statements.toml``), runs each municipality's
scenario and the same municipality under baseline practice with common random numbers, and
prints one Markdown table a municipality: *the report says | the model gives | against
baseline practice | agrees?*. ``docs/scenarios.md`` shows those tables.

A statement is one of three kinds:

- ``level``: a number the report gives (``relation`` ``eq``, ``ge`` or ``le`` an ``observed``
  value, within a ``tolerance``) — agrees when the model's mean is within it;
- ``direction``: a difference the report states (``more`` or ``fewer``) against the same
  municipality under baseline practice, or under a ``variant`` of its own practice (overrides,
  as with ``--set``, holding for the whole run) — agrees when the paired difference's 95 %
  interval lies on that side, disagrees when it lies on the other, and is *not clear of noise*
  otherwise; ``not_more`` and ``not_fewer`` (the report rules out one side only) disagree
  only when the interval lies on the side ruled out;
- ``unrepresented``: something the report tells that the model cannot represent, with why.

A statement that is also a calibration target (``target``) agrees by construction as far as the
fit goes: its row says *fitted*. The intervals say how sure the model is of itself, not how sure
we are of the model (docs/validation.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.analysis.calibration.targets import within_tolerance
from sim.inputs import checks
from sim.inputs.errors import InputError
from sim.inputs.expressions import Expression, parse
from sim.inputs.scenario import BASELINE_FILE, Scenario, load_scenario, parse_overrides
from sim.run.results import mean_ci
from sim.run.runner import run_scenario

#: The bundled statements.
STATEMENTS_FILE = Path(__file__).resolve().parents[2] / "calibration" / "statements.toml"
KINDS = ("level", "direction", "unrepresented")
RELATIONS = {"level": ("eq", "ge", "le"),
             "direction": ("more", "fewer", "not_more", "not_fewer")}
KEYS = ("id", "scenario", "says", "source", "kind", "expression", "per", "relation",
        "observed", "tolerance", "variant", "target", "note")


@dataclass(frozen=True)
class Statement:
    """One statement of the report about one municipality (see the module's docstring)."""

    id: str
    scenario: Path
    says: str
    source: str
    kind: str
    expression: Expression | None = None
    per: Expression | None = None
    relation: str = ""
    observed: float = 0.0
    tolerance: float = 0.0
    variant: tuple[str, ...] = ()
    target: str = ""
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """What the model gives for a statement: the model's value with its interval, the paired
    difference against the comparator with its interval (NaN where not computed), and the
    verdict."""

    statement: Statement
    value: tuple[float, float, float]
    diff: tuple[float, float, float]
    verdict: str


def load(file: str | Path = STATEMENTS_FILE) -> list[Statement]:
    """The statements of ``file``; a mistake is an :class:`InputError` naming the key."""
    where = str(file)
    data = checks.read_toml(where, "statements file")
    checks.reject_unknown_tables(data, ("statements",), where)
    rows = data.get("statements")
    if not isinstance(rows, list) or not rows:
        raise InputError("expected [[statements]] entries", file=where, key="statements")
    out: list[Statement] = []
    for k, row in enumerate(rows):
        s = _statement(row, f"statements[{k}]", where)
        if any(s.id == other.id for other in out):
            raise InputError("duplicate id", file=where, key=f"statements[{k}].id")
        out.append(s)
    return out


def _statement(row: object, at: str, where: str) -> Statement:
    """One checked ``[[statements]]`` entry (``at`` names it in messages)."""
    if not isinstance(row, dict):
        raise InputError("expected a table", file=where, key=at)
    checks.reject_unknown_keys(row, KEYS, where, at)
    kind = checks.choice(row.get("kind"), KINDS, where, f"{at}.kind")
    path = Path(where).parent / checks.text(row.get("scenario"), where, f"{at}.scenario")
    if not path.is_file():
        raise InputError(f"no such scenario file: {path}", file=where, key=f"{at}.scenario")
    fields: dict = {"id": checks.text(row.get("id"), where, f"{at}.id"), "scenario": path,
                    "kind": kind, "says": checks.text(row.get("says"), where, f"{at}.says"),
                    "source": checks.text(row.get("source"), where, f"{at}.source"),
                    "note": checks.text(row.get("note"), where, f"{at}.note", required=False),
                    "target": checks.text(row.get("target"), where, f"{at}.target",
                                          required=False)}
    if kind == "unrepresented":
        if not fields["note"]:
            raise InputError("say why the model cannot represent it", file=where,
                             key=f"{at}.note")
        return Statement(**fields)
    fields["expression"] = parse(row.get("expression"), where=f"{where}: {at}.expression")
    if row.get("per") is not None:
        fields["per"] = parse(row["per"], where=f"{where}: {at}.per")
    fields["relation"] = checks.choice(row.get("relation"), RELATIONS[kind], where,
                                       f"{at}.relation")
    if kind == "level":
        fields["observed"] = checks.number(row.get("observed"), where, f"{at}.observed")
        fields["tolerance"] = checks.number(row.get("tolerance"), where, f"{at}.tolerance",
                                            low=0)
    variant = row.get("variant", [])
    if not isinstance(variant, list) or not all(isinstance(v, str) for v in variant):
        raise InputError("expected a list of PATH=VALUE overrides", file=where,
                         key=f"{at}.variant")
    fields["variant"] = tuple(variant)
    return Statement(**fields)


def _values(s: Statement, data: np.ndarray, start: str) -> np.ndarray:
    """The statement's expression for each replication (a share: the ratio of the run's
    numerator and denominator, per replication, NaN where the denominator is 0)."""
    assert s.expression is not None
    x = s.expression.value(data, start).astype(float)
    if s.per is None:
        return x
    den = s.per.value(data, start).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, x / np.where(den > 0, den, 1), np.nan)


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return (np.nan, np.nan, np.nan)
    mean, lo, hi = mean_ci(values)
    return float(mean), float(lo), float(hi)


def verdict(s: Statement, value: tuple[float, float, float],
            diff: tuple[float, float, float]) -> str:
    """``yes``, ``no``, ``not clear of noise`` or ``not represented``; for a calibration
    target ``yes (fitted)`` or ``no (missed by the fit)``."""
    if s.kind == "unrepresented":
        return "not represented"
    if s.kind == "level":
        ok = within_tolerance(value[0], s.observed, s.tolerance, s.relation)
        out = "yes" if ok else "no"
    else:
        _, lo, hi = diff
        if s.relation in ("not_more", "not_fewer"):  # only the wrong side clear of noise fails
            out = "no" if (lo > 0 if s.relation == "not_more" else hi < 0) else "yes"
        else:
            side, other = (lo > 0, hi < 0) if s.relation == "more" else (hi < 0, lo > 0)
            out = "yes" if side else "no" if other else "not clear of noise"
    if s.target:
        return f"{out} (fitted)" if out == "yes" else f"{out} (missed by the fit)"
    return out


def evaluate(statements: Sequence[Statement], *, replications: int = 20, seed: int = 1
             ) -> list[Finding]:
    """Run what the statements need — each scenario, the same municipality under baseline
    practice, and any variant, with the same seeds — and judge every statement."""
    baseline = load_scenario(BASELINE_FILE)
    runs: dict[tuple[Path, tuple[str, ...] | None], tuple[np.ndarray, str]] = {}

    def run(path: Path, variant: tuple[str, ...] | None) -> tuple[np.ndarray, str]:
        if (path, variant) not in runs:
            sc: Scenario = load_scenario(path)
            if variant is None:
                sc = sc.with_practice_of(baseline)
            elif variant:
                sc = sc.with_overrides(parse_overrides(variant), where=f"variant of {path.name}",
                                       throughout=True)
            res = run_scenario(sc, replications=replications, seed=seed)
            runs[(path, variant)] = (res.data, sc.start)
        return runs[(path, variant)]

    found = []
    for s in statements:
        value = diff = (np.nan, np.nan, np.nan)
        if s.kind != "unrepresented":
            data, start = run(s.scenario, ())
            other, _ = run(s.scenario, s.variant if s.variant else None)
            mine = _values(s, data, start)
            value = _interval(mine)
            diff = _interval(mine - _values(s, other, start))
        found.append(Finding(s, value, diff, verdict(s, value, diff)))
    return found


def _num(x: float) -> str:
    if not np.isfinite(x):
        return "–"
    digits = 2 if abs(x) < 1 and x != 0 else 1
    return f"{x:,.{digits}f}".replace(",", " ")


def _cell(v: tuple[float, float, float]) -> str:
    mean, lo, hi = v
    if not np.isfinite(mean):
        return "–"
    return _num(mean) if lo == hi else f"{_num(mean)} ({_num(lo)} to {_num(hi)})"


def markdown(findings: Sequence[Finding], *, replications: int, seed: int) -> str:
    """One table a municipality, in the order of the statements, with the notes below."""
    out: list[str] = []
    by_scenario: dict[Path, list[Finding]] = {}
    for f in findings:
        by_scenario.setdefault(f.statement.scenario, []).append(f)
    for path, group in by_scenario.items():
        name = load_scenario(path).name
        out += [f"**{name}: what the report says and what the model gives** "
                f"({replications} paired replications, seed {seed}):", "",
                "| the report says | measured as | the model gives (95 % CI) | "
                "difference against baseline practice or the variant named (95 % CI) | "
                "agrees? |", "|---|---|---:|---:|---|"]
        notes = []
        for f in group:
            s = f.statement
            measured = "–" if s.expression is None else f"`{s.expression.text}`" + (
                f" / `{s.per.text}`" if s.per is not None else "")
            if s.variant:
                measured += " against " + ", ".join(f"`{v}`" for v in s.variant)
            out.append(f"| {s.says} ({s.source}) | {measured} | {_cell(f.value)} | "
                       f"{_cell(f.diff)} | {f.verdict} |")
            if s.note:
                notes.append(f"- *{s.says}* — {s.note}")
        out += [""] + notes + [""]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.analysis.statements",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=str(STATEMENTS_FILE))
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="scenario file stems, comma-separated "
                        "(e.g. verdal,stjordal)")
    parser.add_argument("--update", metavar="FILE.md",
                        help="replace each municipality's table in FILE.md (between its "
                             "'<!-- generated: statements STEM -->' markers) instead of "
                             "printing")
    args = parser.parse_args(argv)
    try:
        statements = load(args.file)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.only:
        keep = set(args.only.split(","))
        statements = [s for s in statements if s.scenario.stem in keep]
    findings = evaluate(statements, replications=args.replications, seed=args.seed)
    if args.update:
        from sim.run.marked import update_command

        blocks = {f"statements {stem}": markdown(
            [f for f in findings if f.statement.scenario.stem == stem],
            replications=args.replications, seed=args.seed)
            for stem in dict.fromkeys(f.statement.scenario.stem for f in findings)}
        return update_command(args.update, blocks)
    sys.stdout.write(markdown(findings, replications=args.replications, seed=args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
