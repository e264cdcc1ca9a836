"""The monthly processes, one at a time, on small hand-built populations.

Each test builds an empty municipality (``populate=False``), adds a few families with known
incomes, tenures and debts, calls one process (``economy.step``, ``tenancy.step``, ...) and
checks what a user would check: who pays, who is evicted, who gets the loan or the dwelling.
Randomness is taken out by setting the relevant probabilities to 0 or 1; where a rate must lie
strictly between, many identical families are compared with a wide margin.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.engine import accounts, ranking
from sim.engine.families import (
    EMPTY_SLOT,
    HOMELESS,
    MUNICIPAL,
    NEED_EXTENSIVE,
    NEED_MODERATE,
    OWNER_BANK,
    OWNER_STARTLOAN,
    PRIVATE,
    SUBLET,
)
from sim.engine.finance import annuity_payment
from sim.engine.model import HousingModel
from sim.engine.processes import (
    demography,
    economy,
    municipal,
    ownership,
    search,
    startloan,
    tenancy,
    work,
)
from sim.engine.processes.stock import OWNED, SUBLET_KIND
from sim.inputs.indicators import INDEX
from sim.inputs.parameters import REGISTRY
from sim.inputs.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[3] / "scenarios" / "baseline.toml"
#: The baseline takes its calibrated rates from calibration/calibrated.toml; the rules are
#: checked by hand at the registry defaults (docs/parameters.md), which a re-calibration
#: does not move.
AT_DEFAULTS = [f"{q.path}={q.default}" for q in REGISTRY.by_kind("calibrated")]


# ---------------------------------------------------------------------- building populations
def make(*overrides: str, dwellings: int = 2, sublets: int = 0, years: int = 1,
         force: dict[str, float] | None = None) -> HousingModel:
    """An empty municipality with ``dwellings`` vacant municipal (and ``sublets``) dwellings,
    with the calibrated parameters at their registry defaults.

    ``overrides`` go through the registry like ``--set``; ``force`` sets parameters directly,
    beyond the registry's plausible range (a monthly rate of 1, say), to make a draw certain.
    """
    sc = load_scenario(BASELINE, years=years, overrides=[
        *AT_DEFAULTS, f"stock.municipal_dwellings={dwellings}",
        f"stock.sublet_dwellings={sublets}", *overrides])
    m = HousingModel(sc, rng=1, populate=False)
    for path, value in (force or {}).items():
        assert path in m.p, path
        m.p[path] = value
    return m


def add(m: HousingModel, k: int = 1, *, children: tuple[float, ...] = (), **columns
        ) -> np.ndarray:
    """Append ``k`` active families with the given columns and children's ages."""
    s = m.f.add(k)
    idx = np.arange(s.start, s.stop)
    m.f.active[idx] = True
    for name, value in columns.items():
        getattr(m.f, name)[idx] = value
    for j, age in enumerate(children):
        m.f.child_age[idx, j] = age
    m.f.recount_children(idx)
    return idx


def house(m: HousingModel, i: np.ndarray, dwelling: int) -> None:
    """Make family ``i`` the tenant of municipal or sublet ``dwelling``."""
    sublet = m.stock.kind[dwelling] == SUBLET_KIND
    m.f.tenure[i] = SUBLET if sublet else MUNICIPAL
    m.f.dwelling[i] = dwelling
    m.stock.occupant[dwelling] = int(np.asarray(i).ravel()[0])


def set_incomes(m: HousingModel) -> None:
    """Fill gross and net income as the household economy would this month."""
    n = m.f.n
    gross = economy.gross_income(m)
    m.f.gross_income[:n] = gross
    m.f.net_income[:n] = economy.net_income(m, gross)


def size(m: HousingModel, persons: int) -> float:
    """Rent/price factor of a dwelling for ``persons`` (1.0 for three)."""
    return 1 + m.p["market.price_per_person"] * (persons - 3)


