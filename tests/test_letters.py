"""Letters to the applicant: every format and language says the decision and names no other complainant."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asb_case_review import CATALOGUE, Application, CountUnit, Decision, cli, evaluate, for_applicant
from asb_case_review._messages import LANGUAGES, fields_of, messages
from asb_case_review.catalogue import get_policy
from asb_case_review.errors import InvalidInput
from asb_case_review.examples import example_application
from asb_case_review.letters import FORMATS, compose, default_language, render_text, write_letter
from asb_case_review.parsing import application_from_mapping
from asb_case_review.policy import Region
from asb_case_review.render import _QUESTION, ASKED_OF_APPLICANT, BECAUSE, applicant_paragraphs

from .strategies import applications

EXAMPLES = Path(__file__).parent.parent / "examples"
MESSAGES = Path(__file__).parent.parent / "src" / "asb_case_review" / "messages"
DECIDED = dt.date(2026, 3, 20)


def _example(name: str) -> Application:
    return application_from_mapping(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def _text_of(data: bytes, format: str) -> str:  # noqa: A002 - as write_letter names it
    """The words a reader sees in a letter file: DOCX and HTML are read back, not trusted."""
    if format == "docx":
        document = docx.Document(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs)
    text = data.decode("utf-8")
    if format == "html":
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text.split("<body>", 1)[1]))
    return text


def _letter(decision: Decision, format: str, **options: Any) -> str:  # noqa: A002
    out = io.BytesIO()
    write_letter(decision, format, out, **options)  # type: ignore[arg-type]
    return _text_of(out.getvalue(), format)


# ------------------------------------------------------------------ privacy


def _disguised(application: Application) -> Application:
    """*application* with every id made distinctive, so that one found in a letter is not a coincidence."""

    def person(who: str) -> str:
        return f"Zq{who}Person"

    reports = tuple(
        attrs.evolve(
            r,
            id=f"Zq{r.id}Report",
            reporter=person(r.reporter),
            household=None if r.household is None else f"Zq{r.household}Home",
        )
        for r in application.reports
    )
    return attrs.evolve(
        application,
        applicant=person(application.applicant),
        on_behalf_of=None if application.on_behalf_of is None else person(application.on_behalf_of),
        reports=reports,
    )


def _others(application: Application) -> set[str]:
    """Every id that would point at someone other than the victim: their names, reports and homes."""
    victim = application.victim
    found: set[str] = set()
    for report in application.reports:
        found.add(report.id)
        if report.reporter != victim:
            found.add(report.reporter)
            if report.household is not None:
                found.add(report.household)
    return found


@settings(max_examples=40, deadline=None)
@given(
    application=applications(),
    name=st.sampled_from(sorted(CATALOGUE)),
    format=st.sampled_from(FORMATS),
    language=st.sampled_from(("en", "cy", "both")),
)
def test_no_letter_in_any_format_or_language_names_another_complainant(
    application: Application,
    name: str,
    format: str,  # noqa: A002
    language: str,
) -> None:
    """Over generated applications, every policy, format and language: no other person's id, no
    report id and no other household appears in the letter's text (read back from the file)."""
    application = _disguised(application)
    text = _letter(evaluate(application, CATALOGUE[name]), format, language=language, decided_on=DECIDED)
    assert "Zq" in "".join(_others(application)) or not application.reports
    for secret in _others(application):
        assert secret not in text


def test_a_third_party_without_consent_learns_nothing_of_the_victims_reports() -> None:
    """A third party without recorded consent gets no dates of the victim's reports, in any format."""
    application = attrs.evolve(example_application(), applicant="FRIEND", on_behalf_of="P-100", consent=None)
    decision = evaluate(application, get_policy("statutory"))
    own = [r.made_on for r in application.reports if r.reporter == "P-100"]
    for kind in FORMATS:
        for language in LANGUAGES:
            text = _letter(decision, kind, language=language)
            for day in own:
                assert messages(language).date(day) not in text, (kind, language)


# ------------------------------------------------------------------ what a letter says


@pytest.mark.parametrize("format", FORMATS)
def test_a_letter_carries_the_area_the_decision_and_the_review_route_and_date(format: str) -> None:  # noqa: A002
    """Westminster publishes an appeal route and ten working days: the letter gives both, as a date."""
    policy = get_policy("westminster")
    decision = evaluate(_example("not-met-window-edge"), policy)
    assert not decision.met
    assert policy.appeal is not None
    text = " ".join(_letter(decision, format, decided_on=DECIDED).split())
    by = policy.timescales.appeal_by(DECIDED)
    assert by is not None
    assert policy.title in text
    assert "Decision: the threshold for an ASB Case Review is not met." in text
    assert " ".join(policy.appeal.route.split()) in text
    assert f"within ten working days of the decision, that is by {messages('en').date(by)}" in text
    assert "Date: 20 March 2026" in text


