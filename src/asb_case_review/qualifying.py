"""Which reports qualify: the per-report tests that every count rule shares.

A :class:`Selection` says which reports a rule looks at and which of them are
inside its time window: whose reports (anyone's or the victim's), which kinds,
agencies and incidents, how soon after the behaviour each report must be made
(the *lag*), and how the window is anchored.  :func:`select` applies it to an
application on a date and gives every report a :class:`Fate` with a
:class:`Reason` code.  All date arithmetic is delegated to :mod:`.dates`.

The defaults are the statute's: a complaint is qualifying when it was made
within one calendar month beginning with the day of the behaviour, and the
application is made within six calendar months beginning with the day the
complaint was made (s.104, as explained in the Explanatory Notes para 231).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, Final, NamedTuple, assert_never

import attrs

from ._convert import choice
from .dates import Arithmetic, Period, Span, earliest_start, months, period, period_last_day
from .errors import InvalidInput
from .law import reports as law
from .law.reports import Anchor, BehaviourDay, DateOf, LagScope, Reason, Who, date_of_value
from .models import Agency, Application, Report, in_order

__all__ = [
    "Anchor",
    "BehaviourDay",
    "DateOf",
    "Fate",
    "Lag",
    "LagScope",
    "Reason",
    "Selected",
    "Selection",
    "Who",
    "Window",
    "behaviour_day",
    "select",
]


def _anchor(value: Anchor | str) -> Anchor:
    return choice(Anchor, "anchor", value)


def _arithmetic(value: Arithmetic | str) -> Arithmetic:
    return choice(Arithmetic, "arithmetic", value)


def _lag_scope(value: LagScope | str) -> LagScope:
    return choice(LagScope, "applies_to", value)


def _who(value: Who | str) -> Who:
    return choice(Who, "who", value)


def _behaviour_day(value: BehaviourDay | str) -> BehaviourDay:
    return choice(BehaviourDay, "behaviour_day", value)


def _span(value: Span) -> Span:
    if not isinstance(value, Span):
        raise InvalidInput("span", value, "must be a Span, such as months(6) or days(30)")
    return value


def _optional_span(value: Span | None) -> Span | None:
    if value is not None and not isinstance(value, Span):
        raise InvalidInput("application_within", value, "must be a Span, such as months(6), or None")
    return value


@attrs.frozen(cache_hash=True)  # Selections key the per-evaluation memo: hash once.
class Window:
    """The time window of a rule; the default is the statute's.

    >>> str(Window())
    'each report made within the 6 calendar months before the application (statutory arithmetic)'
    """

    span: Span = attrs.field(default=months(6), converter=_span)
    anchor: Anchor = attrs.field(default=Anchor.EACH_REPORT, kw_only=True, converter=_anchor)
    date_of: DateOf = attrs.field(default=DateOf.REPORT, kw_only=True, converter=date_of_value)
    arithmetic: Arithmetic = attrs.field(default=Arithmetic.STATUTORY, kw_only=True, converter=_arithmetic)
    application_within: Span | None = attrs.field(default=months(6), kw_only=True, converter=_optional_span)
    """For a window beginning with the first report counted (:attr:`Anchor.FIRST_REPORT`,
    :attr:`Anchor.FIRST_INCIDENT`): the application is made within this period beginning with
    the last report of the run.  The default, six months, mirrors the statute's six months from
    each complaint; ``None`` sets no bound.  Other anchors ignore it."""

    def __str__(self) -> str:
        by_report = law.reads_day_made(self.date_of)
        thing = "report made" if by_report else "incident"
        things = "reports made" if by_report else "incidents"
        how = f"({self.arithmetic.value} arithmetic)"
        match self.anchor:
            case Anchor.EACH_REPORT:
                return f"each {thing} within the {self.span} before the application {how}"
            case Anchor.APPLICATION:
                return f"{things} in the last {self.span} before the application {how}"
            case Anchor.FIRST_REPORT | Anchor.FIRST_INCIDENT:
                first = "report" if self.anchor is Anchor.FIRST_REPORT else "incident"
                bound = (
                    "with no bound on the application"
                    if self.application_within is None
                    else f"the application within {self.application_within} of the last of them"
                )
                return f"{things} within {self.span} beginning with the first {first} counted, {bound} {how}"
            case Anchor.FIRST_REPORT_AND_APPLICATION:
                return (
                    f"reports, and the application, within {self.span} beginning with the first report {how}"
                )
            case Anchor.LATEST_INCIDENT:
                return (
                    f"incidents within the {self.span} up to the latest incident, with the "
                    f"application made within {self.span} of it {how}"
                )


@attrs.frozen(cache_hash=True)  # Selections key the per-evaluation memo: hash once.
class Lag:
    """How soon after the behaviour a report must be made: the statute's one month by default.

    >>> str(Lag())
    'made within 1 calendar month of the behaviour'
    """

    span: Span = attrs.field(default=months(1), converter=_span)
    applies_to: LagScope = attrs.field(default=LagScope.EVERY, kw_only=True, converter=_lag_scope)
    arithmetic: Arithmetic = attrs.field(default=Arithmetic.STATUTORY, kw_only=True, converter=_arithmetic)

    def __str__(self) -> str:
        who = "" if law.binds_every(self.applies_to) else "the first report counted "
        return f"{who}made within {self.span} of the behaviour"


def _kinds(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput("exclude_kinds", value, "must be a collection of kinds, not one string")
    kinds = tuple(value)
    for index, kind in enumerate(kinds):
        if not isinstance(kind, str) or not kind.strip():
            raise InvalidInput(f"exclude_kinds[{index}]", kind, "must be a non-empty string")
    return frozenset(kinds)


def _agencies(value: Iterable[Agency | str]) -> frozenset[Agency]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput("agencies", value, "must be a collection of agencies, not one string")
    return frozenset(choice(Agency, "agencies", a) for a in value)


def _optional_lag(value: Lag | None) -> Lag | None:
    if value is not None and not isinstance(value, Lag):
        raise InvalidInput("lag", value, "must be a Lag or None")
    return value


def _flag(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    # A string such as "no" is truthy: refuse it rather than count only hate incidents.
    if not isinstance(value, bool):
        raise InvalidInput(attribute.name, value, "must be true or false")


def _window(value: Window) -> Window:
    if not isinstance(value, Window):
        raise InvalidInput("window", value, "must be a Window")
    return value


@attrs.frozen(cache_hash=True)  # Selections key the per-evaluation memo: hash once.
class Selection:
    """Which reports a rule looks at.  The defaults are the statute's.

    ``agencies`` empty means reports to any agency count.  ``lag`` ``None``
    means no limit on how long after the behaviour a report may be made.
    """

    who: Who = attrs.field(default=Who.ANYONE, kw_only=True, converter=_who)
    window: Window = attrs.field(factory=Window, kw_only=True, converter=_window)
    lag: Lag | None = attrs.field(factory=Lag, kw_only=True, converter=_optional_lag)
    hate_only: bool = attrs.field(default=False, kw_only=True, validator=_flag)
    exclude_kinds: frozenset[str] = attrs.field(default=frozenset(), kw_only=True, converter=_kinds)
    agencies: frozenset[Agency] = attrs.field(default=frozenset(), kw_only=True, converter=_agencies)
    behaviour_day: BehaviourDay = attrs.field(
        default=BehaviourDay.LATEST_ON_OR_BEFORE_REPORT, kw_only=True, converter=_behaviour_day
    )

    def describe(self) -> str:
        """The selection in words, for explanations."""
        parts = ["by the victim" if law.victims_only(self.who) else "by anyone"]
        if self.hate_only:
            parts.append("about hate incidents")
        if self.exclude_kinds:
            parts.append("excluding " + ", ".join(sorted(self.exclude_kinds)))
        if self.agencies:
            parts.append("to " + ", ".join(sorted(a.value for a in self.agencies)))
        if self.lag is not None:
            parts.append(str(self.lag))
        parts.append(str(self.window))
        return "; ".join(parts)


@attrs.frozen
class Fate:
    """What became of one report under one rule, and why."""

    report: str
    reason: Reason
    detail: str
    reporter: str = attrs.field(repr=False)
    """Kept for the officer's view only; the applicant's view never shows it."""
    window: Period | None = None
    """The days on which this report is inside the rule's window, when it got that far."""
    because: str | None = None
    """Which of the letter's ``because`` sentences says why, when the reason alone does not
    tell it truly (a report outside a run of reports, after a period, or whose incident placed
    it outside); ``None``: the reason's own sentence."""


