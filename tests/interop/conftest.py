"""Fixtures for the interop tests: a small released program built with the factories."""

import pytest

from tests import factories
from tests.program import at, lunch, placed_talk, release


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def small_program(event, scheduler):
    """Released "v1": Alpha (Hall A, 10:00, Ada and Bob), Beta (Room 101, 10:00, Bob), a lunch
    in every room, and Gamma after midnight of the first day (Hall A, 01:00 on day two)."""
    ada = factories.UserFactory(name="Ada Lovelace")
    bob = factories.UserFactory(name="Bob Babbage")
    alpha = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler, speakers=[ada, bob])
    beta = placed_talk(
        event, "Beta talk", "Room 101", at(event, 10), scheduler, track_name="Data", speakers=[bob]
    )
    lunch(event, scheduler)
    gamma = placed_talk(event, "Gamma late talk", "Hall A", at(event, 1, day=1), scheduler, speakers=[ada])
    first = release(event, scheduler, name="v1")
    return {"event": event, "alpha": alpha, "beta": beta, "gamma": gamma, "release": first, "by": scheduler}
