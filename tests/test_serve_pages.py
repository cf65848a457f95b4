"""The web pages over HTTP, without a browser: every refusal names its field, nothing is stored.

The server is the real one (uvicorn on a loopback port, as in the browser tests); requests are made
with httpx as a browser would post the forms.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import re
import shutil
import sys
import tarfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from asb_case_review import STATUTORY, evaluate, for_applicant
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_to_mapping
from asb_case_review.serve import assets, pages
from tests import browser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with browser.serving() as base, httpx.Client(base_url=base, timeout=60) as opened:
        yield opened


_ROW = {
    "reports-0-reporter": "P-1",
    "reports-0-made_on": "2025-10-02",
    "reports-0-began_on": "2025-10-01",
    "reports-0-agency": "council",
}


def _officer(**fields: str) -> dict[str, str]:
    form = {"area": "statutory", "applicant": "P-1", "made_on": "2026-01-10", "rows": "3", "action": "decide"}
    form.update(_ROW)
    form.update(fields)
    return {key: value for key, value in form.items() if value != "<drop>"}


def _errors(response: httpx.Response) -> list[tuple[str, str]]:
    """The error summary's links: the field each points to and its message."""
    found = re.findall(r'<li><a href="#([^"]+)">([^<]*)</a></li>', response.text)
    return [(field, message.replace("&#39;", "'").replace("&#34;", '"')) for field, message in found]


def _inline(response: httpx.Response, field: str) -> str:
    found = re.search(
        rf'<p id="{re.escape(field)}-error" class="govuk-error-message">(.*?)</p>', response.text, re.S
    )
    assert found is not None, field
    return re.sub(r"<[^>]+>", "", found[1]).replace("&#39;", "'").removeprefix("Error:").strip()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"area": ""}, "area", "Choose the area"),
        ({"area": "atlantis"}, "area", "area='atlantis': is not an area in the catalogue"),
        ({"as_of": "soon"}, "as_of", "Decide as at: as_of='soon': is not a date written YYYY-MM-DD"),
        ({"made_on": "<drop>"}, "made_on", "Date of the application: made_on=None: is required"),
        (
            {"reports-0-began_on": "2025-10-05"},
            "reports-0-made_on",
            (
                "Report 1, date reported: reports[0].made_on=datetime.date(2025, 10, 2): is before the "
                "behaviour it reports began (incident 'I1' began_on=2025-10-05)"
            ),
        ),
        (
            {"reports-0-began_on": ""},
            "reports-0-began_on",
            "Report 1, behaviour began: reports[0].incident.began_on=None: is required",
        ),
        (
            {"reports-0-agency": "the press"},
            "reports-0-agency",
            (
                "Report 1, reported to: reports[0].agency='the press': must be one of council, police, "
                "landlord, health, other"
            ),
        ),
        (
            {"reports-0-reporter": "", "reports-0-made_on": "", "reports-0-began_on": ""},
            "reports-0-reporter",
            "Enter at least one report, or upload a file",
        ),
        (
            {
                "area": "merseyside",
                "made_on": "2001-01-01",
                "reports-0-made_on": "2000-01-02",
                "reports-0-began_on": "2000-01-01",
            },
            "area",
            "merseyside=datetime.date(2001, 1, 1): no version is in force on that day",
        ),
    ],
    ids=[
        "no-area",
        "unknown-area",
        "bad-as-of",
        "no-date",
        "report-before-behaviour",
        "no-behaviour-date",
        "unknown-agency",
        "no-reports",
        "no-policy-in-force",
    ],
)
def test_officer_refusals_name_the_field(
    client: httpx.Client, fields: dict[str, str], field: str, message: str
) -> None:
    """Each bad input is a 400 with the library's message, in the summary and beside its own field."""
    response = client.post("/officer", data=_officer(**fields))
    assert response.status_code == 400
    ((linked, summary),) = _errors(response)
    assert linked == field
    assert summary.startswith(message)
    assert _inline(response, field) == summary
    assert f'id="{field}"' in response.text


@pytest.mark.parametrize(
    ("value", "outcome"), [("", "unknown"), ("yes", "met"), ("no", "not_met")], ids=["not-known", "yes", "no"]
)
def test_officer_sets_the_case_facts_a_rule_depends_on(
    client: httpx.Client, value: str, outcome: str
) -> None:
    """Ashfield's discretion rule is undecided until the officer says yes or no."""
    form = _officer(area="ashfield", made_on="2025-10-20", **{"fact-officer_discretion": value})
    response = client.post("/officer", data=form)
    assert response.status_code == 200
    assert f'id="outcome">{outcome}<' in response.text
    assert ('<details class="govuk-details" open>' in response.text) == bool(value)


