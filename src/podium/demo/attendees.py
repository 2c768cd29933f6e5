"""The demo conference's registration: tickets on sale, about 1,000 attendees, the speakers' tickets and
their check-in at three desks on the conference days.

Registration is set up through the services: its settings, ticket types, questions and vouchers, and
the team of check-in volunteers. The sales and the scans are planned here, from the demo's seeded
random stream, and written by podium.demo.bulk as the services would have written them.

Every step is dated. Tickets are sold over the eight weeks up to the morning before the demo is built,
so every order is in the past. The speakers get their tickets as `registration.speaker_tickets` gives
them, when their proposals are confirmed (while the demo is built). The check-ins are the conference's
own, at its desks on its days (in its time zone), so they lie ahead like the conference, which is
weeks away: most attendees come on the first day, some on the second or third, from when the doors
open to the end of the morning, most of them before the keynote; the speakers come on the day of
their first session, before it.
"""

import datetime as dt
import random
import unicodedata
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from podium.checkin.models import CheckIn, ScanResult
from podium.demo import program, words
from podium.demo.bulk import CANCELLED, EXPIRED, REFUNDED, Sale, Scanned, write_sales, write_scans
from podium.demo.shape import DOMAIN
from podium.events import services as event_services
from podium.events.models import Event
from podium.proposals.models import ProposalSpeaker
from podium.registration import orders, setup, speaker_tickets
from podium.registration import services as registration_services
from podium.registration.answers import clean_answers, clean_attendee, event_questions, one_line
from podium.registration.enums import DiscountKind, Group, OrderOrigin, OrderState, QuestionKind, Visibility
from podium.registration.models import Order, Ticket, TicketType
from podium.schedule.models import SlotKind
from podium.schedule.queries import latest_release

# The ticket types: name, price (USD), quota, visibility, group, description.
TICKET_TYPES = (
    (
        "Corporate",
        "750.00",
        350,
        Visibility.PUBLIC,
        "",
        "Your employer pays: thank you for supporting PyCon.",
    ),
    ("Individual", "400.00", 700, Visibility.PUBLIC, "", "You pay for yourself."),
    ("Student", "125.00", 150, Visibility.PUBLIC, "", "Bring your student card to the registration desk."),
    ("Speaker", "0.00", None, Visibility.GROUP, Group.SPEAKERS, "For the speakers of confirmed sessions."),
    ("Financial aid", "0.00", 40, Visibility.VOUCHER, "", "With the voucher in your financial aid letter."),
)
AID_VOUCHER = "FINANCIAL-AID"
MEMBER_VOUCHER = "PSF-MEMBER"
# Orders of each kind, and the tickets of a corporate order.
ORDERS = {"Individual": 560, "Student": 130, "Corporate": 70, "Financial aid": 30}
CORPORATE_TICKETS = (2, 6)
MEMBER_SHARE = 0.09  # of the individual orders, placed with the PSF members' voucher
# What became of some of the paid-for orders; all the others are paid.
PENDING = "pending"
FATES = {PENDING: 22, CANCELLED: 6, EXPIRED: 6, REFUNDED: 7}
SALES_DAYS = 56
# Check-in, each day of the conference: the desks open at 07:30 and the morning ends at 12:30 (local
# time); the keynote is at 09:00 (podium.demo.program.KEYNOTE_AT).
DESKS = ("Desk 1", "Desk 2", "Desk 3")
DESK_WEIGHTS = (4, 3, 3)
DOORS_OPEN, MORNING_ENDS = dt.time(7, 30), dt.time(12, 30)
ARRIVAL_PEAK, ARRIVAL_SPREAD_MINUTES = dt.time(8, 40), 28
ARRIVAL_DAY_WEIGHTS = (14, 4, 2)  # the first day, the second, the third (and any later one)
LATE_SHARE = 0.2  # arrive any time after the keynote started
CHECKED_IN_SHARE = 0.62
SPEAKER_CHECKED_IN_SHARE = 0.9
SPEAKER_EARLY_MINUTES = 20  # a speaker is at the desk at least this long before their first session
DUPLICATE_SHARE = 0.03  # scanned a second time, at another desk
VOLUNTEERS = len(DESKS)  # one at each desk
VOLUNTEER_EMAIL = f"volunteer1@{DOMAIN}"


def volunteer_email(number: int) -> str:
    return f"volunteer{number}@{DOMAIN}"


def buyer_email(number: int) -> str:
    """Ticket buyers beyond podium.demo.program's attendees (who have accounts to star talks)."""
    return f"buyer{number}@{DOMAIN}"


