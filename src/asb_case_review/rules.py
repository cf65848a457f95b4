"""Composable threshold predicates that explain themselves.

A predicate is a small frozen value; calling it with a :class:`Context` gives
a :class:`Result`, an immutable tree that says whether it was met, what was
counted and what was excluded, and why.  Leaves are built by the factories
:func:`count`, :func:`fact`, :func:`recency` and :func:`consent`;
:func:`all_of`, :func:`any_of` and :func:`not_` combine them, with ``&``,
``|`` and ``~`` as sugar; :func:`rule` gives a predicate an id, the published
wording it encodes and its source.

Outcomes follow three-valued (Kleene) logic: a rule whose answer depends on a
fact the caller did not supply is :attr:`Outcome.UNKNOWN`, never silently
false.

>>> r = count(3) | fact(Fact.VICTIM_HIGH_RISK)
>>> r
any_of(count(3), fact(Fact.VICTIM_HIGH_RISK))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from functools import cached_property, partial
from typing import Any, Final, Protocol, runtime_checkable

import attrs

from ._convert import choice, whole
from ._limits import MAX_COUNT, MAX_RULE_DEPTH, surrogate_problem, text_problem
from .dates import Period, Span, earliest_start, months, period_last_day
from .errors import InvalidInput
from .law.logic import Outcome, conjunction, disjunction
from .law.reports import (
    UNITS,
    CountUnit,
    UnitSpec,
    binds_every,
    date_of_value,
    first_counted,
    key_reader,
    reads_day_made,
    unit_key,
)
from .models import Application, Fact, Report
from .qualifying import (
    Anchor,
    DateOf,
    Fate,
    FatesArg,
    Lag,
    Pending,
    Reason,
    Selected,
    Selection,
    Shared,
    Window,
    fates_of,
    in_scope,
    late_first,
    public_repr,
    select,
)

__all__ = [
    "AllOf",
    "AnyOf",
    "Consent",
    "Context",
    "Count",
    "CountUnit",
    "FactIs",
    "Not",
    "Outcome",
    "Predicate",
    "Recency",
    "Result",
    "Rule",
    "Source",
    "Tally",
    "all_of",
    "any_of",
    "consent",
    "count",
    "fact",
    "not_",
    "recency",
    "rule",
    "unit_noun",
]


# An enum's members are looked up by name on each use (in Python, not a plain class attribute):
# the ones read on every evaluation are kept here.
_MET: Final = Outcome.MET
_NOT_MET: Final = Outcome.NOT_MET
_UNKNOWN: Final = Outcome.UNKNOWN
_DUPLICATE: Final = Reason.DUPLICATE


def _line(field: str, value: object, *, optional: bool = False, free: bool = False) -> None:
    """Refuse *value* unless it is one line of text (any text when *free*; or ``None`` when *optional*)."""
    if optional and value is None:
        return
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, value, "must be a non-empty string")
    problem = surrogate_problem(value) if free else text_problem(value)
    if problem is not None:
        raise InvalidInput(field, value, problem)


def _height(predicate: object) -> int:
    """How deeply the rules nest in *predicate* (a leaf is 1), counted without recursion."""
    deepest = 0
    stack = [(predicate, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_RULE_DEPTH:
            break
        if isinstance(node, AllOf | AnyOf):
            stack.extend((part, depth + 1) for part in node.parts)
        elif isinstance(node, Not):
            stack.append((node.part, depth + 1))
        elif isinstance(node, Rule):
            stack.append((node.predicate, depth + 1))
    return deepest


def _part(field: str, value: object) -> None:
    """Refuse *value* as the part of a combinator unless it is a predicate shallow enough to hold."""
    if not isinstance(value, Predicate):
        raise InvalidInput(field, value, "is not a predicate")
    # Evaluation, explanation and rendering walk the tree; a bound on its depth bounds them.
    if _height(value) >= MAX_RULE_DEPTH:
        raise InvalidInput(field, value, f"rules may nest at most {MAX_RULE_DEPTH} deep")


# attrs validators are told the attribute they check, so each error names its field.
def _bool_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # A string such as "no" is truthy: refuse it rather than read it as true.
    if not isinstance(value, bool):
        raise InvalidInput(attribute.name, value, "must be True or False")


def _span_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Span):
        raise InvalidInput(attribute.name, value, "must be a Span, such as months(1) or days(30)")


def _selection_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Selection):
        raise InvalidInput(attribute.name, value, "must be a Selection (or None for the statute's)")


def _source_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Source):
        raise InvalidInput(attribute.name, value, "must be a Source or None")


def _id_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _line(attribute.name, value)


def _text_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _line(attribute.name, value, free=True)


def _optional_text_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _line(attribute.name, value, optional=True, free=True)


def _predicate_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _part(attribute.name, value)


@attrs.frozen
class Source:
    """Where a rule comes from: a statute section, guidance, or a local policy's page.

    >>> Source("Anti-social Behaviour, Crime and Policing Act 2014", section="s.104(4)").cite()
    'Anti-social Behaviour, Crime and Policing Act 2014, s.104(4)'
    """

    title: str = attrs.field(validator=_text_field)
    section: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text_field)
    url: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text_field)
    read_on: dt.date | None = attrs.field(default=None, kw_only=True)
    """The day the page was read, so a reader can tell how current the reading is."""
    modified: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text_field)
    """The page's own last-modified or review date, as the page states it (not a date of effect)."""

    def cite(self) -> str:
        """A one-line citation."""
        text = self.title if self.section is None else f"{self.title}, {self.section}"
        return text if self.url is None else f"{text} <{self.url}>"


