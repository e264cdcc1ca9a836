"""Policy search (:mod:`sim.analysis.optimise`): the optimiser on problems with a known front,
experiment files, and the command on the housing model with resume."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers import cli

from sim.analysis.optimise import (
    Constraint,
    Objective,
    Search,
    load_experiment,
    nondominated,
    pareto_search,
)
from sim.analysis.sensitivity.factors import Factor
from sim.inputs.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def zdt1(candidates):
    """ZDT1 with two inputs (Zitzler, Deb & Thiele 2000): the front is f2 = 1 - sqrt(f1) on
    y = 0, for f1 in [0, 1]."""
    out = []
    for c in candidates:
        g = 1 + 9 * c["y"]
        out.append({"f1": c["x"], "f2": g * (1 - np.sqrt(c["x"] / g))})
    return out


SEARCH = Search((Factor("x", "float", 0.0, 1.0), Factor("y", "float", 0.0, 1.0)),
                (Objective("f1", "min"), Objective("f2", "min")), (), 3000, 40, 7)


def test_nsga2_comes_near_a_known_front_and_spreads_along_it() -> None:
    result = pareto_search(SEARCH, zdt1)
    assert len(result.candidates) >= 2500  # Platypus does not re-evaluate a copied parent
    front = np.array([[result.outcomes[i]["f1"], result.outcomes[i]["f2"]]
                      for i in result.front])
    assert len(front) >= 20
    distance = np.abs(front[:, 1] - (1 - np.sqrt(front[:, 0])))
    assert distance.max() < 0.05
    assert front[:, 0].min() < 0.05 and front[:, 0].max() > 0.95
    again = pareto_search(SEARCH, zdt1)  # the seed fixes every candidate
    assert again.candidates == result.candidates


def test_constraints_keep_the_front_feasible() -> None:
    search = Search(SEARCH.levers, SEARCH.objectives, (Constraint("f1", 0.5, None),), 2000,
                    40, 3)
    result = pareto_search(search, zdt1)
    assert result.front and all(result.feasible[i] for i in result.front)
    assert min(result.outcomes[i]["f1"] for i in result.front) >= 0.5
    assert not all(result.feasible)  # the search met infeasible mixes and kept them off


def test_nondominated_keeps_what_nothing_beats() -> None:
    objectives = (Objective("a", "min"), Objective("b", "max"))
    outcomes = [{"a": 1, "b": 1}, {"a": 2, "b": 3}, {"a": 2, "b": 2}, {"a": 0, "b": 0},
                {"a": 2, "b": 3}, {"a": 0, "b": 5}]
    assert nondominated(outcomes, objectives, [True] * 6) == [5]
    assert nondominated(outcomes, objectives, [True] * 5 + [False]) == [0, 1, 3]


def test_the_bundled_experiment_loads_and_holds_its_levers_for_the_whole_run() -> None:
    exp = load_experiment(ROOT / "experiments" / "verdal_optimise.toml")
    assert [f.name for f in exp.search.levers][:2] == ["policy.followup.workers",
                                                      "policy.rotation.contract_years"]
    assert len(exp.search.objectives) == 3 and exp.search.constraints
    assert any("policy.followup.workers" in n for n in exp.notes)
    for phase in exp.scenario.phases:
        assert "policy.followup.workers" not in phase.params


def small(tmp_path: Path, fit: Path, **changes: object) -> Path:
    """The bundled experiment made small, with a stand-in posterior, as a file in tmp."""
    import tomllib

    import tomli_w

    data = tomllib.loads((ROOT / "experiments" / "verdal_optimise.toml").read_text("utf-8"))
    data["optimise"].update(evaluations=8, population=4, worlds=2, replications=1,
                            fit=str(fit),
                            compare=[str(ROOT / "scenarios" / "verdal.toml")])
    data["model"].update(scenario=str(ROOT / "scenarios" / "verdal.toml"), years=1)
    for key, value in changes.items():
        table, _, name = key.partition(".")
        data[table][name] = value
    path = tmp_path / "small.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def fit(tmp_path: Path) -> Path:
    path = tmp_path / "fit.json"
    path.write_text(json.dumps({"uncertainty": {"posterior_draws": {
        "parameters": ["market.search_success"], "values": [[0.2], [0.3]],
        "weights": [1.0, 1.0]}}}), encoding="utf-8")
    return path


def test_candidates_run_as_one_batch_and_each_is_what_it_is_alone(tmp_path: Path,
                                                                  fit: Path) -> None:
    """The search runs candidates together as a batch of towns, in any world, which is
    faster; every candidate's values must still be those of its own run, in every world,
    whatever ran beside it (5 levers differ, the outreach switch among them, and the worlds
    in every assumed and fitted parameter)."""
    from sim.analysis.optimise import ModelEvaluator, candidate_values
    from sim.analysis.worlds import Posterior, draw_worlds
    from sim.inputs.parameters import REGISTRY
    from sim.run.ensemble import SerialExecutor

    exp = load_experiment(small(tmp_path, fit, **{"optimise.replications": 2}))
    worlds = draw_worlds(2, 1, REGISTRY, Posterior.from_fit(fit))
    candidates = [{"policy.followup.workers": 1.0, "policy.rotation.contract_years": 0.0,
                   "policy.startloan.budget_per_1000": 0.0, "stock.acquire_per_year": 0.0,
                   "policy.startloan.outreach": False},
                  {"policy.followup.workers": 5.0, "policy.rotation.contract_years": 3.0,
                   "policy.startloan.budget_per_1000": 4e6, "stock.acquire_per_year": 4.0,
                   "policy.startloan.outreach": True},
                  {"policy.followup.workers": 2.5, "policy.rotation.contract_years": 8.0,
                   "policy.startloan.budget_per_1000": 1e6, "stock.acquire_per_year": 2.0,
                   "policy.startloan.outreach": True}]
    evaluator = ModelEvaluator(exp, worlds, SerialExecutor(), None)
    together = evaluator.values(candidates)
    for c, values in zip(candidates, together, strict=True):
        assert values.shape[:2] == (2, 2)
        for w in range(2):
            alone = candidate_values(worlds.apply(w, exp.scenario).with_overrides(
                c, where="levers", throughout=True), exp.search.seed, 2)
            np.testing.assert_allclose(values[w], alone, rtol=1e-10)
    assert not np.array_equal(together[0], together[1])


def test_optimise_writes_the_front_and_resumes_what_a_kill_left(capsys, tmp_path: Path,
                                                                 fit: Path) -> None:
    path = small(tmp_path, fit)
    out = tmp_path / "out"
    code, stdout, _ = cli(capsys, "optimise", path, "--quiet", "--out", out)
    assert code == 0 and "on the front" in stdout
    for name in ("front.csv", "candidates.csv", "models.csv", "front.png", "optimise.json"):
        assert (out / name).stat().st_size > 0
    rows = (out / "candidates.csv").read_text("utf-8").splitlines()
    evaluated = len(rows) - 1  # up to 8: Platypus does not re-evaluate a copied parent
    assert 4 <= evaluated <= 8 and rows[0].startswith("candidate,policy.followup.workers")
    assert (out / "models.csv").read_text("utf-8").splitlines()[1].startswith("Verdal,")
    first = (out / "candidates.csv").read_text("utf-8")
    parts = sorted((out / "runs").glob("*.parquet"))
    mixes = {tuple(r.split(",")[1:6]) for r in rows[1:]}  # a mix met twice runs once
    assert len(parts) == (len(mixes) + 1) * 2  # each mix and the model, in two worlds
    for part in parts[::2]:  # as if killed with half the runs done
        part.unlink()
    code, _, _ = cli(capsys, "optimise", path, "--quiet", "--resume", "--out", out)
    assert code == 0 and (out / "candidates.csv").read_text("utf-8") == first
    shutil.rmtree(out / "runs")


@pytest.mark.parametrize(("changes", "needle"), [
    ({"optimise.population": 2}, "optimise.population"),
    ({"optimise.evaluations": 2}, "optimise.evaluations"),
    ({"optimise.statistic": "median"}, "mean, p90"),
    ({"levers": [{"path": "policy.followup.workers", "range": [3.0, 3.0]}]},
     "low must be below high"),
    ({"levers": [{"path": "work.job_finding_rate", "range": [0.01, 0.02]}]}, "not a lever"),
    ({"objectives": [{"indicator": "homeless", "sense": "min"}]}, "two or more"),
    ({"objectives": [{"indicator": "homeles", "sense": "min"},
                     {"indicator": "purchases", "sense": "max"}]}, "unknown indicator"),
    ({"objectives": [{"indicator": "homeless", "sense": "lower"},
                     {"indicator": "purchases", "sense": "max"}]}, "min, max"),
    ({"constraints": [{"indicator": "homeless", "low": 5.0, "high": 2.0}]}, "can never hold"),
    ({"constraints": [{"indicator": "homeless", "high": -1.0}]}, "never below zero"),
])
def test_bad_experiment_files_are_refused_in_one_line(capsys, tmp_path: Path, fit: Path,
                                                     changes: dict, needle: str) -> None:
    import tomllib

    import tomli_w

    path = small(tmp_path, fit)
    data = tomllib.loads(path.read_text("utf-8"))
    for key, value in changes.items():
        if "." in key:
            table, _, name = key.partition(".")
            data[table][name] = value
        else:
            data[key] = value
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=needle):
        load_experiment(path)
    code, _, err = cli(capsys, "optimise", path, "--quiet", "--out", tmp_path / "out")
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1
