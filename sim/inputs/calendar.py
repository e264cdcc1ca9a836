"""Month arithmetic for the simulation calendar.

The model steps one month at a time, and scenario files name months as ``'YYYY-MM'`` strings
(a run start, a phase start). Here those strings become absolute month numbers
(``year * 12 + month - 1``) so that differences and offsets are plain integer arithmetic, and
back again. Only quoted ``'YYYY-MM'`` strings are accepted: a TOML date such as ``2015-08-01``
names a day, which the monthly model cannot honour, so it is rejected rather than truncated.
"""

from __future__ import annotations

import re

from sim.inputs.errors import InputError

_MONTH = re.compile(r"(\d{4})-(\d{2})")
#: Years a date may name: the model's rates and figures are Norwegian ones from the 2000s, and a
#: run (at most 100 years, after its burn-in) must end where calendars and plots still reach.
YEARS = (1900, 2199)


def parse_month(text: object, *, where: str | None = None, key: str | None = None) -> int:
    """Parse a ``'YYYY-MM'`` string into an absolute month number.

    Args:
        text: the date as written by the user; anything but a ``'YYYY-MM'`` string is an error.
        where: the file (or command-line option) the date came from, for the error message.
        key: the dotted key the date came from, for the error message.

    Returns:
        ``year * 12 + month - 1``, so that consecutive months differ by one.

    Raises:
        InputError: if ``text`` is not a string of the form ``'YYYY-MM'`` with a month 1..12
            and a year in :data:`YEARS`.
    """
    match = _MONTH.fullmatch(text) if isinstance(text, str) else None
    if (match is None or not 1 <= int(match.group(2)) <= 12
            or not YEARS[0] <= int(match.group(1)) <= YEARS[1]):
        shown = repr(text) if isinstance(text, str) else f"{text} ({type(text).__name__})"
        raise InputError(
            f"expected a date 'YYYY-MM' from {YEARS[0]}-01 to {YEARS[1]}-12 (a quoted string), "
            f"got {shown}", file=where, key=key,
        )
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def format_month(absolute: int) -> str:
    """Format an absolute month number (see :func:`parse_month`) as ``'YYYY-MM'``."""
    year, month0 = divmod(absolute, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def add_months(date: str, n: int) -> str:
    """The ``'YYYY-MM'`` date ``n`` months after ``date`` (before it if ``n`` is negative)."""
    return format_month(parse_month(date) + n)


def months_between(a: str, b: str) -> int:
    """Months from ``a`` to ``b`` (negative if ``b`` is earlier), e.g. 2012-01 to 2013-03 is 14."""
    return parse_month(b) - parse_month(a)
