"""The JSON API (``asb-case-review serve``): the library's answers and errors over HTTP, end to end."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from asb_case_review import cli
from asb_case_review.serve import api as api_module
from asb_case_review.serve import create_app

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
OPENAPI = ROOT / "docs" / "openapi.json"
APPLICATIONS = sorted(p.name for p in EXAMPLES.glob("*.json") if p.name != "expected.json")
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as made:
        yield made


def example(name: str = "met-statutory.json") -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def run_cli(*argv: str) -> tuple[int, str, str]:
    """The command line's exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def synthetic(count: int, seed: int = 3) -> str:
    return run_cli("synthetic", str(count), "--seed", str(seed))[1]


def problem(response: Any, status: int) -> str:
    """The detail of a problem response, checked to be one."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    detail: str = body["detail"]
    return detail


def test_the_core_and_the_command_line_import_no_server() -> None:
    """FastAPI and uvicorn are loaded by `serve` and create_app alone, not by the library or the CLI."""
    code = (
        "import sys; from asb_case_review import cli; cli.main(['check', '--example']); "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert ran.stdout.splitlines()[-1] == "[]"


# ------------------------------------------------------------------ the same answers as the CLI


@pytest.mark.parametrize("name", APPLICATIONS)
@pytest.mark.parametrize("policy", ["statutory", "merseyside", "my-council.toml"])
def test_decision_record_is_the_one_check_writes(client: TestClient, name: str, policy: str) -> None:
    """POST /api/decide gives exactly the JSON `check --format json` writes, built in or a policy file."""
    body: dict[str, Any] = {"application": example(name)}
    argv = ["check", str(EXAMPLES / name), "--format", "json"]
    if policy.endswith(".toml"):
        body["policy_file"] = (EXAMPLES / policy).read_text(encoding="utf-8")
        argv += ["--policy", str(EXAMPLES / policy)]
    else:
        body["policy"] = policy
        argv += ["--policy", policy]
    response = client.post("/api/decide", json=body)
    assert response.status_code == 200
    assert response.json() == json.loads(run_cli(*argv)[1])
    applicant = client.post("/api/decide?for=applicant", json=body)
    assert applicant.json() == json.loads(run_cli(*argv, "--for", "applicant")[1])


def test_officer_text_and_letter_are_the_ones_check_prints(client: TestClient) -> None:
    """The officer's text is `check`'s; the letter is `check --for applicant`'s, unwrapped."""
    body = {"application": example("not-met-near-miss.json"), "as_of": "2026-03-31"}
    path = str(EXAMPLES / "not-met-near-miss.json")
    officer = client.post("/api/decide/officer", json=body)
    assert officer.headers["content-type"] == "text/plain; charset=utf-8"
    assert officer.text + "\n" == run_cli("check", path, "--as-of", "2026-03-31")[1]
    letter = client.post("/api/decide/letter", json=body)
    printed = run_cli("check", path, "--as-of", "2026-03-31", "--for", "applicant")[1]
    assert letter.text.split() == printed.split()
    assert "P-200" not in letter.text


def test_report_floor_only_follows_the_policy_as_written(client: TestClient) -> None:
    """report_floor_only is `--report-floor-only`: the same record as the CLI's."""
    name = "met-personal-local.json"
    body = {"application": example(name), "policy": "staffordshire-moorlands", "report_floor_only": True}
    argv = ["check", str(EXAMPLES / name), "--policy", "staffordshire-moorlands", "--format", "json"]
    assert client.post("/api/decide", json=body).json() == json.loads(
        run_cli(*argv, "--report-floor-only")[1]
    )


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_timeline_picture_is_drawn_and_names_no_one_for_the_applicant(client: TestClient, kind: str) -> None:
    """The timeline comes as PNG or SVG; the applicant's names no other reporter."""
    body = {"application": example()}
    officer = client.post(f"/api/decide/timeline?format={kind}", json=body)
    applicant = client.post(f"/api/decide/timeline?format={kind}&for=applicant", json=body)
    assert officer.status_code == applicant.status_code == 200
    if kind == "png":
        assert officer.headers["content-type"] == "image/png"
        assert officer.content.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert officer.headers["content-type"] == "image/svg+xml"
        assert b"<svg" in officer.content
        assert b"P-200" in officer.content
        assert b"P-200" not in applicant.content


