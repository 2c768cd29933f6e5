"""Event set-up use cases: organisers, events, rooms, tracks, session types, teams and invitations."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError
from podium.events.models import Event, Organiser, Room, RoomAvailability, SessionType, Team, TeamInvite, Track
from podium.mail.services import queue_mail

EVENT_FIELDS = (
    "name", "timezone", "date_from", "date_to", "day_start_hour", "cfp_opens", "cfp_closes",
    "anonymise_review", "score_labels", "languages", "is_public", "contact_email", "description",
)


@transaction.atomic
def create_organiser(*, name: str, slug: str, admin) -> Organiser:
    """A new organiser whose first team ("Administrators") holds every permission and `admin`."""
    organiser = Organiser.objects.create(name=name, slug=slug)
    team = Team.objects.create(
        organiser=organiser, name="Administrators", is_admin=True, can_edit_event=True, can_review=True,
        can_schedule=True, can_send_mail=True, can_check_in=True, can_manage_sponsors=True,
    )
    team.members.add(admin)
    audit.record(action="organiser.created", actor=admin, target=organiser)
    return organiser


@transaction.atomic
def create_event(*, organiser: Organiser, by, slug: str, data: dict) -> Event:
    """Create an event with default session types. Side effects: audit entry."""
    if Event.objects.filter(slug=slug).exists():
        raise ServiceError("This short name is taken; choose another.", field="slug")
    event = Event(organiser=organiser, slug=slug, **{k: v for k, v in data.items() if k in EVENT_FIELDS})
    _validate_event(event)
    event.save()
    SessionType.objects.bulk_create([
        SessionType(event=event, name="Talk", duration_minutes=30),
        SessionType(event=event, name="Tutorial", duration_minutes=180),
        SessionType(event=event, name="Keynote", duration_minutes=45, is_plenary=True),
    ])
    audit.record(action="event.created", actor=by, target=event, event_id=event.pk)
    return event


def _validate_event(event: Event) -> None:
    if event.date_to < event.date_from:
        raise ServiceError("The event must end on or after its first day.", field="date_to")
    if event.cfp_opens and event.cfp_closes and event.cfp_closes <= event.cfp_opens:
        raise ServiceError("The call for papers must close after it opens.", field="cfp_closes")
    values = [pair[0] for pair in event.score_labels]
    if len(values) < 2 or len(set(values)) != len(values):
        raise ServiceError("The review scale needs at least two different scores.", field="score_labels")
    if not event.languages:
        raise ServiceError("Name at least one language.", field="languages")


@transaction.atomic
def update_event(*, event: Event, by, data: dict) -> Event:
    """Change the event's settings. Side effects: audit entry listing the changed fields."""
    changed = []
    for name, value in data.items():
        if name in EVENT_FIELDS and getattr(event, name) != value:
            setattr(event, name, value)
            changed.append(name)
    _validate_event(event)
    event.save()
    audit.record(action="event.updated", actor=by, target=event, event_id=event.pk, fields=changed)
    return event


# --- Rooms, tracks, session types ----------------------------------------------------------------

def _save_owned(*, model, event, by, instance=None, data: dict, action: str):
    if instance is not None and instance.event_id != event.pk:
        raise NotAllowed("This object belongs to another event.")
    obj = instance or model(event=event)
    for name, value in data.items():
        setattr(obj, name, value)
    if model.objects.filter(event=event, name=obj.name).exclude(pk=obj.pk).exists():
        raise ServiceError(f'There is already a {model._meta.verbose_name} named "{obj.name}".', field="name")
    obj.save()
    audit.record(action=action, actor=by, target=obj, event_id=event.pk)
    return obj


@transaction.atomic
def save_room(*, event: Event, by, data: dict, room: Room | None = None) -> Room:
    """Create or edit a room. Side effects: audit entry."""
    return _save_owned(model=Room, event=event, by=by, instance=room, data=data, action="room.saved")


