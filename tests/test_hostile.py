"""Hostile input, surface by surface: every bad input is refused by a named error, none crashes, none is lost.

Each table below is one surface: the public API, application JSON, policy
files, case files, report CSVs and the command line.  Every case asserts the
library's own error type (or exit code 2), a one-line message that names the
file, row or path and the field, and, for batch input, that every good row
is kept and every bad row listed with its number.
"""

# The tables keep one hostile case to a line, so that they read down like a list:
# ruff: noqa: E501

from __future__ import annotations

import copy
import csv
import datetime as dt
import functools
import io
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asb_case_review import (
    Agency,
    Application,
    Incident,
    InvalidInput,
    InvalidPolicy,
    InvalidPolicyFile,
    Policy,
    Report,
    Selection,
    Window,
    all_of,
    cli,
    count,
    evaluate,
    fact,
    for_applicant,
    for_officer,
    get_policy,
    not_,
    recency,
    rule,
    statutory_route,
)
from asb_case_review.analysis.compare import compare
from asb_case_review.analysis.stats import published_figures
from asb_case_review.analysis.sweep import sweep
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.analysis.table import reports_from_csv, reports_from_records
from asb_case_review.cases import load_cases
from asb_case_review.catalogue import STATUTORY
from asb_case_review.dates import Span, days, months
from asb_case_review.errors import CaseReviewError, InvalidRow
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping
from asb_case_review.policy import Timescales
from asb_case_review.policyfile import load_area, load_policy
from asb_case_review.qualifying import Lag
from asb_case_review.rules import Source

D = dt.date


def one_line(message: str) -> None:
    """An error message is one line: nothing in it could forge a line of output."""
    assert "\n" not in message
    assert "\r" not in message
    assert len(message) < 1200


# ---------------------------------------------------------------------------------------------- public API

_INCIDENT = Incident("I1", matter="M1", began_on=D(2025, 10, 1))
_REPORT = Report("R1", reporter="P1", made_on=D(2025, 10, 2), incident=_INCIDENT)
_TABLE = reports_from_csv(["id,reporter,matter,began_on,made_on", "R1,P1,M1,2025-10-01,2025-10-02"])


def _policy(**changes: Any) -> Policy:
    fields: dict[str, Any] = {"title": "T", "version": "1", "effective_from": D(2025, 4, 1)}
    fields.update(changes)
    return Policy(fields.pop("id", "p"), **fields)


API: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("policy-id-int", lambda: _policy(id=123), InvalidPolicy, "id=123"),
    ("policy-id-newline", lambda: _policy(id="p\nq"), InvalidPolicy, "id="),
    ("policy-id-blank", lambda: _policy(id="  "), InvalidPolicy, "id="),
    ("policy-title-none", lambda: _policy(title=None), InvalidPolicy, "title=None"),
    ("policy-version-int", lambda: _policy(version=1), InvalidPolicy, "version=1"),
    ("policy-local-count", lambda: _policy(local=count(3)), InvalidPolicy, "local=count(3)"),
    ("policy-local-str", lambda: _policy(local="x"), InvalidPolicy, "local="),
    ("policy-local-int", lambda: _policy(local=5), InvalidPolicy, "local=5"),
    ("policy-conditions-bare", lambda: _policy(conditions=[count(1)]), InvalidPolicy, "conditions[0]"),
    ("policy-from-str", lambda: _policy(effective_from="2020-01-01"), InvalidPolicy, "effective_from="),
    ("policy-from-datetime", lambda: _policy(effective_from=dt.datetime(2020, 1, 1)), InvalidPolicy, "effective_from"),
    ("policy-from-9999", lambda: _policy(effective_from=D(9999, 8, 2)), InvalidPolicy, "effective_from"),
    ("policy-from-min", lambda: _policy(effective_from=D.min), InvalidPolicy, "effective_from"),
    ("policy-to-str", lambda: _policy(effective_to="2030-01-01"), InvalidPolicy, "effective_to"),
    ("policy-to-max", lambda: _policy(effective_to=D.max), InvalidPolicy, "effective_to"),
    ("policy-source-str", lambda: _policy(source="statute"), InvalidPolicy, "source="),
    ("policy-related-by-int", lambda: _policy(related_by=1), InvalidPolicy, "related_by=1"),
    ("policy-timescales-huge", lambda: Timescales(decide=10**6), InvalidPolicy, "timescales.decide"),
    ("get-policy-list", lambda: get_policy(["x"]), InvalidPolicy, "policy=['x']"),  # type: ignore[arg-type]
    ("get-policy-none", lambda: get_policy(None), InvalidPolicy, "policy=None"),  # type: ignore[arg-type]
    ("get-policy-on-str", lambda: get_policy("statutory", on="2026-01-01"), InvalidPolicy, "on="),  # type: ignore[arg-type]
    ("for-applicant-str", lambda: for_applicant("x"), InvalidInput, "decision='x'"),  # type: ignore[arg-type]
    ("for-officer-none", lambda: for_officer(None), InvalidInput, "decision=None"),  # type: ignore[arg-type]
    ("selection-exclude-int", lambda: Selection(exclude_kinds=5), InvalidInput, "exclude_kinds=5"),  # type: ignore[arg-type]
    ("selection-exclude-str", lambda: Selection(exclude_kinds="diary"), InvalidInput, "exclude_kinds="),
    ("selection-exclude-blank", lambda: Selection(exclude_kinds=[""]), InvalidInput, "exclude_kinds[0]"),
    ("selection-agencies-int", lambda: Selection(agencies=7), InvalidInput, "agencies=7"),  # type: ignore[arg-type]
    ("selection-agencies-bogus", lambda: Selection(agencies=["army"]), InvalidInput, "agencies="),
    ("selection-hate-str", lambda: Selection(hate_only="no"), InvalidInput, "hate_only='no'"),  # type: ignore[arg-type]
    ("selection-window-span", lambda: Selection(window=months(6)), InvalidInput, "window="),  # type: ignore[arg-type]
    ("window-int", lambda: Window(6), InvalidInput, "span=6"),  # type: ignore[arg-type]
    ("lag-str", lambda: Lag("1 month"), InvalidInput, "span="),  # type: ignore[arg-type]
    ("span-months-huge", lambda: months(1_000_000), InvalidInput, "count=1000000"),
    ("span-days-huge", lambda: days(10_000_000), InvalidInput, "count=10000000"),
    ("span-zero", lambda: months(0), InvalidInput, "count=0"),
    ("span-float", lambda: Span(1.5, "months"), InvalidInput, "count=1.5"),  # type: ignore[arg-type]
    ("count-huge", lambda: count(10**5000), InvalidInput, "at_least=<a whole number of 5001 digits>"),
    ("count-str", lambda: count("3"), InvalidInput, "at_least='3'"),  # type: ignore[arg-type]
    ("count-selection-int", lambda: count(3, selection=5), InvalidInput, "selection=5"),  # type: ignore[arg-type]
    ("count-unit-bogus", lambda: count(3, unit="people"), InvalidInput, "unit='people'"),
    ("statutory-route-huge", lambda: statutory_route(10**5000), InvalidPolicy, "threshold="),
    ("statutory-route-zero", lambda: statutory_route(0), InvalidPolicy, "threshold=0"),
    ("fact-expected-str", lambda: fact("no_action_taken", expected="no"), InvalidInput, "expected='no'"),  # type: ignore[arg-type]
    ("fact-name-bogus", lambda: fact("raining"), InvalidInput, "fact='raining'"),
    ("recency-within-int", lambda: recency(6), InvalidInput, "within=6"),  # type: ignore[arg-type]
    ("rule-label-none", lambda: rule("r", count(1), label=None), InvalidInput, "label=None"),  # type: ignore[arg-type]
    ("rule-label-surrogate", lambda: rule("r", count(1), label="a\udc80"), InvalidInput, "label="),
    ("rule-id-newline", lambda: rule("r\nOutcome: MET", count(1), label="x"), InvalidInput, "id="),
    ("rule-source-str", lambda: rule("r", count(1), label="x", source="s"), InvalidInput, "source='s'"),  # type: ignore[arg-type]
    ("rule-predicate-str", lambda: rule("r", "count(3)", label="x"), InvalidInput, "predicate="),  # type: ignore[arg-type]
    ("source-title-int", lambda: Source(5), InvalidInput, "title=5"),  # type: ignore[arg-type]
    ("all-of-str", lambda: all_of("x"), InvalidInput, "parts[0]='x'"),  # type: ignore[arg-type]
    ("not-int", lambda: not_(1), InvalidInput, "part=1"),  # type: ignore[arg-type]
    ("deep-all-of", lambda: _nest(500), InvalidInput, "rules may nest at most 32 deep"),
    ("deep-not", lambda: _nest_not(40), InvalidInput, "rules may nest at most 32 deep"),
    ("evaluate-floor-str", lambda: evaluate(example_application(), STATUTORY, enforce_floor="no"), InvalidInput, "enforce_floor='no'"),  # type: ignore[arg-type]
    ("evaluate-as-of-min", lambda: evaluate(example_application(), STATUTORY, as_of=D.min), InvalidInput, "as_of="),
    ("evaluate-as-of-max", lambda: evaluate(example_application(), STATUTORY, as_of=D.max), InvalidInput, "as_of="),
    ("evaluate-policy-name", lambda: evaluate(example_application(), "statutory"), InvalidPolicy, "policy="),  # type: ignore[arg-type]
    ("sweep-policy-name", lambda: sweep(_TABLE, "statutory"), InvalidPolicy, "policy='statutory'"),  # type: ignore[arg-type]
    ("sweep-table-list", lambda: sweep([], STATUTORY), InvalidInput, "table=[]"),  # type: ignore[arg-type]
    ("sweep-floor-str", lambda: sweep(_TABLE, STATUTORY, enforce_floor="yes"), InvalidInput, "enforce_floor"),  # type: ignore[arg-type]
    ("compare-policy-names", lambda: compare(_TABLE, ["statutory"]), InvalidPolicy, "policies[0]='statutory'"),  # type: ignore[list-item]
    ("compare-policy-str", lambda: compare(_TABLE, "statutory"), InvalidPolicy, "policies='statutory'"),  # type: ignore[arg-type]
    ("csv-delimiter-empty", lambda: reports_from_csv(["id"], delimiter=""), InvalidInput, "delimiter=''"),
    ("csv-delimiter-long", lambda: reports_from_csv(["id"], delimiter=",,"), InvalidInput, "delimiter=',,'"),
    ("csv-delimiter-quote", lambda: reports_from_csv(["id"], delimiter='"'), InvalidInput, "delimiter="),
    ("csv-delimiter-int", lambda: reports_from_csv(["id"], delimiter=1), InvalidInput, "delimiter=1"),  # type: ignore[arg-type]
    ("csv-lines-int", lambda: reports_from_csv(5), InvalidInput, "lines=5"),  # type: ignore[arg-type]
    ("csv-line-bytes", lambda: reports_from_csv([b"id"]), InvalidInput, "lines[0]=b'id'"),  # type: ignore[list-item]
    ("csv-on-error-bogus", lambda: reports_from_csv(["id"], on_error="bogus"), InvalidInput, "on_error='bogus'"),  # type: ignore[arg-type]
    ("records-row-list", lambda: reports_from_records([["R1"]]), InvalidRow, "row 1: row=['R1']"),  # type: ignore[list-item]
    ("records-str", lambda: reports_from_records("id,reporter"), InvalidInput, "records="),  # type: ignore[arg-type]
    ("records-columns-list", lambda: reports_from_records([], columns=["id"]), InvalidInput, "columns=['id']"),  # type: ignore[arg-type]
    ("records-column-int", lambda: reports_from_records([], columns={"id": 1}), InvalidInput, "columns.id=1"),  # type: ignore[dict-item]
    ("mapping-int-key", lambda: application_from_mapping({1: "x", "id": "A"}), InvalidInput, "1='x': is not a known key"),
    ("mapping-none", lambda: application_from_mapping(None), InvalidInput, "the application=None"),
    ("records-on-error-bogus", lambda: reports_from_records([], on_error="bogus"), InvalidInput, "on_error='bogus'"),  # type: ignore[arg-type]
    ("figures-by-month", lambda: published_figures([], by="month"), InvalidInput, "by='month'"),  # type: ignore[arg-type]
    ("figures-on-error-bogus", lambda: published_figures([], on_error="bogus"), InvalidInput, "on_error='bogus'"),  # type: ignore[arg-type]
    ("figures-skip-no-list", lambda: published_figures([], on_error="skip"), InvalidInput, "problems=None"),
    ("figures-str", lambda: published_figures("id,received_on"), InvalidInput, "applications="),  # type: ignore[arg-type]
    ("figures-row-list", lambda: published_figures([["A1"]]), InvalidRow, "row 1: row=['A1']"),  # type: ignore[list-item]
    ("synthetic-year-9000", lambda: synthetic_reports(3, year_starting=9000), InvalidInput, "year_starting=9000"),
    ("synthetic-count-zero", lambda: synthetic_reports(0), InvalidInput, "count=0"),
    ("report-id-newline", lambda: Report("R\nOutcome: MET", reporter="P", made_on=D(2025, 10, 2), incident=_INCIDENT), InvalidInput, "id='R\\nOutcome: MET'"),
    ("report-id-surrogate", lambda: Report("R\ud800", reporter="P", made_on=D(2025, 10, 2), incident=_INCIDENT), InvalidInput, "id='R\\ud800'"),
    ("report-reporter-nul", lambda: Report("R", reporter="P\x00", made_on=D(2025, 10, 2), incident=_INCIDENT), InvalidInput, "reporter="),
    ("report-kind-u2028", lambda: Report("R", reporter="P", made_on=D(2025, 10, 2), incident=_INCIDENT, kind="a\u2028b"), InvalidInput, "kind="),
    ("report-household-tab-only", lambda: Report("R", reporter="P", made_on=D(2025, 10, 2), incident=_INCIDENT, household="\t"), InvalidInput, "household="),
    ("report-made-9999", lambda: Report("R", reporter="P", made_on=D(9999, 12, 1), incident=_INCIDENT), InvalidInput, "made_on="),
    ("report-agency-int", lambda: Report("R", reporter="P", made_on=D(2025, 10, 2), incident=_INCIDENT, agency=1), InvalidInput, "agency=1"),  # type: ignore[arg-type]
    ("incident-began-min", lambda: Incident("I", matter="M", began_on=D(1, 3, 1)), InvalidInput, "began_on="),
    ("incident-ended-max", lambda: Incident("I", matter="M", began_on=D(2025, 1, 1), ended_on=D.max), InvalidInput, "ended_on="),
    ("incident-matter-cr", lambda: Incident("I", matter="M\r", began_on=D(2025, 1, 1)), InvalidInput, "matter="),
    ("incident-hate-str", lambda: Incident("I", matter="M", began_on=D(2025, 1, 1), hate="no"), InvalidInput, "hate='no'"),  # type: ignore[arg-type]
    ("application-made-min", lambda: Application("A", applicant="P", made_on=D(1, 3, 1), matter="M", reports=[]), InvalidInput, "made_on="),
    ("application-applicant-esc", lambda: Application("A", applicant="P\x1b[2J", made_on=D(2026, 1, 1), matter="M", reports=[]), InvalidInput, "applicant="),
    ("application-reports-int", lambda: Application("A", applicant="P", made_on=D(2026, 1, 1), matter="M", reports=3), InvalidInput, "reports=3"),  # type: ignore[arg-type]
    ("application-on-behalf-ls", lambda: Application("A", applicant="P", made_on=D(2026, 1, 1), matter="M", reports=[], on_behalf_of="V\u2029"), InvalidInput, "on_behalf_of="),
    ("application-facts-str", lambda: Application("A", applicant="P", made_on=D(2026, 1, 1), matter="M", reports=[], facts="x"), InvalidInput, "facts="),  # type: ignore[arg-type]
    ("application-fact-value-str", lambda: Application("A", applicant="P", made_on=D(2026, 1, 1), matter="M", reports=[], facts={"no_action_taken": "no"}), InvalidInput, "facts.no_action_taken='no'"),  # type: ignore[arg-type]
]  # fmt: skip


def _nest(depth: int) -> object:
    predicate: Any = count(1)
    for index in range(depth):
        predicate = all_of(rule(f"r{index}", predicate, label="x"), count(1))
    return predicate


