"""Which record of the event each record of the file is.

`Keys` remembers what each source key became (ImportedKey rows), so importing a file again changes
nothing; `Existing` finds the event's sessions for a file that no earlier import made (Podium's own
export, another copy of the same program); `Guids` decides which source guids sessions keep, and the
slot UUIDs derived from guids that are not UUIDs."""

import datetime as dt
import uuid

from podium.events.models import Event
from podium.interop.importers.source import SourceSession
from podium.interop.importers.values import name_folded
from podium.interop.importing.report import ImportReport
from podium.interop.models import ImportedKey
from podium.proposals.models import Proposal
from podium.schedule.models import Slot, SlotKind


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


def free_uuid(model, value: str):
    """The source's guid when it is a UUID no other object uses yet (exports keep it), else None."""
    try:
        parsed = uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None
    return None if model.objects.filter(uuid=parsed).exists() else parsed


# Derived slot UUIDs: uuid5 in this namespace of the source guid (the same guid gives the same UUID).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://podium.invalid/source-guid")


def derived_uuid(guid: str, scope: str = "") -> uuid.UUID:
    """The UUID an export shows for a source guid that is not a UUID: UUIDv5 of the guid (of
    "scope/guid" when another event already uses the plain one), stable on every import."""
    return uuid.uuid5(GUID_NAMESPACE, f"{scope}/{guid}" if scope else guid)


def slot_uuids(event: Event, guids: list[str]) -> dict:
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


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


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
        if not is_uuid(guid):
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


def flat(text: str) -> str:
    """Text with one kind of line end (an iCal or CSV copy turns CR LF into LF)."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def parsed_uuid(value: str) -> uuid.UUID | None:
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
        by_uuid = self.by_uuid.get(parsed_uuid(guid)) if guid else None
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
