"""Hypothesis strategies for the models, shared by the property tests.

The strategies lean towards the places where date arithmetic and counting go
wrong: month ends, 29 February, reports made the same day as the behaviour or
months later, the same incident reported twice or to several agencies, and
timestamps near London midnight and either clock change.  Generated data stays
small (a handful of incidents and reports) so that each example evaluates fast.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from collections.abc import Sequence

from dateutil.relativedelta import SU, relativedelta
from hypothesis import strategies as st

from asb_case_review.dates import Arithmetic, Span, days, months
from asb_case_review.models import Agency, Application, Fact, Incident, Report
from asb_case_review.policy import Policy, statutory_route
from asb_case_review.qualifying import Anchor, BehaviourDay, DateOf, Lag, LagScope, Selection, Who, Window
from asb_case_review.rules import (
    CountUnit,
    Predicate,
    all_of,
    any_of,
    consent,
    count,
    fact,
    not_,
    recency,
    rule,
)

__all__ = [
    "LONDON",
    "MATTER",
    "applications",
    "aware_datetimes",
    "count_leaves",
    "dates",
    "engine_policies",
    "fresh_report",
    "london_instants",
    "month_counts",
    "pure_selections",
    "selections",
    "spans",
    "trees",
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
"""The independent reference for London days: the standard library's zoneinfo."""

MATTER = "M"
"""The matter every generated application is about."""

EARLIEST = dt.date(1800, 1, 1)
LATEST = dt.date(2400, 12, 31)
_ONE_DAY = dt.timedelta(days=1)


@st.composite
def _near_month_end(draw: st.DrawFn, min_value: dt.date, max_value: dt.date) -> dt.date:
    """A day within three days of a month's end, or its first day."""
    year = draw(st.integers(min_value.year, max_value.year))
    month = draw(st.integers(1, 12))
    length = calendar.monthrange(year, month)[1]
    day = draw(st.sampled_from([1, length - 3, length - 2, length - 1, length]))
    return min(max(dt.date(year, month, day), min_value), max_value)


@st.composite
def _leap_day_or_neighbour(draw: st.DrawFn, min_value: dt.date, max_value: dt.date) -> dt.date:
    """29 February of a leap year, or a day beside it."""
    years = [y for y in range(min_value.year, max_value.year + 1) if calendar.isleap(y)]
    if not years:
        return draw(st.dates(min_value, max_value))
    leap = dt.date(draw(st.sampled_from(years)), 2, 29) + draw(st.integers(-1, 1)) * _ONE_DAY
    return min(max(leap, min_value), max_value)


def dates(min_value: dt.date = EARLIEST, max_value: dt.date = LATEST) -> st.SearchStrategy[dt.date]:
    """Calendar days, biased towards month ends and 29 February, across a wide range of years."""
    return st.one_of(
        st.dates(min_value, max_value),
        _near_month_end(min_value, max_value),
        _leap_day_or_neighbour(min_value, max_value),
    )


def month_counts(max_value: int = 120) -> st.SearchStrategy[int]:
    """Whole numbers of months: mostly the law's own (1 and 6), sometimes many years."""
    return st.one_of(st.sampled_from([1, 6, 12]), st.integers(1, 24), st.integers(1, max_value))


def spans() -> st.SearchStrategy[Span]:
    """Window and lag lengths in calendar months or days."""
    return st.one_of(
        st.builds(months, st.sampled_from([1, 3, 6, 12])),
        st.builds(days, st.sampled_from([1, 7, 30, 31, 180, 183])),
    )


def _day_offsets() -> st.SearchStrategy[int]:
    """Lags in days: the same day, a few days, about a month, or months."""
    return st.one_of(st.integers(0, 2), st.integers(25, 35), st.integers(0, 200))


_DAY = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
_REPORTERS = ("P1", "P2", "P3", "P4", "P5", "P6")
_KINDS = ("complaint", "diary_sheet")

