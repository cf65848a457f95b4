"""HTML tables of decisions, policies and rule results, for Jupyter notebooks.

:class:`~asb_case_review.decision.Decision`, :class:`~asb_case_review.policy.Policy`
and :class:`~asb_case_review.rules.Result` each have a ``_repr_html_`` method
that imports this module when a notebook first shows one, so the core never
pays for it.  The HTML is for officers and analysts: it shows report and
reporter ids.  Every value is escaped; the markup uses inline styles only, so
it renders the same in Jupyter, VS Code and exported HTML.

For screen readers every table has a caption saying what it lists, every header
cell a ``scope`` (``col`` above a column, ``row`` beside a row), and the outermost
element says its language (``lang="en-GB"``), since a notebook page may not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from .qualifying import Reason
from .rules import Outcome, Result, Rule

if TYPE_CHECKING:
    from .decision import Decision
    from .policy import Policy

__all__ = ["decision_html", "policy_html", "result_html", "table"]

_COLOUR = {Outcome.MET: "#1b7837", Outcome.NOT_MET: "#b2182b", Outcome.UNKNOWN: "#b35806"}
_TABLE = "border-collapse:collapse;margin:0.3em 0 0.8em 0;font-size:0.9em"
_CELL = "border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top"
_CAPTION = "caption-side:top;text-align:left;font-weight:bold;padding:0.2em 0"
_LANG = "en-GB"


def _badge(outcome: Outcome) -> str:
    words = outcome.value.replace("_", " ").upper()
    return (
        f'<span style="background:{_COLOUR[outcome]};color:white;padding:1px 6px;'
        f'border-radius:3px;font-weight:bold">{words}</span>'
    )


def _open(caption: str, *, lang: bool) -> str:
    """The start of a table with its caption (escaped here); *lang* for a table that stands alone."""
    language = f' lang="{_LANG}"' if lang else ""
    return f'<table{language} style="{_TABLE}"><caption style="{_CAPTION}">{escape(caption)}</caption>'


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str, lang: bool = False) -> str:
    """A table; *head* and *caption* are escaped here, cells must already be HTML."""
    header = "".join(f'<th scope="col" style="{_CELL};background:#f3f3f3">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in row) + "</tr>" for row in rows
    )
    return f"{_open(caption, lang=lang)}<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _text(value: object) -> str:
    return "" if value is None else escape(str(value))


def table(head: Sequence[str], rows: Iterable[Sequence[object]], *, caption: str) -> str:
    """A plain HTML table in this module's style, with its *caption*; every cell is escaped.

    ``None`` is blank.  For other views that want to look the same in a
    notebook, such as comparisons of many decisions.

    >>> table(["policy", "met"], [["a<b", 3], ["c", None]], caption="Met")  # doctest: +ELLIPSIS
    '<table lang="en-GB" ...>Met</caption>...<th scope="col" ...>policy</th>...<td ...>a&lt;b</td>...'
    """
    return _table(head, ([_text(cell) for cell in row] for row in rows), caption=caption, lang=True)


def _facts(pairs: Iterable[tuple[str, str]], *, caption: str) -> str:
    """A two-column table of names (row headers) and already-escaped values."""
    rows = "".join(
        f'<tr><th scope="row" style="{_CELL};background:#f3f3f3">{escape(k)}</th>'
        f'<td style="{_CELL}">{v}</td></tr>'
        for k, v in pairs
    )
    return f"{_open(caption, lang=False)}<tbody>{rows}</tbody></table>"


def _rule_rows(result: Result, depth: int = 0) -> Iterable[list[str]]:
    predicate = result.predicate
    pad = "&nbsp;" * 4 * depth
    name = f"<b>[{escape(predicate.id)}]</b> " if isinstance(predicate, Rule) else ""
    source = _text(predicate.source.cite()) if isinstance(predicate, Rule) and predicate.source else ""
    window = ""
    if result.tally is not None and result.tally.window is not None:
        window = _text(result.tally.window)
    yield [
        f"{pad}{name}{_text(predicate.describe())}",
        _badge(result.outcome),
        _text(result.summary),
        window,
        _text(result.valid_until),
        source,
    ]
    for child in result.children:
        yield from _rule_rows(child, depth + 1)


_RESULT_HEAD = ("rule or part", "outcome", "summary", "window", "same until", "source")


def result_html(result: Result) -> str:
    """A rule result as a table, one row per node of its tree.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> html = result_html(evaluate(example_application(), STATUTORY).mandatory)
    >>> html.startswith("<table") and "3 of 3 complaints counted" in html
    True
    """
    name = f"Rule {result.predicate.id}" if isinstance(result.predicate, Rule) else "Rule result"
    caption = f"{name}: each part and its outcome"
    return _table(_RESULT_HEAD, _rule_rows(result), caption=caption, lang=True)


def decision_html(decision: Decision) -> str:
    """A decision as HTML: the outcome, the dates that matter, every rule and every report's fate.

    >>> from asb_case_review import STATUTORY, evaluate
    >>> from asb_case_review.examples import example_application
    >>> "REP-3" in decision_html(evaluate(example_application(), STATUTORY))
    True
    """
    application = decision.application
    summary: list[tuple[str, str]] = [
        ("outcome", _badge(decision.outcome)),
        ("application", f"{_text(application.id)} made {_text(application.made_on)}"),
        ("taken as made on", _text(decision.as_of)),
        ("policy", f"{_text(decision.policy.title)} ({_text(decision.policy_name)})"),
        ("route", _text(decision.route.value if decision.route else "none")),
    ]
    if decision.matched:
        summary.append(("rules matched", _text(", ".join(decision.matched))))
    if decision.policy_outcome is not decision.outcome:
        summary.append(("the policy as written says", _badge(decision.policy_outcome)))
    if decision.met and decision.met_until is not None:
        summary.append(("stays met, with nothing new, until", _text(decision.met_until)))
    summary.extend((f"short [{s.rule}]", _text(s.describe())) for s in decision.shortfalls())

    rules = [row for _, _, result in decision.rule_results() for row in _rule_rows(result)]
    if decision.floor is not decision.mandatory:
        rules.extend(_rule_rows(decision.floor))

    by_id = {r.id: r for r in application.reports}
    fates = []
    for fate in decision.fates:
        report = by_id[fate.report]
        counted = fate.reason is Reason.COUNTED
        mark = "&#10004;" if counted else "&#10008;"
        colour = _COLOUR[Outcome.MET] if counted else "#777"
        fates.append(
            [
                _text(fate.report),
                _text(report.made_on),
                _text(fate.reporter),
                _text(report.agency.value),
                f"{_text(report.incident.id)} ({_text(report.incident.began_on)})",
                f'<span style="color:{colour}">{mark} {_text(fate.reason.value)}</span>',
                _text(fate.detail),
                _text(fate.window),
            ]
        )
    notices = "".join(
        f"<li><b>{_text(n.code.value)}</b>: {_text(n.message)}"
        + (f" <i>[{_text(n.source.cite())}]</i>" if n.source else "")
        + "</li>"
        for n in (*decision.warnings, *decision.signals)
    )
    parts = [
        f'<div class="asb-decision" lang="{_LANG}">',
        _facts(summary, caption=f"Decision on application {application.id}"),
        _table(_RESULT_HEAD, rules, caption="Rules: each part and its outcome"),
        _table(
            ("report", "made on", "by", "to", "incident (began)", "fate", "detail", "inside window"),
            fates,
            caption="Reports under the deciding rule, and whether each counted",
        ),
    ]
    if notices:
        parts.append(f"<b>Notices</b><ul>{notices}</ul>")
    parts.append(_facts(((k, _text(v)) for k, v in decision.assumptions()), caption="Settings that ran"))
    parts.append("</div>")
    return "".join(parts)


def policy_html(policy: Policy) -> str:
    """A policy as HTML: its identity, dates, source, and every rule in its own wording.

    >>> from asb_case_review import STAFFORDSHIRE_MOORLANDS
    >>> "five separate individuals" in policy_html(STAFFORDSHIRE_MOORLANDS)
    True
    """
    until = "until further notice" if policy.effective_to is None else _text(policy.effective_to)
    head = _facts(
        [
            ("policy", f"<b>{_text(policy.title)}</b>"),
            ("id and version", _text(f"{policy.id}@{policy.version}")),
            ("in force", f"{_text(policy.effective_from)} to {until}"),
            ("source", _text(policy.source.cite() if policy.source else "")),
            ("threshold (mandatory route)", _text(policy.threshold)),
        ],
        caption=f"Policy {policy.id}",
    )
    rows = [
        [
            _text(path),
            _text(item.id),
            _text(item.label),
            _text(item.predicate.describe()),
            _text(item.source.cite() if item.source else ""),
        ]
        for path, item in policy.rules()
    ]
    head_row = ("where", "id", "published wording", "how it is tested", "source")
    rules = _table(head_row, rows, caption="Rules of the policy")
    return f'<div class="asb-policy" lang="{_LANG}">{head}{rules}</div>'
