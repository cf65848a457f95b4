"""Statutory conformance: each kind of departure is found, and each finding's example shows it."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from asb_case_review.catalogue import AREAS, STATUTORY
from asb_case_review.conformance import Code, Finding, Severity, check, check_area
from asb_case_review.dates import days, months
from asb_case_review.decision import Route, evaluate
from asb_case_review.law.floor import FloorReading
from asb_case_review.policy import Appeal, Area, Policy, statutory_route
from asb_case_review.qualifying import Anchor, DateOf, Lag, Selection, Who, Window
from asb_case_review.rules import (
    Context,
    Count,
    CountUnit,
    Outcome,
    consent,
    count,
    fact,
    recency,
    rule,
)
from tests.strategies import policies

D = dt.date
APPEAL = Appeal("ask the community safety partnership to review the decision")
BASE = attrs.evolve(STATUTORY, id="t", appeal=APPEAL)


def mandatory(**selection: object) -> Policy:
    """The base policy with a mandatory route whose count has the given selection."""
    route = rule("s104-4", count(3, selection=Selection(**selection)), label="three complaints")  # type: ignore[arg-type]
    return attrs.evolve(BASE, mandatory=route)


def local(predicate: Count) -> Policy:
    return attrs.evolve(BASE, local=(rule("personal", predicate, label="personal rule"),))


TABLE = [
    (
        "threshold-four",
        attrs.evolve(BASE, mandatory=statutory_route(4)),
        Code.THRESHOLD_ABOVE_THREE,
        Severity.WARNING,
        "mandatory.at_least",
    ),
    ("mandatory-lag-7-days", mandatory(lag=Lag(days(7))), Code.LAG_STRICTER, Severity.ERROR, "mandatory.lag"),
    (
        "mandatory-window-3-months",
        mandatory(window=Window(months(3))),
        Code.WINDOW_SHORTER,
        Severity.ERROR,
        "mandatory.window",
    ),
    (
        "mandatory-window-180-days",
        mandatory(window=Window(days(180))),
        Code.WINDOW_SHORTER,
        Severity.ERROR,
        "mandatory.window",
    ),
    (
        "mandatory-first-incident",
        mandatory(window=Window(anchor=Anchor.FIRST_INCIDENT)),
        Code.WINDOW_ANCHOR,
        Severity.ERROR,
        "mandatory.window",
    ),
    (
        "mandatory-incident-dates",
        mandatory(window=Window(date_of=DateOf.INCIDENT)),
        Code.WINDOW_ANCHOR,
        Severity.ERROR,
        "mandatory.window",
    ),
    (
        "mandatory-diary-sheets",
        mandatory(exclude_kinds={"complaint"}),
        Code.EXCLUDED_KINDS,
        Severity.ERROR,
        "mandatory.exclude_kinds",
    ),
    (
        "mandatory-victim-only",
        mandatory(who=Who.VICTIM),
        Code.MANDATORY_NARROWER,
        Severity.ERROR,
        "mandatory.who",
    ),
    (
        "mandatory-hate-only",
        mandatory(hate_only=True),
        Code.MANDATORY_NARROWER,
        Severity.ERROR,
        "mandatory.hate_only",
    ),
    (
        "mandatory-counts-incidents",
        attrs.evolve(BASE, mandatory=rule("s104-4", count(3, unit="incidents"), label="three incidents")),
        Code.MANDATORY_NARROWER,
        Severity.ERROR,
        "mandatory.unit",
    ),
    (
        "mandatory-police-only",
        mandatory(agencies={"police"}),
        Code.MANDATORY_NARROWER,
        Severity.ERROR,
        "mandatory.agencies",
    ),
    (
        "recency-condition",
        attrs.evolve(BASE, conditions=(rule("recent", recency(months(1)), label="latest within a month"),)),
        Code.CONDITION_TURNS_AWAY,
        Severity.ERROR,
        "conditions[0]",
    ),
    (
        "case-closed-condition",
        attrs.evolve(BASE, conditions=(rule("closed", fact("case_closed"), label="the case is closed"),)),
        Code.CONDITION_TURNS_AWAY,
        Severity.ERROR,
        "conditions[0]",
    ),
    (
        "investigation-complete-condition",
        attrs.evolve(BASE, conditions=(rule("done", fact("investigation_complete"), label="investigated"),)),
        Code.CONDITION_TURNS_AWAY,
        Severity.ERROR,
        "conditions[0]",
    ),
    (
        "consent-condition",
        attrs.evolve(BASE, conditions=(rule("consent", consent(), label="the victim consents"),)),
        Code.CONDITION_TURNS_AWAY,
        Severity.WARNING,
        "conditions[0]",
    ),
    (
        "local-lag-30-days",
        local(count(3, unit="incidents", selection=Selection(lag=Lag(days(30))))),
        Code.LAG_STRICTER,
        Severity.INFO,
        "local[0].lag",
    ),
    (
        "local-window-from-first-report",
        local(count(3, selection=Selection(window=Window(anchor=Anchor.FIRST_REPORT, span=months(3))))),
        Code.WINDOW_SHORTER,
        Severity.INFO,
        "local[0].window",
    ),
    (
        "local-excludes-complaints",
        local(count(3, selection=Selection(exclude_kinds={"complaint"}))),
        Code.EXCLUDED_KINDS,
        Severity.INFO,
        "local[0].exclude_kinds",
    ),
    ("no-appeal-route", STATUTORY, Code.NO_APPEAL_ROUTE, Severity.WARNING, "appeal"),
]


@pytest.mark.parametrize(
    ("policy", "code", "severity", "path"), [t[1:] for t in TABLE], ids=[t[0] for t in TABLE]
)
def test_each_departure_is_found(policy: Policy, code: Code, severity: Severity, path: str) -> None:
    """Each kind of departure is reported with its severity and the path of the setting."""
    found = {(f.code, f.severity, f.path) for f in check(policy)}
    assert (code, severity, path) in found


def assert_demonstrates(finding: Finding, policy: Policy) -> None:
    """The finding's example really shows what the finding says."""
    if finding.example is None:
        assert finding.code in (Code.NO_APPEAL_ROUTE, Code.VERSION_GAP)
        return
    # A threshold above three is contrary to the Explanatory Notes: its example meets a floor of three,
    # the Notes' reading (FloorReading.AT_MOST_THREE), though not the statute's words by default.
    reading = (
        FloorReading.AT_MOST_THREE
        if finding.code is Code.THRESHOLD_ABOVE_THREE
        else FloorReading.POLICY_NUMBER
    )
    as_written = evaluate(finding.example, policy, enforce_floor=False, floor_reading=reading)
    assert as_written.floor.met or finding.severity is Severity.INFO
    if finding.turns_away:
        assert as_written.floor.met
        assert as_written.policy_outcome is not Outcome.MET
        enforced = evaluate(finding.example, policy, floor_reading=reading)
        assert enforced.met
        assert enforced.route is Route.STATUTORY_FLOOR
    else:
        top = finding.path.split(".")[0]
        item = dict(policy.rules())[top]
        assert item(Context(finding.example, finding.example.made_on)).outcome is not Outcome.MET


