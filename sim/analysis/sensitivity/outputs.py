"""The result files (``indices.csv``, ``noise.csv``, ``convergence.csv``, ``samples.csv``,
``sensitivity.json``, the figure) and the summary printed on the terminal."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.sensitivity.figures import plot_results
from sim.analysis.sensitivity.indices import MEASURES
from sim.run.files import atomic_write_text, format_number

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.result import SensitivityResult


def _cell(value: Any) -> str:
    """One CSV field: empty for None, ``true``/``false``, numbers as in ``timeseries.csv``, text
    quoted when it holds a comma, a quote or a line break."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, np.floating, np.integer)):
        return format_number(float(value))
    text = str(value)
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV text with ``columns`` in order; numbers as in ``timeseries.csv``."""
    lines = [",".join(columns)]
    lines += [",".join(_cell(row.get(c)) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def write_results(out: Path, result: SensitivityResult) -> list[str]:
    """Write the result files and figures into ``out``; return their names.

    ``indices.csv`` is written last, so its presence marks a complete experiment.
    """
    exp = result.experiment
    written = []

    def put(name: str, text: str) -> None:
        """Write one file atomically (never half-written) and note its name."""
        atomic_write_text(out / name, text)
        written.append(name)

    put("noise.csv", csv_text(result.noise, ["output", "replications", "points",
                                             "within_variance", "noise_variance",
                                             "total_variance", "noise_share", "estimated_from",
                                             "flagged"]))
    put("convergence.csv", csv_text(result.convergence, [
        "method", "output", "parameter", "measure", "n_half", "n", "value_half", "value",
        "conf", "difference", "converged"]))
    if result.second_order:
        put("indices_second_order.csv", csv_text(result.second_order, [
            "method", "output", "parameter", "other", "S2", "S2_conf"]))
    put("samples.csv", csv_text(_sample_rows(result), ["point", *(f.name for f in exp.factors),
                                                       *exp.outputs]))
    put("sensitivity.json", json.dumps(summary_dict(result), indent=2, ensure_ascii=False,
                                       allow_nan=False) + "\n")
    written += plot_results(result, out)
    put("indices.csv", csv_text(result.indices, ["method", "output", "parameter",
                                                 *MEASURES[exp.method]]))
    return written


def _sample_rows(result: SensitivityResult) -> list[dict[str, Any]]:
    """Rows of ``samples.csv``: each point's input values as run (true/false as 1/0) and its
    outputs, replications averaged."""
    rows = []
    for i, point in enumerate(result.sample.points):
        row: dict[str, Any] = {"point": i}
        row.update({k: (int(v) if isinstance(v, bool) else v) for k, v in point.items()})
        row.update(dict(zip(result.experiment.outputs, result.values[i].tolist(), strict=True)))
        rows.append(row)
    return rows


def summary_dict(result: SensitivityResult) -> dict[str, Any]:
    """The content of ``sensitivity.json``: what was run, how long it took, noise, warnings."""
    exp = result.experiment
    model: dict[str, Any]
    if exp.scenario is not None:
        model = {"scenario": exp.scenario.name, "scenario_digest": exp.scenario.digest(),
                 "scenario_sources": list(exp.scenario.sources), "start": exp.scenario.start,
                 "months": exp.scenario.months}
    else:
        model = {"function": exp.function}
    return _finite({
        "experiment": exp.name, "file": exp.file, "method": exp.method, "N": exp.n,
        "options": exp.options, "replications": exp.replications, "seed": exp.seed,
        "model": model,
        "parameters": [dataclasses.asdict(f) for f in exp.factors],
        "outputs": list(exp.outputs), "evaluations": exp.evaluations(),
        "points": len(result.sample.points), "chunks_evaluated_now": result.computed,
        "executor": result.executor, "seconds": round(result.seconds, 3),
        "experiment_digest": exp.identity()["experiment_digest"],
        "noise_share": {r["output"]: r["noise_share"] for r in result.noise},
        "notes": list(exp.notes), "warnings": list(result.warnings),
    })


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as ``None``, recursively (strict JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def summary_text(result: SensitivityResult) -> str:
    """A few lines for the terminal: what ran, each output's noise and leading parameters."""
    exp = result.experiment
    lead = {"sobol": "ST", "fast": "ST", "morris": "mu_star"}[exp.method]
    lines = [f"{exp.name}: {exp.method}, {len(exp.factors)} parameters, N={exp.n}: "
             f"{len(result.sample.points)} points x {exp.replications} replication(s); "
             f"{result.computed} chunk(s) evaluated in {result.seconds:.1f} s "
             f"({result.executor})"]
    width = max(len("output"), *(len(o) for o in exp.outputs))
    lines.append(f"  {'output'.ljust(width)}  noise  leading parameters by {lead}")
    for output, noise in zip(exp.outputs, result.noise, strict=True):
        rows = [r for r in result.indices if r["output"] == output and math.isfinite(r[lead])]
        rows.sort(key=lambda r: -r[lead])
        top = ", ".join(f"{r['parameter']} {r[lead]:.3g}" for r in rows[:3]) or "-"
        share = noise["noise_share"]
        shown = f"{share:5.2f}" if math.isfinite(share) else ("  inf" if share > 0 else "    -")
        lines.append(f"  {output.ljust(width)}  {shown}  {top}")
    return "\n".join(lines)