# Strategies built once: building them inside every draw costs more than drawing from them.
_BASE = st.one_of(_DAY, _near_month_end(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
_OFFSETS = _day_offsets()
_BEGAN = st.integers(0, 240)
_LASTED = st.one_of(st.none(), st.integers(0, 60))
_MATTERS = st.sampled_from([MATTER, MATTER, MATTER, "OTHER"])
_HOUSEHOLD = st.one_of(st.none(), st.sampled_from(["H1", "H2", "H3", "H4"]))
_AGENCY = st.sampled_from(Agency)
_AGENCIES = st.lists(_AGENCY, min_size=2, max_size=3, unique=True)
_ONE_IN_FOUR = st.integers(0, 3)
_KIND = st.sampled_from(_KINDS)
_REPORTER = st.sampled_from(_REPORTERS)
_APPLICANT = st.sampled_from(_REPORTERS[:3])
_ON_BEHALF_OF = st.one_of(st.none(), st.sampled_from(_REPORTERS[:2]))
_CONSENT = st.one_of(st.none(), st.booleans())
_FACTS = st.dictionaries(st.sampled_from(Fact), st.booleans(), max_size=3)
_APPLIED_AFTER = st.one_of(st.integers(-30, 5), st.integers(0, 250))


@st.composite
def _incident(draw: st.DrawFn, index: int, base: dt.date) -> Incident:
    began = base + dt.timedelta(days=draw(_BEGAN))
    lasted = draw(_LASTED)
    return Incident(
        f"I{index}",
        matter=draw(_MATTERS),
        began_on=began,
        ended_on=None if lasted is None else began + dt.timedelta(days=lasted),
        hate=draw(st.booleans()),
    )


@st.composite
def applications(draw: st.DrawFn, *, max_reports: int = 8) -> Application:
    """An application with a few incidents and reports, some duplicated to several agencies.

    Reporters have a household that is sometimes not recorded; reports are
    made from the same day as the behaviour to months later; the application
    is made some time after the latest report, or before some of them.
    """
    base = draw(_BASE)
    incidents = [draw(_incident(i, base)) for i in range(draw(st.integers(1, 4)))]
    households = {person: draw(_HOUSEHOLD) for person in _REPORTERS}
    reports: list[Report] = []
    for index in range(draw(st.integers(0, max_reports))):
        incident = incidents[draw(st.integers(0, len(incidents) - 1))]
        reporter = draw(_REPORTER)
        made = incident.began_on + dt.timedelta(days=draw(_OFFSETS))
        agencies: Sequence[Agency] = [draw(_AGENCY)]
        if draw(_ONE_IN_FOUR) == 0:
            # The same incident reported by the same person to several agencies.
            agencies = draw(_AGENCIES)
        for number, agency in enumerate(agencies):
            reports.append(
                Report(
                    f"R{index}" if number == 0 else f"R{index}-{agency.value}",
                    reporter=reporter,
                    made_on=made + dt.timedelta(days=draw(_ONE_IN_FOUR) if number else 0),
                    incident=incident,
                    agency=agency,
                    kind=draw(_KIND),
                    household=households[reporter],
                )
            )
    latest = max((r.made_on for r in reports), default=base)
    made_on = latest + dt.timedelta(days=draw(_APPLIED_AFTER))
    applicant = draw(_APPLICANT)
    on_behalf_of = draw(_ON_BEHALF_OF)
    facts = draw(_FACTS)
    return Application(
        "A",
        applicant=applicant,
        made_on=made_on,
        matter=MATTER,
        reports=reports,
        on_behalf_of=on_behalf_of,
        consent=draw(_CONSENT),
        facts=facts,
    )


@st.composite
def fresh_report(draw: st.DrawFn, application: Application, made_on: dt.date, number: int = 0) -> Report:
    """A new report about a new related incident on *made_on*, by someone not yet reporting."""
    incident = Incident(
        f"FRESH-I{number}",
        matter=application.matter,
        began_on=made_on,
        hate=draw(st.booleans()),
    )
    return Report(
        f"FRESH-R{number}",
        reporter=f"FRESH-P{number}",
        household=f"FRESH-H{number}",
        made_on=made_on,
        incident=incident,
        agency=draw(_AGENCY),
    )


def _windows(anchors: Sequence[Anchor]) -> st.SearchStrategy[Window]:
    return st.builds(
        Window,
        spans(),
        anchor=st.sampled_from(anchors),
        date_of=st.sampled_from(DateOf),
        arithmetic=st.sampled_from(Arithmetic),
    )


def _lags(scopes: Sequence[LagScope]) -> st.SearchStrategy[Lag | None]:
    return st.one_of(
        st.none(),
        st.builds(Lag, spans(), applies_to=st.sampled_from(scopes), arithmetic=st.sampled_from(Arithmetic)),
    )


def _selections(anchors: Sequence[Anchor], scopes: Sequence[LagScope]) -> st.SearchStrategy[Selection]:
    return st.builds(
        Selection,
        who=st.sampled_from(Who),
        window=_windows(anchors),
        lag=_lags(scopes),
        hate_only=st.booleans(),
        exclude_kinds=st.sampled_from([frozenset(), frozenset({"diary_sheet"})]),
        agencies=st.sampled_from([frozenset(), frozenset({Agency.COUNCIL, Agency.POLICE})]),
    )


def selections() -> st.SearchStrategy[Selection]:
    """Any selection the library offers."""
    return _selections(list(Anchor), list(LagScope))


def pure_selections() -> st.SearchStrategy[Selection]:
    """Selections whose tests look at each report on its own.

    The window is counted from each report (or back from the application)
    and every report is held to the lag, so whether one report is inside does
    not depend on which other reports exist.
    """
    return _selections([Anchor.EACH_REPORT, Anchor.APPLICATION], [LagScope.EVERY])


def count_leaves(
    units: Sequence[CountUnit] = tuple(CountUnit),
    selection: st.SearchStrategy[Selection] | None = None,
) -> st.SearchStrategy[Predicate]:
    """Count predicates for small numbers."""
    return st.builds(
        count,
        st.integers(1, 4),
        unit=st.sampled_from(units),
        selection=selection if selection is not None else selections(),
    )


def _fact_leaves() -> st.SearchStrategy[Predicate]:
    return st.builds(fact, st.sampled_from(Fact), expected=st.booleans())


def trees(leaves: st.SearchStrategy[Predicate] | None = None) -> st.SearchStrategy[Predicate]:
    """Random predicate trees of fact and count leaves under all_of, any_of and not_."""
    base = leaves if leaves is not None else st.one_of(_fact_leaves(), count_leaves())

    def extend(children: st.SearchStrategy[Predicate]) -> st.SearchStrategy[Predicate]:
        parts = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            parts.map(lambda ps: all_of(*ps)),
            parts.map(lambda ps: any_of(*ps)),
            children.map(not_),
        )

    return st.recursive(base, extend, max_leaves=5)


def _last_sunday(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1]) + relativedelta(weekday=SU(-1))


