"""Ownership (:mod:`sim.engine.processes.ownership`): the bank, forced sales and their losses,
payment relief.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import numpy as np
import pytest
from process_helpers import (
    _buyer,
    add,
    make,
    set_incomes,
    size,
)

from sim.engine.families import (
    HOMELESS,
    OWNER_BANK,
    OWNER_STARTLOAN,
    PRIVATE,
)
from sim.engine.finance import annuity_payment
from sim.engine.model import HousingModel
from sim.engine.processes import (
    market,
    ownership,
    search,
)
from sim.inputs.rates import rates_at


def test_bank_approval_gives_bank_ownership() -> None:
    """A family with a permanent job and 400,000 of savings passes the bank's test: it buys with
    an ordinary mortgage (owner_bank), its savings pay the down payment, and no start loan is
    applied for."""
    m = make("ownership.purchase_success=1.0")
    i = _buyer(m, permanent=True, savings=400000.0)
    set_incomes(m)
    ownership.apply_for_loans(m, i, np.zeros(1))
    assert m.f.approved_kind[i] == OWNER_BANK
    assert m.flows["startloan_applications"] == 0
    ownership.purchase(m, np.zeros(m.f.n))
    f, p = m.f, m.p
    price = p["market.price"] * size(m, 1)
    assert f.tenure[i] == OWNER_BANK
    assert f.loan_principal[i] == pytest.approx(price - 400000.0)
    assert f.loan_rate[i] == pytest.approx(m.market.bank_rate) == rates_at("2012-01").bank
    assert f.savings[i] == pytest.approx(0.0)
    assert m.flows["startloan_lent_nok"] == 0 and m.flows["purchases"] == 1


def test_a_buyer_whose_savings_fell_below_the_down_payment_cannot_close() -> None:
    """The equity is paid at closing. A family approved with 400,000 of savings that has since
    spent 50,000 of it cannot pay the down payment: it does not buy, keeps its savings and
    its approval, and buys once it has saved the difference again. (A mutant that lets it buy
    and clips its savings at zero makes the missing 50,000 vanish from the ledger.)"""
    m = make("ownership.purchase_success=1.0")
    i = _buyer(m, permanent=True, savings=400000.0)
    set_incomes(m)
    ownership.apply_for_loans(m, i, np.zeros(1))
    assert m.f.approved_kind[i] == OWNER_BANK
    m.f.savings[i] = 350000.0
    ownership.purchase(m, np.zeros(m.f.n))
    f = m.f
    assert f.tenure[i] != OWNER_BANK and m.flows["purchases"] == 0
    assert f.savings[i] == pytest.approx(350000.0) and f.transfers[i] == 0.0
    assert f.approved_until[i] >= m.month
    f.savings[i] = 400000.0
    ownership.purchase(m, np.zeros(m.f.n))
    assert f.tenure[i] == OWNER_BANK and f.savings[i] == pytest.approx(0.0)
    assert f.transfers[i] == pytest.approx(-400000.0)


def _owner(m: HousingModel, tenure: int, *, principal: float, price: float,
           months_behind: float, grant: float = 0.0) -> np.ndarray:
    payment = 10000.0
    return add(m, tenure=tenure, loan_principal=principal, loan_payment=payment,
               loan_rate=0.0225, loan_months=300, loan_arrears=months_behind * payment,
               price_paid=price, price_index_paid=1.0, grant=grant,
               grant_month=0 if grant else -1)


def test_forced_sale_of_defaulting_owners_and_loss_split() -> None:
    """Owners six months behind are forced to sell (here at once: the petition, then the
    month's search, which finds them no landlord) and become homeless with a remark. The loss
    on the start loan (principal + arrears + costs - discounted price) is counted, 25 % of it
    for the municipality; a bank owner's loss is not a start-loan loss; an owner five months
    behind keeps the home."""
    m = make("ownership.forced_sale_months=0", dwellings=0, force={"market.search_success": 0.0})
    p = m.p
    assert p["ownership.default_after"] == 6
    sl = _owner(m, OWNER_STARTLOAN, principal=2.0e6, price=1.8e6, months_behind=6)
    bank = _owner(m, OWNER_BANK, principal=2.0e6, price=1.8e6, months_behind=7)
    fine = _owner(m, OWNER_STARTLOAN, principal=2.0e6, price=1.8e6, months_behind=5)
    ownership.defaults(m, np.zeros(m.f.n))
    search.step(m)
    f = m.f
    sale = 1.8e6 * (1 - p["market.forced_sale_discount"])
    loss = 2.0e6 + 60000.0 + p["market.sale_costs"] - sale
    assert loss == pytest.approx(580000.0)
    for i in (sl, bank):
        assert f.tenure[i] == HOMELESS and f.remark[i]
        assert f.loan_principal[i] == 0 and f.loan_arrears[i] == 0 and f.loan_payment[i] == 0
    assert f.tenure[fine] == OWNER_STARTLOAN and f.loan_principal[fine] == 2.0e6
    assert m.flows["forced_sales"] == 2
    assert m.flows["startloan_losses_nok"] == pytest.approx(loss)
    assert m.flows["startloan_losses_municipal_nok"] == pytest.approx(0.25 * loss)


def test_forced_sale_with_equity_reclaims_the_grant() -> None:
    """A defaulting owner with equity loses nothing for the lenders; what is left after the sale
    goes to savings, less the part of the establishment grant not yet written off."""
    m = make("ownership.forced_sale_months=0", dwellings=0, force={"market.search_success": 0.0})
    p = m.p
    i = _owner(m, OWNER_STARTLOAN, principal=1.0e6, price=3.0e6, months_behind=6,
               grant=100000.0)
    m.month = 24  # two of twenty write-off years have passed
    ownership.defaults(m, np.zeros(m.f.n))
    search.step(m)
    left = 3.0e6 * (1 - p["market.forced_sale_discount"]) - p["market.sale_costs"] - 1.0e6 - 6e4
    reclaimed = 100000.0 * (1 - 2 / p["policy.startloan.grant_writeoff_years"])
    assert m.flows["startloan_losses_nok"] == 0
    assert m.f.savings[i] == pytest.approx(left - reclaimed)
    assert m.flows["grants_nok"] == pytest.approx(-reclaimed)


def test_a_forced_sale_takes_its_months_and_the_family_lives_in_the_home_meanwhile() -> None:
    """The petition is a notice to move at the sale, four months on: the owners keep the home
    and the loan until then; one who pays its arrears down stops the sale; at the sale the one
    still in the home, who found no landlord, becomes homeless."""
    m = make("ownership.forced_sale_months=4", dwellings=0, force={"market.search_success": 0.0})
    stays = _owner(m, OWNER_BANK, principal=2.0e6, price=1.8e6, months_behind=6)
    pays = _owner(m, OWNER_BANK, principal=2.0e6, price=1.8e6, months_behind=6)
    f = m.f
    m.month = 10
    ownership.defaults(m, np.zeros(f.n))
    search.step(m)
    assert list(f.exit_by[[stays[0], pays[0]]]) == [14, 14]
    assert f.tenure[stays] == OWNER_BANK and f.loan_principal[stays] == 2.0e6
    assert m.flows["forced_sales"] == 0
    f.loan_arrears[pays] = 20000.0  # two months behind: paid and stopped
    for m.month in range(11, 15):
        ownership.defaults(m, np.zeros(f.n))
        search.step(m)
        assert f.tenure[stays] == (HOMELESS if m.month == 14 else OWNER_BANK)
    assert f.remark[stays] and f.loan_principal[stays] == 0 and f.exit_by[stays] == -1
    assert f.tenure[pays] == OWNER_BANK and f.exit_by[pays] == -1
    assert m.flows["forced_sales"] == 1


def test_an_owner_who_finds_a_rental_before_the_sale_moves_there() -> None:
    """During the sale's months the family searches like any family that must move; one that
    finds a landlord moves to private rental and the sale is completed then, not made
    homeless."""
    m = make("ownership.forced_sale_months=4", dwellings=0, force={"market.search_success": 1.0})
    i = _owner(m, OWNER_BANK, principal=1.0e6, price=1.8e6, months_behind=6)
    f = m.f
    f.employed[i] = f.permanent[i] = True
    set_incomes(m)
    ownership.defaults(m, np.zeros(f.n))
    assert f.tenure[i] == OWNER_BANK and f.exit_by[i] == 4
    search.step(m)
    assert f.tenure[i] == PRIVATE and f.exit_by[i] == -1
    assert f.loan_principal[i] == 0 and f.remark[i] and f.savings[i] > 0
    assert m.flows["forced_sales"] == 1


@pytest.mark.parametrize("relief", [True, False])
def test_start_loan_owner_in_arrears_gets_interest_only_relief(relief: bool) -> None:
    """A start-loan owner who falls behind pays interest only for a while (Husbanken allows
    it), which lowers the payment; without the policy the annuity stays."""
    m = make(f"policy.startloan.payment_relief={str(relief).lower()}",
             "ownership.interest_only_months=12")
    i = add(m, tenure=OWNER_STARTLOAN, loan_principal=1_000_000.0, loan_rate=0.03,
            loan_months=300, loan_payment=4742.0, loan_arrears=4742.0, price_paid=1.2e6)
    ownership.relief(m)
    expected = 1_000_000.0 * 0.03 / 12 if relief else 4742.0
    assert m.f.loan_payment[i] == pytest.approx(expected)
    if relief:
        m.month = 12
        ownership.relief(m)
        assert m.f.loan_payment[i] == pytest.approx(annuity_payment(1_000_000.0, 0.03, 300))


def test_the_bank_stress_tests_at_the_month_s_rate() -> None:
    """A family with a permanent job earning 38,000 a month and 400,000 of savings passes the
    bank's test in June 2016 (mortgage rate 2.47 %, stressed 7.47 %) and fails it in June 2024
    (5.77 %, stressed 10.77 %): the test uses the month's rate."""
    verdicts = []
    for month, date in ((53, "2016-06"), (149, "2024-06")):
        m = make(years=13)
        i = _buyer(m, permanent=True, savings=400000.0, wage=38000.0)
        set_incomes(m)
        m.month = month
        market.set_rates(m)
        assert m.market.bank_rate == rates_at(date).bank
        verdicts.append(bool(ownership.bank_assessment(m, i)[0][0]))
    assert verdicts == [True, False]


def test_a_bank_defers_instalments_only_for_a_temporary_loss_of_income() -> None:
    """A bank owner in arrears who is in work or draws unemployment benefit pays interest only
    for ``ownership.bank_forbearance_months``, once per loan; one living on social assistance
    gets no deferral (Boliglånsforskriften (2015): for a temporary weakening only)."""
    m = make("ownership.bank_forbearance_months=6")
    loan = dict(tenure=OWNER_BANK, loan_principal=1_000_000.0, loan_rate=0.04, loan_months=300,
                loan_payment=5278.0, loan_arrears=5278.0, price_paid=1.2e6)
    jobless = add(m, ub_left=10, **loan)
    working = add(m, employed=True, **loan)
    on_sa = add(m, **loan)
    f = m.f
    ownership.relief(m)
    interest = 1_000_000.0 * 0.04 / 12
    assert f.loan_payment[jobless] == f.loan_payment[working] == pytest.approx(interest)
    assert f.loan_payment[on_sa] == pytest.approx(5278.0) and f.relief_until[on_sa] == -1
    m.month = 6  # the deferral ends: the annuity over the months left
    ownership.relief(m)
    assert f.loan_payment[jobless] == pytest.approx(annuity_payment(1_000_000.0, 0.04, 300))
    m.month = 7  # behind again: no second deferral on the same loan
    ownership.relief(m)
    assert f.loan_payment[jobless] == pytest.approx(annuity_payment(1_000_000.0, 0.04, 300))


def test_no_bank_forbearance_when_its_months_are_zero() -> None:
    m = make("ownership.bank_forbearance_months=0")
    i = add(m, employed=True, tenure=OWNER_BANK, loan_principal=1_000_000.0, loan_rate=0.04,
            loan_months=300, loan_payment=5278.0, loan_arrears=5278.0, price_paid=1.2e6)
    ownership.relief(m)
    assert m.f.loan_payment[i] == pytest.approx(5278.0) and m.f.relief_until[i] == -1
