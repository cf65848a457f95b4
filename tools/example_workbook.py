"""Write examples/exports/council-cases.xlsx, the spreadsheet form of council-cases.csv.

    python tools/example_workbook.py

The workbook is what a council's export looks like when opened and saved in a
spreadsheet program: one sheet, "Cases", whose date columns hold real date
cells, except where the text could not be read as a UK date (those stay text,
so the example still shows the error the library gives for them) and one cell
typed as text ("5/2/2026"), which the library reads under the day-first format.
tests/test_intake_xlsx.py checks that the committed workbook holds exactly what
this script writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "examples" / "exports" / "council-cases.csv"
TARGET = SOURCE.with_suffix(".xlsx")
DATE_COLUMNS = ("Date Received", "Incident Date", "Date Reported")
KEPT_AS_TEXT = ("R-1003", "Date Reported")
"""One date typed as text, as people do: the library reads it under --date-format day-first."""


def _cell(column: str, text: str, report: str) -> object:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if column in DATE_COLUMNS and match and (report, column) != KEPT_AS_TEXT:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    return text


def rows(csv_text: str) -> list[list[object]]:
    """The header and the cells of each row, dates as dates."""
    header, *body = list(csv.reader(io.StringIO(csv_text)))
    record = header.index("Report No")
    return [list(header)] + [[_cell(c, v, line[record]) for c, v in zip(header, line, strict=True)] for line in body]


def workbook(csv_text: str) -> Any:
    """The workbook of *csv_text* (openpyxl), with fixed properties."""
    import openpyxl  # noqa: PLC0415 - the xlsx extra

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cases"
    for row in rows(csv_text):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    fixed = dt.datetime(2026, 1, 1)  # noqa: DTZ001 - workbook metadata, not a date the library reads
    book.properties.created = book.properties.modified = fixed
    book.properties.creator = "asb-case-review tools/example_workbook.py"
    return book


def main() -> None:
    workbook(SOURCE.read_text(encoding="utf-8")).save(TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
