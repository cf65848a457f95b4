"""The command line: ``asb-case-review`` (also ``python -m asb_case_review``).

This module is the only place that reads files, prints, reads the clock or
exits.  Exit codes scripts can rely on:

====  =====================================================
0     the threshold is met
1     the threshold is not met
2     bad input: a usage error, an unreadable or malformed file
3     undetermined: the answer hangs on facts not supplied
4     an internal error (a bug: please report it)
130   interrupted (Ctrl-C)
====  =====================================================
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import logging
import os
import re
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TextIO, TypeVar

import attrs

from . import __version__, catalogue
from ._csvtext import csv_text, row_cells, written_as_is
from ._limits import MAX_DATE, MIN_DATE, Unreadable, decode, loads_json, text_problem
from ._readers import DATE_FORMATS, unknown
from .audit import audit_fields, stamped_decision
from .cases import load_cases, run_cases
from .catalogue import built_in_area, not_built_in, read_area
from .catalogue.features import Feature, features
from .conformance import Finding, Severity, check_area
from .dates import london_day
from .decision import Decision, evaluate
from .errors import CaseReviewError, InvalidPolicyFile
from .examples import example_application
from .law.floor import FloorReading
from .models import Application, Fact
from .parsing import application_from_mapping, parse_day
from .policy import Area, Body, Policy, Region
from .policyfile import dump
from .render import for_applicant, for_officer, to_applicant_dict, to_dict
from .rules import Outcome

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .analysis.intake import ColumnMapping, Unread
    from .letters import Format, LetterLanguage

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_ERROR",
    "EXIT_MET",
    "EXIT_NOT_MET",
    "EXIT_UNDETERMINED",
    "emit",
    "findings_markdown",
    "main",
    "progress",
]

T = TypeVar("T")

EXIT_MET: Final = 0
EXIT_NOT_MET: Final = 1
EXIT_BAD_INPUT: Final = 2
EXIT_UNDETERMINED: Final = 3
EXIT_ERROR: Final = 4
EXIT_INTERRUPTED: Final = 130

_EXIT_FOR: Final = {
    Outcome.MET: EXIT_MET,
    Outcome.NOT_MET: EXIT_NOT_MET,
    Outcome.UNKNOWN: EXIT_UNDETERMINED,
}

_EXIT_CODES = "exit codes: 0 met, 1 not met, 2 bad input, 3 undetermined, 4 internal error"
# What the commands that decide nothing return: they never say "not met" or "undetermined" by exit code.
_EXIT_DONE = "exit codes: 0 done, 2 bad input, 4 internal error"

_MAIN_EXAMPLES = """\
examples:
  asb-case-review check --example
  asb-case-review check examples/not-met-near-miss.json --for applicant
  asb-case-review check --help
  asb-case-review policies show merseyside --help

