"""The letter for the applicant, the officer's explanation and the JSON-ready record."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asb_case_review import (
    CATALOGUE,
    STAFFORDSHIRE_MOORLANDS,
    STATUTORY,
    Appeal,
    Application,
    CountUnit,
    Decision,
    Fact,
    Incident,
    Outcome,
    Policy,
    Report,
    Source,
    Timescales,
    consent,
    count,
    evaluate,
    fact,
    for_applicant,
    for_officer,
    months,
    recency,
    render,
    rule,
    to_dict,
)
from asb_case_review.catalogue import get_policy
from asb_case_review.dates import Arithmetic, Span, add_working_days, period_last_day
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping
from asb_case_review.qualifying import Anchor, Reason, Selection, Who, Window
from asb_case_review.render import (
    _QUESTION,
    ASKED_OF_APPLICANT,
    long_date,
    report_rows,
    to_applicant_dict,
    words,
)
from asb_case_review.rules import Count

from .builders import D, app, rep
from .test_closest_rule import expected_closest

EXAMPLES = Path(__file__).parent.parent / "examples"


def example(name: str) -> Application:
    return application_from_mapping(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def test_near_miss_names_how_many_more_and_by_when() -> None:
    """Two of three counted: a new application by the last day, after one more complaint, would meet it."""
    text = for_applicant(evaluate(example("not-met-near-miss"), STATUTORY))
    assert "does not meet the threshold" in text
    assert "we counted two of the three qualifying complaints it needs" in text
    assert (
        "A new application made by 1 March 2026, after one more qualifying complaint, would meet it." in text
    )
    # The decision is fixed at the application date: a later report cannot change it.
    assert "made by 1 March 2026 would meet it" not in text


def test_near_miss_for_the_law_example() -> None:
    """Reports of 31 Aug and 5 Jan: one more made by 28 February 2026 would meet it (domain brief, 2)."""
    application = app(D(2026, 1, 15), rep("R1", D(2025, 8, 31)), rep("R2", D(2026, 1, 5)))
    text = for_applicant(evaluate(application, STATUTORY))
    assert "A new application made by 28 February 2026, after one more qualifying complaint" in text


def test_met_letter_names_the_rule_its_source_and_says_it_was_met_on_the_application_date() -> None:
    """A met letter quotes the rule and its source, and says the threshold was met on the application date."""
    text = for_applicant(evaluate(example("met-personal-local"), STAFFORDSHIRE_MOORLANDS))
    assert text.startswith("Your application of 10 March 2026 meets the threshold")
    assert '"you have reported three or more related incidents of antisocial behaviour' in text
    assert "Staffordshire Moorlands District Council" in text
    assert "The threshold was met on 10 March 2026, the date of the application" in text
    # Nothing reads as if the decision could lapse.
    assert "stays met" not in text
    assert "19 May 2026" not in text


def test_letter_is_one_paragraph_without_web_addresses() -> None:
    """The letter is a single paragraph of sentences, fit to paste into a letter."""
    text = for_applicant(evaluate(example_application(), STATUTORY))
    assert "\n" not in text
    assert "http" not in text
    assert text.endswith(".")


def test_other_peoples_reports_are_a_number_only() -> None:
    """Someone else's counted report is mentioned as a number, without a date or an id."""
    text = for_applicant(evaluate(example_application(), STATUTORY))
    assert "one report about the same problem made by someone else, who is not named here" in text
    assert "15 November 2025" not in text  # the other person's report date
    assert "P-200" not in text
    assert "REP-2" not in text


def test_own_reports_that_did_not_count_are_grouped_with_the_reason() -> None:
    """The applicant's own late reports are listed by date with the plain reason."""
    text = for_applicant(evaluate(example("met-personal-local"), STATUTORY))
    assert (
        "Your reports of 20 November 2025, 20 January 2026 and 9 March 2026 did not count because "
        "they were made too long after the incidents they report."
    ) in text


def test_third_party_letter_speaks_of_the_victims_reports() -> None:
    """When someone applies for the victim, the letter says "the victim's reports"."""
    application = app(
        D(2026, 1, 15),
        rep("R1", D(2025, 12, 1), by="V1"),
        rep("R2", D(2026, 1, 5), by="V1"),
        applicant="MP-1",
        on_behalf_of="V1",
        consent=True,
    )
    text = for_applicant(evaluate(application, STATUTORY))
    assert "two of the victim's reports, made on 1 December 2025 and 5 January 2026" in text
    assert "As the victim has reported more than once in six months" in text


