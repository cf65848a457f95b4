"""The JSON API: decide, list and show policies, check policy files, run cases, sweep and compare.

Every route reuses the library's own functions (:func:`~asb_case_review.evaluate`,
:func:`~asb_case_review.render.to_dict`, :func:`~asb_case_review.conformance.check_area`,
:func:`~asb_case_review.cases.run_cases`, :func:`~asb_case_review.analysis.sweep`, ...), so an
answer here is the answer the command line gives.  Bad input is a 4xx response in the form of
RFC 9457 (``application/problem+json``) whose ``detail`` is the library's own message, naming the
field and the value; nothing a request sends is stored or logged.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Annotated, Any, Final, Literal, TypeVar

import anyio
import anyio.to_thread
import attrs
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from .._csvtext import csv_text
from .._limits import MAX_DATA_DEPTH, Unreadable, decode, loads_json, too_deep
from .._readers import unknown
from ..audit import audit_fields, stamped_decision
from ..cases import load_cases, run_cases
from ..catalogue import AREAS, read_area
from ..catalogue.features import Feature, features
from ..conformance import Finding, check_area
from ..decision import Decision, evaluate
from ..errors import CaseReviewError, InvalidInput, shown
from ..law.floor import FloorReading
from ..models import Agency, Application, Fact
from ..parsing import application_from_mapping, application_to_mapping, parse_day
from ..policy import Area, Body, Policy, Region
from ..policyfile import dump
from ..render import for_applicant, for_officer, to_applicant_dict, to_dict

__all__ = ["Limits", "SecurityHeaders", "install", "openapi", "router"]

T = TypeVar("T")

log = logging.getLogger("asb_case_review.serve")
"""The access log: one line per request, ``METHOD /path STATUS 1.2ms``, and nothing else."""

router = APIRouter(prefix="/api")

PROBLEM: Final = "application/problem+json"


@attrs.frozen(kw_only=True)
class Limits:
    """What one request may ask of the service; each limit is refused with a 4xx naming it.

    >>> Limits().max_body, Limits(time_limit=2.5).time_limit
    (1000000, 2.5)
    """

    max_body: int = 1_000_000
    """The most bytes a JSON request body may hold (413 beyond)."""
    max_upload: int = 20_000_000
    """The most bytes any request may send, a CSV upload included (413 beyond)."""
    max_depth: int = 32
    """How deeply lists and objects may nest in a JSON body (400 beyond); at most 100."""
    time_limit: float = 30.0
    """The most seconds the work of one request may take (503 beyond)."""

    def __attrs_post_init__(self) -> None:
        for name in ("max_body", "max_upload", "max_depth"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidInput(name, value, "must be a whole number of at least 1")
        if not 1 <= self.max_depth <= MAX_DATA_DEPTH:
            raise InvalidInput("max_depth", self.max_depth, f"must be from 1 to {MAX_DATA_DEPTH}")
        limit = self.time_limit
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit < 86_400:
            raise InvalidInput("time_limit", limit, "must be a number of seconds above 0 and below a day")


class Problem(Exception):
    """A request the service refuses: an HTTP status, the kind of error, and the message."""

    def __init__(self, status: int, title: str, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field

    @classmethod
    def of(cls, error: CaseReviewError, status: int = 422) -> Problem:
        """The library's error, its class name as the title and its message as the detail."""
        field = getattr(error, "field", None) or getattr(error, "path", None)
        return cls(status, type(error).__name__, str(error), field=field)

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.field:
            body["field"] = self.field
        return JSONResponse(body, status_code=self.status, media_type=PROBLEM)


def _limits(request: Request) -> Limits:
    limits: Limits = request.app.state.limits
    return limits


# ------------------------------------------------------------------ reading requests


