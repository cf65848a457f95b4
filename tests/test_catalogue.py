"""The catalogue: every area of the domain brief as a file in the package, passing its own cases."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

import pytest

from asb_case_review import catalogue
from asb_case_review.cases import Case, load_cases, run_case, run_cases
from asb_case_review.catalogue import (
    AREAS,
    CATALOGUE,
    MERSEYSIDE,
    STAFFORDSHIRE_MOORLANDS,
    STATUTORY,
    catalogue_files,
    catalogue_text,
    get_policy,
)
from asb_case_review.cli import findings_markdown, main
from asb_case_review.conformance import Finding
from asb_case_review.dates import months
from asb_case_review.policy import STATUTE, Body, Policy, Region, last_months, statutory_route
from asb_case_review.policyfile import dump, load_area
from asb_case_review.qualifying import Who
from asb_case_review.rules import Count, CountUnit, Recency, Source, count, rule

# The areas of the table in the domain brief, section 4, and the statute itself.
AREA_IDS: Final = {
    "statutory",
    "staffordshire-moorlands",
    "staffordshire-police",
    "stafford",
    "cleveland",
    "bath-and-north-east-somerset",
    "merseyside",
    "pendle",
    "three-rivers",
    "south-wales",
    "hammersmith-and-fulham",
    "ribble-valley",
    "gosport",
    "gateshead",
    "essex-colchester",
    "avon-and-somerset",
    "aylesbury-vale",
    "buckinghamshire",
    "calderdale",
    "guildford",
}


def catalogue_cases() -> list[tuple[str, Case]]:
    found: list[tuple[str, Case]] = []
    for name in sorted(AREAS):
        cases = load_cases(catalogue_text(f"{name}.cases.toml"), file=f"catalogue/{name}.cases.toml")
        found.extend((name, case) for case in cases.cases)
    return found


CASES: Final = catalogue_cases()


@pytest.mark.parametrize(("area", "case"), CASES, ids=[f"{a}/{c.id}" for a, c in CASES])
def test_catalogue_case(area: str, case: Case) -> None:
    """Each catalogue case gets the decision its file expects."""
    result = run_case(case, AREAS[area])
    assert result.passed, result.failures


def test_every_area_of_the_domain_table_is_in_the_catalogue() -> None:
    """The catalogue holds the statute and the areas of the domain brief's table, each in its file."""
    assert set(AREAS) >= AREA_IDS
    assert {f"{name}.toml" for name in AREAS} == set(catalogue_files())


@pytest.mark.parametrize("name", sorted(AREA_IDS), ids=str)
def test_each_area_has_cases_naming_it(name: str) -> None:
    """Each area ships a cases file that names the area's policy."""
    cases = load_cases(catalogue_text(f"{name}.cases.toml"))
    assert cases.policy == name


@pytest.mark.parametrize("name", sorted(AREA_IDS), ids=str)
def test_every_rule_is_exercised_both_ways(name: str) -> None:
    """Each rule of each area is met by some case and not met by another, and is named by a case."""
    run = run_cases(load_cases(catalogue_text(f"{name}.cases.toml")), AREAS[name])
    assert run.passed
    for item in run.coverage:
        assert item.exercised, item
        assert item.named > 0 or item.path == "mandatory", item


@pytest.mark.parametrize("name", sorted(AREA_IDS), ids=str)
def test_each_area_has_window_boundary_cases(name: str) -> None:
    """Each area has a case on the first day inside its six months, and one on the day before."""
    ids = {case.id for area, case in CASES if area == name}
    assert any(i.endswith("window-first-day") for i in ids), ids
    assert any(i.endswith("window-day-before") for i in ids), ids


def windowed_rules(policy: Policy) -> list[str]:
    """The ids of the policy's own rules that count or gate reports by date."""
    found = []
    for path, item in policy.rules():
        if path == "mandatory" and item == statutory_route(policy.threshold):
            continue  # The statute's own route, whose boundaries the statutory area's cases test.
        nodes = [item.predicate, *getattr(item.predicate, "parts", ())]
        if any(isinstance(n, Count | Recency) for n in nodes):
            found.append(item.id)
    return found


