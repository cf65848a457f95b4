"""The eligibility sweep: for every report, whether the threshold would have been met that day.

For each report the sweep answers "had this reporter applied on this day about
this matter, would the threshold have been met, and by which rule?", exactly
as :func:`~asb_case_review.decision.evaluate` answers for the application
:meth:`ReportTable.application <asb_case_review.analysis.table.ReportTable.application>`
builds (the reporter applying, about the report's matter, on the day the
report was made, with every report about the matter).  For each reporter and
matter it also gives the days on which such an application would have been
met: the first day, and each day it stopped being met.

The pure-Python path sorts once and walks each matter in date order keeping,
for every count rule, the most recent distinct units: ``n log n`` overall and
linear in a matter's size.  A policy with a rule outside that vocabulary (see
:mod:`.plan`) is swept with ``evaluate`` itself, report by report.

>>> import datetime as dt
>>> from asb_case_review.analysis.table import reports_from_records
>>> rows = [{"id": f"R{i}", "reporter": "P1", "matter": "M1", "incident": f"I{i}",
...          "began_on": f"2025-0{i}-01", "made_on": f"2025-0{i}-02"} for i in (1, 2, 3)]
>>> from asb_case_review.policy import STATUTORY
>>> result = sweep(reports_from_records(rows), STATUTORY)
>>> [o.value for o in result.outcome]
['not_met', 'not_met', 'met']
>>> result.standings[0].first_met, result.standings[0].stopped
(datetime.date(2025, 3, 2), (datetime.date(2025, 7, 2),))
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Hashable, Iterator, Sequence
from typing import Any, Final

import attrs

from ..dates import Arithmetic, Period, Span, earliest_start, period_last_day
from ..decision import Route, evaluate
from ..models import Report
from ..policy import Policy
from ..qualifying import BehaviourDay
from ..rules import CountUnit, Outcome
from .plan import CountPlan, PolicyPlan, Unsupported, compile_policy
from .table import ReportTable

__all__ = ["Eligibility", "Standing", "Sweep", "sweep"]

_ONE_DAY: Final = dt.timedelta(days=1)


@attrs.frozen
class Eligibility:
    """The answer for one report: had its reporter applied that day about its matter."""

    report: str
    reporter: str
    matter: str
    day: dt.date
    outcome: Outcome
    policy_outcome: Outcome
    """What the policy as written says (``evaluate(..., enforce_floor=False)``)."""
    route: Route | None
    matched: tuple[str, ...]
    met_until: dt.date | None

    @property
    def floor_conflict(self) -> bool:
        """The statutory floor is met but the policy as written is not."""
        return self.route is Route.STATUTORY_FLOOR


@attrs.frozen
class Standing:
    """For one reporter and matter: the days an application would have been met.

    Days are counted from the reporter's first report about the matter.
    ``met`` lists the periods, ``stopped`` the day after each that ends
    (a period with no end is met indefinitely).
    """

    reporter: str
    matter: str
    first_reported: dt.date
    met: tuple[Period, ...]

    @property
    def first_met(self) -> dt.date | None:
        """The first day an application would have been met, if ever."""
        return self.met[0].first if self.met else None

    @property
    def stopped(self) -> tuple[dt.date, ...]:
        """The days on which it stopped being met (none for a period met indefinitely)."""
        return tuple(p.last + _ONE_DAY for p in self.met if p.last < dt.date.max)


@attrs.frozen(eq=False)
class Sweep:
    """The sweep of one policy over a table: columns in the table's row order."""

    policy: Policy
    enforce_floor: bool
    engine: str
    """``python``, ``numpy``, or ``evaluate`` when the policy needed report-by-report evaluation."""
    report: tuple[str, ...]
    reporter: tuple[str, ...]
    matter: tuple[str, ...]
    day: tuple[dt.date, ...]
    outcome: tuple[Outcome, ...]
    policy_outcome: tuple[Outcome, ...]
    route: tuple[Route | None, ...]
    matched: tuple[tuple[str, ...], ...]
    met_until: tuple[dt.date | None, ...]
    standings: tuple[Standing, ...] = ()

    def __len__(self) -> int:
        return len(self.report)

    def __getitem__(self, index: int) -> Eligibility:
        return Eligibility(
            self.report[index],
            self.reporter[index],
            self.matter[index],
            self.day[index],
            self.outcome[index],
            self.policy_outcome[index],
            self.route[index],
            self.matched[index],
            self.met_until[index],
        )

    def __iter__(self) -> Iterator[Eligibility]:
        return (self[i] for i in range(len(self)))

    @property
    def policy_name(self) -> str:
        """The policy id and version, as decisions name it."""
        return f"{self.policy.id}@{self.policy.version}"

    def records(self) -> Iterator[dict[str, Any]]:
        """One plain mapping per report, ready for CSV or JSON."""
        name = self.policy_name
        for e in self:
            yield {
                "report": e.report,
                "reporter": e.reporter,
                "matter": e.matter,
                "day": e.day.isoformat(),
                "policy": name,
                "outcome": e.outcome.value,
                "policy_outcome": e.policy_outcome.value,
                "route": "" if e.route is None else e.route.value,
                "matched": " ".join(e.matched),
                "met_until": "" if e.met_until is None else e.met_until.isoformat(),
                "floor_conflict": e.floor_conflict,
            }

    def standing_records(self) -> Iterator[dict[str, Any]]:
        """One plain mapping per reporter and matter."""
        for s in self.standings:
            yield {
                "reporter": s.reporter,
                "matter": s.matter,
                "policy": self.policy_name,
                "first_reported": s.first_reported.isoformat(),
                "first_met": "" if s.first_met is None else s.first_met.isoformat(),
                "stopped": " ".join(d.isoformat() for d in s.stopped),
                "periods_met": len(s.met),
            }

    def to_dataframe(self) -> Any:
        """The per-report answers as a pandas DataFrame (needs the ``analysis`` extra)."""
        import pandas as pd  # noqa: PLC0415 (optional extra, imported only when asked for)

        return pd.DataFrame.from_records(list(self.records()))


