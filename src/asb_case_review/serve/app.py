"""The ASGI application: the JSON API and the web pages on one server."""

from __future__ import annotations

from fastapi import FastAPI

from .. import __version__
from . import api, pages


def create_app() -> FastAPI:
    """A new application: the JSON API under ``/api``, the pages at ``/``; it stores nothing."""
    app = FastAPI(
        title="asb-case-review",
        version=__version__,
        summary="Decide whether an application for an ASB Case Review meets the threshold, and why.",
    )
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
