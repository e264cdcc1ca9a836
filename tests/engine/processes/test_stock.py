"""The municipal stock (:mod:`sim.engine.processes.stock`): releasing long-vacant dwellings.

The families are built by hand (:mod:`process_helpers`); see there for how.
"""

from __future__ import annotations

import pytest
from process_helpers import (
    make,
)

from sim.engine import accounts


def test_long_vacant_dwellings_leave_the_stock_only_when_asked() -> None:
    """With stock.release_vacant_months = 12, a dwelling vacant for a year is sold (the stock,
    its cost and its vacancies shrink); one vacant for eleven months stays; with 0 none goes."""
    from sim.engine.processes import stock

    for months, expected in ((12, 1), (0, 2)):
        m = make(f"stock.release_vacant_months={months}", dwellings=2)
        m.stock.vacant_since[:] = [-12, -11]
        stock.step(m)
        assert m.stock.n == expected
        assert len(m.stock.vacant()) == expected
        accounts.costs(m)
        assert m.flows["municipal_housing_net_nok"] == pytest.approx(
            expected * m.p["stock.owned_cost"])
