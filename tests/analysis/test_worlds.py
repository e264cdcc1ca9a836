"""Plausible worlds (:mod:`sim.analysis.worlds`) and comparisons across them
(:mod:`sim.analysis.robust`)."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
from helpers import cli

from sim.analysis.robust import WorldDifferences, run_worlds
from sim.analysis.worlds import (
    BAND,
    POSTERIOR,
    RANGE,
    RELATIVE_BAND,
    Posterior,
    draw_worlds,
)
from sim.inputs.errors import InputError
from sim.inputs.parameters import REGISTRY
from sim.inputs.registry import Param
from sim.inputs.scenario import load_scenario
from sim.run.compare import Comparison, against_baseline, run_paired

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
FITTED = ("market.search_success", "ownership.purchase_success")


def posterior(weights=(1.0, 1.0, 2.0)) -> Posterior:
    values = np.array([[0.2, 0.1], [0.3, 0.12], [0.25, 0.05]])[: len(weights)]
    w = np.asarray(weights, dtype=float)
    return Posterior(FITTED, values, w / w.sum(), "test")


def fit_file(path: Path) -> Path:
    """A fit.json holding only what plausible worlds read."""
    post = posterior()
    path.write_text(json.dumps({"uncertainty": {"posterior_draws": {
        "parameters": list(post.parameters), "values": post.values.tolist(),
        "weights": post.weights.tolist()}}}), encoding="utf-8")
    return path


def test_worlds_stratify_every_parameter_and_keep_to_its_plausible_range() -> None:
    """Each parameter's K draws fall one in each of K equal strata (a Latin hypercube), a
    ranged parameter within its plausible range, a banded one within the band around the
    scenario's own value (Malvik's smaller caseload and larger counselling effect stay
    Malvik's), integers stay integers, and rules and definitions are left as they are."""
    k = 20
    worlds = draw_worlds(k, 3, REGISTRY, posterior())
    strata = np.floor(worlds.unit * k).astype(int)
    assert all(sorted(col) == list(range(k)) for col in strata.T)
    how = {d.path: d.how for d in worlds.dimensions}
    assert how["policy.startloan.outreach_factor"] == RANGE
    assert how["market.search_success"] == POSTERIOR and how["work.wage"] == RANGE
    assert how["policy.followup.effect_counselling"] == BAND
    assert "demography.exit_age" not in how and "economy.sa_covers_arrears" not in how
    assert "policy.followup.workers" not in how  # a lever, not an assumption

    malvik = load_scenario(SCENARIOS / "malvik.toml")
    base = load_scenario(SCENARIOS / "baseline.toml")
    for w in range(k):
        mine, theirs = worlds.values(w, malvik), worlds.values(w, base)
        lo, hi = REGISTRY["policy.startloan.outreach_factor"].plausible
        assert lo <= mine["policy.startloan.outreach_factor"] <= hi
        for sc, values in ((malvik, mine), (base, theirs)):
            path = "policy.followup.effect_counselling"
            x, centre = values[path], sc.params[path]
            assert centre / RELATIVE_BAND <= x <= centre * RELATIVE_BAND
        assert isinstance(mine["policy.followup.caseload"], int)
        assert mine["policy.followup.caseload"] <= round(6 * RELATIVE_BAND)
        assert theirs["policy.followup.caseload"] >= round(15 / RELATIVE_BAND)
        row = [mine[p] for p in FITTED]
        assert any(np.allclose(row, r) for r in posterior().values)


def test_posterior_draws_are_taken_by_their_weights_and_the_same_seed_gives_the_same_worlds(
        ) -> None:
    only_last = draw_worlds(30, 1, REGISTRY, posterior((0.0, 0.0, 1.0)))
    assert set(only_last.rows) == {2}
    even = draw_worlds(300, 1, REGISTRY, posterior((1.0, 1.0, 2.0)))
    share = np.bincount(even.rows, minlength=3) / 300
    assert share == pytest.approx([0.25, 0.25, 0.5], abs=0.01)  # stratified: near exact
    again = draw_worlds(30, 1, REGISTRY, posterior())
    assert np.array_equal(again.unit, draw_worlds(30, 1, REGISTRY, posterior()).unit)
    assert not np.array_equal(again.unit, draw_worlds(30, 2, REGISTRY, posterior()).unit)