def test_community_near_miss_counts_people() -> None:
    """A near miss on "five separate individuals" asks for a report from one more person."""
    # Reported two months after the behaviour: too late for the statute, but the
    # area's community rule sets no report lag, so it is the closest rule.
    reports = [rep(f"R{i}", D(2026, 1, 10), D(2025, 11, 1), by=f"P{i}", incident="I") for i in range(1, 5)]
    text = for_applicant(evaluate(app(D(2026, 2, 1), *reports), STAFFORDSHIRE_MOORLANDS))
    assert '"five separate individuals have reported related incidents' in text
    assert "we counted four of the five people it needs" in text
    # The applicant's own report sets the same deadline as the others': the date is theirs to know.
    assert "A new application made by 9 July 2026, after qualifying reports from one more person" in text


def test_unknown_outcome_leaves_the_bodies_facts_to_the_officer() -> None:
    """A fact only the relevant bodies hold is not asked of the applicant; the officer's text lists it."""
    policy = Policy(
        "high-risk",
        title="High risk",
        version="1",
        effective_from=D(2020, 1, 1),
        local=(rule("risk", fact(Fact.VICTIM_HIGH_RISK), label="the victim is assessed as high risk"),),
    )
    decision = evaluate(app(D(2026, 2, 1), rep("R1", D(2026, 1, 10))), policy)
    text = for_applicant(decision)
    assert "cannot be decided yet: we need more information" in text
    assert "high risk" not in text
    assert "you do not need to do anything about those" in text
    officer = for_officer(decision)
    assert "For the officer to decide" in officer
    assert "victim_high_risk: whether the victim has been assessed as high risk" in officer


@pytest.mark.parametrize("name", list(Fact), ids=[f.value for f in Fact])
def test_every_fact_has_a_plain_question(name: Fact) -> None:
    """Each case fact the library knows has its own plain-English question for the letter."""
    assert _QUESTION[name].startswith("whether ")


def test_unknown_consent_is_asked_for() -> None:
    """A third party's application with consent not recorded asks whether the victim consents."""
    policy = Policy(
        "consent",
        title="Consent",
        version="1",
        effective_from=D(2020, 1, 1),
        conditions=(rule("consent", consent(), label="the victim consents"),),
    )
    application = app(
        D(2026, 2, 1),
        *(rep(f"R{i}", D(2026, 1, 10 + i), by="V1") for i in range(3)),
        applicant="MP-1",
        on_behalf_of="V1",
    )
    text = for_applicant(evaluate(application, policy, enforce_floor=False))
    assert "we need you to tell us whether the victim consents to the application." in text


def test_failed_condition_is_named_in_its_own_words() -> None:
    """A local condition that fails is quoted in the letter."""
    policy = Policy(
        "recent",
        title="Recency",
        version="1",
        effective_from=D(2020, 1, 1),
        mandatory=rule("none", fact(Fact.VULNERABILITY_OVERRIDE), label="a senior manager's override"),
        conditions=(rule("recent", recency(months(1)), label="the last report was within one month"),),
    )
    application = app(D(2026, 3, 1), rep("R1", D(2025, 12, 1)), facts={"vulnerability_override": True})
    text = for_applicant(evaluate(application, policy, enforce_floor=False))
    assert 'must also meet the condition "the last report was within one month"' in text


@pytest.mark.parametrize(
    ("n", "text"), [(0, "no"), (1, "one"), (3, "three"), (10, "ten"), (11, "11")], ids=str
)
def test_words(n: int, text: str) -> None:
    """Small numbers are written in words, larger ones in figures."""
    assert words(n) == text


def test_long_date_has_no_leading_zero() -> None:
    """A letter writes 1 March 2026, not 01 March 2026."""
    assert long_date(dt.date(2026, 3, 1)) == "1 March 2026"


def test_officer_text_names_every_report_and_setting() -> None:
    """The officer's text carries every report id, reporter id and the settings that ran."""
    text = for_officer(evaluate(example_application(), STATUTORY))
    for needle in ("REP-0", "REP-2", "P-200", "late_report", "Settings that ran", "s.104(4)"):
        assert needle in text


