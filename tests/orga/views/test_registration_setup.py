"""The registration set-up pages: settings, ticket types, questions, vouchers and the waiting list.
Who may reach them, what a save does, a stale edit, and refusals shown next to the fields."""

import pytest
from django.urls import reverse

from podium.registration import services, waiting_list
from podium.registration.models import Question, RegistrationSettings, TicketType, Voucher
from tests import factories
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
    return shop.ticket_type(event, "Standard", price="100.00", quota=10)


PAGES = [
    ("registration_settings", None),
    ("ticket_types", None),
    ("ticket_type_new", None),
    ("ticket_type_edit", "ticket_types"),
    ("questions", None),
    ("question_new", None),
    ("question_edit", "registration_questions"),
    ("vouchers", None),
    ("voucher_new", None),
    ("voucher_edit", "vouchers"),
    ("waiting_list", None),
]


def _page_url(name, event, related):
    kwargs = {"pk": getattr(event, related).order_by("pk").first().pk} if related else {}
    return url(name, event, **kwargs)


@pytest.fixture
def set_up(event, standard):
    shop.question(event, "Diet")
    shop.voucher(event, "FRIENDS")
    return event


@pytest.mark.parametrize(("name", "related"), PAGES)
def test_who_reaches_the_registration_set_up(client, set_up, name, related):
    event = set_up
    target = _page_url(name, event, related)

    anonymous = client.get(target)
    client.force_login(factories.team_member(event, can_review=True, can_schedule=True, can_check_in=True))
    team = client.get(target)
    other = factories.EventFactory()
    client.force_login(factories.team_member(other, can_edit_event=True))
    other_team = client.get(target)
    client.force_login(factories.team_member(event, can_edit_event=True))
    editor = client.get(target)

    assert anonymous.status_code == 302
    assert (team.status_code, other_team.status_code, editor.status_code) == (403, 403, 200)


def test_an_object_of_another_event_is_404(client, event, organiser):
    theirs = shop.ticket_type(factories.EventFactory(), "Theirs")

    assert client.get(url("ticket_type_edit", event, pk=theirs.pk)).status_code == 404
    assert client.post(url("ticket_type_delete", event, pk=theirs.pk)).status_code == 404
    assert TicketType.objects.filter(pk=theirs.pk).exists()


def test_saving_the_registration_settings(client, event, organiser):
    form = client.get(url("registration_settings", event)).content.decode()
    response = client.post(
        url("registration_settings", event),
        {
            "version": 1,
            "is_open": "on",
            "currency": "usd",
            "max_tickets_per_order": 4,
            "payment_deadline_hours": 48,
            "offer_hours": 12,
            "name_change_until": "2031-05-01T18:00",
            "cancellation_until": "",
        },
    )

    stored = RegistrationSettings.objects.get(event=event)
    assert 'name="currency" value="EUR"' in form
    assert response.status_code == 302
    assert (stored.is_open, stored.currency, stored.max_tickets_per_order, stored.version) == (
        True,
        "USD",
        4,
        2,
    )
    assert stored.name_change_until.astimezone(event.tz).strftime("%Y-%m-%d %H:%M") == "2031-05-01 18:00"


def test_a_stale_settings_save_shows_the_stored_settings_with_the_conflict(client, event, organiser):
    shop.open_registration(event, currency="GBP", version=3)

    response = client.post(
        url("registration_settings", event),
        {
            "version": 1,
            "currency": "USD",
            "max_tickets_per_order": 4,
            "payment_deadline_hours": 48,
            "offer_hours": 12,
        },
    )

    page = response.content.decode()
    assert "Someone else saved the registration settings meanwhile." in page
    assert 'name="currency" value="GBP"' in page
    assert RegistrationSettings.objects.get(event=event).currency == "GBP"


def test_creating_a_ticket_type_from_the_form(client, event, organiser):
    response = client.post(
        url("ticket_type_new", event),
        {
            "name": "Siobhán's “early” bird",
            "price": "80.00",
            "quota": "50",
            "visibility": "public",
            "group": "",
            "position": "0",
            "active": "on",
            "sale_start": "2031-01-01T09:00",
            "sale_end": "",
        },
    )

    created = TicketType.objects.get()
    assert response["Location"] == url("ticket_types", event)
    assert (created.name, created.quota, created.version) == ("Siobhán's “early” bird", 50, 1)
    assert created.sale_start.astimezone(event.tz).strftime("%H:%M") == "09:00"
    listing = client.get(url("ticket_types", event)).content.decode()
    assert "Siobhán&#x27;s “early” bird" in listing


