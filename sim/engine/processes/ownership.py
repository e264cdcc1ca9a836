"""Ownership: attempts to buy, the bank's mortgage test, purchases, payment relief, loan
defaults and forced sales.

- *Trying to buy*: a renting or homeless family with income tries at ``ownership.consider_rate``
  a month, more often with outreach to municipal tenants (``policy.startloan.outreach``, Verdal's
  review and Stjørdal's letter, Røe (2018) §3.1) or a housing-career plan
  (``policy.followup.effect_readiness``); tenants offered a start loan at a review always try.
- *The bank* (Boliglånsforskriften (2015)): a permanent job
  (``bank.requires_permanent_job``, Røe §3.1.1), no payment remarks, loan-to-value,
  debt-to-income and the stress test (:func:`sim.engine.finance.bank_mortgage_ok`), living
  costs by the SIFO budget.
- *The start loan* for those the bank refuses: the start-loan desk
  (:mod:`sim.engine.processes.startloan`), which also refinances owners about to lose their
  home where the practice allows it. Families with children who ask for help with housing go
  straight to the desk where the municipality refers them (Verdal).
- *Purchase*: an approved family buys at ``ownership.purchase_success`` a month until the
  approval lapses.
- *Relief*: an owner who falls behind may pay interest only for a while first: a start-loan
  owner where the practice allows it (``policy.startloan.payment_relief``; Husbanken allows up
  to 8 years), a bank owner whose loss of income is temporary
  (``ownership.bank_forbearance_months``, the mortgage regulation's deferral of instalments).
- *Default*: ``ownership.default_after`` months of loan arrears and the lender petitions for a
  forced sale; the family may find a rental before the home is sold,
  ``ownership.forced_sale_months`` later, or becomes homeless then (both completed by the
  housing search, :mod:`sim.engine.processes.search`). The sale is at a discount; a
  start-loan loss is shared 25 % municipality / 75 % state (Husbanken, risk of loss); the
  unwritten part of a grant is reclaimed from what is left (Røe §3.1.1 fn. 13).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import HOMELESS, OWNER_BANK, OWNER_STARTLOAN, PRIVATE, is_owner, is_tenant
from sim.engine.finance import annuity_payment, bank_mortgage_ok, forced_sale_loss, share_loss
from sim.engine.processes import homes, municipal, startloan
from sim.engine.processes.economy import living_costs
from sim.engine.processes.market import house_price, market_value

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """Payment relief, defaults and forced sales, then buy attempts, approvals and purchases."""
    f, n = m.f, m.f.n
    u = m.streams.uniform("ownership", n, 4)
    relief(m)
    defaults(m, u[3])
    act = f.active[:n]
    tenure = f.tenure[:n]
    renting = is_tenant(tenure) | (tenure == PRIVATE) | (tenure == HOMELESS)
    income = f.employed[:n] | f.disability[:n]
    no_approval = f.approved_until[:n] < m.month
    tries = act & renting & income & no_approval & (
        (u[0] < _consider_rate(m)) | f.offered[:n] | _referred(m))
    f.offered[:n] = False
    idx = tries.nonzero()[0]
    if len(idx):
        apply_for_loans(m, idx, u[1][idx])
    purchase(m, u[2])


def _consider_rate(m: HousingModel) -> np.ndarray:
    """Each family's monthly chance of trying to buy on its own: ``ownership.consider_rate``,
    raised for municipal tenants by outreach and by an office that also follows them up
    (``policy.allocation.colocated_move_on``: it knows when a tenant is ready, Røe (2018)
    §3.1.2–§3.1.3), and for families with a housing-career plan."""
    p, f, n = m.p, m.f, m.f.n
    tenant = is_tenant(f.tenure[:n])
    rows = slice(0, n)  # a parameter for every row: its town's in a mixed batch
    rate = m.towns.per_row(p["ownership.consider_rate"])
    outreach = p["policy.startloan.outreach"]  # a bool, or one per town in a batch
    if np.any(outreach):
        reached = tenant & (m.towns.at(outreach, rows) != 0)
        rate = np.where(reached, rate * m.towns.at(p["policy.startloan.outreach_factor"], rows),
                        rate)
    if p["policy.allocation.with_followup"]:
        rate = np.where(tenant, rate * m.towns.at(p["policy.allocation.colocated_move_on"], rows),
                        rate)
    return np.where(f.career_plan[:n],
                    rate * m.towns.at(p["policy.followup.effect_readiness"], rows), rate)


def _referred(m: HousingModel) -> np.ndarray | bool:
    """Families with children who ask the municipality for help with housing (homeless, or
    having to move) and are sent straight to the start-loan desk
    (``policy.startloan.refer_children``; Verdal after its 2013 review, Røe (2018) §3.1.1)."""
    f, n = m.f, m.f.n
    if not m.p["policy.startloan.refer_children"]:
        return False
    asking = (f.tenure[:n] == HOMELESS) | (f.exit_by[:n] >= 0)
    return asking & (f.n_children[:n] > 0)


def bank_assessment(m: HousingModel, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bank's decision for families ``idx``: (approved, loan NOK), the stress test at the
    month's bank rate."""
    p, f = m.p, m.f
    price = house_price(m, f.persons[idx], idx)
    debt_service = f.debt[idx] * m.towns.at(p["economy.debt_min_payment"], idx)
    _, sifo, _ = living_costs(m)
    job = f.permanent[idx] if p["bank.requires_permanent_job"] else f.employed[idx]
    down = np.minimum(f.savings[idx], price)
    ok = job & ~f.remark[idx] & bank_mortgage_ok(
        price, down, 12 * f.gross_income[idx], f.debt[idx], f.net_income[idx], sifo[idx],
        debt_service, m.towns.at(m.market.bank_rate, idx), p["bank.term_years"] * 12,
        p["bank.max_ltv"], p["bank.max_dti"], p["bank.stress_add"], p["bank.stress_floor"])
    return np.asarray(ok), price - down


