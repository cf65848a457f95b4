"""Server-rendered pages (GOV.UK Design System): the officer's page and the applicant's self-check.

* ``/officer``: pick the area and dates, enter the reports in a table (or upload an application's
  JSON, or a CSV of its reports), and see the decision, the rule matched, every report's fate, the
  timeline picture, the letter to send, and the JSON record to download.
* ``/self-check``: an applicant enters the dates of their own reports and of the behaviour, and
  sees whether those reports alone would meet their area's threshold, in the area's own words.
  It asks for nothing about anyone else.

Every decision, letter, picture and record comes from the library's public functions
(:func:`~asb_case_review.evaluate`, :func:`~asb_case_review.for_applicant`,
:func:`~asb_case_review.for_officer`, :func:`~asb_case_review.to_dict`, and the timeline of
:mod:`asb_case_review.plots`): these pages only gather the input and lay out the answer.  Bad input
is shown beside its field, in the library's own words naming the field and the value.  Nothing is
stored: every answer is made from the form that asked for it, and the pages say ``no-store``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from .. import __version__
from .._limits import Unreadable, decode, loads_json
from ..audit import stamped_decision
from ..catalogue import AREAS
from ..dates import london_day
from ..decision import Decision, evaluate
from ..errors import CaseReviewError, InvalidInput, InvalidPolicy, InvalidRow, ReportBeforeIncident
from ..models import Agency, Application, Fact
from ..parsing import application_from_mapping, parse_day
from ..policy import Area
from ..render import applicant_paragraphs, for_applicant, for_officer, long_date, report_rows, to_dict
from .assets import GOVUK_FRONTEND, STATIC, VENDORED, vendored

__all__ = ["MAX_ROWS", "MAX_UPLOAD", "SERVICE_NAME", "router"]

SERVICE_NAME: Final = "ASB Case Review check"
MAX_ROWS: Final = 100
"""The most report rows a table form holds."""
MAX_UPLOAD: Final = 1_000_000
"""The largest file, in bytes, the officer's page reads."""

_FIRST_ROWS: Final = 3
_MATTER: Final = "the-behaviour"
_OFFICER_ROW: Final = ("reporter", "household", "made_on", "began_on", "ended_on", "agency", "hate")
_AGENCIES: Final = tuple(a.value for a in Agency)
_FACTS: Final = tuple((fact.value, fact.value.replace("_", " ").capitalize()) for fact in Fact)
_NO_STORE: Final = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
_STATIC_FILES: Final = {
    "app.css": STATIC / "app.css",
    "app.js": STATIC / "app.js",
    **{f"govuk/{name}": VENDORED / name for name in GOVUK_FRONTEND.files.values()},
}

router = APIRouter(include_in_schema=False)

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
)


@attrs.frozen
class Problem:
    """A bad input: the form field it belongs to (the id of its input) and the message shown."""

    field: str
    message: str


