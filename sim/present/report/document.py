"""The report as a document: its pages in reading order, and where it is written.

:func:`build_report` makes a :class:`Report` of runs already made; :meth:`Report.pages` lays
out its parts (front page with the headline sentences, the headline table, the figures, the
family stories, the page on assumptions); :meth:`Report.write` writes them as PDF
(:mod:`sim.present.report.pdf`) or as one HTML file (:mod:`sim.present.report.webpage`) by
the file's suffix.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.present.report.figures import stories_figure, themes_figure, zones_page
from sim.present.report.headline import (
    Measure,
    difference_cell,
    headline_measures,
    level_cell,
)
from sim.present.report.pdf import write_pdf
from sim.present.report.stories import Story, choose_stories, story_sentence
from sim.present.report.summary import report_date
from sim.present.report.themes import theme_series
from sim.present.report.trajectories import Trajectories, record_trajectories
from sim.present.report.webpage import write_html
from sim.present.report.words import (
    condition_words,
    join_list,
    month_name,
    number_words,
    parameter_words,
    quoted,
    t,
    years_phrase,
)
from sim.present.text import NBSP, check_lang, fmt, scenario_name
from sim.run.compare import Comparison, unique_names

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.analysis.robust import WorldDifferences
    from sim.run.results import RunResult

#: A headline difference that points the same way in fewer than this share of the plausible
#: worlds gets a sentence on what it depends on (``report --worlds``).
ROBUST_SHARE = 0.9

#: Fewer plausible worlds than this, and the section on how sure the differences are says its
#: answer is rough (:func:`few_worlds`): a share of K worlds has a standard error of up to
#: 1/(2√K), 5 points at 100 and 16 at 10, so a difference near :data:`ROBUST_SHARE` may fall
#: either side of it by chance, and PRIM's boxes found in few worlds are hints, not findings
#: (docs/worlds.md).
FEW_WORLDS = 100

#: Output formats by file suffix.
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


@dataclass
class Page:
    """One part of the report.

    Attributes:
        kind: ``summary``, ``text``, ``table`` or ``figure``.
        title: heading.
        paragraphs: for text and table pages, ``(style, text)`` with style ``p``, ``h`` or
            ``li`` (under the table on a table page); for figure pages, text the figure also
            draws, which HTML writes out as text.
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
        reference_of: for each result, the index of the result it is set against (itself
            for a reference), as :class:`sim.run.compare.Comparison` takes it; empty (the
            default) for every result against the first. ``boligsim report
            --against-baseline`` sets each model against its own municipality under
            baseline practice.
        digests: each scenario's digest as ``boligsim run`` records it, taken before the
            report names a scenario in its language (:func:`build_report`).
        comparison: the paired differences of ``results`` against their references.
        measures: the headline measures.
    """

    results: list[RunResult]
    lang: str
    provenance: dict[str, Any]
    trajectories: Trajectories
    stories: list[Story]
    reference_of: list[int] = field(default_factory=list)
    per_1000: bool = False
    across: WorldDifferences | None = None
    digests: list[str] = field(default_factory=list)
    comparison: Comparison = field(init=False)
    measures: list[Measure] = field(init=False)
    worlds: dict[tuple[str, str], dict[str, float]] | None = field(init=False)
    nominal: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        """Compare the runs, compute the headline measures and tell the stories."""
        self.comparison = Comparison(self.results, reference_of=list(self.reference_of),
                                     per_1000=self.per_1000)
        self.reference_of = self.comparison.reference_of
        self.measures = headline_measures(self.results, self.comparison)
        self.worlds = None
        if self.across is not None:
            from sim.analysis.robust import differences

            self.nominal = differences(self.comparison)[0]
            self.worlds = {(ind, scenario_name(scen, self.lang)): row for (ind, scen), row
                           in self.across.summary(nominal=self.nominal).items()}
        for story in self.stories:
            story.sentence = story_sentence(self.trajectories, story.family, self.lang)

    @property
    def own_baselines(self) -> bool:
        """Whether the results are set against references other than the first."""
        return not self.comparison.against_first

    @property
    def reference(self) -> str:
        """What the differences are taken against, quoted: the reference scenario's name, or
        in words the same municipality under today's practice."""
        if self.own_baselines:
            return t(self.lang, "own_baseline")
        return quoted(self.results[0].scenario.name, self.lang)

    def pages(self) -> list[Page]:
        """The report's parts in reading order."""
        lang, ref = self.lang, self.reference
        robust = self._robustness()
        return [Page("summary", t(lang, "title")),
                Page("table", t(lang, "table_title", ref=ref)
                     + (t(lang, "per_1000_title") if self.per_1000 else ""), self._reading()),
                *([Page("text", t(lang, "worlds_head"), robust)] if robust else []),
                *self._figure_pages(),
                *self._zone_pages(),
                *self._story_pages(),
                Page("text", t(lang, "assumptions"), self._assumptions())]

    def made_by(self) -> str:
        """What was run, by whom and when: the line under the summary's title."""
        lang, res0 = self.lang, self.results[0]
        years = {r.scenario.years for r in self.results}
        return " ".join([
            t(lang, "subtitle", scenarios=join_list([r.scenario.name for r in self.results],
                                                    lang)) + ".",
            t(lang, "made_by", date=report_date(lang),
              version=self.provenance.get("boligsim", "?"),
              replications=fmt(res0.replications, lang), seed=res0.seed,
              years=years_phrase(res0.scenario.years, lang) if len(years) == 1 else ""
              ).replace("  ", " ")])

    def _reading(self) -> list[tuple[str, str]]:
        """Under the table: what the differences are taken against and how to read the
        intervals (they are about the model's expected value, not its assumptions)."""
        lang = self.lang
        out = [("p", t(lang, "reference_own") if self.own_baselines else
                t(lang, "reference_is", ref=self.results[0].scenario.name)), *self._unlike()]
        if self.per_1000:
            out.append(("p", t(lang, "per_1000_note")))
        out.append(("p", t(lang, "reading", replications=fmt(self.results[0].replications,
                                                              lang))
                    + " " + t(lang, "reading_worlds" if self.across is not None
                              else "reading_noworlds")))
        return out

    def _robustness(self) -> list[tuple[str, str]]:
        """With plausible worlds: what they are, and for each headline difference that points
        the same way in fewer than :data:`ROBUST_SHARE` of them, the one or two assumptions it
        depends on most (:func:`sim.analysis.discovery.discover`)."""
        if self.across is None or self.worlds is None:
            return []
        lang, across = self.lang, self.across
        count = across.worlds.count
        out = [("p", t(lang, "worlds_intro", count=count)), *few_worlds(count, lang)]
        shaky = []
        for s in across.compared:
            scen = self.results[s].scenario
            for m in self.measures:
                share = self.worlds[(m.indicator, scen.name)]["worlds_sign_holds"]
                if m.source == "summary" and share < ROBUST_SHARE:
                    shaky.append((s, m, share))
        if not shaky:
            share = fmt(round(100 * ROBUST_SHARE), lang) + NBSP + "%"
            return out + [("p", t(lang, "worlds_robust", share=share))]
        fails = ~across.holds(self.nominal)
        params: dict[int, dict[str, list[Any]]] = {}  # each scenario's worlds, drawn once
        for s, m, share in shaky:
            scen = self.results[s].scenario
            if s not in params:
                rows = across.worlds.table(scen)
                params[s] = {p: [r[p] for r in rows] for p in rows[0] if p != "world"}
            k = list(across.indicators).index(m.indicator)
            out.append(("li", hangs_on_sentence(lang, scen.name, t(lang, m.key), share, count,
                                                params[s], fails[:, s, k])))
        return out

    def _unlike(self) -> list[tuple[str, str]]:
        """A warning when a scenario's town differs from its reference's in size, stock or
        period (:func:`sim.run.compare.unlike`): its differences are not a policy's effect."""
        towns = [r.scenario.name for i, r in enumerate(self.results)
                 if self.comparison.differs_from_reference(i)]
        if not towns:
            return []
        names = [quoted(n, self.lang) for n in towns]
        return [("p", t(self.lang, "unlike", towns=join_list(names, self.lang),
                        ref=self.results[0].scenario.name,
                        differ="differs" if len(towns) == 1 else "differ"))]

    def _figure_pages(self) -> list[Page]:
        """The themes, two to a page, side by side."""
        lang, results = self.lang, self.results
        note = t(lang, "band_note", ref=self.reference)
        themes = theme_series()
        return [Page("figure", " · ".join(t(lang, key) for key, _ in pair), caption=note,
                     figure=partial(themes_figure, pair, results, self.comparison, lang,
                                    self.reference))
                for pair in (themes[k:k + 2] for k in range(0, len(themes), 2))]

    def _zone_pages(self) -> list[Page]:
        """Where the families of the stories' run live at its end, zone by zone."""
        view = self.trajectories.zones
        if view is None:
            return []
        lang = self.lang
        return [Page("figure", f"{t(lang, 'zones_title')} · {self.trajectories.scenario}",
                     caption=t(lang, "zones_caption", zones=number_words(view.zones, lang)),
                     figure=partial(zones_page, view, lang))]

    def _story_pages(self) -> list[Page]:
        """The family stories, two to a page, the first page opening the group with an
        introduction that also says what income and loan mean."""
        lang, tr = self.lang, self.trajectories
        intro = (t(lang, "stories"), t(lang, "stories_intro", scen=tr.scenario) + " "
                 + t(lang, "stories_income"))
        pairs = [self.stories[k:k + 2] for k in range(0, len(self.stories), 2)]
        return [Page("figure", " · ".join(t(lang, "p_" + s.pattern) for s in pair),
                     paragraphs=[("p", s.sentence) for s in pair],
                     figure=partial(stories_figure, tr, pair, lang),
                     intro=intro if k == 0 else None)
                for k, pair in enumerate(pairs)]

    def _assumptions(self) -> list[tuple[str, str]]:
        """The last page: how the numbers were made, the parameters by kind, what the model
        leaves out, and what produced the runs."""
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
            detail = "; ".join(f"{r.scenario.name}: {month_name(r.scenario.start, lang)}, "
                               f"{years_phrase(r.scenario.years, lang)}" for r in self.results)
            out.append(("p", t(lang, "a_lengths", detail=detail)))
        out.append(("p", t(lang, "a_params", total=fmt(len(REGISTRY), lang),
                           **{k: fmt(v, lang) for k, v in counts.items()})))
        out.append(("p", t(lang, "a_money")))
        out.append(("p", t(lang, "a_cannot")))
        out += [("li", item) for item in t(lang, "a_cannot_items").split("|")]
        out.append(("p", t(lang, "a_model")))
        commit = self.provenance.get("git_commit") or "–"
        digests = self.digests or [r.scenario.digest() for r in self.results]
        scen = ", ".join(f"{r.scenario.name} ({d[:12]})"
                         for r, d in zip(self.results, digests, strict=True))
        out.append(("p", t(lang, "a_provenance", version=self.provenance.get("boligsim", "?"),
                           commit=str(commit)[:12], scenarios=scen)))
        out.append(("h", t(lang, "glossary")))
        out += [("li", item) for item in t(lang, "glossary_items").split("|")]
        return out

    def table_rows(self) -> list[tuple[Measure, list[tuple[str, str | None]]]]:
        """Each measure with, per scenario, (level text, difference text or None); with
        plausible worlds a difference also says in how many of them it points the same way."""
        return [(m, [(level_cell(c, m, self.lang), self._with_worlds(
            difference_cell(c, m, self.lang), m, c.scenario)) for c in m.cells])
            for m in self.measures]

    def _with_worlds(self, text: str | None, measure: Measure, scenario: str) -> str | None:
        """A difference's text and, with worlds, ``· same direction in 9 of 10 worlds``."""
        if text is None or self.worlds is None or measure.source != "summary":
            return text
        w = self.worlds[(measure.indicator, scenario)]
        count = int(w["worlds"])
        return text + " · " + t(self.lang, "worlds_cell", count=count,
                                holds=round(w["worlds_sign_holds"] * count))

    def measure_label(self, measure: Measure) -> str:
        """The row label of a measure."""
        return t(self.lang, measure.key)

    def write(self, path: str | os.PathLike[str]) -> str:
        """Write as PDF or HTML by the file suffix; return the format written."""
        kind = output_format(path)
        if kind == "pdf":
            write_pdf(self, path)
        else:
            write_html(self, path)
        return kind


