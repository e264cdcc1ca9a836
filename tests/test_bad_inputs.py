"""Bad input of every kind gives exit status 2 and one clear line — never a traceback.

One table of distinct bad inputs across the commands: malformed TOML, wrong types, values out
of range, unknown keys, missing and circular ``extends``, phases out of order or outside the
run, bad command-line values, unknown indicators in experiments and calibration targets.
Each case gives the command line and fragments the message must contain (the file or option,
and the key).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "scenarios" / "baseline.toml").as_posix()
TARGETS = (ROOT / "calibration" / "targets.toml").as_posix()

# name -> scenario file text ({BASE} is the bundled baseline)
SCENARIOS = {
    "broken_toml": "[scenario\nname = 'x'",
    "bad_value_syntax": "[scenario]\nname = \n",
    "duplicate_key": "[scenario]\nname = 'a'\nname = 'b'\n",
    "unknown_param": "[scenario]\nname='x'\n[policy.rotation]\ncontract_yeras = 3.0\n",
    "unknown_group": "[scenario]\nname='x'\n[polcy]\nx = 1\n",
    "wrong_type_str": "[scenario]\nname='x'\n[policy.rotation]\ncontract_years = 'three'\n",
    "wrong_type_bool": "[scenario]\nname='x'\n[policy.rotation]\nreview = 1\n",
    "wrong_type_int": "[scenario]\nname='x'\n[municipality]\ninhabitants = 15000.5\n",
    "bool_for_number": "[scenario]\nname='x'\n[policy.followup]\nworkers = true\n",
    "out_of_range_low": "[scenario]\nname='x'\n[policy.rotation]\ncontract_years = -1.0\n",
    "out_of_range_high": "[scenario]\nname='x'\n[bank]\nmax_ltv = 1.5\n",
    "out_of_range_share": "[scenario]\nname='x'\n[economy]\nsa_takeup = 2.0\n",
    "bad_choice": "[scenario]\nname='x'\n[policy.allocation]\npriority = 'lottery'\n",
    "nan_value": "[scenario]\nname='x'\n[market]\nprice_growth = nan\n",
    "unknown_scenario_key": "[scenario]\nname='x'\nyear = 10\n",
    "years_zero": "[scenario]\nname='x'\nyears = 0\n",
    "years_text": "[scenario]\nname='x'\nyears = 'ten'\n",
    "nested_too_deep": "[scenario]\nname='x'\n[a]\nb = " + "[" * 3000 + "]" * 3000 + "\n",
    "integer_too_long": "[scenario]\nname='x'\n[population]\ninitial_families = "
    + "9" * 5000 + "\n",
    "years_too_many": "[scenario]\nname='x'\nyears = 1000\n",
    "bad_start": "[scenario]\nname='x'\nstart = '2012-13'\n",
    "start_not_text": "[scenario]\nname='x'\nstart = 2012\n",
    "start_year_9999": f"[scenario]\nname='x'\nextends='{BASE}'\nstart = '9999-06'\n",
    "missing_extends": "[scenario]\nname='x'\nextends = 'nowhere.toml'\n",
    "self_extends": "[scenario]\nname='x'\nextends = 'self_extends.toml'\n",
    "no_name": "[municipality]\ninhabitants = 15000\n",
    "phase_no_start": f"[scenario]\nname='x'\nextends='{BASE}'\n[[phases]]\nlabel='a'\n",
    "phase_before_start": (f"[scenario]\nname='x'\nextends='{BASE}'\n[[phases]]\n"
                           "start='2010-01'\n"),
    "phase_after_end": f"[scenario]\nname='x'\nextends='{BASE}'\n[[phases]]\nstart='2030-01'\n",
    "phases_out_of_order": (f"[scenario]\nname='x'\nextends='{BASE}'\n[[phases]]\n"
                            "start='2016-01'\n[[phases]]\nstart='2014-01'\n"),
    "phase_unknown_param": (f"[scenario]\nname='x'\nextends='{BASE}'\n[[phases]]\n"
                            "start='2015-01'\npolicy.rotation.contract = 3.0\n"),
    "phase_bad_value": (f"[scenario]\nname='x'\nextends='{BASE}'\n[[phases]]\n"
                        "start='2015-01'\npolicy.rotation.contract_years = 'x'\n"),
    "phases_not_array": f"[scenario]\nname='x'\nextends='{BASE}'\n[phases]\nstart='2015-01'\n",
    "param_in_scenario_table": "[scenario]\nname='x'\ninhabitants = 5\n",
}


def case_files(tmp: Path) -> None:
    for name, text in SCENARIOS.items():
        (tmp / f"{name}.toml").write_text(text, encoding="utf-8")
    (tmp / "loop_a.toml").write_text("[scenario]\nname='a'\nextends='loop_b.toml'\n")
    (tmp / "loop_b.toml").write_text("[scenario]\nname='b'\nextends='loop_a.toml'\n")
    (tmp / "not_utf8.toml").write_bytes(b"[scenario]\nname = '\xff\xfe'\n")
    if not (tmp / "pipe.toml").exists():
        os.mkfifo(tmp / "pipe.toml")  # reading it would wait for a writer for ever
    # the bundled search, a million evaluations in 10,000 worlds: 3 x 10^10 runs
    search = (ROOT / "experiments" / "verdal_optimise.toml").read_text(encoding="utf-8")
    search = search.replace('"../', f'"{ROOT.as_posix()}/')
    lines = ["evaluations = 1000000" if line.startswith("evaluations =") else
             "worlds = 10000" if line.startswith("worlds =") else line
             for line in search.splitlines()]
    (tmp / "optimise_too_big.toml").write_text("\n".join(lines), encoding="utf-8")


RUN = [(f"scenario:{name}", ["run", f"{{tmp}}/{name}.toml", "--out", "{tmp}/out"],
        [f"{name}.toml"]) for name in SCENARIOS]
OTHER = [
    ("circular_extends", ["check", "{tmp}/loop_a.toml"], ["loop_"]),
    ("not_utf8", ["check", "{tmp}/not_utf8.toml"], ["not_utf8.toml"]),
    ("missing_file", ["run", "{tmp}/nothing.toml", "--out", "{tmp}/o"], ["nothing.toml"]),
    ("directory_as_file", ["check", "{tmp}"], []),
    ("set_without_equals", ["check", BASE, "--set", "policy.rotation.review"], ["--set"]),
    ("set_unknown", ["check", BASE, "--set", "policy.rotation.reveiw=true"], ["--set"]),
    ("set_bad_value", ["check", BASE, "--set", "bank.max_dti=-3"], ["bank.max_dti"]),
    ("years_option_zero", ["run", BASE, "--years", "0", "--out", "{tmp}/o"], ["--years"]),
    ("replications_zero", ["run", BASE, "--replications", "0", "--out", "{tmp}/o"],
     ["--replications"]),
    ("negative_seed", ["run", BASE, "--seed", "-1", "--out", "{tmp}/o"], ["--seed"]),
    ("workers_zero", ["run", BASE, "--workers", "0", "--out", "{tmp}/o"], ["--workers"]),
    ("force_and_resume", ["run", BASE, "--force", "--resume", "--out", "{tmp}/o"],
     ["--resume"]),
    ("bad_scheduler", ["run", BASE, "--scheduler", "somewhere", "--years", "1", "--out",
                       "{tmp}/o"], ["--scheduler"]),
    ("out_is_a_file", ["run", BASE, "--out", "{tmp}/loop_a.toml"], ["loop_a.toml"]),
    ("too_big", ["run", BASE, "--set", "population.initial_families=1000000000", "--out",
                 "{tmp}/o"], ["needs about"]),
    ("compare_missing", ["compare", BASE, "{tmp}/nothing.toml", "--out", "{tmp}/c"],
     ["nothing.toml"]),
    ("a_device", ["check", "/dev/zero"], ["/dev/zero", "not a regular file"]),
    ("a_pipe", ["check", "{tmp}/pipe.toml"], ["pipe.toml", "not a regular file"]),
    ("set_integer_too_long", ["check", BASE, "--set",
                              "population.initial_families=" + "9" * 5000], ["--set"]),
    ("out_empty", ["run", BASE, "--out", ""], ["--out", "empty name"]),
    ("bench_json_a_folder", ["bench", "--families", "500", "--json", "{tmp}"],
     ["--json", "is a directory"]),
    ("replications_beyond_memory", ["run", BASE, "--replications", "1000000000", "--out",
                                    "{tmp}/o"], ["--replications", "MB of results"]),
    ("compare_beyond_memory", ["compare", BASE, BASE, "--replications", "200000000", "--out",
                               "{tmp}/c"], ["--replications", "MB of results"]),
    ("worlds_too_many", ["compare", BASE, BASE, "--worlds", "1000000000", "--out", "{tmp}/c"],
     ["--worlds", "at most 100,000"]),
    ("optimise_beyond_memory", ["optimise", "{tmp}/optimise_too_big.toml", "--out", "{tmp}/p"],
     ["optimise.evaluations", "would need about"]),
]


def experiment(tmp: Path, name: str, body: str) -> str:
    path = tmp / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path.as_posix()


EXPERIMENT_HEAD = (f"[experiment]\nmethod = 'morris'\nN = 4\noutputs = ['homeless@final']\n"
                   f"[model]\nscenario = '{BASE}'\nyears = 1\n")
EXPERIMENTS = {
    "exp_unknown_indicator": EXPERIMENT_HEAD.replace("homeless@final", "homless@final")
    + "[[parameters]]\npath = 'policy.followup.workers'\nrange = [0.0, 5.0]\n",
    "exp_bad_summary": EXPERIMENT_HEAD.replace("homeless@final", "homeless@last")
    + "[[parameters]]\npath = 'policy.followup.workers'\nrange = [0.0, 5.0]\n",
    "exp_unknown_param": EXPERIMENT_HEAD
    + "[[parameters]]\npath = 'policy.followup.wokers'\n",
    "exp_range_outside": EXPERIMENT_HEAD
    + "[[parameters]]\npath = 'bank.max_ltv'\nrange = [0.5, 1.5]\n",
    # 2^30 trajectories of 4 levers: 5 billion runs, terabytes before any is run
    "exp_sample_too_big": EXPERIMENT_HEAD.replace("N = 4", "N = 1073741824") + "".join(
        f"[[parameters]]\npath = '{path}'\n" for path in (
            "policy.followup.workers", "policy.startloan.term_years",
            "stock.acquire_per_year", "policy.rotation.contract_years")),
    "exp_bad_method": EXPERIMENT_HEAD.replace("'morris'", "'guess'")
    + "[[parameters]]\npath = 'policy.followup.workers'\nrange = [0.0, 5.0]\n",
    "exp_choice_param": EXPERIMENT_HEAD
    + "[[parameters]]\npath = 'policy.allocation.priority'\n",
    "exp_no_parameters": EXPERIMENT_HEAD,
    "exp_date_outside": EXPERIMENT_HEAD.replace("homeless@final", "homeless@2030-01")
    + "[[parameters]]\npath = 'policy.followup.workers'\nrange = [0.0, 5.0]\n",
    "exp_function_not_module": ("[experiment]\nmethod = 'sobol'\nN = 8\noutputs = ['y']\n"
                                "[model]\nfunction = 'no.such.module:f'\n[[parameters]]\n"
                                "name = 'x'\nrange = [0.0, 1.0]\n"),
}

CALIBRATION_HEAD = (f"[calibration]\nname = 'bad'\ntargets = '{TARGETS}'\nseed = 1\n"
                    "replications = 1\nyears = 1\nfit = ['housing_allowance_per_household']\n"
                    "check = []\n")
CALIBRATIONS = {
    "cal_unknown_param": CALIBRATION_HEAD + "[free]\n'economy.bostotte_own_ratio' = [0.1, 0.2]\n",
    "cal_bounds_outside": CALIBRATION_HEAD + "[free]\n'economy.bostotte_own_rate' = [0.1, 1.5]\n",
    "cal_not_calibrated_kind": CALIBRATION_HEAD + "[free]\n'bank.max_ltv' = [0.5, 0.9]\n",
    "cal_unknown_target": CALIBRATION_HEAD.replace("housing_allowance_per_household",
                                                   "no_such_target")
    + "[free]\n'economy.bostotte_own_rate' = [0.1, 0.3]\n",
    "cal_missing_targets": CALIBRATION_HEAD.replace(TARGETS, "nowhere/targets.toml")
    + "[free]\n'economy.bostotte_own_rate' = [0.1, 0.3]\n",
    "cal_unknown_table": CALIBRATION_HEAD + "[free]\n'economy.bostotte_own_rate' = [0.1, 0.3]\n"
    + "[optimizer]\npopsize = 2\n",
    "cal_popsize_absurd": CALIBRATION_HEAD + "[free]\n'economy.bostotte_own_rate' = [0.1, 0.3]\n"
    + "[optimiser]\npopsize = 100000000\n",
}

CASES = (RUN + OTHER
         + [(n, ["sensitivity", f"{{tmp}}/{n}.toml", "--out", "{tmp}/s"], [f"{n}.toml"])
            for n in EXPERIMENTS]
         + [(n, ["calibrate", f"{{tmp}}/{n}.toml", "--out", "{tmp}/k"], [])
            for n in CALIBRATIONS])


def test_at_least_fifty_distinct_bad_inputs() -> None:
    assert len(CASES) >= 50, len(CASES)


@pytest.mark.parametrize(("name", "argv", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_one_line(name, argv, fragments, tmp_path, capsys) -> None:
    """Exit status 2, one line on stderr naming what is wrong, nothing on a traceback."""
    case_files(tmp_path)
    for n, body in EXPERIMENTS.items():
        experiment(tmp_path, n, body)
    for n, body in CALIBRATIONS.items():
        experiment(tmp_path, n, body)
    args = [a.replace("{tmp}", tmp_path.as_posix()) for a in argv]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, f"{name}: exit {code}; stderr: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boligsim: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, f"{name}: {fragment!r} not in {err!r}"
