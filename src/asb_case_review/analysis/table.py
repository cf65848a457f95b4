"""Batch input: a table of reports from CSV, records or a pandas DataFrame.

A :class:`ReportTable` holds one column per field, as plain tuples, so that a
national year of reports fits in memory without a million model objects.
Every row is checked as :class:`~asb_case_review.models.Report` would check
it; a bad row is either the end of the load (``on_error="stop"``, raising
:class:`~asb_case_review.errors.InvalidRow`) or is left out and listed in
``ReportTable.problems`` with its row number (``on_error="skip"``).  No row is
ever dropped silently.

Rows are numbered from 1, the header not counted: row 1 is the first data row
(line 2 of a CSV file with a header).

>>> rows = ["id,reporter,matter,began_on,made_on",
...         "R1,P1,M1,2025-10-01,2025-10-02",
...         "R2,P2,M1,2025-10-09,2025-10-01"]
>>> table = reports_from_csv(rows, on_error="skip")
>>> len(table), table.problems[0].row, table.problems[0].field
(1, 2, 'made_on')
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, Literal

import attrs

from .._limits import MAX_LINE, Unreadable, decode
from .._readers import DateFormat, check_date_format, row_day, row_text
from ..errors import InvalidInput, InvalidRow, shown
from ..models import Agency, Application, Fact, Incident, Report

__all__ = [
    "FIELDS",
    "DateFormat",
    "OnError",
    "Reader",
    "ReportTable",
    "RowProblem",
    "csv_lines",
    "reports_from_csv",
    "reports_from_dataframe",
    "reports_from_records",
    "table_from_reports",
]

OnError = Literal["stop", "skip"]
Reader = Literal["auto", "python", "pandas"]
"""Which reader builds a table: ``auto`` (pandas when installed), ``python``, or ``pandas``."""

FIELDS: Final = (
    "id",
    "reporter",
    "household",
    "matter",
    "incident",
    "began_on",
    "ended_on",
    "made_on",
    "agency",
    "kind",
    "hate",
)
"""The library's names for the columns of a report table, in order."""

_REQUIRED: Final = frozenset({"id", "reporter", "matter", "began_on", "made_on"})
_AGENCIES: Final = {a.value: a for a in Agency}
_TRUE: Final = frozenset({"true", "yes", "y", "1", "t"})
_FALSE: Final = frozenset({"false", "no", "n", "0", "f", ""})


@attrs.frozen
class RowProblem:
    """A row that was left out of a table, and why."""

    row: int
    field: str
    value: object
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}={shown(self.value)}: {self.problem}"


@attrs.frozen(eq=False)
class ReportTable:
    """Reports as columns of plain values, one entry per row kept.

    ``incident`` defaults to the report id (each report its own incident);
    ``agency`` to ``other``; ``kind`` to ``complaint``; ``hate`` to false.
    Dates are :class:`datetime.date`.  ``rows`` gives the source row number of
    each entry.
    """

    id: tuple[str, ...]
    reporter: tuple[str, ...]
    household: tuple[str | None, ...]
    matter: tuple[str, ...]
    incident: tuple[str, ...]
    began_on: tuple[dt.date, ...]
    ended_on: tuple[dt.date | None, ...]
    made_on: tuple[dt.date, ...]
    agency: tuple[Agency, ...]
    kind: tuple[str, ...]
    hate: tuple[bool, ...]
    rows: tuple[int, ...]
    problems: tuple[RowProblem, ...] = ()
    _encoded: Mapping[str, Any] | None = attrs.field(default=None, repr=False, kw_only=True)
    """The columns as numpy arrays, when the pandas reader built them (the numpy sweep reuses them)."""

    def __len__(self) -> int:
        return len(self.id)

    def records(self) -> Iterator[dict[str, Any]]:
        """Each row as a plain mapping of the library's field names to values."""
        columns = [getattr(self, name) for name in FIELDS]
        for values in zip(*columns, strict=True):
            yield dict(zip(FIELDS, values, strict=True))

    def to_reports(self) -> tuple[Report, ...]:
        """The rows as :class:`~asb_case_review.models.Report` values (slow for millions)."""
        incidents: dict[str, Incident] = {}
        reports: list[Report] = []
        for i in range(len(self)):
            incident = incidents.get(self.incident[i])
            if incident is None:
                incident = Incident(
                    self.incident[i],
                    matter=self.matter[i],
                    began_on=self.began_on[i],
                    ended_on=self.ended_on[i],
                    hate=self.hate[i],
                )
                incidents[incident.id] = incident
            reports.append(
                Report(
                    self.id[i],
                    reporter=self.reporter[i],
                    made_on=self.made_on[i],
                    incident=incident,
                    agency=self.agency[i],
                    kind=self.kind[i],
                    household=self.household[i],
                )
            )
        return tuple(reports)

    def application(
        self,
        applicant: str,
        matter: str,
        made_on: dt.date,
        *,
        reports: Iterable[Report] | None = None,
        facts: Mapping[Fact, bool] | None = None,
    ) -> Application:
        """The application *applicant* would make about *matter* on *made_on*, with the matter's reports.

        *facts* are the case facts assumed for it (none: every fact unknown).

        This is the application every sweep answers for; pass *reports* (from
        :meth:`to_reports`) to avoid rebuilding them on every call.
        """
        pool = self.to_reports() if reports is None else reports
        kept = tuple(r for r in pool if r.incident.matter == matter)
        return Application(
            f"what-if:{applicant}:{matter}:{made_on.isoformat()}",
            applicant=applicant,
            made_on=made_on,
            matter=matter,
            reports=kept,
            facts=dict(facts or {}).items(),
        )


