"""Readers that name where bad data is: the file and the path in it, or the row and the field.

Shared by the policy-file reader, the cases reader, the report tables and the published figures,
so that every surface refuses bad input in the same words.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import enum
import math
import re
from collections.abc import Mapping
from typing import Any, Final, Literal, TypeVar

from ._limits import MAX_COUNT, RANGE, supported_day, surrogate_problem, text_problem
from .dates import london_day
from .errors import InvalidInput, InvalidPolicyFile, InvalidRow, NaiveDatetime

__all__ = [
    "DATE_FORMATS",
    "DateFormat",
    "FileReader",
    "check_date_format",
    "join_path",
    "parse_day",
    "row_day",
    "row_text",
    "unknown",
]

E = TypeVar("E", bound=enum.Enum)


def join_path(path: str, key: str) -> str:
    """*key* under *path*, as errors write it: ``local[0].window``.

    >>> join_path("local[0]", "window"), join_path("", "id")
    ('local[0].window', 'id')
    """
    if not key:
        return path
    return f"{path}.{key}" if path else key


def unknown(what: str, value: str, known: Any) -> str:
    """A problem saying *value* is not *what*, with the nearest known word and the choices."""
    words = sorted(str(k) for k in known)
    near = difflib.get_close_matches(value, words, n=1)
    hint = f"did you mean {near[0]!r}? " if near else ""
    return f"is not {what}; {hint}expected one of: {', '.join(words)}"


class FileReader:
    """Reads one file's parsed data (policy or cases file), naming the file and the path in every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, value: object, problem: str) -> InvalidPolicyFile:
        return InvalidPolicyFile(self.file, path, value, problem)

    def table(self, value: object, path: str, keys: tuple[str, ...], what: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, value, f"must be a table of {what}")
        for key in value:
            if key not in keys:
                raise self.fail(
                    join_path(path, str(key)), value[key], unknown(f"a key of {what}", str(key), keys)
                )
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, value, "must be a non-empty string")
        # Ids name things on one line of a decision; other text (labels, titles) may run on.
        one_line = path.rsplit(".", 1)[-1] == "id"
        problem = text_problem(value) if one_line else surrogate_problem(value)
        if problem is not None:
            raise self.fail(path, value, problem)
        return value

    def optional_text(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        return None if key not in data else self.text(data[key], join_path(path, key))

    def required(self, data: Mapping[str, Any], key: str, path: str) -> Any:
        if key not in data:
            raise self.fail(join_path(path, key), None, "is required")
        return data[key]

    def whole(self, value: object, path: str, minimum: int, maximum: int = MAX_COUNT) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, value, "must be a whole number")
        if value < minimum:
            raise self.fail(path, value, f"must be at least {minimum}")
        if value > maximum:
            raise self.fail(path, value, f"must be at most {maximum:,}")
        return value

    def flag(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, value, "must be true or false")
        return value

    def day(self, value: object, path: str) -> dt.date:
        if isinstance(value, dt.datetime):
            raise self.fail(path, value, "must be a date (YYYY-MM-DD) without a time")
        day = None
        if isinstance(value, dt.date):
            day = value
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            with contextlib.suppress(ValueError):
                day = dt.date.fromisoformat(value)
        if day is None:
            raise self.fail(path, value, "must be a date written YYYY-MM-DD")
        try:
            return supported_day(day, path)
        except InvalidInput:
            raise self.fail(path, value, f"is outside the supported dates, {RANGE}") from None

    def choice(self, kind: type[E], value: object, path: str) -> E:
        words = [str(member.value) for member in kind]
        if not isinstance(value, str) or value not in words:
            raise self.fail(path, value, unknown("a choice here", str(value), words))
        return kind(value)

    def words(self, value: object, path: str) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(path, value, "must be a list of strings")
        return [self.text(item, f"{path}[{index}]") for index, item in enumerate(value)]


# ------------------------------------------------------------------ days written in files

_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?\Z")
_DAY_FIRST: Final = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\Z")

DateFormat = Literal["iso", "day-first"]
"""How dates are written in text: ``iso`` (``2025-01-02``) or ``day-first`` (``02/01/2025``, UK exports)."""

DATE_FORMATS: Final[tuple[DateFormat, ...]] = ("iso", "day-first")


