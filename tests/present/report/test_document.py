"""Tests of the report's pages (sim/present/report/document.py) and ``boligsim report``."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import SCENARIOS

from sim.cli import build_parser, main
from sim.inputs.parameters import REGISTRY
from sim.present.report import Report, output_format
from sim.present.report.document import FEW_WORLDS, few_worlds
from sim.present.report.headline import Measure
from sim.present.report.summary import summary_intro, summary_rows


def test_the_summary_states_four_differences_in_words(own_report: Report) -> None:
    """Like with like (``--against-baseline``): one row of four boxes, each the comparison's
    best estimate with its unit and sign, and its 95 % interval in words naming what it
    counts and against what."""
    [(name, boxes)] = summary_rows(own_report)
    assert name == "Verdal"
    assert [b.label for b in boxes] == ["Barn i kommunal bolig ved slutten",
                                        "Familier som kjøpte egen bolig",
                                        "Bostedsløse familier ved slutten",
                                        "Kommunens nettokostnad i alt"]
    rows = {r["indicator"]: r for r in own_report.comparison.rows() if r["scenario"] == name}
    for box, indicator, unit, noun in zip(
            boxes, ("children_municipal", "purchases", "homeless", "municipal_net_cost_nok"),
            ("barn", "familier", "familier", "mill. kr"), ("barn", "familier", "familier", ""),
            strict=True):
        diff = rows[indicator]["diff"]
        assert box.number.endswith(" " + unit), box
        if abs(diff) > 1e-9:
            assert box.number[0] == ("+" if diff > 0 else "−"), box
        assert box.words.startswith("mellom "), box
        assert "enn i «Verdal, dagens praksis»" in box.words, box
        if noun and "ingen klar forskjell" not in box.words:
            assert f" {noun} enn i" in box.words, box
    assert summary_intro(own_report).startswith("Hvert tall er det beste anslaget på forskjellen")


def test_unlike_towns_get_levels_not_differences(nb_report: Report) -> None:
    """Baseline (from 2012) against Verdal (from 2011) differ in period: the summary gives
    each scenario's own levels and says why, never a difference."""
    rows = summary_rows(nb_report)
    assert [name for name, _ in rows] == ["Dagens praksis", "Verdal"]
    for _name, boxes in rows:
        assert all(not b.number.startswith(("+", "−")) and "enn i" not in b.words
                   for b in boxes)
    assert "kommunene er ulike" in summary_intro(nb_report)


def test_the_table_has_no_row_that_cannot_differ(own_report: Report) -> None:
    """No value at the start and no first year against a last: the start is shared (common
    random numbers, a settled burn-in), so such rows say nothing of a policy."""
    keys = [m.key for m, _cells in own_report.table_rows()]
    assert not [k for k in keys if "start" in k or "first" in k or "last" in k]
    assert len(keys) == 11


def test_the_interval_is_explained_as_the_models_expected_value(own_report: Report) -> None:
    """The 95 % interval is about the model's expected value, not where a new mean would
    fall, and not about the assumptions."""
    table = next(p for p in own_report.pages() if p.kind == "table")
    text = " ".join(p for _, p in table.paragraphs)
    assert "modellens forventede verdi" in text
    assert "Det sier ikke hvor riktige modellens forutsetninger er" in text
    assert "havne innenfor" not in text and "--worlds" in text


def test_the_report_speaks_norwegian_of_the_baseline_and_keeps_its_digest(
        nb_report: Report) -> None:
    """"Baseline" is "Dagens praksis" in a Norwegian report, and the last page still names
    the scenario by the digest ``boligsim run`` records."""
    from sim.inputs.scenario import load_scenario

    assert nb_report.results[0].scenario.name == "Dagens praksis"
    digest = load_scenario(SCENARIOS[0], years=2).digest()[:12]
    last = " ".join(p for _, p in nb_report.pages()[-1].paragraphs)
    assert f"Dagens praksis ({digest})" in last
    assert "frø" not in " ".join([last, nb_report.made_by()])
    assert "startverdi for tilfeldige tall" in nb_report.made_by()


def test_assumptions_count_parameters_by_kind(nb_report: Report) -> None:
    text = " ".join(p for _, p in nb_report.pages()[-1].paragraphs)
    assert f"Modellen har {len(REGISTRY)} parametere:" in text
    assert f"{len(REGISTRY.by_kind('calibrated'))} atferdsrater" in text
    assert "barnas trivsel" in text and "tillit" in text
    assert "Ord og begreper" in text and "Barneår: ett barn i ett år" in text
    assert "slutter å gi kostnader" in text  # money: a dwelling sold stops costing


def test_the_suffix_chooses_the_format() -> None:
    assert output_format("a/r.PDF") == "pdf"
    assert output_format("r.htm") == "html"
    with pytest.raises(ValueError, match=".pdf or .html"):
        output_format("r.docx")


def test_few_worlds_are_called_rough_and_enough_are_not() -> None:
    """Below :data:`FEW_WORLDS` plausible worlds the section on how sure the differences are
    says its shares are rough; at or above it, nothing."""
    assert FEW_WORLDS == 100
    [(style, text)] = few_worlds(10, "nb")
    assert style == "p"
    assert text.startswith("Bare 10 plausible verdener: andelene er grove") and "100" in text
    [(_, text)] = few_worlds(FEW_WORLDS - 1, "en")
    assert text.startswith("Only 99 plausible worlds: the shares are rough") and "100" in text
    assert few_worlds(FEW_WORLDS, "nb") == few_worlds(FEW_WORLDS, "en") == []
    assert few_worlds(1000, "en") == []


# --- the command line ---------------------------------------------------------------------


def test_report_is_norwegian_by_default() -> None:
    args = build_parser().parse_args(["report", "a.toml", "--out", "r.pdf"])
    assert args.lang == "nb"


@pytest.mark.parametrize("out, needle", [("report.txt", ".pdf or .html"),
                                         ("missing/report.pdf", "does not exist")])
def test_report_refuses_a_wrong_out(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    out: str, needle: str) -> None:
    code = main(["report", str(SCENARIOS[0]), "--quiet", "--out", str(tmp_path / out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("boligsim: error: ") and needle in err and "Traceback" not in err


def test_a_difference_that_turns_in_every_world_is_said_to(tmp_path: Path) -> None:
    """A conclusion that fails in every plausible world leaves PRIM nothing to find: the
    sentence says it points the other way everywhere instead of naming nothing."""
    import numpy as np

    from sim.present.report.document import hangs_on_sentence

    params = {"work.job_finding": [0.01 * k for k in range(10)]}
    text = hangs_on_sentence("en", "Stjørdal", "children", 0.0, 10, params, np.ones(10, bool))
    assert text.startswith("Stjørdal – children: same direction in 0 of 10 worlds;")
    assert "points the other way" in text and "depends most on ." not in text


def test_the_summary_says_per_1000_inhabitants_when_the_numbers_are() -> None:
    """Towns of different sizes side by side per 1,000 inhabitants: each summary number says
    so, not "−3 barn" for what is three children per thousand inhabitants."""
    from sim.present.report.summary import _unit

    measure = Measure("m_children_end", "children_municipal", "summary", False, [])
    cost = Measure("m_cost", "municipal_net_cost_nok", "summary", True, [])
    assert _unit(measure, "nb") == "barn"
    assert _unit(measure, "nb", per_1000=True) == "barn per 1 000 innbyggere"
    assert _unit(cost, "en", per_1000=True) == "million NOK per 1,000 inhabitants"
