"""Converters shared by the models and rules: closed vocabularies with errors that name the field."""

from __future__ import annotations

import enum
from typing import TypeVar

from .errors import InvalidInput

E = TypeVar("E", bound=enum.Enum)


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
