"""The headline numbers: each measure's level per scenario and paired difference, in words.

A measure that ``summary.json`` also holds takes its numbers from
:meth:`sim.run.results.RunResult.summary` (levels) and :class:`sim.run.compare.Comparison`
(paired differences) of the very same runs, so the report and ``boligsim run`` with the same
seed and replications agree to the last digit. The one other, child-years in insecure housing,
is computed from the monthly data with the same :func:`sim.run.results.level_ci` (an interval
of what cannot be negative cut at zero, as summary.json's) and :func:`~sim.run.results.mean_ci`.

No measure compares a first year with a last or shows a value at the start: the start is the
same in every scenario of a municipality (common random numbers, a settled burn-in), so such a
row cannot differ, and a first year against a last shows the model settling as much as a
policy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.indicators import BY_NAME, INDEX
from sim.present.report.words import t
from sim.present.text import MINUS, NBSP, fmt_auto, fmt_millions
from sim.run.results import level_ci, mean_ci

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.run.compare import Comparison
    from sim.run.results import RunResult


@dataclass
class Cell:
    """One measure for one scenario: level and, against the reference, paired difference.

    Attributes:
        scenario: the scenario's (unique) name.
        mean: mean over replications.
        low: lower end of the 95 % interval of the mean (at least zero for what cannot be
            negative, :func:`sim.run.results.level_ci`).
        high: upper end.
        diff: mean paired difference against the reference; ``None`` for the reference.
        diff_low: lower end of the difference's 95 % interval.
        diff_high: upper end.
    """

    scenario: str
    mean: float
    low: float
    high: float
    diff: float | None = None
    diff_low: float | None = None
    diff_high: float | None = None


@dataclass
class Measure:
    """A headline measure across scenarios.

    Attributes:
        key: text key of its label (``m_own_home``, ...).
        indicator: the indicator it is built from.
        source: ``summary`` when the numbers are summary.json's (run value of the indicator),
            ``derived`` when computed here (child-years).
        money: NOK, shown in millions.
        cells: one per scenario, reference first.
    """

    key: str
    indicator: str
    source: str
    money: bool
    cells: list[Cell]

    def cell(self, scenario: str) -> Cell:
        """The cell of one scenario."""
        return next(c for c in self.cells if c.scenario == scenario)

    def noun(self, lang: str) -> str:
        """What the measure counts, as a difference names it (``barn``, ``families``)."""
        return t(lang, NOUNS.get(self.key, "n_families"))


#: What each count measure counts (text keys); the rest count families.
NOUNS = {"m_entered_work": "n_jobs", "m_children_end": "n_children",
         "m_children_homeless_end": "n_children", "m_child_years_insecure": "n_child_years",
         "m_child_moves": "n_moves", "m_evictions": "n_evictions"}


def _from_summary(key: str, indicator: str, results: Sequence[RunResult],
                  comparison: Comparison) -> Measure:
    """A measure whose numbers are the run values of summary.json and comparison.csv (both
    per 1,000 inhabitants when ``comparison.per_1000`` says so: then comparison.csv's)."""
    rows = {(r["scenario"], r["indicator"]): r for r in comparison.rows()}
    cells = []
    for j, res in enumerate(results):
        if comparison.per_1000:
            row = rows[(res.scenario.name, indicator)]
            cell = Cell(res.scenario.name, float(row["mean"]), float(row["ci_low"]),
                        float(row["ci_high"]))
        else:
            s = res.summary()[indicator]
            cell = Cell(res.scenario.name, s["mean"], s["ci95"][0], s["ci95"][1])
        if comparison.reference_of[j] != j:
            row = rows[(res.scenario.name, indicator)]
            cell.diff = float(row["diff"])
            cell.diff_low = float(row["diff_ci_low"])
            cell.diff_high = float(row["diff_ci_high"])
        cells.append(cell)
    return Measure(key, indicator, "summary", BY_NAME[indicator].unit == "NOK", cells)


def _derived(key: str, indicator: str, results: Sequence[RunResult], comparison: Comparison,
             value: Callable[[np.ndarray], np.ndarray]) -> Measure:
    """A measure computed from the monthly data: ``value`` maps (R, months) to (R,); the
    difference is against each result's reference in ``comparison``, and the values are per
    1,000 inhabitants when it says so."""
    k = INDEX[indicator]
    values = [value(res.data[:, :, k]) / comparison.inhabitants_per(res, indicator)
              for res in results]
    cells = []
    for j, res in enumerate(results):
        v = values[j]
        m, lo, hi = (float(x[0]) for x in level_ci(v[:, None], [indicator]))
        cell = Cell(res.scenario.name, m, lo, hi)
        r = comparison.reference_of[j]
        if r != j:
            d, dlo, dhi = mean_ci(v - values[r])
            cell.diff, cell.diff_low, cell.diff_high = float(d), float(dlo), float(dhi)
        cells.append(cell)
    return Measure(key, indicator, "derived", BY_NAME[indicator].unit == "NOK", cells)


def _in_years(x: np.ndarray) -> np.ndarray:
    """Each replication's total of child-months, in child-years."""
    return x.sum(axis=1) / 12


def headline_measures(results: Sequence[RunResult], comparison: Comparison) -> list[Measure]:
    """The headline measures, in the order the report shows them."""
    return [
        _from_summary("m_own_home", "purchases", results, comparison),
        _from_summary("m_entered_work", "entered_work", results, comparison),
        _from_summary("m_in_work_end", "families_in_work", results, comparison),
        _from_summary("m_sa_total", "social_assistance_nok", results, comparison),
        _from_summary("m_children_end", "children_municipal", results, comparison),
        _from_summary("m_homeless_end", "homeless", results, comparison),
        _from_summary("m_children_homeless_end", "children_homeless", results, comparison),
        _derived("m_child_years_insecure", "child_months_insecure", results, comparison,
                 _in_years),
        _from_summary("m_child_moves", "child_moves", results, comparison),
        _from_summary("m_evictions", "evictions", results, comparison),
        _from_summary("m_cost", "municipal_net_cost_nok", results, comparison),
    ]


def format_value(x: float, measure: Measure, lang: str, *context: float) -> str:
    """One number of a measure as the report shows it (millions for NOK)."""
    if measure.money:
        return fmt_millions(x, lang, *context)
    return fmt_auto(x, lang, *context)


def format_signed(x: float, measure: Measure, lang: str, *context: float) -> str:
    """A difference with an explicit sign: ``+12``, ``−3,5``, ``0``."""
    text = format_value(x, measure, lang, *context)
    return text if text.startswith(MINUS) or text.strip("0,." + NBSP) == "" else "+" + text


def interval_text(low: float, high: float, measure: Measure, lang: str) -> str:
    """``mellom 40 og 55`` / ``between 40 and 55`` (just the number when both round alike)."""
    lo = format_value(low, measure, lang, low, high)
    hi = format_value(high, measure, lang, low, high)
    return lo if lo == hi else t(lang, "interval", lo=lo, hi=hi)


#: Text keys of a difference that is surely above zero, surely below, or either, for counts
#: (False) and for money (True).
_DIFFERENCE_KEYS = {False: ("more_than", "fewer_than", "mixed_count"),
                    True: ("more_money", "less_money", "mixed_money")}


def difference_text(cell: Cell, measure: Measure, ref: str, lang: str) -> str:
    """The paired difference in words: ``mellom 12 og 20 flere barn enn i «Verdal»``
    (``ref`` quoted as the report names it).

    Said from the interval: more (or less) when it lies wholly above (below) zero, both ends
    given as sizes; "no clear difference" when it includes zero.
    """
    lo, hi = float(cell.diff_low), float(cell.diff_high)  # type: ignore[arg-type]
    more, less, mixed = _DIFFERENCE_KEYS[measure.money]

    def size(x: float) -> str:
        return format_value(abs(x), measure, lang, lo, hi)

    noun = measure.noun(lang)
    if lo >= 0:
        return t(lang, more, lo=size(lo), hi=size(hi), ref=ref, noun=noun)
    if hi <= 0:
        return t(lang, less, lo=size(hi), hi=size(lo), ref=ref, noun=noun)
    return t(lang, mixed, lo=size(lo), hi=size(hi), ref=ref, noun=noun)


def level_cell(cell: Cell, measure: Measure, lang: str) -> str:
    """A level as the headline table shows it: ``mean (low to high)``."""
    context = (cell.mean, cell.low, cell.high)
    return _estimate_text(format_value(cell.mean, measure, lang, *context),
                          cell.low, cell.high, context, measure, lang)


def difference_cell(cell: Cell, measure: Measure, lang: str) -> str | None:
    """A paired difference as the headline table shows it (``None`` for the reference)."""
    if cell.diff is None or cell.diff_low is None or cell.diff_high is None:
        return None
    context = (cell.diff, cell.diff_low, cell.diff_high)
    return _estimate_text(format_signed(cell.diff, measure, lang, *context),
                          cell.diff_low, cell.diff_high, context, measure, lang)


def _estimate_text(mean: str, low: float, high: float, context: tuple[float, ...],
                   measure: Measure, lang: str) -> str:
    """``mean (low to high)``, every number rounded alike (as ``context`` needs)."""
    return t(lang, "cell", mean=mean, lo=format_value(low, measure, lang, *context),
             hi=format_value(high, measure, lang, *context))


def worlds_clause(measure: Measure, scenario: str, lang: str,
                  worlds: Mapping[tuple[str, str], Mapping[str, float]] | None) -> str:
    """`` (same direction in 92 of 100 plausible worlds)`` for a measure whose numbers are a
    run value (``summary``), else empty."""
    if worlds is None or measure.source != "summary":
        return ""
    w = worlds[(measure.indicator, scenario)]
    count = int(w["worlds"])
    return t(lang, "worlds_clause", holds=round(w["worlds_sign_holds"] * count), count=count)
