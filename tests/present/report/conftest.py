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


@pytest.fixture(scope="session")
def own_report() -> Report:
    """Verdal against the same municipality under baseline practice (``--against-baseline``):
    a like-with-like comparison whose differences the summary states, in Norwegian."""
    from sim.run.compare import against_baseline

    verdal, baseline = (load_scenario(p, years=2) for p in SCENARIOS[::-1])
    scenarios, refs = against_baseline([verdal], baseline)
    results = [run_scenario(s, replications=3, seed=5) for s in scenarios]
    return build_report(results, reference_of=refs)


@pytest.fixture(scope="session")
def pair_report_en() -> Report:
    """Verdal and Stjørdal, each against its own municipality under baseline practice, in
    English: a summary of two rows, longer words, four scenarios on every figure."""
    from sim.run.compare import against_baseline

    root = SCENARIOS[0].parent
    models = [load_scenario(root / f"{name}.toml", years=2) for name in ("verdal", "stjordal")]
    scenarios, refs = against_baseline(models, load_scenario(SCENARIOS[0], years=2))
    results = [run_scenario(s, replications=3, seed=5) for s in scenarios]
    return build_report(results, "en", reference_of=refs)
