"""Demography: ageing, births, children leaving, separation, re-partnering, moving away, inflow.

Rates are annual probabilities in the registry, turned into monthly ones by
:func:`sim.inputs.derived.monthly`. The group is not a closed population: new disadvantaged families
arrive each month — refugees the municipality settles (a council decision, so a policy lever)
and local families falling into difficulty (calibrated to keep the group's size) — and
families move away, more often than others (Røe (2018) §1.2: low-income families move about
twice as often) and refugees more in their first years (secondary migration).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import (
    EMPTY_SLOT,
    HOMELESS,
    MAX_CHILDREN,
    NEED_EXTENSIVE,
    NEED_MODERATE,
    PRIVATE,
)
from sim.engine.population import add_families, draw_numbers, join_numbers, make_owners
from sim.engine.processes import economy, municipal
from sim.inputs.derived import monthly

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """One month of demography for all active families, then the month's arrivals."""
    n = m.f.n
    u = m.streams.uniform("demography", n, 6)
    _age(m)
    _births(m, u[0])
    split = _households(m, u[1], u[2], u[4])
    _moves_away(m, u[3])
    _new_households(m, split, u[5])
    arrivals(m)


def _age(m: HousingModel) -> None:
    """Everyone is a month older; children who come of age leave the family."""
    p, f, n = m.p, m.f, m.f.n
    ages = f.child_age[:n]
    f.head_age[:n] += 1 / 12
    ages += 1 / 12  # empty slots hold minus infinity and stay empty
    grown = np.flatnonzero(ages >= p["demography.adult_age"])  # few a month: flat positions
    ages.reshape(-1)[grown] = EMPTY_SLOT
    np.subtract.at(f.kids, grown // MAX_CHILDREN, 1)
    f.costs_due[grown // MAX_CHILDREN] = -1  # households that change: living costs anew


def _births(m: HousingModel, u: np.ndarray) -> None:
    """Births to families whose head is under 45 and who have room for another child."""
    p, f, n = m.p, m.f, m.f.n
    ages = f.child_age[:n]
    rate = m.towns.at(monthly(p["demography.birth_rate"]), slice(0, n))
    birth = f.active[:n] & (f.head_age[:n] < 45) & (u < rate)
    born = birth.nonzero()[0]
    free = ages[born] < 0
    has_slot = free.any(axis=1)
    born = born[has_slot]
    ages[born, np.argmax(free[has_slot], axis=1)] = 0.0
    f.kids[born] += 1
    f.costs_due[born] = -1


def _households(m: HousingModel, u_split: np.ndarray, u_join: np.ndarray,
                u_work: np.ndarray) -> np.ndarray:
    """Separation and re-partnering; returns the families that split (the leaving adult makes
    a household of its own, :func:`_new_households`). A new partner works with probability
    ``population.share_second_earner`` (if the family had no job, the partner's is its first;
    assumption: at the family's wage)."""
    p, f, n = m.p, m.f, m.f.n
    act = f.active[:n]
    couple = f.adults[:n] == 2
    rows = slice(0, n)
    split = act & couple & (u_split < m.towns.at(monthly(p["demography.separation_rate"]), rows))
    join = act & ~couple & (u_join < m.towns.at(monthly(p["demography.repartner_rate"]), rows))
    f.adults[:n][split] = 1
    f.adults[:n][join] = 2
    f.costs_due[:n][split | join] = -1
    works = join & (u_work < m.towns.at(p["population.share_second_earner"], rows))
    second = works & f.employed[:n]
    f.employed2[:n][second] = True
    f.wage2[:n][second] = f.wage[:n][second]
    f.employed[:n][works & ~second] = True  # the partner's job is the family's first
    f.permanent[:n][works & ~second] = False
    return split


def _new_households(m: HousingModel, split: np.ndarray, u: np.ndarray) -> None:
    """The adult who leaves in a separation makes a household of its own in the municipality
    (one new household a separation, an assumption: no statistic of it was found), renting
    privately; the children stay with the other parent. Of a couple's jobs the leaving adult
    takes the second's, or, when only one of them worked, the job with probability one half;
    savings and debts stay with the family (a simplification)."""
    f = m.f
    old = split.nonzero()[0]
    if not len(old):
        return
    s = f.add(len(old))
    new = np.arange(s.start, s.stop)
    for name in ("town", "refugee", "sa_claimant", "spending_pos", "head_age"):
        getattr(f, name)[new] = getattr(f, name)[old]
    f.active[new] = True
    f.arrived[new] = m.month
    f.tenure[new] = PRIVATE
    f.costs_due[new] = -1
    takes_first = ~f.employed2[old] & f.employed[old] & (u[old] < 0.5)
    takes_second = f.employed2[old]
    f.employed[new] = takes_first | takes_second
    f.permanent[new] = takes_first & f.permanent[old]
    f.wage[new] = np.where(takes_second, f.wage2[old], f.wage[old])
    f.employed[old[takes_first]] = False
    f.permanent[old[takes_first]] = False
    f.employed2[old] = False
    f.wage2[old] = 0.0
    m.flows["new_households"] += m.towns.count(new)


def _moves_away(m: HousingModel, u: np.ndarray) -> None:
    """Families move out of the municipality, refugees more in their first five years, and
    households whose head reaches ``demography.exit_age`` leave the model's population.
    Single adults who came as the stock's other clientele (``client``) leave at their own
    ``demography.client_departure_rate`` (to care, treatment or prison, by death, or away).

    Households that came as owners (``rooted``) move at the owners' lower rate whatever their
    tenure later. Assumption: the propensity to move belongs to the household (age, roots,
    work), and keying it to the tenure at entry keeps who leaves independent of policy, so
    compared scenarios keep the same families month by month (common random numbers). A
    family that buys here keeps its renters' rate: if ownership itself holds families, the
    model understates how long new owners stay.
    """
    p, f, n = m.p, m.f, m.f.n
    years_here = (m.month - f.arrived[:n]) / 12
    base, extra = p["demography.outmigration_rate"], p["demography.refugee_outmigration_extra"]
    recent = f.refugee[:n] & (years_here < 5)

    def each(rate: Any) -> Any:  # a monthly rate for every row (its town's in a batch)
        return m.towns.at(monthly(rate), slice(0, n))

    rate = np.where(recent, each(base + extra), each(base))
    rate = np.where(f.rooted[:n], each(p["demography.owner_outmigration_rate"]), rate)
    rate = np.where(f.client[:n], each(p["demography.client_departure_rate"]), rate)
    aged = f.head_age[:n] >= p["demography.exit_age"]  # policy cannot change an age
    leave = f.active[:n] & ((u < rate) | aged)
    depart(m, leave.nonzero()[0])


def depart(m: HousingModel, idx: np.ndarray) -> None:
    """Families ``idx`` leave the municipality: dwellings fall vacant, loans are settled."""
    if len(idx) == 0:
        return
    f = m.f
    municipal.vacate(m, idx)
    # owners sell at market value and repay their loans; no loss falls on anyone
    f.loan_principal[idx] = 0.0
    f.waiting_since[idx] = -1
    f.followed[idx] = False
    f.measure_left[idx] = 0
    f.active[idx] = False
    m.flows["departures"] += m.towns.count(idx)


def arrivals(m: HousingModel) -> None:
    """Settle refugee families and take in local families falling into difficulty.

    Refugees are settled with a dwelling arranged by the municipality: a vacant municipal
    dwelling where the allocation rules allow it, otherwise a private rental the refugee
    service finds (assumption: settlement always comes with a home). They start the
    introduction programme. Local families arrive homeless (``demography.inflow_homeless_share``),
    as owners with a heavy mortgage (``demography.inflow_owner_share``) or renting privately
    with two months of rent arrears. Single adults with service needs
    (``demography.single_inflow_per_10k``; half of them extensive needs, assumption) arrive
    homeless — the municipal stock's other clientele, who compete with families for it; the
    services that know them refer them to the housing office (``client``).

    Each town of a batch draws its arrivals from its own stream, in the order of its single
    run; the families of all towns are then made together, refugees first, so that each
    town's new rows come in the order of its single run.
    """
    f = m.f
    first_new = f.n
    groups = _draw_arrivals(m)
    made = _add(m, [g for kind in groups.values() for g in kind],
                single=len(groups["refugee"]) + len(groups["local"]))
    if made is None:
        return
    n_ref, n_loc = (sum(len(g[1]["refugee"]) for g in groups[k]) for k in ("refugee", "local"))
    s = slice(made.start, made.start + n_ref)
    if n_ref:
        _settle_refugees(m, s)
    s = slice(s.stop, s.stop + n_loc)
    if n_loc:
        _local_families(m, s, groups["local"])
    s = slice(s.stop, made.stop)
    if s.stop > s.start:
        extensive = np.concatenate([g[2] for g in groups["single"]])
        f.adults[s] = 1
        f.need[s] = np.where(extensive, NEED_EXTENSIVE, NEED_MODERATE)
        f.employed[s] = False
        f.permanent[s] = False
        f.tenure[s] = HOMELESS
        f.client[s] = True
    m.flows["arrivals"] += m.towns.count(np.arange(first_new, f.n))


def _local_families(m: HousingModel, s: slice, drawn: list[tuple[int, dict, Any]]) -> None:
    """Local families ``s`` falling into difficulty: homeless
    (``demography.inflow_homeless_share``), owners whose mortgage has become a heavy burden
    (``demography.inflow_owner_share``; they keep their home and loan, and those without work
    lost it lately and draw unemployment benefit), or private renters two months behind."""
    p, f = m.p, m.f
    u = np.concatenate([g[2]["tenure"] for g in drawn])
    years = np.concatenate([g[2]["years"] for g in drawn])
    homeless_share = m.towns.at(p["demography.inflow_homeless_share"], s)
    homeless = u < homeless_share
    owner = ~homeless & (u < homeless_share + m.towns.at(p["demography.inflow_owner_share"], s))
    idx = np.arange(s.start, s.stop)
    f.tenure[idx] = np.where(homeless, HOMELESS, PRIVATE)
    owners = idx[owner]
    if len(owners):
        make_owners(m, owners, years[owner])
        jobless = owners[~f.employed[owners]]
        f.ub_left[jobless] = p["work.unemployment_benefit_months"]
        f.ub_amount[jobless] = p["work.unemployment_benefit_rate"] * f.wage[jobless]
    renters = idx[~homeless & ~owner]
    f.rent_arrears[renters] = 2 * economy.housing_payment(m, renters)


def _draw_arrivals(m: HousingModel) -> dict[str, list[tuple[int, dict, Any]]]:
    """Each town's arrivals this month, drawn from its own ``inflow`` stream: by kind
    (``refugee``, ``local``, ``single``), entries (town, the families' random numbers, and
    per family whether it arrives homeless (local) or has extensive needs (single))."""
    p = m.p
    scale = p["municipality.inhabitants"] / 10_000 / 12
    groups: dict[str, list[tuple[int, dict, Any]]] = {"refugee": [], "local": [], "single": []}
    for town in range(m.towns.n):
        p = m.town_p(town)  # each town draws with its own rates
        rng = m.streams.town(town)["inflow"]
        n_ref = int(rng.poisson(p["demography.refugee_families_per_10k"] * scale))
        n_loc = int(rng.poisson(p["demography.local_inflow_per_10k"] * scale))
        n_single = int(rng.poisson(p["demography.single_inflow_per_10k"] * scale))
        if n_ref:
            groups["refugee"].append((town, draw_numbers(p, n_ref, rng, True), None))
        if n_loc:
            refugee = rng.random(n_loc) < p["population.share_refugee"]
            numbers = draw_numbers(p, n_loc, rng, refugee)
            tenure = {"tenure": rng.random(n_loc), "years": rng.uniform(0, 10, n_loc)}
            groups["local"].append((town, numbers, tenure))
        if n_single:
            numbers = draw_numbers(p, n_single, rng, False)
            extensive = rng.random(n_single) < p["demography.single_extensive_share"]
            groups["single"].append((town, numbers, extensive))
    return groups


def _settle_refugees(m: HousingModel, s: slice) -> None:
    """Refugee families ``s`` start the introduction programme without work, debt or savings,
    in a municipal dwelling if one is free for them under the rules (or whatever the rules, where
    the municipality settles refugees in its units, ``policy.allocation.settle_refugees``),
    else privately."""
    p, f = m.p, m.f
    f.intro_left[s] = p["work.intro_months"]
    f.employed[s] = False
    f.permanent[s] = False
    f.disability[s] = False
    f.debt[s] = 0.0
    f.remark[s] = False
    f.savings[s] = 0.0
    idx = np.arange(s.start, s.stop)
    f.tenure[idx] = PRIVATE  # unless a municipal dwelling is free for them:
    if not p["policy.allocation.settle_refugees"]:  # else settlement is reason enough
        idx = idx[municipal.eligible(m, idx)]
    municipal.place(m, idx)


def _add(m: HousingModel, group: list, *, single: int) -> slice | None:
    """Make the month's new families of every town in one go, in the order of ``group``:
    its entries from ``single`` on are single adults, made without children."""
    if not group:
        return None
    numbers = group[0][1] if len(group) == 1 else join_numbers([g[1] for g in group])
    sizes = [len(g[1]["refugee"]) for g in group]
    town = np.repeat([g[0] for g in group], sizes)
    force = None
    if single < len(group):  # -1: drawn from the shares; 0: without children
        force = np.repeat(np.where(np.arange(len(group)) < single, -1, 0), sizes)
    return add_families(m, numbers, with_children=force, town=town)
