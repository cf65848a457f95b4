"""Which reports count, and what one "unit" is: the vocabulary of the qualifying tests, once.

Every rule that counts reports looks at them through a
:class:`~asb_case_review.qualifying.Selection`.  This module says, once, what
each setting of a selection means, in the order the tests are applied and
with the :class:`Reason` a report is given when it fails one:

1. the report is about the application's matter (``unrelated``);
2. it was made on or before the application date (``made_after_application``);
3. ``who``: by the victim, when the rule counts only the victim's own reports
   (``not_by_victim``);
4. ``exclude_kinds``, ``agencies``, ``hate_only``: the value tests of
   :func:`screens` (``excluded_kind``, ``excluded_agency``, ``not_hate``);
5. ``lag``: made in time after the day of the behaviour (:func:`in_time`;
   ``late_report``), the day of continuing behaviour given by
   ``behaviour_day`` (:func:`behaviour_day`);
6. ``window``: inside the rule's time window (``outside_window``,
   ``application_outside_window``);
7. a lag that binds only the first report (:attr:`LagScope.FIRST`) is tested
   here, in each placed window, instead of at 5: the reports inside before the
   first one made in time do not count (``late_report``; :func:`first_counted`);

and then, among the reports left, :data:`UNITS` says which of them are the
same unit (``duplicate``, ``unknown_household``).

:data:`FIELDS` names every setting of ``Selection``, ``Window`` and ``Lag``
with its meaning.  An engine lists what it computes for each; a setting it
does not list, or a value it does not compute, is refused by name, so a new
setting cannot be silently ignored by an engine (see
:func:`refusals`).
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeVar, assert_never

import attrs

from .._convert import choice
from ..dates import TimeUnit, period_last_day
from ..models import Report

if TYPE_CHECKING:
    from ..qualifying import Lag, Selection

__all__ = [
    "FIELDS",
    "UNITS",
    "Anchor",
    "BehaviourDay",
    "CountUnit",
    "DateOf",
    "Handles",
    "KeyField",
    "LagScope",
    "Reason",
    "Screen",
    "UnitSpec",
    "Who",
    "behaviour_day",
    "behaviour_days",
    "binds_every",
    "date_of_value",
    "first_counted",
    "held_days",
    "in_time",
    "key_value",
    "lag_last_day",
    "lag_order",
    "reads_day_made",
    "refusals",
    "report_value",
    "screens",
    "surely_in_time",
    "unit_key",
    "victims_only",
]


class Who(enum.StrEnum):
    """Whose reports a rule counts."""

    ANYONE = "anyone"
    """Reports by anyone: the statute counts complaints made by any person."""
    VICTIM = "victim"
    """Only the victim's own reports: the local "you have reported" rules."""


class Anchor(enum.StrEnum):
    """How a rule's time window is placed."""

    EACH_REPORT = "each_report"
    """Each report's own period, beginning with its date, must contain the application date (statute)."""
    APPLICATION = "application"
    """The period before the application date: "in the last six months"."""
    FIRST_REPORT = "first_report"
    """"Within six months of the first complaint": the reports counted fall within one period
    beginning with the first of them (any such run), and the application is made within
    ``Window.application_within`` of the last report of the run."""
    FIRST_INCIDENT = "first_incident"
    """As :attr:`FIRST_REPORT`, with the period beginning with the day of the first incident
    counted and each report placed by the day of its behaviour."""
    FIRST_REPORT_AND_APPLICATION = "first_report_and_application"
    """"The application is made within six months of the first report": one period beginning
    with the earliest report in scope; the reports counted and the application fall inside it.
    Only where an area's wording ties the application itself to the first report."""
    LATEST_INCIDENT = "latest_incident"
    """The application must be made within the period beginning with the latest incident;
    incidents in the period ending with the latest incident count."""


class DateOf(enum.StrEnum):
    """Which date of a report a window or recency gate tests."""

    REPORT = "report"
    """The day the report was made."""
    INCIDENT = "incident"
    """The day of the behaviour reported (see :class:`BehaviourDay`)."""


