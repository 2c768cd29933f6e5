"""Which time zone an import reads a file's wall-clock times in, and why (the report says both).

In order: the zone given for this import (`--timezone`, the upload page), the zone the file names, the
zone of the event imported into, and last a zone that fits every offset the file's times carry.
An offset is not a zone (+01:00 is Berlin, Paris, Lagos and many more), but every zone that fits all of
the file's offsets gives each of its times the same local time; so when several fit, one is taken
(a zone conferences commonly use first, see `USUAL`), and the report names it, says that others fit
too and how to choose another (`--timezone`). When no zone fits all offsets, or the times carry none,
the import is refused and asks for `--timezone`.
"""

import datetime as dt
import importlib.resources
import zoneinfo
from dataclasses import dataclass
from functools import cache

from podium.events.services import FIRST_DAY, LAST_DAY, possible_day
from podium.interop.importers import values
from podium.interop.importers.source import ImportRefused, SourceProgram

REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
           "Indian/", "Pacific/")  # fmt: skip
SHOWN = 4
#: When several zones fit a file's offsets, the first of these that fits is taken: zones where
#: conferences that publish such files are often held (otherwise the first fitting name in order).
USUAL = (
    "Europe/Berlin", "Europe/London", "Europe/Lisbon", "Europe/Helsinki", "Europe/Moscow",
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Sao_Paulo", "America/Mexico_City", "America/Toronto", "America/Vancouver",
    "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "Asia/Jakarta",
    "Asia/Dubai", "Australia/Sydney", "Australia/Brisbane", "Australia/Perth", "Pacific/Auckland",
    "Africa/Johannesburg", "Africa/Nairobi", "Africa/Lagos",
)  # fmt: skip


@dataclass
class ZoneChoice:
    name: str
    reason: str
    source: str  # "given", "file", "event" or "inferred"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.name)


def _zone_bytes(name: str) -> bytes:
    """The compiled zone file (zones that are links to one another have the same bytes)."""
    try:
        return importlib.resources.files("tzdata").joinpath("zoneinfo", *name.split("/")).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return name.encode()


@cache
def _regional_zones() -> dict[str, str]:
    """{zone name: the name its group goes by}: geographic zones, links folded into one name."""
    groups: dict[bytes, str] = {}
    # A group goes by its usual name where it has one (Europe/Berlin, not a link such as Atlantic/Jan_Mayen).
    names = sorted(
        (name for name in zoneinfo.available_timezones() if name.startswith(REGIONS)),
        key=lambda name: (name not in USUAL, name),
    )
    result = {}
    for name in names:
        result[name] = groups.setdefault(_zone_bytes(name), name)
    return result


def _offset_text(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def fitting_zones(moments: list[dt.datetime]) -> list[str]:
    """The geographic zones whose offset at every one of `moments` is the offset it was written with."""
    observed = {
        (m.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0), m.utcoffset()) for m in moments
    }
    fitting = set()
    for name, group in _regional_zones().items():
        if group in fitting:
            continue
        tz = zoneinfo.ZoneInfo(name)
        if all(instant.astimezone(tz).utcoffset() == offset for instant, offset in observed):
            fitting.add(group)
    return sorted(fitting)


def _usual(zones: list[str]) -> str:
    """The zone to take among several that fit: the first usual one, else the first by name."""
    return next((zone for zone in USUAL if zone in zones), zones[0])


def _offsets(moments) -> str:
    return ", ".join(sorted({_offset_text(m.utcoffset()) for m in moments}))


def choose(program: SourceProgram, *, given: str | None = None, event_zone: str | None = None) -> ZoneChoice:
    """The zone to read the file's wall-clock times in (and a new event's zone), with the reason.

    Raises ImportRefused for an unknown `given` name, and when nothing decides the zone.
    """
    named = program.time_zone.strip()
    if given:
        if values.zone(given) is None:
            raise ImportRefused(f"“{given}” is not a time zone; use an IANA name such as Europe/Berlin.")
        also = f"; the file names {named}" if named and named != given else ""
        return ZoneChoice(given, f"given for this import{also}", "given")
    if named and values.zone(named) is not None:
        return ZoneChoice(named, f"named in the file ({program.zone_source or 'its time zone'})", "file")
    head = (
        f"The file names the time zone “{named}”, which is not an IANA zone name"
        if named
        else "The file names no time zone"
    )
    if event_zone:
        which = f"“{named}”, not an IANA zone name" if named else "none"
        return ZoneChoice(event_zone, f"the event's time zone; the file names {which}", "event")
    with_offset = [] if program.format == "ical" else [
        s.start for s in program.sessions if s.start is not None and s.start.tzinfo is not None
    ]  # fmt: skip
    # A session on a day no event can have is skipped, and says nothing of the zone.
    aware = [start for start in with_offset if possible_day(start.date())]
    ask = "Give the zone its times are in with --timezone (for example --timezone Europe/Berlin)."
    if aware:
        zones = fitting_zones(aware)
        if len(zones) == 1:
            return ZoneChoice(
                zones[0], f"inferred from the offsets of the file's times ({_offsets(aware)}), which only "
                f"{zones[0]} uses",
                "inferred",
            )  # fmt: skip
        if zones:
            chosen = _usual(zones)
            others = [zone for zone in zones if zone != chosen]
            some = ", ".join(others[:SHOWN]) + (", …" if len(others) > SHOWN else "")
            return ZoneChoice(
                chosen,
                f"inferred from the offsets of the file's times ({_offsets(aware)}); {len(others)} other "
                f"zone(s) fit them too ({some}) and give the same local times; check it, and give "
                "another with --timezone if the conference was elsewhere",
                "inferred",
            )
        raise ImportRefused(
            f"{head}, and no single zone uses all the offsets of its times ({_offsets(aware)}). {ask}"
        )
    if program.format == "ical":
        which = (
            f"names the time zone “{named}”, which is not an IANA zone name"
            if named
            else "names no time zone (no X-WR-TIMEZONE, VTIMEZONE or TZID)"
        )
        raise ImportRefused(f"The calendar {which}, so the conference's zone is not known. {ask}")
    if with_offset:
        raise ImportRefused(
            f"{head}, and its times with an offset are all on days before {FIRST_DAY} or after {LAST_DAY}. "
            f"{ask}"
        )
    raise ImportRefused(f"{head}, and its times carry no offset. {ask}")
