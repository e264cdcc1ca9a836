"""The market (:mod:`sim.engine.processes.market`): the month's interest rates, and floating loans
that follow them.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from process_helpers import BASELINE, add, make

from sim.engine.families import OWNER_BANK, OWNER_STARTLOAN, PRIVATE
from sim.engine.finance import annuity_payment
from sim.engine.model import HousingModel
from sim.engine.processes import market, ownership
from sim.inputs.indicators import INDEX
from sim.inputs.rates import rates_at
from sim.inputs.scenario import Phase, load_scenario

#: A month of 2022 in the baseline's calendar (it starts in 2012-01).
JULY_2022 = 126


def test_the_month_s_rates_follow_the_path() -> None:
    """The history path gives each month its rates from the series; the constant path the
    registry levels; a shift is added to both rates, and no rate falls below 0."""
    m = make(years=13)
    assert m.market.bank_rate == rates_at("2012-01").bank
    m.month = JULY_2022
    market.set_rates(m)
    assert (m.market.bank_rate, m.market.husbanken_rate) == (
        rates_at("2022-07").bank, rates_at("2022-07").husbanken)
    m = make("market.rate_path=constant", "market.bank_rate=0.05", "market.husbanken_rate=0.01",
             "market.rate_shift=-0.02")
    assert (m.market.bank_rate, m.market.husbanken_rate) == pytest.approx((0.03, 0.0))


def _owners(m) -> dict[str, np.ndarray]:
    """A bank owner, a floating and a fixed start-loan owner, and a floating start-loan owner in
    an interest-only period, each owing 1,000,000 over 300 months at the month's rates."""
    bank, startloan = m.market.loan_rates
    fixed_rate = startloan + m.p["policy.startloan.fixed_premium"]
    loan = {"loan_principal": 1_000_000.0, "loan_months": 300, "price_paid": 1.2e6}
    return {
        "bank": add(m, tenure=OWNER_BANK, loan_rate=bank,
                    loan_payment=annuity_payment(1e6, bank, 300), **loan),
        "floating": add(m, tenure=OWNER_STARTLOAN, loan_rate=startloan,
                        loan_payment=annuity_payment(1e6, startloan, 300), **loan),
        "fixed": add(m, tenure=OWNER_STARTLOAN, loan_rate=fixed_rate, loan_fixed=True,
                     loan_payment=annuity_payment(1e6, fixed_rate, 300), **loan),
        "relief": add(m, tenure=OWNER_STARTLOAN, loan_rate=startloan, relief_until=6,
                      loan_payment=1e6 * startloan / 12, **loan),
    }


def test_floating_loans_follow_a_rise_and_a_fixed_loan_does_not() -> None:
    """Two percentage points more from this month: the bank and floating start loans carry the
    new rate and pay the annuity on it over the months left, the loan in an interest-only
    period pays the new interest, and the fixed-rate start loan keeps rate and payment."""
    m = make("market.rate_path=constant", "market.bank_rate=0.03", "market.husbanken_rate=0.02",
             "policy.startloan.margin=0.0025")
    fams = _owners(m)
    before = m.f.loan_payment.copy()
    m.p["market.rate_shift"] = 0.02
    market.step(m)
    f = m.f
    assert f.loan_rate[fams["bank"]] == pytest.approx(0.05)
    assert f.loan_payment[fams["bank"]] == pytest.approx(annuity_payment(1e6, 0.05, 300))
    assert f.loan_rate[fams["floating"]] == pytest.approx(0.0425)
    assert f.loan_payment[fams["floating"]] == pytest.approx(annuity_payment(1e6, 0.0425, 300))
    assert f.loan_payment[fams["relief"]] == pytest.approx(1e6 * 0.0425 / 12)
    for name in ("bank", "floating", "relief"):
        assert f.loan_payment[fams[name]] > before[fams[name]], name
    premium = m.p["policy.startloan.fixed_premium"]
    assert f.loan_rate[fams["fixed"]] == pytest.approx(0.0225 + premium)
    assert f.loan_payment[fams["fixed"]] == before[fams["fixed"]]


def test_loans_are_left_alone_in_a_month_the_rates_do_not_move() -> None:
    m = make("market.rate_path=constant")
    fams = _owners(m)
    m.f.loan_principal[fams["bank"]] = 500_000.0  # a new payment would differ from the old
    before = m.f.loan_payment.copy()
    market.step(m)
    np.testing.assert_array_equal(m.f.loan_payment, before)


