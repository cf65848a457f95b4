"""Unit tables for the qualifying-report tests: every reason code, lag and window anchor."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from asb_case_review.dates import Arithmetic, Period, days, months
from asb_case_review.errors import InvalidInput
from asb_case_review.law import reports as law
from asb_case_review.models import Agency, Application
from asb_case_review.qualifying import (
    Anchor,
    BehaviourDay,
    DateOf,
    Lag,
    LagScope,
    Reason,
    Selection,
    Who,
    Window,
    behaviour_day,
    select,
)
from asb_case_review.rules import Context, CountUnit, count
from tests.builders import D, app, rep

A = D(2026, 2, 28)


def reasons(selection: Selection, application: Application) -> dict[str, Reason]:
    return {f.report: f.reason for f in select(selection, application, application.made_on).fates}


REASON_CASES = [
    (Selection(), rep("R", D(2026, 1, 5), matter="OTHER"), Reason.UNRELATED),
    (Selection(), rep("R", D(2026, 3, 1)), Reason.MADE_AFTER_APPLICATION),
    (Selection(who=Who.VICTIM), rep("R", D(2026, 1, 5), by="P2"), Reason.NOT_BY_VICTIM),
    (
        Selection(exclude_kinds={"diary_sheet"}),
        rep("R", D(2026, 1, 5), kind="diary_sheet"),
        Reason.EXCLUDED_KIND,
    ),
    (Selection(agencies={"police"}), rep("R", D(2026, 1, 5), agency=Agency.COUNCIL), Reason.EXCLUDED_AGENCY),
    (Selection(hate_only=True), rep("R", D(2026, 1, 5)), Reason.NOT_HATE),
    (Selection(), rep("R", D(2026, 1, 5), D(2025, 12, 4)), Reason.LATE_REPORT),
    (Selection(), rep("R", D(2025, 8, 28), D(2025, 8, 28)), Reason.OUTSIDE_WINDOW),
    (Selection(), rep("R", D(2025, 8, 29), D(2025, 8, 29)), Reason.COUNTED),
    (Selection(hate_only=True), rep("R", D(2026, 1, 5), hate=True), Reason.COUNTED),
    (Selection(who=Who.VICTIM), rep("R", D(2026, 1, 5), by="P1"), Reason.COUNTED),
    (Selection(exclude_kinds={"diary_sheet"}), rep("R", D(2026, 1, 5), kind="call"), Reason.COUNTED),
    (Selection(agencies={"police"}), rep("R", D(2026, 1, 5), agency=Agency.POLICE), Reason.COUNTED),
]


@pytest.mark.parametrize(
    ("selection", "report", "expected"),
    REASON_CASES,
    ids=[
        "unrelated",
        "after-application",
        "not-by-victim",
        "excluded-kind",
        "excluded-agency",
        "not-hate",
        "late",
        "outside-window",
        "first-day-of-window",
        "hate-counted",
        "victim-counted",
        "other-kind-counted",
        "listed-agency-counted",
    ],
)
def test_reason_codes(selection: Selection, report: object, expected: Reason) -> None:
    """Each test a report can fail gives its own reason code."""
    assert reasons(selection, app(A, report)) == {"R": expected}  # type: ignore[arg-type]


def test_reasons_come_in_a_fixed_order() -> None:
    """A report failing several tests is given the first: relatedness before lag before window."""
    report = rep("R", D(2025, 1, 5), D(2024, 11, 1), matter="OTHER")
    assert reasons(Selection(), app(A, report)) == {"R": Reason.UNRELATED}
    report = rep("R", D(2025, 1, 5), D(2024, 11, 1))
    assert reasons(Selection(), app(A, report)) == {"R": Reason.LATE_REPORT}


LAG_CASES = [
    (Lag(), D(2025, 12, 15), D(2026, 1, 14), Reason.COUNTED),
    (Lag(), D(2025, 12, 15), D(2026, 1, 15), Reason.LATE_REPORT),
    (Lag(), D(2025, 12, 31), D(2026, 1, 30), Reason.COUNTED),
    (Lag(), D(2025, 12, 31), D(2026, 1, 31), Reason.LATE_REPORT),
    (Lag(), D(2026, 1, 31), D(2026, 2, 28), Reason.COUNTED),
    (Lag(days(30)), D(2026, 1, 1), D(2026, 1, 30), Reason.COUNTED),
    (Lag(days(30)), D(2026, 1, 1), D(2026, 1, 31), Reason.LATE_REPORT),
    (Lag(days(30), arithmetic=Arithmetic.INCLUSIVE), D(2026, 1, 1), D(2026, 1, 31), Reason.COUNTED),
    (Lag(days(7)), D(2026, 1, 1), D(2026, 1, 7), Reason.COUNTED),
    (Lag(days(7)), D(2026, 1, 1), D(2026, 1, 8), Reason.LATE_REPORT),
]


@pytest.mark.parametrize(
    ("lag", "behaviour", "made", "expected"),
    LAG_CASES,
    ids=[
        "1m-last-day",
        "1m-day-after",
        "dec31-last",
        "dec31-after",
        "jan31-to-feb28",
        "30d-last",
        "30d-after",
        "30d-inclusive",
        "7d-last",
        "7d-after",
    ],
)
def test_report_lag(lag: Lag, behaviour: dt.date, made: dt.date, expected: Reason) -> None:
    """A report must be made within the lag period beginning with the day of the behaviour."""
    selection = Selection(lag=lag)
    assert reasons(selection, app(A, rep("R", made, behaviour))) == {"R": expected}


def test_no_lag_admits_late_reports() -> None:
    """With no lag limit a report made long after the behaviour still counts."""
    assert reasons(Selection(lag=None), app(A, rep("R", D(2026, 2, 1), D(2025, 3, 1)))) == {
        "R": Reason.COUNTED
    }


def test_lag_for_the_first_report_only() -> None:
    """Under a first-report lag only the first report counted is held to it; later ones count however late."""
    selection = Selection(lag=Lag(days(7), applies_to=LagScope.FIRST))
    ok = app(A, rep("R1", D(2026, 1, 2), D(2026, 1, 1)), rep("R2", D(2026, 2, 1), D(2025, 12, 1)))
    assert reasons(selection, ok) == {"R1": Reason.COUNTED, "R2": Reason.COUNTED}
    # A late report does not bar the ones after it: the first made in time is the first counted.
    late_first = app(A, rep("R1", D(2026, 1, 20), D(2026, 1, 1)), rep("R2", D(2026, 2, 1), D(2026, 1, 31)))
    assert reasons(selection, late_first) == {"R1": Reason.LATE_REPORT, "R2": Reason.COUNTED}
    fates = {f.report: f for f in select(selection, late_first, A).fates}
    assert fates["R1"].because == "first_report_late"
    assert "it would be the first report counted" in fates["R1"].detail


@pytest.mark.parametrize(
    ("rule", "expected"),
    [(BehaviourDay.LATEST_ON_OR_BEFORE_REPORT, D(2026, 1, 10)), (BehaviourDay.FIRST_DAY, D(2025, 12, 1))],
    ids=["latest-before-report", "first-day"],
)
def test_behaviour_day_of_continuing_behaviour(rule: BehaviourDay, expected: dt.date) -> None:
    """Behaviour over several days is dated by the chosen rule, never after the report."""
    report = rep("R", D(2026, 1, 10), D(2025, 12, 1), ended=D(2026, 2, 1))
    assert behaviour_day(report, rule) == expected


def test_continuing_behaviour_anchor_decides_the_lag() -> None:
    """Behaviour still going on within the month counts by default, not under the first-day rule."""
    report = rep("R", D(2026, 1, 10), D(2025, 11, 1), ended=D(2026, 1, 5))
    assert reasons(Selection(), app(A, report)) == {"R": Reason.COUNTED}
    first_day = Selection(behaviour_day=BehaviourDay.FIRST_DAY)
    assert reasons(first_day, app(A, report)) == {"R": Reason.LATE_REPORT}


def test_window_by_incident_date() -> None:
    """A window on incident dates tests the day of the behaviour, not the report."""
    selection = Selection(
        lag=None, window=Window(months(6), anchor=Anchor.APPLICATION, date_of=DateOf.INCIDENT)
    )
    inside = rep("R1", D(2025, 10, 1), D(2025, 8, 29))
    outside = rep("R2", D(2025, 10, 1), D(2025, 8, 28))
    assert reasons(selection, app(A, inside, outside)) == {"R1": Reason.COUNTED, "R2": Reason.OUTSIDE_WINDOW}


def test_inclusive_window_admits_one_more_day() -> None:
    """The inclusive reading also counts the report made exactly six months before."""
    selection = Selection(
        window=Window(months(6), anchor=Anchor.APPLICATION, arithmetic=Arithmetic.INCLUSIVE)
    )
    report = rep("R", D(2025, 8, 28), D(2025, 8, 28))
    assert reasons(selection, app(A, report)) == {"R": Reason.COUNTED}


def counted_fates(selection: Selection, application: Application) -> dict[str, Reason]:
    result = count(1, unit=CountUnit.REPORTS, selection=selection)(Context(application, application.made_on))
    assert result.tally is not None
    return {f.report: f.reason for f in result.tally.fates}


def test_window_from_the_first_report_counted_is_the_best_run() -> None:
    """ "Within six months of the first complaint" bounds the reports counted, not the application."""
    selection = Selection(lag=None, window=Window(months(6), anchor=Anchor.FIRST_REPORT))
    reports = (rep("R1", D(2025, 9, 10)), rep("R2", D(2025, 12, 1)), rep("R3", D(2026, 3, 10)))
    assert counted_fates(selection, app(D(2026, 3, 9), *reports)) == {
        "R1": Reason.COUNTED,
        "R2": Reason.COUNTED,
        "R3": Reason.MADE_AFTER_APPLICATION,
    }
    # The six months beginning with 10 September 2025 end on 9 March 2026; the run beginning with
    # 1 December holds R2 and R3, and the application is within six months of R3: that run is shown.
    assert counted_fates(selection, app(D(2026, 3, 10), *reports)) == {
        "R1": Reason.OUTSIDE_WINDOW,
        "R2": Reason.COUNTED,
        "R3": Reason.COUNTED,
    }
    # Six months beginning with the last report of the run (10 March 2026) end on 9 September.
    late = counted_fates(selection, app(D(2026, 9, 10), *reports))
    assert set(late.values()) == {Reason.APPLICATION_OUTSIDE_WINDOW, Reason.OUTSIDE_WINDOW}
    assert counted_fates(selection, app(D(2026, 9, 9), *reports))["R3"] is Reason.COUNTED


def test_no_bound_on_the_application_when_the_wording_sets_none() -> None:
    """application_within=None: a run of reports stays a run, however long ago."""
    window = Window(months(6), anchor=Anchor.FIRST_REPORT, application_within=None)
    reports = (rep("R1", D(2020, 1, 10)), rep("R2", D(2020, 2, 1)))
    assert set(counted_fates(Selection(lag=None, window=window), app(D(2026, 3, 9), *reports)).values()) == {
        Reason.COUNTED
    }


def test_window_from_first_report_and_the_application() -> None:
    """Where the wording ties the application to the first report: reports and application inside it."""
    selection = Selection(lag=None, window=Window(months(6), anchor=Anchor.FIRST_REPORT_AND_APPLICATION))
    reports = (rep("R1", D(2025, 9, 10)), rep("R2", D(2025, 12, 1)), rep("R3", D(2026, 3, 10)))
    assert reasons(selection, app(D(2026, 3, 9), *reports)) == {
        "R1": Reason.COUNTED,
        "R2": Reason.COUNTED,
        "R3": Reason.MADE_AFTER_APPLICATION,
    }
    # The six months beginning with 10 September 2025 end on 9 March 2026.
    assert reasons(selection, app(D(2026, 3, 10), *reports)) == {
        "R1": Reason.APPLICATION_OUTSIDE_WINDOW,
        "R2": Reason.APPLICATION_OUTSIDE_WINDOW,
        "R3": Reason.APPLICATION_OUTSIDE_WINDOW,
    }


def test_window_from_first_report_excludes_later_reports_outside_it() -> None:
    """Under a short window from the first report, a later report outside it is excluded."""
    selection = Selection(lag=None, window=Window(days(10), anchor=Anchor.FIRST_REPORT_AND_APPLICATION))
    reports = (rep("R1", D(2026, 2, 20)), rep("R2", D(2026, 2, 28)), rep("R3", D(2026, 3, 2)))
    assert reasons(selection, app(D(2026, 3, 1), *reports)) == {
        "R1": Reason.COUNTED,
        "R2": Reason.COUNTED,
        "R3": Reason.MADE_AFTER_APPLICATION,
    }
    two = (rep("R1", D(2026, 2, 20)), rep("R2", D(2026, 3, 2)))
    assert reasons(selection, app(D(2026, 3, 1), *two))["R1"] is Reason.COUNTED


def test_window_from_first_incident() -> None:
    """A window from the first incident counted places each report by the day of its behaviour."""
    selection = Selection(lag=None, window=Window(months(1), anchor=Anchor.FIRST_INCIDENT))
    reports = (rep("R1", D(2026, 2, 20), D(2026, 2, 1)), rep("R2", D(2026, 2, 27), D(2026, 2, 25)))
    # One month beginning with 1 February ends on 28 February: both incidents are in one run, and
    # the application (1 March) is within six months of the last report of it.
    assert counted_fates(selection, app(D(2026, 3, 1), *reports)) == {
        "R1": Reason.COUNTED,
        "R2": Reason.COUNTED,
    }
    apart = (rep("R1", D(2026, 2, 20), D(2026, 2, 1)), rep("R2", D(2026, 3, 2), D(2026, 3, 1)))
    fates = counted_fates(selection, app(D(2026, 3, 3), *apart))
    assert sorted(fates.values()) == [Reason.COUNTED, Reason.OUTSIDE_WINDOW]


def test_window_from_latest_incident() -> None:
    """The application must come within the window after the latest incident."""
    selection = Selection(lag=None, window=Window(months(6), anchor=Anchor.LATEST_INCIDENT))
    reports = (
        rep("R1", D(2025, 6, 1), D(2025, 5, 1)),
        rep("R2", D(2025, 11, 2), D(2025, 11, 1)),
        rep("R3", D(2025, 12, 2), D(2025, 12, 1)),
    )
    # The six months up to 1 December 2025 begin on 2 June 2025: the May incident is out.
    assert reasons(selection, app(D(2026, 5, 31), *reports)) == {
        "R1": Reason.OUTSIDE_WINDOW,
        "R2": Reason.COUNTED,
        "R3": Reason.COUNTED,
    }
    assert set(reasons(selection, app(D(2026, 6, 1), *reports)).values()) == {
        Reason.APPLICATION_OUTSIDE_WINDOW
    }


def test_fates_do_not_depend_on_report_order() -> None:
    """Fates come in the order reports were made, whatever order they were given in."""
    reports = [rep("R2", D(2026, 1, 2)), rep("R1", D(2025, 12, 2)), rep("R3", D(2026, 2, 2))]
    one = select(Selection(), app(A, *reports), A)
    two = select(Selection(), app(A, *reversed(reports)), A)
    assert one == two
    assert [f.report for f in one.fates] == ["R1", "R2", "R3"]


def test_selection_window_is_reported() -> None:
    """The selection says which days its window covered on the application date."""
    selected = select(Selection(), app(A, rep("R", D(2026, 1, 2))), A)
    assert (selected.window.first, selected.window.last) == (D(2025, 8, 29), A)  # type: ignore[union-attr]


def test_counted_fate_carries_its_window() -> None:
    """A counted report's fate names the days it stays inside the window."""
    (fate,) = select(Selection(), app(A, rep("R", D(2025, 8, 31))), A).fates
    assert fate.window is not None
    assert (fate.window.first, fate.window.last) == (D(2025, 8, 31), D(2026, 2, 28))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Selection(exclude_kinds="diary"), r"^exclude_kinds='diary'"),
        (lambda: Selection(agencies="police"), r"^agencies='police'"),
        (lambda: Selection(agencies=["fire"]), r"^agencies='fire': must be one of council"),
        (lambda: Selection(who="neighbours"), r"^who='neighbours': must be one of anyone, victim"),
        (lambda: Selection(hate_only="no"), r"^hate_only='no': must be true or false"),  # type: ignore[arg-type]
        (
            lambda: Window(months(6), anchor="last_incident"),
            r"^anchor='last_incident': must be one of each_report",
        ),
        (
            lambda: Window(months(6), arithmetic="generous"),
            r"^arithmetic='generous': must be one of statutory",
        ),
        (lambda: Lag(months(1), applies_to="all"), r"^applies_to='all': must be one of every, first"),
        (lambda: Selection(behaviour_day="last_day"), r"^behaviour_day='last_day': must be one of"),
        (lambda: Selection(lag=30), r"^lag=30: must be a Lag"),  # type: ignore[arg-type]
        (lambda: Selection(window=6), r"^window=6: must be a Window"),  # type: ignore[arg-type]
        (lambda: Window(6), r"^span=6: must be a Span"),  # type: ignore[arg-type]
        (lambda: Lag("1 month"), r"^span='1 month': must be a Span"),  # type: ignore[arg-type]
    ],
    ids=[
        "kinds-string",
        "agencies-string",
        "unknown-agency",
        "who",
        "hate-only-str",
        "anchor",
        "arithmetic",
        "applies-to",
        "behaviour-day",
        "lag-int",
        "window-int",
        "span-int",
        "lag-str",
    ],
)
def test_bad_selections(build: object, message: str) -> None:
    """Malformed selection settings raise errors naming the field and the value."""
    with pytest.raises(InvalidInput, match=message):
        build()  # type: ignore[operator]


