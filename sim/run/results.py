"""The results of runs: every replication's monthly indicators, and their statistics.

A run value (:meth:`RunResult.run_values`) is what ``summary.json`` reports per replication: a
stock's value in the last month, a flow's or money indicator's total over the run. Intervals
are t-based 95 % intervals of the mean over replications (:func:`mean_ci`), the one interval
every output of boligsim uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.indicators import BY_NAME, NAMES

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from sim.inputs.scenario import Scenario


def run_values(data: np.ndarray, names: Sequence[str] = NAMES) -> np.ndarray:
    """Run values ``(R, indicators)`` of histories ``(R, months, indicators)``: a stock's value
    in the last month, a flow's or money indicator's total over the run."""
    stock = np.array([summarised_as(n) == "final" for n in names], dtype=bool)
    return np.where(stock, data[:, -1, :], data.sum(axis=1))


#: A replication's value of every indicator from its months, by the name ``summary(of=)``
#: takes; the arrays are ``(R, months, indicators)``.
SUMMARIES = {
    "final": lambda data: data[:, -1, :],
    "total": lambda data: data.sum(axis=1),
    "mean": lambda data: data.mean(axis=1),
    "max": lambda data: data.max(axis=1),
    "min": lambda data: data.min(axis=1),
}


def summarised_as(name: str) -> str:
    """How :meth:`RunResult.summary` and ``summary.json`` sum up indicator ``name`` over a
    run: ``"final"`` for a stock (its value in the last month), ``"total"`` for a flow or a
    money indicator (its sum over the months)."""
    return "final" if BY_NAME[name].kind == "stock" else "total"


def mean_ci(values: np.ndarray | Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over axis 0 and the t-based 95 % interval of that mean.

    The interval says how sure the model is of its own expected value, given the replications'
    spread: ``mean ± t(0.975, R-1) · sd / sqrt(R)``. With one replication it has zero width,
    since there is nothing to estimate the spread from.

    Returns:
        ``(mean, low, high)``, each with the shape of ``values`` without its first axis.
    """
    from scipy import stats

    values = np.asarray(values, dtype=float)
    r = values.shape[0]
    mean = values.mean(axis=0)
    if r < 2:
        return mean, mean.copy(), mean.copy()
    half = stats.t.ppf(0.975, r - 1) * (values.std(axis=0, ddof=1) / np.sqrt(r))
    return mean, mean - half, mean + half


def level_ci(values: np.ndarray, names: Sequence[str]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`mean_ci` of indicators' values ``(R, len(names))``, the lower end at least zero
    for an indicator that cannot be negative (:attr:`Indicator.nonnegative`): the
    t-interval of a rare count's mean (three replications of 0, 0 and 2 evictions) reaches
    below zero, where the expected value cannot be. Differences keep :func:`mean_ci`'s."""
    from sim.inputs.indicators import BY_NAME

    mean, lo, hi = mean_ci(values)
    floor = np.array([BY_NAME[n].nonnegative for n in names])
    return mean, np.where(floor, np.maximum(lo, 0.0), lo), hi


@dataclass(frozen=True)
class RunResult:
    """The monthly indicators of all replications of one scenario.

    Attributes:
        scenario: the scenario that was run.
        seed: the run's seed.
        replications: number of replications ``R``.
        data: float64 array ``(R, months, indicators)``, indicator axis in ``names`` order.
        dates: ``'YYYY-MM'`` of each month.
        names: indicator names of the last axis of ``data``.
        executor: how the replications were run (``serial``, ``processes:4``, ...), for
            provenance only; it never changes the numbers.
    """

    scenario: Scenario
    seed: int
    replications: int
    data: np.ndarray
    dates: list[str]
    names: tuple[str, ...] = NAMES
    executor: str = field(default="serial")

    def __post_init__(self) -> None:
        shape = (self.replications, len(self.dates), len(self.names))
        if self.data.shape != shape:
            raise ValueError(f"data has shape {self.data.shape}, expected {shape}")

    def run_values(self) -> np.ndarray:
        """Each replication's value of each indicator, shape ``(R, indicators)``.

        A stock's run value is its value in the last month; a flow's or money indicator's is
        its total over the run (docs/outputs.md, ``summary.json``).
        """
        return run_values(self.data, self.names)

    def summary(self, of: str | None = None) -> dict[str, dict[str, Any]]:
        """Mean and t-based 95 % confidence interval of the mean over replications
        (:func:`level_ci`: cut at zero for what cannot be negative) of each indicator's run
        value.

        Args:
            of: what a replication's value of an indicator is. ``None`` (what
                ``summary.json`` reports, :meth:`run_values`): a stock's value in the last
                month, a flow's or money indicator's total over the run —
                :func:`summarised_as` says which an indicator gets. Or one for all
                indicators: ``"final"``, ``"total"``, ``"mean"`` (over the months), ``"max"``
                or ``"min"``.

        Returns:
            ``{name: {"mean": x, "ci95": [lo, hi]}}`` in indicator order, plain floats. With one
            replication (or no spread) the interval is ``[x, x]``: there is nothing to estimate
            the spread from, and a zero-width interval says so without inventing a number.

        Raises:
            ValueError: for another ``of``.
        """
        if of is None:
            values = self.run_values()
        elif of in SUMMARIES:
            values = SUMMARIES[of](self.data)
        else:
            raise ValueError(f"of: expected None or one of {', '.join(SUMMARIES)}, got {of!r}")
        mean, lo, hi = level_ci(values, self.names)
        return {
            name: {"mean": float(mean[k]), "ci95": [float(lo[k]), float(hi[k])]}
            for k, name in enumerate(self.names)
        }

    def to_df(self, *, wide: bool = True) -> pd.DataFrame:
        """The monthly data as a pandas DataFrame.

        Args:
            wide: ``True`` gives the layout of ``timeseries.csv`` (``replication``, ``month``,
                ``date``, one column per indicator); ``False`` a long table with columns
                ``replication``, ``month``, ``date``, ``indicator``, ``value``.
        """
        import pandas as pd

        r, m, i = self.data.shape
        rep = np.repeat(np.arange(r), m)
        month = np.tile(np.arange(m), r)
        date = np.tile(np.asarray(self.dates, dtype=object), r)
        flat = self.data.reshape(r * m, i)
        if wide:
            df = pd.DataFrame({"replication": rep, "month": month, "date": date})
            return pd.concat([df, pd.DataFrame(flat, columns=list(self.names))], axis=1)
        return pd.DataFrame({
            "replication": np.repeat(rep, i),
            "month": np.repeat(month, i),
            "date": np.repeat(date, i),
            "indicator": np.tile(np.asarray(self.names, dtype=object), r * m),
            "value": flat.reshape(-1),
        })
