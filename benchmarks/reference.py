"""A per-agent reference of the engine's core monthly rules, written as idiomatic Mesa 3.

The engine (:class:`sim.engine.model.HousingModel`) holds families as numpy arrays and applies each
monthly process to all of them at once. This module writes a clearly defined subset of the
same rules the way a Mesa model usually is written: one :class:`mesa.Agent` per family with
Python attributes, a ``step`` method that applies the rules to that family alone, and a model
that steps its agents in random order with ``model.agents.shuffle_do("step")``. It serves two
purposes:

* a **speed baseline** — how much the array engine gains over the per-agent style
  (``benchmarks/run.py`` reports engine/reference family-months per second);
* a **cross-check** — the two implementations are written independently (the reference shares
  only the pure finance functions of :mod:`sim.engine.finance`), so equal indicator means from the
  same starting population show the engine applies the rules as documented
  (:func:`cross_check`, ``tests/benchmarks/test_reference.py``).

The subset. Each month, every family (agent), in the engine's order of processes:

1. *Ageing* (:mod:`sim.engine.processes.demography`): everyone ages one month; children leave
   at ``demography.adult_age``.
2. *Moving away* (:mod:`sim.engine.processes.demography`): at ``demography.outmigration_rate`` a
   year, plus
   ``demography.refugee_outmigration_extra`` for refugees in their first five years here, or
   at ``demography.owner_outmigration_rate`` for households that came as owners, and
   always once the head reaches ``demography.exit_age``; the family's municipal dwelling
   falls vacant and the agent is removed.
3. *Work* (:mod:`sim.engine.processes.work`), the non-policy part: a job-seeker (not employed, no
   disability
   pension) finds a job at ``work.job_finding_rate`` times ``work.refugee_factor`` (refugees)
   and ``work.need_factor_moderate`` / ``work.need_factor_extensive`` (need level), at most
   0.95; a new job is permanent with ``work.permanent_share``; the employed lose their job at
   ``work.job_loss_rate`` and get unemployment benefit (``work.unemployment_benefit_rate`` of
   the wage for ``work.unemployment_benefit_months``); temporary jobs become permanent at
   ``work.permanent_conversion``. In a couple whose first adult works, the second finds a job
   at the family's rate and loses it at the job-loss rate, with benefit after; if the first
   loses a job while the second works, the second's job becomes the first.
4. *Household economy* (:mod:`sim.engine.processes.economy`): gross and net income; the housing
   payment due
   (municipal rent, market rent times the lease's rent factor, or loan payment plus owner
   costs; nothing for the homeless); housing allowance by
   :func:`sim.engine.finance.housing_allowance`; NAV's guideline by
   :func:`sim.engine.finance.sa_guideline`
   and the SIFO budget by :func:`sim.engine.finance.sifo_budget`; social assistance for the
   shortfall below guideline plus housing (up to the housing norm) when savings are below the
   buffer and the family claims; NAV paying the rent arrears of recipients; consumer-debt
   interest and minimum payment; budgeting failures of troubled families; a deficit drawn
   from savings, then the debt payment, then the housing payment (arrears), then new debt; a
   surplus paying rent arrears, loan arrears, the family's usual spending and savings; loan
   amortisation; payment remarks and their lapse.
5. *Eviction* (:mod:`sim.engine.processes.tenancy`): a renter whose rent arrears reach
   ``tenancy.eviction_arrears`` months of rent is evicted with ``tenancy.eviction_share``
   (becomes homeless, arrears become debt, a payment remark), otherwise NAV settles the
   arrears.
6. *Search* (:mod:`sim.engine.processes.search`): a homeless family is offered a private lease at a
   log-normal factor around the market rent, takes it if affordable (rent after allowance
   within ``market.max_rent_share`` of net income, or within the social-assistance housing
   norm) and a landlord accepts it (``market.search_success``, less
   ``market.discrimination_refugee`` / ``market.discrimination_nav`` /
   ``market.discrimination_needs``); homeless families and,
   at ``market.apply_rate``, private renters without work join the municipal waiting list
   if eligible (``policy.allocation.eligibility``, ``policy.allocation.children_allowed``).

Then, for the municipality as a whole:

7. *Allocation* (:mod:`sim.engine.processes.search`): applicants who are no longer eligible or
   already housed
   by the municipality leave the waiting list; vacant dwellings, in stock order, go to the
   applicants the priority rule (``policy.allocation.priority``; ``need`` in the baseline)
   ranks first, ties at random; a private landlord's claim becomes debt.
8. *Record*: the indicators of :data:`INDICATORS` at the end of the month, defined as in
   :meth:`sim.engine.model.HousingModel.indicators`.

Out of the subset, and neutralised in the engine by :data:`SUBSET_OVERRIDES` (the reference refuses
a scenario that does not set them so): births, separation and re-partnering (rates 0) and second
earners at the start (share 0: they come only by finding work); all arrivals (inflows 0), hence
nobody in the introduction programme; the interest rates (the constant path: no loan is repriced);
the house-price and rent indices (growth and volatility 0: they stay at 1) and stock changes (none
added or released); follow-up (no workers: nobody is followed, no family plans, no network
meetings) and referral to debt counselling (rate 0); employment-measure places (0); private leases
ending (rate 0); municipal contracts and reviews (indefinite leases, no reviews); the sizes and
zones of homes (:mod:`sim.engine.processes.homes`): every private listing has the rooms its
family needs (the rental stock all large, so a listing up to a family's need is of its need),
every municipal dwelling five rooms and any household suits it (so allocation is by priority
alone), nobody's household grows, so nobody lives crowded, and rents do not depend on the
zone. A municipal rent follows its dwelling's rooms in both (five or more rooms: let for the
household living there when it is larger); buying
(``ownership.consider_rate`` 0) and forced sales (``ownership.default_after`` 36 months, which no
run of fewer than 36 months can reach; the only owners at the start hold bank mortgages, so
start-loan payment relief never applies); the housing procurer and co-located follow-up. Policy
multipliers that only act on followed families (``policy.followup.effect_*``) are therefore left
out of the reference's rules.

Two flavours of the same agents: by default each agent calls the array functions of
:mod:`sim.engine.finance` for its own guideline, SIFO budget and housing allowance (reusing the
project's finance library as a per-agent model naturally would); with ``scalar_finance=True``
it uses plain-Python versions of the same three formulas (:func:`guideline`, :func:`sifo`,
:func:`allowance`), which give the same values bit for bit and avoid numpy's per-call
overhead — the faster, and fairer, per-agent baseline for the speed ratio.

Simplifications, documented: the reference draws its own random numbers (Python's
:class:`random.Random` of the Mesa model) one at a time and only when a rule needs one, so the
two implementations agree in distribution, not family by family; the engine's 'time to move
has run out' and lease-renewal rules cannot fire in the subset (nobody gets an exit date) and
are left out; the money flows (social assistance paid, rent collected) are not recorded.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from sim.engine.finance import housing_allowance, sa_guideline, sifo_budget
from sim.engine.model import HousingModel
from sim.inputs.indicators import INDEX

#: Tenure codes, as in :mod:`sim.engine.families` (kept here so the reference reads on its own).
HOMELESS, MUNICIPAL, SUBLET, PRIVATE, OWNER_STARTLOAN, OWNER_BANK = range(6)
NEED_LOW, NEED_MODERATE, NEED_EXTENSIVE = range(3)
#: Dwelling kinds of the municipal stock, as in :mod:`sim.engine.processes.market`.
OWNED, SUBLET_KIND = 0, 1

#: Parameter values that switch off every engine process outside the subset.
SUBSET_OVERRIDES: dict[str, object] = {
    "demography.birth_rate": 0.0,
    "population.share_second_earner": 0.0,
    "demography.separation_rate": 0.0,
    "demography.repartner_rate": 0.0,
    "demography.refugee_families_per_10k": 0.0,
    "demography.local_inflow_per_10k": 0.0,
    "demography.single_inflow_per_10k": 0.0,
    "market.price_growth": 0.0,
    "market.price_volatility": 0.0,
    "market.rent_growth": 0.0,
    "market.rent_volatility": 0.0,
    "market.rate_path": "constant",
    "market.lease_end_rate": 0.0,
    "stock.acquire_per_year": 0.0,
    "stock.sublet_add_per_year": 0.0,
    "stock.release_vacant_months": 0,
    "policy.followup.workers": 0.0,
    "policy.followup.network": False,
    "policy.followup.visits": False,
    "policy.followup.family_plan": False,
    "economy.counselling_referral": 0.0,
    "policy.work.measure_places": 0,
    "policy.rotation.contract_years": 0.0,
    "policy.rotation.review": False,
    "policy.rotation.full_review": False,
    "ownership.consider_rate": 0.0,
    "ownership.default_after": 36,
    "policy.allocation.procurer": False,
    "policy.allocation.with_followup": False,
    # homes of the rooms each household needs (see the module's docstring)
    "dwellings.zone_rent_spread": 0.0,
    **{f"dwellings.rental_share_{r}_rooms": float(r == 5) for r in range(1, 6)},
    **{f"stock.share_{r}_rooms": float(r == 5) for r in range(1, 6)},
    "policy.allocation.extra_rooms": 4,
}

#: Indicators the reference records each month (names as in :mod:`sim.inputs.indicators`).
INDICATORS = ("families", "homeless", "municipal", "sublet", "private_rental", "owner_bank",
              "waiting_list", "vacant_municipal", "families_in_work",
              "social_assistance_recipients", "in_arrears", "with_payment_remarks",
              "evictions", "allocations", "departures")
#: Stock indicators compared at the end of a run by :func:`cross_check`.
COMPARED_FINAL = ("families", "homeless", "municipal", "private_rental", "waiting_list",
                  "families_in_work", "social_assistance_recipients", "in_arrears",
                  "with_payment_remarks")
#: Flow indicators compared as totals over the run by :func:`cross_check`.
COMPARED_TOTAL = ("evictions", "allocations", "departures")

#: Family attributes copied from the engine's columns into each agent.
COPIED = ("arrived", "adults", "head_age", "refugee", "rooted", "need", "employed", "permanent",
          "wage", "employed2", "wage2", "ub_left", "ub_amount", "disability", "intro_left", "debt",
          "missed", "remark", "remark_clear_at", "sa_claimant", "savings", "spending_pos",
          "tenure", "rent_factor", "dwelling", "waiting_since", "rent_arrears", "loan_arrears",
          "loan_principal", "loan_rate", "loan_months", "loan_payment", "relief_until")


def subset_scenario(scenario: Any, extra: Mapping[str, object] | None = None) -> Any:
    """``scenario`` with :data:`SUBSET_OVERRIDES` (and ``extra``) applied, and no burn-in:
    the reference starts from the engine's drawn population and compares the rules month by
    month from there."""
    subset = scenario.with_overrides({**SUBSET_OVERRIDES, **(extra or {})}, where="reference")
    return dataclasses.replace(subset, burn_in=0, sources=list(subset.sources))


def outside_subset(params: Mapping[str, object]) -> list[str]:
    """The parameters in ``params`` that would switch on a rule outside the subset."""
    return [k for k, v in SUBSET_OVERRIDES.items() if params[k] != v]


class Family(mesa.Agent):
    """One family: its attributes are the engine's columns of the same name, as Python values.

    Args:
        model: the :class:`ReferenceModel`.
        values: ``{attribute: value}`` for every name in :data:`COPIED`, plus ``children``
            (ages of the children, years).
    """

    def __init__(self, model: ReferenceModel, values: Mapping[str, Any]):
        super().__init__(model)
        for name, value in values.items():
            setattr(self, name, value)
        self.children: list[float] = list(values["children"])
        self.gross_income = 0.0
        self.net_income = 0.0
        self.housing_cost = 0.0
        self.social_assistance = 0.0

    # ------------------------------------------------------------------ derived
    @property
    def persons(self) -> int:
        """Household size."""
        return self.adults + len(self.children)

    @property
    def tenant(self) -> bool:
        """Renting a municipal or sublet dwelling."""
        return self.tenure == MUNICIPAL or self.tenure == SUBLET

    @property
    def owner(self) -> bool:
        """Owning a home."""
        return self.tenure == OWNER_STARTLOAN or self.tenure == OWNER_BANK

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """One month of this family's life (rules 1-6 of the module docstring)."""
        self.grow_older()
        if self.moves_away():
            return
        self.work()
        self.household_economy()
        self.tenancy()
        self.search()

    def grow_older(self) -> None:
        """Everyone ages a month; children reaching the age of majority leave."""
        adult = self.model.p["demography.adult_age"]
        self.head_age += 1 / 12
        self.children = [a + 1 / 12 for a in self.children if a + 1 / 12 < adult]

    def moves_away(self) -> bool:
        """Move out of the municipality at the out-migration rate, or leave the population at
        the exit age; True if the family left."""
        p, m = self.model.p, self.model
        rate = p["demography.outmigration_rate"]
        if self.refugee and (m.month - self.arrived) / 12 < 5:
            rate += p["demography.refugee_outmigration_extra"]
        if self.rooted:
            rate = p["demography.owner_outmigration_rate"]
        aged = self.head_age >= p["demography.exit_age"]
        if self.random.random() >= monthly(rate) and not aged:
            return False
        m.vacate(self)
        m.flows["departures"] += 1
        self.remove()
        return True

    def work(self) -> None:
        """Job finding and loss, unemployment benefit, temporary jobs becoming permanent."""
        p = self.model.p
        was_employed = self.employed
        found = lost = False
        rate = p["work.job_finding_rate"]
        if self.refugee:
            rate *= p["work.refugee_factor"]
        if self.need == NEED_EXTENSIVE:
            rate *= p["work.need_factor_extensive"]
        elif self.need == NEED_MODERATE:
            rate *= p["work.need_factor_moderate"]
        rate = min(rate, 0.95)
        if not was_employed and not self.disability and self.intro_left == 0:
            found = self.random.random() < rate
        if was_employed:
            lost = self.random.random() < p["work.job_loss_rate"]
            if self.random.random() < p["work.permanent_conversion"]:
                self.permanent = True
        if self.ub_left > 0:
            self.ub_left -= 1
        if lost:
            self.ub_left = p["work.unemployment_benefit_months"]
            self.ub_amount = p["work.unemployment_benefit_rate"] * self.wage
            self.employed = self.permanent = False
        if found:
            self.employed = True
            self.permanent = self.random.random() < p["work.permanent_share"]
            self.ub_left = 0
        self.second_adult(lost, rate)

    def second_adult(self, lost: bool, rate: float) -> None:
        """A couple's second adult, when the first works: loses the job at the job-loss rate
        (benefit after, added to the first's if both lost theirs) and finds one at the
        family's rate at the first's wage if it never worked; takes the first's place
        when the first has just lost a job."""
        p = self.model.p
        lost2 = self.employed2 and self.random.random() < p["work.job_loss_rate"]
        if lost2:
            benefit = p["work.unemployment_benefit_rate"] * self.wage2
            self.ub_amount = (self.ub_amount if lost else 0.0) + benefit
            self.ub_left = p["work.unemployment_benefit_months"]
            self.employed2 = False
        if lost and self.employed2:
            self.wage, self.wage2 = self.wage2, self.wage
            self.employed, self.employed2 = True, False
        if (self.adults == 2 and self.employed and not self.employed2 and not lost2
                and self.random.random() < rate):
            if self.wage2 <= 0:
                self.wage2 = self.wage
            self.employed2 = True
            self.ub_left = 0

    def housing_payment(self) -> float:
        """The housing payment due this month, NOK."""
        m = self.model
        if self.tenant:
            return m.municipal_rent(m.dwelling_size(self))
        if self.tenure == PRIVATE:
            return m.market_rent(self.persons) * self.rent_factor
        if self.owner:
            return self.loan_payment + m.p["economy.owner_costs"]
        return 0.0

    def allowance(self, cost: float, gross: float) -> float:
        """Housing allowance for a monthly housing cost, NOK/month."""
        p = self.model.p
        if self.model.scalar_finance:
            return allowance(cost, self.persons, 12 * gross, self.model.caps, p)
        return float(housing_allowance(cost, self.persons, 12 * gross, self.model.caps,
                                       p["economy.bostotte_min_own"],
                                       p["economy.bostotte_own_rate"],
                                       p["economy.bostotte_coverage"]))

    def household_economy(self) -> None:
        """Income, allowance, social assistance, debt, the month's balance and remarks."""
        m = self.model
        p = m.p
        # income
        gross = (self.employed * self.wage + self.employed2 * self.wage2
                 + self.disability * p["work.disability_pension"]
                 + (self.ub_left > 0) * self.ub_amount
                 + (self.intro_left > 0) * self.adults * p["work.intro_benefit"])
        net = gross * (1 - p["work.tax_rate"]) + len(self.children) * p["work.child_benefit"]
        housed = self.tenure != HOMELESS
        housing = self.housing_payment() if housed else 0.0
        allow = self.allowance(housing, gross) if housed else 0.0
        guide, usual = self.living_costs()
        # social assistance
        shortfall = guide + min(housing, m.housing_norm(self.persons)) - net - allow
        sa = 0.0
        if shortfall > 0 and self.savings < p["economy.savings_buffer"] and self.sa_claimant:
            sa = shortfall
        if sa > 0 and p["economy.sa_covers_arrears"]:
            self.rent_arrears = 0.0
        # consumer debt
        self.debt += self.debt * p["economy.debt_rate"] / 12
        debt_due = self.debt * p["economy.debt_min_payment"]
        # the balance at the guideline; budgeting failures
        cash = net + allow + sa - guide - housing - debt_due
        troubled = self.need > NEED_LOW or self.remark
        failure = (housed and troubled and sa == 0 and housing > 0
                   and self.random.random() < p["economy.payment_failure_rate"])
        unpaid_housing, unpaid_debt = self.balance(cash, failure, housing, debt_due,
                                                   0.0 if sa > 0 else usual - guide)
        self.payment_remarks(unpaid_housing > 0 or unpaid_debt > 0)
        self.gross_income, self.net_income = gross, net
        self.housing_cost, self.social_assistance = housing, sa

    def living_costs(self) -> tuple[float, float]:
        """NAV's guideline and the family's usual spending (between it and the SIFO budget)."""
        m = self.model
        p = m.p
        if m.scalar_finance:
            guide = guideline(self.adults, self.children, p)
            budget = sifo(self.adults, len(self.children), p)
        else:
            guide = float(sa_guideline(self.adults, np.asarray(self.children, dtype=float),
                                       p["economy.sa_single"], p["economy.sa_couple"],
                                       p["economy.sa_child_0_5"], p["economy.sa_child_6_10"],
                                       p["economy.sa_child_11_17"]))
            w2, wc = p["economy.equivalence_second_adult"], p["economy.equivalence_child"]
            budget = float(sifo_budget(self.adults, len(self.children),
                                       p["economy.sifo_reference"], 1 + w2 + 2 * wc, w2, wc))
        return guide, guide + self.spending_pos * max(budget - guide, 0.0)

    def balance(self, cash: float, failure: bool, housing: float, debt_due: float,
                usual_extra: float) -> tuple[float, float]:
        """Settle the month's balance ``cash`` (at the guideline): a deficit draws savings,
        then leaves the debt payment, then the housing payment unpaid, then becomes new debt;
        a surplus pays arrears, then ``usual_extra`` of usual spending, then a share is saved.
        Returns the housing and debt payments left unpaid."""
        p = self.model.p
        # a deficit: savings, then the debt payment, then the housing payment, then new debt
        deficit = max(-cash, 0.0)
        from_savings = min(deficit, self.savings)
        self.savings -= from_savings
        deficit -= from_savings
        unpaid_debt = min(deficit, debt_due)
        deficit -= unpaid_debt
        unpaid_housing = housing if failure else min(deficit, housing)
        new_debt = max(deficit - unpaid_housing, 0.0)
        self.debt = max(self.debt + new_debt - (debt_due - unpaid_debt), 0.0)
        # a surplus: arrears, then the usual spending, then savings
        surplus = 0.0 if failure else max(cash, 0.0)
        pay_rent = min(surplus, self.rent_arrears)
        surplus -= pay_rent
        pay_loan = min(surplus, self.loan_arrears)
        surplus -= pay_loan
        surplus -= min(surplus, usual_extra)
        self.savings += surplus * p["economy.saving_share"]
        owner = self.owner
        self.rent_arrears += (0.0 if owner else unpaid_housing) - pay_rent
        loan_unpaid = min(unpaid_housing, self.loan_payment) if owner else 0.0
        self.loan_arrears += loan_unpaid - pay_loan
        if owner:
            self.debt += unpaid_housing - loan_unpaid
        if owner and loan_unpaid == 0 and self.loan_principal > 0:
            self.amortise()
        return unpaid_housing, unpaid_debt

    def amortise(self) -> None:
        """The month's loan payment was made: interest first, the rest repays the loan."""
        interest = self.loan_principal * self.loan_rate / 12
        self.loan_principal -= min(max(self.loan_payment - interest, 0.0), self.loan_principal)
        if self.relief_until < self.model.month:
            self.loan_months -= 1
        if self.loan_principal < 0.5:
            self.loan_principal = self.loan_payment = 0.0

    def payment_remarks(self, missed_now: bool) -> None:
        """Count months with missed payments; remarks come, and lapse after debts are settled."""
        p, month = self.model.p, self.model.month
        self.missed = self.missed + 1 if missed_now else 0
        if self.missed >= p["economy.remark_after_missed"]:
            self.remark = True
            self.remark_clear_at = -1
        settled = (self.remark and self.debt <= 0 and self.rent_arrears <= 0
                   and self.loan_arrears <= 0)
        if not settled:
            self.remark_clear_at = -1
        elif self.remark_clear_at < 0:
            self.remark_clear_at = month + p["economy.remark_clear_months"]
        if settled and 0 <= self.remark_clear_at <= month:
            self.remark = False

    def tenancy(self) -> None:
        """An eviction request when rent arrears are high: eviction, or NAV settles them."""
        p = self.model.p
        renter = self.tenant or self.tenure == PRIVATE
        rent = max(self.housing_cost, 1.0)
        if not renter or self.rent_arrears < p["tenancy.eviction_arrears"] * rent:
            return
        if self.random.random() < p["tenancy.eviction_share"]:
            self.debt += self.rent_arrears
            self.rent_arrears = 0.0
            self.remark = True
            self.model.vacate(self)
            self.tenure = HOMELESS
            self.model.flows["evictions"] += 1
        else:
            self.rent_arrears = 0.0

    def search(self) -> None:
        """The homeless look for a private lease; applicants join the waiting list."""
        m = self.model
        p = m.p
        if self.tenure == HOMELESS:
            offer = self.random.lognormvariate(0.0, p["market.rent_dispersion"])
            rent = m.market_rent(self.persons) * offer
            net_rent = rent - self.allowance(rent, self.gross_income)
            affordable = (net_rent <= p["market.max_rent_share"] * self.net_income
                          or rent <= m.housing_norm(self.persons))
            chance = p["market.search_success"]
            if self.refugee:
                chance *= 1 - p["market.discrimination_refugee"]
            if not self.employed:
                chance *= 1 - p["market.discrimination_nav"]
            if self.need == NEED_EXTENSIVE:
                chance *= 1 - p["market.discrimination_needs"]
            if affordable and self.random.random() < min(chance, 1.0):
                self.rent_factor = offer
                self.debt += self.rent_arrears
                self.rent_arrears = 0.0
                self.tenure = PRIVATE
                self.waiting_since = -1
        applies = (self.tenure == HOMELESS
                   or (self.tenure == PRIVATE and not self.employed
                       and self.random.random() < p["market.apply_rate"]))
        if applies and self.waiting_since < 0 and m.eligible(self):
            self.waiting_since = m.month