def apply_for_loans(m: HousingModel, idx: np.ndarray, u: np.ndarray) -> None:
    """Families ``idx`` try the bank, then those the bank refuses the start-loan desk, if it
    takes their application (:func:`sim.engine.processes.startloan.may_apply`), within its
    year's frame (``u``: their random numbers for the desk's order)."""
    f = m.f
    bank_ok, bank_loan = bank_assessment(m, idx)
    price = house_price(m, f.persons[idx], idx)
    b = idx[bank_ok]
    _approve(m, b, OWNER_BANK, bank_loan[bank_ok], np.zeros(len(b)), price[bank_ok])
    rest = ~bank_ok & startloan.may_apply(m, idx)
    a = idx[rest]
    if not len(a):
        return
    startloan.record_applications(m, a)
    ok, loan, grant = startloan.assess(m, a)
    granted = startloan.within_budget(m, a, ok, loan, u[rest])
    _approve(m, a[granted], OWNER_STARTLOAN, loan[granted], grant[granted],
             price[rest][granted])


def _approve(m: HousingModel, idx: np.ndarray, kind: int, loan: np.ndarray, grant: np.ndarray,
             price: np.ndarray) -> None:
    f = m.f
    f.approved_until[idx] = m.month + m.p["ownership.approval_months"]
    f.approved_kind[idx] = kind
    f.approved_loan[idx] = loan
    f.approved_grant[idx] = grant
    f.approved_price[idx] = price
    f.approved_index[idx] = m.towns.at(m.market.price_index, idx)


