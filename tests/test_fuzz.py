"""Fuzzing every entry point that takes outside data: the only exceptions allowed are the library's own.

Each test feeds arbitrary (or arbitrarily damaged) input to one entry point
and allows exactly two results: a value, or a :class:`CaseReviewError`.  The
command line may exit 0 to 3, never 4 (an internal error), and never raises.
A policy that loads must also evaluate, on any date the library supports.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asb_case_review import cli, evaluate, for_applicant, for_officer
from asb_case_review.analysis.stats import published_figures
from asb_case_review.analysis.table import reports_from_csv, reports_from_records
from asb_case_review.cases import load_cases, run_cases
from asb_case_review.catalogue import AREAS, catalogue_text
from asb_case_review.errors import CaseReviewError
from asb_case_review.examples import example_application
from asb_case_review.models import Application, Incident, Report
from asb_case_review.parsing import application_from_mapping, application_to_mapping
from asb_case_review.policyfile import dump, load_area, load_policy

# Characters that have broken parsers before: quotes, brackets, separators, controls, surrogates.
_NASTY = "\"'[]{}=,.:-_\\\n\r\t\x00\x0b\x0c\x1c\x1e\x85\u2028\u2029\udc80\ufeff 0123456789eE+#"
_CHARS = st.one_of(st.sampled_from(list(_NASTY)), st.characters())


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """*text* with a few characters inserted, deleted or replaced, or a number made huge."""
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        action = draw(st.sampled_from(["insert", "delete", "replace", "huge", "repeat"]))
        if action == "insert":
            text = text[:at] + draw(st.text(_CHARS, min_size=1, max_size=3)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif action == "replace":
            text = text[:at] + draw(_CHARS) + text[at + 1 :]
        elif action == "huge":
            text = text[:at] + draw(st.sampled_from(["9" * 5000, "1000000", "-1", "0", "1e999"])) + text[at:]
        else:
            text = text[:at] + text[at : at + 40] * draw(st.integers(2, 50)) + text[at:]
    return text


def allowed(call: Callable[[], object]) -> object:
    """The value of *call*, or ``None`` if it raised the library's own error; anything else fails."""
    try:
        return call()
    except CaseReviewError:
        return None


# --------------------------------------------------------------------------------------------- applications

_KEYS = [
    *("id", "applicant", "made_on", "matter", "reports", "incidents", "incident", "facts", "began_on"),
    *("ended_on", "hate", "reporter", "household", "agency", "kind", "consent", "on_behalf_of", "related_by"),
]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(_CHARS, max_size=12),
    st.sampled_from(["2026-02-28", "0001-01-01", "9999-12-31", "2026-02-28T10:00:00+00:00", "I1", "police"]),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=4), inner, max_size=6)
    ),
    max_leaves=30,
)


@st.composite
def _damaged_mapping(draw: st.DrawFn) -> Any:
    """The example application in plain data, with a value or two replaced by arbitrary data."""
    data: Any = application_to_mapping(example_application())
    for _ in range(draw(st.integers(1, 3))):
        target = data
        path = []
        while isinstance(target, dict | list) and target and draw(st.booleans()):
            key = draw(st.sampled_from(list(target) if isinstance(target, dict) else range(len(target))))
            path.append(key)
            target = target[key]
        if isinstance(target, dict):
            target[draw(st.sampled_from([*_KEYS, *target]) if target else st.sampled_from(_KEYS))] = draw(
                _JSON
            )
        elif isinstance(target, list) and target:
            target[draw(st.integers(0, len(target) - 1))] = draw(_JSON)
    return data


@given(st.one_of(_JSON, _damaged_mapping()))
def test_application_from_mapping_raises_only_library_errors(data: Any) -> None:
    """application_from_mapping on any JSON-like data gives an Application or a CaseReviewError."""
    application = allowed(lambda: application_from_mapping(data))
    if isinstance(application, Application):
        # What is accepted can be decided and written out, without any other exception.
        decision = allowed(lambda: evaluate(application, AREAS["statutory"].latest))
        if decision is not None:
            assert for_officer(decision)  # type: ignore[arg-type]
            assert for_applicant(decision)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------- policies

