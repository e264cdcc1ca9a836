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
    m = make(*QUIET, dwellings=1, force={"demography.outmigration_rate": 1.0})
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
