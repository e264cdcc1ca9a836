"""The report's figures: tenure over time, the theme pages and the family timelines.

Every figure is one A4 landscape page (:data:`PAGE`), drawn with the palette and number
formats of the rest of boligsim, with an optional caption at its foot (the PDF puts the text
under the figure there; the HTML writes it as a ``figcaption`` instead).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import TENURES
from sim.inputs.indicators import BY_NAME, INDEX, TENURE_INDICATORS
from sim.present.figures import (
    difference_bars,
    difference_scale,
    mean_band,
    month_dates,
    phase_lines,
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
    from sim.present.zones import ZoneView
    from sim.run.compare import Comparison
    from sim.run.results import RunResult

#: Colour of the dotted line where a phase begins (the caption names it; phases close together
#: would make labels unreadable).
PHASE_COLOUR = "#555555"

#: Page size of every figure and PDF page (A4 landscape, inches).
PAGE = (11.69, 8.27)


def tenure_figure(results: Sequence[RunResult], lang: str, caption: str | None = None
                  ) -> Figure:
    """Families by tenure over time on a page of its own (:func:`draw_tenure`)."""
    plt = pyplot()
    fig = plt.figure(figsize=PAGE)
    draw_tenure(fig, results, lang, (0.07, 0.1, 0.75, 0.78))
    return _finish(fig, t(lang, "f_tenure"), caption)


def draw_tenure(fig: Figure, results: Sequence[RunResult], lang: str,
                rect: tuple[float, float, float, float]) -> None:
    """Families by tenure over time, a stacked area of mean counts per scenario, drawn in
    ``rect`` (left, bottom, width, height in figure fractions) with the legend to its right.

    Panels share the count axis, so scenarios of one municipality compare at a glance; up to
    four stand in a row, more in two rows.
    """
    n = len(results)
    cols = n if n <= 4 else -(-n // 2)
    rows = 1 if n <= 4 else 2
    left, bottom, width, height = rect
    grid = fig.add_gridspec(rows, cols, left=left, right=left + width, bottom=bottom,
                            top=bottom + height, wspace=0.12, hspace=0.45)
    first = None
    for k, res in enumerate(results):
        ax = fig.add_subplot(grid[k // cols, k % cols], sharey=first)
        first = first or ax
        stacks = [res.data[:, :, INDEX[name]].mean(axis=0) for name in TENURE_INDICATORS]
        ax.stackplot(month_dates(res.dates), stacks, colors=PALETTE[: len(stacks)], alpha=0.9,
                     labels=[label(lang, name) for name in TENURE_INDICATORS])
        ax.set_title(res.scenario.name, fontsize=9)
        if k % cols == 0:
            ax.set_ylabel(unit(lang, "families"), fontsize=8)
        else:
            ax.tick_params(labelleft=False)
        _time_axes(ax, lang)
        phase_lines(ax, [res], colour=PHASE_COLOUR, lw=0.8)
    handles, labels = first.get_legend_handles_labels()  # type: ignore[union-attr]
    fig.legend(handles[::-1], [textwrap.fill(x, 20) for x in labels[::-1]],
               loc="center left", bbox_to_anchor=(left + width + 0.01, bottom + height / 2),
               fontsize=8, frameon=False, title=t(lang, "f_tenure_short"), title_fontsize=8)


def themes_figure(themes: Sequence[tuple[str, Sequence[Series]]],
                  results: Sequence[RunResult], comparison: Comparison, lang: str,
                  reference: str, caption: str | None = None) -> Figure:
    """One page of themes side by side (:func:`draw_theme` each), the caption at its foot."""
    plt = pyplot()
    fig = plt.figure(figsize=PAGE)
    subs = fig.subfigures(1, len(themes), wspace=0.02, squeeze=False)[0]
    for sub, (key, panels) in zip(subs, themes, strict=True):
        draw_theme(sub, key, panels, results, comparison, lang, reference,
                   bottom=0.16 if caption else 0.1)
    if caption:
        fig.text(0.01, 0.01, textwrap.fill(caption, 170), fontsize=8, va="bottom")
    return fig


def draw_theme(fig: Any, title: str, panels: Sequence[Series], results: Sequence[RunResult],
               comparison: Comparison, lang: str, reference: str, bottom: float = 0.08
               ) -> None:
    """A theme in ``fig`` (a figure or subfigure): each panel's mean and 95 % band over time
    per scenario, with a legend, and beside it each compared scenario's paired difference
    against its reference (named ``reference`` on the axis) with its 95 % interval (when
    there are two or more scenarios)."""
    diffs = len(results) > 1
    axes = fig.subplots(len(panels), 2 if diffs else 1, squeeze=False,
                        gridspec_kw={"width_ratios": [2.2, 1]} if diffs else None)
    rows = {(r["scenario"], r["indicator"]): r for r in comparison.rows()} if diffs else {}
    for row, panel in enumerate(panels):
        _series_panel(axes[row, 0], panel, results, comparison, lang)
        if diffs:
            _difference_panel(axes[row, 1], panel.diff, comparison, rows, reference, lang)
    fig.suptitle(t(lang, title), fontsize=12, x=0.02, ha="left")
    fig.subplots_adjust(top=0.9, bottom=bottom, left=0.13, right=0.93, hspace=0.75,
                        wspace=0.35 if diffs else 0.2)
    for ax in axes[:, 0]:
        _year_axis(ax, lang)  # the panels' final width sets how many years are labelled


def _series_panel(ax: Any, panel: Series, results: Sequence[RunResult],
                  comparison: Comparison, lang: str) -> None:
    """One panel over time: each scenario's mean and 95 % band (cut at the panel's floor),
    and the guideline if any.

    Counts and money are per 1,000 inhabitants of each scenario's municipality when
    ``comparison.per_1000`` says so (shares stay shares). A series with fewer points than
    months (one a year) marks each point; each phase's start is marked. Every panel has its
    legend.
    """
    per = comparison.per_1000 and panel.unit != "share"
    for j, res in enumerate(results):
        x, v = panel.values(res)
        if per:
            v = v / comparison.inhabitants_per(res, panel.diff or panel.name)
        mean_band(ax, x, v, scenario_colour(j), res.scenario.name,
                  "o-" if len(x) < len(res.dates) else "-", floor=panel.floor)
        phase_lines(ax, [res], colour=PHASE_COLOUR, lw=0.8)
    if panel.guideline is not None:
        ax.axhline(panel.guideline, color="black", lw=0.8, ls="--", label=t(lang, "guideline"))
    ax.set_title(label(lang, panel.name), fontsize=10, loc="left")
    ax.set_ylabel(unit(lang, panel.unit) + (t(lang, "per_1000_unit") if per else ""),
                  fontsize=8)
    _time_axes(ax, lang)
    ax.legend(fontsize=6.5, loc="best")


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
    ax.set_title(textwrap.fill(label(lang, indicator), 18), fontsize=9, loc="left")
    ax.set_xlabel(textwrap.fill(t(lang, "diff_axis", ref=reference, unit=what, when=when), 32),
                  fontsize=7)
    ax.xaxis.set_major_formatter(tick_formatter(lang))


def zones_page(view: ZoneView, lang: str, caption: str | None = None) -> Figure:
    """The municipality's zones in the last month of the stories' run
    (:func:`sim.present.zones.draw_zones`), the caption at its foot."""
    from sim.present.zones import draw_zones

    fig = pyplot().figure(figsize=PAGE)
    draw_zones(fig, view, lang, legend_at=0.1 if caption else 0.0)
    fig.subplots_adjust(left=0.03, right=0.97, top=0.88, bottom=0.16 if caption else 0.07,
                        hspace=0.2, wspace=0.05)
    if caption:
        fig.text(0.01, 0.01, textwrap.fill(caption, 175), fontsize=8, va="bottom")
    return fig


def stories_figure(tr: Trajectories, stories: Sequence[Story], lang: str,
                   caption: str | None = None) -> Figure:
    """Family stories side by side (:func:`draw_story` each); ``caption``, the group's
    introduction, under the page's title."""
    plt = pyplot()
    fig = plt.figure(figsize=PAGE)
    top = 0.93
    if caption:
        text = textwrap.fill(caption, 175)
        fig.text(0.01, 0.965, text, fontsize=8, va="top")
        top = 0.94 - 0.025 * (text.count("\n") + 1)
    subs = fig.subfigures(1, len(stories), wspace=0.03, squeeze=False)[0]
    for sub, story in zip(subs, stories, strict=True):
        draw_story(sub, tr, story, lang, top=top)
    return fig


