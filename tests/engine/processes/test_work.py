"""Work (:mod:`sim.engine.processes.work`): job finding, the introduction programme, follow-up's
effect, unemployment benefit.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import numpy as np
import pytest
from process_helpers import (
    add,
    make,
)

from sim.engine.families import (
    PRIVATE,
)
from sim.engine.model import HousingModel
from sim.engine.processes import (
    work,
)


def _work_model(*overrides: str, force: dict[str, float] | None = None) -> HousingModel:
    return make("work.job_loss_rate=0.0", "work.permanent_conversion=0.0", *overrides,
                dwellings=0, force=force)


def test_job_finding_employs_searchers_only() -> None:
    """With a certain job-finding rate nearly every job seeker is employed within the month
    (the monthly chance is capped at 95 %), in a permanent job when all new jobs are; families
    on disability pension or in the introduction programme are not seeking and stay out of
    work; entered_work counts the new jobs."""
    m = _work_model("work.permanent_share=1.0", force={"work.job_finding_rate": 1.0})
    seekers = add(m, 400)
    disabled = add(m, 50, disability=True)
    intro = add(m, 50, intro_left=10)
    work.step(m)
    f = m.f
    share = f.employed[seekers].mean()
    assert 0.9 <= share < 1.0
    assert f.permanent[seekers][f.employed[seekers]].all()
    assert not f.employed[disabled].any() and not f.employed[intro].any()
    assert m.flows["entered_work"] == f.employed[seekers].sum()


def test_no_job_finding_at_rate_zero() -> None:
    """With job finding switched off nobody finds work."""
    m = _work_model("work.job_finding_rate=0.0")
    seekers = add(m, 200)
    work.step(m)
    assert not m.f.employed[seekers].any() and m.flows["entered_work"] == 0


@pytest.mark.parametrize("exit_share", [0.0, 1.0])
def test_introduction_programme_counts_down(exit_share: float) -> None:
    """The introduction programme counts down a month at a time; those finishing it leave into
    work at the observed share (all or none here); those still in it do not look for work."""
    m = _work_model("work.job_finding_rate=0.0", f"work.intro_exit_job_share={exit_share}")
    going_on = add(m, 20, intro_left=3)
    finishing = add(m, 20, intro_left=1)
    work.step(m)
    f = m.f
    assert (f.intro_left[going_on] == 2).all() and (f.intro_left[finishing] == 0).all()
    assert not f.employed[going_on].any()
    assert (f.employed[finishing] == bool(exit_share)).all()


def test_followup_multiplies_job_finding() -> None:
    """Follow-up triples the job-finding rate here: among 3,000 followed and 3,000 identical
    unfollowed job seekers, about 30 % and 10 % find work in the month."""
    m = _work_model("work.job_finding_rate=0.1", "policy.followup.effect_job=3.0")
    followed = add(m, 3000, followed=True)
    alone = add(m, 3000)
    work.step(m)
    a, b = m.f.employed[followed].mean(), m.f.employed[alone].mean()
    assert 0.26 < a < 0.34
    assert 0.07 < b < 0.13
    assert a > 2 * b


def test_job_loss_brings_unemployment_benefit_for_a_limited_time() -> None:
    """A family that loses its job gets 62.4 % of its wage as dagpenger, for the registry's
    number of months; then the benefit stops."""
    from sim.engine.processes.economy import gross_income

    m = make("work.unemployment_benefit_months=2", "work.job_finding_rate=0.0",
             force={"work.job_loss_rate": 1.0})
    i = add(m, tenure=PRIVATE, employed=True, permanent=True, wage=30000.0)
    work.step(m)
    assert not m.f.employed[i]
    assert gross_income(m)[i] == pytest.approx(0.624 * 30000.0)
    work.step(m)
    assert gross_income(m)[i] == pytest.approx(0.624 * 30000.0)
    work.step(m)
    assert gross_income(m)[i] == 0


def test_the_second_adult_of_a_working_couple_finds_and_loses_work() -> None:
    """In a couple where the first adult works, the second finds a job at the family's hazard;
    a working second adult loses it at the job-loss rate with unemployment benefit. When the
    first adult loses the job and the second works, the second's job becomes the family's:
    the family is still in work and draws the benefit for the lost job."""
    m = make("work.permanent_conversion=0.0", dwellings=0,
             force={"work.job_finding_rate": 0.95, "work.job_loss_rate": 0.0})
    seeker = add(m, 200, adults=2, employed=True, wage=30000.0)
    single = add(m, 50, adults=1, employed=True, wage=30000.0)
    work.step(m)
    f = m.f
    assert 0.85 < f.employed2[seeker].mean() <= 1 and not f.employed2[single].any()
    assert (f.wage2[seeker][f.employed2[seeker]] == 30000.0).all()
    m = make("work.permanent_conversion=0.0", dwellings=0,
             force={"work.job_finding_rate": 0.0, "work.job_loss_rate": 1.0})
    pair = add(m, adults=2, employed=True, permanent=True, wage=30000.0, employed2=True,
               wage2=20000.0)
    work.step(m)
    f = m.f
    # both lose the job this month: no job left, benefit on the second's lost wage
    assert not f.employed[pair][0] and not f.employed2[pair][0]
    assert f.ub_left[pair][0] == m.p["work.unemployment_benefit_months"]
    assert f.ub_amount[pair][0] == pytest.approx(m.p["work.unemployment_benefit_rate"] * 50000)
    m = make("work.permanent_conversion=0.0", dwellings=0,
             force={"work.job_finding_rate": 0.0, "work.job_loss_rate": 0.0})
    pair = add(m, adults=2, employed=True, permanent=True, wage=30000.0, employed2=True,
               wage2=20000.0)
    lost = np.zeros(m.f.n, bool)
    lost[pair] = True  # the first adult lost the job (as work.step decides): the second's
    m.f.employed[pair] = m.f.permanent[pair] = False  # becomes the family's
    work._second_adults(m, lost, np.zeros(m.f.n), np.ones(m.f.n), np.ones(m.f.n))
    assert m.f.employed[pair][0] and not m.f.employed2[pair][0]
    assert m.f.wage[pair][0] == 20000.0 and m.f.wage2[pair][0] == 30000.0
