"""The export of a person shows every PERSONAL value of the registry and no secret."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from podium.privacy.export import export_person

pytestmark = pytest.mark.django_db


def _text(value) -> str:
    if hasattr(value, "field"):  # a file: its stored name
        value = value.name
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def test_the_export_shows_every_personal_value(person):
    exported = _text(export_person(user=person.user))

    missing = [label for label, (_, shown) in person.personal.items() if shown not in exported]

    assert missing == []


def test_the_export_shows_no_secret(person):
    person.user.refresh_from_db()
    exported = _text(export_person(user=person.user))

    assert person.user.password not in exported
    assert '"secret_hash"' not in exported
    assert "co-invite-token-for-zyxwv" not in exported


def test_the_export_shows_notes_feedback_and_calendar_addresses_but_no_calendar_token(person):
    exported = export_person(user=person.user)

    assert [(note["proposal"], note["shared"]) for note in exported["notes"]] == [
        (person.proposal.code, True)
    ]
    assert [(entry["rating"], entry["comment"]) for entry in exported["feedback"]] == [
        (4, person.links["attendance.Feedback.user"].comment)
    ]
    assert [feed["event"] for feed in exported["calendar_feeds"]] == [person.event.slug]
    assert person.links["attendance.CalendarFeed.user"].token not in _text(exported)
