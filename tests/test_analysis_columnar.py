"""The numpy sweep answers exactly what evaluate answers, for every policy it accepts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asb_case_review import CATALOGUE, DateOf, Fact, evaluate
from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.plan import Unsupported, compile_policy
from asb_case_review.analysis.table import ReportTable

from .analysis_strategies import VARIANTS, tables
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


def test_columnar_refuses_policies_outside_its_vocabulary() -> None:
    """A policy it cannot compute is refused, naming why, rather than answered wrongly."""
    empty = Columns.from_table(ReportTable((), (), (), (), (), (), (), (), (), (), (), ()))
    with pytest.raises(Unsupported, match="first_report"):
        sweep_columns(empty, FALLBACK)
