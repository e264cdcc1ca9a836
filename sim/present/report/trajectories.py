"""Every family's state month by month in one replication: the material of the family stories.

The runs behind the headline numbers keep only the monthly indicators; the stories need each
family's own path, so one replication is stepped again here with every family's state kept.
The model is built by :func:`sim.run.runner.build_model`, so it is the very same run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.inputs.scenario import Scenario
    from sim.present.zones import ZoneView

#: Tenure of a family in a month it does not live in the municipality.
MISSING = -1


@dataclass
class Trajectories:
    """Every family's state at the end of each month of one replication.

    Arrays are (months, families); a family not living in the municipality that month has
    tenure ``-1``.

    Attributes:
        scenario: the scenario's name.
        dates: ``YYYY-MM`` of each month.
        tenure: tenure codes (:data:`sim.engine.families.TENURES`), ``-1`` when absent.
        employed: an adult employed.
        net_income: wages and benefits after tax, NOK per month.
        allowance: housing allowance (bostøtte), NOK per month.
        social_assistance: social assistance, NOK per month.
        loan_principal: outstanding loan, NOK.
        rent_arrears: unpaid rent, NOK.
        adults: adults in the household.
        children: number of children.
        refugee: refugee background.
        rooms: rooms of the home (0 without one or when absent); ``None`` when not kept.
        zone: the home's zone (-1 without one); ``None`` when not kept.
        lease: a private lease's rent factor, new with every lease (NaN when absent);
            ``None`` when not kept.
        zones: the zones in the last month (:mod:`sim.present.zones`); ``None`` when not
            kept.
    """

    scenario: str
    dates: list[str]
    tenure: np.ndarray
    employed: np.ndarray
    net_income: np.ndarray
    allowance: np.ndarray
    social_assistance: np.ndarray
    loan_principal: np.ndarray
    rent_arrears: np.ndarray
    adults: np.ndarray
    children: np.ndarray
    refugee: np.ndarray
    rooms: np.ndarray | None = None
    zone: np.ndarray | None = None
    lease: np.ndarray | None = None
    zones: ZoneView | None = None

    @property
    def present(self) -> np.ndarray:
        """Living in the municipality, (months, families)."""
        return self.tenure >= 0


_SNAPSHOT = ("tenure", "employed", "net_income", "allowance", "social_assistance",
             "loan_principal", "rent_arrears", "adults", "refugee", "rooms", "zone", "lease")
#: The family column behind a snapshot whose name differs.
_COLUMN = {"rooms": "home_rooms", "zone": "home_zone", "lease": "rent_factor"}


def record_trajectories(scenario: Scenario, seed: int, replication: int = 0) -> Trajectories:
    """Step one replication month by month and keep every family's state each reported month.

    The model is built by :func:`sim.run.runner.build_model`, so this is the same run as
    replication ``replication`` of the report's runs. Its burn-in is simulated first and not
    kept: a family's story starts at the first reported month.
    """
    from sim.run.runner import build_model

    model = build_model(scenario, seed, replication).settle()
    frames: dict[str, list[np.ndarray]] = {k: [] for k in (*_SNAPSHOT, "children", "uid")}
    while model.reported < model.months:
        model.step()
        f, n = model.f, model.f.n
        tenure = np.where(f.active[:n], f.tenure[:n].astype(np.int16), MISSING)
        frames["tenure"].append(tenure)
        for name in (*_SNAPSHOT[1:], "uid"):
            frames[name].append(getattr(f, _COLUMN.get(name, name))[:n].copy())
        frames["children"].append((f.child_age[:n] >= 0).sum(axis=1))
    size = model.f.n_ever
    from sim.present.zones import zone_view

    zones = zone_view(model)

    def stack(name: str, fill: Any, dtype: Any) -> np.ndarray:
        # column = the family's uid: rows of departed families may have been dropped
        out = np.full((len(frames[name]), size), fill, dtype=dtype)
        for m, (uid, row) in enumerate(zip(frames["uid"], frames[name], strict=True)):
            out[m, uid] = row
        return out

    return Trajectories(
        scenario=scenario.name, dates=model.dates,
        tenure=stack("tenure", MISSING, np.int16), employed=stack("employed", False, bool),
        net_income=stack("net_income", np.nan, float),
        allowance=stack("allowance", np.nan, float),
        social_assistance=stack("social_assistance", np.nan, float),
        loan_principal=stack("loan_principal", np.nan, float),
        rent_arrears=stack("rent_arrears", 0.0, float), adults=stack("adults", 0, np.int16),
        children=stack("children", 0, np.int16), refugee=stack("refugee", False, bool),
        rooms=stack("rooms", 0, np.int16), zone=stack("zone", -1, np.int16),
        lease=stack("lease", np.nan, float), zones=zones,
    )
