r"""The columnar reader: report tables from CSV or a DataFrame a column at a time (the ``analysis`` extra).

:func:`.table.reports_from_csv` and :func:`.table.reports_from_dataframe`
use it when pandas and numpy are installed.  It keeps every promise of the
row-by-row reader, because it decides nothing that reader would not:

* **Lines are found where the csv module finds them** (CR, LF, CRLF), by
  numpy over the bytes.  A line that holds a quote, a control character or
  any byte outside ASCII, that is longer than the line limit, or that has
  more cells than the header, is read by the row-by-row reader's own code
  (:func:`.table.csv_row`); only the plain lines are handed to pandas, which
  then reads them without quoting, one row per line, so a stray quote cannot
  swallow the rows after it.
* **Every distinct value is checked once by the row-by-row reader's own
  check** (ids, dates, agencies, flags): a national year has a few hundred
  distinct days, and plain printable text is recognised in one pass.  A row
  with any value that is not plainly good is checked whole by
  :func:`.table.check_row`, so its problem names the same field, value and
  words.
* **Repeated ids and incidents given two ways** are found with array
  operations; where there is one, the rows are resolved in order exactly as
  the row-by-row reader resolves them.

The table it builds carries its columns as numpy arrays, so that the numpy
sweep (:class:`.columnar.Columns`) does not encode them again.

>>> text = "id,reporter,matter,began_on,made_on\nR1,P1,M1,2025-10-01,2025-10-02\n"
>>> names = {name: name for name in FIELDS}  # each field under its own name
>>> table = build_table(csv_cells(text, ","), names, on_error="stop", date_format="iso")
>>> table.id, table.made_on
(('R1',), (datetime.date(2025, 10, 2),))
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from .._limits import MAX_LINE, Unreadable, decode
from .._readers import row_text
from ..errors import InvalidInput, InvalidRow
from ..models import Agency
from .table import (
    _AGENCIES,
    FIELDS,
    INCIDENT_CONFLICT,
    DateFormat,
    OnError,
    ReportTable,
    RowProblem,
    _physical_lines,
    cell_day,
    check_row,
    csv_header,
    csv_row,
    flag,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

__all__ = ["Cells", "Coded", "build_table", "csv_cells", "frame_cells"]

_TEXT: Final = {"id": True, "reporter": True, "matter": True, "household": False, "incident": False}
_DAYS: Final = {"began_on": True, "ended_on": False, "made_on": True}
_AGENCY_LIST: Final = list(Agency)
_ROWS_AT_ONCE: Final = 100_000
"""pandas reads the plain lines this many at a time."""


def _edge_space(joined: str) -> bool:
    """Whether a value joined by NULs in *joined* is empty or starts or ends with a space."""
    return (
        not joined
        or "\x00 " in joined
        or " \x00" in joined
        or "\x00\x00" in joined
        or joined[0] in " \x00"
        or joined[-1] in " \x00"
    )


@attrs.frozen(eq=False)
class Cells:
    """The cells of a table as read, before any check: one array of raw values per column.

    ``rows`` holds the row numbers (ascending), ``columns`` an array per column
    name with one raw value per row (``None`` where a CSV row has no such
    cell), and ``problems`` the rows that could not be read at all.
    """

    header: tuple[str, ...]
    rows: Any
    columns: Mapping[str, Any]
    problems: tuple[RowProblem, ...] = ()
    plain: bool = False
    """Every value is a ``str`` or ``None`` (as the CSV reader gives them), so types need no check."""


@attrs.frozen(eq=False)
class Coded:
    """A column of text as pandas reads it into categories: distinct ``values`` and a code per row.

    A code of -1 is a row with no such cell; each value appears once, and
    codes are numbered in order of first appearance.
    """

    codes: Any
    values: Any
    missing: Any = None
    """What a row with no value holds: ``None`` in a CSV, NaN in pandas' ``str`` columns."""

    def __len__(self) -> int:
        return len(self.codes)

    def item(self, at: int) -> Any:
        """The cell of row *at* (``missing``: the row has no value there)."""
        code = int(self.codes[at])
        return self.missing if code < 0 else self.values[code]

    @classmethod
    def of(cls, codes: Ints, values: Any) -> Coded:
        """Codes into *values* (which may repeat a value), as distinct values in order of appearance."""
        import numpy as np  # noqa: PLC0415 (optional extra)
        import pandas as pd  # noqa: PLC0415 (optional extra)

        same, distinct = pd.factorize(np.asarray(values, dtype=object))
        canonical = np.where(codes >= 0, same[np.maximum(codes, 0)], -1) if len(same) else codes
        out = np.full(len(codes), -1, np.int64)
        present = canonical >= 0
        out[present], order = pd.factorize(canonical[present])
        return cls(out, np.asarray(distinct, dtype=object)[order])


# ------------------------------------------------------------------------------------------------ CSV


