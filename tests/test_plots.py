"""The timeline picture of one application."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from matplotlib.dates import date2num, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from asb_case_review import (
    STAFFORDSHIRE_MOORLANDS,
    STATUTORY,
    Anchor,
    Application,
    Decision,
    Policy,
    Selection,
    Window,
    count,
    evaluate,
    months,
    rule,
)
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping
from asb_case_review.plots import explaining_rule, timeline

from .builders import D, app, rep
from .test_render import POLICIES, applications, derived, spans_of

EXAMPLES = Path(__file__).parent.parent / "examples"


def example(name: str) -> Application:
    return application_from_mapping(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def xs(line: Line2D) -> list[Any]:
    """The x data of a line as a list (matplotlib's stubs type it as an array)."""
    return list(cast("Any", line.get_xdata()))


def ys(line: Line2D) -> list[Any]:
    """The y data of a line as a list."""
    return list(cast("Any", line.get_ydata()))


def markers(decision: Decision, private: bool = False) -> list[str]:
    bottom = timeline(decision, private=private).axes[1]
    return [str(line.get_marker()) for line in bottom.get_lines() if line.get_marker() in {"o", "X"}]


def test_counted_and_excluded_reports_are_marked_differently() -> None:
    """Three counted reports are discs, the late one a cross."""
    assert sorted(markers(evaluate(example_application(), STATUTORY))) == ["X", "o", "o", "o"]


def test_rows_are_reports_in_date_order_with_ids_for_the_officer() -> None:
    """Each row names a report and its reporter, earliest first."""
    bottom = timeline(evaluate(example_application(), STATUTORY)).axes[1]
    labels = [t.get_text() for t in bottom.get_yticklabels()]
    assert labels == ["REP-0 (P-100)", "REP-1 (P-100)", "REP-2 (P-200)", "REP-3 (P-100)"]


def all_text(figure: Figure) -> str:
    """Every piece of text in *figure*: titles, labels, tick labels, notes and legends."""
    return " ".join(t.get_text() for t in figure.findobj(Text))


def test_private_picture_shows_only_the_applicants_reports() -> None:
    """For the applicant: only their own reports, another person's only as a count, and no ids."""
    figure = timeline(evaluate(example_application(), STATUTORY), private=True)
    assert len(figure.axes) == 1  # no count line, whose steps would date other people's reports
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["your report", "your report", "your report"]
    text = all_text(figure)
    assert "1 counted report by another person, not shown" in text
    for secret in ("P-200", "REP-2", "P-100", "REP-1"):
        assert secret not in text


def test_threshold_line_sits_at_the_rules_number() -> None:
    """The top panel has a horizontal line at the threshold of the explaining rule."""
    top = timeline(evaluate(example("met-community-local"), STAFFORDSHIRE_MOORLANDS)).axes[0]
    assert [ys(line) for line in top.get_lines() if line.get_linestyle() == "--"] == [[5, 5]]


def test_application_date_is_drawn_on_both_panels() -> None:
    """A vertical line marks the application date in each panel."""
    decision = evaluate(example_application(), STATUTORY)
    day = cast("Callable[[object], float]", date2num)(decision.as_of)
    for axes in timeline(decision).axes:
        solid = [line for line in axes.get_lines() if line.get_linestyle() == "-"]
        verticals = [line for line in solid if xs(line) == [day, day]]
        assert len(verticals) == 1


def step(decision: Decision) -> Line2D:
    top = timeline(decision).axes[0]
    return next(line for line in top.get_lines() if line.get_drawstyle() == "steps-post")


def test_count_line_reaches_the_count_on_the_application_date() -> None:
    """The step line is three on the application date of the example and never more."""
    line = step(evaluate(example_application(), STATUTORY))
    days, counts = xs(line), ys(line)
    assert counts[days.index(D(2026, 2, 28))] == 3
    assert max(counts) == 3
    assert counts[days.index(D(2026, 3, 1))] == 2  # the report of 29 August has run out


def test_count_line_ignores_reports_after_the_decision_date() -> None:
    """A report made after the application does not lift the line: it shows decay with nothing new."""
    application = app(D(2026, 1, 15), rep("R1", D(2026, 1, 1)), rep("R2", D(2026, 2, 1)))
    assert max(ys(step(evaluate(application, STATUTORY)))) == 1


@pytest.mark.parametrize(
    ("name", "policy", "rule"),
    [
        ("met-statutory", STATUTORY, "s104-4"),
        ("met-community-local", STAFFORDSHIRE_MOORLANDS, "community"),
        ("not-met-near-miss", STATUTORY, "s104-4"),
    ],
    ids=["met-mandatory", "met-local", "near-miss"],
)
def test_explaining_rule(name: str, policy: object, rule: str) -> None:
    """The picture explains the matched rule, or the nearest miss."""
    assert isinstance(policy, type(STATUTORY))
    assert explaining_rule(evaluate(example(name), policy)).id == rule


def test_figure_saves_as_png_and_leaves_no_global_state() -> None:
    """The figure saves to PNG, and drawing opens no pyplot window."""
    import matplotlib.pyplot as plt  # noqa: PLC0415 - only to check that none of its state is used

    out = io.BytesIO()
    timeline(evaluate(example_application(), STATUTORY)).savefig(out, format="png")
    assert out.getvalue().startswith(b"\x89PNG")
    assert plt.get_fignums() == []


def texts(decision: Decision) -> list[str]:
    return [t.get_text() for t in timeline(decision).axes[0].texts]


def test_near_miss_is_marked_with_how_many_more_and_by_when() -> None:
    """Not met: the top panel names the last day for a new application, after how many more reports."""
    text = "new application by 1 Mar 2026,\nafter 1 more, would meet it"
    assert text in texts(evaluate(example("not-met-near-miss"), STATUTORY))


def test_met_is_marked_with_the_date_it_stays_met_until() -> None:
    """Met: the top panel marks the last day it stays met with nothing new reported."""
    decision = evaluate(example("met-community-local"), STAFFORDSHIRE_MOORLANDS)
    assert "stays met until\n19 Aug 2026" in texts(decision)


def private_texts(decision: Decision) -> str:
    return all_text(timeline(decision, private=True))


def test_private_picture_has_no_stays_met_until() -> None:
    """The applicant's picture of a met decision has no date it "stays met until": it does not lapse."""
    decision = evaluate(example_application(), STATUTORY)
    assert "stays met" not in private_texts(decision)
    assert "28 Feb 2026" not in " ".join(t.get_text() for t in timeline(decision, private=True).axes[0].texts)


def test_private_picture_withholds_a_deadline_set_by_someone_elses_report() -> None:
    """Window edge: the near miss is set by another person's report; the applicant's picture has no date."""
    decision = evaluate(example("not-met-window-edge"), STATUTORY)
    assert "new application by 9 Apr 2026,\nafter 1 more, would meet it" in texts(decision)
    assert "9 Apr 2026" not in private_texts(decision)


def test_private_picture_keeps_the_applicants_own_deadline() -> None:
    """When the applicant's own reports set the near miss, their picture shows it."""
    decision = evaluate(example("not-met-near-miss"), STATUTORY)
    assert "new application by 1 Mar 2026" in private_texts(decision)


def test_private_picture_draws_no_window_placed_by_someone_elses_report() -> None:
    """A window beginning with another person's first report is not drawn on the applicant's rows."""
    first = Policy(
        "first",
        title="First report",
        version="1",
        effective_from=D(2020, 1, 1),
        mandatory=rule(
            "first",
            count(
                3, selection=Selection(window=Window(months(6), anchor=Anchor.FIRST_REPORT_AND_APPLICATION))
            ),
            label="three reports within six months of the first",
        ),
    )
    application = app(
        D(2025, 12, 1),
        rep("R0", D(2025, 9, 1), by="NEIGHBOUR"),
        rep("R1", D(2025, 10, 1)),
        rep("R2", D(2025, 11, 1)),
    )
    decision = evaluate(application, first, enforce_floor=False)
    officer = timeline(decision, rule=first.mandatory).axes[1]
    applicant = timeline(decision, rule=first.mandatory, private=True).axes[0]
    assert len(officer.patches) == 3  # one window bar for each report, ending 28 February 2026
    assert len(applicant.patches) == 0


def test_private_picture_without_consent_shows_no_reports() -> None:
    """A third party without the victim's consent sees none of the victim's reports, not even a count."""
    application = app(
        D(2026, 1, 15),
        *(rep(f"R{i}", D(2025, 12, 1 + 10 * i), by="V1") for i in range(3)),
        applicant="MP-1",
        on_behalf_of="V1",
    )
    figure = timeline(evaluate(application, STATUTORY), private=True)
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == []
    text = all_text(figure)
    assert "consent is not recorded" in text
    assert "counted report by" not in text
    assert "counted reports by" not in text


_SHORT_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(calendar.month_abbr[1:]) + r") (\d{4})\b")


