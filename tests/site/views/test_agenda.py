"""The attendee agenda: starred sessions from the latest release, a banner with the changes since the
release last seen, and the switch for change mails."""

import pytest
from django.urls import reverse

from podium.attendance.models import AgendaPreference, CalendarFeed
from podium.attendance.services import set_star
from tests import factories
from tests.program import at, cancel, fill_day, place, release
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def agenda_url(event) -> str:
    return reverse("site:agenda", kwargs={"event": event.slug})


@pytest.fixture
def fan(client, program):
    user = factories.UserFactory()
    for name in ("alpha", "gamma"):
        set_star(event=program["event"], user=user, code=program[name].code, starred=True)
    client.force_login(user)
    return user


def test_agenda_needs_a_login(client, program):
    response = client.get(agenda_url(program["event"]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_agenda_lists_only_the_starred_sessions_of_the_latest_release(client, program, fan):
    response = client.get(agenda_url(program["event"]))

    assert response.status_code == 200
    titles = [s.title for s in response.context["sessions"]]
    assert titles == ["Alpha talk", "Gamma talk"]
    assert response.context["changes"] == []
    assert "My agenda" in response.content.decode()


def test_agenda_banner_shows_changes_since_the_release_last_seen(client, program, fan):
    event, scheduler = program["event"], program["scheduler"]
    client.get(agenda_url(event))  # sees v1
    place(event, program["alpha"], "Room 101", at(event, 15), scheduler)
    place(event, program["beta"], "Hall A", at(event, 16), scheduler)  # not starred
    release(event, scheduler, name="v2")
    cancel(program["gamma"], scheduler)
    release(event, scheduler, name="v3")

    response = client.get(agenda_url(event))

    changes = [(c["kind"], c["title"], c["release"]) for c in response.context["changes"]]
    assert changes == [("moved", "Alpha talk", "v2"), ("cancelled", "Gamma talk", "v3")]
    assert "since you last looked" in response.content.decode()
    assert [s.title for s in response.context["sessions"]] == ["Alpha talk"]
    assert AgendaPreference.objects.get(user=fan).last_seen_version == 3
    assert client.get(agenda_url(event)).context["changes"] == []  # seen now


def test_agenda_toggles_change_mails(client, program, fan):
    event = program["event"]

    response = client.post(agenda_url(event), {"notify": "1"})

    assert response.status_code == 302
    assert AgendaPreference.objects.get(event=event, user=fan).notify_changes is True
    assert client.get(agenda_url(event)).context["notify"] is True
    client.post(agenda_url(event), {"notify": "0"})
    assert AgendaPreference.objects.get(event=event, user=fan).notify_changes is False


def test_agenda_change_mails_are_off_by_default(client, program, fan):
    assert client.get(agenda_url(program["event"])).context["notify"] is False


def test_agenda_of_a_hidden_event_is_not_found(client, program, fan):
    event = program["event"]
    event.is_public = False
    event.save(update_fields=["is_public"])

    assert client.get(agenda_url(event)).status_code == 404


def test_agenda_query_count_does_not_grow_with_starred_sessions(
    client, event, scheduler, django_assert_max_num_queries
):
    visitor = factories.UserFactory()
    client.force_login(visitor)
    url = agenda_url(event)
    release(event, scheduler)
    client.get(url)  # the first visit creates the visitor's agenda settings; later ones update them

    def grow(count):
        talks = fill_day(event, scheduler, count)
        release(event, scheduler)
        for talk in talks:
            set_star(event=event, user=visitor, code=talk.code, starred=True)

    assert_constant_queries(client, url, grow, small=3, large=30)

    # 12, the visitor's seats (none here), the information pages, the public sponsors (navigation, marks)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert len(response.context["sessions"]) == 30


# --- By day, and the calendar's address ------------------------------------------------------------


def test_agenda_groups_the_sessions_by_day_with_weekday_and_date(client, program, fan):
    event = program["event"]

    response = client.get(agenda_url(event))

    days = [(day["day"], [s.title for s in day["sessions"]]) for day in response.context["days"]]
    assert days == [(event.date_from, ["Alpha talk"]), (event.days[1], ["Gamma talk"])]
    html = response.content.decode()
    first, second = event.date_from, event.days[1]
    assert f'<h2 id="day-{first.isoformat()}">{first:%A} {first.day} {first:%B}</h2>' in html
    assert f'<h2 id="day-{second.isoformat()}">{second:%A} {second.day} {second:%B}</h2>' in html
    assert html.index("Alpha talk") < html.index(f"{second:%A} {second.day}") < html.index("Gamma talk")
    assert "10:00</time>–<time" in html  # time and room on each card
    assert "Hall A" in html


def test_agenda_counts_an_after_midnight_session_for_the_day_before(client, program, fan):
    event, scheduler = program["event"], program["scheduler"]
    night = factories.ProposalFactory(event=event, title="Night owl", state="confirmed")
    place(event, night, "Room 101", at(event, 1, day=1), scheduler)  # 01:00 on day two: still day one
    release(event, scheduler)
    set_star(event=event, user=fan, code=night.code, starred=True)

    days = client.get(agenda_url(event)).context["days"]

    assert [(day["day"], [s.title for s in day["sessions"]]) for day in days] == [
        (event.date_from, ["Alpha talk", "Night owl"]),
        (event.days[1], ["Gamma talk"]),
    ]


def test_agenda_offers_to_make_a_calendar_link_and_then_shows_it(client, program, fan):
    event = program["event"]
    html = client.get(agenda_url(event)).content.decode()
    assert "Make a calendar link</button>" in html
    assert 'id="feed-url"' not in html

    response = client.post(reverse("site:calendar_link", kwargs={"event": event.slug}))

    assert response.status_code == 302
    assert response["Location"] == agenda_url(event) + "#calendar"
    feed = CalendarFeed.objects.get(event=event, user=fan)
    html = client.get(agenda_url(event)).content.decode()
    expected = f"http://testserver/{event.slug}/agenda/{feed.key}.ics"
    assert f'value="{expected}"' in html
    assert 'data-copy="feed-url"' in html
    assert "/static/podium/agenda.js" in html
    assert "Make a new link</button>" in html


def test_making_a_new_calendar_link_replaces_the_old_one(client, program, fan):
    event = program["event"]
    url = reverse("site:calendar_link", kwargs={"event": event.slug})
    client.post(url)
    old = CalendarFeed.objects.get().key

    client.post(url)

    new = CalendarFeed.objects.get().key
    assert new != old
    html = client.get(agenda_url(event)).content.decode()
    assert new in html
    assert old not in html


def test_the_calendar_link_is_made_by_post_only_and_for_oneself(client, program, fan):
    event = program["event"]
    url = reverse("site:calendar_link", kwargs={"event": event.slug})

    assert client.get(url).status_code == 405
    client.logout()
    assert client.post(url).status_code == 302
    assert CalendarFeed.objects.count() == 0


def test_another_attendees_calendar_link_is_not_shown(client, program, fan):
    from podium.attendance.services import renew_calendar_feed

    theirs = renew_calendar_feed(event=program["event"], user=factories.UserFactory())

    html = client.get(agenda_url(program["event"])).content.decode()

    assert theirs.token not in html


def test_agenda_loads_the_words_reader_before_its_scripts(client, program, fan):
    html = client.get(agenda_url(program["event"])).content.decode()

    reader = html.index("/static/podium/messages.js")
    assert 0 < reader < html.index("/static/podium/stars.js") < html.index("/static/podium/agenda.js")
    assert 'id="agenda-messages"' in html
    assert 'id="stars-messages"' in html