@pytest.mark.parametrize("format", FORMATS)
def test_the_letters_body_is_the_applicants_letter_in_every_format(format: str) -> None:  # noqa: A002
    """The text, HTML and Word letters carry the paragraphs of for_applicant, word for word."""
    decision = evaluate(example_application(), get_policy("statutory"))
    text = " ".join(_letter(decision, format, language="en", decided_on=DECIDED).split())
    assert " ".join(for_applicant(decision, decided_on=DECIDED).split()) in text


def test_areas_in_wales_get_welsh_and_english_in_one_letter_welsh_first() -> None:
    """Every catalogue area in Wales defaults to both languages, Welsh first; every other area to English."""
    welsh = {name for name, policy in CATALOGUE.items() if policy.region is Region.WALES}
    assert len(welsh) >= 6
    for name, policy in CATALOGUE.items():
        assert default_language(policy) == ("both" if name in welsh else "en")
    letters = compose(evaluate(_example("not-met-near-miss"), get_policy("wrexham")))
    assert [letter.language for letter in letters] == ["cy", "en"]
    text = render_text(letters)
    assert text.index("Penderfyniad: nid yw'r trothwy") < text.index("Decision: the threshold")


def test_the_html_letter_marks_each_language() -> None:
    """Each language is an article with its own lang, and the page's lang is the first letter's."""
    out = io.BytesIO()
    write_letter(evaluate(example_application(), get_policy("wrexham")), "html", out)
    page = out.getvalue().decode("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="cy">')
    assert page.index('<article lang="cy">') < page.index('<article lang="en">')


def test_html_escapes_a_policys_wording() -> None:
    """A rule label with markup in it is shown as text, never run as HTML."""
    policy = get_policy("statutory")
    marked = attrs.evolve(
        policy, mandatory=attrs.evolve(policy.mandatory, label="<script>x()</script> & more")
    )
    out = io.BytesIO()
    write_letter(evaluate(example_application(), marked), "html", out)
    page = out.getvalue().decode("utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt; &amp; more" in page


def test_a_word_letter_is_the_same_bytes_each_time_and_one_page_per_language() -> None:
    """No clock in a Word letter: the same decision gives the same bytes; both languages, a page each."""
    decision = evaluate(example_application(), get_policy("wrexham"))
    first, second = io.BytesIO(), io.BytesIO()
    write_letter(decision, "docx", first, decided_on=DECIDED)
    write_letter(decision, "docx", second, decided_on=DECIDED)
    assert first.getvalue() == second.getvalue()
    document = docx.Document(io.BytesIO(first.getvalue()))
    assert document.core_properties.language == "cy-en"
    assert 'w:br w:type="page"' in document.element.xml
    text = _text_of(first.getvalue(), "docx")
    assert text.index("Penderfyniad:") < text.index("Decision:")


def test_write_letter_writes_to_a_path(tmp_path: Path) -> None:
    """A path is written whole; its text is the letter's."""
    path = tmp_path / "letter.txt"
    decision = evaluate(example_application(), get_policy("statutory"))
    write_letter(decision, "text", path)
    assert path.read_text(encoding="utf-8") == render_text(compose(decision))


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({"format": "text", "language": "fr"}, "language"),
        ({"format": "text", "decided_on": "2026-03-20"}, "decided_on"),
        ({"format": "text", "decided_on": dt.datetime(2026, 3, 20)}, "decided_on"),
    ],
    ids=["format", "language", "date-as-text", "datetime"],
)
def test_bad_options_are_refused_by_name(options: dict[str, Any], field: str) -> None:
    """A format, language or date the letter cannot use is an error naming the option and its value."""
    out = io.BytesIO()
    with pytest.raises(InvalidInput) as caught:
        write_letter(evaluate(example_application(), get_policy("statutory")), target=out, **options)
    assert caught.value.field == field
    assert out.getvalue() == b""


