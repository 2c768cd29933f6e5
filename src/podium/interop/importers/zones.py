"""Which time zone an import reads a file's wall-clock times in, and why (the report says both).

In order: the zone given for this import (`--timezone`, the upload page), the zone the file names, the
zone of the event imported into, and last the one zone that fits every offset the file's times carry.
An offset is not a zone (+01:00 is Berlin, Paris, Lagos and many more), so a zone is inferred only when
exactly one fits; otherwise the import is refused and asks for `--timezone`.
"""

import datetime as dt
import importlib.resources
import zoneinfo
from dataclasses import dataclass
from functools import cache

from podium.interop.importers import values
from podium.interop.importers.source import ImportRefused, SourceProgram

REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
           "Indian/", "Pacific/")  # fmt: skip
SHOWN = 4


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
    names = sorted(name for name in zoneinfo.available_timezones() if name.startswith(REGIONS))
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
    unknown = f"The file names the time zone “{named}”, which is not an IANA zone name. " if named else ""
    if event_zone:
        which = f"“{named}”, not an IANA zone name" if named else "none"
        return ZoneChoice(event_zone, f"the event's time zone; the file names {which}", "event")
    aware = [] if program.format == "ical" else [
        s.start for s in program.sessions if s.start is not None and s.start.tzinfo is not None
    ]  # fmt: skip
    ask = "Give the zone its times are in with --timezone (for example --timezone Europe/Berlin)."
    if aware:
        zones = fitting_zones(aware)
        if len(zones) == 1:
            return ZoneChoice(
                zones[0], f"inferred from the offsets of the file's times ({_offsets(aware)}), which only "
                f"{zones[0]} uses",
                "inferred",
            )  # fmt: skip
        some = ", ".join(zones[:SHOWN]) + (", …" if len(zones) > SHOWN else "")
        which = f"several zones use them ({some})" if zones else "no single zone uses them all"
        raise ImportRefused(
            f"{unknown}The file names no time zone, and the offsets of its times ({_offsets(aware)}) do not "
            f"tell one: {which}; an offset is not a zone. {ask}"
        )
    if program.format == "ical":
        raise ImportRefused(
            f"{unknown}The calendar names no time zone (no X-WR-TIMEZONE, VTIMEZONE or TZID), so the "
            f"conference's zone is not known. {ask}"
        )
    raise ImportRefused(f"{unknown}The file names no time zone and its times carry no offset. {ask}")
