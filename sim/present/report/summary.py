"""The report's first page: three or four headline numbers in words, and one chart.

A politician who reads one page reads this one. Each compared scenario gets a row of boxes,
one per measure of :data:`SUMMARY_MEASURES`: the best estimate of its difference against its
reference in large type, the 95 % interval in words beneath, and with plausible worlds in how
many of them the difference points the same way. Where a scenario's town differs from its
reference's (and the numbers are not per 1,000 inhabitants) a difference would not be a
policy's effect, so its boxes give its own levels instead. The chart is families by tenure
over time, one panel per scenario (:func:`sim.present.report.figures.draw_tenure`).
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.present.report.headline import (
    Measure,
    difference_text,
    format_signed,
    format_value,
    interval_text,
    worlds_clause,
)
from sim.present.report.words import MONTHS, t

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.present.report.document import Report

#: The summary's measures (keys of :func:`sim.present.report.headline.headline_measures`),
#: each with its label on the summary: children in municipal housing, families into a home
#: of their own, homelessness and the municipality's net cost, the outcomes the municipal
#: models are compared on.
SUMMARY_MEASURES = {"m_children_end": "s_children_end", "m_own_home": "s_own_home",
                    "m_homeless_end": "s_homeless_end", "m_cost": "s_cost"}

#: Compared scenarios the summary has room for; the table on page 2 has them all.
SUMMARY_ROWS = 3


@dataclass(frozen=True)
class Box:
    """One headline number on the summary.

    Attributes:
        label: what it measures.
        number: the best estimate with its unit, signed for a difference (``−42 barn``).
        words: its 95 % interval in words.
        worlds: in how many plausible worlds a difference points the same way, or empty.
    """

    label: str
    number: str
    words: str
    worlds: str = ""


def report_date(lang: str) -> str:
    """The date the report is made, ``7. desember 2026`` / ``7 December 2026``.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) fixes it,
    so the same runs can give the same file byte for byte; otherwise it is today (UTC).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    day = (dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit()
           else dt.datetime.now(dt.UTC).date())
    month = MONTHS[lang][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang == "nb" else f"{day.day} {month} {day.year}"


def _unit(measure: Measure, lang: str, per_1000: bool = False) -> str:
    """The unit a summary number carries: ``mill. kr`` for money, else what it counts; ``per
    1 000 innbyggere`` after it when the report puts counts and money per 1,000 inhabitants."""
    from sim.run.compare import per_inhabitant

    unit = t(lang, "u_mnok") if measure.money else measure.noun(lang)
    return unit + (t(lang, "per_1000_unit") if per_1000 and per_inhabitant(measure.indicator)
                   else "")


def summary_rows(report: Report) -> list[tuple[str, list[Box]]]:
    """The summary's rows, (scenario name, its boxes), for up to :data:`SUMMARY_ROWS`
    scenarios: the compared scenarios' differences, or where no difference can be stated
    (one scenario, or towns unlike their references) every scenario's own levels."""
    lang, comp = report.lang, report.comparison
    measures = {m.key: m for m in report.measures}
    compared = [j for j, r in enumerate(comp.reference_of) if r != j
                and not (comp.differs_from_reference(j) and not comp.per_1000)]
    shown = compared or list(range(len(report.results)))
    rows = []
    for j in shown[:SUMMARY_ROWS]:
        name = report.results[j].scenario.name
        boxes = []
        for key, label_key in SUMMARY_MEASURES.items():
            m = measures[key]
            c = m.cell(name)
            unit = _unit(m, lang, comp.per_1000)
            if not compared or c.diff is None:
                number = f"{format_value(c.mean, m, lang, c.mean, c.low, c.high)} {unit}"
                words = interval_text(c.low, c.high, m, lang)
                boxes.append(Box(t(lang, label_key), number, words))
                continue
            context = (c.diff, c.diff_low or 0.0, c.diff_high or 0.0)
            number = f"{format_signed(c.diff, m, lang, *context)} {unit}"
            words = difference_text(c, m, report.reference, lang)
            boxes.append(Box(t(lang, label_key), number, words,
                             worlds_clause(m, name, lang, report.worlds).strip(" ()")))
        rows.append((name, boxes))
    return rows


def summary_intro(report: Report) -> str:
    """The line under the title saying what the numbers are."""
    comp = report.comparison
    if any(r != j and not (comp.differs_from_reference(j) and not comp.per_1000)
           for j, r in enumerate(comp.reference_of)):
        return t(report.lang, "summary_intro", ref=report.reference)
    return t(report.lang, "summary_levels") if comp.compared else ""


def summary_figure(report: Report, caption: str | None = None) -> Figure:
    """The summary as one A4 landscape page: title, what was run, the boxes, the chart."""
    from sim.present.report.figures import PAGE, draw_tenure
    from sim.run.files import pyplot

    plt = pyplot()
    lang = report.lang
    fig = plt.figure(figsize=PAGE)
    fig.text(0.04, 0.95, t(lang, "title"), fontsize=18, weight="bold", va="top")
    y = 0.895
    for line in (report.made_by(), summary_intro(report)):
        for part in textwrap.wrap(line, 150):
            fig.text(0.04, y, part, fontsize=9.5, va="top")
            y -= 0.025
    rows = summary_rows(report)
    chart = 0.4 if len(rows) == 1 else 0.44 - 0.07 * len(rows)  # the chart's height
    top = y - 0.01
    height = (top - chart - 0.14) / len(rows)
    for k, (name, boxes) in enumerate(rows):
        y0 = top - k * height
        fig.text(0.04, y0, name, fontsize=10, weight="bold", va="top")
        width = 0.92 / len(boxes)
        lines = max(_label(box, width, len(rows)).count("\n") + 1 for box in boxes)
        for b, box in enumerate(boxes):
            _draw_box(fig, 0.04 + b * width, y0 - 0.03, width - 0.015, box, height - 0.04,
                      len(rows), lines)
    draw_tenure(fig, report.results, lang, (0.06, 0.07, 0.74, chart))
    return fig


def _chars(width: float, rows: int) -> int:
    """Characters of a box's small text its ``width`` (a fraction of the page) holds."""
    return int(width * (230 if rows > 1 else 205))


def _label(box: Box, width: float, rows: int) -> str:
    """A box's label wrapped to its width."""
    return textwrap.fill(box.label, _chars(width, rows) - 12)


def _draw_box(fig: Figure, x: float, y: float, width: float, box: Box, height: float,
              rows: int, label_lines: int) -> None:
    """One headline number: label, the number large, the interval and worlds in words; the
    numbers of a row stand level below labels of up to ``label_lines`` lines."""
    from matplotlib.patches import FancyBboxPatch

    small = rows > 1
    fig.patches.append(FancyBboxPatch((x, y - height), width, height,
                                      boxstyle="round,pad=0.004", transform=fig.transFigure,
                                      facecolor="#F2F5F9", edgecolor="#C9D3DE", lw=0.8))
    chars = _chars(width, rows)
    fig.text(x + 0.008, y - 0.008, _label(box, width, rows), fontsize=8 if small else 9,
             weight="bold", va="top")
    y -= 0.012 + (0.02 if small else 0.022) * label_lines
    fig.text(x + 0.008, y, box.number, fontsize=14 if small else 20, va="top",
             color="#1F3B57")
    y -= 0.035 if small else 0.05
    words = box.words + (f". {box.worlds[0].upper()}{box.worlds[1:]}" if box.worlds else "")
    fig.text(x + 0.008, y, textwrap.fill(words, chars), fontsize=7 if small else 8, va="top",
             color="#333333", linespacing=1.15)
