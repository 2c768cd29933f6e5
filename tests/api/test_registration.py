"""Registration and check-in through API tokens: reads for organisers' tokens, the check-in device
scope (attendee list and check-ins only), checking in and marking paid, each within the user's flags."""

import pytest

from podium.checkin.models import CheckIn
from podium.registration.models import Order
from podium.registration.tickets import read_token, token_for
from tests import factories
from tests.api.conftest import bearer, make_token
from tests.checkin.conftest import sell
from tests.querycount import queries_for
from tests.registration import shop

pytestmark = pytest.mark.django_db

ORGA = "/api/v1/orga/events/{}"


def _url(event, path=""):
    return ORGA.format(event.slug) + path


@pytest.fixture
def full(event):
    shop.open_registration(event)
    return shop.ticket_type(event, "Full conference", price="250.00", quota=100)


@pytest.fixture
def organiser(event):
    return factories.team_member(event, name="Organisers", can_edit_event=True, can_check_in=True)


@pytest.fixture
def door(event):
    return factories.team_member(event, name="Door", can_check_in=True)


@pytest.fixture
def order(event, full, organiser):
    return sell(event, full, factories.UserFactory(), organiser, "Siobhán O'Brien", "Zoë Ångström")


def test_ticket_types_orders_attendees_and_check_ins_for_an_organisers_token(client, event, organiser, order):
    first, second = order.tickets.order_by("pk")
    headers = bearer(make_token(organiser, event))
    client.post(
        _url(event, "/checkins"),
        {"code": token_for(first), "desk": "Desk 1"},
        content_type="application/json",
        **bearer(make_token(organiser, event, scope="write")),
    )

    types = client.get(_url(event, "/ticket-types"), **headers).json()
    orders = client.get(_url(event, "/orders"), **headers).json()
    attendees = client.get(_url(event, "/attendees"), **headers).json()
    check_ins = client.get(_url(event, "/checkins"), **headers).json()

    assert [(t["name"], t["quota"], t["seats_taken"]) for t in types["items"]] == [
        ("Full conference", 100, 2)
    ]
    assert orders["count"] == 1
    [listed] = orders["items"]
    assert (listed["code"], listed["state"]) == (order.code, "paid")
    assert [(t["attendee_name"], t["check_in"] and t["check_in"]["desk"]) for t in listed["tickets"]] == [
        ("Siobhán O'Brien", "Desk 1"),
        ("Zoë Ångström", None),
    ]
    assert [(a["name"], a["order"], a["state"], a["desk"]) for a in attendees["items"]] == [
        ("Siobhán O'Brien", order.code, "paid", "Desk 1"),
        ("Zoë Ångström", order.code, "paid", None),
    ]
    assert read_token(event, attendees["items"][1]["token"]) == second
    assert [(c["ticket"], c["attendee_name"], c["desk"]) for c in check_ins["items"]] == [
        (first.pk, "Siobhán O'Brien", "Desk 1")
    ]


def test_a_check_in_device_token_reads_the_attendees_and_checks_in_nothing_else(client, event, door, order):
    headers = bearer(make_token(door, event, scope="checkin"))
    ticket = order.tickets.first()

    attendees = client.get(_url(event, "/attendees"), **headers)
    first = client.post(
        _url(event, "/checkins"),
        {"code": token_for(ticket), "desk": "Gate"},
        content_type="application/json",
        **headers,
    )
    again = client.post(
        _url(event, "/checkins"),
        {"code": token_for(ticket), "desk": "Gate 2"},
        content_type="application/json",
        **headers,
    )
    refused = [
        client.get(_url(event, path), **headers).status_code
        for path in ("/ticket-types", "/orders", "/checkins", "/proposals", "/slots")
    ]
    paid = client.post(_url(event, f"/orders/{order.code}/paid"), **headers)

    assert attendees.status_code == 200
    assert (first.status_code, first.json()["kind"], first.json()["desk"]) == (200, "ok", "Gate")
    assert (again.json()["kind"], again.json()["desk"]) == ("already", "Gate")
    assert again.json()["message"].endswith(" at Gate")
    assert refused == [403] * 5
    assert paid.status_code == 403
    assert CheckIn.objects.count() == 1


def test_check_in_answers_for_refused_codes_and_needs_the_flag(client, event, order, full, organiser):
    reviewer = factories.team_member(event, name="Reviewers", can_review=True)
    pending = sell(event, full, factories.UserFactory(), organiser, "Pending", paid=False).tickets.get()
    writer = bearer(make_token(organiser, event, scope="write"))
    reader = bearer(make_token(organiser, event))

    forged = client.post(
        _url(event, "/checkins"),
        {"code": token_for(pending) + "x"},
        content_type="application/json",
        **writer,
    )
    unpaid = client.post(
        _url(event, "/checkins"),
        {"code": pending.order.code, "ticket": pending.pk},
        content_type="application/json",
        **writer,
    )
    read_only = client.post(
        _url(event, "/checkins"), {"code": token_for(pending)}, content_type="application/json", **reader
    )
    no_flag = client.post(
        _url(event, "/checkins"),
        {"code": token_for(order.tickets.first())},
        content_type="application/json",
        **bearer(make_token(reviewer, event, scope="checkin")),
    )
    no_flag_list = client.get(
        _url(event, "/attendees"), **bearer(make_token(reviewer, event, scope="checkin"))
    )

    assert (forged.status_code, forged.json()["kind"]) == (200, "forged")
    assert (unpaid.json()["kind"], unpaid.json()["message"]) == (
        "unpaid",
        "Not paid (the order is still pending)",
    )
    assert read_only.status_code == 403
    assert (no_flag.status_code, no_flag_list.status_code) == (403, 403)
    assert CheckIn.objects.count() == 0


