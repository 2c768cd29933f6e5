"""Who may edit the schedule and publish releases. The public reads releases, which are public."""

from podium.base.errors import NotAllowed
from podium.events.rules import permissions_for


def can_schedule(user, event) -> bool:
    """Team members with the schedule permission edit the draft and publish releases.

    Track limits do not apply: a schedule is one grid, and a move in one track can collide with
    every other track.
    """
    return permissions_for(user, event).can_schedule


def check_can_schedule(by, event) -> None:
    """Refuse `by` unless they may edit the schedule of `event`.

    `by` is None for operators on the command line, who act with the whole installation's rights.
    """
    if by is not None and not can_schedule(by, event):
        raise NotAllowed("You may not edit the schedule of this event.")
