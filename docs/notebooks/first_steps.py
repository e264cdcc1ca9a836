# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # boligsim: first steps in Python
#
# The notebook a researcher opens first: run a scenario, compare a municipal model with
# traditional practice in the same municipality, plot, step the Mesa model by hand, and a small
# sensitivity analysis. It is a Jupytext "percent" script: open it as a notebook in Jupyter
# with Jupytext, or run it as it is (`python docs/notebooks/first_steps.py`) from the project
# folder; figures go to `out/notebook/`. The test suite runs it (small) on every change.
#
# The calls are those of docs/python.md: `sim.run_scenario`, `sim.evaluate`,
# `sim.HousingModel`, and SALib for the sensitivity analysis.

# %%
import os
from pathlib import Path

import matplotlib

if "get_ipython" not in globals():
    matplotlib.use("Agg")  # run as a script: figures to files only
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

import sim
from sim.run.compare import Comparison, against_baseline, run_paired

QUICK = os.environ.get("BOLIGSIM_QUICK") == "1"  # the test suite runs it small
YEARS = 2 if QUICK else 8
REPLICATIONS = 2 if QUICK else 20
OUT = Path("out/notebook")
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 1. Run a scenario
#
# Verdal's model as the 2018 report describes it. `run_scenario` makes the replications as
# `boligsim run` does (same seeds, same numbers); `summary()` gives each indicator's mean and
# 95 % interval over replications: a stock's value in the last month, a flow's total.

# %%
verdal = sim.load_scenario("scenarios/verdal.toml", years=YEARS)
result = sim.run_scenario(verdal, replications=REPLICATIONS, seed=1)
summary = result.summary()
print({k: round(summary[k]["mean"], 1) for k in ("children_municipal", "homeless",
                                                  "purchases", "evictions")})

# %%
monthly = result.to_df()  # one row per replication and month, one column per indicator
fig, ax = plt.subplots(figsize=(7, 3.5))
for name in ("children_municipal", "homeless"):
    by_month = monthly.groupby("date")[name]
    mean, low, high = by_month.mean(), by_month.quantile(0.05), by_month.quantile(0.95)
    ax.plot(pd.to_datetime(mean.index), mean.to_numpy(), label=name)
    ax.fill_between(pd.to_datetime(mean.index), low.to_numpy(), high.to_numpy(), alpha=0.2)
ax.set_title("Verdal: children in municipal housing and homeless families\n"
             "(mean of the replications; shaded: 5–95 % of them)", fontsize=10)
ax.set_ylabel("people / families")
ax.legend()
fig.tight_layout()
fig.savefig(OUT / "verdal.png")

# %% [markdown]
# ## 2. Compare like with like
#
# A municipal model is compared with traditional practice *in the same municipality* (same
# size, stock and population), the way `boligsim compare --baseline` does: `against_baseline`
# pairs Verdal with Verdal under the baseline's practice, and the runs share their random
# numbers, so the difference is the practice's, not luck's.

# %%
baseline = sim.load_scenario("scenarios/baseline.toml", years=YEARS)
runs, refs = against_baseline([verdal], baseline)
comparison = Comparison(run_paired(runs, replications=REPLICATIONS, seed=1), reference_of=refs)
rows = pd.DataFrame(comparison.rows())
wanted = ["children_municipal", "homeless", "purchases", "municipal_net_cost_nok"]
model_name = comparison.results[1].scenario.name  # "Verdal" (the reference: its practice)
table = rows[(rows["scenario"] == model_name) & rows["indicator"].isin(wanted)]
print(table[["indicator", "mean", "diff", "diff_ci_low", "diff_ci_high"]].round(1)
      .to_string(index=False))

# %%
fig, axes = plt.subplots(1, len(table), figsize=(10, 2.6))
for ax, (_, row) in zip(axes, table.iterrows(), strict=True):  # each on its own scale
    scale = 1e6 if row["indicator"].endswith("_nok") else 1.0
    ax.errorbar([0], [row["diff"] / scale], yerr=[[(row["diff"] - row["diff_ci_low"]) / scale],
                                                  [(row["diff_ci_high"] - row["diff"]) / scale]],
                fmt="o", capsize=4)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks([])
    ax.set_title(row["indicator"] + (" (MNOK)" if scale > 1 else ""), fontsize=9)
fig.suptitle("Verdal's model minus traditional practice in Verdal, with 95 % intervals")
fig.tight_layout()
fig.savefig(OUT / "comparison.png")

# %% [markdown]
# ## 3. The Mesa model, month by month
#
# `HousingModel` is a `mesa.Model`: build it from a file with parameters as keywords, step it
# (the burn-in is simulated first and not recorded), and read the datacollector.

# %%
model = sim.HousingModel("scenarios/verdal.toml", years=1, seed=3,
                         **{"policy.followup.workers": 4})
model.run_model()
frame = model.datacollector.get_model_vars_dataframe()
print(frame[["families", "homeless", "children_municipal"]].tail(3))

# %% [markdown]
# ## 4. A small sensitivity analysis
#
# Morris elementary effects of three of Verdal's levers on the mean number of homeless
# families, each point the mean of a few replications with common random numbers
# (`sim.evaluate`). `boligsim sensitivity` does the same from a file, with resume and
# figures; this shows the Python route.

# %%
problem = {"num_vars": 3,
           "names": ["policy.followup.workers", "policy.rotation.contract_years",
                     "stock.acquire_per_year"],
           "bounds": [[0.0, 8.0], [1.0, 10.0], [0.0, 10.0]]}
points = morris_sample.sample(problem, N=2 if QUICK else 10, num_levels=4, seed=1)
y = np.array([sim.evaluate(verdal, dict(zip(problem["names"], x, strict=True)),
                           outputs=["homeless@mean"], replications=2 if QUICK else 5,
                           seed=1, throughout=True)["homeless@mean"] for x in points])
effects = morris_analyze.analyze(problem, points, y, num_levels=4, seed=1)
print(pd.DataFrame({"mu_star": effects["mu_star"], "sigma": effects["sigma"]},
                   index=problem["names"]).round(3))

# %%
fig, ax = plt.subplots(figsize=(6, 2.5))
ax.barh(problem["names"], effects["mu_star"])
ax.set_xlabel("mu* (homeless families, mean over the run)")
fig.tight_layout()
fig.savefig(OUT / "morris.png")
print(f"figures in {OUT}/")
