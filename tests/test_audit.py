"""Every JSON output carries its audit fields and matches its published JSON Schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from asb_case_review import STATUTORY, __version__, cli, statutory_route
from asb_case_review.audit import SCHEMA_VERSION, policy_hash, policy_stamp, policy_text
from asb_case_review.catalogue import AREAS
from asb_case_review.policyfile import dump
from asb_case_review.schemas import SCHEMAS, schema_text

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
PUBLISHED = ROOT / "docs" / "schemas"
APPLICATIONS = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "expected.json")


def valid(name: str, data: object) -> None:
    """*data* matches schema *name* (the published file), or the first error is shown."""
    schema = json.loads((PUBLISHED / f"{name}.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, f"{name}: at {list(errors[0].absolute_path)}: {errors[0].message}"


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    cli.main(list(argv))
    return json.loads(capsys.readouterr().out)


def values(data: object) -> Iterator[object]:
    """Every value in a JSON document, at any depth."""
    if isinstance(data, dict):
        for value in data.values():
            yield value
            yield from values(value)
    elif isinstance(data, list):
        for value in data:
            yield value
            yield from values(value)


def test_the_published_schemas_are_current() -> None:
    """docs/schemas holds exactly what asb_case_review.schemas builds (python tools/schemas.py writes it)."""
    assert sorted(p.name for p in PUBLISHED.glob("*.json")) == sorted(f"{n}.schema.json" for n in SCHEMAS)
    for name in SCHEMAS:
        assert (PUBLISHED / f"{name}.schema.json").read_text(encoding="utf-8") == schema_text(name), name


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    """Each published schema is itself valid under the 2020-12 metaschema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])
    assert SCHEMAS[name]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", APPLICATIONS, ids=[p.stem for p in APPLICATIONS])
def test_example_applications_match_the_application_schema(path: Path) -> None:
    """Every example application is valid under the application schema."""
    valid("application", json.loads(path.read_text(encoding="utf-8")))


def test_the_application_schema_refuses_what_the_reader_refuses() -> None:
    """An unknown key, a missing report list or a fact that is not one fails the schema too."""
    good = json.loads((EXAMPLES / "met-statutory.json").read_text(encoding="utf-8"))
    schema = SCHEMAS["application"]
    for bad in ({**good, "colour": "red"}, {k: v for k, v in good.items() if k != "reports"},
                {**good, "facts": {"high_risk": True}}, {**good, "consent": "yes"}):  # fmt: skip
        assert not jsonschema.Draft202012Validator(schema).is_valid(bad)


def test_every_catalogue_policy_matches_the_policy_schema() -> None:
    """Every built-in policy, written as a JSON policy file, is valid under the policy schema."""
    for area in AREAS.values():
        valid("policy", json.loads(dump(area, format="json")))
    data = json.loads(dump(STATUTORY, format="json"))
    assert not jsonschema.Draft202012Validator(SCHEMAS["policy"]).is_valid({**data, "treshold": 3})


@pytest.mark.parametrize("path", APPLICATIONS, ids=[p.stem for p in APPLICATIONS])
@pytest.mark.parametrize("policy", ["statutory", "merseyside", "staffordshire-moorlands"])
def test_check_json_carries_the_audit_fields_and_matches_its_schema(
    capsys: pytest.CaptureFixture[str], path: Path, policy: str
) -> None:
    """check --format json, officer and applicant: schema and library version, policy id, version, hash."""
    officer = run_json(capsys, "check", str(path), "--policy", policy, "--format", "json")
    applicant = run_json(
        capsys, "check", str(path), "--policy", policy, "--format", "json", "--for", "applicant"
    )
    valid("decision", officer)
    valid("applicant-decision", applicant)
    for data in (officer, applicant):
        assert (data["schema_version"], data["library_version"]) == (SCHEMA_VERSION, __version__)
        assert data["policy"]["id"] == policy
        applied = AREAS[policy].version_on(dt.date.fromisoformat(data["as_of"]))
        assert (data["policy"]["version"], data["policy"]["sha256"]) == (
            applied.version,
            policy_hash(applied),
        )
        # The same name for the application date in both; no empty string stands for a missing value.
        assert data["as_of"] == json.loads(path.read_text(encoding="utf-8"))["made_on"]
        assert "" not in list(values(data))


