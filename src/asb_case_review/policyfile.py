"""Policy files: an area's ASB Case Review policy written as TOML or JSON, read and written back.

A policy file is data in a closed vocabulary: nothing in it is executed.
Reading one builds the same immutable values as Python code does
(:class:`~asb_case_review.policy.Policy` and its rules), and :func:`dump`
writes them back, so that ``load_policy(dump(p)) == p`` (TOML is written by tomli-w, in the
``toml`` extra; JSON needs nothing more).  Every error names
the file, the path inside it (``local[1].at_least``) and the value, and
suggests the nearest valid key or word where there is one.

The format is documented, with one worked file per rule kind, in
``docs/policies.md``.  In short::

    id = "my-council"
    title = "My Council"
    source = "page"                      # a name from [sources], or an inline table
    version = "2025-04-01"
    effective_from = 2025-04-01
    threshold = 3                        # the mandatory route of s.104(4)

    [sources.page]
    title = "My Council, 'ASB Case Review'"
    url = "https://example.gov.uk/asb-case-review"

    [[local]]
    id = "personal"
    label = "you have reported three separate incidents in the last six months"
    source = "page"
    kind = "count"
    at_least = 3
    unit = "incidents"
    who = "victim"
    lag = "none"
    window = { months = 6, anchor = "application" }

An area with several dated versions lists them under ``[[versions]]``; the
keys at the top are shared by every version unless a version gives its own.

The built-in catalogue is read from these files by :mod:`asb_case_review.catalogue`.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import json
import tomllib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Literal, TypeVar

import attrs

from ._limits import (
    MAX_DATA_DEPTH,
    MAX_DAYS,
    MAX_DIGITS,
    MAX_MONTHS,
    MAX_WORKING_DAYS,
    Unreadable,
    loads_json,
    too_deep,
)
from ._readers import FileReader
from ._readers import join_path as _join
from ._readers import unknown as _unknown
from .dates import Arithmetic, Span, TimeUnit
from .errors import CaseReviewError, InvalidPolicy, InvalidPolicyFile
from .law.reports import refusals
from .models import Agency, Fact
from .policy import (
    EXPLANATORY_NOTES,
    GUIDANCE_2025,
    SCHEDULE_4,
    STATUTE,
    Appeal,
    Area,
    Body,
    Policy,
    Region,
    Timescales,
    statutory_route,
)
from .qualifying import Anchor, BehaviourDay, DateOf, Lag, LagScope, Selection, Who, Window
from .rules import (
    AllOf,
    AnyOf,
    Consent,
    Count,
    CountUnit,
    FactIs,
    Not,
    Predicate,
    Recency,
    Rule,
    Source,
)

__all__ = [
    "BUILT_IN_SOURCES",
    "FILE_KEYS",
    "RULE_KINDS",
    "Format",
    "SchemeMember",
    "dump",
    "load_area",
    "load_entry",
    "load_policy",
    "parse",
]

Format = Literal["toml", "json"]

E = TypeVar("E", bound=enum.Enum)

BUILT_IN_SOURCES: Final[Mapping[str, Source]] = MappingProxyType(
    {
        "statute": STATUTE,
        "explanatory_notes": EXPLANATORY_NOTES,
        "schedule_4": SCHEDULE_4,
        "guidance_2025": GUIDANCE_2025,
    }
)
"""Sources a file may cite by name without defining them under ``[sources]``."""

_SELECTION_KEYS: Final = ("who", "window", "lag", "hate_only", "exclude_kinds", "agencies", "behaviour_day")
_RULE_KEYS: Final = ("id", "label", "source")

RULE_KINDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "count": ("at_least", "unit", *_SELECTION_KEYS),
        "recency": ("within", "date_of", *_SELECTION_KEYS),
        "fact": ("fact", "expected"),
        "consent": (),
        "all_of": ("parts",),
        "any_of": ("parts",),
        "not": ("part",),
        "rule": ("predicate",),
    }
)
"""Every rule kind a file may use, with the keys each takes besides ``kind``, ``id``, ``label``
and ``source``."""

_VERSION_KEYS: Final = (
    "version",
    "effective_from",
    "effective_from_assumed",
    "effective_to",
    "threshold",
    "mandatory",
    "local",
    "conditions",
)
_SHARED_KEYS: Final = ("title", "source", "related_by", "appeal", "timescales", "region", "body", "notes")
_TOP_KEYS: Final = ("id", "sources", "versions", "scheme", *_SHARED_KEYS, *_VERSION_KEYS)
_MEMBER_KEYS: Final = (
    "id",
    "scheme",
    "title",
    "source",
    "sources",
    "region",
    "body",
    "appeal",
    "timescales",
    "notes",
)
_SOURCE_KEYS: Final = ("title", "section", "url", "read_on", "modified")


@attrs.frozen
class SchemeMember:
    """A file that applies another area's threshold: ``scheme = "<id>"`` and metadata, no rules.

    A force, commissioner or partnership scheme that covers several councils is
    written once; each council that applies it names it.  The catalogue builds the
    council's :class:`~asb_case_review.policy.Area` from the scheme's versions
    (:func:`asb_case_review.catalogue.apply_scheme`): the same rules, with this
    area's id, title and metadata, and its own appeal route, timescales and page
    where it gives them.
    """

    id: str
    scheme: str = attrs.field(kw_only=True)
    title: str = attrs.field(kw_only=True)
    source: Source | None = attrs.field(default=None, kw_only=True)
    region: Region | None = attrs.field(default=None, kw_only=True)
    body: Body | None = attrs.field(default=None, kw_only=True)
    appeal: Appeal | None = attrs.field(default=None, kw_only=True)
    timescales: Timescales | None = attrs.field(default=None, kw_only=True)
    notes: str | None = attrs.field(default=None, kw_only=True)


_IN_VERSION_KEYS: Final = (*_VERSION_KEYS, *_SHARED_KEYS)

FILE_KEYS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"file": _TOP_KEYS, "version": _IN_VERSION_KEYS, "source": _SOURCE_KEYS}
)
"""The keys a policy file's top level, each of its ``[[versions]]`` and each source may hold
(a rule's keys are :data:`RULE_KINDS`'); the JSON Schema of a policy file is built from them."""


# --------------------------------------------------------------------- reading


class _Reader(FileReader):
    """Reads one policy file's parsed data, naming the file and the path in every error."""

    def __init__(self, file: str, sources: Mapping[str, Source] | None = None) -> None:
        super().__init__(file)
        self.sources: Mapping[str, Source] = sources or {}

    def span(self, value: object, path: str, extra: tuple[str, ...] = ()) -> tuple[Span, Mapping[str, Any]]:
        data = self.table(value, path, ("months", "days", *extra), "a length of time")
        given = [unit for unit in ("months", "days") if unit in data]
        if len(given) != 1:
            raise self.fail(path, dict(data), "give exactly one of months or days")
        unit = given[0]
        # Longer spans would carry dates of the supported range off the calendar.
        count = self.whole(data[unit], _join(path, unit), 1, MAX_MONTHS if unit == "months" else MAX_DAYS)
        return Span(count, TimeUnit(unit)), data

    def source(self, value: object, path: str) -> Source:
        if isinstance(value, str):
            if value in self.sources:
                return self.sources[value]
            if value in BUILT_IN_SOURCES:
                return BUILT_IN_SOURCES[value]
            names = sorted({*self.sources, *BUILT_IN_SOURCES})
            raise self.fail(path, value, _unknown("a source name (see [sources])", value, names))
        data = self.table(value, path, _SOURCE_KEYS, "a source")
        return Source(
            self.text(self.required(data, "title", path), _join(path, "title")),
            section=self.optional_text(data, "section", path),
            url=self.optional_text(data, "url", path),
            read_on=None if "read_on" not in data else self.day(data["read_on"], _join(path, "read_on")),
            modified=self.optional_text(data, "modified", path),
        )

    # ----------------------------------------------------------- rules

    def rule(self, value: object, path: str) -> Rule:
        """A rule at the top of ``mandatory``, ``local`` or ``conditions``: id and label required."""
        if isinstance(value, Mapping):
            for key in ("id", "label"):
                self.required(value, key, path)
        built = self.predicate(value, path)
        assert isinstance(built, Rule)  # a node with an id is always a rule
        return built

    def predicate(self, value: object, path: str) -> Predicate:
        if not isinstance(value, Mapping):
            raise self.fail(path, value, "must be a table describing a rule")
        kind = self.required(value, "kind", path)
        if not isinstance(kind, str) or kind not in RULE_KINDS:
            raise self.fail(_join(path, "kind"), kind, _unknown("a rule kind", str(kind), list(RULE_KINDS)))
        keys = ("kind", *_RULE_KEYS, *RULE_KINDS[kind])
        data = self.table(value, path, keys, f"a {kind} rule")
        try:
            inner = self._build(kind, data, path)
            if "id" not in data:
                for key in ("label", "source"):
                    if key in data:
                        raise self.fail(
                            _join(path, key), data[key], "only a rule with an id has a label or source"
                        )
                return inner
            ident = self.text(data["id"], _join(path, "id"))
            label = self.text(self.required(data, "label", path), _join(path, "label"))
            source = None if "source" not in data else self.source(data["source"], _join(path, "source"))
            return Rule(ident, inner, label=label, source=source)
        except InvalidPolicyFile:
            raise
        except CaseReviewError as error:
            # A check the values make of themselves (rules nested too deep): name the place in the file.
            field = getattr(error, "field", getattr(error, "path", ""))
            problem = getattr(error, "problem", str(error))
            raise self.fail(_join(path, field), getattr(error, "value", None), problem) from None

    def _build(self, kind: str, data: Mapping[str, Any], path: str) -> Predicate:  # noqa: PLR0911  (one per kind)
        match kind:
            case "count":
                at_least = self.whole(self.required(data, "at_least", path), _join(path, "at_least"), 1)
                unit = self.choice(CountUnit, data.get("unit", "complaints"), _join(path, "unit"))
                return Count(at_least, unit=unit, selection=self.selection(data, path))
            case "recency":
                within = Span(1, TimeUnit.MONTHS)
                if "within" in data:
                    within = self.span(data["within"], _join(path, "within"))[0]
                date_of = self.choice(DateOf, data.get("date_of", "report"), _join(path, "date_of"))
                return Recency(within, date_of=date_of, selection=self.selection(data, path))
            case "fact":
                name = self.choice(Fact, self.required(data, "fact", path), _join(path, "fact"))
                expected = self.flag(data.get("expected", True), _join(path, "expected"))
                return FactIs(name, expected=expected)
            case "consent":
                return Consent()
            case "all_of" | "any_of":
                raw = self.required(data, "parts", path)
                if not isinstance(raw, list) or not raw:
                    raise self.fail(_join(path, "parts"), raw, "must be a non-empty list of rules")
                parts = tuple(self.predicate(p, f"{path}.parts[{i}]") for i, p in enumerate(raw))
                return AllOf(parts) if kind == "all_of" else AnyOf(parts)
            case "not":
                return Not(self.predicate(self.required(data, "part", path), _join(path, "part")))
            case "rule":  # a named rule whose predicate is itself given as a node
                return self.predicate(self.required(data, "predicate", path), _join(path, "predicate"))
            case _:  # pragma: no cover - every kind in RULE_KINDS is built above
                # RULE_KINDS names a kind this reader does not build: refuse it, never guess.
                raise self.fail(_join(path, "kind"), kind, "is a rule kind this reader does not build")

    def selection(self, data: Mapping[str, Any], path: str) -> Selection:
        fields: dict[str, Any] = {}
        if "who" in data:
            fields["who"] = self.choice(Who, data["who"], _join(path, "who"))
        if "window" in data:
            fields["window"] = self.window(data["window"], _join(path, "window"))
        if "lag" in data:
            fields["lag"] = self.lag(data["lag"], _join(path, "lag"))
        if "hate_only" in data:
            fields["hate_only"] = self.flag(data["hate_only"], _join(path, "hate_only"))
        if "exclude_kinds" in data:
            fields["exclude_kinds"] = frozenset(
                self.words(data["exclude_kinds"], _join(path, "exclude_kinds"))
            )
        if "agencies" in data:
            where = _join(path, "agencies")
            names = self.words(data["agencies"], where)
            fields["agencies"] = frozenset(
                self.choice(Agency, n, f"{where}[{i}]") for i, n in enumerate(names)
            )
        if "behaviour_day" in data:
            fields["behaviour_day"] = self.choice(
                BehaviourDay, data["behaviour_day"], _join(path, "behaviour_day")
            )
        return Selection(**fields)

    def window(self, value: object, path: str) -> Window:
        span, data = self.span(value, path, ("anchor", "date_of", "arithmetic", "application_within"))
        within: Span | None = Window(span).application_within
        if "application_within" in data:
            where = _join(path, "application_within")
            raw = data["application_within"]
            if raw == "none":
                within = None
            elif isinstance(raw, str):
                raise self.fail(where, raw, 'must be a table such as { months = 6 }, or "none" for no bound')
            else:
                within = self.span(raw, where, ())[0]
        return Window(
            span,
            anchor=self.choice(Anchor, data.get("anchor", "each_report"), _join(path, "anchor")),
            date_of=self.choice(DateOf, data.get("date_of", "report"), _join(path, "date_of")),
            arithmetic=self.choice(
                Arithmetic, data.get("arithmetic", "statutory"), _join(path, "arithmetic")
            ),
            application_within=within,
        )

    def lag(self, value: object, path: str) -> Lag | None:
        if value == "none":
            return None
        if isinstance(value, str):
            raise self.fail(path, value, 'must be a table such as { months = 1 }, or "none" for no limit')
        span, data = self.span(value, path, ("applies_to", "arithmetic"))
        return Lag(
            span,
            applies_to=self.choice(LagScope, data.get("applies_to", "every"), _join(path, "applies_to")),
            arithmetic=self.choice(
                Arithmetic, data.get("arithmetic", "statutory"), _join(path, "arithmetic")
            ),
        )

    # ---------------------------------------------------------- policies

    def rules(self, value: object, path: str) -> tuple[Rule, ...]:
        if not isinstance(value, list):
            raise self.fail(path, value, "must be a list of rules ([[...]] tables)")
        return tuple(self.rule(item, f"{path}[{index}]") for index, item in enumerate(value))

    def appeal(self, value: object, path: str) -> Appeal:
        data = self.table(value, path, ("route", "source"), "an appeal route")
        route = self.text(self.required(data, "route", path), _join(path, "route"))
        source = None if "source" not in data else self.source(data["source"], _join(path, "source"))
        return Appeal(route, source=source)

    def timescales(self, value: object, path: str) -> Timescales:
        data = self.table(value, path, ("acknowledge", "decide", "appeal"), "timescales in working days")
        days = {key: self.whole(data[key], _join(path, key), 1, MAX_WORKING_DAYS) for key in data}
        return Timescales(**days)

    def version(self, ident: str, shared: Mapping[str, Any], data: Mapping[str, Any], path: str) -> Policy:
        def pick(key: str) -> tuple[Any, str]:
            if key in data:
                return data[key], _join(path, key)
            return shared.get(key), key

        fields: dict[str, Any] = {}
        title, where = pick("title")
        fields["title"] = self.text(title, where or _join(path, "title"))
        fields["version"] = self.text(self.required(data, "version", path), _join(path, "version"))
        fields["effective_from"] = self.day(
            self.required(data, "effective_from", path), _join(path, "effective_from")
        )
        if "effective_to" in data:
            fields["effective_to"] = self.day(data["effective_to"], _join(path, "effective_to"))
            if fields["effective_to"] < fields["effective_from"]:
                raise self.fail(
                    _join(path, "effective_to"),
                    fields["effective_to"],
                    f"is before effective_from={fields['effective_from'].isoformat()}",
                )
        if "threshold" in data and "mandatory" in data:
            raise self.fail(
                _join(path, "mandatory"), data["mandatory"], "give threshold or mandatory, not both"
            )
        if "threshold" in data:
            fields["mandatory"] = statutory_route(self.whole(data["threshold"], _join(path, "threshold"), 1))
        elif "mandatory" in data:
            fields["mandatory"] = self.rule(data["mandatory"], _join(path, "mandatory"))
        fields["local"] = self.rules(data.get("local", []), _join(path, "local"))
        fields["conditions"] = self.rules(data.get("conditions", []), _join(path, "conditions"))
        value, where = pick("source")
        if value is not None:
            fields["source"] = self.source(value, where)
        value, where = pick("related_by")
        if value is not None:
            fields["related_by"] = self.text(value, where)
        value, where = pick("appeal")
        if value is not None:
            fields["appeal"] = self.appeal(value, where)
        value, where = pick("timescales")
        if value is not None:
            fields["timescales"] = self.timescales(value, where)
        fields.update(self.metadata(pick))
        if "effective_from_assumed" in data:
            where = _join(path, "effective_from_assumed")
            fields["effective_from_assumed"] = self.flag(data["effective_from_assumed"], where)
            if fields["effective_from_assumed"] and fields.get("notes") is None:
                raise self.fail(
                    where,
                    value=True,
                    problem="needs notes saying why the date is assumed and what it rests on",
                )
        try:
            return Policy(ident, **fields)
        except InvalidPolicy as error:
            # Policy checks the whole (rule ids used twice); name the place in the file.
            raise self.fail(_join(path, error.path), error.value, error.problem) from None

    def metadata(self, pick: Any) -> dict[str, Any]:
        """The region, body and notes, wherever *pick* finds them."""
        fields: dict[str, Any] = {}
        value, where = pick("region")
        if value is not None:
            fields["region"] = self.choice(Region, value, where)
        value, where = pick("body")
        if value is not None:
            fields["body"] = self.choice(Body, value, where)
        value, where = pick("notes")
        if value is not None:
            fields["notes"] = self.text(value, where)
        return fields

    def member(self, ident: str, data: Mapping[str, Any]) -> SchemeMember:
        """A file that applies the scheme named by its ``scheme`` key: metadata only."""
        scheme = self.text(data["scheme"], "scheme")
        if scheme == ident:
            raise self.fail("scheme", scheme, "names the area itself; a scheme is another area's id")
        for key in data:
            if key not in _MEMBER_KEYS:
                raise self.fail(
                    str(key),
                    data[key],
                    f"a file that applies scheme {scheme!r} holds no rules or versions of its own "
                    f"(the scheme's apply); keys here: {', '.join(_MEMBER_KEYS)}",
                )

        def pick(key: str) -> tuple[Any, str]:
            return data.get(key), key

        fields: dict[str, Any] = self.metadata(pick)
        fields["title"] = self.text(self.required(data, "title", ""), "title")
        if "source" in data:
            fields["source"] = self.source(data["source"], "source")
        if "appeal" in data:
            fields["appeal"] = self.appeal(data["appeal"], "appeal")
        if "timescales" in data:
            fields["timescales"] = self.timescales(data["timescales"], "timescales")
        return SchemeMember(ident, scheme=scheme, **fields)

    def dated(self, versions: list[Policy]) -> None:
        """Refuse versions that share a name or overlap, naming them by their place in the file."""
        names: dict[str, int] = {}
        for index, version in enumerate(versions):
            if version.version in names:
                raise self.fail(f"versions[{index}].version", version.version, "is used by another version")
            names[version.version] = index
        ordered = sorted(enumerate(versions), key=lambda pair: pair[1].effective_from)
        for (_, earlier), (index, later) in itertools.pairwise(ordered):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                ends = "has no end" if earlier.effective_to is None else f"ends {earlier.effective_to}"
                raise self.fail(
                    f"versions[{index}].effective_from",
                    later.effective_from,
                    f"overlaps version {earlier.version!r}, which {ends}",
                )

    def entry(self, value: object) -> Area | SchemeMember:
        data = self.table(value, "", _TOP_KEYS, "a policy file")
        ident = self.text(self.required(data, "id", ""), "id")
        if "sources" in data:
            raw = data["sources"]
            if not isinstance(raw, Mapping):
                raise self.fail("sources", raw, "must be a table of named sources ([sources.NAME])")
            self.sources = {str(name): self.source(item, f"sources.{name}") for name, item in raw.items()}
        if "scheme" in data:
            return self.member(ident, data)
        if "versions" in data:
            clash = [key for key in _VERSION_KEYS if key in data]
            if clash:
                raise self.fail(
                    clash[0],
                    data[clash[0]],
                    "belongs inside each [[versions]] entry when versions are listed",
                )
            raw_versions = data["versions"]
            if not isinstance(raw_versions, list) or not raw_versions:
                raise self.fail("versions", raw_versions, "must be a non-empty list of [[versions]] tables")
            versions = []
            for index, item in enumerate(raw_versions):
                where = f"versions[{index}]"
                entry = self.table(item, where, _IN_VERSION_KEYS, "a policy version")
                versions.append(self.version(ident, data, entry, where))
        else:
            versions = [self.version(ident, data, data, "")]
        self.dated(versions)
        try:
            return Area(ident, tuple(versions))
        except InvalidPolicy as error:
            # Versions that overlap, or share a name: the error names the version's place.
            raise self.fail(error.path, error.value, error.problem) from None


