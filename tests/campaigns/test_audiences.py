import pytest
from django.core.exceptions import ValidationError

from podium.campaigns import audiences
from podium.campaigns.models import Audience
from podium.checkin.services import check_in
from podium.proposals.enums import ProposalState
from podium.registration import issuing
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def _audience(event, kind, **filters):
    return Audience(event=event, name="A", kind=kind, filters=filters)


def test_speakers_get_one_mail_each_with_their_titles_joined(event, accepted_speakers):
    people = audiences.recipients(_audience(event, "speakers", states=["accepted", "confirmed"]))

    assert [p.email for p in people] == [f"speaker{n}@example.org" for n in range(3)]
    assert people[0].values["proposal_title"] == "Alpha talk, Beta talk"
    assert people[0].user_id == accepted_speakers[0].pk


def test_speakers_by_state_track_and_session_type(event, accepted_speakers):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    talk = event.session_types.get(name="Talk")
    tutorial = event.session_types.get(name="Tutorial")
    other = factories.UserFactory(email="tutor@example.org")
    factories.ProposalFactory(
        event=event, speakers=[other], state=ProposalState.ACCEPTED, track=web, session_type=tutorial
    )
    event.proposals.update(track=web)
    event.proposals.filter(speakers=accepted_speakers[1]).update(track=data)

    def emails(**filters):
        return [p.email for p in audiences.recipients(_audience(event, "speakers", **filters))]

    assert emails(states=["rejected"]) == ["rejected@example.org"]
    assert emails(states=["accepted"], tracks=[str(data.pk)]) == ["speaker1@example.org"]
    assert emails(states=["accepted"], session_types=[str(tutorial.pk)]) == ["tutor@example.org"]
    assert "tutor@example.org" not in emails(states=["accepted"], session_types=[str(talk.pk)])


def test_reviewers_and_team_members_of_teams_with_access(event, reviewer, organiser_user):
    other_event = factories.EventFactory(organiser=event.organiser)
    elsewhere = factories.team_member(event, name="Elsewhere", can_review=True, events=[other_event])

    reviewers = {p.email for p in audiences.recipients(_audience(event, "reviewers"))}
    team = {p.email for p in audiences.recipients(_audience(event, "team"))}

    assert reviewers == {reviewer.email, organiser_user.email}  # the admin team reviews too
    assert team == {reviewer.email, organiser_user.email}
    assert elsewhere.email not in team


@pytest.fixture
def tickets(event, organiser_user):
    shop.open_registration(event)
    full = shop.ticket_type(event, "Full conference", price="0.00")
    student = shop.ticket_type(event, "Student", price="0.00")
    issuing.issue_tickets(
        event=event,
        ticket_type=full,
        people=[("Ann", "ann@example.org"), ("Bob", "bob@example.org")],
        by=organiser_user,
        send_mail=False,
    )
    issuing.issue_tickets(
        event=event,
        ticket_type=student,
        people=[("Ann", "ANN@example.org")],
        by=organiser_user,
        send_mail=False,
    )
    return full, student


def test_attendees_by_ticket_type_and_check_in(event, tickets, organiser_user):
    _full, student = tickets
    bob = event.orders.get(email="bob@example.org").tickets.get()
    door = factories.team_member(event, name="Door", can_check_in=True)
    check_in(event=event, code=bob.order.code, ticket=bob.pk, desk="A", by=door)

    def emails(**filters):
        return [p.email.lower() for p in audiences.recipients(_audience(event, "attendees", **filters))]

    everyone = audiences.recipients(_audience(event, "attendees"))
    assert [p.email.lower() for p in everyone] == ["ann@example.org", "bob@example.org"]
    assert everyone[0].values["ticket_type"] == "Full conference, Student"
    assert everyone[0].values["ticket_link"].endswith(f"/orders/{event.orders.order_by('pk').first().code}/")
    assert emails(ticket_types=[str(student.pk)]) == ["ann@example.org"]
    assert emails(checked_in="yes") == ["bob@example.org"]
    assert emails(checked_in="no") == ["ann@example.org"]


def test_filters_are_cleaned_by_the_kind_fields(event):
    assert audiences.clean_filters(event, "attendees", {}) == {"ticket_types": [], "checked_in": "any"}
    with pytest.raises(ValidationError):
        audiences.clean_filters(event, "attendees", {"checked_in": "maybe"})