class ReferenceModel(mesa.Model):
    """The municipality of the reference: its families as agents and its municipal stock.

    The initial population is the engine's: a :class:`sim.engine.model.HousingModel` is built with
    the same scenario and seed and its families and dwellings are copied, so engine and
    reference start from identical families.

    Args:
        scenario: a resolved scenario that sets :data:`SUBSET_OVERRIDES`.
        seed: the engine's seed for the initial population; the reference's own random
            numbers derive from it too, independently of the engine's.
        scalar_finance: compute the guideline, SIFO budget and housing allowance with the
            plain-Python formulas of this module (:func:`guideline`, :func:`sifo`,
            :func:`allowance`) instead of calling the array functions of :mod:`sim.engine.finance`
            for one family at a time; same values, less per-call overhead (a faster, still
            per-agent, baseline for the speed comparison).

    Raises:
        ValueError: if the scenario switches on a rule outside the subset, or has phases.
    """

    def __init__(self, scenario: Any, seed: int = 0, *, scalar_finance: bool = False):
        off = outside_subset(scenario.params)
        if off or scenario.phases:
            raise ValueError("the reference covers a subset of the rules; set "
                             f"SUBSET_OVERRIDES (differing: {off}) and use no phases")
        ss = np.random.SeedSequence([seed, 0x5EF])
        super().__init__(rng=int(ss.generate_state(1)[0]))  # seeds self.random and self.rng
        self.p = dict(scenario.params)
        self.scalar_finance = scalar_finance
        self.months = scenario.months
        self.month = 0
        self.rent_index = 1.0  # markets are out of the subset: indices stay at 1
        self.caps = [self.p[f"economy.bostotte_cap_{k}"] for k in range(1, 6)]
        self.flows = dict.fromkeys(("evictions", "allocations", "departures"), 0)
        self.history = np.zeros((self.months, len(INDICATORS)))
        engine = HousingModel(scenario, seed)
        self.kind = engine.stock.kind.tolist()
        self.rooms = engine.stock.rooms.tolist()
        self.in_stock = engine.stock.active.tolist()
        self.occupant: list[Family | None] = [None] * len(self.kind)
        self._copy_families(engine)

    def _copy_families(self, engine: HousingModel) -> None:
        f, n = engine.f, engine.f.n
        columns = {name: getattr(f, name)[:n].tolist() for name in COPIED}
        ages = f.child_age[:n]
        active = f.active[:n]
        for i in range(n):
            if not active[i]:
                continue
            values = {name: col[i] for name, col in columns.items()}
            values["children"] = [float(a) for a in ages[i] if a >= 0]
            family = Family(self, values)
            if family.dwelling >= 0:
                self.occupant[family.dwelling] = family

    # ------------------------------------------------------------------ rents and rules
    def size_factor(self, persons: int) -> float:
        """Price/rent factor of a dwelling for ``persons`` (1.0 for three)."""
        return min(max(1.0 + self.p["market.price_per_person"] * (persons - 3), 0.5), 3.0)

    def market_rent(self, persons: int) -> float:
        """Private market rent for a household of ``persons``, NOK/month."""
        p = self.p
        return (p["market.rent"] * self.rent_index * (1 + p["tenancy.private_rent_premium"])
                * self.size_factor(persons))

    def dwelling_size(self, family: Family) -> int:
        """The household size a tenant's dwelling is let for: its rooms, five or more rooms
        for the household when it is larger (:func:`sim.engine.processes.homes.rent_persons`)."""
        rooms = self.rooms[family.dwelling]
        return max(family.persons, rooms) if rooms >= 5 else rooms

    def municipal_rent(self, persons: int) -> float:
        """Rent in municipal and sublet dwellings, NOK/month."""
        p = self.p
        return (p["policy.rotation.rent_to_market"] * p["market.rent"] * self.rent_index
                * self.size_factor(persons))

    def housing_norm(self, persons: int) -> float:
        """Housing cost social assistance accepts, NOK/month."""
        p = self.p
        return (p["economy.sa_housing_norm_share"] * p["market.rent"] * self.rent_index
                * self.size_factor(persons))

    def eligible(self, family: Family) -> bool:
        """Whether ``family`` may be allocated a municipal dwelling."""
        p = self.p
        if family.owner:
            return False
        if p["policy.allocation.eligibility"] == "extensive_needs" \
                and family.need != NEED_EXTENSIVE:
            return False
        return bool(p["policy.allocation.children_allowed"] or not family.children)

    def vacate(self, family: Family) -> None:
        """``family`` leaves its municipal dwelling, if it has one."""
        if family.dwelling >= 0:
            self.occupant[family.dwelling] = None
            family.dwelling = -1

    def priority(self, family: Family) -> tuple:
        """Sort key of an applicant under the priority rule (smaller ranks first)."""
        homeless = family.tenure == HOMELESS
        kids = len(family.children) > 0
        waited = self.month - family.waiting_since
        rule = self.p["policy.allocation.priority"]
        keys = {
            "need": (-family.need, -homeless, -kids, -waited),
            "homeless_first": (-homeless, -family.need, -waited),
            "waiting_time": (-waited,),
            "children_first": (-kids, -homeless, -family.need, -waited),
        }[rule]
        return (*keys, self.random.random())

    def allocate(self) -> None:
        """Vacant dwellings, in stock order, to the applicants ranked first (rule 7)."""
        applicants = []
        for family in self.agents:
            if family.waiting_since < 0:
                continue
            if self.eligible(family) and not family.tenant:
                applicants.append(family)
            else:
                family.waiting_since = -1
        vacant = [d for d, who in enumerate(self.occupant) if who is None and self.in_stock[d]]
        if not vacant or not applicants:
            return
        ranked = sorted(applicants, key=self.priority)
        for dwelling, family in zip(vacant, ranked, strict=False):
            family.debt += family.rent_arrears  # a private landlord's claim stays as debt
            family.rent_arrears = 0.0
            self.occupant[dwelling] = family
            family.dwelling = dwelling
            family.tenure = SUBLET if self.kind[dwelling] == SUBLET_KIND else MUNICIPAL
            family.waiting_since = -1
            self.flows["allocations"] += 1

    # ------------------------------------------------------------------ schedule
    def step(self) -> None:
        """One month: every family in random order, then allocation, then the record."""
        for key in self.flows:
            self.flows[key] = 0
        self.agents.shuffle_do("step")
        self.allocate()
        self.history[self.month] = self.indicators()
        self.month += 1

    def run(self) -> np.ndarray:
        """Simulate the remaining months; return :attr:`history` (columns :data:`INDICATORS`)."""
        while self.month < self.months:
            self.step()
        return self.history

    def indicators(self) -> list[float]:
        """The month's values of :data:`INDICATORS`."""
        counts = dict.fromkeys(INDICATORS, 0)
        tenure_names = {HOMELESS: "homeless", MUNICIPAL: "municipal", SUBLET: "sublet",
                        PRIVATE: "private_rental", OWNER_BANK: "owner_bank"}
        for a in self.agents:
            name = tenure_names.get(a.tenure)
            if name:
                counts[name] += 1
            counts["waiting_list"] += a.waiting_since >= 0
            counts["families_in_work"] += a.employed
            counts["social_assistance_recipients"] += a.social_assistance > 0
            counts["in_arrears"] += a.rent_arrears > 0 or a.loan_arrears > 0
            counts["with_payment_remarks"] += a.remark
        counts["families"] = len(self.agents)
        counts["vacant_municipal"] = sum(1 for d, who in enumerate(self.occupant)
                                         if who is None and self.in_stock[d])
        counts.update(self.flows)
        return [float(counts[k]) for k in INDICATORS]


