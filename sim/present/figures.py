"""Figures for runs and comparisons (matplotlib, no display needed).

Colour-blind-safe palette (Okabe & Ito 2008), one small panel per indicator titled with its
label and its unit on the axis, in Norwegian or English (``lang``, :mod:`sim.present.text`), a
legend on every panel, years on the time axis, a dotted line where a scenario's phase begins.
The model never imports this module; reports and the CLI do.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.indicators import BY_NAME, INDEX
from sim.present.text import label, scenario_name, tick_formatter, unit
from sim.run.compare import per_inhabitant
from sim.run.files import PALETTE, pyplot, save_figure
from sim.run.results import mean_ci

if TYPE_CHECKING:  # pragma: no cover
    from sim.analysis.discovery import Discovery
    from sim.analysis.robust import WorldDifferences
    from sim.run.compare import Comparison
    from sim.run.results import RunResult

#: Indicators shown in figures and headline tables, in this order.
KEY_INDICATORS = ("children_municipal", "homeless", "owner_startloan", "families_in_work",
                  "social_assistance_recipients", "evictions", "startloans_granted",
                  "social_assistance_nok", "municipal_net_cost_nok", "vacant_municipal")


def axis_label(name: str, lang: str = "en") -> str:
    """The unit of an indicator's monthly values as an axis label: ``families``, ``families
    per month`` for a flow, ``million NOK per month`` for money."""
    ind = BY_NAME[name]
    if ind.unit == "NOK":
        return unit(lang, "mnok_month" if ind.kind == "money" else "nok")
    base = unit(lang, ind.unit)
    return f"{base} {unit(lang, 'per_month')}" if ind.kind == "flow" else base


def _scale(name: str) -> float:
    return 1e-6 if BY_NAME[name].kind == "money" else 1.0


def month_dates(dates: Sequence[str]) -> np.ndarray:
    """``YYYY-MM`` months as numpy dates (the first of each month), for a time axis."""
    return np.array([np.datetime64(d) for d in dates])


def scenario_colour(j: int) -> str:
    """The colour of scenario ``j`` (0 is the reference), the same in every figure."""
    return PALETTE[j % len(PALETTE)]


def grid_shape(n: int) -> tuple[int, int]:
    """``(rows, columns)`` of a grid of ``n`` panels, at most three to a row."""
    cols = min(3, n)
    return (n + cols - 1) // cols, cols


def hide_unused(axes: Any, used: int) -> None:
    """Hide the panels of a grid after the first ``used``."""
    for ax in list(axes.flat)[used:]:
        ax.set_visible(False)


def mean_band(ax: Any, x: np.ndarray, values: np.ndarray, colour: str, label: str,
              style: str = "-", floor: float | None = None) -> None:
    """A scenario's mean over replications as a line, and its 95 % interval as a band.

    Args:
        ax: the matplotlib axes.
        x: the time axis.
        values: shape (replications, len(x)).
        colour: line and band colour (:func:`scenario_colour`).
        label: the line's legend entry.
        style: matplotlib line format (``o-`` marks each point of a sparse series).
        floor: the band's least value (0 for what cannot be negative,
            :attr:`sim.inputs.indicators.Indicator.nonnegative`), or none.
    """
    m, lo, hi = mean_ci(values)
    if floor is not None:
        lo = np.maximum(lo, floor)
    ax.plot(x, m, style, color=colour, lw=1.6, ms=3, label=label)
    ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)


def phase_lines(ax: Any, results: Sequence[RunResult], colour: str | None = None,
                lw: float = 0.9) -> list[str]:
    """A dotted line (in each scenario's colour, or ``colour``) where one of its phases begins
    within its months; returns ``"Name: YYYY-MM label"`` for each, for a note under the
    figure."""
    notes = []
    for j, res in enumerate(results):
        dates = month_dates(res.dates)
        for phase in res.scenario.phases:
            start = np.datetime64(f"{phase.start}-01")
            if dates[0] < start <= dates[-1]:
                ax.axvline(start, color=colour or scenario_colour(j), lw=lw, ls=":")
                notes.append(f"{res.scenario.name}: {phase.start} {phase.label}".strip())
    return notes


def year_axis(ax: Any) -> None:
    """Dates on the x axis as years, every k-th year for about six labels (a span of under
    two years keeps matplotlib's own choice of months)."""
    import math

    import matplotlib.dates as mdates

    lo, hi = ax.get_xlim()
    years = (hi - lo) / 365.25
    if years < 2:
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        return
    ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, math.ceil(years / 6))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def plot_timeseries(results: Sequence[RunResult], indicators: Sequence[str],
                    path: str | os.PathLike[str] | None = None, *, labels: Sequence[str] = (),
                    lang: str = "en") -> Any:
    """Indicators over time: mean and 95 % band of the mean per scenario, one panel each,
    in ``lang``; bands of what cannot be negative stop at zero; phases marked.

    Returns the matplotlib Figure; saves it to ``path`` (PNG/PDF/SVG) when given.
    """
    plt = pyplot()
    n = len(indicators)
    rows, cols = grid_shape(n)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows + 0.4), squeeze=False,
                             constrained_layout=True)
    labels = list(labels) or [scenario_name(r.scenario.name, lang) for r in results]
    notes: list[str] = []
    for ax, name in zip(axes.flat, indicators, strict=False):
        k = INDEX[name]
        for j, res in enumerate(results):
            mean_band(ax, month_dates(res.dates), res.data[:, :, k] * _scale(name),
                      scenario_colour(j), labels[j],
                      floor=0.0 if BY_NAME[name].nonnegative else None)
        notes = phase_lines(ax, results)
        ax.set_title(label(lang, name), fontsize=10)
        ax.set_ylabel(axis_label(name, lang), fontsize=8)
        ax.yaxis.set_major_formatter(tick_formatter(lang))
        year_axis(ax)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    hide_unused(axes, n)
    fig.suptitle(TITLES[lang]["timeseries"], fontsize=10)
    if notes:
        fig.supxlabel(TITLES[lang]["phases"] + "; ".join(notes), fontsize=8)
    if path is not None:
        save_figure(fig, path)
        plt.close(fig)
    return fig


