"""Laws of whole decisions: window edges, report order, critical dates and the statutory floor."""

from __future__ import annotations

import calendar
import datetime as dt
import random

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from asb_case_review.catalogue import CATALOGUE, STATUTORY
from asb_case_review.dates import Arithmetic, Span, TimeUnit, days, months
from asb_case_review.decision import Decision, NoticeCode, Route, evaluate
from asb_case_review.errors import InvalidInput, NaiveDatetime
from asb_case_review.law.floor import FloorReading
from asb_case_review.models import Agency, Application, Incident, Report
from asb_case_review.policy import Policy, statutory_route
from asb_case_review.qualifying import Anchor, DateOf, Lag, LagScope, Reason, Selection, Who, Window
from asb_case_review.render import for_applicant, to_applicant_dict, to_dict
from asb_case_review.rules import Context, Count, CountUnit, Outcome, Predicate, Tally, count, rule
from tests.builders import app, rep
from tests.strategies import (
    LONDON,
    applications,
    count_leaves,
    dates,
    fresh_report,
    london_instants,
    pure_selections,
    spans,
    trees,
)
from tests.test_laws_dates import reference_last_day

D = dt.date
_ONE_DAY = dt.timedelta(days=1)
_POLICIES = st.sampled_from(sorted(CATALOGUE.values(), key=lambda p: p.id))


def reference_period_last_day(start: dt.date, span: Span, arithmetic: Arithmetic) -> dt.date:
    """The last day inside a period of *span* beginning with *start*, written independently.

    Under the inclusive reading the last day is the largest A whose date
    N months earlier (clipped to a month end) is on or before *start*.
    """
    extra = 0 if arithmetic is Arithmetic.STATUTORY else 1
    if span.unit is TimeUnit.DAYS:
        return start + dt.timedelta(days=span.count - 1 + extra)
    if arithmetic is Arithmetic.STATUTORY:
        return reference_last_day(start, span.count)
    year, month0 = divmod(start.month - 1 + span.count, 12)
    year, month = start.year + year, month0 + 1
    length = calendar.monthrange(year, month)[1]
    if start.day == calendar.monthrange(start.year, start.month)[1]:
        return dt.date(year, month, length)
    return dt.date(year, month, min(start.day, length))


def one_rule_policy(predicate: Predicate, *, conditions: tuple[Predicate, ...] = ()) -> Policy:
    """A policy with the statute's mandatory route and one local rule (and optional conditions)."""
    return Policy(
        "laws",
        title="A policy made up by a property test",
        version="1",
        effective_from=D(1900, 1, 1),  # the earliest supported date
        local=(rule("one", predicate, label="the rule under test"),),
        conditions=tuple(rule(f"condition-{i}", c, label="a condition") for i, c in enumerate(conditions)),
    )


def single_report(made_on: dt.date, behaviour: dt.date) -> Application:
    """An application by P1 relying on one report, made on the day it is made."""
    incident = Incident("I", matter="M", began_on=behaviour)
    report = Report("R", reporter="P1", made_on=made_on, incident=incident)
    return Application("A", applicant="P1", made_on=made_on, matter="M", reports=[report])


def met_on(application: Application, policy: Policy, day: dt.date) -> bool:
    """Whether *policy* is met for *application* decided on *day*."""
    return evaluate(application, policy, as_of=day).met


_EDGE_WINDOWS = st.builds(
    Window,
    spans(),
    anchor=st.sampled_from([Anchor.EACH_REPORT, Anchor.APPLICATION]),
    date_of=st.sampled_from(DateOf),
    arithmetic=st.sampled_from(Arithmetic),
)