def test_selection_describes_itself() -> None:
    """A selection reads as plain words for explanations."""
    text = Selection(
        who=Who.VICTIM, hate_only=True, exclude_kinds={"diary_sheet"}, agencies={"police"}
    ).describe()
    assert text == (
        "by the victim; about hate incidents; excluding diary_sheet; to police; "
        "made within 1 calendar month of the behaviour; each report made within the "
        "6 calendar months before the application (statutory arithmetic)"
    )


def test_a_report_four_weeks_after_behaviour_on_1_february_is_late() -> None:
    """One month beginning with 1 February 2025 ends on 28 February: a report on 1 March is late.

    February 2025 has 28 days, so 28 days after the behaviour is already outside the month; a
    shortcut that skips the lag for reports made under 29 days after would count it.
    """
    application = app(D(2025, 3, 2), rep("LATE", D(2025, 3, 1), D(2025, 2, 1)))
    assert reasons(Selection(), application) == {"LATE": Reason.LATE_REPORT}
    in_time = app(D(2025, 3, 2), rep("OK", D(2025, 2, 28), D(2025, 2, 1)))
    assert reasons(Selection(), in_time) == {"OK": Reason.COUNTED}


def one_month_last_day(behaviour: dt.date) -> dt.date:
    """The day before the same date a month on, or that month's last day: the brief's definition."""
    year, month0 = divmod(behaviour.year * 12 + behaviour.month, 12)
    length = calendar.monthrange(year, month0 + 1)[1]
    if behaviour.day <= length:
        return dt.date(year, month0 + 1, behaviour.day) - dt.timedelta(days=1)
    return dt.date(year, month0 + 1, length)


