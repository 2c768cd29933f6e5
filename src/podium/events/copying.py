"""Copy an event for its next edition: its settings and set-up, none of its program.

`copy_event` makes a new event of the same organiser with the source's settings, rooms (with their
availability), tracks, session types (with their rooms), information pages and the event's own texts
of the system mails, every date moved by the same number of days so the new edition starts on `start`
(a time keeps its local time of day in the event's zone: `moved`).
The event's and its pages' translations (podium.base.translated) come along; those of the name only when
the copy keeps the source's name. The teams that reach the source event reach the copy too. Proposals, reviews, the schedule, releases,
tickets and everything people did at the source stay behind.

Apps above `events` copy their own parts through the registry: `register(fn)` with
`fn(*, source, target)`, called in the same transaction, in the order registered (an app registers in
its AppConfig.ready). A part that fails rolls the whole copy back.
"""

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import ServiceError
from podium.base.translated import main_texts
from podium.events.models import Event, Page, Room, RoomAvailability, SessionType, Team, Track
from podium.events.rules import check_organiser_admin
from podium.events.services import FIRST_DAY, LAST_DAY, _validate_event, check_event_slug
from podium.mail.models import SystemMailTemplate

Copier = Callable[..., None]
_COPIERS: list[Copier] = []

# Event fields that the copy sets itself rather than taking from the source.
OWN_FIELDS = {
    "id", "organiser", "name", "name_de", "name_fr", "slug", "date_from", "date_to", "version", "is_public",
}  # fmt: skip
# The translations of the name (podium.base.translated): copied only with the same name, since those of
# another edition's name would show German and French readers the old name.
NAME_TRANSLATIONS = ("name_de", "name_fr")
# Date-time settings moved with the dates.
SHIFTED_FIELDS = ("cfp_opens", "cfp_closes")


def moved(value: dt.datetime | None, *, source: Event, target: Event) -> dt.datetime | None:
    """`value` (a moment of the source edition) moved to the same local time of the day as many days
    later as the target edition starts after the source: 09:00 stays 09:00 in the source event's zone
    across a change of summer time (moving the moment itself would make it 08:00 or 10:00)."""
    if value is None:
        return None
    days = dt.timedelta(days=(target.date_from - source.date_from).days)
    return value.astimezone(source.tz) + days


def register(fn: Copier) -> Copier:
    """Add `fn(*, source, target)` to the parts copied with every event (once; usable as a decorator)."""
    if fn not in _COPIERS:
        _COPIERS.append(fn)
    return fn


def registered() -> list[Copier]:
    return list(_COPIERS)


def _settings(source: Event, *, name: str, slug: str, start: dt.date, days: dt.timedelta) -> Event:
    values = {
        field.name: getattr(source, field.name)
        for field in Event._meta.concrete_fields
        if field.name not in OWN_FIELDS
    }
    if (name or "").strip() == source.name:
        values.update({field: getattr(source, field) for field in NAME_TRANSLATIONS})
    target = Event(
        organiser=source.organiser,
        name=(name or "").strip(),
        slug=slug,
        date_from=start,
        date_to=source.date_to + days,
        is_public=False,
        **values,
    )
    for name_ in SHIFTED_FIELDS:
        setattr(target, name_, moved(getattr(source, name_), source=source, target=target))
    return target


def _copy_rooms(source: Event, target: Event) -> dict[int, Room]:
    rooms = {}
    for room in source.rooms.prefetch_related("availabilities"):
        copy = Room.objects.create(
            event=target,
            name=room.name,
            description=room.description,
            capacity=room.capacity,
            position=room.position,
        )
        RoomAvailability.objects.bulk_create(
            [
                RoomAvailability(
                    room=copy,
                    start=moved(window.start, source=source, target=target),
                    end=moved(window.end, source=source, target=target),
                )
                for window in room.availabilities.all()
            ]
        )
        rooms[room.pk] = copy
    return rooms


def _copy_tracks(source: Event, target: Event) -> dict[int, Track]:
    return {
        track.pk: Track.objects.create(
            event=target, name=track.name, colour=track.colour, description=track.description
        )
        for track in source.tracks.all()
    }


def _copy_session_types(source: Event, target: Event, rooms: dict[int, Room]) -> None:
    for kind in source.session_types.prefetch_related("rooms"):
        copy = SessionType.objects.create(
            event=target,
            name=kind.name,
            duration_minutes=kind.duration_minutes,
            is_plenary=kind.is_plenary,
            requires_seat=kind.requires_seat,
            seats=kind.seats,
        )
        copy.rooms.set([rooms[room.pk] for room in kind.rooms.all()])