@given(dates(D(1900, 1, 1), D(2300, 1, 1)), st.integers(0, 40), _EDGE_WINDOWS)
@example(D(2025, 8, 31), 0, Window(months(6)))
@example(D(2025, 8, 28), 0, Window(months(6), anchor=Anchor.APPLICATION, arithmetic=Arithmetic.INCLUSIVE))
@example(D(2024, 2, 29), 0, Window(months(12)))
@example(D(2025, 1, 31), 3, Window(months(1), date_of=DateOf.INCIDENT))
def test_a_report_counts_on_the_first_and_last_day_of_its_window_and_not_the_day_after(
    behaviour: dt.date, lag: int, window: Window
) -> None:
    """One report meets count(1) from the day it is made to the window's last day, and not the day after."""
    made_on = behaviour + dt.timedelta(days=lag)
    selection = Selection(window=window, lag=None)
    policy = one_rule_policy(count(1, selection=selection))
    application = single_report(made_on, behaviour)
    start = made_on if window.date_of is DateOf.REPORT else behaviour
    last = reference_period_last_day(start, window.span, window.arithmetic)
    if last < made_on:
        # The window closed before the report was made: it never counts.
        assert not met_on(application, policy, made_on)
        return
    assert met_on(application, policy, made_on)
    assert met_on(application, policy, last)
    assert not met_on(application, policy, last + _ONE_DAY)
    assert evaluate(application, policy).met_until == last


@given(dates(D(1900, 1, 1), D(2300, 1, 1)), st.integers(-2, 2), spans(), st.sampled_from(Arithmetic))
@example(D(2025, 1, 31), 0, months(1), Arithmetic.STATUTORY)
@example(D(2025, 1, 31), 1, months(1), Arithmetic.STATUTORY)
def test_a_report_made_on_the_last_day_of_the_lag_counts_and_not_the_day_after(
    behaviour: dt.date, off_by: int, span: Span, arithmetic: Arithmetic
) -> None:
    """A report made on the last day of its lag after the behaviour counts; one made the day after is late."""
    limit = reference_period_last_day(behaviour, span, arithmetic)
    made_on = max(behaviour, limit + dt.timedelta(days=off_by))
    selection = Selection(
        window=Window(months(1200), anchor=Anchor.APPLICATION), lag=Lag(span, arithmetic=arithmetic)
    )
    decision = evaluate(single_report(made_on, behaviour), one_rule_policy(count(1, selection=selection)))
    assert decision.met == (made_on <= limit)
    result = decision.local[0].children[0]
    assert result.tally is not None
    assert result.tally.fates[0].reason is (Reason.COUNTED if made_on <= limit else Reason.LATE_REPORT)


def _shortfall_view(decision: Decision) -> set[tuple[str, Tally]]:
    return {
        (s.rule, attrs.evolve(s.tally, fates=tuple(sorted(s.tally.fates, key=str))))
        for s in decision.shortfalls()
    }


@given(applications(), _POLICIES, st.randoms(use_true_random=False))
def test_the_order_of_reports_never_changes_a_decision(
    application: Application, policy: Policy, rng: random.Random
) -> None:
    """Shuffling the reports leaves outcome, route, matched rules, fates, met_until and shortfalls alone."""
    shuffled = list(application.reports)
    rng.shuffle(shuffled)
    first = evaluate(application, policy)
    second = evaluate(attrs.evolve(application, reports=shuffled), policy)
    assert (first.outcome, first.route, first.matched) == (second.outcome, second.route, second.matched)
    assert set(first.fates) == set(second.fates)
    assert first.met_until == second.met_until
    assert _shortfall_view(first) == _shortfall_view(second)
    assert (first.warnings, first.signals) == (second.warnings, second.signals)


@given(applications(), _POLICIES, st.data())
def test_adding_a_report_never_un_meets_a_catalogue_policy(
    application: Application, policy: Policy, data: st.DataObject
) -> None:
    """The built-in policies are made of pure counts, so one more report never turns met into not met."""
    before = evaluate(application, policy)
    extra = data.draw(
        fresh_report(application, application.made_on - dt.timedelta(days=data.draw(st.integers(0, 200))))
    )
    after = evaluate(attrs.evolve(application, reports=(*application.reports, extra)), policy)
    assert not before.met or after.met


def _policies() -> st.SearchStrategy[Policy]:
    """Built-in policies and policies of random rule trees, some with conditions."""
    made = st.builds(
        lambda local, conditions: one_rule_policy(local, conditions=tuple(conditions)),
        trees(),
        st.lists(trees(), max_size=1),
    )
    return st.one_of(_POLICIES, made)


