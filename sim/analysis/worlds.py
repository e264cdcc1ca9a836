"""Plausible worlds: one draw of everything the model assumes or fits, within plausible ranges.

A difference between municipal models is conditional on the behavioural rates and effect sizes
the model runs with. Exploratory modelling (Lempert et al. 2003; Kwakkel 2017, the EMA
Workbench) answers this by running each policy across many *plausible worlds* and saying where
its conclusion holds. Here a world is one value for every number parameter of kind
``assumption`` or ``calibrated`` (:mod:`sim.inputs.parameters`), drawn by a Latin hypercube with
a seed:

- a *fitted* calibrated parameter jointly with the others from the calibration's posterior: one
  accepted ABC draw of ``fit.json`` per world, chosen by its importance weight
  (``uncertainty.posterior_draws``), so the fit's correlations are kept;
- a parameter with a plausible range in the registry (``Param.plausible``, every other one
  but those below, each range with its reason) uniformly over that range;
- the few that bundled scenarios set to values of their own (see
  :data:`sim.inputs.parameters.PLAUSIBLE`) from a band around the value the scenario uses:
  between that value divided and multiplied by :data:`RELATIVE_BAND` (log-uniform, within the
  valid bounds; integers rounded; zero stays zero) — an assumption, since no source gives a
  range;
- definitions, institutions' rules, a stress-test lever and a price
  (``Param.fixed_in_worlds``), booleans and choices stay as the scenario sets them.

A world is the same *position* in every scenario: a band is centred on each scenario's own
value (Malvik's smaller caseload stays smaller), so scenarios compared in one world differ only
by what they set. :meth:`Worlds.apply` makes a scenario's version of world ``w``; the values
hold for the whole run (no phase changes them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.registry import Param, Registry
    from sim.inputs.scenario import Scenario

#: Parameters without a plausible range of their own are drawn between their value divided and
#: multiplied by this factor (an assumption: -20 % to +25 %).
RELATIVE_BAND = 1.25

#: The calibration whose posterior the bundled scenarios use (they extend its
#: ``calibrated.toml``).
DEFAULT_FIT = Path(__file__).resolve().parents[2] / "calibration" / "fit.json"

#: How a parameter is drawn.
POSTERIOR, RANGE, BAND = "posterior", "range", "band"


@dataclass(frozen=True)
class Dimension:
    """One parameter that differs between worlds.

    Attributes:
        path: the parameter.
        how: :data:`POSTERIOR`, :data:`RANGE` or :data:`BAND`.
        low: lower end of a range (``None`` for the others).
        high: upper end of a range.
        reason: why it is drawn so (the registry's plausible_reason for a range).
    """

    path: str
    how: str
    low: float | None = None
    high: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class Posterior:
    """The accepted ABC draws of a calibration (``fit.json``) and their weights.

    Attributes:
        parameters: the fitted parameters, in column order.
        values: ``(draws, parameters)``.
        weights: ``(draws,)``, summing to one.
        source: the fit.json it came from.
    """

    parameters: tuple[str, ...]
    values: np.ndarray
    weights: np.ndarray
    source: str

    @classmethod
    def from_fit(cls, path: str | Path) -> Posterior:
        """Read ``uncertainty.posterior_draws`` of a ``fit.json``.

        Raises:
            InputError: when the file cannot be read or holds no posterior draws (a fit made
                before they were kept: calibrate again).
        """
        try:
            fit = json.loads(Path(path).read_text(encoding="utf-8"))
            draws = fit["uncertainty"]["posterior_draws"]
            values = np.asarray(draws["values"], dtype=float)
            weights = np.asarray(draws["weights"], dtype=float)
            names = tuple(draws["parameters"])
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
        except (ValueError, KeyError, TypeError):
            raise InputError("holds no posterior draws (uncertainty.posterior_draws); run "
                             "boligsim calibrate again", file=str(path)) from None
        if values.ndim != 2 or values.shape != (len(weights), len(names)) or not len(names) \
                or weights.sum() <= 0 or np.any(weights < 0):
            raise InputError("posterior draws do not match their parameters and weights",
                             file=str(path), key="uncertainty.posterior_draws")
        return cls(names, values, weights / weights.sum(), str(path))


def dimensions(registry: Registry, posterior: Posterior | None = None) -> list[Dimension]:
    """The parameters that differ between worlds, in registry order, and how each is drawn."""
    fitted = set(posterior.parameters) if posterior is not None else set()
    out = []
    for path in registry:
        p = registry[path]
        if not _varies(p):
            continue
        if posterior is not None and path in fitted:
            out.append(Dimension(path, POSTERIOR, reason=f"posterior of {posterior.source}"))
        elif p.plausible is not None:
            out.append(Dimension(path, RANGE, *p.plausible, reason=p.plausible_reason))
        else:
            out.append(Dimension(path, BAND, reason=f"value ÷/× {RELATIVE_BAND:g}"))
    return out


def _varies(p: Param) -> bool:
    """Whether plausible worlds draw ``p``: a number assumed or calibrated, not fixed."""
    number = p.type in (int, float)
    return number and p.kind in ("assumption", "calibrated") and not p.fixed_in_worlds


@dataclass(frozen=True)
class Worlds:
    """``count`` plausible worlds drawn with ``seed``.

    Attributes:
        seed: the Latin hypercube's seed.
        dimensions: what differs between worlds.
        unit: ``(count, len(dimensions))`` positions in [0, 1), one Latin hypercube
            (:class:`scipy.stats.qmc.LatinHypercube`): each parameter's range is cut into
            ``count`` equal strata and every stratum is used once.
        rows: the posterior draw of each world (``None`` without a posterior).
        posterior: the calibration's posterior, if any.
    """

    seed: int
    dimensions: tuple[Dimension, ...]
    unit: np.ndarray
    rows: np.ndarray | None
    posterior: Posterior | None

    @property
    def count(self) -> int:
        return int(self.unit.shape[0])

    def values(self, w: int, scenario: Scenario) -> dict[str, Any]:
        """World ``w``'s value of every parameter that differs between worlds, for
        ``scenario`` (a band is centred on the scenario's own value at its start)."""
        from sim.inputs.scenario import _registry

        registry = _registry(scenario.registry)
        start = scenario.params
        out: dict[str, Any] = {}
        for j, d in enumerate(self.dimensions):
            p, u = registry[d.path], float(self.unit[w, j])
            if d.how == POSTERIOR:
                assert self.posterior is not None and self.rows is not None
                k = self.posterior.parameters.index(d.path)
                x = float(self.posterior.values[self.rows[w], k])
            elif d.how == RANGE:
                assert d.low is not None and d.high is not None
                x = d.low + u * (d.high - d.low)
            else:
                x = float(start[d.path]) * RELATIVE_BAND ** (2 * u - 1)
            lo, hi = p.limits
            x = min(max(x, lo), hi)
            out[d.path] = int(round(x)) if p.type is int else x
        return out

    def apply(self, w: int, scenario: Scenario) -> Scenario:
        """``scenario`` in world ``w``: the world's values hold for the whole run."""
        return scenario.with_overrides(self.values(w, scenario), where=f"plausible world {w}",
                                       throughout=True)

    def table(self, scenario: Scenario) -> list[dict[str, Any]]:
        """One row per world: ``world`` and each parameter's value for ``scenario``."""
        return [{"world": w, **self.values(w, scenario)} for w in range(self.count)]

    def identity(self) -> dict[str, Any]:
        """What makes two samples of worlds the same, for resuming: seed, count, dimensions
        and a digest of the posterior."""
        post = None
        if self.posterior is not None:
            post = hashlib.sha256(self.posterior.values.tobytes()
                                  + self.posterior.weights.tobytes()).hexdigest()[:16]
        return {"seed": self.seed, "count": self.count, "posterior": post,
                "dimensions": [[d.path, d.how, d.low, d.high] for d in self.dimensions]}


def draw_worlds(count: int, seed: int, registry: Registry,
                posterior: Posterior | None = None) -> Worlds:
    """``count`` plausible worlds by a Latin hypercube seeded with ``seed``.

    The hypercube has one column per dimension and, with a posterior, one more that picks each
    world's posterior draw by inverse weighted sampling (the draws' cumulative weights).

    Raises:
        ValueError: if ``count`` is below 1.
    """
    from scipy.stats import qmc

    if count < 1:
        raise ValueError(f"count must be >= 1, got {count}")
    dims = tuple(dimensions(registry, posterior))
    extra = 1 if posterior is not None else 0
    sample = qmc.LatinHypercube(d=len(dims) + extra, seed=np.random.default_rng(seed)
                                ).random(count)
    rows = None
    if posterior is not None:
        cumulative = np.cumsum(posterior.weights)
        rows = np.minimum(np.searchsorted(cumulative, sample[:, -1], side="right"),
                          len(cumulative) - 1)
    return Worlds(seed, dims, sample[:, : len(dims)], rows, posterior)

