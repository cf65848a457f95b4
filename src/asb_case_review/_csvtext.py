r"""The one spelling of a cell in every CSV file the library writes.

A flag is ``true`` or ``false``, as in JSON and as the report tables read it; a missing value is an
empty cell; text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab or
carriage return first) gets a leading apostrophe, which spreadsheets show as text (OWASP's advice
on CSV injection). The command line's ``sweep``, ``compare``, ``stats``, ``synthetic`` and batch ``check``
(``summary.csv``), and the HTTP service's CSV answers, all write their cells through here, by the
csv module's writer (the sweep's block writer joins text that needs neither quotes nor
escaping, :func:`written_as_is`).

>>> cells({"report": "R1", "floor_conflict": False, "route": None, "periods_met": 2})
{'report': 'R1', 'floor_conflict': 'false', 'route': '', 'periods_met': 2}
>>> cells({"report": '=HYPERLINK("http://x")', "days": -1})
{'report': '\'=HYPERLINK("http://x")', 'days': -1}
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

__all__ = ["FALSE", "TRUE", "cell", "cells", "csv_text", "row_cells", "spreadsheet_cell", "written_as_is"]

TRUE: Final = "true"
FALSE: Final = "false"


_FORMULA: Final = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would read as a formula begins (OWASP's list for CSV injection)."""
_FORMULA_AFTER_SEPARATOR: Final = re.compile("\x01[" + re.escape("".join(_FORMULA)) + "]")


def spreadsheet_cell(value: object) -> object:
    r"""*value* as a cell of a CSV file that a spreadsheet may open: never a formula.

    Text that a spreadsheet would run as a formula gets a leading apostrophe,
    which spreadsheets show as text; other values are unchanged.

    >>> spreadsheet_cell('=HYPERLINK("http://x")'), spreadsheet_cell("R1"), spreadsheet_cell(-1)
    ('\'=HYPERLINK("http://x")', 'R1', -1)
    """
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def cell(value: object) -> object:
    """*value* as a CSV cell: a flag as ``true`` or ``false``, nothing as an empty cell, never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    return spreadsheet_cell(value)


def cells(row: Mapping[str, Any]) -> dict[str, Any]:
    """Each value of *row* as a CSV cell (:func:`cell`)."""
    return {key: cell(value) for key, value in row.items()}


def csv_text(rows: Iterable[Mapping[str, Any]], header: Sequence[str], *, size: int = 2_000) -> Iterator[str]:
    r"""*rows* as CSV under *header*, each cell as :func:`cell` writes it, *size* rows to a piece.

    The header comes first, alone when there is no row; joined, the pieces are the whole file.

    >>> "".join(csv_text([{"report": "R1", "floor_conflict": True}], ["report", "floor_conflict"]))
    'report,floor_conflict\nR1,true\n'
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    held = 0
    for row in rows:
        writer.writerow(cells(row))
        held += 1
        if held == size:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            held = 0
    yield out.getvalue()


def row_cells(row: Iterable[Any]) -> list[Any]:
    """Each value of a row given as a sequence, as a CSV cell (:func:`cell`)."""
    return [cell(value) for value in row]


def written_as_is(column: Sequence[Any]) -> bool:
    """Whether every value of *column* is text the csv module writes as it is, and no formula.

    Such a column can be joined into lines without the csv module's writer.

    >>> written_as_is(["R1", "R2"]), written_as_is(["R1", "a,b"]), written_as_is(["=1"]), written_as_is([1])
    (True, False, False, False)
    """
    try:
        joined = "\x01" + "\x01".join(column)
    except TypeError:
        return False
    # One scan for a cell that begins as a formula (each cell follows a \x01); a stray \x01 inside
    # a cell can only send the column to the csv module's writer, never let a formula through.
    return not any(c in joined for c in ',"\r\n') and _FORMULA_AFTER_SEPARATOR.search(joined) is None
