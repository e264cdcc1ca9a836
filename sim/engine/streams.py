"""Named, independent random streams: the discipline behind common random numbers.

One seed goes in; each process gets its own generator spawned from a
:class:`numpy.random.SeedSequence`, in a fixed order of names. Processes draw for *every*
family every month, whether or not the draw is used, so that two scenarios run with the same
seed give family ``i`` the same life events and their difference is the policy, not luck.
*Every* family means every one of the draw rows (:meth:`sim.engine.towns.Towns.rows`): the
families in order of arrival, departed ones included, whether or not their rows are still in
the arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: The processes that draw random numbers, in spawn order (append only: reordering changes
#: every result).
STREAMS = ("init", "market", "demography", "inflow", "work", "followup", "economy",
           "tenancy", "ownership", "search", "allocation", "homes")


#: Where each row in use takes its numbers and how many numbers each town draws
#: (:meth:`sim.engine.towns.Towns.rows`).
Layout = Callable[[], tuple[np.ndarray | None, list[int]]]


class Streams:
    """One :class:`numpy.random.Generator` per process name.

    Args:
        seed: the run's seed.
        rows: the draw layout (:meth:`sim.engine.towns.Towns.rows`): a draw for every row is
            one number for each of the town's draw rows, departed families' included, each
            row in use taking its own. None: one number per row in use.
    """

    def __init__(self, seed: np.random.SeedSequence, rows: Layout | None = None):
        children = seed.spawn(len(STREAMS))
        self._gens = {name: np.random.default_rng(s) for name, s in zip(STREAMS, children,
                                                                        strict=True)}
        self._rows = rows

    def __getitem__(self, name: str) -> np.random.Generator:
        return self._gens[name]

    def _layout(self, n: int) -> tuple[np.ndarray | None, int]:
        if self._rows is None:
            return None, n
        place, (count,) = self._rows()
        if (count if place is None else len(place)) != n:
            raise ValueError(f"draws for {n} rows asked; the run has {count}")
        return place, count

    def uniform(self, name: str, n: int, k: int = 1) -> np.ndarray:
        """``k`` rows of ``n`` uniform draws from stream ``name`` (shape (k, n), or (n,))."""
        place, count = self._layout(n)
        u = self._gens[name].random((k, count))
        if place is not None:
            u = u.take(place, axis=1)
        return u[0] if k == 1 else u

    def normal(self, name: str, scale: float, n: int) -> np.ndarray:
        """``n`` normal draws with mean 0 and standard deviation ``scale``."""
        place, count = self._layout(n)
        z = self._gens[name].normal(0.0, scale, count)
        return z if place is None else z.take(place)

    def each_town(self, name: str) -> list[np.random.Generator]:
        """Stream ``name`` of every town: here the one town's."""
        return [self._gens[name]]

    def town(self, t: int) -> Streams:
        """The streams of town ``t``: a single run is town 0."""
        return self


class TownStreams:
    """The streams of a batch of towns: each town has its own :class:`Streams`, and the draws
    for all rows are made town by town, each town drawing for its own rows in row order.

    A town's draw rows in a batch are, in order, the draw rows its single run would have, so
    every family gets the numbers it gets in the single run of its town's seed: a batch
    reproduces its single runs (``tests/engine/test_batch.py``).

    Args:
        seeds: one seed per town.
        rows: the draw layout (:meth:`sim.engine.towns.Towns.rows`): for every row in use,
            its place among the towns' draws laid end to end, and each town's number of
            draw rows.
    """

    def __init__(self, seeds: list[np.random.SeedSequence], rows: Layout):
        self.towns = [Streams(s) for s in seeds]
        self._rows = rows
        self._named = {name: [s[name] for s in self.towns] for name in STREAMS}

    def town(self, t: int) -> Streams:
        """The streams of town ``t``."""
        return self.towns[t]

    def each_town(self, name: str) -> list[np.random.Generator]:
        """Stream ``name`` of every town, in town order."""
        return self._named[name]

    def _grouped(self, n: int) -> tuple[np.ndarray, list[int]]:
        place, counts = self._rows()
        if place is None or len(place) != n:
            raise ValueError(f"draws for {n} rows asked; the batch has "
                             f"{sum(counts) if place is None else len(place)}")
        return place, counts

    def uniform(self, name: str, n: int, k: int = 1) -> np.ndarray:
        """As :meth:`Streams.uniform`, each town drawing for its rows."""
        place, counts = self._grouped(n)
        gens = self._named[name]
        if k == 1:  # the same numbers as a (1, c) draw
            parts = [g.random(c) for g, c in zip(gens, counts, strict=True)]
        else:
            parts = [g.random((k, c)) for g, c in zip(gens, counts, strict=True)]
        # each row takes its number from its town's draws (a take: 4x faster than a scatter)
        return np.concatenate(parts, axis=-1).take(place, axis=-1)

    def normal(self, name: str, scale: float | np.ndarray, n: int) -> np.ndarray:
        """As :meth:`Streams.normal`, each town drawing for its rows (``scale``: one, or one
        per town)."""
        place, counts = self._grouped(n)
        scales = np.broadcast_to(scale, len(counts))
        parts = [g.normal(0.0, s, c) for g, s, c in zip(self._named[name], scales, counts,
                                                          strict=True)]
        return np.concatenate(parts).take(place)