def test_a_world_holds_for_the_whole_run_even_where_a_phase_sets_the_parameter() -> None:
    verdal = load_scenario(SCENARIOS / "verdal.toml")
    phase = dataclasses.replace(verdal.phases[0], params={
        **verdal.phases[0].params, "policy.allocation.procurer_effect": 9.0})
    verdal = dataclasses.replace(verdal, phases=[phase, *verdal.phases[1:]])
    worlds = draw_worlds(4, 1, REGISTRY, posterior())
    for w in range(4):
        world = worlds.apply(w, verdal)
        value = worlds.values(w, verdal)["policy.allocation.procurer_effect"]
        for month in (0, 30, world.months - 1):
            assert world.params_at(month)["policy.allocation.procurer_effect"] == value


def test_plausible_ranges_lie_within_the_valid_bounds_and_say_why() -> None:
    with pytest.raises(ValueError, match="within the bounds"):
        Param("x.y", 2.0, "multiplier", "", "assumption", "", (1.0, 10.0), plausible=(0.5, 3.0),
              plausible_reason="why")
    with pytest.raises(ValueError, match="needs its reason"):
        Param("x.y", 2.0, "multiplier", "", "assumption", "", (1.0, 10.0), plausible=(1.5, 3.0))
    for path in REGISTRY:
        p = REGISTRY[path]
        if p.plausible is not None or p.fixed_in_worlds:
            assert p.kind in ("assumption", "calibrated") and p.plausible_reason, path
        if p.plausible is not None:
            lo, hi = p.plausible
            assert lo <= p.default <= hi, f"{path}: the default lies outside its range"
            if p.type is int:
                assert float(lo).is_integer() and float(hi).is_integer(), path


def test_summary_across_worlds_counts_signs_and_spreads() -> None:
    worlds = draw_worlds(5, 1, REGISTRY)
    diff = np.zeros((5, 2, 2))
    diff[:, 1, 0] = [-3.0, -1.0, -2.0, 4.0, -5.0]  # holds in 4 of 5 against a negative nominal
    diff[:, 1, 1] = [1.0, 2.0, 3.0, 4.0, 5.0]
    half = np.full_like(diff, 0.5)
    across = WorldDifferences(worlds, ("a", "b"), ["ref", "model"], [1], diff, half)
    nominal = np.array([[0.0, 0.0], [-2.5, -1.0]])
    s = across.summary(nominal)
    assert s[("a", "model")]["worlds_sign_holds"] == pytest.approx(0.8)
    assert s[("a", "model")]["worlds_diff_median"] == -2.0
    assert s[("b", "model")]["worlds_sign_holds"] == 0.0  # the nominal says fewer; no world
    assert s[("b", "model")]["worlds_diff_p05"] == pytest.approx(1.2)
    assert s[("a", "ref")]["worlds_sign_holds"] == 1.0  # zero against zero
    assert s[("a", "model")]["worlds_noise"] == 0.5
    assert len(across.rows()) == 5 * 2


def test_each_world_is_a_paired_comparison_and_a_resumed_run_reads_it_back(
        tmp_path: Path) -> None:
    """The difference in world w is the paired comparison of the scenarios run in world w;
    every replication is stored, and a resumed run computes nothing again."""
    verdal = dataclasses.replace(load_scenario(SCENARIOS / "verdal.toml", years=3), burn_in=2)
    base = dataclasses.replace(load_scenario(SCENARIOS / "baseline.toml", years=3), burn_in=2)
    runs, refs = against_baseline([verdal], base)
    worlds = draw_worlds(2, 4, REGISTRY, posterior())
    across = run_worlds(runs, worlds, replications=2, seed=7, reference_of=refs,
                        store=tmp_path / "parts")
    one = run_paired([worlds.apply(1, sc) for sc in runs], replications=2, seed=7)
    rows = {(r["indicator"], r["scenario"]): r
            for r in Comparison(one, reference_of=refs).rows()}
    for k, name in enumerate(across.indicators):
        assert across.diff[1, 1, k] == pytest.approx(rows[(name, "Verdal")]["diff"])
    assert np.any(across.diff[0] != across.diff[1])  # the worlds differ
    assert len(list((tmp_path / "parts").rglob("*.parquet"))) == 2 * 2 * 2
    ran = []
    again = run_worlds(runs, worlds, replications=2, seed=7, reference_of=refs,
                       store=tmp_path / "parts", resume=True, progress=ran.append)
    assert np.array_equal(again.diff, across.diff) and sum(ran) == 8


