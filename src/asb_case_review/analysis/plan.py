"""A policy compiled for batch sweeps: its counts in plain values, its rules as small trees.

The sweeps answer exactly what :func:`~asb_case_review.decision.evaluate` would
answer for every policy made of counts whose window is counted back from the
application date (the statute's own anchor and the "in the last six months"
wording, on the day made or the day of the behaviour), recency gates, case
facts and their combinations (``all_of``, ``any_of``, ``not_``).  Case facts
cannot come from a table of reports: the caller states them for the what-if,
and a fact not stated is unknown, as in ``evaluate``.  :func:`compile_policy`
names any rule outside this vocabulary; such a policy is swept report by
report with ``evaluate`` itself.

>>> from asb_case_review.catalogue import MERSEYSIDE
>>> for c in compile_policy(MERSEYSIDE).counts:
...     print(c.rule_id, c.at_least, c.unit.value, "victim" if c.victim else "anyone")
mandatory (personal) 3 incidents victim
local[0] (community) 5 reporters anyone
local[1] (hate) 1 incidents victim
floor 3 complaints anyone
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

import attrs

from ..dates import Arithmetic, Span
from ..decision import Route
from ..models import Agency, Fact
from ..policy import STATUTORY_THRESHOLD, Policy, statutory_route
from ..qualifying import Anchor, BehaviourDay, DateOf, LagScope, Who
from ..rules import AllOf, AnyOf, Count, CountUnit, FactIs, Not, Recency, Rule

__all__ = [
    "MET",
    "NOT_MET",
    "UNKNOWN",
    "CountPlan",
    "Expr",
    "PolicyPlan",
    "Unsupported",
    "compile_policy",
    "floor_rule",
    "leaves_of",
    "value",
]

FLOOR_ID: Final = "statutory-floor"


class Unsupported(Exception):
    """A rule of the policy is outside what the batch sweeps compute directly."""


@attrs.frozen
class CountPlan:
    """One count rule, flattened."""

    rule_id: str = attrs.field(eq=False)
    """Where in the policy the count was first found (not part of its identity)."""
    at_least: int
    unit: CountUnit
    victim: bool
    hate_only: bool
    exclude_kinds: frozenset[str]
    agencies: frozenset[Agency]
    lag: Span | None
    lag_arithmetic: Arithmetic
    window: Span
    window_arithmetic: Arithmetic
    behaviour_day: BehaviourDay
    date_of: DateOf = DateOf.REPORT
    """Which date the window tests: the day the report was made, or the day of the behaviour."""

    def qualifies(
        self,
        *,
        made_on: dt.date,
        began_on: dt.date,
        ended_on: dt.date | None,
        kind: str,
        agency: Agency,
        hate: bool,
    ) -> bool:
        """Whether a report passes every test of the rule that does not depend on the application date."""
        from ..dates import period_last_day  # noqa: PLC0415 (kept local: the hot loop caches it)

        if kind in self.exclude_kinds or (self.agencies and agency not in self.agencies):
            return False
        if self.hate_only and not hate:
            return False
        if self.lag is None:
            return True
        day = began_on if self.behaviour_day is BehaviourDay.FIRST_DAY else min(ended_on or began_on, made_on)
        return made_on <= period_last_day(day, self.lag, self.lag_arithmetic)


Expr = tuple[Any, ...]
"""A rule as a small tree: ``("count", i)``, ``("fact", Fact, expected)``, ``("all", parts)``,
``("any", parts)`` or ``("not", part)``; counts are numbered in ``PolicyPlan.counts``."""

NOT_MET: Final = 0
UNKNOWN: Final = 1
MET: Final = 2
"""Outcomes as numbers, so that Kleene "and" is ``min``, "or" is ``max`` and "not" is ``2 - x``."""


def value(expr: Expr, leaves: Sequence[int], facts: Mapping[Fact, bool]) -> int:
    """The outcome (0 not met, 1 unknown, 2 met) of *expr* given each count's outcome and the facts."""
    kind = expr[0]
    if kind == "count":
        return leaves[expr[1]]
    if kind == "fact":
        known = facts.get(expr[1])
        return UNKNOWN if known is None else (MET if known is expr[2] else NOT_MET)
    if kind == "not":
        return MET - value(expr[1], leaves, facts)
    parts = [value(e, leaves, facts) for e in expr[1]]
    return min(parts) if kind == "all" else max(parts)


