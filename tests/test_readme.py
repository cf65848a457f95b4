"""The README's promises: its two commands, and CI running exactly its test command.

Its python examples are run by Sybil with the docs' (conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_readme_opens_with_two_commands() -> None:
    """The README's first two shell blocks install and run the main job, then the test suite."""
    run, test = readme_commands()[:2]
    assert "pip install ." in run
    assert "asb-case-review check" in run
    assert "python -m pytest" in test


def test_ci_runs_the_readme_test_command_exactly() -> None:
    """.ci/run calls the README's test command word for word."""
    test = readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci
