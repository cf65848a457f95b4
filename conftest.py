"""The examples in docs/*.md and README.md, run as tests with Sybil (see tests/docs_examples.py).

Each page is one test: its examples run in order in one namespace, as a reader runs them, whatever
worker pytest-xdist gives the page (an example per test could run on a worker where the block that
defines its names never ran).

And the cyclic garbage collector's settings for the test process (see _collect_less_often).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from sybil import Sybil
from tests.docs_examples import sybils, workdir


def _collect_less_often() -> None:
    """Run the cyclic garbage collector less often than Python's default, in the test process only.

    The suite allocates without pause (thousands of collected tests, hypothesis's examples, the
    catalogue), so at the default threshold (a collection every 700 new objects, a full one every
    7,000 of those) the collector walked the same long-lived objects again and again: 3.5 of the
    14.5 CPU-seconds of tests/test_catalogue.py and tests/test_policyfile.py, 0.7 at this one.
    Reference counting still frees every object the moment it is unused; only cycles wait longer,
    and pytest collects those itself at the end of the run.
    """
    gc.set_threshold(10_000, 20, 20)


_collect_less_often()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what is alive once the tests are collected, so that full collections skip it.

    The modules, the collected tests and the catalogue live to the end of the run anyway.
    """
    gc.collect()
    gc.freeze()


_docs, _readme = sybils()


class _Page(pytest.Item):
    """Every example of one page, in order, in the session's examples folder (which holds reports.csv)."""

    def __init__(self, *, sybil: Sybil, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.sybil = sybil

    def runtest(self) -> None:
        folder = workdir(self.config._tmp_path_factory.mktemp("docs-examples"))  # type: ignore[attr-defined]
        here = Path.cwd()
        os.chdir(folder)
        try:
            for example in self.sybil.parse(self.path).examples():
                example.evaluate()
        finally:
            os.chdir(here)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"examples of {self.path.name}"


class _PageFile(pytest.File):
    def __init__(self, *, sybil: Sybil, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.sybil = sybil

    def collect(self) -> list[_Page]:
        return [_Page.from_parent(self, name="examples", sybil=self.sybil)]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> _PageFile | None:
    """A page of the docs, or the README, as one test of its examples."""
    for sybil in (_docs, _readme):
        if sybil.should_parse(file_path):
            return _PageFile.from_parent(parent, path=file_path, sybil=sybil)  # type: ignore[no-any-return]
    return None
