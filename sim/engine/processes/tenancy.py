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
from sim.engine.processes.stock import OWNED, SUBLET_KIND
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
    _collect_settled_rent(m, settle.nonzero()[0])
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


def _collect_settled_rent(m: HousingModel, idx: np.ndarray) -> None:
    """Arrears NAV settles for tenants ``idx`` of municipal or sublet dwellings are rent the
    municipality collects (it pays them as social assistance, so its net cost is unchanged)."""
    f = m.f
    dwelling = f.dwelling[idx]
    idx, dwelling = idx[dwelling >= 0], dwelling[dwelling >= 0]
    kind = m.stock.kind[dwelling]
    for k in (OWNED, SUBLET_KIND):
        mine = idx[kind == k]
        m.rent_collected[k] += m.towns.total(f.rent_arrears[mine], mine)
