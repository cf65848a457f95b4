"""The wording of the applicant's letter, read from the message files in ``messages/``.

Each language has one TOML file (``en.toml``, ``cy.toml``) holding every sentence
the letter can say, as templates.  The code chooses which sentences to say and
fills them in; it holds no wording of its own.  A file is read the first time
its language is asked for, and kept: reading it again would give the same value.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, Final, Literal, TypeAlias, get_args

import attrs

from .errors import InvalidInput

__all__ = ["LANGUAGES", "Language", "Messages", "messages"]

Language: TypeAlias = Literal["en", "cy"]
"""A language the letter is written in: English or Welsh (Cymraeg)."""

LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)

_VOWELS: Final = frozenset("aeiouwyâêîôûŵŷáéíóúàèìòù")


@attrs.frozen
class Messages:
    """The letter's wording in one language, looked up by dotted key (``"review.intro"``)."""

    code: Language
    data: Mapping[str, Any] = attrs.field(repr=False)

    def entry(self, key: str) -> Any:
        """The raw entry at *key*; a missing one is a bug in a message file, named."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(f"messages/{self.code}.toml has no entry {key!r}")
            node = node[part]
        return node

    def text(self, key: str, **fields: object) -> str:
        """The template at *key* filled in with *fields*."""
        template = self.entry(key)
        assert isinstance(template, str), key
        return template.format(**fields)

    def count(self, key: str, n: int, **fields: object) -> str:
        """The ``one`` or ``many`` form at *key* for the number *n*, with ``{n}`` in words or figures."""
        forms = self.entry(key)
        template = forms["one" if n == 1 else "many"]
        return str(template).format(n=self.number(n), **fields)

    def number(self, n: int) -> str:
        """*n* as the letter writes it: in words where the file gives them, otherwise in figures."""
        words: Sequence[str] = self.entry("numbers.words")
        return words[n] if 0 <= n < len(words) else str(n)

    def date(self, day: dt.date) -> str:
        """*day* as a letter writes it in this language (``8 February 2026``, ``8 Chwefror 2026``)."""
        months: Sequence[str] = self.entry("dates.months")
        return self.text("dates.date", day=day.day, month=months[day.month - 1], year=day.year)

    def join(self, items: Sequence[str]) -> str:
        """*items* as a list in a sentence: ``a, b and c``."""
        if len(items) == 1:
            return items[0]
        # Welsh writes "ac" for "and" before a vowel; English gives the same word for both.
        last = "lists.last_before_vowel" if items[-1][:1].lower() in _VOWELS else "lists.last"
        return f"{self.text('lists.separator').join(items[:-1])}{self.text(last)}{items[-1]}"


def _language(value: object) -> Language:
    for code in LANGUAGES:
        if value == code:
            return code
    raise InvalidInput("language", value, f"must be one of: {', '.join(LANGUAGES)}")


@functools.cache
def _read(code: Language) -> Messages:
    data = tomllib.loads(resources.files(__package__).joinpath("messages", f"{code}.toml").read_text("utf-8"))
    return Messages(code, data)


def messages(language: object) -> Messages:
    """The wording in *language* (``"en"`` or ``"cy"``); an error naming the value otherwise.

    >>> messages("cy").date(dt.date(2026, 2, 8))
    '8 Chwefror 2026'
    """
    return _read(_language(language))


def fields_of(template: str) -> frozenset[str]:
    """The ``{names}`` a template fills in (for the test that every language has the same)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)
