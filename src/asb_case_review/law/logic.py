"""Three-valued logic, how a policy's parts combine into a decision, and when a decision changes.

This is the one place where the library says

* what ``and``, ``or`` and ``not`` mean when an answer may be unknown (Kleene
  logic: a rule on a fact the caller did not supply is unknown, never silently
  false);
* how a policy's mandatory route (s.104(4)), its local rules (s.104(5)), its
  local conditions and the statutory floor combine into the outcome, the
  outcome of the policy as written, the route and the rules matched;
* how to find the days on which a decision changes when nothing new is
  reported, without assuming that it can only ever stop being met (under
  ``not_`` a rule can start being met as a report ages).

Every engine derives from it: :func:`~asb_case_review.decision.evaluate` runs
it on single outcomes, the pure-Python sweep on small integers and the numpy
sweep on arrays, through a :class:`Logic` that says how to take the minimum,
the maximum and a choice on each.

Outcomes are ordered ``NOT_MET < UNKNOWN < MET`` and coded 0, 1, 2: "and" is
the minimum, "or" the maximum and "not" is ``2 - x``.

>>> conjunction([Outcome.MET, Outcome.UNKNOWN])
<Outcome.UNKNOWN: 'unknown'>
>>> disjunction([Outcome.NOT_MET, Outcome.UNKNOWN, Outcome.MET])
<Outcome.MET: 'met'>
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final, Generic, Protocol, TypeVar, assert_never

import attrs

from ..models import Fact

__all__ = [
    "MET",
    "NOT_MET",
    "SCALAR",
    "UNKNOWN",
    "AllNode",
    "AnyNode",
    "Combined",
    "CountLeaf",
    "FactLeaf",
    "Logic",
    "Node",
    "NotNode",
    "Outcome",
    "RouteCode",
    "as_written",
    "combine",
    "conjunction",
    "disjunction",
    "last_day_any_met",
    "last_day_met",
    "leaves_of",
    "monotone",
    "periods_met",
    "value",
]


class Outcome(enum.StrEnum):
    """Whether a rule is met; ``UNKNOWN`` when it hangs on a fact not supplied."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"

    @property
    def code(self) -> int:
        """0 not met, 1 unknown, 2 met: "and" is the minimum, "or" the maximum."""
        return _CODE[self]

    @classmethod
    def of(cls, code: int) -> Outcome:
        """The outcome coded *code* (0, 1 or 2)."""
        return _OUTCOMES[code]

    def __invert__(self) -> Outcome:
        return _OUTCOMES[MET - _CODE[self]]


NOT_MET: Final = 0
UNKNOWN: Final = 1
MET: Final = 2
_CODE: Final = {Outcome.NOT_MET: NOT_MET, Outcome.UNKNOWN: UNKNOWN, Outcome.MET: MET}
# An enum's members are looked up by name on each use: the ones the combinators compare are kept.
_MET_OUTCOME: Final = Outcome.MET
_UNKNOWN_OUTCOME: Final = Outcome.UNKNOWN
_NOT_MET_OUTCOME: Final = Outcome.NOT_MET
_OUTCOMES: Final = (Outcome.NOT_MET, Outcome.UNKNOWN, Outcome.MET)


def conjunction(outcomes: Iterable[Outcome]) -> Outcome:
    """Kleene "and": not met if any part is not met, else unknown if any is unknown; met when empty.

    It stops at the first part not met, so parts given lazily (a generator) are decided only as
    far as needed.
    """
    unknown = False
    for outcome in outcomes:
        if outcome is _NOT_MET_OUTCOME:
            return outcome
        unknown = unknown or outcome is _UNKNOWN_OUTCOME
    return _UNKNOWN_OUTCOME if unknown else _MET_OUTCOME


def disjunction(outcomes: Iterable[Outcome]) -> Outcome:
    """Kleene "or": met if any part is met, else unknown if any is unknown; not met when empty.

    It stops at the first part met, so parts given lazily are decided only as far as needed.
    """
    unknown = False
    for outcome in outcomes:
        if outcome is _MET_OUTCOME:
            return outcome
        unknown = unknown or outcome is _UNKNOWN_OUTCOME
    return _UNKNOWN_OUTCOME if unknown else _NOT_MET_OUTCOME


