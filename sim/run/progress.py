"""A progress bar on stderr for commands that run simulations.

docs/outputs.md: every such command shows a progress bar on stderr when stderr is a terminal,
unless ``--quiet``. The bar shows completed/total, elapsed time and time remaining. tqdm is
imported only when a bar is actually shown, keeping start-up fast.

Redirected to a file or a pipe (``| tee log``, a batch system's log), a bar would fill the log
with control characters, so a long job writes a plain line instead, once a tenth more of it is
done or :data:`PIPED_EVERY` seconds have passed, and only after it has run that long: a short
job, as most of the tests', prints nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

#: Adds ``n`` completed units to the bar (a no-op when the bar is disabled).
Update = Callable[..., None]


def enabled(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """Whether to show a bar: not quiet and ``stream`` (default stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    if quiet or stream is None:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


#: Seconds a job runs before a log or pipe gets its first line of progress, and at most
#: between two lines.
PIPED_EVERY = 30.0


def _noop(n: int = 1) -> None:
    """Progress update that shows nothing."""


def _clock_text(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``2 h 07 min``."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def piped(total: int, desc: str, unit: str, stream: TextIO,
          clock: Callable[[], float] = time.monotonic) -> Update:
    """An ``update(n=1)`` that writes a plain line of progress to ``stream`` (not a terminal):
    ``compare: 120/400 runs (30 %), 1 min 02 s so far, about 2 min 25 s left``, after
    :data:`PIPED_EVERY` seconds, then at each further tenth or every :data:`PIPED_EVERY`
    seconds, whichever comes first."""
    start = clock()
    state = {"done": 0, "tenth": 0, "last": start}

    def update(n: int = 1) -> None:
        state["done"] += n
        now, done = clock(), state["done"]
        tenth = 10 * done // max(total, 1)
        if now - start < PIPED_EVERY:
            return
        if tenth <= state["tenth"] and now - state["last"] < PIPED_EVERY:
            return
        state["tenth"], state["last"] = tenth, now
        elapsed = now - start
        left = elapsed * (total - done) / done if done else 0.0
        label = f"{desc}: " if desc else ""
        print(f"{label}{done:,}/{total:,} {unit}s ({100 * done // max(total, 1)} %), "
              f"{_clock_text(elapsed)} so far, about {_clock_text(left)} left",
              file=stream, flush=True)

    return update


@contextmanager
def progress(total: int, desc: str = "", quiet: bool = False, *, unit: str = "run",
             stream: TextIO | None = None) -> Iterator[Update]:
    """Show a progress bar while the block runs; yield its ``update(n=1)``.

    Example::

        with progress(replications, "Baseline", quiet=args.quiet) as update:
            run_scenario(scenario, replications=replications, progress=update)

    Args:
        total: number of units (replications) to complete.
        desc: label shown before the bar, e.g. the scenario name.
        quiet: never show a bar.
        unit: name of one unit, shown in the rate.
        stream: where to draw the bar; default ``sys.stderr``. The bar is shown only if it is
            a terminal; elsewhere a long job writes plain lines (:func:`piped`).

    Yields:
        ``update(n=1)``: call it as units complete.
    """
    stream = sys.stderr if stream is None else stream
    if quiet or stream is None:
        yield _noop
        return
    if not enabled(quiet, stream):
        yield piped(total, desc, unit, stream)
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc or None, unit=unit, file=stream, leave=False,
               dynamic_ncols=True, smoothing=0.1)
    try:
        def update(n: int = 1) -> None:
            bar.update(n)

        yield update
    finally:
        bar.close()
