"""Endpoints and the outbox: what the domain services emit, in their transaction."""

import json
import socket

import pytest
from django.db import transaction

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.proposals import services as proposal_services
from podium.schedule import services as schedule_services
from podium.schedule.models import Slot
from podium.webhooks import services
from podium.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests import factories, program

pytestmark = pytest.mark.django_db

PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def public_dns(monkeypatch):
    """Every host resolves to one public address (the tests run without a network)."""

    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host.replace(".", "").isdigit() or ":" in host:
            return real(host, port, *args, **kwargs)  # an address literal is itself
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _data(row: WebhookDelivery) -> dict:
    return json.loads(row.body)["data"]


def _kinds(event) -> list[str]:
    return list(
        WebhookDelivery.objects.filter(event=event).order_by("created", "kind").values_list("kind", flat=True)
    )


def test_emit_writes_one_delivery_per_subscribed_active_endpoint(event, endpoint):
    other = factories.EventFactory()
    WebhookEndpoint.objects.create(event=event, url="http://b.example/", kinds=["slot.changed"])
    WebhookEndpoint.objects.create(
        event=event, url="http://c.example/", kinds=["release.published"], is_active=False
    )
    WebhookEndpoint.objects.create(event=other, url="http://d.example/", kinds=["release.published"])

    rows = services.emit(event=event, kind="release.published", payload={"version": 3})

    assert [row.endpoint for row in rows] == [endpoint]
    document = json.loads(rows[0].body)
    assert set(document) == {"id", "kind", "event", "created", "data"}
    assert (document["id"], document["event"], document["data"]) == (
        str(rows[0].pk),
        event.slug,
        {"version": 3},
    )
    assert rows[0].status == DeliveryStatus.QUEUED


def test_emit_refuses_an_unknown_kind(event):
    with pytest.raises(ValueError, match="unknown webhook kind"):
        services.emit(event=event, kind="proposal.eaten", payload={})


def test_rolled_back_change_leaves_no_delivery(event, endpoint, scheduler):
    proposal = program.talk(event, "Rolled back")

    written = []

    def change_then_fail():
        with transaction.atomic():
            program.place(event, proposal, "Hall A", program.at(event, 10), scheduler)
            written.extend(_kinds(event))  # the delivery exists inside the transaction
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        change_then_fail()

    assert written == ["slot.changed"]

    assert not WebhookDelivery.objects.exists()
    assert not Slot.objects.filter(proposal=proposal).exists()


def test_place_and_unschedule_emit_slot_changed_with_the_draft_place(event, endpoint, scheduler):
    proposal = program.talk(event, "Moving talk")
    hall = event.rooms.get(name="Hall A")

    slot = program.place(event, proposal, "Hall A", program.at(event, 10), scheduler)
    schedule_services.unschedule_session(event=event, proposal=proposal, version=slot.version, by=scheduler)

    placed, unscheduled = WebhookDelivery.objects.order_by("created", "pk")
    assert _data(placed) == {
        "code": proposal.code,
        "room": {"uuid": str(hall.uuid), "name": "Hall A"},
        "start": slot.start.isoformat().replace("+00:00", "Z"),
        "end": slot.end.isoformat().replace("+00:00", "Z"),
        "draft": True,
    }
    assert _data(unscheduled) == {
        "code": proposal.code,
        "room": None,
        "start": None,
        "end": None,
        "draft": True,
    }


def test_state_change_emits_old_and_new_state_without_speaker_identity(event, endpoint):
    speaker = factories.UserFactory(name="Secret Speakername", email="secret@speaker.example")
    proposal = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")

    proposal_services.set_state_as_organiser(proposal=proposal, to_state="cancelled", by=None)

    row = WebhookDelivery.objects.get()
    assert row.kind == "proposal.state_changed"
    assert _data(row) == {"code": proposal.code, "old_state": "accepted", "new_state": "cancelled"}
    assert "Secret" not in row.body
    assert "secret@" not in row.body


def test_confirm_emits_state_changed_and_speaker_confirmed(event, endpoint):
    speaker = factories.UserFactory()
    proposal = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")

    proposal_services.confirm_proposal(proposal=proposal, by=speaker)

    rows = {row.kind: _data(row) for row in WebhookDelivery.objects.all()}
    assert rows == {
        "proposal.state_changed": {"code": proposal.code, "old_state": "accepted", "new_state": "confirmed"},
        "speaker.confirmed": {"code": proposal.code},
    }


def test_refused_state_change_emits_nothing(event, endpoint):
    proposal = factories.ProposalFactory(event=event, speakers=[factories.UserFactory()], state="submitted")

    with pytest.raises(ServiceError):
        proposal_services.set_state_as_organiser(proposal=proposal, to_state="confirmed", by=None)

    assert not WebhookDelivery.objects.exists()


def test_register_endpoint_makes_a_secret_and_keeps_only_known_kinds(event, public_dns, organiser_user):
    endpoint = services.register_endpoint(
        event=event,
        by=organiser_user,
        url=" https://hooks.example/in ",
        kinds=["slot.changed", "release.published"],
    )

    assert endpoint.url == "https://hooks.example/in"
    assert endpoint.kinds == ["release.published", "slot.changed"]
    assert len(endpoint.secret) >= 40
    assert AuditEntry.objects.filter(action="webhook.registered", event_id=event.pk).exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example/", "starts with https:// or http://"),
        ("https:///nohost", "needs a host name"),
        ("https://user:pw@hooks.example/", "no user name or password"),
        ("http://127.0.0.1:8000/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.1.2.3/", "private"),
    ],
)
def test_register_endpoint_refuses_a_bad_or_private_url(event, url, message):
    with pytest.raises(ServiceError, match=message) as caught:
        services.register_endpoint(event=event, by=None, url=url, kinds=["slot.changed"])

    assert caught.value.field == "url"
    assert not WebhookEndpoint.objects.exists()


