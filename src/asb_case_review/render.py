"""Render a decision: for the applicant, for the case officer, and as data.

* :func:`for_applicant`: one paragraph of plain English, fit for a letter.  It
  quotes the deciding rule in the area's published wording, names only the
  victim's own reports, and speaks of other people's reports as a number: it
  never shows a reporter, household or report id of anyone else, nor any
  date worked out from another person's report.
* :func:`for_officer`: every rule, every report's fate and every setting.
* :func:`to_dict`: the whole decision as JSON-ready data for the audit record,
  with the letter the applicant was sent.
* :func:`report_rows`: one flat row per report, for data frames.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Final, assert_never

import attrs

from .decision import Decision, Notice, Route, Shortfall
from .errors import InvalidInput
from .models import Application, Fact, Report
from .qualifying import Fate, Reason
from .rules import Consent, Context, Count, CountUnit, FactIs, Outcome, Result, Rule, Source, Tally

__all__ = [
    "ASKED_OF_APPLICANT",
    "closeness",
    "for_applicant",
    "for_officer",
    "long_date",
    "private_deadline",
    "report_rows",
    "settings",
    "to_applicant_dict",
    "to_dict",
    "words",
]

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# Each reason as the end of a sentence "... did not count because", for one
# report and for several.  The wording speaks only of the victim's own reports.
_BECAUSE = {
    Reason.MADE_AFTER_APPLICATION: (
        "it was made after the date of the application",
        "they were made after the date of the application",
    ),
    Reason.EXCLUDED_KIND: (
        "reports of this kind are not counted under the rule",
        "reports of these kinds are not counted under the rule",
    ),
    Reason.EXCLUDED_AGENCY: (
        "reports to this organisation are not counted under the rule",
        "reports to these organisations are not counted under the rule",
    ),
    Reason.NOT_HATE: (
        "the rule counts only incidents recorded as motivated by hate",
        "the rule counts only incidents recorded as motivated by hate",
    ),
    Reason.LATE_REPORT: (
        "it was made too long after the incident it reports",
        "they were made too long after the incidents they report",
    ),
    Reason.OUTSIDE_WINDOW: (
        "it was made too long before the application",
        "they were made too long before the application",
    ),
    Reason.APPLICATION_OUTSIDE_WINDOW: (
        "the application came outside the time the rule allows",
        "the application came outside the time the rule allows",
    ),
    Reason.DUPLICATE: ("it was about something already counted", "they were about things already counted"),
    Reason.UNKNOWN_HOUSEHOLD: (
        "we could not tell which household it came from",
        "we could not tell which household they came from",
    ),
}


# What the relevant bodies still need to know, for each case fact, as the end of
# the sentence "... we need to know ...".
_QUESTION = {
    Fact.VICTIM_HIGH_RISK: "whether the victim has been assessed as high risk",
    Fact.VULNERABILITY_OVERRIDE: "whether a senior manager has applied the vulnerability override",
    Fact.NO_ACTION_TAKEN: "whether effective action has been taken",
    Fact.INVESTIGATION_COMPLETE: "whether the investigation is complete",
    Fact.CASE_CLOSED: "whether the case has been closed",
    Fact.PROBLEM_PERSISTS: "whether the problem is still going on",
    Fact.SIGNIFICANT_HARM: "whether the behaviour caused, or could cause, significant harm",
    Fact.FURTHER_ACTION_AVAILABLE: "whether further action is still open to us",
    Fact.HARASSMENT_ALARM_DISTRESS: "whether the behaviour caused harassment, alarm or distress",
    Fact.PROMISED_RESPONSE_PENDING: "whether a response date we promised has passed",
    Fact.APPLICANT_SAYS_NO_EFFECTIVE_ACTION: "whether you feel that no effective action has been taken",
    Fact.OFFICER_DISCRETION: "whether the relevant bodies decide, at their discretion, to hold a review",
}

ASKED_OF_APPLICANT: Final = frozenset({Fact.APPLICANT_SAYS_NO_EFFECTIVE_ACTION, Fact.PROBLEM_PERSISTS})
"""The case facts the applicant's letter asks about: those the applicant can know.

