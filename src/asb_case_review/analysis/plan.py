"""A policy compiled for batch sweeps: the count rules it is made of, in plain values.

The sweeps answer exactly what :func:`~asb_case_review.decision.evaluate` would
answer, but only for policies whose rules are all plain counts whose window
is counted back from the application date by the day each report was made
(the statute's own anchor and the "in the last six months" wording), with
a report lag that applies to every report.  :func:`compile_policy` checks
this and says which rule falls outside; such a policy is then swept report
by report with ``evaluate`` itself.

>>> from asb_case_review.policy import MERSEYSIDE
>>> for c in compile_policy(MERSEYSIDE).counts:
...     print(c.rule_id, c.at_least, c.unit.value, "victim" if c.victim else "anyone")
s104-4 3 complaints anyone
personal 3 incidents victim
community 5 reporters anyone
hate 1 incidents victim
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from ..dates import Arithmetic, Span
from ..models import Agency
from ..policy import STATUTORY_THRESHOLD, Policy, statutory_route
from ..qualifying import Anchor, BehaviourDay, DateOf, LagScope, Who
from ..rules import Count, CountUnit, Rule

__all__ = ["CountPlan", "PolicyPlan", "Unsupported", "compile_policy", "floor_rule"]

FLOOR_ID: Final = "statutory-floor"


class Unsupported(Exception):
    """A rule of the policy is outside what the batch sweeps compute directly."""


@attrs.frozen
class CountPlan:
    """One count rule, flattened."""

    rule_id: str
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


@attrs.frozen
class PolicyPlan:
    """A policy as a list of count plans: the mandatory route, the local rules, then the floor.

    ``floor`` is the index of the statutory floor's plan (0 when the policy's
    own mandatory rule is the floor).
    """

    policy: Policy
    counts: tuple[CountPlan, ...]
    floor: int

    @property
    def routes(self) -> int:
        """How many plans are routes of the policy (the mandatory rule and the local rules)."""
        return 1 + len(self.policy.local)


def floor_rule(policy: Policy) -> Rule:
    """The statutory floor that runs beside *policy*, exactly as ``evaluate`` builds it.

    >>> from asb_case_review.policy import STATUTORY
    >>> floor_rule(STATUTORY).id
    's104-4'
    """
    floor = statutory_route(min(policy.threshold, STATUTORY_THRESHOLD))
    if policy.mandatory == floor:
        return policy.mandatory
    return attrs.evolve(floor, id=FLOOR_ID)


def _plan(path: str, item: Rule) -> CountPlan:
    predicate = item.predicate
    if not isinstance(predicate, Count):
        raise Unsupported(f"{path} ({item.id}) is not a plain count")
    selection = predicate.selection
    window = selection.window
    if window.anchor not in (Anchor.EACH_REPORT, Anchor.APPLICATION):
        raise Unsupported(f"{path} ({item.id}) anchors its window on {window.anchor.value}")
    if window.date_of is not DateOf.REPORT:
        raise Unsupported(f"{path} ({item.id}) tests the incident date against its window")
    if predicate.unit is CountUnit.HOUSEHOLDS:
        raise Unsupported(f"{path} ({item.id}) counts households")
    lag = selection.lag
    if lag is not None and lag.applies_to is not LagScope.EVERY:
        raise Unsupported(f"{path} ({item.id}) holds only the first report to its lag")
    return CountPlan(
        rule_id=item.id,
        at_least=predicate.at_least,
        unit=predicate.unit,
        victim=selection.who is Who.VICTIM,
        hate_only=selection.hate_only,
        exclude_kinds=selection.exclude_kinds,
        agencies=selection.agencies,
        lag=None if lag is None else lag.span,
        lag_arithmetic=Arithmetic.STATUTORY if lag is None else lag.arithmetic,
        window=window.span,
        window_arithmetic=window.arithmetic,
        behaviour_day=selection.behaviour_day,
    )


def compile_policy(policy: Policy) -> PolicyPlan:
    """*policy* as count plans, or :class:`Unsupported` naming the rule that is not a plain count."""
    if policy.conditions:
        raise Unsupported("the policy has local conditions")
    counts = [_plan(path, item) for path, item in policy.rules()]
    floor = floor_rule(policy)
    if floor is policy.mandatory:
        return PolicyPlan(policy, tuple(counts), 0)
    counts.append(_plan("floor", floor))
    return PolicyPlan(policy, tuple(counts), len(counts) - 1)