async def _body(request: Request, limit: int) -> bytes:
    """The request body, read as it streams in and refused as soon as it passes *limit* bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, "TooLarge", f"the request body is larger than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(request: Request, expected: tuple[str, ...]) -> None:
    """Refuse a body whose Content-Type is not one of *expected*, or whose charset is not UTF-8."""
    header = request.headers.get("content-type", "")
    kind, _, params = header.partition(";")
    if kind.strip().lower() not in expected:
        raise Problem(
            415,
            "UnsupportedMediaType",
            f"Content-Type={shown(header)}: must be {' or '.join(expected)}",
            field="Content-Type",
        )
    for param in params.split(";"):
        name, _, value = param.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            raise Problem(
                415, "UnsupportedMediaType", f"charset={shown(value.strip())}: must be utf-8", field="charset"
            )


async def _json(request: Request) -> Mapping[str, Any]:
    """The JSON object in the body: UTF-8, keys unique, nesting and size bounded."""
    _media_type(request, ("application/json",))
    limits = _limits(request)
    raw = await _body(request, limits.max_body)
    try:
        text = decode(raw)
    except Unreadable as error:
        raise Problem(400, "InvalidJSON", str(error)) from None
    try:
        data = loads_json(text)
    except json.JSONDecodeError as error:
        raise Problem(400, "InvalidJSON", f"line {error.lineno}: not valid JSON: {error.msg}") from None
    except Unreadable as error:
        raise Problem(400, "InvalidJSON", f"not valid JSON: {error}") from None
    if too_deep(data, limits.max_depth):
        raise Problem(
            400, "InvalidJSON", f"not valid JSON: lists and objects nest more than {limits.max_depth} deep"
        )
    if not isinstance(data, dict):
        raise Problem(422, "InvalidInput", f"the request={shown(data)}: must be an object", field="")
    return data


def _keys(data: Mapping[str, Any], known: Iterable[str], required: Iterable[str] = ()) -> None:
    """Refuse a key not in *known*, or a missing *required* one, naming it as the library does."""
    names = sorted(known)
    for key in data:
        if key not in names:
            raise InvalidInput(key, data[key], f"is not a known key; known keys: {', '.join(names)}")
    for key in required:
        if key not in data:
            raise InvalidInput(key, None, "is required")


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(key, value, "must be a string")
    return value


def _required_text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise InvalidInput(key, value, "must be a string")
    return value


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise InvalidInput(key, value, "must be true or false")
    return value


def _format(data: Mapping[str, Any], key: str) -> Literal["toml", "json"]:
    value = data.get(key, "toml")
    if value == "toml":
        return "toml"
    if value == "json":
        return "json"
    raise InvalidInput(key, value, "must be 'toml' or 'json'")


def _builtin(name: str, field: str = "policy") -> Area:
    try:
        return AREAS[name]
    except KeyError:
        # The nearest name, not the whole catalogue: the list is its own route.
        problem = unknown("a built-in policy", name, AREAS).partition("expected one of")[0]
        raise InvalidInput(field, name, f"{problem}GET /api/policies lists them") from None


def _area(data: Mapping[str, Any], *, default: str | None = "statutory") -> Area | None:
    """The policy a request names: ``policy`` (built in) or ``policy_file`` (a policy file's text)."""
    name = _text(data, "policy")
    text = _text(data, "policy_file")
    fmt = _format(data, "policy_format")
    if name is not None and text is not None:
        raise InvalidInput("policy_file", "...", "give policy (a built-in name) or policy_file, not both")
    if text is not None:
        return read_area(text, format=fmt, file="policy_file")
    if name is None:
        return None if default is None else AREAS[default]
    return _builtin(name)


async def _work(request: Request, work: Callable[[], T]) -> T:
    """Run *work* in a worker thread within the time limit; the library's errors become 4xx."""
    limit = _limits(request).time_limit

    def guarded() -> T:
        try:
            return work()
        except CaseReviewError as error:
            raise Problem.of(error) from None

    try:
        with anyio.fail_after(limit):
            # A thread cannot be stopped: past the limit the answer is abandoned (503) and the
            # thread finishes on its own, bounded by the size limits of what it was given.
            return await anyio.to_thread.run_sync(guarded, abandon_on_cancel=True)
    except TimeoutError:
        raise Problem(
            503, "TimeLimit", f"the request took longer than the time limit of {limit:g} seconds"
        ) from None


# ------------------------------------------------------------------ deciding one application

_DECIDE_KEYS: Final = (
    "application",
    "policy",
    "policy_file",
    "policy_format",
    "as_of",
    "report_floor_only",
    "floor_reading",
)

Audience = Literal["officer", "applicant"]


def _decide(data: Mapping[str, Any]) -> Decision:
    """The decision a request asks for, made exactly as ``asb-case-review check`` makes it."""
    _keys(data, _DECIDE_KEYS, required=("application",))
    application: Application = application_from_mapping(data["application"])
    area = _area(data)
    assert area is not None  # the statute is the default
    raw_day = data.get("as_of")
    as_of = None if raw_day is None else parse_day(raw_day, "as_of")
    policy = area.version_on(as_of or application.made_on)
    return evaluate(
        application,
        policy,
        as_of=as_of,
        enforce_floor=not _flag(data, "report_floor_only"),
        floor_reading=_floor_reading(data),
    )


def _floor_reading(data: Mapping[str, Any]) -> FloorReading:
    """``floor_reading``, the command line's ``--floor-reading`` (the statute's words by default)."""
    value = _text(data, "floor_reading")
    if value is None:
        return FloorReading.POLICY_NUMBER
    try:
        return FloorReading(value)
    except ValueError:
        raise InvalidInput("floor_reading", value, unknown("a floor reading", value, FloorReading)) from None


_BODY_DECIDE: Final = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecideRequest"}}},
    }
}


