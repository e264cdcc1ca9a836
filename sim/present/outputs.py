"""Write a run's output files: ``timeseries.csv``, ``summary.json`` and ``scenario.toml``.

The formats are the public contract of design.md. They are written so that the same inputs
give the same bytes: no timestamps, no host names, fixed column and key order and a fixed number
format (see :func:`format_number`). Every file is written atomically (temporary file in the same
directory, fsync, rename), so a reader never sees half a file and an interrupted run never
leaves one behind.
"""

from __future__ import annotations

import json
import math
import os
import platform
import secrets
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.inputs.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.scenario import Scenario
    from sim.run.runner import RunResult

TIMESERIES = "timeseries.csv"
SUMMARY = "summary.json"
SCENARIO = "scenario.toml"
#: Files whose presence means a directory holds a previous run (overwritten only with force).
RUN_FILES = (TIMESERIES, SUMMARY, "runs")  # runs/: an interrupted run's parts

#: Significant digits kept for non-integral numbers in ``timeseries.csv``.
SIGNIFICANT_DIGITS = 10
# Integral values below this magnitude are written as integers; every such float is exact.
_EXACT_INT = 2.0**53


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically.

    Writes a temporary file next to ``path``, flushes it to disk and renames it over ``path``,
    so readers see the old file or the new one, never a mix. The file gets the usual
    permissions (0666 less the umask).

    Raises:
        OSError: if the directory is not writable or the disk is full; the temporary file is
            removed first.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically as UTF-8, line endings untouched (``\\n``)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable where the OS allows it (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def format_number(x: float) -> str:
    """Format one value for ``timeseries.csv``, the same way on every platform.

    The rule (stable; changing it changes output bytes):

    * integral values (counts, most NOK sums) with magnitude below 2**53 are written as
      integers without ``.0``: ``12``, ``-3``, ``0`` (also for ``-0.0``);
    * other finite values with :data:`SIGNIFICANT_DIGITS` (10) significant digits in ``%g``
      style, which drops trailing zeros and switches to exponent form only for very large or
      small magnitudes: ``0.25``, ``1234.567891``, ``1.5e-07``;
    * NaN as an empty field (read as missing by pandas, R and spreadsheets); infinities as
      ``inf`` and ``-inf``.
    """
    if math.isnan(x):
        return ""
    if x.is_integer() and abs(x) < _EXACT_INT:
        return str(int(x))
    return format(x, f".{SIGNIFICANT_DIGITS}g")


def timeseries_text(result: RunResult) -> str:
    """The text of ``timeseries.csv``: one row per replication and month.

    Columns ``replication``, ``month`` (0-based), ``date`` (``YYYY-MM``), then one column per
    indicator in :data:`sim.inputs.indicators.NAMES` order; ``\\n`` line endings.
    """
    lines = [",".join(("replication", "month", "date", *result.names))]
    for r in range(result.replications):
        for m, (date, row) in enumerate(zip(result.dates, result.data[r].tolist(), strict=True)):
            lines.append(f"{r},{m},{date}," + ",".join(map(format_number, row)))
    return "\n".join(lines) + "\n"


def write_timeseries(path: str | os.PathLike[str], result: RunResult) -> None:
    """Write ``timeseries.csv`` (see :func:`timeseries_text`) atomically."""
    atomic_write_text(path, timeseries_text(result))


def summary_dict(result: RunResult, provenance: dict[str, Any]) -> dict[str, Any]:
    """The content of ``summary.json`` in contract order (design.md)."""
    return {
        "scenario": result.scenario.name,
        "seed": result.seed,
        "replications": result.replications,
        "start": result.scenario.start,
        "months": len(result.dates),
        "provenance": provenance,
        "indicators": _json_safe(result.summary()),
    }


def write_summary(path: str | os.PathLike[str], result: RunResult,
                  provenance: dict[str, Any]) -> None:
    """Write ``summary.json`` atomically: keys in contract order, indent 2.

    Non-finite numbers (which strict JSON cannot hold) are written as ``null``.
    """
    text = json.dumps(summary_dict(result, provenance), indent=2, ensure_ascii=False,
                      allow_nan=False)
    atomic_write_text(path, text + "\n")


def _json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities replaced by ``None``, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _version(distribution: str) -> str:
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
        "boligsim": _version("boligsim"),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "mesa": _version("mesa"),
        "scenario_digest": scenario.digest(),
        "scenario_sources": list(scenario.sources),
        "seed": seed,
        "executor": executor,
    }


def prepare_out_dir(out_dir: str | os.PathLike[str], *, force: bool = False,
                    files: Iterable[str] = RUN_FILES, option: str = "--force") -> Path:
    """Create ``out_dir`` if needed and make sure writing there loses nothing by accident.

    Call it before a long run, so that a wrong ``--out`` fails at once rather than after the
    simulations.

    Args:
        out_dir: the output directory.
        force: allow overwriting earlier outputs.
        files: names whose presence means the directory holds earlier outputs.
        option: the command-line option to name in the message.

    Raises:
        InputError: naming the directory, if it is a file, cannot be created, or holds earlier
            outputs and ``force`` is false.
    """
    path = Path(out_dir)
    if path.exists() and not path.is_dir():
        raise InputError("exists and is not a directory", file=str(path))
    present = [name for name in files if (path / name).exists()]
    if present and not force:
        raise InputError(
            f"already contains {', '.join(present)} from an earlier run; "
            f"use {option} to overwrite, or choose another directory",
            file=str(path),
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create directory: {exc.strerror}", file=str(path)) from None
    if not os.access(path, os.W_OK):
        raise InputError("directory is not writable", file=str(path))
    return path


def write_run(out_dir: str | os.PathLike[str], result: RunResult, provenance: dict[str, Any],
              *, force: bool = False) -> dict[str, Path]:
    """Write ``scenario.toml``, ``timeseries.csv`` and ``summary.json`` into ``out_dir``.

    ``summary.json`` is written last, so its presence marks a complete run.

    Args:
        out_dir: the output directory, created if missing.
        result: the run.
        provenance: from :func:`provenance`.
        force: overwrite earlier outputs in ``out_dir``.

    Returns:
        ``{file name: path}`` of the files written.

    Raises:
        InputError: see :func:`prepare_out_dir`, or when a file cannot be written.
    """
    path = prepare_out_dir(out_dir, force=force)
    paths = {name: path / name for name in (SCENARIO, TIMESERIES, SUMMARY)}
    try:
        atomic_write_text(paths[SCENARIO], result.scenario.to_toml())
        write_timeseries(paths[TIMESERIES], result)
        write_summary(paths[SUMMARY], result, provenance)
    except OSError as exc:
        where = exc.filename if exc.filename else str(path)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=str(where)) from None
    return paths
