"""Decision test cases as data: the file format, the runner, its report, and the command line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from asb_case_review.cases import Case, load_cases, run_case, run_cases
from asb_case_review.catalogue import AREAS, MERSEYSIDE
from asb_case_review.cli import EXIT_BAD_INPUT, main
from asb_case_review.decision import Route
from asb_case_review.errors import InvalidPolicyFile
from asb_case_review.models import Agency, Fact
from asb_case_review.policyfile import dump, load_area
from asb_case_review.rules import Outcome

D = dt.date

pytest_plugins = ["pytester"]

ONE = """\
policy = "merseyside"

[[cases]]
id = "c1"
expect = "met"
rule = "personal"
applied_on = 2026-02-28
reports = [{ on = 2026-01-10 }, { on = 2026-01-20 }, { on = 2026-02-10 }]
"""


def test_report_rows_have_the_documented_defaults() -> None:
    """A row is by the victim, to the council, about its own incident on the day it was made."""
    (case,) = load_cases(ONE).cases
    first = case.application.reports[0]
    assert (first.id, first.reporter, first.agency, first.kind) == ("R1", "V", Agency.COUNCIL, "complaint")
    assert (first.incident.id, first.incident.began_on, first.incident.matter) == ("I1", D(2026, 1, 10), "M")
    assert len({r.incident.id for r in case.application.reports}) == 3
    assert case.rule_expect is Outcome.MET


def test_rows_naming_one_incident_share_it() -> None:
    """Rows that name the same incident report one incident, its details given once."""
    text = ONE.replace(
        "reports = [{ on = 2026-01-10 }, { on = 2026-01-20 }, { on = 2026-02-10 }]",
        'on_behalf_of = "W"\nconsent = true\nfacts = { victim_high_risk = true }\napplicant = "C"\n'
        'reports = [{ on = 2026-01-10, incident = "X", behaviour_on = 2026-01-09, hate = true },'
        ' { on = 2026-01-12, incident = "X", by = "N1" }]',
    )
    (case,) = load_cases(text).cases
    first, second = case.application.reports
    assert first.incident is second.incident
    assert first.reporter == "W"  # the victim, applied for by C
    assert case.application.fact(Fact.VICTIM_HIGH_RISK) is True


def test_the_full_application_format_is_accepted() -> None:
    """A case may give its application in the library's JSON-shaped application format."""
    text = """\
policy = "statutory"
[[cases]]
id = "full"
expect = "not_met"
[cases.application]
id = "A"
applicant = "P"
made_on = 2026-02-28
matter = "M"
incidents = [{ id = "I", matter = "M", began_on = 2026-02-01 }]
reports = [{ id = "R", reporter = "P", made_on = 2026-02-01, incident = "I" }]
"""
    (case,) = load_cases(text).cases
    assert case.application.reports[0].made_on == D(2026, 2, 1)
    assert run_case(case, AREAS["statutory"]).passed


