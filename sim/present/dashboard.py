"""The interactive dashboard: policy levers, play and step, live plots beside the reference.

This module holds what the page does, free of any web framework, so it can be tested directly;
:mod:`sim.present.app` draws it with Solara, and :func:`serve` runs Solara's server.

* :func:`levers` builds the controls from the parameter registry: every parameter of kind
  ``policy`` becomes a slider over its bounds (numbers), a switch (true/false) or a choice
  (text).
* :meth:`Session.check_worlds` answers "how sure?": it runs the levers as set and the
  reference again in a number of plausible worlds (:mod:`sim.analysis.worlds`: the assumed
  effects drawn from their plausible ranges, the calibrated rates from the calibration's
  posterior) and counts, for each indicator, in how many the difference at the end of the run
  has the sign it has in the session's own world.
* :class:`Session` is one browser tab's simulation: the *reference* — the scenario as loaded,
  run once in full — and the *policy run*, a :class:`sim.engine.model.HousingModel` stepped month by
  month with the levers as set. Both use replication 0 of the seed, so they see the same life
  events (common random numbers) and any difference is the levers. A lever changed before the
  first step changes the start values; a lever changed later is a *reform* from the current
  month on, exactly like a dated phase in a scenario file: the run is replayed with the same
  seed to the current month (identical up to there) and goes on under the new value.

The browser can only move levers and press buttons: it cannot name files, and the server
listens on 127.0.0.1 unless the command line says otherwise.
"""

from __future__ import annotations

import dataclasses
import json
import os
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.indicators import INDEX, NAMES

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.analysis.discovery import Condition
    from sim.inputs.registry import Registry
    from sim.inputs.scenario import Scenario

#: Environment variable that carries the command line's choices to the Solara app.
ENV = "BOLIGSIM_DASHBOARD"
#: Steps a slider has over its range when the unit has no natural step.
SLIDER_STEPS = 100
#: The top of a lever's slider where the valid range is far wider than a municipality sets:
#: a slider to 1,000 caseworkers moves in steps of 10 and cannot show Verdal's 3. A choice of
#: presentation (the model accepts the whole valid range, and ``--set`` reaches it), a few
#: times what the bundled municipalities set; widened when the page's scenario sets more.
SLIDER_TOPS = {
    "stock.acquire_per_year": 50, "stock.sublet_add_per_year": 50,
    "stock.release_vacant_months": 60, "demography.refugee_families_per_10k": 20,
    "policy.startloan.grant_max": 500_000, "policy.startloan.budget_per_1000": 5_000_000,
    "policy.rotation.review_months": 60, "policy.followup.long_assistance_months": 36,
    "policy.followup.workers": 20, "policy.followup.network_weeks": 12,
    "policy.followup.network_families": 20, "policy.work.measure_places": 100,
}
#: Replications of the reference whose 5-95 % range the figure shades: how far the scenario
#: alone wanders by chance (a second or two for a municipality of 15,000, as one batch).
BAND_REPLICATIONS = 20
#: Plausible worlds "how sure?" runs by default: the levers and the reference once each per
#: world, so about 40 runs of the scenario (seconds for a municipality of 15,000). Fewer than
#: the 100 a report should use (docs/worlds.md): the page says so.
DASHBOARD_WORLDS = 20
#: Worlds "how sure?" runs as one batch of towns: faster than one by one, and the progress
#: still moves every second or two.
WORLDS_AT_ONCE = 5

#: Panels of the live figure: (label key, how the value is shown, unit key).
#: ``level``: the month's value; ``cumulative``: total since the start; ``mnok``: total since
#: the start in million NOK.
PANELS = (
    ("children_municipal", "level", "children"),
    ("homeless", "level", "families"),
    ("owners", "level", "families"),
    ("families_in_work", "level", "families"),
    ("social_assistance_recipients", "level", "families"),
    ("purchases", "cumulative", "cumulative"),
    ("evictions", "cumulative", "cumulative"),
    ("municipal_net_cost_nok", "mnok", "mnok"),
)

