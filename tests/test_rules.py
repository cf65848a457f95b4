"""Unit tables for the predicates: every leaf kind, the combinators and the result trees."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from asb_case_review.dates import Arithmetic, Period, days, months
from asb_case_review.errors import InvalidInput
from asb_case_review.models import Agency, Application, Fact
from asb_case_review.qualifying import Anchor, DateOf, Lag, LagScope, Reason, Selection, Who, Window
from asb_case_review.rules import (
    AllOf,
    AnyOf,
    Context,
    Count,
    CountUnit,
    Not,
    Outcome,
    Predicate,
    Recency,
    Result,
    Rule,
    Source,
    all_of,
    any_of,
    consent,
    count,
    fact,
    not_,
    recency,
    rule,
)
from tests.builders import D, app, rep

A = D(2026, 2, 28)


def run(predicate: Predicate, application: Application, as_of: dt.date | None = None) -> Result:
    return predicate(Context(application, as_of or application.made_on))


# One incident reported by P1 to two agencies and twice to one, one by P2, one more by P1.
DUPLICATES = app(
    A,
    rep("R1", D(2026, 1, 2), D(2026, 1, 1), incident="I1", agency=Agency.COUNCIL, household="H1"),
    rep("R2", D(2026, 1, 3), D(2026, 1, 1), incident="I1", agency=Agency.POLICE, household="H1"),
    rep("R3", D(2026, 1, 4), D(2026, 1, 1), incident="I1", agency=Agency.POLICE, household="H1"),
    rep("R4", D(2026, 1, 4), D(2026, 1, 1), by="P2", incident="I1", household="H1"),
    rep("R5", D(2026, 1, 20), D(2026, 1, 20), incident="I5", household="H1"),
    rep("R6", D(2026, 1, 21), D(2026, 1, 20), by="P3", incident="I6", household="H3"),
)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (CountUnit.REPORTS, 6),
        (CountUnit.COMPLAINTS, 4),
        (CountUnit.INCIDENTS, 3),
        (CountUnit.INCIDENT_DATES, 2),
        (CountUnit.REPORTERS, 3),
        (CountUnit.HOUSEHOLDS, 2),
    ],
    ids=lambda v: v.value if isinstance(v, CountUnit) else str(v),
)
def test_counting_units(unit: CountUnit, expected: int) -> None:
    """Each counting unit de-duplicates as documented."""
    result = run(count(1, unit=unit), DUPLICATES)
    assert result.tally is not None
    assert result.tally.count == expected


def test_duplicates_are_marked_with_their_reason() -> None:
    """The first report of a unit counts; later ones are marked duplicate."""
    result = run(count(1, unit=CountUnit.INCIDENTS), DUPLICATES)
    assert result.tally is not None
    fates = {f.report: f.reason for f in result.tally.fates}
    assert fates == {
        "R1": Reason.COUNTED,
        "R2": Reason.DUPLICATE,
        "R3": Reason.DUPLICATE,
        "R4": Reason.DUPLICATE,
        "R5": Reason.COUNTED,
        "R6": Reason.COUNTED,
    }
    assert result.tally.counted() == ("R1", "R5", "R6")


@pytest.mark.parametrize(
    ("at_least", "expected"),
    [(1, Outcome.MET), (2, Outcome.MET), (3, Outcome.UNKNOWN), (4, Outcome.NOT_MET)],
    ids=["1", "2", "3-unknown", "4"],
)
def test_unknown_households_make_a_count_undetermined(at_least: int, expected: Outcome) -> None:
    """Reports with no household leave a household count unknown only where they would decide it."""
    application = app(
        A,
        rep("R1", D(2026, 1, 2), by="P1", household="H1"),
        rep("R2", D(2026, 1, 3), by="P2", household="H2"),
        rep("R3", D(2026, 1, 4), by="P3"),
        rep("R4", D(2026, 1, 5), by="P3"),
    )
    result = run(count(at_least, unit=CountUnit.HOUSEHOLDS), application)
    assert result.outcome is expected
    assert result.tally is not None
    assert (result.tally.count, result.tally.possible) == (2, 3)
    assert {f.reason for f in result.tally.fates if f.report in {"R3", "R4"}} == {Reason.UNKNOWN_HOUSEHOLD}


def test_met_count_is_valid_until_the_nth_newest_report_leaves() -> None:
    """A met count stays met until the at_least-th newest counted report leaves its window."""
    application = app(
        A,
        rep("R1", D(2025, 9, 1)),
        rep("R2", D(2025, 10, 15)),
        rep("R3", D(2026, 1, 10)),
    )
    result = run(count(2), application)
    assert result.outcome is Outcome.MET
    assert result.valid_until == D(2026, 4, 14)
    assert run(count(3), application).valid_until == D(2026, 2, 28)


def test_unmet_count_gives_the_near_miss_deadline() -> None:
    """An unmet count says how many more and the last day they could come with all counted now."""
    application = app(A, rep("R1", D(2025, 9, 2)), rep("R2", D(2025, 12, 1)))
    result = run(count(3), application)
    assert result.outcome is Outcome.NOT_MET
    assert result.tally is not None
    assert (result.tally.count, result.tally.shortfall, result.tally.deadline) == (2, 1, D(2026, 3, 1))
    assert result.summary == "2 of 3 complaints counted"
    # Each complaint has its own window: a new one can always combine with those still inside.
    assert result.tally.combinable


def test_count_with_nothing_counted_has_no_deadline() -> None:
    """With nothing counted there is no date by which the rest must come."""
    result = run(count(3), app(A, rep("R1", D(2025, 1, 2))))
    assert result.tally is not None
    assert result.tally.deadline is None
    assert result.tally.shortfall == 3


@pytest.mark.parametrize(
    ("facts", "expected", "outcome"),
    [
        ({}, True, Outcome.UNKNOWN),
        ({"victim_high_risk": True}, True, Outcome.MET),
        ({"victim_high_risk": False}, True, Outcome.NOT_MET),
        ({"victim_high_risk": False}, False, Outcome.MET),
        ({"victim_high_risk": True}, False, Outcome.NOT_MET),
    ],
    ids=["unknown", "true", "false", "expected-false-met", "expected-false-not-met"],
)
def test_fact_leaf(facts: dict[str, bool], expected: bool, outcome: Outcome) -> None:
    """A fact not supplied is unknown, never silently false."""
    result = run(fact(Fact.VICTIM_HIGH_RISK, expected=expected), app(A, facts=facts))
    assert result.outcome is outcome


@pytest.mark.parametrize(
    ("latest", "within", "date_of", "outcome"),
    [
        (D(2026, 1, 29), months(1), DateOf.REPORT, Outcome.MET),
        (D(2026, 1, 28), months(1), DateOf.REPORT, Outcome.NOT_MET),
        (D(2026, 2, 22), days(7), DateOf.REPORT, Outcome.MET),
        (D(2026, 2, 21), days(7), DateOf.REPORT, Outcome.NOT_MET),
        (D(2026, 1, 29), months(1), DateOf.INCIDENT, Outcome.NOT_MET),
    ],
    ids=["1m-first-day", "1m-day-before", "7d-first-day", "7d-day-before", "incident-date"],
)
def test_recency_gate(latest: dt.date, within: object, date_of: DateOf, outcome: Outcome) -> None:
    """The latest report (or incident) must fall within the period before the application."""
    application = app(A, rep("R0", D(2025, 12, 1)), rep("R1", latest, latest - dt.timedelta(days=1)))
    assert run(recency(within, date_of=date_of), application).outcome is outcome  # type: ignore[arg-type]


def test_recency_ignores_the_selection_window_but_not_its_scope() -> None:
    """A recency gate looks at the reports in scope: a report by someone else does not make a
    victim-only gate met."""
    application = app(A, rep("R1", D(2025, 12, 1)), rep("R2", D(2026, 2, 20), by="P2"))
    assert run(recency(), application).outcome is Outcome.MET
    assert run(recency(selection=Selection(who=Who.VICTIM)), application).outcome is Outcome.NOT_MET
    assert run(recency(), app(A)).outcome is Outcome.NOT_MET


def test_recency_is_valid_until_its_period_ends() -> None:
    """A met recency gate says when it lapses."""
    result = run(recency(), app(A, rep("R1", D(2026, 2, 10))))
    assert result.valid_until == D(2026, 3, 9)


@pytest.mark.parametrize(
    ("behalf", "consented", "outcome"),
    [
        (None, None, Outcome.MET),
        ("V", True, Outcome.MET),
        ("V", None, Outcome.UNKNOWN),
        ("V", False, Outcome.NOT_MET),
        ("P1", None, Outcome.MET),
    ],
    ids=["self", "consented", "unknown", "refused", "self-on-own-behalf"],
)
def test_consent(behalf: str | None, consented: bool | None, outcome: Outcome) -> None:
    """A third-party application needs the victim's consent (guidance); unknown consent is unknown."""
    assert run(consent(), app(A, on_behalf_of=behalf, consent=consented)).outcome is outcome


