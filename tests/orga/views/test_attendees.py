"""The attendee list and its CSV: who sees them, what is in them, formula cells defused."""

import csv
import io

import pytest
from django.urls import reverse

from podium.registration import services
from tests import factories
from tests.querycount import assert_constant_queries
from tests.registration import shop

pytestmark = pytest.mark.django_db


def url(name, event) -> str:
    return reverse(f"orga:{name}", kwargs={"event": event.slug})


@pytest.fixture
def standard(event):
    shop.open_registration(event)
    return shop.ticket_type(event, "Standard", price="100.00", quota=100)


@pytest.fixture
def diet(event):
    return shop.question(event, 'Q&A "panic"')


def _paid(event, ticket_type, name, company="", answers=None, email=None):
    order = services.place_order(
        event=event,
        buyer=factories.UserFactory(),
        items=[
            services.OrderItem(
                ticket_type,
                name,
                email or f"{name.split()[0].lower()}@example.org",
                answers or {},
                attendee_company=company,
            )
        ],
        email="buyer@example.org",
    )
    return services.mark_paid(order=order, by=None)


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ({"can_check_in": True}, 200),
        ({"can_edit_event": True}, 200),
        ({"can_review": True, "can_schedule": True}, 403),
    ],
)
def test_attendees_are_seen_by_check_in_and_editors_only(client, event, standard, flags, status):
    client.force_login(factories.team_member(event, **flags))

    assert client.get(url("attendees", event)).status_code == status
    assert client.get(url("attendees_csv", event)).status_code == status


def test_another_events_team_sees_no_attendees(client, event, standard):
    client.force_login(
        factories.team_member(factories.EventFactory(), can_edit_event=True, can_check_in=True)
    )

    assert client.get(url("attendees", event)).status_code == 403


def test_the_list_shows_paid_tickets_with_answers_and_searches(client, event, standard, diet):
    _paid(
        event, standard, "Siobhán O'Brien", "Acme & Co", {diet: "<b>vegan</b>"}, email="siobhan@example.org"
    )
    _paid(event, standard, "Ada Lovelace", "Engines Ltd")
    shop.buy(event, factories.UserFactory(), standard)  # pending: not an attendee yet
    client.force_login(factories.team_member(event, can_check_in=True))

    page = client.get(url("attendees", event)).content.decode()
    found = client.get(url("attendees", event) + "?q=engines").content.decode()

    assert "2 tickets of paid orders" in page
    assert "Siobhán O&#x27;Brien" in page
    assert "Acme &amp; Co" in page
    assert '<th scope="col">Q&amp;A &quot;panic&quot;</th>' in page
    assert "&lt;b&gt;vegan&lt;/b&gt;" in page
    assert "Attendee 1" not in page
    assert "Ada Lovelace" in found
    assert "Siobhán" not in found


def test_the_list_query_count_does_not_grow_with_attendees(client, event, standard, diet):
    client.force_login(factories.team_member(event, can_check_in=True))

    def grow(count):
        for n in range(count):
            _paid(
                event,
                standard,
                f"Person {n}",
                answers={diet: "yes"},
                email=f"p{n}-{event.orders.count()}@example.org",
            )

    assert_constant_queries(client, url("attendees", event), grow)


def test_the_csv_has_one_column_per_question_and_defuses_formulas(client, event, standard, diet):
    size = shop.question(event, "=Size")
    order = _paid(
        event,
        standard,
        "Siobhán O'Brien",
        '=HYPERLINK("http://evil")',
        {diet: "@SUM(A1)", size: "+M"},
        email="siobhan@example.org",
    )
    _paid(event, standard, "-Minus Person", "", {diet: "plain"})
    client.force_login(factories.team_member(event, can_check_in=True))

    response = client.get(url("attendees_csv", event))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-attendees.csv"'
    assert rows[0] == ["order", "ticket type", "name", "email", "company", 'Q&A "panic"', "'=Size"]
    assert rows[1] == [
        order.code,
        "Standard",
        "Siobhán O'Brien",
        "siobhan@example.org",
        '\'=HYPERLINK("http://evil")',
        "'@SUM(A1)",
        "'+M",
    ]
    assert rows[2][2:] == ["'-Minus Person", "'-minus@example.org", "", "plain", ""]