def draw_story(fig: Any, tr: Trajectories, story: Story, lang: str, top: float = 0.93
               ) -> None:
    """A family's housing career as a timeline in ``fig`` (a figure or subfigure): tenure,
    work, income by source, and the loan on its home when it ever had one; the story in one
    sentence at the foot."""
    import matplotlib.dates as mdates

    i = story.family
    here, ten, emp = tr.present[:, i], tr.tenure[:, i], tr.employed[:, i]
    xn = mdates.date2num(month_dates(tr.dates))
    width = float(np.median(np.diff(xn))) if len(xn) > 1 else 30.0
    loan = np.where(here, np.nan_to_num(tr.loan_principal[:, i]), np.nan)
    has_loan = bool(np.nanmax(loan, initial=0.0) > 0)
    heights = [1.1, 0.6, 1.8] + ([1.3] if has_loan else [])
    axes = fig.subplots(len(heights), 1, sharex=True, gridspec_kw={"height_ratios": heights})
    _strip(axes[0], [(ten == k, PALETTE[k], label(lang, TENURES[k]))
                     for k in sorted({int(v) for v in ten[here]})],
           xn, width, t(lang, "story_tenure"))
    _strip(axes[1], [(here & emp, PALETTE[2], t(lang, "yes")),
                     (here & ~emp, "#DDDDDD", t(lang, "no"))],
           xn, width, t(lang, "story_work"))
    _income(axes[2], xn, here, tr, i, lang)
    if has_loan:
        _amount_line(axes[3], xn, loan, PALETTE[5], t(lang, "story_loan"), lang)
    for ax in axes:
        ax.tick_params(labelsize=7)
    axes[-1].xaxis_date()
    _year_axis(axes[-1], lang)
    text = textwrap.fill(story.sentence, 95)
    lines = text.count("\n") + 1
    fig.text(0.03, 0.01, text, fontsize=7.5, va="bottom")
    fig.suptitle(t(lang, "p_" + story.pattern), fontsize=11, x=0.03, y=top + 0.04, ha="left")
    fig.subplots_adjust(top=top - 0.02, bottom=0.1 + 0.025 * lines, left=0.18, right=0.7,
                        hspace=0.3)
    _year_axis(axes[-1], lang)  # the final width sets how many years are labelled


