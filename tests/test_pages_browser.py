"""The web pages in a real browser: Chromium, driven by Playwright, against uvicorn on loopback.

Forms are filled and submitted as a person would, the result is read off the page, the picture is
checked to be drawn, errors are checked to sit beside their field, the forms are used by keyboard
alone, and axe-core finds no WCAG 2.2 A or AA violation on any page.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from asb_case_review import STATUTORY, evaluate, for_officer, to_dict
from asb_case_review.audit import stamped_decision
from asb_case_review.cli import main
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_to_mapping
from tests import browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def _needs_browser() -> None:
    reason = browser.unavailable()
    if reason is None:
        return
    if browser.REQUIRED:
        pytest.fail(f"ASB_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    _needs_browser()
    with browser.serving() as base:
        yield base


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    _needs_browser()
    with browser.chromium() as launched:
        yield launched


@pytest.fixture
def page(chromium: Browser, site: str) -> Iterator[Page]:
    context = chromium.new_context(base_url=site, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


@pytest.fixture(scope="session")
def axe() -> str:
    _needs_browser()
    try:
        return browser.axe_source()
    except OSError as error:  # pragma: no cover - only without the npm registry
        if browser.REQUIRED:
            raise
        pytest.skip(f"axe-core could not be fetched from the npm registry: {error}")


# The example application's reports, as an officer types them into the table.
_EXAMPLE_ROWS = [
    {"reporter": "P-100", "made_on": "2025-08-20", "began_on": "2025-06-01", "agency": "council"},
    {"reporter": "P-100", "made_on": "2025-08-29", "began_on": "2025-08-22", "agency": "council"},
    {
        "reporter": "P-200",
        "household": "H-2",
        "made_on": "2025-11-15",
        "began_on": "2025-11-01",
        "ended_on": "2025-11-14",
        "agency": "police",
    },
    {"reporter": "P-100", "made_on": "2026-02-02", "began_on": "2026-01-30", "agency": "landlord"},
]


def _fill_officer(page: Page, rows: list[dict[str, str]]) -> None:
    page.goto("/officer")
    page.select_option("#area", "statutory")
    page.fill("#applicant", "P-100")
    page.fill("#made_on", "2026-02-28")
    for _ in range(len(rows) - 3):
        page.click("#add-row")
    for index, row in enumerate(rows):
        for name, value in row.items():
            selector = f"#reports-{index}-{name}"
            if name == "agency":
                page.select_option(selector, value)
            else:
                page.fill(selector, value)


def _submit(page: Page, button: str) -> None:
    """Press the form's button and wait until the page the server answers with has loaded.

    A click waits for the navigation to start, not to end: a check that does not wait by itself
    (a count, is_visible, the title) could otherwise read a page still loading, under load.
    """
    with page.expect_navigation():
        page.click(button)


def _errors_beside_fields(page: Page) -> list[tuple[str, str]]:
    """Each error in the summary, with the inline message of the field its link points to.

    The inline message must be inside the same form group as the field and named by the field's
    aria-describedby (or its fieldset's), and the link must move focus to the field.
    """
    found = []
    links = page.locator(".govuk-error-summary__list a")
    for index in range(links.count()):
        link = links.nth(index)
        target = (link.get_attribute("href") or "")[1:]
        field = page.locator(f"#{target}")
        group = field.locator("xpath=ancestor::div[contains(@class, 'govuk-form-group--error')][1]")
        inline = group.locator(".govuk-error-message")
        assert inline.count() == 1, target
        error_id = inline.get_attribute("id")
        described = field.get_attribute("aria-describedby") or ""
        fieldset = field.locator("xpath=ancestor::fieldset[1]")
        if fieldset.count():
            described += " " + (fieldset.get_attribute("aria-describedby") or "")
        assert error_id in described.split(), (target, described)
        link.click()
        assert page.evaluate("document.activeElement.id") == target
        found.append((target, inline.inner_text().removeprefix("Error:").strip()))
    return found


def _picture_is_drawn(page: Page) -> str:
    picture = page.locator("#timeline")
    picture.scroll_into_view_if_needed()
    assert picture.is_visible()
    assert page.evaluate("document.querySelector('#timeline').naturalWidth") > 300
    alt = picture.get_attribute("alt") or ""
    assert alt.startswith("Timeline of ")
    return alt


def test_officer_enters_reports_in_the_table_and_reads_the_decision(page: Page) -> None:
    """Typed into the table, the example's reports meet s.104(4); the page shows why, and the picture."""
    _fill_officer(page, _EXAMPLE_ROWS)
    page.click("#decide")
    assert page.inner_text("#outcome") == "met"
    assert page.inner_text("#route") == "mandatory"
    assert "s104-4" in page.inner_text("#rule-matched")
    cells = page.locator("#fates tbody tr")
    assert cells.count() == 4
    reasons = [cells.nth(i).locator("td").nth(4).inner_text().split(":")[0] for i in range(4)]
    assert reasons == ["late_report", "counted", "counted", "counted"]
    assert "3 of 4 counted" in _picture_is_drawn(page)
    assert page.inner_text("#letter").startswith("Your application of 28 February 2026 meets the threshold")
    # What was typed is still in the form, to change and decide again.
    assert page.input_value("#reports-2-household") == "H-2"


def test_officer_downloads_the_json_record_the_library_makes(page: Page, tmp_path: Path) -> None:
    """An uploaded application JSON is decided, and the record downloaded is the library's to_dict."""
    upload = tmp_path / "application.json"
    upload.write_text(json.dumps(application_to_mapping(example_application())), encoding="utf-8")
    page.goto("/officer")
    page.select_option("#area", "statutory")
    page.set_input_files("#upload", str(upload))
    page.click("#decide")
    assert page.inner_text("#outcome") == "met"
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == "decision-APP-2026-0001.json"
    record = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert record == stamped_decision(to_dict(evaluate(example_application(), STATUTORY)), STATUTORY)
    assert page.inner_text("#letter") == record["letter"]
    # The same record as the command line's: asb-case-review check FILE --policy statutory --format json.
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        main(["check", str(upload), "--policy", "statutory", "--format", "json"])
    assert json.loads(printed.getvalue()) == record
    page.click("summary")
    assert page.inner_text("#officer-text") == for_officer(evaluate(example_application(), STATUTORY))


def test_officer_uploads_a_csv_of_reports(page: Page, tmp_path: Path) -> None:
    """A CSV of one matter's reports is decided with the applicant and date from the form."""
    upload = tmp_path / "reports.csv"
    upload.write_text(
        "id,reporter,matter,began_on,made_on,agency\n"
        "R1,P-1,M1,2025-10-01,2025-10-02,council\n"
        "R2,P-2,M1,2025-11-01,2025-11-03,police\n",
        encoding="utf-8",
    )
    page.goto("/officer")
    page.select_option("#area", "statutory")
    page.fill("#applicant", "P-1")
    page.fill("#made_on", "2026-01-10")
    page.set_input_files("#upload", str(upload))
    page.click("#decide")
    assert page.inner_text("#outcome") == "not_met"
    assert page.locator("#fates tbody tr").count() == 2
    _picture_is_drawn(page)


def test_officer_errors_are_shown_next_to_the_field_in_the_librarys_words(page: Page) -> None:
    """A bad date and a missing applicant each show in the summary and beside their own field."""
    rows = [dict(row) for row in _EXAMPLE_ROWS[:3]]
    rows[1]["made_on"] = "2025-13-01"
    _fill_officer(page, rows)
    page.fill("#applicant", "")
    _submit(page, "#decide")
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    errors = _errors_beside_fields(page)
    assert errors == [
        (
            "reports-1-made_on",
            "Report 2, date reported: reports[1].made_on='2025-13-01': is not a date written YYYY-MM-DD",
        )
    ]
    page.fill("#reports-1-made_on", "2025-08-29")
    _submit(page, "#decide")
    assert _errors_beside_fields(page) == [("applicant", "Applicant: applicant=None: is required")]


def test_self_check_answers_for_the_applicants_own_reports(page: Page) -> None:
    """The applicant's dates alone, in the area's words, with how to apply and that the council decides."""
    page.goto("/self-check")
    page.select_option("#area", "statutory")
    for part, value in zip(("day", "month", "year"), ("28", "2", "2026"), strict=True):
        page.fill(f"#apply_on-{part}", value)
    for row, (made, began) in enumerate([("29 8 2025", "22 8 2025"), ("2 2 2026", "30 1 2026")]):
        for name, text in (("made_on", made), ("began_on", began)):
            for part, value in zip(("day", "month", "year"), text.split(), strict=True):
                page.fill(f"#reports-{row}-{name}-{part}", value)
    page.click("#check")
    assert "would not meet the threshold" in page.inner_text("#answer")
    letter = page.inner_text("#letter")
    assert "s.104(4)" in letter
    assert "council and its partners decide" in page.inner_text("#council-decides")
    assert page.locator("#how-to-apply").is_visible()
    _picture_is_drawn(page)
    # A third report in time meets the statutory three.
    page.click("#add-row")
    for name, text in (("made_on", "10 2 2026"), ("began_on", "9 2 2026")):
        for part, value in zip(("day", "month", "year"), text.split(), strict=True):
            page.fill(f"#reports-3-{name}-{part}", value)
    page.click("#check")
    assert "would meet the threshold" in page.inner_text("#answer")


def test_self_check_asks_for_nothing_about_anyone_else(page: Page, site: str) -> None:
    """Its only fields are the area, the date of applying and, per report, two dates and who was told."""
    response = page.goto("/self-check")
    assert response is not None
    assert response.headers["cache-control"] == "no-store"
    names = set(page.eval_on_selector_all("form [name]", "els => els.map(e => e.name)"))
    allowed = {"area", "rows", "action", "apply_on-day", "apply_on-month", "apply_on-year"}
    for row in range(3):
        allowed |= {
            f"reports-{row}-{n}-{p}" for n in ("made_on", "began_on") for p in ("day", "month", "year")
        }
        allowed.add(f"reports-{row}-agency")
    assert names == allowed


def test_self_check_errors_are_shown_next_to_the_date(page: Page) -> None:
    """A day that does not exist is named beside the date input it was typed in."""
    page.goto("/self-check")
    page.select_option("#area", "statutory")
    for name, text in (("made_on", "31 2 2026"), ("began_on", "1 2 2026")):
        for part, value in zip(("day", "month", "year"), text.split(), strict=True):
            page.fill(f"#reports-0-{name}-{part}", value)
    _submit(page, "#check")
    ((field, message),) = _errors_beside_fields(page)
    assert field == "reports-0-made_on-day"
    assert message == (
        "Report 1: Enter the date you reported it as a real date, in numbers "
        "(reports[0].made_on='2026-02-31': is not a date written YYYY-MM-DD)"
    )


def _tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_officer_form_by_keyboard_alone(page: Page) -> None:
    """Tab and type through the officer's form, add a row with Enter, and decide with Enter."""
    page.goto("/officer")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    _tab_to(page, "area")
    page.keyboard.type("The statutory")
    assert page.input_value("#area") == "statutory"
    _tab_to(page, "applicant")
    page.keyboard.type("P-100")
    _tab_to(page, "made_on")
    page.keyboard.type("2026-02-28")
    for index, row in enumerate(_EXAMPLE_ROWS):
        if index == 3:
            _tab_to(page, "add-row")
            page.keyboard.press("Enter")
            page.wait_for_selector("#reports-3-reporter")
            assert page.evaluate("document.activeElement.id") == "reports-3-reporter"
        else:
            _tab_to(page, f"reports-{index}-reporter")
        for name in ("reporter", "household", "made_on", "began_on", "ended_on"):
            if page.evaluate("document.activeElement.id") != f"reports-{index}-{name}":
                _tab_to(page, f"reports-{index}-{name}")
            if name in row:
                page.keyboard.type(row[name])
    page.keyboard.press("Enter")
    page.wait_for_selector("#outcome")
    assert page.inner_text("#outcome") == "met"


def test_self_check_by_keyboard_alone(page: Page) -> None:
    """Tab and type through the self-check, and check with Enter."""
    page.goto("/self-check")
    _tab_to(page, "area")
    page.keyboard.type("The statutory")
    assert page.input_value("#area") == "statutory"
    for name, text in (
        ("apply_on", "28 2 2026"),
        ("reports-0-made_on", "29 8 2025"),
        ("reports-0-began_on", "22 8 2025"),
    ):
        _tab_to(page, f"{name}-day")
        page.keyboard.press("Control+A")
        for index, value in enumerate(text.split()):
            if index:
                page.keyboard.press("Tab")
                page.keyboard.press("Control+A")
            page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer")
    assert "would not meet the threshold" in page.inner_text("#answer")
    _tab_to(page, "how-to-apply-link")


_PAGES = ["/", "/officer", "/self-check"]


def _summary(violations: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Each violation's rule and the elements it found, for a readable failure."""
    return [(v["id"], [" ".join(node["target"]) for node in v["nodes"]]) for v in violations]


@pytest.mark.parametrize("path", _PAGES)
def test_every_empty_page_has_no_wcag_22_aa_violation(page: Page, axe: str, path: str) -> None:
    """axe-core, run in the page, finds nothing against WCAG 2.2 A and AA."""
    page.goto(path)
    assert _summary(browser.axe_violations(page, axe)) == []


def test_officer_result_and_errors_have_no_wcag_22_aa_violation(page: Page, axe: str) -> None:
    """The officer's decision, and the officer's errors, pass axe-core at WCAG 2.2 AA."""
    _fill_officer(page, _EXAMPLE_ROWS)
    _submit(page, "#decide")
    page.click("summary")  # the officer's account, open
    assert _summary(browser.axe_violations(page, axe)) == []
    page.fill("#reports-0-made_on", "yesterday")
    _submit(page, "#decide")
    assert page.locator(".govuk-error-summary").is_visible()
    assert _summary(browser.axe_violations(page, axe)) == []


def test_self_check_result_and_errors_have_no_wcag_22_aa_violation(page: Page, axe: str) -> None:
    """The self-check's answer, and its errors, pass axe-core at WCAG 2.2 AA."""
    page.goto("/self-check")
    page.select_option("#area", "merseyside")
    for name, text in (("made_on", "29 8 2025"), ("began_on", "22 8 2025")):
        for part, value in zip(("day", "month", "year"), text.split(), strict=True):
            page.fill(f"#reports-0-{name}-{part}", value)
    _submit(page, "#check")
    assert page.locator("#answer").is_visible()
    assert _summary(browser.axe_violations(page, axe)) == []
    page.fill("#reports-0-began_on-month", "13")
    _submit(page, "#check")
    assert page.locator(".govuk-error-summary").is_visible()
    assert _summary(browser.axe_violations(page, axe)) == []


# Text elements of every page, whose typeface the reader sees.
_TEXT = "body, h1, h2, p, a, label, button, .govuk-generic-header__homepage-link"


@pytest.mark.parametrize("path", ["/", "/officer", "/self-check"])
def test_pages_use_the_systems_fonts_and_no_govuk_crown_or_logo(page: Page, path: str) -> None:
    """No GOV.UK crown, logo or Transport typeface: the service's own name, in the system's fonts."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    fonts = page.evaluate(
        f"() => [...document.querySelectorAll({_TEXT!r})].map(e => getComputedStyle(e).fontFamily)"
    )
    assert fonts
    assert all(font.startswith("system-ui") and "Transport" not in font for font in fonts), set(fonts)
    assert not [url for url in fetched if re.search(r"\.(woff2?|ttf|otf|svg|png|ico)$", url)]
    assert page.locator("header svg, header img, .govuk-header__logotype, .govuk-logo").count() == 0
    assert page.inner_text(".govuk-generic-header__homepage-link").strip() == "ASB Case Review check"


def test_the_headless_shell_is_preferred_where_installed(tmp_path: Path) -> None:
    """Chromium's headless shell drives the tests where installed, the desktop browser where it is not."""
    shell, desktop = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    assert browser.default_chromium(shell, desktop) == desktop
    shell.touch()
    assert browser.default_chromium(shell, desktop) == shell
