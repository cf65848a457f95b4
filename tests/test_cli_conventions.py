"""Command-line conventions: each command's help lists the exit codes it really returns, unknown
options are refused by the command they were given to, misspelt policy names get a suggestion, empty
CSV outputs keep their header, and the shell completion script works in bash."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asb_case_review import InvalidPolicy, cli, get_policy
from asb_case_review.policyfile import dump
from tests.builders import high_risk_policy

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
CASES = ROOT / "src" / "asb_case_review" / "catalogue" / "merseyside.cases.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int | str | None, str, str]:
    """The exit code (argparse's own exits included), standard output and standard error."""
    try:
        code: int | str | None = cli.main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """The files the invocations below name: reports, applications, a fact policy, a failing cases file."""
    risky = high_risk_policy()
    (tmp_path / "risk.toml").write_text(dump(risky), encoding="utf-8")
    assert cli.main(["synthetic", "300", "--seed", "3"]) == 0
    (tmp_path / "reports.csv").write_text(capsys.readouterr().out, encoding="utf-8")
    (tmp_path / "applications.csv").write_text(
        "id,received_on,threshold,decided_on,review_completed_on,recommendations\n"
        "A1,2025-05-01,met,2025-05-10,2025-06-01,yes\n",
        encoding="utf-8",
    )
    failing = CASES.read_text(encoding="utf-8").replace('expect = "met"', 'expect = "not_met"', 1)
    (tmp_path / "failing.cases.toml").write_text(failing, encoding="utf-8")
    names = {"risk": "risk.toml", "reports": "reports.csv", "applications": "applications.csv"}
    return {key: str(tmp_path / name) for key, name in names.items()} | {
        "failing": str(tmp_path / "failing.cases.toml")
    }


# Each command (as typed before its arguments), invocations that return each exit code it can return.
# A code listed by a command's --help that no invocation here returns fails the test, and so does an
# invocation returning a code its --help does not list.  4 (a bug) is tested once for all commands in
# test_cli.py; serve's 0 needs a server stopped from outside, so it is not run here.
INVOCATIONS: list[tuple[str, tuple[str, ...], int]] = [
    ("check", ("--example",), 0),
    ("check", (str(EXAMPLES / "not-met-near-miss.json"),), 1),
    ("check", ("nowhere.json",), 2),
    ("check", ("--example", "--policy", "{risk}", "--report-floor-only"), 3),
    ("policies list", ("--region", "Wales"), 0),
    ("policies list", ("--region", "Mars"), 2),
    ("policies show", ("merseyside",), 0),
    ("policies show", ("merseysid",), 2),
    ("policies check", ("statutory",), 0),
    ("policies check", ("canterbury",), 1),
    ("policies check", ("nowhere",), 2),
    ("test", (str(CASES),), 0),
    ("test", ("{failing}",), 1),
    ("test", ("nowhere.cases.toml",), 2),
    ("sweep", ("{reports}", "--policy", "merseyside"), 0),
    ("sweep", ("nowhere.csv",), 2),
    ("compare", ("{reports}", "--policy", "statutory", "--policy", "merseyside"), 0),
    ("compare", ("{reports}", "--engine", "fortran"), 2),
    ("stats", ("{applications}",), 0),
    ("stats", ("{reports}",), 2),
    ("synthetic", ("5",), 0),
    ("synthetic", ("0",), 2),
    ("completion", ("bash",), 0),
    ("completion", ("fish",), 2),
    ("serve", ("--port", "70000"), 2),
]
COMMANDS = sorted({command for command, _, _ in INVOCATIONS})
UNOBSERVED = {("serve", 0)}


def listed_exit_codes(help_text: str) -> set[int]:
    """The codes in the help's `exit codes:` paragraph: each number that starts an item of the list."""
    paragraph = help_text.partition("exit codes:")[2].split("\n\n")[0]
    return {int(n) for n in re.findall(r"(?:^|, |; |: )(\d+) ", " ".join(paragraph.split()))}


@pytest.mark.parametrize(
    ("command", "argv", "code"), INVOCATIONS, ids=[f"{c}-{code}" for c, _, code in INVOCATIONS]
)
def test_each_command_returns_the_exit_codes_its_help_lists(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], command: str, argv: tuple[str, ...], code: int
) -> None:
    """The invocation exits with the code shown, and that code is in the command's --help."""
    got, _, err = run(capsys, *command.split(), *(a.format(**files) if "{" in a else a for a in argv))
    assert got == code, err
    _, help_text, _ = run(capsys, *command.split(), "--help")
    assert code in listed_exit_codes(help_text), help_text


