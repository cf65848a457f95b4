"""Unit tables for law.logic: Kleene logic, rule trees, and the search for the days a decision changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from asb_case_review.law.logic import (
    MET,
    NOT_MET,
    SCALAR,
    UNKNOWN,
    AllNode,
    AnyNode,
    CountLeaf,
    FactLeaf,
    Node,
    NotNode,
    Outcome,
    RouteCode,
    as_written,
    combine,
    conjunction,
    disjunction,
    last_day_met,
    leaves_of,
    monotone,
    periods_met,
    value,
)
from asb_case_review.models import Fact
from tests.builders import D

CLOSED = FactLeaf(Fact.CASE_CLOSED, True)


def test_empty_conjunction_is_met_and_empty_disjunction_is_not() -> None:
    """ "All of nothing" holds and "any of nothing" does not: the identities of "and" and "or"."""
    assert conjunction([]) is Outcome.MET
    assert disjunction([]) is Outcome.NOT_MET


def test_leaves_are_every_count_beneath_a_tree_in_order() -> None:
    """Counts are found under not, all and any; facts are no counts."""
    tree = AllNode((CountLeaf(0), NotNode(CountLeaf(1)), AnyNode((CLOSED, CountLeaf(2)))))
    assert list(leaves_of(tree)) == [0, 1, 2]
    assert list(leaves_of(CLOSED)) == []
    assert list(leaves_of(NotNode(CLOSED))) == []


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        (CountLeaf(0), True),
        (CLOSED, True),
        (NotNode(CLOSED), True),
        (NotNode(CountLeaf(0)), False),
        (AllNode((CountLeaf(0), NotNode(CLOSED))), True),
        (AnyNode((CountLeaf(0), CountLeaf(1))), True),
        (AnyNode((CountLeaf(0), NotNode(AllNode((CLOSED, CountLeaf(1)))))), False),
        (AllNode((CLOSED, NotNode(CountLeaf(1)))), False),
    ],
    ids=["count", "fact", "not-fact", "not-count", "all", "any", "any-not-deep", "all-not-count"],
)
def test_a_tree_is_monotone_unless_a_count_is_beneath_a_not(tree: Node, expected: bool) -> None:
    """Only a count under a not can start being met as a report ages."""
    assert monotone(tree) is expected


@pytest.mark.parametrize(
    ("tree", "leaves", "facts", "expected"),
    [
        (AllNode((CountLeaf(0), CountLeaf(1))), [MET, UNKNOWN], {}, UNKNOWN),
        (AllNode((CountLeaf(0), CountLeaf(1))), [UNKNOWN, NOT_MET], {}, NOT_MET),
        (AllNode(()), [], {}, MET),
        (AnyNode((CountLeaf(0), CountLeaf(1))), [NOT_MET, UNKNOWN], {}, UNKNOWN),
        (AnyNode((CountLeaf(0), CountLeaf(1))), [UNKNOWN, MET], {}, MET),
        (AnyNode(()), [], {}, NOT_MET),
        (NotNode(CountLeaf(0)), [MET], {}, NOT_MET),
        (NotNode(CountLeaf(0)), [UNKNOWN], {}, UNKNOWN),
        (CLOSED, [], {}, UNKNOWN),
        (CLOSED, [], {Fact.CASE_CLOSED: True}, MET),
        (CLOSED, [], {Fact.CASE_CLOSED: False}, NOT_MET),
        (FactLeaf(Fact.CASE_CLOSED, False), [], {Fact.CASE_CLOSED: False}, MET),
        (NotNode(CLOSED), [], {Fact.CASE_CLOSED: True}, NOT_MET),
        (AllNode((CLOSED, CountLeaf(0))), [MET], {Fact.CASE_CLOSED: True}, MET),
        (AnyNode((CLOSED, CountLeaf(0))), [UNKNOWN], {Fact.CASE_CLOSED: False}, UNKNOWN),
    ],
    ids=[
        "and-unknown",
        "and-not-met",
        "and-empty",
        "or-unknown",
        "or-met",
        "or-empty",
        "not-met",
        "not-unknown",
        "fact-missing",
        "fact-true",
        "fact-false",
        "fact-expected-false",
        "not-fact",
        "all-fact",
        "any-fact",
    ],
)
def test_value_of_a_tree(tree: Node, leaves: list[int], facts: dict[Fact, bool], expected: int) -> None:
    """The tree's value is Kleene logic over its counts and facts; a missing fact is unknown."""
    assert value(tree, leaves, facts, SCALAR) == expected


