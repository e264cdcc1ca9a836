"""The household economy (:mod:`sim.engine.processes.economy`): income, allowance, social
assistance, payments, arrears and living costs.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import numpy as np
import pytest
from process_helpers import (
    BASELINE,
    add,
    allowance_by_hand,
    house,
    make,
    set_incomes,
    size,
)

from sim.engine.families import (
    HOMELESS,
    NEED_MODERATE,
    OWNER_BANK,
    PRIVATE,
)
from sim.engine.finance import annuity_payment
from sim.engine.model import HousingModel
from sim.engine.processes import (
    economy,
)
from sim.engine.processes.stock import OWNED
from sim.inputs.indicators import INDEX
from sim.inputs.scenario import load_scenario


def test_income_covering_everything_pays_rent_and_saves() -> None:
    """A single adult in full-time work in a municipal flat pays the rent in full, gets no
    social assistance or allowance, spends between guideline and SIFO, and saves a share of
    what is left; the municipality collects the rent."""
    m = make()
    i = add(m, employed=True, wage=32000.0)
    house(m, i, 0)
    economy.step(m)
    p, f = m.p, m.f
    rooms = int(m.stock.rooms[0])  # the rent follows the dwelling's size
    rent = p["policy.rotation.rent_to_market"] * p["market.rent"] * size(m, rooms)
    assert rent == pytest.approx(0.7 * 8000 * (1 + 0.08 * (rooms - 3)))
    net = 32000.0 * (1 - p["work.tax_rate"])
    guide = p["economy.sa_single"]
    sifo = p["economy.sifo_reference"] / 2.1
    actual = guide + 0.5 * (sifo - guide)
    assert f.housing_cost[i] == pytest.approx(rent)
    assert f.net_income[i] == pytest.approx(net)
    assert f.allowance[i] == 0 and f.social_assistance[i] == 0
    assert f.rent_arrears[i] == 0 and f.debt[i] == 0 and f.missed[i] == 0
    assert f.savings[i] == pytest.approx(p["economy.saving_share"] * (net - rent - actual))
    assert m.rent_collected[OWNED] == pytest.approx(rent)
    assert m.flows["social_assistance_nok"] == 0


def test_no_income_draws_savings_above_the_buffer() -> None:
    """A family without income but with savings above the buffer gets no social assistance:
    it lives at the guideline, pays its private rent less the housing allowance out of its
    savings and falls into no arrears."""
    m = make()
    i = add(m, tenure=PRIVATE, savings=50000.0)
    economy.step(m)
    p, f = m.p, m.f
    rent = p["market.rent"] * size(m, 1)
    allow = allowance_by_hand(m, rent, 1, 0.0)
    assert allow > 0
    assert f.allowance[i] == pytest.approx(allow)
    assert f.social_assistance[i] == 0
    assert f.rent_arrears[i] == 0
    assert f.savings[i] == pytest.approx(50000.0 - (p["economy.sa_single"] + rent - allow))


def test_social_assistance_fills_the_gap_to_guideline_and_housing() -> None:
    """Social assistance tops income and allowance up to the guideline plus the housing cost:
    for a single parent with a four-year-old renting privately and a homeless couple it is
    exactly the hand-computed shortfall, both are counted as recipients and in
    social_assistance_nok, and nobody falls into arrears."""
    m = make()
    parent = add(m, tenure=PRIVATE, children=(4.0,))
    couple = add(m, tenure=HOMELESS, adults=2, savings=1000.0)  # below the buffer
    economy.step(m)
    p, f = m.p, m.f
    rent = p["market.rent"] * size(m, 2)
    allow = allowance_by_hand(m, rent, 2, 0.0)
    guide = p["economy.sa_single"] + p["economy.sa_child_0_5"]
    expected = guide + rent - p["work.child_benefit"] - allow
    assert f.social_assistance[parent] == pytest.approx(expected)
    assert f.social_assistance[couple] == pytest.approx(p["economy.sa_couple"])
    assert m.flows["social_assistance_nok"] == pytest.approx(expected + p["economy.sa_couple"])
    assert f.rent_arrears[parent] == 0 and f.debt[parent] == 0
    assert m.indicators()[INDEX["social_assistance_recipients"]] == 2


def test_social_assistance_covers_housing_only_up_to_the_norm() -> None:
    """With a housing norm at half the market rent, social assistance pays the guideline plus
    the norm; the rest of the rent goes unpaid and becomes rent arrears."""
    m = make("economy.sa_housing_norm_share=0.5")
    i = add(m, tenure=PRIVATE)
    economy.step(m)
    p, f = m.p, m.f
    rent = p["market.rent"] * size(m, 1)
    allow = allowance_by_hand(m, rent, 1, 0.0)
    assert f.social_assistance[i] == pytest.approx(p["economy.sa_single"] + rent / 2 - allow)
    assert f.rent_arrears[i] == pytest.approx(rent / 2)


def test_families_that_do_not_claim_get_no_social_assistance() -> None:
    """A family that never claims social assistance gets none however poor it is; its unpaid
    rent becomes arrears."""
    m = make()
    i = add(m, tenure=PRIVATE, sa_claimant=False)
    economy.step(m)
    assert m.f.social_assistance[i] == 0 and m.flows["social_assistance_nok"] == 0
    assert m.f.rent_arrears[i] == pytest.approx(m.p["market.rent"] * size(m, 1))


@pytest.mark.parametrize("covers", [True, False])
def test_nav_covers_the_rent_arrears_of_families_it_supports(covers: bool) -> None:
    """A municipal tenant on social assistance with 12,000 of old rent arrears has them paid by
    NAV (counted as social assistance and as arrears settled, and collected as rent), unless
    the municipality's NAV does not cover arrears."""
    m = make(f"economy.sa_covers_arrears={'true' if covers else 'false'}")
    i = add(m, rent_arrears=12000.0)
    house(m, i, 0)
    economy.step(m)
    f = m.f
    sa = float(f.social_assistance[i][0])
    assert sa > 0
    rent = float(f.housing_cost[i][0])
    if covers:
        assert f.rent_arrears[i] == 0
        assert m.flows["social_assistance_nok"] == pytest.approx(sa + 12000.0)
        assert m.flows["arrears_settled_nok"] == pytest.approx(12000.0)
        assert m.rent_collected[OWNED] == pytest.approx(rent + 12000.0)
    else:
        assert f.rent_arrears[i] == pytest.approx(12000.0)
        assert m.flows["social_assistance_nok"] == pytest.approx(sa)
        assert m.rent_collected[OWNED] == pytest.approx(rent)


