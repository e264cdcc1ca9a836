"""Every parameter of boligsim, with unit, range, kind and source.

Kinds (see :mod:`sim.inputs.registry`): ``policy`` levers a municipality chooses; ``context`` inputs
observed in public sources; ``calibrated`` behavioural rates not observed anywhere, to be fitted to
the facts in ``calibration/targets.toml``; ``assumption`` values we chose and say so.

A ``source`` cites the entries of ``docs/sources.md`` by their key, author and year as in
``SSB (2014)`` or ``Røe (2018) §3.1.1`` (the report's own section), followed by the fact taken
from it; an assumption gives its reasoning and may cite an entry too. Every ``context`` parameter
cites at least one entry (``tests/inputs/test_sources.py``).

Money is in NOK at roughly 2020–2022 prices and held constant in real terms (the model has no
general inflation); rates called "annual" are converted to monthly probabilities in
:mod:`sim.inputs.derived`, in one place.

Røe (2018) is Melina Røe's report *Å bygge stein på stein* (NTNU Samfunnsforskning), the
project's source for the municipalities' practice.
"""

from __future__ import annotations

import dataclasses

from sim.inputs.registry import Param, Registry

ROE = "Røe (2018)"


def _p(path, default, unit, kind, source, description, bounds=None, choices=()):
    return Param(path=path, default=default, unit=unit, kind=kind, source=source,
                 description=description, bounds=bounds, choices=tuple(choices))