class _Refused(Exception):
    """The form cannot be decided; each problem names its field."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(problems)
        self.problems = problems


def _areas() -> list[tuple[str, str]]:
    """Every area in the catalogue as (id, name), by name."""
    return sorted(((key, area.versions[-1].title) for key, area in AREAS.items()), key=lambda a: a[1])


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    problems: list[Problem] = context.setdefault("errors", [])
    context.setdefault("result", None)
    context.setdefault("focus", None)
    html = _templates.get_template(template).render(
        service_name=SERVICE_NAME,
        version=__version__,
        styled=vendored(),
        error_for={problem.field: problem.message for problem in problems},
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=_NO_STORE)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _rows(form: FormData, *, add: bool) -> int:
    try:
        rows = int(_text(form, "rows"))
    except ValueError:
        rows = _FIRST_ROWS
    return max(1, min(MAX_ROWS, rows + (1 if add else 0)))


def _area(form: FormData) -> Area:
    name = _text(form, "area")
    if not name:
        raise _Refused(Problem("area", "Choose the area"))
    area = AREAS.get(name)
    if area is None:
        raise _Refused(Problem("area", f"area={name!r}: is not an area in the catalogue"))
    return area


def _day(value: str, field: str, form_field: str, label: str) -> dt.date:
    try:
        return parse_day(value, field)
    except InvalidInput as error:
        raise _Refused(Problem(form_field, f"{label}: {error}")) from None


# ---------------------------------------------------------------------------------------------------
# The library's paths (reports[1].incident.began_on) and the form's fields (reports-1-began_on).

_REPORT_PATH: Final = re.compile(r"reports\[(\d+)\](?:\.incident)?(?:\.(\w+))?")
_OFFICER_LABELS: Final = {
    "reporter": "reported by",
    "household": "household",
    "made_on": "date reported",
    "began_on": "behaviour began",
    "ended_on": "behaviour ended",
    "agency": "reported to",
    "hate": "hate incident",
}
_TOP_FIELDS: Final = {
    "made_on": ("made_on", "Date of the application"),
    "applicant": ("applicant", "Applicant"),
    "id": ("reference", "Application reference"),
}


def _officer_problem(error: InvalidInput, rows_used: Sequence[int]) -> Problem:
    """The form field a library error names, with the library's message."""
    found = _REPORT_PATH.fullmatch(error.field)
    if found is not None and int(found[1]) < len(rows_used):
        row = rows_used[int(found[1])]
        name = found[2] if found[2] in _OFFICER_LABELS else "made_on"
        return Problem(f"reports-{row}-{name}", f"Report {row + 1}, {_OFFICER_LABELS[name]}: {error}")
    if error.field in _TOP_FIELDS:
        field, label = _TOP_FIELDS[error.field]
        return Problem(field, f"{label}: {error}")
    if error.field.startswith("facts.") and error.field[6:] in dict(_FACTS):
        return Problem(f"fact-{error.field[6:]}", f"Case fact: {error}")
    return Problem("reports-0-made_on", str(error))


def _officer_table(form: FormData, rows: int) -> tuple[dict[str, Any], list[int]]:
    """The application the table form describes, in the library's application format.

    Rows left blank are skipped; the second value maps each report to its row.  Empty cells are
    left out, so that the library names a missing value as required.
    """
    reports: list[dict[str, Any]] = []
    used: list[int] = []
    for row in range(rows):
        cells = {name: _text(form, f"reports-{row}-{name}") for name in _OFFICER_ROW}
        if not any(cells[name] for name in ("reporter", "household", "made_on", "began_on", "ended_on")):
            continue
        incident: dict[str, Any] = {"id": f"I{row + 1}", "matter": _MATTER, "hate": bool(cells["hate"])}
        for name in ("began_on", "ended_on"):
            if cells[name]:
                incident[name] = cells[name]
        report: dict[str, Any] = {"id": f"R{row + 1}", "incident": incident, "kind": "complaint"}
        for name in ("reporter", "household", "made_on", "agency"):
            if cells[name]:
                report[name] = cells[name]
        reports.append(report)
        used.append(row)
    application: dict[str, Any] = {
        "id": _text(form, "reference") or "web-form",
        "matter": _MATTER,
        "facts": _facts(form),
    }
    for name in ("applicant", "made_on"):
        if _text(form, name):
            application[name] = _text(form, name)
    application["reports"] = reports
    return application, used


def _facts(form: FormData) -> dict[str, Any]:
    """The case facts the officer set: "yes" and "no" are true and false; anything else is passed on.

    A fact left as "not known" is left out, so that a rule on it is undetermined.
    """
    facts: dict[str, Any] = {}
    for name, _ in _FACTS:
        value = _text(form, f"fact-{name}")
        if value:
            facts[name] = {"yes": True, "no": False}.get(value, value)
    return facts


async def _upload(form: FormData) -> tuple[str, str] | None:
    """The uploaded file's name and text, or None when no file was chosen."""
    upload = form.get("upload")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(MAX_UPLOAD + 1)
    name = upload.filename
    if len(data) > MAX_UPLOAD:
        raise _Refused(Problem("upload", f"{name}: is larger than {MAX_UPLOAD:,} bytes"))
    if not data:
        raise _Refused(Problem("upload", f"{name}: the file is empty"))
    try:
        return name, decode(data)
    except Unreadable as error:
        raise _Refused(Problem("upload", f"{name}: {error}")) from None


