"""Synthetic families: the initial population and new arrivals.

Families are drawn from the municipality's size and the shares in the registry
(``population.*``; their sources are in the registry: mostly SSB (2014), NIBR (2016) and Røe
(2018) §1.2, §2.1). Municipal and sublet dwellings start occupied as the scenario states
(``stock.initial_occupancy``), with a calibrated share of families with children among the
tenants (Verdal 2013: about 120 dwellings and more than 53 children, Røe §3.1.1). The rest of
the disadvantaged households (``population.disadvantaged_share`` of inhabitants) rent privately,
are homeless, or own with a bank mortgage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import (
    EMPTY_SLOT,
    HOMELESS,
    MAX_CHILDREN,
    MUNICIPAL,
    NEED_EXTENSIVE,
    NEED_MODERATE,
    OWNER_BANK,
    PRIVATE,
    SUBLET,
)
from sim.engine.finance import annuity_payment
from sim.engine.processes import homes
from sim.engine.processes.market import house_price
from sim.engine.processes.stock import SUBLET_KIND

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def draw_numbers(p: dict[str, Any], k: int, rng: np.random.Generator,
                 refugee: bool | np.ndarray) -> dict[str, np.ndarray]:
    """The random numbers that make ``k`` new families (:func:`add_families`), drawn from
    ``rng`` in a fixed order; ``refugee``: their background, one for all or each its own.

    Drawing and making are apart so that the towns of a batch can each draw from their own
    stream and their families be made together.
    """
    # the number of children depends on background: the mean is known before the draws
    mean_extra = (p["population.mean_children"] - 1
                  + refugee * p["population.refugee_extra_children"])
    out: dict[str, np.ndarray] = {"u": rng.random((8, k))}
    # one rate for all (a scalar) draws the same numbers as an array of it, several times faster
    out["extra"] = rng.poisson(mean_extra, k) if np.ndim(mean_extra) == 0 else rng.poisson(
        mean_extra)
    out["ages"] = rng.uniform(0, p["demography.adult_age"] - 0.1, (k, MAX_CHILDREN))
    out["head_parent"] = rng.normal(0, 4, k)
    out["head_other"] = rng.normal(38, 12, k)
    out["wage"] = rng.normal(0, p["work.wage_sd"], k)
    out["debt"] = rng.exponential(p["population.mean_debt"], k)
    out["savings"] = rng.exponential(max(p["population.mean_savings"], 1e-9), k)
    out["spending"] = rng.normal(0, 0.15, k)
    out["second"] = rng.random(k)
    out["wage2"] = rng.normal(0, p["work.wage_sd"], k)
    out["refugee"] = np.full(k, refugee) if np.ndim(refugee) == 0 else np.asarray(refugee)
    return out


def add_families(m: HousingModel, numbers: dict[str, np.ndarray], *,
                 with_children: np.ndarray | None = None, town: int | np.ndarray = 0) -> slice:
    """Append the families made from ``numbers`` (:func:`draw_numbers`, or several of them
    joined) with the registry's shares; return their slice.

    Args:
        m: the model (for parameters and the population).
        numbers: the families' random numbers; ``refugee`` is their background.
        with_children: per family, force it with (True or 1) or without (False or 0)
            children, or draw its household composition from the shares (-1); None: draw
            every family's.
        town: the town of a batch each lives in.
    """
    f = m.f
    refugee = numbers["refugee"]
    k = len(refugee)
    s = f.add(k)
    f.town[s] = town

    def p(key: str) -> Any:  # the parameter, or each family's town's in a mixed batch
        return m.towns.at(m.p[key], s)

    # household composition: single parent, couple with children, couple without, single
    u = numbers["u"]
    shares = [p("population.share_single_parent"), p("population.share_couple_children"),
              p("population.share_couple_no_children")]
    if any(np.ndim(x) for x in shares):  # towns of other shares: each family its own
        rows = np.stack(np.broadcast_arrays(*shares), axis=1)
        cum = (rows / np.maximum(1.0, rows.sum(axis=1))[:, None]).cumsum(axis=1)
        comp = (cum <= u[0][:, None]).sum(axis=1)
    else:
        one = np.array(shares)
        comp = (one / max(1.0, one.sum())).cumsum().searchsorted(u[0], side="right")  # 0..3
    if with_children is not None:
        # keep adults from the draw, force children on or off
        couple = (comp == 1) | (comp == 2)
        forced = np.where(with_children > 0, np.where(couple, 1, 0), np.where(couple, 2, 3))
        comp = np.where(with_children < 0, comp, forced)
    has_children = comp <= 1
    f.adults[s] = np.where((comp == 1) | (comp == 2), 2, 1)
    n_kids = np.minimum(np.where(has_children, 1 + numbers["extra"], 0), MAX_CHILDREN)
    ages = numbers["ages"].copy()
    ages[np.arange(MAX_CHILDREN)[None, :] >= n_kids[:, None]] = EMPTY_SLOT
    f.child_age[s] = ages
    f.recount_children(s)
    eldest = np.maximum(ages.max(axis=1), 0.0)
    f.head_age[s] = np.clip(np.where(has_children, 28 + eldest * 0.9 + numbers["head_parent"],
                                     numbers["head_other"]), 18, 80)
    f.refugee[s] = refugee
    need_u = u[1]
    extensive = p("population.share_need_extensive")
    f.need[s] = np.where(need_u < extensive, NEED_EXTENSIVE,
                         np.where(need_u < extensive + p("population.share_need_moderate"),
                                  NEED_MODERATE, 0))
    f.disability[s] = u[2] < p("population.share_disability")
    f.employed[s] = (u[3] < p("population.share_employed")) & ~f.disability[s]
    f.permanent[s] = f.employed[s] & (u[4] < p("work.permanent_share"))
    wage = p("work.wage")
    f.wage[s] = wage * np.exp(numbers["wage"])
    f.employed2[s] = (f.adults[s] == 2) & f.employed[s] & (
        numbers["second"] < p("population.share_second_earner"))
    f.wage2[s] = np.where(f.employed2[s], wage * np.exp(numbers["wage2"]), 0.0)
    share_debt = p("population.share_debt")
    indebted = u[5] < share_debt
    f.debt[s] = np.where(indebted, numbers["debt"], 0.0)
    f.remark[s] = indebted & (u[6] < p("population.share_remarks") / np.maximum(
        share_debt, 1e-9))
    f.sa_claimant[s] = u[7] < p("economy.sa_takeup")
    f.savings[s] = numbers["savings"]
    f.spending_pos[s] = np.clip(
        np.where(refugee, p("economy.refugee_spending_position"), p("economy.spending_position"))
        + numbers["spending"], 0, 1.5)
    f.active[s] = True
    f.arrived[s] = m.month
    return s


def join_numbers(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The random numbers of several draws as one (families in the order of ``parts``)."""
    return {key: np.concatenate([q[key] for q in parts], axis=1 if key == "u" else 0)
            for key in parts[0]}