@st.composite
def london_instants(draw: st.DrawFn) -> dt.datetime:
    """A UTC instant within three hours of London midnight or of a clock change (01:00 UTC)."""
    year = draw(st.integers(1975, 2100))
    if draw(st.booleans()):
        change = _last_sunday(year, draw(st.sampled_from([3, 10])))
        centre = dt.datetime(change.year, change.month, change.day, 1, tzinfo=dt.UTC)
    else:
        day = draw(st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        centre = dt.datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(dt.UTC)
    return centre + dt.timedelta(minutes=draw(st.integers(-180, 180)), seconds=draw(st.integers(-1, 1)))


_ZONES = st.one_of(
    st.just(dt.UTC),
    st.just(LONDON),
    st.builds(lambda m: dt.timezone(dt.timedelta(minutes=m)), st.integers(-14 * 60 + 1, 14 * 60 - 1)),
    st.timezones(),
)


@st.composite
def aware_datetimes(draw: st.DrawFn) -> dt.datetime:
    """Aware datetimes in many zones: near London midnights and clock changes, or anywhere."""
    instant = draw(
        st.one_of(
            london_instants(),
            st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2400, 12, 30), timezones=st.just(dt.UTC)),
        )
    )
    return instant.astimezone(draw(_ZONES))


# ------------------------------------------------------------------ policies for the engines

