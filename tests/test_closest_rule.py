"""The applicant's letter quotes the rule closest to being met, and each report's own reason under it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from asb_case_review import CATALOGUE, Application, Decision, evaluate, for_applicant
from asb_case_review._messages import messages
from asb_case_review.catalogue import get_policy
from asb_case_review.dates import months
from asb_case_review.decision import Shortfall
from asb_case_review.parsing import application_from_mapping
from asb_case_review.policy import Policy
from asb_case_review.qualifying import Anchor, Fate, Reason, Selection, Window
from asb_case_review.render import BECAUSE, closeness, long_date
from asb_case_review.rules import count, rule

from .builders import app, rep
from .strategies import applications

EXAMPLES = Path(__file__).parent.parent / "examples"

# Turned away for what the report is, not for when it was made (the docs' definition of closest).
_KIND_REASONS = {
    Reason.UNRELATED,
    Reason.NOT_BY_VICTIM,
    Reason.EXCLUDED_KIND,
    Reason.EXCLUDED_AGENCY,
    Reason.NOT_HATE,
}


def expected_closest(decision: Decision) -> Shortfall:
    """The closest, as the docs define it: first a rule that takes in some report as its kind, then
    one that new reports can still meet, then the fewest new units a new application needs, then the
    policy's order; and
    s.104(4)'s count when the floor is enforced and nothing new can meet the rule so chosen."""
    ranked = [
        (
            bool(s.tally.fates) and all(f.reason in _KIND_REASONS for f in s.tally.fates),
            s.tally.closed is not None,
            s.tally.shortfall if s.tally.new_needed is None else s.tally.new_needed,
            i,
        )
        for i, s in enumerate(decision.shortfalls())
    ]
    closest = decision.shortfalls()[min(ranked)[3]]
    floor_id = decision.floor_rule.id
    if closest.tally.closed is None or any(s.rule == floor_id for s in decision.shortfalls()):
        return closest
    # Nothing reported from now on can meet the policy's closest rule: s.104(4)'s near miss instead.
    (floor,) = [r.tally for r in decision.floor.walk() if r.tally is not None]
    return Shortfall(floor_id, floor)


def _sentences(letter: str) -> list[str]:
    return [s.strip() for s in letter.split(". ") if s.strip()]


def test_hammersmith_quotes_the_personal_rule_and_says_the_reports_were_late() -> None:
    """examples/met-personal-local.json under Hammersmith and Fulham: the personal rule, reports late.

    The hate rule needs only one more incident, but none of the reports was a hate incident; the
    personal rule takes in all three and turns them away only because each was made too late.
    """
    application = application_from_mapping(
        json.loads((EXAMPLES / "met-personal-local.json").read_text(encoding="utf-8"))
    )
    decision = evaluate(application, get_policy("hammersmith-and-fulham"))
    letter = for_applicant(decision)
    personal = decision.find_rule("personal").label
    hate = decision.find_rule("hate").label
    assert f'Under the rule closest to being met, "{personal}"' in letter
    assert hate not in letter
    assert "did not count because they were made too long after the incidents they report." in letter
    assert "hate" not in letter
    by_rule = {s.rule: closeness(s) for s in decision.shortfalls()}
    assert by_rule == {"personal": (False, False, 3), "hate": (True, False, 1)}


@settings(max_examples=80, deadline=None)
@given(application=applications(), name=st.sampled_from(sorted(CATALOGUE)))
def test_the_letter_names_the_closest_rule_and_each_reports_own_reason(
    application: Application, name: str
) -> None:
    """Over generated applications and every built-in policy: the rule named is the closest, and
    every own report that did not count under it is given its own reason under that rule."""
    decision = evaluate(application, CATALOGUE[name])
    if decision.met or not decision.shortfalls():
        return
    closest = expected_closest(decision)
    letter = for_applicant(decision)
    label = decision.find_rule(closest.rule).label
    assert f'Under the rule closest to being met, "{label}"' in letter
    told = application.on_behalf_of in (None, application.applicant) or application.consent is True
    if not told:
        assert "did not count because" not in letter
        return
    made = {r.id: r.made_on for r in application.reports}
    victim = application.victim
    sentences = [s for s in _sentences(letter) if "did not count because" in s]
    for fate in closest.tally.fates:
        if fate.reporter != victim or fate.reason not in BECAUSE:
            continue
        day = long_date(made[fate.report])
        said = [s for s in sentences if re.search(rf"(?<!\d){day}", s.split(" did not count because")[0])]
        assert any(s.split("did not count because ")[1].rstrip(".") in _because(fate) for s in said), (
            fate,
            said,
        )


def _because(fate: Fate) -> tuple[str, str]:
    """The English letter's words for *fate*, for one report and for several: its own sentence
    (``Fate.because``) where its reason alone would not say why, else its reason's."""
    key = fate.because or fate.reason.value
    english = messages("en")
    return english.count(f"because.{key}", 1), english.count(f"because.{key}", 2)


def test_the_rule_quoted_is_the_one_a_new_application_meets_with_fewest_new_reports() -> None:
    """A rule one short in a closed run needs three new reports; one two short that new reports
    can join needs two: the letter quotes the second and asks for two, not three."""
    closed_run = count(
        3,
        selection=Selection(
            window=Window(months(2), anchor=Anchor.FIRST_REPORT, application_within=months(12)), lag=None
        ),
    )
    last_six_months = count(2, selection=Selection(window=Window(months(6), anchor=Anchor.APPLICATION)))
    policy = Policy(
        "closest",
        title="A policy made up by a test",
        version="1",
        effective_from=dt.date(1900, 1, 1),
        local=(
            rule("closed-run", closed_run, label="three in a run of two months"),
            rule("recent", last_six_months, label="two in the last six months"),
        ),
    )
    application = app(
        dt.date(2025, 9, 15),
        rep("R1", dt.date(2025, 1, 1), by="P2"),
        rep("R2", dt.date(2025, 2, 1), by="P3"),
    )
    decision = evaluate(application, policy)
    shortfalls = decision.shortfalls()
    by_rule = {s.rule: (s.tally.shortfall, s.tally.new_needed, closeness(s)[2]) for s in shortfalls}
    assert by_rule["closed-run"] == (1, 3, 3)
    assert by_rule["recent"] == (2, 2, 2)
    letter = for_applicant(decision)
    assert 'Under the rule closest to being met, "two in the last six months"' in letter
    assert "after two more qualifying complaints" in letter
