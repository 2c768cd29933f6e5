"""Program pages served from the release's files: to anonymous and logged-in visitors alike (their
own parts come from me.json), and rendered as before when a file does not fit the request."""

import gzip

import pytest

from podium.events.models import Page, PageState
from podium.site import release_files
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_on")]


@pytest.fixture
def rendered(program):
    return release_files.render_release(program["event"], program["release"])


def _stored(rendered, name):
    return (rendered.path / name).read_bytes()


def test_the_schedule_page_is_the_stored_file(client, program, rendered):
    slug = program["event"].slug
    day = program["release"].sessions.order_by("day").first().day.isoformat()
    answer = client.get(f"/{slug}/schedule/?day={day}&view=list", headers={"accept-encoding": "gzip"})
    assert answer["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.content) == _stored(rendered, f"pages/schedule/{day}/list.html")
    assert answer["Cache-Control"] == release_files.LATEST_CACHE_CONTROL
    assert client.get(f"/{slug}/schedule/", headers={"if-none-match": answer["ETag"]}).status_code in (
        200,
        304,
    )


def test_a_logged_in_visitor_gets_the_same_file(client, program, rendered):
    slug = program["event"].slug
    client.force_login(factories.UserFactory())
    answer = client.get(f"/{slug}/speakers/")
    assert answer.content == _stored(rendered, "pages/speakers.html")
    speaker = program["release"].speakers.get(name="Ada Lovelace").code
    assert client.get(f"/{slug}/speaker/{speaker}/").content == _stored(
        rendered, f"pages/speaker/{speaker}.html"
    )


def test_a_talk_page_is_rendered_for_a_logged_in_visitor(client, program, rendered):
    """It holds their note, feedback and seat forms: not a shared file."""
    slug, code = program["event"].slug, program["alpha"].code
    assert client.get(f"/{slug}/talk/{code}/").content == _stored(rendered, f"pages/talk/{code}.html")
    client.force_login(factories.UserFactory())
    answer = client.get(f"/{slug}/talk/{code}/")
    assert answer.status_code == 200
    assert answer.content != _stored(rendered, f"pages/talk/{code}.html")
    assert b"Your note" in answer.content
    assert b"Save note" in answer.content


def test_filtered_pages_are_rendered(client, program, rendered, monkeypatch):
    asked = []
    monkeypatch.setattr(release_files, "schedule_render", asked.append)
    slug = program["event"].slug
    track = program["release"].tracks[0]["id"]
    answer = client.get(f"/{slug}/schedule/?track={track}")
    assert answer.status_code == 200
    assert answer["Cache-Control"] != release_files.LATEST_CACHE_CONTROL
    assert asked == []  # a filtered page has no file: nothing to render again


def test_a_page_whose_menu_changed_is_rendered_and_the_files_asked_for(
    client, program, rendered, monkeypatch
):
    asked = []
    monkeypatch.setattr(release_files, "schedule_render", asked.append)
    event = program["event"]
    Page.objects.create(event=event, title="Venue", slug="venue", state=PageState.PUBLISHED)
    answer = client.get(f"/{event.slug}/speakers/")
    assert answer.status_code == 200
    assert b"Venue" in answer.content
    assert answer.content != _stored(rendered, "pages/speakers.html")
    assert asked == [program["release"]]


def test_a_visitor_with_a_message_gets_a_rendered_page(client, program, rendered):
    slug = program["event"].slug
    client.force_login(factories.UserFactory())
    client.post(f"/{slug}/talk/{program['alpha'].code}/star/", {"starred": "2"})  # refused: a message
    answer = client.get(f"/{slug}/speakers/")
    assert answer.content != _stored(rendered, "pages/speakers.html")
