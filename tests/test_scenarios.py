"""The municipal models' mechanisms move outcomes the way Røe (2018) describes.

Paired runs: replication k of every scenario uses the same seed (common random numbers), so a
difference between two scenarios is the policy, not luck. Assertions are directions and rough
sizes, with the measured numbers in the messages.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.engine.families import MUNICIPAL, SUBLET
from sim.engine.model import HousingModel
from sim.inputs.indicators import INDEX
from sim.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
R = 16  # replications per scenario


def runs(scenario, r: int = R) -> np.ndarray:
    """History arrays (r x months x indicators) of ``r`` paired replications."""
    return np.array([HousingModel(scenario, rng=np.random.SeedSequence([2018, k])).run()
                     for k in range(r)])


def scenario(name: str, *overrides: str, years: int | None = None):
    return load_scenario(ROOT / "scenarios" / name, overrides=list(overrides), years=years)


def at(date_text: str, sc) -> int:
    """0-based month index of ``date_text`` in scenario ``sc``."""
    from sim.inputs.calendar import months_between
    return months_between(sc.start, date_text)


def paired_diff(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean of b - a over paired replications and its 95 % half-width."""
    d = b - a
    return float(d.mean()), float(1.96 * d.std(ddof=1) / np.sqrt(len(d)))


# ------------------------------------------------------------------------------ Verdal
def _verdal_children(tmp_path) -> tuple[np.ndarray, np.ndarray]:
    """Children in municipal dwellings in Verdal under its model and under baseline practice
    (7 years from 2011, the test's replications): ``(model, baseline)``, replications x months."""
    verdal = scenario("verdal.toml")
    base = tmp_path / "verdal_baseline.toml"
    base.write_text(f'[scenario]\nname = "Verdal, baseline practice"\n'
                    f'extends = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n'
                    f'start = "{verdal.start}"\nyears = 7\n'
                    f'[population]\nmunicipal_children_share = 0.22\n')
    v, b = runs(load_scenario(ROOT / "scenarios" / "verdal.toml", years=7)), runs(
        load_scenario(base))
    c = INDEX["children_municipal"]
    return v[:, :, c], b[:, :, c]


def test_verdal_moves_children_out_of_municipal_dwellings(tmp_path):
    """Many children live in Verdal's municipal dwellings when the review begins in 2013;
    under Verdal's model at most a few by 2017 (here: at most 8 children, about three families
    at Verdal's 2.4 children per family), while under baseline practice in the same
    municipality they stay."""
    verdal = scenario("verdal.toml")
    v, b = _verdal_children(tmp_path)
    m2013, m2017 = at("2013-01", verdal), at("2017-01", verdal)
    start, v2017, b2017 = v[:, m2013].mean(), v[:, m2017].mean(), b[:, m2017].mean()
    assert start >= 30, f"children in municipal dwellings in Jan 2013: {start:.1f}"
    assert v2017 <= 8, f"Verdal's model, Jan 2017: {v2017:.1f} children (from {start:.1f})"
    assert b2017 > 40, f"baseline practice, Jan 2017: {b2017:.1f} children"


@pytest.mark.xfail(strict=True, reason=(
    "the calibration target verdal_children_2013 (56 ± 6) is missed at the thirteenth fit: "
    "42 (37-47) over its 20 replications, 44 over those of docs/scenarios.md; 50 at the "
    "twelfth (docs/validation.md, 4)"))
def test_verdal_has_more_than_53_children_in_its_dwellings_in_2013(tmp_path):
    """"More than 53" children in 2013 (Røe (2018) §3.1.1), 56 ± 6: at least 50 within two
    standard errors of the mean over the replications."""
    v, _ = _verdal_children(tmp_path)
    k = at("2013-01", scenario("verdal.toml"))
    start, noise = v[:, k].mean(), v[:, k].std(ddof=1) / np.sqrt(len(v))
    assert start + 2 * noise >= 50, f"children in municipal dwellings in Jan 2013: {start:.1f}"