def test_purchases_borrow_at_the_month_s_rate_and_mark_fixed_start_loans() -> None:
    """The initial bank owners borrowed at the first month's rate; a start loan bought in July
    2022 at a fixed rate carries that month's Husbanken rate plus margin and premium, and is
    marked fixed."""
    m = HousingModel(load_scenario(BASELINE, years=13), 1)
    f, n = m.f, m.f.n
    owners = f.active[:n] & (f.tenure[:n] == OWNER_BANK)
    assert owners.any() and np.all(f.loan_rate[:n][owners] == rates_at("2012-01").bank)
    m = make("policy.startloan.fixed_rate=true", "ownership.purchase_success=1.0", years=13)
    m.month = JULY_2022
    market.set_rates(m)
    i = add(m, tenure=PRIVATE, approved_until=JULY_2022, approved_kind=OWNER_STARTLOAN,
            approved_loan=1e6, approved_price=1e6)
    ownership.purchase(m, np.zeros(m.f.n))
    p = m.p
    expected = (rates_at("2022-07").husbanken + p["policy.startloan.margin"]
                + p["policy.startloan.fixed_premium"])
    assert m.f.tenure[i] == OWNER_STARTLOAN and m.f.loan_fixed[i]
    assert m.f.loan_rate[i] == pytest.approx(expected)


def _forced_sales(shock: bool, seed: int) -> tuple[np.ndarray, float]:
    """A baseline town of 50,000 with many bank owners, 2012-2024; +3 percentage points on
    every rate from 2022-01 if ``shock``. Returns its history and the forced sales of
    2022-2024."""
    sc = load_scenario(BASELINE, years=13, overrides=[
        "municipality.inhabitants=50000", "population.share_owner=0.6"])
    if shock:
        shift = Phase("2022-01", "rate shock", {"market.rate_shift": 0.03})
        sc = dataclasses.replace(sc, phases=[*sc.phases, shift])
    history = HousingModel(sc, seed).run()
    return history, float(history[120:, INDEX["forced_sales"]].sum())


def test_a_rate_shock_from_2022_brings_more_forced_sales() -> None:
    """Paired runs (same seeds): the same until 2022, then more owners fall behind and must
    sell under three percentage points more."""
    calm, shocked = 0.0, 0.0
    for seed in range(3):
        a, sales_a = _forced_sales(False, seed)
        b, sales_b = _forced_sales(True, seed)
        np.testing.assert_array_equal(a[:120], b[:120])
        calm, shocked = calm + sales_a, shocked + sales_b
    assert shocked > calm + 5


def test_with_the_constant_path_every_bank_loan_carries_the_constant_rate() -> None:
    """The constant path moves no loan: all through a run every bank owner pays
    ``market.bank_rate``."""
    m = HousingModel(load_scenario(BASELINE, years=3, overrides=["market.rate_path=constant"]), 2)
    while m.month < m.months:
        m.step()
        f, n = m.f, m.f.n
        bank = f.active[:n] & (f.tenure[:n] == OWNER_BANK)
        assert np.all(f.loan_rate[:n][bank] == m.p["market.bank_rate"])


def test_the_rates_follow_the_calendar_through_a_burn_in() -> None:
    """With a burn-in the clock starts years before the scenario's start: the rates of the
    first reported month are those of the start's calendar month, not of a month later."""
    from process_helpers import BASELINE

    from sim.engine.model import HousingModel
    from sim.inputs.calendar import parse_month
    from sim.inputs.rates import rates_at
    from sim.inputs.scenario import load_scenario

    sc = load_scenario(BASELINE, years=1, burn_in=2)
    m = HousingModel(sc, 1)
    m.settle()  # the burn-in only
    m.step()  # the first reported month
    assert m.market.bank_rate == rates_at(parse_month(sc.start)).bank


def test_prices_and_rents_stand_still_through_the_burn_in() -> None:
    """The indices are 1 when the first reported month begins, however long the burn-in, and
    move from then on: a 24-year burn-in at 2 % real growth would otherwise raise prices by
    60 % against incomes that do not grow."""
    sc = load_scenario(BASELINE, years=1, burn_in=3,
                       overrides=["market.price_growth=0.1", "market.rent_growth=0.1"])
    m = HousingModel(sc, 1)
    m.settle()
    assert (m.market.price_index, m.market.rent_index) == (1.0, 1.0)
    m.run()
    assert m.market.price_index != 1.0 and m.market.rent_index != 1.0
