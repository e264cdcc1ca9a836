"""Tests of the headline numbers (sim/present/report/headline.py): the same as summary.json,
and their differences told in words."""

from __future__ import annotations

import pytest
from report_helpers import HtmlCells

from sim.present.report.headline import Cell, Measure, difference_text


def test_headline_numbers_are_those_of_summary_json(html_report: str, html_cells: HtmlCells,
                                                    summaries: dict[str, dict]) -> None:
    checked = set()
    for cell in html_cells.cells:
        if cell["data-source"] != "summary":
            continue
        want = summaries[cell["data-scenario"]]["indicators"][cell["data-indicator"]]
        assert float(cell["data-mean"]) == want["mean"]
        assert [float(cell["data-low"]), float(cell["data-high"])] == want["ci95"]
        if cell["data-scenario"] != "Baseline":
            ref = summaries["Baseline"]["indicators"][cell["data-indicator"]]
            assert float(cell["data-diff"]) == pytest.approx(want["mean"] - ref["mean"],
                                                             rel=1e-9, abs=1e-9)
        checked.add(cell["data-indicator"])
    assert {"purchases", "entered_work", "families_in_work", "social_assistance_nok",
            "children_municipal", "homeless", "child_moves", "evictions",
            "municipal_net_cost_nok"} <= checked

    # the summary's box shows the same numbers
    cost = summaries["Verdal"]["indicators"]["municipal_net_cost_nok"]
    assert (f"{cost['ci95'][0] / 1e6:,.1f} and {cost['ci95'][1] / 1e6:,.1f}"
            in html_report)


@pytest.mark.parametrize("money, low, high, want", [
    (False, 12.0, 20.0, "between 12 and 20 more families than in “Base”"),
    (False, -20.0, -12.0, "between 12 and 20 fewer families than in “Base”"),
    (False, -2.0, 3.0, "between 2.0 fewer and 3.0 more families than in “Base” – no clear "
                       "difference"),
    (True, 1.5e6, 2.5e6, "between 1.5 and 2.5 million NOK more than in “Base”"),
    (True, -2.5e6, -1.5e6, "between 1.5 and 2.5 million NOK less than in “Base”"),
])
def test_a_difference_is_said_from_its_interval(money: bool, low: float, high: float,
                                                want: str) -> None:
    cell = Cell("Other", 0.0, 0.0, 0.0, (low + high) / 2, low, high)
    measure = Measure("m", "municipal_net_cost_nok" if money else "purchases", "summary",
                      money, [cell])
    assert difference_text(cell, measure, "“Base”", "en") == want


def test_a_difference_names_what_it_counts() -> None:
    """"5 fewer" of homeless families is families, of children in homeless families
    children: the words say which (the old report read a family count as children)."""
    cell = Cell("Other", 0.0, 0.0, 0.0, -5.0, -6.6, -3.3)
    families = Measure("m_homeless_end", "homeless", "summary", False, [cell])
    children = Measure("m_children_homeless_end", "children_homeless", "summary", False, [cell])
    assert "færre familier enn" in difference_text(cell, families, "«A»", "nb")
    assert "færre barn enn" in difference_text(cell, children, "«A»", "nb")


def test_the_headline_tells_what_a_model_does_to_children(html_cells: HtmlCells,
                                                         summaries: dict[str, dict]) -> None:
    """Children's years homeless or under notice (child-months in years) and their moves have
    their own table rows, beside children in municipal housing."""
    months = summaries["Verdal"]["indicators"]["child_months_insecure"]["mean"]
    insecure = [c for c in html_cells.cells if c["data-indicator"] == "child_months_insecure"
                and c["data-scenario"] == "Verdal"]
    assert insecure and float(insecure[0]["data-mean"]) == pytest.approx(months / 12)
    measures = {c["data-measure"] for c in html_cells.cells}
    assert {"m_child_moves", "m_children_end", "m_children_homeless_end"} <= measures