# ------------------------------------------------------------------------------ Stjørdal
def _large_family_spell_years(sc, reps: int = 24) -> float:
    """Mean spell of large families (5+ persons) in municipal housing, from the monthly exit
    hazard: tenant-months of large families divided by their moves out, in years.

    Few large families move out in a run, so a handful of replications swings the estimate
    by years; 24 give about ±1 year (95 %).
    """
    months_in = exits = 0
    for k in range(reps):
        m = HousingModel(sc, rng=k, compact=False)  # rows stay the same families
        prev = np.zeros(0, dtype=bool)
        m.settle()
        while m.reported < m.months:
            m.step()
            f, n = m.f, m.f.n
            tenant = f.active[:n] & np.isin(f.tenure[:n], (MUNICIPAL, SUBLET))
            exits += int((prev & ~tenant[: len(prev)]).sum())
            prev = tenant & (f.persons >= 5)
            months_in += int(prev.sum())
    return months_in / max(exits, 1) / 12


@pytest.mark.xfail(strict=True, reason=(
    "the report's 10-15 years: at the thirteenth calibration large families' mean spell under "
    "Stjørdal's old practice is 4.0 years (5.1 at the twelfth, 7.2 at the seventh), shortened "
    "by the fitted rates of moving away (docs/validation.md, 5.4)"))
def test_stjordal_old_practice_keeps_large_families_many_years():
    """Under the old practice large families stay many years: a mean spell of at least 7.5
    years over 24 replications, so that at least a quarter of spells last ten years or more."""
    old = dataclasses.replace(scenario("stjordal.toml"), phases=[])
    spell = _large_family_spell_years(old)
    assert spell >= 7.5, f"old practice: mean spell of large families {spell:.1f} years"
    assert np.exp(-10 / spell) >= 0.25


def test_stjordal_reform_shortens_stays_and_opens_vacancies():
    """After the 2015 reform the mean time in municipal housing falls and vacancies do not
    fall, and rise on average, compared with the same municipality kept on the old practice.
    (From a settled start the waiting list is long, so most freed dwellings are let again at
    once: +3.3 ± 3.5 vacant dwellings over the reform's months with 16 replications, +7.5 ± 2.7
    from the drawn population.)"""
    reform = scenario("stjordal.toml")
    old = dataclasses.replace(reform, phases=[])
    a, b = runs(old, 10), runs(reform, 10)
    mm, vac = INDEX["mean_months_in_municipal"], INDEX["vacant_municipal"]
    d_months, hw = paired_diff(a[:, -1, mm], b[:, -1, mm])
    assert d_months + hw < -6, (  # at least half a year shorter: -17 ± 6 months measured
        f"mean months in municipal housing at the end: old {a[:, -1, mm].mean():.0f}, "
        f"reform {b[:, -1, mm].mean():.0f} (diff {d_months:.0f} ± {hw:.0f})")
    after = at("2015-08", reform)
    d_vac = b[:, after:, vac].mean(axis=1) - a[:, after:, vac].mean(axis=1)
    assert (d_vac >= 0).all() and d_vac.mean() > 0, f"vacancies after the reform: {d_vac}"


def test_a_phase_changes_nothing_before_its_date():
    """With the same seed, every month before Stjørdal's reform is identical with and without
    it (and the phases after it), and months after it differ."""
    reform = scenario("stjordal.toml")
    old = dataclasses.replace(reform, phases=[p for p in reform.phases if p.start < "2015-08"])
    a, b = runs(old, 3), runs(reform, 3)
    k = at("2015-08", reform)
    assert np.array_equal(a[:, :k], b[:, :k])
    assert not np.array_equal(a[:, k:], b[:, k:])


# ------------------------------------------------------------------------------ Malvik
def test_malvik_private_rental_and_ownership_are_the_norm():
    """Most of Malvik's disadvantaged families rent privately or own, and it grants start
    loans."""
    h = runs(scenario("malvik.toml"))
    last = h[:, -1]
    own_or_private = (last[:, INDEX["private_rental"]] + last[:, INDEX["owner_startloan"]]
                      + last[:, INDEX["owner_bank"]]) / last[:, INDEX["families"]]
    assert own_or_private.mean() > 0.5, f"renting privately or owning: {own_or_private.mean():.0%}"
    assert h[:, :, INDEX["startloans_granted"]].sum() > 0


