"""Household and loan finance: annuities, lending rules, budgets, allowances and losses.

Pure, vectorised functions used by the families, the banks, NAV and Husbanken's start-loan
scheme in the model. Every function takes numpy arrays or scalars and returns the broadcast
shape of its inputs (a numpy scalar when all inputs are scalars). Nothing here holds state or
hard-codes a parameter value beyond the defaults stated in a signature; callers pass values
from the parameter registry (:mod:`sim.inputs.registry`).

Conventions:
    * Money is in NOK, time in months.
    * Interest rates are annual fractions (``0.03`` = 3 % per year) and are applied with
      monthly compounding at ``rate / 12``.
    * Income is monthly net (after tax) unless the argument name says ``gross_annual``.

Sources (entries of docs/sources.md):
    * Boliglånsforskriften (2015), the mortgage regulation: loan-to-value 85 % (from 2015),
      debt-to-income 5x gross annual income (from 2017), stress test +5 percentage points
      (until 2022), +3 pp with a 7 % floor (from 2023).
    * SIFO (2023), the reference budget of a couple with children aged 5 and 11, excluding
      housing and electricity: 33,390 NOK/month (2022), 36,070 NOK/month (2023).
    * NAV (2022), the guideline rates for social assistance (veiledende satser).
    * Husbanken (n.d.-e) and Husbanken (n.d.-f), the housing allowance's formula and caps.
    * Husbanken (n.d.-c), risk of loss: start-loan losses are shared 25 % municipality / 75 %
      state.
    * Røe (2018) §3.1.1: Verdal municipality assesses affordability against the family's
      documented actual spending rather than the SIFO budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Months per year, for converting annual rates and amounts to monthly ones.
MONTHS_PER_YEAR = 12
#: Monthly rates below this are treated as zero: ``(1 + r) ** -n`` rounds to 1 and the formula
#: would divide by zero (found by the property-based tests).
_TINY_RATE = 1e-12

FloatOut = np.floating | NDArray[np.floating]
BoolOut = np.bool_ | NDArray[np.bool_]


def _out(x: np.ndarray) -> Any:
    """Return a numpy scalar for 0-d results and the array otherwise (typed by the caller:
    :data:`FloatOut` or :data:`BoolOut`)."""
    return x[()] if x.ndim == 0 else x


def annuity_payment(principal: ArrayLike, annual_rate: ArrayLike, months: ArrayLike) -> FloatOut:
    """Monthly payment of an annuity (level-payment) loan.

    Standard annuity formula with monthly compounding at ``r = annual_rate / 12``::

        payment = principal * r / (1 - (1 + r) ** -months)

    This is how Norwegian banks and Husbanken's start loans are repaid. Edge cases are handled
    elementwise without numpy warnings: a zero rate gives ``principal / months``; a term of
    zero or fewer months means the whole principal is due at once, so the payment is
    ``principal``.

    Args:
        principal: outstanding loan, NOK.
        annual_rate: nominal annual interest rate, fraction (0.03 = 3 %/yr).
        months: remaining term, months.

    Returns:
        Monthly payment, NOK/month, in the broadcast shape of the inputs.
    """
    # the np.where calls broadcast the inputs (broadcast_arrays cost more than the formula
    # for the few families a month asks about)
    p = np.asarray(principal, dtype=float)
    r = np.asarray(annual_rate, dtype=float) / MONTHS_PER_YEAR
    n = np.asarray(months, dtype=float)
    due_now = n <= 0
    zero_rate = np.abs(r) < _TINY_RATE  # (1 + r) rounds to 1: use the zero-rate limit
    safe_n = np.where(due_now, 1.0, n)
    safe_r = np.where(zero_rate, 1.0, r)
    with np.errstate(all="ignore"):
        annuity = p * safe_r / (1.0 - (1.0 + safe_r) ** -safe_n)
    result = np.where(due_now, p, np.where(zero_rate, p / safe_n, annuity))
    return _out(np.asarray(result))


def annuity_principal(payment: ArrayLike, annual_rate: ArrayLike, months: ArrayLike) -> FloatOut:
    """Principal that a monthly payment services: the present value of an annuity.

    Inverse of :func:`annuity_payment`, used to find the largest loan a family's repayment
    capacity can carry::

        principal = payment * (1 - (1 + r) ** -months) / r,   r = annual_rate / 12

    A zero rate gives ``payment * months``; a term of zero or fewer months gives ``payment``
    (the loan is due at once, consistent with :func:`annuity_payment`).

    Args:
        payment: monthly payment, NOK/month.
        annual_rate: nominal annual interest rate, fraction.
        months: term, months.

    Returns:
        Principal, NOK, in the broadcast shape of the inputs.
    """
    a, rate, n = np.broadcast_arrays(
        np.asarray(payment, dtype=float),
        np.asarray(annual_rate, dtype=float),
        np.asarray(months, dtype=float),
    )
    r = rate / MONTHS_PER_YEAR
    due_now = n <= 0
    zero_rate = np.abs(r) < _TINY_RATE  # (1 + r) rounds to 1: use the zero-rate limit
    safe_n = np.where(due_now, 1.0, n)
    safe_r = np.where(zero_rate, 1.0, r)
    with np.errstate(all="ignore"):
        pv = a * (1.0 - (1.0 + safe_r) ** -safe_n) / safe_r
    result = np.where(due_now, a, np.where(zero_rate, a * safe_n, pv))
    return _out(np.asarray(result))


def amortise(
    principal: ArrayLike, annual_rate: ArrayLike, payment: ArrayLike
) -> tuple[FloatOut, FloatOut, FloatOut]:
    """Split one month's payment into interest and repayment and update the principal.

    ``interest = principal * annual_rate / 12``; the rest of the payment repays principal,
    clipped to ``[0, principal]`` (a payment below the interest repays nothing; the model
    tracks any shortfall as arrears elsewhere).

    Args:
        principal: outstanding loan at the start of the month, NOK.
        annual_rate: nominal annual interest rate, fraction.
        payment: amount paid this month, NOK.

    Returns:
        Tuple ``(interest, repaid, new_principal)``, all NOK, in the broadcast shape of the
        inputs.
    """
    p, rate, pay = np.broadcast_arrays(
        np.asarray(principal, dtype=float),
        np.asarray(annual_rate, dtype=float),
        np.asarray(payment, dtype=float),
    )
    interest = p * rate / MONTHS_PER_YEAR
    repaid = np.clip(pay - interest, 0.0, np.maximum(p, 0.0))
    new_principal = p - repaid
    return _out(interest), _out(np.asarray(repaid)), _out(np.asarray(new_principal))


def stress_test_ok(
    net_monthly_income: ArrayLike,
    living_cost: ArrayLike,
    other_debt_service: ArrayLike,
    loan: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    stress_add: ArrayLike,
    stress_floor: ArrayLike,
) -> BoolOut:
    """Whether the family can service the loan at the regulatory stressed interest rate.

    The stressed rate is ``max(annual_rate + stress_add, stress_floor)``. The test passes when
    ``net - living_cost - other_debt_service - annuity(loan, stressed rate, months) >= 0``.

    Source: boliglånsforskriften's stress test (regjeringen.no): the borrower must tolerate a
    rate rise of 5 percentage points (until 2022); from 2023 a rise of 3 pp, but to at least
    7 %. Use ``stress_add=0.05, stress_floor=0`` for the former and ``0.03, 0.07`` for the
    latter.

    Args:
        net_monthly_income: household net income, NOK/month.
        living_cost: living expenses excluding housing, NOK/month.
        other_debt_service: payments on other debt, NOK/month.
        loan: mortgage principal applied for, NOK.
        annual_rate: current nominal annual rate, fraction.
        months: loan term, months.
        stress_add: rate add-on, fraction (0.05 = 5 pp).
        stress_floor: minimum stressed rate, fraction.

    Returns:
        Boolean, in the broadcast shape of the inputs.
    """
    stressed = np.maximum(
        np.asarray(annual_rate, dtype=float) + np.asarray(stress_add, dtype=float),
        np.asarray(stress_floor, dtype=float),
    )
    payment = annuity_payment(loan, stressed, months)
    residual = (
        np.asarray(net_monthly_income, dtype=float)
        - np.asarray(living_cost, dtype=float)
        - np.asarray(other_debt_service, dtype=float)
        - payment
    )
    return _out(np.asarray(residual >= 0))


def bank_mortgage_ok(
    price: ArrayLike,
    equity: ArrayLike,
    gross_annual_income: ArrayLike,
    other_debt: ArrayLike,
    net_monthly_income: ArrayLike,
    living_cost: ArrayLike,
    other_debt_service: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    max_ltv: ArrayLike,
    max_dti: ArrayLike,
    stress_add: ArrayLike,
    stress_floor: ArrayLike,
) -> BoolOut:
    """Whether an ordinary bank would grant the mortgage under boliglånsforskriften.

    With ``loan = max(price - equity, 0)``, all three rules must hold:

    * loan-to-value: ``loan <= max_ltv * price``;
    * debt-to-income: ``loan + other_debt <= max_dti * gross_annual_income``;
    * the stress test, :func:`stress_test_ok`.

    Source: boliglånsforskriften, Finanstilsynet: LTV at most 85 % (from 2015), total debt
    at most 5 times gross annual income (from 2017), plus the stress test. The banks'
    discretionary quota ("fleksibilitetskvoten") is not modelled here.

    Args:
        price: purchase price of the dwelling, NOK.
        equity: the family's own capital, NOK.
        gross_annual_income: household gross income, NOK/year.
        other_debt: other outstanding debt, NOK.
        net_monthly_income: household net income, NOK/month.
        living_cost: living expenses excluding housing, NOK/month.
        other_debt_service: payments on other debt, NOK/month.
        annual_rate: current nominal annual rate, fraction.
        months: loan term, months.
        max_ltv: maximum loan-to-value, fraction of price.
        max_dti: maximum total debt, multiple of gross annual income.
        stress_add: stress-test rate add-on, fraction.
        stress_floor: stress-test minimum rate, fraction.

    Returns:
        Boolean, in the broadcast shape of the inputs.
    """
    price_a = np.asarray(price, dtype=float)
    loan = np.maximum(price_a - np.asarray(equity, dtype=float), 0.0)
    ltv_ok = loan <= np.asarray(max_ltv, dtype=float) * price_a
    dti_ok = loan + np.asarray(other_debt, dtype=float) <= np.asarray(
        max_dti, dtype=float
    ) * np.asarray(gross_annual_income, dtype=float)
    stress_ok = stress_test_ok(
        net_monthly_income,
        living_cost,
        other_debt_service,
        loan,
        annual_rate,
        months,
        stress_add,
        stress_floor,
    )
    return _out(np.asarray(ltv_ok & dti_ok & stress_ok))


def equivalence_scale(
    adults: ArrayLike,
    n_children: ArrayLike,
    second_adult_weight: ArrayLike = 0.5,
    child_weight: ArrayLike = 0.3,
) -> FloatOut:
    """OECD-modified equivalence scale of a household.

    ``1 + second_adult_weight * (adults - 1) + child_weight * n_children``; with the default
    OECD-modified weights a couple with two children scores 2.1.

    ASSUMPTION: docs/sources.md records that a SIFO budget for household types other than the
    reference family was "not found" in public sources, so the model scales the reference
    budget to other households by this explicit equivalence assumption (weights are registry
    parameters of kind ``assumption``).

    Args:
        adults: number of adults (>= 1).
        n_children: number of children.
        second_adult_weight: weight of each adult after the first.
        child_weight: weight of each child.

    Returns:
        Equivalence scale, dimensionless, in the broadcast shape of the inputs.
    """
    scale = (
        1.0
        + np.asarray(second_adult_weight, dtype=float) * (np.asarray(adults, dtype=float) - 1.0)
        + np.asarray(child_weight, dtype=float) * np.asarray(n_children, dtype=float)
    )
    return _out(np.asarray(scale))


def sifo_budget(
    adults: ArrayLike,
    n_children: ArrayLike,
    reference_budget: ArrayLike,
    reference_scale: ArrayLike = 2.1,
    second_adult_weight: ArrayLike = 0.5,
    child_weight: ArrayLike = 0.3,
) -> FloatOut:
    """SIFO-style living-cost budget of a household, excluding housing and electricity.

    ``reference_budget * equivalence_scale(adults, n_children) / reference_scale``. The
    reference is SIFO's reference budget for a couple with children aged 5 and 11, excluding
    housing and electricity: 33,390 NOK/month (2022) and 36,070 NOK/month (2023), source
    SIFO (2023), reported by Dagsavisen 22.5.2023. Its OECD-modified scale is 2.1.

    ASSUMPTION: scaling to other household types uses :func:`equivalence_scale`, because SIFO
    budgets for other household types were not found (docs/sources.md).

    Args:
        adults: number of adults.
        n_children: number of children.
        reference_budget: SIFO reference budget, NOK/month.
        reference_scale: equivalence scale of the reference family.
        second_adult_weight: weight of each adult after the first.
        child_weight: weight of each child.

    Returns:
        Living-cost budget, NOK/month, in the broadcast shape of the inputs.
    """
    scale = equivalence_scale(adults, n_children, second_adult_weight, child_weight)
    budget = (
        np.asarray(reference_budget, dtype=float) * scale / np.asarray(reference_scale, dtype=float)
    )
    return _out(np.asarray(budget))


#: Multiplying a 64-bit word by this adds its eight bytes into the top byte.
_BYTE_SUM = np.uint64(0x0101_0101_0101_0101)
_TOP_BYTE = np.uint64(56)


def _slots_at_least(ages: np.ndarray, age: float) -> np.ndarray | np.integer:
    """How many slots of each family (the last axis) hold an age of at least ``age``.

    With eight slots, a family's eight one-byte flags are read as one 64-bit word and added
    by one multiplication (a count of at most 8 cannot carry into the next byte): a national
    month's count takes a tenth of the time of summing the flags along the axis.
    """
    flags = ages >= age
    if flags.ndim == 1:  # one family
        return np.count_nonzero(flags)
    flags = np.ascontiguousarray(flags)
    if flags.shape[-1] != 8:
        return np.einsum("...j->...", flags.view(np.uint8)).astype(np.uint64)
    return (flags.view(np.uint64)[..., 0] * _BYTE_SUM) >> _TOP_BYTE


def sa_guideline(
    adults: ArrayLike,
    child_ages: ArrayLike,
    single: ArrayLike,
    couple: ArrayLike,
    child_0_5: float,
    child_6_10: float,
    child_11_17: float,
) -> FloatOut:
    """NAV's guideline rate for social assistance (økonomisk stønad), excluding housing.

    The adult rate is ``single`` when ``adults == 1`` and ``couple`` otherwise; each child
    adds the rate for its age band (0-5, 6-10, 11-17 completed years). Ages at or above 18
    and negative ages (empty slots) add nothing.

    Source: NAV (2022), the guideline rates. Guideline 2018: single
    6,050; couple 10,100; child 0-5 2,350; child 6-10 3,050; child 11-17 3,950 NOK/month.

    Args:
        adults: number of adults per family, shape ``(families,)`` or scalar.
        child_ages: ages in years (float), shape ``(families, max_children)``; a 1-D array is
            one family. Negative values mean "no child in this slot".
        single: rate for a single adult, NOK/month.
        couple: rate for a couple, NOK/month.
        child_0_5: rate per child aged 0-5, NOK/month.
        child_6_10: rate per child aged 6-10, NOK/month.
        child_11_17: rate per child aged 11-17, NOK/month.

    Returns:
        Guideline amount, NOK/month, shape ``(families,)`` (scalar for one family).
    """
    ages = np.asarray(child_ages, dtype=float)
    # children per family aged at least 0, 6, 11 and 18: each band is the difference of two
    at_least = [_slots_at_least(ages, age) for age in (0, 6, 11, 18)]
    children = (float(child_0_5) * (at_least[0] - at_least[1])
                + float(child_6_10) * (at_least[1] - at_least[2])
                + float(child_11_17) * (at_least[2] - at_least[3]))
    adult_rate = np.where(
        np.asarray(adults) == 1,
        np.asarray(single, dtype=float),
        np.asarray(couple, dtype=float),
    )
    return _out(np.asarray(adult_rate + children))


def housing_allowance(
    housing_cost: ArrayLike,
    persons: ArrayLike,
    gross_annual_income: ArrayLike,
    caps: Sequence[float] | ArrayLike,
    min_own_contribution: ArrayLike,
    own_contribution_rate: ArrayLike,
    coverage: ArrayLike,
) -> FloatOut:
    """Husbanken's housing allowance (bostøtte), NOK per month.

    Formula (husbanken.no, "beregning av bostøtte")::

        annual = max(0, (min(12 * housing_cost, cap[persons]) - own_contribution) * coverage)
        own_contribution = max(min_own_contribution, own_contribution_rate * gross_income)

    with ``coverage`` = 0.737 (73.7 % of the gap is covered) and caps on approved housing
    cost per household size (Husbanken veileder): 78,237 / 97,404 / 108,263 / 119,124 /
    129,983 NOK/year for 1, 2, 3, 4 and 5+ persons.

    ASSUMPTION: the income-dependent own-contribution schedule was "not found" in public
    sources (docs/sources.md), so the own contribution is modelled as this linear form with a
    floor; ``min_own_contribution`` and ``own_contribution_rate`` are to be calibrated to the
    observed average allowance (about 2,400 NOK/month in 2014 and 2,840 NOK/month in 2022).

    Args:
        housing_cost: housing cost (rent or loan payments), NOK/month.
        persons: household size; values below 1 use the 1-person cap, 5 or more the last cap.
        gross_annual_income: household gross income, NOK/year.
        caps: five annual caps on approved housing cost for 1, 2, 3, 4 and 5+ persons,
            NOK/year.
        min_own_contribution: minimum own contribution, NOK/year.
        own_contribution_rate: own contribution as a share of gross annual income.
        coverage: share of the gap between approved cost and own contribution covered.

    Returns:
        Housing allowance, NOK/month, in the broadcast shape of the inputs.

    Raises:
        ValueError: if ``caps`` does not hold exactly five values.
    """
    cap_table = np.asarray(caps, dtype=float)
    if cap_table.shape != (5,):
        raise ValueError(
            f"caps must hold 5 annual caps (1-5+ persons), got shape {cap_table.shape}"
        )
    # whole persons (fractions truncated), 1-person cap below one, the last cap from five
    index = np.asarray(persons).astype(np.int64, copy=False) - 1
    cap = np.take(cap_table, index, mode="clip")
    approved = np.minimum(MONTHS_PER_YEAR * np.asarray(housing_cost, dtype=float), cap)
    own = np.maximum(
        np.asarray(min_own_contribution, dtype=float),
        np.asarray(own_contribution_rate, dtype=float)
        * np.asarray(gross_annual_income, dtype=float),
    )
    annual = np.maximum(0.0, (approved - own) * np.asarray(coverage, dtype=float))
    return _out(np.asarray(annual / MONTHS_PER_YEAR))


def affordable(
    net_monthly_income: ArrayLike,
    living_cost: ArrayLike,
    housing_payment: ArrayLike,
    other_debt_service: ArrayLike = 0.0,
    margin: ArrayLike = 0.0,
) -> BoolOut:
    """Whether a housing payment is affordable: ``net - living - housing - other >= margin``.

    ``living_cost`` is either the SIFO budget (:func:`sifo_budget`, the bank-like standard
    most municipalities use for start loans) or the family's documented actual spending, as
    Verdal municipality does (Røe (2018) §3.1.1); the choice is a policy parameter.

    Args:
        net_monthly_income: household net income, NOK/month.
        living_cost: living expenses excluding housing, NOK/month.
        housing_payment: rent or loan payment for the dwelling, NOK/month.
        other_debt_service: payments on other debt, NOK/month.
        margin: required monthly surplus, NOK/month.

    Returns:
        Boolean, in the broadcast shape of the inputs.
    """
    residual = (
        np.asarray(net_monthly_income, dtype=float)
        - np.asarray(living_cost, dtype=float)
        - np.asarray(housing_payment, dtype=float)
        - np.asarray(other_debt_service, dtype=float)
    )
    return _out(np.asarray(residual >= np.asarray(margin, dtype=float)))


def forced_sale_loss(
    principal: ArrayLike, arrears: ArrayLike, sale_price: ArrayLike, costs: ArrayLike
) -> FloatOut:
    """Lender's loss when a defaulted dwelling is sold: ``max(0, principal + arrears + costs -
    sale_price)``.

    Source: Husbanken, "risiko for tap" (start-loan losses after forced sale).

    Args:
        principal: outstanding loan, NOK.
        arrears: unpaid instalments and interest, NOK.
        sale_price: proceeds of the sale, NOK.
        costs: costs of the sale and collection, NOK.

    Returns:
        Loss, NOK (>= 0), in the broadcast shape of the inputs.
    """
    loss = (
        np.asarray(principal, dtype=float)
        + np.asarray(arrears, dtype=float)
        + np.asarray(costs, dtype=float)
        - np.asarray(sale_price, dtype=float)
    )
    return _out(np.asarray(np.maximum(0.0, loss)))


def share_loss(loss: ArrayLike, municipal_share: ArrayLike = 0.25) -> tuple[FloatOut, FloatOut]:
    """Split a start-loan loss between the municipality and the state.

    Source: Husbanken, "risiko for tap": the municipality carries 25 % and the state 75 % of
    losses on start loans.

    Args:
        loss: loss, NOK.
        municipal_share: municipality's share, fraction.

    Returns:
        Tuple ``(municipal, state)``, NOK, in the broadcast shape of the inputs.
    """
    total = np.asarray(loss, dtype=float)
    share = np.asarray(municipal_share, dtype=float)
    return _out(np.asarray(total * share)), _out(np.asarray(total * (1.0 - share)))
