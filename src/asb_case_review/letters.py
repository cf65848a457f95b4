"""Letters to the applicant: plain text, HTML and Word (DOCX), in English, Welsh or both.

A letter carries the area's name, the decision, what counted and what did not,
the area's appeal route and its dates where the policy publishes them, and
never names another complainant: its body is the applicant's letter of
:func:`~asb_case_review.render.for_applicant`, in paragraphs.  Every word of
it comes from the message files (``messages/en.toml``, ``messages/cy.toml``).

For an area in Wales the letter is, by default, bilingual: Welsh first, then
English, as the Welsh Language Standards expect of Welsh councils and police.

:func:`write_letter` writes one letter to a file or a binary stream; the
command line (``check --letter``) and batch tools call it.  The Word format
needs the ``letters`` extra (``pip install 'asb-case-review[letters]'``).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import textwrap
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Final, Literal, TypeAlias, cast, get_args

import attrs

from ._limits import supported_day
from ._messages import LANGUAGES, Language, messages
from .decision import Decision
from .errors import InvalidInput
from .law.logic import Outcome
from .policy import Policy, Region
from .render import applicant_paragraphs

__all__ = [
    "FORMATS",
    "LETTER_LANGUAGES",
    "Format",
    "Letter",
    "LetterLanguage",
    "compose",
    "default_language",
    "render_docx",
    "render_html",
    "render_text",
    "write_letter",
]

Format: TypeAlias = Literal["text", "html", "docx"]
"""The forms a letter is written in."""

FORMATS: Final[tuple[Format, ...]] = get_args(Format)

LetterLanguage: TypeAlias = Literal["en", "cy", "both"]
"""English, Welsh, or both in one letter (Welsh first)."""

LETTER_LANGUAGES: Final[tuple[LetterLanguage, ...]] = get_args(LetterLanguage)

_WIDTH: Final = 78
"""A plain-text letter is wrapped to this width."""

_DATE: Final = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b")


@attrs.frozen
class Letter:
    """One letter in one language: its heading, the decision, the body and the closing."""

    language: Language
    area: str
    """The area's name, as its policy is titled."""
    title: str
    reference: str
    dated: str | None
    """The date of the letter (the decision), or ``None`` when it was not given."""
    headline: str
    """The decision in one sentence."""
    paragraphs: tuple[str, ...]
    note: str | None
    """A note on the wording quoted in English in a letter in another language."""
    closing: str
    signed: str


def default_language(policy: Policy) -> LetterLanguage:
    """The language of a letter under *policy* when none is asked for: both, for an area in Wales.

    >>> from asb_case_review.catalogue import get_policy
    >>> default_language(get_policy("wrexham")), default_language(get_policy("statutory"))
    ('both', 'en')
    """
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be a Policy")
    return "both" if policy.region is Region.WALES else "en"


def _languages(language: object, policy: Policy) -> tuple[Language, ...]:
    if language is None:
        language = default_language(policy)
    if language == "both":
        return ("cy", "en")
    for code in LANGUAGES:
        if language == code:
            return (code,)
    raise InvalidInput("language", language, f"must be one of: {', '.join(LETTER_LANGUAGES)}")


_HEADLINE: Final = {
    Outcome.MET: "letter.met",
    Outcome.NOT_MET: "letter.not_met",
    Outcome.UNKNOWN: "letter.undetermined",
}