def test_to_dict_is_json_and_names_the_policy_version() -> None:
    """The record survives json.dumps and names the policy and version that ran."""
    record = json.loads(json.dumps(to_dict(evaluate(example_application(), STATUTORY))))
    assert record["policy"] == {"id": "statutory", "version": "2014-10-20"}
    assert record["counted"] == ["REP-1", "REP-2", "REP-3"]
    assert record["letter"] == for_applicant(evaluate(example_application(), STATUTORY))


def test_report_rows_are_one_flat_row_per_report() -> None:
    """Tidy rows: one per report, the same keys in each, dates as dates, and the deciding rule named."""
    rows = report_rows(evaluate(example("not-met-window-edge"), STATUTORY))
    assert [r["report"] for r in rows] == ["R1", "R2", "R3"]
    assert len({tuple(r) for r in rows}) == 1
    first = rows[0]
    assert (first["rule"], first["counted"], first["reason"]) == ("s104-4", False, "outside_window")
    assert first["window_last"] == D(2026, 2, 27)
    assert first["policy_version"] == "2014-10-20"


# Identifiers made of letters that never appear together in English text, so a
# hit in the letter can only be the identifier itself.
_OTHER = st.text("QXZJ", min_size=4, max_size=6).map(lambda s: f"ZQ{s}")
_HOUSEHOLD = st.text("QXZJ", min_size=4, max_size=6).map(lambda s: f"HQ{s}")
BASE = dt.date(2025, 6, 1)


@st.composite
def applications(draw: st.DrawFn) -> Application:
    """An application about the victim VICTIM, with reports by the victim and by others.

    The applicant is the victim, or a third party with the victim's consent,
    or a third party whose consent is unknown or refused.  Behaviour may go
    on over several days, so that a report's behaviour day is not fixed.
    """
    others = draw(st.lists(_OTHER, min_size=1, max_size=5, unique=True))
    reports = []
    for index in range(draw(st.integers(1, 8))):
        made = BASE + dt.timedelta(days=draw(st.integers(0, 270)))
        began = made - dt.timedelta(days=draw(st.integers(0, 40)))
        length = draw(st.none() | st.integers(0, 60))
        ended = None if length is None else began + dt.timedelta(days=length)
        incident = Incident(f"I{index}", matter="M", began_on=began, ended_on=ended, hate=draw(st.booleans()))
        reports.append(
            Report(
                f"R{index}-{draw(_OTHER)}",
                reporter=draw(st.sampled_from(["VICTIM", *others])),
                made_on=made,
                incident=incident,
                household=draw(st.none() | _HOUSEHOLD),
            )
        )
    made_on = BASE + dt.timedelta(days=draw(st.integers(150, 330)))
    applicant = draw(st.sampled_from(["victim", "consented", "unknown", "refused"]))
    if applicant != "victim":
        # A third party (a councillor, say) applies for the victim.
        return Application(
            "A1",
            applicant="ZQCOUNCILLOR",
            on_behalf_of="VICTIM",
            consent={"consented": True, "unknown": None, "refused": False}[applicant],
            made_on=made_on,
            matter="M",
            reports=reports,
        )
    return Application("A1", applicant="VICTIM", made_on=made_on, matter="M", reports=reports)


HOUSEHOLDS = Policy(
    "households",
    title="Five households",
    version="1",
    effective_from=D(2020, 1, 1),
    local=(rule("community", count(5, unit=CountUnit.HOUSEHOLDS), label="five households have reported"),),
    appeal=Appeal("ask the council to review the decision"),
    timescales=Timescales(acknowledge=3, decide=10, appeal=20),
)
POLICIES = {**CATALOGUE, "households": HOUSEHOLDS}


@settings(max_examples=60, deadline=None)
@given(applications(), st.sampled_from(sorted(POLICIES)))
def test_letter_never_reveals_other_complainants(application: Application, policy: str) -> None:
    """No other reporter's id, their report ids or any household id appears in the applicant's letter."""
    text = for_applicant(evaluate(application, POLICIES[policy]))
    for report in application.reports:
        if report.household is not None:
            assert report.household not in text
        if report.reporter != application.victim:
            assert report.reporter not in text
            assert report.id not in text


