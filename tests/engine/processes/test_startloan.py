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
    add,
    make,
    set_incomes,
    size,
)

from sim.engine.families import (
    HOMELESS,
    MUNICIPAL,
    OWNER_BANK,
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
    rate = m.market.husbanken_rate + p["policy.startloan.margin"]  # floating: no premium
    assert startloan.rate(m, np.array([i])) == pytest.approx(rate)
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


def test_the_children_share_is_a_priority_not_a_refusal() -> None:
    """With room for both loans, a share to work towards refuses no one: the family without
    children gets its loan too (Malvik's 50 % stopped every childless applicant when it was a
    quota)."""
    m = make(*STABLE, "policy.startloan.children_share=1.0", dwellings=0)
    fams = [_buyer(m, dwelling=None, tenure=PRIVATE),
            _buyer(m, dwelling=None, tenure=PRIVATE, children=(5.0,))]
    set_incomes(m)
    ownership.apply_for_loans(m, np.concatenate(fams), np.array([0.1, 0.9]))
    assert all(m.f.approved_until[i][0] >= 0 for i in fams)
    assert m.flows["startloans_granted"] == 2 and m.flows["startloans_granted_children"] == 1


def test_a_refused_family_applies_again_after_the_wait_or_when_its_situation_changes() -> None:
    """The desk counts an application each time it assesses one and each family once; a
    family it refused (here: no work) is not assessed again until
    ``policy.startloan.reapply_months`` have passed or it finds work."""
    m = make(*STABLE, "policy.startloan.reapply_months=12", dwellings=0)
    i = add(m, tenure=PRIVATE, employed=False, disability=False)
    set_incomes(m)

    def apply(month: int) -> int:
        m.month = month
        m.flows["startloan_applications"] = m.flows["startloan_applicants"] = 0.0
        ownership.apply_for_loans(m, i, np.array([0.5]))
        return int(m.flows["startloan_applications"])

    assert apply(0) == 1 and m.flows["startloan_applicants"] == 1
    assert apply(5) == 0  # refused five months ago, nothing changed
    assert apply(12) == 1 and m.flows["startloan_applicants"] == 0  # an old applicant again
    m.f.employed[i] = True  # found work: the desk looks again at once
    assert apply(13) == 1


@pytest.mark.parametrize("refinance", [False, True])
def test_an_owner_halfway_to_a_forced_sale_is_refinanced_where_the_practice_allows(
        refinance: bool) -> None:
    """A bank owner four months behind (the lender forces a sale at six) whose income carries
    the loan over the desk's longer term keeps the home with a start loan of what it owes,
    its arrears folded in; without refinancing the arrears stay and the sale follows."""
    m = make(*STABLE, f"policy.startloan.refinance={str(refinance).lower()}",
             "policy.startloan.term_years=50", dwellings=0)
    payment = 12000.0
    i = add(m, tenure=OWNER_BANK, employed=True, permanent=True, wage=40000.0,
            loan_principal=1_500_000.0, loan_rate=0.05, loan_months=240,
            loan_payment=payment, loan_arrears=4 * payment, price_paid=2_000_000.0)
    set_incomes(m)
    ownership.defaults(m, np.array([0.5]))
    if refinance:
        assert m.f.tenure[i][0] == OWNER_STARTLOAN
        assert m.f.loan_principal[i][0] == pytest.approx(1_500_000.0 + 4 * payment)
        assert m.f.loan_arrears[i][0] == 0.0 and m.f.loan_payment[i][0] < payment
        assert m.flows["startloans_refinanced"] == 1 == m.flows["startloans_granted"]
    else:
        assert m.f.tenure[i][0] == OWNER_BANK and m.f.loan_arrears[i][0] == 4 * payment
        assert m.flows["startloans_refinanced"] == 0


@pytest.mark.parametrize("refer", [False, True])
def test_families_with_children_asking_for_help_go_straight_to_the_desk(refer: bool) -> None:
    """Where the municipality refers them (Verdal), a homeless family with children and
    income applies to the desk this month, whatever its own wish to buy; elsewhere it does
    not (its own rate of trying is zero here)."""
    m = make(*STABLE, "ownership.consider_rate=0.0", "ownership.purchase_success=0.0",
             f"policy.startloan.refer_children={str(refer).lower()}", dwellings=0)
    add(m, tenure=HOMELESS, employed=True, wage=45000.0, children=(4.0,))
    add(m, tenure=HOMELESS, employed=True, wage=45000.0)  # no children: never referred
    set_incomes(m)
    ownership.step(m)
    assert m.flows["startloan_applications"] == int(refer)


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