@dataclass(frozen=True)
class RegistrationSummary:
    orders: int
    tickets: int  # of paid orders
    speaker_tickets: int
    checked_in: int
    desks: int


# --- The demo's registration -----------------------------------------------------------------------


def build_attendees(*, event: Event, admin, seed: int) -> None:
    """Registration for `event` (after its program: the speakers are confirmed and the schedule is
    released), acting as `admin`: set up, sold, the speakers' tickets given, the attendees and speakers
    checked in on the conference days; its own random stream from `seed`, new accounts with the admin's
    password.

    Side effects: as the set-up services (audit entries), and as `write_sales` and `write_scans`.
    """
    rng, password_hash = random.Random(seed), admin.password
    now = timezone.now()
    # The sales history ends the morning before the demo is built: every order is in the past.
    sold_until = dt.datetime.combine(
        now.astimezone(event.tz).date() - dt.timedelta(days=1), DOORS_OPEN, event.tz
    )
    types, vouchers = _set_up(event, admin, sold_until)
    volunteers = _volunteers(event, admin, rng, password_hash)
    sales = _Sales(event, admin, rng, types, vouchers, sold_until).plan(password_hash)
    write_sales(event=event, sales=sales)
    speakers = [
        Sale(
            buyer=user,
            lines=[
                orders.Line(
                    ticket_type=types["Speaker"],
                    name=one_line(user.name or user.email)[:200],
                    email=user.email.lower(),
                    price=Decimal(0),
                )
            ],
            placed_at=now,
            origin=OrderOrigin.SPEAKER,
        )
        for user in speaker_tickets.missing_speaker_tickets(event)
    ]
    write_sales(event=event, sales=speakers)
    doors = _Doors(event, rng, volunteers)
    write_scans(event=event, scans=doors.scans(sales) + doors.speaker_scans(speakers, _first_sessions(event)))


def summarise(event: Event) -> RegistrationSummary:
    """What the event's registration holds (read once the whole demo is built)."""
    paid = Ticket.objects.filter(order__event=event, order__state=OrderState.PAID)
    check_ins = CheckIn.objects.filter(event=event)
    return RegistrationSummary(
        orders=Order.objects.filter(event=event).count(),
        tickets=paid.count(),
        speaker_tickets=paid.filter(order__origin=OrderOrigin.SPEAKER).count(),
        checked_in=check_ins.count(),
        desks=check_ins.order_by().values("desk").distinct().count(),
    )


def _set_up(event: Event, admin, sold_until: dt.datetime) -> tuple[dict, dict]:
    """Registration open, the ticket types, questions and vouchers, through the set-up services."""
    opened = sold_until - dt.timedelta(days=SALES_DAYS)
    starts = dt.datetime.combine(event.date_from, dt.time(0), event.tz)
    registration_services.save_registration_settings(
        event=event,
        by=admin,
        values={
            "is_open": True,
            "currency": "USD",
            "name_change_until": starts - dt.timedelta(days=2),
            "cancellation_until": starts - dt.timedelta(days=14),
        },
    )
    types = {}
    for position, (name, price, quota, visibility, group, description) in enumerate(TICKET_TYPES):
        types[name] = setup.save_ticket_type(
            event=event,
            by=admin,
            data={
                "name": name,
                "description": description,
                "price": Decimal(price),
                "quota": quota,
                "visibility": visibility,
                "group": group,
                "position": position,
                "sale_start": opened if visibility == Visibility.PUBLIC else None,
                "sale_end": starts if visibility == Visibility.PUBLIC else None,
            },
        )
    questions = (
        ("T-shirt size", "", QuestionKind.CHOICE, words.T_SHIRT_SIZES, True),
        (
            "Dietary needs",
            "Vegetarian, vegan, allergies: the caterers read this.",
            QuestionKind.TEXT,
            [],
            False,
        ),
        (
            "Accessibility needs",
            "Anything that helps you take part: seating, captions, a quiet room.",
            QuestionKind.TEXT,
            [],
            False,
        ),
        ("Is this your first PyCon?", "", QuestionKind.BOOLEAN, [], False),
    )
    for position, (label, help_text, kind, choices, required) in enumerate(questions):
        setup.save_question(
            event=event,
            by=admin,
            data={
                "label": label,
                "help_text": help_text,
                "kind": kind,
                "choices": list(choices),
                "required": required,
                "position": position,
            },
        )
    vouchers = {
        AID_VOUCHER: setup.save_voucher(
            event=event,
            by=admin,
            data={
                "code": AID_VOUCHER,
                "max_usages": types["Financial aid"].quota,
                "ticket_type": types["Financial aid"],
                "comment": "Sent with every financial aid grant letter.",
            },
        ),
        MEMBER_VOUCHER: setup.save_voucher(
            event=event,
            by=admin,
            data={
                "code": MEMBER_VOUCHER,
                "max_usages": 100,
                "ticket_type": types["Individual"],
                "discount_kind": DiscountKind.PERCENT,
                "discount_value": Decimal(10),
                "comment": "For PSF supporting members: 10 % off an individual ticket.",
            },
        ),
    }
    return types, vouchers