def _nest_not(depth: int) -> object:
    """*depth* alternating ``not_`` and ``any_of`` (which neither cancel nor flatten)."""
    predicate: Any = count(1)
    for _ in range(depth):
        predicate = not_(predicate | count(2))
    return predicate


@pytest.mark.parametrize(("build", "error", "names"), [c[1:] for c in API], ids=[c[0] for c in API])
def test_api_refuses_by_name(build: Callable[[], object], error: type[Exception], names: str) -> None:
    """A wrong type or value at the public API raises the library's error naming the field and value."""
    with pytest.raises(error) as caught:
        build()
    assert isinstance(caught.value, CaseReviewError)
    one_line(str(caught.value))
    assert names in str(caught.value)


# -------------------------------------------------------------------------------------- application JSON

_APPLICATION: dict[str, Any] = {
    "id": "A1",
    "applicant": "P1",
    "made_on": "2026-02-28",
    "matter": "M1",
    "incidents": [{"id": "I1", "matter": "M1", "began_on": "2025-10-01"}],
    "reports": [
        {"id": "R1", "reporter": "P1", "made_on": "2025-10-02", "incident": "I1"},
        {"id": "R2", "reporter": "P2", "made_on": "2025-10-03", "incident": "I1"},
    ],
}

_TEXT_FIELDS = [
    "id",
    "applicant",
    "matter",
    "related_by",
    "on_behalf_of",
    "incidents[0].id",
    "incidents[0].matter",
    "reports[1].id",
    "reports[1].reporter",
    "reports[1].kind",
    "reports[1].household",
]
_BAD_TEXT: list[tuple[str, object]] = [
    ("empty", ""),
    ("blank", "   "),
    ("newline", "a\nOutcome: MET"),
    ("carriage-return", "a\rb"),
    ("nul", "a\x00b"),
    ("escape", "a\x1b[31mb"),
    ("nel", "a\x85b"),
    ("line-separator", "a\u2028b"),
    ("lone-surrogate", "a\udc80"),
    ("number", 123),
    ("list", ["x"]),
    ("object", {"x": 1}),
    ("true", True),
]
_DATE_FIELDS = ["made_on", "incidents[0].began_on", "incidents[0].ended_on", "reports[1].made_on"]
_BAD_DATES: list[tuple[str, object]] = [
    ("year-1", "0001-03-01"),
    ("year-9999", "9999-12-31"),
    ("before-range", "1899-12-31"),
    ("after-range", "2500-01-01"),
    ("feb-30", "2026-02-30"),
    ("basic-form", "20260228"),
    ("week-date", "2026-W09-6"),
    ("naive-datetime", "2026-02-28T10:00:00"),
    ("number", 20260228),
    ("words", "yesterday"),
    ("empty", ""),
]


def _put(data: dict[str, Any], path: str, value: object) -> None:
    """Set the value at *path* (``reports[1].kind``) in *data*."""
    target: Any = data
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    target[parts[-1]] = value


APPLICATION_CASES = [
    pytest.param(field, value, id=f"{field}-{name}") for field in _TEXT_FIELDS for name, value in _BAD_TEXT
] + [pytest.param(field, value, id=f"{field}-{name}") for field in _DATE_FIELDS for name, value in _BAD_DATES]


@pytest.mark.parametrize(("field", "value"), APPLICATION_CASES)
def test_application_mapping_refuses_by_path(field: str, value: object) -> None:
    """application_from_mapping refuses a bad value with InvalidInput naming its path."""
    data = copy.deepcopy(_APPLICATION)
    _put(data, field, value)
    with pytest.raises(InvalidInput) as caught:
        application_from_mapping(data)
    one_line(str(caught.value))
    assert str(caught.value).startswith(field)


_APPLICATION_TEXTS: list[tuple[str, bytes, str]] = [
    ("duplicate-key", b'{"id": "A1", "id": "A2"}', "the key 'id' is given twice"),
    ("duplicate-nested-key", json.dumps(_APPLICATION).replace('"2025-10-01"}', '"2025-10-01", "began_on": "2025-09-01"}', 1).encode(), "'began_on' is given twice"),
    ("deep-json", b"[" * 100_000 + b"]" * 100_000, "nest more than 100 deep"),
    ("huge-number", b'{"id": ' + b"9" * 5000 + b"}", "more than 4,300 digits"),
    ("nan", b'{"id": NaN}', "NaN is not a JSON number"),
    ("infinity", b'{"id": -Infinity}', "Infinity is not a JSON number"),
    ("not-utf8", b'{"id": "\xff\xfe"}', "not UTF-8 text: invalid start byte at byte 8"),
    ("utf16", "{}".encode("utf-16"), "not UTF-8 text"),
    ("truncated", b'{"id": "A1"', "not valid JSON"),
    ("empty", b"", "not valid JSON"),
    ("list", b"[]", "the application=[]: must be an object"),
    ("string", b'"A1"', "must be an object"),
    ("unknown-key", b'{"id": "A1", "evil": 1}', "evil=1: is not a known key"),
    ("non-string-incident", json.dumps({**_APPLICATION, "reports": [{"id": "R1", "reporter": "P", "made_on": "2025-10-02", "incident": 5}]}).encode(), "reports[0].incident=5"),
    ("incident-missing", json.dumps({**_APPLICATION, "reports": [{"id": "R1", "reporter": "P", "made_on": "2025-10-02", "incident": "I9"}]}).encode(), "reports[0].incident='I9'"),
    ("reports-object", json.dumps({**_APPLICATION, "reports": {}}).encode(), "reports={}"),
    ("facts-list", json.dumps({**_APPLICATION, "facts": []}).encode(), "facts=[]"),
    ("fact-unknown", json.dumps({**_APPLICATION, "facts": {"raining": True}}).encode(), "facts='raining'"),
    ("consent-string", json.dumps({**_APPLICATION, "consent": "yes"}).encode(), "consent='yes'"),
    ("hate-string", json.dumps({**_APPLICATION, "incidents": [{"id": "I1", "matter": "M1", "began_on": "2025-10-01", "hate": "no"}]}).encode(), "incidents[0].hate='no'"),
    ("report-before-incident", json.dumps({**_APPLICATION, "incidents": [{"id": "I1", "matter": "M1", "began_on": "2025-10-05"}]}).encode(), "reports[0].made_on"),
    ("duplicate-report-id", json.dumps({**_APPLICATION, "reports": [_APPLICATION["reports"][0]] * 2}).encode(), "reports[1].id='R1'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "names"), [c[1:] for c in _APPLICATION_TEXTS], ids=[c[0] for c in _APPLICATION_TEXTS]
)
def test_application_file_is_refused_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, names: str
) -> None:
    """``check FILE`` refuses a hostile application file: exit 2, one line naming the file and field."""
    path = tmp_path / "app.json"
    path.write_bytes(data)
    assert cli.main(["check", str(path)]) == cli.EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert str(path) in err
    assert names in err
    # Never the bytes of the file: no raw byte escapes, no more of it than the field's value.
    assert "\\xff" not in err
    # The path, the field, a value cut short, and at most the list of the words it may be.
    assert len(err) < 500


# ------------------------------------------------------------------------------------------- policy files

_HEAD = 'id = "p"\ntitle = "P"\nversion = "1"\neffective_from = 2025-04-01\n'
_LOCAL = '[[local]]\nid = "r"\nlabel = "a rule"\n'