def parse(text: str, *, format: Format = "toml", file: str = "<policy>") -> Any:  # noqa: A002
    """The data in *text*, a TOML or JSON document, or an error naming *file*.

    >>> parse('id = "x"', file="x.toml")
    {'id': 'x'}
    >>> parse('id = ', file="x.toml")
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidPolicyFile: x.toml: not valid TOML: Invalid value (at end of document)
    """
    if not isinstance(text, str):
        raise InvalidPolicyFile(file, "", None, f"must be given text (str), not {type(text).__name__}")
    if format == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InvalidPolicyFile(file, "", None, f"not valid TOML: {error}") from None
        except RecursionError:
            raise InvalidPolicyFile(
                file, "", None, f"not valid TOML: nests more than {MAX_DATA_DEPTH} deep"
            ) from None
        except ValueError:
            # tomllib reads integers with int(), which refuses more digits than Python's limit.
            raise InvalidPolicyFile(
                file, "", None, f"not valid TOML: a number has more than {MAX_DIGITS:,} digits"
            ) from None
    elif format == "json":
        try:
            data = loads_json(text)
        except json.JSONDecodeError as error:
            raise InvalidPolicyFile(
                file, "", None, f"not valid JSON: {error.msg} (at line {error.lineno}, column {error.colno})"
            ) from None
        except Unreadable as error:
            raise InvalidPolicyFile(file, "", None, f"not valid JSON: {error}") from None
    else:
        raise InvalidPolicyFile(file, "", None, f"unknown format {format!r}; expected toml or json")
    if too_deep(data):
        raise InvalidPolicyFile(file, "", None, f"tables and lists nest more than {MAX_DATA_DEPTH} deep")
    return data


