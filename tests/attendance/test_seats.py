"""Seats at sessions that need one: booking, its refusals, the waiting list and who gets a freed seat,
cancelling, and the organisers' capacity of a session."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from podium.attendance import seats
from podium.attendance.models import SeatBooking, SeatState, SessionSeats
from podium.attendance.seat_queries import seat_count_drift, seats_of
from podium.attendance.seats import SessionFull
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events.services import save_room, save_session_type
from podium.mail.models import OutboxMail
from podium.proposals.services import update_proposal
from podium.registration import services as registration_services
from podium.schedule import dayof
from podium.schedule.models import Slot
from tests import factories
from tests.program import at, cancel, place, release
from tests.seating import give_ticket, people, running_tutorials, seated_type, sell_tickets, tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return tutorials(seats=3)


@pytest.fixture
def ada(db):
    return factories.UserFactory(name="Ada Lovelace", email="ada@example.org")


def _state(proposal) -> list[tuple[str, str]]:
    """(name, state) of the session's bookings, in the waiting list's order."""
    return list(
        SeatBooking.objects.filter(proposal=proposal)
        .order_by("created", "pk")
        .values_list("user__name", "state")
    )


def _fill(proposal, count: int) -> list:
    users = people(count, prefix=f"{proposal.title} learner")
    for user in users:
        seats.book_seat(proposal=proposal, by=user)
    return users


def _seat_mails() -> list[tuple[str, str]]:
    return list(OutboxMail.objects.filter(template="seat_from_waiting_list").values_list("to", "subject"))


# --- Booking -----------------------------------------------------------------------------------------


def test_book_seat_books_one_and_counts_it(conf, ada):
    booking = seats.book_seat(proposal=conf["pandas"], by=ada)

    assert (booking.user, booking.proposal, booking.state) == (ada, conf["pandas"], SeatState.BOOKED)
    assert booking.booked_at is not None
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 1
    assert seats_of(conf["pandas"], None).left == 2
    assert seat_count_drift(conf["event"]) == {}


def test_book_seat_for_an_anonymous_visitor_is_refused(conf):
    with pytest.raises(NotAllowed, match=re.escape("Log in to book a seat.")):
        seats.book_seat(proposal=conf["pandas"], by=AnonymousUser())


def test_book_seat_at_a_session_that_needs_none_is_refused(conf, ada):
    with pytest.raises(NotAllowed, match=re.escape("This session needs no booking: just come.")):
        seats.book_seat(proposal=conf["talk"], by=ada)

    assert SeatBooking.objects.count() == 0


def test_book_seat_at_a_session_not_on_the_release_is_refused(conf, ada):
    later = place(
        conf["event"],
        factories.ProposalFactory(
            event=conf["event"],
            state="confirmed",
            session_type=conf["event"].session_types.get(name="Tutorial"),
        ),
        "Hall A",
        at(conf["event"], 15),
        conf["scheduler"],
    ).proposal

    with pytest.raises(NotAllowed, match="not on the published program"):
        seats.book_seat(proposal=later, by=ada)


def test_book_seat_at_a_cancelled_session_is_refused(conf, ada):
    cancel(conf["pandas"], conf["scheduler"])
    release(conf["event"], conf["scheduler"], name="v2")

    with pytest.raises(NotAllowed, match=re.escape("This session was cancelled, so it takes no bookings.")):
        seats.book_seat(proposal=conf["pandas"], by=ada)


def test_book_seat_once_the_session_started_is_refused(ada):
    running = running_tutorials()

    with pytest.raises(
        NotAllowed, match=r"This session started on .*; seats can only be booked before it starts\."
    ):
        seats.book_seat(proposal=running["started"], by=ada)
    seats.book_seat(proposal=running["tomorrow"], by=ada)

    assert _state(running["tomorrow"]) == [("Ada Lovelace", SeatState.BOOKED)]


def test_book_seat_at_a_hidden_event_is_refused(conf, ada):
    conf["event"].is_public = False
    conf["event"].save()

    with pytest.raises(NotAllowed, match="not on the published program"):
        seats.book_seat(proposal=conf["pandas"], by=ada)


def test_the_sessions_own_speaker_needs_no_seat(conf):
    speaker = conf["pandas"].speakers.get()

    with pytest.raises(NotAllowed, match="You speak at this session"):
        seats.book_seat(proposal=conf["pandas"], by=speaker)


def test_a_second_booking_of_the_same_session_is_refused(conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)

    with pytest.raises(ServiceError, match=re.escape("You have a seat at “Pandas from scratch” already.")):
        seats.book_seat(proposal=conf["pandas"], by=ada)

    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 1


def test_a_booking_that_overlaps_a_seat_one_holds_is_refused_naming_it(conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)

    with pytest.raises(ServiceError) as refused:
        seats.book_seat(proposal=conf["async"], by=ada)

    day = conf["event"].date_from
    assert refused.value.message == (
        f"This session overlaps “Pandas from scratch” ({day:%A} {day.day} {day:%B}, 09:00–12:00), "
        "where you have a seat. Cancel that seat first if you would rather come to this one."
    )
    assert SeatBooking.objects.filter(proposal=conf["async"]).count() == 0
    assert seats.book_seat(proposal=conf["pytest"], by=ada).state == SeatState.BOOKED


def test_a_full_session_refuses_the_booking_and_points_to_the_waiting_list(conf, ada):
    _fill(conf["pandas"], 3)

    with pytest.raises(SessionFull, match=re.escape("“Pandas from scratch” is full. Join its waiting list")):
        seats.book_seat(proposal=conf["pandas"], by=ada)

    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 3
    assert SeatBooking.objects.filter(user=ada).count() == 0


# --- Tickets -----------------------------------------------------------------------------------------


def test_when_the_event_sells_tickets_a_seat_needs_a_paid_ticket(conf, ada):
    sell_tickets(conf["event"])

    with pytest.raises(NotAllowed) as refused:
        seats.book_seat(proposal=conf["pandas"], by=ada)

    assert refused.value.message == (
        f"Seats are for people with a ticket to {conf['event'].name}. You need a paid ticket that you "
        "bought, or that names your address (ada@example.org) as the attendee's; buy one first, or ask "
        "whoever bought yours to put your address on it."
    )


def test_a_ticket_bought_by_the_person_lets_them_book(conf, ada):
    give_ticket(conf["event"], ada, sell_tickets(conf["event"]))

    assert seats.book_seat(proposal=conf["pandas"], by=ada).state == SeatState.BOOKED


def test_a_ticket_naming_the_persons_address_lets_them_book(conf, ada):
    buyer = factories.UserFactory()
    give_ticket(conf["event"], buyer, sell_tickets(conf["event"]), attendee_email="ADA@example.org")

    assert seats.book_seat(proposal=conf["pandas"], by=ada).state == SeatState.BOOKED


def test_a_cancelled_or_unpaid_ticket_does_not_count(conf, ada):
    conference = sell_tickets(conf["event"])
    order = give_ticket(conf["event"], ada, conference)
    registration_services.cancel_order(order=order, by=None)
    organiser = factories.team_member(conf["event"], can_edit_event=True)
    pending = registration_services.place_order(
        event=conf["event"],
        buyer=ada,
        items=[(conf["event"].ticket_types.create(name="Paid", price="50.00"), "Ada", "ada@example.org", {})],
        email="ada@example.org",
    )

    with pytest.raises(NotAllowed, match="Seats are for people with a ticket"):
        seats.book_seat(proposal=conf["pandas"], by=ada)
    registration_services.mark_paid(order=pending, by=organiser)
    assert seats.book_seat(proposal=conf["pandas"], by=ada).state == SeatState.BOOKED


def test_a_ticket_of_another_event_does_not_count(conf, ada):
    sell_tickets(conf["event"])
    other = factories.EventFactory()
    give_ticket(other, ada, sell_tickets(other))

    with pytest.raises(NotAllowed, match="Seats are for people with a ticket"):
        seats.book_seat(proposal=conf["pandas"], by=ada)


# --- The waiting list --------------------------------------------------------------------------------


def test_join_the_waiting_list_of_a_full_session(conf, ada):
    _fill(conf["pandas"], 3)

    booking = seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    assert booking.state == SeatState.WAITING
    assert booking.booked_at is None
    assert seats_of(conf["pandas"], None).waiting == 1
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 3


def test_joining_the_waiting_list_while_seats_are_left_is_refused(conf, ada):
    _fill(conf["pandas"], 2)

    with pytest.raises(ServiceError, match=re.escape("“Pandas from scratch” has 1 seat left: book one.")):
        seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)


def test_joining_the_waiting_list_twice_is_refused(conf, ada):
    _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    with pytest.raises(
        ServiceError, match=re.escape("You are on the waiting list of “Pandas from scratch” already.")
    ):
        seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)
    with pytest.raises(ServiceError, match="already"):
        seats.book_seat(proposal=conf["pandas"], by=ada)


def test_joining_a_waiting_list_that_overlaps_a_seat_is_refused(conf, ada):
    _fill(conf["async"], 3)
    seats.book_seat(proposal=conf["pandas"], by=ada)

    with pytest.raises(ServiceError, match="This session overlaps “Pandas from scratch”"):
        seats.join_seat_waiting_list(proposal=conf["async"], by=ada)


def test_a_freed_seat_goes_to_the_first_person_waiting_who_is_told_by_mail(conf, ada):
    first, *_ = _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)
    bob = factories.UserFactory(name="Bob")
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=bob)

    seats.cancel_seat(proposal=conf["pandas"], by=first)

    assert SeatBooking.objects.get(user=ada, proposal=conf["pandas"]).state == SeatState.BOOKED
    assert SeatBooking.objects.get(user=bob, proposal=conf["pandas"]).state == SeatState.WAITING
    assert _seat_mails() == [
        ("ada@example.org", f"[{conf['event'].name}] You have a seat: Pandas from scratch")
    ]
    body = OutboxMail.objects.get(template="seat_from_waiting_list").body
    assert "Room: Room 101" in body
    assert f"/{conf['event'].slug}/talk/{conf['pandas'].code}/" in body
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 3
    assert seat_count_drift(conf["event"]) == {}


def test_people_who_now_clash_are_skipped_and_stay_on_the_list(conf, ada):
    first, *_ = _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)
    bob = factories.UserFactory(name="Bob", email="bob@example.org")
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=bob)
    seats.book_seat(proposal=conf["async"], by=ada)  # overlaps Pandas

    seats.cancel_seat(proposal=conf["pandas"], by=first)

    assert _state(conf["pandas"])[-2:] == [("Ada Lovelace", SeatState.WAITING), ("Bob", SeatState.BOOKED)]
    assert [to for to, _ in _seat_mails()] == ["bob@example.org"]


def test_people_without_a_valid_ticket_any_more_are_skipped(conf, ada):
    conference = sell_tickets(conf["event"])
    holders = people(3)
    for person in holders:
        give_ticket(conf["event"], person, conference)
        seats.book_seat(proposal=conf["pandas"], by=person)
    order = give_ticket(conf["event"], ada, conference)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)
    bob = factories.UserFactory(name="Bob")
    give_ticket(conf["event"], bob, conference)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=bob)
    registration_services.cancel_order(order=order, by=None)

    seats.cancel_seat(proposal=conf["pandas"], by=holders[0])

    assert _state(conf["pandas"])[-2:] == [("Ada Lovelace", SeatState.WAITING), ("Bob", SeatState.BOOKED)]


def test_giving_up_a_seat_fills_the_holders_own_place_that_no_longer_clashes(conf, ada):
    holder, *_ = _fill(conf["async"], 3)
    seats.join_seat_waiting_list(proposal=conf["async"], by=ada)
    seats.book_seat(proposal=conf["pandas"], by=ada)  # overlaps Async, which she only waits for
    seats.cancel_seat(proposal=conf["async"], by=holder)
    assert SeatBooking.objects.get(user=ada, proposal=conf["async"]).state == SeatState.WAITING

    seats.cancel_seat(proposal=conf["pandas"], by=ada)

    assert SeatBooking.objects.get(user=ada, proposal=conf["async"]).state == SeatState.BOOKED
    assert seat_count_drift(conf["event"]) == {}


def test_a_freed_seat_of_a_session_that_started_goes_to_nobody():
    running = running_tutorials()
    holder = factories.UserFactory()
    # Seats of a started session were booked before it started:
    SessionSeats.objects.create(event=running["event"], proposal=running["started"], taken=1)
    booking = SeatBooking.objects.create(
        event=running["event"],
        user=holder,
        proposal=running["started"],
        state=SeatState.BOOKED,
        booked_at=at(running["event"], 8),
    )
    waiting = SeatBooking.objects.create(
        event=running["event"],
        user=factories.UserFactory(),
        proposal=running["started"],
        state=SeatState.WAITING,
    )

    seats.cancel_seat(booking=booking, by=holder)

    waiting.refresh_from_db()
    assert waiting.state == SeatState.WAITING
    assert SessionSeats.objects.get(proposal=running["started"]).taken == 0
    assert _seat_mails() == []


# --- Cancelling --------------------------------------------------------------------------------------


def test_cancel_seat_frees_it(conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)

    cancelled = seats.cancel_seat(proposal=conf["pandas"], by=ada)

    assert cancelled.state == SeatState.BOOKED
    assert SeatBooking.objects.count() == 0
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 0


def test_leaving_the_waiting_list_frees_no_seat(conf, ada):
    _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    left = seats.cancel_seat(proposal=conf["pandas"], by=ada)

    assert left.state == SeatState.WAITING
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 3
    assert seats_of(conf["pandas"], None).waiting == 0


def test_cancelling_twice_is_refused(conf, ada):
    booking = seats.book_seat(proposal=conf["pandas"], by=ada)
    seats.cancel_seat(booking=booking, by=ada)

    with pytest.raises(ServiceError, match="You have no seat and no waiting-list place at this session"):
        seats.cancel_seat(booking=booking, by=ada)
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 0


def test_someone_elses_seat_is_cancelled_only_by_the_organisers(conf, ada):
    booking = seats.book_seat(proposal=conf["pandas"], by=ada)
    stranger = factories.UserFactory()
    checkin = factories.team_member(conf["event"], can_check_in=True)
    organiser = factories.team_member(conf["event"], can_edit_event=True)

    with pytest.raises(NotAllowed, match=re.escape("This seat is not yours.")):
        seats.cancel_seat(booking=booking, by=stranger)
    with pytest.raises(NotAllowed, match=re.escape("This seat is not yours.")):
        seats.cancel_seat(booking=booking, by=checkin)
    seats.cancel_seat(booking=booking, by=organiser)

    assert SeatBooking.objects.count() == 0


def test_a_cancelled_session_keeps_its_bookings(conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)

    cancel(conf["pandas"], conf["scheduler"])
    release(conf["event"], conf["scheduler"], name="v2")

    assert _state(conf["pandas"]) == [("Ada Lovelace", SeatState.BOOKED)]
    seats.cancel_seat(proposal=conf["pandas"], by=ada)
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 0


# --- Capacity ----------------------------------------------------------------------------------------


def test_a_sessions_seats_are_the_smaller_of_its_types_and_its_rooms(conf):
    seated_type(conf["event"], 100)  # Room 101 holds 80, Hall A 500
    pandas, tutorial = (conf["event"].proposals.get(pk=conf[name].pk) for name in ("pandas", "async"))

    assert seats_of(pandas, None).capacity == 100  # not placed: the type's
    assert [
        seats_of(pandas, _session(conf, "pandas")).capacity,
        seats_of(tutorial, _session(conf, "async")).capacity,
    ] == [80, 100]


def _session(conf, name):
    return conf["release"].sessions.get(code=conf[name].code)


def test_an_organiser_gives_a_session_its_own_seats(conf, ada):
    organiser = factories.team_member(conf["event"], can_edit_event=True)

    counter = seats.set_seat_capacity(proposal=conf["pandas"], capacity=1, by=organiser, version=1)
    seats.book_seat(proposal=conf["pandas"], by=ada)

    assert (counter.capacity, counter.version) == (1, 2)
    with pytest.raises(SessionFull):
        seats.book_seat(proposal=conf["pandas"], by=factories.UserFactory())


def test_more_seats_go_to_the_people_waiting(conf, ada):
    organiser = factories.team_member(conf["event"], can_edit_event=True)
    _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    seats.set_seat_capacity(proposal=conf["pandas"], capacity=4, by=organiser)

    assert SeatBooking.objects.get(user=ada).state == SeatState.BOOKED
    assert [to for to, _ in _seat_mails()] == ["ada@example.org"]


def test_fewer_seats_than_are_booked_are_refused(conf):
    organiser = factories.team_member(conf["event"], can_edit_event=True)
    _fill(conf["pandas"], 2)

    with pytest.raises(
        ServiceError, match="2 seats are booked already, so the session needs at least 2"
    ) as refused:
        seats.set_seat_capacity(proposal=conf["pandas"], capacity=1, by=organiser)

    assert refused.value.field == "capacity"
    assert SessionSeats.objects.get(proposal=conf["pandas"]).capacity is None


def test_setting_the_seats_needs_the_event_edit_permission(conf):
    with pytest.raises(NotAllowed):
        seats.set_seat_capacity(
            proposal=conf["pandas"], capacity=10, by=factories.team_member(conf["event"], can_check_in=True)
        )


def test_a_stale_capacity_edit_is_refused(conf):
    organiser = factories.team_member(conf["event"], can_edit_event=True)
    seats.set_seat_capacity(proposal=conf["pandas"], capacity=10, by=organiser, version=1)

    with pytest.raises(StaleEdit):
        seats.set_seat_capacity(proposal=conf["pandas"], capacity=20, by=organiser, version=1)

    assert SessionSeats.objects.get(proposal=conf["pandas"]).capacity == 10


def test_a_session_that_needs_no_seat_gets_no_capacity(conf):
    with pytest.raises(ServiceError, match="“A plain talk” is a Talk, whose sessions take no bookings"):
        seats.set_seat_capacity(proposal=conf["talk"], capacity=10, by=None)


def test_a_capacity_below_one_is_refused(conf):
    with pytest.raises(ServiceError, match="at least one seat"):
        seats.set_seat_capacity(proposal=conf["pandas"], capacity=0, by=None)


# --- Seats added reach the waiting list at once ----------------------------------------------------


def _room_seats(conf, name: str, capacity: int) -> None:
    save_room(
        event=conf["event"], by=None, room=conf["event"].rooms.get(name=name), data={"capacity": capacity}
    )


def _waiting_in_a_small_room(conf, ada) -> None:
    """Pandas released in Room 101 of two seats (fewer than its type's three), both booked; Ada waits."""
    _room_seats(conf, "Room 101", 2)
    release(conf["event"], conf["scheduler"], name="v2")
    _fill(conf["pandas"], 2)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)
    assert seats_of(conf["pandas"], _latest_session(conf)).capacity == 2


