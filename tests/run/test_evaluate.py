"""The one call (:func:`sim.evaluate`): a scenario, parameter values and outputs in, their
means over replications out — as ``boligsim run`` computes them, with common random numbers
between calls."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.inputs.errors import InputError
from sim.inputs.indicators import INDEX
from sim.run.results import SUMMARIES, summarised_as

VERDAL = Path(__file__).resolve().parents[2] / "scenarios" / "verdal.toml"
OUT = ["homeless@mean", "children_municipal@final", "municipal_net_cost_nok@total"]


def test_evaluate_gives_the_means_of_boligsim_run() -> None:
    """Without parameters, the means are those of the replications ``run_scenario`` makes
    (what ``boligsim run`` writes), to the last bit."""
    sc = sim.load_scenario(VERDAL, years=1, burn_in=1)
    got = sim.evaluate(sc, outputs=OUT, replications=3, seed=7)
    data = sim.run_scenario(sc, replications=3, seed=7).data
    assert list(got) == OUT
    assert got["homeless@mean"] == data[:, :, INDEX["homeless"]].mean(axis=1).mean()
    assert got["children_municipal@final"] == data[:, -1, INDEX["children_municipal"]].mean()
    cost = data[:, :, INDEX["municipal_net_cost_nok"]]
    assert got["municipal_net_cost_nok@total"] == cost.sum(axis=1).mean()


def test_common_random_numbers_and_sampler_values() -> None:
    """A parameter set to the value the scenario has already changes nothing (the same
    seeds); numpy scalars and a sampler's float for an integer are taken; a parameter that
    matters changes the result; a path string works as well as a Scenario."""
    kw = {"outputs": OUT, "years": 1, "burn_in": 1, "replications": 2, "seed": 3}
    base = sim.evaluate(VERDAL, **kw)
    same = sim.load_scenario(VERDAL).params["policy.followup.workers"]
    assert sim.evaluate(VERDAL, {"policy.followup.workers": np.float64(same)}, **kw) == base
    caseload = sim.load_scenario(VERDAL).params["policy.followup.caseload"]
    assert sim.evaluate(VERDAL, {"policy.followup.caseload": float(caseload) + 0.2},
                        **kw) == base  # rounded to the scenario's own integer
    more = sim.evaluate(VERDAL, {"policy.followup.workers": np.int64(int(same) + 5)}, **kw)
    assert more["municipal_net_cost_nok@total"] > base["municipal_net_cost_nok@total"]


def test_bad_names_raise_input_errors_naming_the_key() -> None:
    with pytest.raises(InputError, match="policy.followup.workerz"):
        sim.evaluate(VERDAL, {"policy.followup.workerz": 1}, outputs=OUT, years=1)
    with pytest.raises(InputError, match="homles"):
        sim.evaluate(VERDAL, outputs=["homles@mean"], years=1)
    with pytest.raises(InputError, match="outside the run"):
        sim.evaluate(VERDAL, outputs=["homeless@2040-01"], years=1)


def test_a_value_a_later_phase_changes_is_warned_about() -> None:
    with pytest.warns(sim.PhaseOverrideWarning, match="network"):
        sim.evaluate(VERDAL, {"policy.followup.network": False}, outputs="homeless@mean",
                     years=5, burn_in=0, replications=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sim.evaluate(VERDAL, {"policy.followup.network": False}, outputs="homeless@mean",
                     years=3, burn_in=0, replications=1)  # the phase is after the end


def test_summary_says_and_selects_what_an_indicator_is_summed_up_as() -> None:
    """``summary()`` is the last month for a stock and the total for a flow or money
    indicator (``summarised_as``); ``summary(of=...)`` chooses one for all."""
    result = sim.run_scenario(sim.load_scenario(VERDAL, years=1, burn_in=0), replications=2)
    assert summarised_as("homeless") == "final" and summarised_as("evictions") == "total"
    data = result.data
    default = result.summary()
    assert default["homeless"]["mean"] == data[:, -1, INDEX["homeless"]].mean()
    assert default["evictions"]["mean"] == data[:, :, INDEX["evictions"]].sum(axis=1).mean()
    h = data[:, :, INDEX["homeless"]]
    expected = {"final": h[:, -1], "total": h.sum(axis=1), "mean": h.mean(axis=1),
                "max": h.max(axis=1), "min": h.min(axis=1)}
    assert set(expected) == set(SUMMARIES)
    for of, values in expected.items():
        assert result.summary(of=of)["homeless"]["mean"] == pytest.approx(values.mean()), of
    with pytest.raises(ValueError, match="median"):
        result.summary(of="median")


def test_the_public_names_are_documented() -> None:
    """Every name ``sim`` exports imports and says what it is."""
    for name in sim.__all__:
        value = getattr(sim, name)
        assert name == "__version__" or name == "INDICATORS" or name == "REGISTRY" or \
            (value.__doc__ or "").strip(), name
