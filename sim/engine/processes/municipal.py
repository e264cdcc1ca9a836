"""The municipal housing office: who may rent a municipal dwelling, who is offered one, on
what lease, and when a tenant is asked to move on.

A new allocation or rotation rule goes here. The office

- decides *eligibility* by the allocation rules (:func:`eligible`): extensive needs only
  (Malvik, Røe (2018) §3.3) or anyone disadvantaged, families with children or not (Verdal
  stopped housing families with children in municipal dwellings, Røe §3.1.3);
- keeps the *waiting list* (:func:`update_waiting_list`) and *allocates* each vacant dwelling
  to the applicant its priority rule ranks first among those the dwelling suits
  (:func:`allocate`, :func:`priority_order`, :func:`match`; homeless first in Stjørdal,
  Røe §3.2.2): a dwelling goes first to a household that needs its rooms or up to
  ``policy.allocation.extra_rooms`` fewer; then to one that would live crowded in it, by at
  most ``dwellings.crowding_tolerance`` rooms; a dwelling vacant for
  ``policy.allocation.hold_months`` goes to a smaller household too. A large family waits
  for a large unit, or is placed crowded (Riksrevisjonen (2008): most municipalities have too
  few dwellings for large families);
- gives *leases* (:func:`renew_lease`): indefinite, or for ``policy.rotation.contract_years``
  (Stjørdal's three-year contracts, Røe §3.2.1), with a review after
  ``policy.rotation.review_months`` and yearly (Verdal, Røe §2.2);
- *reviews* tenants whose contract ends or whose review is due (:func:`review`): a tenant who
  is no longer eligible or who could rent privately or buy with a start loan is asked to move
  on, with an offer of a start loan; a one-off full review reaches every tenant within twelve
  months (Verdal 2013, Røe §3.1.2);
- schedules contracts and reviews for sitting tenants when a policy brings them
  (:func:`schedule_sitting_tenants`).

:func:`move_out` is the one way a family leaves its home for another tenure: what it owes a
landlord stays as debt, a municipal dwelling falls vacant, and a pending exit request is done.
"""

from __future__ import annotations

from itertools import product
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import HOMELESS, MUNICIPAL, NEED_EXTENSIVE, SUBLET, is_owner, is_tenant
from sim.engine.processes import economy, homes, startloan
from sim.engine.processes.stock import SUBLET_KIND

if TYPE_CHECKING:
    from sim.engine.model import HousingModel

#: The rotation policy before the run starts: indefinite leases, no reviews.
NO_ROTATION = {"policy.rotation.contract_years": 0.0, "policy.rotation.review": False,
               "policy.rotation.full_review": False}


def tenants(m: HousingModel) -> np.ndarray:
    """Whether each row in use is a family renting a municipal or sublet dwelling."""
    f, n = m.f, m.f.n
    return f.active[:n] & is_tenant(f.tenure[:n])


