"""A calibration's ``fit.json`` as Markdown tables: the parameters and the targets."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.analysis.calibration.targets import RELATION_SIGNS


def _fmt(x: float | None) -> str:
    """A number for a Markdown table: thousands spaced, 3 significant digits below 1,000."""
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}".replace(",", " ")
    if x == 0:
        return "0"
    return f"{x:.3g}"


def fit_markdown(fit: Mapping[str, Any]) -> str:
    """The parameter table and the target table of a ``fit.json`` as Markdown.

    ``docs/validation.md`` is written from this (``python -m sim.analysis.calibration
    FIT.json``), so every number there can be traced to the command that made it.
    """
    level = int(round(100 * fit["uncertainty"]["level"]))
    lines = [
        f"Loss {fit['loss']:.3g} at the fit, {fit['loss_at_defaults']:.3g} at the registry "
        f"defaults ({fit['replications']} replications per evaluation, seed {fit['seed']}); "
        f"with {fit['report_replications']} replications "
        f"{fit['report_loss']:.3g} at the fit and "
        f"{fit.get('report_loss_at_defaults', math.nan):.3g} at the defaults. Within "
        f"tolerance: {fit['targets_within_tolerance']}.",
        "",
        f"| parameter | registry default | fitted | {level} % ABC interval | "
        f"{level} % profile interval | prior (set-up bounds) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for path, p in fit["parameters"].items():
        lo, hi = p[f"interval{level}"]
        plo, phi = p[f"profile_interval{level}"]
        flag = " (at bound)" if p["at_bound"] else ""
        lines.append(f"| `{path}` ({p['unit']}) | {_fmt(p['default'])} | "
                     f"**{_fmt(p['value'])}**{flag} | {_fmt(lo)} – {_fmt(hi)} | "
                     f"{_fmt(plo)} – {_fmt(phi)} | {_fmt(p['bounds'][0])} – "
                     f"{_fmt(p['bounds'][1])} |")
    lines += [
        "",
        f"Targets ({fit['report_replications']} replications at the fitted point; 95 % "
        "interval of the mean over replications; *posterior* is the 95 % range of the moment "
        "over the accepted ABC draws):",
        "",
        "| target | scenario | expression | observed | at defaults | simulated (95 % CI) | "
        "posterior | within tolerance |",
        "|---|---|---|---:|---:|---:|---:|:---:|",
    ]
    for used in (True, False):
        for r in (r for r in fit["targets"] if r["used"] == used):
            sim = r["simulated"]
            lo, hi = sim["ci95"]
            post = sim.get("posterior95")
            sign = RELATION_SIGNS[r["relation"]]
            scenario = Path(r["scenario"]).stem
            kind = "" if used else " (check)"
            ok = ("yes" if r["within_tolerance"] else "**no**")
            lines.append(
                f"| `{r['id']}`{kind} | {scenario} | `{r['expression']}` | {sign} "
                f"{_fmt(r['observed'])} ± {_fmt(r['tolerance'])} | "
                f"{_fmt(r.get('at_defaults'))} | {_fmt(sim['mean'])} ({_fmt(lo)} – "
                f"{_fmt(hi)}) | {(_fmt(post[0]) + ' – ' + _fmt(post[1])) if post else '–'} "
                f"| {ok} |")
    return "\n".join(lines) + "\n"
