"""Real exports in from the command line: column mappings, UK dates, and many applications at once."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import attrs
import pytest

from asb_case_review import STATUTORY, Fact, cli, fact, rule
from asb_case_review.analysis.intake import ColumnMapping, applications_from_table, load_mapping
from asb_case_review.analysis.table import csv_records, reports_from_csv
from asb_case_review.policyfile import dump

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
EXPORTS = EXAMPLES / "exports"
COLUMNS = EXAMPLES / "columns"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def renamed(text: str, mapping: ColumnMapping) -> str:
    """*text*, a CSV export, with its header in the library's names (the mapping undone)."""
    back = {column: field for field, column in mapping.columns}
    header, _, rest = text.partition("\n")
    return ",".join(back.get(name, name) for name in header.split(",")) + "\n" + rest


# ------------------------------------------------------------------ column mappings


@pytest.mark.parametrize(
    ("mapping", "export", "kind"),
    [("police-rms.toml", "police-occurrences.csv", "reports"),
     ("council-cms.toml", "council-cases.csv", "applications")],
    ids=["police", "council"],
)  # fmt: skip
def test_each_example_mapping_reads_its_export(mapping: str, export: str, kind: str) -> None:
    """Every shipped mapping loads, names columns its export has, and reads the export's rows."""
    loaded = load_mapping((COLUMNS / mapping).read_text(encoding="utf-8"), file=mapping)
    text = (EXPORTS / export).read_text(encoding="utf-8")
    header = text.partition("\n")[0].split(",")
    assert {column for _, column in loaded.columns} <= set(header)
    assert loaded.date_format == "day-first"
    if kind == "reports":
        table = reports_from_csv(text, columns=loaded.report_columns, date_format=loaded.date_format)
        assert len(table) == text.count("\n") - 1
    else:
        found = applications_from_table(
            *csv_records(text), columns=dict(loaded.columns), date_format="day-first"
        )
        assert [where for where, _ in found] == ["rows 1, 2, 3", "rows 4, 5", "row 6"]


def test_sweep_through_a_mapping_equals_sweep_of_the_renamed_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--columns FILE reads an export exactly as the same table under the library's names."""
    mapping = load_mapping((COLUMNS / "police-rms.toml").read_text(encoding="utf-8"))
    plain = tmp_path / "plain.csv"
    plain.write_text(renamed((EXPORTS / "police-occurrences.csv").read_text(encoding="utf-8"), mapping))
    code, mapped, _ = run(
        capsys,
        "sweep",
        str(EXPORTS / "police-occurrences.csv"),
        "--columns",
        str(COLUMNS / "police-rms.toml"),
    )
    assert code == 0
    code, direct, _ = run(capsys, "sweep", str(plain), "--date-format", "day-first")
    assert code == 0
    assert mapped == direct
    assert "met" in {row["outcome"] for row in csv.DictReader(io.StringIO(mapped))}


