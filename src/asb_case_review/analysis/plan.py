"""A policy compiled for an engine: its counts, its rules as typed trees, and what the engine refuses.

The sweeps answer exactly what :func:`~asb_case_review.decision.evaluate` would
answer.  They do not re-state the law: the counts are the policy's own
:class:`~asb_case_review.rules.Count` values (a recency gate as the count of
one report it is, :meth:`~asb_case_review.rules.Recency.as_count`), the rules
are trees of :mod:`asb_case_review.law.logic` nodes, and outcomes, routes,
matched rules and the days a decision changes come from that module.

Each engine says what it computes (:class:`Engine`): for every setting the law
names (:data:`asb_case_review.law.reports.FIELDS`) whether it computes a given
value, and for every counting unit whether it computes it.
:func:`compile_policy` refuses, naming the rule, the setting and its value,
anything an engine does not compute, and any rule kind outside the
vocabulary; the caller then falls back to ``evaluate`` or reports the refusal.
Nothing is silently computed some other way.

>>> from asb_case_review.catalogue import MERSEYSIDE
>>> for c in compile_policy(MERSEYSIDE, PYTHON).counts:
...     print(c.rule_id, c.at_least, c.unit.value, "victim" if c.victim else "anyone")
mandatory (personal) 3 incidents victim
local[0] (community) 5 reporters anyone
local[1] (hate) 1 incidents victim
floor 3 complaints anyone
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Final, Generic, TypeVar

import attrs

from ..dates import Arithmetic
from ..law.floor import FLOOR_ID, FloorReading, floor_rule
from ..law.logic import (
    MET,
    NOT_MET,
    SCALAR,
    UNKNOWN,
    AllNode,
    AnyNode,
    CountLeaf,
    FactLeaf,
    Node,
    NotNode,
    RouteCode,
    combine,
    monotone,
    value,
)
from ..law.reports import (
    FIELDS,
    UNITS,
    Anchor,
    BehaviourDay,
    CountUnit,
    DateOf,
    Handles,
    KeyField,
    LagScope,
    UnitSpec,
    Who,
    refusals,
)
from ..models import Fact
from ..policy import Policy
from ..qualifying import Selection
from ..rules import AllOf, AnyOf, Consent, Count, FactIs, Not, Recency, Rule

__all__ = [
    "FLOOR_ID",
    "MET",
    "NOT_MET",
    "PYTHON",
    "UNKNOWN",
    "CountPlan",
    "Engine",
    "LatestUnits",
    "PolicyPlan",
    "Unsupported",
    "compile_policy",
    "floor_rule",
    "unit_refusal",
]


K = TypeVar("K", bound=Hashable)
D = TypeVar("D", int, dt.date)


class LatestUnits(Generic[K, D]):
    """The ``size`` units whose latest day is latest, newest first, and each unit's latest day.

    Both sweeps keep one per count while they walk a matter in date order (days as dates, or as
    day numbers).  Days only ever grow, so a unit that falls out of the top can come back only
    when it is reported again, and is then put back in its place.
    """

    __slots__ = ("keys", "last", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.keys: list[K] = []
        self.last: dict[K, D] = {}

    def add(self, key: K, day: D) -> None:
        """Unit *key* was reported (again) on *day*."""
        last = self.last
        old = last.get(key)
        if old is not None and old >= day:
            return
        last[key] = day
        keys = self.keys
        if key in keys:
            keys.remove(key)
        elif len(keys) == self.size and last[keys[-1]] >= day:
            return
        at = 0
        while at < len(keys) and last[keys[at]] > day:
            at += 1
        keys.insert(at, key)
        del keys[self.size :]

    def nth(self) -> D | None:
        """The latest day of the ``size``-th unit: the count holds while that day is in the window."""
        keys = self.keys
        return self.last[keys[-1]] if len(keys) == self.size else None


class Unsupported(Exception):
    """A rule of the policy is outside what an engine computes; the message names it and why."""


@attrs.frozen
class Engine:
    """What one engine computes, so that :func:`compile_policy` can refuse the rest by name."""

    name: str
    handles: Handles
    """For every setting in :data:`~asb_case_review.law.reports.FIELDS`: whether a value is computed."""
    units: Callable[[UnitSpec], str | None]
    """For a counting unit's meaning: ``None`` when computed, else why not."""
    together: Callable[[Selection], str | None] = attrs.field(default=lambda _: None, kw_only=True)
    """For settings an engine computes each alone but not in some combination: the combination
    it does not compute, named with its values; ``None`` when it computes the selection."""


def _any(_: object) -> bool:
    return True


