"""The organisers' orders: the list (search, filter, sort, query count), one order with its actions
(confirm step, stale action refused), tickets issued by hand and the attendee import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.registration import services
from podium.registration.enums import OrderOrigin, OrderState
from podium.registration.models import Order
from tests import factories
from tests.querycount import assert_constant_queries
from tests.registration import shop

pytestmark = pytest.mark.django_db


def url(name, event, **kwargs) -> str:
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.fixture
def organiser(client, event):
    user = factories.team_member(event, name="Organisers", can_edit_event=True)
    client.force_login(user)
    return user


@pytest.fixture
def standard(event):
    shop.open_registration(event)
    return shop.ticket_type(event, "Standard", price="100.00", quota=100)


@pytest.fixture
def pending(event, standard):
    buyer = factories.UserFactory(name="Siobhán O'Brien", email="siobhan@example.org")
    return shop.buy(event, buyer, standard, 2)


def test_who_reaches_the_orders(client, event, pending):
    pages = [
        url("orders", event),
        url("order", event, code=pending.code),
        url("order_mark_paid", event, code=pending.code),
        url("tickets_issue", event),
        url("attendees_import", event),
    ]

    anonymous = [client.get(page).status_code for page in pages]
    client.force_login(factories.team_member(event, can_check_in=True, can_review=True))
    check_in = [client.get(page).status_code for page in pages]
    client.force_login(factories.team_member(factories.EventFactory(), can_edit_event=True))
    other_team = [client.get(page).status_code for page in pages]
    client.force_login(factories.team_member(event, can_edit_event=True))
    editor = [client.get(page).status_code for page in pages]

    assert anonymous == [302] * 5
    assert check_in == [403] * 5
    assert other_team == [403] * 5
    assert editor == [200] * 5


def test_another_events_order_is_404(client, event, organiser):
    other = factories.EventFactory()
    shop.open_registration(other)
    theirs = shop.buy(other, factories.UserFactory(), shop.ticket_type(other, "Theirs"))

    assert client.get(url("order", event, code=theirs.code)).status_code == 404
    assert client.post(url("order_mark_paid", event, code=theirs.code), {"version": 1}).status_code == 404
    assert Order.objects.get(pk=theirs.pk).state == OrderState.PENDING


def test_the_list_searches_filters_and_sorts(client, event, organiser, standard, pending):
    paid = services.mark_paid(
        order=shop.buy(event, factories.UserFactory(email="zed@example.org"), standard), by=None
    )

    everything = client.get(url("orders", event)).content.decode()
    by_attendee = client.get(url("orders", event) + "?q=attendee2").content.decode()
    only_paid = client.get(url("orders", event) + "?state=paid").content.decode()
    by_total = client.get(url("orders", event) + "?sort=total").content.decode()

    assert pending.code in everything
    assert paid.code in everything
    assert "Siobhán O&#x27;Brien" in everything
    assert "Pending payment: 1 · Paid: 1" in everything
    assert pending.code in by_attendee
    assert paid.code not in by_attendee
    assert paid.code in only_paid
    assert pending.code not in only_paid
    assert by_total.index(paid.code) < by_total.index(pending.code)


def test_the_order_list_query_count_does_not_grow_with_orders(client, event, organiser, standard):
    def grow(count):
        for _ in range(count):
            shop.buy(event, factories.UserFactory(), standard, 2)

    assert_constant_queries(client, url("orders", event), grow)


def test_the_order_page_shows_tickets_answers_and_the_actions_of_its_state(
    client, event, organiser, standard
):
    question = shop.question(event, 'Q&A "panic"')
    order = services.place_order(
        event=event,
        buyer=factories.UserFactory(),
        items=[(standard, "Siobhán O'Brien", "siobhan@example.org", {question: "<b>yes</b>"})],
        email="buyer@example.org",
    )

    page = client.get(url("order", event, code=order.code)).content.decode()

    assert '<th scope="row">Siobhán O&#x27;Brien</th>' in page
    assert "<strong>Q&amp;A &quot;panic&quot;:</strong> &lt;b&gt;yes&lt;/b&gt;" in page
    assert "Mark paid</a>" in page
    assert "Cancel order</a>" in page
    assert "Refund order</a>" not in page


def test_marking_paid_goes_through_a_confirm_step(client, event, organiser, pending):
    confirm = client.get(url("order_mark_paid", event, code=pending.code))
    response = client.post(url("order_mark_paid", event, code=pending.code), {"version": pending.version})

    pending.refresh_from_db()
    assert confirm.status_code == 200
    assert "Mark paid only when the money has arrived" in confirm.content.decode()
    assert response["Location"] == url("order", event, code=pending.code)
    assert pending.state == OrderState.PAID
    page = client.get(response["Location"]).content.decode()
    assert "was marked paid" in page
    assert "Refund order</a>" in page


def test_a_stale_action_is_refused(client, event, organiser, pending):
    ticket = pending.tickets.first()
    services.change_attendee(ticket=ticket, name="Changed Meanwhile", email="c@example.org", by=organiser)

    response = client.post(
        url("order_mark_paid", event, code=pending.code), {"version": pending.version}, follow=True
    )

    assert "changed while you were looking at it" in response.content.decode()
    assert Order.objects.get(pk=pending.pk).state == OrderState.PENDING


def test_cancelling_and_refunding(client, event, organiser, standard, pending):
    paid = services.mark_paid(order=shop.buy(event, factories.UserFactory(), standard), by=None)

    client.post(url("order_cancel", event, code=pending.code), {"version": pending.version})
    client.post(url("order_refund", event, code=paid.code), {"version": paid.version})
    again = client.post(
        url("order_cancel", event, code=pending.code), {"version": pending.version + 1}, follow=True
    )

    assert Order.objects.get(pk=pending.pk).state == OrderState.CANCELLED
    assert Order.objects.get(pk=paid.pk).state == OrderState.REFUNDED
    assert "This order is cancelled already." in again.content.decode()
    standard.refresh_from_db()
    assert standard.seats_taken == 0
    shop.assert_seats_add_up(event)


def test_a_refund_of_a_pending_order_is_not_offered(client, event, organiser, pending):
    page = client.get(url("order_refund", event, code=pending.code)).content.decode()

    assert "it cannot be refunded" in page
    assert "<button" not in page.split("<main")[1].split("</main>")[0]


def test_issuing_tickets_by_hand(client, event, organiser, standard):
    response = client.post(
        url("tickets_issue", event),
        {
            "ticket_type": standard.pk,
            "people": "Siobhán O'Brien, siobhan@example.org\n\nAda Lovelace <ada@example.org>",
            "send_mail": "",
        },
    )

    issued = Order.objects.order_by("pk")
    assert response.status_code == 302
    assert [(o.origin, o.state, o.total) for o in issued] == [(OrderOrigin.ISSUED, OrderState.PAID, 0)] * 2
    assert [o.tickets.get().attendee_name for o in issued] == ["Siobhán O'Brien", "Ada Lovelace"]


def test_a_wrong_line_of_people_is_refused_and_kept(client, event, organiser, standard):
    response = client.post(
        url("tickets_issue", event),
        {"ticket_type": standard.pk, "people": "Ada Lovelace\nBob, bob@example.org"},
    )

    page = response.content.decode()
    assert "Line 1: write the name, then the e-mail address" in page
    assert "Bob, bob@example.org</textarea>" in page
    assert Order.objects.count() == 0


def test_issuing_more_than_the_seats_left_is_refused(client, event, organiser):
    shop.open_registration(event)
    small = shop.ticket_type(event, "Small", quota=1)

    response = client.post(
        url("tickets_issue", event), {"ticket_type": small.pk, "people": "A, a@example.org\nB, b@example.org"}
    )

    assert "Only 1 “Small” ticket left; you asked for 2." in response.content.decode()
    assert Order.objects.count() == 0


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("attendees.csv", text.encode(), content_type="text/csv")


def test_importing_an_attendee_list(client, event, organiser, standard):
    shop.question(event, "Diet")

    response = client.post(
        url("attendees_import", event),
        {
            "file": _upload(
                "name,email,ticket type,Diet\nSiobhán O'Brien,siobhan@example.org,Standard,vegan\n"
            )
        },
    )

    assert response.status_code == 302
    ticket = Order.objects.get().tickets.get()
    assert (ticket.attendee_name, ticket.answers.get().value) == ("Siobhán O'Brien", "vegan")


def test_an_attendee_list_with_a_wrong_row_imports_nothing_and_names_the_rows(
    client, event, organiser, standard
):
    response = client.post(
        url("attendees_import", event),
        {
            "file": _upload(
                "name,email,ticket type\nAda,ada@example.org,Standard\nBob,not-an-address,Standard\n,x@example.org,Nope\n"
            )
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "The file has 2 problems; nothing was imported." in page
    assert "Row 3: “not-an-address” is not an e-mail address." in page
    assert "Row 4: there is no ticket type “Nope”." in page
    assert Order.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused(client, event, organiser, standard):
    upload = SimpleUploadedFile(
        "attendees.csv", "name,email,ticket type\nRenée,r@example.org,Standard\n".encode("latin-1")
    )

    response = client.post(url("attendees_import", event), {"file": upload})

    assert "The file is not UTF-8 text" in response.content.decode()
    assert Order.objects.count() == 0