def allowance_by_hand(m: HousingModel, cost: float, persons: int, gross: float) -> float:
    """Husbanken's formula written out: (min(12 cost, cap) - own) x coverage / 12."""
    p = m.p
    cap = p[f"economy.bostotte_cap_{min(persons, 5)}"]
    own = max(p["economy.bostotte_min_own"], p["economy.bostotte_own_rate"] * 12 * gross)
    return max(0.0, (min(12 * cost, cap) - own) * p["economy.bostotte_coverage"]) / 12


# ---------------------------------------------------------------------- economy
def test_income_covering_everything_pays_rent_and_saves() -> None:
    """A single adult in full-time work in a municipal flat pays the rent in full, gets no
    social assistance or allowance, spends between guideline and SIFO, and saves a share of
    what is left; the municipality collects the rent."""
    m = make()
    i = add(m, employed=True, wage=32000.0)
    house(m, i, 0)
    economy.step(m)
    p, f = m.p, m.f
    rent = p["policy.rotation.rent_to_market"] * p["market.rent"] * size(m, 1)
    assert rent == pytest.approx(4704.0)
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
    rent = float(f.housing_cost[fams["need"]][0])
    assert rent > 0
    assert f.rent_arrears[fams["untroubled"]] == 0
    assert f.rent_arrears[fams["need"]] == pytest.approx(rent)
    assert f.rent_arrears[fams["remark"]] == pytest.approx(rent)
    assert f.missed[fams["need"]] == 1
    expected = rent if effect_arrears == 1.0 else 0.0
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

    sc = load_scenario(BASELINE, years=6, overrides=list(overrides))
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


# ---------------------------------------------------------------------- tenancy
def _tenants_in_arrears(m: HousingModel, months_behind: tuple[float, ...]) -> list[np.ndarray]:
    out = []
    for d, k in enumerate(months_behind):
        i = add(m, debt=1000.0)
        house(m, i, d)
        rent = 5000.0
        m.f.housing_cost[i] = rent
        m.f.rent_arrears[i] = k * rent
        out.append(i)
    return out


def test_eviction_when_arrears_pass_the_threshold() -> None:
    """With every eviction request carried out, a tenant 3.2 months behind is evicted: homeless,
    dwelling vacated, arrears turned into debt, a payment remark, one eviction counted; a
    tenant two months behind is untouched; a private renter far behind is evicted too."""
    m = make("tenancy.eviction_share=1.0", "market.lease_end_rate=0.0", dwellings=2)
    behind, fine = _tenants_in_arrears(m, (3.2, 2.0))
    private = add(m, tenure=PRIVATE, housing_cost=7000.0, rent_arrears=30000.0)
    tenancy.step(m)
    f = m.f
    assert f.tenure[behind] == HOMELESS
    assert f.dwelling[behind] == -1 and m.stock.occupant[0] == -1
    assert f.rent_arrears[behind] == 0
    assert f.debt[behind] == pytest.approx(1000.0 + 3.2 * 5000.0)
    assert f.remark[behind]
    assert f.tenure[fine] == MUNICIPAL and f.dwelling[fine] == 1 and m.stock.occupant[1] == fine
    assert f.rent_arrears[fine] == pytest.approx(2 * 5000.0) and not f.remark[fine]
    assert f.tenure[private] == HOMELESS
    assert m.flows["evictions"] == 2
    assert m.flows["moves_out_of_municipal"] == 1
    ind = m.indicators()
    assert ind[INDEX["homeless"]] == 2 and ind[INDEX["vacant_municipal"]] == 1


def test_no_eviction_when_share_zero_arrears_settled_by_nav() -> None:
    """When no request ends in eviction, NAV settles the arrears as one-off social assistance:
    the tenant stays, owes nothing, and the amount is counted in social_assistance_nok."""
    m = make("tenancy.eviction_share=0.0")
    (behind,) = _tenants_in_arrears(m, (4.0,))
    tenancy.step(m)
    f = m.f
    assert f.tenure[behind] == MUNICIPAL and m.stock.occupant[0] == behind
    assert f.rent_arrears[behind] == 0
    assert f.debt[behind] == pytest.approx(1000.0)
    assert m.flows["social_assistance_nok"] == pytest.approx(20000.0)
    assert m.flows["arrears_settled_nok"] == pytest.approx(20000.0)
    assert m.flows["evictions"] == 0


