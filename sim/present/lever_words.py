"""The municipal levers in words, bokmål (``nb``) and English (``en``): what the dashboard
shows a politician instead of a parameter's dotted path.

Each lever has a short label and a help text (the registry's description in plain words; the
registry, :mod:`sim.inputs.parameters`, stays the reference for what the model does with the
value and where it comes from). Choices of a text lever and the levers' sections have names
too. ``tests/present/test_dashboard.py`` checks that every lever of the registry has them.
"""

from __future__ import annotations

#: Section of a lever (``Lever.group``) -> name, by language.
GROUPS: dict[str, dict[str, str]] = {
    "stock": {"nb": "Boligmassen", "en": "Housing stock"},
    "demography": {"nb": "Bosetting av flyktninger", "en": "Settling refugees"},
    "startloan": {"nb": "Startlån", "en": "Start loans"},
    "rotation": {"nb": "Leiekontrakter og gjennomstrømning", "en": "Leases and rotation"},
    "allocation": {"nb": "Tildeling", "en": "Allocation"},
    "followup": {"nb": "Oppfølging", "en": "Follow-up"},
    "work": {"nb": "Arbeid", "en": "Work"},
}

#: Lever path -> language -> (label, help).
LEVERS: dict[str, dict[str, tuple[str, str]]] = {
    "stock.acquire_per_year": {
        "nb": ("Kommunale boliger kjøpt eller bygd per år",
               "Nye kommunale boliger som kommer til hvert år."),
        "en": ("Municipal dwellings bought or built a year",
               "New municipal dwellings added each year.")},
    "stock.sublet_add_per_year": {
        "nb": ("Nye boliger til framleie per år",
               "Nye boliger kommunen hvert år leier inn fra private og framleier."),
        "en": ("Dwellings added for subletting a year",
               "Dwellings the municipality rents from private owners and sublets, new each "
               "year.")},
    "stock.release_vacant_months": {
        "nb": ("Tomme boliger selges eller sies opp etter (måneder)",
               "En kommunal bolig som har stått tom så lenge, blir solgt eller leies ikke "
               "lenger inn (0 = aldri)."),
        "en": ("Sell a dwelling vacant for (months)",
               "A municipal dwelling vacant this long is sold, or its sublease ended "
               "(0 = never).")},
    "stock.acquire_rooms": {
        "nb": ("Rom i boligene som kjøpes eller bygges",
               "Hvor store de nye kommunale boligene er (5 = fem rom eller flere): store "
               "boliger til store familier, små til enslige."),
        "en": ("Rooms of the dwellings bought or built",
               "How large the new municipal dwellings are (5 = five rooms or more): large "
               "homes for large families, small ones for single adults.")},
    "stock.acquire_clustering": {
        "nb": ("Nye boliger samlet i ett nabolag (andel)",
               "0: de nye boligene spres i hele kommunen; 1: alle i samme nabolag."),
        "en": ("New dwellings gathered in one neighbourhood (share)",
               "0: the new dwellings are spread over the municipality; 1: all in one "
               "neighbourhood.")},
    "demography.refugee_families_per_10k": {
        "nb": ("Flyktningfamilier bosatt per år per 10 000 innbyggere",
               "Hvor mange flyktningfamilier kommunen sier ja til å bosette."),
        "en": ("Refugee families settled a year per 10,000 inhabitants",
               "How many refugee families the municipality agrees to settle.")},
    "policy.startloan.budget_standard": {
        "nb": ("Levekostnader i vurderingen",
               "SIFOs referansebudsjett, eller familiens faktiske forbruk (kontoutskrifter)."),
        "en": ("Living costs in the assessment",
               "The SIFO reference budget, or the family's actual spending (bank "
               "statements).")},
    "policy.startloan.income_requirement": {
        "nb": ("Inntekt som godtas",
               "Bare fast jobb, eller all stabil inntekt (også uføretrygd)."),
        "en": ("Income accepted",
               "A permanent job only, or any stable income (disability pension too).")},
    "policy.startloan.remarks_after_counselling": {
        "nb": ("Startlån etter gjeldsrådgivning",
               "Familier som har fått ryddet opp i betalingsanmerkningene gjennom "
               "gjeldsrådgivning, kan få startlån."),
        "en": ("Start loans after debt counselling",
               "Families whose payment remarks debt counselling cleared may get a start "
               "loan.")},
    "policy.startloan.term_years": {
        "nb": ("Nedbetalingstid (år)", "Lengre tid gir lavere terminbeløp."),
        "en": ("Term (years)", "A longer term lowers the monthly payment.")},
    "policy.startloan.fixed_rate": {
        "nb": ("Fast rente", "Tilby fast rente, så renten ikke kan stige for familien."),
        "en": ("Fixed rate", "Offer a fixed rate, so the family's rate cannot rise.")},
    "policy.startloan.grant_max": {
        "nb": ("Høyeste etableringstilskudd per familie (kr)",
               "Tilskudd fra Husbanken via kommunen (0 = ingen)."),
        "en": ("Largest establishment grant per family (NOK)",
               "Husbanken's grant through the municipality (0 = none).")},
    "policy.startloan.children_share": {
        "nb": ("Mål: andel startlån til barnefamilier",
               "Hvor stor andel av årets startlån kontoret har som mål å gi til barnefamilier."),
        "en": ("Aim: share of start loans to families with children",
               "The share of the year's start loans the desk works to give families with "
               "children.")},
    "policy.startloan.refer_children": {
        "nb": ("Barnefamilier sendes til startlånskontoret",
               "Barnefamilier som er bostedsløse eller må flytte, søker startlån først."),
        "en": ("Families with children referred to the start-loan desk",
               "Families with children who are homeless or must move apply for a start loan "
               "first.")},
    "policy.startloan.refinance": {
        "nb": ("Refinansiering med startlån",
               "Eiere med banklån som er på vei mot tvangssalg, kan få lånet refinansiert med "
               "startlån."),
        "en": ("Refinancing with a start loan",
               "Owners with a bank loan heading for a forced sale may have it refinanced.")},
    "policy.startloan.budget_per_1000": {
        "nb": ("Startlånsramme per år per 1 000 innbyggere (kr)",
               "Hvor mye kommunen kan låne ut i startlån hvert år."),
        "en": ("Start-loan budget a year per 1,000 inhabitants (NOK)",
               "How much the municipality may lend in start loans each year.")},
    "policy.startloan.outreach": {
        "nb": ("Tilby startlån til leietakere",
               "Kommunen tilbyr på eget initiativ startlån til leietakere i kommunal bolig når "
               "de har inntekt."),
        "en": ("Offer start loans to tenants",
               "The municipality itself offers start loans to tenants with income.")},
    "policy.startloan.payment_relief": {
        "nb": ("Avdragsfrihet før tvangssalg",
               "En eier med startlån som kommer på etterskudd, får en periode der bare rentene "
               "betales (avdragsfrihet)."),
        "en": ("Payment relief before a forced sale",
               "A start-loan owner who falls behind gets a period of interest only.")},
    "policy.startloan.children_priority": {
        "nb": ("Barnefamilier slipper kravet om fast inntekt",
               "Barnefamilier får startlån uten krav om at inntekten er varig."),
        "en": ("Families with children exempt from permanent income",
               "Families with children get start loans without the income having to be "
               "permanent.")},
    "policy.rotation.contract_years": {
        "nb": ("Leiekontraktens lengde (år)", "Tidsbestemte kontrakter (0 = tidsubestemt)."),
        "en": ("Length of a lease (years)", "Fixed-term leases (0 = indefinite).")},
    "policy.rotation.review": {
        "nb": ("Vurdering av leieforholdet",
               "Kan leietakeren leie privat eller kjøpe? Første gang etter en tid, så hvert "
               "år."),
        "en": ("Tenancy reviews",
               "Can the tenant rent privately or buy? First after a while, then yearly.")},
    "policy.rotation.review_months": {
        "nb": ("Første vurdering etter (måneder)",
               "Måneder i kommunal bolig før første vurdering."),
        "en": ("First review after (months)", "Months in municipal housing before the first "
                                              "review.")},
    "policy.rotation.full_review": {
        "nb": ("Gjennomgang av alle leieforhold",
               "Alle leieforhold vurderes i løpet av de neste tolv månedene."),
        "en": ("Review of every tenancy", "Every tenancy is reviewed within twelve months.")},
    "policy.rotation.move_on_with_work": {
        "nb": ("Leietakere i arbeid bes flytte videre",
               "Når kontrakten løper ut, eller ved vurdering, blir leietakere med "
               "arbeidsinntekt bedt om å flytte."),
        "en": ("Tenants in work asked to move on",
               "At a lease's end or a review, tenants with earnings are asked to move on.")},
    "policy.rotation.enforce_exit": {
        "nb": ("Leieforholdet avsluttes selv uten ny bolig",
               "Etter fristen avsluttes leieforholdet selv om familien ikke har funnet noe "
               "(ellers fornyes det)."),
        "en": ("Lease ended even without a new home",
               "After the grace period the lease ends even if nothing was found (else it is "
               "renewed).")},
    "policy.rotation.rent_to_market": {
        "nb": ("Husleie som andel av gjengs leie",
               "Kommunal husleie som andel av gjengs leie i markedet (1 = lik gjengs leie)."),
        "en": ("Rent as a share of market rent", "Municipal rent over the market rent.")},
    "policy.allocation.eligibility": {
        "nb": ("Hvem kan få kommunal bolig",
               "Alle vanskeligstilte familier, eller bare de med store oppfølgingsbehov."),
        "en": ("Who may get a municipal dwelling",
               "Any disadvantaged family, or only those with extensive needs.")},
    "policy.allocation.children_allowed": {
        "nb": ("Barnefamilier i kommunale boliger",
               "Om barnefamilier får kommunal bolig."),
        "en": ("Families with children in municipal dwellings",
               "Whether families with children are given municipal dwellings.")},
    "policy.allocation.priority": {
        "nb": ("Hvem får en ledig bolig først", "Regelen når en bolig blir ledig."),
        "en": ("Who gets a vacant dwelling first", "The rule when a dwelling falls vacant.")},
    "policy.allocation.settle_refugees": {
        "nb": ("Bosatte flyktninger får kommunal bolig",
               "Flyktningfamilier som kommunen bosetter, får en ledig kommunal bolig."),
        "en": ("Settled refugees get a municipal dwelling",
               "Refugee families the municipality settles get a vacant municipal "
               "dwelling.")},
    "policy.allocation.with_followup": {
        "nb": ("Tildeling og oppfølging på samme kontor",
               "Samme kontor tildeler boligene og følger opp leietakerne."),
        "en": ("Allocation and follow-up in one office",
               "One office allocates the dwellings and follows up the tenants.")},
    "policy.allocation.neighbourhood_matching": {
        "nb": ("Sårbare leietakere der nabolaget tåler det",
               "Kontoret plasserer leietakere med store hjelpebehov i nabolag som ikke "
               "allerede har mange av dem (som i Verdal)."),
        "en": ("Vulnerable tenants where the neighbourhood can take them",
               "The office places tenants with extensive needs in neighbourhoods that do "
               "not already have many of them (as in Verdal).")},
    "policy.allocation.zone_needs_margin": {
        "nb": ("Sårbare leietakere i et nabolag utover kommunens andel",
               "Når nabolagstilpasning er på: hvor mye høyere andel leietakere med store "
               "hjelpebehov et nabolags kommunale boliger kan ha enn kommunens boliger har "
               "samlet."),
        "en": ("Vulnerable tenants in a neighbourhood above the town's share",
               "With neighbourhood matching: how much higher a share of tenants with "
               "extensive needs a neighbourhood's municipal dwellings may have than the "
               "town's as a whole.")},
    "policy.allocation.extra_rooms": {
        "nb": ("Store boliger holdes for store familier (rom til overs)",
               "En ledig bolig går først til en husholdning som trenger så mange rom, eller "
               "inntil så mange færre."),
        "en": ("Large units kept for large families (rooms to spare)",
               "A vacant dwelling goes first to a household needing its rooms, or up to this "
               "many fewer.")},
    "policy.allocation.hold_months": {
        "nb": ("Måneder en stor bolig holdes ledig",
               "Så lenge står en ledig bolig og venter på en familie av riktig størrelse før "
               "den leies ut til en mindre husholdning."),
        "en": ("Months a large unit is held",
               "How long a vacant dwelling waits for a household of its size before it is "
               "let to a smaller one.")},
    "policy.allocation.procurer": {
        "nb": ("Boligformidler overfor private utleiere",
               "En formidler kontakter private utleiere på vegne av familier kontoret kjenner."),
        "en": ("Housing procurer with private landlords",
               "A procurer contacts private landlords for families the office knows.")},
    "policy.allocation.help_children_private": {
        "nb": ("Barnefamilier får hjelp til å leie privat",
               "Barnefamilier som ikke får kommunal bolig og leter etter bolig, får hjelp av "
               "kontoret til å finne en privat utleier."),
        "en": ("Families with children helped to rent privately",
               "Where families with children get no municipal dwelling, the office helps "
               "those who search to find a private landlord.")},
    "policy.followup.mode": {
        "nb": ("Hvem følges opp", "Hvilke familier saksbehandlerne følger opp."),
        "en": ("Who is followed up", "Which families the caseworkers follow up.")},
    "policy.followup.long_assistance_months": {
        "nb": ("Langtidsmottaker av sosialhjelp etter (måneder)",
               "Antall måneder sammenhengende på sosialhjelp før en familie regnes som "
               "langtidsmottaker."),
        "en": ("Long on social assistance after (months)",
               "Months in a row on social assistance before a family counts as long on "
               "it.")},
    "policy.followup.workers": {
        "nb": ("Saksbehandlere i boligoppfølging (årsverk)",
               "Hvor mange som følger opp familiene i boligen."),
        "en": ("Housing follow-up caseworkers (full-time)",
               "How many follow up the families in their homes.")},
    "policy.followup.visits": {
        "nb": ("Hjemmebesøk og boligkarriereplan",
               "Besøk etter en måned og hvert år, med en plan for boligkarrieren."),
        "en": ("Home visits and a housing-career plan",
               "A visit after a month and every year, with a housing-career plan.")},
    "policy.followup.family_plan": {
        "nb": ("Familieplan med budsjett",
               "Familiene som følges opp, lager en plan med et månedsbudsjett."),
        "en": ("Family plan with a budget",
               "Followed families make a plan with a monthly budget.")},
    "policy.followup.network": {
        "nb": ("Tverretatlig nettverk",
               "Nav, barnevernet, psykisk helsetjeneste og boligkontoret møtes jevnlig for å "
               "drøfte familiene."),
        "en": ("Cross-agency network",
               "NAV, child welfare, psychiatry and the housing office meet regularly about "
               "the families.")},
    "policy.followup.network_weeks": {
        "nb": ("Uker mellom nettverksmøtene", "Hvor ofte nettverket møtes."),
        "en": ("Weeks between network meetings", "How often the network meets.")},
    "policy.followup.network_families": {
        "nb": ("Familier per nettverksmøte", "Hvor mange familier nettverket tar opp hver "
                                             "gang."),
        "en": ("Families per network meeting", "How many families the network takes up "
                                               "each time.")},
    "policy.work.measure_places": {
        "nb": ("Plasser i arbeidstiltak per 10 000 innbyggere",
               "Tiltaksplasser for familier uten arbeid."),
        "en": ("Places in employment measures per 10,000 inhabitants",
               "Places in measures for families without work.")},
}

