"""The month's accounts and record: what the municipality paid, and every indicator.

The processes add the month's flows (``m.flows[name] += ...``) and the rent collected in
municipal dwellings (``m.rent_collected``); at the end of the month :func:`costs` adds the
municipality's costs and :func:`indicators` counts the stocks, in the order of
:data:`sim.inputs.indicators.NAMES`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.engine.families import (
    HOMELESS,
    MAX_CHILDREN,
    MUNICIPAL,
    OWNER_BANK,
    OWNER_STARTLOAN,
    SUBLET,
    TENURES,
    is_owner,
    is_tenant,
)
from sim.engine.processes.homes import concentration, crowded
from sim.engine.processes.market import market_rent_level, market_value, size_factor
from sim.engine.processes.municipal import zone_needs
from sim.engine.processes.stock import OWNED, SUBLET_KIND
from sim.inputs.indicators import INDEX, INDICATORS, NAMES, NET_COST_ITEMS

if TYPE_CHECKING:
    from sim.engine.families import Families
    from sim.engine.model import HousingModel
    from sim.engine.towns import Towns

#: The flow and money indicators, reset at the start of every month.
FLOW_NAMES = tuple(i.name for i in INDICATORS if i.kind != "stock")


def new_month(towns: Towns) -> tuple[dict[str, Any], list[Any]]:
    """The month's flows and rent collected (owned, sublet), all zero (one array per flow in
    a batch: they are added to in place)."""
    flows = {k: towns.zero() for k in (*FLOW_NAMES, "arrears_settled_nok")}
    return flows, [towns.zero(), towns.zero()]


def liquid_position(f: Families, rows: Any = slice(None)) -> np.ndarray:
    """What families ``rows`` have in the bank less what they owe outside their mortgage:
    savings - consumer debt - rent arrears - loan arrears, NOK."""
    return f.savings[rows] - f.debt[rows] - f.rent_arrears[rows] - f.loan_arrears[rows]


def household_balance(f: Families, rows: Any = slice(None)) -> np.ndarray:
    """The household ledger of the month just simulated for families ``rows``, NOK: net
    income + housing allowance + social assistance - living costs paid - housing payment due
    - interest on consumer debt + transfers (arrears NAV settled, debt written off, a down
    payment, what a forced sale leaves).

    For a family that lived in the municipality the whole month this equals the change in
    its :func:`liquid_position`: no krone appears or vanishes. A housing payment due but not
    paid is in the balance through the arrears or debt it leaves.
    """
    return (f.net_income[rows] + f.allowance[rows] + f.social_assistance[rows] - f.spent[rows]
            - f.housing_cost[rows] - f.debt_interest[rows] + f.transfers[rows])


def costs(m: HousingModel) -> None:
    """The municipality's costs this month (NOK); their sum is the net cost."""
    p, f, n, fl = m.p, m.f, m.f.n, m.flows
    homeless = m.towns.count(f.active[:n] & (f.tenure[:n] == HOMELESS))
    fl["temporary_accommodation_nok"] = (homeless * p["economy.temporary_share"]
                                         * p["economy.temporary_cost"])
    stock = m.stock
    n_owned = stock.count(OWNED)
    n_sublet = stock.count(SUBLET_KIND)
    # the owners of sublet dwellings are paid the market rent of each one's size
    sublet = stock.active & (stock.kind == SUBLET_KIND)
    per_person = p["market.price_per_person"]
    if type(per_person) is np.ndarray:
        per_person = per_person.take(stock.town[sublet])
    size = size_factor(stock.rooms[sublet], per_person)
    if m.towns.n == 1:
        sizes: Any = float(size.sum())
    else:
        sizes = np.bincount(stock.town[sublet], size, minlength=m.towns.n)
    lease = market_rent_level(m) * sizes + n_sublet * p["stock.sublet_admin_cost"]
    fl["municipal_housing_net_nok"] = (n_owned * p["stock.owned_cost"]
                                       - m.rent_collected[OWNED]
                                       + lease - m.rent_collected[SUBLET_KIND])
    fl["followup_cost_nok"] = (p["policy.followup.workers"]
                               * p["policy.followup.cost_per_worker"] / 12)
    fl["municipal_net_cost_nok"] = sum(fl[k] for k in NET_COST_ITEMS)


def indicators(m: HousingModel) -> np.ndarray:
    """The month's indicator vector, in the order of :data:`sim.inputs.indicators.NAMES` (one
    per town in a batch: towns x indicators)."""
    f, n, towns = m.f, m.f.n, m.towns.n
    act = f.active[:n]
    out = np.zeros((towns, len(NAMES)))
    row = out[0] if towns == 1 else out  # row[..., i]: indicator i (of every town)
    counts = _by_tenure(m, row)
    # counts over all rows masked by ``act``: cheaper than gathering the active rows
    count = m.towns.count
    row[..., INDEX["waiting_list"]] = count(act & (f.waiting_since[:n] >= 0))
    row[..., INDEX["vacant_municipal"]] = m.stock.count_vacant()
    row[..., INDEX["municipal_stock"]] = m.stock.n
    row[..., INDEX["families_in_work"]] = count(act & f.employed[:n])
    row[..., INDEX["social_assistance_recipients"]] = count(
        act & (f.social_assistance[:n] > 0))
    row[..., INDEX["in_arrears"]] = count(
        act & ((f.rent_arrears[:n] > 0) | (f.loan_arrears[:n] > 0)))
    row[..., INDEX["followed_up"]] = count(act & f.followed[:n])
    _means(m, row, counts)
    row[..., INDEX["with_payment_remarks"]] = count(act & f.remark[:n])
    row[..., INDEX["refugees_municipal"]] = count(act & f.refugee[:n] & is_tenant(f.tenure[:n]))
    row[..., INDEX["new_homeless"]] = count(
        act & (f.tenure[:n] == HOMELESS) & (f.tenure_months[:n] == 0))
    _children_at_risk(m, row)
    _homes(m, row)
    for name in FLOW_NAMES:
        if name not in COUNTED_AT_END:
            row[..., INDEX[name]] = m.flows[name]
    return row