def test_housing_allowance_goes_to_low_income_renters_only() -> None:
    """A renter without income gets Husbanken's allowance; one earning 80,000 a month gets
    none; housing_allowance_nok is what was paid."""
    m = make()
    low = add(m, tenure=PRIVATE, savings=100000.0)
    high = add(m, tenure=PRIVATE, employed=True, wage=80000.0)
    economy.step(m)
    f = m.f
    rent = m.p["market.rent"] * size(m, 1)
    assert f.allowance[low] == pytest.approx(allowance_by_hand(m, rent, 1, 0.0))
    assert f.allowance[low] > 0
    assert f.allowance[high] == 0
    assert m.flows["housing_allowance_nok"] == pytest.approx(float(f.allowance[low][0]))


@pytest.mark.parametrize("effect_arrears", [0.0, 1.0])
def test_payment_failures_hit_troubled_families(effect_arrears: float) -> None:
    """With payment failures certain, families with budgeting problems (moderate need or
    payment remarks) leave the rent unpaid although they could pay; a family without problems
    pays. A followed family fails only if follow-up does not help (effect_arrears=1)."""
    m = make(f"policy.followup.effect_arrears={effect_arrears}", dwellings=5,
             force={"economy.payment_failure_rate": 1.0})
    fams = {
        "untroubled": add(m, employed=True, wage=45000.0),
        "need": add(m, employed=True, wage=45000.0, need=NEED_MODERATE),
        "remark": add(m, employed=True, wage=45000.0, remark=True),
        "followed": add(m, employed=True, wage=45000.0, need=NEED_MODERATE, followed=True),
        "on_assistance": add(m, need=NEED_MODERATE),
    }
    for d, i in enumerate(fams.values()):
        house(m, i, d)
    economy.step(m)
    f = m.f
    rent = {name: float(f.housing_cost[i][0]) for name, i in fams.items()}  # by dwelling
    assert min(rent.values()) > 0
    assert f.rent_arrears[fams["untroubled"]] == 0
    assert f.rent_arrears[fams["need"]] == pytest.approx(rent["need"])
    assert f.rent_arrears[fams["remark"]] == pytest.approx(rent["remark"])
    assert f.missed[fams["need"]] == 1
    expected = rent["followed"] if effect_arrears == 1.0 else 0.0
    assert f.rent_arrears[fams["followed"]] == pytest.approx(expected)
    # NAV pays the rent of families it supports, so they have no budgeting failures
    assert f.social_assistance[fams["on_assistance"]] > 0
    assert f.rent_arrears[fams["on_assistance"]] == 0