_READS_JSON: Final = (400, 413, 415, 422, 503)
_READS_CSV: Final = (413, 415, 422, 503)


def _responses(statuses: Iterable[int], ok: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """The answers an operation documents: *ok*, and a problem document for each of *statuses*."""
    problem = {"content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    said = {
        400: "The body is not JSON (or not UTF-8, or nests too deep).",
        404: "No built-in policy has that name.",
        406: "The picture cannot be drawn: the plot extra is not installed.",
        413: "The request is larger than the service's limit.",
        415: "The Content-Type is not the one this operation reads.",
        422: "A field holds a bad value: the detail is the library's own message, naming it.",
        503: "The work took longer than the service's time limit.",
    }
    found: dict[int | str, dict[str, Any]] = {200: ok}
    for status in sorted(statuses):
        found[status] = {"description": said[status], **problem}
    return found


_RECORD: Final = {"content": {"application/json": {"schema": {"type": "object"}}}}


@router.post(
    "/decide",
    summary="Decide one application: the decision record",
    description="The decision as the audit record `asb-case-review check --format json` writes; "
    "with `for=applicant`, only what the applicant's letter may say (no other person's ids).",
    openapi_extra=_BODY_DECIDE,
    responses=_responses(_READS_JSON, {"description": "The decision record.", **_RECORD}),
)
async def decide(request: Request, audience: Annotated[Audience, Query(alias="for")] = "officer") -> Response:
    """The decision record for one application."""
    data = await _json(request)
    return JSONResponse(await _work(request, lambda: _record(_decide(data), audience)))


def _record(decision: Decision, audience: Audience) -> dict[str, Any]:
    """The record ``check --format json`` writes for *decision* (``--for applicant``: the applicant's)."""
    data = to_applicant_dict(decision) if audience == "applicant" else to_dict(decision)
    return stamped_decision(data, decision.policy)


_TEXT: Final = {"content": {"text/plain": {"schema": {"type": "string"}}}}


@router.post(
    "/decide/letter",
    summary="Decide one application: the applicant's letter",
    description="The paragraph for the applicant's letter; it never names other complainants.",
    openapi_extra=_BODY_DECIDE,
    response_class=Response,
    responses=_responses(_READS_JSON, {"description": "The letter, plain text.", **_TEXT}),
)
async def letter(request: Request) -> Response:
    """The applicant's letter."""
    return await _text_of(request, for_applicant)


@router.post(
    "/decide/officer",
    summary="Decide one application: the officer's explanation",
    description="The full explanation for the case officer, as `asb-case-review check` prints it.",
    openapi_extra=_BODY_DECIDE,
    response_class=Response,
    responses=_responses(_READS_JSON, {"description": "The explanation, plain text.", **_TEXT}),
)
async def officer(request: Request) -> Response:
    """The officer's text."""
    return await _text_of(request, for_officer)


async def _text_of(request: Request, render: Callable[[Decision], str]) -> Response:
    """The decision on the request's application, rendered as plain text by *render*."""
    data = await _json(request)
    text = await _work(request, lambda: render(_decide(data)))
    return Response(text, media_type="text/plain; charset=utf-8")


_PICTURE: Final = {"image/png": "png", "image/svg+xml": "svg"}


def _draw(decision: Decision, kind: Literal["png", "svg"], *, private: bool) -> bytes:
    from ..plots import timeline  # noqa: PLC0415 - the plot extra, loaded only when a picture is asked for

    try:
        figure = timeline(decision, private=private)
    except ImportError as error:
        raise Problem(406, "MissingExtra", f"format={kind!r}: {error}") from None
    out = io.BytesIO()
    # Metadata off: an SVG then carries no date, so the same decision always draws the same bytes.
    figure.savefig(out, format=kind, dpi=100, metadata={"Date": None} if kind == "svg" else None)
    return out.getvalue()


@router.post(
    "/decide/timeline",
    summary="Decide one application: the timeline picture",
    description="The timeline picture of the decision, PNG or SVG (needs the `plot` extra on the "
    "server: 406 naming it otherwise); with `for=applicant` it names no one.",
    openapi_extra=_BODY_DECIDE,
    response_class=Response,
    responses=_responses(
        (*_READS_JSON, 406),
        {
            "description": "The picture.",
            "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in _PICTURE},
        },
    ),
)
async def picture(
    request: Request,
    kind: Annotated[Literal["png", "svg"], Query(alias="format")] = "png",
    audience: Annotated[Audience, Query(alias="for")] = "officer",
) -> Response:
    """The timeline picture."""
    data = await _json(request)
    image = await _work(request, lambda: _draw(_decide(data), kind, private=audience == "applicant"))
    return Response(image, media_type="image/png" if kind == "png" else "image/svg+xml")


# ------------------------------------------------------------------ policies


def _read_on(area: Area) -> str | None:
    days = [v.source.read_on for v in area.versions if v.source is not None and v.source.read_on is not None]
    return max(days).isoformat() if days else None


def _listing(area: Area) -> dict[str, Any]:
    """One row of the list, with the fields of ``asb-case-review policies list --format json``."""
    latest = area.latest
    return {
        "id": area.id,
        "title": latest.title,
        "region": None if latest.region is None else latest.region.value,
        "body": None if latest.body is None else latest.body.value,
        "scheme": latest.scheme,
        "features": sorted(f.value for f in features(latest)),
        "read_on": _read_on(area),
        "versions": [v.version for v in area.versions],
    }


@router.get(
    "/policies",
    summary="List the built-in policies",
    description="Every built-in policy (the rows of `asb-case-review policies list --format json`), "
    "filtered by region, kind of body and rule features (every filter must hold).",
    responses=_responses((422,), {"description": "The policies, in the order of their ids."}),
)
def policies(
    region: Annotated[Region | None, Query()] = None,
    body: Annotated[Body | None, Query()] = None,
    feature: Annotated[list[Feature] | None, Query()] = None,
) -> list[dict[str, Any]]:
    """The built-in policies that pass the filters."""
    wanted = set(feature or ())
    rows = []
    for name in sorted(AREAS):
        latest = AREAS[name].latest
        if region is not None and latest.region != region:
            continue
        if body is not None and latest.body != body:
            continue
        if wanted <= features(latest):
            rows.append(_listing(AREAS[name]))
    return rows


def _finding(finding: Finding) -> dict[str, Any]:
    source = finding.source
    return {
        "code": finding.code.value,
        "severity": finding.severity.value,
        "path": finding.path,
        "message": finding.message,
        "source": {
            "title": source.title,
            "section": source.section,
            "url": source.url,
            "read_on": None if source.read_on is None else source.read_on.isoformat(),
            "cite": source.cite(),
        },
        "turns_away": finding.turns_away,
        "example": None if finding.example is None else application_to_mapping(finding.example),
    }


def _shown_area(area: Area) -> dict[str, Any]:
    """A policy as its file (every version, its wording and sources) with its conformance findings."""
    return {
        "id": area.id,
        "policy": json.loads(dump(area, format="json")),
        "gaps": [str(gap) for gap in area.gaps()],
        "findings": [_finding(f) for f in check_area(area)],
    }


@router.get(
    "/policies/{name}",
    summary="Show one built-in policy",
    description="The policy as a policy file (every version, with its wording and sources, as "
    "`asb-case-review policies show NAME --format json`), the days no version is in force, and "
    "its conformance findings (as `asb-case-review policies check NAME`).",
    responses=_responses((404, 503), {"description": "The policy.", **_RECORD}),
)
async def policy(request: Request, name: str) -> Response:
    """One built-in policy with its findings."""
    try:
        area = _builtin(name, "name")
    except InvalidInput as error:
        raise Problem(404, "NotFound", str(error), field="name") from None
    return JSONResponse(await _work(request, lambda: _shown_area(area)))


_BODY_CHECK: Final = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PolicyFileRequest"}}},
    }
}