def guideline(adults: int, children: Sequence[float], p: Mapping[str, Any]) -> float:
    """NAV's guideline for one family, as :func:`sim.engine.finance.sa_guideline`, NOK/month."""
    total = p["economy.sa_single"] if adults == 1 else p["economy.sa_couple"]
    for age in children:
        if 0 <= age < 6:
            total += p["economy.sa_child_0_5"]
        elif 6 <= age < 11:
            total += p["economy.sa_child_6_10"]
        elif 11 <= age < 18:
            total += p["economy.sa_child_11_17"]
    return total


def sifo(adults: int, kids: int, p: Mapping[str, Any]) -> float:
    """SIFO budget for one family, as :func:`sim.engine.finance.sifo_budget`, NOK/month."""
    w2, wc = p["economy.equivalence_second_adult"], p["economy.equivalence_child"]
    scale = 1.0 + w2 * (adults - 1.0) + wc * kids
    return p["economy.sifo_reference"] * scale / (1 + w2 + 2 * wc)


def allowance(cost: float, persons: int, gross_annual: float, caps: Sequence[float],
              p: Mapping[str, Any]) -> float:
    """Housing allowance for one family, as :func:`sim.engine.finance.housing_allowance`,
    NOK/month."""
    approved = min(12 * cost, caps[min(max(persons, 1), 5) - 1])
    own = max(p["economy.bostotte_min_own"], p["economy.bostotte_own_rate"] * gross_annual)
    return max(0.0, (approved - own) * p["economy.bostotte_coverage"]) / 12


