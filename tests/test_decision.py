"""Unit tables for evaluate(): routes, the statutory floor, warnings, signals and critical dates."""

from __future__ import annotations

import datetime as dt
import pickle
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest

from asb_case_review import qualifying, rules
from asb_case_review.catalogue import CATALOGUE, MERSEYSIDE, STAFFORDSHIRE_MOORLANDS, STATUTORY
from asb_case_review.dates import months
from asb_case_review.decision import Decision, NoticeCode, Route, evaluate
from asb_case_review.errors import InvalidInput
from asb_case_review.examples import example_application
from asb_case_review.law.floor import FloorReading
from asb_case_review.models import Agency, Application, Fact, Incident, Report
from asb_case_review.policy import EXPLANATORY_NOTES, GUIDANCE_2025, STATUTE, Policy, statutory_route
from asb_case_review.qualifying import Fate, Reason, Selection, Who
from asb_case_review.render import for_officer
from asb_case_review.rules import Context, Count, CountUnit, Outcome, Source, count, fact, recency, rule
from tests.builders import D, app, rep

A = D(2026, 2, 28)
LOCAL = Source("Somewhere Council, 'ASB Case Review'")

# Three qualifying complaints by three people, the latest more than a month before the application.
THREE_OLD = app(
    A,
    rep("R1", D(2025, 10, 1)),
    rep("R2", D(2025, 10, 10), by="P2"),
    rep("R3", D(2025, 11, 1), by="P3"),
)

RECENCY_GATE = Policy(
    "gated",
    title="A council with a recency condition",
    version="1",
    effective_from=D(2024, 1, 1),
    conditions=(
        rule("recent", recency(months(1)), label="the last report was within one month", source=LOCAL),
    ),
)


def test_statutory_route_met() -> None:
    """Three qualifying complaints meet the threshold by the mandatory route."""
    decision = evaluate(example_application(), STATUTORY)
    assert decision.outcome is Outcome.MET
    assert decision.route is Route.MANDATORY
    assert decision.matched == ("s104-4",)
    assert decision.counted() == ("REP-1", "REP-2", "REP-3")
    assert {f.report: f.reason for f in decision.fates}["REP-0"] is Reason.LATE_REPORT
    assert decision.policy_name == "statutory@2014-10-20"


def test_met_until_is_the_last_day_the_oldest_counted_report_is_in() -> None:
    """The example's oldest counted complaint (29 August 2025) is in its window until 28 February 2026."""
    assert evaluate(example_application(), STATUTORY).met_until == D(2026, 2, 28)
    earlier = attrs.evolve(example_application(), made_on=D(2026, 2, 10))
    assert evaluate(earlier, STATUTORY).met_until == D(2026, 2, 28)


def test_met_until_follows_the_policy_across_rules() -> None:
    """When one rule lapses and another still holds, the decision stays met until the last lapses."""
    application = app(
        A,
        rep("R1", D(2025, 9, 1), D(2025, 8, 1)),
        rep("R2", D(2025, 12, 1), D(2025, 10, 1)),
        rep("R3", D(2026, 2, 1), D(2025, 12, 1)),
        rep("R4", D(2026, 2, 2), D(2026, 2, 1)),
    )
    # Under the statute only R4 qualifies; the area's own wording (its mandatory rule) has no lag
    # and counts three.
    decision = evaluate(application, STAFFORDSHIRE_MOORLANDS)
    assert decision.route is Route.MANDATORY
    assert decision.matched == ("personal",)
    # Three of the four stay inside until R2's six months end on 31 May 2026.
    assert decision.met_until == D(2026, 5, 31)
    for day, outcome in ((D(2026, 5, 31), Outcome.MET), (D(2026, 6, 1), Outcome.NOT_MET)):
        assert evaluate(attrs.evolve(application, made_on=day), STAFFORDSHIRE_MOORLANDS).outcome is outcome


