"""The words the page scripts show come in the page's language: a visitor whose browser asks for
German gets the room screen's "in … min" and the star's answer from the German catalogue, and the
screen's day in German; a page without the words (rendered before they were given) speaks English.

The catalogue here is this test's own (two German texts): the real ones are assembled separately."""

import re

import polib
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect

from podium.base import catalogues
from tests import factories
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.browser

STARRED_HERE = "Starred in this browser. Log in to keep your stars on every device."
GERMAN_TEXTS = {
    "in %(minutes)s min": "in %(minutes)s Min.",
    STARRED_HERE: (
        "In diesem Browser gemerkt. Melden Sie sich an, um Ihre Vorträge auf jedem Gerät zu merken."
    ),
}
GERMAN_DAY = re.compile(r"^(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d{1,2}\. \w+$")


@pytest.fixture
def german(settings, tmp_path):
    po_path = tmp_path / "de" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    for msgid, msgstr in GERMAN_TEXTS.items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalogue.save(str(po_path))
    catalogues.compile_catalogue(po_path)
    settings.LOCALE_PATHS = [tmp_path]
    trans_real._translations = {}
    yield
    trans_real._translations = {}


@pytest.fixture
def open_page(browser, live_url):
    contexts = []

    def open_page(locale):
        context = browser.new_context(base_url=live_url, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screen(event, monkeypatch):
    """The room screen of Hall A at 16:00, its next session at 16:10."""
    scheduler = factories.team_member(event, can_schedule=True)
    placed_talk(event, "Alpha talk", "Hall A", at(event, 16, 10), scheduler)
    release(event, scheduler)
    moment = at(event, 16)
    monkeypatch.setattr(timezone, "now", lambda: moment)  # the live server runs in this process
    room = event.rooms.get(name="Hall A")
    return {
        "url": reverse("site:room_now", kwargs={"event": event.slug, "room": room.uuid}),
        "moment": moment,
    }


def test_a_german_room_screen_counts_down_in_german(open_page, german, screen):
    page = open_page("de-DE")
    page.clock.install(time=screen["moment"])

    page.goto(screen["url"])
    page.clock.run_for(31_000)  # rooms.js redraws the panels from the page's data

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator('[data-slot="next"] [data-left]')).to_have_text("in 10 Min.")
    expect(page.locator("[data-today]")).to_have_text(GERMAN_DAY)


def test_a_screen_without_the_words_counts_down_in_english(open_page, german, screen):
    page = open_page("de-DE")
    page.clock.install(time=screen["moment"])

    def without_words(route):
        response = route.fetch()
        html = re.sub(r'<script id="rooms-messages"[^>]*>.*?</script>', "", response.text(), flags=re.DOTALL)
        route.fulfill(response=response, body=html)

    page.route("**/rooms/**", without_words)
    page.goto(screen["url"])
    page.clock.run_for(31_000)

    expect(page.locator('[data-slot="next"] [data-left]')).to_have_text("in 10 min")


def test_a_german_visitor_is_told_in_german_that_the_star_is_kept_here(open_page, german, event):
    scheduler = factories.team_member(event, can_schedule=True)
    talk = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler)
    release(event, scheduler)
    page = open_page("de-DE")

    page.goto(reverse("site:schedule", kwargs={"event": event.slug}))
    page.locator(f"button.star[data-star='{talk.code}']").first.click()

    expect(page.locator("[data-stars-status]")).to_have_text(GERMAN_TEXTS[STARRED_HERE])
