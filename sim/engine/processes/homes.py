"""Homes: the size, standard and neighbourhood of every family's dwelling, and crowding.

Every housed family lives in a dwelling with a number of *rooms* (1 to 5, 5 meaning five or
more, as SSB counts them), a *standard* (good or poor) and a *zone* (one of the municipality's
``dwellings.zones`` neighbourhoods, zone 0 the one with the cheapest rents). A municipal or
sublet dwelling carries them in the stock (:class:`sim.engine.processes.stock.Dwellings`); a
private rental or an owned home in the family's columns ``home_rooms``, ``home_zone`` and
``home_poor``, one household to a dwelling by construction. A homeless family has no home
(``home_rooms`` 0).

- *Need and crowding* (:func:`need_rooms`, :func:`crowded`): a household needs a room for each
  person and lives crowded with fewer, SSB's first criterion of crowding (SSB (n.d.-a); its
  second, under 25 m² a person, is not modelled: the model has no floor areas). A household
  grows in its home when a child is born or a partner joins, so crowding comes about in place.
- *The private market* (:func:`offer_rooms`, :func:`zone_rent`): listings come in sizes in
  the proportions of the rental stock (``dwellings.rental_share_*``). A searching family answers
  listings of up to the rooms it needs (a larger home costs more than a family living on a low
  income looks for, an assumption) and takes one with at least its need less
  ``dwellings.crowding_tolerance`` rooms when it must move, or only one that fits when it
  moves by choice. A large family therefore finds a home less often, and more often a crowded
  one. Listings are spread evenly over the zones, with rents ``dwellings.zone_rent_spread``
  below the town's in zone 0 and as much above in the last (an assumption: poorer families
  meet the cheaper neighbourhoods through what they can afford). The cheapest sixth of
  listings (a rent more than one dispersion below the market's) are of poor standard (an
  assumption).
- *Rent follows the home* (:func:`rent_persons`): a dwelling of ``r`` rooms is let at the
  market's rent for a household of ``r`` (SSB (2017b): rents by rooms); five or more rooms at
  that of the household living there when it is larger.
- *Crowding costs stability* (:func:`step`): a crowded private renter looks for a larger home
  (``dwellings.crowded_search_rate`` a month) and applies for a municipal one
  (:func:`sim.engine.processes.search.step`): crowded families move more, which the indicator
  ``child_moves`` counts.
- *Concentration* (:func:`dissimilarity`): Duncan and Duncan's (1955) dissimilarity index of
  the housed families of the model against the municipality's other households, by zone.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import HOMELESS, PRIVATE, is_owner

if TYPE_CHECKING:
    from sim.engine.families import Families
    from sim.engine.model import HousingModel

#: The most rooms counted: SSB's dwelling statistics group five rooms or more.
MAX_ROOMS = 5
#: Share of private listings of poor standard: those with a rent more than one dispersion
#: below the market's, a normal's lower tail below -1 (an assumption, about one in six).
POOR_LISTINGS = 0.5 * math.erfc(1 / math.sqrt(2))  # the standard normal's Φ(-1)
#: The rows of the month's draws (:func:`draws`), one number per family each: the rooms and
#: zone of a home the family comes to this month (a listing it answers, or the home it arrives
#: in or buys), its standard when it arrives, and whether a crowded renter looks for room.
ROOMS, ZONE, POOR, LOOKS = range(4)


def need_rooms(persons: np.ndarray) -> np.ndarray:
    """Rooms a household of ``persons`` needs not to be crowded: one per person, five or more
    for five or more (SSB (n.d.-a))."""
    return np.minimum(persons, MAX_ROOMS)  # every household has a person


def crowded(f: Families, rows: Any = None) -> np.ndarray:
    """Whether families ``rows`` (default: every row in use) live crowded: housed, with fewer
    rooms than persons."""
    rows = slice(0, f.n) if rows is None else rows
    rooms = f.home_rooms[rows]
    return (rooms > 0) & (rooms < need_rooms(f.adults[rows] + f.kids[rows]))


def rent_persons(rooms: np.ndarray, persons: np.ndarray) -> np.ndarray:
    """The household size whose market rent a dwelling of ``rooms`` lets at, for households of
    ``persons`` living there: its rooms; five or more rooms priced for a larger household
    that lives there; without a home (0 rooms), the household's own size."""
    return np.where(rooms == 0, persons,
                    np.where(rooms >= MAX_ROOMS, np.maximum(persons, MAX_ROOMS), rooms))


def rental_shares(p: dict[str, Any]) -> np.ndarray:
    """Cumulative shares of the private rental stock by rooms, from 0 (``[0, s1, s1+s2, ...,
    1]``): the ``dwellings.rental_share_*`` weights, normalised."""
    w = np.array([p[f"dwellings.rental_share_{r}_rooms"] for r in range(1, MAX_ROOMS + 1)])
    return np.concatenate([[0.0], np.cumsum(w) / max(w.sum(), 1e-12)])


def draw_rooms(u: np.ndarray, low: np.ndarray, high: np.ndarray, cum: np.ndarray
               ) -> np.ndarray:
    """Rooms of listings between ``low`` and ``high`` rooms (inclusive), drawn by the uniform
    numbers ``u`` in the proportions ``cum`` (:func:`rental_shares`)."""
    lo, hi = cum.take(low - 1), cum.take(high)
    rooms = np.searchsorted(cum, lo + u * (hi - lo), side="right")
    return np.clip(rooms, low, high).astype(np.int8)