def test_met_until_ignores_reports_made_after_the_date_decided() -> None:
    """The critical date assumes nothing new is reported, even if the data holds later reports."""
    application = attrs.evolve(
        example_application(), reports=(*example_application().reports, rep("LATE", D(2026, 3, 2)))
    )
    decision = evaluate(application, STATUTORY)
    assert {f.report: f.reason for f in decision.fates}["LATE"] is Reason.UNRELATED
    assert decision.met_until == D(2026, 2, 28)


def test_met_on_facts_alone_is_met_indefinitely() -> None:
    """A decision met on case facts alone has no end date."""
    policy = attrs.evolve(
        STATUTORY,
        id="risk",
        local=(rule("high-risk", fact(Fact.VICTIM_HIGH_RISK), label="high risk", source=LOCAL),),
    )
    decision = evaluate(app(A, facts={"victim_high_risk": True}), policy)
    assert decision.route is Route.DISCRETIONARY
    assert decision.met_until is None


def test_near_miss() -> None:
    """Not met: the decision says how many more and by when."""
    application = app(A, rep("R1", D(2025, 9, 2)), rep("R2", D(2025, 12, 1)))
    decision = evaluate(application, STATUTORY)
    assert decision.outcome is Outcome.NOT_MET
    assert decision.route is None
    assert decision.met_until is None
    (shortfall,) = decision.shortfalls()
    assert shortfall.rule == "s104-4"
    assert shortfall.describe("qualifying complaints") == (
        "2 of 3 qualifying complaints; 1 more made by 2026-03-01 would meet it"
    )


def test_near_miss_deadline_is_real() -> None:
    """One more qualifying complaint made on the deadline meets it; made the day after, it does not."""
    application = app(A, rep("R1", D(2025, 9, 2)), rep("R2", D(2025, 12, 1)))
    (shortfall,) = evaluate(application, STATUTORY).shortfalls()
    deadline = shortfall.tally.deadline
    assert deadline is not None
    for day, outcome in ((deadline, Outcome.MET), (deadline + dt.timedelta(days=1), Outcome.NOT_MET)):
        more = attrs.evolve(application, made_on=day, reports=(*application.reports, rep("R3", day)))
        assert evaluate(more, STATUTORY).outcome is outcome


def test_statutory_floor_overrides_a_local_condition() -> None:
    """A local recency condition cannot defeat s.104(4): the floor decides, and says so."""
    decision = evaluate(THREE_OLD, RECENCY_GATE)
    assert decision.outcome is Outcome.MET
    assert decision.policy_outcome is Outcome.NOT_MET
    assert decision.route is Route.STATUTORY_FLOOR
    assert [w.code for w in decision.warnings] == [NoticeCode.STATUTORY_FLOOR_CONFLICT]


def test_statutory_floor_reported_only() -> None:
    """With the floor not enforced, the policy's answer stands and the conflict is still reported."""
    decision = evaluate(THREE_OLD, RECENCY_GATE, enforce_floor=False)
    assert decision.outcome is Outcome.NOT_MET
    assert decision.route is None
    assert "the policy's answer is kept" in decision.warnings[0].message
    assert ("statutory floor", "reported only") in decision.assumptions()


def test_threshold_above_three_is_flagged_and_the_floor_is_the_policys_number_by_default() -> None:
    """By s.104(4)'s words ("at least that number") three complaints miss a floor of five; it warns."""
    five = attrs.evolve(STATUTORY, id="five", mandatory=statutory_route(5))
    decision = evaluate(THREE_OLD, five)
    assert [w.code for w in decision.warnings] == [NoticeCode.THRESHOLD_ABOVE_THREE]
    (warning,) = decision.warnings
    assert "Explanatory Notes (para 231)" in warning.message
    assert "floor reading policy_number" in warning.message
    assert decision.outcome is Outcome.NOT_MET
    assert decision.floor_rule == five.mandatory
    assert dict(decision.assumptions())["statutory floor number"] == "policy_number"


