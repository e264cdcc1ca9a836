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
from collections.abc import Sequence
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


#: Excel number formats: counts with one decimal (means of replications), NOK as whole
#: kroner with thousands separators, shares as per cent.
XLSX_FORMATS = {"count": "#,##0.0", "NOK": "#,##0", "share": "0%", "whole": "0"}

#: The workbook's words, by language.
XLSX_WORDS = {
    "en": {"indicators": "indicators", "about": "about", "means": "means",
           "head": ("indicator", "label", "unit", "kind", "run value", "meaning"),
           "final": "value in the last month", "total": "total over the run",
           "date": "date", "month": "month",
           "intro": "boligsim comparison: differences are paired by replication seed against "
                    "{ref}; intervals are 95 % t-intervals over replications (a count's lower "
                    "end at least 0). The 'comparison' sheet is comparison.csv; the "
                    "'indicators' sheet says what each indicator counts and in what unit; "
                    "each 'means' sheet holds one scenario's monthly means over replications.",
           "per_1000": " Counts and money per 1,000 inhabitants."},
    "nb": {"indicators": "indikatorer", "about": "om", "means": "gjennomsnitt",
           "head": ("indikator", "navn", "enhet", "type", "verdi for perioden", "betydning"),
           "final": "verdien i siste måned", "total": "sum over perioden",
           "date": "dato", "month": "måned",
           "intro": "boligsim-sammenlikning: forskjellene er beregnet parvis, simulering for "
                    "simulering (samme startverdi for tilfeldige tall), mot {ref}; intervallene "
                    "er t-intervaller (95 %) over simuleringene (nedre grense for antall er "
                    "aldri under 0). Arket «comparison» er comparison.csv, arket «indikatorer» "
                    "forklarer hva hver indikator teller og i hvilken enhet, og hvert "
                    "«gjennomsnitt»-ark har ett scenarios månedlige gjennomsnitt av "
                    "simuleringene.",
           "per_1000": " Antall og kroner er regnet per 1 000 innbyggere."},
}


def write_xlsx(path: str | os.PathLike[str], comparison: Comparison,
               provenance: dict[str, object], across: WorldDifferences | None = None,
               lang: str = "en") -> None:
    """An Excel workbook for analysts: the comparison, what each indicator is, monthly means
    and what was run, with number formats and units.

    Sheets: ``comparison`` (comparison.csv's rows and values, NOK as whole kroner, counts to
    one decimal, shares in per cent), with ``across`` ``worlds`` (as worlds.csv),
    ``indicators`` (label, unit, kind, how a run sums it up, meaning), one ``means`` sheet per
    scenario (months down, indicators across, a row of units under the labels), and
    ``about`` (what was run, one plain value a row, after a sentence on what the differences
    are taken against and whether counts are per 1,000 inhabitants). ``lang`` sets the labels
    and sheet names.
    """
    from openpyxl import Workbook

    from sim.present.figures import reference_words
    from sim.present.text import check_lang

    words = XLSX_WORDS[check_lang(lang)]
    wb = Workbook()
    _comparison_sheet(wb.active, comparison_rows(comparison, across))
    if across is not None:
        sheet = wb.create_sheet("worlds")
        sheet.append(list(WORLDS_COLUMNS))
        for r in across.rows():
            sheet.append([r["world"], r["indicator"], r["scenario"],
                          *(float(r[c]) for c in WORLDS_COLUMNS[3:])])
            _formats(sheet, sheet.max_row, {c: r["indicator"] for c in range(4, 7)})
        _layout(sheet, "D2", 8, 22)
    _indicators_sheet(wb.create_sheet(words["indicators"]), comparison.names, lang, words)
    for j, res in enumerate(comparison.results):
        title = _sheet_title(f"{words['means']} {j + 1} {res.scenario.name}")
        _means_sheet(wb.create_sheet(title), res, comparison.names, lang, words)
    about = wb.create_sheet(words["about"])
    about.append([words["intro"].format(ref=reference_words(comparison, lang))
                  + (words["per_1000"] if comparison.per_1000 else "")])
    for key, value in _plain_items(provenance):
        about.append([key, value])
    _layout(about, None, 34, 80)
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(path, buf.getvalue())


