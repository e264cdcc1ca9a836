"""Policy search: lever mixes on the Pareto front of what a municipality weighs, robust across
plausible worlds.

A municipality weighs its net cost against children in insecure housing, homelessness and
families into ownership; no lever mix is best at all of them. ``boligsim optimise`` searches the
levers an experiment file names (follow-up workers, contract years, start-loan practice, stock
purchases, ...) for the mixes no other beats on every objective — the Pareto front — subject to
constraints, with NSGA-II (Deb et al. 2002) from Platypus (Hadka), the optimiser the EMA Workbench
itself uses (Kwakkel 2017). Platypus is used directly rather than through the Workbench's model
wrapper, because a candidate here is evaluated by many runs on boligsim's own executor, stored and
resumable like every other experiment.

Every candidate runs in the same sample of plausible worlds (:mod:`sim.analysis.worlds`) with
the same seeds, so the front is robust, not tuned to one world: an objective is the mean over
worlds and replications of the outcome's run value (``statistic = "mean"``), or the world mean a
municipality would meet in the worst tenth of worlds (``"p90"``: the 90th percentile of the world
means for an objective to minimise, the 10th for one to maximise).

:func:`pareto_search` is the generic search over any batch evaluator (a Python function: the
tests give it problems whose front is known); :func:`load_experiment` reads an experiment file,
and :func:`command` runs one on the housing model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.sensitivity.factors import Factor, load_factors
from sim.inputs.checks import (
    choice,
    number,
    read_toml,
    reject_unknown_keys,
    reject_unknown_tables,
    table,
    text,
)
from sim.inputs.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.worlds import Worlds
    from sim.inputs.scenario import Scenario

SENSES = ("min", "max")
STATISTICS = ("mean", "p90")
TOP_KEYS = ("optimise", "model", "levers", "objectives", "constraints")
OPTIMISE_KEYS = ("name", "description", "evaluations", "population", "seed", "worlds",
                 "replications", "statistic", "compare", "fit")
MODEL_KEYS = ("scenario", "years")


@dataclass(frozen=True)
class Objective:
    """An outcome to minimise or maximise: an indicator's run value (a stock at the end, a
    flow or money total over the run)."""

    indicator: str
    sense: str


@dataclass(frozen=True)
class Constraint:
    """An outcome that must stay within ``[low, high]`` (either may be ``None``)."""

    indicator: str
    low: float | None
    high: float | None

    def violation(self, value: float) -> float:
        """How far ``value`` lies outside the bounds (0 inside)."""
        below = 0.0 if self.low is None else max(self.low - value, 0.0)
        above = 0.0 if self.high is None else max(value - self.high, 0.0)
        return below + above


@dataclass(frozen=True)
class Search:
    """What to search: the levers, objectives and constraints, and the budget.

    Attributes:
        levers: the inputs searched (:class:`sim.analysis.sensitivity.factors.Factor`).
        objectives: at least two.
        constraints: may be empty.
        evaluations: candidates evaluated in all.
        population: candidates per generation of NSGA-II.
        seed: the search's seed (Platypus draws from Python's ``random``).
    """

    levers: tuple[Factor, ...]
    objectives: tuple[Objective, ...]
    constraints: tuple[Constraint, ...]
    evaluations: int
    population: int
    seed: int


@dataclass
class SearchResult:
    """Every candidate evaluated, in order, and which are on the front.

    Attributes:
        candidates: lever values of each candidate.
        outcomes: each candidate's value of every objective's and constraint's indicator.
        feasible: whether each meets every constraint.
        front: indices of the feasible candidates no other feasible candidate dominates (as
            good on every objective and better on one), in order of evaluation.
    """

    candidates: list[dict[str, Any]]
    outcomes: list[dict[str, float]]
    feasible: list[bool]
    front: list[int]


#: A batch evaluator: lever values of several candidates -> their outcomes.
Evaluate = Callable[[list[dict[str, Any]]], list[dict[str, float]]]


def pareto_search(search: Search, evaluate: Evaluate) -> SearchResult:
    """NSGA-II over ``search.levers``, each generation evaluated in one call of ``evaluate``.

    The same search and the same outcomes give the same candidates in the same order (the
    seed fixes every draw), which is what lets a stored run resume.
    """
    from platypus import NSGAII, Evaluator, Problem, Real

    levers, objectives, constraints = search.levers, search.objectives, search.constraints
    seen: list[tuple[dict[str, Any], dict[str, float]]] = []
    pending: dict[tuple[float, ...], dict[str, float]] = {}

    def levers_of(variables: Sequence[float]) -> dict[str, Any]:
        return {f.name: f.value(x) for f, x in zip(levers, variables, strict=True)}

    class _Problem(Problem):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(len(levers), len(objectives), len(constraints))
            self.types[:] = [Real(*f.bounds()) for f in levers]
            self.directions[:] = [Problem.MINIMIZE if o.sense == "min" else Problem.MAXIMIZE
                                  for o in objectives]
            if constraints:
                self.constraints[:] = "<=0"

        def evaluate(self, solution: Any) -> None:
            out = pending.pop(tuple(solution.variables))
            solution.objectives[:] = [out[o.indicator] for o in objectives]
            if constraints:
                solution.constraints[:] = [c.violation(out[c.indicator]) for c in constraints]

    class _Batch(Evaluator):  # type: ignore[misc]
        def evaluate_all(self, jobs: Sequence[Any], **kwargs: Any) -> Sequence[Any]:
            jobs = list(jobs)
            candidates = [levers_of(j.solution.variables) for j in jobs]
            outcomes = evaluate(candidates)
            for job, cand, out in zip(jobs, candidates, outcomes, strict=True):
                pending[tuple(job.solution.variables)] = out
                seen.append((cand, out))
                job.run()
            return jobs

    state = random.getstate()
    random.seed(search.seed)
    try:
        algorithm = NSGAII(_Problem(), population_size=search.population, evaluator=_Batch())
        algorithm.run(search.evaluations)
    finally:
        random.setstate(state)
    candidates = [c for c, _ in seen]
    outcomes = [o for _, o in seen]
    feasible = [all(c.violation(o[c.indicator]) == 0 for c in constraints) for o in outcomes]
    return SearchResult(candidates, outcomes, feasible,
                        nondominated(outcomes, objectives, feasible))


def nondominated(outcomes: Sequence[Mapping[str, float]], objectives: Sequence[Objective],
                 feasible: Sequence[bool]) -> list[int]:
    """Indices of the feasible outcomes no other feasible outcome dominates (as good on every
    objective, better on one); of equal outcomes the first is kept."""
    if not outcomes:
        return []
    sign = np.array([1.0 if o.sense == "min" else -1.0 for o in objectives])
    pts = np.array([[out[o.indicator] for o in objectives] for out in outcomes]) * sign
    ok = np.asarray(feasible, dtype=bool)
    keep: list[int] = []
    for i in np.flatnonzero(ok):
        rivals = pts[ok]
        dominated = np.any(np.all(rivals <= pts[i], axis=1) & np.any(rivals < pts[i], axis=1))
        if not dominated and not any(np.array_equal(pts[j], pts[i]) for j in keep):
            keep.append(int(i))
    return keep


# ------------------------------------------------------------------ the experiment file


@dataclass(frozen=True)
class Experiment:
    """An optimisation of the housing model, as its experiment file gives it.

    Attributes:
        file: the experiment file.
        name, description: for the outputs.
        scenario: the municipality searched (levers removed from its phases, so a candidate's
            value holds for the whole run).
        search: levers, objectives, constraints and budget.
        worlds: plausible worlds every candidate is evaluated in.
        replications: runs per candidate and world.
        statistic: ``mean`` or ``p90`` across worlds.
        compare: scenario files whose practice is placed beside the front.
        fit: the calibration whose posterior the worlds draw from.
        notes: what the file changes silently otherwise (a lever a phase also sets).
    """

    file: str
    name: str
    description: str
    scenario: Scenario
    search: Search
    worlds: int
    replications: int
    statistic: str
    compare: tuple[str, ...]
    fit: str
    notes: tuple[str, ...]

    def outcome_names(self) -> list[str]:
        """The objectives' indicators, then the constraints' not among them."""
        names = [o.indicator for o in self.search.objectives]
        return names + [c.indicator for c in self.search.constraints
                        if c.indicator not in names]


def load_experiment(path: str | os.PathLike[str]) -> Experiment:
    """Read and check an optimisation experiment file.

    Raises:
        InputError: naming the file and key, for anything wrong: unknown tables or keys, a lever
            that is not a number or switch of the registry or an empty range, an unknown
            indicator, fewer than two objectives, a constraint that can never hold, a budget
            smaller than one generation, a scenario file that does not exist.
    """
    from sim.analysis.sensitivity.model import hold_for_whole_run
    from sim.analysis.worlds import DEFAULT_FIT

    file = os.path.normpath(os.fspath(path))
    data = read_toml(file, "experiment file")
    reject_unknown_tables(data, TOP_KEYS, file)
    head = table(data, "optimise", file, required=True)
    reject_unknown_keys(head, OPTIMISE_KEYS, file, "optimise")
    model = table(data, "model", file, required=True)
    reject_unknown_keys(model, MODEL_KEYS, file, "model")
    scenario = _scenario(model, file)
    raw = data.get("levers")
    if isinstance(raw, list) and any(isinstance(e, dict) and "group" in e for e in raw):
        raise InputError("groups are for sensitivity analysis, not levers", file=file,
                         key="levers")
    levers = load_factors(raw, file, registry=True, method="morris", name="levers")
    from sim.inputs.parameters import REGISTRY

    for f in levers:
        if REGISTRY[f.name].kind != "policy":
            raise InputError(f"{f.name} is of kind {REGISTRY[f.name].kind!r}, not a lever a "
                             "municipality sets; plausible worlds vary assumptions",
                             file=file, key="levers")
        if f.kind != "bool" and not f.low < f.high:
            raise InputError(f"the range of {f.name} is empty; give low < high", file=file,
                             key="levers")
    objectives = _objectives(data.get("objectives"), file)
    constraints = _constraints(data.get("constraints", []), file)
    population = int(number(head.get("population", 40), file, "optimise.population",
                            integer=True, low=4, high=10_000))
    evaluations = int(number(head.get("evaluations", 400), file, "optimise.evaluations",
                             integer=True, low=population, high=1_000_000))
    seed = int(number(head.get("seed", 1), file, "optimise.seed", integer=True, low=0))
    worlds = int(number(head.get("worlds", 10), file, "optimise.worlds", integer=True, low=1,
                        high=10_000))
    replications = int(number(head.get("replications", 3), file, "optimise.replications",
                              integer=True, low=1, high=10_000))
    statistic = choice(head.get("statistic", "mean"), STATISTICS, file, "optimise.statistic")
    compare = tuple(_relative_file(p, file, f"optimise.compare[{i}]")
                    for i, p in enumerate(head.get("compare", []), start=1))
    fit = (_relative_file(head["fit"], file, "optimise.fit") if "fit" in head
           else str(DEFAULT_FIT))
    scenario, notes = hold_for_whole_run(scenario, {f.name for f in levers})
    search = Search(levers, objectives, constraints, evaluations, population, seed)
    return Experiment(file, text(head.get("name", Path(file).stem), file, "optimise.name"),
                      text(head.get("description", ""), file, "optimise.description",
                           required=False),
                      scenario, search, worlds, replications, statistic, compare, fit, notes)


def _scenario(model: Mapping[str, Any], file: str) -> Scenario:
    """The municipality searched: ``model.scenario`` relative to the file, ``years``."""
    from sim.inputs.scenario import MAX_YEARS, load_scenario

    if "scenario" not in model:
        raise InputError("missing; give scenario = 'FILE.toml'", file=file, key="model.scenario")
    path = _relative_file(model["scenario"], file, "model.scenario")
    years = None
    if "years" in model:
        years = int(number(model["years"], file, "model.years", integer=True, low=1,
                           high=MAX_YEARS))
    return load_scenario(path, years=years)


def _relative_file(value: object, file: str, key: str) -> str:
    """A file named relative to the experiment file, which must exist."""
    path = os.path.normpath(os.path.join(os.path.dirname(file), text(value, file, key)))
    if not os.path.isfile(path):
        raise InputError(f"{path} not found (the path is relative to this file)", file=file,
                         key=key)
    return path


def _indicator(value: object, file: str, key: str) -> str:
    from sim.inputs.indicators import NAMES

    name = text(value, file, key)
    if name not in NAMES:
        raise InputError(f"unknown indicator {name!r}; see docs/indicators.md", file=file,
                         key=key)
    return name


def _objectives(raw: Any, file: str) -> tuple[Objective, ...]:
    if not isinstance(raw, list) or len(raw) < 2 or not all(isinstance(e, dict) for e in raw):
        raise InputError("expected two or more [[objectives]] entries (indicator, sense)",
                         file=file, key="objectives")
    out = []
    for i, entry in enumerate(raw, start=1):
        where = f"objectives[{i}]"
        reject_unknown_keys(entry, ("indicator", "sense"), file, where)
        out.append(Objective(_indicator(entry.get("indicator"), file, f"{where}.indicator"),
                             choice(entry.get("sense"), SENSES, file, f"{where}.sense")))
    if len({o.indicator for o in out}) < len(out):
        raise InputError("an indicator is an objective twice", file=file, key="objectives")
    return tuple(out)


def _constraints(raw: Any, file: str) -> tuple[Constraint, ...]:
    from sim.inputs.indicators import BY_NAME

    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise InputError("expected [[constraints]] entries (indicator, low and/or high)",
                         file=file, key="constraints")
    out = []
    for i, entry in enumerate(raw, start=1):
        where = f"constraints[{i}]"
        reject_unknown_keys(entry, ("indicator", "low", "high"), file, where)
        name = _indicator(entry.get("indicator"), file, f"{where}.indicator")
        if "low" not in entry and "high" not in entry:
            raise InputError("give low, high or both", file=file, key=where)
        lo = None if "low" not in entry else float(number(entry["low"], file, f"{where}.low"))
        hi = None if "high" not in entry else float(number(entry["high"], file, f"{where}.high"))
        if lo is not None and hi is not None and lo > hi:
            raise InputError(f"can never hold: low {lo:g} is above high {hi:g}", file=file,
                             key=where)
        if hi is not None and hi < 0 and BY_NAME[name].unit != "NOK":
            raise InputError(f"can never hold: {name} is never below zero", file=file,
                             key=f"{where}.high")
        out.append(Constraint(name, lo, hi))
    return tuple(out)


# ------------------------------------------------------------------ the housing model


def candidate_values(scenario: Scenario, seed: int, replications: int) -> np.ndarray:
    """Run values ``(replications, indicators)`` of ``scenario``: one candidate in one world,
    its replications as one batch of towns. Module-level so it pickles for workers."""
    from sim.run.results import run_values
    from sim.run.runner import run_replications

    return run_values(np.stack(run_replications([(scenario, seed, k)
                                                 for k in range(replications)])))


def candidates_values(items: list[tuple[Scenario, int, int]]) -> list[np.ndarray]:
    """:func:`candidate_values` of several candidates at once, in any worlds: all their
    replications as one batch of towns (candidates differ in levers and worlds in assumed and
    fitted parameters, which a batch lets differ, :data:`sim.engine.towns.TOWN_PARAMETERS`).
    Each result is what it would be alone."""
    from sim.run.results import run_values
    from sim.run.runner import run_replications

    runs = run_replications([(sc, seed, k) for sc, seed, reps in items for k in range(reps)])
    out, at = [], 0
    for _sc, _seed, reps in items:
        out.append(run_values(np.stack(runs[at:at + reps])))
        at += reps
    return out


#: Candidate tasks sent to a worker as one batch of towns: 16 candidates of 3 replications
#: make 48 towns, near the 64 a batch holds (``sim.run.runner.GROUP_MAX``), and a generation of
#: 40 candidates in 10 worlds still gives every worker many tasks.
CANDIDATES_AT_ONCE = 16


def summarise(values: np.ndarray, experiment: Experiment) -> dict[str, float]:
    """One candidate's outcomes from its run values ``(worlds, replications, indicators)``:
    each objective's and constraint's indicator by the experiment's statistic."""
    from sim.inputs.indicators import INDEX

    world_means = values.mean(axis=1)  # (worlds, indicators)
    sense = {o.indicator: o.sense for o in experiment.search.objectives}
    out = {}
    for name in experiment.outcome_names():
        col = world_means[:, INDEX[name]]
        if experiment.statistic == "mean":
            out[name] = float(col.mean())
        else:  # the worst tenth of worlds: high for what is minimised, low for the rest
            q = 90 if sense.get(name, "min") == "min" else 10
            out[name] = float(np.percentile(col, q))
    return out


