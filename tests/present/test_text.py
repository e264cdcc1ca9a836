"""Tests of the number formats and tick labels the report and the dashboard share
(sim/present/text.py)."""

from __future__ import annotations

import pytest

from sim.present.text import MINUS, NBSP, fmt, fmt_auto, fmt_millions, label, tick_formatter


def test_nb_uses_a_space_between_thousands_and_a_decimal_comma() -> None:
    assert fmt(1234567.891, "nb", 1) == f"1{NBSP}234{NBSP}567,9"
    assert fmt(12345, "nb") == f"12{NBSP}345"
    assert fmt(0.5, "nb", 2) == "0,50"
    assert fmt(-3.25, "nb", 1) == f"{MINUS}3,2"
    assert fmt(-0.04, "nb", 1) == "0,0"  # no sign on a number that rounds to zero
    assert fmt(999, "nb") == "999"


def test_en_uses_a_comma_between_thousands_and_a_decimal_point() -> None:
    assert fmt(1234567.891, "en", 1) == "1,234,567.9"
    assert fmt(-1500, "en") == f"{MINUS}1,500"


def test_headline_decimals_follow_the_size_of_the_numbers() -> None:
    assert fmt_auto(43.6667, "nb") == "44"
    assert fmt_auto(2.14, "nb") == "2,1"
    assert fmt_auto(2.14, "nb", 12.0) == "2"
    assert fmt_millions(12_345_678.0, "en") == "12.3"
    assert fmt_millions(456_000.0, "nb") == "0,46"


def test_axis_ticks_follow_the_language() -> None:
    nb, en = tick_formatter("nb"), tick_formatter("en")
    assert nb(12500.0, 0) == f"12{NBSP}500"
    assert nb(2.5, 0) == "2,5"
    assert en(12500.0, 0) == "12,500"
    assert tick_formatter("nb", 1e-6)(2_500_000.0, 0) == "2,5"


def test_indicator_labels_and_an_unknown_language() -> None:
    assert label("en", "homeless") == "Homeless or in temporary accommodation"
    assert label("nb", "no_such_indicator") == "no such indicator"
    with pytest.raises(ValueError):
        fmt(1.0, "sv")
