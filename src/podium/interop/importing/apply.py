"""Applying a read file to the event: its sessions, through the proposals and schedule services.

`Sessions` decides, session by session, which of the event's sessions each one is (an earlier import
of its key, else `matching.Existing`), what it says (a field the file does not carry is kept), and
where it goes. Then `proposals.services.import_sessions` creates and updates the sessions with their
speakers, and `schedule.services.place_sessions` places them all at once, sessions the file puts in one
room at one time side by side (marked `shares_room`, flagged in the editor). A session the file lists
twice under one key is imported twice (the repeat with a derived key and guid) unless both entries
are the same session at the same place; the report says which.
"""

import dataclasses
import datetime as dt

from podium.base.errors import ServiceError
from podium.events.models import Event, Room, SessionType
from podium.events.services import FIRST_DAY, LAST_DAY, possible_day
from podium.interop.exporters.common import own_type_name, talk_url
from podium.interop.exporters.ical import plain_text
from podium.interop.importers.source import ImportRefused, SourceProgram, SourceSession
from podium.interop.importers.values import name_folded, same_name, skipped_by_the_clocks
from podium.interop.importing.matching import Existing, Guids, Keys, flat, parsed_uuid, slot_uuids
from podium.interop.importing.people import Speakers
from podium.interop.importing.places import NoRoom, rooms_for, session_type_for, tracks_for
from podium.interop.importing.report import ImportReport
from podium.interop.importing.times import utc_minute
from podium.interop.models import ImportedKey
from podium.proposals import services as proposals
from podium.proposals.models import Proposal
from podium.proposals.states import SCHEDULABLE
from podium.schedule import services as schedule
from podium.schedule.models import Slot, SlotKind

Kind = ImportedKey.Kind


def _problem(session: SourceSession) -> str:
    """Why a session cannot be imported, or "" when it can."""
    if not session.title:
        return "it has no title"
    if session.start is None:
        return "it has no readable start time"
    if not possible_day(session.start.date()):
        return f"its start ({session.start.date()}) is not between {FIRST_DAY} and {LAST_DAY}"
    if skipped_by_the_clocks(session.start):
        return (
            f"its start ({session.start:%Y-%m-%d %H:%M}) does not exist in {session.start.tzinfo}: "
            "the clocks skip that hour"
        )
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


@dataclasses.dataclass
class _Entry:
    """One session of the file as it will be applied."""

    session: SourceSession
    imported: proposals.ImportedSession
    room: Room | None  # None: a "Room not given" room, chosen when placed
    start: dt.datetime
    end: dt.datetime


