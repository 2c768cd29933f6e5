"""Setting up registration: ticket types, questions, vouchers (who may, stale edits, what is refused)."""

from decimal import Decimal

import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.registration import services, setup
from podium.registration.enums import DiscountKind, QuestionKind, Visibility
from podium.registration.models import Question, TicketType, Voucher
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def _type_data(**changes) -> dict:
    return {
        "name": "Standard",
        "price": Decimal("50.00"),
        "quota": 10,
        "visibility": Visibility.PUBLIC,
        **changes,
    }


# --- Ticket types ----------------------------------------------------------------------------------


def test_an_organiser_creates_and_edits_a_ticket_type_with_versions_and_audit(event, organiser):
    created = setup.save_ticket_type(event=event, by=organiser, data=_type_data())

    edited = setup.save_ticket_type(
        event=event, by=organiser, data=_type_data(price=Decimal("60.00")), ticket_type=created, version=1
    )

    stored = TicketType.objects.get(pk=created.pk)
    assert (stored.name, stored.price, stored.quota, stored.version) == ("Standard", Decimal("60.00"), 10, 2)
    assert edited.version == 2
    assert list(
        AuditEntry.objects.filter(action="ticket_type.saved")
        .order_by("pk")
        .values_list("data__fields", flat=True)
    ) == [
        ["name", "price", "quota"],
        ["price"],
    ]


def test_a_stale_ticket_type_edit_is_refused(event, organiser):
    created = setup.save_ticket_type(event=event, by=organiser, data=_type_data())
    setup.save_ticket_type(
        event=event, by=organiser, data=_type_data(quota=20), ticket_type=created, version=1
    )

    with pytest.raises(StaleEdit):
        setup.save_ticket_type(
            event=event, by=organiser, data=_type_data(quota=5), ticket_type=created, version=1
        )

    assert TicketType.objects.get(pk=created.pk).quota == 20


def test_users_without_edit_rights_may_not_set_up_registration(event):
    reviewer = factories.team_member(event, can_review=True, can_check_in=True)

    with pytest.raises(NotAllowed):
        setup.save_ticket_type(event=event, by=reviewer, data=_type_data())
    with pytest.raises(NotAllowed):
        setup.save_question(event=event, by=reviewer, data={"label": "Diet?"})
    with pytest.raises(NotAllowed):
        setup.save_voucher(event=event, by=reviewer, data={"code": "X"})

    assert (TicketType.objects.count(), Question.objects.count(), Voucher.objects.count()) == (0, 0, 0)


def test_another_events_ticket_type_cannot_be_edited_through_this_event(event, organiser):
    other = factories.EventFactory()
    theirs = shop.ticket_type(other, "Theirs")

    with pytest.raises(NotAllowed):
        setup.save_ticket_type(event=event, by=organiser, data=_type_data(), ticket_type=theirs)


def test_a_quota_below_the_seats_taken_is_refused_with_a_clear_message(event, organiser, standard, buyer):
    shop.buy(event, buyer, standard, 3)
    standard.refresh_from_db()

    with pytest.raises(ServiceError) as refused:
        setup.save_ticket_type(
            event=event,
            by=organiser,
            data=_type_data(quota=2),
            ticket_type=standard,
            version=standard.version,
        )

    assert (refused.value.field, refused.value.message) == (
        "quota",
        "3 seats are taken already (tickets and waiting-list offers); the quota cannot be lower than that.",
    )
    setup.save_ticket_type(event=event, by=organiser, data=_type_data(quota=3), ticket_type=standard)
    standard.refresh_from_db()
    assert (standard.quota, standard.seats_taken) == (3, 3)
    shop.assert_seats_add_up(event)


