"""The household economy: income, living and housing costs, allowances, social assistance,
savings, debt, debt counselling, payment remarks and arrears.

Each month, for every active family (amounts NOK/month):

1. *Income*: wage if employed, unemployment benefit after a job loss, disability pension,
   introduction benefit per adult in the programme, taxed at ``work.tax_rate``; child benefit
   on top.
2. *Housing cost due*: municipal rent, market rent, or loan payment plus owner costs
   (:meth:`sim.engine.model.HousingModel.housing_payment`); nothing for the homeless, whose
   temporary
   accommodation the municipality pays.
3. *Housing allowance* (bostøtte) by Husbanken's formula
(:func:`sim.engine.finance.housing_allowance`).
4. *Living costs*: the family's actual spending lies between NAV's guideline (the floor) and the
   SIFO budget (``spending_position``); a family plan moves it halfway to the guideline
   (``policy.followup.effect_plan``, Røe (2018) §3.2.1).
5. *Social assistance* tops income plus allowance up to the guideline plus housing cost (up to a
   housing norm) when savings are spent (``economy.savings_buffer``) and the family is one that
   claims (a share ``economy.sa_takeup`` of families, drawn once); recipients live on the
   guideline, and NAV pays their rent directly, so they have no budgeting failures.
6. *Consumer debt* accrues interest and asks a minimum payment.
7. *The month's balance* with spending at the guideline: a surplus first pays arrears, then
   lifts spending to the family's usual level, and a share of the rest is saved; a deficit
   draws savings, then leaves the debt payment unpaid, then the housing payment (rent or loan
   arrears), and what is still missing becomes new debt. NAV covers the rent arrears of
   families it supports (``economy.sa_covers_arrears``; one-off help to prevent eviction).
   Families with budgeting problems (need or payment remarks) not on social assistance also
   miss housing payments at ``economy.payment_failure_rate`` though they could pay — less
   when followed up, with a family plan, or placed by an office that also follows up
   (Røe §3.1.3).
8. *Payment remarks* after ``economy.remark_after_missed`` months of missed payments; they lapse
   ``economy.remark_clear_months`` after all debts are settled.
9. *Debt counselling* (entered in :mod:`sim.engine.processes.followup`) ends after
   ``economy.counselling_months``
   and clears the debt with probability ``economy.counselling_success`` (Røe §3.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import HOMELESS, MUNICIPAL, NEED_LOW, PRIVATE, SUBLET, is_owner, is_tenant
from sim.engine.finance import housing_allowance, sa_guideline, sifo_budget
from sim.engine.processes.homes import rent_persons
from sim.engine.processes.market import (
    market_rent,
    market_rent_level,
    municipal_rent_level,
    per_person,
    size_factor,
)
from sim.engine.processes.stock import OWNED, SUBLET_KIND

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def gross_income(m: HousingModel) -> np.ndarray:
    """Gross monthly income from work, unemployment benefit, disability pension and the
    introduction benefit."""
    p, f, n = m.p, m.f, m.f.n
    return (f.employed[:n] * f.wage[:n] + f.employed2[:n] * f.wage2[:n]
            + f.disability[:n] * m.towns.at(p["work.disability_pension"], slice(0, n))
            + (f.ub_left[:n] > 0) * f.ub_amount[:n]
            + (f.intro_left[:n] > 0) * f.adults[:n] * p["work.intro_benefit"])


def net_income(m: HousingModel, gross: np.ndarray) -> np.ndarray:
    """Net monthly income: gross after tax plus child benefit."""
    p, f = m.p, m.f
    return gross * (1 - p["work.tax_rate"]) + f.n_children * p["work.child_benefit"]


#: The parameters of the guideline and the SIFO budget: a change recomputes every family's.
_LIVING_PARAMETERS = ("economy.sa_single", "economy.sa_couple", "economy.sa_child_0_5",
                      "economy.sa_child_6_10", "economy.sa_child_11_17",
                      "economy.sifo_reference", "economy.equivalence_second_adult",
                      "economy.equivalence_child")
#: Ages (years) at which a child moves to another band of the guideline (``sa_guideline``:
#: 6, 11, and 18, which counts no more), then none.
_BAND_AGES = np.array([6.0, 11.0, 18.0, np.inf])


class LivingCosts:
    """What :func:`living_costs` keeps between calls: the parameters the families' kept
    guideline and SIFO budget were computed with, and this month's result (the economy and
    the start-loan desk ask for it several times a month)."""

    def __init__(self) -> None:
        self.parameters: tuple[Any, ...] | None = None
        self.month: int = -1
        self.values: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def forget(self) -> None:
        """Compute afresh when next asked (the households may have changed)."""
        self.values = None


def living_costs(m: HousingModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(NAV guideline, SIFO budget, actual spending) per family, NOK/month, excl. housing.

    Computed once a month (households and plans do not change between the economy and the start-loan
    desk) and kept for the month (``m.living``, a :class:`LivingCosts`). The guideline and the SIFO
    budget depend only on the household and the parameters, so each family's are kept in the
    ``guide`` and ``sifo`` columns and computed again only from its ``costs_due`` month: when a
    child may have aged into another band (a month early, as ages grow by repeated additions), or at
    once when the household changes (``costs_due`` = -1: births, children leaving, separation,
    re-partnering, arrival) or the parameters do. The values are exactly those computed afresh every
    month (``tests/engine/processes/test_economy.py``).
    """
    p, f, n, kept = m.p, m.f, m.f.n, m.living
    if kept.values is not None and kept.month == m.month and len(kept.values[0]) == n:
        return kept.values
    params = tuple(np.asarray(p[k]).tolist() for k in _LIVING_PARAMETERS)
    if params != kept.parameters:  # the run's start, or a phase changed them
        f.costs_due[:n] = -1
        kept.parameters = params
    rows = (f.costs_due[:n] <= m.month).nonzero()[0]
    # the first month: every family, faster by a slice
    due: np.ndarray | slice = slice(0, n) if len(rows) == n else rows
    if n and len(rows):
        adults, ages = f.adults[due], f.child_age[due]
        f.guide[due] = sa_guideline(adults, ages, *(p[k] for k in _LIVING_PARAMETERS[:5]))
        w2 = m.towns.at(p["economy.equivalence_second_adult"], due)
        wc = m.towns.at(p["economy.equivalence_child"], due)
        f.sifo[due] = sifo_budget(adults, f.kids[due], p["economy.sifo_reference"],
                                  1 + w2 + 2 * wc, w2, wc)
        # months until a child may reach the next band age, one early; at least one
        months = ((_BAND_AGES.take(_BAND_AGES.searchsorted(ages, side="right")) - ages) * 12
                  ).min(axis=1)
        f.costs_due[due] = m.month + np.clip(np.ceil(months) - 1, 1, 2**30).astype(np.int32)
    guide, sifo = f.guide[:n], f.sifo[:n]
    guide.flags.writeable = sifo.flags.writeable = False  # views of the kept columns
    pos = f.spending_pos[:n] * np.where(
        f.plan[:n], m.towns.at(p["policy.followup.effect_plan"], slice(0, n)), 1.0)
    actual = guide + pos * np.maximum(sifo - guide, 0.0)
    kept.values, kept.month = (guide, sifo, actual), m.month
    return kept.values


