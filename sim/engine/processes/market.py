"""The housing market: house-price and rent indices, and what a dwelling costs.

House prices and market rents follow indices with a real trend and log-normal noise (a
geometric random walk, assumption: ``market.price_growth``, ``market.price_volatility``,
``market.rent_growth``, ``market.rent_volatility``). A family needs a dwelling sized to its
household, priced by a per-person factor around the three-person flat of ``market.price`` and
``market.rent`` (the average start-loan purchase, 2.2 million NOK in 2020, Romerikes Blad
(2020); three rooms 7,090–10,600 NOK/month in SSB's rental market survey, SSB (2017b)). Municipal
rent is a policy share of market rent (``policy.rotation.rent_to_market``, Røe (2018) §3.1.2).

Interest rates follow a dated path (``market.rate_path``: the monthly series of
:mod:`sim.inputs.rates`, Norges Bank (2025), SSB (2025), Husbanken (n.d.-b); or the constant
``market.bank_rate`` and ``market.husbanken_rate``), shifted by ``market.rate_shift``. Floating
loans follow the month's rate of their kind; a fixed-rate start loan keeps its rate.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import MAX_CHILDREN, OWNER_BANK, is_owner
from sim.engine.finance import annuity_payment
from sim.inputs.rates import rates_at

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


class Market:
    """The market's state: the house-price and rent indices, 1 at the start of the run, and the
    month's interest rates, 1/year (each a number, or one per town in a batch: the indices
    with each town's own draws, the rates when ``market.rate_shift`` differs between towns).

    ``loan_rates`` are the rates floating loans carry, (bank mortgage, start loan): the bank
    rate, and Husbanken's rate plus the municipal margin (:func:`floating_startloan_rate`).
    """

    def __init__(self, start: Any):
        self.price_index = start
        self.rent_index = start
        self.bank_rate: Any = 0.0
        self.husbanken_rate: Any = 0.0
        self.loan_rates: tuple[Any, Any] = (0.0, 0.0)


def size_factor(persons: np.ndarray, per_person: float | np.ndarray) -> np.ndarray:
    """Price/rent factor of a dwelling for a household of ``persons`` (1.0 for three).

    Assumption: linear in persons (``market.price_per_person``), bounded to [0.5, 3]; it
    reproduces SSB's 2017 Trondheim rents (2 rooms 0.85, 4 rooms 1.26 of 3 rooms) at 0.08–0.13.
    """
    if isinstance(per_person, np.ndarray):  # each household its town's (a mixed batch)
        return np.minimum(np.maximum(1.0 + per_person * (persons - 3), 0.5), 3.0)
    return _size_table(per_person).take(persons)  # take: faster than indexing


@functools.lru_cache(maxsize=64)
def _size_table(per_person: float) -> np.ndarray:
    """:func:`size_factor` for households of 0 to 2 + ``MAX_CHILDREN`` persons, looked up by
    size (a dozen calls a month: the table saves their arithmetic)."""
    sizes = np.arange(3 + MAX_CHILDREN)
    return np.minimum(np.maximum(1.0 + per_person * (sizes - 3), 0.5), 3.0)


def per_person(m: HousingModel, rows: Any) -> Any:
    """``market.price_per_person`` for the families ``rows``: one number, or each family's
    town's in a batch of towns that differ in it."""
    return m.towns.at(m.p["market.price_per_person"], rows)


def market_rent_level(m: HousingModel) -> float | np.ndarray:
    """Private market rent of a three-person household's dwelling now, NOK/month (one per
    town in a batch)."""
    p = m.p
    return p["market.rent"] * m.market.rent_index * (1 + p["tenancy.private_rent_premium"])


def municipal_rent_level(m: HousingModel) -> float | np.ndarray:
    """Rent of a three-person household's municipal or sublet dwelling now, NOK/month (the
    policy's share of the market rent; one per town in a batch)."""
    p = m.p
    return p["policy.rotation.rent_to_market"] * p["market.rent"] * m.market.rent_index


