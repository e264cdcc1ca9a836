"""Tests of the dashboard: levers from the registry, the session's runs, and the page in a
real headless Chromium.

The browser test starts ``boligsim dashboard`` on a free port of 127.0.0.1, moves a slider,
steps the model a year and checks that the plot and the table change; it saves a screenshot to
its temporary folder. It is skipped only when Debian's Chromium (``/usr/bin/chromium``) is not
installed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import free_port

from sim.analysis.discovery import Condition
from sim.engine.families import HOMELESS
from sim.inputs.errors import InputError
from sim.inputs.indicators import INDEX, NAMES
from sim.inputs.parameters import REGISTRY
from sim.inputs.scenario import load_scenario
from sim.present.dashboard import PANELS, Session, hangs_on_text, levers, worlds_text
from sim.run.runner import run_replication

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
VERDAL = ROOT / "scenarios" / "verdal.toml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LEVER = "policy.rotation.rent_to_market"


# --- levers and the session ---------------------------------------------------------------


def test_every_policy_parameter_is_a_lever_of_the_right_kind() -> None:
    made = {lv.path: lv for lv in levers()}
    assert list(made) == [p.path for p in REGISTRY.by_kind("policy")]
    for path, lv in made.items():
        p = REGISTRY[path]
        if p.type is bool:
            assert lv.control == "switch"
        elif p.type is str:
            assert lv.control == "select" and lv.choices == p.choices
        else:
            assert lv.control == "slider"
            assert lv.low == p.bounds[0] and lv.low < lv.high <= p.bounds[1]
            assert lv.step == 1.0 if p.type is int else 0 < lv.step <= (lv.high - lv.low) / 50
    assert made[LEVER].step == 0.01


@pytest.mark.parametrize("file", sorted((ROOT / "scenarios").glob("*.toml")),
                         ids=lambda f: f.stem)
def test_no_slider_snaps_a_value_its_scenario_sets(file: Path) -> None:
    """Every value a bundled scenario gives a lever, at its start or in a phase, lies within
    the slider and on its grid, so the page shows it as it is and an untouched run is the
    scenario's (a slider to 1,000 caseworkers in steps of 10 showed Verdal's 3 as 0); and no
    slider is so long that a step of the mouse jumps across the values municipalities use."""
    scenario = load_scenario(file)
    for lv in levers(scenario.registry, scenario):
        if lv.control != "slider":
            continue
        assert (lv.high - lv.low) / lv.step <= 1000, lv.path
        for value in [scenario.params[lv.path]] + [ph.params[lv.path] for ph in
                                                   scenario.phases if lv.path in ph.params]:
            assert lv.low <= value <= lv.high, (lv.path, value)
            k = (value - lv.low) / lv.step
            assert abs(k - round(k)) < 1e-6, (lv.path, value, lv.step)
    workers = {lv.path: lv for lv in levers(scenario.registry, scenario)}[
        "policy.followup.workers"]
    assert workers.high <= 50


def test_every_lever_has_words_in_both_languages() -> None:
    """The page names each lever, its section and each choice in bokmål and English, never
    by a parameter's path; and the words differ between the languages."""
    from sim.present.lever_words import CHOICES, GROUPS, LEVERS

    made = levers()
    assert set(LEVERS) == {lv.path for lv in made}
    assert {lv.group for lv in made} <= set(GROUPS)
    assert {c for lv in made for c in lv.choices} <= set(CHOICES)
    for path, words in LEVERS.items():
        (nb, nb_help), (en, en_help) = words["nb"], words["en"]
        assert nb and en and nb_help and en_help and nb != en, path
        assert "_" not in nb + en and "." not in nb + en, path


def test_session_runs_what_boligsim_run_runs() -> None:
    scenario = load_scenario(BASELINE, years=1)
    session = Session(scenario, seed=3)
    expected = run_replication(scenario, 3, 0)
    assert np.array_equal(session.reference, expected)
    session.step(5)
    assert session.month == 5
    assert np.array_equal(session.model.history[:5], expected[:5])
    session.step(100)
    assert session.finished and session.month == 12
    assert np.array_equal(session.model.history, expected)