def _copy_pages(source: Event, target: Event) -> None:
    Page.objects.bulk_create(
        [
            Page(event=target, title=page.title, slug=page.slug, body=page.body, position=page.position,
                 state=page.state, title_de=page.title_de, title_fr=page.title_fr, body_de=page.body_de,
                 body_fr=page.body_fr)
            for page in source.pages.all()
        ]
    )  # fmt: skip


def _copy_mail_texts(source: Event, target: Event, by) -> None:
    SystemMailTemplate.objects.bulk_create(
        [
            SystemMailTemplate(
                event=target, key=text.key, subject=text.subject, body=text.body, updated_by=by
            )
            for text in source.system_mail_templates.all()
        ]
    )


def _team_name(organiser, name: str, suffix: str) -> str:
    base = f"{name} ({suffix})"[:120]
    candidate, number = base, 2
    while Team.objects.filter(organiser=organiser, name=candidate).exists():
        tail = f" {number}"
        candidate, number = base[: 120 - len(tail)] + tail, number + 1
    return candidate


def _copy_teams(source: Event, target: Event, tracks: dict[int, Track], *, members: bool, by) -> int:
    """Teams limited to the source event reach the copy: the same teams (with their members) when
    `members`, else a new team each with the same permissions and no members. Track limits follow
    the copied tracks. Teams of all events reach the copy anyway. Returns the teams changed or made."""
    count = 0
    for team in source.teams.filter(all_events=False).prefetch_related("limit_tracks"):
        limited = [tracks[t.pk] for t in team.limit_tracks.all() if t.pk in tracks]
        if members:
            team.limit_events.add(target)
            if limited:
                team.limit_tracks.add(*limited)
        else:
            flags = {
                f.name: getattr(team, f.name)
                for f in Team._meta.concrete_fields
                if f.name.startswith(("is_", "can_"))
            }
            copy = Team.objects.create(
                organiser=team.organiser, name=_team_name(team.organiser, team.name, target.name),
                all_events=False, **flags,
            )  # fmt: skip
            copy.limit_events.add(target)
            if limited:
                copy.limit_tracks.add(*limited)
        count += 1
    if by is not None:  # the one who copies can open the copy, as with a new event
        for team in source.organiser.teams.filter(members=by, is_admin=True, all_events=False):
            team.limit_events.add(target)
    return count


@transaction.atomic
def copy_event(
    *, actor, source: Event, name: str, slug: str, start: dt.date, team_members: bool = True
) -> Event:
    """A new event of the source's organiser named `name` at `slug`, starting on `start`: the source's
    settings (the new event is not public until its organisers say so), rooms and their availability,
    tracks, session types, information pages, system mail texts, teams (`team_members`: the same teams
    reach it, with their members; else new empty teams with the same permissions) and the parts apps
    registered (`register`); every date and time moves by the days from the source's first day to
    `start`. No proposal, review, schedule or ticket is copied.

    Refused when `actor` does not administer the organiser (as creating an event), for a taken or
    malformed slug, or a missing name or start. All or nothing. Side effects: audit entry.
    """
    check_organiser_admin(actor, source.organiser)
    check_event_slug(slug)
    if not isinstance(start, dt.date):
        raise ServiceError(_("Give the new edition's first day."), field="start")
    days = dt.timedelta(days=(start - source.date_from).days)
    try:
        with main_texts():  # the texts as stored, never one translation read as the main text
            target = _settings(source, name=name, slug=slug, start=start, days=days)
            _validate_event(target)
            target.save()
            rooms = _copy_rooms(source, target)
            tracks = _copy_tracks(source, target)
            _copy_session_types(source, target, rooms)
            _copy_pages(source, target)
            _copy_mail_texts(source, target, actor)
            _copy_teams(source, target, tracks, members=team_members, by=actor)
            for copier in registered():
                copier(source=source, target=target)
    except OverflowError:  # a date moved off the calendar (the whole copy is rolled back)
        raise ServiceError(
            _("Give a first day from %(first)s to %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            field="start",
        ) from None
    except ServiceError as refused:
        if refused.field in {"date_from", "date_to"}:  # the copy's days: its first day is the one to change
            raise ServiceError(refused.message, field="start") from None
        raise
    audit.record(
        action="event.copied",
        actor=actor,
        target=target,
        event_id=target.pk,
        source=source.slug,
        days=days.days,
    )
    return target
