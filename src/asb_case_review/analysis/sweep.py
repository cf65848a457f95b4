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
>>> from asb_case_review.catalogue import STATUTORY
>>> result = sweep(reports_from_records(rows), STATUTORY)
>>> [o.value for o in result.outcome]
['not_met', 'not_met', 'met']
>>> result.standings[0].first_met, result.standings[0].stopped
(datetime.date(2025, 3, 2), (datetime.date(2025, 7, 2),))
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib.util
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any, Final, Literal, assert_never

import attrs

from ..dates import Arithmetic, Period, Span, earliest_start, period_last_day
from ..decision import Route, evaluate, route_of
from ..errors import InvalidInput, InvalidPolicy
from ..law import reports as law
from ..law.floor import FloorReading
from ..law.logic import (
    SCALAR,
    AnyNode,
    CountLeaf,
    Node,
    Outcome,
    last_day_any_met,
    last_day_met,
    leaves_of,
    periods_met,
    value,
)
from ..law.reports import BehaviourDay, DateOf, KeyField
from ..models import Application, Fact, Report
from ..policy import Policy
from ..qualifying import Lag
from .plan import MET, NOT_MET, PYTHON, CountPlan, LatestUnits, PolicyPlan, Unsupported, compile_policy
from .table import ReportTable

__all__ = [
    "Eligibility",
    "EngineChoice",
    "Standing",
    "Sweep",
    "SweepArrays",
    "assumed_facts",
    "numpy_installed",
    "sweep",
]

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
        """The statutory floor decided where the policy as written says not met.

        Where the policy as written is undetermined (a fact not supplied), the floor still
        decides, but that is no conflict (``Decision`` gives it a notice of its own).
        """
        return self.route is Route.STATUTORY_FLOOR and self.policy_outcome is Outcome.NOT_MET


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
class SweepArrays:
    """A sweep's answers as numpy arrays, in the table's row order (what the numpy engine computes).

    ``outcome`` and ``policy_outcome`` hold 0 (not met), 1 (unknown) or 2
    (met); ``route`` 0 (none), 1 (mandatory), 2 (discretionary) or 3
    (statutory floor); ``matched`` a code into ``rule_sets``; ``met_until`` and
    ``day`` day numbers from ``base`` (``met_until`` -1 where not met, and
    ``never`` or more where met for ever); ``pair`` one code per reporter and
    matter.  ``met_until`` may be given as a function making the array: it is
    then made the first time it is read (an analyst who asks only whether
    each application is met does not pay for the days it stays met).
    """

    outcome: Any
    policy_outcome: Any
    route: Any
    matched: Any
    rule_sets: tuple[tuple[str, ...], ...]
    _met_until: Any = attrs.field(alias="met_until")
    day: Any
    base: int
    never: int
    pair: Any
    _made: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def met_until(self) -> Any:
        """Day numbers: the last day each application stays met (-1: not met; ``never`` and up: for ever)."""
        value = self._met_until
        if not callable(value):
            return value
        found = self._made.get("met_until")
        if found is None:
            # Made once; two threads racing here make equal arrays, and either is kept.
            found = self._made["met_until"] = value()
        return found

    def floor_conflict(self, rows: Any = slice(None)) -> Any:
        """Whether the statutory floor decided each of *rows* where the policy as written says not met."""
        return (self.route[rows] == 3) & (self.policy_outcome[rows] == 0)


_Lazy = tuple[Any, ...] | Callable[[], Sequence[Any]]


