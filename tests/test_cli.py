"""The command line: exit codes, errors that name the file and field, help, letters, pictures, progress."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asb_case_review import cli
from asb_case_review.policyfile import dump
from tests.builders import high_risk_policy

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, edit: Any) -> str:
    """A copy of the near-miss example, changed by *edit*, saved as *name*."""
    data = json.loads((EXAMPLES / "not-met-near-miss.json").read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("name", "code"),
    [("met-statutory.json", cli.EXIT_MET), ("not-met-near-miss.json", cli.EXIT_NOT_MET)],
    ids=["met-0", "not-met-1"],
)
def test_exit_code_says_the_outcome(capsys: pytest.CaptureFixture[str], name: str, code: int) -> None:
    """Met exits 0 and not met exits 1, with the explanation on standard output."""
    got, out, err = run(capsys, "check", str(EXAMPLES / name))
    assert got == code
    assert "Outcome:" in out
    assert err == ""


def _bad_date(data: dict[str, Any]) -> None:
    data["reports"][1]["made_on"] = "2025-13-01"


def _unknown_agency(data: dict[str, Any]) -> None:
    data["reports"][0]["agency"] = "fire"


def _report_before_incident(data: dict[str, Any]) -> None:
    data["reports"][2]["made_on"] = "2025-10-01"


def _unknown_key(data: dict[str, Any]) -> None:
    data["reports"][2]["colour"] = "red"


@pytest.mark.parametrize(
    ("edit", "names"),
    [
        (_bad_date, ["reports[1].made_on", "2025-13-01", "YYYY-MM-DD"]),
        (_unknown_agency, ["reports[0].agency", "fire", "council"]),
        (_report_before_incident, ["reports[2].made_on", "before the behaviour"]),
        (_unknown_key, ["reports[2].colour", "not a known key"]),
    ],
    ids=["bad-date", "unknown-agency", "report-before-incident", "unknown-key"],
)
def test_bad_field_exits_2_naming_file_path_and_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, edit: Any, names: list[str]
) -> None:
    """A malformed field exits 2 with one line on stderr naming the file, the path and the value."""
    path = write(tmp_path, "case.json", edit)
    code, out, err = run(capsys, "check", path)
    assert code == cli.EXIT_BAD_INPUT
    assert out == ""
    assert err.startswith(f"asb-case-review: {path}: ")
    for name in names:
        assert name in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["check"], "give an APPLICATION file"),
        (["check", "no-such-file.json"], "no-such-file.json: cannot read"),
        (["check", "--example", "--as-of", "2026-02-30"], "--as-of='2026-02-30'"),
    ],
    ids=["no-file", "missing-file", "bad-as-of"],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    """Missing or unreadable input exits 2 and says what is wrong."""
    code, _, err = run(capsys, *argv)
    assert code == cli.EXIT_BAD_INPUT
    assert needle in err


def test_standard_input_is_read_for_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check -` reads the application from standard input; errors name <stdin>."""
    text = (EXAMPLES / "met-statutory.json").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert run(capsys, "check", "-")[0] == cli.EXIT_MET
    monkeypatch.setattr(sys, "stdin", io.StringIO(text.replace('"2026-02-28"', '"28/02/2026"', 1)))
    code, _, err = run(capsys, "check", "-")
    assert code == cli.EXIT_BAD_INPUT
    assert err.startswith("asb-case-review: <stdin>: made_on='28/02/2026'")