def purchase(m: HousingModel, u: np.ndarray) -> None:
    """Approved families find a home and buy; they leave their rented or municipal dwelling."""
    p, f, n = m.p, m.f, m.f.n
    approved = f.active[:n] & (f.approved_until[:n] >= m.month)
    success = m.towns.at(p["ownership.purchase_success"], slice(0, n))
    found = (approved & (u < success)).nonzero()[0]
    # the equity is paid at closing: a family whose savings fell below the down payment since
    # the approval cannot complete (it keeps the approval, and may buy once it has saved again)
    down = np.maximum(f.approved_price[found] - f.approved_loan[found]
                      - f.approved_grant[found], 0.0)
    can_pay = f.savings[found] >= down
    idx, down = found[can_pay], down[can_pay]
    if not len(idx):
        return
    kind = f.approved_kind[idx]
    loan = f.approved_loan[idx]
    sl = kind == OWNER_STARTLOAN
    rate = np.where(sl, startloan.rate(m, idx), m.towns.at(m.market.bank_rate, idx))
    months = np.where(sl, p["policy.startloan.term_years"] * 12, p["bank.term_years"] * 12)
    f.savings[idx] -= down
    f.transfers[idx] -= down
    municipal.move_out(m, idx, kind)
    homes.owner_home(m, idx, homes.draws(m)[homes.ZONE][idx])
    f.loan_principal[idx] = loan
    f.loan_rate[idx] = rate
    f.loan_months[idx] = months
    f.loan_payment[idx] = annuity_payment(loan, rate, months)
    f.loan_fixed[idx] = sl & p["policy.startloan.fixed_rate"]
    f.loan_arrears[idx] = 0.0
    f.relief_until[idx] = -1
    f.price_paid[idx] = f.approved_price[idx]
    f.price_index_paid[idx] = f.approved_index[idx]
    f.grant[idx] = f.approved_grant[idx]
    f.grant_month[idx] = np.where(f.approved_grant[idx] > 0, m.month, -1)
    f.approved_until[idx] = -1
    f.waiting_since[idx] = -1
    m.flows["purchases"] += m.towns.count(idx)
    m.flows["grants_nok"] += m.towns.total(f.approved_grant[idx], idx)
    m.flows["startloan_lent_nok"] += m.towns.total(loan[sl], idx[sl])


def relief(m: HousingModel) -> None:
    """Interest-only periods for owners who fall behind, and their end.

    - *Start loans*: Husbanken lets the municipality give a start-loan borrower in difficulty
      an interest-only period (up to 8 years, Husbanken (n.d.-a)) instead of forcing a sale. A
      start-loan owner with loan arrears who has not had relief pays only interest for
      ``ownership.interest_only_months`` (if ``policy.startloan.payment_relief``).
    - *Bank loans*: the mortgage regulation lets a bank defer instalments when something in the
      loan's life weakens the borrower's ability to pay for a time, and Finanstilsynet asks banks
      to give it only then (Boliglånsforskriften (2015)). A bank owner with loan arrears whose
      weakening is temporary — in work, or drawing unemployment benefit after losing it — and
      who has not had relief on this loan pays only interest for
      ``ownership.bank_forbearance_months`` (an assumption; 0: no forbearance). An owner living
      on social assistance or a disability pension has a lasting loss of income and gets none.

    Afterwards the loan is paid down over the months of its term still left. One period per
    loan: ``relief_until`` keeps the month it ended.
    """
    p, f, n = m.p, m.f, m.f.n
    owner = f.active[:n] & is_owner(f.tenure[:n])
    ending = (owner & (f.relief_until[:n] == m.month)).nonzero()[0]
    if len(ending):
        f.loan_payment[ending] = annuity_payment(f.loan_principal[ending], f.loan_rate[ending],
                                                 np.maximum(f.loan_months[ending], 1))
    sl = f.tenure[:n] == OWNER_STARTLOAN
    months = np.where(sl, m.towns.at(p["ownership.interest_only_months"], slice(0, n)),
                      m.towns.at(p["ownership.bank_forbearance_months"], slice(0, n)))
    granted = np.where(sl, p["policy.startloan.payment_relief"],
                       f.employed[:n] | (f.ub_left[:n] > 0))
    start = (owner & granted & (months > 0) & (f.loan_arrears[:n] > 0)
             & (f.relief_until[:n] < 0) & (f.exit_by[:n] < 0)).nonzero()[0]
    f.relief_until[start] = m.month + months[start]
    f.loan_payment[start] = f.loan_principal[start] * f.loan_rate[start] / 12