class Pending(partial[tuple[Fate, ...]]):
    """Fates not yet made: the call it holds builds them the first time they are asked for, once.

    ``Pending(partial(make, *args))``.  Most evaluations are asked only for their outcome; every
    report's fate and its wording are built when an explanation reads them, never before.  Two
    threads reading at once may both build them; the fates are equal values, so either may be
    kept.  A partial, built in C: every count of every evaluation makes one.
    """

    __slots__ = ()

    def get(self) -> tuple[Fate, ...]:
        """The fates, made on the first call."""
        held = self.__dict__
        made: tuple[Fate, ...] | None = held.get("made")
        if made is None:
            made = held["made"] = self()
        return made

    def __reduce__(self) -> tuple[type[Pending], tuple[Callable[..., tuple[Fate, ...]], tuple[Fate, ...]]]:
        # What makes the fates may hold a function that cannot be pickled (a value test's
        # lambda, law.reports.screens): a pickle holds the fates made, so every Decision pickles.
        return Pending, (_given, self.get())


def _given(fates: tuple[Fate, ...]) -> tuple[Fate, ...]:
    """*fates*, as made before (a pickled :class:`Pending` holds them)."""
    return fates


FatesArg = tuple[Fate, ...] | Pending
"""Fates given as they are, or to be made when first read (:class:`Pending`)."""