def test_the_one_month_lag_on_every_day_of_two_years() -> None:
    """For behaviour on each day of 2024 and 2025, reports made 26 to 33 days later are late exactly
    when made after the last day of the month beginning with the behaviour."""
    behaviours = [D(2024, 1, 1) + dt.timedelta(days=k) for k in range(731)]
    reports = [
        rep(f"R{b.isoformat()}+{gap}", b + dt.timedelta(days=gap), b)
        for b in behaviours
        for gap in range(26, 34)
    ]
    application = app(D(2026, 3, 1), *reports)
    found = reasons(Selection(), application)
    for report in reports:
        late = report.made_on > one_month_last_day(report.incident.began_on)
        assert (found[report.id] is Reason.LATE_REPORT) is late, report.id


def test_first_report_and_application_window_under_each_arithmetic() -> None:
    """The six months beginning with 10 September 2025 end on 9 March 2026; inclusively, on 10 March."""
    reports = (rep("R1", D(2025, 9, 10)), rep("R2", D(2025, 12, 1)))
    application = app(D(2026, 3, 10), *reports)
    for arithmetic, expected in (
        (Arithmetic.STATUTORY, Reason.APPLICATION_OUTSIDE_WINDOW),
        (Arithmetic.INCLUSIVE, Reason.COUNTED),
    ):
        window = Window(months(6), anchor=Anchor.FIRST_REPORT_AND_APPLICATION, arithmetic=arithmetic)
        assert set(reasons(Selection(lag=None, window=window), application).values()) == {expected}


