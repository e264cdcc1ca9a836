"""Errors in user input.

Every mistake a user can make in a scenario, experiment or command line is raised as
:class:`InputError`; the CLI turns it into one line on stderr and exit status 2, never a
traceback.
"""

from __future__ import annotations


class InputError(Exception):
    """A problem with user input: names the file, the key and what is allowed.

    Args:
        message: what is wrong and what is allowed instead.
        file: the file the problem is in, if any.
        key: the dotted key the problem is at, if any.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        self.file = file
        self.key = key
        self.message = message
        where = ": ".join(part for part in (file, key) if part)
        super().__init__(f"{where}: {message}" if where else message)
