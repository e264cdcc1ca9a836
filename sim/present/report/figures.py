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
from sim.present.figures import PALETTE, difference_bars
from sim.present.report.themes import Series, _dates
from sim.present.report.words import t
from sim.present.text import label, tick_formatter, unit
from sim.run.files import pyplot
from sim.run.results import mean_ci

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.present.report.stories import Story
    from sim.present.report.trajectories import Trajectories
    from sim.run.compare import Comparison
    from sim.run.results import RunResult

#: Page size of every figure and PDF page (A4 landscape, inches).
PAGE = (11.69, 8.27)


def _year_axis(ax: Any, lang: str) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel(t(lang, "year_axis"), fontsize=8)


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

