"""How numbers and indicator names read, in bokmål (``nb``) and English: shared by the report
and the dashboard.

:func:`fmt` formats numbers the Norwegian way in ``nb`` (a space between thousands, a comma as
decimal mark: ``12 345,6``) and the English way in ``en`` (``12,345.6``); :func:`tick_formatter`
makes matplotlib axes follow the same rule; :func:`label` and :func:`unit` name the indicators
and their units. The thousands space is U+00A0, a no-break space, so that a number never breaks
across two lines. Each tool keeps its own sentences: the report's are in
:mod:`sim.present.report.words`, the dashboard's in :mod:`sim.present.dashboard`.
"""

from __future__ import annotations

import math
from typing import Any

#: Languages the report and the dashboard are written in.
LANGS = ("nb", "en")
#: The thousands separator in ``nb``: a no-break space.
NBSP = "\u00a0"
#: The minus sign used in displayed numbers (U+2212, as matplotlib draws it).
MINUS = "\u2212"


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def fmt(x: float, lang: str, decimals: int = 0) -> str:
    """Format a number for reading.

    Args:
        x: the number.
        lang: ``nb`` (``1 234 567,8``; the space is U+00A0) or ``en`` (``1,234,567.8``).
        decimals: digits after the decimal mark.

    Returns:
        The formatted number; negative numbers get a true minus sign (U+2212), and a value that
        rounds to zero is written without a sign. NaN is ``–``.
    """
    check_lang(lang)
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"{abs(float(x)):,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", NBSP).replace(".", ",")
    negative = float(x) < 0 and any(c not in "0,.\u00a0" for c in text)
    return (MINUS if negative else "") + text


def auto_decimals(*values: float) -> int:
    """Decimals to show for headline numbers: none from 10 upwards, one below.

    Counts of families are whole numbers in each run; their means over replications are shown
    as whole numbers unless they are small, where one decimal says more.
    """
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    return 0 if not finite or max(finite) >= 10 else 1


def fmt_auto(x: float, lang: str, *others: float) -> str:
    """:func:`fmt` with :func:`auto_decimals` chosen from ``x`` and ``others``."""
    return fmt(x, lang, auto_decimals(x, *others))


def fmt_millions(x: float, lang: str, *others: float) -> str:
    """NOK as millions: one decimal, two when every value is below one million."""
    finite = [abs(v) for v in (x, *others) if v is not None and math.isfinite(v)]
    decimals = 2 if finite and max(finite) < 1e6 else 1
    return fmt(x / 1e6, lang, decimals)


def tick_formatter(lang: str, scale: float = 1.0) -> Any:
    """A matplotlib tick formatter that writes ``value * scale`` with :func:`fmt`.

    Decimals follow the tick value: none for whole numbers, else as few as show it (at most 2).
    """
    from matplotlib.ticker import FuncFormatter

    def _format(value: float, _pos: int | None = None) -> str:
        v = value * scale
        for d in range(3):
            if abs(v * 10**d - round(v * 10**d)) < 1e-6:
                return fmt(v, lang, d)
        return fmt(v, lang, 2)

    return FuncFormatter(_format)