@attrs.frozen(eq=False)
class Sweep:
    """The sweep of one policy over a table: columns in the table's row order.

    When the numpy engine ran, the answers are held as arrays (``arrays``)
    and each column of Python values is built the first time it is read; the
    summaries of :mod:`.compare` and :meth:`to_dataframe` read the arrays.
    """

    policy: Policy
    enforce_floor: bool
    engine: str
    """``python``, ``numpy``, or ``evaluate`` when the policy needed report-by-report evaluation."""
    report: tuple[str, ...]
    reporter: tuple[str, ...]
    matter: tuple[str, ...]
    day: tuple[dt.date, ...]
    _outcome: _Lazy = attrs.field(alias="outcome")
    _policy_outcome: _Lazy = attrs.field(alias="policy_outcome")
    _route: _Lazy = attrs.field(alias="route")
    _matched: _Lazy = attrs.field(alias="matched")
    _met_until: _Lazy = attrs.field(alias="met_until")
    _standings: _Lazy = attrs.field(default=(), alias="standings")
    arrays: SweepArrays | None = attrs.field(default=None, kw_only=True, repr=False)
    """The answers as arrays, when the numpy engine computed them."""
    _built: dict[str, tuple[Any, ...]] = attrs.field(factory=dict, init=False, repr=False)

    def _column(self, name: str) -> tuple[Any, ...]:
        value = getattr(self, f"_{name}")
        if not callable(value):
            return value  # type: ignore[no-any-return]
        found = self._built.get(name)
        if found is None:
            # Built once; two threads racing here build equal tuples, and either is kept.
            found = self._built[name] = tuple(value())
        return found

    @property
    def outcome(self) -> tuple[Outcome, ...]:
        """Each application's outcome (the statutory floor enforced unless ``enforce_floor`` is false)."""
        return self._column("outcome")

    @property
    def policy_outcome(self) -> tuple[Outcome, ...]:
        """What the policy as written says of each application."""
        return self._column("policy_outcome")

    @property
    def route(self) -> tuple[Route | None, ...]:
        """The route by which each application is met, if it is."""
        return self._column("route")

    @property
    def matched(self) -> tuple[tuple[str, ...], ...]:
        """The rules each application matched."""
        return self._column("matched")

    @property
    def met_until(self) -> tuple[dt.date | None, ...]:
        """For each application met, the last day it stays met with nothing new reported."""
        return self._column("met_until")

    @property
    def standings(self) -> tuple[Standing, ...]:
        """For each reporter and matter, the periods an application would have been met."""
        return self._column("standings")

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
        columns = self.text_columns()
        names = list(columns)
        for values in zip(*columns.values(), strict=True):
            yield dict(zip(names, values, strict=True))

    def text_columns(self, start: int = 0, stop: int | None = None) -> dict[str, Sequence[Any]]:
        """The columns of :meth:`records` for rows *start* to *stop*, each built in one go.

        When numpy ran they are made from the arrays, so a writer can take a
        national year a block of rows at a time.
        """
        rows = slice(start, len(self) if stop is None else min(stop, len(self)))
        if self.arrays is not None:
            return {
                "report": self.report[rows],
                "reporter": self.reporter[rows],
                "matter": self.matter[rows],
                **self.answer_columns(rows),
            }
        n = len(range(*rows.indices(len(self))))
        outcome = [o.value for o in self.outcome[rows]]
        policy_outcome = [o.value for o in self.policy_outcome[rows]]
        route = ["" if r is None else r.value for r in self.route[rows]]
        matched = [" ".join(m) for m in self.matched[rows]]
        met_until = ["" if d is None else d.isoformat() for d in self.met_until[rows]]
        days = [d.isoformat() for d in self.day[rows]]
        conflict = [self[i].floor_conflict for i in range(*rows.indices(len(self)))]
        return {
            "report": self.report[rows],
            "reporter": self.reporter[rows],
            "matter": self.matter[rows],
            "day": days,
            "policy": [self.policy_name] * n,
            "outcome": outcome,
            "policy_outcome": policy_outcome,
            "route": route,
            "matched": matched,
            "met_until": met_until,
            "floor_conflict": conflict,
        }

    def answer_columns(self, rows: Any) -> dict[str, list[Any]]:
        """The columns of :meth:`text_columns` after the report, reporter and matter, for *rows*.

        *rows* is a slice or an array of row positions; the columns are made from
        the arrays (:class:`ValueError` when the numpy engine did not run).
        """
        a = self.arrays
        if a is None:
            raise ValueError("the answers are arrays only when the numpy engine ran")
        import numpy as np  # noqa: PLC0415 (the arrays are numpy's)

        words = np.array([Outcome.of(c).value for c in range(3)], object)
        routes = np.array(["", *(r.value for r in map(route_of, range(1, 4)) if r is not None)], object)
        outcome = a.outcome[rows]
        return {
            "day": _iso(a.day[rows], a.base, a.never),
            "policy": [self.policy_name] * len(outcome),
            "outcome": words[outcome].tolist(),
            "policy_outcome": words[a.policy_outcome[rows]].tolist(),
            "route": routes[a.route[rows]].tolist(),
            "matched": np.array([" ".join(m) for m in a.rule_sets], object)[a.matched[rows]].tolist(),
            "met_until": _iso(a.met_until[rows], a.base, a.never),
            "floor_conflict": a.floor_conflict(rows).tolist(),
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
        """The per-report answers as a pandas DataFrame, built a column at a time (the ``analysis`` extra)."""
        import pandas as pd  # noqa: PLC0415 (optional extra, imported only when asked for)

        return pd.DataFrame(self.text_columns())


def _iso(numbers: Any, base: int, never: int) -> list[str]:
    """Day numbers as ``YYYY-MM-DD`` in one conversion; negative or ``never`` and beyond as ``""``."""
    import numpy as np  # noqa: PLC0415 (the arrays are numpy's)

    epoch = dt.date(1970, 1, 1).toordinal()
    known = (numbers >= 0) & (numbers < never)
    text = np.datetime_as_string((np.where(known, numbers, 0) + (base - epoch)).astype("datetime64[D]"))
    out = text.astype(object)
    out[~known] = ""
    return out.tolist()  # type: ignore[no-any-return]


class _Days:
    """Cached window and lag arithmetic: a national year has only a few hundred distinct days."""

    def __init__(self) -> None:
        self.starts: dict[tuple[dt.date, Span, Arithmetic], dt.date] = {}
        self.lasts: dict[tuple[dt.date, Span, Arithmetic], dt.date] = {}
        self.lags: dict[tuple[dt.date, Lag], dt.date] = {}

    def lag(self, behaviour: dt.date, lag: Lag) -> dt.date:
        key = (behaviour, lag)
        found = self.lags.get(key)
        if found is None:
            found = self.lags[key] = law.lag_last_day(lag, behaviour)
        return found

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


def _key_column(table: ReportTable, field: KeyField, behaviour: Sequence[dt.date]) -> Sequence[Hashable]:
    match field:
        case KeyField.REPORT:
            return table.id
        case KeyField.REPORTER:
            return table.reporter
        case KeyField.INCIDENT:
            return table.incident
        case KeyField.BEHAVIOUR_DAY:
            return behaviour
        case KeyField.HOUSEHOLD:
            return table.household
        case _:  # pragma: no cover - exhaustive
            assert_never(field)


def _unit_keys(table: ReportTable, plan: CountPlan, behaviour: Sequence[dt.date]) -> Sequence[Hashable]:
    """Each row's unit under *plan*, made of the fields the law says the unit is (``law.UNITS``)."""
    columns = [_key_column(table, field, behaviour) for field in plan.spec.fields]
    return columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))


