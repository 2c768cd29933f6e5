"""Checking people in: valid, already in (when and where), refused codes and tickets, permissions per
event, the offline queue with its conflicts, the audit log and the webhook."""

import datetime as dt
import json

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.base.errors import NotAllowed, ServiceError
from podium.base.models import AuditEntry
from podium.checkin.models import CheckIn, Scan
from podium.checkin.services import check_in, sync_scans
from podium.registration import services as registration
from podium.registration.enums import OrderState
from podium.registration.models import Order
from podium.registration.tickets import SALT, token_for
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.checkin.conftest import sell
from tests.registration import shop

pytestmark = pytest.mark.django_db


def _local(event, hour, minute=0):
    now = timezone.now().astimezone(event.tz)
    return now.replace(hour=hour, minute=minute, second=0, microsecond=0) - dt.timedelta(days=1)


def test_a_valid_code_checks_in_once_with_the_attendee_and_type(event, siobhan, door):
    outcome = check_in(event=event, code=token_for(siobhan), desk="  Desk   2 ", by=door)

    assert (outcome.kind, outcome.message) == (
        "ok",
        "Checked in: Siobhán O'Brien \N{EM DASH} Full conference",
    )
    assert outcome.admitted
    stored = CheckIn.objects.get()
    assert (stored.ticket, stored.event, stored.desk, stored.by, stored.offline) == (
        siobhan,
        event,
        "Desk 2",
        door,
        False,
    )
    assert list(Scan.objects.values_list("result", "desk", "ticket")) == [("ok", "Desk 2", siobhan.pk)]


def test_a_second_scan_on_another_desk_says_when_and_where(event, siobhan, door):
    first = check_in(event=event, code=token_for(siobhan), desk="Desk 1", by=door)
    second = check_in(event=event, code=token_for(siobhan), desk="Desk 2", by=door)

    local = first.check_in.scanned_at.astimezone(event.tz)
    assert (second.kind, second.message) == ("already", f"Already checked in at {local:%H:%M} at Desk 1")
    assert CheckIn.objects.count() == 1
    assert list(Scan.objects.order_by("pk").values_list("result", flat=True)) == ["ok", "already"]


def test_the_search_checks_in_by_order_code_and_ticket(event, full, buyer, organiser, door):
    order = sell(event, full, buyer, organiser, "Ana", "Bea")
    _ana, bea = order.tickets.order_by("pk")

    outcome = check_in(event=event, code=order.code.lower(), ticket=bea.pk, desk="Desk 1", by=door)
    alone = check_in(event=event, code=order.code, desk="Desk 1", by=door)

    assert (outcome.kind, outcome.ticket) == ("ok", bea)
    assert (alone.kind, alone.message) == (
        "unknown",
        f"Order {order.code} has 2 tickets: search for the attendee's name to choose one.",
    )
    assert list(CheckIn.objects.values_list("ticket", flat=True)) == [bea.pk]


def test_an_order_code_of_one_ticket_checks_it_in(event, siobhan, door):
    assert check_in(event=event, code=siobhan.order.code, desk="", by=door).ticket == siobhan


