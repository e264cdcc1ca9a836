"""Paired comparison of scenarios: means, 95 % intervals, and differences against a reference.

Replication ``k`` of every scenario shares its random numbers with replication ``k`` of the
reference (common random numbers), so the difference is taken replication by replication and its
interval reflects only how the policy's effect varies, not the luck of two separate samples.
Writes ``comparison.csv`` exactly as design.md specifies.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.run.runner import RunResult

#: Columns of ``comparison.csv`` (design.md).
COLUMNS = ("indicator", "scenario", "mean", "ci_low", "ci_high", "diff", "diff_ci_low",
           "diff_ci_high")

#: Indicators shown in figures and headline tables, in this order.
KEY_INDICATORS = ("children_municipal", "homeless", "owner_startloan", "families_in_work",
                  "social_assistance_recipients", "evictions", "startloans_granted",
                  "social_assistance_nok", "municipal_net_cost_nok", "vacant_municipal")


def mean_ci(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over axis 0 and its t-based 95 % interval (zero width with one replication)."""
    from scipy import stats

    values = np.asarray(values, dtype=float)
    r = values.shape[0]
    mean = values.mean(axis=0)
    if r < 2:
        return mean, mean.copy(), mean.copy()
    half = stats.t.ppf(0.975, r - 1) * values.std(axis=0, ddof=1) / np.sqrt(r)
    return mean, mean - half, mean + half


def welch_halfwidth(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Half-width of the 95 % interval of mean(b) - mean(a) if the runs were *not* paired."""
    from scipy import stats

    va, vb = a.var(axis=0, ddof=1) / len(a), b.var(axis=0, ddof=1) / len(b)
    se = np.sqrt(va + vb)
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    dof = np.where(np.isfinite(dof) & (dof > 0), dof, len(a) + len(b) - 2)
    return stats.t.ppf(0.975, dof) * se


@dataclass
class Comparison:
    """Scenarios run with the same seed and replications; the first is the reference."""

    results: list[RunResult]

    def __post_init__(self) -> None:
        if not self.results:
            raise ValueError("nothing to compare")
        r = {res.replications for res in self.results}
        seeds = {res.seed for res in self.results}
        if len(r) != 1 or len(seeds) != 1:
            raise ValueError("paired comparison needs the same seed and replications")

    @property
    def names(self) -> tuple[str, ...]:
        return self.results[0].names

    def rows(self) -> list[dict[str, object]]:
        """One row per indicator and scenario, in indicator order then scenario order."""
        ref = self.results[0].run_values()
        stats = []
        for res in self.results:
            v = res.run_values()
            stats.append((res.scenario.name, mean_ci(v), mean_ci(v - ref)))
        out = []
        for k, name in enumerate(self.names):
            for scen, (m, lo, hi), (d, dlo, dhi) in stats:
                out.append({"indicator": name, "scenario": scen, "mean": m[k], "ci_low": lo[k],
                            "ci_high": hi[k], "diff": d[k], "diff_ci_low": dlo[k],
                            "diff_ci_high": dhi[k]})
        return out

    def csv_text(self) -> str:
        """``comparison.csv`` as text (numbers by :func:`sim.present.outputs.format_number`)."""
        import csv
        import io

        from sim.present.outputs import format_number

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        for row in self.rows():
            w.writerow([row["indicator"], row["scenario"]]
                       + [format_number(float(row[c])) for c in COLUMNS[2:]])
        return buf.getvalue()


def unique_names(names: Sequence[str]) -> list[str]:
    """Scenario names made unique by numbering repeats (a scenario compared with itself)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def write_xlsx(path: str | os.PathLike[str], comparison: Comparison,
               provenance: dict[str, object]) -> None:
    """An Excel workbook for analysts: the comparison, monthly means, and provenance.

    Sheets: ``comparison`` (as comparison.csv), ``monthly means`` (mean over replications of
    every indicator per scenario and month), ``about`` (what was run).
    """
    from openpyxl import Workbook

    from sim.present.outputs import atomic_write_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = "comparison"
    ws.append(list(COLUMNS))
    for row in comparison.rows():
        ws.append([row[c] if isinstance(row[c], str) else float(row[c]) for c in COLUMNS])
    ws.freeze_panes = "C2"
    means = wb.create_sheet("monthly means")
    means.append(["scenario", "month", "date", *comparison.names])
    for res in comparison.results:
        m = res.data.mean(axis=0)
        for k, date in enumerate(res.dates):
            means.append([res.scenario.name, k, date, *map(float, m[k])])
    means.freeze_panes = "D2"
    about = wb.create_sheet("about")
    about.append(["boligsim comparison: differences are paired by replication seed against "
                  "the first scenario; intervals are 95 % t-intervals over replications."])
    for key, value in provenance.items():
        about.append([key, json.dumps(value, ensure_ascii=False)])
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(path, buf.getvalue())