#: Husbanken's caps on approved housing cost for 1, 2, 3, 4 and 5+ persons.
_CAPS = tuple(f"economy.bostotte_cap_{k}" for k in range(1, 6))


def allowance(m: HousingModel, cost: np.ndarray, persons: np.ndarray, gross: np.ndarray,
              rows: np.ndarray | slice) -> np.ndarray:
    """Housing allowance (bostøtte) for a monthly housing cost of families ``rows``,
    NOK/month."""
    p = m.p
    caps = [p[name] for name in _CAPS]
    return np.asarray(housing_allowance(cost, persons, 12 * gross, caps,
                                        p["economy.bostotte_min_own"],
                                        m.towns.at(p["economy.bostotte_own_rate"], rows),
                                        p["economy.bostotte_coverage"]))


def sa_housing_norm(m: HousingModel, persons: np.ndarray, rows: np.ndarray | slice
                    ) -> np.ndarray:
    """Housing cost social assistance accepts, NOK/month: a share of the local market rent
    for the household's size (``economy.sa_housing_norm_share``), for households of
    ``persons`` in the families ``rows``."""
    p = m.p
    level = p["economy.sa_housing_norm_share"] * p["market.rent"] * m.market.rent_index
    return m.towns.at(level, rows) * size_factor(persons, per_person(m, rows))


