"""One person with a distinctive value in every place Podium can hold one, built through the services
where they exist (tests of podium.privacy)."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from podium.accounts.models import IdempotencyRecord
from podium.accounts.tokens import create_api_token
from podium.attendance.models import Feedback
from podium.attendance.seats import book_seat
from podium.attendance.services import renew_calendar_feed, save_note, set_change_notices, set_star
from podium.base import audit
from podium.base.models import AuditEntry
from podium.base.uploads import clean_image
from podium.campaigns import services as campaigns
from podium.campaigns.models import Audience, Campaign, CampaignRecipient, Template
from podium.cfp import services as cfp
from podium.checkin.models import CheckIn, Scan
from podium.checkin.services import check_in
from podium.contacts import services as contact_lists
from podium.contacts.models import Contact
from podium.events.models import Team, TeamInvite
from podium.events.services import accept_team_invite, invite_team_member
from podium.events.system_mails import save_system_mail
from podium.interop.models import ImportedKey
from podium.letters import services as letters
from podium.letters.models import LetterRequest, LetterState, new_verification_code
from podium.mail.models import Bounce, OutboxMail, SystemMailTemplate
from podium.mail.services import record_bounce
from podium.proposals import services as proposals
from podium.proposals.models import CoSpeakerInvite
from podium.registration import services as registration
from podium.registration.models import Answer, TicketType
from podium.registration.tickets import token_for
from podium.registration.waiting_list import join_waiting_list
from podium.reviews import services as review_services
from podium.reviews.services import save_review
from podium.schedule.models import ReleasedSession, ReleasedSpeaker
from podium.scheduling.models import SolverRun
from podium.sponsors import services as sponsors
from podium.sponsors.models import Deliverable, Interaction
from podium.webhooks.models import WebhookEndpoint
from tests import factories, program, seating

NAME = "Zyxwv Quorble-Ó'Brien"
EMAIL = "zyxwv.quorble@example.org"
BIO = "Qwfpgj builds xylophones for lighthouses."
WEBSITE = "https://zyxwv-quorble.example/about"
SOCIAL = "@zyxwvq@mastodon.example"
TOKEN_NAME = "Zyxwv laptop"
REVIEW_COMMENT = "Qwfpgj thinks this is strong."
NOTE = "Qwfpgj's note: ask about the xylophones."
COMPANY = "Qwfpgj Lighthouse Works"
ANSWER = "Qwfpgj eats no lighthouse fish."
CFP_ANSWER = "Qwfpgj needs a step stool at the lectern."
CFP_FILE_NAME = "zyxwv-rider.txt"
#: Lowercase fragments of the values above: none may remain anywhere after erasure.
FRAGMENTS = ("zyxwv", "quorble", "qwfpgj")
TITLE = "Lighthouse acoustics"
NATIONALITY = "Qwfpgjian"
PASSPORT = "QWFPGJ-0042"
ADDRESS = "1 Qwfpgj Lane, Lighthouse Point"
LETTER_NOTE = "Qwfpgj needs the letter before May."
DECLINE_REASON = "Qwfpgj gave no travel dates."
CONTACT_ORGANISATION = "Qwfpgj Lighthouse Gazette"
CONTACT_PHONE = "+44 20 7946 0042"
CONTACT_NOTES = "Qwfpgj writes about lighthouses."
SPONSOR_PHONE = "+1 555 0142 Qwfpgj desk"
SPONSOR_ROLE = "Qwfpgj press liaison"


def photo_upload():
    out = io.BytesIO()
    Image.new("RGB", (24, 24), "purple").save(out, format="PNG")
    return clean_image(SimpleUploadedFile("zyxwv-portrait.png", out.getvalue(), content_type="image/png"))


@dataclass
class Person:
    user: object
    event: object
    organiser: object
    proposal: object
    release: object
    photo_name: str
    photo_bytes: bytes
    #: {"app.Model.field": (instance, text the export shows)} for every PERSONAL field
    personal: dict = field(default_factory=dict)
    #: {"app.Model.field": instance linked to the person} for every LINK field
    links: dict = field(default_factory=dict)


def _cfp_answers(event, user):
    """The person's answers to three CfP questions about speakers (through the service)."""
    text = cfp.save_question(
        event=event, by=None, data={"label": "Anything we should know?", "target": "speaker"}
    )
    options = cfp.save_question(
        event=event,
        by=None,
        data={"label": "Tours?", "target": "speaker", "kind": "multiple", "choices": "Harbour walk\nMuseum"},
    )
    upload = cfp.save_question(
        event=event,
        by=None,
        data={"label": "Rider", "target": "speaker", "kind": "file", "file_types": ["text"]},
    )
    rider = SimpleUploadedFile(CFP_FILE_NAME, f"{NAME} travels with a xylophone.".encode(), "text/plain")
    profile = cfp.save_profile_with_answers(
        event=event,
        user=user,
        profile={"name": NAME, "bio": BIO, "website": WEBSITE, "social": SOCIAL},
        answers={text.pk: CFP_ANSWER, options.pk: ["Harbour walk"], upload.pk: rider},
    )
    answers = {answer.question_id: answer for answer in profile.cfp_answers.all()}
    return answers[text.pk], answers[options.pk], answers[upload.pk]


