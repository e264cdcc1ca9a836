"""SALib's sensitivity indices of every output, at N and at N/2, with the rows of
``indices.csv`` and ``indices_second_order.csv``; :func:`analyse_all` adds the convergence check
and the noise report.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.sensitivity.convergence import (
    convergence_rows,
    convergence_warnings,
    half_sample,
)
from sim.analysis.sensitivity.noise import noise_report, noise_warnings
from sim.analysis.sensitivity.result import SensitivityResult

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.experiment import Experiment
    from sim.analysis.sensitivity.sampling import Sample


#: SALib's measures per method, in the column order of ``indices.csv``.
MEASURES: dict[str, tuple[str, ...]] = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu", "mu_star", "mu_star_conf", "sigma"),
    "fast": ("S1", "S1_conf", "ST", "ST_conf"),
}


def analyse(exp: Experiment, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """SALib's indices of one output.

    Args:
        exp: the experiment.
        x: the sample (SALib's coordinates) that produced ``y``.
        y: one value per row of ``x`` (replications already averaged).

    Returns:
        ``{measure: array over exp.labels}``, plus ``S2`` and ``S2_conf`` matrices for Sobol'
        with second order.
    """
    problem = exp.problem()
    seed = _analysis_seed(exp.seed)
    kw = {"num_resamples": exp.num_resamples, "conf_level": exp.conf_level, "seed": seed}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*FAST confidence intervals.*")
        warnings.simplefilter("ignore", category=RuntimeWarning)
        if exp.method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(problem, y, calc_second_order=exp.options["second_order"],
                                **kw)
        elif exp.method == "morris":
            from SALib.analyze import morris

            res = morris.analyze(problem, x, y, num_levels=exp.options["levels"], **kw)
        else:
            from SALib.analyze import fast

            res = fast.analyze(problem, y, M=exp.options["M"], **kw)
    out = {m: np.asarray(res[m], dtype=float) for m in MEASURES[exp.method]}
    if exp.method == "sobol" and exp.options["second_order"]:
        out["S2"] = np.asarray(res["S2"], dtype=float)
        out["S2_conf"] = np.asarray(res["S2_conf"], dtype=float)
    return out


def _analysis_seed(seed: int) -> int:
    """A non-zero seed for SALib's bootstraps (SALib treats a seed of 0 as no seed)."""
    return int(np.random.SeedSequence([seed, 0x5A17]).generate_state(1)[0]) or 1


def _empty(exp: Experiment) -> dict[str, np.ndarray]:
    """Indices of an output that could not be analysed: NaN everywhere (empty in the files)."""
    g = len(exp.labels)
    out = {m: np.full(g, np.nan) for m in MEASURES[exp.method]}
    if exp.method == "sobol" and exp.options["second_order"]:
        out["S2"] = out["S2_conf"] = np.full((g, g), np.nan)
    return out


def analyse_all(exp: Experiment, sample: Sample, runs: np.ndarray, half_runs: np.ndarray | None,
                probe: np.ndarray | None) -> SensitivityResult:
    """Indices at N and N/2, the noise report and the warnings, for every output.

    Args:
        exp: the experiment.
        sample: its sample.
        runs: outputs at the sample points, ``(points, replications, outputs)``.
        half_runs: eFAST only: outputs at the points of the separate sample of N/2.
        probe: outputs of the noise probe, if it ran.

    Returns:
        The result, less how it was evaluated (executor, time, chunks computed).
    """
    values = runs.mean(axis=1)
    half_values = half_runs.mean(axis=1) if half_runs is not None else None
    indices: list[dict[str, Any]] = []
    second: list[dict[str, Any]] = []
    convergence: list[dict[str, Any]] = []
    notes: list[str] = []
    for j, output in enumerate(exp.outputs):
        y_half = half_values[:, j] if half_values is not None else None
        full, half, problem = _analyse_output(exp, sample, values[:, j], y_half)
        if problem:
            notes.append(f"{output}: {problem}")
        indices += _index_rows(exp, output, full)
        second += _second_order_rows(exp, output, full)
        rows = convergence_rows(exp, output, full, half)
        convergence += rows
        notes += convergence_warnings(exp, rows)
    noise = noise_report(exp, runs, probe)
    notes += noise_warnings(exp, noise)
    return SensitivityResult(experiment=exp, indices=indices, second_order=second, noise=noise,
                             convergence=convergence, warnings=notes, sample=sample,
                             values=values, runs=runs)


def _analyse_output(exp: Experiment, sample: Sample, y: np.ndarray, y_half: np.ndarray | None
                    ) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """One output's indices at N and at N/2, and why any of them were left empty.

    An output that is not a number at some point, or has the same value at every point, has
    no indices: there is no variance to divide up. Its half is not compared either.
    """
    empty = _empty(exp)
    problem = _degenerate(y)
    if problem:
        return empty, empty, f"{problem}; its indices are left empty"
    full = analyse(exp, sample.x, y)
    hx, hy = half_sample(exp, sample, y, y_half)
    problem = _degenerate(hy)
    if problem:
        return full, empty, f"{problem} of the N/2 sample; convergence not checked"
    return full, analyse(exp, hx, hy), None


def _index_rows(exp: Experiment, output: str, found: Mapping[str, Any]
                ) -> list[dict[str, Any]]:
    """Rows of ``indices.csv`` for one output: one per parameter (or group)."""
    return [{"method": exp.method, "output": output, "parameter": label,
             **{m: float(found[m][k]) for m in MEASURES[exp.method]}}
            for k, label in enumerate(exp.labels)]


def _second_order_rows(exp: Experiment, output: str, found: Mapping[str, Any]
                       ) -> list[dict[str, Any]]:
    """Rows of ``indices_second_order.csv`` for one output: one per pair, if computed."""
    if "S2" not in found:
        return []
    labels = exp.labels
    return [{"method": exp.method, "output": output, "parameter": labels[a],
             "other": labels[b], "S2": float(found["S2"][a, b]),
             "S2_conf": float(found["S2_conf"][a, b])}
            for a, b in itertools.combinations(range(len(labels)), 2)]


def _degenerate(y: np.ndarray) -> str | None:
    """Why ``y`` cannot be analysed (NaN values or no variation), or ``None``."""
    bad = int(np.count_nonzero(~np.isfinite(y)))
    if bad:
        return f"not a number at {bad} of {y.size} sample points"
    if float(np.ptp(y)) == 0.0:
        return "the same value at every sample point"
    return None
