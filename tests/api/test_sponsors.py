"""Sponsors through API tokens: the organisations with their contacts, the event's sponsorships with
level and stage, a sponsorship's log, and adding to the log; for users who manage the event's sponsors
(as the pages), within the token's organiser and events."""

import datetime as dt

import pytest

from podium.base.models import AuditEntry
from podium.sponsors import services
from podium.sponsors.models import Interaction, Stage
from tests import factories
from tests.api.conftest import bearer, make_token
from tests.public_sponsors import sponsor
from tests.querycount import assert_constant_queries
from tests.sponsoring import colleague_fixture, contact, level, manager_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ORGA = "/api/v1/orga/events/{}/sponsors"


def _url(event, path="") -> str:
    return ORGA.format(event.slug) + path


@pytest.fixture
def acme(event, manager):
    gold = level(event, manager, "Gold", position=1)
    sponsorship = sponsor(event, manager, "Acme Cloud", level=gold, stage=Stage.INVOICED, logo=True)
    contact(sponsorship, manager, "Dana Lee", "dana@acme.example", is_primary=True)
    contact(sponsorship, manager, "Ed Park", "ed@acme.example")
    return sponsorship


def _post_entry(client, event, sponsorship, body, *, user, **headers):
    return client.post(
        _url(event, f"/sponsorships/{sponsorship.pk}/interactions"),
        body,
        content_type="application/json",
        **bearer(make_token(user, event, scope="write")),
        **headers,
    )


# --- Who may call ----------------------------------------------------------------------------------


