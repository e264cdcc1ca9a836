"""The towns of a batch: several small municipalities simulated in one set of arrays.

A batch runs many small towns at once, since a small run is mostly numpy's fixed cost per
call. Every family and dwelling has a ``town``; a parameter may differ between the towns
(:data:`TOWN_PARAMETERS`: then it is an array of one value per town) and every count, sum,
ranking and pairing is taken town by town, so that town ``k`` gets exactly the history of
its own single run. A single run is a model of one town.

:class:`Towns` holds that arithmetic for the processes: ``m.towns.count(rows)`` is a number in
a single run and one per town in a batch, and so on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.engine.families import Families
from sim.engine.ranking import first_in_groups, first_in_order

#: Levers and context whose value may differ between the towns of a batch (sample points of
#: sensitivity analysis, candidates of a policy search).
LEVERS = frozenset({
    "policy.rotation.contract_years", "policy.followup.workers",
    "policy.rotation.rent_to_market", "policy.startloan.budget_per_1000",
    "policy.work.measure_places", "work.job_finding_rate", "economy.payment_failure_rate",
    "market.search_success", "ownership.purchase_success", "market.rent", "market.rate_shift",
    "stock.acquire_per_year", "policy.startloan.outreach",
})


def _drawn_in_worlds() -> frozenset[str]:
    """Every parameter plausible worlds draw (:func:`sim.analysis.worlds.dimensions`: numbers
    of kind assumption or calibrated, not fixed in worlds), so that the worlds of one scenario
    can share a batch."""
    from sim.inputs.parameters import REGISTRY

    return frozenset(path for path in REGISTRY
                     if REGISTRY[path].type in (int, float) and not REGISTRY[path].fixed_in_worlds
                     and REGISTRY[path].kind in ("assumption", "calibrated"))


#: The parameters whose value may differ between the towns of a batch: every place that
#: reads them takes the town of the family or the count into account (the rest must be the
#: same in every town; a batch refuses otherwise and its caller runs the towns one by one).
TOWN_PARAMETERS = LEVERS | _drawn_in_worlds()


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


def _in_town_order(town: np.ndarray, towns: int) -> tuple[np.ndarray, np.ndarray]:
    """Each entry's place among the entries of its town (0, 1, ... in their order), and how
    many entries each of the ``towns`` has."""
    counts = np.bincount(town, minlength=towns)
    if towns == 1:
        return np.arange(len(town)), counts
    rank = np.empty(len(town), dtype=np.int64)
    rank[np.argsort(town, kind="stable")] = (np.arange(len(town))
                                             - (np.cumsum(counts) - counts).repeat(counts))
    return rank, counts


class Towns:
    """Counts, sums, rankings and pairings over the families, town by town.

    Args:
        n: the number of towns (1 in a single run).
        batch: whether the model was given sequences (a batch, possibly of one town): a batch
            adds money town by town in row order even for one town, a single run pairwise,
            so the two agree to the last bits only.
        families: the population whose ``town`` column tells the towns apart.

    Attributes:
        n: the number of towns.
        batch: as above.
    """

    def __init__(self, n: int, batch: bool, families: Families):
        self.n = n
        self.batch = batch
        self._f = families
        self._layout = (-1, -1, -1)  # (rows, compactions, renumberings) when last grouped
        self._grouped: tuple[np.ndarray | None, list[int]] = (None, [])
        self._index_layout = (-1, -1)  # (rows, compactions) when the towns were last indexed
        self._town_index = np.zeros(0, dtype=np.intp)
        self._draw_rows = np.zeros(n, dtype=np.int64)  # each town's rows in the draws
        self._renumberings = 0

    def zero(self) -> Any:
        """A number that is zero in every town: a float, or an array of one per town (to add
        to in place)."""
        return 0.0 if self.n == 1 else np.zeros(self.n)

    def one(self) -> Any:
        """One in every town: a float, or an array of one per town."""
        return 1.0 if self.n == 1 else np.ones(self.n)

    def rows(self) -> tuple[np.ndarray | None, list[int]]:
        """Where each row in use takes its random numbers, and how many each town draws.

        The streams draw, town by town, one number per family in the town's *draw rows*: its
        families in order of arrival, those who left included until :meth:`renumber_draws`
        lets them go (:data:`sim.engine.model.COMPACT_MIN_ROWS`). The rows in use may hold
        fewer (the model drops departed families' rows sooner, to save work), so a family's
        numbers depend on who arrived before it and not on when rows were dropped.

        Returns:
            Each row's place among all the towns' draws laid end to end (None when that is
            the row itself: one town whose rows in use are its draw rows), and each town's
            number of draw rows.
        """
        f = self._f
        key = (f.n, f.compactions, self._renumberings)
        if key != self._layout:
            draws = self.draw_rows()
            if self.n == 1 and draws[0] == f.n:
                place = None
            else:
                start = np.concatenate(([0], np.cumsum(draws)[:-1]))
                place = (start.take(self._index()) + f.draw[: f.n]).astype(np.intp)
            self._grouped = (place, draws.tolist())
            self._layout = key
        return self._grouped

    def draw_rows(self) -> np.ndarray:
        """Each town's number of draw rows (see :meth:`rows`), after numbering the families
        added since the last call (each town's in row order, after its earlier ones)."""
        f = self._f
        draw = f.draw[: f.n]
        new = np.flatnonzero(draw < 0)
        if len(new):
            town = f.town[new].astype(np.intp)
            rank, counts = _in_town_order(town, self.n)
            draw[new] = self._draw_rows.take(town) + rank
            self._draw_rows += counts
        return self._draw_rows

    def renumber_draws(self, towns: np.ndarray) -> None:
        """Let the draws of ``towns`` (a mask over the towns) go of the families who left:
        their rows in use, which must hold none of them, become their draw rows."""
        if not towns.any():
            return
        town = self._index()
        rows = np.flatnonzero(towns.take(town))
        rank, counts = _in_town_order(town.take(rows), self.n)
        self._f.draw[rows] = rank
        self._draw_rows = np.where(towns, counts, self._draw_rows)
        self._renumberings += 1

    def at(self, value: Any, rows: Any) -> Any:
        """A town-level ``value`` (one number, or one per town) for the families ``rows``
        (indices, a mask over the rows in use, or a slice)."""
        if type(value) is not np.ndarray:  # the same in every town (a cheap test: it is
            return value                    # asked a hundred times a month)
        town = self._index()
        if type(rows) is slice:
            return value.take(town[rows])
        # compress and take on machine-size indices: 2-3x faster than indexing by them
        return value.take(town.compress(rows) if rows.dtype == bool else town.take(rows))

    def per_row(self, value: Any, rows: np.ndarray | None = None) -> np.ndarray:
        """A parameter (one number, or one per town) as a new array over the rows in use, or
        over the families ``rows`` (indices)."""
        f = self._f
        if type(value) is not np.ndarray:
            return np.full(f.n if rows is None else len(rows), value)
        town = self._index()
        return value.take(town if rows is None else town.take(rows))

    def _index(self) -> np.ndarray:
        """Every row's town as machine-size integers (``take`` wants them), made again when
        rows were added or dropped."""
        f = self._f
        key = (f.n, f.compactions)
        if key != self._index_layout:
            self._town_index = f.town[: f.n].astype(np.intp)
            self._index_layout = key
        return self._town_index

    def first(self, keys: Sequence[np.ndarray], rows: np.ndarray, tops: Any) -> np.ndarray:
        """Positions in ``rows`` of the first ``tops`` families of each town by ``keys``
        (:func:`sim.engine.ranking.first_in_order`; ``tops`` one number, or one per town)."""
        if self.n == 1:
            return first_in_order(keys, int(tops))
        return first_in_groups(keys, self._f.town[rows], np.broadcast_to(tops, self.n))

    def count(self, rows: np.ndarray) -> Any:
        """How many of the families ``rows`` (indices, or a mask over the rows in use): a
        number, or one per town in a batch."""
        if self.n == 1:
            return np.count_nonzero(rows) if rows.dtype == bool else len(rows)
        town = self._f.town[: self._f.n]
        # compress and take: 2x and 1.1x faster than indexing by a mask or by positions
        mine = town.compress(rows) if rows.dtype == bool else town.take(rows)
        return np.bincount(mine, minlength=self.n)

    def total(self, values: np.ndarray, rows: Any = None) -> Any:
        """The sum of ``values`` belonging to the families ``rows`` (indices or a mask; None:
        one value per row in use): a float, or one per town in a batch."""
        if not self.batch:
            return float(values.sum())
        # in row order, town by town: a town's sum is the same whatever towns run beside it
        town = self._f.town[: self._f.n]
        if rows is not None:
            town = town.compress(rows) if rows.dtype == bool else town.take(rows)
        sums = np.bincount(town, weights=values, minlength=self.n)
        return float(sums[0]) if self.n == 1 else sums

    def mean(self, values: np.ndarray, rows: np.ndarray, counts: Any) -> Any:
        """Mean of ``values`` of the families ``rows`` per town (0 where a town has none;
        ``counts``: how many each town has)."""
        if not self.batch:
            return values.mean()
        return self.total(values, rows) / np.maximum(counts, 1)

    def pair(self, ranked: np.ndarray, vacant: np.ndarray, vacant_town: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
        """Pair the families ``ranked`` (best first) with the dwellings ``vacant`` (in stock
        order, of towns ``vacant_town``), each town's families with its own dwellings, as
        many as the fewer of the two; returns (families, dwellings)."""
        fam, dw = self.pair_positions(self._f.town[ranked], vacant_town)
        return ranked[fam], vacant[dw]

    def pair_positions(self, fam_town: np.ndarray, vacant_town: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`pair` by position: the positions of the families (of towns ``fam_town``,
        best first) and of the dwellings (of towns ``vacant_town``) paired."""
        if self.n == 1:
            k = min(len(vacant_town), len(fam_town))
            return np.arange(k), np.arange(k)
        pairs = np.minimum(np.bincount(fam_town, minlength=self.n),
                           np.bincount(vacant_town, minlength=self.n))
        # the first ``pairs`` of each town in the order given, town by town on both sides
        fam = first_in_groups((np.arange(len(fam_town)),), fam_town, pairs)
        dw = first_in_groups((np.arange(len(vacant_town)),), vacant_town, pairs)
        return fam, dw