def test_column_options_override_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--column wins over the --columns file, and --date-format over the file's date format."""
    text = (EXPORTS / "police-occurrences.csv").read_text(encoding="utf-8").replace("Caller Ref", "Caller")
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    mapping = str(COLUMNS / "police-rms.toml")
    code, _, err = run(capsys, "sweep", str(export), "--columns", mapping)
    assert code == 2
    assert "'Caller Ref': the reporter column is missing" in err
    code, out, _ = run(capsys, "compare", str(export), "--columns", mapping, "--column", "reporter=Caller")
    assert code == 0
    assert out.splitlines()[1].startswith("statutory@2014-10-20,5,2,")
    code, _, err = run(capsys, "sweep", str(export), "--columns", mapping, "--column", "reporter=Caller",
                       "--date-format", "iso")  # fmt: skip
    assert code == 2
    assert "row 1: began_on='03/11/2025': is not a date written YYYY-MM-DD" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--column", "reporter"], "--column='reporter': write LIBRARY_NAME=THEIR_NAME"),
        (["--column", "=Caller"], "--column='=Caller': write LIBRARY_NAME=THEIR_NAME"),
        (["--column", "repoter=Caller"], "did you mean 'reporter'?"),
        (["--columns", str(COLUMNS / "police-rms.toml"), "--column", "id=Caller Ref"],
         "columns.reporter='Caller Ref': is already the column of id"),
        (["--sheet", "Cases"], "--sheet Cases: "),
    ],
    ids=["no-equals", "no-field", "unknown-field", "column-twice", "sheet-of-csv"],
)  # fmt: skip
def test_bad_column_options_are_named(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """A malformed --column or --sheet is bad input (exit 2) naming what is wrong."""
    code, _, err = run(capsys, "sweep", str(EXPORTS / "police-occurrences.csv"), *argv)
    assert code == 2
    assert message in err


def test_an_unknown_date_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--date-format takes iso or day-first only: anything else is refused before any work."""
    with pytest.raises(SystemExit) as raised:
        cli.main(["sweep", str(EXPORTS / "police-occurrences.csv"), "--date-format", "us"])
    assert raised.value.code == 2
    assert "invalid choice: 'us'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('date_format = "dmy"\n', "columns.toml: date_format='dmy': is not a date format; expected one of"),
        ("[columns]\nmade = 'Date'\n", "columns.toml: columns.made='Date': is not a key of a report or"),
        ("colums = 1\n", "did you mean 'columns'?"),
        ("[columns]\nid = 3\n", "columns.toml: columns.id=3: must be a non-empty string"),
        ("[columns\n", "columns.toml: is not valid TOML"),
    ],
    ids=["date-format", "unknown-field", "unknown-key", "not-text", "not-toml"],
)  # fmt: skip
def test_bad_mapping_files_name_the_file_and_key(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    message: str,
) -> None:
    """A mapping file with an unknown key, field or date format is refused, naming the file and key."""
    monkeypatch.chdir(tmp_path)
    Path("columns.toml").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "sweep", str(EXPORTS / "police-occurrences.csv"), "--columns", "columns.toml")
    assert code == 2
    assert message in err


# ------------------------------------------------------------------ many applications


def summary(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))))


def test_a_csv_of_applications_is_decided_and_a_bad_one_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each application of a CSV is decided to its own file; a bad row's application is named, others kept."""
    out = tmp_path / "decisions"
    code, printed, err = run(
        capsys, "check", str(EXPORTS / "council-cases.csv"), "--columns", str(COLUMNS / "council-cms.toml"),
        "--out", str(out), "--letters",
    )  # fmt: skip
    assert code == cli.EXIT_BAD_INPUT
    rows = summary(out)
    assert printed.rstrip("\n") == (out / "summary.csv").read_text(encoding="utf-8").rstrip("\n")
    assert [(r["application"], r["outcome"], r["route"], r["matched"]) for r in rows] == [
        ("CT-101", "met", "mandatory", "s104-4"),
        ("CT-102", "not_met", "", ""),
        ("CT-103", "", "", ""),
    ]
    assert rows[2]["source"] == "row 6"
    assert "made_on='2026-02-03': is not a date written DD/MM/YYYY" in rows[2]["problem"]
    assert "council-cases.csv: row 6: made_on='2026-02-03'" in err
    assert "decided 2 of 3 applications; 1 could not be read" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "CT-101.json", "CT-101.letter.txt", "CT-102.json", "CT-102.letter.txt", "summary.csv", "summary.json",
    ]  # fmt: skip
    decision = json.loads((out / "CT-101.json").read_text(encoding="utf-8"))
    assert (decision["application"], decision["as_of"], decision["counted"]) == (
        "CT-101", "2026-02-28", ["R-1001", "R-1002", "R-1003"],
    )  # fmt: skip
    letter = (out / "CT-101.letter.txt").read_text(encoding="utf-8")
    assert "ASB Case Review: decision on your application" in letter
    assert "Your application of 28 February 2026 meets the threshold" in letter
    # The letter goes to P-A: the other complainant, P-B, and their household are never named.
    assert "P-B" not in letter
    assert "H-7" not in letter


