"""Tenancy: evictions for arrears, private leases ending, municipal contract expiry and reviews.

- *Eviction*: a tenant whose rent arrears reach ``tenancy.eviction_arrears`` months of rent gets
  an eviction request; ``tenancy.eviction_share`` of requests end in eviction (~25 %,
  shared/parameters.md), fewer for followed families (``policy.followup.effect_eviction``,
  Røe (2018) §3.2.2); in the rest NAV settles the arrears as one-off social assistance.
  The evicted become homeless, the arrears turn into debt and a payment remark.
- *Private leases* end at ``market.lease_end_rate`` a year; the family must move within the
  grace period (``policy.rotation.exit_grace_months``).
- *Municipal leases*: at contract expiry (``policy.rotation.contract_years``, Stjørdal's
  three-year contracts, Røe §3.2.1), at reviews (``policy.rotation.review``, Verdal, Røe §2.2)
  and in a one-off full review of every tenancy within twelve months
  (``policy.rotation.full_review``, Verdal 2013, Røe §3.1.2) the
  municipality asks whether the tenant is still entitled: still eligible under the allocation
  rules, and unable to rent privately or buy. Those not entitled get an exit request and an
  offer of a start loan; the rest renew.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import HOMELESS, PRIVATE, is_tenant
from sim.inputs.derived import monthly

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """Evictions, lease ends, contract expiry and reviews, in that order."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("tenancy", n, 2)
    act = f.active[:n]
    tenure = f.tenure[:n]
    tenant = is_tenant(tenure)
    renter = tenant | (tenure == PRIVATE)

    # eviction requests and their outcome
    rent = np.maximum(f.housing_cost[:n], 1.0)
    request = act & renter & (f.rent_arrears[:n] >= p["tenancy.eviction_arrears"] * rent)
    share = p["tenancy.eviction_share"] * np.where(f.followed[:n],
                                                   p["policy.followup.effect_eviction"], 1.0)
    evict = request & (u[0] < share)
    settle = request & ~evict
    settled = m.total(f.rent_arrears[:n][settle], settle)
    m.flows["social_assistance_nok"] += settled
    m.flows["arrears_settled_nok"] += settled
    f.rent_arrears[:n][settle] = 0.0
    idx = evict.nonzero()[0]
    if len(idx):
        f.debt[idx] += f.rent_arrears[idx]
        f.rent_arrears[idx] = 0.0
        f.remark[idx] = True
        m.vacate(idx)
        m.set_tenure(idx, HOMELESS)
        f.exit_by[idx] = -1
        m.flows["evictions"] += m.count(idx)

    # private landlords ending leases
    tenure = f.tenure[:n]
    ends = act & (tenure == PRIVATE) & (f.exit_by[:n] < 0) & (
        u[1] < monthly(p["market.lease_end_rate"]))
    f.exit_by[:n][ends] = m.month + p["policy.rotation.exit_grace_months"]

    # municipal leases: expiry, reviews, full review
    tenant = act & is_tenant(tenure) & (f.exit_by[:n] < 0)
    due = tenant & ((f.contract_end[:n] == m.month) | (f.review_due[:n] == m.month))
    idx = due.nonzero()[0]
    if len(idx):
        assess(m, idx)


def assess(m: HousingModel, idx: np.ndarray) -> None:
    """Assess tenants ``idx``: renew the entitled, ask the others to move on.

    A tenant can move on who is no longer eligible for municipal housing, or who could rent
    privately or pass the start-loan assessment. Exit requests come with a start-loan offer.
    """
    p, f = m.p, m.f
    from sim.engine.processes.ownership import startloan_assessment
    from sim.engine.processes.search import can_afford_rent

    eligible = m.eligible_municipal(idx)
    can_buy = startloan_assessment(m, idx)[0]
    can_rent = can_afford_rent(m, idx, with_sa=False)
    move_on = ~eligible | can_buy | can_rent
    go, stay = idx[move_on], idx[~move_on]
    f.exit_by[go] = m.month + p["policy.rotation.exit_grace_months"]
    f.offered[go] = can_buy[move_on]
    m.renew_lease(stay)
