"""Conformance laws: whatever the policy, an application it turns away against s.104(4) is found.

``check`` does not recognise shapes of policy: it searches for an application
that the policy as written says is not met while the statutory floor says met.
These tests hold it to that: on generated policies, whenever hypothesis finds
such an application of its own, ``check`` must report an error whose example,
evaluated again, shows the same; and five policies that once passed ``policies
check`` with exit 0 are named with what is now found.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asb_case_review.catalogue import STATUTORY
from asb_case_review.conformance import Code, Finding, Severity, check
from asb_case_review.decision import Route, evaluate
from asb_case_review.models import Application
from asb_case_review.policy import Appeal, Policy
from asb_case_review.rules import AllOf, Outcome, all_of, any_of, count, fact, not_, rule
from tests.strategies import applications, engine_policies

BASE = attrs.evolve(STATUTORY, id="t", appeal=Appeal("ask the community safety partnership to review"))


def _mandatory(predicate: object) -> Policy:
    return attrs.evolve(BASE, mandatory=rule("own", predicate, label="the mandatory route as written"))  # type: ignore[arg-type]


FIVE = [
    (
        "any_of(count(4), fact)",
        _mandatory(any_of(count(4), fact("victim_high_risk"))),
        "mandatory.parts[0].at_least",
    ),
    ("all_of(count(3), fact)", _mandatory(all_of(count(3), fact("no_action_taken"))), "mandatory.parts[1]"),
    (
        "all_of(count(3), not_(fact(case_closed)))",
        _mandatory(all_of(count(3), not_(fact("case_closed")))),
        "mandatory.parts[1]",
    ),
    # all_of() of one part is that part; the class keeps the wrapper, as a policy file can.
    ("all_of(count(10))", _mandatory(AllOf((count(10),))), "mandatory.parts[0].at_least"),
    (
        "condition not_(count(4))",
        attrs.evolve(BASE, conditions=(rule("few", not_(count(4)), label="fewer than four reports"),)),
        "conditions[0]",
    ),
]


def turned_away(application: Application, policy: Policy) -> bool:
    """The policy as written says not met, and the statutory floor says met."""
    decision = evaluate(application, policy, enforce_floor=False)
    return decision.floor.met and decision.policy_outcome is Outcome.NOT_MET


def assert_turns_away(finding: Finding, policy: Policy) -> None:
    """The finding's example, evaluated again, is turned away as written and met by the floor."""
    assert finding.example is not None
    assert finding.turns_away
    assert turned_away(finding.example, policy)
    enforced = evaluate(finding.example, policy)
    assert enforced.met
    assert enforced.route is Route.STATUTORY_FLOOR


@pytest.mark.parametrize(("policy", "path"), [t[1:] for t in FIVE], ids=[t[0] for t in FIVE])
def test_policies_that_plainly_defeat_the_floor_are_errors(policy: Policy, path: str) -> None:
    """Each of the five is an error at the part that narrows, with an example that shows it."""
    errors = [f for f in check(policy) if f.severity is Severity.ERROR]
    assert [f.path for f in errors] == [path]
    assert_turns_away(errors[0], policy)


def test_a_route_with_no_count_is_a_conflict_of_the_routes() -> None:
    """Where no setting or attached part explains the turn-away, the routes themselves are named."""
    policy = _mandatory(fact("victim_high_risk"))
    (finding,) = [f for f in check(policy) if f.severity is Severity.ERROR]
    assert (finding.code, finding.path) == (Code.STATUTORY_FLOOR_CONFLICT, "mandatory")
    assert_turns_away(finding, policy)


def test_a_consent_condition_is_also_an_error_against_the_statute() -> None:
    """The guidance asks for consent and the statute does not: a warning, and the conflict an error."""
    from asb_case_review.rules import consent  # noqa: PLC0415 - only this test needs it

    policy = attrs.evolve(BASE, conditions=(rule("consent", consent(), label="the victim consents"),))
    found = {(f.code, f.severity) for f in check(policy)}
    assert found == {
        (Code.CONDITION_TURNS_AWAY, Severity.WARNING),
        (Code.STATUTORY_FLOOR_CONFLICT, Severity.ERROR),
    }


# Each example runs the whole conformance search: half the profile's examples (30 by default).
@settings(
    max_examples=max(30, settings().max_examples // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(engine_policies(), st.lists(applications(max_reports=6), min_size=1, max_size=4))
def test_every_turn_away_hypothesis_finds_is_reported(policy: Policy, candidates: list[Application]) -> None:
    """If some application is turned away as written while the floor is met, check reports an error."""
    if not any(turned_away(a, policy) for a in candidates):
        return
    errors = [f for f in check(policy) if f.severity is Severity.ERROR and f.turns_away]
    assert errors, "hypothesis found a turn-away that check does not report"
    for finding in errors:
        assert_turns_away(finding, policy)