class Sessions:
    """The file's sessions: matched, then created or updated, then placed, in that order."""

    def __init__(self, *, event, rooms, tracks, speakers, report, by):
        self.event, self.rooms, self.tracks, self.speakers = event, rooms, tracks, speakers
        self.report, self.by = report, by
        self.keys = Keys(event, Kind.SESSION)
        self.type_keys, self.type_cache = Keys(event, Kind.SESSION_TYPE), {}
        self.seen: dict[str, tuple] = {}  # key -> (start, room name, folded title) of its first entry
        self.repeats: list[str] = []
        self.entries: list[_Entry] = []
        self.existing = Existing(event)
        self.proposals: dict[int, Proposal] | None = None  # the event's sessions by id, read once
        self.absent: frozenset[str] = frozenset()  # proposal fields the file does not carry
        self.guids = Guids(event, report)
        self.no_room = NoRoom(event, report, by)

    def take(self, session: SourceSession) -> None:
        problem = _problem(session)
        if problem:
            self.report.skip("session", session.ref, problem)
            return
        if not self._first_time(session):
            return
        proposal = self._match(session)
        values = _proposal_values(session, self.tracks, self._type_for(session, proposal))
        users = [self.speakers.user_for(person) for person in session.persons]
        room = self._room_for(session, proposal)
        if room is None or (not session.room.strip() and self.no_room.is_one(room)):
            self.no_room.titles.append(values["title"])
        values["guid"] = self.guids.keep(session, proposal)
        if session.refused:
            self.report.note(
                f"Left out of “{session.title}” ({session.ref}), not an http(s) address: "
                + "; ".join(session.refused)
                + "."
            )
        if proposal is not None:
            self._keep_what_the_file_does_not_say(session, proposal, values)
        start = utc_minute(session.start)
        imported = proposals.ImportedSession(
            values=values, speakers=users, code=session.code, proposal=proposal
        )
        self.entries.append(
            _Entry(session, imported, room, start, start + dt.timedelta(minutes=session.duration_minutes))
        )

    def _first_time(self, session: SourceSession) -> bool:
        """Whether to import `session`: False for a second entry of the same session at the same place
        (noted); a second entry of its key at another time or room is another session, whose key and
        guid are derived from the first's ("…#2"), and the report says so."""
        where = (utc_minute(session.start), session.room.strip().lower(), name_folded(session.title))
        first = self.seen.get(session.key)
        if first is None:
            self.seen[session.key] = where
            return True
        if first == where:
            self.report.note(
                f"“{session.title}” ({session.ref}) is listed twice at the same time and room under "
                f"one id; imported once."
            )
            return False
        number = 2
        while f"{session.key}#{number}" in self.seen:
            number += 1
        key, guid = f"{session.key}#{number}", session.guid
        self.seen[key] = where
        session.key = key
        if session.guid:
            session.guid = f"{session.guid}#{number}"
        self.repeats.append(
            f"“{session.title}” ({session.ref}) repeats the id of an earlier session at another time or "
            f"room: imported as a session of its own"
            + (f", with the guid “{session.guid}” (derived from “{guid}”)" if guid else "")
            + "."
        )
        return True

    def _keep_what_the_file_does_not_say(self, session, proposal: Proposal, values: dict) -> None:
        """Drop from `values` what would only undo the event's own data: fields the file does not carry,
        the plain-text copy of a text (iCal), and the session's own page here (an export's <url>)."""
        for name in (self.absent - {"session_type"}) | ({"language"} if not session.language else set()):
            values.pop(name, None)
        for name in ("abstract", "description"):
            if values.get(name) and flat(values[name]) == flat(plain_text(getattr(proposal, name))):
                values.pop(name)
        if values.get("origin_url") == talk_url(self.event.slug, proposal.code):
            values.pop("origin_url")

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
            proposal = self._proposal(known)
        if proposal is None:
            found = self.existing.find(session, utc_minute(session.start))
            proposal = self._proposal(found) if found else None
            if proposal is not None:
                self.keys.remember(session.key, proposal)
        if proposal is not None:
            self.existing.claimed.add(proposal.pk)
            own = getattr(proposal, "guid", "")
            exported = self.existing.by_uuid.get(parsed_uuid(session.guid)) == proposal.pk
            if session.guid and (exported or (own and session.guid.rpartition("@")[0] == own)):
                session.guid = own  # the guid an export gives it (slot UUID, iCal UID): it keeps its own
        return proposal

    def _proposal(self, pk: int) -> Proposal | None:
        """The event's session with this id (the event's sessions and their types are read once, not one
        query per line of the file)."""
        if self.proposals is None:
            self.proposals = {p.pk: p for p in self.event.proposals.select_related("session_type")}
        return self.proposals.get(pk)

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
        return session_type_for(
            self.event, self.type_keys, self.type_cache, name, session.duration_minutes, self.report, self.by
        )

    # --- Writing -----------------------------------------------------------------------------------

    def apply(self) -> None:
        """Sessions the file no longer lists come off the grid; the file's sessions are created or
        updated, then all placed at once (`schedule.services.place_sessions`, rooms shared where the
        file shares them)."""
        self._unschedule_missing()
        self.speakers.create()  # the new people, in bulk: the sessions need their ids
        written = proposals.import_sessions(
            event=self.event, sessions=[entry.imported for entry in self.entries], by=self.by
        )
        created = iter(written.created)
        updated = {proposal.pk for proposal in written.updated}
        for entry in self.entries:
            if entry.imported.proposal is None:
                entry.imported.proposal = next(created)
            self.keys.remember(entry.session.key, entry.imported.proposal)
        with_slot = set(
            Slot.objects.filter(
                event=self.event, proposal__in=[e.imported.proposal for e in self.entries]
            ).values_list("proposal_id", flat=True)
        )  # one query, not one per session
        new_uuids = slot_uuids(
            self.event,
            [
                e.imported.values.get("guid", "")
                for e in self.entries
                if e.imported.proposal.pk not in with_slot
            ],
        )
        taken = self._no_room_rooms()
        placements = [
            schedule.Placement(
                proposal=entry.imported.proposal,
                room=entry.room or self.no_room.free(entry.start, entry.end, taken),
                start=entry.start,
                end=entry.end,
                uuid=new_uuids.get(entry.imported.values.get("guid", "")),
            )
            for entry in self.entries
        ]
        placed = schedule.place_sessions(
            event=self.event, placements=placements, by=self.by, share_rooms=True
        )
        for placement, reason in placed.refused:
            self.report.skip("session", placement.proposal.code, f"“{placement.proposal.title}”: {reason}")
        moved = {slot.proposal_id for slot in placed.moved}
        fresh = {proposal.pk for proposal in written.created}
        for entry in self.entries:
            pk = entry.imported.proposal.pk
            if pk in fresh:
                self.report.count("session", "created")
            elif pk in moved:
                self.report.count("session", "moved")
            elif pk in updated:
                self.report.count("session", "updated")
            else:
                self.report.count("session", "unchanged")
        if placed.shared:
            shown = "; ".join(
                f"“{p.proposal.title}” with “{other}” in {p.room.name}" for p, other in placed.shared[:5]
            )
            more = f" and {len(placed.shared) - 5} more" if len(placed.shared) > 5 else ""
            self.report.note(
                f"{len(placed.shared)} session{'s share a room' if len(placed.shared) != 1 else ' shares a room'}"
                f" with another at the same time, as the file has them: {shown}{more}. The schedule "
                "editor flags them (room shared) until one is moved; the release checks list them."
            )
        for note in self.repeats:
            self.report.note(note)

    def _no_room_rooms(self):
        """`taken(room, start, end)` for `NoRoom.free`: whether a "Room not given" room is taken then
        by a session already there or by one of the file's placed before; a free room is claimed."""
        placing = {entry.imported.proposal.pk for entry in self.entries}
        claimed: dict[int, list] = {}

        def taken(room: Room, start, end) -> bool:
            busy = any(s < end and e > start for s, e in claimed.get(room.pk, [])) or (
                self.event.slots.filter(room=room, start__lt=end, end__gt=start)
                .exclude(proposal_id__in=placing)
                .exists()
            )
            if not busy:
                claimed.setdefault(room.pk, []).append((start, end))
            return busy

        return taken

    def _unschedule_missing(self) -> None:
        """Sessions an earlier import placed that the file no longer lists come off the grid."""
        claimed = {entry.imported.proposal.pk for entry in self.entries if entry.imported.proposal}
        gone = [pk for key, pk in self.keys.ids.items() if key not in self.seen and pk not in claimed]
        placed = self.event.proposals.filter(pk__in=gone, slot__start__isnull=False, state__in=SCHEDULABLE)
        for proposal in placed:
            schedule.unschedule_session(
                event=self.event, proposal=proposal, version=proposal.slot.version, by=self.by
            )
            self.report.count("session", "removed")


