"""Real exports in: saved column mappings, spreadsheets, and tables of applications.

Council and police systems export reports under their own column names, with
UK dates and often as a spreadsheet.  This module reads them without guessing:

* a **column mapping** (:class:`ColumnMapping`, read from a small TOML file by
  :func:`load_mapping`) says which of the export's columns holds each of the
  library's fields, and how its dates are written;
* :func:`read_xlsx` reads one sheet of an ``.xlsx`` workbook into numbered
  records (openpyxl, the ``xlsx`` extra), and :func:`reports_from_xlsx` makes
  a :class:`~asb_case_review.analysis.table.ReportTable` of it, naming the
  sheet and cell of any bad value;
* :func:`applications_from_table` groups a table of reports with an
  ``application`` column into applications, so that many can be decided at
  once; an application with a bad row is returned as :class:`Unread`, naming
  the rows, and the others are still built.

The library never opens files: the caller passes text or bytes it read.

A mapping file::

    # Reports exported from the case-management system's "ASB incidents" report.
    source = "Example CMS export"
    date_format = "day-first"
    sheet = "Incidents"

    [columns]
    id = "Incident Ref"
    reporter = "Reporter ID"
    matter = "Case Ref"
    began_on = "Incident Date"
    made_on = "Date Reported"
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final

import attrs

from .._limits import MAX_DATA_DEPTH, MAX_DIGITS, MAX_WORKBOOK
from .._readers import (
    DATE_FORMATS,
    DateFormat,
    FileReader,
    check_date_format,
    row_day,
    row_text,
    unknown,
)
from ..errors import CaseReviewError, InvalidInput, InvalidRow
from ..models import Application, Fact
from .table import (
    _REQUIRED,
    FIELDS,
    OnError,
    ReportTable,
    RowProblem,
    _Builder,
    _mapping,
    _Renamed,
)

__all__ = [
    "APPLICATION_FIELDS",
    "MAPPING_FIELDS",
    "ColumnMapping",
    "Sheet",
    "Unread",
    "applications_from_table",
    "load_mapping",
    "read_xlsx",
    "reports_from_xlsx",
    "with_facts",
]

APPLICATION_FIELDS: Final = ("application", "applicant", "applied_on")
"""The columns that make a table of reports a table of applications: its id, who applied, and when."""

MAPPING_FIELDS: Final = (*FIELDS, *APPLICATION_FIELDS)
"""Every field a column mapping may name."""

_MAPPING_KEYS: Final = ("source", "date_format", "sheet", "columns")


def _pairs(columns: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(columns, Mapping):
        raise InvalidInput("columns", columns, "must map the library's fields to the export's column names")
    for field in columns:
        if not isinstance(field, str):
            raise InvalidInput("columns", field, "is not a field: fields are named by text")
    return tuple(sorted(dict(columns).items()))


def _optional_text(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidInput(attribute.name, value, "must be a non-empty string, or None")


@attrs.frozen
class ColumnMapping:
    """Which column of an export holds each field, how its dates are written, and which sheet to read.

    >>> m = ColumnMapping({"id": "Ref"}, date_format="day-first")
    >>> m.names["id"], m.names["reporter"], m.date_format
    ('Ref', 'reporter', 'day-first')
    """

    columns: tuple[tuple[str, str], ...] = attrs.field(converter=_pairs)
    date_format: DateFormat = attrs.field(default="iso", kw_only=True, converter=check_date_format)
    sheet: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    source: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)

    @columns.validator
    def _known(self, _: object, pairs: tuple[tuple[str, str], ...]) -> None:
        for field, column in pairs:
            if field not in MAPPING_FIELDS:
                raise InvalidInput("columns", field, unknown("a field", field, MAPPING_FIELDS))
            if not isinstance(column, str) or not column.strip():
                raise InvalidInput(f"columns.{field}", column, "must be a column name (a non-empty string)")
        taken: dict[str, str] = {}
        for field, column in pairs:
            if column in taken:
                raise InvalidInput(
                    f"columns.{field}", column, f"is already the column of {taken[column]}: one field each"
                )
            taken[column] = field
        # A field left unmapped reads the column of its own name: a column mapped to another field
        # would then be read twice, as both (``id = "reporter"``), and is refused.
        mapped = dict(pairs)
        for field in MAPPING_FIELDS:
            if field not in mapped and field in taken:
                raise InvalidInput(
                    f"columns.{taken[field]}",
                    field,
                    f"is also the column of {field}, which is not mapped elsewhere: one field each",
                )

    @property
    def names(self) -> dict[str, str]:
        """The export's column name for every field (a field not mapped keeps its own name)."""
        return {**{f: f for f in MAPPING_FIELDS}, **dict(self.columns)}

    @property
    def report_columns(self) -> dict[str, str]:
        """The mapping of the report fields alone, as the report readers take it (``columns=``)."""
        return {f: c for f, c in self.columns if f in FIELDS}

    def updated(
        self, columns: Mapping[str, str], *, date_format: DateFormat | None = None, sheet: str | None = None
    ) -> ColumnMapping:
        """The mapping with *columns* (and a date format or sheet, when given) taking precedence."""
        return ColumnMapping(
            {**dict(self.columns), **columns},
            date_format=self.date_format if date_format is None else date_format,
            sheet=self.sheet if sheet is None else sheet,
            source=self.source,
        )


