"""The catalogue's files, read once: this module's import is the one place they are read.

Python imports a module once, under its import lock, so whichever thread asks
first reads the files and every other thread waits for and shares the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ..errors import InvalidPolicyFile
from ..policy import Area, Policy
from ..policyfile import SchemeMember, load_entry
from . import apply_scheme, catalogue_files, catalogue_text

__all__ = ["AREAS", "CATALOGUE", "SCHEMES"]


def _read() -> Mapping[str, Area]:
    areas: dict[str, Area] = {}
    members: dict[str, tuple[str, SchemeMember]] = {}
    for name in catalogue_files():
        entry = load_entry(catalogue_text(name), file=f"catalogue/{name}")
        if f"{entry.id}.toml" != name:
            raise InvalidPolicyFile(f"catalogue/{name}", "id", entry.id, "must match the file name")
        if isinstance(entry, SchemeMember):
            members[entry.id] = (name, entry)
        else:
            areas[entry.id] = entry
    # A scheme is an area with rules of its own: a member naming another member is a chain,
    # which apply_scheme refuses by name because the named area applies a scheme itself.
    pending = {ident: member for ident, (_, member) in members.items()}
    for ident, (name, member) in sorted(members.items()):
        if member.scheme in pending and member.scheme != ident:
            chained = pending[member.scheme].scheme
            raise InvalidPolicyFile(
                f"catalogue/{name}",
                "scheme",
                member.scheme,
                f"itself applies scheme {chained!r}; a scheme of a scheme is not allowed: name {chained!r}",
            )
        areas[ident] = apply_scheme(member, areas, file=f"catalogue/{name}")
    return MappingProxyType(dict(sorted(areas.items())))


AREAS: Final = _read()
SCHEMES: Final[Mapping[str, str]] = MappingProxyType(
    {ident: area.latest.scheme for ident, area in AREAS.items() if area.latest.scheme is not None}
)
CATALOGUE: Final[Mapping[str, Policy]] = MappingProxyType({i: a.latest for i, a in AREAS.items()})
