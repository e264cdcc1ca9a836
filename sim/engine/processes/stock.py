"""The municipal stock: the dwellings the municipality owns or sublets, and how it changes.

The municipality can buy or build dwellings and rent more from private owners to sublet, each
year (``stock.acquire_per_year``, ``stock.sublet_add_per_year``; Stjørdal bought used houses and
planned new units, Røe (2018) §3.2.2). With ``stock.release_vacant_months`` > 0 a dwelling
vacant that long is sold or its sublet lease ended: a municipality does not keep paying for
homes no one it houses needs (an assumption the report does not describe).

Every dwelling has rooms, a standard and a zone (:mod:`sim.engine.processes.homes`), set by
rule rather than drawn, so that the stock is the scenario's and the same in every replication:
the ``i``-th dwelling of a kind in a town takes its place in the shares from evenly spread
points (the fractional parts of ``i`` times an irrational number, one for each attribute, so
that size, standard and zone do not go together):

- *owned* dwellings at the start: rooms in the shares ``stock.share_*_rooms``, poor standard in
  the share ``stock.poor_share``; zone 0 holds ``stock.initial_clustering`` of them beyond an
  even spread over the zones (0: spread evenly, 1: all in zone 0);
- *bought or built*: ``stock.acquire_rooms`` rooms, good standard, clustered by
  ``stock.acquire_clustering`` (the spread-or-cluster lever); each costs the price of a home of
  that size (the indicator ``stock_purchases_nok``);
- *sublet*: private rentals, so rooms in the rental market's shares
  (``dwellings.rental_share_*``), poor standard as the market's cheapest listings
  (:data:`sim.engine.processes.homes.POOR_LISTINGS`), spread evenly over the zones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.processes.homes import MAX_ROOMS, POOR_LISTINGS, rental_shares
from sim.engine.processes.market import house_price_level, size_factor

if TYPE_CHECKING:
    from sim.engine.model import HousingModel

OWNED, SUBLET_KIND = 0, 1
#: The irrational steps of the evenly spread points that give the dwellings their rooms,
#: zone and standard (the golden ratio's, and the square roots of 2 and 3's fractional parts).
ROOMS_STEP, ZONE_STEP, POOR_STEP = (np.sqrt(5) - 1) / 2, np.sqrt(2) - 1, np.sqrt(3) - 1


def spread_points(first: int, k: int, step: float) -> np.ndarray:
    """Points ``first`` to ``first + k - 1`` of an evenly spread sequence in [0, 1)."""
    return np.modf(np.arange(first, first + k) * step + 0.5)[0]


def describe(p: dict[str, Any], kind: int, first: int, k: int, *, acquired: bool = False
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rooms, zone and standard (poor) of a town's dwellings ``first`` to ``first + k - 1``
    of ``kind`` (``p``: the town's parameters; ``acquired``: bought or built in the run)."""
    u_rooms = spread_points(first, k, ROOMS_STEP)
    u_zone = spread_points(first, k, ZONE_STEP)
    u_poor = spread_points(first, k, POOR_STEP)
    zones = p["dwellings.zones"]
    if kind == SUBLET_KIND:
        cum, clustering, poor_share = rental_shares(p), 0.0, POOR_LISTINGS
    else:
        w = np.array([p[f"stock.share_{r}_rooms"] for r in range(1, MAX_ROOMS + 1)])
        cum = np.concatenate([[0.0], np.cumsum(w) / max(w.sum(), 1e-12)])
        clustering, poor_share = p["stock.initial_clustering"], p["stock.poor_share"]
    rooms = np.clip(np.searchsorted(cum, u_rooms, side="right"), 1, MAX_ROOMS)
    if acquired:  # bought or built for the purpose
        rooms = np.full(k, p["stock.acquire_rooms"])
        clustering, poor_share = p["stock.acquire_clustering"], 0.0
    # zone 0 takes ``clustering`` of the points, the rest spread evenly over all zones
    rest = np.clip((u_zone - clustering) / max(1.0 - clustering, 1e-12), 0.0, 1.0)
    zone = np.where(u_zone < clustering, 0, np.minimum((rest * zones).astype(int), zones - 1))
    return rooms.astype(np.int8), zone.astype(np.int8), u_poor < poor_share


