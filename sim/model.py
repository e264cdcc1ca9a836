"""The housing-career model: one municipality, its disadvantaged families, month by month.

:class:`HousingModel` is a :class:`mesa.Model` whose population is held as arrays
(:class:`sim.families.Families`) and whose monthly processes are vectorised rules in one module
each. The order of the processes is written once, in :meth:`HousingModel.step`.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from sim import demography, economy, followup, market, ownership, search, tenancy, work
from sim.calendar import add_months, parse_month
from sim.families import (
    HOMELESS,
    MAX_CHILDREN,
    MUNICIPAL,
    NEED_EXTENSIVE,
    OWNER_BANK,
    OWNER_STARTLOAN,
    PRIVATE,
    SUBLET,
    Families,
    is_owner,
    is_tenant,
)
from sim.indicators import INDEX, INDICATORS, NAMES, NET_COST_ITEMS
from sim.market import (
    OWNED,
    SUBLET_KIND,
    Dwellings,
    market_rent_level,
    municipal_rent_level,
    size_factor,
)
from sim.population import initial_population
from sim.streams import Streams

#: Departed families' rows are dropped once there are at least this many of them and they are
#: this share of all rows: a Verdal-size run never compacts, a national one every year or two.
#: The share balances the two costs: carrying dead rows (on average half the share, through
#: every process every month) against copying the columns when they are dropped; with a
#: national run's departures (~0.5 % of rows a month) the sum is least near 0.1 (5 % fewer
#: instructions than 0.25 for 40,000 families over 8 years, measured with callgrind).
COMPACT_MIN_ROWS = 4096
COMPACT_SHARE = 0.1
#: The flow and money indicators, reset at the start of every month.
FLOW_NAMES = tuple(i.name for i in INDICATORS if i.kind != "stock")


class HousingModel(mesa.Model):
    """One simulated municipality.

    Args:
        scenario: a resolved :class:`sim.scenario.Scenario` (parameters and dated phases).
        rng: an integer seed or a :class:`numpy.random.SeedSequence`; everything random in
            the run derives from it through named streams (:mod:`sim.streams`).
        populate: draw the initial population (False leaves it empty, for tests that build
            families by hand with ``model.f.add``).
        compact: drop departed families' rows at the start of a month once they are at least
            :data:`COMPACT_MIN_ROWS` and :data:`COMPACT_SHARE` of all rows (False keeps every
            row, so row ``i`` is family ``uid == i`` for the whole run). Compaction happens in
            the same months in every scenario with the same seed and arrivals (departures do
            not depend on policy), so common random numbers hold; results differ from an
            uncompacted run only by chance.

    Attributes:
        f: the families (arrays); ``family(i)`` gives a read-only view of one.
        stock: municipal and sublet dwellings.
        p: parameters in force this month (phases applied).
        month: index of the month being (or last) simulated, 0-based.
        history: (months x indicators) array, one row per simulated month, columns in the
            order of :data:`sim.indicators.NAMES`.
    """

    def __init__(self, scenario: Any, rng: int | np.random.SeedSequence | None = None, *,
                 populate: bool = True, compact: bool = True):
        from sim.resources import check, reuse_freed_memory

        check(scenario)  # refuse up front, with an estimate, what would not fit in memory
        reuse_freed_memory()  # once a process: a month's large temporaries reuse memory
        seed = rng if isinstance(rng, np.random.SeedSequence) else np.random.SeedSequence(rng)
        mesa_seed, stream_seed = seed.spawn(2)
        super().__init__(rng=np.random.default_rng(mesa_seed))
        self.scenario = scenario
        self.months = scenario.months
        self._phase_at = dict(scenario.phase_months())
        self._start_abs = parse_month(scenario.start)
        self.p: dict[str, Any] = scenario.params_at(0)
        self.streams = Streams(stream_seed)
        self.month = 0
        self.price_index = 1.0
        self.rent_index = 1.0
        self.stock_carry = [0.0, 0.0]
        self.network_carry = 0.0
        self.lent_year = 0.0
        self.granted_year = 0
        self.granted_year_children = 0
        self.flows: dict[str, float] = dict.fromkeys(FLOW_NAMES, 0.0)
        self.flows["arrears_settled_nok"] = 0.0
        self.rent_collected = [0.0, 0.0]
        self.month_cache: dict[str, Any] = {}
        self.history = np.zeros((self.months, len(NAMES)))
        self.stock = Dwellings(self.p["stock.municipal_dwellings"],
                               self.p["stock.sublet_dwellings"])
        self.f = Families()
        self.compact = compact
        if populate:
            initial_population(self)
        self._policy_changed(None)

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """Simulate one month. The processes, in this order:

        0. **Policy phases** — parameters of a phase starting this month take effect; newly
           introduced contracts or reviews are scheduled for sitting tenants (a full review
           reaches every tenant within twelve months); the start-loan lending budget renews
           each January.
        1. **Markets and stock** (:func:`sim.market.step`) — house-price and rent indices move;
           bought, built or sublet dwellings join the stock.
        2. **Demography** (:func:`sim.demography.step`) — ageing, births, children leaving at
           18, separation and re-partnering, moving away; refugee settlement and local families
           falling into difficulty arrive.
        3. **Work** (:func:`sim.work.step`) — introduction programme, employment measures, job
           finding and loss.
        4. **Follow-up** (:func:`sim.followup.step`) — caseworkers' caseload, visits, family
           plans, the cross-agency network, referral to debt counselling.
        5. **Household economy** (:func:`sim.economy.step`) — income, housing allowance, social
           assistance, living and housing costs, savings, debt, arrears, payment remarks, debt
           counselling outcomes.
        6. **Tenancy** (:func:`sim.tenancy.step`) — evictions for arrears, private leases
           ending, municipal contract expiry, reviews and exit requests.
        7. **Ownership** (:func:`sim.ownership.step`) — defaults and forced sales; attempts to
           buy, the bank's test, the start-loan assessment within the budget; purchases.
        8. **Housing search** (:func:`sim.search.step`) — private rental search, the waiting
           list, allocation of vacant municipal dwellings by priority, homelessness when the
           time to move runs out.
        9. **Accounts and record** — the municipality's costs; all indicators for the month.
        """
        if self.month >= self.months:
            raise RuntimeError(f"the run has {self.months} months; all are simulated")
        self._begin_month()
        market.step(self)
        demography.step(self)
        work.step(self)
        followup.step(self)
        economy.step(self)
        tenancy.step(self)
        ownership.step(self)
        search.step(self)
        self._costs()
        self.history[self.month] = self.indicators()
        self.month += 1

    def run(self) -> np.ndarray:
        """Simulate the remaining months; return :attr:`history`."""
        while self.month < self.months:
            self.step()
        return self.history

    @property
    def dates(self) -> list[str]:
        """``YYYY-MM`` of every month of the run."""
        return [add_months(self.scenario.start, k) for k in range(self.months)]

    def family(self, i: int) -> dict[str, Any]:
        """A read-only snapshot of family ``i`` (for inspection and family stories)."""
        return self.f.family(i)

    # ------------------------------------------------------------------ month bookkeeping
    def _begin_month(self) -> None:
        self.month_cache = {}
        self._compact_rows()
        for k in self.flows:
            self.flows[k] = 0.0
        self.rent_collected = [0.0, 0.0]
        n = self.f.n
        self.f.tenure_months[:n] += self.f.active[:n]
        if self.month in self._phase_at and self.month > 0:
            old, self.p = self.p, self.scenario.params_at(self.month)
            self._policy_changed(old)
        if (self._start_abs + self.month) % 12 == 0:
            self.lent_year = 0.0
            self.granted_year = 0
            self.granted_year_children = 0

    def _compact_rows(self) -> None:
        """Drop departed families' rows when they are many (see ``compact``): every process
        works on all rows, so a national run would otherwise carry twice as many rows as
        families."""
        f = self.f
        departed = f.n - np.count_nonzero(f.active[: f.n])
        if not self.compact or departed < max(COMPACT_MIN_ROWS, COMPACT_SHARE * f.n):
            return
        new_row = f.compact()
        held = self.stock.occupant >= 0
        self.stock.occupant[held] = new_row[self.stock.occupant[held]]

    def _policy_changed(self, old: dict[str, Any] | None) -> None:
        """Schedule contracts and reviews for sitting tenants when the run or a phase brings
        them (``old`` is None at the start of the run).

        Assumption: sitting tenants' dates are spread over the next period by how long they
        have lived there, so that not all fall due in the same month.
        """
        p, f = self.p, self.f
        old = old or {"policy.rotation.contract_years": 0.0, "policy.rotation.review": False,
                      "policy.rotation.full_review": False}
        tenants = self._tenants().nonzero()[0]
        spread = f.tenure_months[tenants]
        years = p["policy.rotation.contract_years"]
        if years > 0 and old["policy.rotation.contract_years"] != years:
            period = max(int(round(years * 12)), 1)
            f.contract_end[tenants] = self.month + 1 + spread % period
        review_on = p["policy.rotation.review"] and not old["policy.rotation.review"]
        full_on = p["policy.rotation.full_review"] and not old["policy.rotation.full_review"]
        if review_on or full_on:
            f.review_due[tenants] = self.month + spread % 12

    def _tenants(self) -> np.ndarray:
        f, n = self.f, self.f.n
        return f.active[:n] & is_tenant(f.tenure[:n])

    # ------------------------------------------------------------------ shared actions
    def set_tenure(self, idx: np.ndarray, tenure: int | np.ndarray) -> None:
        """Move families ``idx`` to ``tenure``; the time in tenure restarts where it changed."""
        f = self.f
        changed = f.tenure[idx] != tenure
        f.tenure_months[idx[changed]] = 0
        f.tenure[idx] = tenure

    def vacate(self, idx: np.ndarray) -> None:
        """Families ``idx`` leave their municipal or sublet dwelling, if they have one."""
        f = self.f
        idx = np.asarray(idx)
        inside = idx[f.dwelling[idx] >= 0]
        if len(inside):
            self.stock.occupant[f.dwelling[inside]] = -1
            self.stock.vacant_since[f.dwelling[inside]] = self.month
            f.dwelling[inside] = -1
            f.contract_end[inside] = -1
            f.review_due[inside] = -1
            self.flows["moves_out_of_municipal"] += len(inside)

    def eligible_municipal(self, idx: np.ndarray) -> np.ndarray:
        """Whether families ``idx`` may be allocated a municipal dwelling under the rules."""
        p, f = self.p, self.f
        t = f.tenure[idx]
        owner = is_owner(t)
        ok = f.active[idx] & ~owner
        if p["policy.allocation.eligibility"] == "extensive_needs":
            ok &= f.need[idx] == NEED_EXTENSIVE
        if not p["policy.allocation.children_allowed"]:
            ok &= f.n_children[idx] == 0
        return ok

    def place_in_municipal(self, ranked: np.ndarray) -> np.ndarray:
        """Give vacant dwellings to families ``ranked`` (best first); return those placed."""
        f = self.f
        vacant = self.stock.vacant()
        k = min(len(vacant), len(ranked))
        if k == 0:
            return np.zeros(0, dtype=np.int64)
        chosen, dw = np.asarray(ranked[:k]), vacant[:k]
        f.debt[chosen] += f.rent_arrears[chosen]  # a private landlord's claim stays as debt
        f.rent_arrears[chosen] = 0.0
        self.stock.occupant[dw] = chosen
        f.dwelling[chosen] = dw
        self.set_tenure(chosen, np.where(self.stock.kind[dw] == SUBLET_KIND, SUBLET, MUNICIPAL))
        f.tenure_months[chosen] = 0
        f.waiting_since[chosen] = -1
        self.renew_lease(chosen, first=True)
        self.flows["allocations"] += k
        return chosen

    def renew_lease(self, idx: np.ndarray, *, first: bool = False) -> None:
        """Give tenants ``idx`` a (new) lease: contract end and next review per policy."""
        p, f = self.p, self.f
        years = p["policy.rotation.contract_years"]
        f.exit_by[idx] = -1
        f.contract_end[idx] = self.month + max(int(round(years * 12)), 1) if years > 0 else -1
        review_in = p["policy.rotation.review_months"] if first else 12
        f.review_due[idx] = self.month + review_in if p["policy.rotation.review"] else -1

    def housing_payment(self, idx: np.ndarray | slice) -> np.ndarray:
        """Monthly housing payment due from families ``idx`` (indices or a slice) in their
        tenure, NOK/month."""
        p, f = self.p, self.f
        t = f.tenure[idx]
        # the rent of the tenure's dwelling for three persons, scaled to the household's size
        level = np.zeros(6)
        level[[MUNICIPAL, SUBLET]] = municipal_rent_level(self)
        level[PRIVATE] = market_rent_level(self)
        rent = level[t] * size_factor(f.persons[idx], p["market.price_per_person"])
        rent = np.where(t == PRIVATE, rent * f.rent_factor[idx], rent)
        owner = is_owner(t)
        return np.where(owner, f.loan_payment[idx] + p["economy.owner_costs"], rent)

    # ------------------------------------------------------------------ accounts and record
    def _costs(self) -> None:
        """The municipality's costs this month (NOK); their sum is the net cost."""
        p, f, n, fl = self.p, self.f, self.f.n, self.flows
        homeless = np.count_nonzero(f.active[:n] & (f.tenure[:n] == HOMELESS))
        fl["temporary_accommodation_nok"] = (homeless * p["economy.temporary_share"]
                                             * p["economy.temporary_cost"])
        n_owned = self.stock.count(OWNED)
        n_sublet = self.stock.count(SUBLET_KIND)
        lease = market_rent_level(self) + p["stock.sublet_admin_cost"]  # a 3-person dwelling
        fl["municipal_housing_net_nok"] = (n_owned * p["stock.owned_cost"]
                                           - self.rent_collected[OWNED]
                                           + n_sublet * lease - self.rent_collected[SUBLET_KIND])
        fl["followup_cost_nok"] = (p["policy.followup.workers"]
                                   * p["policy.followup.cost_per_worker"] / 12)
        fl["municipal_net_cost_nok"] = sum(fl[k] for k in NET_COST_ITEMS)

    def indicators(self) -> np.ndarray:
        """The month's indicator vector, in the order of :data:`sim.indicators.NAMES`."""
        f, n = self.f, self.f.n
        act = f.active[:n]
        tenure = f.tenure[:n]
        here = act.nonzero()[0]  # the active families' rows
        t = tenure[here]
        out = np.zeros(len(NAMES))
        # families by tenure and number of children, in one count of whole numbers
        slots = MAX_CHILDREN + 1
        by_kids = np.bincount(t * slots + f.n_children[here], minlength=6 * slots)
        by_kids = by_kids.reshape(6, slots)
        counts = by_kids.sum(axis=1)
        children = by_kids @ np.arange(slots)  # children by tenure
        out[INDEX["families"]] = len(here)
        for code, name in enumerate(("homeless", "municipal", "sublet", "private_rental",
                                     "owner_startloan", "owner_bank")):
            out[INDEX[name]] = counts[code]
        out[INDEX["children_municipal"]] = children[MUNICIPAL] + children[SUBLET]
        out[INDEX["children_homeless"]] = children[HOMELESS]
        out[INDEX["children"]] = children.sum()
        # counts over all rows masked by ``act``: cheaper than gathering the active rows
        out[INDEX["waiting_list"]] = np.count_nonzero(act & (f.waiting_since[:n] >= 0))
        stock = self.stock.n
        occupied = np.count_nonzero((self.stock.occupant >= 0) & self.stock.active)
        out[INDEX["vacant_municipal"]] = stock - occupied
        out[INDEX["municipal_stock"]] = stock
        out[INDEX["families_in_work"]] = np.count_nonzero(act & f.employed[:n])
        out[INDEX["social_assistance_recipients"]] = np.count_nonzero(
            act & (f.social_assistance[:n] > 0))
        out[INDEX["in_arrears"]] = np.count_nonzero(
            act & ((f.rent_arrears[:n] > 0) | (f.loan_arrears[:n] > 0)))
        out[INDEX["followed_up"]] = np.count_nonzero(act & f.followed[:n])
        if counts[MUNICIPAL] + counts[SUBLET]:
            tenant = act & is_tenant(tenure)
            out[INDEX["mean_months_in_municipal"]] = f.tenure_months[:n][tenant].mean()
        if counts[OWNER_STARTLOAN] + counts[OWNER_BANK]:
            idx = (act & is_owner(tenure)).nonzero()[0]
            equity = ownership.market_value(self, idx) - f.loan_principal[idx]
            out[INDEX["mean_owner_equity_nok"]] = equity.mean()
        out[INDEX["with_payment_remarks"]] = np.count_nonzero(act & f.remark[:n])
        out[INDEX["new_homeless"]] = np.count_nonzero(
            act & (tenure == HOMELESS) & (f.tenure_months[:n] == 0))
        for name in FLOW_NAMES:
            if name != "new_homeless":
                out[INDEX[name]] = self.flows[name]
        return out
