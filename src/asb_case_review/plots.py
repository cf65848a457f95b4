"""The timeline picture of one application (needs the optional extra ``plot``: matplotlib).

:func:`timeline` draws, for the rule that explains a decision:

* above, how many units the rule would count had the application been made on
  each day (a step line), against the rule's threshold (a dashed line);
* below, one row per report: the day of the behaviour, the day the report was
  made, and the days on which it is inside the rule's window (a bar); counted
  reports are green discs, excluded ones grey crosses with the reason;
* on both, the application date; a dotted line on the last day it stays met
  with nothing new reported, or, when the count is not met, on the last day
  the missing reports could be made (the near miss).

The function returns a :class:`matplotlib.figure.Figure` and never shows or
saves it: the caller (a notebook, or ``asb-case-review check --plot``) does.
It uses matplotlib's object interface only, never the global ``pyplot``
state, so it is safe to call from several threads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from .dates import Period
from .decision import Decision
from .models import Application
from .qualifying import BehaviourDay, Fate, Reason, behaviour_day

# The applicant's picture gives only the dates the letter may give; the letter's module decides which.
from .render import own_application, own_deadline
from .rules import Context, Count, Result, Rule

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["explaining_rule", "timeline"]

_COUNTED = "#1b7837"
_EXCLUDED = "#8c8c8c"
_APPLICATION = "#b2182b"
_THRESHOLD = "#2166ac"
_ONE_DAY = dt.timedelta(days=1)


def explaining_rule(decision: Decision) -> Rule:
    """The rule whose counts best explain *decision*.

    The matched rule when met; else the unmet count closest to being met
    (fewest more needed); else the statutory floor.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> explaining_rule(evaluate(example_application(), STATUTORY)).id
    's104-4'
    """
    if decision.met:
        return decision.find_rule(decision.matched[0])
    shortfalls = decision.shortfalls()
    if shortfalls:
        return decision.find_rule(min(shortfalls, key=lambda s: s.tally.shortfall).rule)
    return decision.floor_rule


def _x(day: dt.date) -> float:
    """The position of *day* on a date axis, for calls whose stubs accept only numbers."""
    from matplotlib.dates import date2num  # noqa: PLC0415 - optional extra

    return float(date2num(day))  # type: ignore[no-untyped-call]


def _mark(axes: Axes, day: dt.date, text: str, colour: str, span: tuple[dt.date, dt.date]) -> None:
    """A dotted vertical line on *day* with *text* beside it, at the top of *axes*.

    The text goes to the right of the line, or to its left in the last quarter
    of the axis, so that it never runs off the picture.
    """
    # Annotations do not convert dates themselves: give the position as a number.
    x = _x(day)
    left, right = span
    near_end = (day - left).days > 0.75 * (right - left).days
    # Above the application line (zorder 1), so that a mark on the application day itself shows.
    axes.axvline(x, color=colour, linestyle=":", linewidth=2.5, zorder=3)
    axes.annotate(
        text,
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-4 if near_end else 4, -4),
        textcoords="offset points",
        ha="right" if near_end else "left",
        va="top",
        fontsize=8,
        color=colour,
    )


def _first_count(result: Result) -> Result | None:
    return next((node for node in result.walk() if isinstance(node.predicate, Count)), None)


def timeline(decision: Decision, *, rule: Rule | None = None, private: bool = False) -> Figure:
    """The timeline picture of *decision* under *rule* (by default :func:`explaining_rule`).

    With *private* true the picture is fit for the applicant: it draws only
    the victim's own reports, labelled "your report", says how many reports by
    other people counted without showing them, and leaves out the count line,
    whose steps would show when other people reported.  It shows no date
    worked out from another person's report: no "stays met until" (the
    decision is fixed at the application date), no near-miss deadline or
    window that someone else's report sets, and, for a third party without
    the victim's recorded consent, none of the victim's reports.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> figure = timeline(evaluate(example_application(), STATUTORY))
    >>> len(figure.axes), figure.axes[1].get_yticklabels()[0].get_text()
    (2, 'REP-0 (P-100)')
    """
    try:
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter  # noqa: PLC0415 - optional extra
        from matplotlib.figure import Figure  # noqa: PLC0415 - optional extra, imported only when drawing
    except ImportError:
        raise ImportError(
            "the timeline picture needs matplotlib: pip install 'asb-case-review[plot]'"
        ) from None

    application = decision.application
    chosen = rule or explaining_rule(decision)
    node = _first_count(chosen(Context(application, decision.as_of)))
    shown, windows, note = _shown(decision, node, private=private)
    by_id = {r.id: r for r in application.reports}
    shown.sort(key=lambda f: (by_id[f.report].made_on, f.report))

    starts = [behaviour_day(by_id[f.report], BehaviourDay.FIRST_DAY) for f in shown]
    ends = [w.last for f in shown if (w := windows.get(f.report)) is not None]
    left = min([*starts, decision.as_of]) - dt.timedelta(days=10)
    right = max([*ends, decision.as_of]) + dt.timedelta(days=20)
    if decision.met_until is not None and not private:
        right = max(right, decision.met_until + dt.timedelta(days=20))

    rows = max(len(shown), 1)
    if private:
        figure = Figure(figsize=(10, 1.6 + 0.42 * rows), layout="constrained")
        bottom = figure.subplots()
        top = bottom
    else:
        figure = Figure(figsize=(10, 2.6 + 0.42 * rows), layout="constrained")
        top, bottom = figure.subplots(
            2, 1, sharex=True, gridspec_kw={"height_ratios": [2.0, max(2.0, 0.5 * rows)]}
        )
    outcome = decision.outcome.value.replace("_", " ").upper()
    figure.suptitle(
        f"{application.id}: {outcome} on {decision.as_of:%d %b %Y}, policy {decision.policy_name}",
        fontsize=11,
        fontweight="bold",
    )
    subtitle = f'Rule "{chosen.label}"'
    if note:
        subtitle += f"\n{note}"
    top.set_title(subtitle, fontsize=9, loc="left", wrap=True)

    if node is not None and node.tally is not None and not private:
        _draw_count(
            top, decision, chosen=chosen, shown=shown, at_least=node.tally.at_least, span=(left, right)
        )
        top.set_ylabel("counted if\napplied that day", fontsize=8)
        top.axvline(_x(decision.as_of), color=_APPLICATION, linewidth=1.5, zorder=1)
    bottom.axvline(_x(decision.as_of), color=_APPLICATION, linewidth=1.5, zorder=1)
    _draw_reports(bottom, shown, windows, decision, private=private)
    # The met-until date belongs to the decision, so it is marked only on the rule that decided.
    _draw_marks(
        top,
        decision,
        node if rule is None or (node is not None and not node.met) else None,
        (left, right),
        private=private,
    )
    bottom.set_xlim(left, right)  # type: ignore[arg-type]
    # matplotlib.dates is not typed; its two classes are used as documented.
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    return figure


def _shown(
    decision: Decision, node: Result | None, *, private: bool
) -> tuple[list[Fate], dict[str, Period | None], str]:
    """The fates to draw, the window of each that may be drawn, and a note on what is left out."""
    fates = () if node is None or node.tally is None else node.tally.fates
    shown = [f for f in fates if f.reason is not Reason.UNRELATED]
    windows = {f.report: f.window for f in shown}
    if not private:
        return shown, windows, ""
    own = own_application(decision)
    told = {r.id for r in own.reports}
    hidden = sum(1 for f in shown if f.report not in told and f.reason is Reason.COUNTED)
    shown = [f for f in shown if f.report in told]
    windows = _own_windows(windows, None if node is None else node.predicate, own, decision.as_of)
    application = decision.application
    if application.on_behalf_of not in (None, application.applicant) and application.consent is not True:
        # Not even a number: the victim's reports are among those counted.
        return shown, windows, "the victim's consent is not recorded: no reports shown"
    if hidden:
        people = "another person" if hidden == 1 else "other people"
        return shown, windows, f"{hidden} counted report{'s' if hidden != 1 else ''} by {people}, not shown"
    return shown, windows, ""


def _draw_marks(
    axes: Axes, decision: Decision, node: Result | None, span: tuple[dt.date, dt.date], *, private: bool
) -> None:
    """The date the decision stays met until, or the near miss of the count in *node*.

    The applicant's picture has neither a "stays met until" (the decision is
    fixed at the application date) nor a deadline set by someone else's report.
    """
    if decision.met and decision.met_until is not None and node is not None and node.met:
        if not private:
            until = decision.met_until
            when = " (the application day)" if until == decision.as_of else ""
            _mark(axes, until, f"stays met until\n{until.day} {until:%b %Y}{when}", _COUNTED, span)
    elif node is not None and node.tally is not None and not node.met and node.tally.deadline is not None:
        # The near miss: the last day on which the missing reports, and a new
        # application, could be made and still combine with every report counted now.
        deadline: dt.date | None = node.tally.deadline
        if private:
            assert isinstance(node.predicate, Count)
            deadline = own_deadline(decision, node.predicate, node.tally)
        if deadline is not None:
            more = node.tally.shortfall
            text = f"new application by {deadline.day} {deadline:%b %Y},\nafter {more} more, would meet it"
            _mark(axes, deadline, text, _THRESHOLD, span)


def _own_windows(
    windows: dict[str, Period | None], predicate: object, own: Application, as_of: dt.date
) -> dict[str, Period | None]:
    """*windows*, keeping each only where the applicant's own reports alone place it the same.

    A window placed by the first report, or by the latest incident, may be
    set by someone else's report; drawn, it would date that report.
    """
    if not isinstance(predicate, Count):
        return {}
    found = predicate(Context(own, as_of)).tally
    again = {} if found is None else {f.report: f.window for f in found.fates}
    return {report: window for report, window in windows.items() if again.get(report) == window}


def _draw_count(
    axes: object,
    decision: Decision,
    *,
    chosen: Rule,
    shown: list[Fate],
    at_least: int,
    span: tuple[dt.date, dt.date],
) -> None:
    """The step line of the count on each day the count can change, and the threshold."""
    from matplotlib.axes import Axes  # noqa: PLC0415 - optional extra

    assert isinstance(axes, Axes)
    left, right = span
    # Reports made after the decision date are left out, so that after it the
    # line shows how the count decays if nothing new is reported.
    application = decision.application
    kept = tuple(r for r in application.reports if r.made_on <= decision.as_of)
    application = attrs.evolve(application, reports=kept)
    changes = {left, right, decision.as_of}
    for report in kept:
        changes.add(report.made_on)
    # A count changes the day a report is made and the day after a window closes;
    # evaluating on those days alone gives the exact step line.
    for fate in shown:
        if fate.window is not None:
            changes.add(fate.window.last + _ONE_DAY)
    days = sorted(d for d in changes if left <= d <= right)
    counts = []
    for day in days:
        node = _first_count(chosen(Context(application, day)))
        counts.append(0 if node is None or node.tally is None else node.tally.count)
    axes.step(days, counts, where="post", color=_COUNTED, linewidth=2, label="counted")  # type: ignore[arg-type]
    axes.axhline(at_least, color=_THRESHOLD, linestyle="--", linewidth=1.2)
    axes.annotate(
        f"threshold: {at_least}",
        xy=(0.0, at_least),
        xycoords=("axes fraction", "data"),
        xytext=(4, 3),
        textcoords="offset points",
        fontsize=8,
        color=_THRESHOLD,
    )
    # Head room above the threshold keeps the near-miss note clear of the lines.
    highest = max([*counts, at_least])
    axes.set_ylim(0, highest + 1.8)
    axes.set_yticks(range(0, highest + 2, 1 if highest < 10 else highest // 5))
    axes.grid(axis="y", alpha=0.3)


def _row_label(fate: Fate, decision: Decision, *, private: bool) -> str:
    if not private:
        return f"{fate.report} ({fate.reporter})"
    own = decision.application.on_behalf_of in (None, decision.application.applicant)
    return "your report" if own else "the victim's report"


def _why(fate: Fate, window: Period | None, as_of: dt.date) -> str:
    """Why a report did not count, with the last day of its window when that is what kept it out.

    A window that closed days before the application is a gap too narrow to see at the scale of
    months, so the note says the day in words.
    """
    reason = fate.reason.value.replace("_", " ")
    if window is None or window.last >= as_of:
        return reason
    gap = (as_of - window.last).days
    before = "the day" if gap == 1 else f"{gap} days"
    ended = f"{window.last.day} {window.last:%b %Y}"
    return f"{reason}: its window ended {ended}, {before} before the application"


def _draw_reports(
    axes: object,
    shown: list[Fate],
    windows: dict[str, Period | None],
    decision: Decision,
    *,
    private: bool,
) -> None:
    """One row per report: behaviour day, report day, window bar, and the reason it was excluded."""
    from matplotlib.axes import Axes  # noqa: PLC0415 - optional extra
    from matplotlib.lines import Line2D  # noqa: PLC0415 - optional extra

    assert isinstance(axes, Axes)
    by_id = {r.id: r for r in decision.application.reports}
    for row, fate in enumerate(shown):
        report = by_id[fate.report]
        counted = fate.reason is Reason.COUNTED
        colour = _COUNTED if counted else _EXCLUDED
        began = report.incident.began_on
        window = windows.get(fate.report)
        if window is not None:
            width = (window.last - window.first).days + 1
            alpha = 0.3 if counted else 0.2
            # matplotlib's stubs do not list dates, which its date units accept.
            axes.barh(row, width, left=window.first, height=0.5, color=colour, alpha=alpha)  # type: ignore[arg-type]
        axes.plot([began, report.made_on], [row, row], color=colour, linewidth=1, linestyle=":")  # type: ignore[arg-type]
        axes.plot(began, row, marker="d", markersize=5, color=colour, fillstyle="none")  # type: ignore[arg-type]
        axes.plot(report.made_on, row, marker="o" if counted else "X", markersize=8, color=colour)  # type: ignore[arg-type]
        if not counted:
            axes.annotate(
                _why(fate, window, decision.as_of),
                xy=(report.made_on, row),
                xytext=(8, -3),
                textcoords="offset points",
                fontsize=7,
                color="#555555",
            )
    axes.set_yticks(range(len(shown)), [_row_label(f, decision, private=private) for f in shown], fontsize=8)
    axes.set_ylim(max(len(shown), 1) - 0.5, -0.5)  # one empty row when nothing may be shown
    axes.grid(axis="x", alpha=0.3)
    handles = [
        Line2D([], [], marker="o", color=_COUNTED, linestyle="", label="report counted"),
        Line2D([], [], marker="X", color=_EXCLUDED, linestyle="", label="report not counted"),
        Line2D([], [], marker="d", color=_EXCLUDED, fillstyle="none", linestyle=":", label="behaviour day"),
        Line2D([], [], color=_COUNTED, linewidth=6, alpha=0.3, label="inside the window"),
        Line2D([], [], color=_APPLICATION, label=f"application {decision.as_of:%d %b %Y}"),
    ]
    axes.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=5, fontsize=8, frameon=False
    )