def test_officer_fact_refusal_is_named_at_the_fact(client: httpx.Client) -> None:
    """A fact that is neither yes, no nor not known is named beside its own field, and its section opens."""
    response = client.post("/officer", data=_officer(**{"fact-case_closed": "maybe"}))
    assert _errors(response) == [
        ("fact-case_closed", "Case fact: facts.case_closed='maybe': must be true or false")
    ]
    assert _inline(response, "fact-case_closed") == _errors(response)[0][1]
    assert '<details class="govuk-details" open>' in response.text


def test_officer_decides_as_at_another_day(client: httpx.Client) -> None:
    """'Decide as at' is the library's as_of: the decision is made on that day."""
    response = client.post("/officer", data=_officer(as_of="2025-11-01"))
    assert response.status_code == 200
    assert '<dd class="govuk-summary-list__value">2025-11-01</dd>' in response.text


def _upload(client: httpx.Client, name: str, content: bytes, **fields: str) -> httpx.Response:
    form = _officer(**fields)
    for key in _ROW:
        form.pop(key)
    return client.post("/officer", data=form, files={"upload": (name, content)})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.json", b"{", "a.json: line 1: not valid JSON: Expecting property name enclosed in double quotes"),
        ("a.json", b'{"id": "A"}', "a.json: reports=None: is required"),
        ("a.json", b"\xff\xfe{}", "a.json: "),
        ("deep.json", b"[" * 5000 + b"]" * 5000, "deep.json: not valid application JSON: "),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        (
            "r.csv",
            b"id,reporter,matter,began_on,made_on\nR1,P1,M1,2025-10-01,2025-13-01\n",
            "r.csv: row 1: made_on='2025-13-01'",
        ),
        ("r.csv", b"id,reporter\nR1,P1\n", "r.csv: "),
        (
            "r.csv",
            b"id,reporter,matter,began_on,made_on\nR1,P1,M1,2025-10-01,2025-10-02\nR2,P1,M2,2025-10-01,2025-10-02\n",
            "r.csv: matter=['M1', 'M2']: a file must hold the reports of one matter",
        ),
    ],
    ids=[
        "json-syntax",
        "json-application",
        "not-utf8",
        "too-deep",
        "empty",
        "csv-bad-row",
        "csv-header",
        "csv-two-matters",
    ],
)
def test_officer_upload_refusals_name_the_file_and_the_place(
    client: httpx.Client, name: str, content: bytes, message: str
) -> None:
    """A bad upload is a 400 beside the file input, naming the file and where in it the problem is."""
    response = _upload(client, name, content)
    assert response.status_code == 400
    ((linked, summary),) = _errors(response)
    assert linked == "upload"
    assert summary.startswith(message)


def test_officer_csv_needs_the_applicant_and_date_from_the_form(client: httpx.Client) -> None:
    """A CSV holds reports only: a missing applicant or date is named at its form field."""
    csv = b"id,reporter,matter,began_on,made_on\nR1,P1,M1,2025-10-01,2025-10-02\n"
    response = _upload(client, "r.csv", csv, applicant="")
    assert _errors(response) == [("applicant", "Applicant: applicant='': must be a non-empty string")]
    response = _upload(client, "r.csv", csv, made_on="")
    assert _errors(response)[0][0] == "made_on"


