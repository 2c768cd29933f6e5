"""Every mail Podium sends is plain text: names and titles arrive as typed, never HTML-escaped, and a
subject is always one line (no header injection).

The scenario below sends every mail template once through the real services. A template in
src/podium/*/templates/mail/ or a system mail in mail.system's registry (texts an event may edit)
that the scenario does not send fails the test, so a new mail gets its check with it.
"""

import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.urls import reverse

import podium
from podium.accounts.services import request_password_reset
from podium.attendance import seats
from podium.attendance import services as attendance
from podium.events.models import Team
from podium.events.services import invite_team_member
from podium.letters import services as letters
from podium.mail import services
from podium.mail.models import MailStatus, OutboxMail
from podium.mail.system import SYSTEM_MAILS
from podium.proposals.services import invite_co_speaker, submit_proposal
from podium.registration import services as registration
from podium.registration.models import TicketType
from podium.registration.waiting_list import join_waiting_list
from podium.reviews.services import decide, send_decision_notifications
from tests import factories, visa
from tests.program import at, place, placed_talk, release
from tests.seating import seated_type, tutorial

pytestmark = pytest.mark.django_db

SRC = Path(podium.__file__).parent
# Any named or numeric HTML character reference (&amp; &quot; &#x27; &#39; …).
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")

# What each mail must show as typed: (values in the subject, values in the body).
EXPECTED = {
    "password_reset": ((), ("speaker",)),
    "proposal_received": (("event", "title"), ("speaker", "event", "title")),
    "cospeaker_invite": (("event", "speaker", "title"), ("speaker", "event", "title")),
    "team_invite": (("team", "organiser"), ("inviter", "team", "organiser")),
    "decision_accepted": (("event", "title"), ("speaker", "event", "title")),
    "decision_rejected": (("event", "title"), ("speaker", "event", "title")),
    "schedule_changes": (("event", "title"), ("speaker", "event", "title", "room", "comment")),
    "starred_changes": (("event", "title"), ("attendee", "event", "title", "room", "comment")),
    "order_pending": (("event",), ("speaker", "event")),
    "order_paid": (("event",), ("speaker", "event")),
    "ticket_reissued": (("event",), ("speaker", "event")),
    "order_cancelled": (("event",), ("speaker", "event")),
    "waiting_list_offer": (("event",), ("attendee", "event")),
    "seat_from_waiting_list": (("event", "title"), ("attendee", "title", "room")),
    "letter_approved": (("event",), ("speaker", "event")),
    "letter_declined": (("event",), ("speaker", "event", "comment")),
    "letter_withdrawn": (("event",), ("speaker", "event")),
}

QUOTES = {
    "speaker": "Siobhán O'Brien",
    "title": 'Q&A: Don\'t "panic" <now>',
    "event": 'Rock & Roll "Conf" <2030>',
    "room": 'O\'Neil & "Main" <Hall>',
    "organiser": "Smith & Sons' <Events>",
    "team": 'Reviewers & "Friends"',
    "inviter": 'Zoë "Z" D\'Arcy & co',
    "attendee": "Ana <Attendee> & 'Friends'",
    "comment": 'Rooms swapped: "Hall" & <Annex> aren\'t the same',
}
# The same text with a line break and a header after it, as a hostile name or title would carry.
# (The event name stays on one line here: the release's iCal attachment refuses a line break in it.)
INJECTED = {
    name: value if name == "event" else value + "\r\nBcc: intruder@example.org"
    for name, value in QUOTES.items()
}


def _templates_on_disk() -> set[str]:
    """The mails on disk, in any app: every body template (<name>.txt) next to its <name>.subject.txt."""
    files = list(SRC.glob("*/templates/mail/*.txt"))
    bodies = {p.name.removesuffix(".txt") for p in files if not p.name.endswith(".subject.txt")}
    subjects = {p.name.removesuffix(".subject.txt") for p in files if p.name.endswith(".subject.txt")}
    assert bodies == subjects
    return bodies


