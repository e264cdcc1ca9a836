"""The start-loan desk (:mod:`sim.engine.processes.startloan`): income and remark rules, the
children's share of the budget, grants.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import numpy as np
import pytest
from process_helpers import (
    STABLE,
    _buyer,
    make,
    set_incomes,
    size,
)

from sim.engine.families import (
    MUNICIPAL,
    OWNER_STARTLOAN,
    PRIVATE,
)
from sim.engine.finance import annuity_payment
from sim.engine.processes import (
    market,
    ownership,
    startloan,
)
from sim.inputs.rates import rates_at


def test_startloan_for_family_the_bank_refuses() -> None:
    """A tenant in a temporary job is refused by the bank, but with a stable-income rule and
    actual spending the start-loan desk approves a full loan; the family then buys: start-loan
    owner, loan equal to the price, municipal dwelling vacated, purchase counted."""
    m = make(*STABLE, "ownership.purchase_success=1.0")
    i = _buyer(m)
    set_incomes(m)
    assert not ownership.bank_assessment(m, i)[0][0]
    ownership.apply_for_loans(m, i, np.zeros(1))
    f, p = m.f, m.p
    assert f.approved_kind[i] == OWNER_STARTLOAN
    assert f.approved_until[i] == m.month + p["ownership.approval_months"]
    assert m.flows["startloan_applications"] == 1 and m.flows["startloans_granted"] == 1
    price = p["market.price"] * size(m, 1)
    assert f.approved_loan[i] == pytest.approx(price)
    ownership.purchase(m, np.zeros(m.f.n))
    assert f.tenure[i] == OWNER_STARTLOAN
    assert f.loan_principal[i] == pytest.approx(price) and f.loan_principal[i] > 0
    rate = startloan.rate(p, m.market.husbanken_rate)
    assert f.loan_payment[i] == pytest.approx(annuity_payment(price, rate, 30 * 12))
    assert f.dwelling[i] == -1 and m.stock.occupant[0] == -1
    assert m.flows["purchases"] == 1 and m.flows["moves_out_of_municipal"] == 1
    assert m.flows["startloan_lent_nok"] == pytest.approx(price)
    assert f.approved_until[i] == -1


def test_startloan_refused_under_permanent_job_rule() -> None:
    """The same family is refused when the municipality requires a permanent job."""
    m = make("policy.startloan.income_requirement=permanent_job",
             "policy.startloan.budget_standard=actual", "ownership.purchase_success=1.0")
    i = _buyer(m)
    set_incomes(m)
    ownership.apply_for_loans(m, i, np.zeros(1))
    assert m.f.approved_until[i] == -1
    assert m.flows["startloan_applications"] == 1 and m.flows["startloans_granted"] == 0
    ownership.purchase(m, np.zeros(m.f.n))
    assert m.f.tenure[i] == MUNICIPAL and m.flows["purchases"] == 0


@pytest.mark.parametrize(("after_counselling", "cleared", "granted"), [
    (False, False, False),
    (False, True, False),
    (True, False, False),
    (True, True, True),
])
def test_payment_remarks_block_start_loan_unless_cleared(after_counselling: bool,
                                                         cleared: bool, granted: bool) -> None:
    """Payment remarks block a start loan, unless the municipality accepts remarks once debt
    counselling has cleared the debt problems and it has."""
    flag = "true" if after_counselling else "false"
    m = make(*STABLE, f"policy.startloan.remarks_after_counselling={flag}")
    i = _buyer(m, remark=True, cleared=cleared)
    set_incomes(m)
    ownership.apply_for_loans(m, i, np.zeros(1))
    assert m.flows["startloans_granted"] == int(granted)
    assert (m.f.approved_kind[i] == OWNER_STARTLOAN) == granted


@pytest.mark.parametrize(("children_share", "winner"), [(0.5, "kids"), (0.0, "no_kids")])
def test_children_share_of_start_loans(children_share: float, winner: str) -> None:
    """With a budget of 3 million NOK a year, room for one loan only, and at least half of the
    year's loans to families with children: only the family with children is granted, although
    the family without children applied first. Without the quota the first applicant gets it."""
    m = make(*STABLE, "policy.startloan.budget_per_1000=200000",
             f"policy.startloan.children_share={children_share}", dwellings=0)
    fams = {"no_kids": _buyer(m, dwelling=None, tenure=PRIVATE),
            "kids": _buyer(m, dwelling=None, tenure=PRIVATE, children=(5.0,))}
    set_incomes(m)
    idx = np.concatenate(list(fams.values()))
    assert startloan.assess(m, idx)[0].all()  # both pass on their own
    ownership.apply_for_loans(m, idx, np.array([0.1, 0.9]))  # no_kids comes first
    granted = {k: bool(m.f.approved_until[i][0] >= 0) for k, i in fams.items()}
    assert granted == {k: k == winner for k in fams}
    assert m.flows["startloans_granted"] == 1
    assert m.flows["startloans_granted_children"] == int(winner == "kids")


@pytest.mark.parametrize("grant_max", [0.0, 300000.0])
def test_grant_closes_a_small_gap(grant_max: float) -> None:
    """A family whose income carries a loan somewhat below the price is refused without grants;
    with grants up to 300,000 it is approved for the loan it can carry plus a grant closing the
    gap, and the grant is paid (grants_nok) when it buys."""
    m = make(*STABLE, f"policy.startloan.grant_max={grant_max}",
             "ownership.purchase_success=1.0", dwellings=0)
    i = _buyer(m, dwelling=None, tenure=PRIVATE, wage=29000.0)
    set_incomes(m)
    price = m.p["market.price"] * size(m, 1)
    ownership.apply_for_loans(m, i, np.zeros(1))
    f = m.f
    if grant_max == 0:
        assert f.approved_until[i] == -1 and m.flows["startloans_granted"] == 0
        return
    grant = float(f.approved_grant[i][0])
    assert 0 < grant <= grant_max
    assert f.approved_loan[i] + grant == pytest.approx(price)
    ownership.purchase(m, np.zeros(m.f.n))
    assert f.tenure[i] == OWNER_STARTLOAN and f.grant[i] == pytest.approx(grant)
    assert f.loan_principal[i] == pytest.approx(price - grant)
    assert m.flows["grants_nok"] == pytest.approx(grant)


def test_the_desk_assesses_at_the_month_s_husbanken_rate() -> None:
    """A single adult in a temporary job earning 32,000 a month gets a start loan under a
    stable-income practice in July 2021 (Husbanken's rate 0.81 %) but not in June 2024
    (4.55 %): the desk tests the month's rate plus margin and stress add-on."""
    verdicts = []
    for month, date in ((114, "2021-07"), (149, "2024-06")):
        m = make(*STABLE, years=13)
        i = _buyer(m, wage=32000.0)
        set_incomes(m)
        m.month = month
        market.set_rates(m)
        assert m.market.husbanken_rate == rates_at(date).husbanken
        verdicts.append(bool(startloan.assess(m, i)[0][0]))
    assert verdicts == [True, False]
