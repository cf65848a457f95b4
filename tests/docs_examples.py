"""How the examples in the docs and the README are run: Sybil, one namespace per page.

``python`` blocks are run; ``pycon`` blocks (and ``python`` blocks that start with ``>>>``) are
doctest sessions whose output must match what is shown (``...`` stands for any text).  Console
blocks are not examples here: tests/test_docs.py runs them and checks their output byte for byte.
Each example runs in a folder of its own session where the README's
``asb-case-review synthetic 3000 --seed 11 > reports.csv`` has been run, as a reader following it
would have done, so that nothing is written into the repository.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

from sybil import Document, Region, Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

ROOT = Path(__file__).parent.parent
FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


class _PyconBlocks(CodeBlockParser):
    """The fenced blocks marked ``pycon``, whatever language the caller asks for."""

    def __init__(self, language: str | None = None, evaluator: Any = None) -> None:
        super().__init__("pycon", evaluator)


class PyconParser(PythonCodeBlockParser):
    """``pycon`` blocks as doctest sessions (the docs mark interactive sessions so, for highlighting)."""

    codeblock_parser_class = _PyconBlocks


def parsers() -> list[Callable[[Document], Iterable[Region]]]:
    return [PythonCodeBlockParser(doctest_optionflags=FLAGS), PyconParser(doctest_optionflags=FLAGS)]


def workdir(folder: Path) -> Path:
    """*folder*, holding the reports.csv that the README makes before its python examples."""
    from asb_case_review import cli  # noqa: PLC0415 - only when the examples run

    reports = folder / "reports.csv"
    if not reports.exists():
        with contextlib.redirect_stdout(io.StringIO()) as text:
            assert cli.main(["synthetic", "3000", "--seed", "11"]) == 0
        reports.write_text(text.getvalue(), encoding="utf-8")
    return folder


def sybils() -> tuple[Sybil, Sybil]:
    """The docs pages' examples and the README's, both run in the ``docs_workdir`` fixture's folder."""
    docs = Sybil(
        parsers(), path=str(ROOT / "docs"), patterns=["*.md"], fixtures=["docs_workdir"], name="docs"
    )
    readme = Sybil(
        parsers(), path=str(ROOT), filenames=["README.md"], fixtures=["docs_workdir"], name="readme"
    )
    return docs, readme