@router.post(
    "/policy-check",
    summary="Check a policy file",
    description="Read a policy file's text (TOML or JSON) as `asb-case-review policies check FILE` "
    "does, and give it back with its conformance findings; a malformed file is a 422 naming the "
    "place in it.",
    openapi_extra=_BODY_CHECK,
    responses=_responses(_READS_JSON, {"description": "The policy and its findings.", **_RECORD}),
)
async def check_policy(request: Request) -> Response:
    """A policy file's findings."""
    data = await _json(request)

    def work() -> dict[str, Any]:
        _keys(data, ("policy_file", "policy_format"), required=("policy_file",))
        _required_text(data, "policy_file")
        area = _area(data)
        assert area is not None
        return _shown_area(area)

    return JSONResponse(await _work(request, work))


# ------------------------------------------------------------------ cases

_BODY_CASES: Final = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CasesRequest"}}},
    }
}


def _run_cases(data: Mapping[str, Any]) -> dict[str, Any]:
    _keys(data, ("cases", "cases_format", "policy", "policy_file", "policy_format"), required=("cases",))
    text = _required_text(data, "cases")
    cases = load_cases(text, format=_format(data, "cases_format"), file="cases")
    area = _area(data, default=None)
    if area is None:
        if cases.policy.endswith((".toml", ".json")):
            raise InvalidInput(
                "cases.policy", cases.policy, "names a policy file: send its text as policy_file"
            )
        area = _builtin(cases.policy, "cases.policy")
    run = run_cases(cases, area)
    return {
        "passed": run.passed,
        "results": [
            {
                "id": r.case.id,
                "passed": r.passed,
                "policy": r.decision.policy_name,
                "outcome": r.decision.outcome.value,
                "failures": list(r.failures),
            }
            for r in run.results
        ],
        "coverage": [
            {
                "rule": c.rule,
                "path": c.path,
                "named": c.named,
                "met": c.met,
                "not_met": c.not_met,
                "unknown": c.unknown,
                "exercised": c.exercised,
            }
            for c in run.coverage
        ],
        "summary": run.summary(),
    }


