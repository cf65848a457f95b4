"""Calendar arithmetic: the only module of the library that counts days and months.

English law counts a statutory month as a calendar month (Interpretation Act
1978; *Dodds v Walker* [1981] 1 WLR 1027 (HL)).  A period "beginning with" a
date counts that date as day 1, so it ends the day *before* the corresponding
date; where the later month has no corresponding date the period ends on the
last day of that month (the rule as codified in S.I. 2018/1082 r.1.4).

Two readings of "within the last N months" exist in published local policies.
:attr:`Arithmetic.STATUTORY` is the statutory reading above and the default;
:attr:`Arithmetic.INCLUSIVE` also admits the date exactly N months before (one
day more generous), and exists only so that a policy that means it can say so.
Every decision names the arithmetic that ran.

All dates are UK civil dates: an aware datetime belongs to its Europe/London
calendar day, and a naive datetime is refused.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Final

import attrs
from dateutil import tz
from dateutil.easter import easter
from dateutil.relativedelta import MO, relativedelta

from ._convert import choice, whole
from ._limits import MAX_DAYS, MAX_MONTHS
from .errors import InvalidInput, NaiveDatetime

__all__ = [
    "BUILT_IN_HOLIDAYS",
    "LONDON",
    "Arithmetic",
    "BankHolidays",
    "Period",
    "Span",
    "TimeUnit",
    "add_working_days",
    "bank_holidays",
    "days",
    "earliest_start",
    "holidays_package",
    "in_period",
    "last_day",
    "london_day",
    "months",
    "period",
    "period_last_day",
    "supplied_holidays",
]

_ONE_DAY: Final = dt.timedelta(days=1)


def _london_zone() -> dt.tzinfo:
    """Europe/London: the standard library's zoneinfo, else dateutil's reader of the same data.

    zoneinfo follows the zone's rule past the last transition written in the file (2037), where
    dateutil's reader stops applying summer time: 23:59 UTC on 30 October 2038 is 31 October in
    London.  dateutil is the fallback only where the system has no time-zone database.
    """
    try:
        return zoneinfo.ZoneInfo("Europe/London")
    except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - a system without a time-zone database
        found = tz.gettz("Europe/London")
        if found is None:
            raise ImportError("the Europe/London timezone is not available; install tzdata") from None
        return found


LONDON: Final[dt.tzinfo] = _london_zone()
"""The timezone whose calendar days the law counts."""


class Arithmetic(enum.StrEnum):
    """How a period is counted; see the module documentation."""

    STATUTORY = "statutory"
    """Day 1 is the start date; the period ends the day before the corresponding date."""

    INCLUSIVE = "inclusive"
    """The corresponding date N months (or days) on is also inside: one day more generous."""


class TimeUnit(enum.StrEnum):
    """The unit a :class:`Span` is counted in."""

    MONTHS = "months"
    DAYS = "days"


def _positive_count(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    whole(attribute.name, value, 1)


def _time_unit(value: TimeUnit | str) -> TimeUnit:
    return choice(TimeUnit, "unit", value)


@attrs.frozen(cache_hash=True)  # Spans key the per-evaluation memo of periods' last days: hash once.
class Span:
    """A length of time: N calendar months or N days.

    >>> months(6)
    Span(count=6, unit=<TimeUnit.MONTHS: 'months'>)
    >>> str(days(30))
    '30 days'
    """

    count: int = attrs.field(validator=_positive_count)
    unit: TimeUnit = attrs.field(converter=_time_unit)

    def __attrs_post_init__(self) -> None:
        # Longer spans would carry dates of the supported range off the calendar's ends.
        most = MAX_MONTHS if self.unit is TimeUnit.MONTHS else MAX_DAYS
        if self.count > most:
            raise InvalidInput(
                "count", self.count, f"a span may be at most {most:,} {self.unit.value} (100 years)"
            )

    def __str__(self) -> str:
        if self.unit is TimeUnit.MONTHS:
            return "1 calendar month" if self.count == 1 else f"{self.count} calendar months"
        return "1 day" if self.count == 1 else f"{self.count} days"


def months(count: int) -> Span:
    """A span of *count* calendar months."""
    return Span(count, TimeUnit.MONTHS)


def days(count: int) -> Span:
    """A span of *count* days."""
    return Span(count, TimeUnit.DAYS)


@attrs.frozen
class Period:
    """An inclusive range of calendar days, ``first`` to ``last``.

    >>> p = period(dt.date(2025, 3, 15), months(1))
    >>> p.last, dt.date(2025, 4, 14) in p, dt.date(2025, 4, 15) in p
    (datetime.date(2025, 4, 14), True, False)
    """

    first: dt.date
    last: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last

    def __str__(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@functools.lru_cache(maxsize=8192)
def _shift_months(day: dt.date, months: int) -> dt.date:
    """*day* moved by *months* calendar months, clipped to the end of a shorter month.

    This is what ``day + relativedelta(months=months)`` gives (the test suite
    checks it for every day of a wide range); it is written out because it sits
    on the hot path of every evaluation and is several times faster.  Reports
    share days, and so do the evaluations of one area: each shift is remembered
    (a bounded cache of a pure function).
    """
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        length = 29
    else:
        length = _DAYS_IN_MONTH[month0]
    return dt.date(year, month0 + 1, min(day.day, length))


def last_day(start: dt.date, months: int) -> dt.date:
    """The last day of "a period of *months* months beginning with *start*".

    >>> last_day(dt.date(2025, 1, 31), 1)
    datetime.date(2025, 2, 28)
    >>> last_day(dt.date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    """
    whole("months", months, 1)
    return _last_day(start, months)


@functools.lru_cache(maxsize=8192)
def _last_day(start: dt.date, months: int) -> dt.date:
    """:func:`last_day` for a count already known to be a whole number of at least one (remembered)."""
    corresponding = _shift_months(start, months)
    if corresponding.day == start.day:
        return corresponding - _ONE_DAY
    # The day was clipped: the later month has no corresponding date,
    # so the period runs to that month's last day, which is where it clipped to.
    return corresponding


def period_last_day(start: dt.date, span: Span, arithmetic: Arithmetic = Arithmetic.STATUTORY) -> dt.date:
    """The last day inside a period of *span* beginning with *start*.

    Under :attr:`Arithmetic.INCLUSIVE` the period also contains every day whose
    date *span* earlier (clipped to a month end) is *start*: the backward test
    ``as_of - span <= start``.

    >>> period_last_day(dt.date(2025, 3, 1), days(30))
    datetime.date(2025, 3, 30)
    >>> period_last_day(dt.date(2026, 2, 28), months(1), Arithmetic.INCLUSIVE)
    datetime.date(2026, 3, 31)
    """
    if span.unit is TimeUnit.DAYS:
        extra = 0 if arithmetic is Arithmetic.STATUTORY else 1
        return start + dt.timedelta(days=span.count - 1 + extra)
    if arithmetic is Arithmetic.STATUTORY:
        # A Span's count was checked when it was made.
        return _last_day(start, span.count)
    count = span.count
    day = _shift_months(start, count)
    # Clipping at month ends maps several days onto one: step on while the
    # next day still counts back to a date on or before the start.
    while _shift_months(day + _ONE_DAY, -count) <= start:
        day += _ONE_DAY
    return day


def earliest_start(as_of: dt.date, span: Span, arithmetic: Arithmetic = Arithmetic.STATUTORY) -> dt.date:
    """The earliest start date whose period of *span* still contains *as_of*.

    This is the backward reading of "within the last *span*": a day *d* is
    inside on *as_of* exactly when ``earliest_start(as_of) <= d <= as_of``.  For
    calendar months under the statutory reading it is the day after the date
    *span* before *as_of* (strictly after, never on it).

    >>> earliest_start(dt.date(2026, 2, 28), months(6))
    datetime.date(2025, 8, 29)
    >>> earliest_start(dt.date(2026, 2, 28), months(6), Arithmetic.INCLUSIVE)
    datetime.date(2025, 8, 28)
    """
    if span.unit is TimeUnit.DAYS:
        extra = 0 if arithmetic is Arithmetic.STATUTORY else 1
        return as_of - dt.timedelta(days=span.count - 1 + extra)
    before = _shift_months(as_of, -span.count)
    return before + _ONE_DAY if arithmetic is Arithmetic.STATUTORY else before


def period(start: dt.date, span: Span, arithmetic: Arithmetic = Arithmetic.STATUTORY) -> Period:
    """The period of *span* beginning with *start*."""
    return Period(start, period_last_day(start, span, arithmetic))


def in_period(
    start: dt.date,
    as_of: dt.date,
    span: Span,
    arithmetic: Arithmetic = Arithmetic.STATUTORY,
) -> bool:
    """Whether *as_of* falls within the period of *span* beginning with *start*.

    >>> in_period(dt.date(2025, 8, 28), dt.date(2026, 2, 28), months(6))
    False
    >>> in_period(dt.date(2025, 8, 29), dt.date(2026, 2, 28), months(6))
    True
    """
    return start <= as_of <= period_last_day(start, span, arithmetic)


def london_day(value: dt.date | dt.datetime, field: str = "value") -> dt.date:
    """The Europe/London calendar day of *value*.

    A :class:`~datetime.date` is returned as it is; an aware datetime is
    converted to London time first; a naive datetime raises
    :class:`~asb_case_review.errors.NaiveDatetime` naming *field*.

    >>> london_day(dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.timezone.utc))
    datetime.date(2025, 7, 1)
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetime(field, value)
        try:
            return value.astimezone(LONDON).date()
        except OverflowError:
            raise InvalidInput(field, value, "is too near the ends of the calendar to convert") from None
    if isinstance(value, dt.date):
        return value
    raise InvalidInput(field, value, "must be a date or an aware datetime")