@attrs.frozen(slots=False)  # built on every evaluation: a dict class sets its fields faster
class Context:
    """What a predicate is evaluated against: the application on a date.

    A context memoises report selections for the predicates of one
    evaluation; it is cheap to make and is not shared between evaluations.
    Contexts given one *shared* (the re-runs of one decision on other days)
    share what does not depend on the date: the reports in order, their days
    of behaviour and the last days of periods.
    """

    application: Application
    as_of: dt.date
    _shared: Shared | None = attrs.field(default=None, kw_only=True, eq=False, repr=False, alias="shared")
    _selected: dict[Selection, Selected] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, alias="_selected"
    )

    def selected(self, selection: Selection) -> Selected:
        """The fates of the application's reports under *selection* on ``as_of``."""
        found = self._selected.get(selection)
        if found is None:
            shared = self._shared
            if shared is None or shared.application is not self.application:
                shared = self.shared()
            found = self._selected[selection] = select(selection, self.application, self.as_of, shared=shared)
        return found

    def in_scope(self, selection: Selection) -> tuple[tuple[Report, dt.date], ...]:
        """``selected(selection).in_scope``, without placing the window (``qualifying.in_scope``)."""
        found = self._selected.get(selection)
        if found is not None:
            return found.in_scope
        return in_scope(selection, self.application, self.as_of, shared=self.shared())

    def shared(self) -> Shared:
        """What the selections of this evaluation share (the reports in order, ...), made on first use."""
        shared = self._shared
        if shared is None or shared.application is not self.application:
            shared = Shared(self.application)
            object.__setattr__(self, "_shared", shared)
        return shared


@attrs.frozen(repr=False, slots=False)  # built on every evaluation: a dict class sets its fields faster
class Tally:
    """The detail of a count: what was counted, what was not, and the critical dates."""

    unit: CountUnit
    at_least: int
    count: int
    """How many units are certainly counted."""
    possible: int
    """How many could be counted if unknown households were all different."""
    _fates: FatesArg = attrs.field(alias="fates", eq=fates_of)
    window: Period | None
    deadline: dt.date | None
    """When not met: the last day on which the missing reports could be made and,
    with every report counted now, meet the count (for a window that begins with the
    first report or incident of a run: with a run holding at least as many units as the
    one shown, which may close later).  ``None`` when nothing is counted, or when no new
    report can combine with the reports counted (see ``combinable``)."""
    combinable: bool = attrs.field(default=True, kw_only=True)
    """When not met: whether new reports can still combine with the reports counted.  False
    when the window they fall in has closed (a window that begins with the first of them):
    the whole number would then have to be made anew."""
    closed: str | None = attrs.field(default=None, kw_only=True)
    """When not met: why no new report can ever meet the count for this matter (a window tied
    to the first report that has closed); ``None`` when new reports can.  A late report never
    closes a count: under a lag that binds only the first report counted, a new report made in
    time starts afresh."""
    rejoin: tuple[int, dt.date] | None = attrs.field(default=None, kw_only=True)
    """When not ``combinable``: the units of the fullest other run of the reports in scope that new
    reports can still join (a window beginning with the first report or incident that has not
    closed) and the last day a new report joins it; ``None`` when there is no such run."""

    @property
    def fates(self) -> tuple[Fate, ...]:
        """Every report's fate under the count, in the order the reports were made."""
        return fates_of(self._fates)

    def __repr__(self) -> str:
        return public_repr(self)

    @property
    def shortfall(self) -> int:
        """How many more units the count needs."""
        return max(0, self.at_least - self.count)

    @property
    def new_needed(self) -> int | None:
        """How many new units a new application would need to meet the count.

        The shortfall while new reports can join those counted; when they cannot
        (``combinable`` false), what completes the fullest run still open (``rejoin``), or
        else every unit (a new run made whole); ``None`` when no new report can meet the
        count at all (``closed``).  At least one: a run whose reports are out of time is
        brought back into time only by a new report.
        """
        if self.closed is not None:
            return None
        if self.combinable:
            return self.shortfall
        if self.rejoin is None:
            return self.at_least
        return max(1, self.at_least - self.rejoin[0])

    def counted(self) -> tuple[str, ...]:
        """The ids of the reports counted."""
        return tuple(f.report for f in self.fates if f.reason is Reason.COUNTED)


@attrs.frozen(slots=False)  # built on every evaluation: a dict class sets its fields faster
class Result:
    """The outcome of one predicate, with the results of its parts.

    ``valid_until`` is the last day on which this outcome stays the same if
    nothing new is reported (``None``: indefinitely).
    """

    predicate: Predicate
    outcome: Outcome
    summary: str
    children: tuple[Result, ...] = ()
    tally: Tally | None = None
    valid_until: dt.date | None = None

    @property
    def met(self) -> bool:
        """Whether the outcome is :attr:`Outcome.MET`."""
        return self.outcome is _MET

    def walk(self) -> Iterable[Result]:
        """Yield this result and every result below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter; the renderer is imported only when a notebook asks."""
        from .html import result_html  # noqa: PLC0415 - kept out of the core's import time

        return result_html(self)


