"""Times of an import: the zone offset-less times are read in (`importers.zones.choose`, named in the
report), and the minute a session starts at in UTC."""

import datetime as dt

from podium.interop.importers import zones
from podium.interop.importers.source import SourceProgram
from podium.interop.importing.report import ImportReport


def localize(program: SourceProgram, report: ImportReport, *, given: str | None, event_zone: str | None):
    """Choose the zone of the file's offset-less times, read them in it, and say which and why in the
    report. Returns the zone's name."""
    choice = zones.choose(program, given=given, event_zone=event_zone)
    program.localize(choice.tz)
    report.time_zone, report.time_zone_reason, report.time_zone_source = (
        choice.name,
        choice.reason,
        choice.source,
    )
    return choice.name


def utc_minute(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(second=0, microsecond=0)