def _without_later_reports(application: Application) -> Application:
    kept = [r for r in application.reports if r.made_on <= application.made_on]
    return attrs.evolve(application, reports=kept)


@given(applications(), _policies(), st.lists(st.integers(1, 4000), min_size=1, max_size=3))
def test_met_until_is_the_last_day_the_decision_stays_met(
    application: Application, policy: Policy, later: list[int]
) -> None:
    """When met, it is met on met_until and not the day after; None means met on every later day tried."""
    decision = evaluate(application, policy)
    if not decision.met:
        assert decision.met_until is None
        return
    trimmed = _without_later_reports(application)
    until = decision.met_until
    if until is None:
        for extra in later:
            assert met_on(trimmed, policy, application.made_on + dt.timedelta(days=extra))
        return
    assert until >= application.made_on
    assert met_on(trimmed, policy, until)
    assert not met_on(trimmed, policy, until + _ONE_DAY)


@st.composite
def counts_with_a_deadline(draw: st.DrawFn) -> tuple[Count, Application]:
    """A count the fresh reports of strategies.fresh_report can satisfy, and an application."""
    anchors = [Anchor.EACH_REPORT, Anchor.APPLICATION, Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT]
    selection = Selection(
        who=Who.ANYONE,
        window=draw(
            st.builds(Window, spans(), anchor=st.sampled_from(anchors), date_of=st.sampled_from(DateOf))
        ),
        lag=draw(st.one_of(st.none(), st.builds(Lag, spans(), applies_to=st.sampled_from(LagScope)))),
        agencies=draw(st.sampled_from([frozenset(), frozenset({Agency.COUNCIL})])),
    )
    # Fresh reports made on one day share one incident date, so INCIDENT_DATES is left out.
    units = [u for u in CountUnit if u is not CountUnit.INCIDENT_DATES]
    predicate = Count(draw(st.integers(1, 5)), unit=draw(st.sampled_from(units)), selection=selection)
    return predicate, draw(applications())


def _fresh(application: Application, made_on: dt.date, how_many: int) -> Application:
    fresh = [
        Report(
            f"FRESH-R{i}",
            reporter=f"FRESH-P{i}",
            household=f"FRESH-H{i}",
            made_on=made_on,
            incident=Incident(f"FRESH-I{i}", matter=application.matter, began_on=made_on),
            agency=Agency.COUNCIL,
        )
        for i in range(how_many)
    ]
    return attrs.evolve(application, reports=(*application.reports, *fresh))


def _outcome(predicate: Predicate, application: Application, day: dt.date) -> Outcome:
    return predicate(Context(application, day)).outcome


@given(counts_with_a_deadline())
def test_the_missing_reports_made_on_the_deadline_meet_the_count_and_the_day_after_do_not(
    case: tuple[Count, Application],
) -> None:
    """Shortfall fresh qualifying reports made on Tally.deadline meet the count; made a day later they do not.

    "Fresh" means a new person, household and incident, reported the same
    day, to an agency the rule counts; fresh reports made on one day share an
    incident date, so the law is not stated for ``INCIDENT_DATES``.  It holds for windows counted from
    each report, back from the application, or from the first report or
    incident, with any lag; not for a window ending with the latest incident
    (see the explicit test below).
    """
    predicate, application = case
    application = _without_later_reports(application)
    result = predicate(Context(application, application.made_on))
    tally = result.tally
    assert tally is not None
    if result.met or tally.deadline is None:
        return
    deadline, missing = tally.deadline, tally.shortfall
    assert deadline >= application.made_on
    assert _outcome(predicate, _fresh(application, deadline, missing), deadline) is Outcome.MET
    day_after = deadline + _ONE_DAY
    assert _outcome(predicate, _fresh(application, day_after, missing), day_after) is not Outcome.MET