def test_compare_with_worlds_writes_where_each_difference_holds(capsys, tmp_path: Path) -> None:
    fit = fit_file(tmp_path / "fit.json")
    out = tmp_path / "out"
    code, stdout, _ = cli(capsys, "compare", SCENARIOS / "verdal.toml", "--against-baseline",
                          "--worlds", 3, "--replications", 2, "--years", 1, "--fit", fit,
                          "--quiet", "--out", out)
    assert code == 0 and "3 plausible world(s)" in stdout
    with open(out / "comparison.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:8] == ["indicator", "scenario", "mean", "ci_low", "ci_high", "diff",
                                 "diff_ci_low", "diff_ci_high"]
    assert list(rows[0])[8:] == ["worlds", "worlds_sign_holds", "worlds_diff_median",
                                 "worlds_diff_p05", "worlds_diff_p95", "worlds_noise"]
    for row in rows:
        assert 0.0 <= float(row["worlds_sign_holds"]) <= 1.0
        assert float(row["worlds_diff_p05"]) <= float(row["worlds_diff_median"]) \
            <= float(row["worlds_diff_p95"])
    with open(out / "worlds.csv", encoding="utf-8") as fh:
        assert {r["world"] for r in csv.DictReader(fh)} == {"0", "1", "2"}
    with open(out / "world_parameters.csv", encoding="utf-8") as fh:
        params = list(csv.DictReader(fh))
    assert len(params) == 3 and "policy.allocation.procurer_effect" in params[0]
    assert (out / "worlds.png").stat().st_size > 0


@pytest.mark.parametrize(("args", "needle"), [
    (["--worlds", -1], "an integer >= 0 (0: none)"),
    (["--fit", "x.json"], "--fit is for --worlds"),
    (["--worlds", 2, "--fit", "missing.json"], "missing.json"),
])
def test_compare_worlds_refuses_bad_arguments_in_one_line(capsys, tmp_path: Path, args,
                                                          needle: str) -> None:
    code, _, err = cli(capsys, "compare", SCENARIOS / "baseline.toml", *args, "--quiet",
                       "--out", tmp_path / "out")
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_a_fit_without_posterior_draws_is_refused(tmp_path: Path) -> None:
    bare = tmp_path / "fit.json"
    bare.write_text(json.dumps({"uncertainty": {}}), encoding="utf-8")
    with pytest.raises(InputError, match="calibrate again"):
        Posterior.from_fit(bare)


def test_prim_finds_the_box_of_two_inputs_in_which_a_conclusion_fails() -> None:
    """A known answer: among 100 uniform inputs the conclusion fails exactly where a < 0.3
    and b > 0.6. PRIM (on the inputs feature scoring ranks highest) must restrict those two
    and no others, near the true limits, with nearly all failing worlds in the box."""
    from sim.analysis.discovery import discover, sentence

    rng = np.random.default_rng(0)
    x = {f"p{k:02d}": rng.uniform(size=150) for k in range(100)}
    x["a"], x["b"] = rng.uniform(size=150), rng.uniform(size=150)
    fails = (x["a"] < 0.3) & (x["b"] > 0.6)
    found = discover(x, fails)
    assert set(found.box) == {"a", "b"}
    (a_lo, a_hi), (b_lo, b_hi) = found.box["a"], found.box["b"]
    # the open sides may be trimmed a little where no world fails by chance
    assert (a_lo is None or a_lo < 0.1) and a_hi == pytest.approx(0.3, abs=0.05)
    assert (b_hi is None or b_hi > 0.9) and b_lo == pytest.approx(0.6, abs=0.05)
    best = found.trajectory[found.chosen]
    assert best["coverage"] >= 0.9 and best["density"] >= 0.9
    assert {name for name, _ in found.scores[:2]} == {"a", "b"}
    assert re.search(r"fails mostly where .*a is below 0\.\d+.* \(1[12] of the 12 worlds",
                     sentence(found, "It"))


def test_what_a_conclusion_hangs_on_is_said_with_its_ranges_and_units() -> None:
    """The report's words for a failing conclusion: PRIM's box as "X is below x (the worlds
    drew it from a to b)", in the parameter's unit, in Norwegian and English."""
    from sim.analysis.discovery import Condition, hangs_on
    from sim.present.report.words import condition_words

    rng = np.random.default_rng(1)
    x = {f"p{k:02d}": rng.uniform(size=150) for k in range(30)}
    x["work.job_finding_rate"] = rng.uniform(0.01, 0.05, size=150)
    found = hangs_on(x, x["work.job_finding_rate"] < 0.02)
    assert [c.parameter for c in found] == ["work.job_finding_rate"]
    (c,) = found
    assert c.low is None and c.high == pytest.approx(0.02, abs=0.002)
    assert c.drawn == (x["work.job_finding_rate"].min(), x["work.job_finding_rate"].max())
    en = condition_words("en", Condition("work.job_finding_rate", None, 0.0205, (0.0101, 0.0499)),
                         "1/month")
    assert en == ("“how fast families without work find a job” is below 2.05\u00a0% a month "
                  "(the worlds drew it from 1.01\u00a0% a month to 4.99\u00a0% a month)"), en
    nb = condition_words("nb", Condition("population.share_employed", 0.3, 0.45, (0.2, 0.6)),
                         "share")
    assert nb.endswith("er mellom 30,0\u00a0% og 45,0\u00a0% (i verdenene trukket mellom "
                       "20,0\u00a0% og 60,0\u00a0%)"), nb
    assert condition_words("en", Condition("x.unknown", 2.0, None, (1.0, 3.0)), "multiplier") == (
        "x.unknown is above ×2.00 (the worlds drew it from ×1.00 to ×3.00)")
    assert condition_words("en", Condition("work.job_finding_rate", None, None, (0.0, 1.0)),
                           "1/month") == "how fast families without work find a job"
    assert hangs_on({"a": np.arange(5.0)}, [False] * 5) == []