def _data(source: str | bytes | Iterable[str]) -> bytes:
    """The CSV of *source* as UTF-8 bytes without a byte-order mark, in the lines the row reader sees.

    Bytes are checked to be UTF-8 (the error names the byte offset) and then
    used as they are; text is encoded, a lone surrogate kept so that the line
    holding it is refused by name.
    """
    if isinstance(source, bytes):
        try:
            # Decoded only to be checked (ASCII is UTF-8 as it stands): the bytes themselves are read.
            if not source.isascii():
                decode(source)
        except Unreadable as error:
            raise InvalidInput("lines", "<bytes>", str(error)) from None
        return source.removeprefix(b"\xef\xbb\xbf")
    text = source if isinstance(source, str) else "\n".join(_physical_lines(source))
    return text.removeprefix("\ufeff").encode("utf-8", "surrogatepass")


def _lines(data: bytes) -> tuple[Ints, Ints]:
    """The first byte of each line of *data* and the byte after its last, split at CR, LF and CRLF."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    b = np.frombuffer(data, np.uint8)
    lf = _positions(b, 10)
    if b"\r" in data:
        cr = _positions(b, 13)
        # A CR just before an LF is part of a CRLF: the line ends at the CR, the next begins after the LF.
        after = np.zeros(cr.size, np.uint8)
        inside = cr + 1 < b.size
        after[inside] = b[cr[inside] + 1]
        lone = cr[after != 10]
        before = lf - (b[np.maximum(lf - 1, 0)] == 13) * (lf > 0)
        ends = np.concatenate([before, lone])
        nexts = np.concatenate([lf + 1, lone + 1])
        if lone.size:
            # Lone CRs end lines among the LFs' (a file with none, the usual one, is in order already).
            order = np.argsort(ends, kind="stable")
            ends, nexts = ends[order], nexts[order]
    else:
        # No CR at all (found by one scan of the bytes): every line ends at an LF.
        ends, nexts = lf, lf + 1
    starts = np.concatenate([[0], nexts]).astype(np.int64)
    ends = np.concatenate([ends, [len(data)]]).astype(np.int64)
    if starts[-1] == len(data):
        # Text ending with a line break has no line after it.
        starts, ends = starts[:-1], ends[:-1]
    return starts, ends


def _positions(b: Any, byte: int) -> Ints:
    """Where *b* holds *byte*, looked for a piece at a time (a flag per byte is as large as the text)."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    piece = 1 << 23
    found = [np.flatnonzero(b[at : at + piece] == byte) + at for at in range(0, b.size, piece)]
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _odd_bytes(b: Any, first: int, delimiter: int) -> Ints:
    """Where, from *first* on, *b* holds a byte that is not printable ASCII or is a quote (line breaks aside).

    Looked at a piece at a time, so that the flags never take more memory than one piece.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)

    found = []
    piece = 1 << 23
    for at in range(first, b.size, piece):
        part = b[at : at + piece]
        odd = (part < 32) | (part >= 127) | (part == 34)
        odd &= (part != 10) & (part != 13)
        if delimiter < 32:
            odd &= part != delimiter
        found.append(np.flatnonzero(odd) + at)
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _per_line(b: Any, starts: Ints, byte: int) -> Ints:
    """How many times *byte* occurs in each line of *b* (a line runs to the next one's start).

    Line breaks are never *byte*, so each line's count may run on to the next line's start.  The
    bytes are looked at a piece at a time and only the positions found are kept: a flag per byte
    summed into counts would take four bytes of memory per byte of the file.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)

    bounds = np.append(starts, np.int64(b.size))
    before = np.zeros(bounds.size, np.int64)
    piece = 1 << 23
    for at in range(int(starts[0]) if starts.size else b.size, b.size, piece):
        found = np.flatnonzero(b[at : at + piece] == byte) + at
        # Only the lines that begin in this piece are searched: those before it see none of its
        # bytes, those after it all of them.
        lo, hi = np.searchsorted(bounds, [at, at + piece]).tolist()
        before[lo:hi] += np.searchsorted(found, bounds[lo:hi])
        before[hi:] += found.size
    return np.diff(before)


