"""Evaluate an application under a policy, and the decision that results.

:func:`evaluate` runs the policy's mandatory route (s.104(4)), its local
rules (s.104(5)) and its local conditions, and always the statutory floor:
the plain s.104(4) count with the policy's number (or, as a named setting,
never more than three: :class:`~.law.floor.FloorReading`).  When the floor is
met but the policy as written is not, the decision says so
(:attr:`NoticeCode.STATUTORY_FLOOR_CONFLICT`) and, unless the caller turns it
off, the floor decides: a local condition cannot lawfully
defeat the mandatory route (domain brief section 1; untested in court).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import operator
from collections.abc import Iterable
from functools import cached_property, partial
from typing import Final, NamedTuple

import attrs

from ._limits import supported_day
from .dates import BUILT_IN_HOLIDAYS, earliest_start, london_day, months
from .errors import InvalidInput, InvalidPolicy
from .law.floor import FloorReading, floor_number
from .law.floor import floor_rule as _floor_rule
from .law.logic import MET, NOT_MET, SCALAR, UNKNOWN, Outcome, RouteCode, combine, last_day_met
from .models import Application, in_order
from .policy import EXPLANATORY_NOTES, GUIDANCE_2025, STATUTE, STATUTORY_THRESHOLD, Policy
from .qualifying import Fate, Reason, Shared, public_repr
from .rules import Context, Count, Not, Result, Rule, Source, Tally, unit_noun

__all__ = [
    "Decision",
    "Notice",
    "NoticeCode",
    "Route",
    "Shortfall",
    "evaluate",
]

_SIX_MONTHS: Final = months(6)


# An enum's members are looked up by name on each use: the two compared on every evaluation are kept.
_OUTCOME_MET: Final = Outcome.MET
_OUTCOME_UNKNOWN: Final = Outcome.UNKNOWN


def _code(outcome: Outcome) -> int:
    """``outcome.code``, told by identity (an enum's hash is worked out in Python, each time)."""
    return MET if outcome is _OUTCOME_MET else UNKNOWN if outcome is _OUTCOME_UNKNOWN else NOT_MET


_MADE_ON: Final = operator.attrgetter("made_on")
_REPORTER: Final = operator.attrgetter("reporter")


class Route(enum.StrEnum):
    """By which route the threshold was met."""

    MANDATORY = "mandatory"
    """s.104(4): enough qualifying complaints, under the policy's own mandatory rule."""
    DISCRETIONARY = "discretionary"
    """s.104(5): one of the area's local rules."""
    STATUTORY_FLOOR = "statutory_floor"
    """s.104(4) applied over a policy that, as written, would have turned the application away."""


_ROUTES: Final = {
    RouteCode.NONE: None,
    RouteCode.MANDATORY: Route.MANDATORY,
    RouteCode.DISCRETIONARY: Route.DISCRETIONARY,
    RouteCode.STATUTORY_FLOOR: Route.STATUTORY_FLOOR,
}


def route_of(code: int) -> Route | None:
    """The :class:`Route` a :class:`~.law.logic.RouteCode` stands for (``None``: not met).

    >>> route_of(RouteCode.STATUTORY_FLOOR)
    <Route.STATUTORY_FLOOR: 'statutory_floor'>
    """
    return _ROUTES[RouteCode(code)]


class NoticeCode(enum.StrEnum):
    """What a notice on a decision is about."""

    THRESHOLD_ABOVE_THREE = "threshold_above_three"
    STATUTORY_FLOOR_CONFLICT = "statutory_floor_conflict"
    """The policy as written says not met where s.104(4) says met."""
    FLOOR_OVER_UNDETERMINED = "floor_over_undetermined"
    """The policy as written cannot be decided (facts not supplied), and s.104(4) is met."""
    POLICY_NOT_IN_FORCE = "policy_not_in_force"
    EXPLAIN_CASE_REVIEW = "explain_case_review"
    UNDETERMINED = "undetermined"


@attrs.frozen
class Notice:
    """A warning or signal attached to a decision, with the source it rests on."""

    code: NoticeCode
    message: str
    source: Source | None = None


@attrs.frozen
class Shortfall:
    """A count that is not met: how far short, and by when the rest would have to come."""

    rule: str
    """The id of the rule the count belongs to."""
    tally: Tally

    def describe(self, noun: str | None = None) -> str:
        """E.g. "2 of 3 complaints; 1 more made by 2026-02-28 would meet it"."""
        tally = self.tally
        what = noun or unit_noun(tally.unit, tally.at_least)
        text = f"{tally.count} of {tally.at_least} {what}"
        if tally.closed is not None:
            return f"{text}; no new report can meet it: {tally.closed}"
        if not tally.combinable and tally.rejoin is not None:
            units, last = tally.rejoin
            return (
                f"{text}; the window they fall in has closed, so no new report can combine with them: "
                f"{tally.new_needed} more made by {last} would meet it with the {units} "
                f"{unit_noun(tally.unit, units)} of a later run still open"
            )
        if not tally.combinable:
            return (
                f"{text}; the window they fall in has closed, so no new report can combine with them: "
                f"{tally.at_least} new ones would meet it"
            )
        if tally.deadline is None:
            return f"{text}; {tally.shortfall} more within the time limits would meet it"
        return f"{text}; {tally.shortfall} more made by {tally.deadline} would meet it"


class _Floor(partial[Result]):
    """The statutory floor's result (the floor rule called on the context), run the first time it is read.

    When the policy as written is met the floor changes nothing in the decision
    (``law.logic.as_written``), so it is run only when an explanation asks for
    it.  Two threads reading at once may both run it; the results are equal.
    A partial, built in C: a decision met as written makes one on every evaluation.
    """

    __slots__ = ()

    def get(self) -> Result:
        """The floor's result, run on the first call."""
        held = self.__dict__
        result: Result | None = held.get("result")
        if result is None:
            result = held["result"] = self()
        return result


def _floor_result(value: Result | _Floor) -> Result:
    return value if isinstance(value, Result) else value.get()


Notices = tuple[tuple[Notice, ...], tuple[Notice, ...]]
"""A decision's warnings and its signals."""


class _Notices(partial[Notices]):
    """A decision's warnings and signals (``_notices`` on its values), made the first time either is read.

    Most decisions are asked only for their outcome; the notices' wording is
    built when an explanation reads them.  Two threads reading at once may both
    make them; they are equal values, so either may be kept.  A partial, built
    in C: every evaluation makes one.
    """

    __slots__ = ()

    def get(self) -> Notices:
        """The warnings and signals, made on the first call."""
        held = self.__dict__
        made: Notices | None = held.get("made")
        if made is None:
            made = held["made"] = self()
        return made


def _warnings_of(value: tuple[Notice, ...] | _Notices) -> tuple[Notice, ...]:
    return value if isinstance(value, tuple) else value.get()[0]


def _signals_of(value: tuple[Notice, ...] | _Notices) -> tuple[Notice, ...]:
    return value if isinstance(value, tuple) else value.get()[1]


class _Run(NamedTuple):
    """The results of one run of a policy on one date."""

    outcome: Outcome
    policy_outcome: Outcome
    route: Route | None
    matched: tuple[str, ...]
    mandatory: Result
    local: tuple[Result, ...]
    conditions: tuple[Result, ...]
    later_floor: Result | _Floor

    @property
    def floor(self) -> Result:
        return _floor_result(self.later_floor)

    def results(self) -> Iterable[Result]:
        yield self.mandatory
        yield from self.local
        yield from self.conditions
        yield self.floor


@functools.lru_cache(maxsize=4096)
def _combined(
    mandatory: int,
    local: tuple[int, ...],
    conditions: tuple[int, ...],
    floor: int,
    enforce_floor: bool,  # noqa: FBT001 - positional: the arguments are the cache's key
) -> tuple[Outcome, Outcome, Route | None, tuple[bool, ...], bool]:
    """``law.logic.combine`` on single outcome codes, as outcomes and a route.

    A pure function of a few small codes: worked out once for each pattern of them.
    """
    combined = combine(SCALAR, mandatory, local, conditions, floor, enforce_floor=enforce_floor)
    return (
        Outcome.of(combined.outcome),
        Outcome.of(combined.policy_outcome),
        _ROUTES[RouteCode(combined.route)],
        combined.matched,
        combined.floor_matched,
    )


def _run(policy: Policy, floor_rule: Rule, context: Context, *, enforce_floor: bool) -> _Run:
    mandatory = policy.mandatory(context)
    # Many policies have no local rules or conditions: their empty tuples are not built again.
    local = tuple([r(context) for r in policy.local]) if policy.local else ()
    conditions = tuple([r(context) for r in policy.conditions]) if policy.conditions else ()
    mandatory_code = _code(mandatory.outcome)
    local_codes = tuple([_code(r.outcome) for r in local]) if local else ()
    condition_codes = tuple([_code(c.outcome) for c in conditions]) if conditions else ()
    floor: Result | _Floor
    if floor_rule is policy.mandatory:
        floor = mandatory
        combined = _combined(mandatory_code, local_codes, condition_codes, mandatory_code, enforce_floor)
    else:
        # Combined first with a floor not met: its policy outcome is the policy as written
        # (law.logic.as_written), which the floor never changes.
        combined = _combined(mandatory_code, local_codes, condition_codes, NOT_MET, enforce_floor)
        if combined[1] is _OUTCOME_MET:
            # The floor decides nothing here (law.logic.as_written): it runs when it is read.
            floor = _Floor(floor_rule, context)
        else:
            floor = floor_rule(context)
            floor_code = _code(floor.outcome)
            if floor_code != NOT_MET:
                combined = _combined(mandatory_code, local_codes, condition_codes, floor_code, enforce_floor)
    outcome, policy_outcome, route, hits, floor_matched = combined
    if floor_matched:
        matched: tuple[str, ...] = (floor_rule.id,)
    elif not policy.local:
        matched = (policy.mandatory.id,) if hits[0] else ()
    else:
        rules = (policy.mandatory, *policy.local)
        matched = tuple([r.id for r, hit in zip(rules, hits, strict=True) if hit])
    # The named tuple built as a tuple (its generated __new__ is a Python call on every evaluation).
    return tuple.__new__(_Run, (outcome, policy_outcome, route, matched, mandatory, local, conditions, floor))


def _without_later_reports(application: Application, as_of: dt.date) -> Application:
    kept = tuple(r for r in application.reports if r.made_on <= as_of)
    if len(kept) == len(application.reports):
        return application
    return attrs.evolve(application, reports=kept)


def _counts(result: Result, rule_id: str, *, under_not: bool = True) -> Iterable[tuple[str, Result]]:
    """Every count in *result* with the id of the rule it belongs to, in order.

    With *under_not* false, counts beneath a ``not_`` are left out: meeting
    one of those would un-meet its rule, so it is no near miss.
    """
    if isinstance(result.predicate, Rule):
        rule_id = result.predicate.id
    if isinstance(result.predicate, Count):
        yield rule_id, result
    if isinstance(result.predicate, Not) and not under_not:
        return
    for child in result.children:
        yield from _counts(child, rule_id, under_not=under_not)


@attrs.frozen(repr=False, slots=False)  # built on every evaluation: a dict class sets its fields faster
class Decision:
    """Whether the threshold for an ASB Case Review is met, and why.

    ``outcome`` is the answer after the statutory floor (when enforced);
    ``policy_outcome`` is what the policy as written says.  ``fates`` gives
    every report's fate under the rule that decided: the matched rule when
    met, else the statutory floor.
    """

    application: Application = attrs.field(repr=False)
    policy: Policy = attrs.field(repr=False)
    as_of: dt.date
    outcome: Outcome
    policy_outcome: Outcome
    route: Route | None
    matched: tuple[str, ...]
    mandatory: Result = attrs.field(repr=False)
    local: tuple[Result, ...] = attrs.field(repr=False)
    conditions: tuple[Result, ...] = attrs.field(repr=False)
    _floor: Result | _Floor = attrs.field(repr=False, alias="floor", eq=_floor_result)
    enforce_floor: bool = attrs.field(repr=False)
    floor_reading: FloorReading = attrs.field(repr=False)
    _warnings: tuple[Notice, ...] | _Notices = attrs.field(alias="warnings", eq=_warnings_of)
    _signals: tuple[Notice, ...] | _Notices = attrs.field(alias="signals", eq=_signals_of)

    def __repr__(self) -> str:
        return public_repr(self)

    @property
    def warnings(self) -> tuple[Notice, ...]:
        """What the decision warns of: a threshold above three, a conflict with the statutory floor, ..."""
        return _warnings_of(self._warnings)

    @property
    def signals(self) -> tuple[Notice, ...]:
        """What the decision signals whatever its outcome (the review to be explained to the victim)."""
        return _signals_of(self._signals)

    @property
    def met(self) -> bool:
        """Whether the threshold is met."""
        return self.outcome is Outcome.MET

    @property
    def policy_name(self) -> str:
        """The policy id and version that ran, e.g. ``statutory@2014-10-20``."""
        return f"{self.policy.id}@{self.policy.version}"

    def rule_results(self) -> Iterable[tuple[str, Rule, Result]]:
        """Each rule of the policy with its path and its result."""
        results = [self.mandatory, *self.local, *self.conditions]
        for (path, item), result in zip(self.policy.rules(), results, strict=True):
            yield path, item, result

    @property
    def floor(self) -> Result:
        """The statutory floor's result (run when first read if the policy as written is met)."""
        return _floor_result(self._floor)

    @property
    def floor_rule(self) -> Rule:
        """The statutory floor rule that ran beside the policy."""
        return _floor_rule(self.policy, self.floor_reading)

    def find_rule(self, rule_id: str) -> Rule:
        """The rule of the policy (or the statutory floor) with id *rule_id*."""
        for _, item in self.policy.rules():
            if item.id == rule_id:
                return item
        if self.floor_rule.id == rule_id:
            return self.floor_rule
        raise KeyError(rule_id)

    @property
    def deciding(self) -> Result:
        """The result whose counts explain the decision."""
        if self.route is Route.MANDATORY:
            return self.mandatory
        if self.route is Route.DISCRETIONARY:
            return next(r for r in self.local if r.met)
        return self.floor

    @property
    def fates(self) -> tuple[Fate, ...]:
        """Every report's fate under the deciding rule: its first met count when met, else its first count."""
        counts = [node for _, node in _counts(self.deciding, "", under_not=False)]
        chosen = next((n for n in counts if n.met), None) if self.met else None
        if chosen is None and counts:
            chosen = counts[0]
        if chosen is None or chosen.tally is None:
            return ()
        return chosen.tally.fates

    def counted(self) -> tuple[str, ...]:
        """The ids of the reports counted under the deciding rule."""
        return tuple(f.report for f in self.fates if f.reason is Reason.COUNTED)

    def shortfalls(self) -> tuple[Shortfall, ...]:
        """For each unmet count of the routes: how far short, and by when (the near miss)."""
        found: list[Shortfall] = []
        for result in (self.mandatory, *self.local):
            for rule_id, node in _counts(result, "", under_not=False):
                if not node.met and node.tally is not None:
                    found.append(Shortfall(rule_id, node.tally))
        return tuple(found)

    def assumptions(self) -> tuple[tuple[str, str], ...]:
        """The settings that ran where the law is uncertain, for the record."""
        seen: dict[tuple[str, str], None] = {}
        for _, _, result in self.rule_results():
            for _, node in _counts(result, ""):
                assert isinstance(node.predicate, Count)
                selection = node.predicate.selection
                seen[("window arithmetic", selection.window.arithmetic.value)] = None
                seen[("continuing behaviour day", selection.behaviour_day.value)] = None
                seen[("counting unit", node.predicate.unit.value)] = None
        seen[("relatedness key", self.application.related_by)] = None
        seen[("statutory floor", "enforced" if self.enforce_floor else "reported only")] = None
        seen[("statutory floor number", self.floor_reading.value)] = None
        if self.policy.timescales.recorded():
            # The letter's working-day dates are counted with the built-in list; say which ran.
            seen[("bank holidays", BUILT_IN_HOLIDAYS.name)] = None
        return tuple(seen)

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter; the renderer is imported only when a notebook asks."""
        from .html import decision_html  # noqa: PLC0415 - kept out of the core's import time

        return decision_html(self)

    @property
    def unchanged_until(self) -> dt.date | None:
        """The last application date on which every rule's result stays as it is, nothing new reported.

        ``None``: for ever.
        Later reports aside, a decision can change only on the day after this;
        :attr:`met_until` and the sweeps' standings search those days.
        """
        return _unchanged_until(self.results(), self.as_of)

    def results(self) -> Iterable[Result]:
        """Every rule's result: the mandatory rule, the local rules, the conditions, the floor."""
        yield self.mandatory
        yield from self.local
        yield from self.conditions
        yield self.floor

    @cached_property
    def met_until(self) -> dt.date | None:
        """When met: the last application date on which it stays met if nothing new is reported.

        ``None`` when met indefinitely (a rule on case facts alone) or when not met.
        The decision is re-made on each day some rule's result changes
        (``law.logic.last_day_met``), whichever way it changes.
        """
        if not self.met:
            return None
        application = _without_later_reports(self.application, self.as_of)
        floor = self.floor_rule
        policy, enforce_floor = self.policy, self.enforce_floor
        # The re-runs share what does not depend on the day (reports in order, days of behaviour).
        shared = Shared(application)

        def run(day: dt.date) -> tuple[bool, dt.date | None]:
            ran = _run(policy, floor, Context(application, day, shared=shared), enforce_floor=enforce_floor)
            return ran.outcome is Outcome.MET, _unchanged_until(ran.results(), day)

        return last_day_met(run, self.as_of)


def _unchanged_until(results: Iterable[Result], day: dt.date) -> dt.date | None:
    changes = [
        node.valid_until
        for result in results
        for node in result.walk()
        if node.valid_until is not None and node.valid_until >= day
    ]
    return min(changes, default=None)


def _notices(  # noqa: PLR0917 - every value a decision's notices are made from
    application: Application,
    policy: Policy,
    day: dt.date,
    run: _Run,
    enforce_floor: bool,  # noqa: FBT001 - as evaluate passes it
    floor_reading: FloorReading,
) -> Notices:
    """A decision's warnings and signals."""
    outcome, policy_outcome, floor = run.outcome, run.policy_outcome, run.later_floor
    reports = in_order(application).reports
    warnings: list[Notice] = []
    if policy.threshold > STATUTORY_THRESHOLD:
        warnings.append(
            Notice(
                NoticeCode.THRESHOLD_ABOVE_THREE,
                f"the policy asks for {policy.threshold} qualifying complaints; the Explanatory Notes "
                "(para 231) say the threshold should be set no higher than three; the statutory floor "
                f"here asks for {floor_number(policy, floor_reading)} "
                f"(floor reading {floor_reading.value})",
                EXPLANATORY_NOTES,
            )
        )
    if policy_outcome is Outcome.UNKNOWN and _floor_result(floor).met:
        # Not a conflict: the local answer is unknown, but whatever it turns out to be,
        # the mandatory route already requires the threshold to be met.
        warnings.append(
            Notice(
                NoticeCode.FLOOR_OVER_UNDETERMINED,
                "the policy as written cannot be decided without facts that were not supplied, "
                "but s.104(4) is met, so the threshold is met whatever they are"
                + ("" if enforce_floor else "; the policy's answer is kept"),
                STATUTE,
            )
        )
    if policy_outcome is Outcome.NOT_MET and _floor_result(floor).met:
        action = "the statutory floor decides" if enforce_floor else "the policy's answer is kept"
        if floor_number(policy, floor_reading) < policy.threshold:
            # The floor was read as three (FloorReading.AT_MOST_THREE): the Explanatory
            # Notes' reading of s.104(4), named, since it is not the statute's words.
            reason = (
                f"three qualifying complaints were made; the policy asks for {policy.threshold}, "
                "but the Explanatory Notes (para 231) say the threshold of s.104(4) should be set "
                "no higher than three"
            )
            cited = EXPLANATORY_NOTES
        else:
            made = "complaint was" if policy.threshold == 1 else "complaints were"
            reason = (
                f"at least {policy.threshold} qualifying {made} made, so s.104(4) "
                "requires the threshold to be met"
            )
            cited = STATUTE
        warnings.append(
            Notice(
                NoticeCode.STATUTORY_FLOOR_CONFLICT,
                f"the policy as written says {policy_outcome.value.replace('_', ' ')}, "
                f"but {reason}; {action}",
                cited,
            )
        )
    if not policy.in_force(day):
        warnings.append(
            Notice(
                NoticeCode.POLICY_NOT_IN_FORCE,
                f"policy {policy.id} version {policy.version} is not in force on {day}",
                policy.source,
            )
        )
    if outcome is Outcome.UNKNOWN:
        warnings.append(
            Notice(
                NoticeCode.UNDETERMINED,
                "the answer depends on facts that were not supplied",
            )
        )

    signals: list[Notice] = []
    victim = application.victim
    window_start = earliest_start(day, _SIX_MONTHS)
    # The reports in the order they were made: those of the six months are one slice of them.
    first = bisect.bisect_left(reports, window_start, key=_MADE_ON)
    in_six_months = reports[first : bisect.bisect_right(reports, day, lo=first, key=_MADE_ON)]
    recent = list(map(_REPORTER, in_six_months)).count(victim)
    if recent >= 2:
        signals.append(
            Notice(
                NoticeCode.EXPLAIN_CASE_REVIEW,
                f"the victim has made {recent} reports of anti-social behaviour in the six "
                "months before this date: every effort must be made to explain the ASB Case "
                "Review to them, whether or not the threshold is met",
                GUIDANCE_2025,
            )
        )

    return tuple(warnings), tuple(signals)


_FLOOR_RULES: Final[dict[tuple[int, FloorReading], tuple[Policy, Rule]]] = {}
"""The floor rule of each policy evaluated lately and each reading, by the policy's identity (kept
with the policy, so that the identity is never another's): ``law.floor.floor_rule`` is a pure
function of the (immutable) policy."""
_MOST_FLOOR_RULES: Final = 512


def _policy_floor(policy: Policy, reading: FloorReading) -> Rule:
    """``law.floor.floor_rule(policy, reading)``, worked out once for each policy evaluated."""
    found = _FLOOR_RULES.get((id(policy), reading))
    if found is not None and found[0] is policy:
        return found[1]
    rule = _floor_rule(policy, reading)
    if len(_FLOOR_RULES) >= _MOST_FLOOR_RULES:
        _FLOOR_RULES.clear()
    _FLOOR_RULES[id(policy), reading] = (policy, rule)
    return rule


def _floor_reading(value: object) -> FloorReading:
    try:
        return FloorReading(str(value))
    except ValueError:
        choices = ", ".join(r.value for r in FloorReading)
        raise InvalidInput("floor_reading", value, f"must be one of {choices}") from None


def evaluate(
    application: Application,
    policy: Policy,
    *,
    as_of: dt.date | None = None,
    enforce_floor: bool = True,
    floor_reading: FloorReading = FloorReading.POLICY_NUMBER,
) -> Decision:
    """Decide whether *application* meets the threshold under *policy*.

    *as_of* is the date the application is taken to be made (its own date
    unless given): a what-if, such as "had they applied a month later".  The
    statute measures every window to the day an application is made, never
    to the day it is decided, so pass a decision date here only to ask that
    question.  An aware datetime stands for its Europe/London calendar day.
    With *enforce_floor* false the decision follows the policy as written,
    and a statutory-floor conflict is only reported.  *floor_reading* says
    what number the floor uses when the policy asks for more than three
    complaints: the policy's own, as s.104(4)'s words allow (the default),
    or three, as the Explanatory Notes say (:class:`~.law.floor.FloorReading`).

    >>> from asb_case_review.examples import example_application
    >>> from asb_case_review.catalogue import STATUTORY
    >>> evaluate(example_application(), STATUTORY).outcome
    <Outcome.MET: 'met'>
    """
    # An aware timestamp belongs to its Europe/London day; anything else that
    # is not a date is refused here, naming as_of, rather than failing later
    # with a TypeError in the middle of the date arithmetic.
    if not isinstance(application, Application):
        raise InvalidInput("application", application, "must be an Application")
    if not isinstance(policy, Policy):
        raise InvalidPolicy("policy", policy, "must be a Policy; get_policy(name) gives a built-in one")
    if not isinstance(enforce_floor, bool):
        raise InvalidInput("enforce_floor", enforce_floor, "must be True or False")
    day = application.made_on if as_of is None else supported_day(london_day(as_of, "as_of"), "as_of")
    if not isinstance(floor_reading, FloorReading):
        floor_reading = _floor_reading(floor_reading)
    floor_rule = _policy_floor(policy, floor_reading)
    context = Context(application, day)
    run = _run(policy, floor_rule, context, enforce_floor=enforce_floor)

    notices = _Notices(_notices, application, policy, day, run, enforce_floor, floor_reading)
    # The fields in their order, passed by position (keywords cost more on every evaluation).
    return Decision(
        application,
        policy,
        day,
        run.outcome,
        run.policy_outcome,
        run.route,
        run.matched,
        run.mandatory,
        run.local,
        run.conditions,
        run.later_floor,
        enforce_floor,
        floor_reading,
        notices,
        notices,
    )
