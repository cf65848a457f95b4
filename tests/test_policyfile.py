"""Policy files: the round trip, the closed vocabulary and its errors, dated versions."""

from __future__ import annotations

import datetime as dt
import re
import sys
import tomllib
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asb_case_review.cases import load_cases, run_cases
from asb_case_review.catalogue import AREAS, STATUTORY, apply_scheme, read_area
from asb_case_review.errors import InvalidPolicy, InvalidPolicyFile
from asb_case_review.policy import Area, Body, Policy, Region, statutory_route
from asb_case_review.policyfile import (
    RULE_KINDS,
    SchemeMember,
    dump,
    load_area,
    load_entry,
    load_policy,
    parse,
)
from asb_case_review.qualifying import Anchor, Selection, Window
from asb_case_review.rules import AllOf, Count, CountUnit, FactIs, Not, Rule, count, fact
from tests.strategies import policies

D = dt.date

HEAD = """\
id = "x"
title = "X"
version = "1"
effective_from = 2025-01-01
"""


@settings(max_examples=60, deadline=None)
@given(policies(), st.sampled_from(["toml", "json"]))
def test_load_of_dump_is_the_policy(policy: Policy, form: str) -> None:
    """Writing any policy to a file and reading it back gives the same policy."""
    assert load_policy(dump(policy, format=form), format=form) == policy  # type: ignore[arg-type]


@settings(max_examples=20, deadline=None)
@given(st.lists(policies(), min_size=1, max_size=3), st.sampled_from(["toml", "json"]))
def test_load_of_dump_is_the_area(drawn: list[Policy], form: str) -> None:
    """An area of several dated versions, shared keys or not, survives the round trip."""
    versions = []
    start = D(2015, 1, 1)
    for index, policy in enumerate(drawn):
        end = start + dt.timedelta(days=100)
        versions.append(
            attrs.evolve(policy, id="area", version=f"v{index}", effective_from=start, effective_to=end)
        )
        start = end + dt.timedelta(days=1 + index)
    area = Area("area", tuple(versions))
    assert load_area(dump(area, format=form), format=form) == area  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(AREAS), ids=str)
def test_catalogue_files_survive_the_round_trip(name: str) -> None:
    """Every built-in area written out and read back is the same area."""
    area = AREAS[name]
    assert read_area(dump(area)) == area


def test_a_file_builds_the_same_values_as_python() -> None:
    """A hand-written file builds exactly the rules the Python factories build."""
    text = (
        HEAD
        + """
[[local]]
id = "personal"
label = "three in six months, and no effective action"
kind = "all_of"

[[local.parts]]
kind = "count"
at_least = 3
unit = "incidents"
who = "victim"
lag = "none"
window = { months = 6, anchor = "application" }

[[local.parts]]
kind = "not"
part = { kind = "fact", fact = "case_closed" }
"""
    )
    selection = Selection(who="victim", lag=None, window=Window(anchor=Anchor.APPLICATION))
    expected = Rule(
        "personal",
        AllOf((Count(3, unit=CountUnit.INCIDENTS, selection=selection), Not(FactIs("case_closed")))),
        label="three in six months, and no effective action",
    )
    assert load_policy(text).local == (expected,)


def test_threshold_is_the_statutory_route_with_its_number() -> None:
    """`threshold = 2` is the mandatory route of s.104(4) with the number two."""
    assert load_policy(HEAD + "threshold = 2\n").mandatory == statutory_route(2)