def _from_json(name: str, text: str) -> Application:
    try:
        data = loads_json(text)
    except json.JSONDecodeError as error:
        raise _Refused(
            Problem("upload", f"{name}: line {error.lineno}: not valid JSON: {error.msg}")
        ) from None
    except Unreadable as error:
        raise _Refused(Problem("upload", f"{name}: not valid application JSON: {error}")) from None
    try:
        return application_from_mapping(data)
    except CaseReviewError as error:
        raise _Refused(Problem("upload", f"{name}: {error}")) from None


def _from_csv(name: str, text: str, form: FormData) -> Application:
    from ..analysis.table import reports_from_csv  # noqa: PLC0415 - the CSV reader of the analysis package

    try:
        table = reports_from_csv(text)
    except InvalidRow as error:
        raise _Refused(Problem("upload", f"{name}: {error}")) from None
    except CaseReviewError as error:
        raise _Refused(Problem("upload", f"{name}: {error}")) from None
    matters = sorted(set(table.matter))
    if len(matters) != 1:
        raise _Refused(
            Problem("upload", f"{name}: matter={matters!r}: a file must hold the reports of one matter")
        )
    made_on = _day(_text(form, "made_on"), "made_on", "made_on", "Date of the application")
    try:
        return Application(
            _text(form, "reference") or "web-form",
            applicant=_text(form, "applicant"),
            made_on=made_on,
            matter=matters[0],
            reports=table.to_reports(),
            facts=_facts(form),
        )
    except InvalidInput as error:
        raise _Refused(_officer_problem(error, [])) from None


def _picture(decision: Decision, *, private: bool) -> str | None:
    """The timeline picture as a PNG data address, or None where matplotlib is not installed."""
    try:
        from ..plots import timeline  # noqa: PLC0415 - matplotlib, the plot extra

        figure = timeline(decision, private=private)
    except ImportError:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _alt(decision: Decision, rows: Sequence[Mapping[str, Any]], *, private: bool) -> str:
    """The picture's text alternative: what it shows, in words."""
    from ..plots import explaining_rule  # noqa: PLC0415 - with the picture

    rule = explaining_rule(decision)
    counted = sum(1 for row in rows if row["counted"])
    whose = "your reports" if private else "the reports"
    return (
        f"Timeline of {whose} under the rule '{rule.label}' for an application made on "
        f"{long_date(decision.as_of)}: {counted} of {len(rows)} counted. "
        "The table of reports gives each report's dates and reason."
    )


def _officer_result(application: Application, area: Area, as_of: dt.date | None) -> dict[str, Any]:
    """Everything the officer's page shows about one decision, from the library's functions."""
    try:
        policy = area.version_on(as_of or application.made_on)
    except InvalidPolicy as error:
        raise _Refused(Problem("area", str(error))) from None
    decision = evaluate(application, policy, as_of=as_of)
    rows = report_rows(decision)
    # The audit record the command line writes (check --format json), audit fields first.
    record = json.dumps(stamped_decision(to_dict(decision), decision.policy), indent=2)
    return {
        "decision": decision,
        "policy": policy,
        "rules": [decision.find_rule(rule_id) for rule_id in decision.matched],
        "rows": rows,
        "picture": _picture(decision, private=False),
        "alt": _alt(decision, rows, private=False),
        "letter": for_applicant(decision),
        "officer_text": for_officer(decision),
        "record": "data:application/json;base64," + base64.b64encode(record.encode()).decode("ascii"),
        "record_name": f"decision-{re.sub(r'[^A-Za-z0-9_.-]', '_', application.id)[:60]}.json",
    }


# ---------------------------------------------------------------------------------------------------
# The pages.


@router.get("/", response_class=HTMLResponse)
def home() -> HTMLResponse:
    """The start page: the two pages, and what this service is."""
    return _page("start.html", title="Check the threshold for an ASB Case Review", active="home")


