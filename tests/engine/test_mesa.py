"""Mesa's conventions (:class:`sim.engine.model.HousingModel` as a :class:`mesa.Model`): built
from a file with parameters as keyword arguments, a ``running`` flag and step count that Mesa's
tools stop by, a ``datacollector`` of every indicator, and ``mesa.batch_run``."""

from __future__ import annotations

import warnings
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from sim.engine.model import HousingModel
from sim.inputs.errors import InputError
from sim.inputs.indicators import INDEX, NAMES
from sim.inputs.scenario import PhaseOverrideWarning

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
VERDAL = str(SCENARIOS / "verdal.toml")


def test_built_from_a_file_with_parameters_as_keywords() -> None:
    """``HousingModel(path, years=, seed=, **{dotted: value})`` loads the file, sets the
    length and the values (numpy scalars too), and is one reproducible run."""
    m = HousingModel(VERDAL, years=1, burn_in=0, seed=3,
                     **{"policy.followup.workers": np.float64(2), "stock.acquire_per_year":
                        np.int64(1)})
    assert m.months == 12 and m.burn_in == 0
    assert m.p["policy.followup.workers"] == 2.0 and m.p["stock.acquire_per_year"] == 1.0
    again = HousingModel(VERDAL, years=1, burn_in=0, seed=3,
                         **{"policy.followup.workers": 2.0, "stock.acquire_per_year": 1})
    np.testing.assert_array_equal(m.run(), again.run())
    with pytest.raises(InputError, match="policy.followup.workerz"):
        HousingModel(VERDAL, years=1, **{"policy.followup.workerz": 2})
    with pytest.raises(TypeError, match="not both"):
        HousingModel(VERDAL, 1, seed=1)


def test_run_model_stops_after_the_last_month_and_steps_count_reported_months() -> None:
    """Mesa's ``run_model()`` runs while ``running``: the burn-in and twelve reported months,
    then stops; ``steps`` counts the reported months, and a step after the end raises
    without counting."""
    m = HousingModel(VERDAL, years=1, burn_in=1, seed=1)
    assert m.running and m.steps == 0
    m.run_model()
    assert not m.running and m.steps == 12 and m.reported == 12 and m.month == 24
    with pytest.raises(RuntimeError, match="all are simulated"):
        m.step()
    assert m.steps == 12


def test_the_datacollector_records_every_indicator_each_reported_month() -> None:
    """``datacollector`` holds one row per reported month (none for the burn-in) and one
    column per indicator, equal to :attr:`history`."""
    m = HousingModel(VERDAL, years=1, burn_in=1, seed=2)
    m.run_model()
    frame = m.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == list(NAMES)
    np.testing.assert_array_equal(frame.to_numpy(), m.history)
    assert HousingModel(VERDAL, years=1, collect=False).datacollector is None


def test_mesa_batch_run_passes_parameters_and_returns_indicators() -> None:
    """``mesa.batch_run`` with a file, a length and a parameter swept over two values, two
    iterations each: four runs whose final month's indicators are columns, and the swept
    value reached the model (the follow-up's cost grows with its caseworkers)."""
    rows = mesa.batch_run(HousingModel, parameters={
        "scenario": VERDAL, "years": 1, "burn_in": 0, "seed": [5],
        "policy.followup.workers": [1.0, 4.0]}, iterations=2, display_progress=False)
    frame = pd.DataFrame(rows)
    assert len(frame) == 4 and set(NAMES) <= set(frame.columns)
    assert (frame["Step"] == 11).all()
    cost = frame.groupby("policy.followup.workers")["followup_cost_nok"].mean()
    assert cost[4.0] == pytest.approx(4 * cost[1.0])
    one = HousingModel(VERDAL, years=1, burn_in=0, seed=5, **{"policy.followup.workers": 1.0})
    one.run_model()
    first = frame[frame["policy.followup.workers"] == 1.0].iloc[0]
    assert first["homeless"] == one.history[-1, INDEX["homeless"]]


def test_a_value_a_later_phase_changes_is_warned_about() -> None:
    """Verdal's network starts in a 2015 phase: switching it off from the start holds only
    until then, and the model says so with a PhaseOverrideWarning naming the caller's line;
    a value no phase changes gives no warning."""
    with pytest.warns(PhaseOverrideWarning, match="2015-01.*network") as caught:
        HousingModel(VERDAL, years=5, burn_in=0, seed=1, **{"policy.followup.network": False})
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        HousingModel(VERDAL, years=5, burn_in=0, seed=1, **{"market.price_growth": 0.01})