# England and Wales bank holidays that no rule produces, with the regular ones
# they displaced (Banking and Financial Dealings Act 1971 proclamations).
_MOVED: Final = {
    dt.date(1995, 5, 1): dt.date(1995, 5, 8),
    dt.date(2002, 5, 27): dt.date(2002, 6, 4),
    dt.date(2012, 5, 28): dt.date(2012, 6, 4),
    dt.date(2020, 5, 4): dt.date(2020, 5, 8),
    dt.date(2022, 5, 30): dt.date(2022, 6, 2),
}
_EXTRA: Final = frozenset(
    {
        dt.date(1999, 12, 31),
        dt.date(2002, 6, 3),
        dt.date(2011, 4, 29),
        dt.date(2012, 6, 5),
        dt.date(2022, 6, 3),
        dt.date(2022, 9, 19),
        dt.date(2023, 5, 8),
    }
)


def _substitute(day: dt.date, taken: set[dt.date]) -> dt.date:
    while day.weekday() >= 5 or day in taken:
        day += _ONE_DAY
    return day


def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in *year* from the built-in list (:data:`BUILT_IN_HOLIDAYS`).

    Regular holidays follow the statutory pattern; the one-off changes
    proclaimed since 1995 (jubilees, royal events, the 2020 VE day move) are
    listed in this module.  Future one-off holidays are not known to it: for
    those, use a maintained source (:func:`holidays_package`) or the dates
    published by GOV.UK (:func:`supplied_holidays`).

    >>> sorted(d.isoformat() for d in bank_holidays(2026))[:3]
    ['2026-01-01', '2026-04-03', '2026-04-06']
    """
    easter_day = easter(year)
    regular = [
        dt.date(year, 5, 1) + relativedelta(weekday=MO(1)),
        dt.date(year, 5, 31) + relativedelta(weekday=MO(-1)),
        dt.date(year, 8, 31) + relativedelta(weekday=MO(-1)),
    ]
    days_off = {easter_day - dt.timedelta(days=2), easter_day + _ONE_DAY}
    days_off.update(_MOVED.get(day, day) for day in regular)
    # New Year, Christmas and Boxing Day move to the next free weekday.
    for month, day in ((1, 1), (12, 25), (12, 26)):
        days_off.add(_substitute(dt.date(year, month, day), days_off))
    days_off.update(day for day in _EXTRA if day.year == year)
    return frozenset(days_off)


@attrs.frozen
class BankHolidays:
    """A source of England and Wales bank holidays: its name, said wherever working days are counted.

    Calling it with a year gives the weekdays off in that year (substitute days included; a holiday
    that falls on a weekend is no working day lost).  Three sources: :data:`BUILT_IN_HOLIDAYS`, the
    default; :func:`holidays_package`, maintained by others (the ``holidays`` extra); and
    :func:`supplied_holidays`, the dates a caller gives (for example GOV.UK's published list).

    >>> BUILT_IN_HOLIDAYS(2026) == bank_holidays(2026)
    True
    """

    name: str
    """What the days come from, as said in a decision's settings."""
    days: Callable[[int], frozenset[dt.date]] = attrs.field(repr=False)
    """The weekdays off in a year."""

    def __call__(self, year: int) -> frozenset[dt.date]:
        return self.days(year)


BUILT_IN_HOLIDAYS: Final = BankHolidays(
    "the built-in list (the regular pattern and the one-off changes proclaimed from 1995 to 2023)",
    bank_holidays,
)
"""The library's own list: it cannot know a one-off holiday proclaimed after it was written."""


def supplied_holidays(days: Iterable[dt.date], *, name: str = "supplied by the caller") -> BankHolidays:
    """The bank holidays a caller supplies, covering the years from the first given to the last.

    A year outside those is refused, naming it: a year the list does not cover is never taken to
    have no holidays.

    >>> gov_uk = supplied_holidays([dt.date(2026, 1, 1), dt.date(2026, 12, 25)], name="GOV.UK")
    >>> add_working_days(dt.date(2026, 12, 24), 1, holidays=gov_uk)
    datetime.date(2026, 12, 28)
    >>> add_working_days(dt.date(2027, 1, 4), 1, holidays=gov_uk)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidInput: holidays=2027: is not a year the bank holidays supplied by ...
    """
    given = list(days)
    for index, day in enumerate(given):
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise InvalidInput(f"holidays[{index}]", day, "must be a date")
    if not given:
        raise InvalidInput("holidays", given, "give at least one bank holiday (its year is then covered)")
    first, last = min(given).year, max(given).year
    kept = frozenset(day for day in given if day.weekday() < 5)

    def of(year: int) -> frozenset[dt.date]:
        if not first <= year <= last:
            raise InvalidInput(
                "holidays",
                year,
                f"is not a year the bank holidays supplied by {name} cover ({first} to {last})",
            )
        return frozenset(day for day in kept if day.year == year)

    return BankHolidays(name, of)


def holidays_package() -> BankHolidays:
    """England and Wales bank holidays from the ``holidays`` package, maintained by its authors.

    Needs the ``holidays`` extra (``pip install 'asb-case-review[holidays]'``).
    """
    try:
        import holidays  # noqa: PLC0415 - the holidays extra, imported only when asked for
    except ImportError:
        raise ImportError(
            "bank holidays from the holidays package need it: pip install 'asb-case-review[holidays]'"
        ) from None

    def of(year: int) -> frozenset[dt.date]:
        # England's list is England and Wales's (Wales's is the same); weekend days are no working day lost.
        found = holidays.country_holidays("GB", subdiv="ENG", years=year)
        return frozenset(day for day in found if day.weekday() < 5)

    from importlib.metadata import version as installed  # noqa: PLC0415 - only with the extra

    version = installed("holidays")
    return BankHolidays(f"the holidays package {version} (England and Wales)", of)


def add_working_days(start: dt.date, count: int, *, holidays: BankHolidays = BUILT_IN_HOLIDAYS) -> dt.date:
    """The date *count* working days after *start* (England and Wales).

    Weekends and the bank holidays of *holidays* are not working days; *start* itself is day 0.

    >>> add_working_days(dt.date(2025, 12, 23), 3)
    datetime.date(2025, 12, 30)
    """
    whole("count", count, 0)
    if not isinstance(holidays, BankHolidays):
        raise InvalidInput("holidays", holidays, "must be a BankHolidays source (see supplied_holidays)")
    day = start
    off = holidays(day.year)
    while count:
        day += _ONE_DAY
        if day.month == 1 and day.day == 1:
            off = holidays(day.year)
        if day.weekday() < 5 and day not in off:
            count -= 1
    return day