_LONG_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(calendar.month_name[1:]) + r") (\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dates_in(text: str) -> set[dt.date]:
    """Every date written in *text*, as a letter writes it (1 March 2026) or as JSON does (2026-03-01)."""
    months_by_name = {name: n for n, name in enumerate(calendar.month_name) if name}
    found = {dt.date(int(y), months_by_name[m], int(d)) for d, m, y in _LONG_DATE.findall(text)}
    return found | {dt.date(int(y), int(m), int(d)) for y, m, d in _ISO_DATE.findall(text)}


def spans_of(decision: Decision) -> set[tuple[Span, Arithmetic]]:
    """The window and lag spans of every count the decision ran, with their arithmetic."""
    found = set()
    for result in decision.results():
        for node in result.walk():
            if isinstance(node.predicate, Count):
                selection = node.predicate.selection
                found.add((selection.window.span, selection.window.arithmetic))
                if selection.lag is not None:
                    found.add((selection.lag.span, selection.lag.arithmetic))
    return found


def derived(reports: Iterable[Report], spans: set[tuple[Span, Arithmetic]]) -> set[dt.date]:
    """The dates worked out from *reports*: made on, behaviour days, and the last days of spans from them.

    Two steps of spans, since a deadline can be the last day of a window that
    begins on the last day of another (a window placed by the latest incident).
    """
    days = set()
    for report in reports:
        days.add(report.made_on)
        last = min(report.incident.ended_on or report.incident.began_on, report.made_on)
        days.update(
            report.incident.began_on + dt.timedelta(n)
            for n in range((last - report.incident.began_on).days + 1)
        )
    for _ in range(2):
        days |= {period_last_day(day, span, arithmetic) for day in days for span, arithmetic in spans}
    return days


DECIDED = dt.date(2026, 6, 15)


@settings(max_examples=80, deadline=None)
@given(applications(), st.sampled_from(sorted(POLICIES)))
def test_no_date_told_to_the_applicant_comes_from_another_persons_report(
    application: Application, policy: str
) -> None:
    """Every date in the letter and the applicant's JSON is the applicant's to know.

    A date derivable only from other people's reports (their dates, behaviour
    days, and window or lag last days from them) must not appear unless the
    victim's own reports (for a consented or own application), the
    application date, the decision date or the policy give the same date.
    For a third party without consent, the victim's reports are other people's.
    """
    decision = evaluate(application, POLICIES[policy])
    data = to_applicant_dict(decision, decided_on=DECIDED)
    told = dates_in(data["letter"]) | dates_in(json.dumps({k: v for k, v in data.items() if k != "letter"}))
    knows = application.on_behalf_of is None or application.consent is True
    own = [r for r in application.reports if knows and r.reporter == application.victim]
    theirs = [r for r in application.reports if r not in own]
    spans = spans_of(decision)
    timescales = decision.policy.timescales
    allowed = derived(own, spans) | {decision.as_of, DECIDED} | dates_in(repr(decision.policy))
    allowed |= {
        d for d in (timescales.acknowledge_by(decision.as_of), timescales.decide_by(decision.as_of)) if d
    }
    allowed |= {d for d in (timescales.appeal_by(DECIDED),) if d}
    leaked = (told & derived(theirs, spans)) - allowed
    assert not leaked, (sorted(leaked), data["letter"])
    if not knows:
        assert data["your_reports"] == []
        assert "more than once" not in data["letter"]


APPEAL = Appeal(
    "ask the Police and Crime Commissioner's office to review the decision",
    source=Source("Example PCC, 'ASB Case Review'"),
)


def _policy(**fields: Any) -> Policy:
    return attrs.evolve(STATUTORY, **fields)


def test_not_met_letter_gives_the_areas_review_route_and_its_date() -> None:
    """Not met, with an appeal route and time limit recorded: the letter says how and by when."""
    policy = _policy(appeal=APPEAL, timescales=Timescales(appeal=20))
    decision = evaluate(example("not-met-near-miss"), policy)
    text = for_applicant(decision, decided_on=D(2025, 12, 19))
    assert "If you are not satisfied with this decision, you can ask for it to be reviewed." in text
    assert (
        "The area's procedures say: \"ask the Police and Crime Commissioner's office to review the "
        "decision\" (Example PCC, 'ASB Case Review')."
    ) in text
    # 20 working days from Friday 19 December 2025, over Christmas, Boxing Day and New Year's Day.
    assert "You must ask within 20 working days of the decision, that is by 21 January 2026." in text
    assert add_working_days(D(2025, 12, 19), 20) == D(2026, 1, 21)