def draw_families(m: HousingModel, k: int, rng: np.random.Generator, *, refugee: np.ndarray,
                  with_children: np.ndarray | None = None, town: int = 0) -> slice:
    """Append ``k`` families drawn from the registry's shares; return their slice.

    Args:
        m: the model (for parameters and the population).
        k: number of families.
        rng: the stream to draw from (``init`` or ``inflow``).
        refugee: bool array of length ``k``.
        with_children: force families with (True) or without (False) children, or None to
            draw the household composition from the shares.
        town: the town of a batch they live in.
    """
    numbers = draw_numbers(m.town_p(town), k, rng, np.asarray(refugee))
    return add_families(m, numbers, with_children=with_children, town=town)


def initial_population(m: HousingModel, town: int = 0) -> None:
    """Create the families living in the municipality (``town`` of a batch) at the start of
    the run."""
    p, f, rng = m.town_p(town), m.f, m.streams.town(town)["init"]
    # tenants of municipal and sublet dwellings
    mine = (m.stock.town == town).nonzero()[0]
    occupied = mine[rng.random(len(mine)) < p["stock.initial_occupancy"]]
    k = len(occupied)
    with_children = rng.random(k) < p["population.municipal_children_share"]
    refugee = rng.random(k) < p["population.share_refugee"]
    s = draw_families(m, k, rng, refugee=refugee, with_children=with_children, town=town)
    idx = np.arange(s.start, s.stop)
    # the largest households in the largest dwellings (assumption: the office matched sizes)
    occupied = occupied[np.argsort(m.stock.rooms[occupied], kind="stable")]
    idx = idx[np.argsort(homes.need_rooms(f.adults[idx] + f.kids[idx]), kind="stable")]
    f.tenure[idx] = np.where(m.stock.kind[occupied] == SUBLET_KIND, SUBLET, MUNICIPAL)
    f.dwelling[idx] = occupied
    m.stock.occupant[occupied] = idx
    homes.settle(f, idx, m.stock.rooms[occupied], m.stock.zone[occupied],
                 m.stock.poor[occupied])
    f.tenure_months[s] = rng.exponential(max(p["population.mean_months_municipal"], 1e-9), k)
    _arrived_before(f, s, rng)

    # everyone else disadvantaged: private renters, homeless, bank owners
    n_other = p["population.initial_families"]
    if n_other == 0:
        n_other = int(round(p["municipality.inhabitants"] * p["population.disadvantaged_share"]
                            / mean_persons(p)))
    refugee = rng.random(n_other) < p["population.share_refugee"]
    s = draw_families(m, n_other, rng, refugee=refugee, town=town)
    u = rng.random(n_other)
    tenure = np.where(u < p["population.share_homeless"], HOMELESS,
                      np.where(u < p["population.share_homeless"] + p["population.share_owner"],
                               OWNER_BANK, PRIVATE))
    f.tenure[s] = tenure
    f.tenure_months[s] = rng.exponential(36, n_other).astype(np.int32)
    _arrived_before(f, s, rng)
    owners = (tenure == OWNER_BANK).nonzero()[0] + s.start
    if len(owners):
        # they bought with a permanent job, which they still have
        f.employed[owners] = True
        f.permanent[owners] = True
        f.disability[owners] = False
        make_owners(m, owners, rng.uniform(0, 10, len(owners)))
    _first_homes(m, s, rng)