TRUTH = {
    "met": fact(Fact.CASE_CLOSED),
    "not_met": fact(Fact.CASE_CLOSED, expected=False),
    "unknown": fact(Fact.NO_ACTION_TAKEN),
}
CLOSED = app(A, facts={"case_closed": True})


@pytest.mark.parametrize(
    ("left", "right", "conjunction", "disjunction"),
    [
        ("met", "met", "met", "met"),
        ("met", "not_met", "not_met", "met"),
        ("met", "unknown", "unknown", "met"),
        ("not_met", "unknown", "not_met", "unknown"),
        ("not_met", "not_met", "not_met", "not_met"),
        ("unknown", "unknown", "unknown", "unknown"),
    ],
    ids=str,
)
def test_kleene_truth_tables(left: str, right: str, conjunction: str, disjunction: str) -> None:
    """all_of and any_of follow three-valued logic, whichever side is which."""
    for a, b in ((left, right), (right, left)):
        assert run(TRUTH[a] & TRUTH[b], CLOSED).outcome.value == conjunction
        assert run(TRUTH[a] | TRUTH[b], CLOSED).outcome.value == disjunction


@pytest.mark.parametrize("name", ["met", "not_met", "unknown"])
def test_negation(name: str) -> None:
    """not_ swaps met and not met and keeps unknown."""
    assert run(~TRUTH[name], CLOSED).outcome is ~Outcome(name)