def _unknown_household_pair(window: Window) -> tuple[Count, Application]:
    """Two households wanted; one report with no household, one from H1 about a later behaviour day."""
    d = dt.date
    noise = Incident("I1", matter="M", began_on=d(2020, 8, 28))
    earlier = Incident("I2", matter="M", began_on=d(2020, 8, 16), ended_on=d(2020, 8, 29))
    application = Application(
        "A",
        applicant="P1",
        made_on=d(2021, 3, 10),
        matter="M",
        reports=(
            Report("R0", reporter="P1", made_on=d(2020, 9, 30), incident=noise, agency=Agency.COUNCIL),
            Report(
                "R1", reporter="P6", made_on=d(2020, 9, 10), incident=earlier,
                agency=Agency.COUNCIL, household="H1",
            ),
        ),
    )  # fmt: skip
    return count(
        2, unit=CountUnit.HOUSEHOLDS, selection=Selection(who=Who.ANYONE, lag=None, window=window)
    ), application


def test_the_deadline_of_a_run_is_the_latest_run_holding_as_many_units() -> None:
    """Found by the law above: the run shown (R0 and R1, H1 certain) closes on 27 August 2021, but the run
    beginning with R1's behaviour day holds as many certain units and closes a day later.  It is out of
    time today (six months after R1), yet a new report made by its last day is its latest and brings it
    back in time; so the missing household, reported on 28 August 2021, meets the count."""
    predicate, application = _unknown_household_pair(Window(span=months(12), anchor=Anchor.FIRST_INCIDENT))
    tally = predicate(Context(application, application.made_on)).tally
    assert tally is not None
    assert (tally.count, tally.possible, tally.shortfall, tally.deadline) == (1, 2, 1, dt.date(2021, 8, 28))
    on_deadline = _fresh(application, dt.date(2021, 8, 28), 1)
    assert _outcome(predicate, on_deadline, dt.date(2021, 8, 28)) is Outcome.MET
    day_after = _fresh(application, dt.date(2021, 8, 29), 1)
    assert _outcome(predicate, day_after, dt.date(2021, 8, 29)) is not Outcome.MET


@given(applications(), _policies())
def test_the_statutory_floor_is_never_defeated(application: Application, policy: Policy) -> None:
    """Whenever three qualifying complaints are made, an enforced decision is met, whatever the policy."""
    decision = evaluate(application, policy, enforce_floor=True)
    plain = statutory_route()(Context(application, application.made_on))
    if plain.met:
        assert decision.met
        assert decision.policy_outcome is Outcome.MET or decision.route is Route.STATUTORY_FLOOR
    unenforced = evaluate(application, policy, enforce_floor=False)
    assert unenforced.outcome is unenforced.policy_outcome
    conflict = NoticeCode.STATUTORY_FLOOR_CONFLICT in {w.code for w in unenforced.warnings}
    assert conflict == (unenforced.floor.met and unenforced.policy_outcome is Outcome.NOT_MET)


@given(applications(), count_leaves(selection=pure_selections()), st.lists(trees(), min_size=1, max_size=2))
def test_a_strict_mandatory_route_or_failed_condition_never_defeats_the_floor(
    application: Application, mandatory: Predicate, conditions: list[Predicate]
) -> None:
    """A policy with its own mandatory count and conditions is still met when the plain s.104(4) count is.

    The plain count is at the policy's own number (s.104(4)'s "at least that number"), or at three
    under the Explanatory Notes' reading, FloorReading.AT_MOST_THREE.
    """
    policy = attrs.evolve(
        one_rule_policy(mandatory, conditions=tuple(conditions)),
        mandatory=rule("own-mandatory", mandatory, label="the policy's own mandatory count"),
    )
    context = Context(application, application.made_on)
    if statutory_route(policy.threshold)(context).met:
        assert evaluate(application, policy).met
    if statutory_route(min(policy.threshold, 3))(context).met:
        assert evaluate(application, policy, floor_reading=FloorReading.AT_MOST_THREE).met


def test_statutory_policy_is_in_the_catalogue() -> None:
    """The order and floor laws above run over the statutory default as one of the catalogue policies."""
    assert STATUTORY in CATALOGUE.values()