def test_a_quota_below_the_seats_taken_is_shown_next_to_the_field_and_keeps_the_input(
    client, event, organiser, standard
):
    shop.buy(event, factories.UserFactory(), standard, 3)

    response = client.post(
        url("ticket_type_edit", event, pk=standard.pk),
        {
            "version": 1,
            "name": "Standard renamed",
            "price": "100.00",
            "quota": "2",
            "visibility": "public",
            "position": "0",
            "active": "on",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "3 seats are taken already (tickets and waiting-list offers); the quota cannot be lower than that."
        in page
    )
    assert 'value="Standard renamed"' in page
    assert TicketType.objects.get(pk=standard.pk).quota == 10


def test_a_stale_ticket_type_edit_shows_the_stored_values(client, event, organiser, standard):
    TicketType.objects.filter(pk=standard.pk).update(name="Changed meanwhile", version=2)

    response = client.post(
        url("ticket_type_edit", event, pk=standard.pk),
        {
            "version": 1,
            "name": "Mine",
            "price": "100.00",
            "quota": "10",
            "visibility": "public",
            "position": "0",
            "active": "on",
        },
    )

    page = response.content.decode()
    assert "Someone else changed this ticket type while you were editing." in page
    assert 'value="Changed meanwhile"' in page
    assert TicketType.objects.get(pk=standard.pk).name == "Changed meanwhile"


def test_deleting_a_ticket_type_with_tickets_is_refused_with_a_message(client, event, organiser, standard):
    shop.buy(event, factories.UserFactory(), standard)

    response = client.post(url("ticket_type_delete", event, pk=standard.pk), follow=True)

    assert "Untick “active” instead" in response.content.decode()
    assert TicketType.objects.filter(pk=standard.pk).exists()


def test_creating_a_question_for_one_type(client, event, organiser, standard):
    shop.ticket_type(event, "Other")

    response = client.post(
        url("question_new", event),
        {
            "label": 'Q&A "panic"',
            "kind": "choice",
            "choices": "Yes\nNo\n",
            "required": "on",
            "position": "0",
            "ticket_types": [standard.pk],
        },
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert (question.label, question.choices, question.required) == ('Q&A "panic"', ["Yes", "No"], True)
    assert list(question.ticket_types.all()) == [standard]
    listing = client.get(url("questions", event)).content.decode()
    assert "Q&amp;A &quot;panic&quot;" in listing


def test_a_voucher_is_created_and_deleted_while_unused(client, event, organiser, standard):
    client.post(
        url("voucher_new", event),
        {
            "code": "FRIENDS",
            "max_usages": "5",
            "ticket_type": standard.pk,
            "discount_kind": "percent",
            "discount_value": "20",
        },
    )
    voucher = Voucher.objects.get()

    response = client.post(url("voucher_delete", event, pk=voucher.pk))

    assert (voucher.code, voucher.max_usages, voucher.ticket_type) == ("FRIENDS", 5, standard)
    assert response.status_code == 302
    assert Voucher.objects.count() == 0


def test_a_duplicate_voucher_code_is_refused_next_to_the_field(client, event, organiser):
    shop.voucher(event, "FRIENDS")

    response = client.post(
        url("voucher_new", event),
        {"code": "friends", "max_usages": "1", "discount_kind": "none", "discount_value": "0"},
    )

    assert "There is already a voucher “friends”." in response.content.decode()
    assert Voucher.objects.count() == 1


def test_the_waiting_list_shows_who_waits_and_the_offers_out(client, event, organiser):
    shop.open_registration(event)
    dinner = shop.ticket_type(event, "Dinner", quota=1)
    first = shop.buy(event, factories.UserFactory(), dinner)
    ada = factories.UserFactory(name="Ada Waiting")
    bob = factories.UserFactory(name="Bob Waiting")
    waiting_list.join_waiting_list(ticket_type=dinner, user=ada)
    waiting_list.join_waiting_list(ticket_type=dinner, user=bob)
    services.cancel_order(order=first, by=None)

    page = client.get(url("waiting_list", event)).content.decode()

    assert "2 on the list · 1 offer out" in page
    assert page.index("Ada Waiting") < page.index("Bob Waiting")
    assert "Offered a seat" in page
    assert "Waiting" in page
