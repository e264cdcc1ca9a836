"""Tests of the report's pages (sim/present/report/document.py) and ``boligsim report``."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import SCENARIOS

from sim.cli import build_parser, main
from sim.inputs.parameters import REGISTRY
from sim.present.report import Report, output_format
from sim.present.report.document import FEW_WORLDS, few_worlds


def test_front_page_tells_the_headlines_in_norwegian(nb_report: Report) -> None:
    sentences = " ".join(p for _, p in nb_report.pages()[0].paragraphs)
    assert "familier inn i egen bolig over 2 år" in sentences
    assert "«Baseline»" in sentences
    assert "sosialhjelp" in sentences and "mill. kr" in sentences


def test_assumptions_count_parameters_by_kind(nb_report: Report) -> None:
    text = " ".join(p for _, p in nb_report.pages()[-1].paragraphs)
    assert f"Modellen har {len(REGISTRY)} parametere." in text
    assert f"{len(REGISTRY.by_kind('calibrated'))} er atferdsrater" in text
    assert "barnas trivsel" in text and "tillit" in text


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
