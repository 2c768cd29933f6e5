"""The embeddable schedule widget: the iframe page (the only page other sites may frame), the script
and the JSON it reads (CORS), from the release's files; and the event's branding stylesheet."""

import json

import pytest
from django.urls import reverse

from podium.events import branding
from podium.site import release_files
from podium.site.views import widget
from tests import factories
from tests.sponsoring import png

pytestmark = pytest.mark.django_db


def _url(name, event):
    return reverse(name, kwargs={"event": event.slug})


def test_widget_page_may_be_framed_by_other_sites_and_lists_the_schedule(client, program):
    event = program["event"]
    response = client.get(_url("site:widget", event))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors *" in csp
    assert "frame-ancestors 'none'" not in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    page = response.content.decode()
    assert page.index("Alpha talk") < page.index("Lunch") < page.index("Gamma talk")
    assert f'href="/{event.slug}/talk/{program["alpha"].code}/" target="_blank" rel="noopener"' in page
    assert f'href="/{event.slug}/branding.css"' in page
    assert "<script" not in page
    assert "style=" not in page


def test_every_other_page_still_refuses_to_be_framed(client, program):
    event = program["event"]
    for url in (_url("site:schedule", event), _url("site:talks", event), _url("site:event", event)):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_widget_data_is_the_schedule_by_day_for_other_sites(client, program):
    event = program["event"]
    response = client.get(_url("site:widget_data", event), HTTP_ORIGIN="https://conference.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["event"]["schedule"] == f"/{event.slug}/schedule/"
    assert f"/{event.slug}/branding.css" in data["stylesheets"]
    assert [len(day["sessions"]) for day in data["days"]] == [3, 1]
    alpha = data["days"][0]["sessions"][0]
    assert alpha["title"] in ("Alpha talk", "Beta talk")
    assert alpha["start"] == "10:00"
    lunch = data["days"][0]["sessions"][2]
    assert lunch == {**lunch, "title": "Lunch", "break": True, "url": "", "room": "All rooms"}


def test_widget_script_is_served_with_cors(client, program):
    response = client.get(_url("site:widget_script", program["event"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"schedule.json" in response.content
    assert b"attachShadow" in response.content


def test_widget_before_the_first_release_and_of_a_hidden_event_is_404(client, event, program):
    other = factories.EventFactory()
    for name in ("site:widget", "site:widget_data", "site:widget_script"):
        assert client.get(_url(name, other)).status_code == 404
    event.is_public = False
    event.save()
    for name in ("site:widget", "site:widget_data", "site:widget_script"):
        assert client.get(_url(name, event)).status_code == 404


def test_widget_is_served_from_the_release_files_with_the_same_bytes(client, program, settings, tmp_path):
    settings.PODIUM_RELEASE_FILES = True
    settings.PODIUM_RELEASE_DIR = tmp_path / "releases"
    release_files._manifest.cache_clear()
    event, release = program["event"], program["release"]
    fresh = {name: client.get(_url(name, event)).content for name in ("site:widget", "site:widget_data")}
    rendered = release_files.render_release(event, release)
    files = json.loads((rendered.path / "manifest.json").read_text())["files"]
    assert files[widget.PAGE]["url"] == _url("site:widget", event)
    assert files[widget.DATA]["url"] == _url("site:widget_data", event)
    assert files[widget.SCRIPT]["url"] == _url("site:widget_script", event)
    page = client.get(_url("site:widget", event))
    assert page.content == fresh["site:widget"] == (rendered.path / widget.PAGE).read_bytes()
    assert page["ETag"] == f'"{files[widget.PAGE]["sha256"][:32]}"'
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page
    data = client.get(_url("site:widget_data", event))
    assert data.content == fresh["site:widget_data"]
    assert data["Access-Control-Allow-Origin"] == "*"
    again = client.get(_url("site:widget", event), HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304
    assert "X-Frame-Options" not in again


# --- The branding stylesheet -------------------------------------------------------------------------


def test_branding_css_without_branding_sets_nothing(client, program):
    response = client.get(_url("site:branding_css", program["event"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "{" not in response.content.decode()


def test_branding_css_sets_the_colour_logo_and_header(client, program):
    event = program["event"]
    editor = factories.team_member(event, name="Setup", can_edit_event=True)
    branding.save_branding(
        event=event, by=editor, colour="#0b4a9e", logo=png(), header_image=png("h.png", size=(200, 40))
    )
    event.refresh_from_db()
    css = client.get(_url("site:branding_css", event)).content.decode()
    assert "--event-colour: #0b4a9e;" in css
    assert "--pico-primary: #0b4a9e;" in css
    assert f'url("/media/{event.logo.name}")' in css
    assert f'url("/media/{event.header_image.name}")' in css
    assert ".event-banner { display: flex; }" in css
    # The pages are the same whatever the branding: they link the stylesheet and carry an empty banner.
    page = client.get(_url("site:schedule", event)).content.decode()
    assert f'href="/{event.slug}/branding.css"' in page
    assert '<div class="event-banner" aria-hidden="true"><span class="event-logo"></span></div>' in page


def test_branding_css_of_a_hidden_event_is_404_to_visitors(client, program):
    event = program["event"]
    event.is_public = False
    event.save()
    assert client.get(_url("site:branding_css", event)).status_code == 404
