"""The indicators a run reports each month: name, unit, kind and meaning.

This list is the public contract of ``timeseries.csv`` and ``summary.json`` (docs/outputs.md):
column order follows it. *Stock* indicators are states at the end of a month, and a run's value
is the value in its last month; *flow* and *money* indicators happen during a month, and a run's
value is the total over the run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """One monthly indicator.

    Attributes:
        name: column name in ``timeseries.csv``.
        unit: ``families``, ``children``, ``dwellings``, ``months``, ``NOK`` ...
        kind: ``stock`` (end of month), ``flow`` (count during the month) or ``money``
            (NOK during the month).
        meaning: what it counts, in one sentence.
    """

    name: str
    unit: str
    kind: str
    meaning: str

    @property
    def nonnegative(self) -> bool:
        """Whether the quantity cannot be below zero: every count, and money but the net
        items (:data:`SIGNED`), so an interval of its mean is cut at zero where it reaches
        below (:func:`sim.run.results.level_ci`)."""
        return self.name not in SIGNED


#: Money that can be below zero: the municipal dwellings' net cost is negative when rent
#: collected exceeds what the dwellings cost, and the net cost includes it.
SIGNED = ("municipal_housing_net_nok", "municipal_net_cost_nok")


def _i(name: str, unit: str, kind: str, meaning: str) -> Indicator:
    return Indicator(name, unit, kind, meaning)


INDICATORS: tuple[Indicator, ...] = (
    # stocks: the six tenures add up to `families`
    _i("families", "families", "stock", "Families living in the municipality."),
    _i("homeless", "families", "stock", "Homeless or in temporary accommodation."),
    _i("municipal", "families", "stock", "Renting a municipal dwelling."),
    _i("sublet", "families", "stock", "Renting a dwelling the municipality sublets."),
    _i("private_rental", "families", "stock", "Renting from a private landlord."),
    _i("owner_startloan", "families", "stock", "Owning with a start loan."),
    _i("owner_bank", "families", "stock", "Owning with an ordinary bank mortgage."),
    _i("children_municipal", "children", "stock",
       "Children living in municipal or sublet dwellings."),
    _i("children_homeless", "children", "stock", "Children in homeless families."),
    _i("children", "children", "stock", "Children in all families."),
    _i("waiting_list", "families", "stock", "Families on the waiting list for municipal housing."),
    _i("vacant_municipal", "dwellings", "stock", "Vacant municipal and sublet dwellings."),
    _i("municipal_stock", "dwellings", "stock", "Municipal and sublet dwellings in all."),
    _i("families_in_work", "families", "stock", "Families with at least one adult employed."),
    _i("social_assistance_recipients", "families", "stock",
       "Families paid social assistance this month."),
    _i("in_arrears", "families", "stock", "Families with rent or loan arrears."),
    _i("followed_up", "families", "stock", "Families followed up by a caseworker."),
    _i("mean_months_in_municipal", "months", "stock",
       "Mean time so far in their current municipal or sublet dwelling, over its tenants."),
    _i("mean_owner_equity_nok", "NOK", "stock",
       "Mean housing equity (market value less loan) of owner families."),
    _i("with_payment_remarks", "families", "stock", "Families with payment remarks."),
    _i("refugees_municipal", "families", "stock",
       "Families with a refugee background renting municipal or sublet dwellings."),
    _i("children_crowded", "children", "stock",
       "Children in families living crowded: fewer rooms than persons (SSB's rooms criterion)."),
    _i("children_poor_standard", "children", "stock",
       "Children in families whose home is of poor standard."),
    _i("large_families_waiting", "families", "stock",
       "Families with three or more children on the waiting list for municipal housing."),
    _i("vulnerable_zone_share", "share", "stock",
       "Largest share, over the zones, of a zone's municipal and sublet dwellings let to "
       "tenants with extensive needs (0 where a town has no such dwellings)."),
    _i("concentration_index", "index", "stock",
       "Dissimilarity index D = ½ Σ_z |a_z/A − b_z/B| (Duncan & Duncan 1955) over the zones, "
       "a_z the model's housed families in zone z and b_z the municipality's other households "
       "there (inhabitants / dwellings.persons_per_household, spread evenly, less a_z): 0 when "
       "the families are spread like everyone else, 1 when they share no zone; the share that "
       "would have to move to be spread alike."),
    # flows during the month
    _i("startloan_applications", "families", "flow",
       "Start-loan applications the desk assessed (purchases and refinancing)."),
    _i("startloan_applicants", "families", "flow",
       "Families applying to the start-loan desk for the first time in the run (the run's "
       "total counts each applicant family once)."),
    _i("startloans_granted", "families", "flow", "Start loans granted (approvals)."),
    _i("startloans_granted_children", "families", "flow",
       "Start loans granted to families with children."),
    _i("startloans_refinanced", "families", "flow",
       "Start loans granted to refinance a home its owner was about to lose (among "
       "startloans_granted)."),
    _i("purchases", "families", "flow", "Families buying a home (start loan or bank)."),
    _i("moves_out_of_municipal", "families", "flow",
       "Families leaving a municipal or sublet dwelling (any reason)."),
    _i("allocations", "families", "flow", "Municipal or sublet dwellings allocated."),
    _i("evictions", "families", "flow", "Evictions (fravikelse) for arrears."),
    _i("forced_sales", "families", "flow", "Forced sales after loan default."),
    _i("forced_sales_startloan", "families", "flow",
       "Forced sales of homes bought with a start loan (start-loan defaults)."),
    _i("entered_work", "families", "flow", "Families where an adult got a job."),
    _i("new_homeless", "families", "flow", "Families becoming homeless (incl. arriving so)."),
    _i("arrivals", "families", "flow", "Families arriving (refugee settlement, new local)."),
    _i("new_households", "families", "flow",
       "Households formed in the municipality by an adult leaving in a separation."),
    _i("departures", "families", "flow", "Families moving out of the municipality."),
    _i("child_moves", "children", "flow",
       "Children whose family moved home this month: a new tenure or lease, an allocation, an "
       "eviction (arriving in the municipality is not counted). Over a run, divided by the "
       "children, it is the moves per child."),
    _i("child_months_insecure", "child-months", "flow",
       "Children in homeless families (incl. temporary accommodation) or in families under "
       "notice to move (a private lease ended, an exit request, a forced sale of their home "
       "under way), counted each month."),
    # money during the month
    _i("social_assistance_nok", "NOK", "money", "Social assistance paid (municipal)."),
    _i("housing_allowance_nok", "NOK", "money", "Housing allowance (bostøtte) paid (state)."),
    _i("municipal_net_cost_nok", "NOK", "money",
       "Municipality's net cost: social_assistance_nok + temporary_accommodation_nok + "
       "municipal_housing_net_nok + followup_cost_nok + grants_nok + "
       "startloan_losses_municipal_nok (housing allowance is paid by the state)."),
    _i("temporary_accommodation_nok", "NOK", "money", "Paid temporary accommodation."),
    _i("municipal_housing_net_nok", "NOK", "money",
       "Cost of owned and sublet dwellings less rent collected."),
    _i("followup_cost_nok", "NOK", "money", "Caseworkers' cost."),
    _i("grants_nok", "NOK", "money", "Establishment grants paid less grants recovered."),
    _i("startloan_losses_nok", "NOK", "money",
       "Losses on start loans after forced sale (municipality and state)."),
    _i("startloan_losses_municipal_nok", "NOK", "money",
       "The municipality's 25 % of start-loan losses."),
    _i("startloan_lent_nok", "NOK", "money", "Start loans paid out at purchase."),
    _i("stock_purchases_nok", "NOK", "money",
       "Price of the municipal dwellings bought or built (an investment: the net cost carries "
       "owning them through municipal_housing_net_nok)."),
)

NAMES: tuple[str, ...] = tuple(i.name for i in INDICATORS)
INDEX: dict[str, int] = {n: k for k, n in enumerate(NAMES)}
BY_NAME: dict[str, Indicator] = {i.name: i for i in INDICATORS}

#: The six tenures, in the order of :data:`sim.engine.families.TENURES`; they add up to
#: ``families``.
TENURE_INDICATORS = ("homeless", "municipal", "sublet", "private_rental", "owner_startloan",
                     "owner_bank")

#: The items that make up ``municipal_net_cost_nok`` (a money identity tested every month).
NET_COST_ITEMS = ("social_assistance_nok", "temporary_accommodation_nok",
                  "municipal_housing_net_nok", "followup_cost_nok", "grants_nok",
                  "startloan_losses_municipal_nok")