def test_timeline_without_the_plot_extra_is_a_4xx_naming_it(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib the picture is a 406 that says which extra to install; the rest still works."""
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    response = client.post("/api/decide/timeline", json={"application": example()})
    detail = problem(response, 406)
    assert "pip install 'asb-case-review[plot]'" in detail
    assert client.post("/api/decide", json={"application": example()}).status_code == 200


def test_policy_list_is_the_one_policies_list_writes(client: TestClient) -> None:
    """GET /api/policies gives the rows of `policies list --format json`, with the same filters."""
    assert client.get("/api/policies").json() == json.loads(
        run_cli("policies", "list", "--format", "json")[1]
    )
    filtered = client.get("/api/policies?region=Wales&feature=hate_route&feature=agency_list").json()
    argv = ["--region", "Wales", "--feature", "hate_route", "--feature", "agency_list"]
    assert filtered == json.loads(run_cli("policies", "list", "--format", "json", *argv)[1])
    assert filtered
    councils = client.get("/api/policies?body=council").json()
    assert councils == json.loads(run_cli("policies", "list", "--format", "json", "--body", "council")[1])


def test_policy_shows_its_file_and_its_findings(client: TestClient) -> None:
    """GET /api/policies/NAME: the policy as `policies show` writes it, with `policies check`'s findings."""
    shown = client.get("/api/policies/merseyside").json()
    assert shown["policy"] == json.loads(run_cli("policies", "show", "merseyside", "--format", "json")[1])
    checked = run_cli("policies", "check", "merseyside")[1].splitlines()
    assert checked[0] == f"merseyside: {len(shown['findings'])} findings"
    finding = shown["findings"][0]
    assert f"  {finding['severity']}: {finding['path']}: {finding['message']}" in checked[1]
    assert finding["source"]["cite"] in checked[1]
    assert any(f["example"] is not None for f in shown["findings"])
    detail = problem(client.get("/api/policies/mersey"), 404)
    assert (
        detail
        == "name='mersey': is not a built-in policy; did you mean 'merseyside'? GET /api/policies lists them"
    )


def test_policy_file_is_checked_as_the_cli_checks_it(client: TestClient) -> None:
    """POST /api/policy-check reads a policy file's text and gives its findings, or the CLI's error."""
    text = (EXAMPLES / "my-council.toml").read_text(encoding="utf-8")
    checked = client.post("/api/policy-check", json={"policy_file": text}).json()
    assert checked["id"] == "my-council"
    printed = run_cli("policies", "check", str(EXAMPLES / "my-council.toml"))[1]
    assert printed.startswith(f"my-council: {len(checked['findings'])} finding")
    bad = text.replace("at_least = 3", "at_least = 0", 1)
    detail = problem(client.post("/api/policy-check", json={"policy_file": bad}), 422)
    assert detail.startswith("policy_file: ")
    assert "at_least=0" in detail


def test_bad_policy_file_gets_the_cli_message(client: TestClient, tmp_path: Path) -> None:
    """A malformed policy file is refused with the message the CLI prints, the file named policy_file."""
    bad = (EXAMPLES / "my-council.toml").read_text(encoding="utf-8").replace("months = 6", "months = -1", 1)
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    detail = problem(client.post("/api/decide", json={"application": example(), "policy_file": bad}), 422)
    code, _, err = run_cli("check", str(EXAMPLES / "met-statutory.json"), "--policy", str(path))
    assert code == 2
    assert err == f"asb-case-review: {detail.replace('policy_file', str(path), 1)}\n"


def test_cases_file_runs_as_the_test_command_runs_it(client: TestClient) -> None:
    """POST /api/cases/run gives `asb-case-review test`'s summary, and each case's result."""
    cases = (EXAMPLES / "my-council.cases.toml").read_text(encoding="utf-8")
    policy = (EXAMPLES / "my-council.toml").read_text(encoding="utf-8")
    run = client.post("/api/cases/run", json={"cases": cases, "policy_file": policy}).json()
    code, printed, _ = run_cli("test", str(EXAMPLES / "my-council.cases.toml"))
    assert run["summary"] + "\n" == printed
    assert run["passed"] is (code == 0)
    assert all(r["passed"] for r in run["results"])
    builtin = (ROOT / "src/asb_case_review/catalogue/merseyside.cases.toml").read_text(encoding="utf-8")
    assert client.post("/api/cases/run", json={"cases": builtin}).json()["passed"] is True
    detail = problem(client.post("/api/cases/run", json={"cases": cases}), 422)
    assert detail == "cases.policy='my-council.toml': names a policy file: send its text as policy_file"


def test_sweep_and_compare_give_the_cli_rows(client: TestClient, tmp_path: Path) -> None:
    """POST /api/sweep and /api/compare over an uploaded CSV give the rows the commands write."""
    text = synthetic(1_200)
    path = tmp_path / "reports.csv"
    path.write_text(text, encoding="utf-8")
    csv_body: dict[str, Any] = {
        "content": text.encode(),
        "headers": {"Content-Type": "text/csv; charset=utf-8"},
    }
    swept = client.post("/api/sweep?policy=merseyside&policy=statutory&fact=no_action_taken=yes", **csv_body)
    argv = [
        "--policy",
        "merseyside",
        "--policy",
        "statutory",
        "--fact",
        "no_action_taken=yes",
        "--no-progress",
    ]
    assert swept.headers["content-type"] == "text/csv; charset=utf-8"
    assert swept.text == run_cli("sweep", str(path), *argv)[1]
    standings = client.post("/api/sweep?standings=true&format=json", **csv_body).json()
    cli_json = json.loads(run_cli("sweep", str(path), "--standings", "--format", "json")[1])
    assert standings.pop("skipped") == []
    assert standings == cli_json  # the audit fields and the rows
    for show in ("summary", "flips", "conflicts"):
        compared = client.post(f"/api/compare?policy=statutory&policy=merseyside&show={show}", **csv_body)
        cli_rows = run_cli(
            "compare", str(path), "--policy", "statutory", "--policy", "merseyside", "--show", show
        )
        assert compared.text.rstrip("\n") == cli_rows[1].rstrip("\n")


@pytest.mark.parametrize("show", ["flips", "conflicts"])
def test_an_empty_comparison_view_keeps_its_header_as_the_cli_does(
    client: TestClient, tmp_path: Path, show: str
) -> None:
    """One policy flips against nothing and the statute never conflicts with itself: the header alone."""
    text = synthetic(30)
    path = tmp_path / "reports.csv"
    path.write_text(text, encoding="utf-8")
    answer = client.post(
        f"/api/compare?policy=statutory&show={show}", content=text, headers={"Content-Type": "text/csv"}
    )
    printed = run_cli("compare", str(path), "--policy", "statutory", "--show", show)[1]
    assert answer.status_code == 200
    assert len(answer.text.splitlines()) == 1  # the header, no row
    assert answer.text.rstrip("\n") == printed.rstrip("\n")


def test_sweep_edges_match_the_cli(client: TestClient, tmp_path: Path) -> None:
    """A CSV of a header alone sweeps to nothing, as the command does; a bad fact is named."""
    header = synthetic(1).splitlines()[0] + "\n"
    path = tmp_path / "empty.csv"
    path.write_text(header, encoding="utf-8")
    empty = client.post("/api/sweep", content=header, headers={"Content-Type": "text/csv"})
    assert (empty.status_code, empty.text) == (200, "")
    assert run_cli("sweep", str(path))[1] == ""
    detail = problem(
        client.post("/api/sweep?fact=sunny", content=header, headers={"Content-Type": "text/csv"}), 422
    )
    assert detail == "fact='sunny': write NAME=yes or NAME=no"


def test_bad_rows_are_named_by_row_and_skipped_only_when_asked(client: TestClient) -> None:
    """A bad row stops the upload with its row number; skip_bad_rows lists it and keeps the rest."""
    lines = synthetic(30).splitlines()
    lines[3] = lines[3].replace("2023-", "2023/", 1)
    text = "\n".join(lines) + "\n"
    headers = {"Content-Type": "text/csv"}
    detail = problem(client.post("/api/sweep", content=text, headers=headers), 422)
    assert detail.startswith("row 3: ")
    kept = client.post("/api/sweep?skip_bad_rows=true&format=json", content=text, headers=headers).json()
    assert [s.split(":")[0] for s in kept["skipped"]] == ["row 3"]
    assert len(kept["rows"]) == 29
    csv_refused = problem(client.post("/api/compare?skip_bad_rows=true", content=text, headers=headers), 422)
    assert "format=json" in csv_refused


# ------------------------------------------------------------------ bad input: the library's named errors


def _bad_applications() -> list[tuple[str, Any]]:
    def edit(change: Any) -> Any:
        data = example("not-met-near-miss.json")
        change(data)
        return data

    return [
        ("bad-date", json.loads((EXAMPLES / "invalid" / "bad-date.json").read_text(encoding="utf-8"))),
        ("unknown-key", edit(lambda d: d.update(colour="red"))),
        ("no-reports", edit(lambda d: d.pop("reports"))),
        ("unknown-incident", edit(lambda d: d["reports"][0].update(incident="NOPE"))),
        ("naive-datetime", edit(lambda d: d["reports"][1].update(made_on="2025-10-01T10:00:00"))),
        ("report-before-incident", edit(lambda d: d["reports"][0].update(made_on="2020-01-01"))),
        ("not-an-object", [1, 2]),
    ]


@pytest.mark.parametrize(("name", "data"), _bad_applications(), ids=[n for n, _ in _bad_applications()])
def test_bad_application_gets_the_cli_message(
    client: TestClient, tmp_path: Path, name: str, data: Any
) -> None:
    """A bad application is a 422 whose detail is the message `check` prints after the file name."""
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    detail = problem(client.post("/api/decide", json={"application": data}), 422)
    code, _, err = run_cli("check", str(path))
    assert code == 2
    assert err == f"asb-case-review: {path}: {detail}\n"


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({}, 422, "application=None: is required"),
        ({"application": {}, "colour": 1}, 422, "colour=1: is not a known key; known keys: application, "),
        ({"application": example(), "policy": 3}, 422, "policy=3: must be a string"),
        (
            {"application": example(), "policy": "statutory", "policy_file": "x"},
            422,
            "policy_file='...': give policy",
        ),
        (
            {"application": example(), "policy_format": "yaml"},
            422,
            "policy_format='yaml': must be 'toml' or 'json'",
        ),
        ({"application": example(), "as_of": "31/03/2026"}, 422, "as_of='31/03/2026': "),
        (
            {"application": example(), "report_floor_only": "yes"},
            422,
            "report_floor_only='yes': must be true or",
        ),
        ({"application": example(), "as_of": "2001-01-01"}, 422, "no version"),
    ],
    ids=["missing", "unknown-key", "policy-type", "both-policies", "format", "as-of", "flag", "no-version"],
)
def test_bad_request_fields_are_named(client: TestClient, body: Any, status: int, detail: str) -> None:
    """Every field of the request envelope is checked, and the error names it and its value."""
    if detail == "no version":
        body = {**body, "policy": "merseyside"}
    found = problem(client.post("/api/decide", json=body), status)
    assert detail in found, found


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/decide?for=bob", 422, "for='bob': must be 'officer' or 'applicant'"),
        ("/api/decide/timeline?format=gif", 422, "format='gif': must be 'png' or 'svg'"),
        ("/api/policies?region=Atlantis", 422, "region='Atlantis': must be "),
        ("/api/nowhere", 404, "POST /api/nowhere: Not Found"),
    ],
)
def test_bad_query_parameters_are_named(client: TestClient, path: str, status: int, detail: str) -> None:
    """A bad query parameter (or path) is a problem naming it, in the library's form."""
    body = {"application": example()}
    response = client.get(path) if "policies" in path else client.post(path, json=body)
    found = problem(response, status)
    assert found.startswith(detail), found