class RouteCode(enum.IntEnum):
    """The route by which a decision is met, as a number an array can hold."""

    NONE = 0
    MANDATORY = 1
    """s.104(4): enough qualifying complaints under the policy's own mandatory rule."""
    DISCRETIONARY = 2
    """s.104(5): one of the area's local rules."""
    STATUTORY_FLOOR = 3
    """s.104(4) applied over a policy that, as written, would have turned the application away."""


# ------------------------------------------------------------------ rule trees


@attrs.frozen
class CountLeaf:
    """A count (or a recency gate, which is a count of one) numbered in its plan."""

    index: int


@attrs.frozen
class FactLeaf:
    """A caller-supplied case fact that must have the value ``expected``."""

    fact: Fact
    expected: bool


@attrs.frozen
class AllNode:
    """Met when every part is met."""

    parts: tuple[Node, ...]


@attrs.frozen
class AnyNode:
    """Met when any part is met."""

    parts: tuple[Node, ...]


@attrs.frozen
class NotNode:
    """Met when the part is not met."""

    part: Node


Node = CountLeaf | FactLeaf | AllNode | AnyNode | NotNode
"""A rule as a tree the engines evaluate: counts are numbered leaves, facts are constants."""

V = TypeVar("V")
"""A value an engine computes outcome codes in: an ``int``, or an array of them."""
B = TypeVar("B")
"""A truth value of the engine: a ``bool``, or an array of them."""


class Logic(Protocol, Generic[V, B]):
    """How an engine computes with outcome codes: on single numbers, or on arrays of them."""

    def constant(self, code: int) -> V:
        """The code *code* as a value of the engine."""
        ...  # pragma: no cover - protocol

    def minimum(self, a: V, b: V) -> V:
        """The smaller code (Kleene "and")."""
        ...  # pragma: no cover - protocol

    def maximum(self, a: V, b: V) -> V:
        """The larger code (Kleene "or")."""
        ...  # pragma: no cover - protocol

    def negate(self, a: V) -> V:
        """``2 - a`` (Kleene "not")."""
        ...  # pragma: no cover - protocol

    def is_met(self, a: V) -> B:
        """Where the code is ``MET``."""
        ...  # pragma: no cover - protocol

    def both(self, a: B, b: B) -> B:
        """Truth "and"."""
        ...  # pragma: no cover - protocol

    def either(self, a: B, b: B) -> B:
        """Truth "or"."""
        ...  # pragma: no cover - protocol

    def invert(self, a: B) -> B:
        """Truth "not"."""
        ...  # pragma: no cover - protocol

    def truth(self, flag: bool) -> B:  # noqa: FBT001 (a constant of the engine's truth type)
        """*flag* as a truth value of the engine."""
        ...  # pragma: no cover - protocol

    def choose(self, condition: B, then: V, otherwise: V) -> V:
        """*then* where *condition* holds, else *otherwise*."""
        ...  # pragma: no cover - protocol


class _Scalar:
    """The logic of one decision: codes are ``int``, truth values ``bool``."""

    def constant(self, code: int) -> int:
        return code

    def minimum(self, a: int, b: int) -> int:
        return a if a < b else b

    def maximum(self, a: int, b: int) -> int:
        return a if a > b else b

    def negate(self, a: int) -> int:
        return MET - a

    def is_met(self, a: int) -> bool:
        return a == MET

    def both(self, a: bool, b: bool) -> bool:  # noqa: FBT001 (truth values are the data here)
        return a and b

    def either(self, a: bool, b: bool) -> bool:  # noqa: FBT001
        return a or b

    def invert(self, a: bool) -> bool:  # noqa: FBT001
        return not a

    def truth(self, flag: bool) -> bool:  # noqa: FBT001
        return flag

    def choose(self, condition: bool, then: int, otherwise: int) -> int:  # noqa: FBT001
        return then if condition else otherwise


SCALAR: Final[Logic[int, bool]] = _Scalar()
"""The logic of single decisions."""


