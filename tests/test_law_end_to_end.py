"""Issues 8 and 9's reproducers and readings, run as users run them: the command line and the API.

* the not_/recency policy: the sweep's met_until and standings on the command line equal evaluate's;
* complaints about continuing behaviour: one person's monthly complaints are three complaints, the
  same complaint made twice is one, by `check` and by `sweep`;
* what a not-met letter says a new application would need is true: never "N more would meet it"
  when no new report can meet the rule, every unit afresh when the reports counted fall in a
  closed period, and s.104(4)'s own near miss when the floor can still be met;
* `policies check` exits 1 on each of the policies that plainly defeat s.104(4).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any, Final

import attrs
import pytest

from asb_case_review import (
    Anchor,
    Application,
    Incident,
    Policy,
    Report,
    Selection,
    Who,
    Window,
    count,
    evaluate,
    for_applicant,
    months,
    rule,
)
from asb_case_review.cli import main
from asb_case_review.policyfile import dump, load_policy
from asb_case_review.render import applicant_paragraphs, to_applicant_dict
from tests.test_audit import valid
from tests.test_laws_conformance import FIVE

D = dt.date


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------ issue 8: not_ and recency

NOT_RECENCY_FILE = """\
id = "not-recency"
title = "a statutory route of one, and a local rule that no report is recent"
version = "1"
effective_from = 2014-10-20
threshold = 1

[[local]]
id = "quiet"
label = "no report in the last seven months"
kind = "not"

[local.part]
kind = "recency"

[local.part.within]
months = 7
"""


def test_the_not_recency_reproducer_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """One report on 2023-12-20: met until 2024-06-19, stopped on 2024-06-20, met again (two periods)."""
    policy = _write(tmp_path / "not-recency.toml", NOT_RECENCY_FILE)
    reports = _write(
        tmp_path / "one.csv", "id,reporter,matter,began_on,made_on\nR1,P1,M1,2023-12-20,2023-12-20\n"
    )
    code, out = run(capsys, "sweep", reports, "--policy", policy)
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["outcome"], row["met_until"]) == ("met", "2024-06-19")
    code, out = run(capsys, "sweep", reports, "--policy", policy, "--standings")
    assert code == 0
    (standing,) = csv.DictReader(io.StringIO(out))
    assert (standing["first_met"], standing["stopped"], standing["periods_met"]) == (
        "2023-12-20",
        "2024-06-20",
        "2",
    )
    # evaluate says the same of an application made that day.
    reports_in = Report(
        "R1",
        reporter="P1",
        made_on=D(2023, 12, 20),
        incident=Incident("I1", matter="M1", began_on=D(2023, 12, 20)),
    )
    application = Application(
        "A", applicant="P1", made_on=D(2023, 12, 20), matter="M1", reports=(reports_in,)
    )
    assert evaluate(application, load_policy(NOT_RECENCY_FILE)).met_until == D(2024, 6, 19)


# ------------------------------------------------------------------ issue 9.1: continuing behaviour

NOISE: dict[str, Any] = {
    "id": "APP-NOISE",
    "applicant": "V",
    "made_on": "2025-07-01",
    "matter": "FLAT-9",
    "incidents": [{"id": "NOISE", "matter": "FLAT-9", "began_on": "2025-03-03", "ended_on": "2025-06-30"}],
    "reports": [
        {"id": f"R{i}", "reporter": "V", "made_on": day, "incident": "NOISE", "agency": "council"}
        for i, day in enumerate(["2025-04-10", "2025-05-12", "2025-06-20"], start=1)
    ],
}


def test_monthly_complaints_about_continuing_noise_meet_s104_4_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Noise 3 March to 30 June 2025, complaints 10 April, 12 May, 20 June, applied 1 July: met (exit 0)."""
    code, out = run(capsys, "check", _write(tmp_path / "noise.json", json.dumps(NOISE)), "--for", "applicant")
    assert code == 0
    assert "meets the threshold" in out
    assert "We\ncounted three" in out or "We counted three" in " ".join(out.split())
    assert "already counted" not in out


