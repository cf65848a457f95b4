"""The service depends on no outside host: no CDN pages, and nothing it serves loads from elsewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from asb_case_review.serve import create_app

# An attribute that makes a browser fetch something: a script, a style sheet, a picture, a frame.
FETCHED = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)""", re.I)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as made:
        yield made


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_fastapis_cdn_pages_are_not_served(client: TestClient, path: str) -> None:
    """/docs and /redoc, whose scripts come from a CDN, answer 404."""
    assert client.get(path).status_code == 404


def test_the_openapi_document_is_served_for_any_viewer(client: TestClient) -> None:
    """/openapi.json is still served: the document a viewer or client generator reads."""
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    assert answer.json()["info"]["title"] == "asb-case-review"


@pytest.mark.parametrize("path", ["/", "/officer", "/self-check"])
def test_every_page_fetches_only_from_the_service(client: TestClient, path: str) -> None:
    """Each page's scripts, styles and pictures are the service's own, and each is served."""
    page = client.get(path)
    assert page.status_code == 200
    fetched = FETCHED.findall(page.text)
    assert fetched, f"{path}: no script or style found: the pattern is wrong"
    for url in fetched:
        assert re.match(r"/(?!/)", url), f"{path} fetches {url} from elsewhere"
        assert client.get(url).status_code == 200, f"{path} fetches {url}, which is not served"
