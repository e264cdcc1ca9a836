"""Every citation in the repository can be followed to an entry of ``docs/sources.md``.

A parameter's ``source`` cites entries by their key, an author and a year in parentheses
(``SSB (2014)``, ``Husbanken (n.d.-a)``, ``Røe (2018) §3.1.1``). These tests check that every such
key is an entry of ``docs/sources.md``, that every observed (``context``) parameter cites one, and
that no tracked file cites the project's internal briefing notes, which a reader of the
repository does not have.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sim.inputs.parameters import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources.md"

#: An entry of docs/sources.md: a level-three heading whose text is the key.
ENTRY = re.compile(r"^### (.+?)\s*$", re.MULTILINE)
#: The year part that ends every key: "(2014)", "(2017b)", "(n.d.)", "(n.d.-a)".
YEAR = re.compile(r"\((?:\d{4}[a-z]?|n\.d\.(?:-[a-z])?)\)")
#: A citation: a capitalised word, then a year in parentheses ("SSB (2014)", "Sandbæk (2013)").
#: A year in parentheses after anything else ("dwellings (2018)", "+9.1 % (2016)") is not one.
CITATION = re.compile(r"(?<![\w.-])[A-ZÆØÅ][^\s()]* " + YEAR.pattern)

#: Citations of the briefing notes: a ``shared/`` path, ``design.md``, ``domain.md``, or a
#: ``parameters.md`` that is not the generated reference: ``docs/parameters.md``, or a Markdown
#: link ``](parameters.md)`` from a page beside it.
BRIEF = re.compile(r"shared/|\bdesign\.md|\bdomain\.md|(?<![\w/])(?<!\]\()parameters\.md")

#: Lines that match BRIEF without citing the briefing (path, text of the line, stripped).
NOT_CITATIONS = {
    # the generated page's file name, written to docs/
    ("sim/present/docs.py",
     'PAGES = {"parameters.md": parameters_markdown, "indicators.md": indicators_markdown}'),
}



def entry_keys(text: str) -> set[str]:
    """The citation keys of the entries of a sources page."""
    return set(ENTRY.findall(text))


def unknown_keys(source: str, keys: set[str]) -> list[str]:
    """The citations in ``source`` (a capitalised word and a year in parentheses) that end no
    entry's key."""
    bad = []
    for m in CITATION.finditer(source):
        before = source[: m.end()]
        if not any(before.endswith(k) for k in keys):
            bad.append(m.group())
    return bad


def cited_keys(source: str, keys: set[str]) -> set[str]:
    """The entries ``source`` cites."""
    return {k for k in keys if k in source}


def brief_citations(files: dict[str, str]) -> list[tuple[str, str]]:
    """``(path, line)`` of every line citing the briefing notes, known exceptions left out."""
    hits = []
    for path, text in files.items():
        for line in text.splitlines():
            if BRIEF.search(line) and (path, line.strip()) not in NOT_CITATIONS:
                hits.append((path, line.strip()))
    return hits


@pytest.fixture(scope="module")
def keys() -> set[str]:
    return entry_keys(SOURCES.read_text(encoding="utf-8"))


def tracked_texts() -> dict[str, str]:
    """Every tracked text file of the repository but this test, by its path."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    texts = {}
    this = Path(__file__).resolve().relative_to(ROOT).as_posix()
    for name in out.decode().split("\0"):
        path = ROOT / name
        if not name or name == this or not path.is_file():
            continue
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images and other binary files
    return texts


def test_entries_are_unique_and_keyed(keys):
    text = SOURCES.read_text(encoding="utf-8")
    headings = ENTRY.findall(text)
    assert len(headings) == len(set(headings)), "duplicate entry in docs/sources.md"
    for key in headings:
        assert YEAR.search(key) and key.endswith(")"), f"entry {key!r} has no (year) key"


def test_every_cited_key_is_an_entry(keys):
    """A source, or the reason for a plausible range, naming "Author (year)" must find that
    entry in docs/sources.md."""
    bad = {p.path: unknown_keys(p.source + " " + p.plausible_reason, keys)
           for p in REGISTRY.values()}
    bad = {path: b for path, b in bad.items() if b}
    assert not bad, f"citations with no entry in docs/sources.md: {bad}"


def test_every_context_parameter_cites_an_entry(keys):
    """An observed input must say where it was observed."""
    missing = [p.path for p in REGISTRY.values()
               if p.kind == "context" and not cited_keys(p.source, keys)]
    assert not missing, f"context parameters citing no docs/sources.md entry: {missing}"


def test_calibration_targets_cite_entries(keys):
    """Every calibration target's source names an entry of docs/sources.md, and only entries."""
    import tomllib

    targets = tomllib.loads((ROOT / "calibration" / "targets.toml").read_text(encoding="utf-8"))
    sources = [t["source"] for t in targets.get("targets", [])]
    assert sources
    for source in sources:
        assert cited_keys(source, keys), source
        assert not unknown_keys(source, keys), source


def test_no_file_cites_the_briefing_notes():
    """Internal briefing files are not in the repository: cite docs/sources.md instead."""
    hits = brief_citations(tracked_texts())
    assert not hits, "cite docs/sources.md (or docs/outputs.md) instead:\n" + "\n".join(
        f"{path}: {line}" for path, line in hits)


def test_the_checks_catch_what_they_should(keys):
    """The checks above fail on an unknown key and on a citation of the briefing."""
    assert unknown_keys("Nobody (2031): a figure", keys) == ["Nobody (2031)"]
    assert unknown_keys("SSB (2099): a figure", keys)
    assert not unknown_keys("SSB (2014): 2.5 % (2011 data); Husbanken (n.d.-a)", keys)
    assert not cited_keys("no public figure found", keys)
    files = {"a.py": "x  # shared/parameters.md: a row", "b.md": "see docs/parameters.md",
             "c.toml": "# (design.md)", "d.md": "parameters.md, start loans",
             "e.md": "the [reference](parameters.md)", "f.md": "(domain.md §4)"}
    assert [p for p, _ in brief_citations(files)] == ["a.py", "c.toml", "d.md", "f.md"]
