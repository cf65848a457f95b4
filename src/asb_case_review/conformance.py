"""Statutory conformance: where a policy as written departs from s.104 and its guidance.

:func:`check` reads a policy's rules and reports each departure as a
:class:`Finding` with a severity, the section it rests on, and a concrete
example application that shows it.  The examples are not made up by hand:
each is found by evaluating candidate applications under the policy, and a
departure in the rules is reported only when an example demonstrates it (a
short window under a ``not`` narrows nothing, and is not reported).

Whatever the shape of the rules, :func:`check` searches for an application
that the policy as written turns away while the statutory floor accepts it
(the family of applications tried is described at :func:`_report_sets`).
Each conflict found is named by its cause where one explains it: a setting of
a count, a part attached to the mandatory route by ``all_of``, a condition;
otherwise it is a ``statutory_floor_conflict`` of the routes.  So every policy
that can turn such an application away has an error among its findings.

Severities:

* ``error``: the policy as written can turn away an application that
  s.104(4) requires the relevant bodies to accept.  The example meets the
  statutory floor, and ``evaluate(example, policy, enforce_floor=False)``
  says the policy is not met.  (Evaluation with the floor enforced still
  accepts it; the finding is about the published wording.)
* ``warning``: contrary to the guidance, or a procedural requirement of the
  Act missing (no appeal route, Schedule 4 para 3; a threshold above three,
  Explanatory Notes para 231; a consent condition the statute does not make,
  whose conflict with s.104(4) is also an error); or a narrowing of the
  mandatory route that another route of the policy makes good.
  An ``unchecked`` error names a setting of a count that the search does not
  model (a setting added to the law since): the search cannot vary the
  reports by it, so it cannot vouch for the rule, and says so rather than
  pass it.
* ``info``: a local rule under s.104(5) is narrower than the statute on one
  point (a shorter report lag, a shorter or differently anchored window, an
  excluded report kind).  The local route is the area's to set; the finding
  shows an application the rule turns away that the statute's setting would
  let in, so that the wording can be checked against what was meant.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final, TypeVar

import attrs

from .dates import TimeUnit, earliest_start, months
from .decision import evaluate
from .law.floor import FloorReading, floor_rule
from .law.logic import conjunction, disjunction
from .law.reports import refusals
from .models import Agency, Application, Fact, Incident, Report
from .policy import (
    EXPLANATORY_NOTES,
    GUIDANCE_2025,
    SCHEDULE_4,
    STATUTE,
    STATUTORY_THRESHOLD,
    Area,
    Policy,
)
from .qualifying import Anchor, DateOf, Lag, Selection, Who, Window
from .rules import (
    AllOf,
    AnyOf,
    Consent,
    Context,
    Count,
    CountUnit,
    FactIs,
    Not,
    Outcome,
    Predicate,
    Recency,
    Rule,
    Source,
)

__all__ = ["Code", "Finding", "Severity", "check", "check_area"]

_SIX_MONTHS_MAX_DAYS: Final = 184
"""The longest six calendar months (1 July to 31 December): a window of fewer days is shorter somewhere."""
_ONE_MONTH_MAX_DAYS: Final = 31
"""The longest calendar month: a lag of fewer days is stricter than one month somewhere."""
_T = TypeVar("_T")
_NAMING_LIMIT: Final = 1000
"""How many candidates a search that names the cause of a conflict tries (the simplest first).

The search for the conflict itself tries every candidate; when naming its cause
fails within the limit, the conflict is still reported, as a conflict of the routes."""
_EXAMPLE_DAY: Final = dt.date(2026, 2, 28)
"""The application date examples are built around, when the policy is in force on it."""


class Severity(enum.StrEnum):
    """How serious a finding is; see the module documentation."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(enum.StrEnum):
    """What a finding is about."""

    THRESHOLD_ABOVE_THREE = "threshold_above_three"
    MANDATORY_NARROWER = "mandatory_narrower"
    """The mandatory route counts fewer complaints than s.104(4) does (whose, which, how)."""
    LAG_STRICTER = "lag_stricter"
    WINDOW_SHORTER = "window_shorter"
    WINDOW_ANCHOR = "window_anchor"
    EXCLUDED_KINDS = "excluded_kinds"
    CONDITION_TURNS_AWAY = "condition_turns_away"
    STATUTORY_FLOOR_CONFLICT = "statutory_floor_conflict"
    """The policy as written says not met where the statutory floor says met, and no setting,
    attached condition or local condition reported explains it (or the guidance backs it)."""
    NO_APPEAL_ROUTE = "no_appeal_route"
    VERSION_GAP = "version_gap"
    UNCHECKED = "unchecked"
    """A count has a setting the search for a demonstrating application does not model."""


@attrs.frozen
class Finding:
    """One departure of a policy from the statute or its guidance, with an example that shows it.

    ``path`` names the place in the policy (``conditions[0]``,
    ``local[1].parts[0].lag``).  ``example`` is an application, decided on
    its own date, that demonstrates the finding (``None`` only where no
    application can, such as a missing appeal route).  ``turns_away`` says
    whether the example is one the policy as written says is not met while
    the statutory floor is met.
    """

    code: Code
    severity: Severity
    path: str
    message: str
    source: Source
    example: Application | None = None
    turns_away: bool = attrs.field(default=False, kw_only=True)

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.path}: {self.message} [{self.source.cite()}]"


# --------------------------------------------------------------- the tree