def test_ten_days_from_the_first_report_under_each_arithmetic() -> None:
    """Ten days beginning with 20 February are 20 February to 1 March; inclusively, to 2 March."""
    reports = (rep("R1", D(2026, 2, 20)), rep("R2", D(2026, 3, 2)))
    for arithmetic, expected in (
        (Arithmetic.STATUTORY, Reason.APPLICATION_OUTSIDE_WINDOW),
        (Arithmetic.INCLUSIVE, Reason.COUNTED),
    ):
        window = Window(days(10), anchor=Anchor.FIRST_REPORT_AND_APPLICATION, arithmetic=arithmetic)
        found = reasons(Selection(lag=None, window=window), app(D(2026, 3, 2), *reports))
        assert found == {"R1": expected, "R2": expected}


def test_latest_incident_window_under_each_arithmetic() -> None:
    """Incidents on 10 September 2025 and 10 March 2026, applied for on 10 September 2026.

    Statutory: the six months beginning with 10 March end on 9 September, so the application is out;
    and the six months ending with 10 March begin on 11 September 2025, so the first incident is out
    of them.  Inclusive: both are one day more generous, and both reports count.
    """
    reports = (rep("R1", D(2025, 9, 11), D(2025, 9, 10)), rep("R2", D(2026, 3, 11), D(2026, 3, 10)))

    def window(arithmetic: Arithmetic) -> Selection:
        return Selection(
            lag=None, window=Window(months(6), anchor=Anchor.LATEST_INCIDENT, arithmetic=arithmetic)
        )

    late = app(D(2026, 9, 10), *reports)
    assert set(reasons(window(Arithmetic.STATUTORY), late).values()) == {Reason.APPLICATION_OUTSIDE_WINDOW}
    assert reasons(window(Arithmetic.INCLUSIVE), late) == {"R1": Reason.COUNTED, "R2": Reason.COUNTED}
    in_time = app(D(2026, 9, 9), *reports)
    assert reasons(window(Arithmetic.STATUTORY), in_time) == {
        "R1": Reason.OUTSIDE_WINDOW,
        "R2": Reason.COUNTED,
    }


