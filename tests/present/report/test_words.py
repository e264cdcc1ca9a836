"""Tests of the small phrases the report's sentences are built from
(sim/present/report/words.py)."""

from __future__ import annotations

import pytest

from sim.present.report.words import TENURE_WORDS, TEXT, join_list, month_name, t, years_phrase


def test_years_months_and_lists_read_naturally() -> None:
    assert years_phrase(10, "nb") == "over 10 år"
    assert years_phrase(1, "en") == "over 1 year"
    assert month_name("2013-04", "nb") == "april 2013"
    assert month_name("2013-04", "en") == "April 2013"
    assert join_list(["a", "b", "c"], "nb") == "a, b og c"
    assert join_list(["a", "b"], "en") == "a and b"
    assert join_list(["a"], "en") == "a"


def test_every_text_exists_in_both_languages() -> None:
    assert TEXT["nb"].keys() == TEXT["en"].keys()
    assert TENURE_WORDS["nb"].keys() == TENURE_WORDS["en"].keys()
    with pytest.raises(ValueError):
        t("sv", "title")