def fates_of(value: FatesArg) -> tuple[Fate, ...]:
    """The fates *value* holds or makes."""
    return value if isinstance(value, tuple) else value.get()


def public_repr(value: attrs.AttrsInstance) -> str:
    """The repr attrs gives, each field under its public name (``fates``, not ``_fates``), made if pending."""
    shown = ", ".join(
        f"{a.alias}={getattr(value, a.alias)!r}" for a in attrs.fields(type(value)) if a.repr is not False
    )
    return f"{type(value).__name__}({shown})"


@attrs.frozen(repr=False, slots=False)  # built on every evaluation: a dict class sets its fields faster
class Selected:
    """The outcome of :func:`select`: every report's fate and what is inside the window."""

    _fates: FatesArg = attrs.field(alias="fates", eq=fates_of)
    inside: tuple[tuple[Report, dt.date, dt.date], ...]
    """Reports inside the window, each with its behaviour day and the last day it stays inside."""
    in_scope: tuple[tuple[Report, dt.date], ...]
    """Reports that passed every test before the window, with their behaviour day (under a lag
    binding only the first report counted, the late ones too: it is tested in the window)."""
    window: Period | None
    """The window on the application date, first to last day."""
    closed: str | None = attrs.field(default=None, kw_only=True)
    """Why no report made after the application date can pass the selection, for any later
    application about the matter; ``None`` when one can.  A window that ties the application
    to the first report (:attr:`Anchor.FIRST_REPORT_AND_APPLICATION`) stays placed by it once
    it has closed.  (A late report never closes a selection: under a lag that binds only the
    first report counted, a new report made in time starts afresh.)"""
    late: frozenset[str] = attrs.field(default=frozenset(), kw_only=True)
    """Under a lag that binds only the first report counted (:attr:`LagScope.FIRST`): the ids of
    the reports in ``in_scope`` made after the lag, which count only after a report made in
    time (:func:`.law.reports.first_counted`).  Empty under any other lag."""

    @property
    def fates(self) -> tuple[Fate, ...]:
        """Every report's fate, in the order the reports were made."""
        return fates_of(self._fates)

    @property
    def held_fates(self) -> FatesArg:
        """The fates as held: made, or to be made when first read (for a count that changes none)."""
        return self._fates

    def __repr__(self) -> str:
        return public_repr(self)


def behaviour_day(report: Report, rule: BehaviourDay) -> dt.date:
    """The day of the behaviour *report* is about, under *rule* (see :func:`.law.reports.behaviour_day`).

    >>> from asb_case_review.models import Incident
    >>> i = Incident("I", matter="M", began_on=dt.date(2025, 1, 1), ended_on=dt.date(2025, 3, 1))
    >>> r = Report("R", reporter="P", made_on=dt.date(2025, 2, 10), incident=i)
    >>> behaviour_day(r, BehaviourDay.LATEST_ON_OR_BEFORE_REPORT)
    datetime.date(2025, 2, 10)
    """
    incident = report.incident
    return law.behaviour_day(rule, incident.began_on, incident.ended_on, report.made_on)


def _screen(
    selection: Selection,
    application: Application,
    report: Report,
    as_of: dt.date,
    screens: tuple[law.Screen, ...],
) -> tuple[Reason, str] | None:
    """The first test *report* fails before the lag and window tests, in the law's order, if any.

    *screens* are ``law.screens(selection)``, made once for all the reports.
    """
    if report.incident.matter != application.matter:
        return Reason.UNRELATED, f"about another {application.related_by}"
    if report.made_on > as_of:
        return Reason.MADE_AFTER_APPLICATION, f"made on {report.made_on}, after {as_of}"
    if law.victims_only(selection.who) and report.reporter != application.victim:
        return Reason.NOT_BY_VICTIM, "made by someone other than the victim"
    for screen in screens:
        found = law.report_value(report, screen.column)
        if not screen.admits(found):
            return screen.reason, screen.explain(found)
    return None


