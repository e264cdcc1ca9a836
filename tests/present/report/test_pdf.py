"""Tests of the PDF report (sim/present/report/pdf.py): a page per part, titled."""

from __future__ import annotations

import re
from pathlib import Path

from sim.present.report import Report
from sim.present.report.pdf import write_pdf


def test_pdf_has_a_page_per_part(nb_report: Report, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    titles = write_pdf(nb_report, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages == len(titles)
    for title in ("Hovedtall per scenario", "Familier etter boform over tid", "Barn i kommunal "
                  "bolig", "Bostedsløshet", "Eierskap og arbeid", "Startlån, og andelen til "
                  "barnefamilier", "Utkastelser og tvangssalg", "Sosialhjelp og kommunens "
                  "nettokostnad"):
        assert sum(t.startswith(title) for t in titles) == 1, title
    stories = sum(t in {"Fra kommunal bolig til egen bolig", "Fra bostedsløs til privat leie",
                        "Blir boende i kommunal bolig", "Mister boligen", "Må selge boligen",
                        "Inn i arbeid", "Stabil boform"} for t in titles)
    assert 3 <= stories <= 5
    assert titles[0] == "Boligkarrierer for vanskeligstilte familier"
    assert titles[-1] == "Forutsetninger, usikkerhet og hva modellen ikke kan måle"
    try:
        from pypdf import PdfReader
    except ImportError:  # optional: the regex count above is the test
        return
    assert len(PdfReader(out).pages) == pages