def picture_dates(figure: Figure) -> set[dt.date]:
    """Every date written in *figure* ("9 Apr 2026", "28 Feb 2026") and the last day of every bar drawn."""
    by_name = {name: n for n, name in enumerate(calendar.month_abbr) if name}
    text = all_text(figure)
    found = {dt.date(int(y), by_name[m], int(d)) for d, m, y in _SHORT_DATE.findall(text)}
    for axes in figure.axes:
        for patch in axes.patches:
            assert isinstance(patch, Rectangle)
            last = patch.get_x() + patch.get_width() - 1
            # matplotlib.dates is untyped; num2date gives a datetime for a date number, as documented.
            found.add(num2date(last).date())  # type: ignore[no-untyped-call]
    return found


@settings(max_examples=25, deadline=None)
@given(applications(), st.sampled_from(sorted(POLICIES)))
def test_no_date_in_the_private_picture_comes_from_another_persons_report(
    application: Application, policy: str
) -> None:
    """The applicant's picture writes, or draws a window to, no date derivable only from others' reports."""
    decision = evaluate(application, POLICIES[policy])
    knows = application.on_behalf_of is None or application.consent is True
    own = [r for r in application.reports if knows and r.reporter == application.victim]
    theirs = [r for r in application.reports if r not in own]
    spans = spans_of(decision)
    allowed = derived(own, spans) | {decision.as_of}
    leaked = (picture_dates(timeline(decision, private=True)) & derived(theirs, spans)) - allowed
    assert not leaked, sorted(leaked)
