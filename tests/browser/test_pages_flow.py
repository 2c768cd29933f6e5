"""An organiser writes an information page on a phone, previews and publishes it; a visitor finds it in
the site's navigation on a phone and on a laptop."""

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.events.models import PageState
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
BODY = "### Getting in\n\n- Doors open at **8:00**\n- The desk is in the lobby\n\n<script>window.leaked = 1</script>"


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_organiser_writes_previews_and_publishes_a_page_that_visitors_find(page, event, browser, live_url):
    organiser = User.objects.create_user(email="olga@example.org", name="Olga Organiser", password=PASSWORD)
    factories.team_member(event, organiser, name="Editors", can_edit_event=True)
    page.set_viewport_size(PHONE)
    log_in(page, email=organiser.email)

    page.goto(f"/orga/event/{event.slug}/")
    page.get_by_text("Organise").click()
    page.get_by_role("link", name="Pages", exact=True).click()
    page.get_by_role("button", name="New page").click()  # a link styled as a button
    # The main text; each language of the interface has its own "Title" and "Text" in its fieldset.
    page.locator("#id_title").fill("Venue")
    page.locator("#id_body").fill(BODY)
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("section.preview")
    expect(preview.get_by_role("heading", name="Getting in")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("8:00")
    expect(page.locator("#id_body")).to_have_value(BODY)  # still there to save
    assert page.evaluate("window.leaked") is None
    assert _fits_the_screen(page)
    field(page, "State").select_option(label="Published")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("The page “Venue” was saved.")
    expect(page.get_by_role("row", name="Venue")).to_contain_text("Published")
    assert event.pages.get().state == PageState.PUBLISHED

    for viewport, start in ((PHONE, f"/{event.slug}/"), (LAPTOP, f"/{event.slug}/releases/")):
        visitor = browser.new_context(base_url=live_url, viewport=viewport)
        tab = visitor.new_page()
        tab.goto(start)
        link = tab.get_by_role("link", name="Venue", exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(tab.get_by_role("heading", name="Venue", level=1)).to_be_visible()
        expect(tab.get_by_role("heading", name="Getting in")).to_be_visible()
        expect(tab.locator(".program-nav a[aria-current='page']")).to_have_text("Venue")
        assert tab.evaluate("window.leaked") is None
        assert _fits_the_screen(tab)
        visitor.close()