def test_a_lever_moved_later_is_a_reform_from_that_month() -> None:
    scenario = load_scenario(BASELINE, years=2)
    session = Session(scenario, seed=1)
    session.set_lever(LEVER, 1.2)  # before the first step: a new start value
    assert session.scenario().params[LEVER] == 1.2 and not session.scenario().phases
    session.step(6)
    before = session.model.history[:6].copy()
    session.set_lever("policy.rotation.contract_years", 3)
    assert session.month == 6
    assert np.array_equal(session.model.history[:6], before)  # the past is unchanged
    phase = session.scenario().phases[-1]
    assert phase.start == "2012-07" and phase.params == {"policy.rotation.contract_years": 3.0}
    assert session.reforms == [(6, {"policy.rotation.contract_years": 3.0})]
    session.reset()
    assert session.month == 0 and session.reforms == []
    assert session.scenario().params["policy.rotation.contract_years"] == 3.0


def test_the_download_holds_the_run_so_far_the_reference_and_the_changes() -> None:
    """What "Download the numbers" gives: the policy run's months so far and the whole
    reference, every indicator to the last bit, and the changes made as comment lines."""
    import csv

    scenario = load_scenario(BASELINE, years=1)
    session = Session(scenario, seed=1)
    session.step(3)
    session.set_lever("policy.rotation.contract_years", 3)
    session.step(2)
    text = session.export_csv()
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert "seed 1" in comments[0] and "policy.followup.workers = 1.0" in comments[0]
    assert comments[1] == "# from 2012-04: policy.rotation.contract_years = 3.0"
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    levers_rows = [r for r in rows if r["run"] == "levers"]
    reference = [r for r in rows if r["run"] == "reference"]
    assert len(levers_rows) == 5 and len(reference) == 12
    assert [r["date"] for r in levers_rows] == session.dates[:5]
    for k, row in enumerate(levers_rows):
        assert [float(row[n]) for n in NAMES] == list(session.model.history[k])
    assert [float(reference[-1][n]) for n in NAMES] == list(session.reference[-1])


def test_the_reference_band_is_the_scenarios_own_chance() -> None:
    """The figure's grey band: the 5-95 % range, month by month, of the reference over
    BAND_REPLICATIONS replications, the reference drawn (replication 0) among them."""
    from sim.present.dashboard import BAND_REPLICATIONS

    session = Session(load_scenario(BASELINE, years=1), seed=1)
    low, high = session.band("homeless", "level")
    assert low.shape == high.shape == (12,) and (low <= high).all() and (low < high).any()
    assert session._band.shape[0] == BAND_REPLICATIONS
    np.testing.assert_array_equal(session._band[0], session.reference)
    homeless = session._band[:, :, INDEX["homeless"]]
    assert (low >= homeless.min(axis=0)).all() and (high <= homeless.max(axis=0)).all()


def test_user_levers_hold_against_the_scenarios_own_phases() -> None:
    # Verdal's model comes into force in 2013-01 (month 24), after two years of its old
    # practice; it switches the cross-agency network on in 2015-01 (month 48) by a phase.
    session = Session(load_scenario(VERDAL, years=5), seed=1)
    assert session.values["policy.followup.workers"] == 1.0  # the old practice's at the start
    phases = {p.start: p for p in session.scenario().phases}
    assert phases["2013-01"].params["policy.followup.workers"] == 3.0
    assert phases["2015-01"].params["policy.followup.network"] is True
    session.set_lever("policy.followup.network_families", 8)  # at the start
    session.set_lever("policy.followup.workers", 5.0)  # which the 2013 phase also sets
    reform, network = session.scenario().phases
    assert "policy.followup.workers" not in reform.params  # the user's value holds
    assert "policy.followup.network_families" not in network.params
    assert network.params["policy.followup.network"] is True  # the rest of the phase stays
    assert session.values["policy.followup.workers"] == 5.0
    session.step(54)
    session.set_lever("policy.followup.network", False)  # a reform after the phase
    assert [p.start for p in session.scenario().phases] == ["2013-01", "2015-01", "2015-07"]