@router.post(
    "/cases/run",
    summary="Run a file of decision test cases",
    description="Run a cases file's text against the policy it names (built in) or the one given "
    "(`policy` or `policy_file`), as `asb-case-review test` does.",
    openapi_extra=_BODY_CASES,
    responses=_responses(
        _READS_JSON, {"description": "Each case's result and the rules exercised.", **_RECORD}
    ),
)
async def cases_run(request: Request) -> Response:
    """The results of a cases file."""
    data = await _json(request)
    return JSONResponse(await _work(request, lambda: _run_cases(data)))


# ------------------------------------------------------------------ sweeps over an uploaded CSV

_BODY_CSV: Final = {
    "requestBody": {
        "required": True,
        "description": "A CSV of reports with a header row (id, reporter, household, matter, incident, "
        "began_on, ended_on, made_on, agency, kind, hate), UTF-8.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}

_ROWS: Final = {
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": {"$ref": "#/components/schemas/Rows"}},
    }
}


def _facts(pairs: Sequence[str]) -> dict[str, bool]:
    """Case facts assumed for every application, from ``fact=NAME=yes|no`` (as ``--fact``)."""
    facts: dict[str, bool] = {}
    for pair in pairs:
        name, _, said = pair.partition("=")
        answer = {"yes": True, "true": True, "no": False, "false": False}.get(said.strip().lower())
        if answer is None:
            raise InvalidInput("fact", pair, "write NAME=yes or NAME=no")
        facts[name.strip()] = answer
    return facts


async def _upload(request: Request, policy: Sequence[str] | None) -> tuple[bytes, list[Policy]]:
    _media_type(request, ("text/csv", "text/plain"))
    try:
        chosen = [_builtin(name).latest for name in policy or ["statutory"]]
    except CaseReviewError as error:
        raise Problem.of(error) from None
    return await _body(request, _limits(request).max_upload), chosen


def _table(raw: bytes, *, skip: bool) -> Any:
    from ..analysis.table import reports_from_csv  # noqa: PLC0415 - the analysis routes alone need it

    return reports_from_csv(raw, on_error="skip" if skip else "stop")


def _rows_response(
    rows: list[dict[str, Any]],
    problems: Sequence[object],
    fmt: str,
    policies: Sequence[Policy],
    columns: Sequence[str] = (),
) -> Response:
    if fmt == "json":
        # As the command line writes it: the audit fields lead; a cell empty in CSV is null.
        plain = [{key: None if value == "" else value for key, value in row.items()} for row in rows]
        return JSONResponse({**audit_fields(policies), "rows": plain, "skipped": [str(p) for p in problems]})
    return StreamingResponse(_csv_chunks(rows, columns), media_type="text/csv; charset=utf-8")


def _csv_chunks(rows: list[dict[str, Any]], columns: Sequence[str] = (), size: int = 2_000) -> Iterator[str]:
    """The rows as CSV (the command line's), written out *size* rows at a time as the client reads.

    With no row, nothing; or, when the table's *columns* are fixed, its header alone, as ``compare`` prints.
    """
    if rows or columns:
        yield from csv_text(rows, list(rows[0]) if rows else columns, size=size)


def _skipping(skip: bool, fmt: str) -> None:  # noqa: FBT001 - the query parameter's value
    if skip and fmt != "json":
        raise Problem(
            422,
            "InvalidInput",
            "skip_bad_rows=True: needs format=json, whose 'skipped' lists each row left out",
            field="skip_bad_rows",
        )


Policies = Annotated[
    list[str] | None, Query(description="a built-in policy (latest version); repeat for several")
]
Facts = Annotated[list[str] | None, Query(description="NAME=yes|no, assumed for every application")]
Skip = Annotated[bool, Query(description="leave bad rows out, listing each (format=json)")]
FloorReadingQuery = Annotated[
    FloorReading,
    Query(description="the statutory floor's number when a policy asks for more than three"),
]


@router.post(
    "/sweep",
    summary="Sweep policies over an uploaded CSV of reports",
    description="For every report, would its reporter's application that day have been met? "
    "(`asb-case-review sweep`). The upload is read as it streams in, up to the size limit.",
    openapi_extra=_BODY_CSV,
    response_class=Response,
    responses=_responses(
        _READS_CSV, {"description": "One row per report (or per standing) and policy.", **_ROWS}
    ),
)
async def sweep_reports(
    request: Request,
    *,
    policy: Policies = None,
    fact: Facts = None,
    standings: Annotated[bool, Query(description="one row per reporter and matter")] = False,
    floor_reading: FloorReadingQuery = FloorReading.POLICY_NUMBER,
    skip_bad_rows: Skip = False,
    fmt: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv",
) -> Response:
    """The sweep's rows."""

    def rows_of(table: Any, chosen: list[Policy]) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
        from ..analysis.sweep import sweep  # noqa: PLC0415 - the analysis routes alone need it

        assumed = _facts(fact or ())
        rows: list[dict[str, Any]] = []
        for one in chosen:
            result = sweep(table, one, facts=assumed, floor_reading=floor_reading)
            rows.extend(result.standing_records() if standings else result.records())
        return rows, ()

    return await _rows_route(request, policy, rows_of, skip=skip_bad_rows, fmt=fmt)


def _plain(value: object) -> object:
    """A value as the command line's JSON writes it (dates as text)."""
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


@router.post(
    "/compare",
    summary="Compare policies over an uploaded CSV of reports",
    description="Counts met under each policy, the applications that flip between policies and "
    "why, or the statutory-floor conflicts (`asb-case-review compare`).",
    openapi_extra=_BODY_CSV,
    response_class=Response,
    responses=_responses(_READS_CSV, {"description": "The comparison's rows.", **_ROWS}),
)
async def compare_reports(
    request: Request,
    *,
    policy: Policies = None,
    fact: Facts = None,
    show: Annotated[Literal["summary", "flips", "conflicts"], Query()] = "summary",
    floor_reading: FloorReadingQuery = FloorReading.POLICY_NUMBER,
    skip_bad_rows: Skip = False,
    fmt: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv",
) -> Response:
    """The comparison's rows."""

    def rows_of(table: Any, chosen: list[Policy]) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
        from ..analysis.compare import compare  # noqa: PLC0415 - the analysis routes alone need it

        return compare(table, chosen, facts=_facts(fact or ()), floor_reading=floor_reading).view(show)

    return await _rows_route(request, policy, rows_of, skip=skip_bad_rows, fmt=fmt)


Rows = tuple[list[dict[str, Any]], tuple[str, ...]]
"""Rows, and the columns of a table that has them fixed (``()``: from the rows)."""


async def _rows_route(
    request: Request,
    policy: Sequence[str] | None,
    rows_of: Callable[[Any, list[Policy]], Rows],
    *,
    skip: bool,
    fmt: str,
) -> Response:
    """An analysis route: read the uploaded CSV, compute its rows off the event loop, answer as the CLI."""
    _skipping(skip, fmt)
    raw, chosen = await _upload(request, policy)

    def work() -> tuple[list[dict[str, Any]], tuple[str, ...], Sequence[object]]:
        table = _table(raw, skip=skip)
        rows, columns = rows_of(table, chosen)
        return [{k: _plain(v) for k, v in row.items()} for row in rows], columns, table.problems

    rows, columns, problems = await _work(request, work)
    return _rows_response(rows, problems, fmt, chosen, columns)


@router.get("/health", summary="The service is up", responses={200: {"description": "Up."}})
def health() -> dict[str, str]:
    """The service is up; the library version it runs."""
    return {"status": "ok", "version": __version__}


# ------------------------------------------------------------------ the application's plumbing


class _SizeLimit:
    """Refuses (413) any request that says, or turns out, to send more than *limit* bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # pragma: no cover - lifespan and websocket events pass through
            await self.app(scope, receive, send)
            return
        too_large = Problem(413, "TooLarge", f"the request is larger than the limit of {self.limit:,} bytes")
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await too_large.response()(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise too_large
            return message

        await self.app(scope, counted, send)


class _AccessLog:
    """Logs each request as ``METHOD /path STATUS 1.2ms``: no query string, body, header or address."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # pragma: no cover - lifespan and websocket events pass through
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:  # noqa: BLE001 - a bug: answered here, so the server logs no traceback
            # A traceback, or the error's message, may quote the request: only the kind of error is
            # logged, and the client gets a plain 500 (unless the answer had already begun).
            log.error("internal error on %s %s: %s", scope["method"], scope["path"], type(error).__name__)
            if status is None:
                await Problem(500, "InternalError", "internal error (a bug, please report it)").response()(
                    scope, receive, sending
                )
        took = (time.perf_counter() - started) * 1000
        log.info("%s %s %d %.1fms", scope["method"], scope["path"], status or 500, took)


_EVERY_RESPONSE: Final = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))
"""Sent with every response: no browser guesses a type (a CSV or a problem run as a page), and no
page's address, which may hold a search, is sent to another site."""
_NOT_CACHED: Final = (b"cache-control", b"no-store")
"""Sent with every response that does not set its own caching: decisions hold personal data, and no
browser or proxy keeps them.  The pages' static files set their own (they hold none)."""


