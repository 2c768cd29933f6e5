"""Starring sessions and merging the stars a visitor kept in the browser."""

import pytest

from podium.attendance import services
from podium.attendance.models import Star
from podium.base.errors import ServiceError
from podium.schedule.services import publish_release
from tests import factories
from tests.program import at, cancel, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(event):
    """An event that lists its accepted talks before the first release."""
    event.show_accepted_talks = True
    event.save()
    return event


@pytest.fixture
def visitor(db):
    return factories.UserFactory()


def talk(event, state="confirmed", **kwargs):
    return factories.ProposalFactory(event=event, state=state, **kwargs)


def codes_of(user) -> list[str]:
    return sorted(Star.objects.filter(user=user).values_list("proposal__code", flat=True))


# --- set_star --------------------------------------------------------------------------------------


def test_set_star_stars_a_public_talk(listed, visitor):
    proposal = talk(listed)

    result = services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)

    assert result is True
    assert list(Star.objects.values_list("event", "user", "proposal")) == [
        (listed.pk, visitor.pk, proposal.pk)
    ]


def test_set_star_is_idempotent(listed, visitor):
    proposal = talk(listed)

    services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)
    services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)

    assert codes_of(visitor) == [proposal.code]


def test_set_star_accepts_lower_case_and_spaces(listed, visitor):
    proposal = talk(listed)

    services.set_star(event=listed, user=visitor, code=f" {proposal.code.lower()} ", starred=True)

    assert codes_of(visitor) == [proposal.code]


def test_set_star_unstars(listed, visitor):
    proposal = talk(listed)
    services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)

    result = services.set_star(event=listed, user=visitor, code=proposal.code, starred=False)

    assert result is False
    assert codes_of(visitor) == []


def test_set_star_unstarring_twice_is_fine(listed, visitor):
    proposal = talk(listed)

    services.set_star(event=listed, user=visitor, code=proposal.code, starred=False)
    services.set_star(event=listed, user=visitor, code=proposal.code, starred=False)

    assert codes_of(visitor) == []


def test_set_star_leaves_other_visitors_stars_alone(listed, visitor):
    proposal = talk(listed)
    other = factories.UserFactory()
    services.set_star(event=listed, user=other, code=proposal.code, starred=True)

    services.set_star(event=listed, user=visitor, code=proposal.code, starred=False)

    assert codes_of(other) == [proposal.code]


@pytest.mark.parametrize("state", ["submitted", "rejected", "withdrawn", "cancelled"])
def test_set_star_refuses_a_talk_that_is_not_public(listed, visitor, state):
    proposal = talk(listed, state=state)

    with pytest.raises(ServiceError, match="There is no public session with this code"):
        services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)

    assert codes_of(visitor) == []


def test_set_star_refuses_accepted_talks_when_the_event_does_not_list_them(event, visitor):
    proposal = talk(event)

    with pytest.raises(ServiceError):
        services.set_star(event=event, user=visitor, code=proposal.code, starred=True)


def test_set_star_refuses_another_events_code(listed, visitor):
    other = talk(factories.EventFactory(show_accepted_talks=True))

    with pytest.raises(ServiceError):
        services.set_star(event=listed, user=visitor, code=other.code, starred=True)

    assert codes_of(visitor) == []


def test_set_star_refuses_a_non_public_event(listed, visitor):
    proposal = talk(listed)
    listed.is_public = False
    listed.save()

    with pytest.raises(ServiceError):
        services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)


def test_set_star_refuses_unstarring_a_code_that_was_never_public(listed, visitor):
    rejected = talk(listed, state="rejected")

    with pytest.raises(ServiceError):
        services.set_star(event=listed, user=visitor, code=rejected.code, starred=False)


def test_set_star_after_a_release_only_accepts_released_talks(listed, visitor):
    scheduler = factories.team_member(listed, can_schedule=True)
    released, unplaced = talk(listed), talk(listed)
    place(listed, released, "Hall A", at(listed, 10), scheduler)
    publish_release(event=listed, by=scheduler)

    services.set_star(event=listed, user=visitor, code=released.code, starred=True)
    with pytest.raises(ServiceError):
        services.set_star(event=listed, user=visitor, code=unplaced.code, starred=True)

    assert codes_of(visitor) == [released.code]


def test_set_star_can_remove_the_star_of_a_cancelled_session(listed, visitor):
    scheduler = factories.team_member(listed, can_schedule=True)
    proposal = talk(listed)
    place(listed, proposal, "Hall A", at(listed, 10), scheduler)
    publish_release(event=listed, by=scheduler)
    services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)
    cancel(proposal, scheduler)
    publish_release(event=listed, by=scheduler)

    result = services.set_star(event=listed, user=visitor, code=proposal.code, starred=False)

    assert result is False
    assert codes_of(visitor) == []


# --- merge_stars -----------------------------------------------------------------------------------


def test_merge_stars_adds_new_codes_and_returns_all(listed, visitor):
    kept, first, second = talk(listed), talk(listed), talk(listed)
    services.set_star(event=listed, user=visitor, code=kept.code, starred=True)

    result = services.merge_stars(event=listed, user=visitor, codes=[first.code, second.code])

    assert result == {kept.code, first.code, second.code}
    assert codes_of(visitor) == sorted(result)


def test_merge_stars_ignores_unknown_hidden_and_other_events_codes(listed, visitor):
    good = talk(listed)
    rejected = talk(listed, state="rejected")
    other = talk(factories.EventFactory(show_accepted_talks=True))

    result = services.merge_stars(
        event=listed, user=visitor, codes=["NOSUCH", rejected.code, other.code, good.code, "", "  "]
    )

    assert result == {good.code}


def test_merge_stars_takes_duplicates_and_already_starred_codes(listed, visitor):
    proposal = talk(listed)
    services.set_star(event=listed, user=visitor, code=proposal.code, starred=True)

    result = services.merge_stars(
        event=listed, user=visitor, codes=[proposal.code, proposal.code.lower(), f" {proposal.code}"]
    )

    assert result == {proposal.code}
    assert Star.objects.filter(user=visitor).count() == 1


def test_merge_stars_refuses_more_than_the_limit(listed, visitor):
    proposal = talk(listed)

    with pytest.raises(ServiceError, match=f"At most {services.MAX_MERGE}"):
        services.merge_stars(event=listed, user=visitor, codes=[proposal.code] * (services.MAX_MERGE + 1))

    assert codes_of(visitor) == []


def test_merge_stars_takes_exactly_the_limit(listed, visitor):
    proposal = talk(listed)

    result = services.merge_stars(event=listed, user=visitor, codes=[proposal.code] * services.MAX_MERGE)

    assert result == {proposal.code}