def test_file_that_is_not_text_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A binary file exits 2 saying it is not UTF-8 text."""
    path = tmp_path / "picture.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    code, _, err = run(capsys, "check", str(path))
    assert code == cli.EXIT_BAD_INPUT
    assert f"{path}: not UTF-8 text" in err


def test_invalid_json_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file that is not JSON exits 2 naming the file and the line."""
    path = tmp_path / "broken.json"
    path.write_text('{"id": "A",\n  "reports": [\n', encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == cli.EXIT_BAD_INPUT
    assert f"{path}: line 3: not valid JSON" in err


def test_unknown_policy_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown policy name exits 2 saying which command lists the built-in ones."""
    code, _, err = run(capsys, "check", "--example", "--policy", "nowhere")
    assert code == cli.EXIT_BAD_INPUT
    assert "policy='nowhere': is not a built-in policy or a file; " in err
    assert "'asb-case-review policies list' lists all " in err


def test_undetermined_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A decision that hangs on a fact not supplied exits 3."""
    risky = high_risk_policy()
    path = tmp_path / "risk.toml"
    path.write_text(dump(risky), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--example", "--policy", str(path), "--report-floor-only")
    assert code == cli.EXIT_UNDETERMINED
    assert "Outcome: UNDETERMINED" in out


def test_a_bug_exits_4_without_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception exits 4 with a one-line report on stderr."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "evaluate", broken)
    code, out, err = run(capsys, "check", "--example")
    assert code == cli.EXIT_ERROR
    assert out == ""
    assert "internal error" in err
    assert "boom" in err


def commands() -> list[str]:
    # The test walks the real parser, so a new command without examples fails it.
    parser = cli._parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_examples(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """Every command's --help ends with examples of its own use."""
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    examples = out.partition("examples:")[2]
    assert f"asb-case-review {command}" in examples


def test_check_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    """check --help states the exit codes scripts rely on."""
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    assert "exit codes: 0 met, 1 not met, 2 bad input, 3 undetermined, 4 internal error" in (
        capsys.readouterr().out
    )


def test_main_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    """The top-level --help lists examples too."""
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "examples:" in capsys.readouterr().out


def test_applicant_letter_is_wrapped_and_keeps_dates_whole(capsys: pytest.CaptureFixture[str]) -> None:
    """The letter is wrapped to 78 columns and never splits a date across lines."""
    code, out, _ = run(capsys, "check", str(EXAMPLES / "not-met-near-miss.json"), "--for", "applicant")
    assert code == cli.EXIT_NOT_MET
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 78
    assert "A new application made by" in out
    assert "1 March 2026" in " ".join(lines)
    for month in ("September", "December", "March"):
        assert not any(line.startswith(f"{month} 20") for line in lines)


def test_json_output_is_the_decision_record(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints the decision as JSON."""
    code, out, _ = run(capsys, "check", "--example", "--format", "json")
    assert code == cli.EXIT_MET
    assert json.loads(out)["outcome"] == "met"


def test_plot_saves_the_timeline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--plot saves a PNG and says where on stderr; the exit code is still the outcome."""
    pytest.importorskip("matplotlib")
    out = tmp_path / "timeline.png"
    code, _, err = run(capsys, "check", "--example", "--plot", str(out))
    assert code == cli.EXIT_MET
    assert out.read_bytes().startswith(b"\x89PNG")
    assert f"timeline saved to {out}" in err


def test_plot_into_a_missing_folder_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A picture that cannot be written exits 2 naming the path."""
    pytest.importorskip("matplotlib")
    out = tmp_path / "no" / "such" / "folder.png"
    code, _, err = run(capsys, "check", "--example", "--plot", str(out))
    assert code == cli.EXIT_BAD_INPUT
    assert f"--plot {out}: cannot save" in err


def test_plot_without_matplotlib_says_how_to_install(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the plot extra, --plot exits 2 before printing anything, naming the extra to install."""
    monkeypatch.setitem(sys.modules, "matplotlib.dates", None)
    code, out, err = run(capsys, "check", "--example", "--plot", str(tmp_path / "t.png"))
    assert code == cli.EXIT_BAD_INPUT
    assert "asb-case-review[plot]" in err
    assert out == ""  # nothing is printed before the failure


class ClosedPipe(io.StringIO):
    """Standard output whose reader has gone away, as with `| head -1`."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", str(EXAMPLES / "not-met-near-miss.json")], cli.EXIT_NOT_MET),
        (["policies", "list"], 0),
        (["policies", "show", "merseyside"], 0),
        (["policies", "check", "gateshead"], 0),
        (["test", str(EXAMPLES / "my-council.cases.toml")], 0),
    ],
    ids=["check", "policies-list", "policies-show", "policies-check", "test"],
)
def test_closed_pipe_keeps_the_exit_code_and_stays_quiet(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: int
) -> None:
    """When the reader stops reading, the exit code still says the outcome and nothing goes to stderr."""
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = cli.main(argv)
    assert code == expected
    assert capsys.readouterr().err == ""


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def ticking(step: float) -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += step


def test_progress_draws_nothing_when_not_a_terminal() -> None:
    """Piped output gets no progress bar, however long the work."""
    stream = io.StringIO()
    clock = ticking(10.0)
    assert list(cli.progress(range(5), stream=stream, clock=lambda: next(clock))) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_progress_draws_nothing_for_quick_work() -> None:
    """Work that finishes within the delay draws nothing, even on a terminal."""
    stream = Terminal()
    clock = ticking(0.001)
    list(cli.progress(range(100), stream=stream, clock=lambda: next(clock)))
    assert stream.getvalue() == ""


def test_progress_draws_a_bar_for_slow_work_and_erases_it() -> None:
    """Slow work on a terminal shows a bar with the count, then clears the line."""
    stream = Terminal()
    clock = ticking(0.5)
    items = list(cli.progress(range(10), label="rows", stream=stream, clock=lambda: next(clock)))
    assert items == list(range(10))
    text = stream.getvalue()
    assert "rows [####################] 100% 10/10" in text
    assert text.endswith("\r")
    assert text.rstrip("\r ").count("\r") >= 2


def test_progress_without_a_total_counts_items() -> None:
    """A generator of unknown length shows a running count."""
    stream = Terminal()
    clock = ticking(2.0)
    list(cli.progress((i for i in range(3)), label="rows", stream=stream, clock=lambda: next(clock)))
    assert "rows 3" in stream.getvalue()


def test_applicant_json_names_no_one_else(capsys: pytest.CaptureFixture[str]) -> None:
    """--for applicant --format json gives the applicant's data only: no other person's ids."""
    code, out, _ = run(capsys, "check", "--example", "--for", "applicant", "--format", "json")
    assert code == cli.EXIT_MET
    data = json.loads(out)
    assert [r["report"] for r in data["your_reports"]] == ["REP-0", "REP-1", "REP-3"]
    for hidden in ("P-200", "REP-2", "H-2"):
        assert hidden not in out
    assert data["letter"].startswith("Your application of 28 February 2026 meets")
