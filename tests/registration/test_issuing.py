"""Tickets issued by hand and the attendee list import: every row checked first, nothing created when
any row is wrong, the quota always applies."""

import pytest

from podium.base.errors import NotAllowed, ServiceError
from podium.mail.models import OutboxMail
from podium.registration import issuing
from podium.registration.enums import OrderOrigin, OrderState, QuestionKind, Visibility
from podium.registration.issuing import ImportRefused, import_attendees_csv, issue_tickets
from podium.registration.models import Answer, Order, Ticket, TicketType
from podium.registration.seats import SoldOut
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db

GOOD = """name,email,ticket type,company,T-shirt
Siobhán O'Brien,siobhan@example.org,Standard,"Q&A ""panic"" Ltd",M
Zoë D'Arcy,ZOE@example.org,standard,,S
"""


@pytest.fixture
def shirt(event):
    return shop.question(event, "T-shirt", kind=QuestionKind.CHOICE, choices=["S", "M", "L"])


def _count() -> tuple[int, int, int]:
    return Order.objects.count(), Ticket.objects.count(), OutboxMail.objects.count()


def test_import_creates_a_paid_order_per_row_with_answers(event, standard, organiser, shirt):
    existing = factories.UserFactory(email="zoe@example.org")

    orders = import_attendees_csv(event=event, data=GOOD.encode("utf-8"), by=organiser)

    assert [(o.state, o.origin, o.total, o.email) for o in orders] == [
        (OrderState.PAID, OrderOrigin.ISSUED, 0, "siobhan@example.org"),
        (OrderState.PAID, OrderOrigin.ISSUED, 0, "zoe@example.org"),
    ]
    assert [o.buyer for o in orders] == [None, existing]
    first = orders[0].tickets.get()
    assert (first.attendee_name, first.attendee_company) == ("Siobhán O'Brien", 'Q&A "panic" Ltd')
    assert list(Answer.objects.order_by("ticket_id").values_list("value", flat=True)) == ["M", "S"]
    assert OutboxMail.objects.filter(template="order_paid").count() == 2
    assert TicketType.objects.get(pk=standard.pk).seats_taken == 2
    shop.assert_seats_add_up(event)


def test_a_bad_row_in_the_middle_creates_nothing(event, standard, organiser, shirt):
    data = (
        "Name,E-mail,Ticket type,T-shirt\n"
        "Ann,ann@example.org,Standard,M\n"
        "Bob,not-an-address,Standard,M\n"
        "Cy,cy@example.org,Gold,M\n"
        "Di,di@example.org,Standard,XXL\n"
        ",eve@example.org,Standard,\n"
        "Fay,fay@example.org,Standard,S\n"
    )

    with pytest.raises(ImportRefused) as caught:
        import_attendees_csv(event=event, data=data, by=organiser)

    assert caught.value.problems == [
        "Row 3: “not-an-address” is not an e-mail address.",
        "Row 4: there is no ticket type “Gold”.",
        "Row 5: “T-shirt”: choose one of S, M, L.",
        "Row 6: enter the attendee's name.",
    ]
    assert caught.value.message.startswith("The file has 4 problems; nothing was imported.")
    assert _count() == (0, 0, 0)
    assert TicketType.objects.get(pk=standard.pk).seats_taken == 0


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("name,email\nAnn,ann@example.org\n", "Row 1: the column ticket type is missing."),
        (
            "name,email,ticket type,Shoe size\nAnn,a@example.org,Standard,42\n",
            "Row 1: no question is called “shoe size”.",
        ),
        (
            "name,email,ticket type,name\nAnn,a@example.org,Standard,Ann\n",
            "Row 1: the column name appears more than once.",
        ),
        ("", "The file is empty."),
        ("name,email,ticket type\n\n\n", "The file has no attendees."),
        ("name,email,ticket type\nAnn,a@example.org,Standard,extra\n", "Row 2: more cells than columns."),
    ],
)
def test_files_that_do_not_fit_are_refused_whole(event, standard, organiser, data, problem):
    with pytest.raises(ImportRefused) as caught:
        import_attendees_csv(event=event, data=data, by=organiser)

    assert caught.value.problems == [problem]
    assert _count() == (0, 0, 0)