def csv_cells(  # noqa: PLR0912, PLR0915 (one pass over the lines, kept together)
    source: str | bytes | Iterable[str], delimiter: str
) -> Cells:
    """The header and cells of CSV *source*, read as :func:`.table.csv_records` reads them.

    Plain lines (printable ASCII, no quote, no more cells than the header)
    are read by pandas without quoting; any other line by the row-by-row
    reader's own code.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)

    data = _data(source)
    starts, ends = _lines(data)
    first = 0
    header: tuple[str, ...] = ()
    while first < starts.size:
        line = data[starts[first] : ends[first]].decode("utf-8", "surrogatepass")
        first += 1
        if line.strip():
            header = csv_header(line, delimiter)
            break
    starts, ends = starts[first:], ends[first:]
    numbers = np.arange(1, starts.size + 1, dtype=np.int64)
    b = np.frombuffer(data, np.uint8)
    ascii_delimiter = delimiter.isascii()
    code = ord(delimiter)
    # A line is plain when it holds only printable ASCII other than the quote, is within the line
    # limit, and has no more cells than the header; bytes that are not are few, so they are found
    # by position.
    plain = (ends - starts) <= MAX_LINE
    if starts.size:
        plain[np.searchsorted(starts, _odd_bytes(b, int(starts[0]), code), "right") - 1] = False
    if ascii_delimiter:
        cells = _per_line(b, starts, code) + 1
        plain &= cells <= len(header)
    else:
        plain[:] = False
    # A plain line with one cell may be all spaces: a blank line, skipped.
    blank = np.zeros(starts.size, np.bool_)
    if ascii_delimiter:
        for at in np.flatnonzero(plain & (cells == 1)).tolist():
            blank[at] = not data[starts[at] : ends[at]].strip(b" ")
    plain &= ~blank
    del b

    problems: list[RowProblem] = []
    other_rows: list[int] = []
    other: list[dict[str, str]] = []
    for at in np.flatnonzero(~plain & ~blank).tolist():
        line = data[starts[at] : ends[at]].decode("utf-8", "surrogatepass")
        if not line.strip():
            continue
        number = int(numbers[at])
        record = csv_row(number, line, header, delimiter)
        if isinstance(record, RowProblem):
            problems.append(record)
        else:
            other_rows.append(number)
            other.append(record)

    read = _plain_cells(data, starts, ends, plain, header, delimiter)
    if ascii_delimiter:
        # pandas gives an empty cell where a short row has none; the row-by-row reader has no value there.
        short = cells[plain]
        for index, name in enumerate(header):
            read[name][0][short <= index] = -1
    rows = numbers[plain]
    if other:
        rows = np.concatenate([rows, np.asarray(other_rows, np.int64)])
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        for name in header:
            codes, values = read[name]
            extra = [record.get(name) for record in other]
            # The rows read by the row-by-row code get codes of their own after pandas' values.
            more = np.asarray([-1 if v is None else len(values) + i for i, v in enumerate(extra)], np.int64)
            read[name] = (np.concatenate([codes, more])[order], [*values, *extra])
    if other:
        columns = {name: Coded.of(*read[name]) for name in header}
    else:
        # pandas' values are distinct already, in order of appearance.
        columns = {
            name: Coded(codes, values if isinstance(values, np.ndarray) else _objects(values))
            for name, (codes, values) in read.items()
        }
    return Cells(header, rows, columns, tuple(problems), plain=True)


def _break_after(data: bytes, end: int) -> int:
    """The length of the line break at *end* of *data*: 0 (the end of the text), 1 or 2 (CRLF)."""
    return 2 if data[end : end + 2] == b"\r\n" else min(1, len(data) - end)


def _plain_cells(  # noqa: PLR0917 (the arrays of one read, named at the call)
    data: bytes, starts: Ints, ends: Ints, plain: Bools, header: tuple[str, ...], delimiter: str
) -> dict[str, tuple[Ints, Any]]:
    """The cells of the plain lines, by pandas, one row per line in order: codes and values per column."""
    import numpy as np  # noqa: PLC0415 (optional extra)
    import pandas as pd  # noqa: PLC0415 (optional extra)

    chosen = np.flatnonzero(plain)
    if chosen.size == 0:
        return {name: (np.zeros(0, np.int64), []) for name in header}
    # Runs of consecutive plain lines are handed over as they stand; runs are joined by a line feed.
    breaks = np.flatnonzero(np.diff(chosen) != 1)
    run_first = chosen[np.concatenate([[0], breaks + 1])]
    run_last = chosen[np.concatenate([breaks, [chosen.size - 1]])]
    if run_first.size == 1 and ends[run_last[0]] == len(data) - _break_after(data, int(ends[run_last[0]])):
        # One run to the end of the text: pandas reads the bytes where they are.
        source = io.BytesIO(data)
        source.seek(int(starts[run_first[0]]))
    elif run_first.size == 1:
        source = io.BytesIO(data[starts[run_first[0]] : ends[run_last[0]]])
    else:
        source = io.BytesIO(
            b"\n".join(
                data[starts[a] : ends[z]] for a, z in zip(run_first.tolist(), run_last.tolist(), strict=True)
            )
        )
    # Read a block of rows at a time.  A column of few distinct values (dates, agencies, flags) keeps
    # each distinct cell once, a block at a time: a national year of them costs a few hundred strings,
    # not millions.  A column of mostly distinct values (ids, reporters) is kept as read and numbered
    # once at the end, by one pandas factorize (a merge of each block's values in Python costs more).
    blocks = pd.read_csv(
        source,
        sep=delimiter,
        header=None,
        names=list(range(len(header))),
        dtype=object,
        na_filter=False,
        quoting=csv.QUOTE_NONE,
        skip_blank_lines=False,
        engine="c",
        encoding="utf-8",
        index_col=False,
        chunksize=_ROWS_AT_ONCE,
    )
    columns = [_Gathered() for _ in header]
    read = 0
    with blocks:
        for block in blocks:
            read += len(block)
            for index, gathered in enumerate(columns):
                gathered.add(block[index].to_numpy(dtype=object))
    if read != chosen.size:  # pragma: no cover - a plain line is one row; checked, never assumed
        raise AssertionError(f"pandas read {read} rows from {chosen.size} lines")
    return {name: gathered.result() for name, gathered in zip(header, columns, strict=True)}


class _Gathered:
    """One column's cells, gathered a block at a time: codes in order of first appearance, and values."""

    def __init__(self) -> None:
        self.many: bool | None = None
        """Whether the column's values are mostly distinct (decided on its first block)."""
        self.raw: list[Any] = []
        self.codes: list[Ints] = []
        self.seen: dict[Any, int] = {}

    def add(self, cells: Any) -> None:
        import numpy as np  # noqa: PLC0415 (optional extra)
        import pandas as pd  # noqa: PLC0415 (optional extra)

        if self.many:
            self.raw.append(cells)
            return
        local, distinct = pd.factorize(cells)
        if self.many is None:
            self.many = len(distinct) * 16 > len(cells) and len(cells) >= _ROWS_AT_ONCE
            if self.many:
                self.raw.append(cells)
                return
        known = self.seen
        add = known.setdefault
        mapped = np.fromiter((add(v, len(known)) for v in distinct.tolist()), np.int64, len(distinct))
        self.codes.append(mapped[local].astype(np.int32))

    def result(self) -> tuple[Ints, Any]:
        """Codes, and the distinct values (a list, or an array of objects when most are distinct)."""
        import numpy as np  # noqa: PLC0415 (optional extra)
        import pandas as pd  # noqa: PLC0415 (optional extra)

        if self.many:
            # pandas numbers the values in order of first appearance, as the blocks do.
            codes, distinct = pd.factorize(np.concatenate(self.raw))
            self.raw.clear()
            return codes.astype(np.int32), distinct
        return (np.concatenate(self.codes) if self.codes else np.zeros(0, np.int64)), list(self.seen)