#: Words of the page, by language.
WORDS = {
    "nb": {
        "title": "boligsim – {name}", "step": "Ett steg (1 måned)", "year": "12 måneder",
        "play": "Spill av", "pause": "Pause", "reset": "Start på nytt",
        "month": "Måned {month} av {months} ({date})", "levers": "Politiske virkemidler",
        "reforms": "Endringer underveis", "none": "ingen", "policy": "Med virkemidlene",
        "reference": "Referanse: {name} (samme tilfeldige tall)", "indicator": "Indikator",
        "now": "Nå", "ref_now": "Referanse", "diff": "Forskjell", "done": "Simuleringen er ferdig.",
        "seed": "Startverdi for tilfeldige tall: {seed}. Referansen er scenarioet slik det var før "
                "du endret virkemidlene.",
        "reform_note": "Endres et virkemiddel etter start, gjelder det fra denne måneden "
                       "(som en reform).",
        "cumulative": " (sum fra start)", "mnok": " (mill. kr, sum fra start)",
        "month_axis": "år",
        "scenario": "Kommunemodell",
        "band": "Referansen i {runs} simuleringer med andre tilfeldige tall (5–95 %)",
        "download_csv": "Last ned tallene (CSV)", "download_png": "Last ned figuren (PNG)",
        "worlds_button": "Hvor sikkert? ({worlds} plausible verdener)",
        "worlds_running": "Simulerer plausible verdener: {done} av {worlds}",
        "worlds_end": "Forskjell ved slutten",
        "worlds_column": "Samme retning",
        "worlds_cell": "i {held} av {worlds}",
        "worlds_none": "ingen forskjell i noen verden",
        "worlds_some": "ingen forskjell her, men i {other} av {worlds}",
        "worlds_note": "Samme retning: i hvor mange av {worlds} plausible verdener forskjellen ved "
                       "slutten av simuleringen har samme fortegn som her. I hver verden trekkes "
                       "de antatte virkningene innenfor rimelige grenser, og de kalibrerte ratene "
                       "trekkes fra kalibreringen. {worlds} verdener gir et grovt svar; en "
                       "rapport bør bruke minst 100.",
        "worlds_hangs": "Hva forskjellene avhenger av",
        "worlds_turns": "forskjellen snur særlig når {where}",
        "worlds_depends": "retningen avhenger mest av {names}",
    },
    "en": {
        "title": "boligsim – {name}", "step": "Step (1 month)", "year": "12 months",
        "play": "Play", "pause": "Pause", "reset": "Reset",
        "month": "Month {month} of {months} ({date})", "levers": "Policy levers",
        "reforms": "Changes during the run", "none": "none", "policy": "With the levers",
        "reference": "Reference: {name} (same seed)", "indicator": "Indicator",
        "now": "Now", "ref_now": "Reference", "diff": "Difference", "done": "The run is done.",
        "seed": "Seed {seed}; the reference is the scenario as loaded.",
        "reform_note": "A lever changed after the start applies from this month on (a "
                       "reform).",
        "cumulative": " (total since start)", "mnok": " (million NOK, total since start)",
        "month_axis": "year",
        "scenario": "Municipal model",
        "band": "The reference in {runs} runs with other random numbers (5-95 %)",
        "download_csv": "Download the numbers (CSV)", "download_png": "Download the figure (PNG)",
        "worlds_button": "How sure? ({worlds} plausible worlds)",
        "worlds_running": "Running plausible worlds: {done} of {worlds}",
        "worlds_end": "Difference at the end",
        "worlds_column": "Same direction",
        "worlds_cell": "in {held} of {worlds}",
        "worlds_none": "none in any",
        "worlds_some": "none here, but in {other} of {worlds}",
        "worlds_note": "Same direction: in how many of {worlds} plausible worlds the difference "
                       "at the end of the run has the sign it has here. A world draws the "
                       "assumed effects within plausible ranges and the calibrated rates from "
                       "the calibration. {worlds} worlds give a rough answer; a report should "
                       "use at least 100.",
        "worlds_hangs": "What the differences depend on",
        "worlds_turns": "it turns mostly where {where}",
        "worlds_depends": "it depends most on {names}",
    },
}