#: Figure titles by language.
TITLES = {
    "nb": {"timeseries": "Gjennomsnitt av simuleringene med 95 %-intervall",
           "phases": "Prikket linje: en fase begynner – ",
           "differences": "Forskjell mot {ref} (parvis per simulering, 95 %-intervall)",
           "difference": "forskjell ({unit}, {when})", "at_end": "ved slutten",
           "over_run": "over hele perioden",
           "worlds": "Forskjellen i hver av {count} plausible verdener (prikker); strek: "
                     "5.–95. persentil med median; tall: verdener med samme fortegn som "
                     "medianen",
           "of": "{same} av {count}", "own_baseline": "samme kommune under dagens praksis"},
    "en": {"timeseries": "Mean over replications with 95 % interval",
           "phases": "Dotted line: a phase begins – ",
           "differences": "Difference against {ref} (paired by replication, 95 % interval)",
           "difference": "difference ({unit}, {when})", "at_end": "at the end",
           "over_run": "over the run",
           "worlds": "Difference in each of {count} plausible worlds (dots); 5–95 % range and "
                     "median (bar); worlds sharing the median's sign",
           "of": "{same} of {count}",
           "own_baseline": "baseline practice in the same municipality"},
}


def reference_words(comparison: Comparison, lang: str) -> str:
    """What ``comparison``'s differences are taken against, in ``lang``: the first scenario's
    name, or the same municipality under baseline practice (``--against-baseline``)."""
    if comparison.against_first:
        return scenario_name(comparison.results[0].scenario.name, lang)
    return TITLES[lang]["own_baseline"]


def difference_scale(name: str) -> float:
    """Factor for an indicator's paired differences as figures show them: NOK in millions."""
    return 1e-6 if BY_NAME[name].unit == "NOK" else 1.0


def difference_label(name: str, per_1000: bool = False, lang: str = "en") -> str:
    """The axis label of an indicator's run-value differences: ``difference (families, at the
    end)``, money in millions, per 1,000 inhabitants where ``per_1000`` divides it."""
    ind = BY_NAME[name]
    what = unit(lang, "mnok") if difference_scale(name) != 1.0 else unit(lang, ind.unit)
    if per_1000 and per_inhabitant(name):
        what += " " + unit(lang, "per_1000")
    words = TITLES[lang]
    return words["difference"].format(unit=what, when=words["at_end"] if ind.kind == "stock"
                                      else words["over_run"])


