"""Unit tables for policies, the statutory route and the built-in catalogue."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from asb_case_review.catalogue import CATALOGUE, MERSEYSIDE, STAFFORDSHIRE_MOORLANDS, STATUTORY, get_policy
from asb_case_review.errors import InvalidPolicy
from asb_case_review.policy import STATUTE, Appeal, Area, Policy, Timescales, statutory_route
from asb_case_review.qualifying import Selection
from asb_case_review.rules import Count, CountUnit, count, rule

D = dt.date


def test_statutory_route_is_the_statute() -> None:
    """The mandatory route counts each person's complaint about each incident, by anyone, as the
    statute defines a qualifying complaint, and cites s.104(4)."""
    route = statutory_route()
    assert route.id == "s104-4"
    assert route.source == STATUTE
    assert route.predicate == Count(3, unit=CountUnit.COMPLAINTS, selection=Selection())


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "one qualifying complaint "),
        (2, "two qualifying complaints"),
        (3, "three qualifying complaints"),
        (12, "12 qualifying complaints"),
    ],
    ids=str,
)
def test_statutory_route_wording(n: int, words: str) -> None:
    """The route's label says its number in words, with the noun singular after one."""
    assert statutory_route(n).label.startswith(f"at least {words}")


def test_threshold_is_the_mandatory_number() -> None:
    """A policy's threshold is its mandatory count, three by default."""
    assert STATUTORY.threshold == 3
    assert attrs.evolve(STATUTORY, mandatory=statutory_route(2)).threshold == 2
    odd = attrs.evolve(STATUTORY, mandatory=rule("s104-4", count(1) | count(2), label="either"))
    assert odd.threshold == 3


def test_in_force() -> None:
    """A version is in force from its first day to its last, inclusive."""
    policy = attrs.evolve(STATUTORY, effective_from=D(2024, 1, 1), effective_to=D(2024, 12, 31))
    assert [policy.in_force(d) for d in (D(2023, 12, 31), D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1))] == [
        False,
        True,
        True,
        False,
    ]
    assert STATUTORY.in_force(D(2100, 1, 1))


def base(**changes: object) -> Policy:
    fields: dict[str, object] = {"title": "T", "version": "1", "effective_from": D(2024, 1, 1)}
    fields.update(changes)
    return Policy(str(fields.pop("id", "p")), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": " "}, r"^id=' ': must be a non-empty string"),
        (
            {"effective_to": D(2023, 1, 1)},
            r"^effective_to=datetime.date\(2023, 1, 1\): is before effective_from",
        ),
        (
            {"local": (rule("s104-4", count(1), label="x"),)},
            r"^local\[0\].id='s104-4': is used by another rule",
        ),
        ({"local": (count(1),)}, r"^local\[0\]=count\(1\): must be a Rule"),
        ({"mandatory": count(3)}, r"^mandatory=count\(3\): must be a Rule"),
    ],
    ids=["blank-id", "ends-before-start", "duplicate-rule-id", "bare-predicate", "bare-mandatory"],
)
def test_bad_policies(changes: dict[str, object], message: str) -> None:
    """A malformed policy raises InvalidPolicy naming the path and the value."""
    with pytest.raises(InvalidPolicy, match=message):
        base(**changes)


def test_rules_are_listed_with_their_paths() -> None:
    """Every rule of a policy is listed with the path that names it in errors and explanations."""
    assert [path for path, _ in MERSEYSIDE.rules()] == ["mandatory", "local[0]", "local[1]"]


def test_catalogue_is_immutable_and_complete() -> None:
    """The built-in catalogue is a read-only mapping holding the default and the seed areas."""
    assert {"statutory", "staffordshire-moorlands", "merseyside"} <= set(CATALOGUE)
    with pytest.raises(TypeError):
        CATALOGUE["mine"] = STATUTORY  # type: ignore[index]
    assert get_policy("staffordshire-moorlands") is STAFFORDSHIRE_MOORLANDS


def test_unknown_policy_names_the_known_ones() -> None:
    """Asking for a policy that is not built in names the ones that are."""
    with pytest.raises(
        InvalidPolicy, match=r"^policy='nowhere': is not a built-in policy; known: .*statutory"
    ):
        get_policy("nowhere")


def test_every_catalogue_rule_cites_a_source() -> None:
    """Every rule of every built-in policy carries its source and its wording."""
    for policy in CATALOGUE.values():
        for path, item in policy.rules():
            assert item.source is not None, f"{policy.id} {path}"
            assert item.label.strip(), f"{policy.id} {path}"


@pytest.mark.parametrize(
    ("step", "start", "expected"),
    [
        ("acknowledge", D(2025, 12, 22), D(2025, 12, 31)),  # 5 working days over Christmas
        ("decide", D(2026, 3, 27), D(2026, 4, 14)),  # 10 working days over Easter 2026
        ("appeal", D(2026, 5, 1), D(2026, 6, 2)),  # 20 working days over two May bank holidays
    ],
    ids=["acknowledge-christmas", "decide-easter", "appeal-may"],
)
def test_timescales_count_working_days(step: str, start: dt.date, expected: dt.date) -> None:
    """Each timescale's last day skips weekends and England and Wales bank holidays."""
    timescales = Timescales(acknowledge=5, decide=10, appeal=20)
    assert getattr(timescales, f"{step}_by")(start) == expected


def test_unstated_timescales_give_no_date() -> None:
    """A timescale the policy does not state gives no date rather than a guess."""
    assert Timescales().decide_by(D(2026, 1, 5)) is None


@pytest.mark.parametrize("value", [0, -1, True, "10"], ids=repr)
def test_timescales_must_be_whole_working_days(value: object) -> None:
    """A timescale is a whole number of working days, at least one."""
    with pytest.raises(InvalidPolicy, match=r"^timescales\.decide="):
        Timescales(decide=value)  # type: ignore[arg-type]


def test_appeal_route_must_say_something() -> None:
    """An appeal route with no words is refused."""
    with pytest.raises(InvalidPolicy, match=r"^appeal\.route=' ': must be a non-empty string"):
        Appeal(" ")


def test_area_versions_are_ordered_and_must_not_overlap() -> None:
    """An area orders its versions by date, and refuses two in force on the same day."""
    first = attrs.evolve(STATUTORY, version="1", effective_to=D(2024, 12, 31))
    second = attrs.evolve(STATUTORY, version="2", effective_from=D(2025, 1, 1))
    assert Area("statutory", (second, first)).versions == (first, second)
    assert Area("statutory", (first, second)).gaps() == ()
    with pytest.raises(InvalidPolicy, match=r"^versions\[1\]\.effective_from=.*overlaps version '1'"):
        Area("statutory", (attrs.evolve(first, effective_to=D(2025, 1, 1)), second))
    with pytest.raises(InvalidPolicy, match=r"^versions\[0\]\.id='statutory': differs from the area id 'x'"):
        Area("x", (first,))
    with pytest.raises(InvalidPolicy, match=r"^versions=\(\): area 'x' needs at least one version"):
        Area("x", ())
