"""What evaluate() works out once per application, per policy or when first read gives what it gave before.

The reports in the law's order and their days of behaviour are kept with the (immutable)
application (``models.in_order``); each policy's statutory floor rule is kept by the policy's
identity; a decision's warnings and signals are made the first time either is read.  Each is
checked here against working it out afresh: the same decisions, values, equality, hash and repr.
"""

from __future__ import annotations

import pickle
import random
import threading

import attrs

from asb_case_review import decision as decision_module
from asb_case_review.catalogue import CATALOGUE, STATUTORY
from asb_case_review.decision import Decision, NoticeCode, evaluate
from asb_case_review.law.floor import FloorReading, floor_rule
from asb_case_review.models import Application, in_order
from asb_case_review.policy import statutory_route
from asb_case_review.qualifying import BehaviourDay
from asb_case_review.render import for_officer
from asb_case_review.rules import Context
from tests.builders import D, app, rep

REPORTS = (
    rep("R1", D(2025, 1, 10)),
    rep("R2", D(2025, 2, 20), D(2025, 1, 2), by="P2"),
    rep("R3", D(2025, 3, 3), D(2025, 1, 2), by="P2", incident="I-R2"),
    rep("R4", D(2025, 4, 1), D(2025, 3, 30), by="P3", hate=True),
    rep("R0", D(2025, 4, 1), D(2025, 3, 30), by="P1", incident="I-R4", hate=True),
    rep("R7", D(2025, 6, 2), by="P1"),
    rep("R8", D(2025, 5, 20), D(2025, 3, 1), ended=D(2025, 5, 10), by="P5"),
)


def _shuffled(application: Application, seed: int) -> Application:
    reports = list(application.reports)
    random.Random(seed).shuffle(reports)
    return attrs.evolve(application, reports=tuple(reports))


def test_the_reports_in_order_are_sorted_by_day_then_id_once_and_kept_with_the_application() -> None:
    application = app(D(2025, 6, 2), *REPORTS)
    ordered = in_order(application)
    assert [r.id for r in ordered.reports] == ["R1", "R2", "R3", "R0", "R4", "R8", "R7"]
    assert in_order(application) is ordered  # kept, not sorted again
    already = app(D(2025, 6, 2), *ordered.reports)
    assert in_order(already).reports == already.reports
    # A changed copy is sorted afresh, never handed the original's order.
    fewer = attrs.evolve(application, reports=REPORTS[:3])
    assert [r.id for r in in_order(fewer).reports] == ["R1", "R2", "R3"]


def test_the_kept_order_is_no_part_of_the_application_value() -> None:
    asked, fresh = app(D(2025, 6, 2), *REPORTS), app(D(2025, 6, 2), *REPORTS)
    evaluate(asked, STATUTORY)  # fills in the order and the days of behaviour
    assert in_order(asked).days
    assert asked == fresh
    assert hash(asked) == hash(fresh)
    assert repr(asked) == repr(fresh)
    again = pickle.loads(pickle.dumps(asked))
    assert again == asked
    assert evaluate(again, STATUTORY) == evaluate(fresh, STATUTORY)


def test_the_kept_days_of_behaviour_are_each_reading_of_each_report() -> None:
    application = app(D(2025, 6, 2), *REPORTS)
    evaluate(application, CATALOGUE["merseyside"])
    evaluate(application, STATUTORY)
    ordered = in_order(application)
    for reading, days in ordered.days.items():
        assert isinstance(reading, BehaviourDay)
        made = [r.made_on for r in ordered.reports]
        began = [r.incident.began_on for r in ordered.reports]
        ended = [r.incident.ended_on or r.incident.began_on for r in ordered.reports]
        if reading is BehaviourDay.FIRST_DAY:
            assert days == began
        else:
            assert days == [min(e, m) for e, m in zip(ended, made, strict=True)]


