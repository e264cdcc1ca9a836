"""Generated tables in hand-written documents: ``--update`` replaces exactly the marked block,
refuses a document without it, and leaves the prose alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.present import tables
from sim.run.marked import replace_block, update_file

DOC = """# Notes

Prose before.

<!-- generated: table verdal -->

old table

<!-- end: table verdal -->

Prose after.
"""


def test_replace_block_changes_only_the_marked_block() -> None:
    new = replace_block(DOC, "table verdal", "| a |\n|---|\n| 1 |\n")
    assert "old table" not in new and "| 1 |" in new
    assert new.startswith("# Notes\n\nProse before.\n") and new.endswith("\nProse after.\n")
    assert replace_block(new, "table verdal", "| a |\n|---|\n| 1 |") == new  # idempotent


@pytest.mark.parametrize("doc", [DOC.replace("table verdal", "table malvik"), DOC + DOC])
def test_replace_block_refuses_a_missing_or_repeated_block(doc: str) -> None:
    with pytest.raises(ValueError, match="table verdal"):
        replace_block(doc, "table verdal", "x")


def test_update_file_writes_nothing_unless_every_block_is_found(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(DOC, encoding="utf-8")
    with pytest.raises(ValueError):
        update_file(path, {"table verdal": "new", "table malvik": "new"})
    assert path.read_text(encoding="utf-8") == DOC


def test_tables_update_writes_the_printed_table_in_place(tmp_path: Path, capsys) -> None:
    path = tmp_path / "doc.md"
    path.write_text(DOC, encoding="utf-8")
    args = ["scenarios/verdal.toml", "--replications", "2", "--seed", "3"]
    assert tables.main(args) == 0
    printed = capsys.readouterr().out
    assert tables.main([*args, "--update", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert printed.strip() in text and "old table" not in text and "Prose after." in text
    assert tables.main([*args, "--update", str(tmp_path / "missing.md")]) == 2
