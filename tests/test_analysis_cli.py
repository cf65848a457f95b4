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
    rows = json.loads(capsys.readouterr().out)["rows"]
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
    unknown = json.loads(capsys.readouterr().out)["rows"]
    assert {r["outcome"] for r in unknown[:2]} == {"unknown"}
    assert main([*argv, "--fact", "officer_discretion=yes"]) == 0
    known = json.loads(capsys.readouterr().out)["rows"]
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


def _run_with_stderr_on_a_terminal(*argv: str) -> tuple[str, str]:
    """Run the command line in a child process, standard error on a pseudo-terminal, output on a pipe."""
    import fcntl  # noqa: PLC0415 (only these tests open a terminal)
    import os  # noqa: PLC0415
    import pty  # noqa: PLC0415
    import struct  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import termios  # noqa: PLC0415

    parent, child = pty.openpty()
    # A terminal 80 columns wide, as a user's is: a new pseudo-terminal has no size at all.
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with subprocess.Popen(
        [sys.executable, "-m", "asb_case_review", *argv],
        stdout=subprocess.PIPE,
        stderr=child,
        stdin=subprocess.DEVNULL,
    ) as process:
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # the terminal closes when the child exits
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = process.stdout.read() if process.stdout else b""
        process.wait()
    os.close(parent)
    return out.decode(), b"".join(chunks).decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_progress_bar_is_drawn_on_a_terminal_and_never_in_the_output(tmp_path: Path) -> None:
    """On a terminal, reading, sweeping and writing each show a bar on stderr; stdout holds only CSV."""
    pytest.importorskip("tqdm")
    path = tmp_path / "reports.csv"
    path.write_text(_synthetic_csv(300), encoding="utf-8")
    out, err = _run_with_stderr_on_a_terminal("sweep", str(path), "--progress")
    for label in ("reading", "sweeping", "writing"):
        assert label in err, err
    assert "%|" in err  # tqdm's bar
    assert out.startswith("report,reporter,matter,day,policy,")
    assert "reading" not in out
    assert "%|" not in out
    assert len(out.splitlines()) == 301


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_no_progress_turns_the_bar_off_even_on_a_terminal(tmp_path: Path) -> None:
    """--no-progress wins over a terminal and over --progress."""
    path = tmp_path / "reports.csv"
    path.write_text(_synthetic_csv(50), encoding="utf-8")
    out, err = _run_with_stderr_on_a_terminal("sweep", str(path), "--progress", "--no-progress")
    assert err == ""
    assert len(out.splitlines()) == 51


def test_no_bar_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    """With standard error a pipe (a log, a CI job) nothing but errors is written there."""
    import subprocess  # noqa: PLC0415 (a child process with its own pipes)

    path = tmp_path / "reports.csv"
    path.write_text(_synthetic_csv(50), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "asb_case_review", "sweep", str(path), "--progress"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    assert len(done.stdout.splitlines()) == 51


def _synthetic_csv(count: int) -> str:
    buffer = io.StringIO()
    table = synthetic_reports(count, seed=3)
    buffer.write(",".join(table.records().__next__().keys()) + "\n")
    for record in table.records():
        cells = [
            "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in record.values()
        ]
        buffer.write(",".join(cells) + "\n")
    return buffer.getvalue()
