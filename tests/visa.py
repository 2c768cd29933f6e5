"""Visa letter requests for tests, made through the services as a requester and an organiser would."""

import datetime as dt

from podium.letters import services


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
