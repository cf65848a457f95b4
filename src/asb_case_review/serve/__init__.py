"""Decisions over HTTP: a JSON service and web pages (the ``serve`` extra).

``pip install 'asb-case-review[serve]'``, then ``asb-case-review serve``.  The core library never
imports this package; it needs FastAPI, uvicorn and Jinja2, which only the extra installs.

:func:`create_app` builds the ASGI application: the JSON API under ``/api`` (:mod:`.api`) and the
server-rendered pages (:mod:`.pages`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    if name != "create_app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = importlib.import_module(f"{__name__}.app").create_app
    globals()[name] = value
    return value