def test_the_deadline_of_a_window_ending_with_the_latest_incident_keeps_the_earliest_incident() -> None:
    """A report made on the deadline can keep every counted incident in a window ending with the latest one.

    Found by the deadline law: the deadline was the day the window of the
    latest incident (1 June) closes, 30 November; but a report made then must
    be about behaviour since 31 October (the one-month lag), which moves the
    window past the incident of 1 February.  The last day that works is
    30 August: behaviour on 31 July (the last day of the six months beginning
    with 1 February), reported within its month.
    """
    selection = Selection(window=Window(months(6), anchor=Anchor.LATEST_INCIDENT))
    predicate = count(3, selection=selection)
    application = app(
        D(2025, 6, 10),
        rep("R1", D(2025, 2, 2), D(2025, 2, 1), by="P1"),
        rep("R2", D(2025, 6, 2), D(2025, 6, 1), by="P2"),
    )
    tally = predicate(Context(application, application.made_on)).tally
    assert tally is not None
    assert tally.deadline == D(2025, 8, 30)
    in_time = app(D(2025, 8, 30), *application.reports, rep("R3", D(2025, 8, 30), D(2025, 7, 31), by="P3"))
    assert predicate(Context(in_time, in_time.made_on)).met
    for behaviour in (D(2025, 7, 31), D(2025, 8, 1), D(2025, 8, 31), D(2025, 6, 1)):
        late = app(D(2025, 8, 31), *application.reports, rep("R3", D(2025, 8, 31), behaviour, by="P3"))
        assert not predicate(Context(late, late.made_on)).met


@st.composite
def latest_incident_counts(draw: st.DrawFn) -> tuple[Count, Application]:
    """A count over a window ending with the latest incident, with a lag of at most 31 days or none."""
    short = st.one_of(st.just(months(1)), st.builds(days, st.sampled_from([1, 7, 30, 31])))
    selection = Selection(
        window=Window(
            draw(spans()), anchor=Anchor.LATEST_INCIDENT, arithmetic=draw(st.sampled_from(Arithmetic))
        ),
        lag=draw(st.one_of(st.none(), st.builds(Lag, short, arithmetic=st.sampled_from(Arithmetic)))),
    )
    units = [CountUnit.COMPLAINTS, CountUnit.INCIDENTS, CountUnit.REPORTERS, CountUnit.REPORTS]
    predicate = Count(draw(st.integers(1, 4)), unit=draw(st.sampled_from(units)), selection=selection)
    return predicate, _without_later_reports(draw(applications()))


def _fresh_about(
    application: Application, made_on: dt.date, behaviour: dt.date, how_many: int
) -> Application:
    fresh = [
        Report(
            f"FRESH-R{i}",
            reporter=f"FRESH-P{i}",
            made_on=made_on,
            incident=Incident(f"FRESH-I{i}", matter=application.matter, began_on=behaviour),
        )
        for i in range(how_many)
    ]
    return attrs.evolve(application, reports=(*application.reports, *fresh))


@given(latest_incident_counts())
@example(
    (
        count(3, selection=Selection(window=Window(months(6), anchor=Anchor.LATEST_INCIDENT))),
        app(
            D(2025, 6, 10),
            rep("R1", D(2025, 2, 2), D(2025, 2, 1), by="P1"),
            rep("R2", D(2025, 6, 2), D(2025, 6, 1), by="P2"),
        ),
    )
)
def test_the_deadline_law_for_a_window_ending_with_the_latest_incident(
    case: tuple[Count, Application],
) -> None:
    """Under LATEST_INCIDENT, reports made on the deadline can meet the count; made a day later they cannot.

    The behaviour days tried are every day in the 31 days before the report
    (the longest lag generated), every day of behaviour already reported, and
    the last day of the window's span beginning with each of them (the
    latest day the window may move to and still keep that day).
    """
    predicate, application = case
    result = predicate(Context(application, application.made_on))
    tally = result.tally
    assert tally is not None
    if result.met or tally.deadline is None:
        return
    window = predicate.selection.window
    behaviour = {min(r.incident.ended_on or r.incident.began_on, r.made_on) for r in application.reports}
    moved = {reference_period_last_day(day, window.span, window.arithmetic) for day in behaviour}

    def meets(made_on: dt.date) -> bool:
        tried = {made_on - dt.timedelta(days=k) for k in range(32)} | behaviour | moved
        return any(
            predicate(Context(_fresh_about(application, made_on, day, tally.shortfall), made_on)).met
            for day in sorted(tried)
            if day <= made_on
        )

    if tally.deadline >= application.made_on:
        assert meets(tally.deadline)
    assert not meets(tally.deadline + _ONE_DAY)


