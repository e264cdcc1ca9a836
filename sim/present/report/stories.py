"""Family stories: a few simulated families whose housing careers are typical of a pattern.

:func:`choose_stories` looks for families that show each pattern (from municipal rental to a
home of their own, from homelessness to private rental, ...) and picks the most typical one of
each; :func:`story_sentence` tells a family's career in one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine.families import MUNICIPAL, OWNER_BANK, OWNER_STARTLOAN, PRIVATE, SUBLET, TENURES
from sim.present.report.trajectories import MISSING, Trajectories
from sim.present.report.words import TENURE_WORDS, join_list, month_name, t
from sim.present.text import fmt

#: The most and fewest family stories told.
MAX_STORIES, MIN_STORIES = 5, 3

_RENTERS = (MUNICIPAL, SUBLET, PRIVATE)
_OWNERS = (OWNER_STARTLOAN, OWNER_BANK)


@dataclass
class Story:
    """One family's housing career, chosen to show a pattern.

    Attributes:
        pattern: ``municipal_to_owner``, ``homeless_to_private``, ``stays_municipal``,
            ``lost_home``, ``forced_sale``, ``into_work`` or ``steady``.
        family: the family's index in the run.
        sentence: the career in one sentence.
    """

    pattern: str
    family: int
    sentence: str = ""


def _first(mask: np.ndarray) -> int:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else -1


def _pattern_months(tr: Trajectories, i: int) -> dict[str, int]:
    """The month each pattern shows in family ``i``'s path (patterns it does not show: absent).
    """
    ten, here = tr.tenure[:, i], tr.present[:, i]
    months = len(ten)
    first = _first(here)
    if first < 0:
        return {}
    out: dict[str, int] = {}
    start = ten[first]
    whole = bool(here.all())
    later = np.arange(months) > first
    if start in (MUNICIPAL, SUBLET):
        m = _first(later & np.isin(ten, _OWNERS))
        if m >= 0:
            out["municipal_to_owner"] = m
        if whole and np.isin(ten, (MUNICIPAL, SUBLET)).all():
            out["stays_municipal"] = 0
    if start == 0:  # homeless
        m = _first(later & (ten == PRIVATE))
        if m >= 0:
            out["homeless_to_private"] = m
    prev = np.concatenate(([MISSING], ten[:-1]))
    m = _first(np.isin(prev, _RENTERS) & (ten == 0))
    if m >= 0:
        out["lost_home"] = m
    m = _first(np.isin(prev, _OWNERS) & here & ~np.isin(ten, _OWNERS))
    if m >= 0:
        out["forced_sale"] = m
    emp = tr.employed[:, i]
    if not emp[first]:
        m = _first(later & here & emp)
        if m >= 0:
            out["into_work"] = m
    if whole and (ten == start).all():
        out["steady"] = 0
    return out


#: Patterns in the order stories are looked for; the last always has a family in practice.
PATTERNS = ("municipal_to_owner", "homeless_to_private", "stays_municipal", "lost_home",
            "forced_sale", "into_work", "steady")


def choose_stories(tr: Trajectories, limit: int = MAX_STORIES) -> list[Story]:
    """Pick up to ``limit`` families, one per pattern, each typical of its pattern.

    Among the families that show a pattern, the one whose telling month is nearest the
    median month of them all is chosen, preferring families with children (whom the report is
    about); ties go to the lowest index, so the choice is reproducible. A family is told once.
    """
    found: dict[str, list[tuple[int, int]]] = {p: [] for p in PATTERNS}
    for i in range(tr.tenure.shape[1]):
        for pattern, month in _pattern_months(tr, i).items():
            found[pattern].append((i, month))
    stories: list[Story] = []
    told: set[int] = set()
    for pattern in PATTERNS:
        if len(stories) >= limit:
            break
        if pattern == "steady" and len(stories) >= MIN_STORIES:
            break
        candidates = [(i, m) for i, m in found[pattern] if i not in told]
        if not candidates:
            continue
        median = float(np.median([m for _, m in candidates]))

        def rank(item: tuple[int, int], median: float = median) -> tuple[int, float, int]:
            i, m = item
            first = _first(tr.present[:, i])
            no_children = int(tr.children[first, i] == 0)
            return (no_children, abs(m - median), i)

        i, _ = min(candidates, key=rank)
        stories.append(Story(pattern, i))
        told.add(i)
    return stories


def story_sentence(tr: Trajectories, i: int, lang: str, max_events: int = 4) -> str:
    """Family ``i``'s career in one sentence, from its monthly states."""
    ten, here, emp = tr.tenure[:, i], tr.present[:, i], tr.employed[:, i]
    first = _first(here)
    last = int(np.flatnonzero(here)[-1])
    adults, kids = int(tr.adults[first, i]), int(tr.children[first, i])
    subject = t(lang, "couple" if adults > 1 else ("single" if kids else "single_nochild"))
    traits = [t(lang, "refugee")] if tr.refugee[first, i] else []
    if kids:
        traits.append(t(lang, "one_child") if kids == 1 else
                      t(lang, "children_n", n=fmt(kids, lang)))
    if traits:
        subject += f" {t(lang, 'with')} {join_list(traits, lang)}"
    words = TENURE_WORDS[lang]
    start_words = words[TENURES[ten[first]]][0]
    if first == 0:
        opening = t(lang, "lived_at_start", tenure=start_words)
    else:
        opening = t(lang, "arrived", date=month_name(tr.dates[first], lang), tenure=start_words)
    events: list[str] = []
    moved = False
    for m in range(first + 1, last + 1):
        date = month_name(tr.dates[m], lang)
        if ten[m] != ten[m - 1]:
            moved = True
            what = words[TENURES[ten[m]]][1]
            if ten[m] == 0 and ten[m - 1] in _RENTERS and tr.rent_arrears[m - 1, i] > 0:
                events.append(t(lang, "evicted", date=date))
            elif ten[m] == 0 and ten[m - 1] in _RENTERS:
                events.append(t(lang, "moved_event", what=t(lang, "moved_out"), date=date))
            elif ten[m - 1] in _OWNERS and ten[m] not in _OWNERS:
                events.append(t(lang, "moved_event", what=t(lang, "sold", what=what),
                                date=date))
            else:
                events.append(t(lang, "moved_event", what=what, date=date))
        if emp[m] and not emp[m - 1]:
            events.append(t(lang, "got_job", date=date))
        elif emp[m - 1] and not emp[m]:
            events.append(t(lang, "lost_job", date=date))
    if last < len(ten) - 1:
        events.append(t(lang, "left", date=month_name(tr.dates[last + 1], lang)))
    shown = events[:max_events]
    if len(events) > max_events:
        shown.append(t(lang, "more_events", n=fmt(len(events) - max_events, lang)))
    if not moved and last == len(ten) - 1:
        shown.append(t(lang, "stayed_homeless" if ten[first] == 0 else "stayed"))
    return f"{subject} {join_list([opening, *shown], lang)}."
