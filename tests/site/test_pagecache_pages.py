"""Public program pages are rendered once per release for anonymous visitors and answer 304 when unchanged."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.attendance.models import Star
from tests import factories
from tests.program import fill_day, release, rename, speaker_code

pytestmark = pytest.mark.django_db


def schedule_url(event, query: str = "") -> str:
    return reverse("site:schedule", kwargs={"event": event.slug}) + query


def public_urls(program) -> list[str]:
    event, alpha = program["event"], program["alpha"]
    return [
        schedule_url(event),
        reverse("site:talks", kwargs={"event": event.slug}),
        reverse("site:talk", kwargs={"event": event.slug, "code": alpha.code}),
        reverse("site:speakers", kwargs={"event": event.slug}),
        reverse("site:speaker", kwargs={"event": event.slug, "speaker": speaker_code(alpha)}),
    ]


def get_counting(client, url: str, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)


@pytest.mark.parametrize("page", range(5))
def test_page_cache_second_anonymous_get_is_not_rendered(client, program, page):
    url = public_urls(program)[page]
    first = client.get(url)

    second, queries = get_counting(client, url)

    assert first.templates, "the first visit renders the page"
    assert second.templates == []
    # The event, its latest release and its published information pages (the menu lists them); a talk page
    # also the notes shared under it, and the schedule and a talk page the seats left of sessions that need
    # a booked seat (they are part of their keys).
    assert queries <= {0: 4, 2: 5}.get(page, 3)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_page_cache_answers_304_for_a_known_etag(client, program):
    url = schedule_url(program["event"])
    etag = client.get(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_page_cache_answers_304_for_an_unchanged_last_modified(client, program):
    url = schedule_url(program["event"])
    last_modified = client.get(url)["Last-Modified"]

    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_page_cache_answers_200_for_another_etag(client, program):
    response = client.get(schedule_url(program["event"]), HTTP_IF_NONE_MATCH='"something-else"')

    assert response.status_code == 200
    assert b"Alpha talk" in response.content


def test_page_cache_new_release_changes_etag_and_content(client, program):
    url = schedule_url(program["event"])
    before = client.get(url)
    rename(program["alpha"], "Alpha, renamed", program["scheduler"])
    release(program["event"], program["scheduler"])

    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b"Alpha, renamed" in after.content
    assert b"Alpha talk" not in after.content


def test_page_cache_event_settings_edit_renders_again(client, program):
    event = program["event"]
    client.get(schedule_url(event))
    event.name = "Renamed Conference"
    event.version += 1
    event.save()

    assert b"Renamed Conference" in client.get(schedule_url(event)).content


def test_page_cache_keeps_each_filter_apart(client, program):
    event = program["event"]
    second_day = program["gamma"].slot.start.astimezone(event.tz).date().isoformat()
    client.get(schedule_url(event))

    response = client.get(schedule_url(event, f"?day={second_day}"))

    assert response.templates, "another day is another page"
    assert b"Gamma talk" in response.content
    assert b"Alpha talk" not in response.content


def test_page_cache_leaves_odd_query_strings_uncached(client, program):
    url = schedule_url(program["event"], "?utm_source=mail")
    client.get(url)

    assert client.get(url).templates, "a query string in no normal form is rendered each time"


@pytest.mark.parametrize("page", range(5))
def test_page_cache_off_renders_every_time(client, program, settings, page):
    settings.PODIUM_PAGE_CACHE = False
    url = public_urls(program)[page]
    first = client.get(url)

    second = client.get(url)

    assert first.templates
    assert second.templates
    assert second["ETag"] == first["ETag"]  # the ETag and 304 stay; only the copy is not kept


def test_page_cache_is_skipped_for_logged_in_visitors(client, program):
    url = schedule_url(program["event"])
    client.get(url)  # cached for anonymous visitors
    visitor = factories.UserFactory()
    client.force_login(visitor)
    Star.objects.create(event=program["event"], user=visitor, proposal=program["alpha"])

    response = client.get(url)

    assert response.templates
    assert f'data-star="{program["alpha"].code}" aria-pressed="true"' in response.content.decode()
    assert 'data-logged-in="1"' in response.content.decode()


def test_page_cache_anonymous_page_holds_no_csrf_token(client, program):
    html = client.get(schedule_url(program["event"])).content.decode()

    assert "csrfmiddlewaretoken" not in html


def test_page_cache_shared_page_never_breaks_a_logged_in_star(program):
    """Someone else's cached copy is never shown to a logged-in visitor, whose star keeps working."""
    url = schedule_url(program["event"])
    Client().get(url)  # a stranger fills the cache
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(factories.UserFactory())
    checked.get(url)
    token = checked.cookies["csrftoken"].value
    star = reverse("site:star", kwargs={"event": program["event"].slug, "code": program["alpha"].code})

    response = checked.post(
        star, {"starred": "1", "csrfmiddlewaretoken": token}, HTTP_ACCEPT="application/json"
    )

    assert response.json() == {"code": program["alpha"].code, "starred": True}


def test_page_cache_anonymous_star_form_without_javascript_leads_to_log_in_and_back(client, program):
    url = schedule_url(program["event"])
    client.get(url)
    star = reverse("site:star", kwargs={"event": program["event"].slug, "code": program["alpha"].code})

    response = client.get(star, {"next": url})  # what the cached form submits

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_page_cache_hit_queries_stay_constant_with_more_sessions(client, event, scheduler):
    url = schedule_url(event, f"?day={event.date_from.isoformat()}")
    fill_day(event, scheduler, 3)
    release(event, scheduler)
    client.get(url)
    _, small = get_counting(client, url)
    fill_day(event, scheduler, 12)
    release(event, scheduler)
    client.get(url)

    _, large = get_counting(client, url)

    # The event, its latest release, the seats left and the published pages (both part of the key).
    assert small == large <= 4