def test_how_sure_counts_the_worlds_in_which_a_difference_keeps_its_sign() -> None:
    session = Session(load_scenario(BASELINE, years=3), seed=1)
    same = session.check_worlds(2)  # levers as loaded: the same runs in every world
    assert same.held == {panel: 2 for panel, _how, _unit in PANELS}
    session.set_lever("policy.allocation.children_allowed", False)
    assert session.worlds is None  # a moved lever voids the answer
    done: list[int] = []
    check = session.check_worlds(3, progress=done.append)
    assert done == [3] and session.worlds == check  # the three as one batch
    # no new family with children gets a municipal dwelling: fewer children there in
    # every world, whatever the assumptions
    assert check.nominal["children_municipal"] < 0 and check.held["children_municipal"] == 3
    assert all(0 <= held <= 3 for held in check.held.values())
    assert worlds_text(check, "children_municipal", "en") == "in 3 of 3"
    none = dataclasses.replace(check, held={**check.held, "homeless": 1},
                               nominal={**check.nominal, "homeless": 0.0})
    assert worlds_text(none, "homeless", "en") == "none here, but in 2 of 3"
    assert worlds_text(same, "homeless", "nb") == "ingen forskjell i noen verden"
    # what a shaky difference hangs on: named for every panel that keeps its direction in
    # fewer than 90 % of the worlds, and said with its range
    shaky = {p for p, _how, _unit in PANELS if check.nominal[p] and check.held[p] < 0.9 * 3}
    assert set(check.hangs_on) == shaky and "children_municipal" not in shaky
    assert hangs_on_text(check, "children_municipal", "en") == ""
    told = dataclasses.replace(check, hangs_on={"homeless": [
        Condition("work.job_finding_rate", None, 0.02, (0.01, 0.05))]})
    assert hangs_on_text(told, "homeless", "en") == (
        "it turns mostly where “how fast families without work find a job” is below "
        "2.00\u00a0% a month (the worlds drew it from 1.00\u00a0% a month to 5.00\u00a0% a month)")
    assert hangs_on_text(told, "homeless", "nb").startswith(
        "forskjellen snur særlig når «hvor raskt")
    session.step(12)
    session.set_lever("policy.rotation.contract_years", 3)
    assert session.worlds is None


def test_the_zone_map_shows_the_policy_run_s_families_where_they_live() -> None:
    """The map below the table draws every housed family of the policy run in its zone, as
    the run stands, and the month it shows is the run's last simulated month."""
    from sim.present.dashboard import zone_map
    from sim.present.zones import zone_view

    session = Session(load_scenario(BASELINE, years=1), seed=1)
    session.step(3)
    view = zone_view(session.model)
    f, n = session.model.f, session.model.f.n
    housed = f.active[:n] & (f.tenure[:n] != HOMELESS)
    assert len(view.zone) == housed.sum() > 0
    assert np.bincount(view.zone, minlength=view.zones).sum() == housed.sum()
    fig = zone_map(session, "en")
    assert session.dates[2] in fig._suptitle.get_text()


def test_lever_values_are_checked_against_the_registry() -> None:
    session = Session(load_scenario(BASELINE, years=1), seed=1)
    with pytest.raises(InputError, match="out of range"):
        session.set_lever(LEVER, 9.0)
    with pytest.raises(KeyError):
        session.set_lever("market.lease_end_rate", 0.1)  # context, not a lever


