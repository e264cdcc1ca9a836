"""Work (:mod:`sim.engine.processes.work`): job finding, the introduction programme, follow-up's
effect, unemployment benefit.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

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