def _behaviour(table: ReportTable, rule: BehaviourDay) -> list[dt.date]:
    return [
        law.behaviour_day(rule, began, ended, made)
        for began, ended, made in zip(table.began_on, table.ended_on, table.made_on, strict=True)
    ]


def _qualifying(table: ReportTable, plan: CountPlan, days: _Days) -> list[bool]:
    """Which rows pass every test of *plan* that does not depend on the application date (the law's tests).

    Under a lag that binds only the first report counted, the lag is not one of them
    (:func:`_first_lag` applies it).
    """
    selection = plan.selection
    ok = [True] * len(table)
    lag = selection.lag
    if lag is not None and law.binds_every(lag.applies_to):
        behaviour = _behaviour(table, selection.behaviour_day)
        ok = [made <= days.lag(b, lag) for made, b in zip(table.made_on, behaviour, strict=True)]
    for screen in law.screens(selection):
        admits = screen.admits
        ok = [o and admits(v) for o, v in zip(ok, getattr(table, screen.column), strict=True)]
    return ok


def _first_lag(
    table: ReportTable, plan: CountPlan, days: _Days, ok: list[bool], dated: Sequence[dt.date]
) -> tuple[list[bool], list[dt.date]]:
    """Under a lag binding only the first report counted: which rows can count, and each one's day.

    Along each group (the matter, or the victim's own reports about it) in the law's order,
    a row counts while the window holds the day :func:`.law.reports.held_days` gives it.
    """
    lag = plan.selection.lag
    assert lag is not None  # the caller's test
    behaviour = _behaviour(table, plan.selection.behaviour_day)
    made, matter, reporter = table.made_on, table.matter, table.reporter
    late = {i: made[i] > days.lag(behaviour[i], lag) for i in range(len(table)) if ok[i]}
    groups: dict[Hashable, list[int]] = {}
    for i in sorted(late, key=lambda i: (matter[i], made[i], table.id[i])):
        groups.setdefault((matter[i], reporter[i]) if plan.victim else matter[i], []).append(i)
    counts = [False] * len(table)
    held_dated = list(dated)
    for rows in groups.values():
        read = law.held_days([late[i] for i in rows], [dated[i] for i in rows], [made[i] for i in rows])
        for i, held in zip(rows, read, strict=True):
            if held is not None:
                counts[i] = True
                held_dated[i] = held
    return counts, held_dated


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


