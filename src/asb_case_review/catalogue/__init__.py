"""The built-in catalogue: the statute and each area's published policy, as data.

One policy file per area (``<id>.toml``) with a file of its test cases
(``<id>.cases.toml``) is shipped in this package.  An area that applies another
area's threshold (a force, commissioner or partnership scheme covering several
councils) says ``scheme = "<id>"`` and holds no rules of its own: its policy is
built from the scheme's (:func:`apply_scheme`), and :data:`SCHEMES` lists the
relation.  They are read the first
time a name below is used, once, under Python's import lock (by the private
module ``_built``), so every caller in every thread sees the same immutable
mappings, and importing the library does not pay for reading them.

>>> from asb_case_review.catalogue import CATALOGUE, get_policy
>>> get_policy("merseyside") is CATALOGUE["merseyside"]
True
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
from collections.abc import Mapping
from importlib import resources
from types import ModuleType
from typing import TYPE_CHECKING, Final

import attrs

from ..errors import InvalidPolicy, InvalidPolicyFile

if TYPE_CHECKING:
    from ..policy import Area, Policy
    from ..policyfile import Format, SchemeMember

__all__ = [
    "AREAS",
    "CATALOGUE",
    "MERSEYSIDE",
    "SCHEMES",
    "STAFFORDSHIRE_MOORLANDS",
    "STATUTORY",
    "apply_scheme",
    "built_in_area",
    "catalogue_files",
    "catalogue_text",
    "get_policy",
    "not_built_in",
    "read_area",
]

AREAS: Mapping[str, Area]
"""Every built-in area with all its versions, by id; immutable."""
SCHEMES: Mapping[str, str]
"""For each area that applies another area's threshold, the id of that scheme; immutable."""
CATALOGUE: Mapping[str, Policy]
"""The built-in policies by id (the latest version of each area); immutable."""
STATUTORY: Policy
"""The statute alone: three qualifying complaints; the default policy."""
STAFFORDSHIRE_MOORLANDS: Policy
"""The seed area's published policy (applications via Staffordshire Police, 101)."""
MERSEYSIDE: Policy
"""Merseyside: the three-incident and five-individual rules, and one hate incident."""

_LATEST: Final = {
    "STATUTORY": "statutory",
    "STAFFORDSHIRE_MOORLANDS": "staffordshire-moorlands",
    "MERSEYSIDE": "merseyside",
}


def catalogue_files() -> tuple[str, ...]:
    """The names of the policy files shipped in the package, one per area.

    >>> "merseyside.toml" in catalogue_files()
    True
    """
    root = resources.files(__name__)
    return tuple(
        sorted(
            e.name for e in root.iterdir() if e.name.endswith(".toml") and not e.name.endswith(".cases.toml")
        )
    )