Failing = Callable[[Report], bool]
"""Whether a report fails one of a selection's value tests."""


Admits = Callable[[Any], bool]
Read = Callable[[Report], Any]


class _Plan(NamedTuple):
    """How :func:`select` applies a selection, worked out once for it."""

    screens: tuple[law.Screen, ...]
    """``law.screens(selection)``."""
    single: tuple[Admits, Read] | None
    """A single value test, as its own two functions (whether a value is admitted, the value read),
    applied in the loop without a call of its own."""
    fails: Failing | None
    """Several value tests, as one function telling whether a report fails one of them."""
    scope: Selection
    """The selection with the default window: what the tests before the window depend on (one
    object for every equal one, so that it keys the evaluation's memo at the cost of its identity)."""


_ANY_WINDOW: Final = Window()


@functools.lru_cache(maxsize=1024)
def _canonical(scope: Selection) -> Selection:
    """The first of the selections equal to *scope* that was asked for."""
    return scope


@functools.lru_cache(maxsize=1024)
def _screening(selection: Selection) -> _Plan:
    """How *selection* is applied, made once per selection (an immutable value), as a policy is read once."""
    screens = law.screens(selection)
    tests = tuple((screen.admits, law.column_reader(screen.column)) for screen in screens)
    scope = _canonical(attrs.evolve(selection, window=_ANY_WINDOW))
    if len(tests) <= 1:
        return _Plan(screens, (tests[0] if tests else None), None, scope)
    return _Plan(screens, None, _failing(tests), scope)


def _failing(tests: tuple[tuple[Admits, Read], ...]) -> Failing:
    """One function telling whether a report fails any of *tests* (which one, _screen tells).

    Two tests are applied in one expression, without a loop over them: it runs for every report.
    """
    if len(tests) == 1:
        ((admits, read),) = tests
        return lambda report: not admits(read(report))
    if len(tests) == 2:
        (admits_1, read_1), (admits_2, read_2) = tests
        return lambda report: not (admits_1(read_1(report)) and admits_2(read_2(report)))
    first, rest = _failing(tests[:2]), _failing(tests[2:])
    return lambda report: first(report) or rest(report)


def _screened(
    selection: Selection,
    application: Application,
    as_of: dt.date,
    screens: tuple[law.Screen, ...],
    report: Report,
) -> Fate:
    """The fate of a report that failed a test before the lag: the first it fails, in the law's order."""
    failed = _screen(selection, application, report, as_of, screens)
    assert failed is not None, report.id  # select() found that it fails one
    return Fate(report.id, failed[0], failed[1], report.reporter)


_MADE_ON: Final = operator.attrgetter("made_on")


class Shared:
    """What every selection of one application shares, worked out once for all of them.

    The reports in the order the law takes them (the day they were made, then
    their id) and each one's day of behaviour under each reading (both kept with
    the application, :func:`~asb_case_review.models.in_order`), the last days of
    the periods the rules measure (kept from one evaluation to the next: a pure
    function of the first day), and the reports that pass the tests before a
    window, for rules that differ only in their window.  A
    :class:`~asb_case_review.rules.Context` holds one for an evaluation and the
    re-runs of :attr:`~asb_case_review.decision.Decision.met_until`, so that a
    value one rule needs is not worked out again for the next.  It belongs to
    one evaluation; threads that read one decision's explanation at once may
    fill it in together, and every value they write is the same.
    """

    __slots__ = ("_days", "_made_by", "application", "reports", "scoped")

    def __init__(self, application: Application) -> None:
        self.application: Final = application
        ordered = in_order(application)
        self.reports: Final = ordered.reports
        self._made_by: dict[dt.date, int] = {}
        self.scoped: Final[dict[tuple[Selection, int], Scoped]] = {}
        """What the tests before the window found, by the selection's scope and how many reports
        were made by the date (:meth:`made_by`)."""
        self._days: Final = ordered.days

    def days(self, rule: BehaviourDay) -> list[dt.date]:
        """Each report's day of behaviour under *rule*, in the order of ``reports`` (``behaviour_days``)."""
        found = self._days.get(rule)
        if found is None:
            # Kept with the application (models.in_order): every evaluation of it reads them.
            found = self._days[rule] = law.behaviour_days(rule, self.reports)
        return found

    def made_by(self, day: dt.date) -> int:
        """How many of ``reports`` were made on or before *day* (they are the first so many)."""
        reports = self.reports
        if not reports or reports[-1].made_on <= day:
            # Every report was made by then (an application on its own date): nothing to search.
            return len(reports)
        found = self._made_by.get(day)
        if found is None:
            found = self._made_by[day] = bisect.bisect_right(reports, day, key=_MADE_ON)
        return found

    def lasts(self, span: Span, arithmetic: Arithmetic) -> dict[dt.date, dt.date]:
        """The last days of periods of *span* found so far, by their first day (the caller fills it).

        A period's last day is a pure function of its first day, so these are kept from one
        evaluation to the next (each table emptied when it grows past a bound).
        """
        return _lasts(span, arithmetic)


