"""Immutable models of incidents, reports and applications.

The models hold only what the caller supplies.  Identifiers are opaque strings
chosen by the caller; the library never needs, and never asks for, a name or
an address.  Every model validates itself when it is built, and raises an
:class:`~asb_case_review.errors.InvalidInput` naming the field and the value.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Hashable, Iterable, Mapping
from typing import Final, NamedTuple

import attrs

from ._convert import choice
from ._limits import supported_day, text_problem
from .dates import Period, london_day
from .errors import InvalidInput, ReportBeforeIncident

__all__ = [
    "Agency",
    "Application",
    "Fact",
    "Incident",
    "Report",
]


class Agency(enum.StrEnum):
    """The relevant body (or co-opted landlord) a report was made to."""

    COUNCIL = "council"
    POLICE = "police"
    LANDLORD = "landlord"
    HEALTH = "health"
    OTHER = "other"


class Fact(enum.StrEnum):
    """Case facts the caller supplies; the library never infers them.

    A fact the caller has not supplied is *unknown*, which is not the same as
    false: a rule that depends on an unknown fact is undetermined.
    """

    VICTIM_HIGH_RISK = "victim_high_risk"
    """The victim has been assessed as high risk."""
    VULNERABILITY_OVERRIDE = "vulnerability_override"
    """A senior manager has applied the vulnerability override."""
    NO_ACTION_TAKEN = "no_action_taken"
    """No action, or no effective or sufficient action, has been taken."""
    INVESTIGATION_COMPLETE = "investigation_complete"
    """The investigation of the reports is complete."""
    CASE_CLOSED = "case_closed"
    """The case has been closed by the agency."""
    PROBLEM_PERSISTS = "problem_persists"
    """The behaviour is continuing (s.104(5)(a), persistence)."""
    SIGNIFICANT_HARM = "significant_harm"
    """The behaviour caused, or could cause, significant harm (s.104(5)(b))."""
    FURTHER_ACTION_AVAILABLE = "further_action_available"
    """Further action is still open to the agencies."""
    HARASSMENT_ALARM_DISTRESS = "harassment_alarm_distress"
    """The behaviour caused, or was likely to cause, harassment, alarm or distress."""
    PROMISED_RESPONSE_PENDING = "promised_response_pending"
    """A response date promised to the complainant has not yet passed."""
    APPLICANT_SAYS_NO_EFFECTIVE_ACTION = "applicant_says_no_effective_action"
    """The applicant says they feel no (or no effective, or insufficient) action was taken.

    The applicant's view, as wordings such as "you feel that no action was taken"
    ask for; not a finding by the relevant bodies (compare :attr:`NO_ACTION_TAKEN`)."""
    OFFICER_DISCRETION = "officer_discretion"
    """The relevant bodies, taking into account the matters their procedures list (persistence,
    harm, adequacy of the response, vulnerability), decide that a review should be held.

    A decision the officer supplies, never an entitlement: undetermined until given."""


def _identifier(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(attribute.name, value, "must be a non-empty string")
    _one_line(attribute.name, value)


def _one_line(field: str, value: str) -> None:
    # An id is printed in letters and tables: a newline in it could forge a line of the text.
    problem = text_problem(value)
    if problem is not None:
        raise InvalidInput(field, value, problem)


def _optional_identifier(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidInput(attribute.name, value, "must be a non-empty string or None")
    if value is not None:
        _one_line(attribute.name, value)


def _flag(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidInput(attribute.name, value, "must be true or false")


def _optional_flag(instance: object, attribute: attrs.Attribute[bool | None], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInput(attribute.name, value, "must be true, false or None (unknown)")


# attrs converters cannot be told which field they fill, so each dated field
# has its own small converter that names itself in the error.
def _began_on(value: dt.date | dt.datetime) -> dt.date:
    return supported_day(london_day(value, "began_on"), "began_on")


def _ended_on(value: dt.date | dt.datetime | None) -> dt.date | None:
    return None if value is None else supported_day(london_day(value, "ended_on"), "ended_on")


def _made_on(value: dt.date | dt.datetime) -> dt.date:
    return supported_day(london_day(value, "made_on"), "made_on")


def _agency(value: Agency | str) -> Agency:
    return choice(Agency, "agency", value)


@attrs.frozen
class Incident:
    """An occurrence of the behaviour complained about.

    ``matter`` is the relatedness key the caller supplies (a case reference,
    a location or a perpetrator reference): incidents with the same key are
    "related" in the sense of the local policies.  Behaviour that went on over
    several days has ``ended_on`` after ``began_on``.  ``hate`` is the caller's
    perception-based flag for a hate incident or hate crime.

    >>> Incident("I1", matter="M1", began_on=dt.date(2025, 9, 1)).days
    Period(first=datetime.date(2025, 9, 1), last=datetime.date(2025, 9, 1))
    """

    id: str = attrs.field(validator=_identifier)
    matter: str = attrs.field(kw_only=True, validator=_identifier)
    began_on: dt.date = attrs.field(kw_only=True, converter=_began_on)
    ended_on: dt.date | None = attrs.field(default=None, kw_only=True, converter=_ended_on)
    hate: bool = attrs.field(default=False, kw_only=True, validator=_flag)

    def __attrs_post_init__(self) -> None:
        if self.ended_on is not None and self.ended_on < self.began_on:
            raise InvalidInput(
                "ended_on",
                self.ended_on,
                f"is before began_on={self.began_on.isoformat()}",
            )

    @property
    def days(self) -> Period:
        """The days the behaviour went on, first to last."""
        return Period(self.began_on, self.ended_on or self.began_on)


def _is_incident(instance: object, attribute: attrs.Attribute[Incident], value: object) -> None:
    if not isinstance(value, Incident):
        raise InvalidInput(attribute.name, value, "must be an Incident")


@attrs.frozen
class Report:
    """A complaint about the behaviour, made by one person to one agency.

    ``reporter`` and ``household`` are opaque identifiers.  ``kind`` is the
    caller's own vocabulary ("complaint", "diary_sheet", ...); policies can
    exclude kinds by name.

    >>> i = Incident("I1", matter="M1", began_on=dt.date(2025, 9, 1))
    >>> Report("R1", reporter="P1", made_on=dt.date(2025, 8, 31), incident=i)
    Traceback (most recent call last):
    ...
    asb_case_review.errors.ReportBeforeIncident: made_on=datetime.date(2025, 8, 31): ...
    """

    id: str = attrs.field(validator=_identifier)
    reporter: str = attrs.field(kw_only=True, validator=_identifier)
    made_on: dt.date = attrs.field(kw_only=True, converter=_made_on)
    incident: Incident = attrs.field(kw_only=True, validator=_is_incident)
    agency: Agency = attrs.field(default=Agency.OTHER, kw_only=True, converter=_agency)
    kind: str = attrs.field(default="complaint", kw_only=True, validator=_identifier)
    household: str | None = attrs.field(default=None, kw_only=True, validator=_optional_identifier)

    def __attrs_post_init__(self) -> None:
        if self.made_on < self.incident.began_on:
            raise ReportBeforeIncident(
                "made_on",
                self.made_on,
                f"is before the behaviour it reports began "
                f"(incident {self.incident.id!r} began_on={self.incident.began_on.isoformat()})",
            )


def _reports(value: Iterable[Report]) -> tuple[Report, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidInput("reports", value, "must be a collection of Report values")
    reports = tuple(value)
    seen: dict[str, Report] = {}
    incidents: dict[str, Incident] = {}
    for index, report in enumerate(reports):
        if not isinstance(report, Report):
            raise InvalidInput(f"reports[{index}]", report, "must be a Report")
        if report.id in seen:
            raise InvalidInput(f"reports[{index}].id", report.id, "is used by another report")
        seen[report.id] = report
        other = incidents.setdefault(report.incident.id, report.incident)
        if other != report.incident:
            raise InvalidInput(
                f"reports[{index}].incident",
                report.incident.id,
                "is given with different details by another report",
            )
    return reports


FactsArg = Mapping[Fact | str, bool] | Iterable[tuple[Fact | str, bool]]


def _facts(value: FactsArg) -> tuple[tuple[Fact, bool], ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidInput("facts", value, "must map fact names to true or false")
    items = value.items() if isinstance(value, Mapping) else value
    facts: dict[Fact, bool] = {}
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidInput("facts", item, "must be a (fact name, true or false) pair")
        name, known = item
        try:
            fact = Fact(name)
        except ValueError:
            choices = ", ".join(f.value for f in Fact)
            raise InvalidInput("facts", name, f"is not a known fact; known facts: {choices}") from None
        if not isinstance(known, bool):
            raise InvalidInput(f"facts.{fact.value}", known, "must be true or false")
        if fact in facts:
            raise InvalidInput("facts", fact.value, "is given twice")
        facts[fact] = known
    return tuple(sorted(facts.items()))


_ID: Final = operator.attrgetter("id")
_MADE_ON: Final = operator.attrgetter("made_on")


class Ordered(NamedTuple):
    """An application's reports in the order the law takes them, and what the law reads of them in it.

    Worked out once for an application (an immutable value) and kept with it (:func:`in_order`),
    so that every evaluation of it, under each policy and on each day, shares one sort.
    """

    reports: tuple[Report, ...]
    """The reports by the day they were made, then their id."""
    days: dict[Hashable, list[dt.date]]
    """Each report's day of behaviour (in the order of ``reports``) under each reading of it,
    filled in by ``qualifying.Shared.days`` as the readings are asked for."""


def in_order(application: Application) -> Ordered:
    """The reports of *application* in the order the law takes them: the day they were made, then their id.

    Sorted the first time it is asked for and kept with the application.  Two threads asking
    at once may both sort; the orders are equal, and either is kept.
    """
    found = application._in_order
    if found is None:
        # By id, then (a stable sort) by day: the order by day then id, without building a key
        # tuple per report (the ids of an application are distinct).
        reports = sorted(application.reports, key=_ID)
        reports.sort(key=_MADE_ON)
        # Built as a tuple: a named tuple's generated __new__ is a Python call, on every first evaluation.
        found = tuple.__new__(Ordered, (tuple(reports), {}))
        object.__setattr__(application, "_in_order", found)
    return found


@attrs.frozen
class Application:
    """An application for an ASB Case Review, with the reports behind it.

    ``applicant`` made the application; ``on_behalf_of`` is the victim when
    someone else applies for them, and ``consent`` records whether the victim
    consented (Home Office guidance; ``None`` when unknown).  ``matter`` is the
    relatedness key of the behaviour the application relates to, and
    ``related_by`` names what that key is, for the explanation.  ``reports``
    are all the reports the relevant bodies hold about the matter, by anyone:
    the statute counts complaints made by anyone.  ``facts`` are
    caller-supplied case facts; a fact not given is unknown.
    """

    id: str = attrs.field(validator=_identifier)
    applicant: str = attrs.field(kw_only=True, validator=_identifier)
    made_on: dt.date = attrs.field(kw_only=True, converter=_made_on)
    matter: str = attrs.field(kw_only=True, validator=_identifier)
    reports: tuple[Report, ...] = attrs.field(kw_only=True, converter=_reports)
    on_behalf_of: str | None = attrs.field(default=None, kw_only=True, validator=_optional_identifier)
    consent: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_flag)
    facts: tuple[tuple[Fact, bool], ...] = attrs.field(default=(), kw_only=True, converter=_facts)
    related_by: str = attrs.field(default="matter", kw_only=True, validator=_identifier)
    _in_order: Ordered | None = attrs.field(init=False, default=None, eq=False, repr=False)
    """The reports in the law's order, worked out the first time it is asked for (:func:`in_order`)."""

    @property
    def victim(self) -> str:
        """Whose reports count as "yours": the person applied for, else the applicant."""
        return self.on_behalf_of or self.applicant

    def fact(self, fact: Fact) -> bool | None:
        """The value of *fact*, or ``None`` when the caller did not supply it."""
        for name, known in self.facts:
            if name is fact:
                return known
        return None
