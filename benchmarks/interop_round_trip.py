"""One schedule file's round trips, run by benchmarks/interop.py as a child process (Django set up).

    python benchmarks/interop_round_trip.py FILE --output JSON [--time-zone ZONE]

Imports FILE into a new event, then, for every export format: exports the release, imports that into
a new event and compares the two programs (title, speakers, room, local start, duration, track,
language, links, recording opt-out; an iCal feed carries link addresses only), and imports it into the
first event again (which must change nothing). Writes one JSON object to --output: sessions in the
file, imported, skipped by reason, and per format the differences and what the re-import changed.
"""

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import django

FORMATS = ("frab-xml", "frab-json", "ical", "sessions-csv")


def program_of(event, fmt: str) -> set[tuple]:
    from podium.schedule.models import ReleasedSession
    from podium.schedule.queries import latest_release

    fields = {field.name for field in ReleasedSession._meta.get_fields()}

    def extras(row) -> tuple:
        found = []
        if "links" in fields:
            if fmt == "ical":
                urls = {item["url"] for item in [*row.links, *getattr(row, "attachments", [])]}
                found.append(
                    tuple(sorted(urls | ({row.video_url} if getattr(row, "video_url", "") else set())))
                )
            else:
                found.append(tuple((item["title"], item["url"]) for item in row.links))
        if "do_not_record" in fields:
            found.append(row.do_not_record)
        return tuple(found)

    rows = ReleasedSession.objects.filter(release=latest_release(event), kind="session")
    return {
        (
            row.title,
            tuple(speaker["name"] for speaker in row.speakers),
            row.room_name,
            row.start.astimezone(event.tz).replace(tzinfo=None).isoformat(),
            int((row.end - row.start).total_seconds() // 60),
            row.track_name,
            row.language,
            *extras(row),
        )
        for row in rows
    }


def reason_class(reason: str) -> str:
    """A skip's reason without the session's own words (its title, its id), to count alike ones."""
    return re.sub(r"\([^)]*\)", "(…)", re.sub(r"“[^”]*”", "“…”", reason))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--time-zone")
    parser.add_argument("--organiser", default="bench")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    django.setup()
    from podium.events.models import Event
    from podium.interop.exporters import render
    from podium.interop.services import import_program
    from podium.schedule.queries import latest_release

    slug = "rt-" + re.sub(r"[^a-z0-9]+", "-", args.file.stem.lower()).strip("-")[:30]
    report = import_program(
        data=args.file.read_bytes(), by=None, event_slug=slug, organiser_slug=args.organiser,
        time_zone=args.time_zone,
    )  # fmt: skip
    event = Event.objects.get(slug=report.event_slug)
    result = {
        "sessions_in_file": report.sessions_in_file,
        "imported": report.counts["session"]["created"],
        "skipped": dict(Counter(reason_class(s.reason) for s in report.skips if s.kind == "session")),
        "time_zone": report.time_zone,
        "formats": {},
    }
    for n, fmt in enumerate(FORMATS):
        content = render(latest_release(event), fmt).content
        copy = import_program(
            data=content, by=None, event_slug=f"{slug}-{n}", organiser_slug=args.organiser, fmt=fmt,
            time_zone=event.timezone if fmt == "sessions-csv" else None,  # a CSV names no zone
        )  # fmt: skip
        other = Event.objects.get(slug=copy.event_slug)
        differences = program_of(event, fmt) ^ program_of(other, fmt)
        again = import_program(data=content, by=None, event=event, fmt=fmt)
        result["formats"][fmt] = {
            "skipped": len(copy.skips),
            "differences": len(differences),
            "examples": sorted(differences)[:2],
            "reimport_changed": again.created + again.updated,
            "reimport_release": again.release,
        }
    args.output.write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