def _separable(plan: PolicyPlan, *, enforce_floor: bool) -> tuple[list[Node], list[Node]] | None:
    """The routes that count anyone's reports and those that count the reporter's own, if they split.

    When every rule is monotone (:attr:`.PolicyPlan.monotone`), the policy has
    no conditions and no route mixes the two, an application is met exactly
    when an "anyone" route or a "your own reports" route is met, and a
    reporter's met days are the union of the matter's and their own.
    """
    if plan.conditions or not plan.monotone:
        return None
    trees = [plan.mandatory, *plan.local]
    if enforce_floor:
        trees.append(CountLeaf(plan.floor))
    shared: list[Node] = []
    own: list[Node] = []
    for tree in trees:
        kinds = {plan.counts[k].victim for k in leaves_of(tree)}
        if len(kinds) > 1:
            return None
        (own if kinds == {True} else shared).append(tree)
    return shared, own


_Until = tuple[bool, dt.date | None]


class _Decider:
    """The law's decision for each pattern of count outcomes, made once per pattern.

    In a sweep the case facts are the same for every row, so a decision depends
    only on which counts are met: a policy of *k* counts has at most ``2**k``
    patterns, and each is decided once by :meth:`.PolicyPlan.decide`.
    """

    def __init__(self, plan: PolicyPlan, facts: Mapping[Fact, bool], *, enforce_floor: bool) -> None:
        self.plan = plan
        self.facts = facts
        self.enforce_floor = enforce_floor
        self.decided: dict[tuple[int, ...], tuple[Outcome, Outcome, Route | None, tuple[str, ...]]] = {}
        self.any_met: dict[tuple[tuple[int, ...], int], bool] = {}
        # Reports on one day of a matter mostly share their counts' state: each search is made once.
        self.until: dict[
            tuple[int, tuple[int, ...], tuple[dt.date | None, ...]], tuple[bool, dt.date | None]
        ] = {}
        self.counts_only: list[list[int] | None] = [None, None]
        # With no conditions and every route one count, a decision is the disjunction of the routes'
        # counts and (when enforced) the floor's: the law's shortcut for it gives the day it stops.
        trees = [plan.mandatory, *plan.local]
        self.or_counts: list[int] | None = None
        if not plan.conditions and all(isinstance(t, CountLeaf) for t in trees):
            self.or_counts = [t.index for t in trees if isinstance(t, CountLeaf)]
            if enforce_floor:
                self.or_counts.append(plan.floor)

    def split(self, sides: tuple[Node, Node] | None) -> None:
        """The split policy's two sides, noting those made only of counts (``any_of`` counts)."""
        self.counts_only = [None, None]
        for index, tree in enumerate(sides or ()):
            parts = tree.parts if isinstance(tree, AnyNode) else (tree,)
            if all(isinstance(p, CountLeaf) for p in parts):
                self.counts_only[index] = [p.index for p in parts if isinstance(p, CountLeaf)]

    def new_matter(self) -> None:
        """Forget the searches of the matter before (their states do not come back)."""
        self.until.clear()

    def decide(self, leaves: Sequence[int]) -> tuple[Outcome, Outcome, Route | None, tuple[str, ...]]:
        key = tuple(leaves)
        found = self.decided.get(key)
        if found is None:
            result, as_written, by, names = self.plan.decide(
                leaves, self.facts, enforce_floor=self.enforce_floor
            )
            found = self.decided[key] = (Outcome.of(result), Outcome.of(as_written), route_of(by), names)
        return found

    def met_until(
        self, leaves: Sequence[int], valid: Sequence[dt.date | None], day: dt.date
    ) -> dt.date | None:
        """The last day a decision met on *day* stays met (the law's search, decisions cached)."""
        if self.or_counts is not None:
            held = (valid[k] for k in self.or_counts if leaves[k] == MET)
            return last_day_any_met(v for v in held if v is not None)
        key = (-1, tuple(leaves), tuple(valid))
        found = self.until.get(key)
        if found is None:
            run = _Expiring(leaves, valid, lambda state: self.decide(state)[0] is Outcome.MET)
            found = self.until[key] = (True, last_day_met(run, day))
        return found[1]

    def side_met(self, side: int, tree: Node, leaves: Sequence[int]) -> bool:
        key = (tuple(leaves), side)
        found = self.any_met.get(key)
        if found is None:
            found = self.any_met[key] = value(tree, leaves, self.facts, SCALAR) == MET
        return found

    def side_until(
        self, side: int, tree: Node, leaves: Sequence[int], valid: Sequence[dt.date | None], day: dt.date
    ) -> tuple[bool, dt.date | None]:
        """Whether one side of a split policy is met on *day*, and the last day it stays met."""
        if not self.side_met(side, tree, leaves):
            return False, None
        counts = self.counts_only[side]
        if counts is not None:
            # A side made only of counts is their disjunction: the law's shortcut for it.
            return True, last_day_any_met(
                v for k in counts if leaves[k] == MET and (v := valid[k]) is not None
            )
        key = (side, tuple(leaves), tuple(valid))
        found = self.until.get(key)
        if found is None:
            run = _Expiring(leaves, valid, lambda state: self.side_met(side, tree, state))
            found = self.until[key] = (True, last_day_met(run, day))
        return found


