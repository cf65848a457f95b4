"""Decision test cases written as data, and the runner that checks a policy against them.

A policy officer writes, for their own policy, the applications they expect to
meet the threshold and those they expect not to, in a TOML (or JSON) file::

    policy = "my-council.toml"           # a policy file beside this one, or a built-in id

    [[cases]]
    id = "three-in-six-months"
    rule = "personal"                    # the rule the case is about
    expect = "met"                       # the decision: met, not_met or unknown
    applied_on = 2026-02-28
    reports = [
      { on = 2025-08-29 },               # by the victim, about behaviour that day
      { on = 2025-11-15, behaviour_on = 2025-11-01 },
      { on = 2026-02-02, hate = true },
    ]

:func:`load_cases` reads such a file; :func:`run_cases` evaluates every case
under the version of the policy in force on its date and says which
expectations failed, and which rules of the policy the cases exercised (saw
both met and not met).  The command ``asb-case-review test CASES_FILE`` and
the catalogue's own tests run the same code.

A case's keys:

``id`` (required), ``description``; ``expect`` (required): the decision's
outcome after the statutory floor; ``policy_expect``: what the policy as
written says; ``rule`` and ``rule_expect`` (default: ``expect``): the outcome
of one rule by id; ``route``: ``mandatory``, ``discretionary`` or
``statutory_floor``; ``version``: the policy version expected to decide;
``enforce_floor`` (default true).

The application: ``applied_on`` (required), ``as_of``, ``applicant`` (default
``"V"``), ``on_behalf_of``, ``consent``, ``facts`` (a table of fact names to
true or false), ``reports``; or ``application``, a table in the format of
:mod:`asb_case_review.parsing`.  A report row: ``on`` (required, the day it
was made), ``by`` (default: the victim), ``behaviour_on`` (default: ``on``),
``behaviour_until``, ``incident`` (an id shared by reports of one incident;
default: a new incident per report), ``hate``, ``agency`` (default
``council``), ``kind`` (default ``complaint``), ``household``, ``matter``
(default: the application's), ``id`` (default ``R1``, ``R2``, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from ._limits import text_problem
from ._readers import FileReader as _FileReader
from .decision import Decision, Route, evaluate
from .errors import CaseReviewError, InvalidPolicyFile
from .models import Application, Incident, Report
from .parsing import application_from_mapping
from .policy import Area, Policy
from .policyfile import Format, parse
from .rules import Outcome, Result, Rule

__all__ = [
    "Case",
    "CaseResult",
    "CaseRun",
    "Cases",
    "RuleCoverage",
    "load_cases",
    "run_case",
    "run_cases",
]

_MATTER: Final = "M"
_CASE_KEYS: Final = (
    "id",
    "description",
    "expect",
    "policy_expect",
    "rule",
    "rule_expect",
    "route",
    "version",
    "enforce_floor",
    "applied_on",
    "as_of",
    "applicant",
    "on_behalf_of",
    "consent",
    "facts",
    "reports",
    "application",
)
_ROW_KEYS: Final = (
    "id",
    "on",
    "by",
    "behaviour_on",
    "behaviour_until",
    "incident",
    "hate",
    "agency",
    "kind",
    "household",
    "matter",
)


@attrs.frozen
class Case:
    """One application with the decision a policy officer expects for it."""

    id: str
    application: Application
    expect: Outcome
    rule: str | None = None
    rule_expect: Outcome | None = None
    policy_expect: Outcome | None = None
    route: Route | None = None
    version: str | None = None
    as_of: dt.date | None = None
    enforce_floor: bool = True
    description: str = ""


@attrs.frozen
class Cases:
    """The cases of one file, and the policy they were written for (as the file names it)."""

    policy: str
    cases: tuple[Case, ...]
    file: str = "<cases>"


@attrs.frozen
class CaseResult:
    """A case, the decision it got, and every expectation it failed (none when it passed)."""

    case: Case
    decision: Decision
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether every expectation of the case held."""
        return not self.failures


