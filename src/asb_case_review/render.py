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
from typing import Any, Final

import attrs

from ._limits import supported_day
from ._messages import Language, Messages, messages
from .decision import Decision, Notice, Route, Shortfall
from .errors import InvalidInput
from .models import Application, Fact, Report
from .qualifying import Fate, Reason
from .rules import Consent, Context, Count, FactIs, Outcome, Result, Rule, Source, Tally

__all__ = [
    "ASKED_OF_APPLICANT",
    "BECAUSE",
    "applicant_paragraphs",
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


def _decided(decided_on: object) -> None:
    """Refuse a date of decision that is not a supported date: it dates the letter and the review."""
    if decided_on is None:
        return
    if isinstance(decided_on, dt.datetime) or not isinstance(decided_on, dt.date):
        raise InvalidInput("decided_on", decided_on, "must be a date (datetime.date) or None")
    supported_day(decided_on, "decided_on")


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


def _questions(decision: Decision, m: Messages | None = None) -> list[str]:
    """What the applicant is asked, in plain words: only what the applicant can know.

    Only facts about the case are named; a report of someone else's with no
    household recorded is never mentioned, as it would point at that person.
    """
    m = m or messages("en")
    facts, asks_consent = _unknowns(decision)
    found = [m.text(f"questions.{f.value}") for f in facts if f in ASKED_OF_APPLICANT]
    if asks_consent:
        found.append(m.text("questions.consent"))
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
    return messages("en").number(n)


def long_date(day: dt.date) -> str:
    """A date as a letter writes it.

    >>> long_date(dt.date(2026, 2, 8))
    '8 February 2026'
    """
    return messages("en").date(day)


def _plain_cite(source: Source | None) -> str:
    """A citation fit for a letter: the title and section, without the web address."""
    if source is None:
        return ""
    text = source.title if source.section is None else f"{source.title}, {source.section}"
    return f" ({text})"


@attrs.frozen
class _Voice:
    """How the letter speaks: its language, and whose reports it may tell of and how it names them."""

    m: Messages
    owner: str
    """``you`` when the applicant is the victim, ``victim`` when a third party applied."""
    told: str | None
    """The victim, whose reports the applicant may be told of; ``None``: nobody's."""

    def days(self, days: Sequence[dt.date]) -> str:
        return self.m.join([self.m.date(d) for d in days])


BECAUSE: Final = frozenset(
    {
        Reason.MADE_AFTER_APPLICATION,
        Reason.EXCLUDED_KIND,
        Reason.EXCLUDED_AGENCY,
        Reason.NOT_HATE,
        Reason.LATE_REPORT,
        Reason.OUTSIDE_WINDOW,
        Reason.APPLICATION_OUTSIDE_WINDOW,
        Reason.DUPLICATE,
        Reason.UNKNOWN_HOUSEHOLD,
    }
)
"""The reasons the letter gives for the victim's own reports that did not count (``because`` in the
message files).  The others are never given: a report about another matter is not the victim's
concern here, and "not by the victim" is never said of the victim's own report."""


def _counted(fates: Sequence[Fate], decision: Decision, v: _Voice) -> tuple[int, str, list[str]]:
    """How many reports counted; a clause saying which; sentences on the victim's reports that did not.

    The victim's own reports are named by date.  Other people's are only a
    number: neither who made them nor when, which could identify them.
    """
    m, victim = v.m, v.told
    made_on = {r.id: r.made_on for r in decision.application.reports}
    mine = sorted(made_on[f.report] for f in fates if f.reason is Reason.COUNTED and f.reporter == victim)
    others = sum(1 for f in fates if f.reason is Reason.COUNTED and f.reporter != victim)
    own = f"counted.{v.owner}"
    parts = []
    if mine:
        what = m.text(f"{own}.one") if len(mine) == 1 else m.text(f"{own}.many", n=m.number(len(mine)))
        parts.append(m.text(f"{own}.made", what=what, days=v.days(mine)))
    if others:
        parts.append(m.count("counted.others", others))
    failed: dict[str, list[dt.date]] = {}
    for fate in fates:
        if fate.reporter == victim and fate.reason in BECAUSE:
            # The fate's own wording when the reason alone would not say truly why.
            failed.setdefault(fate.because or fate.reason.value, []).append(made_on[fate.report])
    sentences = [
        m.text(f"{own}.failed_one", day=m.date(days[0]), because=m.count(f"because.{key}", 1))
        if len(days) == 1
        else m.text(f"{own}.failed_many", days=v.days(sorted(days)), because=m.count(f"because.{key}", 2))
        for key, days in failed.items()
    ]
    return len(mine) + others, m.text("lists.parts").join(parts), sentences


# Reasons that turn a report away for what it is, not for when it was made: a rule
# that turns away every report for one of these counts a different kind of report.
_ANOTHER_KIND: Final = frozenset(
    {Reason.UNRELATED, Reason.NOT_BY_VICTIM, Reason.EXCLUDED_KIND, Reason.EXCLUDED_AGENCY, Reason.NOT_HATE}
)


def closeness(shortfall: Shortfall) -> tuple[bool, bool, int]:
    """How far *shortfall*'s rule is from being met; the smallest is the closest.

    First, whether the rule turns away every report for what it is (a rule
    counting only hate incidents, when none was one, is not close however
    few it asks for); a rule with no reports at all is not set back by this.
    Then whether no new report can ever meet it (``Tally.closed``).  Then how
    many new qualifying units a new application would need (``Tally.new_needed``:
    the letter's near miss, so the rule quoted is the one needing the fewest).
    Ties go to the rule that comes first in the policy (the mandatory route,
    then the local rules).
    """
    tally = shortfall.tally
    fates = tally.fates
    other_kind = bool(fates) and all(f.reason in _ANOTHER_KIND for f in fates)
    needed = tally.new_needed
    return other_kind, needed is None, tally.shortfall if needed is None else needed


def _nearest(decision: Decision) -> Shortfall | None:
    """The unmet count closest to being met (:func:`closeness`), the policy's order breaking ties.

    When nothing reported from now on can meet the policy's closest rule but the statutory
    floor is enforced and can still be met, the floor's count is the near miss: a letter must
    not leave the applicant believing that nothing can help when s.104(4) still can.
    """
    shortfalls = decision.shortfalls()
    if not shortfalls:
        return None
    nearest = min(shortfalls, key=closeness)
    if nearest.tally.closed is None or not decision.enforce_floor:
        return nearest
    floor_id = decision.floor_rule.id
    if any(s.rule == floor_id for s in shortfalls):
        return nearest  # The floor is the policy's own mandatory rule, already weighed.
    floor = next((r.tally for r in decision.floor.walk() if r.tally is not None), None)
    if floor is None or floor.count >= floor.at_least or floor.closed is not None:  # pragma: no cover
        return nearest  # The floor is one count, plain s.104(4), never closed; met, it decides.
    return Shortfall(floor_id, floor)


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
    the letter gives the number of working days.  The wording is the English
    message file's (``messages/en.toml``); :func:`applicant_paragraphs` gives
    the same letter in paragraphs, in English or Welsh.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> print(for_applicant(evaluate(example_application(), STATUTORY)))  # doctest: +ELLIPSIS
    Your application of 28 February 2026 meets the threshold for an ASB Case Review...
    """
    return " ".join(applicant_paragraphs(decision, decided_on=decided_on))


def applicant_paragraphs(
    decision: Decision,
    *,
    decided_on: dt.date | None = None,
    language: Language = "en",
    next_steps: bool = True,
) -> tuple[str, ...]:
    """The applicant's letter (:func:`for_applicant`) in paragraphs, in *language* (``en`` or ``cy``).

    The first paragraph gives the decision and what counted, the next what the
    law also says, the next what happens now or how to ask for a review.  With
    ``next_steps=False`` that last part is left out: a self-check, which decides
    nothing, has no next steps and no decision to review.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> decision = evaluate(example_application(), STATUTORY)
    >>> print(applicant_paragraphs(decision, language="cy")[0][:61])
    Mae eich cais dyddiedig 28 Chwefror 2026 yn bodloni'r trothwy
    """
    _is_decision(decision)
    _decided(decided_on)
    application = decision.application
    owner = "you" if application.on_behalf_of in (None, application.applicant) else "victim"
    v = _Voice(messages(language), owner, _told_of(decision))
    paragraphs = _met(decision, v, decided_on) if decision.met else _not_met(decision, v, decided_on)
    if not next_steps:
        paragraphs = paragraphs[:-1]  # both give the next steps (or how to ask for a review) last
    if decision.signals and v.told is not None:
        paragraphs.append([v.m.text(f"counted.{owner}.signal")])
    return tuple(" ".join(p) for p in paragraphs if p)


def _met(decision: Decision, v: _Voice, decided_on: dt.date | None) -> list[list[str]]:
    """The paragraphs of a met letter: the rule, what counted, that it stands, and what happens next."""
    m = v.m
    item = decision.find_rule(decision.matched[0])
    first = [
        m.text("met.opening", date=m.date(decision.as_of), label=item.label, cite=_plain_cite(item.source))
    ]
    if v.told is None:
        first.append(m.text("not_met.no_consent"))
    else:
        total, which, failed = _counted(decision.fates, decision, v)
        if total:
            first.append(m.text("met.counted", n=m.number(total), which=which))
        first.extend(failed)
    first.append(m.text("met.stands", date=m.date(decision.as_of)))
    return [first, _floor_also(decision, m), _next_steps(decision, decided_on, m)]


def _not_met(decision: Decision, v: _Voice, decided_on: dt.date | None) -> list[list[str]]:
    """The paragraphs of a not-met or undetermined letter."""
    m = v.m
    day = m.date(decision.as_of)
    undetermined = decision.outcome is Outcome.UNKNOWN
    if undetermined:
        first = [m.text("not_met.undetermined", date=day)]
        questions = _questions(decision, m)
        if questions:
            first.append(m.text("not_met.ask", questions=m.join(questions)))
        if _for_the_officer(decision):
            first.append(m.text("not_met.officer_matters"))
    else:
        first = [m.text("not_met.opening", date=day)]
    if v.told is None:
        first.append(m.text("not_met.no_consent"))
    nearest = _nearest(decision)
    if nearest is not None:
        first.extend(_near_miss(nearest, decision, v))
    first.extend(
        m.text("not_met.condition", label=item.label, cite=_plain_cite(item.source))
        for path, item, result in decision.rule_results()
        if path.startswith("conditions") and result.outcome is Outcome.NOT_MET
    )
    last = _decide_by(decision, m) if undetermined else _review_route(decision, decided_on, m)
    return [first, _floor_also(decision, m), last]


def _floor_also(decision: Decision, m: Messages) -> list[str]:
    """A sentence saying that s.104(4) is met, where the letter would not otherwise say so.

    With the statutory floor reported only (``enforce_floor=False``) the
    decision follows the policy as written, but the applicant is still told
    that the law's own threshold is met: it is their ground for a review.
    """
    if not decision.floor.met:
        return []
    if decision.met and decision.route in (Route.MANDATORY, Route.STATUTORY_FLOOR):
        return []
    s104 = m.text("not_met.s104")
    if decision.met:
        return [m.text("met.also", s104=s104)]
    if decision.outcome is Outcome.UNKNOWN:
        return [m.text("not_met.however", s104=s104)]
    return [m.text("not_met.however_ground", s104=s104)]


def _next_steps(decision: Decision, decided_on: dt.date | None, m: Messages) -> list[str]:
    """What happens after a met decision, with the area's working-day timescales where it publishes them.

    A step whose date is before *decided_on* is already past, and left out.
    """
    timescales = decision.policy.timescales
    planned = (
        ("next.acknowledge", timescales.acknowledge, timescales.acknowledge_by(decision.as_of)),
        ("next.confirm", timescales.decide, timescales.decide_by(decision.as_of)),
    )
    steps = [
        m.text("next.step", what=m.text(what), date=m.date(by), days=m.count("next.working_days", days))
        for what, days, by in planned
        if days is not None and by is not None and (decided_on is None or by >= decided_on)
    ]
    review = m.text("next.review")
    if steps:
        return [m.text("next.with_steps", steps=m.join(steps), review=review)]
    return [m.text("next.plain", review=review)]


def _decide_by(decision: Decision, m: Messages) -> list[str]:
    """When an undetermined application will be decided, where the area publishes a timescale."""
    timescales = decision.policy.timescales
    by = timescales.decide_by(decision.as_of)
    if by is None:
        return []
    return [
        m.text("next.decide_by", days=m.count("next.working_days", timescales.decide or 0), date=m.date(by))
    ]


def _review_route(decision: Decision, decided_on: dt.date | None, m: Messages) -> list[str]:
    """How, and by when, to ask for a not-met decision to be reviewed (Schedule 4)."""
    policy = decision.policy
    if policy.appeal is not None:
        how = m.text("review.route", route=policy.appeal.route, cite=_plain_cite(policy.appeal.source))
    else:
        how = m.text("review.no_route")
    sentences = [m.text("review.intro"), how]
    days = policy.timescales.appeal
    if days is not None:
        within = m.count("next.working_days", days)
        by = None if decided_on is None else policy.timescales.appeal_by(decided_on)
        sentences.append(
            m.text("review.within", days=within)
            if by is None
            else m.text("review.within_by", days=within, date=m.date(by))
        )
    return sentences


def _near_miss(shortfall: Shortfall, decision: Decision, v: _Voice) -> list[str]:
    """The closest unmet count in words: what was counted, and what a new application would need.

    The decision is made as at the application date, so more reports cannot
    change it: they could only support a new application.  Without the
    victim's consent the applicant learns only which rule came closest.
    """
    m = v.m
    tally = shortfall.tally
    item = decision.find_rule(shortfall.rule)
    rule_words = m.text("near_miss.rule", label=item.label, cite=_plain_cite(item.source))
    if v.told is None:
        return [m.text("near_miss.no_details", rule=rule_words)]
    counted = m.text("numbers.none") if tally.count == 0 else m.number(tally.count)
    _, which, failed = _counted(tally.fates, decision, v)
    said = {
        "rule": rule_words,
        "counted": counted,
        "needed": m.number(tally.at_least),
        "unit": m.text(f"near_miss.unit.{tally.unit.value}"),
    }
    first = (
        m.text("near_miss.counted_which", which=which, **said)
        if which
        else m.text("near_miss.counted", **said)
    )
    sentences = [first, *failed]
    needed = tally.new_needed
    if needed is None:
        # Nothing reported from now on can meet the rule: say so, never "N more would meet it".
        sentences.append(m.text("near_miss.never"))
        return sentences
    more = m.count(f"more.{tally.unit.value}", needed)
    if not tally.combinable:
        # Reports of a later run still open may be completed by fewer new ones than a run made anew.
        key = "near_miss.new_afresh" if tally.rejoin is None else "near_miss.new_rejoin"
        sentences.append(m.text(key, more=more))
        return sentences
    deadline = private_deadline(decision, tally)
    if deadline is not None:
        sentences.append(m.text("near_miss.new_by", date=m.date(deadline), more=more))
    elif tally.deadline is not None:
        sentences.append(m.text("near_miss.new_while", more=more))
    else:
        sentences.append(m.text("near_miss.new_in_time", more=more))
    return sentences


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
        # The key of the letter's sentence saying why, when the reason alone does not tell it truly.
        "because": fate.because,
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
                # What a new application would need, as the letter says (None: nothing can meet it).
                "more_needed": s.tally.new_needed,
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
    consent), each with its fate under the rule the letter explains (the
    deciding rule when met; when not, the rule closest to being met), so the
    data and the letter say the same of each report; other people's appear
    in the letter as a number.  Like the
    letter, it holds no date worked out from another person's report: a
    near-miss deadline set by someone else's report is ``None``.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> data = to_applicant_dict(evaluate(example_application(), STATUTORY))
    >>> data["outcome"], data["met_on"], [r["report"] for r in data["your_reports"]]
    ('met', '2026-02-28', ['REP-0', 'REP-1', 'REP-3'])
    """
    _is_decision(decision)
    _decided(decided_on)
    application = decision.application
    told = _told_of(decision)
    # The rule the letter explains: the deciding rule when met, else the closest (_nearest).
    nearest = None if decision.met else _nearest(decision)
    explained = decision.fates if nearest is None else nearest.tally.fates
    own = [f for f in explained if told is not None and f.reporter == told]
    made = {r.id: r.made_on for r in application.reports}
    rules = [decision.find_rule(rule_id) for rule_id in decision.matched]
    policy = decision.policy
    appeal_by = None if decided_on is None else policy.timescales.appeal_by(decided_on)
    near_misses = []
    if not decision.met:
        shortfalls = decision.shortfalls()
        for s in shortfalls:
            deadline = None if told is None else private_deadline(decision, s.tally)
            near_misses.append(
                {
                    "rule": decision.find_rule(s.rule).label,
                    "more_needed": None if told is None else s.tally.new_needed,
                    "deadline": None if deadline is None else deadline.isoformat(),
                }
            )
        if nearest is not None and nearest.rule == decision.floor_rule.id and nearest not in shortfalls:
            # The letter's near miss is s.104(4) (no new report can meet the policy's closest rule).
            deadline = None if told is None else private_deadline(decision, nearest.tally)
            near_misses.append(
                {
                    "rule": decision.find_rule(nearest.rule).label,
                    "more_needed": None if told is None else nearest.tally.new_needed,
                    "deadline": None if deadline is None else deadline.isoformat(),
                }
            )
    return {
        "application": application.id,
        "as_of": decision.as_of.isoformat(),
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
                # A key of the letter's closed vocabulary (never the detail, which may give the
                # day of another person's report): what the letter says of this report.
                "because": f.because,
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