_PYTHON_KEYS: Final = frozenset(
    {KeyField.REPORT, KeyField.REPORTER, KeyField.INCIDENT, KeyField.BEHAVIOUR_DAY, KeyField.HOUSEHOLD}
)
"""The values of a report the pure-Python sweep builds unit keys from (its table's columns)."""


def unit_refusal(spec: UnitSpec, keys: frozenset[KeyField]) -> str | None:
    """Why an engine that builds unit keys from *keys* (and nothing more) cannot count *spec*; None if it can.

    Both sweeps build a unit's key from equal report values; matching incidents to days, and a
    missing value that leaves a count uncertain, are beyond them.
    """
    if spec.one_day_per_incident:
        return "matches incidents to separate days of behaviour"
    if spec.unknown_when_missing:
        return "leaves a count uncertain when a value is missing"
    unknown = [f.value for f in spec.fields if f not in keys]
    if unknown:
        return f"builds units from {', '.join(unknown)}"
    return None


def _python_unit(spec: UnitSpec) -> str | None:
    return unit_refusal(spec, _PYTHON_KEYS)


def _lag_scope(lag_scope: object) -> bool:
    match lag_scope:
        case LagScope.EVERY | LagScope.FIRST:
            # A lag binding only the first report counted: each report counts until the day
            # law.reports.held_days gives it, along its group in the law's order.
            return True
    return False  # A member added to LagScope is refused until the sweeps compute it.


def _counted_back(anchor: object) -> bool:
    match anchor:
        case Anchor.EACH_REPORT | Anchor.APPLICATION:
            return True
        case (
            Anchor.FIRST_REPORT
            | Anchor.FIRST_INCIDENT
            | Anchor.FIRST_REPORT_AND_APPLICATION
            | Anchor.LATEST_INCIDENT
        ):
            # Windows placed by other reports: not a prefix count back from the day.
            return False
    return False  # A member added to Anchor is refused until the sweeps place windows by it.


def _dated(date_of: object) -> bool:
    match date_of:
        case DateOf.REPORT | DateOf.INCIDENT:
            return True
    return False  # A member added to DateOf is refused until the sweeps say how they place it.


def _whose(who: object) -> bool:
    match who:
        case Who.ANYONE | Who.VICTIM:
            return True
    return False  # A member added to Who is refused until the sweeps group reports by it.


def _day_of(rule: object) -> bool:
    match rule:
        case BehaviourDay.LATEST_ON_OR_BEFORE_REPORT | BehaviourDay.FIRST_DAY:
            return True
    return False  # A member added to BehaviourDay is refused until the sweeps compute it.


def _counted(arithmetic: object) -> bool:
    match arithmetic:
        case Arithmetic.STATUTORY | Arithmetic.INCLUSIVE:
            return True
    return False  # A member added to Arithmetic is refused until the sweeps count days by it.


BASE_HANDLES: Final[Handles] = {
    "Selection.who": _whose,
    "Selection.window": _any,
    "Selection.lag": _any,
    "Selection.hate_only": _any,
    "Selection.exclude_kinds": _any,
    "Selection.agencies": _any,
    "Selection.behaviour_day": _day_of,
    "Window.span": _any,
    "Window.anchor": _counted_back,
    "Window.date_of": _dated,
    "Window.arithmetic": _counted,
    # Only windows beginning with the first report counted read it, and those are refused above.
    "Window.application_within": _any,
    "Lag.span": _any,
    "Lag.applies_to": _lag_scope,
    "Lag.arithmetic": _counted,
}
"""What both sweeps compute: windows counted back from the application, lags binding every report or
only the first report counted."""

PYTHON: Final = Engine("python", BASE_HANDLES, _python_unit)
"""The pure-Python sweep."""


@attrs.frozen
class CountPlan:
    """One count of a policy, as the law defines it, numbered in its plan."""

    rule_id: str = attrs.field(eq=False)
    """Where in the policy the count was first found (not part of its identity)."""
    count: Count

    @property
    def at_least(self) -> int:
        """How many units meet it."""
        return self.count.at_least

    @property
    def unit(self) -> CountUnit:
        """What one unit is."""
        return self.count.unit

    @property
    def spec(self) -> UnitSpec:
        """The law's meaning of the unit."""
        return UNITS[self.count.unit]

    @property
    def selection(self) -> Selection:
        """Which reports it looks at."""
        return self.count.selection

    @property
    def victim(self) -> bool:
        """Whether it counts only the applicant's (the victim's) own reports."""
        return self.count.selection.who is Who.VICTIM


