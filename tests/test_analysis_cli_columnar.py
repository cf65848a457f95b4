"""The analysis commands on the columnar path: the same bytes out as the row-by-row path, with progress."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from asb_case_review import cli
from asb_case_review._csvtext import cells
from asb_case_review.analysis.sweep import sweep
from asb_case_review.analysis.table import reports_from_csv
from asb_case_review.catalogue import CATALOGUE

from .test_analysis_cli import _run_with_stderr_on_a_terminal, _synthetic_csv

pytest.importorskip("pandas")

POLICIES = ("statutory", "merseyside", "staffordshire-moorlands")


def _row_by_row(text: str) -> str:
    """What the sweep command wrote before it was columnar: records through csv.DictWriter."""
    table = reports_from_csv(text, reader="python")
    rows = [r for name in POLICIES for r in sweep(table, CATALOGUE[name], engine="python").records()]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(cells(row) for row in rows)
    return buffer.getvalue()


def test_sweep_writes_the_same_csv_as_the_row_by_row_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three policies over 2,500 reports, in blocks smaller than the table: byte for byte the old output."""
    text = _synthetic_csv(2500)
    path = tmp_path / "reports.csv"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(cli, "_ROWS_AT_ONCE", 700)
    argv = ["sweep", str(path), *(a for name in POLICIES for a in ("--policy", name))]
    assert cli.main(argv) == cli.EXIT_MET
    assert capsys.readouterr().out == _row_by_row(text)


def test_sweep_of_an_empty_table_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No rows in, no rows out, as before."""
    path = tmp_path / "reports.csv"
    path.write_text("id,reporter,matter,began_on,made_on\n", encoding="utf-8")
    assert cli.main(["sweep", str(path)]) == cli.EXIT_MET
    assert capsys.readouterr().out == ""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(
    ("command", "labels"),
    [("sweep", ("reading", "sweeping", "writing")), ("compare", ("reading", "sweeping", "writing"))],
)
def test_reading_sweeping_and_writing_each_show_a_bar(
    tmp_path: Path, command: str, labels: tuple[str, ...]
) -> None:
    """On a terminal the columnar path shows a bar for reading the file, sweeping and writing."""
    pytest.importorskip("tqdm")
    path = tmp_path / "reports.csv"
    path.write_text(_synthetic_csv(300), encoding="utf-8")
    out, err = _run_with_stderr_on_a_terminal(command, str(path), "--policy", "statutory", "--policy",
                                              "merseyside", "--progress")  # fmt: skip
    for label in labels:
        assert label in err, err
    assert "%|" in err
    assert "%|" not in out


def test_reading_a_file_in_pieces_under_a_bar_reads_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading bar follows the file a piece at a time, and every byte is read."""
    monkeypatch.setattr(cli, "_CHUNK", 1000)
    text = _synthetic_csv(500)
    path = tmp_path / "reports.csv"
    path.write_text(text, encoding="utf-8")
    seen: list[int] = []

    def bar(pieces: Iterable[int], total: int) -> list[int]:
        seen.append(total)
        return list(pieces)

    assert cli._read_bytes(str(path), bar=bar) == text.encode()
    assert seen == [len(text.encode()) // 1000 + 1]


def test_compare_takes_a_progress_wrapper() -> None:
    """compare(progress=...) passes every policy through the wrapper (a bar such as tqdm's)."""
    from asb_case_review.analysis.compare import compare  # noqa: PLC0415
    from asb_case_review.analysis.synthetic import synthetic_reports  # noqa: PLC0415

    passed: list[str] = []

    def wrapper(policies: object) -> object:
        for p in policies:  # type: ignore[attr-defined]
            passed.append(p.id)
            yield p

    result = compare(synthetic_reports(100, seed=1), [CATALOGUE[n] for n in POLICIES], progress=wrapper)  # type: ignore[arg-type]
    assert passed == list(POLICIES)
    assert [s.policy.id for s in result.sweeps] == list(POLICIES)


def test_without_pandas_the_row_by_row_path_writes_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An install without pandas reads row by row and writes with the csv module: the same output."""
    import asb_case_review.analysis.table as table_module  # noqa: PLC0415 (patched for this test)

    text = _synthetic_csv(400)
    path = tmp_path / "reports.csv"
    path.write_text(text, encoding="utf-8")
    argv = ["sweep", str(path), "--policy", "merseyside"]
    assert cli.main(argv) == cli.EXIT_MET
    columnar = capsys.readouterr().out
    monkeypatch.setattr(table_module, "pandas_reader", lambda reader: reader == "pandas")
    assert cli.main(argv) == cli.EXIT_MET
    assert capsys.readouterr().out == columnar