class Dwellings:
    """The municipal stock: one entry per owned or sublet dwelling ever held.

    Entries are never removed (a family's ``dwelling`` index stays valid); a dwelling sold or
    whose lease is ended is marked inactive. A batch of ``towns`` municipalities holds one
    stock each, told apart by ``town``; every town starts with the same dwellings.

    Attributes:
        kind: ``OWNED`` (0) or ``SUBLET_KIND`` (1).
        rooms, zone, poor: the dwelling's rooms (1-5, five or more), neighbourhood and
            standard (:func:`describe`).
        occupant: family index, -1 if vacant.
        active: still in the stock.
        vacant_since: month index the dwelling last fell vacant.
        town: the town whose stock it is (0 in a single run).
        planned: dwellings of each kind (``OWNED``, ``SUBLET_KIND``) bought, built or sublet
            but not yet whole: the annual additions accumulate month by month.
    """

    def __init__(self, owned: int, sublet: int, towns: int = 1,
                 params: list[dict[str, Any]] | None = None):
        """``params``: each town's parameters (default: the registry's defaults)."""
        if params is None:
            from sim.inputs.parameters import REGISTRY

            params = [REGISTRY.defaults()] * towns
        self.towns = towns
        self._params = params
        kind = np.array([OWNED] * owned + [SUBLET_KIND] * sublet, dtype=np.int8)
        self.kind = np.tile(kind, towns)
        self.occupant = np.full(len(self.kind), -1, dtype=np.int64)
        self.active = np.ones(len(self.kind), dtype=bool)
        self.vacant_since = np.zeros(len(self.kind), dtype=np.int64)
        self.town = np.repeat(np.arange(towns, dtype=np.int32), len(kind))
        self.planned = [0.0, 0.0]
        self.made = np.array([[owned, sublet]] * towns)  # dwellings made, by town and kind
        parts = [describe(params[t], k, 0, count) for t in range(towns)
                 for k, count in ((OWNED, owned), (SUBLET_KIND, sublet))]
        self.rooms, self.zone, self.poor = (np.concatenate([p[i] for p in parts])
                                            for i in range(3))

    def _per_town(self, mask: np.ndarray) -> np.integer | np.ndarray:
        """How many entries of ``mask``: a number, or one per town in a batch."""
        if self.towns == 1:
            return np.count_nonzero(mask)
        return np.bincount(self.town[mask], minlength=self.towns)

    @property
    def n(self) -> np.integer | np.ndarray:
        """Dwellings in the stock now (per town in a batch)."""
        return self._per_town(self.active)

    def count(self, kind: int) -> np.integer | np.ndarray:
        """Dwellings of ``kind`` in the stock now (per town in a batch)."""
        return self._per_town(self.active & (self.kind == kind))

    def count_vacant(self) -> np.integer | np.ndarray:
        """Vacant dwellings in the stock now (per town in a batch)."""
        return self._per_town(self.active & (self.occupant < 0))

    def add(self, kind: int, k: int, month: int = 0, town: int = 0,
            params: dict[str, Any] | None = None) -> None:
        """Add ``k`` vacant dwellings of ``kind``, bought, built or sublet in the run, to
        ``town``'s stock (``params``: the town's parameters now)."""
        if k > 0:
            rooms, zone, poor = describe(params or self._params[town], kind,
                                         self.made[town, kind], k, acquired=kind == OWNED)
            self.made[town, kind] += k
            self.rooms = np.concatenate([self.rooms, rooms])
            self.zone = np.concatenate([self.zone, zone])
            self.poor = np.concatenate([self.poor, poor])
            self.kind = np.concatenate([self.kind, np.full(k, kind, dtype=np.int8)])
            self.occupant = np.concatenate([self.occupant, np.full(k, -1, dtype=np.int64)])
            self.active = np.concatenate([self.active, np.ones(k, dtype=bool)])
            self.vacant_since = np.concatenate([self.vacant_since,
                                                np.full(k, month, dtype=np.int64)])
            self.town = np.concatenate([self.town, np.full(k, town, dtype=np.int32)])

    def vacant(self) -> np.ndarray:
        """Indices of vacant dwellings in the stock (of every town), in stock order."""
        return (self.active & (self.occupant < 0)).nonzero()[0]

    def release_idle(self, month: int, after: int) -> None:
        """Take out of the stock dwellings vacant for ``after`` months or more."""
        idle = self.active & (self.occupant < 0) & (month - self.vacant_since >= after)
        self.active[idle] = False

    def renumber(self, new_row: np.ndarray) -> None:
        """Follow the families to their new rows after the population dropped departed rows
        (``new_row``: the new row of every old one)."""
        held = self.occupant >= 0
        self.occupant[held] = new_row[self.occupant[held]]


def _add_town(m: HousingModel, flow: str, town: int, amount: float) -> None:
    """Add ``amount`` to the month's ``flow`` of ``town``."""
    if m.towns.n == 1:
        m.flows[flow] += amount
    else:
        m.flows[flow][town] += amount


def step(m: HousingModel) -> None:
    """Add the month's share of the year's acquisitions and sublets, then release idle ones.

    The annual additions accumulate fractionally; whole dwellings join every town's stock as
    vacant.
    """
    p, stock = m.p, m.stock
    for kind, key in ((OWNED, "stock.acquire_per_year"),
                      (SUBLET_KIND, "stock.sublet_add_per_year")):
        # a number, or one per town in a batch whose towns buy at different paces
        stock.planned[kind] = stock.planned[kind] + p[key] / 12
        whole = np.trunc(stock.planned[kind])
        for town in range(m.towns.n):
            k = int(whole if np.ndim(whole) == 0 else whole[town])
            if k:
                own = m.town_p(town)
                stock.add(kind, k, m.month, town, own)
                if kind == OWNED:  # bought or built at the price of a home of its size
                    cost = k * house_price_level(m, town) * size_factor(
                        np.array([own["stock.acquire_rooms"]]), own["market.price_per_person"])
                    _add_town(m, "stock_purchases_nok", town, float(cost[0]))
        stock.planned[kind] = stock.planned[kind] - whole
    if p["stock.release_vacant_months"] > 0:
        stock.release_idle(m.month, p["stock.release_vacant_months"])
