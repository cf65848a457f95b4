"""The statutory floor: the plain s.104(4) count that runs beside every policy.

Whatever an area's procedures say, s.104(4) requires the threshold to be met
when at least three (or the procedures' smaller number of) qualifying
complaints have been made about the behaviour.  The floor is that count, with
the policy's own number where it is three or fewer and three where the policy
asks for more (the Explanatory Notes, para 231: no higher than three).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import attrs

from ..policy import STATUTORY_THRESHOLD, Policy, statutory_route
from ..rules import Rule

__all__ = ["FLOOR_ID", "floor_rule"]

FLOOR_ID: Final = "statutory-floor"
"""The id the floor carries when it is not the policy's own mandatory rule."""

# The floor for each number a policy can have (1 to 3), built once: building rules is the
# costliest part of a small evaluation, and the values are immutable, so sharing them is safe.
_FLOORS: Final = MappingProxyType({n: statutory_route(n) for n in range(1, STATUTORY_THRESHOLD + 1)})


def floor_rule(policy: Policy) -> Rule:
    """The statutory floor that runs beside *policy*.

    It is the policy's own mandatory rule when that is the plain statutory
    route; otherwise it carries the id ``statutory-floor``, so that it is never
    mistaken for a rule of the policy.

    >>> from asb_case_review.catalogue import STATUTORY
    >>> floor_rule(STATUTORY).id
    's104-4'
    """
    floor = _FLOORS[min(policy.threshold, STATUTORY_THRESHOLD)]
    if policy.mandatory is floor or policy.mandatory == floor:
        return policy.mandatory
    return attrs.evolve(floor, id=FLOOR_ID)