@given(count_leaves(selection=pure_selections()), applications())
def test_with_no_deadline_the_missing_reports_made_today_meet_the_count(
    predicate: Predicate, application: Application
) -> None:
    """When nothing is counted (no deadline), the missing fresh reports made on the application date meet it.

    Stated for windows from each report or back from the application with
    every report held to the lag, the selections where "N more within the
    time limits would meet it" is true; for fresh reports the filters on
    hate and agencies must let them in, so those are matched here.
    """
    assert isinstance(predicate, Count)
    application = _without_later_reports(application)
    result = predicate(Context(application, application.made_on))
    tally = result.tally
    assert tally is not None
    selection = predicate.selection
    if result.met or tally.deadline is not None or predicate.unit is CountUnit.INCIDENT_DATES:
        return
    if selection.who is Who.VICTIM and predicate.unit in (CountUnit.REPORTERS, CountUnit.HOUSEHOLDS):
        return
    fresh = [
        Report(
            f"FRESH-R{i}",
            reporter=application.victim if selection.who is Who.VICTIM else f"FRESH-P{i}",
            household=f"FRESH-H{i}",
            made_on=application.made_on,
            incident=Incident(
                f"FRESH-I{i}", matter=application.matter, began_on=application.made_on, hate=True
            ),
            agency=Agency.COUNCIL,
        )
        for i in range(tally.shortfall)
    ]
    more = attrs.evolve(application, reports=(*application.reports, *fresh))
    assert _outcome(predicate, more, application.made_on) is Outcome.MET


def test_an_old_first_report_does_not_fix_the_window_so_three_new_reports_meet_it() -> None:
    """ "The first" is the first of the reports counted: three new reports are a run of their own."""
    selection = Selection(window=Window(months(6), anchor=Anchor.FIRST_REPORT), lag=None)
    predicate = count(3, selection=selection)
    application = app(D(2025, 6, 10), rep("R1", D(2020, 1, 2)))
    result = predicate(Context(application, application.made_on))
    assert result.tally is not None
    assert (result.tally.count, result.tally.deadline, result.tally.combinable) == (0, None, True)
    fresh = _fresh(application, application.made_on, 3)
    assert _outcome(predicate, fresh, application.made_on) is Outcome.MET


def test_a_closed_run_says_no_new_report_can_combine_with_it() -> None:
    """Two reports in a run whose window has closed: the near miss never says "1 more would meet it"."""
    selection = Selection(window=Window(months(2), anchor=Anchor.FIRST_REPORT), lag=None)
    predicate = count(3, selection=selection)
    application = app(D(2025, 5, 1), rep("R1", D(2025, 1, 1)), rep("R2", D(2025, 2, 1)))
    result = predicate(Context(application, application.made_on))
    assert result.tally is not None
    assert (result.tally.count, result.tally.deadline, result.tally.combinable) == (2, None, False)
    assert _outcome(predicate, _fresh(application, application.made_on, 1), application.made_on) is not (
        Outcome.MET
    )
    policy = one_rule_policy(predicate)
    (shortfall,) = [s for s in evaluate(application, policy).shortfalls() if s.rule != "s104-4"]
    words = shortfall.describe()
    assert "no new report can combine with them: 3 new ones would meet it" in words
    assert "1 more" not in words


# Two reports in a run of two months that has closed but is still in time, beside a later run of one.
REJOIN = count(
    3,
    selection=Selection(
        window=Window(months(2), anchor=Anchor.FIRST_REPORT, application_within=months(12)), lag=None
    ),
)
REJOIN_APPLICATION = app(
    D(2025, 9, 15),
    rep("R1", D(2025, 1, 1), by="P2"),
    rep("R2", D(2025, 2, 1), by="P3"),
    rep("R3", D(2025, 9, 1)),
)


