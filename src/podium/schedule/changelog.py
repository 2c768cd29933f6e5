"""The changelog between two releases: which sessions are new, moved, changed or cancelled.

Pure functions over plain dicts (one per session, keyed by the slot's UUID), so the rules can be
tested without a database and reused by importers that build releases from files.
"""

import datetime as dt
import hashlib
import json

from django.utils.translation import gettext_lazy as _

NEW, MOVED, CHANGED, CANCELLED = "new", "moved", "changed", "cancelled"
KINDS = (NEW, MOVED, CHANGED, CANCELLED)
KIND_LABELS = {
    NEW: _("New"),
    MOVED: _("Moved"),
    CHANGED: _("Changed"),
    CANCELLED: _("Cancelled"),
}

# Where and when: a difference here makes a session "moved".
PLACE_FIELDS = ("start", "room_uuid")
# What: a difference here (and not in the place) makes it "changed".
CONTENT_FIELDS = (
    "minutes",
    "title",
    "speaker_names",
    "track_name",
    "session_type",
    "language",
    "abstract",
    "description",
    "subtitle",
    "do_not_record",
    "links",
)
FIELD_LABELS = {
    "minutes": "duration",
    "title": "title",
    "speaker_names": "speakers",
    "track_name": "track",
    "session_type": "session type",
    "language": "language",
    "abstract": "abstract",
    "description": "description",
    "subtitle": "subtitle",
    "do_not_record": "recording consent",
    "links": "links and video",
}
# The labels above (stored in English in every changelog, and read so by the API) as a reader sees them.
FIELD_LABEL_TEXTS = {
    "duration": _("duration"),
    "title": _("title"),
    "speakers": _("speakers"),
    "track": _("track"),
    "session type": _("session type"),
    "language": _("language"),
    "abstract": _("abstract"),
    "description": _("description"),
    "subtitle": _("subtitle"),
    "recording consent": _("recording consent"),
    "links and video": _("links and video"),
}


def _place(session: dict) -> dict:
    return {
        "start": session["start"],
        "end": session["end"],
        "room": session["room_name"],
        "room_uuid": session["room_uuid"],
    }


def _entry(kind: str, session: dict, old: dict | None, new: dict | None, fields=()) -> dict:
    return {
        "kind": kind,
        "code": session["code"],
        "title": session["title"],
        "speakers": session["speaker_codes"],
        "old": _place(old) if old else None,
        "new": _place(new) if new else None,
        "fields": [FIELD_LABELS[field] for field in fields],
    }


def diff_sessions(old: dict[str, dict], new: dict[str, dict]) -> list[dict]:
    """The changes from `old` to `new` (both {slot uuid: session dict}), sessions only (no breaks).

    A session dict has the keys of PLACE_FIELDS and CONTENT_FIELDS plus code, end, room_name and
    speaker_codes; times are ISO strings in UTC. Entries come sorted by kind, then by the new (or
    old) start time, then by title.
    """
    changes = []
    for key, session in new.items():
        before = old.get(key)
        if before is None:
            changes.append(_entry(NEW, session, None, session))
            continue
        fields = [field for field in CONTENT_FIELDS if before[field] != session[field]]
        if any(before[field] != session[field] for field in PLACE_FIELDS):
            changes.append(_entry(MOVED, session, before, session, fields))
        elif fields:
            changes.append(_entry(CHANGED, session, before, session, fields))
    for key, session in old.items():
        if key not in new:
            changes.append(_entry(CANCELLED, session, session, None))
    changes.sort(
        key=lambda change: (
            KINDS.index(change["kind"]),
            (change["new"] or change["old"])["start"],
            change["title"],
        )
    )
    return changes


def concerns_speakers(change: dict) -> bool:
    """Whether the speakers of the session are told (by mail) about this change: every kind, text edits
    included, since what the public reads about their session changed too."""
    return change["kind"] in KINDS


def fingerprint(payload) -> str:
    """A stable digest of a JSON-able snapshot: equal digests mean equal public programs."""
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def parse_place(place: dict | None) -> dict | None:
    """A changelog place with its times as datetimes (for templates, which format them in local time)."""
    if place is None:
        return None
    return {
        **place,
        "start": dt.datetime.fromisoformat(place["start"]),
        "end": dt.datetime.fromisoformat(place["end"]),
    }


def _clock_repeats(old: dict | None, new: dict | None, tz) -> bool:
    """Whether a move reads the same on the clock in `tz` though its times differ: the first 02:30 to
    the second, on the night the clocks go back (parsed places). Its places then name their zone."""
    if not old or not new:
        return False
    return any(
        old[key] != new[key]
        and old[key].astimezone(tz).replace(tzinfo=None) == new[key].astimezone(tz).replace(tzinfo=None)
        for key in ("start", "end")
    )


def _zoned(place: dict, tz) -> dict:
    """`place` with the abbreviations of its zone at its start and end (" CEST"), to follow its times."""
    return {
        **place,
        "zone": f" {place['start'].astimezone(tz).tzname()}",
        "end_zone": f" {place['end'].astimezone(tz).tzname()}",
    }


def places(change: dict, tz) -> tuple[dict | None, dict | None]:
    """The old and new place of a change, parsed; each with "zone" and "end_zone" (empty unless the move
    reads the same on the clock in `tz`, see `_clock_repeats`), for a page or mail to put after the times
    (Django's date formats name no zone for the hour the clocks repeat, the very one to tell apart)."""
    old, new = parse_place(change["old"]), parse_place(change["new"])
    if _clock_repeats(old, new, tz):
        return _zoned(old, tz), _zoned(new, tz)
    blank = {"zone": "", "end_zone": ""}
    return (old and {**old, **blank}), (new and {**new, **blank})


def readable(changes: list[dict], tz) -> list[dict]:
    """Changelog entries ready for a template: parsed times (with their zone where the clock in `tz`,
    the event's time zone, does not tell them apart), a label per kind and the changed fields in the
    reader's language."""
    entries = []
    for change in changes:
        old, new = places(change, tz)
        entries.append(
            {
                **change,
                "label": KIND_LABELS[change["kind"]],
                "fields": [str(FIELD_LABEL_TEXTS.get(field, field)) for field in change.get("fields") or ()],
                "old": old,
                "new": new,
            }
        )
    return entries
