"""Housing markets and the municipal stock: price and rent indices, dwelling sizes, stock.

House prices and market rents follow indices with a real trend and log-normal noise (a
geometric random walk, assumption: ``market.price_growth``, ``market.price_volatility``,
``market.rent_growth``, ``market.rent_volatility``). A family needs a dwelling sized to its
household, priced by a per-person factor around the three-person flat of ``market.price`` and
``market.rent`` (shared/parameters.md: 2.2 million NOK average start-loan purchase 2020;
7,090–10,600 NOK/month for three rooms). Municipal rent is a policy share of market rent
(``policy.rotation.rent_to_market``, Røe (2018) §3.1.2). The municipality can buy, build or
sublet more dwellings each year (Røe §3.4).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import MAX_CHILDREN

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
    """

    def __init__(self, owned: int, sublet: int, towns: int = 1):
        self.towns = towns
        kind = np.array([OWNED] * owned + [SUBLET_KIND] * sublet, dtype=np.int8)
        self.kind = np.tile(kind, towns)
        self.occupant = np.full(len(self.kind), -1, dtype=np.int64)
        self.active = np.ones(len(self.kind), dtype=bool)
        self.vacant_since = np.zeros(len(self.kind), dtype=np.int64)
        self.town = np.repeat(np.arange(towns, dtype=np.int32), len(kind))

    def _per_town(self, mask: np.ndarray) -> int | np.ndarray:
        """How many entries of ``mask``: a number, or one per town in a batch."""
        if self.towns == 1:
            return np.count_nonzero(mask)
        return np.bincount(self.town[mask], minlength=self.towns)

    @property
    def n(self) -> int | np.ndarray:
        """Dwellings in the stock now (per town in a batch)."""
        return self._per_town(self.active)

    def count(self, kind: int) -> int | np.ndarray:
        """Dwellings of ``kind`` in the stock now (per town in a batch)."""
        return self._per_town(self.active & (self.kind == kind))

    def count_vacant(self) -> int | np.ndarray:
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


def size_factor(persons: np.ndarray, per_person: float) -> np.ndarray:
    """Price/rent factor of a dwelling for a household of ``persons`` (1.0 for three).

    Assumption: linear in persons (``market.price_per_person``), bounded to [0.5, 3]; it
    reproduces SSB's 2017 Trondheim rents (2 rooms 0.85, 4 rooms 1.26 of 3 rooms) at 0.08–0.13.
    """
    return _size_table(per_person).take(persons)  # take: faster than indexing


@functools.lru_cache(maxsize=64)
def _size_table(per_person: float) -> np.ndarray:
    """:func:`size_factor` for households of 0 to 2 + ``MAX_CHILDREN`` persons, looked up by
    size (a dozen calls a month: the table saves their arithmetic)."""
    sizes = np.arange(3 + MAX_CHILDREN)
    return np.minimum(np.maximum(1.0 + per_person * (sizes - 3), 0.5), 3.0)


def market_rent_level(m: HousingModel) -> float | np.ndarray:
    """Private market rent of a three-person household's dwelling now, NOK/month (one per
    town in a batch)."""
    p = m.p
    return p["market.rent"] * m.rent_index * (1 + p["tenancy.private_rent_premium"])


def municipal_rent_level(m: HousingModel) -> float | np.ndarray:
    """Rent of a three-person household's municipal or sublet dwelling now, NOK/month (the
    policy's share of the market rent; one per town in a batch)."""
    p = m.p
    return p["policy.rotation.rent_to_market"] * p["market.rent"] * m.rent_index


def market_rent(m: HousingModel, persons: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Private market rent for the households of ``persons``, families ``idx``, NOK/month."""
    return m.at(market_rent_level(m), idx) * size_factor(persons, m.p["market.price_per_person"])


def house_price(m: HousingModel, persons: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Price of a suitable dwelling for the households of ``persons``, families ``idx``, now,
    NOK."""
    p = m.p
    return (p["market.price"] * m.at(m.price_index, idx)
            * size_factor(persons, p["market.price_per_person"]))


def step(m: HousingModel) -> None:
    """Move the price and rent indices one month and change the stock.

    Index: ``I_{t+1} = I_t * exp((g - s²/2)/12 + s/sqrt(12) * z)``, each town of a batch with
    its own draws. Dwellings: the annual additions accumulate fractionally and whole dwellings
    join every town's stock as vacant; with ``stock.release_vacant_months`` > 0, dwellings
    vacant that long are sold or their sublet lease ended (a municipality does not keep paying
    for homes no one it houses needs).
    """
    p = m.p
    z = [g.standard_normal(2) for g in m.streams.each_town("market")]
    z = z[0] if m.towns == 1 else np.stack(z, axis=1)  # (2,) or (2, towns)
    for attr, g, s, k in (("price_index", p["market.price_growth"],
                           p["market.price_volatility"], 0),
                          ("rent_index", p["market.rent_growth"], p["market.rent_volatility"], 1)):
        mu = np.log1p(g)
        setattr(m, attr, getattr(m, attr) * np.exp((mu - s * s / 2) / 12
                                                   + s / np.sqrt(12) * z[k]))
    for kind, key in ((OWNED, "stock.acquire_per_year"),
                      (SUBLET_KIND, "stock.sublet_add_per_year")):
        m.stock_carry[kind] += p[key] / 12
        whole = int(m.stock_carry[kind])
        if whole:
            for town in range(m.towns):
                m.stock.add(kind, whole, m.month, town)
            m.stock_carry[kind] -= whole
    if p["stock.release_vacant_months"] > 0:
        m.stock.release_idle(m.month, p["stock.release_vacant_months"])
