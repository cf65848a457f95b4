"""The columnar reader at national scale, shrunk: its block-at-a-time paths agree with the row reader."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asb_case_review.analysis.compare import compare
from asb_case_review.analysis.sweep import SweepArrays, sweep
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.analysis.table import reports_from_csv, reports_from_dataframe
from asb_case_review.catalogue import CATALOGUE

from .test_analysis_vectorised import agree, messy_csv

pd = pytest.importorskip("pandas")
vectorised = pytest.importorskip("asb_case_review.analysis.vectorised")
columnar = pytest.importorskip("asb_case_review.analysis.columnar")
np = pytest.importorskip("numpy")

HEADER = "id,reporter,household,matter,incident,began_on,ended_on,made_on,agency,kind,hate"


def _row(n: int) -> str:
    """A good row: ids and incidents all distinct, reporters and matters often repeated, few dates."""
    day = 1 + n % 9
    return f"R{n},P{n % 13},,M{n % 5},I{n},2025-10-0{day},,2025-10-{day + 10},police,complaint,no"


def _national(rows: int) -> list[str]:
    """A table in blocks: a repeated id and an incident given two ways far from their first rows,
    a quoted line and a stray quote between plain ones, and a blank line."""
    lines = [HEADER, *(_row(n) for n in range(1, rows + 1))]
    lines[40] = _row(3).replace("I3", "I40")  # repeats the id R3 of row 3, in a later block
    lines[45] = _row(45).replace("I45", "I7").replace("M0", "M4")  # incident I7 with a different matter
    lines[50] = '"R50",P1,,M1,I50,2025-10-01,,2025-10-11,police,complaint,no'  # read by the csv module
    lines[52] = 'R52,"P1,,M1,I52,2025-10-01,,2025-10-11,police,complaint,no'  # a stray quote
    lines[55] = ""
    return lines


@pytest.mark.parametrize("block", [8, 16, 1000])
@pytest.mark.parametrize("on_error", ["skip", "stop"])
def test_blocks_of_rows_give_the_row_readers_table(monkeypatch: Any, block: int, on_error: Any) -> None:
    """Read a block at a time (mostly distinct columns numbered at the end, the others as they come),
    the table, its row numbers and its problems are the row-by-row reader's."""
    monkeypatch.setattr(vectorised, "_ROWS_AT_ONCE", block)
    text = "\n".join(_national(90))
    agree(lambda reader: reports_from_csv(text, on_error=on_error, reader=reader))
    table = reports_from_csv(text, on_error="skip", reader="pandas")
    assert [(p.row, p.field) for p in table.problems] == [(40, "id"), (45, "incident"), (52, "reporter")]
    assert len(table) == 90 - 1 - 3
    # The codes the numpy sweep is handed group equal values exactly.
    encoded = table._encoded
    assert encoded is not None
    for field, name in (("matter", "matter"), ("reporter", "reporter"), ("incident", "incident")):
        values = getattr(table, field)
        codes = encoded[name].tolist()
        assert len(set(zip(codes, values, strict=True))) == len(set(values)) == len(set(codes))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=messy_csv(), on_error=st.sampled_from(["skip", "stop"]), block=st.integers(1, 4))
def test_messy_csv_read_in_small_blocks_agrees(text: str, on_error: Any, block: int) -> None:
    """Generated messy CSV, read a few rows at a time, still gives the row reader's table and problems."""
    saved = vectorised._ROWS_AT_ONCE
    vectorised._ROWS_AT_ONCE = block
    try:
        agree(lambda reader: reports_from_csv(text, on_error=on_error, reader=reader))
    finally:
        vectorised._ROWS_AT_ONCE = saved


def test_a_frame_of_pandas_text_columns_agrees() -> None:
    """A DataFrame of pandas' own text type (as read_csv makes it), NaN where empty, agrees exactly."""
    frame = pd.read_csv(io.StringIO("\n".join(_national(60)[:50])), dtype=str)
    agree(lambda reader: reports_from_dataframe(frame, on_error="skip", reader=reader))