def test_a_word_letter_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without python-docx, a Word letter is refused with the extra to install; text letters still work."""
    monkeypatch.setitem(sys.modules, "docx", None)
    decision = evaluate(example_application(), get_policy("statutory"))
    with pytest.raises(ImportError, match=r"pip install 'asb-case-review\[letters\]'"):
        write_letter(decision, "docx", io.BytesIO())
    write_letter(decision, "text", io.BytesIO())


# ------------------------------------------------------------------ the wording is data


def _entries(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _entries(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _templates(code: str) -> dict[str, Any]:
    return dict(_entries(tomllib.loads((MESSAGES / f"{code}.toml").read_text(encoding="utf-8"))))


def test_every_language_has_every_entry_with_the_same_fields() -> None:
    """English and Welsh have the same entries, and each template fills in the same {names}."""
    english = _templates("en")
    for code in LANGUAGES:
        other = _templates(code)
        assert set(other) == set(english), code
        for key, value in english.items():
            if isinstance(value, str):
                assert fields_of(other[key]) == fields_of(value), (code, key)


def test_the_files_have_a_reason_for_every_reason_and_words_for_every_unit() -> None:
    """Every reason the letter gives, every unit and every fact it asks about has words in each language."""
    for code in LANGUAGES:
        m = messages(code)
        for reason in BECAUSE:
            assert m.count(f"because.{reason.value}", 1)
            assert m.count(f"because.{reason.value}", 2)
        for unit in CountUnit:
            assert m.text(f"near_miss.unit.{unit.value}")
            assert m.count(f"more.{unit.value}", 2)
        for fact in ASKED_OF_APPLICANT:
            assert m.text(f"questions.{fact.value}")


def test_the_english_questions_are_the_officers_own_words() -> None:
    """What the letter asks the applicant is worded as the officer's text lists it."""
    for fact in ASKED_OF_APPLICANT:
        assert messages("en").text(f"questions.{fact.value}") == _QUESTION[fact]


def test_the_welsh_file_says_it_needs_review_and_records_its_sources() -> None:
    """cy.toml says a Welsh speaker must review it and names where each term was checked."""
    text = (MESSAGES / "cy.toml").read_text(encoding="utf-8")
    assert "NEEDS REVIEW BY A WELSH SPEAKER BEFORE USE" in text
    for term, source in [
        ("Adolygiad Achos Ymddygiad Gwrthgymdeithasol", "asbcasereview.wales"),
        ("trothwy", "gov.uk Welsh guidance"),
        ("dioddefwr", "abertawe.gov.uk"),
        ("aelwyd", "dyfed-powys.police.uk"),
    ]:
        assert any(term in line and source in line for line in text.splitlines()), term


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_catalogue_policy_writes_both_languages_on_every_example(name: str) -> None:
    """Every template fills in for every policy and example, with no English sentence in the Welsh."""
    english_opening = ("Your application", "Under the rule", "If you are", "What happens next")
    for path in sorted(EXAMPLES.glob("*.json")):
        if path.name == "expected.json":
            continue
        decision = evaluate(_example(path.stem), CATALOGUE[name])
        welsh = applicant_paragraphs(decision, decided_on=DECIDED, language="cy")
        assert welsh
        assert not any(opening in p for p in welsh for opening in english_opening)


def test_an_unknown_language_is_refused_by_name() -> None:
    """messages() names the language it does not have."""
    with pytest.raises(InvalidInput, match="language"):
        messages("fr")