def test_a_kind_is_one_registered_entry(event):
    kind = audiences.Kind(
        key="test-kind",
        label="Test",
        fields=lambda event: {},
        recipients=lambda event, filters: [audiences.Recipient(email="x@example.org", name="X")],
        placeholders=(audiences.Placeholder("extra", "An extra value."),),
    )
    audiences.register(kind)
    try:
        assert ("test-kind", "Test") in audiences.choices()
        assert "extra" in [p.name for p in audiences.placeholders_of("test-kind")]
        assert audiences.recipients(_audience(event, "test-kind"))[0].email == "x@example.org"
    finally:
        audiences.KINDS.pop("test-kind")


def test_describe_names_the_filters(event):
    assert audiences.describe(_audience(event, "speakers", states=["accepted"])) == (
        "Speakers — Proposal states: Accepted"
    )


def test_partner_contacts_by_kind_stage_and_level(event):
    from podium.sponsors.models import OrganisationKind, Stage
    from tests import sponsoring

    manager = factories.team_member(event, name="Sponsors", can_manage_sponsors=True)
    gold = sponsoring.level(event, manager, "Gold")
    acme = sponsoring.organisation(event, manager, "Acme Cloud")
    sponsoring.contact(acme, manager, name="Dana Lee", email="Dana@Acme.example", role="Marketing")
    sponsoring.contact(acme, manager, name="Dana again", email="dana@acme.example")  # same address
    sponsoring.contact(acme, manager, name="No address", email="")
    sponsoring.services.set_level(sponsorship=acme, level=gold, by=manager)
    acme.refresh_from_db()
    sponsoring.services.move_stage(sponsorship=acme, stage=Stage.COMMITTED, by=manager, version=acme.version)
    press = sponsoring.organisation(event, manager, "Daily Bugle", kind=OrganisationKind.MEDIA)
    sponsoring.contact(press, manager, name="Ben Urich", email="ben@bugle.example", role="Reporter")
    press.refresh_from_db()
    sponsoring.services.move_stage(
        sponsorship=press, stage=Stage.CONTACTED, by=manager, version=press.version
    )
    elsewhere = factories.EventFactory(organiser=event.organiser)
    sponsoring.contact(
        sponsoring.organisation(elsewhere, manager, "Elsewhere Inc"), manager, email="x@elsewhere.example"
    )

    def people(**filters):
        return audiences.recipients(_audience(event, "partners", **filters))

    committed = people()  # committed, invoiced or paid by default
    assert [(p.email, p.name, p.values) for p in committed] == [
        ("Dana@Acme.example", "Dana Lee", {"organisation": "Acme Cloud", "role": "Marketing"})
    ]
    assert [p.email for p in people(stages=["contacted"], kinds=["media"])] == ["ben@bugle.example"]
    assert [p.email for p in people(stages=["contacted", "committed"], levels=[str(gold.pk)])] == [
        "Dana@Acme.example"
    ]
    assert people(stages=["committed"], kinds=["exhibitor"]) == []


def test_a_contact_list_of_the_events_organiser_only(event):
    from podium.contacts.models import Contact, ContactList, Membership

    press = ContactList.objects.create(organiser=event.organiser, name="Press")
    for email, name in (("zoe@example.org", "Zoë"), ("ada@example.org", "")):
        contact = Contact.objects.create(
            organiser=event.organiser, email=email, name=name, organisation="Bugle"
        )
        Membership.objects.create(contact_list=press, contact=contact)
    theirs = ContactList.objects.create(organiser=factories.OrganiserFactory(), name="Theirs")

    people = audiences.recipients(_audience(event, "contact_list", contact_list=str(press.pk)))

    assert [(p.email, p.name, p.values) for p in people] == [
        ("ada@example.org", "ada@example.org", {"organisation": "Bugle"}),
        ("zoe@example.org", "Zoë", {"organisation": "Bugle"}),
    ]
    assert audiences.recipients(_audience(event, "contact_list", contact_list=str(theirs.pk))) == []
    assert audiences.clean_filters(event, "contact_list", {"contact_list": str(press.pk)}) == {
        "contact_list": str(press.pk)
    }
    with pytest.raises(ValidationError):
        audiences.clean_filters(event, "contact_list", {"contact_list": str(theirs.pk)})