@pytest.mark.parametrize(
    ("anchor", "arithmetic", "last"),
    [
        (Anchor.FIRST_REPORT, Arithmetic.STATUTORY, D(2026, 3, 9)),
        (Anchor.FIRST_REPORT, Arithmetic.INCLUSIVE, D(2026, 3, 10)),
        (Anchor.FIRST_INCIDENT, Arithmetic.STATUTORY, D(2026, 3, 8)),
        (Anchor.FIRST_INCIDENT, Arithmetic.INCLUSIVE, D(2026, 3, 9)),
    ],
    ids=["report-statutory", "report-inclusive", "incident-statutory", "incident-inclusive"],
)
def test_a_run_candidate_is_inside_the_window_beginning_with_it(
    anchor: Anchor, arithmetic: Arithmetic, last: dt.date
) -> None:
    """select() places each candidate of a run in the six months beginning with its report (or incident)."""
    window = Window(months(6), anchor=anchor, arithmetic=arithmetic)
    application = app(D(2025, 10, 1), rep("R", D(2025, 9, 10), D(2025, 9, 9)))
    (fate,) = select(Selection(lag=None, window=window), application, application.made_on).fates
    assert fate.reason is Reason.COUNTED
    assert fate.window is not None
    assert fate.window.last == last


def test_each_screen_names_its_setting_and_explains_a_refusal() -> None:
    """The value tests say which setting of the selection they apply and why a report fails one."""
    selection = Selection(exclude_kinds={"diary_sheet"}, agencies={"police"}, hate_only=True)
    found = law.screens(selection)
    assert [s.field for s in found] == [
        "Selection.exclude_kinds",
        "Selection.agencies",
        "Selection.hate_only",
    ]
    assert all(s.field in law.FIELDS for s in found)
    application = app(
        A,
        rep("KIND", D(2026, 1, 5), kind="diary_sheet", hate=True),
        rep("AGENCY", D(2026, 1, 5), agency=Agency.COUNCIL, hate=True),
        rep("HATE", D(2026, 1, 5), agency=Agency.POLICE),
    )
    details = {f.report: f.detail for f in select(selection, application, A).fates}
    assert details == {
        "KIND": "reports of kind 'diary_sheet' are not counted",
        "AGENCY": "reports to council are not counted",
        "HATE": "not recorded as a hate incident",
    }