def _objects(values: Any) -> Any:
    """*values* as an array of objects (a new one)."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    out = np.empty(len(values), object)
    out[:] = values
    return out


# ------------------------------------------------------------------------------------------ DataFrame


def frame_cells(frame: Any, names: Mapping[str, str]) -> Cells:
    """The cells of the columns *names* finds in *frame*, as ``Series.tolist`` would give them.

    A column of naive datetimes is kept as datetime64 (the days are read
    from it in one step), a column of pandas' ``str`` type as its distinct
    strings; any other column is an array of Python values.
    """
    import numpy as np  # noqa: PLC0415 (optional extra)
    import pandas as pd  # noqa: PLC0415 (optional extra)

    columns: dict[str, Any] = {}
    for column in names.values():
        if column in frame.columns and column not in columns:
            series = frame[column]
            if series.dtype.kind == "M" and getattr(series.dtype, "tz", None) is None:
                columns[column] = series.to_numpy(dtype="datetime64[ns]")
            elif series.dtype == object:
                columns[column] = series.to_numpy(dtype=object)
            elif series.dtype == np.bool_:
                # numpy's flags (no missing value): two distinct values at most, numbered as they appear.
                flags = series.to_numpy(dtype=np.bool_)
                first = bool(flags[0]) if flags.size else False
                codes = (flags != first).astype(np.int64)
                seen = [first, not first][: 1 + bool(codes.any())] if flags.size else []
                columns[column] = Coded(codes, np.asarray(seen, dtype=object))
            elif isinstance(series.dtype, pd.StringDtype) and pd.isna(series.dtype.na_value):
                # pandas' own text columns: strings, or NaN where there is none (as tolist gives them),
                # so each distinct string is taken once, with no check of its type (factorized as the
                # objects they hold, which pandas does faster than through the string type).
                codes, distinct = pd.factorize(series.to_numpy(dtype=object))
                columns[column] = Coded(codes, np.asarray(distinct, dtype=object), missing=float("nan"))
            else:
                values = np.empty(len(series), object)
                values[:] = series.tolist()
                columns[column] = values
    return Cells(tuple(str(c) for c in frame.columns), np.arange(1, len(frame) + 1, dtype=np.int64), columns)


# ------------------------------------------------------------------------------------------- checking


@attrs.define
class _Column:
    """One field's values, row by row: codes into ``values``, and which rows need the whole-row check."""

    codes: Any
    values: Any
    """A list, or an array of objects."""
    unsure: Any
    exact: bool = False
    """Each value is the cell as written: equal codes are exactly equal values."""
    holes: Any = None
    """Where known, the positions in ``values`` of every ``None`` (no value)."""


def _plain_empty(values: Any) -> bool:
    """Whether every one of *values* is what the row-by-row reader calls empty (``None`` or NaN)."""
    kinds = set(map(type, values))
    if kinds <= {type(None)}:
        # The usual case (a column of dates with no end date), told from the types alone.
        return True
    return all(v is None or (isinstance(v, float) and v != v) for v in values)  # noqa: PLR0124 (NaN)