def build_person(event, organiser) -> Person:
    """The person: speaker (with a co-speaker), reviewer, team member, attendee, token holder,
    imported, mailed, audited, named in a release, a webhook body and a solver report."""
    user = factories.UserFactory(email=EMAIL, name=NAME)
    user.last_login = timezone.now() - dt.timedelta(days=3)
    user.language = "de"
    user.save(update_fields=["last_login", "language"])
    co_speaker = factories.UserFactory(name="Other Speaker")
    WebhookEndpoint.objects.create(
        event=event, url="https://hooks.example.org/in", kinds=["release.published"]
    )

    # Team: invited by address, joins; an invitation of their own is on record (sent while they
    # administered the organiser: only its administrators invite, and they are a reviewer now).
    team = Team.objects.create(organiser=event.organiser, name="Reviewers", can_review=True)
    invite = invite_team_member(team=team, email=EMAIL, by=organiser)
    accept_team_invite(invite=invite, user=user)
    sent_team_invite = TeamInvite.objects.create(
        team=team, email="friend@example.org", token="team-invite-token-for-a-friend", invited_by=user
    )

    # Speaker: profile with photo, availability, a talk with a co-speaker, placed and released.
    profile = proposals.save_speaker_profile(
        event=event, user=user, name=NAME, bio=BIO, website=WEBSITE, social=SOCIAL, photo=photo_upload()
    )
    windows = [(program.at(event, 8), program.at(event, 18))]
    preferred = [(program.at(event, 9), program.at(event, 12))]
    proposals.set_availability(profile=profile, windows=windows, preferred=preferred)
    talk = program.talk(event, TITLE, speakers=[user, co_speaker])
    talk.submitted_by = user
    talk.save(update_fields=["submitted_by"])
    received_co_invite = CoSpeakerInvite.objects.create(
        proposal=talk, email=EMAIL, token="co-invite-token-for-zyxwv", invited_by=co_speaker
    )
    sent_co_invite = proposals.invite_co_speaker(proposal=talk, email="guest@example.org", by=user)
    # CfP answers about them: a text, a pick of several choices, a file.
    cfp_text, cfp_options, cfp_file = _cfp_answers(event, user)
    program.place(event, talk, "Hall A", program.at(event, 10), None)
    tutorial = seating.tutorial(event, "Seated tutorial", "Room 101", program.at(event, 14), None)
    seating.seated_type(event, 10)
    release = program.release(event, None, comment=f"Welcome {NAME}!")
    release.published_by = user
    release.save(update_fields=["published_by"])

    # Reviewer, attendee, token holder.
    other_talk = program.talk(event, "Another talk", state="submitted")
    review = save_review(proposal=other_talk, reviewer=user, score=3, comment=REVIEW_COMMENT)
    assignment = review_services.add_assignment(proposal=other_talk, reviewer=user, by=organiser)
    conflicted_talk = program.talk(event, "A colleague's talk", state="submitted")
    conflict = review_services.declare_conflict(proposal=conflicted_talk, reviewer=user, by=user)
    # A conflict of interest they declared with a person, and one a colleague declared with them.
    own_speaker_conflict = review_services.declare_speaker_conflict(
        event=event, reviewer=user, by=user, email="rival@example.org"
    )
    conflict_with_them = review_services.declare_speaker_conflict(
        event=event, reviewer=organiser, by=organiser, email=EMAIL.upper()
    )
    set_star(event=event, user=user, code=talk.code, starred=True)
    star = user.stars.get()
    preference = set_change_notices(event=event, user=user, notify=True)
    # Attendee: a note shared under their own talk (its public page names them), feedback on another
    # talk (written directly: that talk has not started), a calendar address.
    note = save_note(proposal=talk, by=user, text=NOTE, shared=True)
    feedback = Feedback.objects.create(
        user=user, proposal=other_talk, rating=4, comment=f"Signed, {NAME} ({EMAIL})"
    )
    feed = renew_calendar_feed(event=event, user=user)
    token, _ = create_api_token(
        user=user, organiser=event.organiser, name=TOKEN_NAME, events=[event], scope="read"
    )
    IdempotencyRecord.objects.create(
        token=token,
        key="k1",
        request_hash="0" * 64,
        status_code=200,
        content_type="application/json",
        body=f'{{"speaker": "{NAME}"}}'.encode(),
    )

    # Attendee: their own order (with an answer), a ticket an organiser bought for them, a waiting list.
    order, ticket, answer, entry = _registration(event, user, organiser)
    # At the door: their ticket is checked in, and they worked a desk (recorded under their account).
    check_in, scan = _at_the_door(event, ticket, user)
    # A seat at a tutorial (they hold a ticket).
    seat = book_seat(proposal=tutorial, by=user)
    # Visa letters (they hold a ticket): one request declined, one approved; and someone else's
    # letter they decided as a team member, signed with their name.
    declined, approved, signed = _letters(event, user)
    # Contact lists: the organiser imported their address (in capitals) into its press list.
    contact = _contact(event)
    # Sponsors: a contact at a sponsor with their address, and sponsor work under their account.
    sponsor_contact, sponsorship, interaction, deliverable = _sponsors(event, user)
    # Campaigns: mailed in one (then unsubscribed; the address bounced), and campaign work under
    # their account from when they drafted, approved and sent mail.
    recipient, unsubscription, bounce, campaign = _campaigns(event, user, organiser)
    # System mails: they reworded the receipt when they were on the team (written directly).
    receipt_text = save_system_mail(
        event=event, key="proposal_received", subject="Thanks, {name}", body="We have it.", by=None
    )
    SystemMailTemplate.objects.filter(pk=receipt_text.pk).update(updated_by=user)

    # Copies: an import key, a solver report, a mail to them, mail about them to someone else.
    imported = ImportedKey.objects.create(event=event, kind="speaker", source_key=NAME, object_id=user.pk)
    run = SolverRun.objects.create(
        event=event,
        mode="fill",
        time_limit=5,
        created_by=user,
        changes={
            "left_out": [{"code": talk.code, "reason": f"its speakers {NAME} and X have no time in common"}]
        },
    )
    mail_to = OutboxMail.objects.filter(to=EMAIL).first()
    mail_for = OutboxMail.objects.filter(user=user).first()
    assert mail_to is not None, "the scenario mails the person's address"
    assert mail_for is not None, "the scenario mails the person's account"
    audit.record(action="profile.checked", actor=organiser, target=user, note=f"{NAME} <{EMAIL}>")
    own_entry = AuditEntry.objects.filter(actor=user).first()

    profile.refresh_from_db()
    released_speaker = ReleasedSpeaker.objects.get(release=release, code=profile.code)
    released_session = ReleasedSession.objects.get(release=release, code=talk.code)
    availability = profile.availabilities.get(preferred=True)
    photo_name = profile.photo.name
    with profile.photo.open("rb") as file:
        photo_bytes = file.read()
    iso = lambda moment: moment.isoformat()  # noqa: E731
    person = Person(user, event, organiser, talk, release, photo_name, photo_bytes)
    person.personal = {
        "accounts.User.email": (user, EMAIL),
        "accounts.User.name": (user, NAME),
        "accounts.User.last_login": (user, iso(user.last_login)),
        "accounts.User.language": (user, '"language": "de"'),
        "accounts.ApiToken.name": (token, TOKEN_NAME),
        "events.TeamInvite.email": (invite, EMAIL),
        "proposals.SpeakerProfile.bio": (profile, BIO),
        "proposals.SpeakerProfile.photo": (profile, photo_name),
        "proposals.SpeakerProfile.website": (profile, WEBSITE),
        "proposals.SpeakerProfile.social": (profile, SOCIAL),
        "proposals.SpeakerAvailability.start": (availability, iso(availability.start)),
        "proposals.SpeakerAvailability.end": (availability, iso(availability.end)),
        "proposals.SpeakerAvailability.preferred": (availability, '"preferred": true'),
        "proposals.CoSpeakerInvite.email": (received_co_invite, EMAIL),
        "reviews.Review.comment": (review, REVIEW_COMMENT),
        "reviews.SpeakerConflict.email": (conflict_with_them, EMAIL),
        "schedule.ReleasedSession.speakers": (released_session, NAME),
        "schedule.ReleasedSpeaker.name": (released_speaker, NAME),
        "schedule.ReleasedSpeaker.bio": (released_speaker, BIO),
        "schedule.ReleasedSpeaker.photo": (released_speaker, photo_name),
        "schedule.ReleasedSpeaker.website": (released_speaker, WEBSITE),
        "schedule.ReleasedSpeaker.social": (released_speaker, SOCIAL),
        "mail.OutboxMail.to": (mail_to, EMAIL),
        "attendance.Note.text": (note, NOTE),
        "interop.ImportedKey.source_key": (imported, NAME),
        "registration.Order.email": (order, EMAIL),
        "registration.Ticket.attendee_name": (ticket, NAME),
        "registration.Ticket.attendee_email": (ticket, EMAIL),
        "registration.Ticket.attendee_company": (ticket, COMPANY),
        "registration.Answer.value": (answer, ANSWER),
        "cfp.Answer.value": (cfp_text, CFP_ANSWER),
        "cfp.Answer.options": (cfp_options, "Harbour walk"),
        "cfp.Answer.file": (cfp_file, cfp_file.file.name),
        "cfp.Answer.file_name": (cfp_file, CFP_FILE_NAME),
        "registration.WaitingListEntry.email": (entry, EMAIL),
        "registration.WaitingListEntry.name": (entry, NAME),
        "letters.LetterRequest.passport_name": (approved, NAME),
        "letters.LetterRequest.nationality": (approved, NATIONALITY),
        "letters.LetterRequest.passport_number": (approved, PASSPORT),
        "letters.LetterRequest.date_of_birth": (approved, "1987-03-14"),
        "letters.LetterRequest.arrival": (approved, approved.arrival.isoformat()),
        "letters.LetterRequest.departure": (approved, approved.departure.isoformat()),
        "letters.LetterRequest.address": (approved, ADDRESS),
        "letters.LetterRequest.note": (approved, LETTER_NOTE),
        "letters.LetterRequest.decline_reason": (declined, DECLINE_REASON),
        "contacts.Contact.email": (contact, EMAIL),
        "contacts.Contact.name": (contact, NAME),
        "contacts.Contact.organisation": (contact, CONTACT_ORGANISATION),
        "contacts.Contact.phone": (contact, CONTACT_PHONE),
        "contacts.Contact.notes": (contact, CONTACT_NOTES),
        "sponsors.OrganisationContact.name": (sponsor_contact, NAME),
        "sponsors.OrganisationContact.email": (sponsor_contact, EMAIL),
        "sponsors.OrganisationContact.phone": (sponsor_contact, SPONSOR_PHONE),
        "sponsors.OrganisationContact.role": (sponsor_contact, SPONSOR_ROLE),
        "campaigns.CampaignRecipient.address": (recipient, EMAIL),
        "campaigns.CampaignRecipient.name": (recipient, NAME),
        "campaigns.Unsubscription.address": (unsubscription, EMAIL),
        "mail.Bounce.address": (bounce, EMAIL),
    }
    person.links = {
        "accounts.ApiToken.user": token,
        "attendance.Star.user": star,
        "attendance.AgendaPreference.user": preference,
        "attendance.Note.user": note,
        "attendance.Feedback.user": feedback,
        "attendance.CalendarFeed.user": feed,
        "events.Team.members": team,
        "base.AuditEntry.actor": own_entry,
        "events.TeamInvite.invited_by": sent_team_invite,
        "proposals.SpeakerProfile.user": profile,
        "proposals.Proposal.speakers": talk,
        "proposals.Proposal.submitted_by": talk,
        "proposals.ProposalSpeaker.user": talk.speaker_links.get(user=user),
        "proposals.CoSpeakerInvite.invited_by": sent_co_invite,
        "reviews.Review.reviewer": review,
        "reviews.Assignment.reviewer": assignment,
        "reviews.Conflict.reviewer": conflict,
        "reviews.SpeakerConflict.reviewer": own_speaker_conflict,
        "reviews.SpeakerConflict.speaker": conflict_with_them,
        "schedule.Release.published_by": release,
        "scheduling.SolverRun.created_by": run,
        "mail.OutboxMail.user": mail_for,
        "registration.Order.buyer": order,
        "registration.WaitingListEntry.user": entry,
        "checkin.CheckIn.by": check_in,
        "checkin.Scan.by": scan,
        "attendance.SeatBooking.user": seat,
        "letters.LetterRequest.user": approved,
        "letters.LetterRequest.decided_by": signed,
        "sponsors.Sponsorship.owner": sponsorship,
        "sponsors.Interaction.by": interaction,
        "sponsors.Interaction.assigned_to": interaction,
        "sponsors.Deliverable.done_by": deliverable,
        "campaigns.CampaignRecipient.user": recipient,
        "campaigns.Template.created_by": campaign.template,
        "campaigns.Audience.created_by": campaign.audience,
        "campaigns.Campaign.created_by": campaign,
        "campaigns.Campaign.submitted_by": campaign,
        "campaigns.Campaign.approved_by": campaign,
        "campaigns.Campaign.sent_by": campaign,
        "campaigns.Campaign.cancelled_by": campaign,
        "mail.SystemMailTemplate.updated_by": receipt_text,
    }
    return person