@pytest.mark.parametrize("name", sorted(AREA_IDS), ids=str)
def test_each_rule_has_cases_on_its_window_boundaries(name: str) -> None:
    """Each rule that looks at dates has a case on the first day inside its window and on the day before."""
    cases = [case for area, case in CASES if area == name]
    for rule_id in windowed_rules(AREAS[name].latest):
        named = {case.id for case in cases if case.rule == rule_id}
        assert any(i.endswith("window-first-day") for i in named), (rule_id, named)
        assert any(i.endswith("window-day-before") for i in named), (rule_id, named)


@pytest.mark.parametrize("name", sorted(AREA_IDS), ids=str)
def test_every_rule_cites_its_source_and_wording(name: str) -> None:
    """Every rule carries the published wording as its label, and a source."""
    for version in AREAS[name].versions:
        assert version.source is not None
        for path, item in version.rules():
            assert item.source is not None, path
            assert item.label.strip(), path


_MOORLANDS_PAGE: Final = Source(
    "Staffordshire Moorlands District Council, 'Anti-Social Behaviour Case Review'",
    url="https://www.staffsmoorlands.gov.uk/article/1244/Anti-Social-Behaviour-Case-Review",
    read_on=dt.date(2026, 11, 26),
)

# The statute, and the seed area as Python builds it: the council's own three-incident wording is its
# mandatory route (the statutory floor runs beside it), and its date of effect is marked as assumed.
PYTHON_DEFINITIONS: Final[Mapping[str, Policy]] = MappingProxyType(
    {
        "statutory": Policy(
            "statutory",
            title="The statutory threshold of s.104(4), with no local rules",
            version="2014-10-20",
            effective_from=dt.date(2014, 10, 20),
            source=STATUTE,
        ),
        "staffordshire-moorlands": Policy(
            "staffordshire-moorlands",
            title="Staffordshire Moorlands District Council",
            version="2024-09-13",
            effective_from=dt.date(2024, 9, 13),
            effective_from_assumed=True,
            region=Region.WEST_MIDLANDS,
            body=Body.COUNCIL,
            notes=CATALOGUE["staffordshire-moorlands"].notes,
            source=_MOORLANDS_PAGE,
            mandatory=rule(
                "personal",
                count(3, unit=CountUnit.INCIDENTS, selection=last_months(6, who=Who.VICTIM)),
                label=(
                    "you have reported three or more related incidents of antisocial behaviour, "
                    "within the last six months"
                ),
                source=_MOORLANDS_PAGE,
            ),
            local=(
                rule(
                    "community",
                    count(5, unit=CountUnit.REPORTERS, selection=last_months(6)),
                    label=(
                        "five separate individuals have reported related incidents of antisocial "
                        "behaviour, within the last six months"
                    ),
                    source=_MOORLANDS_PAGE,
                ),
            ),
        ),
    }
)


@pytest.mark.parametrize("name", sorted(PYTHON_DEFINITIONS), ids=str)
def test_files_equal_the_python_definitions(name: str) -> None:
    """The files build exactly the policies Python builds for them."""
    assert CATALOGUE[name] == PYTHON_DEFINITIONS[name]


def test_the_old_names_still_work() -> None:
    """STATUTORY, STAFFORDSHIRE_MOORLANDS and MERSEYSIDE are the catalogue's policies."""
    assert STATUTORY is CATALOGUE["statutory"]
    assert STAFFORDSHIRE_MOORLANDS is CATALOGUE["staffordshire-moorlands"]
    assert MERSEYSIDE is CATALOGUE["merseyside"]
    assert get_policy("merseyside") is MERSEYSIDE


def test_the_catalogue_is_loaded_once_and_immutable() -> None:
    """The catalogue is read once into read-only mappings."""
    assert catalogue.AREAS is catalogue.AREAS
    assert catalogue.CATALOGUE is catalogue.CATALOGUE
    with pytest.raises(TypeError):
        AREAS["mine"] = AREAS["statutory"]  # type: ignore[index]


def test_unknown_module_names_are_still_errors() -> None:
    """The catalogue package supplies only its own names lazily; others are missing as usual."""
    with pytest.raises(AttributeError, match="NOWHERE"):
        _ = getattr(catalogue, "NOWHERE")  # noqa: B009 (the missing name is the point)