class LagScope(enum.StrEnum):
    """Which reports must meet the report-lag limit."""

    EVERY = "every"
    """Each report is held to the lag on its own (the statute's qualifying complaint)."""
    FIRST = "first"
    """Only the first of the reports the rule counts is held to the lag.

    East Devon's wording: "3 or more reports ... in the last 6 months ... The first report ...
    was made within one month".  "The first" is the first of the reports counted, not a report
    from years before about the same matter (domain brief, section 4, window anchor, says so of
    "within six months of the first complaint"; the same holds for the lag).  So in each placed
    window, among the reports that pass every other test and fall inside it, in the law's
    order, those before the first report made in time do not count (``late_report``), and from
    that report on, later reports count whatever their lag (:func:`first_counted`).  A window
    that begins with the first report (a run, or a period tied to the application) begins only
    at a report made in time.  This is the reading most favourable to the complainant (more
    reports count), as the library's other open readings are (:class:`BehaviourDay`), and a
    late report never closes the rule: a new report made in time can always start afresh."""


class BehaviourDay(enum.StrEnum):
    """The day of behaviour that went on over several days.

    The law has no settled answer (domain brief, open question 2); the default
    is the reading most favourable to the complainant.
    """

    LATEST_ON_OR_BEFORE_REPORT = "latest_on_or_before_report"
    """The latest day of the behaviour on or before the day the report was made."""
    FIRST_DAY = "first_day"
    """The day the behaviour began."""


class Reason(enum.StrEnum):
    """Why a report counted or did not, for one rule."""

    COUNTED = "counted"
    UNRELATED = "unrelated"
    """The report is about another matter than the application."""
    MADE_AFTER_APPLICATION = "made_after_application"
    NOT_BY_VICTIM = "not_by_victim"
    """The rule counts only the victim's own reports."""
    EXCLUDED_KIND = "excluded_kind"
    EXCLUDED_AGENCY = "excluded_agency"
    NOT_HATE = "not_hate"
    """The rule counts only hate incidents."""
    LATE_REPORT = "late_report"
    """The report was made too long after the behaviour (the report lag)."""
    OUTSIDE_WINDOW = "outside_window"
    """The report is not inside the rule's time window on the application date."""
    APPLICATION_OUTSIDE_WINDOW = "application_outside_window"
    """The rule's fixed window has closed (or not opened) on the application date."""
    DUPLICATE = "duplicate"
    """The report repeats something already counted (same incident, person or household)."""
    UNKNOWN_HOUSEHOLD = "unknown_household"
    """The rule counts households and the report has none recorded."""


def date_of_value(value: DateOf | str) -> DateOf:
    """*value* as a :class:`DateOf`, or an error naming ``date_of`` (the converter of that field)."""
    return choice(DateOf, "date_of", value)


def victims_only(who: Who) -> bool:
    """Whether a rule counting reports by *who* counts only the victim's own.

    >>> victims_only(Who.VICTIM), victims_only(Who.ANYONE)
    (True, False)
    """
    match who:
        case Who.VICTIM:
            return True
        case Who.ANYONE:
            return False
        case _:  # pragma: no cover - exhaustive
            assert_never(who)


def reads_day_made(date_of: DateOf) -> bool:
    """Whether a window or recency gate on *date_of* tests the day a report was made (else its behaviour's).

    Every reading of a ``date_of`` goes through this one exhaustive match, so a new
    :class:`DateOf` is a type error here (``assert_never``) before it can be read as either.

    >>> reads_day_made(DateOf.REPORT), reads_day_made(DateOf.INCIDENT)
    (True, False)
    """
    match date_of:
        case DateOf.REPORT:
            return True
        case DateOf.INCIDENT:
            return False
        case _:  # pragma: no cover - exhaustive
            assert_never(date_of)


# ------------------------------------------------------------------ the day of the behaviour


def behaviour_day(rule: BehaviourDay, began: dt.date, ended: dt.date | None, made: dt.date) -> dt.date:
    """The day of the behaviour a report made on *made* is about, under *rule*.

    >>> behaviour_day(BehaviourDay.LATEST_ON_OR_BEFORE_REPORT,
    ...               dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 2, 10))
    datetime.date(2025, 2, 10)
    >>> behaviour_day(BehaviourDay.FIRST_DAY, dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 2, 10))
    datetime.date(2025, 1, 1)
    """
    match rule:
        case BehaviourDay.FIRST_DAY:
            return began
        case BehaviourDay.LATEST_ON_OR_BEFORE_REPORT:
            last = ended or began
            return last if last < made else made
        case _:  # pragma: no cover - exhaustive
            assert_never(rule)