def _digest(levers: Mapping[str, Any]) -> str:
    """A short stable name for a candidate's lever values."""
    text_ = json.dumps({k: float(v) for k, v in sorted(levers.items())}, sort_keys=True)
    return hashlib.sha256(text_.encode()).hexdigest()[:20]


class ModelEvaluator:
    """Evaluates candidates of an :class:`Experiment` on the housing model: each candidate in
    every world, its replications as one task, all candidates of a generation at once on the
    executor; every task is stored as it finishes, and a stored one is read back (resume)."""

    def __init__(self, experiment: Experiment, worlds: Worlds, executor: Any, store: Any,
                 progress: Callable[[int], Any] | None = None):
        self.experiment, self.worlds, self.executor = experiment, worlds, executor
        self.store, self.progress = store, progress
        self.world_scenarios = [worlds.apply(w, experiment.scenario)
                                for w in range(worlds.count)]

    def __call__(self, candidates: list[dict[str, Any]]) -> list[dict[str, float]]:
        return [summarise(v, self.experiment) for v in self.values(candidates)]

    def values(self, candidates: Sequence[Mapping[str, Any]]) -> list[np.ndarray]:
        """Run values ``(worlds, replications, indicators)`` of each candidate: its levers
        applied to the experiment's municipality in each world, for the whole run."""
        return self._run([f"c{_digest(c)}" for c in candidates], lambda c, w: (
            self.world_scenarios[w].with_overrides(dict(candidates[c]), where="levers",
                                                   throughout=True)), CANDIDATES_AT_ONCE)

    def model_values(self, scenarios: Sequence[Scenario]) -> list[np.ndarray]:
        """Run values ``(worlds, replications, indicators)`` of each of ``scenarios`` in the
        worlds (the compared municipal models)."""
        return self._run([f"m{sc.digest()[:20]}" for sc in scenarios],
                         lambda c, w: self.worlds.apply(w, scenarios[c]))

    def _run(self, keys: Sequence[str], scenario: Callable[[int, int], Scenario],
             together: int = 1) -> list[np.ndarray]:
        """Run ``scenario(c, w)`` for every key ``c`` and world ``w``, one task each, a key met
        twice run once; the run values stacked by world, in the order of ``keys``. Tasks go to
        a worker ``together`` at a time, as one batch of towns (only runs that differ in levers
        and worlds can share one: the candidates, not the compared models)."""
        from sim.run.ensemble import Task, run_tasks

        exp, n = self.experiment, self.worlds.count
        tasks = {f"{key}-w{w:04d}": Task(f"{key}-w{w:04d}", candidate_values,
                                         (scenario(c, w), exp.search.seed, exp.replications),
                                         batch=candidates_values if together > 1 else None)
                 for w in range(n) for c, key in enumerate(keys)}
        done = dict(zip(tasks, run_tasks(list(tasks.values()), self.executor, store=self.store,
                                         progress=self.progress, group=together), strict=True))
        return [np.stack([done[f"{key}-w{w:04d}"] for w in range(n)]) for key in keys]