def test_get_policy_picks_the_version_in_force() -> None:
    """Asking for a policy on a day gives the version in force then; before any, an error."""
    assert get_policy("staffordshire-moorlands", on=dt.date(2025, 1, 1)).version == "2024-09-13"
    with pytest.raises(ValueError, match="no version is in force"):
        get_policy("staffordshire-moorlands", on=dt.date(2024, 9, 12))


def test_conformance_findings_of_the_catalogue_are_documented(
    catalogue_findings: dict[str, tuple[Finding, ...]],
) -> None:
    """docs/conformance.md lists the findings the code gives for the catalogue, as generated."""

    docs = (Path(__file__).parent.parent / "docs" / "conformance.md").read_text(encoding="utf-8")
    generated = findings_markdown(catalogue_findings)
    assert generated in docs


def test_statutory_months_match_the_catalogue_window() -> None:
    """The catalogue's "last six months" is six calendar months, counted the statutory way."""
    personal = MERSEYSIDE.local[0].predicate
    assert personal.selection.window.span == months(6)  # type: ignore[attr-defined]


def test_policies_list_names_every_area(capsys: pytest.CaptureFixture[str]) -> None:
    """`policies list` prints every built-in area with its latest version."""

    assert main(["policies", "list"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == len(AREAS)
    merseyside = next(line for line in out.splitlines() if line.startswith("merseyside "))
    assert merseyside.split()[1:4] == ["North", "West", "2024-01-01"]


def test_policies_show_prints_a_file_that_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    """`policies show NAME` prints the area as a policy file (TOML or JSON) that reads back to it."""

    assert main(["policies", "show", "south-wales"]) == 0
    assert load_area(capsys.readouterr().out) == AREAS["south-wales"]
    assert main(["policies", "show", "south-wales", "--format", "json"]) == 0
    assert load_area(capsys.readouterr().out, format="json") == AREAS["south-wales"]


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["gateshead"], 0, "gateshead: 1 finding\n  warning: appeal:"),
        (["gateshead", "--strict"], 1, "warning: appeal:"),
        (["stafford"], 1, "error: conditions[0]: condition 'recent'"),
        (["--all", "--format", "markdown"], 1, "### south-wales"),
    ],
    ids=["warnings-pass", "strict", "errors-fail", "markdown"],
)
def test_policies_check_exit_codes(
    capsys: pytest.CaptureFixture[str], args: list[str], code: int, expected: str
) -> None:
    """`policies check` exits 1 on errors (and on warnings with --strict), else 0."""

    assert main(["policies", "check", *args]) == code
    assert expected in capsys.readouterr().out


def test_policies_check_reads_a_file_and_reports_its_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed policy file exits 2 with the file, the path and the value on stderr."""

    good = tmp_path / "mine.toml"
    good.write_text(dump(get_policy("gateshead")), encoding="utf-8")
    assert main(["policies", "check", str(good)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(dump(get_policy("gateshead")).replace("at_least = 3", "at_least = -3"), encoding="utf-8")
    assert main(["policies", "check", str(bad)]) == 2
    assert f"{bad}: mandatory.at_least=-3: must be at least 1" in capsys.readouterr().err


def test_check_decides_under_a_policy_file_in_the_version_in_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check --policy FILE` applies the file's version in force on the application date, and names it."""

    text = (
        'id = "mine"\ntitle = "Mine"\n[[versions]]\nversion = "old"\neffective_from = 2020-01-01\n'
        'effective_to = 2025-12-31\nthreshold = 3\n[[versions]]\nversion = "new"\n'
        "effective_from = 2026-01-01\nthreshold = 4\n"
    )
    policy = tmp_path / "mine.toml"
    policy.write_text(text, encoding="utf-8")
    # Three qualifying complaints: not met under the new version's four (the floor is the policy's number).
    assert main(["check", "--example", "--policy", str(policy), "--format", "json"]) == 1
    assert '"version": "new"' in capsys.readouterr().out
    assert main(["check", "--example", "--policy", str(policy), "--as-of", "2014-01-01"]) == 2
    assert "no version is in force" in capsys.readouterr().err
    policy.write_text(text.replace("2026-01-01", "2026-01-05"), encoding="utf-8")
    assert main(["check", "--example", "--policy", str(policy)]) == 1
    assert (
        "mine.toml: warning: no version is in force from 2026-01-01 to 2026-01-04" in capsys.readouterr().err
    )


