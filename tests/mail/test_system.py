"""The editable system mails: their default texts say what the Django templates before them said, for
real objects sent through the real services; an event's own text is used for that event only; values
are filled in once (a name that looks like a placeholder arrives as typed); a text with a placeholder
the mail does not offer is refused."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from podium.mail import system
from podium.mail.models import OutboxMail, SystemMailTemplate
from podium.mail.placeholders import problems
from podium.mail.services import queue_system_mail
from podium.notices import services as notices
from podium.proposals.services import submit_proposal
from podium.registration import services as registration
from podium.reviews.services import decide, send_decision_notifications
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.program import at, cancel, place, placed_talk, release
from tests.registration import shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def berlin(event):
    event.name = "Rock & Roll Conf"
    event.timezone = "Europe/Berlin"
    event.cfp_closes = dt.datetime(2031, 1, 15, 22, 0, tzinfo=dt.UTC)
    event.save()
    return event


def _submit(event, speaker, title="Q&A: Don't panic"):
    data = {
        "title": title,
        "abstract": "An abstract.",
        "session_type": event.session_types.first(),
        "track": event.tracks.first(),
    }
    return submit_proposal(event=event, speaker=speaker, data=data)


def _own(event, key, subject, body):
    return SystemMailTemplate.objects.create(event=event, key=key, subject=subject, body=body)


def test_every_default_text_uses_only_what_its_mail_offers_and_every_placeholder_is_explained():
    for key, mail in system.SYSTEM_MAILS.items():
        assert mail.key == key
        subject, body = str(mail.subject), str(mail.body)
        assert (problems(subject, mail.names), problems(body, mail.names)) == ([], []), key
        assert len(set(mail.names)) == len(mail.names), key
        assert all(p.help and p.example for p in mail.placeholders), key
        assert {"name", "event", "event_url"} <= set(mail.names), key
    assert set(system.SYSTEM_MAILS) == {
        "proposal_received",
        "decision_accepted",
        "decision_rejected",
        "schedule_changes",
        "order_paid",
    }


def test_the_default_receipt_says_what_it_said_with_the_closing_time_in_the_event_zone(berlin):
    speaker = factories.UserFactory(name="Siobhán O'Brien")
    proposal = _submit(berlin, speaker)

    row = OutboxMail.objects.get(template="proposal_received")
    assert row.subject == '[Rock & Roll Conf] Received: your proposal "Q&A: Don\'t panic"'
    assert row.body == (
        "Hello Siobhán O'Brien,\n\n"
        "thank you! We have received your proposal for Rock & Roll Conf:\n\n"
        f'  "Q&A: Don\'t panic" (code {proposal.code})\n\n'
        "This is only a receipt: there is nothing you need to do now. You can edit your proposal\n"
        "until the call for papers closes on 15 January 2031, 23:00 CET:\n\n"
        f"https://podium.test/{berlin.slug}/me/proposals/{proposal.code}/\n\n"
        "We will write again once the program committee has decided.\n"
    )


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_default_texts_and_their_values_are_in_the_recipients_language(berlin, organiser_user):
    german = factories.UserFactory(name="Ada", language="de")

    with translation.override("en"):  # the request that caused the mails: English
        proposal = _submit(berlin, german)
        decide(proposal=proposal, decision="accepted", by=organiser_user)
        send_decision_notifications(event=berlin, by=organiser_user)

    receipt = OutboxMail.objects.get(template="proposal_received")
    accepted = OutboxMail.objects.get(template="decision_accepted")
    assert receipt.subject == "[Rock & Roll Conf] Eingegangen: Ihre Einreichung „Q&A: Don't panic“"
    assert receipt.body.startswith(
        "Hallo Ada,\n\nvielen Dank! Wir haben Ihre Einreichung für Rock & Roll Conf"
    )
    assert (
        "Einreichung bearbeiten,\nbis der Call for Papers am 15. Januar 2031, 23:00 CET schließt:\n"
        in receipt.body
    )
    assert accepted.subject == "[Rock & Roll Conf] Angenommen: Bitte bestätigen Sie „Q&A: Don't panic“"
    assert "\nWir planen nur bestätigte Beiträge ein. Danke, dass Sie bei Rock & Roll Conf dabei sind!\n" in (
        accepted.body
    )


def test_the_receipt_without_a_closing_date_or_a_name(event):
    event.cfp_closes = None
    event.save()
    speaker = factories.UserFactory(name="", email="nameless@example.org")
    _submit(event, speaker)

    body = OutboxMail.objects.get(template="proposal_received").body
    assert body.startswith("Hello nameless@example.org,\n")
    assert "You can edit your proposal\nuntil the call for papers closes:\n" in body


def test_the_default_decisions_say_what_they_said(berlin, organiser_user):
    ada = factories.UserFactory(name="Ada")
    accepted = factories.ProposalFactory(event=berlin, speakers=[ada], title="Engines & <gears>")
    rejected = factories.ProposalFactory(event=berlin, speakers=[ada], title="Looms")
    decide(proposal=accepted, decision="accepted", by=organiser_user)
    decide(proposal=rejected, decision="rejected", by=organiser_user)
    send_decision_notifications(event=berlin, by=organiser_user)

    yes = OutboxMail.objects.get(template="decision_accepted")
    [link] = re.findall(r"https://podium\.test/\S+", yes.body)
    assert link.startswith(f"https://podium.test/{berlin.slug}/")
    assert yes.subject == '[Rock & Roll Conf] Accepted: please confirm "Engines & <gears>"'
    assert yes.body == (
        "Hello Ada,\n\n"
        "good news: the program committee of Rock & Roll Conf has ACCEPTED your proposal\n\n"
        f'  "Engines & <gears>" (code {accepted.code})\n\n'
        "ACTION NEEDED: please confirm that you will present it, or decline if you cannot make it.\n"
        "One click on this link opens the confirmation page; no log-in needed:\n\n"
        f"{link}\n\n"
        "We will schedule only confirmed sessions. Thank you for being part of Rock & Roll Conf!\n"
    )
    no = OutboxMail.objects.get(template="decision_rejected")
    assert no.subject == '[Rock & Roll Conf] About your proposal "Looms"'
    assert no.body == (
        "Hello Ada,\n\n"
        'thank you for proposing "Looms" for Rock & Roll Conf. We received many more good proposals\n'
        "than we have room for, and we are sorry that we could not include yours in the program this time.\n\n"
        "We hope to see you at Rock & Roll Conf all the same.\n"
    )


def test_the_default_schedule_notice_lists_the_changes_as_it_did(berlin):
    scheduler = factories.team_member(berlin, name="Schedulers", can_schedule=True)
    ada = factories.UserFactory(name="Ada")
    first = placed_talk(berlin, "First", "Hall A", at(berlin, 10), scheduler, speakers=[ada])
    second = placed_talk(berlin, "Second", "Room 101", at(berlin, 11), scheduler, speakers=[ada])
    release(berlin, scheduler)
    place(berlin, first, "Room 101", at(berlin, 15, day=1), scheduler)
    cancel(second, scheduler)

    published = release(berlin, scheduler, comment="Rooms & <Annex> swapped")

    row = OutboxMail.objects.get(template="schedule_changes", about=notices.speaker_about(published))
    day0 = f"{at(berlin, 10):%A} {at(berlin, 10).day} {at(berlin, 10):%B}"
    day1 = f"{at(berlin, 10, day=1):%A} {at(berlin, 10, day=1).day} {at(berlin, 10, day=1):%B}"
    assert row.subject == "Rock & Roll Conf: 2 changes to your sessions (v2)"
    assert row.body == (
        "Hello Ada,\n\n"
        "the program of Rock & Roll Conf was updated (release v2). This concerns your sessions:\n\n"
        f'* MOVED: "First" ({first.code})\n'
        f"  now:  {day1}, 15:00–15:30, Room 101\n"
        f"  was:  {day0}, 10:00–10:30, Hall A\n\n"
        f'* CANCELLED: "Second" ({second.code})\n'
        f"  {day0}, 11:00–11:30, Room 101\n\n"
        "Times are in the event's time zone (Europe/Berlin).\n"
        f"The schedule: https://podium.test/{berlin.slug}/schedule/\n\n"
        "From the organisers: Rooms & <Annex> swapped\n\n"
        "If you cannot make it at this time, reply to the organisers as soon as possible.\n"
    )


def test_one_change_names_itself_in_the_subject_and_no_comment_leaves_no_gap(berlin):
    scheduler = factories.team_member(berlin, name="Schedulers", can_schedule=True)
    bob = factories.UserFactory(name="Bob")
    placed_talk(berlin, "Solo", "Hall A", at(berlin, 9), scheduler, speakers=[bob])

    published = release(berlin, scheduler)

    row = OutboxMail.objects.get(template="schedule_changes", about=notices.speaker_about(published))
    assert row.subject == "Rock & Roll Conf: New: Solo (v1)"
    assert "This concerns your session:\n\n* NEW:" in row.body
    assert "schedule/\n\nIf you cannot make it" in row.body


@pytest.mark.parametrize(
    ("count", "price", "subject", "opening"),
    [
        (3, "10.00", "Your tickets", "thank you, your payment has arrived. Here are your tickets for"),
        (1, "0", "Your ticket", "Here is your ticket for"),
    ],
)
def test_the_default_tickets_mail_says_what_it_said(event, organiser_user, count, price, subject, opening):
    shop.open_registration(event)
    buyer = factories.UserFactory(name="Siobhán O'Brien")
    pass_type = shop.ticket_type(event, 'Q&A "pass"', price=price)
    order = shop.buy(event, buyer, pass_type, count)
    if order.state != "paid":
        registration.mark_paid(order=order, by=organiser_user)

    row = OutboxMail.objects.get(template="order_paid")
    lines = "\n".join(f'  - Q&A "pass" for Attendee {n}' for n in range(1, count + 1))
    assert row.subject == f"[{event.name}] {subject} (order {order.code})"
    assert row.body == (
        "Hello Siobhán O'Brien,\n\n"
        f"{opening} {event.name} (order {order.code}):\n\n"
        f"{lines}\n\n"
        "Each ticket is attached as a PDF file with a QR code. Print it or show it on your phone at the\n"
        "entrance; each code admits one person.\n"
    )
    assert len(row.attachments) == count


def test_an_events_own_text_is_used_for_that_event_only(event):
    other = factories.EventFactory()
    _own(event, "proposal_received", "Got it: {proposal_title}", "Dear {name},\n\n{proposal_link}\n{event}")
    speaker = factories.UserFactory(name="Ada")

    mine = _submit(event, speaker, title="Looms")
    _submit(other, speaker, title="Looms")

    own = OutboxMail.objects.get(event=event)
    default = OutboxMail.objects.get(event=other)
    assert own.subject == "Got it: Looms"
    assert own.body == (
        f"Dear Ada,\n\nhttps://podium.test/{event.slug}/me/proposals/{mine.code}/\n{event.name}\n"
    )
    assert default.subject == f'[{other.name}] Received: your proposal "Looms"'


@pytest.mark.parametrize("name", ["{ticket_link}", "{{name}}", "Ada {event} {{", "{proposal.title}"])
def test_a_name_that_looks_like_a_placeholder_arrives_as_typed(event, name):
    _own(event, "proposal_received", "{name}: {proposal_title}", "Hello {name}, {{literal}} {event}")
    speaker = factories.UserFactory(name=name)

    _submit(event, speaker, title="{name} and {{ braces }}")

    row = OutboxMail.objects.get(template="proposal_received")
    assert row.subject == f"{name}: {{name}} and {{{{ braces }}}}"
    assert row.body == f"Hello {name}, {{literal}} {event.name}\n"


def test_a_subject_is_folded_onto_one_line(event):
    subject, body = system.render_system(
        "decision_rejected",
        event=event,
        values={"name": "Ada\r\nBcc: intruder@example.org", "proposal_title": "A\nB"},
    )
    assert subject == f'[{event.name}] About your proposal "A B"'
    assert "Hello Ada\r\nBcc: intruder@example.org," in body


def test_queue_system_mail_writes_the_row_with_the_mails_key(event, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    row = queue_system_mail(
        key="decision_rejected",
        to="ada@example.org",
        event=event,
        values={"name": "Ada", "proposal_title": "Looms"},
        about="decision:1",
        held=True,
    )
    assert (row.template, row.status, row.about, row.to) == (
        "decision_rejected",
        "held",
        "decision:1",
        "ada@example.org",
    )
    assert row.body.startswith('Hello Ada,\n\nthank you for proposing "Looms"')


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Hello {nmae}", "“{nmae}” is not a placeholder this mail offers."),
        ("Hello {speaker.user.password}", "attribute paths"),
        ("Hello {proposal_title[0]}", "attribute paths"),
        ("Hello {name!r}", "conversions"),
        ("Hello {confirm_link}", "“{confirm_link}” is not a placeholder this mail offers."),
        ("Hello {", "A lone “{”"),
    ],
)
def test_a_text_naming_what_the_mail_does_not_offer_is_refused_on_its_field(text, wrong):
    with pytest.raises(ValidationError) as refused:
        system.check_text("decision_rejected", subject=text, body=f"{text} and {{event}}")

    assert set(refused.value.message_dict) == {"subject", "body"}
    assert wrong in " ".join(refused.value.message_dict["body"])


def test_the_preview_fills_in_the_examples_and_the_events_name(event):
    mail = system.system_mail("decision_accepted")

    subject, body = system.preview("decision_accepted", event=event, subject=mail.subject, body=mail.body)

    assert subject == f'[{event.name}] Accepted: please confirm "Analytical engines in practice"'
    assert body.startswith("Hello Ada Lovelace,\n")
    assert "https://podium.example.org/pycon-2030/cfp/confirm/" in body
    with pytest.raises(LookupError):
        system.system_mail("password_reset")


@pytest.mark.parametrize(
    ("publish_unconfirmed", "sentence"),
    [(False, system.CONFIRMED_ONLY), (True, system.ACCEPTED_TOO)],
)
def test_the_acceptance_says_what_the_events_publishing_rule_does(
    berlin, organiser_user, publish_unconfirmed, sentence
):
    berlin.publish_unconfirmed = publish_unconfirmed
    berlin.save()
    accepted = factories.ProposalFactory(event=berlin, speakers=[factories.UserFactory(name="Ada")])
    decide(proposal=accepted, decision="accepted", by=organiser_user)
    send_decision_notifications(event=berlin, by=organiser_user)

    body = OutboxMail.objects.get(template="decision_accepted").body

    assert body.endswith(f"\n{sentence} Thank you for being part of Rock & Roll Conf!\n")
    other = system.ACCEPTED_TOO if sentence == system.CONFIRMED_ONLY else system.CONFIRMED_ONLY
    assert str(other) not in body