#: Short labels of the indicators the report and the dashboard show.
LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "families": "Familier i alt",
        "homeless": "Bostedsløse eller i midlertidig bolig",
        "municipal": "Kommunal utleiebolig",
        "sublet": "Framleie fra kommunen",
        "private_rental": "Privat leie",
        "owner_startloan": "Eier med startlån",
        "owner_bank": "Eier med banklån",
        "owners": "Familier som eier",
        "children_municipal": "Barn i kommunal bolig",
        "children_homeless": "Barn i bostedsløse familier",
        "families_in_work": "Familier i arbeid",
        "entered_work": "Familier inn i arbeid",
        "purchases": "Familier inn i egen bolig",
        "startloans_granted": "Startlån innvilget",
        "startloans_granted_children": "Startlån til barnefamilier",
        "startloan_children_share": "Andel startlån til barnefamilier",
        "evictions": "Utkastelser (fravikelser)",
        "forced_sales": "Tvangssalg",
        "social_assistance_nok": "Sosialhjelp utbetalt",
        "social_assistance_recipients": "Familier med sosialhjelp",
        "municipal_net_cost_nok": "Kommunens nettokostnad",
        "vacant_municipal": "Ledige kommunale boliger",
        "municipal_stock": "Kommunale boliger i alt (eide og framleide)",
        "waiting_list": "Familier på venteliste",
        "children_crowded": "Barn som bor trangt",
        "children_poor_standard": "Barn i bolig med dårlig standard",
        "large_families_waiting": "Storfamilier (3+ barn) på venteliste",
        "concentration_index": "Konsentrasjon i nabolag (ulikhetsindeks)",
        "stock_purchases_nok": "Kjøp og bygging av kommunale boliger",
    },
    "en": {
        "families": "All families",
        "homeless": "Homeless or in temporary accommodation",
        "municipal": "Municipal rental",
        "sublet": "Sublet by the municipality",
        "private_rental": "Private rental",
        "owner_startloan": "Owner with a start loan",
        "owner_bank": "Owner with a bank mortgage",
        "owners": "Families who own their home",
        "children_municipal": "Children in municipal housing",
        "children_homeless": "Children in homeless families",
        "families_in_work": "Families in work",
        "entered_work": "Families into work",
        "purchases": "Families into their own home",
        "startloans_granted": "Start loans granted",
        "startloans_granted_children": "Start loans to families with children",
        "startloan_children_share": "Share of start loans to families with children",
        "evictions": "Evictions",
        "forced_sales": "Forced sales",
        "social_assistance_nok": "Social assistance paid",
        "social_assistance_recipients": "Families on social assistance",
        "municipal_net_cost_nok": "Municipality's net cost",
        "vacant_municipal": "Vacant municipal dwellings",
        "municipal_stock": "Municipal dwellings in all (owned and sublet)",
        "waiting_list": "Families on the waiting list",
        "children_crowded": "Children living crowded",
        "children_poor_standard": "Children in homes of poor standard",
        "large_families_waiting": "Large families (3+ children) waiting",
        "concentration_index": "Concentration in neighbourhoods (dissimilarity index)",
        "stock_purchases_nok": "Buying and building municipal dwellings",
    },
}

#: Units as axis labels.
UNITS: dict[str, dict[str, str]] = {
    "nb": {"families": "familier", "children": "barn", "dwellings": "boliger",
           "mnok": "mill. kr", "mnok_year": "mill. kr per år", "nok_month": "kr per måned",
           "nok": "kr", "share": "prosent", "cumulative": "familier, sum fra start",
           "loans_cumulative": "lån, sum fra start", "months": "måneder",
           "child-months": "barnemåneder", "mnok_month": "mill. kr per måned",
           "per_month": "per måned", "per_1000": "per 1 000 innbyggere",
           "index": "indeks (0–1)"},
    "en": {"families": "families", "children": "children", "dwellings": "dwellings",
           "mnok": "million NOK", "mnok_year": "million NOK per year",
           "nok_month": "NOK per month", "nok": "NOK", "share": "per cent",
           "cumulative": "families, total since start", "loans_cumulative":
           "loans, total since start", "months": "months", "child-months": "child-months",
           "mnok_month": "million NOK per month", "per_month": "per month",
           "per_1000": "per 1,000 inhabitants", "index": "index (0–1)"},
}


def label(lang: str, name: str) -> str:
    """The short label of an indicator (or the indicator's name if it has none)."""
    return LABELS[check_lang(lang)].get(name, name.replace("_", " "))


def unit(lang: str, key: str) -> str:
    """A unit label such as ``familier`` or ``mill. kr``."""
    return UNITS[check_lang(lang)][key]


#: Scenario names as a reader calls them: the bundled baseline scenario is the
#: traditional practice most municipalities followed, "dagens praksis" in Norwegian.
SCENARIO_NAMES = {"nb": {"Baseline": "Dagens praksis", "Registry defaults": "Standardverdier"},
                  "en": {}}


def scenario_name(name: str, lang: str) -> str:
    """A scenario's name in the report's language (:data:`SCENARIO_NAMES`), else as given;
    ``Verdal, baseline practice`` (``--against-baseline``,
    :meth:`sim.inputs.scenario.Scenario.with_practice_of`) as ``Verdal, dagens praksis``."""
    for given, said in SCENARIO_NAMES[lang].items():
        suffix = f", {given.lower()} practice"
        if name.endswith(suffix):
            return f"{name[: -len(suffix)]}, {said[0].lower()}{said[1:]}"
    return SCENARIO_NAMES[lang].get(name, name)
