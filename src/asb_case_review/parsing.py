"""Build models from outside data (parsed JSON), with errors that name the path.

This is the edge of the library: it turns plain mappings, lists, strings and
numbers into the immutable models of :mod:`.models`, and every error names the
place in the input (``reports[2].made_on``) and the value found there.  Nothing
already built is changed by a failure.

The application format::

    {
      "id": "APP-1", "applicant": "P1", "made_on": "2026-02-28", "matter": "M1",
      "on_behalf_of": null, "consent": null, "related_by": "case reference",
      "facts": {"victim_high_risk": true},
      "incidents": [{"id": "I1", "matter": "M1", "began_on": "2025-10-01",
                     "ended_on": null, "hate": false}],
      "reports": [{"id": "R1", "reporter": "P1", "household": "H1",
                   "made_on": "2025-10-02", "agency": "police",
                   "kind": "complaint", "incident": "I1"}]
    }

A report's ``incident`` is the id of an entry in ``incidents`` or an incident
object of its own.  Dates are ``YYYY-MM-DD``, or ISO 8601 datetimes with a UTC
offset (converted to their Europe/London day); a datetime without an offset is
refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._readers import join_path, parse_day
from .errors import InvalidInput
from .models import Application, Incident, Report

__all__ = [
    "application_from_mapping",
    "application_to_mapping",
    "incident_from_mapping",
    "parse_day",
    "report_from_mapping",
]

T = TypeVar("T")

_APPLICATION_KEYS = frozenset(
    {
        "id",
        "applicant",
        "made_on",
        "matter",
        "on_behalf_of",
        "consent",
        "related_by",
        "facts",
        "incidents",
        "reports",
    }
)
_INCIDENT_KEYS = frozenset({"id", "matter", "began_on", "ended_on", "hate"})
_REPORT_KEYS = frozenset({"id", "reporter", "household", "made_on", "agency", "kind", "incident"})


def _mapping(value: object, path: str, keys: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(path or "the application", value, "must be an object")
    # Keys from outside may be of any type (a mapping built in Python): sort them by their text.
    unknown = sorted(set(value) - keys, key=repr)
    if unknown:
        raise InvalidInput(
            f"{path}.{unknown[0]}" if path else str(unknown[0]),
            value[unknown[0]],
            f"is not a known key; known keys: {', '.join(sorted(keys))}",
        )
    return value


def _required(data: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in data:
        raise InvalidInput(join_path(path, key), None, "is required")
    return data[key]


def _at(path: str, build: Callable[[], T]) -> T:
    """Run *build*, prefixing *path* to the field named by any InvalidInput it raises."""
    try:
        return build()
    except InvalidInput as error:
        if error.field.startswith(path):
            raise
        raise error.at(path) from None


def incident_from_mapping(data: object, path: str = "incident") -> Incident:
    """An :class:`Incident` from a mapping."""
    fields = _mapping(data, path, _INCIDENT_KEYS)
    ended = fields.get("ended_on")
    return _at(
        path,
        lambda: Incident(
            _required(fields, "id", path),
            matter=_required(fields, "matter", path),
            began_on=parse_day(_required(fields, "began_on", path), join_path(path, "began_on")),
            ended_on=None if ended is None else parse_day(ended, join_path(path, "ended_on")),
            hate=fields.get("hate", False),
        ),
    )


def report_from_mapping(
    data: object, path: str = "report", incidents: Mapping[str, Incident] | None = None
) -> Report:
    """A :class:`Report` from a mapping; ``incident`` may name one of *incidents*."""
    fields = _mapping(data, path, _REPORT_KEYS)
    raw = _required(fields, "incident", path)
    if isinstance(raw, str):
        if incidents is None or raw not in incidents:
            raise InvalidInput(join_path(path, "incident"), raw, "names no incident in 'incidents'")
        incident = incidents[raw]
    else:
        incident = incident_from_mapping(raw, join_path(path, "incident"))
    return _at(
        path,
        lambda: Report(
            _required(fields, "id", path),
            reporter=_required(fields, "reporter", path),
            made_on=parse_day(_required(fields, "made_on", path), join_path(path, "made_on")),
            incident=incident,
            agency=fields.get("agency", "other"),
            kind=fields.get("kind", "complaint"),
            household=fields.get("household"),
        ),
    )


def application_from_mapping(data: object) -> Application:
    """An :class:`Application` from a mapping, in the format of this module's documentation.

    >>> application_from_mapping({"id": "A", "applicant": "P", "made_on": "2026-02-28",
    ...                           "matter": "M", "reports": [{}]})
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidInput: reports[0].incident=None: is required
    """
    fields = _mapping(data, "", _APPLICATION_KEYS)
    incidents: dict[str, Incident] = {}
    raw_incidents = fields.get("incidents", [])
    if not isinstance(raw_incidents, list):
        raise InvalidInput("incidents", raw_incidents, "must be a list")
    for index, raw in enumerate(raw_incidents):
        incident = incident_from_mapping(raw, f"incidents[{index}]")
        if incident.id in incidents:
            raise InvalidInput(f"incidents[{index}].id", incident.id, "is used by another incident")
        incidents[incident.id] = incident
    raw_reports = _required(fields, "reports", "")
    if not isinstance(raw_reports, list):
        raise InvalidInput("reports", raw_reports, "must be a list")
    reports = [
        report_from_mapping(raw, f"reports[{index}]", incidents) for index, raw in enumerate(raw_reports)
    ]
    facts = fields.get("facts", {})
    if not isinstance(facts, Mapping):
        raise InvalidInput("facts", facts, "must be an object of fact names to true or false")
    return Application(
        _required(fields, "id", ""),
        applicant=_required(fields, "applicant", ""),
        made_on=parse_day(_required(fields, "made_on", ""), "made_on"),
        matter=_required(fields, "matter", ""),
        reports=reports,
        on_behalf_of=fields.get("on_behalf_of"),
        consent=fields.get("consent"),
        facts=facts,
        related_by=fields.get("related_by", "matter"),
    )


def _incident_mapping(incident: Incident) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": incident.id,
        "matter": incident.matter,
        "began_on": incident.began_on.isoformat(),
    }
    if incident.ended_on is not None:
        data["ended_on"] = incident.ended_on.isoformat()
    if incident.hate:
        data["hate"] = True
    return data


def application_to_mapping(application: Application) -> dict[str, Any]:
    """The plain-data form of *application*, which :func:`application_from_mapping` reads back.

    >>> from asb_case_review.examples import example_application
    >>> a = example_application()
    >>> application_from_mapping(application_to_mapping(a)) == a
    True
    """
    incidents: dict[str, Incident] = {}
    reports: list[dict[str, Any]] = []
    for report in application.reports:
        incidents.setdefault(report.incident.id, report.incident)
        entry: dict[str, Any] = {
            "id": report.id,
            "reporter": report.reporter,
            "made_on": report.made_on.isoformat(),
            "incident": report.incident.id,
            "agency": report.agency.value,
            "kind": report.kind,
        }
        if report.household is not None:
            entry["household"] = report.household
        reports.append(entry)
    data: dict[str, Any] = {
        "id": application.id,
        "applicant": application.applicant,
        "made_on": application.made_on.isoformat(),
        "matter": application.matter,
        "related_by": application.related_by,
    }
    if application.on_behalf_of is not None:
        data["on_behalf_of"] = application.on_behalf_of
    if application.consent is not None:
        data["consent"] = application.consent
    if application.facts:
        data["facts"] = {fact.value: value for fact, value in application.facts}
    data["incidents"] = [_incident_mapping(i) for i in incidents.values()]
    data["reports"] = reports
    return data