def test_followed_tenant_is_protected_from_eviction() -> None:
    """Follow-up scales the eviction share: with effect_eviction=0 a followed tenant in deep
    arrears is not evicted even when every other request would be."""
    m = make("tenancy.eviction_share=1.0", "policy.followup.effect_eviction=0.0")
    (behind,) = _tenants_in_arrears(m, (5.0,))
    m.f.followed[behind] = True
    tenancy.step(m)
    assert m.f.tenure[behind] == MUNICIPAL and m.flows["evictions"] == 0


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


# ---------------------------------------------------------------------- ownership
def _buyer(m: HousingModel, dwelling: int | None = 0, **columns) -> np.ndarray:
    """A single adult in a temporary job earning 45,000 a month (gross), no savings or debt."""
    values = {"employed": True, "permanent": False, "wage": 45000.0, **columns}
    i = add(m, **values)
    if dwelling is not None:
        house(m, i, dwelling)
    return i


STABLE = ("policy.startloan.income_requirement=stable_income",
          "policy.startloan.budget_standard=actual")


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
    rate = startloan.rate(p)
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
    assert f.loan_rate[i] == pytest.approx(p["market.bank_rate"])
    assert f.savings[i] == pytest.approx(0.0)
    assert m.flows["startloan_lent_nok"] == 0 and m.flows["purchases"] == 1


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


def _owner(m: HousingModel, tenure: int, *, principal: float, price: float,
           months_behind: float, grant: float = 0.0) -> np.ndarray:
    payment = 10000.0
    return add(m, tenure=tenure, loan_principal=principal, loan_payment=payment,
               loan_rate=0.0225, loan_months=300, loan_arrears=months_behind * payment,
               price_paid=price, price_index_paid=1.0, grant=grant,
               grant_month=0 if grant else -1)


def test_forced_sale_of_defaulting_owners_and_loss_split() -> None:
    """Owners six months behind are forced to sell and become homeless with a remark. The loss on
    the start loan (principal + arrears + costs - discounted price) is counted, 25 % of it for
    the municipality; a bank owner's loss is not a start-loan loss; an owner five months
    behind keeps the home."""
    m = make(dwellings=0)
    p = m.p
    assert p["ownership.default_after"] == 6
    sl = _owner(m, OWNER_STARTLOAN, principal=2.0e6, price=1.8e6, months_behind=6)
    bank = _owner(m, OWNER_BANK, principal=2.0e6, price=1.8e6, months_behind=7)
    fine = _owner(m, OWNER_STARTLOAN, principal=2.0e6, price=1.8e6, months_behind=5)
    ownership.defaults(m)
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
    m = make(dwellings=0)
    p = m.p
    i = _owner(m, OWNER_STARTLOAN, principal=1.0e6, price=3.0e6, months_behind=6,
               grant=100000.0)
    m.month = 24  # two of twenty write-off years have passed
    ownership.defaults(m)
    left = 3.0e6 * (1 - p["market.forced_sale_discount"]) - p["market.sale_costs"] - 1.0e6 - 6e4
    reclaimed = 100000.0 * (1 - 2 / p["policy.startloan.grant_writeoff_years"])
    assert m.flows["startloan_losses_nok"] == 0
    assert m.f.savings[i] == pytest.approx(left - reclaimed)
    assert m.flows["grants_nok"] == pytest.approx(-reclaimed)


# ---------------------------------------------------------------------- search and allocation
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


def test_private_search_needs_an_affordable_rent() -> None:
    """When social assistance accepts only half the market rent, a homeless family without
    income cannot take a private lease; a well-paid family can, and pays the rent offered."""
    m = make("economy.sa_housing_norm_share=0.5", "market.rent_dispersion=0.0",
             "market.search_success=1.0", "market.discrimination_nav=0.0", dwellings=0)
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


# ---------------------------------------------------------------------- work
def _work_model(*overrides: str, force: dict[str, float] | None = None) -> HousingModel:
    return make("work.job_loss_rate=0.0", "work.permanent_conversion=0.0", *overrides,
                dwellings=0, force=force)


