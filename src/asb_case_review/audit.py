"""The audit fields every JSON output carries: what made it, under which policy, in which words.

A council keeps a decision for years.  The record must say which format it is
in (``schema_version``), which library made it (``library_version``) and the
policy exactly as applied: its id, its version and a content hash, the SHA-256
of the policy's canonical file text (:func:`policy_text`), so that a record
can be matched to the policy file that decided it even if the version label
was not changed when the rules were.

>>> from asb_case_review.catalogue import STATUTORY
>>> fields = audit_fields([STATUTORY])
>>> fields["schema_version"], fields["policies"][0]["id"], len(fields["policies"][0]["sha256"])
('1', 'statutory', 64)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Final

from . import __version__
from .policy import Policy
from .policyfile import dump

__all__ = [
    "SCHEMA_VERSION",
    "audit_fields",
    "policy_hash",
    "policy_stamp",
    "policy_text",
    "stamped_decision",
]

SCHEMA_VERSION: Final = "1"
"""The version of the JSON formats (docs/schemas): raised when a field changes meaning or goes."""


def policy_text(policy: Policy) -> str:
    """The canonical file text of *policy*: its policy file in JSON, as :func:`~.policyfile.dump` writes it.

    JSON rather than TOML, because its writer (the standard library's) fixes
    every byte: the same policy always gives the same text.
    """
    return dump(policy, format="json")


def policy_hash(policy: Policy) -> str:
    """The SHA-256 of :func:`policy_text`, in hexadecimal.

    >>> from asb_case_review.catalogue import STATUTORY
    >>> policy_hash(STATUTORY) == hashlib.sha256(policy_text(STATUTORY).encode()).hexdigest()
    True
    """
    return hashlib.sha256(policy_text(policy).encode("utf-8")).hexdigest()


def policy_stamp(policy: Policy) -> dict[str, str]:
    """The policy as an audit record names it: ``id``, ``version`` and ``sha256``.

    >>> from asb_case_review.catalogue import STATUTORY
    >>> sorted(policy_stamp(STATUTORY))
    ['id', 'sha256', 'version']
    """
    return {"id": policy.id, "version": policy.version, "sha256": policy_hash(policy)}


def audit_fields(policies: Iterable[Policy]) -> dict[str, Any]:
    """``schema_version``, ``library_version`` and each policy's stamp, to lead a JSON output."""
    return {
        "schema_version": SCHEMA_VERSION,
        "library_version": __version__,
        "policies": [policy_stamp(p) for p in policies],
    }


def stamped_decision(data: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """A decision's plain data (``to_dict``, ``to_applicant_dict``) led by the audit fields.

    Its ``policy`` gains the ``sha256`` of the policy applied.

    >>> from asb_case_review import STATUTORY, evaluate, to_dict
    >>> from asb_case_review.examples import example_application
    >>> record = stamped_decision(to_dict(evaluate(example_application(), STATUTORY)), STATUTORY)
    >>> list(record)[:4], record["policy"]["sha256"] == policy_hash(STATUTORY)
    (['schema_version', 'library_version', 'application', 'as_of'], True)
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "library_version": __version__,
        **data,
        "policy": policy_stamp(policy),
    }
