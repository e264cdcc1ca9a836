"""Run a scenario for several replications, serially or in parallel, and summarise the runs.

Random-number discipline (design.md): replication ``k`` of *every* scenario is seeded with
``SeedSequence([seed, k])``, so two scenarios run with the same ``seed`` see the same life
events replication by replication (common random numbers) and their difference is the policy,
not noise. Results are placed by replication index, never by completion order, so the output is
bit-for-bit the same whatever the number of workers.

:func:`run_replication` is a plain module-level function of picklable arguments, so it can be
shipped to a :class:`~concurrent.futures.ProcessPoolExecutor`, or to any other
:class:`~concurrent.futures.Executor` (a Dask ``Client.get_executor()``, say) passed as ``pool``.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.calendar import add_months
from sim.indicators import BY_NAME, NAMES

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from sim.scenario import Scenario

#: Called with the number of replications just completed (usually 1).
ProgressCallback = Callable[[int], Any]


def replication_seed(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of one replication: ``SeedSequence([seed, replication])``.

    The same for every scenario, so replication ``k`` of two scenarios shares its random
    numbers (common random numbers), and independent of how many replications are run.

    Args:
        seed: the run's seed, an integer >= 0.
        replication: 0-based replication index.
    """
    return np.random.SeedSequence([int(seed), int(replication)])


def run_replication(scenario: Scenario, seed: int, replication: int) -> np.ndarray:
    """Simulate one replication of ``scenario`` and return its monthly indicators.

    Module-level and free of closures so that it pickles for process pools and Dask.

    Args:
        scenario: the fully resolved scenario.
        seed: the run's seed.
        replication: 0-based replication index, combined with ``seed`` by
            :func:`replication_seed`.

    Returns:
        float64 array of shape ``(scenario.months, len(NAMES))``, columns in the order of
        :data:`sim.indicators.NAMES`.

    Raises:
        RuntimeError: if the model returns an array of another shape (an engine bug).
    """
    from sim.model import HousingModel  # imported here: mesa is slow to import

    model = HousingModel(scenario, rng=replication_seed(seed, replication))
    history = np.asarray(model.run(), dtype=np.float64)
    expected = (scenario.months, len(NAMES))
    if history.shape != expected:
        raise RuntimeError(
            f"HousingModel.run() returned shape {history.shape}, expected {expected}"
        )
    return history


@dataclass
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
        its total over the run (design.md, ``summary.json``).
        """
        stock = np.array([BY_NAME[n].kind == "stock" for n in self.names], dtype=bool)
        return np.where(stock, self.data[:, -1, :], self.data.sum(axis=1))

    def summary(self) -> dict[str, dict[str, Any]]:
        """Mean and t-based 95 % confidence interval of the mean over replications.

        Returns:
            ``{name: {"mean": x, "ci95": [lo, hi]}}`` in indicator order, plain floats. With one
            replication (or no spread) the interval is ``[x, x]``: there is nothing to estimate
            the spread from, and a zero-width interval says so without inventing a number.
        """
        values = self.run_values()
        mean = values.mean(axis=0)
        if self.replications > 1:
            from scipy import stats

            sem = values.std(axis=0, ddof=1) / np.sqrt(self.replications)
            half = stats.t.ppf(0.975, self.replications - 1) * sem
        else:
            half = np.zeros_like(mean)
        lo = np.where(half == 0, mean, mean - half)
        hi = np.where(half == 0, mean, mean + half)
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


def run_scenario(
    scenario: Scenario,
    *,
    replications: int = 1,
    seed: int = 1,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    pool: cf.Executor | None = None,
) -> RunResult:
    """Run ``replications`` replications of ``scenario``.

    Args:
        scenario: the fully resolved scenario.
        replications: number of replications, >= 1.
        seed: the run's seed, >= 0; replication ``k`` uses :func:`replication_seed`.
        workers: processes to use; 1 runs in this process, more use a
            :class:`~concurrent.futures.ProcessPoolExecutor` (never more processes than
            replications).
        progress: called with ``1`` as each replication completes, e.g. the ``update`` of
            :func:`sim.progress.progress`.
        pool: an executor to submit the replications to instead (a Dask client's executor,
            say); ``workers`` is then ignored and the caller owns the pool.

    Returns:
        The replications in index order, identical whatever ``workers`` or ``pool``.

    Raises:
        ValueError: if ``replications`` or ``workers`` is below 1 or ``seed`` is negative.
    """
    if replications < 1:
        raise ValueError(f"replications must be >= 1, got {replications}")
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    data = np.empty((replications, scenario.months, len(NAMES)), dtype=np.float64)

    if pool is not None:
        executor = type(pool).__name__
        _run_in_pool(pool, scenario, seed, data, progress)
    elif workers == 1 or replications == 1:
        executor = "serial"
        for k in range(replications):
            data[k] = run_replication(scenario, seed, k)
            if progress is not None:
                progress(1)
    else:
        n = min(workers, replications)
        executor = f"processes:{n}"
        with cf.ProcessPoolExecutor(max_workers=n) as own:
            _run_in_pool(own, scenario, seed, data, progress)

    dates = [add_months(scenario.start, k) for k in range(scenario.months)]
    return RunResult(scenario=scenario, seed=seed, replications=replications, data=data,
                     dates=dates, executor=executor)


def _run_in_pool(pool: cf.Executor, scenario: Scenario, seed: int, data: np.ndarray,
                 progress: ProgressCallback | None) -> None:
    """Submit every replication to ``pool`` and store each result at its index in ``data``.

    On any failure (or Ctrl-C) the replications not yet started are cancelled before the
    exception propagates, so the pool shuts down promptly.
    """
    futures: dict[cf.Future[np.ndarray], int] = {}
    try:
        for k in range(data.shape[0]):
            futures[pool.submit(run_replication, scenario, seed, k)] = k
        for future in cf.as_completed(futures):
            data[futures[future]] = future.result()
            if progress is not None:
                progress(1)
    except BaseException:
        for future in futures:
            future.cancel()
        raise

