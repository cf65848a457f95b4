"""Unit tables for the calendar arithmetic of the dates module."""

from __future__ import annotations

import datetime as dt
import sys

import attrs
import pytest
from dateutil import tz

from asb_case_review import STATUTORY, evaluate, for_officer, to_dict
from asb_case_review.dates import (
    BUILT_IN_HOLIDAYS,
    Arithmetic,
    Period,
    Span,
    TimeUnit,
    add_working_days,
    bank_holidays,
    days,
    earliest_start,
    holidays_package,
    in_period,
    last_day,
    london_day,
    months,
    period,
    period_last_day,
    supplied_holidays,
)
from asb_case_review.errors import InvalidInput, NaiveDatetime
from asb_case_review.examples import example_application
from asb_case_review.policy import Timescales

D = dt.date

# The worked examples of the domain brief, section 2, every one of them.
WORKED_EXAMPLES = [
    (D(2025, 3, 15), 1, D(2025, 4, 14)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2025, 1, 28), 1, D(2025, 2, 27)),
    (D(2024, 1, 29), 1, D(2024, 2, 28)),
    (D(2025, 8, 31), 6, D(2026, 2, 28)),
    (D(2023, 8, 31), 6, D(2024, 2, 29)),
    (D(2025, 9, 1), 6, D(2026, 2, 28)),
]


@pytest.mark.parametrize(
    ("start", "n", "expected"), WORKED_EXAMPLES, ids=[f"{s}+{n}m" for s, n, _ in WORKED_EXAMPLES]
)
def test_last_day_worked_examples(start: dt.date, n: int, expected: dt.date) -> None:
    """last_day gives the domain brief's worked examples exactly."""
    assert last_day(start, n) == expected


def test_last_day_is_not_the_relativedelta_trap() -> None:
    """31 January plus one month less a day is 27 February; the statutory answer is 28 February."""
    assert last_day(D(2025, 1, 31), 1) == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 12, 15), 1, D(2026, 1, 14)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),
        (D(2025, 2, 28), 12, D(2026, 2, 27)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 3, 1), 1, D(2025, 3, 31)),
        (D(2025, 5, 31), 1, D(2025, 6, 30)),
        (D(2025, 7, 31), 1, D(2025, 8, 30)),
    ],
    ids=[
        "year-end",
        "dec31-to-feb",
        "dec31-to-leap-feb",
        "feb28-plus-year",
        "leap-day-plus-year",
        "march-first",
        "may31-to-june",
        "july31-to-august",
    ],
)
def test_last_day_month_ends(start: dt.date, n: int, expected: dt.date) -> None:
    """Month ends, year ends and 29 February follow the rule."""
    assert last_day(start, n) == expected


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "6"], ids=["zero", "negative", "float", "bool", "str"])
def test_last_day_rejects_bad_month_counts(bad: object) -> None:
    """A month count that is not a whole number of at least 1 is refused, naming the value."""
    with pytest.raises(InvalidInput, match=r"months=") as info:
        last_day(D(2025, 1, 1), bad)  # type: ignore[arg-type]
    assert info.value.value == bad


@pytest.mark.parametrize(
    ("start", "span", "arithmetic", "expected"),
    [
        (D(2025, 3, 1), days(30), Arithmetic.STATUTORY, D(2025, 3, 30)),
        (D(2025, 3, 1), days(30), Arithmetic.INCLUSIVE, D(2025, 3, 31)),
        (D(2025, 3, 1), days(1), Arithmetic.STATUTORY, D(2025, 3, 1)),
        (D(2026, 2, 28), months(1), Arithmetic.STATUTORY, D(2026, 3, 27)),
        (D(2026, 2, 28), months(1), Arithmetic.INCLUSIVE, D(2026, 3, 31)),
        (D(2025, 8, 28), months(6), Arithmetic.INCLUSIVE, D(2026, 2, 28)),
        (D(2025, 8, 31), months(6), Arithmetic.INCLUSIVE, D(2026, 2, 28)),
        (D(2025, 9, 1), months(6), Arithmetic.INCLUSIVE, D(2026, 3, 1)),
    ],
    ids=[
        "30-days",
        "30-days-inclusive",
        "1-day",
        "feb28-1m",
        "feb28-1m-inclusive",
        "aug28-6m-inclusive",
        "aug31-6m-inclusive",
        "sep1-6m-inclusive",
    ],
)
def test_period_last_day(start: dt.date, span: Span, arithmetic: Arithmetic, expected: dt.date) -> None:
    """Periods in days and the inclusive variant end where documented."""
    assert period_last_day(start, span, arithmetic) == expected


