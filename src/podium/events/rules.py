"""Who may do what in an event: answered once here, for pages, API and exports alike."""

from dataclasses import dataclass, field

from django.db.models import Q

from podium.events.models import Event, Team

FLAGS = (
    "is_admin",
    "can_edit_event",
    "can_review",
    "can_schedule",
    "can_send_mail",
    "can_check_in",
    "can_manage_sponsors",
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

    @property
    def sees_speaker_identity(self) -> bool:
        """Reviewers without event-management rights see anonymised proposals (when the event says so)."""
        return bool(self.flags & {"is_admin", "can_edit_event"})


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


def event_check(*flags: str):
    """A check for base.permissions.require: the URL's event, and any one of `flags` for the user.

    Loads the event once and leaves it on `request.event` with `request.permissions`.
    """
    from django.shortcuts import get_object_or_404

    def check(request, **kwargs) -> bool:
        event = get_object_or_404(Event.objects.select_related("organiser"), slug=kwargs["event"])
        request.event = event
        request.permissions = permissions_for(request.user, event)
        return any(getattr(request.permissions, flag) for flag in flags)

    return check


def team_member_check(request, **kwargs) -> bool:
    """Any team permission in the URL's event."""
    return event_check(*FLAGS)(request, **kwargs)