def _lasts(span: Span, arithmetic: Arithmetic) -> dict[dt.date, dt.date]:
    """:meth:`Shared.lasts`: the table kept for *span* and *arithmetic*."""
    # Found first by the identity of the span and arithmetic (a hash of two numbers; the
    # entry holds both, so an identity is never another's), else by their values.
    key = (id(span), id(arithmetic))
    held = _LASTS_HELD.get(key)
    if held is not None and held[0] is span and held[1] is arithmetic and len(held[2]) <= _MOST_LASTS:
        return held[2]
    found = _LASTS.get((span, arithmetic))
    if found is None or len(found) > _MOST_LASTS:
        if len(_LASTS) >= _MOST_SPANS:
            _LASTS.clear()  # a table in use is kept by its holder, only forgotten here
        found = _LASTS[span, arithmetic] = {}
    if len(_LASTS_HELD) >= _MOST_SPANS:
        _LASTS_HELD.clear()
    _LASTS_HELD[key] = (span, arithmetic, found)
    return found


_LASTS: Final[dict[tuple[Span, Arithmetic], dict[dt.date, dt.date]]] = {}
"""The last days of periods worked out so far, by span and arithmetic, then first day."""
_LASTS_HELD: Final[dict[tuple[int, int], tuple[Span, Arithmetic, dict[dt.date, dt.date]]]] = {}
"""The tables of ``_LASTS`` by the identities of the span and arithmetic asked for, each with both."""
_MOST_LASTS: Final = 8192
_MOST_SPANS: Final = 64


Later = Callable[[], Fate]
"""A fate to be made when the fates are read."""


def _late(report: Report, lag: Lag, day: dt.date, limit: dt.date) -> Fate:
    detail = (
        f"made on {report.made_on}, more than {lag.span} after the behaviour "
        f"on {day} (the last day was {limit})"
    )
    return Fate(report.id, Reason.LATE_REPORT, detail, report.reporter)


def late_first(report: Report, lag: Lag, day: dt.date) -> Fate:
    """The fate of a late report that would be the first counted, under a lag binding only the first."""
    limit = law.lag_last_day(lag, day)
    detail = (
        f"made on {report.made_on}, more than {lag.span} after the behaviour on {day} (the last "
        f"day was {limit}); it would be the first report counted, which the lag binds"
    )
    return Fate(report.id, Reason.LATE_REPORT, detail, report.reporter, None, "first_report_late")


def drop_late_first(
    inside: list[tuple[Report, dt.date, dt.date]],
    late: frozenset[str],
    lag: Lag | None,
    out: dict[str, Later],
) -> list[tuple[Report, dt.date, dt.date]]:
    """*inside* (one placed window, in the law's order) less the late reports before the first in time.

    Their fates go in *out*.  Nothing changes unless *late* names some report (a lag that
    binds only the first report counted, :func:`.law.reports.first_counted`).  A report kept
    counts only while some report made in time at or before it (in the law's order, a day's
    reports made in time before its late ones: :func:`.law.reports.lag_order`) is still
    inside: once the last of those has left the window, it would be late and first.  Its last
    day inside is cut to the latest last day of those.
    """
    if not late or lag is None:
        return inside
    kept: list[tuple[Report, dt.date, dt.date]] = []
    held = law.held_days(
        [r.id in late for r, _, _ in inside],
        [last for _, _, last in inside],
        [r.made_on for r, _, _ in inside],
    )
    for (report, day, _), last in zip(inside, held, strict=True):
        if last is None:
            out[report.id] = partial(late_first, report, lag, day)
        else:
            kept.append((report, day, last))
    return kept