def test_combinators_flatten_and_simplify() -> None:
    """Nested all_of and any_of flatten; one part is itself; double negation cancels."""
    a, b, c = count(1), count(2), count(3)
    assert all_of(all_of(a, b), c) == AllOf((a, b, c))
    assert (a & b) & c == a & (b & c)
    assert any_of(any_of(a, b), c) == AnyOf((a, b, c))
    assert all_of(a) == a
    assert any_of(a) == a
    assert not_(not_(a)) == a
    assert ~~a == a
    assert isinstance(~a, Not)


def test_combinators_keep_every_child_result() -> None:
    """A combinator's result holds each part's result, for the explanation."""
    result = run(
        count(1) & fact(Fact.CASE_CLOSED), app(A, rep("R1", D(2026, 2, 1)), facts={"case_closed": True})
    )
    assert [c.outcome for c in result.children] == [Outcome.MET, Outcome.MET]
    assert result.summary == "2 of 2 parts met"
    assert len(list(result.walk())) == 3


def test_operators_refuse_foreign_types() -> None:
    """& | with something that is not a predicate is a TypeError, not a silent value."""
    with pytest.raises(TypeError):
        _ = count(1) & 3
    with pytest.raises(TypeError):
        _ = "x" | count(1)


class Always:
    """A user's own predicate, extending the library through the Protocol."""

    def __call__(self, context: Context) -> Result:
        return Result(self, Outcome.MET, "always")

    def describe(self) -> str:
        return "always"


def test_user_predicates_combine_with_library_predicates() -> None:
    """A class that satisfies the Predicate protocol combines with & and | from either side."""
    mine = Always()
    assert isinstance(mine, Predicate)
    assert run(count(5) | mine, app(A)).outcome is Outcome.MET
    assert run(mine & count(5), app(A)).outcome is Outcome.NOT_MET


@pytest.mark.parametrize(
    ("predicate", "text"),
    [
        (count(3), "count(3)"),
        (count(5, unit=CountUnit.REPORTERS), "count(5, unit=CountUnit.REPORTERS)"),
        (fact(Fact.CASE_CLOSED, expected=False), "fact(Fact.CASE_CLOSED, expected=False)"),
        (recency(), "recency(Span(count=1, unit=<TimeUnit.MONTHS: 'months'>))"),
        (consent() & ~fact("case_closed"), "all_of(consent(), not_(fact(Fact.CASE_CLOSED)))"),
        (count(1) | count(2), "any_of(count(1), count(2))"),
    ],
    ids=["count", "count-unit", "fact", "recency", "all-not", "any"],
)
def test_repr_shows_how_to_build(predicate: Predicate, text: str) -> None:
    """A predicate's repr shows how to build it."""
    assert repr(predicate) == text


