"""Generated blocks inside a hand-written Markdown document.

A block is marked by two HTML comments, invisible when the document is rendered::

    <!-- generated: KEY -->

    ...made by a command...

    <!-- end: KEY -->

so a command can bring its tables up to date in place (``--update docs/scenarios.md``) and
leave the prose around them alone.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def replace_block(text: str, key: str, block: str) -> str:
    """``text`` with the block marked ``key`` replaced by ``block``.

    Raises:
        ValueError: when the document has no such block, or has it more than once.
    """
    begin, end = f"<!-- generated: {key} -->", f"<!-- end: {key} -->"
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.S)
    found = pattern.findall(text)
    if len(found) != 1:
        raise ValueError(f"expected one block marked {begin!r} … {end!r}, found {len(found)}")
    return pattern.sub(lambda _: f"{begin}\n\n{block.strip()}\n\n{end}", text)


def update_file(path: str | Path, blocks: dict[str, str]) -> None:
    """Replace every block of ``blocks`` (key to Markdown) in the document at ``path``; the
    file is written only when every key was found once."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    for key, block in blocks.items():
        text = replace_block(text, key, block)
    path.write_text(text, encoding="utf-8")


def update_command(path: str | Path, blocks: dict[str, str]) -> int:
    """``--update FILE`` of a command that makes blocks: update the file, say so, and return
    the exit status (2, with the reason on stderr, when the file cannot be read, written or
    lacks a block)."""
    try:
        update_file(path, blocks)
    except (OSError, ValueError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 2
    print(f"updated {len(blocks)} table(s) in {path}")
    return 0
