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
- the year's lending frame, and a share of the year's loans to families with children the
  desk works towards (Husbanken's aim of at least 50 %, which Verdal and Malvik met, Røe
  §3.1.1, §3.3.3): while the year's share is below it, families with children are granted
  first — a priority, never a refusal of others;
- families who apply: the desk counts an application when it assesses one, and each family
  the first time it applies; a refused family applies again only after
  ``policy.startloan.reapply_months`` or when its circumstances change (:func:`may_apply`);
- refinancing to keep a home (``policy.startloan.refinance``): an owner about to lose the home
  to arrears may have the loan and arrears replaced by a start loan over the desk's term
  (:func:`refinance`).

:class:`Desk` keeps the year's lending, which renews each January.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import OWNER_STARTLOAN
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


# ---------------------------------------------------------------------- who applies
def circumstances(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """What the desk weighs that can change, as one code per family: work, a permanent job,
    disability pension, payment remarks, remarks cleared by counselling, children."""
    f = m.f
    return (f.employed[idx].astype(np.int8) | f.permanent[idx] << 1 | f.disability[idx] << 2
            | f.remark[idx] << 3 | f.cleared[idx] << 4 | (f.n_children[idx] > 0) << 5)


def may_apply(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """Whether families ``idx`` may apply this month: never assessed before, or assessed at
    least ``policy.startloan.reapply_months`` ago, or their circumstances changed since
    (assumption: the desk does not assess the same case again and again)."""
    f = m.f
    last = f.desk_applied[idx]
    waited = m.month - last >= m.towns.at(m.p["policy.startloan.reapply_months"], idx)
    return (last < 0) | waited | (circumstances(m, idx) != f.desk_state[idx])


def record_applications(m: HousingModel, idx: np.ndarray) -> None:
    """The desk assesses families ``idx`` this month: an application each, and an applicant
    family for each that never applied before."""
    f = m.f
    m.flows["startloan_applications"] += m.towns.count(idx)
    m.flows["startloan_applicants"] += m.towns.count(idx[f.desk_applied[idx] < 0])
    f.desk_applied[idx] = m.month
    f.desk_state[idx] = circumstances(m, idx)


def rate(m: HousingModel, idx: np.ndarray) -> Any:
    """Start-loan interest of a new loan for families ``idx``, 1/year: the month's Husbanken
    rate + the municipal margin, + the premium if the municipality lends at a fixed rate
    (``policy.startloan.fixed_rate``)."""
    p = m.p
    premium = (m.towns.at(p["policy.startloan.fixed_premium"], idx)
               if p["policy.startloan.fixed_rate"] else 0.0)
    return floating_startloan_rate(p, m.towns.at(m.market.husbanken_rate, idx)) + premium


# ---------------------------------------------------------------------- the assessment
def assess(m: HousingModel, idx: np.ndarray, loan: np.ndarray | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The desk's decision for families ``idx``, before the budget: (approved, loan, grant).

    Income, payment remarks, and affordability with the municipality's budget standard, rate,
    stress add-on and term. For a purchase (``loan`` None) the loan is the price of a suitable
    home less savings above the buffer, and a grant up to ``policy.startloan.grant_max``
    closes a gap; to refinance, ``loan`` is what the family owes and no grant is given.
    """
    p, f = m.p, m.f
    persons = f.persons[idx]
    purchase = loan is None
    if loan is None:
        down = np.maximum(f.savings[idx] - m.towns.at(p["economy.savings_buffer"], idx), 0.0)
        loan = np.maximum(house_price(m, persons, idx) - down, 0.0)
    debt_service = f.debt[idx] * m.towns.at(p["economy.debt_min_payment"], idx)
    _, sifo, actual = living_costs(m)
    living = (sifo if p["policy.startloan.budget_standard"] == "sifo" else actual)[idx]
    stressed = rate(m, idx) + (0.0 if p["policy.startloan.fixed_rate"] else
                               m.towns.at(p["policy.startloan.stress_add"], idx))
    term = p["policy.startloan.term_years"] * 12
    owner_costs = m.towns.at(p["economy.owner_costs"], idx)
    net = f.net_income[idx]
    pay = annuity_payment(loan, stressed, term)
    allow = allowance(m, pay + owner_costs, persons, f.gross_income[idx], idx)
    ok = affordable(net + allow, living, pay + owner_costs, debt_service)
    grant = np.zeros(len(idx))
    if purchase and p["policy.startloan.grant_max"] > 0:
        capacity = net + allow - living - debt_service - owner_costs
        max_loan = np.where(capacity > 0, annuity_principal(np.maximum(capacity, 0), stressed,
                                                            term), 0.0)
        gap = loan - max_loan
        grantable = ~ok & (capacity > 0) & (gap > 0) & (gap <= p["policy.startloan.grant_max"])
        grant = np.where(grantable, gap, 0.0)
        loan = np.where(grantable, max_loan, loan)
        ok = ok | grantable
    return np.asarray(_income_ok(m, idx) & _remarks_ok(m, idx) & ok), np.asarray(loan), grant


def _income_ok(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """The income requirement: a permanent job (families with children in work too, where
    the practice exempts them), or any stable income including disability pension."""
    p, f = m.p, m.f
    if p["policy.startloan.income_requirement"] == "permanent_job":
        kids = f.n_children[idx] > 0
        return f.permanent[idx] | (p["policy.startloan.children_priority"] & kids
                                   & f.employed[idx])
    return f.employed[idx] | f.disability[idx]


def _remarks_ok(m: HousingModel, idx: np.ndarray) -> np.ndarray:
    """No payment remarks, or remarks cleared by debt counselling where that is accepted."""
    f = m.f
    return ~f.remark[idx] | (m.p["policy.startloan.remarks_after_counselling"] & f.cleared[idx])


# ---------------------------------------------------------------------- the year's lending
def within_budget(m: HousingModel, idx: np.ndarray, ok: np.ndarray, loan: np.ndarray,
                  u: np.ndarray) -> np.ndarray:
    """Which of the approved applicants ``idx`` (``ok``) get their ``loan`` this month.

    The year's lending frame (``policy.startloan.budget_per_1000`` per 1,000 inhabitants) is
    granted in random order (``u``), except that while the year's share of loans to families
    with children is below ``policy.startloan.children_share``, families with children come
    first. A family without children is never refused for the share's sake: the share is an
    aim the desk works towards (Husbanken's guidance), not a quota. Each town of a batch has
    its own frame and year's loans. Records the loans in :class:`Desk` and the month's flows.
    """
    p, f, desk = m.p, m.f, m.desk
    budget = p["policy.startloan.budget_per_1000"] * p["municipality.inhabitants"] / 1000
    budget = budget if type(budget) is np.ndarray else (budget,) * m.towns.n
    kids = f.n_children[idx] > 0
    town = f.town[idx]
    granted = np.zeros(len(idx), bool)
    order = np.flatnonzero(ok)[np.argsort(u[ok], kind="stable")]  # approved, in random order
    for t in np.unique(town[order]):
        for j in _queue(order[town[order] == t], kids, desk, t,
                        p["policy.startloan.children_share"]):
            if loan[j] <= budget[t] - desk.lent[t]:
                granted[j] = True
                desk.lent[t] += loan[j]
                desk.granted[t] += 1
                desk.granted_children[t] += kids[j]
    g = idx[granted]
    m.flows["startloans_granted"] += m.towns.count(g)
    m.flows["startloans_granted_children"] += m.towns.count(g[kids[granted]])
    return granted


def _queue(order: np.ndarray, kids: np.ndarray, desk: Desk, t: int, share: float
           ) -> Iterator[int]:
    """Town ``t``'s approved applicants ``order`` (random order) in the order the desk takes
    them: with a share to work towards, a family with children whenever the year's share
    would otherwise fall below it (``desk`` is read as loans are granted), else the next."""
    if share <= 0:
        yield from order
        return
    with_kids = deque(j for j in order if kids[j])
    others = deque(j for j in order if not kids[j])
    while with_kids or others:
        below = desk.granted_children[t] < share * (desk.granted[t] + 1)
        yield (with_kids if with_kids and (below or not others) else others).popleft()


# ---------------------------------------------------------------------- keeping a home
def refinance(m: HousingModel, idx: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Owners ``idx`` about to lose their home to loan arrears ask the desk to refinance
    (``policy.startloan.refinance``): a start loan of what they owe (loan and arrears) over the
    desk's term, assessed as a purchase is and granted within the year's frame. Returns those
    refinanced; their loan becomes a start loan and their arrears are folded into it.

    Husbanken lets municipalities refinance with a start loan so that a household can keep a
    home it is about to lose (Husbanken (n.d.-a)); assumption: the owner asks once the
    arrears reach half the lender's limit, and the desk assesses it like any application.
    """
    f = m.f
    asks = may_apply(m, idx)
    idx, u = idx[asks], u[asks]
    if not len(idx):
        return idx
    record_applications(m, idx)
    owed = f.loan_principal[idx] + f.loan_arrears[idx]
    ok, loan, _ = assess(m, idx, owed)
    done = idx[within_budget(m, idx, ok, loan, u)]
    r = rate(m, done)
    months = m.p["policy.startloan.term_years"] * 12
    f.loan_principal[done] = f.loan_principal[done] + f.loan_arrears[done]
    f.transfers[done] += f.loan_arrears[done]  # owed on the loan now, not in arrears
    f.loan_arrears[done] = 0.0
    f.loan_rate[done] = r
    f.loan_months[done] = months
    f.loan_payment[done] = annuity_payment(f.loan_principal[done], r, months)
    f.relief_until[done] = -1
    f.loan_fixed[done] = m.p["policy.startloan.fixed_rate"]
    f.tenure[done] = OWNER_STARTLOAN  # the same home: the time in it runs on
    m.flows["startloans_refinanced"] += m.towns.count(done)
    m.flows["startloan_lent_nok"] += m.towns.total(f.loan_principal[done], done)
    return done