def test_pages_keep_fastapi_errors() -> None:
    """Outside /api, a missing page or a bad query is FastAPI's own answer, not the API's problem."""
    app = create_app()

    @app.get("/a-page")
    def a_page(n: int) -> int:
        return n

    pages = TestClient(app)
    missing = pages.get("/no-such-page")
    assert missing.status_code == 404
    assert missing.headers["content-type"] != PROBLEM
    bad = pages.get("/a-page?n=x")
    assert (bad.status_code, bad.headers["content-type"]) == (422, "application/json")
    assert bad.json()["detail"][0]["loc"] == ["query", "n"]


@pytest.mark.parametrize(
    ("content", "headers", "status", "detail"),
    [
        (b'{"application": ', {"Content-Type": "application/json"}, 400, "line 1: not valid JSON: "),
        (b'{"a": 1, "a": 2}', {"Content-Type": "application/json"}, 400, "the key 'a' is given twice"),
        (
            b'{"a": "\xff"}',
            {"Content-Type": "application/json"},
            400,
            "not UTF-8 text: invalid start byte at byte 7",
        ),
        (b"{}", {"Content-Type": "text/plain"}, 415, "Content-Type='text/plain': must be application/json"),
        (b"{}", {}, 415, "Content-Type='': must be application/json"),
        (
            b"{}",
            {"Content-Type": "application/json; charset=latin-1"},
            415,
            "charset='latin-1': must be utf-8",
        ),
        (b"[]", {"Content-Type": "application/json"}, 422, "the request=[]: must be an object"),
    ],
    ids=["truncated", "duplicate-key", "not-utf8", "text", "no-type", "latin-1", "list"],
)
def test_bad_bodies_are_4xx_naming_the_problem(
    client: TestClient, content: bytes, headers: dict[str, str], status: int, detail: str
) -> None:
    """A body that is not UTF-8 JSON of an object, or not labelled so, is refused and the reason named."""
    assert detail in problem(client.post("/api/decide", content=content, headers=headers), status)