def test_dashboard_refuses_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    assert main(["dashboard", str(BASELINE), "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


def test_dashboard_warns_before_it_answers_other_machines(capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """--host other than loopback serves the page to the network, without a password: one
    warning line first (the server itself is not started here)."""
    import sim.present.dashboard as dashboard
    from sim.cli import main

    monkeypatch.setattr(dashboard, "serve", lambda *a, **k: 0)
    assert main(["dashboard", str(BASELINE), "--host", "0.0.0.0"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: --host 0.0.0.0: the dashboard will answer other machines")
    assert main(["dashboard", str(BASELINE)]) == 0
    assert capsys.readouterr().err == ""


def test_dashboard_refuses_a_host_pattern_as_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    assert main(["dashboard", str(BASELINE), "--allow-host", "*.example.org"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--allow-host" in err and "'*.example.org'" in err


def test_only_the_served_address_is_a_trusted_host() -> None:
    """On loopback, only loopback names; on every interface also this machine's own name; a
    proxy's name only when given. IPv6 addresses come in brackets, as a Host header has them."""
    from sim.present.dashboard import trusted_hosts

    assert trusted_hosts("127.0.0.1") == ["127.0.0.1", "[::1]", "localhost"]
    assert "proxy.example.org" in trusted_hosts("127.0.0.1", ["Proxy.example.org"])
    anywhere = trusted_hosts("0.0.0.0")
    assert socket.gethostname().lower() in anywhere and "0.0.0.0" not in anywhere
    assert "[fe80::1]" in trusted_hosts("fe80::1")


# --- the server and the page in a real browser --------------------------------------------


#: Browser tests run in Debian's Chromium, driven by Playwright.
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"Debian's chromium is not installed at {CHROMIUM} "
                                           "(apt-get install -y chromium)")


@contextlib.contextmanager
def _page(url: str):  # noqa: ANN202 - yields a Playwright page
    """The page at ``url`` in a headless Chromium 1500 x 1000, closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(url, timeout=90_000)
            yield page
        finally:
            browser.close()


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"dashboard exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"dashboard did not listen on 127.0.0.1:{port} in {timeout} s")


@contextlib.contextmanager
def _served(tmp_path: Path, *scenarios: Path):  # noqa: ANN202 - yields the URL
    """``boligsim dashboard SCENARIO...`` on a free port of 127.0.0.1, stopped at the end."""
    port = free_port()
    log = (tmp_path / "dashboard.log").open("w")
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "dashboard", *map(str, scenarios), "--port", str(port),
         "--years", "3", "--lang", "en", "--worlds", "2"], cwd=tmp_path, stdout=log,
        stderr=subprocess.STDOUT, env=env)
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


@pytest.fixture
def dashboard(tmp_path: Path):  # noqa: ANN201 - yields the URL
    """``boligsim dashboard`` of the baseline on a free port, stopped after the test."""
    with _served(tmp_path, BASELINE) as url:
        yield url


def _status(url: str, host: str) -> int:
    """The HTTP status the dashboard at ``url`` answers to ``GET /readyz`` naming ``host``."""
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET /readyz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                  .encode())
        head = s.recv(64).decode("latin-1")
    return int(head.split()[1])


def test_server_refuses_requests_that_name_another_host(dashboard: str) -> None:
    """DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 makes the browser
    send ``Host: evil.example``; the server answers 400 and serves only its own names."""
    port = dashboard.rstrip("/").rsplit(":", 1)[1]
    assert _status(dashboard, f"evil.example:{port}") == 400
    assert _status(dashboard, "127.0.0.1.evil.example") == 400
    assert _status(dashboard, f"127.0.0.1:{port}") == 200
    assert _status(dashboard, f"localhost:{port}") == 200


@pytest.mark.parametrize(("name", "status", "line"), [
    ("SIGINT", 0, ""),
    ("SIGTERM", 143, "boligsim: error: stopped by SIGTERM\n"),
    ("SIGHUP", 129, "boligsim: error: stopped by SIGHUP\n")])
def test_a_signal_stops_the_dashboard_cleanly(name: str, status: int, line: str,
                                              tmp_path: Path) -> None:
    """Ctrl-C is how a user stops the server: exit status 0 and nothing on stderr. SIGTERM
    (systemd, ``timeout``) and SIGHUP (a closed terminal) stop it as cleanly, with one line and
    128 + the signal; no traceback, and the port is free again at once."""
    import signal

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sim", "dashboard", str(BASELINE), "--port",
                             str(port), "--years", "3"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"})
    try:
        _wait_for_port(port, proc)
        assert _status(f"http://127.0.0.1:{port}/", f"127.0.0.1:{port}") == 200
        proc.send_signal(getattr(signal, name))
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert (proc.returncode, err.lstrip("\n")) == (status, line)  # after ^C, a newline
    assert out.startswith("boligsim dashboard on http://127.0.0.1:")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))


def test_dashboard_refuses_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["dashboard", str(BASELINE), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"127.0.0.1:{port}" in err and "--port" in err


@needs_chromium
def test_page_moves_a_lever_steps_and_redraws(dashboard: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with _page(dashboard) as page:
        status = page.locator(".month-status")
        expect(status).to_contain_text("Month 0 of 36", timeout=90_000)
        figure = page.locator(".live-figure")
        expect(figure).to_be_visible(timeout=30_000)
        plot_before = figure.get_attribute("src") or figure.screenshot()

        lever = page.locator(".lever-policy-rotation-rent_to_market")
        slider = lever.locator("[role=slider]")
        assert slider.get_attribute("aria-valuenow") == "0.7"
        slider.focus()
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        expect(slider).to_have_attribute("aria-valuenow", "0.8")
        expect(lever).to_contain_text("Rent as a share of market rent: 0.80",
                                      timeout=15_000)

        page.locator("button.step-year").click()
        expect(status).to_contain_text("Month 12 of 36 (2012-12)", timeout=30_000)
        deadline = time.monotonic() + 30
        plot_after = plot_before
        while plot_after == plot_before and time.monotonic() < deadline:
            time.sleep(0.3)
            plot_after = figure.get_attribute("src") or figure.screenshot()
        assert plot_after != plot_before, "the plot did not change after the step"
        table = page.locator(".indicator-table")
        expect(table).to_contain_text("Children in municipal housing")
        now = table.locator("td.now").all_inner_texts()
        assert len(now) == 8 and all(text not in ("", "–") for text in now)

        # a lever moved during the run is a reform from this month on
        slider.focus()
        page.keyboard.press("ArrowRight")
        expect(page.get_by_text("2013-01: Rent as a share of market rent = 0.81")
               ).to_be_visible(timeout=15_000)
        # how sure: the levers and the reference in two plausible worlds
        page.locator("button.check-worlds").click()
        expect(table).to_contain_text("Same direction", timeout=90_000)
        cells = table.locator("td.worlds").all_inner_texts()
        assert len(cells) == 8, cells
        assert all(c == "none in any" or c.endswith(" of 2") for c in cells), cells
        expect(page.locator(".worlds-note")).to_contain_text("2 plausible worlds")
        status.scroll_into_view_if_needed()
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000


@needs_chromium
def test_page_plays_to_the_last_month_and_every_button_works(dashboard: str,
                                                              tmp_path: Path) -> None:
    """As a presenter uses it: one month, a year, play to the very end, the finished page,
    reset, and play again; after each, the page shows no error (a widget that fails to draw
    shows Python's traceback in the page)."""
    from playwright.sync_api import expect

    def no_error(page) -> None:  # noqa: ANN001 - a Playwright page
        text = page.locator("body").inner_text()
        for sign in ("Traceback", "TraitError", "Error:"):
            assert sign not in text, text[text.find(sign) - 500:text.find(sign) + 500]

    with _page(dashboard) as page:
        status = page.locator(".month-status")
        expect(status).to_contain_text("Month 0 of 36", timeout=90_000)
        page.locator("button.step-one").click()
        expect(status).to_contain_text("Month 1 of 36", timeout=30_000)
        page.locator("button.step-year").click()
        expect(status).to_contain_text("Month 13 of 36", timeout=30_000)
        no_error(page)
        page.locator("button.play").click()
        # the page follows the run month by month, not only at its end
        expect(status).to_contain_text("Month 14 of 36", timeout=30_000)
        expect(status).to_contain_text("Month 36 of 36", timeout=180_000)
        expect(page.locator(".run-done")).to_be_visible(timeout=30_000)
        no_error(page)
        # where the families live is drawn for the last month
        expect(page.locator(".zone-map img, img.zone-map, .zone-map")).to_be_visible()
        # untouched, the run is the scenario's: no slider moved a value on loading
        expect(page.get_by_text("Changes during the run: none")).to_be_visible()
        for button in ("step-one", "step-year", "play"):
            expect(page.locator(f"button.{button}")).to_be_disabled()
        page.screenshot(path=str(tmp_path / "finished.png"), full_page=True)
        with page.expect_download() as csv_download:
            page.locator(".downloads button").first.click()
        saved = tmp_path / csv_download.value.suggested_filename
        csv_download.value.save_as(saved)
        assert saved.name == "boligsim-baseline-2014-12.csv"
        assert saved.read_text(encoding="utf-8").count("\nlevers,") == 36
        with page.expect_download() as png_download:
            page.locator(".downloads button").nth(1).click()
        assert png_download.value.suggested_filename.endswith(".png")
        page.locator("button.reset").click()
        expect(status).to_contain_text("Month 0 of 36", timeout=30_000)
        no_error(page)
        expect(page.locator("button.play")).to_be_enabled(timeout=30_000)
        page.locator("button.play").click()
        expect(status).to_contain_text("Month 1 of 36", timeout=30_000)
        page.locator("button.play").click()  # pause
        expect(page.locator("button.play")).to_have_text("Play", timeout=30_000)
        paused = status.inner_text()
        time.sleep(2 * 0.35 + 1)
        assert status.inner_text() == paused, "the run went on after pause"
        no_error(page)


@needs_chromium
def test_scenarios_named_on_the_command_line_are_presets(tmp_path: Path) -> None:
    """``boligsim dashboard baseline.toml verdal.toml``: the page starts with the first and
    offers both; choosing Verdal starts Verdal's run afresh, with its own levers."""
    from playwright.sync_api import expect

    with _served(tmp_path, BASELINE, ROOT / "scenarios" / "verdal.toml") as url, \
            _page(url) as page:
        status = page.locator(".month-status")
        expect(status).to_contain_text("Month 0 of 36 (2012-01)", timeout=90_000)
        page.locator("button.step-one").click()
        expect(status).to_contain_text("Month 1 of 36", timeout=30_000)
        page.locator(".scenario-choice .v-select").click()
        page.get_by_role("option", name="Verdal").click()
        expect(page.locator(".v-card__title").first).to_have_text("boligsim – Verdal",
                                                               timeout=90_000)
        expect(status).to_contain_text("Month 0 of 36 (2011-01)", timeout=90_000)
        workers = page.locator(".lever-policy-followup-workers")
        expect(workers).to_contain_text("Housing follow-up caseworkers (full-time): 1")
        assert "Traceback" not in page.locator("body").inner_text()