_POLICY_TEXTS = [
    catalogue_text(f"{name}.toml") for name in ("merseyside", "staffordshire-moorlands", "south-wales")
]
_POLICY_JSON = [dump(AREAS[name], format="json") for name in ("merseyside", "pendle")]


def _evaluable(text: str, fmt: str) -> None:
    area = allowed(lambda: load_area(text, format=fmt, file=f"p.{fmt}"))  # type: ignore[arg-type]
    if area is None:
        return
    # A policy that loads is evaluable on every supported date its versions are in force.
    for version in area.versions:  # type: ignore[attr-defined]
        for day in (version.effective_from, version.effective_to or dt.date(2499, 12, 31)):
            incident = Incident("I", matter="M", began_on=day)
            report = Report("R", reporter="P", made_on=day, incident=incident)
            application = Application("A", applicant="P", made_on=day, matter="M", reports=[report])
            assert for_officer(evaluate(application, version))


@given(st.text(_CHARS, max_size=200))
def test_load_policy_on_arbitrary_text_raises_only_library_errors(text: str) -> None:
    """load_policy and load_area on any text, TOML or JSON, give a policy or a CaseReviewError."""
    allowed(lambda: load_policy(text, file="p.toml"))
    allowed(lambda: load_area(text, format="json", file="p.json"))


@given(st.sampled_from(_POLICY_TEXTS).flatmap(damaged))
def test_damaged_toml_policies_load_and_evaluate_or_are_refused(text: str) -> None:
    """A damaged catalogue policy is refused by name, or loads and then evaluates on its dates."""
    _evaluable(text, "toml")


@given(st.sampled_from(_POLICY_JSON).flatmap(damaged))
def test_damaged_json_policies_load_and_evaluate_or_are_refused(text: str) -> None:
    """A damaged JSON policy is refused by name, or loads and then evaluates on its dates."""
    _evaluable(text, "json")


# ---------------------------------------------------------------------------------------------------- cases

_CASES_TEXT = catalogue_text("merseyside.cases.toml")


@given(st.one_of(st.text(_CHARS, max_size=200), damaged(_CASES_TEXT)))
def test_load_cases_raises_only_library_errors(text: str) -> None:
    """load_cases on any text gives cases or a CaseReviewError; cases that load also run."""
    cases = allowed(lambda: load_cases(text, file="c.toml"))
    if cases is not None:
        allowed(lambda: run_cases(cases, AREAS["merseyside"]))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------------- CSVs

_CSV = (
    "id,reporter,household,matter,incident,began_on,ended_on,made_on,agency,kind,hate\n"
    "R1,P1,H1,M1,I1,2025-10-01,,2025-10-02,police,complaint,no\n"
    'R2,"P2",,M1,I1,2025-10-01,,2025-10-09,council,"diary, sheet",no\n'
    "R3,P3,,M1,,2025-11-01,2025-11-03,2025-11-04,other,complaint,yes\n"
)


@given(st.lists(st.text(_CHARS, max_size=40), max_size=8))
def test_reports_from_csv_on_arbitrary_lines_raises_only_library_errors(lines: list[str]) -> None:
    """reports_from_csv on any lines gives a table or a CaseReviewError, and skip keeps count."""
    allowed(lambda: reports_from_csv(lines))
    table = allowed(lambda: reports_from_csv(lines, on_error="skip"))
    if table is not None:
        rows = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:]
        # Nothing is lost: every non-blank line after the header is kept or listed.
        assert len(table) + len(table.problems) == sum(1 for row in rows if row.strip())  # type: ignore[arg-type, attr-defined]


