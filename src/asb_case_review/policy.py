"""Policies: the statutory route of s.104(4) and an area's local rules under s.104(5).

A :class:`Policy` is a named, versioned value with a date of effect.  It holds

* ``mandatory``: the route of s.104(4), at least N qualifying complaints
  (N is 3 unless the area's procedures specify another number);
* ``local``: the area's own rules under s.104(5), any one of which meets the
  threshold;
* ``conditions``: local conditions every application must also satisfy (a
  recency gate, no pending response date, consent).  A condition cannot
  lawfully defeat the mandatory route; evaluation says so when one tries.

The built-in catalogue (:mod:`asb_case_review.catalogue`) holds the statutory
default and published policies, each rule carrying the area's own wording and
its source.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any, Final, TypeVar

import attrs

from ._limits import MAX_COUNT, MAX_WORKING_DAYS, RANGE, supported_day, surrogate_problem, text_problem
from .dates import BUILT_IN_HOLIDAYS, BankHolidays, Period, Span, add_working_days, months
from .errors import CaseReviewError, InvalidPolicy
from .qualifying import Anchor, Lag, Selection, Who, Window
from .rules import Count, CountUnit, Rule, Source, count, rule

__all__ = [
    "EXPLANATORY_NOTES",
    "GUIDANCE_2025",
    "SCHEDULE_4",
    "STATUTE",
    "STATUTORY_THRESHOLD",
    "Appeal",
    "Area",
    "Body",
    "Policy",
    "Region",
    "Timescales",
    "last_months",
    "statutory_route",
]

STATUTORY_THRESHOLD: Final = 3
"""The number of qualifying complaints in s.104(4) when the procedures specify none."""

STATUTE: Final = Source(
    "Anti-social Behaviour, Crime and Policing Act 2014",
    section="s.104(4)",
    url="https://www.legislation.gov.uk/ukpga/2014/12/section/104",
)
EXPLANATORY_NOTES: Final = Source(
    "Anti-social Behaviour, Crime and Policing Act 2014, Explanatory Notes",
    section="para 231",
    url="https://www.legislation.gov.uk/ukpga/2014/12/section/104/notes",
)
SCHEDULE_4: Final = Source(
    "Anti-social Behaviour, Crime and Policing Act 2014",
    section="Schedule 4 para 3",
    url="https://www.legislation.gov.uk/ukpga/2014/12/schedule/4",
)
GUIDANCE_2025: Final = Source(
    "Home Office, Anti-social behaviour: statutory guidance for frontline professionals "
    "(ASB Case Review), July 2025"
)


class Region(enum.StrEnum):
    """Where an area is: an ONS region of England, or Wales (a closed list)."""

    NORTH_EAST = "North East"
    NORTH_WEST = "North West"
    YORKSHIRE_AND_THE_HUMBER = "Yorkshire and the Humber"
    EAST_MIDLANDS = "East Midlands"
    WEST_MIDLANDS = "West Midlands"
    EAST_OF_ENGLAND = "East of England"
    LONDON = "London"
    SOUTH_EAST = "South East"
    SOUTH_WEST = "South West"
    WALES = "Wales"


class Body(enum.StrEnum):
    """The kind of body that publishes an area's threshold."""

    COUNCIL = "council"
    """A district, unitary, metropolitan or London borough council."""
    POLICE = "police"
    """A police force."""
    PCC = "pcc"
    """A Police and Crime Commissioner (or Police, Fire and Crime Commissioner)."""
    PARTNERSHIP = "partnership"
    """A Community Safety Partnership."""
    SCHEME = "scheme"
    """A scheme shared by several councils and partners (a county-wide or force-wide scheme)."""


E = TypeVar("E", bound=enum.Enum)

