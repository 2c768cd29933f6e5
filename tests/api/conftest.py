import pytest

from podium.accounts.tokens import create_api_token
from tests import factories, program


def make_token(user, *events, scope: str = "read") -> str:
    """A token of `user` for `events` (of one organiser); returns the secret."""
    _token, secret = create_api_token(
        user=user, organiser=events[0].organiser, name="script", events=events, scope=scope
    )
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True, can_edit_event=True)


@pytest.fixture
def published(event, scheduler):
    """An event with two released talks in two rooms and tracks, and a lunch break in every room."""
    first = program.placed_talk(event, "Fast APIs", "Hall A", program.at(event, 10), scheduler)
    second = program.placed_talk(
        event, "Data at scale", "Room 101", program.at(event, 10, day=1), scheduler, track_name="Data"
    )
    program.lunch(event, scheduler)
    program.release(event, scheduler, comment="First program")
    return {"event": event, "first": first, "second": second}
