"""Every CSV the library writes spells a flag ``true`` or ``false`` and leaves a missing value empty."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from asb_case_review import cli
from asb_case_review.analysis.table import reports_from_csv
from asb_case_review.serve import create_app


def run_cli(*argv: str) -> str:
    """The command line's standard output, checked to exit 0."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(list(argv)) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded national sample in which Merseyside's policy as written turns away some the floor meets."""
    path = tmp_path_factory.mktemp("csv") / "reports.csv"
    path.write_text(run_cli("synthetic", "400", "--seed", "3"), encoding="utf-8")
    return path


def column(text: str, name: str) -> set[str]:
    return {row[name] for row in csv.DictReader(io.StringIO(text))}


def test_the_sweep_writes_flags_as_json_does_by_either_writer(
    reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sweep's floor_conflict is true or false whether pandas or the row writer writes the CSV."""
    by_pandas = run_cli("sweep", str(reports), "--policy", "merseyside", "--no-progress")
    assert column(by_pandas, "floor_conflict") == {"true", "false"}
    # Without the analysis extra the command writes row by row: the same file.
    monkeypatch.setattr(cli, "_has_pandas", lambda: False)
    by_rows = run_cli("sweep", str(reports), "--policy", "merseyside", "--no-progress")
    assert by_rows == by_pandas


def test_the_service_csv_is_the_command_line_csv(reports: Path) -> None:
    """POST /api/sweep answers in CSV with the same spelling as the command line."""
    with TestClient(create_app()) as client:
        answer = client.post(
            "/api/sweep?policy=merseyside",
            content=reports.read_bytes(),
            headers={"Content-Type": "text/csv"},
        )
    assert answer.status_code == 200, answer.text
    assert column(answer.text, "floor_conflict") == {"true", "false"}
    assert answer.text == run_cli("sweep", str(reports), "--policy", "merseyside", "--no-progress")


def test_synthetic_reports_spell_flags_the_same_and_read_back(reports: Path) -> None:
    """synthetic's hate column is true or false, and the report tables read what it wrote."""
    text = reports.read_text(encoding="utf-8")
    assert column(text, "hate") == {"true", "false"}
    table = reports_from_csv(text)
    assert set(table.hate) == {True, False}


def test_the_sweep_writes_no_formula_by_either_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids a spreadsheet would run as formulas come out as text, whether pandas or the row writer writes."""
    path = tmp_path / "reports.csv"
    path.write_text(
        "id,reporter,matter,began_on,made_on\n"
        '=HYPERLINK("http://x"),@P1,+M1,2025-10-01,2025-10-02\n'
        "-R2,P2,M1,2025-10-01,2025-10-03\n",
        encoding="utf-8",
    )
    by_pandas = run_cli("sweep", str(path), "--no-progress")
    assert column(by_pandas, "report") == {'\'=HYPERLINK("http://x")', "'-R2"}
    assert column(by_pandas, "reporter") == {"'@P1", "P2"}
    assert column(by_pandas, "matter") == {"'+M1", "M1"}
    monkeypatch.setattr(cli, "_has_pandas", lambda: False)
    assert run_cli("sweep", str(path), "--no-progress") == by_pandas
