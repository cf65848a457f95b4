"""HTML tables of decisions, policies and results for notebooks."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from asb_case_review import (
    CATALOGUE,
    STAFFORDSHIRE_MOORLANDS,
    STATUTORY,
    Policy,
    Source,
    count,
    evaluate,
    rule,
)
from asb_case_review.analysis.compare import compare
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.examples import example_application
from asb_case_review.html import decision_html, policy_html, result_html, table

VOID = {"br", "hr", "img", "meta", "input"}


class Checker(HTMLParser):
    """Collects text and checks that every tag is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        opened = self.stack.pop()
        assert opened == tag, f"<{opened}> closed by </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.stack == [], f"unclosed tags: {checker.stack}"
    return checker


def test_decision_html_is_well_formed_and_shows_every_report() -> None:
    """The decision's HTML closes every tag and lists each report with its fate."""
    decision = evaluate(example_application(), STATUTORY)
    text = " ".join(parse(decision._repr_html_()).text)
    for report in ("REP-0", "REP-1", "REP-2", "REP-3"):
        assert report in text
    assert "late_report" in text
    assert "MET" in text
    assert "2026-02-28" in text  # met until


def test_decision_html_shows_the_near_miss_when_not_met() -> None:
    """A not-met decision's HTML shows how far short each count is, and by when."""
    application = example_application()
    early = evaluate(application, STATUTORY, as_of=dt.date(2026, 1, 15))
    text = " ".join(parse(decision_html(early)).text)
    assert "NOT MET" in text
    assert "2 of 3 complaints; 1 more made by" in text


def test_values_are_escaped() -> None:
    """A rule's wording with markup in it is shown as text, never as markup."""
    policy = Policy(
        "odd",
        title="<b>Odd</b> & Co",
        version="1",
        effective_from=dt.date(2020, 1, 1),
        local=(rule("x", count(9), label="<script>alert(1)</script>", source=Source("A & B")),),
    )
    html = policy_html(policy) + decision_html(evaluate(example_application(), policy))
    checker = parse(html)
    assert "script" not in checker.tags
    assert "<script>alert(1)</script>" in "".join(checker.text)
    assert "&lt;b&gt;Odd&lt;/b&gt; &amp; Co" in html


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_policy_html_lists_every_rule_in_its_own_words(name: str) -> None:
    """Each built-in policy's HTML names every rule's id and published wording."""
    policy = CATALOGUE[name]
    text = " ".join(parse(policy._repr_html_()).text)
    for _, item in policy.rules():
        assert item.id in text
        assert item.label in text
    assert policy.version in text


def test_result_html_has_a_row_per_node() -> None:
    """A result's HTML has one table row per node of the result tree, plus the header."""
    result = evaluate(example_application(), STAFFORDSHIRE_MOORLANDS).local[0]
    checker = parse(result._repr_html_())
    assert checker.tags.count("tr") == len(list(result.walk())) + 1
    assert result_html(result) == result._repr_html_()


def test_table_escapes_every_cell_and_keeps_the_shape() -> None:
    """A generic table has one header row plus one row per item, with every cell escaped."""
    checker = parse(table(["name", "count"], [["<i>x</i>", 1], ["y", None], ["z", 3]], caption="Counts"))
    assert checker.tags.count("tr") == 4
    assert checker.tags.count("td") == 6
    assert "i" not in checker.tags
    assert "<i>x</i>" in checker.text


class Accessible(HTMLParser):
    """Each table's caption text, the scope of each header cell, and the lang of the outermost element."""

    def __init__(self) -> None:
        super().__init__()
        self.first: dict[str, str | None] | None = None
        self.captions: list[str] = []
        self.tables = 0
        self.scopes: list[str | None] = []
        self.in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.first is None:
            self.first = dict(attrs)
        if tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.in_caption = True
            self.captions.append("")
        elif tag == "th":
            self.scopes.append(dict(attrs).get("scope"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.in_caption = False

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.captions[-1] += data


def _views() -> list[tuple[str, str]]:
    decision = evaluate(example_application(), STAFFORDSHIRE_MOORLANDS)
    return [
        ("decision", decision._repr_html_()),
        ("policy", STAFFORDSHIRE_MOORLANDS._repr_html_()),
        ("result", decision.mandatory._repr_html_()),
        ("table", table(["a"], [[1]], caption="One")),
        ("comparison", compare(synthetic_reports(50, seed=1), [STATUTORY])._repr_html_()),
    ]


@pytest.mark.parametrize(("name", "html"), _views(), ids=[name for name, _ in _views()])
def test_every_table_has_a_caption_scoped_headers_and_a_language(name: str, html: str) -> None:
    """Screen readers get a caption for each table, a scope for each header and the page's language."""
    parse(html)
    found = Accessible()
    found.feed(html)
    assert found.first is not None
    assert found.first.get("lang") == "en-GB"
    assert found.tables == len(found.captions) >= 1
    assert all(len(caption.split()) >= 1 and caption.strip() for caption in found.captions)
    assert found.scopes
    assert set(found.scopes) <= {"col", "row"}


def test_decision_captions_say_what_each_table_lists() -> None:
    """The decision's tables are captioned by the application, the rules, the reports and the settings."""
    found = Accessible()
    found.feed(evaluate(example_application(), STATUTORY)._repr_html_())
    assert found.captions == [
        f"Decision on application {example_application().id}",
        "Rules: each part and its outcome",
        "Reports under the deciding rule, and whether each counted",
        "Settings that ran",
    ]


def test_comparison_repr_is_one_short_line() -> None:
    """A Comparison's repr names the policies and what each meets, not every swept application."""
    comparison = compare(synthetic_reports(2000, seed=4), [STATUTORY, CATALOGUE["merseyside"]])
    text = repr(comparison)
    assert "\n" not in text
    assert len(text) < 160
    summary = comparison.summary()
    assert text == (
        f"<Comparison of 2 policies over 2,000 applications: {summary[0]['policy']} meets "
        f"{summary[0]['met']:,}, {summary[1]['policy']} meets {summary[1]['met']:,}>"
    )


def test_comparison_shows_its_summary_as_html() -> None:
    """In a notebook a Comparison is its summary: one row per policy, the counts as cells."""
    comparison = compare(synthetic_reports(300, seed=4), [STATUTORY, CATALOGUE["merseyside"]])
    checker = parse(comparison._repr_html_())
    assert checker.tags.count("tr") == 3
    text = checker.text
    for row in comparison.summary():
        assert row["policy"] in text
        assert str(row["met"]) in text
    assert "Applications met under each policy, of 300 read from the same reports" in text
