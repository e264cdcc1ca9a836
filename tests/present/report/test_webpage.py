"""Tests of the HTML report (sim/present/report/webpage.py): one file, every figure inside."""

from __future__ import annotations

import re

from report_helpers import HtmlCells

from sim.present.report import Report
from sim.present.report.webpage import table_html

#: Figures every report has: tenure, children, homelessness, ownership and work, start loans,
#: evictions and forced sales, money.
THEME_FIGURES = 7


def test_html_is_one_file_with_every_figure_embedded(html_report: str,
                                                     html_cells: HtmlCells) -> None:
    stories = html_report.count('<section class="figure">') - THEME_FIGURES
    assert 3 <= stories <= 5
    assert len(html_cells.images) == THEME_FIGURES + stories
    assert html_report.count("<img") == len(html_cells.images)
    assert all(src.startswith("data:image/png;base64,") for src in html_cells.images)
    for needle in ("http://", "https://", "<link", "<script", "@import", "url("):
        assert needle not in html_report, needle
    for title in ("Children in municipal housing", "Homelessness", "Ownership and work",
                  "Start loans, and the share to families with children",
                  "Evictions and forced sales",
                  "Social assistance and the municipality&#x27;s net cost",
                  "Family stories",
                  "Assumptions, uncertainty and what the model cannot measure"):
        assert title in html_report, title


def test_norwegian_table_uses_norwegian_numbers(nb_report: Report) -> None:
    table = table_html(nb_report, "t")
    money = re.findall(r'data-measure="m_sa_total"[^>]*><span class="level">([^<]*)<', table)
    assert len(money) == 2
    for text in money:
        assert re.fullmatch(r"\d+,\d \(\d+,\d til \d+,\d\)", text), text
