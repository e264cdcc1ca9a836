"""Tenancy (:mod:`sim.engine.processes.tenancy`): evictions for arrears and NAV's settlement of
them.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import numpy as np
import pytest
from process_helpers import (
    add,
    house,
    make,
)

from sim.engine.families import (
    HOMELESS,
    MUNICIPAL,
    PRIVATE,
)
from sim.engine.model import HousingModel
from sim.engine.processes import (
    tenancy,
)
from sim.inputs.indicators import INDEX


def _tenants_in_arrears(m: HousingModel, months_behind: tuple[float, ...]) -> list[np.ndarray]:
    out = []
    for d, k in enumerate(months_behind):
        i = add(m, debt=1000.0)
        house(m, i, d)
        rent = 5000.0
        m.f.housing_cost[i] = rent
        m.f.rent_arrears[i] = k * rent
        out.append(i)
    return out


def test_eviction_when_arrears_pass_the_threshold() -> None:
    """With every eviction request carried out, a tenant 3.2 months behind is evicted: homeless,
    dwelling vacated, arrears turned into debt, a payment remark, one eviction counted; a
    tenant two months behind is untouched; a private renter far behind is evicted too."""
    m = make("tenancy.eviction_share=1.0", "market.lease_end_rate=0.0", dwellings=2)
    behind, fine = _tenants_in_arrears(m, (3.2, 2.0))
    private = add(m, tenure=PRIVATE, housing_cost=7000.0, rent_arrears=30000.0)
    tenancy.step(m)
    f = m.f
    assert f.tenure[behind] == HOMELESS
    assert f.dwelling[behind] == -1 and m.stock.occupant[0] == -1
    assert f.rent_arrears[behind] == 0
    assert f.debt[behind] == pytest.approx(1000.0 + 3.2 * 5000.0)
    assert f.remark[behind]
    assert f.tenure[fine] == MUNICIPAL and f.dwelling[fine] == 1 and m.stock.occupant[1] == fine
    assert f.rent_arrears[fine] == pytest.approx(2 * 5000.0) and not f.remark[fine]
    assert f.tenure[private] == HOMELESS
    assert m.flows["evictions"] == 2
    assert m.flows["moves_out_of_municipal"] == 1
    ind = m.indicators()
    assert ind[INDEX["homeless"]] == 2 and ind[INDEX["vacant_municipal"]] == 1


def test_no_eviction_when_share_zero_arrears_settled_by_nav() -> None:
    """When no request ends in eviction, NAV settles the arrears as one-off social assistance:
    the tenant stays, owes nothing, and the amount is counted in social_assistance_nok."""
    m = make("tenancy.eviction_share=0.0")
    (behind,) = _tenants_in_arrears(m, (4.0,))
    tenancy.step(m)
    f = m.f
    assert f.tenure[behind] == MUNICIPAL and m.stock.occupant[0] == behind
    assert f.rent_arrears[behind] == 0
    assert f.debt[behind] == pytest.approx(1000.0)
    assert m.flows["social_assistance_nok"] == pytest.approx(20000.0)
    assert m.flows["arrears_settled_nok"] == pytest.approx(20000.0)
    assert m.flows["evictions"] == 0
    # the municipal landlord is paid: rent collected rises by what NAV paid, so the
    # municipality's net cost does not count the settlement twice
    kind = m.stock.kind[f.dwelling[behind]]
    assert sum(m.rent_collected) == pytest.approx(20000.0)
    assert m.rent_collected[int(kind.item())] == pytest.approx(20000.0)


def test_followed_tenant_is_protected_from_eviction() -> None:
    """Follow-up scales the eviction share: with effect_eviction=0 a followed tenant in deep
    arrears is not evicted even when every other request would be."""
    m = make("tenancy.eviction_share=1.0", "policy.followup.effect_eviction=0.0")
    (behind,) = _tenants_in_arrears(m, (5.0,))
    m.f.followed[behind] = True
    tenancy.step(m)
    assert m.f.tenure[behind] == MUNICIPAL and m.flows["evictions"] == 0