MALFORMED = [
    ("no-policy", ONE.replace('policy = "merseyside"', ""), r"^c\.toml: policy=None: is required"),
    ("no-cases", 'policy = "x"\ncases = []\n', r"^c\.toml: cases=\[\]: must be a non-empty list"),
    (
        "misspelt-case-key",
        ONE.replace('expect = "met"', 'expect = "met"\nexpcet = "met"'),
        r"^c\.toml: cases\[0\]\.expcet='met': is not a key of a test case; did you mean 'expect'\?",
    ),
    ("no-expect", ONE.replace('expect = "met"\n', ""), r"^c\.toml: cases\[0\]\.expect=None: is required"),
    (
        "misspelt-outcome",
        ONE.replace('expect = "met"', 'expect = "not-met"'),
        r"^c\.toml: cases\[0\]\.expect='not-met': .*did you mean 'not_met'\?",
    ),
    (
        "misspelt-route",
        ONE.replace('expect = "met"', 'expect = "met"\nroute = "floor"'),
        r"^c\.toml: cases\[0\]\.route='floor': .*expected one of: discretionary, mandatory, statutory_floor",
    ),
    (
        "duplicate-id",
        ONE + ONE.split("\n", 1)[1],
        r"^c\.toml: cases\[1\]\.id='c1': is used by another case$",
    ),
    (
        "row-without-date",
        ONE.replace("{ on = 2026-01-20 }", '{ by = "N" }'),
        r"^c\.toml: cases\[0\]\.reports\[1\]\.on=None: is required",
    ),
    (
        "misspelt-row-key",
        ONE.replace("{ on = 2026-01-20 }", "{ on = 2026-01-20, behavior_on = 2026-01-19 }"),
        r"^c\.toml: cases\[0\]\.reports\[1\]\.behavior_on=.*did you mean 'behaviour_on'\?",
    ),
    (
        "report-before-behaviour",
        ONE.replace("{ on = 2026-01-20 }", "{ on = 2026-01-20, behaviour_on = 2026-01-21 }"),
        r"^c\.toml: cases\[0\]\.reports\[1\]=None: made_on=.*is before the behaviour it reports began",
    ),
    (
        "shared-incident-different-details",
        ONE.replace(
            "{ on = 2026-01-10 }, { on = 2026-01-20 }",
            '{ on = 2026-01-10, incident = "X" }, '
            '{ on = 2026-01-20, incident = "X", behaviour_on = 2026-01-19 }',
        ),
        r"^c\.toml: cases\[0\]=None: reports\[1\]\.incident='X': is given with different details",
    ),
    (
        "rule-expect-without-rule",
        ONE.replace('rule = "personal"', 'rule_expect = "met"'),
        r"^c\.toml: cases\[0\]\.rule_expect='met': needs a rule to apply to$",
    ),
    (
        "application-and-rows",
        ONE.replace("applied_on = 2026-02-28", 'applied_on = 2026-02-28\napplication = { id = "A" }'),
        r"^c\.toml: cases\[0\]\.applied_on=.*: give the application table or these keys, not both$",
    ),
    (
        "bad-date",
        ONE.replace("applied_on = 2026-02-28", 'applied_on = "28/02/2026"'),
        r"applied_on='28/02/2026'",
    ),
]