def test_a_closed_run_beside_an_open_one_asks_for_what_completes_the_open_one() -> None:
    """Two counted in a closed run, one in a run still open: the near miss asks for two, not three.

    Completing the open run needs two new reports, made by its last day; a whole new run
    needs three.  The officer's text and JSON, the applicant's JSON and the letter say two.
    """
    result = REJOIN(Context(REJOIN_APPLICATION, REJOIN_APPLICATION.made_on))
    tally = result.tally
    assert tally is not None
    assert (tally.count, tally.combinable, tally.rejoin, tally.new_needed) == (
        2,
        False,
        (1, D(2025, 10, 31)),
        2,
    )
    made_on = REJOIN_APPLICATION.made_on
    assert _outcome(REJOIN, _fresh_for(REJOIN, REJOIN_APPLICATION, D(2025, 10, 31), 2), D(2025, 10, 31)) is (
        Outcome.MET
    )
    assert _outcome(
        REJOIN, _fresh_for(REJOIN, REJOIN_APPLICATION, D(2025, 11, 1), 2), D(2025, 11, 1)
    ) is not (Outcome.MET)
    assert _outcome(REJOIN, _fresh_for(REJOIN, REJOIN_APPLICATION, made_on, 1), made_on) is not Outcome.MET
    decision = evaluate(REJOIN_APPLICATION, one_rule_policy(REJOIN))
    (shortfall,) = [s for s in decision.shortfalls() if s.rule == "one"]
    assert shortfall.describe().endswith(
        "2 more made by 2025-10-31 would meet it with the 1 complaint of a later run still open"
    )
    assert [s["more_needed"] for s in to_dict(decision)["shortfalls"] if s["rule"] == "one"] == [2]
    near = to_applicant_dict(decision)["near_misses"]
    assert [n["more_needed"] for n in near if n["rule"] == "the rule under test"] == [2]
    letter = for_applicant(decision)
    # The statute's route also needs two new reports (one of the three is inside its six months):
    # a tie, which the policy's order gives to the mandatory route (render.closeness).
    (statute,) = [s for s in decision.shortfalls() if s.rule != "one"]
    assert statute.tally.new_needed == 2
    assert "the rule under test" not in letter
    assert "after two more qualifying complaints, would meet it" in letter
    assert "three more" not in letter


def test_an_open_run_with_no_certain_unit_leaves_every_unit_to_be_made_afresh() -> None:
    """Beside a closed run, an open run whose one report has no household adds no unit: three anew."""
    households = count(3, unit=CountUnit.HOUSEHOLDS, selection=REJOIN.selection)
    application = app(
        D(2025, 9, 15),
        rep("R1", D(2025, 1, 1), by="P2", household="H2"),
        rep("R2", D(2025, 2, 1), by="P3", household="H3"),
        rep("R3", D(2025, 9, 1), household=None),
    )
    tally = households(Context(application, application.made_on)).tally
    assert tally is not None
    assert (tally.count, tally.combinable, tally.rejoin, tally.new_needed) == (2, False, None, 3)


def _fresh_for(predicate: Count, application: Application, made_on: dt.date, how_many: int) -> Application:
    """*application* made on *made_on*, after *how_many* fresh reports that pass *predicate*'s value tests."""
    selection = predicate.selection
    agency = min(selection.agencies) if selection.agencies else Agency.COUNCIL
    fresh = [
        Report(
            f"FRESH-R{i}",
            reporter=application.victim if selection.who is Who.VICTIM else f"FRESH-P{i}",
            household=f"FRESH-H{i}",
            made_on=made_on,
            incident=Incident(f"FRESH-I{i}", matter=application.matter, began_on=made_on, hate=True),
            agency=agency,
        )
        for i in range(how_many)
    ]
    return attrs.evolve(application, made_on=made_on, reports=(*application.reports, *fresh))


