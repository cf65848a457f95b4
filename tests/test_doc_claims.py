"""Claims of the README and the docs that no other test held: each is checked as a user would meet it."""

from __future__ import annotations

import ast
import collections
import importlib.util
import re
import shlex
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import settings

from asb_case_review import STATUTORY
from asb_case_review.analysis import sweep
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.catalogue import AREAS
from asb_case_review.conformance import Code, check_area
from asb_case_review.dates import months, period_last_day
from asb_case_review.models import Fact
from asb_case_review.rules import Count, FactIs, Recency, recency, rule

from .test_analysis_cli import _run_with_stderr_on_a_terminal as run_with_stderr_on_a_terminal

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def found(pattern: str, within: str) -> tuple[str, ...]:
    """The groups of *pattern*'s first match in *within*, which must have one."""
    match = re.search(pattern, within, re.S)
    assert match is not None, pattern
    return match.groups()


# ------------------------------------------------------------------ docs/what-if.md


def test_synthetic_reports_are_as_the_page_describes() -> None:
    """what-if.md: heavy-tailed matters, repeat reporters, lags from the same day to months, ~3% hate."""
    table = synthetic_reports(20_000, seed=1)
    hate_share = sum(table.hate) / len(table)
    assert 0.02 < hate_share < 0.04
    lags = [(made - began).days for made, began in zip(table.made_on, table.began_on, strict=True)]
    assert min(lags) == 0
    assert max(lags) > 90
    per_reporter = collections.Counter(table.reporter)
    assert max(per_reporter.values()) > 1
    per_matter = sorted(collections.Counter(table.matter).values())
    # Heavy-tailed: most matters have a report or two, the largest a good share of the year.
    assert per_matter[len(per_matter) // 2] <= 2
    assert per_matter[-1] > len(table) // 100


def test_a_recency_condition_fails_in_a_sweep_only_where_the_rows_own_report_is_late() -> None:
    """what-if.md: each row is an application made on the day of a report, so 'the last report within a
    month' turns a row away only where that report does not count (made over a month after the
    behaviour); every other row sweeps exactly as under the statute alone."""
    table = synthetic_reports(1_500, seed=4)
    recent = attrs.evolve(
        STATUTORY, conditions=(rule("recent", recency(months(1)), label="the last report within a month"),)
    )
    plain, gated = sweep(table, STATUTORY), sweep(table, recent)
    late = {i for i in range(len(table)) if table.made_on[i] > period_last_day(table.began_on[i], months(1))}
    differ = {i for i in range(len(table)) if gated.policy_outcome[i] != plain.policy_outcome[i]}
    assert differ
    assert differ <= late


# ------------------------------------------------------------------ installs named in the docs


def extras_named() -> set[tuple[str, str]]:
    """Every extra a `pip install` in the README or the docs names, with the page naming it."""
    named: set[tuple[str, str]] = set()
    for page in PAGES:
        for command in re.findall(
            r"pip install ('[^']*\[[^']*\]'|\S*\[[^\]]*\])", page.read_text(encoding="utf-8")
        ):
            (target,) = shlex.split(command)
            named.update(
                (page.name, extra.strip()) for extra in target.partition("[")[2].rstrip("]").split(",")
            )
    return named


def test_every_extra_the_docs_install_exists() -> None:
    """Each `pip install '.[extra]'` or `'asb-case-review[extra]'` in the docs names one pyproject has."""
    extras = set(tomllib.loads(text("pyproject.toml"))["project"]["optional-dependencies"])
    named = extras_named()
    assert {extra for _, extra in named} >= {
        "plot",
        "docs",
        "toml",
        "completion",
        "serve",
        "analysis",
        "xlsx",
    }
    assert {(page, extra) for page, extra in named if extra not in extras} == set()


# ------------------------------------------------------------------ README: how the suite runs


def test_the_readme_states_the_hypothesis_profiles_and_ci_checks() -> None:
    """README: 60 examples by default, 400 under ci, 5000 under thorough; CI runs mypy --strict and ruff."""
    readme = text("README.md")
    default, ci, thorough = map(
        int,
        found(
            r"run (\d+) examples each by default.*?HYPOTHESIS_PROFILE=ci python -m pytest` \((\d+)\).*?"
            r"HYPOTHESIS_PROFILE=thorough` \((\d+)\)",
            readme,
        ),
    )
    assert settings.get_profile("fast").max_examples == default
    assert settings.get_profile("ci").max_examples == ci
    assert settings.get_profile("thorough").max_examples == thorough
    # docs/mutation.md: mutation runs use twenty examples, derandomised.
    assert (settings.get_profile("mutation").max_examples, settings.get_profile("mutation").derandomize) == (
        20,
        True,
    )
    assert "Python 3.11 or newer" in readme
    assert tomllib.loads(text("pyproject.toml"))["project"]["requires-python"] == ">=3.11"
    run = text(".ci/run").splitlines()
    assert "mypy" in run
    assert tomllib.loads(text("pyproject.toml"))["tool"]["mypy"]["strict"] is True
    assert any(line.startswith("ruff check src tests") for line in run)
    assert any(line.startswith("ruff format --check src tests") for line in run)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_pages_name_only_tests_that_exist(page: Path) -> None:
    """A page that names a test (`tests/x.py::name`, or a test file) names one the suite has."""
    for path, name in re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", page.read_text(encoding="utf-8")):
        source = ROOT / path
        assert source.exists(), f"{page.name} names {path}"
        if name:
            assert re.search(rf"^def {name}\(", source.read_text(encoding="utf-8"), re.M), (
                f"{page.name} names {path}::{name}"
            )


# ------------------------------------------------------------------ docs/conformance.md


def findings_of(name: str) -> dict[str, Code]:
    """The conformance findings of a built-in area, by place in the policy."""
    return {finding.path: finding.code for finding in check_area(AREAS[name])}


@pytest.mark.parametrize(
    ("name", "attached"),
    [
        ("stafford", Fact.APPLICANT_SAYS_NO_EFFECTIVE_ACTION),
        ("essex-colchester", Fact.APPLICANT_SAYS_NO_EFFECTIVE_ACTION),
        ("aylesbury-vale", Fact.APPLICANT_SAYS_NO_EFFECTIVE_ACTION),
        ("hammersmith-and-fulham", Fact.NO_ACTION_TAKEN),
        ("guildford", Fact.PROBLEM_PERSISTS),
    ],
)
def test_facts_attached_to_the_mandatory_wording_are_reported_as_narrower(name: str, attached: Fact) -> None:
    """conformance.md: the fact each area attaches to its wording is a mandatory_narrower error."""
    mandatory = AREAS[name].latest.mandatory.predicate
    facts = [(i, part) for i, part in enumerate(getattr(mandatory, "parts", ())) if isinstance(part, FactIs)]
    assert [part.fact for _, part in facts] == [attached]
    assert findings_of(name)[f"mandatory.parts[{facts[0][0]}]"] is Code.MANDATORY_NARROWER


@pytest.mark.parametrize(
    ("name", "kind"), [("staffordshire-police", Recency), ("stafford", Recency), ("guildford", FactIs)]
)
def test_recency_gates_and_pending_responses_are_conditions_that_turn_away(name: str, kind: type) -> None:
    """conformance.md: Staffordshire Police's and Stafford's recency gates and Guildford's pending
    response are conditions on every route, each reported as turning away what s.104(4) accepts."""
    (condition,) = AREAS[name].latest.conditions
    assert isinstance(condition.predicate, kind)
    assert findings_of(name)["conditions[0]"] is Code.CONDITION_TURNS_AWAY


@pytest.mark.parametrize("name", ["stafford", "hammersmith-and-fulham"])
def test_windows_dated_by_the_incident_are_reported(name: str) -> None:
    """conformance.md: Stafford and Hammersmith and Fulham date the window by the incident (`window`)."""
    assert findings_of(name)["mandatory.parts[0].window"] is Code.WINDOW_ANCHOR


def test_the_appeal_routes_the_page_names_are_recorded() -> None:
    """conformance.md: Stafford, Cleveland (within ten working days) and Colchester record an appeal route."""
    for name in ("stafford", "cleveland", "essex-colchester"):
        assert AREAS[name].latest.appeal is not None, name
        assert Code.NO_APPEAL_ROUTE not in findings_of(name).values(), name
    assert AREAS["cleveland"].latest.timescales.appeal == 10


def counts(value: object) -> Iterator[Count]:
    """Every count rule held anywhere in *value*, by walking its attributes."""
    if isinstance(value, Count):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            yield from counts(getattr(value, field.name))
    elif isinstance(value, tuple | list | frozenset):
        for item in value:
            yield from counts(item)


def test_no_catalogue_policy_asks_for_more_than_three() -> None:
    """conformance.md: no catalogue policy asks for more than three qualifying complaints."""
    asked = {
        (name, version.version): [count.at_least for count in counts(version.mandatory)]
        for name, area in AREAS.items()
        for version in area.versions
    }
    assert all(asked.values())
    assert {key: numbers for key, numbers in asked.items() if max(numbers) > 3} == {}


# ------------------------------------------------------------------ docs/mutation.md


def mutation_tool() -> Any:
    """tools/mutation.py, loaded as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("mutation_tool", ROOT / "tools" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_mutation_page_lists_the_tests_the_tool_selects() -> None:
    """mutation.md's table is tools/mutation.py's selection, module by module."""
    table = dict(
        re.findall(r"^\| `([a-z/]+)` \| ((?:`test_\w+`(?:, )?)+) \|$", text("docs/mutation.md"), re.M)
    )
    selected = {
        path.removeprefix("src/asb_case_review/").removesuffix(".py"): [Path(t).stem for t in tests]
        for path, tests in mutation_tool().TARGETS.values()
    }
    assert {module: re.findall(r"`(\w+)`", tests) for module, tests in table.items()} == selected


def test_every_test_the_mutation_runs_leave_out_exists() -> None:
    """The tests tools/mutation.py and pyproject's [tool.mutmut] deselect are tests the suite has."""
    mutmut = tomllib.loads(text("pyproject.toml"))["tool"]["mutmut"]["pytest_add_cli_args"]
    named = {
        *mutation_tool().DESELECT,
        *(mutmut[i + 1] for i, arg in enumerate(mutmut) if arg == "--deselect"),
    }
    assert named
    for test in named:
        path, _, name = test.partition("::")
        assert re.search(rf"^def {name}\(", text(path), re.M), test


# ------------------------------------------------------------------ docs/cli.md


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_stats_shows_its_reading_and_writing_bars_on_a_terminal(tmp_path: Path) -> None:
    """cli.md: in `stats` too, reading and writing show a bar on a terminal; the output holds only CSV."""
    pytest.importorskip("tqdm")
    path = tmp_path / "applications.csv"
    rows = [f"A{n},2025-0{1 + n % 9}-1{n % 10},met,,," for n in range(40)]
    path.write_text(
        "id,received_on,threshold,decided_on,review_completed_on,recommendations\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    out, err = run_with_stderr_on_a_terminal("stats", str(path), "--progress")
    for label in ("reading", "writing"):
        assert label in err, err
    assert "%|" in err
    assert out.startswith("period,applications,")
    assert "%|" not in out


# ------------------------------------------------------------------ docs/architecture.md

PACKAGE = ROOT / "src" / "asb_case_review"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_at_import_time(path: Path) -> set[str]:
    """The package's modules that *path* imports as it is imported (not under TYPE_CHECKING, not in a
    function), as names relative to the package."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package[: len(package) - node.level + 1]
        if node.module is None:
            found.update(".".join([*base, alias.name]) for alias in node.names)
        else:
            found.add(".".join([*base, node.module]))
    # The version string is an attribute of the package, not a module.
    return {module for module in found if module and module != "__version__"}


def test_each_module_depends_only_on_what_the_architecture_table_says() -> None:
    """architecture.md: every module has a row, and what it imports is what its row's dependencies are
    or import in turn ("everything" for the command line, "everything but cli" for the service)."""
    modules = {module_name(path): imports_at_import_time(path) for path in PACKAGE.rglob("*.py")}
    rows = re.findall(r"^\| ((?:`[\w.]+`(?:, )?)+) \| .*? \| ([^|]*) \|$", text("docs/architecture.md"), re.M)
    table = {name: deps.strip() for names, deps in rows for name in re.findall(r"`([\w.]+)`", names)}

    def within(module: str, owner: str) -> bool:
        return module == owner or module.startswith(owner + ".")

    def reach(names: set[str]) -> set[str]:
        """The modules these names are, with their submodules and everything they import in turn."""
        seen: set[str] = set()
        todo = [module for module in modules if any(within(module, name) for name in names)]
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo.extend(modules.get(module, ()))
        return seen

    wrong: dict[str, set[str]] = {}
    for module, imported in modules.items():
        if module in {"", "__main__"} or (not imported and module in {"law", "serve", "catalogue"}):
            continue
        owners = [name for name in table if within(module, name)]
        assert owners, f"{module} has no row in the architecture table"
        listed = table[max(owners, key=len)]
        allowed = (
            set(modules) if listed == "everything"
            else set(modules) - {"cli"} if listed == "everything but cli"
            else set() if listed == "—"
            else reach({dep.strip() for dep in listed.split(",")})
        )  # fmt: skip
        outside = {
            dep
            for dep in imported
            if not any(within(dep, owner) for owner in owners)
            and dep not in allowed
            and not any(within(found, dep) for found in allowed)
        }
        if outside:
            wrong[module] = outside
    assert wrong == {}