def test_every_rule_kind_is_documented() -> None:
    """docs/policies.md has a worked example of every rule kind."""
    docs = (Path(__file__).parent.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    for kind in RULE_KINDS:
        assert f'kind = "{kind}"' in docs, kind


def docs_blocks() -> list[str]:
    docs = (Path(__file__).parent.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", docs, flags=re.DOTALL)


@pytest.mark.parametrize(
    "text", [b for b in docs_blocks() if b.startswith(("id", "#"))], ids=lambda b: b[:20]
)
def test_every_policy_file_in_the_docs_loads(text: str) -> None:
    """Each worked policy file in docs/policies.md reads, and survives the round trip."""
    area = read_area(text, file="docs/policies.md")
    assert read_area(dump(area)) == area


def test_every_cases_file_in_the_docs_passes() -> None:
    """Each cases file in docs/policies.md reads and its cases pass under the policy it names."""
    blocks = [b for b in docs_blocks() if b.startswith("policy")]
    assert blocks
    for text in blocks:
        cases = load_cases(text, file="docs/policies.md")
        run = run_cases(cases, AREAS[cases.policy])
        assert run.passed, run.summary()


RULE = '\n[[local]]\nid = "personal"\nlabel = "L"\n'

MALFORMED = [
    ("invalid-toml", HEAD + "threshold = \n", r"^x\.toml: not valid TOML"),
    ("unknown-top-key", HEAD + "threshhold = 2\n", r"^x\.toml: threshhold=2: .*did you mean 'threshold'\?"),
    (
        "unknown-kind",
        HEAD + RULE + 'kind = "cuont"\n',
        r"^x\.toml: local\[0\]\.kind='cuont': is not a rule kind; did you mean 'count'\?",
    ),
    (
        "unknown-rule-key",
        HEAD + RULE + 'kind = "count"\nat_lest = 3\n',
        r"^x\.toml: local\[0\]\.at_lest=3: is not a key of a count rule; did you mean 'at_least'\?",
    ),
    (
        "wrong-type",
        HEAD + RULE + 'kind = "count"\nat_least = "three"\n',
        r"^x\.toml: local\[0\]\.at_least='three': must be a whole number$",
    ),
    (
        "negative-count",
        HEAD
        + RULE
        + 'kind = "count"\nat_least = 2\n'
        + RULE.replace("personal", "hate")
        + 'kind = "count"\nat_least = -1\n',
        r"^x\.toml: local\[1\]\.at_least=-1: must be at least 1$",
    ),
    (
        "end-before-start",
        HEAD + "effective_to = 2024-12-31\n",
        r"^x\.toml: effective_to=datetime\.date\(2024, 12, 31\): is before effective_from=2025-01-01$",
    ),
    (
        "months-and-days",
        HEAD + RULE + 'kind = "count"\nat_least = 3\nwindow = { months = 6, days = 183 }\n',
        r"^x\.toml: local\[0\]\.window=\{.*\}: give exactly one of months or days$",
    ),
    (
        "zero-months",
        HEAD + RULE + 'kind = "count"\nat_least = 3\nwindow = { months = 0 }\n',
        r"^x\.toml: local\[0\]\.window\.months=0: must be at least 1$",
    ),
    (
        "misspelt-anchor",
        HEAD + RULE + 'kind = "count"\nat_least = 3\nwindow = { months = 6, anchor = "aplication" }\n',
        r"^x\.toml: local\[0\]\.window\.anchor='aplication': .*did you mean 'application'\?",
    ),
    (
        "lag-word",
        HEAD + RULE + 'kind = "count"\nat_least = 3\nlag = "never"\n',
        r"^x\.toml: local\[0\]\.lag='never': must be a table such as \{ months = 1 \}, or \"none\"",
    ),
    (
        "misspelt-agency",
        HEAD + RULE + 'kind = "count"\nat_least = 3\nagencies = ["council", "polise"]\n',
        r"^x\.toml: local\[0\]\.agencies\[1\]='polise': .*did you mean 'police'\?",
    ),
    (
        "misspelt-nested-fact",
        HEAD + RULE + 'kind = "all_of"\n[[local.parts]]\nkind = "fact"\nfact = "no_action"\n',
        r"^x\.toml: local\[0\]\.parts\[0\]\.fact='no_action': .*did you mean 'no_action_taken'\?",
    ),
    (
        "missing-label",
        HEAD + '\n[[local]]\nid = "personal"\nkind = "consent"\n',
        r"^x\.toml: local\[0\]\.label=None: is required$",
    ),
    (
        "unknown-source-name",
        HEAD + RULE + 'kind = "consent"\nsource = "pgae"\n[sources.page]\ntitle = "P"\n',
        r"^x\.toml: local\[0\]\.source='pgae': .*did you mean 'page'\?",
    ),
    (
        "duplicate-rule-id",
        HEAD + RULE + 'kind = "consent"\n' + RULE + 'kind = "consent"\n',
        r"^x\.toml: local\[1\]\.id='personal': is used by another rule of this policy$",
    ),
    (
        "threshold-and-mandatory",
        HEAD + 'threshold = 3\n[mandatory]\nid = "m"\nlabel = "M"\nkind = "count"\nat_least = 3\n',
        r"^x\.toml: mandatory=\{.*\}: give threshold or mandatory, not both$",
    ),
    (
        "label-without-id",
        HEAD + RULE + 'kind = "not"\npart = { kind = "consent", label = "C" }\n',
        r"^x\.toml: local\[0\]\.part\.label='C': only a rule with an id has a label or source$",
    ),
    (
        "zero-working-days",
        HEAD + "timescales = { decide = 0 }\n",
        r"^x\.toml: timescales\.decide=0: must be at least 1$",
    ),
    (
        "datetime-not-date",
        HEAD.replace("2025-01-01", "2025-01-01T10:00:00"),
        r"^x\.toml: effective_from=datetime\.datetime\(.*\): must be a date \(YYYY-MM-DD\) without a time$",
    ),
    (
        "overlapping-versions",
        (
            'id = "x"\ntitle = "X"\n[[versions]]\nversion = "1"\neffective_from = 2024-01-01\n'
            'effective_to = 2025-06-30\n[[versions]]\nversion = "2"\neffective_from = 2025-06-01\n'
        ),
        (
            r"^x\.toml: versions\[1\]\.effective_from=datetime\.date\(2025, 6, 1\): overlaps version '1', "
            r"which ends 2025-06-30$"
        ),
    ),
    (
        "open-ended-version-overlaps",
        (
            'id = "x"\ntitle = "X"\n[[versions]]\nversion = "1"\neffective_from = 2024-01-01\n'
            '[[versions]]\nversion = "2"\neffective_from = 2025-06-01\n'
        ),
        r"^x\.toml: versions\[1\]\.effective_from=.*: overlaps version '1', which has no end$",
    ),
    (
        "overlap-listed-newest-first",
        (
            'id = "x"\ntitle = "X"\n[[versions]]\nversion = "2"\neffective_from = 2025-06-01\n'
            '[[versions]]\nversion = "1"\neffective_from = 2024-01-01\neffective_to = 2025-06-30\n'
        ),
        r"^x\.toml: versions\[0\]\.effective_from=datetime\.date\(2025, 6, 1\): overlaps version '1'",
    ),
    (
        "duplicate-version-name",
        (
            'id = "x"\ntitle = "X"\n[[versions]]\nversion = "1"\neffective_from = 2024-01-01\n'
            'effective_to = 2024-12-31\n[[versions]]\nversion = "1"\neffective_from = 2025-01-01\n'
        ),
        r"^x\.toml: versions\[1\]\.version='1': is used by another version$",
    ),
    (
        "sources-not-a-table",
        HEAD + 'sources = "page"\n',
        r"^x\.toml: sources='page': must be a table of named",
    ),
    (
        "version-key-beside-versions",
        'id = "x"\ntitle = "X"\nthreshold = 3\n[[versions]]\nversion = "1"\neffective_from = 2024-01-01\n',
        r"^x\.toml: threshold=3: belongs inside each \[\[versions\]\] entry",
    ),
]


@pytest.mark.parametrize(("text", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_files_name_the_file_the_path_and_the_value(text: str, message: str) -> None:
    """Each malformed file raises InvalidPolicyFile naming file, path and value, with a suggestion."""
    with pytest.raises(InvalidPolicyFile, match=message):
        load_area(text, file="x.toml")


def test_errors_are_policy_errors_and_value_errors() -> None:
    """A file error can be caught as InvalidPolicy or ValueError, and keeps its parts."""
    with pytest.raises(ValueError, match="threshhold") as caught:
        load_policy(HEAD + "threshhold = 2\n", file="x.toml")
    error = caught.value
    assert isinstance(error, InvalidPolicy)
    assert isinstance(error, InvalidPolicyFile)
    assert (error.file, error.path, error.value) == ("x.toml", "threshhold", 2)


def test_json_errors_name_the_line() -> None:
    """A JSON file that does not parse is reported with its line and column."""
    with pytest.raises(InvalidPolicyFile, match=r"^x\.json: not valid JSON: .*\(at line 2, column 1\)"):
        parse('{"id": "x",\n}', format="json", file="x.json")


def test_json_policy_files_read_like_toml() -> None:
    """The JSON form holds the same keys, dates written as strings."""
    text = '{"id": "x", "title": "X", "version": "1", "effective_from": "2025-01-01", "threshold": 2}'
    assert load_policy(text, format="json") == load_policy(HEAD + "threshold = 2\n")


def test_a_file_of_several_versions_is_not_one_policy() -> None:
    """load_policy refuses a file of several versions and says to use load_area."""
    two = attrs.evolve(load_policy(HEAD), version="2", effective_from=D(2026, 1, 1))
    area = Area("x", (attrs.evolve(load_policy(HEAD), effective_to=D(2025, 12, 31)), two))
    with pytest.raises(InvalidPolicyFile, match=r"versions=2: holds several versions; use load_area"):
        load_policy(dump(area))


VERSIONED = """\
id = "x"
title = "X"

[[versions]]
version = "2024"
effective_from = 2024-01-01
effective_to = 2024-12-31
threshold = 3

[[versions]]
version = "2025"
effective_from = 2025-02-01
threshold = 2
title = "X, as revised"
"""


@pytest.mark.parametrize(
    ("day", "version"),
    [(D(2024, 1, 1), "2024"), (D(2024, 12, 31), "2024"), (D(2025, 2, 1), "2025"), (D(2030, 1, 1), "2025")],
    ids=str,
)
def test_the_version_in_force_on_the_day_is_picked(day: dt.date, version: str) -> None:
    """The version in force on a day is the one whose dates include it."""
    assert load_area(VERSIONED).version_on(day).version == version


def test_versions_share_top_level_keys_unless_they_give_their_own() -> None:
    """A version without a title takes the file's; one with its own keeps it."""
    first, second = load_area(VERSIONED).versions
    assert (first.title, second.title) == ("X", "X, as revised")
    assert (first.threshold, second.threshold) == (3, 2)


@pytest.mark.parametrize("day", [D(2023, 12, 31), D(2025, 1, 15)], ids=str)
def test_a_day_with_no_version_in_force_is_an_error(day: dt.date) -> None:
    """Before the first version, or in a gap, no version is in force: an error naming the versions."""
    with pytest.raises(
        InvalidPolicy, match=r"no version is in force on that day; versions: 2024 \(2024-01-01"
    ):
        load_area(VERSIONED).version_on(day)


def test_gaps_between_versions_are_reported() -> None:
    """Days between two versions on which neither is in force are listed when the file is loaded."""
    assert [str(gap) for gap in load_area(VERSIONED).gaps()] == ["2025-01-01 to 2025-01-31"]
    assert AREAS["merseyside"].gaps() == ()


def test_dump_names_shared_sources_once() -> None:
    """A source cited by the policy and its rules is written once under [sources] and named."""
    text = dump(AREAS["merseyside"].latest)
    assert text.count("victimcaremerseyside.org") == 1
    assert 'source = "page"' in text


def test_a_foreign_predicate_cannot_be_written() -> None:
    """A user's own predicate class has no place in the closed vocabulary: dump says where it is."""

    @attrs.frozen
    class Mine:
        def __call__(self, context: object) -> object:
            raise NotImplementedError

        def describe(self) -> str:
            return "mine"

    policy = attrs.evolve(load_policy(HEAD), local=(Rule("own", Mine(), label="own"),))  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicyFile, match=r"local\[0\]=.*: is not a rule kind a policy file can hold"):
        dump(policy)


def test_dumped_toml_is_readable() -> None:
    """Rules are written as [[local]] tables, each part of a combination on a line of its own."""
    policy = attrs.evolve(
        load_policy(HEAD),
        local=(Rule("r", count(3, unit="incidents") & fact("no_action_taken"), label="L"),),
    )
    text = dump(policy)
    assert (
        '[[local]]\nid = "r"\nlabel = "L"\nkind = "all_of"\nparts = [\n'
        '    { kind = "count", at_least = 3, unit = "incidents" },\n'
        '    { kind = "fact", fact = "no_action_taken" },\n]\n'
    ) in text


# --------------------------------------------------------------- metadata and schemes

MEMBER = """\
id = "knowsley"
title = "Knowsley Council"
scheme = "merseyside"
region = "North West"
body = "council"
source = "page"
notes = "Applies the Merseyside scheme."

[sources.page]
title = "Knowsley Council, 'ASB Case Review'"
url = "https://www.knowsley.gov.uk/asb-case-review"
read_on = 2026-11-26
modified = "Last updated 3 March 2025"
"""


def test_region_body_and_notes_are_read_and_written_back() -> None:
    """`region`, `body` and `notes` are kept on the policy and survive the round trip."""
    text = HEAD + 'region = "Wales"\nbody = "pcc"\nnotes = "The scheme\'s own site."\n'
    policy = load_policy(text)
    assert (policy.region, policy.body, policy.notes) == (Region.WALES, Body.PCC, "The scheme's own site.")
    assert load_policy(dump(policy)) == policy


def test_a_source_keeps_the_day_it_was_read_and_the_page_s_own_date() -> None:
    """`read_on` (a date) and `modified` (as the page states it) are kept on the Source."""
    text = HEAD + (
        'source = "page"\n[sources.page]\ntitle = "P"\nread_on = 2026-11-26\n'
        'modified = "last modified 13 September 2024"\n'
    )
    policy = load_policy(text)
    assert policy.source is not None
    assert policy.source.read_on == D(2026, 11, 26)
    assert policy.source.modified == "last modified 13 September 2024"
    assert load_policy(dump(policy)) == policy


def test_an_assumed_date_of_effect_is_marked_and_explained() -> None:
    """`effective_from_assumed = true` is kept, and needs notes saying why."""
    policy = load_policy(HEAD + 'effective_from_assumed = true\nnotes = "No date is published."\n')
    assert policy.effective_from_assumed
    assert load_policy(dump(policy)) == policy
    assert not load_policy(HEAD).effective_from_assumed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEAD + 'region = "Midlands"\n',
            r"x\.toml: region='Midlands': is not a choice here; .*West Midlands",
        ),
        (HEAD + 'body = "county"\n', r"x\.toml: body='county': is not a choice here; .*council"),
        (HEAD + "notes = 3\n", r"x\.toml: notes=3: must be a non-empty string"),
        (
            HEAD + "effective_from_assumed = true\n",
            r"x\.toml: effective_from_assumed=True: needs notes saying why",
        ),
        (HEAD + 'effective_from_assumed = "yes"\n', r"effective_from_assumed='yes': must be true or false"),
        (
            HEAD + 'source = { title = "P", read_on = "26/11/2026" }\n',
            r"x\.toml: source\.read_on='26/11/2026': must be a date written YYYY-MM-DD",
        ),
        (
            HEAD + 'source = { title = "P", read = 2026-11-26 }\n',
            r"source\.read=.*did you mean 'read_on'\?",
        ),
        (
            'id = "x"\ntitle = "X"\nscheme = "x"\n',
            r"x\.toml: scheme='x': names the area itself",
        ),
        (
            'id = "x"\ntitle = "X"\nscheme = "merseyside"\n[[local]]\nid = "a"\n',
            r"x\.toml: local=.*applies scheme 'merseyside' holds no rules or versions of its own",
        ),
        (
            'id = "x"\ntitle = "X"\nscheme = "merseyside"\nversion = "1"\n',
            r"x\.toml: version='1': a file that applies scheme",
        ),
        ('id = "x"\nscheme = "merseyside"\n', r"x\.toml: title=None: is required"),
    ],
    ids=[
        "region",
        "body",
        "notes",
        "assumed-without-notes",
        "assumed-not-a-flag",
        "read-on-not-a-date",
        "source-key",
        "scheme-itself",
        "scheme-with-rules",
        "scheme-with-version",
        "scheme-without-title",
    ],
)
def test_metadata_errors_name_the_file_the_path_and_the_value(text: str, message: str) -> None:
    """A wrong region, body, date mark, source date or scheme file is named, with the value."""
    with pytest.raises(InvalidPolicyFile, match=message):
        load_entry(text, file="x.toml")


