"""boligsim as a model of the EMA Workbench (Kwakkel 2017): uncertainties and levers from the
parameter registry, outcomes from the indicators, the model function from :func:`sim.evaluate`.

The Workbench asks for three lists and a function; this module makes each from what the project
already knows, so that a researcher's exploratory study starts from the same plausible ranges
as ``boligsim compare --worlds`` (:mod:`sim.analysis.worlds`):

- :func:`uncertainties` — every parameter plausible worlds draw (assumed and calibrated rates,
  each over its plausible range, or a band around the scenario's value), as Workbench
  parameters;
- :func:`levers` — municipal levers named by the user, over their valid range or one given;
- :func:`outcomes` — one :class:`ema_workbench.ScalarOutcome` per indicator expression;
- :func:`model` — an :class:`ema_workbench.Model` whose function runs the scenario
  (:class:`Evaluate`, picklable for the Workbench's multiprocessing evaluator).

The Workbench wants names that are Python identifiers; a registry path becomes one with
``__`` for each dot (:func:`name_of`), an expression with ``_`` for what is not a letter or
digit (``homeless@mean`` is ``homeless_mean``). Values drawn for the model hold for the whole
run (no phase of the scenario changes them), as in plausible worlds. See docs/python.md.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.analysis.worlds import BAND, RANGE, RELATIVE_BAND, dimensions
from sim.inputs.errors import InputError
from sim.inputs.expressions import parse
from sim.inputs.parameters import REGISTRY
from sim.inputs.scenario import Scenario, as_scenario


def _workbench() -> Any:
    """The Workbench, without its notice that an optional parallel back-end is missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import ema_workbench
    return ema_workbench


def name_of(path: str) -> str:
    """A registry path as a Workbench name: ``policy.followup.workers`` is
    ``policy__followup__workers``."""
    return path.replace(".", "__")


def path_of(name: str) -> str:
    """The registry path of a Workbench name (inverse of :func:`name_of`)."""
    return name.replace("__", ".")


def outcome_name(expression: str) -> str:
    """An indicator expression as a Workbench name: ``homeless@mean`` is ``homeless_mean``,
    ``homeless@2015-06`` is ``homeless_2015_06``."""
    return re.sub(r"\W", "_", expression)


def uncertainties(scenario: str | os.PathLike[str] | Scenario) -> list[Any]:
    """The parameters plausible worlds draw, as Workbench parameters for ``scenario``.

    A parameter with a plausible range in the registry is drawn over it; one without, over the
    band plausible worlds use around the scenario's value (÷/× :data:`RELATIVE_BAND`, within
    the valid bounds; a value of zero stays zero and is left out). Integers become
    :class:`~ema_workbench.IntegerParameter`, numbers :class:`~ema_workbench.RealParameter`.
    A calibration's posterior is not used here: the Workbench samples each range on its own.
    """
    ema = _workbench()
    sc = as_scenario(scenario)
    out = []
    for d in dimensions(REGISTRY):
        p = REGISTRY[d.path]
        if d.how == RANGE:
            assert d.low is not None and d.high is not None
            lo, hi = d.low, d.high
        else:
            assert d.how == BAND
            value = float(sc.params[d.path])
            lo, hi = (max(value / RELATIVE_BAND, p.limits[0]),
                      min(value * RELATIVE_BAND, p.limits[1]))
        if p.type is int:
            lo, hi = round(lo), round(hi)
        if not lo < hi:
            continue  # nothing to draw: a zero, or an integer whose band holds one value
        kind = ema.IntegerParameter if p.type is int else ema.RealParameter
        out.append(kind(name_of(d.path), lo, hi))
    return out


