"""What the report's tests share: the scenarios and tiny run options they use, and a reader
of the HTML report's table cells and images."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = [ROOT / "scenarios" / "baseline.toml", ROOT / "scenarios" / "verdal.toml"]
#: Two years, three replications: a report in seconds.
TINY = ["--years", "2", "--replications", "3", "--seed", "5", "--quiet"]


class HtmlCells(HTMLParser):
    """The headline table's cells (their data attributes and text) and all images of a page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.images: list[str] = []
        self._cell: dict[str, str] | None = None
        self._span: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "td" and "data-measure" in a:
            self._cell = {**a, "level": "", "diff": ""}
        elif tag == "span" and self._cell is not None:
            self._span = a.get("class")
        elif tag == "img":
            self.images.append(a.get("src", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None
        elif tag == "span":
            self._span = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and self._span in ("level", "diff"):
            self._cell[self._span] += data
