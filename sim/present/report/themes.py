"""What the report's theme figures show: for each theme, its panels and the numbers behind them.

A theme (children, homelessness, ownership and work, start loans, evictions, money and the
municipal stock, crowding and neighbourhoods) is one half of a figure page; each of its panels
is a :class:`Series` that says how to get its values from a run and which indicator's paired
difference to show beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.indicators import INDEX
from sim.present.figures import month_dates

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.run.results import RunResult


@dataclass
class Series:
    """One time-series panel of a theme figure.

    Attributes:
        name: label key (:data:`sim.present.text.LABELS`).
        unit: unit key (:data:`sim.present.text.UNITS`).
        values: maps a run to (x dates, values of shape (R, len(x))) in display units.
        diff: indicator whose paired difference (summary.json's run value) is shown beside
            it; ``None`` for none.
        guideline: a horizontal reference line, in display units.
        floor: the least value the band may show (0: a count or sum that cannot be
            negative; None for one that can, the net cost).
    """

    name: str
    unit: str
    values: Callable[[RunResult], tuple[np.ndarray, np.ndarray]]
    diff: str | None = None
    guideline: float | None = None
    floor: float | None = 0.0


def _level(name: str, scale: float = 1.0) -> Callable[[RunResult], tuple[Any, Any]]:
    """The indicator's monthly value, times ``scale``."""
    def values(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
        return month_dates(res.dates), res.data[:, :, INDEX[name]] * scale

    return values


def _cumulative(name: str) -> Callable[[RunResult], tuple[Any, Any]]:
    """The indicator's total since the start, month by month."""
    def values(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
        return month_dates(res.dates), np.cumsum(res.data[:, :, INDEX[name]], axis=1)

    return values


def _owners(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
    """Families who own their home, with a start loan or a bank mortgage."""
    d = res.data
    return month_dates(res.dates), d[:, :, INDEX["owner_startloan"]] + d[:, :, INDEX["owner_bank"]]


def _annual(name: str) -> Callable[[RunResult], tuple[Any, Any]]:
    """The indicator's total per whole year in millions, placed mid-year."""
    def values(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
        x = res.data[:, :, INDEX[name]]
        years = x.shape[1] // 12
        sums = x[:, : years * 12].reshape(x.shape[0], years, 12).sum(axis=2) / 1e6
        starts = month_dates(res.dates)[: years * 12 : 12]
        return starts + np.timedelta64(182, "D"), sums

    return values


def _children_share(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
    """Per cent of the start loans granted so far that went to families with children
    (Husbanken's guideline is half); undefined before the first loan."""
    granted = np.cumsum(res.data[:, :, INDEX["startloans_granted"]], axis=1)
    kids = np.cumsum(res.data[:, :, INDEX["startloans_granted_children"]], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(granted > 0, 100.0 * kids / np.where(granted > 0, granted, 1), np.nan)
    return month_dates(res.dates), share


def theme_series() -> list[tuple[str, list[Series]]]:
    """The theme figures after the tenure figure: (title key, panels)."""
    return [
        ("f_children", [Series("children_municipal", "children",
                               _level("children_municipal"), "children_municipal")]),
        ("f_homeless", [Series("homeless", "families", _level("homeless"), "homeless"),
                        Series("children_homeless", "children", _level("children_homeless"),
                               "children_homeless")]),
        ("f_own_work", [Series("owners", "families", _owners, "owner_startloan"),
                        Series("purchases", "cumulative", _cumulative("purchases"),
                               "purchases"),
                        Series("families_in_work", "families", _level("families_in_work"),
                               "families_in_work")]),
        ("f_startloans", [Series("startloans_granted", "loans_cumulative",
                                 _cumulative("startloans_granted"), "startloans_granted"),
                          Series("startloan_children_share", "share", _children_share,
                                 "startloans_granted_children", guideline=50.0)]),
        ("f_evictions", [Series("evictions", "cumulative", _cumulative("evictions"),
                                "evictions"),
                         Series("forced_sales", "cumulative", _cumulative("forced_sales"),
                                "forced_sales")]),
        ("f_money", [Series("social_assistance_nok", "mnok_year",
                            _annual("social_assistance_nok"), "social_assistance_nok"),
                     Series("municipal_net_cost_nok", "mnok_year",
                            _annual("municipal_net_cost_nok"), "municipal_net_cost_nok",
                            floor=None),  # the municipality can come out ahead
                     Series("municipal_stock", "dwellings", _level("municipal_stock"),
                            "municipal_stock")]),
        ("f_homes", [Series("children_crowded", "children", _level("children_crowded"),
                            "children_crowded"),
                     Series("large_families_waiting", "families",
                            _level("large_families_waiting"), "large_families_waiting"),
                     Series("concentration_index", "index", _level("concentration_index"),
                            "concentration_index")]),
    ]