def _nodes(predicate: Predicate, path: str) -> Iterator[tuple[str, Predicate]]:
    """Every node below *predicate*, with its path in the policy file's terms."""
    yield path, predicate
    match predicate:
        case Rule():
            yield from _nodes(predicate.predicate, path)
        case AllOf() | AnyOf():
            for index, part in enumerate(predicate.parts):
                yield from _nodes(part, f"{path}.parts[{index}]")
        case Not():
            yield from _nodes(predicate.part, f"{path}.part")


def _replace(predicate: Predicate, target: Predicate, by: Predicate) -> Predicate:
    """*predicate* with the node *target* (by identity) replaced by *by*."""
    if predicate is target:
        return by
    match predicate:
        case Rule():
            return attrs.evolve(predicate, predicate=_replace(predicate.predicate, target, by))
        case AllOf() | AnyOf():
            return attrs.evolve(predicate, parts=tuple(_replace(p, target, by) for p in predicate.parts))
        case Not():
            return attrs.evolve(predicate, part=_replace(predicate.part, target, by))
    return predicate


def _all_nodes(policy: Policy) -> Iterator[tuple[str, Predicate]]:
    for path, item in policy.rules():
        yield from _nodes(item, path)


# ------------------------------------------------------------- candidates


def _example_day(policy: Policy) -> dt.date:
    day = _EXAMPLE_DAY
    if day < policy.effective_from:
        day = policy.effective_from + dt.timedelta(days=200)
    if policy.effective_to is not None and day > policy.effective_to:
        day = policy.effective_to
    return day


def _selections(policy: Policy) -> Iterator[Selection]:
    for path, item in policy.rules():
        for _, node in _nodes(item, path):
            if isinstance(node, Count | Recency):
                yield node.selection


def _at_least(predicate: Predicate) -> Iterator[int]:
    for _, node in _nodes(predicate, ""):
        if isinstance(node, Count):
            yield node.at_least


def _representatives(values: list[_T], sets: list[frozenset[_T]]) -> tuple[_T, ...]:
    """The first of *values* in each class of values that belong to the same of *sets*."""
    found: dict[tuple[bool, ...], _T] = {}
    for value in values:
        found.setdefault(tuple(value in s for s in sets), value)
    return tuple(found.values())


def _days_matter(policy: Policy) -> bool:
    """Whether some count of the policy tells days apart more finely than the statute's tests do.

    Counting days of behaviour, anchoring a window on incidents, or a span in
    days: then separate incidents on one day, and complaints all made on one
    day, are tried as well.
    """
    for _, node in _all_nodes(policy):
        if isinstance(node, Recency):
            if node.date_of is DateOf.INCIDENT or node.within.unit is TimeUnit.DAYS:
                return True
        elif isinstance(node, Count):
            window, lag = node.selection.window, node.selection.lag
            if (
                node.unit is CountUnit.INCIDENT_DATES
                or window.date_of is DateOf.INCIDENT
                or window.anchor in (Anchor.FIRST_INCIDENT, Anchor.LATEST_INCIDENT, Anchor.FIRST_REPORT)
                or window.span.unit is TimeUnit.DAYS
                or (lag is not None and lag.span.unit is TimeUnit.DAYS)
            ):
                return True
    return False


def _history_matters(policy: Policy) -> bool:
    """Whether a complaint made before the six months can change what some count of the policy says."""
    for path, item in policy.rules():
        for _, node in _nodes(item, path):
            if isinstance(node, Recency):
                span = node.within
            elif isinstance(node, Count):
                window = node.selection.window
                if window.anchor not in (Anchor.EACH_REPORT, Anchor.APPLICATION):
                    return True
                span = window.span
            else:
                continue
            if (span.unit is TimeUnit.MONTHS and span.count > 6) or (
                span.unit is TimeUnit.DAYS and span.count > _SIX_MONTHS_MAX_DAYS
            ):
                return True
    return False


_Builder = Callable[..., tuple[Report, ...]]
"""Builds one family member's reports, given what each report is (its look, in turn)."""


