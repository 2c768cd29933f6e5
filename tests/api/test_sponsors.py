"""Sponsors through API tokens: the organisations with their contacts, the event's sponsorships with
level and stage, a sponsorship's checklist and log, and the changes the pages make (organisations and
their people, adding to the event, stage, level, owner, amount, track, the checklist, the log and its
next steps); for users who manage the event's sponsors (as the pages), within the token's organiser
and events."""

import datetime as dt
import json

import pytest

from podium.base.models import AuditEntry
from podium.sponsors import services
from podium.sponsors.models import (
    Interaction,
    Organisation,
    OrganisationContact,
    SponsorLevel,
    Sponsorship,
    Stage,
)
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


# --- The writes the pages make: who may call them --------------------------------------------------


@pytest.fixture
def ours(event, manager, acme):
    """Acme at the event with its level's checklist and a log entry with an open next step."""
    entry = services.log_interaction(
        sponsorship=acme, by=manager, data={"summary": "Called", "next_step": "Send the contract"}
    )
    return {
        "event": event,
        "sponsorship": acme,
        "organisation": acme.organisation,
        "contact": acme.organisation.contacts.get(name="Ed Park"),
        "deliverable": acme.deliverables.get(name="Invoice sent"),
        "interaction": entry,
        "level": acme.level,
    }


@pytest.fixture
def theirs():
    """The same things at another organiser's event."""
    event = factories.EventFactory()
    manager = factories.team_member(event, can_manage_sponsors=True)
    sponsorship = sponsor(event, manager, "Rival Inc", level=level(event, manager, "Gold"))
    entry = services.log_interaction(
        sponsorship=sponsorship, by=manager, data={"summary": "Met", "next_step": "Follow up"}
    )
    return {
        "event": event,
        "sponsorship": sponsorship,
        "organisation": sponsorship.organisation,
        "contact": contact(sponsorship, manager, "Rita Vale", "rita@rival.example"),
        "deliverable": sponsorship.deliverables.first(),
        "interaction": entry,
        "level": sponsorship.level,
    }


def _org(w):
    return f"/organisations/{w['organisation'].pk}"


def _ship(w):
    return f"/sponsorships/{w['sponsorship'].pk}"


# name: (method, the path after /sponsors for objects `w`, the body for objects `w` at `version`)
WRITES = {
    "organisation_create": ("POST", lambda w: "/organisations", lambda w, v: {"name": "New Co"}),
    "organisation_edit": ("PATCH", _org, lambda w, v: {"version": v(w["organisation"]), "notes": "VIP"}),
    "contact_add": ("POST", lambda w: _org(w) + "/contacts", lambda w, v: {"name": "Flo Ray"}),
    "contact_edit": (
        "PATCH",
        lambda w: _org(w) + f"/contacts/{w['contact'].pk}",
        lambda w, v: {"version": v(w["contact"]), "role": "CTO"},
    ),
    "contact_remove": ("DELETE", lambda w: _org(w) + f"/contacts/{w['contact'].pk}", lambda w, v: None),
    "sponsorship_add": (
        "POST",
        lambda w: "/sponsorships",
        lambda w, v: {"organisation": w["organisation"].pk},
    ),
    "sponsorship_edit": ("PATCH", _ship, lambda w, v: {"version": v(w["sponsorship"]), "amount": "900"}),
    "stage": (
        "POST",
        lambda w: _ship(w) + "/stage",
        lambda w, v: {"stage": "paid", "version": v(w["sponsorship"])},
    ),
    "level": (
        "PUT",
        lambda w: _ship(w) + "/level",
        lambda w, v: {"level": None, "version": v(w["sponsorship"])},
    ),
    "tick": (
        "PUT",
        lambda w: _ship(w) + f"/deliverables/{w['deliverable'].pk}/done",
        lambda w, v: {"done": True, "version": v(w["deliverable"])},
    ),
    "due": (
        "PUT",
        lambda w: _ship(w) + f"/deliverables/{w['deliverable'].pk}/due",
        lambda w, v: {"due": "2030-05-01", "version": v(w["deliverable"])},
    ),
    "next_step_done": (
        "POST",
        lambda w: _ship(w) + f"/interactions/{w['interaction'].pk}/done",
        lambda w, v: {"version": v(w["interaction"])},
    ),
    "next_step_assignee": (
        "POST",
        lambda w: _ship(w) + f"/interactions/{w['interaction'].pk}/assignee",
        lambda w, v: {"assigned_to": None, "version": v(w["interaction"])},
    ),
    "organisation_delete": ("DELETE", _org, lambda w, v: None),
    "level_create": ("POST", lambda w: "/levels", lambda w, v: {"name": "Bronze"}),
    "level_edit": (
        "PATCH",
        lambda w: f"/levels/{w['level'].pk}",
        lambda w, v: {"version": v(w["level"]), "price": "7500"},
    ),
    "level_delete": ("DELETE", lambda w: f"/levels/{w['level'].pk}", lambda w, v: None),
}
# Those that edit a stored object at the version the client read.
VERSIONED = [
    "organisation_edit",
    "contact_edit",
    "sponsorship_edit",
    "stage",
    "level",
    "tick",
    "due",
    "next_step_done",
    "next_step_assignee",
    "level_edit",
]


