"""The housing-career model: one municipality, its disadvantaged families, month by month.

:class:`HousingModel` is a :class:`mesa.Model` whose population is held as arrays
(:class:`sim.engine.families.Families`) and whose monthly processes are vectorised rules in one
module
each. The order of the processes is written once, in :meth:`HousingModel.step`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mesa
import numpy as np

from sim.engine.families import (
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
from sim.engine.population import initial_population
from sim.engine.processes import (
    demography,
    economy,
    followup,
    market,
    ownership,
    search,
    tenancy,
    work,
)
from sim.engine.processes.market import (
    OWNED,
    SUBLET_KIND,
    Dwellings,
    market_rent_level,
    municipal_rent_level,
    size_factor,
)
from sim.engine.ranking import first_in_groups, first_in_order
from sim.engine.streams import Streams, TownStreams
from sim.inputs.calendar import add_months, parse_month
from sim.inputs.indicators import INDEX, INDICATORS, NAMES, NET_COST_ITEMS

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
#: The parameters whose value may differ between the towns of a batch: every place that
#: reads them takes the town of the family or the count into account (the rest must be the
#: same in every town; a batch refuses otherwise and its caller runs the towns one by one).
TOWN_PARAMETERS = frozenset({
    "policy.rotation.contract_years", "policy.followup.workers",
    "policy.rotation.rent_to_market", "policy.startloan.budget_per_1000",
    "policy.work.measure_places", "work.job_finding_rate", "economy.payment_failure_rate",
    "market.search_success", "ownership.purchase_success", "market.rent",
})


class BatchError(ValueError):
    """Scenarios that cannot run as one batch of towns (they differ in structure, or in a
    parameter outside :data:`TOWN_PARAMETERS`)."""


def town_params(params: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One parameter dict for a batch of towns: a value the towns share, or an array of one
    value per town for a parameter of :data:`TOWN_PARAMETERS` that differs.

    Raises:
        BatchError: if another parameter differs between the towns.
    """
    if len(params) == 1:
        return params[0]
    out = {}
    for key, first in params[0].items():
        values = [q[key] for q in params]
        if all(v == first for v in values):
            out[key] = first
        elif key in TOWN_PARAMETERS:
            out[key] = np.array(values, dtype=float)
        else:
            raise BatchError(f"{key} differs between the towns of a batch; only "
                             f"{', '.join(sorted(TOWN_PARAMETERS))} may")
    return out


