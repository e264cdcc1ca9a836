"""Tests of the HTML report (sim/present/report/webpage.py): one file, every figure inside."""

from __future__ import annotations

import re

from report_helpers import HtmlCells

from sim.present.report import Report
from sim.present.report.webpage import table_html

#: Theme pages every report has, two themes each: children and homelessness, ownership and
#: work with start loans, evictions and forced sales with money.
THEME_PAGES = 4
#: The page of where the families live (zones), a figure page too.
ZONE_PAGES = 1


def test_html_is_one_file_with_every_figure_embedded(html_report: str,
                                                     html_cells: HtmlCells) -> None:
    story_pages = html_report.count('<section class="figure">') - THEME_PAGES - ZONE_PAGES
    assert story_pages == 2  # three or four stories, two to a page
    # the summary's chart, the themes, the zones and the stories
    assert len(html_cells.images) == 1 + THEME_PAGES + ZONE_PAGES + story_pages
    assert html_report.count("<img") == len(html_cells.images)
    assert all(src.startswith("data:image/png;base64,") for src in html_cells.images)
    for needle in ("http://", "https://", "<link", "<script", "@import", "url("):
        assert needle not in html_report, needle
    for title in ("Children in municipal housing", "Homelessness", "Ownership and work",
                  "Start loans, and the share to families with children",
                  "Evictions and forced sales", "Money and municipal dwellings",
                  "Crowding and neighbourhoods", "Where the families live",
                  "Family stories", "Words used",
                  "Assumptions, uncertainty and what the model cannot measure"):
        assert title in html_report, title


def test_html_opens_with_the_summary(html_report: str) -> None:
    """The summary comes first: what was run and when, then the headline boxes."""
    body = html_report[html_report.index("<body>"):]
    assert body.index('class="summary"') < body.index('class="table"')
    assert body.count('<div class="box">') == 8  # two unlike towns: four levels each
    assert "Made " in body and "random seed 5" in body


def test_norwegian_table_uses_norwegian_numbers(nb_report: Report) -> None:
    table = table_html(nb_report, "t")
    money = re.findall(r'data-measure="m_sa_total"[^>]*><span class="level">([^<]*)<', table)
    assert len(money) == 2
    for text in money:
        assert re.fullmatch(r"\d+,\d \(\d+,\d til \d+,\d\)", text), text