def test_in_time_is_the_lag_period_beginning_with_the_behaviour() -> None:
    """in_time() agrees with the definition on every day of two years, for one month and for 30 days."""
    for behaviour in (D(2024, 1, 1) + dt.timedelta(days=k) for k in range(731)):
        for gap in range(26, 34):
            made = behaviour + dt.timedelta(days=gap)
            assert law.in_time(Lag(), made, behaviour) is (made <= one_month_last_day(behaviour))
            assert law.in_time(Lag(days(30)), made, behaviour) is (gap < 30)


ALL_HANDLED = {key: (lambda value: True) for key in law.FIELDS}


def test_an_engine_that_handles_every_setting_refuses_nothing() -> None:
    """Every setting listed and every value computed: no refusal, with or without a lag."""
    assert law.refusals(Selection(), ALL_HANDLED) == []
    assert law.refusals(Selection(lag=None), ALL_HANDLED) == []


@pytest.mark.parametrize("key", sorted(law.FIELDS))
def test_a_setting_an_engine_does_not_list_is_refused_by_name(key: str) -> None:
    """Every attribute of Selection, Window and Lag is looked up: leave one out and it is refused."""
    handles = {k: v for k, v in ALL_HANDLED.items() if k != key}
    assert law.refusals(Selection(), handles) == [key]
    if key.startswith("Lag."):
        # With no lag there is no lag setting to compute.
        assert law.refusals(Selection(lag=None), handles) == []