def _campaigns(event, user, organiser):
    """A campaign to the event's speakers (they are one) submitted by an organiser; then they unsubscribe
    and their address bounces; and the campaign's template, audience and steps are recorded under
    their account (written directly: they are no longer on a mail team)."""
    template = campaigns.save_template(
        event=event, by=organiser, name="Speaker news", subject="News for {name}", body="Hello {name}"
    )
    audience = campaigns.save_audience(
        event=event,
        by=organiser,
        name="Speakers",
        kind="speakers",
        filters={"states": ["confirmed", "submitted"]},
    )
    campaign = campaigns.save_campaign(
        event=event, by=organiser, name="News", audience=audience, template=template
    )
    campaign = campaigns.submit_campaign(campaign=campaign, by=organiser)
    recipient = CampaignRecipient.objects.get(campaign=campaign, address=EMAIL)
    unsubscription = campaigns.unsubscribe_address(
        organiser=event.organiser, address=EMAIL.upper(), campaign=campaign
    )
    bounce = record_bounce(address=EMAIL, source=Bounce.Source.REPORT, reason="550 mailbox unknown")
    Template.objects.filter(pk=template.pk).update(created_by=user)
    Audience.objects.filter(pk=audience.pk).update(created_by=user)
    Campaign.objects.filter(pk=campaign.pk).update(
        created_by=user, submitted_by=user, approved_by=user, sent_by=user, cancelled_by=user
    )
    return recipient, unsubscription, bounce, campaign