class _Expiring:
    """The counts' outcomes as days pass with nothing new reported, for ``law.logic.last_day_met``.

    On each day asked, a met count holds until its ``valid`` day and is not met after it; the
    next change is the earliest ``valid`` day still to come.  Worked out incrementally: the law's
    search asks about later and later days, and each met count expires once, after its last day.
    """

    __slots__ = ("at", "decide", "order", "state")

    def __init__(
        self,
        leaves: Sequence[int],
        valid: Sequence[dt.date | None],
        decide: Callable[[list[int]], bool],
    ) -> None:
        self.state = [
            NOT_MET if leaf == MET and v is None else leaf for leaf, v in zip(leaves, valid, strict=True)
        ]
        self.order = sorted(
            (v, k)
            for k, (leaf, v) in enumerate(zip(leaves, valid, strict=True))
            if leaf == MET and v is not None
        )
        self.at = 0
        self.decide = decide

    def __call__(self, on: dt.date) -> tuple[bool, dt.date | None]:
        order, state = self.order, self.state
        while self.at < len(order) and order[self.at][0] < on:
            state[order[self.at][1]] = NOT_MET
            self.at += 1
        return self.decide(state), (order[self.at][0] if self.at < len(order) else None)


def _python(  # noqa: PLR0912, PLR0915 (one hot loop, kept whole so that it stays fast)
    table: ReportTable, plan: PolicyPlan, facts: Mapping[Fact, bool], *, enforce_floor: bool
) -> Sweep:
    days = _Days()
    counts = plan.counts
    size = len(counts)
    qualifying = [_qualifying(table, c, days) for c in counts]
    rules = {c.selection.behaviour_day for c in counts}
    behaviour = {rule: _behaviour(table, rule) for rule in rules}
    keys = [_unit_keys(table, c, behaviour[c.selection.behaviour_day]) for c in counts]
    # The date each count's window tests: the day made, or the day of the behaviour.
    dated = [
        table.made_on if c.selection.window.date_of is DateOf.REPORT else behaviour[c.selection.behaviour_day]
        for c in counts
    ]
    for k, c in enumerate(counts):
        lag = c.selection.lag
        if lag is not None and not law.binds_every(lag.applies_to):
            qualifying[k], dated[k] = _first_lag(table, c, days, qualifying[k], dated[k])
    windows = [(c.selection.window.span, c.selection.window.arithmetic) for c in counts]
    anyone = [k for k, c in enumerate(counts) if not c.victim]
    victims = [k for k, c in enumerate(counts) if c.victim]
    split = _separable(plan, enforce_floor=enforce_floor)
    sides = None if split is None else (AnyNode(tuple(split[0])), AnyNode(tuple(split[1])))
    decider = _Decider(plan, facts, enforce_floor=enforce_floor)
    decider.split(sides)

    n = len(table)
    made, matter, reporter = table.made_on, table.matter, table.reporter
    order = sorted(range(n), key=lambda i: (matter[i], made[i], table.id[i]))
    outcome: list[Outcome] = [Outcome.NOT_MET] * n
    policy_outcome: list[Outcome] = [Outcome.NOT_MET] * n
    route: list[Route | None] = [None] * n
    matched: list[tuple[str, ...]] = [()] * n
    met_until: list[dt.date | None] = [None] * n
    standings: list[Standing] = []
    leaves = [NOT_MET] * size
    valid: list[dt.date | None] = [None] * size

    def assess(k: int, nth: dt.date | None, day: dt.date) -> None:
        span, arithmetic = windows[k]
        if nth is not None and nth >= days.start(day, span, arithmetic):
            leaves[k] = MET
            valid[k] = days.last(nth, span, arithmetic)
        else:
            leaves[k] = NOT_MET
            valid[k] = None

    at = 0
    while at < n:
        # One matter at a time.
        this = matter[order[at]]
        end = at
        while end < n and matter[order[end]] == this:
            end += 1
        decider.new_matter()
        shared: list[LatestUnits[Hashable, dt.date]] = [LatestUnits(c.at_least) for c in counts]
        own: dict[str, list[LatestUnits[Hashable, dt.date]]] = {}
        first_day: dict[str, dt.date] = {}
        matter_periods: list[list[dt.date | None]] = []
        own_periods: dict[str, list[list[dt.date | None]]] = {}
        # For policies that do not split: the latest date of each count's nth unit, by day.
        history: list[tuple[dt.date, list[dt.date | None]]] = []
        own_history: dict[str, list[tuple[dt.date, list[dt.date | None]]]] = {}
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
                    mine = own[who] = [LatestUnits(c.at_least) for c in counts]
                for k in anyone:
                    if qualifying[k][i]:
                        shared[k].add(keys[k][i], dated[k][i])
                for k in victims:
                    if qualifying[k][i]:
                        mine[k].add(keys[k][i], dated[k][i])
            for k in anyone:
                assess(k, shared[k].nth(), day)
            if sides is not None:
                met, until = decider.side_until(0, sides[0], leaves, valid, day)
                if met:
                    _merge(matter_periods, day, until)
            else:
                history.append((day, [shared[k].nth() for k in range(size)]))
            seen: set[str] = set()
            for i in order[pos:stop]:
                who = reporter[i]
                mine = own[who]
                for k in victims:
                    assess(k, mine[k].nth(), day)
                if who not in seen:
                    seen.add(who)
                    if sides is None:
                        own_history.setdefault(who, []).append((day, [mine[k].nth() for k in range(size)]))
                    elif victims:
                        met, until = decider.side_until(1, sides[1], leaves, valid, day)
                        if met:
                            _merge(own_periods.setdefault(who, []), day, until)
                result, as_written, by, names = decider.decide(leaves)
                outcome[i] = result
                policy_outcome[i] = as_written
                if result is Outcome.MET:
                    route[i] = by
                    matched[i] = names
                    met_until[i] = decider.met_until(leaves, valid, day)
            pos = stop
        for who, first in first_day.items():
            if sides is not None:
                periods = _union(first, matter_periods, own_periods.get(who, []))
            else:
                periods = _replay(
                    plan,
                    decider,
                    days,
                    first,
                    shared=history,
                    own=own_history[who],
                )
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