# Spans that matter over the report tables of tests/analysis_strategies.py (about ten months).
_TABLE_SPANS = st.one_of(st.builds(months, st.integers(1, 8)), st.builds(days, st.integers(1, 240)))
_LAG_SPANS = st.one_of(st.builds(months, st.integers(1, 2)), st.builds(days, st.integers(1, 45)))
# The anchors and lag scopes every engine computes come up more often than the ones some refuse.
_ANCHORS = st.sampled_from([Anchor.EACH_REPORT, Anchor.APPLICATION, *Anchor])
_SCOPES = st.sampled_from([LagScope.EVERY, *LagScope])


def engine_selections() -> st.SearchStrategy[Selection]:
    """Any selection, every setting drawn from its whole vocabulary."""
    return st.builds(
        Selection,
        who=st.sampled_from(Who),
        window=st.builds(
            Window,
            _TABLE_SPANS,
            anchor=_ANCHORS,
            date_of=st.sampled_from(DateOf),
            arithmetic=st.sampled_from(Arithmetic),
        ),
        lag=st.none()
        | st.builds(Lag, _LAG_SPANS, applies_to=_SCOPES, arithmetic=st.sampled_from(Arithmetic)),
        hate_only=st.booleans(),
        exclude_kinds=st.sampled_from([frozenset(), frozenset({"diary_sheet"})]),
        agencies=st.sampled_from(
            [frozenset(), frozenset({Agency.COUNCIL, Agency.POLICE}), frozenset({Agency.LANDLORD})]
        ),
        behaviour_day=st.sampled_from(BehaviourDay),
    )


def engine_trees() -> st.SearchStrategy[Predicate]:
    """Every leaf kind (count of every unit, recency, fact, consent) under all_of, any_of and not_."""
    leaves = st.one_of(
        st.builds(count, st.integers(1, 3), unit=st.sampled_from(CountUnit), selection=engine_selections()),
        st.builds(recency, _TABLE_SPANS, date_of=st.sampled_from(DateOf), selection=engine_selections()),
        st.builds(fact, st.sampled_from(Fact), expected=st.booleans()),
        st.just(consent()),
    )

    def extend(children: st.SearchStrategy[Predicate]) -> st.SearchStrategy[Predicate]:
        parts = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            parts.map(lambda ps: all_of(*ps)),
            parts.map(lambda ps: any_of(*ps)),
            children.map(not_),
        )

    return st.recursive(leaves, extend, max_leaves=4)


@st.composite
def engine_policies(draw: st.DrawFn) -> Policy:
    """Policies of generated rules: a mandatory route (the statute's or any tree), local rules, conditions."""
    own = rule("mandatory", draw(engine_trees()), label="the mandatory route as generated")
    mandatory = draw(st.sampled_from([own, statutory_route(draw(st.integers(1, 4)))]))
    local = draw(st.lists(engine_trees(), max_size=2))
    conditions = draw(st.lists(engine_trees(), max_size=2))
    return Policy(
        "generated",
        title="a generated policy",
        version="1",
        effective_from=dt.date(2014, 10, 20),
        mandatory=mandatory,
        local=tuple(rule(f"local-{i}", p, label=f"local rule {i}") for i, p in enumerate(local)),
        conditions=tuple(rule(f"condition-{i}", p, label=f"condition {i}") for i, p in enumerate(conditions)),
    )
