import datetime as dt

import pytest
from django.conf import settings

from tests import factories, program
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_events_lists_public_events_only(client, published):
    factories.EventFactory(name="Secret Conf", is_public=False)

    body = client.get(f"{API}/events").json()

    assert [item["slug"] for item in body["items"]] == [published["event"].slug]
    assert body["count"] == 1
    assert body["items"][0]["release"]["version"] == 1


def test_an_event_gives_its_main_texts_and_the_translations_it_has(client, event):
    event.name, event.name_de, event.name_fr = "Python Conference", "Python-Konferenz", ""
    event.description, event.description_fr = "Send us your talks.", "Proposez vos exposés."
    event.save()

    body = client.get(f"{API}/events/{event.slug}", headers={"accept-language": "de"}).json()
    listed = client.get(f"{API}/events").json()["items"]

    assert (body["name"], body["name_translations"]) == ("Python Conference", {"de": "Python-Konferenz"})
    assert (body["description"], body["description_translations"]) == (
        "Send us your talks.",
        {"fr": "Proposez vos exposés."},
    )
    assert [item["name_translations"] for item in listed] == [{"de": "Python-Konferenz"}]


def test_event_detail_answers_404_for_a_non_public_event(client):
    hidden = factories.EventFactory(is_public=False)

    response = client.get(f"{API}/events/{hidden.slug}")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_rooms_and_tracks_come_from_the_latest_release(client, published, scheduler):
    event = published["event"]
    event.rooms.filter(name="Hall A").update(name="Renamed Hall")

    rooms = client.get(f"{API}/events/{event.slug}/rooms").json()
    tracks = client.get(f"{API}/events/{event.slug}/tracks").json()

    assert [room["name"] for room in rooms] == ["Hall A", "Room 101"]
    assert {track["name"] for track in tracks} == {"Web", "Data"}


def test_session_types_counts_released_sessions(client, published):
    body = client.get(f"{API}/events/{published['event'].slug}/session-types").json()

    assert body == [{"name": "Talk", "sessions": 2}]


def test_sessions_show_the_release_not_the_draft(client, published, scheduler):
    event = published["event"]
    program.rename(published["first"], "Renamed in the draft", scheduler)

    titles = [item["title"] for item in client.get(f"{API}/events/{event.slug}/sessions").json()["items"]]

    assert titles == ["Fast APIs", "Lunch", "Data at scale"]


def test_sessions_filter_by_track_room_and_day(client, published):
    event = published["event"]
    data = event.tracks.get(name="Data")
    hall = event.rooms.get(name="Hall A")
    url = f"{API}/events/{event.slug}/sessions"

    by_track = client.get(url, {"track": data.pk}).json()["items"]
    by_room = client.get(url, {"room": str(hall.uuid)}).json()["items"]
    by_day = client.get(url, {"day": str(event.date_from + dt.timedelta(days=1))}).json()["items"]

    assert [s["title"] for s in by_track] == ["Lunch", "Data at scale"]
    assert [s["title"] for s in by_room] == ["Fast APIs", "Lunch"]
    assert [s["title"] for s in by_day] == ["Data at scale"]


def test_sessions_paginate_with_a_maximum_limit(client, published):
    url = f"{API}/events/{published['event'].slug}/sessions"

    page = client.get(url, {"limit": 1, "offset": 1}).json()
    too_many = client.get(url, {"limit": 10_000})

    assert (page["count"], page["limit"], page["offset"]) == (3, 1, 1)
    assert [s["title"] for s in page["items"]] == ["Lunch"]
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"][-1] == "limit"


def test_session_detail_has_speakers_and_room(client, published):
    event, talk = published["event"], published["first"]

    body = client.get(f"{API}/events/{event.slug}/sessions/{talk.code.lower()}").json()

    assert body["title"] == "Fast APIs"
    assert body["room"]["name"] == "Hall A"
    assert body["speakers"] == [{"code": program.speaker_code(talk), "name": talk.speakers.get().name}]