def _report_sets(policy: Policy, floor: Rule, day: dt.date) -> Iterator[tuple[tuple[_Look, ...], _Builder]]:
    """Sets of complaints, built from the policy's own settings, from the simplest on.

    Each set has *n* complaints, from the floor's number to two more than the
    largest count in the policy, made by the victim, by others or by both;
    about separate incidents, one incident or separate incidents on one day;
    made on the days up to the application day, from the first day of the
    six months, spread over them, or all on the application day; each made on
    the day of the behaviour, on the last day of the statutory one-month lag,
    or about behaviour that went on for two months up to the complaint; with
    or without an older complaint before the six months (where a window of
    the policy can reach it); to every agency the policy names and one it does
    not (and to each in turn); of every kind it excludes and one it does not;
    hate incidents or not; and with households where the policy counts them.
    """
    selections = list(_selections(policy))
    low = min(_at_least(floor), default=STATUTORY_THRESHOLD)
    high = max([low, *(n for _, item in policy.rules() for n in _at_least(item))]) + 2
    # Two agencies (or kinds) that every selection treats alike give the same answers: one of each.
    agencies = _representatives(list(Agency), [s.agencies for s in selections if s.agencies])
    excluded = sorted({k for s in selections for k in s.exclude_kinds})
    kinds = _representatives(["complaint", *excluded, "report"], [s.exclude_kinds for s in selections])
    hates = (False, True) if any(s.hate_only for s in selections) else (False,)
    # What a report is (hate or not, to which agency, of which kind) matters only through which
    # selections let it in: one report of each kind of admission, and then each in turn.
    looks: dict[tuple[bool, ...], _Look] = {}
    for look in itertools.product(hates, agencies, kinds):
        looks.setdefault(tuple(_admits(s, look) for s in selections), look)
    distinct = tuple(looks.values())
    households: tuple[str | None, ...] = (None,)
    if any(isinstance(n, Count) and n.unit is CountUnit.HOUSEHOLDS for _, n in _all_nodes(policy)):
        households = (None, "own", "shared")
    histories = (False, True) if _history_matters(policy) else (False,)
    first = earliest_start(day, months(6))
    numbers = {low, high} | {k + d for _, item in policy.rules() for k in _at_least(item) for d in (-1, 0, 1)}
    by_day = _days_matter(policy)
    structures = list(_Incidents) if by_day else [_Incidents.SEPARATE, _Incidents.ONE]
    positions = list(_Made) if by_day else [_Made.RECENT, _Made.OLD, _Made.SPREAD]
    # The victim among others differs from others alone (under another name) only where the
    # victim's own reports are counted, or the victim's older complaint can be.
    people = list(_Who)
    if not any(s.who is Who.VICTIM for s in selections) and histories == (False,):
        people.remove(_Who.MIXED)
    behaviours = list(_Behaviour) if by_day else [b for b in _Behaviour if b is not _Behaviour.FIRST_AT_LIMIT]
    for n, incidents, who, made, behaviour, history, household in itertools.product(
        sorted(k for k in numbers if low <= k <= high),
        structures,
        people,
        positions,
        behaviours,
        histories,
        households,
    ):
        yield (
            distinct,
            functools.partial(
                _build,
                n,
                incidents=incidents,
                who=who,
                made=made,
                behaviour=behaviour,
                history=history,
                household=household,
                day=day,
                first=first,
            ),
        )


_Look = tuple[bool, Agency, str]
"""What a report is, as the screens of a selection see it: hate or not, its agency, its kind."""


def _admits(selection: Selection, look: _Look) -> bool:
    hate, agency, kind = look
    return (
        (hate or not selection.hate_only)
        and (not selection.agencies or agency in selection.agencies)
        and kind not in selection.exclude_kinds
    )


