"""Results stay columnar: a numpy sweep holds arrays, and every view of it equals the pure-Python sweep's."""

from __future__ import annotations

import pytest

from asb_case_review import MERSEYSIDE, STATUTORY
from asb_case_review.analysis.compare import compare
from asb_case_review.analysis.synthetic import synthetic_reports

from .strategies import VARIANTS

pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")


def test_array_backed_sweeps_give_every_view_of_the_pure_python_sweep() -> None:
    """Summaries, flips, flip counts, conflicts, records, DataFrames, rows and standings all agree."""
    table = synthetic_reports(2500, seed=7)
    policies = [STATUTORY, MERSEYSIDE, VARIANTS["victim-three"]]
    fast, slow = compare(table, policies), compare(table, policies, engine="python")
    assert [s.engine for s in fast.sweeps] == ["numpy"] * 3
    assert all(s.arrays is not None for s in fast.sweeps)
    assert all(s.arrays is None for s in slow.sweeps)
    assert [{**r, "engine": ""} for r in fast.summary()] == [{**r, "engine": ""} for r in slow.summary()]
    assert fast.summary()[2]["floor_conflicts"] > 0
    assert list(fast.flips()) == list(slow.flips())
    assert fast.flip_counts() == slow.flip_counts()
    assert list(fast.conflicts()) == list(slow.conflicts())
    for a, b in zip(fast.sweeps, slow.sweeps, strict=True):
        assert list(a.records()) == list(b.records())
        assert a.to_dataframe().equals(b.to_dataframe())
        assert list(a) == list(b)
        assert a[17] == b[17]
        assert (a.outcome, a.route, a.matched, a.met_until) == (b.outcome, b.route, b.matched, b.met_until)
        assert a.standings == b.standings


def test_a_columnar_sweep_builds_each_column_once() -> None:
    """The tuples of a numpy sweep are built on first reading and then kept (the same object each time)."""
    result = compare(synthetic_reports(200, seed=2), [STATUTORY]).sweeps[0]
    assert result.outcome is result.outcome
    assert result.standings is result.standings