def offer_rooms(m: HousingModel, idx: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Rooms of the listing each family ``idx`` answers this month (``u``: its draws): up to
    the rooms it needs."""
    need = need_rooms(m.f.adults[idx] + m.f.kids[idx])
    return draw_rooms(u, np.ones(len(idx), dtype=np.int8),
                      need, rental_shares(m.p))


def tolerance(m: HousingModel, idx: np.ndarray) -> Any:
    """Rooms fewer than they need that families ``idx`` accept when they must move."""
    return m.towns.at(m.p["dwellings.crowding_tolerance"], idx)


def zone_rent(m: HousingModel, zone: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Rent in ``zone`` relative to the town's, for families ``idx``: ``1 - spread`` in zone
    0 rising evenly to ``1 + spread`` in the last."""
    zones = m.p["dwellings.zones"]
    if zones == 1:
        return np.ones(len(zone))
    spread = m.towns.at(m.p["dwellings.zone_rent_spread"], idx)
    return 1.0 + spread * (2.0 * zone / (zones - 1) - 1.0)


def offer_zone(m: HousingModel, u: np.ndarray) -> np.ndarray:
    """The zone of listings, spread evenly (``u``: uniform draws)."""
    zones = m.p["dwellings.zones"]
    return np.minimum((u * zones).astype(np.int8), zones - 1)


def settle(f: Families, idx: np.ndarray, rooms: Any, zone: Any, poor: Any) -> None:
    """Families ``idx`` now live in a home of ``rooms``, ``zone`` and standard (``poor``)."""
    f.home_rooms[idx] = rooms
    f.home_zone[idx] = zone
    f.home_poor[idx] = poor


def leave(f: Families, idx: np.ndarray) -> None:
    """Families ``idx`` leave their home (for another one, or none)."""
    settle(f, idx, 0, -1, False)


def draws(m: HousingModel) -> np.ndarray:
    """The month's numbers for homes, one row per purpose (:data:`ROOMS` ... :data:`LOOKS`),
    one number per family: drawn once a month (by :func:`step`, or by the first process to
    need them in a test that steps processes alone)."""
    f = m.f
    if m.home_draws_month != m.month or m.home_draws.shape[1] != f.n:
        m.home_draws = m.streams.uniform("homes", f.n, 4)
        m.home_draws_month = m.month
    return m.home_draws


def step(m: HousingModel) -> None:
    """Draw the month's numbers for homes; give a home to the families that came this month
    with one: those renting privately (arrivals, households formed in a separation) a listing
    from their need less ``dwellings.crowding_tolerance`` up to their need, in a zone spread
    evenly, at that zone's rent; owners (:func:`owner_home`)."""
    f, n = m.f, m.f.n
    u = draws(m)
    new = (f.active[:n] & (f.tenure[:n] != HOMELESS) & (f.home_rooms[:n] == 0)).nonzero()[0]
    owners = new[is_owner(f.tenure[new])]  # local owners arriving with the home they have
    if len(owners):
        owner_home(m, owners, u[ZONE][owners])
    new = new[f.tenure[new] == PRIVATE]
    if not len(new):
        return
    need = need_rooms(f.adults[new] + f.kids[new])
    low = np.maximum(need - tolerance(m, new), 1).astype(np.int8)
    rooms = draw_rooms(u[ROOMS][new], low, need, rental_shares(m.p))
    zone = offer_zone(m, u[ZONE][new])
    settle(f, new, rooms, zone, u[POOR][new] < POOR_LISTINGS)
    f.rent_factor[new] *= zone_rent(m, zone, new)


def owner_home(m: HousingModel, idx: np.ndarray, u_zone: np.ndarray) -> None:
    """Families ``idx`` own the home they bought: the rooms they need, of good standard (a
    buyer chooses its home), in a zone spread evenly (``u_zone``: uniform draws)."""
    f = m.f
    settle(f, idx, need_rooms(f.adults[idx] + f.kids[idx]), offer_zone(m, u_zone), False)


def dissimilarity(mine: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Duncan and Duncan's (1955) dissimilarity index over zones (last axis): half the sum of
    the absolute differences between the two groups' shares in each zone, 0 (the same spread)
    to 1 (no zone in common): the share of either group that would have to move for the two
    to be spread alike. 0 where a group is empty."""
    a, b = mine.sum(axis=-1, keepdims=True), others.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = 0.5 * np.abs(mine / a - others / b).sum(axis=-1)
    return np.where((a[..., 0] > 0) & (b[..., 0] > 0), d, 0.0)


def concentration(m: HousingModel) -> Any:
    """The dissimilarity index of the model's housed families against the municipality's
    other households, by zone (one per town in a batch). The municipality's households are
    its inhabitants over ``dwellings.persons_per_household``, spread evenly over the zones (an
    assumption); the other households are those less the model's families housed there."""
    p, f, n, towns = m.p, m.f, m.f.n, m.towns.n
    zones = p["dwellings.zones"]
    housed = f.active[:n] & (f.tenure[:n] != HOMELESS) & (f.home_zone[:n] >= 0)
    key = f.home_zone[:n].astype(np.int64).compress(housed)
    if towns > 1:
        key = key + zones * f.town[:n].compress(housed)
    mine = np.bincount(key, minlength=towns * zones).reshape(towns, zones).astype(float)
    households = (np.asarray(p["municipality.inhabitants"], dtype=float)
                  / p["dwellings.persons_per_household"] / zones)
    others = np.maximum(np.reshape(households, (-1, 1)) - mine, 0.0)
    d = dissimilarity(mine, others)
    return d[0] if towns == 1 else d