def _current(obj) -> int:
    return type(obj).objects.get(pk=obj.pk).version


def _write(client, name, w, *, token, version=_current, path_objects=None, **headers):
    method, path, body = WRITES[name]
    data = body(w, version)
    return client.generic(
        method,
        _url(w["event"], path(path_objects or w)),
        json.dumps(data) if data is not None else "",
        content_type="application/json",
        **bearer(token),
        **headers,
    )


@pytest.mark.parametrize("name", WRITES)
def test_each_write_is_refused_to_a_user_who_does_not_manage_sponsors(client, event, ours, name):
    scheduler = factories.team_member(event, can_schedule=True, can_edit_event=True, can_send_mail=True)
    token = make_token(scheduler, event, scope="write")
    before = AuditEntry.objects.count()

    response = _write(client, name, ours, token=token)

    assert response.status_code == 403, response.content
    assert response.json()["detail"] == "The token's user does not manage this event's sponsors."
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("name", WRITES)
def test_each_write_is_refused_to_a_read_token(client, event, manager, ours, name):
    token = make_token(manager, event)
    before = AuditEntry.objects.count()

    response = _write(client, name, ours, token=token)

    assert response.status_code == 403, response.content
    assert response.json()["detail"] == "This token may only read. Make a write token to change data."
    assert AuditEntry.objects.count() == before


PATH_IDS = [name for name in WRITES if name not in ("organisation_create", "sponsorship_add", "level_create")]


@pytest.mark.parametrize("name", PATH_IDS)
def test_each_write_with_another_organisers_ids_answers_404(client, event, manager, ours, theirs, name):
    token = make_token(manager, event, scope="write")
    before = AuditEntry.objects.count()

    response = _write(client, name, ours, token=token, path_objects=theirs)

    assert response.status_code == 404, response.content
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("name", ["contact_edit", "contact_remove", "tick", "due", "next_step_done"])
def test_an_id_of_another_of_our_objects_in_the_path_answers_404(client, event, manager, ours, name):
    """A contact of another organisation, an item or entry of another sponsorship: 404 as well."""
    other = sponsor(event, manager, "Bolt Labs", level=level(event, manager, "Silver"))
    mixed = ours | {
        "contact": contact(other, manager, "Bo Volt", "bo@bolt.example"),
        "deliverable": other.deliverables.first(),
        "interaction": services.log_interaction(
            sponsorship=other, by=manager, data={"summary": "Hi", "next_step": "Call"}
        ),
    }
    token = make_token(manager, event, scope="write")
    before = AuditEntry.objects.count()

    response = _write(client, name, mixed, token=token)

    assert response.status_code == 404, response.content
    assert AuditEntry.objects.count() == before