def test_reading_the_floor_as_three_is_a_named_setting() -> None:
    """FloorReading.AT_MOST_THREE: three complaints meet the floor over a policy of five, and it is named."""
    five = attrs.evolve(STATUTORY, id="five", mandatory=statutory_route(5))
    decision = evaluate(THREE_OLD, five, floor_reading=FloorReading.AT_MOST_THREE)
    codes = [w.code for w in decision.warnings]
    assert codes == [NoticeCode.THRESHOLD_ABOVE_THREE, NoticeCode.STATUTORY_FLOOR_CONFLICT]
    assert decision.route is Route.STATUTORY_FLOOR
    assert decision.matched == ("statutory-floor",)
    assert decision.find_rule("statutory-floor").predicate == statutory_route(3).predicate
    assert dict(decision.assumptions())["statutory floor number"] == "at_most_three"


def test_an_unknown_floor_reading_is_refused_by_name() -> None:
    """A floor reading outside the vocabulary is bad input, naming the field."""
    with pytest.raises(InvalidInput, match="floor_reading='three'"):
        evaluate(THREE_OLD, STATUTORY, floor_reading="three")  # type: ignore[arg-type]


def test_lower_threshold_is_the_floor() -> None:
    """A policy that specifies two complaints makes two the statutory number."""
    two = attrs.evolve(STATUTORY, id="two", mandatory=statutory_route(2))
    decision = evaluate(app(A, rep("R1", D(2026, 1, 2)), rep("R2", D(2026, 2, 2))), two)
    assert decision.route is Route.MANDATORY
    assert decision.warnings == ()


def test_discretionary_route_and_its_fates() -> None:
    """A local rule meets the threshold by the discretionary route; fates come from that rule."""
    # Merseyside's wording counts complaints to the council, the police or a social landlord.
    application = app(A, rep("R1", D(2026, 2, 2), D(2026, 2, 1), hate=True, agency=Agency.POLICE))
    decision = evaluate(application, MERSEYSIDE)
    assert decision.route is Route.DISCRETIONARY
    assert decision.matched == ("hate",)
    assert decision.counted() == ("R1",)


def test_mandatory_route_counts_other_peoples_complaints() -> None:
    """The statute counts complaints made by anyone; the area's wording ('you have reported') does not.

    The policy as written is not met, and the statutory floor meets the threshold and says so.
    """
    decision = evaluate(THREE_OLD, STAFFORDSHIRE_MOORLANDS)
    assert decision.route is Route.STATUTORY_FLOOR
    assert decision.policy_outcome is Outcome.NOT_MET
    personal = decision.mandatory
    assert personal.outcome is Outcome.NOT_MET
    assert personal.children[0].tally is not None
    assert personal.children[0].tally.count == 1


def test_undetermined_when_a_deciding_fact_is_missing() -> None:
    """A missing fact that decides the answer makes the decision undetermined, with a warning."""
    policy = attrs.evolve(
        STATUTORY,
        id="risk",
        local=(rule("high-risk", fact(Fact.VICTIM_HIGH_RISK), label="high risk", source=LOCAL),),
    )
    decision = evaluate(app(A), policy)
    assert decision.outcome is Outcome.UNKNOWN
    assert [w.code for w in decision.warnings] == [NoticeCode.UNDETERMINED]
    assert evaluate(app(A, facts={"victim_high_risk": False}), policy).outcome is Outcome.NOT_MET


def test_policy_not_in_force_is_flagged() -> None:
    """Evaluating under a version not in force on the date says so."""
    old = attrs.evolve(STATUTORY, effective_to=D(2020, 1, 1))
    assert NoticeCode.POLICY_NOT_IN_FORCE in [w.code for w in evaluate(app(A), old).warnings]