The applicant's own view (:attr:`~Fact.APPLICANT_SAYS_NO_EFFECTIVE_ACTION`) and
whether the behaviour is still going on (:attr:`~Fact.PROBLEM_PERSISTS`, which
the victim lives with) are theirs to tell; so is the victim's consent.  Every
other fact is held or decided by the relevant bodies: a risk assessment, a
senior manager's override, the officer's discretion, the state of the
investigation or the case, what action was taken or is still open, a promised
response date, and the judgements of harm and of harassment, alarm or
distress.  Those are left out of the letter and listed in :func:`for_officer`
as what the officer must decide.
"""


def _is_decision(decision: object) -> None:
    if not isinstance(decision, Decision):
        raise InvalidInput("decision", decision, "must be a Decision (see asb_case_review.evaluate)")


_CONSENT_QUESTION: Final = "whether the victim consents to the application"


def _unknowns(decision: Decision) -> tuple[list[Fact], bool]:
    """The case facts, in the policy's order, and whether consent, that leave the decision undetermined."""
    facts: dict[Fact, None] = {}
    asks_consent = False
    for _, _, result in decision.rule_results():
        for node in result.walk():
            if node.outcome is not Outcome.UNKNOWN:
                continue
            if isinstance(node.predicate, FactIs):
                facts[node.predicate.fact] = None
            elif isinstance(node.predicate, Consent):
                asks_consent = True
    return list(facts), asks_consent


def _questions(decision: Decision) -> list[str]:
    """What the applicant is asked, in plain words: only what the applicant can know.

    Only facts about the case are named; a report of someone else's with no
    household recorded is never mentioned, as it would point at that person.
    """
    facts, asks_consent = _unknowns(decision)
    found = [_QUESTION[f] for f in facts if f in ASKED_OF_APPLICANT]
    if asks_consent:
        found.append(_CONSENT_QUESTION)
    return found


def _for_the_officer(decision: Decision) -> list[Fact]:
    """The unknown case facts that only the relevant bodies hold: the officer must decide them."""
    facts, _ = _unknowns(decision)
    return [f for f in facts if f not in ASKED_OF_APPLICANT]


def _told_of(decision: Decision) -> str | None:
    """Whose reports the applicant may be told about, or ``None``: nobody's.

    The victim's, when the victim applies or a third party applies with the
    victim's recorded consent.  A third party without it learns nothing of
    the victim's reports: no dates, no numbers.
    """
    application = decision.application
    if application.on_behalf_of in (None, application.applicant) or application.consent is True:
        return application.victim
    return None


def own_application(decision: Decision) -> Application:
    """The application with only the reports the applicant may be told of.

    Any date the applicant is given is worked out again from this alone: a
    date that comes out the same is derived from reports the applicant knows
    (and the application date), so it tells them nothing about anyone else.
    """
    application = decision.application
    who = _told_of(decision)
    return attrs.evolve(application, reports=tuple(r for r in application.reports if r.reporter == who))


def _count_of(decision: Decision, tally: Tally) -> Count | None:
    """The count whose result carries *tally*."""
    for result in decision.results():
        for node in result.walk():
            if node.tally is tally and isinstance(node.predicate, Count):
                return node.predicate
    return None


def private_deadline(decision: Decision, tally: Tally) -> dt.date | None:
    """The near-miss deadline of *tally*, only when the applicant's own reports give the same date.

    A deadline is set by the counted report whose time runs out first.  When
    that is another person's, the date would tell the applicant when that
    person complained, so it is withheld (``None``).

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> decision = evaluate(example_application(), STATUTORY, as_of=dt.date(2026, 5, 1))
    >>> [s.tally.deadline for s in decision.shortfalls()]  # set by someone else's report
    [datetime.date(2026, 5, 14)]
    >>> [private_deadline(decision, s.tally) for s in decision.shortfalls()]
    [None]
    """
    predicate = _count_of(decision, tally)
    if predicate is None:  # pragma: no cover - every shortfall comes from a count of the decision
        return None
    return own_deadline(decision, predicate, tally)