PARAMS: list[Param] = [
    # ------------------------------------------------------------------ municipality and stock
    _p("municipality.inhabitants", 15000, "persons", "context", f"{ROE} §3.1: Verdal has "
       "about 15,000 inhabitants",
       "Inhabitants of the municipality; scales the initial population, inflows and the "
       "start-loan budget.", (500, 10_000_000_000)),
    _p("stock.municipal_dwellings", 120, "dwellings", "context", f"{ROE} §3.1.1: Verdal had "
       "about 120 municipal dwellings in 2013",
       "Municipal rental dwellings owned by the municipality at the start.", (0, 300_000)),
    _p("stock.sublet_dwellings", 0, "dwellings", "context", f"{ROE} §3.1: no sublet "
       "dwellings reported for Verdal (Stjørdal 80, §3.2; Malvik 13, §3.3.1)",
       "Dwellings the municipality rents from private owners and sublets, at the start.",
       (0, 100_000)),
    _p("stock.initial_occupancy", 0.97, "share", "assumption",
       f"{ROE} §3.2: no vacant dwellings at Stjørdal's allocation meetings",
       "Share of municipal and sublet dwellings occupied at the start.", (0.0, 1.0)),
    _p("stock.acquire_per_year", 0.0, "dwellings/year", "policy", f"{ROE} §3.2.2: Stjørdal "
       "bought used houses in 2016 and planned 18 new units",
       "Municipal dwellings bought or built per year (negative stock changes are sales, not "
       "modelled).", (0.0, 5000.0)),
    _p("stock.sublet_add_per_year", 0.0, "dwellings/year", "policy", f"{ROE} §3.2: Stjørdal "
       "sublets 80 dwellings rented from private owners",
       "Sublet dwellings added per year.", (0.0, 5000.0)),
    _p("stock.release_vacant_months", 0, "months", "policy", f"{ROE} §3.2.2 describes buying "
       "and building; selling is not reported",
       "A municipal or sublet dwelling vacant this long is sold or its sublet lease ended "
       "(0 = never).", (0, 240)),
    _p("stock.owned_cost", 7000.0, "NOK/month", "assumption",
       "capital and maintenance cost of a used family flat; no public figure found",
       "Municipality's monthly cost of owning one municipal dwelling, occupied or not.",
       (0.0, 30000.0)),
    _p("stock.sublet_admin_cost", 1000.0, "NOK/month", "assumption",
       f"{ROE} §3.2.2: subletting costs the municipality more than owning",
       "Administration cost per sublet dwelling on top of the market rent paid to the owner.",
       (0.0, 10000.0)),

    _p("stock.share_1_rooms", 0.30, "weight", "assumption",
       "Riksrevisjonen (2008): most municipalities have too few dwellings for large families; "
       "no public figure of municipal dwellings by size found; assumption: mostly small flats, "
       "for the single adults with service needs who are most tenants, few large units",
       "Municipal dwellings at the start with 1 room (weight: the five stock.share_* are "
       "normalised to shares).", (0.0, 1.0)),
    _p("stock.share_2_rooms", 0.35, "weight", "assumption", "see stock.share_1_rooms",
       "Municipal dwellings at the start with 2 rooms (weight).", (0.0, 1.0)),
    _p("stock.share_3_rooms", 0.22, "weight", "assumption", "see stock.share_1_rooms",
       "Municipal dwellings at the start with 3 rooms (weight).", (0.0, 1.0)),
    _p("stock.share_4_rooms", 0.09, "weight", "assumption", "see stock.share_1_rooms",
       "Municipal dwellings at the start with 4 rooms (weight).", (0.0, 1.0)),
    _p("stock.share_5_rooms", 0.04, "weight", "assumption", "see stock.share_1_rooms",
       "Municipal dwellings at the start with 5 rooms or more (weight).", (0.0, 1.0)),
    _p("stock.poor_share", 0.15, "share", "assumption",
       "Riksrevisjonen (2008): many municipal dwellings of too poor a standard, no share "
       "given; SSB (2023b): moisture or rot in 4.9 % of households' homes; assumption: about "
       "three times as common in the municipal stock",
       "Share of the municipal dwellings at the start of poor standard.", (0.0, 1.0)),
    _p("stock.initial_clustering", 0.3, "share", "assumption",
       "Husbanken (2017): dwellings for the disadvantaged are to be spread in ordinary "
       "neighbourhoods, a rule that says they often were not; assumption",
       "Share of the municipal dwellings at the start placed in zone 0 beyond an even spread "
       "over the zones (0: spread evenly, 1: all in zone 0).", (0.0, 1.0)),
    _p("stock.acquire_clustering", 0.3, "share", "policy",
       f"{ROE} §3.2.2: Stjørdal bought used houses spread in the town; Husbanken (2017)",
       "Share of the dwellings bought or built placed in zone 0 beyond an even spread (0: "
       "spread, 1: clustered).", (0.0, 1.0)),
    _p("stock.acquire_rooms", 3, "rooms", "policy",
       f"{ROE} §3.2.2: Stjørdal bought large detached houses for refugee families",
       "Rooms of the dwellings bought or built (5: five or more).", (1, 5)),

    # ------------------------------------------------------------------ dwellings and homes
    _p("dwellings.zones", 4, "zones", "assumption",
       "a schematic municipality: a centre and outer neighbourhoods",
       "Neighbourhoods (zones) the municipality is divided into.", (1, 12)),
    _p("dwellings.persons_per_household", 2.16, "persons", "context",
       "SSB (2019b): 2.16 persons per private household in Norway, 2019",
       "Persons per household in the municipality: its households, against which the "
       "concentration of the families in zones is measured.", (1.0, 5.0)),
    _p("dwellings.rental_share_1_rooms", 0.10, "weight", "assumption",
       "SSB (2002): of flats in blocks 40 % have 1-2 rooms, 33 % 3, 20 % 4, 7 % 5 or more; "
       "Leieboerforeningen (2017): the typical rental is a two-room flat; no distribution of "
       "rentals by rooms found",
       "Private rentals with 1 room (weight: the five dwellings.rental_share_* are normalised "
       "to shares).", (0.0, 1.0)),
    _p("dwellings.rental_share_2_rooms", 0.35, "weight", "assumption",
       "see dwellings.rental_share_1_rooms",
       "Private rentals with 2 rooms (weight).", (0.0, 1.0)),
    _p("dwellings.rental_share_3_rooms", 0.30, "weight", "assumption",
       "see dwellings.rental_share_1_rooms",
       "Private rentals with 3 rooms (weight).", (0.0, 1.0)),
    _p("dwellings.rental_share_4_rooms", 0.17, "weight", "assumption",
       "see dwellings.rental_share_1_rooms",
       "Private rentals with 4 rooms (weight).", (0.0, 1.0)),
    _p("dwellings.rental_share_5_rooms", 0.08, "weight", "assumption",
       "see dwellings.rental_share_1_rooms; some detached houses are let",
       "Private rentals with 5 rooms or more (weight).", (0.0, 1.0)),
    _p("dwellings.crowding_tolerance", 1, "rooms", "assumption",
       "SSB (2022): 32 % of households with three or more children live crowded; no figure of "
       "what families accept found",
       "Rooms fewer than it needs a family that must move accepts in a private rental, and "
       "the housing office places it in.", (0, 4)),
    _p("dwellings.crowded_search_rate", 0.1, "1/month", "assumption",
       "no public figure found; SSB (2023b): 10 % feel their home is too small",
       "Share of crowded private renters looking for a larger home in a month.", (0.0, 1.0)),
    _p("dwellings.zone_rent_spread", 0.1, "share", "assumption",
       "no figure by neighbourhood for small towns found; SSB (2017b) gives rents by town size",
       "Rent in zone 0 this share below the town's, and as much above in the last zone.",
       (0.0, 0.5)),

    # ------------------------------------------------------------------ initial population
    _p("population.initial_families", 0, "families", "assumption",
       "0 derives it from inhabitants (see population.disadvantaged_share)",
       "Families at the start outside municipal housing; 0 means inhabitants x "
       "disadvantaged_share / persons per family. Municipal tenants are added on top. "
       "(No upper limit but memory, which is checked before a run.)",
       (0, 10_000_000_000)),
    _p("population.disadvantaged_share", 0.025, "share of inhabitants", "context",
       "SSB (2014): 122,077 disadvantaged persons, 2.5 % of the population (2011 data)",
       "Share of inhabitants disadvantaged in the housing market.", (0.0, 0.2)),
    _p("population.share_single_parent", 0.32, "share", "assumption",
       f"{ROE} §1.2: single parents among the most exposed; SSB (2014): about 90,000 of "
       "122,000 live with children",
       "Share of families that are a single adult with children.", (0.0, 1.0)),
    _p("population.share_couple_children", 0.33, "share", "assumption",
       "SSB (2014), quoted in Røe (2018) §1.2: about 90,000 of 122,000 disadvantaged live in "
       "households with children",
       "Share of families that are a couple with children.", (0.0, 1.0)),
    _p("population.share_couple_no_children", 0.08, "share", "assumption",
       "remainder after the other compositions are single adults without children",
       "Share of families that are a couple without children.", (0.0, 1.0)),
    _p("population.mean_children", 2.0, "children", "assumption",
       f"{ROE} §1.2, §2.1: many and small children are most exposed",
       "Mean number of children in a family with children (1 + Poisson).", (1.0, 6.0)),
    _p("population.refugee_extra_children", 0.8, "children", "assumption",
       f"{ROE} §2.1: refugee families are often large",
       "Extra mean children in refugee families with children.", (0.0, 4.0)),
    _p("population.share_refugee", 0.35, "share", "assumption",
       f"{ROE} §3.1.1: many refugee families in Verdal's municipal dwellings",
       "Share of families with refugee background at the start.", (0.0, 1.0)),
    _p("population.share_need_moderate", 0.35, "share", "assumption",
       f"{ROE} §1.2: some have health problems, substance abuse, mental illness",
       "Share with moderate health/substance/budgeting needs.", (0.0, 1.0)),
    _p("population.share_need_extensive", 0.15, "share", "assumption",
       f"{ROE} §3.3: Malvik houses only those with extensive service needs",
       "Share with extensive service needs.", (0.0, 1.0)),
    _p("population.share_employed", 0.35, "share", "calibrated",
       f"{ROE} §1.2: weak attachment to work", "Share of families with an adult in work at the "
       "start.", (0.0, 1.0)),
    _p("population.share_second_earner", 0.375, "share", "assumption",
       "no figure for low-income couples was found; assumption: about 30 % of them have two "
       "earners, 50 % one and 20 % none, so the second adult works in 30 of the 80 % where "
       "one does",
       "Share of couples with a job in which the second adult works too (at the start, on "
       "arrival and when a partner joins).", (0.0, 1.0)),
    _p("population.share_disability", 0.15, "share", "assumption",
       f"{ROE} §3.1.1: disability pension among start-loan applicants' incomes",
       "Share of families whose (first) adult has disability pension.", (0.0, 1.0)),
    _p("population.share_debt", 0.45, "share", "assumption",
       f"{ROE} §2.1: serious and growing debt problems", "Share of families with consumer debt "
       "at the start.", (0.0, 1.0)),
    _p("population.mean_debt", 150000.0, "NOK", "assumption", "no public figure found",
       "Mean consumer debt of indebted families (exponential).", (0.0, 2_000_000.0)),
    _p("population.share_remarks", 0.25, "share", "assumption", "no public figure found",
       "Share of families with payment remarks at the start.", (0.0, 1.0)),
    _p("population.mean_savings", 3000.0, "NOK", "assumption", "no public figure found",
       "Mean savings at the start (exponential).", (0.0, 1_000_000.0)),
    _p("population.share_homeless", 0.08, "share", "assumption",
       "NIBR (2016): 0.75 homeless persons per 1,000 inhabitants",
       "Share of families outside municipal housing that are homeless at the start.",
       (0.0, 1.0)),
    _p("population.share_owner", 0.56, "share", "context",
       "SSB (2014): 55.7 % of the disadvantaged own their home (60.9 % in municipalities of "
       "10,000-40,000 inhabitants, 43.9 % in Trondheim); an owner counts when its income is low "
       "and its debt at least three times its gross income",
       "Share of families outside municipal housing that own with a bank mortgage at the start "
       "(they can fall behind, be refinanced or be forced to sell).", (0.0, 1.0)),
    _p("population.municipal_children_share", 0.25, "share", "calibrated",
       f"{ROE} §3.1.1: Verdal 2013, about 120 dwellings and more than 53 children",
       "Share of municipal tenants at the start that are families with children.", (0.0, 1.0)),
    _p("population.mean_months_municipal", 60.0, "months", "assumption",
       f"{ROE} §3.2: large families stayed 10-15 years in Stjørdal",
       "Mean time already spent in municipal housing by tenants at the start.", (0.0, 240.0)),

    # ------------------------------------------------------------------ demography
    _p("demography.birth_rate", 0.05, "1/year", "calibrated", "no public figure for the "
       "group; fitted so that its children neither grow nor dwindle (calibration/targets.toml: "
       "children_stable)",
       "Annual probability of a birth in a family whose head is under 45.", (0.0, 0.5)),
    _p("demography.adult_age", 18.0, "years", "context", "Vergemålsloven (2010): the age of "
       "majority is 18",
       "Age at which a child leaves the family.", (16.0, 25.0)),
    _p("demography.separation_rate", 0.03, "1/year", "assumption", "no public figure found",
       "Annual probability that a couple separates; the leaving adult is not followed.",
       (0.0, 0.5)),
    _p("demography.repartner_rate", 0.03, "1/year", "assumption", "no public figure found",
       "Annual probability that a single adult gets a partner in the household.", (0.0, 0.5)),
    _p("demography.outmigration_rate", 0.06, "1/year", "calibrated",
       f"{ROE} §1.2, quoting Grødem & Sandbæk (2013): low-income families move about twice "
       "as often; fitted so that the group keeps its size (group_stable)",
       "Annual probability that a family moves out of the municipality (families that came as "
       "owners: demography.owner_outmigration_rate).",
       (0.0, 0.5)),
    _p("demography.owner_outmigration_rate", 0.03, "1/year", "calibrated",
       "owners move far less often than renters; no figure for disadvantaged owners was found, "
       "so fitted to keep the owners' share (owner_share)",
       "Annual probability that a household that came as an owner moves out of the "
       "municipality, whatever its tenure now (an owner sells at market value).", (0.0, 0.5)),
    _p("demography.exit_age", 67.0, "years", "assumption",
       "Folketrygdloven (1997) ch. 19-20: retirement pension from 62, the guarantee pension "
       "from 67; no figure for when households leave the group",
       "Age of the first adult at which the household leaves the model's population: a pension "
       "replaces the earnings and benefits the model follows, and the households it follows "
       "are of working age. Without it no household would ever leave but by moving away.",
       (40.0, 100.0)),
    _p("demography.refugee_outmigration_extra", 0.04, "1/year", "assumption",
       "secondary migration in the first years after settlement",
       "Extra annual out-migration of refugee families in their first five years.", (0.0, 0.5)),
    _p("demography.refugee_families_per_10k", 3.0, "families/year per 10,000 inhabitants",
       "policy", "IMDi asks municipalities to settle refugees; the council decides how many",
       "Refugee families settled per year per 10,000 inhabitants.", (0.0, 50.0)),
    _p("demography.local_inflow_per_10k", 3.0, "families/year per 10,000 inhabitants",
       "calibrated", "SSB (2014): 2.5 % disadvantaged; keeps the group about stable",
       "Local families falling into difficulty per year per 10,000 inhabitants.", (0.0, 100.0)),
    _p("demography.single_inflow_per_10k", 6.0, "persons/year per 10,000 inhabitants",
       "calibrated", "NIBR (2016): 0.75 homeless per 1,000 inhabitants, mostly single; 14 % "
       "in an institution and 7 % in prison due to leave within two months without a home "
       "(of the order of 6 and 3 a year per 10,000, a rough derivation, the default). Fitted "
       "to homelessness and Verdal's stock in use, with the single adults leaving at their own "
       "demography.client_departure_rate (docs/validation.md)",
       "Single adults with service needs seeking housing (leaving institutions, treatment or "
       "prison) per year per 10,000 inhabitants; they arrive homeless.", (0.0, 100.0)),
    _p("demography.client_departure_rate", 0.1, "1/year", "assumption",
       "no public figure found; the single adults with service needs leave the municipality's "
       "housing for care, treatment or prison, die (overdose and other deaths are far above "
       "the population's) or move away, none of which the families' rates describe",
       "Annual probability that a single adult who came as one of the stock's other clientele "
       "(demography.single_inflow_per_10k) leaves the model's population, whatever its tenure: "
       "its own rate, so that fitting the families' departures does not move it.",
       (0.0, 1.0)),
    _p("demography.single_extensive_share", 0.58, "share", "assumption",
       "NIBR (2020): of the homeless, 50 % substance-dependent, a third mentally ill, a quarter "
       "both, so about 58 % with either",
       "Share of the arriving single adults with extensive needs (the rest moderate).",
       (0.0, 1.0)),
    _p("demography.inflow_owner_share", 0.56, "share", "calibrated",
       "SSB (2014): 55.7 % of the disadvantaged own; no figure for those entering the group, "
       "so fitted to keep the owners' share (owner_share)",
       "Share of new local families that are owners whose mortgage has become a heavy burden "
       "(income fell: those without work draw unemployment benefit).", (0.0, 1.0)),
    _p("demography.inflow_homeless_share", 0.25, "share", "assumption",
       "Finansavisen (2019): ~9,200 eviction requests a year, ~25 % end in eviction",
       "Share of new local families that arrive homeless (the rest rent privately with "
       "arrears).", (0.0, 1.0)),

    # ------------------------------------------------------------------ work and income
    _p("work.job_finding_rate", 0.025, "1/month", "calibrated",
       "no public figure for social assistance recipients (docs/sources.md: looked for, not "
       "found)",
       "Monthly probability that a family without work gets a job (before modifiers).",
       (0.0, 0.5)),
    _p("work.job_loss_rate", 0.012, "1/month", "assumption", "no public figure for the group",
       "Monthly probability that an employed family loses its work.", (0.0, 0.5)),
    _p("work.permanent_share", 0.5, "share", "assumption",
       f"{ROE} §3.1.1: banks demand a permanent job",
       "Share of new jobs that are permanent (the rest temporary).", (0.0, 1.0)),
    _p("work.permanent_conversion", 0.03, "1/month", "assumption", "no public figure found",
       "Monthly probability that a temporary job becomes permanent.", (0.0, 1.0)),
    _p("work.refugee_factor", 0.7, "multiplier", "calibrated",
       f"{ROE} §2.1: refugees often weakly qualified for work",
       "Job-finding multiplier for refugee families after the introduction programme.",
       (0.0, 2.0)),
    _p("work.need_factor_moderate", 0.6, "multiplier", "assumption", "no public figure found",
       "Job-finding multiplier for families with moderate needs.", (0.0, 2.0)),
    _p("work.need_factor_extensive", 0.2, "multiplier", "assumption", "no public figure found",
       "Job-finding multiplier for families with extensive needs.", (0.0, 2.0)),
    _p("work.intro_months", 24, "months", "context", "Introduksjonsloven (2003): programme of up "
       "to 2 years", "Length of the introduction programme for newly settled refugees.", (0, 60)),
    _p("work.intro_exit_job_share", 0.45, "share", "context",
       "IMDi (2023): 61-65 % of leavers in work or education one year later (2015-2023); the "
       "default is below this and its derivation is not recorded",
       "Share of families in work at the end of the introduction programme.", (0.0, 1.0)),
    _p("work.wage", 32000.0, "NOK/month", "assumption", "low-paid full-time work, gross",
       "Median gross monthly labour income of an employed adult (lognormal).",
       (5000.0, 150000.0)),
    _p("work.wage_sd", 0.3, "log-sd", "assumption", "no public figure found",
       "Dispersion of wages (standard deviation of the log).", (0.0, 1.5)),
    _p("work.tax_rate", 0.25, "share", "assumption", "average tax on low incomes",
       "Average tax on labour income and pensions.", (0.0, 0.6)),
    _p("work.unemployment_benefit_rate", 0.624, "share of wage", "context",
       "Folketrygdloven (1997) ch. 4: dagpenger 62.4 % of the income basis",
       "Unemployment benefit as a share of the lost wage.", (0.0, 1.0)),
    _p("work.unemployment_benefit_months", 24, "months", "context",
       "Folketrygdloven (1997) ch. 4: dagpenger for 104 weeks with an income basis above 2 G, 52 "
       "weeks below",
       "Months of unemployment benefit after a job loss.", (0, 60)),
    _p("work.disability_pension", 22000.0, "NOK/month", "assumption",
       "about 2.66 G a year for a single (minimum level), gross",
       "Gross disability pension per disabled adult.", (0.0, 60000.0)),
    _p("work.intro_benefit", 16000.0, "NOK/month", "context",
       "Introduksjonsloven (2003): benefit 2 G a year per participant; G = 96,883 NOK from May "
       "2018",
       "Gross introduction benefit per adult participant.", (0.0, 40000.0)),
    _p("work.child_benefit", 1054.0, "NOK/month per child", "context",
       "NAV (2019): barnetrygd 1,054 NOK a month per child",
       "Child benefit per child under 18.", (0.0, 5000.0)),

    # ------------------------------------------------------------------ household economy
    _p("economy.sifo_reference", 33390.0, "NOK/month", "context",
       "SIFO (2023): reference budget of a couple with children aged 5 and 11, 33,390 NOK/month "
       "in 2022",
       "SIFO budget (excl. housing) of the reference family; scaled to others by the "
       "equivalence scale.", (5000.0, 100000.0)),
    _p("economy.sa_single", 6650.0, "NOK/month", "context", "NAV (2022): guideline rate for a "
       "single adult from July 2022",
       "Social-assistance guideline rate, single adult, excl. housing.", (0.0, 30000.0)),
    _p("economy.sa_couple", 11150.0, "NOK/month", "context", "NAV (2022): guideline rate for a "
       "couple from July 2022",
       "Social-assistance guideline rate, couple, excl. housing.", (0.0, 40000.0)),
    _p("economy.sa_child_0_5", 3250.0, "NOK/month", "context", "NAV (2022): guideline rate for a "
       "child aged 0-5 from July 2022",
       "Guideline rate per child aged 0-5.", (0.0, 10000.0)),
    _p("economy.sa_child_6_10", 3350.0, "NOK/month", "context", "NAV (2022): guideline rate for a "
       "child aged 6-10 from July 2022",
       "Guideline rate per child aged 6-10.", (0.0, 10000.0)),
    _p("economy.sa_child_11_17", 4400.0, "NOK/month", "context", "NAV (2022): guideline rate for "
       "a child aged 11-17 from July 2022",
       "Guideline rate per child aged 11-17.", (0.0, 10000.0)),
    _p("economy.equivalence_second_adult", 0.5, "weight", "assumption",
       "SIFO (2023) gives only the reference family; budgets for other households not found; "
       "OECD-modified scale",
       "Equivalence weight of a second adult when scaling the SIFO reference budget.",
       (0.0, 1.0)),
    _p("economy.equivalence_child", 0.3, "weight", "assumption",
       "SIFO (2023) gives only the reference family; budgets for other households not found; "
       "OECD-modified scale",
       "Equivalence weight of a child when scaling the SIFO reference budget.", (0.0, 1.0)),
    _p("economy.spending_position", 0.5, "share", "assumption",
       f"{ROE} §3.1.1: actual spending differs from SIFO",
       "Where a family's actual spending lies between the SA guideline (0) and SIFO (1).",
       (0.0, 1.5)),
    _p("economy.refugee_spending_position", 0.2, "share", "assumption",
       f"{ROE} §3.1.1: SIFO said a foreign family was 10,000 NOK short; real spending fitted",
       "Same for refugee families.", (0.0, 1.5)),
    _p("economy.sa_takeup", 0.85, "share", "assumption", "no public figure found",
       "Share of families that claim social assistance when eligible (drawn once per family; "
       "the others never claim).", (0.0, 1.0)),
    _p("economy.sa_covers_arrears", True, "", "assumption",
       "Sosialtjenesteloven (2009) §19: one-off help, e.g. to prevent eviction",
       "NAV pays the rent arrears of families it supports with social assistance."),
    _p("economy.sa_housing_norm_share", 1.0, "share of market rent", "assumption",
       "Sosialtjenesteloven (2009): NAV covers reasonable housing costs; local norms follow local "
       "rents",
       "Highest housing cost social assistance covers, as a share of the local market rent "
       "for the household's size.", (0.0, 3.0)),
    _p("economy.savings_buffer", 5000.0, "NOK", "assumption",
       "Sosialtjenesteloven (2009): own means are used first",
       "Savings above which no social assistance "
       "is paid.", (0.0, 100000.0)),
    _p("economy.saving_share", 0.3, "share", "assumption", "no public figure found",
       "Share of a month's surplus that is saved (the rest is spent).", (0.0, 1.0)),
    _p("economy.payment_failure_rate", 0.02, "1/month", "calibrated",
       f"{ROE} §2.1: budgeting problems; Finansavisen (2019): ~92 % of eviction requests are "
       "for unpaid rent",
       "Monthly probability that a family with budgeting problems (needs or payment remarks) "
       "misses its housing payment although it could pay.", (0.0, 0.5)),
    _p("economy.debt_rate", 0.15, "1/year", "assumption", "consumer credit interest",
       "Interest on consumer debt.", (0.0, 0.4)),
    _p("economy.debt_min_payment", 0.02, "share/month", "assumption", "consumer credit terms",
       "Minimum monthly payment as a share of consumer debt.", (0.0, 0.2)),
    _p("economy.remark_after_missed", 3, "months", "assumption",
       "debt collection leads to a payment remark after unpaid claims",
       "Missed debt or housing payments (months in a row) before a payment remark.", (1, 24)),
    _p("economy.remark_clear_months", 36, "months", "assumption",
       "remarks are deleted some time after the claims are settled",
       "Months after debts and arrears are settled before payment remarks lapse.", (0, 120)),
    _p("economy.counselling_months", 12, "months", "assumption", f"{ROE} §3.3: debt "
       "counselling clears debt problems over time",
       "Duration of debt counselling before its outcome.", (1, 60)),
    _p("economy.counselling_success", 0.6, "share", "assumption", f"{ROE} §3.3.1: Malvik's "
       "counselling 'resets' payment remarks",
       "Share of counselling cases that settle the consumer debt ('reset'); the payment "
       "remarks then lapse after economy.remark_clear_months.",
       (0.0, 1.0)),
    _p("economy.counselling_referral", 0.005, "1/month", "assumption",
       "families seldom seek counselling unaided",
       "Monthly probability that an indebted family not followed up enters debt counselling.",
       (0.0, 1.0)),
    _p("economy.owner_costs", 3000.0, "NOK/month", "assumption",
       "common costs, municipal fees and upkeep of a cooperative flat",
       "Owner's housing costs besides the loan.", (0.0, 20000.0)),
    _p("economy.bostotte_coverage", 0.737, "share", "context",
       "Husbanken (n.d.-e): (capped cost - own contribution) x 73.7 %",
       "Share of the gap the allowance "
       "covers.", (0.0, 1.0)),
    _p("economy.bostotte_cap_1", 78237.0, "NOK/year", "context", "Husbanken (n.d.-f): "
       "housing-cost cap, one person",
       "Housing-cost cap, one person.", (0.0, 300000.0)),
    _p("economy.bostotte_cap_2", 97404.0, "NOK/year", "context", "Husbanken (n.d.-f): "
       "housing-cost cap, two persons",
       "Housing-cost cap, two persons.", (0.0, 300000.0)),
    _p("economy.bostotte_cap_3", 108263.0, "NOK/year", "context", "Husbanken (n.d.-f): "
       "housing-cost cap, three persons",
       "Housing-cost cap, three persons.", (0.0, 300000.0)),
    _p("economy.bostotte_cap_4", 119124.0, "NOK/year", "context", "Husbanken (n.d.-f): "
       "housing-cost cap, four persons",
       "Housing-cost cap, four persons.", (0.0, 300000.0)),
    _p("economy.bostotte_cap_5", 129983.0, "NOK/year", "context", "Husbanken (n.d.-f): "
       "housing-cost cap, five persons or more",
       "Housing-cost cap, five persons or more.", (0.0, 300000.0)),
    _p("economy.bostotte_min_own", 23949.0, "NOK/year", "context",
       "Husbanken (n.d.-f): minimum own contribution, from a secondary source, year unclear (low "
       "confidence)", "Minimum own contribution.",
       (0.0, 100000.0)),
    _p("economy.bostotte_own_rate", 0.18, "share of gross income", "calibrated",
       "schedule not found; fit to the average allowance, NTB (2014): ~2,400 and E24 (2022): "
       "~2,840 NOK/month",
       "Own contribution as a share of gross annual income (linear assumption).", (0.0, 1.0)),
    _p("economy.temporary_cost", 15000.0, "NOK/month", "assumption",
       f"{ROE} §3.2.2: camping cabins and hostels", "Municipal cost of temporary "
       "accommodation per homeless family placed there.", (0.0, 100000.0)),
    _p("economy.temporary_share", 0.6, "share", "assumption", "no public figure found",
       "Share of homeless families the municipality places in paid temporary accommodation.",
       (0.0, 1.0)),

    # ------------------------------------------------------------------ markets
    _p("market.price", 2_200_000.0, "NOK", "context",
       "Romerikes Blad (2020): average purchase price with a start loan 2.2 million NOK in 2020",
       "Price of a three-person family flat at the start.", (200_000.0, 20_000_000.0)),
    _p("market.price_per_person", 0.08, "share per person", "assumption",
       "larger families need larger flats", "Price and rent rise by this share per person "
       "above three (and fall per person below).", (0.0, 0.5)),
    _p("market.price_growth", 0.02, "1/year", "assumption",
       "SSB (2023a): Trondheim +9.1 % (2016), -0.4 % (2019), -1.6 % (2023); real trend assumed",
       "Mean annual real growth of house prices.", (-0.2, 0.3)),
    _p("market.price_volatility", 0.04, "1/sqrt(year)", "assumption",
       "SSB (2023a): annual growth in Trondheim varied from -1.6 % to +9.1 %",
       "Volatility of the house-price index.", (0.0, 0.5)),
    _p("market.rent", 8000.0, "NOK/month", "context",
       "SSB (2017b): 3 rooms 7,090 NOK in towns in 2015, 10,600 in Trondheim in 2017",
       "Private market rent of a three-person family flat at the start.", (1000.0, 50000.0)),
    _p("market.rent_growth", 0.01, "1/year", "assumption", "real rent growth",
       "Mean annual real growth of market rents.", (-0.2, 0.3)),
    _p("market.rent_volatility", 0.02, "1/sqrt(year)", "assumption", "no public figure found",
       "Volatility of the rent index.", (0.0, 0.5)),
    _p("market.rent_dispersion", 0.15, "log-sd", "assumption", "no public figure found",
       "Spread of the rents a searching family is offered around the market rent for its "
       "size (standard deviation of the log).", (0.0, 1.0)),
    _p("market.search_success", 0.25, "1/month", "calibrated", "no public figure found",
       "Monthly probability that a searching family that can afford the rent finds a private "
       "rental, before discrimination.", (0.0, 1.0)),
    _p("market.discrimination_refugee", 0.4, "share", "calibrated",
       f"{ROE} §1.2, §2.1: discrimination because of nationality (size not found)",
       "Share of private landlords that turn away a refugee family.", (0.0, 1.0)),
    _p("market.discrimination_nav", 0.3, "share", "calibrated",
       f"{ROE} §1.2: discrimination because income comes from NAV (size not found)",
       "Share of private landlords that turn away a family living on NAV benefits.",
       (0.0, 1.0)),
    _p("market.discrimination_needs", 0.5, "share", "assumption",
       f"{ROE} §1.2, §2.1: landlords turn applicants away; NIBR (2016): most of the homeless "
       "have substance-use or mental-health problems, and many stay homeless for months; size "
       "not found",
       "Share of private landlords that turn away an applicant with extensive service needs "
       "(substance use, mental illness), on top of the other reasons.", (0.0, 1.0)),
    _p("market.max_rent_share", 0.4, "share of net income", "assumption",
       "common affordability rule of thumb",
       "Highest rent (after housing allowance) a family or landlord accepts, as a share of "
       "net income, unless social assistance covers it.", (0.0, 1.0)),
    _p("market.apply_rate", 0.01, "1/month", "assumption", "no public figure found",
       "Monthly probability that a private renter without work applies for municipal "
       "housing.", (0.0, 1.0)),
    _p("market.lease_end_rate", 0.12, "1/year", "assumption",
       f"{ROE} §1.2, quoting Grødem & Sandbæk (2013): low-income families move about twice "
       "as often",
       "Annual probability that a private landlord ends a family's lease.", (0.0, 1.0)),
    _p("market.forced_sale_discount", 0.15, "share", "assumption", "no public figure found",
       "Discount on market value in a forced sale.", (0.0, 0.6)),
    _p("market.sale_costs", 50000.0, "NOK", "assumption", "agent and legal costs",
       "Costs of a forced sale.", (0.0, 500000.0)),
    _p("market.rate_path", "history", "", "context",
       "Norges Bank (2025), SSB (2025), Husbanken (n.d.-b): the monthly series of "
       "sim/inputs/rates.py, 2012-2025, with the derived values it names",
       "Where the month's interest rates come from: 'history', the dated series of Husbanken's "
       "floating rate and the average bank mortgage rate (its first month before 2012, its "
       "last after 2025); 'constant', market.bank_rate and market.husbanken_rate every month.",
       choices=("history", "constant")),
    _p("market.rate_shift", 0.0, "1/year", "assumption",
       "no shift: the rates of the path as they are",
       "Added to every interest rate of the path (0.03 = 3 percentage points; a rate stays at "
       "least 0). Set from a date in a dated phase for a stress test.", (-0.05, 0.1)),
    _p("market.bank_rate", 0.03, "1/year", "assumption",
       "SSB (2025): floating rate on outstanding mortgages 2.4-3.8 %/yr in 2014-2019; a round "
       "level",
       "Ordinary bank mortgage rate every month when market.rate_path is 'constant'.",
       (0.0, 0.2)),
    _p("market.husbanken_rate", 0.02, "1/year", "context",
       "Husbanken (n.d.-b): floating rate 1.5-2.5 %/yr (2014-2020)",
       "Husbanken's floating rate, the base of start-loan rates, every month when "
       "market.rate_path is 'constant'.", (0.0, 0.2)),

    # ------------------------------------------------------------------ bank
    _p("bank.max_ltv", 0.85, "share", "context", "Boliglånsforskriften (2015): loan-to-value at "
       "most 85 % from July 2015",
       "Maximum loan-to-value of a bank mortgage.", (0.0, 1.0)),
    _p("bank.max_dti", 5.0, "x gross income", "context", "Boliglånsforskriften (2015): debt at "
       "most 5 x gross income from 2017",
       "Maximum debt-to-income.", (0.0, 10.0)),
    _p("bank.stress_add", 0.05, "1/year", "context", "Boliglånsforskriften (2015): +5 pp on the "
       "current rate until 2022",
       "Rate add-on in the bank's stress test.", (0.0, 0.1)),
    _p("bank.stress_floor", 0.0, "1/year", "context", "Boliglånsforskriften (2015): 7 % minimum "
       "from 2023 (none before, as the default)",
       "Minimum stressed rate.", (0.0, 0.2)),
    _p("bank.term_years", 25, "years", "assumption", "common mortgage term",
       "Term of a bank mortgage.", (5, 40)),
    _p("bank.requires_permanent_job", True, "", "context",
       f"{ROE} §3.1.1: ordinary banks demand a permanent job in practice",
       "The bank lends only to families with a permanent job."),

    # ------------------------------------------------------------------ ownership behaviour
    _p("ownership.consider_rate", 0.01, "1/month", "calibrated", "no public figure found",
       "Monthly probability that a renting family with income tries to buy on its own.",
       (0.0, 1.0)),
    _p("ownership.purchase_success", 0.15, "1/month", "calibrated",
       "Husbanken (2025): 19-26 % with a financing certificate had not bought after ~2 years",
       "Monthly probability that an approved family finds and buys a dwelling.", (0.0, 1.0)),
    _p("ownership.approval_months", 12, "months", "assumption", "financing certificates run "
       "for months", "Months an approval lasts before it lapses.", (1, 36)),
    _p("ownership.interest_only_months", 24, "months", "assumption",
       "Husbanken (n.d.-a): interest-only period up to 8 years",
       "Length of the interest-only period a start-loan owner in arrears gets.", (1, 96)),
    _p("ownership.bank_forbearance_months", 12, "months", "assumption",
       "Boliglånsforskriften (2015): a bank may defer instalments when the borrower's ability to "
       "pay is weakened for a time; the length is not stated",
       "Months a bank owner in arrears whose loss of income is temporary (in work or on "
       "unemployment benefit) pays interest only, once per loan (0: no forbearance).", (0, 36)),
    _p("ownership.default_after", 6, "months", "assumption", "collection and forced sale",
       "Months of loan arrears before the lender petitions for a forced sale.", (1, 36)),
    _p("ownership.forced_sale_months", 4, "months", "assumption",
       "Tvangsfullbyrdelsesloven (1992) ch. 11: notice, the court's decision, a sale by a broker "
       "and a confirmed bid take months; how many is not stated",
       "Months from the petition for a forced sale to the buyer taking over the home, while "
       "the family still lives in it and may find a rental (0: at once).", (0, 24)),

    # ------------------------------------------------------------------ tenancy
    _p("tenancy.eviction_arrears", 3.0, "months of rent", "context",
       "Husleieloven (1999), Tvangsfullbyrdelsesloven (1992): eviction request after unpaid rent",
       "Rent arrears, in months of rent, at which the landlord requests eviction.",
       (1.0, 12.0)),
    _p("tenancy.eviction_share", 0.25, "share", "context",
       "Finansavisen (2019): ~25 % of eviction requests end in eviction",
       "Share of eviction requests that end in eviction; in the rest NAV or the family "
       "settles the arrears.", (0.0, 1.0)),
    _p("tenancy.private_rent_premium", 0.0, "share", "assumption",
       "private leases are at market rent", "Extra over market rent that landlords charge "
       "disadvantaged families.", (0.0, 1.0)),

    # ------------------------------------------------------------------ policy: start loans
    _p("policy.startloan.budget_standard", "sifo", "", "policy", f"{ROE} §3.1.1",
       "Living costs in the assessment: the SIFO reference budget, or the family's actual "
       "spending documented by six months of bank statements.", choices=("sifo", "actual")),
    _p("policy.startloan.income_requirement", "permanent_job", "", "policy", f"{ROE} §3.1.1",
       "Income the municipality accepts: a permanent job only, or any stable income "
       "(work or disability pension).", choices=("permanent_job", "stable_income")),
    _p("policy.startloan.remarks_after_counselling", False, "", "policy", f"{ROE} §3.3.1",
       "Grant start loans to families whose payment remarks were cleared by debt counselling "
       "(Malvik); otherwise any past remark in the last years blocks."),
    _p("policy.startloan.term_years", 30, "years", "policy", "Husbanken (n.d.-a): 30 years "
       "ordinarily, up to 50 in special cases",
       "Term of a start loan.", (10, 50)),
    _p("policy.startloan.fixed_rate", False, "", "policy", f"{ROE} §3.1.1",
       "Offer a fixed rate: no stress add-on in the assessment."),
    _p("policy.startloan.fixed_premium", 0.005, "1/year", "assumption",
       "fixed rates usually above floating", "Premium of the fixed over the floating rate.",
       (0.0, 0.05)),
    _p("policy.startloan.margin", 0.0025, "1/year", "context",
       "Husbanken (n.d.-a): municipal margin up to 0.25 pp",
       "Municipal margin over Husbanken's rate.",
       (0.0, 0.02)),
    _p("policy.startloan.stress_add", 0.02, "1/year", "assumption",
       "municipalities test start loans against higher rates", "Rate add-on in the start-loan "
       "assessment for floating-rate loans.", (0.0, 0.1)),
    _p("policy.startloan.grant_max", 0.0, "NOK", "policy",
       "Husbanken (n.d.-d): tilskudd til etablering, amounts not found",
       "Largest establishment grant per family (0 = no grants).", (0.0, 1_000_000.0)),
    _p("policy.startloan.grant_writeoff_years", 20, "years", "context",
       "Husbanken (n.d.-d): grant written off over ~20 years (5 %/yr)",
       "Years over which a grant is written off; the unwritten part is repaid on a sale.",
       (1, 40)),
    _p("policy.startloan.children_share", 0.0, "share", "policy",
       f"{ROE} §3.1.1, §3.3.3: Husbanken's aim of at least 50 % to families with children; "
       "NTB (2021): 57-58 % nationally",
       "Share of the year's start loans (by number) to families with children that the desk "
       "works towards: while the year's share is below it, approved families with children "
       "are granted first; no family is refused for the share's sake (0 = no priority).",
       (0.0, 1.0)),
    _p("policy.startloan.reapply_months", 12, "months", "assumption",
       "no municipal practice found; a refused applicant is not assessed again until its "
       "situation has changed or about a year has passed",
       "Months before a family the desk refused may apply again, unless its work, income "
       "source, payment remarks or children change first.", (0, 120)),
    _p("policy.startloan.refer_children", False, "", "policy",
       f"{ROE} §3.1.1: after the 2013 review Verdal sends a family with children that asks "
       "for help with housing straight to the officer for Husbanken's instruments",
       "Families with children who are homeless or must move apply to the start-loan desk "
       "(if they have income and may apply)."),
    _p("policy.startloan.refinance", False, "", "policy",
       "Husbanken (n.d.-a): start loans may refinance a home the household is about to lose",
       "Owners with a bank mortgage halfway to a forced sale may have their loan and arrears "
       "refinanced by a start loan, assessed and budgeted like any application."),
    _p("policy.startloan.budget_per_1000", 1_800_000.0, "NOK/year per 1,000 inhabitants",
       "policy", "E24 (2018): Trøndelag 810 m NOK in 2018 for ~460,000 inhabitants",
       "Annual start-loan lending budget per 1,000 inhabitants.", (0.0, 20_000_000.0)),
    _p("policy.startloan.outreach", False, "", "policy", f"{ROE} §3.1.2: Verdal's review; "
       "§3.2: Stjørdal's letter to all tenants",
       "Actively offer start loans to municipal tenants with income."),
    _p("policy.startloan.outreach_factor", 6.0, "multiplier", "assumption",
       "no public figure found", "How much outreach raises tenants' monthly rate of trying "
       "to buy.", (1.0, 50.0)),
    _p("policy.startloan.municipal_loss_share", 0.25, "share", "context",
       "Husbanken (n.d.-c): losses shared 25 % municipality, 75 % state",
       "The municipality's share of a start-loan loss after a forced sale.", (0.0, 1.0)),
    _p("policy.startloan.payment_relief", True, "", "policy",
       "Husbanken (n.d.-a): interest-only periods up to 8 years",
       "A start-loan owner who falls behind gets an interest-only period before any forced "
       "sale."),
    _p("policy.startloan.children_priority", False, "", "policy", f"{ROE} §3.1.1 (Verdal)",
       "Families with children are exempt from the income requirement's permanence "
       "(Husbanken: exempt from lasting-low-income proof)."),

    # ------------------------------------------------------------------ policy: rotation
    _p("policy.rotation.contract_years", 0.0, "years", "policy",
       f"{ROE} §3.2.1; Husleieloven (1999): time-limited leases at least 3 years, special "
       "rules",
       "Length of municipal leases; 0 = indefinite.", (0.0, 10.0)),
    _p("policy.rotation.review", False, "", "policy", f"{ROE} §2.2 (Verdal)",
       "Review tenancies after review_months and then yearly: can the tenant rent privately "
       "or buy?"),
    _p("policy.rotation.review_months", 12, "months", "policy", f"{ROE} §2.2",
       "Months in municipal housing before the first review.", (1, 120)),
    _p("policy.rotation.full_review", False, "", "policy", f"{ROE} §3.1.2 (Verdal 2013)",
       "When switched on (at the start or by a phase), every tenancy is reviewed within the "
       "next twelve months."),
    _p("policy.rotation.exit_grace_months", 6, "months", "assumption",
       "a tenant asked to leave gets time to find a home", "Months an exit-requested tenant "
       "searches before the lease is renewed.", (1, 36)),
    _p("policy.rotation.move_on_with_work", False, "", "policy",
       f"{ROE} §3.3.1: Malvik tells tenants they must move on after some years, to private "
       "rental or a purchase with a start loan, which assumes work income",
       "At a contract end or review, tenants with work income are asked to move on even if "
       "still eligible, and apply to the start-loan desk."),
    _p("policy.rotation.enforce_exit", False, "", "policy", f"{ROE} §3.2.1",
       "After the grace period, end the lease even if no home was found (else renew)."),
    _p("policy.rotation.rent_to_market", 0.7, "share of market rent", "policy",
       f"{ROE} §3.1.2: below market unless gjengs leie", "Municipal rent as a share of market "
       "rent.", (0.0, 1.5)),

    # ------------------------------------------------------------------ policy: allocation
    _p("policy.allocation.eligibility", "disadvantaged", "", "policy", f"{ROE} §3.3",
       "Who may get a municipal dwelling: any disadvantaged family, or only those with "
       "extensive service needs (Malvik).", choices=("disadvantaged", "extensive_needs")),
    _p("policy.allocation.children_allowed", True, "", "policy", f"{ROE} §3.1.3 (Verdal)",
       "Whether families with children are placed in municipal dwellings."),
    _p("policy.allocation.priority", "need", "", "policy", f"{ROE} §3.2.2: homeless people "
       "first in Stjørdal; §3.1.2: the most disadvantaged in Verdal",
       "Priority rule when a dwelling falls vacant.",
       choices=("need", "homeless_first", "waiting_time", "children_first")),
    _p("policy.allocation.settle_refugees", False, "", "policy",
       f"{ROE} §3.3.1: in Malvik newly arrived refugees are often settled in the municipal "
       "units, which are otherwise only for very special challenges",
       "Refugee families settled by the municipality get a vacant municipal unit whatever the "
       "allocation rules (when one is free), as their first home."),
    _p("policy.allocation.with_followup", False, "", "policy", f"{ROE} §3.1.2, §3.1.3",
       "Allocation and follow-up in one office (Verdal's success factor)."),
    _p("policy.allocation.procurer", False, "", "policy", f"{ROE} §2.2 (Kristiansund)",
       "A housing procurer contacts private landlords on behalf of families the office knows "
       "(on the waiting list or followed)."),
    _p("policy.allocation.help_children_private", False, "", "policy",
       f"{ROE} §3.1.2: in Verdal's review tenants with some income got help to rent privately "
       "or buy; §3.1.3: families with children rent privately or buy",
       "An office that places no families with children in its dwellings helps those that "
       "search (homeless or a lease ended) to find a private landlord."),
    _p("policy.allocation.procurer_effect", 2.0, "multiplier", "assumption",
       "no public figure found", "Private-search success multiplier when the office contacts "
       "landlords on a family's behalf (the procurer, or help_children_private).",
       (1.0, 10.0)),
    _p("policy.allocation.neighbourhood_matching", False, "", "policy",
       f"{ROE} §3.1.3: Verdal's office knows which neighbourhoods can take a vulnerable tenant, "
       "and works against stigma",
       "The office places tenants with extensive needs where the neighbourhood can take them: "
       "not in a zone whose municipal dwellings already house more of them than the town's "
       "do (policy.allocation.zone_needs_margin)."),
    _p("policy.allocation.zone_needs_margin", 0.1, "share", "policy",
       "assumption: the report names no number",
       "With neighbourhood matching, how far above the town's share of its municipal "
       "dwellings let to tenants with extensive needs a zone's share may go.", (0.0, 1.0)),
    _p("policy.allocation.extra_rooms", 1, "rooms", "policy",
       "Riksrevisjonen (2008): too few dwellings for large families; assumption: the office "
       "keeps a large unit for a household that needs it",
       "A vacant dwelling goes first to a household needing its rooms or up to this many "
       "fewer.", (0, 4)),
    _p("policy.allocation.hold_months", 3, "months", "policy",
       "assumption: an office holds a large unit for a large family a while, then lets it",
       "Months a dwelling stays vacant before the office lets it to a household smaller than "
       "policy.allocation.extra_rooms allows.", (0, 120)),
    _p("policy.allocation.colocated_factor", 0.7, "multiplier", "assumption",
       f"{ROE} §3.1.3: staff know tenants and neighbourhoods",
       "Arrears multiplier for tenants placed by an office that also follows up.", (0.0, 1.0)),
    _p("policy.allocation.colocated_move_on", 1.5, "multiplier", "assumption",
       f"{ROE} §3.1.2-3.1.3: Verdal's office knows its tenants and helps them on; §3.2.2: "
       "Stjørdal believes rotation would be much higher with allocation and follow-up together",
       "How much an office that both allocates and follows up raises its tenants' monthly "
       "chances of trying to buy and of finding a private rental when they search.",
       (1.0, 5.0)),

    # ------------------------------------------------------------------ policy: follow-up
    _p("policy.followup.mode", "conflict", "", "policy", f"{ROE} §3.1.2: Verdal follows its "
       "tenants; §3.3.1: Malvik follows families wherever they live",
       "Whom caseworkers follow: only families in arrears or conflict, all municipal and "
       "sublet tenants, all families, or families long on social assistance "
       "(policy.followup.long_assistance_months; Trondheim-Lerkendal's family project, "
       f"{ROE} §2.2).", choices=("conflict", "tenants", "all", "long_assistance")),
    _p("policy.followup.long_assistance_months", 12, "months", "policy",
       "Dokken (n.d.): NAV counts as long-term recipients those paid social assistance "
       "without a break for twelve months or more",
       "Months in a row on social assistance after which a family counts as long on it "
       "(mode 'long_assistance').", (1, 120)),
    _p("policy.followup.workers", 1.0, "full-time staff", "policy",
       f"{ROE} §3.1.2: Verdal 3 follow-up workers; §3.2.2: Stjørdal 5 staff",
       "Caseworkers doing housing follow-up.", (0.0, 1000.0)),
    _p("policy.followup.caseload", 15, "families per worker", "assumption",
       "no public figure found", "Families one caseworker can follow at a time.", (1, 100)),
    _p("policy.followup.cost_per_worker", 750000.0, "NOK/year", "assumption",
       "salary and overhead", "Annual cost of one caseworker.", (0.0, 3_000_000.0)),
    _p("policy.followup.visits", False, "", "policy", f"{ROE} §3.1.2",
       "Visit after one month and an annual visit with a housing-career plan."),
    _p("policy.followup.family_plan", False, "", "policy", f"{ROE} §3.2.1",
       "Followed families make a family plan with a monthly budget."),
    _p("policy.followup.network", False, "", "policy", f"{ROE} §3.1.1",
       "A cross-agency network meets regularly and takes up families' cases."),
    _p("policy.followup.network_weeks", 3.0, "weeks", "policy", f"{ROE} §3.1.1",
       "Weeks between network meetings.", (1.0, 52.0)),
    _p("policy.followup.network_families", 4, "families per meeting", "policy",
       f"{ROE} §3.1.1", "Families taken up per network meeting.", (0, 50)),
    _p("policy.followup.effect_arrears", 0.5, "multiplier", "calibrated", f"{ROE} §3.2.2",
       "Multiplier on payment failures of followed families.", (0.0, 1.0)),
    _p("policy.followup.effect_plan", 0.5, "multiplier", "assumption", f"{ROE} §3.2.1",
       "Further multiplier on payment failures with a family plan; it also moves spending "
       "halfway to the guideline.", (0.0, 1.0)),
    _p("policy.followup.effect_job", 1.5, "multiplier", "calibrated", f"{ROE} §3.2.2",
       "Job-finding multiplier for followed families.", (1.0, 5.0)),
    _p("policy.followup.effect_counselling", 0.08, "1/month", "assumption", f"{ROE} §3.3",
       "Monthly probability that a followed, indebted family enters debt counselling.",
       (0.0, 1.0)),
    _p("policy.followup.effect_readiness", 3.0, "multiplier", "assumption",
       f"{ROE} §3.1.2: housing-career plan", "Multiplier on trying to buy for families with "
       "visits and a housing-career plan.", (1.0, 20.0)),
    _p("policy.followup.effect_eviction", 0.5, "multiplier", "assumption",
       f"{ROE} §3.2.2: Stjørdal's routines to prevent eviction",
       "Multiplier on the eviction share for followed families.", (0.0, 1.0)),
    _p("policy.followup.effect_search", 1.5, "multiplier", "assumption",
       f"{ROE} §3.2.2: help to find private rentals", "Multiplier on private-rental search "
       "success for followed families.", (1.0, 10.0)),
    _p("policy.followup.network_effect", 2.0, "multiplier", "assumption",
       f"{ROE} §3.1.1: the network works faster than agencies alone",
       "Job-finding and counselling multiplier in the six months after a network meeting.",
       (1.0, 10.0)),

    # ------------------------------------------------------------------ policy: work measures
    _p("policy.work.measure_places", 0, "places per 10,000 inhabitants", "policy",
       f"{ROE} §3.2.2: wage subsidy, Jobbsjansen, mentor scheme",
       "Places in employment measures for families without work.", (0, 500)),
    _p("policy.work.measure_effect", 2.0, "multiplier", "assumption", "no public figure found",
       "Job-finding multiplier while in an employment measure.", (1.0, 10.0)),
    _p("policy.work.measure_months", 6, "months", "assumption", "typical measure length",
       "Length of an employment measure.", (1, 36)),
]