@runtime_checkable
class Predicate(Protocol):
    """What every rule satisfies; extend the library by writing a class like this."""

    def __call__(self, context: Context) -> Result:
        """Evaluate against *context*."""
        ...  # pragma: no cover - protocol

    def describe(self) -> str:
        """The rule in plain words."""
        ...  # pragma: no cover - protocol


class _Combinable:
    """Operator sugar shared by the library's predicates: ``&``, ``|`` and ``~``.

    The operators return library predicates, so expressions chain; they
    return ``NotImplemented`` for anything that is not a predicate.
    """

    __slots__ = ()

    def __call__(self, context: Context) -> Result:
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def describe(self) -> str:
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def _parts(self, other: object, *, first: bool) -> tuple[Predicate, Predicate] | None:
        if not isinstance(other, Predicate):
            return None
        return (self, other) if first else (other, self)

    def __and__(self, other: object) -> AllOf:
        parts = self._parts(other, first=True)
        return NotImplemented if parts is None else AllOf(_flatten(AllOf, parts))

    def __rand__(self, other: object) -> AllOf:
        parts = self._parts(other, first=False)
        return NotImplemented if parts is None else AllOf(_flatten(AllOf, parts))

    def __or__(self, other: object) -> AnyOf:
        parts = self._parts(other, first=True)
        return NotImplemented if parts is None else AnyOf(_flatten(AnyOf, parts))

    def __ror__(self, other: object) -> AnyOf:
        parts = self._parts(other, first=False)
        return NotImplemented if parts is None else AnyOf(_flatten(AnyOf, parts))

    def __invert__(self) -> _Combinable:
        if isinstance(self, Not) and isinstance(self.part, _Combinable):
            return self.part
        return Not(self)


def unit_noun(unit: CountUnit, n: int) -> str:
    """The unit as a noun after the number *n*: "1 incident", "3 incident dates".

    >>> unit_noun(CountUnit.INCIDENT_DATES, 1), unit_noun(CountUnit.COMPLAINTS, 0)
    ('incident date', 'complaints')
    """
    many = unit.value.replace("_", " ")
    return many.removesuffix("s") if n == 1 else many


def _count_unit(value: CountUnit | str) -> CountUnit:
    return choice(CountUnit, "unit", value)


def _fact(value: Fact | str) -> Fact:
    return choice(Fact, "fact", value)


def _at_least(value: int) -> int:
    whole("at_least", value, 1)
    if value > MAX_COUNT:
        raise InvalidInput("at_least", value, f"must be at most {MAX_COUNT:,}")
    return value


def _refate(fate: Fate, reason: Reason, detail: str, because: str | None = None) -> Fate:
    """*fate* with a new reason, detail and wording; ``attrs.evolve``, built directly (a hot path)."""
    return Fate(fate.report, reason, detail, fate.reporter, fate.window, because)