_NUMBERS: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _number(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def statutory_route(at_least: int = STATUTORY_THRESHOLD) -> Rule:
    """The mandatory route of s.104(4): at least *at_least* qualifying complaints.

    A qualifying complaint is one made by anyone within one calendar month
    beginning with the day of the behaviour, with the application made within
    six calendar months beginning with the day the complaint was made.  Each
    person's complaint about each incident counts once.

    >>> statutory_route().label
    'at least three qualifying complaints about the behaviour (s.104(4))'
    """
    if isinstance(at_least, bool) or not isinstance(at_least, int) or not 1 <= at_least <= MAX_COUNT:
        raise InvalidPolicy("threshold", at_least, f"must be a whole number from 1 to {MAX_COUNT:,}")
    return rule(
        "s104-4",
        count(at_least, unit=CountUnit.COMPLAINTS, selection=Selection()),
        label=f"at least {_number(at_least)} qualifying {'complaint' if at_least == 1 else 'complaints'} "
        "about the behaviour (s.104(4))",
        source=STATUTE,
    )


def last_months(
    n: int = 6,
    *,
    who: Who = Who.ANYONE,
    hate_only: bool = False,
    lag: Span | None = None,
) -> Selection:
    """A selection for the common local wording "in the last *n* months".

    The window is counted back from the application date under the statutory
    arithmetic; *lag* adds a report-lag limit where the policy states one.
    """
    return Selection(
        who=who,
        window=Window(months(n), anchor=Anchor.APPLICATION),
        lag=None if lag is None else Lag(lag),
        hate_only=hate_only,
    )


def _rules(field: str, value: Iterable[Rule]) -> tuple[Rule, ...]:
    if isinstance(value, str | Rule) or not isinstance(value, Iterable):
        raise InvalidPolicy(field, value, "must be a list of Rule values (see asb_case_review.rule)")
    rules = tuple(value)
    for index, item in enumerate(rules):
        if not isinstance(item, Rule):
            raise InvalidPolicy(f"{field}[{index}]", item, "must be a Rule (see asb_case_review.rule)")
    return rules


def _local(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return _rules("local", value)


def _conditions(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return _rules("conditions", value)


def _policy_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPolicy(attribute.name, value, "must be a non-empty string")
    # The id names the policy in every decision and file, on one line; other text may run on.
    one_line = attribute.name == "id"
    problem = text_problem(value) if one_line else surrogate_problem(value)
    if problem is not None:
        raise InvalidPolicy(attribute.name, value, problem)


def _policy_day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.name == "effective_to":
        return
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidPolicy(attribute.name, value, "must be a date (datetime.date)")
    try:
        supported_day(value, attribute.name)
    except CaseReviewError:
        # A policy whose dates lie outside the range could not be evaluated on them.
        raise InvalidPolicy(attribute.name, value, f"is outside the supported dates, {RANGE}") from None


def _optional_source(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Source):
        raise InvalidPolicy(attribute.name, value, "must be a Source or None")


def _mandatory(value: Rule) -> Rule:
    if not isinstance(value, Rule):
        raise InvalidPolicy("mandatory", value, "must be a Rule (see statutory_route)")
    return value


def _working_days(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WORKING_DAYS:
        raise InvalidPolicy(
            f"timescales.{attribute.name}",
            value,
            f"must be a whole number of working days, from 1 to {MAX_WORKING_DAYS:,}",
        )


@attrs.frozen
class Timescales:
    """The working days an area gives itself (and the applicant) at each step; ``None`` when unstated.

    Working days exclude weekends and England and Wales bank holidays, by default from the built-in
    list (:data:`~asb_case_review.dates.BUILT_IN_HOLIDAYS`); each date method takes another source as
    *holidays*.  A decision whose policy records timescales names the list it used in its settings.

    >>> t = Timescales(acknowledge=5, decide=10, appeal=20)
    >>> t.decide_by(dt.date(2025, 12, 19))
    datetime.date(2026, 1, 7)
    """

    acknowledge: int | None = attrs.field(default=None, kw_only=True, validator=_working_days)
    """Working days to acknowledge an application."""
    decide: int | None = attrs.field(default=None, kw_only=True, validator=_working_days)
    """Working days to decide whether the threshold is met."""
    appeal: int | None = attrs.field(default=None, kw_only=True, validator=_working_days)
    """Working days the applicant has to ask for the decision to be reviewed."""

    def acknowledge_by(
        self, received: dt.date, *, holidays: BankHolidays = BUILT_IN_HOLIDAYS
    ) -> dt.date | None:
        """The last day to acknowledge an application received on *received*."""
        if self.acknowledge is None:
            return None
        return add_working_days(received, self.acknowledge, holidays=holidays)

    def decide_by(self, received: dt.date, *, holidays: BankHolidays = BUILT_IN_HOLIDAYS) -> dt.date | None:
        """The last day to decide the threshold for an application received on *received*."""
        return None if self.decide is None else add_working_days(received, self.decide, holidays=holidays)

    def appeal_by(self, decided: dt.date, *, holidays: BankHolidays = BUILT_IN_HOLIDAYS) -> dt.date | None:
        """The last day the applicant can appeal a decision given on *decided*."""
        return None if self.appeal is None else add_working_days(decided, self.appeal, holidays=holidays)

    def recorded(self) -> bool:
        """Whether any timescale is recorded (so that working days, and bank holidays, matter)."""
        return any(days is not None for days in (self.acknowledge, self.decide, self.appeal))


def _route(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPolicy("appeal.route", value, "must be a non-empty string")


@attrs.frozen
class Appeal:
    """How an applicant who is dissatisfied can ask for the response to be reviewed (Schedule 4 para 3).

    ``route`` is the area's own wording ("ask the Police and Crime Commissioner to review").

    >>> Appeal("ask the Police and Crime Commissioner to review the decision").route[:7]
    'ask the'
    """

    route: str = attrs.field(validator=_route)
    source: Source | None = attrs.field(default=None, kw_only=True)


def _optional_appeal(value: Appeal | None) -> Appeal | None:
    if value is not None and not isinstance(value, Appeal):
        raise InvalidPolicy("appeal", value, "must be an Appeal or None")
    return value


def _timescales(value: Timescales) -> Timescales:
    if not isinstance(value, Timescales):
        raise InvalidPolicy("timescales", value, "must be a Timescales")
    return value


def _choice(kind: type[E], name: str, value: object) -> E | None:
    if value is None or isinstance(value, kind):
        return value
    words = ", ".join(str(member.value) for member in kind)
    raise InvalidPolicy(name, value, f"must be one of: {words}")


def _region(value: Region | None) -> Region | None:
    return _choice(Region, "region", value)


def _body(value: Body | None) -> Body | None:
    return _choice(Body, "body", value)


@attrs.frozen
class Policy:
    """An area's ASB Case Review threshold, as a named, versioned, dated value."""

    id: str = attrs.field(validator=_policy_text)
    title: str = attrs.field(kw_only=True, validator=_policy_text)
    version: str = attrs.field(kw_only=True, validator=_policy_text)
    effective_from: dt.date = attrs.field(kw_only=True, validator=_policy_day)
    effective_to: dt.date | None = attrs.field(default=None, kw_only=True, validator=_policy_day)
    mandatory: Rule = attrs.field(factory=statutory_route, kw_only=True, converter=_mandatory)
    local: tuple[Rule, ...] = attrs.field(default=(), kw_only=True, converter=_local)
    conditions: tuple[Rule, ...] = attrs.field(default=(), kw_only=True, converter=_conditions)
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_optional_source)
    related_by: str = attrs.field(default="related incidents", kw_only=True, validator=_policy_text)
    appeal: Appeal | None = attrs.field(default=None, kw_only=True, converter=_optional_appeal)
    """The appeal route, or ``None`` when the policy states none (Schedule 4 para 3)."""
    timescales: Timescales = attrs.field(factory=Timescales, kw_only=True, converter=_timescales)
    """The working-day timescales the policy publishes."""
    effective_from_assumed: bool = attrs.field(default=False, kw_only=True)
    """``effective_from`` is not a published date of effect (a guess, or a page's modification date);
    ``notes`` say why it was chosen."""
    region: Region | None = attrs.field(default=None, kw_only=True, converter=_region)
    """The ONS region (or Wales) the area lies in."""
    body: Body | None = attrs.field(default=None, kw_only=True, converter=_body)
    """The kind of body that publishes the policy."""
    scheme: str | None = attrs.field(default=None, kw_only=True)
    """The id of the area whose threshold this area applies (a force, commissioner or partnership
    scheme), or ``None`` when the area publishes its own; the rules are then the scheme's."""
    notes: str | None = attrs.field(default=None, kw_only=True)
    """What a reader of the policy should know that the rules do not say (a successor, a rename,
    why a date of effect is assumed)."""

    def __attrs_post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidPolicy("id", self.id, "must be a non-empty string")
        if self.scheme is not None and self.scheme == self.id:
            raise InvalidPolicy("scheme", self.scheme, "names the area itself")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise InvalidPolicy(
                "effective_to",
                self.effective_to,
                f"is before effective_from={self.effective_from.isoformat()}",
            )
        seen: set[str] = set()
        for path, item in self.rules():
            if item.id in seen:
                raise InvalidPolicy(f"{path}.id", item.id, "is used by another rule of this policy")
            seen.add(item.id)

    def rules(self) -> Iterable[tuple[str, Rule]]:
        """Every rule with its path in the policy: mandatory, then local, then conditions."""
        yield "mandatory", self.mandatory
        for index, item in enumerate(self.local):
            yield f"local[{index}]", item
        for index, item in enumerate(self.conditions):
            yield f"conditions[{index}]", item

    @property
    def threshold(self) -> int:
        """The number N of the mandatory route (3 when it is not a plain count)."""
        inner = self.mandatory.predicate
        return inner.at_least if isinstance(inner, Count) else STATUTORY_THRESHOLD

    def in_force(self, day: dt.date) -> bool:
        """Whether this version of the policy is in force on *day*."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter; the renderer is imported only when a notebook asks."""
        from .html import policy_html  # noqa: PLC0415 - kept out of the core's import time

        return policy_html(self)


def _area_versions(value: Iterable[Policy]) -> tuple[Policy, ...]:
    if isinstance(value, str | Policy) or not isinstance(value, Iterable):
        raise InvalidPolicy("versions", value, "must be a list of Policy values")
    versions = tuple(value)
    for index, item in enumerate(versions):
        if not isinstance(item, Policy):
            raise InvalidPolicy(f"versions[{index}]", item, "must be a Policy")
    return tuple(sorted(versions, key=lambda p: p.effective_from))


@attrs.frozen
class Area:
    """An area's policy over time: its dated versions, none overlapping.

    Evaluating an application uses the version in force on the application
    date (:meth:`version_on`); the decision names that version.  Days between
    versions on which none is in force are :meth:`gaps`.

    >>> from asb_case_review.catalogue import STATUTORY
    >>> area = Area("statutory", (STATUTORY,))
    >>> area.version_on(dt.date(2026, 2, 28)).version
    '2014-10-20'
    """

    id: str = attrs.field(validator=_policy_text)
    versions: tuple[Policy, ...] = attrs.field(converter=_area_versions)

    def __attrs_post_init__(self) -> None:
        if not self.versions:
            raise InvalidPolicy("versions", self.versions, f"area {self.id!r} needs at least one version")
        seen: set[str] = set()
        for index, version in enumerate(self.versions):
            if version.id != self.id:
                raise InvalidPolicy(
                    f"versions[{index}].id", version.id, f"differs from the area id {self.id!r}"
                )
            if version.version in seen:
                raise InvalidPolicy(
                    f"versions[{index}].version", version.version, "is used by another version"
                )
            seen.add(version.version)
        for index, (earlier, later) in enumerate(zip(self.versions, self.versions[1:], strict=False)):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                ends = "has no end" if earlier.effective_to is None else f"ends {earlier.effective_to}"
                raise InvalidPolicy(
                    f"versions[{index + 1}].effective_from",
                    later.effective_from,
                    f"overlaps version {earlier.version!r}, which {ends}",
                )

    @property
    def latest(self) -> Policy:
        """The version that took effect last."""
        return self.versions[-1]

    def version_on(self, day: dt.date) -> Policy:
        """The version in force on *day*; an error naming the versions when none is."""
        for version in self.versions:
            if version.in_force(day):
                return version
        spans = ", ".join(
            f"{v.version} ({v.effective_from} to {v.effective_to or 'now'})" for v in self.versions
        )
        raise InvalidPolicy(self.id, day, f"no version is in force on that day; versions: {spans}")

    def gaps(self) -> tuple[Period, ...]:
        """The runs of days, between the first version and the last, on which no version is in force."""
        found: list[Period] = []
        for earlier, later in zip(self.versions, self.versions[1:], strict=False):
            assert earlier.effective_to is not None  # no overlap means every earlier version ends
            first = earlier.effective_to + dt.timedelta(days=1)
            if first < later.effective_from:
                found.append(Period(first, later.effective_from - dt.timedelta(days=1)))
        return tuple(found)
