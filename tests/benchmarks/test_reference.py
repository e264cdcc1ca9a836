"""The engine against the per-agent Mesa reference (benchmarks/reference.py).

Both start from the same synthetic population and apply the reference's subset of the rules
(the rest of the engine switched off by ``SUBSET_OVERRIDES``). The cross-check compares
indicator means over paired replications with a family-wise 99 % interval of the paired
difference (Bonferroni over the indicators): the seeds are fixed, so the test is
deterministic, and with correct rules a new set of random numbers fails it with less than
1 % probability. A rule that diverges is caught: the last test changes one rate in the
reference only and expects the check to flag it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.reference import (  # noqa: E402
    COPIED,
    INDICATORS,
    ReferenceModel,
    allowance,
    cross_check,
    format_checks,
    guideline,
    sifo,
    subset_scenario,
)
from sim.engine.finance import housing_allowance, sa_guideline, sifo_budget  # noqa: E402
from sim.engine.model import HousingModel  # noqa: E402
from sim.inputs.indicators import INDEX  # noqa: E402
from sim.run.bench import bench_scenario  # noqa: E402

#: The cross-check's size: a Verdal-size municipality over two years, ten replications.
FAMILIES, YEARS, REPLICATIONS = 500, 2, 10


@pytest.fixture(scope="module")
def scenario():
    """The baseline at 500 families, two years, with the rules outside the subset off."""
    return subset_scenario(bench_scenario(FAMILIES, YEARS))


def test_reference_starts_from_the_engines_population(scenario) -> None:
    """Before the first month the reference's families are the engine's: the same counts in
    every tenure, in work, in arrears, with remarks, and the same vacant dwellings."""
    engine = HousingModel(scenario, 7)
    reference = ReferenceModel(scenario, 7)
    start = dict(zip(INDICATORS, reference.indicators(), strict=True))
    for name in ("families", "homeless", "municipal", "sublet", "private_rental", "owner_bank",
                 "waiting_list", "vacant_municipal", "families_in_work", "in_arrears",
                 "with_payment_remarks"):
        assert start[name] == engine.indicators()[INDEX[name]], name
    f = engine.f
    agents = sorted(reference.agents, key=lambda a: a.unique_id)
    active = np.flatnonzero(f.active[: f.n])
    assert len(agents) == len(active)
    for agent, i in zip(agents[:50], active[:50], strict=True):
        for name in COPIED:
            assert getattr(agent, name) == getattr(f, name)[i].item(), name


def test_reference_refuses_rules_outside_its_subset() -> None:
    """The plain baseline (births, markets, follow-up ... switched on) is refused."""
    with pytest.raises(ValueError, match="subset"):
        ReferenceModel(bench_scenario(100, 1), 0)


def test_scalar_finance_matches_sim_finance() -> None:
    """The plain-Python guideline, SIFO budget and allowance equal sim.engine.finance's
    functions."""
    p = subset_scenario(bench_scenario(100, 1)).params
    caps = [p[f"economy.bostotte_cap_{k}"] for k in range(1, 6)]
    for adults in (1, 2):
        for children in ([], [0.0], [5.99, 6.0], [10.5, 11.0, 17.99], [3.0] * 6):
            ages = np.asarray(children, dtype=float)
            assert guideline(adults, children, p) == float(sa_guideline(
                adults, ages, p["economy.sa_single"], p["economy.sa_couple"],
                p["economy.sa_child_0_5"], p["economy.sa_child_6_10"],
                p["economy.sa_child_11_17"]))
            w2, wc = p["economy.equivalence_second_adult"], p["economy.equivalence_child"]
            assert sifo(adults, len(children), p) == pytest.approx(float(sifo_budget(
                adults, len(children), p["economy.sifo_reference"], 1 + w2 + 2 * wc, w2, wc)),
                rel=1e-15)
            for cost in (0.0, 4000.0, 9000.0, 20000.0):
                for gross in (0.0, 15000.0, 40000.0):
                    persons = adults + len(children)
                    expected = float(housing_allowance(
                        cost, persons, 12 * gross, caps, p["economy.bostotte_min_own"],
                        p["economy.bostotte_own_rate"], p["economy.bostotte_coverage"]))
                    assert allowance(cost, persons, 12 * gross, caps, p) == pytest.approx(
                        expected, rel=1e-15, abs=1e-12)


def test_both_reference_flavours_give_the_same_history() -> None:
    """With the same seed, the reference with scalar finance reproduces the one calling
    sim.engine.finance exactly (same values, so the same random draws and decisions)."""
    s = subset_scenario(bench_scenario(150, 1))
    plain = ReferenceModel(s, 11).run()
    scalar = ReferenceModel(s, 11, scalar_finance=True).run()
    assert np.array_equal(plain, scalar)


def test_engine_and_reference_agree(scenario) -> None:
    """Same starting families, same rules: every compared indicator's paired difference has
    a family-wise 99 % interval that contains zero."""
    checks = cross_check(scenario, REPLICATIONS, seed=0)
    assert all(c.ok for c in checks), "\n" + format_checks(checks)
    # the comparison is not vacuous: the indicators move and the rules are exercised
    by_name = {c.indicator: c for c in checks}
    assert by_name["evictions"].engine > 10 and by_name["allocations"].engine > 10
    assert by_name["families_in_work"].engine > 100


def test_cross_check_detects_a_divergent_rule(scenario) -> None:
    """A reference whose job-finding rate is 1.75 times the engine's is flagged on what work
    decides — families in work or on social assistance (which of them clears the noise
    depends on the calibrated rates: at the ninth calibration social assistance does): the
    check has the power to see a rule that diverges."""
    rate = scenario.params["work.job_finding_rate"]
    checks = cross_check(scenario, REPLICATIONS, seed=0,
                         reference_overrides={"work.job_finding_rate": 1.75 * rate})
    flagged = {c.indicator for c in checks if not c.ok}
    assert flagged & {"families_in_work", "social_assistance_recipients"}, (
        "\n" + format_checks(checks))