def own_deadline(decision: Decision, predicate: Count, tally: Tally) -> dt.date | None:
    """*tally*'s deadline under *predicate* when the applicant's own reports alone give the same date."""
    if tally.deadline is None:
        return None
    own = predicate(Context(own_application(decision), decision.as_of)).tally
    return tally.deadline if own is not None and own.deadline == tally.deadline else None


def words(n: int) -> str:
    """A small whole number in words, as a letter writes it; larger ones in figures.

    >>> words(1), words(3), words(12)
    ('one', 'three', '12')
    """
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _plural(n: int, one: str, many: str) -> str:
    return f"{words(n)} {one if n == 1 else many}"


def _or_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _day_list(days: Sequence[dt.date]) -> str:
    texts = [long_date(d) for d in days]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"


def _plain_cite(source: Source | None) -> str:
    """A citation fit for a letter: the title and section, without the web address."""
    if source is None:
        return ""
    text = source.title if source.section is None else f"{source.title}, {source.section}"
    return f" ({text})"


def _more_needed(tally: Tally) -> str:
    """E.g. "one more qualifying report", "reports from two more people"."""
    more = tally.shortfall
    match tally.unit:
        case CountUnit.REPORTERS:
            return f"qualifying reports from {_plural(more, 'more person', 'more people')}"
        case CountUnit.HOUSEHOLDS:
            return f"qualifying reports from {_plural(more, 'more household', 'more households')}"
        case CountUnit.INCIDENTS:
            return _plural(
                more,
                "more qualifying report of a separate incident",
                "more qualifying reports of separate incidents",
            )
        case CountUnit.INCIDENT_DATES:
            return _plural(
                more,
                "more qualifying report of an incident on another day",
                "more qualifying reports of incidents on other days",
            )
        case CountUnit.COMPLAINTS:
            return _plural(more, "more qualifying complaint", "more qualifying complaints")
        case CountUnit.REPORTS:
            return _plural(more, "more qualifying report", "more qualifying reports")
        case _:  # pragma: no cover - exhaustive: a new unit needs its words here
            assert_never(tally.unit)


_UNIT_NOUN = {
    CountUnit.REPORTS: "reports",
    CountUnit.COMPLAINTS: "qualifying complaints",
    CountUnit.INCIDENTS: "separate incidents",
    CountUnit.INCIDENT_DATES: "incidents on separate days",
    CountUnit.REPORTERS: "people",
    CountUnit.HOUSEHOLDS: "households",
}


def _counted(fates: Sequence[Fate], decision: Decision, own: str, told: str) -> tuple[int, str, list[str]]:
    """How many reports counted; a clause saying which; sentences on the victim's reports that did not.

    The victim's own reports are named by date.  Other people's are only a
    number: neither who made them nor when, which could identify them.
    """
    victim = told
    made_on = {r.id: r.made_on for r in decision.application.reports}
    mine = sorted(made_on[f.report] for f in fates if f.reason is Reason.COUNTED and f.reporter == victim)
    others = sum(1 for f in fates if f.reason is Reason.COUNTED and f.reporter != victim)
    parts = []
    if mine:
        what = f"{own} report" if len(mine) == 1 else f"{words(len(mine))} of {own} reports"
        parts.append(f"{what}, made on {_day_list(mine)}")
    if others == 1:
        parts.append("one report about the same problem made by someone else, who is not named here")
    elif others:
        parts.append(
            f"{words(others)} reports about the same problem made by other people, who are not named here"
        )
    failed: dict[Reason, list[dt.date]] = {}
    for fate in fates:
        if fate.reporter == victim and fate.reason in _BECAUSE:
            failed.setdefault(fate.reason, []).append(made_on[fate.report])
    sentences = [
        f"{_capital(own)} report of {long_date(days[0])} did not count because {_BECAUSE[reason][0]}."
        if len(days) == 1
        else f"{_capital(own)} reports of {_day_list(sorted(days))} did not count because "
        f"{_BECAUSE[reason][1]}."
        for reason, days in failed.items()
    ]
    return len(mine) + others, ", and ".join(parts), sentences


