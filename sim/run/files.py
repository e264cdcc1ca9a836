"""How boligsim writes files: atomically, into output folders that lose nothing by accident,
with one number format, and figures drawn without a display.

Every output file is written atomically (a temporary file in the same folder, fsync, rename),
so a reader never sees half a file and an interrupted run never leaves one behind. Numbers are
written the same way on every platform (:func:`format_number`), so the same inputs give the
same bytes.
"""

from __future__ import annotations

import atexit
import io
import math
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.inputs.errors import InputError

#: Significant digits kept for non-integral numbers in CSV files.
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
    except OSError as exc:  # a failed write names no file: name the one meant
        tmp.unlink(missing_ok=True)
        if exc.errno is None or exc.filename not in (None, str(tmp)):
            raise
        raise OSError(exc.errno, os.strerror(exc.errno), str(path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def save_figure(fig: Any, path: str | os.PathLike[str], dpi: int = 120) -> None:
    """Save a matplotlib figure to ``path`` atomically (format from the suffix), so a reader
    or a killed run never leaves half a PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format=Path(path).suffix.lstrip(".") or "png", dpi=dpi)
    atomic_write_bytes(path, buf.getvalue())


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


def prepare_out_dir(out_dir: str | os.PathLike[str], *, force: bool = False,
                    files: Iterable[str] = (), option: str = "--force") -> Path:
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
    if not str(out_dir).strip():
        raise InputError("expected a folder, got an empty name", file="--out")
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
    lock_folder(path)
    return path


#: The lock file :func:`lock_folder` holds in an output folder.
LOCK_FILE = ".boligsim.lock"
_held: dict[Path, int] = {}  # folder -> the open lock file this process holds


def lock_folder(path: Path) -> None:
    """Hold an exclusive lock on the output folder ``path`` until :func:`release_locks` (the
    end of the command): two runs writing one folder would mix their parts. A folder this
    process holds already is left as it is.

    Raises:
        InputError: naming the folder, when another process holds it.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks here
        return
    key = path.resolve()
    if key in _held:
        return
    fd = os.open(key / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise InputError(f"another boligsim run (process {holder}) is writing to this folder; "
                         "wait for it to end, or choose another", file=str(path)) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    _held[key] = fd


def release_locks() -> None:
    """Let go of every output folder this process locked: remove the lock file (the folder
    then holds only what the command wrote) and close it, which frees the lock."""
    while _held:
        folder, fd = _held.popitem()
        try:
            os.unlink(folder / LOCK_FILE)
        except OSError:  # the folder was removed meanwhile
            pass
        os.close(fd)


atexit.register(release_locks)  # a Python caller that never calls it: at the latest at exit


#: The colours of every figure: the Okabe-Ito palette, safe for colour-blind readers
#: (Okabe & Ito 2008).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")


def pyplot() -> Any:
    """matplotlib's ``pyplot``, drawing to files (the Agg backend unless one is chosen
    already), imported only when a figure is made so that commands start fast."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt
