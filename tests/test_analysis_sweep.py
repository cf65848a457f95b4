"""The pure-Python sweep answers exactly what evaluate answers, report by report and day by day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asb_case_review import (
    CATALOGUE,
    Anchor,
    CountUnit,
    Fact,
    Outcome,
    Policy,
    Selection,
    Who,
    Window,
    count,
    evaluate,
    last_months,
    months,
    rule,
    statutory_route,
)
from asb_case_review.analysis.plan import PYTHON, Unsupported, compile_policy
from asb_case_review.analysis.sweep import EngineChoice, numpy_installed, sweep
from asb_case_review.analysis.table import ReportTable, reports_from_records

from .strategies import VARIANTS, table_days, tables

ALL = {**CATALOGUE, **VARIANTS}
POLICIES = sorted(ALL)


FACTS = st.dictionaries(st.sampled_from(list(Fact)), st.booleans(), max_size=3)


def expected(
    table: ReportTable,
    policy: Policy,
    i: int,
    *,
    enforce_floor: bool = True,
    facts: dict[Fact, bool] | None = None,
) -> tuple[object, ...]:
    application = table.application(table.reporter[i], table.matter[i], table.made_on[i], facts=facts)
    d = evaluate(application, policy, enforce_floor=enforce_floor)
    return (d.outcome, d.policy_outcome, d.route, d.matched, d.met_until)


def _engine_for(policy: Policy, engine: EngineChoice) -> str:
    """The engine a sweep with *engine* runs for *policy*: numpy where it computes the policy.

    The numpy engine computes some settings the pure-Python one refuses (a window fixed by the
    first report, say), so it is asked first; the pure-Python engine next; evaluate last.
    """
    if engine != "python" and numpy_installed():
        from asb_case_review.analysis.columnar import NUMPY  # noqa: PLC0415 (numpy, the optional extra)

        try:
            compile_policy(policy, NUMPY)
        except Unsupported:
            pass
        else:
            return "numpy"
    try:
        compile_policy(policy, PYTHON)
    except Unsupported:
        return "evaluate"
    return "python"


@given(table=tables(), facts=FACTS, name=st.sampled_from(POLICIES))
def test_sweep_equals_evaluate_for_every_report(
    table: ReportTable, facts: dict[Fact, bool], name: str
) -> None:
    """Any catalogue policy, floor enforced or not, either engine: each report's answer is evaluate's."""
    policy = ALL[name]
    for enforce_floor in (True, False):
        engines: tuple[EngineChoice, ...] = ("python", "auto")
        results = {
            engine: sweep(table, policy, enforce_floor=enforce_floor, facts=facts, engine=engine)
            for engine in engines
        }
        for engine, result in results.items():
            assert result.engine == _engine_for(policy, engine)
        for i in range(len(table)):
            want = expected(table, policy, i, enforce_floor=enforce_floor, facts=facts)
            for engine, result in results.items():
                e = result[i]
                got = (e.outcome, e.policy_outcome, e.route, e.matched, e.met_until)
                assert got == want, (name, engine, i)


@pytest.mark.parametrize("engine", ["python", "auto"])
@given(
    table=tables(10),
    probes=st.lists(table_days(), min_size=1, max_size=4),
    facts=FACTS,
    name=st.sampled_from(POLICIES),
)
def test_standings_equal_evaluate_on_any_day(
    table: ReportTable, probes: list[dt.date], facts: dict[Fact, bool], name: str, engine: EngineChoice
) -> None:
    """A reporter's met periods contain exactly the days on which evaluate says met, for either engine."""
    policy = ALL[name]
    for standing in sweep(table, policy, facts=facts, engine=engine).standings:
        for day in probes:
            if day < standing.first_reported:
                continue
            application = table.application(standing.reporter, standing.matter, day, facts=facts)
            inside = any(day in p for p in standing.met)
            assert inside == evaluate(application, policy).met, (name, standing, day)


FALLBACK = Policy(
    "first-report-window",
    title="Three reports within six months of the first report",
    version="test",
    effective_from=dt.date(2014, 10, 20),
    local=(
        rule(
            "from-first",
            count(3, selection=Selection(window=Window(months(6), anchor=Anchor.FIRST_REPORT))),
            label="three reports within six months beginning with the first",
        ),
    ),
)


@given(table=tables(8))
def test_policies_outside_the_vocabulary_are_evaluated_report_by_report(table: ReportTable) -> None:
    """A window anchored on the first report is swept by evaluate itself, with the same answers."""
    result = sweep(table, FALLBACK)
    assert result.engine == "evaluate"
    for i, e in enumerate(result):
        assert (e.outcome, e.policy_outcome, e.route, e.matched, e.met_until) == expected(table, FALLBACK, i)