def long_date(day: dt.date) -> str:
    """A date as a letter writes it.

    >>> long_date(dt.date(2026, 2, 8))
    '8 February 2026'
    """
    return f"{day.day} {day:%B %Y}"


# Reasons that turn a report away for what it is, not for when it was made: a rule
# that turns away every report for one of these counts a different kind of report.
_ANOTHER_KIND: Final = frozenset(
    {Reason.UNRELATED, Reason.NOT_BY_VICTIM, Reason.EXCLUDED_KIND, Reason.EXCLUDED_AGENCY, Reason.NOT_HATE}
)


def closeness(shortfall: Shortfall) -> tuple[bool, int]:
    """How far *shortfall*'s rule is from being met; the smallest is the closest.

    First, whether the rule turns away every report for what it is (a rule
    counting only hate incidents, when none was one, is not close however
    few it asks for); a rule with no reports at all is not set back by this.
    Then how many more qualifying units it needs.  Ties go to the rule that
    comes first in the policy (the mandatory route, then the local rules).
    """
    fates = shortfall.tally.fates
    other_kind = bool(fates) and all(f.reason in _ANOTHER_KIND for f in fates)
    return other_kind, shortfall.tally.shortfall


def _nearest(decision: Decision) -> Shortfall | None:
    """The unmet count closest to being met (:func:`closeness`), the policy's order breaking ties."""
    shortfalls = decision.shortfalls()
    return min(shortfalls, key=closeness) if shortfalls else None


def for_applicant(decision: Decision, *, decided_on: dt.date | None = None) -> str:
    """The decision as a short letter paragraph for the applicant, in plain English.

    It names the rule in the area's own published wording and counts other
    people's reports only as a number (never who made them, nor when).  The
    decision is made as at the application date and does not lapse: a met
    letter says so and what happens next; a not-met letter says what a new
    application would need and how to ask for the decision to be reviewed.
    No date in it is worked out from another person's report; a third party
    without the victim's recorded consent is told nothing of the victim's
    reports.  *decided_on*, the date of the decision, turns the area's
    working-day time limit for asking for a review into a date; without it
    the letter gives the number of working days.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> print(for_applicant(evaluate(example_application(), STATUTORY)))  # doctest: +ELLIPSIS
    Your application of 28 February 2026 meets the threshold for an ASB Case Review...
    """
    _is_decision(decision)
    application = decision.application
    told = _told_of(decision)
    own = "your" if application.on_behalf_of in (None, application.applicant) else "the victim's"
    if decision.met:
        sentences = _met(decision, own, told, decided_on)
    else:
        sentences = _not_met(decision, own, told, decided_on)
    if decision.signals and told is not None:
        who = "you have" if own == "your" else "the victim has"
        sentences.append(
            f"As {who} reported more than once in six months, we will also explain how the "
            "ASB Case Review works and how it can help."
        )
    return " ".join(sentences)


def _met(decision: Decision, own: str, told: str | None, decided_on: dt.date | None) -> list[str]:
    """The sentences of a met letter: the rule, what counted, that it stands, and what happens next."""
    item = decision.find_rule(decision.matched[0])
    opening = f"Your application of {long_date(decision.as_of)} meets the threshold for an ASB Case Review"
    sentences = [f'{opening} under the rule "{item.label}"{_plain_cite(item.source)}.']
    if told is None:
        sentences.append(_NO_CONSENT)
    else:
        total, which, failed = _counted(decision.fates, decision, own, told)
        if total:
            sentences.append(f"We counted {words(total)}: {which}.")
        sentences.extend(failed)
    sentences.append(
        f"The threshold was met on {long_date(decision.as_of)}, the date of the application; "
        "the decision is made as at that date and does not lapse."
    )
    sentences.extend(_floor_also(decision))
    sentences.extend(_next_steps(decision, decided_on))
    return sentences


def _not_met(decision: Decision, own: str, told: str | None, decided_on: dt.date | None) -> list[str]:
    """The sentences of a not-met or undetermined letter."""
    opening = f"Your application of {long_date(decision.as_of)}"
    undetermined = decision.outcome is Outcome.UNKNOWN
    if undetermined:
        sentences = [
            (
                f"{opening} cannot be decided yet: we need more information about the case before we "
                "can say whether it meets the threshold for an ASB Case Review."
            )
        ]
        questions = _questions(decision)
        if questions:
            sentences.append(f"In particular, we need you to tell us {_or_list(questions)}.")
        if _for_the_officer(decision):
            sentences.append(
                "The relevant bodies also have to settle some matters about the case themselves; "
                "you do not need to do anything about those."
            )
    else:
        sentences = [f"{opening} does not meet the threshold for an ASB Case Review."]
    if told is None:
        sentences.append(_NO_CONSENT)
    nearest = _nearest(decision)
    if nearest is not None:
        sentences.extend(_near_miss(nearest, decision, own, told))
    sentences.extend(
        f'The application must also meet the condition "{item.label}"{_plain_cite(item.source)}, '
        "and it does not."
        for path, item, result in decision.rule_results()
        if path.startswith("conditions") and result.outcome is Outcome.NOT_MET
    )
    sentences.extend(_floor_also(decision))
    sentences.extend(_decide_by(decision) if undetermined else _review_route(decision, decided_on))
    return sentences


_NO_CONSENT: Final = (
    "As the victim's consent to this application is not recorded, this letter gives no details "
    "of the reports behind it."
)


def _floor_also(decision: Decision) -> list[str]:
    """A sentence saying that s.104(4) is met, where the letter would not otherwise say so.

    With the statutory floor reported only (``enforce_floor=False``) the
    decision follows the policy as written, but the applicant is still told
    that the law's own threshold is met: it is their ground for a review.
    """
    if not decision.floor.met:
        return []
    if decision.met and decision.route in (Route.MANDATORY, Route.STATUTORY_FLOOR):
        return []
    if decision.met:
        return [f"The threshold is also met under {_S104_4}."]
    sentence = (
        f"However, the threshold is met under {_S104_4}, which says that the relevant bodies must "
        "decide that it is met when enough qualifying complaints have been made about the behaviour"
    )
    if decision.outcome is Outcome.UNKNOWN:
        return [f"{sentence}."]
    ground = "this decision follows the area's policy as written, and you can ask for it to be reviewed"
    ground += " on that ground"
    return [f"{sentence}; {ground}."]


_S104_4: Final = "section 104(4) of the Anti-social Behaviour, Crime and Policing Act 2014"


def _next_steps(decision: Decision, decided_on: dt.date | None) -> list[str]:
    """What happens after a met decision, with the area's working-day timescales where it publishes them.

    A step whose date is before *decided_on* is already past, and left out.
    """
    timescales = decision.policy.timescales
    planned = (
        ("acknowledge your application", timescales.acknowledge, timescales.acknowledge_by(decision.as_of)),
        ("confirm this decision in writing", timescales.decide, timescales.decide_by(decision.as_of)),
    )
    steps = [
        f"{what} by {long_date(by)} ({_plural(days, 'working day', 'working days')} from the application)"
        for what, days, by in planned
        if days is not None and by is not None and (decided_on is None or by >= decided_on)
    ]
    review = "carry out the ASB Case Review of their response to the behaviour and tell you what they find"
    if steps:
        return [f"What happens next: the relevant bodies will {_or_list(steps)}; they will then {review}."]
    return [f"What happens next: the relevant bodies will {review}."]


def _decide_by(decision: Decision) -> list[str]:
    """When an undetermined application will be decided, where the area publishes a timescale."""
    timescales = decision.policy.timescales
    by = timescales.decide_by(decision.as_of)
    if by is None:
        return []
    days = _plural(timescales.decide or 0, "working day", "working days")
    when = f"{days} from the application to decide, that is until {long_date(by)}"
    return [f"The area's procedures give the relevant bodies {when}."]


