"""Ownership: the bank's mortgage test, the municipality's start-loan assessment, purchases,
loan defaults and forced sales.

- *Trying to buy*: a renting or homeless family with income tries at ``ownership.consider_rate``
  a month, more often with outreach to municipal tenants (``policy.startloan.outreach``, Verdal's
  review and Stjørdal's letter, Røe (2018) §3.1) or a housing-career plan
  (``policy.followup.effect_readiness``); tenants offered a start loan at a review always try.
- *The bank* (boliglånsforskriften, shared/parameters.md): a permanent job
  (``bank.requires_permanent_job``, Røe §3.1.1), no payment remarks, loan-to-value, debt-to-income
  and the stress test (:func:`sim.engine.finance.bank_mortgage_ok`), living costs by the SIFO
  budget.
- *The start loan* for those the bank refuses (Røe §3.1.1, §3.3.1; Husbanken's forskrift):
  income requirement (permanent job, or any stable income incl. disability pension), payment
  remarks (blocking, or accepted once cleared by debt counselling), living costs by SIFO or
  documented actual spending, Husbanken's rate plus margin, fixed or floating (a fixed rate needs
  no stress add-on), 30- or 50-year term, full financing, a grant closing a remaining gap, an
  annual lending budget, and a minimum share of the year's loans to families with children
  (Husbanken's guideline of at least 50 %, which Malvik follows, Røe §3.3.3).
- *Purchase*: an approved family buys at ``ownership.purchase_success`` a month until the
  approval lapses.
- *Relief*: a start-loan owner who falls behind may get an interest-only period first
  (``policy.startloan.payment_relief``; Husbanken allows up to 8 years).
- *Default*: ``ownership.default_after`` months of loan arrears force a sale at a discount; a
  start-loan loss is shared 25 % municipality / 75 % state (Husbanken, risiko for tap); the
  unwritten part of a grant is reclaimed from what is left (Røe §3.1.1 fn. 13).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import HOMELESS, OWNER_BANK, OWNER_STARTLOAN, PRIVATE, is_owner, is_tenant
from sim.engine.finance import (
    affordable,
    annuity_payment,
    annuity_principal,
    bank_mortgage_ok,
    forced_sale_loss,
    share_loss,
)
from sim.engine.processes.economy import allowance, living_costs
from sim.engine.processes.market import house_price

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """Payment relief, defaults and forced sales, then buy attempts, approvals and purchases."""
    relief(m)
    defaults(m)
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("ownership", n, 3)
    act = f.active[:n]
    tenure = f.tenure[:n]
    tenant = is_tenant(tenure)
    renting = tenant | (tenure == PRIVATE) | (tenure == HOMELESS)
    income = f.employed[:n] | f.disability[:n]
    no_approval = f.approved_until[:n] < m.month
    rate = np.full(n, p["ownership.consider_rate"])
    if p["policy.startloan.outreach"]:
        rate = np.where(tenant, rate * p["policy.startloan.outreach_factor"], rate)
    rate = np.where(f.career_plan[:n], rate * p["policy.followup.effect_readiness"], rate)
    tries = act & renting & income & no_approval & ((u[0] < rate) | f.offered[:n])
    f.offered[:n] = False
    idx = tries.nonzero()[0]
    if len(idx):
        apply_for_loans(m, idx, u[1][idx])
    purchase(m, u[2])


def _buyer_finances(m: HousingModel, idx: np.ndarray):
    p, f = m.p, m.f
    persons = f.persons[idx]
    price = house_price(m, persons, idx)
    debt_service = f.debt[idx] * p["economy.debt_min_payment"]
    return persons, price, debt_service


def bank_assessment(m: HousingModel, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bank's decision for families ``idx``: (approved, loan NOK)."""
    p, f = m.p, m.f
    persons, price, debt_service = _buyer_finances(m, idx)
    _, sifo, _ = living_costs(m)
    job = f.permanent[idx] if p["bank.requires_permanent_job"] else f.employed[idx]
    down = np.minimum(f.savings[idx], price)
    ok = job & ~f.remark[idx] & bank_mortgage_ok(
        price, down, 12 * f.gross_income[idx], f.debt[idx], f.net_income[idx], sifo[idx],
        debt_service, p["market.bank_rate"], p["bank.term_years"] * 12, p["bank.max_ltv"],
        p["bank.max_dti"], p["bank.stress_add"], p["bank.stress_floor"])
    return np.asarray(ok), price - down


def startloan_rate(p: dict) -> float:
    """Start-loan interest: Husbanken's rate + municipal margin (+ premium if fixed), 1/year."""
    return (p["market.husbanken_rate"] + p["policy.startloan.margin"]
            + (p["policy.startloan.fixed_premium"] if p["policy.startloan.fixed_rate"] else 0.0))