def test_officer_upload_is_bounded(client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file larger than the limit is refused, not read."""
    monkeypatch.setattr(pages, "MAX_UPLOAD", 100)
    response = _upload(client, "big.json", b" " * 101)
    assert _errors(response) == [("upload", "big.json: is larger than 100 bytes")]


def test_officer_json_upload_is_decided_as_the_library_decides(client: httpx.Client) -> None:
    """The uploaded application's letter is the library's letter for it, word for word."""
    data = json.dumps(application_to_mapping(example_application())).encode()
    response = _upload(client, "a.json", data)
    assert response.status_code == 200
    letter = re.search(r'<div class="govuk-inset-text" id="letter">(.*?)</div>', response.text, re.S)
    assert letter is not None
    expected = for_applicant(evaluate(example_application(), STATUTORY))
    assert letter[1].replace("&#39;", "'").replace("&#34;", '"') == expected


def test_add_row_keeps_what_was_typed_and_stops_at_the_limit(client: httpx.Client) -> None:
    """Adding a row keeps every value, focuses the new row, and no row is added past MAX_ROWS."""
    response = client.post("/officer", data=_officer(action="add-row"))
    assert response.status_code == 200
    assert 'id="reports-3-reporter"' in response.text
    assert 'value="P-1"' in response.text
    assert re.search(r'id="reports-3-reporter"[^>]*autofocus', response.text)
    response = client.post("/officer", data=_officer(action="add-row", rows=str(pages.MAX_ROWS)))
    assert f'id="reports-{pages.MAX_ROWS - 1}-reporter"' in response.text
    assert f'id="reports-{pages.MAX_ROWS}-reporter"' not in response.text
    assert 'id="add-row"' not in response.text
    response = client.post("/officer", data=_officer(action="add-row", rows="many"))
    assert 'id="reports-3-reporter"' in response.text


def _self_check(**fields: str) -> dict[str, str]:
    form = {
        "area": "statutory",
        "rows": "3",
        "apply_on-day": "28",
        "apply_on-month": "2",
        "apply_on-year": "2026",
        "reports-0-made_on-day": "29",
        "reports-0-made_on-month": "8",
        "reports-0-made_on-year": "2025",
        "reports-0-began_on-day": "22",
        "reports-0-began_on-month": "8",
        "reports-0-began_on-year": "2025",
        "reports-0-agency": "council",
    }
    form.update(fields)
    return form


def _two_more_reports() -> dict[str, str]:
    """Two more of the applicant's own reports, each within a month of its behaviour: three in all."""
    days = {1: ("15", "11", "1", "11"), 2: ("2", "2", "30", "1")}
    fields: dict[str, str] = {}
    for n, (made_day, made_month, began_day, began_month) in days.items():
        year = "2025" if made_month == "11" else "2026"
        fields |= {
            f"reports-{n}-made_on-day": made_day,
            f"reports-{n}-made_on-month": made_month,
            f"reports-{n}-made_on-year": year,
            f"reports-{n}-began_on-day": began_day,
            f"reports-{n}-began_on-month": began_month,
            f"reports-{n}-began_on-year": year,
            f"reports-{n}-agency": "council",
        }
    return fields


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"apply_on-day": "", "apply_on-month": "", "apply_on-year": ""},
            "apply_on-day",
            "Enter the date you would apply (made_on=None: is required)",
        ),
        (
            {"reports-0-made_on-month": "Aug"},
            "reports-0-made_on-day",
            (
                "Report 1: Enter the date you reported it as a real date, in numbers "
                "(reports[0].made_on='29/Aug/2025': is not a date written YYYY-MM-DD)"
            ),
        ),
        (
            {"reports-0-began_on-year": "25"},
            "reports-0-began_on-day",
            (
                "Report 1: Enter the date of the behaviour as a real date, in numbers "
                "(reports[0].incident.began_on='22/8/25'"
            ),
        ),
        (
            {"reports-0-agency": "a friend"},
            "reports-0-agency",
            "Report 1: choose who you reported it to (reports[0].agency='a friend': must be one of council",
        ),
        (
            {f"reports-0-{n}-{p}": "" for n in ("made_on", "began_on") for p in ("day", "month", "year")},
            "reports-0-made_on-day",
            "Enter the date of at least one of your reports",
        ),
        (
            {
                "area": "merseyside",
                "apply_on-year": "2001",
                "reports-0-made_on-year": "2000",
                "reports-0-began_on-year": "2000",
            },
            "area",
            "merseyside=datetime.date(2001, 2, 28)",
        ),
    ],
    ids=["no-apply-date", "month-in-words", "two-digit-year", "unknown-agency", "no-reports", "no-policy"],
)
def test_self_check_refusals_name_the_field(
    client: httpx.Client, fields: dict[str, str], field: str, message: str
) -> None:
    """Each bad input is a 400 with the library's message, linked to the first input of its field."""
    response = client.post("/self-check", data=_self_check(**fields))
    assert response.status_code == 400
    ((linked, summary),) = _errors(response)
    assert (linked, summary[: len(message)]) == (field, message)
    assert f'id="{field}"' in response.text
    assert _inline(response, field) == summary


@pytest.mark.parametrize("path", ["/", "/officer", "/self-check"])
def test_every_page_says_no_store_and_sets_no_cookie(client: httpx.Client, path: str) -> None:
    """Nothing a page shows is kept by the server, nor by a cache on the way."""
    response = client.get(path)
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_the_officer_page_names_the_policy_version_that_decided(client: httpx.Client) -> None:
    """The decision shows the policy's title and the version in force on the day decided."""
    response = client.post("/officer", data=_officer())
    assert f"{STATUTORY.title}, version {STATUTORY.version}" in response.text


