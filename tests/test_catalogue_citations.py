"""Every citation in the built-in catalogue reads cleanly: brackets balanced, none doubled."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from asb_case_review.catalogue import AREAS
from asb_case_review.cli import main
from asb_case_review.rules import Source

EXAMPLE = Path(__file__).parent.parent / "examples" / "not-met-window-edge.json"
DOUBLED = re.compile(r"\(\(|\)\)|\[\[|\]\]")
SUBSECTION = re.compile(r"(?<=\d)\(\d+[A-Za-z]?\)")


def sources(value: object) -> Iterator[Source]:
    """Every Source held anywhere in *value* (a policy, its rules, its appeal), by walking its attributes."""
    if isinstance(value, Source):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            yield from sources(getattr(value, field.name))
    elif isinstance(value, tuple | list | frozenset):
        for item in value:
            yield from sources(item)


def balanced(text: str) -> bool:
    for opening, closing in (("(", ")"), ("[", "]"), ("<", ">")):
        depth = 0
        for char in text:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                return False
        if depth:
            return False
    return True


CITED = sorted(
    {
        (name, source)
        for name, area in AREAS.items()
        for version in area.versions
        for source in sources(version)
    },
    key=lambda pair: (pair[0], pair[1].cite()),
)


@pytest.mark.parametrize("name", sorted(AREAS))
def test_every_area_cites_something(name: str) -> None:
    """The walk finds each area's sources, so the checks below look at every citation."""
    assert any(area == name for area, _ in CITED)


@pytest.mark.parametrize(("name", "source"), CITED, ids=[f"{n}:{s.title[:40]}" for n, s in CITED])
def test_no_citation_has_unbalanced_or_doubled_brackets(name: str, source: Source) -> None:
    """A citation, and the letter's citation in brackets, has balanced brackets and none doubled.

    A statute's subsection, as in ``s.104(4)``, is the law's own numbering, not a doubled bracket.
    """
    in_letter = source.title if source.section is None else f"{source.title}, {source.section}"
    for text in (source.cite(), f"({in_letter})"):
        assert balanced(text), f"{name}: unbalanced brackets in {text!r}"
        assert not DOUBLED.search(SUBSECTION.sub("", text)), f"{name}: doubled bracket in {text!r}"


def test_westminster_letter_cites_its_appeal_page_with_single_brackets() -> None:
    """The not-met letter under Westminster cites the page with its appeal route without '))'."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(EXAMPLE), "--policy", "westminster", "--letter", "text"])
    assert code == 1, out.getvalue()
    letter = out.getvalue().replace("\n", " ")
    assert re.search(r"\(Westminster City Council, 'ASB case review', the earlier page[^)]*\)\.", letter)