def _sponsors(event, user):
    """The person is a contact at a sponsor (by their address, in another letter case) that the log
    names, and, as a former member of the sponsors team, owns a sponsorship, wrote and was given a log
    entry and ticked a checklist item (written directly: they are no longer on that team)."""
    organisation = sponsors.save_organisation(event=event, by=None, data={"name": "Lighthouse Sponsors"})
    sponsor_contact = sponsors.save_contact(
        event=event,
        organisation=organisation,
        by=None,
        data={"name": NAME, "email": EMAIL.upper(), "phone": SPONSOR_PHONE, "role": SPONSOR_ROLE},
    )
    sponsorship = organisation.sponsorships.get(event=event)
    sponsorship.owner = user
    sponsorship.save(update_fields=["owner"])
    interaction = sponsors.log_interaction(
        sponsorship=sponsorship,
        by=None,
        data={
            "summary": f"Called {NAME}",
            "text": f"Reach them at {SPONSOR_PHONE}",
            "contact": sponsor_contact,
        },
    )
    Interaction.objects.filter(pk=interaction.pk).update(
        by=user, assigned_to=user, next_step="Send logo specs"
    )
    deliverable = Deliverable.objects.create(
        sponsorship=sponsorship, name="Logo received", done_at=timezone.now(), done_by=user
    )
    return sponsor_contact, sponsorship, interaction, deliverable


