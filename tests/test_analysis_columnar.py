"""The numpy sweep answers exactly what the pure-Python sweep (and so evaluate) answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from asb_case_review import CATALOGUE, evaluate
from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.plan import Unsupported
from asb_case_review.analysis.table import ReportTable

from .analysis_strategies import VARIANTS, tables
from .test_analysis_sweep import FALLBACK

pytest.importorskip("numpy")

ALL = {**CATALOGUE, **VARIANTS}


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("enforce_floor", [True, False], ids=["floor-enforced", "as-written"])
@settings(max_examples=15, deadline=None)
@given(table=tables(16))
def test_columnar_equals_evaluate(name: str, enforce_floor: bool, table: ReportTable) -> None:
    """Outcome, policy outcome, route and rules matched equal evaluate's for every report."""
    policy = ALL[name]
    result = sweep_columns(Columns.from_table(table), policy, enforce_floor=enforce_floor).to_sweep(
        Columns.from_table(table)
    )
    for i, e in enumerate(result):
        application = table.application(table.reporter[i], table.matter[i], table.made_on[i])
        d = evaluate(application, policy, enforce_floor=enforce_floor)
        assert (e.outcome, e.policy_outcome, e.route, e.matched) == (
            d.outcome,
            d.policy_outcome,
            d.route,
            d.matched,
        ), i


def test_columnar_refuses_policies_outside_its_vocabulary() -> None:
    """A policy with a local condition is refused, naming why, rather than answered wrongly."""
    with pytest.raises(Unsupported, match="local conditions"):
        sweep_columns(
            Columns.from_table(ReportTable((), (), (), (), (), (), (), (), (), (), (), ())), FALLBACK
        )