def market_rent(m: HousingModel, persons: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Private market rent for the households of ``persons``, families ``idx``, NOK/month."""
    return m.towns.at(market_rent_level(m), idx) * size_factor(persons, per_person(m, idx))


def house_price(m: HousingModel, persons: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Price of a suitable dwelling for the households of ``persons``, families ``idx``, now,
    NOK."""
    p = m.p
    return (p["market.price"] * m.towns.at(m.market.price_index, idx)
            * size_factor(persons, per_person(m, idx)))


def house_price_level(m: HousingModel, town: int) -> float:
    """Price of a three-person household's home in ``town`` now, NOK."""
    index = m.market.price_index
    return float(m.p["market.price"] * (index if np.ndim(index) == 0 else index[town]))


def market_value(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """Current market value of owners' homes: price paid moved with the price index, NOK."""
    f = m.f
    return f.price_paid[idx] * m.towns.at(m.market.price_index, idx) / f.price_index_paid[idx]


def step(m: HousingModel) -> None:
    """Move the price and rent indices one month; set the month's interest rates, and move
    floating loans to them if they changed.

    ``I_{t+1} = I_t * exp((g - s²/2)/12 + s/sqrt(12) * z)``, each town of a batch with its own
    draws. The indices stand still at 1 through the burn-in: prices and rents are the
    registry's at the first reported month, not grown by the decades the institutions take
    to settle (docs/ODD.md, 5).
    """
    if m.month >= m.burn_in:
        _move_indices(m)
    moved = set_rates(m)
    if np.any(moved):
        follow_rates(m, moved)


def _move_indices(m: HousingModel) -> None:
    """The random walk of the price and rent indices (the market stream's two draws a town)."""
    p, market = m.p, m.market
    draws = [g.standard_normal(2) for g in m.streams.each_town("market")]
    z = draws[0] if m.towns.n == 1 else np.stack(draws, axis=1)  # (2,) or (2, towns)
    for attr, g, s, k in (("price_index", p["market.price_growth"],
                           p["market.price_volatility"], 0),
                          ("rent_index", p["market.rent_growth"], p["market.rent_volatility"], 1)):
        mu = np.log1p(g)
        setattr(market, attr, getattr(market, attr) * np.exp((mu - s * s / 2) / 12
                                                             + s / np.sqrt(12) * z[k]))


def floating_startloan_rate(p: dict[str, Any], husbanken: Any) -> Any:
    """A floating start loan's interest, 1/year: Husbanken's floating rate plus the municipal
    margin (``policy.startloan.margin``, at most 0.25 percentage points, Husbanken (n.d.-a))."""
    return husbanken + p["policy.startloan.margin"]


def set_rates(m: HousingModel) -> Any:
    """Set the month's bank and Husbanken rates on ``m.market``: the path's
    (``market.rate_path``) plus ``market.rate_shift``, at least 0 (Husbanken's rate is never
    negative, Husbanken (n.d.-b)). Returns whether the rates floating loans carry moved (a bool,
    or one per town in a batch)."""
    p, market = m.p, m.market
    if p["market.rate_path"] == "history":
        path = rates_at(m.calendar_month)
        bank, husbanken = path.bank, path.husbanken
    else:
        bank, husbanken = p["market.bank_rate"], p["market.husbanken_rate"]
    shift = p["market.rate_shift"]
    market.bank_rate, market.husbanken_rate = _shifted(bank, shift), _shifted(husbanken, shift)
    old = market.loan_rates
    market.loan_rates = (market.bank_rate, floating_startloan_rate(p, market.husbanken_rate))
    return (market.loan_rates[0] != old[0]) | (market.loan_rates[1] != old[1])


def _shifted(rate: float, shift: Any) -> Any:
    """``rate + shift``, at least 0 (each a number, or one per town)."""
    if type(shift) is np.ndarray or type(rate) is np.ndarray:
        return np.maximum(rate + shift, 0.0)
    return max(rate + shift, 0.0)


def follow_rates(m: HousingModel, moved: Any) -> None:
    """Floating loans of the towns whose rates ``moved`` take the month's rate of their kind
    (:attr:`Market.loan_rates`), and their payment is the annuity on the principal over the
    months left, or the interest alone during an interest-only period (``relief_until``). A
    fixed-rate start loan (``loan_fixed``) keeps its rate and payment."""
    f, n = m.f, m.f.n
    floating = (f.active[:n] & is_owner(f.tenure[:n]) & (f.loan_principal[:n] > 0)
                & ~f.loan_fixed[:n] & m.towns.at(moved, slice(0, n)))
    idx = floating.nonzero()[0]
    if not len(idx):
        return
    bank, startloan = m.market.loan_rates
    rate = np.where(f.tenure[idx] == OWNER_BANK, m.towns.at(bank, idx),
                    m.towns.at(startloan, idx))
    principal = f.loan_principal[idx]
    f.loan_rate[idx] = rate
    f.loan_payment[idx] = np.where(
        f.relief_until[idx] >= m.month, principal * rate / 12,
        annuity_payment(principal, rate, np.maximum(f.loan_months[idx], 1)))
