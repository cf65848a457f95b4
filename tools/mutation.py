"""Mutation testing of the decision core, one module at a time, on the tests that target it.

    python tools/mutation.py dates                  # every mutant of dates.py
    python tools/mutation.py rules --sample 5       # the mutants numbered ...0 and ...5 (a fifth)
    python tools/mutation.py all --sample 5         # every core module in turn
    python tools/mutation.py rules --tests-at main  # the same mutants against the tests of another commit

Each run copies the package, the tests and pyproject.toml into a work directory
(``.mutation/<module>/``, ignored by git), writes a ``[tool.mutmut]`` section that
mutates the one module and selects its tests (``TARGETS`` below), and runs mutmut 3
there with two workers, under the ``mutation`` profile of hypothesis (twenty examples,
derandomised).  mutmut runs, for each mutant, only those selected tests
that executed the mutated function.  The summary line gives killed/total per
module; ``--show-survivors`` prints the diff of each mutant that survived.  See
docs/mutation.md.  This is not part of the ordinary test run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The hostile-input and rendering tests pin the error messages and the wording of explanations,
# which are part of what the predicates, selections and decisions promise.
_WORDING = ["tests/test_hostile.py", "tests/test_render.py"]

# The tests that exercise each core module; mutmut narrows them further to the tests that
# executed each mutated function.
TARGETS: dict[str, tuple[str, list[str]]] = {
    "dates": (
        "src/asb_case_review/dates.py",
        ["tests/test_dates.py", "tests/test_laws_dates.py", "tests/test_dates_fast_months.py"],
    ),
    "logic": (
        "src/asb_case_review/law/logic.py",
        ["tests/test_law_logic.py", "tests/test_rules.py", "tests/test_decision.py"],
    ),
    "reports": (
        "src/asb_case_review/law/reports.py",
        ["tests/test_qualifying.py", "tests/test_rules.py"],
    ),
    "floor": (
        "src/asb_case_review/law/floor.py",
        ["tests/test_decision.py", "tests/test_laws_decision.py"],
    ),
    "qualifying": (
        "src/asb_case_review/qualifying.py",
        ["tests/test_qualifying.py", "tests/test_rules.py", "tests/test_laws_rules.py", *_WORDING],
    ),
    "rules": (
        "src/asb_case_review/rules.py",
        ["tests/test_rules.py", "tests/test_laws_rules.py", "tests/test_qualifying.py", *_WORDING],
    ),
    "decision": (
        "src/asb_case_review/decision.py",
        ["tests/test_decision.py", "tests/test_laws_decision.py", *_WORDING],
    ),
}

# Tests of the package's shape (its imports, its documentation, fresh interpreters): the
# mutated copy is shaped differently, and they say nothing about the law.
DESELECT = [
    "tests/test_law.py::test_a_unit_added_to_the_core_alone_is_refused_by_both_sweeps",
    "tests/test_law.py::test_the_package_has_no_import_cycle",
    "tests/test_law.py::test_every_lazy_import_is_drawn_in_the_architecture_page",
    "tests/test_law.py::test_first_import_from_any_entry_point_never_deadlocks_nor_fails_in_the_library",
    "tests/test_law.py::test_first_import_after_the_package_is_always_safe",
]

_STATUS = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+?)\s*$")


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _prepare(module: str, work: Path, tests_at: str | None) -> None:
    path, tests = TARGETS[module]
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    # Some tests of wording read the documentation and the examples.
    for folder in ("docs", "examples"):
        shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__"))
    if tests_at is None:
        shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        with tempfile.TemporaryFile() as archive:
            subprocess.run(["git", "archive", tests_at, "tests"], cwd=ROOT, stdout=archive, check=True)
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(work, filter="data")
        # Today's conftest registers the hypothesis profile the run uses.
        shutil.copy(ROOT / "tests" / "conftest.py", work / "tests" / "conftest.py")
    # The tests of an older revision may lack a file the table names.
    tests = [test for test in tests if (work / test).exists()]
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = text.split("\n[tool.mutmut]")[0]
    args = ["-p", "no:randomly", "-p", "no:cacheprovider", "-n", "0", "-q", "-x", "--no-header"]
    for test in DESELECT:
        args += ["--deselect", test]
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        'also_copy = ["docs", "examples"]\n'
        f"only_mutate = {_toml_list([path])}\n"
        f"pytest_add_cli_args = {_toml_list(args)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
    )
    text += "use_git_change_detection = false\n"
    tomllib.loads(text)  # the section must parse
    (work / "pyproject.toml").write_text(text, encoding="utf-8")


def _results(work: Path) -> dict[str, str]:
    shown = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in shown.splitlines():
        match = _STATUS.match(line)
        if match:
            found[match["name"]] = match["status"]
    return found


def run(module: str, *, sample: int | None, tests_at: str | None, show: bool) -> tuple[int, int, list[str]]:
    """Run mutmut on *module*; the number killed, the number tried, and the survivors."""
    work = ROOT / ".mutation" / module
    _prepare(module, work, tests_at)
    names: list[str] = []
    if sample is not None:
        # A deterministic sample: the mutants whose number ends in 0 or in `sample`.
        names = [f"*__mutmut_*[0{sample}]"] if sample else ["*__mutmut_*0"]
    # Few property-test examples, drawn the same way each run (tests/conftest.py).
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation"}
    subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", "2", *names],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    results = _results(work)
    tried = {name: status for name, status in results.items() if status != "not checked"}
    killed = sum(status in ("killed", "timeout") for status in tried.values())
    survivors = sorted(name for name, status in tried.items() if status not in ("killed", "timeout"))
    if show:
        for name in survivors:
            diff = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", name],
                cwd=work,
                capture_output=True,
                text=True,
                check=False,
            )
            print(f"--- {name} ({tried[name]})\n{diff.stdout}")
    return killed, len(tried), survivors


def main() -> None:
    """Run the modules named on the command line and print their scores."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("module", choices=[*TARGETS, "all"])
    parser.add_argument(
        "--sample",
        type=int,
        choices=range(10),
        help="run only the mutants whose number ends in 0 or in this digit (about a fifth)",
    )
    parser.add_argument("--tests-at", help="run the tests as they are at this git revision")
    parser.add_argument("--show-survivors", action="store_true", help="print each surviving mutant's diff")
    options = parser.parse_args()
    modules = list(TARGETS) if options.module == "all" else [options.module]
    for module in modules:
        killed, tried, survivors = run(
            module, sample=options.sample, tests_at=options.tests_at, show=options.show_survivors
        )
        score = f"{100 * killed / tried:.1f}%" if tried else "-"
        print(f"{module}: {killed}/{tried} killed ({score}); survivors: {len(survivors)}", flush=True)
        for name in survivors:
            print(f"    {name}")


if __name__ == "__main__":
    main()