def _pieces(met_on: list[tuple[dt.date, dt.date, bool]]) -> Callable[[dt.date], tuple[bool, dt.date | None]]:
    """A decision that is met (or not) on each listed stretch of days, each reported as its own piece."""

    def run(day: dt.date) -> tuple[bool, dt.date | None]:
        for first, last, met in met_on:
            if first <= day <= last:
                return met, last
        return False, None

    return run


def test_periods_met_joins_stretches_that_touch() -> None:
    """Met from 1 to 4 January and again from 5 to 9 is one period; a gap splits it."""
    run = _pieces(
        [
            (D(2025, 1, 1), D(2025, 1, 4), True),
            (D(2025, 1, 5), D(2025, 1, 9), True),
            (D(2025, 1, 10), D(2025, 1, 11), False),
            (D(2025, 1, 12), D(2025, 1, 20), True),
        ]
    )
    assert periods_met(run, D(2025, 1, 1), D(2025, 1, 31)) == [
        (D(2025, 1, 1), D(2025, 1, 9)),
        (D(2025, 1, 12), D(2025, 1, 20)),
    ]


def test_periods_met_on_a_single_day() -> None:
    """Asked about one day on which it is met, the answer is that day."""
    run = _pieces([(D(2025, 1, 1), D(2025, 1, 4), True)])
    assert periods_met(run, D(2025, 1, 3), D(2025, 1, 3)) == [(D(2025, 1, 3), D(2025, 1, 3))]
    assert periods_met(run, D(2025, 1, 5), D(2025, 1, 5)) == []


def test_last_day_met_steps_over_pieces_that_stay_met() -> None:
    """Met in two touching pieces, then not: the last day met is the end of the second piece."""
    run = _pieces([(D(2025, 1, 1), D(2025, 1, 4), True), (D(2025, 1, 5), D(2025, 1, 9), True)])
    assert last_day_met(run, D(2025, 1, 2)) == D(2025, 1, 9)
    forever = _pieces([(D(2025, 1, 1), dt.date.max, True)])
    assert last_day_met(forever, D(2025, 1, 2)) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ((MET, [], [], MET, True), (MET, MET, RouteCode.MANDATORY, (True,), False)),
        ((NOT_MET, [MET], [], NOT_MET, True), (MET, MET, RouteCode.DISCRETIONARY, (False, True), False)),
        ((MET, [MET], [], MET, True), (MET, MET, RouteCode.MANDATORY, (True, True), False)),
        ((MET, [], [NOT_MET], MET, True), (MET, NOT_MET, RouteCode.STATUTORY_FLOOR, (False,), True)),
        ((MET, [], [NOT_MET], MET, False), (NOT_MET, NOT_MET, RouteCode.NONE, (False,), False)),
        ((MET, [], [UNKNOWN], MET, True), (MET, UNKNOWN, RouteCode.STATUTORY_FLOOR, (False,), True)),
        ((UNKNOWN, [NOT_MET], [], NOT_MET, True), (UNKNOWN, UNKNOWN, RouteCode.NONE, (False, False), False)),
    ],
    ids=[
        "mandatory",
        "local-rule",
        "both-routes",
        "floor-over-a-condition",
        "floor-reported-only",
        "floor-over-an-unknown-condition",
        "unknown",
    ],
)
def test_combine(
    given: tuple[int, list[int], list[int], int, bool], expected: tuple[int, int, int, tuple[bool, ...], bool]
) -> None:
    """Routes are or-ed, conditions and-ed; the floor decides only where the policy is not met.

    Where the policy as written is met, the floor being met too does not make it the route: the
    rules matched are the policy's own.  Each case is (mandatory, local, conditions, floor, enforced).
    """
    mandatory, local, conditions, floor, enforce = given
    combined = combine(SCALAR, mandatory, local, conditions, floor, enforce_floor=enforce)
    assert (
        combined.outcome,
        combined.policy_outcome,
        combined.route,
        combined.matched,
        combined.floor_matched,
    ) == expected


@pytest.mark.parametrize("enforce_floor", [True, False], ids=["enforced", "reported-only"])
def test_the_floor_changes_nothing_when_the_policy_as_written_is_met(enforce_floor: bool) -> None:
    """When as_written is met, combine gives the same whatever the floor is: evaluate may leave it unrun."""
    codes = (NOT_MET, UNKNOWN, MET)
    for mandatory in codes:
        for local in ([], [NOT_MET], [MET, UNKNOWN]):
            for conditions in ([], [MET], [UNKNOWN], [NOT_MET]):
                written = as_written(SCALAR, mandatory, local, conditions)
                made = {
                    floor: combine(SCALAR, mandatory, local, conditions, floor, enforce_floor=enforce_floor)
                    for floor in codes
                }
                assert all(c.policy_outcome == written for c in made.values())
                if written == MET:
                    assert len(set(made.values())) == 1, (mandatory, local, conditions)