@pytest.mark.parametrize(
    ("made", "signal"),
    [
        ((D(2026, 1, 2),), False),
        ((D(2025, 8, 28), D(2026, 1, 2)), False),
        ((D(2025, 8, 29), D(2026, 1, 2)), True),
        ((D(2026, 1, 2), A), True),
        ((D(2026, 1, 2), D(2026, 3, 1)), False),
    ],
    ids=[
        "one-report",
        "first-just-outside",
        "second-within-six-months",
        "second-on-the-application-day",
        "second-after-the-application",
    ],
)
def test_second_report_signal(made: tuple[dt.date, ...], signal: bool) -> None:
    """The July 2025 guidance signal fires on the victim's second report within six months."""
    reports = [rep(f"R{i}", day, day) for i, day in enumerate(made)]
    decision = evaluate(app(A, *reports), STATUTORY)
    assert (NoticeCode.EXPLAIN_CASE_REVIEW in [s.code for s in decision.signals]) is signal


def test_signal_counts_only_the_victims_reports() -> None:
    """Other people's reports do not make the victim's second report."""
    decision = evaluate(app(A, rep("R1", D(2026, 1, 2)), rep("R2", D(2026, 1, 5), by="P2")), STATUTORY)
    assert decision.signals == ()


def test_as_of_overrides_the_application_date() -> None:
    """A decision can be taken for another date, which it records."""
    decision = evaluate(example_application(), STATUTORY, as_of=D(2026, 3, 1))
    assert decision.as_of == D(2026, 3, 1)
    assert decision.outcome is Outcome.NOT_MET


def test_assumptions_name_the_settings_that_ran() -> None:
    """The decision records the arithmetic, continuing-behaviour rule, unit, key and floor mode."""
    assert dict(evaluate(example_application(), STATUTORY).assumptions()) == {
        "window arithmetic": "statutory",
        "continuing behaviour day": "latest_on_or_before_report",
        "counting unit": "complaints",
        "relatedness key": "location",
        "statutory floor": "enforced",
        "statutory floor number": "policy_number",
    }


def test_conditions_and_local_rules_combine() -> None:
    """Conditions gate the local rules: a met local rule with an unmet condition is not met."""
    policy = Policy(
        "combo",
        title="T",
        version="1",
        effective_from=D(2024, 1, 1),
        local=(
            rule(
                "personal",
                count(1, unit=CountUnit.INCIDENTS, selection=Selection(who=Who.VICTIM)),
                label="one report",
                source=LOCAL,
            ),
        ),
        conditions=(
            rule("no-pending", fact(Fact.PROMISED_RESPONSE_PENDING, expected=False), label="x", source=LOCAL),
        ),
    )
    application = app(A, rep("R1", D(2026, 2, 1)), facts={"promised_response_pending": True})
    assert evaluate(application, policy).outcome is Outcome.NOT_MET
    cleared = attrs.evolve(application, facts={"promised_response_pending": False})
    assert evaluate(cleared, policy).route is Route.DISCRETIONARY


def test_floor_over_a_threshold_above_three_cites_the_explanatory_notes() -> None:
    """Where the policy asks for more than three, the conflict rests on the Notes' 'no higher than three'."""
    five = attrs.evolve(STATUTORY, id="five", mandatory=statutory_route(5))
    decided = evaluate(THREE_OLD, five, floor_reading=FloorReading.AT_MOST_THREE)
    conflict = next(w for w in decided.warnings if w.code is NoticeCode.STATUTORY_FLOOR_CONFLICT)
    assert "Explanatory Notes (para 231)" in conflict.message
    assert conflict.source is not None
    assert "Explanatory Notes" in conflict.source.title


def test_no_near_miss_is_reported_for_a_count_under_not() -> None:
    """Meeting a count beneath not_ would un-meet its rule, so it is not listed as a shortfall."""
    policy = attrs.evolve(
        STATUTORY,
        id="not-count",
        local=(
            rule(
                "quiet", fact(Fact.VICTIM_HIGH_RISK) & ~count(9), label="risk and few reports", source=LOCAL
            ),
        ),
    )
    decision = evaluate(app(A, rep("R1", D(2026, 2, 1)), facts={"victim_high_risk": False}), policy)
    assert [s.rule for s in decision.shortfalls()] == ["s104-4"]