def test_a_sponsorship_at_another_event_of_the_organiser_answers_404(client, event, manager, ours):
    other_event = factories.EventFactory(organiser=event.organiser)
    factories.team_member(other_event, user=manager, can_manage_sponsors=True)
    elsewhere = services.add_sponsorship(event=other_event, organisation=ours["organisation"], by=manager)

    response = _write(
        client,
        "stage",
        ours | {"sponsorship": elsewhere},
        token=make_token(manager, event, scope="write"),
    )

    assert response.status_code == 404
    assert Sponsorship.objects.get(pk=elsewhere.pk).stage == Stage.PROSPECT


def test_another_organisers_organisation_cannot_be_added_to_the_event(client, event, manager, theirs):
    response = _write(
        client, "sponsorship_add", theirs | {"event": event}, token=make_token(manager, event, scope="write")
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Choose one of the organiser's organisations.",
        "field": "organisation",
    }
    assert not Sponsorship.objects.filter(event=event, organisation=theirs["organisation"]).exists()


@pytest.mark.parametrize("name", VERSIONED)
def test_each_edit_at_a_stale_version_answers_409_and_changes_nothing(client, event, manager, ours, name):
    token = make_token(manager, event, scope="write")
    before = AuditEntry.objects.count()

    response = _write(
        client,
        name,
        ours,
        token=token,
        version=lambda obj: _current(obj) - 1 if _current(obj) > 1 else _current(obj) + 1,
    )

    assert response.status_code == 409, response.content
    assert "changed" in response.json()["detail"]
    assert AuditEntry.objects.count() == before


def test_a_retried_stage_move_with_the_same_key_moves_once(client, event, manager, ours):
    secret = make_token(manager, event, scope="write")
    version = ours["sponsorship"].version
    moves = AuditEntry.objects.filter(action="sponsors.stage_changed").count()

    first, again = (
        _write(
            client, "stage", ours, token=secret, version=lambda _obj: version, HTTP_IDEMPOTENCY_KEY="move-1"
        )
        for _ in range(2)
    )

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(action="sponsors.stage_changed").count() == moves + 1


# --- The writes the pages make: each works ---------------------------------------------------------


def _send(client, method, event, path, body, *, user):
    return client.generic(
        method,
        _url(event, path),
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        **bearer(make_token(user, event, scope="write")),
    )


def test_a_new_organisation_joins_the_event_as_a_prospect_of_the_tokens_user(client, event, manager):
    response = _send(
        client,
        "POST",
        event,
        "/organisations",
        {
            "name": "  Nova   Labs ",
            "kind": "exhibitor",
            "website": "https://nova.example",
            "notes": "Met at FOSDEM",
        },
        user=manager,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    made = Organisation.objects.get()
    assert (body["id"], body["name"], body["kind"], body["logo"], body["contacts"]) == (
        made.pk,
        "Nova Labs",
        "exhibitor",
        None,
        [],
    )
    ship = made.sponsorships.get()
    assert (ship.event, ship.stage, ship.owner) == (event, Stage.PROSPECT, manager)
    found = client.get(
        _url(event, f"/sponsorships?organisation={made.pk}"), **bearer(make_token(manager, event))
    ).json()
    assert [item["id"] for item in found["items"]] == [ship.pk]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "acme cloud"}, 400, "name"),  # the organiser has it already (any letter case)
        ({"name": "Nova", "website": "nova.example"}, 400, "website"),
        ({"name": ""}, 422, None),
        ({"name": "Nova", "kind": "bank"}, 422, None),
        ({"name": "Nova", "logo": "x.png"}, 422, None),  # no uploads over JSON
    ],
)
def test_a_bad_organisation_is_refused_and_nothing_is_made(client, event, manager, acme, body, status, field):
    response = _send(client, "POST", event, "/organisations", body, user=manager)

    assert response.status_code == status, response.content
    if field is not None:
        assert response.json()["field"] == field
    assert Organisation.objects.count() == 1


