"""The documentation site: every console block is real output, every example is run, the site builds.

The python and pycon examples themselves are run by Sybil (conftest.py, tests/docs_examples.py);
the tests here check that none escapes it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import shlex
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sybil.example import SybilFailure

from asb_case_review import cli

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def blocks(page: Path, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(page.read_text(encoding="utf-8")) if lang == language]


def fenced(page: Path) -> list[tuple[int, int]]:
    """The character span of each python or pycon fenced block of *page*."""
    text = page.read_text(encoding="utf-8")
    return [(m.start(), m.end()) for m in FENCE.finditer(text) if m.group(1) in {"python", "pycon"}]


EXAMPLE_PAGES = [p for p in [*PAGES, ROOT / "README.md"] if fenced(p)]


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=[p.stem for p in EXAMPLE_PAGES])
def test_every_python_block_is_an_example_sybil_runs(page: Path) -> None:
    """No python or pycon block escapes the examples' run (conftest.py): each holds an example."""
    from tests.docs_examples import sybils  # noqa: PLC0415 - `python tests/test_docs.py` runs without it

    docs, readme = sybils()
    document = (readme if page.name == "README.md" else docs).parse(page)
    starts = [example.start for example in document]
    for first, last in fenced(page):
        assert any(first <= start < last for start in starts), f"{page.name}: block at {first} is not run"


