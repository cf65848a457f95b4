"""The ASGI application: the JSON API and the web pages on one server."""

from __future__ import annotations

from fastapi import FastAPI

from .. import __version__
from . import api, pages
from .api import Limits

_DEFAULT = Limits()


def create_app(
    *,
    max_body: int = _DEFAULT.max_body,
    max_upload: int = _DEFAULT.max_upload,
    max_depth: int = _DEFAULT.max_depth,
    time_limit: float = _DEFAULT.time_limit,
) -> FastAPI:
    """A new application: the JSON API under ``/api``, the pages at ``/``; it stores nothing.

    The limits (docs/serve.md) bound what one request may ask: *max_body* bytes of JSON,
    *max_upload* bytes in any request (a CSV upload), lists and objects nested *max_depth* deep,
    and *time_limit* seconds of work.

    >>> create_app(max_depth=0)
    Traceback (most recent call last):
    ...
    asb_case_review.errors.InvalidInput: max_depth=0: must be a whole number of at least 1
    """
    limits = Limits(max_body=max_body, max_upload=max_upload, max_depth=max_depth, time_limit=time_limit)
    # FastAPI's interactive pages (/docs, /redoc) load their scripts and styles from a CDN: a
    # service that decides cases must not depend on one, nor send its users' browsers there. The
    # OpenAPI document itself is served (/openapi.json) and published (docs/openapi.json), for any
    # OpenAPI viewer or client generator to read.
    app = FastAPI(
        title="asb-case-review",
        version=__version__,
        summary="Decide whether an application for an ASB Case Review meets the threshold, and why.",
        docs_url=None,
        redoc_url=None,
    )
    api.install(app, limits)
    app.include_router(pages.router)
    # Added last, so outermost: its headers go on every answer, the access log's 500 included.
    app.add_middleware(api.SecurityHeaders)
    return app
