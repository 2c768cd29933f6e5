"""A visitor finds the event's sponsors from the site's navigation, on a phone and on a laptop: the
levels in order, the logos loaded and sized by level, nothing wider than the screen."""

import pytest
from playwright.sync_api import expect

from podium.sponsors.models import LogoSize, Stage
from tests import factories
from tests.public_sponsors import sponsor
from tests.sponsoring import level

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
LONG = "Supercalifragilisticexpialidocious-Infrastructure-Orchestration-Consultancy"


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_reads_the_sponsors_by_level_on_a_phone_and_a_laptop(browser, live_url, event):
    manager = factories.team_member(event, can_manage_sponsors=True)
    gold = level(event, manager, "Gold", position=0, logo_size=LogoSize.LARGE)
    community = level(event, manager, "Community", position=1, logo_size=LogoSize.SMALL)
    sponsor(
        event,
        manager,
        "Acme Cloud",
        level=gold,
        logo=True,
        website="https://acme.example/",
        description=f"We host **Python** at scale. {LONG} <script>window.leaked = 1</script>",
    )
    sponsor(event, manager, LONG, level=community, logo=True)
    sponsor(event, manager, "Py Weekly", kind="media")
    sponsor(event, manager, "Not Yet Inc", stage=Stage.CONTACTED)

    for viewport in (PHONE, LAPTOP):
        visitor = browser.new_context(base_url=live_url, viewport=viewport)
        tab = visitor.new_page()
        tab.goto(f"/{event.slug}/")
        link = tab.get_by_role("link", name="Sponsors", exact=True)
        expect(link).to_be_visible()
        link.click()

        expect(tab.get_by_role("heading", name="Sponsors", level=1)).to_be_visible()
        levels = tab.get_by_role("heading", level=2)
        expect(levels).to_have_text(["Gold", "Community", "Partners"])
        expect(tab.get_by_role("link", name="Acme Cloud", exact=True)).to_have_attribute(
            "rel", "noopener sponsored"
        )
        expect(tab.locator("strong", has_text="Python")).to_be_visible()
        expect(tab.get_by_text("Not Yet Inc")).to_have_count(0)
        logos = tab.locator("img.sponsor-logo")
        expect(logos).to_have_count(2)
        large, small = (logos.nth(n).bounding_box() for n in range(2))
        assert large["width"] > small["width"]  # sized by the level
        # Both logos load and decode (waited for: on a busy machine they may still be loading here; a
        # broken image never gets a natural width, and the wait fails).
        tab.wait_for_function(
            "() => [...document.querySelectorAll('img.sponsor-logo')].every((img) => img.complete && img.naturalWidth > 0)"
        )
        assert tab.evaluate("window.leaked") is None
        assert _fits_the_screen(tab)
        visitor.close()
