"""The municipal stock: the dwellings the municipality owns or sublets, and how it changes.

The municipality can buy or build dwellings and rent more from private owners to sublet, each
year (``stock.acquire_per_year``, ``stock.sublet_add_per_year``; Stjørdal bought used houses and
planned new units, Røe (2018) §3.2.2). With ``stock.release_vacant_months`` > 0 a dwelling
vacant that long is sold or its sublet lease ended: a municipality does not keep paying for
homes no one it houses needs (an assumption the report does not describe).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.engine.model import HousingModel

OWNED, SUBLET_KIND = 0, 1


class Dwellings:
    """The municipal stock: one entry per owned or sublet dwelling ever held.

    Entries are never removed (a family's ``dwelling`` index stays valid); a dwelling sold or
    whose lease is ended is marked inactive. A batch of ``towns`` municipalities holds one
    stock each, told apart by ``town``; every town starts with the same dwellings.

    Attributes:
        kind: ``OWNED`` (0) or ``SUBLET_KIND`` (1).
        occupant: family index, -1 if vacant.
        active: still in the stock.
        vacant_since: month index the dwelling last fell vacant.
        town: the town whose stock it is (0 in a single run).
        planned: dwellings of each kind (``OWNED``, ``SUBLET_KIND``) bought, built or sublet
            but not yet whole: the annual additions accumulate month by month.
    """

    def __init__(self, owned: int, sublet: int, towns: int = 1):
        self.towns = towns
        kind = np.array([OWNED] * owned + [SUBLET_KIND] * sublet, dtype=np.int8)
        self.kind = np.tile(kind, towns)
        self.occupant = np.full(len(self.kind), -1, dtype=np.int64)
        self.active = np.ones(len(self.kind), dtype=bool)
        self.vacant_since = np.zeros(len(self.kind), dtype=np.int64)
        self.town = np.repeat(np.arange(towns, dtype=np.int32), len(kind))
        self.planned = [0.0, 0.0]

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

    def add(self, kind: int, k: int, month: int = 0, town: int = 0) -> None:
        """Add ``k`` vacant dwellings of ``kind`` to ``town``'s stock."""
        if k > 0:
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
                stock.add(kind, k, m.month, town)
        stock.planned[kind] = stock.planned[kind] - whole
    if p["stock.release_vacant_months"] > 0:
        stock.release_idle(m.month, p["stock.release_vacant_months"])
