"""Hypothesis strategies for policies and their rules, shared by the policy-file and conformance tests."""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from asb_case_review.dates import Arithmetic, Span, TimeUnit
from asb_case_review.models import Agency, Fact
from asb_case_review.policy import Appeal, Body, Policy, Region, Timescales, statutory_route
from asb_case_review.qualifying import Anchor, BehaviourDay, DateOf, Lag, LagScope, Selection, Who, Window
from asb_case_review.rules import (
    AllOf,
    AnyOf,
    Consent,
    Count,
    CountUnit,
    FactIs,
    Not,
    Predicate,
    Recency,
    Rule,
    Source,
)

# Any printable text a policy officer might type, quotes, backslashes and accents included.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('"\\\n\t\x7f'),
    min_size=1,
    max_size=12,
).filter(str.strip)
words = st.text(alphabet=string.ascii_lowercase + "_-", min_size=1, max_size=8)

spans = st.builds(Span, st.integers(1, 12), st.sampled_from(TimeUnit))
windows = st.builds(
    Window,
    spans,
    anchor=st.sampled_from(Anchor),
    date_of=st.sampled_from(DateOf),
    arithmetic=st.sampled_from(Arithmetic),
)
lags = st.none() | st.builds(
    Lag, spans, applies_to=st.sampled_from(LagScope), arithmetic=st.sampled_from(Arithmetic)
)
selections = st.builds(
    Selection,
    who=st.sampled_from(Who),
    window=windows,
    lag=lags,
    hate_only=st.booleans(),
    exclude_kinds=st.frozensets(words, max_size=2),
    agencies=st.frozensets(st.sampled_from(Agency), max_size=2),
    behaviour_day=st.sampled_from(BehaviourDay),
)
sources = st.builds(
    Source,
    text,
    section=st.none() | text,
    url=st.none() | text,
    read_on=st.none() | st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31)),
    modified=st.none() | text,
)

leaves: st.SearchStrategy[Predicate] = st.one_of(
    st.builds(Count, st.integers(1, 6), unit=st.sampled_from(CountUnit), selection=selections),
    st.builds(Recency, spans, date_of=st.sampled_from(DateOf), selection=selections),
    st.builds(FactIs, st.sampled_from(Fact), expected=st.booleans()),
    st.just(Consent()),
)


def _rules_over(inner: st.SearchStrategy[Predicate]) -> st.SearchStrategy[Rule]:
    return st.builds(Rule, words, inner, label=text, source=st.none() | sources)


predicates: st.SearchStrategy[Predicate] = st.recursive(
    leaves,
    lambda parts: st.one_of(
        st.builds(AllOf, st.lists(parts, min_size=1, max_size=3).map(tuple)),
        st.builds(AnyOf, st.lists(parts, min_size=1, max_size=3).map(tuple)),
        st.builds(Not, parts),
        _rules_over(parts),
    ),
    max_leaves=4,
)
days = st.dates(dt.date(2014, 10, 20), dt.date(2030, 12, 31))


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Any policy the file format must be able to hold."""
    ids = draw(st.lists(words, min_size=1, max_size=4, unique=True))
    tops = [draw(_rules_over(predicates)) for _ in ids]
    tops = [
        Rule(ident, r.predicate, label=r.label, source=r.source) for ident, r in zip(ids, tops, strict=True)
    ]
    mandatory = draw(st.sampled_from([statutory_route(draw(st.integers(1, 5))), tops[0]]))
    rest = tops[1:] if mandatory is tops[0] else tops
    split = draw(st.integers(0, len(rest)))
    start = draw(days)
    end = draw(st.none() | st.dates(start, dt.date(2031, 12, 31)))
    timescales = draw(
        st.builds(
            Timescales,
            acknowledge=st.none() | st.integers(1, 30),
            decide=st.none() | st.integers(1, 30),
            appeal=st.none() | st.integers(1, 30),
        )
    )
    return Policy(
        draw(words),
        title=draw(text),
        version=draw(text),
        effective_from=start,
        effective_to=end,
        mandatory=mandatory,
        local=tuple(rest[:split]),
        conditions=tuple(rest[split:]),
        source=draw(st.none() | sources),
        related_by=draw(text),
        appeal=draw(st.none() | st.builds(Appeal, text, source=st.none() | sources)),
        timescales=timescales,
        region=draw(st.none() | st.sampled_from(Region)),
        body=draw(st.none() | st.sampled_from(Body)),
        notes=(notes := draw(st.none() | text)),
        effective_from_assumed=notes is not None and draw(st.booleans()),
    )