def test_browser_tests_say_how_to_install_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without Chromium the reason names the install; ASB_REQUIRE_BROWSER=1 turns the skip into a failure."""
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    reason = browser.unavailable()
    assert reason is not None
    assert reason.endswith("apt-get install -y chromium")
    from tests import test_pages_browser  # noqa: PLC0415 - its helper, with the patched browser module

    # As on a developer's machine (CI sets ASB_REQUIRE_BROWSER=1 for the whole run).
    monkeypatch.setattr(browser, "REQUIRED", False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        test_pages_browser._needs_browser()
    monkeypatch.setattr(browser, "REQUIRED", True)
    with pytest.raises(pytest.fail.Exception, match="ASB_REQUIRE_BROWSER=1 but Chromium is not installed"):
        test_pages_browser._needs_browser()


def test_self_check_stores_nothing_and_offers_today(client: httpx.Client) -> None:
    """Every page is no-store; the empty self-check offers today's London date to apply on."""
    response = client.get("/self-check")
    assert response.headers["cache-control"] == "no-store"
    today = pages._today()
    offered = re.search(r'id="apply_on-year"[^>]*value="(\d+)"', response.text, re.S)
    assert offered is not None
    assert offered[1] == str(today.year)
    posted = client.post("/self-check", data=_self_check())
    assert posted.status_code == 200
    assert posted.headers["cache-control"] == "no-store"
    assert "set-cookie" not in posted.headers


def test_the_self_check_answer_is_the_librarys_letter(client: httpx.Client) -> None:
    """The answer quotes the library's letter on the applicant's own reports; it says the council decides."""
    response = client.post("/self-check", data=_self_check(area="merseyside"))
    assert response.status_code == 200
    assert "Your reports alone would not meet the threshold" in response.text
    assert "The council and its partners decide" in response.text
    assert "hate incident/crime" in response.text.replace("&#34;", '"')
    # A self-check decides nothing: no decision to have reviewed, no next steps of an application.
    letter = re.search(r'<p class="govuk-body" id="letter">(.*?)</p>', response.text, re.S)
    assert letter is not None
    assert letter[1].startswith("Your application of 28 February 2026 does not meet the threshold")
    assert "reviewed" not in letter[1]
    assert "What happens next" not in letter[1]
    met = client.post("/self-check", data=_self_check(**_two_more_reports()))
    assert "Your reports alone would meet the threshold" in met.text
    met_letter = re.search(r'<p class="govuk-body" id="letter">(.*?)</p>', met.text, re.S)
    assert met_letter is not None
    assert "meets the threshold" in met_letter[1]
    assert "What happens next" not in met_letter[1]