exit codes: check: 0 met, 1 not met, 3 undetermined; policies check and test: 1 a finding or a
failed case; every command: 0 done, 2 bad input, 4 internal error (each command's --help lists its own)
"""

_CHECK_EXAMPLES = f"""\
examples:
  asb-case-review check examples/met-statutory.json
  asb-case-review check examples/not-met-near-miss.json --for applicant
  asb-case-review check APPLICATION.json --policy staffordshire-moorlands --format json
  asb-case-review check APPLICATION.json --as-of 2026-03-31 --plot timeline.png
  asb-case-review check - < APPLICATION.json
  asb-case-review check --example
  asb-case-review check FOLDER --out decisions --letters
  asb-case-review check EXPORT.xlsx --columns examples/columns/council-cms.toml --out decisions
  asb-case-review check APPLICATION.json --letter docx --output letter.docx --decided-on today

{_EXIT_CODES}
many applications (a folder, .jsonl, .csv or .xlsx, with --out): 0 every one was decided,
2 some could not be read (each is named; the others are still decided) or there were none
"""

_LETTER_WIDTH: Final = 78
"""Applicant letters are wrapped to this width on the terminal; the library returns one paragraph."""


def progress(
    items: Iterable[T],
    *,
    total: int | None = None,
    label: str = "",
    stream: TextIO | None = None,
    delay: float = 1.0,
    clock: Callable[[], float] | None = None,
    enabled: bool = True,
) -> Iterator[T]:
    """Yield *items*, with a progress bar on *stream* (standard error) for work that takes a while.

    The bar appears only when *stream* is a terminal, *enabled* is true
    (``--no-progress`` makes it false) and the work has already taken *delay*
    seconds, so quick runs, pipes and files stay clean.  It is erased at the
    end.  *total* defaults to ``len(items)`` when *items* has a length.  The bar
    is tqdm's when tqdm (in the ``analysis`` extra) is installed; otherwise, or
    with an explicit *clock* (for tests), a plain one redrawn at most ten times
    a second.

    >>> list(progress(range(3), label="rows"))  # not a terminal here: nothing is drawn
    [0, 1, 2]
    """
    out = sys.stderr if stream is None else stream
    if total is None and isinstance(items, Sequence):
        total = len(items)
    if not enabled or not out.isatty():
        yield from items
        return
    if clock is None:
        try:
            from tqdm import tqdm  # noqa: PLC0415 (the analysis extra, only for a bar on a terminal)
        except ImportError:
            pass
        else:
            yield from tqdm(
                items, total=total, desc=label or None, file=out, delay=delay, leave=False, unit=" rows"
            )
            return
    ticks = time.monotonic if clock is None else clock
    started = ticks()
    drawn_at: float | None = None
    done = 0
    for item in items:
        yield item
        done += 1
        now = ticks()
        if now - started >= delay and (drawn_at is None or now - drawn_at >= 0.1):
            out.write("\r" + _bar(done, total, label))
            out.flush()
            drawn_at = now
    if drawn_at is not None:
        out.write("\r" + " " * len(_bar(done, total, label)) + "\r")
        out.flush()


def _bar(done: int, total: int | None, label: str) -> str:
    """One line of the progress bar, e.g. ``rows [########............]  40% 400/1000``."""
    prefix = f"{label} " if label else ""
    if not total:
        return f"{prefix}{done}"
    width = 20
    filled = min(width, done * width // total)
    return f"{prefix}[{'#' * filled}{'.' * (width - filled)}] {100 * done // total:3d}% {done}/{total}"


class _BadInput(Exception):
    """A file could not be read or parsed; the message names it."""


def _read_workbook(path: str) -> bytes:
    """The bytes of the file at *path* (a spreadsheet), or a one-line error naming it."""
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise _BadInput(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise _BadInput(f"{path}: cannot read: {error.strerror or error}") from None
    except ValueError:
        raise _BadInput(f"{path!r}: is not a usable file name") from None


_CHUNK: Final = 1 << 22
"""Files are read in pieces of this many bytes (4 MiB), so that a progress bar can follow them."""


def _read_text(path: str) -> str:
    """The text of the file at *path* ("-": standard input), or a one-line error naming it.

    The text must be UTF-8 (a byte-order mark is dropped); an error names the
    byte offset of the first bad byte and never the bytes themselves.
    """
    data = _read_file(path)
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return decode(data)
    except Unreadable as error:
        raise _BadInput(f"{_shown_path(path)}: {error}") from None


def _read_bytes(path: str, *, bar: Callable[[Iterable[int], int], Iterable[int]] | None = None) -> bytes:
    """The UTF-8 bytes of the file at *path*, checked as :func:`_read_text` checks them.

    *bar* wraps the pieces of a file as they are read (a progress bar).
    """
    data = _read_file(path, bar=bar)
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    try:
        # Decoded only to be checked, so that a bad byte is named here as for every file.
        decode(data)
    except Unreadable as error:
        raise _BadInput(f"{_shown_path(path)}: {error}") from None
    return data


def _shown_path(path: str) -> str:
    return "<stdin>" if path == "-" else path


def _read_file(path: str, *, bar: Callable[[Iterable[int], int], Iterable[int]] | None = None) -> bytes | str:
    """The bytes of the file at *path* ("-": standard input, which may be text), or a one-line error."""
    name = _shown_path(path)
    try:
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            # A text stream without bytes beneath (a test's StringIO) is already decoded.
            return sys.stdin.read() if stream is None else stream.read()
        if bar is None:
            return Path(path).read_bytes()
        return _read_in_pieces(Path(path), bar)
    except IsADirectoryError:
        raise _BadInput(f"{name}: is a directory, not a file") from None
    except OSError as error:
        raise _BadInput(f"{name}: cannot read: {error.strerror or error}") from None
    except ValueError:
        # A path with a NUL in it, which no file can have.
        raise _BadInput(f"{name!r}: is not a usable file name") from None


def _read_in_pieces(path: Path, bar: Callable[[Iterable[int], int], Iterable[int]]) -> bytes:
    """The bytes of *path*, read a piece at a time under *bar*."""
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        data = bytearray()
        for _ in bar(range(size // _CHUNK + 1), size // _CHUNK + 1):
            data += file.read(_CHUNK)
        # A file that grew while it was read is read to its end.
        data += file.read()
    return bytes(data)


def _load_application(path: str) -> Application:
    text = _read_text(path)
    path = "<stdin>" if path == "-" else path
    try:
        data = loads_json(text)
    except json.JSONDecodeError as error:
        raise _BadInput(f"{path}: line {error.lineno}: not valid JSON: {error.msg}") from None
    except Unreadable as error:
        raise _BadInput(f"{path}: not valid application JSON: {error}") from None
    try:
        return application_from_mapping(data)
    except CaseReviewError as error:
        raise _BadInput(f"{path}: {error}") from None


def _refuse_batch_options(args: argparse.Namespace) -> None:
    """Refuse, for one application, the options that only a batch or a table reads."""
    if args.out is not None or args.letters:
        raise _BadInput("check: --out and --letters decide a folder, .jsonl, .csv or .xlsx of applications")
    if args.column or args.columns or args.date_format or args.sheet:
        raise _BadInput(
            "check: --column, --columns, --date-format and --sheet read tables (.csv, .xlsx); "
            "an application JSON file writes its dates YYYY-MM-DD"
        )


def _check(args: argparse.Namespace) -> int:
    if args.example and args.application is not None:
        raise _BadInput(
            f"check: give an APPLICATION file or --example, not both ({args.application!r} given)"
        )
    if args.application is not None and _is_batch(args.application):
        return _check_batch(args)
    _refuse_batch_options(args)
    plot = None if args.plot is None else _plot_path(args.plot)
    letter = _letter_options(args)
    if args.example:
        application = example_application()
    elif args.application is None:
        raise _BadInput("check: give an APPLICATION file, or --example")
    else:
        application = _load_application(args.application)
    application = _with_facts(application, _facts(args.fact))
    area = _load_policy(args.policy)
    try:
        as_of = None if args.as_of is None else parse_day(args.as_of, "--as-of")
        decided_on = _decided_on(args.decided_on)
        # The version of the policy in force on the day decided for; the decision names it.
        policy = area.version_on(as_of or application.made_on)
    except CaseReviewError as error:
        raise _BadInput(str(error)) from None
    decision = evaluate(
        application,
        policy,
        as_of=as_of,
        enforce_floor=not args.report_floor_only,
        floor_reading=FloorReading(args.floor_reading),
    )
    # The picture is drawn before anything is printed, so that a missing extra
    # fails cleanly; it is saved after, so that its message follows the text.
    figure = None if plot is None else _draw(decision, private=args.audience == "applicant")
    if letter is not None and args.output is None:
        # The letter alone on standard output (text or HTML).
        stream = io.BytesIO()
        _write_letter(decision, _Letter(letter, args.language, decided_on), stream)
        emit(stream.getvalue().decode("utf-8").removesuffix("\n"))
    elif args.format == "json":
        # The applicant's JSON carries only what the letter may say: no other person's ids.
        data = (
            to_applicant_dict(decision, decided_on=decided_on)
            if args.audience == "applicant"
            else to_dict(decision)
        )
        emit(json.dumps(stamped_decision(data, policy), indent=2))
    elif args.audience == "applicant":
        emit(_wrap(for_applicant(decision, decided_on=decided_on)))
    else:
        emit(for_officer(decision))
    if letter is not None and args.output is not None:
        _write_letter(decision, _Letter(letter, args.language, decided_on), args.output)
        print(f"letter saved to {args.output}", file=sys.stderr)
    if figure is not None and plot is not None:
        _save(figure, plot)
    return _EXIT_FOR[decision.outcome]


# ------------------------------------------------------------------ many applications at once

_BATCH_SUFFIXES: Final = (".jsonl", ".csv", ".xlsx")
_SAFE: Final = re.compile(r"[^A-Za-z0-9._-]")
_SUMMARY: Final = (
    "source",
    "application",
    "outcome",
    "route",
    "matched",
    "policy",
    "policy_version",
    "problem",
)


def _is_batch(path: str) -> bool:
    """Whether *path* names many applications: a folder, a JSON Lines, CSV or spreadsheet file."""
    return path != "-" and (path.lower().endswith(_BATCH_SUFFIXES) or Path(path).is_dir())


def _facts(pairs: Sequence[str] | None) -> dict[Fact, bool]:
    """``--fact NAME=yes|no`` as case facts, refusing a name that is not one."""
    facts: dict[Fact, bool] = {}
    for name, value in _assumed(pairs).items():
        try:
            facts[Fact(name)] = value
        except ValueError:
            raise _BadInput(
                f"--fact {name}: {unknown('a case fact', name, [f.value for f in Fact])}"
            ) from None
    return facts


def _with_facts(application: Application, facts: dict[Fact, bool]) -> Application:
    from .analysis.intake import with_facts  # noqa: PLC0415 (the reader of tables, only when facts are given)

    if not facts:
        return application
    try:
        return with_facts(application, facts)
    except CaseReviewError as error:
        raise _BadInput(f"{application.id}: {error}") from None


def _mapping_of(args: argparse.Namespace) -> ColumnMapping:
    """The column mapping: the --columns file, then each --column, then --date-format and --sheet."""
    from .analysis.intake import ColumnMapping, load_mapping  # noqa: PLC0415 (only tables need it)

    mapping = ColumnMapping({})
    if args.columns is not None:
        try:
            mapping = load_mapping(_read_text(args.columns), file=args.columns)
        except CaseReviewError as error:
            raise _BadInput(str(error)) from None
    pairs: dict[str, str] = {}
    for pair in args.column or ():
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise _BadInput(
                f"--column={pair!r}: write LIBRARY_NAME=THEIR_NAME, e.g. --column 'id=Incident Ref'"
            )
        pairs[field.strip()] = column.strip()
    try:
        return mapping.updated(pairs, date_format=args.date_format, sheet=args.sheet)
    except CaseReviewError as error:
        raise _BadInput(f"--column: {error}") from None


def _floor_reading_option(command: argparse.ArgumentParser) -> None:
    """``--floor-reading``: the number the statutory floor asks for when a policy asks for more than three."""
    command.add_argument(
        "--floor-reading",
        choices=[r.value for r in FloorReading],
        default=FloorReading.POLICY_NUMBER.value,
        help="the statutory floor's number when the policy asks for more than three complaints: the "
        "policy's own, as s.104(4)'s words allow, or at most three, as the Explanatory Notes say "
        "(default: %(default)s)",
    )


def _table_options(command: argparse.ArgumentParser) -> None:
    """The options that say how to read an export: column names, dates, sheet."""
    command.add_argument(
        "--column",
        action="append",
        metavar="LIBRARY_NAME=THEIR_NAME",
        help="the export's name for one of the library's columns (e.g. 'made_on=Date Reported'); repeatable; "
        "overrides --columns",
    )
    command.add_argument(
        "--columns",
        metavar="FILE.toml",
        help="a saved column mapping for one source system (docs/data-in.md)",
    )
    command.add_argument(
        "--date-format",
        choices=DATE_FORMATS,
        help="how dates are written as text: iso (2025-01-02) or day-first (02/01/2025 is 2 January); "
        "never guessed (default: the mapping file's, else iso)",
    )
    command.add_argument(
        "--sheet", metavar="NAME", help="the sheet of an .xlsx workbook (default: the first)"
    )


def _unread_json(path: Path, facts: dict[Fact, bool]) -> Application | Unread:
    from .analysis.intake import Unread  # noqa: PLC0415

    try:
        return _with_facts(_load_application(str(path)), facts)
    except _BadInput as error:
        return Unread(path.name, None, str(error).removeprefix(f"{path}: "))


def _applications(
    args: argparse.Namespace, facts: dict[Fact, bool]
) -> list[tuple[str, Application | Unread]]:
    """Each application of the batch input, with where it came from, read or not."""
    from .analysis.intake import Unread, applications_from_table, read_xlsx, with_facts  # noqa: PLC0415 (tables only)
    from .analysis.table import csv_records  # noqa: PLC0415

    source = args.application
    if Path(source).is_dir():
        files = sorted(p for p in Path(source).iterdir() if p.suffix.lower() == ".json" and p.is_file())
        # A file's name is shown by its repr when it could break a line of the output (a newline in it).
        return [
            (p.name if text_problem(p.name) is None else repr(p.name), _unread_json(p, facts)) for p in files
        ]
    if source.lower().endswith(".jsonl"):
        found: list[tuple[str, Application | Unread]] = []
        # JSON Lines ends a line at LF (CRLF too) only: a JSON string may hold U+2028 as it is.
        for number, line in enumerate(_read_text(source).split("\n"), start=1):
            if not line.strip():
                continue
            try:
                found.append(
                    (f"line {number}", with_facts(application_from_mapping(loads_json(line)), facts))
                )
            except (json.JSONDecodeError, Unreadable) as error:
                found.append((f"line {number}", Unread(f"line {number}", None, f"not valid JSON: {error}")))
            except CaseReviewError as error:
                found.append((f"line {number}", Unread(f"line {number}", None, str(error))))
        return found
    mapping = _mapping_of(args)
    try:
        if source.lower().endswith(".xlsx"):
            sheet = read_xlsx(_read_workbook(source), sheet=mapping.sheet)
            header, rows = sheet.header, iter(sheet.rows)
            where = f"sheet {sheet.name!r} "
        else:
            if args.sheet is not None:
                raise _BadInput(f"--sheet {args.sheet}: {source} is not an .xlsx workbook")
            sheet = None
            header, rows = csv_records(_read_text(source))
            where = ""
        read = applications_from_table(
            header,
            rows,
            columns=dict(mapping.columns),
            date_format=mapping.date_format,
            facts=facts,
            sheet=sheet,
        )
    except ImportError as error:
        raise _BadInput(f"{source}: {error}") from None
    except CaseReviewError as error:
        raise _BadInput(f"{source}: {error}") from None
    return [(f"{where}{rows_of}", item) for rows_of, item in read]


@attrs.frozen
class _Letter:
    """How an applicant's letter is written: its format, language and date of decision."""

    format: Format
    language: LetterLanguage | None
    decided_on: dt.date | None


@attrs.frozen
class _Batch:
    """What a batch check does for each application, read once from the options (which stay as given)."""

    enforce_floor: bool
    floor_reading: FloorReading
    audience: str
    letter: _Letter | None


def _batch_options(args: argparse.Namespace) -> _Batch:
    """A batch's options, read once.

    ``--letters`` is ``--letter text``; each letter is written into --out, never --output.
    """
    if args.output is not None:
        raise _BadInput(
            f"--output {args.output}: names one letter's file; a batch writes each letter into --out"
        )
    if args.letters and args.letter not in (None, "text"):
        raise _BadInput(f"--letters writes text letters; give --letter {args.letter} alone")
    letter: Format | None = args.letter or ("text" if args.letters else None)
    if letter is None:
        _refuse_letter_options(args)
    try:
        decided_on = _decided_on(args.decided_on)
    except CaseReviewError as error:
        raise _BadInput(str(error)) from None
    return _Batch(
        enforce_floor=not args.report_floor_only,
        floor_reading=FloorReading(args.floor_reading),
        audience=args.audience,
        letter=None if letter is None else _Letter(letter, args.language, decided_on),
    )


def _check_batch(args: argparse.Namespace) -> int:
    """Decide every application of a folder, JSON Lines, CSV or spreadsheet; write each and a summary."""
    from .analysis.intake import Unread  # noqa: PLC0415

    if args.out is None:
        raise _BadInput(
            f"check {args.application}: many applications: name a folder to write them to, --out DIR"
        )
    if args.plot is not None or args.as_of is not None:
        raise _BadInput("check: --plot and --as-of decide one application, not a batch")
    options = _batch_options(args)
    if not args.out.strip() or "\x00" in args.out:
        raise _BadInput(f"--out={args.out!r}: name a folder to write the decisions to")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise _BadInput(f"--out {args.out}: is a file; name a folder")
    if out.is_dir() and Path(args.application).is_dir() and out.samefile(args.application):
        # Its decisions, named by application, would overwrite the application files read.
        raise _BadInput(f"--out {args.out}: is the folder of the applications; name another folder")
    facts = _facts(args.fact)
    entries = _applications(args, facts)
    if not entries:
        # Nothing to decide is almost always a wrong path (or an export with no rows): said, not
        # reported as "decided 0 of 0" with the exit code of success.
        what = "no application files (*.json)" if Path(args.application).is_dir() else "no applications"
        raise _BadInput(f"check {args.application}: holds {what}; there is nothing to decide")
    area = _load_policy(args.policy)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _BadInput(f"--out {args.out}: cannot make the folder: {error.strerror or error}") from None
    rows: list[dict[str, Any]] = []
    used: dict[str, str] = {}
    policies: dict[tuple[str, str], Policy] = {}
    for source, entry in entries:
        row: dict[str, Any] = dict.fromkeys(_SUMMARY)
        row["source"] = source
        try:
            if isinstance(entry, Unread):
                row["application"] = entry.id
                raise _BadInput(entry.problem)
            row["application"] = entry.id
            decision = _decide_into(out, entry, area, used, options)
        except (CaseReviewError, _BadInput) as error:
            row["problem"] = str(error)
            print(f"asb-case-review: {args.application}: {source}: {error}", file=sys.stderr)
        else:
            policies[(decision.policy.id, decision.policy.version)] = decision.policy
            row.update(_summary_of(decision))
        rows.append(row)
    table = "".join(csv_text(rows, _SUMMARY))
    _write(out / "summary.csv", table)
    summary = {**audit_fields(policies.values()), "applications": rows}
    _write(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    emit(json.dumps(summary, indent=2) if args.format == "json" else table.rstrip("\n"))
    unread = sum(1 for row in rows if row["outcome"] is None)
    print(
        f"asb-case-review: decided {len(rows) - unread} of {len(rows)} applications"
        + (f"; {unread} could not be read" if unread else "")
        + f"; written to {args.out}",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if unread else EXIT_MET


def _decide_into(
    out: Path, application: Application, area: Area, used: dict[str, str], options: _Batch
) -> Decision:
    """Decide *application* and write its decision (and letter) into *out*."""
    name = _SAFE.sub("_", application.id).lstrip(".") or "_"
    if name.split(".")[0].upper() in _DEVICES or name.casefold() == "summary":
        # Windows gives these names to devices, and summary.json is the batch's own file.
        name = "_" + name
    # Compared without case, as Windows and macOS compare file names: Abc.json would overwrite abc.json.
    if name.casefold() in used:
        raise _BadInput(f"its file name {name}.json is taken by application {used[name.casefold()]!r}")
    policy = area.version_on(application.made_on)
    used[name.casefold()] = application.id
    decision = evaluate(
        application, policy, enforce_floor=options.enforce_floor, floor_reading=options.floor_reading
    )
    data = to_applicant_dict(decision) if options.audience == "applicant" else to_dict(decision)
    _write(out / f"{name}.json", json.dumps(stamped_decision(data, policy), indent=2) + "\n")
    if options.letter is not None:
        path = out / f"{name}.letter.{_LETTER_SUFFIX[options.letter.format]}"
        _write_letter(decision, options.letter, str(path))
    return decision


_LETTER_SUFFIX: Final = {"text": "txt", "html": "html", "docx": "docx"}
_DEVICES: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
)
"""The file names Windows keeps for devices, whatever their suffix."""


def _summary_of(decision: Decision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome.value,
        "route": None if decision.route is None else decision.route.value,
        "matched": " ".join(decision.matched) or None,
        "policy": decision.policy.id,
        "policy_version": decision.policy.version,
    }


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise _BadInput(f"{path}: cannot write: {error.strerror or error}") from None


def _refuse_letter_options(args: argparse.Namespace) -> None:
    """--output and --language shape a letter: refused, by name, when no letter is asked for."""
    for given, name in ((args.output, "--output"), (args.language, "--language")):
        if given is not None:
            raise _BadInput(f"{name} {given}: is an option of the letter; give --letter text|html|docx")


def _letter_options(args: argparse.Namespace) -> Format | None:
    """The letter's format, after refusing options that make no sense together, before any work."""
    if args.letter is None:
        _refuse_letter_options(args)
        return None
    if args.output is None:
        if args.letter == "docx":
            raise _BadInput("--letter docx: a Word file needs --output FILE.docx")
        if args.format == "json" or args.audience == "applicant":
            # The letter alone goes to standard output; the other text would be silently dropped.
            shown = "--format json" if args.format == "json" else "--for applicant"
            raise _BadInput(
                f"--letter {args.letter}: with {shown}, name the letter's file with --output FILE"
            )
    elif not args.output.strip() or "\x00" in args.output:
        raise _BadInput(f"--output={args.output!r}: name the letter's file")
    elif Path(args.output).is_dir():
        raise _BadInput(f"--output {args.output}: is a directory; name a file, such as letter.{args.letter}")
    # argparse's choices made it one of the formats.
    chosen: Format = args.letter
    return chosen


def _decided_on(value: str | None) -> dt.date | None:
    """--decided-on: a date, or "today" (the London date now: the command line may read the clock)."""
    if value is None:
        return None
    if value == "today":
        return london_day(dt.datetime.now(dt.UTC))
    return parse_day(value, "--decided-on")


def _write_letter(decision: Decision, letter: _Letter, target: str | io.BytesIO) -> None:
    """Write *decision*'s letter to the file named *target*, or into the stream."""
    from .letters import write_letter  # noqa: PLC0415 - letters are loaded only for the command that writes one

    try:
        write_letter(decision, letter.format, target, language=letter.language, decided_on=letter.decided_on)
    except ImportError as error:
        raise _BadInput(f"--letter {letter.format}: {error}") from None
    except OSError as error:
        # Only a file can fail to be written: a stream is memory.
        raise _BadInput(f"--output {target}: cannot write the letter: {error.strerror or error}") from None


_DATE = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b")


def _wrap(paragraph: str) -> str:
    """Wrap a letter paragraph for the terminal without splitting a date such as 1 March 2026."""
    glued = _DATE.sub(lambda m: "\N{NO-BREAK SPACE}".join(m.groups()), paragraph)
    # textwrap breaks only on ordinary whitespace, so the no-break spaces hold each date together.
    return textwrap.fill(glued, width=_LETTER_WIDTH).replace("\N{NO-BREAK SPACE}", " ")


def emit(text: str) -> None:
    """Print *text* on standard output; if the reader has gone (``| head``), drop the rest quietly.

    The exit code still says the outcome: a closed pipe is not a failure of the decision.
    """
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point standard output at the null device, so that Python's final flush
        # at exit does not report the closed pipe a second time.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):
            pass


def _draw(decision: Decision, *, private: bool) -> Figure:
    from .plots import timeline  # noqa: PLC0415 - the optional extra is loaded only when asked for

    try:
        return timeline(decision, private=private)
    except ImportError as error:
        raise _BadInput(f"--plot: {error}") from None


def _plot_path(out: str) -> str:
    """The file the picture will be written to, checked before any work is done.

    A name without a suffix gets ``.png``, as matplotlib would add it; the
    message then names the file really written.  A directory is refused.
    """
    path = Path(out)
    if path.is_dir():
        raise _BadInput(f"--plot {out}: is a directory; name a file, such as {path / 'timeline.png'}")
    return out if path.suffix else f"{out}.png"


def _save(figure: Figure, out: str) -> None:
    try:
        figure.savefig(out, dpi=100)
    except (OSError, ValueError) as error:
        raise _BadInput(f"--plot {out}: cannot save the picture: {error}") from None
    print(f"timeline saved to {out}", file=sys.stderr)


_POLICIES_EXAMPLES = """\
examples:
  asb-case-review policies list --region "North West" --feature hate_route
  asb-case-review policies show merseyside
  asb-case-review policies check my-council.toml
  asb-case-review policies check --all --stale 365

exit codes: 0 done (check: no finding of severity error; with --strict, no warning either),
1 check found errors (or, with --stale, stale areas), 2 bad input (the message names the file
and the path in it), 4 internal error
"""

_POLICIES_LIST_EXAMPLES = """\
examples:
  asb-case-review policies list
  asb-case-review policies list --region Wales
  asb-case-review policies list --body pcc --format json
  asb-case-review policies list --feature community_route --feature recency_gate

exit codes: 0 done, 2 bad input, 4 internal error
"""

_POLICIES_SHOW_EXAMPLES = """\
examples:
  asb-case-review policies show merseyside
  asb-case-review policies show my-council.toml --format json

exit codes: 0 done, 2 bad input (the message names the file and the path in it), 4 internal error
"""

_POLICIES_CHECK_EXAMPLES = """\
examples:
  asb-case-review policies check my-council.toml
  asb-case-review policies check --all --format markdown
  asb-case-review policies check --all --stale 365 --today 2026-11-26

exit codes: 0 no finding of severity error (with --strict, no warning either; with --stale, no
stale area), 1 otherwise, 2 bad input (the message names the file and the path in it), 4 internal
error
"""

_TEST_EXAMPLES = """\
examples:
  asb-case-review test my-council.cases.toml
  asb-case-review test my-council.cases.toml --policy my-council-draft.toml

exit codes: 0 every case passed, 1 some case failed, 2 bad input, 4 internal error
"""


_LISTED_BY: Final = "'asb-case-review policies list'"


def _is_file(name: str) -> bool:
    return name.endswith((".toml", ".json")) or Path(name).is_file()


def _load_policy(name: str) -> Area:
    """A built-in area by id, or every version in a policy file the user named."""
    if not _is_file(name):
        try:
            return built_in_area(name)
        except KeyError:
            problem = not_built_in(
                name, catalogue.AREAS, what="a built-in policy or a file", listed_by=_LISTED_BY
            )
            raise _BadInput(f"policy={name!r}: {problem}") from None
    text = _read_text(name)
    try:
        area = read_area(text, format="json" if name.endswith(".json") else "toml", file=name)
    except CaseReviewError as error:
        raise _BadInput(str(error)) from None
    return _warn_gaps(area, name)


def _beside(cases_file: str, name: str) -> Area:
    """The policy a cases file names: a built-in one, or a policy file in the same directory.

    :func:`~asb_case_review.cases.load_cases` has already refused any other
    name (a path, ``..``).  The file is found beside the cases file and must
    really be there (not a link to elsewhere).  The user did not name this
    file, so an error about it names the place in it but never a value read
    from it: the file may not be a policy at all.
    """
    if not name.endswith((".toml", ".json")):
        try:
            return built_in_area(name)
        except KeyError:
            what = "a built-in policy or a file (a file ends .toml or .json)"
            problem = not_built_in(name, catalogue.AREAS, what=what, listed_by=_LISTED_BY)
            raise _BadInput(f"{cases_file}: policy={name!r}: {problem}") from None
    folder = Path(cases_file).parent
    path = folder / name
    where = f"{cases_file}: policy={name!r}"
    try:
        real = path.resolve()
        inside = real.parent == folder.resolve()
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        raise _BadInput(f"{where}: is not a file in the same directory as the cases file")
    try:
        text = _read_text(str(path))
    except _BadInput as error:
        raise _BadInput(f"{where}: {error}") from None
    try:
        area = read_area(text, format="json" if name.endswith(".json") else "toml", file=str(path))
    except InvalidPolicyFile as error:
        place = f"at {error.path}: " if error.path else ""
        raise _BadInput(f"{where}: {path} is not a valid policy file: {place}{error.problem}") from None
    except CaseReviewError:
        raise _BadInput(f"{where}: {path} is not a valid policy file") from None
    return _warn_gaps(area, str(path))


def _warn_gaps(area: Area, path: str) -> Area:
    for gap in area.gaps():
        print(f"asb-case-review: {path}: warning: no version is in force from {gap}", file=sys.stderr)
    return area


def _example_line(finding: Finding) -> str:
    example = finding.example
    if example is None:
        return ""
    reports = ", ".join(
        f"{r.reporter} on {r.made_on} (behaviour {r.incident.began_on}{', hate' if r.incident.hate else ''})"
        for r in example.reports
    )
    facts = ", ".join(f"{f.value}={str(v).lower()}" for f, v in example.facts)
    who = (
        example.applicant
        if example.on_behalf_of is None
        else f"{example.applicant} for {example.on_behalf_of}"
    )
    extra = f"; facts {facts}" if facts else ""
    if example.on_behalf_of is not None:
        extra += f"; consent {example.consent}"
    return f"application by {who} on {example.made_on}; reports by {reports}{extra}"


def findings_markdown(findings: dict[str, tuple[Finding, ...]]) -> str:
    """The findings for each policy as a Markdown section, as pasted into docs/conformance.md."""
    lines: list[str] = []
    for name, found in findings.items():
        lines.extend((f"### {name}", ""))
        if not found:
            lines.extend(("No findings.", ""))
            continue
        lines.extend(("| severity | where | finding | rests on | example |", "|---|---|---|---|---|"))
        for finding in found:
            cells = (
                finding.severity.value,
                f"`{finding.path}`",
                finding.message,
                finding.source.cite(),
                _example_line(finding) or "—",
            )
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _listed(args: argparse.Namespace) -> list[Area]:
    """The built-in areas that pass the list filters."""
    wanted = set(args.feature or ())
    kept = []
    for area in sorted(catalogue.AREAS.values(), key=lambda a: a.id):
        latest = area.latest
        if args.region is not None and (latest.region is None or latest.region.value != args.region):
            continue
        if args.body is not None and (latest.body is None or latest.body.value != args.body):
            continue
        if not wanted <= {f.value for f in features(latest)}:
            continue
        kept.append(area)
    return kept


def _read_on(area: Area) -> dt.date | None:
    """The day the area's own source page was last read, if recorded."""
    sources = [v.source for v in area.versions if v.source is not None and v.source.read_on is not None]
    return max((s.read_on for s in sources if s.read_on is not None), default=None)


def _policies_list(args: argparse.Namespace) -> int:
    areas = _listed(args)
    if args.format == "json":
        rows = [
            {
                "id": a.id,
                "title": a.latest.title,
                "region": None if a.latest.region is None else a.latest.region.value,
                "body": None if a.latest.body is None else a.latest.body.value,
                "scheme": a.latest.scheme,
                "features": sorted(f.value for f in features(a.latest)),
                "read_on": None if _read_on(a) is None else str(_read_on(a)),
                "versions": [v.version for v in a.versions],
            }
            for a in areas
        ]
        emit(json.dumps(rows, indent=2))
        return 0
    for area in areas:
        latest = area.latest
        region = "" if latest.region is None else latest.region.value
        emit(f"{area.id:36} {region:26} {latest.version:12} {latest.title}")
    return 0


def _policies_show(args: argparse.Namespace) -> int:
    areas = [_load_policy(name) for name in _names(args)]
    try:
        texts = [dump(area, format=args.format) for area in areas]
    except ImportError as error:
        # Writing TOML needs the toml extra; the message says how to install it.
        raise _BadInput(f"policies show: {error}") from None
    for text in texts:
        emit(text.rstrip("\n"))
    return 0


def _names(args: argparse.Namespace) -> list[str]:
    names: list[str] = sorted(catalogue.AREAS) if getattr(args, "all", False) else list(args.policies)
    if not names:
        raise _BadInput(f"policies {args.action}: name a built-in policy or a policy file (or --all)")
    return names


def _policies_check(args: argparse.Namespace) -> int:
    # An option the chosen mode would ignore is refused: the user expected it to do something.
    if args.stale is None and args.today is not None:
        raise _BadInput(f"policies check: --today={args.today!r} counts days for --stale; give --stale DAYS")
    if args.stale is not None and (args.strict or args.format != "text"):
        given = "--strict" if args.strict else f"--format {args.format}"
        raise _BadInput(f"policies check: {given} applies to the check, not to --stale's list of areas")
    areas = [_load_policy(name) for name in _names(args)]
    if args.stale is not None:
        # The one place the library reads the clock: how old each reading is, today.
        today = dt.date.today() if args.today is None else parse_day(args.today, "--today")
        old = [(a.id, _read_on(a)) for a in areas]
        stale = [(i, d) for i, d in old if d is None or (today - d).days > args.stale]
        for ident, day in stale:
            age = "no date read recorded" if day is None else f"read on {day}, {(today - day).days} days ago"
            emit(f"{ident}: {age}")
        emit(f"{len(stale)} of {len(areas)} read more than {args.stale} days before {today}")
        return 1 if stale else 0
    findings = {area.id: check_area(area) for area in areas}
    if args.format == "json":
        emit(json.dumps(_findings_json(areas, findings), indent=2))
    elif args.format == "markdown":
        emit(findings_markdown(findings))
    else:
        for name, found in findings.items():
            emit(f"{name}: {len(found)} finding{'s' if len(found) != 1 else ''}")
            for finding in found:
                emit(f"  {finding}")
                if finding.example is not None:
                    emit(f"    example: {_example_line(finding)}")
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    return 1 if any(f.severity in failing for found in findings.values() for f in found) else 0


def _findings_json(areas: Sequence[Area], findings: dict[str, tuple[Finding, ...]]) -> dict[str, Any]:
    """The findings of each checked policy (its latest version named), led by the audit fields."""
    listed = []
    for area in areas:
        found = findings[area.id]
        listed.append(
            {
                "findings": [
                    {
                        "severity": f.severity.value,
                        "path": f.path,
                        "message": f.message,
                        "source": f.source.cite(),
                        "example": _example_line(f) or None,
                    }
                    for f in found
                ],
            }
        )
    fields = audit_fields(area.latest for area in areas)
    for stamp, entry in zip(fields["policies"], listed, strict=True):
        stamp.update(entry)
    return fields


def _test(args: argparse.Namespace) -> int:
    text = _read_text(args.cases)
    try:
        cases = load_cases(text, format="json" if args.cases.endswith(".json") else "toml", file=args.cases)
    except CaseReviewError as error:
        raise _BadInput(str(error)) from None
    # The policy given on the command line, or the one the cases file names (beside it, or built in).
    area = _load_policy(args.policy) if args.policy is not None else _beside(args.cases, cases.policy)
    try:
        run = run_cases(cases, area)
    except CaseReviewError as error:
        raise _BadInput(f"{args.cases}: {error}") from None
    emit(run.summary())
    return 0 if run.passed else 1


_ANALYSIS_EXAMPLES = f"""\
examples:
  asb-case-review sweep REPORTS.csv --policy statutory --policy merseyside
  asb-case-review sweep REPORTS.csv --standings --format json
  asb-case-review compare REPORTS.csv --policy statutory --policy merseyside --show flips
  asb-case-review stats APPLICATIONS.csv --by quarter

bad rows are reported on standard error with their row number (1 is the first row after
the header) and field; --skip-bad-rows leaves them out and lists them instead of stopping.

{_EXIT_DONE}
"""


def _load_reports(args: argparse.Namespace) -> Any:
    # Only the analysis commands need these.
    from .analysis.intake import reports_from_xlsx  # noqa: PLC0415
    from .analysis.table import csv_lines, pandas_reader, reports_from_csv  # noqa: PLC0415

    mapping = _mapping_of(args)
    on_error: Literal["stop", "skip"] = "skip" if args.skip_bad_rows else "stop"
    try:
        if args.reports.lower().endswith(".xlsx"):
            table = reports_from_xlsx(
                _read_workbook(args.reports),
                sheet=mapping.sheet,
                columns=mapping.report_columns,
                on_error=on_error,
                date_format=mapping.date_format,
            )
        elif args.sheet is not None:
            raise _BadInput(f"--sheet {args.sheet}: {args.reports} is not an .xlsx workbook")
        elif pandas_reader("auto"):
            # The columnar reader takes the whole text at once; the bar follows the file as it is read.
            data = _read_bytes(args.reports, bar=lambda pieces, total: progress(
                pieces, total=total, label="reading", enabled=args.progress, delay=args.progress_delay
            ))  # fmt: skip
            table = reports_from_csv(
                data, on_error=on_error, columns=mapping.report_columns, date_format=mapping.date_format
            )
        else:
            # The library splits the lines where the csv module does; the bar counts them as they are read.
            lines = csv_lines(_read_text(args.reports))
            table = reports_from_csv(
                progress(lines, label="reading", enabled=args.progress, delay=args.progress_delay),
                on_error=on_error,
                columns=mapping.report_columns,
                date_format=mapping.date_format,
            )
    except ImportError as error:
        raise _BadInput(f"{args.reports}: {error}") from None
    except CaseReviewError as error:
        raise _BadInput(f"{args.reports}: {error}") from None
    for problem in table.problems:
        print(f"asb-case-review: {args.reports}: skipped {problem}", file=sys.stderr)
    return table


def _analysis_policies(names: Sequence[str] | None) -> list[Any]:
    """The latest version of each named policy (built-in or file); the statute by default."""
    return [_load_policy(name).latest for name in names or ["statutory"]]


def _rows_out(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    args: argparse.Namespace | None = None,
    policies: Iterable[Policy] = (),
    columns: Sequence[str] = (),
) -> None:
    """Write *rows* as CSV or JSON; with no row, a CSV still gets its header when *columns* are known."""
    shown = args is not None and args.progress
    delay = 1.0 if args is None else args.progress_delay
    if fmt == "json":
        # The audit fields lead; a cell left empty for CSV ("") is null in JSON.
        written = [
            {key: None if value == "" else value for key, value in row.items()}
            for row in progress(rows, label="writing", enabled=shown, delay=delay)
        ]
        emit(json.dumps({**audit_fields(policies), "rows": written}, indent=2, default=str))
        return
    if not rows and not columns:
        return
    shown_rows = progress(rows, label="writing", enabled=shown, delay=delay)
    emit("".join(csv_text(shown_rows, list(rows[0]) if rows else columns)).rstrip("\n"))


def _assumed(pairs: Sequence[str] | None) -> dict[str, bool]:
    """Case facts assumed for every application, from ``--fact NAME=yes|no``."""
    facts: dict[str, bool] = {}
    for pair in pairs or ():
        name, _, said = pair.partition("=")
        answer = {"yes": True, "true": True, "no": False, "false": False}.get(said.strip().lower())
        if answer is None:
            raise _BadInput(f"--fact={pair!r}: write NAME=yes or NAME=no")
        facts[name.strip()] = answer
    return facts


def _sweep(args: argparse.Namespace) -> int:
    from .analysis.sweep import sweep  # noqa: PLC0415 (only the analysis commands need it)

    table = _load_reports(args)
    policies = _analysis_policies(args.policy)
    results = [
        sweep(table, policy, facts=_assumed(args.fact), floor_reading=FloorReading(args.floor_reading))
        for policy in progress(policies, label="sweeping", enabled=args.progress, delay=args.progress_delay)
    ]
    if args.standings or args.format == "json" or not _has_pandas():
        rows: list[dict[str, Any]] = []
        for result in results:
            rows.extend(result.standing_records() if args.standings else result.records())
        _rows_out(rows, args.format, args=args, policies=policies)
    else:
        _frames_out(results, args)
    return EXIT_MET


def _has_pandas() -> bool:
    from .analysis.table import pandas_reader  # noqa: PLC0415 (only the analysis commands need it)

    return pandas_reader("auto")


_ROWS_AT_ONCE: Final = 100_000
"""The CSV writer writes this many rows at a time, so that the bar moves and memory stays flat."""


def _frames_out(results: Sequence[Any], args: argparse.Namespace) -> None:
    """Sweeps as one CSV on standard output, a block of rows at a time, a column at a time.

    Each block's columns are built in one go from the sweep's arrays and written by the csv
    module's writer (in C), which quotes as pandas' writer does and takes half its time.
    """
    blocks = [(result, at) for result in results for at in range(0, len(result), _ROWS_AT_ONCE)]
    if not blocks:
        # As for the row-by-row writer: no rows, no output.
        return
    header = True
    try:
        for result, at in progress(blocks, label="writing", enabled=args.progress, delay=args.progress_delay):
            sys.stdout.write(_csv_block(result, at, at + _ROWS_AT_ONCE, header=header))
            header = False
        sys.stdout.flush()
    except BrokenPipeError:
        emit("")


def _csv_block(result: Any, start: int, stop: int, *, header: bool) -> str:
    """Rows *start* to *stop* of a sweep as CSV text: the bytes the csv module's writer writes.

    A row is its report, reporter and matter, then its day, then its policy, outcomes, route and
    rules, then the day it stays met until and whether the floor decided it.  Each of the last
    three parts takes few distinct values, numbered by arithmetic on the sweep's arrays (no sort):
    each distinct value is written once, by the csv module's writer, and each row is joined from
    its text cells and its parts' cells.  Where a text cell would need quotes, or the numpy engine
    did not run, the csv module writes every cell.
    """
    import numpy as np  # noqa: PLC0415 (the analysis extra: the sweep's arrays are numpy's)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(result.text_columns(0, 0))
    stop = min(stop, len(result))
    texts = [result.report[start:stop], result.reporter[start:stop], result.matter[start:stop]]
    a = result.arrays
    if a is None or not all(map(written_as_is, texts)):
        writer.writerows(map(row_cells, zip(*result.text_columns(start, stop).values(), strict=True)))
        return buffer.getvalue()
    rows = slice(start, stop)
    until = a.met_until[rows]
    # Not met (-1) and met for ever (never and up) are both an empty cell: one code for both.
    until = np.where((until >= 0) & (until < a.never), until + 1, 0)
    route, policy_outcome = a.route[rows].astype(np.int64), a.policy_outcome[rows].astype(np.int64)
    conflict = a.floor_conflict(rows)
    middle = ((a.outcome[rows].astype(np.int64) * 3 + policy_outcome) * 4 + route) * len(a.rule_sets)
    parts = (
        _cells_by_code(result, a.day[rows].astype(np.int64), start, ("day",)),
        _cells_by_code(result, middle + a.matched[rows], start,
                       ("policy", "outcome", "policy_outcome", "route", "matched")),
        _cells_by_code(result, until * 2 + conflict, start, ("met_until", "floor_conflict")),
    )  # fmt: skip
    # The rows' cells and separators laid out in one list by slice assignment, then joined: the
    # interpreter makes no call per row (a format per row takes four times as long).
    columns = (*texts, *parts)
    laid: list[Any] = [None, ","] * len(columns) * (stop - start)
    laid[2 * len(columns) - 1 :: 2 * len(columns)] = ["\n"] * (stop - start)
    for at, column in enumerate(columns):
        laid[2 * at :: 2 * len(columns)] = column
    buffer.write("".join(laid))
    return buffer.getvalue()


def _cells_by_code(result: Any, codes: Any, start: int, names: tuple[str, ...]) -> list[str]:
    """For each row, the written cells of the answer columns *names*, where equal *codes* mean equal cells.

    A row of each distinct code is written by the csv module's writer (with an empty cell after it,
    so that a lone empty cell is written as the middle of a row is), and the rows take their code's.
    """
    import numpy as np  # noqa: PLC0415 (the analysis extra: the sweep's arrays are numpy's)

    # A block is never empty: the writer makes blocks of the rows there are.
    offset = codes - codes.min()
    some = np.full(int(offset.max()) + 1, -1, np.int64)
    some[offset] = np.arange(offset.size)  # a row of each code present (any one of them)
    present = np.flatnonzero(some >= 0)
    picked = result.answer_columns(some[present] + start)
    written = np.empty(some.size, object)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    for i, at in enumerate(present.tolist()):
        text.seek(0)
        text.truncate()
        writer.writerow([*row_cells(picked[name][i] for name in names), ""])
        written[at] = text.getvalue()[:-2]
    return written[offset].tolist()  # type: ignore[no-any-return]


def _compare(args: argparse.Namespace) -> int:
    from .analysis.compare import compare  # noqa: PLC0415 (analysis only)

    table = _load_reports(args)
    policies = _analysis_policies(args.policy)
    try:
        comparison = compare(
            table,
            policies,
            engine=args.engine,
            facts=_assumed(args.fact),
            floor_reading=FloorReading(args.floor_reading),
            progress=lambda policies: progress(
                policies, label="sweeping", enabled=args.progress, delay=args.progress_delay
            ),
        )
    except ImportError as error:
        # Asked for the numpy engine without the extra that provides it: a setup problem, not a bug.
        raise _BadInput(
            f"compare --engine {args.engine}: needs asb-case-review[analysis] ({error.name})"
        ) from None
    rows, columns = comparison.view(args.show)
    _rows_out(rows, args.format, args=args, policies=policies, columns=columns)
    return EXIT_MET


def _stats(args: argparse.Namespace) -> int:
    # The analysis commands alone need these; numbered_figures takes rows the CSV reader already numbered.
    from .analysis.stats import numbered_figures  # noqa: PLC0415
    from .analysis.table import RowProblem, csv_lines, csv_records  # noqa: PLC0415

    problems: list[RowProblem] = []
    text = _read_text(args.applications)
    try:
        _, records = csv_records(
            progress(csv_lines(text), label="reading", enabled=args.progress, delay=args.progress_delay)
        )
        rows = numbered_figures(
            records, by=args.by, on_error="skip" if args.skip_bad_rows else "stop", problems=problems
        )
    except CaseReviewError as error:
        raise _BadInput(f"{args.applications}: {error}") from None
    for problem in problems:
        print(f"asb-case-review: {args.applications}: skipped {problem}", file=sys.stderr)
    _rows_out(rows, args.format, args=args)
    return EXIT_MET


def _synthetic(args: argparse.Namespace) -> int:
    from .analysis.synthetic import synthetic_reports  # noqa: PLC0415 (only this command needs it)

    if args.count < 1:
        raise _BadInput(f"synthetic: COUNT={args.count}: must be at least 1")
    first, last = MIN_DATE.year, MAX_DATE.year - 2
    if not first <= args.year <= last:
        raise _BadInput(f"synthetic: --year={args.year}: must be a year from {first} to {last}")
    table = synthetic_reports(args.count, seed=args.seed, year_starting=args.year)
    _rows_out(list(table.records()), "csv")
    return EXIT_MET


def _analysis_options(command: argparse.ArgumentParser, *, policies: bool) -> None:
    if policies:
        command.add_argument(
            "--policy",
            action="append",
            metavar="NAME|FILE",
            help="a built-in policy or a policy file (its latest version); repeat for several "
            "(default: statutory)",
        )
        command.add_argument(
            "--fact",
            action="append",
            metavar="NAME=yes|no",
            help="a case fact assumed for every application (e.g. no_action_taken=yes); repeat for "
            "several; a fact not given is unknown",
        )
        _floor_reading_option(command)
    command.add_argument("--format", choices=("csv", "json"), default="csv")
    command.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="never show a progress bar (by default one appears on standard error, when it is a "
        "terminal, for work that takes more than a second)",
    )
    command.add_argument(
        "--progress",
        dest="progress_delay",
        action="store_const",
        const=0.0,
        default=1.0,
        help="show the progress bar from the start, however quick the work (still only on a terminal)",
    )
    command.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="leave out bad rows, listing each on stderr with its row number (default: stop at the first)",
    )


def _add_policies(commands: Any) -> None:
    policies = commands.add_parser(
        "policies",
        help="list, show and check policies against the statute",
        description="List the built-in policies (filtered by region, kind of body or rule features), "
        "show one as a policy file, or check policies (built-in or files) against s.104 and its guidance.",
        epilog=_POLICIES_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = policies.add_subparsers(dest="action", required=True, metavar="list|show|check")
    listing = actions.add_parser(
        "list",
        help="the built-in policies, filtered",
        description="List the built-in policies; filters combine (every one must hold).",
        epilog=_POLICIES_LIST_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.add_argument("--region", choices=[r.value for r in Region], help="an ONS region, or Wales")
    listing.add_argument("--body", choices=[b.value for b in Body], help="the kind of body that publishes it")
    listing.add_argument(
        "--feature",
        action="append",
        choices=[f.value for f in Feature],
        metavar="FEATURE",
        help="a kind of rule the policy has (repeatable): " + ", ".join(f.value for f in Feature),
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(run=_policies_list)
    show = actions.add_parser(
        "show",
        help="a policy as a policy file",
        description="Print each policy (built-in name or file) as a policy file.",
        epilog=_POLICIES_SHOW_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("policies", nargs="+", metavar="NAME|FILE")
    show.add_argument("--format", choices=("toml", "json"), default="toml")
    show.set_defaults(run=_policies_show)
    checking = actions.add_parser(
        "check",
        help="check policies against s.104 and its guidance",
        description="Check each policy (built-in name or file, or --all) against s.104 and its "
        "guidance; with --stale, list instead the areas whose page was read more than DAYS ago.",
        epilog=_POLICIES_CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    checking.add_argument("policies", nargs="*", metavar="NAME|FILE")
    checking.add_argument("--all", action="store_true", help="every built-in policy")
    checking.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    checking.add_argument("--strict", action="store_true", help="warnings fail too")
    checking.add_argument(
        "--stale", type=int, metavar="DAYS", help="list the areas whose source was read more than DAYS ago"
    )
    checking.add_argument(
        "--today", metavar="YYYY-MM-DD", help="--stale: count the days to this date, not to today"
    )
    checking.set_defaults(run=_policies_check)


def _letter_arguments(command: argparse.ArgumentParser) -> None:
    """Check's options for the applicant's letter: its format, file, language and date."""
    command.add_argument(
        "--letter",
        choices=("text", "html", "docx"),
        help="write the applicant's letter in this format (docx needs the 'letters' extra); it never "
        "names other complainants",
    )
    command.add_argument(
        "--output",
        metavar="FILE",
        help="--letter: the file to write it to (default: standard output; docx needs a file)",
    )
    command.add_argument(
        "--language",
        choices=("en", "cy", "both"),
        help="--letter: English, Welsh, or both in one letter, Welsh first (default: both for an area "
        "in Wales, English elsewhere)",
    )
    command.add_argument(
        "--decided-on",
        metavar="YYYY-MM-DD|today",
        help="the date of the decision: dates the letter and gives the last day to ask for a review "
        "(default: undated, the time limit given in working days)",
    )


class _Parser(argparse.ArgumentParser):
    """A parser that takes no abbreviation of an option, and remembers itself as the command's parser.

    An abbreviation (``--pol`` for ``--policy``) would stop meaning the same when an option is added,
    so only whole option names are accepted; an unknown option is then reported with the usage of the
    command it was given to (see :func:`main`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)
        self.set_defaults(parser=self)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="asb-case-review",
        description="Decide whether an application for an ASB Case Review (Anti-social\n"
        "Behaviour, Crime and Policing Act 2014, s.104) meets the threshold, and explain why.",
        epilog=_MAIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="decide one application and explain the decision",
        description="Decide one application (a JSON file) under a policy and explain why; or many\n"
        "(a folder of JSON files, a JSON Lines, CSV or .xlsx file) into a folder, with a summary.",
        epilog=_CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "application",
        nargs="?",
        metavar="APPLICATION.json",
        help="the application file; - reads standard input; a folder, .jsonl, .csv or .xlsx holds many "
        "(with --out)",
    )
    check.add_argument("--example", action="store_true", help="use the built-in example application")
    check.add_argument(
        "--policy",
        default="statutory",
        metavar="NAME|FILE",
        help="built-in policy (see 'policies list') or a policy file to apply, in the version "
        "in force on the day decided (default: %(default)s)",
    )
    check.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="treat the application as made on this date, a what-if (default: the date it was made); "
        "the statute measures every window to the day an application is made, not the day it is decided",
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people, json for case-management systems (default: %(default)s)",
    )
    check.add_argument(
        "--for",
        dest="audience",
        choices=("officer", "applicant"),
        default="officer",
        help="whom the text is for (default: %(default)s); the applicant's never names other complainants",
    )
    check.add_argument(
        "--plot",
        metavar="OUT.png",
        help="also save the timeline picture of the application (needs the 'plot' extra); "
        "with --for applicant it names no one",
    )
    check.add_argument(
        "--report-floor-only",
        action="store_true",
        help="follow the policy as written and only report a statutory-floor conflict",
    )
    _floor_reading_option(check)
    check.add_argument(
        "--fact",
        action="append",
        metavar="NAME=yes|no",
        help="a case fact (e.g. no_action_taken=yes); repeat for several; a fact not given is unknown, "
        "and one the application records differently is an error",
    )
    check.add_argument(
        "--out",
        metavar="DIR",
        help="many applications: write each decision (NAME.json), and summary.csv and summary.json, here",
    )
    check.add_argument(
        "--letters",
        action="store_true",
        help="many applications: also write each applicant letter as text (NAME.letter.txt); "
        "--letter html|docx writes NAME.letter.html or .docx instead",
    )
    _table_options(check)
    _letter_arguments(check)
    check.set_defaults(run=_check)

    _add_policies(commands)

    test = commands.add_parser(
        "test",
        help="run a file of decision test cases against its policy",
        description="Run the test cases of CASES_FILE against the policy it names (or --policy), "
        "and report which rules of the policy the cases exercised.",
        epilog=_TEST_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    test.add_argument("cases", metavar="CASES_FILE")
    test.add_argument(
        "--policy", metavar="NAME|FILE", help="the policy to test (default: the one the file names)"
    )
    test.set_defaults(run=_test)

    sweep = commands.add_parser(
        "sweep",
        help="for every report: would its reporter's application that day have been met?",
        description="Sweep policies over a CSV of reports (columns: id, reporter, household, matter, "
        "incident, began_on, ended_on, made_on, agency, kind, hate). Each report is read as the "
        "application its reporter could have made that day about the same matter.",
        epilog=_ANALYSIS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sweep.add_argument("reports", metavar="REPORTS.csv")
    sweep.add_argument(
        "--standings", action="store_true", help="one row per reporter and matter: first met, stopped"
    )
    _analysis_options(sweep, policies=True)
    _table_options(sweep)
    sweep.set_defaults(run=_sweep)

    compare = commands.add_parser(
        "compare",
        help="compare policies over the same reports",
        description="Counts met under each policy, the applications that flip between policies and "
        "why, and statutory-floor conflicts.",
        epilog=_ANALYSIS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("reports", metavar="REPORTS.csv")
    compare.add_argument("--show", choices=("summary", "flips", "conflicts"), default="summary")
    compare.add_argument("--engine", choices=("auto", "python", "numpy"), default="auto")
    _analysis_options(compare, policies=True)
    _table_options(compare)
    compare.set_defaults(run=_compare)

    stats = commands.add_parser(
        "stats",
        help="the four published figures by financial year or quarter",
        description="From a CSV of applications (id, received_on, threshold, decided_on, "
        "review_completed_on, recommendations): applications, threshold not met, reviews carried "
        "out, reviews with recommendations.",
        epilog=_ANALYSIS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stats.add_argument("applications", metavar="APPLICATIONS.csv")
    stats.add_argument("--by", choices=("year", "quarter"), default="year")
    _analysis_options(stats, policies=False)
    stats.set_defaults(run=_stats)

    synthetic = commands.add_parser(
        "synthetic",
        help="write a seeded synthetic table of reports as CSV, to try the analysis commands on",
        description="Write COUNT synthetic reports (heavy-tailed matters, repeat reporters, lags "
        "from the same day to months, about 3% hate incidents, busy month ends) as CSV in the "
        "columns sweep and compare read. The same seed always gives the same table.",
        epilog="examples:\n  asb-case-review synthetic 5000 --seed 1 > reports.csv\n"
        f"  asb-case-review synthetic 200 | asb-case-review sweep - --policy merseyside\n\n{_EXIT_DONE}\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    synthetic.add_argument("count", type=int, metavar="COUNT")
    synthetic.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    synthetic.add_argument(
        "--year", type=int, default=2023, help="first year of the data (default: %(default)s)"
    )
    synthetic.set_defaults(run=_synthetic)

    _add_serve(commands)
    _add_completion(commands)
    return parser


def _add_completion(commands: Any) -> None:
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (needs the completion extra)",
        description="Print the script that completes asb-case-review's commands, options and choices in "
        "SHELL. Needs pip install 'asb-case-review[completion]'.",
        epilog="examples:\n  asb-case-review completion bash > ~/.local/share/bash-completion/completions/"
        "asb-case-review\n  asb-case-review completion zsh > ~/.zfunc/_asb-case-review\n\n"
        f"{_EXIT_DONE}\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=("bash", "zsh", "tcsh"), metavar="bash|zsh|tcsh")
    completion.set_defaults(run=_completion)


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the JSON API and the web pages over HTTP (needs the serve extra)",
        description="Serve decisions over HTTP: the JSON API under /api (OpenAPI at /docs) and the "
        "officer's and applicant's pages at /. Needs pip install 'asb-case-review[serve]'.",
        epilog="examples:\n  asb-case-review serve\n  asb-case-review serve --host 0.0.0.0 --port 8080\n\n"
        f"{_EXIT_DONE}\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="(default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="(default: %(default)s)")
    serve.add_argument(
        "--max-body",
        type=int,
        default=1_000_000,
        metavar="BYTES",
        help="largest JSON body (default: %(default)s)",
    )
    serve.add_argument(
        "--max-upload",
        type=int,
        default=20_000_000,
        metavar="BYTES",
        help="largest request of any kind, a CSV upload included (default: %(default)s)",
    )
    serve.add_argument(
        "--max-depth",
        type=int,
        default=32,
        metavar="N",
        help="deepest nesting in a JSON body (default: %(default)s)",
    )
    serve.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="longest work for one request, 503 beyond (default: %(default)s)",
    )
    serve.set_defaults(run=_serve)


def _completion(args: argparse.Namespace) -> int:
    try:
        import shtab  # noqa: PLC0415 - the completion extra, imported only by this command
    except ImportError:
        raise _BadInput(
            "completion: shtab is not installed: pip install 'asb-case-review[completion]'"
        ) from None
    emit(shtab.complete(_parser(), shell=args.shell).rstrip("\n"))
    return EXIT_MET


def _serve(args: argparse.Namespace) -> int:  # pragma: no cover - runs a server until stopped
    try:
        import uvicorn  # noqa: PLC0415 - the serve extra, imported only by this command

        from .serve import create_app  # noqa: PLC0415
    except ImportError as error:
        raise _BadInput(
            f"serve: {error.name or 'a package'} is not installed: pip install 'asb-case-review[serve]'"
        ) from None
    if not 0 <= args.port <= 65535:
        raise _BadInput(f"serve: --port={args.port}: must be from 0 to 65535")
    app = create_app(
        max_body=args.max_body,
        max_upload=args.max_upload,
        max_depth=args.max_depth,
        time_limit=args.time_limit,
    )
    # The service's own access log (method, path, status, time) replaces uvicorn's, which would
    # log the client's address and the query string.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False)
    return EXIT_MET


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* and return the exit code."""
    try:
        args, unknown = _parser().parse_known_args(argv)
        if unknown:
            # Reported by the command the words were given to, with its usage; exits 2.
            args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        code: int = args.run(args)
    except KeyboardInterrupt:
        # Ctrl-C: one line, and the shell's code for a run stopped by SIGINT (128 + 2).
        print("asb-case-review: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (_BadInput, CaseReviewError) as error:
        print(f"asb-case-review: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - the last line of defence: report a bug, exit 4
        print(
            f"asb-case-review: internal error (a bug, please report it): {error!r}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return code


def run() -> None:  # pragma: no cover - the console-script entry point
    """Entry point of the ``asb-case-review`` script."""
    sys.exit(main())