def test_the_same_complaint_made_twice_counts_once_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The 10 April complaint made to the police too is one complaint: two of three, not met (exit 1)."""
    data: dict[str, Any] = json.loads(json.dumps(NOISE))
    data["reports"][1]["made_on"] = "2025-04-10"
    data["reports"][1]["agency"] = "police"
    data["reports"] = [*data["reports"][:2], dict(data["reports"][2], made_on="2025-05-12")]
    code, out = run(capsys, "check", _write(tmp_path / "twice.json", json.dumps(data)), "--format", "json")
    assert code == 1
    decided = json.loads(out)
    (shortfall,) = decided["shortfalls"]
    assert (shortfall["count"], shortfall["at_least"]) == (2, 3)
    assert [f["reason"] for f in decided["fates"]].count("duplicate") == 1


def test_the_sweep_counts_continuing_complaints_as_check_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The same reports swept: met from the third complaint; a same-day copy to the police adds nothing."""
    rows = "id,reporter,matter,incident,began_on,ended_on,made_on,agency\n" + "".join(
        f"{r['id']},V,FLAT-9,NOISE,2025-03-03,2025-06-30,{r['made_on']},council\n" for r in NOISE["reports"]
    )
    rows += "R4,V,FLAT-9,NOISE,2025-03-03,2025-06-30,2025-06-20,police\n"
    code, out = run(capsys, "sweep", _write(tmp_path / "noise.csv", rows))
    assert code == 0
    got = [(r["report"], r["outcome"], r["met_until"]) for r in csv.DictReader(io.StringIO(out))]
    # Met until the first complaint's six months run out (9 October): the copy is no fourth complaint.
    assert got == [
        ("R1", "not_met", ""),
        ("R2", "not_met", ""),
        ("R3", "met", "2025-10-09"),
        ("R4", "met", "2025-10-09"),
    ]


# ------------------------------------------------------------------ issue 9.2: what a near miss says

FIRST_COMPLAINT_ROWS = "id,reporter,matter,began_on,made_on\n" + "".join(
    f"R{i},V,M,{day},{day}\n"
    for i, day in enumerate(["2020-01-02", "2025-03-01", "2025-04-01", "2025-05-01"])
)


def test_within_six_months_of_the_first_complaint_on_every_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A 2020 complaint does not fix the window: March to May 2025 are a run of three, met until 31 October.

    evaluate decides it; the pure-Python sweep hands it to evaluate; the numpy engine refuses it by
    name; the command line sweeps it (with a policy file) to evaluate's answers.
    """
    from asb_case_review.analysis.plan import Unsupported  # noqa: PLC0415 (the analysis extra)
    from asb_case_review.analysis.sweep import sweep  # noqa: PLC0415
    from asb_case_review.analysis.table import reports_from_csv  # noqa: PLC0415

    policy = _three(Anchor.FIRST_REPORT)
    rows = _write(tmp_path / "first.csv", FIRST_COMPLAINT_ROWS)
    table = reports_from_csv(FIRST_COMPLAINT_ROWS)
    reports = table.to_reports()
    applications = [table.application("V", "M", day, reports=reports) for day in table.made_on]
    expected = [evaluate(application, policy).outcome.value for application in applications]
    assert expected == ["not_met", "not_met", "not_met", "met"]
    python = sweep(table, policy, engine="python")
    assert (python.engine, [o.value for o in python.outcome]) == ("evaluate", expected)
    assert python.met_until[-1] == D(2025, 10, 31)
    with pytest.raises(Unsupported, match=r"numpy engine does not compute Window\.anchor='first_report'"):
        sweep(table, policy, engine="numpy")
    code, out = run(capsys, "sweep", rows, "--policy", _write(tmp_path / "area.toml", dump(policy)))
    assert code == 0
    got = [(r["outcome"], r["met_until"]) for r in csv.DictReader(io.StringIO(out))]
    assert got == [("not_met", ""), ("not_met", ""), ("not_met", ""), ("met", "2025-10-31")]


# ------------------------------------------------------------------ a lag binding only the first report

# East Devon: "3 or more reports ... in the last 6 months ... The first report ... was made within
# one month".  A report made four months after its incident in 2019, then reports (incident, made)
# in the last six months: the lag binds the first of the reports counted, not that 2019 report.
EAST_DEVON_FACTS: Final = {"investigation_complete": True, "harassment_alarm_distress": True}
LATE_IN_2019: Final = ("2019-01-01", "2019-05-01")
IN_TIME: Final = [("2025-02-01", "2025-02-10"), ("2025-03-01", "2025-03-10"), ("2025-04-01", "2025-04-10")]
# Made on 20 January 2025 about behaviour on 1 October 2024: late, and inside the window.
LATE_IN_WINDOW: Final = ("2024-10-01", "2025-01-20")


def _east_devon(path: Path, *reports: tuple[str, str], made_on: str = "2025-06-01") -> tuple[str, str]:
    """The victim V's application to East Devon (and its reports as a CSV): one incident a report."""
    data = {
        "id": "A",
        "applicant": "V",
        "made_on": made_on,
        "matter": "M",
        "facts": EAST_DEVON_FACTS,
        "incidents": [{"id": f"I{i}", "matter": "M", "began_on": b} for i, (b, _) in enumerate(reports)],
        "reports": [
            {"id": f"R{i}", "reporter": "V", "made_on": m, "incident": f"I{i}"}
            for i, (_, m) in enumerate(reports)
        ],
    }
    rows = "id,reporter,matter,began_on,made_on\n" + "".join(
        f"R{i},V,M,{b},{m}\n" for i, (b, m) in enumerate(reports)
    )
    return _write(path / "a.json", json.dumps(data)), _write(path / "reports.csv", rows)


