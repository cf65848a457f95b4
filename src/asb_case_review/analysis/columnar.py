"""The columnar sweep: the eligibility sweep on numpy arrays (the ``analysis`` extra).

:class:`Columns` encodes a :class:`~.table.ReportTable` once: integer codes,
day numbers, and the sort orders every policy shares.  :func:`sweep_columns`
then answers, for every report, the same question as :func:`.sweep.sweep`,
with the same answers (outcome, policy outcome, route, rules matched), for
every policy :func:`.plan.compile_policy` accepts.  ``met_until`` and the
reporters' standings are left to the pure-Python sweep.

How a count is found without a loop: for one count rule, take the reports
that pass its date-free tests, and for each the next report of the same unit
in the same group (the matter, or the matter and reporter for "your own"
reports).  A report whose next same-unit report comes while it is still in
the window is *cut*; the one that follows a cut report is a *repeat*.  On
day ``t`` with window start ``lo`` the number of distinct units counted is::

    #{reports made on or before t that are not repeats}
      - #{reports made before lo that are not cut}

and both terms are prefix sums along one shared sort order.

>>> from asb_case_review.analysis.table import reports_from_records
>>> from asb_case_review.catalogue import STATUTORY
>>> rows = [{"id": f"R{i}", "reporter": "P1", "matter": "M1",
...          "began_on": f"2025-0{i}-01", "made_on": f"2025-0{i}-02"} for i in (1, 2, 3)]
>>> result = sweep_columns(Columns.from_table(reports_from_records(rows)), STATUTORY)
>>> result.met.tolist()
[False, False, True]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, assert_never

import attrs

from ..dates import Arithmetic, Span, earliest_start, period_last_day
from ..decision import route_of
from ..law.floor import FloorReading
from ..law.logic import MET, NOT_MET, Node, Outcome, RouteCode, combine, value
from ..law.reports import (
    Anchor,
    BehaviourDay,
    DateOf,
    KeyField,
    LagScope,
    Screen,
    UnitSpec,
    binds_every,
    reads_day_made,
    screens,
)
from ..models import Agency, Fact
from ..policy import Policy
from ..qualifying import Selection
from .plan import BASE_HANDLES, CountPlan, Engine, LatestUnits, PolicyPlan, compile_policy, unit_refusal
from .sweep import Standing, Sweep, SweepArrays, assumed_facts
from .table import FIELDS, ReportTable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

__all__ = ["NUMPY", "ColumnarSweep", "Columns", "sweep_columns"]

_KEY_FIELDS: Final = frozenset(
    {KeyField.REPORT, KeyField.REPORTER, KeyField.INCIDENT, KeyField.BEHAVIOUR_DAY}
)
"""The values of a report this engine builds unit keys from."""


def _numpy_unit(spec: UnitSpec) -> str | None:
    return unit_refusal(spec, _KEY_FIELDS)


def _numpy_anchor(anchor: object) -> bool:
    match anchor:
        case (
            Anchor.EACH_REPORT
            | Anchor.APPLICATION
            | Anchor.FIRST_REPORT_AND_APPLICATION
            | Anchor.LATEST_INCIDENT
        ):
            return True
        case Anchor.FIRST_REPORT | Anchor.FIRST_INCIDENT:
            # The best of the runs of reports beginning with each report: not a count along the days.
            return False
    return False  # A member added to Anchor is refused until this engine places windows by it.


def _numpy_lag_scope(lag_scope: object) -> bool:
    match lag_scope:
        case LagScope.EVERY | LagScope.FIRST:
            return True
    return False  # A member added to LagScope is refused until this engine computes it.


def _numpy_together(selection: Selection) -> str | None:
    lag, anchor = selection.lag, selection.window.anchor
    if lag is None or binds_every(lag.applies_to) or anchor is not Anchor.LATEST_INCIDENT:
        return None
    # The latest incident of every report in scope places the period, and the lag then binds the
    # first report counted inside it: not a count along the days.
    return f"Lag.applies_to={lag.applies_to.value!r} with Window.anchor={anchor.value!r}"


_NUMPY_SETTINGS: Final = frozenset(
    {
        "Selection.who",
        "Selection.window",
        "Selection.lag",
        "Selection.hate_only",
        "Selection.exclude_kinds",
        "Selection.agencies",
        "Selection.behaviour_day",
        "Window.span",
        "Window.date_of",
        "Window.arithmetic",
        "Window.application_within",
        "Lag.span",
        "Lag.arithmetic",
    }
)
"""The settings this engine takes as the pure-Python sweep does, by name: a setting added to the
law and to the pure-Python sweep (which applies any value test of the law on its columns) is
refused here until it has its vectorised form (``_SCREENS``)."""

NUMPY: Final = Engine(
    "numpy",
    {
        **{key: accepts for key, accepts in BASE_HANDLES.items() if key in _NUMPY_SETTINGS},
        "Window.anchor": _numpy_anchor,
        "Lag.applies_to": _numpy_lag_scope,
    },
    _numpy_unit,
    together=_numpy_together,
)
"""The columnar sweep: the pure-Python sweep's settings, a lag binding only the first report
counted (but not with a window placed by the latest incident), a window fixed by the first report
or placed by the latest incident; units of the fields above."""


def _first_only(plan: CountPlan) -> bool:
    """Whether *plan*'s lag binds only the first report counted (``law.reports.binds_every``)."""
    lag = plan.selection.lag
    return lag is not None and not binds_every(lag.applies_to)


class _Arrays:
    """The law's logic (:class:`.law.logic.Logic`) on numpy arrays of outcome codes."""

    def constant(self, code: int) -> Any:
        import numpy as np  # noqa: PLC0415 (optional extra)

        return np.int8(code)

    def minimum(self, a: Any, b: Any) -> Any:
        import numpy as np  # noqa: PLC0415 (optional extra)

        return np.minimum(a, b)

    def maximum(self, a: Any, b: Any) -> Any:
        import numpy as np  # noqa: PLC0415 (optional extra)

        return np.maximum(a, b)

    def negate(self, a: Any) -> Any:
        return MET - a

    def is_met(self, a: Any) -> Any:
        return a == MET

    def both(self, a: Any, b: Any) -> Any:
        return a & b

    def either(self, a: Any, b: Any) -> Any:
        return a | b

    def invert(self, a: Any) -> Any:
        return ~a

    def truth(self, flag: bool) -> Any:  # noqa: FBT001 (a constant of the engine's truth type)
        import numpy as np  # noqa: PLC0415 (optional extra)

        return np.bool_(flag)

    def choose(self, condition: Any, then: Any, otherwise: Any) -> Any:
        import numpy as np  # noqa: PLC0415 (optional extra)

        return np.where(condition, then, otherwise)