def test_a_value_an_engine_does_not_compute_is_refused_with_the_value() -> None:
    """A refusal names the setting and the value, an enum by its value."""
    handles = {
        **ALL_HANDLED,
        "Window.anchor": lambda anchor: anchor is Anchor.EACH_REPORT,
        "Lag.span": lambda span: span == months(1),
    }
    # The values each test accepts are computed: nothing refused.
    assert law.refusals(Selection(), handles) == []
    selection = Selection(window=Window(anchor=Anchor.APPLICATION), lag=Lag(days(30)))
    assert law.refusals(selection, handles) == [
        "Window.anchor='application'",
        "Lag.span=Span(count=30, unit=<TimeUnit.DAYS: 'days'>)",
    ]


def test_each_fate_says_why_with_its_dates() -> None:
    """Counted, late and outside reports each carry their dates in words, and the days they were inside."""
    application = app(
        A,
        rep("IN", D(2026, 1, 5), D(2026, 1, 4)),
        rep("LATE", D(2026, 1, 5), D(2025, 12, 4)),
        rep("OUT", D(2025, 8, 28), D(2025, 8, 27)),
    )
    fates = {f.report: f for f in select(Selection(), application, A).fates}
    assert fates["IN"].detail == "inside the window until 2026-07-04"
    assert fates["IN"].window == Period(D(2026, 1, 5), D(2026, 7, 4))
    assert fates["LATE"].detail == (
        "made on 2026-01-05, more than 1 calendar month after the behaviour on 2025-12-04 "
        "(the last day was 2026-01-03)"
    )
    assert fates["OUT"].detail == "its 6 calendar months ran out on 2026-02-27, before 2026-02-28"
    assert fates["OUT"].window == Period(D(2025, 8, 28), D(2026, 2, 27))


