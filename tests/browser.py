"""A real browser for the page tests and the screenshots: Debian's Chromium driven by Playwright.

Playwright's own browser download cannot be fetched here, so it is pointed at the system's
Chromium: the headless shell (``apt-get install -y chromium-headless-shell``) where installed, else
the desktop browser (``apt-get install -y chromium``); ``ASB_CHROMIUM`` names another.  The server
is uvicorn on a free loopback port, in a thread of the test process.  axe-core is fetched from the npm
registry at a pinned version, its integrity hash checked, and cached under ``build/``.

Where Chromium (or Playwright) is absent the browser tests skip with a reason saying how to install
it; with ``ASB_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets) they fail instead, so CI always runs them.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from asb_case_review.serve.assets import NpmPackage, fetch, vendored

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HEADLESS_SHELL: Final = Path("/usr/bin/chromium-headless-shell")
DESKTOP: Final = Path("/usr/bin/chromium")


def default_chromium(shell: Path = HEADLESS_SHELL, desktop: Path = DESKTOP) -> Path:
    """Debian's Chromium headless shell where installed, else Debian's Chromium.

    The shell is the same Blink engine without the desktop browser's user interface, as Playwright
    itself runs headless; the browser tests took 9.7 CPU-seconds in it against 16.8 in the desktop
    browser (``/usr/bin/time pytest -n0 tests/test_pages_browser.py``, November 2026).
    """
    return shell if shell.is_file() else desktop


CHROMIUM: Final = Path(os.environ.get("ASB_CHROMIUM") or default_chromium())
ARGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
REQUIRED: Final = os.environ.get("ASB_REQUIRE_BROWSER") == "1"
"""Set by ``.ci/run``: a browser test that cannot run fails instead of skipping."""

AXE: Final = NpmPackage(
    "axe-core",
    "4.14.1",
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    {"package/axe.min.js": "axe.min.js"},
)
AXE_CACHE: Final = Path(__file__).resolve().parent.parent / "build" / "axe-core"
WCAG_22_AA: Final = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")


def unavailable() -> str | None:
    """Why the browser tests cannot run here, in one line; None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed: pip install -e '.[test]'"
    if not CHROMIUM.is_file():
        return f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium"
    return None


def axe_source() -> str:
    """The pinned axe.min.js, fetched once and cached."""
    if not vendored(AXE_CACHE, AXE):
        fetch(AXE, AXE_CACHE)
    return (AXE_CACHE / "axe.min.js").read_text(encoding="utf-8")


@contextmanager
def serving() -> Iterator[str]:
    """The application served by uvicorn on a free loopback port; yields its base address."""
    import uvicorn  # noqa: PLC0415 - the serve extra: collecting the tests needs none of it

    from asb_case_review.serve import create_app  # noqa: PLC0415 - the serve extra, as above

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - absent where the tests skip

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(ARGS), headless=True)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Page, source: str) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.2 level A and AA on *page*, each with the nodes it found."""
    page.evaluate(source)
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(WCAG_22_AA)
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations
