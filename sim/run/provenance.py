"""What produced a result: the boligsim version, the source's git commit, the libraries, the
scenario's digest, the seed and how the runs were executed. Deliberately without timestamps or
host names, so that the same inputs give the same files.
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.scenario import Scenario


def version(distribution: str = "boligsim") -> str:
    """The installed version of ``distribution`` (``unknown`` when it is not installed)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def git_commit(directory: str | os.PathLike[str] | None = None) -> str | None:
    """The commit checked out in the git work tree holding ``directory``, or ``None``.

    ``directory`` defaults to this package's source directory, so the answer says which source
    produced a run. ``None`` when git is missing, the source is not in a repository (an
    installed wheel), or the repository has no commit yet.
    """
    directory = Path(directory) if directory is not None else Path(__file__).resolve().parent
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=directory,
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def provenance(scenario: Scenario, seed: int, executor: str) -> dict[str, Any]:
    """What produced a run, for ``summary.json``; deliberately without any timestamp.

    Args:
        scenario: the resolved scenario (its digest identifies what was simulated).
        seed: the run's seed.
        executor: how replications were run (``RunResult.executor``).

    Returns:
        ``boligsim`` version, ``git_commit`` of the source (or ``None``), ``python``,
        ``numpy`` and ``mesa`` versions, ``scenario_digest``, ``scenario_sources``, ``seed``
        and ``executor``.
    """
    import numpy as np

    return {
        "boligsim": version(),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "mesa": version("mesa"),
        "scenario_digest": scenario.digest(),
        "scenario_sources": list(scenario.sources),
        "seed": seed,
        "executor": executor,
    }