def test_a_scheme_file_is_its_metadata_and_the_catalogue_builds_its_area() -> None:
    """A file naming a scheme reads as a SchemeMember; the catalogue gives it the scheme's rules."""
    member = load_entry(MEMBER, file="knowsley.toml")
    assert isinstance(member, SchemeMember)
    assert (member.scheme, member.region, member.body) == ("merseyside", Region.NORTH_WEST, Body.COUNCIL)
    area = apply_scheme(member, AREAS)
    scheme = AREAS["merseyside"]
    assert [v.version for v in area.versions] == [v.version for v in scheme.versions]
    for mine, theirs in zip(area.versions, scheme.versions, strict=True):
        assert (mine.id, mine.title, mine.scheme) == ("knowsley", "Knowsley Council", "merseyside")
        assert (mine.mandatory, mine.local, mine.conditions) == (
            theirs.mandatory,
            theirs.local,
            theirs.conditions,
        )
        assert mine.source is not None
        assert mine.source.read_on == D(2026, 11, 26)
        assert mine.appeal == theirs.appeal
    assert read_area(MEMBER) == area
    assert read_area(dump(area)) == area
    assert 'scheme = "merseyside"' in dump(area)
    assert "[[local]]" not in dump(area)


def test_load_area_refuses_a_scheme_file_and_says_how_to_read_it() -> None:
    """load_area cannot build a scheme member alone: the error names apply_scheme."""
    with pytest.raises(InvalidPolicyFile, match=r"scheme='merseyside': .*apply_scheme"):
        load_area(MEMBER, file="knowsley.toml")


