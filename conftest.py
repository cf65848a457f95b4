"""The examples in docs/*.md and README.md, collected as tests by Sybil (see tests/docs_examples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.docs_examples import sybils, workdir


@pytest.fixture(scope="session")
def _docs_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workdir(tmp_path_factory.mktemp("docs-examples"))


@pytest.fixture
def docs_workdir(_docs_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each example runs in the session's examples folder, which holds reports.csv."""
    monkeypatch.chdir(_docs_folder)
    return _docs_folder


_docs, _readme = sybils()
pytest_collect_file = (_docs + _readme).pytest()