# --- The program as a whole ------------------------------------------------------------------------


def apply_program(event: Event, program: SourceProgram, report: ImportReport, by, progress) -> None:
    """Apply the read file to `event` (inside the import's transaction)."""
    rooms = rooms_for(event, program, report, by)
    tracks = tracks_for(event, program, report, by)
    sessions = Sessions(
        event=event, rooms=rooms, tracks=tracks, speakers=Speakers(event, report), report=report, by=by
    )
    sessions.absent = program.absent_fields
    for session in program.sessions:
        sessions.take(session)
        if progress is not None:
            progress(1)
    sessions.apply()
    sessions.guids.summarise()
    sessions.no_room.summarise()
    _note_outside_the_days(event, sessions.entries, report)
    for keys in (sessions.keys, sessions.type_keys, sessions.speakers.keys):
        keys.save()


def _note_outside_the_days(event: Event, entries: list[_Entry], report: ImportReport) -> None:
    """Say so when sessions of the file are outside an existing event's days: they are imported where
    the file puts them, and the schedule editor lists them as errors."""
    first, _ = event.day_range(event.date_from)
    _, last = event.day_range(event.date_to)
    outside = [entry for entry in entries if entry.start < first or entry.end > last]
    if not outside:
        return
    example = outside[0]
    report.note(
        f"{len(outside)} session(s) of the file are outside the event's days ({event.date_from} to "
        f"{event.date_to}), for example “{example.session.title}” at "
        f"{example.start.astimezone(event.tz):%Y-%m-%d %H:%M}: they are placed where the file puts them, "
        "and the schedule editor lists them as errors until they are moved or the event's days changed."
    )


# --- The use case --------------------------------------------------------------------------------------


def publish(event, by, report, label: str) -> None:
    try:
        release = schedule.publish_release(event=event, by=by, comment=f"Imported from {label}.")
    except ServiceError:
        return  # nothing public changed: a second identical import is not an error
    report.release = release.name
    # Imported people have reserved `.invalid` addresses: the release's notices skip them, and the
    # outbox never sends to such an address (podium.mail.services.undeliverable).


def refuse_partial(event: Event, report: ImportReport) -> None:
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