def catalogue_text(name: str) -> str:
    """The text of the catalogue file *name* (a policy file or a ``.cases.toml`` file)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def built_in_area(name: str) -> Area:
    """The built-in area *name*, equal to ``AREAS[name]``, reading only its own file (and its scheme's).

    A command that needs one area does not pay for reading all of them; once the whole
    catalogue has been read, the area is taken from it.  ``KeyError`` when there is no such area.

    >>> from asb_case_review.catalogue import AREAS
    >>> built_in_area("wirral") == AREAS["wirral"]
    True
    """
    import sys  # noqa: PLC0415 - only to see whether the catalogue has been read

    built = sys.modules.get(f"{__name__}._built")
    files = () if built is not None else catalogue_files()
    if built is not None or not isinstance(name, str) or f"{name}.toml" not in files:
        return (built or _loaded()).AREAS[name]  # type: ignore[no-any-return]
    from ..policyfile import SchemeMember, load_entry  # noqa: PLC0415 - read only when asked

    entry = load_entry(catalogue_text(f"{name}.toml"), file=f"catalogue/{name}.toml")
    if not isinstance(entry, SchemeMember):
        if entry.id == name:
            return entry
    elif entry.id == name and f"{entry.scheme}.toml" in files:
        scheme = load_entry(catalogue_text(f"{entry.scheme}.toml"), file=f"catalogue/{entry.scheme}.toml")
        if not isinstance(scheme, SchemeMember) and scheme.id == entry.scheme:
            return apply_scheme(entry, {scheme.id: scheme}, file=f"catalogue/{name}.toml")
    # Anything unusual (a wrong id, a missing scheme, a scheme of a scheme) is the whole
    # catalogue's to refuse by name, as it is when every file is read.
    return _loaded().AREAS[name]  # type: ignore[no-any-return]


def _loaded() -> ModuleType:
    # Imported here, not above, so that the files are read only when first asked for; the
    # import system runs _built once, under its lock, whichever thread asks first.
    return importlib.import_module(f"{__name__}._built")


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    built = _loaded()
    if name == "AREAS":
        return built.AREAS
    if name == "CATALOGUE":
        return built.CATALOGUE
    if name == "SCHEMES":
        return built.SCHEMES
    if name in _LATEST:
        return built.CATALOGUE[_LATEST[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def apply_scheme(member: SchemeMember, areas: Mapping[str, Area], *, file: str = "<policy>") -> Area:
    r"""The area of *member*: the versions of the scheme it names in *areas*, as this area's.

    Each version keeps the scheme's rules and dates and takes this area's id, title,
    region, body and notes, and its own page, appeal route and timescales where it
    gives them.  A scheme that is not in *areas*, or that itself applies a scheme
    (a chain), is an error naming *file*.

    >>> from asb_case_review.catalogue import AREAS
    >>> from asb_case_review.policyfile import load_entry
    >>> member = load_entry('id = "knowsley"\ntitle = "Knowsley Council"\nscheme = "merseyside"')
    >>> area = apply_scheme(member, AREAS)
    >>> area.latest.local == AREAS["merseyside"].latest.local, area.latest.scheme
    (True, 'merseyside')
    >>> apply_scheme(attrs.evolve(member, scheme="mersey"), AREAS)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidPolicyFile: <policy>: scheme='mersey': ... did you mean 'merseyside'? ...
    """
    if member.scheme == member.id:
        raise InvalidPolicyFile(file, "scheme", member.scheme, "names the area itself")
    scheme = areas.get(member.scheme)
    if scheme is None:
        import difflib  # noqa: PLC0415 - only an error needs it

        near = difflib.get_close_matches(member.scheme, list(areas), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise InvalidPolicyFile(
            file,
            "scheme",
            member.scheme,
            f"names no area of the catalogue; {hint}known: {', '.join(sorted(areas))}",
        )
    chained = scheme.latest.scheme
    if chained is not None:
        raise InvalidPolicyFile(
            file,
            "scheme",
            member.scheme,
            f"itself applies scheme {chained!r}; a scheme of a scheme is not allowed: name {chained!r}",
        )
    versions = tuple(
        attrs.evolve(
            version,
            id=member.id,
            title=member.title,
            source=member.source or version.source,
            appeal=member.appeal or version.appeal,
            timescales=version.timescales if member.timescales is None else member.timescales,
            region=member.region or version.region,
            body=member.body or version.body,
            notes=member.notes,
            scheme=scheme.id,
        )
        for version in scheme.versions
    )
    return type(scheme)(member.id, versions)


def read_area(text: str, *, format: Format = "toml", file: str = "<policy>") -> Area:  # noqa: A002
    r"""Every version of the policy file *text*; a file naming a ``scheme`` gets the built-in scheme's.

    >>> read_area('id = "wirral"\ntitle = "Wirral Council"\nscheme = "merseyside"').latest.scheme
    'merseyside'
    """
    from ..policyfile import SchemeMember, load_entry  # noqa: PLC0415 - read only when asked

    entry = load_entry(text, format=format, file=file)
    if isinstance(entry, SchemeMember):
        return apply_scheme(entry, _loaded().AREAS, file=file)
    return entry


def get_policy(name: str, *, on: dt.date | None = None) -> Policy:
    """The built-in policy called *name*: its latest version, or the version in force *on* a day.

    >>> get_policy("statutory").threshold
    3
    >>> get_policy("statutory", on=dt.date(2014, 1, 1))
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidPolicy: statutory=datetime.date(2014, 1, 1): no version is in force ...
    """
    if not isinstance(name, str):
        raise InvalidPolicy("policy", name, "must be the name of a built-in policy (a string)")
    if on is not None and (isinstance(on, dt.datetime) or not isinstance(on, dt.date)):
        raise InvalidPolicy("on", on, "must be a date (datetime.date) or None")
    areas: Mapping[str, Area] = _loaded().AREAS
    try:
        area = areas[name]
    except (KeyError, TypeError):
        raise InvalidPolicy("policy", name, not_built_in(name, areas)) from None
    return area.latest if on is None else area.version_on(on)


def not_built_in(
    name: str, areas: Mapping[str, object], *, what: str = "a built-in policy", listed_by: str | None = None
) -> str:
    """The problem with a name that is not a built-in area: the nearest names, then where to find all.

    Every name is listed, unless *listed_by* names what lists them (a command, for the command line).

    >>> not_built_in("merseysid", {"merseyside": 1, "statutory": 2})
    "is not a built-in policy; did you mean 'merseyside'? known: merseyside, statutory"
    """
    known = sorted(areas)
    near = difflib.get_close_matches(name.lower(), known, n=3, cutoff=0.7)
    hint = f"did you mean {' or '.join(repr(n) for n in near)}? " if near else ""
    listing = f"known: {', '.join(known)}" if listed_by is None else f"{listed_by} lists all {len(known)}"
    return f"is not {what}; {hint}{listing}"
