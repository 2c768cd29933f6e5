"""Importing a conference from another system's schedule file: one use case, one transaction.

`import_program` reads the file (podium.interop.importers), creates or updates the event's rooms,
tracks, session types, speakers and confirmed sessions, places the sessions through the schedule
services and publishes a release. `ImportedKey` rows remember what each record of the file became,
so importing the same file again changes nothing and a changed file updates in place.

Imported people have no e-mail address: each becomes a user with an unusable password and the
reserved address `<event>-<person key>-<hash>@imported.invalid` (RFC 2606: never deliverable), plus
a speaker profile. Two records are one person only when the file gives them the same id and names
that agree (case, spacing and accents aside), or, in files without ids, the same name; an id reused
for someone else (merged schedules) is a different person, and the report says so. Nothing is merged
across events.

Times without an offset are wall-clock times in one zone, chosen by `importers.zones.choose` and named
in the report. A session the file gives no room is never skipped for it: it goes to the event's "Room
not given" room (see `NoRoom`). An import that would leave no session on the program, or that skips
more than half of the file's sessions, is refused unless `allow_partial`.
"""

import datetime as dt
import hashlib
import re
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.text import slugify

from podium.accounts.models import User
from podium.base import audit
from podium.base.errors import ServiceError
from podium.events.models import Event, Organiser, Room, SessionType, Track
from podium.events.services import SLUG_RE, create_event, create_organiser
from podium.interop.exporters.common import own_type_name, person_guid, talk_url
from podium.interop.exporters.ical import plain_text
from podium.interop.importers import read_program, zones
from podium.interop.importers.source import (
    ImportRefused,
    Skip,
    SourcePerson,
    SourceProgram,
    SourceRoom,
    SourceSession,
)
from podium.interop.importers.values import name_folded, same_name, zone
from podium.interop.models import ImportedKey
from podium.proposals.enums import ProposalState, new_code
from podium.proposals.models import Proposal, ProposalSpeaker, SpeakerProfile
from podium.proposals.states import SCHEDULABLE
from podium.schedule import conflicts
from podium.schedule import services as schedule
from podium.schedule.models import Slot, SlotKind