def test_an_organisation_edit_changes_only_the_fields_sent(client, event, manager, acme):
    organisation = acme.organisation
    old_logo = organisation.logo.name

    response = _send(
        client,
        "PATCH",
        event,
        f"/organisations/{organisation.pk}",
        {"version": organisation.version, "notes": "Pays late", "remove_logo": True},
        user=manager,
    )

    assert response.status_code == 200, response.content
    organisation.refresh_from_db()
    assert (organisation.name, organisation.notes, organisation.logo.name) == ("Acme Cloud", "Pays late", "")
    assert old_logo
    assert response.json()["version"] == organisation.version
    assert response.json()["logo"] is None


def test_an_organisation_edit_with_a_taken_name_keeps_what_was_saved(client, event, manager, acme):
    sponsor(event, manager, "Bolt Labs")
    version = acme.organisation.version

    response = _send(
        client,
        "PATCH",
        event,
        f"/organisations/{acme.organisation_id}",
        {"version": version, "name": "BOLT LABS", "notes": "x"},
        user=manager,
    )

    assert response.status_code == 400
    assert response.json()["field"] == "name"
    acme.organisation.refresh_from_db()
    assert (acme.organisation.name, acme.organisation.notes, acme.organisation.version) == (
        "Acme Cloud",
        "",
        version,
    )


def test_an_organisation_of_the_organiser_at_another_event_can_be_edited(client, event, manager):
    """Organisations are the organiser's: the same ids the reads give, whichever event they are at."""
    other_event = factories.EventFactory(organiser=event.organiser)
    elsewhere = sponsor(other_event, factories.team_member(other_event, can_manage_sponsors=True), "Far Co")

    response = _send(
        client,
        "PATCH",
        event,
        f"/organisations/{elsewhere.organisation_id}",
        {"version": elsewhere.organisation.version, "kind": "media"},
        user=manager,
    )

    assert response.status_code == 200, response.content
    assert Organisation.objects.get(pk=elsewhere.organisation_id).kind == "media"


def test_people_are_added_edited_and_removed(client, event, manager, acme):
    path = f"/organisations/{acme.organisation_id}/contacts"
    dana = acme.organisation.contacts.get(name="Dana Lee")

    added = _send(
        client,
        "POST",
        event,
        path,
        {"name": "Flo Ray", "email": "flo@acme.example", "role": "CTO", "is_primary": True},
        user=manager,
    )
    flo = OrganisationContact.objects.get(name="Flo Ray")
    edited = _send(
        client, "PATCH", event, f"{path}/{flo.pk}", {"version": flo.version, "phone": "+44 1"}, user=manager
    )
    removed = _send(client, "DELETE", event, f"{path}/{dana.pk}", None, user=manager)

    assert (added.status_code, edited.status_code, removed.status_code) == (201, 200, 204), [
        added.content,
        edited.content,
        removed.content,
    ]
    assert added.json() == {
        "id": flo.pk,
        "name": "Flo Ray",
        "email": "flo@acme.example",
        "phone": "",
        "role": "CTO",
        "is_primary": True,
        "version": 1,
    }
    flo.refresh_from_db()
    assert (flo.phone, flo.role, flo.is_primary, flo.version) == ("+44 1", "CTO", True, 2)
    assert edited.json()["version"] == 2
    assert removed.content == b""
    assert sorted(acme.organisation.contacts.values_list("name", flat=True)) == ["Ed Park", "Flo Ray"]


