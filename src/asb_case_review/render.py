"""Render a decision: for the applicant, for the case officer, and as JSON-ready data.

The applicant's text is plain English fit for a letter and never reveals who
else complained: it names only the victim's own reports, and speaks of other
people's reports as a number.  The officer's text and the data carry every
detail, including the opaque reporter ids the caller supplied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .decision import Decision, Notice, Route
from .qualifying import Fate, Reason
from .rules import Outcome, Result, Rule

__all__ = ["for_applicant", "for_officer", "long_date", "to_dict"]

_PLAIN_REASON = {
    Reason.COUNTED: "it counted",
    Reason.UNRELATED: "it was about a different matter",
    Reason.MADE_AFTER_APPLICATION: "it was made after the application",
    Reason.NOT_BY_VICTIM: "this rule counts only the victim's own reports",
    Reason.EXCLUDED_KIND: "reports of this kind are not counted",
    Reason.EXCLUDED_AGENCY: "reports to this organisation are not counted",
    Reason.NOT_HATE: "it was not recorded as a hate incident",
    Reason.LATE_REPORT: "it was made too long after the incident it reports",
    Reason.OUTSIDE_WINDOW: "it was made too long before the application",
    Reason.APPLICATION_OUTSIDE_WINDOW: "the application came outside the time allowed",
    Reason.DUPLICATE: "it repeats an incident that was already counted",
    Reason.UNKNOWN_HOUSEHOLD: "we could not tell which household it came from",
}


def long_date(day: dt.date) -> str:
    """A date as a letter writes it.

    >>> long_date(dt.date(2026, 2, 8))
    '8 February 2026'
    """
    return f"{day.day} {day:%B %Y}"


def _cite(item: Rule) -> str:
    return f" ({item.source.cite()})" if item.source is not None else ""


def for_applicant(decision: Decision) -> str:
    """A plain-English paragraph for the applicant, fit for a letter.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> print(for_applicant(evaluate(example_application(), STATUTORY)))  # doctest: +ELLIPSIS
    Your application of 28 February 2026 meets the threshold for an ASB Case Review...
    """
    application = decision.application
    own = "your" if application.on_behalf_of is None else "the victim's"
    lines: list[str] = []
    opening = f"Your application of {long_date(decision.as_of)}"
    if decision.met:
        item = decision.find_rule(decision.matched[0])
        lines.append(f"{opening} meets the threshold for an ASB Case Review.")
        lines.append(f'It meets the rule: "{item.label}"{_cite(item)}.')
    elif decision.outcome is Outcome.UNKNOWN:
        lines.append(
            f"{opening} cannot yet be decided: we need more information about the case "
            "before we can say whether the threshold for an ASB Case Review is met."
        )
    else:
        lines.append(f"{opening} does not meet the threshold for an ASB Case Review.")

    fates = decision.fates
    victim = application.victim
    by_id = {r.id: r for r in application.reports}
    counted_own = [f for f in fates if f.reason is Reason.COUNTED and f.reporter == victim]
    counted_others = sum(1 for f in fates if f.reason is Reason.COUNTED and f.reporter != victim)
    if counted_own:
        days = ", ".join(long_date(by_id[f.report].made_on) for f in counted_own)
        lines.append(f"We counted {len(counted_own)} of {own} reports, made on {days}.")
    if counted_others:
        lines.append(
            f"We also counted {counted_others} report{'s' if counted_others != 1 else ''} "
            "about the same problem made by other people, who are not named here."
        )
    for fate in fates:
        if fate.reporter == victim and fate.reason not in (Reason.COUNTED, Reason.UNRELATED):
            made = long_date(by_id[fate.report].made_on)
            lines.append(f"The report made on {made} did not count: {_PLAIN_REASON[fate.reason]}.")

    if decision.met:
        until = decision.met_until
        if until is not None and until > decision.as_of:
            lines.append(
                f"If nothing new were reported, an application made on or before "
                f"{long_date(until)} would still meet the threshold."
            )
    else:
        for shortfall in decision.shortfalls():
            tally = shortfall.tally
            more = tally.shortfall
            noun = "report" if more == 1 else "reports"
            item = decision.find_rule(shortfall.rule)
            when = f"made by {long_date(tally.deadline)}" if tally.deadline is not None else "made in time"
            lines.append(
                f'Under the rule "{item.label}", {tally.count} of {tally.at_least} counted; '
                f"{more} more qualifying {noun} {when} would meet it."
            )
    if decision.signals:
        lines.append(
            "Because you have reported more than once in six months, we will explain how the "
            "ASB Case Review works and how it can help you."
        )
    return "\n".join(lines)


def _fate_line(fate: Fate, decision: Decision) -> str:
    report = next(r for r in decision.application.reports if r.id == fate.report)
    return (
        f"  {fate.report:<12} {report.made_on}  by {fate.reporter:<10} to {report.agency.value:<8} "
        f"{fate.reason.value:<26} {fate.detail}"
    )


def _tree_lines(result: Result, depth: int) -> list[str]:
    pad = "  " * depth
    predicate = result.predicate
    name = f"[{predicate.id}] " if isinstance(predicate, Rule) else ""
    lines = [f"{pad}- {name}{result.outcome.value.upper()}: {predicate.describe()} -- {result.summary}"]
    if isinstance(predicate, Rule) and predicate.source is not None:
        lines.append(f"{pad}  source: {predicate.source.cite()}")
    if result.tally is not None and result.tally.window is not None:
        lines.append(f"{pad}  window: {result.tally.window}")
    for child in result.children:
        lines.extend(_tree_lines(child, depth + 1))
    return lines


def for_officer(decision: Decision) -> str:
    """The full explanation for a case officer: every rule, every report's fate, every setting."""
    application = decision.application
    route = {
        Route.MANDATORY: "mandatory route, s.104(4)",
        Route.DISCRETIONARY: "discretionary route, s.104(5)",
        Route.STATUTORY_FLOOR: "statutory floor, s.104(4), over the local policy",
        None: "no route",
    }[decision.route]
    lines = [
        f"Application {application.id} made {application.made_on}, decided as of {decision.as_of}",
        f"Policy: {decision.policy.title} ({decision.policy_name})",
        f"Outcome: {decision.outcome.value.upper()} by {route}"
        + (f"; rules matched: {', '.join(decision.matched)}" if decision.matched else ""),
    ]
    if decision.policy_outcome is not decision.outcome:
        lines.append(f"The policy as written says: {decision.policy_outcome.value}")
    if decision.met and decision.met_until is not None:
        lines.append(f"Stays met, with nothing new reported, for applications up to {decision.met_until}")
    lines.extend(f"Short [{s.rule}]: {s.describe()}" for s in decision.shortfalls())
    lines.append("")
    lines.append("Rules:")
    for path, _, result in decision.rule_results():
        lines.append(f" {path}:")
        lines.extend(_tree_lines(result, 1))
    if decision.floor is not decision.mandatory:
        lines.append(" statutory floor:")
        lines.extend(_tree_lines(decision.floor, 1))
    lines.append("")
    lines.append("Reports under the deciding rule:")
    lines.extend(_fate_line(f, decision) for f in decision.fates)
    if decision.warnings or decision.signals:
        lines.append("")
        for notice in (*decision.warnings, *decision.signals):
            cite = f" [{notice.source.cite()}]" if notice.source is not None else ""
            lines.append(f"{notice.code.value}: {notice.message}{cite}")
    lines.append("")
    lines.append("Settings that ran: " + "; ".join(f"{k}={v}" for k, v in decision.assumptions()))
    return "\n".join(lines)