def defaults(m: HousingModel, u: np.ndarray) -> None:
    """The lender petitions for a forced sale of owners ``ownership.default_after`` months
    behind, to be completed ``ownership.forced_sale_months`` later; before that, bank owners
    halfway there and not yet under a petition may ask the start-loan desk to refinance
    (``u``: the desk's order), where the practice allows it.

    The petition is a notice to move (``exit_by`` at the sale): meanwhile the family lives in
    the home and looks for a rental, and an owner whose arrears fall below the threshold has
    paid and stopped the sale (Tvangsfullbyrdelsesloven (1992) ch. 11: the owner may settle
    and stop a forced sale until the bid is confirmed; the months are an assumption). The sale
    itself is completed by the housing search (:mod:`sim.engine.processes.search`), like any
    other notice to move: when the family finds a rental, or at the sale's month, when a
    family still in the home becomes homeless.
    """
    p, f, n = m.p, m.f, m.f.n
    payment = np.maximum(f.loan_payment[:n], 1.0)
    owing = f.active[:n] & is_owner(f.tenure[:n])
    after = m.towns.at(p["ownership.default_after"], slice(0, n))
    if p["policy.startloan.refinance"]:
        trouble = owing & (f.tenure[:n] == OWNER_BANK) & (f.exit_by[:n] < 0) & (
            f.loan_arrears[:n] >= after / 2 * payment)
        ask = trouble.nonzero()[0]
        if len(ask):
            startloan.refinance(m, ask, u[ask])
    behind = f.loan_arrears[:n] >= after * payment
    notice = f.exit_by[:n] >= 0
    f.exit_by[:n][owing & notice & ~behind] = -1  # paid up: the sale is stopped
    due = owing & ~notice & behind
    f.exit_by[:n][due] = m.month + m.towns.at(p["ownership.forced_sale_months"], due)


def forced_sale(m: HousingModel, idx: np.ndarray) -> None:
    """The homes of owners ``idx`` are sold by force: the lenders' losses, the grant reclaimed,
    what is left to the family, a payment remark. Where the family goes is the caller's."""
    p, f = m.p, m.f
    sale = market_value(m, idx) * (1 - m.towns.at(p["market.forced_sale_discount"], idx))
    costs = m.towns.at(p["market.sale_costs"], idx)
    loss = np.asarray(forced_sale_loss(f.loan_principal[idx], f.loan_arrears[idx], sale, costs))
    sl = f.tenure[idx] == OWNER_STARTLOAN
    municipal, _state = share_loss(np.where(sl, loss, 0.0),
                                   p["policy.startloan.municipal_loss_share"])
    left = np.maximum(sale - costs - f.loan_principal[idx]
                      - f.loan_arrears[idx], 0.0)
    # the part of a grant not yet written off is reclaimed from what is left
    years = (m.month - f.grant_month[idx]) / 12
    unwritten = f.grant[idx] * np.clip(1 - years / p["policy.startloan.grant_writeoff_years"],
                                       0, 1)
    reclaimed = np.minimum(unwritten, left)
    f.savings[idx] += left - reclaimed
    f.transfers[idx] += left - reclaimed + f.loan_arrears[idx]  # the sale pays the arrears
    f.remark[idx] = True
    f.loan_principal[idx] = 0.0
    f.loan_arrears[idx] = 0.0
    f.loan_payment[idx] = 0.0
    f.grant[idx] = 0.0
    m.flows["forced_sales"] += m.towns.count(idx)
    m.flows["forced_sales_startloan"] += m.towns.count(idx[sl])
    m.flows["startloan_losses_nok"] += m.towns.total(loss[sl], idx[sl])
    m.flows["startloan_losses_municipal_nok"] += m.towns.total(np.asarray(municipal), idx)
    m.flows["grants_nok"] -= m.towns.total(reclaimed, idx)