def leaves_of(expr: Expr) -> Iterator[int]:
    """The numbers of the counts *expr* depends on."""
    kind = expr[0]
    if kind == "count":
        yield expr[1]
    elif kind == "not":
        yield from leaves_of(expr[1])
    elif kind in ("all", "any"):
        for part in expr[1]:
            yield from leaves_of(part)


@attrs.frozen
class PolicyPlan:
    """A policy as count plans and expression trees over them.

    ``mandatory``, ``local`` and ``conditions`` are the trees of the policy's
    rules; ``floor`` is the number of the statutory floor's count.
    """

    policy: Policy
    counts: tuple[CountPlan, ...]
    mandatory: Expr
    local: tuple[Expr, ...]
    conditions: tuple[Expr, ...]
    floor: int
    rule_ids: tuple[str, ...]
    """The ids of the mandatory rule and the local rules, in order."""
    floor_id: str

    @property
    def routes(self) -> int:
        """How many rules are routes of the policy (the mandatory rule and the local rules)."""
        return 1 + len(self.local)

    def decide(
        self, leaves: Sequence[int], facts: Mapping[Fact, bool], *, enforce_floor: bool
    ) -> tuple[int, int, Route | None, tuple[str, ...]]:
        """Outcome, policy outcome, route and rules matched, exactly as ``evaluate`` combines them."""
        mandatory = value(self.mandatory, leaves, facts)
        local = [value(e, leaves, facts) for e in self.local]
        gate = min((value(e, leaves, facts) for e in self.conditions), default=MET)
        policy_outcome = min(gate, max([mandatory, *local]))
        if policy_outcome == MET:
            route = Route.MANDATORY if mandatory == MET else Route.DISCRETIONARY
            results = [mandatory, *local]
            return MET, MET, route, tuple(i for i, r in zip(self.rule_ids, results, strict=True) if r == MET)
        if enforce_floor and leaves[self.floor] == MET:
            return MET, policy_outcome, Route.STATUTORY_FLOOR, (self.floor_id,)
        return policy_outcome, policy_outcome, None, ()

    def met_until(
        self,
        leaves: Sequence[int],
        valid: Sequence[dt.date | None],
        facts: Mapping[Fact, bool],
        *,
        enforce_floor: bool,
    ) -> dt.date | None:
        """For a met decision: the last day it stays met with nothing new reported (``None``: for good).

        Every count only expires as days pass, and the outcome is monotone in
        the counts, so it is the latest expiry day on which it is still met.
        """

        def met_on(day: dt.date | None) -> bool:
            # On *day* a count still holds when its last day is not yet past; None is "for ever after".
            state = [
                MET if leaf == MET and day is not None and v is not None and v >= day else NOT_MET
                for leaf, v in zip(leaves, valid, strict=True)
            ]
            return self.decide(state, facts, enforce_floor=enforce_floor)[0] == MET

        if met_on(None):
            return None
        for day in sorted(
            {v for leaf, v in zip(leaves, valid, strict=True) if leaf == MET and v}, reverse=True
        ):
            if met_on(day):
                return day
        return None  # pragma: no cover - a met decision is met on its own day


def floor_rule(policy: Policy) -> Rule:
    """The statutory floor that runs beside *policy*, exactly as ``evaluate`` builds it.

    >>> from asb_case_review.catalogue import STATUTORY
    >>> floor_rule(STATUTORY).id
    's104-4'
    """
    floor = statutory_route(min(policy.threshold, STATUTORY_THRESHOLD))
    if policy.mandatory == floor:
        return policy.mandatory
    return attrs.evolve(floor, id=FLOOR_ID)