# --------------------------------------------------------------------------- levers
@dataclass(frozen=True)
class Lever:
    """One control of the page, built from a registry parameter of kind ``policy``.

    Attributes:
        path: the parameter's dotted path.
        control: ``slider``, ``switch`` or ``select``.
        dtype: ``int``, ``float``, ``bool`` or ``str``.
        low: lowest slider value (the parameter's lower bound).
        high: highest slider value (the upper bound, or :data:`SLIDER_TOPS`).
        step: slider step: 1 for integers, else about the range over :data:`SLIDER_STEPS`,
            fine enough for every value the page's scenario sets.
        choices: the values of a ``select``.

    Its words (label, help, choices' names) are in :mod:`sim.present.lever_words`.
    """

    path: str
    control: str
    dtype: type
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        """The section the lever belongs to: ``startloan``, ``rotation``, ``stock``, ..."""
        parts = self.path.split(".")
        return parts[1] if parts[0] == "policy" and len(parts) > 2 else parts[0]


def levers(registry: Registry | None = None, scenario: Scenario | None = None
           ) -> list[Lever]:
    """Every ``policy`` parameter of the registry as a control, in registry order.

    Numbers become sliders from the parameter's lower bound to its upper bound or, where that
    is far beyond what a municipality sets, :data:`SLIDER_TOPS` (integers step by 1, other
    numbers in about :data:`SLIDER_STEPS` steps); true/false becomes a switch, text a choice
    of its values. Given the page's ``scenario``, every value it sets (at the start and in
    its phases) lies on its slider: the range reaches it and the step divides it, so a slider
    never snaps the scenario's own value to another (which would change the run unasked).
    """
    if registry is None:
        from sim.inputs.parameters import REGISTRY as registry
    out = []
    for p in registry.by_kind("policy"):
        if p.type is bool:
            out.append(Lever(p.path, "switch", bool))
        elif p.type is str:
            out.append(Lever(p.path, "select", str, choices=p.choices))
        else:
            values = _values_set(scenario, p.path) if scenario is not None else []
            lo, hi = (float(b) for b in p.limits)
            if p.path in SLIDER_TOPS:
                hi = min(hi, max(float(SLIDER_TOPS[p.path]), *(2 * v for v in values), lo))
            step = 1.0 if p.type is int else _step_through(lo, hi, values)
            out.append(Lever(p.path, "slider", p.type, lo, hi, step))
    return out


def _values_set(scenario: Scenario, path: str) -> list[float]:
    """The values ``scenario`` gives ``path``: at the start and in each phase that sets it."""
    return [float(scenario.params[path])] + [float(ph.params[path]) for ph in scenario.phases
                                              if path in ph.params]


def _step_through(lo: float, hi: float, values: Sequence[float]) -> float:
    """A slider step of about (hi - lo) / :data:`SLIDER_STEPS`, rounded to 1, 2 or 5 times a
    power of ten, made finer (5 to 2 to 1 times, then the next power down) until every one
    of ``values`` lies on the slider's grid from ``lo``."""
    step = _nice_step((hi - lo) / SLIDER_STEPS)

    def on_grid(v: float) -> bool:
        k = (v - lo) / step
        return abs(k - round(k)) < 1e-6

    while step > 1e-6 and not all(on_grid(v) for v in values):
        step = _nice_step(step * 0.99)
    return step


def _nice_step(raw: float) -> float:
    """``raw`` rounded down to 1, 2 or 5 times a power of ten (0.01 for a 0..1 share)."""
    if raw <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(raw))
    for m in (5.0, 2.0, 1.0):
        if m * power <= raw:
            return float(m * power)
    return float(power)


