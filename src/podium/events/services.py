"""Event set-up use cases: organisers, events, rooms, tracks, session types, teams and invitations."""

import datetime as dt
import itertools
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events import signals
from podium.events.models import (
    MAX_PAUSE_MINUTES,
    RESERVED_SLUGS,
    Event,
    Organiser,
    Room,
    RoomAvailability,
    SessionType,
    Team,
    TeamInvite,
    Track,
    timezone_names,
)
from podium.events.rules import FLAGS, check_can_edit_event, check_organiser_admin, check_site_admin
from podium.mail.services import queue_mail

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,48}")
EVENT_FIELDS = (
    "name",
    "timezone",
    "date_from",
    "date_to",
    "day_start_hour",
    "cfp_opens",
    "cfp_closes",
    "anonymise_review",
    "score_labels",
    "languages",
    "is_public",
    "show_accepted_talks",
    "publish_unconfirmed",
    "contact_email",
    "description",
    "min_pause_minutes",
    # The name and the CfP text in the other languages of the interface (podium.base.translated).
    "name_de",
    "name_fr",
    "description_de",
    "description_fr",
    "default_language",
)


@transaction.atomic
def create_organiser(*, name: str, slug: str, admin, by=None) -> Organiser:
    """A new organiser whose first team ("Administrators") holds every permission and `admin`.

    Refused when `by` (who creates it; None on the command line) is not a site administrator.
    Side effects: audit entry.
    """
    check_site_admin(by)
    if not (name or "").strip():
        raise ServiceError(_("Give the organiser a name."), field="name")
    if not SLUG_RE.fullmatch(slug or ""):
        raise ServiceError(_("Use 2 to 49 lowercase letters, digits and hyphens."), field="slug")
    if Organiser.objects.filter(slug=slug).exists():
        raise ServiceError(_("This short name is taken; choose another."), field="slug")
    organiser = Organiser.objects.create(name=name.strip(), slug=slug)
    team = Team.objects.create(
        organiser=organiser,
        name="Administrators",
        is_admin=True,
        can_edit_event=True,
        can_review=True,
        can_schedule=True,
        can_send_mail=True,
        can_check_in=True,
        can_manage_sponsors=True,
        can_issue_letters=True,
    )
    team.members.add(admin)
    audit.record(action="organiser.created", actor=admin, target=organiser)
    return organiser


