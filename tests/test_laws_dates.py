"""Laws of the calendar arithmetic: months "beginning with" a date, both readings, London days."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from asb_case_review.dates import (
    Arithmetic,
    days,
    earliest_start,
    in_period,
    last_day,
    london_day,
    months,
    period_last_day,
)
from asb_case_review.errors import NaiveDatetime
from tests.strategies import LONDON, aware_datetimes, dates, month_counts

D = dt.date
_ONE_DAY = dt.timedelta(days=1)


def reference_last_day(start: dt.date, n: int) -> dt.date:
    """The domain brief's definition of `last_day`, written out with calendar.monthrange."""
    year, month0 = divmod(start.month - 1 + n, 12)
    year += start.year
    length = calendar.monthrange(year, month0 + 1)[1]
    if start.day <= length:
        return dt.date(year, month0 + 1, start.day) - _ONE_DAY
    return dt.date(year, month0 + 1, length)


def back(day: dt.date, n: int) -> dt.date:
    """The date *n* calendar months before *day*, clipped to a month end."""
    return day - relativedelta(months=n)


@st.composite
def start_and_application(draw: st.DrawFn) -> tuple[dt.date, dt.date, int]:
    """A start date, a month count, and an application date near the end of its period."""
    start = draw(dates(max_value=D(2300, 1, 1)))
    n = draw(month_counts())
    near = start + relativedelta(months=n) + dt.timedelta(days=draw(st.integers(-4, 4)))
    application = draw(st.one_of(st.just(near), dates(max_value=D(2400, 1, 1))))
    return start, application, n


@given(dates(max_value=D(2300, 1, 1)), month_counts())
@example(D(2025, 3, 15), 1)
@example(D(2025, 1, 31), 1)
@example(D(2025, 1, 28), 1)
@example(D(2024, 1, 29), 1)
@example(D(2025, 8, 31), 6)
@example(D(2023, 8, 31), 6)
@example(D(2025, 9, 1), 6)
def test_last_day_matches_the_definition(start: dt.date, n: int) -> None:
    """last_day equals the brief's definition computed independently from calendar.monthrange."""
    assert last_day(start, n) == reference_last_day(start, n)


@given(dates(max_value=D(2300, 1, 1)), month_counts())
def test_last_day_is_never_before_its_start(start: dt.date, n: int) -> None:
    """A period of at least one month ends on or after the day it begins (in fact weeks later)."""
    assert last_day(start, n) >= start + dt.timedelta(days=27)


@given(dates(max_value=D(2300, 1, 1)), st.integers(0, 40), month_counts())
@example(D(2025, 1, 28), 3, 1)
def test_last_day_is_monotone_in_its_start(start: dt.date, later_by: int, n: int) -> None:
    """A later start never gives an earlier last day."""
    assert last_day(start, n) <= last_day(start + dt.timedelta(days=later_by), n)


@given(start_and_application())
@example((D(2025, 8, 28), D(2026, 2, 28), 6))
@example((D(2025, 8, 29), D(2026, 2, 28), 6))
@example((D(2025, 2, 28), D(2025, 3, 31), 1))
def test_forward_and_backward_readings_agree(case: tuple[dt.date, dt.date, int]) -> None:
    """D <= A <= last_day(D, N) exactly when A - N months < D <= A, and the library says the same."""
    start, application, n = case
    forward = start <= application <= last_day(start, n)
    backward = back(application, n) < start <= application
    assert forward == backward
    assert in_period(start, application, months(n)) == forward
    assert (earliest_start(application, months(n)) <= start <= application) == forward


@given(start_and_application())
@example((D(2025, 8, 28), D(2026, 2, 28), 6))
def test_inclusive_reading_admits_exactly_the_day_n_months_before(
    case: tuple[dt.date, dt.date, int],
) -> None:
    """INCLUSIVE admits what the statute does plus D == A - N months, and nothing else."""
    start, application, n = case
    statutory = in_period(start, application, months(n))
    inclusive = in_period(start, application, months(n), Arithmetic.INCLUSIVE)
    assert inclusive == (back(application, n) <= start <= application)
    assert inclusive == (statutory or (start == back(application, n) and start <= application))
    statutory_first = earliest_start(application, months(n))
    assert earliest_start(application, months(n), Arithmetic.INCLUSIVE) == statutory_first - _ONE_DAY