def _count(path: str, predicate: Count | Recency) -> CountPlan:
    selection = predicate.selection
    lag = selection.lag
    if lag is not None and lag.applies_to is not LagScope.EVERY:
        raise Unsupported(f"{path} holds only the first report to its lag")
    if isinstance(predicate, Recency):
        # "The latest report within one month" is "at least one report in the last month":
        # the recency gate ignores its selection's window and counts back by the statute.
        at_least, unit = 1, CountUnit.REPORTS
        span, arithmetic, date_of = predicate.within, Arithmetic.STATUTORY, predicate.date_of
    else:
        window = selection.window
        if window.anchor not in (Anchor.EACH_REPORT, Anchor.APPLICATION):
            raise Unsupported(f"{path} anchors its window on {window.anchor.value}")
        if predicate.unit is CountUnit.HOUSEHOLDS:
            raise Unsupported(f"{path} counts households")
        if predicate.unit is CountUnit.INCIDENT_DATES:
            # evaluate() matches incidents to distinct days so that one continuing
            # incident reported on several days counts once; a prefix count of
            # distinct days cannot do that, so these rules take the exact path.
            raise Unsupported(f"{path} counts separate incident dates")
        at_least, unit = predicate.at_least, predicate.unit
        span, arithmetic, date_of = window.span, window.arithmetic, window.date_of
    return CountPlan(
        rule_id=path,
        at_least=at_least,
        unit=unit,
        victim=selection.who is Who.VICTIM,
        hate_only=selection.hate_only,
        exclude_kinds=selection.exclude_kinds,
        agencies=selection.agencies,
        lag=None if lag is None else lag.span,
        lag_arithmetic=Arithmetic.STATUTORY if lag is None else lag.arithmetic,
        window=span,
        window_arithmetic=arithmetic,
        behaviour_day=selection.behaviour_day,
        date_of=date_of,
    )


def _tree(  # noqa: PLR0911 (one return per kind of rule)
    path: str, predicate: object, counts: list[CountPlan]
) -> Expr:
    if isinstance(predicate, Rule):
        return _tree(f"{path} ({predicate.id})", predicate.predicate, counts)
    if isinstance(predicate, (Count, Recency)):
        plan = _count(path, predicate)
        if plan in counts:
            return ("count", counts.index(plan))
        counts.append(plan)
        return ("count", len(counts) - 1)
    if isinstance(predicate, FactIs):
        return ("fact", predicate.fact, predicate.expected)
    if isinstance(predicate, AllOf):
        return ("all", tuple(_tree(f"{path}[{i}]", p, counts) for i, p in enumerate(predicate.parts)))
    if isinstance(predicate, AnyOf):
        return ("any", tuple(_tree(f"{path}[{i}]", p, counts) for i, p in enumerate(predicate.parts)))
    if isinstance(predicate, Not):
        return ("not", _tree(path, predicate.part, counts))
    raise Unsupported(f"{path} is a {type(predicate).__name__}, which the sweeps do not compute")


def compile_policy(policy: Policy) -> PolicyPlan:
    """*policy* as count plans and trees, or :class:`Unsupported` naming the rule the sweeps cannot compute.

    A plan's counts are named by the place of the first rule that uses them.
    """
    counts: list[CountPlan] = []
    mandatory = _tree("mandatory", policy.mandatory, counts)
    local = tuple(_tree(f"local[{i}]", r, counts) for i, r in enumerate(policy.local))
    conditions = tuple(_tree(f"conditions[{i}]", r, counts) for i, r in enumerate(policy.conditions))
    floor = floor_rule(policy)
    floor_tree = _tree("floor", floor.predicate, counts)
    return PolicyPlan(
        policy,
        tuple(counts),
        mandatory,
        local,
        conditions,
        floor_tree[1],
        (policy.mandatory.id, *(r.id for r in policy.local)),
        floor.id,
    )
