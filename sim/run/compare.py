"""Paired comparison of scenarios: means, 95 % intervals, and differences against a reference.

Replication ``k`` of every scenario shares its random numbers with replication ``k`` of the
reference (common random numbers), so the difference is taken replication by replication and its
interval reflects only how the policy's effect varies, not the luck of two separate samples.
:func:`run_paired` runs the scenarios so; :class:`Comparison` holds the statistics that
``comparison.csv`` (:mod:`sim.present.outputs`) writes.

Comparing like with like. Municipalities differ in size, stock and period, so a difference
between two of them is not a policy effect. :func:`against_baseline` sets each model beside the
same municipality under baseline practice (same size, stock, population, years and seeds), and
a :class:`Comparison` then takes each model's difference against its own counterfactual;
:func:`unlike` names what differs between scenarios compared directly, and ``per_1000`` puts
counts and money per 1,000 inhabitants of each scenario's municipality.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.run.ensemble import open_executor
from sim.run.results import RunResult, level_ci, mean_ci
from sim.run.runner import ProgressCallback, replication_store, run_scenario

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.scenario import Scenario


def run_paired(scenarios: Sequence[Scenario], *, replications: int, seed: int,
               workers: int = 1, scheduler: str | None = None, store: Path | None = None,
               resume: bool = False, progress: ProgressCallback | None = None
               ) -> list[RunResult]:
    """Run every scenario with the same seed and replications, on one executor.

    Args:
        scenarios: the first is the reference.
        replications, seed: as for :func:`sim.run.runner.run_scenario`, shared by all.
        workers, scheduler: where to run (:func:`sim.run.ensemble.open_executor`).
        store: a folder to keep every replication in as it finishes, one sub-folder per
            scenario (``00-baseline``, ``01-verdal``, ...); with ``resume`` the ones there are
            read back.
        progress: called with ``1`` as each replication of any scenario completes.

    Returns:
        One result per scenario, in order, named uniquely (:func:`unique_names`: a scenario
        compared with itself is numbered).
    """
    names = unique_names([s.name for s in scenarios])
    results = []
    with open_executor(workers, scheduler) as (ex, executor):
        for k, (sc, name) in enumerate(zip(scenarios, names, strict=True)):
            parts = (None if store is None else
                     replication_store(Path(store) / f"{k:02d}-{slug(name)}", sc, seed, resume))
            res = run_scenario(sc, replications=replications, seed=seed, pool=ex,
                               pool_name=executor, store=parts, progress=progress)
            results.append(dataclasses.replace(res, scenario=dataclasses.replace(sc, name=name)))
    return results


def slug(name: str) -> str:
    """A scenario name as a folder name: letters, digits and ``_``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower() or "scenario"


