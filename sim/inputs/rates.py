"""Interest rates month by month, 2012-01 to 2025-12: the dated path the loans of the model follow.

Three series, each in per cent a year as published, read as fractions through :func:`rates_at`:

- **Norges Bank's key policy rate** (``policy``): every decision, day by day, Norges Bank
  (2025). A month has the level in force at its end: a decision counts in the month it was
  announced (it takes effect the next business day). The model uses it only to derive the
  other two where they were not found.
- **The average rate on bank mortgages** (``bank``): SSB's statistic of interest rates in banks
  and mortgage companies, the floating rate on households' outstanding loans secured on
  dwellings (monthly sample), SSB (2025); 2012-2013 the rate on all outstanding repayment
  loans secured on dwellings at the end of each quarter, from the same statistic as charted
  by Norges Bank (2018). Found for 59 months (:data:`BANK_FOUND`); between two found months
  the rate is interpolated linearly. For two stretches no figure was found and the rate is
  **derived** (:data:`BANK_DERIVED`, an assumption): the policy rate two months earlier (the
  banks' six weeks' notice of a change) plus the spread between the two measured in the
  nearest months where both are known.
- **Husbanken's floating rate** (``husbanken``), the base of start-loan rates: it changes at
  most every second month. Three published figures were found (:data:`HUSBANKEN_FOUND`,
  Husbanken (n.d.-b)); every other value is **derived** from Husbanken's rule:

  - until February 2016 the rate on short government bills over two months, plus a margin of
    0.5 percentage points (1.0 from March 2014), taking effect two months later for two
    months (SmartePenger (n.d.), Husbanken (n.d.-b)); the policy rate stands in for the bill
    rate (an assumption: the bills trade close to it);
  - from March 2016 the average of the five best floating offers in the market over two
    months less 0.75 percentage points, in force from the first of the fourth month after
    the first (Husbanken (n.d.-b)); the average bank mortgage rate less 0.25 stands in for the
    five best offers (an assumption: "just under one percentage point" below the average rate
    in all, SmartePenger (n.d.); the three published figures lie 0.10-0.15 below the derived
    values of their months).

Before 2012-01 a lookup gives the first month's rates and after 2025-12 the last month's.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.inputs.calendar import format_month, parse_month

FIRST, LAST = "2012-01", "2025-12"


class Rates(NamedTuple):
    """The interest rates of one month, each a fraction a year (0.03 = 3 %/yr)."""

    policy: float
    husbanken: float
    bank: float


#: Norges Bank's key policy rate decisions: (day announced, new level in per cent a year).
#: Norges Bank (2025), press releases; the 2011 decisions (needed for Husbanken's rate in
#: early 2012) as reported by CentralBankNews and Reuters (*medium*). Unchanged at 4 per cent
#: from September to December 2025.
POLICY_DECISIONS = (
    ("2011-05-12", 2.25), ("2011-12-14", 1.75),
    ("2012-03-14", 1.50),
    ("2014-12-11", 1.25),
    ("2015-06-18", 1.00), ("2015-09-24", 0.75),
    ("2016-03-17", 0.50),
    ("2018-09-20", 0.75),
    ("2019-03-21", 1.00), ("2019-06-20", 1.25), ("2019-09-19", 1.50),
    ("2020-03-13", 1.00), ("2020-03-20", 0.25), ("2020-05-07", 0.00),
    ("2021-09-23", 0.25), ("2021-12-16", 0.50),
    ("2022-03-24", 0.75), ("2022-06-23", 1.25), ("2022-08-18", 1.75), ("2022-09-22", 2.25),
    ("2022-11-03", 2.50), ("2022-12-15", 2.75),
    ("2023-03-23", 3.00), ("2023-05-04", 3.25), ("2023-06-22", 3.75), ("2023-08-17", 4.00),
    ("2023-09-21", 4.25), ("2023-12-14", 4.50),
    ("2025-06-19", 4.25), ("2025-09-18", 4.00),
)

#: The bank mortgage rate where it was found, per cent a year, by month (end of month).
#: 2012-2013: Norges Bank (2018), SSB's rate on outstanding repayment loans secured on
#: dwellings, end of quarter. 2014-10/11: SSB (2025), all outstanding loans secured on
#: dwellings (the floating rate was not published). From 2014-12: SSB (2025), the floating
#: rate on outstanding loans secured on dwellings; 2021-09 all outstanding loans; 2022-10 and
#: 2023-06 as SSB's releases were reported by NTB and others (*medium*).
BANK_FOUND = {
    "2012-03": 4.20, "2012-06": 4.11, "2012-09": 4.02, "2012-12": 3.97,
    "2013-03": 3.93, "2013-06": 4.02, "2013-09": 4.10,
    "2014-10": 3.81, "2014-11": 3.76, "2014-12": 3.60,
    "2015-03": 3.25, "2015-04": 3.23, "2015-05": 3.22, "2015-06": 3.19, "2015-07": 3.15,
    "2015-08": 2.93, "2015-09": 2.91, "2015-10": 2.88, "2015-11": 2.77, "2015-12": 2.65,
    "2016-01": 2.64, "2016-02": 2.63, "2016-03": 2.61, "2016-04": 2.59, "2016-05": 2.51,
    "2016-06": 2.47, "2016-07": 2.46, "2016-08": 2.46, "2016-09": 2.45, "2016-10": 2.44,
    "2016-11": 2.45, "2016-12": 2.45,
    "2017-01": 2.53, "2017-02": 2.53, "2017-03": 2.53, "2017-04": 2.53, "2017-05": 2.52,
    "2017-06": 2.52, "2017-07": 2.51, "2017-08": 2.51, "2017-09": 2.50, "2017-10": 2.48,
    "2017-11": 2.47, "2017-12": 2.47,
    "2018-01": 2.46, "2018-02": 2.46, "2018-03": 2.44, "2018-10": 2.57,
    "2019-01": 2.57, "2019-02": 2.56,
    "2021-02": 1.82, "2021-03": 1.81, "2021-09": 1.81,
    "2022-05": 2.40, "2022-10": 3.39, "2022-11": 3.84,
    "2023-06": 4.75,
    "2024-12": 5.77, "2025-01": 5.76,
}

#: Stretches without a figure (an assumption): (first month, last month, spread in percentage
#: points over the policy rate two months before). The spreads are measured: 1.85 from
#: 2018-10 to 2019-02 (1.81-1.82 over 0.75) and in 2021-02/03 (1.81-1.82 over 0); 1.27 in
#: 2024-12 and 2025-01 (5.76-5.77 over 4.50). A found month inside a stretch keeps its figure.
BANK_DERIVED = (("2019-03", "2021-01", 1.85), ("2024-02", "2025-12", 1.27))

#: Husbanken's floating rate where it was published (monthly instalments), per cent a year:
#: Husbanken (n.d.-b), the rates of October 2022, and of June and from 1 July 2024.
HUSBANKEN_FOUND = {"2022-09": 1.381, "2022-10": 1.381, "2024-05": 4.554, "2024-06": 4.554,
                   "2024-07": 4.640, "2024-08": 4.640}

#: The month Husbanken's rate began to follow the market's best offers (Husbanken (n.d.-b)).
BEST_OFFERS_FROM = "2016-03"
#: Husbanken's margin over the bill rate before then: 0.5, and 1.0 percentage points from
#: March 2014 (Husbanken (n.d.-b)).
BILL_MARGIN = ((parse_month("2014-03"), 1.0), (0, 0.5))
#: Percentage points from the average bank mortgage rate to Husbanken's rate after then: 0.75
#: by rule below the five best offers, which sit about 0.25 below the average (assumption).
BELOW_BANK = 1.0


def _policy_by_month() -> list[tuple[int, float]]:
    """(absolute month, level in per cent) of each decision, in order."""
    return [(parse_month(day[:7]), level) for day, level in POLICY_DECISIONS]


_DECISIONS = _policy_by_month()


def policy_percent(month: int) -> float:
    """Norges Bank's policy rate in force at the end of absolute ``month``, per cent a year
    (the first decision's level before it)."""
    level = _DECISIONS[0][1]
    for when, new in _DECISIONS:
        if when > month:
            break
        level = new
    return level


def _bank_percent(months: range) -> np.ndarray:
    """The bank mortgage rate of each of ``months``, per cent a year: found, derived or
    interpolated between the two (flat before the first and after the last)."""
    known = {parse_month(k): v for k, v in BANK_FOUND.items()}
    for first, last, spread in BANK_DERIVED:
        for month in range(parse_month(first), parse_month(last) + 1):
            known.setdefault(month, policy_percent(month - 2) + spread)
    at = sorted(known)
    return np.interp(np.array(months), at, [known[k] for k in at])


def _husbanken_percent(month: int, bank: dict[int, float]) -> float:
    """Husbanken's floating rate in absolute ``month``, per cent a year (module docstring)."""
    found = HUSBANKEN_FOUND.get(format_month(month))
    if found is not None:
        return found
    if month < parse_month(BEST_OFFERS_FROM):
        start = month - (month + 1) % 2  # periods start in February, April, ...
        margin = next(m for since, m in BILL_MARGIN if start >= since)
        return (policy_percent(start - 3) + policy_percent(start - 2)) / 2 + margin
    start = month - month % 2  # periods start in January, March, ...
    first = min(bank)
    observed = [bank.get(k, bank[first]) for k in (start - 4, start - 3)]
    return max(sum(observed) / 2 - BELOW_BANK, 0.0)


def _series() -> dict[str, Rates]:
    months = range(parse_month(FIRST), parse_month(LAST) + 1)
    bank = dict(zip(months, _bank_percent(months).tolist(), strict=True))
    return {format_month(k): Rates(policy_percent(k) / 100, _husbanken_percent(k, bank) / 100,
                                   bank[k] / 100) for k in months}


#: The monthly series: ``'YYYY-MM'`` -> :class:`Rates`, from :data:`FIRST` to :data:`LAST`.
SERIES: dict[str, Rates] = _series()
_ORDERED = list(SERIES.values())
_START = parse_month(FIRST)


def rates_at(month: str | int) -> Rates:
    """The rates of ``month`` (``'YYYY-MM'`` or an absolute month number, see
    :func:`sim.inputs.calendar.parse_month`): the first month's before the series starts, the
    last month's after it ends."""
    k = parse_month(month) if isinstance(month, str) else month
    return _ORDERED[min(max(k - _START, 0), len(_ORDERED) - 1)]