def test_a_conclusion_that_never_fails_has_nothing_to_discover() -> None:
    from sim.analysis.discovery import conclusion_fails, discover, sentence

    rows = [{"world": str(w), "indicator": "homeless", "scenario": "Verdal",
             "diff": str(-1.0 - w)} for w in range(5)]
    fails = conclusion_fails(rows, "Verdal", "homeless", "fewer")
    assert fails == {w: False for w in range(5)}
    assert conclusion_fails(rows, "Verdal", "homeless", "more") == {w: True for w in range(5)}
    found = discover({"a": np.arange(5.0)}, list(fails.values()))
    assert found.chosen is None and sentence(found, "It") == "It: holds in 5 of 5 plausible worlds."
    for args, needle in ((("Malvik", "homeless", "fewer"), "Verdal"),
                         (("Verdal", "nope", "fewer"), "nope"),
                         (("Verdal", "homeless", "lower"), "fewer, less, more")):
        with pytest.raises(InputError, match=needle):
            conclusion_fails(rows, *args)


def test_discover_reads_a_comparison_across_worlds(capsys, tmp_path: Path) -> None:
    fit = fit_file(tmp_path / "fit.json")
    worlds = tmp_path / "worlds"
    code, _, _ = cli(capsys, "compare", SCENARIOS / "verdal.toml", "--against-baseline",
                     "--worlds", 8, "--replications", 2, "--years", 3, "--fit", fit, "--quiet",
                     "--out", worlds)
    assert code == 0
    out = tmp_path / "found"
    code, stdout, _ = cli(capsys, "discover", worlds, "--scenario", "Verdal", "--indicator",
                          "homeless", "--direction", "fewer", "--out", out)
    assert code == 0 and "plausible worlds" in stdout
    record = json.loads((out / "discovery.json").read_text(encoding="utf-8"))
    assert record["worlds"] == 8 and record["sentence"] == stdout.strip()
    for name in ("boxes.csv", "feature_scores.csv", "discovery.png"):
        assert (out / name).stat().st_size > 0
    code, _, err = cli(capsys, "discover", worlds, "--scenario", "Stjørdal", "--indicator",
                       "homeless", "--direction", "fewer", "--out", out, "--force")
    assert code == 2 and "Verdal" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli(capsys, "discover", tmp_path / "none", "--scenario", "Verdal",
                       "--indicator", "homeless", "--direction", "fewer", "--out", out)
    assert code == 2 and "compare --worlds" in err