def _name(rng: random.Random) -> str:
    return f"{rng.choice(words.ATTENDEE_FIRST_NAMES)} {rng.choice(words.ATTENDEE_LAST_NAMES)}"


def _volunteers(event: Event, admin, rng: random.Random, password_hash: str) -> list:
    """The volunteers at the desks: a team that may only check people in, at this event only."""
    user_model = get_user_model()
    emails = [volunteer_email(number) for number in range(1, VOLUNTEERS + 1)]
    user_model.objects.bulk_create(
        [user_model(email=email, name=_name(rng), password=password_hash) for email in emails]
    )
    by_email = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    team = event_services.save_team(
        organiser=event.organiser,
        by=admin,
        data={"name": "Check-in volunteers", "can_check_in": True, "all_events": False},
        events=[event],
    )
    volunteers = [by_email[email] for email in emails]
    team.members.add(*volunteers)
    return volunteers


def _ascii(text: str) -> str:
    """A name as the local part of an address: "Siobhán O'Brien" → "siobhan-obrien"."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("ø", "o").replace("æ", "ae"))
    letters = "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch in " -"))
    return "-".join(letters.split())


class _Sales:
    """Who buys what, when, and what becomes of each order."""

    def __init__(self, event, admin, rng, types, vouchers, sold_until):
        self.event, self.admin, self.rng = event, admin, rng
        self.types, self.vouchers, self.sold_until = types, vouchers, sold_until
        self.questions = event_questions(event)
        self.opened = sold_until - dt.timedelta(days=SALES_DAYS)

    def moment(self, earliest: dt.datetime, latest: dt.datetime) -> dt.datetime:
        seconds = self.rng.uniform(0, (latest - earliest).total_seconds())
        return (earliest + dt.timedelta(seconds=seconds)).replace(microsecond=0)

    def placed(self) -> dt.datetime:
        """When a sold order was placed: a rush in the first week (early bird), steady sales, and a rush in
        the last ten days."""
        last = self.sold_until - dt.timedelta(hours=6)
        kind = self.rng.random()
        if kind < 0.25:
            return self.moment(self.opened, self.opened + dt.timedelta(days=7))
        if kind < 0.75:
            return self.moment(self.opened, last)
        return self.moment(last - dt.timedelta(days=10), last)

    def answers(self, ticket_type: TicketType) -> dict:
        rng = self.rng
        given = {}
        for question in self.questions:
            if question.label == "T-shirt size":
                given[question.pk] = rng.choices(words.T_SHIRT_SIZES, weights=words.T_SHIRT_WEIGHTS)[0]
            elif question.label == "Dietary needs" and rng.random() < 0.25:
                given[question.pk] = rng.choice(words.DIETS)
            elif question.label == "Accessibility needs" and rng.random() < 0.04:
                given[question.pk] = rng.choice(words.ACCESSIBILITY_NEEDS)
            elif question.kind == QuestionKind.BOOLEAN:
                given[question.pk] = rng.random() < 0.35
        return clean_answers(self.questions, ticket_type, given)

    def line(self, ticket_type: TicketType, name: str, email: str, company: str, voucher) -> orders.Line:
        name, email = clean_attendee(name, email)
        return orders.Line(
            ticket_type=ticket_type,
            name=name,
            email=email,
            company=one_line(company)[:200],
            price=orders.discounted(ticket_type.price, voucher, ticket_type),
            answers=self.answers(ticket_type),
        )

    def plan(self, password_hash: str) -> list[Sale]:
        rng = self.rng
        kinds = [kind for kind, count in ORDERS.items() for _ in range(count)]
        rng.shuffle(kinds)
        first = kinds.index("Individual")  # attendee1, the demo's log-in, holds an individual ticket
        kinds[0], kinds[first] = kinds[first], kinds[0]
        buyers = self.buyers(len(kinds), password_hash)
        priced = [index for index, kind in enumerate(kinds) if kind != "Financial aid" and index]
        chosen = rng.sample(priced, sum(FATES.values()))
        fates, start = {}, 0
        for fate, count in FATES.items():
            fates.update(dict.fromkeys(chosen[start : start + count], fate))
            start += count
        return [self.sale(kind, buyers[index], fates.get(index, "")) for index, kind in enumerate(kinds)]

    def buyers(self, count: int, password_hash: str) -> list:
        """An account per order: the attendees who star talks (podium.demo.program) first, then new ones."""
        user_model = get_user_model()
        starring = [program.attendee_email(number) for number in range(1, program.ATTENDEE_COUNT + 1)]
        new = [buyer_email(number) for number in range(1, count - len(starring) + 1)]
        user_model.objects.bulk_create(
            [user_model(email=email, name=_name(self.rng), password=password_hash) for email in new]
        )
        by_email = {user.email: user for user in user_model.objects.filter(email__in=starring + new)}
        return [by_email[email] for email in (starring + new)[:count]]

    def sale(self, kind: str, buyer, fate: str) -> Sale:
        rng, ticket_type = self.rng, self.types[kind]
        voucher = None
        if kind == "Financial aid":
            voucher = self.vouchers[AID_VOUCHER]
        elif kind == "Individual" and rng.random() < MEMBER_SHARE:
            voucher = self.vouchers[MEMBER_VOUCHER]
        if kind == "Corporate":
            company = rng.choice(words.COMPANIES[:20])
        elif kind == "Student":
            company = rng.choice(words.SCHOOLS)
        else:
            company = rng.choice(words.COMPANIES[:20]) if rng.random() < 0.6 else ""
        lines = [self.line(ticket_type, buyer.name, buyer.email, company, voucher)]
        if kind == "Corporate":
            domain = _ascii(company) + ".example"
            for _ in range(rng.randint(*CORPORATE_TICKETS) - 1):
                name = _name(rng)
                first, *_, last = name.split()
                lines.append(
                    self.line(ticket_type, name, f"{_ascii(first)}.{_ascii(last)}@{domain}", company, voucher)
                )
        sale = Sale(
            buyer=buyer,
            lines=lines,
            placed_at=self.placed(),
            voucher=voucher,
            idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        )
        self.fate(sale, fate)
        return sale

    def fate(self, sale: Sale, fate: str) -> None:
        """Paid (free orders at once), or what else became of the order, at plausible moments."""
        hour = dt.timedelta(hours=1)
        if sale.free:
            return
        last = self.sold_until - dt.timedelta(hours=1)
        if fate == PENDING:  # placed in the last day or so: still within the payment deadline
            sale.placed_at = self.moment(self.sold_until - 30 * hour, last)
        elif fate == EXPIRED:
            sale.placed_at = self.moment(self.opened, self.sold_until - 4 * 24 * hour)
            sale.ended, sale.ended_at = EXPIRED, sale.placed_at + 72 * hour + self.moment_offset(1, 10)
        elif fate == CANCELLED:
            sale.ended, sale.ended_by = CANCELLED, sale.buyer
            sale.ended_at = min(sale.placed_at + self.moment_offset(10, 48 * 60), last)
        else:
            if fate == REFUNDED:
                sale.placed_at = self.moment(self.opened, self.sold_until - 15 * 24 * hour)
            sale.paid_by = self.admin
            sale.paid_at = min(sale.placed_at + self.moment_offset(10, 60 * 60), last)
            if fate == REFUNDED:
                sale.ended, sale.ended_by = REFUNDED, self.admin
                sale.ended_at = min(sale.paid_at + self.moment_offset(2 * 24 * 60, 10 * 24 * 60), last)

    def moment_offset(self, least_minutes: float, most_minutes: float) -> dt.timedelta:
        return dt.timedelta(seconds=round(self.rng.uniform(least_minutes, most_minutes) * 60))


def _first_sessions(event: Event) -> dict[int, dt.datetime]:
    """{user id: when their first session starts} for the speakers of the sessions on the latest release."""
    release = latest_release(event)
    if release is None:
        return {}
    starts = dict(
        release.sessions.filter(kind=SlotKind.SESSION, start__isnull=False).values_list("code", "start")
    )
    first: dict[int, dt.datetime] = {}
    links = ProposalSpeaker.objects.filter(proposal__event=event, proposal__code__in=starts)
    for user_id, code in links.values_list("user_id", "proposal__code"):
        first[user_id] = min(first.get(user_id, starts[code]), starts[code])
    return first


class _Doors:
    """The check-in desks on the conference days (in the event's time zone): most holders of paid
    tickets arrive on the first morning, before the keynote, some later or on another day, colleagues
    together; the speakers come on the day of their first session, before it. A few codes are scanned
    twice (at another desk), and a few admit nobody. Volunteer n works at desk n."""

    def __init__(self, event: Event, rng: random.Random, volunteers: list):
        self.rng, self.volunteers, self.tz = rng, volunteers, event.tz
        self.days = event.days
        self.day_weights = [
            ARRIVAL_DAY_WEIGHTS[min(index, len(ARRIVAL_DAY_WEIGHTS) - 1)] for index in range(len(self.days))
        ]

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, self.tz)

    def during(self, day: dt.date, moment: dt.datetime) -> dt.datetime:
        """`moment` kept within the morning of `day`, from the doors' opening to its last minute."""
        last = self._at(day, MORNING_ENDS) - dt.timedelta(minutes=1)
        return min(max(moment, self._at(day, DOORS_OPEN)), last).replace(microsecond=0)

    def day(self) -> dt.date:
        return self.rng.choices(self.days, weights=self.day_weights)[0]

    def arrival(self, day: dt.date | None = None) -> dt.datetime:
        rng, day = self.rng, day or self.day()
        if rng.random() < LATE_SHARE:
            keynote = self._at(day, dt.time(*program.KEYNOTE_AT))
            last = self._at(day, MORNING_ENDS)
            return self.during(
                day, keynote + dt.timedelta(seconds=rng.uniform(0, (last - keynote).total_seconds()))
            )
        peak = self._at(day, ARRIVAL_PEAK)
        return self.during(day, peak + dt.timedelta(minutes=rng.gauss(0, ARRIVAL_SPREAD_MINUTES)))

    def scan(self, moment: dt.datetime, ticket, desk: int | None = None, **refusal) -> Scanned:
        if desk is None:
            desk = self.rng.choices(range(len(DESKS)), weights=DESK_WEIGHTS)[0]
        return Scanned(at=moment, desk=DESKS[desk], by=self.volunteers[desk], ticket=ticket, **refusal)

    def admit(self, moment: dt.datetime, ticket) -> list[Scanned]:
        """A ticket's scan, and now and then a second one at another desk a little later that day."""
        first = self.scan(moment, ticket)
        if self.rng.random() >= DUPLICATE_SHARE:
            return [first]
        again = self.during(
            moment.astimezone(self.tz).date(), moment + dt.timedelta(seconds=self.rng.randint(60, 25 * 60))
        )
        other = self.rng.choice([n for n, name in enumerate(DESKS) if name != first.desk])
        return [first, self.scan(max(again, moment + dt.timedelta(seconds=1)), ticket, desk=other)]

    def scans(self, sales: list[Sale]) -> list[Scanned]:
        """The attendees' scans (of the sold tickets), and the codes that admit nobody."""
        rng, scans = self.rng, []
        for sale in sales:
            if sale.state != OrderState.PAID:
                continue
            together = self.arrival()
            for ticket in sale.tickets:
                if rng.random() >= CHECKED_IN_SHARE:
                    continue
                if len(sale.tickets) > 1:
                    day = together.astimezone(self.tz).date()
                    moment = self.during(day, together + dt.timedelta(seconds=rng.randint(0, 240)))
                else:
                    moment = self.arrival()
                scans += self.admit(moment, ticket)
        # Two refunded tickets and two of unpaid orders, a typed order code that does not exist, a damaged code.
        for state in (OrderState.REFUNDED, OrderState.PENDING):
            for sale in rng.sample([sale for sale in sales if sale.state == state], 2):
                scans.append(self.scan(self.arrival(), sale.tickets[0]))
        scans += [
            self.scan(self.arrival(), None, refusal=refusal)
            for refusal in (ScanResult.UNKNOWN, ScanResult.FORGED)
        ]
        return scans

    def speaker_scans(self, sales: list[Sale], first_sessions: dict[int, dt.datetime]) -> list[Scanned]:
        """The speakers' scans: on the day of their first session, before it (a speaker whose sessions
        are not on the program comes as an attendee does)."""
        scans = []
        for sale in sales:
            if self.rng.random() >= SPEAKER_CHECKED_IN_SHARE:
                continue
            session = first_sessions.get(sale.buyer.pk)
            if session is None:
                moment = self.arrival()
            else:
                day = session.astimezone(self.tz).date()
                doors = self._at(day, DOORS_OPEN)
                latest = self.during(day, session - dt.timedelta(minutes=SPEAKER_EARLY_MINUTES))
                moment = self.during(
                    day,
                    doors
                    + dt.timedelta(seconds=self.rng.uniform(0, max((latest - doors).total_seconds(), 0))),
                )
            for ticket in sale.tickets:
                scans += self.admit(moment, ticket)
        return scans