@attrs.frozen
class Count(_Combinable):
    """At least ``at_least`` units among the reports a :class:`Selection` lets in."""

    at_least: int = attrs.field(converter=_at_least)
    unit: CountUnit = attrs.field(default=CountUnit.COMPLAINTS, kw_only=True, converter=_count_unit)
    selection: Selection = attrs.field(factory=Selection, kw_only=True, validator=_selection_field)

    def describe(self) -> str:
        noun = unit_noun(self.unit, self.at_least)
        return f"at least {self.at_least} {noun} ({self.selection.describe()})"

    @cached_property
    def _unit_plan(self) -> tuple[UnitSpec, bool, Callable[[Report], Hashable] | None, bool, bool, bool]:
        """What the count reads of each report, worked out once for the count.

        The unit's meaning (``law.reports.UNITS``); whether it is the statute's own unit (the
        reporter, the incident and the day of behaviour, built inline); the reader of its one
        report value (``law.reports.key_reader``; ``None``: ``unit_key``); and whether each unit's
        day of behaviour is kept, which only the deadline of a window ending with the latest
        incident needs (``_deadline``); whether the window begins with the first report
        counted, so that the count looks for the best run (``_best_run``); and whether the units
        are plain equal values, neither matched to days nor kept with their days (``_plain_units``).
        """
        spec = UNITS[self.unit]
        complaints = self.unit is CountUnit.COMPLAINTS
        # A unit of one value of the report is that value, read without unit_key's tuple.
        read = None if complaints else key_reader(spec)
        anchor = self.selection.window.anchor
        latest_incident = anchor is Anchor.LATEST_INCIDENT
        plain = not spec.one_day_per_incident and not latest_incident
        return spec, complaints, read, latest_incident, anchor in _RUNS, plain

    @cached_property
    def _of(self) -> str:
        """The end of the count's summary, e.g. "3 complaints counted": the same on every evaluation."""
        return f"{self.at_least} {unit_noun(self.unit, self.at_least)} counted"

    def __repr__(self) -> str:
        args = [str(self.at_least)]
        if self.unit is not CountUnit.COMPLAINTS:
            args.append(f"unit=CountUnit.{self.unit.name}")
        if self.selection != Selection():
            args.append(f"selection={self.selection!r}")
        return f"count({', '.join(args)})"

    def __call__(self, context: Context) -> Result:
        selected = context.selected(self.selection)
        plan = self._unit_plan
        if plan[4]:
            return self._best_run(selected, context.as_of)
        # _tally, without a call of its own (every count of every evaluation comes here).
        if plan[5]:
            return self._counted(selected, None, *self._plain_units(selected.inside, *plan[:3]))
        return self._counted(selected, None, *self._units(selected.inside))

    def _best_run(self, selected: Selected, as_of: dt.date) -> Result:
        """The count over the best run of reports within one window beginning with the first of them.

        "Three complaints within six months of the first complaint" bounds the
        reports counted, not the application, and "the first" is the first of
        the reports counted, not a report from years before about the same
        matter: the count is met when some run of reports, each inside the
        window beginning with the first of the run, has enough units, and the
        application is made within ``window.application_within`` of the last
        report of the run (the statute's six months by default; no bound when
        ``None``).  Of the runs, the one that meets the count and stays in time
        longest is shown; when none meets it, the one that comes closest.

        Under a lag that binds only the first report counted, a run begins only
        at a report made in time, and the late reports of the run before the
        first made in time do not count (``law.reports.first_counted``).
        """
        window = self.selection.window
        lag = self.selection.lag
        by_incident = window.anchor is Anchor.FIRST_INCIDENT
        candidates = [(r, d) for r, d, _ in selected.inside]
        if not candidates:
            return self._tally(selected)
        late = selected.late
        tested = [(d if by_incident else r.made_on, r, d) for r, d in candidates]
        starts = sorted({day for day, r, _ in tested if r.id not in late})
        if not starts:
            # Every report in scope was late: none can be the first report of a run.
            assert lag is not None
            dropped = [(r, d) for _, r, d in tested]
            fates = Pending(
                partial(
                    _run_fates,
                    selected,
                    window,
                    [],
                    dropped,
                    lag,
                    dt.date.min,
                    dt.date.min,
                    dt.date.min,
                    as_of,
                )
            )
            return self._tally(Selected(fates, (), selected.in_scope, None, closed=selected.closed))

        best: tuple[tuple[bool, bool, int, dt.date, dt.date], tuple[Any, ...]] | None = None
        # The last day each number of units counted could still be joined by new reports: a run
        # other than the one shown may hold as many units and close later.
        joinable: dict[int, dt.date] = {}
        for start in starts:
            end = period_last_day(start, window.span, window.arithmetic)
            placed = [(day, r, d) for day, r, d in tested if start <= day <= end]
            members = [(r, d) for _, r, d in placed]
            dropped = []
            if late:
                skipped = first_counted([r.id in late for r, _ in members], [day for day, _, _ in placed])
                dropped = [pair for i, pair in enumerate(members) if i in skipped]
                members = [pair for i, pair in enumerate(members) if i not in skipped]
            latest = max(r.made_on for r, _ in members)
            bound = (
                dt.date.max
                if window.application_within is None
                else period_last_day(latest, window.application_within, window.arithmetic)
            )
            in_time = as_of <= bound
            inside = tuple((r, d, bound) for r, d in members) if in_time else ()
            reach = end if end >= as_of else None
            # Each run is only counted here; the result (its fates, wording and dates) is made
            # for the run shown alone.
            units = self._units(inside)
            count = len(units[1])
            score = (count >= self.at_least, in_time, count, bound, start)
            if reach is not None:
                # A new report made by the run's last day is its latest, so the run is then in time.
                whole = count if in_time else len(self._units(tuple((r, d, bound) for r, d in members))[1])
                joinable[whole] = max(joinable.get(whole, reach), reach)
            if best is None or score > best[0]:
                best = (score, (start, end, members, dropped, latest, bound, inside, reach, units))
        assert best is not None
        start, end, members, dropped, latest, bound, inside, reach, units = best[1]
        fates = Pending(
            partial(_run_fates, selected, window, members, dropped, lag, start, latest, bound, as_of)
        )
        run = Selected(fates, inside, selected.in_scope, Period(start, end), closed=selected.closed)
        shown = self._counted(run, reach, *units)
        tally = shown.tally
        if tally is not None and not tally.combinable and joinable:
            # The run shown has closed; new reports may still complete another run, which
            # needs fewer of them than a run made anew (tests/test_laws_decision.py).
            fullest = max(joinable)
            if fullest > 0:
                return attrs.evolve(shown, tally=attrs.evolve(tally, rejoin=(fullest, joinable[fullest])))
        if tally is None or tally.deadline is None:
            return shown
        # The missing units made on this day meet the count in some run holding at least as many
        # units as the one shown; made a day later, in none (tests/test_laws_decision.py).
        latest = max(day for count, day in joinable.items() if count >= tally.count)
        if latest == tally.deadline:
            return shown
        return attrs.evolve(shown, tally=attrs.evolve(tally, deadline=latest))

    def _tally(self, selected: Selected, *, reachable_by: dt.date | None = None) -> Result:
        """Count the units among ``selected.inside``; *reachable_by*: a run's last day for a new report."""
        return self._counted(selected, reachable_by, *self._units(selected.inside))

    def _units(  # noqa: PLR0912 - one loop for every report, kept inline
        self, inside: tuple[tuple[Report, dt.date, dt.date], ...]
    ) -> tuple[dict[str, tuple[Reason, str]], dict[Hashable, dt.date], dict[Hashable, dt.date], int]:
        """The units among *inside*.

        The reports whose reasons change, each unit's last day inside (and latest day of
        behaviour, where kept), and how many reporters of unknown households there are.
        """
        spec, complaints, read, latest_incident, _, _ = self._unit_plan
        by_dates = spec.one_day_per_incident
        if not by_dates and not latest_incident:
            return self._plain_units(inside, spec, complaints, read)
        # Only the fates of duplicates and unknown households change; the rest are shared.
        # Their new reasons are noted here and the fates made only when read.
        changed: dict[str, tuple[Reason, str]] = {}
        expiry: dict[Hashable, dt.date] = {}
        behaviour: dict[Hashable, dt.date] = {}
        unknown: set[str] = set()
        # Under INCIDENT_DATES each incident counts on at most one of its days
        # and each day for at most one incident: a continuing incident reported
        # on several days (to several agencies, or by several people) is one
        # incident, not several dates.  The dates are matched to incidents so
        # that as many as possible count, which keeps the count from falling
        # when a report is added.
        matched = _match_dates(inside) if by_dates else {}
        for report, day, last in inside:
            # The statute's own unit (UNITS[COMPLAINTS]: the reporter, the incident and the day
            # of the behaviour) is built inline: this loop runs for every report.
            if complaints:
                key: Hashable = (report.reporter, report.incident.id, day)
            elif read is not None:
                key = read(report)  # None: a missing value, which makes the count uncertain
            else:
                key = unit_key(spec, report, day)
            duplicate_of = spec.duplicate
            if by_dates:
                if report.incident.id in matched:
                    duplicate_of = UNITS[CountUnit.INCIDENTS].duplicate
                if matched.get(report.incident.id) != day:
                    changed[report.id] = (Reason.DUPLICATE, duplicate_of)
                    continue
            if key is not None and key not in expiry:
                expiry[key] = last
                if latest_incident:
                    behaviour[key] = day
                continue
            if key is None:
                unknown.add(report.reporter)
                changed[report.id] = (Reason.UNKNOWN_HOUSEHOLD, _NO_HOUSEHOLD)
            else:
                expiry[key] = max(expiry[key], last)
                if latest_incident:
                    behaviour[key] = max(behaviour[key], day)
                changed[report.id] = (Reason.DUPLICATE, duplicate_of)
        return changed, expiry, behaviour, len(unknown)

    @staticmethod
    def _plain_units(
        inside: tuple[tuple[Report, dt.date, dt.date], ...],
        spec: UnitSpec,
        complaints: bool,  # noqa: FBT001 - the count's own plan, passed on
        read: Callable[[Report], Hashable] | None,
    ) -> tuple[dict[str, tuple[Reason, str]], dict[Hashable, dt.date], dict[Hashable, dt.date], int]:
        """:meth:`_units` for a unit of equal values (no matching of days, no days of behaviour kept)."""
        if read is not None:
            # A unit of one value of the report (an incident's id, a reporter): when no two
            # reports share one and none is missing, each is a unit of its own with its own last
            # day, and no fate changes, as one dict of them tells.
            expiry = {read(r): last for r, _, last in inside}
            if len(expiry) == len(inside) and None not in expiry:
                return {}, expiry, {}, 0
        keys = _unit_keys(inside, spec, complaints, read)
        duplicate = (_DUPLICATE, spec.duplicate)
        changed: dict[str, tuple[Reason, str]] = {}
        expiry = {}
        unknown: set[str] = set()
        for (report, _, last), key in zip(inside, keys, strict=True):
            if key is None:
                unknown.add(report.reporter)
                changed[report.id] = (Reason.UNKNOWN_HOUSEHOLD, _NO_HOUSEHOLD)
                continue
            seen = expiry.get(key)
            if seen is None:
                expiry[key] = last
                continue
            if last > seen:
                expiry[key] = last
            changed[report.id] = duplicate
        return changed, expiry, {}, len(unknown)

    def _counted(  # noqa: PLR0917 - the units _tally found, passed on as they are
        self,
        selected: Selected,
        reachable_by: dt.date | None,
        changed: dict[str, tuple[Reason, str]],
        expiry: dict[Hashable, dt.date],
        behaviour: dict[Hashable, dt.date],
        unknown: int,
    ) -> Result:
        """The result of a count that found the units *expiry* (each with its last day) and *unknown* more.

        *behaviour*: each unit's latest day of behaviour, kept only under :attr:`Anchor.LATEST_INCIDENT`.
        """
        counted = len(expiry)
        possible = counted + unknown
        latest_first = sorted(expiry.values(), reverse=True)
        if counted >= self.at_least:
            outcome = _MET
            valid_until: dt.date | None = latest_first[self.at_least - 1]
            deadline = None
        else:
            outcome = _UNKNOWN if possible >= self.at_least else _NOT_MET
            valid_until = None
            deadline = self._deadline(selected, latest_first, behaviour, reachable_by)
        tally = Tally(
            self.unit,
            self.at_least,
            counted,
            possible,
            Pending(partial(_changed_fates, selected, changed)) if changed else selected.held_fates,
            selected.window,
            deadline,
            combinable=not (self._unit_plan[4] and reachable_by is None and counted > 0),
            closed=selected.closed,
        )
        summary = f"{counted} of {self._of}"
        if possible > counted:
            summary += f" ({possible} if the reports with no household are from different households)"
        return Result(self, outcome, summary, (), tally, valid_until)  # by position: a hot path

    def _deadline(
        self,
        selected: Selected,
        latest_first: list[dt.date],
        behaviour: dict[Hashable, dt.date],
        reachable_by: dt.date | None,
    ) -> dt.date | None:
        """When not met: the last day the missing units could be made and combine with those counted."""
        if not latest_first:
            return None
        anchor = self.selection.window.anchor
        if anchor in _RUNS:
            # A new report joins the run only if made by the run's last day; once that has
            # passed, no new report combines with the reports counted (no deadline, not combinable).
            return reachable_by
        if anchor is Anchor.LATEST_INCIDENT:
            latest = max(day for _, day in selected.in_scope)
            return _latest_incident_deadline(
                self.selection, min(behaviour.values()), latest, latest_first[-1]
            )
        return latest_first[-1]