def test_an_anchored_window_says_where_it_begins() -> None:
    """The fixed windows name what they begin with; a window from the first incident says so."""
    late = app(D(2026, 9, 10), rep("R1", D(2026, 3, 11), D(2026, 3, 10)))
    latest = Selection(lag=None, window=Window(months(6), anchor=Anchor.LATEST_INCIDENT))
    (fate,) = select(latest, late, late.made_on).fates
    assert fate.detail == (
        "the application on 2026-09-10 is outside the 6 calendar months beginning with the latest "
        "incident (2026-03-10 to 2026-09-09)"
    )
    first = Selection(lag=None, window=Window(months(6), anchor=Anchor.FIRST_REPORT_AND_APPLICATION))
    later = app(D(2026, 9, 11), *late.reports)
    (fate,) = select(first, later, later.made_on).fates
    assert fate.detail == (
        "the application on 2026-09-11 is outside the 6 calendar months beginning with the first "
        "report (2026-03-11 to 2026-09-10)"
    )
    no_bound = Window(
        months(6), anchor=Anchor.FIRST_INCIDENT, date_of=DateOf.INCIDENT, application_within=None
    )
    assert str(no_bound) == (
        "incidents within 6 calendar months beginning with the first incident counted, with no bound on "
        "the application (statutory arithmetic)"
    )
    assert Selection().describe().startswith("by anyone; made within 1 calendar month of the behaviour")


@pytest.mark.parametrize(
    ("window", "text"),
    [
        (
            Window(anchor=Anchor.APPLICATION),
            "reports made in the last 6 calendar months before the application",
        ),
        (
            Window(anchor=Anchor.APPLICATION, date_of=DateOf.INCIDENT),
            "incidents in the last 6 calendar months",
        ),
        (
            Window(anchor=Anchor.FIRST_REPORT),
            "reports made within 6 calendar months beginning with the first report",
        ),
        (Window(anchor=Anchor.FIRST_INCIDENT, date_of=DateOf.INCIDENT), "incidents within 6 calendar months"),
    ],
    ids=["application", "application-incidents", "first-report", "first-incident"],
)
def test_a_window_in_words_is_plural_english(window: Window, text: str) -> None:
    """ "Reports made in the last six months", never "report mades"."""
    assert str(window).startswith(text)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: Selection(exclude_kinds="diary"),
            r"^exclude_kinds='diary': must be a collection of kinds, not one",
        ),
        (
            lambda: Selection(exclude_kinds=["a", " "]),
            r"^exclude_kinds\[1\]=' ': must be a non-empty string$",
        ),
        (
            lambda: Selection(agencies="police"),
            r"^agencies='police': must be a collection of agencies, not one",
        ),
        (
            lambda: Window(application_within=6),  # type: ignore[arg-type]
            r"^application_within=6: must be a Span, such as months\(6\), or None$",
        ),
    ],
    ids=["kinds-one-string", "kinds-blank", "agencies-one-string", "application-within"],
)
def test_a_bad_setting_is_refused_naming_the_field_and_the_value(build: object, message: str) -> None:
    """Each refusal names where the value sits, shows the value, and says what was wanted."""
    assert callable(build)
    with pytest.raises(InvalidInput, match=message):
        build()
