"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Every test module here marks its tests `browser`. They are spread over the xdist workers like the
rest: a worker starts its Chromium for its first browser test and stops it when its next test is not
one. A failing test saves a screenshot and names the file in its report.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop in the test thread; Django would otherwise refuse ORM calls
# made from the test body (they are synchronous and safe here).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


class _Chromium:
    """One headless Chromium, started for the first browser test and stopped after the last one.

    While Playwright runs, the test thread has a running event loop, and Django then keeps database
    connections per context instead of per thread. Stopping as soon as the browser tests are done
    hands the thread back to plain thread-local connections for the tests that follow.
    """

    def __init__(self):
        self.playwright = None
        self.browser = None

    def get(self):
        if self.browser is None:
            if not Path(CHROMIUM).exists():
                pytest.fail(
                    f"{CHROMIUM} is missing; install it with: apt-get install -y chromium chromium-driver"
                )
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        return self.browser

    def stop(self):
        if self.browser is None:
            return
        connections.close_all()  # the connections opened while the loop ran; nobody else can reach them
        self.browser.close()
        self.playwright.stop()
        self.browser = self.playwright = None


_chromium = _Chromium()


@pytest.fixture
def browser():
    """The shared Chromium (never downloaded: Debian's package must be installed)."""
    return _chromium.get()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        _chromium.stop()


@pytest.fixture
def live_url(live_server, transactional_db, settings) -> str:
    """The live server's address, with mail delivered on commit to django.core.mail.outbox.

    The live server speaks plain http while PODIUM_BASE_URL is https://podium.test (tests/env.py
    turns the HTTPS redirect off), so cookies must not be limited to https here.
    """
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server.url


@pytest.fixture
def page(browser, live_url):
    """A fresh browser context (no cookies) and page whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", item.name)
        path = Path(tempfile.mkdtemp(prefix="podium-browser-")) / f"{name}.png"
        try:
            page.screenshot(path=path, full_page=True)
        except Exception as exc:  # a crashed page must not hide the test's own failure
            report.sections.append(("browser screenshot", f"could not be saved: {exc}"))
        else:
            print(f"\nScreenshot of the failed browser test: {path}")
            report.sections.append(("browser screenshot", str(path)))
    return report