def _build(
    n: int,
    *,
    incidents: _Incidents,
    who: _Who,
    made: _Made,
    behaviour: _Behaviour,
    history: bool,
    looks: tuple[_Look, ...],
    household: str | None,
    day: dt.date,
    first: dt.date,
) -> tuple[Report, ...]:
    span = (day - first).days
    match made:
        case _Made.RECENT:
            dates = [day - dt.timedelta(days=n - 1 - i) for i in range(n)]
        case _Made.OLD:
            dates = [first + dt.timedelta(days=i) for i in range(n)]
        case _Made.SPREAD:
            dates = [first + dt.timedelta(days=i * span // max(n - 1, 1)) for i in range(n)]
        case _Made.ONE_DAY:
            dates = [day] * n
    match who:
        case _Who.VICTIM:
            reporters = ["V"] * n
        case _Who.OTHERS:
            reporters = [f"N{i + 1}" for i in range(n)]
        case _Who.MIXED:
            reporters = ["V", *(f"N{i}" for i in range(1, n))]
    began = [
        on
        if behaviour is _Behaviour.SAME_DAY or (behaviour is _Behaviour.FIRST_AT_LIMIT and i > 0)
        else earliest_start(on, months(2 if behaviour is _Behaviour.CONTINUING else 1))
        for i, on in enumerate(dates)
    ]
    ended = dates if behaviour is _Behaviour.CONTINUING else [None] * n
    if incidents is _Incidents.ONE:
        one = Incident(
            "I1", matter="M", began_on=min(began), ended_on=max(dates) if ended[0] else None, hate=looks[0][0]
        )
        events = [one] * n
    else:
        start = [began[0]] * n if incidents is _Incidents.SAME_DAY else began
        events = [
            Incident(f"I{i + 1}", matter="M", began_on=start[i], ended_on=ended[i], hate=_cycle(looks, i)[0])
            for i in range(n)
        ]
    reports = [
        Report(
            f"R{i + 1}",
            reporter=reporters[i],
            made_on=dates[i],
            incident=events[i],
            agency=_cycle(looks, i)[1],
            kind=_cycle(looks, i)[2],
            household=None if household is None else ("H" if household == "shared" else f"H-{reporters[i]}"),
        )
        for i in range(n)
    ]
    if history:
        # A complaint by the victim from before the six months, about an incident of its own.
        older = first - dt.timedelta(days=31)
        incident = Incident("I0", matter="M", began_on=older, hate=looks[0][0])
        reports.insert(
            0,
            Report(
                "R0",
                reporter="V",
                made_on=older,
                incident=incident,
                agency=looks[0][1],
                kind=looks[0][2],
                household=None if household is None else ("H" if household == "shared" else "H-V"),
            ),
        )
    return tuple(reports)


# ------------------------------------------------------------- the search
#
# The search does not recognise shapes of policy.  It enumerates a family of
# applications built from the policy's own settings (the numbers it counts to,
# the agencies, kinds and hate flag it tests, the windows and lags it sets),
# evaluates every count of the policy on each set of reports once, and then
# searches the case facts and the victim's consent the policy mentions by
# three-valued case splitting: a fact not yet given is unknown, and Kleene
# logic is monotone (giving a fact never turns "met" or "not met" into the
# other), so a branch whose answer is already decided is never split further.
# Every example it returns is re-evaluated with :func:`evaluate`.


class _Who(enum.Enum):
    VICTIM = "the victim"
    OTHERS = "others, each once"
    MIXED = "the victim and others"


class _Incidents(enum.Enum):
    SEPARATE = "separate incidents"
    ONE = "one incident"
    SAME_DAY = "separate incidents on one day"


class _Made(enum.Enum):
    RECENT = "on the days up to the application day"
    OLD = "from the first day of the six months"
    SPREAD = "spread over the six months"
    ONE_DAY = "all on the application day"


class _Behaviour(enum.Enum):
    # The limit first: an example whose complaints only just qualify shows the most.
    AT_LIMIT = "on the last day of the one-month lag"
    SAME_DAY = "on the day of the behaviour"
    CONTINUING = "about behaviour that went on over several days"
    FIRST_AT_LIMIT = "the first at the last day of the lag, the rest on the day of the behaviour"
    """The days of behaviour as far apart as the statute allows: where a window is placed by them."""


_CONSENT: Final = "consent"
"""The victim's consent, searched like a fact: given (the victim applies), refused, or not recorded."""

_Variable = Fact | str
_Assignment = Mapping[_Variable, bool]


@attrs.frozen
class _AsWritten:
    """The policy as written (routes and conditions), as one node the search can evaluate."""

    policy: Policy


@attrs.frozen
class _Routes:
    """The policy's routes alone: the mandatory rule or any local rule."""

    policy: Policy


_Target = Predicate | _AsWritten | _Routes
_Atom = tuple[_Target, Outcome]
"""A node and the outcome the example must give it."""


def _cycle(values: tuple[_T, ...], index: int) -> _T:
    return values[index % len(values)]


def _unscreened(predicate: Count | Recency) -> Count | Recency:
    """*predicate* with no screens: every agency, kind and hate flag let in."""
    selection = attrs.evolve(predicate.selection, hate_only=False, agencies=(), exclude_kinds=())
    return attrs.evolve(predicate, selection=selection)


class _ReportSet:
    """One candidate set of reports, with the outcome of each count on it, computed once.

    A set whose reports all look alike (one agency, kind and hate flag) is
    decided from the set with the same dates and people evaluated once with
    no screens: a count whose screens let that look in comes out as the
    unscreened count does, and one whose screens keep it out counts nothing.
    """

    __slots__ = ("_build", "_leaves", "_plain", "_unscreened", "context", "look")

    def __init__(
        self,
        build: _Builder,
        looks: tuple[_Look, ...],
        day: dt.date,
        *,
        plain: _ReportSet | None = None,
        unscreened: dict[Count | Recency, Count | Recency] | None = None,
    ) -> None:
        self._build = functools.partial(build, looks=looks)
        self._unscreened = {} if unscreened is None else unscreened
        self.look = looks[0] if plain is not None else None
        self._plain = plain
        self._leaves: dict[Predicate, Outcome] = {}
        if plain is None:
            reports = self._build()
            application = Application("EXAMPLE", applicant="V", made_on=day, matter="M", reports=reports)
            self.context = Context(application, day)
        else:
            self.context = plain.context

    def leaf(self, predicate: Predicate) -> Outcome:
        found = self._leaves.get(predicate)
        if found is None:
            if self._plain is not None and isinstance(predicate, Count | Recency):
                assert self.look is not None
                if not _admits(predicate.selection, self.look):
                    found = Outcome.NOT_MET
                else:
                    unscreened = self._unscreened.get(predicate)
                    if unscreened is None:
                        unscreened = self._unscreened[predicate] = _unscreened(predicate)
                    found = self._plain.leaf(unscreened)
            else:
                found = predicate(self.context).outcome
            self._leaves[predicate] = found
        return found

    def application(self, assignment: _Assignment) -> Application:
        facts: dict[Fact | str, bool] = {k: v for k, v in assignment.items() if isinstance(k, Fact)}
        refused = assignment.get(_CONSENT) is False
        return Application(
            "EXAMPLE",
            applicant="C" if refused else "V",
            on_behalf_of="V" if refused else None,
            consent=False if refused else None,
            made_on=self.context.as_of,
            matter="M",
            reports=self._build(),
            facts=facts,
        )


class _Space:
    """The candidate applications for one policy, built lazily and shared by every search."""

    def __init__(self, policy: Policy, reading: FloorReading = FloorReading.POLICY_NUMBER) -> None:
        self.policy = policy
        self.day = _example_day(policy)
        self.floor = floor_rule(policy, reading)
        self._built: list[_ReportSet] = []
        self._unscreened: dict[Count | Recency, Count | Recency] = {}
        self._pending = _report_sets(policy, self.floor, self.day)

    def sets(self) -> Iterator[_ReportSet]:
        yield from self._built
        for looks, build in self._pending:
            plain = _ReportSet(build, looks[:1], self.day)
            family = [
                _ReportSet(build, (look,), self.day, plain=plain, unscreened=self._unscreened)
                for look in looks
            ]
            if len(looks) > 1:
                family.append(_ReportSet(build, looks, self.day))  # each look in turn
            self._built.extend(family)
            yield from family

    def first(self, atoms: Iterable[_Atom], *, limit: int | None = None) -> Application | None:
        """The first candidate application giving each atom its outcome, or ``None``.

        With *limit*, only the first *limit* candidates (the simplest) are tried.
        """
        atoms = tuple(atoms)
        leaves, variables = _inputs(atoms)
        opaque = any(not isinstance(leaf, Count | Recency) for leaf in leaves)
        seen: set[tuple[Outcome, ...]] = set()
        screened = [leaf.selection for leaf in leaves if isinstance(leaf, Count | Recency)]
        looks_seen: set[tuple[int, tuple[bool, ...]]] = set()
        for candidate in itertools.islice(self.sets(), limit):
            if candidate.look is not None:
                # Looks that the counts searched here let in alike give the same answers.
                key = (id(candidate.context), tuple(_admits(s, candidate.look) for s in screened))
                if key in looks_seen:
                    continue
                looks_seen.add(key)
            # With no facts given, most sets are decided at once (counting only what decides).
            verdict = _verdict(atoms, candidate, {})
            if verdict is False:
                continue
            if verdict is None:
                # Two report sets on which every count comes out the same cannot differ
                # in the search over facts, so only the first is searched.
                if not opaque:
                    signature = tuple(candidate.leaf(leaf) for leaf in leaves)
                    if signature in seen:
                        continue
                    seen.add(signature)
                found = _solve(atoms, candidate, variables, {})
                if found is None:
                    continue
                return candidate.application(found)
            return candidate.application({})
        return None


def _inputs(atoms: tuple[_Atom, ...]) -> tuple[tuple[Predicate, ...], tuple[_Variable, ...]]:
    """The leaves on the reports, and the facts (and consent), that *atoms* depend on."""
    leaves: dict[Predicate, None] = {}
    variables: dict[_Variable, None] = {}
    for target, _ in atoms:
        for node in _leaves(target):
            if isinstance(node, FactIs):
                variables[node.fact] = None
            elif isinstance(node, Consent):
                variables[_CONSENT] = None
            else:
                leaves[node] = None
    return tuple(leaves), tuple(variables)


def _leaves(target: _Target) -> Iterator[Predicate]:
    match target:
        case _AsWritten(policy) | _Routes(policy):
            rules = (
                policy.rules()
                if isinstance(target, _AsWritten)
                else ((p, r) for p, r in policy.rules() if not p.startswith("conditions"))
            )
            for _, item in rules:
                yield from _leaves(item)
        case Rule():
            yield from _leaves(target.predicate)
        case AllOf() | AnyOf():
            for part in target.parts:
                yield from _leaves(part)
        case Not():
            yield from _leaves(target.part)
        case _:
            yield target


def _every(parts: Iterable[_Target], candidate: _ReportSet, assignment: _Assignment) -> Outcome:
    """The law's "and", deciding the parts lazily: it stops at the first not met."""
    return conjunction(_value(part, candidate, assignment) for part in parts)


def _some(parts: Iterable[_Target], candidate: _ReportSet, assignment: _Assignment) -> Outcome:
    """The law's "or", deciding the parts lazily: it stops at the first met."""
    return disjunction(_value(part, candidate, assignment) for part in parts)


def _value(target: _Target, candidate: _ReportSet, assignment: _Assignment) -> Outcome:  # noqa: PLR0911 - one return per kind of node
    """The outcome of *target* on *candidate* with the facts (and consent) of *assignment*."""
    match target:
        case _AsWritten(policy):
            return _every((_Routes(policy), *policy.conditions), candidate, assignment)
        case _Routes(policy):
            return _some((policy.mandatory, *policy.local), candidate, assignment)
        case Rule():
            return _value(target.predicate, candidate, assignment)
        case AllOf():
            return _every(target.parts, candidate, assignment)
        case AnyOf():
            return _some(target.parts, candidate, assignment)
        case Not():
            return ~_value(target.part, candidate, assignment)
        case FactIs():
            known = assignment.get(target.fact)
            if known is None:
                return Outcome.UNKNOWN
            return Outcome.MET if known is target.expected else Outcome.NOT_MET
        case Consent():
            given = assignment.get(_CONSENT)
            return Outcome.UNKNOWN if given is None else Outcome.MET if given else Outcome.NOT_MET
        case Count() | Recency():
            return candidate.leaf(target)
    # A predicate of the caller's own: evaluated on the application itself.
    application = candidate.application(assignment)
    return target(Context(application, application.made_on)).outcome


def _verdict(atoms: tuple[_Atom, ...], candidate: _ReportSet, assignment: _Assignment) -> bool | None:
    """Whether every atom has its outcome (``None``: not decided until more facts are given)."""
    undecided = False
    for target, wanted in atoms:
        got = _value(target, candidate, assignment)
        if got is wanted:
            continue
        if got is not Outcome.UNKNOWN:
            return False  # Giving more facts cannot change a decided answer.
        undecided = True
    return None if undecided else True


def _solve(
    atoms: tuple[_Atom, ...],
    candidate: _ReportSet,
    variables: tuple[_Variable, ...],
    assignment: dict[_Variable, bool],
) -> dict[_Variable, bool] | None:
    """Facts (and consent) under which every atom has its outcome on *candidate*, or ``None``."""
    verdict = _verdict(atoms, candidate, assignment)
    if verdict is not None:
        return assignment if verdict else None
    for variable in variables:
        if variable in assignment:
            continue
        for value in (True, False):
            found = _solve(atoms, candidate, variables, {**assignment, variable: value})
            if found is not None:
                return found
        return None
    return None


# --------------------------------------------------------------- findings


def _selection_departures(selection: Selection) -> Iterator[tuple[Code, str, str, Selection]]:
    """Each way *selection* admits fewer complaints than the statute, with the statutory fix."""
    lag = selection.lag
    if lag is not None and lag.span.unit is TimeUnit.DAYS and lag.span.count < _ONE_MONTH_MAX_DAYS:
        fixed = attrs.evolve(selection, lag=Lag())
        yield Code.LAG_STRICTER, "lag", f"reports must be made within {lag.span}, less than one month", fixed
    window = selection.window
    short = (window.span.unit is TimeUnit.MONTHS and window.span.count < 6) or (
        window.span.unit is TimeUnit.DAYS and window.span.count < _SIX_MONTHS_MAX_DAYS
    )
    if short:
        fixed = attrs.evolve(selection, window=attrs.evolve(window, span=months(6)))
        yield Code.WINDOW_SHORTER, "window", f"the window of {window.span} is shorter than six months", fixed
    if window.anchor not in (Anchor.EACH_REPORT, Anchor.APPLICATION) or window.date_of is DateOf.INCIDENT:
        fixed = attrs.evolve(selection, window=Window(window.span, arithmetic=window.arithmetic))
        yield (
            Code.WINDOW_ANCHOR,
            "window",
            (
                f"the window ({window}) can leave out a complaint made within the six months before "
                "the application"
            ),
            fixed,
        )
    if selection.exclude_kinds:
        kinds = ", ".join(sorted(selection.exclude_kinds))
        fixed = attrs.evolve(selection, exclude_kinds=frozenset())
        yield Code.EXCLUDED_KINDS, "exclude_kinds", f"reports of kind {kinds} are not counted", fixed


def _mandatory_departures(count: Count, floor: int) -> Iterator[tuple[str, str, Count]]:
    """Each way a count on the mandatory route counts fewer than s.104(4), with the statutory fix."""
    selection = count.selection
    if selection.who.value != "anyone":
        yield (
            "who",
            (
                "only the victim's own complaints are counted; s.104(4) counts qualifying complaints "
                "made by anyone"
            ),
            attrs.evolve(count, selection=attrs.evolve(selection, who="anyone")),
        )
    if selection.hate_only:
        yield (
            "hate_only",
            (
                "only hate incidents are counted; s.104(4) counts qualifying complaints about any "
                "anti-social behaviour"
            ),
            attrs.evolve(count, selection=attrs.evolve(selection, hate_only=False)),
        )
    if selection.agencies:
        agencies = ", ".join(sorted(a.value for a in selection.agencies))
        yield (
            "agencies",
            (
                f"only reports to {agencies} are counted; s.104(4) counts qualifying complaints made "
                "to any of the relevant bodies"
            ),
            attrs.evolve(count, selection=attrs.evolve(selection, agencies=frozenset())),
        )
    if count.unit not in (CountUnit.COMPLAINTS, CountUnit.REPORTS):
        yield (
            "unit",
            (
                f"it counts {count.unit.value.replace('_', ' ')}, not complaints; s.104(4) counts "
                "each qualifying complaint"
            ),
            attrs.evolve(count, unit=CountUnit.COMPLAINTS),
        )
    if count.at_least > floor:
        yield (
            "at_least",
            f"a count asks for {count.at_least} where s.104(4) asks for {floor} qualifying complaints",
            attrs.evolve(count, at_least=floor),
        )


def _attached(item: Rule, path: str) -> Iterator[tuple[str, Predicate, Predicate, Predicate]]:
    """Each part of an ``all_of`` in *item*, with the ``all_of`` it is in and that ``all_of`` without it."""
    for sub, node in _nodes(item, path):
        if isinstance(node, AllOf) and len(node.parts) > 1:
            for index, part in enumerate(node.parts):
                rest = node.parts[:index] + node.parts[index + 1 :]
                yield f"{sub}.parts[{index}]", part, node, rest[0] if len(rest) == 1 else AllOf(rest)


def _with_rule(policy: Policy, path: str, rule: Rule) -> Policy:
    if path == "mandatory":
        return attrs.evolve(policy, mandatory=rule)
    field, index = path.rstrip("]").split("[")
    if field == "local":
        local = list(policy.local)
        local[int(index)] = rule
        return attrs.evolve(policy, local=tuple(local))
    conditions = list(policy.conditions)
    conditions[int(index)] = rule
    return attrs.evolve(policy, conditions=tuple(conditions))


def _turns_away(space: _Space) -> list[_Atom]:
    """The policy as written says not met, and the statutory floor says met."""
    return [(space.floor, Outcome.MET), (_AsWritten(space.policy), Outcome.NOT_MET)]


def _demonstrated(
    space: _Space, path: str, item: Rule, target: Predicate, fixed: Predicate, *, local: bool
) -> tuple[Application | None, bool]:
    """An example showing that *target* (inside rule *item* at *path*) turns something away.

    First an application the policy as written turns away and accepts with
    *fixed* in place of *target* (so that the departure is the cause); else,
    on a local rule or where another route accepts it, one that the rule
    alone does not meet and meets with *fixed*.
    """
    repaired = _replace(item, target, fixed)
    assert isinstance(repaired, Rule)
    if not local:
        repaired_policy = _with_rule(space.policy, path, repaired)
        found = space.first(
            [*_turns_away(space), (_AsWritten(repaired_policy), Outcome.MET)], limit=_NAMING_LIMIT
        )
        if found is not None:
            return found, True
    # The floor too: an example the statute counts as three qualifying complaints says more.
    narrower: list[_Atom] = [(space.floor, Outcome.MET), (item, Outcome.NOT_MET), (repaired, Outcome.MET)]
    return space.first(narrower, limit=_NAMING_LIMIT), False


def _rule_findings(space: _Space, path: str, item: Rule) -> Iterator[Finding]:
    local = path != "mandatory"
    where = f"local rule {item.id!r}" if local else "the mandatory route"
    floor = min(_at_least(space.floor), default=STATUTORY_THRESHOLD)

    def severity(*, shown: bool) -> Severity:
        # On the mandatory route a narrowing that another route makes good is not a turn-away.
        return Severity.INFO if local else Severity.ERROR if shown else Severity.WARNING

    for sub, node in _nodes(item, path):
        if not isinstance(node, Count):
            continue
        if sub == "mandatory" and node.at_least > STATUTORY_THRESHOLD:
            fixed = attrs.evolve(node, at_least=STATUTORY_THRESHOLD)
            # The statute's words make the policy's own number the floor; the Explanatory Notes say
            # no higher than three: the example is shown under that reading (FloorReading.AT_MOST_THREE).
            three = _Space(space.policy, FloorReading.AT_MOST_THREE)
            example, shown = _demonstrated(three, path, item, node, fixed, local=False)
            if example is not None:
                yield Finding(
                    Code.THRESHOLD_ABOVE_THREE,
                    Severity.WARNING,
                    f"{sub}.at_least",
                    f"the mandatory route asks for {node.at_least} qualifying complaints; the threshold "
                    "should be set no higher than three (the example meets a floor of three, the "
                    "Explanatory Notes' reading)",
                    EXPLANATORY_NOTES,
                    example,
                    turns_away=shown,
                )
        if not local:
            for key, what, fixed_count in _mandatory_departures(node, floor):
                if key == "at_least" and sub == "mandatory":
                    continue  # The policy's own number: a threshold above three, reported above.
                example, shown = _demonstrated(space, path, item, node, fixed_count, local=False)
                if example is None:
                    continue  # Narrower only in words: no application is turned away by it.
                yield Finding(
                    Code.MANDATORY_NARROWER,
                    severity(shown=shown),
                    f"{sub}.{key}",
                    f"on {where}, {what}",
                    STATUTE,
                    example,
                    turns_away=shown,
                )
        for code, key, what, fixed_selection in _selection_departures(node.selection):
            fixed = attrs.evolve(node, selection=fixed_selection)
            example, shown = _demonstrated(space, path, item, node, fixed, local=local)
            if example is None:
                continue  # Narrower only in words (under a "not", say): nothing is turned away by it.
            yield Finding(
                code,
                severity(shown=shown),
                f"{sub}.{key}",
                f"on {where}, {what}",
                STATUTE,
                example,
                turns_away=shown,
            )
    if not local:
        yield from _attached_findings(space, path, item)


def _attached_findings(space: _Space, path: str, item: Rule) -> Iterator[Finding]:
    """Each part attached to the mandatory route by ``all_of`` that turns an application away."""
    where = "the mandatory route"
    for sub, part, whole, rest in _attached(item, path):
        example, shown = _demonstrated(space, path, item, whole, rest, local=False)
        if example is None:
            continue  # The part narrows nothing s.104(4) would count (the count itself, say).
        yield Finding(
            Code.MANDATORY_NARROWER,
            Severity.ERROR if shown else Severity.WARNING,
            sub,
            f"on {where}, a condition is attached ({part.describe()}); s.104(4) attaches none to "
            "its qualifying complaints",
            STATUTE,
            example,
            turns_away=shown,
        )


def _conflict(space: _Space, path: str, atoms: list[_Atom], what: str) -> Finding | None:
    """A statutory-floor conflict at *path*, shown by the first application giving *atoms*."""
    example = space.first(atoms)
    if example is None:
        return None
    above = space.policy.threshold > STATUTORY_THRESHOLD
    return Finding(
        Code.STATUTORY_FLOOR_CONFLICT,
        Severity.ERROR,
        path,
        f"{what} says not met where the statutory floor ({space.floor.label}) says met"
        + (", the floor read as three (Explanatory Notes para 231)" if above else ""),
        EXPLANATORY_NOTES if above else STATUTE,
        example,
        turns_away=True,
    )


def _condition_findings(space: _Space, path: str, item: Rule) -> Iterator[Finding]:
    # The example must fail this condition, not merely some other one.
    example = space.first([*_turns_away(space), (item, Outcome.NOT_MET)])
    if example is None:
        return
    if isinstance(item.predicate, Consent):
        yield Finding(
            Code.CONDITION_TURNS_AWAY,
            Severity.WARNING,
            path,
            f"condition {item.id!r} ({item.label}) follows the guidance, which asks for the victim's "
            "consent, but s.104 does not: it can turn away an application that s.104(4) requires "
            "to be accepted",
            GUIDANCE_2025,
            example,
            turns_away=True,
        )
        # The guidance is no answer to the statute: the conflict itself is an error.
        conflict = _conflict(
            space, path, [*_turns_away(space), (item, Outcome.NOT_MET)], f"condition {item.id!r}"
        )
        if conflict is not None:
            yield conflict
        return
    yield Finding(
        Code.CONDITION_TURNS_AWAY,
        Severity.ERROR,
        path,
        f"condition {item.id!r} ({item.label}) can turn away an application that s.104(4) requires "
        "to be accepted",
        STATUTE,
        example,
        turns_away=True,
    )


def check(policy: Policy) -> tuple[Finding, ...]:
    """Every departure of *policy* from s.104 and its guidance, each with an example that shows it.

    Whatever the shape of the rules, an application that the policy as
    written turns away while the statutory floor accepts it is searched for
    (see :func:`_report_sets` for the applications tried): the conflict is
    named by the setting, attached condition or local condition that causes
    it where one does, and otherwise reported as a ``statutory_floor_conflict``
    of the routes.

    >>> from asb_case_review.catalogue import get_policy
    >>> sorted({str(f.code) for f in check(get_policy("stafford"))})
    ['condition_turns_away', 'mandatory_narrower', 'window_anchor']
    >>> finding = check(get_policy("stafford"))[0]
    >>> evaluate(finding.example, get_policy("stafford"), enforce_floor=False).policy_outcome
    <Outcome.NOT_MET: 'not_met'>
    """
    space = _Space(policy)
    findings: list[Finding] = list(_unchecked(policy))
    for path, item in policy.rules():
        if path.startswith("conditions"):
            findings.extend(_condition_findings(space, path, item))
            continue
        found = list(_rule_findings(space, path, item))
        findings.extend(found)
        if path == "mandatory" and not any(f.severity is Severity.ERROR and f.turns_away for f in found):
            # No setting or attached condition explains it: the routes themselves conflict.
            atoms = [*_turns_away(space), (_Routes(policy), Outcome.NOT_MET)]
            conflict = _conflict(space, path, atoms, "the policy's routes as written (mandatory and local)")
            if conflict is not None:
                findings.append(conflict)
    for finding in findings:
        assert finding.example is None or _shows(finding, policy), finding
    if policy.appeal is None:
        findings.append(
            Finding(
                Code.NO_APPEAL_ROUTE,
                Severity.WARNING,
                "appeal",
                "the policy as recorded states no route by which an applicant dissatisfied with "
                "the way the application was dealt with can ask for that to be reviewed",
                SCHEDULE_4,
            )
        )
    return tuple(findings)


_MODELLED: Final = frozenset(
    {
        "Selection.who",
        "Selection.window",
        "Selection.lag",
        "Selection.hate_only",
        "Selection.exclude_kinds",
        "Selection.agencies",
        "Selection.behaviour_day",
        "Window.span",
        "Window.anchor",
        "Window.date_of",
        "Window.arithmetic",
        "Window.application_within",
        "Lag.span",
        "Lag.applies_to",
        "Lag.arithmetic",
    }
)
"""The settings of a selection (``law.reports.FIELDS``) that :func:`_report_sets` varies the
candidate reports by.  Written out by name: a setting added to the law is reported as unchecked
until the search models it, never passed unsearched."""


def _modelled(_: object) -> bool:
    return True


def _dated(date_of: object) -> bool:
    # The search places reports by the day made or by the day of the behaviour, nothing else.
    match date_of:
        case DateOf.REPORT | DateOf.INCIDENT:
            return True
    return False  # pragma: no cover - not a DateOf


def _unchecked(policy: Policy) -> Iterator[Finding]:
    """A finding for each count whose settings the search does not model, naming them."""
    handles: dict[str, Callable[[object], bool]] = dict.fromkeys(_MODELLED, _modelled)
    if "Window.date_of" in handles:
        handles["Window.date_of"] = _dated
    for path, node in _all_nodes(policy):
        if isinstance(node, Count | Recency):
            missing = refusals(node.selection, handles)
            if missing:
                yield Finding(
                    Code.UNCHECKED,
                    Severity.ERROR,
                    path,
                    f"the conformance search does not model {', '.join(missing)}: whether this rule "
                    "turns away applications that s.104(4) requires to be accepted was not checked",
                    STATUTE,
                )


def _shows(finding: Finding, policy: Policy) -> bool:
    """Whether the example, evaluated in full, turns the application away as the finding says."""
    assert finding.example is not None
    reading = (
        FloorReading.AT_MOST_THREE
        if finding.code is Code.THRESHOLD_ABOVE_THREE
        else FloorReading.POLICY_NUMBER
    )
    decision = evaluate(finding.example, policy, enforce_floor=False, floor_reading=reading)
    if finding.turns_away:
        return decision.floor.met and decision.policy_outcome is Outcome.NOT_MET
    return True


def check_area(area: Area) -> tuple[Finding, ...]:
    """The findings of every version of *area*, paths prefixed by the version, and any gaps between them.

    ```pycon
    >>> from asb_case_review.catalogue import AREAS
    >>> [f.path for f in check_area(AREAS["statutory"])]
    ['appeal']

    ```
    """
    findings: list[Finding] = []
    for index, version in enumerate(area.versions):
        # A file of one version has no [[versions]] table: its paths start at the top.
        prefix = f"versions[{index}]." if len(area.versions) > 1 else ""
        findings.extend(attrs.evolve(f, path=prefix + f.path) for f in check(version))
    findings.extend(
        Finding(
            Code.VERSION_GAP,
            Severity.WARNING,
            "versions",
            f"no version of the policy is in force from {gap}: applications on those days "
            "have no local procedure to be decided under",
            STATUTE,
        )
        for gap in area.gaps()
    )
    return tuple(findings)
