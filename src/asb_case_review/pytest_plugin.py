"""A pytest plugin that runs decision test cases written as data, each case its own test.

Every file named ``*.cases.toml`` or ``*.cases.json`` under the test paths is
collected; each of its cases is a test item named by the case id, decided by
the version of the policy in force on its date (see :mod:`asb_case_review.cases`).
The policy the file names is a built-in id or a policy file beside the cases file.

Enable it for a run with ``pytest -p asb_case_review.pytest_plugin``, or for a
project with ``pytest_plugins = ["asb_case_review.pytest_plugin"]`` in its
top-level ``conftest.py``.  Like the command line, it reads files, so it is an
edge of the library, not part of its core; it is imported only by pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .cases import Case, load_cases, run_case
from .catalogue import AREAS, read_area
from .policy import Area

__all__ = ["CaseItem", "CasesFile", "pytest_collect_file"]

_SUFFIXES = (".cases.toml", ".cases.json")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> CasesFile | None:
    """Collect files of decision test cases."""
    if file_path.name.endswith(_SUFFIXES):
        return CasesFile.from_parent(parent, path=file_path)
    return None


def _form(path: Path) -> Any:
    return "json" if path.suffix == ".json" else "toml"


class CasesFile(pytest.File):
    """A file of decision test cases, and the policy it names."""

    def collect(self) -> Iterator[CaseItem]:
        cases = load_cases(
            self.path.read_text(encoding="utf-8"), format=_form(self.path), file=str(self.path)
        )
        name = cases.policy
        if name.endswith((".toml", ".json")):
            policy_path = self.path.parent / name
            area = read_area(
                policy_path.read_text(encoding="utf-8"), format=_form(policy_path), file=str(policy_path)
            )
        else:
            area = AREAS[name]
        for case in cases.cases:
            yield CaseItem.from_parent(self, name=case.id, case=case, area=area)


class CaseFailed(Exception):
    """The expectations a case failed."""


class CaseItem(pytest.Item):
    """One case: passes when every expectation holds."""

    def __init__(self, *, case: Case, area: Area, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.area = area

    def runtest(self) -> None:
        """Decide the case and fail with every expectation that does not hold."""
        result = run_case(self.case, self.area)
        if not result.passed:
            raise CaseFailed("\n".join(result.failures))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The failed expectations in words, rather than a traceback."""
        if isinstance(excinfo.value, CaseFailed):
            return f"case {self.case.id!r} ({self.case.description}):\n{excinfo.value}"
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case comes from, for pytest's report."""
        return self.path, None, f"case {self.case.id}"
