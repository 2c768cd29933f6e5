"""The demo's bulk writers against the services: the same history, once through place_order, mark_paid,
cancel_order, expire_orders, refund_order, grant_speaker_ticket and check_in, once through
write_sales and write_scans, must leave the same rows (codes, ids and secrets aside; the paid orders'
mails carry the same PDF tickets, each with its own code)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.base.models import AuditEntry
from podium.checkin import services as checkin_services
from podium.checkin.models import CheckIn, Scan, ScanResult
from podium.demo.bulk import CANCELLED, EXPIRED, REFUNDED, Sale, Scanned, write_sales, write_scans
from podium.mail import about
from podium.mail.models import OutboxMail
from podium.mail.services import attachment_content
from podium.registration import issuing, orders, services, speaker_tickets
from podium.registration.answers import clean_answers, clean_attendee, event_questions
from podium.registration.enums import DiscountKind, Group, OrderOrigin, QuestionKind, Visibility
from podium.registration.models import Order, Ticket, TicketType, Voucher
from podium.registration.tickets import pdf_filename, read_token, token_for
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


class Clock:
    """`timezone.now` for the services: the moment of each step of the history."""

    def __init__(self, monkeypatch):
        self.now = START
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def at(self, moment):
        self.now = moment
        return self


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def people(db):
    organiser = factories.OrganiserFactory()
    buyers = [
        factories.UserFactory(name=name, email=f"buyer{n}@example.org")
        for n, name in enumerate(
            ("Siobhán O'Brien", "Tomás Núñez", "Zoë Müller", "Ana Costa", "Kai Kim", "Wen Li")
        )
    ]
    return {
        "organiser": organiser,
        "buyers": buyers,
        "speaker": factories.UserFactory(name="Chloé D'Souza", email="Chloe@Example.org"),
        "manager": factories.UserFactory(name="Grace Hansen"),
        "volunteer": factories.UserFactory(name="Dónal Ortiz"),
    }


def _event(people):
    """An event as the organisers set it up: a paid type, a free one, the speakers', a voucher, two
    questions; with a team that manages orders and one that checks people in."""
    event = factories.EventFactory(organiser=people["organiser"], name="PyConf Demo")
    shop.open_registration(event)
    standard = shop.ticket_type(event, "Standard", price="100.00", quota=10)
    community = shop.ticket_type(event, "Community", price="0.00")
    speakers = shop.ticket_type(
        event, "Speaker", price="0.00", visibility=Visibility.GROUP, group=Group.SPEAKERS
    )
    voucher = shop.voucher(
        event, "FRIENDS", max_usages=5, discount_kind=DiscountKind.PERCENT, discount_value=10
    )
    shop.question(event, "T-shirt size", kind=QuestionKind.CHOICE, choices=["S", "M"], required=True)
    shop.question(event, "First time?", kind=QuestionKind.BOOLEAN)
    organiser = factories.team_member(
        event, people["manager"], name=f"Orders {event.pk}", events=[event], can_edit_event=True
    )
    desk = factories.team_member(
        event, people["volunteer"], name=f"Desk {event.pk}", events=[event], can_check_in=True
    )
    return (
        event,
        {"standard": standard, "community": community, "speakers": speakers},
        voucher,
        organiser,
        desk,
    )


# The history: (buyer, type, tickets, voucher?, what became of it), placed an hour apart. Buyers 0 and 4
# pay; the sweep at 73.5 hours expires buyer 3's order and not yet buyer 1's, placed later.
ORDERS = (
    (3, "standard", 1, False, EXPIRED),
    (0, "standard", 2, True, "paid"),
    (2, "standard", 1, False, CANCELLED),
    (4, "standard", 1, False, REFUNDED),
    (5, "community", 1, False, "paid"),
    (1, "standard", 1, False, "pending"),
)
SWEEP = START + 73.5 * HOUR
# Then a ticket the organisers issue by hand to someone without an account, and a speaker's ticket.
ISSUED = {"name": "Ngozi Abara", "email": "ngozi@example.org", "company": "Open Lattice"}


def _items(event, buyer, ticket_type, count):
    questions = {question.label: question.pk for question in event_questions(event)}
    names = [buyer.name, *(f"Colleague {n} O'Neill" for n in range(1, count))]
    return [
        services.OrderItem(
            ticket_type=ticket_type,
            attendee_name=name,
            attendee_email=buyer.email if n == 0 else f"colleague{n}@example.org",
            attendee_company="Prairie Cloud",
            answers={questions["T-shirt size"]: "M", questions["First time?"]: n == 0},
        )
        for n, name in enumerate(names)
    ]


def _through_services(people, clock):
    event, types, _, organiser, desk = _event(people)
    placed = {}
    for number, (buyer, kind, count, with_voucher, _) in enumerate(ORDERS):
        clock.at(START + number * HOUR)
        user = people["buyers"][buyer]
        placed[buyer] = services.place_order(
            event=event,
            buyer=user,
            items=_items(event, user, types[kind], count),
            email=user.email,
            voucher_code="friends" if with_voucher else None,
            idempotency_key=f"key-{buyer}",
        )
    clock.at(START + 6 * HOUR)
    issuing.issue_tickets(event=event, ticket_type=types["community"], people=[ISSUED], by=organiser)
    clock.at(START + 10 * HOUR)
    services.mark_paid(order=placed[0], by=organiser)
    clock.at(START + 11 * HOUR)
    services.mark_paid(order=placed[4], by=organiser)
    clock.at(START + 12 * HOUR)
    services.cancel_order(order=placed[2], by=people["buyers"][2])
    clock.at(START + 13 * HOUR)
    speaker_tickets.grant_speaker_ticket(event=event, user=people["speaker"])
    clock.at(START + 14 * HOUR)
    services.refund_order(order=placed[4], by=organiser)
    clock.at(SWEEP)
    services.expire_orders(now=SWEEP)
    first, second = placed[0].tickets.order_by("pk")
    scans = [
        (81, "Desk 1", token_for(first)),
        (82, "Desk 2", token_for(first)),
        (83, "Desk 2", token_for(second)),
        (84, "Desk 1", token_for(placed[4].tickets.get())),
        (85, "Desk 1", token_for(placed[1].tickets.get())),
        (86, "Desk 3", "CCCCCCCC"),
        (87, "Desk 3", "not-a-ticket-code"),
    ]
    for hours, name, code in scans:
        clock.at(START + hours * HOUR)
        checkin_services.check_in(event=event, code=code, desk=name, by=desk)
    return event


def _in_bulk(people, clock):
    event, types, voucher, organiser, desk = _event(people)
    questions = event_questions(event)
    sales = []
    for number, (buyer, kind, count, with_voucher, fate) in enumerate(ORDERS):
        user = people["buyers"][buyer]
        used = Voucher.objects.get(pk=voucher.pk) if with_voucher else None
        lines = []
        for item in _items(event, user, types[kind], count):
            name, email = clean_attendee(item.attendee_name, item.attendee_email)
            lines.append(
                orders.Line(
                    ticket_type=item.ticket_type,
                    name=name,
                    email=email,
                    company=item.attendee_company,
                    price=orders.discounted(item.ticket_type.price, used, item.ticket_type),
                    answers=clean_answers(questions, item.ticket_type, item.answers),
                )
            )
        sale = Sale(
            buyer=user,
            lines=lines,
            placed_at=START + number * HOUR,
            voucher=used,
            idempotency_key=f"key-{buyer}",
        )
        if buyer in (0, 4):
            sale.paid_at, sale.paid_by = START + (10 if buyer == 0 else 11) * HOUR, organiser
        if fate == CANCELLED:
            sale.ended, sale.ended_at, sale.ended_by = CANCELLED, START + 12 * HOUR, user
        elif fate == EXPIRED:
            sale.ended, sale.ended_at = EXPIRED, SWEEP
        elif fate == REFUNDED:
            sale.ended, sale.ended_at, sale.ended_by = REFUNDED, START + 14 * HOUR, organiser
        sales.append(sale)
    issued = orders.Line(
        types["community"],
        ISSUED["name"],
        ISSUED["email"],
        price=Decimal(0),
        company=ISSUED["company"],
        answers=clean_answers(questions, types["community"], {}, enforce_required=False),
    )
    sales.append(
        Sale(
            buyer=None,
            email=ISSUED["email"],
            lines=[issued],
            placed_at=START + 6 * HOUR,
            origin=OrderOrigin.ISSUED,
            placed_by=organiser,
        )
    )
    speaker = people["speaker"]
    line = orders.Line(types["speakers"], speaker.name, speaker.email.lower(), price=Decimal(0))
    sales.append(Sale(buyer=speaker, lines=[line], placed_at=START + 13 * HOUR, origin=OrderOrigin.SPEAKER))
    clock.at(START + 90 * HOUR)  # written later than it happened
    write_sales(event=event, sales=sales)
    first, second = sales[1].tickets
    by_buyer = {people["buyers"].index(sale.buyer): sale for sale in sales[: len(ORDERS)]}
    scans = [
        (81, "Desk 1", first, ""),
        (82, "Desk 2", first, ""),
        (83, "Desk 2", second, ""),
        (84, "Desk 1", by_buyer[4].tickets[0], ""),
        (85, "Desk 1", by_buyer[1].tickets[0], ""),
        (86, "Desk 3", None, ScanResult.UNKNOWN),
        (87, "Desk 3", None, ScanResult.FORGED),
    ]
    results = write_scans(
        event=event,
        scans=[
            Scanned(
                at=START + hours * HOUR,
                desk=name,
                by=desk,
                ticket=ticket,
                refusal=refusal or ScanResult.UNKNOWN,
            )
            for hours, name, ticket, refusal in scans
        ],
    )
    return event, results


def _picture(event) -> dict:
    """Everything the history left in the event, with codes, ids and secrets replaced by what they name."""
    placed = list(
        Order.objects.filter(event=event).select_related("buyer", "voucher").order_by("created_at", "pk")
    )
    names = {order.code: f"order {n}" for n, order in enumerate(placed)}
    keys = {about.order(order.pk): f"order {n}" for n, order in enumerate(placed)}
    tickets = {
        ticket.pk: f"{names[ticket.order.code]} ticket {ticket.attendee_name}"
        for ticket in Ticket.objects.filter(order__event=event).select_related("order")
    }

    def plain(text: str) -> str:
        for code, name in names.items():
            text = text.replace(code, name)
        return text

    def data(entry) -> dict:
        values = dict(entry.data)
        if "code" in values:
            values["code"] = names[values["code"]]
        if "order" in values:
            values["order"] = names[values["order"]]
        if "ticket" in values:
            values["ticket"] = tickets[values["ticket"]]
        return values

    return {
        "orders": [
            (
                order.buyer.email if order.buyer else None,
                order.email,
                order.state,
                order.origin,
                order.total,
                order.voucher.code if order.voucher else None,
                order.idempotency_key,
                order.created_at,
                order.paid_at,
                order.expires_at,
                order.cancelled_at,
                order.version,
                [
                    (
                        ticket.ticket_type.name,
                        ticket.attendee_name,
                        ticket.attendee_email,
                        ticket.attendee_company,
                        ticket.price,
                        len(ticket.secret),
                        ticket.created_at,
                        sorted((answer.question.label, answer.value) for answer in ticket.answers.all()),
                    )
                    for ticket in order.tickets.select_related("ticket_type").order_by("pk")
                ],
            )
            for order in placed
        ],
        "seats": sorted(TicketType.objects.filter(event=event).values_list("name", "seats_taken")),
        "vouchers": sorted(Voucher.objects.filter(event=event).values_list("code", "times_used")),
        "audit": sorted(
            (
                entry.timestamp,
                entry.action,
                entry.actor.email if entry.actor else None,
                entry.content_type.model,
                sorted(data(entry).items()),
            )
            for entry in AuditEntry.objects.filter(event_id=event.pk)
            .filter(action__regex=r"^(order|checkin)\.")
            .select_related("actor", "content_type")
        ),
        "mails": sorted(
            (mail.to, mail.template, plain(mail.subject), plain(mail.body), keys[mail.about], mail.status)
            for mail in OutboxMail.objects.filter(event=event)
        ),
        "check_ins": sorted(
            (
                tickets[entry.ticket_id],
                entry.desk,
                entry.scanned_at,
                entry.received_at,
                entry.by.email,
                entry.offline,
            )
            for entry in CheckIn.objects.filter(event=event).select_related("by")
        ),
        "scans": sorted(
            (
                scan.scanned_at,
                tickets.get(scan.ticket_id),
                scan.result,
                scan.desk,
                scan.received_at,
                scan.by.email,
                scan.offline,
                scan.conflict,
            )
            for scan in Scan.objects.filter(event=event).select_related("by")
        ),
    }


def test_bulk_writes_what_the_services_write(people, clock):
    by_services = _picture(_through_services(people, clock))

    event, results = _in_bulk(people, clock)
    in_bulk = _picture(event)

    assert in_bulk == by_services
    assert results == {
        ScanResult.OK: 2,
        ScanResult.ALREADY: 1,
        ScanResult.CANCELLED: 1,
        ScanResult.UNPAID: 1,
        ScanResult.UNKNOWN: 1,
        ScanResult.FORGED: 1,
    }
    shop.assert_seats_add_up(event)


def test_bulk_paid_mails_carry_the_pdf_tickets_the_services_attach(people, clock):
    service_event = _through_services(people, clock)
    bulk_event, _ = _in_bulk(people, clock)

    def attached(event) -> list[list[str]]:
        """The attendees of each paid order's mail, once its files are checked: a PDF of each of the
        order's tickets, named for it."""
        rows = []
        for mail in OutboxMail.objects.filter(event=event, template="order_paid"):
            tickets = list(Ticket.objects.filter(order_id=about.parse(mail.about)[1]).order_by("pk"))
            assert [item["filename"] for item in mail.attachments] == [pdf_filename(t) for t in tickets]
            assert {item["content_type"] for item in mail.attachments} == {"application/pdf"}
            assert all(attachment_content(item).startswith(b"%PDF-") for item in mail.attachments)
            rows.append(sorted(ticket.attendee_name for ticket in tickets))
        return sorted(rows)

    assert len(attached(bulk_event)) == 5
    assert attached(bulk_event) == attached(service_event)