POLICY_TOML: list[tuple[str, str, str]] = [
    ("threshold-zero", _HEAD + "threshold = 0", "threshold=0"),
    ("threshold-huge", _HEAD + "threshold = 100000", "threshold=100000"),
    ("threshold-5000-digits", _HEAD + "threshold = " + "9" * 5000, "more than 4,300 digits"),
    ("threshold-string", _HEAD + 'threshold = "3"', "threshold='3'"),
    ("threshold-float", _HEAD + "threshold = 3.0", "threshold=3.0"),
    ("threshold-bool", _HEAD + "threshold = true", "threshold=True"),
    ("threshold-negative", _HEAD + "threshold = -3", "threshold=-3"),
    ("effective-from-9999", _HEAD.replace("2025-04-01", "9999-08-02"), "effective_from="),
    ("effective-from-0001", _HEAD.replace("2025-04-01", "0001-01-01"), "effective_from="),
    ("effective-from-1899", _HEAD.replace("2025-04-01", "1899-12-31"), "effective_from="),
    ("effective-from-datetime", _HEAD.replace("2025-04-01", "2025-04-01T00:00:00Z"), "effective_from="),
    ("effective-from-text", _HEAD.replace("2025-04-01", '"April"'), "effective_from='April'"),
    ("effective-to-2500", _HEAD + "effective_to = 2500-01-01", "effective_to="),
    ("effective-to-before", _HEAD + "effective_to = 2025-01-01", "effective_to="),
    ("id-newline", _HEAD.replace('"p"', '"p\\nq"'), "id='p\\nq'"),
    ("id-empty", _HEAD.replace('id = "p"', 'id = ""'), "id=''"),
    ("id-number", _HEAD.replace('id = "p"', "id = 5"), "id=5"),
    ("title-list", _HEAD.replace('title = "P"', "title = []"), "title=[]"),
    ("unknown-key", _HEAD + 'api_key = "s3cret"', "api_key="),
    ("kind-list", _HEAD + _LOCAL + 'kind = ["count"]', "local[0].kind=['count']"),
    ("kind-number", _HEAD + _LOCAL + "kind = 1", "local[0].kind=1"),
    ("kind-table", _HEAD + _LOCAL + "kind = { a = 1 }", "local[0].kind="),
    ("kind-unknown", _HEAD + _LOCAL + 'kind = "python"', "local[0].kind='python'"),
    ("kind-missing", _HEAD + _LOCAL, "local[0].kind=None"),
    ("at-least-zero", _HEAD + _LOCAL + 'kind = "count"\nat_least = 0', "local[0].at_least=0"),
    ("at-least-huge", _HEAD + _LOCAL + 'kind = "count"\nat_least = 10001', "local[0].at_least=10001"),
    ("window-months-million", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nwindow = { months = 1000000 }', "local[0].window.months=1000000"),
    ("window-days-ten-million", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nwindow = { days = 10000000 }', "local[0].window.days=10000000"),
    ("window-both", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nwindow = { days = 1, months = 1 }', "local[0].window="),
    ("window-zero", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nwindow = { months = 0 }', "local[0].window.months=0"),
    ("window-anchor-bogus", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nwindow = { months = 6, anchor = "moon" }', "local[0].window.anchor='moon'"),
    ("lag-string", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nlag = "1 month"', "local[0].lag='1 month'"),
    ("lag-days-huge", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nlag = { days = 99999999 }', "local[0].lag.days=99999999"),
    ("recency-100000-months", _HEAD + _LOCAL + 'kind = "recency"\nwithin = { months = 100000 }', "local[0].within.months=100000"),
    ("recency-within-number", _HEAD + _LOCAL + 'kind = "recency"\nwithin = 6', "local[0].within=6"),
    ("fact-expected-string", _HEAD + _LOCAL + 'kind = "fact"\nfact = "no_action_taken"\nexpected = "no"', "local[0].expected='no'"),
    ("fact-unknown", _HEAD + _LOCAL + 'kind = "fact"\nfact = "raining"', "local[0].fact='raining'"),
    ("hate-only-string", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nhate_only = "no"', "local[0].hate_only='no'"),
    ("exclude-kinds-string", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nexclude_kinds = "diary"', "local[0].exclude_kinds='diary'"),
    ("agencies-bogus", _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nagencies = ["army"]', "local[0].agencies[0]='army'"),
    ("parts-empty", _HEAD + _LOCAL + 'kind = "all_of"\nparts = []', "local[0].parts=[]"),
    ("parts-string", _HEAD + _LOCAL + 'kind = "any_of"\nparts = "x"', "local[0].parts='x'"),
    ("rule-id-newline", _HEAD + '[[local]]\nid = "r\\nOutcome: MET"\nlabel = "x"\nkind = "consent"', "local[0].id="),
    ("rule-label-empty", _HEAD + '[[local]]\nid = "r"\nlabel = ""\nkind = "consent"', "local[0].label=''"),
    ("rule-id-twice", _HEAD + _LOCAL + 'kind = "consent"\n' + _LOCAL + 'kind = "consent"', "local[1].id='r'"),
    ("timescales-zero", _HEAD + "timescales = { decide = 0 }", "timescales.decide=0"),
    ("timescales-huge", _HEAD + "timescales = { decide = 1000000000 }", "timescales.decide=1000000000"),
    ("source-unknown", _HEAD + 'source = "nowhere"', "source='nowhere'"),
    ("versions-overlap", 'id = "p"\ntitle = "P"\n[[versions]]\nversion = "1"\neffective_from = 2025-01-01\n[[versions]]\nversion = "2"\neffective_from = 2025-06-01', "versions[1].effective_from"),
    ("versions-empty", 'id = "p"\ntitle = "P"\nversions = []', "versions=[]"),
    ("deep-inline", "x = " + "[" * 100_000, "not valid TOML"),
    ("deep-tables", _HEAD + "x = " + "{ a = " * 500 + "1" + " }" * 500, "not valid TOML"),
    ("duplicate-key", _HEAD + 'title = "Q"', "not valid TOML"),
    ("not-toml", "id = ", "not valid TOML"),
    ("binary-junk", "\x00\x01\x02", "not valid TOML"),
]  # fmt: skip


def _deep_rules(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"kind": "count", "at_least": 1}
    for _ in range(depth):
        node = {"kind": "not", "part": node}
    return node


_JSON_HEAD: dict[str, Any] = {"id": "p", "title": "P", "version": "1", "effective_from": "2025-04-01"}

POLICY_JSON: list[tuple[str, str, str]] = [
    ("duplicate-key", '{"id": "p", "id": "q"}', "the key 'id' is given twice"),
    ("duplicate-nested-key", json.dumps({**_JSON_HEAD, "timescales": {"decide": 1}}).replace('"decide": 1}', '"decide": 1, "decide": 2}'), "'decide' is given twice"),
    ("deep-json", "[" * 100_000 + "]" * 100_000, "nest more than 100 deep"),
    ("huge-number", '{"threshold": ' + "9" * 5000 + "}", "more than 4,300 digits"),
    ("nan", '{"threshold": NaN}', "NaN is not a JSON number"),
    ("rules-33-deep", json.dumps({**_JSON_HEAD, "local": [{"id": "r", "label": "x", **_deep_rules(32)}]}), "rules may nest at most 32 deep"),
    ("rules-500-deep", json.dumps({**_JSON_HEAD, "local": [{"id": "r", "label": "x", **_deep_rules(45)}]}), "nest"),
    ("kind-list", json.dumps({**_JSON_HEAD, "local": [{"id": "r", "label": "x", "kind": ["count"]}]}), "local[0].kind=['count']"),
    ("kind-object", json.dumps({**_JSON_HEAD, "local": [{"id": "r", "label": "x", "kind": {}}]}), "local[0].kind={}"),
    ("date-number", json.dumps({**_JSON_HEAD, "effective_from": 20250401}), "effective_from=20250401"),
    ("date-9999", json.dumps({**_JSON_HEAD, "effective_from": "9999-08-02"}), "effective_from='9999-08-02'"),
    ("label-surrogate", json.dumps({**_JSON_HEAD, "local": [{"id": "r", "label": "\udc80", "kind": "consent"}]}), "local[0].label="),
    ("top-list", "[]", "must be a table of a policy file"),
    ("top-string", '"x"', "must be a table of a policy file"),
    ("local-object", json.dumps({**_JSON_HEAD, "local": {}}), "local={}"),
]  # fmt: skip

POLICY_CASES = [pytest.param("toml", text, names, id=f"toml-{name}") for name, text, names in POLICY_TOML] + [
    pytest.param("json", text, names, id=f"json-{name}") for name, text, names in POLICY_JSON
]


@pytest.mark.parametrize(("fmt", "text", "names"), POLICY_CASES)
def test_policy_file_is_refused_by_name(fmt: str, text: str, names: str) -> None:
    """A hostile policy file raises InvalidPolicyFile naming the file and the path and value in it."""
    with pytest.raises(InvalidPolicyFile) as caught:
        load_area(text, format=fmt, file=f"p.{fmt}")  # type: ignore[arg-type]
    message = str(caught.value)
    one_line(message)
    assert message.startswith(f"p.{fmt}: ")
    assert names in message


def test_a_policy_that_loads_is_evaluable_on_the_supported_dates() -> None:
    """The longest spans a policy may hold still evaluate on the first and last supported days."""
    text = (
        _HEAD.replace("2025-04-01", "1900-01-01")
        + _LOCAL
        + 'kind = "count"\nat_least = 1\nwindow = { months = 1200 }\nlag = { days = 36525 }\n'
        + '[[conditions]]\nid = "c"\nlabel = "recent"\nkind = "recency"\nwithin = { months = 1200 }\n'
    )
    policy = load_policy(text)
    for day in (D(1900, 1, 1), D(2499, 12, 31)):
        incident = Incident("I", matter="M", began_on=day)
        report = Report("R", reporter="P", made_on=day, incident=incident)
        application = Application("A", applicant="P", made_on=day, matter="M", reports=[report])
        assert evaluate(application, policy).outcome is not None
        assert for_officer(evaluate(application, policy))


# --------------------------------------------------------------------------------------------- case files

_CASES_HEAD = 'policy = "statutory"\n[[cases]]\nid = "c1"\nexpect = "met"\napplied_on = 2026-02-28\n'

CASE_FILES: list[tuple[str, str, str]] = [
    ("policy-parent", _CASES_HEAD.replace('"statutory"', '"../secret.toml"'), "policy='../secret.toml'"),
    ("policy-absolute", _CASES_HEAD.replace('"statutory"', '"/etc/secret.toml"'), "policy='/etc/secret.toml'"),
    ("policy-subdir", _CASES_HEAD.replace('"statutory"', '"sub/p.toml"'), "policy='sub/p.toml'"),
    ("policy-backslash", _CASES_HEAD.replace('"statutory"', '"..\\\\p.toml"'), "policy="),
    ("policy-drive", _CASES_HEAD.replace('"statutory"', '"C:p.toml"'), "policy='C:p.toml'"),
    ("policy-home", _CASES_HEAD.replace('"statutory"', '"~p.toml"'), "policy='~p.toml'"),
    ("policy-dotdot", _CASES_HEAD.replace('"statutory"', '".."'), "policy='..'"),
    ("policy-newline", _CASES_HEAD.replace('"statutory"', '"p\\n.toml"'), "policy='p\\n.toml'"),
    ("policy-nul", _CASES_HEAD.replace('"statutory"', '"p\\u0000.toml"'), "policy="),
    ("policy-number", _CASES_HEAD.replace('"statutory"', "5"), "policy=5"),
    ("applied-on-0001", _CASES_HEAD.replace("2026-02-28", "0001-03-01"), "cases[0].applied_on="),
    ("applied-on-9999", _CASES_HEAD.replace("2026-02-28", "9999-12-31"), "cases[0].applied_on="),
    ("applied-on-text", _CASES_HEAD.replace("2026-02-28", '"soon"'), "cases[0].applied_on='soon'"),
    ("as-of-min", _CASES_HEAD + "as_of = 0001-01-01", "cases[0].as_of="),
    ("report-on-9999", _CASES_HEAD + "reports = [{ on = 9999-12-31 }]", "cases[0].reports[0]"),
    ("report-behaviour-after", _CASES_HEAD + "reports = [{ on = 2026-01-01, behaviour_on = 2026-01-05 }]", "cases[0].reports[0]"),
    ("report-by-newline", _CASES_HEAD + 'reports = [{ on = 2026-01-01, by = "P\\nQ" }]', "cases[0].reports[0]"),
    ("report-incident-list", _CASES_HEAD + "reports = [{ on = 2026-01-01, incident = [1] }]", "cases[0].reports[0]"),
    ("report-kind-number", _CASES_HEAD + "reports = [{ on = 2026-01-01, kind = 5 }]", "cases[0].reports[0]"),
    ("report-unknown-key", _CASES_HEAD + "reports = [{ on = 2026-01-01, evil = 1 }]", "cases[0].reports[0].evil=1"),
    ("report-hate-string", _CASES_HEAD + 'reports = [{ on = 2026-01-01, hate = "no" }]', "cases[0].reports[0]"),
    ("reports-table", _CASES_HEAD + "reports = { on = 2026-01-01 }", "cases[0].reports="),
    ("expect-bogus", _CASES_HEAD.replace('"met"', '"maybe"'), "cases[0].expect='maybe'"),
    ("id-list", _CASES_HEAD.replace('id = "c1"', "id = []"), "cases[0].id=[]"),
    ("facts-bogus", _CASES_HEAD + "facts = { raining = true }", "cases[0]"),
    ("consent-string", _CASES_HEAD + 'consent = "yes"', "cases[0]"),
    ("applicant-newline", _CASES_HEAD + 'applicant = "V\\nW"', "cases[0]"),
    ("enforce-floor-string", _CASES_HEAD + 'enforce_floor = "no"', "cases[0].enforce_floor='no'"),
    ("application-and-keys", _CASES_HEAD + "application = {}", "cases[0].applied_on"),
    ("application-bad", 'policy = "statutory"\n[[cases]]\nid = "c"\nexpect = "met"\napplication = { id = "A" }', "cases[0].application"),
    ("case-id-twice", _CASES_HEAD + '[[cases]]\nid = "c1"\nexpect = "met"\napplied_on = 2026-02-28', "cases[1].id='c1'"),
    ("cases-missing", 'policy = "statutory"', "cases=None"),
    ("huge-number", _CASES_HEAD + "x = " + "9" * 5000, "more than 4,300 digits"),
    ("deep", "x = " + "[" * 100_000, "not valid TOML"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "names"), [c[1:] for c in CASE_FILES], ids=[c[0] for c in CASE_FILES])
def test_case_file_is_refused_by_name(text: str, names: str) -> None:
    """A hostile cases file raises InvalidPolicyFile naming the file and the place in it."""
    with pytest.raises(InvalidPolicyFile) as caught:
        load_cases(text, file="c.toml")
    message = str(caught.value)
    one_line(message)
    assert message.startswith("c.toml: ")
    assert names in message


_SECRET = 'api_key = "sk-live-DO-NOT-LEAK"\npassword = "hunter2"\n'


@pytest.mark.parametrize(
    ("layout", "names"),
    [
        ("parent", "must be a built-in policy id or the bare name of a policy file beside the cases file"),
        ("beside-not-a-policy", "is not a valid policy file: at api_key"),
        ("symlink-out", "is not a file in the same directory"),
        ("missing", "cannot read"),
        ("directory", "is a directory"),
        ("not-utf8", "not UTF-8 text: invalid start byte at byte 0"),
        ("unknown-built-in", "policy='nowhere': is not a built-in policy"),
    ],
)
def test_cases_command_reads_only_a_policy_beside_it_and_never_echoes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str, names: str
) -> None:
    """``test CASES`` reads a policy beside the cases file only, and an error never quotes what it read."""
    outside = tmp_path / "secret.toml"
    outside.write_text(_SECRET, encoding="utf-8")
    folder = tmp_path / "cases"
    folder.mkdir()
    policy = {"parent": "../secret.toml", "unknown-built-in": "nowhere"}.get(layout, "p.toml")
    if layout == "beside-not-a-policy":
        (folder / "p.toml").write_text(_SECRET, encoding="utf-8")
    elif layout == "symlink-out":
        os.symlink(outside, folder / "p.toml")
    elif layout == "directory":
        (folder / "p.toml").mkdir()
    elif layout == "not-utf8":
        (folder / "p.toml").write_bytes(b"\xff" + _SECRET.encode())
    cases = folder / "c.toml"
    cases.write_text(_CASES_HEAD.replace('"statutory"', json.dumps(policy)), encoding="utf-8")
    assert cli.main(["test", str(cases)]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(cases) in err
    assert names in err
    assert "DO-NOT-LEAK" not in err
    assert "hunter2" not in err


# ---------------------------------------------------------------------------------------------- report CSVs

_CSV_HEADER = "id,reporter,household,matter,incident,began_on,ended_on,made_on,agency,kind,hate"


def _good(n: int) -> str:
    return f"G{n},P{n},,M1,,2025-10-01,,2025-10-02,police,complaint,no"


_BAD_ROWS: list[tuple[str, str, str]] = [
    ("stray-quote", 'B,"P9,,M1,,2025-10-01,,2025-10-02,police,complaint,no', "reporter"),
    ("stray-quote-last-cell", 'B,P9,,M1,,2025-10-01,,2025-10-02,police,complaint,"no', "hate"),
    ("text-after-quote", 'B,"P9"x,,M1,,2025-10-01,,2025-10-02,police,complaint,no', "row"),
    ("too-many-cells", _good(9).replace("G9", "B") + ",extra", "row"),
    ("over-long-line", "B," + "x" * 70_000 + ",,M1,,2025-10-01,,2025-10-02,police,complaint,no", "row"),
    ("cell-130kb", "B,P," + "h" * 130_000 + ",M1,,2025-10-01,,2025-10-02,police,complaint,no", "row"),
    ("vertical-tab", "B,P\x0bQ,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "reporter"),
    ("form-feed", "B,P,,M\x0c1,,2025-10-01,,2025-10-02,police,complaint,no", "matter"),
    ("file-separator", "B,P,,M1,I\x1c1,2025-10-01,,2025-10-02,police,complaint,no", "incident"),
    ("group-separator", "B,P,H\x1d,M1,,2025-10-01,,2025-10-02,police,complaint,no", "household"),
    ("record-separator", "B\x1e,P,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "id"),
    ("next-line", "B,P,,M1,,2025-10-01,,2025-10-02,police,compl\x85aint,no", "kind"),
    ("line-separator", "B,P,,M1,,2025-10-01,,2025-10-02,police,complaint\u2028,yes", "kind"),
    ("paragraph-separator", "B,P\u2029,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "reporter"),
    ("nul", "B,P\x00,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "reporter"),
    ("escape", "B,P\x1b[2J,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "reporter"),
    ("lone-surrogate", "B,P\udc80,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "reporter"),
    ("began-9999", "B,P,,M1,,9999-12-01,,9999-12-02,police,complaint,no", "began_on"),
    ("made-9999", "B,P,,M1,,2025-10-01,,9999-12-31,police,complaint,no", "made_on"),
    ("began-0001", "B,P,,M1,,0001-03-01,,2025-10-02,police,complaint,no", "began_on"),
    ("ended-2500", "B,P,,M1,,2025-10-01,2500-01-01,2025-10-02,police,complaint,no", "ended_on"),
    ("feb-30", "B,P,,M1,,2026-02-30,,2026-03-02,police,complaint,no", "began_on"),
    ("date-words", "B,P,,M1,,yesterday,,2025-10-02,police,complaint,no", "began_on"),
    ("naive-datetime", "B,P,,M1,,2025-10-01,,2025-10-02T10:00:00,police,complaint,no", "made_on"),
    ("made-before-began", "B,P,,M1,,2025-10-05,,2025-10-02,police,complaint,no", "made_on"),
    ("ended-before-began", "B,P,,M1,,2025-10-05,2025-10-01,2025-10-06,police,complaint,no", "ended_on"),
    ("agency-bogus", "B,P,,M1,,2025-10-01,,2025-10-02,army,complaint,no", "agency"),
    ("hate-bogus", "B,P,,M1,,2025-10-01,,2025-10-02,police,complaint,maybe", "hate"),
    ("id-missing", ",P,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "id"),
    ("id-repeated", _good(1), "id"),
    ("reporter-blank", "B,   ,,M1,,2025-10-01,,2025-10-02,police,complaint,no", "reporter"),
    ("matter-missing", "B,P,,,,2025-10-01,,2025-10-02,police,complaint,no", "matter"),
    ("too-few-cells", "B,P,,M1", "began_on"),
    ("incident-conflict", "B,P,,M2,G1,2025-10-01,,2025-10-02,police,complaint,no", "incident"),
    ("only-quotes", '"""', "id"),
    ("one-cell", "x", "reporter"),
]  # fmt: skip


def _csv_with(bad: str, at: int, good: int = 6) -> str:
    rows = [_good(n) for n in range(1, good + 1)]
    rows.insert(at - 1, bad)
    return "\n".join([_CSV_HEADER, *rows]) + "\n"


CSV_CASES = [
    pytest.param(bad, field, at, id=f"{name}-row{at}") for name, bad, field in _BAD_ROWS for at in (2, 7)
]


@pytest.mark.parametrize(("bad", "field", "at"), CSV_CASES)
def test_csv_keeps_every_good_row_and_lists_the_bad_one(bad: str, field: str, at: int) -> None:
    """Under skip, a hostile row is listed with its row number and field; all six good rows are kept."""
    table = reports_from_csv(_csv_with(bad, at), on_error="skip")
    assert sorted(table.id) == [f"G{n}" for n in range(1, 7)]
    assert [(p.row, p.field) for p in table.problems] == [(at, field)]
    one_line(str(table.problems[0]))
    with pytest.raises(InvalidRow) as caught:
        reports_from_csv(_csv_with(bad, at), on_error="stop")
    assert caught.value.row == at
    assert caught.value.field == field
    one_line(str(caught.value))


def test_a_stray_quote_does_not_swallow_a_thousand_rows() -> None:
    """One unclosed quote costs its own row only: a thousand good rows after it are all kept."""
    text = "\n".join([_CSV_HEADER, _BAD_ROWS[0][1], *(_good(n) for n in range(1, 1001))])
    table = reports_from_csv(text, on_error="skip")
    assert len(table) == 1000
    assert [(p.row, p.field) for p in table.problems] == [(1, "reporter")]


def test_csv_lines_split_as_the_csv_module_splits_them() -> None:
    """The API given lines and given the text agree, and U+2028 inside a cell never cuts a row in two."""
    text = "\n".join([_CSV_HEADER, _good(1), "B,P,,M1,,2025-10-01,,2025-10-02,police,complaint\u2028,yes"])
    from_text = reports_from_csv(text, on_error="skip")
    from_lines = reports_from_csv(io.StringIO(text, newline=""), on_error="skip")
    from_bytes = reports_from_csv(text.encode(), on_error="skip")
    for table in (from_text, from_lines, from_bytes):
        assert table.id == ("G1",)
        assert [(p.row, p.field) for p in table.problems] == [(2, "kind")]


CSV_HEADERS: list[tuple[str, str, str]] = [
    ("duplicate-column", "id,reporter,matter,began_on,made_on,matter", "header='matter': names columns 3 and 6"),
    ("unnamed-column", "id,reporter,,matter,began_on,made_on", "header='': column 3 has no name"),
    ("missing-column", "id,reporter,began_on,made_on", "columns='matter'"),
    ("stray-quote", 'id,"reporter,matter,began_on,made_on', "header="),
    ("empty", "", "columns='began_on'"),
    ("bom-twice", "\ufeff\ufeffid,reporter,matter,began_on,made_on", "columns="),
]  # fmt: skip


@pytest.mark.parametrize(("header", "names"), [c[1:] for c in CSV_HEADERS], ids=[c[0] for c in CSV_HEADERS])
def test_csv_header_is_refused_by_name(header: str, names: str) -> None:
    """A header that cannot be read with certainty stops the load with InvalidInput naming it."""
    with pytest.raises(InvalidInput) as caught:
        reports_from_csv(header + "\nR1,P1,M1,2025-10-01,2025-10-02\n", on_error="skip")
    one_line(str(caught.value))
    assert names in str(caught.value)


def test_csv_bytes_not_utf8_name_the_offset_not_the_bytes() -> None:
    """CSV bytes that are not UTF-8 are refused naming the byte offset, never quoting the bytes."""
    with pytest.raises(InvalidInput) as caught:
        reports_from_csv(_CSV_HEADER.encode() + b"\n\xffsecret")
    assert f"at byte {len(_CSV_HEADER) + 1}" in str(caught.value)
    assert "secret" not in str(caught.value)


# ------------------------------------------------------------------------------------------- command line

_STATS_HEADER = "id,received_on,threshold,decided_on,review_completed_on,recommendations"


def _write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


_GOOD_APP = json.dumps(_APPLICATION)

COMMANDS: list[tuple[str, list[str], dict[str, str | bytes], str]] = [
    ("check-missing", ["check", "{d}/nope.json"], {}, "nope.json: cannot read"),
    # A folder is many applications: they need a folder to be written to.
    ("check-directory", ["check", "{d}"], {}, "--out DIR"),
    ("check-empty", ["check", "{d}/a.json"], {"a.json": ""}, "a.json: line 1: not valid JSON"),
    ("check-bom", ["check", "{d}/a.json"], {"a.json": "\ufeff[]"}, "a.json: the application=[]"),
    ("check-latin1", ["check", "{d}/a.json"], {"a.json": '{"id": "caf\xe9"}'.encode("latin-1")}, "a.json: not UTF-8 text"),
    ("check-example-and-file", ["check", "{d}/a.json", "--example"], {"a.json": _GOOD_APP}, "not both"),
    ("check-as-of-0001", ["check", "{d}/a.json", "--as-of", "0001-01-01"], {"a.json": _GOOD_APP}, "--as-of="),
    ("check-as-of-9999", ["check", "{d}/a.json", "--as-of", "9999-12-31"], {"a.json": _GOOD_APP}, "--as-of="),
    ("check-as-of-words", ["check", "{d}/a.json", "--as-of", "tomorrow"], {"a.json": _GOOD_APP}, "--as-of='tomorrow'"),
    ("check-policy-missing", ["check", "{d}/a.json", "--policy", "{d}/p.toml"], {"a.json": _GOOD_APP}, "p.toml: cannot read"),
    ("check-policy-latin1", ["check", "{d}/a.json", "--policy", "{d}/p.toml"], {"a.json": _GOOD_APP, "p.toml": b'id = "\xe9"'}, "p.toml: not UTF-8 text: invalid continuation byte at byte 6"),
    ("check-policy-huge-window", ["check", "{d}/a.json", "--policy", "{d}/p.toml"], {"a.json": _GOOD_APP, "p.toml": _HEAD + _LOCAL + 'kind = "count"\nat_least = 1\nwindow = { months = 1000000 }'}, "p.toml: local[0].window.months=1000000"),
    ("check-policy-9999", ["check", "{d}/a.json", "--policy", "{d}/p.toml"], {"a.json": _GOOD_APP, "p.toml": _HEAD.replace("2025-04-01", "9999-08-02")}, "p.toml: effective_from="),
    ("check-policy-json-dupe", ["check", "{d}/a.json", "--policy", "{d}/p.json"], {"a.json": _GOOD_APP, "p.json": '{"id": "p", "id": "q"}'}, "p.json: not valid JSON: the key 'id' is given twice"),
    ("check-policy-unknown", ["check", "{d}/a.json", "--policy", "nowhere"], {"a.json": _GOOD_APP}, "policy='nowhere'"),
    ("check-plot-directory", ["check", "{d}/a.json", "--plot", "{d}"], {"a.json": _GOOD_APP}, "is a directory"),
    ("policies-check-latin1", ["policies", "check", "{d}/p.toml"], {"p.toml": b"\xff\xfe"}, "p.toml: not UTF-8 text"),
    ("policies-check-deep", ["policies", "check", "{d}/p.toml"], {"p.toml": "x = " + "[" * 100_000}, "p.toml: not valid TOML"),
    ("policies-check-huge", ["policies", "check", "{d}/p.toml"], {"p.toml": _HEAD + "threshold = " + "9" * 5000}, "p.toml: not valid TOML"),
    ("policies-show-recency", ["policies", "show", "{d}/p.toml"], {"p.toml": _HEAD + _LOCAL + 'kind = "recency"\nwithin = { months = 100000 }'}, "p.toml: local[0].within.months=100000"),
    ("policies-check-kind-list", ["policies", "check", "{d}/p.toml"], {"p.toml": _HEAD + _LOCAL + 'kind = ["count"]'}, "p.toml: local[0].kind"),
    ("test-latin1", ["test", "{d}/c.toml"], {"c.toml": b"\xe9"}, "c.toml: not UTF-8 text"),
    ("test-parent-policy", ["test", "{d}/c.toml"], {"c.toml": _CASES_HEAD.replace('"statutory"', '"../p.toml"')}, "c.toml: policy='../p.toml'"),
    ("test-absolute-policy", ["test", "{d}/c.toml"], {"c.toml": _CASES_HEAD.replace('"statutory"', '"/etc/passwd.toml"')}, "c.toml: policy='/etc/passwd.toml'"),
    ("sweep-missing", ["sweep", "{d}/r.csv"], {}, "r.csv: cannot read"),
    ("sweep-latin1", ["sweep", "{d}/r.csv"], {"r.csv": _CSV_HEADER.encode() + b"\n\xe9"}, f"r.csv: not UTF-8 text: unexpected end of data at byte {len(_CSV_HEADER) + 1}"),
    ("sweep-duplicate-header", ["sweep", "{d}/r.csv"], {"r.csv": "id,id,reporter,matter,began_on,made_on\n"}, "r.csv: header='id'"),
    ("sweep-stray-quote", ["sweep", "{d}/r.csv"], {"r.csv": _csv_with('B,"P', 3)}, "r.csv: row 3: reporter="),
    ("sweep-9999", ["sweep", "{d}/r.csv"], {"r.csv": _csv_with("B,P,,M1,,9999-12-01,,9999-12-02,police,complaint,no", 4)}, "r.csv: row 4: began_on="),
    ("sweep-fact-bogus", ["sweep", "{d}/r.csv", "--fact", "raining=yes"], {"r.csv": _csv_with(_good(9), 1)}, "facts='raining'"),
    ("sweep-fact-syntax", ["sweep", "{d}/r.csv", "--fact", "raining"], {"r.csv": _csv_with(_good(9), 1)}, "--fact='raining'"),
    ("sweep-policy-9999", ["sweep", "{d}/r.csv", "--policy", "{d}/p.toml"], {"r.csv": _csv_with(_good(9), 1), "p.toml": _HEAD.replace("2025-04-01", "9999-08-02")}, "p.toml: effective_from="),
    ("compare-too-many-cells", ["compare", "{d}/r.csv"], {"r.csv": _csv_with(_good(9) + ",x", 2)}, "r.csv: row 2: row=12"),
    ("stats-stray-quote", ["stats", "{d}/s.csv"], {"s.csv": f'{_STATS_HEADER}\nA1,"2025-04-01,met\n'}, "s.csv: row 1: received_on="),
    ("stats-duplicate-header", ["stats", "{d}/s.csv"], {"s.csv": f"{_STATS_HEADER},id\n"}, "s.csv: header='id'"),
    ("stats-9999", ["stats", "{d}/s.csv"], {"s.csv": f"{_STATS_HEADER}\nA1,9999-04-01,met,,,\n"}, "s.csv: row 1: received_on="),
    ("stats-latin1", ["stats", "{d}/s.csv"], {"s.csv": b"id\n\xe9"}, "s.csv: not UTF-8 text"),
    ("synthetic-year-0", ["synthetic", "3", "--year", "0"], {}, "--year=0"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "files", "names"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS])
def test_command_line_exits_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    files: dict[str, str | bytes],
    names: str,
) -> None:
    """Hostile files and options on the command line exit 2 with one line naming the file and field."""
    for name, data in files.items():
        _write(tmp_path, name, data)
    argv = [a.replace("{d}", str(tmp_path)) for a in argv]
    assert cli.main(argv) == cli.EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("asb-case-review: ")
    assert names.replace("{d}", str(tmp_path)) in err
    for name in files:
        if name.split(".")[0] in ("p", "r", "s", "a", "c") and name in names:
            assert str(tmp_path / name) in err


def test_skipped_csv_rows_are_each_listed_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --skip-bad-rows every bad row is listed by number and every good row is swept."""
    text = _csv_with('B,"P', 2).rstrip("\n") + "\n" + _BAD_ROWS[6][1].replace("B,", "C,", 1) + "\n"
    path = _write(tmp_path, "r.csv", text)
    assert cli.main(["sweep", path, "--skip-bad-rows"]) == cli.EXIT_MET
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        (
            f"asb-case-review: {path}: skipped row 2: reporter='P': a quoted cell is not closed on its line "
            "(a stray quote?)"
        ),
        (
            f"asb-case-review: {path}: skipped row 8: reporter='P\\x0bQ': holds the control character U+000B "
            "at position 1"
        ),
    ]
    assert len(out.splitlines()) == 1 + 6


def test_ctrl_c_exits_130_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C stops the run with exit 130 and one line on stderr, not a traceback."""

    def interrupted(*_: object, **__: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "evaluate", interrupted)
    assert cli.main(["check", "--example"]) == 130
    assert capsys.readouterr().err == "asb-case-review: interrupted\n"


def test_plot_without_a_suffix_names_the_file_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--plot adir`` writes adir.png and says so: the message names the file really written."""
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--example", "--plot", "adir"]) == cli.EXIT_MET
    assert (tmp_path / "adir.png").is_file()
    assert capsys.readouterr().err == "timeline saved to adir.png\n"


def test_check_reads_standard_input_bytes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bytes on standard input that are not UTF-8 are refused naming <stdin> and the offset."""

    class Stdin:
        buffer = type("B", (), {"read": staticmethod(lambda: b'{"id": "\xff"}')})()

    monkeypatch.setattr("sys.stdin", Stdin())
    assert cli.main(["check", "-"]) == cli.EXIT_BAD_INPUT
    assert (
        capsys.readouterr().err == "asb-case-review: <stdin>: not UTF-8 text: invalid start byte at byte 8\n"
    )


def test_hostile_table_has_at_least_300_cases() -> None:
    """The table above holds at least 300 hostile cases across the six surfaces."""
    total = (
        len(API)
        + len(APPLICATION_CASES)
        + len(_APPLICATION_TEXTS)
        + len(POLICY_CASES)
        + len(CASE_FILES)
        + 7
        + len(CSV_CASES)
        + len(CSV_HEADERS)
        + len(COMMANDS)
    )
    assert total >= 300


def test_agency_is_still_a_closed_vocabulary() -> None:
    """An agency outside the vocabulary is refused by name (not silently mapped to 'other')."""
    with pytest.raises(InvalidInput, match=r"^agency='army'"):
        Report("R", reporter="P", made_on=D(2025, 10, 2), incident=_INCIDENT, agency="army")
    assert (
        Report("R", reporter="P", made_on=D(2025, 10, 2), incident=_INCIDENT, agency="police").agency
        is Agency.POLICE
    )


def test_reliability_page_states_the_limits() -> None:
    """docs/reliability.md states every limit and the supported dates as the code defines them."""
    from asb_case_review import _limits  # noqa: PLC0415 (the private module that holds the limits)

    page = (Path(__file__).parent.parent / "docs" / "reliability.md").read_text(encoding="utf-8")
    for value in (
        _limits.MAX_MONTHS,
        _limits.MAX_DAYS,
        _limits.MAX_COUNT,
        _limits.MAX_WORKING_DAYS,
        _limits.MAX_DATA_DEPTH,
        _limits.MAX_DIGITS,
        _limits.MAX_LINE,
        _limits.MAX_WORKBOOK,
    ):
        assert f"| {value:,} " in page, value
    assert f"how deeply rules nest (a leaf is 1 deep) | {_limits.MAX_RULE_DEPTH} |" in page
    assert f"from **{_limits.MIN_DATE:%-d %B %Y} to {_limits.MAX_DATE:%-d %B %Y}**" in page


# ================================================================================ the newer surfaces
# Column mappings, .xlsx workbooks, batch check (a folder, .jsonl, .csv or .xlsx into --out, with
# letters), letters in text, HTML and Word, the HTTP API and the web pages.

# ------------------------------------------------------------------------------------- column mappings

MAPPING_FILES: list[tuple[str, str, str]] = [
    ("not-toml", "[[[", "m.toml: is not valid TOML"),
    ("deep", "x = " + "[" * 100_000, "m.toml: is not valid TOML: nests more than 100 deep"),
    ("huge-number", "x = " + "9" * 5000, "m.toml: is not valid TOML: a number has more than 4,300 digits"),
    ("duplicate-key", '[columns]\nid = "A"\nid = "B"', "m.toml: is not valid TOML"),
    ("byte-order-mark", '\ufeff[columns]\nid = "A"', "m.toml: is not valid TOML"),
    ("surrogate-escape", '[columns]\nid = "\\udc80"', "m.toml: is not valid TOML"),
    ("one-column-two-fields", '[columns]\nid = "A"\nreporter = "A"', "m.toml: columns.reporter='A': is already the column of id"),
    ("column-of-another-field", '[columns]\nid = "reporter"', "m.toml: columns.id='reporter': is also the column of reporter"),
    ("unknown-field", '[columns]\nreport = "A"', "m.toml: columns.report='A': is not a key of a report or application"),
    ("column-int", "[columns]\nid = 5", "m.toml: columns.id=5: must be a non-empty string"),
    ("column-blank", '[columns]\nid = "  "', "m.toml: columns.id='  ': must be a non-empty string"),
    ("column-newline", '[columns]\nid = "A\\nB"', "m.toml: columns.id='A\\nB': holds the control character U+000A"),
    ("column-nul", '[columns]\nid = "A\\u0000"', "m.toml: columns.id='A\\x00': holds the control character U+0000"),
    ("column-bidi", '[columns]\nid = "A\\u202eB"', "m.toml: columns.id='A\\u202eB': holds the bidirectional control U+202E"),
    ("columns-list", 'columns = ["a"]', "m.toml: columns=['a']: must be a table"),
    ("date-format-us", 'date_format = "mm/dd/yyyy"', "m.toml: date_format='mm/dd/yyyy': is not a date format"),
    ("date-format-int", "date_format = 1", "m.toml: date_format=1: is not a date format"),
    ("sheet-int", "sheet = 1", "m.toml: sheet=1: must be a non-empty string"),
    ("source-table", "source = { a = 1 }", "m.toml: source={'a': 1}: must be a non-empty string"),
    ("unknown-key", "colums = {}", "m.toml: colums={}: is not a key of a column mapping; did you mean 'columns'?"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "names"), [c[1:] for c in MAPPING_FILES], ids=[c[0] for c in MAPPING_FILES])
def test_mapping_file_is_refused_by_name(text: str, names: str) -> None:
    """A hostile column-mapping file is refused naming the file, the key and the value."""
    from asb_case_review.analysis.intake import load_mapping  # noqa: PLC0415 (the analysis extra)

    with pytest.raises(InvalidPolicyFile) as caught:
        load_mapping(text, file="m.toml")
    one_line(str(caught.value))
    assert names in str(caught.value)


def _mapping(*args: Any, **kwargs: Any) -> object:
    from asb_case_review.analysis.intake import ColumnMapping  # noqa: PLC0415 (the analysis extra)

    return ColumnMapping(*args, **kwargs)


def _csv_columns(columns: Any) -> object:
    return reports_from_csv(
        ["X,reporter,matter,began_on,made_on", "R,P,M,2025-10-01,2025-10-02"], columns=columns
    )


MAPPING_API: list[tuple[str, Callable[[], object], str]] = [
    ("none", lambda: _mapping(None), "columns=None: must map"),
    ("list-of-pairs", lambda: _mapping([("id", "A")]), "columns=[('id', 'A')]: must map"),
    ("field-int", lambda: _mapping({5: "A"}), "columns=5: is not a field"),
    ("column-int", lambda: _mapping({"id": 5}), "columns.id=5: must be a column name"),
    ("two-fields-one-column", lambda: _mapping({"id": "A", "reporter": "A"}), "columns.reporter='A': is already the column of id"),
    ("column-of-another-field", lambda: _mapping({"made_on": "began_on"}), "columns.made_on='began_on': is also the column of began_on"),
    ("sheet-int", lambda: _mapping({}, sheet=5), "sheet=5: must be a non-empty string, or None"),
    ("source-blank", lambda: _mapping({}, source=" "), "source=' ': must be a non-empty string, or None"),
    ("date-format-us", lambda: _mapping({}, date_format="us"), "date_format='us': must be 'iso' or 'day-first'"),
    ("csv-two-fields-one-column", lambda: _csv_columns({"id": "X", "reporter": "X"}), "columns.id='X': is also the column of reporter"),
    ("csv-column-of-another-field", lambda: _csv_columns({"id": "reporter"}), "columns.id='reporter': is also the column of reporter"),
    ("csv-columns-list", lambda: _csv_columns([("id", "X")]), "columns=[('id', 'X')]: must map"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "names"), [c[1:] for c in MAPPING_API], ids=[c[0] for c in MAPPING_API])
def test_column_mapping_is_refused_by_name(build: Callable[[], object], names: str) -> None:
    """A column mapping built in code is refused by name, never a TypeError or a column read twice."""
    with pytest.raises(InvalidInput) as caught:
        build()
    one_line(str(caught.value))
    assert names in str(caught.value)


_APP_COLUMNS = ("application", "applicant", "applied_on", "id", "reporter", "matter", "began_on", "made_on")
_APP_ROWS = [
    (
        1,
        dict(
            zip(
                _APP_COLUMNS,
                ["A1", "P1", "2025-11-01", "R1", "P1", "M1", "2025-10-01", "2025-10-02"],
                strict=True,
            )
        ),
    )
]


def _table_of_applications(*args: Any, **kwargs: Any) -> object:
    from asb_case_review.analysis.intake import applications_from_table  # noqa: PLC0415 (the analysis extra)

    return applications_from_table(*args, **kwargs)


def _facts_added(*args: Any) -> object:
    from asb_case_review.analysis.intake import with_facts  # noqa: PLC0415 (the analysis extra)

    return with_facts(*args)


INTAKE_API: list[tuple[str, Callable[[], object], str]] = [
    ("header-none", lambda: _table_of_applications(None, _APP_ROWS), "header=None: must be the table's column names"),
    ("header-text", lambda: _table_of_applications("application", _APP_ROWS), "header='application'"),
    ("rows-none", lambda: _table_of_applications(_APP_COLUMNS, None), "rows=None: must be numbered rows"),
    ("rows-not-pairs", lambda: _table_of_applications(_APP_COLUMNS, [("x",)]), "rows=('x',): must be numbered rows"),
    ("rows-records", lambda: _table_of_applications(_APP_COLUMNS, [_APP_ROWS[0][1]]), "must be numbered rows"),
    ("facts-unknown", lambda: _table_of_applications(_APP_COLUMNS, _APP_ROWS, facts={"raining": True}), "facts='raining': is not a case fact"),
    ("facts-text", lambda: _table_of_applications(_APP_COLUMNS, _APP_ROWS, facts="x"), "facts='x': must map case facts"),
    ("facts-yes", lambda: _table_of_applications(_APP_COLUMNS, _APP_ROWS, facts={"no_action_taken": "yes"}), "facts.no_action_taken='yes': must be true or false"),
    ("sheet-text", lambda: _table_of_applications(_APP_COLUMNS, _APP_ROWS, sheet="x"), "sheet='x': must be the rows' Sheet"),
    ("date-format-us", lambda: _table_of_applications(_APP_COLUMNS, _APP_ROWS, date_format="us"), "date_format='us'"),
    ("with-facts-none", lambda: _facts_added(example_application(), None), "facts=None: must map case facts"),
    ("with-facts-text-application", lambda: _facts_added("A1", {}), "application='A1': must be an Application"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "names"), [c[1:] for c in INTAKE_API], ids=[c[0] for c in INTAKE_API])
def test_table_of_applications_is_refused_by_name(build: Callable[[], object], names: str) -> None:
    """Wrong types given to the readers of tables of applications are refused by name, never a TypeError."""
    with pytest.raises(InvalidInput) as caught:
        build()
    one_line(str(caught.value))
    assert names in str(caught.value)


# ------------------------------------------------------------------------------------- .xlsx workbooks

_SHEET_HEADER: list[object] = ["id", "reporter", "matter", "began_on", "made_on"]


def _book(rows: Sequence[Sequence[object]], *, patch: Callable[[bytes], bytes] | None = None) -> bytes:
    """An .xlsx workbook with *rows* on the sheet 'Reports'; *patch* rewrites the sheet's XML."""
    import zipfile  # noqa: PLC0415

    saved = _saved(tuple(tuple(row) for row in rows))
    if patch is None:
        return saved
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(saved)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(
                info.filename, patch(data) if info.filename == "xl/worksheets/sheet1.xml" else data
            )
    return out.getvalue()


@functools.cache
def _saved(rows: tuple[tuple[object, ...], ...]) -> bytes:
    """The workbook of *rows*, saved once (openpyxl takes tens of milliseconds to save one)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Reports"
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(*cells: object) -> list[object]:
    return [*cells, "P1", "M1", "2025-10-01", "2025-10-02"][:5] if len(cells) == 1 else list(cells)


_DT = dt.datetime
XLSX_CASES: list[tuple[str, Callable[[], bytes], dict[str, Any], str]] = [
    ("not-bytes", lambda: cast("bytes", "abc"), {}, "data='abc': must be the bytes"),
    ("empty", lambda: b"", {}, "workbook='<bytes>': is not an .xlsx workbook"),
    ("csv-text", lambda: b"id,reporter\nR1,P1\n", {}, "is not an .xlsx workbook"),
    ("old-xls-or-encrypted", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), {}, "is not an .xlsx workbook"),
    ("zip-not-workbook", lambda: _zip({"a.txt": b"x"}), {}, "is not an .xlsx workbook"),
    ("undefined-entity", lambda: _book([_SHEET_HEADER, _row("R1")], patch=lambda x: x.replace(b"<t>R1</t>", b"<t>&lol;</t>")), {}, "is not an .xlsx workbook"),
    ("external-entity", lambda: _book([_SHEET_HEADER, _row("R1")], patch=lambda x: x.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1).replace(b"<t>R1</t>", b"<t>&e;</t>")), {}, "is not an .xlsx workbook"),
    ("sheet-missing", lambda: _book([_SHEET_HEADER]), {"sheet": "Incidents"}, "sheet='Incidents': is not a sheet of the workbook"),
    ("sheet-int", lambda: _book([_SHEET_HEADER]), {"sheet": 5}, "sheet=5: must be the name of a sheet"),
    ("empty-sheet", lambda: _book([]), {}, "the began_on column is missing from sheet 'Reports'"),
    ("duplicate-header", lambda: _book([["id", "id ", "reporter"]]), {}, "header='id': sheet 'Reports', cell B1: names a column already named"),
    ("unnamed-column", lambda: _book([["id", None, "reporter"]]), {}, "header=None: sheet 'Reports', cell B1: the column has no name"),
    ("formula-header", lambda: _book([["=1+1", "reporter"]]), {}, "sheet 'Reports', cell A1: the column has no name"),
    ("missing-column", lambda: _book([["id", "reporter"], ["R1", "P1"]]), {}, "the began_on column is missing"),
    ("mapping-two-fields-one-column", lambda: _book([_SHEET_HEADER]), {"columns": {"id": "A", "reporter": "A"}}, "columns.id='A': is also the column of reporter"),
    ("mapping-column-of-another", lambda: _book([_SHEET_HEADER]), {"columns": {"id": "reporter"}}, "columns.id='reporter': is also the column of reporter"),
]  # fmt: skip


def _zip(members: dict[str, bytes]) -> bytes:
    import zipfile  # noqa: PLC0415

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "options", "names"), [c[1:] for c in XLSX_CASES], ids=[c[0] for c in XLSX_CASES]
)
def test_workbook_is_refused_by_name(data: Callable[[], bytes], options: dict[str, Any], names: str) -> None:
    """A hostile workbook, sheet or mapping is refused by name, never an openpyxl or XML exception."""
    from asb_case_review.analysis.intake import reports_from_xlsx  # noqa: PLC0415 (the xlsx extra)

    with pytest.raises(InvalidInput) as caught:
        reports_from_xlsx(data(), **options)
    one_line(str(caught.value))
    assert names in str(caught.value)


XLSX_ROWS: list[tuple[str, list[object], str]] = [
    ("formula-without-value", _row("=HYPERLINK(\"http://x\")"), "id=None: is required (sheet 'Reports', cell A3)"),
    ("error-n-a", _row("#N/A"), "row='#N/A': is a spreadsheet error, not a value (sheet 'Reports', cell A3)"),
    ("error-ref", ["R9", "#REF!", "M1", "2025-10-01", "2025-10-02"], "row='#REF!': is a spreadsheet error, not a value (sheet 'Reports', cell B3)"),
    ("error-div0-date", ["R9", "P1", "M1", "#DIV/0!", "2025-10-02"], "cell D3"),
    ("id-newline", _row("R\nOutcome: MET"), "id='R\\nOutcome: MET': holds the control character U+000A"),
    ("id-bidi-override", _row("R\u202eTEM"), "holds the bidirectional control U+202E"),
    ("id-next-line", _row("R\x85"), "holds the control character U+0085"),
    ("id-line-separator", _row("R\u2028"), "holds the line separator U+2028"),
    ("id-nan", _row(float("nan")), "id=None: is required"),
    ("id-infinity", _row(float("inf")), "id=None: is required"),
    ("date-cell-9999", ["R9", "P1", "M1", _DT(9999, 12, 31), _DT(9999, 12, 31)], "began_on=datetime.date(9999, 12, 31): is outside the supported dates"),
    ("date-cell-2500", ["R9", "P1", "M1", _DT(2025, 10, 1), _DT(2500, 1, 1)], "made_on=datetime.date(2500, 1, 1): is outside the supported dates"),
    ("date-cell-1899", ["R9", "P1", "M1", _DT(1899, 12, 31), _DT(2025, 10, 2)], "began_on="),
    ("date-cell-with-time", ["R9", "P1", "M1", _DT(2025, 10, 1, 13, 30), _DT(2025, 10, 2)], "began_on=datetime.datetime(2025, 10, 1, 13, 30): datetime has no timezone"),
    ("date-as-serial-number", ["R9", "P1", "M1", 45000, "2025-10-02"], "began_on=45000: is not a date written YYYY-MM-DD"),
    ("date-time-only", ["R9", "P1", "M1", dt.time(12, 0), "2025-10-02"], "began_on=datetime.time(12, 0): is not a date"),
    ("date-text-9999", ["R9", "P1", "M1", "9999-01-01", "9999-01-02"], "began_on='9999-01-01': is outside the supported dates"),
    ("date-text-fullwidth", ["R9", "P1", "M1", "\uff12\uff10\uff12\uff15-\uff11\uff10-\uff10\uff11", "2025-10-02"], "began_on='\uff12\uff10\uff12\uff15-\uff11\uff10-\uff10\uff11': is not a date written YYYY-MM-DD"),
    ("date-text-day-first", ["R9", "P1", "M1", "01/10/2025", "2025-10-02"], "began_on='01/10/2025': is not a date written YYYY-MM-DD"),
    ("made-before-began", ["R9", "P1", "M1", "2025-10-05", "2025-10-02"], "made_on="),
    ("cell-beyond-header", ["R9", "P1", "M1", "2025-10-01", "2025-10-02", "x"], "has a value in column F, which has no header"),
    ("id-repeated", _row("G1"), "id='G1': is used by an earlier row"),
    ("reporter-blank", ["R9", "  ", "M1", "2025-10-01", "2025-10-02"], "reporter='  ': is required"),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "names"), [c[1:] for c in XLSX_ROWS], ids=[c[0] for c in XLSX_ROWS])
def test_workbook_keeps_every_good_row_and_lists_the_bad_one(bad: list[object], names: str) -> None:
    """A bad row of a sheet is listed by number and cell among five good ones, all kept; stop raises it."""
    from asb_case_review.analysis.intake import reports_from_xlsx  # noqa: PLC0415 (the xlsx extra)

    good: list[list[object]] = [[f"G{n}", f"P{n}", "M1", "2025-10-01", "2025-10-02"] for n in range(1, 6)]
    data = _book([_SHEET_HEADER, good[0], bad, *good[1:]])
    table = reports_from_xlsx(data, on_error="skip")
    assert table.id == tuple(f"G{n}" for n in range(1, 6))
    assert len(table.problems) == 1
    assert str(table.problems[0]).startswith("row 2: ")
    assert names in str(table.problems[0])
    with pytest.raises(InvalidRow) as caught:
        reports_from_xlsx(data)
    one_line(str(caught.value))
    assert caught.value.row == 2


def test_workbook_rows_past_its_recorded_dimensions_are_read() -> None:
    """A sheet whose recorded size is too small (some writers get it wrong) still gives every row."""
    from asb_case_review.analysis.intake import read_xlsx  # noqa: PLC0415 (the xlsx extra)

    rows: list[list[object]] = [_SHEET_HEADER]
    rows += [[f"G{n}", f"P{n}", "M1", "2025-10-01", "2025-10-02"] for n in range(1, 4)]
    # The recorded size says two rows of two columns; the header also ends in an empty, styled cell.
    data = _book(
        rows,
        patch=lambda x: x.replace(b'<dimension ref="A1:E4"/>', b'<dimension ref="A1:B2"/>').replace(
            b"<t>made_on</t></is></c></row>", b'<t>made_on</t></is></c><c r="F1" s="0"/></row>', 1
        ),
    )
    sheet = read_xlsx(data)
    assert [r["id"] for _, r in sheet.rows if isinstance(r, Mapping)] == ["G1", "G2", "G3"]
    assert sheet.header == tuple(_SHEET_HEADER)


def test_workbook_that_expands_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip bomb is refused by the sizes its members declare, before a byte of it is unpacked."""
    from asb_case_review.analysis import intake  # noqa: PLC0415 (the xlsx extra)

    data = _book([_SHEET_HEADER, ["G1", "P1", "M1", "2025-10-01", "2025-10-02"]])
    monkeypatch.setattr(intake, "MAX_WORKBOOK", 1_000)
    with pytest.raises(
        InvalidInput, match=r"^workbook='<bytes>': expands to [\d,]+ bytes, more than the limit of 1,000$"
    ):
        intake.read_xlsx(data)


# ---------------------------------------------------------------------------------------------- letters


def _decision(policy: Policy = STATUTORY) -> Any:
    return evaluate(example_application(), policy)


def _letter(**options: Any) -> Callable[[], object]:
    from asb_case_review.letters import write_letter  # noqa: PLC0415 (letters are loaded when written)

    fields: dict[str, Any] = {"format": "text", "target": io.BytesIO()}
    fields.update(options)
    decision = fields.pop("decision", None) or _decision()
    return lambda: write_letter(decision, fields.pop("format"), fields.pop("target"), **fields)


_TITLED = 'id = "p"\ntitle = "{}"\nversion = "1"\neffective_from = 2014-04-01\n'

LETTERS: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("format-pdf", _letter(format="pdf"), InvalidInput, "format='pdf': must be one of: text, html, docx"),
    ("format-none", _letter(format=None), InvalidInput, "format=None"),
    ("language-fr", _letter(language="fr"), InvalidInput, "language='fr': must be one of: en, cy, both"),
    ("language-list", _letter(language=["en"]), InvalidInput, "language=['en']"),
    ("decided-on-text", _letter(decided_on="2026-03-01"), InvalidInput, "decided_on='2026-03-01': must be a date"),
    ("decided-on-datetime", _letter(decided_on=dt.datetime(2026, 3, 1)), InvalidInput, "decided_on=datetime.datetime(2026, 3, 1, 0, 0)"),
    ("decided-on-9999", _letter(decided_on=D(9999, 12, 31)), InvalidInput, "decided_on=datetime.date(9999, 12, 31): is outside the supported dates"),
    ("decided-on-min", _letter(decided_on=D.min), InvalidInput, "decided_on=datetime.date(1, 1, 1): is outside the supported dates"),
    ("target-none", _letter(target=None), InvalidInput, "target=None: must be a file name or a binary stream"),
    ("target-int", _letter(target=5), InvalidInput, "target=5"),
    ("target-text-stream", _letter(target=io.StringIO()), InvalidInput, "target=<_io.StringIO"),
    ("target-nul", _letter(target="letter\x00.txt"), InvalidInput, "target='letter\\x00.txt': must be a file name"),
    ("target-empty", _letter(target=""), InvalidInput, "target='': must be a file name"),
    ("decision-text", _letter(decision="x"), InvalidInput, "decision='x': must be a Decision"),
    ("for-applicant-max", lambda: for_applicant(_not_met(), decided_on=D.max), InvalidInput, "decided_on=datetime.date(9999, 12, 31)"),
    ("for-applicant-text", lambda: for_applicant(_not_met(), decided_on="x"), InvalidInput, "decided_on='x'"),  # type: ignore[arg-type]
    ("applicant-dict-max", lambda: _applicant_dict(decided_on=D.max), InvalidInput, "decided_on=datetime.date(9999, 12, 31)"),
    ("applicant-dict-text", lambda: _applicant_dict(decided_on="2026-01-01"), InvalidInput, "decided_on='2026-01-01'"),
    ("title-form-feed", lambda: load_policy(_TITLED.format("Area\\f"), file="p.toml"), InvalidPolicyFile, "p.toml: title='Area\\x0c': holds the control character U+000C"),
    ("title-escape", lambda: load_policy(_TITLED.format("A\\u001b[31mB"), file="p.toml"), InvalidPolicyFile, "p.toml: title='A\\x1b[31mB': holds the control character U+001B"),
    ("title-nul", lambda: load_policy(_TITLED.format("A\\u0000"), file="p.toml"), InvalidPolicyFile, "holds the control character U+0000"),
    ("title-c1", lambda: load_policy(_TITLED.format("A\\u009b2J"), file="p.toml"), InvalidPolicyFile, "holds the control character U+009B"),
    ("render-text-none", lambda: _render("render_text", None), InvalidInput, "letters=None: must be one or more Letter"),
    ("render-html-empty", lambda: _render("render_html", []), InvalidInput, "letters=[]: must be one or more Letter"),
    ("render-docx-text", lambda: _render("render_docx", "x", io.BytesIO()), InvalidInput, "letters='x'"),
    ("render-docx-stream-none", lambda: _render("render_docx", _letters(), None), InvalidInput, "stream=None: must be a binary stream"),
    ("render-docx-stream-text", lambda: _render("render_docx", _letters(), io.StringIO()), InvalidInput, "stream=<_io.StringIO"),
    ("render-docx-stream-path", lambda: _render("render_docx", _letters(), "letter.docx"), InvalidInput, "stream='letter.docx'"),
    ("default-language-text", lambda: _render("default_language", "wrexham"), InvalidInput, "policy='wrexham': must be a Policy"),
    ("label-vertical-tab", lambda: rule("r", count(1), label="a\x0bb"), InvalidInput, "label='a\\x0bb': holds the control character U+000B"),
    ("policy-title-bell", lambda: _policy(title="T\x07"), InvalidPolicy, "title='T\\x07'"),
]  # fmt: skip


def _render(name: str, *args: Any) -> object:
    from asb_case_review import letters  # noqa: PLC0415 (letters are loaded when written)

    return getattr(letters, name)(*args)


def _letters() -> object:
    from asb_case_review.letters import compose  # noqa: PLC0415

    return compose(_decision())


def _not_met() -> Any:
    import attrs  # noqa: PLC0415

    application = example_application()
    return evaluate(attrs.evolve(application, reports=application.reports[:1]), get_policy("birmingham"))


def _applicant_dict(**options: Any) -> object:
    from asb_case_review.render import to_applicant_dict  # noqa: PLC0415

    return to_applicant_dict(_not_met(), **options)


@pytest.mark.parametrize(("build", "error", "names"), [c[1:] for c in LETTERS], ids=[c[0] for c in LETTERS])
def test_letter_is_refused_by_name(build: Callable[[], object], error: type[Exception], names: str) -> None:
    """A hostile letter argument, or free text no letter can hold, is refused by name before writing."""
    with pytest.raises(error) as caught:
        build()
    assert isinstance(caught.value, CaseReviewError)
    one_line(str(caught.value))
    assert names in str(caught.value)


@pytest.mark.parametrize("kind", ["text", "html", "docx"])
def test_letters_hold_hostile_text_as_text(kind: str) -> None:
    """Markup, Welsh, right-to-left script and line breaks in a policy's text are written as text in every format."""
    from asb_case_review.letters import write_letter  # noqa: PLC0415

    title = "<script>alert(1)</script> & Cyngor ŵŷ \u0645\u0631\u062d\u0628\u0627\nline two\ttab\r"
    escaped = title.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    policy = load_policy(_TITLED.format(escaped), file="p.toml")
    out = io.BytesIO()
    write_letter(_decision(policy), kind, out)  # type: ignore[arg-type]
    data = out.getvalue()
    if kind == "html":
        assert b"<script>" not in data
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cyngor ŵŷ".encode() in data
    elif kind == "text":
        assert data.decode().startswith(title + "\n")
    else:
        import zipfile  # noqa: PLC0415

        document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cyngor ŵŷ" in document


# ------------------------------------------------------------------------------------------- batch check

_APPS_HEADER = "application,applicant,applied_on,id,reporter,matter,began_on,made_on"


def _three(app: str, applied: str = "2025-11-01") -> str:
    """Three rows of application *app*: three complaints, met under the statute."""
    return "\n".join(f"{app},P1,{applied},{app}-R{n},P{n},M1,2025-10-01,2025-10-02" for n in range(3))


def _apps(*blocks: str) -> str:
    return "\n".join([_APPS_HEADER, *blocks]) + "\n"


def _one(app_id: str, **changes: object) -> str:
    data: dict[str, object] = {
        "id": app_id,
        "applicant": "P1",
        "made_on": "2025-11-01",
        "matter": "M1",
        "reports": [],
    }
    data.update(changes)
    return json.dumps(data)


BATCH_REFUSED: list[tuple[str, list[str], dict[str, str | bytes], str]] = [
    ("out-is-the-input-folder", ["check", "{d}/in", "--out", "{d}/in"], {"in/a.json": _one("b"), "in/b.json": _one("c")}, "--out {d}/in: is the folder of the applications"),
    ("out-nul", ["check", "{d}/a.csv", "--out", "{d}/o\x00"], {"a.csv": _apps(_three("A"))}, "--out='{d}/o\\x00': name a folder"),
    ("out-empty", ["check", "{d}/a.csv", "--out", ""], {"a.csv": _apps(_three("A"))}, "--out='': name a folder"),
    ("out-blank", ["check", "{d}/a.csv", "--out", "  "], {"a.csv": _apps(_three("A"))}, "--out='  ': name a folder"),
    ("out-is-a-file", ["check", "{d}/a.csv", "--out", "{d}/a.csv"], {"a.csv": _apps(_three("A"))}, "--out {d}/a.csv: is a file"),
    ("out-under-a-file", ["check", "{d}/a.csv", "--out", "{d}/a.csv/o"], {"a.csv": _apps(_three("A"))}, "cannot make the folder"),
    ("no-out", ["check", "{d}/a.csv"], {"a.csv": _apps(_three("A"))}, "name a folder to write them to, --out DIR"),
    ("columns-deep", ["check", "{d}/a.csv", "--out", "{d}/o", "--columns", "{d}/m.toml"], {"a.csv": _apps(), "m.toml": "x = " + "[" * 100_000}, "{d}/m.toml: is not valid TOML: nests more than 100 deep"),
    ("columns-huge-number", ["check", "{d}/a.csv", "--out", "{d}/o", "--columns", "{d}/m.toml"], {"a.csv": _apps(), "m.toml": "x = " + "9" * 5000}, "{d}/m.toml: is not valid TOML: a number has more than 4,300 digits"),
    ("columns-latin1", ["check", "{d}/a.csv", "--out", "{d}/o", "--columns", "{d}/m.toml"], {"a.csv": _apps(), "m.toml": b"source = '\xe9'"}, "{d}/m.toml: not UTF-8 text"),
    ("columns-missing", ["check", "{d}/a.csv", "--out", "{d}/o", "--columns", "{d}/m.toml"], {"a.csv": _apps()}, "{d}/m.toml: cannot read"),
    ("columns-a-folder", ["check", "{d}/a.csv", "--out", "{d}/o", "--columns", "{d}"], {"a.csv": _apps()}, "{d}: is a directory"),
    ("columns-one-column-two-fields", ["check", "{d}/a.csv", "--out", "{d}/o", "--columns", "{d}/m.toml"], {"a.csv": _apps(), "m.toml": '[columns]\nid = "X"\nreporter = "X"'}, "{d}/m.toml: columns.reporter='X': is already the column of id"),
    ("column-of-another-field", ["check", "{d}/a.csv", "--out", "{d}/o", "--column", "id=reporter"], {"a.csv": _apps(_three("A"))}, "--column: columns.id='reporter': is also the column of reporter"),
    ("column-twice", ["check", "{d}/a.csv", "--out", "{d}/o", "--column", "id=X", "--column", "reporter=X"], {"a.csv": _apps(_three("A"))}, "columns.reporter='X': is already the column of id"),
    ("column-unknown", ["check", "{d}/a.csv", "--out", "{d}/o", "--column", "report=X"], {"a.csv": _apps(_three("A"))}, "--column: columns='report': is not a field"),
    ("column-no-equals", ["check", "{d}/a.csv", "--out", "{d}/o", "--column", "reporter"], {"a.csv": _apps(_three("A"))}, "--column='reporter': write LIBRARY_NAME=THEIR_NAME"),
    ("column-newline", ["check", "{d}/a.csv", "--out", "{d}/o", "--column", "id=X\nY"], {"a.csv": _apps(_three("A"))}, "columns='X\\nY': the id column is missing"),
    ("sheet-of-a-csv", ["check", "{d}/a.csv", "--out", "{d}/o", "--sheet", "Reports"], {"a.csv": _apps(_three("A"))}, "--sheet Reports: {d}/a.csv is not an .xlsx workbook"),
    ("csv-duplicate-header", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _APPS_HEADER + ",id\n"}, "{d}/a.csv: header='id': names columns 4 and 9"),
    ("csv-no-application-column", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _CSV_HEADER + "\n"}, "{d}/a.csv: columns='application': the application column is missing"),
    ("csv-empty", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": ""}, "the application column is missing"),
    ("csv-latin1", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _APPS_HEADER.encode() + b"\n\xe9"}, "{d}/a.csv: not UTF-8 text"),
    ("csv-missing", ["check", "{d}/a.csv", "--out", "{d}/o"], {}, "{d}/a.csv: cannot read"),
    ("jsonl-latin1", ["check", "{d}/a.jsonl", "--out", "{d}/o"], {"a.jsonl": b'{"id": "\xe9"}\n'}, "{d}/a.jsonl: not UTF-8 text: invalid continuation byte at byte 8"),
    ("xlsx-garbage", ["check", "{d}/a.xlsx", "--out", "{d}/o"], {"a.xlsx": b"garbage"}, "{d}/a.xlsx: workbook='<bytes>': is not an .xlsx workbook"),
    ("xlsx-a-csv-inside", ["check", "{d}/a.xlsx", "--out", "{d}/o"], {"a.xlsx": _apps(_three("A")).encode()}, "is not an .xlsx workbook"),
    ("xlsx-sheet-missing", ["check", "{d}/a.xlsx", "--out", "{d}/o", "--sheet", "Nope"], {"a.xlsx": b"<book>"}, "{d}/a.xlsx: sheet='Nope': is not a sheet of the workbook"),
    ("xlsx-entity", ["check", "{d}/a.xlsx", "--out", "{d}/o"], {"a.xlsx": b"<entity>"}, "{d}/a.xlsx: workbook='<bytes>': is not an .xlsx workbook (ParseError)"),
    ("letters-and-output", ["check", "{d}/a.csv", "--out", "{d}/o", "--letters", "--output", "x.txt"], {"a.csv": _apps(_three("A"))}, "--output x.txt: names one letter's file"),
    ("letters-and-docx", ["check", "{d}/a.csv", "--out", "{d}/o", "--letters", "--letter", "docx"], {"a.csv": _apps(_three("A"))}, "--letters writes text letters"),
    ("language-without-letter", ["check", "{d}/a.csv", "--out", "{d}/o", "--language", "cy"], {"a.csv": _apps(_three("A"))}, "--language cy: is an option of the letter"),
    ("decided-on-9999", ["check", "{d}/a.csv", "--out", "{d}/o", "--letters", "--decided-on", "9999-01-01"], {"a.csv": _apps(_three("A"))}, "--decided-on=datetime.date(9999, 1, 1): is outside the supported dates"),
    ("decided-on-words", ["check", "{d}/a.csv", "--out", "{d}/o", "--letters", "--decided-on", "yesterday"], {"a.csv": _apps(_three("A"))}, "--decided-on='yesterday'"),
    ("fact-unknown", ["check", "{d}/a.csv", "--out", "{d}/o", "--fact", "raining=yes"], {"a.csv": _apps(_three("A"))}, "--fact raining: is not a case fact"),
    ("plot-of-a-batch", ["check", "{d}/a.csv", "--out", "{d}/o", "--plot", "t.png"], {"a.csv": _apps(_three("A"))}, "--plot and --as-of decide one application"),
    ("policy-missing", ["check", "{d}/a.csv", "--out", "{d}/o", "--policy", "nowhere"], {"a.csv": _apps(_three("A"))}, "policy='nowhere'"),
    ("one-letter-output-nul", ["check", "--example", "--letter", "text", "--output", "{d}/l\x00.txt"], {}, "--output='{d}/l\\x00.txt': name the letter's file"),
    ("one-letter-output-empty", ["check", "--example", "--letter", "text", "--output", ""], {}, "--output='': name the letter's file"),
    ("one-letter-output-folder", ["check", "--example", "--letter", "html", "--output", "{d}"], {}, "--output {d}: is a directory"),
    ("one-letter-docx-to-terminal", ["check", "--example", "--letter", "docx"], {}, "--letter docx: a Word file needs --output FILE.docx"),
    ("one-application-out", ["check", "--example", "--out", "{d}/o"], {}, "--out and --letters decide a folder"),
    ("one-application-column", ["check", "--example", "--column", "id=X"], {}, "--column, --columns, --date-format and --sheet read tables"),
]  # fmt: skip


def _files(tmp_path: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content
        if data == b"<book>":
            data = _book([_APPS_HEADER.split(",")])
        elif data == b"<entity>":
            data = _book(
                [_APPS_HEADER.split(",")],
                patch=lambda x: x.replace(
                    b"</sheetData>",
                    b'<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>',
                ),
            )
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "files", "names"), [c[1:] for c in BATCH_REFUSED], ids=[c[0] for c in BATCH_REFUSED]
)
def test_batch_check_refuses_with_one_line_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    files: dict[str, str | bytes],
    names: str,
) -> None:
    """A hostile batch, mapping or option exits 2 with one line naming it, and writes no file."""
    _files(tmp_path, files)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert cli.main([a.replace("{d}", str(tmp_path)) for a in argv]) == cli.EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("asb-case-review: ")
    assert names.replace("{d}", str(tmp_path)) in err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def _xlsx_apps(*rows: Sequence[object]) -> bytes:
    return _book([_APPS_HEADER.split(","), *rows])


_MET = ("met", None)
BATCH_ROWS: list[tuple[str, list[str], dict[str, str | bytes], list[tuple[str, str | None, tuple[str | None, str | None]]], list[str]]] = [
    ("formula-ids", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("=HYPERLINK(\"http://x\")"), _three("+1"), _three("@SUM(A1)"), _three("-2"))},
     [("rows 1, 2, 3", '=HYPERLINK("http://x")', _MET), ("rows 4, 5, 6", "+1", _MET), ("rows 7, 8, 9", "@SUM(A1)", _MET), ("rows 10, 11, 12", "-2", _MET)],
     ["_HYPERLINK__http___x__.json", "_1.json", "_SUM_A1_.json", "-2.json"]),
    ("names-equal-but-for-case", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("Abc"), _three("abc"))},
     [("rows 1, 2, 3", "Abc", _MET), ("rows 4, 5, 6", "abc", (None, "its file name abc.json is taken by application 'Abc'"))], ["Abc.json"]),
    ("named-summary", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("summary"), _three("SUMMARY"))},
     [("rows 1, 2, 3", "summary", _MET), ("rows 4, 5, 6", "SUMMARY", (None, "its file name _SUMMARY.json is taken by application 'summary'"))], ["_summary.json"]),
    ("windows-devices", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("CON"), _three("nul.txt"), _three("com1"))},
     [("rows 1, 2, 3", "CON", _MET), ("rows 4, 5, 6", "nul.txt", _MET), ("rows 7, 8, 9", "com1", _MET)], ["_CON.json", "_nul.txt.json", "_com1.json"]),
    ("paths-in-ids", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("../../etc/x"), _three("/abs"), _three(".."), _three("C:\\x"))},
     [("rows 1, 2, 3", "../../etc/x", _MET), ("rows 4, 5, 6", "/abs", _MET), ("rows 7, 8, 9", "..", _MET), ("rows 10, 11, 12", "C:\\x", _MET)],
     ["_.._etc_x.json", "_abs.json", "_.json", "C__x.json"]),
    ("welsh-ids-one-name", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("Siân"), _three("Siôn"))},
     [("rows 1, 2, 3", "Siân", _MET), ("rows 4, 5, 6", "Siôn", (None, "its file name Si_n.json is taken by application 'Siân'"))], ["Si_n.json"]),
    ("stray-quote", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("A"), 'B,"P1,2025-11-01,R9,P1,M1,2025-10-01,2025-10-02', _three("C"))},
     [("rows 1, 2, 3", "A", _MET), ("row 4", None, (None, "a quoted cell is not closed on its line")), ("rows 5, 6, 7", "C", _MET)], ["A.json", "C.json"]),
    ("one-bad-row", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("A"), "A,P1,2025-11-01,R9,P1,M1,2025-10-01,9999-10-02", _three("C"))},
     [("rows 1, 2, 3, 4", "A", (None, "row 4: made_on='9999-10-02': is outside the supported dates")), ("rows 5, 6, 7", "C", _MET)], ["C.json"]),
    ("id-bidi", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("A\u202eB"), _three("C"))},
     [("row 1", None, (None, "application='A\\u202eB': holds the bidirectional control U+202E")), ("row 2", None, (None, "U+202E")), ("row 3", None, (None, "U+202E")), ("rows 4, 5, 6", "C", _MET)], ["C.json"]),
    ("applied-9999", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("A", "9999-11-01"), _three("C"))},
     [("rows 1, 2, 3", "A", (None, "row 1: applied_on='9999-11-01': is outside the supported dates")), ("rows 4, 5, 6", "C", _MET)], ["C.json"]),
    ("applicants-disagree", ["check", "{d}/a.csv", "--out", "{d}/o"], {"a.csv": _apps(_three("A").replace("A,P1,", "A,P2,", 1), _three("C"))},
     [("rows 1, 2, 3", "A", (None, "row 2: applicant='P1': row 1 of the same application gives P2")), ("rows 4, 5, 6", "C", _MET)], ["C.json"]),
    ("xlsx-date-9999-and-error", ["check", "{d}/a.xlsx", "--out", "{d}/o"], {"a.xlsx": b"<apps>"},
     [("sheet 'Reports' row 1", "A", (None, "applied_on=datetime.date(9999, 1, 1): is outside the supported dates, 1900-01-01 to 2499-12-31 (sheet 'Reports', cell C2)")),
      ("sheet 'Reports' row 2", None, (None, "row='#N/A': is a spreadsheet error, not a value (sheet 'Reports', cell A3)")),
      ("sheet 'Reports' rows 3, 4, 5", "B", _MET)], ["B.json"]),
    ("jsonl-hostile-lines", ["check", "{d}/a.jsonl", "--out", "{d}/o"], {"a.jsonl": "{\n" + "[" * 100_000 + '\n{"id": "a", "id": "b"}\n' + _one("x\u2028y") + "\n" + _one("ok") + "\n"},
     [("line 1", None, (None, "not valid JSON")), ("line 2", None, (None, "nest more than 100 deep")), ("line 3", None, (None, "the key 'id' is given twice")),
      ("line 4", None, (None, "id='x\\u2028y': holds the line separator U+2028")), ("line 5", "ok", ("not_met", None))], ["ok.json"]),
    ("folder-hostile-files", ["check", "{d}/in", "--out", "{d}/o"], {"in/a.json": "{", "in/b.json": b"\xff", "in/c.json": "[]", "in/d.json": _one("d", made_on="0001-01-01"), "in/e.json": _one("e"), "in/f.txt": "not an application"},
     [("a.json", None, (None, "line 1: not valid JSON")), ("b.json", None, (None, "not UTF-8 text: invalid start byte at byte 0")), ("c.json", None, (None, "the application=[]: must be an object")),
      ("d.json", None, (None, "made_on=datetime.date(1, 1, 1): is outside the supported dates")), ("e.json", "e", ("not_met", None))], ["e.json"]),
    ("file-name-with-a-newline", ["check", "{d}/in", "--out", "{d}/o"], {"in/x\nasb-case-review: decided 9 of 9.json": "{", "in/y.json": _one("y")},
     [("'x\\nasb-case-review: decided 9 of 9.json'", None, (None, "line 1: not valid JSON")), ("y.json", "y", ("not_met", None))], ["y.json"]),
    ("fact-against-the-file", ["check", "{d}/a.jsonl", "--out", "{d}/o", "--fact", "no_action_taken=yes"], {"a.jsonl": _one("x", facts={"no_action_taken": False}) + "\n" + _one("y") + "\n"},
     [("line 1", None, (None, "facts.no_action_taken=False: the application records it; --fact says True")), ("line 2", "y", ("not_met", None))], ["y.json"]),
    ("markup-in-id-html-letters", ["check", "{d}/a.csv", "--out", "{d}/o", "--letter", "html"], {"a.csv": _apps(_three("<script>alert(1)</script>"))},
     [("rows 1, 2, 3", "<script>alert(1)</script>", _MET)], ["_script_alert_1___script_.json", "_script_alert_1___script_.letter.html"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "files", "expected", "written"), [c[1:] for c in BATCH_ROWS], ids=[c[0] for c in BATCH_ROWS]
)
def test_batch_check_decides_every_good_application_and_lists_every_bad_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *,
    argv: list[str],
    files: dict[str, str | bytes],
    expected: list[tuple[str, str | None, tuple[str | None, str | None]]],
    written: list[str],
) -> None:
    """Each application of a hostile batch is decided or listed with where it is and why; none is lost,
    no file overwrites another, and summary.csv holds no cell a spreadsheet would run as a formula."""
    if files.get("a.xlsx") == b"<apps>":
        files = {"a.xlsx": _xlsx_apps(["A", "P1", D(9999, 1, 1), "R1", "P1", "M1", "2025-10-01", "2025-10-02"], ["#N/A", "P1", "2025-11-01", "R2", "P1", "M1", "2025-10-01", "2025-10-02"],
                                      *(["B", "P1", "2025-11-01", f"B{n}", f"P{n}", "M1", "2025-10-01", "2025-10-02"] for n in range(3)))}  # fmt: skip
    _files(tmp_path, files)
    bad = sum(1 for *_, (outcome, _) in expected if outcome is None)
    code = cli.main([a.replace("{d}", str(tmp_path)) for a in argv])
    assert code == (cli.EXIT_BAD_INPUT if bad else cli.EXIT_MET)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == bad + 1
    assert err[-1].startswith(
        f"asb-case-review: decided {len(expected) - bad} of {len(expected)} applications"
    )
    out = tmp_path / "o"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))["applications"]
    assert len(summary) == len(expected)
    for row, (source, application, (outcome, problem)) in zip(summary, expected, strict=True):
        assert (row["source"], row["application"], row["outcome"]) == (source, application, outcome)
        if problem is None:
            assert row["problem"] is None
        else:
            assert problem in row["problem"]
            one_line(row["problem"])
    decisions = sorted(p.name for p in out.iterdir() if p.name not in ("summary.csv", "summary.json"))
    assert decisions == sorted(written)
    for name in written:
        if name.endswith(".json"):
            assert json.loads((out / name).read_text(encoding="utf-8"))["application"] in {
                a for _, a, _ in expected
            }
    for cells in csv.reader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells
    for name in (n for n in written if n.endswith(".html")):
        assert "<script>" not in (out / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------ the HTTP service


@pytest.fixture(scope="module")
def service() -> Any:
    """The service in-process (no server): every answer, a 500 included, comes back as a response."""
    testclient = pytest.importorskip("fastapi.testclient")
    from asb_case_review.serve import create_app  # noqa: PLC0415 (the serve extra)

    with testclient.TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


_APP_JSON: dict[str, Any] = json.loads(_GOOD_APP)
_REPORTS_CSV = "id,reporter,matter,began_on,made_on\n"


def _app_with(**changes: object) -> dict[str, Any]:
    return {"application": {**_APP_JSON, **changes}}


def _report_with(**changes: object) -> dict[str, Any]:
    reports = copy.deepcopy(_APP_JSON["reports"])
    reports[0].update(changes)
    return {"application": {**_APP_JSON, "reports": reports}}


_CSV_TYPE = "text/csv"
API_CASES: list[tuple[str, str, dict[str, Any] | None, bytes | None, str, dict[str, Any], int, str]] = [
    ("as-of-text", "/api/decide", {**_app_with(), "as_of": 5}, None, "", {}, 422, "as_of=5: must be a date written YYYY-MM-DD"),
    ("as-of-9999", "/api/decide", {**_app_with(), "as_of": "9999-01-01"}, None, "", {}, 422, "as_of=datetime.date(9999, 1, 1): is outside the supported dates"),
    ("as-of-before-the-policy", "/api/decide", {**_app_with(), "as_of": "2000-01-01"}, None, "", {}, 422, "statutory=datetime.date(2000, 1, 1): no version is in force"),
    ("policy-int", "/api/decide", {**_app_with(), "policy": 5}, None, "", {}, 422, "policy=5: must be a string"),
    ("policy-path", "/api/decide", {**_app_with(), "policy": "../../etc/passwd"}, None, "", {}, 422, "policy='../../etc/passwd': is not a built-in policy"),
    ("policy-and-file", "/api/decide", {**_app_with(), "policy": "statutory", "policy_file": "x"}, None, "", {}, 422, "give policy (a built-in name) or policy_file, not both"),
    ("policy-file-deep", "/api/decide", {**_app_with(), "policy_file": "x = " + "[" * 10_000}, None, "", {}, 422, "policy_file: not valid TOML: nests more than 100 deep"),
    ("policy-file-huge-number", "/api/decide", {**_app_with(), "policy_file": "x = " + "9" * 5000}, None, "", {}, 422, "policy_file: not valid TOML: a number has more than 4,300 digits"),
    ("policy-file-json-duplicate", "/api/decide", {**_app_with(), "policy_file": '{"id": "a", "id": "b"}', "policy_format": "json"}, None, "", {}, 422, "the key 'id' is given twice"),
    ("policy-file-control-title", "/api/decide", {**_app_with(), "policy_file": _TITLED.format("A\\u001b[2J")}, None, "", {}, 422, "policy_file: title='A\\x1b[2J': holds the control character U+001B"),
    ("policy-format-yaml", "/api/decide", {**_app_with(), "policy_file": "x", "policy_format": "yaml"}, None, "", {}, 422, "policy_format='yaml': must be 'toml' or 'json'"),
    ("floor-text", "/api/decide", {**_app_with(), "report_floor_only": "yes"}, None, "", {}, 422, "report_floor_only='yes': must be true or false"),
    ("unknown-key", "/api/decide", {**_app_with(), "bogus": 1}, None, "", {}, 422, "bogus=1: is not a known key"),
    ("id-newline", "/api/decide/officer", _app_with(id="A\nOutcome: MET"), None, "", {}, 422, "id='A\\nOutcome: MET': holds the control character U+000A"),
    ("id-bidi", "/api/decide/letter", _app_with(id="A\u202eB"), None, "", {}, 422, "id='A\\u202eB': holds the bidirectional control U+202E"),
    ("report-id-escape", "/api/decide/officer", _report_with(id="R\x1b[2J"), None, "", {}, 422, "reports[0].id='R\\x1b[2J': holds the control character U+001B"),
    ("made-on-0001", "/api/decide", _app_with(made_on="0001-03-01"), None, "", {}, 422, "made_on=datetime.date(1, 3, 1): is outside the supported dates"),
    ("not-json", "/api/decide", None, b"{", "application/json", {}, 400, "line 1: not valid JSON"),
    ("latin1", "/api/decide", None, b'{"a": "\xe9"}', "application/json", {}, 400, "not UTF-8 text: invalid continuation byte at byte 7"),
    ("charset-latin1", "/api/decide", None, b"{}", "application/json; charset=latin-1", {}, 415, "charset='latin-1': must be utf-8"),
    ("deep", "/api/decide", None, b"[" * 100_000, "application/json", {}, 400, "nest more than 100 deep"),
    ("huge-number", "/api/decide", None, b'{"application": ' + b"9" * 5000 + b"}", "application/json", {}, 400, "a number has more than 4,300 digits"),
    ("nan", "/api/decide", None, b'{"application": NaN}', "application/json", {}, 400, "NaN is not a JSON number"),
    ("duplicate-key", "/api/decide", None, b'{"application": 1, "application": 2}', "application/json", {}, 400, "the key 'application' is given twice"),
    ("array", "/api/decide", None, b"[]", "application/json", {}, 422, "the request=[]: must be an object"),
    ("empty", "/api/decide", None, b"", "application/json", {}, 400, "not valid JSON: Expecting value"),
    ("too-large", "/api/decide", None, b'{"a": "' + b"x" * 1_000_001 + b'"}', "application/json", {}, 413, "larger than the limit of 1,000,000 bytes"),
    ("text-plain", "/api/decide", None, b"{}", "text/plain", {}, 415, "Content-Type='text/plain': must be application/json"),
    ("timeline-gif", "/api/decide/timeline", _app_with(), None, "", {"format": "gif"}, 422, "format='gif': must be 'png' or 'svg'"),
    ("timeline-for-bogus", "/api/decide/timeline", _app_with(), None, "", {"for": "press"}, 422, "for='press': must be 'officer' or 'applicant'"),
    ("policy-check-deep", "/api/policy-check", {"policy_file": "x = " + "[" * 10_000}, None, "", {}, 422, "policy_file: not valid TOML: nests more than 100 deep"),
    ("policy-check-missing", "/api/policy-check", {}, None, "", {}, 422, "policy_file=None: is required"),
    ("policy-check-int", "/api/policy-check", {"policy_file": 5}, None, "", {}, 422, "policy_file=5: must be a string"),
    ("cases-parent-policy", "/api/cases/run", {"cases": _CASES_HEAD.replace('"statutory"', '"../secret.toml"')}, None, "", {}, 422, "cases: policy='../secret.toml'"),
    ("cases-policy-file-name", "/api/cases/run", {"cases": _CASES_HEAD.replace('"statutory"', '"mine.toml"')}, None, "", {}, 422, "cases.policy='mine.toml': names a policy file: send its text as policy_file"),
    ("cases-format-xml", "/api/cases/run", {"cases": "x", "cases_format": "xml"}, None, "", {}, 422, "cases_format='xml': must be 'toml' or 'json'"),
    ("cases-deep-json", "/api/cases/run", {"cases": "[" * 10_000, "cases_format": "json"}, None, "", {}, 422, "cases: not valid JSON: lists and objects nest more than 100 deep"),
    ("sweep-latin1", "/api/sweep", None, _REPORTS_CSV.encode() + b"\xe9", _CSV_TYPE, {}, 422, "not UTF-8 text"),
    ("sweep-charset-utf16", "/api/sweep", None, _REPORTS_CSV.encode(), "text/csv; charset=utf-16", {}, 415, "charset='utf-16': must be utf-8"),
    ("sweep-json-type", "/api/sweep", None, b"{}", "application/json", {}, 415, "must be text/csv or text/plain"),
    ("sweep-policy-unknown", "/api/sweep", None, _REPORTS_CSV.encode(), _CSV_TYPE, {"policy": "../x"}, 422, "policy='../x': is not a built-in policy"),
    ("sweep-fact-unknown", "/api/sweep", None, (_REPORTS_CSV + "R,P,M,2025-10-01,2025-10-02\n").encode(), _CSV_TYPE, {"fact": "raining=yes"}, 422, "facts='raining': is not a known fact"),
    ("sweep-fact-newline", "/api/sweep", None, (_REPORTS_CSV + "R,P,M,2025-10-01,2025-10-02\n").encode(), _CSV_TYPE, {"fact": "no_action_taken=yes\nx"}, 422, "fact='no_action_taken=yes\\nx': write NAME=yes or NAME=no"),
    ("sweep-9999", "/api/sweep", None, (_REPORTS_CSV + "R,P,M,9999-10-01,9999-10-02\n").encode(), _CSV_TYPE, {}, 422, "row 1: began_on='9999-10-01': is outside the supported dates"),
    ("sweep-duplicate-header", "/api/sweep", None, b"id,id\n", _CSV_TYPE, {}, 422, "header='id': names columns 1 and 2"),
    ("sweep-long-line", "/api/sweep", None, (_REPORTS_CSV + "R" * 70_000 + ",P,M,2025-10-01,2025-10-02\n").encode(), _CSV_TYPE, {}, 422, "row 1: row='<70,026 characters>': the line is longer than 65,536 characters"),
    ("sweep-nul", "/api/sweep", None, (_REPORTS_CSV + "R\x00,P,M,2025-10-01,2025-10-02\n").encode(), _CSV_TYPE, {}, 422, "row 1: id='R\\x00': holds the control character U+0000"),
    ("sweep-bidi", "/api/sweep", None, (_REPORTS_CSV + "R\u2066,P,M,2025-10-01,2025-10-02\n").encode(), _CSV_TYPE, {}, 422, "row 1: id='R\\u2066': holds the bidirectional control U+2066"),
    ("sweep-skip-as-csv", "/api/sweep", None, _REPORTS_CSV.encode(), _CSV_TYPE, {"skip_bad_rows": "true"}, 422, "skip_bad_rows=True: needs format=json"),
    ("sweep-skip-maybe", "/api/sweep", None, _REPORTS_CSV.encode(), _CSV_TYPE, {"skip_bad_rows": "maybe"}, 422, "skip_bad_rows='maybe'"),
    ("sweep-empty", "/api/sweep", None, b"", _CSV_TYPE, {}, 422, "the began_on column is missing"),
    ("compare-show-bogus", "/api/compare", None, _REPORTS_CSV.encode(), _CSV_TYPE, {"show": "all"}, 422, "show='all': must be 'summary', 'flips' or 'conflicts'"),
    ("compare-stray-quote", "/api/compare", None, (_REPORTS_CSV + 'R,"P,M,2025-10-01,2025-10-02\n').encode(), _CSV_TYPE, {}, 422, "row 1: reporter="),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "raw", "kind", "params", "status", "names"),
    [c[1:] for c in API_CASES],
    ids=[c[0] for c in API_CASES],
)
def test_service_answers_a_problem_naming_the_field(
    service: Any,
    *,
    path: str,
    body: dict[str, Any] | None,
    raw: bytes | None,
    kind: str,
    params: dict[str, Any],
    status: int,
    names: str,
) -> None:
    """A hostile request gets a 4xx problem document whose one-line detail names the field and value."""
    if raw is None:
        response = service.post(path, json=body, params=params)
    else:
        response = service.post(path, content=raw, headers={"content-type": kind}, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    one_line(detail)
    assert names in detail


def test_service_csv_holds_no_formula(service: Any) -> None:
    """Cells of an uploaded CSV that a spreadsheet would run as formulas come back as text (CSV); JSON keeps them."""
    text = _REPORTS_CSV + '=HYPERLINK("http://x"),@P1,+M1,2025-10-01,2025-10-02\n'
    answer = service.post("/api/sweep", content=text.encode(), headers={"content-type": _CSV_TYPE})
    assert answer.status_code == 200
    row = next(csv.DictReader(io.StringIO(answer.text)))
    assert (row["report"], row["reporter"], row["matter"]) == ('\'=HYPERLINK("http://x")', "'@P1", "'+M1")
    data = service.post(
        "/api/sweep", content=text.encode(), headers={"content-type": _CSV_TYPE}, params={"format": "json"}
    )
    assert data.json()["rows"][0]["report"] == '=HYPERLINK("http://x")'


# ----------------------------------------------------------------------------------------- the web pages

_SELF = {
    "area": "statutory",
    "apply_on-day": "1", "apply_on-month": "11", "apply_on-year": "2025",
    "reports-0-made_on-day": "2", "reports-0-made_on-month": "10", "reports-0-made_on-year": "2025",
    "reports-0-began_on-day": "1", "reports-0-began_on-month": "10", "reports-0-began_on-year": "2025",
}  # fmt: skip
_OFFICER = {
    "area": "statutory", "made_on": "2025-11-01", "applicant": "P1",
    "reports-0-reporter": "P1", "reports-0-made_on": "2025-10-02", "reports-0-began_on": "2025-10-01",
}  # fmt: skip

PAGE_CASES: list[tuple[str, str, dict[str, str], tuple[str, bytes] | None, str, str]] = [
    ("self-superscript-day", "/self-check", {**_SELF, "reports-0-made_on-day": "²"}, None, "reports-0-made_on-day", "made_on='²/10/2025'"),
    ("self-day-of-5000-digits", "/self-check", {**_SELF, "apply_on-day": "9" * 5000}, None, "apply_on-day", "is not a date written YYYY-MM-DD"),
    ("self-month-13", "/self-check", {**_SELF, "apply_on-month": "13"}, None, "apply_on-day", "made_on='2025-13-01'"),
    ("self-year-0000", "/self-check", {**_SELF, "apply_on-year": "0000"}, None, "apply_on-day", "made_on='0000-11-01'"),
    ("self-year-9999", "/self-check", {**_SELF, "reports-0-began_on-year": "9999"}, None, "reports-0-began_on-day", "is outside the supported dates"),
    ("self-year-five-digits", "/self-check", {**_SELF, "apply_on-year": "20255"}, None, "apply_on-day", "made_on='1/11/20255'"),
    ("self-area-path", "/self-check", {**_SELF, "area": "../../etc/passwd"}, None, "area", "area='../../etc/passwd': is not an area in the catalogue"),
    ("self-area-markup", "/self-check", {**_SELF, "area": "<script>alert(1)</script>"}, None, "area", "area='&lt;script&gt;alert(1)&lt;/script&gt;'"),
    ("self-agency-army", "/self-check", {**_SELF, "reports-0-agency": "army"}, None, "reports-0-agency", "reports[0].agency='army'"),
    ("self-before-the-area", "/self-check", {**_SELF, "area": "wrexham", "apply_on-year": "1901"}, None, "area", "no version is in force"),
    ("self-reported-before-it-happened", "/self-check", {**_SELF, "reports-0-made_on-month": "9"}, None, "reports-0-made_on-day", "is before the behaviour"),
    ("officer-reference-newline", "/officer", {**_OFFICER, "reference": "A\nB"}, None, "reference", "id='A\\nB': holds the control character U+000A"),
    ("officer-reference-bidi", "/officer", {**_OFFICER, "reference": "A\u202eB"}, None, "reference", "holds the bidirectional control U+202E"),
    ("officer-reporter-nul", "/officer", {**_OFFICER, "reports-0-reporter": "P\x00"}, None, "reports-0-reporter", "reports[0].reporter='P\\x00'"),
    ("officer-fact-maybe", "/officer", {**_OFFICER, "fact-no_action_taken": "maybe"}, None, "fact-no_action_taken", "facts.no_action_taken='maybe': must be true or false"),
    ("officer-agency-army", "/officer", {**_OFFICER, "reports-0-agency": "army"}, None, "reports-0-agency", "reports[0].agency='army'"),
    ("officer-date-day-first", "/officer", {**_OFFICER, "made_on": "01/11/2025"}, None, "made_on", "made_on='01/11/2025': is not a date written YYYY-MM-DD"),
    ("officer-as-of-9999", "/officer", {**_OFFICER, "as_of": "9999-01-01"}, None, "as_of", "is outside the supported dates"),
    ("officer-as-of-before-the-policy", "/officer", {**_OFFICER, "as_of": "2000-01-01"}, None, "area", "no version is in force"),
    ("upload-json-deep", "/officer", _OFFICER, ("a.json", b"[" * 100_000), "upload", "a.json: not valid application JSON: lists and objects nest more than 100 deep"),
    ("upload-json-huge-number", "/officer", _OFFICER, ("a.json", b'{"a": ' + b"9" * 5000 + b"}"), "upload", "a number has more than 4,300 digits"),
    ("upload-json-duplicate", "/officer", _OFFICER, ("a.json", b'{"id": "a", "id": "b"}'), "upload", "the key 'id' is given twice"),
    ("upload-json-9999", "/officer", _OFFICER, ("a.json", json.dumps({**_APP_JSON, "made_on": "9999-01-01"}).encode()), "upload", "made_on=datetime.date(9999, 1, 1): is outside the supported dates"),
    ("upload-latin1", "/officer", _OFFICER, ("a.csv", b"id\n\xe9"), "upload", "a.csv: not UTF-8 text"),
    ("upload-empty", "/officer", _OFFICER, ("a.csv", b""), "upload", "a.csv: the file is empty"),
    ("upload-too-large", "/officer", _OFFICER, ("a.csv", b"x" * 1_000_001), "upload", "a.csv: is larger than 1,000,000 bytes"),
    ("upload-name-markup", "/officer", _OFFICER, ("<img src=x onerror=alert(1)>.csv", b"\xff"), "upload", "&lt;img src=x onerror=alert(1)&gt;.csv: not UTF-8 text"),
    ("upload-csv-two-matters", "/officer", _OFFICER, ("a.csv", (_REPORTS_CSV + "R1,P1,M,2025-10-01,2025-10-02\nR2,P1,N,2025-10-01,2025-10-02\n").encode()), "upload", "matter=['M', 'N']: a file must hold the reports of one matter"),
    ("upload-csv-header-only", "/officer", _OFFICER, ("a.csv", _REPORTS_CSV.encode()), "upload", "matter=[]"),
    ("upload-csv-9999", "/officer", _OFFICER, ("a.csv", (_REPORTS_CSV + "R1,P1,M,9999-10-01,9999-10-02\n").encode()), "upload", "row 1: began_on='9999-10-01'"),
    ("upload-csv-duplicate-header", "/officer", _OFFICER, ("a.csv", b"id,id\n"), "upload", "header='id': names columns 1 and 2"),
    ("upload-csv-formula-bidi", "/officer", _OFFICER, ("a.csv", (_REPORTS_CSV + "=1+1\u202e,P1,M,2025-10-01,2025-10-02\n").encode()), "upload", "holds the bidirectional control U+202E"),
    ("upload-xlsx", "/officer", _OFFICER, ("a.xlsx", b"PK\x03\x04" + bytes(100)), "upload", "the began_on column is missing"),
    ("upload-csv-no-applicant", "/officer", {**_OFFICER, "applicant": ""}, ("a.csv", (_REPORTS_CSV + "R1,P1,M,2025-10-01,2025-10-02\n").encode()), "applicant", "applicant='': must be a non-empty string"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "form", "upload", "field", "names"), [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES]
)
def test_page_shows_the_problem_at_its_field(
    service: Any, *, path: str, form: dict[str, str], upload: tuple[str, bytes] | None, field: str, names: str
) -> None:
    """A hostile form or upload gives the page again (400) with the problem linked to its field, escaped."""
    files = None if upload is None else {"upload": upload}
    response = service.post(path, data=form, files=files)
    assert response.status_code == 400, response.text[:300]
    assert "text/html" in response.headers["content-type"]
    found = re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', response.text, re.S)
    assert len(found) == 1, found
    assert found[0][0] == field
    assert names.replace("'", "&#39;") in found[0][1]
    assert "<script>" not in response.text
    assert "<img src=x" not in response.text


def test_page_decimal_digits_of_any_script_are_read() -> None:
    """The self-check's date boxes read decimal digits of any script, as int() does, and nothing else."""
    from asb_case_review.serve import pages  # noqa: PLC0415 (the serve extra)

    form: Any = {"d-day": "٢", "d-month": "\uff11\uff10", "d-year": "\uff12\uff10\uff12\uff15"}
    assert pages._date_value(form, "d") == "2025-10-02"
    assert pages._date_value({"d-day": "²", "d-month": "1", "d-year": "2025"}, "d") == "²/1/2025"  # type: ignore[arg-type]


def test_new_surfaces_hold_at_least_150_hostile_cases() -> None:
    """The tables of the newer surfaces hold at least 150 hostile inputs between them."""
    total = (
        len(MAPPING_FILES) + len(MAPPING_API) + len(INTAKE_API) + len(XLSX_CASES) + len(XLSX_ROWS) + 2 + len(LETTERS) + 3
        + len(BATCH_REFUSED) + sum(len(c[3]) for c in BATCH_ROWS) + len(API_CASES) + 1 + len(PAGE_CASES) + 2
        + len(DAY_FIRST)
    )  # fmt: skip
    assert total >= 150, total


# ------------------------------------------------------------------------- fuzzing the newer surfaces

_FUZZ_CHARS = st.one_of(
    st.sampled_from(list("\"',=\n\r\t\x00\x0b\x85\u2028\u202e\udc80\ufeff[]{}#/0123456789-")), st.characters()
)


@st.composite
def _spoiled(draw: st.DrawFn, text: str) -> str:
    """*text* with a few characters inserted, deleted or replaced."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(text) - 1)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.text(_FUZZ_CHARS, max_size=3)) + text[at + cut :]
    return text


_MAPPING_TEXT = (
    'source = "CMS"\ndate_format = "day-first"\nsheet = "Cases"\n[columns]\nid = "Ref"\nmade_on = "Date"\n'
)


@given(st.one_of(st.text(_FUZZ_CHARS, max_size=60), _spoiled(_MAPPING_TEXT)))
def test_fuzz_mapping_file_raises_only_library_errors(text: str) -> None:
    """load_mapping on any text gives a mapping that reads no column twice, or the library's own error."""
    from asb_case_review.analysis.intake import load_mapping  # noqa: PLC0415 (the analysis extra)

    try:
        mapping = load_mapping(text, file="m.toml")
    except CaseReviewError as error:
        one_line(str(error))
        return
    names = list(mapping.names.values())
    assert len(names) == len(set(names))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_workbook_raises_only_library_errors(data: st.DataObject) -> None:
    """A workbook whose sheet XML is damaged gives a table or the library's own error, never openpyxl's."""
    from asb_case_review.analysis.intake import reports_from_xlsx  # noqa: PLC0415 (the xlsx extra)

    rows: list[list[object]] = [_SHEET_HEADER]
    rows += [[f"G{n}", f"P{n}", "M1", "2025-10-01", "2025-10-02"] for n in range(3)]
    workbook = _book(
        rows, patch=lambda xml: data.draw(_spoiled(xml.decode())).encode("utf-8", "surrogatepass")
    )
    try:
        table = reports_from_xlsx(workbook, on_error="skip")
    except CaseReviewError as error:
        one_line(str(error))
        return
    assert len(table) + len(table.problems) <= 4


_BATCH_TEXT = _apps(_three("A"), "B,P1,2025-11-01,B1,P1,M1,2025-10-01,2025-10-02", _three("C"))


@given(_spoiled(_BATCH_TEXT))
def test_fuzz_table_of_applications_loses_no_row(text: str) -> None:
    """Every row of a damaged table of applications is in exactly one application, read or not."""
    from asb_case_review.analysis.intake import applications_from_table  # noqa: PLC0415 (the analysis extra)
    from asb_case_review.analysis.table import csv_records  # noqa: PLC0415

    try:
        header, rows = csv_records(text)
        numbered = list(rows)
        found = applications_from_table(header, numbered)
    except CaseReviewError as error:
        one_line(str(error))
        return
    covered = [int(n) for where, _ in found for n in re.findall(r"\d+", where.partition("row")[2])]
    assert sorted(covered) == [n for n, _ in numbered]


DAY_FIRST: list[tuple[str, str, str]] = [
    ("no-such-day", "31/02/2025", "there is no such day"),
    ("day-zero", "00/01/2025", "there is no such day"),
    ("month-first", "01/13/2025", "there is no such day"),
    ("year-0001", "01/01/0001", "is outside the supported dates"),
    ("year-9999", "31/12/9999", "is outside the supported dates"),
    ("two-digit-year", "1/1/25", "is not a date written DD/MM/YYYY"),
    ("year-first", "2025/01/01", "is not a date written DD/MM/YYYY"),
    ("iso-in-a-day-first-file", "2025-10-01", "is not a date written DD/MM/YYYY"),
    ("with-a-time", "01/10/2025T10:00", "is not a date written DD/MM/YYYY"),
    ("dots", "01.10.2025", "is not a date written DD/MM/YYYY"),
    (
        "arabic-indic-digits",
        "\u0660\u0661/\u0660\u0661/\u0662\u0660\u0662\u0665",
        "is not a date written DD/MM/YYYY",
    ),
    ("fullwidth-digit", "\uff11/10/2025", "is not a date written DD/MM/YYYY"),
]


@pytest.mark.parametrize(("value", "names"), [c[1:] for c in DAY_FIRST], ids=[c[0] for c in DAY_FIRST])
def test_day_first_dates_are_never_guessed(value: str, names: str) -> None:
    """A day-first table refuses, by row and field, any date not written DD/MM/YYYY or outside the range."""
    lines = ["id,reporter,matter,began_on,made_on", f"R1,P,M,{value},30/12/2025"]
    with pytest.raises(InvalidRow, match=r"^row 1: began_on=") as caught:
        reports_from_csv(lines, date_format="day-first")
    assert names in str(caught.value)
