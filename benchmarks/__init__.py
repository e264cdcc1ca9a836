"""Benchmarks of the engine (``python benchmarks/run.py``) and its per-agent Mesa reference."""
