"""The new, edit and delete pages every list of an event's objects shares (objects.py): one pattern for
rooms, tracks and session types and for ticket types, questions and vouchers."""

import pytest
from django.urls import reverse

from podium.events.models import Room
from podium.orga.views import registration_setup, setup
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db

KINDS = [
    *[k.key for k in (setup.ROOM, setup.TRACK, setup.SESSION_TYPE)],
    "ticket_type",
    "question",
    "voucher",
]


@pytest.fixture
def objects(event):
    """One object of each kind in the event."""
    shop.open_registration(event)
    return {
        "room": Room.objects.create(event=event, name="Hall “A”", capacity=80),
        "track": factories.TrackFactory(event=event, name="Data & AI"),
        "session_type": event.session_types.first(),
        "ticket_type": shop.ticket_type(event, "Standard", price="10.00", quota=5),
        "question": shop.question(event, "Diet"),
        "voucher": shop.voucher(event, "FRIENDS-2027"),
    }


def _urls(event, kind, obj) -> list[tuple[str, str]]:
    return [
        ("get", reverse(f"orga:{kind}_new", kwargs={"event": event.slug})),
        ("get", reverse(f"orga:{kind}_edit", kwargs={"event": event.slug, "pk": obj.pk})),
        ("post", reverse(f"orga:{kind}_delete", kwargs={"event": event.slug, "pk": obj.pk})),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_needs_the_event_editing_permission(client, event, objects, kind):
    client.force_login(factories.team_member(event, name="Reviewers", can_review=True))

    for method, address in _urls(event, kind, objects[kind]):
        assert getattr(client, method)(address).status_code in {403, 404}, address
    assert type(objects[kind]).objects.filter(pk=objects[kind].pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_the_edit_page_names_the_object_as_its_list_does(client, event, objects, kind):
    client.force_login(factories.team_member(event, name="Editors", can_edit_event=True))
    obj = objects[kind]
    label = getattr(obj, {"question": "label", "voucher": "code"}.get(kind, "name"))

    page = client.get(reverse(f"orga:{kind}_edit", kwargs={"event": event.slug, "pk": obj.pk}))

    html = page.content.decode()
    assert page.status_code == 200
    escaped = label.replace("&", "&amp;")
    assert f"“{escaped}”</h1>" in html
    assert f"<title>{escaped}" in html


def test_a_get_cannot_delete(client, event, objects):
    client.force_login(factories.team_member(event, name="Editors", can_edit_event=True))

    for kind in KINDS:
        address = reverse(f"orga:{kind}_delete", kwargs={"event": event.slug, "pk": objects[kind].pk})
        assert client.get(address).status_code == 405
    assert registration_setup.VOUCHER.objects(event).count() == 1