def _review_route(decision: Decision, decided_on: dt.date | None) -> list[str]:
    """How, and by when, to ask for a not-met decision to be reviewed (Schedule 4)."""
    policy = decision.policy
    if policy.appeal is not None:
        how = f'The area\'s procedures say: "{policy.appeal.route}"{_plain_cite(policy.appeal.source)}.'
    else:
        how = "The area's published ASB Case Review procedures say how."
    sentences = ["If you are not satisfied with this decision, you can ask for it to be reviewed.", how]
    days = policy.timescales.appeal
    if days is not None:
        within = f"You must ask within {_plural(days, 'working day', 'working days')} of the decision"
        by = None if decided_on is None else policy.timescales.appeal_by(decided_on)
        sentences.append(f"{within}, that is by {long_date(by)}." if by is not None else f"{within}.")
    return sentences


def _near_miss(shortfall: Shortfall, decision: Decision, own: str, told: str | None) -> list[str]:
    """The closest unmet count in words: what was counted, and what a new application would need.

    The decision is made as at the application date, so more reports cannot
    change it: they could only support a new application.  Without the
    victim's consent the applicant learns only which rule came closest.
    """
    tally = shortfall.tally
    item = decision.find_rule(shortfall.rule)
    rule = f'Under the rule closest to being met, "{item.label}"{_plain_cite(item.source)}'
    if told is None:
        return [f"{rule}, not enough was counted."]
    needed = f"{words(tally.at_least)} {_UNIT_NOUN[tally.unit]} it needs"
    counted = "none" if tally.count == 0 else words(tally.count)
    _, which, failed = _counted(tally.fates, decision, own, told)
    sentence = f"{rule}, we counted {counted} of the {needed}"
    sentences = [f"{sentence}: {which}." if which else f"{sentence}.", *failed]
    more = _more_needed(tally)
    deadline = private_deadline(decision, tally)
    if deadline is not None:
        sentences.append(f"A new application made by {long_date(deadline)}, after {more}, would meet it.")
    elif tally.deadline is not None:
        sentences.append(
            f"A new application, after {more}, would meet it if made while the reports counted now "
            "are still within the rule's time limits."
        )
    else:
        sentences.append(f"A new application, after {more}, each made in time, would meet it.")
    return sentences


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_OFFICER_WIDTH: Final = 100
"""No line of the officer's text is longer, but a web address alone on its line, which cannot break."""

_OUTCOME_WORD: Final = {Outcome.MET: "MET", Outcome.NOT_MET: "NOT MET", Outcome.UNKNOWN: "UNDETERMINED"}
"""Each outcome as the officer's text (and the docs and exit codes) name it; JSON keeps the values."""