def _replay(
    plan: PolicyPlan,
    decider: _Decider,
    days: _Days,
    first: dt.date,
    *,
    shared: list[tuple[dt.date, list[dt.date | None]]],
    own: list[tuple[dt.date, list[dt.date | None]]],
) -> tuple[Period, ...]:
    """A reporter's met periods from their first report.

    Between one matter day and the next the counts only expire, and the law's
    search (``law.logic.periods_met``) finds every day the decision changes,
    whichever way it changes.
    """
    counts = plan.counts
    periods: list[list[dt.date | None]] = []
    mine = 0
    for at, (day, nths) in enumerate(shared):
        if day < first:
            continue
        while mine + 1 < len(own) and own[mine + 1][0] <= day:
            mine += 1
        leaves: list[int] = []
        valid: list[dt.date | None] = []
        for k, c in enumerate(counts):
            nth = own[mine][1][k] if c.victim else nths[k]
            window = c.selection.window
            if nth is not None and nth >= days.start(day, window.span, window.arithmetic):
                leaves.append(MET)
                valid.append(days.last(nth, window.span, window.arithmetic))
            else:
                leaves.append(NOT_MET)
                valid.append(None)
        following = shared[at + 1][0] - _ONE_DAY if at + 1 < len(shared) else dt.date.max

        run = _Expiring(leaves, valid, lambda state: decider.decide(state)[0] is Outcome.MET)
        for start, last in periods_met(run, day, following):
            _merge(periods, start, None if last >= dt.date.max else last)
    return _union(first, periods, [])


