"""The dated interest rates (:mod:`sim.inputs.rates`): the monthly series, its lookup, and the
rules that derive the values not found."""

from __future__ import annotations

import pytest

from sim.inputs.calendar import add_months, months_between
from sim.inputs.rates import (
    BANK_DERIVED,
    BANK_FOUND,
    FIRST,
    HUSBANKEN_FOUND,
    LAST,
    POLICY_DECISIONS,
    SERIES,
    rates_at,
)


def test_the_series_has_every_month_from_first_to_last():
    assert list(SERIES) == [add_months(FIRST, k) for k in range(months_between(FIRST, LAST) + 1)]
    assert (FIRST, LAST) == ("2012-01", "2025-12")


def test_lookup_inside_before_and_after_the_series():
    """A month of the series gives its rates; before the series its first month's, after it its
    last month's; a month may be written as a date or an absolute month number."""
    assert rates_at("2016-05") == SERIES["2016-05"]
    assert rates_at("2016-05").bank == pytest.approx(0.0251)  # SSB, May 2016
    assert rates_at("1999-12") == rates_at("2011-12") == SERIES[FIRST]
    assert rates_at("2031-06") == rates_at("2026-01") == SERIES[LAST]
    assert rates_at(2016 * 12 + 4) == SERIES["2016-05"]


def test_policy_rate_is_the_level_in_force_at_the_end_of_the_month():
    """Norges Bank's decisions: 1.5 % from 14 March 2012, 0 % from 7 May 2020, 4.5 % from
    14 December 2023, 4 % from 18 September 2025."""
    days = [d for d, _ in POLICY_DECISIONS]
    assert days == sorted(days)
    assert rates_at("2012-02").policy == 0.0175 and rates_at("2012-03").policy == 0.015
    assert rates_at("2020-04").policy == 0.0025 and rates_at("2020-05").policy == 0.0
    assert rates_at("2023-11").policy == 0.0425 and rates_at("2023-12").policy == 0.045
    assert rates_at("2025-12").policy == 0.04


def test_bank_rate_keeps_the_figures_found_and_interpolates_between_them():
    for month, percent in BANK_FOUND.items():
        assert SERIES[month].bank == pytest.approx(percent / 100), month
    # 2018-04 .. 2018-09 lie on the line from 2.44 % (March) to 2.57 % (October)
    assert SERIES["2018-06"].bank == pytest.approx((2.44 + 3 / 7 * (2.57 - 2.44)) / 100)


def test_bank_rate_derived_where_no_figure_was_found():
    """Policy rate two months before plus the measured spread: April 2020 has the 1.5 % of
    February plus 1.85; June 2020 the 0.25 % of April; 2025-11 the 4 % of September plus
    1.27."""
    assert [s for _, _, s in BANK_DERIVED] == [1.85, 1.27]
    assert SERIES["2020-04"].bank == pytest.approx(0.0335)
    assert SERIES["2020-06"].bank == pytest.approx(0.0210)
    assert SERIES["2025-11"].bank == pytest.approx(0.0527)


def test_husbanken_rate_found_and_derived_by_its_rule():
    """The published figures are kept. Before March 2016: the policy rate (for the bill rate)
    of two months, three and two months before, plus 0.5 (1.0 from March 2014). From March
    2016: the bank rate of two months, four and three before, less 1.0."""
    for month, percent in HUSBANKEN_FOUND.items():
        assert SERIES[month].husbanken == pytest.approx(percent / 100), month
    # April-May 2012 from January and February 2012 (1.75 %) + 0.5
    assert SERIES["2012-04"].husbanken == SERIES["2012-05"].husbanken == pytest.approx(0.0225)
    # April-May 2015 from January and February 2015 (1.25 %) + 1.0
    assert SERIES["2015-05"].husbanken == pytest.approx(0.0225)
    # March-April 2017 from November and December 2016 (2.45 %, 2.45 %) - 1.0
    assert SERIES["2017-03"].husbanken == SERIES["2017-04"].husbanken == pytest.approx(0.0145)


def test_husbanken_rate_changes_on_the_first_of_every_second_month_from_2016():
    months = [m for m in SERIES if m >= "2016-03"]
    for a, b in zip(months, months[1:], strict=False):
        if int(b[5:]) % 2 == 0:  # an even month continues the period its odd month began
            assert SERIES[b].husbanken == SERIES[a].husbanken, b


def test_rates_are_plausible_fractions():
    """Fractions a year in the ranges of 2012-2025; Husbanken's rate lies below the banks'
    except for a while after the rates fall fast, as in spring 2020 (its rate lags the market's,
    SmartePenger (n.d.))."""
    for month, r in SERIES.items():
        assert 0.0 <= r.policy <= 0.05 and 0.0 < r.husbanken < 0.06 and 0.015 < r.bank < 0.06, month
    above = [m for m, r in SERIES.items() if r.husbanken >= r.bank]
    assert above == ["2020-05", "2020-06", "2020-07", "2020-08"]
