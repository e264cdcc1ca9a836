"""The housing-career model: one municipality, its disadvantaged families, month by month.

:class:`HousingModel` is a :class:`mesa.Model` whose population is held as arrays
(:class:`sim.engine.families.Families`) and whose monthly processes are vectorised rules in
one module each (:mod:`sim.engine.processes`). The model is the schedule and its bookkeeping:
the order of the processes is written once, in :meth:`HousingModel.step`.
"""

from __future__ import annotations

import warnings
from functools import partial
from typing import Any

import mesa
import numpy as np

from sim.engine import accounts
from sim.engine.families import Families
from sim.engine.population import initial_population
from sim.engine.processes import (
    demography,
    economy,
    followup,
    homes,
    market,
    municipal,
    ownership,
    search,
    startloan,
    stock,
    tenancy,
    work,
)
from sim.engine.streams import Streams, TownStreams
from sim.engine.towns import BatchError, Towns, town_params
from sim.inputs.calendar import add_months, parse_month
from sim.inputs.indicators import NAMES

#: The random draws let departed families go (renumber a town's draw rows,
#: :meth:`sim.engine.towns.Towns.rows`) once there are at least this many of them and they are
#: this share of the town's draw rows: a Verdal-size run never does, a national one every year
#: or two. This is part of the model's definition (it decides which numbers each family
#: draws), fixed when the rows in use were the draw rows, so it stays as it was.
COMPACT_MIN_ROWS = 4096
COMPACT_SHARE = 0.1
#: Departed families' rows are dropped from the arrays once they are this share of the rows in
#: use (and at least :data:`DROP_MIN_ROWS`): every process works on every row every month, and
#: a Verdal-size town keeps its departed families in its draws for all 34 years of a run, 4.7
#: rows for each family present at the end. Dropping the rows changes no family's numbers.
#: The share balances carrying dead rows (on average half the share) against copying every
#: column when they are dropped (``python benchmarks/drop_share.py``, docs/performance.md).
DROP_SHARE = 0.1
DROP_MIN_ROWS = 32


def _batch_params(scenarios: list[Any], start: list[dict[str, Any]]) -> dict[str, Any]:
    """The parameters of the first month simulated (``start``: each town's), after checking
    up front that the towns can share a batch: the same months, start, burn-in and phase
    dates, and from the start and every phase on the same values of every parameter but those
    of :data:`sim.engine.towns.TOWN_PARAMETERS` (a start phase one town's override has
    emptied still has its date)."""
    first = scenarios[0]
    dates = [at for at, _ in first.phase_months()]
    for sc in scenarios[1:]:
        if (sc.months, sc.start, sc.burn_in, [at for at, _ in sc.phase_months()]) != (
                first.months, first.start, first.burn_in, dates):
            raise BatchError("the towns of a batch must share months, start, burn-in and the "
                             "dates of their phases")
    for at in dates:
        town_params([sc.params_at(at) for sc in scenarios])
    return town_params(start)


def _resolve(scenario: Any, years: int | None, burn_in: int | None,
             params: dict[str, Any]) -> Any:
    """The :class:`~sim.inputs.scenario.Scenario` a model is built from: loaded if a path,
    with the length, burn-in and parameter values given to the constructor."""
    from sim.inputs.scenario import PhaseOverrideWarning, as_scenario

    scenario = as_scenario(scenario, years=years, burn_in=burn_in)
    if params:
        scenario = scenario.with_overrides(params, where="HousingModel")
        for note in scenario.phases_changing(params, where="HousingModel"):
            warnings.warn(note, PhaseOverrideWarning, stacklevel=3)  # the caller's line
    return scenario


def _indicator(k: int, model: HousingModel) -> float:
    """Indicator ``k`` (in the order of :data:`~sim.inputs.indicators.NAMES`) of the month
    just reported: a datacollector's reporter."""
    return float(model.history[model.reported - 1, k])


