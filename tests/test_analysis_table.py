"""Batch input: every bad row is reported with its number and field, never dropped silently."""

from __future__ import annotations

import datetime as dt

import pytest

from asb_case_review.analysis.table import reports_from_csv, reports_from_dataframe, reports_from_records
from asb_case_review.errors import InvalidInput, InvalidRow

HEADER = "id,reporter,matter,incident,began_on,made_on,agency,hate"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("R2,P2,M1,I2,2025-10-09,2025-10-01,police,no", "made_on"),
        ("R2,,M1,I2,2025-10-01,2025-10-01,police,no", "reporter"),
        ("R2,P2,M1,I2,2025-13-01,2025-10-01,police,no", "began_on"),
        ("R2,P2,M1,I2,2025-10-01,2025-10-01,fire,no", "agency"),
        ("R2,P2,M1,I2,2025-10-01,2025-10-01,police,maybe", "hate"),
        ("R1,P2,M1,I2,2025-10-01,2025-10-01,police,no", "id"),
        ("R2,P2,M2,I1,2025-10-01,2025-10-02,police,no", "incident"),
    ],
    ids=["report-before-behaviour", "no-reporter", "bad-date", "unknown-agency", "bad-flag", "repeated-id",
         "incident-contradicts"],
)  # fmt: skip
def test_bad_rows_stop_or_are_listed(line: str, field: str) -> None:
    """A bad row stops the load naming row and field, or is skipped and listed."""
    lines = [HEADER, "R1,P1,M1,I1,2025-10-01,2025-10-02,council,no", line]
    with pytest.raises(InvalidRow) as raised:
        reports_from_csv(lines)
    assert (raised.value.row, raised.value.field) == (2, field)
    table = reports_from_csv(lines, on_error="skip")
    assert len(table) == 1
    assert [(p.row, p.field) for p in table.problems] == [(2, field)]


def test_caller_maps_column_names() -> None:
    """Columns are found under the caller's names; defaults fill the optional fields."""
    table = reports_from_records(
        [{"ref": "R1", "who": "P1", "case": "M1", "when": "2025-01-01", "began_on": "2025-01-01"}],
        columns={"id": "ref", "reporter": "who", "matter": "case", "made_on": "when"},
    )
    assert table.made_on == (dt.date(2025, 1, 1),)
    assert (table.incident, table.kind, table.hate) == (("R1",), ("complaint",), (False,))


def test_missing_required_column_is_named() -> None:
    """A CSV without a required column is refused, naming the column."""
    with pytest.raises(InvalidInput, match="made_on"):
        reports_from_csv(["id,reporter,matter,began_on", "R1,P1,M1,2025-01-01"])


def test_dataframe_rows_are_numbered_by_position() -> None:
    """A DataFrame with a bad row reports its position, empty cells are missing values."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "id": ["R1", "R2"],
            "reporter": ["P1", "P2"],
            "matter": ["M1", "M1"],
            "began_on": pd.to_datetime(["2025-01-01", "2025-01-05"]),
            "made_on": pd.to_datetime(["2025-01-02", "2025-01-04"]),
            "ended_on": [None, None],
        },
        index=[10, 20],
    )
    table = reports_from_dataframe(frame, on_error="skip")
    assert table.made_on == (dt.date(2025, 1, 2),)
    assert [(p.row, p.field) for p in table.problems] == [(2, "made_on")]