def compose(
    decision: Decision, *, language: LetterLanguage | None = None, decided_on: dt.date | None = None
) -> tuple[Letter, ...]:
    """The letter for *decision*, one :class:`Letter` per language (Welsh first when both).

    *language* is ``"en"``, ``"cy"`` or ``"both"``; ``None`` chooses by the
    area (:func:`default_language`).  *decided_on* dates the letter and turns
    the area's working-day time limit for a review into a date.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> [letter.headline for letter in compose(evaluate(example_application(), STATUTORY), language="both")]
    ["Penderfyniad: mae'r trothwy ar gyfer Adolygiad Achos Ymddygiad Gwrthgymdeithasol wedi'i fodloni.", \
'Decision: the threshold for an ASB Case Review is met.']
    """
    if not isinstance(decision, Decision):
        raise InvalidInput("decision", decision, "must be a Decision (see asb_case_review.evaluate)")
    if decided_on is not None and (
        isinstance(decided_on, dt.datetime) or not isinstance(decided_on, dt.date)
    ):
        raise InvalidInput("decided_on", decided_on, "must be a date (datetime.date) or None")
    if decided_on is not None:
        supported_day(decided_on, "decided_on")
    letters = []
    for code in _languages(language, decision.policy):
        m = messages(code)
        area = decision.policy.title
        letters.append(
            Letter(
                language=code,
                area=area,
                title=m.text("letter.title"),
                reference=m.text("letter.reference", application=decision.application.id),
                dated=None if decided_on is None else m.text("letter.dated", date=m.date(decided_on)),
                headline=m.text(_HEADLINE[decision.outcome]),
                paragraphs=applicant_paragraphs(decision, decided_on=decided_on, language=code),
                note=m.text("letter.quoted_note") or None,
                closing=m.text("letter.closing"),
                signed=m.text("letter.signed", area=area),
            )
        )
    return tuple(letters)


def _checked(letters: object) -> tuple[Letter, ...]:
    """*letters*, refused by name unless they are one or more :class:`Letter` (as :func:`compose` gives)."""
    if isinstance(letters, Sequence) and letters and all(isinstance(one, Letter) for one in letters):
        return tuple(letters)
    raise InvalidInput("letters", letters, "must be one or more Letter, as compose() gives them")


def _wrap(paragraph: str) -> str:
    """*paragraph* wrapped for a plain-text letter, never splitting a date such as 1 March 2026."""
    glued = _DATE.sub(lambda m: "\N{NO-BREAK SPACE}".join(m.groups()), paragraph)
    return textwrap.fill(glued, width=_WIDTH, break_long_words=False, break_on_hyphens=False).replace(
        "\N{NO-BREAK SPACE}", " "
    )


def render_text(letters: Sequence[Letter]) -> str:
    """The letters as plain text, wrapped at 78 characters, one after another."""
    letters = _checked(letters)
    blocks = []
    for letter in letters:
        lines = [letter.area, "", letter.title, letter.reference]
        if letter.dated is not None:
            lines.append(letter.dated)
        lines.extend(["", _wrap(letter.headline)])
        for paragraph in (*letter.paragraphs, *([letter.note] if letter.note else [])):
            lines.extend(["", _wrap(paragraph)])
        lines.extend(["", letter.closing, _wrap(letter.signed)])
        blocks.append("\n".join(lines))
    return ("\n\n" + "-" * _WIDTH + "\n\n").join(blocks) + "\n"


_STYLE: Final = (
    "body{font-family:Arial,sans-serif;font-size:12pt;line-height:1.4;max-width:40em;margin:2em auto;"
    "color:#0b0c0c}article+article{border-top:1px solid #b1b4b6;margin-top:2em;padding-top:1em}"
    "@media print{article+article{break-before:page;border:0}}"
)


def render_html(letters: Sequence[Letter]) -> str:
    """The letters as one HTML page, each an ``<article>`` with its own ``lang``, text escaped."""
    letters = _checked(letters)
    e = html.escape
    first = letters[0]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{first.language}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(first.title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
    ]
    for letter in letters:
        parts.append(f'<article lang="{letter.language}">')
        parts.append(f"<p><strong>{e(letter.area)}</strong></p>")
        parts.append(f"<h1>{e(letter.title)}</h1>")
        parts.append(
            f"<p>{e(letter.reference)}" + ("" if letter.dated is None else f"<br>{e(letter.dated)}") + "</p>"
        )
        parts.append(f"<p><strong>{e(letter.headline)}</strong></p>")
        parts.extend(f"<p>{e(p)}</p>" for p in letter.paragraphs)
        if letter.note:
            parts.append(f"<p><em>{e(letter.note)}</em></p>")
        parts.append(f"<p>{e(letter.closing)}<br>{e(letter.signed)}</p>")
        parts.append("</article>")
    parts.extend(["</body>", "</html>", ""])
    return "\n".join(parts)