def _by_evaluate(
    table: ReportTable,
    policy: Policy,
    facts: Mapping[Fact, bool],
    *,
    enforce_floor: bool,
    floor_reading: FloorReading = FloorReading.POLICY_NUMBER,
) -> Sweep:
    """The exact but slow path: ``evaluate`` for every report and every matter day."""
    reports = table.to_reports()
    by_matter: dict[str, list[Report]] = {}
    for report in reports:
        by_matter.setdefault(report.incident.matter, []).append(report)
    decisions = []
    for i in range(len(table)):
        application = table.application(
            table.reporter[i],
            table.matter[i],
            table.made_on[i],
            reports=by_matter[table.matter[i]],
            facts=facts,
        )
        decisions.append(
            evaluate(application, policy, enforce_floor=enforce_floor, floor_reading=floor_reading)
        )
    standings: list[Standing] = []
    for matter, pool in by_matter.items():
        matter_days = sorted({r.made_on for r in pool})
        firsts: dict[str, dt.date] = {}
        for r in sorted(pool, key=lambda r: r.made_on):
            firsts.setdefault(r.reporter, r.made_on)
        for who, first in firsts.items():
            periods: list[list[dt.date | None]] = []
            later = matter_days[bisect.bisect_left(matter_days, first) :]
            for at, day in enumerate(later):
                following = later[at + 1] - _ONE_DAY if at + 1 < len(later) else dt.date.max

                def run(
                    on: dt.date, who: str = who, matter: str = matter, pool: list[Report] = pool
                ) -> tuple[bool, dt.date | None]:
                    # No report is made between one matter day and the next, so deciding on any
                    # day in between sees exactly the reports made by the earlier one.
                    decision = evaluate(
                        table.application(who, matter, on, reports=pool, facts=facts),
                        policy,
                        enforce_floor=enforce_floor,
                        floor_reading=floor_reading,
                    )
                    return decision.met, decision.unchanged_until

                for start, last in periods_met(run, day, following):
                    _merge(periods, start, None if last >= dt.date.max else last)
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


