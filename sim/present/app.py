"""The dashboard page, drawn with Solara (served by ``boligsim dashboard``).

The app imports the model, never the reverse (Mesa's model / app split). What the page does
lives in :mod:`sim.present.dashboard`; this module only lays it out: the sidebar holds the run's
controls (step, twelve months, play and pause, reset), the month, the changes made during the
run, and one control per policy lever, grouped by section; the main area shows the live
figure and a table of the key indicators now, beside the reference in the same month, with a
button that runs the levers and the reference in plausible worlds and adds, beside each
difference, in how many of them it keeps its direction.

The scenario, seed and language come from the command line through the environment
(:func:`sim.present.dashboard.config_from_env`); nothing the browser sends is read as a file name.
"""

from __future__ import annotations

import asyncio
import html
import io
import math
import threading
from typing import Any

import solara
import solara.lab

from sim.present.dashboard import (
    WORDS,
    Lever,
    Session,
    config_from_env,
    figure,
    hangs_on_text,
    load_start_scenario,
    worlds_text,
    zone_map,
)
from sim.present.lever_words import choice_name, group_name, lever_help, lever_label
from sim.present.text import fmt, label
from sim.run.compare import slug, unique_names

#: Seconds between months while playing.
PLAY_INTERVAL = 0.35

_CONFIG = config_from_env()
_LANG = _CONFIG["lang"]
#: The scenarios the page offers (the command line's files, or the registry defaults).
_SCENARIOS = [load_start_scenario(path, overrides=_CONFIG["overrides"], years=_CONFIG["years"])
              for path in _CONFIG["scenarios"] or [None]]


def _png(session: Session, lang: str) -> bytes:
    buf = io.BytesIO()
    figure(session, lang).savefig(buf, format="png")
    return buf.getvalue()


def _zones_png(session: Session, lang: str) -> bytes:
    buf = io.BytesIO()
    zone_map(session, lang).savefig(buf, format="png", dpi=70)
    return buf.getvalue()


def _value_text(value: float, how: str, lang: str) -> str:
    if value != value:  # NaN before the first step
        return "–"
    return fmt(value, lang, 1 if how == "mnok" else 0)


def _shown(value: Any) -> str:
    """A lever's value in words for the list of changes: on/off, a choice's name, a number
    in the page's language."""
    if isinstance(value, bool):
        return {"nb": ("på", "av"), "en": ("on", "off")}[_LANG][0 if value else 1]
    if isinstance(value, str):
        return choice_name(value, _LANG)
    return fmt(value, _LANG, 0 if float(value).is_integer() else 2)


@solara.component
def LeverControl(lever: Lever, value: Any, on_value: Any, disabled: bool) -> None:
    """One lever: a slider, a switch or a choice, with the registry's description as help."""
    decimals = 0 if lever.dtype is int or (lever.step or 1) >= 1 else \
        int(-math.floor(math.log10(lever.step or 1) + 1e-9))  # as fine as the slider moves
    shown = fmt(value, _LANG, decimals) if lever.control == "slider" else ""
    text = lever_label(lever.path, _LANG) + (f": {shown}" if shown else "")
    names = {choice_name(c, _LANG): c for c in lever.choices}

    def set_value(v: Any) -> None:
        on_value(lever.path, names.get(v, v) if lever.control == "select" else v)

    with solara.Tooltip(lever_help(lever.path, _LANG)):
        with solara.Div(classes=["lever", "lever-" + lever.path.replace(".", "-")]):
            if lever.control == "switch":
                solara.Switch(label=text, value=bool(value), on_value=set_value,
                              disabled=disabled)
            elif lever.control == "select":
                solara.Select(label=text, value=choice_name(str(value), _LANG),
                              values=list(names), on_value=set_value, disabled=disabled)
            elif lever.dtype is int:
                solara.SliderInt(text, value=int(value), min=int(lever.low), max=int(lever.high),
                                 step=int(lever.step), on_value=set_value, disabled=disabled)
            else:
                solara.SliderFloat(text, value=float(value), min=float(lever.low),
                                   max=float(lever.high), step=float(lever.step),
                                   on_value=set_value, disabled=disabled)