_EPOCH: Final = (1980, 1, 1, 0, 0, 0)
"""Every part of a Word file is stamped with this time, so that one letter is always the same bytes."""


def render_docx(letters: Sequence[Letter], stream: IO[bytes]) -> None:
    """Write the letters as one Word document to *stream*, each language from a new page.

    The document's own dates are the letter's date (or 1 January 1980 when
    none was given) and no clock is read: the same letter gives the same bytes.
    """
    letters = _checked(letters)
    if isinstance(stream, io.TextIOBase) or not callable(getattr(stream, "write", None)):
        raise InvalidInput("stream", stream, "must be a binary stream (opened 'wb')")
    try:
        import docx  # noqa: PLC0415 - the optional extra, imported only to write a Word file
        from docx.enum.text import WD_BREAK  # noqa: PLC0415 - as above
    except ImportError:
        raise ImportError(
            "a Word (.docx) letter needs python-docx: pip install 'asb-case-review[letters]'"
        ) from None

    document = docx.Document()
    for index, letter in enumerate(letters):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph().add_run(letter.area).bold = True
        document.add_heading(letter.title, level=1)
        document.add_paragraph(letter.reference)
        if letter.dated is not None:
            document.add_paragraph(letter.dated)
        document.add_paragraph().add_run(letter.headline).bold = True
        for paragraph in letter.paragraphs:
            document.add_paragraph(paragraph)
        if letter.note:
            document.add_paragraph().add_run(letter.note).italic = True
        document.add_paragraph(letter.closing)
        document.add_paragraph(letter.signed)
    properties = document.core_properties
    properties.title = letters[0].title
    properties.language = "-".join(letter.language for letter in letters)
    properties.author = properties.last_modified_by = letters[0].area
    stamp = dt.datetime(*_EPOCH)
    properties.created = properties.modified = properties.last_printed = stamp
    built = io.BytesIO()
    document.save(built)
    stream.write(_restamped(built.getvalue()))


def _restamped(data: bytes) -> bytes:
    """*data*, a zip file, with every member stamped at :data:`_EPOCH` (the writer stamps the clock)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(info))
    return out.getvalue()


def write_letter(
    decision: Decision,
    format: Format,  # noqa: A002 - the name every caller knows the choice by (--letter FORMAT)
    target: str | os.PathLike[str] | IO[bytes],
    *,
    language: LetterLanguage | None = None,
    decided_on: dt.date | None = None,
) -> None:
    """Write the applicant's letter for *decision* in *format* to *target*: a path or a binary stream.

    *format* is ``"text"`` (UTF-8, wrapped at 78), ``"html"`` or ``"docx"``
    (needs the ``letters`` extra).  *language* and *decided_on* are as for
    :func:`compose`.  Nothing is written when an argument is refused.

    >>> import io
    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> out = io.BytesIO()
    >>> write_letter(evaluate(example_application(), STATUTORY), "text", out)
    >>> out.getvalue().decode().splitlines()[0]
    'The statutory threshold of s.104(4), with no local rules'
    """
    if format not in FORMATS:
        raise InvalidInput("format", format, f"must be one of: {', '.join(FORMATS)}")
    path = _target_path(target)
    letters = compose(decision, language=language, decided_on=decided_on)
    if format == "docx":
        built = io.BytesIO()
        render_docx(letters, built)
        data = built.getvalue()
    else:
        data = (render_text(letters) if format == "text" else render_html(letters)).encode("utf-8")
    if path is not None:
        path.write_bytes(data)
    else:
        cast("IO[bytes]", target).write(data)


def _target_path(target: object) -> Path | None:
    """The path *target* names, or ``None`` for a binary stream; anything else is refused by name."""
    if isinstance(target, str | os.PathLike):
        name = os.fspath(target)
        if not isinstance(name, str) or not name or "\x00" in name:
            raise InvalidInput("target", target, "must be a file name (text, not empty, without NUL)")
        return Path(name)
    if isinstance(target, io.TextIOBase) or not callable(getattr(target, "write", None)):
        raise InvalidInput("target", target, "must be a file name or a binary stream (opened 'wb')")
    return None