def _distinct(column: Any, *, plain: bool) -> tuple[Any, list[Any], Any] | None:
    """Codes, distinct values and the rows holding an empty value, or ``None`` if values could be merged.

    pandas merges values that are equal though of different types (``1``,
    ``1.0`` and ``True``), which the checks would read differently: a column
    of more than one type (empty cells aside) is checked row by row instead.
    """
    import pandas as pd  # noqa: PLC0415 (optional extra)

    if isinstance(column, Coded):
        return column.codes, column.values.tolist(), column.codes < 0
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = list(uniques.tolist() if hasattr(uniques, "tolist") else uniques)
    empty = codes < 0
    if plain:
        return codes, values, empty
    kinds = set(map(type, column[~empty])) if values else set()
    if len(kinds) > 1:
        return None
    if kinds and not (kinds <= {str, dt.date, bool} or issubclass(next(iter(kinds)), enum.Enum)):
        return None
    return codes, values, empty


def _each(column: Any, check: Any, *, plain: bool) -> _Column:
    """*check* (a value to its checked value, or :class:`InvalidRow`) on each distinct value of *column*."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    n = len(column)
    found = _distinct(column, plain=plain)
    if found is None:
        codes: Any = np.arange(n, dtype=np.int64)
        distinct: list[Any] = list(column)
        empty = np.zeros(n, np.bool_)
    else:
        codes, distinct, empty = found
    values: list[Any] = []
    unsure: list[bool] = []
    for value in distinct:
        try:
            values.append(check(value))
            unsure.append(False)
        except InvalidRow:
            values.append(None)
            unsure.append(True)
    # Empty cells share one code after the distinct values.
    values.append(_empty_value(check))
    unsure.append(values[-1] is _UNSURE)
    codes = np.where(empty, len(distinct), codes)
    bad = np.asarray(unsure, np.bool_)[codes]
    if not plain and not isinstance(column, Coded) and empty.any() and not _plain_empty(column[empty]):
        # pd.NA, NaT and the like are not empty to the row-by-row reader: their rows are checked whole.
        bad |= empty
    return _Column(codes, values, bad)


_UNSURE: Final = object()


def _empty_value(check: Any) -> Any:
    try:
        return check(None)
    except InvalidRow:
        return _UNSURE


def _text_column(column: Any, field: str, *, required: bool, plain: bool) -> _Column:
    """A text field: plain printable values are taken as they are, any other is checked by ``row_text``."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    found = _distinct(column, plain=plain)
    if found is None or (found[1] and type(found[1][0]) is not str):
        return _each(column, lambda v: row_text(0, field, v, required=required), plain=plain)
    codes, distinct, empty = found
    # An empty cell ("" in a CSV) is one of the distinct values: it is checked on its own.  Joined,
    # the values show where one may be (two NULs together, or one at either end), so a column of a
    # million ids is not searched for it.
    joined = "\x00".join(distinct)
    blank = -1
    if (not joined or "\x00\x00" in joined or joined[0] == "\x00" or joined[-1] == "\x00") and "" in distinct:
        blank = distinct.index("")
        joined = "\x00".join(distinct[:blank] + distinct[blank + 1 :])
    values: Any
    # The NULs that join the values are the only ones: a NUL inside a value is refused by row_text.
    separators = max(len(distinct) - (blank >= 0) - 1, 0)
    if (
        joined.count("\x00") == separators
        and joined.replace("\x00", "-").isprintable()
        and not _edge_space(joined)
    ):
        # The values as they are, in an array (a national year's ids are a million of them): the
        # columns are gathered from it with no list between.
        values = np.empty(len(distinct) + 1, object)
        values[:-1] = column.values if isinstance(column, Coded) else distinct
        exact = True
        unsure = np.zeros(len(distinct) + 1, np.bool_)
        if blank >= 0:
            values[blank] = None
            unsure[blank] = required
    else:
        values, flags, exact = [], [], False
        for value in distinct:
            try:
                values.append(row_text(0, field, value, required=required))
                flags.append(False)
            except InvalidRow:
                values.append(None)
                flags.append(True)
        unsure = np.asarray([*flags, False], np.bool_)
        values.append(None)
    values[-1] = None
    unsure[-1] = required
    codes = np.where(empty, len(distinct), codes)
    bad = unsure[codes]
    if not plain and not isinstance(column, Coded) and empty.any() and not _plain_empty(column[empty]):
        bad |= empty
    holes = ([blank] if blank >= 0 else []) + [len(values) - 1] if exact else None
    return _Column(codes, values, bad, exact, holes)