def test_a_session_that_prints_something_else_fails(tmp_path: Path) -> None:
    """A pycon session whose output differs from what is shown fails; a python block that raises fails."""
    from tests.docs_examples import sybils  # noqa: PLC0415 - `python tests/test_docs.py` runs without it

    docs, _ = sybils()
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nx = 2\n```\n\n```pycon\n>>> print(x + 1)\n4\n```\n\n```python\nassert x == 3\n```\n",
        encoding="utf-8",
    )
    document = docs.parse(page)
    first, session, check = list(document)
    first.evaluate()
    with pytest.raises(SybilFailure, match="Expected:\n    4\nGot:\n    3"):
        session.evaluate()
    with pytest.raises(AssertionError):
        check.evaluate()


def sessions(page: Path) -> list[tuple[str, str]]:
    """Each console command on *page* with the output shown after it (``$ echo $?`` kept as a command)."""
    found: list[tuple[str, str]] = []
    for block in blocks(page, "console"):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output.rstrip("\n")))
    return found


CONSOLE = [(p, c, o) for p in PAGES for c, o in sessions(p)]


@pytest.fixture
def repository_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of examples/, with an 80-column terminal."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


def shell(command: str) -> tuple[int | str | None, str]:
    """Run one documented `asb-case-review ...` command (optionally `| head -n N` or `> FILE`), or `cat FILE`.

    Gives the exit code and the output.
    """
    argv = shlex.split(command)
    lines: int | None = None
    target: str | None = None
    if ">" in argv:
        # `> FILE` saves the output for the next command, as a shell would.
        target = argv[argv.index(">") + 1]
        argv = argv[: argv.index(">")]
    if "|" in argv:
        # The only pipe the docs use is `| head -n N`.
        lines = int(argv[argv.index("|") + 3])
        argv = argv[: argv.index("|")]
    if argv[0] == "cat":
        # `cat FILE` shows a file a command wrote (a letter, a summary), as a shell would.
        shown = Path(argv[1]).read_text(encoding="utf-8").rstrip("\n").splitlines()
        return 0, "\n".join(shown[:lines] if lines is not None else shown)
    assert argv[0] == "asb-case-review", command
    out = io.StringIO()
    code: int | str | None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = cli.main(argv[1:])
        except SystemExit as exit_:
            code = exit_.code
    printed = out.getvalue().rstrip("\n")
    if target is not None:
        Path(target).write_text(printed + "\n", encoding="utf-8")
        printed = ""
    if lines is not None:
        printed = "\n".join(printed.splitlines()[:lines])
    return code, printed


def test_console_blocks_show_real_output(repository_copy: Path) -> None:
    """Every `$ asb-case-review ...` in the docs prints exactly what is shown, and exits as shown."""
    assert CONSOLE, "the docs show no commands"
    code: int | str | None = None
    for page, command, shown in CONSOLE:
        if command == "echo $?":
            assert str(code) == shown, f"{page.name}: exit code after the previous command"
            continue
        code, printed = shell(command)
        assert printed == shown, f"{page.name}: $ {command} (run `python tests/test_docs.py` to update)"


needs_mkdocs = pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="needs the docs extra")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as `mkdocs build --strict` writes it (built once per worker)."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "", "HOME": str(out)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


@needs_mkdocs
def test_site_builds_strictly(site: Path) -> None:
    """`mkdocs build --strict` succeeds: no broken link, no missing page, no failed reference."""
    assert (site / "api" / "index.html").read_text(encoding="utf-8").count("doc-heading") > 20


class _Html(HTMLParser):
    """The text of a page with, for each piece, the elements it is inside; and every <img>."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: list[tuple[tuple[str, ...], str]] = []
        self.images: list[dict[str, str | None]] = []
        self.pres: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.pres.append("")
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag not in {"br", "hr", "input", "meta", "link", "source", "wbr"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self.texts.append((tuple(self.open), data))
        if "pre" in self.open:
            self.pres[-1] += data


def _read(page: Path) -> _Html:
    parser = _Html()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@needs_mkdocs
def test_api_examples_are_code_blocks_not_quotes(site: Path) -> None:
    """Each `>>>` example on the API page is a <pre><code> block with its own lines, never a blockquote."""
    page = _read(site / "api" / "index.html")
    prompts = [(inside, text) for inside, text in page.texts if ">>>" in text]
    for inside, text in prompts:
        # The prose may name `>>>` as inline code; an example is a code block.
        assert "blockquote" not in inside, text
        assert "code" in inside, text
    assert sum(block.count(">>>") for block in page.pres) > 25
    # Markdown eats the `>` of a quoted example, so the quote itself is looked for: there is none.
    assert not any("blockquote" in inside for inside, _ in page.texts)
    # Lines are kept: each prompt starts a line of its code block.
    for block in page.pres:
        assert block.count(">>>") == len(re.findall(r"^>>>", block, re.M)), block


@needs_mkdocs
def test_every_picture_has_a_meaningful_alt_text(site: Path) -> None:
    """Every <img> on every page of the site says in words what the picture shows."""
    images = [(page, img) for page in sorted(site.rglob("*.html")) for img in _read(page).images]
    assert len(images) >= 4
    for page, img in images:
        alt = (img.get("alt") or "").strip()
        assert len(alt.split()) >= 8, f"{page.relative_to(site)}: {img.get('src')} alt={alt!r}"


def test_every_page_is_in_the_navigation() -> None:
    """No page in docs/ is left out of mkdocs.yml's nav."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES:
        assert f" {page.name}" in nav, page.name


def update() -> None:
    """Rewrite every console block in docs/*.md with the real output of its commands."""
    import os  # noqa: PLC0415 - only the updater changes directory
    import tempfile  # noqa: PLC0415

    work = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "examples", work / "examples")
    os.chdir(work)
    os.environ["COLUMNS"] = "80"

    def rerun(match: re.Match[str]) -> str:
        lines: list[str] = []
        code: int | str | None = None
        for chunk in re.split(r"^\$ ", match.group(2), flags=re.M)[1:]:
            command = chunk.partition("\n")[0]
            lines.append(f"$ {command}")
            if command == "echo $?":
                lines.append(str(code))
                continue
            code, printed = shell(command)
            lines.extend(printed.splitlines())
        return "```console\n" + "\n".join(lines) + "\n```"

    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        new = re.sub(r"^```(console)\n(.*?)^```$", rerun, text, flags=re.S | re.M)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"updated {page.relative_to(ROOT)}")


if __name__ == "__main__":
    update()
