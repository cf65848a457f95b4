"""The letter and the officer's text say truly why a report outside a window did not count."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from asb_case_review import (
    Anchor,
    Application,
    Decision,
    Incident,
    Policy,
    Report,
    Window,
    count,
    evaluate,
    for_applicant,
    for_officer,
    months,
    rule,
    to_dict,
)
from asb_case_review.cli import main
from asb_case_review.law.reports import DateOf
from asb_case_review.policyfile import dump
from asb_case_review.qualifying import Lag, LagScope, Selection, Who
from asb_case_review.render import applicant_paragraphs

D = dt.date

# The sentence the letter used to give every report outside a window, true only of a window
# counted back from the application by the day each report was made.
TOO_LONG_BEFORE = "too long before the application"


def _application(made_on: dt.date, *reports: tuple[dt.date, dt.date, str]) -> Application:
    """The victim V's application; each report (incident day, day made, reporter) of its own incident."""
    return Application(
        "A",
        applicant="V",
        made_on=made_on,
        matter="M",
        reports=tuple(
            Report(
                f"R{i}", reporter=who, made_on=made, incident=Incident(f"I{i}", matter="M", began_on=began)
            )
            for i, (began, made, who) in enumerate(reports, start=1)
        ),
    )


def _policy(selection: Selection) -> Policy:
    return Policy(
        "area",
        title="An area",
        version="1",
        effective_from=D(2014, 10, 20),
        mandatory=rule("own", count(3, selection=selection), label="three complaints"),
    )


def _decide(application: Application, selection: Selection) -> Decision:
    return evaluate(application, _policy(selection), enforce_floor=False)