def _income(ax: Any, xn: np.ndarray, here: np.ndarray, tr: Trajectories, i: int, lang: str
            ) -> None:
    """The household's income by source, NOK a month, stacked: wages and benefits after tax,
    housing allowance, social assistance (empty months: not living here)."""
    parts = [(tr.net_income, PALETTE[0], "story_wages"),
             (tr.allowance, PALETTE[3], "story_allowance"),
             (tr.social_assistance, PALETTE[4], "story_sa")]
    values = [np.where(here, np.nan_to_num(x[:, i]), 0.0) for x, _c, _k in parts]
    ax.stackplot(xn, values, colors=[c for _x, c, _k in parts], step="post", alpha=0.85,
                 labels=[t(lang, k) for _x, _c, k in parts])
    ax.set_ylabel(textwrap.fill(t(lang, "story_income"), 16), fontsize=7)
    ax.yaxis.set_major_formatter(tick_formatter(lang))
    ax.set_ylim(bottom=0, top=max(1.0, float(np.sum(values, axis=0).max()) * 1.15))
    ax.grid(alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, [textwrap.fill(x, 18) for x in labels], loc="upper left",
              bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)


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
    ax.legend(handles=[Patch(color=colour, label=textwrap.fill(text, 22))
                       for _mask, colour, text in states],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.set_yticks([])
    ax.set_ylabel(name, fontsize=7)


def _amount_line(ax: Any, xn: np.ndarray, values: np.ndarray, colour: str, name: str,
                 lang: str) -> None:
    """An amount in NOK month by month, as a step line from zero up."""
    ax.step(xn, values, where="post", color=colour, lw=1.5)
    ax.set_ylabel(textwrap.fill(name, 16), fontsize=7)
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
    """A tick and label at each new year, or every k-th year where the panel is too narrow
    for them all."""
    import matplotlib.dates as mdates

    lo, hi = ax.get_xlim()
    root = ax.get_figure(root=True)
    inches = ax.get_window_extent().width / root.dpi
    # a year label needs about 0.45 inches: every year, or every second, third, ...
    years = (hi - lo) / 365.25
    ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, math.ceil(years * 0.45 / inches))))
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