def _counted_fates(  # noqa: PLR0917 - called through functools.partial, with every value select() had
    selection: Selection,
    application: Application,
    as_of: dt.date,
    screens: tuple[law.Screen, ...],
    reports: tuple[Report, ...],
    out: dict[str, Later],
    inside: list[tuple[Report, dt.date, dt.date]],
) -> tuple[Fate, ...]:
    """Every report's fate: counted when inside the window, else the one recorded when it fell out.

    A report neither inside nor recorded failed a test before the lag (``_screened`` gives its fate).
    """
    counted: dict[str, Fate] = {}
    # Reports made on one day share their period and its wording: each is made once.
    shared: dict[tuple[dt.date, dt.date], tuple[str, Period]] = {}
    for report, _day, last in inside:
        words = shared.get((report.made_on, last))
        if words is None:
            # isoformat() is what formatting a date gives, without the slower generic path.
            words = ("inside the window until " + last.isoformat(), Period(report.made_on, last))
            shared[report.made_on, last] = words
        counted[report.id] = Fate(report.id, Reason.COUNTED, words[0], report.reporter, words[1])
    return tuple(
        counted[r.id]
        if r.id in counted
        else out[r.id]()
        if r.id in out
        else _screened(selection, application, as_of, screens, r)
        for r in reports
    )


def select(
    selection: Selection, application: Application, as_of: dt.date, *, shared: Shared | None = None
) -> Selected:
    """Apply *selection* to every report of *application* on the date *as_of*.

    The result does not depend on the order of ``application.reports``: reports
    are considered in order of the day they were made, then their id.  *shared*
    carries what earlier selections of the same application worked out.
    The fates are made when first read.
    """
    if shared is None or shared.application is not application:
        shared = Shared(application)
    plan = _screening(selection)
    survivors, scoped_out, late = _scoped(selection, plan, application, as_of, shared)
    out = dict(scoped_out)
    anchor = selection.window.anchor
    placed = survivors
    if late and selection.lag is not None and anchor is Anchor.FIRST_REPORT_AND_APPLICATION:
        # The period begins with the first report made in time: the late ones before it would
        # each have been the first report counted.
        dropped = law.first_counted([r.id in late for r, _ in survivors], [r.made_on for r, _ in survivors])
        for i in sorted(dropped):
            report, day = survivors[i]
            out[report.id] = partial(late_first, report, selection.lag, day)
        placed = tuple(pair for i, pair in enumerate(survivors) if i not in dropped)
    inside, window = _place(selection.window, placed, as_of, out, shared)
    if anchor not in _RUN_ANCHORS:
        # Runs (a window beginning with the first report counted) are placed by the count,
        # which drops the late reports before each run's first (rules.Count._best_run).
        inside = drop_late_first(inside, late, selection.lag, out)
    fates = Pending(
        partial(_counted_fates, selection, application, as_of, plan.screens, shared.reports, out, inside)
    )
    closed = None
    if (
        selection.window.anchor is Anchor.FIRST_REPORT_AND_APPLICATION
        and window is not None
        and as_of > window.last
    ):
        # New reports are made later than the first, which keeps placing the period.
        closed = f"the {selection.window.span} beginning with the first report ended on {window.last}"
    return Selected(fates, tuple(inside), survivors, window, closed=closed, late=late)


_RUN_ANCHORS: Final = frozenset({Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT})


def in_scope(
    selection: Selection, application: Application, as_of: dt.date, *, shared: Shared | None = None
) -> tuple[tuple[Report, dt.date], ...]:
    """The reports of *application* that pass every test of *selection* before its window on *as_of*.

    Under a lag binding only the first report counted, the late ones too (see ``Selected.late``).

    Each with its day of behaviour, in the law's order: ``select(...).in_scope``, without placing
    the window.
    """
    if shared is None or shared.application is not application:
        shared = Shared(application)
    return _scoped(selection, _screening(selection), application, as_of, shared)[0]


def _scoped(
    selection: Selection, plan: _Plan, application: Application, as_of: dt.date, shared: Shared
) -> Scoped:
    # The tests before the window do not depend on it: rules that differ only in their
    # window share them, once per evaluation.  Nor do they depend on the date beyond which
    # reports were made by then: the re-runs of a decision on later days share them too.
    made = shared.made_by(as_of)
    key = (plan.scope, made)
    found = shared.scoped.get(key)
    if found is None:
        found = shared.scoped[key] = _in_scope(selection, plan, application, made, shared)
    return found


Scoped = tuple[tuple[tuple[Report, dt.date], ...], dict[str, "Later"], frozenset[str]]
"""The reports that pass every test before the window, with their days of behaviour, the
fates of those that the lag turned away, and under a lag that binds only the first report
counted, the ids of those reports made after it (which the lag tests once the window is placed)."""


