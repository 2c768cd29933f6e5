"""Who may give feedback on a talk and when, who reads feedback with names, whose note is whose."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from podium.attendance import rules
from podium.attendance.models import Note
from podium.base.errors import NotAllowed
from tests import factories
from tests.program import cancel, release, running_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return running_program()


@pytest.fixture
def attendee(db):
    return factories.UserFactory(name="Grace Hopper")


def test_feedback_is_open_for_a_talk_that_has_started(conf, attendee):
    assert rules.feedback_refusal(attendee, conf["opening"]) is None


def test_feedback_is_refused_before_the_talk_starts_saying_when_it_opens(conf, attendee):
    refusal = rules.feedback_refusal(attendee, conf["closing"])

    start = conf["release"].sessions.get(code=conf["closing"].code).start.astimezone(conf["event"].tz)
    assert refusal == (
        f"Feedback opens when the talk starts ({start:%A} {start.day} {start:%B}, 10:00, America/Chicago)."
    )


def test_feedback_opens_at_the_released_start_to_the_second(conf, attendee):
    start = conf["release"].sessions.get(code=conf["closing"].code).start

    assert rules.feedback_refusal(attendee, conf["closing"], now=start - dt.timedelta(seconds=1)) is not None
    assert rules.feedback_refusal(attendee, conf["closing"], now=start) is None


def test_feedback_is_refused_to_the_talks_own_speakers(conf):
    assert rules.feedback_refusal(conf["ada"], conf["opening"]) == rules.OWN_TALK


def test_feedback_is_refused_for_a_cancelled_talk_even_before_the_next_release(conf, attendee):
    cancel(conf["opening"], conf["scheduler"])
    conf["opening"].refresh_from_db()

    assert conf["release"].sessions.filter(code=conf["opening"].code).exists()
    assert rules.feedback_refusal(attendee, conf["opening"]) == rules.CANCELLED


def test_feedback_is_refused_for_a_talk_cancelled_in_the_latest_release(conf, attendee):
    cancel(conf["opening"], conf["scheduler"])
    release(conf["event"], conf["scheduler"])
    conf["opening"].refresh_from_db()

    assert rules.feedback_refusal(attendee, conf["opening"]) == rules.CANCELLED


@pytest.mark.parametrize("state", ["submitted", "accepted", "rejected"])
def test_feedback_is_refused_for_a_talk_not_on_the_release(conf, attendee, state):
    unreleased = factories.ProposalFactory(event=conf["event"], state=state)

    assert rules.feedback_refusal(attendee, unreleased) == rules.NOT_RELEASED


def test_feedback_is_refused_on_a_hidden_event(conf, attendee):
    conf["event"].is_public = False
    conf["event"].save(update_fields=["is_public"])

    assert rules.feedback_refusal(attendee, conf["opening"]) == rules.NOT_RELEASED


def test_feedback_is_refused_to_anonymous_visitors(conf):
    assert rules.feedback_refusal(AnonymousUser(), conf["opening"]) == rules.LOG_IN


def test_check_can_give_feedback_raises_the_refusal(conf):
    with pytest.raises(NotAllowed, match="your own talk"):
        rules.check_can_give_feedback(conf["ada"], conf["opening"])


@pytest.mark.parametrize(
    ("flags", "reads"),
    [
        ({"can_review": True}, True),
        ({"can_edit_event": True}, True),
        ({"can_schedule": True}, False),
        ({"can_send_mail": True}, False),
    ],
)
def test_feedback_authors_are_read_by_organisers_who_review_or_edit(event, flags, reads):
    member = factories.team_member(event, **flags)

    assert rules.can_read_feedback_authors(member, event) is reads


def test_feedback_authors_are_not_read_by_another_events_organisers(event):
    other = factories.EventFactory()
    member = factories.team_member(other, can_edit_event=True, can_review=True)

    assert rules.can_read_feedback_authors(member, event) is False
    assert rules.can_read_feedback_authors(AnonymousUser(), event) is False


def test_a_note_is_its_authors_alone(conf, attendee):
    note = Note.objects.create(event=conf["event"], user=attendee, proposal=conf["opening"], text="Mine")
    organiser = factories.team_member(conf["event"], is_admin=True, can_edit_event=True)

    rules.check_note_author(attendee, note)
    for someone in (organiser, None):
        with pytest.raises(NotAllowed, match="not yours"):
            rules.check_note_author(someone, note)
