"""Demography (:mod:`sim.engine.processes.demography`): children coming of age, moving away.

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
    EMPTY_SLOT,
    HOMELESS,
    OWNER_BANK,
    PRIVATE,
)
from sim.engine.processes import (
    demography,
)
from sim.inputs.indicators import INDEX

QUIET = ("demography.birth_rate=0.0", "demography.separation_rate=0.0",
         "demography.repartner_rate=0.0", "demography.refugee_outmigration_extra=0.0",
         "demography.refugee_families_per_10k=0.0", "demography.local_inflow_per_10k=0.0",
         "demography.single_inflow_per_10k=0.0")


def test_child_leaves_at_the_age_of_majority() -> None:
    """A child a few days short of 18 comes of age during the month and leaves the family (its
    slot is emptied); a younger sibling stays and is a month older."""
    m = make(*QUIET, "demography.outmigration_rate=0.0")
    i = add(m, children=(17.95, 10.0))
    assert m.f.n_children[i] == 2
    demography.step(m)
    f = m.f
    assert f.child_age[i, 0] == EMPTY_SLOT
    assert f.child_age[i, 1] == pytest.approx(10.0 + 1 / 12)
    assert f.n_children[i] == 1 and f.persons[i] == 2
    assert f.active[i] and m.flows["departures"] == 0 and m.flows["arrivals"] == 0


def test_outmigration_removes_families_and_vacates_dwellings() -> None:
    """With an annual out-migration rate of 1 every family moves away within the month: none is
    active, the municipal dwelling its tenant held is vacant, departures counts them."""
    m = make(*QUIET, dwellings=1, force={"demography.outmigration_rate": 1.0,
                                         "demography.owner_outmigration_rate": 1.0})
    tenant = add(m)
    house(m, tenant, 0)
    others = np.concatenate([add(m, tenure=PRIVATE),
                             add(m, tenure=OWNER_BANK, loan_principal=1e6, price_paid=2e6)])
    demography.step(m)
    f = m.f
    assert not f.active[: f.n].any()
    assert m.stock.occupant[0] == -1 and f.dwelling[tenant] == -1
    assert f.loan_principal[others[1]] == 0
    assert m.flows["departures"] == 3 and m.flows["moves_out_of_municipal"] == 1
    ind = m.indicators()
    assert ind[INDEX["families"]] == 0 and ind[INDEX["vacant_municipal"]] == 1


def test_a_separation_makes_a_new_household_that_takes_the_second_job() -> None:
    """When a couple in which both adults work separates, the children stay with one parent
    and the first job; the other adult makes a household of its own in the municipality,
    renting privately with the second job. A couple where only one works: the leaving adult
    takes the job or not, each about half the time."""
    m = make(*QUIET, "demography.outmigration_rate=0.0", force={"demography.separation_rate": 1.0})
    both = add(m, adults=2, employed=True, permanent=True, wage=30000.0, employed2=True,
               wage2=20000.0, children=(6.0,), tenure=OWNER_BANK)
    ones = add(m, 400, adults=2, employed=True, permanent=True, wage=30000.0)
    demography.step(m)
    f = m.f
    assert f.adults[both][0] == 1 and f.n_children[both][0] == 1 and f.employed[both][0]
    assert not f.employed2[both][0] and f.wage[both][0] == 30000.0
    new = np.arange(401, f.n)  # the households the leaving adults made, in order
    assert len(new) == 401 and m.flows["new_households"] == 401
    assert f.employed[new[0]] and f.wage[new[0]] == 20000.0 and not f.permanent[new[0]]
    assert (f.tenure[new] == PRIVATE).all() and (f.adults[new] == 1).all()
    assert (f.n_children[new] == 0).all() and f.active[new].all()
    took = f.employed[new[1:]]
    assert 0.4 < took.mean() < 0.6
    assert (f.employed[ones] != took).all()  # one job between the two: never both, never none
    assert (f.permanent[new[1:]] == took).all()


def test_local_families_falling_into_difficulty_include_owners_with_a_heavy_mortgage() -> None:
    """With every local newcomer an owner, each arrives owning with a bank mortgage (a loan,
    a payment, a price paid) and no rent arrears; those without work draw unemployment
    benefit, having lost their job lately."""
    m = make(*QUIET, "demography.outmigration_rate=0.0", "demography.inflow_homeless_share=0.0",
             "demography.inflow_owner_share=1.0", "demography.local_inflow_per_10k=100.0",
             "municipality.inhabitants=100000")
    for _ in range(3):
        demography.step(m)
    f, n = m.f, m.f.n
    assert n > 100
    assert (f.tenure[:n] == OWNER_BANK).all()
    assert (f.loan_principal[:n] > 0).all() and (f.loan_payment[:n] > 0).all()
    assert (f.price_paid[:n] > f.loan_principal[:n]).all() and (f.rent_arrears[:n] == 0).all()
    jobless = ~f.employed[:n]
    assert jobless.any() and (f.ub_left[:n][jobless] > 0).all()


def test_households_that_came_as_owners_move_away_at_their_own_rate() -> None:
    """Households that came as owners (``rooted``) leave at
    ``demography.owner_outmigration_rate`` whatever their tenure now, all others at
    ``demography.outmigration_rate``: with the owners' rate at zero the rooted stay, and a
    family that bought here (not rooted) leaves like a renter."""
    m = make(*QUIET, "demography.owner_outmigration_rate=0.0",
             force={"demography.outmigration_rate": 1.0})
    rooted = add(m, 50, tenure=OWNER_BANK, loan_principal=1e6, price_paid=2e6, rooted=True)
    sold = add(m, 20, tenure=PRIVATE, rooted=True)
    bought = add(m, 20, tenure=OWNER_BANK, loan_principal=1e6, price_paid=2e6)
    renters = add(m, 50, tenure=PRIVATE)
    demography.step(m)
    assert m.f.active[rooted].all() and m.f.active[sold].all()
    assert not m.f.active[renters].any() and not m.f.active[bought].any()


def test_households_leave_the_population_when_the_head_reaches_the_exit_age() -> None:
    """A household whose head turns ``demography.exit_age`` leaves in that month whatever its
    tenure or roots, and its municipal dwelling falls vacant; a head a month younger stays."""
    m = make(*QUIET, "demography.outmigration_rate=0.0", "demography.owner_outmigration_rate=0.0",
             "demography.exit_age=67")
    turning = 67 - 1 / 24  # turns 67 this month
    tenant = add(m, 1, head_age=turning)
    house(m, tenant, 0)
    owners = add(m, 30, tenure=OWNER_BANK, loan_principal=1e6, price_paid=2e6, rooted=True,
                 head_age=turning)
    young = add(m, 30, tenure=PRIVATE, head_age=turning - 1 / 12)
    demography.step(m)
    assert not m.f.active[tenant].any() and not m.f.active[owners].any()
    assert m.stock.occupant[0] == -1
    assert m.f.active[young].all()


def test_referred_single_adults_arrive_homeless_as_the_stocks_clientele() -> None:
    """Single adults with service needs (``demography.single_inflow_per_10k``) arrive homeless,
    alone, without children or work, and marked as referred by the services (``client``)."""
    m = make(*QUIET[:-1], "demography.single_inflow_per_10k=100.0",
             "municipality.inhabitants=100000", "demography.outmigration_rate=0.0",
             "demography.client_departure_rate=0.0")
    for _ in range(3):
        demography.step(m)
    f, n = m.f, m.f.n
    assert n > 100 and f.client[:n].all()
    assert (f.tenure[:n] == HOMELESS).all() and (f.adults[:n] == 1).all()
    assert (f.n_children[:n] == 0).all() and not f.employed[:n].any()


@pytest.mark.parametrize("clients_leave", [False, True])
def test_the_stocks_clientele_leaves_at_its_own_rate(clients_leave: bool) -> None:
    """Referred single adults (``client``) leave at ``demography.client_departure_rate``
    whatever the families' rate, and families at theirs whatever the clients': with one rate
    at certainty and the other at zero, exactly one of the two groups is gone after a month."""
    families_rate, clients_rate = (0.0, 1.0) if clients_leave else (1.0, 0.0)
    m = make(*QUIET, force={"demography.outmigration_rate": families_rate,
                            "demography.client_departure_rate": clients_rate})
    renters = add(m, 50, tenure=PRIVATE)
    clients = add(m, 50, tenure=PRIVATE, client=True)
    demography.step(m)
    assert not m.f.active[clients].any() if clients_leave else m.f.active[clients].all()
    assert m.f.active[renters].all() if clients_leave else not m.f.active[renters].any()
