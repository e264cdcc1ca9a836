"""An experiment's sample: :class:`Sample`, drawn by SALib's sampler for the method
(:func:`sample`)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.experiment import Experiment


@dataclass
class Sample:
    """An experiment's sample: SALib's matrix X and the input values each of its rows stands
    for, with what the convergence check needs of the sample of N/2.

    For Sobol' and Morris the sample of N/2 is the first part of ``x``
    (:func:`sim.analysis.sensitivity.convergence.half_sample`). An eFAST sample cannot be
    halved, since its frequencies depend on N, so for eFAST it is drawn on its own.

    Attributes:
        x: SALib's sample, one row per point (integers not yet rounded).
        points: the input values of each row, as evaluated.
        half_x: eFAST only: the separate sample of N/2 for the convergence check.
        half_points: its input values.
    """

    x: np.ndarray
    points: list[dict[str, Any]]
    half_x: np.ndarray | None = None
    half_points: list[dict[str, Any]] = field(default_factory=list)


def sample(exp: Experiment) -> Sample:
    """Draw the experiment's sample with SALib (deterministic for a given seed).

    Sobol' uses SALib's Saltelli-scheme sampler on a scrambled Sobol' sequence; Morris draws
    ``N`` trajectories on ``levels`` levels; eFAST samples ``N`` points per factor on its
    search curves, plus a second eFAST sample of ``N/2`` for the convergence check.
    """
    problem = exp.problem()
    half_x = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=FutureWarning)
        if exp.method == "sobol":
            from SALib.sample import sobol as sobol_sample

            x = sobol_sample.sample(problem, exp.n, calc_second_order=exp.options[
                "second_order"], scramble=True, seed=exp.seed)
        elif exp.method == "morris":
            from SALib.sample import morris as morris_sample

            x = morris_sample.sample(problem, exp.n, num_levels=exp.options["levels"],
                                     seed=exp.seed)
        else:
            from SALib.sample import fast_sampler

            x = fast_sampler.sample(problem, exp.n, M=exp.options["M"], seed=exp.seed)
            half_x = fast_sampler.sample(problem, exp.n // 2, M=exp.options["M"],
                                         seed=exp.seed)
    drawn = Sample(x=np.asarray(x, dtype=float), points=_points(exp, x))
    if half_x is not None:
        drawn.half_x = np.asarray(half_x, dtype=float)
        drawn.half_points = _points(exp, half_x)
    return drawn


def _points(exp: Experiment, x: np.ndarray) -> list[dict[str, Any]]:
    """The input values each row of ``x`` stands for, rounded and clipped as the factors say."""
    return [{f.name: f.value(v) for f, v in zip(exp.factors, row, strict=True)} for row in x]