def test_a_file_that_is_not_utf8_is_refused(event, standard, organiser):
    with pytest.raises(ServiceError, match="not UTF-8"):
        import_attendees_csv(
            event=event,
            data="name,email,ticket type\nZoë,z@example.org,Standard\n".encode("latin-1"),
            by=organiser,
        )


def test_semicolons_and_a_byte_order_mark_are_read(event, standard, organiser):
    data = "\ufeffname;email;ticket type\nAnn;ann@example.org;Standard\n".encode()

    orders = import_attendees_csv(event=event, data=data, by=organiser)

    assert [o.tickets.get().attendee_name for o in orders] == ["Ann"]


def test_lines_ending_with_carriage_returns_alone_are_read(event, standard, organiser):
    """A spreadsheet saved as "CSV (Macintosh)": the file was refused as unreadable CSV."""
    data = b"name,email,ticket type\rAnn,ann@example.org,Standard\rBob,bob@example.org,Standard\r"

    orders = import_attendees_csv(event=event, data=data, by=organiser)

    assert [o.tickets.get().attendee_name for o in orders] == ["Ann", "Bob"]


def test_more_rows_than_seats_creates_nothing(event, registration, organiser):
    shop.ticket_type(event, "Standard", quota=1)
    data = "name,email,ticket type\nAnn,a@example.org,Standard\nBob,b@example.org,Standard\n"

    with pytest.raises(ImportRefused, match="Only 1 “Standard” ticket left; you asked for 2"):
        import_attendees_csv(event=event, data=data, by=organiser)
    assert _count() == (0, 0, 0)


def test_import_is_for_organisers(event, standard):
    with pytest.raises(NotAllowed):
        import_attendees_csv(event=event, data=GOOD, by=factories.team_member(event, can_check_in=True))


def test_issue_tickets_ignores_sale_window_and_visibility_not_the_quota(event, registration, organiser):
    volunteers = shop.ticket_type(
        event, "Volunteer", visibility=Visibility.GROUP, group="volunteers", quota=2, active=False
    )

    orders = issue_tickets(
        event=event,
        ticket_type=volunteers,
        people=[("Ann", "ann@example.org"), {"name": "Bob", "email": "bob@example.org", "company": "Crew"}],
        by=organiser,
        send_mail=False,
    )

    assert [(o.state, o.tickets.get().attendee_name) for o in orders] == [
        (OrderState.PAID, "Ann"),
        (OrderState.PAID, "Bob"),
    ]
    assert OutboxMail.objects.count() == 0
    with pytest.raises(SoldOut):
        issue_tickets(event=event, ticket_type=volunteers, people=[("Cy", "cy@example.org")], by=organiser)
    shop.assert_seats_add_up(event)


def test_issue_tickets_refuses_bad_people_and_other_events_types(event, standard, organiser):
    other = shop.ticket_type(factories.EventFactory(), "Standard")

    with pytest.raises(ServiceError, match="Person 2: enter the attendee's e-mail address"):
        issue_tickets(
            event=event, ticket_type=standard, people=[("Ann", "a@example.org"), ("Bob", "")], by=organiser
        )
    with pytest.raises(ServiceError, match="ticket type of this event"):
        issue_tickets(event=event, ticket_type=other, people=[("Ann", "a@example.org")], by=organiser)
    with pytest.raises(NotAllowed):
        issue_tickets(
            event=event, ticket_type=standard, people=[("Ann", "a@example.org")], by=factories.UserFactory()
        )
    assert _count() == (0, 0, 0)


def test_one_audit_entry_per_import(event, standard, organiser):
    from podium.base.models import AuditEntry

    issuing.import_attendees_csv(
        event=event,
        data=GOOD.replace(",T-shirt", "").replace(",M\n", "\n").replace(",S\n", "\n"),
        by=organiser,
    )

    assert AuditEntry.objects.get(action="order.imported").data == {"orders": 2}
