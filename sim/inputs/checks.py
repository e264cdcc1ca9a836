"""Checks of TOML input files, shared by scenarios, experiments and calibration set-ups.

Every check either returns the value (converted where that is safe: an integer for a float)
or raises an :class:`~sim.inputs.errors.InputError` naming the file, the dotted key and what
is allowed, so every kind of input file says its mistakes the same way and the command line
prints one line.
"""

from __future__ import annotations

import math
import os
import stat
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

from sim.inputs.errors import InputError

#: The largest TOML input read, bytes: far above any scenario, experiment or calibration file,
#: and small enough that a wrong file (a data dump, a device) is refused rather than read.
MAX_TOML_BYTES = 10_000_000


def read_toml(file: str, what: str = "scenario file", *, missing: str = "file not found"
              ) -> dict[str, Any]:
    """Parse a TOML file, turning every failure into a one-line :class:`InputError`.

    Args:
        file: the path, as the user gave it.
        what: the kind of file, for the message when the path is a directory.
        missing: the message for a file that does not exist.
    """
    try:
        _check_readable(file, what)
        with open(file, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(missing, file=file) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a {what}", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=file) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save the file as UTF-8", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", file=file) from None
    except RecursionError:
        raise InputError("invalid TOML: arrays or tables nested too deeply", file=file) from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise InputError(f"invalid TOML: {exc}".split("; use sys.")[0], file=file) from None


def _check_readable(file: str, what: str) -> None:
    """Refuse, before reading, what is not a regular file of a sensible size: a FIFO would
    wait for a writer, a device never end (``OSError`` for a missing file or a folder)."""
    info = os.stat(file)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"is not a regular file (a pipe or device), not a {what}", file=file)
    if info.st_size > MAX_TOML_BYTES:
        raise InputError(f"is {info.st_size:,} bytes; a {what} is at most {MAX_TOML_BYTES:,}",
                         file=file)


def flatten_tables(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables as ``{dotted path: value}`` (parameter values are never tables)."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten_tables(value, path))
        else:
            out[path] = value
    return out


def reject_unknown_keys(table: Mapping[str, Any], allowed: Sequence[str], file: str,
                        where: str) -> None:
    """Stop at the first key of ``table`` (the TOML table ``where`` of ``file``) that is not in
    ``allowed``, naming the keys that are.

    Raises:
        InputError: ``unknown key; allowed keys are ...`` with key ``where.KEY``.
    """
    for key in table:
        if key not in allowed:
            raise InputError(f"unknown key; allowed keys are {', '.join(allowed)}", file=file,
                             key=f"{where}.{key}")


def reject_unknown_tables(data: Mapping[str, Any], allowed: Sequence[str], file: str) -> None:
    """Stop at the first top-level key of ``file`` that is not one of the ``allowed`` tables.

    For files made of a fixed set of tables, where a misspelt table would otherwise be ignored
    and its settings silently fall back to their defaults.

    Raises:
        InputError: ``unknown table; allowed tables are ...`` with the key as written.
    """
    for key in data:
        if key not in allowed:
            raise InputError(f"unknown table; allowed tables are {', '.join(allowed)}", file=file,
                             key=key)


def table(data: Mapping[str, Any], name: str, file: str, *, required: bool = False
          ) -> dict[str, Any]:
    """The table ``[name]`` of ``data`` (empty when absent and not ``required``)."""
    value = data.get(name)
    if value is None and required:
        raise InputError(f"missing; add a [{name}] table", file=file, key=name)
    if value is not None and not isinstance(value, dict):
        raise InputError(f"expected a table [{name}]", file=file, key=name)
    return value or {}


def settings(data: Mapping[str, Any], defaults: Mapping[str, Any], file: str, name: str
             ) -> dict[str, Any]:
    """The table ``[name]`` of ``data`` over ``defaults``; a key without a default is unknown."""
    given = table(data, name, file)
    reject_unknown_keys(given, list(defaults), file, name)
    return {**defaults, **given}


def text(value: object, file: str, key: str, *, required: bool = True) -> str:
    """A non-empty string (stripped); with ``required`` False, None or any string (``""``)."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        what = "a non-empty string" if required else "a string"
        raise InputError(f"expected {what}, got {value!r}", file=file, key=key)
    return value.strip()


def boolean(value: object, file: str, key: str) -> bool:
    """``true`` or ``false``, nothing else (TOML has no truthy numbers)."""
    if not isinstance(value, bool):
        raise InputError(f"expected true or false, got {value!r}", file=file, key=key)
    return value


def choice(value: object, choices: Sequence[str], file: str, key: str) -> str:
    """One of ``choices``."""
    if value not in choices:
        raise InputError(f"expected one of {', '.join(choices)}, got {value!r}", file=file,
                         key=key)
    return str(value)


def number(value: object, file: str, key: str | None, *, integer: bool = False,
           low: float | None = None, high: float | None = None, low_open: bool = False,
           unit: str = "") -> Any:
    """A finite number (an integer with ``integer``) within ``[low, high]``.

    Args:
        low, high: inclusive bounds, or None for none; ``low_open`` excludes ``low`` itself.
        unit: named after the range in the message, e.g. ``years``.

    Returns:
        An ``int`` with ``integer``, else a ``float``.
    """
    kind = "an integer" if integer else "a number"
    if low is not None and high is not None:
        span = (f" above {low:g} up to {high:g}" if low_open else f" from {low:g} to {high:g}")
    elif low is not None:
        span = f" > {low:g}" if low_open else f" >= {low:g}"
    elif high is not None:
        span = f" <= {high:g}"
    else:
        span, kind = "", "an integer" if integer else "a finite number"
    span += f" ({unit})" if unit else ""
    wrong = InputError(f"expected {kind}{span}, got {value!r}", file=file, key=key)
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or (integer and not isinstance(value, int)) or not math.isfinite(value)):
        raise wrong
    v = float(value)
    if (low is not None and (v <= low if low_open else v < low)) or (
            high is not None and v > high):
        raise wrong
    return int(value) if integer else v


def bounds(value: object, file: str, key: str) -> tuple[float, float]:
    """``[low, high]``: two finite numbers, low below high."""
    if not isinstance(value, list) or len(value) != 2 or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            for v in value):
        raise InputError(f"expected [low, high] with two finite numbers, got {value!r}",
                         file=file, key=key)
    low, high = float(value[0]), float(value[1])
    if not low < high:
        raise InputError(f"low must be below high, got {value!r}", file=file, key=key)
    return low, high
