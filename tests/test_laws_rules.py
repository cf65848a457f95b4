"""Laws of the predicates: three-valued logic, flattening, and what counting may and may not depend on."""

from __future__ import annotations

import datetime as dt
import random
from typing import TypeAlias

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

from asb_case_review.dates import months
from asb_case_review.models import Agency, Application, Incident, Report
from asb_case_review.qualifying import Lag, LagScope, Reason, Selection, Window
from asb_case_review.rules import (
    AllOf,
    AnyOf,
    Context,
    Count,
    CountUnit,
    FactIs,
    Not,
    Outcome,
    Predicate,
    all_of,
    any_of,
    count,
    not_,
)
from tests.builders import D, app, rep
from tests.strategies import applications, count_leaves, pure_selections, trees

# The information order of Kleene's logic, weakest first: min is "and", max is "or".
_RANK = {Outcome.NOT_MET: 0, Outcome.UNKNOWN: 1, Outcome.MET: 2}

Combinable: TypeAlias = AllOf | AnyOf | Not | Count | FactIs
"""The library's predicates that support the operators ``&``, ``|`` and ``~``."""


def ops(predicate: Predicate) -> Combinable:
    """*predicate*, narrowed to a type with the operators (every generated tree is one)."""
    assert isinstance(predicate, AllOf | AnyOf | Not | Count | FactIs)
    return predicate


def outcome(predicate: Predicate, application: Application) -> Outcome:
    """The outcome of *predicate* on *application* on the application's own date."""
    return predicate(Context(application, application.made_on)).outcome


def kleene_and(*outcomes: Outcome) -> Outcome:
    """Kleene conjunction, written independently of the library."""
    return min(outcomes, key=_RANK.__getitem__)


def kleene_or(*outcomes: Outcome) -> Outcome:
    """Kleene disjunction, written independently of the library."""
    return max(outcomes, key=_RANK.__getitem__)


def kleene_not(value: Outcome) -> Outcome:
    """Kleene negation, written independently of the library."""
    return {Outcome.MET: Outcome.NOT_MET, Outcome.NOT_MET: Outcome.MET}.get(value, Outcome.UNKNOWN)


@given(trees(), trees(), applications())
def test_de_morgan_for_and(a: Predicate, b: Predicate, application: Application) -> None:
    """~(a & b) has the outcome of ~a | ~b, in three-valued logic."""
    assert outcome(~(ops(a) & b), application) == outcome(~ops(a) | ~ops(b), application)


@given(trees(), trees(), applications())
def test_de_morgan_for_or(a: Predicate, b: Predicate, application: Application) -> None:
    """~(a | b) has the outcome of ~a & ~b, in three-valued logic."""
    assert outcome(~(ops(a) | b), application) == outcome(~ops(a) & ~ops(b), application)


@given(trees(), trees(), applications())
def test_combinators_are_kleene_logic(a: Predicate, b: Predicate, application: Application) -> None:
    """all_of, any_of and not_ give Kleene's and, or and not of their parts' outcomes, in any order."""
    left, right = outcome(a, application), outcome(b, application)
    assert outcome(AllOf((a, b)), application) == kleene_and(left, right)
    assert outcome(AnyOf((a, b)), application) == kleene_or(left, right)
    assert outcome(AllOf((b, a)), application) == kleene_and(left, right)
    assert outcome(AnyOf((b, a)), application) == kleene_or(left, right)
    assert outcome(Not(a), application) == kleene_not(left)


@given(trees(), applications())
def test_double_negation(a: Predicate, application: Application) -> None:
    """~~a and not_(not_(a)) are a itself, and the unsimplified Not(Not(a)) has a's outcome."""
    assert ~~ops(a) == a
    assert not_(not_(a)) == a
    assert outcome(Not(Not(a)), application) == outcome(a, application)


@given(trees(), trees(), trees(), applications())
def test_nested_all_of_and_any_of_flatten(a: Predicate, b: Predicate, c: Predicate, app: Application) -> None:
    """all_of(all_of(a, b), c) is the value all_of(a, b, c) (and so for any_of), with its outcome."""
    assert all_of(all_of(a, b), c) == all_of(a, all_of(b, c)) == all_of(a, b, c)
    assert any_of(any_of(a, b), c) == any_of(a, any_of(b, c)) == any_of(a, b, c)
    assert ops(a) & b & c == all_of(a, b, c)
    assert ops(a) | b | c == any_of(a, b, c)
    assert outcome(AllOf((AllOf((a, b)), c)), app) == outcome(all_of(a, b, c), app)
    assert outcome(AnyOf((AnyOf((a, b)), c)), app) == outcome(any_of(a, b, c), app)