def housing_payment(m: HousingModel, idx: np.ndarray | slice) -> np.ndarray:
    """Monthly housing payment due from families ``idx`` (indices or a slice) in their
    tenure, NOK/month: the rent of the tenure's dwelling for three persons scaled to the
    dwelling's size (:func:`sim.engine.processes.homes.rent_persons`; a private lease at its
    own rent factor), or an owner's loan payment plus owner costs."""
    p, f, towns = m.p, m.f, m.towns.n
    t = f.tenure[idx]
    level = np.zeros((6, towns))  # by tenure (and town)
    level[[MUNICIPAL, SUBLET]] = municipal_rent_level(m)
    level[PRIVATE] = market_rent_level(m)
    if towns == 1:
        by_tenure = level[:, 0].take(t)
    else:  # a flat take: 4x faster than indexing by (tenure, town)
        by_tenure = level.T.ravel().take(f.town[idx] * len(level) + t)
    rooms = rent_persons(f.home_rooms[idx], f.adults[idx] + f.kids[idx])
    rent = by_tenure * size_factor(rooms, per_person(m, idx))
    rent = np.where(t == PRIVATE, rent * f.rent_factor[idx], rent)
    return np.where(is_owner(t), f.loan_payment[idx] + m.towns.at(p["economy.owner_costs"], idx),
                    rent)


def can_afford_rent(m: HousingModel, idx: np.ndarray, *, with_sa: bool = True,
                    factor: np.ndarray | float = 1.0, rooms: np.ndarray | None = None
                    ) -> np.ndarray:
    """Whether families ``idx`` can afford a private rental at ``factor`` times the market rent
    of a dwelling of ``rooms`` (default: a suitable one for their size).

    On their own income: rent after housing allowance at most ``market.max_rent_share`` of net
    income. With ``with_sa``, also when the rent is within the housing norm social assistance
    covers (a landlord gets paid; a municipal review does not count on it).
    """
    p, f = m.p, m.f
    persons = f.persons[idx]
    size = persons if rooms is None else rent_persons(rooms, persons)
    rent = market_rent(m, size, idx) * factor
    net_rent = rent - allowance(m, rent, persons, f.gross_income[idx], idx)
    own = net_rent <= m.towns.at(p["market.max_rent_share"], idx) * f.net_income[idx]
    return own | (rent <= sa_housing_norm(m, persons, idx)) if with_sa else own


@dataclass
class _Means:
    """What every row in use has and owes this month before social assistance, NOK/month."""

    gross: np.ndarray  # gross income
    net: np.ndarray  # net income
    housing: np.ndarray  # housing payment due
    allow: np.ndarray  # housing allowance
    guide: np.ndarray  # NAV's guideline (the floor of spending)
    actual: np.ndarray  # the family's usual spending


@dataclass
class _Help:
    """What NAV pays this month, NOK/month."""

    sa: np.ndarray  # social assistance
    nav_arrears: np.ndarray  # rent arrears NAV settled


@dataclass
class _Paid:
    """How the month's payments went, NOK/month."""

    unpaid_housing: np.ndarray
    unpaid_debt: np.ndarray
    pay_rent: np.ndarray  # rent arrears paid back
    loan_unpaid: np.ndarray  # loan payment left unpaid
    spent: np.ndarray  # living costs paid (see Families.spent)
    interest: np.ndarray  # interest added to consumer debt


def step(m: HousingModel) -> None:
    """One month of the household economy (see the module docstring for the order)."""
    u = m.streams.uniform("economy", m.f.n, 3)
    means = _income_and_costs(m)
    help_ = _social_assistance(m, means)
    paid = _pay(m, means, help_.sa, u[1])
    _amortise(m, paid.loan_unpaid)
    _remarks(m, paid)
    _counselling(m, u[2])
    _record(m, means, help_, paid)


def _income_and_costs(m: HousingModel) -> _Means:
    """Income, the housing payment due, housing allowance and living costs (steps 1-4)."""
    f, n = m.f, m.f.n
    act = f.active[:n]
    housed = act & (f.tenure[:n] != HOMELESS)
    gross = np.where(act, gross_income(m), 0.0)
    net = np.where(act, net_income(m, gross), 0.0)
    housing = np.where(housed, housing_payment(m, slice(0, n)), 0.0)
    allow = np.where(housed, allowance(m, housing, f.persons, gross, slice(0, n)), 0.0)
    m.living.forget()  # households may have changed since last month
    guide, _, actual = living_costs(m)
    return _Means(gross, net, housing, allow, guide, actual)


def _social_assistance(m: HousingModel, means: _Means) -> _Help:
    """Social assistance tops up to the guideline plus accepted housing cost when own means
    are spent, and NAV settles the rent arrears of the families it supports (step 5)."""
    p, f, n = m.p, m.f, m.f.n
    need = means.guide + np.minimum(means.housing, sa_housing_norm(m, f.persons, slice(0, n)))
    shortfall = need - means.net - means.allow
    buffer = m.towns.at(p["economy.savings_buffer"], slice(0, n))
    sa = np.where(f.active[:n] & (shortfall > 0) & (f.savings[:n] < buffer)
                  & f.sa_claimant[:n], shortfall, 0.0)
    # NAV covers the rent arrears of the families it supports (one-off assistance)
    nav_arrears = np.where((sa > 0) & p["economy.sa_covers_arrears"], f.rent_arrears[:n], 0.0)
    f.rent_arrears[:n] -= nav_arrears
    f.transfers[:n] += nav_arrears
    return _Help(sa, nav_arrears)


