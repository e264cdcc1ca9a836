"""The report as PDF: one page per figure, text pages and the table drawn as figures.

Written with matplotlib's ``PdfPages`` without a creation date, so the same runs give the same
file; a long text part runs over as many pages as it needs.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.present.report.figures import PAGE
from sim.present.report.words import t
from sim.run.files import atomic_write_bytes, pyplot

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.present.report.document import Page, Report

#: Lines of text on one PDF text page.
LINES_PER_PAGE = 34
#: Characters per line on a PDF text page.
WRAP = 110


def write_pdf(report: Report, path: str | os.PathLike[str]) -> list[str]:
    """Write ``report`` as PDF to ``path`` atomically, one page per figure or text page.

    Returns:
        The title of every PDF page, in order (a long text part fills several pages).
    """
    from matplotlib.backends.backend_pdf import PdfPages

    plt = pyplot()
    titles: list[str] = []
    buf = io.BytesIO()
    meta = {"Title": t(report.lang, "title"), "Creator": "boligsim", "CreationDate": None}
    with PdfPages(buf, metadata=meta) as pdf:
        for page in report.pages():
            for fig in _page_figures(report, page):
                pdf.savefig(fig)
                plt.close(fig)
                titles.append(page.title)
    atomic_write_bytes(path, buf.getvalue())
    return titles


def _page_figures(report: Report, page: Page) -> list[Figure]:
    """The PDF pages of one part; a figure's group intro follows its caption."""
    if page.kind == "text":
        return _text_figures(page.title, page.paragraphs)
    if page.kind == "table":
        return [table_figure(report, page.title)]
    caption = page.caption
    if page.intro:
        caption = f"{caption}\n\n{page.intro[1]}".strip()
    return [page.figure(caption)]  # type: ignore[misc]


def table_figure(report: Report, title: str) -> Figure:
    """The headline table drawn as a PDF page."""
    plt = pyplot()
    fig = plt.figure(figsize=PAGE)
    fig.suptitle(textwrap.fill(title, 120), fontsize=11, x=0.02, ha="left")
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.86))
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
    table.scale(1, 2.3)
    for (r, _c), cell in table.get_celld().items():
        if r == 0:
            cell.set_text_props(weight="bold")
    return fig

def _text_lines(paragraphs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Paragraphs wrapped into (style, line) pairs, blank lines between paragraphs."""
    lines: list[tuple[str, str]] = []
    for style, text in paragraphs:
        if style == "h":
            lines += [("blank", ""), ("h", text)]
        elif style == "li":
            wrapped = textwrap.wrap(text, WRAP - 4) or [""]
            lines += [("li", "•  " + wrapped[0])] + [("li", "    " + w) for w in wrapped[1:]]
        else:
            lines += [("blank", "")] + [("p", w) for w in textwrap.wrap(text, WRAP)]
    return lines


def _text_figures(title: str, paragraphs: Sequence[tuple[str, str]]) -> list[Figure]:
    """A text part drawn on as many PDF pages as it needs."""
    plt = pyplot()
    lines = _text_lines(paragraphs)
    while lines and lines[0][0] == "blank":
        lines.pop(0)
    chunks = [lines[k:k + LINES_PER_PAGE] for k in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    figs = []
    for chunk in chunks:
        fig = plt.figure(figsize=PAGE)
        fig.text(0.05, 0.93, title, fontsize=16, weight="bold", va="top")
        y = 0.86
        for style, text in chunk:
            weight = "bold" if style == "h" else "normal"
            fig.text(0.05, y, text, fontsize=12 if style == "h" else 10, weight=weight,
                     va="top")
            y -= 0.024
        figs.append(fig)
    return figs

