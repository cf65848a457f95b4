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
import string
import zoneinfo
from collections.abc import Sequence
from typing import Any, Final

from dateutil.relativedelta import SU, relativedelta
from hypothesis import strategies as st

from asb_case_review.analysis.table import ReportTable, reports_from_records
from asb_case_review.dates import Arithmetic, Span, TimeUnit, days, months
from asb_case_review.models import Agency, Application, Fact, Incident, Report
from asb_case_review.policy import Appeal, Body, Policy, Region, Timescales, last_months, statutory_route
from asb_case_review.qualifying import Anchor, BehaviourDay, DateOf, Lag, LagScope, Selection, Who, Window
from asb_case_review.rules import (
    AllOf,
    AnyOf,
    Consent,
    Count,
    CountUnit,
    FactIs,
    Not,
    Predicate,
    Recency,
    Rule,
    Source,
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
    "VARIANTS",
    "applications",
    "aware_datetimes",
    "count_leaves",
    "dates",
    "engine_policies",
    "fresh_report",
    "london_instants",
    "month_counts",
    "policies",
    "pure_selections",
    "selections",
    "spans",
    "table_days",
    "tables",
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


def engine_selections(
    anchors: st.SearchStrategy[Anchor] = _ANCHORS, scopes: st.SearchStrategy[LagScope] = _SCOPES
) -> st.SearchStrategy[Selection]:
    """Any selection, every setting drawn from its whole vocabulary (or the *anchors* and *scopes* given)."""
    return st.builds(
        Selection,
        who=st.sampled_from(Who),
        window=st.builds(
            Window,
            _TABLE_SPANS,
            anchor=anchors,
            date_of=st.sampled_from(DateOf),
            arithmetic=st.sampled_from(Arithmetic),
        ),
        lag=st.none() | st.builds(Lag, _LAG_SPANS, applies_to=scopes, arithmetic=st.sampled_from(Arithmetic)),
        hate_only=st.booleans(),
        exclude_kinds=st.sampled_from([frozenset(), frozenset({"diary_sheet"})]),
        agencies=st.sampled_from(
            [frozenset(), frozenset({Agency.COUNCIL, Agency.POLICE}), frozenset({Agency.LANDLORD})]
        ),
        behaviour_day=st.sampled_from(BehaviourDay),
    )


def engine_trees(
    units: Sequence[CountUnit] = tuple(CountUnit),
    selections: st.SearchStrategy[Selection] | None = None,
) -> st.SearchStrategy[Predicate]:
    """Every leaf kind (count of every unit, recency, fact, consent) under all_of, any_of and not_.

    *units* and *selections* narrow the counts to a vocabulary an engine computes.
    """
    chosen = engine_selections() if selections is None else selections
    leaves = st.one_of(
        st.builds(count, st.integers(1, 3), unit=st.sampled_from(units), selection=chosen),
        st.builds(recency, _TABLE_SPANS, date_of=st.sampled_from(DateOf), selection=chosen),
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
def engine_policies(draw: st.DrawFn, trees: st.SearchStrategy[Predicate] | None = None) -> Policy:
    """Policies of generated rules: a mandatory route (the statute's or any tree), local rules, conditions.

    *trees* (default :func:`engine_trees`) draws each rule.
    """
    drawn = engine_trees() if trees is None else trees
    own = rule("mandatory", draw(drawn), label="the mandatory route as generated")
    mandatory = draw(st.sampled_from([own, statutory_route(draw(st.integers(1, 4)))]))
    local = draw(st.lists(drawn, max_size=2))
    conditions = draw(st.lists(drawn, max_size=2))
    return Policy(
        "generated",
        title="a generated policy",
        version="1",
        effective_from=dt.date(2014, 10, 20),
        mandatory=mandatory,
        local=tuple(rule(f"local-{i}", p, label=f"local rule {i}") for i, p in enumerate(local)),
        conditions=tuple(rule(f"condition-{i}", p, label=f"condition {i}") for i, p in enumerate(conditions)),
    )


NUMPY_UNITS: Final = (
    CountUnit.REPORTS,
    CountUnit.COMPLAINTS,
    CountUnit.INCIDENTS,
    CountUnit.REPORTERS,
)
"""The units the numpy engine counts (units of equal report values that are never missing)."""


def numpy_trees() -> st.SearchStrategy[Predicate]:
    """Rules in the numpy engine's vocabulary: windows fixed by the first report or placed by the
    latest incident, and a lag binding only the first report counted, drawn as often as the
    statute's (with every window but the latest incident's, which the engine refuses with it)."""
    selections = engine_selections(
        st.sampled_from([Anchor.EACH_REPORT, Anchor.APPLICATION, Anchor.FIRST_REPORT_AND_APPLICATION]),
        st.sampled_from(LagScope),
    ) | engine_selections(st.just(Anchor.LATEST_INCIDENT), st.just(LagScope.EVERY))
    return engine_trees(NUMPY_UNITS, selections)


# ------------------------------------------------------- policy files (any policy the format holds)

# Any printable text a policy officer might type, quotes, backslashes and accents included.
file_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('"\\\n\t\x7f'),
    min_size=1,
    max_size=12,
).filter(str.strip)
file_words = st.text(alphabet=string.ascii_lowercase + "_-", min_size=1, max_size=8)

file_spans = st.builds(Span, st.integers(1, 12), st.sampled_from(TimeUnit))
file_windows = st.builds(
    Window,
    file_spans,
    anchor=st.sampled_from(Anchor),
    date_of=st.sampled_from(DateOf),
    arithmetic=st.sampled_from(Arithmetic),
)
file_lags = st.none() | st.builds(
    Lag, file_spans, applies_to=st.sampled_from(LagScope), arithmetic=st.sampled_from(Arithmetic)
)
file_selections = st.builds(
    Selection,
    who=st.sampled_from(Who),
    window=file_windows,
    lag=file_lags,
    hate_only=st.booleans(),
    exclude_kinds=st.frozensets(file_words, max_size=2),
    agencies=st.frozensets(st.sampled_from(Agency), max_size=2),
    behaviour_day=st.sampled_from(BehaviourDay),
)
file_sources = st.builds(
    Source,
    file_text,
    section=st.none() | file_text,
    url=st.none() | file_text,
    read_on=st.none() | st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31)),
    modified=st.none() | file_text,
)