def test_rule_names_and_cites_its_predicate() -> None:
    """A rule's result sits above its predicate's and carries its id, label and source."""
    source = Source("Somewhere Council, 'ASB Case Review'", url="https://example.org/asb")
    named = rule("personal", count(1), label="you have reported once", source=source)
    result = run(named, app(A, rep("R1", D(2026, 2, 1))))
    assert isinstance(result.predicate, Rule)
    assert result.outcome is Outcome.MET
    assert result.children[0].predicate == count(1)
    assert named.describe() == "you have reported once"
    assert source.cite() == "Somewhere Council, 'ASB Case Review' <https://example.org/asb>"


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: count(0), InvalidInput, r"^at_least=0: must be a whole number of at least 1"),
        (lambda: count(-2), InvalidInput, r"^at_least=-2"),
        (lambda: count(True), InvalidInput, r"^at_least=True"),
        (
            lambda: count(3, unit="people"),
            InvalidInput,
            r"^unit='people': must be one of reports, complaints",
        ),
        (lambda: fact("sunny"), InvalidInput, r"^fact='sunny': must be one of victim_high_risk"),
        (all_of, InvalidInput, r"^parts=\(\): all_of needs at least one part"),
        (any_of, InvalidInput, r"^parts=\(\): any_of needs at least one part"),
        (lambda: all_of(count(1), 3), InvalidInput, r"^parts\[1\]=3: is not a predicate"),  # type: ignore[arg-type]
        (lambda: not_("x"), InvalidInput, r"^part='x': is not a predicate"),  # type: ignore[arg-type]
        (lambda: rule("", count(1), label="x"), InvalidInput, r"^id='': must be a non-empty string"),
        (lambda: rule("r", "count", label="x"), InvalidInput, r"^predicate='count'"),  # type: ignore[arg-type]
    ],
    ids=[
        "zero",
        "negative",
        "bool",
        "unit",
        "fact",
        "empty-all",
        "empty-any",
        "not-predicate",
        "not-of-str",
        "rule-id",
        "rule-predicate",
    ],
)
def test_bad_rules(build: object, error: type[Exception], message: str) -> None:
    """Malformed rules raise errors naming the field and the value."""
    with pytest.raises(error, match=message):
        build()  # type: ignore[operator]


def test_outcome_inversion_is_an_involution() -> None:
    """Inverting an outcome twice gives it back."""
    for outcome in Outcome:
        assert ~~outcome is outcome


def test_context_memoises_selections() -> None:
    """Two counts with one selection share one pass over the reports."""
    context = Context(app(A, rep("R1", D(2026, 2, 1))), A)
    assert context.selected(Selection()) is context.selected(Selection())


def test_all_combinations_of_three_facts_obey_de_morgan() -> None:
    """~(a & b) and ~a | ~b agree on every combination of three-valued inputs."""
    for left, right in itertools.product(TRUTH, repeat=2):
        a, b = TRUTH[left], TRUTH[right]
        assert run(not_(a & b), CLOSED).outcome is run(~a | ~b, CLOSED).outcome
        assert run(not_(a | b), CLOSED).outcome is run(all_of(~a, ~b), CLOSED).outcome


def test_a_foreign_predicate_keeps_its_place_on_either_side() -> None:
    """`mine | count(3)` and `mine & count(3)` list the user's predicate first, as written."""
    mine = Always()
    either = mine | count(3)
    both = mine & count(3)
    assert isinstance(either, AnyOf)
    assert isinstance(both, AllOf)
    assert either.parts == (mine, count(3))
    assert both.parts == (mine, count(3))
    assert (count(3) | mine).parts == (count(3), mine)
    assert (count(3) & mine).parts == (count(3), mine)


def test_unknown_households_decide_only_when_they_could_make_the_number() -> None:
    """One household known and one report with none: two households are possible, not certain."""
    application = app(A, rep("R1", D(2026, 1, 2), by="P1", household="H1"), rep("R2", D(2026, 1, 3), by="P2"))
    result = run(count(2, unit=CountUnit.HOUSEHOLDS), application)
    assert result.outcome is Outcome.UNKNOWN
    assert result.tally is not None
    assert (result.tally.count, result.tally.possible) == (1, 2)
    assert result.summary == (
        "1 of 2 households counted (2 if the reports with no household are from different households)"
    )
    # Every other unit counts the report with no household as it counts any other.
    assert run(count(2, unit=CountUnit.REPORTERS), application).outcome is Outcome.MET


def _run_selection(anchor: Anchor, arithmetic: Arithmetic) -> Selection:
    return Selection(lag=None, window=Window(months(6), anchor=anchor, arithmetic=arithmetic))