def _send_every_mail(values: dict) -> None:
    """Every mail template, sent once through the service that sends it in real use."""
    organiser = factories.OrganiserFactory(name=values["organiser"])
    event = factories.EventFactory(organiser=organiser, name=values["event"])
    event.rooms.filter(name="Hall A").update(name=values["room"])
    scheduler = factories.team_member(
        event,
        user=factories.UserFactory(name=values["inviter"]),
        is_admin=True,
        can_edit_event=True,
        can_review=True,
        can_send_mail=True,
        can_schedule=True,
    )
    speaker = factories.UserFactory(name=values["speaker"])
    data = {
        "title": values["title"],
        "abstract": "An abstract.",
        "session_type": event.session_types.first(),
        "track": event.tracks.first(),
    }

    accepted = submit_proposal(event=event, speaker=speaker, data=data)  # proposal_received
    rejected = submit_proposal(event=event, speaker=speaker, data=data)
    invite_co_speaker(proposal=accepted, email="co@example.org", by=speaker)  # cospeaker_invite
    team = Team.objects.create(organiser=organiser, name=values["team"])
    invite_team_member(team=team, email="new@example.org", by=scheduler)  # team_invite
    request_password_reset(email=speaker.email)  # password_reset
    decide(proposal=accepted, decision="accepted", by=scheduler)  # decision_accepted
    decide(proposal=rejected, decision="rejected", by=scheduler)  # decision_rejected
    send_decision_notifications(event=event, by=scheduler)

    session = placed_talk(
        event, values["title"], values["room"], at(event, 10), scheduler, speakers=[speaker]
    )
    release(event, scheduler, comment=values["comment"])  # schedule_changes (the new session)
    attendee = factories.UserFactory(name=values["attendee"])
    attendance.set_star(event=event, user=attendee, code=session.code, starred=True)
    attendance.set_change_notices(event=event, user=attendee, notify=True)
    place(event, session, "Room 101", at(event, 15), scheduler)
    place(event, session, values["room"], at(event, 16), scheduler)
    # schedule_changes (the speaker) and starred_changes (the attendee) for the moved session
    release(event, scheduler, comment=values["comment"])

    # seat_from_waiting_list: a one-seat tutorial, booked, waited for by the attendee, given up
    seated_type(event, 1)
    workshop = tutorial(
        event, values["title"], values["room"], at(event, 9, day=1), scheduler, speakers=[speaker]
    )
    release(event, scheduler, name="with the workshop", comment=values["comment"])
    learner = factories.UserFactory(name="First Learner")
    seats.book_seat(proposal=workshop, by=learner)
    seats.join_seat_waiting_list(proposal=workshop, by=attendee)
    seats.cancel_seat(proposal=workshop, by=learner)

    registration.save_registration_settings(event=event, by=scheduler, values={"is_open": True})
    dinner = TicketType.objects.create(event=event, name=values["title"], price=30, quota=1)
    items = [(dinner, values["speaker"], speaker.email)]
    # order_pending, order_paid, ticket_reissued
    order = registration.place_order(event=event, buyer=speaker, items=items, email=speaker.email)
    registration.mark_paid(order=order, by=scheduler)
    ticket = order.tickets.get()
    registration.change_attendee(ticket=ticket, name=values["attendee"], email="a@b.org", by=scheduler)
    join_waiting_list(ticket_type=dinner, user=attendee)
    # letter_approved, letter_declined: the ticket holder asks for a visa letter, twice
    asked = letters.save_request(
        event=event, by=speaker, data=visa.values(event, passport_name=values["speaker"])
    )
    asked = letters.approve_request(letter=asked, by=scheduler, version=asked.version)
    letters.withdraw_letter(letter=asked, by=scheduler, version=asked.version)  # letter_withdrawn
    again = letters.save_request(
        event=event, by=speaker, data=visa.values(event, passport_name=values["speaker"])
    )
    letters.decline_request(letter=again, by=scheduler, version=again.version, reason=values["comment"])
    registration.cancel_order(order=order, by=scheduler)  # order_cancelled, waiting_list_offer


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("values", [QUOTES, INJECTED], ids=["quotes", "line-breaks"])
def test_every_mail_shows_names_and_titles_as_typed(values, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    _send_every_mail(values)
    services.release_held(mails=OutboxMail.objects.all())
    services.deliver()

    rows = list(OutboxMail.objects.order_by("pk"))
    assert {row.template for row in rows} == _templates_on_disk() | set(SYSTEM_MAILS) == set(EXPECTED)
    assert [row.status for row in rows] == [MailStatus.SENT] * len(rows)
    sent = {(message.to[0], message.subject): message for message in django_mail.outbox}
    for row in rows:
        in_subject, in_body = EXPECTED[row.template]
        message = sent[(row.to, row.subject)]
        assert (row.template, ENTITY.findall(row.subject), ENTITY.findall(row.body)) == (row.template, [], [])
        assert not re.search(r"[\r\n]", row.subject), row.template
        for name in in_subject:
            assert _one_line(values[name]) in row.subject, (row.template, name)
        for name in in_body:
            assert values[name] in row.body, (row.template, name)
        # The delivered message, parsed back as a mail client would: one recipient, the stored subject.
        parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert (parsed["Subject"].strip(), parsed.get_all("To"), parsed.get_all("Bcc")) == (
            row.subject,
            [row.to],
            None,
        )


def test_outbox_page_shows_the_plain_text_escaped_once(client, event, organiser_user):
    """The mail text is stored as typed; the back office page (HTML) escapes it, exactly once."""
    proposal = factories.ProposalFactory(event=event, title=QUOTES["title"])
    decide(proposal=proposal, decision="accepted", by=organiser_user)
    client.force_login(organiser_user)

    page = client.get(reverse("orga:outbox", kwargs={"event": event.slug})).content.decode()

    assert "Q&amp;A: Don&#x27;t &quot;panic&quot; &lt;now&gt;" in page
    assert "&amp;amp;" not in page
    assert "<now>" not in page
