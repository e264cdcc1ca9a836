"""The municipal housing office (:mod:`sim.engine.processes.municipal`): contract expiry, reviews,
eligibility, the waiting list's priority rules and allocation.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import numpy as np
import pytest
from process_helpers import (
    STABLE,
    add,
    house,
    make,
    set_incomes,
)

from sim.engine import ranking
from sim.engine.families import (
    HOMELESS,
    MUNICIPAL,
    NEED_EXTENSIVE,
    NEED_MODERATE,
    OWNER_STARTLOAN,
    PRIVATE,
    SUBLET,
)
from sim.engine.processes import (
    municipal,
    ownership,
    search,
    tenancy,
)


def test_contract_expiry_exit_request_or_renewal() -> None:
    """At the end of a three-year contract, a tenant who can rent privately on their own income
    is asked to move (exit_by = now + grace), one who cannot and is still eligible gets a new
    three-year contract; a tenant whose contract runs on is not assessed."""
    m = make("policy.rotation.contract_years=3", dwellings=3)
    rich = add(m, employed=True, wage=50000.0, contract_end=0)
    poor = add(m, contract_end=0)
    later = add(m, contract_end=10)
    for d, i in enumerate((rich, poor, later)):
        house(m, i, d)
    set_incomes(m)
    tenancy.step(m)
    f, grace = m.f, m.p["policy.rotation.exit_grace_months"]
    assert f.exit_by[rich] == m.month + grace
    assert f.exit_by[poor] == -1 and f.contract_end[poor] == m.month + 36
    assert f.exit_by[later] == -1 and f.contract_end[later] == 10
    assert (f.tenure[[rich, poor, later]] == MUNICIPAL).all()


@pytest.mark.parametrize("move_on", [False, True])
def test_transit_tenants_with_work_income_are_asked_to_move_on(move_on: bool) -> None:
    """Where tenants must move on once they have work income (Malvik), a working tenant
    whose contract ends, though it cannot rent privately on its own income, gets an exit
    request and is sent to the start-loan desk; elsewhere it renews. A tenant without work
    renews either way."""
    m = make("policy.rotation.contract_years=3", "market.rent=30000",
             f"policy.rotation.move_on_with_work={str(move_on).lower()}")
    working = add(m, employed=True, wage=25000.0, contract_end=0)
    idle = add(m, contract_end=0)
    house(m, working, 0)
    house(m, idle, 1)
    set_incomes(m)
    tenancy.step(m)
    assert (m.f.exit_by[working][0] >= 0) == move_on
    assert bool(m.f.offered[working][0]) == move_on
    assert m.f.exit_by[idle][0] == -1


def test_contract_expiry_asks_ineligible_tenant_to_move() -> None:
    """When families with children are no longer admitted, a poor tenant with children whose
    contract ends is asked to move; a poor tenant without children renews."""
    m = make("policy.rotation.contract_years=3", "policy.allocation.children_allowed=false")
    with_kids = add(m, contract_end=0, children=(7.0,))
    no_kids = add(m, contract_end=0)
    house(m, with_kids, 0)
    house(m, no_kids, 1)
    set_incomes(m)
    tenancy.step(m)
    assert m.f.exit_by[with_kids] >= 0
    assert m.f.exit_by[no_kids] == -1


def test_review_offers_a_start_loan_and_the_tenant_buys() -> None:
    """At a yearly review a tenant who passes the start-loan assessment is asked to move and
    offered a start loan; the start-loan desk then assesses them in the same month even though
    tenants rarely apply on their own (consider_rate=0), and with certain success they buy."""
    m = make("policy.rotation.review=true", *STABLE, "ownership.consider_rate=0.0",
             "ownership.purchase_success=1.0", dwellings=1)
    i = add(m, employed=True, wage=45000.0, review_due=0)
    house(m, i, 0)
    set_incomes(m)
    tenancy.step(m)
    assert m.f.exit_by[i] >= 0 and m.f.offered[i]
    ownership.step(m)
    assert m.flows["startloan_applications"] == 1 and m.flows["startloans_granted"] == 1
    assert m.f.tenure[i] == OWNER_STARTLOAN and m.stock.occupant[0] == -1
    assert not m.f.offered[i] and m.f.exit_by[i] == -1


PRIORITY_CASES = {"need": "extensive_need", "homeless_first": "homeless",
                  "waiting_time": "longest_wait", "children_first": "children"}


@pytest.mark.parametrize(("rule", "winner"), list(PRIORITY_CASES.items()))
def test_vacancy_goes_to_the_applicant_the_rule_ranks_first(rule: str, winner: str) -> None:
    """Four applicants wait for one vacant dwelling; each priority rule picks a different one:
    ``need`` the family with extensive needs, ``homeless_first`` the homeless family,
    ``waiting_time`` the family that has waited longest, ``children_first`` the family with
    children. The others stay on the waiting list."""
    m = make(f"policy.allocation.priority={rule}", "market.search_success=0.0",
             "market.apply_rate=0.0", dwellings=1, years=3)
    m.month = 24
    fams = {
        "extensive_need": add(m, tenure=PRIVATE, need=NEED_EXTENSIVE, waiting_since=20),
        "homeless": add(m, tenure=HOMELESS, waiting_since=20),
        "longest_wait": add(m, tenure=PRIVATE, waiting_since=0),
        "children": add(m, tenure=PRIVATE, waiting_since=20, children=(6.0,)),
    }
    set_incomes(m)
    search.step(m)
    f = m.f
    assert m.stock.occupant[0] == fams[winner][0]
    assert f.tenure[fams[winner]] == MUNICIPAL and f.waiting_since[fams[winner]] == -1
    assert m.flows["allocations"] == 1
    for name, i in fams.items():
        if name != winner:
            assert f.waiting_since[i] >= 0 and f.dwelling[i] == -1, name


@pytest.mark.parametrize("top", [0, 1, 7, 300, 2_999, 3_000, 5_000])
def test_the_first_of_a_long_ranking_are_those_of_the_full_sort(top: int) -> None:
    """Caseworkers, employment measures and vacancies take the first few of a long ranking:
    cutting it to its contenders first gives exactly the full sort's first places, in
    order, with many ties in the whole-number keys and some in the tie-break too."""
    rng = np.random.default_rng(11)
    k = 3 * ranking.LONG_LIST
    keys = (rng.integers(0, 50, k) / 7.0, -rng.integers(0, 3, k), rng.random(k) < 0.5,
            -rng.integers(0, 240, k).astype(float), rng.random(k) < 0.1)
    full = np.lexsort(keys)
    np.testing.assert_array_equal(ranking.first_in_order(keys, top), full[:top])


@pytest.mark.parametrize("rule", list(PRIORITY_CASES))
def test_a_long_waiting_list_cut_to_the_contenders_keeps_the_order(rule: str) -> None:
    """With few vacancies, a national waiting list is cut to its contenders before sorting;
    the families placed are exactly the first of the full priority order, ties included."""
    m = make(f"policy.allocation.priority={rule}", dwellings=0, years=10)
    m.month = 100
    rng = np.random.default_rng(7)
    k = 3 * ranking.LONG_LIST
    idx = add(m, k, tenure=np.where(rng.random(k) < 0.3, HOMELESS, PRIVATE),
              need=rng.integers(0, 3, k), waiting_since=rng.integers(60, 100, k))
    m.f.kids[idx] = rng.integers(0, 2, k)  # children matter as a yes/no key only
    u = rng.random(k)
    full = municipal.priority_order(m, idx, u)
    for top in (1, 5, 40, 2 * k):
        cut = municipal.priority_order(m, idx, u, top=top)
        assert len(cut) >= min(top, k)
        np.testing.assert_array_equal(cut[:top], full[:top])
    assert len(municipal.priority_order(m, idx, u, top=5)) < k  # the list was cut


@pytest.mark.parametrize(("eligibility", "placed"), [
    ("extensive_needs", {"extensive"}), ("disadvantaged", {"extensive", "moderate"})])
def test_eligibility_extensive_needs_admits_only_need_two(eligibility: str,
                                                          placed: set[str]) -> None:
    """Under Malvik's rule only families with extensive service needs may be allocated a
    dwelling, even with dwellings standing empty; under the ordinary rule both are."""
    m = make(f"policy.allocation.eligibility={eligibility}", "market.search_success=0.0",
             dwellings=2)
    fams = {"moderate": add(m, tenure=HOMELESS, need=NEED_MODERATE),
            "extensive": add(m, tenure=HOMELESS, need=NEED_EXTENSIVE)}
    search.step(m)
    for name, i in fams.items():
        assert (m.f.tenure[i][0] == MUNICIPAL) == (name in placed), name
    if eligibility == "extensive_needs":
        assert m.f.waiting_since[fams["moderate"]] == -1  # not even on the list


@pytest.mark.parametrize(("allowed", "placed"), [
    ("false", {"no_children"}), ("true", {"children", "no_children"})])
def test_children_not_allowed_excludes_families_with_children(allowed: str,
                                                              placed: set[str]) -> None:
    """When municipal housing is closed to families with children, a homeless family with a
    child is not allocated a dwelling; a family without children is."""
    m = make(f"policy.allocation.children_allowed={allowed}", "market.search_success=0.0",
             dwellings=2)
    fams = {"children": add(m, tenure=HOMELESS, children=(3.0,)),
            "no_children": add(m, tenure=HOMELESS)}
    search.step(m)
    for name, i in fams.items():
        assert (m.f.tenure[i][0] == MUNICIPAL) == (name in placed), name


def test_allocation_to_a_sublet_dwelling_gives_sublet_tenure() -> None:
    """A family placed in a dwelling the municipality sublets becomes a sublet tenant."""
    m = make("market.search_success=0.0", dwellings=0, sublets=1)
    i = add(m, tenure=HOMELESS)
    search.step(m)
    assert m.f.tenure[i] == SUBLET and m.f.dwelling[i] == 0 and m.stock.occupant[0] == i
