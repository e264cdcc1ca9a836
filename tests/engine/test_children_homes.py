"""What a model does to children's homes: moves and months in insecure housing.

The indicators ``child_moves`` and ``child_months_insecure`` are recounted here from the
families' homes before and after each month, without the engine's bookkeeping (its time in
tenure): a family moved when its tenure, its municipal dwelling or its private lease changed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.engine.families import HOMELESS
from sim.engine.model import HousingModel
from sim.inputs.indicators import INDEX
from sim.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
#: Three-year contracts with exit requests that are enforced: many moves within three years.
ROTATION = ["policy.rotation.contract_years=3", "policy.rotation.enforce_exit=true"]


def _model(overrides: list[str], seed: int, years: int = 4) -> HousingModel:
    sc = load_scenario(BASELINE, overrides=overrides, years=years, burn_in=0)
    return HousingModel(sc, rng=seed, compact=False)


def _homes(m: HousingModel) -> dict[str, np.ndarray]:
    f, n = m.f, m.f.n
    return {"active": f.active[:n].copy(), "tenure": f.tenure[:n].copy(),
            "dwelling": f.dwelling[:n].copy(), "lease": f.rent_factor[:n].copy()}


def test_children_moves_and_insecure_months_recounted_from_homes() -> None:
    m = _model(ROTATION, seed=3)
    moved_any = insecure_any = 0.0
    for _ in range(m.months):
        before = _homes(m)
        m.step()
        f, k = m.f, len(before["active"])
        after = _homes(m)
        stayed = before["active"] & after["active"][:k]  # present before and after the month
        changed = ((before["tenure"] != after["tenure"][:k])
                   | (before["dwelling"] != after["dwelling"][:k])
                   | (before["lease"] != after["lease"][:k]))
        kids = f.n_children
        row = m.history[m.reported - 1]
        assert row[INDEX["child_moves"]] == kids[:k][stayed & changed].sum()
        n = f.n
        insecure = f.active[:n] & ((f.tenure[:n] == HOMELESS) | (f.exit_by[:n] >= 0))
        assert row[INDEX["child_months_insecure"]] == kids[insecure].sum()
        moved_any += row[INDEX["child_moves"]]
        insecure_any += row[INDEX["child_months_insecure"]]
    assert moved_any > 0 and insecure_any > 0  # the checks above were not all 0 == 0


def test_contracts_that_end_move_children_more() -> None:
    """Three-year contracts with enforced exits make children move more than indefinite
    leases, in paired runs: the mean paired difference over 16 seeds is more than two standard
    errors above zero (measured at the ninth calibration: +23 moves over six years, standard
    error 7; at the seventh +50 and 9 over 8 seeds — faster private search since then gives
    families fewer moves through homelessness)."""
    diff = []
    for seed in range(16):
        base, rot = _model([], seed, years=6), _model(ROTATION, seed, years=6)
        base.run()
        rot.run()
        diff.append(rot.history[:, INDEX["child_moves"]].sum()
                    - base.history[:, INDEX["child_moves"]].sum())
    mean, se = np.mean(diff), np.std(diff, ddof=1) / np.sqrt(len(diff))
    assert mean > 2 * se, diff