def test_review_time_limit_without_a_decision_date_is_in_working_days() -> None:
    """Without the date of the decision, the letter gives the time limit in working days only."""
    policy = _policy(appeal=APPEAL, timescales=Timescales(appeal=21))
    text = for_applicant(evaluate(example("not-met-near-miss"), policy))
    assert "You must ask within 21 working days of the decision." in text


def test_no_recorded_route_points_to_the_published_procedures() -> None:
    """Not met, no appeal route recorded: the letter says the area's published procedures say how."""
    text = for_applicant(evaluate(example("not-met-near-miss"), STATUTORY))
    assert (
        "If you are not satisfied with this decision, you can ask for it to be reviewed. "
        "The area's published ASB Case Review procedures say how."
    ) in text


def test_met_letter_says_what_happens_next_and_by_when() -> None:
    """Met, with working-day timescales recorded: the next steps carry their dates."""
    policy = _policy(timescales=Timescales(acknowledge=5, decide=10, appeal=20))
    text = for_applicant(evaluate(example_application(), policy))
    # 28 February 2026 is a Saturday: five working days is Friday 6 March, ten is 13 March.
    assert (
        "What happens next: the relevant bodies will acknowledge your application by 6 March 2026 "
        "(five working days from the application) and confirm this decision in writing by 13 March 2026 "
        "(ten working days from the application); they will then carry out the ASB Case Review"
    ) in text
    assert "not satisfied" not in text
    # Given the date of the decision, a step already past is left out.
    later = for_applicant(evaluate(example_application(), policy), decided_on=D(2026, 3, 9))
    assert "acknowledge" not in later
    assert "confirm this decision in writing by 13 March 2026" in later


def test_undetermined_letter_says_by_when_it_will_be_decided() -> None:
    """Undetermined, with a decision timescale recorded: the letter says until when the bodies have."""
    policy = _policy(
        local=(rule("risk", fact(Fact.VICTIM_HIGH_RISK), label="the victim is assessed as high risk"),),
        timescales=Timescales(decide=10),
    )
    text = for_applicant(evaluate(app(D(2026, 2, 2), rep("R1", D(2026, 1, 10))), policy))
    assert "ten working days from the application to decide, that is until 16 February 2026." in text


def test_letter_says_s104_4_is_met_with_the_floor_not_enforced() -> None:
    """Own complaints only, the floor reported only: the letter still says s.104(4) is met."""
    policy = _policy(
        mandatory=rule(
            "own", count(3, selection=Selection(who=Who.VICTIM)), label="three of your own complaints"
        )
    )
    # Two complaints by the applicant and one by a neighbour: three qualifying complaints.
    application = app(
        D(2026, 2, 1),
        *(rep(f"R{i}", D(2026, 1, 10 + i)) for i in range(2)),
        rep("R2", D(2026, 1, 12), by="P2"),
    )
    decision = evaluate(application, policy, enforce_floor=False)
    assert not decision.met
    text = for_applicant(decision)
    assert "does not meet the threshold" in text
    assert (
        "However, the threshold is met under section 104(4) of the Anti-social Behaviour, Crime and "
        "Policing Act 2014"
    ) in text
    assert to_applicant_dict(decision)["statutory_floor_met"] is True


def test_letter_says_s104_4_is_met_beside_a_local_rule() -> None:
    """Met by a local rule with the floor also met: the letter says s.104(4) is met too."""
    policy = _policy(
        mandatory=rule(
            "own", count(3, selection=Selection(who=Who.VICTIM)), label="three of your own complaints"
        ),
        local=(rule("three", count(3), label="three complaints, locally"),),
    )
    # Two complaints by the applicant and one by a neighbour: three qualifying complaints.
    application = app(
        D(2026, 2, 1),
        *(rep(f"R{i}", D(2026, 1, 10 + i)) for i in range(2)),
        rep("R2", D(2026, 1, 12), by="P2"),
    )
    text = for_applicant(evaluate(application, policy, enforce_floor=False))
    assert "The threshold is also met under section 104(4)" in text