@solara.component
def Page() -> None:
    """The dashboard page."""
    lang = _LANG
    words = WORDS[lang]
    chosen, set_chosen = solara.use_state(0)
    session = solara.use_memo(lambda: Session(_SCENARIOS[chosen], _CONFIG["seed"]), [chosen])
    version, set_version = solara.use_state(0)
    playing, set_playing = solara.use_state(False)

    def bump() -> None:
        set_version(lambda v: v + 1)

    def on_lever(path: str, value: Any) -> None:
        session.set_lever(path, value)
        bump()

    def step(months: int) -> None:
        session.step(months)
        bump()

    def reset() -> None:
        set_playing(False)
        session.reset()
        bump()

    async def play() -> None:
        # an asyncio task on the server's event loop, each month simulated in a thread: the
        # page is redrawn at every await (a play loop in a thread of its own, with
        # use_thread, sent the page nothing until it ended)
        loop = asyncio.get_running_loop()
        while playing and not session.finished:
            await loop.run_in_executor(None, session.step, 1)
            bump()
            await asyncio.sleep(PLAY_INTERVAL)
        if playing and session.finished:
            set_playing(False)

    solara.lab.use_task(play, dependencies=[playing], prefer_threaded=False)
    png = solara.use_memo(lambda: _png(session, lang), [version, chosen])
    zones_png = solara.use_memo(lambda: _zones_png(session, lang), [version, chosen])

    solara.Title(words["title"].format(name=session.base.name))
    with solara.Columns([4, 8], style={"padding": "8px"}):
        with solara.Column(style={"height": "96vh", "overflow-y": "auto"}):
            if len(_SCENARIOS) > 1:
                ScenarioChoice(words, chosen, set_chosen, playing, set_playing)
            Controls(session, words, playing, set_playing, step, reset, version)
            Levers(session, words, on_lever, version)
        with solara.Column():
            solara.Image(png, format="png", width="100%", classes=["live-figure"])
            stem = f"boligsim-{slug(session.base.name)}-{session.dates[max(session.month - 1, 0)]}"
            with solara.Row(gap="8px", classes=["downloads"]):
                solara.FileDownload(session.export_csv, filename=f"{stem}.csv",
                                    label=words["download_csv"], mime_type="text/csv")
                solara.FileDownload(png, filename=f"{stem}.png", label=words["download_png"],
                                    mime_type="image/png")
            Table(session, words, lang, version, bump)
            solara.Image(zones_png, format="png", width="100%", classes=["zone-map"])


@solara.component
def Levers(session: Session, words: dict[str, str], on_lever: Any, version: int) -> None:
    """Every lever, by section, at its value for the next month (``version`` changes with
    every step or change, so the component draws afresh)."""
    with solara.Card(words["levers"]):
        group = None
        values = session.values
        for lever in session.levers:
            if lever.group != group:
                group = lever.group
                solara.Markdown(f"**{group_name(group, _LANG)}**")
            LeverControl(lever, values[lever.path], on_lever, session.finished)


@solara.component
def ScenarioChoice(words: dict[str, str], chosen: int, set_chosen: Any, playing: bool,
                   set_playing: Any) -> None:
    """The scenarios given on the command line, as presets: choosing one starts its run
    afresh (its reference is run first)."""
    names = unique_names([sc.name for sc in _SCENARIOS])

    def choose(name: str) -> None:
        set_playing(False)
        set_chosen(names.index(name))

    with solara.Div(classes=["scenario-choice"]):
        solara.Select(label=words["scenario"], value=names[chosen], values=names,
                      on_value=choose, disabled=playing)