def check_date_format(value: object) -> DateFormat:
    """*value* if it is a known date format, else an error naming ``date_format``.

    >>> check_date_format("dd/mm/yyyy")
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidInput: date_format='dd/mm/yyyy': must be 'iso' or 'day-first'
    """
    if value == "iso":
        return "iso"
    if value == "day-first":
        return "day-first"
    raise InvalidInput("date_format", value, "must be 'iso' or 'day-first'")


def parse_day(value: object, path: str, *, date_format: DateFormat = "iso") -> dt.date:
    """A calendar day from text written as *date_format* says, or from a date.

    ``iso`` takes ``YYYY-MM-DD`` or an aware ISO datetime string.
    ``day-first`` takes ``DD/MM/YYYY`` only (one- or two-digit day and month,
    four-digit year): ``02/01/2025`` is 2 January.  Neither guesses: text in the
    other format is an error, so a file never mixes the two silently.

    >>> parse_day("2026-03-29T00:30:00+00:00", "made_on")
    datetime.date(2026, 3, 29)
    >>> parse_day("2025-06-30T23:30:00+00:00", "made_on")
    datetime.date(2025, 7, 1)
    >>> parse_day("02/01/2025", "made_on", date_format="day-first")
    datetime.date(2025, 1, 2)
    """
    if check_date_format(date_format) == "day-first" and not isinstance(value, dt.date):
        return supported_day(_parse_day_first(value, path), path)
    return supported_day(_parse_day(value, path), path)


def _parse_day_first(value: object, path: str) -> dt.date:
    problem = "is not a date written DD/MM/YYYY (the day-first date format)"
    if not isinstance(value, str):
        raise InvalidInput(path, value, problem)
    match = _DAY_FIRST.match(value.strip())
    if match is None:
        raise InvalidInput(path, value, problem)
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidInput(path, value, f"{problem}: there is no such day") from None


def _parse_day(value: object, path: str) -> dt.date:
    if isinstance(value, dt.date):
        return london_day(value, path)
    if not isinstance(value, str):
        raise InvalidInput(path, value, "must be a date written YYYY-MM-DD")
    text = value.strip()
    # Only the extended calendar form: fromisoformat would also take "20260228" or the week
    # date "2026-W09-6", which a person writing a file almost certainly did not mean.
    if not _DAY.match(text):
        raise InvalidInput(path, value, "is not a date written YYYY-MM-DD")
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(path, value, "is not a date written YYYY-MM-DD") from None
    if moment.utcoffset() is None:
        # Name the text as written, which is what the author of the file will look for.
        raise NaiveDatetime(path, value)
    return london_day(moment, path)


# ------------------------------------------------------------------ cells of numbered rows


def row_text(row: int, field: str, value: object, *, required: bool) -> str | None:
    # pandas gives NaN (a float unequal to itself) for an empty cell.
    empty = value is None or (isinstance(value, float) and math.isnan(value))
    text = "" if empty else str(value).strip()
    if not text:
        if required:
            raise InvalidRow(row, field, value, "is required")
        return None
    # The models refuse the same: a cell is printed in tables and letters, one line each.  Spaces
    # and tabs around a cell are padding; any other control or separator (which str.strip would
    # also have removed) is refused, wherever it sits, rather than silently dropped.
    problem = text_problem(str(value).strip(" \t"))
    if problem is not None:
        raise InvalidRow(row, field, value, problem)
    return text


def row_day(
    row: int, field: str, value: object, *, required: bool, date_format: DateFormat = "iso"
) -> dt.date | None:
    """The day in a cell of row *row*, or an error naming the row and *field*.

    A date value (a spreadsheet's date cell, pandas' midnight timestamp) is
    taken as it is; text is read in *date_format* (see :func:`parse_day`).
    """
    # pandas gives naive midnight timestamps for plain dates: midnight is the date itself.
    if (
        isinstance(value, dt.datetime)
        and value.tzinfo is None
        and (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
    ):
        try:
            return supported_day(value.date(), field)
        except InvalidInput as error:
            raise InvalidRow(row, field, value.date(), error.problem) from None
    try:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return supported_day(value, field)
        text = row_text(row, field, value, required=required)
        if text is None:
            return None
        return parse_day(text, field, date_format=date_format)
    except InvalidRow:
        raise
    except InvalidInput as error:
        raise InvalidRow(row, field, value, error.problem) from None