class HousingModel(mesa.Model):
    """One simulated municipality.

    A *batch* simulates several towns at once in one set of arrays (``scenario`` and ``rng`` given
    as sequences, one per town): the towns share the months, the burn-in and the dates of
    their phases and may differ in their seed and in the parameters of
    :data:`sim.engine.towns.TOWN_PARAMETERS`, at the start and in the phases. Each family and
    dwelling has a ``town``; each town draws its own random numbers for its own rows, so town
    ``k`` gives the history of the single run of ``scenario[k]`` with ``rng[k]`` — to the last
    bits of sums of money, which a batch (even of one town) adds town by town in row order and
    a single run pairwise; a town's history does not depend on which towns run beside it. Many
    small towns run several times faster together than one by one, since a small run is mostly
    numpy's fixed cost per call.

    Args:
        scenario: a scenario file (path) or a resolved :class:`sim.inputs.scenario.Scenario`
            (parameters and dated phases), or one per town of a batch.
        rng: an integer seed or a :class:`numpy.random.SeedSequence`; everything random in
            the run derives from it through named streams (:mod:`sim.engine.streams`). One per
            town of a batch. ``None`` draws a fresh seed (a run that cannot be repeated).
        seed: Mesa's name for ``rng`` (give one of them).
        years: reported run length in years, replacing the scenario's (phases after the end
            are dropped, as with ``--years``).
        burn_in: years of burn-in, replacing the scenario's.
        **params: parameter values by dotted registry path (``**{"policy.followup.workers":
            2}``), checked as ``--set`` values are (numpy scalars accepted) and applied to the
            start values; a :class:`~sim.inputs.scenario.PhaseOverrideWarning` says when a
            later phase of the scenario changes one. This is what lets ``mesa.batch_run``
            pass parameters.
        populate: draw the initial population (False leaves it empty, for tests that build
            families by hand with ``model.f.add``).
        compact: drop departed families' rows at the start of a month once they are
            :data:`DROP_SHARE` of all rows, and let the random draws go of them once they are
            at least :data:`COMPACT_MIN_ROWS` and :data:`COMPACT_SHARE` of a town's draw rows
            (False keeps every row, so row ``i`` is family ``uid == i`` for the whole run).
            The draws let them go in the same months in every scenario with the same seed and
            arrivals (departures do not depend on policy), so common random numbers hold;
            results differ from an uncompacted run only by chance. Dropping rows alone
            changes no family's numbers, only the order of some sums of money (the last bits).
        collect: keep a Mesa :class:`~mesa.DataCollector` (``datacollector``) that records
            every indicator in each reported month, for Mesa's tools (``batch_run``); a
            batch keeps none. The ensemble runner does without it: :attr:`history` holds the
            same numbers.

    Mesa's conventions hold: :attr:`steps` counts the reported months simulated (the
    burn-in is not counted), ``running`` turns False after the last month, so
    ``run_model()`` stops there, and the datacollector's rows are the reported months.
    A model built here from a file and a seed is one run of the scenario; the command line's
    replication ``k`` is :func:`sim.run.runner.build_model` (seeded from the run's seed and
    ``k``), which gives the same history as ``boligsim run``.

    The run begins with a *burn-in*: ``burn_in`` months before the scenario's start, simulated
    under its start values and not recorded, so that the reported months start from a state
    the model could be in rather than from the drawn population (docs/ODD.md, 5
    Initialization). :meth:`run` simulates the burn-in and the reported months; :meth:`settle`
    only the burn-in, for those who step the reported months by hand.

    Attributes:
        f: the families (arrays); ``family(i)`` gives a read-only view of one.
        p: parameters in force this month (phases applied); in a batch, a parameter of
            :data:`sim.engine.towns.TOWN_PARAMETERS` that differs between the towns is an
            array of one value per town (``towns.at`` gives each family its town's).
        month: the model's clock: index of the month being (or last) simulated, 0-based from
            the start of the burn-in. Every month column of the families (``arrived``,
            ``contract_end``, ...) counts on this clock.
        burn_in: months simulated before the first reported month.
        months: reported months.
        reported: reported months simulated so far (``month - burn_in``, at least 0).
        history: (months x indicators) array, one row per reported month, columns in the
            order of :data:`sim.inputs.indicators.NAMES`; in a batch (towns x months x
            indicators).
        towns: the towns (:class:`sim.engine.towns.Towns`: ``towns.n`` of them, 1 in a
            single run) and the arithmetic that keeps them apart.
        flows, rent_collected: the month's accounts (:mod:`sim.engine.accounts`).

        The state each process owns: ``market`` (price and rent indices, interest rates,
        :class:`~sim.engine.processes.market.Market`), ``stock`` (municipal and sublet
        dwellings, :class:`~sim.engine.processes.stock.Dwellings`), ``desk`` (the start-loan
        desk's year, :class:`~sim.engine.processes.startloan.Desk`), ``network`` (the
        cross-agency network's calendar, :class:`~sim.engine.processes.followup.Network`) and
        ``living`` (living costs kept between processes,
        :class:`~sim.engine.processes.economy.LivingCosts`).
    """

    def __init__(self, scenario: Any, rng: Any = None, *, seed: Any = None,
                 years: int | None = None, burn_in: int | None = None, populate: bool = True,
                 compact: bool = True, collect: bool = True, **params: Any):
        from sim.engine.resources import check, reuse_freed_memory

        if seed is not None:
            if rng is not None:
                raise TypeError("give the seed as rng or as seed, not both")
            rng = seed
        batch = isinstance(scenario, (list, tuple))
        scenarios = []
        for sc in list(scenario) if batch else [scenario]:  # a loop: warnings name the caller
            scenarios.append(_resolve(sc, years, burn_in, params))
        rngs = list(rng) if batch else [rng]
        if len(rngs) != len(scenarios) or not scenarios:
            raise BatchError(f"a batch needs one seed per town: {len(scenarios)} scenarios, "
                             f"{len(rngs)} seeds")
        first = scenarios[0]
        self.burn_in = first.burn_in_months
        self._own_p = [sc.params_at(-self.burn_in) for sc in scenarios]
        params = _batch_params(scenarios, self._own_p)  # before any seed is used
        check(first)  # refuse up front what would not fit (sim.run.runner.run_batch keeps
        # batches of towns to a few thousand families)
        reuse_freed_memory()  # once a process: a month's large temporaries reuse memory
        seeds = [r if isinstance(r, np.random.SeedSequence) else np.random.SeedSequence(r)
                 for r in rngs]
        mesa_seed, stream_seed = zip(*(s.spawn(2) for s in seeds), strict=True)
        super().__init__(rng=np.random.default_rng(mesa_seed[0]))
        self.scenarios = scenarios
        self.scenario = first
        self.months = first.months
        self._phase_at = {self.burn_in + at: phase for at, phase in first.phase_months()}
        self._start_abs = parse_month(first.start) - self.burn_in  # the clock's month 0
        self.p: dict[str, Any] = params
        self.month = 0
        self.compact = compact
        self.f = Families()
        self.towns = Towns(len(scenarios), batch, self.f)
        self.streams: Any = (Streams(stream_seed[0], self.towns.rows) if self.towns.n == 1
                             else TownStreams(list(stream_seed), self.towns.rows))
        self.flows, self.rent_collected = accounts.new_month(self.towns)
        self.histories = np.zeros((self.towns.n, self.months, len(NAMES)))
        self.history = self.histories[0] if self.towns.n == 1 else self.histories
        # the processes' own state
        self.market = market.Market(self.towns.one())
        market.set_rates(self)  # the first month's, for the loans of the initial population
        self.stock = stock.Dwellings(self.p["stock.municipal_dwellings"],
                                     self.p["stock.sublet_dwellings"], self.towns.n, self._own_p)
        self.home_draws = np.zeros((4, 0))  # the month's numbers for homes (homes.draws)
        self.home_draws_month = -1
        self.desk = startloan.Desk(self.towns.n)
        self.network = followup.Network()
        self.living = economy.LivingCosts()
        self.homes_at_start: tuple[np.ndarray, ...] | None = None  # set each month
        if populate:
            for town in range(self.towns.n):
                initial_population(self, town)
        municipal.schedule_sitting_tenants(self, None)
        self.datacollector = (mesa.DataCollector({name: partial(_indicator, k) for k, name
                                                  in enumerate(NAMES)})
                              if collect and not batch else None)

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """Simulate one month. The processes, in this order:

        0. **Policy phases** — parameters of a phase starting this month take effect; newly
           introduced contracts or reviews are scheduled for sitting tenants
           (:func:`sim.engine.processes.municipal.schedule_sitting_tenants`; a full review
           reaches every tenant within twelve months); the start-loan lending budget renews
           each January.
        1. **Markets and stock** (:func:`sim.engine.processes.market.step`,
           :func:`sim.engine.processes.stock.step`) — house-price and rent indices move;
           bought, built or sublet dwellings join the stock.
        2. **Demography** (:func:`sim.engine.processes.demography.step`) — ageing, births,
           children leaving at 18, separation and re-partnering, moving away; refugee
           settlement and local families falling into difficulty arrive.
           **Homes** (:func:`sim.engine.processes.homes.step`) — families who came to rent
           privately this month get a home of a size, standard and zone.
        3. **Work** (:func:`sim.engine.processes.work.step`) — introduction programme,
           employment measures, job finding and loss.
        4. **Follow-up** (:func:`sim.engine.processes.followup.step`) — caseworkers'
           caseload, visits, family plans, the cross-agency network, referral to debt
           counselling.
        5. **Household economy** (:func:`sim.engine.processes.economy.step`) — income,
           housing allowance, social assistance, living and housing costs, savings, debt,
           arrears, payment remarks, debt counselling outcomes.
        6. **Tenancy** (:func:`sim.engine.processes.tenancy.step`) — evictions for arrears,
           private leases ending; the housing office's contract expiry, reviews and exit
           requests (:func:`sim.engine.processes.municipal.review`).
        7. **Ownership** (:func:`sim.engine.processes.ownership.step`) — defaults and forced
           sales; attempts to buy, the bank's test, the start-loan desk's assessment within
           its budget (:mod:`sim.engine.processes.startloan`); purchases.
        8. **Housing search** (:func:`sim.engine.processes.search.step`) — private rental
           search; the housing office's waiting list and allocation of vacant municipal
           dwellings by priority (:func:`sim.engine.processes.municipal.allocate`);
           homelessness when the time to move runs out.
        9. **Accounts and record** (:func:`sim.engine.accounts.costs`,
           :func:`sim.engine.accounts.indicators`) — the municipality's costs; all indicators
           for the month, recorded from the first reported month on.
        """
        if self.reported >= self.months:
            self.steps = self.reported  # Mesa counted the call before it came here
            raise RuntimeError(f"the run has {self.months} months; all are simulated")
        self._begin_month()
        market.step(self)
        stock.step(self)
        demography.step(self)
        homes.step(self)
        work.step(self)
        followup.step(self)
        economy.step(self)
        tenancy.step(self)
        ownership.step(self)
        search.step(self)
        accounts.costs(self)
        if self.month >= self.burn_in:
            self.histories[:, self.month - self.burn_in] = accounts.indicators(self)
        self.month += 1
        self.steps = self.reported  # Mesa's count: reported months, not the burn-in's
        self.running = self.reported < self.months
        if self.datacollector is not None and self.reported:
            self.datacollector.collect(self)

    def settle(self) -> HousingModel:
        """Simulate what remains of the burn-in, so that the next :meth:`step` is the first
        reported month; return the model."""
        while self.month < self.burn_in:
            self.step()
        return self

    def run(self) -> np.ndarray:
        """Simulate the remaining months, burn-in and reported; return :attr:`history`."""
        while self.reported < self.months:
            self.step()
        return self.history

    @property
    def reported(self) -> int:
        """Reported months simulated so far: the rows of :attr:`history` filled."""
        return max(self.month - self.burn_in, 0)

    @property
    def calendar_month(self) -> int:
        """The month being simulated as a calendar month (months since year 0, as
        :func:`sim.inputs.calendar.parse_month` counts), burn-in months included."""
        return self._start_abs + self.month

    @property
    def dates(self) -> list[str]:
        """``YYYY-MM`` of every reported month."""
        return [add_months(self.scenario.start, k) for k in range(self.months)]

    def family(self, i: int) -> dict[str, Any]:
        """A read-only snapshot of family ``i`` (for inspection and family stories)."""
        return self.f.family(i)

    def indicators(self) -> np.ndarray:
        """This month's indicators so far (:func:`sim.engine.accounts.indicators`)."""
        return accounts.indicators(self)

    def town_p(self, town: int) -> dict[str, Any]:
        """The parameters in force this month in ``town`` of a batch, each one value (what
        :attr:`p` holds for a single run): for rules that draw or decide town by town."""
        return self._own_p[town]

    # ------------------------------------------------------------------ month bookkeeping
    def _begin_month(self) -> None:
        self._compact_rows()
        self.homes_at_start = accounts.homes(self)  # to count children's moves at its end
        self.flows, self.rent_collected = accounts.new_month(self.towns)
        n = self.f.n
        self.f.transfers[:n] = 0.0
        self.f.tenure_months[:n] += self.f.active[:n]
        if self.month in self._phase_at and self.month > 0:
            old = self.p
            self._own_p = [sc.params_at(self.month - self.burn_in) for sc in self.scenarios]
            self.p = town_params(self._own_p)
            municipal.schedule_sitting_tenants(self, old)
        if self.calendar_month % 12 == 0:
            self.desk.new_year()

    def _compact_rows(self) -> None:
        """Drop departed families' rows when they are many (:data:`DROP_SHARE`), and let the
        random draws of a town go of them when they are many there (:data:`COMPACT_SHARE`,
        each town by its own draw rows, as its single run would)."""
        f, towns = self.f, self.towns
        if not self.compact:
            return
        draws = towns.draw_rows()  # numbers the families added since the last month
        active = f.active[: f.n]
        if towns.n == 1:
            live = np.array([np.count_nonzero(active)])
        else:
            live = np.bincount(f.town[: f.n].compress(active), minlength=towns.n)
        renumber = draws - live >= np.maximum(COMPACT_MIN_ROWS, COMPACT_SHARE * draws)
        dead = f.n - int(live.sum())
        if dead and (renumber.any() or dead >= max(DROP_MIN_ROWS, DROP_SHARE * f.n)):
            self.stock.renumber(f.compact())
        towns.renumber_draws(renumber)
