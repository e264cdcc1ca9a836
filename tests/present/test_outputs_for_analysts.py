"""What an analyst opens after ``boligsim compare``: the figures (sim/present/figures.py) and
the Excel workbook (sim/present/outputs.py), in Norwegian and English."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.inputs.indicators import BY_NAME, NAMES
from sim.inputs.scenario import load_scenario
from sim.present.figures import KEY_INDICATORS, plot_differences, plot_timeseries
from sim.present.outputs import comparison_rows, write_xlsx
from sim.present.text import LABELS
from sim.run.compare import Comparison, against_baseline
from sim.run.files import pyplot
from sim.run.results import RunResult
from sim.run.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    """Verdal against its own municipality under baseline practice: two years (its 2013 phase
    inside them), three replications."""
    verdal = load_scenario(ROOT / "scenarios" / "verdal.toml", years=3)
    baseline = load_scenario(ROOT / "scenarios" / "baseline.toml", years=3)
    scenarios, refs = against_baseline([verdal], baseline)
    results = [run_scenario(s, replications=3, seed=2) for s in scenarios]
    return Comparison(results, reference_of=refs)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_timeseries_panels_are_labelled_with_legends_phases_and_no_negative_counts(
        comparison: Comparison, lang: str) -> None:
    plt = pyplot()
    fig = plot_timeseries(comparison.results, KEY_INDICATORS, lang=lang)
    try:
        panels = [ax for ax in fig.get_axes() if ax.get_visible()]
        assert len(panels) == len(KEY_INDICATORS)
        for ax, name in zip(panels, KEY_INDICATORS, strict=True):
            assert ax.get_title() == LABELS[lang][name]  # no snake_case
            assert ax.get_legend() is not None, name
            assert ax.get_ylabel() and "_" not in ax.get_ylabel()
            # Verdal's model begins in 2013: a dotted line marks it
            assert any(line.get_linestyle() == ":" for line in ax.lines), name
            if BY_NAME[name].nonnegative:
                for band in ax.collections:
                    low = band.get_paths()[0].vertices[:, 1].min()
                    assert low >= 0.0, (name, low)
        assert "2013-01" in fig._supxlabel.get_text()
        years = [t.get_text() for t in panels[0].get_xticklabels() if t.get_text()]
        assert years and all(len(y) == 4 and y.isdigit() for y in years), years
    finally:
        plt.close(fig)


def test_difference_bars_speak_norwegian(comparison: Comparison) -> None:
    plt = pyplot()
    fig = plot_differences(comparison, KEY_INDICATORS, lang="nb")
    try:
        assert fig._suptitle.get_text().startswith("Forskjell mot Verdal, dagens praksis")
        first = fig.get_axes()[0]
        assert first.get_title() == LABELS["nb"][KEY_INDICATORS[0]]
        assert "forskjell (barn, ved slutten)" == first.get_xlabel()
    finally:
        plt.close(fig)


def test_the_workbook_has_formats_units_indicators_wide_means_and_plain_values(
        comparison: Comparison, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "comparison.xlsx"
    provenance = {"seed": 2, "git_commit": None, "scenarios": [
        {"name": r.scenario.name, "sources": ["a.toml", "--set x=1"]}
        for r in comparison.results]}
    write_xlsx(out, comparison, provenance, lang="nb")
    wb = load_workbook(out)
    assert wb.sheetnames == ["comparison", "indikatorer", "gjennomsnitt 1 Verdal, baseline",
                             "gjennomsnitt 2 Verdal", "om"]
    # comparison.csv's values, NOK as whole kroner, counts to one decimal
    sheet = wb["comparison"]
    rows = comparison_rows(comparison)
    assert sheet.max_row == 1 + len(rows)
    formats = {(r[0].value, r[1].value): r[2].number_format for r in sheet.iter_rows(min_row=2)}
    assert formats[("social_assistance_nok", "Verdal")] == "#,##0"
    assert formats[("homeless", "Verdal")] == "#,##0.0"
    # one row per indicator, with label, unit and meaning
    info = list(wb["indikatorer"].iter_rows(values_only=True))
    assert [r[0] for r in info[1:]] == list(NAMES)
    assert info[1 + NAMES.index("homeless")][1:3] == (LABELS["nb"]["homeless"], "families")
    # monthly means: months down, indicators across, labels and units above
    means = list(wb["gjennomsnitt 2 Verdal"].iter_rows(values_only=True))
    res: RunResult = comparison.results[1]
    assert means[0][2] == LABELS["nb"][NAMES[0]] and means[1][2] == BY_NAME[NAMES[0]].unit
    assert len(means) == 2 + len(res.dates)
    assert means[2][0] == res.dates[0]
    assert np.allclose(means[2][2:], res.data[:, 0].mean(axis=0))
    # the about sheet: plain values, no JSON quoting
    intro = next(wb["om"].iter_rows(values_only=True))[0]
    assert "mot Verdal, dagens praksis;" in intro and "1 000 innbyggere" not in intro
    about = {r[0]: r[1] for r in wb["om"].iter_rows(values_only=True)}
    assert about["seed"] == 2 and about["git_commit"] is None
    assert about["scenarios.1.sources"] == "a.toml, --set x=1"
    assert not any(isinstance(v, str) and v.startswith(('"', "[", "{")) for v in about.values())


def test_the_workbook_says_when_counts_are_per_1000(comparison: Comparison,
                                                    tmp_path: Path) -> None:
    from openpyxl import load_workbook

    per = Comparison(comparison.results, reference_of=comparison.reference_of, per_1000=True)
    write_xlsx(tmp_path / "per.xlsx", per, {}, lang="en")
    intro = next(load_workbook(tmp_path / "per.xlsx")["about"].iter_rows(values_only=True))[0]
    assert intro.endswith(" Counts and money per 1,000 inhabitants.")
    assert "against Verdal, baseline practice;" in intro
