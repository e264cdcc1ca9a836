"""Generated reference pages: ``docs/parameters.md`` and ``docs/indicators.md``.

Run ``python -m sim.present.docs`` after changing the registry or the indicators; a test fails when
the committed pages are out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.inputs.indicators import INDICATORS
from sim.inputs.parameters import REGISTRY
from sim.inputs.registry import Param

KIND_TEXT = {
    "policy": "policy lever",
    "context": "context input",
    "calibrated": "calibrated",
    "assumption": "assumption",
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _range(p: Param) -> str:
    if p.type is bool:
        return "true / false"
    if p.type is str:
        return " / ".join(f"`{c}`" for c in p.choices)
    lo, hi = p.limits
    return f"{lo:g} – {hi:g}"


def _default(p: Param) -> str:
    if p.type is bool:
        return "true" if p.default else "false"
    if p.type is str:
        return f"`{p.default}`"
    return f"{p.default:g}"


def parameters_markdown() -> str:
    """The parameter reference as Markdown, grouped by the first part of the path."""
    lines = [
        "# Parameters",
        "",
        "Generated from the registry (`sim/inputs/parameters.py`) by "
        "`python -m sim.present.docs`; do not edit.",
        "",
        "Kinds: **policy lever** — a municipality's choice; **context input** — observed, with "
        "its source; **calibrated** — not observed, fitted to targets; **assumption** — our "
        "choice, said plainly. Money in NOK at about 2020–2022 prices; rates per year unless "
        "the unit says otherwise.",
        "",
        "Sources cite the entries of [sources.md](sources.md) by their key, such as `SSB (2014)` "
        "or `Røe (2018) §3.1.1`, followed by the fact taken from them.",
        "",
        "The last column says how plausible worlds ([worlds.md](worlds.md)) draw an assumed or "
        "calibrated number: over its plausible range (and why), left fixed (and why), or "
        "from a band around the value a scenario uses.",
        "",
    ]
    group = None
    for p in REGISTRY.values():
        head = p.path.split(".")[0]
        if head != group:
            group = head
            lines += ["", f"## {head}", "",
                      "| parameter | default | unit | range | kind | description | source "
                      "| plausible worlds |",
                      "|---|---|---|---|---|---|---|---|"]
        lines.append(f"| `{p.path}` | {_default(p)} | {_cell(p.unit)} | {_range(p)} | "
                     f"{KIND_TEXT[p.kind]} | {_cell(p.description)} | {_cell(p.source)} | "
                     f"{_cell(_worlds(p))} |")
    return "\n".join(lines) + "\n"


def _worlds(p: Param) -> str:
    """How plausible worlds draw ``p`` (docs/worlds.md): its plausible range and why, fixed
    and why, or the band around the value a scenario uses."""
    from sim.analysis.worlds import RELATIVE_BAND

    if p.kind not in ("assumption", "calibrated") or p.type not in (int, float):
        return ""
    if p.fixed_in_worlds:
        return f"fixed: {p.plausible_reason}"
    if p.plausible is not None:
        lo, hi = p.plausible
        return f"{lo:g} – {hi:g}: {p.plausible_reason}"
    band = f"value ÷/× {RELATIVE_BAND:g}"
    return band + (" (the posterior where fitted)" if p.kind == "calibrated" else "")


def indicators_markdown() -> str:
    """The indicator reference as Markdown, in column order of ``timeseries.csv``."""
    lines = [
        "# Indicators",
        "",
        "Generated from `sim/inputs/indicators.py` by `python -m sim.present.docs`; do not edit.",
        "",
        "Columns of `timeseries.csv` after `replication`, `month` and `date`, in this order. "
        "*Stock*: the state at the end of the month; in `summary.json` the value in the last "
        "month. *Flow* and *money*: what happened during the month; in `summary.json` the "
        "total over the run.",
        "",
        "| indicator | unit | kind | meaning |",
        "|---|---|---|---|",
    ]
    for i in INDICATORS:
        lines.append(f"| `{i.name}` | {i.unit} | {i.kind} | {_cell(i.meaning)} |")
    return "\n".join(lines) + "\n"


PAGES = {"parameters.md": parameters_markdown, "indicators.md": indicators_markdown}


def main(argv: list[str] | None = None) -> int:
    """Write the generated pages into ``docs/`` (or the folder given)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "docs"
    out.mkdir(parents=True, exist_ok=True)
    for name, render in PAGES.items():
        (out / name).write_text(render(), encoding="utf-8")
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