def _unit_keys(
    inside: tuple[tuple[Report, dt.date, dt.date], ...],
    spec: UnitSpec,
    complaints: bool,  # noqa: FBT001 - the count's own plan, passed on
    read: Callable[[Report], Hashable] | None,
) -> list[Hashable]:
    """Each report's unit (``None``: a missing value), as ``law.reports.unit_key`` makes it."""
    if complaints:
        # The statute's own unit (the reporter, the incident and the day of the behaviour), inline.
        return [(r.reporter, r.incident.id, day) for r, day, _ in inside]
    if read is not None:
        return [read(r) for r, _, _ in inside]
    return [unit_key(spec, r, day) for r, day, _ in inside]


_NO_HOUSEHOLD: Final = "no household recorded; it may or may not be a different household"


def _changed_fates(selected: Selected, changed: dict[str, tuple[Reason, str]]) -> tuple[Fate, ...]:
    """The fates of *selected* with the reasons a count *changed* (duplicates, unknown households)."""
    if not changed:
        return selected.fates
    return tuple(f if f.report not in changed else _refate(f, *changed[f.report]) for f in selected.fates)


def _run_fates(  # noqa: PLR0917 - called through functools.partial, with every value of the run
    selected: Selected,
    window: Window,
    members: list[tuple[Report, dt.date]],
    dropped: list[tuple[Report, dt.date]],
    lag: Lag | None,
    start: dt.date,
    latest: dt.date,
    bound: dt.date,
    as_of: dt.date,
) -> tuple[Fate, ...]:
    """The fates of *selected* when the run of *members* beginning with *start* is the one counted.

    *dropped*: the late reports of the run before its first report made in time (under *lag*,
    binding only the first report counted).
    """
    made = {r.id: r.made_on for r, _ in members}
    late = {r.id: (r, d) for r, d in dropped}
    in_time = as_of <= bound
    fates: list[Fate] = []
    for fate in selected.fates:
        if fate.reason is not Reason.COUNTED:
            fates.append(fate)
        elif fate.report in late:
            assert lag is not None
            report, day = late[fate.report]
            fates.append(late_first(report, lag, day))
        elif fate.report not in made:
            fates.append(
                _refate(
                    fate,
                    Reason.OUTSIDE_WINDOW,
                    f"not within the {window.span} beginning with {start}, the run of reports counted",
                    "outside_run",
                )
            )
        elif not in_time:
            detail = (
                f"the application on {as_of} is more than {window.application_within} after "
                f"the last report of the run ({latest})"
            )
            fates.append(_refate(fate, Reason.APPLICATION_OUTSIDE_WINDOW, detail))
        else:
            # Inside the run; it counts for an application made by the run's bound.
            until = "no bound" if bound == dt.date.max else bound.isoformat()
            words = f"in the run beginning with {start}; the application is in time until {until}"
            period = Period(made[fate.report], bound)
            fates.append(Fate(fate.report, Reason.COUNTED, words, fate.reporter, period))
    return tuple(fates)