file_leaves: st.SearchStrategy[Predicate] = st.one_of(
    st.builds(Count, st.integers(1, 6), unit=st.sampled_from(CountUnit), selection=file_selections),
    st.builds(Recency, file_spans, date_of=st.sampled_from(DateOf), selection=file_selections),
    st.builds(FactIs, st.sampled_from(Fact), expected=st.booleans()),
    st.just(Consent()),
)


def _file_rules_over(inner: st.SearchStrategy[Predicate]) -> st.SearchStrategy[Rule]:
    return st.builds(Rule, file_words, inner, label=file_text, source=st.none() | file_sources)


file_predicates: st.SearchStrategy[Predicate] = st.recursive(
    file_leaves,
    lambda parts: st.one_of(
        st.builds(AllOf, st.lists(parts, min_size=1, max_size=3).map(tuple)),
        st.builds(AnyOf, st.lists(parts, min_size=1, max_size=3).map(tuple)),
        st.builds(Not, parts),
        _file_rules_over(parts),
    ),
    max_leaves=4,
)
file_days = st.dates(dt.date(2014, 10, 20), dt.date(2030, 12, 31))


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Any policy the file format must be able to hold."""
    ids = draw(st.lists(file_words, min_size=1, max_size=4, unique=True))
    tops = [draw(_file_rules_over(file_predicates)) for _ in ids]
    tops = [
        Rule(ident, r.predicate, label=r.label, source=r.source) for ident, r in zip(ids, tops, strict=True)
    ]
    mandatory = draw(st.sampled_from([statutory_route(draw(st.integers(1, 5))), tops[0]]))
    rest = tops[1:] if mandatory is tops[0] else tops
    split = draw(st.integers(0, len(rest)))
    start = draw(file_days)
    end = draw(st.none() | st.dates(start, dt.date(2031, 12, 31)))
    timescales = draw(
        st.builds(
            Timescales,
            acknowledge=st.none() | st.integers(1, 30),
            decide=st.none() | st.integers(1, 30),
            appeal=st.none() | st.integers(1, 30),
        )
    )
    return Policy(
        draw(file_words),
        title=draw(file_text),
        version=draw(file_text),
        effective_from=start,
        effective_to=end,
        mandatory=mandatory,
        local=tuple(rest[:split]),
        conditions=tuple(rest[split:]),
        source=draw(st.none() | file_sources),
        related_by=draw(file_text),
        appeal=draw(st.none() | st.builds(Appeal, file_text, source=st.none() | file_sources)),
        timescales=timescales,
        region=draw(st.none() | st.sampled_from(Region)),
        body=draw(st.none() | st.sampled_from(Body)),
        notes=(notes := draw(st.none() | file_text)),
        effective_from_assumed=notes is not None and draw(st.booleans()),
    )


# ------------------------------------------------------------------ report tables for the sweeps

START = dt.date(2023, 12, 20)
# Days near month ends and the 2024 leap day are where calendar-month arithmetic goes wrong.
HOT = [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 31), dt.date(2024, 8, 31),
       dt.date(2024, 7, 30), dt.date(2024, 8, 29), dt.date(2024, 9, 1)]  # fmt: skip


def table_days() -> st.SearchStrategy[dt.date]:
    offsets = st.integers(0, 300).map(lambda n: START + dt.timedelta(days=n))
    return st.one_of(offsets, st.sampled_from(HOT))


@st.composite
def report_rows(draw: st.DrawFn, max_reports: int = 14) -> list[dict[str, Any]]:
    count = draw(st.integers(1, max_reports))
    incidents: dict[str, dict[str, Any]] = {}
    rows = []
    for n in range(count):
        made = draw(table_days())
        incident = draw(st.sampled_from([f"I{n}", "I-a", "I-b"]))
        matter = draw(st.sampled_from(["M1", "M1", "M2"]))
        known = incidents.get(incident)
        if known is None or known["began_on"] > made:
            lag = draw(st.sampled_from([0, 1, 3, 20, 29, 30, 31, 40, 70]))
            began = made - dt.timedelta(days=lag)
            length = draw(st.one_of(st.none(), st.integers(0, 60)))
            ended = None if length is None else began + dt.timedelta(days=length)
            known = {"matter": matter, "began_on": began, "ended_on": ended, "hate": draw(st.booleans())}
            if incident in incidents:
                incident = f"I{n}"
            incidents[incident] = known
        rows.append(
            {
                "id": f"R{n}",
                "reporter": draw(st.sampled_from(["P1", "P2", "P3", "P4", "P5", "P6"])),
                "incident": incident,
                "made_on": made,
                "agency": draw(st.sampled_from(["council", "police", "landlord"])),
                "kind": draw(st.sampled_from(["complaint", "complaint", "diary_sheet"])),
                **known,
            }
        )
    return rows


def tables(max_reports: int = 14) -> st.SearchStrategy[ReportTable]:
    return report_rows(max_reports).map(reports_from_records)


def _variants() -> dict[str, Policy]:
    victim_mandatory = Policy(
        "victim-three",
        title="Three of your own reports as the mandatory rule (stricter than the statute)",
        version="test",
        effective_from=dt.date(2014, 10, 20),
        mandatory=rule(
            "own-three",
            count(3, unit=CountUnit.INCIDENTS, selection=last_months(6, who=Who.VICTIM, lag=days(7))),
            label="three incidents reported by you within 7 days",
        ),
        local=(
            rule(
                "council-only",
                count(
                    4,
                    unit=CountUnit.REPORTS,
                    selection=Selection(
                        agencies=["council"],
                        exclude_kinds=["diary_sheet"],
                        window=Window(months(6), arithmetic=Arithmetic.INCLUSIVE),
                        lag=Lag(days(30), arithmetic=Arithmetic.INCLUSIVE),
                        behaviour_day=BehaviourDay.FIRST_DAY,
                    ),
                ),
                label="four reports to the council in six months, inclusive arithmetic",
            ),
        ),
    )
    two = Policy(
        "two",
        title="Two qualifying complaints",
        version="test",
        effective_from=dt.date(2014, 10, 20),
        mandatory=statutory_route(2),
        local=(
            rule(
                "incidents-by-behaviour-day",
                count(
                    2,
                    unit=CountUnit.INCIDENTS,
                    selection=Selection(window=Window(months(2), date_of=DateOf.INCIDENT)),
                ),
                label="two incidents whose behaviour falls in the last two months",
            ),
            rule(
                "hate-reporters",
                count(1, unit=CountUnit.REPORTERS, selection=last_months(3, hate_only=True)),
                label="one hate incident in three months",
            ),
        ),
    )
    return {p.id: p for p in (victim_mandatory, two)}


VARIANTS = _variants()
"""Policies beyond the catalogue that exercise every rule setting the sweeps compute directly."""
