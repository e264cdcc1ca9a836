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

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import NEED_EXTENSIVE, NEED_MODERATE

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


def step(m: HousingModel) -> None:
    """One month of work for all active families."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("work", n, 7)
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
        placed = cand[first]
        f.measure_left[placed] = m.towns.at(p["policy.work.measure_months"], placed)

    def each(key: str) -> Any:  # the parameter, or every row's town's in a mixed batch
        return m.towns.at(p[key], slice(0, n))

    # job finding
    rate = m.towns.per_row(p["work.job_finding_rate"])
    rate *= np.where(f.refugee[:n], each("work.refugee_factor"), 1.0)
    need = f.need[:n]
    rate *= np.where(need == NEED_EXTENSIVE, each("work.need_factor_extensive"),
                     np.where(need == NEED_MODERATE, each("work.need_factor_moderate"), 1.0))
    rate *= np.where(f.followed[:n], each("policy.followup.effect_job"), 1.0)
    rate *= np.where(f.network_until[:n] >= m.month, each("policy.followup.network_effect"),
                     1.0)
    rate *= np.where(f.measure_left[:n] > 0, each("policy.work.measure_effect"), 1.0)
    found = (seeking & (u[2] < np.minimum(rate, 0.95))) | intro_job
    # job loss, and temporary jobs becoming permanent
    lost = act & employed & (u[3] < each("work.job_loss_rate"))
    f.permanent[:n] |= act & employed & (u[4] < each("work.permanent_conversion"))
    # unemployment benefit (dagpenger) after a job loss, for a limited time
    f.ub_left[:n] -= act & (f.ub_left[:n] > 0)
    f.ub_left[:n][lost] = p["work.unemployment_benefit_months"]
    f.ub_amount[:n][lost] = p["work.unemployment_benefit_rate"] * f.wage[:n][lost]
    f.employed[:n][lost] = False
    f.permanent[:n][lost] = False
    f.employed[:n][found] = True
    f.permanent[:n][found] = u[4][found] < m.towns.at(p["work.permanent_share"], found)
    f.measure_left[:n][found] = 0
    f.ub_left[:n][found] = 0
    found2 = _second_adults(m, lost, np.minimum(rate, 0.95), u[5], u[6])
    m.flows["entered_work"] += m.towns.count(found | found2)


def _second_adults(m: HousingModel, lost: np.ndarray, rate: np.ndarray, u_find: np.ndarray,
                   u_lose: np.ndarray) -> np.ndarray:
    """The second adult of a couple in which the first works: loses a job at
    ``work.job_loss_rate``, with unemployment benefit after (added to the first's if both
    lost theirs), and finds one at the family's hazard ``rate``; when the first adult has just
    lost a job (``lost``) and the second still works, the second's job becomes the family's
    first (assumption: not permanent). Returns who found work."""
    p, f, n = m.p, m.f, m.f.n
    act = f.active[:n]
    lost2 = act & f.employed2[:n] & (u_lose < m.towns.at(p["work.job_loss_rate"], slice(0, n)))
    benefit = p["work.unemployment_benefit_rate"] * f.wage2[:n]
    f.ub_amount[:n] = np.where(lost2, np.where(lost, f.ub_amount[:n], 0.0) + benefit,
                               f.ub_amount[:n])  # both lost: both benefits
    f.ub_left[:n][lost2] = p["work.unemployment_benefit_months"]
    f.employed2[:n][lost2] = False
    swap = (lost & f.employed2[:n]).nonzero()[0]
    f.wage[swap], f.wage2[swap] = f.wage2[swap], f.wage[swap]
    f.employed[swap] = True
    f.employed2[swap] = False
    found = (act & (f.adults[:n] == 2) & f.employed[:n] & ~f.employed2[:n] & ~lost2
             & (u_find < rate))
    # someone who never worked here earns about what the family's first job pays (assumption)
    f.wage2[:n] = np.where(found & (f.wage2[:n] <= 0), f.wage[:n], f.wage2[:n])
    f.employed2[:n][found] = True
    f.ub_left[:n][found] = 0
    return found