# --------------------------------------------------------------------------- the session
class Session:
    """One tab's simulation: the reference in full, and the policy run stepped by month.

    Both runs simulate the scenario's burn-in first; the session's months are the reported
    ones, from the scenario's start.

    Args:
        scenario: the scenario as loaded: the reference, and the policy run's starting point.
        seed: the seed of both runs (replication 0 of it, as ``boligsim run`` uses).

    Attributes:
        start_values: the levers' values at the start (a phase at the start included),
            ``{path: value}``.
        reforms: changes made after the start, ``[(month, {path: value})]`` in month order.
        reference: the reference's monthly indicators, (months x indicators).
    """

    def __init__(self, scenario: Scenario, seed: int = 1) -> None:
        from sim.run.runner import run_replication

        self.base = scenario
        self.seed = int(seed)
        self.levers = levers(scenario.registry, scenario)
        self._by_path = {lv.path: lv for lv in self.levers}
        start = scenario.params_at(0)
        self.start_values = {lv.path: start[lv.path] for lv in self.levers}
        self.reforms: list[tuple[int, dict[str, Any]]] = []
        self.worlds: WorldsCheck | None = None
        self.lock = threading.RLock()
        self.reference = run_replication(scenario, self.seed, 0)
        self._band: np.ndarray | None = None  # the reference's replications, when drawn
        self.model = self._new_model()

    # ------------------------------------------------------------------ state
    @property
    def months(self) -> int:
        """Months in the run."""
        return self.base.months

    @property
    def month(self) -> int:
        """Reported months simulated so far by the policy run."""
        return int(self.model.reported)

    @property
    def finished(self) -> bool:
        """All months simulated."""
        return self.month >= self.months

    @property
    def values(self) -> dict[str, Any]:
        """The levers' values for the next month to simulate (the file's phases and the
        reforms included), ``{path: value}``."""
        params = self.scenario().params_at(min(self.month, self.months - 1))
        return {lv.path: params[lv.path] for lv in self.levers}

    @property
    def dates(self) -> list[str]:
        """``YYYY-MM`` of every month of the run."""
        return self.model.dates

    def scenario(self) -> Scenario:
        """The scenario the policy run follows: start values, the file's phases, and reforms.

        A lever the user set holds against the scenario file's own phases: such a phase no
        longer changes that lever from the month the user's value took effect (a start value
        the user set holds from the burn-in on, as ``--set`` does).
        """
        from sim.inputs.calendar import add_months
        from sim.inputs.scenario import Phase

        start = self.base.params_at(0)
        changed = {k: v for k, v in self.start_values.items() if v != start[k]}
        params = {**self.base.params, **changed}
        set_at = dict.fromkeys(changed, 0)
        for month, values in self.reforms:
            for k in values:
                set_at.setdefault(k, month)
        phases = []
        for at, phase in self.base.phase_months():
            kept = {k: v for k, v in phase.params.items()
                    if k not in set_at or at < set_at[k]}
            if kept:
                phases.append((at, 0, Phase(phase.start, phase.label, kept)))
        for month, values in self.reforms:
            phases.append((month, 1, Phase(add_months(self.base.start, month),
                                           "dashboard", dict(values))))
        phases.sort(key=lambda item: (item[0], item[1]))
        return dataclasses.replace(self.base, params=params, phases=[p for *_, p in phases],
                                   sources=list(self.base.sources))

    def _new_model(self) -> Any:
        from sim.run.runner import build_model

        # built as every replication is, so the session's run is the one `boligsim run` gives;
        # settled, so that its next month is the first reported one
        return build_model(self.scenario(), self.seed, 0).settle()

    # ------------------------------------------------------------------ actions
    def set_lever(self, path: str, value: Any) -> None:
        """Set a lever: the start value before the first step, else a reform from now on.

        Raises:
            KeyError: for a path that is not a policy lever.
            sim.inputs.errors.InputError: for a value of the wrong type or out of range.
        """
        lever = self._by_path[path]
        if lever.dtype is float and isinstance(value, int | float) and not isinstance(value,
                                                                                    bool):
            value = float(value)
        registry = self.base.registry
        if registry is None:
            from sim.inputs.parameters import REGISTRY as registry
        value = registry[path].check(value, where="dashboard")
        with self.lock:
            if self.values[path] == value:
                return
            self.worlds = None
            month = self.month
            if month == 0:
                self.start_values[path] = value
                self.model = self._new_model()
                return
            if self.finished:
                return
            if self.reforms and self.reforms[-1][0] == month:
                self.reforms[-1][1][path] = value
            else:
                self.reforms.append((month, {path: value}))
            self._replay(month)

    def _levers(self) -> tuple[dict[str, Any], list[tuple[int, dict[str, Any]]]]:
        """A copy of the start values and the reforms."""
        return dict(self.start_values), [(m, dict(v)) for m, v in self.reforms]

    def _replay(self, month: int) -> None:
        """Rebuild the policy run and simulate it to ``month`` (same seed: same history)."""
        model = self._new_model()
        while model.reported < month:
            model.step()
        self.model = model

    def step(self, months: int = 1) -> int:
        """Simulate up to ``months`` more months; return how many were simulated."""
        done = 0
        with self.lock:
            while done < months and not self.finished:
                self.model.step()
                done += 1
        return done

    def reset(self) -> None:
        """Back to month 0; the levers as the user set them become the start values (the
        scenario file's own phases still apply at their dates)."""
        with self.lock:
            for _month, values in self.reforms:
                self.start_values.update(values)
            self.reforms = []
            self.worlds = None
            self.model = self._new_model()

    # ------------------------------------------------------------------ numbers
    def series(self, panel: str, how: str) -> tuple[np.ndarray, np.ndarray]:
        """A panel's values: the policy run so far and the reference over the whole run."""
        with self.lock:
            policy = _panel_values(self.model.history[: self.month], panel, how)
        return policy, _panel_values(self.reference, panel, how)

    def band(self, panel: str, how: str) -> tuple[np.ndarray, np.ndarray]:
        """The 5th and 95th percentiles, month by month, of a panel's reference over
        :data:`BAND_REPLICATIONS` replications (the one drawn, 0, among them): how far the
        scenario alone wanders by chance, for the figure's grey band. The replications
        run once, as one batch of towns, the first time a band is asked for."""
        with self.lock:
            if self._band is None:
                from sim.run.runner import run_replications

                runs = [(self.base, self.seed, k) for k in range(BAND_REPLICATIONS)]
                self._band = np.stack(run_replications(runs))
        values = np.stack([_panel_values(h, panel, how) for h in self._band])
        low, high = np.percentile(values, [5, 95], axis=0)
        return low, high

    def export_csv(self) -> str:
        """The run so far and the reference, month by month, as CSV text: columns ``run``
        (``levers`` or ``reference``), ``month`` (1-based), ``date`` and every indicator
        (the layout of ``timeseries.csv``, docs/outputs.md), then the changes made, as
        comment lines, so that a download says what it shows."""
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["run", "month", "date", *NAMES])
        with self.lock:
            runs = (("levers", self.model.history[: self.month]), ("reference", self.reference))
            for name, rows in runs:
                for k, row in enumerate(rows):
                    writer.writerow([name, k + 1, self.dates[k], *(repr(float(x)) for x in row)])
            changes = [f"# from {self.dates[m]}: " + ", ".join(f"{k} = {v}"
                                                              for k, v in values.items())
                       for m, values in self.reforms]
        header = [f"# {self.base.name}, seed {self.seed}; the levers as at the start: "
                  + ", ".join(f"{k} = {v}" for k, v in self.start_values.items())]
        return "\n".join(header + changes) + "\n" + out.getvalue()

    def table(self) -> list[tuple[str, str, float, float]]:
        """``(panel, how, policy value, reference value)`` at the last simulated month."""
        rows = []
        k = max(self.month - 1, 0)
        for panel, how, _unit in PANELS:
            policy, ref = self.series(panel, how)
            now = float(policy[-1]) if len(policy) else float("nan")
            rows.append((panel, how, now, float(ref[k]) if self.month else float("nan")))
        return rows


    def check_worlds(self, count: int = DASHBOARD_WORLDS, *, fit: str | os.PathLike[str] |
                     None = None, progress: Any = None) -> WorldsCheck:
        """Run the levers as set (reforms included) and the reference in ``count`` plausible
        worlds, and keep in :attr:`worlds` how often each panel's difference at the end of the
        run has the sign it has in the session's own world.

        Every run is replication 0 of the session's seed, so within a world the two runs see
        the same life events and the difference is the levers'. The worlds are drawn as
        ``boligsim compare --worlds`` draws them (:func:`sim.analysis.worlds.draw_worlds`,
        seeded by the session's seed), the calibrated rates from ``fit``'s posterior (by
        default the bundled calibration's).

        Args:
            count: plausible worlds.
            fit: a calibration's ``fit.json``.
            progress: called with the number of worlds done after each batch of them.
        """
        from sim.analysis.discovery import hangs_on
        from sim.analysis.worlds import DEFAULT_FIT, Posterior, draw_worlds
        from sim.inputs.parameters import REGISTRY
        from sim.present.report.document import ROBUST_SHARE
        from sim.run.runner import run_replication, run_replications

        with self.lock:
            policy, levers = self.scenario(), self._levers()
        registry = self.base.registry or REGISTRY
        worlds = draw_worlds(count, self.seed, registry,
                             Posterior.from_fit(Path(fit) if fit else DEFAULT_FIT))
        nominal = _ends(run_replication(policy, self.seed, 0)) - _ends(self.reference)
        same = np.zeros((count, len(PANELS)), dtype=bool)
        for first in range(0, count, WORLDS_AT_ONCE):  # a few worlds as one batch of towns
            block = range(first, min(first + WORLDS_AT_ONCE, count))
            runs = [run_replications([(worlds.apply(w, sc), self.seed, 0) for w in block])
                    for sc in (policy, self.base)]
            for j, w in enumerate(block):
                same[w] = np.sign(_ends(runs[0][j]) - _ends(runs[1][j])) == np.sign(nominal)
            if progress is not None:
                progress(block.stop)
        panels = [p[0] for p in PANELS]
        rows = worlds.table(policy)
        params = {k: [r[k] for r in rows] for k in rows[0] if k != "world"}
        hangs = {panel: hangs_on(params, ~same[:, j]) for j, panel in enumerate(panels)
                 if nominal[j] and same[:, j].mean() < ROBUST_SHARE}
        check = WorldsCheck(count, dict(zip(panels, same.sum(axis=0).tolist(), strict=True)),
                            dict(zip(panels, nominal.tolist(), strict=True)), levers, hangs)
        with self.lock:
            if self._levers() == levers:  # no lever moved while the worlds ran
                self.worlds = check
        return check