def load_area(text: str, *, format: Format = "toml", file: str = "<policy>") -> Area:  # noqa: A002
    """Every version of the policy written in *text*, as an :class:`~asb_case_review.policy.Area`.

    Versions that overlap are an error; versions with days between them are
    kept, and :meth:`Area.gaps <asb_case_review.policy.Area.gaps>` lists the days.

    >>> area = load_area('''
    ... id = "x"
    ... title = "X"
    ... [[versions]]
    ... version = "1"
    ... effective_from = 2024-01-01
    ... effective_to = 2024-12-31
    ... [[versions]]
    ... version = "2"
    ... effective_from = 2025-02-01
    ... threshold = 2
    ... ''', file="x.toml")
    >>> area.version_on(dt.date(2025, 3, 1)).threshold, [str(g) for g in area.gaps()]
    (2, ['2025-01-01 to 2025-01-31'])
    """
    entry = load_entry(text, format=format, file=file)
    if isinstance(entry, SchemeMember):
        raise InvalidPolicyFile(
            file,
            "scheme",
            entry.scheme,
            "applies another area's threshold; read the file with load_entry and build its "
            "area with asb_case_review.catalogue.apply_scheme",
        )
    return entry


def load_entry(text: str, *, format: Format = "toml", file: str = "<policy>") -> Area | SchemeMember:  # noqa: A002
    r"""The area written in *text*, or, for a file that names a ``scheme``, its :class:`SchemeMember`.

    >>> member = load_entry('''
    ... id = "knowsley"
    ... title = "Knowsley Council"
    ... scheme = "merseyside"
    ... region = "North West"
    ... body = "council"
    ... ''', file="knowsley.toml")
    >>> member.scheme, member.region
    ('merseyside', <Region.NORTH_WEST: 'North West'>)
    >>> load_entry('id = "x"\ntitle = "X"\nscheme = "y"\nthreshold = 2', file="x.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidPolicyFile: x.toml: threshold=2: a file that applies scheme 'y' holds no ...
    """
    return _Reader(file).entry(parse(text, format=format, file=file))


