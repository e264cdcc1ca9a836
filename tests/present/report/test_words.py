"""Tests of the small phrases the report's sentences are built from
(sim/present/report/words.py)."""

from __future__ import annotations

import pytest

from sim.analysis.worlds import dimensions
from sim.inputs.parameters import REGISTRY
from sim.present.report.words import (
    PARAMETER_WORDS,
    TENURE_WORDS,
    TEXT,
    join_list,
    month_name,
    parameter_words,
    t,
    years_phrase,
)


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


def test_every_parameter_plausible_worlds_draw_has_plain_words_in_both_languages() -> None:
    """A conclusion in ``report --worlds`` may hang on any parameter the worlds draw; each is
    named in words a politician reads, never by its dotted path."""
    paths = [d.path for d in dimensions(REGISTRY)]
    assert PARAMETER_WORDS["nb"].keys() == PARAMETER_WORDS["en"].keys()
    for lang in ("nb", "en"):
        missing = [p for p in paths if p not in PARAMETER_WORDS[lang]]
        assert not missing, f"no {lang} words for {missing}"
        for path in paths:
            phrase = parameter_words(lang, path)
            assert phrase.strip() and phrase != path, (lang, path)
            assert phrase == phrase.strip() and not phrase.endswith("."), (lang, path)