def test_fates_come_from_the_count_that_met() -> None:
    """When a rule with several counts is met by a later one, the fates shown are that count's."""
    either = count(5, unit=CountUnit.REPORTERS) | count(1, selection=Selection(hate_only=True))
    policy = attrs.evolve(
        STATUTORY, id="either", local=(rule("either", either, label="five people or hate", source=LOCAL),)
    )
    decision = evaluate(app(A, rep("R1", D(2026, 2, 2), hate=True), rep("R2", D(2026, 2, 3))), policy)
    assert decision.matched == ("either",)
    assert {f.report: f.reason for f in decision.fates} == {"R1": Reason.COUNTED, "R2": Reason.NOT_HATE}


def test_floor_over_an_undetermined_policy_is_no_conflict() -> None:
    """Where the local answer hangs on a fact not supplied, the floor decides without a conflict."""
    pending = Policy(
        "pending",
        title="T",
        version="1",
        effective_from=D(2024, 1, 1),
        conditions=(
            rule("no-pending", fact(Fact.PROMISED_RESPONSE_PENDING, expected=False), label="x", source=LOCAL),
        ),
    )
    three = app(
        A, rep("R1", D(2026, 1, 2)), rep("R2", D(2026, 2, 2), by="P2"), rep("R3", D(2026, 2, 3), by="P3")
    )
    decision = evaluate(three, pending)
    assert (decision.outcome, decision.policy_outcome, decision.route) == (
        Outcome.MET,
        Outcome.UNKNOWN,
        Route.STATUTORY_FLOOR,
    )
    assert [w.code for w in decision.warnings] == [NoticeCode.FLOOR_OVER_UNDETERMINED]
    refused = evaluate(attrs.evolve(three, facts={"promised_response_pending": True}), pending)
    assert [w.code for w in refused.warnings] == [NoticeCode.STATUTORY_FLOOR_CONFLICT]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("statutory",), "InvalidPolicy", r"^policy='statutory': must be a Policy"),
        ((None,), "InvalidPolicy", r"^policy=None: must be a Policy"),
    ],
    ids=["policy-name", "policy-none"],
)
def test_evaluate_refuses_what_is_not_a_policy(args: tuple[object, ...], error: str, message: str) -> None:
    """Passing a policy's name, or nothing, is a clear error rather than an AttributeError."""
    from asb_case_review import errors  # noqa: PLC0415 - the error class is named in the table

    with pytest.raises(getattr(errors, error), match=message):
        evaluate(example_application(), *args)  # type: ignore[arg-type]


def test_evaluate_refuses_what_is_not_an_application() -> None:
    """A mapping is not an Application: parse it with application_from_mapping first."""
    from asb_case_review.errors import InvalidInput  # noqa: PLC0415

    with pytest.raises(InvalidInput, match=r"^application=\{\}: must be an Application"):
        evaluate({}, STATUTORY)  # type: ignore[arg-type]


def _noise_complaint(rid: str, made: dt.date, *, agency: str = "council") -> Report:
    noise = Incident("NOISE", matter="FLAT-9", began_on=dt.date(2025, 3, 3), ended_on=dt.date(2025, 6, 30))
    return Report(rid, reporter="V", made_on=made, incident=noise, agency=agency)