@pytest.mark.parametrize(
    "content", [b'{"application": ', b'{"application": "\xff"}'], ids=["truncated", "not-utf8"]
)
def test_unreadable_body_gets_the_cli_message(client: TestClient, tmp_path: Path, content: bytes) -> None:
    """A body that is not JSON, or not UTF-8, is refused with the words `check` uses for such a file."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    detail = problem(
        client.post("/api/decide", content=content, headers={"Content-Type": "application/json"}), 400
    )
    assert run_cli("check", str(path))[2] == f"asb-case-review: {path}: {detail}\n"


def test_charset_in_any_case_is_accepted(client: TestClient) -> None:
    """application/json with charset=UTF-8 (Java's spelling) or utf-8 (.NET's) is read."""
    data = json.dumps({"application": example()}).encode()
    for header in ("application/json; charset=UTF-8", 'Application/JSON; charset="utf-8"'):
        assert client.post("/api/decide", content=data, headers={"Content-Type": header}).status_code == 200


# ------------------------------------------------------------------ limits


def test_limits_are_refused_by_name() -> None:
    """Bodies over max_body or max_upload are 413, nesting past max_depth is 400."""
    small = TestClient(create_app(max_body=2_000, max_upload=5_000, max_depth=3))
    big = {"application": example(), "policy": "x" * 3_000}
    assert "limit of 2,000 bytes" in problem(small.post("/api/decide", json=big), 413)
    chunked = small.post("/api/sweep", content=iter([b"x" * 4_000] * 2), headers={"Content-Type": "text/csv"})
    assert "limit of 5,000 bytes" in problem(chunked, 413)
    assert "limit of 5,000 bytes" in problem(small.post("/api/sweep", content=b"x" * 6_000), 413)
    deep: dict[str, Any] = {"application": {"reports": [{"incident": {"id": []}}]}}
    assert "nest more than 3 deep" in problem(small.post("/api/decide", json=deep), 400)


def test_work_past_the_time_limit_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work that outlasts time_limit is abandoned with a 503 naming the limit.

    The work is made slow on purpose (reading the upload waits a second), so the test does not
    depend on how fast this machine sweeps: a real 40-report sweep can finish inside a millisecond.
    """
    read = api_module._table

    def slow_read(raw: bytes, *, skip: bool) -> Any:
        time.sleep(1.0)
        return read(raw, skip=skip)

    monkeypatch.setattr(api_module, "_table", slow_read)
    hurried = TestClient(create_app(time_limit=0.05))
    slow = hurried.post("/api/sweep", content=synthetic(40), headers={"Content-Type": "text/csv"})
    assert problem(slow, 503) == "the request took longer than the time limit of 0.05 seconds"