def load_policy(text: str, *, format: Format = "toml", file: str = "<policy>") -> Policy:  # noqa: A002
    r"""The one policy version written in *text*; an error if the file lists several.

    >>> head = 'id = "x"\ntitle = "X"\nversion = "1"\neffective_from = 2025-04-01\n'
    >>> p = load_policy(head)
    >>> p.threshold, p.local
    (3, ())
    >>> load_policy(head + "threshhold = 2", file="x.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidPolicyFile: x.toml: threshhold=2: ... did you mean 'threshold'? ...
    """
    area = load_area(text, format=format, file=file)
    if len(area.versions) != 1:
        raise InvalidPolicyFile(file, "versions", len(area.versions), "holds several versions; use load_area")
    return area.versions[0]


# --------------------------------------------------------------------- writing


class _Writer:
    """Turns policies into the plain data of a file, naming shared sources once."""

    def __init__(self) -> None:
        self.names: dict[Source, str] = {}

    def source(self, source: Source, *, prefer: str = "") -> str:
        for name, known in BUILT_IN_SOURCES.items():
            if known == source:
                return name
        if source not in self.names:
            taken = set(self.names.values())
            name = prefer if prefer and prefer not in taken else f"source-{len(self.names) + 1}"
            while name in taken:
                name += "-"
            self.names[source] = name
        return self.names[source]

    def sources(self) -> dict[str, Any]:
        return {name: _source_table(source) for source, name in self.names.items()}

    def predicate(self, predicate: Predicate, path: str) -> dict[str, Any]:  # noqa: PLR0911  (one per kind)
        if isinstance(predicate, Rule):
            inner = predicate.predicate
            node: dict[str, Any] = {"id": predicate.id, "label": predicate.label}
            if predicate.source is not None:
                node["source"] = self.source(predicate.source)
            if isinstance(inner, Rule):
                node.update(kind="rule", predicate=self.predicate(inner, _join(path, "predicate")))
            else:
                node.update(self.predicate(inner, path))
            return node
        match predicate:
            case Count():
                node = {"kind": "count", "at_least": predicate.at_least, "unit": predicate.unit.value}
                node.update(_selection(predicate.selection, path))
                return node
            case Recency():
                node = {"kind": "recency", "within": _span(predicate.within)}
                if predicate.date_of is not DateOf.REPORT:
                    node["date_of"] = predicate.date_of.value
                node.update(_selection(predicate.selection, path))
                return node
            case FactIs():
                node = {"kind": "fact", "fact": predicate.fact.value}
                if not predicate.expected:
                    node["expected"] = False
                return node
            case Consent():
                return {"kind": "consent"}
            case AllOf() | AnyOf():
                kind = "all_of" if isinstance(predicate, AllOf) else "any_of"
                parts = [self.predicate(p, f"{path}.parts[{i}]") for i, p in enumerate(predicate.parts)]
                return {"kind": kind, "parts": parts}
            case Not():
                return {"kind": "not", "part": self.predicate(predicate.part, _join(path, "part"))}
        raise InvalidPolicyFile(
            "<dump>",
            path,
            predicate,
            "is not a rule kind a policy file can hold; kinds: " + ", ".join(RULE_KINDS),
        )

    def shared(self, policy: Policy) -> dict[str, Any]:
        data: dict[str, Any] = {"title": policy.title}
        if policy.source is not None:
            data["source"] = self.source(policy.source, prefer="page")
        if policy.related_by != "related incidents":
            data["related_by"] = policy.related_by
        if policy.appeal is not None:
            appeal: dict[str, Any] = {"route": policy.appeal.route}
            if policy.appeal.source is not None:
                appeal["source"] = self.source(policy.appeal.source)
            data["appeal"] = appeal
        timescales = {
            key: value
            for key in ("acknowledge", "decide", "appeal")
            if (value := getattr(policy.timescales, key)) is not None
        }
        if timescales:
            data["timescales"] = timescales
        if policy.region is not None:
            data["region"] = policy.region.value
        if policy.body is not None:
            data["body"] = policy.body.value
        if policy.notes is not None:
            data["notes"] = policy.notes
        return data

    def version(self, policy: Policy) -> dict[str, Any]:
        data: dict[str, Any] = {"version": policy.version, "effective_from": policy.effective_from}
        if policy.effective_from_assumed:
            data["effective_from_assumed"] = True
        if policy.effective_to is not None:
            data["effective_to"] = policy.effective_to
        if policy.mandatory == statutory_route(policy.threshold):
            data["threshold"] = policy.threshold
        else:
            data["mandatory"] = self.predicate(policy.mandatory, "mandatory")
        if policy.local:
            data["local"] = [self.predicate(r, f"local[{i}]") for i, r in enumerate(policy.local)]
        if policy.conditions:
            data["conditions"] = [
                self.predicate(r, f"conditions[{i}]") for i, r in enumerate(policy.conditions)
            ]
        return data