def test_monthly_complaints_about_continuing_behaviour_are_three_complaints() -> None:
    """Noise from 3 March to 30 June 2025, complaints on 10 April, 12 May and 20 June: s.104(4) is met.

    Each complaint is about the behaviour up to its own day (the default behaviour day), so each is
    made within a month of the behaviour it reports, and each is its own qualifying complaint.
    """
    reports = tuple(
        _noise_complaint(f"R{i}", day)
        for i, day in enumerate([dt.date(2025, 4, 10), dt.date(2025, 5, 12), dt.date(2025, 6, 20)])
    )
    application = Application(
        "A", applicant="V", made_on=dt.date(2025, 7, 1), matter="FLAT-9", reports=reports
    )
    decision = evaluate(application, STATUTORY)
    assert decision.outcome is Outcome.MET
    assert decision.route is Route.MANDATORY
    assert decision.counted() == ("R0", "R1", "R2")


def test_the_same_complaint_made_twice_counts_once() -> None:
    """The same person about the same day of behaviour, to the police and to the council, is one complaint."""
    reports = (
        _noise_complaint("R-council", dt.date(2025, 4, 10), agency="council"),
        _noise_complaint("R-police", dt.date(2025, 4, 10), agency="police"),
        _noise_complaint("R-later", dt.date(2025, 5, 12)),
    )
    application = Application(
        "A", applicant="V", made_on=dt.date(2025, 7, 1), matter="FLAT-9", reports=reports
    )
    decision = evaluate(application, STATUTORY)
    assert decision.outcome is Outcome.NOT_MET
    (shortfall,) = decision.shortfalls()
    assert (shortfall.tally.count, shortfall.tally.at_least) == (2, 3)
    duplicate = next(f for f in decision.fates if f.reason is Reason.DUPLICATE)
    assert duplicate.report == "R-police"
    assert "same day of the same behaviour" in duplicate.detail


def test_a_met_count_is_no_shortfall() -> None:
    """Met by three qualifying complaints: nothing is short, and the near miss lists nothing."""
    decision = evaluate(example_application(), STATUTORY)
    assert decision.met
    assert decision.shortfalls() == ()
    # One complaint fewer, and the same count is a shortfall of one.
    fewer = attrs.evolve(example_application(), reports=example_application().reports[:-1])
    (shortfall,) = evaluate(fewer, STATUTORY).shortfalls()
    assert (shortfall.rule, shortfall.tally.shortfall) == ("s104-4", 1)


def test_each_notice_cites_what_it_rests_on_and_says_what_happened() -> None:
    """The floor conflict rests on the statute, the Explanatory Notes' threshold on the Notes, and the
    second-report signal on the 2025 guidance; each says what follows for this decision."""
    conflict = evaluate(THREE_OLD, RECENCY_GATE)
    (notice,) = [w for w in conflict.warnings if w.code is NoticeCode.STATUTORY_FLOOR_CONFLICT]
    assert notice.source == STATUTE
    assert notice.message == (
        "the policy as written says not met, but at least 3 qualifying complaints were made, so s.104(4) "
        "requires the threshold to be met; the statutory floor decides"
    )
    kept = evaluate(THREE_OLD, RECENCY_GATE, enforce_floor=False)
    (notice,) = [w for w in kept.warnings if w.code is NoticeCode.STATUTORY_FLOOR_CONFLICT]
    assert notice.message.endswith("; the policy's answer is kept")

    four = attrs.evolve(STATUTORY, id="four", mandatory=statutory_route(4))
    (above,) = [w for w in evaluate(THREE_OLD, four).warnings if w.code is NoticeCode.THRESHOLD_ABOVE_THREE]
    assert above.source == EXPLANATORY_NOTES

    old = attrs.evolve(STATUTORY, effective_from=D(2027, 1, 1))
    (not_in_force,) = [w for w in evaluate(app(A), old).warnings if w.code is NoticeCode.POLICY_NOT_IN_FORCE]
    assert not_in_force.message == f"policy statutory version {old.version} is not in force on 2026-02-28"

    (signal,) = evaluate(app(A, rep("R1", D(2026, 1, 2)), rep("R2", D(2026, 2, 2))), STATUTORY).signals
    assert signal.source == GUIDANCE_2025
    assert "explain the ASB Case Review to them" in signal.message