def test_pages_work_unstyled_and_say_how_to_fetch_the_styles(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without GOV.UK Frontend the pages link no stylesheet of it and name the command that fetches it."""
    monkeypatch.setattr(pages, "vendored", lambda: False)
    response = client.get("/officer")
    assert response.status_code == 200
    assert "govuk-frontend.min.css" not in response.text
    assert "python -m asb_case_review.serve.assets" in response.text


def test_the_picture_is_left_out_with_a_reason_without_matplotlib(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where matplotlib cannot be imported, the decision is still shown and the page says what to install."""
    monkeypatch.setitem(sys.modules, "matplotlib.dates", None)
    response = client.post("/officer", data=_officer())
    assert response.status_code == 200
    assert 'id="timeline"' not in response.text
    assert "The timeline picture needs matplotlib" in response.text


def test_static_files_are_only_the_listed_ones(client: httpx.Client) -> None:
    """The pages' own files are served; anything else, such as a path out of the folder, is 404."""
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/../pages.py").status_code == 404
    assert client.get("/static/govuk/VERSION").status_code == 404
    assert client.get("/").status_code == 200


# --------------------------------------------------------------------------- fetching GOV.UK Frontend


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _package(data: bytes, files: dict[str, str]) -> assets.NpmPackage:
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    return assets.NpmPackage("demo", "1.0.0", f"sha512-{digest}", files)


def test_fetch_checks_the_integrity_hash_and_writes_only_the_chosen_files(tmp_path: Path) -> None:
    """The pinned hash must match; only the listed files are written; the version is recorded."""
    data = _tarball({"package/a.css": b"css", "package/other.js": b"js"})
    package = _package(data, {"package/a.css": "a.css"})
    assert repr(package) == "NpmPackage('demo', '1.0.0')"
    assert package.url == "https://registry.npmjs.org/demo/-/demo-1.0.0.tgz"
    assert not assets.vendored(tmp_path, package)
    written = assets.fetch(package, tmp_path, download=lambda url: data)
    assert written == (tmp_path / "a.css",)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["VERSION", "a.css"]
    assert assets.vendored(tmp_path, package)
    tampered = data + b"\0"
    with pytest.raises(ValueError, match="is not the pinned sha512-"):
        assets.fetch(package, tmp_path / "again", download=lambda url: tampered)
    assert not (tmp_path / "again").exists()
    missing = _package(data, {"package/absent.css": "absent.css"})
    with pytest.raises(ValueError, match=r"package/absent.css is not a file in the package"):
        assets.fetch(missing, tmp_path / "missing", download=lambda url: data)


def test_the_pinned_govuk_frontend_is_what_the_pages_use(capsys: pytest.CaptureFixture[str]) -> None:
    """The command fetches nothing when the pinned files are there, and refuses unknown arguments."""
    if not assets.vendored():
        pytest.skip("GOV.UK Frontend is not fetched here: python -m asb_case_review.serve.assets")
    assert assets.main([]) == 0
    assert "is already in" in capsys.readouterr().out
    assert assets.main(["--now"]) == 2


def test_the_command_reports_a_failed_fetch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the registry the command says so and exits 1; the pages then stay unstyled."""

    def offline(url: str) -> bytes:
        raise OSError("network is unreachable")

    monkeypatch.setattr(assets, "_download", offline)
    monkeypatch.setattr(assets, "VENDORED", tmp_path)
    assert assets.main(["--force"]) == 1
    assert "cannot fetch govuk-frontend: network is unreachable" in capsys.readouterr().err


def test_the_command_writes_the_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the registry's tarball, the command writes the files where the pages read them."""
    files = dict.fromkeys(assets.GOVUK_FRONTEND.files, b"x")
    data = _tarball(files)
    pinned = _package(data, assets.GOVUK_FRONTEND.files)
    pinned.name, pinned.version = assets.GOVUK_FRONTEND.name, assets.GOVUK_FRONTEND.version
    monkeypatch.setattr(assets, "GOVUK_FRONTEND", pinned)
    monkeypatch.setattr(assets, "VENDORED", tmp_path)
    monkeypatch.setattr(assets, "_download", lambda url: data)
    monkeypatch.setattr(assets, "vendored", lambda: False)
    assert assets.main([]) == 0
    assert "written to" in capsys.readouterr().out
    assert (tmp_path / "govuk-frontend.min.css").read_bytes() == b"x"


def _build_hook(root: Path) -> Any:
    """hatch_build.py's hook, for a copy of the project at *root*."""
    spec = importlib.util.spec_from_file_location("_hatch_build", ROOT / "hatch_build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.VendorGovukFrontend(str(root), {}, None, None, str(root / "dist"), "wheel")


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self


def test_the_build_hook_vendors_govuk_frontend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A build fetches the pinned files, hash-checked, beside the pages; a second build fetches nothing."""
    data = _tarball(dict.fromkeys(assets.GOVUK_FRONTEND.files, b"/* css or js */"))
    stand_in = _package(data, {})
    serve = tmp_path / "src" / "asb_case_review" / "serve"
    serve.mkdir(parents=True)
    # The project's assets module, pinned to the stand-in tarball's hash instead of the registry's.
    text = Path(assets.__file__).read_text(encoding="utf-8")
    (serve / "assets.py").write_text(text.replace(assets.GOVUK_FRONTEND.integrity, stand_in.integrity))
    asked: list[str] = []

    def registry(url: str, timeout: float) -> _Response:
        asked.append(url)
        return _Response(data)

    monkeypatch.setattr(urllib.request, "urlopen", registry)
    _build_hook(tmp_path).initialize("standard", {})
    assert asked == [assets.GOVUK_FRONTEND.url]
    assert sorted(p.name for p in (serve / "static" / "govuk").iterdir()) == [
        "VERSION",
        "govuk-frontend.min.css",
        "govuk-frontend.min.js",
    ]
    _build_hook(tmp_path).initialize("standard", {})
    assert len(asked) == 1


def test_the_build_goes_on_unstyled_without_the_registry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where the registry cannot be reached the build is not stopped; it says how to fetch the files later."""
    serve = tmp_path / "src" / "asb_case_review" / "serve"
    serve.mkdir(parents=True)
    shutil.copy(assets.__file__, serve / "assets.py")

    def offline(url: str, timeout: float) -> _Response:
        raise OSError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    _build_hook(tmp_path).initialize("editable", {})
    assert "python -m asb_case_review.serve.assets" in capsys.readouterr().err
    assert not (serve / "static" / "govuk").exists()