def value(node: Node, leaves: Sequence[V], facts: Mapping[Fact, bool], logic: Logic[V, B]) -> V:
    """The outcome code of *node*, given each count's code in *leaves* and the case *facts*.

    A fact not in *facts* is unknown.

    >>> tree = AnyNode((CountLeaf(0), NotNode(FactLeaf(Fact.CASE_CLOSED, True))))
    >>> value(tree, [NOT_MET], {}, SCALAR)
    1
    >>> value(tree, [NOT_MET], {Fact.CASE_CLOSED: False}, SCALAR)
    2
    """
    match node:
        case CountLeaf(index):
            return leaves[index]
        case FactLeaf(fact, expected):
            known = facts.get(fact)
            if known is None:
                return logic.constant(UNKNOWN)
            return logic.constant(MET if known is expected else NOT_MET)
        case NotNode(part):
            return logic.negate(value(part, leaves, facts, logic))
        case AllNode(parts):
            result = logic.constant(MET)
            for part in parts:
                result = logic.minimum(result, value(part, leaves, facts, logic))
            return result
        case AnyNode(parts):
            result = logic.constant(NOT_MET)
            for part in parts:
                result = logic.maximum(result, value(part, leaves, facts, logic))
            return result
        case _:  # pragma: no cover - exhaustive
            assert_never(node)


def leaves_of(node: Node) -> Iterable[int]:
    """The numbers of the counts *node* depends on."""
    match node:
        case CountLeaf(index):
            yield index
        case FactLeaf():
            return
        case NotNode(part):
            yield from leaves_of(part)
        case AllNode(parts) | AnyNode(parts):
            for part in parts:
                yield from leaves_of(part)
        case _:  # pragma: no cover - exhaustive
            assert_never(node)


def monotone(node: Node) -> bool:
    """Whether *node* can only stop being met as its counts expire (no count beneath a ``not``).

    Fast paths that assume "once not met, not met until a new report" may be
    taken only for monotone trees.

    >>> monotone(AllNode((CountLeaf(0), NotNode(FactLeaf(Fact.CASE_CLOSED, True)))))
    True
    >>> monotone(NotNode(CountLeaf(0)))
    False
    """
    match node:
        case CountLeaf() | FactLeaf():
            return True
        case NotNode(part):
            return not any(True for _ in leaves_of(part))
        case AllNode(parts) | AnyNode(parts):
            return all(monotone(p) for p in parts)
        case _:  # pragma: no cover - exhaustive
            assert_never(node)


# ------------------------------------------------------------ combining a policy


@attrs.frozen
class Combined(Generic[V, B]):
    """A policy's parts combined: what the decision is, and by which route."""

    outcome: V
    """After the statutory floor, when enforced."""
    policy_outcome: V
    """What the policy as written says."""
    route: V
    """A :class:`RouteCode`."""
    matched: tuple[B, ...]
    """One truth value per route of the policy (the mandatory rule, then each local rule)."""
    floor_matched: B
    """Whether the statutory floor is what met it."""


def as_written(logic: Logic[V, B], mandatory: V, local: Sequence[V], conditions: Sequence[V]) -> V:
    """The policy as written: any route (the mandatory rule or a local rule) "and" every local condition.

    When it is met, the statutory floor changes nothing :func:`combine` gives, so an
    engine that needs only the decision may leave the floor unrun.

    >>> as_written(SCALAR, NOT_MET, [MET], [UNKNOWN])
    1
    """
    gate = logic.constant(MET)
    for condition in conditions:
        gate = logic.minimum(gate, condition)
    routes = mandatory
    for part in local:
        routes = logic.maximum(routes, part)
    return logic.minimum(gate, routes)


