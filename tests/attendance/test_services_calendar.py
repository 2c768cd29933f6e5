"""The secret address of an attendee's calendar: made on request, replaced by a new one."""

import pytest
from django.contrib.auth.models import AnonymousUser

from podium.attendance import services
from podium.attendance.models import CalendarFeed
from podium.base.errors import NotAllowed, ServiceError
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendee(db):
    return factories.UserFactory()


def test_renew_calendar_feed_makes_a_long_random_token(event, attendee):
    feed = services.renew_calendar_feed(event=event, user=attendee)

    assert (feed.event, feed.user) == (event, attendee)
    assert len(feed.token) >= 43  # 32 random bytes, URL-safe base64: 256 bits
    assert feed.key == f"{feed.pk}-{feed.token}"


def test_renew_calendar_feed_replaces_the_token(event, attendee):
    first = services.renew_calendar_feed(event=event, user=attendee)

    second = services.renew_calendar_feed(event=event, user=attendee)

    assert CalendarFeed.objects.count() == 1
    assert second.pk == first.pk
    assert second.token != first.token
    assert second.created >= first.created


def test_two_attendees_get_different_tokens(event, attendee):
    mine = services.renew_calendar_feed(event=event, user=attendee)
    theirs = services.renew_calendar_feed(event=event, user=factories.UserFactory())

    assert mine.token != theirs.token


def test_renew_calendar_feed_refuses_a_hidden_event(event, attendee):
    event.is_public = False
    event.save(update_fields=["is_public"])

    with pytest.raises(ServiceError, match="no public event"):
        services.renew_calendar_feed(event=event, user=attendee)


def test_renew_calendar_feed_needs_a_logged_in_user(event):
    with pytest.raises(NotAllowed):
        services.renew_calendar_feed(event=event, user=AnonymousUser())
