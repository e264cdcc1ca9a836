"""Do the calibration's intervals contain the truth? A coverage experiment.

Simulation-based calibration (Cook, Gelman & Rubin 2006; Talts et al. 2018): draw known
parameter points from the prior (a Latin hypercube over the set-up's bounds), make synthetic
facts at each, calibrate each as a user would, and count how often each parameter's interval
contains the value the facts were made at. If the intervals are honest, a 90 % interval does so
in about 90 % of the cases, averaged over the prior.

A synthetic fact is what the ABC assumes an observation is
(:func:`sim.analysis.calibration.uncertainty.abc`): the mean of ``replications`` runs at the
known point, with seeds no calibration uses, plus a normal error whose SD is the target's
tolerance (over the square root of its set-up weight). Each known point is calibrated with
every method asked for — the default ABC (``regression``: redrawn seeds, regression
adjustment) and the method before it (``rejection`` with the search's common random numbers)
— over the same stored search, so the methods differ only in their intervals.

Run it as ``python -m sim.analysis.calibration.coverage calibration/coverage/setup.toml --out
DIR``. It writes, into ``DIR``:

* ``coverage.csv``: a row per known point, method and parameter (truth, interval, inside),
  appended as each calibration ends, so ``--resume`` goes on where a stop left off;
* ``coverage.json``: the coverage per method and parameter with a 95 % Clopper–Pearson
  interval, and the mean width of the intervals as a share of the prior range;
* ``coverage.png``: every interval beside its truth;
* ``values/NN/``: each known point's calibration (its stored runs, ``fit.json``, figures).

``docs/validation.md`` §8 reports what it measured.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.calibration.setup import Setup, load_setup
from sim.analysis.calibration.targets import Target
from sim.inputs.errors import InputError
from sim.run.files import save_figure

#: The ABC methods compared: name -> ``[uncertainty]`` settings.
METHODS: dict[str, dict[str, str]] = {
    "regression": {"estimator": "regression", "seeds": "redrawn"},
    "rejection": {"estimator": "rejection", "seeds": "common"},
}
#: Seeds of the synthetic facts are ``FACT_SEED + i`` for the i-th known point: far from any
#: set-up's seed, so the facts' random numbers are not the calibration's.
FACT_SEED = 7_000_001
#: Files of an experiment's folder.
CSV, JSON, PNG, MANIFEST = "coverage.csv", "coverage.json", "coverage.png", "experiment.json"
_COLUMNS = ("value", "method", "parameter", "truth", "low", "median", "high", "inside",
            "width_share", "fitted")


def known_points(setup: Setup, count: int, seed: int) -> np.ndarray:
    """``count`` points drawn from the prior (uniform on the set-up's bounds) by a seeded
    Latin hypercube: rows of free-parameter values in set-up order."""
    from scipy.stats import qmc

    low = np.array([f.low for f in setup.free])
    high = np.array([f.high for f in setup.free])
    unit = qmc.LatinHypercube(d=len(setup.free), rng=np.random.default_rng([seed, 31]))
    return low + unit.random(count) * (high - low)


def synthetic_targets(setup: Setup, truth: Mapping[str, float], index: int,
                      simulate: Callable[..., dict[str, float]] | None = None
                      ) -> list[Target]:
    """The set-up's fitted targets with synthetic observed values made at ``truth``.

    Observed = the mean of ``setup.replications`` runs with seed ``FACT_SEED + index`` plus
    a normal error of SD ``tolerance / √weight`` (seeded by ``index``).

    Args:
        setup: the set-up.
        truth: ``{free parameter path: value}``.
        index: the known point's number (its seeds).
        simulate: :func:`sim.analysis.calibration.calibrate.simulate_targets` (replaceable
            for tests).
    """
    from sim.analysis.calibration.calibrate import simulate_targets

    moments = (simulate or simulate_targets)(setup, truth, seed=FACT_SEED + index)
    rng = np.random.default_rng([FACT_SEED, index])
    return [replace(t, observed=float(moments[t.id] + rng.normal(
                0.0, t.tolerance / math.sqrt(setup.weights.get(t.id, 1.0)))))
            for t in setup.fit]


def with_targets(setup_file: str | Path, targets: Sequence[Target], method: str) -> Setup:
    """The set-up of ``setup_file`` fitting ``targets`` (same ids, new observed values), its
    ABC set to ``method`` (:data:`METHODS`)."""
    setup = load_setup(setup_file)
    by_id = {t.id: t for t in targets}
    setup.fit = [by_id[t.id] for t in setup.fit]
    setup.uncertainty = {**setup.uncertainty, **METHODS[method]}
    return setup


def run_coverage(setup_file: str | Path, out: str | Path, *, values: int = 20, seed: int = 1,
                 methods: Sequence[str] = tuple(METHODS), workers: int = 1,
                 scheduler: str | None = None, resume: bool = False, quiet: bool = False,
                 simulate: Callable[..., dict[str, float]] | None = None) -> dict[str, Any]:
    """Run the coverage experiment and write its files (see the module docstring).

    Args:
        setup_file: the calibration set-up to repeat.
        out: the experiment's folder (created; with files of an earlier run only if
            ``resume``).
        values: known points (at least 20 for the documented experiment).
        seed: of the known points.
        methods: names in :data:`METHODS`.
        workers, scheduler: as for :func:`sim.analysis.calibration.calibrate.run_calibration`.
        resume: skip the calibrations ``coverage.csv`` already holds and re-use stored runs.
        quiet: no progress bar.
        simulate: how synthetic facts are simulated (tests replace it).

    Returns:
        The summary written to ``coverage.json``.

    Raises:
        InputError: an unknown method, too few values, or a folder holding another experiment.
    """
    from sim.analysis.calibration.calibrate import run_calibration
    from sim.run.progress import progress

    for m in methods:
        if m not in METHODS:
            raise InputError(f"unknown method {m!r}; expected one of {', '.join(METHODS)}",
                             key="--methods")
    if values < 1:
        raise InputError("expected at least 1 known value", key="--values")
    out = Path(out)
    identity = {"setup": str(Path(setup_file).resolve()), "values": values, "seed": seed,
                "methods": list(methods)}
    done = _start(out, identity, resume)
    setup = load_setup(setup_file)
    points = known_points(setup, values, seed)
    with progress(values * len(methods), f"coverage {setup.name}", quiet,
                  unit="calibration") as update:
        for i, x in enumerate(points):
            truth = dict(zip(setup.paths, (float(v) for v in x), strict=True))
            targets: list[Target] | None = None
            for method in methods:
                if (i, method) in done:
                    update(1)
                    continue
                targets = targets or synthetic_targets(setup, truth, i, simulate)
                folder = out / "values" / f"{i:02d}"
                folder.mkdir(parents=True, exist_ok=True)
                result = run_calibration(with_targets(setup_file, targets, method),
                                         folder, workers=workers,
                                         scheduler=scheduler, quiet=True, resume=True,
                                         log=lambda text: None)
                _append(out / CSV, _rows(i, method, truth, result.fit))
                update(1)
    from sim.run.files import atomic_write_text

    rows = read_rows(out / CSV)
    summary = {**summarise(rows, setup.uncertainty["level"]), "identity": identity}
    atomic_write_text(out / JSON, json.dumps(summary, indent=2) + "\n")
    plot_coverage(rows, setup, out / PNG)
    return summary


def _start(out: Path, identity: Mapping[str, Any], resume: bool) -> set[tuple[int, str]]:
    """Prepare ``out``: the calibrations already done when resuming the same experiment."""
    from sim.run.files import atomic_write_text, prepare_out_dir

    prepare_out_dir(out, force=False, files=() if resume else (CSV, JSON),
                    option="--resume")
    manifest = out / MANIFEST
    if resume and manifest.exists():
        found = json.loads(manifest.read_text(encoding="utf-8"))
        if found != identity:
            raise InputError(f"holds another experiment ({found}); choose another folder",
                             file=str(out))
    atomic_write_text(manifest, json.dumps(identity, indent=2) + "\n")
    if not resume or not (out / CSV).exists():
        (out / CSV).write_text(",".join(_COLUMNS) + "\n", encoding="utf-8")
        return set()
    return {(int(r["value"]), r["method"]) for r in read_rows(out / CSV)}


def _rows(index: int, method: str, truth: Mapping[str, float], fit: Mapping[str, Any]
          ) -> list[dict[str, Any]]:
    """``coverage.csv``'s rows of one calibration: one per free parameter."""
    level = int(round(100 * fit["uncertainty"]["level"]))
    rows = []
    for path, info in fit["parameters"].items():
        low, high = (math.nan if v is None else v for v in info[f"interval{level}"])
        lo_b, hi_b = info["bounds"]
        rows.append({"value": index, "method": method, "parameter": path,
                     "truth": truth[path], "low": low, "median": info["median"],
                     "high": high, "inside": bool(low <= truth[path] <= high),
                     "width_share": (high - low) / (hi_b - lo_b), "fitted": info["value"]})
    return rows