@attrs.frozen
class RuleCoverage:
    """How the cases exercised one rule of the policy."""

    rule: str
    path: str
    named: int
    """How many cases name this rule."""
    met: int
    not_met: int
    unknown: int

    @property
    def exercised(self) -> bool:
        """Whether some case met the rule and some case did not."""
        return self.met > 0 and self.not_met > 0


@attrs.frozen
class CaseRun:
    """The results of running a file of cases against a policy."""

    results: tuple[CaseResult, ...]
    coverage: tuple[RuleCoverage, ...]

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return all(r.passed for r in self.results)

    def summary(self) -> str:
        """The run in words: each case, each failure, and the rules exercised."""
        lines = []
        for result in self.results:
            mark = "PASS" if result.passed else "FAIL"
            lines.append(f"{mark} {result.case.id} ({result.decision.policy_name})")
            lines.extend(f"     {failure}" for failure in result.failures)
        failed = sum(not r.passed for r in self.results)
        lines.append(f"{len(self.results) - failed} passed, {failed} failed")
        lines.append("rules exercised (cases naming it; met / not met / unknown across all cases):")
        for item in self.coverage:
            state = "exercised" if item.exercised else "NOT exercised both ways"
            lines.append(
                f"  {item.path} {item.rule}: {item.named} named; "
                f"{item.met} / {item.not_met} / {item.unknown}; {state}"
            )
        return "\n".join(lines)


class _Reader(_FileReader):
    """Reads a cases file with the policy reader's checks, errors and suggestions."""

    def outcome(self, value: object, path: str) -> Outcome:
        return self.choice(Outcome, value, path)

    def case(self, value: object, path: str) -> Case:
        data = self.table(value, path, _CASE_KEYS, "a test case")
        ident = data.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise self.fail(f"{path}.id", ident, "must be a non-empty string")
        if "expect" not in data:
            raise self.fail(f"{path}.expect", None, "is required: met, not_met or unknown")
        expect = self.outcome(data["expect"], f"{path}.expect")
        rule = data.get("rule")
        if rule is not None and (not isinstance(rule, str) or not rule.strip()):
            raise self.fail(f"{path}.rule", rule, "must be a rule id")
        rule_expect = None
        if rule is not None:
            rule_expect = self.outcome(data.get("rule_expect", expect.value), f"{path}.rule_expect")
        elif "rule_expect" in data:
            raise self.fail(f"{path}.rule_expect", data["rule_expect"], "needs a rule to apply to")
        return Case(
            ident,
            self.application(data, path, ident),
            expect,
            rule=rule,
            rule_expect=rule_expect,
            policy_expect=None
            if "policy_expect" not in data
            else self.outcome(data["policy_expect"], f"{path}.policy_expect"),
            route=None if "route" not in data else self.choice(Route, data["route"], f"{path}.route"),
            version=None if "version" not in data else self.text(data["version"], f"{path}.version"),
            as_of=None if "as_of" not in data else self.day(data["as_of"], f"{path}.as_of"),
            enforce_floor=self.flag(data.get("enforce_floor", True), f"{path}.enforce_floor"),
            description=str(data.get("description", "")),
        )

    def application(self, data: Mapping[str, Any], path: str, ident: str) -> Application:
        if "application" in data:
            clash = [
                k
                for k in ("applied_on", "applicant", "on_behalf_of", "consent", "facts", "reports")
                if k in data
            ]
            if clash:
                raise self.fail(
                    f"{path}.{clash[0]}", data[clash[0]], "give the application table or these keys, not both"
                )
            try:
                return application_from_mapping(_plain(data["application"]))
            except CaseReviewError as error:
                raise self.fail(f"{path}.application", None, str(error)) from None
        if "applied_on" not in data:
            raise self.fail(f"{path}.applied_on", None, "is required: the day the application was made")
        made_on = self.day(data["applied_on"], f"{path}.applied_on")
        rows = data.get("reports", [])
        if not isinstance(rows, list):
            raise self.fail(f"{path}.reports", rows, "must be a list of report rows")
        applicant = data.get("applicant", "V")
        victim = data.get("on_behalf_of") or applicant
        incidents: dict[str, Incident] = {}
        reports = [
            self.report(row, f"{path}.reports[{index}]", index, str(victim), incidents)
            for index, row in enumerate(rows)
        ]
        try:
            return Application(
                ident,
                applicant=applicant,
                made_on=made_on,
                matter=_MATTER,
                reports=reports,
                on_behalf_of=data.get("on_behalf_of"),
                consent=data.get("consent"),
                facts=data.get("facts", {}),
            )
        except CaseReviewError as error:
            raise self.fail(path, None, str(error)) from None

    def report(
        self, value: object, path: str, index: int, victim: str, incidents: dict[str, Incident]
    ) -> Report:
        row = self.table(value, path, _ROW_KEYS, "a report row")
        if "on" not in row:
            raise self.fail(f"{path}.on", None, "is required: the day the report was made")
        made_on = self.day(row["on"], f"{path}.on")
        incident_id = row.get("incident", f"I{index + 1}")
        try:
            shared = incidents.get(str(incident_id))
            gives_details = any(k in row for k in ("behaviour_on", "behaviour_until", "hate", "matter"))
            if shared is not None and not gives_details:
                incident = shared
            else:
                began = self.day(row.get("behaviour_on", made_on), f"{path}.behaviour_on")
                ended = row.get("behaviour_until")
                incident = Incident(
                    incident_id,
                    matter=row.get("matter", _MATTER),
                    began_on=began,
                    ended_on=None if ended is None else self.day(ended, f"{path}.behaviour_until"),
                    hate=row.get("hate", False),
                )
                incidents.setdefault(incident.id, incident)
            return Report(
                row.get("id", f"R{index + 1}"),
                reporter=row.get("by", victim),
                made_on=made_on,
                incident=incident,
                agency=row.get("agency", "council"),
                kind=row.get("kind", "complaint"),
                household=row.get("household"),
            )
        except InvalidPolicyFile:
            raise
        except CaseReviewError as error:
            raise self.fail(path, None, str(error)) from None