def test_decisions_do_not_depend_on_the_order_reports_are_given_in_nor_on_an_earlier_evaluation() -> None:
    application = app(D(2025, 6, 2), *REPORTS)
    for name in ("statutory", "merseyside", "canterbury", "sandwell", "staffordshire-moorlands"):
        policy = CATALOGUE[name]
        first = evaluate(app(D(2025, 6, 2), *REPORTS), policy)  # a fresh application each time
        for seed in range(4):
            shuffled = _shuffled(application, seed)
            ran = evaluate(shuffled, policy)
            assert _answer(ran) == _answer(first), name
            assert for_officer(ran) == for_officer(first), name
            # A second evaluation of the same application, its order kept, gives the same decision.
            assert evaluate(shuffled, policy, as_of=D(2025, 7, 1)) == evaluate(
                _shuffled(application, seed), policy, as_of=D(2025, 7, 1)
            ), name


def _answer(decision: Decision) -> tuple[object, ...]:
    return (
        decision.outcome,
        decision.policy_outcome,
        decision.route,
        decision.matched,
        decision.mandatory,
        decision.local,
        decision.conditions,
        decision.floor,
        decision.fates,
        decision.warnings,
        decision.signals,
        decision.met_until,
        decision.shortfalls(),
    )


def test_each_policy_s_floor_rule_is_the_law_s_whoever_asked_before() -> None:
    # Two equal policies that are not the same object, each with its own floor; and more
    # policies than are kept, so that the memo is emptied and filled again.
    application = app(D(2025, 6, 2), *REPORTS)
    policies = [attrs.evolve(STATUTORY, id=f"p{n}", mandatory=statutory_route(1 + n % 5)) for n in range(600)]
    for policy in policies:
        for reading in FloorReading:
            ran = evaluate(application, policy, floor_reading=reading)
            assert ran.floor_rule == floor_rule(policy, reading)
            assert ran.floor == floor_rule(policy, reading)(Context(application, application.made_on))
    assert len(decision_module._FLOOR_RULES) <= decision_module._MOST_FLOOR_RULES


def test_notices_read_late_are_the_values_equality_hash_and_repr_of_notices_read_at_once() -> None:
    # Statutory floor conflict, a threshold above three, not in force, and the explain-the-review signal.
    policy = attrs.evolve(
        CATALOGUE["staffordshire-moorlands"], mandatory=statutory_route(4), effective_from=D(2025, 6, 3)
    )
    application = app(D(2025, 6, 2), *REPORTS, applicant="P1")
    read = evaluate(application, policy, floor_reading=FloorReading.AT_MOST_THREE)
    codes = {n.code for n in read.warnings} | {n.code for n in read.signals}
    assert {
        NoticeCode.THRESHOLD_ABOVE_THREE,
        NoticeCode.POLICY_NOT_IN_FORCE,
        NoticeCode.EXPLAIN_CASE_REVIEW,
    } <= codes
    unread = evaluate(application, policy, floor_reading=FloorReading.AT_MOST_THREE)
    assert unread == read  # equality reads the notices of the one not yet read
    other = evaluate(application, policy, floor_reading=FloorReading.AT_MOST_THREE)
    assert hash(other) == hash(read)
    assert repr(evaluate(application, policy, floor_reading=FloorReading.AT_MOST_THREE)) == repr(read)
    assert "warnings=(Notice(code=<NoticeCode.THRESHOLD_ABOVE_THREE" in repr(read)
    assert evaluate(application, policy, enforce_floor=False) != evaluate(application, policy)


def test_threads_reading_one_decision_s_notices_at_once_see_the_same_notices() -> None:
    policy = attrs.evolve(STATUTORY, mandatory=statutory_route(4))
    application = app(D(2025, 6, 2), *REPORTS, applicant="P1")
    expected = evaluate(application, policy)
    want = (expected.warnings, expected.signals)
    for _ in range(20):
        _read_at_once(evaluate(application, policy), want)


def _read_at_once(decision: Decision, want: object) -> None:
    seen: list[object] = []
    barrier = threading.Barrier(4)

    def read() -> None:
        barrier.wait()
        seen.append((decision.warnings, decision.signals))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [want] * 4