def startloan_assessment(m: HousingModel, idx: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The municipality's start-loan decision, before the budget: (approved, loan, grant).

    Income, payment remarks, and affordability with the municipality's budget standard, rate,
    stress add-on and term; a grant up to ``policy.startloan.grant_max`` closes a gap.
    """
    p, f = m.p, m.f
    persons, price, debt_service = _buyer_finances(m, idx)
    kids = f.n_children[idx] > 0
    if p["policy.startloan.income_requirement"] == "permanent_job":
        job = f.permanent[idx] | (p["policy.startloan.children_priority"] & kids
                                  & f.employed[idx])
    else:
        job = f.employed[idx] | f.disability[idx]
    remarks_ok = ~f.remark[idx] | (p["policy.startloan.remarks_after_counselling"]
                                   & f.cleared[idx])
    _, sifo, actual = living_costs(m)
    living = (sifo if p["policy.startloan.budget_standard"] == "sifo" else actual)[idx]
    rate = startloan_rate(p)
    stressed = rate + (0.0 if p["policy.startloan.fixed_rate"] else
                       p["policy.startloan.stress_add"])
    term = p["policy.startloan.term_years"] * 12
    down = np.maximum(f.savings[idx] - p["economy.savings_buffer"], 0.0)
    loan = np.maximum(price - down, 0.0)
    owner_costs = p["economy.owner_costs"]
    gross = f.gross_income[idx]
    net = f.net_income[idx]
    pay = annuity_payment(loan, stressed, term)
    allow = allowance(m, pay + owner_costs, persons, gross)
    ok = affordable(net + allow, living, pay + owner_costs, debt_service)
    grant = np.zeros(len(idx))
    if p["policy.startloan.grant_max"] > 0:
        capacity = net + allow - living - debt_service - owner_costs
        max_loan = np.where(capacity > 0, annuity_principal(np.maximum(capacity, 0), stressed,
                                                            term), 0.0)
        gap = loan - max_loan
        grantable = ~ok & (capacity > 0) & (gap > 0) & (gap <= p["policy.startloan.grant_max"])
        grant = np.where(grantable, gap, 0.0)
        loan = np.where(grantable, max_loan, loan)
        ok = ok | grantable
    return np.asarray(job & remarks_ok & ok), np.asarray(loan), grant


def apply_for_loans(m: HousingModel, idx: np.ndarray, u: np.ndarray) -> None:
    """Families ``idx`` try the bank, then the start-loan desk within its annual budget."""
    p, f = m.p, m.f
    bank_ok, bank_loan = bank_assessment(m, idx)
    price = house_price(m, f.persons[idx], idx)
    b = idx[bank_ok]
    _approve(m, b, OWNER_BANK, bank_loan[bank_ok], np.zeros(len(b)), price[bank_ok])
    rest = ~bank_ok
    a = idx[rest]
    if not len(a):
        return
    m.flows["startloan_applications"] += m.count(a)
    ok, loan, grant = startloan_assessment(m, a)
    # the annual lending budget; with a minimum share for families with children, they are
    # taken first and a loan to a family without children must keep the year's share
    # (each town of a batch has its own budget and year's loans)
    budget = p["policy.startloan.budget_per_1000"] * p["municipality.inhabitants"] / 1000
    budget = budget if type(budget) is np.ndarray else (budget,) * m.towns
    share = p["policy.startloan.children_share"]
    kids = f.n_children[a] > 0
    town = f.town[a]
    order = np.lexsort((u[rest], ~kids)) if share > 0 else np.argsort(u[rest], kind="stable")
    granted = np.zeros(len(a), bool)
    lent, n_granted, n_children = m.lent_year, m.granted_year, m.granted_year_children
    for j in order[ok[order]]:
        t = town[j]
        if loan[j] > budget[t] - lent[t]:
            continue
        if not kids[j] and n_children[t] < share * (n_granted[t] + 1):
            continue
        granted[j] = True
        lent[t] += loan[j]
        n_granted[t] += 1
        n_children[t] += kids[j]
    g = a[granted]
    _approve(m, g, OWNER_STARTLOAN, loan[granted], grant[granted], price[rest][granted])
    m.flows["startloans_granted"] += m.count(g)
    m.flows["startloans_granted_children"] += m.count(g[kids[granted]])


def _approve(m: HousingModel, idx: np.ndarray, kind: int, loan: np.ndarray, grant: np.ndarray,
             price: np.ndarray) -> None:
    f = m.f
    f.approved_until[idx] = m.month + m.p["ownership.approval_months"]
    f.approved_kind[idx] = kind
    f.approved_loan[idx] = loan
    f.approved_grant[idx] = grant
    f.approved_price[idx] = price
    f.approved_index[idx] = m.at(m.price_index, idx)


def purchase(m: HousingModel, u: np.ndarray) -> None:
    """Approved families find a home and buy; they leave their rented or municipal dwelling."""
    p, f, n = m.p, m.f, m.f.n
    approved = f.active[:n] & (f.approved_until[:n] >= m.month)
    success = m.at(p["ownership.purchase_success"], slice(0, n))
    idx = (approved & (u < success)).nonzero()[0]
    if not len(idx):
        return
    kind = f.approved_kind[idx]
    loan = f.approved_loan[idx]
    sl = kind == OWNER_STARTLOAN
    rate = np.where(sl, startloan_rate(p), p["market.bank_rate"])
    months = np.where(sl, p["policy.startloan.term_years"] * 12, p["bank.term_years"] * 12)
    down = f.approved_price[idx] - loan - f.approved_grant[idx]
    f.savings[idx] = np.maximum(f.savings[idx] - np.maximum(down, 0.0), 0.0)
    f.debt[idx] += f.rent_arrears[idx]  # the old landlord's claim remains
    f.rent_arrears[idx] = 0.0
    m.vacate(idx)
    m.set_tenure(idx, kind)
    f.loan_principal[idx] = loan
    f.loan_rate[idx] = rate
    f.loan_months[idx] = months
    f.loan_payment[idx] = annuity_payment(loan, rate, months)
    f.loan_arrears[idx] = 0.0
    f.relief_until[idx] = -1
    f.price_paid[idx] = f.approved_price[idx]
    f.price_index_paid[idx] = f.approved_index[idx]
    f.grant[idx] = f.approved_grant[idx]
    f.grant_month[idx] = np.where(f.approved_grant[idx] > 0, m.month, -1)
    f.approved_until[idx] = -1
    f.waiting_since[idx] = -1
    f.exit_by[idx] = -1
    m.flows["purchases"] += m.count(idx)
    m.flows["grants_nok"] += m.total(f.approved_grant[idx], idx)
    m.flows["startloan_lent_nok"] += m.total(loan[sl], idx[sl])


def market_value(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """Current market value of owners' homes: price paid moved with the price index, NOK."""
    f = m.f
    return f.price_paid[idx] * m.at(m.price_index, idx) / f.price_index_paid[idx]


def relief(m: HousingModel) -> None:
    """Interest-only periods for start-loan owners who fall behind, and their end.

    Husbanken lets the municipality give a start-loan borrower in difficulty an interest-only
    period (up to 8 years, shared/parameters.md) instead of forcing a sale. A start-loan owner
    with loan arrears who has not had relief pays only interest for
    ``ownership.interest_only_months`` (if ``policy.startloan.payment_relief``); afterwards the
    loan is paid down over the months of its term still left.
    """
    p, f, n = m.p, m.f, m.f.n
    sl = f.active[:n] & (f.tenure[:n] == OWNER_STARTLOAN)
    ending = (sl & (f.relief_until[:n] == m.month)).nonzero()[0]
    if len(ending):
        f.loan_payment[ending] = annuity_payment(f.loan_principal[ending], f.loan_rate[ending],
                                                 np.maximum(f.loan_months[ending], 1))
    if not p["policy.startloan.payment_relief"]:
        return
    start = (sl & (f.loan_arrears[:n] > 0) & (f.relief_until[:n] < 0)).nonzero()[0]
    f.relief_until[start] = m.month + p["ownership.interest_only_months"]
    f.loan_payment[start] = f.loan_principal[start] * f.loan_rate[start] / 12


def defaults(m: HousingModel) -> None:
    """Owners ``ownership.default_after`` months behind are forced to sell."""
    p, f, n = m.p, m.f, m.f.n
    owner = is_owner(f.tenure[:n])
    behind = f.loan_arrears[:n] >= p["ownership.default_after"] * np.maximum(
        f.loan_payment[:n], 1.0)
    idx = (f.active[:n] & owner & behind).nonzero()[0]
    if not len(idx):
        return
    sale = market_value(m, idx) * (1 - p["market.forced_sale_discount"])
    loss = np.asarray(forced_sale_loss(f.loan_principal[idx], f.loan_arrears[idx], sale,
                                       p["market.sale_costs"]))
    sl = f.tenure[idx] == OWNER_STARTLOAN
    municipal, _state = share_loss(np.where(sl, loss, 0.0),
                                   p["policy.startloan.municipal_loss_share"])
    left = np.maximum(sale - p["market.sale_costs"] - f.loan_principal[idx]
                      - f.loan_arrears[idx], 0.0)
    # the part of a grant not yet written off is reclaimed from what is left
    years = (m.month - f.grant_month[idx]) / 12
    unwritten = f.grant[idx] * np.clip(1 - years / p["policy.startloan.grant_writeoff_years"],
                                       0, 1)
    reclaimed = np.minimum(unwritten, left)
    f.savings[idx] += left - reclaimed
    f.remark[idx] = True
    f.loan_principal[idx] = 0.0
    f.loan_arrears[idx] = 0.0
    f.loan_payment[idx] = 0.0
    f.grant[idx] = 0.0
    m.set_tenure(idx, HOMELESS)
    m.flows["forced_sales"] += m.count(idx)
    m.flows["forced_sales_startloan"] += m.count(idx[sl])
    m.flows["startloan_losses_nok"] += m.total(loss[sl], idx[sl])
    m.flows["startloan_losses_municipal_nok"] += m.total(np.asarray(municipal), idx)
    m.flows["grants_nok"] -= m.total(reclaimed, idx)