def _budgeting_failures(m: HousingModel, housing: np.ndarray, sa: np.ndarray, u: np.ndarray
                        ) -> np.ndarray:
    """Families who spend the housing payment though they could pay it: with budgeting
    problems (need or payment remarks), not on social assistance, at
    ``economy.payment_failure_rate`` — less when followed up, with a family plan, or placed by
    an office that also follows up (Røe (2018) §3.1.3)."""
    p, f, n = m.p, m.f, m.f.n
    rows = slice(0, n)
    fail_rate = m.towns.at(p["economy.payment_failure_rate"], rows) * np.where(
        f.followed[:n], m.towns.at(p["policy.followup.effect_arrears"], rows), 1.0) * np.where(
        f.plan[:n], m.towns.at(p["policy.followup.effect_plan"], rows), 1.0)
    if p["policy.allocation.with_followup"]:
        fail_rate = fail_rate * np.where(
            is_tenant(f.tenure[:n]), m.towns.at(p["policy.allocation.colocated_factor"], rows),
            1.0)
    housed = f.active[:n] & (f.tenure[:n] != HOMELESS)
    troubled = (f.need[:n] > NEED_LOW) | f.remark[:n]
    return housed & troubled & (sa == 0) & (u < fail_rate) & (housing > 0)


def _pay(m: HousingModel, means: _Means, sa: np.ndarray, u: np.ndarray) -> _Paid:
    """Consumer debt, and the month's balance with spending at the guideline (steps 6-7).

    A deficit draws savings, then leaves the debt payment unpaid, then the housing payment,
    and what is still missing becomes new debt; a surplus pays arrears, then lifts spending
    to the family's usual level, and a share of the rest is saved.
    """
    p, f, n = m.p, m.f, m.f.n
    act = f.active[:n]
    owner = is_owner(f.tenure[:n])
    debt = f.debt[:n]
    interest = debt * m.towns.at(p["economy.debt_rate"], slice(0, n)) / 12
    debt += interest
    debt_due = debt * m.towns.at(p["economy.debt_min_payment"], slice(0, n))
    housing = means.housing
    floor_cash = np.where(act, means.net + means.allow + sa - means.guide - housing - debt_due,
                          0.0)
    failure = _budgeting_failures(m, housing, sa, u)

    deficit = np.maximum(-floor_cash, 0.0)
    from_savings = np.minimum(deficit, f.savings[:n])
    f.savings[:n] -= from_savings
    deficit -= from_savings
    unpaid_debt = np.minimum(deficit, debt_due)
    deficit -= unpaid_debt
    short = np.minimum(deficit, housing)  # the part of the housing payment not met
    unpaid_housing = np.where(failure, housing, short)
    new_debt = np.maximum(deficit - unpaid_housing, 0.0)
    debt += new_debt - (debt_due - unpaid_debt)
    np.maximum(debt, 0.0, out=debt)

    # a failed housing payment was spent, so nothing is left
    surplus = np.where(failure, 0.0, np.maximum(floor_cash, 0.0))
    pay_rent = np.minimum(surplus, f.rent_arrears[:n])
    surplus -= pay_rent
    pay_loan = np.minimum(surplus, f.loan_arrears[:n])
    surplus -= pay_loan
    above = np.where(sa > 0, 0.0, np.minimum(surplus, means.actual - means.guide))
    surplus -= above
    saved = surplus * m.towns.at(p["economy.saving_share"], slice(0, n))
    f.savings[:n] += saved
    # spending: the guideline, what is spent above it, and a housing payment spent instead
    # of paid (with what was left over, gone with it)
    spent = np.where(act, means.guide + above + (surplus - saved) + (unpaid_housing - short)
                     + np.where(failure, np.maximum(floor_cash, 0.0), 0.0), 0.0)
    f.rent_arrears[:n] += np.where(owner, 0.0, unpaid_housing) - pay_rent
    loan_unpaid = np.where(owner, np.minimum(unpaid_housing, f.loan_payment[:n]), 0.0)
    f.loan_arrears[:n] += loan_unpaid - pay_loan
    # owners' unpaid costs besides the loan become consumer debt
    debt += np.where(owner, unpaid_housing - loan_unpaid, 0.0)
    return _Paid(unpaid_housing, unpaid_debt, pay_rent, loan_unpaid, spent, interest)