_ARRAYS: Final = _Arrays()


def _kinds_admitted(columns: Columns, screen: Screen, selection: Selection) -> Bools:
    import numpy as np  # noqa: PLC0415 (optional extra)

    excluded = [columns.kinds[k] for k in selection.exclude_kinds if k in columns.kinds]
    return ~np.isin(columns.kind, excluded)


def _agencies_admitted(columns: Columns, screen: Screen, selection: Selection) -> Bools:
    import numpy as np  # noqa: PLC0415 (optional extra)

    agencies = list(Agency)
    return np.isin(columns.agency, [agencies.index(a) for a in selection.agencies])


def _hate_admitted(columns: Columns, screen: Screen, selection: Selection) -> Bools:
    return columns.hate


_SCREENS: Final = {
    "Selection.exclude_kinds": _kinds_admitted,
    "Selection.agencies": _agencies_admitted,
    "Selection.hate_only": _hate_admitted,
}
"""The vectorised form of each of the law's value tests (:func:`.law.reports.screens`), by setting."""


def _codes(values: Sequence[Any]) -> Ints:
    """A code per value, equal for equal values, numbered in order of first appearance."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    try:
        import pandas as pd  # noqa: PLC0415 (the analysis extra: its hash table scales, a dict's does not)
    except ImportError:  # pragma: no cover - the analysis extra installs pandas beside numpy
        index: dict[Any, int] = {}
        return np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, count=len(values))
    objects = np.empty(len(values), object)
    objects[:] = values
    codes: Ints = pd.factorize(objects)[0].astype(np.int64)
    return codes


def _run_starts(values: Ints) -> Ints:
    """For each position of sorted *values*: the first position holding the same value."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    if values.size == 0:
        return np.zeros(0, np.int64)
    new = np.empty(values.size, np.bool_)
    new[0] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    return np.maximum.accumulate(np.where(new, np.arange(values.size), 0))


def _run_ends(values: Ints) -> Ints:
    """For each position of sorted *values*: one past the last position holding the same value."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    if values.size == 0:
        return np.zeros(0, np.int64)
    return values.size - _run_starts(values[::-1])[::-1]


_NEVER: Final = 2**31
"""A day number past every day: "for ever", and "never superseded"."""

_WALK: Final = 48
"""Steps of the vectorised walk before the questions left open are answered by a replay."""


def _replay(  # noqa: PLR0917 (the columns of one replay, named at the call)
    group: Ints,
    made: Ints,
    dated: Ints,
    units: Ints,
    at_least: int,
    asked_group: Ints,
    asked_day: Ints,
    slots: Ints,
    nth: Ints,
) -> None:
    """Answer questions (sorted by group and day) by replaying their groups' reports in date order."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    wanted = np.unique(asked_group)
    # Only the groups asked about are replayed: their reports, in the order given (group, day).
    keep = np.isin(group, wanted)
    groups, days, dates, keys = (a[keep].tolist() for a in (group, made, dated, units))
    at = 0
    current = -1
    top: LatestUnits[int, int] = LatestUnits(at_least)
    for slot, g, t in zip(slots.tolist(), asked_group.tolist(), asked_day.tolist(), strict=True):
        if g != current:
            while at < len(groups) and groups[at] < g:
                at += 1
            current, top = g, LatestUnits(at_least)
        while at < len(groups) and groups[at] == g and days[at] <= t:
            top.add(keys[at], dates[at])
            at += 1
        found = top.nth()
        nth[slot] = -1 if found is None else found