@pytest.mark.parametrize(
    ("option", "value", "detail"),
    [
        ("max_body", 0, "max_body=0: must be a whole number of at least 1"),
        ("max_upload", 1.5, "max_upload=1.5: must be a whole number of at least 1"),
        ("max_depth", 101, "max_depth=101: must be from 1 to 100"),
        ("time_limit", 0, "time_limit=0: must be a number of seconds above 0 and below a day"),
    ],
)
def test_limits_themselves_are_checked(option: str, value: Any, detail: str) -> None:
    """A limit that makes no sense is refused by create_app, naming it."""
    with pytest.raises(ValueError, match="^" + detail.replace("(", r"\(").replace(")", r"\)") + "$"):
        create_app(**{option: value})


def test_serve_command_refuses_bad_limits_and_names_the_extra() -> None:
    """`asb-case-review serve` with a bad limit exits 2 naming it, before starting anything."""
    code, _, err = run_cli("serve", "--max-depth", "0")
    assert code == 2
    assert err == "asb-case-review: max_depth=0: must be a whole number of at least 1\n"
    code, _, err = run_cli("serve", "--port", "70000")
    assert (code, err) == (2, "asb-case-review: serve: --port=70000: must be from 0 to 65535\n")


# ------------------------------------------------------------------ stateless, and the log