def test_the_policy_hash_is_the_sha256_of_its_canonical_text() -> None:
    """The hash is SHA-256 of the policy's JSON file text, and changes when a rule changes."""
    assert policy_hash(STATUTORY) == hashlib.sha256(dump(STATUTORY, format="json").encode()).hexdigest()
    assert policy_text(STATUTORY) == dump(STATUTORY, format="json")
    changed = attrs.evolve(STATUTORY, mandatory=statutory_route(4))
    assert (changed.id, changed.version) == (STATUTORY.id, STATUTORY.version)
    assert policy_hash(changed) != policy_hash(STATUTORY)
    assert policy_stamp(STATUTORY) == {
        "id": "statutory",
        "version": "2014-10-20",
        "sha256": policy_hash(STATUTORY),
    }


@pytest.mark.parametrize(
    "argv",
    [
        ["sweep"],
        ["sweep", "--standings"],
        ["compare", "--policy", "statutory", "--policy", "merseyside"],
        ["compare", "--show", "flips", "--policy", "statutory", "--policy", "merseyside"],
        ["compare", "--show", "conflicts", "--policy", "merseyside"],
    ],
    ids=["sweep", "standings", "compare", "flips", "conflicts"],
)
def test_table_json_carries_the_audit_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    """sweep and compare JSON: audit fields, each policy stamped; missing values null, flags booleans."""
    cli.main(["synthetic", "300", "--seed", "3"])
    reports = tmp_path / "reports.csv"
    reports.write_text(capsys.readouterr().out, encoding="utf-8")
    data = run_json(capsys, argv[0], str(reports), *argv[1:], "--format", "json")
    valid("table", data)
    named = [argv[i + 1] for i, word in enumerate(argv) if word == "--policy"] or ["statutory"]
    assert [p["id"] for p in data["policies"]] == named
    assert data["rows"]
    assert "" not in list(values(data))
    for row in data["rows"]:
        for key in ("floor_conflict",):
            if key in row:
                assert isinstance(row[key], bool)


def test_policies_check_json_and_the_batch_summary_match_their_schemas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """policies check --format json and a batch's summary.json carry the audit fields and match schemas."""
    data = run_json(capsys, "policies", "check", "statutory", "merseyside", "--format", "json")
    valid("findings", data)
    assert [p["id"] for p in data["policies"]] == ["statutory", "merseyside"]
    assert data["policies"][0]["findings"][0]["path"] == "appeal"
    assert data["policies"][0]["sha256"] == policy_hash(AREAS["statutory"].latest)
    summary = run_json(capsys, "check", str(EXAMPLES), "--out", str(tmp_path), "--format", "json")
    valid("batch-summary", summary)
    assert summary == json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in summary["policies"]] == ["statutory"]
    for row in summary["applications"]:
        if row["outcome"] is None:
            continue
        valid("decision", json.loads((tmp_path / f"{row['application']}.json").read_text(encoding="utf-8")))
    unread = [r for r in summary["applications"] if r["outcome"] is None]
    assert [r["source"] for r in unread] == ["expected.json"]


def test_stats_json_carries_the_audit_fields(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """stats --format json (figures, no policy) matches the table schema, with an empty policy list."""
    path = tmp_path / "applications.csv"
    path.write_text(
        "id,received_on,threshold,decided_on,review_completed_on,recommendations\n"
        "A1,2025-04-02,met,2025-04-09,2025-05-20,yes\nA2,2025-07-01,not_met,2025-07-08,,\n",
        encoding="utf-8",
    )
    data = run_json(capsys, "stats", str(path), "--format", "json")
    valid("table", data)
    assert (data["policies"], data["rows"][0]["applications"]) == ([], 2)
