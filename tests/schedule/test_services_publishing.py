"""The event's publishing rule: a release holds confirmed sessions only, or accepted ones too."""

import pytest

from podium.base.errors import ServiceError
from podium.interop.exporters import ical
from podium.proposals.services import confirm_proposal
from podium.schedule import services
from podium.schedule.queries import left_out_slots, published_states
from tests import factories
from tests.program import at, lunch, placed_talk, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def program(event, scheduler):
    """A confirmed talk at 10:00 and an accepted one, not confirmed yet, at 11:00 (both in Hall A)."""
    confirmed = placed_talk(event, "Confirmed talk", "Hall A", at(event, 10), scheduler)
    unconfirmed = placed_talk(event, "Unconfirmed talk", "Hall A", at(event, 11), scheduler, state="accepted")
    lunch(event, scheduler)
    return confirmed, unconfirmed


def _codes(published):
    return sorted(published.sessions.filter(kind="session").values_list("code", flat=True))


def _status(published, code):
    text = ical.render(published, talk_code=code).content.decode()
    return next(line for line in text.splitlines() if line.startswith("STATUS:"))


def test_a_new_event_publishes_only_confirmed_sessions(event):
    assert event.publish_unconfirmed is False
    assert published_states(event) == ("confirmed",)


def test_a_release_leaves_out_unconfirmed_sessions_and_the_check_names_them(event, scheduler, program):
    confirmed, unconfirmed = program

    check = services.release_check(event)
    published = release(event, scheduler)

    assert [slot.proposal.code for slot in check.left_out] == [unconfirmed.code]
    assert check.blocked == []
    assert _codes(published) == [confirmed.code]
    assert _status(published, confirmed.code) == "STATUS:CONFIRMED"


def test_a_session_goes_public_once_its_speaker_confirms(event, scheduler, program):
    confirmed, unconfirmed = program
    release(event, scheduler)

    confirm_proposal(proposal=unconfirmed, by=unconfirmed.speakers.first())
    published = release(event, scheduler)

    assert _codes(published) == sorted([confirmed.code, unconfirmed.code])
    assert [c["kind"] for c in published.changes] == ["new"]
    assert left_out_slots(event) == []


def test_an_event_that_publishes_accepted_sessions_marks_them_tentative(event, scheduler, program):
    confirmed, unconfirmed = program
    event.publish_unconfirmed = True
    event.save()

    published = release(event, scheduler)

    assert _codes(published) == sorted([confirmed.code, unconfirmed.code])
    assert services.release_check(event).left_out == []
    assert _status(published, unconfirmed.code) == "STATUS:TENTATIVE"
    assert _status(published, confirmed.code) == "STATUS:CONFIRMED"


def test_publishing_is_refused_when_the_rule_would_withdraw_a_published_session(event, scheduler, program):
    _, unconfirmed = program
    event.publish_unconfirmed = True
    event.save()
    first = release(event, scheduler)
    event.publish_unconfirmed = False
    event.save()

    check = services.release_check(event)
    with pytest.raises(
        ServiceError, match="“Unconfirmed talk” is in the published schedule but not confirmed"
    ):
        release(event, scheduler, force=True)

    assert [slot.proposal.code for slot in check.blocked] == [unconfirmed.code]
    assert event.releases.count() == 1
    assert unconfirmed.code in _codes(first)
