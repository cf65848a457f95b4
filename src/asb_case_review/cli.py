"""The command line: ``asb-case-review`` (also ``python -m asb_case_review``).

This module is the only place that reads files, prints, reads the clock or
exits.  Exit codes scripts can rely on:

====  =====================================================
0     the threshold is met
1     the threshold is not met
2     bad input: a usage error, an unreadable or malformed file
3     undetermined: the answer hangs on facts not supplied
4     an internal error (a bug: please report it)
====  =====================================================
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from . import __version__
from .decision import evaluate
from .errors import CaseReviewError
from .examples import example_application
from .models import Application
from .parsing import application_from_mapping, parse_day
from .policy import CATALOGUE, get_policy
from .render import for_applicant, for_officer, to_dict
from .rules import Outcome

__all__ = ["EXIT_BAD_INPUT", "EXIT_ERROR", "EXIT_MET", "EXIT_NOT_MET", "EXIT_UNDETERMINED", "main"]

EXIT_MET: Final = 0
EXIT_NOT_MET: Final = 1
EXIT_BAD_INPUT: Final = 2
EXIT_UNDETERMINED: Final = 3
EXIT_ERROR: Final = 4

_EXIT_FOR: Final = {
    Outcome.MET: EXIT_MET,
    Outcome.NOT_MET: EXIT_NOT_MET,
    Outcome.UNKNOWN: EXIT_UNDETERMINED,
}

_CHECK_EXAMPLES = """\
examples:
  asb-case-review check examples/met-statutory.json
  asb-case-review check examples/not-met-near-miss.json --for applicant
  asb-case-review check APPLICATION.json --policy staffordshire-moorlands --format json
  asb-case-review check --example