def welch_halfwidth(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Half-width of the 95 % interval of mean(b) - mean(a) if the runs were *not* paired."""
    from scipy import stats

    va, vb = a.var(axis=0, ddof=1) / len(a), b.var(axis=0, ddof=1) / len(b)
    se = np.sqrt(va + vb)
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    dof = np.where(np.isfinite(dof) & (dof > 0), dof, len(a) + len(b) - 2)
    return stats.t.ppf(0.975, dof) * se


def per_inhabitant(indicator: str) -> bool:
    """Whether ``--per-1000`` divides the indicator by inhabitants: counts and money do,
    means (months in a dwelling, owners' equity: the ``mean_*`` indicators) do not."""
    return not indicator.startswith("mean_")


@dataclass
class Comparison:
    """Scenarios run with the same seed and replications, each set against a reference.

    Attributes:
        results: the runs, in order.
        reference_of: for each result, the index of the result it is compared with (itself
            for a reference); empty (the default) for every result against the first.
        per_1000: counts and money (not means such as months in a dwelling) per 1,000
            inhabitants of each result's own municipality (``municipality.inhabitants`` at
            its start), so towns of different sizes can be set side by side.
    """

    results: list[RunResult]
    reference_of: list[int] = field(default_factory=list)
    per_1000: bool = False

    def __post_init__(self) -> None:
        if not self.results:
            raise ValueError("nothing to compare")
        r = {res.replications for res in self.results}
        seeds = {res.seed for res in self.results}
        if len(r) != 1 or len(seeds) != 1:
            raise ValueError("paired comparison needs the same seed and replications")
        if not self.reference_of:
            self.reference_of = [0] * len(self.results)
        if len(self.reference_of) != len(self.results):
            raise ValueError("one reference per result")

    @property
    def names(self) -> tuple[str, ...]:
        return self.results[0].names

    @property
    def compared(self) -> list[str]:
        """The names of the scenarios that are not a reference: those with a difference."""
        return [self.results[i].scenario.name for i in self.compared_positions]

    @property
    def compared_positions(self) -> list[int]:
        """The indices (in :attr:`results`) of the scenarios that are not a reference."""
        return [i for i, r in enumerate(self.reference_of) if r != i]

    @property
    def against_first(self) -> bool:
        """Whether every result is set against the first (not each against its own)."""
        return set(self.reference_of) == {0}

    @property
    def reference_label(self) -> str:
        """What the differences are taken against, in words."""
        if self.against_first:
            return self.results[0].scenario.name
        return "baseline practice in the same municipality"

    def differs_from_reference(self, j: int) -> bool:
        """Whether result ``j``'s town differs from its reference's in size, stock or period
        (:func:`unlike`): a difference between the two is then not a policy's effect alone."""
        return bool(unlike([self.results[self.reference_of[j]].scenario,
                            self.results[j].scenario]))

    def inhabitants_per(self, res: RunResult, indicator: str) -> float:
        """What to divide ``indicator``'s values of ``res`` by: thousands of inhabitants of
        its municipality at the start when :attr:`per_1000` says so and the indicator is a
        count or money (:func:`per_inhabitant`), else 1."""
        if not (self.per_1000 and per_inhabitant(indicator)):
            return 1.0
        return float(res.scenario.params_at(0)["municipality.inhabitants"]) / 1000

    def _values(self, res: RunResult) -> np.ndarray:
        return res.run_values() / np.array([self.inhabitants_per(res, n) for n in self.names])

    def rows(self) -> list[dict[str, object]]:
        """One row per indicator and scenario, in indicator order then scenario order."""
        values = [self._values(res) for res in self.results]
        stats = []
        for i, res in enumerate(self.results):
            v, ref = values[i], values[self.reference_of[i]]
            stats.append((res.scenario.name, level_ci(v, self.names), mean_ci(v - ref)))
        out = []
        for k, name in enumerate(self.names):
            for scen, (m, lo, hi), (d, dlo, dhi) in stats:
                out.append({"indicator": name, "scenario": scen, "mean": m[k], "ci_low": lo[k],
                            "ci_high": hi[k], "diff": d[k], "diff_ci_low": dlo[k],
                            "diff_ci_high": dhi[k]})
        return out


def against_baseline(scenarios: Sequence[Scenario], baseline: Scenario
                     ) -> tuple[list[Scenario], list[int]]:
    """Each scenario after the same municipality under ``baseline``'s practice
    (:meth:`Scenario.with_practice_of`): the scenarios to run, and for each the index of
    its reference (a :class:`Comparison`'s ``reference_of``)."""
    runs: list[Scenario] = []
    refs: list[int] = []
    for sc in scenarios:
        k = len(runs)
        runs += [sc.with_practice_of(baseline), sc]
        refs += [k, k]
    return runs, refs


#: What must agree for two scenarios' outcomes to be compared as a policy's effect.
LIKE = (("municipality.inhabitants", "inhabitants"),
        ("stock.municipal_dwellings", "municipal dwellings"),
        ("stock.sublet_dwellings", "sublet dwellings"))


def _number(x: float) -> str:
    """A count with a space between thousands, as Norwegian writes it: 23 592."""
    return f"{x:,}".replace(",", " ")


def unlike(scenarios: Sequence[Scenario]) -> list[str]:
    """One line for each way a scenario differs from the first in size, stock or period:
    differences between them are then not a policy's effect alone."""
    first = scenarios[0]
    p0 = first.params_at(0)
    lines = []
    for sc in scenarios[1:]:
        p = sc.params_at(0)
        for key, label in LIKE:
            if p[key] != p0[key]:
                lines.append(f"{sc.name} has {_number(p[key])} {label}, {first.name} "
                             f"{_number(p0[key])}")
        if (sc.start, sc.years) != (first.start, first.years):
            lines.append(f"{sc.name} runs {sc.start} for {sc.years} years, {first.name} "
                         f"{first.start} for {first.years}")
    return lines


def unique_names(names: Sequence[str]) -> list[str]:
    """Scenario names made unique by numbering repeats (a scenario compared with itself)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out