def _source_table(source: Source) -> dict[str, Any]:
    table: dict[str, Any] = {"title": source.title}
    if source.section is not None:
        table["section"] = source.section
    if source.url is not None:
        table["url"] = source.url
    if source.read_on is not None:
        table["read_on"] = source.read_on
    if source.modified is not None:
        table["modified"] = source.modified
    return table


def _span(span: Span) -> dict[str, Any]:
    return {span.unit.value: span.count}


_WRITTEN: Final = frozenset(
    {
        "Selection.who",
        "Selection.window",
        "Selection.lag",
        "Selection.hate_only",
        "Selection.exclude_kinds",
        "Selection.agencies",
        "Selection.behaviour_day",
        "Window.span",
        "Window.anchor",
        "Window.date_of",
        "Window.arithmetic",
        "Window.application_within",
        "Lag.span",
        "Lag.applies_to",
        "Lag.arithmetic",
    }
)
"""The settings of a selection (``law.reports.FIELDS``) that a policy file holds.  Written out by
name, not taken from ``FIELDS``: a setting added to the law is refused by :func:`dump` until the
file format can hold it, never silently left out of the file."""


def _selection(selection: Selection, path: str) -> dict[str, Any]:  # noqa: PLR0912  (one branch per key)
    unwritten = refusals(selection, dict.fromkeys(_WRITTEN, _anything))
    if unwritten:
        raise InvalidPolicy(path, selection, f"a policy file cannot hold {', '.join(unwritten)}")
    data: dict[str, Any] = {}
    default = Selection()
    if selection.who is not default.who:
        data["who"] = selection.who.value
    if selection.window != default.window:
        window = selection.window
        table = _span(window.span)
        if window.anchor is not Anchor.EACH_REPORT:
            table["anchor"] = window.anchor.value
        if window.date_of is not DateOf.REPORT:
            table["date_of"] = window.date_of.value
        if window.arithmetic is not Arithmetic.STATUTORY:
            table["arithmetic"] = window.arithmetic.value
        if window.application_within is None:
            table["application_within"] = "none"
        elif window.application_within != default.window.application_within:
            table["application_within"] = _span(window.application_within)
        data["window"] = table
    if selection.lag is None:
        data["lag"] = "none"
    elif selection.lag != default.lag:
        lag = selection.lag
        table = _span(lag.span)
        if lag.applies_to is not LagScope.EVERY:
            table["applies_to"] = lag.applies_to.value
        if lag.arithmetic is not Arithmetic.STATUTORY:
            table["arithmetic"] = lag.arithmetic.value
        data["lag"] = table
    if selection.hate_only:
        data["hate_only"] = True
    if selection.exclude_kinds:
        data["exclude_kinds"] = sorted(selection.exclude_kinds)
    if selection.agencies:
        data["agencies"] = sorted(a.value for a in selection.agencies)
    if selection.behaviour_day is not default.behaviour_day:
        data["behaviour_day"] = selection.behaviour_day.value
    return data