exit codes: 0 met, 1 not met, 2 bad input, 3 undetermined, 4 internal error
"""


class _BadInput(Exception):
    """A file could not be read or parsed; the message names it."""


def _load_application(path: str) -> Application:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise _BadInput(f"{path}: cannot read: {error.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _BadInput(f"{path}: line {error.lineno}: not valid JSON: {error.msg}") from None
    try:
        return application_from_mapping(data)
    except CaseReviewError as error:
        raise _BadInput(f"{path}: {error}") from None


def _check(args: argparse.Namespace) -> int:
    if args.example:
        application = example_application()
    elif args.application is None:
        raise _BadInput("check: give an APPLICATION file, or --example")
    else:
        application = _load_application(args.application)
    try:
        policy = get_policy(args.policy)
        as_of = None if args.as_of is None else parse_day(args.as_of, "--as-of")
    except CaseReviewError as error:
        raise _BadInput(str(error)) from None
    decision = evaluate(application, policy, as_of=as_of, enforce_floor=not args.report_floor_only)
    if args.format == "json":
        print(json.dumps(to_dict(decision), indent=2))
    elif args.audience == "applicant":
        print(for_applicant(decision))
    else:
        print(for_officer(decision))
    return _EXIT_FOR[decision.outcome]


def _read_rows(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        raise _BadInput(f"{path}: cannot read: {error.strerror}") from None


def _load_reports(args: argparse.Namespace) -> Any:
    from .analysis.table import reports_from_csv  # noqa: PLC0415 (only the analysis commands need it)

    try:
        table = reports_from_csv(_read_rows(args.reports), on_error="skip" if args.skip_bad_rows else "stop")
    except CaseReviewError as error:
        raise _BadInput(f"{args.reports}: {error}") from None
    for problem in table.problems:
        print(f"asb-case-review: {args.reports}: skipped {problem}", file=sys.stderr)
    return table


def _policies(names: Sequence[str] | None) -> list[Any]:
    try:
        return [get_policy(name) for name in names or ["statutory"]]
    except CaseReviewError as error:
        raise _BadInput(str(error)) from None


def _emit(rows: Sequence[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(list(rows), indent=2, default=str))
        return
    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def _sweep(args: argparse.Namespace) -> int:
    from .analysis.sweep import sweep  # noqa: PLC0415 (only the analysis commands need it)

    table = _load_reports(args)
    rows: list[dict[str, Any]] = []
    for policy in _policies(args.policy):
        result = sweep(table, policy)
        rows.extend(result.standing_records() if args.standings else result.records())
    _emit(rows, args.format)
    return EXIT_MET


def _compare(args: argparse.Namespace) -> int:
    from .analysis.compare import compare  # noqa: PLC0415 (only the analysis commands need it)

    table = _load_reports(args)
    comparison = compare(table, _policies(args.policy), engine=args.engine)
    if args.show == "flips":
        rows = comparison.flip_counts()
    elif args.show == "conflicts":
        rows = list(comparison.conflicts())
    else:
        rows = comparison.summary()
    _emit(rows, args.format)
    return EXIT_MET


def _stats(args: argparse.Namespace) -> int:
    from .analysis.stats import published_figures  # noqa: PLC0415 (only the analysis commands need it)
    from .analysis.table import RowProblem  # noqa: PLC0415 (only the analysis commands need it)

    problems: list[RowProblem] = []
    records = csv.DictReader(_read_rows(args.applications))
    try:
        rows = published_figures(
            records, by=args.by, on_error="skip" if args.skip_bad_rows else "stop", problems=problems
        )
    except CaseReviewError as error:
        raise _BadInput(f"{args.applications}: {error}") from None
    for problem in problems:
        print(f"asb-case-review: {args.applications}: skipped {problem}", file=sys.stderr)
    _emit(rows, args.format)
    return EXIT_MET


def _analysis_options(command: argparse.ArgumentParser, *, policies: bool) -> None:
    if policies:
        command.add_argument(
            "--policy",
            action="append",
            choices=sorted(CATALOGUE),
            help="built-in policy; repeat for several (default: statutory)",
        )
    command.add_argument("--format", choices=("csv", "json"), default="csv")
    command.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="leave out bad rows, listing each on stderr with its row number (default: stop at the first)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asb-case-review",
        description="Decide whether an application for an ASB Case Review "
        "(Anti-social Behaviour, Crime and Policing Act 2014, s.104) meets the threshold.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="decide one application and explain the decision",
        description="Decide one application (a JSON file) under a policy and explain why.",
        epilog=_CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("application", nargs="?", metavar="APPLICATION.json")
    check.add_argument("--example", action="store_true", help="use the built-in example application")
    check.add_argument(
        "--policy",
        default="statutory",
        choices=sorted(CATALOGUE),
        help="built-in policy to apply (default: %(default)s)",
    )
    check.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="decide as of this date (default: the application date)"
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--for",
        dest="audience",
        choices=("officer", "applicant"),
        default="officer",
        help="whom the text is for (default: %(default)s); the applicant's never names other complainants",
    )
    check.add_argument(
        "--report-floor-only",
        action="store_true",
        help="follow the policy as written and only report a statutory-floor conflict",
    )
    check.set_defaults(run=_check)

    sweep = commands.add_parser(
        "sweep",
        help="for every report: would its reporter's application that day have been met?",
        description="Sweep policies over a CSV of reports (columns: id, reporter, household, matter, "
        "incident, began_on, ended_on, made_on, agency, kind, hate). Rows are numbered from 1 after "
        "the header.",
    )
    sweep.add_argument("reports", metavar="REPORTS.csv")
    sweep.add_argument(
        "--standings", action="store_true", help="one row per reporter and matter: first met, stopped"
    )
    _analysis_options(sweep, policies=True)
    sweep.set_defaults(run=_sweep)

    compare = commands.add_parser(
        "compare",
        help="compare policies over the same reports",
        description="Counts met under each policy, the applications that flip between policies and "
        "why, and statutory-floor conflicts.",
    )
    compare.add_argument("reports", metavar="REPORTS.csv")
    compare.add_argument("--show", choices=("summary", "flips", "conflicts"), default="summary")
    compare.add_argument("--engine", choices=("auto", "python", "numpy"), default="auto")
    _analysis_options(compare, policies=True)
    compare.set_defaults(run=_compare)

    stats = commands.add_parser(
        "stats",
        help="the four published figures by financial year or quarter",
        description="From a CSV of applications (id, received_on, threshold, decided_on, "
        "review_completed_on, recommendations): applications, threshold not met, reviews carried "
        "out, reviews with recommendations.",
    )
    stats.add_argument("applications", metavar="APPLICATIONS.csv")
    stats.add_argument("--by", choices=("year", "quarter"), default="year")
    _analysis_options(stats, policies=False)
    stats.set_defaults(run=_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* and return the exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except _BadInput as error:
        print(f"asb-case-review: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


def run() -> None:  # pragma: no cover - the console-script entry point
    """Entry point of the ``asb-case-review`` script."""
    try:
        sys.exit(main())
    except Exception as error:  # noqa: BLE001 - the last line of defence: report a bug, exit 4
        print(f"asb-case-review: internal error: {error!r}", file=sys.stderr)
        sys.exit(EXIT_ERROR)
