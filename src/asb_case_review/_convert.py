"""Converters shared by the models and rules: closed vocabularies with errors that name the field."""

from __future__ import annotations

import enum
from typing import TypeVar

from .errors import InvalidInput

E = TypeVar("E", bound=enum.Enum)


def whole(field: str, value: object, minimum: int) -> int:
    """*value* if it is a whole number (not a bool) of at least *minimum*, else an error naming *field*.

    >>> whole("months", 6, 1)
    6
    >>> whole("months", 0, 1)
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidInput: months=0: must be a whole number of at least 1
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(field, value, f"must be a whole number of at least {minimum}")
    return value


def choice(kind: type[E], field: str, value: object) -> E:
    """*value* as a member of *kind*, or an error naming *field*, the value and the choices.

    >>> import enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    >>> choice(Colour, "colour", "red")
    <Colour.RED: 'red'>
    >>> choice(Colour, "colour", "blue")
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidInput: colour='blue': must be one of red
    """
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise InvalidInput(field, value, f"must be one of {choices}") from None
