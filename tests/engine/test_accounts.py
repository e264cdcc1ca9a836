"""The month's accounts (:mod:`sim.engine.accounts`): what the municipality's housing costs it.

Mutation testing found the housing account unchecked: a sublet's lease with the admin cost
subtracted instead of added passed every test (docs/testing.md).
"""

from __future__ import annotations

import pytest
from processes.process_helpers import add, house, make

from sim.engine import accounts
from sim.engine.families import MUNICIPAL, SUBLET
from sim.engine.processes.market import market_rent_level
from sim.engine.processes.stock import OWNED, SUBLET_KIND
from sim.inputs.indicators import INDEX


def test_the_housing_account_is_upkeep_and_leases_less_rent_collected() -> None:
    """Empty, three owned dwellings cost their upkeep and two sublet dwellings their lease from
    a private landlord (market rent of a dwelling of their size plus the administration); rent
    collected from tenants comes off, dwelling kind by dwelling kind."""
    m = make(dwellings=3, sublets=2)
    p = m.p
    rooms = m.stock.rooms[3:]  # the sublet dwellings, of different sizes
    assert rooms[0] != rooms[1]
    sizes = 1 + p["market.price_per_person"] * (rooms - 3.0)
    lease = market_rent_level(m) * sizes + p["stock.sublet_admin_cost"]
    assert p["stock.sublet_admin_cost"] > 0 and (lease > p["stock.sublet_admin_cost"]).all()
    accounts.costs(m)
    empty = 3 * p["stock.owned_cost"] + lease.sum()
    assert m.flows["municipal_housing_net_nok"] == pytest.approx(empty)
    m.rent_collected[OWNED] += 9000.0
    m.rent_collected[SUBLET_KIND] += 4000.0
    accounts.costs(m)
    assert m.flows["municipal_housing_net_nok"] == pytest.approx(empty - 13000.0)


def test_tenants_mean_months_counts_sublet_and_municipal_tenants_alike() -> None:
    """Tenants' mean months in their dwelling is over municipal and sublet tenants together,
    also when there are as many of one as of the other (mutation testing: the sublet tenants
    subtracted from the count, so that one of each counted as none and left the mean at 0,
    passed every test)."""
    m = make(dwellings=1, sublets=1)
    municipal, sublet = add(m, tenure_months=10), add(m, tenure_months=20)
    house(m, municipal, 0)
    house(m, sublet, 1)
    assert m.f.tenure[sublet] == SUBLET and m.f.tenure[municipal] == MUNICIPAL
    row = accounts.indicators(m)
    assert row[INDEX["mean_months_in_municipal"]] == pytest.approx(15.0)
