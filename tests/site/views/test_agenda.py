"""The attendee agenda: starred sessions from the latest release, a banner with the changes since the
release last seen, and the switch for change mails."""

import pytest
from django.urls import reverse

from podium.attendance.models import AgendaPreference
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

    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["sessions"]) == 30
