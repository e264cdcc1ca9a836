"""Outcome tables of the municipal models next to traditional practice in the same place.

``python -m sim.present.tables scenarios/verdal.toml ... [--replications R] [--seed S]
[--update docs/scenarios.md]`` prints (or writes in place, between the document's
``<!-- generated: table verdal -->`` markers, :mod:`sim.run.marked`), for
every scenario, a Markdown table of key outcomes under the municipality's own model and under
baseline practice (``scenarios/baseline.toml``'s policy levers, same municipality, same seeds),
with the paired difference and its 95 % interval; given several scenarios, also a table of what
each model does to children, and where it does worse than baseline practice (the
``<!-- generated: children -->`` block). ``docs/scenarios.md`` is made with it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.inputs.indicators import INDEX
from sim.inputs.scenario import BASELINE_FILE, load_scenario
from sim.run.compare import Comparison, against_baseline
from sim.run.marked import update_command
from sim.run.results import RunResult, mean_ci
from sim.run.runner import run_scenario

#: Rows of the table: indicator, how to show it, and what its value is divided by (money in
#: millions, child-months in years).
ROWS = (
    ("children_municipal", "children in municipal dwellings, end", 1),
    ("homeless", "families homeless, end", 1),
    ("children_homeless", "children homeless with their parents, end", 1),
    ("child_moves", "children's moves within the municipality, whole run", 1),
    ("child_months_insecure", "child-years homeless or under notice to move, whole run", 12),
    ("owner_startloan", "families owning with a start loan, end", 1),
    ("families_in_work", "families in work, end", 1),
    ("social_assistance_recipients", "families on social assistance, end", 1),
    ("mean_months_in_municipal", "mean months in municipal dwelling, end", 1),
    ("vacant_municipal", "vacant municipal dwellings, end", 1),
    ("municipal_stock", "municipal and sublet dwellings, end", 1),
    ("startloans_granted", "start loans granted, whole run", 1),
    ("evictions", "evictions, whole run", 1),
    ("forced_sales_startloan", "start-loan forced sales, whole run", 1),
    ("social_assistance_nok", "social assistance, whole run (million NOK)", 1e6),
    ("municipal_net_cost_nok", "municipality's net cost, whole run (million NOK)", 1e6),
)


#: The row after ``child_moves``: how often a child moved, each replication's children's moves
#: over the run divided by the mean number of children living in the municipality.
MOVES_PER_CHILD = "moves per child, whole run"


def moves_per_child(res: RunResult) -> np.ndarray:
    """Each replication's moves per child over the run (the child perspective of Røe (2018)
    §1.2: low-income families move about twice as often as others)."""
    moves = res.data[:, :, INDEX["child_moves"]].sum(axis=1)
    children = res.data[:, :, INDEX["children"]].mean(axis=1)
    return moves / np.maximum(children, 1e-9)


def _fmt(x: float, scale: float = 1) -> str:
    return f"{x / scale:,.1f}".replace(",", " ")


@dataclass(frozen=True)
class Paired:
    """One model and the same municipality under baseline practice, run with the same seeds."""

    base: RunResult
    model: RunResult

    @property
    def name(self) -> str:
        return self.model.scenario.name

    def rows(self) -> dict[tuple[str, str], dict[str, object]]:
        """The comparison's rows by (indicator, scenario name)."""
        return {(r["indicator"], r["scenario"]): r
                for r in Comparison([self.base, self.model]).rows()}


def paired(path: str | Path, replications: int, seed: int) -> Paired:
    """Run the model of scenario file ``path`` and its municipality under baseline practice."""
    (base, model), _ = against_baseline([load_scenario(path)], load_scenario(BASELINE_FILE))
    return Paired(run_scenario(base, replications=replications, seed=seed),
                  run_scenario(model, replications=replications, seed=seed))