def _encode(table: ReportTable) -> dict[str, Any]:
    """*table*'s columns as arrays: day numbers from ``base``, codes in order of first appearance."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    n = len(table)
    base = min(table.began_on, default=dt.date(2000, 1, 1)).toordinal() - 2
    ordinal = dt.date.toordinal
    began = np.fromiter(map(ordinal, table.began_on), np.int64, n) - base
    ended = np.fromiter((0 if d is None else d.toordinal() for d in table.ended_on), np.int64, n) - base
    kinds = {k: i for i, k in enumerate(dict.fromkeys(table.kind))}
    agencies = {a: i for i, a in enumerate(Agency)}
    return {
        "base": base,
        "made": np.fromiter(map(ordinal, table.made_on), np.int64, n) - base,
        "began": began,
        "ended": np.where(ended == -base, began, ended),
        "matter": _codes(table.matter),
        "reporter": _codes(table.reporter),
        "incident": _codes(table.incident),
        "hate": np.fromiter(table.hate, np.bool_, n),
        "kinds": kinds,
        "kind": np.fromiter(map(kinds.__getitem__, table.kind), np.int64, n),
        "agency": np.fromiter(map(agencies.__getitem__, table.agency), np.int64, n),
    }


class Columns:
    """A report table encoded for the columnar sweep; build once, sweep many policies.

    It keeps caches of the sort orders and window positions the sweeps of
    several policies share; it is not meant to be shared between threads
    while they are being filled.
    """

    def __init__(self, table: ReportTable) -> None:

        self.table = table
        n = len(table)
        self.size = n
        self._cache: dict[Any, Any] = {}
        encoded = table._encoded
        if encoded is None or any(
            a is not b for a, b in zip(encoded["columns"], (getattr(table, f) for f in FIELDS), strict=True)
        ):
            encoded = _encode(table)
        # The columnar reader gives the table these arrays already (as _encode would make them).
        self.base: int = encoded["base"]
        self.made: Ints = encoded["made"]
        self.began: Ints = encoded["began"]
        self.ended: Ints = encoded["ended"]
        self.matter: Ints = encoded["matter"]
        self.reporter: Ints = encoded["reporter"]
        self.incident: Ints = encoded["incident"]
        self.hate: Bools = encoded["hate"]
        self.kinds: dict[str, int] = encoded["kinds"]
        self.kind: Ints = encoded["kind"]
        self.agency: Ints = encoded["agency"]
        self.span = int(self.made.max(initial=0)) + 1

    @classmethod
    def from_table(cls, table: ReportTable) -> Columns:
        """Encode *table*."""
        return cls(table)

    def drop_indexes(self) -> None:
        """Forget the sort orders and window positions built so far (to time a sweep from cold)."""
        self._cache.clear()

    def _days(self, span: Span, arithmetic: Arithmetic, *, backward: bool) -> Ints:
        """Per day number: the window start (backward) or the period's last day, as day numbers."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        key = ("days", span, arithmetic, backward)
        found = self._cache.get(key)
        if found is None:
            out = []
            for number in range(self.span + 1):
                day = dt.date.fromordinal(max(number + self.base, 1))
                moved = (
                    earliest_start(day, span, arithmetic)
                    if backward
                    else period_last_day(day, span, arithmetic)
                )
                out.append(moved.toordinal() - self.base)
            found = self._cache[key] = np.asarray(out, dtype=np.int64)
        return found

    def _group(self, *, victim: bool) -> tuple[Ints, Ints, Ints, Ints, Ints]:
        """The group codes, the (group, day) order, and per position its group start and day end.

        Also the sorted (group, day) codes, for the window lookups.  A group is
        the matter, or for "your own reports" the matter and reporter, with
        dense codes numbered in sorted order.
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        key = ("group", victim)
        found = self._cache.get(key)
        if found is None:
            if victim:
                pairs = self.matter * (int(self.reporter.max(initial=0)) + 1) + self.reporter
                order = np.argsort(pairs * self.span + self.made)
                ranked = pairs[order]
                # Dense codes from the sort already made: a new code wherever the pair changes.
                dense = np.zeros(self.size, np.int64)
                np.cumsum(ranked[1:] != ranked[:-1], out=dense[1:])
                group = np.empty(self.size, np.int64)
                group[order] = dense
            else:
                group = self.matter
                order = np.argsort(group * self.span + self.made)
            ordered = group[order] * self.span + self.made[order]
            # In group order a group, and a group's day, are runs of equal codes: where each
            # run starts and ends is found in one pass, without searching.
            start = _run_starts(group[order])
            end = _run_ends(ordered)
            found = self._cache[key] = (group, order, ordered, start, end)
        return found

    def _window_start(self, span: Span, arithmetic: Arithmetic, *, victim: bool) -> Ints:
        """For each position in group order: where the window of its day begins, in that order."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        key = ("lo", victim, span, arithmetic)
        found = self._cache.get(key)
        if found is None:
            group, order, ordered, _, _ = self._group(victim=victim)
            # A window reaching back before the first day starts at day 0, inside the group.
            lo = np.maximum(self._days(span, arithmetic, backward=True)[self.made[order]], 0)
            found = self._cache[key] = np.searchsorted(ordered, group[order] * self.span + lo, "left")
        return found

    def _behaviour(self, rule: BehaviourDay) -> Ints:
        """:func:`.law.reports.behaviour_day` on every row."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        match rule:
            case BehaviourDay.FIRST_DAY:
                return self.began
            case BehaviourDay.LATEST_ON_OR_BEFORE_REPORT:
                return np.minimum(self.ended, self.made)
            case _:  # pragma: no cover - exhaustive
                assert_never(rule)

    def _key_order(self, plan: CountPlan) -> tuple[Ints, Ints]:
        """Rows ordered by (group, unit, day), with a code equal exactly for the same group and unit.

        The unit is made of the fields the law gives it (``law.UNITS``).  Rules
        share these orders where their keys coincide: in a victim's group the
        reporter is already fixed, so a victim's own incidents sort like
        a victim's own complaints, and counting reporters sorts like
        grouping by reporter.
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        victim = plan.victim
        fields = set(plan.spec.fields)
        if victim:
            fields.add(KeyField.REPORTER)
        if KeyField.REPORT in fields:
            # Every report is its own unit: no two are ever the same, in any order.
            _, order, _, _, _ = self._group(victim=victim)
            return order, np.arange(self.size, dtype=np.int64)
        if fields == {KeyField.REPORTER}:
            by_reporter, order, _, _, _ = self._group(victim=True)
            return order, by_reporter
        rule = plan.selection.behaviour_day
        key = ("keys", frozenset(fields), rule if KeyField.BEHAVIOUR_DAY in fields else None)
        found = self._cache.get(key)
        if found is None:
            # An incident belongs to one matter (the table checks it), so a key that names the
            # incident needs no matter; any other key is made within the matter.
            parts: list[Ints] = [] if KeyField.INCIDENT in fields else [self.matter]
            parts.extend(self._key_codes(field, rule) for field in sorted(fields))
            combined = self._combine(parts)
            # Rows tied on unit and day may come in any order: they fall in the same day's prefix sum.
            order = np.argsort(combined * self.span + self.made)
            found = self._cache[key] = (order, combined)
        return found

    def _key_codes(self, field: KeyField, rule: BehaviourDay) -> Ints:
        match field:
            case KeyField.REPORTER:
                return self.reporter
            case KeyField.INCIDENT:
                return self.incident
            case KeyField.BEHAVIOUR_DAY:
                return self._behaviour(rule)
            case KeyField.REPORT | KeyField.HOUSEHOLD:  # pragma: no cover - handled or refused above
                raise AssertionError(field)
            case _:  # pragma: no cover - exhaustive
                assert_never(field)

    def _combine(self, parts: list[Ints]) -> Ints:
        """One code per distinct combination of *parts*, small enough to multiply by the day range."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        limit = 2**62 // (self.span + 1)
        combined = parts[0]
        for part in parts[1:]:
            radix = int(part.max(initial=0)) + 1
            if (int(combined.max(initial=0)) + 1) * radix >= limit:
                combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
            combined = combined * radix + part
        if int(combined.max(initial=0)) >= limit:  # pragma: no cover - only past billions of rows
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
        return combined

    def qualifying(self, plan: CountPlan) -> Bools:
        """Which rows pass the rule's tests that do not depend on the application date (the law's tests).

        Under a lag that binds only the first report counted: the rows that can count at all,
        those with a report made in time at or before them (:meth:`_first_lag`).
        """
        ok, in_time = self._tests(plan)
        lag = plan.selection.lag
        if lag is None or in_time is None:
            return ok
        match lag.applies_to:
            case LagScope.EVERY:
                return ok & in_time
            case LagScope.FIRST:
                return self._first_lag(plan, ok, in_time)[0]
            case _:  # pragma: no cover - exhaustive
                assert_never(lag.applies_to)

    def _tests(self, plan: CountPlan) -> tuple[Bools, Bools | None]:
        """Which rows pass the value tests, and which were made within the lag (``None``: no lag)."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        selection = plan.selection
        ok = np.ones(self.size, np.bool_)
        for screen in screens(selection):
            ok &= _SCREENS[screen.field](self, screen, selection)
        lag = selection.lag
        if lag is None:
            return ok, None
        behaviour = self._behaviour(selection.behaviour_day)
        return ok, self.made <= self._days(lag.span, lag.arithmetic, backward=False)[behaviour]

    def _first_lag(self, plan: CountPlan, ok: Bools, in_time: Bools) -> tuple[Bools, Ints]:
        """Under a lag binding only the first report counted (``law.reports.first_counted``), per row.

        Whether it can count, and the last day (as a day the window tests) on which it does.  A
        report that passes the value tests counts on a day while it is inside the window and
        some report made in time at or before it in the law's order (the day made, a day's
        reports made in time first, then the id; in its group) is inside too: else it, or a late
        report before it, would be the first counted.  So it counts while the window holds the
        day ``min(its own day, the latest day of those in-time reports)``, the day kept here (-1:
        no report in time before it, never).
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        selection = plan.selection
        dated = (
            self.made
            if reads_day_made(selection.window.date_of)
            else self._behaviour(selection.behaviour_day)
        )
        group, _, _, _, _ = self._group(victim=plan.victim)
        # The law's order, a day's reports made in time before its late ones (law.reports.lag_order).
        law = np.lexsort((self._id_rank(), ~in_time, self.made, group))
        ranked = group[law]
        stride = int(dated.max(initial=0)) + 2
        # The latest day of the in-time reports so far in each group: a running maximum that
        # restarts with each group (-1: none yet).
        timely = np.where((ok & in_time)[law], dated[law], -1)
        running = np.maximum.accumulate(ranked * stride + timely) - ranked * stride
        day = np.full(self.size, -1, np.int64)
        day[law] = np.where(running >= 0, np.minimum(running, dated[law]), -1)
        return ok & (day >= 0), day

    def _id_rank(self) -> Ints:
        """Each row's place in the order of the reports' ids (the law's tie-break within a day)."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        found = self._cache.get("id_rank")
        if found is None:
            rank = np.empty(self.size, np.int64)
            rank[np.argsort(np.asarray(self.table.id, dtype=object), kind="stable")] = np.arange(self.size)
            found = self._cache["id_rank"] = rank
        return found

    def _first_report_window(self, plan: CountPlan) -> Ints:
        """:meth:`valid_days` for a window beginning with the first report and holding the application.

        The period begins with the group's first report that passes the rule's tests, whatever
        the day asked; every such report made by the day is inside it, so the count is the
        number of units first reported by then, and it holds until the period ends (or never).
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        ok = self.qualifying(plan)
        group, order, _, start, end = self._group(victim=plan.victim)
        window = plan.selection.window
        last = self._days(window.span, window.arithmetic, backward=False)
        first = np.full(int(group.max(initial=0)) + 1, _NEVER, np.int64)
        np.minimum.at(first, group[ok], self.made[ok])
        keyed, combined = self._key_order(plan)
        events = keyed[ok[keyed]]
        new_unit = np.zeros(self.size, np.bool_)
        if events.size:
            new_unit[events] = np.r_[True, combined[events[1:]] != combined[events[:-1]]]
        units = np.zeros(self.size + 1, np.int64)
        np.cumsum(new_unit[order], out=units[1:])
        counted = np.empty(self.size, np.int64)
        counted[order] = units[end] - units[start]
        opened = first[group]
        closes = last[np.minimum(opened, self.span)]
        held = (counted >= plan.at_least) & (self.made <= closes)
        return np.where(held, closes, -1)

    def _count_met_by_behaviour_day(self, plan: CountPlan, ok: Bools) -> Bools:
        """:meth:`count_met` for a window that tests the day of the behaviour.

        A report counts on the days from when it was made until its behaviour
        day's period ends.  Along each unit's reports in the order they were
        made, the part of that span not already covered by an earlier report
        is kept, so a unit's spans never overlap, and the units counted on a
        day are the spans that began by then less those that ended before it.
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        group, order, _, _, _ = self._group(victim=plan.victim)
        window = plan.selection.window
        keyed, combined = self._key_order(plan)
        events = keyed[ok[keyed]]
        last = self._days(window.span, window.arithmetic, backward=False)
        # No day asked about lies beyond the last day made, so later ends are cut there.
        ends = np.minimum(last[self._behaviour(plan.selection.behaviour_day)[events]], self.span - 1)
        units = combined[events]
        starts_made = self.made[events]
        # The latest end so far within each unit: a running maximum that restarts with each unit.
        ranked = np.zeros(units.size, np.int64)
        if units.size:
            np.cumsum(units[1:] != units[:-1], out=ranked[1:])
        running = np.maximum.accumulate(ranked * self.span + ends) - ranked * self.span
        before = np.full(units.size, -1, np.int64)
        if units.size > 1:
            same = units[1:] == units[:-1]
            before[1:] = np.where(same, running[:-1], -1)
        starts = np.maximum(starts_made, before + 1)
        kept = ends >= starts
        codes = group[events][kept] * self.span
        begun = np.sort(codes + starts[kept])
        ended = np.sort(codes + ends[kept])
        asked = group[order] * self.span + self.made[order]
        counted = np.searchsorted(begun, asked, "right") - np.searchsorted(ended, asked, "left")
        met = np.empty(self.size, np.bool_)
        met[order] = counted >= plan.at_least
        return met

    def _latest_incident_window(self, plan: CountPlan) -> Ints:
        """:meth:`valid_days` for a window placed by the latest incident (``Anchor.LATEST_INCIDENT``).

        On a day, the latest day of behaviour among the reports made by then that pass the
        rule's tests places the period: the application must be made by its last day, and a
        unit counts when one of its reports is about a day in the period ending with that
        latest day.  The latest day only grows, and so does the period's first day: a unit
        whose latest day of behaviour so far is *v* counts from its report until its next
        report, or until the first day on which the period begins after *v*.
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        ok = self.qualifying(plan)
        group, order, _, _, end = self._group(victim=plan.victim)
        window = plan.selection.window
        back = self._days(window.span, window.arithmetic, backward=True)
        last = self._days(window.span, window.arithmetic, backward=False)
        day = self._behaviour(plan.selection.behaviour_day)
        stride = self.span + 2
        # In group order, the latest day of behaviour of the reports that pass, by the end of
        # each day (-1: none yet); a running maximum that restarts with each group.
        ranked = group[order]
        running = (
            np.maximum.accumulate(ranked * stride + np.where(ok[order], day[order], -1)) - ranked * stride
        )
        latest = running[end - 1] if self.size else running
        lo = np.where(latest >= 0, np.maximum(back[np.maximum(latest, 0)], 0), 0)
        # The first position of the group at which the period begins after v: searched per unit.
        lo_key = ranked * stride + lo
        keyed, combined = self._key_order(plan)
        events = keyed[ok[keyed]]
        units = combined[events]
        unit_rank = np.zeros(events.size, np.int64)
        if events.size:
            np.cumsum(units[1:] != units[:-1], out=unit_rank[1:])
        seen = np.maximum.accumulate(unit_rank * stride + day[events]) - unit_rank * stride
        begins = self.made[events]
        following = np.full(events.size, self.span, np.int64)
        if events.size > 1:
            same = units[1:] == units[:-1]
            following[:-1] = np.where(same, begins[1:], self.span)
        event_group = group[events]
        after = np.searchsorted(lo_key, event_group * stride + seen, "right")
        inside = after < self.size
        safe = np.where(inside, after, 0)
        beyond = inside & (ranked[safe] == event_group)
        stops = np.minimum(following, np.where(beyond, self.made[order][safe], self.span))
        kept = stops > begins
        codes = event_group[kept] * stride
        begun = np.sort(codes + begins[kept])
        ended = np.sort(codes + stops[kept])
        asked = ranked * stride + self.made[order]
        counted = np.searchsorted(begun, asked, "right") - np.searchsorted(ended, asked, "right")
        closes = last[np.maximum(latest, 0)]
        held = (latest >= 0) & (counted >= plan.at_least) & (self.made[order] <= closes)
        valid = np.empty(self.size, np.int64)
        valid[order] = np.where(held, closes, -1)
        return valid

    def count_met(self, plan: CountPlan) -> Bools:
        """For each row: whether *plan*'s count is met had its reporter applied on its day."""
        key = ("met", plan.count)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._count_met(plan)
        return found

    def _count_met(self, plan: CountPlan) -> Bools:
        import numpy as np  # noqa: PLC0415 (optional extra)

        window = plan.selection.window
        if window.anchor in (Anchor.FIRST_REPORT_AND_APPLICATION, Anchor.LATEST_INCIDENT) or _first_only(
            plan
        ):
            return self.valid_days(plan) >= 0
        ok = self.qualifying(plan)
        if window.date_of is DateOf.INCIDENT:
            return self._count_met_by_behaviour_day(plan, ok)
        _, order, _, start, end = self._group(victim=plan.victim)
        keyed, combined = self._key_order(plan)
        events = keyed[ok[keyed]]
        last = self._days(window.span, window.arithmetic, backward=False)
        cut = np.zeros(self.size, np.bool_)
        repeat = np.zeros(self.size, np.bool_)
        if events.size > 1:
            same = combined[events[1:]] == combined[events[:-1]]
            early = same & (self.made[events[1:]] <= last[self.made[events[:-1]]])
            cut[events[:-1]] = early
            repeat[events[1:]] = early
        # Prefix counts fit in 32 bits for any table under two billion rows, and halve the memory.
        first = np.zeros(self.size + 1, np.int32)
        np.cumsum((ok & ~repeat)[order], out=first[1:])
        kept = np.zeros(self.size + 1, np.int32)
        np.cumsum((ok & ~cut)[order], out=kept[1:])
        lo = self._window_start(window.span, window.arithmetic, victim=plan.victim)
        counted = first[end] - first[start] - (kept[lo] - kept[start])
        met = np.empty(self.size, np.bool_)
        met[order] = counted >= plan.at_least
        return met

    def valid_days(self, plan: CountPlan) -> Ints:
        """For each row: the last day number its count stays met with nothing new reported (-1: not met).

        The law's meaning (:func:`.law.reports` and ``rules.Count``): a count
        of *at_least* units is met while the window still holds the latest
        report of its *at_least*-th most recent unit, that is until the window
        of that unit's latest date closes.  For each group and day the units'
        latest dates are those of reports with no later report of the same
        unit made by that day; walking back from the day, the *at_least*-th
        such report gives the date.  Walks that run long (many reports of few
        units) are finished by a replay of the group in date order, so the
        cost stays linear in the group whatever its shape.
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        key = ("valid", plan.count)
        found = self._cache.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        match plan.selection.window.anchor:
            case Anchor.FIRST_REPORT_AND_APPLICATION:
                found = self._cache[key] = self._first_report_window(plan)
                return found
            case Anchor.LATEST_INCIDENT:
                found = self._cache[key] = self._latest_incident_window(plan)
                return found
            case _:
                pass
        first_only = _first_only(plan)
        if first_only:
            screened, in_time = self._tests(plan)
            assert in_time is not None  # a lag binds the first report
            ok, first_dated = self._first_lag(plan, screened, in_time)
        else:
            ok = self.qualifying(plan)
        group, order, ordered, _, _ = self._group(victim=plan.victim)
        window = plan.selection.window
        back = self._days(window.span, window.arithmetic, backward=True)
        last = self._days(window.span, window.arithmetic, backward=False)
        # One question per group and day: the first row of each (group, day) run in group order.
        new = np.ones(self.size, np.bool_)
        if self.size:
            np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
        firsts = np.flatnonzero(new)
        asked_group = group[order[firsts]]
        asked_day = self.made[order[firsts]]
        low = np.maximum(back[asked_day], 0)
        events = order[ok[order]]
        dated = (
            self._behaviour(plan.selection.behaviour_day)
            if plan.selection.window.date_of is DateOf.INCIDENT
            else self.made
        )
        keyed, units = self._key_order(plan)
        nth = np.full(firsts.size, -1, np.int64)
        if first_only:
            # A report counts while the window holds the day _first_lag gives it, which need
            # not grow with the day made: the replay keeps each unit's latest.
            dated = first_dated
            pending = np.arange(firsts.size)
        elif plan.selection.window.date_of is DateOf.INCIDENT:
            # A unit's date is its latest day of behaviour, which need not grow with the day made.
            pending = np.arange(firsts.size)
        else:
            # The count holds on a day exactly when its at_least-th latest unit is inside the
            # window (nth >= low), which is count_met: only the days it is met are walked.
            met = np.flatnonzero(self.count_met(plan)[order[firsts]])
            pending = met[
                self._walk(
                    plan, ok, keyed, units, events, asked_group[met], asked_day[met], low[met], nth, met
                )
            ]
        if pending.size:
            _replay(
                group[events], self.made[events], dated[events], units[events], plan.at_least,
                asked_group[pending], asked_day[pending], pending, nth,
            )  # fmt: skip
        held = (nth >= 0) & (nth >= low)
        valid_asked = np.where(held, last[np.where(held, nth, 0)], -1)
        valid = np.empty(self.size, np.int64)
        valid[order] = valid_asked[np.cumsum(new) - 1]
        self._cache[key] = valid
        return valid

    def _walk(  # noqa: PLR0917 (the columns of one walk, named at the call)
        self,
        plan: CountPlan,
        ok: Bools,
        keyed: Ints,
        combined: Ints,
        events: Ints,
        asked_group: Ints,
        asked_day: Ints,
        low: Ints,
        nth: Ints,
        slots: Ints,
    ) -> Ints:
        """Fill *nth* at *slots* by walking back from each question; the questions open after a few steps."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        if events.size == 0:
            return np.zeros(0, np.int64)
        # The day each report is superseded by the next report of its unit (never: past every day).
        superseded = np.full(self.size, _NEVER, np.int64)
        chained = keyed[ok[keyed]]
        if chained.size > 1:
            same = combined[chained[1:]] == combined[chained[:-1]]
            superseded[chained[:-1][same]] = self.made[chained[1:][same]]
        group, _, _, _, _ = self._group(victim=plan.victim)
        event_key = group[events] * self.span + self.made[events]
        event_made = self.made[events]
        event_superseded = superseded[events]
        at = np.searchsorted(event_key, asked_group * self.span + asked_day, "right") - 1
        floor = np.searchsorted(event_key, asked_group * self.span, "left")
        # The open questions' columns, kept side by side and cut down together as questions close.
        active = np.arange(asked_day.size)
        found = np.zeros(asked_day.size, np.int64)
        day, lowest = asked_day, low
        steps = 0
        while active.size and steps < _WALK:
            steps += 1
            inside = at >= floor
            safe = np.where(inside, at, 0)
            inside &= event_made[safe] >= lowest
            latest = inside & (event_superseded[safe] > day)
            found = found + latest
            hit = latest & (found == plan.at_least)
            nth[slots[active[hit]]] = event_made[safe[hit]]
            keep = np.flatnonzero(inside & ~hit)
            active, found, day, lowest = active[keep], found[keep], day[keep], lowest[keep]
            at, floor = at[keep] - 1, floor[keep]
        return active


def _decide(
    plan: PolicyPlan, leaves: Sequence[Any], facts: Mapping[Fact, bool], *, enforce_floor: bool
) -> Any:
    """``law.logic.combine`` over arrays of count outcomes (one array per count, all of one shape)."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    shape = leaves[0].shape if leaves else (0,)

    def codes(node: Node) -> Any:
        return np.broadcast_to(value(node, leaves, facts, _ARRAYS), shape)

    return combine(
        _ARRAYS,
        codes(plan.mandatory),
        [codes(n) for n in plan.local],
        [codes(n) for n in plan.conditions],
        leaves[plan.floor],
        enforce_floor=enforce_floor,
    )


def _expired(leaves: Any, valid: Ints, on: Ints) -> tuple[list[Any], Ints]:
    """The counts on day *on*, for every row: each met count held until its valid day, and the next expiry."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    met = leaves == MET
    live = met & (valid >= on)
    state = np.where(met & ~live, NOT_MET, leaves).astype(np.int8)
    until = np.where(live, valid, _NEVER).min(axis=0, initial=_NEVER)
    return list(state), until


def _met_until(
    plan: PolicyPlan, leaves: Any, valid: Ints, day: Ints, facts: Mapping[Fact, bool], *, enforce_floor: bool
) -> Ints:
    """:func:`.law.logic.last_day_met` for every column at once: re-decided on each day a count expires.

    *leaves* and *valid* are (counts x rows); each row must be met on its *day*.
    Gives the last day met, ``_NEVER`` for ever.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)

    out = np.full(day.size, _NEVER, np.int64)
    active = np.arange(day.size)
    on = day.copy()
    while active.size:
        state, until = _expired(leaves[:, active], valid[:, active], on)
        met = _decide(plan, state, facts, enforce_floor=enforce_floor).outcome == MET
        stopped = ~met
        out[active[stopped]] = on[stopped] - 1
        going = met & (until < _NEVER)
        on = until[going] + 1
        active = active[going]
    return out


def _periods(  # noqa: PLR0917 (the arrays of one search)
    plan: PolicyPlan,
    leaves: Any,
    valid: Ints,
    first: Ints,
    last: Ints,
    facts: Mapping[Fact, bool],
    *,
    enforce_floor: bool,
) -> tuple[Ints, Ints, Ints]:
    """:func:`.law.logic.periods_met` for every column: (column, first day, last day) of each met stretch."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    columns, starts, ends = [], [], []
    active = np.arange(first.size)
    on = first.copy()
    while active.size:
        state, until = _expired(leaves[:, active], valid[:, active], on)
        met = _decide(plan, state, facts, enforce_floor=enforce_floor).outcome == MET
        end = np.minimum(until, last[active])
        columns.append(active[met])
        starts.append(on[met])
        ends.append(end[met])
        going = end < last[active]
        on = end[going] + 1
        active = active[going]
    return np.concatenate(columns), np.concatenate(starts), np.concatenate(ends)


def _dates(numbers: Ints, base: int) -> list[dt.date | None]:
    """Day numbers as dates, in one conversion; ``_NEVER`` and beyond as ``None``."""
    days = (numbers + (base - _EPOCH)).astype("datetime64[D]")
    out: list[dt.date | None] = days.tolist()
    if (numbers >= _NEVER).any():
        out = [None if n >= _NEVER else d for n, d in zip(numbers.tolist(), out, strict=True)]
    return out


_EPOCH: Final = dt.date(1970, 1, 1).toordinal()


def _standings(  # noqa: PLR0915 (one pass of array steps, kept together)
    columns: Columns, plan: PolicyPlan, valid: Ints, facts: Mapping[Fact, bool], *, enforce_floor: bool
) -> tuple[Standing, ...]:
    """Each reporter's met periods about each matter, from their first report (the law's search).

    For every reporter and every day their matter was reported on, from their
    first report: the counts as they stood that day (the matter's for counts of
    anyone's reports, the reporter's own as of their latest report for the
    rest), re-decided on each day one expires until the matter's next day.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)

    from ..dates import Period  # noqa: PLC0415 (only the standings need it)

    span = columns.span
    made = columns.made
    pair, pair_order, pair_ordered, _, _ = columns._group(victim=True)
    matter, matter_order, matter_ordered, _, _ = columns._group(victim=False)
    if columns.size == 0:
        return ()
    begins = np.flatnonzero(np.r_[True, pair[pair_order][1:] != pair[pair_order][:-1]])
    pair_row = pair_order[begins]
    pair_first = made[pair_row]
    pair_matter = matter[pair_row]
    new_day = np.flatnonzero(np.r_[True, matter_ordered[1:] != matter_ordered[:-1]])
    day_key = matter_ordered[new_day]
    day_row = matter_order[new_day]
    day_of = made[day_row]
    same_next = np.r_[matter[day_row][1:] == matter[day_row][:-1], False]
    day_last = np.where(same_next, np.r_[day_of[1:], 0] - 1, _NEVER)
    low = np.searchsorted(day_key, pair_matter * span + pair_first, "left")
    high = np.searchsorted(day_key, pair_matter * span + span, "left")
    many = high - low
    combo_pair = np.repeat(np.arange(pair_row.size), many)
    combo_day = np.arange(combo_pair.size) - np.repeat(np.cumsum(many) - many, many) + np.repeat(low, many)
    on = day_of[combo_day]
    own = pair_order[np.searchsorted(pair_ordered, combo_pair * span + on, "right") - 1]
    shared = day_row[combo_day]
    held = np.stack([valid[k][own if c.victim else shared] for k, c in enumerate(plan.counts)])
    leaves = np.where(held >= on, MET, NOT_MET).astype(np.int8)
    which, starts, ends = _periods(
        plan, leaves, held, on, day_last[combo_day], facts, enforce_floor=enforce_floor
    )
    # The union of each reporter's stretches: in order of start, a stretch that begins by the day
    # after the latest end so far joins the period before it.
    owner = combo_pair[which]
    by = np.lexsort((starts, owner))
    owner, starts, ends = owner[by], starts[by], ends[by]
    reach = np.maximum.accumulate(owner * (2 * _NEVER) + ends) - owner * (2 * _NEVER)
    opens = np.ones(owner.size, np.bool_)
    if owner.size > 1:
        opens[1:] = (owner[1:] != owner[:-1]) | (starts[1:] > reach[:-1] + 1)
    heads = np.flatnonzero(opens)
    tails = np.r_[heads[1:], owner.size][: heads.size] - 1
    period_owner = owner[heads]
    firsts = _dates(starts[heads], columns.base)
    lasts = [dt.date.max if d is None else d for d in _dates(reach[tails], columns.base)]
    periods: list[list[Period]] = [[] for _ in range(pair_row.size)]
    for who, a, b in zip(period_owner.tolist(), firsts, lasts, strict=True):
        assert a is not None
        periods[who].append(Period(a, b))
    table = columns.table
    reporters, matters = table.reporter, table.matter
    first_days = _dates(pair_first, columns.base)
    found = [
        Standing(reporters[row], matters[row], first, tuple(p))  # type: ignore[arg-type]
        for row, first, p in zip(pair_row.tolist(), first_days, periods, strict=True)
    ]
    # The pure-Python sweep's order: by matter, then by each reporter's first report (day, then id).
    ids = table.id
    first_id: list[str | None] = [None] * len(found)
    for row in np.flatnonzero(made == pair_first[pair]).tolist():
        code = int(pair[row])
        if first_id[code] is None or ids[row] < first_id[code]:  # type: ignore[operator]
            first_id[code] = ids[row]
    rows = pair_row.tolist()
    return tuple(
        found[i]
        for i in sorted(range(len(found)), key=lambda i: (matters[rows[i]], first_days[i], first_id[i]))
    )


@attrs.frozen(eq=False)
class ColumnarSweep:
    """The columnar sweep of one policy: arrays in the table's row order.

    ``met`` and ``policy_met`` are true where met; ``outcome`` and
    ``policy_outcome`` hold 0 (not met), 1 (unknown) or 2 (met); ``route`` is 0
    (not met), 1 (mandatory), 2 (discretionary) or 3 (statutory floor);
    ``rules`` has one column per route of the policy, true where it is met.
    """

    plan: PolicyPlan
    enforce_floor: bool
    met: Any
    policy_met: Any
    route: Any
    rules: Any
    outcome: Any
    """0 not met, 1 unknown (hangs on a fact not supplied), 2 met."""
    policy_outcome: Any
    facts: Mapping[Fact, bool] = attrs.field(factory=dict)
    """The case facts assumed for every application."""

    def valid(self, columns: Columns) -> Ints:
        """(counts x rows): the last day number each count stays met, nothing new reported; -1: not met."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        # Shaped by the counts, not by -1: a table of no rows has no size to infer it from.
        return np.stack([columns.valid_days(c) for c in self.plan.counts]).reshape(
            len(self.plan.counts), columns.size
        )

    def until_days(self, columns: Columns, valid: Ints | None = None) -> Ints:
        """For each row: -1 if not met, else the last day number it stays met (``_NEVER`` and up: always)."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        valid = self.valid(columns) if valid is None else valid
        rows = np.flatnonzero(self.met)
        leaves = np.where(valid[:, rows] >= columns.made[rows], MET, NOT_MET).astype(np.int8)
        until = np.full(columns.size, -1, np.int64)
        until[rows] = _met_until(
            self.plan,
            leaves,
            valid[:, rows],
            columns.made[rows],
            self.facts,
            enforce_floor=self.enforce_floor,
        )
        return until

    def met_until(self, columns: Columns) -> list[dt.date | None]:
        """For each row met: the last day it stays met with nothing new reported (``None``: for ever)."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        until = self.until_days(columns)
        out = _dates(np.where(until < 0, _NEVER, until), columns.base)
        return (
            [None if u < 0 else d for u, d in zip(until.tolist(), out, strict=True)]
            if bool((until < 0).any())
            else out
        )

    def standings(self, columns: Columns, valid: Ints | None = None) -> tuple[Standing, ...]:
        """For each reporter and matter: the periods an application would have been met."""
        return _standings(
            columns,
            self.plan,
            self.valid(columns) if valid is None else valid,
            self.facts,
            enforce_floor=self.enforce_floor,
        )

    def rule_sets(self) -> tuple[Any, tuple[tuple[str, ...], ...]]:
        """A code per row for the rules it matched, and the rules of each code."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        ids = self.plan.rule_ids
        floor = self.route == RouteCode.STATUTORY_FLOOR
        if self.rules.shape[1] < 62:
            packed = self.rules.astype(np.int64) @ (
                np.int64(1) << np.arange(self.rules.shape[1], dtype=np.int64)
            )
            key = np.where(floor, -1, np.where(self.route > 0, packed, -2))
            _, first, codes = np.unique(key, return_index=True, return_inverse=True)
            rows = first.tolist()
        else:  # pragma: no cover - a policy of more than 61 routes
            combined = np.column_stack([self.route == 0, floor, self.rules & (self.route > 0)[:, None]])
            _, first, codes = np.unique(combined, axis=0, return_index=True, return_inverse=True)
            rows = first.tolist()
        sets: list[tuple[str, ...]] = []
        for row in rows:
            if floor[row]:
                sets.append((self.plan.floor_id,))
            elif self.route[row]:
                sets.append(tuple(i for i, f in zip(ids, self.rules[row].tolist(), strict=True) if f))
            else:
                sets.append(())
        return codes.reshape(-1).astype(np.int64), tuple(sets)

    def to_sweep(self, columns: Columns, *, timeline: bool = True) -> Sweep:
        """The same answers as a :class:`~.sweep.Sweep`, held as arrays (*timeline* false: no ``met_until``).

        The Python values of each column, and the standings, are built the first time they are read.
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        table = columns.table
        made: dict[str, Ints] = {}

        def valid() -> Ints:
            found = made.get("valid")
            if found is None:
                found = made["valid"] = self.valid(columns)
            return found

        def until() -> Ints:
            # The days each application stays met, worked out the first time they are read.
            found = made.get("until")
            if found is None:
                found = made["until"] = (
                    self.until_days(columns, valid()) if timeline else np.full(columns.size, -1, np.int64)
                )
            return found

        codes, sets = self.rule_sets()
        pair = columns._group(victim=True)[0] if columns.size else np.zeros(0, np.int64)
        arrays = SweepArrays(
            self.outcome,
            self.policy_outcome,
            self.route,
            codes,
            sets,
            until,
            columns.made,
            columns.base,
            _NEVER,
            pair,
        )
        outcomes = np.array([Outcome.of(code) for code in range(3)], object)
        routes = np.array([route_of(code) for code in range(4)], object)
        matched = np.empty(len(sets), object)
        matched[:] = sets

        def met_until() -> list[dt.date | None]:
            days = until()
            out = _dates(np.where(days < 0, _NEVER, days), columns.base)
            if bool((days < 0).any()):
                out = [None if u < 0 else d for u, d in zip(days.tolist(), out, strict=True)]
            return out

        return Sweep(
            self.plan.policy,
            self.enforce_floor,
            "numpy",
            table.id,
            table.reporter,
            table.matter,
            table.made_on,
            # Each lambda picks its values only when the column is first read.
            lambda: outcomes[self.outcome].tolist(),  # noqa: PLW0108
            lambda: outcomes[self.policy_outcome].tolist(),  # noqa: PLW0108
            lambda: routes[self.route].tolist(),  # noqa: PLW0108
            lambda: matched[codes].tolist(),  # noqa: PLW0108
            met_until,
            (lambda: self.standings(columns, valid())) if timeline else (),
            arrays=arrays,
        )


def sweep_columns(
    columns: Columns,
    policy: Policy,
    *,
    enforce_floor: bool = True,
    facts: Mapping[Fact, bool] | Mapping[str, bool] | None = None,
    floor_reading: FloorReading = FloorReading.POLICY_NUMBER,
) -> ColumnarSweep:
    """Sweep *policy* over *columns*; :class:`~.plan.Unsupported` if it is outside the vocabulary.

    *facts* are case facts assumed for every application, as in :func:`.sweep.sweep`.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)

    assumed = assumed_facts(facts)
    plan = compile_policy(policy, NUMPY, floor_reading=floor_reading)
    leaves = [np.where(columns.count_met(c), MET, NOT_MET).astype(np.int8) for c in plan.counts]
    size = columns.size
    combined = _decide(plan, leaves, assumed, enforce_floor=enforce_floor)
    outcome = np.broadcast_to(combined.outcome, (size,)).astype(np.int8)
    policy_outcome = np.broadcast_to(combined.policy_outcome, (size,)).astype(np.int8)
    route = np.broadcast_to(combined.route, (size,)).astype(np.int8)
    matched = np.column_stack([np.broadcast_to(m, (size,)) for m in combined.matched])
    return ColumnarSweep(
        plan,
        enforce_floor,
        outcome == MET,
        policy_outcome == MET,
        route,
        matched,
        outcome,
        policy_outcome,
        assumed,
    )