def load_mapping(text: str, *, file: str = "<columns>") -> ColumnMapping:
    r"""A :class:`ColumnMapping` from the text of a mapping file (TOML); errors name the file and key.

    >>> load_mapping("[columns]\nid = 'Ref'").names["id"]
    'Ref'
    >>> load_mapping("[columns]\nreport = 'Ref'", file="cms.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidPolicyFile: cms.toml: columns.report='Ref': is not a key of ...
    """
    reader = FileReader(file)
    if not isinstance(text, str):
        raise reader.fail("", None, f"must be given text (str), not {type(text).__name__}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise reader.fail("", None, f"is not valid TOML: {error}") from None
    except RecursionError:
        raise reader.fail("", None, f"is not valid TOML: nests more than {MAX_DATA_DEPTH} deep") from None
    except ValueError:
        # tomllib reads integers with int(), which refuses more digits than Python's limit.
        raise reader.fail(
            "", None, f"is not valid TOML: a number has more than {MAX_DIGITS:,} digits"
        ) from None
    reader.table(data, "", _MAPPING_KEYS, "a column mapping")
    columns = reader.table(data.get("columns", {}), "columns", MAPPING_FIELDS, "a report or application")
    for field, column in columns.items():
        reader.text(column, f"columns.{field}")
    date_format = data.get("date_format", "iso")
    if date_format not in DATE_FORMATS:
        raise reader.fail(
            "date_format", date_format, unknown("a date format", str(date_format), DATE_FORMATS)
        )
    try:
        return ColumnMapping(
            columns,
            date_format=date_format,
            sheet=reader.optional_text(data, "sheet", ""),
            source=reader.optional_text(data, "source", ""),
        )
    except InvalidInput as error:
        raise reader.fail(error.field, error.value, error.problem) from None


# ------------------------------------------------------------------ spreadsheets


def _column_letter(index: int) -> str:
    """The spreadsheet's letters for the 0-based column *index*: A, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@attrs.frozen
class Sheet:
    """One sheet of a workbook: its header and each later row, numbered from 1 after the header.

    ``first`` is the spreadsheet's own number of the header row, so that row
    *n* is the spreadsheet's row ``first + n``.
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, object] | RowProblem], ...]
    first: int = 1

    def cell(self, row: int, column: str) -> str:
        """Where the value of *column* in data row *row* sits, as the spreadsheet names it.

        >>> Sheet("Reports", ("id", "reporter", "made_on"), ()).cell(3, "made_on")
        "sheet 'Reports', cell C4"
        """
        if column in self.header:
            return f"sheet {self.name!r}, cell {_column_letter(self.header.index(column))}{self.first + row}"
        return f"sheet {self.name!r}, spreadsheet row {self.first + row}"