def test_session_detail_answers_404_for_an_unreleased_proposal(client, published):
    unreleased = factories.ProposalFactory(event=published["event"])

    response = client.get(f"{API}/events/{published['event'].slug}/sessions/{unreleased.code}")

    assert response.status_code == 404


def test_speakers_list_and_detail(client, published):
    event, talk = published["event"], published["first"]
    code = program.speaker_code(talk)

    listed = client.get(f"{API}/events/{event.slug}/speakers").json()
    one = client.get(f"{API}/events/{event.slug}/speakers/{code}").json()

    assert listed["count"] == 2
    assert one["sessions"] == [talk.code]
    assert one["bio"].startswith("Bio of")


def test_schedule_groups_sessions_by_day(client, published):
    event = published["event"]

    body = client.get(f"{API}/events/{event.slug}/schedule").json()
    one_day = client.get(f"{API}/events/{event.slug}/schedule", {"day": str(event.date_from)}).json()

    assert [day["day"] for day in body["days"]] == [str(event.date_from), str(event.days[1])]
    assert [len(day["sessions"]) for day in one_day["days"]] == [2]


def test_schedule_before_the_first_release_is_empty(client, event):
    body = client.get(f"{API}/events/{event.slug}/schedule").json()

    assert body == {"release": None, "days": []}


def test_releases_list_changelog_and_detail(client, published, scheduler):
    event = published["event"]
    program.cancel(published["second"], scheduler)
    program.release(event, scheduler, name="Second")

    listed = client.get(f"{API}/events/{event.slug}/releases").json()
    first = client.get(f"{API}/events/{event.slug}/releases/1").json()

    assert [r["name"] for r in listed["items"]] == ["Second", "v1"]
    assert [(c["kind"], c["title"]) for c in listed["items"][0]["changes"]] == [
        ("cancelled", "Data at scale")
    ]
    assert first["comment"] == "First program"
    assert client.get(f"{API}/events/{event.slug}/releases/9").status_code == 404


def test_get_answers_304_for_a_matching_etag(client, published):
    url = f"{API}/events/{published['event'].slug}/sessions"
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert other.status_code == 200


def test_etag_changes_with_a_new_release(client, published, scheduler):
    event = published["event"]
    url = f"{API}/events/{event.slug}/sessions"
    before = client.get(url)["ETag"]
    program.rename(published["first"], "A new title", scheduler)
    program.release(event, scheduler)

    response = client.get(url, HTTP_IF_NONE_MATCH=before)

    assert response.status_code == 200
    assert response["ETag"] != before


def test_bad_input_gets_a_422_with_the_field(client, published):
    response = client.get(f"{API}/events/{published['event'].slug}/sessions", {"day": "tomorrow"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "day"


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("sessions", {"limit": "true"}, "limit"),
        ("sessions", {"limit": "2.5"}, "limit"),
        ("sessions", {"offset": "false"}, "offset"),
        ("sessions", {"track": "true"}, "track"),
        ("sessions", {"track": "1.5"}, "track"),
        ("speakers", {"limit": "1.5"}, "limit"),
        ("releases", {"offset": "true"}, "offset"),
    ],
)
def test_a_query_value_of_another_type_is_a_422_naming_it(client, published, path, query, field):
    """Query values are text: an integer is digits only, "true" is no 1 and "2.5" no 2."""
    response = client.get(f"{API}/events/{published['event'].slug}/{path}", query)

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


@pytest.mark.parametrize("version", ["true", "1.5"])
def test_a_release_number_of_another_type_is_a_422(client, published, version):
    response = client.get(f"{API}/events/{published['event'].slug}/releases/{version}")

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == ["version"]


@pytest.mark.parametrize("path", ["sessions", "speakers", "schedule", "releases"])
def test_list_query_count_is_constant(client, published, scheduler, path):
    event = published["event"]

    def grow(count):
        program.fill_day(event, scheduler, count, day=2)
        program.release(event, scheduler)

    assert_constant_queries(client, f"{API}/events/{event.slug}/{path}", grow)