def _added(application: Application, report: Report) -> Application:
    return attrs.evolve(application, reports=(*application.reports, report))


@st.composite
def extra_report(draw: st.DrawFn, application: Application) -> Report:
    """A further report about an incident already reported, or a new one, by anyone, at any lag."""
    known = {r.incident.id: r.incident for r in application.reports}
    incident = draw(
        st.one_of(
            st.sampled_from(sorted(known.values(), key=lambda i: i.id)) if known else st.nothing(),
            st.builds(
                lambda began, hate: Incident("EXTRA-I", matter="M", began_on=began, hate=hate),
                st.dates(application.made_on - dt.timedelta(days=400), application.made_on),
                st.booleans(),
            ),
        )
    )
    return Report(
        "EXTRA-R",
        reporter=draw(st.sampled_from(["P1", "P2", "P7"])),
        made_on=incident.began_on + dt.timedelta(days=draw(st.integers(0, 60))),
        incident=incident,
        agency=draw(st.sampled_from(Agency)),
        household=draw(st.sampled_from([None, "H1", "H9"])),
    )


@given(
    count_leaves(selection=pure_selections()),
    applications(),
    st.data(),
)
def test_adding_a_report_never_un_meets_a_pure_count(
    rule: Predicate, application: Application, data: st.DataObject
) -> None:
    """A count with windows from each report or back from the application stays met with one more report.

    It holds for every unit (households only move from not met to unknown)
    and every per-report filter (whose reports, hate, kinds, agencies, a lag
    held to every report).  It holds too for a lag held only to the first
    report counted (the next test).  It does not hold for windows fixed by the
    first report or incident or by the latest incident: an earlier or later
    report moves them (see the tests below).
    """
    before = outcome(rule, application)
    after = outcome(rule, _added(application, data.draw(extra_report(application))))
    assert _RANK[after] >= _RANK[before]


def _first_only(selection: Selection) -> Selection:
    lag = selection.lag
    return (
        selection
        if lag is None
        else attrs.evolve(selection, lag=attrs.evolve(lag, applies_to=LagScope.FIRST))
    )


@given(
    count_leaves(selection=pure_selections().map(_first_only)),
    applications(),
    st.data(),
)
def test_adding_a_report_never_un_meets_a_count_whose_lag_binds_the_first_report_counted(
    rule: Predicate, application: Application, data: st.DataObject
) -> None:
    """The lag binds the first report counted in the window: a new report, late or not, before or after
    the others, can only bring the first report in time earlier, so the count stays met."""
    before = outcome(rule, application)
    after = outcome(rule, _added(application, data.draw(extra_report(application))))
    assert _RANK[after] >= _RANK[before]


def test_an_earlier_late_report_never_un_meets_a_first_report_lag() -> None:
    """The lag binds the first of the reports counted: an earlier late report turns no later one away."""
    selection = Selection(lag=Lag(months(1), applies_to=LagScope.FIRST))
    rule = count(1, selection=selection)
    prompt = rep("R2", D(2025, 6, 2), D(2025, 6, 1))
    late = rep("R1", D(2025, 5, 20), D(2025, 1, 1))
    assert outcome(rule, app(D(2025, 6, 10), prompt)) is Outcome.MET
    assert outcome(rule, app(D(2025, 6, 10), prompt, late)) is Outcome.MET
    assert outcome(rule, app(D(2025, 6, 10), late)) is Outcome.NOT_MET


def test_an_earlier_report_never_un_meets_a_window_from_the_first_report_counted() -> None:
    """ "The first" is the first of the reports counted: an old report about the matter changes nothing."""
    rule = count(1, selection=Selection(window=Window(months(6), anchor="first_report"), lag=None))
    recent = rep("R2", D(2025, 6, 2))
    old = rep("R1", D(2024, 6, 2))
    assert outcome(rule, app(D(2025, 6, 10), recent)) is Outcome.MET
    assert outcome(rule, app(D(2025, 6, 10), recent, old)) is Outcome.MET


