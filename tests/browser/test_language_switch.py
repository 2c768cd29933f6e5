"""The language switch in every page's footer, on a phone and a laptop: a plain form (no script), the
choice kept while browsing; a browser set to French gets French pages without choosing anything."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
SIZES = pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])


@pytest.fixture
def open_page(browser, live_url):
    contexts = []

    def open_page(*, device: dict, locale: str = "en-GB", javascript: bool = True):
        context = browser.new_context(
            base_url=live_url, locale=locale, java_script_enabled=javascript, **device
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _switch(page, language: str) -> None:
    button = page.locator(f'footer form button[value="{language}"]')
    button.scroll_into_view_if_needed()
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 24, box  # big enough to tap
    assert box["x"] >= 0, box  # on screen
    assert box["x"] + box["width"] <= page.viewport_size["width"], box
    button.click()


@SIZES
def test_the_switch_keeps_the_chosen_language_without_a_script(open_page, event, device):
    page = open_page(device=device, javascript=False)
    page.goto(f"/{event.slug}/cfp/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    _switch(page, "de")

    expect(page).to_have_url(re.compile(rf"/{event.slug}/cfp/$"))  # back where the visitor was
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator('footer button[value="de"]')).to_have_attribute("aria-current", "true")
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.LANGUAGE_COOKIE_NAME)
    assert cookie["value"] == "de"
    page.goto("/accounts/login/")  # kept while browsing
    expect(page.locator("html")).to_have_attribute("lang", "de")

    _switch(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@SIZES
@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_german_chosen_gives_german_pages_and_a_french_browser_french_ones(open_page, event, device):
    page = open_page(device=device)
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    _switch(page, "de")

    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    expect(page.get_by_role("link", name="Passwort vergessen?")).to_be_visible()

    french = open_page(device=device, locale="fr-FR")
    french.goto("/accounts/login/")
    expect(french.locator("html")).to_have_attribute("lang", "fr")
    expect(french.get_by_role("heading", name="Se connecter")).to_be_visible()
    expect(french.get_by_role("link", name="Mot de passe oublié ?")).to_be_visible()