def _fill(text: str, first: str, rest: str | None = None) -> list[str]:
    """*text* wrapped to the officer's width, the first line indented by *first*, the others by *rest*."""
    return textwrap.wrap(
        text,
        width=_OFFICER_WIDTH,
        initial_indent=first,
        subsequent_indent=first + "    " if rest is None else rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _fate_lines(fate: Fate, reports: Mapping[str, Report]) -> list[str]:
    report = reports[fate.report]
    head = (
        f"  {fate.report:<12} {report.made_on}  by {fate.reporter:<10} to {report.agency.value:<8} "
        f"{fate.reason.value}"
    )
    return [head, *_fill(fate.detail, "      ", "      ")]


def _source_lines(source: Source, pad: str) -> list[str]:
    """A citation: the title, then the web address on a line of its own."""
    text = source.title if source.section is None else f"{source.title}, {source.section}"
    lines = _fill(f"source: {text}", pad)
    if source.url is not None:
        lines.append(f"{pad}  <{source.url}>")
    return lines


def _tree_lines(result: Result, depth: int) -> list[str]:
    pad = "  " * depth
    predicate = result.predicate
    name = f"[{predicate.id}] " if isinstance(predicate, Rule) else ""
    outcome = _OUTCOME_WORD[result.outcome]
    lines = _fill(f"- {name}{outcome}: {predicate.describe()} -- {result.summary}", pad, pad + "    ")
    if isinstance(predicate, Rule) and predicate.source is not None:
        lines.extend(_source_lines(predicate.source, pad + "  "))
    if result.tally is not None and result.tally.window is not None:
        lines.append(f"{pad}  window: {result.tally.window}")
    for child in result.children:
        lines.extend(_tree_lines(child, depth + 1))
    return lines


def settings(decision: Decision) -> dict[str, str]:
    """The settings that ran, each once: a setting with several values (one per rule) lists them all.

    The officer's text and the JSON record both give these, so they agree.

    >>> from asb_case_review import evaluate
    >>> from asb_case_review.catalogue import get_policy
    >>> from asb_case_review.examples import example_application
    >>> settings(evaluate(example_application(), get_policy("ashford")))["counting unit"]
    'complaints, reporters'
    """
    found: dict[str, list[str]] = {}
    for key, value in decision.assumptions():
        found.setdefault(key, []).append(value)
    return {key: ", ".join(values) for key, values in found.items()}


def for_officer(decision: Decision) -> str:
    """The full explanation for a case officer: every rule, every report's fate and every setting.

    No line is longer than 100 characters, but a web address on a line of its own.
    """
    _is_decision(decision)
    application = decision.application
    route = {
        Route.MANDATORY: "mandatory route, s.104(4)",
        Route.DISCRETIONARY: "discretionary route, s.104(5)",
        Route.STATUTORY_FLOOR: "statutory floor, s.104(4), over the local policy",
        None: None,
    }[decision.route]
    lines = [
        f"Application {application.id} made {application.made_on}"
        + ("" if decision.as_of == application.made_on else f", taken as made on {decision.as_of} (what-if)"),
        *_fill(f"Policy: {decision.policy.title} ({decision.policy_name})", ""),
        *_fill(
            f"Outcome: {_OUTCOME_WORD[decision.outcome]}"
            + ("" if route is None else f" by {route}")
            + (f"; rules matched: {', '.join(decision.matched)}" if decision.matched else ""),
            "",
        ),
    ]
    if decision.policy_outcome is not decision.outcome:
        lines.append(f"The policy as written says: {_OUTCOME_WORD[decision.policy_outcome].lower()}")
    if decision.met and decision.met_until is not None:
        lines.append(f"Stays met, with nothing new reported, for applications up to {decision.met_until}")
    for s in decision.shortfalls():
        lines.extend(_fill(f"Near miss [{s.rule}]: {s.describe()}", ""))
    held = _for_the_officer(decision)
    if held:
        lines.append("For the officer to decide (the relevant bodies hold these; the letter does not ask):")
        for fact in held:
            lines.extend(_fill(f"{fact.value}: {_QUESTION[fact]}", "  "))
    asked = _questions(decision)
    if asked:
        lines.extend(_fill(f"Asked of the applicant in the letter: {'; '.join(asked)}", ""))
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
    # Each report looked up by id once: a scan per fate made a long application quadratic.
    by_id = {r.id: r for r in application.reports}
    for fate in decision.fates:
        lines.extend(_fate_lines(fate, by_id))
    if decision.warnings or decision.signals:
        lines.append("")
        for notice in (*decision.warnings, *decision.signals):
            lines.extend(_fill(f"{notice.code.value}: {notice.message}", ""))
            if notice.source is not None:
                lines.extend(_source_lines(notice.source, "  "))
    lines.append("")
    lines.append("Settings that ran:")
    lines.extend(line for key, value in settings(decision).items() for line in _fill(f"{key}={value}", "  "))
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
    """The whole decision as plain data, ready for ``json.dumps`` and for an audit record.

    ``letter`` holds the applicant's paragraph (:func:`for_applicant`), so the
    record keeps what the applicant was told; everything else is for officers.
    """
    _is_decision(decision)
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
        "settings": settings(decision),
        "letter": for_applicant(decision),
    }