@pytest.mark.parametrize(
    ("as_of", "span", "arithmetic", "expected"),
    [
        (D(2026, 2, 28), months(6), Arithmetic.STATUTORY, D(2025, 8, 29)),
        (D(2026, 2, 28), months(6), Arithmetic.INCLUSIVE, D(2025, 8, 28)),
        (D(2024, 2, 29), months(6), Arithmetic.STATUTORY, D(2023, 8, 30)),
        (D(2026, 3, 31), months(1), Arithmetic.STATUTORY, D(2026, 3, 1)),
        (D(2026, 3, 30), days(30), Arithmetic.STATUTORY, D(2026, 3, 1)),
        (D(2026, 3, 30), days(30), Arithmetic.INCLUSIVE, D(2026, 2, 28)),
    ],
    ids=["feb28", "feb28-inclusive", "leap-day", "march31-1m", "30-days", "30-days-inclusive"],
)
def test_earliest_start(as_of: dt.date, span: Span, arithmetic: Arithmetic, expected: dt.date) -> None:
    """The backward reading starts strictly after the date N months before (statutory)."""
    assert earliest_start(as_of, span, arithmetic) == expected


def test_backward_trap_is_one_day_too_generous() -> None:
    """28 August 2025 no longer counts on 28 February 2026; 29 August does."""
    assert not in_period(D(2025, 8, 28), D(2026, 2, 28), months(6))
    assert in_period(D(2025, 8, 29), D(2026, 2, 28), months(6))
    assert in_period(D(2025, 8, 28), D(2026, 2, 28), months(6), Arithmetic.INCLUSIVE)


def test_in_period_is_false_before_the_start() -> None:
    """A period does not contain the days before it begins."""
    assert not in_period(D(2025, 8, 29), D(2025, 8, 28), months(6))


def test_period_contains_its_first_and_last_day_only() -> None:
    """A Period contains its first and last day, not the days either side, and no non-dates."""
    p = period(D(2025, 3, 15), months(1))
    assert p == Period(D(2025, 3, 15), D(2025, 4, 14))
    assert D(2025, 3, 15) in p
    assert D(2025, 4, 14) in p
    assert D(2025, 3, 14) not in p
    assert D(2025, 4, 15) not in p
    assert "2025-03-20" not in p
    assert str(p) == "2025-03-15 to 2025-04-14"


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (months(1), "1 calendar month"),
        (months(6), "6 calendar months"),
        (days(1), "1 day"),
        (days(7), "7 days"),
    ],
    ids=["1m", "6m", "1d", "7d"],
)
def test_span_words(span: Span, text: str) -> None:
    """A span reads as the law writes it."""
    assert str(span) == text


@pytest.mark.parametrize(
    ("count", "unit"),
    [(0, "months"), (-3, "days"), (2.0, "days")],
    ids=["zero", "negative", "float"],
)
def test_span_rejects_bad_counts(count: object, unit: str) -> None:
    """A span of less than one whole unit is refused, naming the field."""
    with pytest.raises(InvalidInput, match=r"^count="):
        Span(count, TimeUnit(unit))  # type: ignore[arg-type]


