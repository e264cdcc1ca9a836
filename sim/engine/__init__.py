"""The model: families as arrays, the monthly schedule, and the processes that act on them.

Imports :mod:`sim.inputs` only; running many models, analysing and presenting them live in the
layers above (:mod:`sim.run`, :mod:`sim.analysis`, :mod:`sim.present`).
"""
