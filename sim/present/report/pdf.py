"""The report as PDF: the summary, text pages, the table and the figures, one A4 page each.

Written with matplotlib's ``PdfPages`` without a creation date, so the same runs give the same
file (the date printed on the pages is fixed by ``SOURCE_DATE_EPOCH``,
:func:`sim.present.report.summary.report_date`); a long text part runs over as many pages as it
needs. Every page carries the date and "page k of n" at its top right.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.present.report.figures import PAGE
from sim.present.report.summary import report_date, summary_figure
from sim.present.report.words import t
from sim.run.files import atomic_write_bytes, pyplot

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.present.report.document import Page, Report

#: Lines of text on one PDF text page.
LINES_PER_PAGE = 42
#: Characters per line on a PDF text page.
WRAP = 125


def write_pdf(report: Report, path: str | os.PathLike[str]) -> list[str]:
    """Write ``report`` as PDF to ``path`` atomically, one page per figure or text page.

    Returns:
        The title of every PDF page, in order (a long text part fills several pages).
    """
    from matplotlib.backends.backend_pdf import PdfPages

    plt = pyplot()
    pages = report_figures(report)
    buf = io.BytesIO()
    meta = {"Title": t(report.lang, "title"), "Creator": "boligsim", "CreationDate": None}
    with PdfPages(buf, metadata=meta) as pdf:
        for _title, fig in pages:
            pdf.savefig(fig)
            plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())
    return [title for title, _fig in pages]


def report_figures(report: Report) -> list[tuple[str, Figure]]:
    """Every PDF page as a figure with its part's title, each marked at its top right with
    the date and "page k of n". The caller closes them."""
    figures = [(page.title, fig) for page in report.pages()
               for fig in _page_figures(report, page)]
    date = report_date(report.lang)
    for k, (_title, fig) in enumerate(figures):
        fig.text(0.985, 0.99, t(report.lang, "page_of", date=date, page=k + 1,
                                pages=len(figures)),
                 fontsize=7, ha="right", va="top", color="#555555")
    return figures


def _page_figures(report: Report, page: Page) -> list[Figure]:
    """The PDF pages of one part; a figure's group intro follows its caption."""
    if page.kind == "summary":
        return [summary_figure(report)]
    if page.kind == "text":
        return _text_figures(page.title, page.paragraphs)
    if page.kind == "table":
        return [table_figure(report, page.title, page.paragraphs)]
    caption = page.caption
    if page.intro:
        caption = f"{caption}\n\n{page.intro[1]}".strip()
    return [page.figure(caption)]  # type: ignore[misc]


def table_figure(report: Report, title: str,
                 notes: Sequence[tuple[str, str]] = ()) -> Figure:
    """The headline table drawn as a PDF page, with ``notes`` (how to read it) beneath."""
    plt = pyplot()
    fig = plt.figure(figsize=PAGE)
    fig.suptitle(textwrap.fill(title, 120), fontsize=11, x=0.02, ha="left")
    lines = _text_lines(notes)
    below = 0.02 + 0.02 * len(lines)
    for k, (_style, text) in enumerate(lines):
        fig.text(0.03, below - 0.02 * (k + 1), text, fontsize=8.5, va="bottom")
    ax = fig.add_axes((0.02, below + 0.01, 0.96, 0.87 - below))
    ax.axis("off")
    names = [r.scenario.name for r in report.results]
    text = []
    for measure, cells in report.table_rows():
        row = [report.measure_label(measure)]
        for level, diff in cells:
            row.append(level if diff is None else
                       f"{level}\n{t(report.lang, 'diff_prefix')} {diff}")
        text.append(row)
    table = ax.table(cellText=text, colLabels=[t(report.lang, "col_measure"), *names],
                     loc="upper left", cellLoc="left",
                     colWidths=[0.3] + [0.7 / len(names)] * len(names))
    table.auto_set_font_size(False)
    table.set_fontsize(7 if len(names) > 3 else 8)
    table.scale(1, 2.1)
    for (r, _c), cell in table.get_celld().items():
        if r == 0:
            cell.set_text_props(weight="bold")
    return fig

def _text_lines(paragraphs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Paragraphs wrapped into (style, line) pairs, blank lines between paragraphs (none
    before the first)."""
    lines: list[tuple[str, str]] = []
    for style, text in paragraphs:
        if style == "h":
            lines += [("blank", ""), ("h", text)]
        elif style == "li":
            wrapped = textwrap.wrap(text, WRAP - 4) or [""]
            lines += [("li", "•  " + wrapped[0])] + [("li", "    " + w) for w in wrapped[1:]]
        else:
            lines += [("blank", "")] + [("p", w) for w in textwrap.wrap(text, WRAP)]
    while lines and lines[0][0] == "blank":
        lines.pop(0)
    return lines


def _text_figures(title: str, paragraphs: Sequence[tuple[str, str]]) -> list[Figure]:
    """A text part drawn on as many PDF pages as it needs."""
    plt = pyplot()
    lines = _text_lines(paragraphs)
    chunks = [lines[k:k + LINES_PER_PAGE] for k in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    figs = []
    for chunk in chunks:
        fig = plt.figure(figsize=PAGE)
        fig.text(0.05, 0.93, title, fontsize=16, weight="bold", va="top")
        y = 0.86
        for style, text in chunk:
            weight = "bold" if style == "h" else "normal"
            fig.text(0.05, y, text, fontsize=11.5 if style == "h" else 9.2, weight=weight,
                     va="top")
            y -= 0.0195
        figs.append(fig)
    return figs