@pytest.mark.parametrize(
    "reports",
    [(LATE_IN_2019, *IN_TIME), (LATE_IN_2019, LATE_IN_WINDOW, *IN_TIME)],
    ids=["late-in-2019", "late-inside-the-window"],
)
def test_a_late_report_never_bars_the_first_report_counted_on_every_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reports: tuple[tuple[str, str], ...]
) -> None:
    """East Devon: a late report (in 2019, or inside the window before the rest) then three reports made
    in time in the last six months meet the policy as written, by its own route, on every path.

    evaluate, check, the sweep command and both sweep engines (each computes the lag itself) agree:
    met by the mandatory rule until 9 August 2025.
    """
    from asb_case_review.analysis.columnar import Columns, sweep_columns  # noqa: PLC0415 (the analysis extra)
    from asb_case_review.analysis.sweep import sweep  # noqa: PLC0415
    from asb_case_review.analysis.table import reports_from_csv  # noqa: PLC0415
    from asb_case_review.catalogue import get_policy  # noqa: PLC0415
    from asb_case_review.models import Fact  # noqa: PLC0415
    from asb_case_review.parsing import application_from_mapping  # noqa: PLC0415

    given, rows = _east_devon(tmp_path, *reports)
    policy = get_policy("east-devon")
    decision = evaluate(application_from_mapping(json.loads(Path(given).read_text(encoding="utf-8"))), policy)
    assert (decision.outcome.value, decision.policy_outcome.value, decision.route) == (
        "met",
        "met",
        "mandatory",
    )
    assert decision.met_until == D(2025, 8, 9)
    late = [f for f in decision.fates if f.reason.value == "late_report"]
    assert [f.report for f in late] == (["R1"] if LATE_IN_WINDOW in reports else [])
    code, out = run(capsys, "check", given, "--policy", "east-devon", "--format", "json")
    decided = json.loads(out)
    assert (code, decided["outcome"], decided["policy_outcome"], decided["route"]) == (
        0,
        "met",
        "met",
        "mandatory",
    )
    assert decided["warnings"] == []
    table = reports_from_csv(Path(rows).read_text(encoding="utf-8"))
    facts = {Fact.INVESTIGATION_COMPLETE: True, Fact.HARASSMENT_ALARM_DISTRESS: True}
    python = sweep(table, policy, facts=facts, engine="python")
    columns = Columns.from_table(table)
    numpy = sweep_columns(columns, policy, facts=facts).to_sweep(columns)
    assert (python.engine, numpy.engine) == ("python", "numpy")
    for answers in (python, numpy):
        last = list(answers)[-1]
        assert (last.outcome.value, last.policy_outcome.value, last.route, last.met_until) == (
            "met",
            "met",
            "mandatory",
            D(2025, 8, 9),
        )
    facts_argv = ("--fact", "investigation_complete=yes", "--fact", "harassment_alarm_distress=yes")
    code, out = run(capsys, "sweep", rows, "--policy", "east-devon", *facts_argv, "--no-progress")
    assert code == 0
    *_, last_row = csv.DictReader(io.StringIO(out))
    assert (last_row["policy_outcome"], last_row["route"], last_row["matched"], last_row["met_until"]) == (
        "met",
        "mandatory",
        "three-reports",
        "2025-08-09",
    )
    assert last_row["floor_conflict"] == "false"


