"""Tests for scenario loading (sim/inputs/scenario.py) and month arithmetic
(sim/inputs/calendar.py).

A small registry built here keeps the tests independent of the real parameter list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.inputs.calendar import add_months, format_month, months_between, parse_month
from sim.inputs.errors import InputError
from sim.inputs.registry import Param, Registry
from sim.inputs.scenario import (
    DEFAULT_BURN_IN,
    Phase,
    Scenario,
    load_scenario,
    parse_overrides,
)


@pytest.fixture
def registry() -> Registry:
    """Four parameters, one of each type."""
    return Registry([
        Param("municipality.inhabitants", 15000, "persons", "Inhabitants.", "context", "SSB",
              bounds=(1, 1_000_000)),
        Param("policy.rotation.contract_years", 5.0, "years", "Contract length.", "policy",
              "assumption", bounds=(0, 10)),
        Param("policy.startloan.budget_standard", "sifo", "", "Budget standard.", "policy",
              "Husbanken", choices=("sifo", "actual")),
        Param("policy.followup.family_plan", False, "", "Family plan.", "policy", "NAV"),
    ])


@pytest.fixture
def write(tmp_path: Path):
    """Write a TOML file under tmp_path and return its path as a string."""

    def _write(name: str, text: str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return str(path)

    return _write


VERDAL = """
[scenario]
name = "Verdal"
description = "A test municipality"
start = "2012-01"
years = 10

[municipality]
inhabitants = 15000

[policy.startloan]
budget_standard = "actual"

[[phases]]
start = "2015-08"
label = "Housing service starts"
policy.rotation.contract_years = 3
policy.followup.family_plan = true
"""


# --- calendar ------------------------------------------------------------------------------


def test_calendar_arithmetic() -> None:
    assert parse_month("2012-01") == 2012 * 12
    assert format_month(parse_month("1999-12")) == "1999-12"
    assert add_months("2012-11", 3) == "2013-02"
    assert add_months("2013-02", -3) == "2012-11"
    assert months_between("2012-01", "2013-03") == 14
    assert months_between("2013-03", "2012-01") == -14


@pytest.mark.parametrize("bad", ["2012-13", "2012-00", "2012-1", "12-01", "2012/01", "", 2012])
def test_calendar_rejects_bad_dates(bad: object) -> None:
    with pytest.raises(InputError, match="expected a date 'YYYY-MM'") as err:
        parse_month(bad, where="x.toml", key="scenario.start")
    assert str(err.value).startswith("x.toml: scenario.start: ")


# --- loading -------------------------------------------------------------------------------


def test_defaults_when_no_overrides(write, registry: Registry) -> None:
    sc = load_scenario(write("plain.toml", '[scenario]\nname = "Plain"\n'), registry=registry)
    assert sc.name == "Plain"
    assert sc.description == ""
    assert sc.start == "2012-01" and sc.years == 10 and sc.months == 120
    assert sc.params == registry.defaults()
    assert sc.phases == []
    assert sc.sources == [sc.file]


def test_full_file(write, registry: Registry) -> None:
    sc = load_scenario(write("verdal.toml", VERDAL), registry=registry)
    assert sc.params["policy.startloan.budget_standard"] == "actual"
    assert sc.params["policy.rotation.contract_years"] == 5.0
    assert sc.phases == [
        Phase("2015-08", "Housing service starts",
              {"policy.rotation.contract_years": 3.0, "policy.followup.family_plan": True})
    ]
    assert isinstance(sc.phases[0].params["policy.rotation.contract_years"], float)
    assert sc.phase_months() == [(43, sc.phases[0])]


def test_nested_tables_and_dotted_keys_flatten_the_same(write, registry: Registry) -> None:
    nested = write("a.toml", """
[scenario]
name = "X"
[policy.rotation]
contract_years = 2
[[phases]]
start = "2014-01"
[phases.policy.followup]
family_plan = true
""")
    dotted = write("b.toml", """
