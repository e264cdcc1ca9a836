"""Evaluating a sample: the ensemble tasks (chunks of sample points and the noise probe), and
the task that calls a Python function at points. The housing model's task is
:func:`sim.run.evaluate.evaluate_points`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.sensitivity.model import is_stochastic, load_function
from sim.analysis.sensitivity.noise import needs_probe, probe_indices
from sim.inputs.errors import InputError
from sim.run.ensemble import Task, chunks

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.sensitivity.experiment import Experiment
    from sim.analysis.sensitivity.sampling import Sample


def evaluate_function_points(target: str, points: Sequence[Mapping[str, Any]],
                             outputs: Sequence[str], seed: int, replications: int
                             ) -> np.ndarray:
    """Call the function ``target`` at ``points``, ``replications`` times each.

    A function that accepts an ``rng`` argument is stochastic: replication ``k`` passes it a
    fresh ``numpy.random.Generator`` seeded by ``SeedSequence([seed, k])`` at every point
    (common random numbers, as the model's replications). Module-level and picklable, so it
    runs as an ensemble task on processes or Dask.

    Returns:
        Array ``(len(points), replications, len(outputs))``.

    Raises:
        InputError: if the function raises an exception or its result lacks an output.
    """
    fn = load_function(target)
    stochastic = is_stochastic(fn)
    out = np.empty((len(points), replications, len(outputs)))
    for i, point in enumerate(points):
        for k in range(replications):
            try:
                if stochastic:
                    rng = np.random.default_rng(np.random.SeedSequence([int(seed), k]))
                    result = fn(dict(point), rng=rng)
                else:
                    result = fn(dict(point))
            except Exception as exc:  # the user's code: report it as one line, with the point
                raise InputError(f"raised {type(exc).__name__}: {exc} at {dict(point)} "
                                 f"(replication {k}); call it with these values to debug",
                                 file=target) from None
            if not isinstance(result, Mapping) or any(o not in result for o in outputs):
                got = ', '.join(result) if isinstance(result, Mapping) else repr(result)
                missing = [o for o in outputs if not isinstance(result, Mapping)
                           or o not in result]
                raise InputError(f"the function's result has no output {', '.join(missing)} "
                                 f"(it returned {got})", file=target,
                                 key="experiment.outputs")
            out[i, k] = [float(result[o]) for o in outputs]
    return out


def build_tasks(exp: Experiment, sample: Sample) -> list[Task]:
    """The ensemble tasks: the noise probe, chunks of the sample, chunks of eFAST's half.

    Keys are ``noise-probe``, ``chunk-000000``, ... and ``half-000000``, ...; every chunk is
    stored as one Parquet part, so a resumed experiment skips the chunks already there.
    """
    if exp.scenario is not None:
        from sim.run.evaluate import evaluate_points

        fn: Callable[..., np.ndarray] = evaluate_points
        model: Any = exp.scenario
        outputs: Any = exp.expressions()
    else:
        fn, model, outputs = evaluate_function_points, exp.function, list(exp.outputs)

    tasks = []
    if needs_probe(exp):
        probe = [sample.points[i] for i in probe_indices(exp, len(sample.points))]
        tasks.append(Task("noise-probe", fn, (model, probe, outputs, exp.seed,
                                              exp.noise_replications)))
    for prefix, points in (("chunk", sample.points), ("half", sample.half_points)):
        for i, part in enumerate(chunks(points, exp.chunk_size)):
            tasks.append(Task(f"{prefix}-{i:06d}", fn,
                              (model, part, outputs, exp.seed, exp.replications)))
    return tasks
