"""Round trips: what a program looks like to a visitor, comparable across events and formats.

`program_of(event, fmt)` lists each released session's title, speakers, room, local start, duration,
track and language, and the fields the format carries beyond those (links and recording opt-out, when
the models have them: an iCal feed carries link addresses only, a CSV file links but not attachments).
"""

from podium.interop.exporters import render
from podium.interop.services import import_program
from podium.schedule.models import ReleasedSession
from podium.schedule.queries import latest_release

# Export format → the import format that reads it.
FORMATS = {"frab-xml": "frab-xml", "frab-json": "frab-json", "ical": "ical", "sessions-csv": "sessions-csv"}
_FIELDS = {field.name for field in ReleasedSession._meta.get_fields()}


def _urls(row) -> tuple:
    items = [*getattr(row, "links", []), *getattr(row, "attachments", [])]
    video = [getattr(row, "video_url", "")] if getattr(row, "video_url", "") else []
    return tuple(sorted({item["url"] for item in items} | set(video)))


def _extras(row, fmt: str) -> tuple:
    extras = []
    if "links" in _FIELDS:
        if fmt == "ical":
            extras.append(_urls(row))
        else:
            extras.append(tuple((item["title"], item["url"]) for item in row.links))
    if "do_not_record" in _FIELDS:
        extras.append(row.do_not_record)
    return tuple(extras)


def program_of(event, fmt: str = "frab-xml") -> list[tuple]:
    """Every released session as a visitor sees it (start in the event's own zone), sorted."""
    rows = ReleasedSession.objects.filter(release=latest_release(event), kind="session")
    return sorted(
        (
            row.title,
            tuple(speaker["name"] for speaker in row.speakers),
            row.room_name,
            row.start.astimezone(event.tz).replace(tzinfo=None).isoformat(),
            int((row.end - row.start).total_seconds() // 60),
            row.track_name,
            row.language,
            *_extras(row, fmt),
        )
        for row in rows
    )


def differences(first: list[tuple], second: list[tuple]) -> list[tuple]:
    """The sessions of either program that the other lacks (an empty list when they are the same)."""
    return sorted(set(first) ^ set(second))


def export(event, fmt: str) -> bytes:
    return render(latest_release(event), fmt).content


def into_new_event(event, fmt: str, *, slug: str, organiser):
    """Import `event`'s export in `fmt` into a new event; the report and the new event."""
    report = import_program(
        data=export(event, fmt), by=None, event_slug=slug, organiser_slug=organiser.slug, fmt=FORMATS[fmt],
        time_zone=event.timezone if fmt == "sessions-csv" else None,  # a CSV names no zone
    )  # fmt: skip
    return report, organiser.events.get(slug=report.event_slug)


def into_same_event(event, fmt: str):
    """Import `event`'s export in `fmt` into `event` itself; the report."""
    return import_program(data=export(event, fmt), by=None, event=event, fmt=FORMATS[fmt])