def test_a_bad_email_address_is_refused_and_the_person_kept(client, event, manager, acme):
    ed = acme.organisation.contacts.get(name="Ed Park")

    response = _send(
        client,
        "PATCH",
        event,
        f"/organisations/{acme.organisation_id}/contacts/{ed.pk}",
        {"version": ed.version, "email": "not an address"},
        user=manager,
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Give a valid e-mail address.", "field": "email"}
    ed.refresh_from_db()
    assert (ed.email, ed.version) == ("ed@acme.example", 1)


def test_an_organisation_is_added_to_the_event_with_a_level_and_an_owner(client, event, manager, colleague):
    other_event = factories.EventFactory(organiser=event.organiser)
    elsewhere = sponsor(other_event, factories.team_member(other_event, can_manage_sponsors=True), "Far Co")
    silver = level(event, manager, "Silver", deliverables=["Logo received", "Booth assigned"])

    response = _send(
        client,
        "POST",
        event,
        "/sponsorships",
        {"organisation": elsewhere.organisation_id, "level": silver.pk, "owner": colleague.email},
        user=manager,
    )
    again = _send(
        client, "POST", event, "/sponsorships", {"organisation": elsewhere.organisation_id}, user=manager
    )

    assert response.status_code == 201, response.content
    made = Sponsorship.objects.get(event=event)
    body = response.json()
    assert (body["id"], body["stage"], body["level"]["name"], body["owner"]["email"]) == (
        made.pk,
        "prospect",
        "Silver",
        colleague.email,
    )
    assert sorted(made.deliverables.values_list("name", flat=True)) == ["Booth assigned", "Logo received"]
    assert again.status_code == 400
    assert again.json()["detail"] == "“Far Co” is in this event's pipeline already."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"owner": "nobody@nowhere.example"}, "owner"),
        ({"level": 2**31 - 1}, "level"),
    ],
)
def test_adding_with_an_unknown_owner_or_level_is_refused(client, event, manager, body, field):
    other_event = factories.EventFactory(organiser=event.organiser)
    elsewhere = sponsor(other_event, factories.team_member(other_event, can_manage_sponsors=True), "Far Co")

    response = _send(
        client,
        "POST",
        event,
        "/sponsorships",
        {"organisation": elsewhere.organisation_id, **body},
        user=manager,
    )

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Sponsorship.objects.filter(event=event).exists()


def test_owner_amount_and_track_change_only_when_sent(client, event, manager, colleague, acme):
    web = event.tracks.get(name="Web")
    path = f"/sponsorships/{acme.pk}"

    first = _send(
        client,
        "PATCH",
        event,
        path,
        {"version": acme.version, "owner": colleague.email, "amount": "1250.50", "track": web.pk},
        user=manager,
    )
    second = _send(client, "PATCH", event, path, {"version": acme.version + 1, "amount": None}, user=manager)

    assert (first.status_code, second.status_code) == (200, 200), [first.content, second.content]
    assert first.json()["amount"] == "1250.50"
    acme.refresh_from_db()
    assert (acme.owner, acme.amount, acme.track) == (colleague, None, web)
    assert second.json()["amount"] is None
    assert second.json()["track"]["name"] == "Web"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"owner": "nobody@nowhere.example"}, 400, "owner"),
        ({"track": "theirs"}, 400, "track"),
        ({"amount": "-5"}, 422, None),
        ({"amount": 5}, 422, None),  # money is text, as the answers give it
        ({"amount": "12.345"}, 422, None),
    ],
)
def test_a_bad_sponsorship_edit_is_refused_and_nothing_changes(
    client, event, manager, acme, theirs, body, status, field
):
    if body.get("track") == "theirs":
        body = {"track": factories.TrackFactory(event=theirs["event"]).pk}

    response = _send(
        client, "PATCH", event, f"/sponsorships/{acme.pk}", {"version": acme.version, **body}, user=manager
    )

    assert response.status_code == status, response.content
    if field is not None:
        assert response.json()["field"] == field
    stored = Sponsorship.objects.get(pk=acme.pk)
    assert (stored.owner, stored.amount, stored.track, stored.version) == (manager, None, None, acme.version)