def difference_bars(ax: Any, rows: Sequence[dict[str, Any]], names: Sequence[str],
                    scale: float, *, alpha: float, positions: Sequence[int] | None = None
                    ) -> None:
    """Horizontal bars of paired differences with their 95 % intervals, one per scenario.

    Each bar has its scenario's colour (:func:`scenario_colour` of its place among the
    scenarios, ``positions``; by default the first bar is scenario 1, the reference having
    none), so a bar matches its line in the figures beside it; a zero line marks no
    difference, and the x axis has a grid.

    Args:
        ax: the matplotlib axes.
        rows: comparison rows (``diff``, ``diff_ci_low``, ``diff_ci_high``), one per bar.
        names: the bars' labels.
        scale: factor applied to the values (:func:`difference_scale`).
        alpha: bar opacity.
        positions: each bar's scenario index among all the scenarios compared.
    """
    y = np.arange(len(rows))
    where = list(positions) if positions is not None else [j + 1 for j in range(len(rows))]
    d = np.array([float(r["diff"]) for r in rows]) * scale
    lo = np.array([float(r["diff_ci_low"]) for r in rows]) * scale
    hi = np.array([float(r["diff_ci_high"]) for r in rows]) * scale
    ax.barh(y, d, color=[scenario_colour(j) for j in where], alpha=alpha)
    ax.errorbar(d, y, xerr=[d - lo, hi - d], fmt="none", ecolor="black", capsize=3, lw=1)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, names, fontsize=8)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3, axis="x")


def plot_differences(comparison: Comparison, indicators: Sequence[str],
                     path: str | os.PathLike[str] | None = None, lang: str = "en") -> Any:
    """Paired differences against the reference scenario with 95 % intervals.

    One panel per indicator; a bar per compared scenario, each against its own reference
    (the first scenario, or baseline practice in the same municipality); run values as in
    ``summary.json`` (a stock at the end, a flow or money total over the run), per 1,000
    inhabitants when the comparison is.
    """
    plt = pyplot()
    rows = [r for r in comparison.rows() if r["indicator"] in indicators]
    scenarios = comparison.compared
    n = len(indicators)
    nrows, cols = grid_shape(n)
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 0.5 + 0.45 * max(
        len(scenarios), 1) * nrows + 1.2 * nrows), squeeze=False, constrained_layout=True)
    ref = reference_words(comparison, lang)
    for ax, name in zip(axes.flat, indicators, strict=False):
        mine = [r for r in rows if r["indicator"] == name and r["scenario"] in scenarios]
        scale = difference_scale(name)
        difference_bars(ax, mine, [scenario_name(x, lang) for x in scenarios], scale, alpha=0.8,
                        positions=comparison.compared_positions)
        ax.set_xlabel(difference_label(name, comparison.per_1000, lang), fontsize=8)
        ax.xaxis.set_major_formatter(tick_formatter(lang))
        ax.set_title(label(lang, name), fontsize=10)
    hide_unused(axes, n)
    fig.suptitle(TITLES[lang]["differences"].format(ref=ref), fontsize=10)
    if path is not None:
        save_figure(fig, path)
        plt.close(fig)
    return fig


