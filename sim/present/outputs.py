"""The files of the public contract: ``timeseries.csv``, ``summary.json`` and ``scenario.toml``
of a run, ``comparison.csv`` (and an Excel workbook) of a comparison, and with ``--worlds``
``worlds.csv`` and ``world_parameters.csv`` beside it.

Their formats are fixed: other tools read them. They are written so that the same inputs give
the same bytes: no timestamps, no host names, fixed column and key order, and one number format
(:func:`sim.run.files.format_number`); every file atomically (:mod:`sim.run.files`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.inputs.errors import InputError
from sim.run.files import atomic_write_bytes, atomic_write_text, format_number, prepare_out_dir

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.robust import WorldDifferences
    from sim.analysis.worlds import Worlds
    from sim.inputs.scenario import Scenario
    from sim.run.compare import Comparison
    from sim.run.results import RunResult

TIMESERIES = "timeseries.csv"
SUMMARY = "summary.json"
SCENARIO = "scenario.toml"
COMPARISON = "comparison.csv"
#: Files whose presence means a directory holds a previous run (overwritten only with force).
RUN_FILES = (TIMESERIES, SUMMARY, "runs")  # runs/: an interrupted run's parts
#: Files whose presence means a directory holds an earlier comparison.
COMPARE_FILES = (COMPARISON, "runs")
#: Columns of ``comparison.csv``.
COMPARISON_COLUMNS = ("indicator", "scenario", "mean", "ci_low", "ci_high", "diff",
                      "diff_ci_low", "diff_ci_high")
#: Columns of ``worlds.csv`` (``boligsim compare --worlds``).
WORLDS_COLUMNS = ("world", "indicator", "scenario", "diff", "diff_ci_low", "diff_ci_high")


def timeseries_text(result: RunResult) -> str:
    """The text of ``timeseries.csv``: one row per replication and month.

    Columns ``replication``, ``month`` (0-based), ``date`` (``YYYY-MM``), then one column per
    indicator in :data:`sim.inputs.indicators.NAMES` order; ``\\n`` line endings.
    """
    lines = [",".join(("replication", "month", "date", *result.names))]
    for r in range(result.replications):
        for m, (date, row) in enumerate(zip(result.dates, result.data[r].tolist(), strict=True)):
            lines.append(f"{r},{m},{date}," + ",".join(map(format_number, row)))
    return "\n".join(lines) + "\n"


def write_timeseries(path: str | os.PathLike[str], result: RunResult) -> None:
    """Write ``timeseries.csv`` (see :func:`timeseries_text`) atomically."""
    atomic_write_text(path, timeseries_text(result))


def summary_dict(result: RunResult, provenance: dict[str, Any]) -> dict[str, Any]:
    """The content of ``summary.json`` in contract order (docs/outputs.md)."""
    return {
        "scenario": result.scenario.name,
        "seed": result.seed,
        "replications": result.replications,
        "start": result.scenario.start,
        "months": len(result.dates),
        "provenance": provenance,
        "indicators": _json_safe(result.summary()),
    }


def write_summary(path: str | os.PathLike[str], result: RunResult,
                  provenance: dict[str, Any]) -> None:
    """Write ``summary.json`` atomically: keys in contract order, indent 2.

    Non-finite numbers (which strict JSON cannot hold) are written as ``null``.
    """
    text = json.dumps(summary_dict(result, provenance), indent=2, ensure_ascii=False,
                      allow_nan=False)
    atomic_write_text(path, text + "\n")


def _json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities replaced by ``None``, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def write_run(out_dir: str | os.PathLike[str], result: RunResult, provenance: dict[str, Any],
              *, force: bool = False) -> dict[str, Path]:
    """Write ``scenario.toml``, ``timeseries.csv`` and ``summary.json`` into ``out_dir``.

    ``summary.json`` is written last, so its presence marks a complete run.

    Args:
        out_dir: the output directory, created if missing.
        result: the run.
        provenance: from :func:`sim.run.provenance.provenance`.
        force: overwrite earlier outputs in ``out_dir``.

    Returns:
        ``{file name: path}`` of the files written.

    Raises:
        InputError: see :func:`sim.run.files.prepare_out_dir`, or when a file cannot be written.
    """
    path = prepare_out_dir(out_dir, force=force, files=RUN_FILES)
    paths = {name: path / name for name in (SCENARIO, TIMESERIES, SUMMARY)}
    try:
        atomic_write_text(paths[SCENARIO], result.scenario.to_toml())
        write_timeseries(paths[TIMESERIES], result)
        write_summary(paths[SUMMARY], result, provenance)
    except OSError as exc:
        where = exc.filename if exc.filename else str(path)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=str(where)) from None
    return paths


def comparison_text(comparison: Comparison, across: WorldDifferences | None = None) -> str:
    """The text of ``comparison.csv``: one row per indicator and scenario, the paired
    difference against its reference (the first scenario, or with
    ``--against-baseline`` the same municipality under baseline practice) beside each mean;
    with ``across`` (``--worlds``) the columns of :data:`sim.analysis.robust.WORLD_COLUMNS`
    after them."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    rows = comparison_rows(comparison, across)
    w.writerow(list(rows[0]))
    for row in rows:
        w.writerow([v if isinstance(v, str) else format_number(float(v)) for v in row.values()])
    return buf.getvalue()