def _text_fields(form: FormData) -> dict[str, str]:
    """The form's text fields, as typed, to show again (uploads are not shown)."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _officer_form(form: FormData | None, rows: int) -> dict[str, Any]:
    values: dict[str, str] = {}
    if form is not None:
        values = _text_fields(form)
    return {
        "title": "Decide an application",
        "active": "officer",
        "areas": _areas(),
        "agencies": _AGENCIES,
        "facts": _FACTS,
        "facts_open": any(values.get(f"fact-{name}") for name, _ in _FACTS),
        "rows": rows,
        "values": values,
        "max_rows": MAX_ROWS,
        "max_upload": MAX_UPLOAD,
    }


@router.get("/officer", response_class=HTMLResponse)
def officer() -> HTMLResponse:
    """The officer's page, empty."""
    return _page("officer.html", **_officer_form(None, _FIRST_ROWS), errors=[])


@router.post("/officer", response_class=HTMLResponse)
async def officer_decide(request: Request) -> HTMLResponse:
    """The officer's page with a row added, or the decision on the reports given."""
    async with request.form(max_files=1, max_fields=10 * MAX_ROWS + 20) as form:
        return await _officer_decide(form)


async def _officer_decide(form: FormData) -> HTMLResponse:
    adding = _text(form, "action") == "add-row"
    rows = _rows(form, add=adding)
    context = _officer_form(form, rows)
    if adding:
        return _page("officer.html", **context, errors=[], focus=f"reports-{rows - 1}-reporter")
    try:
        area = _area(form)
        as_of = _text(form, "as_of")
        as_of_day = None if not as_of else _day(as_of, "as_of", "as_of", "Decide as at")
        uploaded = await _upload(form)
        if uploaded is None:
            mapping, used = _officer_table(form, rows)
            if not mapping["reports"]:
                raise _Refused(Problem("reports-0-reporter", "Enter at least one report, or upload a file"))
            try:
                application = application_from_mapping(mapping)
            except InvalidInput as error:
                raise _Refused(_officer_problem(error, used)) from None
        elif uploaded[1].lstrip().startswith(("{", "[")):
            application = _from_json(*uploaded)
        else:
            application = _from_csv(*uploaded, form)
        result = await run_in_threadpool(_officer_result, application, area, as_of_day)
    except _Refused as refused:
        return _page("officer.html", 400, **context, errors=list(refused.problems))
    return _page("officer.html", **context, errors=[], result=result)


# ---------------------------------------------------------------------------------------------------
# The applicant's self-check: their own reports only.

_SELF_LABELS: Final = {"made_on": "date you reported it", "began_on": "date of the behaviour"}
_SELF_AGENCIES: Final = (
    ("council", "The council"),
    ("police", "The police"),
    ("landlord", "Your landlord or housing association"),
    ("health", "A health service"),
    ("other", "Someone else"),
)


def _numbers(text: str, most: int) -> bool:
    return text.isdecimal() and len(text) <= most


def _date_value(form: FormData, name: str) -> str:
    """The day a GOV.UK date input gives, as YYYY-MM-DD; what was typed where it is not numbers."""
    day, month, year = (_text(form, f"{name}-{part}") for part in ("day", "month", "year"))
    if not (day or month or year):
        return ""
    # Decimal digits of any script (int() reads them), not str.isdigit's, which takes "²" that int()
    # refuses; a day and a month of at most two, so that no number is too long to read.
    if _numbers(day, 2) and _numbers(month, 2) and _numbers(year, 4) and len(year) == 4:
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return f"{day}/{month}/{year}"


def _plain_date_problem(error: InvalidInput, label: str) -> str:
    """What to do, in plain words, then the library's message naming the field and the value."""
    if isinstance(error, ReportBeforeIncident):
        return f"The {label} must be on or after the date the behaviour happened ({error})"
    if error.value is None:
        return f"Enter the {label} ({error})"
    return f"Enter the {label} as a real date, in numbers ({error})"


def _self_check_problem(error: InvalidInput, rows_used: Sequence[int]) -> Problem:
    found = _REPORT_PATH.fullmatch(error.field)
    if found is not None and int(found[1]) < len(rows_used):
        row = rows_used[int(found[1])]
        name = found[2]
        if name == "agency":
            return Problem(
                f"reports-{row}-agency", f"Report {row + 1}: choose who you reported it to ({error})"
            )
        name = name if name in _SELF_LABELS else "made_on"
        message = _plain_date_problem(error, _SELF_LABELS[name])
        return Problem(f"reports-{row}-{name}-day", f"Report {row + 1}: {message}")
    if error.field == "made_on":
        return Problem("apply_on-day", _plain_date_problem(error, "date you would apply"))
    return Problem("reports-0-made_on-day", str(error))