def test_owner_with_repaid_loan_pays_only_owner_costs() -> None:
    """An owner whose loan is paid off has no more loan payments: the housing cost is the
    owner costs alone (and no loan arrears can arise from a repaid loan)."""
    m = make()
    principal, rate = 10000.0, 0.03
    i = add(m, tenure=OWNER_BANK, employed=True, permanent=True, wage=45000.0,
            loan_principal=principal, loan_rate=rate, loan_months=1,
            loan_payment=float(annuity_payment(principal, rate, 1)), price_paid=2e6)
    economy.step(m)  # the last instalment
    assert m.f.loan_principal[i] == pytest.approx(0.0, abs=1e-6)
    economy.step(m)  # the month after: nothing is owed on the loan
    assert m.f.housing_cost[i] == pytest.approx(m.p["economy.owner_costs"]), (
        "an owner keeps paying the instalment of a repaid loan")


@pytest.mark.parametrize("overrides", [
    (),
    # brisk households: births, separations and re-partnering every few years
    ("demography.birth_rate=0.3", "demography.separation_rate=0.2",
     "demography.repartner_rate=0.3"),
    # children stay to 20, so the guideline's band at 18 is crossed by ageing
    ("demography.adult_age=20",),
])
def test_kept_living_costs_are_those_computed_afresh_every_month(overrides: tuple) -> None:
    """The guideline and SIFO budget kept per family (economy.living_costs) equal a fresh
    computation after every month, also when a phase-like change of a rate comes mid-run."""
    from sim.engine.finance import sa_guideline, sifo_budget

    sc = load_scenario(BASELINE, years=6, overrides=list(overrides), burn_in=0)
    m = HousingModel(sc, rng=3)
    p, f = m.p, m.f
    for month in range(sc.months):
        if month == 30:
            p["economy.sa_child_6_10"] = p["economy.sa_child_6_10"] + 500.0
        m.step()
        n = f.n
        fresh_guide = sa_guideline(f.adults[:n], f.child_age[:n], p["economy.sa_single"],
                                   p["economy.sa_couple"], p["economy.sa_child_0_5"],
                                   p["economy.sa_child_6_10"], p["economy.sa_child_11_17"])
        w2, wc = p["economy.equivalence_second_adult"], p["economy.equivalence_child"]
        fresh_sifo = sifo_budget(f.adults[:n], f.kids[:n], p["economy.sifo_reference"],
                                 1 + w2 + 2 * wc, w2, wc)
        np.testing.assert_array_equal(f.guide[:n], fresh_guide, err_msg=f"month {month}")
        np.testing.assert_array_equal(f.sifo[:n], fresh_sifo, err_msg=f"month {month}")
    assert (f.costs_due[:f.n] > m.month).mean() > 0.5  # most are kept, not recomputed


def test_a_paid_instalment_repays_its_part_above_interest() -> None:
    """An owner who pays the month's instalment owes a month's interest on the principal, the
    rest repays it, and the term shortens by a month; with an interest-only period running
    the term waits (mutation testing found the loan's paying-down unchecked)."""
    m = make()
    principal, rate, months = 2_000_000.0, 0.05, 240
    payment = float(annuity_payment(principal, rate, months))
    kw = {"tenure": OWNER_BANK, "employed": True, "permanent": True, "wage": 90000.0,
          "loan_principal": principal, "loan_rate": rate, "loan_months": months,
          "loan_payment": payment, "price_paid": 3e6}
    paying = add(m, **kw)
    relieved = add(m, **kw, relief_until=m.month + 6)
    economy.step(m)
    f = m.f
    repaid = payment - principal * rate / 12
    assert f.loan_principal[paying] == pytest.approx(principal - repaid)
    assert f.loan_months[paying] == months - 1
    assert f.loan_months[relieved] == months