def plot_worlds(across: WorldDifferences, indicators: Sequence[str],
                path: str | os.PathLike[str] | None = None, lang: str = "en") -> Any:
    """The spread of each compared scenario's difference across plausible worlds.

    One panel per indicator; for each compared scenario a dot per world (its mean paired
    difference there), a bar from the 5th to the 95th percentile across worlds with the median
    marked, and how many worlds share the median's sign. Where the dots straddle zero, the
    direction of the difference depends on what the model assumes.
    """
    plt = pyplot()
    names = [scenario_name(across.scenarios[s], lang) for s in across.compared]
    n = len(indicators)
    nrows, cols = grid_shape(n)
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 0.6 + 0.5 * max(
        len(names), 1) * nrows + 1.3 * nrows), squeeze=False, constrained_layout=True)
    rng = np.random.default_rng(0)  # jitter only
    count = across.worlds.count
    for ax, name in zip(axes.flat, indicators, strict=False):
        k = across.indicators.index(name)
        scale = difference_scale(name)
        for y, s in enumerate(across.compared):
            d = across.diff[:, s, k] * scale
            colour = scenario_colour(s)
            ax.scatter(d, y + rng.uniform(-0.18, 0.18, len(d)), s=10, color=colour, alpha=0.7,
                       lw=0)
            lo, med, hi = np.percentile(d, [5, 50, 95])
            ax.plot([lo, hi], [y, y], color="black", lw=1.2)
            ax.plot([med], [y], "|", color="black", ms=14, mew=2)
            same = int(np.sum(np.sign(d) == np.sign(med)))
            ax.annotate(TITLES[lang]["of"].format(same=same, count=count), (1.0, y),
                        xycoords=("axes fraction", "data"),
                        xytext=(-2, 6), textcoords="offset points", ha="right", fontsize=7)
        ax.axvline(0, color="black", lw=0.8, ls="--")
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlabel(difference_label(name, across.per_1000, lang), fontsize=8)
        ax.xaxis.set_major_formatter(tick_formatter(lang))
        ax.set_title(label(lang, name), fontsize=10)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3, axis="x")
    hide_unused(axes, n)
    fig.suptitle(TITLES[lang]["worlds"].format(count=count), fontsize=10)
    if path is not None:
        save_figure(fig, path)
        plt.close(fig)
    return fig


def plot_discovery(discovery: Discovery, x: dict[str, np.ndarray], fails: np.ndarray,
                   conclusion: str, path: str | os.PathLike[str] | None = None) -> Any:
    """Scenario discovery in two panels: PRIM's peeling trajectory (coverage against density,
    the chosen box marked), and the worlds on the two parameters that matter most (the chosen
    box's, else the highest feature scores), those where the conclusion fails marked, with the
    box drawn."""
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.4), constrained_layout=True)
    if discovery.trajectory:
        cov = [t["coverage"] for t in discovery.trajectory]
        den = [t["density"] for t in discovery.trajectory]
        dims = [t["restricted"] for t in discovery.trajectory]
        points = left.scatter(cov, den, c=dims, cmap="viridis", s=18)
        fig.colorbar(points, ax=left, label="parameters restricted")
        if discovery.chosen is not None:
            left.scatter([cov[discovery.chosen]], [den[discovery.chosen]], s=120,
                         facecolors="none", edgecolors="black", lw=1.5, label="chosen box")
            left.legend(fontsize=8, loc="lower left")
    left.set_xlabel("coverage (share of the failing worlds in the box)", fontsize=8)
    left.set_ylabel("density (share of the box's worlds that fail)", fontsize=8)
    left.set_title("PRIM's peeling trajectory", fontsize=10)
    left.grid(alpha=0.3)
    axes = list(discovery.box)[:2]
    for name, _ in discovery.scores:
        if len(axes) < 2 and name not in axes:
            axes.append(name)
    if len(axes) == 2:
        a, b = (np.asarray(x[n], dtype=float) for n in axes)
        right.scatter(a[~fails], b[~fails], s=14, color=PALETTE[0], alpha=0.7, label="holds")
        right.scatter(a[fails], b[fails], s=22, color=PALETTE[1], marker="x", label="fails")
        box = discovery.box
        lo_a, hi_a = box.get(axes[0], (None, None))
        lo_b, hi_b = box.get(axes[1], (None, None))
        if box:
            from matplotlib.patches import Rectangle

            x0, x1 = lo_a if lo_a is not None else a.min(), hi_a if hi_a is not None else a.max()
            y0, y1 = lo_b if lo_b is not None else b.min(), hi_b if hi_b is not None else b.max()
            right.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, lw=1.5,
                                      ls="--", color="black", label="box"))
        right.set_xlabel(axes[0], fontsize=8)
        right.set_ylabel(axes[1], fontsize=8)
        right.legend(fontsize=8, loc="best")
    right.set_title("The worlds on the two parameters that matter most", fontsize=10)
    right.grid(alpha=0.3)
    holds = discovery.total - discovery.failing
    fig.suptitle(f"{conclusion}: holds in {holds} of {discovery.total} plausible worlds",
                 fontsize=10)
    if path is not None:
        save_figure(fig, path)
        plt.close(fig)
    return fig
