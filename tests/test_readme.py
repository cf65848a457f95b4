"""The README's promises: its two commands, and CI running exactly its test command."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from asb_case_review import cli

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_readme_opens_with_two_commands() -> None:
    """The README's first two shell blocks install and run the main job, then the test suite."""
    run, test = readme_commands()[:2]
    assert "pip install ." in run
    assert "asb-case-review check" in run
    assert "python -m pytest" in test


def test_ci_runs_the_readme_test_command_exactly() -> None:
    """.ci/run calls the README's test command word for word."""
    test = readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_readme_python_examples_run_and_print_what_they_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every python block in the README runs, and each '# value' comment on a print matches.

    They run in an empty folder where the README's `asb-case-review synthetic ... > reports.csv`
    has been run, as a reader following it would have done.
    """
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()) as csv_text:
        assert cli.main(["synthetic", "3000", "--seed", "11"]) == 0
    (tmp_path / "reports.csv").write_text(csv_text.getvalue(), encoding="utf-8")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.+?)\n```", text, re.S):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, "README.md", "exec"), {})
        printed = out.getvalue()
        for expected in re.findall(r"^print\(.*\)\s+# (\S.*)$", block, re.M):
            if expected.startswith(("plain", "JSON")):
                continue
            assert expected in printed
        for expected in re.findall(r"^# (\d.*)$", block, re.M):
            assert expected in printed
