"""Hypothesis strategies for report tables: small, dense in month ends and leap days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from asb_case_review import (
    Arithmetic,
    BehaviourDay,
    CountUnit,
    DateOf,
    Lag,
    Policy,
    Selection,
    Who,
    Window,
    count,
    last_months,
    months,
    rule,
    statutory_route,
)
from asb_case_review import (
    days as span_days,
)
from asb_case_review.analysis.table import ReportTable, reports_from_records

START = dt.date(2023, 12, 20)
# Days near month ends and the 2024 leap day are where calendar-month arithmetic goes wrong.
HOT = [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 31), dt.date(2024, 8, 31),
       dt.date(2024, 7, 30), dt.date(2024, 8, 29), dt.date(2024, 9, 1)]  # fmt: skip


def days() -> st.SearchStrategy[dt.date]:
    offsets = st.integers(0, 300).map(lambda n: START + dt.timedelta(days=n))
    return st.one_of(offsets, st.sampled_from(HOT))


@st.composite
def report_rows(draw: st.DrawFn, max_reports: int = 14) -> list[dict[str, Any]]:
    count = draw(st.integers(1, max_reports))
    incidents: dict[str, dict[str, Any]] = {}
    rows = []
    for n in range(count):
        made = draw(days())
        incident = draw(st.sampled_from([f"I{n}", "I-a", "I-b"]))
        matter = draw(st.sampled_from(["M1", "M1", "M2"]))
        known = incidents.get(incident)
        if known is None or known["began_on"] > made:
            lag = draw(st.sampled_from([0, 1, 3, 20, 29, 30, 31, 40, 70]))
            began = made - dt.timedelta(days=lag)
            length = draw(st.one_of(st.none(), st.integers(0, 60)))
            ended = None if length is None else began + dt.timedelta(days=length)
            known = {"matter": matter, "began_on": began, "ended_on": ended, "hate": draw(st.booleans())}
            if incident in incidents:
                incident = f"I{n}"
            incidents[incident] = known
        rows.append(
            {
                "id": f"R{n}",
                "reporter": draw(st.sampled_from(["P1", "P2", "P3", "P4", "P5", "P6"])),
                "incident": incident,
                "made_on": made,
                "agency": draw(st.sampled_from(["council", "police", "landlord"])),
                "kind": draw(st.sampled_from(["complaint", "complaint", "diary_sheet"])),
                **known,
            }
        )
    return rows


def tables(max_reports: int = 14) -> st.SearchStrategy[ReportTable]:
    return report_rows(max_reports).map(reports_from_records)


def _variants() -> dict[str, Policy]:
    victim_mandatory = Policy(
        "victim-three",
        title="Three of your own reports as the mandatory rule (stricter than the statute)",
        version="test",
        effective_from=dt.date(2014, 10, 20),
        mandatory=rule(
            "own-three",
            count(3, unit=CountUnit.INCIDENTS, selection=last_months(6, who=Who.VICTIM, lag=span_days(7))),
            label="three incidents reported by you within 7 days",
        ),
        local=(
            rule(
                "council-only",
                count(
                    4,
                    unit=CountUnit.REPORTS,
                    selection=Selection(
                        agencies=["council"],
                        exclude_kinds=["diary_sheet"],
                        window=Window(months(6), arithmetic=Arithmetic.INCLUSIVE),
                        lag=Lag(span_days(30), arithmetic=Arithmetic.INCLUSIVE),
                        behaviour_day=BehaviourDay.FIRST_DAY,
                    ),
                ),
                label="four reports to the council in six months, inclusive arithmetic",
            ),
        ),
    )
    two = Policy(
        "two",
        title="Two qualifying complaints",
        version="test",
        effective_from=dt.date(2014, 10, 20),
        mandatory=statutory_route(2),
        local=(
            rule(
                "incidents-by-behaviour-day",
                count(
                    2,
                    unit=CountUnit.INCIDENTS,
                    selection=Selection(window=Window(months(2), date_of=DateOf.INCIDENT)),
                ),
                label="two incidents whose behaviour falls in the last two months",
            ),
            rule(
                "hate-reporters",
                count(1, unit=CountUnit.REPORTERS, selection=last_months(3, hate_only=True)),
                label="one hate incident in three months",
            ),
        ),
    )
    return {p.id: p for p in (victim_mandatory, two)}


VARIANTS = _variants()
"""Policies beyond the catalogue that exercise every rule setting the sweeps compute directly."""
