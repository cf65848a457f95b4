"""--floor-reading on the command line (check, batch check, sweep, compare) and floor_reading over HTTP."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pytest
from fastapi.testclient import TestClient

from asb_case_review import cli
from asb_case_review.catalogue import CATALOGUE, STATUTORY
from asb_case_review.decision import evaluate
from asb_case_review.examples import example_application
from asb_case_review.law.floor import FloorReading
from asb_case_review.policy import statutory_route
from asb_case_review.policyfile import dump
from asb_case_review.render import to_dict
from asb_case_review.serve import create_app

EXAMPLES = Path(__file__).parent.parent / "examples"
# Three qualifying complaints: met under the statute, not under a policy that asks for four.
THREE = EXAMPLES / "met-statutory.json"
FOUR = attrs.evolve(STATUTORY, id="four", title="Four qualifying complaints", mandatory=statutory_route(4))


def run(*argv: str) -> tuple[int, str, str]:
    """The command line's exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def four(tmp_path: Path) -> str:
    path = tmp_path / "four.toml"
    path.write_text(dump(FOUR), encoding="utf-8")
    return str(path)


def test_check_reads_the_floor_as_the_policys_number_or_at_most_three(four: str) -> None:
    """Under a policy asking for four, three complaints are not met by default and met at_most_three."""
    code, out, _ = run("check", str(THREE), "--policy", four, "--format", "json")
    assert (code, json.loads(out)["outcome"]) == (cli.EXIT_NOT_MET, "not_met")
    assert json.loads(out)["settings"]["statutory floor number"] == "policy_number"
    argv = ("check", str(THREE), "--policy", four, "--format", "json", "--floor-reading", "at_most_three")
    code, out, _ = run(*argv)
    decision = json.loads(out)
    assert (code, decision["outcome"], decision["route"]) == (cli.EXIT_MET, "met", "statutory_floor")
    assert decision["settings"]["statutory floor number"] == "at_most_three"


def test_a_batch_check_reads_the_floor_as_asked(four: str, tmp_path: Path) -> None:
    """Every application of a batch is decided under the floor reading given."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / THREE.name).write_bytes(THREE.read_bytes())
    for reading, outcome in (("policy_number", "not_met"), ("at_most_three", "met")):
        out = tmp_path / reading
        code, _, err = run(
            "check", str(folder), "--policy", four, "--out", str(out), "--floor-reading", reading
        )
        assert code == cli.EXIT_MET, err
        (decision,) = [json.loads(p.read_text()) for p in out.glob("*.json") if p.name != "summary.json"]
        assert decision["outcome"] == outcome


def _outcomes(text: str) -> list[str]:
    return [row["outcome"] for row in csv.DictReader(io.StringIO(text))]


def test_sweep_and_compare_read_the_floor_as_asked(four: str, tmp_path: Path) -> None:
    """At most three, a policy asking for four meets what the statute meets; by its own number, fewer."""
    reports = tmp_path / "reports.csv"
    reports.write_text(run("synthetic", "400", "--seed", "7")[1], encoding="utf-8")
    statute = _outcomes(run("sweep", str(reports), "--no-progress")[1])
    capped = _outcomes(run("sweep", str(reports), "--policy", four, "--floor-reading", "at_most_three")[1])
    own = _outcomes(run("sweep", str(reports), "--policy", four)[1])
    assert capped == statute
    assert own.count("met") < statute.count("met")
    compared = {}
    for reading in ("policy_number", "at_most_three"):
        code, out, _ = run(
            "compare", str(reports), "--policy", four, "--format", "json", "--floor-reading", reading
        )
        assert code == cli.EXIT_MET
        (row,) = json.loads(out)["rows"]
        compared[reading] = row["met"]
    assert compared == {"policy_number": own.count("met"), "at_most_three": statute.count("met")}


def test_an_unknown_floor_reading_is_a_usage_error_naming_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A reading that is not one is refused as every choice of the command line is, with exit 2."""
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", "--example", "--floor-reading", "three"])
    assert exited.value.code == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "argument --floor-reading: invalid choice: 'three'" in err
    assert "'policy_number', 'at_most_three'" in err


