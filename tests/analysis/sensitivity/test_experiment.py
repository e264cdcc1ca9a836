"""Experiment files (sim/analysis/sensitivity/experiment.py, factors.py, model.py).

Every mistake in an experiment file exits with status 2 and one line naming the file and the
key; sampled levers hold for the whole run; the bundled experiments are what issue 6 asks for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli
from sensitivity_helpers import EXPERIMENTS, GOOD_FUNCTION, VERDAL

from sim.analysis.sensitivity import load_experiment
from sim.inputs.parameters import REGISTRY

#: The main outcomes the bundled Verdal experiments analyse.
MAIN_OUTPUTS = ["children_municipal@mean", "owner_startloan@final", "families_in_work@final",
                "social_assistance_nok@total", "municipal_net_cost_nok@total",
                "evictions@total", "homeless@mean"]


def test_phase_settings_of_sampled_levers_give_way(tmp_path: Path) -> None:
    """Verdal's 2015 phase switches the network on; a sampled network holds all the run."""
    exp = load_experiment(EXPERIMENTS / "verdal_morris.toml")
    phased = {k for p in exp.scenario.phases for k in p.params}
    assert not phased & {f.name for f in exp.factors}
    assert any("policy.followup.network:" in note for note in exp.notes)


GOOD_MODEL = f"""
[experiment]
method = "morris"
N = 4
outputs = ["children_municipal@final"]

[model]
scenario = "{VERDAL.as_posix()}"

[[parameters]]
path = "policy.followup.workers"
range = [0.0, 5.0]
"""


