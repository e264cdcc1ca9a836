"""Housing search: private rental, the municipal waiting list and allocation, homelessness.

- *Who searches*: homeless families and families that must move (a private lease ended, an
  exit request from a municipal dwelling).
- *Private rental*: each month a searching family is offered a rent around the market rent for
  its size (log-normal, ``market.rent_dispersion``); it can take the lease if it can afford it —
  rent after housing allowance at most ``market.max_rent_share`` of net income, or within the
  housing norm social assistance covers (``economy.sa_housing_norm_share``) — and finds a
  landlord at ``market.search_success`` a month, less where landlords turn away refugee
  families or families living on NAV benefits (Røe (2018) §1.2, §2.1), more with a
  caseworker's help (``policy.followup.effect_search``) or a housing procurer who contacts
  landlords for the families the office knows (``policy.allocation.procurer``, Kristiansund,
  Røe §2.2).
- *Municipal housing*: searchers eligible under the allocation rules join the waiting list, and
  so do private renters living on benefits at ``market.apply_rate`` a month (assumption: they
  seek a stable, cheaper home); each vacant dwelling goes to the applicant the priority rule
  ranks first
  (``policy.allocation.priority``; homeless first in Stjørdal, Røe §3.2.2).
- *When all fails*: a family whose time to move has run out becomes homeless, except a
  municipal tenant whose lease is renewed unless the municipality enforces exits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import HOMELESS, PRIVATE, is_tenant
from sim.engine.processes.economy import allowance, sa_housing_norm
from sim.engine.processes.market import market_rent

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def can_afford_rent(m: HousingModel, idx: np.ndarray, *, with_sa: bool = True,
                    factor: np.ndarray | float = 1.0) -> np.ndarray:
    """Whether families ``idx`` can afford a suitable private rental at ``factor`` times the
    market rent for their size.

    On their own income: rent after housing allowance at most ``market.max_rent_share`` of net
    income. With ``with_sa``, also when the rent is within the housing norm social assistance
    covers (a landlord gets paid; a municipal review does not count on it).
    """
    p, f = m.p, m.f
    persons = f.persons[idx]
    rent = market_rent(m, persons, idx) * factor
    net_rent = rent - allowance(m, rent, persons, f.gross_income[idx])
    own = net_rent <= p["market.max_rent_share"] * f.net_income[idx]
    return own | (rent <= sa_housing_norm(m, persons, idx)) if with_sa else own


def search_success(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """Monthly probability that families ``idx`` find a private landlord who takes them."""
    p, f = m.p, m.f
    prob = m.per_row(p["market.search_success"], idx)
    prob *= np.where(f.refugee[idx], 1 - p["market.discrimination_refugee"], 1.0)
    prob *= np.where(f.employed[idx], 1.0, 1 - p["market.discrimination_nav"])
    prob *= np.where(f.followed[idx], p["policy.followup.effect_search"], 1.0)
    if p["policy.allocation.procurer"]:
        known = f.followed[idx] | (f.waiting_since[idx] >= 0)
        prob *= np.where(known, p["policy.allocation.procurer_effect"], 1.0)
    return np.minimum(prob, 1.0)


def priority_order(m: HousingModel, idx: np.ndarray, u: np.ndarray,
                   top: int | np.ndarray | None = None) -> np.ndarray:
    """``idx`` sorted by the municipality's priority rule, best first; ``u`` breaks ties.

    Rules: ``need`` (extensive needs, then homeless, then children, then waiting time);
    ``homeless_first``; ``waiting_time`` (first come, first served); ``children_first``.
    With ``top``, only the first ``top`` are returned, found without sorting a national
    waiting list every month (:func:`sim.engine.ranking.first_in_order`); in a batch ``top`` is per
    town and the families come town by town, each town's best first.
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
    return idx[m.first_in_towns(keys, idx, top)]  # keys but the tie-break: whole numbers


def step(m: HousingModel) -> None:
    """Private search, waiting list, allocation of vacancies, then the end of time to move."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("search", n, 2)
    log_offer = m.streams.normal("search", p["market.rent_dispersion"], n)  # every row
    act = f.active[:n]
    tenure = f.tenure[:n]
    searching = act & ((tenure == HOMELESS) | (f.exit_by[:n] >= 0)) & (
        f.approved_until[:n] < m.month)
    idx = searching.nonzero()[0]
    offer = np.exp(log_offer[idx])
    taken = can_afford_rent(m, idx, factor=offer) & (u[0][idx] < search_success(m, idx))
    found = idx[taken]
    if len(found):
        f.rent_factor[found] = offer[taken]
        f.debt[found] += f.rent_arrears[found]
        f.rent_arrears[found] = 0.0
        m.vacate(found)
        m.set_tenure(found, PRIVATE)
        f.tenure_months[found] = 0
        f.exit_by[found] = -1
        f.waiting_since[found] = -1

    # the waiting list: searchers not in a municipal dwelling who are eligible
    tenure = f.tenure[:n]
    in_municipal = is_tenant(tenure)
    searching = act & ((tenure == HOMELESS) | (f.exit_by[:n] >= 0)) & ~in_municipal
    # private renters living on benefits also apply, for a stable and cheaper home
    applies = act & (tenure == PRIVATE) & ~f.employed[:n] & (u[1] < p["market.apply_rate"])
    cand = ((searching | applies) & (f.waiting_since[:n] < 0)).nonzero()[0]
    join = cand[m.eligible_municipal(cand)]
    f.waiting_since[join] = m.month
    waiting = (act & (f.waiting_since[:n] >= 0)).nonzero()[0]
    still = m.eligible_municipal(waiting) & ~is_tenant(f.tenure[waiting])
    f.waiting_since[waiting[~still]] = -1
    waiting = waiting[still]
    # allocation when dwellings are vacant (in a batch, each town's to its own families)
    ua = m.streams.uniform("allocation", n, 1)  # drawn every month: common random numbers
    vacant = m.stock.count_vacant()
    if np.any(vacant > 0) and len(waiting):
        ranked = priority_order(m, waiting, ua[waiting], top=vacant)
        m.place_in_municipal(ranked)

    # time to move has run out
    due = (act & (f.exit_by[:n] >= 0) & (f.exit_by[:n] <= m.month)).nonzero()[0]
    if len(due):
        staying = is_tenant(f.tenure[due]) & (not p["policy.rotation.enforce_exit"])
        stay, out = due[staying], due[~staying]
        m.renew_lease(stay)
        f.debt[out] += f.rent_arrears[out]  # the landlord's claim stays as debt
        f.rent_arrears[out] = 0.0
        m.vacate(out)
        m.set_tenure(out, HOMELESS)
        f.exit_by[out] = -1
