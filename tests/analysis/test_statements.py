"""The report's statements about each municipality, held against the model.

Every direction the report states is checked with paired runs (the municipality under its own
practice and under baseline practice, or under a variant, with the same seeds): the paired
difference's 95 % interval must lie on the side the report states. Where the model does not
agree, the test is an expected failure whose reason says why, as docs/scenarios.md does.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from sim.analysis import statements as st
from sim.inputs.errors import InputError
from sim.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
REPLICATIONS = 10

#: Directions the model does not show clear of noise with these replications, and why
#: (docs/scenarios.md gives each with 20 replications).
DISAGREES: dict[str, str] = {
    "stjordal_family_plan": (
        "in the model the family plan moves spending towards NAV's guideline and halves "
        "budgeting failures of the families followed, who are few (two workers in 2012-2015): "
        "families in arrears in 2014 differ by +0.08 with 20 replications (-0.08 to 0.24)"),
    "malvik_family_teams": (
        "Malvik's 15 places in family teams are all taken by families in arrears or conflict, "
        "who come first in either mode, so following families wherever they live changes "
        "nothing in the model: families in work at the end differ by 0.0"),
    "namsos_housing_office": (
        "the 2017 office only scales its tenants' budgeting failures and their moving on "
        "(policy.allocation.colocated_factor, colocated_move_on), over the last five of the "
        "run's eight years: evictions differ by -0.25 with 20 replications (-0.70 to 0.20)"),
}

#: Directions the model shows at the edge of noise: the mean points the stated way, but whether
#: these replications clear noise turns on the last bits of floating-point sums, which differ
#: between machines (docs/outputs.md: histories are reproducible on one platform). Their test
#: asks the direction of the mean and that it is never clear of noise the wrong way.
EDGE: dict[str, str] = {
    "stjordal_arrears_routines": (
        "evictions in 2014 differ by -1.0 on 7 December 2026: -2.5 to 0.5 with these 10 "
        "replications, -1.97 to -0.03 with 20; an earlier CI machine cleared noise with 10"),
}


def test_every_municipal_model_has_statements_that_fit_its_run() -> None:
    found = st.load()
    models = {p.stem for p in (ROOT / "scenarios").glob("*.toml")} - {"baseline"}
    assert models <= {s.scenario.stem for s in found}
    targets = {t["id"]: t for t in tomllib.loads(
        (ROOT / "calibration" / "targets.toml").read_text())["targets"]}
    for s in found:
        sc = load_scenario(s.scenario)
        for e in (s.expression, s.per):
            if e is not None:
                e.check_in_run(sc.start, sc.months, where=s.id)
        if s.target:
            assert s.target in targets, s.id
            assert targets[s.target].get("use", True), s.id  # fitted, not a check
            assert targets[s.target]["expression"] == s.expression.text, s.id
        if s.kind == "unrepresented":
            assert s.note, s.id


@pytest.mark.parametrize("relation, diff, expected", [
    ("more", (2.0, 1.0, 3.0), "yes"),
    ("more", (-2.0, -3.0, -1.0), "no"),
    ("more", (0.5, -1.0, 2.0), "not clear of noise"),
    ("fewer", (-2.0, -3.0, -1.0), "yes"),
    ("fewer", (2.0, 1.0, 3.0), "no"),
    ("not_more", (0.5, -1.0, 2.0), "yes"),
    ("not_more", (2.0, 1.0, 3.0), "no"),
    ("not_fewer", (-2.0, -3.0, -1.0), "no"),
    ("not_fewer", (-0.5, -2.0, 1.0), "yes"),
])
def test_a_direction_agrees_only_when_its_interval_lies_on_the_stated_side(
        relation, diff, expected) -> None:
    s = st.Statement("x", Path("x.toml"), "says", "§1", "direction", relation=relation)
    assert st.verdict(s, (0.0, 0.0, 0.0), diff) == expected


@pytest.mark.parametrize("relation, mean, expected", [
    ("eq", 10.0, "yes"), ("eq", 13.0, "no"), ("eq", 7.5, "yes"),
    ("ge", 8.0, "yes"), ("ge", 7.0, "no"), ("le", 12.0, "yes"), ("le", 13.0, "no"),
])
def test_a_level_agrees_within_its_tolerance(relation, mean, expected) -> None:
    s = st.Statement("x", Path("x.toml"), "says", "§1", "level", relation=relation,
                     observed=10.0, tolerance=2.5)
    assert st.verdict(s, (mean, mean, mean), (np.nan,) * 3) == expected
    fitted = st.Statement("x", Path("x.toml"), "says", "§1", "level", relation=relation,
                          observed=10.0, tolerance=2.5, target="t")
    assert st.verdict(fitted, (mean, mean, mean), (np.nan,) * 3).startswith(expected + " (")


def test_a_bad_statements_file_is_one_line_and_exit_2(tmp_path, capsys) -> None:
    bad = tmp_path / "statements.toml"
    bad.write_text('[[statements]]\nid = "a"\nscenario = "x.toml"\nsays = "s"\n'
                   'source = "§1"\nkind = "opinion"\n')
    with pytest.raises(InputError, match="kind"):
        st.load(bad)
    assert st.main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "statements[0].kind" in err


@pytest.fixture(scope="module")
def findings() -> dict[str, st.Finding]:
    directions = [s for s in st.load() if s.kind == "direction"]
    return {f.statement.id: f for f in st.evaluate(directions, replications=REPLICATIONS,
                                                   seed=1)}


DIRECTIONS = [s.id for s in st.load() if s.kind == "direction"]


@pytest.mark.parametrize("sid", [
    pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=DISAGREES[i]))
    if i in DISAGREES else i for i in DIRECTIONS])
def test_the_model_shows_each_direction_the_report_states(findings, sid) -> None:
    f = findings[sid]
    if sid in EDGE:
        fewer = f.statement.relation in ("fewer", "not_more")
        assert (f.diff[0] < 0) == fewer, (f.statement.says, f.diff, EDGE[sid])
        assert f.verdict in ("yes", "not clear of noise"), (f.statement.says, f.diff)
        return
    assert f.verdict == "yes", (f.statement.says, f.diff)