def test_a_late_first_report_then_two_in_time_needs_one_more(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """East Devon, the 2019 late report and two made in time: not met, and one more report made by
    9 August 2025 would meet it (a late report closes nothing), in the letter and the officer's JSON."""
    given, _ = _east_devon(tmp_path, LATE_IN_2019, *IN_TIME[:2])
    argv = ("check", given, "--policy", "east-devon", "--report-floor-only")
    code, out = run(capsys, *argv, "--format", "json")
    decided = json.loads(out)
    assert (code, decided["policy_outcome"]) == (1, "not_met")
    (shortfall,) = decided["shortfalls"]
    assert (shortfall["more_needed"], shortfall["deadline"]) == (1, "2025-08-09")
    code, out = run(capsys, *argv, "--for", "applicant")
    letter = " ".join(out.split())
    assert (
        "A new application made by 9 August 2025, after one more qualifying report, would meet it." in letter
    )
    assert "No new application can meet this rule" not in letter


def _victim_reports(*days: dt.date) -> tuple[Report, ...]:
    return tuple(
        Report(
            f"R{i}",
            reporter="V",
            made_on=day,
            incident=Incident(f"I{i}", matter="M", began_on=day - dt.timedelta(days=1)),
        )
        for i, day in enumerate(days, start=1)
    )


def _three(anchor: Anchor, span: int = 6) -> Policy:
    selection = Selection(who=Who.VICTIM, window=Window(months(span), anchor=anchor))
    return Policy(
        "area",
        title="An area",
        version="1",
        effective_from=D(2014, 10, 20),
        mandatory=rule(
            "own", count(3, selection=selection), label="three complaints within the first's six months"
        ),
    )


# The first report (January 2024) ties the application to it: its six months closed long ago.
TIED = Application(
    "A",
    applicant="V",
    made_on=D(2025, 6, 1),
    matter="M",
    reports=_victim_reports(D(2024, 1, 10), D(2025, 5, 1), D(2025, 5, 20)),
)


def test_no_new_application_can_meet_a_rule_tied_to_a_first_report_whose_period_closed() -> None:
    """The letter says so, and never that more reports would meet it; the JSON needs no number."""
    decision = evaluate(TIED, _three(Anchor.FIRST_REPORT_AND_APPLICATION), enforce_floor=False)
    letter = " ".join(for_applicant(decision).split())
    assert "No new application can meet this rule, whatever is reported from now on." in letter
    assert "would meet it" not in letter
    (near,) = to_applicant_dict(decision)["near_misses"]
    assert near["more_needed"] is None
    (shortfall,) = decision.shortfalls()
    assert shortfall.describe().startswith(
        "0 of 3 complaints; no new report can meet it: the 6 calendar months"
    )
    welsh = " ".join(" ".join(applicant_paragraphs(decision, language="cy")).split())
    assert "Ni all cais newydd fodloni'r rheol hon, beth bynnag a adroddir o hyn ymlaen." in welsh


def test_with_the_floor_enforced_the_near_miss_is_s104_4_when_the_policys_rule_is_closed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two complaints in May 2025 count under s.104(4): one more, by 31 October 2025, would meet it."""
    policy = _three(Anchor.FIRST_REPORT_AND_APPLICATION)
    decision = evaluate(TIED, policy)
    letter = " ".join(for_applicant(decision).split())
    assert "(s.104(4))" in letter
    assert (
        "A new application made by 31 October 2025, after one more qualifying complaint, would meet it."
        in letter
    )
    assert "No new application can meet" not in letter
    rules = [n["rule"] for n in to_applicant_dict(decision)["near_misses"]]
    assert rules == [policy.mandatory.label, decision.floor_rule.label]
    # The same from the command line, with the policy as a file.
    data = {
        "id": "A",
        "applicant": "V",
        "made_on": "2025-06-01",
        "matter": "M",
        "incidents": [
            {"id": r.incident.id, "matter": "M", "began_on": r.incident.began_on.isoformat()}
            for r in TIED.reports
        ],
        "reports": [
            {"id": r.id, "reporter": "V", "made_on": r.made_on.isoformat(), "incident": r.incident.id}
            for r in TIED.reports
        ],
    }
    application = _write(tmp_path / "tied.json", json.dumps(data))
    policy_file = _write(tmp_path / "area.toml", dump(policy))
    code, out = run(capsys, "check", application, "--policy", policy_file, "--for", "applicant")
    assert code == 1
    assert "after one more qualifying complaint, would meet it" in " ".join(out.split())
    code, out = run(
        capsys, "check", application, "--policy", policy_file, "--for", "applicant", "--report-floor-only"
    )
    assert "No new application can meet this rule" in " ".join(out.split())


def test_a_closed_run_needs_every_unit_afresh_in_the_letter() -> None:
    """Reports of 1 January and 1 February in a two-month run that has closed: three new ones, not one."""
    application = attrs.evolve(
        TIED, made_on=D(2025, 5, 1), reports=_victim_reports(D(2025, 1, 1), D(2025, 2, 1))
    )
    decision = evaluate(application, _three(Anchor.FIRST_REPORT, span=2), enforce_floor=False)
    letter = " ".join(for_applicant(decision).split())
    assert (
        "The reports counted fall within a period that has now closed, so new reports cannot be added to "
        "them: a new application, after three more qualifying complaints, each made in time, would meet it."
    ) in letter
    assert "one more" not in letter
    (near,) = to_applicant_dict(decision)["near_misses"]
    assert near["more_needed"] == 3
    welsh = " ".join(" ".join(applicant_paragraphs(decision, language="cy")).split())
    assert "felly ni ellir ychwanegu adroddiadau newydd atynt" in welsh


def _application_file(path: Path, application: Application) -> str:
    """*application* (the victim's own reports, one incident each) as an application file."""
    data = {
        "id": application.id,
        "applicant": application.applicant,
        "made_on": application.made_on.isoformat(),
        "matter": application.matter,
        "incidents": [
            {"id": r.incident.id, "matter": r.incident.matter, "began_on": r.incident.began_on.isoformat()}
            for r in application.reports
        ],
        "reports": [
            {"id": r.id, "reporter": r.reporter, "made_on": r.made_on.isoformat(), "incident": r.incident.id}
            for r in application.reports
        ],
    }
    return _write(path, json.dumps(data))


_NEEDED: Final = {
    # No new application can meet a rule tied to a first report whose period closed: no number.
    "closed": (Anchor.FIRST_REPORT_AND_APPLICATION, 6, TIED, None),
    # Two reports in a closed two-month run: three new ones, not the one short of the run.
    "afresh": (
        Anchor.FIRST_REPORT,
        2,
        attrs.evolve(TIED, made_on=D(2025, 5, 1), reports=_victim_reports(D(2025, 1, 1), D(2025, 2, 1))),
        3,
    ),
}


@pytest.mark.parametrize("case", list(_NEEDED))
def test_the_officers_json_says_what_the_letter_says_a_new_application_needs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    """check --format json: a shortfall's more_needed is the letter's number (Tally.new_needed), as the
    applicant's JSON gives it, never the count's shortfall that no new report can make good."""
    anchor, span, application, needed = _NEEDED[case]
    policy_file = _write(tmp_path / "area.toml", dump(_three(anchor, span=span)))
    given = _application_file(tmp_path / "a.json", application)
    argv = ("check", given, "--policy", policy_file, "--report-floor-only")
    code, out = run(capsys, *argv, "--format", "json")
    assert code == 1
    decided = json.loads(out)
    (shortfall,) = decided["shortfalls"]
    assert shortfall["more_needed"] == needed
    valid("decision", decided)
    code, out = run(capsys, *argv, "--format", "json", "--for", "applicant")
    (near,) = json.loads(out)["near_misses"]
    assert near["more_needed"] == needed


# ------------------------------------------------------------------ issue 9.4: policies check


@pytest.mark.parametrize(("policy", "path"), [t[1:] for t in FIVE], ids=[t[0] for t in FIVE])
def test_policies_check_exits_1_on_each_policy_that_plainly_defeats_s104_4(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, policy: Policy, path: str
) -> None:
    """Written as a policy file, each of issue 9's five shapes is an error finding on the command line."""
    written = _write(tmp_path / "p.toml", dump(policy))
    code, out = run(capsys, "policies", "check", written, "--format", "json")
    assert code == 1
    findings = json.loads(out)["policies"][0]["findings"]
    assert any(f["severity"] == "error" and f["path"] == path for f in findings), findings


def test_the_policy_file_page_names_every_anchor_and_window_key() -> None:
    """docs/policies.md lists every anchor a policy file reads, and the bound on the application."""
    page = (Path(__file__).parent.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    (row,) = [line for line in page.splitlines() if line.startswith("| `window` |")]
    for anchor in Anchor:
        assert f"`{anchor.value}`" in row, anchor
    for key in ("anchor", "date_of", "arithmetic", "application_within"):
        assert f"`{key}`" in row, key
