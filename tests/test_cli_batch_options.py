"""A batch check reads its options once into a record, leaving the parsed command line as given."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from asb_case_review import cli

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_a_batch_leaves_its_options_as_given_and_dates_each_letter(tmp_path: Path) -> None:
    """--letters and --decided-on reach every letter, and the parsed options are not rewritten."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("not-met-window-edge.json", "not-met-near-miss.json"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    out = tmp_path / "out"
    argv = ["check", str(folder), "--policy", "westminster", "--out", str(out), "--letters"]
    args = cli._parser().parse_args([*argv, "--decided-on", "2026-03-20"])
    given = dict(vars(args))
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert args.run(args) == 0
    assert vars(args) == given
    assert (args.letter, args.decided_on) == (None, "2026-03-20")
    letters = sorted(out.glob("*.letter.txt"))
    assert len(letters) == 2
    for letter in letters:
        assert "Date: 20 March 2026" in letter.read_text(encoding="utf-8")
    # The one not met gives Westminster's appeal deadline: ten working days from 20 March 2026.
    edge = (out / "APP-EDGE.letter.txt").read_text(encoding="utf-8")
    assert "that is by 7 April 2026" in " ".join(edge.split())


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, err.getvalue()


def test_a_batch_with_nothing_to_decide_is_bad_input_naming_it(tmp_path: Path) -> None:
    """A folder with no .json file, or a file with no application, exits 2 naming it and writes nothing."""
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not an application", encoding="utf-8")
    header = (EXAMPLES / "exports" / "council-cases.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "header-only.csv").write_text(header + "\n", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    cases = [
        ([str(empty)], f"check {empty}: holds no application files (*.json); there is nothing to decide"),
        (
            [str(tmp_path / "header-only.csv"), "--columns", str(EXAMPLES / "columns" / "council-cms.toml")],
            f"check {tmp_path / 'header-only.csv'}: holds no applications; there is nothing to decide",
        ),
        ([str(tmp_path / "blank.jsonl")], f"check {tmp_path / 'blank.jsonl'}: holds no applications"),
    ]
    for given, said in cases:
        out = tmp_path / "out"
        code, err = _run("check", *given, "--out", str(out))
        assert code == cli.EXIT_BAD_INPUT, err
        assert said in err
        assert "decided 0 of 0" not in err
        assert not out.exists()