@given(st.one_of(st.binary(max_size=300), damaged(_CSV).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_reports_from_csv_on_arbitrary_bytes_raises_only_library_errors(data: bytes) -> None:
    """reports_from_csv on any bytes gives a table or a CaseReviewError."""
    allowed(lambda: reports_from_csv(data, on_error="skip"))


@given(damaged(_CSV))
def test_damaged_csv_keeps_or_lists_every_row(text: str) -> None:
    """Under skip, a damaged CSV keeps or lists every row that is not blank."""
    table = allowed(lambda: reports_from_csv(text, on_error="skip"))
    if table is not None:
        rows = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff").split("\n")
        header_at = next(i for i, row in enumerate(rows) if row.strip())
        expected = sum(1 for row in rows[header_at + 1 :] if row.strip())
        assert len(table) + len(table.problems) == expected  # type: ignore[arg-type, attr-defined]


_REPORT_RECORDS = st.dictionaries(
    st.sampled_from(["id", "reporter", "household", "matter", "incident", "began_on", "ended_on", "made_on",
                     "agency", "kind", "hate"]),
    _SCALARS,
)  # fmt: skip


@given(st.lists(st.one_of(_REPORT_RECORDS, _JSON), max_size=6))
def test_reports_from_records_keeps_or_lists_every_record(records: list[Any]) -> None:
    """reports_from_records on any records keeps or lists each one, and raises only the library's errors."""
    table = allowed(lambda: reports_from_records(records, on_error="skip"))
    if table is not None:
        assert len(table) + len(table.problems) == len(records)  # type: ignore[arg-type, attr-defined]


_STATS_KEYS = ["id", "received_on", "threshold", "decided_on", "review_completed_on", "recommendations"]


@given(st.lists(st.dictionaries(st.sampled_from(_STATS_KEYS), _SCALARS), max_size=5))
def test_published_figures_raises_only_library_errors(rows: list[dict[str, object]]) -> None:
    """published_figures on any rows gives figures or a CaseReviewError."""
    problems: list[Any] = []
    allowed(lambda: published_figures(rows, on_error="skip", problems=problems))


# ------------------------------------------------------------------------------------------- command line


@contextlib.contextmanager
def _file(data: bytes, suffix: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        yield str(path)


_FILE_COMMANDS = [
    (["check", "{}"], ".json", application_to_mapping(example_application())),
    (["check", "--example", "--policy", "{}"], ".toml", _POLICY_TEXTS[0]),
    (["policies", "check", "{}"], ".toml", _POLICY_TEXTS[1]),
    (["policies", "show", "{}"], ".json", _POLICY_JSON[0]),
    (["test", "{}"], ".toml", _CASES_TEXT),
    (["sweep", "{}", "--skip-bad-rows"], ".csv", _CSV),
    (["stats", "{}", "--skip-bad-rows"], ".csv", "id,received_on,threshold\nA1,2025-04-01,met\n"),
]


@st.composite
def _command(draw: st.DrawFn) -> tuple[list[str], bytes, str]:
    argv, suffix, base = draw(st.sampled_from(_FILE_COMMANDS))
    text = base if isinstance(base, str) else json.dumps(base)
    data = draw(
        st.one_of(
            st.binary(max_size=200),
            damaged(text).map(lambda t: t.encode("utf-8", "surrogatepass")),
        )
    )
    return argv, data, suffix


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(_command())
def test_command_line_file_arguments_never_crash(
    command: tuple[list[str], bytes, str],
) -> None:
    """Any bytes in any file argument: the command exits 0 to 3, never 4, and raises nothing."""
    argv, data, suffix = command
    with _file(data, suffix) as path, contextlib.redirect_stdout(io.StringIO()):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = cli.main([a.replace("{}", path) for a in argv])
    assert code in (0, 1, 2, 3), err.getvalue()
    if code == cli.EXIT_BAD_INPUT:
        message = err.getvalue().splitlines()[-1]
        assert message.startswith("asb-case-review: ")


@pytest.mark.parametrize("surface", ["check", "test", "sweep"])
def test_the_fuzzers_reach_past_the_parsers(surface: str) -> None:
    """The undamaged bases of the command-line fuzzer succeed, so damage is what the fuzzer tests."""
    argv, suffix, base = next(c for c in _FILE_COMMANDS if c[0][0] == surface)
    text = base if isinstance(base, str) else json.dumps(base)
    with _file(text.encode(), suffix) as path, contextlib.redirect_stdout(io.StringIO()):
        assert cli.main([a.replace("{}", path) for a in argv]) in (0, 1, 3)
