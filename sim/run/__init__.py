"""Running the model: seeded replications, batches of towns, paired comparisons, ensembles of
tasks in this process, local processes or on Dask, stored as they finish so that a run resumes.

Imports :mod:`sim.inputs` and :mod:`sim.engine`.
"""
