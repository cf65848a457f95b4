"""Spreadsheets in: .xlsx sheets become records; every error names the sheet, row and cell."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

from asb_case_review import cli
from asb_case_review.analysis.intake import read_xlsx, reports_from_xlsx
from asb_case_review.errors import InvalidInput, InvalidRow

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).parent.parent
EXPORTS = ROOT / "examples" / "exports"
COLUMNS = ROOT / "examples" / "columns"
HEADER: list[object] = ["id", "reporter", "matter", "began_on", "made_on", "hate"]


def workbook(rows: Sequence[Sequence[object]], *, title: str = "Reports", extra: str | None = None) -> bytes:
    """An .xlsx workbook, made here, with *rows* on its first sheet (and an empty sheet *extra*)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra is not None:
        book.create_sheet(extra)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_workbook", ROOT / "tools" / "example_workbook.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_date_cells_and_text_dates_are_both_read() -> None:
    """A date cell is its date; a date typed as text is read in the date format asked for."""
    data = workbook([HEADER, ["R1", "P1", "M1", dt.datetime(2025, 10, 1), "02/10/2025", True],
                     ["R2", "P2", "M1", dt.date(2025, 10, 3), dt.datetime(2025, 10, 4), "no"]])  # fmt: skip
    table = reports_from_xlsx(data, date_format="day-first")
    assert table.began_on == (dt.date(2025, 10, 1), dt.date(2025, 10, 3))
    assert table.made_on == (dt.date(2025, 10, 2), dt.date(2025, 10, 4))
    assert table.hate == (True, False)


def test_whole_numbers_typed_as_numbers_are_ids() -> None:
    """An id typed as a number (1001, stored as 1001.0) is the id '1001', not '1001.0'."""
    data = workbook([HEADER, [1001, 7.0, "M1", dt.date(2025, 10, 1), dt.date(2025, 10, 2), None]])
    table = reports_from_xlsx(data)
    assert (table.id, table.reporter) == (("1001",), ("7",))


def test_a_bad_value_names_sheet_row_and_cell() -> None:
    """A bad date stops the load naming the row, field, value, sheet and cell; skipped, it is listed."""
    rows: list[list[object]] = [HEADER, ["R1", "P1", "M1", dt.date(2025, 10, 1), "2025-10-02", None],
                                ["R2", "P2", "M1", dt.date(2025, 10, 1), "3/10/2025", None]]  # fmt: skip
    data = workbook(rows, title="Cases")
    with pytest.raises(InvalidRow) as raised:
        reports_from_xlsx(data, date_format="day-first")
    assert str(raised.value) == (
        "row 1: made_on='2025-10-02': is not a date written DD/MM/YYYY (the day-first date format) "
        "(sheet 'Cases', cell E2)"
    )
    table = reports_from_xlsx(data, date_format="day-first", on_error="skip")
    assert table.id == ("R2",)
    assert [str(p) for p in table.problems] == [str(raised.value)]


def test_mapped_columns_are_found_and_named_in_errors() -> None:
    """With a column mapping the export's names are read, and an error names the export's column's cell."""
    data = workbook(
        [["Ref", "Who", "Case", "From", "Reported"], ["R1", "P1", "M1", "01/10/2025", "32/10/2025"]]
    )
    columns = {"id": "Ref", "reporter": "Who", "matter": "Case", "began_on": "From", "made_on": "Reported"}
    with pytest.raises(InvalidRow, match=r"there is no such day \(sheet 'Reports', cell E2\)"):
        reports_from_xlsx(data, columns=columns, date_format="day-first")
    with pytest.raises(
        InvalidInput, match="'Date Reported': the made_on column is missing from sheet 'Reports'"
    ):
        reports_from_xlsx(data, columns={**columns, "made_on": "Date Reported"})