def test_span_rejects_unknown_unit() -> None:
    """A unit that is neither months nor days is refused."""
    with pytest.raises(InvalidInput, match=r"^unit='weeks': must be one of months, days"):
        Span(2, "weeks")


LONDON = tz.gettz("Europe/London")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2025, 6, 30, 23, 30, tzinfo=UTC), D(2025, 7, 1)),
        (dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC), D(2025, 12, 31)),
        (dt.datetime(2026, 3, 28, 23, 59, tzinfo=UTC), D(2026, 3, 28)),
        (dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), D(2026, 3, 29)),
        (dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC), D(2026, 3, 29)),
        (dt.datetime(2025, 10, 25, 23, 30, tzinfo=UTC), D(2025, 10, 26)),
        (dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC), D(2025, 10, 26)),
        (dt.datetime(2025, 7, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))), D(2025, 6, 30)),
        (dt.datetime(2025, 7, 1, 0, 30, tzinfo=LONDON), D(2025, 7, 1)),
    ],
    ids=[
        "bst-midnight",
        "gmt-new-year",
        "before-spring-change",
        "spring-change",
        "after-spring-change",
        "autumn-eve-bst",
        "autumn-change",
        "other-offset",
        "london-tz",
    ],
)
def test_london_day(moment: dt.datetime, expected: dt.date) -> None:
    """An aware datetime belongs to its Europe/London calendar day."""
    assert london_day(moment) == expected


def test_london_day_passes_dates_through() -> None:
    """A plain date is already a calendar day."""
    assert london_day(D(2025, 1, 1)) == D(2025, 1, 1)


def test_london_day_refuses_naive_datetimes() -> None:
    """A naive datetime is an error naming the field and the value."""
    moment = dt.datetime(2025, 6, 30, 23, 30)
    with pytest.raises(NaiveDatetime, match=r"^made_on=datetime.datetime\(2025, 6, 30, 23, 30\)") as info:
        london_day(moment, "made_on")
    assert isinstance(info.value, ValueError)
    assert info.value.field == "made_on"


def test_london_day_refuses_non_dates() -> None:
    """A string is not a date to this function: parsing happens at the edge."""
    with pytest.raises(InvalidInput, match="must be a date"):
        london_day("2025-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2025,
            [
                "2025-01-01",
                "2025-04-18",
                "2025-04-21",
                "2025-05-05",
                "2025-05-26",
                "2025-08-25",
                "2025-12-25",
                "2025-12-26",
            ],
        ),
        (
            2026,
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28",
            ],
        ),
        (
            2022,
            [
                "2022-01-03",
                "2022-04-15",
                "2022-04-18",
                "2022-05-02",
                "2022-06-02",
                "2022-06-03",
                "2022-08-29",
                "2022-09-19",
                "2022-12-26",
                "2022-12-27",
            ],
        ),
        (
            2027,
            [
                "2027-01-01",
                "2027-03-26",
                "2027-03-29",
                "2027-05-03",
                "2027-05-31",
                "2027-08-30",
                "2027-12-27",
                "2027-12-28",
            ],
        ),
        (
            2020,
            [
                "2020-01-01",
                "2020-04-10",
                "2020-04-13",
                "2020-05-08",
                "2020-05-25",
                "2020-08-31",
                "2020-12-25",
                "2020-12-28",
            ],
        ),
        (
            2023,
            [
                "2023-01-02",
                "2023-04-07",
                "2023-04-10",
                "2023-05-01",
                "2023-05-08",
                "2023-05-29",
                "2023-08-28",
                "2023-12-25",
                "2023-12-26",
            ],
        ),
    ],
    ids=[
        "2025",
        "2026-boxing-day-saturday",
        "2022-jubilee-and-funeral",
        "2027-christmas-weekend",
        "2020-ve-day",
        "2023-coronation",
    ],
)
def test_bank_holidays(year: int, expected: list[str]) -> None:
    """England and Wales bank holidays, substitute days and proclaimed changes included."""
    assert sorted(d.isoformat() for d in bank_holidays(year)) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 12, 23), 3, D(2025, 12, 30)),
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        (D(2025, 11, 21), 5, D(2025, 11, 28)),
        (D(2025, 11, 21), 0, D(2025, 11, 21)),
        (D(2026, 12, 31), 1, D(2027, 1, 4)),
    ],
    ids=["christmas", "easter", "plain-week", "zero", "new-year"],
)
def test_add_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    """Working days skip weekends and England and Wales bank holidays."""
    assert add_working_days(start, n) == expected


