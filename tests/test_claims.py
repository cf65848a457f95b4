"""Claims the docs make about the package as installed: what it depends on, and what it loads."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
CORE = {"attrs", "python-dateutil"}

# Importing the library and deciding an application loads, outside the standard library, only the
# core dependencies (docs/index.md: "depends on attrs and python-dateutil only").
PROBE = """
import json, sys
# What the interpreter loaded before the library (site hooks of the environment, say) is not its.
before = set(sys.modules)
import asb_case_review
from asb_case_review import CATALOGUE, evaluate, for_applicant, for_officer, to_dict
from asb_case_review.examples import example_application
decision = evaluate(example_application(), CATALOGUE["merseyside"])
for_applicant(decision), for_officer(decision), to_dict(decision)
# Installed packages live in site-packages; the standard library's own helpers do not.
def installed(name):
    path = getattr(sys.modules[name], "__file__", None) or ""
    return "site-packages" in path or "dist-packages" in path
outside = {name.partition(".")[0] for name in set(sys.modules) - before if installed(name)}
print(json.dumps(sorted(outside)))
"""


def test_the_runtime_dependencies_are_attrs_and_python_dateutil_only() -> None:
    """pyproject's dependencies name the two the docs promise, and nothing else."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {spec.split(">")[0].split("=")[0].split("<")[0].strip() for spec in project["dependencies"]}
    assert names == CORE
    assert "depends on `attrs` and `python-dateutil` only" in (ROOT / "docs" / "index.md").read_text(
        encoding="utf-8"
    )


def test_deciding_loads_no_third_party_module_but_the_core_dependencies() -> None:
    """In a fresh interpreter, a decision and its letters load only attrs, dateutil and the library."""
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    outside = set(json.loads(result.stdout))
    assert outside <= {"attr", "attrs", "dateutil", "six"}, outside
    assert "dateutil" in outside
