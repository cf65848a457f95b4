"""Unit tables for the immutable models and their validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from asb_case_review.errors import InvalidInput, NaiveDatetime, ReportBeforeIncident
from asb_case_review.models import Agency, Application, Fact, Incident, Report

D = dt.date
INCIDENT = Incident("I1", matter="M", began_on=D(2025, 9, 1))


def report(**changes: Any) -> Report:
    fields: dict[str, Any] = {"reporter": "P1", "made_on": D(2025, 9, 2), "incident": INCIDENT}
    fields.update(changes)
    return Report(fields.pop("id", "R1"), **fields)


def application(**changes: Any) -> Application:
    fields: dict[str, Any] = {
        "applicant": "P1",
        "made_on": D(2026, 1, 1),
        "matter": "M",
        "reports": (report(),),
    }
    fields.update(changes)
    return Application("A1", **fields)


def test_models_are_frozen() -> None:
    """Models cannot be changed in place; attrs.evolve makes changed copies."""
    r = report()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.reporter = "P2"  # type: ignore[misc]
    assert attrs.evolve(r, reporter="P2").reporter == "P2"


def test_models_are_hashable_values() -> None:
    """Equal models are equal and hash equally, so they can key dictionaries and sets."""
    assert report() == report()
    assert len({application(), application()}) == 1


def test_aware_datetimes_become_london_days() -> None:
    """An aware datetime is stored as its Europe/London calendar day."""
    late_evening = dt.datetime(2025, 9, 1, 23, 30, tzinfo=dt.UTC)
    assert report(made_on=late_evening).made_on == D(2025, 9, 2)


BAD_INCIDENTS = [
    ({"id": ""}, InvalidInput, r"^id='': must be a non-empty string"),
    ({"matter": 7}, InvalidInput, r"^matter=7: must be a non-empty string"),
    ({"began_on": dt.datetime(2025, 1, 1, 12)}, NaiveDatetime, r"^began_on=datetime"),
    (
        {"ended_on": D(2024, 12, 31)},
        InvalidInput,
        r"^ended_on=datetime.date\(2024, 12, 31\): is before began_on",
    ),
    ({"hate": "yes"}, InvalidInput, r"^hate='yes': must be true or false"),
]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    BAD_INCIDENTS,
    ids=["empty-id", "matter-int", "naive", "ends-early", "hate-str"],
)
def test_bad_incidents(changes: dict[str, Any], error: type[Exception], message: str) -> None:
    """A malformed incident raises an error naming the field and the value."""
    fields: dict[str, Any] = {"id": "I1", "matter": "M", "began_on": D(2025, 1, 1)}
    fields.update(changes)
    with pytest.raises(error, match=message):
        Incident(fields.pop("id"), **fields)


BAD_REPORTS = [
    ({"reporter": " "}, InvalidInput, r"^reporter=' ': must be a non-empty string"),
    ({"made_on": D(2025, 8, 31)}, ReportBeforeIncident, r"^made_on=datetime.date\(2025, 8, 31\): is before"),
    ({"made_on": dt.datetime(2025, 9, 2, 9)}, NaiveDatetime, r"^made_on="),
    ({"agency": "fire"}, InvalidInput, r"^agency='fire': must be one of council, police"),
    ({"household": ""}, InvalidInput, r"^household='': must be a non-empty string or None"),
    ({"kind": ""}, InvalidInput, r"^kind='': must be a non-empty string"),
    ({"incident": "I1"}, InvalidInput, r"^incident='I1': must be an Incident"),
]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    BAD_REPORTS,
    ids=["blank-reporter", "before-incident", "naive", "agency", "household", "kind", "incident-not-model"],
)
def test_bad_reports(changes: dict[str, Any], error: type[Exception], message: str) -> None:
    """A malformed report raises an error naming the field and the value."""
    with pytest.raises(error, match=message):
        report(**changes)


def test_report_made_the_day_the_behaviour_began_is_valid() -> None:
    """A same-day report is valid; only a report before the behaviour began is refused."""
    assert report(made_on=D(2025, 9, 1)).made_on == D(2025, 9, 1)


def test_report_before_incident_is_a_value_error() -> None:
    """Every input error is also a ValueError, so callers can catch the builtin."""
    with pytest.raises(ValueError, match="before the behaviour"):
        report(made_on=D(2025, 8, 1))


BAD_APPLICATIONS = [
    ({"reports": (report(), report())}, r"^reports\[1\].id='R1': is used by another report"),
    (
        {"reports": (report(), report(id="R2", incident=attrs.evolve(INCIDENT, hate=True)))},
        r"^reports\[1\].incident='I1': is given with different details",
    ),
    ({"reports": ("R1",)}, r"^reports\[0\]='R1': must be a Report"),
    ({"facts": {"sunny": True}}, r"^facts='sunny': is not a known fact"),
    ({"facts": {"case_closed": "no"}}, r"^facts.case_closed='no': must be true or false"),
    ({"facts": [("case_closed", True), ("case_closed", False)]}, r"^facts='case_closed': is given twice"),
    ({"consent": "yes"}, r"^consent='yes': must be true, false or None"),
    ({"on_behalf_of": ""}, r"^on_behalf_of='': must be a non-empty string or None"),
    (
        {"facts": ["no_action_taken"]},
        r"^facts='no_action_taken': must be a \(fact name, true or false\) pair",
    ),
    ({"facts": "no_action_taken"}, r"^facts='no_action_taken': must map fact names"),
    ({"reports": None}, r"^reports=None: must be a collection of Report values"),
]


@pytest.mark.parametrize(
    ("changes", "message"),
    BAD_APPLICATIONS,
    ids=[
        "duplicate-report-id",
        "incident-conflict",
        "not-a-report",
        "unknown-fact",
        "fact-not-bool",
        "fact-twice",
        "consent-str",
        "blank-behalf",
        "facts-list-of-names",
        "facts-string",
        "reports-none",
    ],
)
def test_bad_applications(changes: dict[str, Any], message: str) -> None:
    """A malformed application raises an error naming the field and the value."""
    with pytest.raises(InvalidInput, match=message):
        application(**changes)


def test_victim_is_the_person_applied_for() -> None:
    """The victim is whoever the application is on behalf of, else the applicant."""
    assert application().victim == "P1"
    assert application(applicant="COUNCILLOR", on_behalf_of="P1", consent=True).victim == "P1"


def test_facts_are_known_unknown_or_false() -> None:
    """A fact not supplied is unknown (None), not false."""
    a = application(facts={Fact.CASE_CLOSED: False, "victim_high_risk": True})
    assert a.fact(Fact.CASE_CLOSED) is False
    assert a.fact(Fact.VICTIM_HIGH_RISK) is True
    assert a.fact(Fact.NO_ACTION_TAKEN) is None


def test_facts_do_not_depend_on_the_order_given() -> None:
    """Facts are stored in one canonical order, so equal facts make equal applications."""
    one = application(facts={"case_closed": True, "victim_high_risk": False})
    two = application(facts=[("victim_high_risk", False), ("case_closed", True)])
    assert one == two


def test_incident_days() -> None:
    """An incident's days run from its first to its last day."""
    long = Incident("I", matter="M", began_on=D(2025, 1, 1), ended_on=D(2025, 1, 9))
    assert D(2025, 1, 9) in long.days
    assert D(2025, 1, 10) not in long.days


def test_agency_default_and_coercion() -> None:
    """A report's agency defaults to 'other' and accepts the enum's string value."""
    assert report().agency is Agency.OTHER
    assert report(agency="police").agency is Agency.POLICE