def test_a_scheme_must_be_a_known_area_and_not_itself_a_member() -> None:
    """An unknown scheme and a scheme of a scheme are refused by name."""
    member = load_entry(MEMBER)
    assert isinstance(member, SchemeMember)
    with pytest.raises(InvalidPolicyFile, match=r"k\.toml: scheme='mersey': .*did you mean 'merseyside'"):
        apply_scheme(attrs.evolve(member, scheme="mersey"), AREAS, file="k.toml")
    knowsley = apply_scheme(member, AREAS)
    areas = {**AREAS, "knowsley": knowsley}
    chained = attrs.evolve(member, id="halton", scheme="knowsley")
    with pytest.raises(
        InvalidPolicyFile, match=r"scheme='knowsley': itself applies scheme 'merseyside'.*name 'merseyside'"
    ):
        apply_scheme(chained, areas, file="h.toml")
    with pytest.raises(InvalidPolicyFile, match=r"scheme='knowsley': names the area itself"):
        apply_scheme(attrs.evolve(member, scheme="knowsley"), areas)


def test_a_policy_cannot_name_itself_as_its_scheme() -> None:
    """The model refuses a scheme that is the policy's own id."""
    with pytest.raises(InvalidPolicy, match=r"scheme='x': names the area itself"):
        attrs.evolve(load_policy(HEAD), scheme="x")


def test_toml_is_written_by_tomli_w_and_reads_back_for_every_built_in_area() -> None:
    """dump's TOML is tomli-w's, and every built-in area written out reads back as the same area."""
    import tomli_w  # noqa: PLC0415 - the toml extra, which the test extra installs

    for name, area in AREAS.items():
        text = dump(area)
        assert text == tomli_w.dumps(tomllib.loads(text)), name
        assert read_area(text) == area, name


def test_without_the_toml_extra_dump_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """No tomli-w: TOML is refused with the extra to install; JSON is still written."""
    monkeypatch.setitem(sys.modules, "tomli_w", None)
    with pytest.raises(ImportError, match=r"pip install 'asb-case-review\[toml\]'"):
        dump(STATUTORY)
    assert load_policy(dump(STATUTORY, format="json"), format="json") == STATUTORY
