"""Claims of the README and the docs that no other test held: each is checked as a user would meet it."""

from __future__ import annotations

import collections
import re
import shlex
import tomllib
from pathlib import Path

import attrs
import pytest
from hypothesis import settings

from asb_case_review import STATUTORY
from asb_case_review.analysis import sweep
from asb_case_review.analysis.columnar import NUMPY
from asb_case_review.analysis.plan import Unsupported, compile_policy
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.catalogue import AREAS
from asb_case_review.dates import months, period_last_day
from asb_case_review.rules import recency, rule

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

# What each reason in the page's list of refused areas is, in the words of the engine's refusal.
REFUSED_FOR = {
    "windows beginning with the first incident counted": "Window.anchor='first_incident'",
    "incidents matched to separate days": "unit='incident_dates'",
    "households, where a report with no household recorded leaves the count uncertain": "unit='households'",
}


def test_the_numpy_engine_refuses_by_name_exactly_the_areas_the_page_lists() -> None:
    """what-if.md: the numpy engine sweeps the other areas whole and refuses the nine it names, for why."""
    page = text("docs/what-if.md")
    swept, total, refused_count = map(
        int, found(r"sweeps (\d+) of the (\d+) areas whole.*?refuses the other (\d+)", page)
    )
    block = page[page.index("It refuses the other") :].split("\n\n")[1]
    bullets = [" ".join(item.split()) for item in ("\n" + block).split("\n* ")[1:]]
    listed: dict[str, str] = {}
    for item in bullets:
        reason, names = found(r"^(.+): ([a-z-]+(?:, [a-z-]+)*)[;.]$", item)
        listed[reason] = names
    assert set(listed) == set(REFUSED_FOR)
    refusals: dict[str, str] = {}
    for name, area in AREAS.items():
        if name == "statutory":
            continue
        try:
            compile_policy(area.latest, NUMPY)
        except Unsupported as refusal:
            refusals[name] = str(refusal)
    assert (swept, total, refused_count) == (len(AREAS) - 1 - len(refusals), len(AREAS) - 1, len(refusals))
    for reason, names in listed.items():
        for name in names.split(", "):
            assert REFUSED_FOR[reason] in refusals.pop(name), name
    assert refusals == {}


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