def _officer(decision: Decision) -> str:
    """What the officer is told of each report under the policy's rule: the details in the officer's
    record (``to_dict``, ``check --format json``), every rule's fates, joined.

    The officer's text (``for_officer``) lists the fates under the deciding rule only, which is the
    statutory floor when nothing is met; its wording is the same detail."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("detail"), str) and "reason" in value:
                found.append(f"{value['report']} {value['reason']}: {value['detail']}")
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(to_dict(decision))
    return "\n".join(found)


def _welsh(decision: Decision) -> str:
    return " ".join(applicant_paragraphs(decision, language="cy"))


# Two reports two months apart and a third made nine days before the application: the run of
# two months beginning with the first report (or incident) holds the first two only.
RUN = _application(
    D(2025, 4, 10),
    (D(2024, 12, 31), D(2025, 1, 1), "V"),
    (D(2025, 1, 31), D(2025, 2, 1), "V"),
    (D(2025, 3, 31), D(2025, 4, 1), "V"),
)


@pytest.mark.parametrize("anchor", [Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT], ids=str)
def test_a_report_outside_the_run_counted_is_told_so_not_that_it_was_too_old(anchor: Anchor) -> None:
    """A report made nine days before the application is outside the run, not too long before it."""
    decision = _decide(RUN, Selection(who=Who.VICTIM, window=Window(months(2), anchor=anchor)))
    letter = for_applicant(decision)
    assert (
        "Your report of 1 April 2025 did not count because it did not fall within the same period as "
        "the reports that were counted." in letter
    )
    assert TOO_LONG_BEFORE not in letter
    assert "nad oedd o fewn yr un cyfnod â'r adroddiadau a gyfrifwyd" in _welsh(decision)
    assert "yn rhy hir cyn y cais" not in _welsh(decision)
    officer = _officer(decision)
    assert "R3 outside_window: not within the 2 calendar months beginning with" in officer
    assert "the run of reports counted" in officer


def test_a_window_placed_by_the_incident_blames_the_incident_not_the_report() -> None:
    """date_of = incident: a report made a month before the application, of an incident eight months
    before it, is outside because of its incident."""
    application = _application(
        D(2025, 4, 1),
        (D(2024, 8, 1), D(2025, 3, 1), "V"),
        (D(2025, 3, 9), D(2025, 3, 10), "V"),
    )
    window = Window(months(6), anchor=Anchor.APPLICATION, date_of=DateOf.INCIDENT)
    decision = _decide(application, Selection(who=Who.VICTIM, lag=None, window=window))
    letter = for_applicant(decision)
    assert (
        "Your report of 1 March 2025 did not count because the incident it reports happened too long "
        "before the application." in letter
    )
    assert TOO_LONG_BEFORE + "." not in letter.replace("happened too long before the application.", "")
    assert "i'r digwyddiad y mae'n sôn amdano ddigwydd yn rhy hir cyn y cais" in _welsh(decision)
    assert "the 6 calendar months from its incident on 2024-08-01 ran out" in _officer(decision)


def test_a_window_ending_with_the_latest_incident_blames_the_incident() -> None:
    """Under a window ending with the latest incident, an incident before it is what was too early."""
    application = _application(
        D(2025, 9, 10),
        (D(2025, 1, 1), D(2025, 1, 2), "V"),
        (D(2025, 9, 1), D(2025, 9, 2), "V"),
        (D(2025, 9, 2), D(2025, 9, 3), "V"),
    )
    window = Window(months(3), anchor=Anchor.LATEST_INCIDENT)
    decision = _decide(application, Selection(who=Who.VICTIM, window=window))
    letter = for_applicant(decision)
    assert (
        "Your report of 2 January 2025 did not count because the incident it reports happened outside "
        "the period in which the rule counts incidents." in letter
    )
    assert TOO_LONG_BEFORE not in letter
    assert "ddigwydd y tu allan i'r cyfnod y mae'r rheol yn cyfrif digwyddiadau ynddo" in _welsh(decision)
    assert "its incident on 2025-01-01 is outside the 3 calendar months ending with the latest incident" in (
        _officer(decision)
    )


FIRST_ONLY = Lag(months(1), applies_to=LagScope.FIRST)


def test_a_late_report_before_the_first_in_time_is_told_it_would_have_been_the_first() -> None:
    """A late report before the first made in time does not count, and the letter says why truly.

    The reports after it count, late or not (the lag binds the first report counted).
    """
    application = _application(
        D(2025, 4, 1),
        (D(2025, 1, 1), D(2025, 3, 1), "V"),
        (D(2025, 3, 5), D(2025, 3, 6), "V"),
        (D(2025, 3, 10), D(2025, 3, 11), "V"),
        (D(2025, 1, 2), D(2025, 3, 20), "V"),
    )
    window = Window(months(6), anchor=Anchor.APPLICATION)
    decision = _decide(application, Selection(who=Who.VICTIM, lag=FIRST_ONLY, window=window))
    letter = " ".join(for_applicant(decision).split())
    assert (
        "Your report of 1 March 2025 did not count because it would have been the first report the rule "
        "counted, and the first report must be made within the time allowed after the incident it "
        "reports; it was not." in letter
    )
    assert "20 March 2025 did not count" not in letter
    assert "it was made too long after the incident" not in letter
    assert "y byddai wedi bod yr adroddiad cyntaf y mae'r rheol yn ei gyfrif" in " ".join(
        _welsh(decision).split()
    )
    assert "it would be the first report counted, which the lag binds" in _officer(decision)


def test_a_late_first_report_by_someone_else_is_never_named_nor_dated() -> None:
    """Another person's late report before the applicant's: the letter gives neither who nor when."""
    application = _application(
        D(2025, 4, 1),
        (D(2025, 1, 1), D(2025, 2, 20), "Neighbour"),
        (D(2025, 2, 1), D(2025, 3, 20), "V"),
    )
    window = Window(months(6), anchor=Anchor.APPLICATION)
    decision = _decide(application, Selection(who=Who.ANYONE, lag=FIRST_ONLY, window=window))
    letter = " ".join(for_applicant(decision).split())
    assert "Your report of 20 March 2025 did not count because it would have been the first report" in letter
    assert "Neighbour" not in letter
    assert "20 February" not in letter
    assert "1 January" not in letter


def test_the_command_line_letter_gives_the_true_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """check --for applicant, with a policy file: the report outside the run is told so."""
    policy = tmp_path / "area.toml"
    policy.write_text(
        dump(_policy(Selection(who=Who.VICTIM, window=Window(months(2), anchor=Anchor.FIRST_REPORT)))),
        encoding="utf-8",
    )
    data = {
        "id": RUN.id,
        "applicant": RUN.applicant,
        "made_on": RUN.made_on.isoformat(),
        "matter": RUN.matter,
        "incidents": [
            {"id": r.incident.id, "matter": "M", "began_on": r.incident.began_on.isoformat()}
            for r in RUN.reports
        ],
        "reports": [
            {"id": r.id, "reporter": r.reporter, "made_on": r.made_on.isoformat(), "incident": r.incident.id}
            for r in RUN.reports
        ],
    }
    given = tmp_path / "a.json"
    given.write_text(json.dumps(data), encoding="utf-8")
    code = main(["check", str(given), "--policy", str(policy), "--report-floor-only", "--for", "applicant"])
    out = capsys.readouterr().out
    assert code == 1
    assert "did not fall within the same period as the reports that were counted" in " ".join(out.split())
    assert TOO_LONG_BEFORE not in " ".join(out.split())


def test_the_officers_text_says_a_report_was_outside_the_run_counted() -> None:
    """for_officer, when the rule is met by a run: the report after the run is outside the run."""
    application = _application(
        D(2025, 4, 10),
        (D(2024, 12, 31), D(2025, 1, 1), "V"),
        (D(2025, 1, 14), D(2025, 1, 15), "V"),
        (D(2025, 1, 31), D(2025, 2, 1), "V"),
        (D(2025, 3, 31), D(2025, 4, 1), "V"),
    )
    decision = _decide(
        application, Selection(who=Who.VICTIM, window=Window(months(2), anchor=Anchor.FIRST_REPORT))
    )
    officer = " ".join(for_officer(decision).split())
    assert (
        "R4 2025-04-01 by V to other outside_window not within the 2 calendar months beginning with"
        in officer
    )
    assert "the run of reports counted" in officer
