"""A progress bar on stderr for commands that run simulations.

docs/outputs.md: every such command shows a progress bar on stderr when stderr is a terminal,
unless ``--quiet``. When redirected to a file or a pipe (CI logs, scripts) nothing is printed, so
logs stay clean. The bar shows completed/total, elapsed time and time remaining. tqdm is imported
only when a bar is actually shown, keeping start-up fast.
"""

from __future__ import annotations

import sys
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


def _noop(n: int = 1) -> None:
    """Progress update that shows nothing."""


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
            a terminal.

    Yields:
        ``update(n=1)``: call it as units complete.
    """
    stream = sys.stderr if stream is None else stream
    if not enabled(quiet, stream):
        yield _noop
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