def _day_column(
    column: Any, field: str, *, required: bool, date_format: DateFormat, plain: bool
) -> tuple[Ints, Bools]:
    """A date field as day ordinals (0: none), and the rows that need the whole-row check."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    if getattr(column, "dtype", None) is not None and column.dtype.kind == "M":
        days = column.astype("datetime64[D]")
        # Naive midnight is the date itself, as the row-by-row reader takes it; the rest is checked whole.
        midnight = (column == days) & ~np.isnat(column)
        ordinals = days.astype(np.int64) + dt.date(1970, 1, 1).toordinal()
        return np.where(midnight, ordinals, 0), ~midnight
    checked = _each(
        column, lambda v: cell_day(0, field, v, required=required, date_format=date_format), plain=plain
    )
    ordinals = np.asarray(
        [0 if d is None or d is _UNSURE else d.toordinal() for d in checked.values], np.int64
    )
    return ordinals[checked.codes], checked.unsure


def _with_default(column: _Column, default: Any) -> Any:
    import numpy as np  # noqa: PLC0415 (optional extra)

    codes = column.codes
    if column.holes is None:
        values = _objects(column.values)
        values[np.equal(values, None) | np.equal(values, _UNSURE)] = default  # type: ignore[call-overload]
        return values[codes]
    values = column.values if isinstance(column.values, np.ndarray) else _objects(column.values)
    if default is not None:
        values = values.copy()
        values[column.holes] = default
    return values[codes]


def build_table(
    cells: Cells, names: Mapping[str, str], *, on_error: OnError, date_format: DateFormat
) -> ReportTable:
    """The :class:`.table.ReportTable` of *cells*, exactly as the row-by-row reader would build it."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    rows = cells.rows
    n = int(rows.size)
    raw = {f: cells.columns.get(names[f]) for f in FIELDS}
    none = np.empty(n, object)
    none[:] = None
    col = {f: (none if raw[f] is None else raw[f]) for f in FIELDS}

    text = {f: _text_column(col[f], f, required=r, plain=cells.plain) for f, r in _TEXT.items()}
    unsure = np.zeros(n, np.bool_)
    for c in text.values():
        unsure |= c.unsure
    days: dict[str, Ints] = {}
    for f, r in _DAYS.items():
        days[f], bad = _day_column(col[f], f, required=r, date_format=date_format, plain=cells.plain)
        unsure |= bad
    agency = _each(col["agency"], _agency, plain=cells.plain)
    kind = _text_column(col["kind"], "kind", required=False, plain=cells.plain)
    hate = _each(col["hate"], lambda v: flag(0, v), plain=cells.plain)
    for c in (agency, kind, hate):
        unsure |= c.unsure
    began, ended, made = days["began_on"], days["ended_on"], days["made_on"]
    unsure |= (ended != 0) & (ended < began)
    unsure |= made < began

    ids = _with_default(text["id"], None)
    household = _with_default(text["household"], None)
    incident = _with_default(text["incident"], None)
    no_incident = _none_rows(text["incident"], incident)
    incident[no_incident] = ids[no_incident]
    no_id = _none_rows(text["id"], ids)
    agency_codes = np.asarray([-1 if v is None or v is _UNSURE else _AGENCY_LIST.index(v)
                               for v in agency.values], np.int64)[agency.codes]  # fmt: skip
    hate_flags = np.asarray([bool(v) if v is not _UNSURE else False for v in hate.values], np.bool_)[
        hate.codes
    ]
    values: dict[str, Any] = {
        "id": ids,
        "reporter": _with_default(text["reporter"], None),
        "household": household,
        "matter": _with_default(text["matter"], None),
        "incident": incident,
        "kind": _with_default(kind, "complaint"),
        "began_on": began,
        "ended_on": ended,
        "made_on": made,
        "agency": agency_codes,
        "hate": hate_flags,
    }

    # The rows with a value that is not plainly good are checked whole, by the row-by-row reader's check.
    checked: dict[int, dict[str, Any] | InvalidRow] = {}
    for at in np.flatnonzero(unsure).tolist():
        record = {f: _item(raw[f], at) for f in FIELDS if raw[f] is not None}
        try:
            checked[at] = check_row(int(rows[at]), record, date_format)
        except InvalidRow as error:
            checked[at] = error
    for at, result in checked.items():
        if isinstance(result, dict):
            for f in FIELDS:
                values[f][at] = _encode(f, result[f])
        else:
            # The id is read before the rest of the row, and a repeated id is named before them.
            good_id = result.field != "id"
            ids = raw["id"]
            assert ids is not None  # a required column: the header has it
            values["id"][at] = row_text(0, "id", _item(ids, at), required=True) if good_id else None
        no_id[at] = values["id"][at] is None
    ok = np.ones(n, np.bool_)
    ok[[at for at, r in checked.items() if isinstance(r, InvalidRow)]] = False
    codes = _known_codes(text, kind, no_incident)
    # A national year's working columns are let go before the table is built.
    del text, agency, kind, hate, days, unsure, col, raw
    return _resolve(cells, values, codes, ok, ~no_id, checked, on_error)