def _amortise(m: HousingModel, loan_unpaid: np.ndarray) -> None:
    """Loans whose payment was made this month are paid down by its part above interest."""
    f, n = m.f, m.f.n
    paying = f.active[:n] & is_owner(f.tenure[:n]) & (loan_unpaid == 0) & (
        f.loan_principal[:n] > 0)
    interest = f.loan_principal[:n] * f.loan_rate[:n] / 12
    repaid = np.minimum(np.maximum(f.loan_payment[:n] - interest, 0.0), f.loan_principal[:n])
    f.loan_principal[:n] -= np.where(paying, repaid, 0.0)
    f.loan_months[:n] -= paying & (f.relief_until[:n] < m.month)  # interest-only: term waits
    paid_off = paying & (f.loan_principal[:n] < 0.5)
    f.loan_principal[:n][paid_off] = 0.0
    f.loan_payment[:n][paid_off] = 0.0


def _remarks(m: HousingModel, paid: _Paid) -> None:
    """Payment remarks after months of missed payments; they lapse a while after all debts
    are settled (step 8)."""
    p, f, n = m.p, m.f, m.f.n
    act = f.active[:n]
    missed = (paid.unpaid_housing > 0) | (paid.unpaid_debt > 0)
    f.missed[:n] = np.where(act & missed, f.missed[:n] + 1, 0)
    new_remark = act & (f.missed[:n] >= m.towns.at(p["economy.remark_after_missed"],
                                                   slice(0, n)))
    f.remark[:n] |= new_remark
    f.remark_clear_at[:n][new_remark] = -1
    settled = f.remark[:n] & (f.debt[:n] <= 0) & (f.rent_arrears[:n] <= 0) & (
        f.loan_arrears[:n] <= 0)
    start_clock = settled & (f.remark_clear_at[:n] < 0)
    f.remark_clear_at[:n][start_clock] = m.month + m.towns.at(p["economy.remark_clear_months"],
                                                              start_clock)
    f.remark_clear_at[:n][~settled] = -1
    lapse = settled & (f.remark_clear_at[:n] >= 0) & (f.remark_clear_at[:n] <= m.month)
    f.remark[:n][lapse] = False


def _counselling(m: HousingModel, u: np.ndarray) -> None:
    """Debt counselling ends, and clears the debt of some (step 9)."""
    p, f, n = m.p, m.f, m.f.n
    counsel = f.active[:n] & (f.counselling_left[:n] > 0)
    f.counselling_left[:n] -= counsel  # one month less for those in it
    done = counsel & (f.counselling_left[:n] == 0)
    success = done & (u < m.towns.at(p["economy.counselling_success"], slice(0, n)))
    f.transfers[:n] += np.where(success, f.debt[:n], 0.0)  # written off
    f.debt[:n][success] = 0.0
    f.cleared[:n] |= success
    f.missed[:n][success] = 0


def _record(m: HousingModel, means: _Means, help_: _Help, paid: _Paid) -> None:
    """Keep the month's money on the families, and add it to the month's accounts: social
    assistance, housing allowance, and the rent collected in municipal dwellings (due less
    unpaid, plus arrears paid back)."""
    f, n = m.f, m.f.n
    f.gross_income[:n] = means.gross
    f.net_income[:n] = means.net
    f.housing_cost[:n] = means.housing
    f.allowance[:n] = means.allow
    f.social_assistance[:n] = help_.sa
    f.spent[:n] = paid.spent
    f.debt_interest[:n] = paid.interest
    f.sa_months[:n] = np.where(help_.sa > 0, f.sa_months[:n] + 1, 0)
    settled = m.towns.total(help_.nav_arrears)
    m.flows["social_assistance_nok"] += m.towns.total(help_.sa) + settled
    m.flows["arrears_settled_nok"] += settled
    m.flows["housing_allowance_nok"] += m.towns.total(means.allow)
    rent = np.where(is_tenant(f.tenure[:n]) & f.active[:n],
                    means.housing - paid.unpaid_housing + paid.pay_rent + help_.nav_arrears, 0.0)
    kind = np.full(n, -1)
    has = f.dwelling[:n] >= 0
    kind[has] = m.stock.kind[f.dwelling[:n][has]]
    for k in (OWNED, SUBLET_KIND):
        m.rent_collected[k] += m.towns.total(rent[kind == k], kind == k)
