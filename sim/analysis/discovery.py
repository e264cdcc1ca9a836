"""Scenario discovery: in which plausible worlds does a conclusion fail, and why?

A conclusion such as "Verdal's model has fewer children homeless than baseline practice" holds
in some plausible worlds (:mod:`sim.analysis.worlds`) and fails in others. PRIM, the Patient Rule
Induction Method (Friedman & Fisher 1999), run on the :data:`PRIM_INPUTS` parameters that feature
scoring ranks highest, finds a box — a few parameters each restricted to a
range — that holds many of the worlds where it fails (*coverage*) and few others (*density*):
"it fails mostly where job finding is below x and the procurer's effect below y". Feature scoring
(extra trees, Geurts et al. 2006) ranks every parameter by how much it tells the two kinds of
world apart. Both come from the EMA Workbench (Kwakkel 2017), the field's maintained
implementation, not written here.

:func:`discover` takes the worlds' parameter values and whether the conclusion fails in each,
and returns a :class:`Discovery`: PRIM's peeling trajectory, the box chosen on it, and the
feature scores. :func:`conclusion_fails` reads ``worlds.csv`` of ``boligsim compare --worlds``
for a conclusion named by scenario, indicator and direction.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.inputs.errors import InputError

#: Directions a conclusion can state: the model's difference against its reference is below
#: zero (``fewer``, ``less``) or above it (``more``).
DIRECTIONS = ("fewer", "less", "more")

#: A box is chosen among those at least this dense (share of the worlds in it where the
#: conclusion fails): PRIM's usual threshold.
DENSITY = 0.8
#: ... and restricting at most this many parameters, so it can be said in a sentence.
MAX_DIMENSIONS = 3
#: The extra trees' seed: the same worlds give the same scores and box.
SEED = 0
#: PRIM looks at the parameters with the highest feature scores only: with a hundred
#: parameters and a hundred worlds it would otherwise find boxes that fit chance (Bryant &
#: Lempert 2010 pre-select inputs the same way).
PRIM_INPUTS = 8


@dataclass
class Discovery:
    """What PRIM and feature scoring found.

    Attributes:
        parameters: the parameter names, in column order.
        failing: worlds where the conclusion fails.
        total: worlds in all.
        trajectory: one row per box on PRIM's peeling trajectory: ``box``, ``coverage``,
            ``density``, ``mass`` and ``restricted`` (number of parameters restricted).
        limits: for each box, ``{parameter: (low, high)}`` of the parameters it restricts,
            ``None`` for a side it leaves open.
        chosen: the index of the chosen box: the one with the most coverage among those at
            least :data:`DENSITY` dense and restricting at most :data:`MAX_DIMENSIONS`
            parameters (else the densest of those); ``None`` when the conclusion fails in no
            world or in every one.
        scores: feature score of every parameter (summing to one), highest first.
    """

    parameters: list[str]
    failing: int
    total: int
    trajectory: list[dict[str, float]]
    limits: list[dict[str, tuple[float | None, float | None]]]
    chosen: int | None
    scores: list[tuple[str, float]]

    @property
    def box(self) -> dict[str, tuple[float | None, float | None]]:
        """The chosen box's restrictions (empty when none was chosen)."""
        return {} if self.chosen is None else self.limits[self.chosen]


def discover(x: Mapping[str, Sequence[float]], fails: Sequence[bool]) -> Discovery:
    """PRIM and feature scoring of the worlds where a conclusion fails.

    Args:
        x: each parameter's value in every world (columns of equal length).
        fails: for every world, whether the conclusion fails there.

    Raises:
        ValueError: if the columns and ``fails`` differ in length, or there are no worlds.
    """
    import pandas as pd

    frame = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in x.items()})
    y = np.asarray(fails, dtype=bool)
    if len(frame) != len(y) or not len(y):
        raise ValueError(f"{len(frame)} worlds of parameters but {len(y)} outcomes")
    frame = frame.loc[:, frame.nunique() > 1]  # a parameter equal in every world says nothing
    parameters = list(frame.columns)
    failing = int(y.sum())
    if failing in (0, len(y)) or not parameters:
        return Discovery(parameters, failing, len(y), [], [], None, [])
    prim, scoring, classification = _workbench()
    with warnings.catch_warnings():  # the Workbench's own deprecation notices from pandas
        warnings.simplefilter("ignore")
        scores, _ = scoring.get_ex_feature_scores(frame, y.astype(int), mode=classification,
                                                  random_state=SEED)
        ranked = sorted(((str(k), float(v)) for k, v in scores.iloc[:, 0].items()),
                        key=lambda kv: (-kv[1], kv[0]))
        frame = frame[[name for name, _ in ranked[:PRIM_INPUTS]]]
        box = prim.Prim(frame, y, threshold=DENSITY).find_box()
    init = box.prim.box_init
    trajectory, limits = [], []
    for i, row in box.peeling_trajectory.iterrows():
        lims = box.box_lims[i]
        restricted = {}
        for c in frame.columns:
            lo, hi = float(lims.loc[0, c]), float(lims.loc[1, c])
            cut_lo, cut_hi = lo > init.loc[0, c], hi < init.loc[1, c]
            if cut_lo or cut_hi:
                restricted[c] = (lo if cut_lo else None, hi if cut_hi else None)
        limits.append(restricted)
        trajectory.append({"box": int(i), "coverage": float(row["coverage"]),
                           "density": float(row["density"]), "mass": float(row["mass"]),
                           "restricted": len(restricted)})
    return Discovery(parameters, failing, len(y), trajectory, limits, _choose(trajectory),
                     ranked)


