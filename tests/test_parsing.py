"""Unit tables for reading applications from JSON-shaped data."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from asb_case_review.errors import InvalidInput, NaiveDatetime, ReportBeforeIncident
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping, application_to_mapping, parse_day

EXAMPLES = sorted(
    p for p in (Path(__file__).parent.parent / "examples").glob("*.json") if p.name != "expected.json"
)

GOOD: dict[str, Any] = {
    "id": "A1",
    "applicant": "P1",
    "made_on": "2026-02-28",
    "matter": "M",
    "incidents": [{"id": "I1", "matter": "M", "began_on": "2025-12-01"}],
    "reports": [
        {"id": "R1", "reporter": "P1", "made_on": "2025-12-02", "incident": "I1"},
        {
            "id": "R2",
            "reporter": "P2",
            "made_on": "2025-12-03T23:30:00+00:00",
            "incident": {"id": "I2", "matter": "M", "began_on": "2025-12-03", "hate": True},
            "agency": "police",
            "household": "H2",
        },
    ],
}


def with_change(path: list[str | int], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def test_reads_a_good_application() -> None:
    """A well-formed mapping becomes an Application, incidents shared by id."""
    application = application_from_mapping(GOOD)
    assert application.reports[0].incident.id == "I1"
    assert application.reports[1].incident.hate is True
    assert application.reports[1].made_on == dt.date(2025, 12, 3)


MALFORMED = [
    (["made_on"], "28/02/2026", InvalidInput, r"^made_on='28/02/2026': is not a date written YYYY-MM-DD"),
    (["made_on"], 20260228, InvalidInput, r"^made_on=20260228: must be a date"),
    (
        ["reports", 0, "made_on"],
        "2025-12-02T10:00:00",
        NaiveDatetime,
        r"^reports\[0\].made_on='2025-12-02T10:00:00'",
    ),
    (
        ["reports", 0, "made_on"],
        "2025-11-30",
        ReportBeforeIncident,
        r"^reports\[0\].made_on=datetime.date\(2025, 11, 30\)",
    ),
    (["reports", 0, "incident"], "I9", InvalidInput, r"^reports\[0\].incident='I9': names no incident"),
    (["reports", 0, "colour"], "red", InvalidInput, r"^reports\[0\].colour='red': is not a known key"),
    (["reports", 0, "reporter"], KeyError, InvalidInput, r"^reports\[0\].reporter=None: is required"),
    (["reports", 1, "agency"], "fire", InvalidInput, r"^reports\[1\].agency='fire': must be one of"),
    (["reports", 1, "incident", "began_on"], "2026-01-01", ReportBeforeIncident, r"^reports\[1\].made_on="),
    (["reports", 1, "incident", "hate"], "yes", InvalidInput, r"^reports\[1\].incident.hate='yes'"),
    (
        ["incidents", 0, "ended_on"],
        "2025-11-01",
        InvalidInput,
        r"^incidents\[0\].ended_on=datetime.date\(2025, 11, 1\): is before",
    ),
    (["incidents"], {"id": "I1"}, InvalidInput, r"^incidents=\{'id': 'I1'\}: must be a list"),
    (["reports"], KeyError, InvalidInput, r"^reports=None: is required"),
    (["reports"], "R1", InvalidInput, r"^reports='R1': must be a list"),
    (["facts"], ["case_closed"], InvalidInput, r"^facts=\['case_closed'\]: must be an object"),
    (["facts"], {"sunny": True}, InvalidInput, r"^facts='sunny': is not a known fact"),
    (["consent"], "yes", InvalidInput, r"^consent='yes'"),
    (["applicant"], "", InvalidInput, r"^applicant='': must be a non-empty string"),
]


@pytest.mark.parametrize(
    ("path", "value", "error", "message"),
    MALFORMED,
    ids=[
        "date-format",
        "date-number",
        "naive-datetime",
        "before-incident",
        "unknown-incident",
        "unknown-key",
        "missing-reporter",
        "bad-agency",
        "inline-incident-late",
        "inline-hate",
        "incident-ends-early",
        "incidents-not-list",
        "no-reports",
        "reports-not-list",
        "facts-not-object",
        "unknown-fact",
        "consent-str",
        "blank-applicant",
    ],
)
def test_malformed_applications(
    path: list[str | int], value: Any, error: type[Exception], message: str
) -> None:
    """Each malformed value raises its specific error naming the path and the value."""
    with pytest.raises(error, match=message):
        application_from_mapping(with_change(path, value))


def test_top_level_must_be_an_object() -> None:
    """A list is not an application."""
    with pytest.raises(InvalidInput, match=r"^the application=\[\]: must be an object"):
        application_from_mapping([])


def test_duplicate_incident_ids_are_refused() -> None:
    """Two incidents with one id are refused, naming the second."""
    data = copy.deepcopy(GOOD)
    data["incidents"].append({"id": "I1", "matter": "M", "began_on": "2025-12-02"})
    with pytest.raises(InvalidInput, match=r"^incidents\[1\].id='I1': is used by another incident"):
        application_from_mapping(data)


def test_parse_day_converts_offsets_to_london() -> None:
    """An ISO datetime with an offset is placed on its London day."""
    assert parse_day("2025-06-30T23:30:00+00:00", "x") == dt.date(2025, 7, 1)
    assert parse_day("2025-12-31T23:30:00+00:00", "x") == dt.date(2025, 12, 31)


def test_round_trip_of_the_example() -> None:
    """Writing an application to data and reading it back gives the same value."""
    application = example_application()
    assert application_from_mapping(application_to_mapping(application)) == application


def test_round_trip_keeps_optional_fields() -> None:
    """Behalf, consent, facts, households, hate flags and date ranges survive the round trip."""
    data = copy.deepcopy(GOOD)
    data.update(on_behalf_of="V1", consent=True, facts={"case_closed": False})
    data["incidents"][0]["ended_on"] = "2025-12-02"
    application = application_from_mapping(data)
    assert application_from_mapping(application_to_mapping(application)) == application


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_files_parse(path: Path) -> None:
    """Every example application in examples/ is valid and round-trips."""
    application = application_from_mapping(json.loads(path.read_text(encoding="utf-8")))
    assert application_from_mapping(application_to_mapping(application)) == application


@pytest.mark.parametrize(
    "text",
    ["20260228", "2026-W09-6", "2026-059", "28-02-2026", "2026-2-28", "2026-02-28x"],
    ids=["basic-form", "week-date", "ordinal-date", "day-first", "short-month", "trailing"],
)
def test_only_the_extended_calendar_form_is_a_date(text: str) -> None:
    """Forms fromisoformat would take, or guess at, are refused as not YYYY-MM-DD."""
    with pytest.raises(InvalidInput, match=r"is not a date written YYYY-MM-DD"):
        parse_day(text, "made_on")