def test_payment_remarks_last_until_the_debts_are_settled() -> None:
    """A remark stays while debts remain, even in months without a missed payment; only once
    everything is settled does its clock start (docs/ODD.md 7.15, step 8)."""
    m = make()
    owing = add(m, employed=True, wage=40000.0, debt=30000.0, remark=True)
    settled = add(m, employed=True, wage=40000.0, remark=True)
    economy.step(m)
    f = m.f
    assert f.missed[owing] == 0 and f.debt[owing] > 0
    assert f.remark[owing] and f.remark_clear_at[owing] == -1
    assert f.remark[settled]
    assert f.remark_clear_at[settled] == m.month + m.p["economy.remark_clear_months"]


def test_debt_counselling_ends_after_its_months_and_its_clearing_lasts() -> None:
    """Counselling runs its months; when it ends with success the consumer debt is cleared,
    and the family stays marked as cleared in the months after (the start-loan desk reads it)."""
    m = make("economy.counselling_success=1.0")
    i = add(m, employed=True, wage=40000.0, debt=50000.0, counselling_left=2)
    f = m.f
    economy.step(m)
    assert f.counselling_left[i] == 1 and f.debt[i] > 0 and not f.cleared[i]
    economy.step(m)
    assert f.counselling_left[i] == 0 and f.debt[i] == 0 and f.cleared[i]
    economy.step(m)
    assert f.cleared[i] and f.counselling_left[i] == 0


def test_actual_spending_lies_between_the_guideline_and_sifo_by_the_spending_position() -> None:
    """A family spends its NAV guideline plus its spending position's share of what the
    SIFO budget is above it, never less than the guideline; a family plan moves the position
    by ``policy.followup.effect_plan``. Checked against the kept guideline and budget, for a
    family with a plan and one without, and one whose guideline is above the budget (found by
    mutation testing: a position divided by the plan's effect, or a floor of 1 NOK instead of
    0, had no test)."""
    m = make("policy.followup.effect_plan=0.5")
    plain, planned, poor = (add(m, 1, adults=2, spending_pos=0.6, plan=plan, children=(4.0,))
                            for plan in (False, True, False))
    guide, sifo, actual = economy.living_costs(m)
    for i, pos in ((plain, 0.6), (planned, 0.6 * 0.5)):
        assert sifo[i] > guide[i]
        assert actual[i] == pytest.approx(guide[i] + pos * (sifo[i] - guide[i]))
    m.f.guide.flags.writeable = True
    m.f.guide[poor] = sifo[poor] + 500.0  # a guideline above the budget
    m.living.values = None
    m.f.costs_due[poor] = 10**6  # kept as set
    guide, sifo, actual = economy.living_costs(m)
    assert actual[poor] == pytest.approx(guide[poor])


def test_sifo_budget_scales_the_reference_by_the_equivalence_weights() -> None:
    """The SIFO budget is the reference budget scaled by the household's equivalence scale over
    the reference family's (two adults, two children), both with the registry's weights:
    with a child weight of 0.45 a single parent with one child has 1.45 / 2.4 of the
    reference (mutation testing: the child weight dropped, so the default 0.3 was used,
    passed every test at the default)."""
    m = make("economy.equivalence_child=0.45")
    parent = add(m, children=(4.0,))
    couple = add(m, adults=2, children=(2.0, 7.0, 12.0))
    _, sifo, _ = economy.living_costs(m)
    ref = m.p["economy.sifo_reference"]
    assert sifo[parent] == pytest.approx(ref * 1.45 / 2.4)
    assert sifo[couple] == pytest.approx(ref * (1.5 + 3 * 0.45) / 2.4)