def test_saving_a_ticket_type_never_overwrites_its_seat_counter(event, organiser, standard, buyer):
    stale_copy = TicketType.objects.get(pk=standard.pk)  # loaded before the order took two seats
    shop.buy(event, buyer, standard, 2)

    setup.save_ticket_type(event=event, by=organiser, data=_type_data(name="Regular"), ticket_type=stale_copy)

    standard.refresh_from_db()
    assert (standard.name, standard.seats_taken) == ("Regular", 2)
    shop.assert_seats_add_up(event)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Give the ticket type a name."),
        ({"name": "standard"}, "name", "There is already a ticket type named “standard”."),
        ({"visibility": Visibility.GROUP, "group": ""}, "group", "Choose the group these tickets are for."),
        ({"price": Decimal("-1")}, "price", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_wrong_ticket_types_are_refused(event, organiser, standard, changes, field, message):
    with pytest.raises(ServiceError) as refused:
        setup.save_ticket_type(event=event, by=organiser, data=_type_data(**{"name": "Day pass", **changes}))

    assert (refused.value.field, refused.value.message) == (field, message)


def test_a_sale_must_end_after_it_starts(event, organiser):
    start = event.cfp_closes

    with pytest.raises(ServiceError) as refused:
        setup.save_ticket_type(event=event, by=organiser, data=_type_data(sale_start=start, sale_end=start))

    assert refused.value.field == "sale_end"


def test_a_public_type_keeps_no_group(event, organiser):
    saved = setup.save_ticket_type(event=event, by=organiser, data=_type_data(group="speakers"))

    assert saved.group == ""


def test_a_ticket_type_without_tickets_is_deleted_one_with_tickets_is_refused(
    event, organiser, standard, buyer
):
    spare = shop.ticket_type(event, "Spare")
    order = shop.buy(event, buyer, standard)
    services.cancel_order(order=order, by=organiser)

    setup.delete_ticket_type(ticket_type=spare, by=organiser)
    with pytest.raises(ServiceError) as refused:
        setup.delete_ticket_type(ticket_type=standard, by=organiser)

    assert list(TicketType.objects.values_list("name", flat=True)) == ["Standard"]
    assert "Untick “active” instead" in refused.value.message
    assert AuditEntry.objects.filter(action="ticket_type.deleted", data__name="Spare").count() == 1


# --- Questions -------------------------------------------------------------------------------------


def test_an_organiser_saves_a_choice_question_for_some_types(event, organiser, standard):
    question = setup.save_question(
        event=event,
        by=organiser,
        data={
            "label": "T-shirt size",
            "kind": QuestionKind.CHOICE,
            "choices": "S\nM\n\nM\nL",
            "required": True,
            "ticket_types": [standard],
        },
    )
    edited = setup.save_question(
        event=event, by=organiser, data={"label": "Shirt size"}, question=question, version=1
    )

    assert (edited.label, edited.choices, edited.required, edited.version) == (
        "Shirt size",
        ["S", "M", "L"],
        True,
        2,
    )
    assert list(edited.ticket_types.all()) == [standard]


def test_a_choice_needs_two_choices_and_other_kinds_keep_none(event, organiser):
    with pytest.raises(ServiceError) as refused:
        setup.save_question(
            event=event, by=organiser, data={"label": "Size", "kind": "choice", "choices": "M"}
        )
    text = setup.save_question(
        event=event, by=organiser, data={"label": "Diet", "kind": "text", "choices": "a\nb"}
    )

    assert refused.value.field == "choices"
    assert text.choices == []


def test_a_question_for_another_events_type_and_a_repeated_label_are_refused(event, organiser):
    setup.save_question(event=event, by=organiser, data={"label": "Diet"})
    theirs = shop.ticket_type(factories.EventFactory(), "Theirs")

    with pytest.raises(ServiceError) as repeated:
        setup.save_question(event=event, by=organiser, data={"label": "DIET"})
    with pytest.raises(ServiceError) as foreign:
        setup.save_question(event=event, by=organiser, data={"label": "Other", "ticket_types": [theirs]})

    assert (repeated.value.field, foreign.value.field) == ("label", "ticket_types")
    assert Question.objects.count() == 1


def test_a_stale_question_edit_is_refused(event, organiser):
    question = setup.save_question(event=event, by=organiser, data={"label": "Diet"})
    setup.save_question(event=event, by=organiser, data={"label": "Food"}, question=question, version=1)

    with pytest.raises(StaleEdit):
        setup.save_question(event=event, by=organiser, data={"label": "Meals"}, question=question, version=1)


def test_deleting_a_question_takes_its_answers_and_says_how_many(event, organiser, standard, buyer):
    question = shop.question(event, "Diet")
    shop.buy(event, buyer, standard, 2, answers={question: "vegan"})

    setup.delete_question(question=question, by=organiser)

    assert Question.objects.count() == 0
    assert AuditEntry.objects.get(action="question.deleted").data == {"label": "Diet", "answers": 2}


# --- Vouchers --------------------------------------------------------------------------------------


def test_an_organiser_saves_a_voucher_and_a_stale_edit_is_refused(event, organiser, standard):
    voucher = setup.save_voucher(
        event=event,
        by=organiser,
        data={
            "code": " FRIENDS ",
            "max_usages": 5,
            "ticket_type": standard,
            "discount_kind": DiscountKind.PERCENT,
            "discount_value": "25",
        },
    )
    setup.save_voucher(event=event, by=organiser, data={"max_usages": 6}, voucher=voucher, version=1)

    with pytest.raises(StaleEdit):
        setup.save_voucher(event=event, by=organiser, data={"max_usages": 7}, voucher=voucher, version=1)
    stored = Voucher.objects.get()
    assert (stored.code, stored.max_usages, stored.discount_value, stored.version) == (
        "FRIENDS",
        6,
        Decimal("25"),
        2,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "TWO WORDS"}, "code"),
        ({"code": "friends"}, "code"),
        ({"code": "NEW", "discount_kind": DiscountKind.PERCENT, "discount_value": "150"}, "discount_value"),
        ({"code": "NEW", "discount_kind": DiscountKind.FIXED, "discount_value": "0"}, "discount_value"),
        ({"code": "NEW", "max_usages": 0}, "max_usages"),
    ],
)
def test_wrong_vouchers_are_refused(event, organiser, data, field):
    shop.voucher(event, "FRIENDS")

    with pytest.raises(ServiceError) as refused:
        setup.save_voucher(event=event, by=organiser, data=data)

    assert refused.value.field == field
    assert Voucher.objects.count() == 1


def test_a_voucher_cannot_allow_fewer_uses_than_it_had(event, organiser, standard, buyer):
    voucher = shop.voucher(event, "FRIENDS", max_usages=3)
    shop.buy(event, buyer, standard, voucher_code="FRIENDS")
    shop.buy(event, buyer, standard, voucher_code="FRIENDS")

    with pytest.raises(ServiceError) as refused:
        setup.save_voucher(event=event, by=organiser, data={"max_usages": 1}, voucher=voucher)

    assert (refused.value.field, refused.value.message) == (
        "max_usages",
        "The voucher was used 2 times already; it cannot allow fewer uses than that.",
    )


def test_a_used_voucher_cannot_be_deleted_an_unused_one_can(event, organiser, standard, buyer):
    used = shop.voucher(event, "USED")
    unused = shop.voucher(event, "UNUSED")
    order = shop.buy(event, buyer, standard, voucher_code="USED")
    services.cancel_order(order=order, by=organiser)  # still the order's voucher

    setup.delete_voucher(voucher=unused, by=organiser)
    with pytest.raises(ServiceError):
        setup.delete_voucher(voucher=used, by=organiser)

    assert list(Voucher.objects.values_list("code", flat=True)) == ["USED"]