def test_job_finding_employs_searchers_only() -> None:
    """With a certain job-finding rate nearly every job seeker is employed within the month
    (the monthly chance is capped at 95 %), in a permanent job when all new jobs are; families
    on disability pension or in the introduction programme are not seeking and stay out of
    work; entered_work counts the new jobs."""
    m = _work_model("work.permanent_share=1.0", force={"work.job_finding_rate": 1.0})
    seekers = add(m, 400)
    disabled = add(m, 50, disability=True)
    intro = add(m, 50, intro_left=10)
    work.step(m)
    f = m.f
    share = f.employed[seekers].mean()
    assert 0.9 <= share < 1.0
    assert f.permanent[seekers][f.employed[seekers]].all()
    assert not f.employed[disabled].any() and not f.employed[intro].any()
    assert m.flows["entered_work"] == f.employed[seekers].sum()


def test_no_job_finding_at_rate_zero() -> None:
    """With job finding switched off nobody finds work."""
    m = _work_model("work.job_finding_rate=0.0")
    seekers = add(m, 200)
    work.step(m)
    assert not m.f.employed[seekers].any() and m.flows["entered_work"] == 0


@pytest.mark.parametrize("exit_share", [0.0, 1.0])
def test_introduction_programme_counts_down(exit_share: float) -> None:
    """The introduction programme counts down a month at a time; those finishing it leave into
    work at the observed share (all or none here); those still in it do not look for work."""
    m = _work_model("work.job_finding_rate=0.0", f"work.intro_exit_job_share={exit_share}")
    going_on = add(m, 20, intro_left=3)
    finishing = add(m, 20, intro_left=1)
    work.step(m)
    f = m.f
    assert (f.intro_left[going_on] == 2).all() and (f.intro_left[finishing] == 0).all()
    assert not f.employed[going_on].any()
    assert (f.employed[finishing] == bool(exit_share)).all()


def test_followup_multiplies_job_finding() -> None:
    """Follow-up triples the job-finding rate here: among 3,000 followed and 3,000 identical
    unfollowed job seekers, about 30 % and 10 % find work in the month."""
    m = _work_model("work.job_finding_rate=0.1", "policy.followup.effect_job=3.0")
    followed = add(m, 3000, followed=True)
    alone = add(m, 3000)
    work.step(m)
    a, b = m.f.employed[followed].mean(), m.f.employed[alone].mean()
    assert 0.26 < a < 0.34
    assert 0.07 < b < 0.13
    assert a > 2 * b


# ---------------------------------------------------------------------- demography
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


def test_long_vacant_dwellings_leave_the_stock_only_when_asked() -> None:
    """With stock.release_vacant_months = 12, a dwelling vacant for a year is sold (the stock,
    its cost and its vacancies shrink); one vacant for eleven months stays; with 0 none goes."""
    from sim.engine.processes import stock

    for months, expected in ((12, 1), (0, 2)):
        m = make(f"stock.release_vacant_months={months}", dwellings=2)
        m.stock.vacant_since[:] = [-12, -11]
        stock.step(m)
        assert m.stock.n == expected
        assert len(m.stock.vacant()) == expected
        accounts.costs(m)
        assert m.flows["municipal_housing_net_nok"] == pytest.approx(
            expected * m.p["stock.owned_cost"])


def test_job_loss_brings_unemployment_benefit_for_a_limited_time() -> None:
    """A family that loses its job gets 62.4 % of its wage as dagpenger, for the registry's
    number of months; then the benefit stops."""
    from sim.engine.processes.economy import gross_income

    m = make("work.unemployment_benefit_months=2", "work.job_finding_rate=0.0",
             force={"work.job_loss_rate": 1.0})
    i = add(m, tenure=PRIVATE, employed=True, permanent=True, wage=30000.0)
    work.step(m)
    assert not m.f.employed[i]
    assert gross_income(m)[i] == pytest.approx(0.624 * 30000.0)
    work.step(m)
    assert gross_income(m)[i] == pytest.approx(0.624 * 30000.0)
    work.step(m)
    assert gross_income(m)[i] == 0


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