def test_a_stage_moves_as_the_pipeline_allows(client, event, manager, acme):
    moved = _send(
        client,
        "POST",
        event,
        f"/sponsorships/{acme.pk}/stage",
        {"stage": "paid", "version": acme.version},
        user=manager,
    )
    back_two = _send(
        client,
        "POST",
        event,
        f"/sponsorships/{acme.pk}/stage",
        {"stage": "committed", "version": acme.version + 1},
        user=manager,
    )

    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "paid"
    assert back_two.status_code == 400
    assert back_two.json() == {
        "detail": "From paid it can move to invoiced, declined; not to committed.",
        "field": "stage",
    }
    assert Sponsorship.objects.get(pk=acme.pk).stage == Stage.PAID


def test_a_level_is_set_and_its_checklist_follows(client, event, manager, acme, theirs):
    silver = level(event, manager, "Silver", deliverables=["Logo received", "Banner printed"])
    services.tick_deliverable(deliverable=acme.deliverables.get(name="Booth assigned"), done=True, by=manager)
    path = f"/sponsorships/{acme.pk}/level"

    response = _send(client, "PUT", event, path, {"level": silver.pk, "version": acme.version}, user=manager)
    refused = _send(
        client,
        "PUT",
        event,
        path,
        {"level": theirs["sponsorship"].level_id, "version": acme.version + 1},
        user=manager,
    )

    assert response.status_code == 200, response.content
    assert response.json()["level"]["name"] == "Silver"
    # A ticked item stays; an unticked one the new level lacks goes.
    assert sorted(acme.deliverables.values_list("name", flat=True)) == [
        "Banner printed",
        "Booth assigned",
        "Logo received",
    ]
    assert refused.status_code == 400
    assert refused.json()["field"] == "level"
    assert Sponsorship.objects.get(pk=acme.pk).level == silver


def test_the_checklist_is_read_ticked_and_given_due_days(client, event, manager, acme):
    item = acme.deliverables.get(name="Invoice sent")
    path = f"/sponsorships/{acme.pk}/deliverables"

    ticked = _send(client, "PUT", event, f"{path}/{item.pk}/done", {"done": True, "version": 1}, user=manager)
    due = _send(
        client, "PUT", event, f"{path}/{item.pk}/due", {"due": "2020-01-01", "version": 2}, user=manager
    )
    unticked = _send(
        client, "PUT", event, f"{path}/{item.pk}/done", {"done": False, "version": 3}, user=manager
    )
    listing = client.get(_url(event, path), **bearer(make_token(manager, event))).json()

    assert [r.status_code for r in (ticked, due, unticked)] == [200, 200, 200]
    assert ticked.json()["done_by"] == {"name": manager.name, "email": manager.email}
    assert ticked.json()["done_at"] is not None
    assert (due.json()["due"], due.json()["overdue"]) == ("2020-01-01", False)  # ticked: not overdue
    assert (unticked.json()["done_at"], unticked.json()["overdue"], unticked.json()["version"]) == (
        None,
        True,
        4,
    )
    assert [i["name"] for i in listing["items"]] == ["Logo received", "Invoice sent", "Booth assigned"]
    assert listing["items"][1] == unticked.json()


def test_a_next_step_is_marked_done_once(client, event, manager, acme):
    entry = services.log_interaction(
        sponsorship=acme, by=manager, data={"summary": "Called", "next_step": "Send the contract"}
    )
    plain = services.log_interaction(sponsorship=acme, by=manager, data={"summary": "Noted"})
    path = f"/sponsorships/{acme.pk}/interactions"

    done = _send(client, "POST", event, f"{path}/{entry.pk}/done", {"version": 1}, user=manager)
    twice = _send(client, "POST", event, f"{path}/{entry.pk}/done", {"version": 2}, user=manager)
    no_step = _send(client, "POST", event, f"{path}/{plain.pk}/done", {"version": 1}, user=manager)

    assert done.status_code == 200, done.content
    assert done.json()["done_at"] is not None
    assert (twice.status_code, twice.json()["detail"]) == (409, "This next step is done already.")
    assert (no_step.status_code, no_step.json()["detail"]) == (400, "This entry has no next step.")


