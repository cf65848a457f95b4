"""Policies: the statutory route of s.104(4) and an area's local rules under s.104(5).

A :class:`Policy` is a named, versioned value with a date of effect.  It holds

* ``mandatory``: the route of s.104(4), at least N qualifying complaints
  (N is 3 unless the area's procedures specify another number);
* ``local``: the area's own rules under s.104(5), any one of which meets the
  threshold;
* ``conditions``: local conditions every application must also satisfy (a
  recency gate, no pending response date, consent).  A condition cannot
  lawfully defeat the mandatory route; evaluation says so when one tries.

The built-in catalogue holds the statutory default and published policies,
each rule carrying the area's own wording and its source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from .dates import Span, months
from .errors import InvalidPolicy
from .qualifying import Anchor, Lag, Selection, Who, Window
from .rules import Count, CountUnit, Rule, Source, count, rule

__all__ = [
    "CATALOGUE",
    "EXPLANATORY_NOTES",
    "GUIDANCE_2025",
    "MERSEYSIDE",
    "STAFFORDSHIRE_MOORLANDS",
    "STATUTE",
    "STATUTORY",
    "STATUTORY_THRESHOLD",
    "Policy",
    "get_policy",
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
GUIDANCE_2025: Final = Source(
    "Home Office, Anti-social behaviour: statutory guidance for frontline professionals "
    "(ASB Case Review), July 2025"
)

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
    return rule(
        "s104-4",
        count(at_least, unit=CountUnit.COMPLAINTS, selection=Selection()),
        label=f"at least {_number(at_least)} qualifying complaints about the behaviour (s.104(4))",
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


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    rules = tuple(value)
    for index, item in enumerate(rules):
        if not isinstance(item, Rule):
            raise InvalidPolicy(f"[{index}]", item, "must be a Rule (see asb_case_review.rule)")
    return rules


def _mandatory(value: Rule) -> Rule:
    if not isinstance(value, Rule):
        raise InvalidPolicy("mandatory", value, "must be a Rule (see statutory_route)")
    return value


@attrs.frozen
class Policy:
    """An area's ASB Case Review threshold, as a named, versioned, dated value."""

    id: str
    title: str = attrs.field(kw_only=True)
    version: str = attrs.field(kw_only=True)
    effective_from: dt.date = attrs.field(kw_only=True)
    effective_to: dt.date | None = attrs.field(default=None, kw_only=True)
    mandatory: Rule = attrs.field(factory=statutory_route, kw_only=True, converter=_mandatory)
    local: tuple[Rule, ...] = attrs.field(default=(), kw_only=True, converter=_rules)
    conditions: tuple[Rule, ...] = attrs.field(default=(), kw_only=True, converter=_rules)
    source: Source | None = attrs.field(default=None, kw_only=True)
    related_by: str = attrs.field(default="related incidents", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidPolicy("id", self.id, "must be a non-empty string")
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


STATUTORY: Final = Policy(
    "statutory",
    title="The statutory threshold of s.104(4), with no local rules",
    version="2014-10-20",
    effective_from=dt.date(2014, 10, 20),
    source=STATUTE,
)
"""The statute alone: three qualifying complaints; the default policy."""

_MOORLANDS_PAGE: Final = Source(
    "Staffordshire Moorlands District Council, 'Anti-Social Behaviour Case Review' "
    "(staffsmoorlands.gov.uk, last modified 13 September 2024)"
)

STAFFORDSHIRE_MOORLANDS: Final = Policy(
    "staffordshire-moorlands",
    title="Staffordshire Moorlands District Council",
    version="2024-09-13",
    effective_from=dt.date(2024, 9, 13),
    source=_MOORLANDS_PAGE,
    local=(
        rule(
            "personal",
            count(3, unit=CountUnit.INCIDENTS, selection=last_months(6, who=Who.VICTIM)),
            label=(
                "you have reported three or more related incidents of antisocial behaviour, "
                "within the last six months"
            ),
            source=_MOORLANDS_PAGE,
        ),
        rule(
            "community",
            count(5, unit=CountUnit.REPORTERS, selection=last_months(6)),
            label=(
                "five separate individuals have reported related incidents of antisocial "
                "behaviour, within the last six months"
            ),
            source=_MOORLANDS_PAGE,
        ),
    ),
)
"""The seed area's published policy (applications via Staffordshire Police, 101)."""

_MERSEYSIDE_PAGE: Final = Source("Victim Care Merseyside, 'ASB Case Review' (victimcaremerseyside.org)")

MERSEYSIDE: Final = Policy(
    "merseyside",
    title="Merseyside",
    version="2024-01-01",
    effective_from=dt.date(2024, 1, 1),
    source=_MERSEYSIDE_PAGE,
    local=(
        rule(
            "personal",
            count(3, unit=CountUnit.INCIDENTS, selection=last_months(6, who=Who.VICTIM)),
            label="you have complained three times about separate incidents in the last six months",
            source=_MERSEYSIDE_PAGE,
        ),
        rule(
            "community",
            count(5, unit=CountUnit.REPORTERS, selection=last_months(6)),
            label=(
                "five individuals in the local community have complained separately about "
                "similar incidents in the last six months"
            ),
            source=_MERSEYSIDE_PAGE,
        ),
        rule(
            "hate",
            count(1, unit=CountUnit.INCIDENTS, selection=last_months(6, who=Who.VICTIM, hate_only=True)),
            label="you have complained once about an incident or crime motivated by hate",
            source=_MERSEYSIDE_PAGE,
        ),
    ),
)
"""Merseyside: the three-incident and five-individual rules, and one hate incident."""


CATALOGUE: Final[Mapping[str, Policy]] = MappingProxyType(
    {p.id: p for p in (STATUTORY, STAFFORDSHIRE_MOORLANDS, MERSEYSIDE)}
)
"""The built-in policies by id; immutable."""


def get_policy(name: str) -> Policy:
    """The built-in policy called *name*.

    >>> get_policy("statutory").threshold
    3
    """
    try:
        return CATALOGUE[name]
    except KeyError:
        known = ", ".join(sorted(CATALOGUE))
        raise InvalidPolicy("policy", name, f"is not a built-in policy; known: {known}") from None
