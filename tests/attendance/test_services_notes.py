"""An attendee's notes on talks: written, replaced, shared, deleted, and only by their author."""

import pytest
from django.contrib.auth.models import AnonymousUser

from podium.attendance import services
from podium.attendance.models import MAX_NOTE_LENGTH, Note
from podium.base.errors import NotAllowed, ServiceError
from tests import factories
from tests.program import running_program

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> **bold** [link](javascript:alert(1))'


@pytest.fixture
def conf(db):
    return running_program()


@pytest.fixture
def attendee(db):
    return factories.UserFactory(name="Grace Hopper")


def test_save_note_writes_a_private_note_on_the_talk(conf, attendee):
    note = services.save_note(proposal=conf["opening"], by=attendee, text="Remember the slides.")

    assert list(Note.objects.values_list("event", "user", "proposal", "text", "shared")) == [
        (conf["event"].pk, attendee.pk, conf["opening"].pk, "Remember the slides.", False)
    ]
    assert note == Note.objects.get()


def test_save_note_again_replaces_the_note_and_can_share_it(conf, attendee):
    services.save_note(proposal=conf["opening"], by=attendee, text="First draft")

    services.save_note(proposal=conf["opening"], by=attendee, text="Second draft", shared=True)

    assert list(Note.objects.values_list("text", "shared")) == [("Second draft", True)]


def test_save_note_keeps_hostile_text_as_written(conf, attendee):
    """Notes are stored as typed; they are sanitised where they are shown (tests/site/views)."""
    services.save_note(proposal=conf["opening"], by=attendee, text=HOSTILE)

    assert Note.objects.get().text == HOSTILE


def test_save_note_with_empty_text_deletes_the_note(conf, attendee):
    services.save_note(proposal=conf["opening"], by=attendee, text="Soon gone")

    result = services.save_note(proposal=conf["opening"], by=attendee, text="  \r\n ")

    assert result is None
    assert Note.objects.count() == 0


def test_save_note_refuses_text_longer_than_the_limit(conf, attendee):
    with pytest.raises(ServiceError, match="at most 20,000 characters") as refused:
        services.save_note(proposal=conf["opening"], by=attendee, text="x" * (MAX_NOTE_LENGTH + 1))

    assert refused.value.field == "text"
    assert Note.objects.count() == 0


def test_save_note_takes_exactly_the_limit(conf, attendee):
    services.save_note(proposal=conf["opening"], by=attendee, text="x" * MAX_NOTE_LENGTH)

    assert len(Note.objects.get().text) == MAX_NOTE_LENGTH


@pytest.mark.parametrize("state", ["submitted", "rejected", "withdrawn"])
def test_save_note_refuses_a_talk_that_is_not_public(conf, attendee, state):
    hidden = factories.ProposalFactory(event=conf["event"], state=state)

    with pytest.raises(ServiceError, match="no public session"):
        services.save_note(proposal=hidden, by=attendee, text="Peek")

    assert Note.objects.count() == 0


def test_save_note_refuses_a_hidden_events_talk(conf, attendee):
    conf["event"].is_public = False
    conf["event"].save(update_fields=["is_public"])

    with pytest.raises(ServiceError, match="no public session"):
        services.save_note(proposal=conf["opening"], by=attendee, text="Peek")


@pytest.mark.parametrize("who", ["anonymous", "nobody"])
def test_save_note_needs_a_logged_in_author(conf, who):
    by = AnonymousUser() if who == "anonymous" else None

    with pytest.raises(NotAllowed):
        services.save_note(proposal=conf["opening"], by=by, text="Who am I?")


def test_notes_of_two_attendees_on_one_talk_are_separate(conf, attendee):
    other = factories.UserFactory()
    services.save_note(proposal=conf["opening"], by=attendee, text="Mine")

    services.save_note(proposal=conf["opening"], by=other, text="Theirs")

    assert sorted(Note.objects.values_list("user", "text")) == sorted(
        [(attendee.pk, "Mine"), (other.pk, "Theirs")]
    )


def test_delete_note_by_its_author(conf, attendee):
    note = services.save_note(proposal=conf["opening"], by=attendee, text="Bye")

    services.delete_note(note=note, by=attendee)

    assert Note.objects.count() == 0


def test_delete_note_by_anyone_else_is_refused(conf, attendee):
    note = services.save_note(proposal=conf["opening"], by=attendee, text="Keep out")
    organiser = factories.team_member(conf["event"], is_admin=True, can_edit_event=True)

    with pytest.raises(NotAllowed, match="not yours"):
        services.delete_note(note=note, by=organiser)

    assert Note.objects.get().text == "Keep out"
