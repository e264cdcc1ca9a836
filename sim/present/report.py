"""A report for presenting outcomes to politicians: PDF or one self-contained HTML file.

The lesson of Røe (2018, §3.2.1) is that projects survive when they can *show numbers*: how many
families got into work, how many into a home of their own, and social assistance paid before
and after. The report therefore opens with those numbers in plain words, each with its 95 %
interval and its paired difference against the first scenario, then shows figures of the key
indicators over time, tells a few simulated families' housing careers, and ends with a page on
assumptions, uncertainty and what the model cannot measure.

Every headline number that ``summary.json`` also holds is taken from
:meth:`sim.run.results.RunResult.summary` (levels) and :class:`sim.run.compare.Comparison` (paired
differences) of the very same runs, so the report and ``boligsim run`` with the same seed and
replications agree to the last digit. Numbers summary.json does not hold (the first and last
year of social assistance, values at the start) are computed here with the same
:func:`sim.run.results.mean_ci`.

The PDF is written with matplotlib's ``PdfPages`` (one figure per page, text pages drawn as
figures); the HTML with plain string templates, every text escaped with :func:`html.escape`
and every figure embedded as a base64 PNG, so the file has no external links, styles or
scripts.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import os
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import MUNICIPAL, OWNER_BANK, OWNER_STARTLOAN, PRIVATE, SUBLET, TENURES
from sim.inputs.indicators import BY_NAME, INDEX, TENURE_INDICATORS
from sim.present.figures import PALETTE, difference_bars
from sim.present.report_text import (
    TENURE_WORDS,
    fmt,
    fmt_auto,
    fmt_millions,
    join_list,
    label,
    month_name,
    t,
    tick_formatter,
    unit,
    years_phrase,
)
from sim.run.compare import Comparison, unique_names
from sim.run.files import pyplot
from sim.run.results import mean_ci

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.inputs.scenario import Scenario
    from sim.run.results import RunResult

#: Page size of the PDF (A4 landscape, inches).
PAGE = (11.69, 8.27)
#: Figures embedded in the HTML are rendered at this resolution.
HTML_DPI = 100
#: Lines of text on one PDF text page.
LINES_PER_PAGE = 34
#: Characters per line on a PDF text page.
WRAP = 110
#: The most and fewest family stories told.
MAX_STORIES, MIN_STORIES = 5, 3
#: Output formats by file suffix.
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}

_RENTERS = (MUNICIPAL, SUBLET, PRIVATE)
_OWNERS = (OWNER_STARTLOAN, OWNER_BANK)
_MISSING = -1


# --------------------------------------------------------------------------- headline numbers
@dataclass
class Cell:
    """One measure for one scenario: level and, against the reference, paired difference.

    Attributes:
        scenario: the scenario's (unique) name.
        mean: mean over replications.
        low: lower end of the 95 % interval of the mean.
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
            ``derived`` when computed here (first year, last year, start).
        money: NOK, shown in millions.
        cells: one per scenario, reference first.
    """

    key: str
    indicator: str
    source: str
    money: bool
    cells: list[Cell]

    @property
    def nonnegative(self) -> bool:
        """Whether the quantity cannot be below zero (counts, social assistance).

        The t-interval of a small, skewed count can reach below zero; the report shows such a
        lower end as zero (the numbers themselves stay as summary.json has them).
        """
        return self.indicator != "municipal_net_cost_nok"

    def shown_low(self, cell: Cell) -> float:
        """The lower end of a level's interval as shown: at least zero where that is sure."""
        return max(cell.low, 0.0) if self.nonnegative else cell.low

    def cell(self, scenario: str) -> Cell:
        """The cell of one scenario."""
        return next(c for c in self.cells if c.scenario == scenario)


def _from_summary(key: str, indicator: str, results: Sequence[RunResult],
                  comparison: Comparison) -> Measure:
    """A measure whose numbers are the run values of summary.json and comparison.csv."""
    rows = {(r["scenario"], r["indicator"]): r for r in comparison.rows()}
    cells = []
    for j, res in enumerate(results):
        s = res.summary()[indicator]
        cell = Cell(res.scenario.name, s["mean"], s["ci95"][0], s["ci95"][1])
        if j > 0:
            row = rows[(res.scenario.name, indicator)]
            cell.diff = float(row["diff"])
            cell.diff_low = float(row["diff_ci_low"])
            cell.diff_high = float(row["diff_ci_high"])
        cells.append(cell)
    return Measure(key, indicator, "summary", BY_NAME[indicator].unit == "NOK", cells)


def _derived(key: str, indicator: str, results: Sequence[RunResult],
             value: Callable[[np.ndarray], np.ndarray]) -> Measure:
    """A measure computed from the monthly data: ``value`` maps (R, months) to (R,)."""
    k = INDEX[indicator]
    ref = value(results[0].data[:, :, k])
    cells = []
    for j, res in enumerate(results):
        v = value(res.data[:, :, k])
        m, lo, hi = mean_ci(v)
        cell = Cell(res.scenario.name, float(m), float(lo), float(hi))
        if j > 0:
            d, dlo, dhi = mean_ci(v - ref)
            cell.diff, cell.diff_low, cell.diff_high = float(d), float(dlo), float(dhi)
        cells.append(cell)
    return Measure(key, indicator, "derived", BY_NAME[indicator].unit == "NOK", cells)


def _first_year(x: np.ndarray) -> np.ndarray:
    return x[:, :12].sum(axis=1)


def _last_year(x: np.ndarray) -> np.ndarray:
    return x[:, -12:].sum(axis=1)


def _at_start(x: np.ndarray) -> np.ndarray:
    return x[:, 0]


