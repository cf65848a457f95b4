"""docs/catalogue.md is generated from the catalogue, the conformance check and the readings."""

from __future__ import annotations

import re

from asb_case_review.catalogue import AREAS
from asb_case_review.conformance import Finding

from .catalogue_page import PAGE, coverage, page


def test_the_catalogue_page_is_the_generated_one(catalogue_findings: dict[str, tuple[Finding, ...]]) -> None:
    """The page lists every area with its threshold, findings and source, and the coverage, as generated."""
    generated = page(catalogue_findings)
    assert PAGE.read_text(encoding="utf-8") == generated, "run `python tests/catalogue_page.py`"


def test_the_page_names_every_area_once(catalogue_findings: dict[str, tuple[Finding, ...]]) -> None:
    """Each built-in area but the statute has one row in the areas table."""
    rows = [line for line in page(catalogue_findings).splitlines() if line.startswith("| `")]
    areas = [line.split("|")[1].strip().strip("`") for line in rows]
    assert sorted(areas) == sorted(name for name in AREAS if name != "statutory")


def coverage_rows() -> list[list[str]]:
    """The cells of each row of the page's coverage table, as the page shows them."""
    text = PAGE.read_text(encoding="utf-8")
    table = text[text.index("| area searched |") :].splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in table if line.startswith("|")]


def test_every_catalogue_area_is_in_the_coverage_table() -> None:
    """Each built-in area but the statute is named in the coverage table, so none is listed as not found."""
    named = {
        match.group(1)
        for row in coverage_rows()
        if (match := re.match(r"`([a-z0-9-]+)`", row[3])) is not None
    }
    assert named == set(AREAS) - {"statutory"}


def test_the_coverage_table_agrees_with_the_catalogue() -> None:
    """A row names an area the catalogue holds (and the scheme it applies), or says it was not added."""
    rows = coverage_rows()
    assert len(rows) == len(coverage())
    for name, _, found, cell, _ in rows:
        match = re.fullmatch(r"`([a-z0-9-]+)`(?: \(applies `([a-z0-9-]+)`\))?", cell)
        if match is None:
            # A threshold read but not encoded says so; an area not found has nothing in the catalogue.
            assert cell == ("not added" if found == "yes" else "—"), name
            continue
        area, scheme = match.groups()
        assert area in AREAS, name
        assert AREAS[area].latest.scheme == scheme, name


def test_every_area_left_out_says_why() -> None:
    """A row whose threshold was read but is not in the catalogue gives the reason, in its note or
    from a review's not_added record, as the page promises; so does a row not found."""
    for name, _, found, cell, note in coverage_rows():
        if cell == "not added" or found == "no":
            assert note != "—", name
