"""Housing search: private rental, the municipal waiting list, and homelessness when the time
to move runs out.

- *Who searches*: homeless families and families that must move (a private lease ended, an
  exit request from a municipal dwelling, a forced sale of their home under way: one who finds
  a rental moves out and the sale completes then,
  :func:`sim.engine.processes.ownership.forced_sale`); and by choice, crowded private renters,
  ``dwellings.crowded_search_rate`` of them a month, who take only a home that fits them.
- *Private rental*: each month a searching family answers a listing of some size and zone
  (:mod:`sim.engine.processes.homes`: a large family finds one that is large enough less
  often) at a rent around the market rent for its size (log-normal,
  ``market.rent_dispersion``) and its zone's level; it can take the lease if the home is large
  enough for it and it can afford it (:func:`sim.engine.processes.economy.can_afford_rent`) and
  finds a landlord at
  ``market.search_success`` a month, less where landlords turn away refugee families or
  families living on NAV benefits (Røe (2018) §1.2, §2.1) or applicants with extensive
  service needs (``market.discrimination_needs``), more with a caseworker's help
  (``policy.followup.effect_search``), or when the office contacts landlords on the family's
  behalf: a housing procurer for the families the office knows (``policy.allocation.procurer``,
  Kristiansund, Røe §2.2), or an office that houses no families with children helping them to
  rent privately instead (``policy.allocation.help_children_private``, Verdal, Røe §3.1.2).
- *Municipal housing*: the housing office's waiting list and allocation
  (:func:`sim.engine.processes.municipal.update_waiting_list`,
  :func:`sim.engine.processes.municipal.allocate`). A single adult with service needs whom the
  services referred (``client``) stays on the list when it finds a private lease: the
  referral, not its own search, is its application (assumption: the services keep asking for
  a dwelling with follow-up, which a private lease found on the open market seldom is).
- *When all fails*: a family whose time to move has run out becomes homeless (an owner's home
  is sold by force then), except a municipal tenant whose lease is renewed unless the
  municipality enforces exits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import HOMELESS, NEED_EXTENSIVE, PRIVATE, is_owner, is_tenant
from sim.engine.processes import homes, municipal, ownership
from sim.engine.processes.economy import can_afford_rent

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def search_success(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """Monthly probability that families ``idx`` find a private landlord who takes them."""
    p, f = m.p, m.f

    def each(key: str) -> Any:  # the parameter, or each family's town's in a mixed batch
        return m.towns.at(p[key], idx)

    prob = m.towns.per_row(p["market.search_success"], idx)
    prob *= np.where(f.refugee[idx], 1 - each("market.discrimination_refugee"), 1.0)
    prob *= np.where(f.employed[idx], 1.0, 1 - each("market.discrimination_nav"))
    prob *= np.where(f.need[idx] == NEED_EXTENSIVE, 1 - each("market.discrimination_needs"), 1.0)
    prob *= np.where(f.followed[idx], each("policy.followup.effect_search"), 1.0)
    if p["policy.allocation.with_followup"]:  # the office helps its own tenants move on
        tenant = is_tenant(f.tenure[idx])
        prob *= np.where(tenant, each("policy.allocation.colocated_move_on"), 1.0)
    helped = np.zeros(len(idx), dtype=bool)  # the office contacts landlords for them
    if p["policy.allocation.procurer"]:
        helped |= f.followed[idx] | (f.waiting_since[idx] >= 0)
    if p["policy.allocation.help_children_private"]:
        helped |= f.kids[idx] > 0
    prob *= np.where(helped, each("policy.allocation.procurer_effect"), 1.0)
    return np.minimum(prob, 1.0)


def step(m: HousingModel) -> None:
    """Private search, the waiting list and allocation, then the end of time to move."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("search", n, 2)
    log_offer = m.streams.normal("search", p["market.rent_dispersion"], n)  # every row
    draws = homes.draws(m)
    act = f.active[:n]
    tenure = f.tenure[:n]
    crowded = homes.crowded(f) & (tenure == PRIVATE)
    must = act & ((tenure == HOMELESS) | (f.exit_by[:n] >= 0))
    looks = act & crowded & ~must & (
        draws[homes.LOOKS] < m.towns.at(p["dwellings.crowded_search_rate"], slice(0, n)))
    idx = ((must | looks) & (f.approved_until[:n] < m.month)).nonzero()[0]
    rooms = homes.offer_rooms(m, idx, draws[homes.ROOMS][idx])
    zone = homes.offer_zone(m, draws[homes.ZONE][idx])
    need = homes.need_rooms(f.adults[idx] + f.kids[idx])
    fits = rooms >= need - np.where(must[idx], homes.tolerance(m, idx), 0)
    offer = np.exp(log_offer[idx]) * homes.zone_rent(m, zone, idx)
    taken = fits & can_afford_rent(m, idx, factor=offer, rooms=rooms) & (
        u[0][idx] < search_success(m, idx))
    found = idx[taken]
    if len(found):
        poor = log_offer[found] < -m.towns.at(p["market.rent_dispersion"], found)
        selling = found[is_owner(f.tenure[found])]  # found a rental before the forced sale
        if len(selling):
            ownership.forced_sale(m, selling)
        municipal.move_out(m, found, PRIVATE)
        homes.settle(f, found, rooms[taken], zone[taken], poor)
        f.rent_factor[found] = offer[taken]
        f.tenure_months[found] = 0  # a new lease, even after a private one
        f.waiting_since[found[~f.client[found]]] = -1  # a referral stands (see above)

    # private renters living on benefits or crowded also apply, for a stable, cheaper or
    # larger home
    applies = act & (f.tenure[:n] == PRIVATE) & (~f.employed[:n] | homes.crowded(f)) & (
        u[1] < m.towns.at(p["market.apply_rate"], slice(0, n)))
    municipal.update_waiting_list(m, applies)
    municipal.allocate(m)

    # time to move has run out
    due = (act & (f.exit_by[:n] >= 0) & (f.exit_by[:n] <= m.month)).nonzero()[0]
    if len(due):
        sold = due[is_owner(f.tenure[due])]  # the forced sale is completed
        if len(sold):
            ownership.forced_sale(m, sold)
        staying = is_tenant(f.tenure[due]) & (not p["policy.rotation.enforce_exit"])
        municipal.renew_lease(m, due[staying])
        municipal.move_out(m, due[~staying], HOMELESS)
