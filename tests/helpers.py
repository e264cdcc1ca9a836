"""Helpers the command-line tests share: call ``boligsim`` in-process, check one-line errors,
find a free port for a server."""

from __future__ import annotations

import socket

import pytest

from sim.cli import main


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Call ``boligsim`` in-process with ``args``; return (exit status, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *needles: str) -> None:
    """``err`` is one line ``boligsim: error: ...`` containing every needle, no traceback."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("boligsim: error: "), err
    for needle in needles:
        assert needle in lines[0], (needle, err)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that no program listens on now (for a server a test starts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