@transaction.atomic
def set_room_availability(*, room: Room, by, windows: list[tuple[dt.datetime, dt.datetime]]) -> None:
    """Replace the room's availability windows (none means: available all event long)."""
    for start, end in windows:
        if end <= start:
            raise ServiceError("Each availability window must end after it starts.", field="availability")
    room.availabilities.all().delete()
    RoomAvailability.objects.bulk_create([RoomAvailability(room=room, start=s, end=e) for s, e in sorted(windows)])
    audit.record(action="room.availability_set", actor=by, target=room, event_id=room.event_id, windows=len(windows))


@transaction.atomic
def save_track(*, event: Event, by, data: dict, track: Track | None = None) -> Track:
    """Create or edit a track. Side effects: audit entry."""
    return _save_owned(model=Track, event=event, by=by, instance=track, data=data, action="track.saved")


@transaction.atomic
def save_session_type(*, event: Event, by, data: dict, session_type: SessionType | None = None) -> SessionType:
    """Create or edit a session type. Side effects: audit entry."""
    return _save_owned(model=SessionType, event=event, by=by, instance=session_type, data=data, action="session_type.saved")


@transaction.atomic
def delete_setup_object(*, obj, by) -> None:
    """Delete a room, track or session type; refused while proposals use it."""
    if obj.__class__ is SessionType and obj.proposals.exists():
        raise ServiceError("Proposals use this session type; move them to another type first.")
    try:
        obj.delete()
    except ProtectedError as exc:
        raise ServiceError("This is still in use and cannot be deleted.") from exc
    audit.record(action=f"{obj._meta.model_name}.deleted", actor=by, event_id=obj.event_id, name=str(obj))


# --- Teams -----------------------------------------------------------------------------------------

@transaction.atomic
def save_team(*, organiser: Organiser, by, data: dict, events=None, tracks=None, team: Team | None = None) -> Team:
    """Create or edit a team with its flags and limits. Side effects: audit entry."""
    if team is not None and team.organiser_id != organiser.pk:
        raise NotAllowed("This team belongs to another organiser.")
    team = team or Team(organiser=organiser)
    for name, value in data.items():
        setattr(team, name, value)
    if Team.objects.filter(organiser=organiser, name=team.name).exclude(pk=team.pk).exists():
        raise ServiceError(f'There is already a team named "{team.name}".', field="name")
    if events is not None and any(e.organiser_id != organiser.pk for e in events):
        raise NotAllowed("A team can only be limited to its organiser's events.")
    if tracks is not None and any(t.event.organiser_id != organiser.pk for t in tracks):
        raise NotAllowed("A team can only be limited to its organiser's tracks.")
    if team.pk and not team.is_admin and not organiser.teams.filter(is_admin=True).exclude(pk=team.pk).exists():
        raise ServiceError("At least one team must keep the admin permission.", field="is_admin")
    team.save()
    if events is not None:
        team.limit_events.set(events)
    if tracks is not None:
        team.limit_tracks.set(tracks)
    audit.record(action="team.saved", actor=by, target=team)
    return team


@transaction.atomic
def invite_team_member(*, team: Team, email: str, by) -> TeamInvite:
    """Invite someone by e-mail. Side effects: outbox mail, audit entry."""
    email = email.strip().lower()
    if team.members.filter(email__iexact=email).exists():
        raise ServiceError("This person is a member of the team already.", field="email")
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
        raise ServiceError("This invitation has been used already.")
    invite.team.members.add(user)
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    audit.record(action="team.joined", actor=user, target=invite.team)
    return invite.team


@transaction.atomic
def remove_team_member(*, team: Team, user, by) -> None:
    """Take someone off a team; the last admin cannot be removed."""
    if team.is_admin and team.members.count() <= 1 and not team.organiser.teams.filter(is_admin=True).exclude(pk=team.pk).filter(members__isnull=False).exists():
        raise ServiceError("The last administrator cannot be removed.")
    team.members.remove(user)
    audit.record(action="team.member_removed", actor=by, target=team, member=user.email)
