"""What evaluate() works out once and shares gives exactly what working it out afresh gives.

evaluate() keeps some values from one rule to the next, and some from one evaluation to the next:
the tests before a rule's window (for rules that differ only in their window), the compiled value
tests of a selection, the readers of a unit's one report value, the combination of a policy's
outcome codes and the last days of periods.  Each is checked here against the plain definition.
"""

from __future__ import annotations

import itertools

import attrs
import pytest

from asb_case_review import qualifying
from asb_case_review.dates import Arithmetic, days, months, period_last_day
from asb_case_review.decision import _combined, evaluate
from asb_case_review.law import reports as law
from asb_case_review.law.logic import SCALAR, Outcome, combine
from asb_case_review.models import Agency
from asb_case_review.policy import Policy
from asb_case_review.qualifying import (
    Anchor,
    DateOf,
    Lag,
    LagScope,
    Selection,
    Shared,
    Who,
    Window,
    in_scope,
    select,
)
from asb_case_review.rules import Context, count, recency, rule
from tests.builders import D, app, rep

REPORTS = (
    rep("R1", D(2025, 1, 10), agency=Agency.POLICE, household="H1"),
    rep("R2", D(2025, 2, 20), D(2025, 1, 2), by="P2", agency=Agency.COUNCIL),
    rep("R3", D(2025, 3, 3), D(2025, 1, 2), by="P2", incident="I-R2", kind="diary", household="H2"),
    rep("R4", D(2025, 4, 1), D(2025, 3, 30), by="P3", agency=Agency.COUNCIL, hate=True, household="H1"),
    rep("R5", D(2025, 4, 1), D(2025, 3, 30), by="P1", incident="I-R4", hate=True, agency=Agency.LANDLORD),
    rep("R6", D(2025, 5, 30), D(2025, 5, 1), by="P4", matter="OTHER"),
    rep("R7", D(2025, 6, 2), by="P1", agency=Agency.POLICE),
    rep("R8", D(2025, 5, 20), D(2025, 3, 1), ended=D(2025, 5, 10), by="P5"),
)
APPLICATION = app(D(2025, 6, 2), *REPORTS)

SCOPES = [
    Selection(),
    Selection(lag=None),
    Selection(lag=Lag(days(20))),
    Selection(behaviour_day="first_day"),
    Selection(who=Who.VICTIM),
    Selection(who=Who.VICTIM, lag=None),
    Selection(agencies=[Agency.COUNCIL, Agency.POLICE], lag=Lag(months(1), applies_to=LagScope.FIRST)),
    Selection(exclude_kinds=["diary"], hate_only=True),
    Selection(exclude_kinds=["diary"], agencies=[Agency.COUNCIL], lag=Lag(days(20))),
]
WINDOWS = [
    Window(),
    Window(months(1), anchor=Anchor.APPLICATION),
    Window(months(3), anchor=Anchor.EACH_REPORT, date_of=DateOf.INCIDENT),
    Window(months(6), anchor=Anchor.FIRST_INCIDENT),
    Window(months(4), anchor=Anchor.FIRST_REPORT_AND_APPLICATION, arithmetic=Arithmetic.INCLUSIVE),
    Window(months(2), anchor=Anchor.LATEST_INCIDENT),
]


def _shown(selected: object) -> str:
    """Every value of a selection's outcome, its fates made (the repr names them all)."""
    return repr(selected)


def test_rules_that_differ_in_their_window_share_the_tests_before_it() -> None:
    """Selections made in turn on one set of shared values (as one decision and its re-runs on
    later days make them) equal each made on its own."""
    shared = Shared(APPLICATION)
    for as_of, scope, window in itertools.product(
        [D(2025, 4, 1), D(2025, 6, 2), D(2025, 9, 30)], SCOPES, WINDOWS
    ):
        selection = attrs.evolve(scope, window=window)
        together = select(selection, APPLICATION, as_of, shared=shared)
        alone = select(selection, APPLICATION, as_of)
        assert _shown(together) == _shown(alone), (as_of, selection)
        assert in_scope(selection, APPLICATION, as_of) == alone.in_scope
        assert in_scope(selection, APPLICATION, as_of, shared=shared) == alone.in_scope


def test_a_recency_gate_reads_the_same_reports_in_scope_as_its_selection() -> None:
    """The gate's "latest" comes from the reports in scope, with or without its selection made first."""
    gate = recency(months(2), selection=Selection(who=Who.VICTIM, lag=None))
    fresh = gate(Context(APPLICATION, D(2025, 6, 2)))
    primed = Context(APPLICATION, D(2025, 6, 2))
    primed.selected(gate.selection)
    assert gate(primed) == fresh
    assert fresh.summary == "the latest was on 2025-06-02"


