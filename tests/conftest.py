"""Shared test set-up: the hypothesis profiles the property tests run under.

The ``fast`` profile is the default so that the whole suite stays well under a
minute on two cores; CI (or anyone hunting a bug) picks a bigger one with
``HYPOTHESIS_PROFILE=ci`` or pytest's ``--hypothesis-profile=ci``.  No profile
has a deadline: evaluation time varies with the machine's load, and a
deadline would turn that into flaky failures that say nothing about the law.
The ``mutation`` profile is for tools/mutation.py: few examples, drawn the same
way on every run, so that a mutant is killed or survives the same way each time.

And the results that several test files check over the whole catalogue, computed once per run.
"""

from __future__ import annotations

import os
import pickle
from typing import TYPE_CHECKING

import pytest
from filelock import FileLock
from hypothesis import settings

if TYPE_CHECKING:
    from asb_case_review.conformance import Finding

settings.register_profile("fast", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=400, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=5000, deadline=None, print_blob=True)
settings.register_profile("mutation", max_examples=20, deadline=None, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


@pytest.fixture(scope="session")
def catalogue_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Finding, ...]]:
    """check_area of every built-in area, computed once per test run, whatever the number of workers.

    It takes seconds, and the docs, the catalogue page and each area's examples are checked against
    it: the first pytest-xdist worker to ask computes it and leaves it for the other, pickled in the
    run's shared temporary folder (the pattern pytest-xdist documents for a session-wide fixture).
    """
    from tests.catalogue_page import findings  # noqa: PLC0415 - loads the catalogue: only when asked

    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return findings()
    shared = tmp_path_factory.getbasetemp().parent / "catalogue-findings.pickle"
    with FileLock(f"{shared}.lock"):
        if shared.is_file():
            found: dict[str, tuple[Finding, ...]] = pickle.loads(shared.read_bytes())
            return found
        found = findings()
        shared.write_bytes(pickle.dumps(found))
        return found