policy.rotation.contract_years = 2
[scenario]
name = "X"
[[phases]]
start = "2014-01"
policy.followup.family_plan = true
""")
    a, b = load_scenario(nested, registry=registry), load_scenario(dotted, registry=registry)
    assert a == b
    assert a.params["policy.rotation.contract_years"] == 2.0


def test_params_at_before_and_after_phase(write, registry: Registry) -> None:
    sc = load_scenario(write("verdal.toml", VERDAL), registry=registry)
    before, after = sc.params_at(42), sc.params_at(43)
    assert sc.params_at(0) == sc.params == before
    assert before["policy.rotation.contract_years"] == 5.0
    assert after["policy.rotation.contract_years"] == 3.0
    assert after["policy.followup.family_plan"] is True
    assert sc.params_at(119) == after
    assert sc.params["policy.rotation.contract_years"] == 5.0  # not mutated


def test_extends_chain(write, registry: Registry) -> None:
    write("base/baseline.toml", """
[scenario]
name = "Baseline"
description = "Base"
start = "2010-01"
years = 20
[municipality]
inhabitants = 5000
[policy.rotation]
contract_years = 4
[[phases]]
start = "2012-01"
label = "Reform"
policy.followup.family_plan = true
[[phases]]
start = "2020-01"
label = "Cut"
policy.rotation.contract_years = 1
""")
    write("base/mid.toml", """
[scenario]
extends = "baseline.toml"
name = "Mid"
[municipality]
inhabitants = 8000
""")
    child = write("muni/child.toml", """
[scenario]
extends = "../base/mid.toml"
[policy.rotation]
contract_years = 6
[[phases]]
start = "2015-01"
label = "Own"
policy.startloan.budget_standard = "actual"
[[phases]]
start = "2020-01"
policy.rotation.contract_years = 2
policy.followup.family_plan = false
""")
    sc = load_scenario(child, registry=registry)
    assert sc.name == "Mid"  # inherited from the nearest file that sets it
    assert sc.description == "Base"
    assert (sc.start, sc.years) == ("2010-01", 20)
    assert sc.params["municipality.inhabitants"] == 8000
    assert sc.params["policy.rotation.contract_years"] == 6.0
    assert [Path(s).name for s in sc.sources] == ["baseline.toml", "mid.toml", "child.toml"]
    assert [(p.start, p.label) for p in sc.phases] == [
        ("2012-01", "Reform"), ("2015-01", "Own"), ("2020-01", "Cut")]
    assert sc.phases[2].params == {
        "policy.rotation.contract_years": 2.0, "policy.followup.family_plan": False}
    assert sc.params_at(sc.months - 1)["policy.startloan.budget_standard"] == "actual"


def test_burn_in_is_inherited_overridden_and_counted(write, registry: Registry) -> None:
    """``burn_in`` defaults to DEFAULT_BURN_IN, is inherited through ``extends`` like start
    and years, and ``load_scenario(burn_in=...)`` replaces it; the run then simulates the
    burn-in's months before the reported ones."""
    base = write("base.toml", VERDAL)
    assert load_scenario(base, registry=registry).burn_in == DEFAULT_BURN_IN
    write("mid.toml", '[scenario]\nextends = "base.toml"\nburn_in = 3\n')
    child = write("child.toml", '[scenario]\nextends = "mid.toml"\nname = "Child"\n')
    sc = load_scenario(child, registry=registry)
    assert (sc.burn_in, sc.burn_in_months, sc.months, sc.simulated_months) == (3, 36, 120, 156)
    assert load_scenario(child, registry=registry, burn_in=0).burn_in == 0
    with pytest.raises(InputError, match="integer from 0 to 50"):
        load_scenario(child, registry=registry, burn_in=51)


def reform(write, params: str) -> str:
    """VERDAL with a phase at its start setting ``params``; the path of the file."""
    write("base.toml", VERDAL)
    return write("reform.toml", '[scenario]\nextends = "base.toml"\n[[phases]]\n'
                 f'start = "2012-01"\nlabel = "Reform"\n{params}\n')