@pytest.mark.parametrize("anchor", [Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT], ids=["report", "incident"])
def test_a_run_is_counted_with_its_windows_arithmetic(anchor: Anchor) -> None:
    """Six months beginning with 10 September 2025 end on 9 March 2026; inclusively, on 10 March.

    Reports made on 11 September and 11 March about behaviour the day before, applied for on
    12 March: whether the run begins with the first report or the first incident, statutory, no
    run holds both; inclusive, one does.
    """
    application = app(
        D(2026, 3, 12), rep("R1", D(2025, 9, 11), D(2025, 9, 10)), rep("R2", D(2026, 3, 11), D(2026, 3, 10))
    )
    two = count(2, unit=CountUnit.REPORTS, selection=_run_selection(anchor, Arithmetic.STATUTORY))
    assert run(two, application).outcome is Outcome.NOT_MET
    inclusive = count(2, unit=CountUnit.REPORTS, selection=_run_selection(anchor, Arithmetic.INCLUSIVE))
    assert run(inclusive, application).outcome is Outcome.MET


@pytest.mark.parametrize("anchor", [Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT], ids=["report", "incident"])
def test_the_application_bound_of_a_run_uses_its_windows_arithmetic(anchor: Anchor) -> None:
    """The last report of the run was made on 2 January 2026: six months beginning with it end on
    1 July, so an application on 2 July is too late; inclusively, it is in time."""
    application = app(D(2026, 7, 2), rep("R1", D(2026, 1, 1)), rep("R2", D(2026, 1, 2)))
    two = count(2, unit=CountUnit.REPORTS, selection=_run_selection(anchor, Arithmetic.STATUTORY))
    assert run(two, application).outcome is Outcome.NOT_MET
    assert run(two, app(D(2026, 7, 1), *application.reports)).outcome is Outcome.MET
    inclusive = count(2, unit=CountUnit.REPORTS, selection=_run_selection(anchor, Arithmetic.INCLUSIVE))
    assert run(inclusive, application).outcome is Outcome.MET


def _latest_incident(lag: Lag) -> Selection:
    return Selection(lag=lag, window=Window(months(6), anchor=Anchor.LATEST_INCIDENT))


@pytest.mark.parametrize(
    ("lag", "deadline"),
    [(Lag(applies_to=LagScope.FIRST), D(2026, 12, 29)), (Lag(), D(2026, 7, 29))],
    ids=["lag-on-the-first-report-only", "lag-on-every-report"],
)
def test_latest_incident_near_miss_is_bounded_by_the_lag_only_where_it_binds(
    lag: Lag, deadline: dt.date
) -> None:
    """Incidents on 1 January and 1 February 2026 (each reported the next day), one more needed.

    A third incident as late as 30 June keeps 1 January inside the six months ending with it, and the
    application may then be made up to 29 December.  Where every report must be made within a month of
    its behaviour, a report about 30 June must be made by 29 July; where only the first report is held
    to the lag, the third is not, and 29 December is the last day.
    """
    first = (rep("R1", D(2026, 1, 2), D(2026, 1, 1)), rep("R2", D(2026, 2, 2), D(2026, 2, 1)))
    three = count(3, selection=_latest_incident(lag))
    result = run(three, app(A, *first))
    assert result.outcome is Outcome.NOT_MET
    assert result.tally is not None
    assert result.tally.deadline == deadline
    # The deadline is real: a report about 30 June made on it meets the count, a day later does not.
    on_time = rep("R3", deadline, D(2026, 6, 30))
    assert run(three, app(deadline, *first, on_time)).outcome is Outcome.MET
    day_after = deadline + dt.timedelta(days=1)
    assert run(three, app(day_after, *first, rep("R3", day_after, D(2026, 6, 30)))).outcome is Outcome.NOT_MET


def test_a_duplicate_keeps_the_days_it_is_inside_the_window() -> None:
    """R2 repeats R1's complaint; it is still inside the six months beginning 3 January 2026."""
    result = run(count(1, unit=CountUnit.INCIDENTS), DUPLICATES)
    assert result.tally is not None
    fates = {f.report: f for f in result.tally.fates}
    assert fates["R2"].reason is Reason.DUPLICATE
    assert fates["R2"].window == Period(D(2026, 1, 3), D(2026, 7, 2))


def test_latest_incident_near_miss_under_the_inclusive_reading() -> None:
    """Inclusively, six months beginning with 1 January 2026 reach 1 July, and six beginning with
    1 July reach 1 January 2027: a further incident on 1 July keeps 1 January, and the application
    may be made up to 1 January 2027 (the lag binds only the first report)."""
    window = Window(months(6), anchor=Anchor.LATEST_INCIDENT, arithmetic=Arithmetic.INCLUSIVE)
    three = count(3, selection=Selection(lag=Lag(applies_to=LagScope.FIRST), window=window))
    first = (rep("R1", D(2026, 1, 2), D(2026, 1, 1)), rep("R2", D(2026, 2, 2), D(2026, 2, 1)))
    result = run(three, app(A, *first))
    assert result.tally is not None
    assert result.tally.deadline == D(2027, 1, 1)
    assert run(three, app(D(2027, 1, 1), *first, rep("R3", D(2027, 1, 1), D(2026, 7, 1)))).met


