"""Shared test set-up: the hypothesis profiles the property tests run under.

The ``fast`` profile is the default so that the whole suite stays well under a
minute on two cores; CI (or anyone hunting a bug) picks a bigger one with
``HYPOTHESIS_PROFILE=ci`` or pytest's ``--hypothesis-profile=ci``.  No profile
has a deadline: evaluation time varies with the machine's load, and a
deadline would turn that into flaky failures that say nothing about the law.
The ``mutation`` profile is for tools/mutation.py: few examples, drawn the same
way on every run, so that a mutant is killed or survives the same way each time.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("fast", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=400, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=5000, deadline=None, print_blob=True)
settings.register_profile("mutation", max_examples=20, deadline=None, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
