"""The files a calibration writes into its output directory.

``calibrated.toml`` is a scenario fragment other scenarios ``extends``; ``fit.json`` the record
(:mod:`sim.analysis.calibration.record`); ``targets.png`` and ``parameters.png`` the figures.
``fit.json`` is written last, so its presence means the calibration finished.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.analysis.calibration.figures import plot_parameters, plot_targets
from sim.analysis.calibration.record import Findings
from sim.analysis.calibration.setup import CALIBRATED_NAME, Setup
from sim.inputs.errors import InputError

FIT_JSON = "fit.json"
CALIBRATED_TOML = "calibrated.toml"
TARGETS_PNG = "targets.png"
PARAMETERS_PNG = "parameters.png"
#: Files whose presence in ``--out`` means an earlier calibration is there.
OUTPUT_FILES = (FIT_JSON, CALIBRATED_TOML)


def write_outputs(out: Path, setup: Setup, findings: Findings, fit: Mapping[str, Any]
                  ) -> dict[str, Path]:
    """Write the fragment (checked to load and be extendable), the figures and ``fit``.

    Args:
        out: the output directory.
        setup: the set-up.
        findings: what the stages found.
        fit: the record (:func:`sim.analysis.calibration.record.fit_record`).

    Returns:
        ``{file name: path}`` of the files written, ``fit.json`` first.
    """
    from sim.run.files import atomic_write_text

    paths = {name: out / name for name in (FIT_JSON, CALIBRATED_TOML, TARGETS_PNG,
                                           PARAMETERS_PNG)}
    intervals = {p: findings.posterior["quantiles"].get(p) for p in setup.paths}
    atomic_write_text(paths[CALIBRATED_TOML],
                      fragment_text(setup, findings.fitted, intervals, findings.loss_fit))
    check_fragment(paths[CALIBRATED_TOML])
    plot_targets(fit["targets"], paths[TARGETS_PNG])
    plot_parameters(setup, findings.fitted, findings.posterior, findings.evaluated,
                    paths[PARAMETERS_PNG])
    atomic_write_text(paths[FIT_JSON], json.dumps(fit, indent=2, ensure_ascii=False) + "\n")
    return paths


def fragment_text(setup: Setup, values: Mapping[str, float], intervals: Mapping[str, Any],
                  loss: float) -> str:
    """``calibrated.toml``: a ``[scenario]`` name and the fitted values as nested tables.

    Only the free parameters (all of kind ``calibrated``) are written, each with its interval
    (at the set-up's level, 90 % by default) as a comment, so a scenario that ``extends`` the
    file takes exactly the fitted behavioural rates and nothing else.

    Args:
        setup: the set-up.
        values: ``{path: fitted value}``.
        intervals: ``{path: [low, median, high]}`` or ``None`` where there is none.
        loss: the loss at the fit.
    """
    level = int(round(100 * setup.uncertainty["level"]))
    lines = [
        f"# Calibrated parameters written by `boligsim calibrate {setup.file}`.",
        f"# Set-up {setup.name!r}: {len(setup.fit)} targets, {len(setup.free)} free "
        f"parameters, loss {loss:.4g};",
        "# fit.json next to this file has the intervals, the fit to every target and the",
        "# provenance. Other scenarios use these values with `extends = \"<path to this file>\"`",
        "# in their [scenario] table.",
        "",
        "[scenario]",
        f"name = {json.dumps(CALIBRATED_NAME)}",
        f"description = {json.dumps(f'Parameters fitted by calibration set-up {setup.name}')}",
    ]
    groups: dict[str, list[str]] = {}
    for f in setup.free:
        section, leaf = f.path.rsplit(".", 1)
        value = values[f.path]
        value_text = str(int(value)) if f.is_int else repr(float(value))
        q = intervals.get(f.path)
        note = ""
        if q and all(v is not None and math.isfinite(v) for v in q):
            note = f"  # {level} % interval {q[0]:.4g} to {q[2]:.4g} ({f.unit})"
        groups.setdefault(section, []).append(f"{leaf} = {value_text}{note}")
    for section, entries in groups.items():
        lines += ["", f"[{section}]", *entries]
    return "\n".join(lines) + "\n"


def check_fragment(path: Path) -> None:
    """Make sure ``path`` loads as a scenario and can be extended; raise RuntimeError if not."""
    import tempfile

    from sim.inputs.scenario import load_scenario

    load_scenario(path)
    with tempfile.TemporaryDirectory() as tmp:
        child = Path(tmp) / "child.toml"
        child.write_text(f"[scenario]\nname = \"child\"\nextends = "
                         f"{json.dumps(str(Path(path).resolve()))}\n",
                         encoding="utf-8")
        try:
            load_scenario(child)
        except InputError as exc:  # pragma: no cover - would be a bug in fragment_text
            raise RuntimeError(f"written {path} cannot be extended: {exc}") from exc
