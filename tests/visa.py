"""Visa letter requests for tests, made through the services as a requester and an organiser would."""

import datetime as dt

import pytest

from podium.letters import services
from tests import factories
from tests.registration import shop


def values(event, **overrides) -> dict:
    """A complete request for `event`: arriving the day before, leaving the day after."""
    return {
        "passport_name": "Zoë Łukasiewicz-Dvořák",
        "nationality": "Polish",
        "passport_number": "PX1234567",
        "date_of_birth": dt.date(1990, 5, 17),
        "arrival": event.date_from - dt.timedelta(days=1),
        "departure": event.date_to + dt.timedelta(days=1),
        "address": "ul. Długa 5, 00-001 Warszawa",
        "note": "Consulate in Berlin",
        **overrides,
    }


def ask(event, user, **overrides):
    """`user` (a confirmed speaker or ticket holder) asks for a letter."""
    return services.save_request(event=event, by=user, data=values(event, **overrides))


def letter(event, user, approver, **overrides):
    """An approved letter of `user` (who must be allowed to ask), approved by `approver`."""
    request = ask(event, user, **overrides)
    return services.approve_request(letter=request, by=approver, version=request.version)


# The fixtures the letters' test modules share: each imports those it uses (the module's name for a
# fixture wins over the suite's own `event`).


@pytest.fixture
def event(db):
    return factories.EventFactory(name="PyConf Kraków")


@pytest.fixture
def speaker(event):
    """A confirmed speaker of the event."""
    user = factories.UserFactory(name="Zoë Speaker")
    factories.ProposalFactory(event=event, speakers=[user], state="confirmed")
    return user


@pytest.fixture
def attendee(event):
    """A user holding a paid (free) ticket."""
    user = factories.UserFactory(name="Ada Attendee")
    shop.open_registration(event)
    shop.buy(event, user, shop.ticket_type(event, "Community", price="0.00"))
    return user


@pytest.fixture
def issuer(event):
    """A team member who issues letters."""
    return factories.team_member(event, name="Visa desk", can_issue_letters=True)
