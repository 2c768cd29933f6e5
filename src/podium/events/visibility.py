"""Who may know that an event exists.

A non-public event answers every public address exactly as an unknown slug does (404), so nobody
outside it learns of it: not its name, not its track colours, not that a mail link is malformed.
Its team and its speakers are let in where they need to be: the team to the track colours its
schedule editor uses, the team and the speakers to the CfP and speakers' pages. The public program
(schedule, talks, exports, live stream, room screens, API) stays hidden from everyone until the
event is public, since those answers are cached and shared.

Every public view loads its event through `event_or_404` (or `any_event_or_404` and `may_know` for
mail-link pages, where the token proves the visitor), so there is one rule and one answer.
"""

from django.http import Http404

from podium.events.models import Event
from podium.events.rules import permissions_for

TEAM = "team"
SPEAKERS = "speakers"
INSIDERS = frozenset({TEAM, SPEAKERS})

NOT_FOUND = "There is no public event with this slug."


def unknown_event() -> Http404:
    """The one answer for an unknown slug and a hidden event alike."""
    return Http404(NOT_FOUND)


def any_event_or_404(slug: str) -> Event:
    """The URL's event whether public or not; for mail-link pages, which then ask `may_know`
    unless the link's token proves the visitor."""
    event = Event.objects.select_related("organiser").filter(slug=slug).first()
    if event is None:
        raise unknown_event()
    return event


def is_team_member(user, event: Event) -> bool:
    return permissions_for(user, event).is_team_member


def is_speaker(user, event: Event) -> bool:
    """A speaker of any proposal in the event (withdrawn and rejected ones included: their pages stay theirs)."""
    return user.is_authenticated and event.proposals.filter(speakers=user).exists()


def may_know(user, event: Event, *, admit=frozenset()) -> bool:
    """True when the event is public, or `user` belongs to one of the groups in `admit` (TEAM, SPEAKERS)."""
    if event.is_public:
        return True
    if user is None or not user.is_authenticated:
        return False
    return (TEAM in admit and is_team_member(user, event)) or (SPEAKERS in admit and is_speaker(user, event))


def event_or_404(slug: str, user=None, *, admit=frozenset()) -> Event:
    """The URL's event if `user` may know of it (see `may_know`); else 404 as for an unknown slug."""
    event = any_event_or_404(slug)
    if not may_know(user, event, admit=admit):
        raise unknown_event()
    return event