def test_a_ticket_of_another_order_or_event_is_not_found_by_the_search(event, siobhan, door):
    other_event = factories.EventFactory()
    shop.open_registration(other_event)
    other_type = shop.ticket_type(other_event, "Other", price="0")
    other = shop.buy(other_event, factories.UserFactory(), other_type).tickets.get()

    by_other_id = check_in(event=event, code=siobhan.order.code, ticket=other.pk, desk="", by=door)
    by_other_order = check_in(event=event, code=other.order.code, ticket=other.pk, desk="", by=door)

    assert [by_other_id.kind, by_other_order.kind] == ["unknown", "unknown"]
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "kind", "message"),
    [
        ("cancel", "cancelled", "Cancelled ticket (the order was cancelled)"),
        ("refund", "cancelled", "Cancelled ticket (the order was refunded)"),
        ("pending", "unpaid", "Not paid (the order is still pending)"),
    ],
)
def test_cancelled_refunded_and_unpaid_tickets_are_refused_with_the_reason(
    event, full, buyer, organiser, door, change, kind, message
):
    order = sell(event, full, buyer, organiser, "Róisín Dubh", paid=change != "pending")
    if change == "cancel":
        registration.cancel_order(order=order, by=organiser)
    elif change == "refund":
        registration.refund_order(order=order, by=organiser)
    ticket = order.tickets.get()

    by_code = check_in(event=event, code=token_for(ticket), desk="Desk 1", by=door)
    by_search = check_in(event=event, code=order.code, ticket=ticket.pk, desk="Desk 1", by=door)

    assert [(o.kind, o.message, o.ticket) for o in (by_code, by_search)] == [(kind, message, ticket)] * 2
    assert CheckIn.objects.count() == 0
    assert list(Scan.objects.values_list("result", flat=True)) == [kind, kind]


def test_forged_altered_and_other_events_codes_are_refused(event, siobhan, door):
    token = token_for(siobhan)
    other_event = factories.EventFactory()
    forged = signing.dumps([event.pk, siobhan.pk, siobhan.secret], salt=SALT, key="not-the-site-key")
    altered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    wrong_secret = signing.dumps([event.pk, siobhan.pk, "x" * 32], salt=SALT, compress=True)

    outcomes = [
        check_in(event=event, code=forged, desk="", by=door),
        check_in(event=event, code=altered, desk="", by=door),
        check_in(
            event=other_event, code=token, desk="", by=factories.team_member(other_event, can_check_in=True)
        ),
        check_in(event=event, code=wrong_secret, desk="", by=door),
        check_in(event=event, code="hello", desk="", by=door),
        check_in(event=event, code="", desk="", by=door),
    ]

    assert [(o.kind, o.message) for o in outcomes] == [
        ("forged", "Forged or altered code"),
        ("forged", "Forged or altered code"),
        ("wrong_event", "Ticket of another event"),
        ("unknown", "Unknown code: this ticket was re-issued, ask for the newest one"),
        ("forged", "Forged or altered code"),
        ("unknown", "Unknown code"),
    ]
    assert CheckIn.objects.count() == 0


def test_the_old_code_of_a_reissued_ticket_is_refused(event, siobhan, door, organiser):
    old = token_for(siobhan)
    registration.change_attendee(ticket=siobhan, name="Someone Else", email="else@example.org", by=organiser)

    assert check_in(event=event, code=old, desk="", by=door).kind == "unknown"


def test_only_team_members_with_the_flag_for_this_event_check_in(event, siobhan):
    other_event = factories.EventFactory(organiser=event.organiser)
    elsewhere = factories.team_member(event, name="Other door", can_check_in=True, events=[other_event])
    reviewer = factories.team_member(event, name="Reviewers", can_review=True)
    stranger = factories.UserFactory()

    for user in (elsewhere, reviewer, stranger):
        with pytest.raises(NotAllowed):
            check_in(event=event, code=token_for(siobhan), desk="", by=user)
        with pytest.raises(NotAllowed):
            sync_scans(event=event, scans=[], by=user)
    assert (CheckIn.objects.count(), Scan.objects.count()) == (0, 0)