# ------------------------------------------------------------------ the command line


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_writes_a_word_letter_to_a_file_and_the_usual_text_to_the_screen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--letter docx --output FILE writes the letter, says so, and exits with the outcome."""
    path = tmp_path / "letter.docx"
    code, out, err = _run(
        capsys,
        "check",
        str(EXAMPLES / "met-personal-local.json"),
        "--policy",
        "hammersmith-and-fulham",
        "--letter",
        "docx",
        "--output",
        str(path),
        "--decided-on",
        "2026-03-20",
    )
    assert code == cli.EXIT_NOT_MET
    assert out.startswith("Application APP-PERSONAL")
    assert err == f"letter saved to {path}\n"
    text = _text_of(path.read_bytes(), "docx")
    assert "London Borough of Hammersmith and Fulham" in text
    assert "made too long after the incidents they report" in text


def test_check_prints_an_html_letter_when_no_file_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    """--letter html without --output prints the page; --language cy gives the Welsh alone."""
    code, out, _ = _run(capsys, "check", "--example", "--letter", "html", "--language", "cy")
    assert code == cli.EXIT_MET
    assert out.startswith('<!DOCTYPE html>\n<html lang="cy">')
    assert '<article lang="en">' not in out


def test_decided_on_today_dates_the_letter_with_todays_date(capsys: pytest.CaptureFixture[str]) -> None:
    """--decided-on today is the London date now (read in the command line only)."""
    before = dt.datetime.now(dt.UTC).date()
    _, out, _ = _run(capsys, "check", "--example", "--letter", "text", "--decided-on", "today")
    after = dt.datetime.now(dt.UTC).date()
    dated = re.search(r"^Date: (.+)$", out, re.MULTILINE)
    assert dated is not None
    english = messages("en")
    assert dated.group(1) in {english.date(d) for d in (before, after, before + dt.timedelta(days=1))}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--output", "x.txt"], "--output x.txt: is an option of the letter; give --letter text|html|docx"),
        (["--language", "cy"], "--language cy: is an option of the letter"),
        (["--letter", "docx"], "--letter docx: a Word file needs --output FILE.docx"),
        (["--letter", "text", "--decided-on", "20/03/2026"], "--decided-on"),
        (
            ["--letter", "html", "--format", "json"],
            "--letter html: with --format json, name the letter's file",
        ),
        (
            ["--letter", "text", "--for", "applicant"],
            "--letter text: with --for applicant, name the letter's",
        ),
    ],
    ids=[
        "output-alone",
        "language-alone",
        "docx-to-screen",
        "bad-date",
        "json-and-letter",
        "text-and-letter",
    ],
)
def test_check_refuses_letter_options_that_cannot_work(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Letter options without a letter, a Word file to the screen and a bad date exit 2, naming the option."""
    code, out, err = _run(capsys, "check", "--example", *argv)
    assert code == cli.EXIT_BAD_INPUT
    assert out == ""
    assert message in err


def test_check_refuses_a_directory_for_the_letter(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--output naming a directory is refused before any work is done."""
    code, out, err = _run(capsys, "check", "--example", "--letter", "text", "--output", str(tmp_path))
    assert code == cli.EXIT_BAD_INPUT
    assert out == ""
    assert "is a directory" in err


def test_check_says_when_the_letter_cannot_be_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file in a folder that does not exist is a bad-input error naming --output."""
    target = tmp_path / "missing" / "letter.html"
    code, _, err = _run(capsys, "check", "--example", "--letter", "html", "--output", str(target))
    assert code == cli.EXIT_BAD_INPUT
    assert f"--output {target}: cannot write the letter" in err


def test_check_without_python_docx_names_the_extra(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Word letter without the extra exits 2 with the pip command."""
    monkeypatch.setitem(sys.modules, "docx", None)
    code, _, err = _run(
        capsys, "check", "--example", "--letter", "docx", "--output", str(tmp_path / "l.docx")
    )
    assert code == cli.EXIT_BAD_INPUT
    assert "asb-case-review[letters]" in err


def test_the_applicant_text_and_json_take_the_decision_date(capsys: pytest.CaptureFixture[str]) -> None:
    """--decided-on also turns the review time limit into a date in --for applicant text and JSON."""
    argv = [
        "check",
        str(EXAMPLES / "not-met-window-edge.json"),
        "--policy",
        "westminster",
        "--for",
        "applicant",
    ]
    _, out, _ = _run(capsys, *argv, "--decided-on", "2026-03-20")
    assert "that is by 7 April 2026" in " ".join(out.split())
    _, out, _ = _run(capsys, *argv, "--format", "json", "--decided-on", "2026-03-20")
    assert json.loads(out)["review"]["by"] == "2026-04-07"


def test_a_letter_is_composed_only_from_a_decision() -> None:
    """compose names the argument when given something other than a Decision."""
    with pytest.raises(InvalidInput, match="decision"):
        compose(example_application())  # type: ignore[arg-type]


def test_a_missing_entry_is_named_with_its_file() -> None:
    """A template the code asks for and a file lacks is an error naming the file and the entry."""
    with pytest.raises(KeyError, match=r"messages/cy.toml has no entry 'letter.nothing'"):
        messages("cy").text("letter.nothing")


def test_an_undated_letter_gives_the_time_limit_in_working_days() -> None:
    """Without decided_on the letter has no date line and gives the review limit as working days."""
    decision = evaluate(_example("not-met-window-edge"), get_policy("westminster"))
    text = " ".join(_letter(decision, "text").split())
    assert "Date:" not in text
    assert "You must ask within ten working days of the decision." in text