@pytest.mark.parametrize("given", [None, False], ids=["consent-unknown", "consent-refused"])
def test_third_party_without_consent_learns_nothing_of_the_victims_reports(given: bool | None) -> None:
    """No dates, no numbers of the victim's reports, no "reported more than once", in the letter or JSON."""
    reports = [rep(f"R{i}", D(2025, 12, 1 + 10 * i), by="V1") for i in range(2)]
    for decision in (
        evaluate(
            app(D(2026, 1, 15), *reports, applicant="MP-1", on_behalf_of="V1", consent=given), STATUTORY
        ),
        evaluate(
            app(
                D(2026, 1, 15),
                *reports,
                rep("R9", D(2026, 1, 2), by="V1"),
                applicant="MP-1",
                on_behalf_of="V1",
            ),
            STATUTORY,
        ),
    ):
        data = to_applicant_dict(decision)
        text = data["letter"]
        assert "consent to this application is not recorded" in text
        for day in ("1 December 2025", "11 December 2025", "2 January 2026"):
            assert day not in text
        assert "counted" not in text.replace("not enough was counted", "")
        assert "victim's report" not in text
        assert "one more" not in text
        assert "more than once" not in text
        assert data["your_reports"] == []
        assert all(m["more_needed"] is None and m["deadline"] is None for m in data["near_misses"])


def test_a_deadline_set_by_someone_elses_report_is_withheld() -> None:
    """The near miss set by a neighbour's complaint gives no date; the applicant's own would."""
    # Counted on 1 May 2026: the victim's report of 2 February and P-200's of 15 November 2025,
    # whose six months end on 14 May 2026, the date a new application would have to beat.
    decision = evaluate(example_application(), STATUTORY, as_of=D(2026, 5, 1))
    assert [s.tally.deadline for s in decision.shortfalls()] == [D(2026, 5, 14)]
    text = for_applicant(decision)
    assert "14 May 2026" not in text
    assert "A new application, after one more qualifying complaint, would meet it if made while" in text
    data = to_applicant_dict(decision)
    assert data["near_misses"] == [
        {"rule": decision.find_rule("s104-4").label, "more_needed": 1, "deadline": None}
    ]
    assert "2026-05-14" not in json.dumps(data)


def test_applicant_json_has_no_lapsing_date() -> None:
    """The applicant's JSON says when the threshold was met, never until when it "stays met"."""
    data = to_applicant_dict(evaluate(example_application(), STATUTORY))
    assert "met_until" not in data
    assert data["met_on"] == "2026-02-28"


@pytest.mark.parametrize("name", list(Fact), ids=[f.value for f in Fact])
def test_each_fact_is_asked_of_the_applicant_or_left_to_the_officer(name: Fact) -> None:
    """A fact the applicant can know is asked in the letter; any other is for the officer alone."""
    policy = _policy(local=(rule("r", fact(name), label="a local rule"),))
    decision = evaluate(app(D(2026, 2, 1), rep("R1", D(2026, 1, 10))), policy)
    text, officer = for_applicant(decision), for_officer(decision)
    assert (_QUESTION[name] in text) is (name in ASKED_OF_APPLICANT)
    assert (f"{name.value}: {_QUESTION[name]}" in officer) is (name not in ASKED_OF_APPLICANT)


def test_the_applicants_own_view_is_asked_of_them() -> None:
    """ "You feel no effective action was taken" is the applicant's to say: the letter asks it."""
    policy = _policy(local=(rule("r", fact(Fact.APPLICANT_SAYS_NO_EFFECTIVE_ACTION), label="no action"),))
    text = for_applicant(evaluate(app(D(2026, 2, 1), rep("R1", D(2026, 1, 10))), policy))
    assert "we need you to tell us whether you feel that no effective action has been taken." in text
    assert "you do not need to do anything" not in text


def test_undetermined_letter_says_s104_4_is_met_without_a_decision_to_review() -> None:
    """Undetermined, floor reported only and met: s.104(4) is named; no review of a decision not made."""
    policy = _policy(
        mandatory=rule(
            "own", count(3, selection=Selection(who=Who.VICTIM)), label="three of your own complaints"
        ),
        local=(rule("closed", fact(Fact.CASE_CLOSED), label="the case is closed"),),
    )
    # Two complaints by the applicant and one by a neighbour: three qualifying complaints.
    application = app(
        D(2026, 2, 1),
        *(rep(f"R{i}", D(2026, 1, 10 + i)) for i in range(2)),
        rep("R2", D(2026, 1, 12), by="P2"),
    )
    decision = evaluate(application, policy, enforce_floor=False)
    assert decision.outcome is Outcome.UNKNOWN
    text = for_applicant(decision)
    assert "However, the threshold is met under section 104(4)" in text
    assert "reviewed" not in text


