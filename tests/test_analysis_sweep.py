"""The pure-Python sweep answers exactly what evaluate answers, report by report and day by day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asb_case_review import CATALOGUE, Outcome, Policy, evaluate, recency, rule
from asb_case_review.analysis.sweep import sweep
from asb_case_review.analysis.table import ReportTable, reports_from_records

from .analysis_strategies import VARIANTS, days, tables

ALL = {**CATALOGUE, **VARIANTS}
POLICIES = sorted(ALL)


def expected(table: ReportTable, policy: Policy, i: int, *, enforce_floor: bool = True) -> tuple[object, ...]:
    application = table.application(table.reporter[i], table.matter[i], table.made_on[i])
    d = evaluate(application, policy, enforce_floor=enforce_floor)
    return (d.outcome, d.policy_outcome, d.route, d.matched, d.met_until)


@pytest.mark.parametrize("name", POLICIES)
@pytest.mark.parametrize("enforce_floor", [True, False], ids=["floor-enforced", "as-written"])
@settings(max_examples=25, deadline=None)
@given(table=tables())
def test_sweep_equals_evaluate_for_every_report(name: str, enforce_floor: bool, table: ReportTable) -> None:
    """Every report's answer (outcome, route, rules matched, met-until) is evaluate's."""
    policy = ALL[name]
    result = sweep(table, policy, enforce_floor=enforce_floor)
    assert result.engine == "python"
    for i, e in enumerate(result):
        assert (e.outcome, e.policy_outcome, e.route, e.matched, e.met_until) == expected(
            table, policy, i, enforce_floor=enforce_floor
        )


@pytest.mark.parametrize("name", POLICIES)
@settings(max_examples=25, deadline=None)
@given(table=tables(10), probes=st.lists(days(), min_size=1, max_size=6))
def test_standings_equal_evaluate_on_any_day(name: str, table: ReportTable, probes: list[dt.date]) -> None:
    """A reporter's met periods contain exactly the days on which evaluate says met."""
    policy = ALL[name]
    for standing in sweep(table, policy).standings:
        for day in probes:
            if day < standing.first_reported:
                continue
            application = table.application(standing.reporter, standing.matter, day)
            inside = any(day in p for p in standing.met)
            assert inside == evaluate(application, policy).met, (standing, day)


FALLBACK = Policy(
    "recent-three",
    title="Three qualifying complaints, the latest within a month",
    version="test",
    effective_from=dt.date(2014, 10, 20),
    conditions=(rule("recent", recency(), label="the last report was within one month"),),
)


@settings(max_examples=10, deadline=None)
@given(table=tables(8))
def test_policies_outside_the_vocabulary_are_evaluated_report_by_report(table: ReportTable) -> None:
    """A policy with a local condition is swept by evaluate itself, floor conflicts included."""
    result = sweep(table, FALLBACK)
    assert result.engine == "evaluate"
    for i, e in enumerate(result):
        assert (e.outcome, e.policy_outcome, e.route, e.matched, e.met_until) == expected(table, FALLBACK, i)


def test_victim_mandatory_policy_meets_by_the_floor_when_others_complained() -> None:
    """Three complaints by three people meet the statutory floor, not a victim-only mandatory rule."""
    rows = [
        {"id": f"R{n}", "reporter": f"P{n}", "matter": "M", "began_on": "2025-01-0" + str(n),
         "made_on": "2025-01-0" + str(n)}
        for n in (1, 2, 3)
    ]  # fmt: skip
    last = sweep(reports_from_records(rows), VARIANTS["victim-three"])[2]
    assert (last.outcome, last.policy_outcome, last.matched) == (
        Outcome.MET,
        Outcome.NOT_MET,
        ("statutory-floor",),
    )
    assert last.floor_conflict


def test_records_and_dataframe_carry_the_same_answers() -> None:
    """Plain records, standings and the DataFrame agree with the sweep's own columns."""
    pd = pytest.importorskip("pandas")
    rows = [
        {"id": f"R{n}", "reporter": "P1", "matter": "M", "incident": f"I{n}", "began_on": f"2025-0{n}-01",
         "made_on": f"2025-0{n}-03"}
        for n in (1, 2, 3)
    ]  # fmt: skip
    result = sweep(reports_from_records(rows), CATALOGUE["statutory"])
    records = list(result.records())
    assert [r["outcome"] for r in records] == ["not_met", "not_met", "met"]
    assert records[2]["matched"] == "s104-4"
    assert records[2]["met_until"] == "2025-07-02"
    frame = result.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert frame["outcome"].tolist() == [r["outcome"] for r in records]
    (standing,) = result.standing_records()
    assert (standing["first_met"], standing["stopped"]) == ("2025-03-03", "2025-07-03")