def test_register_endpoint_refuses_a_host_that_does_not_resolve(event, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)

    with pytest.raises(ServiceError, match="could not be found"):
        services.register_endpoint(
            event=event, by=None, url="https://nowhere.example/", kinds=["slot.changed"]
        )


def test_register_endpoint_needs_a_kind(event, public_dns):
    with pytest.raises(ServiceError, match="at least one kind") as caught:
        services.register_endpoint(event=event, by=None, url="https://hooks.example/", kinds=[])
    assert caught.value.field == "kinds"


def test_update_endpoint_with_a_stale_version_is_refused(event, public_dns):
    endpoint = services.register_endpoint(
        event=event, by=None, url="https://a.example/", kinds=["slot.changed"]
    )
    services.update_endpoint(
        event=event,
        endpoint=endpoint,
        by=None,
        url="https://b.example/",
        kinds=["slot.changed"],
        is_active=True,
        version=1,
    )

    with pytest.raises(StaleEdit):
        services.update_endpoint(
            event=event,
            endpoint=endpoint,
            by=None,
            url="https://c.example/",
            kinds=["slot.changed"],
            is_active=True,
            version=1,
        )

    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.version) == ("https://b.example/", 2)


def test_update_endpoint_with_a_private_url_keeps_the_stored_one(event, public_dns, settings):
    endpoint = services.register_endpoint(
        event=event, by=None, url="https://a.example/", kinds=["slot.changed"]
    )

    with pytest.raises(ServiceError, match="loopback"):
        services.update_endpoint(
            event=event,
            endpoint=endpoint,
            by=None,
            url="http://127.0.0.1/",
            kinds=["slot.changed"],
            is_active=True,
        )

    endpoint.refresh_from_db()
    assert endpoint.url == "https://a.example/"


def test_rotate_secret_replaces_it_and_later_deliveries_use_the_new_one(event, endpoint):
    old = endpoint.secret

    rotated = services.rotate_secret(event=event, endpoint=endpoint, by=None)

    assert rotated.secret != old
    assert len(rotated.secret) >= 40
    assert not AuditEntry.objects.filter(data__icontains=rotated.secret).exists()


def test_endpoint_of_another_event_cannot_be_changed(event, endpoint):
    other = factories.EventFactory()

    with pytest.raises(ServiceError, match="deleted meanwhile"):
        services.delete_endpoint(event=other, endpoint=endpoint, by=None)

    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_delete_endpoint_drops_its_deliveries(event, endpoint):
    services.send_ping(event=event, endpoint=endpoint, by=None)

    services.delete_endpoint(event=event, endpoint=endpoint, by=None)

    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


# --- Who may manage endpoints: those who may edit the event, as on the webhook pages -----------------


def _outsiders(event) -> dict:
    """Users whom the webhook pages turn away: a reviewer and a scheduler of the event, an editor of
    another organiser's event."""
    return {
        "reviewer": factories.team_member(event, can_review=True),
        "scheduler": factories.team_member(event, can_schedule=True),
        "editor elsewhere": factories.team_member(factories.EventFactory(), can_edit_event=True),
    }


def test_register_endpoint_refuses_whoever_may_not_edit_the_event(event, public_dns):
    for who, user in _outsiders(event).items():
        with pytest.raises(NotAllowed, match="may not change the set-up of this event"):
            services.register_endpoint(
                event=event, by=user, url="https://hooks.example/", kinds=["slot.changed"]
            )
        assert not WebhookEndpoint.objects.exists(), who


@pytest.mark.parametrize("change", ["update", "rotate", "delete", "ping"])
def test_endpoint_changes_refuse_whoever_may_not_edit_the_event(event, endpoint, change):
    before = WebhookEndpoint.objects.values().get(pk=endpoint.pk)
    calls = {
        "update": lambda by: services.update_endpoint(
            event=event,
            endpoint=endpoint,
            by=by,
            url="https://elsewhere.example/",
            kinds=["slot.changed"],
            is_active=False,
        ),
        "rotate": lambda by: services.rotate_secret(event=event, endpoint=endpoint, by=by),
        "delete": lambda by: services.delete_endpoint(event=event, endpoint=endpoint, by=by),
        "ping": lambda by: services.send_ping(event=event, endpoint=endpoint, by=by),
    }

    for who, user in _outsiders(event).items():
        with pytest.raises(NotAllowed, match="may not change the set-up of this event"):
            calls[change](user)
        assert WebhookEndpoint.objects.values().get(pk=endpoint.pk) == before, who
    assert not WebhookDelivery.objects.exists()
    assert (
        not AuditEntry.objects.filter(action__startswith="webhook.")
        .exclude(action="webhook.registered")
        .exists()
    )


@pytest.mark.parametrize("change", ["update", "rotate", "ping", "delete"])
def test_endpoint_changes_allowed_to_an_event_editor(event, endpoint, change):
    editor = factories.team_member(event, can_edit_event=True)
    calls = {
        "update": lambda: services.update_endpoint(
            event=event,
            endpoint=endpoint,
            by=editor,
            url=endpoint.url,
            kinds=["slot.changed"],
            is_active=True,
        ),
        "rotate": lambda: services.rotate_secret(event=event, endpoint=endpoint, by=editor),
        "ping": lambda: services.send_ping(event=event, endpoint=endpoint, by=editor),
        "delete": lambda: services.delete_endpoint(event=event, endpoint=endpoint, by=editor),
    }

    calls[change]()

    assert AuditEntry.objects.filter(actor=editor).count() == (0 if change == "ping" else 1)