def test_add_working_days_rejects_negative_counts() -> None:
    """A negative number of working days is refused, naming the value."""
    with pytest.raises(InvalidInput, match=r"^count=-1"):
        add_working_days(D(2025, 1, 1), -1)


def test_london_day_refuses_datetimes_at_the_ends_of_the_calendar() -> None:
    """A timestamp that cannot be moved to London time is an input error, not an overflow."""
    moment = dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with pytest.raises(InvalidInput, match=r"^made_on=.*too near the ends of the calendar"):
        london_day(moment, "made_on")


def test_period_counts_with_the_arithmetic_it_is_given() -> None:
    """period() passes its arithmetic on: one month inclusive from 28 February 2026 runs to 31 March."""
    assert period(D(2026, 2, 28), months(1)) == Period(D(2026, 2, 28), D(2026, 3, 27))
    assert period(D(2026, 2, 28), months(1), Arithmetic.INCLUSIVE) == Period(D(2026, 2, 28), D(2026, 3, 31))
    assert period(D(2026, 3, 1), days(30), Arithmetic.INCLUSIVE) == Period(D(2026, 3, 1), D(2026, 3, 31))


@pytest.mark.parametrize(
    ("build", "ok", "message"),
    [
        (months, 1200, r"^count=1201: a span may be at most 1,200 months \(100 years\)$"),
        (days, 36_525, r"^count=36526: a span may be at most 36,525 days \(100 years\)$"),
    ],
    ids=["months", "days"],
)
def test_span_is_at_most_a_hundred_years(build: object, ok: int, message: str) -> None:
    """A hundred years of months or of days is the longest span; one more is refused, naming the limit."""
    assert callable(build)
    assert build(ok).count == ok
    with pytest.raises(InvalidInput, match=message):
        build(ok + 1)


def test_london_day_errors_name_the_field_and_the_value() -> None:
    """Without a field name the error says "value"; it always shows what was given."""
    with pytest.raises(InvalidInput, match=r"^value='2025-01-01': must be a date or an aware datetime$"):
        london_day("2025-01-01")  # type: ignore[arg-type]
    moment = dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with pytest.raises(
        InvalidInput, match=r"^made_on=datetime\.datetime\(1, 1, 1, 0, 0, tzinf.*: is too near"
    ):
        london_day(moment, "made_on")


class _NoOffset(dt.tzinfo):
    """A tzinfo that does not know its offset: the datetime is naive in all but name."""

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta | None:
        return None

    def dst(self, when: dt.datetime | None) -> dt.timedelta | None:
        return None

    def tzname(self, when: dt.datetime | None) -> str | None:
        return None


def test_london_day_refuses_a_timezone_without_an_offset() -> None:
    """A datetime whose tzinfo gives no UTC offset cannot be placed on a London day."""
    with pytest.raises(NaiveDatetime):
        london_day(dt.datetime(2025, 6, 30, 23, 30, tzinfo=_NoOffset()), "made_on")


# --------------------------------------------------------------- bank holidays and their source


def test_the_built_in_list_agrees_with_the_maintained_holidays_package() -> None:
    """From 1995 to 2030 the hand list and the holidays package give the same weekdays off."""
    pytest.importorskip("holidays")
    maintained = holidays_package()
    assert maintained.name.startswith("the holidays package ")
    for year in range(1995, 2031):
        assert BUILT_IN_HOLIDAYS(year) == maintained(year), year


