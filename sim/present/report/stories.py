"""Family stories: a few simulated families whose housing careers are typical of a pattern.

:func:`choose_stories` looks for families that show each pattern (from municipal rental to a
home of their own, from homelessness to private rental, ...) and picks the most typical one of
each; :func:`story_sentence` tells a family's career in one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine.families import (
    HOMELESS,
    MUNICIPAL,
    OWNER_BANK,
    OWNER_STARTLOAN,
    PRIVATE,
    SUBLET,
    TENURES,
)
from sim.present.report.trajectories import MISSING, Trajectories
from sim.present.report.words import TENURE_WORDS, join_list, month_name, number_words, t

#: The most and fewest family stories told.
MAX_STORIES, MIN_STORIES = 4, 3
#: A family here fewer months than this (or than the run has) is told only when no family here
#: longer shows its pattern: a year's stay makes a thin story.
MIN_STAY_MONTHS = 36

_TENANTS = (MUNICIPAL, SUBLET)
_RENTERS = (*_TENANTS, PRIVATE)
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
    """The index of the first true value, -1 if none."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else -1


# --------------------------------------------------------------------------- patterns
@dataclass(frozen=True)
class _Path:
    """One family's months, as the pattern finders look at them.

    Attributes:
        tenure: tenure each month, ``-1`` when absent.
        here: living in the municipality each month.
        employed: an adult employed each month.
        first: the first month here.
    """

    tenure: np.ndarray
    here: np.ndarray
    employed: np.ndarray
    first: int

    @property
    def start(self) -> int:
        """Tenure in the first month here."""
        return int(self.tenure[self.first])

    @property
    def whole(self) -> bool:
        """Here in every month of the run."""
        return bool(self.here.all())

    @property
    def previous(self) -> np.ndarray:
        """Tenure in the month before each month (``-1`` before the first)."""
        return np.concatenate(([MISSING], self.tenure[:-1]))

    def later(self, mask: np.ndarray) -> int:
        """The first month after the first one here where ``mask`` holds, -1 if none."""
        return _first((np.arange(len(self.tenure)) > self.first) & mask)


def _municipal_to_owner(p: _Path) -> int:
    """A tenant of the municipality who later owns a home: the month of the purchase."""
    return p.later(np.isin(p.tenure, _OWNERS)) if p.start in _TENANTS else -1


def _homeless_to_private(p: _Path) -> int:
    """Homeless at first, later renting privately: the month of the move."""
    return p.later(p.tenure == PRIVATE) if p.start == HOMELESS else -1


def _stays_municipal(p: _Path) -> int:
    """Here all along, always in municipal or sublet housing."""
    return 0 if p.whole and np.isin(p.tenure, _TENANTS).all() else -1


def _lost_home(p: _Path) -> int:
    """A renter who became homeless: the first such month."""
    return _first(np.isin(p.previous, _RENTERS) & (p.tenure == HOMELESS))


def _forced_sale(p: _Path) -> int:
    """An owner who stopped owning while staying here: the first such month."""
    return _first(np.isin(p.previous, _OWNERS) & p.here & ~np.isin(p.tenure, _OWNERS))


def _into_work(p: _Path) -> int:
    """Without work at first, later employed: the month of the job."""
    return -1 if p.employed[p.first] else p.later(p.here & p.employed)


def _steady(p: _Path) -> int:
    """Here all along, in the same tenure."""
    return 0 if p.whole and (p.tenure == p.start).all() else -1


#: Each pattern's finder: the month the pattern shows in a family's path (-1: it does not),
#: in the order stories are looked for; the last always has a family in practice.
_FINDERS = {
    "municipal_to_owner": _municipal_to_owner,
    "homeless_to_private": _homeless_to_private,
    "stays_municipal": _stays_municipal,
    "lost_home": _lost_home,
    "forced_sale": _forced_sale,
    "into_work": _into_work,
    "steady": _steady,
}
#: Patterns in the order stories are looked for.
PATTERNS = tuple(_FINDERS)