# Other people's R1, R2 and R4 make the run counted; the applicant's R3 falls outside it.
_OUTSIDE_RUN = app(
    D(2025, 9, 15),
    rep("R1", D(2025, 1, 1), by="P2"),
    rep("R2", D(2025, 2, 1), by="P3"),
    rep("R4", D(2025, 2, 10), by="P4"),
    rep("R3", D(2025, 9, 1)),
)
_RUN_POLICY = Policy(
    "runs",
    title="Three complaints within two months of the first",
    version="1",
    effective_from=D(2000, 1, 1),
    mandatory=rule(
        "run",
        count(
            3,
            selection=Selection(
                window=Window(months(2), anchor=Anchor.FIRST_REPORT, application_within=months(12)),
                lag=None,
            ),
        ),
        label="three complaints within two months of the first",
    ),
)


def test_the_officer_json_carries_each_fates_true_reason_and_the_applicants_only_their_own() -> None:
    """to_dict gives every fate's ``because`` (the letter's sentence key); the applicant's JSON their own."""
    decision = evaluate(_OUTSIDE_RUN, _RUN_POLICY)
    data = to_dict(decision)
    (run,) = [r for r in data["rules"].values() if r["rule"] == "run"]
    because = {f["report"]: f["because"] for f in run["children"][0]["tally"]["fates"]}
    assert decision.met
    assert because == {"R1": None, "R2": None, "R4": None, "R3": "outside_run"}
    assert [f["because"] for f in data["fates"]] == [f.because for f in decision.fates]
    applicant = to_applicant_dict(decision)
    mine = {r["report"]: (r["reason"], r["because"]) for r in applicant["your_reports"]}
    assert mine == {"R3": ("outside_window", "outside_run")}
    assert not {"P2", "P3", "P4", "R1", "R2", "R4"} & set(re.findall(r"\w+", json.dumps(applicant)))


_BECAUSE = frozenset(
    tomllib.loads((Path(render.__file__).parent / "messages" / "en.toml").read_text())["because"]
)


@settings(max_examples=60, deadline=None)
@given(applications(), st.sampled_from(sorted(POLICIES)))
def test_the_applicants_json_gives_a_reason_only_from_the_letters_closed_vocabulary(
    application: Application, policy: str
) -> None:
    """Each ``because`` the applicant is given is a key of the letter's sentences: it cannot name anyone.

    And it is the officer's ``because`` for the same report, so both say the same of it.
    """
    decision = evaluate(application, POLICIES[policy])
    officer = {f["report"]: f["because"] for f in to_dict(decision)["fates"]}
    if not decision.met and decision.shortfalls():
        # Not met: the reports are judged under the rule the letter quotes, the closest.
        officer = {f.report: f.because for f in expected_closest(decision).tally.fates}
    for report in to_applicant_dict(decision)["your_reports"]:
        assert report["because"] is None or report["because"] in _BECAUSE
        assert report["because"] == officer[report["report"]]


def test_the_applicants_json_says_of_each_report_what_the_letter_says() -> None:
    """East Devon, not met: the letter explains its own rule (a lag on the first report counted
    only), under which the applicant's late second report counts; the JSON says so too, not what
    the statute's count (which turns it away as late) says."""
    application = app(
        D(2025, 11, 1),
        rep("R1", D(2025, 9, 1), D(2025, 8, 31)),
        rep("R2", D(2025, 10, 20), D(2025, 9, 2)),
        facts={Fact.INVESTIGATION_COMPLETE: True, Fact.HARASSMENT_ALARM_DISTRESS: True},
    )
    decision = evaluate(application, get_policy("east-devon"))
    assert decision.outcome is Outcome.NOT_MET
    letter = for_applicant(decision)
    assert "two of your reports, made on 1 September 2025 and 20 October 2025" in letter
    mine = {r["report"]: (r["counted"], r["reason"]) for r in to_applicant_dict(decision)["your_reports"]}
    assert mine == {"R1": (True, "counted"), "R2": (True, "counted")}
    # The officer's record keeps the statute's view as well: late under s.104's own lag.
    assert {f.report: f.reason for f in decision.fates}["R2"] is Reason.LATE_REPORT
