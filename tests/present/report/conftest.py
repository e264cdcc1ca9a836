"""The runs the report's tests share: tiny runs (two years, three replications) of two
scenarios, as ``boligsim run`` writes them, as an English HTML report made by ``boligsim
report``, and as a Norwegian :class:`sim.present.report.Report` built in-process."""

from __future__ import annotations

import json

import pytest
from report_helpers import SCENARIOS, TINY, HtmlCells

from sim.cli import main
from sim.inputs.scenario import load_scenario
from sim.present.report import Report, build_report
from sim.run.runner import run_scenario


@pytest.fixture(scope="session")
def summaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """``boligsim run`` of each scenario with the report's seed and replications."""
    out = {}
    for path in SCENARIOS:
        folder = tmp_path_factory.mktemp(path.stem)
        assert main(["run", str(path), *TINY, "--out", str(folder)]) == 0
        data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        out[data["scenario"]] = data
    return out


@pytest.fixture(scope="session")
def html_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``boligsim report ... --lang en --out report.html`` of the two scenarios."""
    out = tmp_path_factory.mktemp("html") / "report.html"
    assert main(["report", *map(str, SCENARIOS), *TINY, "--worlds", "0", "--lang", "en", "--out",
                 str(out)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def html_cells(html_report: str) -> HtmlCells:
    """The HTML report's table cells and images."""
    return HtmlCells(html_report)


@pytest.fixture(scope="session")
def nb_report() -> Report:
    """The same runs as a Norwegian report, built in-process."""
    results = [run_scenario(load_scenario(p, years=2), replications=3, seed=5)
               for p in SCENARIOS]
    return build_report(results)
