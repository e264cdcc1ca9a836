"""Whom the caseworkers follow: the mode decides who is eligible, capacity how many."""

from __future__ import annotations

from sim.engine.families import PRIVATE
from sim.engine.processes import followup
from tests.engine.processes.process_helpers import add, make


def test_long_assistance_mode_follows_only_families_long_on_social_assistance() -> None:
    """Trondheim-Lerkendal's family project: with room for all, only the families paid social
    assistance for twelve months in a row are followed, not those on it for a shorter time
    nor those in arrears."""
    m = make("policy.followup.mode=long_assistance", "policy.followup.workers=10")
    long_on = add(m, 4, tenure=PRIVATE, sa_months=12, children=(5.0,))
    short = add(m, 4, tenure=PRIVATE, sa_months=11, children=(5.0,))
    behind = add(m, 4, tenure=PRIVATE, sa_months=0, rent_arrears=5000.0)
    followup.step(m)
    assert m.f.followed[long_on].all()
    assert not m.f.followed[short].any() and not m.f.followed[behind].any()


def test_social_assistance_months_count_in_a_row() -> None:
    """A month paid social assistance adds one; a month without starts the count again."""
    from sim.engine.processes import economy

    m = make()
    poor = add(m, 3, tenure=PRIVATE, sa_claimant=True, sa_months=5)
    earning = add(m, 3, tenure=PRIVATE, sa_claimant=True, sa_months=5, employed=True,
                  permanent=True, wage=90000.0)
    economy.step(m)
    f = m.f
    assert (f.social_assistance[poor] > 0).all() and (f.social_assistance[earning] == 0).all()
    assert (f.sa_months[poor] == 6).all() and (f.sa_months[earning] == 0).all()