def _result_dict(result: Result) -> dict[str, Any]:
    predicate = result.predicate
    data: dict[str, Any] = {
        "outcome": result.outcome.value,
        "rule": predicate.id if isinstance(predicate, Rule) else None,
        "describe": predicate.describe(),
        "summary": result.summary,
        "valid_until": None if result.valid_until is None else result.valid_until.isoformat(),
    }
    if isinstance(predicate, Rule):
        data["label"] = predicate.label
        data["source"] = None if predicate.source is None else predicate.source.cite()
    if result.tally is not None:
        tally = result.tally
        data["tally"] = {
            "unit": tally.unit.value,
            "at_least": tally.at_least,
            "count": tally.count,
            "possible": tally.possible,
            "window": None
            if tally.window is None
            else {"first": tally.window.first.isoformat(), "last": tally.window.last.isoformat()},
            "deadline": None if tally.deadline is None else tally.deadline.isoformat(),
            "fates": [_fate_dict(f) for f in tally.fates],
        }
    data["children"] = [_result_dict(c) for c in result.children]
    return data


def _fate_dict(fate: Fate) -> dict[str, Any]:
    return {
        "report": fate.report,
        "reporter": fate.reporter,
        "reason": fate.reason.value,
        "detail": fate.detail,
        "window": None
        if fate.window is None
        else {"first": fate.window.first.isoformat(), "last": fate.window.last.isoformat()},
    }


def to_dict(decision: Decision) -> dict[str, Any]:
    """The whole decision as plain data, ready for ``json.dumps`` and for an audit record."""
    return {
        "application": decision.application.id,
        "as_of": decision.as_of.isoformat(),
        "policy": {"id": decision.policy.id, "version": decision.policy.version},
        "outcome": decision.outcome.value,
        "policy_outcome": decision.policy_outcome.value,
        "route": None if decision.route is None else decision.route.value,
        "matched": list(decision.matched),
        "met_until": None if decision.met_until is None else decision.met_until.isoformat(),
        "counted": list(decision.counted()),
        "fates": [_fate_dict(f) for f in decision.fates],
        "shortfalls": [
            {
                "rule": s.rule,
                "unit": s.tally.unit.value,
                "count": s.tally.count,
                "at_least": s.tally.at_least,
                "more_needed": s.tally.shortfall,
                "deadline": None if s.tally.deadline is None else s.tally.deadline.isoformat(),
            }
            for s in decision.shortfalls()
        ],
        "rules": {path: _result_dict(result) for path, _, result in decision.rule_results()},
        "statutory_floor": _result_dict(decision.floor),
        "warnings": [_notice_dict(n) for n in decision.warnings],
        "signals": [_notice_dict(n) for n in decision.signals],
        "settings": dict(decision.assumptions()),
    }


def _notice_dict(notice: Notice) -> dict[str, Any]:
    return {
        "code": notice.code.value,
        "message": notice.message,
        "source": None if notice.source is None else notice.source.cite(),
    }