def test_burn_in_runs_under_the_start_values_and_a_phase_at_start_after_it(
        write, registry: Registry) -> None:
    """A phase at ``start`` is a reform in force from the first reported month: the burn-in's
    months (negative indices) have the start values, month 0 the reform."""
    sc = load_scenario(reform(write, "policy.rotation.contract_years = 1"), registry=registry,
                       burn_in=2)
    assert [p.label for p in sc.phases] == ["Reform", "Housing service starts"]
    assert sc.params_at(-1) == sc.params == sc.params_at(-sc.burn_in_months)
    assert sc.params["policy.rotation.contract_years"] == 5.0
    assert sc.params_at(0)["policy.rotation.contract_years"] == 1.0
    assert sc.params_at(43)["policy.rotation.contract_years"] == 3.0


def test_an_override_holds_against_a_phase_at_start(write, registry: Registry) -> None:
    """``--set`` replaces the start value from the burn-in on; a phase at start no longer
    changes it (so towns of a batch overriding it share their phases); later phases do."""
    path = reform(write, "policy.rotation.contract_years = 1\npolicy.followup.family_plan = true")
    sc = load_scenario(path, registry=registry, overrides=["policy.rotation.contract_years=7"])
    assert sc.params_at(-1)["policy.rotation.contract_years"] == 7.0
    assert sc.params_at(0)["policy.rotation.contract_years"] == 7.0
    assert sc.params_at(0)["policy.followup.family_plan"] is True  # the rest of the reform
    assert sc.params_at(43)["policy.rotation.contract_years"] == 3.0
    again = sc.with_overrides({"policy.followup.family_plan": False})
    assert again.phases[0] == Phase("2012-01", "Reform", {})  # its date and label stay


def test_an_override_throughout_holds_against_every_phase(write, registry: Registry) -> None:
    """A variant of a practice (``throughout``) holds for the whole run: the phase at 43
    months that sets the parameter keeps its date and its other changes, not this one."""
    path = reform(write, "policy.rotation.contract_years = 1\npolicy.followup.family_plan = true")
    sc = load_scenario(path, registry=registry)
    assert sc.params_at(43)["policy.rotation.contract_years"] == 3.0
    variant = sc.with_overrides({"policy.rotation.contract_years": 7}, throughout=True)
    assert all(variant.params_at(k)["policy.rotation.contract_years"] == 7.0
               for k in (-1, 0, 43, 50))
    assert variant.params_at(0)["policy.followup.family_plan"] is True
    assert [p.start for p in variant.phases] == [p.start for p in sc.phases]


def test_practice_of_another_scenario_is_what_it_has_in_force_at_its_start(
        write, registry: Registry) -> None:
    """A reform at the other scenario's start is its practice; the phases are dropped, so the
    burn-in too runs under it."""
    reformer = load_scenario(reform(write, "policy.rotation.contract_years = 1"),
                             registry=registry)
    other = load_scenario(write("other.toml", VERDAL.replace("15000", "900")),
                          registry=registry)
    mixed = other.with_practice_of(reformer)
    assert mixed.phases == []
    assert mixed.params["policy.rotation.contract_years"] == 1.0
    assert mixed.params["municipality.inhabitants"] == 900


def test_years_argument_drops_late_phases(write, registry: Registry) -> None:
    sc = load_scenario(write("verdal.toml", VERDAL), registry=registry, years=3)
    assert sc.years == 3 and sc.phases == []
    sc = load_scenario(write("verdal.toml", VERDAL), registry=registry, years=4)
    assert len(sc.phases) == 1


# --- overrides ------------------------------------------------------------------------------


def test_parse_overrides_values() -> None:
    got = parse_overrides([
        "a.flag=true", "a.int=3", "a.float=2.5", "a.bare=actual", 'a.quoted="sifo"',
        " a.spaced = 7 ", "a.eq=x=y",
    ])
    assert got == {"a.flag": True, "a.int": 3, "a.float": 2.5, "a.bare": "actual",
                   "a.quoted": "sifo", "a.spaced": 7, "a.eq": "x=y"}
    assert type(got["a.int"]) is int and type(got["a.flag"]) is bool