def test_a_checklist_reads_in_a_constant_number_of_queries(client, event, manager, acme):
    client.defaults.update(bearer(make_token(manager, event)))
    url = _url(event, f"/sponsorships/{acme.pk}/deliverables")
    client.get(url)  # the token's first use writes its last-used time once
    gold = acme.level
    names = list(gold.deliverables)

    def grow(n):
        start = len(names)
        names.extend(f"Item {start + i}" for i in range(n))
        services.save_level(event=event, by=manager, data={"deliverables": names}, level=gold)
        for item in acme.deliverables.filter(done_at__isnull=True):
            services.tick_deliverable(deliverable=item, done=True, by=manager)

    assert_constant_queries(client, url, grow)


def test_levels_are_read_made_edited_and_deleted(client, event, manager, acme):
    made = _send(
        client,
        "POST",
        event,
        "/levels",
        {"name": "Bronze", "price": "1500.50", "position": 3, "deliverables": ["Logo received"]},
        user=manager,
    )
    assert made.status_code == 201, made.content
    bronze = SponsorLevel.objects.get(pk=made.json()["id"])
    assert (str(bronze.price), bronze.position, bronze.deliverables) == ("1500.50", 3, ["Logo received"])

    edited = _send(
        client,
        "PATCH",
        event,
        f"/levels/{bronze.pk}",
        {"version": bronze.version, "booth": True, "logo_size": "large"},
        user=manager,
    )
    assert edited.status_code == 200, edited.content
    assert (edited.json()["booth"], edited.json()["logo_size"], edited.json()["name"]) == (
        True,
        "large",
        "Bronze",
    )

    taken = _send(
        client, "PATCH", event, f"/levels/{bronze.pk}", {"version": 2, "name": "gold"}, user=manager
    )
    assert (taken.status_code, taken.json()["field"]) == (400, "name")
    listed = client.get(_url(event, "/levels"), **bearer(make_token(manager, event)))
    assert [row["name"] for row in listed.json()["items"]] == ["Gold", "Bronze"]

    in_use = _send(client, "DELETE", event, f"/levels/{acme.level_id}", None, user=manager)
    assert in_use.status_code == 400
    assert SponsorLevel.objects.filter(pk=acme.level_id).exists()
    gone = _send(client, "DELETE", event, f"/levels/{bronze.pk}", None, user=manager)
    assert gone.status_code == 204
    assert not SponsorLevel.objects.filter(pk=bronze.pk).exists()


def test_an_organisation_is_deleted_with_its_place_in_the_pipeline(client, event, manager, acme):
    organisation = acme.organisation

    response = _send(client, "DELETE", event, f"/organisations/{organisation.pk}", None, user=manager)

    assert response.status_code == 204, response.content
    assert not Sponsorship.objects.filter(pk=acme.pk).exists()
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


def test_a_next_step_is_given_to_another_of_the_team_or_to_nobody(client, event, manager, colleague, acme):
    entry = services.log_interaction(
        sponsorship=acme, by=manager, data={"summary": "Called", "next_step": "Send the contract"}
    )
    path = f"/sponsorships/{acme.pk}/interactions/{entry.pk}/assignee"
    outsider = factories.team_member(event, can_schedule=True)

    given = _send(
        client, "POST", event, path, {"assigned_to": colleague.email.upper(), "version": 1}, user=manager
    )
    refused = _send(client, "POST", event, path, {"assigned_to": outsider.email, "version": 2}, user=manager)
    nobody = _send(client, "POST", event, path, {"assigned_to": None, "version": 2}, user=manager)

    assert given.status_code == 200, given.content
    assert given.json()["assigned_to"]["email"] == colleague.email
    assert (refused.status_code, refused.json()["field"]) == (400, "assigned_to")
    assert nobody.status_code == 200, nobody.content
    assert nobody.json()["assigned_to"] is None