def test_a_check_in_is_audited_and_sent_to_webhooks_without_the_attendee(
    event, siobhan, door, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(event=event, url="https://hooks.example.org/in", kinds=["checkin.created"])

    outcome = check_in(event=event, code=token_for(siobhan), desk="Desk 3", by=door)

    entry = AuditEntry.objects.get(action="checkin.created")
    assert (entry.actor, entry.event_id, entry.data["desk"], entry.data["order"]) == (
        door,
        event.pk,
        "Desk 3",
        siobhan.order.code,
    )
    delivery = WebhookDelivery.objects.get(kind="checkin.created")
    body = json.loads(delivery.body)
    assert body["data"]["ticket"] == siobhan.pk
    assert body["data"]["ticket_type"] == "Full conference"
    assert body["data"]["desk"] == "Desk 3"
    assert "Siobh" not in delivery.body
    assert "attendee1@example.org" not in delivery.body
    assert outcome.check_in.pk == CheckIn.objects.get().pk


def test_a_refused_scan_is_logged_but_neither_audited_nor_sent(event, door):
    WebhookEndpoint.objects.create(event=event, url="https://hooks.example.org/in", kinds=["checkin.created"])

    check_in(event=event, code="not-a-ticket", desk="Desk 1", by=door)

    assert list(Scan.objects.values_list("result", flat=True)) == ["forged"]
    assert not AuditEntry.objects.filter(action__startswith="checkin").exists()
    assert not WebhookDelivery.objects.exists()


def test_a_scan_time_in_the_future_is_taken_as_now(event, siobhan, door):
    before = timezone.now()
    outcome = check_in(
        event=event, code=token_for(siobhan), desk="", by=door, scanned_at=before + dt.timedelta(hours=3)
    )

    assert before <= outcome.check_in.scanned_at <= timezone.now()


# --- The offline queue -------------------------------------------------------------------------------


def test_queued_scans_are_applied_in_order_and_marked_offline(event, full, buyer, organiser, door):
    ana, bea = sell(event, full, buyer, organiser, "Ana", "Bea").tickets.order_by("pk")
    nine = _local(event, 9)

    results = sync_scans(
        event=event,
        scans=[
            {"code": token_for(ana), "desk": "Desk 4", "scanned_at": nine.isoformat()},
            {
                "code": token_for(bea),
                "desk": "Desk 4",
                "scanned_at": (nine + dt.timedelta(minutes=1)).isoformat(),
            },
            {"code": "junk", "desk": "Desk 4", "scanned_at": nine.isoformat()},
        ],
        by=door,
    )

    assert [(r.kind, r.offline, r.conflict) for r in results] == [
        ("ok", True, False),
        ("ok", True, False),
        ("forged", False, False),
    ]
    assert sorted(CheckIn.objects.values_list("scanned_at", "desk", "offline")) == [
        (nine, "Desk 4", True),
        (nine + dt.timedelta(minutes=1), "Desk 4", True),
    ]
    assert all(entry.received_at > entry.scanned_at for entry in CheckIn.objects.all())


def test_the_earliest_scan_wins_and_the_sync_says_it_was_a_conflict(event, siobhan, door):
    online = check_in(event=event, code=token_for(siobhan), desk="Desk 1", by=door)
    earlier = online.check_in.scanned_at - dt.timedelta(minutes=7)
    later_local = online.check_in.scanned_at.astimezone(event.tz)

    [result] = sync_scans(
        event=event,
        scans=[{"code": token_for(siobhan), "desk": "Desk 3", "scanned_at": earlier.isoformat()}],
        by=door,
    )

    assert (result.kind, result.conflict, result.offline) == ("ok", True, True)
    assert result.message == (
        f"Checked in: Siobhán O'Brien \N{EM DASH} Full conference. Conflict: also checked in at Desk 1 at "
        f"{later_local:%H:%M}; this earlier scan counts."
    )
    stored = CheckIn.objects.get()
    assert (stored.scanned_at, stored.desk, stored.offline) == (earlier, "Desk 3", True)
    assert AuditEntry.objects.filter(action="checkin.moved_earlier").count() == 1
    assert Scan.objects.filter(conflict=True).count() == 1


def test_an_offline_scan_after_an_earlier_check_in_is_already_and_a_conflict(event, siobhan, door):
    online = check_in(event=event, code=token_for(siobhan), desk="Desk 1", by=door)

    [result] = sync_scans(
        event=event,
        scans=[{"code": token_for(siobhan), "desk": "Desk 3", "scanned_at": timezone.now().isoformat()}],
        by=door,
    )

    assert (result.kind, result.conflict) == ("already", True)
    assert CheckIn.objects.get().desk == "Desk 1"
    assert CheckIn.objects.get().scanned_at == online.check_in.scanned_at


def test_the_same_queue_sent_twice_counts_once(event, siobhan, door):
    queue = [{"code": token_for(siobhan), "desk": "Desk 2", "scanned_at": _local(event, 9).isoformat()}]

    first = sync_scans(event=event, scans=queue, by=door)
    again = sync_scans(event=event, scans=queue, by=door)

    assert [(r.kind, r.conflict) for r in first + again] == [("ok", False), ("ok", False)]
    assert CheckIn.objects.count() == 1
    assert Scan.objects.count() == 1


@pytest.mark.parametrize(
    "scans",
    [
        "not a list",
        ["not an object"],
        [{"code": 12, "desk": "Desk 1"}],
        [{"code": "x", "ticket": True}],
        [{"code": "x", "scanned_at": "yesterday"}],
        [{"code": "x", "scanned_at": "2025-06-14T09:00:00"}],  # no offset
    ],
)
def test_a_damaged_queue_is_refused_whole(event, siobhan, door, scans):
    with pytest.raises(ServiceError):
        sync_scans(event=event, scans=scans, by=door)

    assert Scan.objects.count() == 0


def test_a_queue_too_long_is_refused(event, door, monkeypatch):
    monkeypatch.setattr("podium.checkin.services.MAX_SYNC", 2)

    with pytest.raises(ServiceError, match="at most 2"):
        sync_scans(event=event, scans=[{"code": "x"}] * 3, by=door)


def test_the_code_is_read_before_the_write_transaction_opens(event, full, buyer, organiser, siobhan, door):
    """SQLite has one write lock: the scan reads the code's ticket before taking it, and holds it for
    one check that the ticket still admits and the writes (check-in, audit entry, webhooks, Scan)."""
    code = token_for(siobhan)
    other = sell(event, full, buyer, organiser, "Warm Up").tickets.get()
    check_in(event=event, code=token_for(other), desk="Desk 1", by=door)  # caches (content types) filled

    with CaptureQueriesContext(connection) as captured:
        check_in(event=event, code=code, desk="Desk 1", by=door)

    statements = [query["sql"] for query in captured.captured_queries]
    opened = next(n for n, sql in enumerate(statements) if sql.startswith("SAVEPOINT"))
    ticket_read = next(n for n, sql in enumerate(statements) if 'FROM "registration_ticket"' in sql)
    in_transaction = statements[opened + 1 : -1]
    assert ticket_read < opened
    assert in_transaction[0].startswith('SELECT 1 AS "a" FROM "registration_ticket"')  # still admits
    assert [sql.split()[0] for sql in in_transaction[1:]] == [
        "SAVEPOINT",
        "INSERT",  # the check-in
        "RELEASE",
        "INSERT",  # the audit entry
        "SELECT",  # the webhook endpoints
        "INSERT",  # the Scan
    ]


def test_an_order_cancelled_between_reading_the_code_and_writing_admits_nobody(
    event, siobhan, door, monkeypatch
):
    from podium.checkin import services

    resolve = services._resolve

    def read_then_cancelled(*args):
        found = resolve(*args)
        Order.objects.filter(pk=siobhan.order_id).update(state=OrderState.CANCELLED)
        return found

    monkeypatch.setattr(services, "_resolve", read_then_cancelled)
    outcome = check_in(event=event, code=token_for(siobhan), desk="Desk 1", by=door)

    assert (outcome.kind, outcome.admitted) == ("cancelled", False)
    assert not CheckIn.objects.exists()
    assert list(Scan.objects.values_list("result", "ticket")) == [("cancelled", siobhan.pk)]