def _contact(event):
    """A row of the organiser's press list, imported from a file that writes the address in capitals."""
    data = f"Email,Name,Company,Phone,Notes\n{EMAIL.upper()},{NAME},{CONTACT_ORGANISATION},{CONTACT_PHONE},{CONTACT_NOTES}\n"
    contact_lists.import_contacts(organiser=event.organiser, list_name="Press", data=data.encode(), by=None)
    return Contact.objects.get(organiser=event.organiser, email=EMAIL)


def _letters(event, user):
    """Two requests of the person (declined, then approved, by an operator) and one they decided."""
    data = {
        "passport_name": NAME,
        "nationality": NATIONALITY,
        "passport_number": PASSPORT,
        "date_of_birth": dt.date(1987, 3, 14),
        "arrival": event.date_from - dt.timedelta(days=2),
        "departure": event.date_to + dt.timedelta(days=3),
        "address": ADDRESS,
        "note": LETTER_NOTE,
    }
    first = letters.save_request(event=event, by=user, data=data)
    declined = letters.decline_request(letter=first, by=None, version=None, reason=DECLINE_REASON)
    second = letters.save_request(event=event, by=user, data=data)
    approved = letters.approve_request(letter=second, by=None, version=None)
    signed = LetterRequest.objects.create(
        event=event,
        user=factories.UserFactory(name="Visa Applicant"),
        passport_name="Visa Applicant",
        arrival=event.date_from,
        departure=event.date_to,
        state=LetterState.APPROVED,
        decided_by=user,
        approver_name=NAME,
        verification_code=new_verification_code(),
    )
    return declined, approved, signed


