"""Named, independent random streams: the discipline behind common random numbers.

One seed goes in; each process gets its own generator spawned from a
:class:`numpy.random.SeedSequence`, in a fixed order of names. Processes draw for *every*
family every month, whether or not the draw is used, so that two scenarios run with the same
seed give family ``i`` the same life events and their difference is the policy, not luck.
"""

from __future__ import annotations

import numpy as np

#: The processes that draw random numbers, in spawn order (append only: reordering changes
#: every result).
STREAMS = ("init", "market", "demography", "inflow", "work", "followup", "economy",
           "tenancy", "ownership", "search", "allocation")


class Streams:
    """One :class:`numpy.random.Generator` per process name."""

    def __init__(self, seed: np.random.SeedSequence):
        children = seed.spawn(len(STREAMS))
        self._gens = {name: np.random.default_rng(s) for name, s in zip(STREAMS, children,
                                                                        strict=True)}

    def __getitem__(self, name: str) -> np.random.Generator:
        return self._gens[name]

    def uniform(self, name: str, n: int, k: int = 1) -> np.ndarray:
        """``k`` rows of ``n`` uniform draws from stream ``name`` (shape (k, n), or (n,))."""
        u = self._gens[name].random((k, n))
        return u[0] if k == 1 else u
