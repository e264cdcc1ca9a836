"""Tests of the report (sim/present/report/, sim/present/text.py) and ``boligsim report``.

The report runs on tiny runs (two years, three replications). Its headline numbers are checked
against ``summary.json`` written by ``boligsim run`` with the same seed and replications.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from sim.cli import build_parser, main
from sim.engine.families import MUNICIPAL, OWNER_STARTLOAN, PRIVATE
from sim.inputs.scenario import load_scenario
from sim.present.report import Trajectories, build_report, choose_stories, story_sentence
from sim.present.report.pdf import write_pdf
from sim.present.report.webpage import table_html
from sim.present.report.words import years_phrase
from sim.present.text import MINUS, NBSP, fmt, fmt_auto, tick_formatter
from sim.run.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = [ROOT / "scenarios" / "baseline.toml", ROOT / "scenarios" / "verdal.toml"]
TINY = ["--years", "2", "--replications", "3", "--seed", "5", "--quiet"]
#: Figures every report has: tenure, children, homelessness, ownership and work, start loans,
#: evictions and forced sales, money.
THEME_FIGURES = 7


# --- number formats ----------------------------------------------------------------------


def test_nb_uses_a_space_between_thousands_and_a_decimal_comma() -> None:
    assert fmt(1234567.891, "nb", 1) == f"1{NBSP}234{NBSP}567,9"
    assert fmt(12345, "nb") == f"12{NBSP}345"
    assert fmt(0.5, "nb", 2) == "0,50"
    assert fmt(-3.25, "nb", 1) == f"{MINUS}3,2"
    assert fmt(-0.04, "nb", 1) == "0,0"  # no sign on a number that rounds to zero
    assert fmt(999, "nb") == "999"


def test_en_uses_a_comma_between_thousands_and_a_decimal_point() -> None:
    assert fmt(1234567.891, "en", 1) == "1,234,567.9"
    assert fmt(-1500, "en") == f"{MINUS}1,500"


def test_headline_decimals_follow_the_size_of_the_numbers() -> None:
    assert fmt_auto(43.6667, "nb") == "44"
    assert fmt_auto(2.14, "nb") == "2,1"
    assert fmt_auto(2.14, "nb", 12.0) == "2"


def test_axis_ticks_follow_the_language() -> None:
    nb, en = tick_formatter("nb"), tick_formatter("en")
    assert nb(12500.0, 0) == f"12{NBSP}500"
    assert nb(2.5, 0) == "2,5"
    assert en(12500.0, 0) == "12,500"
    assert tick_formatter("nb", 1e-6)(2_500_000.0, 0) == "2,5"


def test_years_and_unknown_language() -> None:
    assert years_phrase(10, "nb") == "over 10 år"
    assert years_phrase(1, "en") == "over 1 year"
    with pytest.raises(ValueError):
        fmt(1.0, "sv")


# --- family stories on hand-made paths ---------------------------------------------------


def _trajectories() -> Trajectories:
    """Three families over six months: municipal -> owner, private throughout, arrives later."""
    months, n = 6, 3
    tenure = np.full((months, n), -1, dtype=np.int16)
    tenure[:, 0] = [MUNICIPAL, MUNICIPAL, MUNICIPAL, OWNER_STARTLOAN, OWNER_STARTLOAN,
                    OWNER_STARTLOAN]
    tenure[:, 1] = PRIVATE
    tenure[3:, 2] = [0, 0, PRIVATE]
    employed = np.zeros((months, n), dtype=bool)
    employed[2:, 0] = True
    loan = np.zeros((months, n))
    loan[3:, 0] = 2_000_000.0
    return Trajectories(
        scenario="Test", dates=[f"2020-{m:02d}" for m in range(1, months + 1)], tenure=tenure,
        employed=employed, net_income=np.full((months, n), 20000.0), loan_principal=loan,
        rent_arrears=np.zeros((months, n)), adults=np.ones((months, n), dtype=np.int16),
        children=np.full((months, n), 2, dtype=np.int16),
        refugee=np.zeros((months, n), dtype=bool))


def test_stories_pick_one_family_per_pattern_and_tell_it() -> None:
    tr = _trajectories()
    stories = choose_stories(tr)
    patterns = {s.pattern: s.family for s in stories}
    assert patterns["municipal_to_owner"] == 0
    assert patterns["homeless_to_private"] == 2
    assert len({s.family for s in stories}) == len(stories)
    nb = story_sentence(tr, 0, "nb")
    assert nb.startswith("En enslig forsørger med 2 barn bodde i kommunal utleiebolig ved start")
    assert "fikk jobb i mars 2020" in nb and "kjøpte bolig med startlån i april 2020" in nb
    en = story_sentence(tr, 2, "en")
    assert "came to the municipality in April 2020" in en
    assert "moved to a privately rented home in June 2020" in en
    assert story_sentence(tr, 1, "en").endswith("stayed there throughout.")


# --- the report on real runs -------------------------------------------------------------


class _Cells(HTMLParser):
    """Collect the headline table's cells (their data attributes and text) and all images."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.images: list[str] = []
        self._cell: dict[str, str] | None = None
        self._span: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "td" and "data-measure" in a:
            self._cell = {**a, "level": "", "diff": ""}
        elif tag == "span" and self._cell is not None:
            self._span = a.get("class")
        elif tag == "img":
            self.images.append(a.get("src", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None
        elif tag == "span":
            self._span = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and self._span in ("level", "diff"):
            self._cell[self._span] += data


@pytest.fixture(scope="module")
def summaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """``boligsim run`` of each scenario with the report's seed and replications."""
    out = {}
    for path in SCENARIOS:
        folder = tmp_path_factory.mktemp(path.stem)
        assert main(["run", str(path), *TINY, "--out", str(folder)]) == 0
        data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        out[data["scenario"]] = data
    return out


@pytest.fixture(scope="module")
def html_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``boligsim report ... --lang en --out report.html`` of the two scenarios."""
    out = tmp_path_factory.mktemp("html") / "report.html"
    assert main(["report", *map(str, SCENARIOS), *TINY, "--lang", "en", "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nb_report():  # noqa: ANN201 - a Report
    """The same runs as a Norwegian :class:`sim.present.report.Report`, built in-process."""
    results = [run_scenario(load_scenario(p, years=2), replications=3, seed=5)
               for p in SCENARIOS]
    return build_report(results)


def test_html_is_one_file_with_every_figure_embedded(html_report: str) -> None:
    parser = _Cells()
    parser.feed(html_report)
    stories = html_report.count('<section class="figure">') - THEME_FIGURES
    assert 3 <= stories <= 5
    assert len(parser.images) == THEME_FIGURES + stories
    assert html_report.count("<img") == len(parser.images)
    assert all(src.startswith("data:image/png;base64,") for src in parser.images)
    for needle in ("http://", "https://", "<link", "<script", "@import", "url("):
        assert needle not in html_report, needle
    for title in ("Children in municipal housing", "Homelessness", "Ownership and work",
                  "Start loans, and the share to families with children",
                  "Evictions and forced sales",
                  "Social assistance and the municipality&#x27;s net cost",
                  "Family stories",
                  "Assumptions, uncertainty and what the model cannot measure"):
        assert title in html_report, title


def test_headline_numbers_are_those_of_summary_json(html_report: str,
                                                    summaries: dict[str, dict]) -> None:
    parser = _Cells()
    parser.feed(html_report)
    checked = set()
    for cell in parser.cells:
        if cell["data-source"] != "summary":
            continue
        want = summaries[cell["data-scenario"]]["indicators"][cell["data-indicator"]]
        assert float(cell["data-mean"]) == want["mean"]
        assert [float(cell["data-low"]), float(cell["data-high"])] == want["ci95"]
        if cell["data-scenario"] != "Baseline":
            ref = summaries["Baseline"]["indicators"][cell["data-indicator"]]
            assert float(cell["data-diff"]) == pytest.approx(want["mean"] - ref["mean"],
                                                             rel=1e-9, abs=1e-9)
        checked.add(cell["data-indicator"])
    assert {"purchases", "entered_work", "families_in_work", "social_assistance_nok",
            "children_municipal", "homeless", "evictions", "municipal_net_cost_nok"} <= checked

    # the plain-language sentence shows the same numbers
    own = summaries["Baseline"]["indicators"]["purchases"]
    lo, hi = max(own["ci95"][0], 0.0), own["ci95"][1]
    lo_text, hi_text = fmt_auto(lo, "en", lo, hi), fmt_auto(hi, "en", lo, hi)
    number = lo_text if lo_text == hi_text else f"between {lo_text} and {hi_text}"
    assert f"Baseline: {number} families into their own home over 2 years." in html_report
    cost = summaries["Verdal"]["indicators"]["municipal_net_cost_nok"]
    assert (f"{cost['ci95'][0] / 1e6:,.1f} and {cost['ci95'][1] / 1e6:,.1f} million NOK"
            in html_report)


def test_pdf_has_a_page_per_part(nb_report, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "report.pdf"
    titles = write_pdf(nb_report, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages == len(titles)
    for title in ("Hovedtall per scenario", "Familier etter boform over tid", "Barn i kommunal "
                  "bolig", "Bostedsløshet", "Eierskap og arbeid", "Startlån, og andelen til "
                  "barnefamilier", "Utkastelser og tvangssalg", "Sosialhjelp og kommunens "
                  "nettokostnad"):
        assert sum(t.startswith(title) for t in titles) == 1, title
    stories = sum(t in {"Fra kommunal bolig til egen bolig", "Fra bostedsløs til privat leie",
                        "Blir boende i kommunal bolig", "Mister boligen", "Må selge boligen",
                        "Inn i arbeid", "Stabil boform"} for t in titles)
    assert 3 <= stories <= 5
    assert titles[0] == "Boligkarrierer for vanskeligstilte familier"
    assert titles[-1] == "Forutsetninger, usikkerhet og hva modellen ikke kan måle"
    try:
        from pypdf import PdfReader
    except ImportError:  # optional: the regex count above is the test
        return
    assert len(PdfReader(out).pages) == pages


def test_norwegian_table_uses_norwegian_numbers(nb_report) -> None:  # noqa: ANN001
    table = table_html(nb_report, "t")
    money = re.findall(r'data-measure="m_sa_total"[^>]*><span class="level">([^<]*)<', table)
    assert len(money) == 2
    for text in money:
        assert re.fullmatch(r"\d+,\d \(\d+,\d til \d+,\d\)", text), text
    text = nb_report.pages()[0].paragraphs
    sentences = " ".join(p for _, p in text)
    assert "familier inn i egen bolig over 2 år" in sentences
    assert "«Baseline»" in sentences
    assert "sosialhjelp" in sentences and "mill. kr" in sentences


def test_assumptions_count_parameters_by_kind(nb_report) -> None:  # noqa: ANN001
    from sim.inputs.parameters import REGISTRY

    text = " ".join(p for _, p in nb_report.pages()[-1].paragraphs)
    assert f"Modellen har {len(REGISTRY)} parametere." in text
    assert f"{len(REGISTRY.by_kind('calibrated'))} er atferdsrater" in text
    assert "barnas trivsel" in text and "tillit" in text


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
