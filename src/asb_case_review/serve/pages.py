"""Server-rendered pages (GOV.UK Design System): the officer's page and the applicant's self-check."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home() -> str:
    """The start page."""
    return "<!doctype html><html lang='en'><title>ASB Case Review</title><h1>ASB Case Review</h1></html>"