def test_an_inclusive_window_is_met_until_its_own_last_day() -> None:
    """One report on 1 January 2026 in the six months before the application, read inclusively,
    stays inside until 1 July 2026 (the date six months on), not 30 June."""
    window = Window(months(6), anchor=Anchor.APPLICATION, arithmetic=Arithmetic.INCLUSIVE)
    one = count(1, selection=Selection(window=window))
    application = app(D(2026, 2, 1), rep("R1", D(2026, 1, 1)))
    assert run(one, application).valid_until == D(2026, 7, 1)
    assert run(one, application, D(2026, 7, 1)).met
    assert not run(one, application, D(2026, 7, 2)).met


def test_each_result_names_its_predicate_and_keeps_its_parts() -> None:
    """A result says which predicate it is for, how many parts were met, and holds each part's result."""
    mine = consent()
    for application in (app(A), app(A, on_behalf_of="V", consent=False)):
        assert run(mine, application).predicate is mine
    either = any_of(fact(Fact.CASE_CLOSED), count(1))
    result = run(either, app(A, facts={"case_closed": True}))
    assert result.summary == "1 of 2 parts met"
    assert [c.predicate for c in result.children] == [fact(Fact.CASE_CLOSED), count(1)]
    negated = run(not_(count(1)), app(A))
    assert negated.summary == "the part is not_met"
    assert [c.predicate for c in negated.children] == [count(1)]
    named = rule("r", count(1), label="one report")
    assert run(named, app(A)).summary == "0 of 1 complaint counted"


def test_a_citation_shows_a_web_address_only_when_there_is_one() -> None:
    """A source without a URL cites its title and section alone."""
    assert Source("An Act", section="s.1").cite() == "An Act, s.1"
    assert Source("An Act", url="https://example.org").cite() == "An Act <https://example.org>"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: count(10_001), r"^at_least=10001: must be at most 10,000$"),
        (lambda: fact("case_closed", expected="no"), r"^expected='no': must be True or False$"),  # type: ignore[arg-type]
        (lambda: Rule("", count(1), label="l"), r"^id='': must be a non-empty string$"),
        (lambda: AllOf("ab"), r"^parts='ab': must be a collection of predicates$"),  # type: ignore[arg-type]
        (lambda: Count(1, selection=3), r"^selection=3: must be a Selection \(or None for the statute's\)$"),  # type: ignore[arg-type]
        (lambda: Rule("r", count(1), label="l", source="s"), r"^source='s': must be a Source or None$"),  # type: ignore[arg-type]
        (lambda: Recency(3), r"^within=3: must be a Span, such as months\(1\) or days\(30\)$"),  # type: ignore[arg-type]
    ],
    ids=["at-least", "expected", "id", "parts", "selection", "source", "within"],
)
def test_a_bad_rule_is_refused_naming_the_field_and_the_value(build: object, message: str) -> None:
    """Each refusal names the field, shows the value, and says what was wanted."""
    assert callable(build)
    with pytest.raises(InvalidInput, match=message):
        build()


def test_the_largest_count_and_the_deepest_rules_are_allowed() -> None:
    """Ten thousand is the largest number a count may ask for; rules may nest 32 deep, not 33."""
    assert count(10_000).at_least == 10_000
    tree: Predicate = fact("case_closed")
    for depth in range(2, 33):
        kind = all_of if depth % 2 else any_of
        tree = kind(tree, fact("victim_high_risk"))
    with pytest.raises(InvalidInput, match="rules may nest at most 32 deep"):
        any_of(tree, fact("case_closed")) if isinstance(tree, AllOf) else all_of(tree, fact("case_closed"))
    # A citation's section and address are free text, over several lines if need be.
    assert Source("An Act", section="Part 6\nChapter 1").cite() == "An Act, Part 6\nChapter 1"