class SecurityHeaders:
    """The headers every response of the service carries, the API's and the pages' alike.

    ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and, unless the
    response sets its own caching, ``Cache-Control: no-store``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # pragma: no cover - lifespan and websocket events pass through
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                wanted = (*_EVERY_RESPONSE, _NOT_CACHED)
                headers.extend((name, value) for name, value in wanted if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


async def _problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, Problem)
    return error.response()


async def _invalid(request: Request, error: Exception) -> Response:
    """A query parameter FastAPI could not read, named as the library names a field."""
    assert isinstance(error, RequestValidationError)
    if not request.url.path.startswith("/api/"):
        return await request_validation_exception_handler(request, error)
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "query")
    message = (
        str(first.get("msg", "is not valid")).removeprefix("Input should be ").removeprefix("Value error, ")
    )
    detail = f"{where}={shown(first.get('input'))}: must be {message}"
    return Problem(422, "InvalidInput", detail, field=where).response()


async def _http(request: Request, error: Exception) -> Response:
    """A path or method the API does not have, as a problem; the pages keep FastAPI's own answer."""
    assert isinstance(error, StarletteHTTPException)
    if not request.url.path.startswith("/api/"):
        return await http_exception_handler(request, error)
    response = Problem(
        error.status_code,
        "NotFound" if error.status_code == 404 else "MethodNotAllowed",
        f"{request.method} {request.url.path}: {error.detail}",
    ).response()
    response.headers.update(error.headers or {})
    return response


