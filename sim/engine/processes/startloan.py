"""The start-loan desk: the municipality's assessment of families the bank refuses, and the
year's lending within its budget.

Start loans are for those who cannot get an ordinary bank loan (Husbanken's regulation and
guide; Røe (2018) §3.1.1, §3.3.1). The desk's practice is the municipality's:

- *income requirement*: a permanent job, as the banks demand, or any stable income including
  disability pension (Verdal and Malvik);
- *payment remarks* block a loan, or are accepted once debt counselling has cleared them
  (Malvik);
- *living costs* by the SIFO budget or by the family's documented actual spending (Verdal's
  bank statements);
- the month's Husbanken rate plus the municipal margin, fixed (no stress add-on) or floating, a
  30- or 50-year term, full financing, and a grant closing a remaining gap;
- an annual lending budget, and a minimum share of the year's loans to families with
  children (Husbanken's guideline of at least 50 %, which Malvik follows, Røe §3.3.3).

:class:`Desk` keeps the year's lending, which renews each January.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.finance import affordable, annuity_payment, annuity_principal
from sim.engine.processes.economy import allowance, living_costs
from sim.engine.processes.market import floating_startloan_rate, house_price

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


class Desk:
    """The year's start loans so far, per town: what was lent (NOK), how many loans were
    granted, and how many of them to families with children."""

    def __init__(self, towns: int):
        self.lent = np.zeros(towns)
        self.granted = np.zeros(towns, dtype=np.int64)
        self.granted_children = np.zeros(towns, dtype=np.int64)

    def new_year(self) -> None:
        """The budget renews: nothing lent or granted yet this year."""
        self.lent[:] = 0.0
        self.granted[:] = 0
        self.granted_children[:] = 0


def rate(p: dict[str, Any], husbanken: Any) -> Any:
    """Start-loan interest of a new loan, 1/year: the month's Husbanken rate ``husbanken`` (a
    number, or one per family) + the municipal margin, + the premium if the municipality lends
    at a fixed rate (``policy.startloan.fixed_rate``)."""
    return (floating_startloan_rate(p, husbanken)
            + (p["policy.startloan.fixed_premium"] if p["policy.startloan.fixed_rate"] else 0.0))


def assess(m: HousingModel, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The desk's decision for families ``idx``, before the budget: (approved, loan, grant).

    Income, payment remarks, and affordability with the municipality's budget standard, rate,
    stress add-on and term; a grant up to ``policy.startloan.grant_max`` closes a gap.
    """
    p, f = m.p, m.f
    persons = f.persons[idx]
    price = house_price(m, persons, idx)
    debt_service = f.debt[idx] * p["economy.debt_min_payment"]
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
    stressed = rate(p, m.towns.at(m.market.husbanken_rate, idx)) + (
        0.0 if p["policy.startloan.fixed_rate"] else p["policy.startloan.stress_add"])
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


def within_budget(m: HousingModel, idx: np.ndarray, ok: np.ndarray, loan: np.ndarray,
                  u: np.ndarray) -> np.ndarray:
    """Which of the approved applicants ``idx`` (``ok``) get their ``loan`` this month.

    The annual lending budget (``policy.startloan.budget_per_1000`` per 1,000 inhabitants) is
    granted in random order (``u``); with a minimum share for families with children
    (``policy.startloan.children_share``) they are taken first, and a loan to a family
    without children must keep the year's share. Each town of a batch has its own budget and
    year's loans. Records the loans in :class:`Desk` and the month's flows.
    """
    p, f, desk = m.p, m.f, m.desk
    budget = p["policy.startloan.budget_per_1000"] * p["municipality.inhabitants"] / 1000
    budget = budget if type(budget) is np.ndarray else (budget,) * m.towns.n
    share = p["policy.startloan.children_share"]
    kids = f.n_children[idx] > 0
    town = f.town[idx]
    order = np.lexsort((u, ~kids)) if share > 0 else np.argsort(u, kind="stable")
    granted = np.zeros(len(idx), bool)
    for j in order[ok[order]]:
        t = town[j]
        if loan[j] > budget[t] - desk.lent[t]:
            continue
        if not kids[j] and desk.granted_children[t] < share * (desk.granted[t] + 1):
            continue
        granted[j] = True
        desk.lent[t] += loan[j]
        desk.granted[t] += 1
        desk.granted_children[t] += kids[j]
    g = idx[granted]
    m.flows["startloans_granted"] += m.towns.count(g)
    m.flows["startloans_granted_children"] += m.towns.count(g[kids[granted]])
    return granted