@pytest.mark.parametrize(("text", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_cases_name_the_file_the_case_and_the_value(text: str, message: str) -> None:
    """A malformed cases file is an error naming the file, the place in it, and the value."""
    with pytest.raises(InvalidPolicyFile, match=message):
        load_cases(text, file="c.toml")


def case_with(**changes: Any) -> Case:
    (case,) = load_cases(ONE).cases
    return attrs.evolve(case, **changes)


@pytest.mark.parametrize(
    ("changes", "failure"),
    [
        ({"expect": Outcome.NOT_MET}, "expected not_met, got met"),
        (
            {"rule": "community", "rule_expect": Outcome.MET},
            "expected rule 'community' met, got not_met (1 of 5",
        ),
        ({"rule": "nowhere"}, "rule 'nowhere' is not a rule of merseyside@2024-01-01"),
        ({"route": Route.DISCRETIONARY}, "expected route discretionary, got mandatory"),
        ({"version": "2099"}, "expected version '2099' to decide, got '2024-01-01'"),
        (
            {"policy_expect": Outcome.NOT_MET},
            "expected the policy as written to say not_met, got met",
        ),
    ],
    ids=["outcome", "rule-outcome", "unknown-rule", "route", "version", "policy-outcome"],
)
def test_each_failed_expectation_is_reported(changes: dict[str, Any], failure: str) -> None:
    """Each expectation that does not hold is reported in words, and the case fails."""
    result = run_case(case_with(**changes), MERSEYSIDE)
    assert not result.passed
    assert any(f.startswith(failure) for f in result.failures), result.failures


def test_a_case_that_holds_passes() -> None:
    """A case whose every expectation holds passes with no failures."""
    result = run_case(case_with(route=Route.MANDATORY, version="2024-01-01"), MERSEYSIDE)
    assert result.passed
    assert result.failures == ()


def test_the_version_in_force_on_the_case_date_decides() -> None:
    """Run against an area, each case is decided by the version in force on its date."""
    text = """\
id = "x"
title = "X"
[[versions]]
version = "old"
effective_from = 2020-01-01
effective_to = 2025-12-31
threshold = 3
[[versions]]
version = "new"
effective_from = 2026-01-01
threshold = 2
"""
    area = load_area(text)
    two = """\
policy = "x"

[[cases]]
id = "two-are-enough-from-2026"
expect = "met"
version = "new"
applied_on = 2026-02-28
reports = [{ on = 2026-01-20 }, { on = 2026-02-10 }]

[[cases]]
id = "two-were-not-enough-in-2025"
expect = "not_met"
version = "old"
applied_on = 2025-12-31
reports = [{ on = 2025-11-20 }, { on = 2025-12-10 }]
"""
    run = run_cases(load_cases(two), area)
    assert run.passed, run.summary()


def test_coverage_counts_each_rule_both_ways() -> None:
    """The run reports, for each rule, how many cases met it and how many did not."""
    text = ONE + ONE.split("\n", 1)[1].replace('id = "c1"', 'id = "c2"').replace(
        'expect = "met"', 'expect = "not_met"'
    ).replace("{ on = 2026-01-10 }, ", "")
    run = run_cases(load_cases(text), MERSEYSIDE)
    assert run.passed
    by_rule = {c.rule: c for c in run.coverage}
    assert (by_rule["personal"].met, by_rule["personal"].not_met, by_rule["personal"].named) == (1, 1, 2)
    assert by_rule["personal"].exercised
    assert not by_rule["hate"].exercised
    assert by_rule["personal"].path == "mandatory"
    summary = run.summary()
    assert "PASS c2 (merseyside@2024-01-01)" in summary
    assert "local[1] hate: 0 named; 0 / 2 / 0; NOT exercised both ways" in summary


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_command_runs_a_cases_file_against_a_policy_file_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`asb-case-review test` finds the policy file the cases name, runs them and exits 0."""
    write(tmp_path, "mine.toml", dump(MERSEYSIDE).replace('id = "merseyside"', 'id = "mine"'))
    cases = write(tmp_path, "mine.cases.toml", ONE.replace('"merseyside"', '"mine.toml"'))
    assert main(["test", str(cases)]) == 0
    out = capsys.readouterr().out
    assert "PASS c1 (mine@2024-01-01)" in out
    assert "1 passed, 0 failed" in out


def test_command_exits_1_when_a_case_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A failing case makes the command exit 1 and print what failed."""
    cases = write(tmp_path, "c.toml", ONE.replace('expect = "met"', 'expect = "not_met"'))
    assert main(["test", str(cases)]) == 1
    assert "FAIL c1" in capsys.readouterr().out


def test_command_can_test_another_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--policy runs the cases against a different policy, such as a draft."""
    cases = write(tmp_path, "c.toml", ONE)
    assert main(["test", str(cases), "--policy", "statutory"]) == 1
    assert "rule 'personal' is not a rule of statutory" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ONE.replace('expect = "met"', 'expect = "yes"'), r"c\.toml: cases\[0\]\.expect='yes'"),
        (ONE.replace('"merseyside"', '"nowhere"'), r"policy='nowhere': is not a built-in policy or a file"),
        (ONE.replace('"merseyside"', '"missing.toml"'), r"missing\.toml: cannot read"),
    ],
    ids=["bad-case", "unknown-policy", "missing-policy-file"],
)
def test_command_reports_bad_input_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    """Bad input exits 2 with a message on stderr naming the file and the place in it."""
    cases = write(tmp_path, "c.toml", text)
    assert main(["test", str(cases)]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(message, captured.err), captured.err


def test_pytest_collects_each_case_of_a_cases_file(pytester: pytest.Pytester) -> None:
    """With the plugin, pytest runs every case of a *.cases.toml file as its own test."""
    failing = ONE.split("\n", 1)[1].replace('"c1"', '"c2"').replace('expect = "met"', 'expect = "not_met"')
    (pytester.path / "mine.cases.toml").write_text(ONE + failing, encoding="utf-8")
    result = pytester.runpytest("-p", "asb_case_review.pytest_plugin", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*mine.cases.toml::c1 PASSED*", "*mine.cases.toml::c2 FAILED*", "*expected not_met, got met*"]
    )


def test_cases_can_be_written_in_json() -> None:
    """The JSON form of a cases file has the same keys, with dates as strings."""
    text = (
        '{"policy": "merseyside", "cases": [{"id": "c1", "expect": "met", "rule": "personal",'
        ' "applied_on": "2026-02-28", "reports": [{"on": "2026-01-10"}, {"on": "2026-01-20"},'
        ' {"on": "2026-02-10"}]}]}'
    )
    assert load_cases(text, format="json") == load_cases(ONE)