def _in_scope(
    selection: Selection, plan: _Plan, application: Application, made_by: int, shared: Shared
) -> Scoped:
    """The reports that pass the tests before the window, in the law's order, and the late ones' fates.

    *made_by*: how many of the reports (in the order they were made) were made by the date.
    """
    reports = shared.reports[:made_by]
    out: dict[str, Later] = {}
    survivors: list[tuple[Report, dt.date]] = []
    lag = selection.lag
    limits = {} if lag is None else shared.lasts(lag.span, lag.arithmetic)
    surely_in_time = 0 if lag is None else law.surely_in_time(lag)
    every = lag is not None and law.binds_every(lag.applies_to)
    late: set[str] = set()
    matter = application.matter
    fails = plan.fails
    admits, read = (None, None) if plan.single is None else plan.single
    victim = application.victim if law.victims_only(selection.who) else None
    # Worked out once for every report and every rule that shares the reading.
    days = shared.days(selection.behaviour_day)
    for index, report in enumerate(reports):
        made = report.made_on
        # Whether the report passes the tests before the lag.  Which test it fails first, and
        # the wording, are _screen's, asked only when the fates are read (_counted_fates).
        if (
            report.incident.matter != matter
            or (victim is not None and report.reporter != victim)
            or (read is not None and not admits(read(report)))  # type: ignore[misc]
            or (fails is not None and fails(report))
        ):
            continue
        day = days[index]
        if lag is not None and (made - day).days >= surely_in_time:
            # Reports share days; the lag's last day is worked out once per day of behaviour.
            limit = limits.get(day)
            if limit is None:
                limit = limits[day] = law.lag_last_day(lag, day)
            if made > limit:
                if every:
                    out[report.id] = partial(_late, report, lag, day, limit)
                    continue
                # Only the first report counted is held to the lag: which one that is
                # depends on the window, placed next (law.reports.first_counted).
                late.add(report.id)
        survivors.append((report, day))
    return tuple(survivors), out, frozenset(late)


# An enum's members are looked up by name on each use: the two every evaluation compares are kept.
_EACH_REPORT: Final = Anchor.EACH_REPORT
_APPLICATION: Final = Anchor.APPLICATION


def _place(
    window: Window,
    survivors: Sequence[tuple[Report, dt.date]],
    as_of: dt.date,
    out: dict[str, Later],
    shared: Shared,
) -> tuple[list[tuple[Report, dt.date, dt.date]], Period | None]:
    """Test each survivor against *window*; record the fates of those outside in *out*."""
    anchor = window.anchor
    if anchor is _EACH_REPORT or anchor is _APPLICATION:
        return _place_counted_back(window, survivors, as_of, out, shared)
    return _place_anchored(window, survivors, as_of, out, shared)


def _ran_out(report: Report, span: Span, arithmetic: Arithmetic, start: dt.date, as_of: dt.date) -> Fate:
    last = period_last_day(start, span, arithmetic)
    if start == report.made_on:
        detail = f"its {span} ran out on {last}, before {as_of}"
        because = None
    else:
        # The window is placed by the incident: it is the incident that was too long ago,
        # whenever the report was made.
        detail = f"the {span} from its incident on {start} ran out on {last}, before {as_of}"
        because = "incident_too_early"
    return Fate(report.id, Reason.OUTSIDE_WINDOW, detail, report.reporter, Period(start, last), because)


def _last(lasts: dict[dt.date, dt.date], start: dt.date, span: Span, arithmetic: Arithmetic) -> dt.date:
    """The last day of the period of *span* beginning with *start*, kept in *lasts*."""
    last = lasts[start] = period_last_day(start, span, arithmetic)
    return last


def _place_counted_back(
    window: Window,
    survivors: Sequence[tuple[Report, dt.date]],
    as_of: dt.date,
    out: dict[str, Later],
    shared: Shared,
) -> tuple[list[tuple[Report, dt.date, dt.date]], Period | None]:
    """Each report's own period must reach the application date (the statute; "in the last N months")."""
    span, arithmetic = window.span, window.arithmetic
    by_report, first, counted, lasts = _counted_back(window, as_of)
    inside: list[tuple[Report, dt.date, dt.date]] = []
    if by_report:
        # The survivors are in the order they were made: those inside are the last of them.
        cut = 0
        while cut < len(survivors) and survivors[cut][0].made_on < first:
            report = survivors[cut][0]
            out[report.id] = partial(_ran_out, report, span, arithmetic, report.made_on, as_of)
            cut += 1
        kept = survivors[cut:] if cut else survivors
        # Reports share days; each day's period is worked out once (a date is never false).
        return [
            (report, day, lasts.get(report.made_on) or _last(lasts, report.made_on, span, arithmetic))
            for report, day in kept
        ], counted
    for report, day in survivors:
        start = day
        if first <= start:
            # Reports share days; each day's period is worked out once (for a report
            # outside, only when its fate is read).
            last = lasts.get(start)
            if last is None:
                last = lasts[start] = period_last_day(start, span, arithmetic)
            inside.append((report, day, last))
        else:
            out[report.id] = partial(_ran_out, report, span, arithmetic, start, as_of)
    return inside, counted


