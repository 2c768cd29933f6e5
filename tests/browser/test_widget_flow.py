"""The schedule widget on another site: a page on a second origin (another port) embeds the iframe and
the script; both show the released schedule in the event's colour, and Podium's other pages still
refuse to be framed there."""

from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from podium.events import branding
from tests import factories
from tests.loopback import serving
from tests.program import at, lunch, placed_talk, release
from tests.sponsoring import png

pytestmark = pytest.mark.browser

COLOUR = "#1b5e20"  # rgb(27, 94, 32)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_site(tmp_path):
    """A second web server (another origin: another port) serving the files of `tmp_path`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    with serving(server):
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"


def test_another_site_embeds_the_schedule_by_iframe_and_by_script(page, live_url, event, other_site):
    scheduler = factories.team_member(event, name="Programme", can_schedule=True)
    editor = factories.team_member(event, name="Setup", can_edit_event=True)
    placed_talk(event, "Typing the untyped", "Hall A", at(event, 10), scheduler)
    placed_talk(event, "Data at scale", "Room 101", at(event, 10), scheduler)
    lunch(event, scheduler)
    release(event, scheduler, name="v1")
    branding.save_branding(event=event, by=editor, colour=COLOUR, logo=png())
    event.refresh_from_db()

    folder, origin = other_site
    (folder / "index.html").write_text(
        "<!doctype html><html><head><title>Our conference</title></head><body>"
        "<h1>Our conference</h1>"
        f'<iframe id="framed" src="{live_url}/{event.slug}/widget/" title="Schedule" width="600" height="400">'
        "</iframe>"
        '<div id="drawn"></div>'
        f'<script src="{live_url}/{event.slug}/widget/widget.js" data-target="#drawn" defer></script>'
        f'<iframe id="refused" src="{live_url}/{event.slug}/schedule/" title="Not allowed"></iframe>'
        "</body></html>"
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{origin}/index.html")

    framed = page.frame_locator("#framed")
    expect(framed.get_by_role("link", name="Typing the untyped")).to_be_visible()
    expect(framed.get_by_text("Lunch")).to_be_visible()
    expect(framed.locator(".widget-day h2").first).to_have_css("background-color", "rgb(27, 94, 32)")
    expect(framed.locator(".event-logo")).to_be_visible()

    drawn = page.locator("#drawn")  # the script's shadow root: Playwright's locators look inside
    expect(drawn.get_by_role("link", name="Data at scale")).to_be_visible()
    expect(drawn.get_by_role("link", name="Data at scale")).to_have_attribute(
        "href", f"{live_url}/{event.slug}/talk/{event.proposals.get(title='Data at scale').code}/"
    )
    expect(drawn.locator(".widget-day h2").first).to_have_css("background-color", "rgb(27, 94, 32)")
    expect(drawn.get_by_text("Lunch")).to_be_visible()

    # The schedule page itself may not be framed by another site (X-Frame-Options, frame-ancestors).
    page.wait_for_load_state("load")
    refused = page.locator("#refused").element_handle().content_frame()
    assert refused.url.startswith("chrome-error:"), refused.url
    assert refused.locator("h1", has_text="Schedule").count() == 0
    assert errors == []
    page.screenshot(path=str(folder / "widget.png"), full_page=True)

    # The event's own pages show the logo and the colour too (from its branding stylesheet).
    page.goto(f"{live_url}/{event.slug}/schedule/")
    expect(page.locator(".event-banner .event-logo")).to_be_visible()
    logo = page.locator(".event-banner .event-logo").evaluate("el => getComputedStyle(el).backgroundImage")
    assert f"/media/{event.logo.name}" in logo
    expect(page.locator(".day-tabs a[aria-current=page]")).to_have_css("background-color", "rgb(27, 94, 32)")
