"""The population: families held as columns of one length (people-as-arrays, after starsim).

Each family is one row ``i`` of every column. Families are appended when they arrive; when they
leave, ``active`` turns false and the row stays until :meth:`Families.compact` drops the rows
of departed families (the model does so when they are many: a national run would otherwise
work on twice as many rows as families). A family's ``uid`` — its number in order of arrival —
never changes, so ``uid`` names the same family in every scenario run with the same seed, the
basis of common random numbers. Capacity grows geometrically so appending is amortised O(1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import numpy as np
from numpy.typing import NDArray

#: Tenure codes, in the order of the tenure indicators.
HOMELESS, MUNICIPAL, SUBLET, PRIVATE, OWNER_STARTLOAN, OWNER_BANK = range(6)
TENURES = ("homeless", "municipal", "sublet", "private_rental", "owner_startloan",
           "owner_bank")
#: Lookup table by tenure code: a municipal or sublet tenancy.
_TENANT = np.isin(np.arange(6), (MUNICIPAL, SUBLET))
assert SUBLET == MUNICIPAL + 1 and OWNER_BANK == OWNER_STARTLOAN + 1 == len(TENURES) - 1


def is_tenant(tenure: np.ndarray) -> np.ndarray:
    """Whether tenure codes are a municipal or sublet tenancy."""
    if tenure.size > 4096 and tenure.dtype == np.int8:
        # codes 1 and 2 are the two below 2 after subtracting 1 as unsigned bytes (0 wraps to
        # 255): 16x faster than the lookup on a national column, slower on a few hundred
        return tenure.view(np.uint8) - np.uint8(MUNICIPAL) < SUBLET - MUNICIPAL + 1
    return _TENANT[tenure]


def is_owner(tenure: np.ndarray) -> np.ndarray:
    """Whether tenure codes are ownership, with a start loan or a bank mortgage (the two
    highest codes)."""
    return tenure >= OWNER_STARTLOAN


#: Need levels (health, substance abuse, budgeting problems).
NEED_LOW, NEED_MODERATE, NEED_EXTENSIVE = range(3)
#: Most children a family can have (slots in ``child_age``).
MAX_CHILDREN = 8
#: The age in an empty ``child_age`` slot: minus infinity, so that ageing is one addition
#: over every slot (an empty one stays empty) and ``age >= 0`` tells a child.
EMPTY_SLOT = -np.inf
NONE = -1

@dataclass(frozen=True)
class Column:
    """What a family column holds: the value a new family starts with, and its meaning with
    its unit. The column's dtype is that of its annotation."""

    fill: Any
    meaning: str


Bool = NDArray[np.bool_]
Int8 = NDArray[np.int8]
Int16 = NDArray[np.int16]
Int32 = NDArray[np.int32]
Int64 = NDArray[np.int64]
Float = NDArray[np.float64]