# A first report made late under a lag that binds only the first report bars every later one.
LATE_FIRST = count(3, selection=Selection(who=Who.VICTIM, lag=Lag(months(1), applies_to=LagScope.FIRST)))
# "Within six months of the first report" tying the application to it (East Hampshire, Kirklees).
TIED = count(3, selection=Selection(window=Window(months(6), anchor=Anchor.FIRST_REPORT_AND_APPLICATION)))
# A run within two months of its first report that has closed, beside a later run still open.
RUNS = count(3, selection=Selection(window=Window(months(2), anchor=Anchor.FIRST_REPORT), lag=None))


@given(count_leaves(), applications())
@example(LATE_FIRST, app(D(2025, 6, 1), rep("R1", D(2025, 3, 1), behaviour=D(2025, 1, 1))))
@example(TIED, app(D(2025, 8, 1), rep("R1", D(2025, 1, 1)), rep("R2", D(2025, 5, 1))))
@example(
    RUNS, app(D(2025, 8, 1), rep("R1", D(2025, 1, 1)), rep("R2", D(2025, 2, 1)), rep("R3", D(2025, 7, 1)))
)
@example(REJOIN, REJOIN_APPLICATION)
def test_what_a_new_application_would_need_is_true_of_every_window_and_lag(
    predicate: Predicate, application: Application
) -> None:
    """Tally.new_needed, which the letter states, is true under every anchor and lag scope.

    When the near miss gives no date, that many fresh reports made the next day meet the count
    in an application made that day; when it is None ("no new application can meet this rule"),
    as many fresh reports as the count asks for do not.
    """
    assert isinstance(predicate, Count)
    application = _without_later_reports(application)
    result = predicate(Context(application, application.made_on))
    tally = result.tally
    assert tally is not None
    if result.met or tally.deadline is not None or predicate.unit is CountUnit.INCIDENT_DATES:
        return
    if predicate.selection.who is Who.VICTIM and predicate.unit in (
        CountUnit.REPORTERS,
        CountUnit.HOUSEHOLDS,
    ):
        return
    later = application.made_on + _ONE_DAY
    if tally.rejoin is not None:
        # "If they are made while that period lasts": by the last day of the run they complete.
        later = tally.rejoin[1]
    needed = tally.new_needed
    if needed is None:
        assert tally.closed is not None
        anew = _fresh_for(predicate, application, later, predicate.at_least)
        assert _outcome(predicate, anew, later) is not Outcome.MET
    else:
        assert _outcome(predicate, _fresh_for(predicate, application, later, needed), later) is Outcome.MET


@given(applications(), london_instants())
@example(
    app(D(2025, 10, 26), rep("R1", D(2025, 10, 1))),
    dt.datetime(2025, 10, 25, 23, 30, tzinfo=dt.UTC),
)
def test_a_decision_for_an_aware_timestamp_is_the_decision_for_its_london_day(
    application: Application, instant: dt.datetime
) -> None:
    """evaluate(as_of=timestamp) decides for the timestamp's Europe/London calendar day."""
    day = instant.astimezone(LONDON).date()
    by_instant = evaluate(application, STATUTORY, as_of=instant)
    by_day = evaluate(application, STATUTORY, as_of=day)
    assert by_instant.as_of == day
    assert (by_instant.outcome, by_instant.met_until, by_instant.fates) == (
        by_day.outcome,
        by_day.met_until,
        by_day.fates,
    )


@pytest.mark.parametrize(
    ("as_of", "error"),
    [
        (dt.datetime(2026, 1, 5, 23, 30), NaiveDatetime),
        ("2026-01-05", InvalidInput),
    ],
    ids=["naive-datetime", "string"],
)
def test_evaluate_refuses_an_as_of_that_is_not_a_london_day(as_of: object, error: type[Exception]) -> None:
    """A naive datetime or a string as as_of raises an error naming as_of, not a TypeError."""
    application = app(D(2025, 10, 26), rep("R1", D(2025, 10, 1)))
    with pytest.raises(error) as caught:
        evaluate(application, STATUTORY, as_of=as_of)  # type: ignore[arg-type]
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.field == "as_of"