def test_the_floor_over_an_undetermined_policy_says_whether_its_answer_is_kept() -> None:
    """With the floor reported only, the notice says the policy's (undetermined) answer stands."""
    pending = attrs.evolve(
        RECENCY_GATE,
        conditions=(rule("no-pending", fact(Fact.PROMISED_RESPONSE_PENDING, expected=False), label="x"),),
    )
    three = app(
        A, rep("R1", D(2026, 1, 2)), rep("R2", D(2026, 2, 2), by="P2"), rep("R3", D(2026, 2, 3), by="P3")
    )
    for enforce, ending in (
        (True, "whatever they are"),
        (False, "whatever they are; the policy's answer is kept"),
    ):
        decision = evaluate(three, pending, enforce_floor=enforce)
        (notice,) = [w for w in decision.warnings if w.code is NoticeCode.FLOOR_OVER_UNDETERMINED]
        assert notice.source == STATUTE
        assert notice.message.startswith("the policy as written cannot be decided without facts")
        assert notice.message.endswith(ending)


def test_evaluate_names_a_bad_enforce_floor_and_the_floor_readings() -> None:
    """A flag that is not a bool, or a floor reading not in the list, is refused with the choices."""
    with pytest.raises(InvalidInput, match=r"^enforce_floor='yes': must be True or False$"):
        evaluate(app(A), STATUTORY, enforce_floor="yes")  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInput, match=r"^floor_reading='two': must be one of policy_number, at_most_three$"
    ):
        evaluate(app(A), STATUTORY, floor_reading="two")  # type: ignore[arg-type]


def test_a_floor_left_unrun_is_the_floor_when_read() -> None:
    """A decision met by the policy's own rule runs the floor when read, giving what running it gives."""
    application = app(A, rep("R1", D(2026, 2, 2), D(2026, 2, 1), hate=True, agency=Agency.POLICE))
    decision = evaluate(application, MERSEYSIDE)
    assert decision.route is Route.DISCRETIONARY
    floor = decision.floor_rule(Context(application, decision.as_of))
    assert decision.floor == floor
    assert decision.floor is decision.floor
    assert decision == evaluate(application, MERSEYSIDE)
    assert hash(decision) == hash(evaluate(application, MERSEYSIDE))


def test_fates_are_made_once_and_read_alike_from_many_threads() -> None:
    """Fates made when first read are the same values for every thread that reads one shared decision."""
    # Staffordshire Moorlands is met by the floor (run at once); Merseyside by a local rule (floor run later).
    merseyside = app(A, rep("R1", D(2026, 2, 2), D(2026, 2, 1), hate=True, agency=Agency.POLICE))
    for application, policy in ((THREE_OLD, STAFFORDSHIRE_MOORLANDS), (merseyside, MERSEYSIDE)):
        decision = evaluate(application, policy)
        expected = evaluate(application, policy)
        wanted = (expected.fates, expected.floor, expected.shortfalls(), for_officer(expected))

        def read(_: int, decision: Decision = decision) -> object:
            return decision.fates, decision.floor, decision.shortfalls(), for_officer(decision)

        with ThreadPoolExecutor(8) as pool:
            seen = list(pool.map(read, range(32)))
        assert all(found == wanted for found in seen)
        assert decision.fates is decision.fates


