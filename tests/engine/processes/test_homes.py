"""Homes (:mod:`sim.engine.processes.homes`): size, standard, zone, crowding and concentration,
and how size decides allocation and private search.

The process tests build families by hand (:mod:`process_helpers`) with the registry's size
rules (``sizes=()``); the last tests run whole municipalities and check the directions a user
would: buying large units shortens large families' waits, clustering the stock concentrates
the families, crowded families move more.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from process_helpers import add, house, make, set_incomes

from sim.engine.families import HOMELESS, MUNICIPAL, NEED_EXTENSIVE, PRIVATE
from sim.engine.model import HousingModel
from sim.engine.processes import economy, homes, municipal, search
from sim.engine.processes.stock import Dwellings
from sim.inputs.indicators import INDEX
from sim.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[3]
#: Children aged 1 to 6, for families of a given size.
KIDS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)


def test_a_household_is_crowded_with_fewer_rooms_than_persons() -> None:
    """SSB's rooms criterion: a couple with three children (five persons) is crowded in three
    rooms and not in five; a single adult in one room is not; without a home no one is."""
    m = make(dwellings=0)
    big = add(m, adults=2, children=KIDS[:3], tenure=PRIVATE, home_rooms=3, home_zone=0)
    roomy = add(m, adults=2, children=KIDS[:3], tenure=PRIVATE, home_rooms=5, home_zone=0)
    single = add(m, tenure=PRIVATE, home_rooms=1, home_zone=0)
    homeless = add(m, adults=2, children=KIDS[:3], tenure=HOMELESS)
    crowded = homes.crowded(m.f)
    assert crowded[big] and not crowded[roomy] and not crowded[single]
    assert not crowded[homeless]
    assert homes.need_rooms(np.array([1, 3, 5, 9])).tolist() == [1, 3, 5, 5]


def test_a_birth_makes_a_family_crowded_where_it_lives() -> None:
    """A couple with a child in three rooms is not crowded; a second child makes it so, and
    the indicator counts its children, without a move."""
    m = make(dwellings=0)
    i = add(m, adults=2, children=KIDS[:1], tenure=PRIVATE, home_rooms=3, home_zone=1)
    assert not homes.crowded(m.f)[i]
    m.f.child_age[i, 1] = 0.0
    m.f.recount_children(i)
    assert homes.crowded(m.f)[i]
    row = m.indicators()
    assert row[INDEX["children_crowded"]] == 2


def test_rent_follows_the_rooms_of_the_home() -> None:
    """Two identical families renting privately at the same rent factor pay the market rent of
    their homes: more for four rooms than for two, by the size factor."""
    m = make(dwellings=0)
    small = add(m, adults=2, children=KIDS[:1], tenure=PRIVATE, home_rooms=2, home_zone=0)
    large = add(m, adults=2, children=KIDS[:1], tenure=PRIVATE, home_rooms=4, home_zone=0)
    rent = economy.housing_payment(m, np.concatenate([small, large]))
    k = m.p["market.price_per_person"]
    assert rent[1] / rent[0] == pytest.approx((1 + k) / (1 - k))


def test_rooms_are_drawn_in_the_rental_stock_proportions() -> None:
    """Listings between one and five rooms come in the shares of the rental stock; a window
    of two to three rooms keeps their relative weights."""
    p = make(dwellings=0).p
    cum = homes.rental_shares(p)
    u = (np.arange(100_000) + 0.5) / 100_000
    one, five = np.ones(len(u), dtype=np.int8), np.full(len(u), 5, dtype=np.int8)
    shares = np.bincount(homes.draw_rooms(u, one, five, cum), minlength=6)[1:] / len(u)
    weights = np.array([p[f"dwellings.rental_share_{r}_rooms"] for r in range(1, 6)])
    assert shares == pytest.approx(weights / weights.sum(), abs=1e-4)
    window = homes.draw_rooms(u, one * 2, five - 2, cum)
    assert set(np.unique(window)) == {2, 3}
    assert np.mean(window == 2) == pytest.approx(weights[1] / weights[1:3].sum(), abs=1e-4)


def test_a_large_family_seldom_finds_a_private_rental_large_enough() -> None:
    """Among many well-paid homeless families searching with certain success, couples find a
    rental every time (a listing of one or two rooms is within a room of their need), while
    couples with four children (six persons, needing five or more rooms, accepting four) find
    one only when the listing has four or five rooms."""
    m = make("market.search_success=1.0", "market.discrimination_nav=0.0",
             "dwellings.crowding_tolerance=1", dwellings=0, sizes=())
    couples = add(m, 400, adults=2, tenure=HOMELESS, employed=True, wage=90000.0)
    large = add(m, 400, adults=2, children=KIDS[:4], tenure=HOMELESS, employed=True,
                wage=90000.0)
    set_incomes(m)
    search.step(m)
    f = m.f
    assert (f.tenure[couples] == PRIVATE).all()
    found = f.tenure[large] == PRIVATE
    w = np.array([m.p[f"dwellings.rental_share_{r}_rooms"] for r in range(1, 6)])
    expected = w[3:].sum() / w.sum()  # a listing of 4 or 5 rooms, among 1 to 5
    assert found.mean() == pytest.approx(expected, abs=0.07)
    assert (f.home_rooms[large][found] >= 4).all()
    assert (f.home_rooms[couples] >= 1).all() and (f.home_zone[couples] >= 0).all()


def test_a_crowded_renter_moves_only_to_a_home_that_fits() -> None:
    """Crowded private renters who look for a larger home by choice take only a listing with
    the rooms they need; those who find one are no longer crowded."""
    m = make("market.search_success=1.0", "market.discrimination_nav=0.0",
             "dwellings.crowded_search_rate=1.0", dwellings=0, sizes=())
    fams = add(m, 300, adults=2, children=KIDS[:2], tenure=PRIVATE, home_rooms=2,
               home_zone=0, employed=True, wage=90000.0)
    set_incomes(m)
    search.step(m)
    f = m.f
    moved = f.home_rooms[fams] != 2
    w = np.array([m.p[f"dwellings.rental_share_{r}_rooms"] for r in range(1, 5)])
    assert moved.mean() == pytest.approx(w[3] / w.sum(), abs=0.08)  # of 1-4 rooms, 4 fit
    assert (f.home_rooms[fams][moved] == 4).all()
    assert not homes.crowded(m.f)[fams][moved].any()


def _waiting(m: HousingModel, *families: np.ndarray) -> None:
    for rank, i in enumerate(families):
        m.f.waiting_since[i] = rank  # the first family has waited longest


def test_a_large_unit_goes_to_the_large_family_though_a_single_waited_longer() -> None:
    """Two vacancies, five rooms and one: the five-room unit goes to the family of six even
    though a single adult waited longer, and the single gets the one-room flat."""
    m = make("policy.allocation.priority=waiting_time", dwellings=2, sizes=())
    m.stock.rooms[:] = [5, 1]
    single = add(m, tenure=HOMELESS)
    large = add(m, adults=2, children=KIDS[:4], tenure=HOMELESS)
    _waiting(m, single, large)
    m.month = 10
    municipal.allocate(m)
    assert m.f.dwelling[large] == 0 and m.f.dwelling[single] == 1
    assert m.f.home_rooms[large] == 5 and m.f.home_rooms[single] == 1
    assert (m.f.tenure[np.concatenate([single, large])] == MUNICIPAL).all()


def test_a_large_family_waits_or_is_placed_crowded_within_the_tolerance() -> None:
    """A family of five waits when only a two-room flat is vacant (three rooms too few with a
    tolerance of one) and a single takes it; with a three-room flat it is placed, crowded."""
    m = make("policy.allocation.priority=waiting_time", "dwellings.crowding_tolerance=1",
             dwellings=1, sizes=())
    m.stock.rooms[:] = [2]
    large = add(m, adults=2, children=KIDS[:3], tenure=HOMELESS)
    single = add(m, tenure=HOMELESS)
    _waiting(m, large, single)
    municipal.allocate(m)
    assert m.f.tenure[large] == HOMELESS and m.f.dwelling[single] == 0

    m = make("policy.allocation.priority=waiting_time", "dwellings.crowding_tolerance=1",
             dwellings=1, sizes=())
    m.stock.rooms[:] = [4]
    large = add(m, adults=2, children=KIDS[:3], tenure=HOMELESS)
    _waiting(m, large)
    municipal.allocate(m)
    assert m.f.dwelling[large] == 0 and homes.crowded(m.f)[large]


def test_a_large_unit_is_held_for_a_large_family_then_let() -> None:
    """A five-room unit is not let to a single adult while it has been vacant less than
    ``policy.allocation.hold_months``; after that it is."""
    m = make("policy.allocation.hold_months=3", dwellings=1, sizes=())
    m.stock.rooms[:] = [5]
    single = add(m, tenure=HOMELESS)
    _waiting(m, single)
    m.month = 2
    municipal.allocate(m)
    assert m.f.tenure[single] == HOMELESS
    m.month = 3
    municipal.allocate(m)
    assert m.f.dwelling[single] == 0


@pytest.mark.parametrize("matching", [False, True])
def test_neighbourhood_matching_keeps_vulnerable_tenants_out_of_a_full_zone(
        matching: bool) -> None:
    """Zone 0 houses four tenants with extensive needs in its five dwellings, zone 1 none in
    its five (the town's share 0.4): with matching, the vacant dwelling of zone 0 goes to a
    family without such needs although the office's priority ranks the vulnerable family
    first; without, to the vulnerable family."""
    m = make("policy.allocation.priority=need", "policy.allocation.zone_needs_margin=0.2",
             f"policy.allocation.neighbourhood_matching={str(matching).lower()}",
             "dwellings.zones=2", dwellings=10)
    m.stock.zone[:] = [0] * 5 + [1] * 5
    for d in range(4):
        house(m, add(m, need=NEED_EXTENSIVE), d)
    for d in range(5, 10):
        house(m, add(m), d)
    vulnerable = add(m, tenure=HOMELESS, need=NEED_EXTENSIVE)
    other = add(m, tenure=HOMELESS)
    _waiting(m, vulnerable, other)
    assert municipal.zones_full(m).tolist() == [[True, False]]
    municipal.allocate(m)
    winner, loser = (other, vulnerable) if matching else (vulnerable, other)
    assert m.f.dwelling[winner] == 4 and m.f.tenure[loser] == HOMELESS


def test_a_tenant_lives_in_its_dwelling_s_rooms_and_zone_and_leaves_them_on_moving() -> None:
    """Placed in a dwelling, a family's home is the dwelling's; moving out to homelessness
    leaves it without a home and the dwelling vacant."""
    m = make(dwellings=1)
    i = add(m, tenure=HOMELESS)
    house(m, i, 0)
    assert m.f.home_rooms[i] == m.stock.rooms[0] and m.f.home_zone[i] == m.stock.zone[0]
    municipal.move_out(m, i, HOMELESS)
    assert m.f.home_rooms[i] == 0 and m.f.home_zone[i] == -1 and m.stock.occupant[0] == -1


def test_the_stock_has_the_scenario_s_shares_and_clustering() -> None:
    """A large stock has the rooms and standard of its shares, and zone 0 holds the clustering
    share beyond an even spread; bought dwellings have the rooms the policy buys."""
    p = make(dwellings=0).p | {"stock.initial_clustering": 0.4, "dwellings.zones": 4,
                               "stock.acquire_rooms": 5, "stock.acquire_clustering": 1.0}
    stock = Dwellings(4000, 0, 1, [p])
    weights = np.array([p[f"stock.share_{r}_rooms"] for r in range(1, 6)])
    rooms = np.bincount(stock.rooms, minlength=6)[1:] / 4000
    assert rooms == pytest.approx(weights / weights.sum(), abs=0.002)
    assert stock.poor.mean() == pytest.approx(p["stock.poor_share"], abs=0.002)
    zones = np.bincount(stock.zone, minlength=4) / 4000
    assert zones == pytest.approx([0.4 + 0.6 / 4] + [0.6 / 4] * 3, abs=0.002)
    stock.add(0, 10, month=5, town=0, params=p)
    assert (stock.rooms[-10:] == 5).all() and (stock.zone[-10:] == 0).all()
    assert not stock.poor[-10:].any()


def test_dissimilarity_is_zero_for_alike_spreads_and_one_for_separate_ones() -> None:
    """Duncan and Duncan's index: 0 when the two groups are spread alike, 1 when they share no
    zone, one half when half of one group would have to move."""
    assert homes.dissimilarity(np.array([10.0, 20.0]), np.array([100.0, 200.0])) == 0.0
    assert homes.dissimilarity(np.array([10.0, 0.0]), np.array([0.0, 50.0])) == 1.0
    assert homes.dissimilarity(np.array([10.0, 0.0]), np.array([5.0, 5.0])) == 0.5
    assert homes.dissimilarity(np.zeros(3), np.ones(3)) == 0.0


# ---------------------------------------------------------------------- directions in whole runs
def _runs(path: str, overrides: list[str], seeds: range, years: int = 6) -> np.ndarray:
    sc = load_scenario(ROOT / path, years=years, burn_in=2, overrides=overrides)
    return np.array([HousingModel(sc, rng=s).run() for s in seeds])


def test_buying_large_units_shortens_large_families_waits() -> None:
    """A municipality buying ten five-room houses a year has fewer large families waiting over
    six years than one buying as many one-room flats, with the same seeds."""
    buy = ["stock.acquire_per_year=10"]
    large = _runs("scenarios/baseline.toml", [*buy, "stock.acquire_rooms=5"], range(4))
    small = _runs("scenarios/baseline.toml", [*buy, "stock.acquire_rooms=1"], range(4))
    k = INDEX["large_families_waiting"]
    assert large[:, :, k].sum() < 0.8 * small[:, :, k].sum()


def test_clustering_the_stock_raises_the_concentration_index() -> None:
    """All municipal dwellings in one neighbourhood concentrate the families more than a stock
    spread evenly, in every month of every replication."""
    clustered = _runs("scenarios/verdal.toml", ["stock.initial_clustering=1.0"], range(3), 3)
    spread = _runs("scenarios/verdal.toml", ["stock.initial_clustering=0.0"], range(3), 3)
    k = INDEX["concentration_index"]
    assert (clustered[:, :, k] > spread[:, :, k] + 0.05).all()


def test_crowded_families_looking_for_room_move_more() -> None:
    """Children move more where crowded renters look for a larger home than where they never
    do."""
    looking = _runs("scenarios/baseline.toml", ["dwellings.crowded_search_rate=0.5"], range(3))
    staying = _runs("scenarios/baseline.toml", ["dwellings.crowded_search_rate=0.0"], range(3))
    k, c = INDEX["child_moves"], INDEX["children_crowded"]
    assert looking[:, :, k].sum() > staying[:, :, k].sum()
    assert looking[:, :, c].sum() < staying[:, :, c].sum()
