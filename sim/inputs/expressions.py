"""Indicator expressions: one number from a run's monthly indicators.

An expression is ``NAME@SUMMARY`` where NAME is an indicator (``docs/indicators.md``) and
SUMMARY is one of:

- ``final`` — the value in the last month;
- ``total`` — the sum over all months (for flows and money);
- ``mean`` — the mean over all months;
- ``max`` / ``min`` — the largest / smallest monthly value;
- ``YYYY-MM`` — the value in that month (must lie inside the run);
- ``YYYY`` — the sum over that calendar year for a flow or money indicator, the mean over it for
  a stock;
- ``share:OTHER`` — ``NAME@total / OTHER@total`` (e.g. the share of start loans to families with
  children: ``startloans_granted_children@share:startloans_granted``).

Used by sensitivity analysis (outputs), calibration (targets) and reports. Unknown names or
summaries are :class:`~sim.inputs.errors.InputError` naming the file and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from sim.inputs.errors import InputError
from sim.inputs.indicators import BY_NAME, INDEX, NAMES

SUMMARIES = ("final", "total", "mean", "max", "min", "YYYY-MM", "YYYY", "share:OTHER")


@dataclass(frozen=True)
class Expression:
    """A parsed indicator expression."""

    text: str
    name: str
    summary: str
    other: str | None = None

    def month_index(self, start: str, months: int) -> int | None:
        """0-based month of a ``YYYY-MM`` summary in a run from ``start``, else None."""
        if not re.fullmatch(r"\d{4}-\d{2}", self.summary):
            return None
        from sim.inputs.calendar import months_between

        return months_between(start, self.summary)

    def check_in_run(self, start: str, months: int, *, where: str | None = None) -> None:
        """Raise InputError if a dated summary lies outside a run of ``months`` from ``start``."""
        from sim.inputs.calendar import add_months, months_between

        k = self.month_index(start, months)
        if k is not None and not 0 <= k < months:
            raise InputError(f"{self.summary} is outside the run ({start} to "
                             f"{add_months(start, months - 1)})", file=where, key=self.text)
        if re.fullmatch(r"\d{4}", self.summary):
            first = months_between(start, f"{self.summary}-01")
            if first + 12 <= 0 or first >= months:
                raise InputError(f"year {self.summary} is outside the run", file=where,
                                 key=self.text)

    def value(self, history: np.ndarray, start: str) -> np.ndarray:
        """The expression's value for histories ``(..., months, indicators)``."""
        from sim.inputs.calendar import months_between

        x = history[..., INDEX[self.name]]
        s = self.summary
        if s == "final":
            return x[..., -1]
        if s == "total":
            return x.sum(axis=-1)
        if s == "mean":
            return x.mean(axis=-1)
        if s == "max":
            return x.max(axis=-1)
        if s == "min":
            return x.min(axis=-1)
        if self.other is not None:
            den = history[..., INDEX[self.other]].sum(axis=-1)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(den > 0, x.sum(axis=-1) / np.where(den > 0, den, 1), np.nan)
        if re.fullmatch(r"\d{4}-\d{2}", s):
            return x[..., months_between(start, s)]
        first = months_between(start, f"{s}-01")
        lo, hi = max(first, 0), min(first + 12, x.shape[-1])
        part = x[..., lo:hi]
        return part.mean(axis=-1) if BY_NAME[self.name].kind == "stock" else part.sum(axis=-1)


def parse(text: str, *, where: str | None = None) -> Expression:
    """Parse ``NAME@SUMMARY``; raise InputError naming ``where`` and the expression if bad."""
    if not isinstance(text, str) or text.count("@") != 1:
        raise InputError(f"expected NAME@SUMMARY, e.g. children_municipal@final, got {text!r}",
                         file=where, key=str(text))
    name, summary = text.split("@")
    if name not in BY_NAME:
        import difflib

        near = difflib.get_close_matches(name, NAMES, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise InputError(f"unknown indicator {name!r}{hint} (see docs/indicators.md)",
                         file=where, key=text)
    other = None
    if summary.startswith("share:"):
        other = summary.split(":", 1)[1]
        if other not in BY_NAME:
            raise InputError(f"unknown indicator {other!r} after share:", file=where, key=text)
    elif summary not in ("final", "total", "mean", "max", "min") and not re.fullmatch(
            r"\d{4}(-(0[1-9]|1[0-2]))?", summary):
        raise InputError(f"unknown summary {summary!r}; expected one of "
                         f"{', '.join(SUMMARIES)}", file=where, key=text)
    return Expression(text=text, name=name, summary=summary, other=other)
