"""The catalogue's readings of 2026-11-26 (research/catalogue/review-fourth-pass.toml), end to end.

Each test holds one reading of a stored page as the user meets it: the letter's appeal route, the
rules an area's policy has, a timescale kept out of a field that would misstate it.
"""

from __future__ import annotations

import contextlib
import io
import tomllib
from pathlib import Path

import pytest

from asb_case_review.catalogue import AREAS
from asb_case_review.cli import main
from asb_case_review.policy import Timescales

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "not-met-window-edge.json"
RESEARCH = ROOT / "research" / "catalogue"
APPLY = "https://www.staffordshire.police.uk/article/4547/How-to-Apply-for-an-ASB-Community-Trigger"


def letter(policy: str) -> str:
    """The not-met letter (text) for the example application under *policy*, on one line."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(EXAMPLE), "--policy", policy, "--letter", "text"])
    assert code == 1, out.getvalue()
    return " ".join(out.getvalue().split())


@pytest.mark.parametrize("policy", ["staffordshire-police", "stoke-on-trent", "newcastle-under-lyme"])
def test_the_staffordshire_letters_give_the_forces_appeal_route(policy: str) -> None:
    """The force's route (its 'How to Apply' page) reaches the letter of the force and of the councils
    that apply its scheme, cited; the page's time limit is cut, so no date to appeal by is given."""
    text = letter(policy)
    assert (
        "The area's procedures say: \"Appeals against a decision made by a partnership in respect of "
        "'threshold' or 'recommendations' should be forwarded to that partnership direct\" "
        "(Staffordshire Police, 'How to Apply for an ASB Community Trigger')." in text
    )
    appeal = AREAS[policy].latest.appeal
    assert appeal is not None
    assert appeal.source is not None
    assert appeal.source.url == APPLY
    assert AREAS[policy].latest.timescales.appeal is None


def test_pendle_holds_the_two_limbs_of_its_stored_page() -> None:
    """Pendle's page and form, as stored, give the victim's three complaints and one hate incident:
    no five-people limb, which no stored page of Pendle's states."""
    policy = AREAS["pendle"].latest
    assert policy.mandatory.id == "personal"
    assert [rule.id for rule in policy.local] == ["hate"]
    assert policy.source is not None
    assert policy.source.url == "http://www.pendle.gov.uk/info/20031/community_safety/62/community_trigger"
    assert policy.appeal is None


def test_gosports_review_meeting_is_a_note_not_a_timescale() -> None:
    """Gosport's "case review meeting ... within 20 working days" of the threshold being met is in the
    notes; the timescales keep the acknowledgement (10) and the decision (10 + 15), and no appeal limit."""
    policy = AREAS["gosport"].latest
    assert policy.timescales == Timescales(acknowledge=10, decide=25)
    assert policy.notes is not None
    assert "a case review meeting will take place within 20 working days" in policy.notes


def test_the_fourth_pass_records_each_file_it_changed() -> None:
    """Every catalogue file this pass changed is in its review record, read against its page."""
    review = tomllib.loads((RESEARCH / "review-fourth-pass.toml").read_text(encoding="utf-8"))
    files = {entry["id"]: entry for entry in review["file"]}
    assert {"pendle", "staffordshire-police", "south-wales", "gosport"} <= set(files)
    assert all(entry["page_read"] for entry in files.values())
    assert files["pendle"]["changed"]
    assert files["staffordshire-police"]["changed"]