def flag(row: int, value: object) -> bool:
    """The hate flag in a cell: a bool, or true/false, yes/no, 1/0 in words."""
    if isinstance(value, bool):
        return value
    text = (row_text(row, "hate", value, required=False) or "").lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidRow(row, "hate", value, "must be true or false (yes/no, 1/0)")


INCIDENT_CONFLICT: Final = "is given by an earlier row with a different matter, behaviour dates or hate flag"
_DAY_FIRST: Final = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def check_options(on_error: object, date_format: object) -> None:
    """Refuse an unknown ``on_error`` or ``date_format`` by name."""
    if on_error not in ("stop", "skip"):
        raise InvalidInput("on_error", on_error, "must be 'stop' or 'skip'")
    check_date_format(date_format)


def cell_day(
    row: int, field: str, value: object, *, required: bool, date_format: DateFormat
) -> dt.date | None:
    """The day in a cell written as *date_format* says, or :class:`InvalidRow` naming row and field."""
    return row_day(row, field, value, required=required, date_format=date_format)


def incident_facts(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """What every row naming one incident must agree on."""
    return (values["matter"], values["began_on"], values["ended_on"], values["hate"])


def check_row(row: int, get: Mapping[str, object], date_format: DateFormat = "iso") -> dict[str, Any]:
    """One row's values, checked as the models check them, or :class:`InvalidRow` for the first bad field.

    Only what the row itself shows is checked here: a repeated id or an
    incident given differently by an earlier row is the table's to find.
    """
    report_id = row_text(row, "id", get.get("id"), required=True)
    assert report_id is not None
    reporter = row_text(row, "reporter", get.get("reporter"), required=True)
    matter = row_text(row, "matter", get.get("matter"), required=True)
    household = row_text(row, "household", get.get("household"), required=False)
    incident = row_text(row, "incident", get.get("incident"), required=False) or report_id
    began = cell_day(row, "began_on", get.get("began_on"), required=True, date_format=date_format)
    ended = cell_day(row, "ended_on", get.get("ended_on"), required=False, date_format=date_format)
    made = cell_day(row, "made_on", get.get("made_on"), required=True, date_format=date_format)
    assert began is not None
    assert made is not None
    if ended is not None and ended < began:
        raise InvalidRow(row, "ended_on", get.get("ended_on"), f"is before began_on={began.isoformat()}")
    if made < began:
        raise InvalidRow(
            row, "made_on", get.get("made_on"), f"is before the behaviour began ({began.isoformat()})"
        )
    agency_text = (row_text(row, "agency", get.get("agency"), required=False) or "other").lower()
    agency = _AGENCIES.get(agency_text)
    if agency is None:
        raise InvalidRow(row, "agency", get.get("agency"), f"must be one of {', '.join(_AGENCIES)}")
    kind = row_text(row, "kind", get.get("kind"), required=False) or "complaint"
    hate = flag(row, get.get("hate"))
    return {
        "id": report_id,
        "reporter": reporter,
        "household": household,
        "matter": matter,
        "incident": incident,
        "began_on": began,
        "ended_on": ended,
        "made_on": made,
        "agency": agency,
        "kind": kind,
        "hate": hate,
        "rows": row,
    }


class _Builder:
    """Collects rows into columns, checking each as the models would."""

    def __init__(self, on_error: OnError, date_format: DateFormat = "iso") -> None:
        check_options(on_error, date_format)
        self.on_error = on_error
        self.date_format = date_format
        self.columns: dict[str, list[Any]] = {name: [] for name in (*FIELDS, "rows")}
        self.problems: list[RowProblem] = []
        self.ids: set[str] = set()
        self.incidents: dict[str, tuple[str, dt.date, dt.date | None, bool]] = {}

    def problem(self, problem: RowProblem) -> None:
        """Record a row that could not be read at all."""
        if self.on_error == "stop":
            raise InvalidRow(problem.row, problem.field, problem.value, problem.problem)
        self.problems.append(problem)

    def add(self, row: int, get: Mapping[str, object]) -> None:
        try:
            values = self._check(row, get)
        except InvalidRow as error:
            if self.on_error == "stop":
                raise
            self.problems.append(RowProblem(row, error.field, error.value, error.problem))
            return
        self.ids.add(values["id"])
        self.incidents.setdefault(values["incident"], incident_facts(values))
        for name, value in values.items():
            self.columns[name].append(value)

    def _check(self, row: int, get: Mapping[str, object]) -> dict[str, Any]:
        report_id = row_text(row, "id", get.get("id"), required=True)
        if report_id in self.ids:
            raise InvalidRow(row, "id", report_id, "is used by an earlier row")
        values = check_row(row, get, self.date_format)
        known = self.incidents.get(values["incident"])
        if known is not None and known != incident_facts(values):
            raise InvalidRow(row, "incident", values["incident"], INCIDENT_CONFLICT)
        return values

    def table(self) -> ReportTable:
        cols: dict[str, Any] = {name: tuple(values) for name, values in self.columns.items()}
        return ReportTable(**cols, problems=tuple(self.problems))


def _mapping(columns: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's column names by the library's field names."""
    names = dict(zip(FIELDS, FIELDS, strict=True))
    if columns is not None and not isinstance(columns, Mapping):
        raise InvalidInput("columns", columns, "must map report fields to the table's column names")
    for field, column in (columns or {}).items():
        if field not in names:
            raise InvalidInput("columns", field, f"is not a report field; fields: {', '.join(FIELDS)}")
        if not isinstance(column, str):
            raise InvalidInput(f"columns.{field}", column, "must be a column name (a string)")
        names[field] = column
    # One column read as two fields (``id`` mapped to the reporter column, which reporter still
    # reads) would be read twice: refused, naming the field the caller mapped.
    mapped = dict(columns or {})
    for field in sorted(names, key=lambda f: f not in mapped):
        others = [f for f in names if f != field and names[f] == names[field]]
        if others:
            raise InvalidInput(
                f"columns.{field}", names[field], f"is also the column of {others[0]}: one field each"
            )
    return names


class _Renamed(Mapping[str, object]):
    """A row seen through the caller's column names."""

    def __init__(self, row: Mapping[str, object], names: Mapping[str, str]) -> None:
        self.row = row
        self.names = names

    def __getitem__(self, key: str) -> object:
        return self.row[self.names[key]]

    def get(self, key: str, default: object = None) -> object:
        return self.row.get(self.names[key], default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _check_header(header: Iterable[str], names: Mapping[str, str]) -> None:
    present = set(header)
    for field in sorted(_REQUIRED):
        if names[field] not in present:
            raise InvalidInput("columns", names[field], f"the {field} column is missing from the table")


def reports_from_records(
    records: Iterable[Mapping[str, object]],
    *,
    columns: Mapping[str, str] | None = None,
    on_error: OnError = "stop",
    date_format: DateFormat = "iso",
) -> ReportTable:
    """A table from mappings (one per row); *columns* maps field names to the caller's keys.

    Dates written as text are read in *date_format*: ``"iso"`` (``2025-01-02``)
    or ``"day-first"`` (``02/01/2025``, 2 January); the other format is an
    error naming the row, field and value.  Date values are taken as they are.

    >>> t = reports_from_records([{"ref": "R1", "who": "P1", "case": "M1",
    ...                            "began_on": "2025-10-01", "made_on": "2025-10-02"}],
    ...                          columns={"id": "ref", "reporter": "who", "matter": "case"})
    >>> t.id, t.matter, t.incident
    (('R1',), ('M1',), ('R1',))
    """
    names = _mapping(columns)
    builder = _Builder(on_error, date_format)
    if isinstance(records, str | bytes | Mapping) or not isinstance(records, Iterable):
        raise InvalidInput("records", records, "must be an iterable of mappings, one per row")
    for number, record in enumerate(records, start=1):
        if isinstance(record, Mapping):
            builder.add(number, _Renamed(record, names))
        else:
            builder.problem(RowProblem(number, "row", record, "must be a mapping of column names to values"))
    return builder.table()


_BREAK: Final = re.compile(r"\r\n|\r|\n")


def _physical_lines(source: str | bytes | Iterable[str]) -> Iterator[str]:
    """The lines of *source*, split where the csv module splits them (CR, LF, CRLF) and nowhere else.

    ``str.splitlines`` would also split at form feeds, U+0085 and U+2028,
    which may sit inside a cell: cutting the row in two would lose data.
    """
    if isinstance(source, bytes):
        try:
            source = decode(source)
        except Unreadable as error:
            raise InvalidInput("lines", "<bytes>", str(error)) from None
    if isinstance(source, str):
        text = source.removeprefix("\ufeff")
        parts = _BREAK.split(text)
        if parts and parts[-1] == "":
            parts.pop()
        yield from parts
        return
    if not isinstance(source, Iterable):
        raise InvalidInput("lines", source, "must be CSV text, bytes, or an iterable of lines")
    for index, line in enumerate(source):
        if not isinstance(line, str):
            raise InvalidInput(f"lines[{index}]", line, "must be a string (a line of CSV text)")
        parts = _BREAK.split(line.removeprefix("\ufeff") if index == 0 else line)
        if len(parts) > 1 and parts[-1] == "":
            parts.pop()
        yield from parts


def csv_lines(source: str | bytes) -> list[str]:
    r"""The lines of CSV text (or UTF-8 bytes), split where :func:`reports_from_csv` splits them.

    Only CR, LF and CRLF end a line: a form feed, U+0085 or U+2028 inside a
    cell stays in it.  Pass the list (or any iterable of its lines, such as a
    progress bar over it) to :func:`reports_from_csv`.

    >>> csv_lines("id,reporter\r\nR1,P\u20281\n")
    ['id,reporter', 'R1,P\u20281']
    """
    if not isinstance(source, str | bytes):
        raise InvalidInput("source", source, "must be CSV text or bytes")
    return list(_physical_lines(source))


def _cells(line: str, delimiter: str) -> list[str]:
    """The cells of one line; :class:`csv.Error` for a quote not closed on the line, or stray."""
    if len(line) > MAX_LINE:
        raise csv.Error(f"the line is longer than {MAX_LINE:,} characters")
    # strict: a quote left open at the end of the line, or text after a closing quote, is an
    # error here rather than a field that swallows the rows after it.
    return next(csv.reader([line], delimiter=delimiter, strict=True), [])


def _check_delimiter(delimiter: object) -> str:
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise InvalidInput("delimiter", delimiter, "must be one character other than a quote or line break")
    return delimiter


def csv_records(
    source: str | bytes | Iterable[str], *, delimiter: str = ","
) -> tuple[tuple[str, ...], Iterator[tuple[int, dict[str, str] | RowProblem]]]:
    """The header of CSV *source*, and each later row by number as a record or a :class:`RowProblem`.

    Rows are numbered from 1 after the header, by line, so that row *n* is
    line *n + 1* of the file; blank lines are skipped but keep their number.
    A row with a quote left open at its end (a stray quote), or longer than
    the line limit, or with more cells than the header, is a problem, and
    the rows after it are read as usual.  A header with a column named twice
    or not at all is an error: no row could be read from it with certainty.

    >>> header, rows = csv_records(['id,reporter', 'R1,"P1', 'R2,P2'])
    >>> for number, row in rows:
    ...     print(number, row)
    1 row 1: reporter='P1': a quoted cell is not closed on its line (a stray quote?)
    2 {'id': 'R2', 'reporter': 'P2'}
    """
    delimiter = _check_delimiter(delimiter)
    lines = _physical_lines(source)
    header: tuple[str, ...] = ()
    for line in lines:
        if line.strip():
            header = csv_header(line, delimiter)
            break

    def rows() -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield number, csv_row(number, line, header, delimiter)

    return header, rows()


def csv_header(line: str, delimiter: str) -> tuple[str, ...]:
    """The column names in the header *line*; :class:`InvalidInput` for a header not read with certainty."""
    try:
        header = tuple(_cells(line, delimiter))
    except csv.Error as error:
        raise InvalidInput("header", line, f"cannot be read: {error}") from None
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        if not name.strip():
            raise InvalidInput("header", name, f"column {index} has no name")
        if name in seen:
            raise InvalidInput("header", name, f"names columns {seen[name]} and {index}: each once")
        seen[name] = index
    return header


def csv_row(number: int, line: str, header: tuple[str, ...], delimiter: str) -> dict[str, str] | RowProblem:
    """Row *number* (a line not blank) as a record of the header's names, or the problem reading it."""
    try:
        cells = _cells(line, delimiter)
    except csv.Error as error:
        return _line_problem(number, line, header, delimiter, str(error))
    if len(cells) > len(header):
        return RowProblem(number, "row", len(cells), f"has {len(cells)} cells; the header has {len(header)}")
    return dict(zip(header, cells, strict=False))


def _line_problem(number: int, line: str, header: tuple[str, ...], delimiter: str, error: str) -> RowProblem:
    if len(line) > MAX_LINE:
        return RowProblem(number, "row", f"<{len(line):,} characters>", error)
    if "unexpected end of data" in error:
        # Read leniently, the open quote runs to the end of the line: the last cell is where it opened.
        cells = next(csv.reader([line], delimiter=delimiter), [""])
        index = len(cells) - 1
        field = header[index] if index < len(header) else "row"
        problem = "a quoted cell is not closed on its line (a stray quote?)"
        return RowProblem(number, field, cells[-1], problem)
    return RowProblem(number, "row", line, f"a quoted cell is malformed: {error}")


def pandas_reader(reader: object) -> bool:
    """Whether *reader* (``auto``, ``python``, ``pandas``) means the columnar reader (:mod:`.vectorised`)."""
    if reader not in ("auto", "python", "pandas"):
        raise InvalidInput("reader", reader, "must be auto, python or pandas")
    if reader == "auto":
        return all(importlib.util.find_spec(name) is not None for name in ("numpy", "pandas"))
    return reader == "pandas"


def reports_from_csv(
    lines: str | bytes | Iterable[str],
    *,
    columns: Mapping[str, str] | None = None,
    on_error: OnError = "stop",
    delimiter: str = ",",
    date_format: DateFormat = "iso",
    reader: Reader = "auto",
) -> ReportTable:
    """A table from CSV with a header row: text, UTF-8 bytes, an open file or any iterable of lines.

    The library never opens files: the caller passes what it opened.  A row
    whose CSV cannot be read (a stray quote, too long, more cells than the
    header) is a bad row like any other: it stops the load, or is listed in
    ``problems`` and the rows after it are read.

    *reader* ``auto`` reads a column at a time with pandas and numpy (the
    ``analysis`` extra) when they are installed, row by row in Python
    otherwise; both give the same table and the same problems.
    """
    names = _mapping(columns)
    check_options(on_error, date_format)
    delimiter = _check_delimiter(delimiter)
    if pandas_reader(reader):
        from .vectorised import build_table, csv_cells  # noqa: PLC0415 (needs the analysis extra)

        raw = csv_cells(lines, delimiter)
        _check_header(raw.header, names)
        return build_table(raw, names, on_error=on_error, date_format=date_format)
    builder = _Builder(on_error, date_format)
    header, rows = csv_records(lines, delimiter=delimiter)
    _check_header(header, names)
    for number, record in rows:
        if isinstance(record, RowProblem):
            builder.problem(record)
        else:
            builder.add(number, _Renamed(record, names))
    return builder.table()


def reports_from_dataframe(
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    on_error: OnError = "stop",
    date_format: DateFormat = "iso",
    reader: Reader = "auto",
) -> ReportTable:
    """A table from a pandas DataFrame; rows are numbered by position from 1.

    The frame's own index is not used.  *reader* is as for :func:`reports_from_csv`.
    """
    names = _mapping(columns)
    check_options(on_error, date_format)
    _check_header((str(c) for c in frame.columns), names)
    if pandas_reader(reader):
        from .vectorised import build_table, frame_cells  # noqa: PLC0415 (needs the analysis extra)

        return build_table(frame_cells(frame, names), names, on_error=on_error, date_format=date_format)
    present = [c for c in names.values() if c in frame.columns]
    data = {c: frame[c].tolist() for c in present}
    records = ({c: data[c][i] for c in present} for i in range(len(frame)))
    builder = _Builder(on_error, date_format)
    for number, record in enumerate(records, start=1):
        builder.add(number, _Renamed(record, names))
    return builder.table()


def table_from_reports(reports: Iterable[Report]) -> ReportTable:
    """A table holding *reports* (already checked by the models).

    >>> from asb_case_review.examples import example_application
    >>> len(table_from_reports(example_application().reports))
    4
    """
    builder = _Builder("stop")
    for number, report in enumerate(reports, start=1):
        incident = report.incident
        builder.add(
            number,
            {
                "id": report.id,
                "reporter": report.reporter,
                "household": report.household,
                "matter": incident.matter,
                "incident": incident.id,
                "began_on": incident.began_on,
                "ended_on": incident.ended_on,
                "made_on": report.made_on,
                "agency": report.agency.value,
                "kind": report.kind,
                "hate": incident.hate,
            },
        )
    return builder.table()