def levers(paths: Sequence[str], ranges: Mapping[str, Sequence[Any]] | None = None
           ) -> list[Any]:
    """Municipal levers as Workbench parameters.

    Args:
        paths: registry paths of kind ``policy``.
        ranges: ``{path: (low, high)}`` for a number, ``{path: [choices]}`` for a choice,
            narrower than the valid range; a lever not given one spans all its valid values.

    Raises:
        InputError: for an unknown path, one not a policy, or a range outside the valid one.
    """
    ema = _workbench()
    given = dict(ranges or {})
    out = []
    for path in paths:
        p = REGISTRY.lookup(path, where="levers")
        if p.kind != "policy":
            raise InputError(f"is a parameter of kind {p.kind}, not a municipal lever; "
                             "uncertainties() gives the assumed and calibrated ones",
                             file="levers", key=path)
        span = given.pop(path, None)
        if p.type is bool:
            out.append(ema.BooleanParameter(name_of(path)))
        elif p.type is str:
            choices = list(span) if span is not None else list(p.choices)
            for c in choices:
                p.check(c, where="levers")
            out.append(ema.CategoricalParameter(name_of(path), choices))
        else:
            lo, hi = span if span is not None else p.limits
            p.check(p.type(lo), where="levers")
            p.check(p.type(hi), where="levers")
            kind = ema.IntegerParameter if p.type is int else ema.RealParameter
            out.append(kind(name_of(path), p.type(lo), p.type(hi)))
    if given:
        raise InputError("a range for a lever not in paths", file="levers", key=next(iter(given)))
    return out


def outcomes(expressions: Sequence[str]) -> list[Any]:
    """One :class:`~ema_workbench.ScalarOutcome` per indicator expression (checked), named by
    :func:`outcome_name`."""
    ema = _workbench()
    for text in expressions:
        parse(text, where="outcomes")
    return [ema.ScalarOutcome(outcome_name(text)) for text in expressions]


@dataclass(frozen=True)
class Evaluate:
    """The Workbench's model function: one experiment's values (Workbench names) in, the
    mean of each output over the replications out (:func:`sim.evaluate`, common random
    numbers across experiments). A module-level class, so that it pickles for the
    Workbench's multiprocessing evaluator."""

    scenario: Scenario
    outputs: tuple[str, ...]
    years: int | None = None
    burn_in: int | None = None
    replications: int = 3
    seed: int = 1

    def __call__(self, **experiment: Any) -> dict[str, float]:
        from sim.run.evaluate import evaluate

        params = {path_of(name): value for name, value in experiment.items()}
        values = evaluate(self.scenario, params, outputs=self.outputs, years=self.years,
                          burn_in=self.burn_in, replications=self.replications,
                          seed=self.seed, throughout=True)
        return {outcome_name(text): value for text, value in values.items()}


def model(scenario: str | os.PathLike[str] | Scenario, outputs: Sequence[str], *,
          lever_paths: Sequence[str] = (), lever_ranges: Mapping[str, Sequence[Any]] | None = None,
          name: str = "boligsim", years: int | None = None, burn_in: int | None = None,
          replications: int = 3, seed: int = 1) -> Any:
    """An :class:`ema_workbench.Model` of ``scenario``: the uncertainties of plausible worlds
    (:func:`uncertainties`), the levers named (:func:`levers`), the outcomes (:func:`outcomes`)
    and the function (:class:`Evaluate`) set; hand it to ``perform_experiments``.

    Args:
        scenario: a scenario file or a :class:`~sim.inputs.scenario.Scenario`.
        outputs: indicator expressions (``"homeless@mean"``, ``"children_municipal@final"``).
        lever_paths, lever_ranges: municipal levers and their ranges (:func:`levers`).
        name: the Workbench model's name (an identifier).
        years, burn_in: the run's length and burn-in, replacing the scenario's.
        replications: runs averaged per experiment.
        seed: the seed every experiment shares (common random numbers).
    """
    ema = _workbench()
    sc = as_scenario(scenario, years=years, burn_in=burn_in)
    m = ema.Model(name, function=Evaluate(sc, tuple(outputs), replications=replications,
                                          seed=seed))
    m.uncertainties = uncertainties(sc)
    if lever_paths:
        m.levers = levers(lever_paths, lever_ranges)
    m.outcomes = outcomes(outputs)
    return m