def test_the_service_takes_floor_reading_in_the_body_and_the_analysis_query() -> None:
    """POST /api/decide's floor_reading is --floor-reading's; a bad one is a 422 naming it."""
    client = TestClient(create_app())
    application = json.loads(THREE.read_text(encoding="utf-8"))
    body = {"application": application, "policy_file": dump(FOUR)}
    assert client.post("/api/decide", json=body).json()["outcome"] == "not_met"
    capped = client.post("/api/decide", json={**body, "floor_reading": "at_most_three"}).json()
    assert (capped["outcome"], capped["settings"]["statutory floor number"]) == ("met", "at_most_three")
    bad = client.post("/api/decide", json={**body, "floor_reading": "at_most_3"})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("floor_reading='at_most_3': is not a floor reading; did you mean")
    wrong = client.post(
        "/api/sweep?floor_reading=three", content=b"id\n", headers={"Content-Type": "text/csv"}
    )
    assert wrong.status_code == 422
    assert "floor_reading" in wrong.json()["detail"]


@pytest.mark.parametrize("command", ["check", "sweep", "compare"])
def test_bash_completes_the_floor_readings(command: str, tmp_path: Path) -> None:
    """`completion bash` completes --floor-reading's choices, as it does every choice."""
    pytest.importorskip("shtab")
    code, script, _ = run("completion", "bash")
    assert code == cli.EXIT_MET
    (tmp_path / "complete.sh").write_text(script, encoding="utf-8")
    words = ["asb-case-review", command, "--floor-reading", ""]
    probe = (
        f"source {tmp_path / 'complete.sh'}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        f"COMP_LINE={' '.join(words)!r}; COMP_POINT=${{#COMP_LINE}}\n"
        "_shtab_asb_case_review\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True, check=True)
    assert sorted(result.stdout.split()) == ["at_most_three", "policy_number"]


def test_a_policy_asking_for_three_or_fewer_is_decided_the_same_under_either_reading() -> None:
    """Each catalogue policy (none asks for more than three) decides alike; only the named setting differs."""
    application = example_application()
    for policy in CATALOGUE.values():
        assert policy.threshold <= 3
        own, capped = (evaluate(application, policy, floor_reading=r) for r in FloorReading)
        first, second = to_dict(own), to_dict(capped)
        assert first.pop("settings")["statutory floor number"] == "policy_number"
        assert second.pop("settings")["statutory floor number"] == "at_most_three"
        assert first == second, policy.id
    code, out, _ = run("check", str(THREE), "--floor-reading", "at_most_three")
    assert (code, out.replace("=at_most_three", "=policy_number")) == run("check", str(THREE))[:2]


def test_the_services_sweep_and_compare_read_the_floor_as_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """?floor_reading= on /api/sweep and /api/compare is the command line's --floor-reading."""
    from asb_case_review.catalogue import AREAS, read_area  # noqa: PLC0415 - only this test adds an area
    from asb_case_review.serve import api  # noqa: PLC0415

    # The service sweeps built-in policies only; none asks for more than three, so one is added.
    monkeypatch.setattr(api, "AREAS", {**AREAS, "four": read_area(dump(FOUR))})
    client = TestClient(create_app())
    reports = run("synthetic", "400", "--seed", "7")[1].encode()

    def post(path: str) -> Any:
        return client.post(path, content=reports, headers={"Content-Type": "text/csv"})

    statute = _outcomes(post("/api/sweep").text)
    for reading in ("policy_number", "at_most_three"):
        swept = post(f"/api/sweep?policy=four&floor_reading={reading}")
        assert swept.status_code == 200, swept.text
        outcomes = _outcomes(swept.text)
        if reading == "at_most_three":
            assert outcomes == statute
        else:
            assert outcomes.count("met") < statute.count("met")
        compared = post(f"/api/compare?policy=four&floor_reading={reading}&format=json")
        assert compared.json()["rows"][0]["met"] == outcomes.count("met")
    wrong = post("/api/compare?floor_reading=three")
    assert wrong.status_code == 422
    assert "floor_reading" in wrong.json()["detail"]


def test_compare_refuses_a_floor_reading_that_is_not_one_by_name() -> None:
    """compare(floor_reading=...) takes a FloorReading or its value, and names anything else."""
    from asb_case_review.analysis.compare import compare  # noqa: PLC0415 - the analysis extra
    from asb_case_review.analysis.synthetic import synthetic_reports  # noqa: PLC0415
    from asb_case_review.errors import InvalidInput  # noqa: PLC0415

    table = synthetic_reports(50, seed=2)
    by_value = compare(table, [FOUR], floor_reading="at_most_three")  # type: ignore[arg-type]
    assert by_value.view("summary") == compare(table, [FOUR], floor_reading=FloorReading.AT_MOST_THREE).view(
        "summary"
    )
    with pytest.raises(InvalidInput) as caught:
        compare(table, [FOUR], floor_reading="three")  # type: ignore[arg-type]
    assert str(caught.value) == "floor_reading='three': must be one of policy_number, at_most_three"
