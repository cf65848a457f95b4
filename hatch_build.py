"""Build hook: vendor GOV.UK Frontend beside the web pages when a wheel (or an editable install) is built.

It runs ``asb_case_review.serve.assets`` (loaded by its path: the package is not installed yet),
which downloads the pinned ``govuk-frontend`` from the npm registry and checks its integrity hash.
Where the registry cannot be reached the build goes on: the pages then work unstyled and say how to
fetch the files (``python -m asb_case_review.serve.assets``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class VendorGovukFrontend(BuildHookInterface):  # type: ignore[type-arg]
    """Fetch GOV.UK Frontend's stylesheet and script into src/asb_case_review/serve/static/govuk/."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        path = Path(self.root) / "src" / "asb_case_review" / "serve" / "assets.py"
        spec = importlib.util.spec_from_file_location("_asb_assets", path)
        if spec is None or spec.loader is None:
            return
        assets = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(assets)
        if assets.vendored():
            return
        try:
            assets.fetch(assets.GOVUK_FRONTEND, assets.VENDORED)
        except (OSError, ValueError) as error:
            print(
                f"asb-case-review: GOV.UK Frontend not fetched ({error}); the web pages will be unstyled "
                "until `python -m asb_case_review.serve.assets` is run",
                file=sys.stderr,
            )
