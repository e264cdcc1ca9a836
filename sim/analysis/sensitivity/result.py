"""What an experiment produced: :class:`SensitivityResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.experiment import Experiment
    from sim.analysis.sensitivity.sampling import Sample


@dataclass
class SensitivityResult:
    """Everything an experiment produced.

    Attributes:
        experiment: the experiment.
        indices: rows of ``indices.csv`` (``method, output, parameter`` and the measures).
        second_order: rows of ``indices_second_order.csv`` (Sobol' with second order).
        noise: rows of ``noise.csv``.
        convergence: rows of ``convergence.csv``.
        warnings: what the reader must know before trusting an index.
        sample: the sample.
        values: outputs per sample point, replications averaged: ``(points, outputs)``.
        runs: raw outputs ``(points, replications, outputs)``.
        executor: how the tasks ran (provenance only).
        seconds: wall time of the evaluation.
        computed: chunks evaluated now (the rest were read from the store).
    """

    experiment: Experiment
    indices: list[dict[str, Any]]
    second_order: list[dict[str, Any]]
    noise: list[dict[str, Any]]
    convergence: list[dict[str, Any]]
    warnings: list[str]
    sample: Sample
    values: np.ndarray
    runs: np.ndarray
    executor: str = "serial"
    seconds: float = 0.0
    computed: int = 0

    def to_df(self, table: str = "indices") -> Any:
        """One of ``indices``, ``noise``, ``convergence``, ``second_order`` as a DataFrame."""
        import pandas as pd

        return pd.DataFrame(getattr(self, table))