def test_a_user_who_does_not_manage_sponsors_is_refused(client, event, acme):
    scheduler = factories.team_member(event, can_schedule=True, can_edit_event=True)
    headers = bearer(make_token(scheduler, event, scope="write"))

    answers = [
        client.get(_url(event, "/organisations"), **headers),
        client.get(_url(event, "/sponsorships"), **headers),
        client.get(_url(event, f"/sponsorships/{acme.pk}/interactions"), **headers),
        client.post(
            _url(event, f"/sponsorships/{acme.pk}/interactions"),
            {"summary": "Called"},
            content_type="application/json",
            **headers,
        ),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    assert answers[0].json()["detail"] == "The token's user does not manage this event's sponsors."
    assert not Interaction.objects.exists()


def test_the_organisers_administrators_may(client, event, acme):
    admin = factories.team_member(event, is_admin=True)

    response = client.get(_url(event, "/sponsorships"), **bearer(make_token(admin, event)))

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_another_organisers_token_reaches_nothing_of_ours(client, event, acme):
    theirs = factories.EventFactory()
    their_manager = factories.team_member(theirs, can_manage_sponsors=True, is_admin=True)
    headers = bearer(make_token(their_manager, theirs, scope="write"))

    ours = [
        client.get(_url(event, "/organisations"), **headers),
        client.get(_url(event, f"/organisations/{acme.organisation_id}"), **headers),
        client.get(_url(event, f"/sponsorships/{acme.pk}"), **headers),
        client.post(
            _url(event, f"/sponsorships/{acme.pk}/interactions"),
            {"summary": "Called"},
            content_type="application/json",
            **headers,
        ),
    ]
    # Their own event's calls do not reach our organisation and sponsorship either.
    via_theirs = [
        client.get(_url(theirs, f"/organisations/{acme.organisation_id}"), **headers),
        client.get(_url(theirs, f"/sponsorships/{acme.pk}/interactions"), **headers),
    ]

    assert [answer.status_code for answer in ours + via_theirs] == [404] * 6
    assert client.get(_url(theirs, "/organisations"), **headers).json()["items"] == []


def test_a_token_for_another_event_of_the_organiser_does_not_reach_this_one(client, event, manager, acme):
    other = factories.EventFactory(organiser=event.organiser)

    response = client.get(_url(event, "/sponsorships"), **bearer(make_token(manager, other)))

    assert response.status_code == 404


# --- Reads -----------------------------------------------------------------------------------------


def test_organisations_with_their_contacts(client, event, manager, acme):
    sponsor(event, manager, "Py Weekly", kind="media", stage=Stage.CONTACTED)
    headers = bearer(make_token(manager, event))

    listing = client.get(_url(event, "/organisations"), **headers).json()
    media = client.get(_url(event, "/organisations?kind=media"), **headers).json()
    one = client.get(_url(event, f"/organisations/{acme.organisation_id}"), **headers).json()

    assert [item["name"] for item in listing["items"]] == ["Acme Cloud", "Py Weekly"]
    assert [item["name"] for item in media["items"]] == ["Py Weekly"]
    assert one == listing["items"][0]
    assert one["logo"] == "/media/" + acme.organisation.logo.name
    assert [(c["name"], c["email"], c["is_primary"]) for c in one["contacts"]] == [
        ("Dana Lee", "dana@acme.example", True),
        ("Ed Park", "ed@acme.example", False),
    ]


def test_sponsorships_with_level_and_stage(client, event, manager, acme):
    web = event.tracks.get(name="Web")
    sponsor(event, manager, "Bolt Labs", stage=Stage.PROSPECT, track=web)
    headers = bearer(make_token(manager, event))

    listing = client.get(_url(event, "/sponsorships"), **headers).json()
    prospects = client.get(_url(event, "/sponsorships?stage=prospect"), **headers).json()
    one = client.get(_url(event, f"/sponsorships/{acme.pk}"), **headers).json()

    assert [(i["organisation"]["name"], i["stage"], i["public"]) for i in listing["items"]] == [
        ("Acme Cloud", "invoiced", True),
        ("Bolt Labs", "prospect", False),
    ]
    assert [i["track"]["name"] for i in prospects["items"]] == ["Web"]
    assert one["level"]["name"] == "Gold"
    assert one["owner"] == {"name": manager.name, "email": manager.email}


def test_a_sponsorships_log_newest_first(client, event, manager, acme):
    services.log_interaction(
        sponsorship=acme,
        by=manager,
        data={"summary": "First call", "happened_at": dt.datetime(2030, 1, 2, 10, tzinfo=dt.UTC)},
    )
    services.log_interaction(
        sponsorship=acme,
        by=manager,
        data={
            "summary": "Sent the contract",
            "kind": "mail",
            "next_step": "Chase the signature",
            "due": dt.date(2030, 2, 1),
            "contact": acme.organisation.contacts.get(name="Ed Park"),
            "happened_at": dt.datetime(2030, 1, 9, 10, tzinfo=dt.UTC),
        },
    )

    log = client.get(
        _url(event, f"/sponsorships/{acme.pk}/interactions"), **bearer(make_token(manager, event))
    ).json()

    assert [(i["summary"], i["kind"]) for i in log["items"]] == [
        ("Sent the contract", "mail"),
        ("First call", "note"),
    ]
    latest = log["items"][0]
    assert latest["due"] == "2030-02-01"
    assert latest["contact"]["name"] == "Ed Park"
    assert latest["assigned_to"] == {"name": manager.name, "email": manager.email}


def test_lists_read_in_a_constant_number_of_queries(client, event, manager):
    client.defaults.update(bearer(make_token(manager, event)))
    client.get(_url(event, "/organisations"))  # the token's first use writes its last-used time once
    count = [0]

    def grow(n):
        for _ in range(n):
            count[0] += 1
            shown = sponsor(event, manager, f"Org {count[0]}", level=level(event, manager, f"L{count[0]}"))
            contact(shown, manager, f"Person {count[0]}", f"p{count[0]}@org.example")
            services.log_interaction(sponsorship=shown, by=manager, data={"summary": "Hello"})

    assert_constant_queries(client, _url(event, "/organisations"), grow)
    assert_constant_queries(client, _url(event, "/sponsorships"), grow)


# --- Adding to the log -----------------------------------------------------------------------------


def test_an_entry_is_added_through_the_service(client, event, manager, colleague, acme):
    dana = acme.organisation.contacts.get(name="Dana Lee")

    response = _post_entry(
        client,
        event,
        acme,
        {
            "kind": "call",
            "summary": "Agreed on the booth",
            "text": "Corner booth, near the coffee.",
            "contact": dana.pk,
            "next_step": "Send the floor plan",
            "due": "2030-03-01",
            "assigned_to": colleague.email.upper(),
        },
        user=manager,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    entry = Interaction.objects.get()
    assert body["id"] == entry.pk
    assert (entry.kind, entry.summary, entry.contact, entry.by, entry.assigned_to, entry.due) == (
        "call",
        "Agreed on the booth",
        dana,
        manager,
        colleague,
        dt.date(2030, 3, 1),
    )
    assert body["assigned_to"]["email"] == colleague.email
    assert AuditEntry.objects.filter(action="sponsors.interaction_logged").count() == 1


def test_a_read_token_may_not_add(client, event, manager, acme):
    response = client.post(
        _url(event, f"/sponsorships/{acme.pk}/interactions"),
        {"summary": "Called"},
        content_type="application/json",
        **bearer(make_token(manager, event)),
    )

    assert response.status_code == 403
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"summary": "Talked", "due": "2030-03-01"}, 400, "next_step"),  # a due day needs a next step
        ({"summary": "Talked", "contact": 0}, 422, None),
        ({"summary": "Talked", "assigned_to": "nobody@nowhere.example"}, 400, "assigned_to"),
        ({"summary": ""}, 422, None),
        ({"summary": "Talked", "kind": "fax"}, 422, None),
        ({"summary": "Talked", "due": "1 March"}, 422, None),
    ],
)
def test_bad_input_is_refused_and_nothing_is_added(client, event, manager, acme, body, status, field):
    response = _post_entry(client, event, acme, body, user=manager)

    assert response.status_code == status, response.content
    if field is not None:
        assert response.json()["field"] == field
    assert not Interaction.objects.exists()


def test_another_organisations_contact_is_refused(client, event, manager, acme):
    other = sponsor(event, manager, "Bolt Labs")
    stranger = contact(other, manager, "Stranger", "s@bolt.example")

    response = _post_entry(client, event, acme, {"summary": "Talked", "contact": stranger.pk}, user=manager)

    assert response.status_code == 400
    assert response.json() == {"detail": "Choose one of this organisation's people.", "field": "contact"}
    assert not Interaction.objects.exists()


def test_someone_outside_the_sponsors_team_cannot_be_given_the_next_step(client, event, manager, acme):
    outsider = factories.team_member(event, can_schedule=True)

    response = _post_entry(
        client,
        event,
        acme,
        {"summary": "Talked", "next_step": "Call", "assigned_to": outsider.email},
        user=manager,
    )

    assert response.status_code == 400
    assert response.json()["field"] == "assigned_to"


def test_a_retry_with_the_same_key_adds_one_entry(client, event, manager, acme):
    secret = make_token(manager, event, scope="write")
    url = _url(event, f"/sponsorships/{acme.pk}/interactions")

    first, again = (
        client.post(
            url,
            {"summary": "Called"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="entry-1",
            **bearer(secret),
        )
        for _ in range(2)
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Interaction.objects.count() == 1