@pytest.mark.parametrize("form", ["html", "docx"])
def test_a_batch_writes_each_letter_in_the_format_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, form: str
) -> None:
    """``--letter html|docx`` on a batch writes NAME.letter.html or .docx, the same letter as check alone."""
    out = tmp_path / "decisions"
    code, _, _ = run(
        capsys, "check", str(EXPORTS / "council-cases.csv"), "--columns", str(COLUMNS / "council-cms.toml"),
        "--out", str(out), "--letter", form, "--decided-on", "2026-03-02",
    )  # fmt: skip
    assert code == cli.EXIT_BAD_INPUT  # row 6 is bad, as above; the others are decided
    written = sorted(p.name for p in out.iterdir() if ".letter." in p.name)
    assert written == [f"CT-101.letter.{form}", f"CT-102.letter.{form}"]
    data = (out / f"CT-101.letter.{form}").read_bytes()
    if form == "html":
        page = data.decode("utf-8")
        assert "Your application of 28 February 2026 meets the threshold" in page
        assert "P-B" not in page
    else:
        assert data[:2] == b"PK"  # a Word file is a zip


def test_a_batch_refuses_one_letter_file_and_mixed_letter_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--output names one letter, so a batch refuses it; --letters is text, so it refuses --letter docx."""
    export = [str(EXPORTS / "council-cases.csv"), "--columns", str(COLUMNS / "council-cms.toml")]
    code, _, err = run(
        capsys, "check", *export, "--out", str(tmp_path), "--letter", "text", "--output", "x.txt"
    )
    assert (code, "a batch writes each letter into --out" in err) == (2, True)
    code, _, err = run(capsys, "check", *export, "--out", str(tmp_path), "--letters", "--letter", "docx")
    assert (code, "--letters writes text letters" in err) == (2, True)
    code, _, err = run(capsys, "check", *export, "--out", str(tmp_path), "--language", "cy")
    assert (code, "is an option of the letter" in err) == (2, True)


def folder_of_examples(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in EXAMPLES.glob("*.json"):
        if path.name != "expected.json":
            shutil.copy(path, folder / path.name)
    shutil.copy(EXAMPLES / "invalid" / "bad-date.json", folder / "bad-date.json")
    (folder / "notes.txt").write_text("not an application", encoding="utf-8")
    return folder


def test_a_folder_decides_every_file_as_check_decides_it_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A folder of application files: each decision is `check FILE`'s; a bad file is named, others kept."""
    folder = folder_of_examples(tmp_path)
    out = tmp_path / "out"
    code, _, err = run(capsys, "check", str(folder), "--out", str(out), "--policy", "merseyside")
    assert code == cli.EXIT_BAD_INPUT
    rows = {r["source"]: r for r in summary(out)}
    assert sorted(rows) == sorted(p.name for p in folder.glob("*.json"))
    assert rows["bad-date.json"]["outcome"] == ""
    assert "reports[2].made_on='2025-12-32'" in rows["bad-date.json"]["problem"]
    assert "bad-date.json: reports[2].made_on='2025-12-32'" in err
    for name, row in rows.items():
        if name == "bad-date.json":
            continue
        _, alone, _ = run(capsys, "check", str(folder / name), "--format", "json", "--policy", "merseyside")
        written = (out / f"{row['application']}.json").read_text(encoding="utf-8")
        assert json.loads(written) == json.loads(alone)
        assert row["outcome"] == json.loads(alone)["outcome"]


