"""Decide whether an application for an ASB Case Review meets the threshold, and explain why.

The Anti-social Behaviour, Crime and Policing Act 2014, s.104, gives a person
who has complained about anti-social behaviour the right to ask the relevant
bodies to review their response (the "ASB Case Review", once the "Community
Trigger").  This library encodes the statutory threshold, the way English law
counts months, and the local thresholds areas publish, as immutable values and
composable rules with no I/O, no clock and no global state.

>>> from asb_case_review import STATUTORY, evaluate
>>> from asb_case_review.examples import example_application
>>> decision = evaluate(example_application(), STATUTORY)
>>> decision.outcome, decision.matched, decision.met_until
(<Outcome.MET: 'met'>, ('s104-4',), datetime.date(2026, 2, 28))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .cases import load_cases, run_cases
from .catalogue import get_policy
from .conformance import Finding, Severity, check
from .dates import Arithmetic, Period, Span, days, last_day, london_day, months
from .decision import Decision, Notice, NoticeCode, Route, Shortfall, evaluate
from .errors import (
    CaseReviewError,
    InvalidInput,
    InvalidPolicy,
    InvalidPolicyFile,
    NaiveDatetime,
    ReportBeforeIncident,
)
from .models import Agency, Application, Fact, Incident, Report
from .parsing import application_from_mapping
from .policy import Appeal, Area, Policy, Timescales, last_months, statutory_route
from .policyfile import dump, load_area, load_policy
from .qualifying import Anchor, BehaviourDay, DateOf, Fate, Lag, LagScope, Reason, Selection, Who, Window
from .render import for_applicant, for_officer, to_dict
from .rules import (
    Context,
    CountUnit,
    Outcome,
    Predicate,
    Result,
    Rule,
    Source,
    Tally,
    all_of,
    any_of,
    consent,
    count,
    fact,
    not_,
    recency,
    rule,
)

__version__ = "0.1.0"

# The built-in catalogue is read the first time one of these is used (see asb_case_review.catalogue).
AREAS: Mapping[str, Area]
CATALOGUE: Mapping[str, Policy]
STATUTORY: Policy
STAFFORDSHIRE_MOORLANDS: Policy
MERSEYSIDE: Policy
_FROM_CATALOGUE: Final = frozenset(
    {"AREAS", "CATALOGUE", "STATUTORY", "STAFFORDSHIRE_MOORLANDS", "MERSEYSIDE"}
)


def __getattr__(name: str) -> object:
    if name in _FROM_CATALOGUE:
        from . import catalogue  # noqa: PLC0415 (the package is light; its files are read on first use)

        return getattr(catalogue, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AREAS",
    "CATALOGUE",
    "MERSEYSIDE",
    "STAFFORDSHIRE_MOORLANDS",
    "STATUTORY",
    "Agency",
    "Anchor",
    "Appeal",
    "Application",
    "Area",
    "Arithmetic",
    "BehaviourDay",
    "CaseReviewError",
    "Context",
    "CountUnit",
    "DateOf",
    "Decision",
    "Fact",
    "Fate",
    "Finding",
    "Incident",
    "InvalidInput",
    "InvalidPolicy",
    "InvalidPolicyFile",
    "Lag",
    "LagScope",
    "NaiveDatetime",
    "Notice",
    "NoticeCode",
    "Outcome",
    "Period",
    "Policy",
    "Predicate",
    "Reason",
    "Report",
    "ReportBeforeIncident",
    "Result",
    "Route",
    "Rule",
    "Selection",
    "Severity",
    "Shortfall",
    "Source",
    "Span",
    "Tally",
    "Timescales",
    "Who",
    "Window",
    "__version__",
    "all_of",
    "any_of",
    "application_from_mapping",
    "check",
    "consent",
    "count",
    "days",
    "dump",
    "evaluate",
    "fact",
    "for_applicant",
    "for_officer",
    "get_policy",
    "last_day",
    "last_months",
    "load_area",
    "load_cases",
    "load_policy",
    "london_day",
    "months",
    "not_",
    "recency",
    "rule",
    "run_cases",
    "statutory_route",
    "to_dict",
]