def check_event_slug(slug: str) -> None:
    """Refuse a slug that is malformed, reserved for the site's own URLs, or taken."""
    if not SLUG_RE.fullmatch(slug or ""):
        raise ServiceError(
            _("Use 2 to 49 lowercase letters, digits and hyphens, starting with a letter or digit."),
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise ServiceError(f'"{slug}" is reserved for the site itself; choose another.', field="slug")
    if Event.objects.filter(slug=slug).exists():
        raise ServiceError(_("This short name is taken; choose another."), field="slug")


@transaction.atomic
def create_event(*, organiser: Organiser, by, slug: str, data: dict) -> Event:
    """Create an event with default session types. Side effects: audit entry.

    The creator's admin teams that are limited to some events get the new event too, so the creator
    can open the event they just made. Refused when `by` does not administer the organiser.
    """
    check_organiser_admin(by, organiser)
    check_event_slug(slug)
    event = Event(organiser=organiser, slug=slug, **{k: v for k, v in data.items() if k in EVENT_FIELDS})
    _validate_event(event)
    event.save()
    SessionType.objects.bulk_create(
        [
            SessionType(event=event, name="Talk", duration_minutes=30),
            SessionType(event=event, name="Tutorial", duration_minutes=180),
            SessionType(event=event, name="Keynote", duration_minutes=45, is_plenary=True),
        ]
    )
    for team in organiser.teams.filter(members=by, is_admin=True, all_events=False):
        team.limit_events.add(event)
    audit.record(action="event.created", actor=by, target=event, event_id=event.pk)
    return event


#: The days an event may have: far enough from the ends of the calendar that a day's end, its times in
#: any zone, a copy's moved dates and a feed's time zone span stay representable.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(9000, 12, 31)


def possible_day(day: dt.date) -> bool:
    """Whether an event may have `day` (FIRST_DAY to LAST_DAY)."""
    return FIRST_DAY <= day <= LAST_DAY


def _validate_event(event: Event) -> None:
    if not (event.name or "").strip():
        raise ServiceError(_("Give the event a name."), field="name")
    if event.timezone not in timezone_names():
        raise ServiceError(_("Choose a time zone from the list."), field="timezone")
    if event.default_language not in dict(settings.LANGUAGES):
        raise ServiceError(_("Choose a language from the list."), field="default_language")
    for field in ("name_de", "name_fr", "description_de", "description_fr"):
        if getattr(event, field) is None:  # not given: not translated
            setattr(event, field, "")
    if event.date_from is None or event.date_to is None:
        raise ServiceError(
            _("Give the event's first and last day."),
            field="date_from" if event.date_from is None else "date_to",
        )
    for field in ("date_from", "date_to"):
        if not possible_day(getattr(event, field)):
            raise ServiceError(
                _("Give a day from %(first)s to %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                field=field,
            )
    if event.date_to < event.date_from:
        raise ServiceError(_("The event must end on or after its first day."), field="date_to")
    if event.day_start_hour is None or not 0 <= event.day_start_hour <= 23:
        raise ServiceError(_("The day starts at an hour from 0 to 23."), field="day_start_hour")
    if event.cfp_opens and event.cfp_closes and event.cfp_closes <= event.cfp_opens:
        raise ServiceError(_("The call for papers must close after it opens."), field="cfp_closes")
    pause = event.min_pause_minutes
    if isinstance(pause, bool) or not isinstance(pause, int) or not 0 <= pause <= MAX_PAUSE_MINUTES:
        raise ServiceError(
            _("The minimum pause between a speaker's sessions is 0 to %(most)s minutes.")
            % {"most": MAX_PAUSE_MINUTES},
            field="min_pause_minutes",
        )
    _validate_pairs(
        event.score_labels,
        field="score_labels",
        key_type=int,
        minimum=2,
        message=_("The review scale needs at least two different whole-number scores, each with a label."),
    )
    _validate_pairs(
        event.languages,
        field="languages",
        key_type=str,
        minimum=1,
        message=_("Name at least one language, each with a code and a label, codes not repeated."),
    )


def _validate_pairs(pairs, *, field: str, key_type: type, minimum: int, message: str) -> None:
    """`pairs` is a list of [key, label] with keys of `key_type`, unique, labels not empty."""
    try:
        keys = [
            key
            for key, label in pairs
            if isinstance(key, key_type) and not isinstance(key, bool) and str(label).strip()
        ]
    except (TypeError, ValueError):
        keys = []
    if len(keys) != len(pairs or []) or len(keys) < minimum or len(set(keys)) != len(keys):
        raise ServiceError(message, field=field)


def _lock_version(model, *, pk: int, version: int | None, what: str) -> int:
    """Lock the row and return its stored version; refuse when `version` (the one the editor saw) differs.

    Must run inside the caller's transaction. Without a `version` (scripts, the demo) nothing is compared,
    but the row is still locked so the version is bumped in order.
    """
    stored = model.objects.select_for_update().values_list("version", flat=True).get(pk=pk)
    if version is not None and stored != version:
        raise StaleEdit(
            _(
                "Someone else changed %(what)s while you were editing. "
                "The form shows the current values; make your change again."
            )
            % {"what": what}
        )
    return stored


@transaction.atomic
def update_event(*, event: Event, by, data: dict, version: int | None = None) -> Event:
    """Change the event's settings. Side effects: audit entry listing the changed fields.

    A stale `version` (someone saved in between) is refused with StaleEdit. When refused, `event` is
    reloaded, so a caller never holds (or shows) settings that were not saved. Refused when `by` may not
    edit the event.
    """
    check_can_edit_event(by, event)
    stored_version = _lock_version(Event, pk=event.pk, version=version, what=_("the event's settings"))
    changed = []
    for name, value in data.items():
        if name in EVENT_FIELDS and getattr(event, name) != value:
            setattr(event, name, value)
            changed.append(name)
    try:
        _validate_event(event)
    except ServiceError:
        event.refresh_from_db()
        raise
    event.version = stored_version + 1
    # Only the settings changed here: a run started meanwhile may have stored its weights on the event.
    event.save(update_fields=[*changed, "version"])
    audit.record(action="event.updated", actor=by, target=event, event_id=event.pk, fields=changed)
    return event


# --- Rooms, tracks, session types ----------------------------------------------------------------

OWNED_FIELDS = {
    Room: ("name", "description", "capacity", "position"),
    Track: ("name", "colour", "description"),
    SessionType: ("name", "duration_minutes", "is_plenary", "requires_seat", "seats"),
}


# What a stale edit of each kind of object calls it ("Someone else changed this room …").
_THIS = {
    Room: lambda: _("this room"),
    Track: lambda: _("this track"),
    SessionType: lambda: _("this session type"),
}


def _save_owned(*, model, event, by, instance=None, data: dict, action: str, version: int | None = None):
    check_can_edit_event(by, event)
    if instance is not None and instance.event_id != event.pk:
        raise NotAllowed(_("This object belongs to another event."))
    obj = instance or model(event=event)
    stored_version = (
        _lock_version(model, pk=obj.pk, version=version, what=_THIS[model]()) if obj.pk is not None else 0
    )
    for name, value in data.items():
        if name in OWNED_FIELDS[model]:
            setattr(obj, name, value)
    obj.name = (obj.name or "").strip()
    if not obj.name:
        raise ServiceError(_("Give it a name."), field="name")
    if model.objects.filter(event=event, name__iexact=obj.name).exclude(pk=obj.pk).exists():
        raise ServiceError(f'There is already a {model._meta.verbose_name} named "{obj.name}".', field="name")
    # The model's own validators (colour format, duration range, …) hold for every caller, not only forms.
    try:
        obj.full_clean(exclude=["event", "uuid"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=None if field == "__all__" else field) from exc
    obj.version = stored_version + 1
    obj.save()
    audit.record(action=action, actor=by, target=obj, event_id=event.pk)
    return obj


@transaction.atomic
def save_room(
    *, event: Event, by, data: dict, room: Room | None = None, windows=None, version: int | None = None
) -> Room:
    """Create or edit a room, and replace its availability windows when `windows` is given.

    An edit with a stale `version` (someone saved the room or its windows in between) is refused with
    StaleEdit. Side effects: audit entries. Either all of it is saved or nothing.
    """
    room = _save_owned(
        model=Room, event=event, by=by, instance=room, data=data, action="room.saved", version=version
    )
    if windows is not None:
        set_room_availability(room=room, by=by, windows=windows)
    return room


@transaction.atomic
def set_room_availability(*, room: Room, by, windows: list[tuple[dt.datetime, dt.datetime]]) -> None:
    """Replace the room's availability windows (none means: available all event long).

    Windows must end after they start and must not overlap. Refused when `by` may not edit the room's
    event. Side effects: audit entry.
    """
    check_can_edit_event(by, room.event)
    windows = sorted(windows)
    for start, end in windows:
        if end <= start:
            raise ServiceError(_("Each availability window must end after it starts."), field="availability")
    for (_start, end), (start, _end) in itertools.pairwise(windows):
        if start < end:
            raise ServiceError(
                _("Availability windows must not overlap; merge them into one."), field="availability"
            )
    room.availabilities.all().delete()
    RoomAvailability.objects.bulk_create([RoomAvailability(room=room, start=s, end=e) for s, e in windows])
    audit.record(
        action="room.availability_set", actor=by, target=room, event_id=room.event_id, windows=len(windows)
    )


@transaction.atomic
def save_track(
    *, event: Event, by, data: dict, track: Track | None = None, version: int | None = None
) -> Track:
    """Create or edit a track; an edit with a stale `version` is refused. Side effects: audit entry."""
    return _save_owned(
        model=Track, event=event, by=by, instance=track, data=data, action="track.saved", version=version
    )


@transaction.atomic
def save_session_type(
    *, event: Event, by, data: dict, session_type: SessionType | None = None, version: int | None = None
) -> SessionType:
    """Create or edit a session type; an edit with a stale `version` is refused. Side effects: audit
    entry; the `session_type_saved` signal (attendance gives seats the type's sessions gained to the
    people waiting for them, with their mails).

    `data["rooms"]`, when given, are the rooms suited to the type (none: any room); each must be a room
    of this event. The schedule flags a session of the type in another room, and the solver keeps it out.
    A type whose sessions need a booked seat (`requires_seat`) needs its number of `seats`.
    """
    rooms = data.get("rooms")
    if rooms is not None:
        rooms = list(rooms)
        if any(not isinstance(room, Room) or room.event_id != event.pk for room in rooms):
            raise ServiceError(_("Choose rooms of this event."), field="rooms")
    requires_seat = data.get("requires_seat", session_type.requires_seat if session_type else False)
    seats = data.get("seats", session_type.seats if session_type else None)
    if requires_seat and seats is None:
        raise ServiceError(_("Give the number of seats a session of this type has."), field="seats")
    saved = _save_owned(
        model=SessionType,
        event=event,
        by=by,
        instance=session_type,
        data=data,
        action="session_type.saved",
        version=version,
    )
    if rooms is not None:
        saved.rooms.set(rooms)
    signals.session_type_saved.send(sender=SessionType, session_type=saved)
    return saved


@transaction.atomic
def delete_setup_object(*, obj, by) -> None:
    """Delete a room, track or session type. Side effects: audit entry.

    Refused for a session type that proposals use, for a track that a team is limited to (without
    the track that team would silently see every track), and when `by` may not edit the event.
    """
    check_can_edit_event(by, obj.event)
    if obj.__class__ is SessionType and obj.proposals.exists():
        raise ServiceError(f'Proposals use the session type "{obj.name}"; move them to another type first.')
    if obj.__class__ is Track and obj.teams.exists():
        names = ", ".join(obj.teams.order_by("name").values_list("name", flat=True))
        raise ServiceError(
            f'Teams are limited to the track "{obj.name}" ({names}); change their limits first.'
        )
    name, model_name, event_id = str(obj), obj._meta.model_name, obj.event_id
    try:
        obj.delete()
    except ProtectedError as exc:
        raise ServiceError(f'"{name}" is still in use and cannot be deleted.') from exc
    audit.record(action=f"{model_name}.deleted", actor=by, event_id=event_id, name=name)


# --- Teams -----------------------------------------------------------------------------------------

TEAM_FIELDS = ("name", "all_events", *FLAGS)


def _other_admin_team_with_members(team: Team):
    return team.organiser.teams.filter(is_admin=True, members__isnull=False).exclude(pk=team.pk).exists()


@transaction.atomic
def save_team(
    *,
    organiser: Organiser,
    by,
    data: dict,
    events=None,
    tracks=None,
    team: Team | None = None,
    version: int | None = None,
) -> Team:
    """Create or edit a team with its flags and limits. Side effects: audit entry.

    `events` (used when `all_events` is off) must be the organiser's; `tracks` must belong to events
    the team can reach. Some team with members must keep the admin flag, so the organiser is never
    locked out of its own settings. An edit with a stale `version` (someone saved the team or its
    limits in between) is refused with StaleEdit. Refused when `by` does not administer the organiser.
    """
    check_organiser_admin(by, organiser)
    if team is not None and team.organiser_id != organiser.pk:
        raise NotAllowed(_("This team belongs to another organiser."))
    stored_version = (
        _lock_version(Team, pk=team.pk, version=version, what=_("this team"))
        if team is not None and team.pk is not None
        else 0
    )
    was_admin = (
        team is not None and team.pk is not None and Team.objects.filter(pk=team.pk, is_admin=True).exists()
    )
    team = team or Team(organiser=organiser)
    for name, value in data.items():
        if name in TEAM_FIELDS:
            setattr(team, name, value)
    team.name = (team.name or "").strip()
    if not team.name:
        raise ServiceError(_("Give the team a name."), field="name")
    if Team.objects.filter(organiser=organiser, name__iexact=team.name).exclude(pk=team.pk).exists():
        raise ServiceError(f'There is already a team named "{team.name}".', field="name")
    events = list(events) if events is not None else None
    tracks = list(tracks) if tracks is not None else None
    if events is not None and any(e.organiser_id != organiser.pk for e in events):
        raise NotAllowed(_("A team can only be limited to its organiser's events."))
    if tracks is not None and any(t.event.organiser_id != organiser.pk for t in tracks):
        raise NotAllowed(_("A team can only be limited to its organiser's tracks."))
    if events is not None:
        scope = {e.pk for e in events}
    else:
        scope = set(team.limit_events.values_list("pk", flat=True)) if team.pk else set()
    if not team.all_events and not scope:
        raise ServiceError(
            _("Choose the events this team works on, or give it all events."), field="limit_events"
        )
    if not team.all_events and tracks:
        outside = sorted(t.name for t in tracks if t.event_id not in scope)
        if outside:
            raise ServiceError(
                _("These tracks belong to events the team cannot reach: %(tracks)s.")
                % {"tracks": ", ".join(outside)},
                field="limit_tracks",
            )
    if was_admin and not team.is_admin and not _other_admin_team_with_members(team):
        raise ServiceError(
            _("At least one team with members must keep the admin permission."), field="is_admin"
        )
    team.version = stored_version + 1
    team.save()
    if events is not None:
        team.limit_events.set(events)
    if tracks is not None:
        team.limit_tracks.set(tracks)
    audit.record(action="team.saved", actor=by, target=team)
    return team


@transaction.atomic
def invite_team_member(*, team: Team, email: str, by) -> TeamInvite:
    """Invite someone by e-mail; refused when `by` does not administer the team's organiser.

    Side effects: outbox mail with the link to join, audit entry.
    """
    check_organiser_admin(by, team.organiser)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ServiceError(_("Enter a valid e-mail address."), field="email") from exc
    if team.members.filter(email__iexact=email).exists():
        raise ServiceError(_("This person is a member of the team already."), field="email")
    invite = TeamInvite.objects.create(team=team, email=email, token=secrets.token_urlsafe(32), invited_by=by)
    link = settings.BASE_URL + reverse("orga:team_invite", kwargs={"token": invite.token})
    queue_mail(to=email, template="team_invite", context={"team": team, "inviter": by, "link": link})
    audit.record(action="team.invited", actor=by, target=team, email=email)
    return invite


@transaction.atomic
def accept_team_invite(*, invite: TeamInvite, user) -> Team:
    """The invited person joins the team. Side effects: audit entry."""
    invite = TeamInvite.objects.select_for_update().select_related("team").get(pk=invite.pk)
    if invite.accepted_at:
        raise ServiceError(_("This invitation has been used already."))
    invite.team.members.add(user)
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    audit.record(action="team.joined", actor=user, target=invite.team)
    return invite.team


@transaction.atomic
def remove_team_member(*, team: Team, user, by) -> None:
    """Take someone off a team; the last member of the last admin team stays. Refused when `by` does not
    administer the team's organiser. Side effects: audit entry."""
    check_organiser_admin(by, team.organiser)
    if (
        team.is_admin
        and not team.members.exclude(pk=user.pk).exists()
        and not _other_admin_team_with_members(team)
    ):
        raise ServiceError(
            _("The last administrator cannot be removed; give someone else the admin permission first.")
        )
    team.members.remove(user)
    audit.record(action="team.member_removed", actor=by, target=team, member=user.email)
