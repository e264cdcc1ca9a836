"""The report's words, in bokmål (``nb``) and English: every sentence template, the tenures as
the family stories tell them, month names and the small phrases sentences are built from.

Numbers and indicator names come from :mod:`sim.present.text`, as in the dashboard.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sim.present.text import NBSP, check_lang, fmt

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sim.analysis.discovery import Condition

#: Month names, by language.
MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


#: Small numbers as words, as Norwegian and English prose writes them (one to twelve).
NUMBER_WORDS = {
    "nb": ("null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve",
           "tolv"),
    "en": ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve"),
}


def number_words(n: int, lang: str) -> str:
    """``n`` as a word up to twelve (``tre``, ``three``), else in figures."""
    words = NUMBER_WORDS[check_lang(lang)]
    return words[n] if 0 <= n < len(words) else fmt(n, lang)


def month_name(date: str, lang: str) -> str:
    """``'2013-04'`` as ``april 2013`` (nb) or ``April 2013`` (en)."""
    year, month = date.split("-")
    return f"{MONTHS[lang][int(month) - 1]} {year}"


def join_list(items: list[str], lang: str) -> str:
    """``a, b og c`` (nb) or ``a, b and c`` (en)."""
    if len(items) <= 1:
        return "".join(items)
    word = " og " if lang == "nb" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def quoted(name: str, lang: str) -> str:
    """A scenario's name in the language's quotation marks: «Verdal» (nb), “Verdal” (en)."""
    return f"«{name}»" if lang == "nb" else f"“{name}”"


def years_phrase(years: int, lang: str) -> str:
    """``over 10 år`` / ``over 10 years`` / ``over 1 year``."""
    if lang == "nb":
        return f"over {fmt(years, lang)} år"
    return f"over {fmt(years, lang)} year{'' if years == 1 else 's'}"


#: Tenures as they appear in family stories: (noun phrase, what moving there is called).
TENURE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "nb": {
        "homeless": ("var uten bolig eller i midlertidig bolig",
                     "sto uten bolig"),
        "municipal": ("bodde i kommunal utleiebolig", "flyttet inn i en kommunal utleiebolig"),
        "sublet": ("leide en bolig på framleie fra kommunen",
                   "fikk leie en bolig på framleie fra kommunen"),
        "private_rental": ("bodde i privat leid bolig", "flyttet til en privat leid bolig"),
        "owner_startloan": ("bodde i egen bolig kjøpt med startlån", "kjøpte bolig med startlån"),
        "owner_bank": ("bodde i egen bolig kjøpt med banklån", "kjøpte bolig med banklån"),
    },
    "en": {
        "homeless": ("was homeless or in temporary accommodation", "became homeless"),
        "municipal": ("lived in a municipal rental dwelling", "moved into a municipal dwelling"),
        "sublet": ("lived in a dwelling sublet by the municipality",
                   "got a dwelling sublet by the municipality"),
        "private_rental": ("lived in private rental", "moved to a privately rented home"),
        "owner_startloan": ("lived in a home of their own bought with a start loan",
                            "bought a home with a start loan"),
        "owner_bank": ("lived in a home of their own bought with a bank mortgage",
                       "bought a home with a bank mortgage"),
    },
}

#: Every other sentence and label, by language. ``{name}`` fields are filled with str.format.
TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "subtitle": "Simulerte utfall for {scenarios}",
        "made_by": "Laget {date} med boligsim {version}: {replications} simuleringer per "
                   "scenario {years} (startverdi for tilfeldige tall: {seed}).",
        "summary_intro": "Hvert tall er det beste anslaget på forskjellen mot {ref}; 95 "
                         "%-intervallet står i ord under tallet. Tabellen etter sammendraget har "
                         "alle tallene og forklarer dem.",
        "summary_levels": "Tallene er beste anslag per scenario; forskjeller står ikke her "
                          "fordi kommunene er ulike (se tabellen etter sammendraget).",
        "page_of": "{date} · side {page} av {pages}",
        "reading": "Tallene er gjennomsnitt av {replications} simuleringer. Intervallet i parentes "
                   "(95 %) viser hvor presist simuleringene bestemmer modellens forventede verdi, "
                   "altså det gjennomsnittet svært mange simuleringer ville gitt. Det sier ikke "
                   "hvor riktige modellens forutsetninger er.",
        "reading_worlds": "Hvor godt forskjellene tåler usikre forutsetninger, står i avsnittet "
                          "«Hvor sikre er forskjellene?».",
        "reading_noworlds": "Hvor godt forskjellene tåler usikre forutsetninger, kan undersøkes "
                            "med en rapport med plausible verdener (boligsim report --worlds).",
        "more_than": "mellom {lo} og {hi} flere {noun} enn i {ref}",
        "fewer_than": "mellom {lo} og {hi} færre {noun} enn i {ref}",
        "mixed_count": "mellom {lo} færre og {hi} flere {noun} enn i {ref} – ingen klar "
                       "forskjell",
        "table_title": "Hovedtall per scenario (95 %-intervall i parentes; forskjell mot "
                       "{ref} under)",
        "n_families": "familier",
        "n_children": "barn",
        "n_jobs": "overganger til arbeid",
        "n_child_years": "barneår",
        "n_moves": "flyttinger",
        "n_evictions": "utkastelser",
        "s_children_end": "Barn i kommunal bolig ved slutten",
        "s_own_home": "Familier som kjøpte egen bolig",
        "s_homeless_end": "Bostedsløse familier ved slutten",
        "s_cost": "Kommunens nettokostnad i alt",
        "u_mnok": "mill. kr",
        "f_money": "Økonomi og kommunale boliger",
        "f_homes": "Trangboddhet og nabolag",
        "zones_title": "Hvor familiene bor",
        "zones_caption": "Kommunen tegnet som {zones} nabolag (soner), ikke som kart: hver rute "
                         "er en familie i modellen, farget etter boform; prikk: familie med "
                         "barn; skravert: bor trangt (færre rom enn personer); åpen rute: ledig "
                         "kommunal bolig. Fra siste måned av simuleringen familiehistoriene er "
                         "hentet fra. Ulikhetsindeksen (0–1) er andelen av familiene som måtte "
                         "flytte for å bo spredt som kommunens øvrige husholdninger.",
        "f_tenure_short": "Boform",
        "story_income": "Inntekt (kr per måned)",
        "story_wages": "lønn og trygd etter skatt",
        "story_allowance": "bostøtte",
        "story_sa": "sosialhjelp",
        "stories_income": "Inntekt er husholdningens lønn og trygd etter skatt, bostøtte og "
                          "sosialhjelp, i kroner per måned; lån er gjelden på boligen.",
        "more_events": "hadde {n} endringer til",
        "more_event": "hadde én endring til",
        "a_runs": "Tallene kommer fra {replications} simuleringer av hvert scenario {years} "
                  "(startverdi for tilfeldige tall: {seed}). Simulering nr. 1 i hvert scenario "
                  "bruker de samme tilfeldige tallene, det samme gjør simulering nr. 2 osv., så "
                  "forskjellen mellom scenarioene skyldes politikken og ikke tilfeldigheter. "
                  "Intervallene (95 %) viser hvor presist simuleringene bestemmer modellens "
                  "forventede verdi; de sier ikke hvor riktige forutsetningene er.",
        "a_money": "Kommunens nettokostnad omfatter sosialhjelp, midlertidig bolig, de kommunale "
                   "boligene, oppfølging, tilskudd og kommunens tap på startlån. En kommunal "
                   "bolig som kommunen eier, gir kapital- og driftskostnader hver måned kommunen "
                   "har den, fratrukket husleien; en framleid bolig koster leien til eieren pluss "
                   "administrasjon. En bolig kommunen kjøper, gir altså kostnader fra den er "
                   "kjøpt, og en bolig den selger, slutter å gi kostnader; kjøpesummen og "
                   "salgssummen føres ikke som engangsbeløp.",
        "glossary": "Ord og begreper",
        "glossary_items": "Dagens praksis: slik de fleste kommuner har arbeidet, med tradisjonell "
                          "tildeling og lite oppfølging – uten endringene modellene i rapporten "
                          "prøver ut|Kommunal utleiebolig: bolig kommunen eier og leier ut til "
                          "vanskeligstilte|Framleie: bolig kommunen leier av private og leier ut "
                          "videre|Startlån: lån fra kommunen, finansiert av Husbanken, til kjøp "
                          "av bolig for dem som ikke får lån i bank|Midlertidig bolig: "
                          "overnattingssted uten leiekontrakt, for eksempel hospits eller "
                          "campinghytte; regnes her med de bostedsløse|Barneår: ett barn i ett "
                          "år|Simulering: én beregnet gjennomgang av perioden med de samme "
                          "familiene, men med andre tilfeldige hendelser|Plausibel verden: ett "
                          "sett verdier for de usikre forutsetningene, trukket innenfor rimelige "
                          "grenser",
        "title": "Boligkarrierer for vanskeligstilte familier",
        "reference_is": "Sammenlikningsgrunnlaget er «{ref}». Forskjellene er regnet "
                        "simulering for simulering mot det, med de samme hendelsene i "
                        "familienes liv.",
        "own_baseline": "samme kommune under dagens praksis",
        "reference_own": "Hver kommunes modell er sammenliknet med samme kommune under dagens "
                         "praksis: samme innbyggertall, boligmasse, familier, periode og "
                         "simuleringer. Forskjellene er regnet simulering for simulering, med "
                         "de samme hendelsene i familienes liv; forskjeller mellom kommunene "
                         "er ikke virkninger av politikk.",
        "unlike": "{towns} skiller seg fra «{ref}» i innbyggertall, boligmasse eller periode. "
                  "Forskjellene nedenfor er derfor ikke bare virkningen av politikken, men også "
                  "av at kommunene er ulike. Vil du se virkningen av en modell, sammenlikn den "
                  "med samme kommune under dagens praksis (boligsim report FIL.toml "
                  "--against-baseline).",
        "interval": "mellom {lo} og {hi}",
        "more_money": "mellom {lo} og {hi} mill. kr mer enn i {ref}",
        "less_money": "mellom {lo} og {hi} mill. kr mindre enn i {ref}",
        "mixed_money": "mellom {lo} mill. kr mindre og {hi} mill. kr mer enn i {ref} – "
                       "ingen klar forskjell",
        "cell": "{mean} ({lo} til {hi})",
        "col_measure": "Indikator",
        "worlds_clause": " (samme retning i {holds} av {count} plausible verdener)",
        "worlds_cell": "samme retning i {holds} av {count} verdener",
        "worlds_head": "Hvor sikre er forskjellene?",
        "worlds_intro": "Modellen bygger på antatte virkninger og kalibrerte rater som ingen kilde "
                        "gir nøyaktig. Hver modell er derfor også simulert i {count} plausible "
                        "verdener: i hver av dem er alle antatte og kalibrerte størrelser trukket "
                        "innenfor rimelige grenser. «Samme retning i 92 av 100» betyr at "
                        "forskjellen peker samme vei i 92 av dem.",
        "worlds_few": "Bare {worlds} plausible verdener: andelene er grove, og det en forskjell "
                      "ser ut til å avhenge av, kan skyldes tilfeldigheter. Bruk minst {least} "
                      "før resultatene legges fram.",
        "worlds_robust": "Alle forskjellene over peker samme vei i minst {share} av de "
                         "plausible verdenene.",
        "turns_everywhere": "{scen} – {measure}: samme retning i {holds} av {count} verdener; "
                            "i alle de andre peker forskjellen motsatt vei, så retningen "
                            "hviler ikke på én forutsetning, men på hele modellen.",
        "hangs_on_nothing": "{scen} – {measure}: samme retning i {holds} av {count} "
                            "verdener; ingen enkelt forutsetning forklarer når den snur.",
        "hangs_on": "{scen} – {measure}: samme retning i {holds} av {count} verdener; retningen "
                    "avhenger mest av {params}.",
        "fails_where": "{scen} – {measure}: samme retning i {holds} av {count} verdener; "
                       "forskjellen snur særlig når {conditions}.",
        "condition": "{name} er {where} (i verdenene trukket mellom {low} og {high})",
        "cond_below": "under {x}",
        "cond_above": "over {x}",
        "cond_between": "mellom {low} og {high}",
        "u_1/month": "{x} i måneden",
        "u_1/year": "{x} i året",
        "u_months": "{x} måneder",
        "u_NOK": "{x} kr",
        "u_NOK/month": "{x} kr i måneden",
        "per_1000_title": ", per 1 000 innbyggere",
        "per_1000_note": "Antall og kroner er regnet per 1 000 innbyggere i hver kommune, slik at "
                         "kommuner av ulik størrelse kan sammenliknes.",
        "per_1000_unit": " per 1 000 innbyggere",
        "m_own_home": "Familier inn i egen bolig (sum)",
        "m_entered_work": "Overganger til arbeid (sum)",
        "m_in_work_end": "Familier i arbeid ved slutten",
        "m_sa_total": "Sosialhjelp i alt (mill. kr)",
        "m_children_end": "Barn i kommunal bolig ved slutten",
        "m_homeless_end": "Bostedsløse familier ved slutten",
        "m_children_homeless_end": "Barn i bostedsløse familier ved slutten",
        "m_child_years_insecure": "Barneår i bostedsløshet eller med varsel om å måtte "
                                  "flytte (sum)",
        "m_child_moves": "Barns flyttinger innen kommunen (sum)",
        "m_evictions": "Utkastelser (sum)",
        "m_cost": "Kommunens nettokostnad (mill. kr, sum)",
        "diff_prefix": "forskjell",
        "f_tenure": "Familier etter boform over tid (gjennomsnitt av simuleringene)",
        "f_children": "Barn i kommunal bolig",
        "f_homeless": "Bostedsløshet",
        "f_own_work": "Eierskap og arbeid",
        "f_startloans": "Startlån og andelen til barnefamilier",
        "f_evictions": "Utkastelser og tvangssalg",
        "band_note": "Linje: gjennomsnitt; skygge: 95 %-intervall. Prikket loddrett linje: "
                     "en ny fase i kommunens praksis begynner. Søyler: forskjell mot {ref} med "
                     "95 %-intervall.",
        "diff_axis": "forskjell mot {ref} ({unit}, {when})",
        "at_end": "ved slutten",
        "over_run": "over hele perioden",
        "year_axis": "år",
        "stories": "Familiehistorier",
        "stories_intro": "Eksempler på boligkarrierer fra én simulering av «{scen}». Familiene "
                         "er valgt fordi veien deres er typisk for et mønster; de er "
                         "simulerte, ikke virkelige familier.",
        "story_tenure": "Boform",
        "story_work": "I arbeid",
        "story_loan": "Lån (kr)",
        "yes": "ja",
        "no": "nei",
        "p_municipal_to_owner": "Fra kommunal bolig til egen bolig",
        "p_homeless_to_private": "Fra bostedsløshet til privat leie",
        "p_stays_municipal": "Blir boende i kommunal bolig",
        "p_lost_home": "Mister boligen",
        "p_into_work": "Inn i arbeid",
        "p_forced_sale": "Må selge boligen",
        "p_steady": "Stabil boform",
        "single": "En enslig forsørger",
        "single_nochild": "En enslig voksen",
        "couple": "Et par",
        "with": "med",
        "children_n": "{n} barn",
        "one_child": "ett barn",
        "refugee": "flyktningbakgrunn",
        "lived_at_start": "{tenure} ved starten",
        "arrived": "kom til kommunen i {date} og {tenure}",
        "sold": "måtte selge boligen og {what}",
        "moved_out": "måtte flytte ut og sto uten bolig",
        "moved_event": "{what} i {date}",
        "got_job": "fikk jobb i {date}",
        "lost_job": "mistet jobben i {date}",
        "evicted": "ble kastet ut på grunn av husleierestanse i {date} og sto uten bolig",
        "left": "flyttet fra kommunen i {date}",
        "stayed": "ble boende der hele perioden",
        "rooms_n": "{n} rom",
        "crowded": "trangt",
        "moved_home": "flyttet til en annen privat leid bolig",
        "moves_total": "flyttet {n} ganger i alt",
        "stayed_homeless": "var uten bolig hele perioden",
        "assumptions": "Forutsetninger, usikkerhet og hva modellen ikke kan måle",
        "a_lengths": "Merk: scenarioene dekker ulike perioder ({detail}). Forskjellene "
                     "sammenlikner hvert scenarios egen periode; bruk --years for lik lengde.",
        "a_params": "Modellen har {total} parametere: {policy} politiske valg kommunen gjør, "
                    "{context} kontekstverdier hentet fra offentlige kilder (Røe 2018, SSB, "
                    "Husbanken), {calibrated} atferdsrater som ingen har målt, og som derfor "
                    "kalibreres mot observerte tall, og {assumption} forutsetninger vi har valgt "
                    "og gjør rede for. Endres forutsetningene, kan tallene endre seg.",
        "a_cannot": "Modellen kan ikke måle alt som betyr noe:",
        "a_cannot_items": "boligenes og nabolagenes kvalitet utover antall rom og en grov "
                          "standard (god eller dårlig), og hvor trygge de er for barn|"
                          "barnas trivsel, skolegang og fritid|tillit mellom familiene og "
                          "hjelpeapparatet, og kunnskapen de ansatte bygger opp|verdien av å "
                          "bo stabilt, utover det å ha en bolig|diskriminering på "
                          "leiemarkedet, som bare er med som et gjennomsnitt",
        "a_model": "Familier, boliger og kommunens tjenester er forenklet. Resultatene viser "
                   "retning og størrelsesorden av forskjeller mellom praksiser i samme "
                   "kommune, ikke prognoser for en bestemt kommune.",
        "a_provenance": "Sporbarhet: boligsim {version}, git {commit}; scenarioer: "
                        "{scenarios}.",
        "guideline": "Husbankens mål: 50 %",
    },
    "en": {
        "subtitle": "Simulated outcomes for {scenarios}",
        "made_by": "Made {date} with boligsim {version}: {replications} runs per scenario "
                   "{years} (random seed {seed}).",
        "summary_intro": "Each number is the best estimate of the difference against {ref}, "
                         "with its 95 % interval in words below. The table after the summary has "
                         "every number and explains them.",
        "summary_levels": "The numbers are best estimates per scenario; no differences are "
                          "given here because the municipalities differ (see the table after the "
                          "summary).",
        "page_of": "{date} · page {page} of {pages}",
        "reading": "The numbers are means over {replications} runs. The interval in brackets "
                   "(95 %) shows how precisely the runs pin down the model's expected value, "
                   "the mean that very many runs would give. It does not say how right the "
                   "model's assumptions are.",
        "reading_worlds": "How much of the uncertain assumptions the differences withstand is "
                          "under “How sure are the differences?”.",
        "reading_noworlds": "How much of the uncertain assumptions the differences withstand "
                            "is shown by a report with plausible worlds (boligsim report "
                            "--worlds).",
        "more_than": "between {lo} and {hi} more {noun} than in {ref}",
        "fewer_than": "between {lo} and {hi} fewer {noun} than in {ref}",
        "mixed_count": "between {lo} fewer and {hi} more {noun} than in {ref} – no clear "
                       "difference",
        "table_title": "Headline numbers by scenario (95 % interval in brackets; difference "
                       "against {ref} below)",
        "n_families": "families",
        "n_children": "children",
        "n_jobs": "job starts",
        "n_child_years": "child-years",
        "n_moves": "moves",
        "n_evictions": "evictions",
        "s_children_end": "Children in municipal housing at the end",
        "s_own_home": "Families who bought their own home",
        "s_homeless_end": "Homeless families at the end",
        "s_cost": "The municipality's net cost in all",
        "u_mnok": "million NOK",
        "f_money": "Money and municipal dwellings",
        "f_homes": "Crowding and neighbourhoods",
        "zones_title": "Where the families live",
        "zones_caption": "The municipality drawn as {zones} neighbourhoods (zones), not as a "
                         "map: each square is a family of the model, coloured by tenure; dot: a "
                         "family with children; hatched: living crowded (fewer rooms than "
                         "persons); open square: a vacant municipal dwelling. From the last "
                         "month of the run the family stories come from. The dissimilarity "
                         "index (0–1) is the share of the families that would have to move to "
                         "be spread like the municipality's other households.",
        "f_tenure_short": "Tenure",
        "story_income": "Income (NOK per month)",
        "story_wages": "wages and benefits after tax",
        "story_allowance": "housing allowance",
        "story_sa": "social assistance",
        "stories_income": "Income is the household's wages and benefits after tax, housing "
                          "allowance and social assistance, in NOK a month; the loan is the "
                          "debt on the home.",
        "more_events": "had {n} more changes",
        "more_event": "had one more change",
        "a_runs": "The numbers come from {replications} runs of each scenario {years} "
                  "(random seed {seed}). Run k of every scenario uses the same random numbers, "
                  "so the difference between scenarios is the policy, not luck. The intervals "
                  "(95 %) show how precisely the runs pin down the model's expected value; "
                  "they do not say how right the assumptions are.",
        "a_money": "The municipality's net cost is social assistance, temporary "
                   "accommodation, the municipal dwellings, follow-up, grants and the "
                   "municipality's start-loan losses. An owned municipal dwelling costs "
                   "capital and upkeep every month the municipality holds it, less the rent; "
                   "a sublet one costs the rent paid to its owner and administration. A "
                   "dwelling the municipality buys thus costs from the month it is bought, and "
                   "one it sells stops costing; purchase and sale prices are not one-off "
                   "amounts.",
        "glossary": "Words used",
        "glossary_items": "Today's practice: the municipality as most worked before the "
                          "models in the report, with traditional allocation and little "
                          "follow-up|Municipal rental dwelling: a home the municipality owns and "
                          "lets to disadvantaged households|Sublet: a home the municipality "
                          "rents from a private owner and lets on|Start loan: a loan from the "
                          "municipality, funded by Husbanken, to buy a home, for those a bank "
                          "will not lend to|Temporary accommodation: a bed without a tenancy, "
                          "such as a hostel or a camping cabin; counted here with the homeless|"
                          "Child-year: one child for one year|Run: one imagined pass of the "
                          "same families with other chance events|Plausible world: one set of "
                          "the uncertain assumptions, drawn within what is plausible",
        "title": "Housing careers of disadvantaged families",
        "reference_is": "The reference is “{ref}”. Differences are taken run by run against "
                        "it, with the same events in the families' lives.",
        "own_baseline": "the same municipality under today's practice",
        "reference_own": "Each municipality's model is set against the same municipality under "
                         "today's practice: same inhabitants, housing stock, families, period "
                         "and runs. Differences are taken run by run, with the same events in "
                         "the families' lives; differences between the municipalities are not "
                         "effects of policy.",
        "unlike": "{towns} {differ} from “{ref}” in inhabitants, housing stock or period, so "
                  "the differences below are not the policy's effect alone but also the towns' "
                  "differences. To see a model's effect, set it against the same municipality "
                  "under today's practice (boligsim report FILE.toml --against-baseline).",
        "interval": "between {lo} and {hi}",
        "more_money": "between {lo} and {hi} million NOK more than in {ref}",
        "less_money": "between {lo} and {hi} million NOK less than in {ref}",
        "mixed_money": "between {lo} million NOK less and {hi} million NOK more than in "
                       "{ref} – no clear difference",
        "cell": "{mean} ({lo} to {hi})",
        "col_measure": "Measure",
        "worlds_clause": " (same direction in {holds} of {count} plausible worlds)",
        "worlds_cell": "same direction in {holds} of {count} worlds",
        "worlds_head": "How sure are the differences?",
        "worlds_intro": "The model rests on assumed effects and fitted rates that no source "
                        "gives exactly. Every model was therefore also run in {count} "
                        "plausible worlds, each drawing every assumed and fitted quantity "
                        "within what is plausible. “Same direction in 92 of 100” means the "
                        "difference points the same way in 92 of them.",
        "worlds_few": "Only {worlds} plausible worlds: the shares are rough, and what a "
                      "difference seems to depend on may be chance. Use at least {least} for "
                      "an answer to show.",
        "worlds_robust": "Every difference above points the same way in at least {share} of "
                         "the plausible worlds.",
        "turns_everywhere": "{scen} – {measure}: same direction in {holds} of {count} worlds; "
                            "in all the others it points the other way, so its direction "
                            "rests on no one assumption but on the model as a whole.",
        "hangs_on_nothing": "{scen} – {measure}: same direction in {holds} of {count} worlds; "
                            "no single assumption explains when it turns.",
        "hangs_on": "{scen} – {measure}: same direction in {holds} of {count} worlds; it "
                    "depends most on {params}.",
        "fails_where": "{scen} – {measure}: same direction in {holds} of {count} worlds; it "
                       "turns mostly where {conditions}.",
        "condition": "{name} is {where} (the worlds drew it from {low} to {high})",
        "cond_below": "below {x}",
        "cond_above": "above {x}",
        "cond_between": "between {low} and {high}",
        "u_1/month": "{x} a month",
        "u_1/year": "{x} a year",
        "u_months": "{x} months",
        "u_NOK": "NOK {x}",
        "u_NOK/month": "NOK {x} a month",
        "per_1000_title": ", per 1,000 inhabitants",
        "per_1000_note": "Counts and money are per 1,000 inhabitants of each municipality, so "
                         "municipalities of different sizes can stand side by side.",
        "per_1000_unit": " per 1,000 inhabitants",
        "m_own_home": "Families into their own home (total)",
        "m_entered_work": "Times a family found a job (total)",
        "m_in_work_end": "Families in work at the end",
        "m_sa_total": "Social assistance in all (million NOK)",
        "m_children_end": "Children in municipal housing at the end",
        "m_homeless_end": "Homeless families at the end",
        "m_children_homeless_end": "Children in homeless families at the end",
        "m_child_years_insecure": "Child-years homeless or under notice to move (total)",
        "m_child_moves": "Children's moves within the municipality (total)",
        "m_evictions": "Evictions (total)",
        "m_cost": "Municipality's net cost (million NOK, total)",
        "diff_prefix": "difference",
        "f_tenure": "Families by tenure over time (mean over runs)",
        "f_children": "Children in municipal housing",
        "f_homeless": "Homelessness",
        "f_own_work": "Ownership and work",
        "f_startloans": "Start loans, and the share to families with children",
        "f_evictions": "Evictions and forced sales",
        "band_note": "Line: mean; shading: 95 % interval. Dotted vertical line: a new phase "
                     "of the municipality's practice begins. Bars: difference against {ref} "
                     "with 95 % interval.",
        "diff_axis": "difference against {ref} ({unit}, {when})",
        "at_end": "at the end",
        "over_run": "over the run",
        "year_axis": "year",
        "stories": "Family stories",
        "stories_intro": "Examples of housing careers from one run of “{scen}”. The families "
                         "were chosen because their path is typical of a pattern; they are "
                         "simulated, not real families.",
        "story_tenure": "Tenure",
        "story_work": "In work",
        "story_loan": "Loan (NOK)",
        "yes": "yes",
        "no": "no",
        "p_municipal_to_owner": "From municipal rental to ownership",
        "p_homeless_to_private": "From homelessness to private rental",
        "p_stays_municipal": "Stays in municipal housing",
        "p_lost_home": "Loses the home",
        "p_into_work": "Into work",
        "p_forced_sale": "Has to sell the home",
        "p_steady": "A steady home",
        "single": "A single parent",
        "single_nochild": "A single adult",
        "couple": "A couple",
        "with": "with",
        "children_n": "{n} children",
        "one_child": "one child",
        "refugee": "a refugee background",
        "lived_at_start": "{tenure} at the start",
        "arrived": "came to the municipality in {date} and {tenure}",
        "sold": "had to sell the home and {what}",
        "moved_out": "had to move out and became homeless",
        "moved_event": "{what} in {date}",
        "got_job": "found a job in {date}",
        "lost_job": "lost the job in {date}",
        "evicted": "was evicted for rent arrears and became homeless in {date}",
        "left": "moved away from the municipality in {date}",
        "stayed": "stayed there throughout",
        "rooms_n": "{n} rooms",
        "crowded": "crowded",
        "moved_home": "moved to another privately rented home",
        "moves_total": "moved {n} times in all",
        "stayed_homeless": "remained homeless throughout",
        "assumptions": "Assumptions, uncertainty and what the model cannot measure",
        "a_lengths": "Note: the scenarios cover different periods ({detail}). The "
                     "differences compare each scenario's own period; use --years for equal "
                     "lengths.",
        "a_params": "The model has {total} parameters. {policy} are policy choices the "
                    "municipality makes. {context} are context taken from public sources "
                    "(Røe 2018, Statistics Norway, Husbanken). {calibrated} are behavioural "
                    "rates nobody has measured, calibrated against observed facts. "
                    "{assumption} are assumptions we chose and say so; changing them may "
                    "change the numbers.",
        "a_cannot": "The model cannot measure everything that matters:",
        "a_cannot_items": "the quality of dwellings and neighbourhoods beyond their rooms and "
                          "a rough standard (good or poor), and how safe they are for "
                          "children|children's well-being, schooling and leisure|trust "
                          "between families and the services, and the know-how staff build "
                          "up|the value of a stable home beyond having one|discrimination in "
                          "the rental market, included only as an average",
        "a_model": "Families, dwellings and the municipality's services are simplified. The "
                   "results show the direction and size of differences between practices in "
                   "the same municipality, not forecasts for a particular municipality.",
        "a_provenance": "Provenance: boligsim {version}, git {commit}; scenarios: "
                        "{scenarios}.",
        "guideline": "Husbanken's guideline: 50 %",
    },
}


#: Plain words for the parameters a conclusion may hang on (``report --worlds``); any other is
#: named by its dotted path.
PARAMETER_WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "stock.initial_occupancy": "hvor mange av de kommunale boligene som er i bruk ved start",
        "stock.owned_cost": "hva det koster kommunen å eie en kommunal bolig",
        "stock.sublet_admin_cost": "hva det koster kommunen å administrere en bolig den framleier",
        "stock.poor_share": "hvor mange kommunale boliger som har dårlig standard",
        "stock.initial_clustering": "hvor samlet de kommunale boligene ligger i ett nabolag",
        "dwellings.crowding_tolerance": "hvor trangt en familie som må flytte, godtar å bo",
        "dwellings.crowded_search_rate": "hvor ofte familier som bor trangt, leter etter en "
                                         "større bolig",
        "dwellings.zone_rent_spread": "hvor mye husleien skiller mellom nabolagene",
        "population.share_single_parent": "hvor mange familier som er enslige forsørgere",
        "population.share_couple_children": "hvor mange familier som er par med barn",
        "population.share_couple_no_children": "hvor mange familier som er par uten barn",
        "population.mean_children": "hvor mange barn familiene har",
        "population.refugee_extra_children": "hvor mange flere barn flyktningfamilier har",
        "population.share_refugee": "hvor mange familier som har flyktningbakgrunn ved start",
        "population.share_need_moderate": "hvor mange familier som trenger noe hjelp med helse, "
                                          "rus eller økonomi",
        "population.share_need_extensive": "hvor mange familier som trenger omfattende hjelp og "
                                           "tjenester",
        "population.share_employed": "hvor mange familier som er i arbeid ved start",
        "population.share_second_earner": "hvor mange par i arbeid som har to inntekter",
        "population.share_disability": "hvor mange familier som har uføretrygd",
        "population.share_debt": "hvor mange familier som har forbruksgjeld ved start",
        "population.mean_debt": "hvor mye forbruksgjeld familier med gjeld har",
        "population.share_remarks": "hvor mange familier som har betalingsanmerkninger ved start",
        "population.mean_savings": "hvor mye familiene har spart ved start",
        "population.share_homeless": "hvor mange familier som er bostedsløse ved start",
        "population.municipal_children_share": "hvor mange av leietakerne i kommunal bolig som er "
                                               "barnefamilier ved start",
        "population.mean_months_municipal": "hvor lenge leietakerne har bodd i kommunal bolig ved "
                                            "start",
        "demography.birth_rate": "hvor mange barn som blir født",
        "demography.separation_rate": "hvor ofte par går fra hverandre",
        "demography.repartner_rate": "hvor ofte enslige voksne får ny partner",
        "demography.outmigration_rate": "hvor mange familier som flytter ut",
        "demography.owner_outmigration_rate": "hvor ofte familier som kom som boligeiere, flytter "
                                              "ut",
        "demography.refugee_outmigration_extra": "hvor mange flere flyktningfamilier som flytter "
                                                 "ut de første årene",
        "demography.local_inflow_per_10k": "hvor mange nye familier som kommer til",
        "demography.single_inflow_per_10k": "hvor mange enslige som trenger bolig etter "
                                            "institusjon, behandling eller fengsel",
        "demography.client_departure_rate": "hvor ofte de enslige med hjelpebehov flytter ut av "
                                            "kommunens boliger (institusjon, behandling, død)",
        "demography.single_extensive_share": "hvor mange av de enslige boligsøkerne som trenger "
                                             "omfattende hjelp",
        "demography.inflow_owner_share": "hvor mange nye familier som er boligeiere med for tungt "
                                         "boliglån",
        "demography.inflow_homeless_share": "hvor mange nye familier som er bostedsløse når de "
                                            "kommer",
        "work.job_finding_rate": "hvor raskt familier uten arbeid får jobb",
        "work.job_loss_rate": "hvor ofte familier i arbeid mister jobben",
        "work.permanent_share": "hvor mange nye jobber som er faste",
        "work.permanent_conversion": "hvor raskt midlertidige jobber blir faste",
        "work.refugee_factor": "hvor raskt flyktningfamilier får jobb",
        "work.need_factor_moderate": "hvor raskt familier som trenger noe hjelp, får jobb",
        "work.need_factor_extensive": "hvor raskt familier som trenger omfattende hjelp, får jobb",
        "work.wage": "hvor høy lønnen er",
        "work.wage_sd": "hvor mye lønnen varierer",
        "work.tax_rate": "hvor mye skatt familiene betaler",
        "work.disability_pension": "hvor stor uføretrygden er",
        "economy.equivalence_second_adult": "hvor mye en voksen til øker levekostnadene",
        "economy.equivalence_child": "hvor mye et barn øker levekostnadene",
        "economy.spending_position": "hvor mye familiene bruker til livsopphold",
        "economy.refugee_spending_position": "hvor mye flyktningfamilier bruker til livsopphold",
        "economy.sa_takeup": "hvor mange familier med rett til sosialhjelp som søker",
        "economy.sa_housing_norm_share": "hvor store boutgifter sosialhjelpen dekker",
        "economy.savings_buffer": "hvor mye sparepenger en familie kan ha og likevel få "
                                  "sosialhjelp",
        "economy.saving_share": "hvor stor del av overskuddet familiene sparer",
        "economy.payment_failure_rate": "hvor ofte familier ikke klarer å betale",
        "economy.debt_rate": "renten på forbruksgjeld",
        "economy.debt_min_payment": "hvor mye familiene må betale på forbruksgjelden hver måned",
        "economy.remark_after_missed": "hvor raskt manglende betaling gir betalingsanmerkning",
        "economy.remark_clear_months": "hvor lenge betalingsanmerkninger blir stående etter at "
                                       "gjelden er betalt",
        "economy.counselling_months": "hvor lang tid gjeldsrådgivning tar",
        "economy.counselling_success": "hvor ofte gjeldsrådgivning løser gjeldsproblemet",
        "economy.counselling_referral": "hvor ofte familier med gjeld og uten oppfølging får "
                                        "gjeldsrådgivning",
        "economy.owner_costs": "hva det koster å eie bolig utenom lånet",
        "economy.bostotte_own_rate": "hvor mye bostøtte familiene får ut fra inntekten",
        "economy.temporary_cost": "hva midlertidig bolig koster kommunen",
        "economy.temporary_share": "hvor mange bostedsløse familier kommunen betaler midlertidig "
                                   "bolig for",
        "market.price_per_person": "hvor mye dyrere en større bolig er",
        "market.price_growth": "hvor raskt boligprisene stiger",
        "market.price_volatility": "hvor mye boligprisene svinger",
        "market.rent_growth": "hvor raskt husleiene stiger",
        "market.rent_volatility": "hvor mye husleiene svinger",
        "market.rent_dispersion": "hvor mye husleien varierer mellom ledige boliger",
        "market.search_success": "hvor lett det er å finne en privat utleier",
        "market.discrimination_refugee": "hvor ofte utleiere avviser flyktningfamilier",
        "market.discrimination_nav": "hvor ofte utleiere avviser familier som mottar ytelser fra "
                                     "Nav",
        "ownership.forced_sale_months": "hvor mange måneder et tvangssalg tar",
        "market.discrimination_needs": "hvor ofte utleiere avviser søkere med rusproblemer eller "
                                       "psykiske helseproblemer",
        "market.max_rent_share": "hvor stor del av inntekten familiene kan betale i husleie",
        "market.apply_rate": "hvor ofte familier uten arbeid som leier privat, søker kommunal "
                             "bolig",
        "market.lease_end_rate": "hvor ofte private utleiere sier opp leieforholdet",
        "market.forced_sale_discount": "hvor mye under verdi en bolig selges ved tvangssalg",
        "market.sale_costs": "hva et tvangssalg koster",
        "market.rate_shift": "hvor mye høyere eller lavere rentene er",
        "market.bank_rate": "renten på banklån",
        "ownership.consider_rate": "hvor ofte familier prøver å kjøpe på egen hånd",
        "ownership.purchase_success": "hvor lett det er å finne en bolig å kjøpe",
        "ownership.interest_only_months": "hvor lang avdragsfrihet eiere med startlån får ved "
                                          "restanser",
        "ownership.bank_forbearance_months": "hvor lang avdragsfrihet banken gir eiere som "
                                             "midlertidig har mistet inntekt",
        "ownership.default_after": "hvor lenge en eier kan ligge etter med lånet før tvangssalg",
        "tenancy.private_rent_premium": "hvor mye mer i husleie utleiere krever av "
                                        "vanskeligstilte familier",
        "policy.startloan.fixed_premium": "hvor mye dyrere fast rente på startlån er",
        "policy.startloan.stress_add": "hvor stor renteøkning en familie må tåle for å få "
                                       "startlån",
        "policy.startloan.reapply_months": "hvor lenge en familie som fikk avslag på startlån, må "
                                           "vente før den søker igjen",
        "policy.startloan.outreach_factor": "hvor mye oppsøkende arbeid får leietakere til å "
                                            "prøve å kjøpe",
        "policy.rotation.exit_grace_months": "hvor lang tid en leietaker som må flytte, får til å "
                                             "finne ny bolig",
        "policy.allocation.procurer_effect": "hvor mye hjelp til å finne en utleier betyr",
        "policy.allocation.colocated_factor": "hvor mye færre restanser et samlet boligkontor gir",
        "policy.allocation.colocated_move_on": "hvor mye et samlet boligkontor hjelper leietakere "
                                               "videre",
        "policy.followup.caseload": "hvor mange familier én saksbehandler kan følge opp",
        "policy.followup.cost_per_worker": "hva en saksbehandler koster",
        "policy.followup.effect_arrears": "hvor mye oppfølging reduserer restanser",
        "policy.followup.effect_plan": "virkningen av familieplanen",
        "policy.followup.effect_job": "hvor mye oppfølging hjelper familier i arbeid",
        "policy.followup.effect_counselling": "hvor ofte oppfølging får familier med gjeld til "
                                              "gjeldsrådgivning",
        "policy.followup.effect_readiness": "hvor mye boligkarriereplanen gjør leietakere klare "
                                            "til å kjøpe",
        "policy.followup.effect_eviction": "hvor mye oppfølging hindrer utkastelser",
        "policy.followup.effect_search": "hvor mye saksbehandlerens hjelp betyr for å finne bolig",
        "policy.followup.network_effect": "virkningen av det tverretatlige nettverket",
        "policy.work.measure_effect": "virkningen av arbeidsrettede tiltak",
        "policy.work.measure_months": "hvor lenge arbeidsrettede tiltak varer",
    },
    "en": {
        "stock.initial_occupancy": "how many municipal dwellings are occupied at the start",
        "stock.owned_cost": "what owning a municipal dwelling costs the municipality",
        "stock.sublet_admin_cost": "what administering a sublet dwelling costs the municipality",
        "stock.poor_share": "how many municipal dwellings are of poor standard",
        "stock.initial_clustering": "how much the municipal dwellings are gathered in one "
                                    "neighbourhood",
        "dwellings.crowding_tolerance": "how crowded a family that must move accepts to live",
        "dwellings.crowded_search_rate": "how often crowded families look for a larger home",
        "dwellings.zone_rent_spread": "how much rents differ between neighbourhoods",
        "population.share_single_parent": "how many families are single parents",
        "population.share_couple_children": "how many families are couples with children",
        "population.share_couple_no_children": "how many families are couples without children",
        "population.mean_children": "how many children families have",
        "population.refugee_extra_children": "how many more children refugee families have",
        "population.share_refugee": "how many families have a refugee background at the start",
        "population.share_need_moderate": "how many families need some help with health, "
                                          "substance use or money",
        "population.share_need_extensive": "how many families need extensive help and services",
        "population.share_employed": "how many families are in work at the start",
        "population.share_second_earner": "how many working couples have two earners",
        "population.share_disability": "how many families have a disability pension",
        "population.share_debt": "how many families have consumer debt at the start",
        "population.mean_debt": "how much consumer debt indebted families have",
        "population.share_remarks": "how many families have payment remarks at the start",
        "population.mean_savings": "how much families have saved at the start",
        "population.share_homeless": "how many families are homeless at the start",
        "population.municipal_children_share": "how many municipal tenants are families with "
                                               "children at the start",
        "population.mean_months_municipal": "how long tenants have lived in municipal housing at "
                                            "the start",
        "demography.birth_rate": "how many children are born",
        "demography.separation_rate": "how often couples separate",
        "demography.repartner_rate": "how often single adults find a new partner",
        "demography.outmigration_rate": "how many families move away",
        "demography.owner_outmigration_rate": "how often families that came as homeowners move "
                                              "away",
        "demography.refugee_outmigration_extra": "how many more refugee families move away in "
                                                 "their first years",
        "demography.local_inflow_per_10k": "how many new families arrive",
        "demography.single_inflow_per_10k": "how many single adults need a home after an "
                                            "institution, treatment or prison",
        "demography.client_departure_rate": "how often the single adults with service needs "
                                            "leave (care, treatment, prison, death)",
        "demography.single_extensive_share": "how many of the single adults seeking a home need "
                                             "extensive help",
        "demography.inflow_owner_share": "how many new families are homeowners with too heavy a "
                                         "mortgage",
        "demography.inflow_homeless_share": "how many new families arrive homeless",
        "work.job_finding_rate": "how fast families without work find a job",
        "work.job_loss_rate": "how often families in work lose their job",
        "work.permanent_share": "how many new jobs are permanent",
        "work.permanent_conversion": "how fast temporary jobs become permanent",
        "work.refugee_factor": "how fast refugee families find a job",
        "work.need_factor_moderate": "how fast families needing some help find a job",
        "work.need_factor_extensive": "how fast families needing extensive help find a job",
        "work.wage": "how high wages are",
        "work.wage_sd": "how much wages vary",
        "work.tax_rate": "how much tax families pay",
        "work.disability_pension": "how large the disability pension is",
        "economy.equivalence_second_adult": "how much a second adult adds to living costs",
        "economy.equivalence_child": "how much a child adds to living costs",
        "economy.spending_position": "how much families spend on everyday living",
        "economy.refugee_spending_position": "how much refugee families spend on everyday living",
        "economy.sa_takeup": "how many families entitled to social assistance claim it",
        "economy.sa_housing_norm_share": "how high housing costs social assistance covers",
        "economy.savings_buffer": "how much savings a family may keep and still get social "
                                  "assistance",
        "economy.saving_share": "how much of their surplus families save",
        "economy.payment_failure_rate": "how often families fail to pay",
        "economy.debt_rate": "the interest rate on consumer debt",
        "economy.debt_min_payment": "how much families must pay on their consumer debt each month",
        "economy.remark_after_missed": "how soon missed payments lead to a payment remark",
        "economy.remark_clear_months": "how long payment remarks stay after the debts are paid",
        "economy.counselling_months": "how long debt counselling takes",
        "economy.counselling_success": "how often debt counselling settles the debt",
        "economy.counselling_referral": "how often indebted families without follow-up get debt "
                                        "counselling",
        "economy.owner_costs": "what owning a home costs besides the loan",
        "economy.bostotte_own_rate": "how much housing allowance families get for their income",
        "economy.temporary_cost": "what temporary accommodation costs the municipality",
        "economy.temporary_share": "how many homeless families the municipality pays temporary "
                                   "accommodation for",
        "market.price_per_person": "how much more a larger home costs",
        "market.price_growth": "how fast house prices rise",
        "market.price_volatility": "how much house prices swing",
        "market.rent_growth": "how fast rents rise",
        "market.rent_volatility": "how much rents swing",
        "market.rent_dispersion": "how much rents vary between homes to let",
        "market.search_success": "how easily a family finds a private landlord",
        "market.discrimination_refugee": "how often landlords turn refugee families away",
        "market.discrimination_nav": "how often landlords turn away families on NAV benefits",
        "ownership.forced_sale_months": "how many months a forced sale takes",
        "market.discrimination_needs": "how often landlords turn away applicants with "
                                       "substance-use or mental-health problems",
        "market.max_rent_share": "how much of their income families can pay in rent",
        "market.apply_rate": "how often private renters without work apply for municipal housing",
        "market.lease_end_rate": "how often private landlords end a lease",
        "market.forced_sale_discount": "how far below its value a home sells in a forced sale",
        "market.sale_costs": "what a forced sale costs",
        "market.rate_shift": "how much higher or lower interest rates are",
        "market.bank_rate": "the interest rate on bank mortgages",
        "ownership.consider_rate": "how often families try to buy on their own",
        "ownership.purchase_success": "how easily a family finds a home to buy",
        "ownership.interest_only_months": "how long start-loan owners in arrears may pay interest "
                                          "only",
        "ownership.bank_forbearance_months": "how long a bank lets owners who lost income for a "
                                             "time pay interest only",
        "ownership.default_after": "how long an owner can be behind on the loan before a forced "
                                   "sale",
        "tenancy.private_rent_premium": "how much extra rent landlords charge disadvantaged "
                                        "families",
        "policy.startloan.fixed_premium": "how much more a fixed start-loan rate costs",
        "policy.startloan.stress_add": "how large a rate rise a family must bear to get a start "
                                       "loan",
        "policy.startloan.reapply_months": "how long a family refused a start loan waits before "
                                           "applying again",
        "policy.startloan.outreach_factor": "how much outreach makes tenants try to buy",
        "policy.rotation.exit_grace_months": "how long a tenant who must move has to find a new "
                                             "home",
        "policy.allocation.procurer_effect": "how much help to find a landlord matters",
        "policy.allocation.colocated_factor": "how much an office that allocates and follows up "
                                              "cuts arrears",
        "policy.allocation.colocated_move_on": "how much an office that allocates and follows up "
                                               "moves tenants on",
        "policy.followup.caseload": "how many families one caseworker can follow up",
        "policy.followup.cost_per_worker": "what a caseworker costs",
        "policy.followup.effect_arrears": "how much follow-up cuts arrears",
        "policy.followup.effect_plan": "the effect of the family plan",
        "policy.followup.effect_job": "how much follow-up helps families into work",
        "policy.followup.effect_counselling": "how often follow-up brings indebted families to "
                                              "debt counselling",
        "policy.followup.effect_readiness": "how much the housing-career plan readies tenants to "
                                            "buy",
        "policy.followup.effect_eviction": "how much follow-up prevents evictions",
        "policy.followup.effect_search": "how much a caseworker's help matters in finding a home",
        "policy.followup.network_effect": "the effect of the cross-agency network",
        "policy.work.measure_effect": "the effect of employment measures",
        "policy.work.measure_months": "how long employment measures last",
    },
}


def parameter_words(lang: str, path: str) -> str:
    """A parameter in plain words (:data:`PARAMETER_WORDS`), else its dotted path."""
    return PARAMETER_WORDS[check_lang(lang)].get(path, path)


def condition_words(lang: str, condition: Condition, unit: str) -> str:
    """Where a conclusion fails mostly, in words: "how fast families without work find a job
    is below 2.05 % a month (the worlds drew it from 1.01 % a month to 4.99 % a month)"; a
    parameter without a range (PRIM found no box, :func:`sim.analysis.discovery.hangs_on`) is
    named alone.

    Args:
        lang: ``nb`` or ``en``.
        condition: the parameter, its range where the conclusion fails, the range drawn.
        unit: the parameter's unit in the registry (shares are written as percentages,
            rates per month or year as percentages with their period, multipliers as ``×1.4``,
            months and NOK with their unit).
    """
    name = parameter_words(lang, condition.parameter)
    lo, hi = condition.low, condition.high
    if lo is None and hi is None:
        return name
    if name != condition.parameter:
        name = ("«" + name + "»") if lang == "nb" else ("“" + name + "”")

    def value(x: float) -> str:
        return _value_words(lang, x, unit)

    if lo is None:
        where = t(lang, "cond_below", x=value(hi))  # type: ignore[arg-type]
    elif hi is None:
        where = t(lang, "cond_above", x=value(lo))
    else:
        where = t(lang, "cond_between", low=value(lo), high=value(hi))
    a, b = condition.drawn
    return t(lang, "condition", name=name, where=where, low=value(a), high=value(b))


def _value_words(lang: str, x: float, unit: str) -> str:
    """A parameter's value with its unit, to three significant digits; shares and rates as
    percentages."""
    if unit.startswith("share") or unit in ("1/month", "1/year"):  # a chance as a percentage
        pct = 100 * x
        number = fmt(pct, lang, _decimals(pct)) + NBSP + "%"
        if unit.startswith("share"):
            return number
    elif unit == "multiplier":
        return "×" + fmt(x, lang, _decimals(x))
    else:
        number = fmt(x, lang, _decimals(x))
    key = "u_" + unit
    return t(lang, key, x=number) if key in TEXT[lang] else number


def _decimals(x: float) -> int:
    """Decimals for three significant digits (none from 100 on)."""
    size = abs(x)
    if size >= 100 or size == 0:
        return 0
    return max(0, 2 - int(math.floor(math.log10(size))))


def t(lang: str, key: str, **fields: Any) -> str:
    """The text ``key`` in ``lang`` with ``fields`` filled in."""
    return TEXT[check_lang(lang)][key].format(**fields)