def test_a_supplied_one_off_holiday_counts_where_the_built_in_list_cannot_know_it() -> None:
    """A holiday proclaimed after the library was written is counted when the caller supplies it."""
    one_off = dt.date(2027, 6, 7)  # a Monday no rule produces
    supplied = supplied_holidays([*bank_holidays(2027), one_off], name="GOV.UK")
    assert add_working_days(dt.date(2027, 6, 4), 1) == one_off
    assert add_working_days(dt.date(2027, 6, 4), 1, holidays=supplied) == dt.date(2027, 6, 8)
    assert supplied.name == "GOV.UK"


@pytest.mark.parametrize(
    ("days", "match"),
    [
        ([], r"^holidays=\[\]: give at least one bank holiday"),
        (
            [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)],
            r"^holidays\[0\]=datetime.datetime\(2026, 1, 1, 0, 0, tzinfo=",
        ),
        (["2026-01-01"], r"^holidays\[0\]='2026-01-01': must be a date"),
    ],
    ids=["empty", "datetime", "text"],
)
def test_supplied_holidays_must_be_dates(days: list[object], match: str) -> None:
    """Bad supplied holidays are refused, naming the place and the value."""
    with pytest.raises(InvalidInput, match=match):
        supplied_holidays(days)  # type: ignore[arg-type]


def test_a_year_the_supplied_list_does_not_cover_is_refused_not_taken_as_holiday_free() -> None:
    """Counting into a year outside the supplied list fails, naming the year and the list."""
    supplied = supplied_holidays([dt.date(2026, 1, 1), dt.date(2026, 12, 25)], name="GOV.UK")
    with pytest.raises(
        InvalidInput, match=r"^holidays=2027: is not a year the bank holidays supplied by GOV.UK"
    ):
        add_working_days(dt.date(2026, 12, 30), 5, holidays=supplied)


def test_working_days_refuse_a_source_that_is_not_one() -> None:
    """add_working_days takes a BankHolidays source, not a bare set of dates."""
    with pytest.raises(InvalidInput, match=r"^holidays=.*must be a BankHolidays source"):
        add_working_days(dt.date(2026, 1, 5), 1, holidays={dt.date(2026, 1, 6)})  # type: ignore[arg-type]


def test_without_the_extra_the_holidays_package_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No holidays package: the error names the extra."""
    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(ImportError, match=r"pip install 'asb-case-review\[holidays\]'"):
        holidays_package()


def test_timescales_count_with_the_source_given() -> None:
    """Each timescale date is counted with the bank holidays it is given (the built-in list by default)."""
    supplied = supplied_holidays([*bank_holidays(2027), dt.date(2027, 6, 7)], name="GOV.UK")
    timescales = Timescales(acknowledge=1, decide=1, appeal=1)
    friday = dt.date(2027, 6, 4)
    for by in (timescales.acknowledge_by, timescales.decide_by, timescales.appeal_by):
        assert by(friday) == dt.date(2027, 6, 7)
        assert by(friday, holidays=supplied) == dt.date(2027, 6, 8)


def test_a_decision_names_the_bank_holidays_where_working_days_matter() -> None:
    """With timescales recorded, the settings (officer's text, JSON, HTML) say which list counted them."""
    with_timescales = attrs.evolve(STATUTORY, timescales=Timescales(decide=10))
    decision = evaluate(example_application(), with_timescales)
    assert ("bank holidays", BUILT_IN_HOLIDAYS.name) in decision.assumptions()
    # The officer's text wraps its lines at 100 characters; the setting is read across the wrap.
    assert f"bank holidays={BUILT_IN_HOLIDAYS.name}" in " ".join(for_officer(decision).split())
    assert to_dict(decision)["settings"]["bank holidays"] == BUILT_IN_HOLIDAYS.name
    plain = evaluate(example_application(), STATUTORY)
    assert "bank holidays" not in dict(plain.assumptions())