IMPORTED_DOMAIN = "imported.invalid"
KINDS = ("room", "track", "session_type", "speaker", "session")
TRACK_COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#57606a")
Kind = ImportedKey.Kind


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do): counts per kind and every skip with its place."""

    format: str = ""
    event_slug: str = ""
    event_created: bool = False
    dry_run: bool = False
    sessions_in_file: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    skips: list[Skip] = field(default_factory=list)
    release: str = ""
    time_zone: str = ""
    time_zone_reason: str = ""
    time_zone_source: str = ""  # see importers.zones.ZoneChoice
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Something the organiser should know (a reused person id, an organiser created, …)."""
        self.notes.append(text)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def skip(self, kind: str, ref: str, reason: str) -> None:
        self.skips.append(Skip(kind, ref, reason))
        self.count(kind, "skipped")

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] + c["moved"] + c["removed"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """The report as text lines (the CLI prints them; the upload page shows them)."""
        head = "Dry run (nothing was saved): " if self.dry_run else ""
        what = "created" if self.event_created else "updated"
        lines = [
            f"{head}{self.format} into event “{self.event_slug}” ({what}); "
            f"{self.sessions_in_file} sessions in the file.",
            f"{self.created} created, {self.updated} updated"
            + ("." if self.created or self.updated else ": nothing changed."),
        ]
        if self.time_zone:
            lines.append(f"Time zone: {self.time_zone} ({self.time_zone_reason}).")
        for kind in KINDS:
            c = self.counts[kind]
            parts = [
                f"{c[o]} {o}" for o in ("created", "updated", "moved", "unchanged", "removed", "skipped")
            ]
            if any(not p.startswith("0 ") for p in parts):
                lines.append(
                    f"  {kind.replace('_', ' ')}s: " + ", ".join(p for p in parts if not p.startswith("0 "))
                )
        lines.append(
            f"Release: {self.release}" if self.release else "No new release: nothing public changed."
        )
        lines.extend(f"Note: {note}" for note in self.notes)
        for s in self.skips:
            lines.append(f"  skipped {s.kind} at {s.ref}: {s.reason}")
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


# --- Finding the organiser and the event ------------------------------------------------------------


def choose_organiser(
    slug: str | None, *, admin_email: str | None = None, by=None, report: ImportReport | None = None
) -> Organiser:
    """The organiser named (by short name or name), or the only one. An organiser named that does not
    exist is created (see `_new_organiser`); with none named and several or none existing, a message
    says what to do."""
    if slug:
        wanted = slug.strip()
        derived = slugify(wanted)[:49].strip("-")
        found = (
            Organiser.objects.filter(slug=wanted).first()
            or Organiser.objects.filter(name__iexact=wanted).order_by("slug").first()
            or Organiser.objects.filter(slug=derived).first()
        )
        return found or _new_organiser(wanted, derived, admin_email=admin_email, by=by, report=report)
    organisers = list(Organiser.objects.order_by("slug")[:2])
    if len(organisers) == 1:
        return organisers[0]
    if not organisers:
        raise ImportRefused(
            "Podium has no organiser yet: name one with --organiser NAME and it is created, with the "
            "site administrator given by --admin EMAIL as its administrator."
        )
    raise ImportRefused(f"Several organisers exist; choose one with --organiser. {_organisers_hint()}")


def _new_organiser(name: str, slug: str, *, admin_email, by, report) -> Organiser:
    """Create the organiser `name` (short name `slug`), administered by the account `admin_email`,
    else the importing account, else the only site administrator."""
    admin, why = _organiser_admin(name, admin_email=admin_email, by=by)
    if not SLUG_RE.fullmatch(slug):
        raise ImportRefused(
            f"No short name can be made from “{name}”; name the organiser with letters or digits."
        )
    try:
        organiser = create_organiser(name=name, slug=slug, admin=admin)
    except ServiceError as exc:
        raise ImportRefused(f"The organiser “{name}” cannot be created: {exc.message}") from exc
    if report is not None:
        report.note(
            f"Created the organiser “{organiser.name}” ({organiser.slug}); {admin.email} administers it{why}."
        )
    return organiser


def _organiser_admin(name: str, *, admin_email, by) -> tuple:
    if admin_email:
        admin = User.objects.filter(email__iexact=admin_email.strip(), is_active=True).first()
        if admin is None:
            raise ImportRefused(
                f"There is no account “{admin_email}” to administer the new organiser “{name}”; "
                "create it first (podium createsuperuser), or name an existing one with --admin."
            )
        return admin, ""
    if by is not None:
        return by, " (the importing account)"
    superusers = list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk")[:2])
    if len(superusers) == 1:
        return superusers[0], " (the only site administrator; --admin was not given)"
    many = "several site administrators exist" if superusers else "there is no site administrator"
    raise ImportRefused(
        f"Creating the organiser “{name}” needs an administrator and {many}: name an existing account "
        "with --admin EMAIL."
    )


def _organisers_hint() -> str:
    return "Organisers: " + ", ".join(Organiser.objects.order_by("slug").values_list("slug", flat=True)) + "."


def _event_dates(program: SourceProgram, tz) -> tuple[dt.date, dt.date]:
    """The conference's first and last day, widened to cover every session in the file."""
    days = [session.start.astimezone(tz).date() for session in program.sessions if session.start]
    first = min([d for d in (program.date_from, *days) if d], default=None) or dt.date.today()
    last = max([d for d in (program.date_to, *days) if d], default=first)
    return first, max(first, last)


def _existing_event(*, program, event, event_slug) -> tuple[Event | None, str]:
    """The event to import into when it exists (given, or found by slug), and the slug to create."""
    if event is not None:
        return event, event.slug
    slug = event_slug or slugify(program.acronym).lower()
    if not slug:
        raise ImportRefused("The file names no conference acronym; give the event's short name (--event).")
    return Event.objects.filter(slug=slug).first(), slug


def _event_for(*, program, event, slug, organiser_slug, admin_email, time_zone, by, report) -> Event:
    """The event to import into: the existing one, or one created from the file's conference data."""
    if event is not None:
        return event
    organiser = choose_organiser(organiser_slug, admin_email=admin_email, by=by, report=report)
    first, last = _event_dates(program, zone(time_zone))
    data = {
        "name": (program.title or slug)[:200],
        "timezone": time_zone,
        "date_from": first,
        "date_to": last,
    }
    if program.day_start_hour is not None:
        data["day_start_hour"] = program.day_start_hour
    report.event_created = True
    return create_event(organiser=organiser, by=by, slug=slug, data=data)


# --- Remembering what each record became --------------------------------------------------------------


class Keys:
    """The event's ImportedKey rows of one kind, read once."""

    def __init__(self, event: Event, kind: str):
        self.event, self.kind = event, kind
        self.ids = dict(
            ImportedKey.objects.filter(event=event, kind=kind).values_list("source_key", "object_id")
        )
        self.new: dict[str, int] = {}

    def get(self, key: str):
        return self.ids.get(key[:300])

    def remember(self, key: str, obj) -> None:
        """Record that `key` became `obj`; new keys are written together by `save()`."""
        key = key[:300]
        if key not in self.ids:
            self.new[key] = obj.pk
        elif self.ids[key] != obj.pk:
            ImportedKey.objects.filter(event=self.event, kind=self.kind, source_key=key).update(
                object_id=obj.pk
            )
        self.ids[key] = obj.pk

    def save(self) -> None:
        ImportedKey.objects.bulk_create(
            [
                ImportedKey(event=self.event, kind=self.kind, source_key=k, object_id=pk)
                for k, pk in self.new.items()
            ],
            batch_size=500,
        )
        self.new = {}


def _free_uuid(model, value: str):
    """The source's guid when it is a UUID no other object uses yet (exports keep it), else None."""
    try:
        parsed = uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None
    return None if model.objects.filter(uuid=parsed).exists() else parsed


def _free_uuids(model, values: list[str]) -> dict:
    """{guid text: UUID} for the guids that are UUIDs no object of `model` uses yet (and unique here)."""
    parsed = {}
    for value in values:
        try:
            parsed.setdefault(value, uuid.UUID(str(value)))
        except (ValueError, TypeError):
            continue
    used = set(model.objects.filter(uuid__in=list(parsed.values())).values_list("uuid", flat=True))
    counts = Counter(parsed[v] for v in values if v in parsed)
    return {k: u for k, u in parsed.items() if u not in used and counts[u] == 1}


class Occupancy:
    """Which rooms are taken when, as the schedule services see it: placed breaks and placed sessions
    that are accepted or confirmed (a cancelled session's place does not hold its room)."""

    def __init__(self, event: Event):
        self.event = event
        self.rooms: dict[int, list[tuple]] = {}
        self.everywhere: list[tuple] = []
        placed = event.slots.filter(start__isnull=False).filter(
            Q(kind=SlotKind.BREAK) | Q(proposal__state__in=SCHEDULABLE)
        )
        for slot in placed.select_related("proposal"):
            title = slot.title if slot.kind == SlotKind.BREAK else slot.proposal.title
            if slot.kind == SlotKind.BREAK and slot.room_id is None:
                self.everywhere.append((slot.start, slot.end, title))
            else:
                self.rooms.setdefault(slot.room_id, []).append((slot.start, slot.end, title))
        self.dead = event.slots.filter(kind=SlotKind.SESSION, start__isnull=False).exclude(
            proposal__state__in=SCHEDULABLE
        )
        self.has_dead = self.dead.exists()
        self.placed: list[tuple] = []

    def refusal(self, room: Room, start, end) -> str:
        """Why `room` cannot take [start, end) (the editor's wording), or ""."""
        for other_start, other_end, title in self.everywhere:
            if other_start < end and other_end > start:
                return f"{schedule.span(self.event, other_start, other_end)} is the break “{title}” in every room."
        for other_start, other_end, title in self.rooms.get(room.pk, []):
            if other_start < end and other_end > start:
                return (
                    f"{room.name} is taken {schedule.span(self.event, other_start, other_end)} by “{title}”."
                )
        return ""

    def room_taken(self, room: Room, start, end) -> bool:
        """Whether a session or break in `room` itself overlaps [start, end)."""
        return any(s < end and e > start for s, e, _title in self.rooms.get(room.pk, []))

    def take(self, room: Room, start, end, title: str) -> None:
        self.rooms.setdefault(room.pk, []).append((start, end, title))
        self.placed.append((room, start, end))

    def clear_dead_places(self) -> None:
        """Cancelled or withdrawn sessions in the way lose their place, as when the editor places one."""
        if not self.has_dead:
            return
        for room, start, end in self.placed:
            self.dead.filter(room=room, start__lt=end, end__gt=start).update(
                room=None, start=None, end=None, version=F("version") + 1
            )


# --- Rooms, tracks, session types ----------------------------------------------------------------------


def _rooms(event, program, report) -> dict[str, Room]:
    keys = Keys(event, Kind.ROOM)
    existing = {room.name.lower(): room for room in event.rooms.all()}
    by_name: dict[str, Room] = {}
    wanted = list(program.rooms)
    for session in program.sessions:
        if session.room and session.room.lower() not in {r.name.lower() for r in wanted}:
            wanted.append(SourceRoom(name=session.room, guid=session.room_guid))
    for position, source in enumerate(wanted):
        name = source.name.strip()[:120]
        if not name or name.lower() in {n.lower() for n in by_name}:
            continue
        key = f"guid:{source.guid}" if source.guid else f"name:{name.lower()}"
        room = event.rooms.filter(pk=keys.get(key)).first() if keys.get(key) else existing.get(name.lower())
        if room is None:
            room = Room(event=event, name=name, capacity=source.capacity, position=position)
            room.uuid = _free_uuid(Room, source.guid) or room.uuid
            room.save()
            report.count("room", "created")
        elif source.capacity and room.capacity != source.capacity:
            room.capacity, room.version = source.capacity, room.version + 1
            room.save(update_fields=["capacity", "version"])
            report.count("room", "updated")
        else:
            report.count("room", "unchanged")
        keys.remember(key, room)
        by_name[name.lower()] = room
    keys.save()
    return by_name


class NoRoom:
    """The rooms for sessions the file gives no room: "Room not given", created the first time a session
    needs it and reused by later imports, and "Room not given 2", … only for sessions that overlap there
    (the database keeps one session per room at a time). The schedule editor flags every session in
    them (`conflicts.room_not_given`); the report names them."""

    def __init__(self, event, report):
        self.event, self.report = event, report
        self.rooms = {conflicts.no_room_number(room.name): room for room in event.rooms.all()}
        self.rooms.pop(0, None)
        self.titles: list[str] = []

    def is_one(self, room: Room | None) -> bool:
        return room is not None and any(room.pk == own.pk for own in self.rooms.values())

    def room(self, number: int) -> Room:
        if number not in self.rooms:
            position = max(self.event.rooms.values_list("position", flat=True), default=-1) + 1
            self.rooms[number] = Room.objects.create(
                event=self.event, name=conflicts.no_room_name(number), position=position
            )
            self.report.count("room", "created")
        return self.rooms[number]

    def free(self, start, end, taken) -> Room:
        """The first of these rooms that `taken(room, start, end)` says is free, created on demand."""
        number = 1
        while taken(self.room(number), start, end):
            number += 1
        return self.room(number)

    def summarise(self) -> None:
        if not self.titles:
            return
        count = len(self.titles)
        shown = ", ".join(f"“{title}”" for title in self.titles[:5])
        more = f" and {count - 5} more" if count > 5 else ""
        self.report.note(
            f"{count} session{'s have' if count != 1 else ' has'} no room in the file and "
            f"{'are' if count != 1 else 'is'} in “{conflicts.NO_ROOM}” (the schedule editor warns about "
            f"{'them' if count != 1 else 'it'} until given a room): {shown}{more}."
        )


def _tracks(event, program, report) -> dict[str, Track]:
    keys = Keys(event, Kind.TRACK)
    existing = {track.name.lower(): track for track in event.tracks.all()}
    colours = {t.name.strip().lower(): t.colour for t in program.tracks if t.colour}
    names = [t.name for t in program.tracks] + [s.track for s in program.sessions if s.track]
    by_name: dict[str, Track] = {}
    for name in names:
        name = name.strip()[:120]
        if not name or name.lower() in by_name:
            continue
        key = f"name:{name.lower()}"
        track = event.tracks.filter(pk=keys.get(key)).first() if keys.get(key) else existing.get(name.lower())
        colour = colours.get(name.lower()) or TRACK_COLOURS[len(existing) % len(TRACK_COLOURS)]
        if track is None:
            track = Track.objects.create(event=event, name=name, colour=colour.lower())
            existing[name.lower()] = track
            report.count("track", "created")
        else:
            report.count("track", "unchanged")
        keys.remember(key, track)
        by_name[name.lower()] = track
    keys.save()
    return by_name


def _session_type_name(type_name: str, minutes: int) -> str:
    """The type's name with its length ("lecture (45 min)"): the key an import remembers a type by,
    and its name when the event already has a type of the same name at another length. A name that
    already ends in " (45 min)" (an export of an earlier import) is not given the length twice."""
    return f"{(own_type_name(type_name, minutes) or 'Session')[:100]} ({minutes} min)"


def _session_type(event, keys: Keys, cache: dict, type_name: str, minutes: int, report) -> SessionType:
    """The event's session type for `type_name` at `minutes`: the one an earlier import made, else one
    of that name (with or without its length) and length, else a new one named as the source names it
    (with its length only when the event has that name at another length already)."""
    own = (own_type_name(type_name, minutes) or "Session")[:100]
    name = _session_type_name(own, minutes)
    if name.lower() in cache:
        return cache[name.lower()]
    key = f"type:{name.lower()}"
    found = event.session_types.filter(pk=keys.get(key)).first() if keys.get(key) else None
    same_length = event.session_types.filter(duration_minutes=minutes)
    found = (
        found or same_length.filter(name__iexact=own).first() or same_length.filter(name__iexact=name).first()
    )
    if found is None:
        taken = event.session_types.filter(name__iexact=own).exists()
        found = SessionType.objects.create(event=event, name=name if taken else own, duration_minutes=minutes)
        report.count("session_type", "created")
    else:
        report.count("session_type", "unchanged")
    keys.remember(key, found)
    cache[name.lower()] = found
    return found


# --- Speakers ----------------------------------------------------------------------------------------


def imported_address(event: Event, person_key: str) -> str:
    """The reserved, undeliverable address of an imported person (unique per event and source key)."""
    digest = hashlib.sha256(person_key.encode()).hexdigest()[:10]
    return f"{event.slug}-{slugify(person_key)[:30]}-{digest}@{IMPORTED_DOMAIN}"


class Speakers:
    """Users and speaker profiles for the file's people, created once per person key."""

    def __init__(self, event: Event, report: ImportReport):
        self.event, self.report = event, report
        self.keys = Keys(event, Kind.SPEAKER)
        self.users: dict[str, User] = {}
        self.loaded: dict[int, User | None] = {}
        self.codes = set(SpeakerProfile.objects.filter(event=event).values_list("code", flat=True))
        self.index: dict | None = None

    def user_for(self, person: SourcePerson) -> User:
        """The person's user: found by the source's key only when the names agree (an id reused for
        someone else is a different person, noted in the report), else created."""
        user = self._speaker(person)
        key = f"user:{user.pk}" if user is not None else self._key(person)
        if key in self.users:
            return self.users[key]
        name = person.name[:120]
        user = user or self._known(key) or self._same_name(person)
        if user is None:
            user = User(email=imported_address(self.event, key), name=name)
            user.set_unusable_password()
            user.save()
            SpeakerProfile.objects.create(event=self.event, user=user, bio=person.bio, code=self._code())
            self.report.count("speaker", "created")
        else:
            profile, _ = SpeakerProfile.objects.get_or_create(
                event=self.event, user=user, defaults={"code": self._code()}
            )
            renamed = person.named and not same_name(user.name, name)  # spelling variants keep the first
            changed = renamed or (person.bio and profile.bio != person.bio)
            if changed:
                if renamed:
                    user.name = name
                    user.save(update_fields=["name"])
                if person.bio:
                    profile.bio = person.bio
                    profile.save(update_fields=["bio"])
            self.report.count("speaker", "updated" if changed else "unchanged")
        if not key.startswith("user:"):  # found by guid or code: the file's own key may be another's
            self.keys.remember(key, user)
        self.users[key] = user
        return user

    def _index(self) -> dict:
        """The event's speakers by the guid and code exports give them, and by name (read once)."""
        if self.index is None:
            self.index = {"guid": {}, "code": {}, "name": {}}
            profiles = SpeakerProfile.objects.filter(event=self.event).select_related("user")
            for profile in profiles:
                user = profile.user
                self.index["guid"][person_guid(self.event, profile.code)] = user
                self.index["code"][profile.code.upper()] = user
                self.index["name"].setdefault(name_folded(user.name), []).append(user)
        return self.index

    def _speaker(self, person: SourcePerson) -> User | None:
        """The event's speaker a person of Podium's own export is: by the guid exports write (made from
        the event and the speaker's code), else by code when the names agree."""
        if not (person.guid or person.code):
            return None
        index = self._index()
        user = index["guid"].get(person.guid.strip().lower()) if person.guid else None
        if user is None and person.code:
            user = index["code"].get(person.code.strip().upper())
            if user is not None and person.named and not same_name(user.name, person.name):
                user = None
        return user

    def _same_name(self, person: SourcePerson) -> User | None:
        """For a person the file knows by name alone (a CSV, an iCal feed), the event's one speaker of
        that name; None when there is none or several."""
        if not person.key.startswith("name:"):
            return None
        found = self._index()["name"].get(name_folded(person.name), [])
        return found[0] if len(found) == 1 else None

    def _known(self, key: str) -> User | None:
        """The user an earlier import made of `key` (read once)."""
        user_id = self.keys.get(key)
        if not user_id:
            return None
        if user_id not in self.loaded:
            self.loaded[user_id] = User.objects.filter(pk=user_id).first()
        return self.loaded[user_id]

    def _key(self, person: SourcePerson) -> str:
        """`person.key` when no one else holds it; for a name that disagrees with the one the key was
        first given to (in this file or an earlier import), the key plus the name."""
        if not person.key.startswith("id:") or not person.named:
            return person.key
        holder = self.users.get(person.key) or self._known(person.key)
        if holder is None or same_name(holder.name, person.name):
            return person.key
        alternative = f"{person.key}|name:{slugify(person.name) or person.name.strip().lower()}"
        if alternative not in self.users:
            self.report.note(
                f"The source gives the person id {person.key[3:]} to “{holder.name}” and to "
                f"“{person.name}”: they are imported as different people."
            )
        return alternative

    def _code(self) -> str:
        code = new_code()
        while code in self.codes:
            code = new_code()
        self.codes.add(code)
        return code


# --- Sessions ----------------------------------------------------------------------------------------


def _problem(session: SourceSession) -> str:
    """Why a session cannot be imported, or "" when it can."""
    if not session.title:
        return "it has no title"
    if session.start is None:
        return "it has no readable start time"
    if session.duration_minutes is None:
        return "it has no readable duration"
    if not 5 <= session.duration_minutes <= 24 * 60:
        return f"its duration ({session.duration_minutes} min) is not between 5 minutes and 24 hours"
    return ""  # a session without a room goes to the "Room not given" room (see `NoRoom`)


def _proposal_values(session, tracks, session_type) -> dict:
    return {
        "title": session.title[:200],
        "abstract": session.abstract,
        "description": session.description,
        "track": tracks.get(session.track.strip()[:120].lower()) if session.track else None,
        "session_type": session_type,
        "language": (session.language or "en")[:10],
        "subtitle": session.subtitle[:300],
        "do_not_record": session.do_not_record,
        "recording_license": session.recording_license[:200],
        "links": session.links,
        "attachments": session.attachments,
        "video_url": session.video_url,
        "feedback_url": session.feedback_url,
        "origin_url": session.origin_url,
    }


# Derived slot UUIDs: uuid5 in this namespace of the source guid (the same guid gives the same UUID).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://podium.invalid/source-guid")


def derived_uuid(guid: str, scope: str = "") -> uuid.UUID:
    """The UUID an export shows for a source guid that is not a UUID: UUIDv5 of the guid (of
    "scope/guid" when another event already uses the plain one), stable on every import."""
    return uuid.uuid5(GUID_NAMESPACE, f"{scope}/{guid}" if scope else guid)


def _slot_uuids(event: Event, guids: list[str]) -> dict:
    """{source guid: slot UUID} for new slots: a UUID guid is taken as it is, any other guid gives its
    derived UUID; a guid whose UUIDs another slot already has is left out (its slot gets a random one)."""
    wanted = {}
    for guid in guids:
        if not guid:
            continue
        try:
            wanted[guid] = [uuid.UUID(guid)]
        except ValueError:
            wanted[guid] = [derived_uuid(guid), derived_uuid(guid, event.slug)]
    candidates = [u for options in wanted.values() for u in options]
    used = set(Slot.objects.filter(uuid__in=candidates).values_list("uuid", flat=True))
    chosen = {}
    for guid, options in wanted.items():
        free = next((u for u in options if u not in used), None)
        if free is not None:
            used.add(free)
            chosen[guid] = free
    return chosen


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _free_code(taken: set[str], wanted: str) -> str:
    """The source's code when it fits and is free in the event, else a new random one."""
    code = (wanted or "").strip().upper()
    while not (code.isalnum() and 4 <= len(code) <= 16) or code in taken:
        code = new_code()
    taken.add(code)
    return code


def _set_speakers(proposal: Proposal, users: list, *, new: bool = False) -> bool:
    """Make the proposal's speakers exactly `users`, in order. True when that changed anything."""
    wanted = list(dict.fromkeys(user.pk for user in users))
    if not new:
        current = list(proposal.speaker_links.order_by("position").values_list("user_id", flat=True))
        if current == wanted:
            return False
        proposal.speaker_links.all().delete()
    ProposalSpeaker.objects.bulk_create(
        [ProposalSpeaker(proposal=proposal, user_id=pk, position=n) for n, pk in enumerate(wanted)]
    )
    return True


def _utc_minute(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(second=0, microsecond=0)


class Guids:
    """Which source guids the event's sessions keep: each guid once per event (a guid another session
    already holds is not kept, and the report says so); guids that are not UUIDs are counted for
    the report, which says that the formats requiring a UUID get one derived from them."""

    def __init__(self, event: Event, report: ImportReport):
        self.report = report
        self.holders = dict(event.proposals.exclude(guid="").values_list("guid", "pk"))
        self.not_uuid: list[str] = []

    def keep(self, session: SourceSession, proposal: Proposal | None) -> str:
        """The guid to store on the session's proposal ("" when the source gives none or it is taken)."""
        guid = session.guid.strip()
        if not guid:
            return proposal.guid if proposal is not None else ""
        if len(guid) > 200:
            self.report.note(
                f"The guid of “{session.title}” ({session.ref}) is longer than 200 characters; not kept."
            )
            return ""
        holder = self.holders.get(guid)
        mine = proposal.pk if proposal is not None else None
        if holder is not None and holder != mine:
            self.report.note(
                f"The guid “{guid}” of “{session.title}” ({session.ref}) already belongs to another "
                "session of the event; not kept for this one."
            )
            return ""
        self.holders[guid] = mine if mine is not None else -len(self.holders) - 1
        if not _is_uuid(guid):
            self.not_uuid.append(guid)
        return guid

    def summarise(self) -> None:
        """One report line about guids that are not UUIDs."""
        if self.not_uuid:
            self.report.note(
                f"{len(self.not_uuid)} session guids are not UUIDs (for example “{self.not_uuid[0]}”): "
                "they are kept and given back where a format takes any text (the iCal UID, the API); "
                "schedule.xml and schedule.json, which require a UUID, carry a UUIDv5 derived from "
                "each, the same on every import."
            )


def _flat(text: str) -> str:
    """Text with one kind of line end (an iCal or CSV copy turns CR LF into LF)."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _parsed_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value).strip())
    except (ValueError, TypeError, AttributeError):
        return None


class Existing:
    """The event's sessions, for a file's session that no earlier import of its key made: Podium's own
    export of the event, or another file with the same sessions. Matched by guid (the slot's UUID, which
    exports write, or the guid the session keeps from its source), then by code or slot id when the title
    or the start agrees too (another system's ids are not ours), then by title and start. Each session
    of the event is matched once."""

    def __init__(self, event: Event):
        self.claimed: set[int] = set()
        self.by_uuid: dict[uuid.UUID, int] = {}
        self.by_guid: dict[str, int] = {}
        self.by_code: dict[str, tuple] = {}
        self.by_id: dict[str, tuple] = {}
        self.by_title_start: dict[tuple, int] = {}
        keeps_guid = any(f.name == "guid" for f in Proposal._meta.concrete_fields)
        names = ["proposal_id", "uuid", "pk", "start", "proposal__code", "proposal__title"]
        rows = Slot.objects.filter(event=event, kind=SlotKind.SESSION, proposal__isnull=False)
        for row in rows.values_list(*names, *(["proposal__guid"] if keeps_guid else [])):
            pk, slot_uuid, slot_id, start, code, title = row[:6]
            folded = name_folded(title)
            self.by_uuid[slot_uuid] = pk
            if keeps_guid and row[6]:
                self.by_guid[row[6]] = pk
            self.by_code[code.upper()] = (pk, folded, start)
            self.by_id[str(slot_id)] = (pk, folded, start)
            if start is not None:
                self.by_title_start.setdefault((folded, start), pk)

    def find(self, session: SourceSession, start: dt.datetime) -> int | None:
        """The proposal id of the event's session that `session` is, or None."""
        guid = session.guid.strip()
        guid = guid or (session.key[5:] if session.key.startswith("guid:") else "")
        by_uuid = self.by_uuid.get(_parsed_uuid(guid)) if guid else None
        if by_uuid is not None and by_uuid not in self.claimed:
            return by_uuid
        for candidate in (guid, guid.rpartition("@")[0]):  # an iCal UID is "guid@host"
            if candidate and self.by_guid.get(candidate) not in (None, *self.claimed):
                return self.by_guid[candidate]
        folded = name_folded(session.title)
        ident = session.key[3:] if session.key.startswith("id:") else ""
        for index, value in ((self.by_code, session.code.strip().upper()), (self.by_id, ident)):
            pk, title, placed = index.get(value, (None, "", None)) if value else (None, "", None)
            if pk is not None and pk not in self.claimed and (title == folded or placed == start):
                return pk
        pk = self.by_title_start.get((folded, start))
        return pk if pk is not None and pk not in self.claimed else None


class Sessions:
    """Creates new sessions and places them; updates and moves the ones an earlier import created."""

    def __init__(self, *, event, rooms, tracks, speakers, report, by):
        self.event, self.rooms, self.tracks, self.speakers = event, rooms, tracks, speakers
        self.report, self.by = report, by
        self.keys = Keys(event, Kind.SESSION)
        self.type_keys, self.type_cache = Keys(event, Kind.SESSION_TYPE), {}
        self.seen: set[str] = set()
        self.moves: list[tuple[SourceSession, Proposal, Room]] = []
        self.codes = set(event.proposals.values_list("code", flat=True))
        self.pending: list[tuple] = []
        self.existing = Existing(event)
        self.absent: frozenset[str] = frozenset()  # proposal fields the file does not carry
        self.guids = Guids(event, report)
        self.no_room = NoRoom(event, report)

    def take(self, session: SourceSession) -> None:
        problem = _problem(session)
        if not problem and session.key in self.seen:
            problem = f"its id ({session.key}) was already used by an earlier session in the file"
        if problem:
            self.report.skip("session", session.ref, problem)
            return
        self.seen.add(session.key)
        proposal = self._match(session)
        data = _proposal_values(session, self.tracks, self._type_for(session, proposal))
        users = [self.speakers.user_for(person) for person in session.persons]
        room = self._room_for(session, proposal)
        if room is None or (not session.room.strip() and self.no_room.is_one(room)):
            self.no_room.titles.append(data["title"])
        data["guid"] = self.guids.keep(session, proposal)
        if session.refused:
            self.report.note(
                f"Left out of “{session.title}” ({session.ref}), not an http(s) address: "
                + "; ".join(session.refused)
                + "."
            )
        if proposal is None:
            self._create(session, data, users, room)
        else:
            self._update(session, proposal, data, users, room)

    def _room_for(self, session: SourceSession, proposal: Proposal | None) -> Room | None:
        """The file's room; for a session the file gives none, the room it is in already (what the file
        does not say is kept), else None: a "Room not given" room, chosen when it is placed."""
        name = session.room.strip()[:120].lower()
        if name in self.rooms:
            return self.rooms[name]
        slot = Slot.objects.filter(event=self.event, proposal=proposal).first() if proposal else None
        return slot.room if slot is not None and slot.start is not None else None

    def _match(self, session: SourceSession) -> Proposal | None:
        """The event's session this one is: the one an earlier import of its key made, else one found by
        guid, code, id or title and start (see `Existing`); None for a new session."""
        known = self.keys.get(session.key)
        proposal = None
        if known and known not in self.existing.claimed:
            proposal = self.event.proposals.filter(pk=known).first()
        if proposal is None:
            found = self.existing.find(session, _utc_minute(session.start))
            proposal = self.event.proposals.filter(pk=found).first() if found else None
            if proposal is not None:
                self.keys.remember(session.key, proposal)
        if proposal is not None:
            self.existing.claimed.add(proposal.pk)
            own = getattr(proposal, "guid", "")
            exported = self.existing.by_uuid.get(_parsed_uuid(session.guid)) == proposal.pk
            if session.guid and (exported or (own and session.guid.rpartition("@")[0] == own)):
                session.guid = own  # the guid an export gives it (slot UUID, iCal UID): it keeps its own
        return proposal

    def _type_for(self, session: SourceSession, proposal: Proposal | None) -> SessionType:
        """The session type: an existing session keeps its own when it has the session's length and the
        file gives the same name or none (an iCal feed); else the type of that name (the file's, else
        the current one's) and length (a session's length is its type's)."""
        current = proposal.session_type if proposal is not None else None
        name = session.type_name
        if current is not None:
            own = own_type_name(current.name, current.duration_minutes)
            if "session_type" in self.absent:
                name = own
            if current.duration_minutes == session.duration_minutes and same_name(
                own, own_type_name(name or "Session", session.duration_minutes)
            ):
                return current
        return _session_type(
            self.event, self.type_keys, self.type_cache, name, session.duration_minutes, self.report
        )

    def _create(self, session, data, users, room) -> None:
        """New sessions wait until moves are done, then are placed together (see `create_new`)."""
        self.pending.append((session, data, users, room))

    def create_new(self) -> None:
        """Place the new sessions with the editor's rules (one room, one session at a time), checked in
        memory against the draft, and write them in bulk; a session whose place is taken is skipped."""
        occupancy = Occupancy(self.event)
        new = []
        for session, data, users, room in self.pending:
            start = _utc_minute(session.start)
            end = start + dt.timedelta(minutes=session.duration_minutes)
            room = room or self.no_room.free(start, end, occupancy.room_taken)
            taken = occupancy.refusal(room, start, end)
            if taken:
                self.report.skip("session", session.ref, f"“{session.title}” cannot be placed: {taken}")
                continue
            occupancy.take(room, start, end, data["title"])
            new.append((session, data, users, room, start, end))
        occupancy.clear_dead_places()
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(event=self.event, code=_free_code(self.codes, session.code),
                         state=ProposalState.CONFIRMED, **data)
                for session, data, *_ in new
            ],
            batch_size=500,
        )  # fmt: skip
        ProposalSpeaker.objects.bulk_create(
            [
                ProposalSpeaker(proposal=proposal, user_id=pk, position=n)
                for proposal, (_s, _d, users, *_r) in zip(proposals, new, strict=True)
                for n, pk in enumerate(dict.fromkeys(user.pk for user in users))
            ],
            batch_size=1000,
        )
        guids = _slot_uuids(self.event, [data["guid"] for _session, data, *_ in new])
        slots = []
        for proposal, (session, data, _users, room, start, end) in zip(proposals, new, strict=True):
            slot = Slot(
                event=self.event, proposal=proposal, kind=SlotKind.SESSION, room=room, start=start, end=end
            )
            slot.uuid = guids.get(data["guid"]) or slot.uuid
            slots.append(slot)
            self.keys.remember(session.key, proposal)
        Slot.objects.bulk_create(slots, batch_size=500)
        self.report.count("session", "created", len(slots))

    def _update(self, session, proposal, data, users, room) -> None:
        # What the file does not say is kept (the session type is chosen by `_type_for`).
        for name in (self.absent - {"session_type"}) | ({"language"} if not session.language else set()):
            data.pop(name, None)
        for name in ("abstract", "description"):
            if (
                name in data
                and data[name]
                and _flat(data[name]) == _flat(plain_text(getattr(proposal, name)))
            ):
                data.pop(name)  # the plain-text copy of the text (iCal) does not replace it
        if data.get("origin_url") == talk_url(self.event.slug, proposal.code):
            data.pop("origin_url")  # the session's own page here (an export's <url>) is not its origin
        changed = [name for name, value in data.items() if getattr(proposal, name) != value]
        if proposal.state not in SCHEDULABLE:
            data["state"], changed = ProposalState.CONFIRMED, [*changed, "state"]
        if changed:
            for name, value in data.items():
                setattr(proposal, name, value)
            proposal.version += 1
            proposal.save()
        speakers_changed = _set_speakers(proposal, users)
        slot = Slot.objects.filter(event=self.event, proposal=proposal).first()
        start = _utc_minute(session.start)
        end = start + dt.timedelta(minutes=session.duration_minutes)
        moved = slot is None or room is None or (slot.room_id, slot.start, slot.end) != (room.pk, start, end)
        if moved:
            self.moves.append((session, proposal, room))
        elif changed or speakers_changed:
            self.report.count("session", "updated")
        else:
            self.report.count("session", "unchanged")

    def place_moves(self) -> None:
        """Take every moved session off the grid first, then place them: swaps never collide."""
        for _session, proposal, _room in self.moves:
            slot = Slot.objects.filter(event=self.event, proposal=proposal).first()
            if slot is not None and slot.start is not None:
                schedule.unschedule_session(
                    event=self.event, proposal=proposal, version=slot.version, by=self.by
                )
        for session, proposal, room in self.moves:
            slot = Slot.objects.filter(event=self.event, proposal=proposal).first()
            if room is None:
                start = _utc_minute(session.start)
                end = start + dt.timedelta(minutes=session.duration_minutes)
                room = self.no_room.free(start, end, self._room_taken)
            try:
                schedule.place_session(
                    event=self.event, proposal=proposal, room=room, start=session.start,
                    version=slot.version if slot else 0, by=self.by,
                )  # fmt: skip
            except ServiceError as exc:
                self.report.skip("session", session.ref, f"“{session.title}” cannot be moved: {exc.message}")
                continue
            self.report.count("session", "moved")

    def _room_taken(self, room: Room, start, end) -> bool:
        return self.event.slots.filter(room=room, start__lt=end, end__gt=start).exists()

    def unschedule_missing(self) -> None:
        """Sessions an earlier import placed that the file no longer lists come off the grid."""
        gone = [
            pk
            for key, pk in self.keys.ids.items()
            if key not in self.seen and pk not in self.existing.claimed
        ]
        placed = self.event.proposals.filter(pk__in=gone, slot__start__isnull=False, state__in=SCHEDULABLE)
        for proposal in placed:
            schedule.unschedule_session(
                event=self.event, proposal=proposal, version=proposal.slot.version, by=self.by
            )
            self.report.count("session", "removed")


# --- The use case --------------------------------------------------------------------------------------


def _publish(event, by, report, label: str) -> None:
    try:
        release = schedule.publish_release(event=event, by=by, comment=f"Imported from {label}.")
    except ServiceError:
        return  # nothing public changed: a second identical import is not an error
    report.release = release.name
    # Imported people have reserved `.invalid` addresses: the release's notices skip them, and the
    # outbox never sends to such an address (podium.mail.services.undeliverable).


def import_program(
    *,
    data: bytes,
    by,
    event: Event | None = None,
    event_slug: str | None = None,
    organiser_slug: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    label: str = "a file",
    progress=None,
    time_zone: str | None = None,
    allow_partial: bool = False,
    admin_email: str | None = None,
) -> ImportReport:
    """Import a schedule file into `event` (or the event named by `event_slug` or the file's acronym,
    created under the organiser when it does not exist) and publish a release when anything public
    changed. All or nothing: one transaction; a dry run does everything, then rolls back.

    `organiser_slug` names the organiser by short name or name; one that does not exist is created with
    `admin_email`'s account (else `by`, else the only site administrator) as its administrator.
    Times without an offset are read in `time_zone` when given, else the file's zone, else the event's,
    else the one zone the file's offsets fit (see `importers.zones`); the report says which and why.
    Refused, with nothing saved, when no session would be on the program or more than half the file's
    sessions are skipped, unless `allow_partial`.

    `progress`, when given, is called once per session read. Side effects: organiser (with its
    administrators team), event, rooms, tracks, session types, users (reserved addresses, unusable
    passwords) and speaker profiles, confirmed proposals and slots, a release (its speaker notices are
    discarded, never sent), audit entries.
    """
    report = ImportReport(dry_run=dry_run)
    program = read_program(data, fmt=fmt)
    report.format, report.sessions_in_file = program.format, program.events_seen
    report.skips.extend(program.skips)
    for skip in program.skips:
        report.count(skip.kind, "skipped")
    existing, slug = _existing_event(program=program, event=event, event_slug=event_slug)
    choice = zones.choose(
        program, given=time_zone, event_zone=existing.timezone if existing is not None else None
    )
    program.localize(choice.tz)
    report.time_zone, report.time_zone_reason, report.time_zone_source = (
        choice.name,
        choice.reason,
        choice.source,
    )
    try:
        with transaction.atomic():
            target = _event_for(
                program=program, event=existing, slug=slug, organiser_slug=organiser_slug,
                admin_email=admin_email, time_zone=choice.name, by=by, report=report,
            )  # fmt: skip
            report.event_slug = target.slug
            _apply(target, program, report, by, progress)
            if not allow_partial:
                _refuse_partial(target, report)
            if report.created or report.updated:
                _publish(target, by, report, label)
            audit.record(
                action="interop.imported", actor=by, target=target, event_id=target.pk,
                format=program.format, created=report.created, updated=report.updated,
                skipped=len(report.skips), release=report.release, dry_run=dry_run,
            )  # fmt: skip
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _refuse_partial(event: Event, report: ImportReport) -> None:
    """Refuse (rolling everything back) an import that leaves no session on the program, or that
    skips more than half of the file's sessions."""
    skips = [skip for skip in report.skips if skip.kind == "session"]
    total = report.sessions_in_file
    placed = event.slots.filter(
        kind=SlotKind.SESSION, start__isnull=False, proposal__state__in=SCHEDULABLE
    ).exists()
    if total and placed and len(skips) * 2 <= total:
        return
    if not total:
        reason = "The file lists no sessions that Podium can read"
    elif not placed:
        reason = f"None of the {total} sessions in the file would be on the program"
    else:
        reason = f"{len(skips)} of the {total} sessions in the file would be skipped (more than half)"
    examples = "; ".join(f"{skip.ref}: {skip.reason}" for skip in skips[:3])
    raise ImportRefused(
        f"{reason}, so nothing was imported{f' (for example {examples})' if examples else ''}. "
        "Check the file and its format; to import what can be read anyway, allow a partial import "
        "(--allow-partial)."
    )


def _apply(event, program, report, by, progress) -> None:
    rooms = _rooms(event, program, report)
    tracks = _tracks(event, program, report)
    sessions = Sessions(
        event=event, rooms=rooms, tracks=tracks, speakers=Speakers(event, report), report=report, by=by
    )
    sessions.absent = program.absent_fields
    for session in program.sessions:
        sessions.take(session)
        if progress is not None:
            progress(1)
    sessions.unschedule_missing()
    sessions.place_moves()
    sessions.create_new()
    sessions.guids.summarise()
    sessions.no_room.summarise()
    for keys in (sessions.keys, sessions.type_keys, sessions.speakers.keys):
        keys.save()


# --- Uploads waiting for confirmation ------------------------------------------------------------------


def _staging_dir():
    folder = Path(getattr(settings, "PODIUM_IMPORT_DIR", None) or settings.DATA_DIR / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _staged_path(event: Event, token: str):
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        raise ImportRefused("This upload is unknown or has expired; upload the file again.")
    return _staging_dir() / f"{event.pk}-{token}.upload"


def stage_upload(*, event: Event, data: bytes) -> str:
    """Keep an uploaded file (outside the public media folder) until the organiser confirms the import.
    Returns the token that names it. Side effects: one file in PODIUM_IMPORT_DIR (default DATA_DIR/imports)."""
    token = secrets.token_urlsafe(24)
    _staged_path(event, token).write_bytes(data)
    return token


def apply_staged_upload(
    *,
    event: Event,
    token: str,
    by,
    fmt: str | None = None,
    time_zone: str | None = None,
    allow_partial: bool = False,
) -> ImportReport:
    """Import a staged upload for real (see import_program), then delete it. The file is kept when
    the import fails, so the organiser can read the error and try again."""
    path = _staged_path(event, token)
    if not path.is_file():
        raise ImportRefused("This upload is unknown or has expired; upload the file again.")
    report = import_program(
        data=path.read_bytes(), by=by, event=event, fmt=fmt, label="an upload", time_zone=time_zone,
        allow_partial=allow_partial,
    )  # fmt: skip
    path.unlink(missing_ok=True)
    return report
