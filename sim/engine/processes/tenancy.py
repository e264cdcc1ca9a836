"""Tenancy: evictions for arrears, private leases ending, and the municipal office's reviews.

- *Eviction*: a tenant whose rent arrears reach ``tenancy.eviction_arrears`` months of rent gets
  an eviction request; ``tenancy.eviction_share`` of requests end in eviction (about 25 % of
  requests nationally, Finansavisen (2019)), fewer for followed families
  (``policy.followup.effect_eviction``, Røe (2018) §3.2.2); in the rest NAV settles the
  arrears as one-off social assistance. The evicted become homeless, the arrears turn into
  debt and a payment remark.
- *Private leases* end at ``market.lease_end_rate`` a year; the family must move within the
  grace period (``policy.rotation.exit_grace_months``).
- *Municipal leases*: contract expiry and reviews, by the housing office
  (:func:`sim.engine.processes.municipal.review`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import HOMELESS, PRIVATE, is_tenant
from sim.engine.processes import municipal
from sim.inputs.derived import monthly

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """Evictions, lease ends, contract expiry and reviews, in that order."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("tenancy", n, 2)
    act = f.active[:n]
    tenure = f.tenure[:n]
    renter = is_tenant(tenure) | (tenure == PRIVATE)

    # eviction requests and their outcome
    rent = np.maximum(f.housing_cost[:n], 1.0)
    request = act & renter & (f.rent_arrears[:n] >= p["tenancy.eviction_arrears"] * rent)
    share = p["tenancy.eviction_share"] * np.where(
        f.followed[:n], m.towns.at(p["policy.followup.effect_eviction"], slice(0, n)), 1.0)
    evict = request & (u[0] < share)
    settle = request & ~evict
    settled = m.towns.total(f.rent_arrears[:n][settle], settle)
    m.flows["social_assistance_nok"] += settled
    m.flows["arrears_settled_nok"] += settled
    f.transfers[:n][settle] += f.rent_arrears[:n][settle]
    f.rent_arrears[:n][settle] = 0.0
    idx = evict.nonzero()[0]
    if len(idx):
        f.remark[idx] = True
        municipal.move_out(m, idx, HOMELESS)
        m.flows["evictions"] += m.towns.count(idx)

    # private landlords ending leases
    ends = act & (f.tenure[:n] == PRIVATE) & (f.exit_by[:n] < 0) & (
        u[1] < m.towns.at(monthly(p["market.lease_end_rate"]), slice(0, n)))
    f.exit_by[:n][ends] = m.month + m.towns.at(p["policy.rotation.exit_grace_months"], ends)

    # municipal leases: expiry, reviews, full review
    municipal.review(m)
