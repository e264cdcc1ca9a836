"""docs/ODD.md must stay true to the code: its structure, schedule, submodels and parameters.

When a test here fails, the model changed and the ODD did not (or the other way round): update
docs/ODD.md so that it describes what the code does.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from sim.engine.model import HousingModel
from sim.inputs.parameters import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
ODD = ROOT / "docs" / "ODD.md"

HEADINGS = (
    "## 1. Purpose and patterns",
    "## 2. Entities, state variables and scales",
    "## 3. Process overview and scheduling",
    "## 4. Design concepts",
    "## 5. Initialization",
    "## 6. Input data",
    "## 7. Submodels",
)

DESIGN_CONCEPTS = ("basic principles", "emergence", "adaptation", "objectives", "learning",
                   "prediction", "sensing", "interaction", "stochasticity", "collectives",
                   "observation")

#: First parts of registry paths; a backticked dotted name starting with one is a parameter.
REGISTRY_PREFIXES = ("policy", "market", "economy", "work", "demography", "population", "stock",
                     "bank", "ownership", "tenancy", "municipality")

#: A numbered process with a bold name: "3. **Work** ..." (in the docstring or in section 3).
PROCESS = re.compile(r"^\s*(\d+)\.\s+\*\*(.+?)\*\*", re.MULTILINE)
#: A submodel heading: "### 7.N Name (`sim/module.py`, `function`)".
SUBMODEL = re.compile(r"^### 7\.(\d+) (.+) \(`(sim/[\w/]+\.py)`, `([\w.]+)`\)\s*$", re.MULTILINE)
#: Inline code spans and fenced code blocks, where parameter paths are written.
CODE = re.compile(r"```.*?```|`[^`]+`", re.DOTALL)
_PREFIX = "|".join(REGISTRY_PREFIXES)
#: A registry path inside code: `policy.rotation.review`, or within `H = economy.x · ...`.
PARAM = re.compile(rf"(?<![\w./])((?:{_PREFIX})\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")


@pytest.fixture(scope="module")
def text() -> str:
    return ODD.read_text(encoding="utf-8")


def section(text: str, number: int) -> str:
    """The text of top-level section ``number`` (from its heading to the next one)."""
    start = text.index(HEADINGS[number - 1])
    end = text.index(HEADINGS[number], start) if number < len(HEADINGS) else len(text)
    return text[start:end]


def docstring_processes() -> list[tuple[int, str, str]]:
    """(number, bold name, item text) of each process in HousingModel.step's docstring."""
    doc = HousingModel.step.__doc__ or ""
    found = list(PROCESS.finditer(doc))
    return [(int(m.group(1)), m.group(2), doc[m.start():found[k + 1].start()
                                             if k + 1 < len(found) else len(doc)])
            for k, m in enumerate(found)]


def test_top_level_headings_in_order(text):
    top = [line.rstrip() for line in text.splitlines() if line.startswith("## ")]
    assert top == list(HEADINGS), f"top-level headings should be {list(HEADINGS)}, got {top}"


def test_design_concepts_have_subsections(text):
    sub = [line[4:].lower() for line in section(text, 4).splitlines()
           if line.startswith("### ")]
    for concept in DESIGN_CONCEPTS:
        assert any(concept in heading for heading in sub), f"no subsection for {concept}"


def test_processes_match_step_docstring(text):
    expected = docstring_processes()
    assert len(expected) >= 10, "HousingModel.step's docstring lost its numbered processes"
    listed = [(int(m.group(1)), m.group(2)) for m in PROCESS.finditer(section(text, 3))]
    want = [(number, name) for number, name, _ in expected]
    assert listed == want, f"section 3 lists {listed}; HousingModel.step says {want}"


def test_processes_name_their_functions(text):
    """Each process the docstring ties to a function names that function in section 3."""
    items = {int(m.group(1)): m for m in PROCESS.finditer(section(text, 3))}
    sec = section(text, 3)
    for number, name, item in docstring_processes():
        start = items[number].start()
        after = [m.start() for k, m in items.items() if k > number]
        ours = sec[start:min(after) if after else len(sec)]
        for func in re.findall(r":func:`([\w.]+)`", item):
            assert f"`{func}`" in ours, f"process {number} ({name}) should name `{func}`"


def test_submodel_headings_name_real_functions(text):
    found = list(SUBMODEL.finditer(section(text, 7)))
    assert len(found) >= 20, "section 7 should hold one subsection per submodel"
    numbers = [int(m.group(1)) for m in found]
    assert numbers == list(range(1, len(found) + 1)), "submodels numbered 7.1, 7.2, ..."
    headings = [line for line in section(text, 7).splitlines() if line.startswith("### ")]
    assert len(headings) == len(found), "every submodel heading names `sim/module.py`, `function`"
    for m in found:
        path, func = m.group(3), m.group(4)
        assert (ROOT / path).is_file(), f"7.{m.group(1)}: no file {path}"
        obj = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        for part in func.split("."):
            assert hasattr(obj, part), f"7.{m.group(1)}: {path} has no {func}"
            obj = getattr(obj, part)
        assert callable(obj), f"7.{m.group(1)}: {path}:{func} is not a function"


def parameter_paths(text: str) -> set[str]:
    """Every registry-like dotted path written in code spans or blocks of ``text``."""
    return {path for code in CODE.findall(text) for path in PARAM.findall(code)}


def test_parameter_paths_exist_in_registry(text):
    paths = parameter_paths(text)
    assert len(paths) >= 50, "the ODD should name the parameters each submodel uses"
    unknown = sorted(p for p in paths if p not in REGISTRY)
    assert not unknown, f"not in sim.inputs.parameters.REGISTRY: {unknown}"


def test_every_family_column_is_a_state_variable(text):
    """Each column of the family arrays has its row in the table of state variables (a new
    column without one is state the ODD does not describe)."""
    from sim.engine.families import COLUMNS

    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", text, re.M))
    missing = sorted(set(COLUMNS) - documented)
    assert not missing, f"docs/ODD.md has no row for the family columns {missing}"