_RUNS: Final = frozenset({Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT})
"""Windows that begin with the first of the reports counted: the count looks for the best run."""


def _match_dates(inside: Iterable[tuple[Report, dt.date, dt.date]]) -> dict[str, dt.date]:
    """A largest matching of incidents to distinct days of behaviour they were reported on.

    Kuhn's augmenting paths over a handful of incidents; incidents and their
    days are tried in the order of the reports, so the result is deterministic.
    """
    days_of: dict[str, list[dt.date]] = {}
    for report, day, _ in inside:
        candidates = days_of.setdefault(report.incident.id, [])
        if day not in candidates:
            candidates.append(day)
    holder: dict[dt.date, str] = {}

    def place(incident: str, seen: set[dt.date]) -> bool:
        for day in days_of[incident]:
            if day in seen:
                continue
            seen.add(day)
            if day not in holder or place(holder[day], seen):
                holder[day] = incident
                return True
        return False

    for incident in days_of:
        place(incident, set())
    return {incident: day for day, incident in holder.items()}


def _latest_incident_deadline(
    selection: Selection, earliest: dt.date, latest: dt.date, closes: dt.date
) -> dt.date:
    """The last day a further report can be made and keep every unit counted now.

    Under :attr:`Anchor.LATEST_INCIDENT` a report about behaviour after the
    latest incident moves the window, so the day the current window closes is
    not the answer.  Either the report is about behaviour on or before the
    latest incident (the window stays; the lag limits it), or about behaviour
    as late as the last day of the span beginning with the *earliest* day
    still counted (the window moves but keeps that day), made within the lag
    and within the span of that behaviour.  The later of the two is the
    deadline.
    """
    window, lag = selection.window, selection.lag
    # A lag held only to the first report counted does not bind a further report.
    bound = lag if lag is not None and binds_every(lag.applies_to) else None

    def made_by(behaviour: dt.date, application_by: dt.date) -> dt.date:
        if bound is None:
            return application_by
        return min(application_by, period_last_day(behaviour, bound.span, bound.arithmetic))

    moved = period_last_day(earliest, window.span, window.arithmetic)
    return max(
        made_by(latest, closes),
        made_by(moved, period_last_day(moved, window.span, window.arithmetic)),
    )