#: Where a parameter's valid range is wider than is plausible, the range plausible worlds
#: (:mod:`sim.analysis.worlds`) draw it from, and why: ``{path: (low, high, reason)}``. The
#: effects of the municipal models are attested by the report but not sized, so each range
#: runs from a small effect to a large one. Every number assumed or calibrated has one (the
#: fitted ones are drawn from the calibration's posterior instead), but those in
#: :data:`FIXED_IN_WORLDS` and three that bundled scenarios set to values of their own, which a
#: common range would erase: ``policy.followup.caseload`` (Malvik, Trondheim-Lerkendal),
#: ``policy.followup.effect_counselling`` (Malvik) and ``population.mean_months_municipal``
#: (Stjørdal). These are drawn from a band around the value each scenario uses
#: (:data:`sim.analysis.worlds.RELATIVE_BAND`).
PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "stock.initial_occupancy": (0.9, 1.0, f"{ROE} §3.2: no vacant dwellings at Stjørdal's "
                                "allocation meetings; stocks start nearly full"),
    "stock.owned_cost": (4500.0, 10500.0, "assumption: 2-4 % a year of a flat at 2.2 million NOK "
                         "(Romerikes Blad (2020)) plus 1,000-3,000 NOK of upkeep a month"),
    "stock.poor_share": (0.05, 0.3, "assumption: from the general stock's share to six times "
                         "it (Riksrevisjonen (2008), SSB (2023b))"),
    "stock.initial_clustering": (0.0, 0.6, "assumption: from a stock spread evenly to most of "
                                 "it in one neighbourhood"),
    "dwellings.crowding_tolerance": (0, 2, "assumption: from no crowding accepted to two "
                                     "rooms too few"),
    "dwellings.crowded_search_rate": (0.03, 0.3, "assumption: from a move looked for every "
                                      "three years to every three months"),
    "dwellings.zone_rent_spread": (0.0, 0.25, "assumption: from no difference between "
                                   "neighbourhoods to a quarter either side"),
    "stock.sublet_admin_cost": (500.0, 2500.0, f"{ROE} §3.2.2: subletting costs more than owning, "
                                "not how much; assumption: from half to two and a half times the "
                                "default"),
    "population.share_single_parent": (0.26, 0.38, "assumption: a fifth either side, so the "
                                       "household types sum below one"),
    "population.share_couple_children": (0.27, 0.39, "assumption: a fifth either side, so the "
                                         "household types sum below one"),
    "population.share_couple_no_children": (0.05, 0.11, "assumption: a third either side, so "
                                            "the household types sum below one"),
    "population.mean_children": (1.6, 2.6, "assumption: from a fifth below two children a family "
                                 "to nearly a third above, as families with many children are most "
                                 f"exposed ({ROE} §1.2, §2.1)"),
    "population.refugee_extra_children": (0.3, 1.5, f"{ROE} §2.1: refugee families are often "
                                          "large; assumption: from a third of a child to one and a "
                                          "half children more than others"),
    "population.share_refugee": (0.2, 0.5, f"{ROE} §3.1.1: many refugee families in Verdal's "
                                 "municipal dwellings, no share given; assumption: from a fifth to "
                                 "half of the group"),
    "population.share_need_moderate": (0.2, 0.5, f"{ROE} §1.2: some have health, substance or "
                                       "mental-health problems, no share given; assumption: from a "
                                       "fifth to half of the families"),
    "population.share_need_extensive": (0.05, 0.25, f"{ROE} §3.3: some need extensive services, no "
                                        "share given; assumption: from one family in twenty to one "
                                        "in four"),
    "population.share_employed": (0.25, 0.45, "not fitted: no fact moves it; from a quarter to "
                                  "nearly half of the group's families in work at the start"),
    "population.share_second_earner": (0.2, 0.55, "assumption: from a fifth to over half of "
                                       "working couples with a second earner, around the source's "
                                       "30 of 80 %; no figure found"),
    "population.share_disability": (0.05, 0.3, f"{ROE} §3.1.1: disability pension is among "
                                    "applicants' incomes, no share given; assumption: from one "
                                    "family in twenty to three in ten"),
    "population.share_debt": (0.3, 0.65, f"{ROE} §2.1: serious and growing debt problems, no share "
                              "given; assumption: from three families in ten to about two in "
                              "three"),
    "population.mean_debt": (75000.0, 300_000.0, "assumption: from half to twice the default; no "
                             "public figure for the group's consumer debt"),
    "population.share_remarks": (0.1, 0.4, "assumption: from one family in ten to two in five; no "
                                 "public figure"),
    "population.mean_savings": (1000.0, 10000.0, "assumption: low-income families hold little, "
                                "from a third to about three times the default; no public figure"),
    "population.share_homeless": (0.04, 0.12, "NIBR (2012), NIBR (2020): homeless persons per "
                                  "1,000 inhabitants halved, 1.26 to 0.62; assumption: from half "
                                  "to one and a half times the default"),
    "population.municipal_children_share": (0.15, 0.35, f"{ROE} §3.1.1: over 53 children in about "
                                            "120 dwellings, 15 % of tenants or more at two or "
                                            "three a family; moot after the burn-in"),
    "demography.separation_rate": (0.015, 0.06, "assumption: from half to twice the default, one "
                                   "to six couples in a hundred a year; no public figure for the "
                                   "group"),
    "demography.repartner_rate": (0.015, 0.06, "assumption: from half to twice the default, one to "
                                  "six single adults in a hundred a year; no public figure for the "
                                  "group"),
    "demography.refugee_outmigration_extra": (0.01, 0.1, "assumption: secondary migration after "
                                              "settlement, from one to ten refugee families in a "
                                              "hundred a year more than others; no figure in the "
                                              "sources"),
    "demography.client_departure_rate": (0.05, 0.25, "assumption: the single adults with "
                                         "service needs leave for care, treatment or prison, "
                                         "die or move, once in four to twenty years"),
    "demography.single_extensive_share": (0.45, 0.7, "NIBR (2020): about 58 % of the homeless "
                                          "dependent on substances or mentally ill; assumption: "
                                          "45-70 %, as how many need extensive services varies"),
    "demography.inflow_homeless_share": (0.15, 0.4, "Finansavisen (2019): about a quarter of "
                                         "eviction requests end in eviction; assumption: 15-40 %, "
                                         "as not every evicted family is homeless nor every "
                                         "homeless one evicted"),
    "work.job_finding_rate": (0.015, 0.04, "not fitted: about a sixth to two fifths of "
                              "families without work find a job within a year"),
    "work.job_loss_rate": (0.006, 0.025, "assumption: from half to twice the default, about 7 to "
                           "26 % of working families losing their work in a year; no figure for "
                           "the group"),
    "work.permanent_share": (0.3, 0.7, f"{ROE} §3.1.1: banks demand a permanent job; assumption: "
                             "from three new jobs in ten permanent to seven in ten; no figure for "
                             "the group"),
    "work.permanent_conversion": (0.015, 0.06, "assumption: from half to twice the default, about "
                                  "17 to 52 % of temporary jobs made permanent within a year; no "
                                  "public figure"),
    "work.refugee_factor": (0.5, 1.0, "not fitted: refugee families find work at half the "
                            "rate of others up to the same rate"),
    "work.need_factor_moderate": (0.4, 0.85, "assumption: moderate needs cut job finding by a "
                                  "seventh to three fifths; no public figure"),
    "work.need_factor_extensive": (0.05, 0.4, "assumption: extensive needs cut job finding to "
                                   "between a twentieth and two fifths, never above moderate "
                                   "needs' range; no public figure"),
    "work.wage": (25000.0, 40000.0, "assumption: low-paid full-time work, about 300,000 to 480,000 "
                  "NOK a year gross; no wage statistic for the group in the sources"),
    "work.wage_sd": (0.2, 0.45, "assumption: from two thirds to one and a half times the default; "
                     "no public figure for the spread of the group's wages"),
    "work.disability_pension": (22000.0, 28000.0, "assumption: from the minimum level, about 2.66 "
                                "G a year for a single (the default), to about a quarter more for "
                                "adults who earned before"),
    "economy.equivalence_second_adult": (0.4, 0.7, "assumption: SIFO (2023)'s budgets for other "
                                         "households were not found; from below the OECD-modified "
                                         "0.5 to the original OECD scale's 0.7"),
    "economy.equivalence_child": (0.2, 0.5, "assumption: SIFO (2023)'s budgets for other "
                                  "households were not found; from below the OECD-modified 0.3 to "
                                  "the original OECD scale's 0.5"),
    "economy.spending_position": (0.25, 0.8, f"{ROE} §3.1.1: actual spending differs from SIFO; "
                                  "assumption: from a quarter to four fifths of the way from the "
                                  "guideline to SIFO"),
    "economy.refugee_spending_position": (0.0, 0.45, f"{ROE} §3.1.1: SIFO showed a foreign family "
                                          "10,000 NOK a month short, yet it managed; assumption: "
                                          "from the guideline to under halfway to SIFO"),
    "economy.sa_takeup": (0.7, 0.95, "assumption: most eligible families claim, from seven in ten "
                          "to nineteen in twenty; no public figure"),
    "economy.sa_housing_norm_share": (0.8, 1.25, "Sosialtjenesteloven (2009): reasonable housing "
                                      "costs are covered; assumption: local norms from a fifth "
                                      "below to a quarter above the market rent"),
    "economy.savings_buffer": (2000.0, 15000.0, "Sosialtjenesteloven (2009): own means are used "
                               "first; assumption: a small buffer of 2,000 to 15,000 NOK is left; "
                               "no public figure"),
    "economy.saving_share": (0.1, 0.5, "assumption: from a tenth to half of a month's surplus "
                             "saved; no public figure"),
    "economy.debt_rate": (0.1, 0.22, "assumption: consumer loans and credit cards at about 10 to "
                          "22 % a year; no figure in the sources"),
    "economy.debt_min_payment": (0.01, 0.04, "assumption: from half to twice the default, 1 to 4 % "
                                 "of the debt a month; no figure in the sources"),
    "economy.remark_after_missed": (2, 6, "assumption: collection takes two to six months of "
                                    "unpaid claims before a payment remark; no figure in the "
                                    "sources"),
    "economy.remark_clear_months": (12, 48, "assumption: from one to four years before a settled "
                                    "remark stops counting against a family; no rule or figure in "
                                    "the sources"),
    "economy.counselling_months": (6, 24, f"{ROE} §3.3: counselling settles debt over time; "
                                   "assumption: from half a year to two years"),
    "economy.counselling_success": (0.4, 0.8, f"{ROE} §3.3.1: Malvik's counselling 'resets' "
                                    "payment remarks; assumption: from two cases in five settling "
                                    "the debt to four in five"),
    "economy.counselling_referral": (0.002, 0.01, "assumption: families seldom seek counselling "
                                     "unaided, from about one in forty to one in nine indebted "
                                     "families a year"),
    "economy.owner_costs": (2000.0, 5000.0, "assumption: common costs, municipal fees and upkeep "
                            "of a modest flat, from 2,000 to 5,000 NOK a month; no figure in the "
                            "sources"),
    "economy.temporary_cost": (10000.0, 30000.0, f"{ROE} §3.2.2: camping cabins and hostels; "
                               "assumption: from above a town's market rent (SSB (2017b)) to twice "
                               "the default"),
    "economy.temporary_share": (0.4, 0.8, "assumption: the rest stay with family or friends; from "
                                "two homeless families in five placed to four in five; no public "
                                "figure"),
    "market.price_per_person": (0.04, 0.2, "SSB (2017b): in Trondheim a room more adds 18-26 % to "
                                "the rent; assumption: a person more needs less than a room, "
                                "4-20 %"),
    "market.price_growth": (-0.01, 0.04, "SSB (2023a): Trondheim's prices rose 9.1 % in 2016 and "
                            "fell 1.6 % in 2023; assumption: a real trend from -1 to +4 % a year"),
    "market.price_volatility": (0.02, 0.08, "SSB (2023a): yearly growth in Trondheim from -1.6 % "
                                "to +9.1 %; assumption: a volatility from 2 to 8 % a year"),
    "market.rent_growth": (-0.01, 0.03, "assumption: real rents from falling 1 % to rising 3 % a "
                           "year; no rent series in the sources"),
    "market.rent_volatility": (0.01, 0.04, "assumption: from half to twice the default, half the "
                               "span of market.price_volatility as rents move less; no public "
                               "figure"),
    "market.rent_dispersion": (0.08, 0.3, "assumption: from about half to twice the default; no "
                               "figure for the spread of offers within a town"),
    "market.discrimination_refugee": (0.2, 0.6, f"{ROE} §1.2, §2.1: landlords turn refugee "
                                      "families away; how often is not known"),
    "market.discrimination_nav": (0.1, 0.5, f"{ROE} §1.2: landlords turn away families living "
                                  "on NAV benefits; how often is not known"),
    "market.discrimination_needs": (0.3, 0.8, f"{ROE} §1.2, §2.1; NIBR (2016): landlords "
                                    "turn away applicants with substance-use or mental-health "
                                    "problems; how often is not known"),
    "market.max_rent_share": (0.3, 0.5, "assumption: the affordability rule of thumb, from 30 to "
                              "50 % of net income; landlords' practice is not published"),
    "market.apply_rate": (0.005, 0.03, "assumption: from about 6 to 30 % of private renters "
                          "without work applying in a year; no public figure"),
    "market.lease_end_rate": (0.06, 0.2, f"{ROE} §1.2: low-income families move about twice as "
                              "often; assumption: landlords end one lease in sixteen to one in "
                              "five a year"),
    "market.forced_sale_discount": (0.05, 0.25, "assumption: a broker sells on the open market "
                                    "(Tvangsfullbyrdelsesloven (1992) ch. 11), at 5 to 25 % below "
                                    "market value; no public figure"),
    "market.sale_costs": (30000.0, 100_000.0, "assumption: broker's fee, court fees and legal "
                          "costs of 30,000 to 100,000 NOK; no figure in the sources"),
    "market.bank_rate": (0.018, 0.042, "Norges Bank (2018), SSB (2025): households' mortgage rate "
                         "between 1.8 and 4.2 % a year in 2012-2022"),
    "ownership.consider_rate": (0.005, 0.02, "not fitted: a family tries to buy every four to "
                                "sixteen years on its own"),
    "ownership.interest_only_months": (12, 60, "Husbanken (n.d.-a): interest-only periods up to 8 "
                                       "years; assumption: an owner in arrears gets one to five "
                                       "years"),
    "ownership.bank_forbearance_months": (3, 24, "assumption: banks defer instalments for "
                                          "months to a year or two, and were asked to allow "
                                          "six months' deferral in 2020; how long in practice "
                                          "is not published (Boliglånsforskriften (2015))"),
    "ownership.default_after": (3, 12, "assumption: the lender petitions after three to twelve "
                                "months of arrears, after reminders and collection; no figure in "
                                "the sources"),
    "ownership.forced_sale_months": (2, 9, "assumption: a notice of 14 days, the court's "
                                     "decision, a broker's sale with bids binding for six "
                                     "weeks and a month to appeal the confirmation "
                                     "(Tvangsfullbyrdelsesloven (1992) ch. 11)"),
    "tenancy.private_rent_premium": (0.0, 0.1, "assumption: from market rent to a tenth above it "
                                     "for tenants landlords see as risky; no public figure"),
    "policy.startloan.fixed_premium": (0.0, 0.01, "assumption: a fixed rate from level with the "
                                       "floating rate to one percentage point above it; no rate "
                                       "series in the sources"),
    "policy.startloan.stress_add": (0.01, 0.05, "assumption: from one percentage point to the "
                                    "banks' five (Boliglånsforskriften (2015)); no municipal "
                                    "practice found"),
    "policy.startloan.reapply_months": (6, 24, "assumption: from half a year to two years before a "
                                        "refused family is assessed again; no municipal practice "
                                        "found"),
    "policy.startloan.outreach_factor": (2.0, 12.0, f"{ROE} §3.1.2: tenants with some income "
                                         "were offered start loans and bought; how many more "
                                         "than would have is not known"),
    "policy.rotation.exit_grace_months": (3, 12, "assumption: from three months to a year to find "
                                          "a home after an exit request; no municipal practice in "
                                          "the sources"),
    "policy.allocation.procurer_effect": (1.2, 4.0, f"{ROE} §2.2, §3.1.2: help to find a "
                                          "landlord; size unknown"),
    "policy.allocation.colocated_factor": (0.5, 0.95, f"{ROE} §3.1.3: staff who know tenants "
                                           "and neighbourhoods; size unknown"),
    "policy.allocation.colocated_move_on": (1.1, 2.5, f"{ROE} §3.1.2, §3.2.2: an office that "
                                            "allocates and follows up moves tenants on; size "
                                            "unknown"),
    "policy.followup.effect_arrears": (0.3, 0.85, f"{ROE} §3.2.2: follow-up lowers arrears; "
                                       "from a small cut to a large one"),
    "policy.followup.effect_plan": (0.3, 0.85, f"{ROE} §3.2.1: the family plan; size unknown"),
    "policy.followup.effect_job": (1.1, 2.5, f"{ROE} §3.2.2: follow-up helps families into "
                                   "work; from a tenth more to two and a half times"),
    "policy.followup.effect_readiness": (1.5, 5.0, f"{ROE} §3.1.2: the housing-career plan "
                                         "readies tenants to buy; size unknown"),
    "policy.followup.effect_eviction": (0.3, 0.85, f"{ROE} §3.2.2: routines against eviction; "
                                        "size unknown"),
    "policy.followup.effect_search": (1.1, 2.5, f"{ROE} §3.2.2: caseworkers help families find "
                                      "private rentals; size unknown"),
    "policy.followup.network_effect": (1.2, 4.0, f"{ROE} §3.1.1: the network works faster "
                                       "than the agencies alone; size unknown"),
    "policy.work.measure_effect": (1.2, 3.0, "assumption: employment measures raise job "
                                   "finding by a fifth to threefold; no public figure found"),
    "policy.work.measure_months": (3, 12, f"{ROE} §3.2.2 names wage subsidy, Jobbsjansen and "
                                   "mentors, not their lengths; assumption: from three months to a "
                                   "year"),
}

