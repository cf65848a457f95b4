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
from typing import TYPE_CHECKING, Any

import attrs

from ..dates import Arithmetic, Span, earliest_start, period_last_day
from ..decision import Route
from ..models import Agency, Fact
from ..policy import Policy
from ..qualifying import BehaviourDay, DateOf
from ..rules import CountUnit, Outcome
from .plan import MET, NOT_MET, CountPlan, Expr, PolicyPlan, compile_policy, value
from .sweep import Sweep
from .table import ReportTable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

__all__ = ["ColumnarSweep", "Columns", "sweep_columns"]

_ROUTES = (None, Route.MANDATORY, Route.DISCRETIONARY, Route.STATUTORY_FLOOR)


def _codes(values: Sequence[Any]) -> Ints:
    import numpy as np  # noqa: PLC0415 (optional extra)

    index: dict[Any, int] = {}
    return np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))


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


class Columns:
    """A report table encoded for the columnar sweep; build once, sweep many policies.

    It keeps caches of the sort orders and window positions the sweeps of
    several policies share; it is not meant to be shared between threads
    while they are being filled.
    """

    def __init__(self, table: ReportTable) -> None:
        import numpy as np  # noqa: PLC0415 (optional extra)

        self.table = table
        n = len(table)
        self.size = n
        base = min(table.began_on, default=dt.date(2000, 1, 1)).toordinal() - 2
        self.base = base
        self.made: Ints = np.fromiter((d.toordinal() - base for d in table.made_on), np.int64, n)
        self.began: Ints = np.fromiter((d.toordinal() - base for d in table.began_on), np.int64, n)
        self.ended: Ints = np.fromiter(
            (self.began[i] if d is None else d.toordinal() - base for i, d in enumerate(table.ended_on)),
            np.int64,
            n,
        )
        self.matter = _codes(table.matter)
        self.reporter = _codes(table.reporter)
        self.incident = _codes(table.incident)
        self.hate: Bools = np.fromiter(table.hate, np.bool_, n)
        self.kinds = {k: i for i, k in enumerate(dict.fromkeys(table.kind))}
        self.kind = np.fromiter((self.kinds[k] for k in table.kind), np.int64, n)
        agencies = list(Agency)
        self.agency = np.fromiter((agencies.index(a) for a in table.agency), np.int64, n)
        self.span = int(self.made.max(initial=0)) + 1
        self._cache: dict[Any, Any] = {}

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
        import numpy as np  # noqa: PLC0415 (optional extra)

        if rule is BehaviourDay.FIRST_DAY:
            return self.began
        return np.minimum(self.ended, self.made)

    def _key_order(self, unit: CountUnit, rule: BehaviourDay, *, victim: bool) -> tuple[Ints, Ints]:
        """Rows ordered by (group, unit, day), with a code equal exactly for the same group and unit.

        Rules share these orders where their keys coincide: counting complaints
        (reporter and incident) in a matter sorts like counting a victim's own
        incidents, and counting reporters sorts like grouping by reporter.
        """
        import numpy as np  # noqa: PLC0415 (optional extra)

        if unit is CountUnit.REPORTS:
            # Every report is its own unit: no two are ever the same, in any order.
            _, order, _, _, _ = self._group(victim=victim)
            return order, np.arange(self.size, dtype=np.int64)
        if unit is CountUnit.REPORTERS:
            by_reporter, order, _, _, _ = self._group(victim=True)
            return order, by_reporter
        # An incident belongs to one matter (the table checks it), so keys that name the
        # incident need no matter: complaints (reporter and incident) in a matter, and a
        # victim's own incidents, both sort by incident and reporter, and share one order.
        if unit is CountUnit.INCIDENTS and not victim:
            key: tuple[object, ...] = ("keys", "incident")
        elif unit is CountUnit.INCIDENT_DATES:
            key = ("keys", "dates", victim, rule)
        else:
            key = ("keys", "incident-reporter")
        found = self._cache.get(key)
        if found is None:
            if key[1] == "incident":
                combined = self.incident
            elif key[1] == "dates":
                group = self._group(victim=victim)[0]
                extra = self._behaviour(rule)
                combined = group * (int(extra.max(initial=0)) + 1) + extra
            else:
                combined = self.incident * (int(self.reporter.max(initial=0)) + 1) + self.reporter
            # Codes are dense (below a million each for a national year), so the combined code
            # times the day range stays far inside int64.  Rows tied on unit and day may come
            # in any order: they fall in the same day's prefix sum either way.
            order = np.argsort(combined * self.span + self.made)
            found = self._cache[key] = (order, combined)
        return found

    def qualifying(self, plan: CountPlan) -> Bools:
        """Which rows pass the rule's tests that do not depend on the application date."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        ok = np.ones(self.size, np.bool_)
        if plan.lag is not None:
            behaviour = self._behaviour(plan.behaviour_day)
            ok &= self.made <= self._days(plan.lag, plan.lag_arithmetic, backward=False)[behaviour]
        if plan.hate_only:
            ok &= self.hate
        if plan.exclude_kinds:
            excluded = [self.kinds[k] for k in plan.exclude_kinds if k in self.kinds]
            ok &= ~np.isin(self.kind, excluded)
        if plan.agencies:
            agencies = list(Agency)
            ok &= np.isin(self.agency, [agencies.index(a) for a in plan.agencies])
        return ok

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
        keyed, combined = self._key_order(plan.unit, plan.behaviour_day, victim=plan.victim)
        events = keyed[ok[keyed]]
        last = self._days(plan.window, plan.window_arithmetic, backward=False)
        # No day asked about lies beyond the last day made, so later ends are cut there.
        ends = np.minimum(last[self._behaviour(plan.behaviour_day)[events]], self.span - 1)
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

    def count_met(self, plan: CountPlan) -> Bools:
        """For each row: whether *plan*'s count is met had its reporter applied on its day."""
        import numpy as np  # noqa: PLC0415 (optional extra)

        ok = self.qualifying(plan)
        if plan.date_of is DateOf.INCIDENT:
            return self._count_met_by_behaviour_day(plan, ok)
        _, order, _, start, end = self._group(victim=plan.victim)
        keyed, combined = self._key_order(plan.unit, plan.behaviour_day, victim=plan.victim)
        events = keyed[ok[keyed]]
        last = self._days(plan.window, plan.window_arithmetic, backward=False)
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
        lo = self._window_start(plan.window, plan.window_arithmetic, victim=plan.victim)
        counted = first[end] - first[start] - (kept[lo] - kept[start])
        met = np.empty(self.size, np.bool_)
        met[order] = counted >= plan.at_least
        return met


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

    def to_sweep(self, columns: Columns) -> Sweep:
        """The same answers as a :class:`~.sweep.Sweep` (``met_until`` and standings left empty)."""
        ids = self.plan.rule_ids
        floor_id = self.plan.floor_id
        table = columns.table
        named: dict[tuple[bool, ...], tuple[str, ...]] = {}
        matched: list[tuple[str, ...]] = []
        route_codes = self.route.tolist()
        floor_code = _ROUTES.index(Route.STATUTORY_FLOOR)
        for code, flags in zip(route_codes, self.rules.tolist(), strict=True):
            if code == floor_code:
                matched.append((floor_id,))
            elif code:
                key = tuple(flags)
                found = named.get(key)
                if found is None:
                    found = named[key] = tuple(i for i, f in zip(ids, key, strict=True) if f)
                matched.append(found)
            else:
                matched.append(())
        outcomes = (Outcome.NOT_MET, Outcome.UNKNOWN, Outcome.MET)
        return Sweep(
            self.plan.policy,
            self.enforce_floor,
            "numpy",
            table.id,
            table.reporter,
            table.matter,
            table.made_on,
            tuple(outcomes[c] for c in self.outcome.tolist()),
            tuple(outcomes[c] for c in self.policy_outcome.tolist()),
            tuple(_ROUTES[c] for c in route_codes),
            tuple(matched),
            (None,) * len(table),
        )