def headline_measures(results: Sequence[RunResult], comparison: Comparison) -> list[Measure]:
    """The headline measures, in the order the report shows them."""
    return [
        _from_summary("m_own_home", "purchases", results, comparison),
        _from_summary("m_entered_work", "entered_work", results, comparison),
        _derived("m_in_work_start", "families_in_work", results, _at_start),
        _from_summary("m_in_work_end", "families_in_work", results, comparison),
        _from_summary("m_sa_total", "social_assistance_nok", results, comparison),
        _derived("m_sa_first", "social_assistance_nok", results, _first_year),
        _derived("m_sa_last", "social_assistance_nok", results, _last_year),
        _derived("m_children_start", "children_municipal", results, _at_start),
        _from_summary("m_children_end", "children_municipal", results, comparison),
        _from_summary("m_homeless_end", "homeless", results, comparison),
        _from_summary("m_children_homeless_end", "children_homeless", results, comparison),
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
    return text if text.startswith("\u2212") or text.strip("0,.\u00a0") == "" else "+" + text


def interval_text(low: float, high: float, measure: Measure, lang: str) -> str:
    """``mellom 40 og 55`` / ``between 40 and 55`` (just the number when both round alike)."""
    lo = format_value(low, measure, lang, low, high)
    hi = format_value(high, measure, lang, low, high)
    return lo if lo == hi else t(lang, "interval", lo=lo, hi=hi)


def difference_text(cell: Cell, measure: Measure, ref: str, lang: str) -> str:
    """The paired difference in words: ``mellom 12 og 20 flere enn i «Baseline»``."""
    lo, hi = float(cell.diff_low), float(cell.diff_high)  # type: ignore[arg-type]

    def f(x: float) -> str:
        return format_value(abs(x), measure, lang, lo, hi)

    if measure.money:
        if lo >= 0:
            return t(lang, "more_money", lo=f(lo), hi=f(hi), ref=ref)
        if hi <= 0:
            return t(lang, "less_money", lo=f(hi), hi=f(lo), ref=ref)
        return t(lang, "mixed_money", lo=f(lo), hi=f(hi), ref=ref)
    if lo >= 0:
        return t(lang, "more_than", lo=f(lo), hi=f(hi), ref=ref)
    if hi <= 0:
        return t(lang, "fewer_than", lo=f(hi), hi=f(lo), ref=ref)
    return t(lang, "mixed_count", lo=f(lo), hi=f(hi), ref=ref)


def headline_sentences(measures: Sequence[Measure], results: Sequence[RunResult],
                       lang: str) -> list[tuple[str, list[str]]]:
    """Plain-language headline sentences, grouped by scenario (reference first)."""
    by_key = {m.key: m for m in measures}
    ref = results[0].scenario.name
    out = []
    for j, res in enumerate(results):
        name = res.scenario.name
        years = years_phrase(res.scenario.years, lang)

        def cell(key: str) -> Cell:
            return by_key[key].cell(name)  # noqa: B023 - used at once

        def iv(key: str) -> str:
            c = cell(key)
            return interval_text(by_key[key].shown_low(c), c.high, by_key[key], lang)

        def val(key: str) -> str:
            c = cell(key)
            return format_value(c.mean, by_key[key], lang, c.mean)

        def with_diff(text: str, key: str, tail: str = "", first: bool = j == 0) -> str:
            if not first:
                text += " – " + difference_text(cell(key), by_key[key], ref, lang)
            return f"{text}{tail}."

        lines = [
            with_diff(t(lang, "h_own_home", scen=name, interval=iv("m_own_home"), years=years),
                      "m_own_home"),
            with_diff(t(lang, "h_work", scen=name, interval=iv("m_entered_work"), years=years),
                      "m_entered_work", t(lang, "h_work_tail", start=val("m_in_work_start"),
                                          end=val("m_in_work_end"))),
            with_diff(t(lang, "h_sa", scen=name, interval=iv("m_sa_total"), years=years,
                        first=val("m_sa_first"), last=val("m_sa_last")), "m_sa_total"),
            with_diff(t(lang, "h_children", scen=name, start=val("m_children_start"),
                        interval=iv("m_children_end")), "m_children_end"),
            with_diff(t(lang, "h_homeless", scen=name, interval=iv("m_homeless_end"),
                        children=val("m_children_homeless_end")), "m_homeless_end"),
            with_diff(t(lang, "h_evictions", scen=name, interval=iv("m_evictions"),
                        years=years), "m_evictions"),
            with_diff(t(lang, "h_cost", scen=name, interval=iv("m_cost"), years=years),
                      "m_cost"),
        ]
        out.append((name, lines))
    return out


# --------------------------------------------------------------------------- family stories
@dataclass
class Trajectories:
    """Every family's state at the end of each month of one replication.

    Arrays are (months, families); a family not living in the municipality that month has
    tenure ``-1``.

    Attributes:
        scenario: the scenario's name.
        dates: ``YYYY-MM`` of each month.
        tenure: tenure codes (:data:`sim.engine.families.TENURES`), ``-1`` when absent.
        employed: an adult employed.
        net_income: net income, NOK per month.
        loan_principal: outstanding loan, NOK.
        rent_arrears: unpaid rent, NOK.
        adults: adults in the household.
        children: number of children.
        refugee: refugee background.
    """

    scenario: str
    dates: list[str]
    tenure: np.ndarray
    employed: np.ndarray
    net_income: np.ndarray
    loan_principal: np.ndarray
    rent_arrears: np.ndarray
    adults: np.ndarray
    children: np.ndarray
    refugee: np.ndarray

    @property
    def present(self) -> np.ndarray:
        """Living in the municipality, (months, families)."""
        return self.tenure >= 0


_SNAPSHOT = ("tenure", "employed", "net_income", "loan_principal", "rent_arrears", "adults",
             "refugee")


def record_trajectories(scenario: Scenario, seed: int, replication: int = 0) -> Trajectories:
    """Step one replication month by month and keep every family's state each month.

    The model is built by :func:`sim.run.runner.build_model`, so this is the same run as
    replication ``replication`` of the report's runs.
    """
    from sim.run.runner import build_model

    model = build_model(scenario, seed, replication)
    frames: dict[str, list[np.ndarray]] = {k: [] for k in (*_SNAPSHOT, "children", "uid")}
    while model.month < model.months:
        model.step()
        f, n = model.f, model.f.n
        tenure = np.where(f.active[:n], f.tenure[:n].astype(np.int16), _MISSING)
        frames["tenure"].append(tenure)
        for name in (*_SNAPSHOT[1:], "uid"):
            frames[name].append(getattr(f, name)[:n].copy())
        frames["children"].append((f.child_age[:n] >= 0).sum(axis=1))
    size = model.f.n_ever

    def stack(name: str, fill: Any, dtype: Any) -> np.ndarray:
        # column = the family's uid: rows of departed families may have been dropped
        out = np.full((len(frames[name]), size), fill, dtype=dtype)
        for m, (uid, row) in enumerate(zip(frames["uid"], frames[name], strict=True)):
            out[m, uid] = row
        return out

    return Trajectories(
        scenario=scenario.name, dates=model.dates,
        tenure=stack("tenure", _MISSING, np.int16), employed=stack("employed", False, bool),
        net_income=stack("net_income", np.nan, float),
        loan_principal=stack("loan_principal", np.nan, float),
        rent_arrears=stack("rent_arrears", 0.0, float), adults=stack("adults", 0, np.int16),
        children=stack("children", 0, np.int16), refugee=stack("refugee", False, bool),
    )


@dataclass
class Story:
    """One family's housing career, chosen to show a pattern.

    Attributes:
        pattern: ``municipal_to_owner``, ``homeless_to_private``, ``stays_municipal``,
            ``lost_home``, ``forced_sale``, ``into_work`` or ``steady``.
        family: the family's index in the run.
        sentence: the career in one sentence.
    """

    pattern: str
    family: int
    sentence: str = ""


def _first(mask: np.ndarray) -> int:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else -1


def _pattern_months(tr: Trajectories, i: int) -> dict[str, int]:
    """The month each pattern shows in family ``i``'s path (patterns it does not show: absent).
    """
    ten, here = tr.tenure[:, i], tr.present[:, i]
    months = len(ten)
    first = _first(here)
    if first < 0:
        return {}
    out: dict[str, int] = {}
    start = ten[first]
    whole = bool(here.all())
    later = np.arange(months) > first
    if start in (MUNICIPAL, SUBLET):
        m = _first(later & np.isin(ten, _OWNERS))
        if m >= 0:
            out["municipal_to_owner"] = m
        if whole and np.isin(ten, (MUNICIPAL, SUBLET)).all():
            out["stays_municipal"] = 0
    if start == 0:  # homeless
        m = _first(later & (ten == PRIVATE))
        if m >= 0:
            out["homeless_to_private"] = m
    prev = np.concatenate(([_MISSING], ten[:-1]))
    m = _first(np.isin(prev, _RENTERS) & (ten == 0))
    if m >= 0:
        out["lost_home"] = m
    m = _first(np.isin(prev, _OWNERS) & here & ~np.isin(ten, _OWNERS))
    if m >= 0:
        out["forced_sale"] = m
    emp = tr.employed[:, i]
    if not emp[first]:
        m = _first(later & here & emp)
        if m >= 0:
            out["into_work"] = m
    if whole and (ten == start).all():
        out["steady"] = 0
    return out


#: Patterns in the order stories are looked for; the last always has a family in practice.
PATTERNS = ("municipal_to_owner", "homeless_to_private", "stays_municipal", "lost_home",
            "forced_sale", "into_work", "steady")


def choose_stories(tr: Trajectories, limit: int = MAX_STORIES) -> list[Story]:
    """Pick up to ``limit`` families, one per pattern, each typical of its pattern.

    Among the families that show a pattern, the one whose telling month is nearest the
    median month of them all is chosen, preferring families with children (whom the report is
    about); ties go to the lowest index, so the choice is reproducible. A family is told once.
    """
    found: dict[str, list[tuple[int, int]]] = {p: [] for p in PATTERNS}
    for i in range(tr.tenure.shape[1]):
        for pattern, month in _pattern_months(tr, i).items():
            found[pattern].append((i, month))
    stories: list[Story] = []
    told: set[int] = set()
    for pattern in PATTERNS:
        if len(stories) >= limit:
            break
        if pattern == "steady" and len(stories) >= MIN_STORIES:
            break
        candidates = [(i, m) for i, m in found[pattern] if i not in told]
        if not candidates:
            continue
        median = float(np.median([m for _, m in candidates]))

        def rank(item: tuple[int, int], median: float = median) -> tuple[int, float, int]:
            i, m = item
            first = _first(tr.present[:, i])
            no_children = int(tr.children[first, i] == 0)
            return (no_children, abs(m - median), i)

        i, _ = min(candidates, key=rank)
        stories.append(Story(pattern, i))
        told.add(i)
    return stories


def story_sentence(tr: Trajectories, i: int, lang: str, max_events: int = 4) -> str:
    """Family ``i``'s career in one sentence, from its monthly states."""
    ten, here, emp = tr.tenure[:, i], tr.present[:, i], tr.employed[:, i]
    first = _first(here)
    last = int(np.flatnonzero(here)[-1])
    adults, kids = int(tr.adults[first, i]), int(tr.children[first, i])
    subject = t(lang, "couple" if adults > 1 else ("single" if kids else "single_nochild"))
    traits = [t(lang, "refugee")] if tr.refugee[first, i] else []
    if kids:
        traits.append(t(lang, "one_child") if kids == 1 else
                      t(lang, "children_n", n=fmt(kids, lang)))
    if traits:
        subject += f" {t(lang, 'with')} {join_list(traits, lang)}"
    words = TENURE_WORDS[lang]
    start_words = words[TENURES[ten[first]]][0]
    if first == 0:
        opening = t(lang, "lived_at_start", tenure=start_words)
    else:
        opening = t(lang, "arrived", date=month_name(tr.dates[first], lang), tenure=start_words)
    events: list[str] = []
    moved = False
    for m in range(first + 1, last + 1):
        date = month_name(tr.dates[m], lang)
        if ten[m] != ten[m - 1]:
            moved = True
            what = words[TENURES[ten[m]]][1]
            if ten[m] == 0 and ten[m - 1] in _RENTERS and tr.rent_arrears[m - 1, i] > 0:
                events.append(t(lang, "evicted", date=date))
            elif ten[m] == 0 and ten[m - 1] in _RENTERS:
                events.append(t(lang, "moved_event", what=t(lang, "moved_out"), date=date))
            elif ten[m - 1] in _OWNERS and ten[m] not in _OWNERS:
                events.append(t(lang, "moved_event", what=t(lang, "sold", what=what),
                                date=date))
            else:
                events.append(t(lang, "moved_event", what=what, date=date))
        if emp[m] and not emp[m - 1]:
            events.append(t(lang, "got_job", date=date))
        elif emp[m - 1] and not emp[m]:
            events.append(t(lang, "lost_job", date=date))
    if last < len(ten) - 1:
        events.append(t(lang, "left", date=month_name(tr.dates[last + 1], lang)))
    shown = events[:max_events]
    if len(events) > max_events:
        shown.append(t(lang, "more_events", n=fmt(len(events) - max_events, lang)))
    if not moved and last == len(ten) - 1:
        shown.append(t(lang, "stayed_homeless" if ten[first] == 0 else "stayed"))
    return f"{subject} {join_list([opening, *shown], lang)}."


# --------------------------------------------------------------------------- figures
def _dates(result: RunResult) -> np.ndarray:
    return np.array([np.datetime64(d) for d in result.dates])


def _year_axis(ax: Any, lang: str) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel(t(lang, "year_axis"), fontsize=8)


@dataclass
class Series:
    """One time-series panel of a theme figure.

    Attributes:
        name: label key (:data:`sim.present.report_text.LABELS`).
        unit: unit key (:data:`sim.present.report_text.UNITS`).
        values: maps a run to (x dates, values of shape (R, len(x))) in display units.
        diff: indicator whose paired difference (summary.json's run value) is shown beside
            it; ``None`` for none.
        guideline: a horizontal reference line, in display units.
    """

    name: str
    unit: str
    values: Callable[[RunResult], tuple[np.ndarray, np.ndarray]]
    diff: str | None = None
    guideline: float | None = None


def _level(name: str, scale: float = 1.0) -> Callable[[RunResult], tuple[Any, Any]]:
    def values(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
        return _dates(res), res.data[:, :, INDEX[name]] * scale

    return values


def _cumulative(name: str) -> Callable[[RunResult], tuple[Any, Any]]:
    def values(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
        return _dates(res), np.cumsum(res.data[:, :, INDEX[name]], axis=1)

    return values


def _owners(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
    d = res.data
    return _dates(res), d[:, :, INDEX["owner_startloan"]] + d[:, :, INDEX["owner_bank"]]


def _annual(name: str) -> Callable[[RunResult], tuple[Any, Any]]:
    def values(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
        x = res.data[:, :, INDEX[name]]
        years = x.shape[1] // 12
        sums = x[:, : years * 12].reshape(x.shape[0], years, 12).sum(axis=2) / 1e6
        starts = _dates(res)[: years * 12 : 12]
        return starts + np.timedelta64(182, "D"), sums

    return values


def _children_share(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
    granted = np.cumsum(res.data[:, :, INDEX["startloans_granted"]], axis=1)
    kids = np.cumsum(res.data[:, :, INDEX["startloans_granted_children"]], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(granted > 0, 100.0 * kids / np.where(granted > 0, granted, 1), np.nan)
    return _dates(res), share


def theme_series() -> list[tuple[str, list[Series]]]:
    """The theme figures after the tenure figure: (title key, panels)."""
    return [
        ("f_children", [Series("children_municipal", "children",
                               _level("children_municipal"), "children_municipal")]),
        ("f_homeless", [Series("homeless", "families", _level("homeless"), "homeless"),
                        Series("children_homeless", "children", _level("children_homeless"),
                               "children_homeless")]),
        ("f_own_work", [Series("owners", "families", _owners, "owner_startloan"),
                        Series("purchases", "cumulative", _cumulative("purchases"),
                               "purchases"),
                        Series("families_in_work", "families", _level("families_in_work"),
                               "families_in_work")]),
        ("f_startloans", [Series("startloans_granted", "loans_cumulative",
                                 _cumulative("startloans_granted"), "startloans_granted"),
                          Series("startloan_children_share", "share", _children_share,
                                 "startloans_granted_children", guideline=50.0)]),
        ("f_evictions", [Series("evictions", "cumulative", _cumulative("evictions"),
                                "evictions"),
                         Series("forced_sales", "cumulative", _cumulative("forced_sales"),
                                "forced_sales")]),
        ("f_money", [Series("social_assistance_nok", "mnok_year",
                            _annual("social_assistance_nok"), "social_assistance_nok"),
                     Series("municipal_net_cost_nok", "mnok_year",
                            _annual("municipal_net_cost_nok"), "municipal_net_cost_nok")]),
    ]


def _caption(fig: Figure, caption: str | None) -> None:
    if caption:
        text = "\n".join(textwrap.fill(part, 150) if part else "" for part in caption.split("\n"))
        fig.text(0.01, 0.01, text, fontsize=8, va="bottom")


def tenure_figure(results: Sequence[RunResult], lang: str, caption: str | None = None
                  ) -> Figure:
    """Families by tenure over time: a stacked area of mean counts, one panel per scenario."""
    plt = pyplot()
    n = len(results)
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=PAGE, squeeze=False, sharey=True)
    for ax, res in zip(axes.flat, results, strict=False):
        stacks = [res.data[:, :, INDEX[name]].mean(axis=0) for name in TENURE_INDICATORS]
        ax.stackplot(_dates(res), stacks, colors=PALETTE[: len(stacks)], alpha=0.9,
                     labels=[label(lang, name) for name in TENURE_INDICATORS])
        ax.set_title(res.scenario.name, fontsize=10)
        ax.set_ylabel(unit(lang, "families"), fontsize=8)
        ax.yaxis.set_major_formatter(tick_formatter(lang))
        _year_axis(ax, lang)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="center right", fontsize=8, frameon=False)
    fig.suptitle(t(lang, "f_tenure"), fontsize=12, x=0.02, ha="left")
    fig.subplots_adjust(left=0.07, right=0.8, top=0.9, bottom=0.12 if caption else 0.08,
                        hspace=0.35, wspace=0.12)
    _caption(fig, caption)
    return fig


def theme_figure(title: str, panels: Sequence[Series], results: Sequence[RunResult],
                 comparison: Comparison, lang: str, caption: str | None = None) -> Figure:
    """A theme page: each panel's mean and 95 % band over time per scenario, and beside it the
    paired difference against the reference with its 95 % interval (when there are two or more
    scenarios)."""
    plt = pyplot()
    diffs = len(results) > 1
    fig, axes = plt.subplots(len(panels), 2 if diffs else 1, figsize=PAGE, squeeze=False,
                             gridspec_kw={"width_ratios": [2.2, 1]} if diffs else None)
    ref = results[0].scenario.name
    rows = {(r["scenario"], r["indicator"]): r for r in comparison.rows()} if diffs else {}
    for row, panel in enumerate(panels):
        ax = axes[row, 0]
        for j, res in enumerate(results):
            x, v = panel.values(res)
            m, lo, hi = mean_ci(v)
            colour = PALETTE[j % len(PALETTE)]
            style = "o-" if len(x) < len(res.dates) else "-"
            ax.plot(x, m, style, color=colour, lw=1.6, ms=3, label=res.scenario.name)
            ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)
        if panel.guideline is not None:
            ax.axhline(panel.guideline, color="black", lw=0.8, ls="--",
                       label=t(lang, "guideline"))
        ax.set_title(label(lang, panel.name), fontsize=10, loc="left")
        ax.set_ylabel(unit(lang, panel.unit), fontsize=8)
        ax.yaxis.set_major_formatter(tick_formatter(lang))
        _year_axis(ax, lang)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        if row == 0 or panel.guideline is not None:
            ax.legend(fontsize=7, loc="best")
        if diffs:
            _difference_panel(axes[row, 1], panel.diff, results, rows, ref, lang)
    fig.suptitle(t(lang, title), fontsize=12, x=0.02, ha="left")
    fig.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.12 if caption else 0.08,
                        hspace=0.55, wspace=0.3 if diffs else 0.2)
    _caption(fig, caption)
    return fig


def _difference_panel(ax: Any, indicator: str | None, results: Sequence[RunResult],
                      rows: dict[tuple[str, str], dict[str, Any]], ref: str, lang: str) -> None:
    """Horizontal bars: paired difference of ``indicator``'s run value against ``ref``."""
    if indicator is None:
        ax.set_visible(False)
        return
    ind = BY_NAME[indicator]
    scale = 1e-6 if ind.unit == "NOK" else 1.0
    others = [r.scenario.name for r in results[1:]]
    difference_bars(ax, [rows[(name, indicator)] for name in others], others, scale,
                    alpha=0.85)
    ax.invert_yaxis()
    what = unit(lang, "mnok") if scale != 1.0 else unit(lang, {
        "children": "children", "dwellings": "dwellings"}.get(ind.unit, "families"))
    when = t(lang, "at_end") if ind.kind == "stock" else t(lang, "over_run")
    ax.set_title(label(lang, indicator), fontsize=9, loc="left")
    ax.set_xlabel(t(lang, "diff_axis", ref=ref, unit=what, when=when), fontsize=8)
    ax.xaxis.set_major_formatter(tick_formatter(lang))
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3, axis="x")


def story_figure(tr: Trajectories, story: Story, lang: str, caption: str | None = None
                 ) -> Figure:
    """A family's housing career as a timeline: tenure, work, net income and loan."""
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch

    plt = pyplot()
    i = story.family
    here = tr.present[:, i]
    x = np.array([np.datetime64(d) for d in tr.dates])
    xn = mdates.date2num(x)
    width = float(np.median(np.diff(xn))) if len(xn) > 1 else 30.0
    fig, axes = plt.subplots(4, 1, figsize=PAGE, sharex=True,
                             gridspec_kw={"height_ratios": [1.1, 0.6, 1.6, 1.6]})
    ten = tr.tenure[:, i]
    for k in sorted({int(v) for v in ten[here]}):
        axes[0].broken_barh(_spans(ten == k, xn, width), (0, 1), color=PALETTE[k], lw=0)
    seen = sorted({int(v) for v in ten[here]})
    axes[0].legend(handles=[Patch(color=PALETTE[k], label=label(lang, TENURES[k]))
                            for k in seen], loc="upper left", bbox_to_anchor=(1.0, 1.0),
                   fontsize=8, frameon=False)
    axes[0].set_yticks([])
    axes[0].set_ylabel(t(lang, "story_tenure"), fontsize=8)
    emp = tr.employed[:, i]
    axes[1].broken_barh(_spans(here & emp, xn, width), (0, 1), lw=0, color=PALETTE[2])
    axes[1].broken_barh(_spans(here & ~emp, xn, width), (0, 1), lw=0, color="#DDDDDD")
    axes[1].legend(handles=[Patch(color=PALETTE[2], label=t(lang, "yes")),
                            Patch(color="#DDDDDD", label=t(lang, "no"))],
                   loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    axes[1].set_yticks([])
    axes[1].set_ylabel(t(lang, "story_work"), fontsize=8)
    income = np.where(here, tr.net_income[:, i], np.nan)
    loan = np.where(here, tr.loan_principal[:, i], np.nan)
    axes[2].step(xn, income, where="post", color=PALETTE[0], lw=1.5)
    axes[2].set_ylabel(t(lang, "story_income"), fontsize=8)
    axes[3].step(xn, loan, where="post", color=PALETTE[5], lw=1.5)
    axes[3].set_ylabel(t(lang, "story_loan"), fontsize=8)
    for ax in axes[2:]:
        ax.yaxis.set_major_formatter(tick_formatter(lang))
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    for ax in axes:
        ax.tick_params(labelsize=8)
    axes[3].xaxis_date()
    _year_axis(axes[3], lang)
    fig.suptitle(t(lang, "p_" + story.pattern), fontsize=12, x=0.02, ha="left")
    fig.subplots_adjust(left=0.1, right=0.84, top=0.9, bottom=0.14 if caption else 0.08,
                        hspace=0.25)
    _caption(fig, caption)
    return fig


def _spans(mask: np.ndarray, xn: np.ndarray, width: float) -> list[tuple[float, float]]:
    """Runs of true months as ``(start, length)`` in matplotlib date units."""
    spans = []
    m, n = 0, len(mask)
    while m < n:
        if mask[m]:
            end = m
            while end + 1 < n and mask[end + 1]:
                end += 1
            spans.append((float(xn[m]), float(xn[end] - xn[m]) + width))
            m = end + 1
        else:
            m += 1
    return spans


# --------------------------------------------------------------------------- the report
@dataclass
class Page:
    """One part of the report.

    Attributes:
        kind: ``text``, ``table`` or ``figure``.
        title: heading.
        paragraphs: for text pages, ``(style, text)`` with style ``p``, ``h`` or ``li``.
        figure: for figure pages, builds the figure given an optional caption.
        caption: for figure pages, the text under the figure.
        intro: a heading and paragraph that open a group of pages (shown before the page in
            HTML, and after the caption in the PDF).
    """

    kind: str
    title: str
    paragraphs: list[tuple[str, str]] = field(default_factory=list)
    figure: Callable[[str | None], Figure] | None = None
    caption: str = ""
    intro: tuple[str, str] | None = None


@dataclass
class Report:
    """Everything a report shows, in one language, ready to write as PDF or HTML.

    Attributes:
        results: the runs, reference first, with unique scenario names.
        lang: ``nb`` or ``en``.
        provenance: what produced the runs (:func:`sim.run.provenance.provenance`).
        trajectories: the run the family stories come from.
        stories: the families told.
    """

    results: list[RunResult]
    lang: str
    provenance: dict[str, Any]
    trajectories: Trajectories
    stories: list[Story]
    comparison: Comparison = field(init=False)
    measures: list[Measure] = field(init=False)

    def __post_init__(self) -> None:
        self.comparison = Comparison(self.results)
        self.measures = headline_measures(self.results, self.comparison)
        for story in self.stories:
            story.sentence = story_sentence(self.trajectories, story.family, self.lang)

    @property
    def reference(self) -> str:
        """The reference scenario's name."""
        return self.results[0].scenario.name

    def pages(self) -> list[Page]:
        """The report's parts in reading order."""
        lang, ref = self.lang, self.reference
        res0 = self.results[0]
        front = [
            ("p", t(lang, "subtitle", scenarios=join_list(
                [r.scenario.name for r in self.results], lang))),
            ("p", t(lang, "made_by", version=self.provenance.get("boligsim", "?"),
                    replications=fmt(res0.replications, lang), seed=res0.seed)),
            ("p", t(lang, "reference_is", ref=ref)),
            ("h", t(lang, "headlines")),
            ("p", t(lang, "headline_intro")),
        ]
        for _name, lines in headline_sentences(self.measures, self.results, lang):
            front += [("li", line) for line in lines]
        pages = [Page("text", t(lang, "title"), front),
                 Page("table", t(lang, "table_title", ref=ref))]
        note = t(lang, "band_note", ref=ref)
        results = self.results
        pages.append(Page("figure", t(lang, "f_tenure"), caption="",
                          figure=lambda c: tenure_figure(results, lang, c)))
        for key, panels in theme_series():
            pages.append(Page("figure", t(lang, key), caption=note,
                              figure=_bind(theme_figure, key, panels, results,
                                           self.comparison, lang)))
        tr = self.trajectories
        intro = (t(lang, "stories"), t(lang, "stories_intro", scen=tr.scenario))
        for k, story in enumerate(self.stories):
            pages.append(Page("figure", t(lang, "p_" + story.pattern), caption=story.sentence,
                              figure=_bind(story_figure, tr, story, lang),
                              intro=intro if k == 0 else None))
        pages.append(Page("text", t(lang, "assumptions"), self._assumptions()))
        return pages

    def _assumptions(self) -> list[tuple[str, str]]:
        from sim.inputs.parameters import REGISTRY

        lang, res0 = self.lang, self.results[0]
        counts = {k: len(REGISTRY.by_kind(k)) for k in ("policy", "context", "calibrated",
                                                        "assumption")}
        years = {r.scenario.years for r in self.results}
        years_text = years_phrase(res0.scenario.years, lang) if len(years) == 1 else ""
        out = [("p", t(lang, "a_runs", replications=fmt(res0.replications, lang),
                       years=years_text, seed=res0.seed).replace("  ", " "))]
        shapes = {(r.scenario.start, len(r.dates)) for r in self.results}
        if len(shapes) > 1:
            detail = "; ".join(f"{r.scenario.name}: {r.scenario.start}, "
                               f"{years_phrase(r.scenario.years, lang)}" for r in self.results)
            out.append(("p", t(lang, "a_lengths", detail=detail)))
        out.append(("p", t(lang, "a_params", total=fmt(len(REGISTRY), lang),
                           **{k: fmt(v, lang) for k, v in counts.items()})))
        out.append(("p", t(lang, "a_cannot")))
        out += [("li", item) for item in t(lang, "a_cannot_items").split("|")]
        out.append(("p", t(lang, "a_model")))
        commit = self.provenance.get("git_commit") or "–"
        scen = ", ".join(f"{r.scenario.name} ({r.scenario.digest()[:12]})" for r in self.results)
        out.append(("p", t(lang, "a_provenance", version=self.provenance.get("boligsim", "?"),
                           commit=str(commit)[:12], scenarios=scen)))
        return out

    # ------------------------------------------------------------------ table
    def table_rows(self) -> list[tuple[Measure, list[tuple[str, str | None]]]]:
        """Each measure with, per scenario, (level text, difference text or None)."""
        out = []
        for measure in self.measures:
            cells = []
            for c in measure.cells:
                ctx = (c.mean, c.low, c.high)
                level = t(self.lang, "cell", mean=format_value(c.mean, measure, self.lang, *ctx),
                          lo=format_value(measure.shown_low(c), measure, self.lang, *ctx),
                          hi=format_value(c.high, measure, self.lang, *ctx))
                diff = None
                if c.diff is not None:
                    dctx = (c.diff, c.diff_low, c.diff_high)
                    diff = t(self.lang, "cell",
                             mean=format_signed(c.diff, measure, self.lang, *dctx),
                             lo=format_value(c.diff_low, measure, self.lang, *dctx),
                             hi=format_value(c.diff_high, measure, self.lang, *dctx))
                cells.append((level, diff))
            out.append((measure, cells))
        return out

    def measure_label(self, measure: Measure) -> str:
        """The row label of a measure."""
        return t(self.lang, measure.key)

    def table_figure(self, title: str) -> Figure:
        """The headline table drawn as a PDF page."""
        plt = pyplot()
        fig = plt.figure(figsize=PAGE)
        fig.suptitle(textwrap.fill(title, 120), fontsize=11, x=0.02, ha="left")
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.86))
        ax.axis("off")
        names = [r.scenario.name for r in self.results]
        text = []
        for measure, cells in self.table_rows():
            row = [self.measure_label(measure)]
            for level, diff in cells:
                row.append(level if diff is None else
                           f"{level}\n{t(self.lang, 'diff_prefix')} {diff}")
            text.append(row)
        table = ax.table(cellText=text, colLabels=[t(self.lang, "col_measure"), *names],
                         loc="upper left", cellLoc="left",
                         colWidths=[0.3] + [0.7 / len(names)] * len(names))
        table.auto_set_font_size(False)
        table.set_fontsize(7 if len(names) > 3 else 8)
        table.scale(1, 2.3)
        for (r, _c), cell in table.get_celld().items():
            if r == 0:
                cell.set_text_props(weight="bold")
        return fig

    # ------------------------------------------------------------------ PDF
    def write_pdf(self, path: str | os.PathLike[str]) -> list[str]:
        """Write the report as PDF, one page per figure or text page.

        Returns:
            The title of every PDF page, in order (a long text part fills several pages).
        """
        from matplotlib.backends.backend_pdf import PdfPages

        from sim.run.files import atomic_write_bytes

        plt = pyplot()
        titles: list[str] = []
        buf = io.BytesIO()
        meta = {"Title": t(self.lang, "title"), "Creator": "boligsim", "CreationDate": None}
        with PdfPages(buf, metadata=meta) as pdf:
            for page in self.pages():
                if page.kind == "text":
                    figs = _text_figures(page.title, page.paragraphs)
                elif page.kind == "table":
                    figs = [self.table_figure(page.title)]
                else:
                    caption = page.caption
                    if page.intro:
                        caption = f"{caption}\n\n{page.intro[1]}".strip()
                    figs = [page.figure(caption)]  # type: ignore[misc]
                for fig in figs:
                    pdf.savefig(fig)
                    plt.close(fig)
                    titles.append(page.title)
        atomic_write_bytes(path, buf.getvalue())
        return titles

    # ------------------------------------------------------------------ HTML
    def html(self) -> str:
        """The report as one self-contained HTML document."""
        plt = pyplot()
        e = html.escape
        parts = []
        for k, page in enumerate(self.pages()):
            if page.kind == "text":
                parts.append(_html_text(page.title if k else "", page.paragraphs))
            elif page.kind == "table":
                parts.append(self._html_table(page.title))
            else:
                fig = page.figure(None)  # type: ignore[misc]
                buf = io.BytesIO()
                fig.savefig(buf, format="png", dpi=HTML_DPI)
                plt.close(fig)
                data = base64.b64encode(buf.getvalue()).decode("ascii")
                caption = f"<figcaption>{e(page.caption)}</figcaption>" if page.caption else ""
                if page.intro:
                    parts.append(f"<h2>{e(page.intro[0])}</h2><p>{e(page.intro[1])}</p>")
                parts.append(f'<section class="figure"><h2>{e(page.title)}</h2><figure>'
                             f'<img src="data:image/png;base64,{data}" alt="{e(page.title)}">'
                             f"{caption}</figure></section>")
        return _HTML.format(lang=e(self.lang), title=e(t(self.lang, "title")),
                            style=_STYLE, body="\n".join(parts))

    def _html_table(self, title: str) -> str:
        e = html.escape
        names = [r.scenario.name for r in self.results]
        head = "".join(f"<th>{e(n)}</th>" for n in names)
        body = []
        for measure, cells in self.table_rows():
            tds = []
            for c, (level, diff) in zip(measure.cells, cells, strict=True):
                attrs = (f'data-scenario="{e(c.scenario)}" data-measure="{e(measure.key)}" '
                         f'data-indicator="{e(measure.indicator)}" '
                         f'data-source="{measure.source}" data-mean="{c.mean!r}" '
                         f'data-low="{c.low!r}" data-high="{c.high!r}"')
                inner = f'<span class="level">{e(level)}</span>'
                if diff is not None:
                    attrs += (f' data-diff="{c.diff!r}" data-diff-low="{c.diff_low!r}" '
                              f'data-diff-high="{c.diff_high!r}"')
                    inner += (f'<br><span class="diff">{e(t(self.lang, "diff_prefix"))} '
                              f"{e(diff)}</span>")
                tds.append(f"<td {attrs}>{inner}</td>")
            body.append(f"<tr><th scope=\"row\">{e(self.measure_label(measure))}</th>"
                        f"{''.join(tds)}</tr>")
        return (f'<section class="table"><h2>{e(title)}</h2><table class="headlines">'
                f"<thead><tr><th>{e(t(self.lang, 'col_measure'))}</th>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table></section>")

    def write_html(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`html` to ``path`` atomically."""
        from sim.run.files import atomic_write_text

        atomic_write_text(path, self.html())

    def write(self, path: str | os.PathLike[str]) -> str:
        """Write as PDF or HTML by the file suffix; return the format written."""
        kind = output_format(path)
        if kind == "pdf":
            self.write_pdf(path)
        else:
            self.write_html(path)
        return kind


def _bind(func: Callable[..., Figure], *args: Any) -> Callable[[str | None], Figure]:
    def build(caption: str | None) -> Figure:
        return func(*args, caption)

    return build


def _text_lines(paragraphs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Paragraphs wrapped into (style, line) pairs, blank lines between paragraphs."""
    lines: list[tuple[str, str]] = []
    for style, text in paragraphs:
        if style == "h":
            lines += [("blank", ""), ("h", text)]
        elif style == "li":
            wrapped = textwrap.wrap(text, WRAP - 4) or [""]
            lines += [("li", "•  " + wrapped[0])] + [("li", "    " + w) for w in wrapped[1:]]
        else:
            lines += [("blank", "")] + [("p", w) for w in textwrap.wrap(text, WRAP)]
    return lines


def _text_figures(title: str, paragraphs: Sequence[tuple[str, str]]) -> list[Figure]:
    """A text part drawn on as many PDF pages as it needs."""
    plt = pyplot()
    lines = _text_lines(paragraphs)
    while lines and lines[0][0] == "blank":
        lines.pop(0)
    chunks = [lines[k:k + LINES_PER_PAGE] for k in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    figs = []
    for chunk in chunks:
        fig = plt.figure(figsize=PAGE)
        fig.text(0.05, 0.93, title, fontsize=16, weight="bold", va="top")
        y = 0.86
        for style, text in chunk:
            weight = "bold" if style == "h" else "normal"
            fig.text(0.05, y, text, fontsize=12 if style == "h" else 10, weight=weight,
                     va="top")
            y -= 0.024
        figs.append(fig)
    return figs


def _html_text(title: str, paragraphs: Sequence[tuple[str, str]]) -> str:
    e = html.escape
    out, items = [f"<h2>{e(title)}</h2>"] if title else [], []
    for style, text in [*paragraphs, ("end", "")]:
        if style == "li":
            items.append(f"<li>{e(text)}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if style == "h":
            out.append(f"<h3>{e(text)}</h3>")
        elif style == "p":
            out.append(f"<p>{e(text)}</p>")
    return '<section class="text">' + "\n".join(out) + "</section>"


_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1150px; margin: 2em auto;
       padding: 0 1em; color: #111; line-height: 1.45; }
h1 { font-size: 1.8em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
figure { margin: 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.95em; color: #333; margin-top: 0.4em; }
table.headlines { border-collapse: collapse; font-size: 0.9em; }
table.headlines th, table.headlines td { border: 1px solid #bbb; padding: 0.35em 0.6em;
       text-align: left; vertical-align: top; }
table.headlines thead th { background: #eef3f8; }
.diff { color: #444; font-size: 0.9em; }
"""

_HTML = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<h1>{title}</h1>
{body}
</body>
</html>
"""


# --------------------------------------------------------------------------- entry points
def output_format(path: str | os.PathLike[str]) -> str:
    """``pdf`` or ``html`` from the file suffix.

    Raises:
        ValueError: for any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"expected a file name ending in .pdf or .html, got {str(path)!r}")
    return FORMATS[suffix]


def build_report(results: Sequence[RunResult], lang: str = "nb",
                 provenance: dict[str, Any] | None = None, *, story_scenario: int | None = None
                 ) -> Report:
    """A :class:`Report` of runs already made (same seed and replications; first = reference).

    Args:
        results: the runs; scenario names are made unique (``Baseline (2)``) as in
            ``boligsim compare``.
        lang: ``nb`` or ``en``.
        provenance: for the last page; by default :func:`sim.run.provenance.provenance` of the
        first.
        story_scenario: index of the scenario whose first replication the family stories come
            from; by default the first scenario after the reference (the reference if alone).
    """
    from sim.present.report_text import check_lang
    from sim.run.provenance import provenance as make_provenance

    check_lang(lang)
    names = unique_names([r.scenario.name for r in results])
    runs = []
    for res, name in zip(results, names, strict=True):
        if res.scenario.name != name:
            res = dataclasses.replace(res, scenario=dataclasses.replace(res.scenario, name=name))
        runs.append(res)
    if provenance is None:
        provenance = make_provenance(runs[0].scenario, runs[0].seed, runs[0].executor)
    k = story_scenario if story_scenario is not None else min(1, len(runs) - 1)
    tr = record_trajectories(runs[k].scenario, runs[k].seed, 0)
    return Report(results=runs, lang=lang, provenance=provenance, trajectories=tr,
                  stories=choose_stories(tr))
