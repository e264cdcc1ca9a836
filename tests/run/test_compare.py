"""Comparing like with like: each model against its own municipality under baseline practice,
figures per 1,000 inhabitants, and a word when the towns compared differ.

A politician shown "Stjørdal costs more than Verdal" is shown the size of Stjørdal, not its
policy. These tests check what a user of ``boligsim compare`` would: that ``--against-baseline``
gives the same paired difference as running the model and its counterfactual by hand, that
``--per-1000`` divides counts and money (not means) by the right town's size, and that
comparing towns of different sizes directly is said in one line for each difference.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from helpers import cli

from sim.inputs.indicators import INDEX
from sim.inputs.scenario import load_scenario
from sim.run.compare import Comparison, against_baseline, run_paired, unlike

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BASELINE, VERDAL, STJORDAL = (SCENARIOS / f"{n}.toml" for n in ("baseline", "verdal", "stjordal"))
#: Small and short, enough for the arithmetic: the statistics are not what is tested.
YEARS, REPLICATIONS, SEED = 1, 3, 5


def short(path: Path):
    return dataclasses.replace(load_scenario(path, years=YEARS), burn_in=2)


def test_unlike_names_every_difference_in_size_stock_and_period() -> None:
    base, stj = short(BASELINE), short(STJORDAL)
    lines = unlike([base, stj])
    text = "\n".join(lines)
    assert len(lines) == 3, lines  # inhabitants, municipal and sublet dwellings
    assert "23 592 inhabitants" in text and "15 000" in text
    assert "178 municipal dwellings" in text and "80 sublet dwellings" in text
    later = unlike([base, short(VERDAL)])  # Verdal's size and stock, from 2011
    assert later == ["Verdal runs 2011-01 for 1 years, Baseline 2012-01 for 1"], later
    assert unlike([base, dataclasses.replace(base, name="Same town")]) == []


def test_against_baseline_pairs_each_model_with_its_own_municipality() -> None:
    # Verdal's model from 2013: three years from 2011, so its review has a year to act
    verdal = dataclasses.replace(load_scenario(VERDAL, years=3), burn_in=2)
    stjordal, base = short(STJORDAL), short(BASELINE)
    runs, refs = against_baseline([verdal, stjordal], base)
    assert refs == [0, 0, 2, 2]
    assert [r.name for r in runs] == ["Verdal, baseline practice", "Verdal",
                                      "Stjørdal, baseline practice", "Stjørdal"]
    for counterfactual, model in (runs[:2], runs[2:]):
        p, q = counterfactual.params_at(0), model.params_at(0)
        assert p["municipality.inhabitants"] == q["municipality.inhabitants"]
        assert p["stock.municipal_dwellings"] == q["stock.municipal_dwellings"]
        assert (counterfactual.start, counterfactual.years) == (model.start, model.years)
        assert counterfactual.phases == []
    results = run_paired(runs, replications=REPLICATIONS, seed=SEED)
    rows = Comparison(results, reference_of=refs).rows()
    k = INDEX["children_municipal"]
    for i in (1, 3):  # each model's difference is against its own counterfactual
        expected = (results[i].run_values()[:, k] - results[i - 1].run_values()[:, k]).mean()
        row = next(r for r in rows if r["indicator"] == "children_municipal"
                   and r["scenario"] == results[i].scenario.name)
        assert row["diff"] == pytest.approx(expected)
    # Verdal's model empties its dwellings of children against Verdal under old practice
    verdal_row = next(r for r in rows if r["indicator"] == "children_municipal"
                      and r["scenario"] == "Verdal")
    assert verdal_row["diff_ci_high"] < 0


def test_per_1000_divides_counts_and_money_by_the_towns_own_size() -> None:
    base, stj = short(BASELINE), short(STJORDAL)
    results = run_paired([base, stj], replications=REPLICATIONS, seed=SEED)
    plain = {(r["indicator"], r["scenario"]): r for r in Comparison(results).rows()}
    per = {(r["indicator"], r["scenario"]): r
           for r in Comparison(results, per_1000=True).rows()}
    for name, town, size in (("Baseline", "families", 15.0), ("Stjørdal", "families", 23.592),
                             ("Stjørdal", "municipal_net_cost_nok", 23.592)):
        key = (town, results[0 if name == "Baseline" else 1].scenario.name)
        assert per[key]["mean"] == pytest.approx(plain[key]["mean"] / size)
    months = ("mean_months_in_municipal", results[1].scenario.name)
    assert per[months]["mean"] == pytest.approx(plain[months]["mean"])
    # the difference per 1,000 is the difference of each town's own rate
    key = ("families", results[1].scenario.name)
    base_rate = results[0].run_values()[:, INDEX["families"]] / 15.0
    stj_rate = results[1].run_values()[:, INDEX["families"]] / 23.592
    assert per[key]["diff"] == pytest.approx(np.mean(stj_rate - base_rate))


def test_compare_says_when_towns_differ_and_pairs_against_baseline(capsys, tmp_path: Path
                                                                   ) -> None:
    code, _, err = cli(capsys, "compare", BASELINE, STJORDAL, "--years", 1, "--replications",
                       2, "--quiet", "--out", tmp_path / "direct")
    assert code == 0
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert any("23 592 inhabitants" in line for line in notes), err
    assert any("--against-baseline" in line for line in notes), err
    kept = json.loads((tmp_path / "direct" / "provenance.json").read_text())["unlike"]
    assert [f"note: {line}" for line in kept] == notes  # the outputs keep what was said

    code, _, err = cli(capsys, "compare", VERDAL, STJORDAL, "--against-baseline", "--per-1000",
                       "--years", 1, "--replications", 2, "--worlds", 0, "--quiet", "--out",
                       tmp_path / "paired")
    assert code == 0 and "note: " not in err
    with open(tmp_path / "paired" / "comparison.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    assert scenarios == ["Verdal, baseline practice", "Verdal", "Stjørdal, baseline practice",
                         "Stjørdal"]
    assert all(float(r["diff"]) == 0 for r in rows if r["scenario"].endswith("practice"))
    assert (tmp_path / "paired" / "differences.png").stat().st_size > 0


def test_report_warns_of_unlike_towns_and_sets_each_model_against_its_baseline(
        capsys, tmp_path: Path) -> None:
    """The report's front page says when towns differ (in both languages); with
    ``--against-baseline`` one model's reference is the same municipality under baseline
    practice, and with two models each is set against its own municipality: every difference
    sentence names that municipality's baseline, never the other's."""
    import html
    import re

    def text(path: Path) -> str:
        return " ".join(html.unescape(re.sub("<[^>]+>", " ", path.read_text("utf-8"))).split())

    for lang, needle, levels in (
            ("en", "“Stjørdal” differs from “Baseline”", "no differences are given here"),
            ("nb", "«Stjørdal» skiller seg fra «Dagens praksis»", "forskjeller står ikke her")):
        out = tmp_path / f"direct_{lang}.html"
        code, _, err = cli(capsys, "report", BASELINE, STJORDAL, "--lang", lang, "--years", 1,
                           "--replications", 2, "--worlds", 0, "--quiet", "--out", out)
        assert code == 0 and "23 592 inhabitants" in err
        page = text(out)
        assert needle in page
        # no sentence states a difference between the two towns as the policy's
        assert "than in" not in page and "enn i" not in page, lang
        assert levels in page

    out = tmp_path / "verdal.html"
    code, _, err = cli(capsys, "report", VERDAL, "--against-baseline", "--lang", "en",
                       "--years", 1, "--replications", 2, "--worlds", 0, "--quiet", "--out", out)
    assert code == 0 and "note: " not in err
    page = text(out)
    assert "The reference is “Verdal, baseline practice”" in page and "differs from" not in page
    assert page.count("than in “Verdal, baseline practice”") >= 3  # the summary's differences

    out = tmp_path / "two.html"
    code, _, err = cli(capsys, "report", VERDAL, STJORDAL, "--against-baseline", "--lang", "en",
                       "--years", 1, "--replications", 2, "--worlds", 0, "--quiet", "--out", out)
    assert code == 0 and "note: " not in err
    page = text(out)
    assert "Each municipality's model is set against the same municipality" in page
    assert "differs from" not in page and "The reference is" not in page
    # each model's summary row, every difference against its own municipality's baseline
    own = page.count("than in the same municipality under today's practice")
    assert own >= 6 and "than in “" not in page, own
    assert "Verdal " in page and "Stjørdal " in page


def test_report_per_1000_puts_every_count_and_sum_per_inhabitants(capsys, tmp_path: Path
                                                                   ) -> None:
    """``report --per-1000``: the headline numbers are comparison.csv's per 1,000 inhabitants
    (levels and differences), measures made from the monthly data too, and the report says so."""
    from sim.present.report import build_report

    base, stj = short(BASELINE), short(STJORDAL)
    results = run_paired([base, stj], replications=REPLICATIONS, seed=SEED)
    report = build_report(results, "en", {}, per_1000=True)
    measures = {m.key: m for m in report.measures}
    rows = {(r["indicator"], r["scenario"]): r
            for r in Comparison(results, per_1000=True).rows()}
    own = measures["m_own_home"]
    for res, size in zip(results, (15.0, 23.592), strict=True):
        cell = own.cell(res.scenario.name)
        assert cell.mean == pytest.approx(res.summary()["purchases"]["mean"] / size)
        assert cell.mean == rows[("purchases", res.scenario.name)]["mean"]
        # a measure the report computes from the monthly data is per 1,000 too
        years = measures["m_child_years_insecure"].cell(res.scenario.name)
        months = res.data[:, :, INDEX["child_months_insecure"]].sum(axis=1) / 12 / size
        assert years.mean == pytest.approx(months.mean())
    stj_cell = measures["m_cost"].cell(results[1].scenario.name)
    assert stj_cell.diff == rows[("municipal_net_cost_nok", results[1].scenario.name)]["diff"]
    table = next(page for page in report.pages() if page.kind == "table")
    assert "per 1,000 inhabitants of each municipality" in " ".join(
        text for _, text in table.paragraphs)

    out = tmp_path / "per.html"
    code, _, _ = cli(capsys, "report", BASELINE, STJORDAL, "--per-1000", "--lang", "nb",
                     "--years", 1, "--replications", 2, "--worlds", 0, "--quiet", "--out", out)
    assert code == 0 and "per 1 000 innbyggere" in out.read_text("utf-8")


def test_report_runs_on_dask_with_the_same_numbers(capsys, tmp_path: Path) -> None:
    """``report --scheduler local`` (a report with plausible worlds is the longest job a
    presenter starts) gives the same headline numbers as a serial run: results do not depend
    on where they are run."""
    import re

    pages = {}
    for name, extra in (("serial", []), ("dask", ["--scheduler", "local", "--workers", 2])):
        out = tmp_path / f"{name}.html"
        code, _, err = cli(capsys, "report", VERDAL, "--against-baseline", "--lang", "en",
                           "--years", 1, "--replications", 2, "--worlds", 2, "--quiet",
                           *extra, "--out", out)
        assert code == 0, err
        pages[name] = re.findall(r'data-(?:mean|diff)="([^"]+)"', out.read_text("utf-8"))
    assert pages["serial"] and pages["serial"] == pages["dask"]
    code, _, err = cli(capsys, "report", VERDAL, "--years", 1, "--replications", 1, "--quiet",
                       "--scheduler", "somewhere", "--out", tmp_path / "bad.html")
    assert code == 2 and "--scheduler" in err and err.count("\n") == 1  # it is used, not ignored
