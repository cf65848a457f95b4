"""The example applications in examples/ decide as documented in examples/expected.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asb_case_review.catalogue import get_policy
from asb_case_review.decision import evaluate
from asb_case_review.parsing import application_from_mapping

FOLDER = Path(__file__).parent.parent / "examples"
EXPECTED: dict[str, dict[str, dict[str, Any]]] = json.loads(
    (FOLDER / "expected.json").read_text(encoding="utf-8")
)
CASES = [(name, policy, want) for name, policies in EXPECTED.items() for policy, want in policies.items()]


@pytest.mark.parametrize(("name", "policy", "want"), CASES, ids=[f"{n[:-5]}@{p}" for n, p, _ in CASES])
def test_example_decides_as_documented(name: str, policy: str, want: dict[str, Any]) -> None:
    """Each example meets or fails each built-in policy by the rule its name promises."""
    application = application_from_mapping(json.loads((FOLDER / name).read_text(encoding="utf-8")))
    decision = evaluate(application, get_policy(policy))
    assert decision.outcome.value == want["outcome"]
    assert list(decision.matched) == want["matched"]


def test_every_example_is_documented() -> None:
    """No example file is left without its expected decisions."""
    files = {p.name for p in FOLDER.glob("*.json")} - {"expected.json"}
    assert files == set(EXPECTED)