def test_sheets_headers_and_stray_cells() -> None:
    """An unknown sheet is named with the sheets; a bad header is refused; a stray cell is a row problem."""
    data = workbook([HEADER], extra="Notes")
    with pytest.raises(
        InvalidInput, match=r"sheet='Reprts': is not a sheet of the workbook; did you mean 'Reports'"
    ):
        read_xlsx(data, sheet="Reprts")
    assert read_xlsx(data, sheet="Notes").header == ()
    with pytest.raises(InvalidInput, match="sheet 'Reports', cell B1: the column has no name"):
        read_xlsx(workbook([["id", None, "matter"]]))
    with pytest.raises(InvalidInput, match="sheet 'Reports', cell C1: names a column already named"):
        read_xlsx(workbook([["id", "matter", "matter"]]))
    sheet = read_xlsx(workbook([[], ["id", "reporter"], ["R1", "P1"], [None, None], ["R2", "P2", "extra"]]))
    assert sheet.first == 2
    assert [number for number, _ in sheet.rows] == [1, 3]
    problem = sheet.rows[1][1]
    assert str(problem) == (
        "row 3: row='extra': has a value in column C, which has no header (sheet 'Reports', cell C5)"
    )


def test_not_a_workbook_is_named() -> None:
    """Bytes that are not an .xlsx workbook are refused as such."""
    with pytest.raises(InvalidInput, match=r"is not an \.xlsx workbook"):
        read_xlsx(b"id,reporter\n")


def test_the_example_workbook_is_what_its_script_writes(tmp_path: Path) -> None:
    """examples/exports/council-cases.xlsx holds exactly what tools/example_workbook.py makes of the CSV."""
    made = tool().workbook((EXPORTS / "council-cases.csv").read_text(encoding="utf-8"))
    made.save(tmp_path / "made.xlsx")
    for path in (tmp_path / "made.xlsx", EXPORTS / "council-cases.xlsx"):
        assert path.stat().st_size < 10_000
    committed = openpyxl.load_workbook(EXPORTS / "council-cases.xlsx")
    fresh = openpyxl.load_workbook(tmp_path / "made.xlsx")
    assert committed.sheetnames == fresh.sheetnames == ["Cases"]
    assert list(committed["Cases"].values) == list(fresh["Cases"].values)


def test_the_workbook_decides_as_the_csv_does(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """One export as CSV and as a workbook gives the same decisions; the workbook's error names the cell."""
    mapping = str(COLUMNS / "council-cms.toml")
    assert (
        cli.main(
            ["check", str(EXPORTS / "council-cases.csv"), "--columns", mapping, "--out", str(tmp_path / "a")]
        )
        == 2
    )
    capsys.readouterr()
    assert (
        cli.main(
            ["check", str(EXPORTS / "council-cases.xlsx"), "--columns", mapping, "--out", str(tmp_path / "b")]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "sheet 'Cases' row 6: made_on='2026-02-03'" in err
    assert "(sheet 'Cases', cell I7)" in err

    def decided(folder: Path) -> list[tuple[str, str, str]]:
        rows = csv.DictReader(io.StringIO((folder / "summary.csv").read_text(encoding="utf-8")))
        return [(r["application"], r["outcome"], r["matched"]) for r in rows]

    assert decided(tmp_path / "a") == decided(tmp_path / "b")
    for name in ("CT-101.json", "CT-102.json"):
        assert (tmp_path / "a" / name).read_text(encoding="utf-8") == (tmp_path / "b" / name).read_text(
            encoding="utf-8"
        )


def test_sweep_reads_a_workbook_as_its_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """sweep over a workbook of reports prints what it prints for the same reports as CSV."""
    text = (EXPORTS / "police-occurrences.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()]
    path = tmp_path / "occurrences.xlsx"
    path.write_bytes(workbook(rows, title="ASB"))
    mapping = str(COLUMNS / "police-rms.toml")
    assert cli.main(["sweep", str(EXPORTS / "police-occurrences.csv"), "--columns", mapping]) == 0
    from_csv = capsys.readouterr().out
    assert cli.main(["sweep", str(path), "--columns", mapping, "--sheet", "ASB"]) == 0
    assert capsys.readouterr().out == from_csv


def test_a_formula_without_a_saved_value_is_an_empty_cell() -> None:
    """A formula is read as the value saved with it; saved without one, a required cell is an error."""
    data = workbook([HEADER, ["R1", "=A1", "M1", dt.date(2025, 10, 1), dt.date(2025, 10, 2), None]])
    with pytest.raises(InvalidRow, match=r"row 1: reporter=None: is required \(sheet 'Reports', cell B2\)"):
        reports_from_xlsx(data)