def _plain(value: Any) -> Any:
    # TOML gives dates as date objects; the application format reads them as text.
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_cases(text: str, *, format: Format = "toml", file: str = "<cases>") -> Cases:  # noqa: A002
    """The test cases written in *text*, with errors naming the file and the case.

    ```pycon
    >>> cases = load_cases('''
    ... policy = "statutory"
    ... [[cases]]
    ... id = "three"
    ... expect = "met"
    ... applied_on = 2026-02-28
    ... reports = [{ on = 2025-09-01 }, { on = 2025-10-01, by = "N" }, { on = 2026-01-05 }]
    ... ''')
    >>> [r.reporter for r in cases.cases[0].application.reports]
    ['V', 'N', 'V']

    ```
    """
    data = parse(text, format=format, file=file)
    reader = _Reader(file)
    top = reader.table(data, "", ("policy", "cases"), "a cases file")
    policy = top.get("policy")
    if not isinstance(policy, str) or not policy.strip():
        raise reader.fail("policy", policy, "is required: a built-in policy id or a policy file name")
    raw = top.get("cases")
    if not isinstance(raw, list) or not raw:
        raise reader.fail("cases", raw, "must be a non-empty list of [[cases]] tables")
    cases = tuple(reader.case(item, f"cases[{index}]") for index, item in enumerate(raw))
    seen: set[str] = set()
    for index, case in enumerate(cases):
        if case.id in seen:
            raise reader.fail(f"cases[{index}].id", case.id, "is used by another case")
        seen.add(case.id)
    _check_policy_name(reader, policy)
    return Cases(policy, cases, file)


def _check_policy_name(reader: _Reader, name: str) -> None:
    """Refuse a policy name that reaches outside the cases file's own directory.

    A cases file is often shared; it may name a built-in policy or a policy
    file beside it, and nothing else: no directory, no ``..``, no absolute
    path, so that running someone's cases file never reads another file.
    """
    problem = text_problem(name)
    if problem is not None:
        raise reader.fail("policy", name, problem)
    if any(mark in name for mark in ("/", "\\", ":")) or name in (".", "..") or name.startswith("~"):
        raise reader.fail(
            "policy",
            name,
            "must be a built-in policy id or the bare name of a policy file beside the cases file "
            "(no directory, no '..', no absolute path)",
        )