def test_the_days_each_application_stays_met_are_worked_out_when_first_read(monkeypatch: Any) -> None:
    """A numpy sweep answers met or not at once, and a comparison summarises, flips and finds
    conflicts, without working out met_until; it is worked out on its first read, once, and equals
    the pure-Python engine's."""
    table = synthetic_reports(400, seed=3)
    policy = CATALOGUE["staffordshire-moorlands"]
    made: list[int] = []
    until_days = columnar.ColumnarSweep.until_days

    def counted(self: Any, *args: Any) -> Any:
        made.append(1)
        return until_days(self, *args)

    monkeypatch.setattr(columnar.ColumnarSweep, "until_days", counted)
    result = sweep(table, policy, engine="numpy")
    assert result.arrays is not None
    assert made == []
    assert result.outcome == sweep(table, policy, engine="python").outcome
    assert made == []
    comparison = compare(table, [CATALOGUE["statutory"], policy, CATALOGUE["merseyside"]], engine="numpy")
    summary, flips, conflicts = comparison.summary(), comparison.flip_counts(), list(comparison.conflicts())
    assert made == []
    python = compare(table, [CATALOGUE["statutory"], policy, CATALOGUE["merseyside"]], engine="python")
    # Equal but for the engine each names.
    assert [{**row, "engine": "-"} for row in summary] == [{**row, "engine": "-"} for row in python.summary()]
    assert (flips, conflicts) == (python.flip_counts(), list(python.conflicts()))
    days = result.arrays.met_until
    assert result.arrays.met_until is days
    assert result.met_until == sweep(table, policy, engine="python").met_until
    assert made == [1]


def test_sweep_arrays_take_met_until_as_an_array_too() -> None:
    """SweepArrays given the days themselves hands them back as they are."""
    days = np.array([-1, 5])
    arrays = SweepArrays(days, days, days, days, ((),), days, days, 0, 2**31, days)
    assert arrays.met_until is days


@pytest.mark.parametrize("odd", ["P,1", 'P"1', "P1"])
def test_the_sweep_command_writes_what_the_csv_module_writes(
    tmp_path: Any, capsys: pytest.CaptureFixture[str], monkeypatch: Any, odd: str
) -> None:
    """Each part of the answers written once per distinct value, or every cell where a text cell needs quotes:
    the bytes of the csv module's writer over the sweep's records spelled as every CSV is, block by block."""
    from asb_case_review import cli  # noqa: PLC0415 (the command line, only here)
    from asb_case_review._csvtext import cells  # noqa: PLC0415

    lines = _national(90)
    lines[7] = lines[7].replace("P7,", f'"{odd.replace(chr(34), chr(34) * 2)}",')
    path = tmp_path / "reports.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(cli, "_ROWS_AT_ONCE", 16)
    assert cli.main(["sweep", str(path), "--skip-bad-rows", "--policy", "staffordshire-moorlands"]) == 0
    table = reports_from_csv(path.read_text(encoding="utf-8"), on_error="skip", reader="python")
    assert odd in table.reporter
    records = list(sweep(table, CATALOGUE["staffordshire-moorlands"], engine="python").records())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(map(cells, records))
    assert capsys.readouterr().out == buffer.getvalue()


def test_answer_columns_are_the_arrays_own() -> None:
    """The answer columns come from the numpy engine's arrays: the pure-Python sweep says so by name."""
    table = synthetic_reports(50, seed=2)
    policy = CATALOGUE["statutory"]
    with pytest.raises(ValueError, match="numpy engine"):
        sweep(table, policy, engine="python").answer_columns(slice(0, 5))
    numpy = sweep(table, policy, engine="numpy")
    whole = numpy.text_columns()
    picked = numpy.answer_columns(np.array([3, 1]))
    assert picked == {name: [whole[name][3], whole[name][1]] for name in picked}


def test_a_cell_that_is_not_text_is_written_by_the_csv_module() -> None:
    """Cells the fast writer cannot join as text (or that need escaping) go to the csv module's writer."""
    from asb_case_review._csvtext import written_as_is  # noqa: PLC0415

    assert not written_as_is(["R1", 2])
    assert not written_as_is(["R1", "a,b"])
    assert not written_as_is(["R1", "@P2"])
    assert written_as_is(["R1", "P 2"])
