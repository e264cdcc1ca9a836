"""Calibration: fit the registry's ``calibrated`` parameters to observed facts.

The method of simulated moments (MSM). Each *target* (``calibration/targets.toml``) is an
observed number with its source, the scenario it belongs to, the indicator expression the model
must match (:mod:`sim.inputs.expressions`, optionally a sum of expressions divided by another sum)
and a tolerance. A *set-up* (``calibration/main.toml``) names the free parameters with bounds,
the targets to fit, replications per evaluation, the seed and the optimiser and uncertainty
settings. The loss of a parameter point ``θ`` is::

    L(θ) = Σ_i  w_i · z_i(θ)²,   z_i = (m_i(θ) − observed_i) / tolerance_i

where ``m_i`` is the simulated moment — the mean over replications ``0..R-1``, which use the same
seeds at every point (common random numbers, so ``L`` is a deterministic function of ``θ``) —
``w_i`` the set-up's weight (default 1). For a one-sided target (``relation = "ge"`` or ``"le"``)
``z_i`` is zero on the right side of the bound. A moment that cannot be computed (a share with
no denominator) costs :data:`NAN_PENALTY`.

``L`` is minimised by :func:`scipy.optimize.differential_evolution` (seeded, vectorised): every
population goes to the ensemble runner (:func:`sim.run.ensemble.run_tasks`) as one task per
candidate point, so it runs serially, in local processes or on Dask, and every evaluated point
is stored as a Parquet part keyed by a hash of the point (``DIR/runs/points``); ``--resume``
reads the finished ones back, and since the optimiser is seeded and the loss deterministic, a
resumed calibration retraces the same path.

Parameter uncertainty: approximate Bayesian computation (ABC) by importance sampling. Draws
come from a defensive mixture of the prior (uniform on the set-up bounds) and a box around the
fit and are weighted back to the prior; each is simulated with random numbers of its own, an
error of the tolerance's SD is added to its moments (noisy ABC), and the draws nearest the
observations are moved by a local-linear regression adjustment; the weighted quantiles of the
adjusted draws are the reported intervals, which so include the Monte Carlo error of the
moments. :mod:`~sim.analysis.calibration.coverage` measures how often they contain known
values. ``docs/validation.md`` explains the choice.

Outputs (:func:`run_calibration`): ``fit.json``, ``calibrated.toml`` (a scenario fragment other
scenarios can ``extends``), ``targets.png`` and ``parameters.png``;
``python -m sim.analysis.calibration FIT.json`` prints a fit's tables as Markdown.

The modules, each importing only those before it:

* :mod:`~sim.analysis.calibration.targets`: the observed facts (:class:`Target`,
  :func:`load_targets`).
* :mod:`~sim.analysis.calibration.moments`: which runs a set of targets needs and how their
  results become moments and a loss (:class:`MomentPlan`).
* :mod:`~sim.analysis.calibration.settings`: the optimiser's, ABC's and report's settings.
* :mod:`~sim.analysis.calibration.setup`: a checked set-up with its scenarios
  (:class:`Setup`, :func:`load_setup`).
* :mod:`~sim.analysis.calibration.evaluation`: parameter points through the ensemble runner
  (:class:`Evaluator`).
* :mod:`~sim.analysis.calibration.fit`: the noise weights, the search and the selection of the
  fit.
* :mod:`~sim.analysis.calibration.uncertainty`: ABC and the profile intervals.
* :mod:`~sim.analysis.calibration.coverage`: the coverage experiment
  (``python -m sim.analysis.calibration.coverage``).
* :mod:`~sim.analysis.calibration.record`: what the stages found, as ``fit.json`` records it.
* :mod:`~sim.analysis.calibration.figures`, :mod:`~sim.analysis.calibration.outputs`: the
  figures and the files of a calibration.
* :mod:`~sim.analysis.calibration.markdown`: a ``fit.json`` as Markdown tables.
* :mod:`~sim.analysis.calibration.calibrate`: the stages in order (:func:`run_calibration`).
"""

from sim.analysis.calibration.calibrate import CalibrationResult, run_calibration, simulate_targets
from sim.analysis.calibration.evaluation import Evaluator, evaluate_calibration_point, point_key
from sim.analysis.calibration.fit import DIGITS, defaults_point, minimise, round_point
from sim.analysis.calibration.markdown import fit_markdown
from sim.analysis.calibration.moments import NAN_PENALTY, MomentPlan
from sim.analysis.calibration.outputs import (
    CALIBRATED_TOML,
    FIT_JSON,
    OUTPUT_FILES,
    PARAMETERS_PNG,
    TARGETS_PNG,
    fragment_text,
)
from sim.analysis.calibration.record import target_rows
from sim.analysis.calibration.setup import CALIBRATED_NAME, FreeParam, Setup, load_setup
from sim.analysis.calibration.targets import RELATION_SIGNS, RELATIONS, Target, load_targets
from sim.analysis.calibration.uncertainty import abc, profile_intervals, weighted_quantiles

__all__ = [
    "CALIBRATED_NAME", "CALIBRATED_TOML", "DIGITS", "FIT_JSON", "NAN_PENALTY", "OUTPUT_FILES",
    "PARAMETERS_PNG", "RELATIONS", "RELATION_SIGNS", "TARGETS_PNG", "CalibrationResult",
    "Evaluator", "FreeParam", "MomentPlan", "Setup", "Target", "abc", "defaults_point",
    "evaluate_calibration_point", "fit_markdown", "fragment_text", "load_setup", "load_targets",
    "minimise", "point_key", "profile_intervals", "round_point", "run_calibration",
    "simulate_targets", "target_rows", "weighted_quantiles",
]
