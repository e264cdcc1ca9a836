"""boligsim in the EMA Workbench: an exploratory study of Stjørdal's follow-up.

Which plausible worlds leave many families homeless in Stjørdal, whatever the number of
follow-up workers? The Workbench samples the uncertainties plausible worlds draw (the assumed
and calibrated rates, over their plausible ranges) and one lever, runs each experiment with
:func:`sim.evaluate` (common random numbers across experiments), and PRIM finds the ranges of
the uncertainties where homelessness is high.

Run it from the project folder (``python docs/examples/ema_study.py``); it prints PRIM's
box and writes ``out/ema/experiments.csv`` and ``out/ema/tradeoff.png``. The Workbench is a
dependency of boligsim, so nothing more is installed. The test suite runs it small
(``BOLIGSIM_QUICK=1``). See docs/python.md.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

with warnings.catch_warnings():  # the Workbench notes that an optional back-end is missing
    warnings.simplefilter("ignore")
    from ema_workbench import SequentialEvaluator, perform_experiments
    from ema_workbench.analysis import prim

from sim.analysis import ema  # noqa: E402

QUICK = os.environ.get("BOLIGSIM_QUICK") == "1"
OUT = Path("out/ema")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    model = ema.model(
        "scenarios/stjordal.toml",
        ["homeless@mean", "children_municipal@final", "municipal_net_cost_nok@total"],
        lever_paths=["policy.followup.workers"],
        lever_ranges={"policy.followup.workers": (0.0, 8.0)},
        years=2 if QUICK else 6, burn_in=1 if QUICK else None,
        replications=1 if QUICK else 3, seed=1)
    print(f"{len(model.uncertainties)} uncertainties, levers "
          f"{[lever.name for lever in model.levers]}")
    # MultiprocessingEvaluator(model, n_processes=2) runs the experiments on two cores
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=16 if QUICK else 200, policies=2 if QUICK else 4,
            evaluator=evaluator)
    table = pd.concat([experiments, pd.DataFrame(outcomes)], axis=1)
    table.to_csv(OUT / "experiments.csv", index=False)

    # scenario discovery: where is homelessness in the top quarter?
    homeless = outcomes["homeless_mean"]
    high = homeless >= sorted(homeless)[int(0.75 * len(homeless))]
    # PRIM works on numbers; as floats, since its pasting cannot widen an integer column
    # under pandas 3
    x = experiments.drop(columns=["model", "policy", "scenario"]).astype(float)
    finder = prim.Prim(x, high, threshold=0.5)
    box = finder.find_box()
    print(f"{int(high.sum())} of {len(high)} experiments leave many families homeless; "
          "PRIM's box:")
    stats, limits = box.inspect(style="data")[0]
    print(stats[["coverage", "density", "res_dim"]].to_string())
    print(limits.to_string())
    box.show_tradeoff()
    plt.savefig(OUT / "tradeoff.png")
    print(f"wrote {OUT}/experiments.csv and {OUT}/tradeoff.png")


if __name__ == "__main__":
    main()
