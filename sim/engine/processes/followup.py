"""Follow-up (booppfølging): caseworkers, visits, family plans and the cross-agency network.

Capacity is staff times caseload (``policy.followup.workers`` x ``policy.followup.caseload``;
Verdal three follow-up workers, Stjørdal five staff, Røe (2018) §3.1.2, §3.2.2). Who is eligible
is the municipality's mode: only families in arrears or conflict (the traditional practice),
all municipal and sublet tenants, all families, or families paid social assistance for
``policy.followup.long_assistance_months`` in a row (Trondheim-Lerkendal's family project,
Røe (2018) §2.2). Families in arrears come first (preventing
evictions), then families already followed (continuity), then families with children, then by
need, ties at random. What follow-up does is applied where it acts — job finding
(:mod:`~sim.engine.processes.work`), payment failures and evictions
(:mod:`~sim.engine.processes.economy`, :mod:`~sim.engine.processes.tenancy`), debt counselling
(here), private search (:mod:`~sim.engine.processes.search`) and readiness to buy
(:mod:`~sim.engine.processes.ownership`) — each through a named ``policy.followup.effect_*``
parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import is_tenant

if TYPE_CHECKING:
    from sim.engine.model import HousingModel


class Network:
    """The cross-agency network's calendar: it meets every ``policy.followup.network_weeks``
    weeks and takes up ``policy.followup.network_families`` families a meeting, so a month
    holds a fraction of a meeting's families; the fractions carry over to the next month."""

    def __init__(self) -> None:
        self.carry = 0.0

    def families_this_month(self, p: dict[str, Any]) -> int:
        """Families the network takes up this month."""
        self.carry += (52 / 12) / p["policy.followup.network_weeks"] * p[
            "policy.followup.network_families"]
        k = int(self.carry)
        self.carry -= k
        return k


def step(m: HousingModel) -> None:
    """Assign caseworkers, run visits, plans and network meetings, refer to debt counselling."""
    p, f, n = m.p, m.f, m.f.n
    u = m.streams.uniform("followup", n, 3)
    act = f.active[:n]
    tenant = is_tenant(f.tenure[:n])
    conflict = (f.rent_arrears[:n] > 0) | (f.loan_arrears[:n] > 0)
    mode = p["policy.followup.mode"]
    eligible = act & (conflict if mode == "conflict" else
                      conflict | tenant if mode == "tenants" else
                      f.sa_months[:n] >= p["policy.followup.long_assistance_months"]
                      if mode == "long_assistance" else np.ones(n, bool))
    capacity = np.rint(p["policy.followup.workers"] * p["policy.followup.caseload"])
    keep = f.followed[:n] & eligible
    f.followed[:n] = False
    # continuity first, then priority: arrears, children, need; random tie-break
    cand = eligible.nonzero()[0]
    if len(cand) and np.any(capacity > 0):
        kids = f.n_children[cand] > 0
        first = m.towns.first((u[0][cand], -f.need[:n][cand], ~kids, ~keep[cand],
                                  ~conflict[cand]), cand, capacity)
        f.followed[cand[first]] = True
    followed = f.followed[:n]
    f.followed_months[:n] = np.where(followed, f.followed_months[:n] + 1, 0)
    # visits: after one month a visit, then a housing-career plan (Røe §3.1.2)
    if p["policy.followup.visits"]:
        f.career_plan[:n] |= followed & (f.followed_months[:n] >= 1)
    # family plan with a monthly budget for followed families (Røe §3.2.1)
    f.plan[:n] = followed & p["policy.followup.family_plan"]
    # the cross-agency network takes up a number of families a month (Røe §3.1.1)
    if p["policy.followup.network"]:
        k = m.network.families_this_month(p)
        cand = (followed & (f.network_until[:n] < m.month)).nonzero()[0]
        if k and len(cand):
            problems = (conflict[cand].astype(int) + ~f.employed[:n][cand]
                        + (f.debt[:n][cand] > 0))
            first = m.towns.first((u[1][cand], -problems), cand, k)
            f.network_until[cand[first]] = m.month + 6
    # referral to debt counselling
    indebted = (act & ((f.debt[:n] > 0) | f.remark[:n]) & (f.counselling_left[:n] == 0)
                & ~f.cleared[:n])
    rows = slice(0, n)  # a parameter for every row: its town's in a mixed batch
    rate = np.where(followed, m.towns.at(p["policy.followup.effect_counselling"], rows),
                    m.towns.at(p["economy.counselling_referral"], rows))
    rate = rate * np.where(f.network_until[:n] >= m.month,
                           m.towns.at(p["policy.followup.network_effect"], rows), 1)
    start = indebted & (u[2] < np.minimum(rate, 1.0))
    f.counselling_left[:n][start] = m.towns.at(p["economy.counselling_months"], start)