@given(dates(max_value=D(2300, 1, 1)), month_counts())
@example(D(2026, 2, 28), 1)
@example(D(2025, 8, 28), 6)
def test_inclusive_last_day_is_the_largest_day_counting_back_to_the_start(start: dt.date, n: int) -> None:
    """period_last_day(D, N, INCLUSIVE) is the largest A with A - N months <= D."""
    last = period_last_day(start, months(n), Arithmetic.INCLUSIVE)
    assert back(last, n) <= start < back(last + _ONE_DAY, n)
    assert last >= period_last_day(start, months(n))


@given(dates(max_value=D(2300, 1, 1)), dates(max_value=D(2300, 6, 1)), st.integers(1, 400))
def test_day_periods_count_the_first_day_as_day_one(start: dt.date, application: dt.date, n: int) -> None:
    """A period of N days beginning with D holds D to D + N - 1; INCLUSIVE adds the day after."""
    assert in_period(start, application, days(n)) == (0 <= (application - start).days < n)
    assert in_period(start, application, days(n), Arithmetic.INCLUSIVE) == (
        0 <= (application - start).days <= n
    )


@given(aware_datetimes())
@example(dt.datetime(2025, 3, 30, 0, 59, 59, tzinfo=dt.UTC))
@example(dt.datetime(2025, 3, 30, 1, 0, tzinfo=dt.UTC))
@example(dt.datetime(2025, 10, 25, 23, 30, tzinfo=dt.UTC))
@example(dt.datetime(2025, 6, 30, 23, 0, tzinfo=dt.UTC))
@example(dt.datetime(2025, 10, 26, 1, 30, fold=1, tzinfo=LONDON))
@example(dt.datetime(2038, 10, 30, 23, 59, 59, tzinfo=dt.UTC))  # summer time past the file's last transition
def test_london_day_is_the_europe_london_calendar_day(value: dt.datetime) -> None:
    """An aware datetime belongs to its Europe/London date, across midnight and both clock changes."""
    assert london_day(value) == value.astimezone(LONDON).date()


@given(st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2400, 1, 1)))
def test_naive_datetimes_are_refused(value: dt.datetime) -> None:
    """A datetime without a timezone cannot be placed on a London day, so it raises NaiveDatetime."""
    with pytest.raises(NaiveDatetime) as caught:
        london_day(value, "made_on")
    assert caught.value.field == "made_on"
    assert caught.value.value == value


EVERY_DAY_2023_TO_2025 = [
    D(2023, 1, 1) + dt.timedelta(days=k) for k in range((D(2026, 1, 1) - D(2023, 1, 1)).days)
]


@pytest.mark.parametrize("n", range(1, 25), ids=lambda n: f"{n}-months")
def test_every_start_day_and_month_count_meets_the_definition(n: int) -> None:
    """Every day of three years (a leap year among them), for 1 to 24 months, in both directions.

    Shifts of one and six months never carry a 31st onto March or May (31 January plus two
    months, 31 March plus twelve); counting back from the application date is where a wrong
    month length shows: 31 March 2025 is not inside the twelve months before 31 March 2026.
    """
    for day in EVERY_DAY_2023_TO_2025:
        assert last_day(day, n) == reference_last_day(day, n), day
        # Counting back: a report made on D is inside on A exactly when A - N months < D <= A.
        assert earliest_start(day, months(n)) == back(day, n) + _ONE_DAY, day
        assert earliest_start(day, months(n), Arithmetic.INCLUSIVE) == back(day, n), day
        inclusive = period_last_day(day, months(n), Arithmetic.INCLUSIVE)
        assert back(inclusive, n) <= day < back(inclusive + _ONE_DAY, n), day
