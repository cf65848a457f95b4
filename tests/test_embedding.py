"""What an embedding system relies on: no clock, no I/O, no shared state, deterministic answers."""

from __future__ import annotations

import ast
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from asb_case_review import CATALOGUE, evaluate, to_dict
from asb_case_review.examples import example_application

SOURCE = Path(__file__).parent.parent / "src" / "asb_case_review"
# The command line is the one place allowed to touch the outside world, with the
# pytest plugin that collects files of test cases (imported only by pytest).
OUTSIDE_WORLD_ALLOWED = {"cli.py", "__main__.py", "pytest_plugin.py"}
# The web pages are an edge like the command line: they read today's date to offer it on the
# self-check; the command that fetches GOV.UK Frontend (serve/assets.py) prints what it did.
OUTSIDE_WORLD_ALLOWED |= {"pages.py", "assets.py"}
FORBIDDEN_CALLS = {"today", "now", "utcnow", "open", "print", "exit", "time", "getenv"}


def core_modules() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if p.name not in OUTSIDE_WORLD_ALLOWED)


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_core_reads_no_clock_and_does_no_io(path: Path) -> None:
    """No core module calls a clock, opens a file, prints or exits."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}()"


def test_evaluation_is_deterministic_and_thread_safe() -> None:
    """Many threads evaluating the same application under every policy all get the same answer."""
    application = example_application()
    expected = {name: to_dict(evaluate(application, policy)) for name, policy in CATALOGUE.items()}

    def decide(name: str) -> tuple[str, object]:
        return name, to_dict(evaluate(application, CATALOGUE[name]))

    # Threads switch every 10 microseconds rather than every 5 milliseconds: each evaluation (about
    # half a millisecond) is interrupted dozens of times, where at the default it rarely was, so four
    # rounds of the catalogue interleave far more than twenty rounds did, in a fifth of the time.
    default = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(decide, list(CATALOGUE) * 4))
    finally:
        sys.setswitchinterval(default)
    assert len(results) == 4 * len(CATALOGUE)
    for name, record in results:
        assert record == expected[name]
