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

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import HOMELESS, NEED_LOW, is_owner, is_tenant
from sim.engine.finance import housing_allowance, sa_guideline, sifo_budget
from sim.engine.processes.market import OWNED, SUBLET_KIND, size_factor

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def gross_income(m: HousingModel) -> np.ndarray:
    """Gross monthly income from work, unemployment benefit, disability pension and the
    introduction benefit."""
    p, f, n = m.p, m.f, m.f.n
    return (f.employed[:n] * f.wage[:n] + f.disability[:n] * p["work.disability_pension"]
            + (~f.employed[:n] & (f.ub_left[:n] > 0)) * f.ub_amount[:n]
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


def living_costs(m: HousingModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(NAV guideline, SIFO budget, actual spending) per family, NOK/month, excl. housing.

    Computed once a month (households and plans do not change between the economy and the
    start-loan desk) and kept on the model for the month. The guideline and the SIFO budget
    depend only on the household and the parameters, so each family's are kept in the
    ``guide`` and ``sifo`` columns and computed again only from its ``costs_due`` month: when
    a child may have aged into another band (a month early, as ages grow by repeated
    additions), or at once when the household changes (``costs_due`` = -1: births, children
    leaving, separation, re-partnering, arrival) or the parameters do. The values are exactly
    those computed afresh every month (``tests/test_processes.py``).
    """
    p, f, n = m.p, m.f, m.f.n
    cached = m.month_cache.get("living_costs")
    if cached is not None and len(cached[0]) == n:
        return cached
    params = tuple(np.asarray(p[k]).tolist() for k in _LIVING_PARAMETERS)
    if params != m.living_parameters:  # the run's start, or a phase changed them
        f.costs_due[:n] = -1
        m.living_parameters = params
    due: np.ndarray | slice = (f.costs_due[:n] <= m.month).nonzero()[0]
    if len(due) == n:  # the first month: every family, faster by a slice
        due = slice(0, n)
    if n and (type(due) is slice or len(due)):
        adults, ages = f.adults[due], f.child_age[due]
        f.guide[due] = sa_guideline(adults, ages, *(p[k] for k in _LIVING_PARAMETERS[:5]))
        w2, wc = p["economy.equivalence_second_adult"], p["economy.equivalence_child"]
        f.sifo[due] = sifo_budget(adults, f.kids[due], p["economy.sifo_reference"],
                                  1 + w2 + 2 * wc, w2, wc)
        # months until a child may reach the next band age, one early; at least one
        months = ((_BAND_AGES.take(_BAND_AGES.searchsorted(ages, side="right")) - ages) * 12
                  ).min(axis=1)
        f.costs_due[due] = m.month + np.clip(np.ceil(months) - 1, 1, 2**30).astype(np.int32)
    guide, sifo = f.guide[:n], f.sifo[:n]
    guide.flags.writeable = sifo.flags.writeable = False  # views of the kept columns
    pos = f.spending_pos[:n] * np.where(f.plan[:n], p["policy.followup.effect_plan"], 1.0)
    actual = guide + pos * np.maximum(sifo - guide, 0.0)
    out = guide, sifo, actual
    m.month_cache["living_costs"] = out
    return out


#: Husbanken's caps on approved housing cost for 1, 2, 3, 4 and 5+ persons.
_CAPS = tuple(f"economy.bostotte_cap_{k}" for k in range(1, 6))


def allowance(m: HousingModel, cost: np.ndarray, persons: np.ndarray, gross: np.ndarray
              ) -> np.ndarray:
    """Housing allowance (bostøtte) for a monthly housing cost, NOK/month."""
    p = m.p
    caps = [p[name] for name in _CAPS]
    return np.asarray(housing_allowance(cost, persons, 12 * gross, caps,
                                        p["economy.bostotte_min_own"],
                                        p["economy.bostotte_own_rate"],
                                        p["economy.bostotte_coverage"]))


def sa_housing_norm(m: HousingModel, persons: np.ndarray, rows: np.ndarray | slice
                    ) -> np.ndarray:
    """Housing cost social assistance accepts, NOK/month: a share of the local market rent
    for the household's size (``economy.sa_housing_norm_share``), for households of
    ``persons`` in the families ``rows``."""
    p = m.p
    level = p["economy.sa_housing_norm_share"] * p["market.rent"] * m.rent_index
    return m.at(level, rows) * size_factor(persons, p["market.price_per_person"])


def step(m: HousingModel) -> None:
    """One month of the household economy (see the module docstring for the order)."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("economy", n, 3)
    act = f.active[:n]
    tenure = f.tenure[:n]
    persons = f.persons
    owner = is_owner(tenure)
    housed = act & (tenure != HOMELESS)

    gross = np.where(act, gross_income(m), 0.0)
    net = np.where(act, net_income(m, gross), 0.0)
    housing = np.where(housed, m.housing_payment(slice(0, n)), 0.0)
    allow = np.where(housed, allowance(m, housing, persons, gross), 0.0)
    m.month_cache.pop("living_costs", None)  # households may have changed since last month
    guide, _, actual = living_costs(m)

    # social assistance: guideline + accepted housing cost, when own means are spent
    need = guide + np.minimum(housing, sa_housing_norm(m, persons, slice(0, n)))
    shortfall = need - net - allow
    sa = np.where(act & (shortfall > 0) & (f.savings[:n] < p["economy.savings_buffer"])
                  & f.sa_claimant[:n], shortfall, 0.0)
    # NAV covers the rent arrears of the families it supports (one-off assistance)
    nav_arrears = np.where((sa > 0) & p["economy.sa_covers_arrears"], f.rent_arrears[:n], 0.0)
    f.rent_arrears[:n] -= nav_arrears
    # consumer debt
    debt = f.debt[:n]
    debt += debt * p["economy.debt_rate"] / 12
    debt_due = debt * p["economy.debt_min_payment"]

    # the balance with spending at the guideline (its floor)
    floor_cash = np.where(act, net + allow + sa - guide - housing - debt_due, 0.0)
    # budgeting failures: the housing payment is spent though it could be paid
    fail_rate = m.at(p["economy.payment_failure_rate"], slice(0, n)) * np.where(
        f.followed[:n], p["policy.followup.effect_arrears"], 1.0) * np.where(
        f.plan[:n], p["policy.followup.effect_plan"], 1.0)
    tenant = is_tenant(tenure)
    if p["policy.allocation.with_followup"]:
        fail_rate = fail_rate * np.where(tenant, p["policy.allocation.colocated_factor"], 1.0)
    troubled = (f.need[:n] > NEED_LOW) | f.remark[:n]
    failure = housed & troubled & (sa == 0) & (u[1] < fail_rate) & (housing > 0)

    # deficits: savings first, then the debt payment waits, then the housing payment, then
    # what is still missing becomes new debt
    deficit = np.maximum(-floor_cash, 0.0)
    from_savings = np.minimum(deficit, f.savings[:n])
    f.savings[:n] -= from_savings
    deficit -= from_savings
    unpaid_debt = np.minimum(deficit, debt_due)
    deficit -= unpaid_debt
    unpaid_housing = np.where(failure, housing, np.minimum(deficit, housing))
    new_debt = np.maximum(deficit - unpaid_housing, 0.0)
    debt += new_debt - (debt_due - unpaid_debt)
    np.maximum(debt, 0.0, out=debt)

    # surpluses: arrears first, then spending up to the family's usual level, then a share is
    # saved (a failed housing payment was spent, so nothing is left)
    surplus = np.where(failure, 0.0, np.maximum(floor_cash, 0.0))
    pay_rent = np.minimum(surplus, f.rent_arrears[:n])
    surplus -= pay_rent
    pay_loan = np.minimum(surplus, f.loan_arrears[:n])
    surplus -= pay_loan
    surplus -= np.where(sa > 0, 0.0, np.minimum(surplus, actual - guide))
    f.savings[:n] += surplus * p["economy.saving_share"]
    f.rent_arrears[:n] += np.where(owner, 0.0, unpaid_housing) - pay_rent
    loan_unpaid = np.where(owner, np.minimum(unpaid_housing, f.loan_payment[:n]), 0.0)
    f.loan_arrears[:n] += loan_unpaid - pay_loan
    # owners' unpaid costs besides the loan become consumer debt
    debt += np.where(owner, unpaid_housing - loan_unpaid, 0.0)

    # amortisation of loans whose payment was made this month
    paying = act & owner & (loan_unpaid == 0) & (f.loan_principal[:n] > 0)
    interest = f.loan_principal[:n] * f.loan_rate[:n] / 12
    repaid = np.minimum(np.maximum(f.loan_payment[:n] - interest, 0.0), f.loan_principal[:n])
    f.loan_principal[:n] -= np.where(paying, repaid, 0.0)
    f.loan_months[:n] -= paying & (f.relief_until[:n] < m.month)  # interest-only: term waits
    paid_off = paying & (f.loan_principal[:n] < 0.5)
    f.loan_principal[:n][paid_off] = 0.0
    f.loan_payment[:n][paid_off] = 0.0

    # payment remarks
    missed = (unpaid_housing > 0) | (unpaid_debt > 0)
    f.missed[:n] = np.where(act & missed, f.missed[:n] + 1, 0)
    new_remark = act & (f.missed[:n] >= p["economy.remark_after_missed"])
    f.remark[:n] |= new_remark
    f.remark_clear_at[:n][new_remark] = -1
    settled = f.remark[:n] & (debt <= 0) & (f.rent_arrears[:n] <= 0) & (f.loan_arrears[:n] <= 0)
    start_clock = settled & (f.remark_clear_at[:n] < 0)
    f.remark_clear_at[:n][start_clock] = m.month + p["economy.remark_clear_months"]
    f.remark_clear_at[:n][~settled] = -1
    lapse = settled & (f.remark_clear_at[:n] >= 0) & (f.remark_clear_at[:n] <= m.month)
    f.remark[:n][lapse] = False

    # debt counselling outcomes
    counsel = act & (f.counselling_left[:n] > 0)
    f.counselling_left[:n] -= counsel  # one month less for those in it
    done = counsel & (f.counselling_left[:n] == 0)
    success = done & (u[2] < p["economy.counselling_success"])
    debt[success] = 0.0
    f.cleared[:n] |= success
    f.missed[:n][success] = 0

    # record the month's money
    f.gross_income[:n] = gross
    f.net_income[:n] = net
    f.housing_cost[:n] = housing
    f.allowance[:n] = allow
    f.social_assistance[:n] = sa
    settled = m.total(nav_arrears)
    m.flows["social_assistance_nok"] += m.total(sa) + settled
    m.flows["arrears_settled_nok"] += settled
    m.flows["housing_allowance_nok"] += m.total(allow)
    # rent collected in municipal dwellings (due less unpaid, plus arrears paid back)
    paid = np.where(tenant & act, housing - unpaid_housing + pay_rent + nav_arrears, 0.0)
    kind = np.full(n, -1)
    has = f.dwelling[:n] >= 0
    kind[has] = m.stock.kind[f.dwelling[:n][has]]
    for k in (OWNED, SUBLET_KIND):
        m.rent_collected[k] += m.total(paid[kind == k], kind == k)