def _append(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    """Append ``rows`` to ``coverage.csv`` and flush them to disk at once."""
    import os

    with path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=_COLUMNS)
        writer.writerows(rows)
        fh.flush()
        os.fsync(fh.fileno())


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """``coverage.csv`` as dicts with numbers and booleans parsed."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        out.append({**r, "value": int(r["value"]), "inside": r["inside"] == "True",
                    **{k: float(r[k]) if r[k] not in ("", "None") else math.nan
                       for k in ("truth", "low", "median", "high", "width_share", "fitted")}})
    return out


def summarise(rows: Sequence[Mapping[str, Any]], level: float) -> dict[str, Any]:
    """Coverage per method (all parameters, and each), with a 95 % Clopper–Pearson interval,
    and the mean interval width as a share of the prior range."""
    methods: dict[str, Any] = {}
    for method in dict.fromkeys(r["method"] for r in rows):
        mine = [r for r in rows if r["method"] == method]
        methods[method] = {"all": _share(mine), "parameters": {
            p: _share([r for r in mine if r["parameter"] == p])
            for p in dict.fromkeys(r["parameter"] for r in mine)}}
    return {"level": level, "known_values": len({r["value"] for r in rows}),
            "methods": methods}


def _share(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How many of ``rows``' intervals hold their truth, the share, its 95 % interval."""
    from scipy.stats import binomtest

    n = len(rows)
    k = sum(bool(r["inside"]) for r in rows)
    ci = binomtest(k, n).proportion_ci(0.95, method="exact") if n else None
    return {"inside": k, "intervals": n, "coverage": k / n if n else math.nan,
            "ci95": [ci.low, ci.high] if ci else [math.nan, math.nan],
            "mean_width_share": float(np.mean([r["width_share"] for r in rows])) if n
            else math.nan}