@dataclass(frozen=True)
class WorldsCheck:
    """What :meth:`Session.check_worlds` found.

    Attributes:
        count: plausible worlds run.
        held: ``{panel: worlds in which the difference at the end has the session's sign}``.
        nominal: ``{panel: the difference at the end in the session's own world}``.
        levers: the start values and reforms it was run for (a later change voids it).
        hangs_on: for each panel whose difference keeps its direction in fewer than
            :data:`sim.present.report.document.ROBUST_SHARE` of the worlds, the one or two
            assumptions it depends on most and where it turns
            (:func:`sim.analysis.discovery.hangs_on`).
    """

    count: int
    held: dict[str, int]
    nominal: dict[str, float]
    levers: tuple[dict[str, Any], list[tuple[int, dict[str, Any]]]]
    hangs_on: dict[str, list[Condition]] = field(default_factory=dict)


def hangs_on_text(check: WorldsCheck, panel: str, lang: str = "nb") -> str:
    """What a shaky panel's difference depends on, in words: ``it turns mostly where "how fast
    families without work find a job" is below 2.05 % a month (...)``; empty for a panel
    whose difference holds in most worlds."""
    from sim.inputs.parameters import REGISTRY
    from sim.present.report.words import condition_words, join_list, parameter_words

    found = check.hangs_on.get(panel)
    if not found:
        return ""
    if any(c.low is not None or c.high is not None for c in found):
        parts = [condition_words(lang, c, REGISTRY[c.parameter].unit) for c in found]
        return WORDS[lang]["worlds_turns"].format(where=join_list(parts, lang))
    names = [parameter_words(lang, c.parameter) for c in found]
    return WORDS[lang]["worlds_depends"].format(names=join_list(names, lang))