def combine(
    logic: Logic[V, B],
    mandatory: V,
    local: Sequence[V],
    conditions: Sequence[V],
    floor: V,
    *,
    enforce_floor: bool,
) -> Combined[V, B]:
    """Combine a policy's rule outcomes into a decision, the one way every engine does.

    * The routes are the mandatory rule (s.104(4) as the area words it) and the
      local rules (s.104(5)): any one met meets the policy (Kleene "or").
    * The local conditions must all hold (Kleene "and"; none is "met").
    * The policy as written is the routes "and" the conditions.
    * When the policy as written is not met (or undetermined) but the statutory
      floor, the plain s.104(4) count, is met, the floor decides, unless the
      caller asked for the policy as written (*enforce_floor* false).  A local
      condition cannot lawfully defeat the mandatory route (domain brief,
      section 1; untested in court).

    >>> c = combine(SCALAR, NOT_MET, [MET], [NOT_MET], MET, enforce_floor=True)
    >>> c.outcome, c.policy_outcome, RouteCode(c.route)
    (2, 0, <RouteCode.STATUTORY_FLOOR: 3>)
    """
    policy_outcome = as_written(logic, mandatory, local, conditions)
    policy_met = logic.is_met(policy_outcome)
    floor_met = logic.both(logic.is_met(floor), logic.truth(enforce_floor))
    outcome = logic.choose(logic.either(policy_met, floor_met), logic.constant(MET), policy_outcome)
    route = logic.choose(
        policy_met,
        logic.choose(
            logic.is_met(mandatory),
            logic.constant(RouteCode.MANDATORY),
            logic.constant(RouteCode.DISCRETIONARY),
        ),
        logic.choose(floor_met, logic.constant(RouteCode.STATUTORY_FLOOR), logic.constant(RouteCode.NONE)),
    )
    matched = tuple(logic.both(policy_met, logic.is_met(r)) for r in (mandatory, *local))
    floor_matched = logic.both(logic.invert(policy_met), floor_met)
    return Combined(outcome, policy_outcome, route, matched, floor_matched)


# ------------------------------------------------------------ when it changes

Run = Callable[[dt.date], tuple[bool, dt.date | None]]
"""Decide on a day: whether met, and the last day on which every part keeps its value (None: for ever)."""

_ONE_DAY: Final = dt.timedelta(days=1)


def last_day_met(run: Run, day: dt.date) -> dt.date | None:
    """The last day from *day* on that the decision stays met with nothing new reported.

    ``None`` when it stays met for ever.  *run* must be met on *day*.  The
    decision is re-made on each day where some part changes, so nothing is
    assumed about the direction of a change.

    >>> expiry = {dt.date(2025, 1, 1): dt.date(2025, 1, 9), dt.date(2025, 1, 10): None}
    >>> def run(day):
    ...     return day < dt.date(2025, 1, 10), (dt.date(2025, 1, 9) if day < dt.date(2025, 1, 10) else None)
    >>> last_day_met(run, dt.date(2025, 1, 1))
    datetime.date(2025, 1, 9)
    """
    while True:
        met, last = run(day)
        if not met:
            return day - _ONE_DAY
        if last is None or last >= dt.date.max:
            return None
        day = last + _ONE_DAY


def last_day_any_met(last_days: Iterable[dt.date]) -> dt.date | None:
    """When counts that only ever expire are joined by "or": the day the last of the met ones expires.

    This is what :func:`last_day_met` finds for ``any_of`` counts (no ``not``, no fact), given the
    last day each met count holds: the disjunction stays met while any of them does.  ``None``
    when none is met.

    >>> last_day_any_met([dt.date(2025, 3, 1), dt.date(2025, 6, 30)])
    datetime.date(2025, 6, 30)
    """
    return max(last_days, default=None)


def periods_met(run: Run, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods between *first* and *last* (inclusive) on which the decision is met.

    Each is ``(first day, last day)``; a period that reaches *last* ends there.

    >>> def run(day):  # met, then not, then met again as something ages out
    ...     if day < dt.date(2025, 1, 5):
    ...         return True, dt.date(2025, 1, 4)
    ...     if day < dt.date(2025, 1, 8):
    ...         return False, dt.date(2025, 1, 7)
    ...     return True, None
    >>> periods_met(run, dt.date(2025, 1, 1), dt.date(2025, 1, 31))  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2025, 1, 1), datetime.date(2025, 1, 4)),
     (datetime.date(2025, 1, 8), datetime.date(2025, 1, 31))]
    """
    found: list[tuple[dt.date, dt.date]] = []
    day = first
    while day <= last:
        met, until = run(day)
        end = last if until is None or until >= last else until
        if met:
            if found and found[-1][1] + _ONE_DAY >= day:
                found[-1] = (found[-1][0], end)
            else:
                found.append((day, end))
        if end >= last:
            break
        day = end + _ONE_DAY
    return found
