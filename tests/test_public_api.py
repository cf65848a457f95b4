"""The public surface is pinned: a change to it must be deliberate."""

from __future__ import annotations

import importlib

import pytest

import asb_case_review

PUBLIC = {
    "CATALOGUE", "MERSEYSIDE", "STAFFORDSHIRE_MOORLANDS", "STATUTORY", "Agency", "Anchor", "Application",
    "Arithmetic", "BehaviourDay", "CaseReviewError", "Context", "CountUnit", "DateOf", "Decision", "Fact",
    "Fate", "Incident", "InvalidInput", "InvalidPolicy", "Lag", "LagScope", "NaiveDatetime", "Notice",
    "NoticeCode", "Outcome", "Period", "Policy", "Predicate", "Reason", "Report", "ReportBeforeIncident",
    "Result", "Route", "Rule", "Selection", "Shortfall", "Source", "Span", "Tally", "Who", "Window",
    "__version__", "all_of", "any_of", "application_from_mapping", "consent", "count", "days", "evaluate",
    "fact", "for_applicant", "for_officer", "get_policy", "last_day", "last_months", "london_day", "months",
    "not_", "recency", "rule", "statutory_route", "to_dict",
    # Policies as data: files, dated versions, conformance and test cases.
    "AREAS", "Appeal", "Area", "Finding", "InvalidPolicyFile", "Severity", "Timescales", "check", "dump",
    "load_area", "load_cases", "load_policy", "run_cases",
}  # fmt: skip

MODULES = [
    "cases",
    "conformance",
    "dates",
    "decision",
    "errors",
    "models",
    "parsing",
    "policy",
    "policyfile",
    "qualifying",
    "render",
    "rules",
]


def test_public_names_are_pinned() -> None:
    """The package exports exactly the pinned names."""
    assert set(asb_case_review.__all__) == PUBLIC


def test_every_public_name_exists() -> None:
    """Every name in __all__ is importable from the package."""
    for name in asb_case_review.__all__:
        assert hasattr(asb_case_review, name), name


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_its_public_names(name: str) -> None:
    """Each public module has an __all__ whose names all exist."""
    module = importlib.import_module(f"asb_case_review.{name}")
    assert module.__all__
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.{public}"


def test_errors_derive_from_the_matching_builtins() -> None:
    """Every error is a CaseReviewError and a ValueError, so callers can catch either."""
    errors = (
        asb_case_review.InvalidInput,
        asb_case_review.InvalidPolicy,
        asb_case_review.InvalidPolicyFile,
        asb_case_review.NaiveDatetime,
    )
    for error in errors:
        assert issubclass(error, asb_case_review.CaseReviewError)
        assert issubclass(error, ValueError)