def worlds_text(check: WorldsCheck, panel: str, lang: str = "nb") -> str:
    """The "same direction" cell of a panel: ``in 18 of 20``; for no difference in the
    session's own world, ``none in any`` or ``none here, but in 3 of 20`` (worlds with one)."""
    words = WORDS[lang]
    held, count = check.held[panel], check.count
    if check.nominal[panel]:
        return words["worlds_cell"].format(held=held, worlds=count)
    if held == count:
        return words["worlds_none"]
    return words["worlds_some"].format(other=count - held, worlds=count)


def _ends(history: np.ndarray) -> np.ndarray:
    """Each panel's value at the end of a run: the last month's level, or the total."""
    return np.array([_panel_values(history, panel, how)[-1] for panel, how, _ in PANELS])


def _panel_values(history: np.ndarray, panel: str, how: str) -> np.ndarray:
    """(months,) values of a panel from (months x indicators) history."""
    if panel == "owners":
        v = history[:, INDEX["owner_startloan"]] + history[:, INDEX["owner_bank"]]
    else:
        v = history[:, INDEX[panel]]
    if how == "cumulative":
        return np.cumsum(v)
    if how == "mnok":
        return np.cumsum(v) / 1e6
    return v.astype(float)


# --------------------------------------------------------------------------- the figure
def figure(session: Session, lang: str = "nb") -> Figure:
    """The live figure: each panel's reference (grey, whole run) and policy run (blue, so far).

    Built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so figures of
    many tabs and steps are freed with their last reference.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from sim.present.text import label, tick_formatter, unit
    from sim.run.files import PALETTE

    words = WORDS[lang]
    fig = Figure(figsize=(11, 6.6), dpi=80)
    axes = fig.subplots(2, 4)
    year, month0 = (int(part) for part in session.dates[0].split("-"))

    def years(months: Any) -> Any:  # month k of the run as a year with its fraction
        return year + (month0 - 1 + np.asarray(months, dtype=float)) / 12

    x_ref = years(np.arange(session.months))
    for ax, (panel, how, unit_key) in zip(axes.flat, PANELS, strict=True):
        policy, ref = session.series(panel, how)
        low, high = session.band(panel, how)
        ax.fill_between(x_ref, low, high, color="#777777", alpha=0.18, lw=0,
                        label=words["band"].format(runs=BAND_REPLICATIONS))
        ax.plot(x_ref, ref, color="#777777", lw=1.4, ls="--",
                label=words["reference"].format(name=session.base.name))
        ax.plot(years(np.arange(len(policy))), policy, color=PALETTE[0], lw=2.0,
                label=words["policy"])
        for month, _values in session.reforms:
            ax.axvline(years(month), color=PALETTE[5], lw=0.8, ls=":")
        ax.axvline(years(session.month), color="#BBBBBB", lw=0.8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        suffix = words["cumulative"] if how == "cumulative" else (
            words["mnok"] if how == "mnok" else "")
        ax.set_title(textwrap.fill(label(lang, panel) + suffix, 34), fontsize=8, loc="left")
        ax.set_ylabel(unit(lang, unit_key), fontsize=7)
        ax.set_xlabel(words["month_axis"], fontsize=7)
        ax.yaxis.set_major_formatter(tick_formatter(lang))
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        ax.set_xlim(years(0), years(max(session.months - 1, 1)))
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=3, fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.86, bottom=0.08, hspace=0.6,
                        wspace=0.38)
    return fig


def zone_map(session: Session, lang: str = "nb") -> Figure:
    """Where the policy run's families live now, zone by zone (:mod:`sim.present.zones`)."""
    from sim.present.zones import zone_view, zones_figure

    with session.lock:  # the play loop steps the model in a thread
        view = zone_view(session.model, date=session.dates[max(session.month - 1, 0)])
    return zones_figure(view, lang, size=(11, 7.5))