def plot_coverage(rows: Sequence[Mapping[str, Any]], setup: Setup, path: str | Path) -> None:
    """One panel per method and parameter: each known point's interval against its truth
    (sorted by truth), the truth as a dot, intervals that miss it in a warning colour."""
    from sim.run.files import PALETTE, pyplot

    plt = pyplot()
    methods = list(dict.fromkeys(r["method"] for r in rows))
    k = len(setup.free)
    fig, axes = plt.subplots(len(methods), k, figsize=(3.8 * k, 3.0 * len(methods)),
                             squeeze=False, constrained_layout=True)
    for i, method in enumerate(methods):
        for j, f in enumerate(setup.free):
            ax = axes[i, j]
            mine = sorted((r for r in rows if r["method"] == method and r["parameter"] == f.path),
                          key=lambda r: r["truth"])
            for n, r in enumerate(mine):
                colour = PALETTE[0] if r["inside"] else PALETTE[3]
                ax.plot([n, n], [r["low"], r["high"]], color=colour, lw=2.2)
                ax.plot(n, r["truth"], "o", color="black", ms=3)
            share = _share(mine)
            ax.set_title(f"{method}: {f.path}\n{share['inside']} of {share['intervals']} "
                         "contain the truth", fontsize=8)
            ax.set_ylim(f.low, f.high)
            ax.set_xlabel("known points, by true value", fontsize=7)
            ax.tick_params(labelsize=7)
    pct = int(round(100 * setup.uncertainty["level"]))
    fig.suptitle(f"{pct} % calibration intervals (bars) and the values the synthetic facts "
                 "were made at (dots)", fontsize=10)
    save_figure(fig, path)
    plt.close(fig)


def markdown(summary: Mapping[str, Any]) -> str:
    """The summary as a Markdown table (for ``docs/validation.md``)."""
    pct = int(round(100 * summary["level"]))
    lines = [f"| method | parameter | {pct} % intervals containing the truth | coverage "
             "(95 % CI) | mean width (share of prior) |", "|---|---|---:|---:|---:|"]
    for method, info in summary["methods"].items():
        for name, share in [("all", info["all"]), *info["parameters"].items()]:
            lo, hi = share["ci95"]
            label = "**all**" if name == "all" else f"`{name}`"
            lines.append(f"| {method} | {label} | {share['inside']} of {share['intervals']} | "
                         f"{share['coverage']:.2f} ({lo:.2f} – {hi:.2f}) | "
                         f"{share['mean_width_share']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sim.analysis.calibration.coverage SETUP --out DIR``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m sim.analysis.calibration.coverage",
        description="Calibrate synthetic facts made at known values and count how often the "
                    "intervals contain them (docs/validation.md §8).")
    parser.add_argument("setup", metavar="SETUP.toml")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--values", type=int, default=20, help="known points (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the known points")
    parser.add_argument("--methods", default=",".join(METHODS),
                        help=f"comma-separated, of {', '.join(METHODS)} (default both)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--resume", action="store_true",
                        help="go on with the calibrations not yet in coverage.csv")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        summary = run_coverage(args.setup, args.out, values=args.values, seed=args.seed,
                               methods=[m.strip() for m in args.methods.split(",") if m],
                               workers=args.workers, scheduler=args.scheduler,
                               resume=args.resume, quiet=args.quiet)
    except InputError as exc:
        print(f"python -m sim.analysis.calibration.coverage: error: {exc}", file=sys.stderr)
        return 2
    print(markdown(summary), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover - run as python -m
    raise SystemExit(main())