def _latest_session(conf):
    return conf["event"].releases.order_by("-version").first().sessions.get(code=conf["pandas"].code)


def _seated(conf) -> list[tuple[str, str]]:
    """What the waiting list's first person has now, and who was mailed a seat."""
    assert seat_count_drift(conf["event"]) == {}
    return [*(state for _, state in _state(conf["pandas"])[2:]), *(to for to, _ in _seat_mails())]


def test_a_release_moving_the_session_to_a_bigger_room_gives_the_seats_to_the_people_waiting(conf, ada):
    _waiting_in_a_small_room(conf, ada)

    place(conf["event"], conf["pandas"], "Hall A", at(conf["event"], 15), conf["scheduler"])
    waiting_while_in_the_draft = _seated(conf)
    published = release(conf["event"], conf["scheduler"], name="v3")

    assert waiting_while_in_the_draft == [SeatState.WAITING]
    assert _seated(conf) == [SeatState.BOOKED, "ada@example.org"]
    assert published.notices["seats"] == 1


def test_a_release_publishing_the_room_with_more_seats_gives_them_to_the_people_waiting(conf, ada):
    _waiting_in_a_small_room(conf, ada)

    _room_seats(conf, "Room 101", 80)
    waiting_until_released = _seated(conf)
    release(conf["event"], conf["scheduler"], name="v3")

    assert waiting_until_released == [SeatState.WAITING]
    assert _seated(conf) == [SeatState.BOOKED, "ada@example.org"]


