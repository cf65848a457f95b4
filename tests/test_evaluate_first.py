"""What makes an application's first evaluation cheaper gives the answers it gave before.

The value tests of a selection applied in one function, the tables of periods' last days found by
the identity of span and arithmetic, the window's period shared between counts, the days of
behaviour in one comprehension, a unit of one report value counted in one dict: each is checked
here through the public API against the law's own answer.
"""

from __future__ import annotations

import random

import attrs
import pytest

from asb_case_review import qualifying
from asb_case_review.catalogue import CATALOGUE
from asb_case_review.dates import Arithmetic, Period, days, earliest_start, months, period_last_day
from asb_case_review.decision import evaluate
from asb_case_review.law import reports as law
from asb_case_review.models import Agency, Application, Incident, Report
from asb_case_review.qualifying import BehaviourDay, Lag, Reason, Selection, Shared, Window, select
from asb_case_review.rules import Context, CountUnit, count
from tests.builders import D, app, rep

# Three value tests (kinds, agencies, hate): R1 and R5 fail the first, R2 the second, R3 the third.
_SCREENED: tuple[Report, ...] = (
    rep("R1", D(2025, 5, 1), kind="diary_sheet", agency=Agency.POLICE, hate=True),
    rep("R2", D(2025, 5, 2), agency=Agency.LANDLORD, hate=True),
    rep("R3", D(2025, 5, 3), agency=Agency.POLICE),
    rep("R4", D(2025, 5, 4), agency=Agency.COUNCIL, hate=True),
    rep("R5", D(2025, 5, 5), kind="diary_sheet", agency=Agency.LANDLORD),
)
# R6 reports R4's incident again, to the police.
SCREENED = (*_SCREENED, attrs.evolve(_SCREENED[3], id="R6", made_on=D(2025, 5, 6), agency=Agency.POLICE))


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"exclude_kinds": ["diary_sheet"], "agencies": ["police", "council"], "hate_only": True},
            ["excluded_kind", "excluded_agency", "not_hate", "counted", "excluded_kind", "duplicate"],
        ),
        (
            {"agencies": ["police", "council"], "hate_only": True},
            ["counted", "excluded_agency", "not_hate", "counted", "excluded_agency", "duplicate"],
        ),
        (
            {"exclude_kinds": ["diary_sheet"], "hate_only": True},
            ["excluded_kind", "counted", "not_hate", "counted", "excluded_kind", "duplicate"],
        ),
        (
            {"exclude_kinds": ["diary_sheet"]},
            ["excluded_kind", "counted", "counted", "counted", "excluded_kind", "duplicate"],
        ),
    ],
    ids=["three-tests", "agencies-and-hate", "kinds-and-hate", "one-test"],
)
def test_each_report_gets_the_first_value_test_it_fails_in_the_laws_order(
    settings: dict[str, object], expected: list[str]
) -> None:
    """However many value tests a selection makes, a report is turned away by the first it fails."""
    selection = Selection(lag=None, **settings)  # type: ignore[arg-type]
    result = count(2, unit=CountUnit.INCIDENTS, selection=selection)(
        Context(app(D(2025, 6, 1), *SCREENED), D(2025, 6, 1))
    )
    assert result.tally is not None
    assert [f.reason.value for f in result.tally.fates] == expected
    assert result.tally.count == expected.count("counted")


def test_a_unit_of_one_report_value_counts_distinct_values_and_names_each_duplicate() -> None:
    """Incidents reported once each are each a unit; a second report of one is a duplicate."""
    once = app(D(2025, 6, 1), *(rep(f"R{n}", D(2025, 5, n)) for n in range(1, 5)))
    twice = app(D(2025, 6, 1), *once.reports, attrs.evolve(once.reports[0], id="R9", made_on=D(2025, 5, 9)))
    incidents = count(3, unit=CountUnit.INCIDENTS, selection=Selection(lag=None))
    first, second = incidents(Context(once, once.made_on)), incidents(Context(twice, twice.made_on))
    assert first.tally is not None
    assert second.tally is not None
    assert first.tally.count == second.tally.count == 4
    assert {f.reason for f in first.tally.fates} == {Reason.COUNTED}
    assert [f.report for f in second.tally.fates if f.reason is Reason.DUPLICATE] == ["R9"]
    # The unit stays in the window until the last day of its latest report.
    assert first.valid_until == period_last_day(D(2025, 5, 2), months(6))
    assert second.valid_until == period_last_day(D(2025, 5, 3), months(6))
    assert second.tally.possible == 4


def test_a_missing_household_is_still_uncertain_however_the_units_are_counted() -> None:
    """A report with no household makes a household count uncertain, not one more unit."""
    given = [rep(f"R{n}", D(2025, 5, n), by=f"P{n}", household=f"H{n}") for n in range(1, 3)]
    missing = rep("R3", D(2025, 5, 3), by="P3")
    households = count(3, unit=CountUnit.HOUSEHOLDS, selection=Selection(lag=None))
    result = households(Context(app(D(2025, 6, 1), *given, missing), D(2025, 6, 1)))
    assert result.tally is not None
    assert (result.tally.count, result.tally.possible) == (2, 3)
    assert {f.report: f.reason for f in result.tally.fates}["R3"] is Reason.UNKNOWN_HOUSEHOLD