class HousingModel(mesa.Model):
    """One simulated municipality.

    A *batch* simulates several towns at once in one set of arrays (``scenario`` and ``rng``
    given as sequences, one per town): the towns share the months and phases and may differ
    in their seed and in the parameters of :data:`TOWN_PARAMETERS`. Each family and dwelling
    has a ``town``; each town draws its own random numbers for its own rows, so town ``k``
    gives the history of the single run of ``scenario[k]`` with ``rng[k]`` — to the last bits
    of sums of money, which a batch (even of one town) adds town by town in row order and a
    single run pairwise; a town's history does not depend on which towns run beside it. Many
    small towns run several times faster together than one by one, since a small run is
    mostly numpy's fixed cost per call.

    Args:
        scenario: a resolved :class:`sim.inputs.scenario.Scenario` (parameters and dated phases), or
            one per town of a batch.
        rng: an integer seed or a :class:`numpy.random.SeedSequence`; everything random in
            the run derives from it through named streams (:mod:`sim.engine.streams`). One per town
            of a batch.
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
            order of :data:`sim.inputs.indicators.NAMES`; in a batch (towns x months x indicators).
        towns: the number of towns (1 in a single run).
        batch: whether the model was given sequences (a batch, possibly of one town).
    """

    def __init__(self, scenario: Any, rng: Any = None, *, populate: bool = True,
                 compact: bool = True):
        from sim.engine.resources import check, reuse_freed_memory

        batch = isinstance(scenario, (list, tuple))
        scenarios = list(scenario) if batch else [scenario]
        rngs = list(rng) if batch else [rng]
        if len(rngs) != len(scenarios) or not scenarios:
            raise BatchError(f"a batch needs one seed per town: {len(scenarios)} scenarios, "
                             f"{len(rngs)} seeds")
        first = scenarios[0]
        for sc in scenarios[1:]:
            if (sc.months, sc.start, sc.phase_months()) != (
                    first.months, first.start, first.phase_months()):
                raise BatchError("the towns of a batch must share months, start and phases")
        params = town_params([sc.params_at(0) for sc in scenarios])  # before any seed is used
        check(first)  # refuse up front what would not fit (sim.run.runner.run_batch keeps
        # batches of towns to a few thousand families)
        reuse_freed_memory()  # once a process: a month's large temporaries reuse memory
        seeds = [r if isinstance(r, np.random.SeedSequence) else np.random.SeedSequence(r)
                 for r in rngs]
        mesa_seed, stream_seed = zip(*(s.spawn(2) for s in seeds), strict=True)
        super().__init__(rng=np.random.default_rng(mesa_seed[0]))
        self.towns = len(scenarios)
        self.batch = batch  # sums money by town in row order even for one town (total)
        self.scenarios = scenarios
        self.scenario = first
        self.months = first.months
        self._phase_at = dict(first.phase_months())
        self._start_abs = parse_month(first.start)
        self.p: dict[str, Any] = params
        self._layout = (-1, -1)  # (rows, compactions) when the rows were last grouped
        self._compactions = 0
        self.streams: Any = (Streams(stream_seed[0]) if self.towns == 1 else
                             TownStreams(list(stream_seed), self.rows_by_town))
        self.month = 0
        one = 1.0 if self.towns == 1 else np.ones(self.towns)
        self.price_index = one
        self.rent_index = one
        self.stock_carry = [0.0, 0.0]
        self.network_carry = 0.0
        self.lent_year = np.zeros(self.towns)
        self.granted_year = np.zeros(self.towns, dtype=np.int64)
        self.granted_year_children = np.zeros(self.towns, dtype=np.int64)
        self.flows: dict[str, Any] = {}
        self.rent_collected: list[Any] = []
        self._reset_flows()
        self.month_cache: dict[str, Any] = {}
        #: the parameters the families' kept living costs were computed with
        #: (:func:`sim.engine.processes.economy.living_costs`)
        self.living_parameters: tuple | None = None
        self.histories = np.zeros((self.towns, self.months, len(NAMES)))
        self.history = self.histories[0] if self.towns == 1 else self.histories
        self.stock = Dwellings(self.p["stock.municipal_dwellings"],
                               self.p["stock.sublet_dwellings"], self.towns)
        self.f = Families()
        self.compact = compact
        if populate:
            for town in range(self.towns):
                initial_population(self, town)
        self._policy_changed(None)

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """Simulate one month. The processes, in this order:

        0. **Policy phases** — parameters of a phase starting this month take effect; newly
           introduced contracts or reviews are scheduled for sitting tenants (a full review
           reaches every tenant within twelve months); the start-loan lending budget renews
           each January.
        1. **Markets and stock** (:func:`sim.engine.processes.market.step`) — house-price and rent
           indices move;
           bought, built or sublet dwellings join the stock.
        2. **Demography** (:func:`sim.engine.processes.demography.step`) — ageing, births, children
           leaving at
           18, separation and re-partnering, moving away; refugee settlement and local families
           falling into difficulty arrive.
        3. **Work** (:func:`sim.engine.processes.work.step`) — introduction programme, employment
           measures, job
           finding and loss.
        4. **Follow-up** (:func:`sim.engine.processes.followup.step`) — caseworkers' caseload,
           visits, family
           plans, the cross-agency network, referral to debt counselling.
        5. **Household economy** (:func:`sim.engine.processes.economy.step`) — income, housing
           allowance, social
           assistance, living and housing costs, savings, debt, arrears, payment remarks, debt
           counselling outcomes.
        6. **Tenancy** (:func:`sim.engine.processes.tenancy.step`) — evictions for arrears, private
           leases
           ending, municipal contract expiry, reviews and exit requests.
        7. **Ownership** (:func:`sim.engine.processes.ownership.step`) — defaults and forced sales;
           attempts to
           buy, the bank's test, the start-loan assessment within the budget; purchases.
        8. **Housing search** (:func:`sim.engine.processes.search.step`) — private rental search,
           the waiting
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
        self.histories[:, self.month] = self.indicators()
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
    def _reset_flows(self) -> None:
        """Zero the month's flows and rent collected (one array per flow in a batch: they
        are added to in place)."""
        def zero() -> Any:
            return 0.0 if self.towns == 1 else np.zeros(self.towns)
        for k in (*FLOW_NAMES, "arrears_settled_nok"):
            self.flows[k] = zero()
        self.rent_collected = [zero(), zero()]

    def _begin_month(self) -> None:
        self.month_cache = {}
        self._compact_rows()
        self._reset_flows()
        n = self.f.n
        self.f.tenure_months[:n] += self.f.active[:n]
        if self.month in self._phase_at and self.month > 0:
            old = self.p
            self.p = town_params([sc.params_at(self.month) for sc in self.scenarios])
            self._policy_changed(old)
        if (self._start_abs + self.month) % 12 == 0:
            self.lent_year[:] = 0.0
            self.granted_year[:] = 0
            self.granted_year_children[:] = 0

    def _compact_rows(self) -> None:
        """Drop departed families' rows when they are many (see ``compact``): every process
        works on all rows, so a national run would otherwise carry twice as many rows as
        families. In a batch each town decides by its own rows, as its single run would."""
        f = self.f
        if not self.compact:
            return
        active = f.active[: f.n]
        if self.towns == 1:
            departed = f.n - np.count_nonzero(active)
            if departed < max(COMPACT_MIN_ROWS, COMPACT_SHARE * f.n):
                return
            keep = None
        else:
            town = f.town[: f.n]
            rows = np.bincount(town, minlength=self.towns)
            departed = rows - np.bincount(town[active], minlength=self.towns)
            due = departed >= np.maximum(COMPACT_MIN_ROWS, COMPACT_SHARE * rows)
            if not due.any():
                return
            keep = active | ~due[town]
        new_row = f.compact(keep)
        self._compactions += 1
        held = self.stock.occupant >= 0
        self.stock.occupant[held] = new_row[self.stock.occupant[held]]

    # ------------------------------------------------------------------ towns of a batch
    def rows_by_town(self) -> tuple[np.ndarray, list[int]]:
        """Every row's place when the rows in use are grouped by town (each town's in
        order), and each town's number of rows."""
        key = (self.f.n, self._compactions)
        if key != self._layout:
            town = self.f.town[: self.f.n]
            place = np.empty(len(town), dtype=np.intp)  # the inverse of the grouping order
            place[np.argsort(town, kind="stable")] = np.arange(len(town))
            self._grouped = (place, np.bincount(town, minlength=self.towns).tolist())
            self._layout = key
        return self._grouped

    def at(self, value: Any, rows: Any) -> Any:
        """A town-level ``value`` (one number, or one per town) for the families ``rows``
        (indices, a mask over the rows in use, or a slice)."""
        if type(value) is not np.ndarray:  # the same in every town (a cheap test: it is
            return value                    # asked a dozen times a month)
        return value[self.f.town[: self.f.n][rows]]

    def per_row(self, value: Any, rows: np.ndarray | None = None) -> np.ndarray:
        """A parameter (one number, or one per town) as a new array over the rows in use, or
        over the families ``rows`` (indices)."""
        if type(value) is not np.ndarray:
            return np.full(self.f.n if rows is None else len(rows), value)
        town = self.f.town[: self.f.n]
        return value[town if rows is None else town[rows]]

    def first_in_towns(self, keys: Sequence[np.ndarray], rows: np.ndarray, tops: Any
                       ) -> np.ndarray:
        """Positions in ``rows`` of the first ``tops`` families of each town by ``keys``
        (:func:`sim.engine.ranking.first_in_order`; ``tops`` one number, or one per town)."""
        if self.towns == 1:
            return first_in_order(keys, int(tops))
        return first_in_groups(keys, self.f.town[rows], np.broadcast_to(tops, self.towns))

    def count(self, rows: np.ndarray) -> Any:
        """How many of the families ``rows`` (indices, or a mask over the rows in use): a
        number, or one per town in a batch."""
        if self.towns == 1:
            return np.count_nonzero(rows) if rows.dtype == bool else len(rows)
        town = self.f.town[: self.f.n]
        # compress and take: 2x and 1.1x faster than indexing by a mask or by positions
        mine = town.compress(rows) if rows.dtype == bool else town.take(rows)
        return np.bincount(mine, minlength=self.towns)

    def total(self, values: np.ndarray, rows: Any = None) -> Any:
        """The sum of ``values`` belonging to the families ``rows`` (indices or a mask; None:
        one value per row in use): a float, or one per town in a batch."""
        if not self.batch:
            return float(values.sum())
        # in row order, town by town: a town's sum is the same whatever towns run beside it
        town = self.f.town[: self.f.n]
        if rows is not None:
            town = town.compress(rows) if rows.dtype == bool else town.take(rows)
        sums = np.bincount(town, weights=values, minlength=self.towns)
        return float(sums[0]) if self.towns == 1 else sums

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
        starts = (np.asarray(years) > 0) & (np.asarray(old["policy.rotation.contract_years"])
                                            != years)  # per town in a batch
        if starts.any():
            rows, since = tenants, spread
            if starts.ndim:  # the towns where contracts start
                mine = starts[f.town[tenants]]
                rows, since = tenants[mine], spread[mine]
            period = np.maximum(np.rint(self.at(np.asarray(years) * 12, rows)), 1)
            f.contract_end[rows] = self.month + 1 + since % period.astype(np.int64)
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
            self.flows["moves_out_of_municipal"] += self.count(inside)

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
        """Give vacant dwellings to families ``ranked`` (best first; in a batch, best first
        within each town, and each town's dwellings to its own families); return those
        placed."""
        f = self.f
        vacant = self.stock.vacant()
        if self.towns == 1:
            k = min(len(vacant), len(ranked))
            chosen, dw = np.asarray(ranked[:k]), vacant[:k]
        else:
            chosen, dw = self._pair_in_towns(np.asarray(ranked), vacant)
        if len(chosen) == 0:
            return np.zeros(0, dtype=np.int64)
        f.debt[chosen] += f.rent_arrears[chosen]  # a private landlord's claim stays as debt
        f.rent_arrears[chosen] = 0.0
        self.stock.occupant[dw] = chosen
        f.dwelling[chosen] = dw
        self.set_tenure(chosen, np.where(self.stock.kind[dw] == SUBLET_KIND, SUBLET, MUNICIPAL))
        f.tenure_months[chosen] = 0
        f.waiting_since[chosen] = -1
        self.renew_lease(chosen, first=True)
        self.flows["allocations"] += self.count(chosen)
        return chosen

    def _pair_in_towns(self, ranked: np.ndarray, vacant: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Pair each town's ``ranked`` families, in order, with its ``vacant`` dwellings, in
        stock order, as many as the fewer of the two."""
        fam_town, dw_town = self.f.town[ranked], self.stock.town[vacant]
        pairs = np.minimum(np.bincount(fam_town, minlength=self.towns),
                           np.bincount(dw_town, minlength=self.towns))
        # the first ``pairs`` of each town in the order given, town by town on both sides
        fam = first_in_groups((np.arange(len(ranked)),), fam_town, pairs)
        dw = first_in_groups((np.arange(len(vacant)),), dw_town, pairs)
        return ranked[fam], vacant[dw]

    def renew_lease(self, idx: np.ndarray, *, first: bool = False) -> None:
        """Give tenants ``idx`` a (new) lease: contract end and next review per policy."""
        p, f = self.p, self.f
        years = self.at(p["policy.rotation.contract_years"], idx)
        f.exit_by[idx] = -1
        if type(years) is np.ndarray:  # differs between the towns of a batch
            months = np.maximum(np.rint(years * 12), 1)
            f.contract_end[idx] = np.where(years > 0, self.month + months, -1)
        else:
            f.contract_end[idx] = self.month + max(int(round(years * 12)), 1) if years > 0 else -1
        review_in = p["policy.rotation.review_months"] if first else 12
        f.review_due[idx] = self.month + review_in if p["policy.rotation.review"] else -1

    def housing_payment(self, idx: np.ndarray | slice) -> np.ndarray:
        """Monthly housing payment due from families ``idx`` (indices or a slice) in their
        tenure, NOK/month."""
        p, f = self.p, self.f
        t = f.tenure[idx]
        # the rent of the tenure's dwelling for three persons, scaled to the household's size
        level = np.zeros((6, self.towns))  # by tenure (and town)
        level[[MUNICIPAL, SUBLET]] = municipal_rent_level(self)
        level[PRIVATE] = market_rent_level(self)
        if self.towns == 1:
            by_tenure = level[:, 0].take(t)
        else:  # a flat take: 4x faster than indexing by (tenure, town)
            by_tenure = level.T.ravel().take(f.town[idx] * len(level) + t)
        rent = by_tenure * size_factor(f.persons[idx], p["market.price_per_person"])
        rent = np.where(t == PRIVATE, rent * f.rent_factor[idx], rent)
        owner = is_owner(t)
        return np.where(owner, f.loan_payment[idx] + p["economy.owner_costs"], rent)

    # ------------------------------------------------------------------ accounts and record
    def _costs(self) -> None:
        """The municipality's costs this month (NOK); their sum is the net cost."""
        p, f, n, fl = self.p, self.f, self.f.n, self.flows
        homeless = self.count(f.active[:n] & (f.tenure[:n] == HOMELESS))
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
        """The month's indicator vector, in the order of :data:`sim.inputs.indicators.NAMES` (one
        per town in a batch: towns x indicators)."""
        f, n, towns = self.f, self.f.n, self.towns
        act = f.active[:n]
        tenure = f.tenure[:n]
        here = act.nonzero()[0]  # the active families' rows
        code = tenure[here]
        if towns > 1:
            code = code + 6 * f.town[here]
        out = np.zeros((towns, len(NAMES)))
        row = out[0] if towns == 1 else out  # row[..., i]: indicator i (of every town)
        # families by town, tenure and number of children, in one count of whole numbers
        slots = MAX_CHILDREN + 1
        by_kids = np.bincount(code * slots + f.n_children[here], minlength=towns * 6 * slots)
        by_kids = by_kids.reshape(6, slots) if towns == 1 else by_kids.reshape(towns, 6, slots)
        counts = by_kids.sum(axis=-1)  # by (town and) tenure
        children = by_kids @ np.arange(slots)
        row[..., INDEX["families"]] = counts.sum(axis=-1)
        for code, name in enumerate(("homeless", "municipal", "sublet", "private_rental",
                                     "owner_startloan", "owner_bank")):
            row[..., INDEX[name]] = counts[..., code]
        row[..., INDEX["children_municipal"]] = children[..., MUNICIPAL] + children[..., SUBLET]
        row[..., INDEX["children_homeless"]] = children[..., HOMELESS]
        row[..., INDEX["children"]] = children.sum(axis=-1)
        # counts over all rows masked by ``act``: cheaper than gathering the active rows
        count = self.count
        row[..., INDEX["waiting_list"]] = count(act & (f.waiting_since[:n] >= 0))
        row[..., INDEX["vacant_municipal"]] = self.stock.count_vacant()
        row[..., INDEX["municipal_stock"]] = self.stock.n
        row[..., INDEX["families_in_work"]] = count(act & f.employed[:n])
        row[..., INDEX["social_assistance_recipients"]] = count(
            act & (f.social_assistance[:n] > 0))
        row[..., INDEX["in_arrears"]] = count(
            act & ((f.rent_arrears[:n] > 0) | (f.loan_arrears[:n] > 0)))
        row[..., INDEX["followed_up"]] = count(act & f.followed[:n])
        tenants = counts[..., MUNICIPAL] + counts[..., SUBLET]
        if tenants.any():
            tenant = act & is_tenant(tenure)
            row[..., INDEX["mean_months_in_municipal"]] = self._mean(
                f.tenure_months[:n][tenant], tenant, tenants)
        owners = counts[..., OWNER_STARTLOAN] + counts[..., OWNER_BANK]
        if owners.any():
            idx = (act & is_owner(tenure)).nonzero()[0]
            equity = ownership.market_value(self, idx) - f.loan_principal[idx]
            row[..., INDEX["mean_owner_equity_nok"]] = self._mean(equity, idx, owners)
        row[..., INDEX["with_payment_remarks"]] = count(act & f.remark[:n])
        row[..., INDEX["new_homeless"]] = count(
            act & (tenure == HOMELESS) & (f.tenure_months[:n] == 0))
        for name in FLOW_NAMES:
            if name != "new_homeless":
                row[..., INDEX[name]] = self.flows[name]
        return row

    def _mean(self, values: np.ndarray, rows: np.ndarray, counts: np.ndarray) -> Any:
        """Mean of ``values`` of the families ``rows`` per town (0 where a town has none)."""
        if not self.batch:
            return values.mean()
        return self.total(values, rows) / np.maximum(counts, 1)
