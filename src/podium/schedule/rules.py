"""Who may edit the schedule and publish releases. The public reads releases, which are public."""

from podium.events.rules import permissions_for


def can_schedule(user, event) -> bool:
    """Team members with the schedule permission edit the draft and publish releases.

    Track limits do not apply: a schedule is one grid, and a move in one track can collide with
    every other track.
    """
    return permissions_for(user, event).can_schedule