def _self_check_mapping(form: FormData, rows: int) -> tuple[dict[str, Any], list[int]]:
    reports: list[dict[str, Any]] = []
    used: list[int] = []
    for row in range(rows):
        made_on = _date_value(form, f"reports-{row}-made_on")
        began_on = _date_value(form, f"reports-{row}-began_on")
        if not (made_on or began_on):
            continue
        incident: dict[str, Any] = {"id": f"I{row + 1}", "matter": _MATTER}
        if began_on:
            incident["began_on"] = began_on
        report: dict[str, Any] = {"id": f"your report {row + 1}", "reporter": "you", "incident": incident}
        agency = _text(form, f"reports-{row}-agency")
        if agency:
            report["agency"] = agency
        if made_on:
            report["made_on"] = made_on
        reports.append(report)
        used.append(row)
    application: dict[str, Any] = {"id": "self-check", "applicant": "you", "matter": _MATTER}
    apply_on = _date_value(form, "apply_on")
    if apply_on:
        application["made_on"] = apply_on
    application["reports"] = reports
    return application, used


def _self_check_result(application: Application, area: Area) -> dict[str, Any]:
    try:
        policy = area.version_on(application.made_on)
    except InvalidPolicy as error:
        raise _Refused(Problem("area", str(error))) from None
    decision = evaluate(application, policy)
    rows = report_rows(decision)
    return {
        "decision": decision,
        "policy": policy,
        # The letter's account of the reports, without its next steps: a self-check decides nothing.
        "letter": " ".join(applicant_paragraphs(decision, next_steps=False)),
        "picture": _picture(decision, private=True),
        "alt": _alt(decision, rows, private=True),
    }


def _self_check_form(form: FormData | None, rows: int, today: dt.date) -> dict[str, Any]:
    values: dict[str, str] = {
        "apply_on-day": str(today.day),
        "apply_on-month": str(today.month),
        "apply_on-year": str(today.year),
    }
    if form is not None:
        values = _text_fields(form)
    return {
        "title": "Check if your reports meet the threshold",
        "active": "self-check",
        "areas": _areas(),
        "agencies": _SELF_AGENCIES,
        "rows": rows,
        "values": values,
        "max_rows": MAX_ROWS,
    }


def _today() -> dt.date:
    # The server's one use of the clock: the date the form offers to apply on, which the user can change.
    return london_day(dt.datetime.now(dt.UTC))


@router.get("/self-check", response_class=HTMLResponse)
def self_check() -> HTMLResponse:
    """The applicant's self-check, empty but for today's date as the date of applying."""
    return _page("self_check.html", **_self_check_form(None, _FIRST_ROWS, _today()), errors=[])


@router.post("/self-check", response_class=HTMLResponse)
async def self_check_decide(request: Request) -> HTMLResponse:
    """The self-check with a row added, or the answer for the applicant's own reports."""
    form = await request.form(max_files=0, max_fields=6 * MAX_ROWS + 20)
    adding = _text(form, "action") == "add-row"
    rows = _rows(form, add=adding)
    context = _self_check_form(form, rows, _today())
    if adding:
        return _page("self_check.html", **context, errors=[], focus=f"reports-{rows - 1}-made_on-day")
    try:
        area = _area(form)
        mapping, used = _self_check_mapping(form, rows)
        if not mapping["reports"]:
            raise _Refused(Problem("reports-0-made_on-day", "Enter the date of at least one of your reports"))
        try:
            application = application_from_mapping(mapping)
        except InvalidInput as error:
            raise _Refused(_self_check_problem(error, used)) from None
        result = await run_in_threadpool(_self_check_result, application, area)
    except _Refused as refused:
        return _page("self_check.html", 400, **context, errors=list(refused.problems))
    return _page("self_check.html", **context, errors=[], result=result)


@router.get("/static/{name:path}")
def static(name: str) -> Response:
    """The pages' stylesheet and script, and GOV.UK Frontend's where it has been fetched."""
    path = _STATIC_FILES.get(name)
    if path is None or not path.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})