def test_json_lines_name_bad_lines_and_repeated_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """JSON Lines: a bad line, or a second application with the same id, is named by line; others decided."""
    good = json.loads((EXAMPLES / "met-statutory.json").read_text(encoding="utf-8"))
    other = dict(good, id="APP/2")
    # A line separator inside a string does not end the line: JSON Lines ends lines at LF only.
    separated = json.dumps(dict(good, id="APP-3", related_by="flat\u20289"), ensure_ascii=False)
    lines = [json.dumps(good), "", "{not json", json.dumps(good), json.dumps(other) + "\r", separated]
    source = tmp_path / "applications.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(capsys, "check", str(source), "--out", str(out), "--format", "json")
    assert code == cli.EXIT_BAD_INPUT
    rows = summary(out)
    assert [(r["source"], r["outcome"]) for r in rows] == [
        ("line 1", "met"), ("line 3", ""), ("line 4", ""), ("line 5", "met"), ("line 6", ""),
    ]  # fmt: skip
    assert rows[4]["problem"] == "related_by='flat\\u20289': holds the line separator U+2028 at position 4"
    assert "not valid JSON" in rows[1]["problem"]
    assert "is taken by application 'APP-2026-0001'" in rows[2]["problem"]
    # An id that is no file name is written under a safe one.
    assert (out / "APP_2.json").is_file()
    assert "line 3: not valid JSON" in err


def test_batch_needs_an_output_folder_and_refuses_single_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Many applications need --out; --plot is one application's; table options are refused for JSON files."""
    code, _, err = run(capsys, "check", str(EXPORTS / "council-cases.csv"))
    assert (code, "name a folder to write them to, --out DIR" in err) == (2, True)
    code, _, err = run(capsys, "check", str(EXAMPLES), "--out", str(tmp_path), "--plot", "x.png")
    assert (code, "--plot and --as-of decide one application" in err) == (2, True)
    code, _, err = run(capsys, "check", str(EXAMPLES / "met-statutory.json"), "--date-format", "day-first")
    assert (code, "an application JSON file writes its dates YYYY-MM-DD" in err) == (2, True)
    code, _, err = run(
        capsys, "check", str(EXPORTS / "council-cases.csv"), "--out", str(tmp_path), "--sheet", "A"
    )
    assert (code, "--sheet A: " in err and "is not an .xlsx workbook" in err) == (2, True)
    code, _, err = run(capsys, "check", str(EXAMPLES / "met-statutory.json"), "--out", str(tmp_path))
    assert (code, "--out and --letters decide a folder" in err) == (2, True)
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "check", str(EXAMPLES), "--out", str(blocker))
    assert (code, "is a file; name a folder" in err) == (2, True)


def test_an_application_before_any_version_of_the_policy_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An application dated before the policy took effect is reported, not decided under another version."""
    data = json.loads((EXAMPLES / "met-statutory.json").read_text(encoding="utf-8"))
    old = tmp_path / "in"
    old.mkdir()
    (old / "a.json").write_text(json.dumps(data), encoding="utf-8")
    policy = tmp_path / "late.toml"
    policy.write_text(dump(attrs.evolve(STATUTORY, id="late", version="2027")).replace(
        "effective_from = 2014-10-20", "effective_from = 2027-01-01"), encoding="utf-8")  # fmt: skip
    code, _, _ = run(capsys, "check", str(old), "--out", str(tmp_path / "out"), "--policy", str(policy))
    assert code == 2
    assert "no version is in force on that day" in summary(tmp_path / "out")[0]["problem"]


# ------------------------------------------------------------------ --fact on check


@pytest.fixture
def fact_policy(tmp_path: Path) -> str:
    """A policy file whose condition is the case fact no_action_taken."""
    policy = attrs.evolve(
        STATUTORY,
        id="needs-inaction",
        conditions=(rule("inaction", fact(Fact.NO_ACTION_TAKEN), label="no action was taken"),),
    )
    path = tmp_path / "needs-inaction.toml"
    path.write_text(dump(policy), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("facts", "code"),
    [([], cli.EXIT_UNDETERMINED), (["--fact", "no_action_taken=yes"], cli.EXIT_MET),
     (["--fact", "no_action_taken=no"], cli.EXIT_NOT_MET)],
    ids=["unknown", "yes", "no"],
)  # fmt: skip
def test_check_fact_decides_what_hangs_on_it(
    capsys: pytest.CaptureFixture[str], fact_policy: str, facts: list[str], code: int
) -> None:
    """check --fact NAME=yes|no supplies a case fact: unknown without it, met or not met with it."""
    application = str(EXAMPLES / "met-statutory.json")
    got, _, _ = run(capsys, "check", application, "--policy", fact_policy, "--report-floor-only", *facts)
    assert got == code


def test_check_fact_is_refused_when_unknown_or_contradicting(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An unknown fact name is refused with the nearest one; a fact the file records otherwise is an error."""
    code, _, err = run(capsys, "check", "--example", "--fact", "no_action=yes")
    assert code == 2
    assert "--fact no_action: is not a case fact; did you mean 'no_action_taken'?" in err
    data = json.loads((EXAMPLES / "met-statutory.json").read_text(encoding="utf-8"))
    data["facts"] = {"no_action_taken": False}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "check", str(path), "--fact", "no_action_taken=yes")
    assert code == 2
    assert "facts.no_action_taken=False: the application records it; --fact says True" in err


