"""Make the README's figure: Verdal's model against baseline practice in the same municipality.

Run from the repository root: ``python docs/img/make_figures.py`` (about 20 s).
"""

from pathlib import Path

from sim.inputs.scenario import load_scenario
from sim.present.figures import plot_timeseries
from sim.run.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]

verdal = load_scenario(ROOT / "scenarios" / "verdal.toml")
base = verdal.with_practice_of(load_scenario(ROOT / "scenarios" / "baseline.toml"))
results = [run_scenario(s, replications=20, seed=1) for s in (base, verdal)]
plot_timeseries(results, ["children_municipal", "owner_startloan", "families_in_work"],
                ROOT / "docs" / "img" / "verdal.png",
                labels=["Verdal under baseline practice", "Verdal's model"])
