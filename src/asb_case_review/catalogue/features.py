"""What a policy's rules do, as features an analyst can filter the catalogue by.

Each feature is read from the policy's rules themselves, never from its
wording, so a filter finds every area whose rules have it:

>>> from asb_case_review.catalogue import CATALOGUE
>>> sorted(f.value for f in features(CATALOGUE["merseyside"]))
['agency_list', 'community_route', 'hate_route', 'incidents_not_complaints', 'victim_only_mandatory']
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

from ..dates import TimeUnit
from ..law.reports import Anchor, CountUnit, Who
from ..models import Fact
from ..policy import Policy
from ..rules import AllOf, AnyOf, Count, FactIs, Not, Predicate, Recency, Rule

__all__ = ["Feature", "features"]


class Feature(enum.StrEnum):
    """A kind of rule a policy has."""

    HATE_ROUTE = "hate_route"
    """A local rule met by reports of hate incidents alone."""
    COMMUNITY_ROUTE = "community_route"
    """A local rule that counts separate people or households ("five separate individuals")."""
    RECENCY_GATE = "recency_gate"
    """A condition that the latest report (or incident) is recent."""
    LAG_IN_DAYS = "lag_in_days"
    """A report lag stated in days (30 days, 7 days) rather than calendar months."""
    VICTIM_ONLY_MANDATORY = "victim_only_mandatory"
    """The area's three-complaint wording counts only the victim's own reports."""
    INCIDENTS_NOT_COMPLAINTS = "incidents_not_complaints"
    """The area's three-complaint wording counts incidents, not complaints."""
    AGENCY_LIST = "agency_list"
    """Only reports to listed agencies count."""
    ATTACHED_FACT = "attached_fact"
    """A case fact (no effective action, the problem persists...) is attached to a route or condition."""
    OFFICER_DISCRETION = "officer_discretion"
    """The relevant bodies' discretion is a route (a decision the officer supplies)."""
    VULNERABILITY_OVERRIDE = "vulnerability_override"
    """A senior manager's vulnerability or high-risk override is a route."""
    RUN_WINDOW = "run_window"
    """Reports counted within a period beginning with the first of them, or tied to it."""
    SCHEME = "scheme"
    """The area applies a force's, commissioner's or partnership's scheme."""


_RUNS = frozenset({Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT, Anchor.FIRST_REPORT_AND_APPLICATION})


def _walk(predicate: Predicate) -> Iterator[Predicate]:
    yield predicate
    match predicate:
        case Rule():
            yield from _walk(predicate.predicate)
        case AllOf() | AnyOf():
            for part in predicate.parts:
                yield from _walk(part)
        case Not():
            yield from _walk(predicate.part)


def features(policy: Policy) -> frozenset[Feature]:
    """The features of *policy*'s rules."""
    found: set[Feature] = set()
    if policy.scheme is not None:
        found.add(Feature.SCHEME)
    for path, rule in policy.rules():
        for node in _walk(rule):
            _features_of(path, node, found)
    return frozenset(found)


def _features_of(path: str, node: Predicate, found: set[Feature]) -> None:
    match node:
        case Count():
            found.update(_count_features(path, node))
        case Recency():
            if path.startswith("conditions"):
                found.add(Feature.RECENCY_GATE)
        case FactIs():
            if node.fact is Fact.OFFICER_DISCRETION:
                found.add(Feature.OFFICER_DISCRETION)
            elif node.fact in (Fact.VULNERABILITY_OVERRIDE, Fact.VICTIM_HIGH_RISK):
                found.add(Feature.VULNERABILITY_OVERRIDE)
            else:
                found.add(Feature.ATTACHED_FACT)


def _count_features(path: str, node: Count) -> Iterator[Feature]:
    selection = node.selection
    local = path.startswith("local")
    if local and selection.hate_only:
        yield Feature.HATE_ROUTE
    if local and node.unit in (CountUnit.REPORTERS, CountUnit.HOUSEHOLDS) and node.at_least > 1:
        yield Feature.COMMUNITY_ROUTE
    if selection.lag is not None and selection.lag.span.unit is TimeUnit.DAYS:
        yield Feature.LAG_IN_DAYS
    if selection.agencies:
        yield Feature.AGENCY_LIST
    if selection.window.anchor in (
        Anchor.FIRST_REPORT,
        Anchor.FIRST_INCIDENT,
        Anchor.FIRST_REPORT_AND_APPLICATION,
    ):
        yield Feature.RUN_WINDOW
    if path == "mandatory" and selection.who is Who.VICTIM:
        yield Feature.VICTIM_ONLY_MANDATORY
    if path == "mandatory" and node.unit in (CountUnit.INCIDENTS, CountUnit.INCIDENT_DATES):
        yield Feature.INCIDENTS_NOT_COMPLAINTS
