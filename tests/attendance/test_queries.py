"""What the public may see and star, and who starred what."""

import pytest
from django.contrib.auth.models import AnonymousUser

from podium.attendance import queries
from podium.attendance.services import set_star
from podium.schedule.services import publish_release
from tests import factories
from tests.program import at, cancel, place

pytestmark = pytest.mark.django_db


def talk(event, state="confirmed", **kwargs):
    return factories.ProposalFactory(event=event, state=state, **kwargs)


def codes(proposals) -> list[str]:
    return sorted(p.code for p in proposals)


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, can_schedule=True)


def test_public_talks_before_a_release_are_none_unless_the_event_lists_them(event):
    talk(event)

    assert list(queries.public_talks(event)) == []


def test_public_talks_before_a_release_are_the_accepted_and_confirmed_ones(event):
    event.show_accepted_talks = True
    event.publish_unconfirmed = True  # the event publishes accepted sessions too
    event.save()
    accepted, confirmed = talk(event, state="accepted"), talk(event)
    for state in ("submitted", "rejected", "withdrawn", "cancelled"):
        talk(event, state=state)
    talk(factories.EventFactory(show_accepted_talks=True))

    assert codes(queries.public_talks(event)) == codes([accepted, confirmed])


def test_public_talks_before_a_release_follow_the_events_publishing_rule(event):
    event.show_accepted_talks = True
    event.save()
    talk(event, state="accepted")
    confirmed = talk(event)

    assert codes(queries.public_talks(event)) == codes([confirmed])


def test_public_talks_after_a_release_are_the_released_ones_only(event, scheduler):
    event.show_accepted_talks = True
    event.save()
    released, unplaced = talk(event), talk(event)
    place(event, released, "Hall A", at(event, 10), scheduler)
    publish_release(event=event, by=scheduler)

    assert codes(queries.public_talks(event)) == [released.code]
    assert unplaced.code not in codes(queries.public_talks(event))


def test_public_talks_keep_a_session_cancelled_in_the_draft_until_the_next_release(event, scheduler):
    proposal = talk(event)
    place(event, proposal, "Hall A", at(event, 10), scheduler)
    publish_release(event=event, by=scheduler)
    cancel(proposal, scheduler)

    before = codes(queries.public_talks(event))
    publish_release(event=event, by=scheduler)
    after = codes(queries.public_talks(event))

    assert (before, after) == ([proposal.code], [])


def test_public_talks_of_a_non_public_event_are_none(event):
    event.show_accepted_talks = True
    event.is_public = False
    event.save()
    talk(event)

    assert list(queries.public_talks(event)) == []


def test_starred_codes_are_the_users_codes_in_this_event(event):
    event.show_accepted_talks = True
    event.save()
    other_event = factories.EventFactory(show_accepted_talks=True)
    mine, theirs, elsewhere = talk(event), talk(event), talk(other_event)
    user, someone = factories.UserFactory(), factories.UserFactory()
    set_star(event=event, user=user, code=mine.code, starred=True)
    set_star(event=event, user=someone, code=theirs.code, starred=True)
    set_star(event=other_event, user=user, code=elsewhere.code, starred=True)

    assert queries.starred_codes(event, user) == {mine.code}


def test_starred_codes_of_an_anonymous_visitor_are_empty(event):
    assert queries.starred_codes(event, AnonymousUser()) == set()


def test_star_counts_count_stars_per_proposal(event):
    event.show_accepted_talks = True
    event.save()
    popular, quiet, unstarred = talk(event), talk(event), talk(event)
    for user in factories.UserFactory.create_batch(3):
        set_star(event=event, user=user, code=popular.code, starred=True)
    set_star(event=event, user=factories.UserFactory(), code=quiet.code, starred=True)

    assert queries.star_counts(event) == {popular.pk: 3, quiet.pk: 1}
    assert unstarred.pk not in queries.star_counts(event)