@attrs.frozen
class PolicyPlan:
    """A policy as numbered counts and trees over them.

    ``mandatory``, ``local`` and ``conditions`` are the trees of the policy's
    rules; ``floor`` is the number of the statutory floor's count.
    """

    policy: Policy
    counts: tuple[CountPlan, ...]
    mandatory: Node
    local: tuple[Node, ...]
    conditions: tuple[Node, ...]
    floor: int
    rule_ids: tuple[str, ...]
    """The ids of the mandatory rule and the local rules, in order."""
    floor_id: str

    @property
    def routes(self) -> int:
        """How many rules are routes of the policy (the mandatory rule and the local rules)."""
        return 1 + len(self.local)

    @property
    def monotone(self) -> bool:
        """Whether every rule can only stop being met as its counts expire (no count under a ``not``)."""
        return all(monotone(n) for n in (self.mandatory, *self.local, *self.conditions))

    def decide(
        self, leaves: Sequence[int], facts: Mapping[Fact, bool], *, enforce_floor: bool
    ) -> tuple[int, int, RouteCode, tuple[str, ...]]:
        """Outcome, policy outcome, route and rules matched, as ``law.logic.combine`` combines them."""
        combined = combine(
            SCALAR,
            value(self.mandatory, leaves, facts, SCALAR),
            [value(n, leaves, facts, SCALAR) for n in self.local],
            [value(n, leaves, facts, SCALAR) for n in self.conditions],
            leaves[self.floor],
            enforce_floor=enforce_floor,
        )
        if combined.floor_matched:
            names: tuple[str, ...] = (self.floor_id,)
        else:
            names = tuple(i for i, hit in zip(self.rule_ids, combined.matched, strict=True) if hit)
        return combined.outcome, combined.policy_outcome, RouteCode(combined.route), names


def _count(path: str, count: Count, engine: Engine) -> CountPlan:
    refused = refusals(count.selection, engine.handles)
    why = engine.units(UNITS[count.unit])
    if why is not None:
        refused.append(f"unit={count.unit.value!r} ({why})")
    if not refused:
        combination = engine.together(count.selection)
        if combination is not None:
            refused.append(combination)
    if refused:
        raise Unsupported(f"{path}: the {engine.name} engine does not compute {', '.join(refused)}")
    return CountPlan(path, count)


def _tree(path: str, predicate: object, counts: list[CountPlan], engine: Engine) -> Node:  # noqa: PLR0911 (one return per rule kind)
    match predicate:
        case Rule():
            return _tree(f"{path} ({predicate.id})", predicate.predicate, counts, engine)
        case Count() | Recency():
            as_count = predicate if isinstance(predicate, Count) else predicate.as_count()
            plan = _count(path, as_count, engine)
            if plan not in counts:
                counts.append(plan)
            return CountLeaf(counts.index(plan))
        case FactIs():
            return FactLeaf(predicate.fact, predicate.expected)
        case Consent():
            # Every application a sweep answers for is made by the victim themselves
            # (ReportTable.application names no one on whose behalf it is made), and the law's
            # consent is met when the victim applied: the empty conjunction, met.
            return AllNode(())
        case AllOf():
            return AllNode(
                tuple(_tree(f"{path}[{i}]", p, counts, engine) for i, p in enumerate(predicate.parts))
            )
        case AnyOf():
            return AnyNode(
                tuple(_tree(f"{path}[{i}]", p, counts, engine) for i, p in enumerate(predicate.parts))
            )
        case Not():
            return NotNode(_tree(path, predicate.part, counts, engine))
    raise Unsupported(
        f"{path} is a {type(predicate).__name__}, which the {engine.name} engine does not compute"
    )


def compile_policy(
    policy: Policy, engine: Engine = PYTHON, *, floor_reading: FloorReading = FloorReading.POLICY_NUMBER
) -> PolicyPlan:
    """*policy* as counts and trees for *engine*, or :class:`Unsupported` naming what it does not compute.

    A plan's counts are named by the place of the first rule that uses them.
    """
    missing = sorted(set(FIELDS) - set(engine.handles))
    if missing:
        raise Unsupported(f"the {engine.name} engine does not say whether it computes {', '.join(missing)}")
    counts: list[CountPlan] = []
    mandatory = _tree("mandatory", policy.mandatory, counts, engine)
    local = tuple(_tree(f"local[{i}]", r, counts, engine) for i, r in enumerate(policy.local))
    conditions = tuple(_tree(f"conditions[{i}]", r, counts, engine) for i, r in enumerate(policy.conditions))
    floor = floor_rule(policy, floor_reading)
    floor_tree = _tree("floor", floor.predicate, counts, engine)
    assert isinstance(floor_tree, CountLeaf)  # the floor is one count
    return PolicyPlan(
        policy,
        tuple(counts),
        mandatory,
        local,
        conditions,
        floor_tree.index,
        (policy.mandatory.id, *(r.id for r in policy.local)),
        floor.id,
    )
