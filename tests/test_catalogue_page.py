"""docs/catalogue.md is generated from the catalogue, the conformance check and the readings."""

from __future__ import annotations

from asb_case_review.catalogue import AREAS
from asb_case_review.conformance import Finding

from .catalogue_page import PAGE, page


def test_the_catalogue_page_is_the_generated_one(catalogue_findings: dict[str, tuple[Finding, ...]]) -> None:
    """The page lists every area with its threshold, findings and source, and the coverage, as generated."""
    generated = page(catalogue_findings)
    assert PAGE.read_text(encoding="utf-8") == generated, "run `python tests/catalogue_page.py`"


def test_the_page_names_every_area_once(catalogue_findings: dict[str, tuple[Finding, ...]]) -> None:
    """Each built-in area but the statute has one row in the areas table."""
    rows = [line for line in page(catalogue_findings).splitlines() if line.startswith("| `")]
    areas = [line.split("|")[1].strip().strip("`") for line in rows]
    assert sorted(areas) == sorted(name for name in AREAS if name != "statutory")