def test_report_says_in_how_many_worlds_each_difference_holds_and_what_it_hangs_on() -> None:
    """Each headline difference of a report with worlds carries "same direction in N of K
    plausible worlds"; when all hold, one sentence says so; when one points the same way in
    fewer than 90 % of them, a line names what it depends on; with fewer than 100 worlds, a
    sentence says the shares are rough."""
    import html
    import re as regex

    from sim.analysis.robust import differences
    from sim.present.report import build_report

    base = dataclasses.replace(load_scenario(SCENARIOS / "baseline.toml", years=1), burn_in=2)
    verdal = dataclasses.replace(load_scenario(SCENARIOS / "verdal.toml", years=1), burn_in=2)
    runs, refs = against_baseline([verdal], base)
    results = run_paired(runs, replications=2, seed=3)
    nominal = differences(Comparison(results, reference_of=refs))[0]
    worlds = draw_worlds(10, 1, REGISTRY)
    diff = np.repeat(nominal[None] + np.sign(nominal[None]), 10, axis=0)  # all hold
    across = WorldDifferences(worlds, results[0].names, [r.scenario.name for r in results],
                              [1], diff, np.ones_like(diff))

    def front(report) -> str:
        """The summary's boxes, the table's cells and the page on how sure they are."""
        from sim.present.report.summary import summary_rows

        boxes = [f"{b.words} ({b.worlds})" for _, row in summary_rows(report) for b in row]
        cells = [d or "" for _, row in report.table_rows() for _, d in row]
        robust = [text for page in report.pages() if page.kind == "text"
                  and page.title.startswith(("How sure", "Hvor sikre"))
                  for _, text in page.paragraphs]
        return " ".join(html.unescape(x) for x in [*boxes, *cells, *robust])

    page = front(build_report(results, "en", {}, reference_of=refs, across=across))
    assert page.count("(same direction in 10 of 10 plausible worlds)") == 4  # the summary
    assert page.count("same direction in 10 of 10 worlds") == 10  # the table's differences
    assert "Every difference above points the same way in at least 90\u00a0%" in page
    assert "Only 10 plausible worlds: the shares are rough" in page  # fewer than FEW_WORLDS

    k = list(results[0].names).index("evictions")
    shaky = diff.copy()
    shaky[:4, 1, k] = -np.sign(nominal[1, k]) if nominal[1, k] else 1.0
    across = dataclasses.replace(across, diff=shaky)
    page = front(build_report(results, "nb", {}, reference_of=refs, across=across))
    assert "samme retning i 6 av 10 verdener" in page
    assert "Bare 10 plausible verdener: andelene er grove" in page
    assert regex.search(r"Verdal – Utkastelser \(sum\): samme retning i 6 av 10 verdener; "
                        r"(retningen avhenger mest av \S|forskjellen snur særlig når .+ er "
                        r"(under|over|mellom) "
                        r".+\(i verdenene trukket mellom )", page), page


def test_report_with_worlds_runs_from_the_command_line(capsys, tmp_path: Path) -> None:
    fit = fit_file(tmp_path / "fit.json")
    out = tmp_path / "r.html"
    code, _, _ = cli(capsys, "report", SCENARIOS / "verdal.toml", "--against-baseline",
                     "--worlds", 2, "--replications", 2, "--years", 1, "--fit", fit, "--lang",
                     "en", "--quiet", "--out", out)
    page = out.read_text(encoding="utf-8")
    assert code == 0 and "of 2 plausible worlds" in page
    # the runs are kept beside the report as they finish, and --resume reads them back
    kept = sorted((tmp_path / "r_runs").rglob("*.parquet"))
    assert len(kept) == 2 * 2 + 2 * 2 * 2  # nominal, then 2 worlds, 2 scenarios, 2 each
    stamps = [p.stat().st_mtime_ns for p in kept]
    code, _, _ = cli(capsys, "report", SCENARIOS / "verdal.toml", "--against-baseline",
                     "--worlds", 2, "--replications", 2, "--years", 1, "--fit", fit, "--lang",
                     "en", "--quiet", "--resume", "--out", out)
    assert code == 0 and out.read_text(encoding="utf-8") == page
    assert [p.stat().st_mtime_ns for p in kept] == stamps  # read, not run again
    code, _, err = cli(capsys, "report", SCENARIOS / "verdal.toml", "--against-baseline",
                       "--worlds", 2, "--replications", 2, "--years", 1, "--fit", fit,
                       "--seed", 9, "--quiet", "--resume", "--out", out)
    assert code == 2 and "another experiment" in err and err.count("\n") == 1
    code, _, err = cli(capsys, "report", SCENARIOS / "verdal.toml", "--worlds", 0, "--fit", fit,
                       "--quiet", "--out", out)
    assert code == 2 and "--fit is for --worlds" in err


def test_a_report_runs_plausible_worlds_unless_told_not_to() -> None:
    """What a politician sees by default: 100 worlds of 5 replications beside 20 nominal ones;
    ``--worlds 0`` for a draft; ``compare --worlds`` alone runs 100."""
    from sim.cli import _check_worlds, build_parser

    parser = build_parser()
    args = parser.parse_args(["report", "a.toml", "--out", "r.html"])
    _check_worlds(args)
    assert (args.worlds, args.replications, args.world_replications) == (100, 20, 5)
    args = parser.parse_args(["report", "a.toml", "--worlds", "0", "--out", "r.html"])
    _check_worlds(args)
    assert (args.worlds, args.replications) == (None, 20)
    args = parser.parse_args(["compare", "a.toml", "b.toml", "--worlds", "--out", "d"])
    _check_worlds(args)
    assert (args.worlds, args.replications, args.world_replications) == (100, 5, 5)
    args = parser.parse_args(["compare", "a.toml", "b.toml", "--out", "d"])
    _check_worlds(args)
    assert (args.worlds, args.replications) == (None, 20)