def test_an_earlier_report_can_un_meet_a_window_tying_the_application_to_the_first_report() -> None:
    """Where the wording ties the application to the first report, an earlier report closes it sooner."""
    window = Window(months(6), anchor="first_report_and_application")
    rule = count(1, selection=Selection(window=window, lag=None))
    recent = rep("R2", D(2025, 6, 2))
    old = rep("R1", D(2024, 6, 2))
    assert outcome(rule, app(D(2025, 6, 10), recent)) is Outcome.MET
    assert outcome(rule, app(D(2025, 6, 10), recent, old)) is Outcome.NOT_MET


def _tally_count(unit: CountUnit, application: Application) -> int:
    result = count(1, unit=unit, selection=Selection())(Context(application, application.made_on))
    assert result.tally is not None
    return result.tally.count


@st.composite
def duplicated(draw: st.DrawFn) -> tuple[Application, Application]:
    """An application with a counted report, and the same with that incident reported again the same day.

    The repeat is by the same person to other agencies, or by the same
    person to the same agency (a repeat call).
    """
    application = draw(applications())
    context = Context(application, application.made_on)
    counted = [r for r in application.reports if _fate(count(1), context, r.id) is Reason.COUNTED]
    original = draw(st.sampled_from(counted)) if counted else None
    if original is None:
        return application, application
    agencies = draw(st.lists(st.sampled_from(Agency), min_size=1, max_size=3, unique=True))
    copies = [attrs.evolve(original, id=f"COPY-{a.value}", agency=a) for a in agencies]
    return application, attrs.evolve(application, reports=(*application.reports, *copies))


def _fate(rule: Predicate, context: Context, report_id: str) -> Reason:
    result = rule(context)
    assert result.tally is not None
    return next(f.reason for f in result.tally.fates if f.report == report_id)


@given(duplicated())
def test_the_same_incident_reported_again_counts_once_as_a_complaint_and_an_incident(
    pair: tuple[Application, Application],
) -> None:
    """Repeats of a counted report (same person and incident, any agencies) add no complaint nor incident."""
    before, after = pair
    repeats = len(after.reports) - len(before.reports)
    for unit in (CountUnit.COMPLAINTS, CountUnit.INCIDENTS, CountUnit.INCIDENT_DATES, CountUnit.REPORTERS):
        assert _tally_count(unit, after) == _tally_count(unit, before)
    assert _tally_count(CountUnit.REPORTS, after) == _tally_count(CountUnit.REPORTS, before) + repeats


@given(applications())
def test_counts_match_a_reference_tally(application: Application) -> None:
    """Each unit counts the distinct keys of the reports counted under the statutory selection."""
    context = Context(application, application.made_on)
    result = count(1, unit=CountUnit.REPORTS)(context)
    assert result.tally is not None
    inside = [r for r in application.reports if r.id in result.tally.counted()]
    # A complaint is one person's about one day of one incident's behaviour (the latest day of
    # it on or before the complaint, by default).
    assert _tally_count(CountUnit.COMPLAINTS, application) == len(
        {
            (r.reporter, r.incident.id, min(r.incident.ended_on or r.incident.began_on, r.made_on))
            for r in inside
        }
    )
    assert _tally_count(CountUnit.INCIDENTS, application) == len({r.incident.id for r in inside})
    assert _tally_count(CountUnit.REPORTERS, application) == len({r.reporter for r in inside})
    assert _tally_count(CountUnit.HOUSEHOLDS, application) == len(
        {r.household for r in inside if r.household is not None}
    )


@given(count_leaves(), applications(), st.randoms(use_true_random=False))
def test_the_order_of_reports_never_changes_a_count(
    rule: Predicate, application: Application, rng: random.Random
) -> None:
    """A count's outcome, tally, fates and critical dates do not depend on the order reports are given in."""
    shuffled = list(application.reports)
    rng.shuffle(shuffled)
    other = attrs.evolve(application, reports=shuffled)
    first = rule(Context(application, application.made_on))
    second = rule(Context(other, other.made_on))
    assert first.outcome == second.outcome
    assert first.valid_until == second.valid_until
    assert first.tally is not None
    assert second.tally is not None
    assert set(first.tally.fates) == set(second.tally.fates)
    assert attrs.evolve(first.tally, fates=()) == attrs.evolve(second.tally, fates=())


