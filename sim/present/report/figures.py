"""The report's figures: tenure over time, the theme pages and the family timelines.

Every figure is one A4 landscape page (:data:`PAGE`), drawn with the palette and number
formats of the rest of boligsim, with an optional caption at its foot (the PDF puts the text
under the figure there; the HTML writes it as a ``figcaption`` instead).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import TENURES
from sim.inputs.indicators import BY_NAME, INDEX, TENURE_INDICATORS
from sim.present.figures import (
    difference_bars,
    difference_scale,
    grid_shape,
    hide_unused,
    mean_band,
    month_dates,
    scenario_colour,
)
from sim.present.report.themes import Series
from sim.present.report.words import t
from sim.present.text import label, tick_formatter, unit
from sim.run.compare import per_inhabitant
from sim.run.files import PALETTE, pyplot

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.present.report.stories import Story
    from sim.present.report.trajectories import Trajectories
    from sim.run.compare import Comparison
    from sim.run.results import RunResult

#: Page size of every figure and PDF page (A4 landscape, inches).
PAGE = (11.69, 8.27)


def tenure_figure(results: Sequence[RunResult], lang: str, caption: str | None = None
                  ) -> Figure:
    """Families by tenure over time: a stacked area of mean counts, one panel per scenario."""
    plt = pyplot()
    n = len(results)
    rows, cols = grid_shape(n)
    fig, axes = plt.subplots(rows, cols, figsize=PAGE, squeeze=False, sharey=True)
    for ax, res in zip(axes.flat, results, strict=False):
        stacks = [res.data[:, :, INDEX[name]].mean(axis=0) for name in TENURE_INDICATORS]
        ax.stackplot(month_dates(res.dates), stacks, colors=PALETTE[: len(stacks)], alpha=0.9,
                     labels=[label(lang, name) for name in TENURE_INDICATORS])
        ax.set_title(res.scenario.name, fontsize=10)
        ax.set_ylabel(unit(lang, "families"), fontsize=8)
        _time_axes(ax, lang)
    hide_unused(axes, n)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="center right", fontsize=8, frameon=False)
    return _finish(fig, t(lang, "f_tenure"), caption, left=0.07, right=0.8, hspace=0.35,
                   wspace=0.12)


def theme_figure(title: str, panels: Sequence[Series], results: Sequence[RunResult],
                 comparison: Comparison, lang: str, reference: str,
                 caption: str | None = None) -> Figure:
    """A theme page: each panel's mean and 95 % band over time per scenario, and beside it
    each compared scenario's paired difference against its reference (named ``reference`` on
    the axis) with its 95 % interval (when there are two or more scenarios)."""
    plt = pyplot()
    diffs = len(results) > 1
    fig, axes = plt.subplots(len(panels), 2 if diffs else 1, figsize=PAGE, squeeze=False,
                             gridspec_kw={"width_ratios": [2.2, 1]} if diffs else None)
    rows = {(r["scenario"], r["indicator"]): r for r in comparison.rows()} if diffs else {}
    for row, panel in enumerate(panels):
        _series_panel(axes[row, 0], panel, results, comparison, lang, legend=row == 0)
        if diffs:
            _difference_panel(axes[row, 1], panel.diff, comparison, rows, reference, lang)
    return _finish(fig, t(lang, title), caption, left=0.07, right=0.98, hspace=0.55,
                   wspace=0.3 if diffs else 0.2)


def _series_panel(ax: Any, panel: Series, results: Sequence[RunResult],
                  comparison: Comparison, lang: str, legend: bool) -> None:
    """One panel over time: each scenario's mean and 95 % band, and the guideline if any.

    Counts and money are per 1,000 inhabitants of each scenario's municipality when
    ``comparison.per_1000`` says so (shares stay shares). A series with fewer points than
    months (one a year) marks each point. The legend is shown where ``legend`` asks for it and
    wherever there is a guideline to name.
    """
    per = comparison.per_1000 and panel.unit != "share"
    for j, res in enumerate(results):
        x, v = panel.values(res)
        if per:
            v = v / comparison.inhabitants_per(res, panel.diff or panel.name)
        mean_band(ax, x, v, scenario_colour(j), res.scenario.name,
                  "o-" if len(x) < len(res.dates) else "-")
    if panel.guideline is not None:
        ax.axhline(panel.guideline, color="black", lw=0.8, ls="--", label=t(lang, "guideline"))
    ax.set_title(label(lang, panel.name), fontsize=10, loc="left")
    ax.set_ylabel(unit(lang, panel.unit) + (t(lang, "per_1000_unit") if per else ""),
                  fontsize=8)
    _time_axes(ax, lang)
    if legend or panel.guideline is not None:
        ax.legend(fontsize=7, loc="best")


def _difference_panel(ax: Any, indicator: str | None, comparison: Comparison,
                      rows: dict[tuple[str, str], dict[str, Any]], reference: str,
                      lang: str) -> None:
    """Horizontal bars: paired difference of ``indicator``'s run value for each compared
    scenario against its reference (``reference`` in words, quoted), in the scenario's colour;
    no panel for a series without one."""
    if indicator is None:
        ax.set_visible(False)
        return
    ind = BY_NAME[indicator]
    scale = difference_scale(indicator)
    others = comparison.compared
    difference_bars(ax, [rows[(name, indicator)] for name in others], others, scale,
                    alpha=0.85, positions=comparison.compared_positions)
    ax.invert_yaxis()
    what = unit(lang, "mnok") if scale != 1.0 else unit(lang, {
        "children": "children", "dwellings": "dwellings"}.get(ind.unit, "families"))
    if comparison.per_1000 and per_inhabitant(indicator):
        what += t(lang, "per_1000_unit")
    when = t(lang, "at_end") if ind.kind == "stock" else t(lang, "over_run")
    ax.set_title(label(lang, indicator), fontsize=9, loc="left")
    ax.set_xlabel(textwrap.fill(t(lang, "diff_axis", ref=reference, unit=what, when=when), 55),
                  fontsize=8)
    ax.xaxis.set_major_formatter(tick_formatter(lang))


def story_figure(tr: Trajectories, story: Story, lang: str, caption: str | None = None
                 ) -> Figure:
    """A family's housing career as a timeline: tenure, work, net income and loan."""
    import matplotlib.dates as mdates

    plt = pyplot()
    i = story.family
    here, ten, emp = tr.present[:, i], tr.tenure[:, i], tr.employed[:, i]
    xn = mdates.date2num(month_dates(tr.dates))
    width = float(np.median(np.diff(xn))) if len(xn) > 1 else 30.0
    fig, axes = plt.subplots(4, 1, figsize=PAGE, sharex=True,
                             gridspec_kw={"height_ratios": [1.1, 0.6, 1.6, 1.6]})
    _strip(axes[0], [(ten == k, PALETTE[k], label(lang, TENURES[k]))
                     for k in sorted({int(v) for v in ten[here]})],
           xn, width, t(lang, "story_tenure"))
    _strip(axes[1], [(here & emp, PALETTE[2], t(lang, "yes")),
                     (here & ~emp, "#DDDDDD", t(lang, "no"))],
           xn, width, t(lang, "story_work"))
    _amount_line(axes[2], xn, np.where(here, tr.net_income[:, i], np.nan), PALETTE[0],
                 t(lang, "story_income"), lang)
    _amount_line(axes[3], xn, np.where(here, tr.loan_principal[:, i], np.nan), PALETTE[5],
                 t(lang, "story_loan"), lang)
    for ax in axes:
        ax.tick_params(labelsize=8)
    axes[3].xaxis_date()
    _year_axis(axes[3], lang)
    return _finish(fig, t(lang, "p_" + story.pattern), caption, bottom=0.14, left=0.1,
                   right=0.84, hspace=0.25)