def _first_homes(m: HousingModel, s: slice, rng: np.random.Generator) -> None:
    """Homes of the families ``s`` present at the start outside municipal housing: a
    private renter's as one arriving today would find it
    (:func:`sim.engine.processes.homes.step`), an owner's as it bought it."""
    f = m.f
    idx = np.arange(s.start, s.stop)
    u = rng.random((3, len(idx)))
    owner = (f.tenure[idx] == OWNER_BANK).nonzero()[0]
    homes.owner_home(m, idx[owner], u[1][owner])
    renter = (f.tenure[idx] == PRIVATE).nonzero()[0]
    rows = idx[renter]
    need = homes.need_rooms(f.adults[rows] + f.kids[rows])
    low = np.maximum(need - homes.tolerance(m, rows), 1).astype(np.int8)
    rooms = homes.draw_rooms(u[0][renter], low, need, homes.rental_shares(m.p))
    zone = homes.offer_zone(m, u[1][renter])
    homes.settle(f, rows, rooms, zone, u[2][renter] < homes.POOR_LISTINGS)
    f.rent_factor[rows] *= homes.zone_rent(m, zone, rows)


def make_owners(m: HousingModel, idx: np.ndarray, years_ago: np.ndarray) -> None:
    """Families ``idx`` own the home they bought ``years_ago`` with a bank mortgage.

    Assumption: they paid 0.9 times today's price of a home for their size with an 85 % loan
    over ``bank.term_years``; what is left of the loan is the original loan scaled by the months
    of the term left (at least a year), at the month's bank rate (floating); their equity is
    measured from the price index of now. They are ``rooted``: settled households that move
    away at the owners' rate (:func:`sim.engine.processes.demography._moves_away`). SSB counts
    an owner as disadvantaged when its income is low and its debt at least three times its
    gross income (SSB (2014)).
    """
    p, f = m.p, m.f
    price = house_price(m, f.persons[idx], idx) * 0.9
    term = p["bank.term_years"] * 12
    left = np.maximum(term - (years_ago * 12).astype(int), 12)
    principal = 0.85 * price * left / term
    f.tenure[idx] = OWNER_BANK
    f.rooted[idx] = True
    f.loan_principal[idx] = principal
    rate = m.towns.at(m.market.bank_rate, idx)  # the month's, floating
    f.loan_rate[idx] = rate
    f.loan_months[idx] = left
    f.loan_payment[idx] = annuity_payment(principal, rate, left)
    f.price_paid[idx] = price
    f.price_index_paid[idx] = m.towns.at(m.market.price_index, idx)
    f.tenure_months[idx] = (years_ago * 12).astype(np.int32)


def mean_persons(p: dict) -> float:
    """Expected household size implied by the composition shares (persons per family)."""
    sp, cc, cn = (p["population.share_single_parent"], p["population.share_couple_children"],
                  p["population.share_couple_no_children"])
    kids = p["population.mean_children"] + p["population.share_refugee"] * p[
        "population.refugee_extra_children"]
    single = max(0.0, 1 - sp - cc - cn)
    return sp * (1 + kids) + cc * (2 + kids) + cn * 2 + single * 1


def _arrived_before(f, s: slice, rng: np.random.Generator) -> None:
    """Families present at the start arrived before it; refugees up to ten years before."""
    k = s.stop - s.start
    f.arrived[s] = -np.maximum(f.tenure_months[s], rng.integers(0, 120, k))
    f.intro_left[s] = 0
