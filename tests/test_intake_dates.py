"""Day-first dates are read only when asked for, exactly as DD/MM/YYYY, and never guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asb_case_review._readers import parse_day, row_day
from asb_case_review.analysis.table import reports_from_csv, reports_from_dataframe, reports_from_records
from asb_case_review.errors import InvalidInput, InvalidRow

HEADER = "id,reporter,matter,began_on,made_on"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("02/01/2025", dt.date(2025, 1, 2)),
        ("2/1/2025", dt.date(2025, 1, 2)),
        ("31/12/2024", dt.date(2024, 12, 31)),
        (" 29/02/2024 ", dt.date(2024, 2, 29)),
    ],
    ids=["two-digit", "one-digit", "year-end", "leap-day-padded"],
)
def test_day_first_is_day_then_month(text: str, day: dt.date) -> None:
    """02/01/2025 is 2 January 2025 under day-first."""
    assert parse_day(text, "made_on", date_format="day-first") == day


@pytest.mark.parametrize(
    "text",
    ["2025-01-02", "02/01/25", "02-01-2025", "31/02/2025", "13/13/2025", "02/01/2025 10:00", "", "2/1/2025x",
     "\u0660\u0662/01/2025"],
    ids=["iso", "two-digit-year", "dashes", "no-such-day", "month-13", "with-time", "empty", "trailing",
         "arabic-digits"],
)  # fmt: skip
def test_day_first_refuses_anything_else_naming_the_field(text: str) -> None:
    """ISO text, short years and impossible days are errors under day-first, naming field and value."""
    with pytest.raises(InvalidInput, match=r"made_on=.*DD/MM/YYYY") as raised:
        parse_day(text, "made_on", date_format="day-first")
    assert raised.value.value == text


def test_iso_refuses_day_first_text() -> None:
    """Under the default ISO format a UK date is an error, not a guess."""
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_day("02/01/2025", "made_on")


def test_unknown_date_format_is_named() -> None:
    """A date format other than iso or day-first is refused by name."""
    with pytest.raises(InvalidInput, match="date_format='us'"):
        parse_day("01/02/2025", "made_on", date_format="us")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="date_format"):
        reports_from_csv([HEADER], date_format="mdy")  # type: ignore[arg-type]


def test_date_cells_are_taken_whatever_the_format() -> None:
    """A date value (a spreadsheet's date cell) is a date under either format."""
    assert row_day(1, "made_on", dt.date(2025, 1, 2), required=True, date_format="day-first") == dt.date(
        2025, 1, 2
    )
    midnight = dt.datetime(2025, 1, 2)  # a spreadsheet's date cell: a naive midnight
    assert row_day(1, "made_on", midnight, required=True, date_format="day-first") == dt.date(2025, 1, 2)


def test_csv_day_first_reads_uk_dates() -> None:
    """A CSV of UK dates loads under day-first with the right days."""
    table = reports_from_csv([HEADER, "R1,P1,M1,01/10/2025,02/10/2025"], date_format="day-first")
    assert (table.began_on, table.made_on) == ((dt.date(2025, 10, 1),), (dt.date(2025, 10, 2),))


def test_mixed_formats_are_a_named_row_error() -> None:
    """An ISO date in a day-first file is an error naming row, field and value: no silent mixing."""
    lines = [HEADER, "R1,P1,M1,01/10/2025,02/10/2025", "R2,P2,M1,2025-10-01,02/10/2025"]
    with pytest.raises(InvalidRow) as raised:
        reports_from_csv(lines, date_format="day-first")
    assert (raised.value.row, raised.value.field, raised.value.value) == (2, "began_on", "2025-10-01")
    assert "DD/MM/YYYY" in str(raised.value)
    skipped = reports_from_csv(lines, date_format="day-first", on_error="skip")
    assert len(skipped) == 1
    assert [(p.row, p.field) for p in skipped.problems] == [(2, "began_on")]


def test_records_and_dataframe_take_the_same_keyword() -> None:
    """reports_from_records and reports_from_dataframe read day-first text the same way."""
    row = {"id": "R1", "reporter": "P1", "matter": "M1", "began_on": "1/10/2025", "made_on": "2/10/2025"}
    assert reports_from_records([row], date_format="day-first").made_on == (dt.date(2025, 10, 2),)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([row])
    assert reports_from_dataframe(frame, date_format="day-first").made_on == (dt.date(2025, 10, 2),)
    with pytest.raises(InvalidRow, match="row 1: began_on"):
        reports_from_dataframe(frame)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2499, 12, 31)), st.booleans())
def test_day_first_reads_back_every_day_it_writes(day: dt.date, padded: bool) -> None:
    """Any day written DD/MM/YYYY, padded or not, reads back as itself; as ISO text it is refused."""
    text = f"{day.day:02d}/{day.month:02d}/{day.year}" if padded else f"{day.day}/{day.month}/{day.year}"
    assert parse_day(text, "made_on", date_format="day-first") == day
    with pytest.raises(InvalidInput):
        parse_day(day.isoformat(), "made_on", date_format="day-first")