def _pattern_months(tr: Trajectories, i: int) -> dict[str, int]:
    """The month each pattern shows in family ``i``'s path (patterns it does not show: absent).
    """
    here = tr.present[:, i]
    path = _Path(tr.tenure[:, i], here, tr.employed[:, i], _first(here))
    if path.first < 0:
        return {}
    months = {pattern: find(path) for pattern, find in _FINDERS.items()}
    return {pattern: m for pattern, m in months.items() if m >= 0}


def choose_stories(tr: Trajectories, limit: int = MAX_STORIES) -> list[Story]:
    """Pick up to ``limit`` families, one per pattern, each typical of its pattern.

    Patterns are tried in the order of :data:`PATTERNS`; the last, a steady home, only while
    fewer than :data:`MIN_STORIES` are found. A family is told once.
    """
    found: dict[str, list[tuple[int, int]]] = {p: [] for p in PATTERNS}
    for i in range(tr.tenure.shape[1]):
        for pattern, month in _pattern_months(tr, i).items():
            found[pattern].append((i, month))
    stories: list[Story] = []
    told: set[int] = set()
    for pattern in PATTERNS:
        if len(stories) >= limit or (pattern == "steady" and len(stories) >= MIN_STORIES):
            break
        candidates = [(i, m) for i, m in found[pattern] if i not in told]
        if candidates:
            i = _most_typical(tr, candidates)
            stories.append(Story(pattern, i))
            told.add(i)
    return stories


def _most_typical(tr: Trajectories, candidates: list[tuple[int, int]]) -> int:
    """The family whose telling month is nearest the median month of all ``candidates``.

    Families here at least :data:`MIN_STAY_MONTHS` (or the whole run, if shorter) come first,
    then families with children (whom the report is about); ties go to the lowest index, so
    the choice is reproducible.

    Args:
        tr: the trajectories.
        candidates: ``(family, month the pattern shows)`` pairs.
    """
    median = float(np.median([m for _, m in candidates]))
    long_enough = min(MIN_STAY_MONTHS, tr.present.shape[0])

    def rank(item: tuple[int, int]) -> tuple[int, int, float, int]:
        i, m = item
        brief = int(np.count_nonzero(tr.present[:, i]) < long_enough)
        no_children = int(tr.children[_first(tr.present[:, i]), i] == 0)
        return (brief, no_children, abs(m - median), i)

    return min(candidates, key=rank)[0]


# --------------------------------------------------------------------------- telling
def story_sentence(tr: Trajectories, i: int, lang: str, max_events: int = 4) -> str:
    """Family ``i``'s career in one sentence, from its monthly states.

    The sentence says who the family is, where it lived at the start (or when it came) and in
    how many rooms (and whether crowded), then up to ``max_events`` changes of home or work in
    order and how many more there were, and how many moves in all when more than one; a
    family that never moved and stayed to the end is said to have stayed.
    """
    ten, here = tr.tenure[:, i], tr.present[:, i]
    first, last = _first(here), int(np.flatnonzero(here)[-1])
    events = _events(tr, i, first, last, lang)
    shown = events[:max_events]
    if len(events) > max_events:
        more = len(events) - max_events
        shown.append(t(lang, "more_event") if more == 1 else
                     t(lang, "more_events", n=number_words(more, lang)))
    moves = sum(_move(tr, i, m, "", lang) is not None for m in range(first + 1, last + 1))
    if moves >= 2:
        shown.append(t(lang, "moves_total", n=number_words(moves, lang)))
    if last == len(ten) - 1 and moves == 0:
        shown.append(t(lang, "stayed_homeless" if ten[first] == HOMELESS else "stayed"))
    opening = _opening(tr, i, first, lang)
    return f"{_subject(tr, i, first, lang)} {join_list([opening, *shown], lang)}."


