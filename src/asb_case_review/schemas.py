"""JSON Schemas (draft 2020-12) of the formats the library reads and writes.

The schemas are built here from the library's own vocabularies (the rule kinds
and keys of policy files, the enums of outcomes, routes, reasons and units), so
that a new word in the code is a new word in its schema.  ``python -m
asb_case_review.schemas DIR`` writes them as files; the published copies are in
``docs/schemas/`` and a test checks that they are current.

>>> sorted(SCHEMAS)  # doctest: +NORMALIZE_WHITESPACE
['applicant-decision', 'application', 'batch-summary', 'decision', 'findings', 'policy', 'table']
>>> SCHEMAS["application"]["$schema"]
'https://json-schema.org/draft/2020-12/schema'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from ._limits import MAX_COUNT, MAX_DAYS, MAX_MONTHS, MAX_WORKING_DAYS
from .audit import SCHEMA_VERSION
from .conformance import Severity
from .dates import Arithmetic
from .decision import NoticeCode, Route
from .law.logic import Outcome
from .law.reports import Anchor, BehaviourDay, CountUnit, DateOf, LagScope, Reason, Who
from .models import Agency, Fact
from .policy import Body, Region
from .policyfile import FILE_KEYS, RULE_KINDS

__all__ = ["SCHEMAS", "schema_text"]

_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, Any]


def _words(kind: Any) -> list[str]:
    return [str(member.value) for member in kind]


def _null(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


_DAY: Final[Schema] = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_DAY_OR_MOMENT: Final[Schema] = {
    "type": "string",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}.*)?$",
    "description": "YYYY-MM-DD, or an ISO 8601 datetime with a UTC offset (its Europe/London day)",
}
_TEXT: Final[Schema] = {"type": "string", "minLength": 1}
_AUDIT: Final[Mapping[str, Schema]] = {
    "schema_version": {"const": SCHEMA_VERSION},
    "library_version": _TEXT,
}
_STAMP: Final[Schema] = {
    "type": "object",
    "properties": {"id": _TEXT, "version": _TEXT, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
    "required": ["id", "version", "sha256"],
}


def _object(properties: Mapping[str, Schema], required: tuple[str, ...] = (), **more: Any) -> Schema:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
        **more,
    }


def _document(title: str, body: Schema, defs: Mapping[str, Schema] | None = None) -> Schema:
    document: Schema = {"$schema": _DRAFT, "title": title, **body}
    if defs:
        document["$defs"] = dict(defs)
    return document


# ------------------------------------------------------------------ the application format


def _application() -> Schema:
    incident = _object(
        {
            "id": _TEXT,
            "matter": _TEXT,
            "began_on": _DAY_OR_MOMENT,
            "ended_on": _null(_DAY_OR_MOMENT),
            "hate": {"type": "boolean"},
        },
        ("id", "matter", "began_on"),
    )
    report = _object(
        {
            "id": _TEXT,
            "reporter": _TEXT,
            "household": _null(_TEXT),
            "made_on": _DAY_OR_MOMENT,
            "agency": {"enum": _words(Agency)},
            "kind": _TEXT,
            "incident": {"anyOf": [_TEXT, {"$ref": "#/$defs/incident"}]},
        },
        ("id", "reporter", "made_on", "incident"),
    )
    body = _object(
        {
            "id": _TEXT,
            "applicant": _TEXT,
            "made_on": _DAY_OR_MOMENT,
            "matter": _TEXT,
            "on_behalf_of": _null(_TEXT),
            "consent": _null({"type": "boolean"}),
            "related_by": _TEXT,
            "facts": {
                "type": "object",
                "propertyNames": {"enum": _words(Fact)},
                "additionalProperties": {"type": "boolean"},
            },
            "incidents": {"type": "array", "items": {"$ref": "#/$defs/incident"}},
            "reports": {"type": "array", "items": {"$ref": "#/$defs/report"}},
        },
        ("id", "applicant", "made_on", "matter", "reports"),
    )
    return _document("An application for an ASB Case Review", body, {"incident": incident, "report": report})


# ------------------------------------------------------------------ the policy file format


def _span(extra: Mapping[str, Schema]) -> Schema:
    return _object(
        {
            "months": {"type": "integer", "minimum": 1, "maximum": MAX_MONTHS},
            "days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
            **extra,
        },
        oneOf=[{"required": ["months"]}, {"required": ["days"]}],
    )


def _policy() -> Schema:
    arithmetic = {"enum": _words(Arithmetic)}
    selection: dict[str, Schema] = {
        "who": {"enum": _words(Who)},
        "window": {"$ref": "#/$defs/window"},
        "lag": {"anyOf": [{"const": "none"}, {"$ref": "#/$defs/lag"}]},
        "hate_only": {"type": "boolean"},
        "exclude_kinds": {"type": "array", "items": _TEXT},
        "agencies": {"type": "array", "items": {"enum": _words(Agency)}},
        "behaviour_day": {"enum": _words(BehaviourDay)},
    }
    keys: dict[str, Schema] = {
        **selection,
        "at_least": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
        "unit": {"enum": _words(CountUnit)},
        "within": {"$ref": "#/$defs/span"},
        "date_of": {"enum": _words(DateOf)},
        "fact": {"enum": _words(Fact)},
        "expected": {"type": "boolean"},
        "parts": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/rule"}},
        "part": {"$ref": "#/$defs/rule"},
        "predicate": {"$ref": "#/$defs/rule"},
    }
    required = {
        "count": ("at_least",),
        "fact": ("fact",),
        "all_of": ("parts",),
        "any_of": ("parts",),
        "not": ("part",),
        "rule": ("predicate",),
    }
    kinds = [
        _object(
            {
                "kind": {"const": kind},
                "id": _TEXT,
                "label": _TEXT,
                "source": {"$ref": "#/$defs/source"},
                **{key: keys[key] for key in allowed},
            },
            ("kind", *required.get(kind, ())),
        )
        for kind, allowed in RULE_KINDS.items()
    ]
    source = {
        "anyOf": [
            _TEXT,
            _object({key: _DAY if key == "read_on" else _TEXT for key in FILE_KEYS["source"]}, ("title",)),
        ]
    }
    shared: dict[str, Schema] = {
        "id": _TEXT,
        "scheme": _TEXT,
        "title": _TEXT,
        "source": {"$ref": "#/$defs/source"},
        "sources": {"type": "object", "additionalProperties": {"$ref": "#/$defs/source"}},
        "related_by": _TEXT,
        "appeal": _object({"route": _TEXT, "source": {"$ref": "#/$defs/source"}}, ("route",)),
        "timescales": _object(
            {
                key: {"type": "integer", "minimum": 1, "maximum": MAX_WORKING_DAYS}
                for key in ("acknowledge", "decide", "appeal")
            }
        ),
        "region": {"enum": _words(Region)},
        "body": {"enum": _words(Body)},
        "notes": _TEXT,
        "version": _TEXT,
        "effective_from": _DAY,
        "effective_from_assumed": {"type": "boolean"},
        "effective_to": _DAY,
        "threshold": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
        "mandatory": {"$ref": "#/$defs/rule"},
        "local": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        "conditions": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        "versions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/version"}},
    }
    body = _object({key: shared[key] for key in FILE_KEYS["file"]}, ("id",))
    version = _object({key: shared[key] for key in FILE_KEYS["version"]}, ("version", "effective_from"))
    defs = {
        "span": _span({}),
        "window": _span(
            {
                "anchor": {"enum": _words(Anchor)},
                "date_of": {"enum": _words(DateOf)},
                "arithmetic": arithmetic,
                "application_within": {"anyOf": [{"const": "none"}, {"$ref": "#/$defs/span"}]},
            }
        ),
        "lag": _span({"applies_to": {"enum": _words(LagScope)}, "arithmetic": arithmetic}),
        "rule": {"oneOf": kinds},
        "source": source,
        "version": version,
    }
    return _document("A policy file (the JSON form; TOML files hold the same keys)", body, defs)


# ------------------------------------------------------------------ decisions and other outputs


def _decision() -> Schema:
    window = _null(_object({"first": _DAY, "last": _DAY}, ("first", "last")))
    fate = _object(
        {
            "report": _TEXT,
            "reporter": _TEXT,
            "reason": {"enum": _words(Reason)},
            "because": _null(_TEXT),
            "detail": {"type": "string"},
            "window": window,
        },
        ("report", "reporter", "reason", "because", "detail", "window"),
    )
    tally = _object(
        {
            "unit": {"enum": _words(CountUnit)},
            "at_least": {"type": "integer"},
            "count": {"type": "integer"},
            "possible": {"type": "integer"},
            "window": window,
            "deadline": _null(_DAY),
            "fates": {"type": "array", "items": {"$ref": "#/$defs/fate"}},
        },
        ("unit", "at_least", "count", "possible", "window", "deadline", "fates"),
    )
    result = _object(
        {
            "outcome": {"enum": _words(Outcome)},
            "rule": _null(_TEXT),
            "describe": {"type": "string"},
            "summary": {"type": "string"},
            "valid_until": _null(_DAY),
            "label": {"type": "string"},
            "source": _null({"type": "string"}),
            "tally": {"$ref": "#/$defs/tally"},
            "children": {"type": "array", "items": {"$ref": "#/$defs/result"}},
        },
        ("outcome", "rule", "describe", "summary", "valid_until", "children"),
    )
    notice = _object(
        {
            "code": {"enum": _words(NoticeCode)},
            "message": {"type": "string"},
            "source": _null({"type": "string"}),
        },
        ("code", "message", "source"),
    )
    shortfall = _object(
        {
            "rule": _TEXT,
            "unit": {"enum": _words(CountUnit)},
            "count": {"type": "integer"},
            "at_least": {"type": "integer"},
            "more_needed": _null({"type": "integer"}),
            "deadline": _null(_DAY),
        },
        ("rule", "unit", "count", "at_least", "more_needed", "deadline"),
    )
    properties: dict[str, Schema] = {
        **_AUDIT,
        "application": _TEXT,
        "as_of": _DAY,
        "policy": _STAMP,
        "outcome": {"enum": _words(Outcome)},
        "policy_outcome": {"enum": _words(Outcome)},
        "route": _null({"enum": _words(Route)}),
        "matched": {"type": "array", "items": _TEXT},
        "met_until": _null(_DAY),
        "counted": {"type": "array", "items": _TEXT},
        "fates": {"type": "array", "items": {"$ref": "#/$defs/fate"}},
        "shortfalls": {"type": "array", "items": shortfall},
        "rules": {"type": "object", "additionalProperties": {"$ref": "#/$defs/result"}},
        "statutory_floor": {"$ref": "#/$defs/result"},
        "warnings": {"type": "array", "items": notice},
        "signals": {"type": "array", "items": notice},
        "settings": {"type": "object", "additionalProperties": {"type": "string"}},
        "letter": {"type": "string"},
    }
    body = _object(properties, tuple(properties))
    return _document(
        "A decision, for officers and the audit record (check --format json)",
        body,
        {"fate": fate, "tally": tally, "result": result},
    )


def _applicant_decision() -> Schema:
    properties: dict[str, Schema] = {
        **_AUDIT,
        "application": _TEXT,
        "as_of": _DAY,
        "policy": _STAMP,
        "outcome": {"enum": _words(Outcome)},
        "rules": {
            "type": "array",
            "items": _object({"label": _TEXT, "source": _null({"type": "string"})}, ("label", "source")),
        },
        "met_on": _null(_DAY),
        "statutory_floor_met": {"type": "boolean"},
        "your_reports": {
            "type": "array",
            "items": _object(
                {
                    "report": _TEXT,
                    "made_on": _DAY,
                    "counted": {"type": "boolean"},
                    "reason": {"enum": _words(Reason)},
                    "because": _null(_TEXT),
                },
                ("report", "made_on", "counted", "reason", "because"),
            ),
        },
        "near_misses": {
            "type": "array",
            "items": _object(
                {"rule": _TEXT, "more_needed": _null({"type": "integer"}), "deadline": _null(_DAY)},
                ("rule", "more_needed", "deadline"),
            ),
        },
        "review": _null(
            _object(
                {
                    "route": _null({"type": "string"}),
                    "source": _null({"type": "string"}),
                    "within_working_days": _null({"type": "integer"}),
                    "by": _null(_DAY),
                },
                ("route", "source", "within_working_days", "by"),
            )
        ),
        "questions": {"type": "array", "items": {"type": "string"}},
        "letter": {"type": "string"},
    }
    body = _object(properties, tuple(properties))
    return _document("What the applicant may be told (check --for applicant --format json)", body)


def _batch_summary() -> Schema:
    row = _object(
        {
            "source": _TEXT,
            "application": _null(_TEXT),
            "outcome": _null({"enum": _words(Outcome)}),
            "route": _null({"enum": _words(Route)}),
            "matched": _null(_TEXT),
            "policy": _null(_TEXT),
            "policy_version": _null(_TEXT),
            "problem": _null(_TEXT),
        },
        ("source", "application", "outcome", "route", "matched", "policy", "policy_version", "problem"),
    )
    body = _object(
        {
            **_AUDIT,
            "policies": {"type": "array", "items": _STAMP},
            "applications": {"type": "array", "items": row},
        },
        ("schema_version", "library_version", "policies", "applications"),
    )
    return _document("The summary of a batch of decisions (check DIR|FILE --out DIR: summary.json)", body)


def _table() -> Schema:
    cell = {"type": ["string", "number", "boolean", "null"]}
    body = _object(
        {
            **_AUDIT,
            "policies": {"type": "array", "items": _STAMP},
            "rows": {"type": "array", "items": {"type": "object", "additionalProperties": cell}},
        },
        ("schema_version", "library_version", "policies", "rows"),
    )
    return _document("A table of results (sweep, compare and stats --format json)", body)


def _findings() -> Schema:
    finding = _object(
        {
            "severity": {"enum": _words(Severity)},
            "path": {"type": "string"},
            "message": _TEXT,
            "source": _TEXT,
            "example": _null(_TEXT),
        },
        ("severity", "path", "message", "source", "example"),
    )
    checked = {
        "allOf": [_STAMP],
        "properties": {"findings": {"type": "array", "items": finding}},
        "required": ["findings"],
    }
    body = _object(
        {**_AUDIT, "policies": {"type": "array", "items": checked}},
        ("schema_version", "library_version", "policies"),
    )
    return _document("Conformance findings (policies check --format json)", body)


SCHEMAS: Final[Mapping[str, Schema]] = MappingProxyType(
    {
        "application": _application(),
        "policy": _policy(),
        "decision": _decision(),
        "applicant-decision": _applicant_decision(),
        "batch-summary": _batch_summary(),
        "table": _table(),
        "findings": _findings(),
    }
)
"""Each schema by name; ``docs/schemas/NAME.schema.json`` holds it as published."""


def schema_text(name: str) -> str:
    """The published text of schema *name*: sorted keys, two-space indent, a final newline."""
    return json.dumps(SCHEMAS[name], indent=2, sort_keys=True, ensure_ascii=False) + "\n"