def _none_rows(column: _Column, gathered: Any) -> Bools:
    """The rows of a text column holding no value: found from its codes when they say so, else by value."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    if column.holes is None:
        found: Bools = np.equal(gathered, None)  # type: ignore[call-overload] # (an object array)
        return found
    # Every value but those at the holes is text: comparing a million small codes is quicker than
    # comparing a million objects with None.
    none = np.zeros(len(gathered), np.bool_)
    for hole in column.holes:
        none |= column.codes == hole
    return none


def _known_codes(text: Mapping[str, _Column], kind: _Column, no_incident: Bools) -> dict[str, Any]:
    """The codes the checks already made that group equal values exactly, so they need no second count."""
    import numpy as np  # noqa: PLC0415 (optional extra)
    import pandas as pd  # noqa: PLC0415 (optional extra)

    # Where every value is its cell as written (so a row checked whole reads it the same), the codes
    # already group equal values.
    codes: dict[str, Any] = {f: text[f].codes for f in ("id", "matter", "reporter") if text[f].exact}
    if kind.exact:
        # The kinds as written (no kind: a complaint), numbered from the few distinct values.
        each = attrs.evolve(kind, codes=np.arange(len(kind.values)))
        same, kinds = pd.factorize(_with_default(each, "complaint"))
        codes["kind"] = (same[kind.codes], kinds.tolist())
    if text["incident"].exact and not no_incident.any():
        # Every row names its incident as written (none falls back to its id).
        codes["incident"] = text["incident"].codes
    return codes


def _agency(value: object) -> Agency:
    found = _AGENCIES.get((row_text(0, "agency", value, required=False) or "other").lower())
    if found is None:
        raise InvalidRow(0, "agency", value, "is not an agency")
    return found


def _item(column: Any, at: int) -> Any:
    """The value the row-by-row reader sees in row *at* of *column* (``Series.tolist``'s)."""
    if isinstance(column, Coded):
        return column.item(at)
    value = column[at]
    if getattr(column, "dtype", None) is not None and column.dtype.kind == "M":
        import pandas as pd  # noqa: PLC0415 (optional extra)

        return pd.Timestamp(value) if value == value else pd.NaT  # noqa: PLR0124 (NaT)
    return value


def _encode(field: str, value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if field == "ended_on" and value is None:
        return 0
    if isinstance(value, Agency):
        return _AGENCY_LIST.index(value)
    return value


def _resolve(  # noqa: PLR0917 (one resolution, in the row-by-row reader's order)
    cells: Cells,
    values: dict[str, Any],
    codes: Mapping[str, Any],
    ok: Bools,
    has_id: Bools,
    checked: Mapping[int, dict[str, Any] | InvalidRow],
    on_error: OnError,
) -> ReportTable:
    """Keep the good rows: a repeated id or an incident given two ways is found as the rows come in order."""
    import numpy as np  # noqa: PLC0415 (optional extra)
    import pandas as pd  # noqa: PLC0415 (optional extra)

    rows = cells.rows
    n = int(rows.size)
    ids = values["id"]
    problems: list[RowProblem] = list(cells.problems)
    problems.extend(
        RowProblem(r.row, r.field, r.value, r.problem) for r in checked.values() if isinstance(r, InvalidRow)
    )
    id_codes = codes["id"][has_id] if "id" in codes else pd.factorize(ids[has_id])[0]
    repeated = id_codes.size > 0 and int(np.bincount(id_codes).max()) > 1
    matter = codes["matter"] if "matter" in codes else pd.factorize(values["matter"])[0]
    every = bool(ok.all())
    facts = [matter, values["began_on"], values["ended_on"], values["hate"]]
    if not every:
        facts = [f[ok] for f in facts]
    if "incident" in codes and every:
        incident_codes = codes["incident"]
    else:
        incident_codes = pd.factorize(values["incident"][ok])[0] if n else np.zeros(0, np.int64)
    conflict = False
    if incident_codes.size:
        # pandas numbers codes in order of first appearance: a code is new where it passes all before it.
        before = np.maximum.accumulate(np.concatenate([[-1], incident_codes[:-1]]))
        first = np.flatnonzero(incident_codes > before)
        # Each row's incident's first row, found once for the four facts compared.
        firsts = first[incident_codes]
        conflict = any(bool((f != f[firsts]).any()) for f in facts)
    if repeated or conflict:
        ok, later = _in_order(values, ok, checked, rows)
        problems = [p for p in problems if p.row not in later] + list(later.values())
    problems.sort(key=lambda p: p.row)
    if on_error == "stop" and problems:
        first_problem = problems[0]
        raise InvalidRow(first_problem.row, first_problem.field, first_problem.value, first_problem.problem)
    return _table(values, codes, ok, rows, tuple(problems))


def _in_order(
    values: Mapping[str, Any], ok: Bools, checked: Mapping[int, dict[str, Any] | InvalidRow], rows: Ints
) -> tuple[Bools, dict[int, RowProblem]]:
    """The row-by-row reader's resolution of repeated ids and incidents, row by row (only when one occurs)."""
    import numpy as np  # noqa: PLC0415 (optional extra)

    kept = np.zeros(ok.size, np.bool_)
    seen: set[str] = set()
    incidents: dict[str, tuple[Any, ...]] = {}
    later: dict[int, RowProblem] = {}
    ids = values["id"].tolist()
    incident = values["incident"].tolist()
    fields = [values[f].tolist() for f in ("matter", "began_on", "ended_on", "hate")]
    for at in range(ok.size):
        number = int(rows[at])
        report_id = ids[at]
        result = checked.get(at)
        if isinstance(result, InvalidRow):
            # The id is checked before the rest: a row repeating a kept id is named for its id.
            if result.field != "id" and report_id in seen:
                later[number] = RowProblem(number, "id", report_id, "is used by an earlier row")
            continue
        if report_id in seen:
            later[number] = RowProblem(number, "id", report_id, "is used by an earlier row")
            continue
        facts = tuple(f[at] for f in fields)
        known = incidents.get(incident[at])
        if known is not None and known != facts:
            later[number] = RowProblem(number, "incident", incident[at], INCIDENT_CONFLICT)
            continue
        seen.add(report_id)
        incidents.setdefault(incident[at], facts)
        kept[at] = True
    return kept, later


def _codes(codes: Any, ok: Bools, values: Any) -> Ints:
    """Integer codes equal exactly where *values* are: the reader's own, or new ones."""
    import numpy as np  # noqa: PLC0415 (optional extra)
    import pandas as pd  # noqa: PLC0415 (optional extra)

    if codes is None:
        codes = pd.factorize(values)[0]
    elif not ok.all():
        codes = codes[ok]
    # The reader's own codes are used as they are when every row is kept (no copy of a million codes).
    found: Ints = codes.astype(np.int64, copy=False)
    return found


def _table(
    values: Mapping[str, Any],
    codes: Mapping[str, Any],
    ok: Bools,
    rows: Ints,
    problems: tuple[RowProblem, ...],
) -> ReportTable:
    import numpy as np  # noqa: PLC0415 (optional extra)
    import pandas as pd  # noqa: PLC0415 (optional extra)

    # Every row kept (the usual case): the columns as they are, not copies.
    kept = dict(values) if ok.all() else {f: values[f][ok] for f in FIELDS}
    began, ended, made = kept["began_on"], kept["ended_on"], kept["made_on"]

    def dates(ordinals: Ints) -> tuple[dt.date | None, ...]:
        high = int(ordinals.max()) if ordinals.size else 0
        low = int(ordinals.min(initial=high, where=ordinals != 0))
        if high == 0:
            return (None,) * ordinals.size
        if high - low < ordinals.size:
            # A year's reports span a few hundred days: each row looks its day up by its distance
            # from the first (0, no date, is the first entry), with no count of distinct values.
            days = np.empty(high - low + 2, object)
            days[1:] = [dt.date.fromordinal(d) for d in range(low, high + 1)]
            at = ordinals - (low - 1)
            if ordinals.min() == 0:
                at[ordinals == 0] = 0
            return tuple(days[at].tolist())
        codes, distinct = pd.factorize(ordinals)
        days = np.empty(distinct.size, object)
        days[:] = [None if d == 0 else dt.date.fromordinal(int(d)) for d in distinct.tolist()]
        return tuple(days[codes].tolist())

    agencies = np.empty(len(_AGENCY_LIST), object)
    agencies[:] = _AGENCY_LIST
    base = (int(began.min()) if began.size else dt.date(2000, 1, 1).toordinal()) - 2
    if "kind" in codes:
        kind_codes, kinds = codes["kind"]
        kinds_codes = kind_codes if ok.all() else kind_codes[ok]
    else:
        kinds_codes, found = pd.factorize(kept["kind"])
        kinds = found.tolist()
    encoded = {
        "base": base,
        "made": made - base,
        "began": began - base,
        "ended": np.where(ended == 0, began, ended) - base,
        "matter": _codes(codes.get("matter"), ok, kept["matter"]),
        "reporter": _codes(codes.get("reporter"), ok, kept["reporter"]),
        "incident": _codes(codes.get("incident"), ok, kept["incident"]),
        "hate": kept["hate"].astype(np.bool_),
        "kinds": {k: i for i, k in enumerate(kinds)},
        "kind": kinds_codes.astype(np.int64, copy=False),
        "agency": kept["agency"].astype(np.int64, copy=False),
    }
    columns: tuple[Any, ...] = (
        tuple(kept["id"].tolist()),
        tuple(kept["reporter"].tolist()),
        tuple(kept["household"].tolist()),
        tuple(kept["matter"].tolist()),
        tuple(kept["incident"].tolist()),
        dates(began),
        dates(ended),
        dates(made),
        tuple(agencies[kept["agency"]].tolist()),
        tuple(kept["kind"].tolist()),
        tuple(kept["hate"].astype(bool).tolist()),
    )
    # The very columns the arrays encode: a table changed by attrs.evolve is encoded afresh.
    encoded["columns"] = columns
    named: dict[str, Any] = dict(zip(FIELDS, columns, strict=True))
    return ReportTable(**named, rows=tuple(rows[ok].tolist()), problems=problems, encoded=encoded)