def test_a_day_of_move_to_a_bigger_room_gives_the_seats_to_the_people_waiting(conf, ada):
    _waiting_in_a_small_room(conf, ada)
    slot = Slot.objects.get(proposal=conf["pandas"])

    dayof.apply_and_publish(
        event=conf["event"],
        by=conf["scheduler"],
        change=dayof.SessionMove(
            proposal=conf["pandas"],
            room=conf["event"].rooms.get(name="Hall A"),
            start=at(conf["event"], 15),
            version=slot.version,
        ),
    )

    assert _seated(conf) == [SeatState.BOOKED, "ada@example.org"]


def test_more_seats_for_the_session_type_go_to_the_people_waiting(conf, ada):
    _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    seated_type(conf["event"], 4)

    assert [state for _, state in _state(conf["pandas"])] == [SeatState.BOOKED] * 4
    assert [to for to, _ in _seat_mails()] == ["ada@example.org"]
    assert seat_count_drift(conf["event"]) == {}


def test_moving_the_session_to_a_type_with_more_seats_gives_them_to_the_people_waiting(conf, ada):
    organiser = factories.team_member(conf["event"], can_edit_event=True)
    _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)
    workshop = save_session_type(
        event=conf["event"],
        by=organiser,
        data={"name": "Workshop", "duration_minutes": 180, "requires_seat": True, "seats": 5},
    )
    conf["pandas"].refresh_from_db()

    update_proposal(
        proposal=conf["pandas"],
        by=organiser,
        data={"session_type": workshop},
        version=conf["pandas"].version,
        as_organiser=True,
    )

    assert [state for _, state in _state(conf["pandas"])] == [SeatState.BOOKED] * 4
    assert [to for to, _ in _seat_mails()] == ["ada@example.org"]


def test_the_default_seats_back_instead_of_fewer_own_go_to_the_people_waiting(conf, ada):
    organiser = factories.team_member(conf["event"], can_edit_event=True)
    seats.set_seat_capacity(proposal=conf["pandas"], capacity=2, by=organiser)
    _fill(conf["pandas"], 2)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    seats.set_seat_capacity(proposal=conf["pandas"], capacity=None, by=organiser)

    assert _seated(conf) == [SeatState.BOOKED, "ada@example.org"]


def test_changes_that_add_no_seat_give_none(conf, ada):
    _fill(conf["pandas"], 3)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    seated_type(conf["event"], 3)
    place(conf["event"], conf["pandas"], "Hall A", at(conf["event"], 15), conf["scheduler"])
    published = release(conf["event"], conf["scheduler"], name="v2")

    assert [state for _, state in _state(conf["pandas"])][3:] == [SeatState.WAITING]
    assert (_seat_mails(), published.notices["seats"]) == ([], 0)