def _number_format(indicator: str) -> str:
    """An indicator's values in Excel: NOK as whole kroner, counts to one decimal."""
    from sim.inputs.indicators import BY_NAME

    return XLSX_FORMATS["NOK" if BY_NAME[indicator].unit == "NOK" else "count"]


def _formats(sheet: Any, row: int, columns: dict[int, str]) -> None:
    """Give the cells of ``row`` in ``columns`` (column -> indicator) their number format."""
    for col, indicator in columns.items():
        sheet.cell(row=row, column=col).number_format = _number_format(indicator)


def _layout(sheet: Any, freeze: str | None, first: int, rest: int) -> None:
    """Freeze the header at ``freeze``; the first column ``first`` characters wide, the others
    ``rest``."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = freeze
    for col in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(col)].width = first if col == 1 else rest


def _comparison_sheet(ws: Any, rows: list[dict[str, Any]]) -> None:
    """comparison.csv's rows with their number formats: each value by its indicator's unit,
    the share of worlds in per cent, the count of worlds whole."""
    ws.title = "comparison"
    columns = list(rows[0])
    ws.append(columns)
    values = [c for c in columns if c not in ("indicator", "scenario")]
    for row in rows:
        ws.append([v if isinstance(v, str) else float(v) for v in row.values()])
        _formats(ws, ws.max_row, {columns.index(c) + 1: str(row["indicator"]) for c in values})
        for key, fmt in (("worlds_sign_holds", "share"), ("worlds", "whole")):
            if key in columns:
                ws.cell(row=ws.max_row, column=columns.index(key) + 1).number_format = (
                    XLSX_FORMATS[fmt])
    _layout(ws, "C2", 30, 16)


def _indicators_sheet(ws: Any, names: Sequence[str], lang: str, words: dict[str, Any]) -> None:
    """One row per indicator: name, label, unit, kind, how a run sums it up, meaning."""
    from sim.inputs.indicators import BY_NAME
    from sim.present.text import label
    from sim.run.results import summarised_as

    ws.append(list(words["head"]))
    for name in names:
        ind = BY_NAME[name]
        ws.append([name, label(lang, name), ind.unit, ind.kind, words[summarised_as(name)],
                   ind.meaning])
    _layout(ws, "B2", 30, 24)


def _means_sheet(ws: Any, res: RunResult, names: Sequence[str], lang: str,
                 words: dict[str, Any]) -> None:
    """A scenario's monthly means over replications: a row per month, a column per
    indicator, its label and unit in the two header rows."""
    from sim.inputs.indicators import BY_NAME
    from sim.present.text import label

    ws.append([words["date"], words["month"], *(label(lang, n) for n in names)])
    ws.append(["", "", *(BY_NAME[n].unit for n in names)])
    m = res.data.mean(axis=0)
    columns = {col: name for col, name in enumerate(names, start=3)}
    for k, date in enumerate(res.dates):
        ws.append([date, k, *map(float, m[k])])
        _formats(ws, ws.max_row, columns)
    _layout(ws, "C3", 10, 16)


def _sheet_title(text: str) -> str:
    """A valid Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text[:31]


def _plain_items(value: Any, key: str = "") -> list[tuple[str, Any]]:
    """``value`` flattened to (dotted key, plain value) rows: dictionaries by key, lists by
    position (``scenarios.1.name``), a list of plain values as one comma-separated text,
    ``None`` as an empty cell."""
    if isinstance(value, dict):
        return [row for k, v in value.items()
                for row in _plain_items(v, f"{key}.{k}" if key else str(k))]
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            return [(key, ", ".join(str(v) for v in value))]
        return [row for i, v in enumerate(value) for row in _plain_items(v, f"{key}.{i}")]
    return [(key, "" if value is None else value)]