BAD_INPUTS = {
    "unknown method": (('method = "morris"', 'method = "sobolev"'),
                       ["experiment.method", "morris, sobol, fast"]),
    "unknown parameter": (('path = "policy.followup.workers"',
                           'path = "policy.followup.worker"'),
                          ["policy.followup.worker", "did you mean 'policy.followup.workers'"]),
    "range outside bounds": (("range = [0.0, 5.0]", "range = [-1.0, 5.0]"),
                             ["parameters[1].range", "outside the registry's range"]),
    "empty range": (("range = [0.0, 5.0]", "range = [5.0, 5.0]"),
                    ["parameters[1].range", "low must be below high"]),
    "choice parameter": (('path = "policy.followup.workers"\nrange = [0.0, 5.0]',
                          'path = "policy.followup.mode"'),
                         ["policy.followup.mode", "choice parameter"]),
    "range of a bool": (('path = "policy.followup.workers"', 'path = "policy.followup.visits"'),
                        ["parameters[1].range", "true/false"]),
    "unknown output": (('"children_municipal@final"', '"children_municpal@final"'),
                       ["children_municpal@final", "did you mean 'children_municipal'"]),
    "output date outside the run": (('"children_municipal@final"',
                                     '"children_municipal@2031-01"'),
                                    ["children_municipal@2031-01", "outside the run"]),
    "sobol N not a power of 2": (('method = "morris"\nN = 4', 'method = "sobol"\nN = 1000'),
                                 ["experiment.N", "power of 2"]),
    "option of another method": (("N = 4", "N = 4\nM = 4"),
                                 ["experiment.M", "option of method 'fast'"]),
    "missing scenario": (("verdal.toml", "verdall.toml"), ["model.scenario", "not found"]),
    "function and scenario": (
        ("[model]", '[model]\nfunction = "sim.analysis.testfunctions:ishigami"'),
        ["model", "either scenario"]),
    "unknown table": (("[model]", "[modle]\n[model]"),
                      ["modle", "unknown table", "allowed tables are experiment, model"]),
    "duplicate parameter": (("range = [0.0, 5.0]",
                             'range = [0.0, 5.0]\n[[parameters]]\npath = '
                             '"policy.followup.workers"'),
                            ["parameters[2]", "listed twice"]),
    "fixed value out of range": (("[model]", '[model]\nset = { "stock.initial_occupancy" = 2 }'),
                                 ["model.set.stock.initial_occupancy", "out of range"]),
    "morris N odd": (("N = 4", "N = 5"), ["experiment.N", "even number"]),
    "invalid TOML": (("N = 4", "N = = 4"), ["invalid TOML"]),
    "empty name": (('method = "morris"', 'name = " "\nmethod = "morris"'),
                   ["experiment.name", "expected a non-empty string"]),
    "unknown setting": (("N = 4", "N = 4\nseeds = 3"),
                        ["experiment.seeds", "allowed keys are name, description, method"]),
    "replications not whole": (("N = 4", "N = 4\nreplications = 1.5"),
                               ["experiment.replications", "an integer from 1 to 10000"]),
    "second_order not true/false": (('method = "morris"\nN = 4',
                                     'method = "sobol"\nN = 8\nsecond_order = 1'),
                                    ["experiment.second_order", "true or false"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_experiment_files_exit_2_with_one_line(case: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (old, new), needles = BAD_INPUTS[case]
    assert old in GOOD_MODEL, case
    exp = tmp_path / "bad.toml"
    exp.write_text(GOOD_MODEL.replace(old, new, 1), encoding="utf-8")
    code, stdout, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("boligsim: error: ") and str(exp) in err, err
    for needle in needles:
        assert needle in err, (needle, err)
    assert not (tmp_path / "out" / "indices.csv").exists()


BAD_FUNCTIONS = {
    "not module:function": (
        ("sim.analysis.testfunctions:ishigami", "sim.analysis.testfunctions.ishigami"),
        ["model.function", "package.module:function"]),
    "module missing": (("sim.analysis.testfunctions:", "sim.analysis.testfunctions.nope:"),
                       ["model.function", "cannot use", "No module named"]),
    "a shell command": (("sim.analysis.testfunctions:ishigami", "subprocess:run"),
                        ["model.function", "'subprocess' is never allowed", "is code"]),
    "the interpreter's exit": (("sim.analysis.testfunctions:ishigami", "sys:exit"),
                               ["model.function", "'sys' is never allowed"]),
    "a builtin": (("sim.analysis.testfunctions:ishigami", "builtins:dict"),
                  ["model.function", "'builtins' is never allowed"]),
    "a submodule of os": (("sim.analysis.testfunctions:ishigami", "os.path:join"),
                          ["model.function", "'os.path' is never allowed"]),
    "a module not allowed": (("sim.analysis.testfunctions:ishigami", "json:loads"),
                             ["model.function", "'json' is not allowed", "--allow-module json",
                              "sim.analysis.testfunctions"]),
    "the project's other code": (("sim.analysis.testfunctions:ishigami", "sim.cli:main"),
                                 ["model.function", "'sim.cli' is not allowed"]),
    "function missing": ((":ishigami", ":ishigamy"), ["model.function", "no attribute"]),
    "input without range": (('range = [0.0, 1.0]\ngroup = "g"', ""),
                            ["parameters[1].range", "missing"]),
    "registry path for a function": (('name = "x1"', 'path = "x1"'),
                                     ["parameters[1]", "name = '...'"]),
    "groups in eFAST": (('method = "sobol"\nN = 8', 'method = "fast"\nN = 200'),
                        ["parameters[1].group", "eFAST has no groups"]),
    "eFAST N too small": (('method = "sobol"\nN = 8\n', 'method = "fast"\nN = 100\n'),
                          ["experiment.N", "8 M^2 = 128"]),
}


def test_a_module_the_user_allows_may_give_the_function(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """--allow-module lets a researcher's own module give the model function (and nothing
    is imported from a module before it is allowed: the refused run leaves no trace)."""
    (tmp_path / "mymodel.py").write_text(
        "import pathlib\npathlib.Path(__file__).with_name('imported').touch()\n"
        "def f(params):\n    return {'y': params['x1'] + 2 * params['x2'] + params['x3']}\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("BOLIGSIM_ALLOW_MODULES", raising=False)
    exp = tmp_path / "mine.toml"
    exp.write_text(GOOD_FUNCTION.replace("sim.analysis.testfunctions:ishigami", "mymodel:f"),
                   encoding="utf-8")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and "--allow-module mymodel" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "imported").exists()  # refused before its code ran
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet",
                       "--allow-module", "mymodel")
    assert code == 0, err
    assert (tmp_path / "imported").exists()


@pytest.mark.parametrize("case", sorted(BAD_FUNCTIONS))
def test_bad_function_experiments_exit_2(case: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (old, new), needles = BAD_FUNCTIONS[case]
    assert old in GOOD_FUNCTION, case
    exp = tmp_path / "bad.toml"
    exp.write_text(GOOD_FUNCTION.replace(old, new, 1), encoding="utf-8")
    code, _, err = cli(capsys, "sensitivity", exp, "--out", tmp_path / "out", "--quiet")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and str(exp) in err, err
    for needle in needles:
        assert needle in err, (needle, err)


#: Levers that act only under a choice Verdal does not make (a follow-up mode other than its
#: own): screening them would only show zero effects.
INERT_IN_VERDAL = {"policy.followup.long_assistance_months"}


def test_bundled_verdal_experiments() -> None:
    morris = load_experiment(EXPERIMENTS / "verdal_morris.toml")
    levers = {p.path for p in REGISTRY.values() if p.kind == "policy" and p.type is not str}
    levers -= INERT_IN_VERDAL
    assert morris.method == "morris"
    assert {f.name for f in morris.factors} == levers
    assert list(morris.outputs) == MAIN_OUTPUTS
    assert morris.scenario is not None and morris.scenario.name == "Verdal"

    sobol = load_experiment(EXPERIMENTS / "verdal_sobol.toml")
    assert (sobol.method, sobol.n, sobol.replications) == ("sobol", 1024, 1)
    assert len(sobol.factors) == 10
    kinds = {REGISTRY[f.name].kind for f in sobol.factors}
    assert "policy" in kinds and kinds & {"context", "calibrated"}
    assert list(sobol.outputs) == MAIN_OUTPUTS
    assert sobol.evaluations() == 12_288
    assert sobol.scenario is not None and sobol.scenario.months == 120

    ishigami = load_experiment(EXPERIMENTS / "ishigami.toml")
    assert ishigami.function == "sim.analysis.testfunctions:ishigami"
