"""The generated reference pages must match the registry and the indicator list."""

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
