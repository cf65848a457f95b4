r"""The one spelling of a cell in every CSV file the library writes.

A flag is ``true`` or ``false``, as in JSON and as the report tables read it; a missing value is an
empty cell; text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab or
carriage return first) gets a leading apostrophe, which spreadsheets show as text (OWASP's advice
on CSV injection). The command line's ``sweep``, ``compare``, ``stats``, ``synthetic`` and batch ``check``
(``summary.csv``), and the HTTP service's CSV answers, all write their cells through here, by the
row writer or by pandas.

>>> cells({"report": "R1", "floor_conflict": False, "route": None, "periods_met": 2})
{'report': 'R1', 'floor_conflict': 'false', 'route': '', 'periods_met': 2}
>>> cells({"report": '=HYPERLINK("http://x")', "days": -1})
{'report': '\'=HYPERLINK("http://x")', 'days': -1}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["FALSE", "TRUE", "cell", "cells", "frame_cells", "spreadsheet_cell"]

TRUE: Final = "true"
FALSE: Final = "false"


_FORMULA: Final = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would read as a formula begins (OWASP's list for CSV injection)."""


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


def frame_cells(frame: Any) -> Any:
    """A pandas DataFrame whose flag columns are spelled as :func:`cell` spells them.

    pandas writes ``True`` and ``False``; text that would run as a formula gets its apostrophe
    (:func:`spreadsheet_cell`); other values are left as they are.
    """
    spelled = frame.copy(deep=False)
    for name in frame.select_dtypes(include="bool").columns:
        spelled[name] = spelled[name].map({True: TRUE, False: FALSE})
    for name in frame.select_dtypes(include=["object", "string"]).columns:
        column = spelled[name]
        formula = column.str.startswith(_FORMULA).fillna(value=False).astype(bool)
        if formula.any():
            spelled[name] = column.where(~formula, "'" + column.astype(str))
    return spelled
