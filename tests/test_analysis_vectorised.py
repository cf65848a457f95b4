"""The columnar reader keeps every promise of the row-by-row reader: same table, same problems."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.analysis.table import (
    FIELDS,
    ReportTable,
    reports_from_csv,
    reports_from_dataframe,
    table_from_reports,
)
from asb_case_review.catalogue import CATALOGUE
from asb_case_review.errors import InvalidInput, InvalidRow
from asb_case_review.models import Agency

from .test_hostile import _BAD_ROWS, _CSV_HEADER, CSV_CASES, _csv_with, _good

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

READERS = ["python", "pandas"]


def same(a: ReportTable, b: ReportTable) -> None:
    """Every column, every row number and every problem equal."""
    for name in (*FIELDS, "rows"):
        assert getattr(a, name) == getattr(b, name), name
    # Values are compared as written (NaT is not equal to itself).
    assert [(p.row, p.field, repr(p.value), p.problem) for p in a.problems] == [
        (p.row, p.field, repr(p.value), p.problem) for p in b.problems
    ]


def outcome(read: Any) -> tuple[str, object]:
    """What a read gives: the table, or the error it stops with (its row, field, value and words)."""
    try:
        return "table", read()
    except InvalidRow as error:
        return "row", (error.row, error.field, repr(error.value), error.problem)
    except InvalidInput as error:
        return "input", str(error)


def agree(read: Any) -> None:
    """*read(reader)* gives the same table, or stops with the same error, under both readers."""
    python, pandas = outcome(lambda: read("python")), outcome(lambda: read("pandas"))
    assert python[0] == pandas[0], (python, pandas)
    if python[0] == "table":
        same(python[1], pandas[1])  # type: ignore[arg-type]
    else:
        assert python == pandas


# ------------------------------------------------------------------------------- the hostile table


@pytest.mark.parametrize(("bad", "field", "at"), CSV_CASES)
def test_pandas_reader_keeps_every_good_row_and_lists_the_bad_one(bad: str, field: str, at: int) -> None:
    """Every hostile row of tests/test_hostile.py: the same row and field, all six good rows kept."""
    table = reports_from_csv(_csv_with(bad, at), on_error="skip", reader="pandas")
    assert sorted(table.id) == [f"G{n}" for n in range(1, 7)]
    assert [(p.row, p.field) for p in table.problems] == [(at, field)]
    with pytest.raises(InvalidRow) as caught:
        reports_from_csv(_csv_with(bad, at), on_error="stop", reader="pandas")
    assert (caught.value.row, caught.value.field) == (at, field)
    for on_error in ("skip", "stop"):
        agree(lambda reader, e=on_error: reports_from_csv(_csv_with(bad, at), on_error=e, reader=reader))


def test_pandas_reader_a_stray_quote_does_not_swallow_a_thousand_rows() -> None:
    """One unclosed quote costs its own row only, with the columnar reader too."""
    text = "\n".join([_CSV_HEADER, _BAD_ROWS[0][1], *(_good(n) for n in range(1, 1001))])
    table = reports_from_csv(text, on_error="skip", reader="pandas")
    assert len(table) == 1000
    assert [(p.row, p.field) for p in table.problems] == [(1, "reporter")]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_pandas_reader_splits_lines_where_the_csv_module_does(ending: str) -> None:
    """CR, LF and CRLF end a line; U+2028, U+0085 and a form feed inside a cell never do."""
    rows = [_CSV_HEADER, _good(1), "", "   ", _good(2).replace("P2", "P\u20282"),
            _good(3).replace("P3", "P\x853"),
            _good(4).replace("P4", "P\x0c4"), _good(5)]  # fmt: skip
    text = ending.join(rows) + ending
    for source in (text, text.encode(), io.StringIO(text, newline="")):
        table = reports_from_csv(source, on_error="skip", reader="pandas")
        assert table.id == ("G1", "G5")
        assert [(p.row, p.field) for p in table.problems] == [
            (4, "reporter"),
            (5, "reporter"),
            (6, "reporter"),
        ]
        agree(lambda reader, s=source: reports_from_csv(s, on_error="skip", reader=reader))


def test_cells_that_look_like_numbers_stay_as_written() -> None:
    """Ids 007 and 7 are two reports, not one number: cells are text, whatever they look like."""
    lines = [
        "id,reporter,matter,began_on,made_on",
        "007,1,2,2025-10-01,2025-10-02",
        "7,1,2,2025-10-01,2025-10-02",
    ]
    table = reports_from_csv(lines, reader="pandas")
    assert (table.id, table.reporter, table.matter) == (("007", "7"), ("1", "1"), ("2", "2"))


def test_reader_is_refused_by_name() -> None:
    """An unknown reader is named, as every bad option is."""
    with pytest.raises(InvalidInput, match="reader='fast'"):
        reports_from_csv([_CSV_HEADER], reader="fast")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- generated messy input

_CELLS: dict[str, list[str]] = {
    "id": ["R1", "R2", "R3", "R4", " R5", "", "R\x0b6", '"R7"', "R,8", "007", "7", "1.5"],
    "reporter": ["P1", "P2", "P 3", "", "  ", "P\u20284", "Siân", "P\t5", '"P6'],
    "household": ["", "H1", "H2", " H3 ", "H\x1c4"],
    "matter": ["M1", "M2", "", "M\u00a03"],
    "incident": ["", "I1", "I2", "I3"],
    "began_on": ["2025-10-01", "2025-09-30", "2025-10-03", "", "2025-13-01", "2025-1-01", " 2025-10-02",
                 "2025-10-01T10:00:00+01:00", "2025-10-01T10:00:00", "9999-01-01", "01/10/2025", "1/9/2025"],
    "ended_on": ["", "", "2025-10-02", "2025-09-01", "x"],
    "made_on": ["2025-10-02", "2025-10-05", "2025-09-29", "", "2025-10-02T23:30:00+00:00", "02/10/2025",
                "30/02/2025"],
    "agency": ["", "police", "Police", " council ", "army"],
    "kind": ["", "complaint", "diary_sheet", "kind\x00"],
    "hate": ["", "no", "yes", "Y", "maybe", "1", "0"],
}  # fmt: skip


@st.composite
def messy_csv(draw: st.DrawFn) -> str:
    """CSV text with a random header order, messy cells, short and long rows, blank lines and odd endings."""
    header = draw(st.permutations(FIELDS))
    header = header[: draw(st.integers(5, len(FIELDS)))]
    required = ["id", "reporter", "matter", "began_on", "made_on"]
    header = [*header, *(f for f in required if f not in header)]
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 12))):
        shape = draw(st.sampled_from(["row", "row", "row", "row", "blank", "short", "long", "quote"]))
        cells = [draw(st.sampled_from(_CELLS[f])) for f in header]
        if shape == "blank":
            lines.append(draw(st.sampled_from(["", "  ", "\t"])))
            continue
        if shape == "short":
            cells = cells[: draw(st.integers(1, len(cells)))]
        elif shape == "long":
            cells.append("extra")
        elif shape == "quote":
            at = draw(st.integers(0, len(cells) - 1))
            cells[at] = draw(st.sampled_from(['"' + cells[at] + '"', '"a,b"', '"x', 'x"y', '"a""b"']))
        lines.append(",".join(cells))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=messy_csv(), on_error=st.sampled_from(["skip", "stop"]),
       date_format=st.sampled_from(["iso", "day-first"]))  # fmt: skip
def test_both_readers_give_the_same_table_and_problems_on_messy_csv(
    text: str, on_error: Any, date_format: Any
) -> None:
    """On generated messy CSV both readers keep the same rows and list the same problems in the same words."""
    agree(lambda reader: reports_from_csv(text, on_error=on_error, date_format=date_format, reader=reader))


_FRAME_VALUES: dict[str, list[Any]] = {
    "id": ["R1", "R2", "R3", "R4", None, float("nan"), 5, " R6"],
    "reporter": ["P1", "P2", "P2", None, "", 7, True],
    "household": [None, float("nan"), "H1", "", pd.NA],
    "matter": ["M1", "M2", "M1", " M1"],
    "incident": [None, "I1", "I2"],
    "began_on": [dt.date(2025, 10, 1), dt.date(2025, 9, 30), "2025-10-01", None,
                 dt.datetime(2025, 10, 1, 0, 0), pd.Timestamp("2025-10-01"),
                 pd.Timestamp("2025-10-01 10:00"), pd.NaT],
    "ended_on": [None, dt.date(2025, 10, 2), dt.date(2025, 9, 1), float("nan"), pd.NaT],
    "made_on": [dt.date(2025, 10, 2), dt.date(2025, 10, 5), "2025-10-02", dt.date(2025, 9, 29)],
    "agency": [Agency.POLICE, Agency.COUNCIL, "police", None, "army"],
    "kind": ["complaint", "diary_sheet", None],
    "hate": [False, True, "yes", None, 1, 1.0, "maybe", np.bool_(True)],
}  # fmt: skip


@st.composite
def messy_frame(draw: st.DrawFn) -> Any:
    """A DataFrame of messy values: each column of one type, or mixed, or a datetime64 column."""
    size = draw(st.integers(0, 10))
    data: dict[str, Any] = {}
    for field in FIELDS:
        if field not in ("id", "reporter", "matter", "began_on", "made_on") and draw(st.booleans()):
            continue
        pool = _FRAME_VALUES[field]
        if draw(st.booleans()):
            pool = pool[:2]  # one type: the columnar path
        data[field] = [draw(st.sampled_from(pool)) for _ in range(size)]
    frame = pd.DataFrame(data, dtype=object)
    for field in ("began_on", "ended_on", "made_on"):
        if field in frame and draw(st.integers(0, 3)) == 0:
            frame[field] = pd.to_datetime(
                pd.Series(
                    [
                        draw(st.sampled_from(["2025-10-01", "2025-10-03", "2025-10-01 12:00", None]))
                        for _ in range(size)
                    ],
                    dtype=object,
                ),
                format="ISO8601",
            )
    for field in ("id", "reporter", "household", "matter", "incident", "kind", "agency"):
        if field in frame and draw(st.integers(0, 2)) == 0:
            # pandas' own text type (NaN where there is no value), as read_csv and from_records make.
            pool = ["R1", "R2", " R3", "", "P\x0b1", "police", "complaint", None]
            frame[field] = pd.Series([draw(st.sampled_from(pool)) for _ in range(size)], dtype="str")
    if "hate" in frame and draw(st.booleans()):
        frame["hate"] = pd.Series([draw(st.booleans()) for _ in range(size)], dtype=bool)
    return frame


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=messy_frame(), on_error=st.sampled_from(["skip", "stop"]))
def test_both_readers_give_the_same_table_and_problems_on_messy_dataframes(frame: Any, on_error: Any) -> None:
    """On generated messy DataFrames (mixed types, NaN, NaT, datetime64) both readers agree exactly."""
    agree(lambda reader: reports_from_dataframe(frame, on_error=on_error, reader=reader))


@pytest.mark.parametrize(
    "flags",
    [[], [False, False, False], [True, True], [True, False, True, False], [False, True]],
    ids=["empty", "all-false", "all-true", "true-first", "false-first"],
)
def test_a_column_of_numpy_flags_reads_as_the_row_by_row_reader_reads_it(flags: list[bool]) -> None:
    """A hate column of numpy's bool type, however its flags fall, gives the row-by-row reader's table."""
    size = len(flags)
    frame = pd.DataFrame(
        {
            "id": [f"R{i}" for i in range(size)],
            "reporter": ["P1"] * size,
            "matter": ["M1"] * size,
            "began_on": ["2025-01-02"] * size,
            "made_on": ["2025-01-03"] * size,
            "hate": pd.Series(flags, dtype=bool),
        }
    )
    agree(lambda reader: reports_from_dataframe(frame, reader=reader))
    assert reports_from_dataframe(frame, reader="pandas").hate == tuple(flags)


# ------------------------------------------------------------------------------------ what it builds


def test_day_first_dates_are_read_never_guessed() -> None:
    """date_format="day-first" reads DD/MM/YYYY (one or two digits), and refuses ISO and two-digit years."""
    lines = [
        "id,reporter,matter,began_on,made_on",
        "R1,P1,M1,1/2/2025,03/02/2025",
        "R2,P1,M1,2025-02-01,03/02/2025",
        "R3,P1,M1,01/02/25,03/02/2025",
        "R4,P1,M1,31/02/2025,03/03/2025",
    ]
    for reader in READERS:
        table = reports_from_csv(lines, on_error="skip", date_format="day-first", reader=reader)  # type: ignore[arg-type]
        assert table.began_on == (dt.date(2025, 2, 1),)
        assert table.made_on == (dt.date(2025, 2, 3),)
        assert [(p.row, p.field, p.value) for p in table.problems] == [
            (2, "began_on", "2025-02-01"),
            (3, "began_on", "01/02/25"),
            (4, "began_on", "31/02/2025"),
        ]
    with pytest.raises(InvalidInput, match="date_format='us'"):
        reports_from_csv(lines, date_format="us")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("began", "made"),
    [("2025-01-01", "2025-01-03"), ("1900-01-01", "2499-12-31")],
    ids=["days-fewer-than-rows", "days-far-apart"],
)
def test_dates_read_the_same_however_far_apart_the_days_are(began: str, made: str) -> None:
    """Dates, and a missing end date, are the same whether the days span fewer days than rows or far more."""
    rows = [f"R{i},P{i},M,{began},{made},{made if i % 2 else ''}" for i in range(4)]
    text = "id,reporter,matter,began_on,made_on,ended_on\n" + "\n".join(rows) + "\n"
    agree(lambda reader: reports_from_csv(text, reader=reader))
    last = dt.date.fromisoformat(made)
    assert reports_from_csv(text).ended_on == (None, last, None, last)


@pytest.mark.parametrize(
    "households",
    [
        ["", "H1", "H2"],
        ["H1", "", "H2"],
        ["H1", "H2", ""],
        ["", "", ""],
        ["H1", "H 2", ""],
        ["H1", "H\x002", ""],
        ["H1", "H2\x00", "\x00"],
    ],
    ids=[
        "blank-first",
        "blank-between",
        "blank-last",
        "all-blank",
        "blank-and-space",
        "nul-inside",
        "nul-at-ends",
    ],
)
def test_an_empty_cell_is_no_value_wherever_it_first_appears(households: list[str]) -> None:
    """An empty household is no household, first, between others, last or alone; and a NUL inside a value
    (the columnar check joins values with NULs) is refused as the row-by-row reader refuses it."""
    text = "id,reporter,household,matter,began_on,made_on\n" + "".join(
        f"R{i},P{i},{h},M,2025-01-01,2025-01-03\n" for i, h in enumerate(households) if "\x00" not in h
    )
    agree(lambda reader: reports_from_csv(text, reader=reader))
    frame = pd.DataFrame(
        {"id": ["R0", "R1", "R2"], "reporter": "P", "household": pd.Series(households, dtype="str"),
         "matter": "M", "began_on": "2025-01-01", "made_on": "2025-01-03"}
    )  # fmt: skip
    agree(lambda reader: reports_from_dataframe(frame, reader=reader, on_error="skip"))
    assert reports_from_csv(text).household == tuple(h or None for h in households if "\x00" not in h)


def test_the_numpy_sweep_reads_the_readers_columns_as_its_own() -> None:
    """A table read by pandas carries columns the numpy sweep takes as they are, with the same answers."""
    table = synthetic_reports(3000, seed=4)
    frame = pd.DataFrame.from_records(list(table.records()))
    text = frame.to_csv(index=False)
    read = reports_from_csv(text, reader="pandas")
    assert read._encoded is not None
    plain = table_from_reports(read.to_reports())
    assert plain._encoded is None
    for name in ("statutory", "staffordshire-moorlands", "merseyside"):
        policy = CATALOGUE[name]
        ours, theirs = (
            sweep_columns(Columns.from_table(read), policy),
            sweep_columns(Columns.from_table(plain), policy),
        )
        assert np.array_equal(ours.outcome, theirs.outcome)
        assert np.array_equal(ours.route, theirs.route)
        assert ours.met_until(Columns.from_table(read)) == theirs.met_until(Columns.from_table(plain))
    same(read, reports_from_csv(text, reader="python"))
    same(reports_from_dataframe(frame, reader="pandas"), reports_from_dataframe(frame, reader="python"))


def test_a_table_changed_by_evolve_is_encoded_afresh() -> None:
    """The reader's arrays serve only the very columns they encode: evolve a column, and they do not."""
    import attrs  # noqa: PLC0415 (only this test changes a table)

    text = "id,reporter,matter,began_on,made_on,hate\n" + "".join(
        f"R{i},P{i},M1,2025-10-0{i},2025-10-0{i},yes\n" for i in range(1, 4)
    )
    read = reports_from_csv(text, reader="pandas")
    changed = attrs.evolve(read, hate=(False, False, False))
    assert Columns.from_table(read).hate.tolist() == [True, True, True]
    assert Columns.from_table(changed).hate.tolist() == [False, False, False]
    assert Columns.from_table(attrs.evolve(read, problems=())).hate.tolist() == [True, True, True]