def test_access_log_holds_method_path_status_and_time_only(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """One line per request, with no query string, body, header or address in it."""
    body = {"application": example()}
    with caplog.at_level(logging.INFO, logger="asb_case_review.serve"):
        client.post("/api/decide?for=applicant", json=body, headers={"X-Name": "Jane Doe"})
        client.post("/api/decide", json={"application": {"applicant": "Jane Doe"}})
    lines = [r.getMessage() for r in caplog.records if r.name == "asb_case_review.serve"]
    assert len(lines) == 2
    assert lines[0].startswith("POST /api/decide 200 ")
    assert lines[1].startswith("POST /api/decide 422 ")
    for line in lines:
        assert line.endswith("ms")
        for secret in ("applicant", "Jane", "P-100", "FLAT-9", "testclient", "X-Name"):
            assert secret not in line


def test_a_bug_is_a_500_that_shows_and_logs_no_content(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error is a plain 500 naming no input; the log holds only its type."""

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("P-100 secret")

    monkeypatch.setattr(api_module, "evaluate", broken)
    with caplog.at_level(logging.INFO, logger="asb_case_review.serve"):
        # The error reaches no further than the service: the server has no traceback to log.
        response = TestClient(create_app(), raise_server_exceptions=True).post(
            "/api/decide", json={"application": example()}
        )
    assert problem(response, 500) == "internal error (a bug, please report it)"
    assert "P-100" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_nothing_is_written_anywhere(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deciding, drawing and sweeping write no file, and the same request gets the same answer."""
    monkeypatch.chdir(tmp_path)
    body = {"application": example()}
    first = client.post("/api/decide", json=body).json()
    client.post("/api/decide/timeline?format=svg", json=body)
    client.post("/api/sweep", content=synthetic(20), headers={"Content-Type": "text/csv"})
    assert client.post("/api/decide", json=body).json() == first
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ hostile bodies never a 5xx

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
KEYS = ["application", "policy", "policy_file", "policy_format", "as_of", "report_floor_only", "cases"]


@st.composite
def hostile(draw: st.DrawFn) -> bytes:
    """A body: raw bytes, any JSON, or a near-valid request with one part broken."""
    kind = draw(st.sampled_from(["bytes", "json", "near"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "json":
        return json.dumps(draw(JSON_VALUES)).encode()
    body: dict[str, Any] = {"application": example("not-met-near-miss.json")}
    key = draw(st.sampled_from(KEYS))
    if key == "application":
        reports = body["application"]["reports"]
        index = draw(st.integers(0, len(reports) - 1))
        field = draw(st.sampled_from(sorted(reports[index])))
        reports[index][field] = draw(JSON_VALUES)
    else:
        body[key] = draw(JSON_VALUES | st.text())
    return json.dumps(body).encode()


ROUTES = ["/api/decide", "/api/decide/letter", "/api/decide/officer", "/api/policy-check", "/api/cases/run"]


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=st.sampled_from(ROUTES), body=hostile())
def test_hostile_bodies_get_a_4xx_with_a_message(client: TestClient, route: str, body: bytes) -> None:
    """Whatever is posted, the answer is a 200 or a 4xx problem with a message: never a 5xx."""
    response = client.post(route, content=body, headers={"Content-Type": "application/json"})
    if response.status_code != 200:
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["detail"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), route=st.sampled_from(["/api/sweep", "/api/compare"]))
def test_hostile_csv_gets_a_4xx_with_a_message(client: TestClient, text: str, route: str) -> None:
    """Any text uploaded as CSV is read, or refused with a 4xx naming the row or the header."""
    response = client.post(
        route, content=text.encode("utf-8", "surrogatepass"), headers={"Content-Type": "text/csv"}
    )
    if response.status_code != 200:
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["detail"]


# ------------------------------------------------------------------ the OpenAPI document


def openapi_text() -> str:
    return json.dumps(create_app().openapi(), indent=2, sort_keys=True) + "\n"


def test_published_openapi_document_is_current() -> None:
    """docs/openapi.json is the service's OpenAPI document (`python tests/test_serve_api.py` rewrites it)."""
    assert OPENAPI.read_text(encoding="utf-8") == openapi_text()


def test_openapi_document_is_served_and_lists_every_api_route(client: TestClient) -> None:
    """GET /openapi.json is the published document, and it covers every /api route and no page."""
    served = client.get("/openapi.json").json()
    assert served == json.loads(OPENAPI.read_text(encoding="utf-8"))
    api_paths = {r.path for r in api_module.router.routes if hasattr(r, "path")}
    assert set(served["paths"]) == api_paths
    assert "/" not in served["paths"]
    app = create_app()
    assert app.openapi() is app.openapi()


def test_serve_page_examples_are_real(client: TestClient) -> None:
    """docs/serve.md's request decides under Merseyside; its error is the answer to a 30 February date."""
    page = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
    request, error = (json.loads(b) for b in re.findall(r"^```json\n(.*?)^```$", page, re.S | re.M))
    decision = client.post("/api/decide", json=request).json()
    assert decision["policy"]["id"] == "merseyside"
    assert client.post("/api/decide/letter", json=request).status_code == 200
    assert client.post("/api/decide/timeline?format=svg", json=request).status_code == 200
    request["application"]["reports"][1]["made_on"] = "2025-02-30"
    assert client.post("/api/decide", json=request).json() == error
    line = re.search(r"^```text\n(.*?)\n```$", page, re.S | re.M)
    assert line is not None
    assert re.fullmatch(r"\S+ \S+ POST /api/decide 200 \d+\.\dms", line.group(1))


# ------------------------------------------------------------------ schemathesis, from the document

SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", create_app())
# Every phase (examples, the coverage of each keyword's edges, fuzzing) runs on every route but
# the letter, officer's text and picture, which read the same body as /api/decide and are slower
# (the picture is drawn): they get the examples and a few fuzzed cases.
EVERY_PHASE = SCHEMA.exclude(path_regex="^/api/decide/")
SAME_BODY = schemathesis.openapi.from_asgi("/openapi.json", create_app()).include(path_regex="^/api/decide/")
SAME_BODY.config.phases.update(phases=["examples", "fuzzing"])
# The schema states the shape of a request, not the law's own checks (a report made before the
# behaviour it reports, an incident no report names, a policy with no version in force on the
# day): a schema-valid request may still get a 422 naming the field, which the document lists.
# Every other check runs: no 5xx, documented status codes, content types and response schemas,
# schema-violating requests refused, and the Allow header of a 405.
CHECKS: dict[str, Any] = {"excluded_checks": [positive_data_acceptance]}


@EVERY_PHASE.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case[Any]) -> None:
    """Schemathesis: generated requests to every route get documented, well-formed answers."""
    case.call_and_validate(**CHECKS)


@SAME_BODY.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_decide_variants_conform_to_the_openapi_document(case: schemathesis.Case[Any]) -> None:
    """Schemathesis on the letter, officer's text and picture routes, with fewer cases."""
    case.call_and_validate(**CHECKS)


if __name__ == "__main__":
    OPENAPI.write_text(openapi_text(), encoding="utf-8")
    print(f"updated {OPENAPI.relative_to(ROOT)}")


# ------------------------------------------------------------------ headers on every response

_BODY = json.dumps({"application": example()}).encode()


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/", None, 200),
        ("GET", "/officer", None, 200),
        ("GET", "/self-check", None, 200),
        ("GET", "/no-such-page", None, 404),
        ("GET", "/openapi.json", None, 200),
        ("GET", "/api/health", None, 200),
        ("GET", "/api/policies", None, 200),
        ("POST", "/api/decide", _BODY, 200),
        ("POST", "/api/decide/letter", _BODY, 200),
        ("POST", "/api/decide", b"{not json", 400),
        ("GET", "/api/no-such-route", None, 404),
        ("POST", "/api/decide", b"x" * 3_000, 413),
        ("POST", "/api/sweep", synthetic(5).encode(), 200),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_response_is_nosniff_no_referrer_and_not_stored(
    method: str, path: str, body: bytes | None, status: int
) -> None:
    """Pages, the API's answers and its problems carry nosniff, no-referrer and no-store, each once."""
    app = TestClient(create_app(max_body=2_000 if status == 413 else 1_000_000))
    headers = {"Content-Type": "text/csv" if "sweep" in path else "application/json"}
    response = app.request(method, path, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert response.headers.get_list("referrer-policy") == ["no-referrer"]
    assert response.headers.get_list("cache-control") == ["no-store"]


def test_a_500_and_a_static_file_carry_the_headers_and_the_file_its_own_caching(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The access log's 500 is nosniff and no-store too; a static file keeps its public caching."""

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(api_module, "evaluate", broken)
    app = TestClient(create_app())
    failed = app.post("/api/decide", json={"application": example()})
    assert failed.status_code == 500
    assert (failed.headers["x-content-type-options"], failed.headers["cache-control"]) == (
        "nosniff",
        "no-store",
    )
    static = app.get("/static/app.css")
    assert static.status_code == 200
    assert static.headers.get_list("x-content-type-options") == ["nosniff"]
    assert static.headers.get_list("referrer-policy") == ["no-referrer"]
    assert static.headers.get_list("cache-control") == ["public, max-age=3600"]