def _cell_value(value: object) -> object:
    # A whole number typed into a spreadsheet is stored as a float: 1001.0 is the id 1001.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def read_xlsx(data: bytes, *, sheet: str | None = None) -> Sheet:
    """The sheet named *sheet* (default: the first) of the ``.xlsx`` workbook *data*.

    The first row with any value is the header; empty rows are skipped but keep
    their number.  A value in a column with no header is a problem of its row,
    never dropped, and so is a cell holding a spreadsheet error (``#N/A``).  A
    formula gives the value saved with it (a workbook saved without values gives
    empty cells).  Every row is read, whatever size the sheet records; a
    workbook that would unzip to more than 1 GiB is refused.  Needs openpyxl
    (the ``xlsx`` extra).
    """
    try:
        import openpyxl  # noqa: PLC0415 - the xlsx extra, only for spreadsheets
    except ImportError as error:
        raise ImportError(
            "reading .xlsx needs openpyxl: pip install 'asb-case-review[xlsx]'", name=error.name
        ) from None
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput("data", data, "must be the bytes of an .xlsx workbook")
    if sheet is not None and not isinstance(sheet, str):
        raise InvalidInput("sheet", sheet, "must be the name of a sheet (text), or None for the first")
    _expanded(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(
            "workbook", "<bytes>", f"is not an .xlsx workbook ({type(error).__name__})"
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            name = names[0]
        elif sheet in names:
            name = sheet
        else:
            raise InvalidInput("sheet", sheet, unknown("a sheet of the workbook", sheet, names))
        worksheet = book[name]
        # Read-only mode trusts the sheet's recorded dimensions, and silently stops at them; some
        # writers record them wrongly (too small), so they are ignored and every row is read.
        worksheet.reset_dimensions()
        values = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    except CaseReviewError:
        raise
    except Exception as error:  # noqa: BLE001 - the sheet's XML is parsed as it is read, and may be broken
        raise InvalidInput(
            "workbook", "<bytes>", f"is not an .xlsx workbook ({type(error).__name__})"
        ) from None
    finally:
        book.close()
    return _sheet(name, values)


def _expanded(data: bytes) -> None:
    """Refuse a workbook that would expand to more than :data:`MAX_WORKBOOK` bytes (a zip bomb).

    A zip file records each member's size, and Python's reader never gives more
    than that: the sum is what reading the workbook could cost.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip file at all: openpyxl names it so below
    if size > MAX_WORKBOOK:
        raise InvalidInput(
            "workbook", "<bytes>", f"expands to {size:,} bytes, more than the limit of {MAX_WORKBOOK:,}"
        )


_ERRORS: Final = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
"""The values a spreadsheet gives a formula that failed (openpyxl's ``ERROR_CODES``)."""


def _sheet(name: str, values: list[tuple[object, ...]]) -> Sheet:
    start = next((i for i, row in enumerate(values) if any(v not in (None, "") for v in row)), None)
    if start is None:
        return Sheet(name, (), ())
    cells = list(values[start])
    while cells and cells[-1] in (None, ""):
        cells.pop()
    header: list[str] = []
    for index, cell in enumerate(cells):
        where = f"sheet {name!r}, cell {_column_letter(index)}{start + 1}"
        text = "" if cell is None else str(cell).strip()
        if not text:
            raise InvalidInput("header", cell, f"{where}: the column has no name")
        if text in header:
            raise InvalidInput("header", text, f"{where}: names a column already named")
        header.append(text)
    rows: list[tuple[int, Mapping[str, object] | RowProblem]] = []
    for number, row in enumerate(values[start + 1 :], start=1):
        if all(v in (None, "") for v in row):
            continue
        extra = [i for i, v in enumerate(row) if i >= len(header) and v not in (None, "")]
        failed = [i for i, v in enumerate(row) if isinstance(v, str) and v in _ERRORS]
        if failed:
            # A formula that failed (#N/A, #REF!) holds no value; read as text it would be an id.
            cell = f"sheet {name!r}, cell {_column_letter(failed[0])}{start + 1 + number}"
            problem = f"is a spreadsheet error, not a value ({cell})"
            rows.append((number, RowProblem(number, "row", row[failed[0]], problem)))
            continue
        if extra:
            column = _column_letter(extra[0])
            cell = f"sheet {name!r}, cell {column}{start + 1 + number}"
            problem = f"has a value in column {column}, which has no header ({cell})"
            rows.append((number, RowProblem(number, "row", row[extra[0]], problem)))
            continue
        rows.append((number, {h: _cell_value(v) for h, v in zip(header, row, strict=False)}))
    return Sheet(name, tuple(header), tuple(rows), first=start + 1)


def _placed(problem: RowProblem, sheet: Sheet, names: Mapping[str, str]) -> RowProblem:
    if problem.field == "row":
        return problem
    where = sheet.cell(problem.row, names.get(problem.field, problem.field))
    return RowProblem(problem.row, problem.field, problem.value, f"{problem.problem} ({where})")


def reports_from_xlsx(
    data: bytes,
    *,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    on_error: OnError = "stop",
    date_format: DateFormat = "iso",
) -> ReportTable:
    """A report table from one sheet of an ``.xlsx`` workbook, as :func:`~.table.reports_from_records`.

    Date cells are dates whatever *date_format* says; dates typed as text are
    read in *date_format*.  Every error names the sheet, row and cell.
    """
    read = read_xlsx(data, sheet=sheet)
    names = _mapping(columns)
    for field in sorted(_REQUIRED):
        if names[field] not in read.header:
            raise InvalidInput(
                "columns", names[field], f"the {field} column is missing from sheet {read.name!r}"
            )
    builder = _Builder(on_error, date_format)
    try:
        for number, record in read.rows:
            if isinstance(record, RowProblem):
                builder.problem(record)
            else:
                builder.add(number, _Renamed(record, names))
    except InvalidRow as error:
        placed = _placed(RowProblem(error.row, error.field, error.value, error.problem), read, names)
        raise InvalidRow(placed.row, placed.field, placed.value, placed.problem) from None
    table = builder.table()
    return attrs.evolve(table, problems=tuple(_placed(p, read, names) for p in table.problems))


# ------------------------------------------------------------------ tables of applications


@attrs.frozen
class Unread:
    """An application that could not be read, and where: ``rows 3, 4``, ``line 7``, a file name."""

    where: str
    id: str | None
    problem: str

    def __str__(self) -> str:
        named = "" if self.id is None else f" (application {self.id})"
        return f"{self.where}{named}: {self.problem}"


def with_facts(application: Application, facts: Mapping[Fact, bool]) -> Application:
    """*application* with *facts* added; a fact it already records differently is an error.

    >>> from asb_case_review.examples import example_application
    >>> with_facts(example_application(), {Fact.NO_ACTION_TAKEN: True}).fact(Fact.NO_ACTION_TAKEN)
    True
    """
    if not isinstance(application, Application):
        raise InvalidInput("application", application, "must be an Application")
    facts = _facts_of(facts)
    own = dict(application.facts)
    for fact, value in facts.items():
        if fact in own and own[fact] != value:
            raise InvalidInput(
                f"facts.{fact.value}", own[fact], f"the application records it; --fact says {value}"
            )
    return attrs.evolve(application, facts=(own | dict(facts)).items())


def _facts_of(facts: object) -> dict[Fact, bool]:
    """*facts* as case facts: a mapping of each fact (or its name) to true or false, else refused by name."""
    if not isinstance(facts, Mapping):
        raise InvalidInput("facts", facts, "must map case facts to true or false")
    known = {fact.value: fact for fact in Fact}
    found: dict[Fact, bool] = {}
    for key, value in facts.items():
        fact = key if isinstance(key, Fact) else known.get(key) if isinstance(key, str) else None
        if fact is None:
            raise InvalidInput("facts", key, unknown("a case fact", str(key), known))
        if not isinstance(value, bool):
            raise InvalidInput(f"facts.{fact.value}", value, "must be true or false")
        found[fact] = value
    return found


def _numbered(rows: Iterable[object]) -> Iterator[tuple[int, Mapping[str, object] | RowProblem]]:
    """*rows*, checked to be numbered records as :func:`~.table.csv_records` gives them."""
    if isinstance(rows, str | bytes) or not isinstance(rows, Iterable):
        raise InvalidInput("rows", rows, "must be numbered rows: (number, record) pairs")
    for item in rows:
        if not (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], int)
            and isinstance(item[1], Mapping | RowProblem)
        ):
            raise InvalidInput("rows", item, "must be numbered rows: (number, record) pairs")
        yield item


def applications_from_table(
    header: Iterable[str],
    rows: Iterable[tuple[int, Mapping[str, object] | RowProblem]],
    *,
    columns: Mapping[str, str] | None = None,
    date_format: DateFormat = "iso",
    facts: Mapping[Fact, bool] | None = None,
    sheet: Sheet | None = None,
) -> list[tuple[str, Application | Unread]]:
    """The applications in a table of reports with ``application``, ``applicant`` and ``applied_on`` columns.

    Each row is one report of the application its ``application`` cell names;
    every row of an application gives the same applicant, application date
    (``applied_on``) and matter.  An application with any bad row, or whose
    rows disagree, is an :class:`Unread` naming the rows; a row whose
    application cannot be read is one of its own.  *rows* are numbered rows
    (:func:`~.table.csv_records`, :attr:`Sheet.rows`).  *facts* are assumed for
    every application.  With *sheet* (the rows' :class:`Sheet`), each problem
    also names its cell.  Each is given with its rows (``rows 3, 4``), in the
    order of their first rows.

    >>> header = ("application", "applicant", "applied_on", "id", "reporter", "matter", "began_on",
    ...           "made_on")
    >>> rows = [(1, dict(zip(header, ["A1", "P1", "2025-11-01", "R1", "P1", "M1", "2025-10-01",
    ...                                "2025-10-02"]))),
    ...         (2, dict(zip(header, ["A2", "P2", "2025-11-01", "R2", "P2", "M2", "2025-10-09",
    ...                                "2025-10-01"])))]
    >>> for where, found in applications_from_table(header, rows):
    ...     print(where, "|", found if isinstance(found, Unread) else found.id)
    row 1 | A1
    row 2 | row 2 (application A2): made_on='2025-10-01': is before the behaviour began (2025-10-09)
    """
    names = ColumnMapping(columns or {}, date_format=date_format).names
    if isinstance(header, str | bytes) or not isinstance(header, Iterable):
        raise InvalidInput("header", header, "must be the table's column names")
    if sheet is not None and not isinstance(sheet, Sheet):
        raise InvalidInput("sheet", sheet, "must be the rows' Sheet (read_xlsx), or None")
    facts = _facts_of(facts or {})
    present = set(header)
    for field in (*APPLICATION_FIELDS, *sorted(_REQUIRED)):
        if names[field] not in present:
            raise InvalidInput("columns", names[field], f"the {field} column is missing from the table")
    groups: dict[str, list[tuple[int, Mapping[str, object]]]] = {}
    found: list[tuple[str, Application | Unread]] = []
    order: list[str | Unread] = []
    for number, record in _numbered(rows):
        if isinstance(record, RowProblem):
            order.append(Unread(f"row {number}", None, f"{record.field}={record.value!r}: {record.problem}"))
            continue
        try:
            ident = row_text(number, "application", record.get(names["application"]), required=True)
        except InvalidRow as error:
            order.append(Unread(f"row {number}", None, _problem(error)))
            continue
        assert ident is not None
        if ident not in groups:
            groups[ident] = []
            order.append(ident)
        groups[ident].append((number, record))
    for entry in order:
        if isinstance(entry, Unread):
            found.append((entry.where, entry))
        else:
            numbers = [n for n, _ in groups[entry]]
            where = f"row {numbers[0]}" if len(numbers) == 1 else f"rows {', '.join(map(str, numbers))}"
            place = _placer(sheet, names)
            found.append(
                (
                    where,
                    _application(entry, groups[entry], names, date_format, dict(facts or {}), place=place),
                )
            )
    return found


def _placer(sheet: Sheet | None, names: Mapping[str, str]) -> Callable[[int, str, str], str]:
    """A function giving a row's problem with the cell it is in, when the rows are a sheet's."""

    def place(row: int, field: str, problem: str) -> str:
        if sheet is None:
            return problem
        return f"{problem} ({sheet.cell(row, names.get(field, field))})"

    return place


def _at_row(row: int, problem: str, numbers: list[int]) -> str:
    """*problem*, led by its row number when the application has more than one row."""
    return problem if len(numbers) == 1 else f"row {row}: {problem}"


def _problem(error: InvalidRow) -> str:
    return str(error).partition(": ")[2]


def _application(
    ident: str,
    rows: list[tuple[int, Mapping[str, object]]],
    names: Mapping[str, str],
    date_format: DateFormat,
    facts: Mapping[Fact, bool],
    *,
    place: Callable[[int, str, str], str],
) -> Application | Unread:
    numbers = [n for n, _ in rows]
    where = f"row {numbers[0]}" if len(numbers) == 1 else f"rows {', '.join(map(str, numbers))}"
    builder = _Builder("skip", date_format)
    seen: dict[str, tuple[int, object]] = {}
    try:
        for number, record in rows:
            for field in ("applicant", "matter"):
                value = row_text(number, field, record.get(names[field]), required=True)
                _agree(seen, field, number, value)
            applied = row_day(number, "applied_on", record.get(names["applied_on"]), required=True,
                              date_format=date_format)  # fmt: skip
            _agree(seen, "applied_on", number, applied)
            builder.add(number, _Renamed(record, {f: names[f] for f in FIELDS}))
    except InvalidRow as error:
        return Unread(
            where, ident, _at_row(error.row, place(error.row, error.field, _problem(error)), numbers)
        )
    if builder.problems:
        said = (
            _at_row(p.row, place(p.row, p.field, str(p).partition(": ")[2]), numbers)
            for p in builder.problems
        )
        return Unread(where, ident, "; ".join(said))
    table = builder.table()
    applied_on = seen["applied_on"][1]
    assert isinstance(applied_on, dt.date)
    try:
        application = Application(
            ident,
            applicant=str(seen["applicant"][1]),
            made_on=applied_on,
            matter=str(seen["matter"][1]),
            reports=table.to_reports(),
        )
        return with_facts(application, facts)
    except CaseReviewError as error:  # pragma: no cover - each row was checked as the models check it
        # A check the models gain later names this application rather than stopping the batch.
        return Unread(where, ident, str(error))


def _agree(seen: dict[str, tuple[int, object]], field: str, number: int, value: object) -> None:
    """Record *value* of *field*, or fail if an earlier row of the application gave another."""
    if field not in seen:
        seen[field] = (number, value)
        return
    first, earlier = seen[field]
    if earlier != value:
        raise InvalidRow(number, field, value, f"row {first} of the same application gives {earlier!s}")