class _Days:
    """Cached window and lag arithmetic: a national year has only a few hundred distinct days."""

    def __init__(self) -> None:
        self.starts: dict[tuple[dt.date, Span, Arithmetic], dt.date] = {}
        self.lasts: dict[tuple[dt.date, Span, Arithmetic], dt.date] = {}

    def start(self, day: dt.date, span: Span, arithmetic: Arithmetic) -> dt.date:
        key = (day, span, arithmetic)
        found = self.starts.get(key)
        if found is None:
            found = self.starts[key] = earliest_start(day, span, arithmetic)
        return found

    def last(self, day: dt.date, span: Span, arithmetic: Arithmetic) -> dt.date:
        key = (day, span, arithmetic)
        found = self.lasts.get(key)
        if found is None:
            found = self.lasts[key] = period_last_day(day, span, arithmetic)
        return found


def _unit_keys(table: ReportTable, unit: CountUnit, behaviour: Sequence[dt.date]) -> Sequence[Hashable]:
    match unit:
        case CountUnit.REPORTS:
            return table.id
        case CountUnit.COMPLAINTS:
            return list(zip(table.reporter, table.incident, strict=True))
        case CountUnit.INCIDENTS:
            return table.incident
        case CountUnit.INCIDENT_DATES:
            return behaviour
        case _:
            return table.reporter


def _behaviour(table: ReportTable, rule: BehaviourDay) -> list[dt.date]:
    if rule is BehaviourDay.FIRST_DAY:
        return list(table.began_on)
    return [
        min(ended or began, made)
        for began, ended, made in zip(table.began_on, table.ended_on, table.made_on, strict=True)
    ]


def _qualifying(table: ReportTable, plan: CountPlan, days: _Days) -> list[bool]:
    """Which rows pass every test of *plan* that does not depend on the application date."""
    ok = [True] * len(table)
    if plan.lag is not None:
        span, arithmetic = plan.lag, plan.lag_arithmetic
        behaviour = _behaviour(table, plan.behaviour_day)
        ok = [
            made <= days.last(b, span, arithmetic) for made, b in zip(table.made_on, behaviour, strict=True)
        ]
    if plan.hate_only:
        ok = [o and h for o, h in zip(ok, table.hate, strict=True)]
    if plan.exclude_kinds:
        excluded = plan.exclude_kinds
        ok = [o and k not in excluded for o, k in zip(ok, table.kind, strict=True)]
    if plan.agencies:
        agencies = plan.agencies
        ok = [o and a in agencies for o, a in zip(ok, table.agency, strict=True)]
    return ok