SEPARATE_DATES = Policy(
    "separate-dates",
    title="Three incidents on separate dates",
    version="test",
    effective_from=dt.date(2014, 10, 20),
    # Four complaints as the mandatory route, so that the local rule on dates is what decides here.
    mandatory=statutory_route(4),
    local=(
        rule(
            "dates",
            count(3, unit=CountUnit.INCIDENT_DATES, selection=last_months(6, who=Who.VICTIM)),
            label="three incidents on separate dates",
        ),
    ),
)


def test_separate_dates_count_a_continuing_incident_once() -> None:
    """One incident reported on two of its days is one date, as in evaluate; the sweep takes that path."""
    rows = [
        {"id": "R1", "reporter": "P1", "matter": "M", "incident": "I1", "began_on": "2025-01-01",
         "ended_on": "2025-01-20", "made_on": "2025-01-05"},
        {"id": "R2", "reporter": "P1", "matter": "M", "incident": "I1", "began_on": "2025-01-01",
         "ended_on": "2025-01-20", "made_on": "2025-01-10"},
        {"id": "R3", "reporter": "P1", "matter": "M", "incident": "I2", "began_on": "2025-01-12",
         "made_on": "2025-01-12"},
    ]  # fmt: skip
    table = reports_from_records(rows)
    result = sweep(table, SEPARATE_DATES)
    assert result.engine == "evaluate"
    assert result[2].policy_outcome is Outcome.NOT_MET
    assert result[2].policy_outcome == expected(table, SEPARATE_DATES, 2)[1]


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


def test_an_undetermined_local_answer_is_no_floor_conflict() -> None:
    """Guildford with no facts supplied: the floor decides, but no conflict is counted."""
    # The victim's own three complaints to the council: Guildford's wording counts them, and its
    # "the problem persists" and pending-response facts are left unknown.
    rows = [
        {
            "id": f"R{n}",
            "reporter": "P1",
            "agency": "council",
            "matter": "M",
            "began_on": f"2025-01-0{n}",
            "made_on": f"2025-01-0{n}",
        }
        for n in (1, 2, 3)
    ]
    last = sweep(reports_from_records(rows), CATALOGUE["guildford"])[2]
    assert (last.outcome, last.policy_outcome) == (Outcome.MET, Outcome.UNKNOWN)
    assert not last.floor_conflict
    with_fact = sweep(
        reports_from_records(rows), CATALOGUE["guildford"], facts={"promised_response_pending": True}
    )
    assert with_fact[2].floor_conflict


EVERY_ROW_KIND = reports_from_records(
    [
        {"id": "R1", "reporter": "P1", "matter": "M", "incident": "I1", "began_on": "2025-01-31",
         "ended_on": "2025-02-20", "made_on": "2025-02-28", "hate": True, "agency": "police"},
        {"id": "R2", "reporter": "P2", "matter": "M", "incident": "I1", "began_on": "2025-01-31",
         "ended_on": "2025-02-20", "made_on": "2025-03-01", "hate": True, "agency": "council"},
        {"id": "R3", "reporter": "P1", "matter": "M", "incident": "I2", "began_on": "2025-03-30",
         "made_on": "2025-03-31", "kind": "diary_sheet", "agency": "landlord"},
        {"id": "R4", "reporter": "P3", "matter": "M", "incident": "I3", "began_on": "2025-04-01",
         "made_on": "2025-04-02", "household": "H1"},
        {"id": "R5", "reporter": "P1", "matter": "M", "incident": "I4", "began_on": "2025-06-30",
         "made_on": "2025-07-01", "agency": "health"},
        {"id": "R6", "reporter": "P4", "matter": "M", "incident": "I5", "began_on": "2025-08-31",
         "made_on": "2025-09-01"},
    ]
)  # fmt: skip


@pytest.mark.parametrize("name", POLICIES)
def test_every_catalogue_policy_sweeps_as_evaluate_decides(name: str) -> None:
    """Each catalogue policy, on one table of every kind of row: the sweep's answers are evaluate's."""
    policy = ALL[name]
    result = sweep(EVERY_ROW_KIND, policy)
    for i, e in enumerate(result):
        got = (e.outcome, e.policy_outcome, e.route, e.matched, e.met_until)
        assert got == expected(EVERY_ROW_KIND, policy, i, enforce_floor=True, facts={}), (name, i)


@pytest.mark.parametrize("engine", ["python", "auto"])
def test_a_table_of_no_rows_sweeps_to_no_answers(engine: EngineChoice) -> None:
    """Every row skipped as bad input leaves an empty table: an empty sweep, not an internal error."""
    result = sweep(reports_from_records([]), ALL["merseyside"], engine=engine)
    assert len(result) == 0
    assert result.standings == ()
