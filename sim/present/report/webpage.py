"""The report as one self-contained HTML file.

Plain string templates, every text escaped with :func:`html.escape` and every figure embedded
as a base64 PNG, so the file has no external links, styles or scripts. Each cell of the
headline table carries its exact numbers as ``data-`` attributes.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sim.present.report.figures import tenure_figure
from sim.present.report.summary import summary_intro, summary_rows
from sim.present.report.words import t
from sim.run.files import atomic_write_text, pyplot

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.present.report.document import Page, Report
    from sim.present.report.headline import Cell, Measure

#: Figures embedded in the HTML are rendered at this resolution.
HTML_DPI = 100


def write_html(report: Report, path: str | os.PathLike[str]) -> None:
    """Write :func:`report_html` of ``report`` to ``path`` atomically."""
    atomic_write_text(path, report_html(report))


def report_html(report: Report) -> str:
    """The report as one self-contained HTML document."""
    e = html.escape
    parts = []
    for page in report.pages():
        if page.kind == "summary":
            parts.append(summary_html(report))
        elif page.kind == "text":
            parts.append(_text_html(page.title, page.paragraphs))
        elif page.kind == "table":
            parts.append(table_html(report, page.title))
            parts.append(_text_html("", page.paragraphs))
        else:
            parts += _figure_html(page)
    return _HTML.format(lang=e(report.lang), title=e(t(report.lang, "title")),
                        style=_STYLE, body="\n".join(parts))


def summary_html(report: Report) -> str:
    """The summary: what was run, the headline numbers as boxes, the tenure chart."""
    e = html.escape
    rows = []
    for name, boxes in summary_rows(report):
        cells = "".join(
            f'<div class="box"><div class="label">{e(b.label)}</div>'
            f'<div class="number">{e(b.number)}</div><div class="words">{e(b.words)}</div>'
            + (f'<div class="words">{e(b.worlds)}</div>' if b.worlds else "") + "</div>"
            for b in boxes)
        rows.append(f"<h3>{e(name)}</h3><div class=\"boxes\">{cells}</div>")
    chart = _png(tenure_figure(report.results, report.lang))
    return (f'<section class="summary"><p>{e(report.made_by())}</p>'
            f"<p>{e(summary_intro(report))}</p>{''.join(rows)}"
            f'<figure><img src="data:image/png;base64,{chart}" '
            f'alt="{e(t(report.lang, "f_tenure"))}"></figure></section>')


def _png(fig: Any) -> str:
    """A figure as base64 PNG text, the figure closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=HTML_DPI)
    pyplot().close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figure_html(page: Page) -> list[str]:
    """A figure page as an embedded PNG with its caption and the text it draws, after its
    group's intro if any."""
    e = html.escape
    data = _png(page.figure(None))  # type: ignore[misc]
    caption = f"<figcaption>{e(page.caption)}</figcaption>" if page.caption else ""
    caption += "".join(f"<p>{e(text)}</p>" for _style, text in page.paragraphs)
    parts = [f"<h2>{e(page.intro[0])}</h2><p>{e(page.intro[1])}</p>"] if page.intro else []
    parts.append(f'<section class="figure"><h2>{e(page.title)}</h2><figure>'
                 f'<img src="data:image/png;base64,{data}" alt="{e(page.title)}">'
                 f"{caption}</figure></section>")
    return parts


def table_html(report: Report, title: str) -> str:
    """The headline table; each cell carries its exact numbers as ``data-`` attributes."""
    e = html.escape
    names = [r.scenario.name for r in report.results]
    head = "".join(f"<th>{e(n)}</th>" for n in names)
    body = []
    for measure, cells in report.table_rows():
        tds = [_cell_html(measure, c, level, diff, report.lang)
               for c, (level, diff) in zip(measure.cells, cells, strict=True)]
        body.append(f"<tr><th scope=\"row\">{e(report.measure_label(measure))}</th>"
                    f"{''.join(tds)}</tr>")
    return (f'<section class="table"><h2>{e(title)}</h2><table class="headlines">'
            f"<thead><tr><th>{e(t(report.lang, 'col_measure'))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></section>")


def _cell_html(measure: Measure, c: Cell, level: str, diff: str | None, lang: str) -> str:
    """One cell of the headline table: the level, and the difference below it if any."""
    e = html.escape
    attrs = (f'data-scenario="{e(c.scenario)}" data-measure="{e(measure.key)}" '
             f'data-indicator="{e(measure.indicator)}" '
             f'data-source="{measure.source}" data-mean="{c.mean!r}" '
             f'data-low="{c.low!r}" data-high="{c.high!r}"')
    inner = f'<span class="level">{e(level)}</span>'
    if diff is not None:
        attrs += (f' data-diff="{c.diff!r}" data-diff-low="{c.diff_low!r}" '
                  f'data-diff-high="{c.diff_high!r}"')
        inner += f'<br><span class="diff">{e(t(lang, "diff_prefix"))} {e(diff)}</span>'
    return f"<td {attrs}>{inner}</td>"

def _text_html(title: str, paragraphs: Sequence[tuple[str, str]]) -> str:
    """A text part: headings, paragraphs and bulleted lists (the front page has no heading)."""
    e = html.escape
    out, items = [f"<h2>{e(title)}</h2>"] if title else [], []
    for style, text in [*paragraphs, ("end", "")]:
        if style == "li":
            items.append(f"<li>{e(text)}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if style == "h":
            out.append(f"<h3>{e(text)}</h3>")
        elif style == "p":
            out.append(f"<p>{e(text)}</p>")
    return '<section class="text">' + "\n".join(out) + "</section>"


_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1150px; margin: 2em auto;
       padding: 0 1em; color: #111; line-height: 1.45; }
h1 { font-size: 1.8em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
figure { margin: 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.95em; color: #333; margin-top: 0.4em; }
table.headlines { border-collapse: collapse; font-size: 0.9em; }
table.headlines th, table.headlines td { border: 1px solid #bbb; padding: 0.35em 0.6em;
       text-align: left; vertical-align: top; }
table.headlines thead th { background: #eef3f8; }
.diff { color: #444; font-size: 0.9em; }
.boxes { display: flex; gap: 0.8em; flex-wrap: wrap; }
.box { flex: 1 1 14em; background: #F2F5F9; border: 1px solid #C9D3DE; border-radius: 6px;
       padding: 0.6em 0.8em; }
.box .label { font-weight: bold; } .box .number { font-size: 1.8em; color: #1F3B57; }
.box .words { font-size: 0.9em; color: #333; }
"""

_HTML = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<h1>{title}</h1>
{body}
</body>
</html>
"""