#: Flows counted from the state at the end of the month rather than as they happen.
COUNTED_AT_END = ("new_homeless", "child_moves", "child_months_insecure")


def homes(m: HousingModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each family lives, as :func:`indicators` compares it at the start and the end of
    a month: tenure, municipal or sublet dwelling, and private lease (its rent factor, drawn
    anew for every lease)."""
    f, n = m.f, m.f.n
    return f.tenure[:n].copy(), f.dwelling[:n].copy(), f.rent_factor[:n].copy()


def _children_at_risk(m: HousingModel, row: np.ndarray) -> None:
    """What the month did to children's homes into ``row``: children whose family lives
    elsewhere than at the start of the month (another tenure, dwelling or private lease; a
    family that arrived this month is not counted, and one evicted and given back its
    dwelling within the month has not moved) and children in insecure housing (homeless or in
    temporary accommodation, or under notice to move), counted each month.

    Why: moving and insecure housing are what the report's child perspective is about, and
    low-income families move about twice as often as others (Røe (2018) §1.2)."""
    f, n = m.f, m.f.n
    act = f.active[:n]
    kids = f.n_children.astype(np.float64)
    moved = np.zeros(n, dtype=bool)
    if m.homes_at_start is not None:
        tenure, dwelling, lease = m.homes_at_start
        k = len(tenure)  # rows added during the month arrived in it
        moved[:k] = act[:k] & ((f.tenure[:k] != tenure) | (f.dwelling[:k] != dwelling)
                               | (f.rent_factor[:k] != lease))
    insecure = act & ((f.tenure[:n] == HOMELESS) | (f.exit_by[:n] >= 0))
    row[..., INDEX["child_moves"]] = m.towns.total(kids[moved], moved)
    row[..., INDEX["child_months_insecure"]] = m.towns.total(kids[insecure], insecure)


def _homes(m: HousingModel, row: np.ndarray) -> None:
    """Children crowded and in homes of poor standard, large families waiting, the
    concentration of the families by zone, and of tenants with extensive needs in the
    municipal dwellings of a zone, into ``row``."""
    f, n = m.f, m.f.n
    act = f.active[:n]
    kids = f.kids[:n].astype(np.float64)
    cramped = act & crowded(f)
    poor = act & f.home_poor[:n]
    row[..., INDEX["children_crowded"]] = m.towns.total(kids[cramped], cramped)
    row[..., INDEX["children_poor_standard"]] = m.towns.total(kids[poor], poor)
    row[..., INDEX["large_families_waiting"]] = m.towns.count(
        act & (f.waiting_since[:n] >= 0) & (f.kids[:n] >= 3))
    row[..., INDEX["concentration_index"]] = concentration(m)
    vulnerable, dwellings = zone_needs(m)
    share = np.where(dwellings > 0, vulnerable / np.maximum(dwellings, 1), 0.0).max(axis=1)
    row[..., INDEX["vulnerable_zone_share"]] = share[0] if m.towns.n == 1 else share


def _by_tenure(m: HousingModel, row: np.ndarray) -> np.ndarray:
    """Families and children by tenure into ``row``; returns the families by (town and)
    tenure."""
    f, n, towns = m.f, m.f.n, m.towns.n
    here = f.active[:n].nonzero()[0]  # the active families' rows
    code = f.tenure[:n][here]
    if towns > 1:
        code = code + 6 * f.town[here]
    # families by town, tenure and number of children, in one count of whole numbers
    slots = MAX_CHILDREN + 1
    by_kids = np.bincount(code * slots + f.n_children[here], minlength=towns * 6 * slots)
    by_kids = by_kids.reshape(6, slots) if towns == 1 else by_kids.reshape(towns, 6, slots)
    counts = by_kids.sum(axis=-1)  # by (town and) tenure
    children = by_kids @ np.arange(slots)
    row[..., INDEX["families"]] = counts.sum(axis=-1)
    for k, name in enumerate(TENURES):
        row[..., INDEX[name]] = counts[..., k]
    row[..., INDEX["children_municipal"]] = children[..., MUNICIPAL] + children[..., SUBLET]
    row[..., INDEX["children_homeless"]] = children[..., HOMELESS]
    row[..., INDEX["children"]] = children.sum(axis=-1)
    return counts


def _means(m: HousingModel, row: np.ndarray, counts: np.ndarray) -> None:
    """Tenants' mean months in their dwelling and owners' mean equity into ``row``."""
    f, n = m.f, m.f.n
    act = f.active[:n]
    tenure = f.tenure[:n]
    tenants = counts[..., MUNICIPAL] + counts[..., SUBLET]
    if tenants.any():
        tenant = act & is_tenant(tenure)
        row[..., INDEX["mean_months_in_municipal"]] = m.towns.mean(
            f.tenure_months[:n][tenant], tenant, tenants)
    owners = counts[..., OWNER_STARTLOAN] + counts[..., OWNER_BANK]
    if owners.any():
        idx = (act & is_owner(tenure)).nonzero()[0]
        equity = market_value(m, idx) - f.loan_principal[idx]
        row[..., INDEX["mean_owner_equity_nok"]] = m.towns.mean(equity, idx, owners)