def _counted_back(window: Window, as_of: dt.date) -> tuple[bool, dt.date, Period, dict[dt.date, dt.date]]:
    """What placing *window*, counted back from *as_of*, reads, worked out once for the pair.

    Whether it reads the day a report was made (``law.reads_day_made``), its first day
    (``earliest_start``), the window itself (one value for every count and every application
    made that day) and the table of its periods' last days (:meth:`Shared.lasts`).  Found by
    the window's identity and the day; the entry holds the window, so an identity is never
    another's.
    """
    key = (id(window), as_of)
    held = _WINDOWS.get(key)
    if held is not None and held[0] is window and len(held[4]) <= _MOST_LASTS:
        return held[1], held[2], held[3], held[4]
    span, arithmetic = window.span, window.arithmetic
    first = earliest_start(as_of, span, arithmetic)
    found = (law.reads_day_made(window.date_of), first, Period(first, as_of), _lasts(span, arithmetic))
    if len(_WINDOWS) >= _MOST_WINDOWS:
        _WINDOWS.clear()
    _WINDOWS[key] = (window, *found)
    return found


_WINDOWS: Final[dict[tuple[int, dt.date], tuple[Window, bool, dt.date, Period, dict[dt.date, dt.date]]]] = {}
"""What :func:`_counted_back` found, by the identity of the window and the day counted back from."""
_MOST_WINDOWS: Final = 4096


def _place_anchored(
    window: Window,
    survivors: Sequence[tuple[Report, dt.date]],
    as_of: dt.date,
    out: dict[str, Later],
    shared: Shared,
) -> tuple[list[tuple[Report, dt.date, dt.date]], Period | None]:
    """One period placed by the reports themselves: beginning with the first, or ending with the latest."""
    span, arithmetic = window.span, window.arithmetic
    inside: list[tuple[Report, dt.date, dt.date]] = []
    if not survivors:
        return inside, None
    anchor = window.anchor
    match anchor:
        case Anchor.LATEST_INCIDENT:
            latest = max(day for _, day in survivors)
            fixed = period(latest, span, arithmetic)
            counted = Period(earliest_start(latest, span, arithmetic), latest)
            start_of = "the latest incident"
        case Anchor.FIRST_INCIDENT | Anchor.FIRST_REPORT:
            # Which run of reports counts depends on the counting unit: every report in scope
            # is a candidate here, and the count chooses the run (rules.Count._best_run).
            by_incident = anchor is Anchor.FIRST_INCIDENT
            lasts = shared.lasts(span, arithmetic)
            for report, day in survivors:
                start = day if by_incident else report.made_on
                last = lasts.get(start)
                if last is None:
                    last = lasts[start] = period_last_day(start, span, arithmetic)
                inside.append((report, day, last))
            return inside, None
        case Anchor.FIRST_REPORT_AND_APPLICATION:
            anchor_day = min(r.made_on for r, _ in survivors)
            fixed = counted = period(anchor_day, span, arithmetic)
            start_of = "the first report"
        case Anchor.EACH_REPORT | Anchor.APPLICATION:  # pragma: no cover - placed above
            raise AssertionError(anchor)
        case _:  # pragma: no cover - exhaustive
            assert_never(anchor)
    for report, day in survivors:
        start = day if window.anchor is not Anchor.FIRST_REPORT_AND_APPLICATION else report.made_on
        if as_of not in fixed:
            reason = Reason.APPLICATION_OUTSIDE_WINDOW
            detail = f"the application on {as_of} is outside the {span} beginning with {start_of} ({fixed})"
            because = None
        elif start not in counted:
            # Only the period ending with the latest incident leaves a report out here: a
            # period beginning with the first report holds every report made by an
            # application inside it.  The incident, not the report, was too early.
            reason = Reason.OUTSIDE_WINDOW
            detail = f"its incident on {start} is outside the {span} ending with {start_of} ({counted})"
            because = "incident_outside_period"
        else:
            inside.append((report, day, fixed.last))
            continue
        out[report.id] = partial(Fate, report.id, reason, detail, report.reporter, None, because)
    return inside, counted