def behaviour_days(rule: BehaviourDay, reports: Iterable[Report]) -> list[dt.date]:
    """:func:`behaviour_day` of each of *reports*, in one pass (an evaluation asks it of every report).

    >>> from asb_case_review.models import Incident
    >>> i = Incident("I", matter="M", began_on=dt.date(2025, 1, 1), ended_on=dt.date(2025, 3, 1))
    >>> r = Report("R", reporter="P", made_on=dt.date(2025, 2, 10), incident=i)
    >>> [behaviour_days(rule, [r]) for rule in BehaviourDay]
    [[datetime.date(2025, 2, 10)], [datetime.date(2025, 1, 1)]]
    """
    match rule:
        case BehaviourDay.FIRST_DAY:
            return [report.incident.began_on for report in reports]
        case BehaviourDay.LATEST_ON_OR_BEFORE_REPORT:
            # A report is never made before its incident began (models.Report refuses it): the
            # first day of a one-day incident is on or before the report, and is its day.
            return [
                incident.began_on
                if (ended := (incident := report.incident).ended_on) is None
                else (ended if ended < report.made_on else report.made_on)
                for report in reports
            ]
        case _:  # pragma: no cover - exhaustive
            assert_never(rule)


def binds_every(scope: LagScope) -> bool:
    """Whether a lag of *scope* tests each report on its own (else only the first report counted).

    Every reading of a lag's scope goes through this one exhaustive match, so a new
    :class:`LagScope` is a type error here (``assert_never``) before it can be read as either.

    >>> binds_every(LagScope.EVERY), binds_every(LagScope.FIRST)
    (True, False)
    """
    match scope:
        case LagScope.EVERY:
            return True
        case LagScope.FIRST:
            return False
        case _:  # pragma: no cover - exhaustive
            assert_never(scope)


def lag_order(days: Sequence[Any], late: Sequence[bool]) -> list[int]:
    """The positions of reports (given in the law's order) in the order a first-only lag reads them.

    By *days* (the day each was made, or the day that orders a run), and on one day the
    reports made in time before the late ones, else as given.

    Reports made on one day have no order but their ids, which say nothing of which was made
    first; read in the order most favourable to the complainant (as the library's other open
    readings are), an in-time report of the day is the first, and a late one of the same day
    follows it and counts.  Every engine reads the lag through this order (:func:`first_counted`,
    :func:`held_days`).

    >>> lag_order([1, 1, 1, 2], [True, False, True, False])
    [1, 0, 2, 3]
    """
    return sorted(range(len(late)), key=lambda i: (days[i], late[i]))


def first_counted(late: Sequence[bool], made: Sequence[Any]) -> frozenset[int]:
    """Under a lag binding only the first report counted: which reports of one window do not count.

    *late* says, for each report inside one placed window that passes every other test, in
    the law's order, whether it was made after the lag; *made*, the day that orders it (the
    day made, or the day that orders a run).  Read in :func:`lag_order`, the reports before
    the first one made in time do not count (each would be the first report counted, and
    was late); from that one on, every report counts whatever its lag.  All of them when
    none was made in time.  Their positions, as given.

    >>> sorted(first_counted([True, True, False, True], [1, 2, 3, 4]))
    [0, 1]
    >>> sorted(first_counted([True, False], [1, 1])), sorted(first_counted([True], [1]))
    ([], [0])
    """
    skipped: set[int] = set()
    for i in lag_order(made, late):
        if not late[i]:
            break
        skipped.add(i)
    return frozenset(skipped)


Day = TypeVar("Day", dt.date, int)


def held_days(late: Sequence[bool], days: Sequence[Day], made: Sequence[Any]) -> list[Day | None]:
    """Under a lag binding only the first report counted: until when each report of one group counts.

    *late*, *days* and *made* are, for the reports of one group (a matter, or a victim's own
    reports about it) that pass every other test, in the law's order, whether each was made
    after the lag, its last day in the window (or any day the window tests, as dates or day
    numbers: the answer is in the same terms) and the day it was made.  As days pass, a
    report counts while it is in the window and some report made in time at or before it
    (in :func:`lag_order`) is too: else it, or a late report before it, would be the first
    counted (:func:`first_counted`).  So each counts until the earlier of its own day and the
    latest day of those reports made in time; ``None`` when none was (it never counts).
    Every engine applies this: ``qualifying.select`` to the reports inside a window, the
    pure-Python sweep along each group, the numpy sweep as a running maximum
    (``Columns._first_lag``).

    >>> held_days([True, False, True, True, False], [5, 3, 9, 2, 7], [1, 2, 3, 4, 5])
    [None, 3, 3, 2, 7]
    >>> held_days([True, False], [9, 3], [1, 1])  # one day: the report made in time is read first
    [3, 3]
    """
    held: list[Day | None] = [None] * len(late)
    latest: Day | None = None
    for i in lag_order(made, late):
        day = days[i]
        if not late[i] and (latest is None or day > latest):
            latest = day
        held[i] = None if latest is None else min(day, latest)
    return held


