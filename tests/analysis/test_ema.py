"""boligsim as an EMA Workbench model (:mod:`sim.analysis.ema`): the uncertainties are those
plausible worlds draw, the levers and outcomes are checked, and the model function gives what
:func:`sim.evaluate` gives, with the values held for the whole run."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import sim
from sim.analysis import ema
from sim.analysis.worlds import RANGE, dimensions
from sim.inputs.errors import InputError
from sim.inputs.parameters import REGISTRY

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
VERDAL = SCENARIOS / "verdal.toml"


def test_names_are_identifiers_and_go_back_to_paths() -> None:
    for path in REGISTRY:
        assert ema.name_of(path).isidentifier() and ema.path_of(ema.name_of(path)) == path
    assert ema.outcome_name("homeless@2015-06") == "homeless_2015_06"


def test_uncertainties_are_the_plausible_worlds_ranges() -> None:
    """A parameter with a plausible range is drawn over it; one without, over the band
    around Verdal's own value; none that worlds leave alone (levers, context) is among them."""
    sc = sim.load_scenario(VERDAL)
    drawn = {ema.path_of(u.name): u for u in ema.uncertainties(sc)}
    dims = {d.path: d for d in dimensions(REGISTRY)}
    assert drawn and set(drawn) <= set(dims)
    assert all(REGISTRY[p].kind in ("assumption", "calibrated") for p in drawn)
    for path, u in drawn.items():
        d = dims[path]
        if d.how == RANGE:
            assert (u.lower_bound, u.upper_bound) == pytest.approx((d.low, d.high), abs=0.5)
        else:
            value = sc.params[path]
            assert u.lower_bound <= value <= u.upper_bound, path


def test_levers_and_outcomes_are_checked() -> None:
    workers, network, budget = ema.levers(
        ["policy.followup.workers", "policy.followup.network", "policy.startloan.budget_standard"],
        {"policy.followup.workers": (1, 6)})
    assert (workers.lower_bound, workers.upper_bound) == (1.0, 6.0)
    assert network.name == "policy__followup__network"
    assert set(budget.categories.keys()) == set(REGISTRY["policy.startloan.budget_standard"]
                                                .choices)
    with pytest.raises(InputError, match="not a municipal lever"):
        ema.levers(["market.price_growth"])
    with pytest.raises(InputError, match="policy.followup.workers"):
        ema.levers(["policy.followup.workers"], {"policy.followup.workers": (-1, 6)})
    with pytest.raises(InputError, match="homles"):
        ema.outcomes(["homles@mean"])


def test_the_model_function_is_sim_evaluate_held_for_the_whole_run() -> None:
    """One experiment through the Workbench model's function gives the means
    ``sim.evaluate`` gives with the same values held for the whole run (Verdal's 2015
    network phase does not switch the network back on)."""
    outputs = ["homeless@mean", "followup_cost_nok@total"]
    model = ema.model(VERDAL, outputs, lever_paths=["policy.followup.network"], years=5,
                      burn_in=0, replications=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # held for the whole run: no phase to warn about
        got = model.function(policy__followup__network=False, demography__birth_rate=0.03)
    want = sim.evaluate(VERDAL, {"policy.followup.network": False,
                                 "demography.birth_rate": 0.03}, outputs=outputs, years=5,
                        burn_in=0, replications=1, throughout=True)
    assert got == {"homeless_mean": want["homeless@mean"],
                   "followup_cost_nok_total": want["followup_cost_nok@total"]}
    assert [o.name for o in model.outcomes] == list(got)
