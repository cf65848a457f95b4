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

import importlib
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .cases import load_cases, run_cases
    from .catalogue import AREAS, CATALOGUE, MERSEYSIDE, STAFFORDSHIRE_MOORLANDS, STATUTORY, get_policy
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

# Names are imported from their modules the first time they are used (PEP 562), so that importing
# this package imports none of its submodules.  A package that imported its submodules here would
# hold its own import lock while doing so, and a thread importing one of those submodules directly
# (which first takes that submodule's lock, then waits for the package) could deadlock with it.
_LAZY: Final = {
    "AREAS": "catalogue",
    "Agency": "models",
    "Anchor": "qualifying",
    "Appeal": "policy",
    "Application": "models",
    "Area": "policy",
    "Arithmetic": "dates",
    "BehaviourDay": "qualifying",
    "CATALOGUE": "catalogue",
    "CaseReviewError": "errors",
    "Context": "rules",
    "CountUnit": "rules",
    "DateOf": "qualifying",
    "Decision": "decision",
    "Fact": "models",
    "Fate": "qualifying",
    "Finding": "conformance",
    "Incident": "models",
    "InvalidInput": "errors",
    "InvalidPolicy": "errors",
    "InvalidPolicyFile": "errors",
    "Lag": "qualifying",
    "LagScope": "qualifying",
    "MERSEYSIDE": "catalogue",
    "NaiveDatetime": "errors",
    "Notice": "decision",
    "NoticeCode": "decision",
    "Outcome": "rules",
    "Period": "dates",
    "Policy": "policy",
    "Predicate": "rules",
    "Reason": "qualifying",
    "Report": "models",
    "ReportBeforeIncident": "errors",
    "Result": "rules",
    "Route": "decision",
    "Rule": "rules",
    "STAFFORDSHIRE_MOORLANDS": "catalogue",
    "STATUTORY": "catalogue",
    "Selection": "qualifying",
    "Severity": "conformance",
    "Shortfall": "decision",
    "Source": "rules",
    "Span": "dates",
    "Tally": "rules",
    "Timescales": "policy",
    "Who": "qualifying",
    "Window": "qualifying",
    "all_of": "rules",
    "any_of": "rules",
    "application_from_mapping": "parsing",
    "check": "conformance",
    "consent": "rules",
    "count": "rules",
    "days": "dates",
    "dump": "policyfile",
    "evaluate": "decision",
    "fact": "rules",
    "for_applicant": "render",
    "for_officer": "render",
    "get_policy": "catalogue",
    "last_day": "dates",
    "last_months": "policy",
    "load_area": "policyfile",
    "load_cases": "cases",
    "load_policy": "policyfile",
    "london_day": "dates",
    "months": "dates",
    "not_": "rules",
    "recency": "rules",
    "rule": "rules",
    "run_cases": "cases",
    "statutory_route": "policy",
    "to_dict": "render",
}


# The same few lines stand in each of the library's packages on purpose: a shared helper would be
# a submodule the package imports while being imported, which is what these lines avoid.
def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # what `from module import name` would have bound; the same object
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