# --------------------------------------------------------------------------- serving
def load_start_scenario(path: str | None, *, overrides: Sequence[str] = (),
                        years: int | None = None) -> Scenario:
    """The scenario the dashboard starts from: a file, or the registry defaults.

    Raises:
        sim.inputs.errors.InputError: for any problem with the file or the overrides.
    """
    from sim.inputs.scenario import load_scenario

    if path is not None:
        return load_scenario(path, overrides=overrides, years=years)
    from sim.inputs.parameters import REGISTRY
    from sim.inputs.scenario import DEFAULT_START, DEFAULT_YEARS, Scenario, parse_overrides

    scenario = Scenario(name="Registry defaults", description="every parameter at its default",
                        file=None, start=DEFAULT_START, years=years or DEFAULT_YEARS,
                        params=REGISTRY.defaults(), registry=REGISTRY)
    if overrides:
        scenario = scenario.with_overrides(parse_overrides(overrides))
    return scenario


def config_from_env() -> dict[str, Any]:
    """The command line's choices as the app reads them (see :func:`serve`)."""
    raw = os.environ.get(ENV)
    config = json.loads(raw) if raw else {}
    scenarios = config.get("scenarios") or ([config["scenario"]] if config.get("scenario")
                                            else [])
    return {"scenarios": scenarios, "overrides": config.get("overrides", []),
            "years": config.get("years"), "seed": int(config.get("seed", 1)),
            "lang": config.get("lang", "nb"),
            "worlds": int(config.get("worlds", DASHBOARD_WORLDS))}


#: The Solara app the server runs.
APP = "sim.present.app"
#: Addresses that answer this machine only, as a ``Host`` header names them.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: Addresses that listen on every interface of this machine.
ANY_ADDRESS = ("0.0.0.0", "::", "")