def _codes_of(expr: Expr, leaves: Any, facts: Mapping[Fact, bool]) -> Any:
    """The outcome codes (0 not met, 1 unknown, 2 met) of *expr* for every row, or one code for all."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    kind = expr[0]
    if kind == "count":
        return leaves[expr[1]]
    if kind == "fact":
        return value(expr, [], facts)
    if kind == "not":
        return MET - _codes_of(expr[1], leaves, facts)
    parts = [_codes_of(e, leaves, facts) for e in expr[1]]
    combine = np.minimum if kind == "all" else np.maximum
    result = parts[0]
    for part in parts[1:]:
        result = combine(result, part)
    return result


def sweep_columns(
    columns: Columns,
    policy: Policy,
    *,
    enforce_floor: bool = True,
    facts: Mapping[Fact, bool] | Mapping[str, bool] | None = None,
) -> ColumnarSweep:
    """Sweep *policy* over *columns*; :class:`~.plan.Unsupported` if it is outside the vocabulary.

    *facts* are case facts assumed for every application, as in :func:`.sweep.sweep`.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)

    from .sweep import _facts  # noqa: PLC0415 (shared checking of the assumed facts)

    assumed = _facts(facts)
    plan = compile_policy(policy)
    rules = np.column_stack([columns.count_met(c) for c in plan.counts])
    leaves = [np.where(rules[:, k], MET, NOT_MET).astype(np.int8) for k in range(len(plan.counts))]
    size = columns.size
    mandatory = np.broadcast_to(_codes_of(plan.mandatory, leaves, assumed), (size,))
    local = [np.broadcast_to(_codes_of(e, leaves, assumed), (size,)) for e in plan.local]
    gate = np.full(size, MET, np.int8)
    for e in plan.conditions:
        gate = np.minimum(gate, _codes_of(e, leaves, assumed))
    routes = mandatory
    for part in local:
        routes = np.maximum(routes, part)
    policy_outcome = np.minimum(gate, routes).astype(np.int8)
    policy_met = policy_outcome == MET
    floor = rules[:, plan.floor] & enforce_floor
    met = policy_met | floor
    outcome = np.where(policy_met | floor, MET, policy_outcome).astype(np.int8)
    route = np.where(policy_met, np.where(mandatory == MET, 1, 2), np.where(floor, 3, 0)).astype(np.int8)
    matched = np.column_stack([mandatory == MET, *(part == MET for part in local)])
    return ColumnarSweep(plan, enforce_floor, met, policy_met, route, matched, outcome, policy_outcome)
