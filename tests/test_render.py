"""The letter for the applicant, the officer's explanation and the JSON-ready record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asb_case_review import (
    CATALOGUE,
    STAFFORDSHIRE_MOORLANDS,
    STATUTORY,
    Application,
    CountUnit,
    Fact,
    Incident,
    Policy,
    Report,
    consent,
    count,
    evaluate,
    fact,
    for_applicant,
    for_officer,
    months,
    recency,
    rule,
    to_dict,
)
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping
from asb_case_review.render import _QUESTION, long_date, report_rows, words

from .builders import D, app, rep

EXAMPLES = Path(__file__).parent.parent / "examples"


def example(name: str) -> Application:
    return application_from_mapping(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def test_near_miss_names_how_many_more_and_by_when() -> None:
    """Two of three counted: the letter says one more report made by the last day would meet it."""
    text = for_applicant(evaluate(example("not-met-near-miss"), STATUTORY))
    assert "does not meet the threshold" in text
    assert "we counted two of the three qualifying complaints it needs" in text
    assert "One more qualifying report made by 1 March 2026 would meet it." in text


def test_near_miss_for_the_law_example() -> None:
    """Reports of 31 Aug and 5 Jan: one more made by 28 February 2026 would meet it (domain brief, 2)."""
    application = app(D(2026, 1, 15), rep("R1", D(2025, 8, 31)), rep("R2", D(2026, 1, 5)))
    text = for_applicant(evaluate(application, STATUTORY))
    assert "One more qualifying report made by 28 February 2026 would meet it." in text


def test_met_letter_names_the_rule_its_source_and_the_date_it_stays_met_until() -> None:
    """A met letter quotes the rule's wording, cites it and says until when it stays met."""
    text = for_applicant(evaluate(example("met-personal-local"), STAFFORDSHIRE_MOORLANDS))
    assert text.startswith("Your application of 10 March 2026 meets the threshold")
    assert '"you have reported three or more related incidents of antisocial behaviour' in text
    assert "Staffordshire Moorlands District Council" in text
    assert "stays met for an application made on or before 19 May 2026." in text


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
    assert "Qualifying reports from one more person made by 9 July 2026 would meet it." in text


def test_unknown_outcome_says_which_fact_is_needed() -> None:
    """A rule on a fact not supplied leaves the letter saying the case cannot be decided yet, and why."""
    policy = Policy(
        "high-risk",
        title="High risk",
        version="1",
        effective_from=D(2020, 1, 1),
        local=(rule("risk", fact(Fact.VICTIM_HIGH_RISK), label="the victim is assessed as high risk"),),
    )
    text = for_applicant(evaluate(app(D(2026, 2, 1), rep("R1", D(2026, 1, 10))), policy))
    assert "cannot be decided yet: we need more information" in text
    assert "In particular, we need to know whether the victim has been assessed as high risk." in text


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
    assert "we need to know whether the victim consents to the application." in text


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
    """An application by the victim VICTIM with reports by the victim and by others."""
    others = draw(st.lists(_OTHER, min_size=1, max_size=5, unique=True))
    reports = []
    for index in range(draw(st.integers(1, 8))):
        made = BASE + dt.timedelta(days=draw(st.integers(0, 270)))
        began = made - dt.timedelta(days=draw(st.integers(0, 40)))
        incident = Incident(f"I{index}", matter="M", began_on=began, hate=draw(st.booleans()))
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
    if draw(st.booleans()):
        # A third party (a councillor, say) applies with the victim's consent.
        return Application(
            "A1",
            applicant="ZQCOUNCILLOR",
            on_behalf_of="VICTIM",
            consent=True,
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
