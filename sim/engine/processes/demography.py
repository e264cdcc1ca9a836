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
from sim.engine.population import add_families, draw_numbers, join_numbers
from sim.engine.processes import economy, municipal
from sim.inputs.derived import monthly

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """One month of demography for all active families, then the month's arrivals."""
    n = m.f.n
    u = m.streams.uniform("demography", n, 5)
    _age(m)
    _births(m, u[0])
    _households(m, u[1], u[2])
    _moves_away(m, u[3])
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
    birth = f.active[:n] & (f.head_age[:n] < 45) & (u < monthly(p["demography.birth_rate"]))
    born = birth.nonzero()[0]
    free = ages[born] < 0
    has_slot = free.any(axis=1)
    born = born[has_slot]
    ages[born, np.argmax(free[has_slot], axis=1)] = 0.0
    f.kids[born] += 1
    f.costs_due[born] = -1


def _households(m: HousingModel, u_split: np.ndarray, u_join: np.ndarray) -> None:
    """Separation and re-partnering (the leaving adult is not followed: assumption)."""
    p, f, n = m.p, m.f, m.f.n
    act = f.active[:n]
    couple = f.adults[:n] == 2
    split = act & couple & (u_split < monthly(p["demography.separation_rate"]))
    join = act & ~couple & (u_join < monthly(p["demography.repartner_rate"]))
    f.adults[:n][split] = 1
    f.adults[:n][join] = 2
    f.costs_due[:n][split | join] = -1


def _moves_away(m: HousingModel, u: np.ndarray) -> None:
    """Families move out of the municipality, refugees more in their first five years."""
    p, f, n = m.p, m.f, m.f.n
    years_here = (m.month - f.arrived[:n]) / 12
    base, extra = p["demography.outmigration_rate"], p["demography.refugee_outmigration_extra"]
    recent = f.refugee[:n] & (years_here < 5)
    leave = f.active[:n] & (u < np.where(recent, monthly(base + extra), monthly(base)))
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
    introduction programme. Local families arrive homeless (``demography.inflow_homeless_share``)
    or renting privately with two months of rent arrears. Single adults with service needs
    (``demography.single_inflow_per_10k``; half of them extensive needs, assumption) arrive
    homeless — the municipal stock's other clientele, who compete with families for it.

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
        homeless = np.concatenate([g[2] for g in groups["local"]])
        f.tenure[s] = np.where(homeless, HOMELESS, PRIVATE)
        idx = np.arange(s.start, s.stop)
        rent = economy.housing_payment(m, idx)
        f.rent_arrears[idx] = np.where(homeless, 0.0, 2 * rent)
    s = slice(s.stop, made.stop)
    if s.stop > s.start:
        extensive = np.concatenate([g[2] for g in groups["single"]])
        f.adults[s] = 1
        f.need[s] = np.where(extensive, NEED_EXTENSIVE, NEED_MODERATE)
        f.employed[s] = False
        f.permanent[s] = False
        f.tenure[s] = HOMELESS
    m.flows["arrivals"] += m.towns.count(np.arange(first_new, f.n))


def _draw_arrivals(m: HousingModel) -> dict[str, list[tuple[int, dict, Any]]]:
    """Each town's arrivals this month, drawn from its own ``inflow`` stream: by kind
    (``refugee``, ``local``, ``single``), entries (town, the families' random numbers, and
    per family whether it arrives homeless (local) or has extensive needs (single))."""
    p = m.p
    scale = p["municipality.inhabitants"] / 10_000 / 12
    groups: dict[str, list[tuple[int, dict, Any]]] = {"refugee": [], "local": [], "single": []}
    for town in range(m.towns.n):
        rng = m.streams.town(town)["inflow"]
        n_ref = int(rng.poisson(p["demography.refugee_families_per_10k"] * scale))
        n_loc = int(rng.poisson(p["demography.local_inflow_per_10k"] * scale))
        n_single = int(rng.poisson(p["demography.single_inflow_per_10k"] * scale))
        if n_ref:
            groups["refugee"].append((town, draw_numbers(p, n_ref, rng, True), None))
        if n_loc:
            refugee = rng.random(n_loc) < p["population.share_refugee"]
            numbers = draw_numbers(p, n_loc, rng, refugee)
            homeless = rng.random(n_loc) < p["demography.inflow_homeless_share"]
            groups["local"].append((town, numbers, homeless))
        if n_single:
            numbers = draw_numbers(p, n_single, rng, False)
            extensive = rng.random(n_single) < 0.5
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
