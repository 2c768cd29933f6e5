"""The demo's registration: ticket types, about 1,000 attendees with orders in every state, the speakers'
tickets with the PDFs their mails promise, and check-in at three desks on the conference days (the
speakers' too) whose rows the check-in services agree with.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py); tests that scan
a code do so inside their own transaction, which is rolled back.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.base.models import AuditEntry
from podium.checkin import services as checkin_services
from podium.checkin.models import CheckIn, Scan, ScanResult
from podium.checkin.queries import check_ins_per_quarter, figures_by_type, recent_scans
from podium.demo import attendees, generator, program, shape
from podium.events.models import Event
from podium.events.rules import permissions_for
from podium.mail import about
from podium.mail.models import MailStatus, OutboxMail
from podium.mail.services import attachment_content
from podium.proposals.enums import ProposalState
from podium.proposals.models import ProposalSpeaker
from podium.registration import speaker_tickets
from podium.registration.enums import Group, OrderOrigin, OrderState, Visibility
from podium.registration.models import Answer, Order, Ticket, TicketType
from podium.registration.queries import seat_count_drift, settings_for
from podium.registration.tickets import pdf_filename, token_for
from podium.schedule.models import SlotKind


def _volunteer():
    return User.objects.get(email=attendees.VOLUNTEER_EMAIL)


def test_attendees_registration_open_with_public_speaker_and_voucher_types(pycon):
    types = {t.name: t for t in TicketType.objects.filter(event=pycon)}
    aid = types["Financial aid"]

    assert settings_for(pycon).is_open is True
    assert list(types) == ["Corporate", "Individual", "Student", "Speaker", "Financial aid"]
    assert {t.visibility for t in types.values() if t.price} == {Visibility.PUBLIC}
    assert (types["Speaker"].visibility, types["Speaker"].group) == (Visibility.GROUP, Group.SPEAKERS)
    assert aid.visibility == Visibility.VOUCHER
    assert list(aid.vouchers.values_list("code", flat=True)) == [attendees.AID_VOUCHER]
    assert sorted(pycon.registration_questions.values_list("label", flat=True)) == [
        "Accessibility needs",
        "Dietary needs",
        "Is this your first PyCon?",
        "T-shirt size",
    ]


def test_attendees_about_a_thousand_tickets_in_orders_of_every_state(pycon):
    states = Counter(Order.objects.filter(event=pycon).values_list("state", flat=True))
    tickets = Ticket.objects.filter(order__event=pycon)

    assert 950 <= tickets.count() <= 1150
    assert states[OrderState.PAID] > 0.9 * sum(states.values())
    assert min(states[OrderState.PENDING], states[OrderState.CANCELLED], states[OrderState.REFUNDED]) > 0
    assert (
        tickets.filter(ticket_type__name="Corporate").values("order").distinct().count()
        < tickets.filter(ticket_type__name="Corporate").count()
    )
    assert Order.objects.filter(event=pycon, voucher__code=attendees.MEMBER_VOUCHER).exists()


def test_attendees_names_keep_accents_and_apostrophes(pycon):
    names = list(Ticket.objects.filter(order__event=pycon).values_list("attendee_name", flat=True))

    assert any("'" in name for name in names)
    assert any(not name.isascii() for name in names)
    for name in names:
        name.encode("cp1252")  # plain Western European letters, as the name lists are


def test_attendees_counters_totals_and_deadlines_match_the_rows(pycon):
    now = timezone.now()
    orders = Order.objects.filter(event=pycon).annotate(prices=Sum("tickets__price"))

    assert seat_count_drift(pycon) == {}
    assert list(orders.exclude(total=F("prices")).values_list("code", flat=True)) == []
    assert not orders.filter(state=OrderState.PENDING, expires_at__lte=now).exists()
    assert not orders.exclude(state=OrderState.PENDING).filter(expires_at__isnull=False).exists()
    assert not orders.filter(state=OrderState.PAID, paid_at__isnull=True).exists()
    assert not orders.filter(Q(created_at__gt=now) | Q(paid_at__gt=now) | Q(cancelled_at__gt=now)).exists()
    assert Ticket.objects.filter(order__event=pycon).values("secret").distinct().count() == (
        Ticket.objects.filter(order__event=pycon).count()
    )


def test_attendees_every_ticket_answers_the_required_question(pycon):
    bought = Ticket.objects.filter(order__event=pycon, order__origin=OrderOrigin.PURCHASE)
    sizes = Answer.objects.filter(ticket__in=bought, question__label="T-shirt size")

    assert sizes.count() == bought.count()
    assert Answer.objects.filter(ticket__in=bought, question__label="Dietary needs").exists()
    assert Answer.objects.filter(ticket__in=bought, question__label="Accessibility needs").exists()


def test_attendees_confirmed_speakers_hold_their_complimentary_tickets(pycon):
    speaking = User.objects.filter(
        proposals__event=pycon, proposals__state=ProposalState.CONFIRMED
    ).distinct()
    given = Order.objects.filter(event=pycon, origin=OrderOrigin.SPEAKER, state=OrderState.PAID)

    assert speaker_tickets.missing_speaker_tickets(pycon) == []
    assert sorted(given.values_list("buyer__email", flat=True)) == sorted(
        speaking.values_list("email", flat=True)
    )
    assert speaker_tickets.reconcile_speaker_tickets(event=pycon) == (0, 0)


def test_attendees_demo_mails_that_say_a_file_is_attached_carry_it(pycon):
    events = Event.objects.filter(slug__in=(generator.MAIN_EVENT, generator.CFP_EVENT))
    mails = OutboxMail.objects.filter(Q(event__in=events) | Q(to__iendswith="@" + shape.DOMAIN))
    saying = [mail for mail in mails if "attached" in mail.body.lower()]
    paid = [mail for mail in saying if mail.template == "order_paid"]

    assert len(paid) == (
        Order.objects.filter(event=pycon, paid_at__isnull=False)
        .filter(origin__in=(OrderOrigin.PURCHASE, OrderOrigin.SPEAKER))
        .count()
    )
    assert [mail.pk for mail in saying if not mail.attachments] == []
    for mail in paid:
        tickets = Ticket.objects.filter(order_id=about.parse(mail.about)[1]).order_by("pk")
        assert [item["filename"] for item in mail.attachments] == [pdf_filename(ticket) for ticket in tickets]
        assert {item["content_type"] for item in mail.attachments} == {"application/pdf"}
    assert attachment_content(paid[0].attachments[0]).startswith(b"%PDF-")


def test_attendees_each_order_has_its_audit_entries_and_sent_mails(pycon):
    # Bought and given to speakers here; tickets issued by hand elsewhere in the demo are not mailed.
    orders = Order.objects.filter(event=pycon, origin__in=(OrderOrigin.PURCHASE, OrderOrigin.SPEAKER))
    placed = AuditEntry.objects.filter(
        event_id=pycon.pk,
        action="order.placed",
        object_id__in=[str(pk) for pk in orders.values_list("pk", flat=True)],
    )
    mails = OutboxMail.objects.filter(
        about__in=[about.order(pk) for pk in orders.values_list("pk", flat=True)]
    )
    paid_later = orders.filter(origin=OrderOrigin.PURCHASE, total__gt=0, paid_at__isnull=False).count()

    assert sorted(placed.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in orders.values_list("pk", flat=True)
    )
    assert AuditEntry.objects.filter(event_id=pycon.pk, action="order.paid").count() == paid_later
    assert set(mails.values_list("status", flat=True)) == {MailStatus.SENT}
    assert mails.values("about").distinct().count() == orders.count()
    assert (
        Counter(mails.values_list("template", flat=True))["order_cancelled"]
        == orders.filter(state__in=(OrderState.CANCELLED, OrderState.REFUNDED)).count()
    )


def test_attendees_checked_in_once_each_at_three_desks_on_the_conference_days(pycon):
    check_ins = CheckIn.objects.filter(event=pycon).select_related("ticket__order")
    ok = Scan.objects.filter(event=pycon, result=ScanResult.OK)
    local = [entry.scanned_at.astimezone(pycon.tz) for entry in check_ins]
    per_day = Counter(moment.date() for moment in local)

    assert 0.4 * Ticket.objects.filter(order__event=pycon).count() < check_ins.count()
    assert set(check_ins.values_list("desk", flat=True)) == {"Desk 1", "Desk 2", "Desk 3"}
    assert {entry.ticket.order.state for entry in check_ins} == {OrderState.PAID}
    assert all(entry.ticket.order.paid_at < entry.scanned_at for entry in check_ins)
    assert sorted(per_day) == pycon.days  # every day of the conference, and no other
    assert per_day[pycon.date_from] > sum(per_day.values()) / 2  # most come on the first day
    assert min(moment.time() for moment in local) >= attendees.DOORS_OPEN
    assert max(moment.time() for moment in local) < attendees.MORNING_ENDS
    assert sorted(ok.values_list("ticket_id", "desk", "scanned_at", "by")) == sorted(
        check_ins.values_list("ticket_id", "desk", "scanned_at", "by")
    )
    assert AuditEntry.objects.filter(event_id=pycon.pk, action="checkin.created").count() == check_ins.count()
    scans = Scan.objects.filter(event=pycon).values_list("scanned_at", flat=True)
    assert all(moment.astimezone(pycon.tz).date() in pycon.days for moment in scans)


def test_attendees_speakers_check_in_on_the_day_of_their_first_session_before_it(pycon):
    given = Ticket.objects.filter(order__event=pycon, order__origin=OrderOrigin.SPEAKER)
    check_ins = CheckIn.objects.filter(ticket__in=given).select_related("ticket__order")
    release = pycon.releases.order_by("-version").first()
    starts = dict(release.sessions.filter(kind=SlotKind.SESSION).values_list("code", "start"))
    first = {}
    for user_id, code in ProposalSpeaker.objects.filter(
        proposal__event=pycon, proposal__code__in=starts
    ).values_list("user_id", "proposal__code"):
        first[user_id] = min(first.get(user_id, starts[code]), starts[code])

    assert 0.75 * given.count() <= check_ins.count() < given.count()
    assert sum(entry.ticket.order.buyer_id in first for entry in check_ins) > 0.9 * check_ins.count()
    for entry in check_ins.filter(ticket__order__buyer_id__in=first):  # the others come as attendees do
        session = first[entry.ticket.order.buyer_id]
        assert entry.scanned_at.astimezone(pycon.tz).date() == session.astimezone(pycon.tz).date()
        assert entry.scanned_at <= session - dt.timedelta(minutes=attendees.SPEAKER_EARLY_MINUTES)


def test_attendees_desk_shows_when_someone_checked_in_in_the_events_time(pycon, client):
    client.force_login(_volunteer())
    entry = CheckIn.objects.filter(event=pycon).select_related("ticket__order").order_by("pk").first()
    latest = recent_scans(pycon)[0]

    page = client.get(
        reverse("orga:checkin", kwargs={"event": pycon.slug}), {"q": entry.ticket.order.code}
    ).content.decode()

    checked_in, scanned = (moment.astimezone(pycon.tz) for moment in (entry.scanned_at, latest.scanned_at))
    assert checked_in.utcoffset() != dt.timedelta(0)  # the event's time is not UTC's
    # The demo's check-ins fall on the conference days, not today: the desk dates them.
    assert f"checked in {checked_in.day} {checked_in:%B %H:%M}" in page
    assert f">{scanned.day} {scanned:%B %H:%M}</time>" in page


def test_attendees_second_scans_answer_already_and_refusals_are_logged(pycon):
    first = dict(CheckIn.objects.filter(event=pycon).values_list("ticket_id", "scanned_at"))
    again = Scan.objects.filter(event=pycon, result=ScanResult.ALREADY)
    results = Counter(Scan.objects.filter(event=pycon).values_list("result", flat=True))

    assert again.exists()
    assert all(scan.scanned_at > first[scan.ticket_id] for scan in again)
    # Every answer but "another event's ticket" (no other demo event sells tickets).
    assert set(results) == set(ScanResult.values) - {ScanResult.WRONG_EVENT}
    assert (
        not Scan.objects.filter(event=pycon, result=ScanResult.CANCELLED)
        .exclude(ticket__order__state__in=(OrderState.CANCELLED, OrderState.REFUNDED))
        .exists()
    )


def test_attendees_figures_have_a_chart_a_day_and_a_peak_on_the_first_morning(pycon):
    charts = check_ins_per_quarter(pycon)
    bars = [bar.count for bar in charts[0].bars if bar.count]
    figures = {row.name: row for row in figures_by_type(pycon)}

    assert [chart.day for chart in charts if chart.total] == pycon.days
    assert max(bars) > 3 * sum(bars) / len(bars) / 2
    assert bars.index(max(bars)) not in (0, len(bars) - 1)
    assert figures["Individual"].sold > figures["Individual"].checked_in > 0
    assert figures["Speaker"].sold > figures["Speaker"].checked_in > 0


def test_attendees_desk_answers_agree_with_the_demo(pycon):
    volunteer = _volunteer()
    checked = CheckIn.objects.filter(event=pycon).select_related("ticket__order").order_by("pk").first()
    waiting = (
        Ticket.objects.filter(order__event=pycon, order__state=OrderState.PAID, check_in__isnull=True)
        .select_related("order")
        .first()
    )
    refunded = Ticket.objects.filter(order__event=pycon, order__state=OrderState.REFUNDED).select_related(
        "order"
    )

    again = checkin_services.check_in(
        event=pycon, code=token_for(checked.ticket), desk="Desk 9", by=volunteer
    )
    first = checkin_services.check_in(event=pycon, code=token_for(waiting), desk="Desk 9", by=volunteer)
    refused = checkin_services.check_in(
        event=pycon, code=token_for(refunded.first()), desk="Desk 9", by=volunteer
    )

    assert (again.kind, again.message.endswith(f"at {checked.desk}")) == (ScanResult.ALREADY, True)
    assert first.kind == ScanResult.OK
    assert refused.kind == ScanResult.CANCELLED


def test_attendees_volunteer_may_only_check_in_at_the_main_event(pycon):
    volunteer = _volunteer()
    pytexas = Event.objects.get(slug=generator.CFP_EVENT)

    assert permissions_for(volunteer, pycon).flags == frozenset({"can_check_in"})
    assert permissions_for(volunteer, pytexas).flags == frozenset()
    assert volunteer.check_password(generator.PASSWORD) is True


def test_attendees_desk_and_figures_pages_open_for_the_volunteer(pycon, client):
    client.force_login(_volunteer())

    desk = client.get(reverse("orga:checkin", kwargs={"event": pycon.slug}))
    figures = client.get(reverse("orga:checkin_figures", kwargs={"event": pycon.slug}))
    listed = client.get(reverse("orga:checkin_attendees", kwargs={"event": pycon.slug})).json()["attendees"]

    assert (desk.status_code, figures.status_code) == (200, 200)
    assert len(listed) == Ticket.objects.filter(order__event=pycon).count()
    assert sum(1 for row in listed if row["checked_in_at"]) == CheckIn.objects.filter(event=pycon).count()


def test_attendees_login_attendee_holds_a_paid_ticket(pycon):
    order = Order.objects.get(event=pycon, buyer__email=program.attendee_email(1))

    assert (order.state, order.tickets.get().ticket_type.name) == (OrderState.PAID, "Individual")
    assert order.total in (Decimal("400.00"), Decimal("360.00"))
    assert (
        Order.objects.filter(event=pycon, origin=OrderOrigin.PURCHASE).aggregate(
            n=Count("buyer", distinct=True)
        )["n"]
        == Order.objects.filter(event=pycon, origin=OrderOrigin.PURCHASE).count()
    )
    assert dt.timedelta(0) < timezone.now() - order.created_at < dt.timedelta(days=attendees.SALES_DAYS + 2)
