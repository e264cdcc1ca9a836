"""Where the families live: the municipality's zones as a schematic a politician can read.

Not a map but a plan of the neighbourhoods (:mod:`sim.engine.processes.homes`): one tile per
zone, in a grid, zone 0 (the cheapest rents) first. In a tile every household of the model
living there is a square coloured by its tenure (municipal or sublet, private rental, owned); a
household with children carries a dot, one living crowded is hatched; an empty municipal
dwelling is an outlined square. Under each tile its families, children and crowded children;
over the figure the month and the dissimilarity index (``concentration_index``). The
dashboard draws it from the policy run's month, the report from the last month of the
replication its family stories come from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import HOMELESS, MUNICIPAL, OWNER_BANK, OWNER_STARTLOAN, PRIVATE, SUBLET
from sim.run.files import PALETTE

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from sim.engine.model import HousingModel

#: What a square's colour says: municipal or sublet, private rental, owned.
GROUPS = ("municipal", "private", "owner")
COLOURS = {"municipal": PALETTE[0], "private": PALETTE[1], "owner": PALETTE[2]}
#: Group of each tenure code (homeless families have no home and are not drawn).
_GROUP_OF = {MUNICIPAL: 0, SUBLET: 0, PRIVATE: 1, OWNER_STARTLOAN: 2, OWNER_BANK: 2}

WORDS = {
    "nb": {"title": "Hvor familiene bor, {date}", "zone": "Sone {k}",
           "rent": "husleie {sign}{pct} %", "counts": "{fam} familier, {kids} barn, "
           "{crowded} bor trangt", "index": "ulikhetsindeks {d}", "municipal": "kommunal bolig",
           "private": "privat leie", "owner": "eier", "children": "med barn",
           "crowded": "bor trangt", "vacant": "ledig kommunal bolig",
           "homeless": "{n} familier uten bolig ({kids} barn)"},
    "en": {"title": "Where the families live, {date}", "zone": "Zone {k}",
           "rent": "rent {sign}{pct} %", "counts": "{fam} families, {kids} children, "
           "{crowded} crowded", "index": "dissimilarity index {d}",
           "municipal": "municipal", "private": "private rental", "owner": "owner",
           "children": "with children", "crowded": "crowded",
           "vacant": "vacant municipal dwelling",
           "homeless": "{n} families homeless ({kids} children)"},
}


@dataclass
class ZoneView:
    """The households and empty municipal dwellings of each zone in one month.

    Attributes:
        date: the month, ``YYYY-MM``.
        zones: the number of zones.
        group, zone, kids, crowded: per housed family of the model: its tenure group (index
            into :data:`GROUPS`), zone, children and whether it lives crowded.
        vacant: the zone of each empty municipal or sublet dwelling.
        rent: each zone's rent relative to the town's.
        homeless, homeless_kids: families without a home, and their children.
        concentration: the month's dissimilarity index.
    """

    date: str
    zones: int
    group: np.ndarray
    zone: np.ndarray
    kids: np.ndarray
    crowded: np.ndarray
    vacant: np.ndarray
    rent: np.ndarray
    homeless: int
    homeless_kids: int
    concentration: float


def zone_view(model: HousingModel, date: str | None = None) -> ZoneView:
    """The zones of ``model`` (a single run) as they are now."""
    from sim.engine.processes import homes

    f, n, stock = model.f, model.f.n, model.stock
    act = f.active[:n]
    tenure = f.tenure[:n]
    housed = (act & (tenure != HOMELESS) & (f.home_zone[:n] >= 0)).nonzero()[0]
    homeless = (act & (tenure == HOMELESS)).nonzero()[0]
    lookup = np.zeros(6, dtype=np.int8)
    for code, g in _GROUP_OF.items():
        lookup[code] = g
    zones = int(model.p["dwellings.zones"])
    k = np.arange(zones)
    rent = homes.zone_rent(model, k, np.zeros(zones, dtype=np.int64))
    empty = stock.active & (stock.occupant < 0)
    if date is None:
        date = model.dates[max(model.reported - 1, 0)]
    return ZoneView(
        date=date, zones=zones, group=lookup[tenure[housed]], zone=f.home_zone[housed].copy(),
        kids=f.kids[housed].copy(), crowded=homes.crowded(f, housed), vacant=stock.zone[empty],
        rent=np.asarray(rent, dtype=float), homeless=len(homeless),
        homeless_kids=int(f.kids[homeless].sum()),
        concentration=float(np.asarray(homes.concentration(model)).ravel()[0]))


def _fmt(x: float, lang: str) -> str:
    text = f"{x:.2f}"
    return text.replace(".", ",") if lang == "nb" else text


def draw_zones(fig: Figure, view: ZoneView, lang: str = "nb", legend_at: float = 0.0) -> None:
    """Draw ``view`` into ``fig``: one tile per zone, and a legend whose foot is at height
    ``legend_at`` (a share of the figure)."""
    w = WORDS[lang]
    cols = min(view.zones, 3 if view.zones > 4 else 2 if view.zones > 1 else 1)
    rows = math.ceil(view.zones / cols)
    per_zone = [np.count_nonzero(view.zone == z) + np.count_nonzero(view.vacant == z)
                for z in range(view.zones)]
    side = max(int(math.ceil(math.sqrt(max(per_zone + [1]) * 1.5))), 4)  # squares a row
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for z, ax in enumerate(axes):
        ax.set_axis_off()
        if z >= view.zones:
            continue
        mine = np.flatnonzero(view.zone == z)
        order = mine[np.lexsort((-view.kids[mine], view.group[mine]))]  # by tenure, kids first
        places = np.arange(len(order) + np.count_nonzero(view.vacant == z))
        x, y = places % side, -(places // side)
        for j, i in enumerate(order):
            ax.add_patch(_square(x[j], y[j], COLOURS[GROUPS[view.group[i]]], view.crowded[i]))
            if view.kids[i]:
                ax.plot(x[j] + 0.45, y[j] + 0.45, "o", ms=2.6, color="black")
        for j in range(len(order), len(places)):
            ax.add_patch(_square(x[j], y[j], "white", False, edge=COLOURS["municipal"]))
        ax.set_xlim(-0.5, side + 0.5)
        ax.set_ylim(-(max(per_zone) // side) - 1.5, 1.6)
        ax.set_aspect("equal")
        pct = round(100 * (view.rent[z] - 1))
        head = (f"{w['zone'].format(k=z + 1)} · "
                f"{w['rent'].format(sign='+' if pct > 0 else '', pct=pct)}")
        ax.set_title(head, fontsize=9, loc="left")
        crowded = int(view.kids[mine][view.crowded[mine]].sum())
        ax.text(0, 1.0, w["counts"].format(fam=len(mine), kids=int(view.kids[mine].sum()),
                                           crowded=crowded), fontsize=7.5, va="bottom")
    fig.suptitle(f"{w['title'].format(date=view.date)} — "
                 f"{w['index'].format(d=_fmt(view.concentration, lang))}", fontsize=11)
    _legend(fig, view, lang, legend_at)


def _square(x: float, y: float, colour: str, crowded: bool, edge: str | None = None) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 0.9, 0.9, facecolor=colour, edgecolor=edge or "white",
                     hatch="////" if crowded else None, linewidth=0.8)


def _legend(fig: Figure, view: ZoneView, lang: str, at: float) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    w = WORDS[lang]
    handles = [Patch(facecolor=COLOURS[g], label=w[g]) for g in GROUPS]
    handles += [Patch(facecolor="white", edgecolor=COLOURS["municipal"], label=w["vacant"]),
                Patch(facecolor="lightgrey", hatch="////", label=w["crowded"]),
                Line2D([], [], marker="o", ls="", color="black", ms=4, label=w["children"])]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, at), ncol=6,
               fontsize=8, frameon=False)
    fig.text(0.5, 0.935, w["homeless"].format(n=view.homeless, kids=view.homeless_kids),
             ha="center", fontsize=9)


def zones_figure(view: ZoneView, lang: str = "nb", size: tuple[float, float] = (8.0, 7.0)
                 ) -> Figure:
    """A new figure of ``view`` (:func:`draw_zones`), built on
    :class:`matplotlib.figure.Figure` directly (no pyplot state: the dashboard draws one a
    month)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    draw_zones(fig, view, lang)
    fig.subplots_adjust(left=0.03, right=0.97, top=0.88, bottom=0.07, hspace=0.2, wspace=0.08)
    return fig
