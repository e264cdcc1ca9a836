"""Global sensitivity analysis with SALib: experiment files, evaluation, indices, noise and
convergence reports, figures.

An *experiment file* (TOML, ``experiments/*.toml``) says what to vary, what to look at and how:

.. code-block:: toml

    [experiment]
    name = "Verdal levers"
    method = "sobol"                # morris | sobol | fast
    N = 1024                        # base sample size (trajectories for Morris)
    replications = 1                # runs per sample point, averaged (common random numbers)
    seed = 1
    outputs = ["children_municipal@final", "social_assistance_nok@total"]

    [model]
    scenario = "../scenarios/verdal.toml"   # relative to this file
    years = 10                              # optional: run length
    set = { "municipality.inhabitants" = 15000 }   # optional fixed overrides

    [[parameters]]
    path = "policy.rotation.contract_years"      # range defaults to the registry's bounds

    [[parameters]]
    path = "policy.followup.workers"
    range = [0.0, 8.0]
    group = "follow-up"                         # optional SALib group (sobol, morris)

Instead of the housing model, ``[model] function = "package.module:function"`` analyses any
Python callable ``f(params: dict) -> dict[str, float]`` (parameters then have a ``name`` and an
explicit ``range``, outputs are keys of the returned dict); a function that accepts an ``rng``
argument is stochastic and gets the replication's random stream.

The pipeline (:func:`run_experiment`): sample with SALib; evaluate chunks of sample points as
tasks of :mod:`sim.run.ensemble` (each chunk a Parquet part in ``DIR/runs``, so ``--resume`` skips
finished chunks); average the replications of each point; analyse each output with SALib at N
and at N/2 (the convergence check); estimate each output's share of replication noise; write
``indices.csv``, ``noise.csv``, ``convergence.csv``, ``samples.csv``, ``sensitivity.json`` and
figures. Every mistake in an experiment file is an :class:`~sim.inputs.errors.InputError` naming the
file and the key. See ``docs/sensitivity.md``.

The modules, in the order of the pipeline:

- ``experiment``: :class:`Experiment` and :func:`load_experiment` (the ``[experiment]`` table);
- ``factors``: :class:`Factor`, the sampled inputs (the ``[[parameters]]`` entries);
- ``model``: the ``[model]`` table, a base scenario or a function;
- ``sampling``: :class:`Sample`, SALib's sample X, and :func:`sample`, which draws it;
- ``evaluation``: the ensemble tasks, and the task that calls a function;
- ``noise``: the noise probe and ``noise.csv``;
- ``convergence``: the indices at N/2 against N, ``convergence.csv``;
- ``indices``: SALib's indices, and :func:`~sim.analysis.sensitivity.indices.analyse_all`;
- ``result``: :class:`SensitivityResult`;
- ``outputs`` and ``figures``: the result files and figures;
- ``run``: :func:`run_experiment` and :func:`command` (``boligsim sensitivity``).
"""

from sim.analysis.sensitivity.experiment import Experiment, load_experiment
from sim.analysis.sensitivity.factors import Factor
from sim.analysis.sensitivity.result import SensitivityResult
from sim.analysis.sensitivity.run import command, run_experiment
from sim.analysis.sensitivity.sampling import Sample, sample

__all__ = ["Experiment", "Factor", "Sample", "SensitivityResult", "command", "load_experiment",
           "run_experiment", "sample"]