#: Parameters plausible worlds leave as a scenario sets them, and why: definitions, the
#: rules of institutions, a stress-test lever and a price, not uncertain behaviour.
FIXED_IN_WORLDS: dict[str, str] = {
    "population.initial_families": "a size (0: derived from the inhabitants), not a rate",
    "demography.exit_age": "a definition: the age at which a family leaves the group",
    "work.tax_rate": "the tax rules averaged over low incomes, not behaviour",
    "market.rate_shift": "a stress-test lever that phases set; the dated rate path "
                         "(market.rate_path) is data",
    "bank.term_years": "the banks' standard mortgage term, a rule",
    "ownership.approval_months": "how long a loan approval is valid, a rule",
    "policy.followup.cost_per_worker": "a price (salary and overhead): it changes the costs "
                                       "reported, not what happens to families",
    "dwellings.zones": "how the municipality is drawn, not behaviour",
    **{f"{stock}_{r}_rooms": "the make-up of a stock by size, a description of the town"
       for stock in ("stock.share", "dwellings.rental_share") for r in range(1, 6)},
}


def _for_worlds(params: list[Param]) -> list[Param]:
    """The parameters with their plausible ranges and fixings (:data:`PLAUSIBLE`,
    :data:`FIXED_IN_WORLDS`) set."""
    paths = {p.path for p in params}
    unknown = (set(PLAUSIBLE) | set(FIXED_IN_WORLDS)) - paths
    if unknown:
        raise ValueError(f"plausible ranges for unknown parameters: {sorted(unknown)}")
    out = []
    for p in params:
        if p.path in PLAUSIBLE:
            lo, hi, why = PLAUSIBLE[p.path]
            p = dataclasses.replace(p, plausible=(lo, hi), plausible_reason=why)
        elif p.path in FIXED_IN_WORLDS:
            p = dataclasses.replace(p, fixed_in_worlds=True,
                                    plausible_reason=FIXED_IN_WORLDS[p.path])
        out.append(p)
    return out


#: The registry every scenario is validated against.
REGISTRY = Registry(_for_worlds(PARAMS))
