"""What every export shares: the Export value, absolute URLs, identifiers and text clean-up.

Identifiers follow docs/formats.md: a session's guid is its slot UUID and its id the slot's integer
id, rooms keep their UUIDs, so client apps recognise the same session across releases.
"""

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from importlib import metadata

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from podium.schedule.models import Release

GENERATOR = "podium"
# Control characters other than tab, newline and carriage return, and the non-characters U+FFFE and
# U+FFFF: XML 1.0 cannot carry them (DEL it discourages), iCalendar text none of them (RFC 5545 CONTROL).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# The longest duration both readings of "HH:MM" agree on (a three-part value is ambiguous).
_MAX_MINUTES = 23 * 60 + 59
_MINUTES_SUFFIX = re.compile(r"\s*\((\d+) min\)\s*$")


@dataclass(frozen=True)
class Export:
    """One rendered export: what to send and how to name it."""

    content: bytes
    content_type: str
    filename: str


def generator_version() -> str:
    try:
        return metadata.version("podium")
    except metadata.PackageNotFoundError:
        return "dev"


def absolute(path: str) -> str:
    """Links in exports always point at PODIUM_BASE_URL (files are read far from the request)."""
    return settings.BASE_URL + path


def talk_url(event_slug: str, code: str) -> str:
    return absolute(reverse("site:talk", kwargs={"event": event_slug, "code": code}))


def speaker_url(event_slug: str, code: str) -> str:
    return absolute(reverse("site:speaker", kwargs={"event": event_slug, "speaker": code}))


def event_url(event_slug: str) -> str:
    return absolute(reverse("site:event", kwargs={"event": event_slug}))


def person_guid(event, speaker_code: str) -> str:
    """A stable UUID per speaker of an event (same code, same guid, in every release)."""
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.BASE_URL}/events/{event.pk}/speakers/{speaker_code}")
    )


def acronym(event) -> str:
    """The event slug as the formats' acronym: lower case `[a-z0-9_]`, at least four characters.

    Hyphens become underscores because the JSON schema allows a hyphen only in a year suffix.
    """
    text = re.sub(r"[^a-z0-9_]", "_", event.slug.lower())
    return text if len(text) >= 4 else text.ljust(4, "_")


def session_slug(event, session) -> str:
    """`{acronym}-{slot id}-{title}`: unique per slot, lower case, ends with a letter or digit."""
    title = slugify(session.title)[:50].strip("-_")
    if len(title) < 4:  # the XSD wants at least four characters after the id ("Go" → "go-session")
        title = f"{title}-session".lstrip("-")
    return f"{acronym(event)}-{session.slot_id}-{title}"


def track_slug(name: str) -> str:
    """A track slug both schemas accept: `[a-z][a-z0-9-]+`, ending with a letter or digit."""
    text = re.sub(r"[^a-z0-9]+", "-", slugify(name)).strip("-") or "track"
    text = text if text[0].isalpha() else f"t-{text}"
    return text if len(text) >= 2 else f"{text}-track"


def own_type_name(name: str, minutes: int | None = None) -> str:
    """A session type's own name, without the " (45 min)" an import adds to tell apart types of one
    name and several lengths (only when it is `minutes`, when given): exports write "lecture", and an
    import of that file finds the type by name and length, so names never grow on a round trip."""
    name = (name or "").strip()
    match = _MINUTES_SUFFIX.search(name)
    if match and match.start() > 0 and (minutes is None or int(match.group(1)) == minutes):
        return name[: match.start()].strip()
    return name


def hex_colour(value: str) -> str | None:
    return value if value and _HEX_COLOUR.fullmatch(value) else None


def clean(text: str | None) -> str:
    """Text without the characters XML and iCalendar cannot carry (imported data may hold them)."""
    return _NOT_TEXT.sub("", text or "")


def hhmm(minutes: int) -> str:
    """A duration as HH:MM with hours below 24 (longer sessions are cut to 23:59)."""
    minutes = max(0, min(minutes, _MAX_MINUTES))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_iso(moment: dt.datetime, tz) -> str:
    """ISO 8601 with the event's offset, to the second."""
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


def conference_days(release: Release, sessions) -> list[dt.date]:
    """Every day of the event, plus any day a released session falls on outside them."""
    return sorted(set(release.event.days) | {session.day for session in sessions})
