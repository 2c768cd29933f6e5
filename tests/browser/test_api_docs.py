"""The API's documentation page works in a browser with Podium's own files (no CDN) under its CSP."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_api_docs_page_lists_the_operations_from_local_files(page):
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/v1/docs")

    expect(page.get_by_text(re.compile(r"/api/v1/events")).first).to_be_visible()
    assert [url for url in requested if not url.startswith(page.url.split("/api/")[0])] == []
    assert blocked == []
