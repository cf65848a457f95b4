"""The numpy sweep answers exactly what evaluate answers, for every policy it accepts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asb_case_review import CATALOGUE, DateOf, Fact, evaluate
from asb_case_review.analysis import columnar
from asb_case_review.analysis.columnar import NUMPY, Columns, sweep_columns
from asb_case_review.analysis.plan import Unsupported, compile_policy
from asb_case_review.analysis.sweep import sweep
from asb_case_review.analysis.table import ReportTable

from .strategies import VARIANTS, tables
from .test_analysis_sweep import FACTS, FALLBACK

pytest.importorskip("numpy")

ALL = {**CATALOGUE, **VARIANTS}


def _accepted(name: str) -> bool:
    try:
        compile_policy(ALL[name])
    except Unsupported:
        return False
    return True


# The policies the numpy engine accepts; the others (a window anchored on the first incident, say)
# fall back to evaluate, which test_analysis_sweep checks.
COLUMNAR = sorted(filter(_accepted, ALL))


def test_the_catalogue_uses_windows_on_either_date() -> None:
    """The property test below meets windows on the day made and on the day of the behaviour."""
    dates = {c.selection.window.date_of for name in COLUMNAR for c in compile_policy(ALL[name]).counts}
    assert dates == {DateOf.REPORT, DateOf.INCIDENT}


@given(table=tables(16), facts=FACTS, name=st.sampled_from(COLUMNAR))
def test_columnar_equals_evaluate(table: ReportTable, facts: dict[Fact, bool], name: str) -> None:
    """Outcome, policy outcome, route and rules matched equal evaluate's for every report."""
    columns = Columns.from_table(table)
    policy = ALL[name]
    for enforce_floor in (True, False):
        result = sweep_columns(columns, policy, enforce_floor=enforce_floor, facts=facts).to_sweep(columns)
        for i, e in enumerate(result):
            application = table.application(table.reporter[i], table.matter[i], table.made_on[i], facts=facts)
            d = evaluate(application, policy, enforce_floor=enforce_floor)
            assert (e.outcome, e.policy_outcome, e.route, e.matched) == (
                d.outcome,
                d.policy_outcome,
                d.route,
                d.matched,
            ), (name, i)


@given(table=tables(16), facts=FACTS, enforce_floor=st.booleans(), name=st.sampled_from(COLUMNAR))
def test_columnar_equals_the_pure_python_sweep(
    table: ReportTable, facts: dict[Fact, bool], name: str, *, enforce_floor: bool
) -> None:
    """Every column and the standings (in order) equal the pure-Python sweep's, walked back or replayed.

    The pure-Python sweep equals evaluate (test_analysis_sweep, test_law); a walk of one step
    sends every question past the first to the replay, so both ways of finding a count's nth
    unit are checked.
    """
    columns = Columns.from_table(table)
    policy = ALL[name]
    try:
        swept = sweep_columns(columns, policy, enforce_floor=enforce_floor, facts=facts)
    except Unsupported:
        return
    want = sweep(table, policy, enforce_floor=enforce_floor, facts=facts, engine="python")
    for walk in (1, columnar._WALK):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(columnar, "_WALK", walk)
            columns.drop_indexes()
            got = swept.to_sweep(columns)
        for field in ("outcome", "policy_outcome", "route", "matched", "met_until", "standings"):
            assert getattr(got, field) == getattr(want, field), (name, walk, field)


@given(table=tables(16), name=st.sampled_from(COLUMNAR))
def test_a_count_is_met_exactly_while_its_nth_unit_is_in_the_window(table: ReportTable, name: str) -> None:
    """The day a count stays met until (the law's nth unit) agrees with the count itself on every row."""
    columns = Columns.from_table(table)
    try:
        plan = compile_policy(ALL[name], NUMPY)
    except Unsupported:
        return
    for count in plan.counts:
        assert ((columns.valid_days(count) >= columns.made) == columns.count_met(count)).all(), name


def test_columnar_refuses_policies_outside_its_vocabulary() -> None:
    """A policy it cannot compute is refused, naming why, rather than answered wrongly."""
    empty = Columns.from_table(ReportTable((), (), (), (), (), (), (), (), (), (), (), ()))
    with pytest.raises(Unsupported, match="first_report"):
        sweep_columns(empty, FALLBACK)
