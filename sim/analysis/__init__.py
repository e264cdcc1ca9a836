"""Experiments on the model: global sensitivity analysis (SALib) and calibration to observed
facts, built on :mod:`sim.run`."""
