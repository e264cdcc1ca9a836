"""The generated reference pages must match the registry and the indicator list."""

import re
from pathlib import Path

import pytest

from sim.present.docs import PAGES

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_generated_page_is_up_to_date(name):
    """Run `python -m sim.present.docs` when this fails: the page no longer matches the code."""
    assert (DOCS / name).read_text(encoding="utf-8") == PAGES[name](), (
        f"docs/{name} is out of date; run `python -m sim.present.docs`")


def test_every_parameter_has_a_source_and_description():
    """A parameter without description or source cannot be trusted by a reader."""
    from sim.inputs.parameters import REGISTRY

    for p in REGISTRY.values():
        assert p.description.strip() and p.source.strip(), p.path


#: A path into the repository written in prose: a file of the code, tests, docs or inputs.
REPO_PATH = re.compile(r"(?<![\w/.])((?:sim|tests|benchmarks|docs|scenarios|experiments|"
                       r"calibration)/[\w/.-]*\w\.(?:py|md|toml|json|png))")
#: A dotted module of the package written in prose: ``sim.engine.model``, ``python -m sim.x``.
MODULE = re.compile(r"(?<![\w./])(sim(?:\.[a-z_]+)+)")


def prose() -> list[Path]:
    root = DOCS.parent
    return [root / "README.md", root / "CONTRIBUTING.md", *sorted(DOCS.rglob("*.md"))]


def test_the_docs_name_files_that_exist():
    """A guide or reference that names a module, test or input file names one that is there
    (after a file moves, its old path in the docs fails this test)."""
    root = DOCS.parent
    missing = [f"{page.relative_to(root)}: {path}" for page in prose()
               for path in REPO_PATH.findall(page.read_text(encoding="utf-8"))
               if not (root / path).exists() and not (page.parent / path).exists()]
    assert not missing, missing


def test_the_docs_name_modules_that_exist():
    """Every dotted name ``sim.x.y`` in the docs is a module, or an attribute of one."""
    import importlib

    def resolves(name: str) -> bool:
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                if not hasattr(obj, attr):
                    return False
                obj = getattr(obj, attr)
            return True
        return False

    names = {n.rstrip(".") for page in prose()
             for n in MODULE.findall(page.read_text(encoding="utf-8"))}
    assert not [n for n in sorted(names) if not resolves(n)]