def install(app: FastAPI, limits: Limits) -> None:
    """Put the API on *app*: its routes, limits, access log, error responses and OpenAPI document."""
    app.state.limits = limits
    app.include_router(router)
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_middleware(_SizeLimit, limit=limits.max_upload)
    app.add_middleware(_AccessLog)
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]


_DAY: Final = {"type": "string", "format": "date", "example": "2026-02-28"}
_ID: Final = {"type": "string", "minLength": 1}


def _nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """*schema*, or null (OpenAPI 3.1 writes this as a list of types)."""
    return {**schema, "type": [schema["type"], "null"]}


def _schemas() -> dict[str, Any]:
    """The request bodies' schemas; the library still checks every value and names any bad one."""
    incident = {
        "type": "object",
        "required": ["id", "matter", "began_on"],
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "matter": _ID,
            "began_on": _DAY,
            "ended_on": _nullable(_DAY),
            "hate": {"type": "boolean"},
        },
    }
    report = {
        "type": "object",
        "required": ["id", "reporter", "made_on", "incident"],
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "reporter": _ID,
            "household": _nullable(_ID),
            "made_on": _DAY,
            "agency": {"type": "string", "enum": [a.value for a in Agency]},
            "kind": {"type": "string", "example": "complaint"},
            "incident": {
                "description": "the id of an entry in incidents, or an incident of its own",
                "oneOf": [_ID, {"$ref": "#/components/schemas/Incident"}],
            },
        },
    }
    application = {
        "type": "object",
        "description": "The application format the command line reads (docs/cli.md).",
        "required": ["id", "applicant", "made_on", "matter", "reports"],
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "applicant": _ID,
            "made_on": _DAY,
            "matter": _ID,
            "on_behalf_of": _nullable(_ID),
            "consent": _nullable({"type": "boolean"}),
            "related_by": {"type": "string", "example": "location"},
            "facts": {
                "type": "object",
                "properties": {f.value: {"type": "boolean"} for f in Fact},
                "additionalProperties": False,
            },
            "incidents": {"type": "array", "items": {"$ref": "#/components/schemas/Incident"}},
            "reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}},
        },
    }
    policy_choice = {
        "policy": {
            "type": ["string", "null"],
            "description": "a built-in policy's id (GET /api/policies); the statute by default",
        },
        "policy_file": {
            "type": ["string", "null"],
            "description": "the text of a policy file, instead of policy",
        },
        "policy_format": {"type": "string", "enum": ["toml", "json"], "default": "toml"},
    }
    return {
        "Incident": incident,
        "Report": report,
        "Application": application,
        "DecideRequest": {
            "type": "object",
            "required": ["application"],
            "additionalProperties": False,
            "properties": {
                "application": {"$ref": "#/components/schemas/Application"},
                **policy_choice,
                "as_of": {**_nullable(_DAY), "description": "decide as if made on this day"},
                "report_floor_only": {"type": "boolean", "default": False},
                "floor_reading": {
                    "type": ["string", "null"],
                    "enum": [*(r.value for r in FloorReading), None],
                    "default": FloorReading.POLICY_NUMBER.value,
                    "description": "the statutory floor's number when the policy asks for more than "
                    "three (null: the default)",
                },
            },
        },
        "PolicyFileRequest": {
            "type": "object",
            "required": ["policy_file"],
            "additionalProperties": False,
            "properties": {
                "policy_file": {"type": "string", "description": "the text of a policy file"},
                "policy_format": policy_choice["policy_format"],
            },
        },
        "CasesRequest": {
            "type": "object",
            "required": ["cases"],
            "additionalProperties": False,
            "properties": {
                "cases": {"type": "string", "description": "the text of a cases file"},
                "cases_format": {"type": "string", "enum": ["toml", "json"], "default": "toml"},
                **policy_choice,
            },
        },
        "Rows": {
            "type": "object",
            "required": ["rows", "skipped"],
            "properties": {
                "rows": {"type": "array", "items": {"type": "object"}},
                "skipped": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details; detail is the library's message, naming the field.",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string", "example": "InvalidInput"},
                "status": {"type": "integer"},
                "detail": {"type": "string", "example": "made_on='2026-02-30': is not a date"},
                "field": {"type": "string"},
            },
        },
    }


def openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of the JSON API (the pages are not part of it)."""
    if app.openapi_schema is None:
        document = get_openapi(
            title="asb-case-review",
            version=__version__,
            summary="Decide whether an application for an ASB Case Review meets the threshold, and why.",
            description="The JSON API of `asb-case-review serve` (docs/serve.md).",
            routes=router.routes,
        )
        document.setdefault("components", {}).setdefault("schemas", {}).update(_schemas())
        app.openapi_schema = document
    return app.openapi_schema
