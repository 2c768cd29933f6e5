"""An organiser's contact lists through API tokens: the lists with their sizes, one list, a list's
contacts a page at a time and searched; for the organiser's administrators and mail teams (as the
pages), within the token's organiser."""

import pytest

from podium.contacts.models import Contact, ContactList, Membership
from tests import factories
from tests.api.conftest import bearer, make_token
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

ORGA = "/api/v1/orga/organisers/{}/contact-lists"


def _url(organiser, path="") -> str:
    return ORGA.format(organiser.slug) + path


def _add(contact_list, email, name="", organisation=""):
    contact = Contact.objects.create(
        organiser=contact_list.organiser, email=email, name=name, organisation=organisation
    )
    Membership.objects.create(contact_list=contact_list, contact=contact)
    return contact


@pytest.fixture
def press(event):
    press = ContactList.objects.create(organiser=event.organiser, name="Press", description="Journalists")
    ContactList.objects.create(organiser=event.organiser, name="Alumni")
    _add(press, "zoe@paper.example", "Zoë Kay", "Daily Paper")
    _add(press, "ada@engines.example", "Ada Lovelace", "Engines")
    return press


@pytest.fixture
def mailer(event):
    """A member of a team that writes mail (and may read the organiser's contacts)."""
    return factories.team_member(event, name="Mail", can_draft_mail=True)


def test_the_lists_with_their_sizes(client, event, mailer, press):
    answer = client.get(_url(event.organiser), **bearer(make_token(mailer, event)))

    assert answer.status_code == 200, answer.content
    assert answer.json()["count"] == 2
    assert [(item["name"], item["contacts"]) for item in answer.json()["items"]] == [
        ("Alumni", 0),
        ("Press", 2),
    ]
    one = client.get(_url(event.organiser, f"/{press.pk}"), **bearer(make_token(mailer, event))).json()
    assert one == answer.json()["items"][1]
    assert (one["id"], one["description"], one["version"]) == (press.pk, "Journalists", 1)


def test_a_lists_contacts_by_address_paginated_and_searched(client, event, mailer, press):
    headers = bearer(make_token(mailer, event))
    _add(press, "bob@paper.example", "", "Daily Paper")

    first = client.get(_url(event.organiser, f"/{press.pk}/contacts?limit=2"), **headers).json()
    second = client.get(_url(event.organiser, f"/{press.pk}/contacts?limit=2&offset=2"), **headers).json()
    paper = client.get(_url(event.organiser, f"/{press.pk}/contacts?search=PAPER"), **headers).json()

    assert first["count"] == 3
    assert [item["email"] for item in first["items"] + second["items"]] == [
        "ada@engines.example",
        "bob@paper.example",
        "zoe@paper.example",
    ]
    ada = first["items"][0]
    assert (ada["name"], ada["organisation"], ada["version"]) == ("Ada Lovelace", "Engines", 1)
    assert (paper["count"], [item["email"] for item in paper["items"]]) == (
        2,
        ["bob@paper.example", "zoe@paper.example"],
    )


def test_a_contact_on_another_list_is_not_on_this_one(client, event, mailer, press):
    alumni = event.organiser.contact_lists.get(name="Alumni")
    _add(alumni, "old@timer.example")

    answer = client.get(_url(event.organiser, f"/{alumni.pk}/contacts"), **bearer(make_token(mailer, event)))

    assert [item["email"] for item in answer.json()["items"]] == ["old@timer.example"]


@pytest.mark.parametrize("flags", [{"is_admin": True}, {"can_send_mail": True}])
def test_the_organisers_administrators_and_senders_may_read(client, event, press, flags):
    user = factories.team_member(event, **flags)

    answer = client.get(_url(event.organiser), **bearer(make_token(user, event)))

    assert answer.status_code == 200


def test_a_team_limited_to_another_event_still_reads_the_organisers_lists(client, event, press):
    other = factories.EventFactory(organiser=event.organiser)
    user = factories.team_member(event, can_draft_mail=True, events=[other])
    factories.team_member(event, user=user, can_review=True)  # a team on this event, for the token

    answer = client.get(_url(event.organiser), **bearer(make_token(user, event)))

    assert answer.status_code == 200
    assert answer.json()["count"] == 2


def test_a_user_without_a_mail_flag_is_refused(client, event, press):
    reviewer = factories.team_member(event, can_review=True, can_manage_sponsors=True)
    headers = bearer(make_token(reviewer, event, scope="write"))

    answers = [
        client.get(_url(event.organiser), **headers),
        client.get(_url(event.organiser, f"/{press.pk}"), **headers),
        client.get(_url(event.organiser, f"/{press.pk}/contacts"), **headers),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert answers[0].json()["detail"] == "The token's user does not keep this organiser's contacts."


def test_a_checkin_token_is_refused(client, event, press):
    admin = factories.team_member(event, is_admin=True)

    answer = client.get(_url(event.organiser), **bearer(make_token(admin, event, scope="checkin")))

    assert answer.status_code == 403


def test_another_organisers_lists_are_unknown(client, event, mailer, press):
    theirs = factories.EventFactory()
    their_list = ContactList.objects.create(organiser=theirs.organiser, name="Their press")
    _add(their_list, "secret@theirs.example")
    headers = bearer(make_token(mailer, event))

    answers = [
        client.get(_url(theirs.organiser), **headers),
        client.get(_url(event.organiser, f"/{their_list.pk}"), **headers),
        client.get(_url(event.organiser, f"/{their_list.pk}/contacts"), **headers),
    ]

    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert b"secret@theirs.example" not in b"".join(answer.content for answer in answers)


def test_their_token_does_not_reach_our_lists(client, event, press):
    theirs = factories.EventFactory()
    their_admin = factories.team_member(theirs, is_admin=True)

    answer = client.get(_url(event.organiser), **bearer(make_token(their_admin, theirs)))

    assert answer.status_code == 404


def test_lists_and_contacts_read_in_a_constant_number_of_queries(client, event, mailer, press):
    client.defaults.update(bearer(make_token(mailer, event)))
    client.get(_url(event.organiser))  # the token's first use writes its last-used time once
    count = [0]

    def grow(n):
        for _ in range(n):
            count[0] += 1
            extra = ContactList.objects.create(organiser=event.organiser, name=f"List {count[0]}")
            _add(extra, f"p{count[0]}@list.example")
            _add(press, f"q{count[0]}@press.example")

    assert_constant_queries(client, _url(event.organiser), grow)
    assert_constant_queries(client, _url(event.organiser, f"/{press.pk}/contacts"), grow)