def _strip(ax: Any, states: Sequence[tuple[np.ndarray, str, str]], xn: np.ndarray,
           width: float, name: str) -> None:
    """A strip of coloured spans, one colour per state, with a legend beside it.

    Args:
        ax: the matplotlib axes.
        states: ``(months in that state, colour, legend label)`` per state.
        xn: the months in matplotlib date units.
        width: a month's width in the same units.
        name: the strip's label.
    """
    from matplotlib.patches import Patch

    for mask, colour, _label in states:
        ax.broken_barh(_spans(mask, xn, width), (0, 1), color=colour, lw=0)
    ax.legend(handles=[Patch(color=colour, label=text) for _mask, colour, text in states],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_yticks([])
    ax.set_ylabel(name, fontsize=8)


def _amount_line(ax: Any, xn: np.ndarray, values: np.ndarray, colour: str, name: str,
                 lang: str) -> None:
    """An amount in NOK month by month, as a step line from zero up."""
    ax.step(xn, values, where="post", color=colour, lw=1.5)
    ax.set_ylabel(name, fontsize=8)
    ax.yaxis.set_major_formatter(tick_formatter(lang))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)


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


def _time_axes(ax: Any, lang: str) -> None:
    """A panel over time: numbers in the report's language, years below, a light grid."""
    ax.yaxis.set_major_formatter(tick_formatter(lang))
    _year_axis(ax, lang)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)


def _year_axis(ax: Any, lang: str) -> None:
    """A tick and label at each new year."""
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel(t(lang, "year_axis"), fontsize=8)


def _finish(fig: Figure, title: str, caption: str | None, bottom: float = 0.12,
            **spacing: float) -> Figure:
    """Title the figure at its top left and put the caption, if any, at its foot.

    Args:
        fig: the figure.
        title: its title.
        caption: text under the figure (PDF only; lines wrapped at 150 characters).
        bottom: room kept below the panels for a caption (0.08 without one).
        **spacing: the rest of :meth:`matplotlib.figure.Figure.subplots_adjust`.
    """
    fig.suptitle(title, fontsize=12, x=0.02, ha="left")
    fig.subplots_adjust(top=0.9, bottom=bottom if caption else 0.08, **spacing)
    if caption:
        text = "\n".join(textwrap.fill(part, 150) if part else "" for part in caption.split("\n"))
        fig.text(0.01, 0.01, text, fontsize=8, va="bottom")
    return fig
