"""The limits the library promises to hold, and the checks that hold them (see docs/reliability.md).

Every limit is here, in one place, so that the documentation, the checks and
the tests name the same numbers.  The checks raise the library's own errors
(or return a problem in words for the caller to raise), never a builtin one.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Mapping
from typing import Any, Final

from .errors import InvalidInput

MIN_DATE: Final = dt.date(1900, 1, 1)
"""The earliest date the library accepts anywhere (applications, reports, policies, ``as_of``)."""
MAX_DATE: Final = dt.date(2499, 12, 31)
"""The latest date the library accepts anywhere."""
MAX_MONTHS: Final = 1200
"""The longest span in calendar months (100 years)."""
MAX_DAYS: Final = 36_525
"""The longest span in days (100 years)."""
MAX_COUNT: Final = 10_000
"""The largest number a count rule (or a threshold) may ask for."""
MAX_WORKING_DAYS: Final = 1_000
"""The largest number of working days a policy's timescales may give."""
MAX_RULE_DEPTH: Final = 32
"""How deeply rules may nest (a leaf rule is 1 deep; ``all_of(count(3))`` named by a rule is 3)."""
MAX_DATA_DEPTH: Final = 100
"""How deeply tables and lists may nest in a JSON or TOML file."""
MAX_LINE: Final = 65_536
"""The most characters one line (row) of a CSV table may hold."""
MAX_DIGITS: Final = 4_300
"""The most digits a number in a file may have (Python's own limit for reading integers)."""

MAX_WORKBOOK: Final = 1 << 30
"""The most bytes an ``.xlsx`` workbook may expand to when unzipped (1 GiB; a zip bomb is refused)."""

RANGE: Final = f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


def supported_day(day: dt.date, field: str) -> dt.date:
    """*day* if it lies in the supported range, else an error naming *field*.

    >>> supported_day(dt.date(2026, 2, 28), "made_on")
    datetime.date(2026, 2, 28)
    >>> supported_day(dt.date(9999, 12, 31), "made_on")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidInput: made_on=datetime.date(9999, 12, 31): is outside the supported ...
    """
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInput(field, day, f"is outside the supported dates, {RANGE}")
    return day


# Characters that would break a line of text, or cannot be written out at all:
# controls (C0 and C1, which include newline and U+0085), lone surrogates, and
# the Unicode line and paragraph separators (and, below, the controls that reorder text).
_UNPRINTABLE: Final = frozenset({"Cc", "Cs", "Zl", "Zp"})


def text_problem(value: str) -> str | None:
    r"""What is wrong with *value* as one line of text, or ``None`` when nothing is.

    >>> text_problem("R1"), text_problem("R1\nOutcome: MET")
    (None, 'holds the control character U+000A at position 2')
    """
    if value.isprintable():
        # The common case, checked in C: printable text holds none of the characters refused.
        return None
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if category in _UNPRINTABLE:
            what = "a lone surrogate" if category == "Cs" else "the control character"
            if category in ("Zl", "Zp"):
                what = "the line separator" if category == "Zl" else "the paragraph separator"
            return f"holds {what} U+{ord(char):04X} at position {index}"
        if char in _BIDI_CONTROLS:
            return f"holds the bidirectional control U+{ord(char):04X} at position {index}"
    return None


_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""The embeddings, overrides and isolates, which reorder the text shown after them: an id holding
one could be displayed as another (``R1\u202eTEM :emoctuO``)."""


def surrogate_problem(value: str) -> str | None:
    r"""What is wrong with *value* as free text that can be written out, or ``None``.

    Free text (a rule's label, a policy's title) may run over several lines,
    with tabs, but a lone surrogate cannot be encoded in any file or terminal,
    and no other control character can be written into a Word letter (XML) or
    printed without acting on the terminal (ESC starts its commands).

    >>> surrogate_problem("a\udc80")
    'holds a lone surrogate U+DC80 at position 1'
    >>> surrogate_problem("Area\nline two"), surrogate_problem("Area\x1b[31m")
    (None, 'holds the control character U+001B at position 4')
    """
    if value.isprintable():
        return None
    for index, char in enumerate(value):
        if "\ud800" <= char <= "\udfff":
            return f"holds a lone surrogate U+{ord(char):04X} at position {index}"
        if char not in _FREE_CONTROLS and unicodedata.category(char) == "Cc":
            return f"holds the control character U+{ord(char):04X} at position {index}"
    return None


_FREE_CONTROLS: Final = frozenset("\t\n\r\x7f")
"""The control characters free text may hold: tab, newline, carriage return, and DEL (inert)."""


def too_deep(value: object, limit: int = MAX_DATA_DEPTH) -> bool:
    """Whether the lists and mappings in *value* nest more than *limit* deep (checked without recursion).

    >>> too_deep([[1]], 2), too_deep([[[1]]], 2)
    (False, True)
    """
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth + 1 > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class Unreadable(ValueError):
    """A document could not be read; the message says why without quoting it."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise Unreadable(f"the key {key!r} is given twice in one object")
        data[key] = value
    return data


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Unreadable(f"a number has more than {MAX_DIGITS:,} digits")
    return int(text)


def _constant(text: str) -> float:
    raise Unreadable(f"{text} is not a JSON number")


def loads_json(text: str) -> Any:
    """The data in the JSON document *text*: keys unique, numbers of sane size, nesting bounded.

    Raises :class:`json.JSONDecodeError` for text that is not JSON and
    :class:`Unreadable` for the rest; neither quotes the document.

    >>> loads_json('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    asb_case_review._limits.Unreadable: the key 'a' is given twice in one object
    """
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=_number, parse_constant=_constant)
    except RecursionError:
        raise Unreadable(f"lists and objects nest more than {MAX_DATA_DEPTH} deep") from None
    if too_deep(data):
        raise Unreadable(f"lists and objects nest more than {MAX_DATA_DEPTH} deep")
    return data


def decode(data: bytes) -> str:
    r"""*data* decoded as UTF-8 (a byte-order mark dropped), or :class:`Unreadable` naming the byte offset.

    >>> decode(b"id\xff")
    Traceback (most recent call last):
    ...
    asb_case_review._limits.Unreadable: not UTF-8 text: invalid start byte at byte 2
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(f"not UTF-8 text: {error.reason} at byte {error.start}") from None