def practice_of(model: Scenario, town: Scenario) -> Scenario:
    """``town`` under ``model``'s practice as it stands at the end of ``model``'s run (its
    reform phases included), for the whole run: where a municipal model stands on the front."""
    from sim.inputs.scenario import _registry

    registry = _registry(town.registry)
    final = model.params_at(model.months - 1)
    practice = {k: v for k, v in final.items() if registry[k].kind == "policy"}
    placed = town.with_overrides(practice, where=model.name, throughout=True)
    return dataclasses.replace(placed, name=model.name)


def command(path: str, out: str, *, workers: int = 1, scheduler: str | None = None,
            quiet: bool = False, force: bool = False, resume: bool = False) -> int:
    """``boligsim optimise``: search, place the compared models, write the outputs."""
    from sim.analysis.worlds import Posterior, draw_worlds
    from sim.engine.resources import check_sample
    from sim.inputs.parameters import REGISTRY
    from sim.inputs.scenario import load_scenario
    from sim.run.ensemble import PartStore, open_executor
    from sim.run.files import atomic_write_text, prepare_out_dir
    from sim.run.progress import progress
    from sim.run.provenance import version

    exp = load_experiment(path)
    if force and resume:
        raise InputError("use either --force (start afresh) or --resume (continue), not both",
                         file="--resume")
    runs = (exp.search.evaluations + len(exp.compare)) * exp.worlds * exp.replications
    check_sample(runs, len(exp.search.objectives) + len(exp.search.constraints),
                 f"{exp.search.evaluations:,} evaluations in {exp.worlds:,} worlds x "
                 f"{exp.replications:,} replications", f"{exp.file}: optimise.evaluations",
                 "ask for fewer evaluations, worlds or replications",
                 stored=len(exp.search.objectives) + len(exp.search.constraints), folder=out)
    worlds = draw_worlds(exp.worlds, exp.search.seed, REGISTRY, Posterior.from_fit(exp.fit))
    models = [load_scenario(p) for p in exp.compare]
    folder = prepare_out_dir(out, force=force or resume, files=("candidates.csv", "runs"))
    for note in exp.notes:
        print(f"note: {note}", file=sys.stderr)
    identity = {"kind": "optimise", "experiment": Path(exp.file).read_text(encoding="utf-8"),
                "worlds": worlds.identity(), "boligsim": version(),
                "scenario": exp.scenario.digest()}
    store = PartStore(folder / "runs", identity, resume=resume)
    total = (exp.search.evaluations + len(models)) * worlds.count
    with open_executor(workers, scheduler) as (ex, _name), \
            progress(total, "optimise", quiet) as update:
        evaluate = ModelEvaluator(exp, worlds, ex, store, update)
        result = pareto_search(exp.search, evaluate)
        placed = [practice_of(m, exp.scenario) for m in models]
        model_values = evaluate.model_values(placed)
        model_outcomes = [summarise(v, exp) for v in model_values]
    from sim.analysis.front import front_text, plot_front

    atomic_write_text(folder / "candidates.csv", front_text(exp, result, only_front=False))
    atomic_write_text(folder / "front.csv", front_text(exp, result, only_front=True))
    atomic_write_text(folder / "models.csv", _models_text(exp, placed, model_outcomes))
    plot_front(exp, result, [(m.name, o) for m, o in zip(placed, model_outcomes, strict=True)],
               folder / "front.png")
    atomic_write_text(folder / "optimise.json", json.dumps({
        "name": exp.name, "experiment": exp.file, "evaluations": len(result.candidates),
        "front": len(result.front), "feasible": int(sum(result.feasible)),
        "worlds": worlds.identity(), "replications": exp.replications,
        "statistic": exp.statistic, "notes": list(exp.notes)}, indent=2) + "\n")
    print(f"evaluated {len(result.candidates)} lever mixes in {worlds.count} plausible world(s) "
          f"each; {len(result.front)} on the front; wrote front.csv, candidates.csv, models.csv "
          f"and front.png to {out}")
    return 0


def _models_text(exp: Experiment, placed: Sequence[Scenario],
                 outcomes: Sequence[Mapping[str, float]]) -> str:
    """``models.csv``: each compared municipal model's outcomes in the searched municipality."""
    import csv
    import io

    from sim.run.files import format_number

    names = exp.outcome_names()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["model", *names])
    for sc, out in zip(placed, outcomes, strict=True):
        w.writerow([sc.name, *(format_number(out[n]) for n in names)])
    return buf.getvalue()
