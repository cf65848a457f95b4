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
from ..policyfile import load_area
from . import catalogue_files, catalogue_text

__all__ = ["AREAS", "CATALOGUE"]


def _read() -> Mapping[str, Area]:
    areas: dict[str, Area] = {}
    for name in catalogue_files():
        area = load_area(catalogue_text(name), file=f"catalogue/{name}")
        if f"{area.id}.toml" != name:
            raise InvalidPolicyFile(f"catalogue/{name}", "id", area.id, "must match the file name")
        areas[area.id] = area
    return MappingProxyType(areas)


AREAS: Final = _read()
CATALOGUE: Final[Mapping[str, Policy]] = MappingProxyType({i: a.latest for i, a in AREAS.items()})