def test_a_team_of_another_event_gets_nothing(client, event, order):
    other = factories.EventFactory(organiser=event.organiser)
    elsewhere = factories.team_member(
        event, name="Elsewhere", can_check_in=True, can_edit_event=True, events=[other]
    )
    headers = bearer(make_token(elsewhere, other, scope="write"))

    answers = [
        client.get(_url(event, "/attendees"), **headers).status_code,
        client.post(
            _url(event, "/checkins"),
            {"code": token_for(order.tickets.first())},
            content_type="application/json",
            **headers,
        ).status_code,
        client.post(_url(event, f"/orders/{order.code}/paid"), **headers).status_code,
    ]

    assert answers == [404, 404, 404]


def test_a_check_in_with_an_idempotency_key_is_replayed(client, event, organiser, order):
    headers = {**bearer(make_token(organiser, event, scope="write")), "HTTP_IDEMPOTENCY_KEY": "scan-1"}
    body = {"code": token_for(order.tickets.first()), "desk": "Desk 1"}

    first = client.post(_url(event, "/checkins"), body, content_type="application/json", **headers)
    replay = client.post(_url(event, "/checkins"), body, content_type="application/json", **headers)

    assert first.json() == replay.json()
    assert first.json()["kind"] == "ok"
    assert replay["Idempotent-Replayed"] == "true"


def test_mark_paid_needs_a_write_token_of_an_organiser(client, event, full, organiser, door):
    pending = sell(event, full, factories.UserFactory(), organiser, "Pending Pat", paid=False)
    url = _url(event, f"/orders/{pending.code.lower()}/paid")

    by_reader = client.post(url, **bearer(make_token(organiser, event)))
    by_door = client.post(url, **bearer(make_token(door, event, scope="write")))
    paid = client.post(url, **bearer(make_token(organiser, event, scope="write")))
    twice = client.post(url, **bearer(make_token(organiser, event, scope="write")))
    unknown = client.post(
        _url(event, "/orders/NOSUCH99/paid"), **bearer(make_token(organiser, event, scope="write"))
    )

    assert (by_reader.status_code, by_door.status_code) == (403, 403)
    assert (paid.status_code, paid.json()["state"]) == (200, "paid")
    assert paid.json()["tickets"][0]["attendee_name"] == "Pending Pat"
    assert twice.status_code == 400
    assert unknown.status_code == 404
    assert Order.objects.get(pk=pending.pk).state == "paid"


@pytest.mark.parametrize("path", ["/attendees", "/orders", "/checkins"])
def test_lists_take_the_same_queries_for_more_rows(client, event, full, organiser, path):
    client.defaults.update(bearer(make_token(organiser, event, scope="write")))
    buyer = factories.UserFactory()

    def grow(count):
        for n in range(count):
            order = sell(event, full, buyer, organiser, f"Guest {n}", f"Friend {n}")
            client.post(
                _url(event, "/checkins"),
                {"code": token_for(order.tickets.first())},
                content_type="application/json",
            )

    grow(3)
    client.get(_url(event, path))  # the token's first use notes the time once
    before = queries_for(client, _url(event, path))
    grow(12)
    after = queries_for(client, _url(event, path))

    assert after == before


def test_order_codes_answer_alike_whether_or_not_they_exist_to_callers_without_the_flag(
    client, event, full, organiser, door
):
    """Marking paid needs `can_edit_event` and checking in `can_check_in`: a caller without the flag
    gets the same answer for a real order code as for one that does not exist, so the API tells
    nobody which codes exist."""
    pending = sell(event, full, factories.UserFactory(), organiser, "Pending Pat", paid=False)
    ticket = pending.tickets.get()
    editor = factories.team_member(event, name="Editors", can_edit_event=True)

    def answers(code, ticket_id, *, paying, checking):
        paid = client.post(
            _url(event, f"/orders/{code}/paid"), **bearer(make_token(paying, event, scope="write"))
        )
        scan = client.post(
            _url(event, "/checkins"),
            {"code": code, "ticket": ticket_id},
            content_type="application/json",
            **bearer(make_token(checking, event, scope="write")),
        )
        return [(paid.status_code, paid.json()), (scan.status_code, scan.json())]

    real = answers(pending.code, ticket.pk, paying=door, checking=editor)
    made_up = answers("NOSUCH99", ticket.pk + 1000, paying=door, checking=editor)

    assert real == made_up
    assert [status for status, _body in real] == [403, 403]
    assert Order.objects.get(pk=pending.pk).state == "pending"
    assert not CheckIn.objects.exists()
