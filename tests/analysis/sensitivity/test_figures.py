"""The sensitivity figures (sim/analysis/sensitivity/figures.py) as a researcher reads them:
the exact Ishigami indices beside the estimates, Morris labels that cannot overlap, money in
million NOK."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sensitivity_helpers import ishigami_file

from sim.analysis.sensitivity.experiment import load_experiment
from sim.analysis.sensitivity.figures import (
    MORRIS_NUMBERED,
    _money_scale,
    known_indices,
    plot_morris,
    plot_variance_indices,
)
from sim.analysis.sensitivity.run import run_experiment
from sim.analysis.testfunctions import ishigami_indices
from sim.run.files import pyplot


@pytest.fixture(scope="module")
def ishigami(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    tmp = tmp_path_factory.mktemp("ishigami")
    sobol = run_experiment(load_experiment(ishigami_file(tmp, n=256)))
    morris = run_experiment(load_experiment(ishigami_file(tmp, method="morris", n=20)))
    return sobol, morris


def test_the_ishigami_figure_marks_the_exact_indices(ishigami: tuple) -> None:
    sobol, _ = ishigami
    exact = ishigami_indices()
    assert known_indices(sobol) == {m: dict(zip(("x1", "x2", "x3"), v, strict=True))
                                    for m, v in exact.items()}
    plt = pyplot()
    fig = plot_variance_indices(sobol)
    try:
        ax = fig.get_axes()[0]
        diamonds = {line.get_label(): line.get_xdata() for line in ax.lines
                    if line.get_marker() == "D"}
        assert set(diamonds) == {"S1 exact", "ST exact"}
        np.testing.assert_allclose(diamonds["S1 exact"], exact["S1"])
        np.testing.assert_allclose(diamonds["ST exact"], exact["ST"])
        assert "exact values" in fig._suptitle.get_text()
    finally:
        plt.close(fig)


def test_morris_points_are_numbered_and_named_in_a_key(ishigami: tuple) -> None:
    """Every label on the panel is a number (numbers of close points may touch, names never
    do); the key beside it names them, most influential first."""
    _, morris = ishigami
    plt = pyplot()
    fig = plot_morris(morris)
    try:
        ax = fig.get_axes()[0]
        numbers = [t.get_text() for t in ax.texts]
        assert numbers and all(n.isdigit() for n in numbers)
        assert len(numbers) <= MORRIS_NUMBERED
        key = [t.get_text() for t in ax.get_legend().get_texts()][1:]
        assert key[0] == "1  x1" or key[0] == "1  x2"  # the two strongest Ishigami inputs
        assert [k.split()[0] for k in key] == numbers
        assert ax.get_xlabel() == "mu* (output units per range)"
    finally:
        plt.close(fig)


def test_money_outputs_are_in_million_nok() -> None:
    assert _money_scale("municipal_net_cost_nok@total") == (1e-6, "million NOK")
    assert _money_scale("evictions@total") == (1.0, "families")
    assert _money_scale("y") == (1.0, "output units")


def test_a_model_without_known_indices_has_none(tmp_path: Path) -> None:
    """A simulation experiment names no function: nothing to mark."""
    from types import SimpleNamespace

    from sensitivity_helpers import ROOT

    exp = load_experiment(ROOT / "experiments" / "verdal_morris.toml")
    assert known_indices(SimpleNamespace(experiment=exp)) is None  # type: ignore[arg-type]