def test_results_and_fates_say_why_in_words() -> None:
    """Summaries and details name the unit, the fact and the reason in plain words."""
    assert (
        count(1, unit=CountUnit.INCIDENT_DATES).describe().startswith("at least 1 incident date (by anyone")
    )
    dates = run(count(3, unit=CountUnit.INCIDENT_DATES), DUPLICATES)
    assert dates.summary == "2 of 3 incident dates counted"
    assert run(fact(Fact.CASE_CLOSED), app(A, facts={"case_closed": True})).summary == "case_closed is true"
    assert recency().describe() == "the latest report within 1 calendar month before the application"
    unrecorded = run(consent(), app(A, on_behalf_of="V"))
    assert (unrecorded.outcome, unrecorded.summary) == (
        Outcome.UNKNOWN,
        "the victim's consent was not recorded",
    )
    incidents = run(count(1, unit=CountUnit.INCIDENTS), DUPLICATES)
    assert incidents.tally is not None
    (duplicate,) = [f for f in incidents.tally.fates if f.report == "R2"]
    assert duplicate.detail == "the same incident is already counted"
    households = app(A, rep("R1", D(2026, 1, 2), household="H1"), rep("R2", D(2026, 1, 3), by="P2"))
    tally = run(count(2, unit=CountUnit.HOUSEHOLDS), households).tally
    assert tally is not None
    assert tally.fates[1].detail == "no household recorded; it may or may not be a different household"


def test_a_run_says_until_when_the_application_is_in_time() -> None:
    """In a run, a counted report says the last day for the application; past it, why it no longer counts."""
    reports = (rep("R1", D(2026, 1, 1)), rep("R2", D(2026, 1, 2)))
    bounded = count(
        2, unit=CountUnit.REPORTS, selection=_run_selection(Anchor.FIRST_REPORT, Arithmetic.STATUTORY)
    )
    tally = run(bounded, app(D(2026, 2, 1), *reports)).tally
    assert tally is not None
    assert tally.fates[0].detail == (
        "in the run beginning with 2026-01-01; the application is in time until 2026-07-01"
    )
    late = run(bounded, app(D(2026, 7, 2), *reports)).tally
    assert late is not None
    assert late.fates[1].detail == (
        "the application on 2026-07-02 is more than 6 calendar months after the last report of the run "
        "(2026-01-02)"
    )
    window = Window(months(6), anchor=Anchor.FIRST_REPORT, application_within=None)
    free = run(
        count(2, unit=CountUnit.REPORTS, selection=Selection(lag=None, window=window)), app(A, *reports)
    )
    assert free.tally is not None
    assert (
        free.tally.fates[0].detail
        == "in the run beginning with 2026-01-01; the application is in time until no bound"
    )


FIRST_ONLY = Lag(months(1), applies_to=LagScope.FIRST)


def test_a_run_begins_only_at_a_report_made_in_time() -> None:
    """A late report cannot begin a run: with it, the month beginning 10 January would hold two reports.

    A late report after the run's first counts, however late (the lag binds the first report counted).
    """
    two = count(
        2,
        unit=CountUnit.REPORTS,
        selection=Selection(lag=FIRST_ONLY, window=Window(months(1), anchor=Anchor.FIRST_REPORT)),
    )
    late = rep("R1", D(2026, 1, 10), D(2025, 11, 1))
    prompt = rep("R2", D(2026, 1, 20), D(2026, 1, 19))
    result = run(two, app(D(2026, 1, 25), late, prompt))
    assert result.outcome is Outcome.NOT_MET
    assert result.tally is not None
    assert (result.tally.count, result.tally.closed, result.tally.new_needed) == (1, None, 1)
    later_late = rep("R3", D(2026, 1, 24), D(2025, 12, 1))
    result = run(two, app(D(2026, 1, 25), late, prompt, later_late))
    assert result.met
    assert result.tally is not None
    assert result.tally.counted() == ("R2", "R3")


def test_a_period_tied_to_the_application_begins_with_the_first_report_made_in_time() -> None:
    """The six months begin on 1 February (the first report in time), not 10 January (a late one):
    an application on 20 July is inside them, and the late report is told it would have been the first."""
    window = Window(months(6), anchor=Anchor.FIRST_REPORT_AND_APPLICATION)
    two = count(2, unit=CountUnit.REPORTS, selection=Selection(lag=FIRST_ONLY, window=window))
    reports = (
        rep("R1", D(2025, 1, 10), D(2024, 11, 1)),
        rep("R2", D(2025, 2, 1), D(2025, 1, 31)),
        rep("R3", D(2025, 3, 1), D(2024, 12, 1)),
    )
    result = run(two, app(D(2025, 7, 20), *reports))
    assert result.met
    assert result.tally is not None
    assert result.tally.window == Period(D(2025, 2, 1), D(2025, 7, 31))
    fates = {f.report: f for f in result.tally.fates}
    assert (fates["R1"].reason, fates["R1"].because) == (Reason.LATE_REPORT, "first_report_late")
    assert run(two, app(D(2025, 8, 1), *reports)).outcome is Outcome.NOT_MET