def test_overrides_applied_last(write, registry: Registry) -> None:
    sc = load_scenario(
        write("verdal.toml", VERDAL), registry=registry,
        overrides=["policy.startloan.budget_standard=sifo", "municipality.inhabitants=900",
                   "policy.rotation.contract_years=7"],
    )
    assert sc.params["policy.startloan.budget_standard"] == "sifo"
    assert sc.params["municipality.inhabitants"] == 900
    assert sc.params_at(0)["policy.rotation.contract_years"] == 7.0
    assert sc.params_at(50)["policy.rotation.contract_years"] == 3.0  # the phase still applies
    again = sc.with_overrides({"policy.followup.family_plan": True})
    assert again.params["policy.followup.family_plan"] is True
    assert sc.params["policy.followup.family_plan"] is False


# --- round trip and digest ------------------------------------------------------------------


def test_to_toml_round_trip(write, registry: Registry) -> None:
    write("base.toml", VERDAL.replace('name = "Verdal"', 'name = "Base"'))
    child = write("child.toml", """
[scenario]
extends = "base.toml"
name = "Child \\"quoted\\""
description = "two\\nlines"
[[phases]]
start = "2019-03"
label = "Later"
policy.startloan.budget_standard = "sifo"
""")
    sc = load_scenario(child, registry=registry, overrides=["municipality.inhabitants=1234"],
                       burn_in=7)
    text = sc.to_toml()
    assert "extends" not in text and "burn_in = 7" in text
    back = load_scenario(write("resolved.toml", text), registry=registry)
    assert back == sc and back.burn_in == 7
    assert back.description == sc.description
    assert back.digest() == sc.digest()
    assert back.to_toml().split("\n", 1)[1] == text.split("\n", 1)[1]


def test_digest_stable_and_sensitive(write, registry: Registry) -> None:
    path = write("verdal.toml", VERDAL)
    a, b = load_scenario(path, registry=registry), load_scenario(path, registry=registry)
    assert a.digest() == b.digest()
    assert len(a.digest()) == 64
    assert a.with_overrides({"municipality.inhabitants": 15001}).digest() != a.digest()
    changed = load_scenario(path, registry=registry, overrides=["policy.rotation.contract_years=4"])
    assert changed.digest() != a.digest()
    longer = load_scenario(path, registry=registry, burn_in=a.burn_in + 1)
    assert longer.digest() != a.digest() and longer != a
    assert isinstance(a, Scenario)


# --- bad input ------------------------------------------------------------------------------