def eligible(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """Whether families ``idx`` may be allocated a municipal dwelling under the rules."""
    p, f = m.p, m.f
    ok = f.active[idx] & ~is_owner(f.tenure[idx])
    if p["policy.allocation.eligibility"] == "extensive_needs":
        ok &= f.need[idx] == NEED_EXTENSIVE
    if not p["policy.allocation.children_allowed"]:
        ok &= f.n_children[idx] == 0
    return ok


# ---------------------------------------------------------------------- leaving and entering
def vacate(m: HousingModel, idx: np.ndarray) -> None:
    """Families ``idx`` leave their municipal or sublet dwelling, if they have one."""
    f = m.f
    idx = np.asarray(idx)
    inside = idx[f.dwelling[idx] >= 0]
    if len(inside):
        m.stock.occupant[f.dwelling[inside]] = -1
        m.stock.vacant_since[f.dwelling[inside]] = m.month
        f.dwelling[inside] = -1
        f.contract_end[inside] = -1
        f.review_due[inside] = -1
        m.flows["moves_out_of_municipal"] += m.towns.count(inside)


def move_out(m: HousingModel, idx: np.ndarray, tenure: int | np.ndarray) -> None:
    """Families ``idx`` leave their home for ``tenure``.

    Rent they owe a landlord (private or municipal) stays with them as debt; a municipal or
    sublet dwelling falls vacant; the time in tenure restarts where the tenure changes; an
    exit request is done with.
    """
    f = m.f
    f.debt[idx] += f.rent_arrears[idx]
    f.rent_arrears[idx] = 0.0
    vacate(m, idx)
    homes.leave(f, idx)
    f.set_tenure(idx, tenure)
    f.exit_by[idx] = -1


def place(m: HousingModel, ranked: np.ndarray) -> np.ndarray:
    """Give vacant dwellings to families ``ranked`` (best first; in a batch, best first
    within each town, and each town's dwellings to its own families); return those placed."""
    f, stock = m.f, m.stock
    chosen, dw = match(m, np.asarray(ranked), stock.vacant())
    if len(chosen) == 0:
        return np.zeros(0, dtype=np.int64)
    move_out(m, chosen, np.where(stock.kind[dw] == SUBLET_KIND, SUBLET, MUNICIPAL))
    stock.occupant[dw] = chosen
    f.dwelling[chosen] = dw
    homes.settle(f, chosen, stock.rooms[dw], stock.zone[dw], stock.poor[dw])
    f.tenure_months[chosen] = 0
    f.waiting_since[chosen] = -1
    renew_lease(m, chosen, first=True)
    m.flows["allocations"] += m.towns.count(chosen)
    return chosen


def match(m: HousingModel, ranked: np.ndarray, vacant: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Pair the families ``ranked`` (best first) with the dwellings ``vacant`` by size, each
    town's families with its own dwellings; returns (families, dwellings).

    Size by size from the largest, each dwelling goes to the best-ranked family it suits: one
    that needs its rooms or up to ``policy.allocation.extra_rooms`` fewer; then, of those
    still vacant, to the best-ranked family that would live crowded in it by at most
    ``dwellings.crowding_tolerance`` rooms; and a dwelling vacant for
    ``policy.allocation.hold_months`` or more to the best-ranked family smaller still.

    With ``policy.allocation.neighbourhood_matching`` (Verdal's office "knows which
    neighbourhoods can take a vulnerable tenant", Røe (2018) §3.1.3), a dwelling in a zone
    whose municipal dwellings already house more than their share of tenants with extensive
    needs (:func:`zones_full`) goes to a family without them, and the dwellings of other
    zones come first.
    """
    p, f, stock = m.p, m.f, m.stock
    none = np.zeros(0, dtype=np.int64)
    if not len(ranked) or not len(vacant):
        return none, none
    need = homes.need_rooms(f.adults[ranked] + f.kids[ranked])
    rooms = stock.rooms[vacant]
    fam_town, dw_town = f.town[ranked], stock.town[vacant]
    extra = m.towns.at(p["policy.allocation.extra_rooms"], ranked)
    tol = homes.tolerance(m, ranked)
    held = m.month - stock.vacant_since[vacant] >= p["policy.allocation.hold_months"]
    # Verdal's office knows which neighbourhoods can take a vulnerable tenant
    full = np.zeros(len(vacant), dtype=bool)
    if p["policy.allocation.neighbourhood_matching"]:
        full = zones_full(m)[dw_town, stock.zone[vacant]]
    vulnerable = f.need[ranked] == NEED_EXTENSIVE
    groups = (False, True) if full.any() else (False,)
    free_f = np.ones(len(ranked), dtype=bool)
    free_d = np.ones(len(vacant), dtype=bool)
    got_f, got_d = [], []
    sizes = np.unique(rooms)[::-1].tolist()
    rules = (lambda r: (need <= r) & (need >= r - extra),  # suits
             lambda r: (need > r) & (need <= r + tol),  # crowded, within the tolerance
             lambda r: need < r - extra)  # smaller still, once held long enough
    for k, r, in_full in product(range(len(rules)), sizes, groups):
        dm = free_d & (rooms == r) & (full == in_full) & (held if k == 2 else True)
        # no more vulnerable tenants in a full zone
        fm = free_f & rules[k](r) & ~(vulnerable & in_full)
        if dm.any() and fm.any():
            fi, di = fm.nonzero()[0], dm.nonzero()[0]
            pf, pd = m.towns.pair_positions(fam_town[fi], dw_town[di])
            fi, di = fi[pf], di[pd]
            free_f[fi] = False
            free_d[di] = False
            got_f.append(fi)
            got_d.append(di)
    if not got_f:
        return none, none
    return ranked[np.concatenate(got_f)], vacant[np.concatenate(got_d)]


def zone_needs(m: HousingModel) -> tuple[np.ndarray, np.ndarray]:
    """Tenants with extensive needs, and municipal and sublet dwellings, in each zone of each
    town (two arrays, towns x zones)."""
    f, n, stock = m.f, m.f.n, m.stock
    zones, towns = m.p["dwellings.zones"], m.towns.n
    size = towns * zones
    held = stock.active
    dwellings = np.bincount(stock.town[held] * zones + stock.zone[held], minlength=size)
    rows = (tenants(m) & (f.need[:n] == NEED_EXTENSIVE)).nonzero()[0]
    dw = f.dwelling[rows]
    vulnerable = np.bincount(stock.town[dw] * zones + stock.zone[dw], minlength=size)
    return vulnerable.reshape(towns, zones), dwellings.reshape(towns, zones)


def zones_full(m: HousingModel) -> np.ndarray:
    """Whether each zone (of each town: towns x zones) can take no more tenants with extensive
    needs: another would make their share of the zone's municipal and sublet dwellings more
    than ``policy.allocation.zone_needs_margin`` above their share of the town's."""
    vulnerable, dwellings = zone_needs(m)
    town = vulnerable.sum(axis=1, keepdims=True) / np.maximum(dwellings.sum(axis=1,
                                                                            keepdims=True), 1)
    margin = m.p["policy.allocation.zone_needs_margin"]
    return vulnerable + 1 > (town + margin) * dwellings


# ---------------------------------------------------------------------- leases and reviews
def renew_lease(m: HousingModel, idx: np.ndarray, *, first: bool = False) -> None:
    """Give tenants ``idx`` a (new) lease: contract end and next review per policy."""
    p, f = m.p, m.f
    years = m.towns.at(p["policy.rotation.contract_years"], idx)
    f.exit_by[idx] = -1
    if type(years) is np.ndarray:  # differs between the towns of a batch
        months = np.maximum(np.rint(years * 12), 1)
        f.contract_end[idx] = np.where(years > 0, m.month + months, -1)
    else:
        f.contract_end[idx] = m.month + max(int(round(years * 12)), 1) if years > 0 else -1
    review_in = p["policy.rotation.review_months"] if first else 12
    f.review_due[idx] = m.month + review_in if p["policy.rotation.review"] else -1


def schedule_sitting_tenants(m: HousingModel, old: dict[str, Any] | None) -> None:
    """Schedule contracts and reviews for sitting tenants when the run or a phase brings
    them (``old``: the parameters before the phase; None at the start of the run).

    Assumption: sitting tenants' dates are spread over the next period by how long they
    have lived there, so that not all fall due in the same month.
    """
    p, f = m.p, m.f
    old = old or NO_ROTATION
    sitting = tenants(m).nonzero()[0]
    spread = f.tenure_months[sitting]
    years = p["policy.rotation.contract_years"]
    starts = (np.asarray(years) > 0) & (np.asarray(old["policy.rotation.contract_years"])
                                        != years)  # per town in a batch
    if starts.any():
        rows, since = sitting, spread
        if starts.ndim:  # the towns where contracts start
            mine = starts[f.town[sitting]]
            rows, since = sitting[mine], spread[mine]
        period = np.maximum(np.rint(m.towns.at(np.asarray(years) * 12, rows)), 1)
        f.contract_end[rows] = m.month + 1 + since % period.astype(np.int64)
    review_on = p["policy.rotation.review"] and not old["policy.rotation.review"]
    full_on = p["policy.rotation.full_review"] and not old["policy.rotation.full_review"]
    if review_on or full_on:
        f.review_due[sitting] = m.month + spread % 12


def review(m: HousingModel) -> None:
    """Assess the tenants whose contract ends or whose review is due this month (those
    already asked to move are left to their time)."""
    f, n = m.f, m.f.n
    due = tenants(m) & (f.exit_by[:n] < 0) & (
        (f.contract_end[:n] == m.month) | (f.review_due[:n] == m.month))
    idx = due.nonzero()[0]
    if len(idx):
        assess(m, idx)


def assess(m: HousingModel, idx: np.ndarray) -> None:
    """Assess tenants ``idx``: renew the entitled, ask the others to move on.

    A tenant can move on who is no longer eligible for municipal housing, or who could rent
    privately (on its own income, not counting on social assistance) or pass the start-loan
    assessment; where transit tenancies are the practice (``policy.rotation.move_on_with_work``,
    Malvik, Røe (2018) §3.3.1), also every tenant with work income, who is sent to the
    start-loan desk (a purchase with a start loan assumes work income and no bank loan). Exit
    requests come with an application to the desk when the tenant could buy or works.
    """
    p, f = m.p, m.f
    can_buy = startloan.assess(m, idx)[0]
    can_rent = economy.can_afford_rent(m, idx, with_sa=False)
    working = f.employed[idx] & p["policy.rotation.move_on_with_work"]
    move_on = ~eligible(m, idx) | can_buy | can_rent | working
    go, stay = idx[move_on], idx[~move_on]
    f.exit_by[go] = m.month + m.towns.at(p["policy.rotation.exit_grace_months"], go)
    f.offered[go] = (can_buy | working)[move_on]
    renew_lease(m, stay)


# ---------------------------------------------------------------------- waiting list, allocation
def update_waiting_list(m: HousingModel, applies: np.ndarray) -> None:
    """Put eligible searchers on the waiting list, and take off those no longer eligible or
    already housed by the office.

    Searchers are homeless families and families that must move, outside a municipal
    dwelling; private renters living on benefits also apply (``applies``: they seek a stable,
    cheaper home, ``market.apply_rate`` a month, an assumption).
    """
    f, n = m.f, m.f.n
    act = f.active[:n]
    tenure = f.tenure[:n]
    searching = act & ((tenure == HOMELESS) | (f.exit_by[:n] >= 0)) & ~is_tenant(tenure)
    cand = ((searching | applies) & (f.waiting_since[:n] < 0)).nonzero()[0]
    f.waiting_since[cand[eligible(m, cand)]] = m.month
    waiting = (act & (f.waiting_since[:n] >= 0)).nonzero()[0]
    gone = ~(eligible(m, waiting) & ~is_tenant(f.tenure[waiting]))
    f.waiting_since[waiting[gone]] = -1


def allocate(m: HousingModel) -> None:
    """Give the vacant dwellings to the waiting list, by priority (in a batch, each town's to
    its own families)."""
    f, n = m.f, m.f.n
    u = m.streams.uniform("allocation", n, 1)  # drawn every month: common random numbers
    vacant = m.stock.count_vacant()
    waiting = (f.active[:n] & (f.waiting_since[:n] >= 0)).nonzero()[0]
    if np.any(vacant > 0) and len(waiting):
        place(m, priority_order(m, waiting, u[waiting]))  # all: sizes decide who fits


def priority_order(m: HousingModel, idx: np.ndarray, u: np.ndarray,
                   top: int | np.integer | np.ndarray | None = None) -> np.ndarray:
    """``idx`` sorted by the municipality's priority rule, best first; ``u`` breaks ties.

    Rules: ``need`` (extensive needs, then homeless, then children, then waiting time);
    ``homeless_first``; ``waiting_time`` (first come, first served); ``children_first``.
    With ``top``, only the first ``top`` are returned, found without sorting a national
    waiting list every month (:func:`sim.engine.ranking.first_in_order`); in a batch ``top``
    is per town and the families come town by town, each town's best first.
    """
    f = m.f
    homeless = (f.tenure[idx] == HOMELESS).astype(float)
    kids = (f.n_children[idx] > 0).astype(float)
    need = f.need[idx].astype(float)
    waited = (m.month - f.waiting_since[idx]).astype(float)
    rule = m.p["policy.allocation.priority"]
    keys = {  # np.lexsort sorts by the last key first; negate to rank high values first
        "need": (u, -waited, -kids, -homeless, -need),
        "homeless_first": (u, -waited, -need, -homeless),
        "waiting_time": (u, -waited),
        "children_first": (u, -waited, -need, -homeless, -kids),
    }[rule]
    if top is None:
        return idx[np.lexsort(keys)]
    return idx[m.towns.first(keys, idx, top)]  # keys but the tie-break: whole numbers