@pytest.mark.parametrize("arithmetic", list(Arithmetic))
def test_equal_spans_share_their_last_days_and_each_is_the_laws(arithmetic: Arithmetic) -> None:
    """Last days found by one span object are right for an equal one, and for a different one."""
    application = app(D(2025, 6, 1), *(rep(f"R{n}", D(2025, 1 + n % 5, 1 + n)) for n in range(12)))
    for span in (months(6), months(6), days(90), months(1)):
        window = Window(span, arithmetic=arithmetic)
        selected = select(
            Selection(lag=Lag(span, arithmetic=arithmetic), window=window), application, D(2025, 6, 1)
        )
        for report, _, last in selected.inside:
            assert last == period_last_day(report.made_on, span, arithmetic)
        assert selected.window == Period(earliest_start(D(2025, 6, 1), span, arithmetic), D(2025, 6, 1))
        table = Shared(application).lasts(span, arithmetic)
        assert all(value == period_last_day(first, span, arithmetic) for first, value in table.items())


def test_the_remembered_windows_stay_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its bound the table of windows starts afresh; every window is the one counted back."""
    monkeypatch.setattr(qualifying, "_MOST_WINDOWS", 2)
    monkeypatch.setattr(qualifying, "_WINDOWS", {})
    application = app(D(2025, 6, 1), rep("R1", D(2025, 5, 1)), rep("R2", D(2025, 5, 20), D(2024, 11, 1)))
    by_incident = Selection(lag=None, window=Window(months(6), date_of="incident"))
    for day in (D(2025, 6, 1), D(2025, 6, 2), D(2025, 6, 3), D(2025, 6, 1)):
        for selection in (Selection(), by_incident):
            selected = select(selection, application, day)
            assert selected.window == Period(earliest_start(day, months(6)), day)
            assert len(qualifying._WINDOWS) <= 2
        # By the day of the behaviour, R2's incident of November 2024 is outside; by the day made, inside.
        assert [r.id for r, _, _ in select(by_incident, application, day).inside] == ["R1"]
        assert [r.id for r, _, _ in select(Selection(lag=None), application, day).inside] == ["R1", "R2"]


def test_the_days_of_behaviour_are_the_laws_for_every_kind_of_incident() -> None:
    """One-day, continuing and ended-before-the-report incidents: each report's day is the law's."""
    reports = [
        rep("R1", D(2025, 5, 1)),
        rep("R2", D(2025, 5, 10), D(2025, 5, 1), ended=D(2025, 5, 20)),
        rep("R3", D(2025, 5, 30), D(2025, 5, 1), ended=D(2025, 5, 20)),
        rep("R4", D(2025, 5, 20), D(2025, 5, 1), ended=D(2025, 5, 20)),
    ]
    for rule in BehaviourDay:
        expected = [
            law.behaviour_day(rule, r.incident.began_on, r.incident.ended_on, r.made_on) for r in reports
        ]
        assert law.behaviour_days(rule, reports) == expected
    assert law.behaviour_days(BehaviourDay.LATEST_ON_OR_BEFORE_REPORT, reports) == [
        D(2025, 4, 30),
        D(2025, 5, 10),
        D(2025, 5, 20),
        D(2025, 5, 20),
    ]


@pytest.mark.parametrize(
    "name", ["canterbury", "sandwell", "blackburn-with-darwen", "statutory", "merseyside"]
)
def test_a_first_evaluation_of_shuffled_reports_is_the_evaluation_of_them_in_order(name: str) -> None:
    """A fresh application, its reports in any order, is decided and explained as one in the law's order."""
    policy = CATALOGUE[name]
    incidents = [Incident(f"I{n}", matter="M", began_on=D(2025, 1, 1 + n), hate=n % 3 == 0) for n in range(7)]
    reports = [
        Report(f"R{n:02}", reporter=("P1" if n % 3 else f"P{n}"), made_on=D(2025, 1 + n % 5, 10 + n % 17),
               agency=list(Agency)[n % 5], incident=incidents[n % 7])
        for n in range(20)
    ]  # fmt: skip
    ordered = app(D(2025, 6, 1), *sorted(reports, key=lambda r: (r.made_on, r.id)))
    expected = evaluate(ordered, policy)
    for seed in range(3):
        shuffled = list(reports)
        random.Random(seed).shuffle(shuffled)
        fresh: Application = attrs.evolve(ordered, reports=tuple(shuffled))
        decision = evaluate(fresh, policy)
        # The application itself is another value (its reports are in another order).
        assert attrs.evolve(decision, application=ordered) == expected
        assert repr(decision) == repr(expected)
        assert decision.fates == expected.fates
        assert decision.floor == expected.floor
        assert (decision.warnings, decision.signals) == (expected.warnings, expected.signals)
