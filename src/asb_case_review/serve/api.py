"""The JSON API: decide, list and show policies, check policy files, run cases, sweep and compare."""

from __future__ import annotations

from fastapi import APIRouter

from .. import __version__

router = APIRouter(prefix="/api")


@router.get("/health")
def health() -> dict[str, str]:
    """The service is up; the library version it runs."""
    return {"status": "ok", "version": __version__}