_ONE_INCIDENT_TWO_DAYS = (
    rep("R1", D(2025, 1, 2), D(2025, 1, 1), incident="I1", ended=D(2025, 1, 10), agency="police"),
    rep("R2", D(2025, 1, 5), D(2025, 1, 1), incident="I1", ended=D(2025, 1, 10), agency="council"),
)


@given(applications(), pure_selections())
@example(app(D(2025, 1, 20), *_ONE_INCIDENT_TWO_DAYS), Selection())
def test_separate_dates_never_count_more_than_separate_incidents(
    application: Application, selection: Selection
) -> None:
    """INCIDENT_DATES is the stricter unit: it never counts more than INCIDENTS on the same reports."""
    context = Context(application, application.made_on)
    by_date = count(1, unit=CountUnit.INCIDENT_DATES, selection=selection)(context).tally
    by_incident = count(1, unit=CountUnit.INCIDENTS, selection=selection)(context).tally
    assert by_date is not None
    assert by_incident is not None
    assert by_date.count <= by_incident.count


def test_one_continuing_incident_reported_on_two_days_is_one_incident_date() -> None:
    """The same continuing incident reported to the police and then the council counts once, not on two dates.

    Found by the law above: each report's day of behaviour is the latest day
    on or before the report, so the two reports had two different days and
    counted as two "separate incidents on separate dates".
    """
    application = app(D(2025, 1, 20), *_ONE_INCIDENT_TWO_DAYS)
    result = count(2, unit=CountUnit.INCIDENT_DATES)(Context(application, application.made_on))
    assert result.outcome is Outcome.NOT_MET
    assert result.tally is not None
    assert [(f.reason, f.detail) for f in result.tally.fates][1] == (
        Reason.DUPLICATE,
        "the same incident is already counted",
    )


def test_a_continuing_incident_may_count_on_a_later_day_when_its_first_day_is_taken() -> None:
    """An incident whose first reported day is another incident's date counts on a later day of its own."""
    application = app(
        D(2025, 1, 20),
        rep("R1", D(2025, 1, 3), D(2025, 1, 3), incident="I1"),
        rep("R2", D(2025, 1, 3), D(2025, 1, 1), incident="I2", ended=D(2025, 1, 10)),
        rep("R3", D(2025, 1, 8), D(2025, 1, 1), incident="I2", ended=D(2025, 1, 10)),
    )
    result = count(2, unit=CountUnit.INCIDENT_DATES)(Context(application, application.made_on))
    assert result.tally is not None
    assert [f.reason for f in result.tally.fates] == [Reason.COUNTED, Reason.DUPLICATE, Reason.COUNTED]
    assert result.outcome is Outcome.MET


def test_adding_an_earlier_report_of_a_continuing_incident_keeps_separate_dates() -> None:
    """Adding a report never lowers an INCIDENT_DATES count: dates are matched to incidents, not first come.

    Incident I2 went on from 1 to 10 January and was reported on 8 January;
    I1 happened on 3 January.  A further report of I2 made on 3 January must
    not take 3 January from I1 and leave two incidents on one date.
    """
    i1 = rep("R1", D(2025, 1, 4), D(2025, 1, 3), incident="I1")
    i2 = rep("R3", D(2025, 1, 8), D(2025, 1, 1), incident="I2", ended=D(2025, 1, 10))
    early = rep("R2", D(2025, 1, 3), D(2025, 1, 1), incident="I2", ended=D(2025, 1, 10))
    predicate = count(2, unit=CountUnit.INCIDENT_DATES)
    assert outcome(predicate, app(D(2025, 1, 20), i1, i2)) is Outcome.MET
    assert outcome(predicate, app(D(2025, 1, 20), i1, i2, early)) is Outcome.MET


@given(count_leaves(), applications())
def test_every_counted_report_is_inside_its_window_and_is_one_unit(
    predicate: Predicate, application: Application
) -> None:
    """Each report counted is inside the window it is shown with on the date, and counts exactly one unit."""
    result = predicate(Context(application, application.made_on))
    assert result.tally is not None
    counted = [f for f in result.tally.fates if f.reason is Reason.COUNTED]
    assert len(result.tally.fates) == len(application.reports)
    assert all(f.window is not None and application.made_on in f.window for f in counted)
    assert len(counted) == result.tally.count
