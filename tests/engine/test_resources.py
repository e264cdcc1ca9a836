"""Requests that would not fit in memory are refused up front, with an estimate."""

import subprocess
import sys
from pathlib import Path

import pytest

from sim.engine.model import HousingModel
from sim.engine.resources import estimate_mb
from sim.inputs.errors import InputError
from sim.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def scenario(families: int, years: int = 20):
    return load_scenario(ROOT / "scenarios" / "baseline.toml", years=years, overrides=[
        f"population.initial_families={families}", f"municipality.inhabitants={families}"])


def test_estimate_grows_with_families_not_months() -> None:
    """Memory is the family arrays: ten times the families costs far more than ten times
    the months."""
    small, many, long = (estimate_mb(scenario(10_000, 2)), estimate_mb(scenario(100_000, 2)),
                         estimate_mb(scenario(10_000, 20)))
    assert many - small > 5 * (long - small)


def test_a_billion_families_are_refused_before_anything_is_allocated() -> None:
    """10^9 families would need about a terabyte: refused at once with the estimate."""
    with pytest.raises(InputError, match=r"needs about [\d,]+ MB .* available"):
        HousingModel(scenario(10**9), rng=1)


def test_cli_refuses_with_exit_2(tmp_path) -> None:
    """The command line says what the run would need and exits 2, without a traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", "scenarios/baseline.toml", "--quiet",
         "--set", "population.initial_families=1000000000", "--out", str(tmp_path / "o")],
        cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "needs about" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_workers_multiply_the_need(monkeypatch) -> None:
    """With a memory limit that fits one run but not eight, eight workers are refused."""
    from sim.engine.resources import check

    sc = scenario(100_000, 2)
    need = estimate_mb(sc)
    monkeypatch.setenv("BOLIGSIM_MEMORY_MB", str(need * 3))
    check(sc, runs_at_once=1)
    with pytest.raises(InputError, match="8 at once"):
        check(sc, runs_at_once=8)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_months_large_temporaries_reuse_memory_instead_of_fresh_pages() -> None:
    """Twenty megabyte-sized temporaries made and freed together, twenty times (a month of
    a national run): once tuned, the allocator keeps their memory, where glibc's default
    hands it back and takes ~5,000 page faults a round to get it again (measured 97,000)."""
    code = """
import resource, numpy as np
from sim.engine.resources import reuse_freed_memory
assert reuse_freed_memory()
[np.ones(125_000) for _ in range(20)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    temporaries = [np.ones(125_000) for _ in range(20)]
    del temporaries
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert int(out.stdout) < 1_000


def test_a_job_that_would_fill_the_disk_is_refused_before_it_starts(monkeypatch, tmp_path
                                                                     ) -> None:
    """Finished runs are kept on disk as they finish; a job whose runs cannot fit on the
    output folder's disk is refused at once, naming the folder, rather than after hours."""
    from sim.engine import resources

    monkeypatch.setattr(resources, "free_disk_mb", lambda folder: 5.0)
    resources.check_job(10, 120, "10 replications", "--replications", folder=tmp_path)
    with pytest.raises(InputError, match=r"would write up to [\d,]+ MB of runs into .*new but "
                                         r"its disk has 5 MB free"):
        resources.check_job(1000, 120, "1,000 replications", "--replications",
                            folder=tmp_path / "new")
    monkeypatch.undo()
    assert resources.free_disk_mb(tmp_path / "not" / "yet") > 0


def test_an_experiment_that_would_fill_the_disk_is_refused_before_it_starts(
        monkeypatch, tmp_path, capsys) -> None:
    """The same for sensitivity analysis: its results are kept as they finish, so a sample
    whose outputs cannot fit on the output folder's disk is refused, in one line, exit 2."""
    from helpers import assert_one_line_error, cli

    from sim.engine import resources

    monkeypatch.setattr(resources, "free_disk_mb", lambda folder: 0.01)
    resources.check_sample(1000, 3, "a sample", "experiment.N", stored=1, folder=tmp_path)
    with pytest.raises(InputError, match=r"would write up to [\d.,]+ MB of results"):
        resources.check_sample(10_000, 3, "a sample", "experiment.N", stored=1,
                               folder=tmp_path)
    code, _, err = cli(capsys, "sensitivity", ROOT / "experiments" / "ishigami.toml", "--out",
                       tmp_path / "out")
    assert code == 2
    assert_one_line_error(err, "ishigami.toml", "experiment.N", "0 MB free")
    assert not (tmp_path / "out").exists()