def monthly(annual: float) -> float:
    """Monthly probability with the same chance of at least one event a year."""
    a = min(max(annual, 0.0), 1.0)
    return 1.0 - (1.0 - a) ** (1.0 / 12.0)


# ---------------------------------------------------------------------- cross-check
@dataclass(frozen=True)
class Check:
    """One indicator compared between engine and reference over paired replications.

    Attributes:
        indicator: the indicator's name.
        measure: ``final`` (value in the last month) or ``total`` (sum over the run).
        engine: mean over replications, engine.
        reference: mean over replications, reference.
        difference: mean paired difference, engine minus reference.
        half_width: half-width of the confidence interval of the difference.
        ok: whether the interval contains zero.
    """

    indicator: str
    measure: str
    engine: float
    reference: float
    difference: float
    half_width: float
    ok: bool


def run_pair(scenario: Any, seed: int, reference_scenario: Any | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Engine and reference histories from the same initial population (seed ``seed``).

    Returns:
        ``(engine, reference)``, both (months x :data:`INDICATORS`).
    """
    engine = HousingModel(scenario, seed).run()[:, [INDEX[k] for k in INDICATORS]]
    reference = ReferenceModel(reference_scenario or scenario, seed).run()
    return engine, reference


def cross_check(scenario: Any, replications: int, *, seed: int = 0, confidence: float = 0.99,
                reference_overrides: Mapping[str, object] | None = None) -> list[Check]:
    """Compare engine and reference over ``replications`` paired replications.

    Replication ``r`` starts both from the initial population of seed ``seed + r``. For each
    indicator of :data:`COMPARED_FINAL` (last month) and :data:`COMPARED_TOTAL` (sum over the
    run) the paired differences give a t interval; ``confidence`` is family-wise (Bonferroni
    over all compared indicators), so with correct rules all intervals hold zero with at
    least that probability.

    Args:
        scenario: a scenario that already sets :data:`SUBSET_OVERRIDES`.
        replications: paired replications (at least 2).
        seed: seed of the first replication.
        confidence: family-wise confidence level.
        reference_overrides: parameters changed for the reference only (to show that the
            check detects a divergent rule).
    """
    from scipy import stats

    if replications < 2:
        raise ValueError("a confidence interval needs at least 2 replications")
    ref_scenario = (scenario.with_overrides(reference_overrides, where="reference")
                    if reference_overrides else scenario)
    finals: list[tuple[np.ndarray, np.ndarray]] = []
    for r in range(replications):
        e, ref = run_pair(scenario, seed + r, ref_scenario)
        finals.append((e, ref))
    items = [(k, "final") for k in COMPARED_FINAL] + [(k, "total") for k in COMPARED_TOTAL]
    alpha = (1 - confidence) / len(items)
    t = float(stats.t.ppf(1 - alpha / 2, replications - 1))
    checks = []
    for name, measure in items:
        j = INDICATORS.index(name)
        pick = (lambda h, j=j: h[-1, j]) if measure == "final" else (lambda h, j=j: h[:, j].sum())
        e = np.array([pick(a) for a, _ in finals])
        ref = np.array([pick(b) for _, b in finals])
        d = e - ref
        half = t * d.std(ddof=1) / math.sqrt(replications)
        checks.append(Check(name, measure, float(e.mean()), float(ref.mean()),
                            float(d.mean()), half, bool(abs(d.mean()) <= half)))
    return checks


def format_checks(checks: Sequence[Check]) -> str:
    """A Markdown table of a cross-check."""
    lines = ["| indicator | measure | engine | reference | difference | CI half-width | ok |",
             "|---|---|---:|---:|---:|---:|---|"]
    for c in checks:
        lines.append(f"| {c.indicator} | {c.measure} | {c.engine:.1f} | {c.reference:.1f} | "
                     f"{c.difference:+.1f} | {c.half_width:.1f} | {'yes' if c.ok else 'NO'} |")
    return "\n".join(lines)


def time_reference(scenario: Any, seed: int = 1, *, scalar_finance: bool = False
                   ) -> dict[str, float]:
    """Build and run the reference once; time the run (building excluded).

    Returns:
        ``seconds`` (wall), ``cpu_seconds``, ``build_s``, ``family_months`` and
        ``family_months_per_s`` (wall).
    """
    start = time.perf_counter()
    model = ReferenceModel(scenario, seed, scalar_finance=scalar_finance)
    built, built_cpu = time.perf_counter(), time.process_time()
    history = model.run()
    end, end_cpu = time.perf_counter(), time.process_time()
    fm = float(history[:, INDICATORS.index("families")].sum())
    return {"seconds": end - built, "cpu_seconds": end_cpu - built_cpu,
            "build_s": built - start, "family_months": fm,
            "family_months_per_s": fm / (end - built)}
