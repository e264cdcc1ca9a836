"""The convergence check: every index at N/2 against N.

An index that moves by more than its confidence interval when the sample is doubled has not
settled, and the experiment needs a larger N. The N/2 estimate comes from part of the sample
where the method allows it (Sobol', Morris) and from a sample of its own for eFAST.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.experiment import Experiment
    from sim.analysis.sensitivity.sampling import Sample


#: Measures compared between N/2 and N, each with the confidence measure it is judged by.
CONVERGENCE_MEASURES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "sobol": (("S1", "S1_conf"), ("ST", "ST_conf")),
    "morris": (("mu_star", "mu_star_conf"), ("sigma", None)),
    "fast": (("S1", "S1_conf"), ("ST", "ST_conf")),
}
#: Changes between N/2 and N smaller than this never count as "not converged", however narrow
#: SALib's interval: 0.01 of the output variance for Sobol' and eFAST indices, 1 % of the
#: largest value for Morris measures (bootstrap intervals of exactly linear effects are ~0,
#: and eFAST's are known to be unreliable, SALib issue 649).
CONVERGENCE_FLOOR = 0.01


def half_sample(exp: Experiment, sample: Sample, y: np.ndarray, y_half: np.ndarray | None
                ) -> tuple[np.ndarray, np.ndarray]:
    """The sample of N/2 and its outputs, for the convergence check.

    Sobol': the first N/2 blocks of the Saltelli sample. They are built from the first N/2
    points of the same scrambled Sobol' sequence, which (N being a power of 2) are themselves
    a balanced Sobol' sample, so analysing them is exactly what a run with N/2 would give.
    Morris: the first N/2 trajectories, drawn independently of the others. eFAST: the
    separate sample of N/2 evaluated for this purpose.
    """
    if exp.method == "fast":
        assert sample.half_x is not None and y_half is not None
        return sample.half_x, y_half
    rows = exp.n // 2 * exp.rows_per_block()
    return sample.x[:rows], y[:rows]


def convergence_rows(exp: Experiment, output: str, full: Mapping[str, Any],
                     half: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows of ``convergence.csv`` for one output: each judged measure at N/2 and at N.

    ``converged`` is true when the change is within the measure's confidence interval at N (or
    within the floor, :data:`CONVERGENCE_FLOOR`), empty for a measure without an interval.
    """
    rows = []
    for measure, conf in CONVERGENCE_MEASURES[exp.method]:
        floor = _convergence_floor(exp, full[measure])
        for k, label in enumerate(exp.labels):
            at_n, at_half = float(full[measure][k]), float(half[measure][k])
            c = float(full[conf][k]) if conf else math.nan
            diff = abs(at_n - at_half)
            judged = conf is not None and math.isfinite(c) and math.isfinite(diff)
            rows.append({
                "method": exp.method, "output": output, "parameter": label,
                "measure": measure, "n_half": exp.n // 2, "n": exp.n,
                "value_half": at_half, "value": at_n, "conf": c, "difference": diff,
                "converged": bool(diff <= max(c, floor)) if judged else None})
    return rows


def _convergence_floor(exp: Experiment, values: np.ndarray) -> float:
    """The change that never counts as "not converged": :data:`CONVERGENCE_FLOOR` of the
    output variance (Sobol', eFAST) or of the measure's largest value (Morris)."""
    if exp.method == "morris":
        return CONVERGENCE_FLOOR * float(np.nanmax(np.abs(values), initial=0.0))
    return CONVERGENCE_FLOOR


def convergence_warnings(exp: Experiment, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """One warning per output and measure that moved by more than its interval."""
    moved: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row["converged"] is False:
            moved.setdefault((row["output"], row["measure"]), []).append(row["parameter"])
    return [f"{output}: {measure} of {', '.join(which)} changed by more than its "
            f"{exp.conf_level:.0%} interval between N={exp.n // 2} and N={exp.n}; "
            "not converged; increase N" for (output, measure), which in moved.items()]