@dataclass(frozen=True)
class Condition:
    """One parameter of the worlds where a conclusion fails most: its range there and the range
    the worlds drew it from, so a reader can tell "below 0.03" from the whole plausible span.

    Attributes:
        parameter: the parameter's path.
        low: the lower end of the range where the conclusion fails mostly (``None``: open).
        high: the upper end (``None``: open); both ``None`` when PRIM found no box and the
            parameter is named for its feature score alone.
        drawn: the lowest and highest value the worlds gave it.
    """

    parameter: str
    low: float | None
    high: float | None
    drawn: tuple[float, float]


def hangs_on(x: Mapping[str, Sequence[float]], fails: Sequence[bool],
             most: int = 2) -> list[Condition]:
    """The one or two parameters a conclusion depends on most, with the ranges where it fails:
    the restrictions of PRIM's chosen box (highest feature score first), else the parameters
    with the highest feature scores and no range (:func:`discover`). Empty when the conclusion
    fails in no world or in every one."""
    found = discover(x, fails)
    named = list(found.box.items())[:most] or [(name, (None, None))
                                               for name, _ in found.scores[:most]]
    out = []
    for name, (lo, hi) in named:
        column = np.asarray(x[name], dtype=float)
        out.append(Condition(name, lo, hi, (float(column.min()), float(column.max()))))
    return out


def _choose(trajectory: Sequence[Mapping[str, float]]) -> int:
    """The box with the most coverage among the dense and simple ones; else the densest of
    the simple ones (its density then says how loosely the conclusion's failures cluster)."""
    simple = [i for i, t in enumerate(trajectory) if 0 < t["restricted"] <= MAX_DIMENSIONS]
    simple = simple or list(range(len(trajectory)))
    good = [i for i in simple if trajectory[i]["density"] >= DENSITY]
    if good:
        return max(good, key=lambda i: (trajectory[i]["coverage"], trajectory[i]["density"]))
    return max(simple, key=lambda i: (trajectory[i]["density"], trajectory[i]["coverage"]))


def _workbench() -> tuple[Any, Any, Any]:
    """The EMA Workbench's PRIM, feature scoring and its classification mode, without its
    notice that an optional parallel back-end is missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import feature_scoring, prim
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType
    return prim, feature_scoring, RuleInductionType.CLASSIFICATION


def conclusion_fails(rows: Sequence[Mapping[str, str]], scenario: str, indicator: str,
                     direction: str, where: str = "worlds.csv") -> dict[int, bool]:
    """For every world of ``worlds.csv`` rows, whether "``scenario`` has ``direction``
    ``indicator`` than its reference" fails there (the world's mean difference is zero or on
    the other side).

    Raises:
        InputError: for a direction not in :data:`DIRECTIONS`, or a scenario or indicator the
            rows do not hold (naming those they do).
    """
    if direction not in DIRECTIONS:
        raise InputError(f"expected one of {', '.join(DIRECTIONS)}, got {direction!r}",
                         file="--direction")
    scenarios = sorted({r["scenario"] for r in rows})
    if scenario not in scenarios:
        raise InputError(f"no scenario {scenario!r}; it holds {', '.join(scenarios)}",
                         file=where, key="scenario")
    indicators = list(dict.fromkeys(r["indicator"] for r in rows))
    if indicator not in indicators:
        raise InputError(f"no indicator {indicator!r}; see docs/indicators.md",
                         file=where, key="indicator")
    sign = 1.0 if direction == "more" else -1.0
    return {int(r["world"]): not float(r["diff"]) * sign > 0 for r in rows
            if r["scenario"] == scenario and r["indicator"] == indicator}


def sentence(discovery: Discovery, conclusion: str) -> str:
    """The finding in one plain English sentence."""
    holds = discovery.total - discovery.failing
    head = f"{conclusion}: holds in {holds} of {discovery.total} plausible worlds"
    if discovery.chosen is None:
        return head + "."
    t = discovery.trajectory[discovery.chosen]
    parts = [f"{p} {_range_words(lo, hi)}" for p, (lo, hi) in discovery.box.items()]
    caught = round(t["coverage"] * discovery.failing)
    return (f"{head}; it fails mostly where {' and '.join(parts)} ({caught} of the "
            f"{discovery.failing} worlds where it fails are there, and it fails in "
            f"{t['density']:.0%} of the worlds there).")


def _range_words(lo: float | None, hi: float | None) -> str:
    """``is below x``, ``is above x`` or ``is from x to y``."""
    if lo is None:
        return f"is below {hi:.3g}"
    if hi is None:
        return f"is above {lo:.3g}"
    return f"is from {lo:.3g} to {hi:.3g}"
