"""Tests of the family stories on hand-made paths (sim/present/report/stories.py)."""

from __future__ import annotations

import numpy as np

from sim.engine.families import HOMELESS, MUNICIPAL, OWNER_BANK, OWNER_STARTLOAN, PRIVATE
from sim.present.report import Trajectories, choose_stories, story_sentence

ABSENT = -1


def _trajectories(tenure: list[list[int]], employed: list[list[bool]] | None = None,
                  rent_arrears: list[list[float]] | None = None) -> Trajectories:
    """Families' paths from January 2020, one list of monthly tenures per family (each a
    single parent with two children)."""
    ten = np.array(tenure, dtype=np.int16).T
    months, n = ten.shape
    shape = (months, n)
    return Trajectories(
        scenario="Test", dates=[f"2020-{m:02d}" for m in range(1, months + 1)], tenure=ten,
        employed=np.array(employed, dtype=bool).T if employed else np.zeros(shape, bool),
        net_income=np.full(shape, 20000.0), allowance=np.zeros(shape),
        social_assistance=np.zeros(shape), loan_principal=np.zeros(shape),
        rent_arrears=np.array(rent_arrears, dtype=float).T if rent_arrears else np.zeros(shape),
        adults=np.ones(shape, dtype=np.int16), children=np.full(shape, 2, dtype=np.int16),
        refugee=np.zeros(shape, dtype=bool))


def _three_families() -> Trajectories:
    """Municipal -> owner (and a job), private throughout, arrives later homeless -> private."""
    m, o, p, a, h = MUNICIPAL, OWNER_STARTLOAN, PRIVATE, ABSENT, HOMELESS
    return _trajectories(
        [[m, m, m, o, o, o], [p] * 6, [a, a, a, h, h, p]],
        employed=[[False, False, True, True, True, True], [False] * 6, [False] * 6])


def test_stories_pick_one_family_per_pattern_and_tell_it() -> None:
    tr = _three_families()
    stories = choose_stories(tr)
    patterns = {s.pattern: s.family for s in stories}
    assert patterns["municipal_to_owner"] == 0
    assert patterns["homeless_to_private"] == 2
    assert len({s.family for s in stories}) == len(stories)
    nb = story_sentence(tr, 0, "nb")
    assert nb.startswith("En enslig forsørger med to barn bodde i kommunal utleiebolig ved starten")
    assert "fikk jobb i mars 2020" in nb and "kjøpte bolig med startlån i april 2020" in nb
    en = story_sentence(tr, 2, "en")
    assert "came to the municipality in April 2020" in en
    assert "moved to a privately rented home in June 2020" in en
    assert story_sentence(tr, 1, "en").endswith("stayed there throughout.")


def test_losing_the_home_selling_and_leaving_are_told() -> None:
    m, b, p, h, a = MUNICIPAL, OWNER_BANK, PRIVATE, HOMELESS, ABSENT
    tr = _trajectories([[m, m, h, h], [p, p, h, h], [b, p, p, a], [h, h, h, h]],
                       rent_arrears=[[0, 5000, 0, 0], [0] * 4, [0] * 4, [0] * 4])
    assert story_sentence(tr, 0, "en").endswith(
        "was evicted for rent arrears and became homeless in March 2020.")
    assert "had to move out and became homeless in March 2020" in story_sentence(tr, 1, "en")
    sold = story_sentence(tr, 2, "en")
    assert "had to sell the home and moved to a privately rented home in February 2020" in sold
    assert sold.endswith("moved away from the municipality in April 2020.")
    assert story_sentence(tr, 3, "en").endswith("remained homeless throughout.")
    patterns = {s.pattern for s in choose_stories(tr)}
    assert {"lost_home", "forced_sale"} <= patterns


def test_a_long_career_is_cut_short_with_a_count() -> None:
    m, p = MUNICIPAL, PRIVATE
    tr = _trajectories([[m, p, m, p, m, p, m]])
    sentence = story_sentence(tr, 0, "en", max_events=2)
    assert "in February 2020" in sentence and "in March 2020" in sentence
    assert "April" not in sentence
    assert sentence.endswith(", had four more changes and moved six times in all.")
    assert "and and" not in sentence
    assert "og og" not in story_sentence(tr, 0, "nb", max_events=2)


def test_one_more_change_is_said_in_the_singular() -> None:
    """"hadde én endring til", not "hadde 1 endringer til"; and the moves are counted."""
    m, p = MUNICIPAL, PRIVATE
    tr = _trajectories([[m, p, m, p]])
    assert story_sentence(tr, 0, "nb", max_events=2).endswith(
        ", hadde én endring til og flyttet tre ganger i alt.")
    assert story_sentence(tr, 0, "en", max_events=2).endswith(
        ", had one more change and moved three times in all.")


def test_stories_tell_the_size_of_each_home_and_moves_within_private_rental() -> None:
    """With homes kept, a family's home is told with its rooms and whether it is crowded
    there, and a move from one private rental to a larger one is a move."""
    p = PRIVATE
    tr = _trajectories([[p, p, p, p]])
    tr.rooms = np.array([[2], [2], [4], [4]], dtype=np.int16)
    tr.zone = np.zeros((4, 1), dtype=np.int16)
    tr.lease = np.array([[1.0], [1.0], [0.9], [0.9]])
    en = story_sentence(tr, 0, "en")
    assert en.startswith("A single parent with two children lived in private rental (2 rooms, "
                         "crowded) at the start and moved to another privately rented home "
                         "(4 rooms) in March 2020")
    assert not en.endswith("stayed there throughout.")
    nb = story_sentence(tr, 0, "nb")
    assert "(2 rom, trangt)" in nb and "(4 rom)" in nb


def test_a_family_here_for_a_few_months_is_told_only_if_none_stays_longer() -> None:
    """Of two families who went from homeless to a private rental, the first (which wins a
    tie) stayed only four months; the other stayed the whole run and is told."""
    a, h, p = ABSENT, HOMELESS, PRIVATE
    brief = [a] * 40 + [h, h, p, p] + [a] * 4
    whole = [h] * 20 + [p] * 28
    tr = _trajectories([brief, whole])
    assert [s.family for s in choose_stories(tr) if s.pattern == "homeless_to_private"] == [1]
    only = _trajectories([brief])
    assert [s.family for s in choose_stories(only) if s.pattern == "homeless_to_private"] == [0]
