"""Comparisons: counts, flips with the rules that decided, floor conflicts, stats and the import boundary."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from asb_case_review import CATALOGUE, MERSEYSIDE, STATUTORY
from asb_case_review.analysis.compare import compare
from asb_case_review.analysis.stats import financial_period, published_figures
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.analysis.table import RowProblem
from asb_case_review.errors import InvalidRow

from .strategies import VARIANTS


def test_engines_agree_and_flips_name_their_rules() -> None:
    """Python and numpy give the same summary; every flip from Merseyside names a local rule."""
    pytest.importorskip("numpy")
    table = synthetic_reports(1500, seed=5)
    policies = [STATUTORY, MERSEYSIDE]
    fast, slow = compare(table, policies), compare(table, policies, engine="python")
    assert [{**r, "engine": ""} for r in fast.summary()] == [{**r, "engine": ""} for r in slow.summary()]
    flips = [f for f in fast.flips() if f.met_under.startswith("merseyside")]
    assert flips
    assert all(set(f.matched) <= {"personal", "community", "hate"} and f.matched for f in flips)
    assert not [f for f in fast.flips() if f.met_under.startswith("statutory")]


def test_floor_conflicts_are_listed() -> None:
    """A victim-only mandatory rule turns away applications the statute says must be reviewed."""
    comparison = compare(synthetic_reports(800, seed=4), [VARIANTS["victim-three"]], engine="python")
    conflicts = list(comparison.conflicts())
    assert conflicts
    assert comparison.summary()[0]["floor_conflicts"] == len(conflicts)


@pytest.mark.parametrize(
    ("day", "by", "period"),
    [("2025-03-31", "year", "2024/25"), ("2025-04-01", "year", "2025/26"),
     ("2025-07-01", "quarter", "2025/26 Q2"), ("2026-01-15", "quarter", "2025/26 Q4"),
     ("2025-12-31", "quarter", "2025/26 Q3")],
    ids=["march-end", "april-first", "q2", "q4", "q3"],
)  # fmt: skip
def test_financial_periods(day: str, by: str, period: str) -> None:
    """Financial years run April to March, quarters from April."""
    assert financial_period(dt.date.fromisoformat(day), by) == period  # type: ignore[arg-type]


def test_published_figures_count_each_from_its_own_column() -> None:
    """Withdrawn and pending applications count as applications only; bad rows are listed."""
    rows = [
        {"id": "A1", "received_on": "2025-05-01", "threshold": "withdrawn"},
        {"id": "A2", "received_on": "2025-05-02", "threshold": "pending"},
        {"id": "A3", "received_on": "2025-05-03", "threshold": "met", "review_completed_on": "2025-06-01",
         "recommendations": "no"},
        {"id": "A4", "received_on": "2025-05-04", "threshold": "perhaps"},
    ]  # fmt: skip
    problems: list[RowProblem] = []
    figures = published_figures(rows, on_error="skip", problems=problems)
    assert figures == [
        {"period": "2025/26", "applications": 3, "threshold_not_met": 0, "reviews_carried_out": 1,
         "reviews_with_recommendations": 0}
    ]  # fmt: skip
    assert [(p.row, p.field) for p in problems] == [(4, "threshold")]
    with pytest.raises(InvalidRow, match="row 4"):
        published_figures(rows)


def test_core_does_not_import_numpy_or_pandas() -> None:
    """Importing the library and evaluating every policy loads neither numpy nor pandas."""
    code = (
        "import sys\n"
        "from asb_case_review import CATALOGUE, evaluate\n"
        "from asb_case_review.examples import example_application\n"
        "import asb_case_review.analysis\n"
        "for p in CATALOGUE.values(): evaluate(example_application(), p)\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert CATALOGUE
