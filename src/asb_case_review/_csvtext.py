"""The one spelling of a cell in every CSV file the library writes.

A flag is ``true`` or ``false``, as in JSON and as the report tables read it; a missing value is an
empty cell. The command line's ``sweep``, ``compare``, ``stats``, ``synthetic`` and batch ``check``
(``summary.csv``), and the HTTP service's CSV answers, all write their cells through here, by the
row writer or by pandas.

>>> cells({"report": "R1", "floor_conflict": False, "route": None, "periods_met": 2})
{'report': 'R1', 'floor_conflict': 'false', 'route': '', 'periods_met': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["FALSE", "TRUE", "cell", "cells", "frame_cells"]

TRUE: Final = "true"
FALSE: Final = "false"


def cell(value: object) -> object:
    """*value* as a CSV cell: a flag as ``true`` or ``false``, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    return value


def cells(row: Mapping[str, Any]) -> dict[str, Any]:
    """Each value of *row* as a CSV cell (:func:`cell`)."""
    return {key: cell(value) for key, value in row.items()}


def frame_cells(frame: Any) -> Any:
    """A pandas DataFrame whose flag columns are spelled as :func:`cell` spells them.

    pandas writes ``True`` and ``False``; other columns are left as they are.
    """
    spelled = frame.copy(deep=False)
    for name in frame.select_dtypes(include="bool").columns:
        spelled[name] = spelled[name].map({True: TRUE, False: FALSE})
    return spelled