@solara.component
def Controls(session: Session, words: dict[str, str], playing: bool, set_playing: Any,
             step: Any, reset: Any, version: int) -> None:
    """The run's controls: month, step, twelve months, play or pause, reset; the reforms.

    ``version`` changes with every step or change, so the component draws afresh.
    """
    month = session.month
    date = session.dates[max(month - 1, 0)]
    with solara.Card(words["title"].format(name=session.base.name)):
        solara.Text(words["month"].format(month=month, months=session.months, date=date),
                    classes=["month-status"])
        with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
            solara.Button(words["step"], on_click=lambda: step(1), color="primary",
                          disabled=playing or session.finished, classes=["step-one"])
            solara.Button(words["year"], on_click=lambda: step(12), color="primary",
                          disabled=playing or session.finished, classes=["step-year"])
            solara.Button(words["pause"] if playing else words["play"],
                          on_click=lambda: set_playing(not playing),
                          disabled=session.finished and not playing, classes=["play"])
            solara.Button(words["reset"], on_click=reset, classes=["reset"])
        if session.finished:
            solara.Info(words["done"], classes=["run-done"])
        solara.Text(words["seed"].format(seed=session.seed))
        reforms = "; ".join(
            f"{session.dates[m]}: " + ", ".join(f"{lever_label(k, _LANG)} = {_shown(v)}"
                                               for k, v in values.items())
            for m, values in session.reforms) or words["none"]
        solara.Markdown(f"**{words['reforms']}:** {reforms}")
        solara.Text(words["reform_note"], style={"font-size": "0.85em"})


@solara.component
def Table(session: Session, words: dict[str, str], lang: str, version: int, bump: Any) -> None:
    """The key indicators in the last simulated month, beside the reference (``version``
    changes with every step or change), and "how sure?": once the plausible worlds have run
    (:meth:`sim.present.dashboard.Session.check_worlds`, in a thread), a column says in how
    many of them each difference keeps its direction."""
    count = _CONFIG["worlds"]
    running, set_running = solara.use_state(False)
    done, set_done = solara.use_state(0)

    def start_check() -> None:
        set_done(0)
        set_running(True)

        def work() -> None:
            try:
                session.check_worlds(count, progress=set_done)
            finally:
                set_running(False)
                bump()

        threading.Thread(target=work, daemon=True).start()

    check = session.worlds

    def worlds_cells(panel: str, how: str) -> str:
        if not check:
            return ""
        end = _value_text(check.nominal[panel], how, lang)
        return (f"<td class='worlds-end'>{end}</td>"
                f"<td class='worlds'>{html.escape(worlds_text(check, panel, lang))}</td>")

    heads = (["indicator", "now", "ref_now", "diff"]
             + (["worlds_end", "worlds_column"] if check else []))
    rows = "".join(
        f"<tr><td>{html.escape(label(lang, panel))}</td>"
        f"<td class='now'>{_value_text(now, how, lang)}</td>"
        f"<td>{_value_text(ref, how, lang)}</td>"
        f"<td>{_value_text(now - ref, how, lang)}</td>{worlds_cells(panel, how)}</tr>"
        for panel, how, now, ref in session.table())
    solara.HTML(tag="table", classes=["indicator-table"], unsafe_innerHTML=(
        "<thead><tr>" + "".join(f"<th>{html.escape(words[k])}</th>" for k in heads)
        + f"</tr></thead><tbody>{rows}</tbody>"), style={"border-spacing": "12px 2px"})
    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.Button(words["worlds_button"].format(worlds=count), on_click=start_check,
                      disabled=running, classes=["check-worlds"])
        if running:
            solara.Text(words["worlds_running"].format(done=done, worlds=count),
                        classes=["worlds-status"])
    if check:
        solara.Text(words["worlds_note"].format(worlds=check.count),
                    style={"font-size": "0.85em"}, classes=["worlds-note"])
        shaky = [(panel, hangs_on_text(check, panel, lang)) for panel in check.hangs_on]
        if shaky:
            solara.HTML(tag="div", classes=["worlds-hangs"], unsafe_innerHTML=(
                f"<b>{html.escape(words['worlds_hangs'])}</b><ul>" + "".join(
                    f"<li>{html.escape(label(lang, panel))}: "
                    f"{html.escape(worlds_text(check, panel, lang))}; {html.escape(text)}.</li>"
                    for panel, text in shaky) + "</ul>"), style={"font-size": "0.85em"})


page = Page
