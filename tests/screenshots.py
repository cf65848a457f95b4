"""Save a screenshot of each web page to docs/img/ (docs/serve.md shows them).

    python tests/screenshots.py

It serves the pages on a loopback port and drives Debian's Chromium with Playwright, as the browser
tests do (tests/browser.py), filling the forms with the library's example application.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser  # noqa: E402 - after the repository is put on the path

if TYPE_CHECKING:
    from playwright.sync_api import Page

IMG = ROOT / "docs" / "img"

_EXAMPLE = [
    ("P-100", "", "2025-08-20", "2025-06-01", "", "council"),
    ("P-100", "", "2025-08-29", "2025-08-22", "", "council"),
    ("P-200", "H-2", "2025-11-15", "2025-11-01", "2025-11-14", "police"),
    ("P-100", "", "2026-02-02", "2026-01-30", "", "landlord"),
]


def _officer(page: Page, *, bad: bool = False) -> None:
    page.goto("/officer")
    page.select_option("#area", "statutory")
    page.fill("#applicant", "P-100")
    page.fill("#made_on", "2026-02-28")
    page.click("#add-row")
    for row, (reporter, household, made_on, began_on, ended_on, agency) in enumerate(_EXAMPLE):
        page.fill(f"#reports-{row}-reporter", reporter)
        page.fill(f"#reports-{row}-household", household)
        page.fill(f"#reports-{row}-made_on", "2025-13-01" if bad and row == 1 else made_on)
        page.fill(f"#reports-{row}-began_on", began_on)
        page.fill(f"#reports-{row}-ended_on", ended_on)
        page.select_option(f"#reports-{row}-agency", agency)
    page.click("#decide")


def _self_check(page: Page, *, bad: bool = False) -> None:
    page.goto("/self-check")
    page.select_option("#area", "merseyside")
    dates = [
        ("28 2 2026", "apply_on"),
        ("29 8 2025", "reports-0-made_on"),
        ("22 8 2025", "reports-0-began_on"),
    ]
    dates += [("2 2 2026", "reports-1-made_on"), ("30 1 2026", "reports-1-began_on")]
    if bad:
        dates[3] = ("31 2 2026", "reports-1-made_on")
    for text, name in dates:
        for part, value in zip(("day", "month", "year"), text.split(), strict=True):
            page.fill(f"#{name}-{part}", value)
    page.click("#check")


SHOTS: dict[str, Callable[[Page], object]] = {
    "serve-start.png": lambda page: page.goto("/"),
    "serve-officer.png": lambda page: page.goto("/officer"),
    "serve-officer-decision.png": _officer,
    "serve-officer-error.png": lambda page: _officer(page, bad=True),
    "serve-self-check.png": lambda page: page.goto("/self-check"),
    "serve-self-check-answer.png": _self_check,
    "serve-self-check-error.png": lambda page: _self_check(page, bad=True),
}


def main() -> int:
    """Save every screenshot; a line per file written."""
    reason = browser.unavailable()
    if reason is not None:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 1
    IMG.mkdir(parents=True, exist_ok=True)
    with browser.serving() as base, browser.chromium() as chromium:
        for name, visit in SHOTS.items():
            context = chromium.new_context(base_url=base, viewport={"width": 1280, "height": 800})
            page = context.new_page()
            visit(page)
            page.screenshot(path=str(IMG / name), full_page=True)
            context.close()
            print(f"docs/img/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