def _anything(_: object) -> bool:
    return True


def _member_data(item: Policy | Area, scheme: str) -> dict[str, Any]:
    # An area that applies a scheme is written as it is kept: the scheme's id and this
    # area's own metadata; the rules and versions are the scheme's, read from its file.
    writer = _Writer()
    latest = item if isinstance(item, Policy) else item.latest
    shared = writer.shared(latest)
    shared.pop("related_by", None)
    data: dict[str, Any] = {"id": item.id, "scheme": scheme, **shared}
    sources = writer.sources()
    if sources:
        data["sources"] = sources
    return data


def _to_data(item: Policy | Area) -> dict[str, Any]:
    schemes = {p.scheme for p in ([item] if isinstance(item, Policy) else item.versions)}
    if len(schemes) == 1 and (scheme := schemes.pop()) is not None:
        return _member_data(item, scheme)
    writer = _Writer()
    if isinstance(item, Policy):
        body = {**writer.shared(item), **writer.version(item)}
    else:
        shared = [writer.shared(p) for p in item.versions]
        versions = [writer.version(p) for p in item.versions]
        if all(own == shared[-1] for own in shared):
            body = {**shared[-1], "versions": versions}
        else:
            # Versions that differ in title, source or appeal carry their own in full.
            body = {"versions": [{**own, **entry} for own, entry in zip(shared, versions, strict=True)]}
    data: dict[str, Any] = {"id": item.id}
    data.update(body)
    sources = writer.sources()
    if sources:
        data["sources"] = sources
    return data


def dump(item: Policy | Area, *, format: Format = "toml") -> str:  # noqa: A002
    """*item* written as a policy file; :func:`load_policy` (or :func:`load_area`) reads it back.

    >>> from asb_case_review.catalogue import STATUTORY
    >>> print(dump(STATUTORY))  # doctest: +ELLIPSIS
    id = "statutory"
    title = "The statutory threshold of s.104(4), with no local rules"
    source = "statute"
    version = "2014-10-20"
    effective_from = 2014-10-20
    threshold = 3
    <BLANKLINE>
    >>> load_policy(dump(STATUTORY)) == STATUTORY
    True
    """
    data = _to_data(item)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    if format != "toml":
        raise InvalidPolicyFile("<dump>", "", None, f"unknown format {format!r}; expected toml or json")
    try:
        import tomli_w  # noqa: PLC0415 - the toml extra, imported only to write TOML
    except ImportError:
        raise ImportError(
            "writing a policy file as TOML needs tomli-w: pip install 'asb-case-review[toml]' "
            "(or write it with format='json')"
        ) from None
    return tomli_w.dumps(data)


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(value)  # pragma: no cover - the writer produces only plain data and dates
