"""The publishing rule's migration keeps existing events from withdrawing talks they published."""

import importlib

import pytest
from django.apps import apps

from podium.events.models import Event
from tests import factories
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.django_db

migration = importlib.import_module("podium.events.migrations.0010_event_publish_unconfirmed")


def _publishing_everything(event):
    """The event as it was before the setting: its releases held accepted sessions too."""
    event.publish_unconfirmed = True
    event.save()


def test_the_migration_keeps_accepted_sessions_published_only_where_a_release_shows_one():
    shown, confirmed_only, unreleased = (factories.EventFactory() for _ in range(3))
    for event in (shown, confirmed_only, unreleased):
        _publishing_everything(event)
        scheduler = factories.team_member(event, can_schedule=True)
        placed_talk(event, "Confirmed", "Hall A", at(event, 10), scheduler)
        if event is shown:
            placed_talk(event, "Accepted", "Hall A", at(event, 11), scheduler, state="accepted")
        if event is not unreleased:
            release(event, scheduler)
    Event.objects.update(publish_unconfirmed=False)  # the column's default when it was added

    migration.keep_published_sessions(apps, None)

    assert {event.slug for event in Event.objects.filter(publish_unconfirmed=True)} == {shown.slug}
