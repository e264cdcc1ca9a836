"""Tests of the PDF report (sim/present/report/pdf.py): about ten pages for two scenarios,
each rendered and looked at: A4, dated and numbered, every panel with something in it, every
text and legend inside the page, no caption over a panel."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure, SubFigure
from matplotlib.legend import Legend
from matplotlib.text import Text

from sim.present.report import Report
from sim.present.report.pdf import report_figures, write_pdf
from sim.present.report.summary import report_date
from sim.run.files import pyplot

#: Rendering resolution of the checks (dots per inch): A4 landscape is 11.69 x 8.27 inches.
DPI = 40


def test_pdf_has_a_page_per_figure_and_about_ten(own_report: Report, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    titles = write_pdf(own_report, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == len(titles)
    assert len(titles) <= 10
    assert titles[0] == "Boligkarrierer for vanskeligstilte familier"  # the summary
    assert titles[1].startswith("Hovedtall per scenario")
    for theme in ("Barn i kommunal bolig · Bostedsløshet", "Eierskap og arbeid · Startlån",
                  "Utkastelser og tvangssalg · Økonomi og kommunale boliger",
                  "Trangboddhet og nabolag", "Hvor familiene bor"):
        assert sum(t.startswith(theme) for t in titles) == 1, theme
    assert titles[-1] == "Forutsetninger, usikkerhet og hva modellen ikke kan måle"


@pytest.fixture(scope="module", params=["own_report", "pair_report_en"])
def rendered(request: pytest.FixtureRequest) -> list[tuple[str, Figure, np.ndarray]]:
    """Every page of a like-with-like report, drawn, with its pixels: Verdal against its
    own baseline in Norwegian, and two municipalities each against theirs in English."""
    plt = pyplot()
    out = []
    report = request.getfixturevalue(request.param)
    for title, fig in report_figures(report):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
        buf.seek(0)
        out.append((title, fig, plt.imread(buf)))
    yield out
    for _title, fig, _pixels in out:
        plt.close(fig)


def test_every_page_is_a4_landscape_dated_and_numbered(
        rendered: list[tuple[str, Figure, np.ndarray]]) -> None:
    n = len(rendered)
    english = rendered[0][0].startswith("Housing")
    for k, (title, fig, pixels) in enumerate(rendered):
        assert pixels.shape[:2] == (int(8.27 * DPI), int(11.69 * DPI)), title
        assert pixels[..., :3].std() > 0.05, f"page {k + 1} is blank"
        texts = [t.get_text() for t in fig.texts]
        stamp = (f"{report_date('en')} · page {k + 1} of {n}" if english else
                 f"{report_date('nb')} · side {k + 1} av {n}")
        assert stamp in texts, title


def _axes(fig: Figure | SubFigure) -> list:
    return [ax for ax in fig.get_axes() if ax.get_visible()]


def test_every_panel_has_content(rendered: list[tuple[str, Figure, np.ndarray]]) -> None:
    """No empty panel: each visible axes draws lines with finite values, areas or bars, and
    a line panel's values are not all zero (the old family stories drew empty income and
    loan panels on axes from 0 to 0.05 kr)."""
    for title, fig, _pixels in rendered:
        for ax in _axes(fig):
            finite = [np.asarray(line.get_ydata(), float) for line in ax.lines]
            finite = [y[np.isfinite(y)] for y in finite]
            drawn = (any(len(y) for y in finite) or len(ax.collections) or len(ax.patches)
                     or len(ax.tables))
            assert drawn, f"{title}: panel {ax.get_title()!r} is empty"
            low, high = ax.get_ylim()
            assert abs(high - low) > 0.1 or ax.get_yticks().size == 0, (title, ax.get_title())


def _fig_texts(fig: Figure | SubFigure) -> list[Text]:
    texts = [t for t in fig.texts if t.get_text().strip()]
    for sub in fig.subfigs:
        texts += _fig_texts(sub)
    return texts


def test_text_and_legends_stay_on_the_page_and_off_the_panels(
        rendered: list[tuple[str, Figure, np.ndarray]]) -> None:
    """Every text and legend lies inside the page (no cut-off legend or caption), and no
    caption or note lies over a panel with its tick and axis labels (no caption over an
    axis label)."""
    for title, fig, _pixels in rendered:
        renderer = fig.canvas.get_renderer()
        width, height = fig.bbox.width, fig.bbox.height
        boxes = [ax.get_tightbbox(renderer) for ax in _axes(fig)]  # drawn ticks and labels
        boxes += [t.get_window_extent(renderer) for t in _fig_texts(fig)]
        boxes += [lg.get_window_extent(renderer) for lg in fig.findobj(Legend)]
        for bb in boxes:
            assert bb.x0 >= -1 and bb.y0 >= -1, (title, bb)
            assert bb.x1 <= width + 1 and bb.y1 <= height + 1, (title, bb)
        panels = [ax.get_tightbbox(renderer) for ax in _axes(fig)]
        for text in _fig_texts(fig):
            if text.get_text() in (getattr(fig, "_suptitle", None) or Text()).get_text():
                continue
            bb = text.get_window_extent(renderer)
            for panel in panels:
                assert not bb.overlaps(panel), (title, text.get_text()[:60])


def test_bands_of_what_cannot_be_negative_stay_at_or_above_zero(
        rendered: list[tuple[str, Figure, np.ndarray]]) -> None:
    """A theme panel's 95 % band stops at zero for counts and sums that cannot be negative
    (with three replications, the band of a rare event reaches below it), and only the net
    cost's may go below."""
    from matplotlib.collections import PolyCollection

    from sim.present.report.themes import theme_series
    from sim.present.text import label

    lang = "en" if rendered[0][0].startswith("Housing") else "nb"
    floors = {label(lang, s.name): s.floor for _key, panels in theme_series() for s in panels}
    assert list(floors.values()).count(None) == 1  # the net cost
    checked = 0
    for title, fig, _pixels in rendered:
        for ax in _axes(fig):
            name = ax.get_title(loc="left")
            floor = floors.get(name)
            if floor is None:  # not a theme panel, or the net cost
                continue
            for band in (c for c in ax.collections if isinstance(c, PolyCollection)):
                for path in band.get_paths():
                    assert path.vertices[:, 1].min() >= floor - 1e-9, (title, name)
                    checked += 1
    assert checked >= 10