def test_a_private_lease_and_the_housing_norm_follow_the_rent_index() -> None:
    """A private tenant pays the market rent for its size, moved with the rent index, times
    its own lease's rent factor; social assistance accepts housing costs up to the norm, a
    share of the same market rent (mutation testing: the lease's factor ignored or divided,
    and the norm divided by the rent index, passed every test)."""
    m = make("economy.sa_housing_norm_share=0.9")
    m.market.rent_index = 1.1
    i = add(m, tenure=PRIVATE, rent_factor=1.2)
    economy.step(m)
    p, f = m.p, m.f
    market = p["market.rent"] * 1.1 * size(m, 1)
    rent = market * 1.2
    norm = 0.9 * market
    assert f.housing_cost[i] == pytest.approx(rent)
    allow = allowance_by_hand(m, rent, 1, 0.0)
    assert f.social_assistance[i] == pytest.approx(p["economy.sa_single"] + norm - allow)
    assert f.rent_arrears[i] == pytest.approx(rent - norm)


def test_can_afford_rent_counts_the_allowance_and_the_housing_norm() -> None:
    """A private rental is affordable when the rent less the housing allowance is at most
    ``market.max_rent_share`` of net income, or, counting on social assistance, when the rent
    is within the housing norm (at the default norm of the whole market rent, a rental at the
    market rent is, and one a percent dearer is not). A single adult earning 15,000 a month
    can afford a market rental only thanks to the allowance, and not one at twice the rent
    (mutation testing: the allowance added to the rent, a default factor of 2 and a norm
    that must be strictly above the rent passed every test)."""
    m = make()
    earner = add(m, tenure=HOMELESS, employed=True, wage=15000.0)
    idle = add(m, tenure=HOMELESS)
    set_incomes(m)
    p, f = m.p, m.f
    rent = p["market.rent"] * size(m, 1)
    allow = allowance_by_hand(m, rent, 1, 15000.0)
    share = p["market.max_rent_share"] * float(f.net_income[earner][0])
    assert rent - allow <= share < rent  # the allowance decides
    assert economy.can_afford_rent(m, earner, with_sa=False).all()
    assert not economy.can_afford_rent(m, earner, with_sa=False, factor=2.0).any()
    assert p["economy.sa_housing_norm_share"] == 1.0
    assert not economy.can_afford_rent(m, idle, with_sa=False).any()
    assert economy.can_afford_rent(m, idle).all()
    assert not economy.can_afford_rent(m, idle, factor=1.01).any()


def test_rent_collected_is_rent_paid_plus_arrears_paid_back() -> None:
    """The municipality collects from its tenants the rent they pay and the arrears they pay
    back: a tenant in work with 2,000 of old arrears pays both, one without income who does
    not claim social assistance pays nothing, and its rent becomes arrears (mutation testing:
    arrears paid back subtracted, or unpaid rent added, passed every test)."""
    m = make()
    payer = add(m, employed=True, wage=45000.0, rent_arrears=2000.0)
    idle = add(m, sa_claimant=False)
    house(m, payer, 0)
    house(m, idle, 1)
    economy.step(m)
    f = m.f
    rent = float(f.housing_cost[payer][0])
    assert f.rent_arrears[payer] == 0
    assert f.rent_arrears[idle] == pytest.approx(f.housing_cost[idle])
    assert m.rent_collected[OWNED] == pytest.approx(rent + 2000.0)


def test_an_interest_only_month_leaves_the_principal_and_the_term() -> None:
    """In an interest-only period, the last month included, the payment is the month's
    interest: the principal stays to the krone and the term waits (mutation testing: a
    repayment of at least 1 NOK, and the term counting down in the period's last month,
    passed every test)."""
    m = make()
    principal, rate, months = 2_000_000.0, 0.05, 240
    i = add(m, tenure=OWNER_BANK, employed=True, permanent=True, wage=90000.0,
            loan_principal=principal, loan_rate=rate, loan_months=months,
            relief_until=m.month, price_paid=3e6)
    f = m.f
    f.loan_payment[i] = f.loan_principal[i] * f.loan_rate[i] / 12
    economy.step(m)
    assert f.loan_arrears[i] == 0
    assert f.loan_principal[i] == principal
    assert f.loan_months[i] == months