def lag_last_day(lag: Lag, behaviour: dt.date) -> dt.date:
    """The last day on which a report about behaviour on *behaviour* is made within *lag*.

    >>> from asb_case_review.qualifying import Lag
    >>> lag_last_day(Lag(), dt.date(2025, 1, 31))
    datetime.date(2025, 2, 28)
    """
    return period_last_day(behaviour, lag.span, lag.arithmetic)


def surely_in_time(lag: Lag) -> int:
    """A number of days after the behaviour within which every report is in time under *lag*.

    A calendar month is never shorter than 28 days, so a report made fewer than
    28 days a month (or the lag's days) after the behaviour is in time without
    working out the last day.

    >>> from asb_case_review.dates import days, months
    >>> from asb_case_review.qualifying import Lag
    >>> surely_in_time(Lag(months(1))), surely_in_time(Lag(days(30)))
    (28, 30)
    """
    match lag.span.unit:
        case TimeUnit.MONTHS:
            return 28 * lag.span.count
        case TimeUnit.DAYS:
            return lag.span.count
        case _:  # pragma: no cover - exhaustive
            assert_never(lag.span.unit)


def in_time(lag: Lag, made: dt.date, behaviour: dt.date) -> bool:
    """Whether a report made on *made* about behaviour on *behaviour* is within *lag*.

    The period begins with the day of the behaviour (s.104: "within the period
    of one month beginning with the date on which the behaviour is alleged to
    have occurred").

    >>> from asb_case_review.qualifying import Lag
    >>> in_time(Lag(), dt.date(2025, 3, 1), dt.date(2025, 2, 1))  # 1 Feb: the month ends 28 Feb
    False
    """
    return made <= lag_last_day(lag, behaviour)


# ------------------------------------------------------------------ the value tests


@attrs.frozen
class Screen:
    """One value test of a selection: which reports it lets through, and the reason for the rest."""

    field: str
    """The setting of the selection it applies, e.g. ``Selection.hate_only``."""
    reason: Reason
    column: str
    """The report's value it tests: ``kind``, ``agency`` or ``hate``."""
    admits: Callable[[Any], bool]
    explain: Callable[[Any], str]


def screens(selection: Selection) -> tuple[Screen, ...]:
    """The value tests *selection* makes, in the order their reasons are given (none at the defaults).

    >>> from asb_case_review.qualifying import Selection
    >>> [s.reason.value for s in screens(Selection(hate_only=True, exclude_kinds=["diary"]))]
    ['excluded_kind', 'not_hate']
    """
    found: list[Screen] = []
    if selection.exclude_kinds:
        excluded = selection.exclude_kinds
        found.append(
            Screen(
                "Selection.exclude_kinds",
                Reason.EXCLUDED_KIND,
                "kind",
                lambda kind: kind not in excluded,
                lambda kind: f"reports of kind {kind!r} are not counted",
            )
        )
    if selection.agencies:
        agencies = selection.agencies
        found.append(
            Screen(
                "Selection.agencies",
                Reason.EXCLUDED_AGENCY,
                "agency",
                agencies.__contains__,
                lambda agency: f"reports to {agency.value} are not counted",
            )
        )
    if selection.hate_only:
        found.append(
            Screen(
                "Selection.hate_only",
                Reason.NOT_HATE,
                "hate",
                bool,
                lambda _: "not recorded as a hate incident",
            )
        )
    return tuple(found)


_COLUMNS: Final[Mapping[str, Callable[[Report], Any]]] = MappingProxyType(
    {
        "kind": operator.attrgetter("kind"),
        "agency": operator.attrgetter("agency"),
        "hate": operator.attrgetter("incident.hate"),
    }
)


def column_reader(column: str) -> Callable[[Report], Any]:
    """The function giving the value of a report that a :class:`Screen` on *column* tests.

    >>> from asb_case_review.models import Incident
    >>> i = Incident("I", matter="M", began_on=dt.date(2025, 1, 1), hate=True)
    >>> column_reader("hate")(Report("R", reporter="P", made_on=dt.date(2025, 1, 2), incident=i))
    True
    """
    try:
        return _COLUMNS[column]
    except KeyError:  # pragma: no cover - the columns are this module's own
        raise ValueError(column) from None