def _find(decision: Decision, rule_id: str) -> Result | None:
    results = [result for _, _, result in decision.rule_results()]
    results.append(decision.floor)
    for result in results:
        for node in result.walk():
            if isinstance(node.predicate, Rule) and node.predicate.id == rule_id:
                return node
    return None


def run_case(case: Case, policy: Policy | Area) -> CaseResult:
    """Evaluate *case* under *policy* (the version in force on its date) and check its expectations.

    >>> from asb_case_review.catalogue import AREAS
    >>> cases = load_cases('''
    ... policy = "statutory"
    ... [[cases]]
    ... id = "two-is-not-enough"
    ... expect = "met"
    ... applied_on = 2026-02-28
    ... reports = [{ on = 2025-09-01 }, { on = 2026-01-05 }]
    ... ''')
    >>> run_case(cases.cases[0], AREAS["statutory"]).failures
    ('expected met, got not_met',)
    """
    day = case.as_of or case.application.made_on
    version = policy.version_on(day) if isinstance(policy, Area) else policy
    decision = evaluate(case.application, version, as_of=case.as_of, enforce_floor=case.enforce_floor)
    failures: list[str] = []
    if decision.outcome is not case.expect:
        failures.append(f"expected {case.expect.value}, got {decision.outcome.value}")
    if case.policy_expect is not None and decision.policy_outcome is not case.policy_expect:
        failures.append(
            f"expected the policy as written to say {case.policy_expect.value}, "
            f"got {decision.policy_outcome.value}"
        )
    if case.rule is not None:
        found = _find(decision, case.rule)
        if found is None:
            failures.append(f"rule {case.rule!r} is not a rule of {decision.policy_name}")
        elif found.outcome is not case.rule_expect:
            assert case.rule_expect is not None  # set whenever rule is
            got = f"{found.outcome.value} ({found.summary})"
            failures.append(f"expected rule {case.rule!r} {case.rule_expect.value}, got {got}")
    if case.route is not None and decision.route is not case.route:
        got = "no route" if decision.route is None else decision.route.value
        failures.append(f"expected route {case.route.value}, got {got}")
    if case.version is not None and decision.policy.version != case.version:
        failures.append(f"expected version {case.version!r} to decide, got {decision.policy.version!r}")
    return CaseResult(case, decision, tuple(failures))


def _coverage(results: Iterable[CaseResult], cases: Iterable[Case]) -> tuple[RuleCoverage, ...]:
    tallies: dict[str, dict[str, Any]] = {}
    for result in results:
        for path, rule, outcome in _top_rules(result.decision):
            entry = tallies.setdefault(
                rule, {"path": path, Outcome.MET: 0, Outcome.NOT_MET: 0, Outcome.UNKNOWN: 0}
            )
            entry[outcome] += 1
    named: dict[str, int] = {}
    for case in cases:
        if case.rule is not None:
            named[case.rule] = named.get(case.rule, 0) + 1
    return tuple(
        RuleCoverage(
            rule,
            entry["path"],
            named.get(rule, 0),
            entry[Outcome.MET],
            entry[Outcome.NOT_MET],
            entry[Outcome.UNKNOWN],
        )
        for rule, entry in tallies.items()
    )


def _top_rules(decision: Decision) -> Iterable[tuple[str, str, Outcome]]:
    for path, rule, result in decision.rule_results():
        yield path, rule.id, result.outcome


def run_cases(cases: Cases | Iterable[Case], policy: Policy | Area) -> CaseRun:
    """Run every case against *policy* and report which rules the cases exercised.

    >>> from asb_case_review.catalogue import AREAS
    >>> from asb_case_review.catalogue import catalogue_text
    >>> run = run_cases(load_cases(catalogue_text("merseyside.cases.toml")), AREAS["merseyside"])
    >>> run.passed, all(c.exercised for c in run.coverage)
    (True, True)
    """
    items = cases.cases if isinstance(cases, Cases) else tuple(cases)
    results = tuple(run_case(case, policy) for case in items)
    return CaseRun(results, _coverage(results, items))
