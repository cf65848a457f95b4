"""The four figures relevant bodies publish about ASB Case Reviews, by financial year or quarter.

Section 104 requires the relevant bodies to publish: the number of
applications; the number of times the threshold was not met; the number of
ASB case reviews carried out; and the number of reviews that resulted in
recommendations.  Each figure is counted from its own column and never
derived from another, since withdrawn and pending applications exist.  Each
is counted in the period of its own date: an application when received, a
decision when made (or when received if no decision date is given), a review
when completed.

The applications table has the columns ``id``, ``received_on``,
``threshold`` (``met``, ``not_met``, ``pending`` or ``withdrawn``),
optional ``decided_on``, ``review_completed_on`` and ``recommendations``
(true/false).  Financial years run April to March and are written
``2024/25``; quarters are ``2024/25 Q1`` (April to June).

>>> rows = [{"id": "A1", "received_on": "2025-03-30", "threshold": "not_met", "decided_on": "2025-04-02"},
...         {"id": "A2", "received_on": "2025-04-10", "threshold": "met",
...          "review_completed_on": "2025-05-01", "recommendations": "yes"}]
>>> for row in published_figures(rows):
...     print(list(row.values()))
['2024/25', 1, 0, 0, 0]
['2025/26', 1, 1, 1, 1]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

from .._readers import row_day, row_text
from ..errors import InvalidInput, InvalidRow
from .table import OnError, RowProblem

__all__ = ["FIGURES", "financial_period", "numbered_figures", "published_figures"]

FIGURES: Final = ("applications", "threshold_not_met", "reviews_carried_out", "reviews_with_recommendations")
"""The four published figures, in the order councils publish them."""

_THRESHOLD: Final = frozenset({"met", "not_met", "pending", "withdrawn"})
_YES: Final = frozenset({"true", "yes", "y", "1"})
_NO: Final = frozenset({"false", "no", "n", "0", ""})


def financial_period(day: dt.date, by: Literal["year", "quarter"] = "year") -> str:
    """The financial year (April to March), or quarter of it, that *day* falls in.

    >>> financial_period(dt.date(2025, 3, 31)), financial_period(dt.date(2025, 4, 1), "quarter")
    ('2024/25', '2025/26 Q1')
    """
    start = day.year if day.month >= 4 else day.year - 1
    year = f"{start}/{(start + 1) % 100:02d}"
    if by == "year":
        return year
    return f"{year} Q{(day.month - 4) % 12 // 3 + 1}"


def published_figures(
    applications: Iterable[Mapping[str, object]],
    *,
    by: Literal["year", "quarter"] = "year",
    on_error: OnError = "stop",
    problems: list[RowProblem] | None = None,
) -> list[dict[str, Any]]:
    """The four figures per period, oldest first; bad rows stop the count or go to *problems*."""
    if isinstance(applications, str | bytes | Mapping) or not isinstance(applications, Iterable):
        raise InvalidInput("applications", applications, "must be an iterable of rows (mappings)")
    return numbered_figures(enumerate(applications, start=1), by=by, on_error=on_error, problems=problems)


def _check_options(by: object, on_error: object, problems: object) -> None:
    if by not in ("year", "quarter"):
        raise InvalidInput("by", by, "must be 'year' or 'quarter'")
    if on_error not in ("stop", "skip"):
        raise InvalidInput("on_error", on_error, "must be 'stop' or 'skip'")
    if on_error == "skip" and not isinstance(problems, list):
        raise InvalidInput("problems", problems, "give a list to collect the skipped rows in")


def numbered_figures(
    rows: Iterable[tuple[int, Mapping[str, object] | RowProblem]],
    *,
    by: Literal["year", "quarter"] = "year",
    on_error: OnError = "stop",
    problems: list[RowProblem] | None = None,
) -> list[dict[str, Any]]:
    """:func:`published_figures` of rows already numbered, some perhaps already found unreadable."""
    _check_options(by, on_error, problems)
    counts: dict[str, dict[str, int]] = {}

    def add(day: dt.date, figure: str) -> None:
        period = counts.setdefault(financial_period(day, by), dict.fromkeys(FIGURES, 0))
        period[figure] += 1

    for row, record in rows:
        try:
            if isinstance(record, RowProblem):
                raise InvalidRow(record.row, record.field, record.value, record.problem)
            if not isinstance(record, Mapping):
                raise InvalidRow(row, "row", record, "must be a mapping of column names to values")
            row_text(row, "id", record.get("id"), required=True)
            received = row_day(row, "received_on", record.get("received_on"), required=True)
            threshold = (row_text(row, "threshold", record.get("threshold"), required=True) or "").lower()
            if threshold not in _THRESHOLD:
                raise InvalidRow(
                    row, "threshold", record.get("threshold"), f"must be one of {sorted(_THRESHOLD)}"
                )
            decided = row_day(row, "decided_on", record.get("decided_on"), required=False)
            completed = row_day(row, "review_completed_on", record.get("review_completed_on"), required=False)
            said = (
                row_text(row, "recommendations", record.get("recommendations"), required=False) or ""
            ).lower()
            if said not in _YES | _NO:
                raise InvalidRow(row, "recommendations", record.get("recommendations"), "must be yes or no")
        except InvalidRow as error:
            if on_error == "stop" or problems is None:
                raise
            problems.append(RowProblem(error.row, error.field, error.value, error.problem))
            continue
        assert received is not None
        add(received, "applications")
        if threshold == "not_met":
            add(decided or received, "threshold_not_met")
        if completed is not None:
            add(completed, "reviews_carried_out")
            if said in _YES:
                add(completed, "reviews_with_recommendations")
    return [{"period": period, **figures} for period, figures in sorted(counts.items())]