def test_a_late_report_counts_only_while_a_report_in_time_before_it_is_inside() -> None:
    """In the six months before the application, R2 (late) counts after R1 (in time) until R1 leaves
    the window on 9 July 2025: then R2 would be the first counted, and the count is not met."""
    window = Window(months(6), anchor=Anchor.APPLICATION)
    two = count(2, unit=CountUnit.REPORTS, selection=Selection(lag=FIRST_ONLY, window=window))
    reports = (rep("R1", D(2025, 1, 10), D(2025, 1, 9)), rep("R2", D(2025, 3, 1), D(2024, 12, 1)))
    result = run(two, app(D(2025, 4, 1), *reports))
    assert result.met
    assert result.valid_until == D(2025, 7, 9)
    assert run(two, app(D(2025, 7, 9), *reports)).met
    assert run(two, app(D(2025, 7, 10), *reports)).outcome is Outcome.NOT_MET


def test_a_late_report_made_on_the_day_of_the_first_in_time_follows_it_whatever_the_ids() -> None:
    """R1 (late) and R2 (in time) are made on 10 January: a day's reports have no order but their
    ids, so the in-time one is read as the first (law.reports.lag_order) and the late one counts
    after it, whichever id sorts first; a late report made the day before them does not."""
    two = count(
        2,
        unit=CountUnit.REPORTS,
        selection=Selection(lag=FIRST_ONLY, window=Window(months(1), anchor=Anchor.FIRST_REPORT)),
    )
    for late_id, timely_id in (("R1", "R2"), ("R2", "R1")):
        reports = (
            rep(late_id, D(2026, 1, 10), D(2025, 11, 1)),
            rep(timely_id, D(2026, 1, 10), D(2026, 1, 9)),
        )
        result = run(two, app(D(2026, 1, 20), *reports))
        assert result.met, late_id
        assert result.tally is not None
        assert sorted(result.tally.counted()) == ["R1", "R2"]
    reports = (rep("R0", D(2026, 1, 9), D(2025, 11, 1)), rep("R2", D(2026, 1, 10), D(2026, 1, 9)))
    result = run(two, app(D(2026, 1, 20), *reports))
    assert result.outcome is Outcome.NOT_MET
    assert result.tally is not None
    assert result.tally.counted() == ("R2",)  # a run begins only at a report made in time


def test_when_every_report_is_late_no_run_begins_and_a_new_one_can() -> None:
    """Only late reports: no run, none counted, each told it would have been the first; the count
    needs every unit afresh, and that many new reports made in time meet it."""
    two = count(
        2,
        unit=CountUnit.REPORTS,
        selection=Selection(lag=FIRST_ONLY, window=Window(months(1), anchor=Anchor.FIRST_INCIDENT)),
    )
    late = (rep("R1", D(2026, 1, 10), D(2025, 11, 1)), rep("R2", D(2026, 1, 12), D(2025, 11, 2)))
    result = run(two, app(D(2026, 1, 20), *late))
    assert result.outcome is Outcome.NOT_MET
    assert result.tally is not None
    assert (result.tally.count, result.tally.deadline, result.tally.closed, result.tally.new_needed) == (
        0,
        None,
        None,
        2,
    )
    assert {f.because for f in result.tally.fates} == {"first_report_late"}
    fresh = (rep("R3", D(2026, 1, 19), D(2026, 1, 18)), rep("R4", D(2026, 1, 20), D(2026, 1, 19)))
    assert run(two, app(D(2026, 1, 20), *late, *fresh)).met


def test_a_recency_gate_whose_latest_report_is_late_says_so_truly() -> None:
    """The latest report, inside the month, is late and alone: it cannot be the first counted, and the
    summary says so rather than that it came before the month."""
    gate = recency(months(1), selection=Selection(lag=FIRST_ONLY))
    late = rep("R1", D(2026, 1, 10), D(2025, 11, 1))
    result = run(gate, app(D(2026, 1, 20), late))
    assert result.outcome is Outcome.NOT_MET
    assert result.summary == (
        "the latest was on 2026-01-10; none since 2025-12-21 was made in time to be the first counted"
    )
    assert run(gate, app(D(2026, 1, 20), late, rep("R2", D(2026, 1, 15), D(2026, 1, 14)))).met
