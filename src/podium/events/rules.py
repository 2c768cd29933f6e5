"""Who may do what in an event: answered once here, for pages, API and exports alike."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from podium.base.errors import NotAllowed
from podium.events.models import Event, Organiser, Team

FLAGS = (
    "is_admin",
    "can_edit_event",
    "can_review",
    "can_schedule",
    "can_draft_mail",
    "can_approve_mail",
    "can_send_mail",
    "can_check_in",
    "can_manage_sponsors",
    "can_issue_letters",
)


@dataclass(frozen=True)
class EventPermissions:
    """The union of a user's team flags for one event.

    `track_ids` is None when some team gives access to every track, else the set of tracks the
    user's teams are limited to (it applies to proposal visibility).
    """

    flags: frozenset = field(default_factory=frozenset)
    track_ids: frozenset | None = None

    def __getattr__(self, name):
        if name in FLAGS:
            return name in self.flags
        raise AttributeError(name)

    @property
    def is_team_member(self) -> bool:
        return bool(self.flags) or self.track_ids is not None

    def has_any(self, flags) -> bool:
        """Whether any one of `flags` is given."""
        return any(getattr(self, flag) for flag in flags)


NO_PERMISSIONS = EventPermissions()


def teams_for(user, event: Event):
    """The teams through which `user` has access to `event`."""
    if not user.is_authenticated:
        return Team.objects.none()
    return (
        Team.objects.filter(organiser_id=event.organiser_id, members=user)
        .filter(Q(all_events=True) | Q(limit_events=event))
        .distinct()
    )


def events_with_permissions(user, organiser) -> list[Event]:
    """The organiser's events in which `user` has some team permission (as `permissions_for(user,
    event).is_team_member` says), in three queries whatever the number of events."""
    events = list(organiser.events.all())
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return events
    teams = Team.objects.filter(organiser=organiser, members=user).prefetch_related("limit_events")
    flagged = [team for team in teams if any(getattr(team, flag) for flag in FLAGS)]
    if any(team.all_events for team in flagged):
        return events
    allowed = {event.pk for team in flagged for event in team.limit_events.all()}
    return [event for event in events if event.pk in allowed]


def permissions_for(user, event: Event) -> EventPermissions:
    """The user's permissions in `event`, computed once per request and event."""
    if not user.is_authenticated:
        return NO_PERMISSIONS
    cache = getattr(user, "_podium_permissions", None)
    if cache is None:
        cache = {}
        user._podium_permissions = cache
    if event.pk in cache:
        return cache[event.pk]
    teams = list(teams_for(user, event).prefetch_related("limit_tracks"))
    flags = set()
    track_ids: set | None = set()
    for team in teams:
        flags.update(flag for flag in FLAGS if getattr(team, flag))
        limited = {track.pk for track in team.limit_tracks.all()}
        if not limited or team.is_admin or team.can_edit_event:
            track_ids = None
        elif track_ids is not None:
            track_ids |= limited
    if user.is_superuser:
        flags.update(FLAGS)
        track_ids = None
    if not teams and not user.is_superuser:
        track_ids = set()
    result = EventPermissions(
        flags=frozenset(flags), track_ids=None if track_ids is None else frozenset(track_ids)
    )
    if not flags:
        result = NO_PERMISSIONS
    cache[event.pk] = result
    return result


def is_organiser_admin(user, organiser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or Team.objects.filter(organiser=organiser, members=user, is_admin=True).exists()


def can_edit_event(user, event: Event) -> bool:
    """Event set-up (settings, rooms, tracks, session types, webhooks) and managing its proposals."""
    return permissions_for(user, event).can_edit_event


# Checks for services. `by` is None for operators on the command line, who act with the whole
# installation's rights; a user is held to the same rule as the pages that call the service.


def check_can_edit_event(by, event: Event) -> None:
    """Refuse `by` unless they may edit `event` (as the set-up and webhook pages require)."""
    if by is not None and not can_edit_event(by, event):
        raise NotAllowed(_("You may not change the set-up of this event."))


def check_organiser_admin(by, organiser: Organiser) -> None:
    """Refuse `by` unless they administer `organiser` (as its event and team pages require)."""
    if by is not None and not is_organiser_admin(by, organiser):
        raise NotAllowed(_("Only the organiser's administrators may do this."))


def check_site_admin(by) -> None:
    """Refuse `by` unless they administer the whole site (as the page that creates organisers requires)."""
    if by is not None and not by.is_superuser:
        raise NotAllowed(_("Only site administrators may create organisers."))