def test_bulk_tickets_get_their_own_secrets_and_valid_codes(people, clock):
    event, _ = _in_bulk(people, clock)
    tickets = list(Ticket.objects.filter(order__event=event, order__state="paid").select_related("order"))

    assert (
        len({ticket.secret for ticket in Ticket.objects.filter(order__event=event)})
        == Ticket.objects.filter(order__event=event).count()
    )
    assert {read_token(event, token_for(ticket)).pk for ticket in tickets} == {
        ticket.pk for ticket in tickets
    }


def test_bulk_refuses_more_seats_than_the_quota(people, clock):
    event, types, _, _, _ = _event(people)
    buyer = people["buyers"][0]
    line = orders.Line(types["standard"], "Ana Costa", "ana@example.org", price=Decimal("100.00"))
    sales = [Sale(buyer=buyer, lines=[line] * 11, placed_at=START)]

    with pytest.raises(ValueError, match="quota"):
        write_sales(event=event, sales=sales)


def test_bulk_scan_of_a_checked_in_ticket_answers_already_through_the_service(people, clock):
    event, _ = _in_bulk(people, clock)
    ticket = CheckIn.objects.get(event=event, desk="Desk 1").ticket
    desk = CheckIn.objects.get(event=event, desk="Desk 1").by

    outcome = checkin_services.check_in(event=event, code=token_for(ticket), desk="Desk 4", by=desk)

    assert outcome.kind == ScanResult.ALREADY
    assert outcome.message.endswith("at Desk 1")
    assert re.search(r"Already checked in at (\d+ \w+ )?\d\d:\d\d", outcome.message)