def count(
    at_least: int,
    *,
    unit: CountUnit | str = CountUnit.COMPLAINTS,
    selection: Selection | None = None,
) -> Count:
    """At least *at_least* units of *unit* among the reports *selection* admits.

    The default selection is the statute's qualifying complaint.
    """
    return Count(at_least, unit=_count_unit(unit), selection=selection or Selection())


@attrs.frozen
class FactIs(_Combinable):
    """A caller-supplied case fact has the expected value; unknown when not supplied."""

    fact: Fact = attrs.field(converter=_fact)
    expected: bool = attrs.field(default=True, kw_only=True, validator=_bool_field)

    def describe(self) -> str:
        words = self.fact.value.replace("_", " ")
        return words if self.expected else f"not: {words}"

    def __repr__(self) -> str:
        extra = "" if self.expected else ", expected=False"
        return f"fact(Fact.{self.fact.name}{extra})"

    def __call__(self, context: Context) -> Result:
        value = context.application.fact(self.fact)
        # A Fact is a StrEnum: it formats as its value, without the enum's value property.
        if value is None:
            return Result(self, _UNKNOWN, f"{self.fact} was not supplied")
        outcome = _MET if value is self.expected else _NOT_MET
        return Result(self, outcome, f"{self.fact} is {'true' if value else 'false'}")


def fact(name: Fact | str, *, expected: bool = True) -> FactIs:
    """The caller-supplied fact *name* is *expected* (true by default)."""
    return FactIs(_fact(name), expected=expected)


@attrs.frozen
class Recency(_Combinable):
    """The latest report (or incident) admitted by ``selection`` is within ``within`` of the application.

    The selection's own window is not applied: a recency gate looks at every
    report in scope.  It is a count of one report in the window of ``within``
    counted back from the application (:meth:`as_count`), and is decided as
    that count, so that every engine computes it the same way.
    """

    within: Span = attrs.field(validator=_span_field)
    date_of: DateOf = attrs.field(default=DateOf.REPORT, kw_only=True, converter=date_of_value)
    selection: Selection = attrs.field(factory=Selection, kw_only=True, validator=_selection_field)

    def describe(self) -> str:
        thing = "report" if reads_day_made(self.date_of) else "incident"
        return f"the latest {thing} within {self.within} before the application"

    def __repr__(self) -> str:
        extra = "" if reads_day_made(self.date_of) else ", date_of=DateOf.INCIDENT"
        return f"recency({self.within!r}{extra})"

    def as_count(self) -> Count:
        """The same gate as a count: at least one report inside ``within`` before the application.

        >>> recency(months(1)).as_count().selection.window.anchor.value
        'application'
        """
        return self._count

    @cached_property
    def _count(self) -> Count:
        # Made once per gate: building a count checks every setting, and the evaluation's
        # memo of selections is keyed by the selection it holds.
        window = Window(self.within, anchor=Anchor.APPLICATION, date_of=self.date_of)
        return Count(1, unit=CountUnit.REPORTS, selection=attrs.evolve(self.selection, window=window))

    def __call__(self, context: Context) -> Result:
        counted = self._count(context)
        scope = context.in_scope(self.selection)
        if not scope:
            return Result(self, counted.outcome, "no report in scope")
        by_report = reads_day_made(self.date_of)
        latest = max(r.made_on if by_report else day for r, day in scope)
        if counted.met:
            return Result(
                self, counted.outcome, f"the latest was on {latest}", valid_until=counted.valid_until
            )
        first = earliest_start(context.as_of, self.within)
        if latest >= first:
            # Inside the period, but late: under a lag binding only the first report counted,
            # no report inside was made in time to be that first one.
            return Result(
                self,
                counted.outcome,
                f"the latest was on {latest}; none since {first} was made in time to be the first counted",
            )
        return Result(self, counted.outcome, f"the latest was on {latest}, before {first}")


def recency(
    within: Span | None = None,
    *,
    date_of: DateOf | str = DateOf.REPORT,
    selection: Selection | None = None,
) -> Recency:
    """The latest report (or incident) falls within *within* (one month by default) before the application."""
    return Recency(within or months(1), date_of=date_of_value(date_of), selection=selection or Selection())


