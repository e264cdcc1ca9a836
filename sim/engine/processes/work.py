"""Work: the introduction programme, employment measures, job finding and job loss.

Job finding is a monthly hazard (``work.job_finding_rate``, calibrated: no public figure for
social-assistance recipients, docs/sources.md) multiplied by the family's situation —
refugee background after the programme, need level — and by what the municipality does:
follow-up (``policy.followup.effect_job``), a cross-agency network meeting
(``policy.followup.network_effect``) and a place in an employment measure
(``policy.work.measure_effect``; wage subsidy, Jobbsjansen, mentors, Røe (2018) §3.2.2).
Refugees leave the introduction programme with the observed share in work
(``work.intro_exit_job_share``; 61–65 % in work or education, IMDi). A family that loses its
job receives unemployment benefit (dagpenger, ``work.unemployment_benefit_rate`` of the wage)
for ``work.unemployment_benefit_months`` or until it finds work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.families import NEED_EXTENSIVE, NEED_MODERATE

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """One month of work for all active families."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("work", n, 5)
    act = f.active[:n]
    employed = f.employed[:n]
    # introduction programme: count down; at the end some leave into work
    in_intro = act & (f.intro_left[:n] > 0)
    f.intro_left[:n] -= in_intro  # subtracting the flag: no gather and scatter
    leaving = in_intro & (f.intro_left[:n] == 0)
    intro_job = leaving & (u[0] < p["work.intro_exit_job_share"])
    # employment measures: fill free places with the families without work, followed first
    f.measure_left[:n] -= f.measure_left[:n] > 0
    places = p["policy.work.measure_places"] * p["municipality.inhabitants"] / 10_000
    places = places.astype(np.int64) if type(places) is np.ndarray else int(places)
    seeking = act & ~employed & ~f.disability[:n] & (f.intro_left[:n] == 0)
    free = places - m.towns.count(f.measure_left[:n] > 0)  # per town in a batch
    if np.any(free > 0):
        cand = (seeking & (f.measure_left[:n] == 0)).nonzero()[0]
        first = m.towns.first((u[1][cand], ~f.followed[:n][cand]), cand, free)
        f.measure_left[cand[first]] = p["policy.work.measure_months"]
    # job finding
    rate = m.towns.per_row(p["work.job_finding_rate"])
    rate *= np.where(f.refugee[:n], p["work.refugee_factor"], 1.0)
    need = f.need[:n]
    rate *= np.where(need == NEED_EXTENSIVE, p["work.need_factor_extensive"],
                     np.where(need == NEED_MODERATE, p["work.need_factor_moderate"], 1.0))
    rate *= np.where(f.followed[:n], p["policy.followup.effect_job"], 1.0)
    rate *= np.where(f.network_until[:n] >= m.month, p["policy.followup.network_effect"], 1.0)
    rate *= np.where(f.measure_left[:n] > 0, p["policy.work.measure_effect"], 1.0)
    found = (seeking & (u[2] < np.minimum(rate, 0.95))) | intro_job
    # job loss, and temporary jobs becoming permanent
    lost = act & employed & (u[3] < p["work.job_loss_rate"])
    f.permanent[:n] |= act & employed & (u[4] < p["work.permanent_conversion"])
    # unemployment benefit (dagpenger) after a job loss, for a limited time
    f.ub_left[:n] -= act & ~employed & (f.ub_left[:n] > 0)
    f.ub_left[:n][lost] = p["work.unemployment_benefit_months"]
    f.ub_amount[:n][lost] = p["work.unemployment_benefit_rate"] * f.wage[:n][lost]
    f.employed[:n][lost] = False
    f.permanent[:n][lost] = False
    f.employed[:n][found] = True
    f.permanent[:n][found] = u[4][found] < p["work.permanent_share"]
    f.measure_left[:n][found] = 0
    f.ub_left[:n][found] = 0
    m.flows["entered_work"] += m.towns.count(found)