def test_the_floor_runs_only_when_it_can_decide_or_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Met by a local rule, the decision counts its own rule only; the floor is counted when read."""
    policy = attrs.evolve(
        STATUTORY,
        id="yours",
        mandatory=rule("yours", count(3, selection=Selection(who=Who.VICTIM)), label="yours", source=LOCAL),
        local=(rule("high-risk", fact(Fact.VICTIM_HIGH_RISK), label="high risk", source=LOCAL),),
    )
    counted: list[object] = []
    run = Count.__call__

    def counting(self: Count, context: Context) -> object:
        counted.append(self)
        return run(self, context)

    monkeypatch.setattr(Count, "__call__", counting)
    application = attrs.evolve(THREE_OLD, facts=[(Fact.VICTIM_HIGH_RISK, True)])
    decision = evaluate(application, policy)
    assert (decision.route, len(counted)) == (Route.DISCRETIONARY, 1)
    assert decision.floor.met
    assert len(counted) == 2
    assert evaluate(attrs.evolve(application, facts={}), policy).route is Route.STATUTORY_FLOOR


def test_fates_are_made_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """evaluate makes no Fate; reading the decision's fates makes them, with the same reasons as ever."""
    made: list[str] = []

    def counting(*args: Any, **kwargs: Any) -> Fate:
        made.append(args[0])
        return Fate(*args, **kwargs)

    monkeypatch.setattr(qualifying, "Fate", counting)
    monkeypatch.setattr(rules, "Fate", counting)
    decision = evaluate(THREE_OLD, STAFFORDSHIRE_MOORLANDS)
    until = decision.met_until  # the search for it re-makes the decision, and makes no fate either
    assert made == []
    assert until == evaluate(THREE_OLD, STAFFORDSHIRE_MOORLANDS).met_until
    fates = decision.fates
    assert {f.report for f in fates} <= set(made)
    assert [f.reason for f in fates] == [Reason.COUNTED] * len(THREE_OLD.reports)


def test_a_floor_above_three_beside_another_mandatory_rule_is_named_the_floor() -> None:
    """A policy asking five of the victim's complaints runs the plain five-complaint count as the floor."""
    policy = attrs.evolve(
        STATUTORY,
        id="five-yours",
        mandatory=rule("yours", count(5, selection=Selection(who=Who.VICTIM)), label="yours", source=LOCAL),
    )
    decision = evaluate(THREE_OLD, policy)
    assert decision.floor_rule.id == "statutory-floor"
    assert decision.floor_rule.predicate == count(5)
    assert decision.floor.predicate == decision.floor_rule


def test_a_tally_and_a_selection_show_their_fates_as_attrs_would() -> None:
    """The repr of a tally (and of a selection's outcome) names each field, fates made when shown."""
    decision = evaluate(THREE_OLD, STATUTORY)
    tally = decision.mandatory.children[0].tally
    assert tally is not None
    shown = repr(tally)
    assert shown.startswith(
        "Tally(unit=<CountUnit.COMPLAINTS: 'complaints'>, at_least=3, count=3, possible=3, fates=("
    )
    assert shown.endswith(
        f"window={tally.window!r}, deadline=None, combinable=True, closed=None, rejoin=None)"
    )
    assert repr(tally.fates[0]) in shown
    selected = qualifying.select(Selection(), THREE_OLD, A)
    assert repr(selected) == (
        f"Selected(fates={selected.fates!r}, inside={selected.inside!r}, in_scope={selected.in_scope!r}, "
        f"window={selected.window!r}, closed=None, late=frozenset())"
    )


_PICKLED = app(
    D(2025, 6, 2),
    rep("R1", D(2025, 1, 10), kind="diary"),
    rep("R2", D(2025, 2, 20), D(2025, 1, 2), by="P2", agency=Agency.POLICE),
    rep("R3", D(2025, 4, 1), D(2025, 3, 30), by="P3", hate=True, agency=Agency.LANDLORD),
    rep("R4", D(2025, 5, 20), by="P1"),
)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_decision_pickles_unread_and_is_equal_after_the_round_trip(name: str) -> None:
    """A decision whose fates were never read pickles under every catalogue policy, and comes back equal."""
    policy = CATALOGUE[name]
    for application in (example_application(), _PICKLED):
        unread = evaluate(application, policy)
        again = pickle.loads(pickle.dumps(unread))
        fresh = evaluate(application, policy)
        assert again == fresh
        assert again.fates == fresh.fates
        assert for_officer(again) == for_officer(fresh)
