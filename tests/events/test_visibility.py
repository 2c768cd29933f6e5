"""Who may know of a non-public event: its team and its speakers, where admitted; nobody else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from podium.events.visibility import INSIDERS, SPEAKERS, TEAM, event_or_404, may_know
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    return factories.EventFactory(is_public=False)


def test_a_public_event_is_known_to_everyone(event):
    assert event_or_404(event.slug) == event
    assert may_know(AnonymousUser(), event)


def test_a_hidden_event_and_an_unknown_slug_raise_the_same_404(hidden):
    with pytest.raises(Http404) as hidden_error:
        event_or_404(hidden.slug, factories.UserFactory(), admit=INSIDERS)
    with pytest.raises(Http404) as unknown_error:
        event_or_404("no-such-event")

    assert str(hidden_error.value) == str(unknown_error.value)


def test_team_and_speakers_are_admitted_only_where_asked(hidden):
    member = factories.team_member(hidden, can_review=True)
    speaker = factories.UserFactory()
    factories.ProposalFactory(event=hidden, speakers=[speaker], state="withdrawn")

    assert (may_know(member, hidden, admit={TEAM}), may_know(member, hidden, admit={SPEAKERS})) == (
        True,
        False,
    )
    assert (may_know(speaker, hidden, admit={SPEAKERS}), may_know(speaker, hidden, admit={TEAM})) == (
        True,
        False,
    )
    assert not may_know(member, hidden)
    assert not may_know(AnonymousUser(), hidden, admit=INSIDERS)


def test_a_team_limited_to_other_events_of_the_organiser_is_not_admitted(hidden):
    sibling = factories.EventFactory(organiser=hidden.organiser)
    member = factories.team_member(sibling, is_admin=True, events=[sibling])

    assert not may_know(member, hidden, admit=INSIDERS)


def test_a_superuser_is_admitted_as_team(hidden):
    admin = factories.UserFactory(is_superuser=True)

    assert may_know(admin, hidden, admit={TEAM})