def table(path: str | Path | Paired, replications: int = 20, seed: int = 1) -> str:
    """The Markdown table for one scenario file (or its runs, already made)."""
    runs = path if isinstance(path, Paired) else paired(path, replications, seed)
    base, model = runs.base.scenario, runs.model.scenario
    rows = runs.rows()
    end = runs.model.dates[-1]
    lines = [f"**{model.name}**, {model.start} to {end}, {runs.model.replications} paired "
             f"replications (seed {runs.model.seed}):", "",
             f"| outcome | baseline practice | {model.name}'s model | difference (95 % CI) |",
             "|---|---:|---:|---:|"]
    for name, label, scale in ROWS:
        b, m = rows[(name, base.name)], rows[(name, model.name)]
        lines.append(f"| {label} | {_fmt(b['mean'], scale)} | {_fmt(m['mean'], scale)} | "
                     f"{_diff_cell(m, scale)} |")
        if name == "child_moves":
            lines.append(_per_child_row(runs))
    return "\n".join(lines) + "\n"


#: The children's outcomes set side by side for every model: for each, more is worse.
CHILD_OUTCOMES = (("child_months_insecure", "child-years homeless or under notice", 12),
                  ("children_homeless", "children homeless at the end", 1))


def children_table(runs: Sequence[Paired]) -> str:
    """Every model's difference for children against its own municipality under baseline
    practice, and where it does worse (the interval lies wholly above zero)."""
    head = [label for _, label, _ in CHILD_OUTCOMES] + [MOVES_PER_CHILD]
    lines = ["| model | " + " | ".join(head) + " | worse than baseline practice in |",
             "|---|" + "---:|" * len(head) + "---|"]
    for r in runs:
        rows, cells, worse = r.rows(), [], []
        for (name, label, scale) in CHILD_OUTCOMES:
            m = rows[(name, r.name)]
            cells.append(_diff_cell(m, scale))
            if float(m["diff_ci_low"]) > 0:  # type: ignore[arg-type]
                worse.append(label)
        d, lo, hi = _moves_per_child_diff(r)
        cells.append(f"{d:.2f} ({lo:.2f} to {hi:.2f})")
        if lo > 0:
            worse.append(MOVES_PER_CHILD)
        lines.append(f"| {r.name} | " + " | ".join(cells) + " | "
                     + ("; ".join(worse) or "–") + " |")
    reps, seed = runs[0].model.replications, runs[0].model.seed
    return (f"Differences against the same municipality under baseline practice, whole run "
            f"unless said, {reps} paired replications (seed {seed}):\n\n"
            + "\n".join(lines) + "\n")


def _diff_cell(row: Mapping[str, Any], scale: float) -> str:
    """A comparison row's paired difference with its 95 % interval: ``-4.8 (-7.7 to -1.9)``."""
    return (f"{_fmt(row['diff'], scale)} ({_fmt(row['diff_ci_low'], scale)} to "
            f"{_fmt(row['diff_ci_high'], scale)})")


def _moves_per_child_diff(runs: Paired) -> tuple[float, float, float]:
    """The paired difference in moves per child, model less baseline, and its 95 % interval."""
    d, lo, hi = mean_ci(moves_per_child(runs.model) - moves_per_child(runs.base))
    return float(d), float(lo), float(hi)


def _per_child_row(runs: Paired) -> str:
    """The moves-per-child row, with its paired difference (two decimals: a few moves)."""
    d, lo, hi = _moves_per_child_diff(runs)
    return (f"| {MOVES_PER_CHILD} | {moves_per_child(runs.base).mean():.2f} | "
            f"{moves_per_child(runs.model).mean():.2f} | {d:.2f} ({lo:.2f} to {hi:.2f}) |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.present.tables", description=__doc__)
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO.toml")
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--update", metavar="FILE.md",
                        help="replace each scenario's table in FILE.md (between its "
                             "'<!-- generated: table STEM -->' markers) instead of printing")
    args = parser.parse_args(argv)
    runs = {Path(path).stem: paired(path, args.replications, args.seed)
            for path in args.scenarios}
    tables = {f"table {stem}": table(r) for stem, r in runs.items()}
    if len(runs) > 1:
        tables["children"] = children_table(list(runs.values()))
    if args.update:
        return update_command(args.update, tables)
    for text in tables.values():
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