def test_the_mapping_shown_in_the_docs_is_the_shipped_file() -> None:
    """docs/data-in.md shows examples/columns/council-cms.toml exactly as shipped."""
    page = (ROOT / "docs" / "data-in.md").read_text(encoding="utf-8")
    shown = page.split("```toml\n", 1)[1].split("```", 1)[0]
    assert shown == (COLUMNS / "council-cms.toml").read_text(encoding="utf-8")


def test_a_batch_for_the_applicant_and_with_facts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--for applicant writes the applicant's JSON; a --fact an application records otherwise is its error."""
    folder = tmp_path / "in"
    folder.mkdir()
    data = json.loads((EXAMPLES / "met-statutory.json").read_text(encoding="utf-8"))
    (folder / "a.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps(dict(data, id="B", facts={"no_action_taken": False})), "utf-8")
    out = tmp_path / "out"
    argv = ["check", str(folder), "--out", str(out), "--for", "applicant", "--fact", "no_action_taken=yes"]
    assert cli.main(argv) == cli.EXIT_BAD_INPUT
    rows = summary(out)
    assert [(r["source"], r["outcome"]) for r in rows] == [("a.json", "met"), ("b.json", "")]
    assert "facts.no_action_taken=False: the application records it" in rows[1]["problem"]
    written = json.loads((out / "APP-2026-0001.json").read_text(encoding="utf-8"))
    assert "your_reports" in written
    assert "fates" not in written
    assert "P-200" not in json.dumps(written)
    assert "b.json" in capsys.readouterr().err


def test_a_batch_with_nothing_bad_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Every application decided: exit 0, whatever the outcomes; the summary counts them."""
    lines = [
        (EXAMPLES / name).read_text(encoding="utf-8")
        for name in ("met-statutory.json", "not-met-near-miss.json")
    ]
    source = tmp_path / "two.jsonl"
    source.write_text("\n".join(json.dumps(json.loads(text)) for text in lines), encoding="utf-8")
    assert cli.main(["check", str(source), "--out", str(tmp_path / "out")]) == cli.EXIT_MET
    assert [r["outcome"] for r in summary(tmp_path / "out")] == ["met", "not_met"]
    assert capsys.readouterr().err.endswith(f"decided 2 of 2 applications; written to {tmp_path / 'out'}\n")


def test_a_batch_follows_report_floor_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fact_policy: str
) -> None:
    """--report-floor-only applies to every application of a batch as to one."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "met-statutory.json", folder / "a.json")
    argv = ["check", str(folder), "--policy", fact_policy]
    assert cli.main([*argv, "--out", str(tmp_path / "floor")]) == 0
    assert cli.main([*argv, "--out", str(tmp_path / "written"), "--report-floor-only"]) == 0
    assert [(r["outcome"], r["route"]) for r in summary(tmp_path / "floor")] == [("met", "statutory_floor")]
    assert [(r["outcome"], r["route"]) for r in summary(tmp_path / "written")] == [("unknown", "")]
    capsys.readouterr()