@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_lists_an_exit_code_it_never_returns(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """sweep, compare and stats list 0, 2 and 4, not check's 1 and 3: each code listed is one returned."""
    _, help_text, _ = run(capsys, *command.split(), "--help")
    returned = {code for c, _, code in INVOCATIONS if c == command} | {4}
    unobserved = {code for c, code in UNOBSERVED if c == command}
    assert listed_exit_codes(help_text) == returned | unobserved


def test_every_command_is_in_the_table_of_invocations() -> None:
    """A new command must say what it returns: the table above names every command and subcommand."""
    parser = cli._parser()
    found: list[str] = []

    def walk(prefix: str, p: object) -> None:
        for action in getattr(p, "_actions", []):
            for name, sub in (getattr(action, "choices", None) or {}).items():
                if hasattr(sub, "_actions"):
                    nested = any(hasattr(a, "choices") and isinstance(a.choices, dict) for a in sub._actions)
                    if nested:
                        walk(f"{prefix}{name} ", sub)
                    else:
                        found.append(f"{prefix}{name}")

    walk("", parser)
    assert sorted(found) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_unknown_options_are_refused_by_the_command_given_them(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """An unknown option exits 2, naming it, under the usage of the command it was given to."""
    needed = {"compare": "r.csv", "completion": "bash", "policies show": "statutory", "stats": "a.csv"}
    needed |= {"sweep": "r.csv", "synthetic": "5", "test": "t.cases.toml"}
    words = [needed[command]] if command in needed else []
    code, out, err = run(capsys, *command.split(), *words, "--no-such-option")
    assert code == 2
    assert out == ""
    assert f"asb-case-review {command}: error: unrecognized arguments: --no-such-option" in err
    assert err.startswith(f"usage: asb-case-review {command} ")


@pytest.mark.parametrize(
    "argv",
    [("check", "--example", "--poli", "statutory"), ("policies", "list", "--reg", "Wales")],
    ids=["check --poli", "policies list --reg"],
)
def test_abbreviated_options_are_refused(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    """Only whole option names are accepted, so adding an option never changes what an old script means."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert f"unrecognized arguments: {argv[2]}" in err


@pytest.mark.parametrize("action", ["list", "show", "check"])
def test_each_policies_subcommand_has_its_own_help(capsys: pytest.CaptureFixture[str], action: str) -> None:
    """`policies list|show|check --help` each show their own usage, options and examples."""
    code, out, _ = run(capsys, "policies", action, "--help")
    assert code == 0
    assert out.startswith(f"usage: asb-case-review policies {action} ")
    examples = out.partition("examples:")[2]
    assert examples
    first, second = examples.strip("\n").splitlines()[:2]
    assert first.startswith(f"  asb-case-review policies {action}")
    assert second.startswith(f"  asb-case-review policies {action}")


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (("--today", "2026-01-01", "statutory"), "--today='2026-01-01' counts days for --stale"),
        (("--all", "--stale", "30", "--strict"), "--strict applies to the check, not to --stale"),
        (("--all", "--stale", "30", "--format", "markdown"), "--format markdown applies to the check"),
    ],
    ids=["today-without-stale", "stale-strict", "stale-markdown"],
)
def test_policies_check_refuses_options_its_mode_would_ignore(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], problem: str
) -> None:
    """An option that would be silently ignored is refused, naming it."""
    code, out, err = run(capsys, "policies", "check", *argv)
    assert code == 2
    assert out == ""
    assert problem in err


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (("policies", "show", "merseysid"), "did you mean 'merseyside'?"),
        (("check", "--example", "--policy", "Statutory"), "did you mean 'statutory'?"),
        (
            ("check", "--example", "--policy", "staffordshire-moorland"),
            "did you mean 'staffordshire-moorlands'",
        ),
    ],
    ids=["merseysid", "Statutory", "staffordshire-moorland"],
)
def test_a_misspelt_policy_name_gets_a_suggestion(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], suggestion: str
) -> None:
    """The command line shows the library's nearest built-in names, then every name."""
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert suggestion in err
    assert re.search(r"'asb-case-review policies list' lists all \d+\n$", err)


def test_a_name_near_nothing_gets_no_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    """A name like no built-in one is not given a misleading guess."""
    code, _, err = run(capsys, "policies", "show", "zzzzzz")
    assert code == 2
    assert "did you mean" not in err


def test_get_policy_suggests_the_nearest_name() -> None:
    """The library's own error carries the suggestion, for every caller (the API, the command line)."""
    with pytest.raises(InvalidPolicy, match=r"is not a built-in policy; did you mean 'merseyside'\? known: "):
        get_policy("merseysde")


@pytest.mark.parametrize(
    ("show", "header"),
    [
        ("flips", "met_under,not_met_under,because,applications"),
        ("conflicts", "policy,report,reporter,matter,day,policy_outcome"),
    ],
)
def test_compare_prints_its_header_when_there_is_nothing_to_list(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], show: str, header: str
) -> None:
    """With one policy there are no flips, and the statute has no floor conflicts: the CSV is its header."""
    code, out, err = run(capsys, "compare", files["reports"], "--show", show)
    assert code == 0, err
    assert out == header + "\n"


def test_compare_header_is_the_rows_keys(capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
    """When there are flips, the header is the same one."""
    code, out, _ = run(
        capsys,
        "compare",
        files["reports"],
        "--policy",
        "statutory",
        "--policy",
        "merseyside",
        "--show",
        "flips",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "met_under,not_met_under,because,applications"
    assert len(lines) > 1


def test_synthetic_help_shows_a_single_percent_sign(capsys: pytest.CaptureFixture[str]) -> None:
    """The description reads "about 3% hate incidents", not "3%%"."""
    _, out, _ = run(capsys, "synthetic", "--help")
    assert "about 3% hate" in " ".join(out.split())
    assert "%%" not in out


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_script_completes_commands_options_and_choices(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`completion bash`, sourced in bash, registers the completion and completes words as typed."""
    pytest.importorskip("shtab")
    code, script, _ = run(capsys, "completion", "bash")
    assert code == 0
    (tmp_path / "complete.sh").write_text(script, encoding="utf-8")

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        probe = (
            f"source {tmp_path / 'complete.sh'}\n"
            "complete -p asb-case-review\n"
            f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
            f"COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}\n"
            "_shtab_asb_case_review\n"
            'printf "%s\\n" "${COMPREPLY[@]}"\n'
        )
        result = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True, check=True)
        registered, *replies = result.stdout.splitlines()
        assert registered.startswith("complete ")
        assert registered.endswith(" asb-case-review")
        return replies

    assert complete("asb-case-review", "pol") == ["policies"]
    assert complete("asb-case-review", "policies", "s") == ["show"]
    assert sorted(complete("asb-case-review", "compare", "r.csv", "--show", "")) == [
        "conflicts",
        "flips",
        "summary",
    ]
    assert "--report-floor-only" in complete("asb-case-review", "check", "--")


@pytest.mark.parametrize(
    ("shell", "start"), [("zsh", "#compdef asb-case-review"), ("tcsh", "# AUTOMATICALLY GENERATED")]
)
def test_zsh_and_tcsh_completion_scripts_complete_the_commands(
    capsys: pytest.CaptureFixture[str], shell: str, start: str
) -> None:
    """`completion zsh|tcsh` print that shell's script, naming every command (no zsh or tcsh here to run)."""
    pytest.importorskip("shtab")
    code, script, _ = run(capsys, "completion", shell)
    assert code == 0
    assert script.startswith(start)
    for command in ("check", "policies", "sweep", "compare", "stats", "synthetic", "completion"):
        assert command in script


def test_policies_show_without_the_toml_extra_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No tomli-w: `policies show` exits 2 naming the extra; `--format json` still works."""
    monkeypatch.setitem(sys.modules, "tomli_w", None)
    code, out, err = run(capsys, "policies", "show", "statutory")
    assert code == 2
    assert out == ""
    assert "pip install 'asb-case-review[toml]'" in err
    code, out, _ = run(capsys, "policies", "show", "statutory", "--format", "json")
    assert code == 0
    assert '"id": "statutory"' in out


def test_completion_without_the_extra_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No shtab: `completion` exits 2 naming the extra."""
    monkeypatch.setitem(sys.modules, "shtab", None)
    code, out, err = run(capsys, "completion", "bash")
    assert code == 2
    assert out == ""
    assert "pip install 'asb-case-review[completion]'" in err