@pytest.mark.parametrize(("policy", "code"), [t[1:3] for t in TABLE], ids=[t[0] for t in TABLE])
def test_each_example_demonstrates_its_finding(policy: Policy, code: Code) -> None:
    """Every finding's example application shows the departure when evaluated."""
    for finding in check(policy):
        assert_demonstrates(finding, policy)


@pytest.mark.parametrize("name", sorted(AREAS), ids=str)
def test_catalogue_findings_are_demonstrated(
    name: str, catalogue_findings: dict[str, tuple[Finding, ...]]
) -> None:
    """Every finding for a catalogue policy comes with an example that demonstrates it.

    The findings are check_area's (shared by the tests): each version's, its path led by
    ``versions[i].`` where the area has more than one, and any gaps between versions.
    """
    versions = AREAS[name].versions
    for finding in catalogue_findings[name]:
        index, path = 0, finding.path
        if len(versions) > 1 and path.startswith("versions["):
            head, _, path = path.partition(".")
            index = int(head.removeprefix("versions[").removesuffix("]"))
        assert_demonstrates(attrs.evolve(finding, path=path), versions[index])


def test_errors_and_warnings_turn_applications_away() -> None:
    """A finding of severity error shows an application the policy as written turns away."""
    policy = TABLE[1][1]
    (finding,) = [f for f in check(policy) if f.severity is Severity.ERROR]
    assert finding.turns_away
    assert finding.example is not None
    assert evaluate(finding.example, policy, enforce_floor=False).policy_outcome is Outcome.NOT_MET


def test_a_conforming_policy_has_no_findings() -> None:
    """The statute with an appeal route, and a local rule no narrower than the statute, conform."""
    personal = count(3, unit=CountUnit.INCIDENTS, selection=Selection(who=Who.VICTIM, lag=None))
    assert check(local(personal)) == ()
    assert check(BASE) == ()


def test_area_gaps_are_findings() -> None:
    """Days between versions with no policy in force are reported for the area."""
    first = attrs.evolve(BASE, version="1", effective_to=D(2024, 12, 31))
    second = attrs.evolve(BASE, version="2", effective_from=D(2025, 2, 1))
    findings = check_area(Area("t", (first, second)))
    assert [(f.code, f.severity) for f in findings] == [(Code.VERSION_GAP, Severity.WARNING)]
    assert "2025-01-01 to 2025-01-31" in findings[0].message


def test_findings_name_their_sources() -> None:
    """A threshold above three rests on the Explanatory Notes; a missing appeal on Schedule 4 para 3."""
    sections = {
        f.code: f.source.section for f in check(attrs.evolve(STATUTORY, mandatory=statutory_route(4)))
    }
    assert sections[Code.THRESHOLD_ABOVE_THREE] == "para 231"
    assert sections[Code.NO_APPEAL_ROUTE] == "Schedule 4 para 3"


def test_examples_fall_in_the_policy_dates() -> None:
    """An example application is made on a day the policy is in force."""
    old = attrs.evolve(TABLE[1][1], effective_from=D(2016, 1, 1), effective_to=D(2016, 6, 30))
    for finding in check(old):
        if finding.example is not None:
            assert old.in_force(finding.example.made_on)


# A conformance check on a generated policy searches thousands of candidate applications: a tenth of
# the profile's examples (6 by default, 40 under HYPOTHESIS_PROFILE=ci, 500 under thorough).
@settings(
    max_examples=max(6, settings().max_examples // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(policies())
def test_every_finding_on_any_policy_is_demonstrated(policy: Policy) -> None:
    """For any policy at all, each finding's example demonstrates it."""
    for finding in check(policy):
        assert_demonstrates(finding, policy)
        top = finding.path.split(".")[0]
        assert top == "appeal" or top in dict(policy.rules())
