"""Property-based tests: random valid scenarios across the registry's ranges never break the
model's invariants.

Hypothesis draws every registry parameter (small and large municipalities, every lever at its
bounds or in between) and runs the scenario for a few years, checking every month the
invariants of ``test_invariants.check_month``: each family in exactly one tenure, occupancy
within the stock, no negative counts or money, no NaN or infinity, the money identities;
and each family's ledger (``test_invariants.check_ledger``): no krone appears or vanishes.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_invariants import check_ledger, check_month, ledger_start

from sim.engine.model import HousingModel
from sim.inputs.parameters import REGISTRY
from sim.inputs.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"

#: Size parameters kept small so that 200 scenarios run in seconds: the rules do not depend on
#: size, and large sizes are exercised by the benchmarks.
SIZE = {
    "municipality.inhabitants": (500, 15_000),
    "stock.municipal_dwellings": (0, 150),
    "stock.sublet_dwellings": (0, 100),
    "population.initial_families": (0, 250),
    "stock.acquire_per_year": (0.0, 20.0),
    "stock.sublet_add_per_year": (0.0, 20.0),
}
#: How many random scenarios (CI runs at least 200).
EXAMPLES = int(os.environ.get("BOLIGSIM_PROPERTY_EXAMPLES", "200"))


def value(param) -> st.SearchStrategy:
    """Values of one parameter: its bounds, or anything in between."""
    if param.type is bool:
        return st.booleans()
    if param.type is str:
        return st.sampled_from(param.choices)
    lo, hi = SIZE.get(param.path, param.bounds)
    if param.type is int:
        return st.one_of(st.sampled_from([int(lo), int(hi)]), st.integers(int(lo), int(hi)))
    return st.one_of(st.sampled_from([float(lo), float(hi)]),
                     st.floats(float(lo), float(hi), allow_nan=False))


@st.composite
def scenarios(draw) -> tuple[dict, int]:
    """A random valid set of parameters and a seed."""
    params = {path: draw(value(p)) for path, p in REGISTRY.items()}
    return params, draw(st.integers(0, 2**31))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_random_scenarios_keep_every_invariant(case) -> None:
    """Any valid scenario runs three years with every invariant holding every month."""
    params, seed = case
    sc = load_scenario(BASELINE, years=3, burn_in=0).with_overrides(params)
    m = HousingModel(sc, rng=seed, compact=False)  # the ledger check keeps rows in place
    while m.month < m.months:
        before = ledger_start(m)
        m.step()
        check_month(m)
        check_ledger(m, before, "random scenario")
    assert np.isfinite(m.history).all()
