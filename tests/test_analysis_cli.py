"""The analysis commands: sweep, compare and stats, with bad rows on stderr by number and field."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.analysis.table import reports_from_csv
from asb_case_review.cli import EXIT_BAD_INPUT, main

REPORTS = """id,reporter,matter,began_on,made_on
R1,P1,M1,2025-01-01,2025-01-02
R2,P2,M1,2025-01-05,2025-01-06
R3,P3,M1,2025-01-09,2025-01-08
R4,P3,M1,2025-01-09,2025-01-10
"""


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    path = tmp_path / "reports.csv"
    path.write_text(REPORTS, encoding="utf-8")
    return path


def test_bad_row_stops_with_its_number(reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --skip-bad-rows the first bad row stops the run, naming row and field."""
    assert main(["sweep", str(reports)]) == EXIT_BAD_INPUT
    assert "row 3: made_on='2025-01-08'" in capsys.readouterr().err


def test_sweep_skips_and_lists_bad_rows(reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --skip-bad-rows the bad row is listed on stderr and the rest are answered in CSV."""
    assert main(["sweep", str(reports), "--skip-bad-rows"]) == 0
    out = capsys.readouterr()
    assert "skipped row 3" in out.err
    lines = out.out.splitlines()
    assert lines[0].startswith("report,reporter,matter,day,policy,outcome")
    assert [line.split(",")[5] for line in lines[1:]] == ["not_met", "not_met", "met"]


def test_compare_gives_one_json_row_per_policy(reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """compare --format json gives the summary of each policy."""
    argv = ["compare", str(reports), "--skip-bad-rows", "--policy", "statutory", "--policy", "merseyside"]
    assert main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["policy"].split("@")[0], r["met"]) for r in rows] == [("statutory", 1), ("merseyside", 1)]


def test_stats_by_quarter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """stats prints the four figures per financial quarter."""
    path = tmp_path / "applications.csv"
    path.write_text(
        "id,received_on,threshold,decided_on,review_completed_on,recommendations\n"
        "A1,2025-04-02,met,2025-04-09,2025-05-20,yes\nA2,2025-07-01,not_met,2025-07-08,,\n",
        encoding="utf-8",
    )
    assert main(["stats", str(path), "--by", "quarter"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "period,applications,threshold_not_met,reviews_carried_out,reviews_with_recommendations",
        "2025/26 Q1,1,0,1,1",
        "2025/26 Q2,1,1,0,0",
    ]


def test_assumed_facts_decide_fact_rules(reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--fact answers a rule that hangs on a case fact; without it the answer is unknown."""
    argv = ["sweep", str(reports), "--skip-bad-rows", "--policy", "staffordshire-police", "--format", "json"]
    assert main(argv) == 0
    unknown = json.loads(capsys.readouterr().out)
    assert {r["outcome"] for r in unknown[:2]} == {"unknown"}
    assert main([*argv, "--fact", "officer_discretion=yes"]) == 0
    known = json.loads(capsys.readouterr().out)
    assert [r["outcome"] for r in known] == ["met", "met", "met"]
    assert main([*argv, "--fact", "officer_discretion=perhaps"]) == EXIT_BAD_INPUT


def test_synthetic_writes_a_table_the_analysis_commands_read_back(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """synthetic's CSV, read back, is the seeded table itself; the same seed gives the same CSV."""
    assert main(["synthetic", "60", "--seed", "7"]) == 0
    first = capsys.readouterr().out
    assert main(["synthetic", "60", "--seed", "7"]) == 0
    assert capsys.readouterr().out == first
    table = reports_from_csv(first.splitlines())
    assert list(table.records()) == list(synthetic_reports(60, seed=7).records())

    monkeypatch.setattr("sys.stdin", io.StringIO(first))
    assert main(["sweep", "-"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 61


def test_synthetic_refuses_an_empty_table(capsys: pytest.CaptureFixture[str]) -> None:
    """A count below one is bad input, named on stderr."""
    assert main(["synthetic", "0"]) == EXIT_BAD_INPUT
    assert "COUNT=0: must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("year", ["0", "1899", "2498", "9999"])
def test_synthetic_refuses_years_off_the_supported_dates(
    year: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A first year whose reports would leave the supported dates is bad input, not an internal error."""
    assert main(["synthetic", "3", "--year", year]) == EXIT_BAD_INPUT
    assert f"--year={year}: must be a year from 1900 to 2497" in capsys.readouterr().err


def test_numpy_engine_without_numpy_is_bad_input(
    reports: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking for the numpy engine where numpy cannot be imported names the extra to install."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    argv = ["compare", str(reports), "--skip-bad-rows", "--engine", "numpy"]
    assert main(argv) == EXIT_BAD_INPUT
    assert "needs asb-case-review[analysis]" in capsys.readouterr().err