def test_policies_list_filters_by_region_body_and_features(capsys: pytest.CaptureFixture[str]) -> None:
    """Each filter keeps exactly the areas whose file says so; filters combine."""
    assert main(["policies", "list", "--region", "Wales", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows
    assert {r["region"] for r in rows} == {"Wales"}
    expected = {
        a.id for a in AREAS.values() if a.latest.region is not None and a.latest.region.value == "Wales"
    }
    assert {r["id"] for r in rows} == expected
    assert (
        main(
            [
                "policies",
                "list",
                "--feature",
                "hate_route",
                "--feature",
                "community_route",
                "--format",
                "json",
            ]
        )
        == 0
    )
    both = json.loads(capsys.readouterr().out)
    assert both
    assert all({"hate_route", "community_route"} <= set(r["features"]) for r in both)
    assert "merseyside" in {r["id"] for r in both}
    assert main(["policies", "list", "--body", "pcc"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert {line.split()[0] for line in lines} == {a.id for a in AREAS.values() if a.latest.body is Body.PCC}


def test_policies_list_refuses_an_unknown_feature(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown feature is bad input, naming the choices."""
    with pytest.raises(SystemExit) as stop:
        main(["policies", "list", "--feature", "nearby"])
    assert stop.value.code == 2
    assert "hate_route" in capsys.readouterr().err


def test_policies_check_stale_lists_readings_older_than_the_days_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--stale DAYS lists each area read more than DAYS before --today (or with no date), exit 1 if any."""
    assert main(["policies", "check", "merseyside", "--stale", "30", "--today", "2026-12-01"]) == 0
    assert "0 of 1 read more than 30 days before 2026-12-01" in capsys.readouterr().out
    assert main(["policies", "check", "merseyside", "--stale", "30", "--today", "2027-06-01"]) == 1
    out = capsys.readouterr().out
    assert "merseyside: read on 2026-11-26, 187 days ago" in out
    assert main(["policies", "check", "statutory", "--stale", "30", "--today", "2026-12-01"]) == 1
    assert "statutory: no date read recorded" in capsys.readouterr().out


def test_one_area_read_alone_equals_the_catalogues(monkeypatch: pytest.MonkeyPatch) -> None:
    """``built_in_area`` reads only the area's own file (and its scheme's) and gives what the
    whole catalogue holds, for every area, scheme members included; unknown names are KeyError."""
    import sys  # noqa: PLC0415 - only to hide the read catalogue from built_in_area

    areas = dict(catalogue.AREAS)
    monkeypatch.delitem(sys.modules, "asb_case_review.catalogue._built")
    read: list[str] = []
    text = catalogue.catalogue_text

    def reading(name: str) -> str:
        read.append(name)
        return text(name)

    monkeypatch.setattr(catalogue, "catalogue_text", reading)
    for name, area in areas.items():
        read.clear()
        assert catalogue.built_in_area(name) == area, name
        scheme = area.latest.scheme
        assert read == [f"{name}.toml", *([f"{scheme}.toml"] if scheme else [])], name
    assert "asb_case_review.catalogue._built" not in sys.modules
    with pytest.raises(KeyError):
        catalogue.built_in_area("nowhere")


def test_the_sweep_command_reads_only_the_policy_it_names(tmp_path: Path) -> None:
    """``asb-case-review sweep --policy NAME`` starts without reading all the catalogue's files."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    reports = tmp_path / "reports.csv"
    reports.write_text(
        "id,reporter,matter,incident,began_on,made_on,agency\nR1,P1,M1,I1,2025-01-02,2025-01-03,police\n",
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "from asb_case_review.cli import main\n"
        f"code = main(['sweep', {str(reports)!r}, '--policy', 'staffordshire-moorlands', '--no-progress'])\n"
        "print('read all' if 'asb_case_review.catalogue._built' in sys.modules else 'read one', code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "read one 0", done.stdout + done.stderr