def test_a_settled_remark_lapses_after_its_months() -> None:
    """A payment remark whose debts are all settled lapses ``economy.remark_clear_months``
    after the clock started, not a month sooner (docs/ODD.md 7.15, step 8; mutation testing:
    a clock restarted every month, or a lapse that keeps the remark, passed every test)."""
    m = make("economy.remark_clear_months=12")
    i = add(m, employed=True, wage=40000.0, remark=True)
    for month in range(12):
        m.month = month
        economy.step(m)
        assert m.f.remark[i], f"month {month}"
    m.month = 12
    economy.step(m)
    assert not m.f.remark[i]


def test_missed_months_count_afresh_after_debt_counselling_clears_the_debt() -> None:
    """Debt counselling that clears the debt also clears the count of missed months: a family
    that misses its rent the month after has missed one month, and a remark comes only after
    ``economy.remark_after_missed`` (2) months (mutation testing: a count left at 1 passed
    every test)."""
    m = make("economy.counselling_success=1.0", "economy.remark_after_missed=2")
    i = add(m, tenure=PRIVATE, employed=True, wage=40000.0, debt=50000.0, counselling_left=1,
            sa_claimant=False)
    f = m.f
    economy.step(m)
    assert f.cleared[i] and f.debt[i] == 0 and f.missed[i] == 0
    f.employed[i] = False  # no income from now on
    f.savings[i] = 0.0
    economy.step(m)
    assert f.rent_arrears[i] > 0 and f.missed[i] == 1 and not f.remark[i]
    economy.step(m)
    assert f.missed[i] == 2 and f.remark[i]


def test_colocated_follow_up_lowers_tenants_payment_failures_by_its_factor() -> None:
    """Where the housing office also follows up (``policy.allocation.with_followup``), its
    tenants fail to pay at ``policy.allocation.colocated_factor`` times the rate; others, such
    as owners, at the rate itself. With a rate of 0.5 and a factor of 0.5, about a quarter of
    100 troubled tenants and about half of 100 troubled owners fail (Røe (2018) §3.1.3;
    mutation testing: the rate divided by the factor, or owners' rate doubled, passed every
    test)."""
    k = 100
    m = make("policy.allocation.with_followup=true", "policy.allocation.colocated_factor=0.5",
             dwellings=k, force={"economy.payment_failure_rate": 0.5})
    tenants = add(m, k, employed=True, wage=45000.0, need=NEED_MODERATE)
    for d, i in enumerate(tenants):
        house(m, i, d)
    owners = add(m, k, tenure=OWNER_BANK, employed=True, permanent=True, wage=90000.0,
                 need=NEED_MODERATE, loan_principal=2e6, loan_rate=0.05, loan_months=240,
                 loan_payment=float(annuity_payment(2e6, 0.05, 240)), price_paid=3e6)
    economy.step(m)
    f = m.f
    assert (f.social_assistance[tenants] == 0).all() and (f.social_assistance[owners] == 0).all()
    assert 0.12 < (f.rent_arrears[tenants] > 0).mean() < 0.38
    assert 0.35 < (f.loan_arrears[owners] > 0).mean() < 0.65


def test_each_family_draws_its_payment_failure_and_counselling_outcome_apart() -> None:
    """Every family has its own draws, one for a payment failure and another for the outcome
    of debt counselling: of 400 identical troubled families whose counselling ends, at a
    failure rate and a success rate of one half, about half fail, about half are cleared,
    and about a quarter both (mutation testing: one draw for all families, or the same draw
    for both, passed every test)."""
    k = 400
    m = make("economy.counselling_success=0.5", force={"economy.payment_failure_rate": 0.5})
    fams = add(m, k, tenure=PRIVATE, employed=True, wage=45000.0, need=NEED_MODERATE,
               debt=10000.0, counselling_left=1)
    economy.step(m)
    f = m.f
    failed, cleared = f.rent_arrears[fams] > 0, f.cleared[fams]
    assert 0.4 < failed.mean() < 0.6
    assert 0.4 < cleared.mean() < 0.6
    assert 0.17 < (failed & cleared).mean() < 0.33