def to_applicant_dict(decision: Decision, *, decided_on: dt.date | None = None) -> dict[str, Any]:
    """What the applicant may be told, as plain data: never another person's id, report or fate.

    For systems that write letters from data.  Only the victim's own reports
    are listed (none for a third party without the victim's recorded
    consent); other people's appear in the letter as a number.  Like the
    letter, it holds no date worked out from another person's report: a
    near-miss deadline set by someone else's report is ``None``.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> data = to_applicant_dict(evaluate(example_application(), STATUTORY))
    >>> data["outcome"], data["met_on"], [r["report"] for r in data["your_reports"]]
    ('met', '2026-02-28', ['REP-0', 'REP-1', 'REP-3'])
    """
    _is_decision(decision)
    application = decision.application
    told = _told_of(decision)
    own = [f for f in decision.fates if told is not None and f.reporter == told]
    made = {r.id: r.made_on for r in application.reports}
    rules = [decision.find_rule(rule_id) for rule_id in decision.matched]
    policy = decision.policy
    appeal_by = None if decided_on is None else policy.timescales.appeal_by(decided_on)
    near_misses = []
    if not decision.met:
        for s in decision.shortfalls():
            deadline = None if told is None else private_deadline(decision, s.tally)
            near_misses.append(
                {
                    "rule": decision.find_rule(s.rule).label,
                    "more_needed": None if told is None else s.tally.shortfall,
                    "deadline": None if deadline is None else deadline.isoformat(),
                }
            )
    return {
        "application": application.id,
        "made_on": decision.as_of.isoformat(),
        "policy": {"id": policy.id, "version": policy.version},
        "outcome": decision.outcome.value,
        "rules": [
            {"label": item.label, "source": None if item.source is None else item.source.cite()}
            for item in rules
        ],
        "met_on": decision.as_of.isoformat() if decision.met else None,
        "statutory_floor_met": decision.floor.met,
        "your_reports": [
            {
                "report": f.report,
                "made_on": made[f.report].isoformat(),
                "counted": f.reason is Reason.COUNTED,
                "reason": f.reason.value,
            }
            for f in own
        ],
        "near_misses": near_misses,
        "review": None
        if decision.met or decision.outcome is Outcome.UNKNOWN
        else {
            "route": None if policy.appeal is None else policy.appeal.route,
            "source": None
            if policy.appeal is None or policy.appeal.source is None
            else policy.appeal.source.cite(),
            "within_working_days": policy.timescales.appeal,
            "by": None if appeal_by is None else appeal_by.isoformat(),
        },
        "questions": _questions(decision),
        "letter": for_applicant(decision, decided_on=decided_on),
    }


def report_rows(decision: Decision) -> list[dict[str, Any]]:
    """One flat row per report under the deciding rule: a tidy table for analysts.

    Each row names the application, the decision date, the policy and version,
    the outcome, and the report's fate with its dates, so that rows from many
    decisions stack into one table (``pandas.DataFrame(rows)``).

    ```pycon
    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> rows = report_rows(evaluate(example_application(), STATUTORY))
    >>> [(r["report"], r["counted"]) for r in rows]
    [('REP-0', False), ('REP-1', True), ('REP-2', True), ('REP-3', True)]

    ```
    """
    _is_decision(decision)
    by_id = {r.id: r for r in decision.application.reports}
    rule = decision.matched[0] if decision.matched else decision.floor_rule.id
    rows = []
    for fate in decision.fates:
        report = by_id[fate.report]
        rows.append(
            {
                "application": decision.application.id,
                "as_of": decision.as_of,
                "policy": decision.policy.id,
                "policy_version": decision.policy.version,
                "outcome": decision.outcome.value,
                "rule": rule,
                "report": fate.report,
                "reporter": fate.reporter,
                "household": report.household,
                "agency": report.agency.value,
                "kind": report.kind,
                "incident": report.incident.id,
                "behaviour_began": report.incident.began_on,
                "made_on": report.made_on,
                "counted": fate.reason is Reason.COUNTED,
                "reason": fate.reason.value,
                "detail": fate.detail,
                "window_first": None if fate.window is None else fate.window.first,
                "window_last": None if fate.window is None else fate.window.last,
            }
        )
    return rows


def _notice_dict(notice: Notice) -> dict[str, Any]:
    return {
        "code": notice.code.value,
        "message": notice.message,
        "source": None if notice.source is None else notice.source.cite(),
    }
