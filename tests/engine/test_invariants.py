"""Invariants of real runs, checked after every simulated month.

The baseline and a handful of municipal models (set with overrides, as a user would with
``--set``) are stepped month by month from the drawn population (no burn-in: the rules are the
subject), the bundled scenarios as a user runs them (burn-in included); after each month the
population, the municipal stock and the month's indicator row must be consistent: every
family in exactly one tenure, every occupied dwelling held by an active tenant who points back
to it, no negative money where money cannot be negative, no NaN, and the municipality's net
cost equal to its items. Also
reproducibility: the same seed gives the same history, another seed another, and two policies
run with the same seed share their demography (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from sim.engine.accounts import household_balance, liquid_position
from sim.engine.families import (
    COLUMNS,
    EMPTY_SLOT,
    HOMELESS,
    MUNICIPAL,
    NEED_EXTENSIVE,
    OWNER_BANK,
    OWNER_STARTLOAN,
    SUBLET,
)
from sim.engine.model import HousingModel
from sim.engine.processes import homes, municipal
from sim.engine.processes.stock import SUBLET_KIND
from sim.inputs.indicators import INDEX, NAMES, NET_COST_ITEMS, TENURE_INDICATORS
from sim.inputs.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"

#: Municipal models as override lists: (id, overrides, years).
VARIANTS = {
    "baseline": [],
    "verdal": [
        "policy.startloan.budget_standard=actual",
        "policy.startloan.income_requirement=stable_income",
        "policy.startloan.term_years=50",
        "policy.startloan.fixed_rate=true",
        "policy.startloan.outreach=true",
        "policy.startloan.remarks_after_counselling=true",
        "policy.startloan.children_priority=true",
        "policy.rotation.review=true",
        "policy.rotation.full_review=true",
        "policy.allocation.children_allowed=false",
        "policy.followup.mode=tenants",
        "policy.followup.workers=3",
        "policy.followup.network=true",
        "policy.followup.visits=true",
        "policy.followup.family_plan=true",
    ],
    "stjordal": [
        "policy.rotation.contract_years=3",
        "policy.rotation.enforce_exit=true",
        "stock.sublet_dwellings=80",
        "stock.sublet_add_per_year=12",
        "stock.acquire_per_year=4",
        "policy.allocation.priority=homeless_first",
        "policy.allocation.with_followup=true",
        "policy.followup.mode=all",
        "policy.followup.workers=5",
        "policy.work.measure_places=10",
    ],
    "malvik": [
        "policy.allocation.eligibility=extensive_needs",
        "stock.municipal_dwellings=31",
        "policy.allocation.priority=waiting_time",
        "policy.startloan.remarks_after_counselling=true",
    ],
    "grants": [
        "policy.startloan.grant_max=300000",
        "policy.startloan.budget_standard=actual",
        "policy.startloan.income_requirement=stable_income",
        "policy.allocation.priority=children_first",
    ],
    # a hard world: many payment failures, every eviction carried out, quick defaults and a
    # falling, volatile housing market, so that evictions and forced sales actually happen
    "stress": [
        "economy.payment_failure_rate=0.4",
        "tenancy.eviction_share=1.0",
        "ownership.default_after=1",
        "ownership.consider_rate=0.2",
        "ownership.purchase_success=0.5",
        "policy.startloan.income_requirement=stable_income",
        "policy.startloan.budget_standard=actual",
        "policy.startloan.grant_max=300000",
        "market.price_growth=-0.2",
        "market.price_volatility=0.3",
        "work.job_loss_rate=0.05",
    ],
}
YEARS = 4

TENANT_CODES = (MUNICIPAL, SUBLET)
OWNER_CODES = (OWNER_STARTLOAN, OWNER_BANK)
#: Columns that hold money or amounts that cannot be negative.
NON_NEGATIVE = ("savings", "debt", "rent_arrears", "loan_arrears", "loan_principal",
                "loan_payment", "gross_income", "net_income", "housing_cost", "allowance",
                "social_assistance", "wage", "intro_left", "measure_left", "counselling_left",
                "missed", "followed_months")
FLOAT_COLUMNS = tuple(k for k, (dtype, _, _) in COLUMNS.items() if dtype is np.float64)
#: Stock indicators that count something and cannot be negative.
COUNTS = ("families", *TENURE_INDICATORS, "children_municipal", "children_homeless", "children",
          "waiting_list", "vacant_municipal", "municipal_stock", "families_in_work",
          "social_assistance_recipients", "in_arrears", "followed_up",
          "with_payment_remarks", "refugees_municipal", "startloan_applications",
          "startloans_granted",
          "startloans_granted_children", "purchases", "moves_out_of_municipal", "allocations",
          "evictions", "forced_sales", "entered_work", "new_homeless", "arrivals",
          "departures")


def model(overrides: list[str], *, years: int = YEARS, seed: int = 1) -> HousingModel:
    return HousingModel(load_scenario(BASELINE, overrides=overrides, years=years, burn_in=0),
                        rng=seed)


@dataclass
class Month:
    """The state after one month, as the checks read it."""

    m: HousingModel
    month: int
    row: np.ndarray  # the month's record
    ind: dict[str, float]  # the same by indicator name
    where: str  # names the month in messages
    act: np.ndarray  # active rows
    idx: np.ndarray  # the active families' rows
    tenure: np.ndarray  # their tenures
    tenant: np.ndarray  # whether each of them rents a municipal or sublet dwelling


def check_month(m: HousingModel) -> None:
    """Assert every invariant of the state after month ``m.month - 1`` (on the model's clock)
    and its record: the history's row of a reported month, the indicators of a burn-in
    month."""
    f, n = m.f, m.f.n
    month = m.month - 1
    row = m.history[m.reported - 1] if m.reported else m.indicators()
    idx = np.flatnonzero(f.active[:n])
    tenure = f.tenure[idx]
    s = Month(m, month, row, {name: row[INDEX[name]] for name in NAMES}, f"month {month}",
              f.active[:n], idx, tenure, np.isin(tenure, TENANT_CODES))
    for check in (_record, _tenures, _stock, _amounts, _owners, _money, _counts, _households,
                  _waiting_list, _homes):
        check(s)


def _record(s: Month) -> None:
    """The history row is finite; counts are whole and non-negative."""
    row, ind, where = s.row, s.ind, s.where
    assert np.isfinite(row).all(), f"{where}: non-finite indicator(s) " + str(
        [NAMES[k] for k in np.flatnonzero(~np.isfinite(row))])
    for name in COUNTS:
        assert ind[name] >= 0 and ind[name] == int(ind[name]), f"{where}: {name}={ind[name]}"


def _tenures(s: Month) -> None:
    """Every active family is in exactly one valid tenure; the six tenures add up to
    families."""
    ind, where, idx, tenure = s.ind, s.where, s.idx, s.tenure
    assert np.isin(tenure, range(6)).all(), where
    assert ind["families"] == len(idx), where
    assert sum(ind[k] for k in TENURE_INDICATORS) == ind["families"], where
    for code, name in enumerate(TENURE_INDICATORS):
        assert ind[name] == (tenure == code).sum(), f"{where}: {name}"


def _stock(s: Month) -> None:
    """Municipal stock: tenants <-> occupied dwellings, both ways."""
    f, n, ind, where, idx, tenant, act = s.m.f, s.m.f.n, s.ind, s.where, s.idx, s.tenant, s.act
    stock = s.m.stock
    occupied = np.flatnonzero(stock.occupant >= 0)
    occupants = stock.occupant[occupied]
    assert len(occupied) <= stock.n
    assert ind["municipal"] + ind["sublet"] == len(occupied), where
    assert ind["vacant_municipal"] == stock.n - len(occupied), where
    assert ind["municipal_stock"] == stock.n, where
    assert len(np.unique(occupants)) == len(occupants), f"{where}: a family in two dwellings"
    assert (occupants < n).all() and f.active[occupants].all(), f"{where}: inactive occupant"
    assert np.isin(f.tenure[occupants], TENANT_CODES).all(), f"{where}: occupant not a tenant"
    assert (f.dwelling[occupants] == occupied).all(), f"{where}: occupant points elsewhere"
    assert ((stock.kind[occupied] == SUBLET_KIND) == (f.tenure[occupants] == SUBLET)).all(), (
        f"{where}: sublet tenure does not match the dwelling kind")
    dw = f.dwelling[idx]
    assert (dw[tenant] >= 0).all(), f"{where}: a tenant without a dwelling"
    assert (dw[~tenant] == -1).all(), f"{where}: a non-tenant holds a dwelling"
    assert (f.dwelling[:n][~act] == -1).all(), f"{where}: a departed family holds a dwelling"


def _amounts(s: Month) -> None:
    """Money and amounts that cannot be negative; no NaN or infinity anywhere."""
    f, where, idx = s.m.f, s.where, s.idx
    for name in NON_NEGATIVE:
        col = getattr(f, name)[idx]
        assert (col >= 0).all(), f"{where}: negative {name}: {col[col < 0][:5]}"
    for name in FLOAT_COLUMNS:
        assert np.isfinite(getattr(f, name)[idx]).all(), f"{where}: non-finite {name}"
    ages = f.child_age[idx]
    assert np.isfinite(ages[ages != EMPTY_SLOT]).all()


def _owners(s: Month) -> None:
    """Owners owe no rent; only owners have loans; owners' mean equity and tenants' mean
    months, counted from the population."""
    f, where, idx = s.m.f, s.where, s.idx
    owner = np.isin(s.tenure, OWNER_CODES)
    assert (f.rent_arrears[idx][owner] == 0).all(), f"{where}: an owner owes rent"
    assert (f.loan_arrears[idx][~owner] == 0).all(), f"{where}: a non-owner has loan arrears"
    assert (f.loan_principal[idx][~owner] == 0).all(), f"{where}: a non-owner has a loan"
    assert (f.loan_payment[idx][~owner] == 0).all(), f"{where}: a non-owner pays a loan"
    assert (f.price_paid[idx][owner] > 0).all(), f"{where}: an owner without a price paid"
    # the means, as a user would take them from the population: an owner's equity is the
    # price paid moved with the house-price index since, less the loan
    index = s.m.towns.at(s.m.market.price_index, idx)
    equity = f.price_paid[idx] * index / np.where(owner, f.price_index_paid[idx], 1.0) \
        - f.loan_principal[idx]
    assert s.ind["mean_owner_equity_nok"] == pytest.approx(
        equity[owner].mean() if owner.any() else 0.0, rel=1e-9, abs=1e-6), where
    assert s.ind["mean_months_in_municipal"] == pytest.approx(
        f.tenure_months[idx][s.tenant].mean() if s.tenant.any() else 0.0, rel=1e-9), where


def _money(s: Month) -> None:
    """The money identity and signs of money that cannot be negative."""
    f, p, ind, where, idx = s.m.f, s.m.p, s.ind, s.where, s.idx
    items = sum(ind[k] for k in NET_COST_ITEMS)
    assert ind["municipal_net_cost_nok"] == pytest.approx(items, rel=1e-6, abs=1e-6), where
    for name in ("social_assistance_nok", "housing_allowance_nok", "temporary_accommodation_nok",
                 "followup_cost_nok", "startloan_losses_nok", "startloan_losses_municipal_nok",
                 "startloan_lent_nok"):
        assert ind[name] >= 0, f"{where}: {name}={ind[name]}"
    assert ind["startloan_losses_municipal_nok"] == pytest.approx(
        p["policy.startloan.municipal_loss_share"] * ind["startloan_losses_nok"], rel=1e-9,
        abs=1e-6), where
    assert ind["social_assistance_nok"] >= f.social_assistance[idx].sum() - 1e-6, where
    expected_temp = (ind["homeless"] * p["economy.temporary_share"]
                     * p["economy.temporary_cost"])
    assert ind["temporary_accommodation_nok"] == pytest.approx(expected_temp), where
    # a caseworker's yearly cost, spread over the twelve months
    assert ind["followup_cost_nok"] * 12 == pytest.approx(
        p["policy.followup.workers"] * p["policy.followup.cost_per_worker"]), where


def _counts(s: Month) -> None:
    """Children and sub-counts never exceed their totals."""
    f, n, p, ind, where = s.m.f, s.m.f.n, s.m.p, s.ind, s.where
    idx, tenure, tenant, act = s.idx, s.tenure, s.tenant, s.act
    kids = f.n_children[idx]
    assert ind["children"] == kids.sum(), where
    assert ind["children_municipal"] == kids[tenant].sum(), where
    assert ind["children_homeless"] == kids[tenure == HOMELESS].sum(), where
    assert ind["children_municipal"] + ind["children_homeless"] <= ind["children"], where
    assert ind["child_moves"] <= ind["children"], where
    assert ind["refugees_municipal"] == np.count_nonzero(f.refugee[idx] & tenant), where
    assert ind["refugees_municipal"] <= ind["municipal"] + ind["sublet"], where
    assert ind["children_homeless"] <= ind["child_months_insecure"] <= ind["children"], where
    # the counts of families, as a user would count them in the population
    assert ind["social_assistance_recipients"] == np.count_nonzero(
        f.social_assistance[idx] > 0), where
    assert ind["in_arrears"] == np.count_nonzero(
        (f.rent_arrears[idx] > 0) | (f.loan_arrears[idx] > 0)), where
    assert ind["families_in_work"] == np.count_nonzero(f.employed[idx]), where
    assert ind["new_homeless"] == np.count_nonzero(
        (tenure == HOMELESS) & (f.tenure_months[idx] == 0)), where
    insecure = (tenure == HOMELESS) | (f.exit_by[idx] >= 0)
    assert ind["child_months_insecure"] == kids[insecure].sum(), where
    for name in ("families_in_work", "social_assistance_recipients", "in_arrears",
                 "followed_up", "with_payment_remarks", "waiting_list", "new_homeless"):
        assert ind[name] <= ind["families"], f"{where}: {name}"
    assert ind["new_homeless"] <= ind["homeless"], where
    assert ind["startloans_granted"] <= ind["startloan_applications"], where
    assert ind["startloans_granted_children"] <= ind["startloans_granted"], where
    capacity = round(p["policy.followup.workers"] * p["policy.followup.caseload"])
    assert ind["followed_up"] <= capacity, f"{where}: more followed than caseworkers can take"
    assert not f.followed[:n][~act].any(), f"{where}: a departed family is followed up"


def _households(s: Month) -> None:
    """One or two adults; children under the age of majority, counted right."""
    f, p, where, idx = s.m.f, s.m.p, s.where, s.idx
    assert np.isin(f.adults[idx], (1, 2)).all(), where
    ages = f.child_age[idx]
    assert ((ages == EMPTY_SLOT) | ((ages >= 0) & (ages < p["demography.adult_age"]))).all(), where
    assert np.array_equal(f.kids[idx], (ages >= 0).sum(axis=1)), (
        f"{where}: the children count drifted from the children's ages")


def _waiting_list(s: Month) -> None:
    """The waiting list holds active, eligible families not already in municipal housing;
    a vacancy and an eligible applicant do not both remain at the end of a month (unless an
    enforced exit emptied a dwelling after the month's allocation)."""
    f, p, ind, where, idx, m, month = s.m.f, s.m.p, s.ind, s.where, s.idx, s.m, s.month
    waiting = idx[f.waiting_since[idx] >= 0]
    assert ind["waiting_list"] == len(waiting), where
    assert not np.isin(f.tenure[waiting], TENANT_CODES + OWNER_CODES).any(), (
        f"{where}: a tenant or owner on the waiting list")
    assert municipal.eligible(m, waiting).all(), f"{where}: an ineligible family waits"
    assert (f.waiting_since[waiting] <= month).all(), where
    if p["policy.allocation.eligibility"] == "extensive_needs":
        assert (f.need[waiting] == NEED_EXTENSIVE).all(), where

    if ind["waiting_list"] > 0 and not p["policy.rotation.enforce_exit"]:
        # no dwelling stands empty while a family waits whom the office would place in it
        stock = m.stock
        vacant = np.flatnonzero(stock.active & (stock.occupant < 0))
        need = homes.need_rooms(f.adults[waiting] + f.kids[waiting])[:, None]
        rooms = stock.rooms[vacant][None, :]
        held = (month - stock.vacant_since[vacant] >= p["policy.allocation.hold_months"])[None]
        fits = (need <= rooms + p["dwellings.crowding_tolerance"]) & (
            (need >= rooms - p["policy.allocation.extra_rooms"]) | held)
        if p["policy.allocation.neighbourhood_matching"]:
            # the office may keep a vulnerable family out of a zone that was full when it
            # allocated: the zones' shares, and the town's, have moved since
            fits &= (f.need[waiting] != NEED_EXTENSIVE)[:, None]
        assert not fits.any(), f"{where}: a dwelling stands empty while a family it fits waits"


def _homes(s: Month) -> None:
    """Every housed family has one home of 1-5 rooms in a zone; a homeless one none; a
    tenant's home is its municipal dwelling's."""
    f, p, where, idx, tenant = s.m.f, s.m.p, s.where, s.idx, s.tenant
    stock = s.m.stock
    housed = f.tenure[idx] != HOMELESS
    rooms, zone = f.home_rooms[idx], f.home_zone[idx]
    assert ((rooms >= 1) & (rooms <= homes.MAX_ROOMS))[housed].all(), f"{where}: no home's rooms"
    assert ((zone >= 0) & (zone < p["dwellings.zones"]))[housed].all(), f"{where}: no zone"
    assert (rooms[~housed] == 0).all() and (zone[~housed] == -1).all(), (
        f"{where}: a homeless family has a home")
    dw = f.dwelling[idx][tenant]
    assert (rooms[tenant] == stock.rooms[dw]).all() and (zone[tenant] == stock.zone[dw]).all() \
        and (f.home_poor[idx][tenant] == stock.poor[dw]).all(), (
        f"{where}: a tenant's home is not its dwelling")


@pytest.mark.parametrize("name", list(VARIANTS))
def test_invariants_hold_every_month(name: str) -> None:
    """A user running each municipal model for four years finds, in every month, a
    consistent population, stock and indicator row (see :func:`check_month`)."""
    m = model(VARIANTS[name])
    while m.reported < m.months:
        m.step()
        check_month(m)
    totals = m.history.sum(axis=0)
    # the run is not trivial: families move through the system
    assert totals[INDEX["allocations"]] > 0
    assert totals[INDEX["arrivals"]] > 0 and totals[INDEX["departures"]] > 0
    if name == "stress":  # the hard world exercises evictions, purchases and forced sales
        for flow in ("evictions", "purchases", "forced_sales", "startloans_granted"):
            assert totals[INDEX[flow]] > 0, flow


@pytest.mark.parametrize("name", ["baseline", "verdal", "stress"])
def test_families_change_by_their_recorded_flows(name: str) -> None:
    """The stock-flow identity, from the population itself rather than from the indicators:
    each month the families present change by the month's arrivals and new households (a
    separation makes one) less its departures, as ``history`` records them. A mutant that
    counts arrivals twice, or a departure that is not counted, breaks it."""
    m = model(VARIANTS[name])
    before = int(np.count_nonzero(m.f.active[: m.f.n]))
    while m.reported < m.months:
        m.step()
        now = int(np.count_nonzero(m.f.active[: m.f.n]))
        row = m.history[m.reported - 1]
        change = row[INDEX["arrivals"]] + row[INDEX["new_households"]] - row[INDEX["departures"]]
        assert now - before == change, f"{name}, month {m.reported}: {now - before} != {change}"
        before = now


def ledger_start(m: HousingModel) -> tuple[np.ndarray, np.ndarray]:
    """What :func:`check_ledger` needs from before a month: each row's liquid position and
    whether the family is present."""
    n = m.f.n
    return liquid_position(m.f, slice(0, n)), m.f.active[:n].copy()


def check_ledger(m: HousingModel, before: tuple[np.ndarray, np.ndarray], where: str) -> None:
    """Household money conservation over the month just simulated (rows must not have been
    compacted): each family present all month changed its savings less debts and arrears by
    its ledger, to the øre (relative 1e-9 for the huge sums of extreme parameters); the
    municipality paid the social assistance and housing allowance the families received,
    and the arrears it settled."""
    f, (start, present) = m.f, before
    assert f.compactions == 0, "check_ledger needs rows that stay in place"
    n = len(present)
    stayed = present & f.active[:n]
    end = liquid_position(f, slice(0, n))
    gap = np.abs(end - start - household_balance(f, slice(0, n)))[stayed]
    allowed = 0.01 + 1e-9 * np.maximum(np.abs(start), np.abs(end))[stayed]
    if len(gap) and (gap > allowed).any():
        worst = np.flatnonzero(stayed)[np.argmax(gap - allowed)]
        raise AssertionError(f"{where}, month {m.month - 1}: family {worst} (tenure "
                             f"{f.tenure[worst]}) has {end[worst] - start[worst]:.2f} NOK of "
                             "change its ledger does not explain "
                             f"({household_balance(f, [worst])[0]:.2f})")
    act = f.active[: f.n]
    flows = {k: float(np.sum(v)) for k, v in m.flows.items()}
    paid = f.social_assistance[: f.n][act].sum() + flows["arrears_settled_nok"]
    assert flows["social_assistance_nok"] == pytest.approx(paid, rel=1e-9, abs=0.01), where
    assert flows["housing_allowance_nok"] == pytest.approx(
        f.allowance[: f.n][act].sum(), rel=1e-9, abs=0.01), where


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_krone_of_a_family_is_accounted_for(name: str) -> None:
    """Household money conservation, family by family and month by month: for every family
    present the whole month, the change in savings less debts and arrears equals its ledger
    (income + housing allowance + social assistance - living costs - housing payment due -
    debt interest + transfers such as a down payment or arrears NAV settles), to the øre.
    And the municipality pays out what the families received: social assistance to the
    families plus the arrears settled for them, housing allowance likewise. A mutant that
    creates 500 NOK of savings, or counts social assistance twice, breaks one of them."""
    m = HousingModel(load_scenario(BASELINE, overrides=VARIANTS[name], years=YEARS, burn_in=0),
                     rng=1, compact=False)  # rows stay where they are from month to month
    f = m.f
    moved = 0.0
    while m.reported < m.months:
        before = ledger_start(m)
        m.step()
        check_ledger(m, before, name)
        stayed = before[1] & f.active[: len(before[1])]
        moved += np.abs(f.transfers[: len(stayed)][stayed]).sum()
    assert moved > 0, "no transfer happened: the test would not see one go wrong"


@pytest.mark.parametrize("path", sorted(BASELINE.parent.glob("*.toml")), ids=lambda p: p.stem)
def test_invariants_hold_in_bundled_scenarios(path: Path) -> None:
    """Each bundled municipal scenario, with its dated reforms, run for four years (long enough
    for the reforms to start), is consistent in every month."""
    m = HousingModel(load_scenario(path, years=YEARS), rng=2)
    while m.reported < m.months:
        m.step()
        check_month(m)


def test_a_municipality_without_municipal_dwellings_can_be_simulated() -> None:
    """A municipality with no municipal or sublet dwellings (allowed by the registry: 0 is in
    the range of stock.municipal_dwellings) runs; everyone rents, owns or is homeless."""
    m = model(["stock.municipal_dwellings=0"], years=1)
    while m.reported < m.months:
        m.step()
        check_month(m)
    assert m.history[:, INDEX["municipal"]].sum() == 0


def test_invariants_across_a_policy_phase(tmp_path: Path) -> None:
    """A scenario whose contracts, reviews and outreach start in a dated phase stays
    consistent through the change; sitting tenants get contract ends and review dates spread
    over the following period when it starts, and none before."""
    path = tmp_path / "phased.toml"
    path.write_text(
        f'[scenario]\nname = "Phased"\nextends = "{BASELINE.as_posix()}"\nyears = 3\n\n'
        '[[phases]]\nstart = "2013-01"\nlabel = "Housing service starts"\n'
        "policy.rotation.contract_years = 2\npolicy.rotation.review = true\n"
        "policy.startloan.outreach = true\n",
        encoding="utf-8")
    m = HousingModel(load_scenario(path, burn_in=0), rng=3)
    while m.reported < m.months:
        m.step()
        check_month(m)
        f, n = m.f, m.f.n
        tenants = f.active[:n] & np.isin(f.tenure[:n], TENANT_CODES)
        if m.month == 13:  # month index 12, the phase's first month, was just simulated
            ends = f.contract_end[:n][tenants]
            assert (ends > 12).all() and (ends <= 12 + 24).all()
            # first reviews spread over the phase's first year; those due now were assessed:
            # renewed (next review later) or asked to move
            due = f.review_due[:n][tenants]
            assert ((due >= 12) & (due <= 12 + 12)).all()
            assert ((due > 12) | (f.exit_by[:n][tenants] >= 0)).all()
        if m.month <= 12:
            assert (f.contract_end[:n][tenants] == -1).all()
            assert (f.review_due[:n][tenants] == -1).all()


def test_same_seed_same_history() -> None:
    """Running the same scenario with the same seed twice gives identical history arrays."""
    a = model(VARIANTS["verdal"], years=2, seed=11)
    b = model(VARIANTS["verdal"], years=2, seed=11)
    np.testing.assert_array_equal(a.run(), b.run())


def test_different_seed_different_history() -> None:
    """Another seed gives another history (the runs are random, not fixed)."""
    a = model([], years=2, seed=11).run()
    b = model([], years=2, seed=12).run()
    assert not np.array_equal(a, b)


def test_common_random_numbers_share_demography() -> None:
    """Two scenarios differing only in policies that touch nothing in the first month's
    demography (follow-up staff, contracts) have identical arrivals, departures and families
    in month 0 when run with the same seed, and the same initial population."""
    a = model([], years=1, seed=5)
    b = model(["policy.followup.workers=3", "policy.rotation.contract_years=3"],
              years=1, seed=5)
    assert a.f.n == b.f.n
    for col in ("tenure", "adults", "employed", "savings", "debt"):
        np.testing.assert_array_equal(getattr(a.f, col)[: a.f.n], getattr(b.f, col)[: b.f.n])
    a.step()
    b.step()
    for name in ("arrivals", "departures", "families", "children"):
        assert a.history[0, INDEX[name]] == b.history[0, INDEX[name]], name
    assert a.history[0, INDEX["arrivals"]] + a.history[0, INDEX["departures"]] > 0
    assert a.history[0, INDEX["followup_cost_nok"]] != b.history[0, INDEX["followup_cost_nok"]]


def test_common_random_numbers_demography_over_the_run() -> None:
    """Demography does not depend on housing policy, so with common random numbers the
    arrivals, departures and number of families agree in every month, not only the first."""
    a = model([], years=3, seed=5).run()
    b = model(VARIANTS["verdal"], years=3, seed=5).run()
    for name in ("arrivals", "departures", "families", "children"):
        np.testing.assert_array_equal(a[:, INDEX[name]], b[:, INDEX[name]], err_msg=name)
    assert not np.array_equal(a[:, INDEX["municipal"]], b[:, INDEX["municipal"]])


def test_compaction_keeps_the_state_consistent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dropping departed families' rows (as a national run does every few years) keeps every
    invariant, every family's ``uid``, and the tenants in their dwellings."""
    monkeypatch.setattr("sim.engine.model.COMPACT_MIN_ROWS", 8)
    monkeypatch.setattr("sim.engine.model.COMPACT_SHARE", 0.05)
    m = model(VARIANTS["stress"], years=YEARS, seed=4)
    compactions = 0
    while m.reported < m.months:
        before = m.f.n
        m.step()
        compactions += m.f.n < before
        check_month(m)
        uid = m.f.uid[: m.f.n]
        assert (np.diff(uid) > 0).all() and uid[-1] < m.f.n_ever
    assert compactions >= 2 and m.f.n < m.f.n_ever
    assert not (m.f.active[: m.f.n] == False).all()  # noqa: E712


def test_compaction_keeps_common_random_numbers_across_policies(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Departures do not depend on policy, so two scenarios compact in the same months and
    their demography still agrees month by month."""
    monkeypatch.setattr("sim.engine.model.COMPACT_MIN_ROWS", 8)
    monkeypatch.setattr("sim.engine.model.COMPACT_SHARE", 0.05)
    a = model([], years=3, seed=5)
    b = model(VARIANTS["verdal"], years=3, seed=5)
    ha, hb = a.run(), b.run()
    assert a.f.n < a.f.n_ever and a.f.n == b.f.n
    for name in ("arrivals", "departures", "families", "children"):
        np.testing.assert_array_equal(ha[:, INDEX[name]], hb[:, INDEX[name]], err_msg=name)