def _subject(tr: Trajectories, i: int, first: int, lang: str) -> str:
    """Who the family is: ``A couple with a refugee background and 2 children``."""
    adults, kids = int(tr.adults[first, i]), int(tr.children[first, i])
    subject = t(lang, "couple" if adults > 1 else ("single" if kids else "single_nochild"))
    traits = [t(lang, "refugee")] if tr.refugee[first, i] else []
    if kids:
        traits.append(t(lang, "one_child") if kids == 1 else
                      t(lang, "children_n", n=number_words(kids, lang)))
    return f"{subject} {t(lang, 'with')} {join_list(traits, lang)}" if traits else subject


def _home(tr: Trajectories, i: int, m: int, lang: str) -> str:
    """The home's size in brackets, and whether the family lives crowded there: `` (2 rom,
    trangt)``; empty without a home or when sizes were not kept."""
    if tr.rooms is None or tr.rooms[m, i] <= 0:
        return ""
    rooms = int(tr.rooms[m, i])
    words = [t(lang, "rooms_n", n=f"{rooms}+" if rooms >= 5 else rooms)]
    if rooms < min(int(tr.adults[m, i]) + int(tr.children[m, i]), 5):
        words.append(t(lang, "crowded"))
    return f" ({', '.join(words)})"


def _opening(tr: Trajectories, i: int, first: int, lang: str) -> str:
    """Where the family lived at the start, or when it came and where it lived then."""
    tenure = TENURE_WORDS[lang][TENURES[tr.tenure[first, i]]][0] + _home(tr, i, first, lang)
    if first == 0:
        return t(lang, "lived_at_start", tenure=tenure)
    return t(lang, "arrived", date=month_name(tr.dates[first], lang), tenure=tenure)


def _events(tr: Trajectories, i: int, first: int, last: int, lang: str) -> list[str]:
    """Each change of home or work from the family's first month here to its last, in order,
    and its leaving the municipality if it did."""
    events = []
    for m in range(first + 1, last + 1):
        date = month_name(tr.dates[m], lang)
        events += [e for e in (_move(tr, i, m, date, lang), _job_change(tr, i, m, date, lang))
                   if e is not None]
    if last < tr.tenure.shape[0] - 1:
        events.append(t(lang, "left", date=month_name(tr.dates[last + 1], lang)))
    return events


def _move(tr: Trajectories, i: int, m: int, date: str, lang: str) -> str | None:
    """The family's move in month ``m`` in words; ``None`` if it did not move.

    A tenant who becomes homeless was evicted if rent was owed, else had to move out; an owner
    who stops owning had to sell.
    """
    before, now = tr.tenure[m - 1, i], tr.tenure[m, i]
    if now == before:
        if now == PRIVATE and _new_lease(tr, i, m):
            return t(lang, "moved_event", what=t(lang, "moved_home") + _home(tr, i, m, lang),
                     date=date)
        return None
    if now == HOMELESS and before in _RENTERS:
        if tr.rent_arrears[m - 1, i] > 0:
            return t(lang, "evicted", date=date)
        return t(lang, "moved_event", what=t(lang, "moved_out"), date=date)
    what = TENURE_WORDS[lang][TENURES[now]][1] + _home(tr, i, m, lang)
    if before in _OWNERS and now not in _OWNERS:
        what = t(lang, "sold", what=what)
    return t(lang, "moved_event", what=what, date=date)


def _new_lease(tr: Trajectories, i: int, m: int) -> bool:
    """Whether a private renter in month ``m`` lives in another home than the month before
    (a new lease, or another size or zone)."""
    if tr.lease is None or tr.rooms is None or tr.zone is None:
        return False
    return bool(tr.lease[m, i] != tr.lease[m - 1, i] or tr.rooms[m, i] != tr.rooms[m - 1, i]
                or tr.zone[m, i] != tr.zone[m - 1, i])


def _job_change(tr: Trajectories, i: int, m: int, date: str, lang: str) -> str | None:
    """Finding or losing work in month ``m`` in words; ``None`` if neither."""
    before, now = tr.employed[m - 1, i], tr.employed[m, i]
    if now and not before:
        return t(lang, "got_job", date=date)
    if before and not now:
        return t(lang, "lost_job", date=date)
    return None