def test_events_query_count_is_constant(client, published):
    def grow(count):
        for _ in range(count):
            factories.EventFactory()

    assert_constant_queries(client, f"{API}/events", grow)


@pytest.mark.parametrize("path", ["sessions", "schedule"])
@pytest.mark.parametrize("day", ["0", "86400", "2025-1-1", "20250101", "2025-06-14T00:00", "14.06.2025", ""])
def test_a_day_that_is_not_an_iso_date_is_a_clear_422(client, published, path, day):
    response = client.get(f"{API}/events/{published['event'].slug}/{path}", {"day": day})

    assert response.status_code == 422
    assert [(error["loc"][-1], error["msg"]) for error in response.json()["detail"]] == [
        ("day", "Give a date as YYYY-MM-DD, e.g. 2025-06-14.")
    ]


def test_a_day_that_is_not_in_the_calendar_is_a_422_naming_it(client, published):
    response = client.get(f"{API}/events/{published['event'].slug}/sessions", {"day": "2025-02-30"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "2025-02-30 is no day of the calendar."


def test_an_iso_date_filters_the_schedule(client, published):
    event = published["event"]

    body = client.get(f"{API}/events/{event.slug}/schedule", {"day": event.date_from.isoformat()}).json()

    assert [day["day"] for day in body["days"]] == [event.date_from.isoformat()]


def _page(event, title: str, *, published: bool = True, **data):
    from podium.events import pages
    from podium.events.models import PageState

    admin = factories.team_member(event, is_admin=True, can_edit_event=True)
    state = PageState.PUBLISHED if published else PageState.DRAFT
    return pages.save_page(event=event, by=admin, data={"title": title, "state": state, **data})


def test_information_pages_lists_the_published_ones_with_their_translations(client, event):
    _page(event, "Venue", body="Hall **B**, second floor.", title_de="Veranstaltungsort", position=2)
    _page(event, "Code of conduct", body="Be kind.", body_fr="Soyez bienveillants.", position=1)
    _page(event, "Secret plans", body="Not yet.", published=False)

    body = client.get(f"{API}/events/{event.slug}/pages").json()

    assert [(p["slug"], p["title"], p["title_translations"]) for p in body] == [
        ("code-of-conduct", "Code of conduct", {}),
        ("venue", "Venue", {"de": "Veranstaltungsort"}),
    ]
    assert (body[0]["body"], body[0]["body_translations"]) == ("Be kind.", {"fr": "Soyez bienveillants."})
    assert body[1]["url"] == f"{settings.BASE_URL}/{event.slug}/pages/venue/"
    assert client.get(body[1]["url"].removeprefix(settings.BASE_URL)).status_code == 200


def test_an_information_page_is_read_by_its_short_name_and_a_draft_is_unknown(client, event):
    _page(event, "Travel", body="Take the train.")
    _page(event, "Secret plans", published=False)
    hidden = factories.EventFactory(is_public=False)
    _page(hidden, "Travel", body="Hidden travel.")

    found = client.get(f"{API}/events/{event.slug}/pages/travel")

    assert (found.status_code, found.json()["body"]) == (200, "Take the train.")
    for path in (
        f"{event.slug}/pages/secret-plans",
        f"{event.slug}/pages/nothing",
        f"{hidden.slug}/pages/travel",
    ):
        response = client.get(f"{API}/events/{path}")
        assert response.status_code == 404, path
        assert "Hidden" not in response.content.decode()
    assert client.get(f"{API}/events/{event.slug}/pages/Not_A-Slug").status_code == 422


def test_information_pages_query_count_is_constant(client, event):
    def grow(count):
        for number in range(count):
            _page(event, f"Page {number} {count}")

    assert_constant_queries(client, f"{API}/events/{event.slug}/pages", grow)
