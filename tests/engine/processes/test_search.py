"""Housing search (:mod:`sim.engine.processes.search`): private rental, discrimination, the end of
time to move.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import numpy as np
import pytest
from process_helpers import (
    add,
    house,
    make,
    set_incomes,
)

from sim.engine.families import (
    HOMELESS,
    MUNICIPAL,
    NEED_EXTENSIVE,
    NEED_MODERATE,
    PRIVATE,
)
from sim.engine.processes import (
    search,
)


@pytest.mark.parametrize(("discrimination", "refugee_finds"), [(0.0, True), (1.0, False)])
def test_private_search_and_discrimination(discrimination: float, refugee_finds: bool) -> None:
    """With certain success and no discrimination, homeless searchers who can afford the rent
    find a private rental; when landlords turn away every refugee family, a refugee family
    stays homeless and joins the waiting list instead."""
    m = make("market.search_success=1.0", "market.discrimination_nav=0.0",
             f"market.discrimination_refugee={discrimination}", dwellings=0)
    local = add(m, tenure=HOMELESS, employed=True, wage=40000.0)
    refugee = add(m, tenure=HOMELESS, employed=True, wage=40000.0, refugee=True)
    set_incomes(m)
    search.step(m)
    f = m.f
    assert f.tenure[local] == PRIVATE and f.tenure_months[local] == 0
    assert (f.tenure[refugee][0] == PRIVATE) == refugee_finds
    if not refugee_finds:
        assert f.tenure[refugee] == HOMELESS and f.waiting_since[refugee] == m.month


@pytest.mark.parametrize(("screening", "finds"), [(0.0, True), (1.0, False)])
def test_landlords_screen_out_applicants_with_extensive_needs(screening: float,
                                                               finds: bool) -> None:
    """When every landlord turns away applicants with extensive service needs
    (``market.discrimination_needs``), such a searcher stays homeless and joins the waiting
    list, while one with moderate needs and the same income finds a lease; without screening
    both do."""
    m = make("market.search_success=1.0", "market.discrimination_nav=0.0",
             f"market.discrimination_needs={screening}", dwellings=0)
    moderate = add(m, tenure=HOMELESS, employed=True, wage=40000.0, need=NEED_MODERATE)
    extensive = add(m, tenure=HOMELESS, employed=True, wage=40000.0, need=NEED_EXTENSIVE)
    set_incomes(m)
    search.step(m)
    f = m.f
    assert f.tenure[moderate] == PRIVATE
    assert (f.tenure[extensive][0] == PRIVATE) == finds
    if not finds:
        assert f.waiting_since[extensive] == m.month


def test_a_referred_single_adult_keeps_its_place_on_the_list_after_a_private_lease() -> None:
    """A single adult the services referred (``client``) who finds a private lease stays on
    the waiting list and is given the dwelling that falls vacant; a family on the list that
    finds a lease leaves the list."""
    m = make("market.search_success=1.0", "market.discrimination_nav=0.0",
             "market.discrimination_needs=0.0", dwellings=1)
    m.month = 3
    family = add(m, tenure=HOMELESS, employed=True, wage=40000.0, waiting_since=0,
                 children=(5.0,))
    client = add(m, tenure=HOMELESS, employed=True, wage=40000.0, waiting_since=0,
                 client=True)
    set_incomes(m)
    search.step(m)
    f = m.f
    assert f.tenure[family] == PRIVATE and f.waiting_since[family] == -1
    assert f.tenure[client] == MUNICIPAL and m.stock.occupant[0] == client[0]


def test_private_search_needs_an_affordable_rent() -> None:
    """When social assistance accepts only half the market rent, a homeless family without
    income cannot take a private lease; a well-paid family can, and pays the rent offered."""
    m = make("economy.sa_housing_norm_share=0.5", "market.rent_dispersion=0.0",
             "market.search_success=1.0", "market.discrimination_nav=0.0",
             "dwellings.zone_rent_spread=0.0", dwellings=0)
    poor = add(m, tenure=HOMELESS)
    rich = add(m, tenure=HOMELESS, employed=True, wage=80000.0)
    set_incomes(m)
    search.step(m)
    assert m.f.tenure[poor] == HOMELESS
    assert m.f.tenure[rich] == PRIVATE
    assert m.f.rent_factor[rich] == pytest.approx(1.0)


@pytest.mark.parametrize("enforce", [False, True])
def test_time_to_move_runs_out(enforce: bool) -> None:
    """A private renter whose lease has ended and who found nothing by the deadline becomes
    homeless; one with time left stays. A municipal tenant past the exit date is renewed,
    unless the municipality enforces exits, in which case the tenant becomes homeless too and
    the dwelling falls vacant."""
    flag = "true" if enforce else "false"
    m = make("market.search_success=0.0", f"policy.rotation.enforce_exit={flag}", dwellings=1,
             years=2)
    m.month = 5
    due = add(m, tenure=PRIVATE, exit_by=5)
    later = add(m, tenure=PRIVATE, exit_by=8)
    tenant = add(m, exit_by=4)
    house(m, tenant, 0)
    search.step(m)
    f = m.f
    assert f.tenure[due] == HOMELESS and f.exit_by[due] == -1
    assert f.tenure[later] == PRIVATE and f.exit_by[later] == 8
    if enforce:
        assert f.tenure[tenant] == HOMELESS and m.stock.occupant[0] == -1
        assert f.dwelling[tenant] == -1
    else:
        assert f.tenure[tenant] == MUNICIPAL and m.stock.occupant[0] == tenant
        assert f.exit_by[tenant] == -1


@pytest.mark.parametrize("with_followup", [False, True])
def test_an_office_that_also_follows_up_moves_its_tenants_on_sooner(
        with_followup: bool) -> None:
    """Allocation and follow-up in one office (Verdal) raise its tenants' chances of finding a
    private rental and of trying to buy by ``policy.allocation.colocated_move_on``; a private
    renter's chances are not its business."""
    m = make(f"policy.allocation.with_followup={str(with_followup).lower()}",
             "policy.allocation.colocated_move_on=2.0", "market.search_success=0.2",
             "ownership.consider_rate=0.01")
    tenant = add(m, employed=True)
    house(m, tenant, 0)
    renter = add(m, employed=True, tenure=PRIVATE)
    factor = 2.0 if with_followup else 1.0
    prob = search.search_success(m, np.concatenate([tenant, renter]))
    assert prob == pytest.approx([0.2 * factor, 0.2])
    from sim.engine.processes import ownership

    rates = ownership._consider_rate(m)
    assert rates[tenant][0] == pytest.approx(0.01 * factor) and rates[renter][0] == 0.01


