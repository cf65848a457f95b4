"""The officer's text reads as English: plurals agree, lines fit, outcomes and settings are named once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings

from asb_case_review import CATALOGUE, Application, Policy, evaluate, for_officer, to_dict
from asb_case_review.catalogue import get_policy
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping
from asb_case_review.render import settings as settings_of
from tests.builders import high_risk_policy

from .strategies import applications, policies

EXAMPLES = Path(__file__).parent.parent / "examples"

# "at least 1 incidents", "0 of 1 complaints", "one more reports": a one with a plural noun.
_ONE_PLURAL = re.compile(
    r"\b(?:1|one) (?:more |qualifying |separate )*"
    r"(?:reports|complaints|incidents|incident dates|households|reporters|people|days)\b"
)
# "report mades", "incidents dates": a plural ending put on the wrong word.
_BAD_PLURAL = re.compile(r"\b(?:mades|incidents dates)\b")
# A web address on a line of its own cannot be broken; every other line fits.
_LONE_ADDRESS = re.compile(r"\s*<\S+>")


def _examples() -> list[Application]:
    files = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "expected.json")
    return [application_from_mapping(json.loads(p.read_text(encoding="utf-8"))) for p in files] + [
        example_application()
    ]


def _problems(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > 100 and not _LONE_ADDRESS.fullmatch(line):
            found.append(f"line {number} has {len(line)} characters: {line!r}")
        for pattern in (_ONE_PLURAL, _BAD_PLURAL):
            found.extend(f"line {number}: {m.group()!r} in {line!r}" for m in pattern.finditer(line))
        if "UNKNOWN" in line or "NOT_MET" in line:
            found.append(f"line {number} names an outcome by its code: {line!r}")
    settings_lines = text.split("Settings that ran:\n", 1)[1].splitlines()
    keys = [line.strip().split("=", 1)[0] for line in settings_lines if not line.startswith("      ")]
    found.extend(f"setting {key!r} printed twice" for key in {k for k in keys if keys.count(k) > 1})
    return found


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_catalogue_policy_reads_as_english_on_every_example(name: str) -> None:
    """Every built-in policy on every example: no line over 100, no "1 incidents", no outcome codes."""
    policy = CATALOGUE[name]
    for application in _examples():
        assert _problems(for_officer(evaluate(application, policy))) == [], application.id


@settings(max_examples=30, deadline=None)
@given(application=applications(), policy=policies())
def test_generated_policies_and_applications_read_as_english(
    application: Application, policy: Policy
) -> None:
    """Over generated policies and applications the officer's text has none of those faults."""
    assert _problems(for_officer(evaluate(application, policy))) == []


def test_the_text_says_undetermined_as_the_docs_and_exit_codes_do() -> None:
    """An undetermined decision is UNDETERMINED in the text; the JSON keeps the value "unknown"."""
    risky = high_risk_policy()
    decision = evaluate(example_application(), risky, enforce_floor=False)
    text = for_officer(decision)
    assert decision.outcome.value == "unknown"
    assert "Outcome: UNDETERMINED" in text
    assert to_dict(decision)["outcome"] == "unknown"


def test_a_setting_with_two_values_is_one_line_in_the_text_and_one_key_in_the_json() -> None:
    """Two counting units (the policy's and the statute's) are listed together, in text and JSON alike."""
    decision = evaluate(example_application(), get_policy("ashford"))
    assert [k for k, _ in decision.assumptions()].count("counting unit") == 2
    text = for_officer(decision)
    assert text.count("counting unit=") == 1
    assert "  counting unit=complaints, reporters" in text.splitlines()
    assert to_dict(decision)["settings"]["counting unit"] == "complaints, reporters"
    assert settings_of(decision) == to_dict(decision)["settings"]


def test_one_unit_is_singular_and_several_plural() -> None:
    """A rule needing one incident says "at least 1 incident" and "0 of 1 incident"."""
    application = application_from_mapping(
        json.loads((EXAMPLES / "met-personal-local.json").read_text(encoding="utf-8"))
    )
    text = for_officer(evaluate(application, get_policy("hammersmith-and-fulham")))
    assert "at least 1 incident (by the victim; about hate incidents;" in text
    assert "Near miss [hate]: 0 of 1 incident; 1 more" in text
    assert "at least 3 incidents (by the victim;" in text