class _Recent:
    """The most recent distinct units, newest first, and the last day each was reported."""

    __slots__ = ("keys", "last", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.keys: list[Hashable] = []
        self.last: dict[Hashable, dt.date] = {}

    def add(self, key: Hashable, day: dt.date) -> None:
        self.last[key] = day
        keys = self.keys
        if key in keys:
            keys.remove(key)
        keys.insert(0, key)
        if len(keys) > self.size:
            del keys[self.size :]

    def nth(self) -> dt.date | None:
        """The last day of the ``size``-th most recent unit: the count holds while it is in the window."""
        keys = self.keys
        return self.last[keys[-1]] if len(keys) == self.size else None


def _merge(periods: list[list[dt.date | None]], start: dt.date, until: dt.date | None) -> None:
    """Add the met period from *start* to *until* to *periods* (sorted by start)."""
    if periods:
        end = periods[-1][1]
        if end is None or end + _ONE_DAY >= start:
            if end is not None and (until is None or until > end):
                periods[-1][1] = until
            return
    periods.append([start, until])


def _union(
    first: dt.date, a: list[list[dt.date | None]], b: list[list[dt.date | None]]
) -> tuple[Period, ...]:
    """The union of two sorted period lists, from *first* on."""
    at = 0
    # Skip the matter's periods that ended before the reporter's first report.
    while at < len(a) and a[at][1] is not None and a[at][1] < first:  # type: ignore[operator]
        at += 1
    merged: list[list[dt.date | None]] = []
    for start, until in sorted(
        [[max(s, first), u] for s, u in a[at:]] + b,  # type: ignore[type-var]
        key=lambda p: p[0],  # type: ignore[arg-type, return-value]
    ):
        assert start is not None
        _merge(merged, start, until)
    return tuple(Period(s, u if u is not None else dt.date.max) for s, u in merged)  # type: ignore[arg-type]


def _python(  # noqa: PLR0912, PLR0915 (one hot loop, kept whole so that it stays fast)
    table: ReportTable, plan: PolicyPlan, *, enforce_floor: bool
) -> Sweep:
    days = _Days()
    counts = plan.counts
    routes = plan.routes
    # Which plans can make the decision met: the routes, and the floor when it is enforced.
    deciding = [k < routes or (enforce_floor and k == plan.floor) for k in range(len(counts))]
    qualifying = [_qualifying(table, c, days) for c in counts]
    behaviour = _behaviour(table, BehaviourDay.LATEST_ON_OR_BEFORE_REPORT)
    keys = [
        _unit_keys(
            table, c.unit, behaviour if c.behaviour_day is not BehaviourDay.FIRST_DAY else table.began_on
        )
        for c in counts
    ]
    ids = [c.rule_id for c in counts]
    floor_id = ids[plan.floor]
    anyone = [k for k, c in enumerate(counts) if not c.victim]
    victims = [k for k, c in enumerate(counts) if c.victim]

    n = len(table)
    made, matter, reporter = table.made_on, table.matter, table.reporter
    order = sorted(range(n), key=lambda i: (matter[i], made[i], table.id[i]))
    outcome: list[Outcome] = [Outcome.NOT_MET] * n
    policy_outcome: list[Outcome] = [Outcome.NOT_MET] * n
    route: list[Route | None] = [None] * n
    matched: list[tuple[str, ...]] = [()] * n
    met_until: list[dt.date | None] = [None] * n
    interned: dict[tuple[str, ...], tuple[str, ...]] = {}
    standings: list[Standing] = []
    met = [False] * len(counts)
    valid: list[dt.date | None] = [None] * len(counts)

    def assess(k: int, state: _Recent, day: dt.date) -> None:
        nth = state.nth()
        c = counts[k]
        if nth is not None and nth >= days.start(day, c.window, c.window_arithmetic):
            met[k] = True
            valid[k] = days.last(nth, c.window, c.window_arithmetic)
        else:
            met[k] = False
            valid[k] = None

    at = 0
    while at < n:
        # One matter at a time.
        this = matter[order[at]]
        end = at
        while end < n and matter[order[end]] == this:
            end += 1
        shared = [_Recent(counts[k].at_least) for k in range(len(counts))]
        own: dict[str, list[_Recent]] = {}
        matter_periods: list[list[dt.date | None]] = []
        own_periods: dict[str, list[list[dt.date | None]]] = {}
        first_day: dict[str, dt.date] = {}
        pos = at
        while pos < end:
            day = made[order[pos]]
            stop = pos
            while stop < end and made[order[stop]] == day:
                stop += 1
            for i in order[pos:stop]:
                who = reporter[i]
                first_day.setdefault(who, day)
                mine = own.get(who)
                if mine is None:
                    mine = own[who] = [_Recent(counts[k].at_least) for k in range(len(counts))]
                for k in anyone:
                    if qualifying[k][i]:
                        shared[k].add(keys[k][i], day)
                for k in victims:
                    if qualifying[k][i]:
                        mine[k].add(keys[k][i], day)
            for k in anyone:
                assess(k, shared[k], day)
            shared_until = [valid[k] for k in anyone if met[k] and deciding[k]]
            if shared_until:
                _merge(matter_periods, day, max(shared_until))  # type: ignore[type-var]
            seen: set[str] = set()
            for i in order[pos:stop]:
                who = reporter[i]
                mine = own[who]
                for k in victims:
                    assess(k, mine[k], day)
                if who not in seen and victims:
                    seen.add(who)
                    own_until = [valid[k] for k in victims if met[k] and deciding[k]]
                    if own_until:
                        _merge(own_periods.setdefault(who, []), day, max(own_until))  # type: ignore[type-var]
                route_met = any(met[:routes])
                if route_met or (enforce_floor and met[plan.floor]):
                    outcome[i] = Outcome.MET
                    until = [valid[k] for k in range(len(counts)) if met[k] and deciding[k]]
                    met_until[i] = max(until)  # type: ignore[type-var]
                    if route_met:
                        policy_outcome[i] = Outcome.MET
                        route[i] = Route.MANDATORY if met[0] else Route.DISCRETIONARY
                        names = tuple(ids[k] for k in range(routes) if met[k])
                    else:
                        route[i] = Route.STATUTORY_FLOOR
                        names = (floor_id,)
                    matched[i] = interned.setdefault(names, names)
            pos = stop
        for who, first in first_day.items():
            periods = _union(first, matter_periods, own_periods.get(who, []))
            standings.append(Standing(who, this, first, periods))
        at = end

    return Sweep(
        plan.policy,
        enforce_floor,
        "python",
        table.id,
        table.reporter,
        table.matter,
        table.made_on,
        tuple(outcome),
        tuple(policy_outcome),
        tuple(route),
        tuple(matched),
        tuple(met_until),
        tuple(standings),
    )


def _by_evaluate(table: ReportTable, policy: Policy, *, enforce_floor: bool) -> Sweep:
    """The exact but slow path: ``evaluate`` for every report and every matter day."""
    reports = table.to_reports()
    by_matter: dict[str, list[Report]] = {}
    for report in reports:
        by_matter.setdefault(report.incident.matter, []).append(report)
    decisions = []
    for i in range(len(table)):
        application = table.application(
            table.reporter[i], table.matter[i], table.made_on[i], reports=by_matter[table.matter[i]]
        )
        decisions.append(evaluate(application, policy, enforce_floor=enforce_floor))
    standings: list[Standing] = []
    for matter, pool in by_matter.items():
        matter_days = sorted({r.made_on for r in pool})
        firsts: dict[str, dt.date] = {}
        for r in sorted(pool, key=lambda r: r.made_on):
            firsts.setdefault(r.reporter, r.made_on)
        for who, first in firsts.items():
            periods: list[list[dt.date | None]] = []
            for day in matter_days[bisect.bisect_left(matter_days, first) :]:
                decision = evaluate(
                    table.application(who, matter, day, reports=pool), policy, enforce_floor=enforce_floor
                )
                if decision.met:
                    _merge(periods, day, decision.met_until)
            standings.append(Standing(who, matter, first, _union(first, periods, [])))
    return Sweep(
        policy,
        enforce_floor,
        "evaluate",
        table.id,
        table.reporter,
        table.matter,
        table.made_on,
        tuple(d.outcome for d in decisions),
        tuple(d.policy_outcome for d in decisions),
        tuple(d.route for d in decisions),
        tuple(d.matched for d in decisions),
        tuple(d.met_until for d in decisions),
        tuple(standings),
    )


def sweep(table: ReportTable, policy: Policy, *, enforce_floor: bool = True) -> Sweep:
    """Sweep *policy* over every report of *table* (pure Python; see the module documentation).

    With *enforce_floor* false the outcome is the policy as written; either
    way ``policy_outcome`` is what the policy as written says.
    """
    try:
        plan = compile_policy(policy)
    except Unsupported:
        return _by_evaluate(table, policy, enforce_floor=enforce_floor)
    return _python(table, plan, enforce_floor=enforce_floor)
