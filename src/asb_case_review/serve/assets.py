"""The GOV.UK Frontend files the pages use, fetched from the npm registry at a pinned version.

The files are not kept in the repository: ``python -m asb_case_review.serve.assets`` (which the
wheel's build hook also runs) downloads the pinned ``govuk-frontend`` tarball from the npm
registry, checks it against its published integrity hash (SHA-512), and writes only the compiled
stylesheet and script beside the pages (``serve/static/govuk/``).  The fonts, crown and crest in the
package are left out: they are reserved for GOV.UK's own services.  Without these files the pages
work unstyled and say how to fetch them.

This module uses the standard library only, so that the build hook can load it by its path.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

__all__ = ["GOVUK_FRONTEND", "STATIC", "VENDORED", "NpmPackage", "fetch", "main", "vendored"]


class NpmPackage:
    """A pinned npm package: its name, version, integrity hash, and the files taken from it."""

    def __init__(self, name: str, version: str, integrity: str, files: Mapping[str, str]) -> None:
        self.name = name
        self.version = version
        self.integrity = integrity
        self.files = dict(files)

    @property
    def url(self) -> str:
        """The tarball's address on the npm registry."""
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"

    def __repr__(self) -> str:
        return f"NpmPackage({self.name!r}, {self.version!r})"


GOVUK_FRONTEND: Final = NpmPackage(
    "govuk-frontend",
    "6.6.0",
    "sha512-xctkWrQvLnvQt7fyjQ3MGX9S0wz0x0RQuLxCeoXF+s8EjGICG81/DYQGKN5qgO+0KVT12UAaRwUsGY6fulRcRg==",
    {
        "package/dist/govuk/govuk-frontend.min.css": "govuk-frontend.min.css",
        "package/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
    },
)
"""The version of GOV.UK Frontend the pages are written for, and the two files they use."""

STATIC: Final = Path(__file__).parent / "static"
"""The pages' own static files (committed)."""

VENDORED: Final = STATIC / "govuk"
"""Where :func:`fetch` puts GOV.UK Frontend's files (not committed)."""


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # a fixed https address
        data: bytes = response.read()
    return data


def _check_integrity(package: NpmPackage, data: bytes) -> None:
    algorithm, _, expected = package.integrity.partition("-")
    found = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if found != expected:
        raise ValueError(
            f"{package.url}: integrity {algorithm}-{found} is not the pinned {package.integrity}; "
            "the download is refused"
        )


def fetch(
    package: NpmPackage, into: Path, *, download: Callable[[str], bytes] | None = None
) -> tuple[Path, ...]:
    """Download *package*, check its integrity hash, and write its chosen files into *into*.

    Each file is written whole or not at all (a temporary file renamed into place), so that
    processes fetching at once never see half a file.  Returns the paths written.
    """
    data = (download or _download)(package.url)
    _check_integrity(package, data)
    into.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member, name in package.files.items():
            try:
                stream = archive.extractfile(member)
            except KeyError:
                stream = None
            if stream is None:
                raise ValueError(f"{package.url}: {member} is not a file in the package")
            target = into / name
            handle, temporary = tempfile.mkstemp(dir=into, prefix=f".{name}.")
            with os.fdopen(handle, "wb") as out:
                out.write(stream.read())
            Path(temporary).replace(target)
            written.append(target)
    (into / "VERSION").write_text(f"{package.name} {package.version}\n", encoding="utf-8")
    return tuple(written)


def vendored(into: Path = VENDORED, package: NpmPackage = GOVUK_FRONTEND) -> bool:
    """Whether *package*'s files, at its pinned version, are in *into*."""
    marker = into / "VERSION"
    return (
        marker.is_file()
        and marker.read_text(encoding="utf-8").split() == [package.name, package.version]
        and all((into / name).is_file() for name in package.files.values())
    )


def main(argv: list[str] | None = None) -> int:
    """Fetch GOV.UK Frontend beside the pages, unless it is there already (``--force``: again)."""
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--force"]):
        print("usage: python -m asb_case_review.serve.assets [--force]", file=sys.stderr)
        return 2
    if vendored() and args != ["--force"]:
        print(f"{GOVUK_FRONTEND.name} {GOVUK_FRONTEND.version} is already in {VENDORED}")
        return 0
    try:
        fetch(GOVUK_FRONTEND, VENDORED)
    except (OSError, ValueError) as error:
        print(f"cannot fetch {GOVUK_FRONTEND.name}: {error}", file=sys.stderr)
        return 1
    print(f"{GOVUK_FRONTEND.name} {GOVUK_FRONTEND.version} written to {VENDORED}")
    return 0


if __name__ == "__main__":  # pragma: no cover - the command line entry point
    sys.exit(main())