@pytest.mark.parametrize(("procurer", "help_children"), [(False, False), (True, False),
                                                         (False, True), (True, True)])
def test_the_office_contacts_landlords_for_the_families_it_helps(
        procurer: bool, help_children: bool) -> None:
    """A housing procurer (Kristiansund) raises the search success of the families the office
    knows (waiting list or followed); an office that places no families with children helps
    every searching family with children instead (Verdal); a family helped both ways is
    helped once, and a childless family the office does not know is not helped."""
    m = make(f"policy.allocation.procurer={str(procurer).lower()}",
             f"policy.allocation.help_children_private={str(help_children).lower()}",
             "policy.allocation.procurer_effect=3.0", "market.search_success=0.1",
             "market.discrimination_nav=0.0")
    waiting_couple = add(m, tenure=HOMELESS)
    m.f.waiting_since[waiting_couple] = 0
    waiting_parent = add(m, tenure=HOMELESS, children=(4.0, 9.0))
    m.f.waiting_since[waiting_parent] = 0
    unknown_parent = add(m, tenure=HOMELESS, children=(2.0,))
    unknown_couple = add(m, tenure=HOMELESS)
    idx = np.concatenate([waiting_couple, waiting_parent, unknown_parent, unknown_couple])
    expected = [0.1 * (3.0 if procurer else 1.0),
                0.1 * (3.0 if procurer or help_children else 1.0),
                0.1 * (3.0 if help_children else 1.0),
                0.1]
    assert search.search_success(m, idx) == pytest.approx(expected)
