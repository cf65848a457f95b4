"""Statutory conformance: where a policy as written departs from s.104 and its guidance.

:func:`check` reads a policy's rules and reports each departure as a
:class:`Finding` with a severity, the section it rests on, and a concrete
example application that shows it.  The examples are not made up by hand:
each is found by evaluating candidate applications under the policy, and a
departure in the rules is reported only when an example demonstrates it (a
short window under a ``not`` narrows nothing, and is not reported).

Severities:

* ``error``: the policy as written can turn away an application that
  s.104(4) requires the relevant bodies to accept.  The example meets the
  statutory floor, and ``evaluate(example, policy, enforce_floor=False)``
  says the policy is not met.  (Evaluation with the floor enforced still
  accepts it; the finding is about the published wording.)
* ``warning``: contrary to the guidance, or a procedural requirement of the
  Act missing (no appeal route, Schedule 4 para 3; a threshold above three,
  Explanatory Notes para 231; a consent condition the statute does not make).
* ``info``: a local rule under s.104(5) is narrower than the statute on one
  point (a shorter report lag, a shorter or differently anchored window, an
  excluded report kind).  The local route is the area's to set; the finding
  shows an application the rule turns away that the statute's setting would
  let in, so that the wording can be checked against what was meant.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final

import attrs

from .dates import TimeUnit, earliest_start, months
from .decision import evaluate
from .models import Agency, Application, Fact, Incident, Report
from .policy import EXPLANATORY_NOTES, GUIDANCE_2025, SCHEDULE_4, STATUTE, Area, Policy
from .qualifying import Anchor, DateOf, Lag, Selection, Window
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
    NO_APPEAL_ROUTE = "no_appeal_route"
    VERSION_GAP = "version_gap"


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


def _facts(policy: Policy) -> tuple[Fact, ...]:
    found: dict[Fact, None] = {}
    for path, item in policy.rules():
        for _, node in _nodes(item, path):
            if isinstance(node, FactIs):
                found[node.fact] = None
    return tuple(found)


def _kinds(policy: Policy) -> tuple[str, ...]:
    found: set[str] = set()
    for path, item in policy.rules():
        for _, node in _nodes(item, path):
            if isinstance(node, Count | Recency):
                found.update(node.selection.exclude_kinds)
    return tuple(sorted(found))


# ------------------------------------------------------------- candidates


def _example_day(policy: Policy) -> dt.date:
    day = _EXAMPLE_DAY
    if day < policy.effective_from:
        day = policy.effective_from + dt.timedelta(days=200)
    if policy.effective_to is not None and day > policy.effective_to:
        day = policy.effective_to
    return day


def _report_sets(policy: Policy, day: dt.date) -> Iterator[tuple[Report, ...]]:
    """Sets of three qualifying complaints, each meeting s.104(4), varied where local rules differ."""
    recent = [day - dt.timedelta(days=n) for n in (3, 2, 1)]
    first = earliest_start(day, months(6))
    # The oldest complaints that still qualify, each made on the last day of its one-month lag.
    old = [first + dt.timedelta(days=n) for n in (0, 1, 2)]

    def three(
        made: list[dt.date],
        *,
        by: Iterable[str] = ("V", "V", "V"),
        lagged: bool = False,
        one_incident: bool = False,
        agency: Agency = Agency.COUNCIL,
        kind: str = "complaint",
        hate: bool = False,
    ) -> tuple[Report, ...]:
        reports = []
        for index, (on, who) in enumerate(zip(made, by, strict=True)):
            began = earliest_start(on, months(1)) if lagged else on
            ident = "I1" if one_incident else f"I{index + 1}"
            incident = Incident(ident, matter="M", began_on=made[0] if one_incident else began, hate=hate)
            reports.append(
                Report(f"R{index + 1}", reporter=who, made_on=on, incident=incident, agency=agency, kind=kind)
            )
        return tuple(reports)

    others = ("N1", "N2", "N3")
    yield three(recent)
    yield three(recent, by=others)
    yield three(old, lagged=True)
    yield three(old, by=others, lagged=True)
    yield three(recent, by=others, one_incident=True)
    yield three(recent, hate=True)
    yield three(old, lagged=True, hate=True)
    for kind in _kinds(policy):
        yield three(recent, kind=kind)
    for agency in Agency:
        yield three(recent, agency=agency)


def _candidates(policy: Policy) -> Iterator[Application]:
    day = _example_day(policy)
    facts = _facts(policy)
    settings: list[Mapping[Fact | str, bool]] = [{}]
    settings += [dict.fromkeys(facts, True), dict.fromkeys(facts, False)] if facts else []
    settings += [{f: value} for f in facts for value in (True, False)]
    who = [("V", None, None), ("C", "V", False)]
    for reports, known, (applicant, victim, consent) in itertools.product(
        list(_report_sets(policy, day)), settings, who
    ):
        yield Application(
            "EXAMPLE",
            applicant=applicant,
            on_behalf_of=victim,
            consent=consent,
            made_on=day,
            matter="M",
            reports=reports,
            facts=known,
        )


def _turned_away(policy: Policy) -> Callable[[Application], bool]:
    def shows(application: Application) -> bool:
        decision = evaluate(application, policy, enforce_floor=False)
        return decision.floor.met and decision.policy_outcome is not Outcome.MET

    return shows


def _search(policy: Policy, shows: Callable[[Application], bool]) -> Application | None:
    return next((a for a in _candidates(policy) if shows(a)), None)


def _outcome(predicate: Predicate, application: Application) -> Outcome:
    return predicate(Context(application, application.made_on)).outcome


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


def _mandatory_departures(count: Count) -> Iterator[tuple[str, str, Count]]:
    """Each way a count on the mandatory route counts fewer than s.104(4), with the statutory fix."""
    selection = count.selection
    if selection.who.value != "anyone":
        yield (
            "who",
            "only the victim's own complaints are counted",
            attrs.evolve(count, selection=attrs.evolve(selection, who="anyone")),
        )
    if selection.hate_only:
        yield (
            "hate_only",
            "only hate incidents are counted",
            attrs.evolve(count, selection=attrs.evolve(selection, hate_only=False)),
        )
    if selection.agencies:
        yield (
            "agencies",
            "only reports to some agencies are counted",
            attrs.evolve(count, selection=attrs.evolve(selection, agencies=frozenset())),
        )
    if count.unit not in (CountUnit.COMPLAINTS, CountUnit.REPORTS):
        yield (
            "unit",
            f"it counts {count.unit.value.replace('_', ' ')}, not complaints",
            attrs.evolve(count, unit=CountUnit.COMPLAINTS),
        )


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


def _demonstrated(
    policy: Policy, path: str, item: Rule, target: Predicate, fixed: Predicate, *, severity: Severity
) -> tuple[Application | None, bool]:
    """An example showing that *target* (inside rule *item* at *path*) turns something away."""
    repaired = _replace(item, target, fixed)
    assert isinstance(repaired, Rule)
    if severity is not Severity.INFO:
        turned = _turned_away(policy)
        repaired_policy = _with_rule(policy, path, repaired)

        def conflict(application: Application) -> bool:
            # The departure is the cause: with the statute's setting the policy accepts it.
            return (
                turned(application)
                and evaluate(application, repaired_policy, enforce_floor=False).policy_outcome is Outcome.MET
            )

        found = _search(policy, conflict) or _search(policy, turned)
        if found is not None:
            return found, True

    def narrower(application: Application) -> bool:
        return (
            _outcome(item, application) is not Outcome.MET and _outcome(repaired, application) is Outcome.MET
        )

    return _search(policy, narrower), False


def _rule_findings(policy: Policy, path: str, item: Rule) -> Iterator[Finding]:
    where = "the mandatory route" if path == "mandatory" else f"local rule {item.id!r}"
    severity = Severity.ERROR if path == "mandatory" else Severity.INFO
    source = STATUTE
    for sub, node in _nodes(item, path):
        if not isinstance(node, Count):
            continue
        if sub == "mandatory" and node.at_least > 3:
            fixed = attrs.evolve(node, at_least=3)
            example, shown = _demonstrated(policy, path, item, node, fixed, severity=Severity.WARNING)
            if example is not None:
                yield Finding(
                    Code.THRESHOLD_ABOVE_THREE,
                    Severity.WARNING,
                    f"{sub}.at_least",
                    f"the mandatory route asks for {node.at_least} qualifying complaints; the threshold "
                    "should be set no higher than three",
                    EXPLANATORY_NOTES,
                    example,
                    turns_away=shown,
                )
        if path == "mandatory":
            for key, what, fixed_count in _mandatory_departures(node):
                example, shown = _demonstrated(policy, path, item, node, fixed_count, severity=severity)
                if example is None:
                    continue  # Narrower only in words: no application is turned away by it.
                yield Finding(
                    Code.MANDATORY_NARROWER,
                    severity,
                    f"{sub}.{key}",
                    f"on {where}, {what}; s.104(4) counts qualifying complaints made by anyone",
                    source,
                    example,
                    turns_away=shown,
                )
        for code, key, what, fixed_selection in _selection_departures(node.selection):
            fixed = attrs.evolve(node, selection=fixed_selection)
            example, shown = _demonstrated(policy, path, item, node, fixed, severity=severity)
            if example is None:
                continue  # Narrower only in words (under a "not", say): nothing is turned away by it.
            yield Finding(
                code, severity, f"{sub}.{key}", f"on {where}, {what}", source, example, turns_away=shown
            )


def _condition_finding(policy: Policy, path: str, item: Rule) -> Finding | None:
    guidance_backed = isinstance(item.predicate, Consent)
    turned = _turned_away(policy)

    def decisive(application: Application) -> bool:
        # The example must fail this condition, not merely some other one, and
        # preferably on facts given rather than for want of them.
        return turned(application) and _outcome(item, application) is Outcome.NOT_MET

    def this_condition(application: Application) -> bool:
        return turned(application) and _outcome(item, application) is not Outcome.MET

    example = _search(policy, decisive) or _search(policy, this_condition)
    if example is None:
        return None
    if guidance_backed:
        return Finding(
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
    return Finding(
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

    >>> from asb_case_review.catalogue import get_policy
    >>> [str(f.code) for f in check(get_policy("stafford"))]
    ['mandatory_narrower', 'mandatory_narrower', 'window_anchor', 'condition_turns_away']
    >>> finding = check(get_policy("stafford"))[0]
    >>> evaluate(finding.example, get_policy("stafford"), enforce_floor=False).policy_outcome
    <Outcome.NOT_MET: 'not_met'>
    """
    findings: list[Finding] = []
    for path, item in policy.rules():
        if path.startswith("conditions"):
            found = _condition_finding(policy, path, item)
            if found is not None:
                findings.append(found)
        else:
            findings.extend(_rule_findings(policy, path, item))
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


def check_area(area: Area) -> tuple[Finding, ...]:
    """The findings of every version of *area*, paths prefixed by the version, and any gaps between them.

    >>> from asb_case_review.catalogue import AREAS
    >>> [f.path for f in check_area(AREAS["statutory"])]
    ['appeal']
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