def report_value(report: Report, column: str) -> object:
    """The value of *report* a :class:`Screen` tests."""
    return column_reader(column)(report)


# ------------------------------------------------------------------ what one unit is


class CountUnit(enum.StrEnum):
    """What one counts as "one": the local policies differ (domain brief, open question 3)."""

    REPORTS = "reports"
    """Every report counts, even the same incident reported twice."""
    COMPLAINTS = "complaints"
    """One per person, incident and day of behaviour: the statute's "qualifying complaints".

    The same complaint made twice (the same person about the same day of the same
    behaviour, for example to the police and to the council) counts once; a person
    who complains on three days about behaviour that goes on for months has made
    three complaints, each about the behaviour up to its own day.  The statutory
    default."""
    INCIDENTS = "incidents"
    """One per incident, however many people or agencies it was reported to."""
    INCIDENT_DATES = "incident_dates"
    """One per day of behaviour: "separate incidents" on separate dates."""
    REPORTERS = "reporters"
    """One per person: "five separate individuals"."""
    HOUSEHOLDS = "households"
    """One per household; a report with no household recorded leaves the count uncertain."""


class KeyField(enum.StrEnum):
    """A value of a report that a unit is made of."""

    REPORT = "report"
    """The report's own id: every report is its own unit."""
    REPORTER = "reporter"
    INCIDENT = "incident"
    BEHAVIOUR_DAY = "behaviour_day"
    """The day of the behaviour the report is about (see :class:`BehaviourDay`)."""
    HOUSEHOLD = "household"


@attrs.frozen
class UnitSpec:
    """What makes two reports the same unit, and the wording of a duplicate."""

    fields: tuple[KeyField, ...]
    """Reports with equal values of these fields (about one matter) are one unit."""
    duplicate: str
    """Why a second report of the same unit does not count."""
    one_day_per_incident: bool = attrs.field(default=False, kw_only=True)
    """Each incident counts on at most one of its days, and each day for at most one
    incident (incidents are matched to days so that as many as possible count)."""
    unknown_when_missing: bool = attrs.field(default=False, kw_only=True)
    """A report whose key value is missing may or may not be a new unit: the count is uncertain."""


_UNITS: Final = {
    CountUnit.REPORTS: UnitSpec((KeyField.REPORT,), "the same report is already counted"),
    CountUnit.COMPLAINTS: UnitSpec(
        (KeyField.REPORTER, KeyField.INCIDENT, KeyField.BEHAVIOUR_DAY),
        "the same person's complaint about the same day of the same behaviour is already counted",
    ),
    CountUnit.INCIDENTS: UnitSpec((KeyField.INCIDENT,), "the same incident is already counted"),
    CountUnit.INCIDENT_DATES: UnitSpec(
        (KeyField.BEHAVIOUR_DAY,),
        "an incident on the same day is already counted",
        one_day_per_incident=True,
    ),
    CountUnit.REPORTERS: UnitSpec((KeyField.REPORTER,), "the same person is already counted"),
    CountUnit.HOUSEHOLDS: UnitSpec(
        (KeyField.HOUSEHOLD,), "the same household is already counted", unknown_when_missing=True
    ),
}
UNITS: Final[Mapping[CountUnit, UnitSpec]] = MappingProxyType(_UNITS)
"""What each counting unit means.  Engines derive their unit keys from these fields."""


def key_value(report: Report, day: dt.date, field: KeyField) -> Hashable:
    """The value of *field* for *report* about behaviour on *day*."""
    match field:
        case KeyField.REPORT:
            return report.id
        case KeyField.REPORTER:
            return report.reporter
        case KeyField.INCIDENT:
            return report.incident.id
        case KeyField.BEHAVIOUR_DAY:
            return day
        case KeyField.HOUSEHOLD:
            return report.household
        case _:  # pragma: no cover - exhaustive
            assert_never(field)


def unit_key(spec: UnitSpec, report: Report, day: dt.date) -> tuple[Hashable, ...] | None:
    """The unit *report* counts as under *spec*; ``None`` when a value is missing and that makes it unknown.

    >>> from asb_case_review.models import Incident
    >>> i = Incident("I1", matter="M", began_on=dt.date(2025, 1, 1))
    >>> r = Report("R1", reporter="P1", made_on=dt.date(2025, 1, 2), incident=i)
    >>> unit_key(UNITS[CountUnit.COMPLAINTS], r, dt.date(2025, 1, 1))
    ('P1', 'I1', datetime.date(2025, 1, 1))
    """
    fields = spec.fields
    # Most units are one value; a generator for them would cost more than the lookup (every report).
    if len(fields) == 1:
        key: tuple[Hashable, ...] = (key_value(report, day, fields[0]),)
    else:
        key = tuple([key_value(report, day, field) for field in fields])
    if spec.unknown_when_missing and None in key:
        return None
    return key


