"""The statutory floor: the plain s.104(4) count that runs beside every policy.

Whatever an area's procedures say, s.104(4) requires the threshold to be met
when at least three (or the number the procedures specify) qualifying
complaints have been made about the behaviour.  The floor is that count.  Where
a policy specifies more than three, the statute's words make the policy's
number the floor (the default); the Explanatory Notes (para 231, not law) say
no higher than three, and reading the floor as three is a named setting,
:attr:`FloorReading.AT_MOST_THREE`, never the silent default.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Final, assert_never

import attrs

from ..policy import STATUTORY_THRESHOLD, Policy, statutory_route
from ..rules import Rule

__all__ = ["FLOOR_ID", "FloorReading", "floor_number", "floor_rule"]


class FloorReading(enum.StrEnum):
    """What number the statutory floor uses when a policy specifies more than three.

    s.104(4) says "at least three (or, if a different number is specified in the
    review procedures, at least that number of)"; the Explanatory Notes (para 231,
    not law) say the threshold should be set no higher than three.  The words of
    the statute are the default; every decision names the reading that ran, and
    warns when a policy asks for more than three.
    """

    POLICY_NUMBER = "policy_number"
    """The policy's own number, as the statute's words allow (the default)."""
    AT_MOST_THREE = "at_most_three"
    """Never more than three, as the Explanatory Notes say the threshold should be."""


FLOOR_ID: Final = "statutory-floor"
"""The id the floor carries when it is not the policy's own mandatory rule."""

# The floor for each number a policy can have (1 to 3), built once: building rules is the
# costliest part of a small evaluation, and the values are immutable, so sharing them is safe.
_FLOORS: Final = MappingProxyType({n: statutory_route(n) for n in range(1, STATUTORY_THRESHOLD + 1)})
# The same rules under the floor's own id, for the policies whose mandatory rule is not the plain
# statutory route: renaming a rule re-checks it, which would otherwise be paid on every evaluation.
_RENAMED: Final = MappingProxyType({n: attrs.evolve(rule, id=FLOOR_ID) for n, rule in _FLOORS.items()})


def floor_number(policy: Policy, reading: FloorReading = FloorReading.POLICY_NUMBER) -> int:
    """How many qualifying complaints the floor asks for under *reading*."""
    match reading:
        case FloorReading.POLICY_NUMBER:
            return policy.threshold
        case FloorReading.AT_MOST_THREE:
            return min(policy.threshold, STATUTORY_THRESHOLD)
        case _:  # pragma: no cover - exhaustive
            assert_never(reading)


def floor_rule(policy: Policy, reading: FloorReading = FloorReading.POLICY_NUMBER) -> Rule:
    """The statutory floor that runs beside *policy*, with the number *reading* gives.

    It is the policy's own mandatory rule when that is the plain statutory
    route; otherwise it carries the id ``statutory-floor``, so that it is never
    mistaken for a rule of the policy.

    >>> from asb_case_review.catalogue import STATUTORY
    >>> floor_rule(STATUTORY).id
    's104-4'
    """
    number = floor_number(policy, reading)
    if number in _FLOORS:
        floor = _FLOORS[number]
        if policy.mandatory is floor or policy.mandatory == floor:
            return policy.mandatory
        return _RENAMED[number]
    floor = statutory_route(number)
    if policy.mandatory == floor:
        return policy.mandatory
    return attrs.evolve(floor, id=FLOOR_ID)