BASE = '[scenario]\nname = "X"\n'


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        pytest.param(BASE + "[policy.startloan]\nterm_yeras = 50\n", "policy.startloan.term_yeras",
                     "unknown parameter", id="unknown-key"),
        pytest.param(BASE + "[policy.rotation]\ncontrct_years = 3\n",
                     "policy.rotation.contrct_years",
                     "did you mean 'policy.rotation.contract_years'?", id="nearest-key"),
        pytest.param('municipality.inhabitants = "many"\n' + BASE, "municipality.inhabitants",
                     "expected an integer from 1 to 1000000", id="wrong-type"),
        pytest.param("municipality.inhabitants = 2.5\n" + BASE, "municipality.inhabitants",
                     "expected an integer", id="float-for-int"),
        pytest.param("policy.rotation.contract_years = 11\n" + BASE,
                     "policy.rotation.contract_years", "out of range", id="out-of-range"),
        pytest.param('policy.startloan.budget_standard = "median"\n' + BASE,
                     "policy.startloan.budget_standard", "one of 'sifo', 'actual'",
                     id="bad-choice"),
        pytest.param("policy.followup.family_plan = 1\n" + BASE, "policy.followup.family_plan",
                     "true or false", id="int-for-bool"),
        pytest.param(BASE + "policy.followup.family_plan = true\n", "scenario.policy",
                     "parameters go outside [scenario]", id="param-inside-scenario-table"),
        pytest.param(BASE + "title = 'x'\n", "scenario.title",
                     "allowed keys are name, description, extends, start, years, burn_in",
                     id="unknown-scenario-key"),
        pytest.param(BASE + "years = 0\n", "scenario.years", "integer from 1 to 100",
                     id="years-zero"),
        pytest.param(BASE + "years = 10.5\n", "scenario.years", "integer from 1 to 100",
                     id="years-float"),
        pytest.param(BASE + "years = 101\n", "scenario.years", "integer from 1 to 100",
                     id="years-too-long"),
        pytest.param(BASE + 'start = "2012-13"\n', "scenario.start",
                     "expected a date 'YYYY-MM'", id="bad-month"),
        pytest.param(BASE + "start = 2012-01-01\n", "scenario.start",
                     "expected a date 'YYYY-MM'", id="toml-date"),
        pytest.param("[scenario]\nname = 3\n", "scenario.name", "non-empty string",
                     id="name-not-string"),
        pytest.param("[scenario]\nyears = 5\n", "scenario.name", "missing", id="no-name"),
        pytest.param('years = 5\n' + BASE, "years", "belongs in the [scenario] table",
                     id="scenario-key-at-top"),
        pytest.param(BASE + "extends = 3\n", "scenario.extends", "expected a file name",
                     id="extends-not-string"),
        pytest.param(BASE + 'extends = "nowhere.toml"\n', "scenario.extends",
                     "nowhere.toml not found", id="missing-extends"),
        pytest.param(BASE + "[[phases]]\nlabel = 'x'\npolicy.followup.family_plan = true\n",
                     "phases[1].start", "phase has no start", id="phase-without-start"),
        pytest.param(BASE + "[[phases]]\nstart = '2015-8'\n", "phases[1].start",
                     "expected a date 'YYYY-MM'", id="phase-bad-date"),
        pytest.param(BASE + "[[phases]]\nstart = '2016-01'\n[[phases]]\nstart = '2015-01'\n",
                     "phases[2].start", "not after 2016-01 of phases[1]", id="phases-out-of-order"),
        pytest.param(BASE + "[[phases]]\nstart = '2016-01'\n[[phases]]\nstart = '2016-01'\n",
                     "phases[2].start", "date order, one per date", id="phases-same-date"),
        pytest.param(BASE + "[[phases]]\nstart = '2022-01'\nlabel = 'Late'\n",
                     "phases[1].start", "phase 'Late' at 2022-01 is outside the run",
                     id="phase-at-end"),
        pytest.param(BASE + "[[phases]]\nstart = '2011-12'\nlabel = 'Early'\n",
                     "phases[1].start", "phase 'Early' at 2011-12 is outside the run",
                     id="phase-before-start"),
        pytest.param(BASE + "burn_in = -1\n", "scenario.burn_in", "integer from 0 to 50",
                     id="burn-in-negative"),
        pytest.param(BASE + "burn_in = 2.5\n", "scenario.burn_in", "integer from 0 to 50",
                     id="burn-in-float"),
        pytest.param(BASE + "burn_in = 51\n", "scenario.burn_in", "integer from 0 to 50",
                     id="burn-in-too-long"),
        pytest.param(BASE + "[[phases]]\nstart = '2013-01'\npolicy.rotation.contract_yeers = 1\n",
                     "phases[1].policy.rotation.contract_yeers",
                     "did you mean 'policy.rotation.contract_years'?", id="phase-unknown-key"),
        pytest.param(BASE + "[[phases]]\nstart = '2013-01'\npolicy.rotation.contract_years = -1\n",
                     "phases[1].policy.rotation.contract_years", "out of range",
                     id="phase-out-of-range"),
        pytest.param(BASE + "[[phases]]\nstart = '2013-01'\nlabel = 5\n", "phases[1].label",
                     "expected a string", id="phase-label-not-string"),
        pytest.param(BASE + "[phases]\nstart = '2013-01'\n", "phases",
                     "expected an array of tables [[phases]]", id="phases-not-array"),
        pytest.param("scenario = 'X'\n", "scenario", "expected a table [scenario]",
                     id="scenario-not-table"),
    ],
)
def test_bad_input(write, registry: Registry, text: str, key: str, fragment: str) -> None:
    path = write("bad.toml", text)
    with pytest.raises(InputError) as err:
        load_scenario(path, registry=registry)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {key}: "), message
    assert fragment in message
    assert err.value.file == path and err.value.key == key