EngineChoice = Literal["auto", "python", "numpy"]
"""Which engine sweeps: ``auto`` (numpy when installed), ``python`` or ``numpy``."""


def sweep(
    table: ReportTable,
    policy: Policy,
    *,
    enforce_floor: bool = True,
    facts: Mapping[Fact, bool] | Mapping[str, bool] | None = None,
    floor_reading: FloorReading = FloorReading.POLICY_NUMBER,
    engine: EngineChoice = "auto",
) -> Sweep:
    """Sweep *policy* over every report of *table* (see the module documentation).

    With *enforce_floor* false the outcome is the policy as written; either
    way ``policy_outcome`` is what the policy as written says.  *facts* are
    case facts assumed for every application (a what-if such as "no effective
    action was taken"); a fact not given is unknown, as in ``evaluate``.

    *engine* ``auto`` uses the numpy engine (:mod:`.columnar`) when numpy is
    installed and the engine computes the policy, the pure-Python one
    otherwise; the answers are the same.  ``numpy`` requires the numpy engine
    (``ImportError`` without numpy, :class:`~.plan.Unsupported` naming what it
    does not compute); ``python`` never uses it.  ``Sweep.engine`` says which ran.
    """
    _check_inputs(table, policy, enforce_floor)
    if engine not in ("auto", "python", "numpy"):
        raise InvalidInput("engine", engine, "must be auto, python or numpy")
    assumed = assumed_facts(facts)
    if engine != "python" and (engine == "numpy" or numpy_installed()):
        from .columnar import Columns, sweep_columns  # noqa: PLC0415 (needs numpy, the optional extra)

        try:
            columns = Columns.from_table(table)
            return sweep_columns(
                columns, policy, enforce_floor=enforce_floor, facts=assumed, floor_reading=floor_reading
            ).to_sweep(columns)
        except Unsupported:
            if engine == "numpy":
                raise
    try:
        plan = compile_policy(policy, PYTHON, floor_reading=floor_reading)
    except Unsupported:
        return _by_evaluate(table, policy, assumed, enforce_floor=enforce_floor, floor_reading=floor_reading)
    return _python(table, plan, assumed, enforce_floor=enforce_floor)


def numpy_installed() -> bool:
    """Whether numpy, which the ``analysis`` extra installs, can be imported (nothing is imported)."""
    return importlib.util.find_spec("numpy") is not None


def _check_inputs(table: object, policy: object, enforce_floor: object) -> None:
    """Refuse arguments of the wrong type by name, before any work (a policy's name is not a Policy)."""
    if not isinstance(table, ReportTable):
        raise InvalidInput("table", table, "must be a ReportTable (see reports_from_csv)")
    if not isinstance(policy, Policy):
        raise InvalidPolicy("policy", policy, "must be a Policy; get_policy(name) gives a built-in one")
    if not isinstance(enforce_floor, bool):
        raise InvalidInput("enforce_floor", enforce_floor, "must be True or False")


def assumed_facts(facts: Mapping[Fact, bool] | Mapping[str, bool] | None) -> dict[Fact, bool]:
    """The assumed facts, checked as an application checks its own."""
    checked = Application(
        "what-if",
        applicant="-",
        made_on=dt.date(2000, 1, 1),
        matter="-",
        reports=(),
        facts=list((facts or {}).items()),
    ).facts
    return dict(checked)
