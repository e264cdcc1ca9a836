"""Progress (sim/run/progress.py): a bar on a terminal, plain lines in a log or pipe for a long
job only, nothing with --quiet."""

from __future__ import annotations

import io

from sim.run.progress import PIPED_EVERY, piped, progress


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_long_job_writes_a_line_each_tenth_to_a_log() -> None:
    log, clock = io.StringIO(), Clock()
    update = piped(100, "compare", "run", log, clock)
    for _ in range(100):
        clock.now += PIPED_EVERY / 10  # 300 s in all: a line from the 11th run on
        update()
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("compare: 10/100 runs (10 %), 30 s so far, about 4 min 30 s left")
    assert lines[-1].startswith("compare: 100/100 runs (100 %), 5 min 00 s so far")
    assert len(lines) == 10  # one a tenth, no more


def test_a_slow_tenth_still_gets_a_line_every_interval() -> None:
    log, clock = io.StringIO(), Clock()
    update = piped(1000, "", "run", log, clock)
    for _ in range(4):
        clock.now += PIPED_EVERY
        update()
    assert len(log.getvalue().splitlines()) == 4
    assert log.getvalue().startswith("1/1,000 runs (0 %), 30 s so far")


def test_a_short_job_and_a_quiet_one_write_nothing() -> None:
    log, clock = io.StringIO(), Clock()
    update = piped(10, "run", "run", log, clock)
    for _ in range(10):
        clock.now += 1.0
        update()
    assert log.getvalue() == ""
    quiet = io.StringIO()
    with progress(10, "run", quiet=True, stream=quiet) as update:
        update(10)
    assert quiet.getvalue() == ""
