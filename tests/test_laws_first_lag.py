"""A lag binding only the first report counted, read from the words directly, against evaluate.

Every engine applies ``law.reports.held_days`` (evaluate through ``qualifying.select``, both
sweeps along their columns), so the engines agreeing with each other (tests/test_law.py) cannot
show a mistake they share.  Here the reading of docs/policies.md is written out plainly, one
application date at a time, with none of the library's helpers but ``period_last_day``: in the
window placed on the application date, the reports (in the order made, then by id) before the
first one made in time do not count, and every later one does; a run, or a period tied to the
application, begins only at a report made in time.  The decision and its ``met_until`` (the last
day an application with the same reports stays met) must be that reading's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import example, given
from hypothesis import strategies as st

from asb_case_review import (
    Agency,
    Anchor,
    Application,
    CountUnit,
    DateOf,
    Incident,
    Lag,
    LagScope,
    Policy,
    Report,
    Selection,
    Span,
    Window,
    count,
    days,
    evaluate,
    months,
    rule,
)
from asb_case_review.dates import period_last_day

from .strategies import applications

ANCHORS = (Anchor.EACH_REPORT, Anchor.APPLICATION, Anchor.FIRST_REPORT, Anchor.FIRST_REPORT_AND_APPLICATION)
# Far enough past every generated date that a decision still met there is met for good.
HORIZON = dt.date(2036, 1, 1)

# R1, made in time on 1 January, is the first report counted; R2, made late on 1 February, counts
# after it, but only while R1 is in the window: on 1 July R2 would be the first counted, and late.
# So one report stays met until 30 June, not until R2's own last day (31 July).
LATE_AFTER_IN_TIME = Application(
    "A",
    applicant="P1",
    made_on=dt.date(2025, 2, 1),
    matter="M",
    reports=(
        Report(
            "R1",
            reporter="P1",
            made_on=dt.date(2025, 1, 1),
            incident=Incident("I1", matter="M", began_on=dt.date(2025, 1, 1)),
            agency=Agency.COUNCIL,
        ),
        Report(
            "R2",
            reporter="P2",
            made_on=dt.date(2025, 2, 1),
            incident=Incident("I2", matter="M", began_on=dt.date(2024, 12, 1)),
            agency=Agency.POLICE,
        ),
    ),
)


def _behaviour(report: Report) -> dt.date:
    """The default day of behaviour: the latest day of the incident on or before the report."""
    incident = report.incident
    return incident.began_on if incident.ended_on is None else min(incident.ended_on, report.made_on)


def _in_time(report: Report, lag: Lag) -> bool:
    return report.made_on <= period_last_day(_behaviour(report), lag.span, lag.arithmetic)


def _from_first_in_time(reports: Sequence[Report], lag: Lag) -> list[Report]:
    """*reports* (in the law's order) from the first one made in time on; none if none was."""
    for i, report in enumerate(reports):
        if _in_time(report, lag):
            return list(reports[i:])
    return []


def _met(application: Application, at_least: int, window: Window, lag: Lag, day: dt.date) -> bool:
    """Whether *at_least* reports count on *day*, for an application with the reports made by its date."""
    reports = sorted(
        (
            r
            for r in application.reports
            if r.made_on <= min(day, application.made_on) and r.incident.matter == application.matter
        ),
        # A day's reports made in time are read before its late ones, whatever their ids.
        key=lambda r: (r.made_on, not _in_time(r, lag), r.id),
    )
    span = window.span
    match window.anchor:
        case Anchor.EACH_REPORT | Anchor.APPLICATION:
            by_report = window.date_of is DateOf.REPORT
            inside = [
                r for r in reports if period_last_day(r.made_on if by_report else _behaviour(r), span) >= day
            ]
            return len(_from_first_in_time(inside, lag)) >= at_least
        case Anchor.FIRST_REPORT_AND_APPLICATION:
            counted = _from_first_in_time(reports, lag)
            return (
                bool(counted)
                and day <= period_last_day(counted[0].made_on, span)
                and len(counted) >= at_least
            )
        case Anchor.FIRST_REPORT:
            for first in reports:
                if not _in_time(first, lag):
                    continue
                end = period_last_day(first.made_on, span)
                run = _from_first_in_time([r for r in reports if first.made_on <= r.made_on <= end], lag)
                if len(run) >= at_least and day <= period_last_day(run[-1].made_on, months(6)):
                    return True
            return False
        case _:  # pragma: no cover - only the anchors drawn above
            raise AssertionError(window.anchor)


@given(
    application=applications(max_reports=7),
    at_least=st.integers(1, 3),
    anchor=st.sampled_from(ANCHORS),
    date_of=st.sampled_from(DateOf),
    span=st.sampled_from([months(1), months(6), days(30)]),
    lag_span=st.sampled_from([days(1), days(7), months(1)]),
)
@example(
    application=LATE_AFTER_IN_TIME,
    at_least=1,
    anchor=Anchor.EACH_REPORT,
    date_of=DateOf.REPORT,
    span=months(6),
    lag_span=months(1),
)
def test_a_first_only_lag_decides_as_its_words_read(
    application: Application, *, at_least: int, anchor: Anchor, date_of: DateOf, span: Span, lag_span: Span
) -> None:
    """evaluate's outcome and met_until under a first-only lag are the plain reading's, for each anchor."""
    if anchor not in (Anchor.EACH_REPORT, Anchor.APPLICATION):
        date_of = DateOf.REPORT  # the runs and the tied period are placed by the days reports were made
    lag = Lag(lag_span, applies_to=LagScope.FIRST)
    window = Window(span, anchor=anchor, date_of=date_of)
    selection = Selection(window=window, lag=lag)
    policy = Policy(
        "first-lag",
        title="a first-only lag",
        version="1",
        effective_from=dt.date(2014, 10, 20),
        mandatory=rule("m", count(at_least, unit=CountUnit.REPORTS, selection=selection), label="m"),
    )
    decision = evaluate(application, policy, enforce_floor=False)
    met = _met(application, at_least, window, lag, application.made_on)
    assert decision.met is met
    if not met:
        return
    day = application.made_on
    while day < HORIZON and _met(application, at_least, window, lag, day + dt.timedelta(days=1)):
        day += dt.timedelta(days=1)
    assert decision.met_until == (None if day >= HORIZON else day)