def output_format(path: str | os.PathLike[str]) -> str:
    """``pdf`` or ``html`` from the file suffix.

    Raises:
        ValueError: for any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"expected a file name ending in .pdf or .html, got {str(path)!r}")
    return FORMATS[suffix]


def few_worlds(count: int, lang: str) -> list[tuple[str, str]]:
    """A paragraph warning that ``count`` plausible worlds give rough shares and chance
    dependencies, when there are fewer than :data:`FEW_WORLDS`; else nothing."""
    if count >= FEW_WORLDS:
        return []
    return [("p", t(lang, "worlds_few", worlds=fmt(count, lang), least=fmt(FEW_WORLDS, lang)))]


def hangs_on_sentence(lang: str, scenario: str, measure: str, share: float, count: int,
                      params: dict[str, list[Any]], fails: Any) -> str:
    """"Verdal – evictions: same direction in 74 of 100 worlds; it turns mostly where X is
    below x (the worlds drew it from a to b)": the one or two assumptions a difference's
    direction depends on most, with the ranges where it fails
    (:func:`sim.analysis.discovery.hangs_on`); named alone when PRIM finds no box. When it
    fails in every world, or nothing explains where, the sentence says so rather than name
    nothing."""
    from sim.analysis.discovery import hangs_on
    from sim.inputs.parameters import REGISTRY

    fields = {"scen": scenario, "measure": measure, "holds": round(share * count),
              "count": count}
    if np.all(fails):  # no world to set against the others: nothing for PRIM to find
        return t(lang, "turns_everywhere", **fields)
    found = hangs_on(params, fails)
    if not found:
        return t(lang, "hangs_on_nothing", **fields)
    if any(c.low is not None or c.high is not None for c in found):
        words = [condition_words(lang, c, REGISTRY[c.parameter].unit) for c in found]
        return t(lang, "fails_where", conditions=join_list(words, lang), **fields)
    names = join_list([parameter_words(lang, c.parameter) for c in found], lang)
    return t(lang, "hangs_on", params=names, **fields)


def build_report(results: Sequence[RunResult], lang: str = "nb",
                 provenance: dict[str, Any] | None = None, *, story_scenario: int | None = None,
                 reference_of: Sequence[int] = (), per_1000: bool = False,
                 across: WorldDifferences | None = None) -> Report:
    """A :class:`Report` of runs already made (same seed and replications; first = reference).

    Args:
        results: the runs; scenario names are made unique (``Baseline (2)``) as in
            ``boligsim compare``, and named in the report's language
            (:func:`sim.present.text.scenario_name`: ``Dagens praksis``).
        lang: ``nb`` or ``en``.
        provenance: for the last page; by default :func:`sim.run.provenance.provenance` of
            the first run.
        story_scenario: index of the scenario whose first replication the family stories come
            from; by default the first scenario that is not a reference (the reference if
            alone).
        reference_of: each result's reference (:attr:`Report.reference_of`); by default the
            first result.
        per_1000: counts and money per 1,000 inhabitants (:attr:`Report.per_1000`).
        across: the differences in plausible worlds (:attr:`Report.across`).
    """
    from sim.run.provenance import provenance as make_provenance

    check_lang(lang)
    digests = [r.scenario.digest() for r in results]
    runs = _uniquely_named([_renamed(r, scenario_name(r.scenario.name, lang)) for r in results])
    if provenance is None:
        provenance = make_provenance(runs[0].scenario, runs[0].seed, runs[0].executor)
    refs = list(reference_of) or [0] * len(runs)
    compared = [i for i, r in enumerate(refs) if r != i]
    k = story_scenario if story_scenario is not None else (compared[0] if compared else 0)
    tr = record_trajectories(runs[k].scenario, runs[k].seed, 0)
    return Report(results=runs, lang=lang, provenance=provenance, trajectories=tr,
                  stories=choose_stories(tr), reference_of=refs, per_1000=per_1000,
                  across=across, digests=digests)


def _uniquely_named(results: Sequence[RunResult]) -> list[RunResult]:
    """The runs, a repeated scenario name made unique (``Baseline (2)``) as in ``boligsim
    compare``, so every table column and figure legend names one run."""
    names = unique_names([r.scenario.name for r in results])
    return [_renamed(res, name) for res, name in zip(results, names, strict=True)]


def _renamed(res: RunResult, name: str) -> RunResult:
    """``res`` with its scenario called ``name`` (the same run)."""
    if res.scenario.name == name:
        return res
    return dataclasses.replace(res, scenario=dataclasses.replace(res.scenario, name=name))