@attrs.frozen
class Consent(_Combinable):
    """The victim applied, or consented to the application (Home Office guidance)."""

    def describe(self) -> str:
        return "the victim applied, or consented to the application"

    def __repr__(self) -> str:
        return "consent()"

    def __call__(self, context: Context) -> Result:
        application = context.application
        if application.on_behalf_of is None or application.on_behalf_of == application.applicant:
            return Result(self, Outcome.MET, "the victim applied")
        if application.consent is None:
            return Result(self, Outcome.UNKNOWN, "the victim's consent was not recorded")
        if application.consent:
            return Result(self, Outcome.MET, "the victim consented")
        return Result(self, Outcome.NOT_MET, "the victim did not consent")


def consent() -> Consent:
    """The victim applied themselves or consented to a third party applying."""
    return Consent()


def _predicates(value: Iterable[Predicate]) -> tuple[Predicate, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput("parts", value, "must be a collection of predicates")
    parts = tuple(value)
    for index, part in enumerate(parts):
        _part(f"parts[{index}]", part)
    return parts


@attrs.frozen
class AllOf(_Combinable):
    """Met when every part is met (Kleene conjunction)."""

    parts: tuple[Predicate, ...] = attrs.field(converter=_predicates)

    def describe(self) -> str:
        return " and ".join(f"({p.describe()})" for p in self.parts)

    def __repr__(self) -> str:
        return f"all_of({', '.join(map(repr, self.parts))})"

    def __call__(self, context: Context) -> Result:
        children = tuple([p(context) for p in self.parts])
        outcomes = [c.outcome for c in children]
        outcome = conjunction(outcomes)
        met = outcomes.count(_MET)
        return Result(self, outcome, f"{met} of {len(children)} parts met", children)


@attrs.frozen
class AnyOf(_Combinable):
    """Met when any part is met (Kleene disjunction)."""

    parts: tuple[Predicate, ...] = attrs.field(converter=_predicates)

    def describe(self) -> str:
        return " or ".join(f"({p.describe()})" for p in self.parts)

    def __repr__(self) -> str:
        return f"any_of({', '.join(map(repr, self.parts))})"

    def __call__(self, context: Context) -> Result:
        children = tuple([p(context) for p in self.parts])
        outcomes = [c.outcome for c in children]
        outcome = disjunction(outcomes)
        met = outcomes.count(_MET)
        return Result(self, outcome, f"{met} of {len(children)} parts met", children)


@attrs.frozen
class Not(_Combinable):
    """Met when the part is not met; unknown stays unknown."""

    part: Predicate = attrs.field(validator=_predicate_field)

    def describe(self) -> str:
        return f"not ({self.part.describe()})"

    def __repr__(self) -> str:
        return f"not_({self.part!r})"

    def __call__(self, context: Context) -> Result:
        child = self.part(context)
        return Result(self, ~child.outcome, f"the part is {child.outcome.value}", (child,))


def _flatten(kind: type[AllOf] | type[AnyOf], parts: Iterable[Predicate]) -> tuple[Predicate, ...]:
    flat: list[Predicate] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, kind) else (part,))
    return tuple(flat)


def all_of(*parts: Predicate) -> Predicate:
    """Met when every part is met.  Nested ``all_of`` flatten; one part is itself.

    >>> all_of(count(3), all_of(consent(), fact("no_action_taken")))
    all_of(count(3), consent(), fact(Fact.NO_ACTION_TAKEN))
    """
    if not parts:
        raise InvalidInput("parts", parts, "all_of needs at least one part")
    for index, part in enumerate(parts):
        _part(f"parts[{index}]", part)
    flat = _flatten(AllOf, parts)
    return flat[0] if len(flat) == 1 else AllOf(flat)


def any_of(*parts: Predicate) -> Predicate:
    """Met when any part is met.  Nested ``any_of`` flatten; one part is itself."""
    if not parts:
        raise InvalidInput("parts", parts, "any_of needs at least one part")
    for index, part in enumerate(parts):
        _part(f"parts[{index}]", part)
    flat = _flatten(AnyOf, parts)
    return flat[0] if len(flat) == 1 else AnyOf(flat)


def not_(part: Predicate) -> Predicate:
    """Met when *part* is not met.  ``not_(not_(p))`` is ``p``."""
    if not isinstance(part, Predicate):
        raise InvalidInput("part", part, "is not a predicate")
    return part.part if isinstance(part, Not) else Not(part)


@attrs.frozen
class Rule(_Combinable):
    """A predicate with an id, the wording it encodes, and its source.

    The result of a rule has the rule's own node above the predicate's result,
    so an explanation can name and cite it.
    """

    id: str = attrs.field(validator=_id_field)
    predicate: Predicate = attrs.field(validator=_predicate_field)
    label: str = attrs.field(kw_only=True, validator=_text_field)
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_source_field)

    def describe(self) -> str:
        return self.label

    def __call__(self, context: Context) -> Result:
        child = self.predicate(context)
        # By position: predicate, outcome, summary, children, tally, valid_until (a hot path).
        return Result(self, child.outcome, child.summary, (child,), None, child.valid_until)


def rule(
    id: str,  # noqa: A002  (the public keyword is the policy's own word "id")
    predicate: Predicate,
    *,
    label: str,
    source: Source | None = None,
) -> Rule:
    """Name *predicate* as rule *id*, encoding the wording *label* from *source*."""
    if not isinstance(id, str) or not id.strip():
        raise InvalidInput("id", id, "must be a non-empty string")
    if not isinstance(predicate, Predicate):
        raise InvalidInput("predicate", predicate, "is not a predicate")
    return Rule(id, predicate, label=label, source=source)