def test_missing_file(tmp_path: Path, registry: Registry) -> None:
    path = str(tmp_path / "absent.toml")
    with pytest.raises(InputError, match="file not found") as err:
        load_scenario(path, registry=registry)
    assert str(err.value).startswith(path + ": ")


def test_broken_toml_names_line_and_column(write, registry: Registry) -> None:
    path = write("broken.toml", '[scenario]\nname = "X"\nyears = = 3\n')
    with pytest.raises(InputError, match=r"invalid TOML: .*line 3, column \d+") as err:
        load_scenario(path, registry=registry)
    assert str(err.value).startswith(path + ": ") and "\n" not in str(err.value)


def test_circular_extends(write, registry: Registry) -> None:
    a = write("a.toml", '[scenario]\nname = "A"\nextends = "b.toml"\n')
    b = write("b.toml", '[scenario]\nname = "B"\nextends = "a.toml"\n')
    with pytest.raises(InputError) as err:
        load_scenario(a, registry=registry)
    assert str(err.value) == f"{b}: scenario.extends: circular extends: {a} -> {b} -> {a}"


def test_self_extends(write, registry: Registry) -> None:
    a = write("a.toml", '[scenario]\nname = "A"\nextends = "a.toml"\n')
    with pytest.raises(InputError, match="circular extends") as err:
        load_scenario(a, registry=registry)
    assert str(err.value).startswith(f"{a}: scenario.extends: ")


def test_error_in_extended_file_names_that_file(write, registry: Registry) -> None:
    base = write("base.toml", BASE + "[policy]\nrotation.contract_years = 99\n")
    child = write("child.toml", '[scenario]\nextends = "base.toml"\n')
    with pytest.raises(InputError) as err:
        load_scenario(child, registry=registry)
    assert str(err.value).startswith(f"{base}: policy.rotation.contract_years: ")


def test_inherited_phase_outside_shorter_child_run(write, registry: Registry) -> None:
    base = write("base.toml", BASE + "[[phases]]\nstart = '2020-01'\nlabel = 'Late'\n")
    child = write("child.toml", '[scenario]\nextends = "base.toml"\nyears = 5\n')
    with pytest.raises(InputError, match=f"outside the run set by {child}") as err:
        load_scenario(child, registry=registry)
    assert str(err.value).startswith(f"{base}: phases[1].start: ")


@pytest.mark.parametrize(
    ("overrides", "key", "fragment"),
    [
        (["policy.rotation.contract_years"], None, "expected PATH=VALUE"),
        (["=3"], None, "expected PATH=VALUE"),
        (["policy.rotation.contract_yrs=3"], "policy.rotation.contract_yrs",
         "did you mean 'policy.rotation.contract_years'?"),
        (["policy.startloan.budget_standard=median"], "policy.startloan.budget_standard",
         "one of 'sifo', 'actual'"),
        (["policy.followup.family_plan=yes"], "policy.followup.family_plan", "true or false"),
        (["municipality.inhabitants=0"], "municipality.inhabitants", "out of range"),
    ],
)
def test_bad_overrides(write, registry: Registry, overrides: list[str], key: str | None,
                       fragment: str) -> None:
    path = write("ok.toml", BASE)
    with pytest.raises(InputError) as err:
        load_scenario(path, registry=registry, overrides=overrides)
    assert err.value.file == "--set" and err.value.key == key
    assert str(err.value).startswith("--set: ") and fragment in str(err.value)


@pytest.mark.parametrize("years", [0, 101, 2.5, True])
def test_bad_years_argument(write, registry: Registry, years: object) -> None:
    path = write("ok.toml", BASE)
    with pytest.raises(InputError, match="^--years: expected an integer from 1 to 100"):
        load_scenario(path, registry=registry, years=years)  # type: ignore[arg-type]