@pytest.mark.parametrize("unit", list(law.CountUnit))
def test_a_units_reader_reads_what_unit_key_keys(unit: law.CountUnit) -> None:
    """Where a unit is one report value, its reader gives unit_key's value (None: uncertain)."""
    spec = law.UNITS[unit]
    read = law.key_reader(spec)
    if read is None:
        assert len(spec.fields) != 1 or spec.fields[0] is law.KeyField.BEHAVIOUR_DAY
        return
    for report in REPORTS:
        key = law.unit_key(spec, report, report.made_on)
        assert (None if key is None else key[0]) == read(report)


def test_a_missing_value_that_is_a_unit_of_its_own_is_left_to_unit_key() -> None:
    """A unit of households that does not make a missing one uncertain keeps unit_key's reading."""
    spec = law.UnitSpec((law.KeyField.HOUSEHOLD,), "the same household is already counted")
    assert law.key_reader(spec) is None
    assert law.unit_key(spec, REPORTS[1], D(2025, 1, 2)) == (None,)


@pytest.mark.parametrize("enforce_floor", [True, False])
def test_the_remembered_combination_is_the_laws(enforce_floor: bool) -> None:
    """Every pattern of codes (up to two local rules and two conditions) combines as law.logic says."""
    codes = (0, 1, 2)
    for mandatory, floor in itertools.product(codes, codes):
        for local_count, condition_count in itertools.product(range(3), range(3)):
            for local in itertools.product(codes, repeat=local_count):
                for conditions in itertools.product(codes, repeat=condition_count):
                    law_says = combine(
                        SCALAR, mandatory, local, conditions, floor, enforce_floor=enforce_floor
                    )
                    outcome, policy_outcome, route, matched, floor_matched = _combined(
                        mandatory, local, conditions, floor, enforce_floor
                    )
                    assert outcome is Outcome.of(law_says.outcome)
                    assert policy_outcome is Outcome.of(law_says.policy_outcome)
                    assert (route is None) == (law_says.route == 0)
                    assert matched == law_says.matched
                    assert floor_matched == law_says.floor_matched


def test_remembered_last_days_of_periods_are_the_calendars() -> None:
    """A period's last day, asked twice across evaluations, is what the calendar arithmetic gives."""
    policy = Policy(
        "memo",
        title="Memo",
        version="1",
        effective_from=D(2020, 1, 1),
        mandatory=rule("three", count(3, selection=Selection(lag=Lag(days(40)))), label="three complaints"),
    )
    first = evaluate(APPLICATION, policy)
    again = evaluate(APPLICATION, policy)
    assert first == again
    tally = first.mandatory.children[0].tally
    assert tally is not None
    counted = [f for f in tally.fates if f.window is not None and f.reason.value == "counted"]
    assert counted
    for fate in counted:
        assert fate.window is not None
        assert fate.window.last == period_last_day(fate.window.first, months(6))


@pytest.mark.parametrize("rule", list(law.BehaviourDay))
def test_the_days_of_behaviour_in_one_pass_are_each_reports_own(rule: law.BehaviourDay) -> None:
    """behaviour_days gives behaviour_day of every report, continuing behaviour included."""
    continuing = (
        rep("C1", D(2025, 2, 10), D(2025, 1, 1), ended=D(2025, 3, 1)),
        rep("C2", D(2025, 3, 5), D(2025, 1, 1), incident="I-C1", ended=D(2025, 3, 1)),
        rep("C3", D(2025, 3, 1), D(2025, 3, 1), ended=D(2025, 3, 1)),
    )
    every = (*REPORTS, *continuing)
    expected = [law.behaviour_day(rule, r.incident.began_on, r.incident.ended_on, r.made_on) for r in every]
    assert law.behaviour_days(rule, every) == expected
    assert len(set(expected)) > 1


def test_the_remembered_last_days_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its bounds the table of periods' last days starts afresh, and the answers stay the same."""
    selections = [Selection(lag=Lag(days(n)), window=Window(days(100 + n))) for n in range(20, 30)]
    expected = [_shown(select(s, APPLICATION, D(2025, 6, 2))) for s in selections]
    monkeypatch.setattr(qualifying, "_MOST_LASTS", 2)
    monkeypatch.setattr(qualifying, "_MOST_SPANS", 3)
    monkeypatch.setattr(qualifying, "_LASTS", {})
    for _ in range(2):
        assert [_shown(select(s, APPLICATION, D(2025, 6, 2))) for s in selections] == expected
        assert len(qualifying._LASTS) <= 3


def test_a_missing_household_leaves_a_count_by_the_latest_incident_uncertain() -> None:
    """Under a window ending with the latest incident, a report with no household may be one more."""
    selection = Selection(lag=None, window=Window(months(6), anchor=Anchor.LATEST_INCIDENT))
    households = count(3, unit=law.CountUnit.HOUSEHOLDS, selection=selection)
    result = households(Context(APPLICATION, D(2025, 6, 2)))
    assert result.tally is not None
    assert (result.tally.count, result.tally.possible) == (2, 5)  # P1, P2 and P5 gave none
    assert result.outcome is Outcome.UNKNOWN
    assert {f.report: f.reason.value for f in result.tally.fates}["R2"] == "unknown_household"