@pytest.mark.xfail(strict=True, reason=(
    "a known disagreement with the report: Malvik met Husbanken's aim of half its start loans "
    "to families with children (Røe (2018) §3.3.3); the model's desk, which works towards the "
    "share but refuses no one, grants most of its loans to working tenants without children "
    "moving on from the transit units, and few families with children pass its SIFO-based "
    "assessment (docs/validation.md)"))
def test_malvik_gives_half_its_start_loans_to_families_with_children():
    h = runs(scenario("malvik.toml"))
    granted = h[:, :, INDEX["startloans_granted"]].sum()
    children = h[:, :, INDEX["startloans_granted_children"]].sum()
    assert children / granted >= 0.5, f"{children:.0f} of {granted:.0f} to families with children"


# ------------------------------------------------------------------------------ levers
FLEXIBLE = ("policy.startloan.budget_standard=actual",
            "policy.startloan.income_requirement=stable_income",
            "policy.startloan.term_years=50", "policy.startloan.fixed_rate=true",
            "policy.startloan.outreach=true")


def test_flexible_start_loans_raise_ownership():
    """Verdal's flexible start-loan practice (actual spending, stable income, 50 years, fixed
    rate, outreach) makes more disadvantaged families owners than the bank-like practice."""
    strict, flexible = runs(scenario("baseline.toml")), runs(scenario("baseline.toml", *FLEXIBLE))
    o = INDEX["owner_startloan"]
    d, hw = paired_diff(strict[:, -1, o], flexible[:, -1, o])
    assert d - hw > 5, f"start-loan owners after 10 years: +{d:.1f} ± {hw:.1f}"


def test_start_loan_defaults_stay_rare_under_flexible_practice():
    """Forced sales stay rare: under 2 % of start-loan owner-years (Husbanken's net losses of
    4-7 million NOK a year nationally bound them far lower, Husbanken (n.d.-c)). At the
    thirteenth calibration 1.7 % (68 in 3,993 owner-years); at the twelfth, 2.7 %, a strict
    expected failure then (docs/validation.md, 5.3)."""
    flexible = runs(scenario("baseline.toml", *FLEXIBLE))
    owner_years = flexible[:, :, INDEX["owner_startloan"]].sum() / 12
    forced = flexible[:, :, INDEX["forced_sales_startloan"]].sum()
    rate = forced / max(owner_years, 1)
    assert rate < 0.02, (f"start-loan forced sales: {forced:.0f} in {owner_years:.0f} "
                         f"owner-years ({rate:.2%} a year)")


def test_more_follow_up_capacity_lowers_evictions_and_raises_work():
    """Six caseworkers instead of one (same practice otherwise) mean fewer evictions and more
    families in work."""
    one, six = runs(scenario("baseline.toml")), runs(scenario("baseline.toml",
                                                              "policy.followup.workers=6"))
    ev = INDEX["evictions"]
    d, hw = paired_diff(one[:, :, ev].sum(axis=1), six[:, :, ev].sum(axis=1))
    assert d + hw < 0, f"evictions over 10 years: {d:+.1f} ± {hw:.1f}"
    w = INDEX["families_in_work"]
    d, hw = paired_diff(one[:, -1, w], six[:, -1, w])
    assert d - hw > 0, f"families in work after 10 years: {d:+.1f} ± {hw:.1f}"


# ------------------------------------------------------------------------------ every file
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_checks_and_runs_two_years(path, tmp_path):
    """`boligsim check` accepts every bundled scenario, and it runs for two years."""
    rel = path.relative_to(ROOT).as_posix()
    check = subprocess.run([sys.executable, "-m", "sim", "check", rel], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    run = subprocess.run([sys.executable, "-m", "sim", "run", rel, "--years", "2", "--quiet",
                          "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "timeseries.csv").exists()