#: A text lever's choice -> language -> name.
CHOICES: dict[str, dict[str, str]] = {
    "sifo": {"nb": "SIFOs referansebudsjett", "en": "SIFO reference budget"},
    "actual": {"nb": "Faktisk forbruk", "en": "Actual spending"},
    "permanent_job": {"nb": "Bare fast jobb", "en": "A permanent job only"},
    "stable_income": {"nb": "All stabil inntekt", "en": "Any stable income"},
    "disadvantaged": {"nb": "Alle vanskeligstilte", "en": "Any disadvantaged family"},
    "extensive_needs": {"nb": "Bare store oppfølgingsbehov", "en": "Extensive needs only"},
    "need": {"nb": "Størst behov", "en": "Greatest need"},
    "homeless_first": {"nb": "Bostedsløse først", "en": "Homeless first"},
    "waiting_time": {"nb": "Lengst ventetid", "en": "Longest wait"},
    "children_first": {"nb": "Barnefamilier først", "en": "Families with children first"},
    "conflict": {"nb": "Familier i restanse eller konflikt",
                 "en": "Families in arrears or conflict"},
    "tenants": {"nb": "Alle leietakere i kommunal bolig og framleie",
                "en": "All municipal and sublet tenants"},
    "all": {"nb": "Alle familier", "en": "All families"},
    "long_assistance": {"nb": "Langtidsmottakere av sosialhjelp",
                        "en": "Long on social assistance"},
}


def lever_label(path: str, lang: str) -> str:
    """The lever's short label in ``lang``."""
    return LEVERS[path][lang][0]


def lever_help(path: str, lang: str) -> str:
    """The lever's help text in ``lang``."""
    return LEVERS[path][lang][1]


def choice_name(choice: str, lang: str) -> str:
    """A text lever's choice in words."""
    return CHOICES[choice][lang]


def group_name(group: str, lang: str) -> str:
    """A section of levers in words."""
    return GROUPS[group][lang]