def trusted_hosts(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The names a request's ``Host`` header may give for a dashboard listening on ``host``.

    A page on another site can make a browser send requests to 127.0.0.1 under its own name
    (DNS rebinding); refusing every ``Host`` but the served address stops that. Loopback names
    are always allowed. Listening on every interface (``0.0.0.0``) also allows this machine's
    name and the addresses it resolves to; names behind a proxy come as ``extra``.

    Returns:
        Lower-case host names and addresses (IPv6 in brackets), ports left out.
    """
    import socket

    names = [*LOOPBACK_NAMES, host, *extra]
    if host in ANY_ADDRESS:
        machine = socket.gethostname()
        names += [machine, socket.getfqdn()]
        try:
            names += [info[4][0] for info in socket.getaddrinfo(machine, None)]
        except OSError:  # a machine whose own name does not resolve
            pass
    bracketed = [f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names if n]
    return sorted({n.lower() for n in bracketed if n not in ("0.0.0.0", "[::]")})


def _refuse_other_hosts(allowed: Sequence[str]) -> None:
    """Put Starlette's ``Host`` check in front of Solara's app (the object uvicorn serves).

    Solara's server module registers the app named by ``SOLARA_APP`` when it is imported, so
    that is set first, as ``solara run`` would set it.
    """
    os.environ["SOLARA_APP"] = APP
    from solara.server import starlette as web
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    web.app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed), www_redirect=False)


def serve(scenario_paths: Sequence[str] | str | None, *, host: str = "127.0.0.1",
          port: int = 8765,
          seed: int = 1, lang: str = "nb", overrides: Sequence[str] = (),
          years: int | None = None, worlds: int = DASHBOARD_WORLDS,
          allow_hosts: Sequence[str] = ()) -> int:
    """Serve the dashboard with Solara's server until interrupted: the scenario files of
    ``scenario_paths`` (several become a choice on the page; none, the registry defaults).

    The choices reach the app (:mod:`sim.present.app`) through the environment variable :data:`ENV`;
    Solara's telemetry and version check are switched off, and its assets are served from the
    installed ``solara-assets`` package, so the page needs no network beyond this machine.
    Requests whose ``Host`` is not one of :func:`trusted_hosts` get 400. Ctrl-C is how a user
    stops the server, so it ends with 0; SIGTERM and SIGHUP stop it as cleanly and reach the
    command line, which exits 143 or 129 with one line.

    Returns:
        0 when the server stops after Ctrl-C.
    """
    import warnings

    paths = [scenario_paths] if isinstance(scenario_paths, str) else list(scenario_paths or [])
    os.environ[ENV] = json.dumps({"scenarios": paths, "overrides": list(overrides),
                                  "years": years, "seed": seed, "lang": lang,
                                  "worlds": worlds})
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # Solara warns, in ten lines per page load, that a cookie over plain http on a name other
    # than "localhost" falls back to SameSite=Lax; that is the right cookie for this server.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    from click.exceptions import Abort
    from solara.__main__ import cli

    _refuse_other_hosts(trusted_hosts(host, allow_hosts))
    print(f"boligsim dashboard on http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
    _shut_down_on_hangup()
    try:
        cli.main(args=["run", APP, "--host", host, "--port", str(port),
                       "--production", "--no-open", "--no-check-version", "--log-level", "warning"],
                 prog_name="solara", standalone_mode=False)
    except (Abort, KeyboardInterrupt) as exc:
        # uvicorn shuts down on a signal, then raises it again for the handler before it;
        # click turns the KeyboardInterrupt that follows into Abort, keeping it as context.
        interrupt = exc if isinstance(exc, KeyboardInterrupt) else exc.__context__
        if interrupt is not None and type(interrupt) is not KeyboardInterrupt:
            raise interrupt from None  # SIGTERM or SIGHUP: the command line's exit status
    return 0


def _shut_down_on_hangup() -> None:
    """Let uvicorn shut the server down on SIGHUP (a closed terminal) as on SIGINT and SIGTERM,
    so the signal reaches the command line only after the server has stopped."""
    import signal

    import uvicorn.server

    handled = getattr(uvicorn.server, "HANDLED_SIGNALS", None)
    hangup = getattr(signal, "SIGHUP", None)
    if isinstance(handled, tuple) and hangup is not None and hangup not in handled:
        uvicorn.server.HANDLED_SIGNALS = (*handled, hangup)