def comparison_rows(comparison: Comparison, across: WorldDifferences | None = None
                    ) -> list[dict[str, Any]]:
    """The rows of ``comparison.csv`` (:func:`comparison_text`)."""
    rows = [{c: row[c] for c in COMPARISON_COLUMNS} for row in comparison.rows()]
    if across is None:
        return rows
    from sim.analysis.robust import differences

    extra = across.summary(nominal=differences(comparison)[0])
    return [{**row, **extra[(row["indicator"], row["scenario"])]} for row in rows]


def worlds_text(across: WorldDifferences) -> str:
    """``worlds.csv``: each compared scenario's difference in each plausible world, with its
    95 % interval within the world."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(WORLDS_COLUMNS)
    for row in across.rows():
        w.writerow([row["world"], row["indicator"], row["scenario"]]
                   + [format_number(float(row[c])) for c in WORLDS_COLUMNS[3:]])
    return buf.getvalue()


def world_parameters_text(worlds: Worlds, scenario: Scenario) -> str:
    """``world_parameters.csv``: each world's value of every parameter that differs between
    worlds, as ``scenario`` (the first compared) runs it."""
    rows = worlds.table(scenario)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(rows[0]))
    for row in rows:
        w.writerow([row["world"], *(format_number(float(v)) for k, v in row.items()
                                    if k != "world")])
    return buf.getvalue()


def write_xlsx(path: str | os.PathLike[str], comparison: Comparison,
               provenance: dict[str, object], across: WorldDifferences | None = None) -> None:
    """An Excel workbook for analysts: the comparison, monthly means, and provenance.

    Sheets: ``comparison`` (as comparison.csv), ``monthly means`` (mean over replications of
    every indicator per scenario and month), with ``across`` ``worlds`` (as worlds.csv),
    ``about`` (what was run).
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "comparison"
    rows = comparison_rows(comparison, across)
    ws.append(list(rows[0]))
    for row in rows:
        ws.append([v if isinstance(v, str) else float(v) for v in row.values()])
    ws.freeze_panes = "C2"
    if across is not None:
        sheet = wb.create_sheet("worlds")
        sheet.append(list(WORLDS_COLUMNS))
        for r in across.rows():
            sheet.append([r["world"], r["indicator"], r["scenario"],
                          *(float(r[c]) for c in WORLDS_COLUMNS[3:])])
        sheet.freeze_panes = "D2"
    means = wb.create_sheet("monthly means")
    means.append(["scenario", "month", "date", *comparison.names])
    for res in comparison.results:
        m = res.data.mean(axis=0)
        for k, date in enumerate(res.dates):
            means.append([res.scenario.name, k, date, *map(float, m[k])])
    means.freeze_panes = "D2"
    about = wb.create_sheet("about")
    per = " Counts and money per 1,000 inhabitants." if comparison.per_1000 else ""
    about.append([f"boligsim comparison: differences are paired by replication seed against "
                  f"{comparison.reference_label}; intervals are 95 % t-intervals over "
                  f"replications.{per}"])
    for key, value in provenance.items():
        about.append([key, json.dumps(value, ensure_ascii=False)])
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(path, buf.getvalue())