class Families:
    """Column store of all families that have lived in the municipality during a run.

    Every annotated attribute is a column, one entry per family (:data:`COLUMNS` lists them
    with dtype, fill and meaning), plus ``child_age`` (families x ``MAX_CHILDREN``, years,
    :data:`EMPTY_SLOT` for an empty one). ``n`` is the number of rows in use; columns are
    longer (capacity) and only ``[:n]`` is meaningful. ``n_ever`` counts the families ever
    added (``n`` until the first compaction); ``compactions`` how often rows were dropped.
    """

    uid: Annotated[Int64, Column(NONE, "the family's number in order of arrival (kept by "
        "compaction)")]
    active: Annotated[Bool, Column(False, "living in the municipality")]
    draw: Annotated[Int64, Column(NONE, "the family's place in its town's random draws: its "
        "town's families numbered in order of arrival, departed ones included until the draws "
        "let them go (sim.engine.towns.Towns.rows); -1 until first numbered")]
    town: Annotated[Int32, Column(0, "the municipality of a batch of runs the family lives in (0 "
        "in a single run; see sim.engine.model.HousingModel)")]
    arrived: Annotated[Int32, Column(0, "month index of arrival (negative: before the run)")]
    adults: Annotated[Int8, Column(1, "adults in the household, 1 or 2")]
    kids: Annotated[Int8, Column(0, "children under the age of majority (kept equal to the filled "
        "child_age slots by recount_children)")]
    head_age: Annotated[Float, Column(35.0, "age of the first adult, years")]
    refugee: Annotated[Bool, Column(False, "refugee background")]
    rooted: Annotated[Bool, Column(False, "came to the municipality's group as an owner: moves "
        "away at demography.owner_outmigration_rate whatever its tenure later")]
    client: Annotated[Bool, Column(False, "came as one of the municipal stock's other clientele, "
        "a single adult with service needs the services referred to the housing office: leaves "
        "at demography.client_departure_rate, and its application stands while it rents "
        "privately")]
    need: Annotated[Int8, Column(NEED_LOW, "health/substance/budgeting need: 0 low, 1 moderate, 2 "
        "extensive")]
    employed: Annotated[Bool, Column(False, "an adult is employed")]
    permanent: Annotated[Bool, Column(False, "the job is permanent")]
    wage: Annotated[Float, Column(0.0, "gross monthly wage when employed, NOK/month")]
    employed2: Annotated[Bool, Column(False, "the second adult of a couple is employed too (only "
        "with employed: a couple's one job is the first adult's)")]
    wage2: Annotated[Float, Column(0.0, "the second adult's gross monthly wage, NOK/month")]
    ub_left: Annotated[Int16, Column(0, "months of unemployment benefit (dagpenger) left")]
    ub_amount: Annotated[Float, Column(0.0, "gross unemployment benefit, NOK/month")]
    disability: Annotated[Bool, Column(False, "the first adult has disability pension")]
    intro_left: Annotated[Int16, Column(0, "months left in the introduction programme")]
    measure_left: Annotated[Int16, Column(0, "months left in an employment measure")]
    debt: Annotated[Float, Column(0.0, "consumer debt, NOK")]
    missed: Annotated[Int16, Column(0, "months in a row with missed payments")]
    remark: Annotated[Bool, Column(False, "has payment remarks")]
    remark_clear_at: Annotated[Int32, Column(NONE, "month the remarks lapse after debts are "
        "settled")]
    counselling_left: Annotated[Int16, Column(0, "months left in debt counselling (0: not in it)")]
    cleared: Annotated[Bool, Column(False, "debt problems cleared by debt counselling")]
    sa_claimant: Annotated[Bool, Column(True, "claims social assistance when eligible (else never "
        "does)")]
    savings: Annotated[Float, Column(0.0, "savings, NOK")]
    guide: Annotated[Float, Column(0.0, "NAV's guideline for the household, NOK/month (kept by "
        "sim.engine.processes.economy.living_costs until costs_due)")]
    sifo: Annotated[Float, Column(0.0, "SIFO budget for the household, NOK/month (as guide)")]
    costs_due: Annotated[Int32, Column(NONE, "month from which guide and sifo are computed again; "
        "-1 now (set when the household changes)")]
    spending_pos: Annotated[Float, Column(0.5, "actual spending between SA guideline (0) and SIFO "
        "(1)")]
    tenure: Annotated[Int8, Column(HOMELESS, "tenure code (TENURES)")]
    rent_factor: Annotated[Float, Column(1.0, "private lease rent relative to the market rent")]
    dwelling: Annotated[Int32, Column(NONE, "municipal/sublet dwelling index, -1 if none")]
    home_rooms: Annotated[Int8, Column(0, "rooms of the family's home, 1 to 5 (five or more); 0 "
        "without a home (sim.engine.processes.homes)")]
    home_zone: Annotated[Int8, Column(NONE, "the neighbourhood (zone) of the family's home, 0 to "
        "dwellings.zones - 1; -1 without a home")]
    home_poor: Annotated[Bool, Column(False, "the family's home is of poor standard")]
    tenure_months: Annotated[Int32, Column(0, "months in the current tenure")]
    contract_end: Annotated[Int32, Column(NONE, "month the municipal lease ends, -1 indefinite")]
    review_due: Annotated[Int32, Column(NONE, "month of the next tenancy review, -1 none")]
    exit_by: Annotated[Int32, Column(NONE, "month by which the family must have moved, -1 none")]
    offered: Annotated[Bool, Column(False, "a review sends the tenant to the start-loan desk "
        "(it can buy, or it works where tenants move on)")]
    desk_applied: Annotated[Int32, Column(NONE, "month the start-loan desk last assessed the "
        "family's application, -1 never")]
    desk_state: Annotated[Int8, Column(0, "the family's circumstances then "
        "(sim.engine.processes.startloan.circumstances)")]
    waiting_since: Annotated[Int32, Column(NONE, "month joined the municipal waiting list, -1 not "
        "on it")]
    followed: Annotated[Bool, Column(False, "followed up by a caseworker")]
    followed_months: Annotated[Int32, Column(0, "months followed up so far")]
    plan: Annotated[Bool, Column(False, "has a family plan (budget)")]
    career_plan: Annotated[Bool, Column(False, "has a housing-career plan from visits")]
    network_until: Annotated[Int32, Column(NONE, "month until which a network meeting's measures "
        "last")]
    rent_arrears: Annotated[Float, Column(0.0, "unpaid rent, NOK")]
    loan_arrears: Annotated[Float, Column(0.0, "unpaid loan payments, NOK")]
    loan_principal: Annotated[Float, Column(0.0, "outstanding loan, NOK")]
    loan_rate: Annotated[Float, Column(0.0, "loan interest, 1/year")]
    loan_months: Annotated[Int32, Column(0, "remaining loan term, months")]
    loan_payment: Annotated[Float, Column(0.0, "monthly loan payment, NOK")]
    loan_fixed: Annotated[Bool, Column(False, "a fixed-rate start loan (keeps its rate; other "
        "loans follow the month's rate)")]
    relief_until: Annotated[Int32, Column(NONE, "month an interest-only period ends, -1 never had "
        "one")]
    price_paid: Annotated[Float, Column(0.0, "purchase price, NOK")]
    price_index_paid: Annotated[Float, Column(1.0, "house-price index when the purchase was "
        "approved")]
    grant: Annotated[Float, Column(0.0, "establishment grant received, NOK")]
    grant_month: Annotated[Int32, Column(NONE, "month the grant was paid")]
    approved_until: Annotated[Int32, Column(NONE, "month a loan approval lapses, -1 none")]
    approved_kind: Annotated[Int8, Column(NONE, "approved tenure (OWNER_STARTLOAN or OWNER_BANK)")]
    approved_loan: Annotated[Float, Column(0.0, "approved loan, NOK")]
    approved_grant: Annotated[Float, Column(0.0, "approved grant, NOK")]
    approved_price: Annotated[Float, Column(0.0, "price the approval is for, NOK")]
    approved_index: Annotated[Float, Column(1.0, "house-price index when the approval was given")]
    net_income: Annotated[Float, Column(0.0, "net income this month, NOK/month")]
    gross_income: Annotated[Float, Column(0.0, "gross income this month, NOK/month")]
    housing_cost: Annotated[Float, Column(0.0, "housing payment due this month, NOK/month")]
    allowance: Annotated[Float, Column(0.0, "housing allowance this month, NOK/month")]
    social_assistance: Annotated[Float, Column(0.0, "social assistance this month, NOK/month")]
    sa_months: Annotated[Int32, Column(0, "months in a row paid social assistance, this one "
                                          "included")]
    spent: Annotated[Float, Column(0.0, "living costs paid this month: NAV's guideline, spending "
        "above it, and a housing payment spent instead of paid, NOK/month")]
    debt_interest: Annotated[Float, Column(0.0, "interest added to consumer debt this month, "
        "NOK/month")]
    transfers: Annotated[Float, Column(0.0, "money this month into (+) or out of (-) the "
        "family's savings less its debts and arrears outside the monthly budget: arrears NAV "
        "settles, debt written off, loan arrears folded into a loan, a down payment, what a "
        "forced sale leaves, NOK (the household ledger: sim.engine.accounts.household_balance)")]
    child_age: Float

    def __init__(self, capacity: int = 64):
        self.n = 0
        self.n_ever = 0
        self.compactions = 0
        self._cap = max(int(capacity), 1)
        for name, (dtype, fill, _) in COLUMNS.items():
            setattr(self, name, np.full(self._cap, fill, dtype=dtype))
        self.child_age = np.full((self._cap, MAX_CHILDREN), EMPTY_SLOT)

    # ------------------------------------------------------------------ growth
    def add(self, k: int) -> slice:
        """Append ``k`` families with default values; return their index slice."""
        if self.n + k > self._cap:
            new = max(self._cap * 2, self.n + k)
            for name, (dtype, fill, _) in COLUMNS.items():
                col = np.full(new, fill, dtype=dtype)
                col[: self.n] = getattr(self, name)[: self.n]
                setattr(self, name, col)
            ages = np.full((new, MAX_CHILDREN), EMPTY_SLOT)
            ages[: self.n] = self.child_age[: self.n]
            self.child_age = ages
            self._cap = new
        s = slice(self.n, self.n + k)
        self.uid[s] = np.arange(self.n_ever, self.n_ever + k)
        self.n += k
        self.n_ever += k
        return s

    def compact(self, keep: np.ndarray | None = None) -> np.ndarray:
        """Drop the rows of departed families, keeping the others in order.

        Args:
            keep: the rows to keep (a mask over the rows in use); default the active ones.
                A batch of towns drops the departed rows of some towns only.

        Returns:
            The new row of every old row (``-1`` for a dropped one), for callers that hold
            row indices (the municipal stock's occupants).
        """
        n = self.n
        keep = (self.active[:n] if keep is None else keep).nonzero()[0]
        k = len(keep)
        for name, (_, fill, _) in COLUMNS.items():
            col = getattr(self, name)
            col[:k] = col[keep]
            col[k:n] = fill
        self.child_age[:k] = self.child_age[keep]
        self.child_age[k:n] = EMPTY_SLOT
        new_row = np.full(n, NONE, dtype=np.int64)
        new_row[keep] = np.arange(k)
        self.n = k
        self.compactions += 1
        return new_row

    # ------------------------------------------------------------------ changes of state
    def set_tenure(self, idx: np.ndarray, tenure: int | np.ndarray) -> None:
        """Move families ``idx`` to ``tenure``; the time in tenure restarts where it changed."""
        changed = self.tenure[idx] != tenure
        self.tenure_months[idx[changed]] = 0
        self.tenure[idx] = tenure

    # ------------------------------------------------------------------ derived views
    def view(self, name: str) -> np.ndarray:
        """Column ``name`` over the families added so far (a view, not a copy)."""
        return getattr(self, name)[: self.n]

    @property
    def n_children(self) -> np.ndarray:
        """Children under the age of majority per family (a view of the ``kids`` column)."""
        return self.kids[: self.n]

    def recount_children(self, idx: np.ndarray | slice | None = None) -> None:
        """Recount ``kids`` from ``child_age`` for families ``idx`` (all when None).

        Call after changing ``child_age``: counting the slots every time it is needed was a
        tenth of a month's work.
        """
        idx = slice(0, self.n) if idx is None else idx
        self.kids[idx] = (self.child_age[idx] >= 0).sum(axis=1)

    @property
    def persons(self) -> np.ndarray:
        """Household size: adults plus children."""
        return self.adults[: self.n] + self.n_children

    def family(self, i: int) -> dict[str, Any]:
        """A read-only snapshot of family ``i``, for inspection and family stories."""
        if not 0 <= i < self.n:
            raise IndexError(f"no family {i}; {self.n} families so far")
        out = {name: getattr(self, name)[i].item() for name in COLUMNS}
        ages = self.child_age[i]
        out["children"] = sorted(float(a) for a in ages if a >= 0)
        out["tenure_name"] = TENURES[out["tenure"]]
        return out


def _columns() -> dict[str, tuple[Any, Any, str]]:
    """name -> (dtype, fill value for a new family, meaning with unit), from the annotations
    of :class:`Families`, in their order."""
    out = {}
    for name, hint in get_type_hints(Families, include_extras=True).items():
        if get_origin(hint) is Annotated:
            array, column = get_args(hint)
            dtype = get_args(get_args(array)[1])[0]
            out[name] = (dtype, column.fill, column.meaning)
    return out


#: Every column of :class:`Families`: name -> (dtype, fill value, meaning with unit).
COLUMNS: dict[str, tuple[Any, Any, str]] = _columns()
