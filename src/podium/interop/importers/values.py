"""Lenient readers for the values schedule files write in many shapes (durations, dates, times)."""

import datetime as dt
import re
import unicodedata
import urllib.parse
import zoneinfo

from django.utils.text import slugify

_CLOCK = re.compile(r"^(\d+(?:\.\d+)?):(\d{1,2})(?::(\d{1,2}))?$")


def duration_minutes(value, *, three_part: str = "hms") -> int | None:
    """Minutes from "HH:MM", "H:MM:SS", "D:HH:MM", "135.0:00", "PT1H30M", or a number of minutes.

    A three-part value is ambiguous (Giggity reads H:M:S, EventFahrplan D:H:M); every real file we
    know writes H:M:S, the default. None when nothing sensible can be read.
    """
    if value is None:
        return None
    if isinstance(value, int | float):
        return int(value) if value >= 0 else None
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    iso = re.fullmatch(r"P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", text)
    if iso and any(iso.groups()):
        days, hours, minutes, _seconds = (int(part or 0) for part in iso.groups())
        return days * 1440 + hours * 60 + minutes
    parts = text.split(":")
    if len(parts) == 2:
        match = _CLOCK.match(text)
        if not match:
            return None
        return int(float(match.group(1)) * 60) + int(match.group(2))
    if len(parts) == 3 and all(p.replace(".", "", 1).isdigit() for p in parts):
        first, second, third = (float(p) for p in parts)
        if three_part == "dhm":
            return int(first * 1440 + second * 60 + third)
        return int(first * 60 + second + third // 60)
    return None


def zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """A time zone by IANA name, or None for a missing or unknown name."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(str(name).strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def moment(value, tz: dt.tzinfo | None) -> dt.datetime | None:
    """A datetime from ISO text; a value without an offset is read in `tz` (the file's zone), and
    stays naive (a wall-clock time, placed in a zone later) when `tz` is None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value).strip().replace("Z", "+00:00")
        if not text:
            return None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is None and tz is not None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def skipped_by_the_clocks(moment: dt.datetime | None) -> bool:
    """Whether `moment` is a wall-clock time its zone skips (02:30 on the night the clocks go from 02:00
    to 03:00): such a time names no moment, and Python would read it as one an hour off."""
    if moment is None or moment.tzinfo is None:
        return False
    back = moment.astimezone(dt.UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None, fold=0) != moment.replace(tzinfo=None, fold=0)


def minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    """Whole minutes from `start` to `end`; None when one is missing, or one has a zone and the other not.
    Times with a zone are compared as moments: a session from 01:30 to 03:30 on the night the clocks go
    forward lasts an hour (Python subtracts two times of the same zone on the clock face)."""
    if start is None or end is None or (start.tzinfo is None) != (end.tzinfo is None):
        return None
    if start.tzinfo is not None:
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return int((end - start).total_seconds() // 60)


def day(value) -> dt.date | None:
    """A date from "2025-02-01" (or the date part of a datetime)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def clock(value) -> dt.time | None:
    """A time of day from "10:35" or "10:35:00"."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", str(value or "").strip())
    if not match or int(match.group(1)) > 23:
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def day_start_hour(value) -> int | None:
    """The hour a conference day starts from frab's day_change ("06:00", "09:00:00")."""
    parsed = clock(value)
    return parsed.hour if parsed else None


def same_name(first: str, second: str) -> bool:
    """Whether two spellings name the same person: case, spacing and accents do not count."""
    return name_folded(first) == name_folded(second)


def name_folded(name: str) -> str:
    """A name with case, runs of white space and accents folded ("  José  MARÍA" → "jose maria")."""
    decomposed = unicodedata.normalize("NFKD", str(name or ""))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def person_key(*, ident=None, name: str = "") -> str:
    """The key a person is matched on: the source's id when it has one, else its name (slugified)."""
    if ident not in (None, ""):
        return f"id:{ident}"
    return f"name:{slugify(name) or name.strip().lower()}"


def text(value) -> str:
    """A string from anything a parser found (None, numbers, multi-language objects)."""
    if value is None:
        return ""
    if isinstance(value, dict):  # pretalx multi-language text: {"en": "…", "fr": "…"}
        return str(value.get("en") or next(iter(value.values()), "") or "")
    return str(value).strip()


def absolute_url(base: str, value) -> str:
    """An address relative to the file's base URL made absolute (frab writes attachments as
    "/system/…"); an address with a scheme, or without an http(s) base, is returned as it is."""
    href = text(value)
    if not href or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or not re.match(r"^https?://", base or ""):
        return href
    return urllib.parse.urljoin(base, href)


def flag(value) -> bool:
    """A boolean from "true"/"1"/"yes" (XML text) or a JSON boolean."""
    if isinstance(value, bool):
        return value
    return text(value).lower() in ("true", "1", "yes")