_KEY_READERS: Final[Mapping[KeyField, Callable[[Report], Hashable]]] = MappingProxyType(
    {
        KeyField.REPORT: operator.attrgetter("id"),
        KeyField.REPORTER: operator.attrgetter("reporter"),
        KeyField.INCIDENT: operator.attrgetter("incident.id"),
        KeyField.HOUSEHOLD: operator.attrgetter("household"),
    }
)
"""The key fields that are a report's own value, read as :func:`key_value` reads them."""


def key_reader(spec: UnitSpec) -> Callable[[Report], Hashable] | None:
    """For a unit made of one value of the report alone: the function reading it.

    Two reports are then one unit when it reads equal values (``unit_key`` gives the value in a
    tuple), and a report whose value is missing (``None``) leaves the count uncertain.  ``None``
    for any other unit (several fields, the day of behaviour, or a value that may be missing
    where the unit does not say that makes the count uncertain): use :func:`unit_key`.

    >>> key_reader(UNITS[CountUnit.INCIDENTS]) is _KEY_READERS[KeyField.INCIDENT]
    True
    >>> key_reader(UNITS[CountUnit.COMPLAINTS]) is None
    True
    >>> key_reader(UnitSpec((KeyField.HOUSEHOLD,), "the same household")) is None
    True
    """
    if len(spec.fields) != 1:
        return None
    field = spec.fields[0]
    if field is KeyField.HOUSEHOLD and not spec.unknown_when_missing:
        return None  # unit_key keeps a missing household as a unit of its own
    return _KEY_READERS.get(field)


# ------------------------------------------------------------------ every setting, named


FIELDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Selection.who": "whose reports count: anyone's (the statute) or only the victim's",
        "Selection.window": "the time window a report must be inside on the application date",
        "Selection.lag": "how soon after the behaviour a report must be made (none: no limit)",
        "Selection.hate_only": "only reports of hate incidents count",
        "Selection.exclude_kinds": "reports of these kinds do not count",
        "Selection.agencies": "only reports to these agencies count (empty: any)",
        "Selection.behaviour_day": "the day of behaviour that went on over several days",
        "Window.span": "the window's length in months or days",
        "Window.anchor": "how the window is placed",
        "Window.date_of": "which date of a report the window tests",
        "Window.arithmetic": "how a period's last day is counted",
        "Window.application_within": (
            "for a window beginning with the first report counted: how soon after the last report "
            "of the run the application must be made (none: no bound)"
        ),
        "Lag.span": "the lag's length in months or days",
        "Lag.applies_to": "which reports the lag binds",
        "Lag.arithmetic": "how the lag's last day is counted",
    }
)
"""Every setting of a selection, by class and attribute, with its meaning."""


Handles = Mapping[str, Callable[[Any], bool]]
"""What an engine computes: for each setting in :data:`FIELDS`, whether it computes a given value."""


def refusals(selection: Selection, handles: Handles) -> list[str]:
    """The settings of *selection* an engine with *handles* does not compute, each named with its value.

    Every attribute of the selection, its window and its lag is looked up, so
    a setting added to those classes is refused until the engine says it
    computes it.

    >>> from asb_case_review.qualifying import Selection
    >>> handles = {key: (lambda value: True) for key in FIELDS}
    >>> refusals(Selection(hate_only=True), {**handles, "Selection.hate_only": lambda value: not value})
    ['Selection.hate_only=True']
    """
    found: list[str] = []
    parts: list[tuple[str, attrs.AttrsInstance]] = [("Selection", selection), ("Window", selection.window)]
    if selection.lag is not None:
        parts.append(("Lag", selection.lag))
    for name, value in parts:
        for attribute in attrs.fields(type(value)):
            key = f"{name}.{attribute.name}"
            setting = getattr(value, attribute.name)
            accepts = handles.get(key)
            if accepts is None or not accepts(setting):
                shown = setting.value if isinstance(setting, enum.Enum) else setting
                found.append(key if accepts is None else f"{key}={shown!r}")
    return found