def _at_the_door(event, ticket, user):
    """The ticket is scanned at a desk; the scan is recorded as the person's (they worked the desk)."""
    check_in(event=event, code=token_for(ticket), desk="Desk 1", by=None)
    CheckIn.objects.filter(ticket=ticket).update(by=user)
    Scan.objects.filter(ticket=ticket).update(by=user)
    return CheckIn.objects.get(ticket=ticket), Scan.objects.get(ticket=ticket)


def _registration(event, user, organiser):
    """The person orders a ticket for themselves (answering a question), an organiser orders one
    for them too (the organiser's mail names them), and they wait for a sold-out dinner."""
    registration.save_registration_settings(event=event, by=organiser, values={"is_open": True})
    standard = TicketType.objects.create(event=event, name="Standard", price=0)
    dinner = TicketType.objects.create(event=event, name="Dinner", price=30, quota=0)
    diet = event.registration_questions.create(label="Diet", kind="text")
    order = registration.place_order(
        event=event,
        buyer=user,
        items=[registration.OrderItem(standard, NAME, EMAIL, {diet: ANSWER}, attendee_company=COMPANY)],
        email=EMAIL,
    )
    for_them = [(standard, NAME, EMAIL)]
    registration.place_order(event=event, buyer=organiser, items=for_them, email=organiser.email)
    entry = join_waiting_list(ticket_type=dinner, user=user)
    ticket = order.tickets.get()
    return order, ticket, Answer.objects.get(ticket=ticket), entry
