"""The one exception tree of the library.

Every error the library raises on purpose derives from :class:`CaseReviewError`
and from the builtin that matches it, so callers can catch either.  An error
means bad input or a bug; "threshold not met" is never an exception.
"""

from __future__ import annotations

import reprlib

__all__ = [
    "CaseReviewError",
    "InvalidInput",
    "InvalidPolicy",
    "InvalidPolicyFile",
    "InvalidRow",
    "NaiveDatetime",
    "ReportBeforeIncident",
]


_SHORT = reprlib.Repr()
_SHORT.maxstring = 80
_SHORT.maxother = 80
_SHORT.maxlevel = 3
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = _SHORT.maxfrozenset = 6


def shown(value: object) -> str:
    """*value* as an error message shows it: its repr, on one line and cut short.

    A message must never fail to build, nor run to pages: a number of
    thousands of digits, a string of megabytes or a list nested a hundred
    thousand deep is shown in brief.

    >>> shown("a" * 200)[:12], len(shown("a" * 200)) <= 80
    ("'aaaaaaaaaaa", True)
    >>> shown(10**5000)
    '<a whole number of 5001 digits>'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        digits = len(str(value)) if value.bit_length() < 14_000 else int(value.bit_length() * 0.30103) + 1
        return f"<a whole number of {digits} digits>"
    try:
        text = _SHORT.repr(value)
    except (RecursionError, ValueError):
        text = f"<{type(value).__name__}>"
    # reprlib cuts long strings but keeps what is left as it was: keep it to one line.
    return text.replace("\n", "\\n").replace("\r", "\\r")


class CaseReviewError(Exception):
    """Base class of every error this library raises on purpose."""


class InvalidInput(CaseReviewError, ValueError):
    """A value given to the library is malformed.

    ``field`` names where the value sits (``reports[2].made_on``) and
    ``value`` is the offending value itself.
    """

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{field}={shown(value)}: {problem}")

    def at(self, prefix: str) -> InvalidInput:
        """The same error, with *prefix* put before the field it names."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.field = f"{prefix}.{self.field}" if prefix else self.field
        clone.args = (f"{clone.field}={shown(self.value)}: {self.problem}",)
        return clone


class NaiveDatetime(InvalidInput):
    """A datetime without a timezone was given where a calendar day is derived.

    A naive datetime cannot be placed on a London calendar day near midnight
    or across a clock change, so it is refused rather than guessed at.
    """

    def __init__(self, field: str, value: object) -> None:
        super().__init__(
            field,
            value,
            "datetime has no timezone; pass a date, or an aware datetime "
            "(it is converted to its Europe/London calendar day)",
        )


class ReportBeforeIncident(InvalidInput):
    """A report is dated before the behaviour it reports began."""


class InvalidPolicy(CaseReviewError, ValueError):
    """A policy, or a policy file, is malformed.

    ``path`` names the place inside the policy (``local[1].at_least``).
    """

    def __init__(self, path: str, value: object, problem: str) -> None:
        self.path = path
        self.value = value
        self.problem = problem
        super().__init__(f"{path}={shown(value)}: {problem}")


class InvalidPolicyFile(InvalidPolicy):
    """A policy file, or a file of test cases, is malformed.

    Names the file as well as the path inside it (``local[1].at_least``) and
    the value found there.  An empty ``path`` means the file as a whole (it is
    not valid TOML or JSON).
    """

    def __init__(self, file: str, path: str, value: object, problem: str) -> None:
        super().__init__(path, value, problem)
        self.file = file
        self.args = (f"{file}: {path}={shown(value)}: {problem}" if path else f"{file}: {problem}",)


class InvalidRow(InvalidInput):
    """A row of a batch table is malformed.

    ``row`` is the 1-based number of the data row (the header is not counted),
    and ``field`` the column, by the library's name for it.
    """

    def __init__(self, row: int, field: str, value: object, problem: str) -> None:
        super().__init__(field, value, problem)
        self.row = row
        self.args = (f"row {row}: {field}={shown(value)}: {problem}",)
