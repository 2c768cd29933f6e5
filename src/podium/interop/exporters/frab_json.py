"""schedule.json: the frab data as JSON, valid against the c3voc JSON schema (draft 6).

Persons follow the schema's pretalx shape ({name, public_name, code, guid}): clients that read either
name show it. They carry no integer `id`: with both `id` and `public_name` a person would match the
frab shape too, which the schema's `oneOf` forbids; the guid (and code) identify a person instead.
"""

import json
import re

from podium.schedule.models import Release

from . import common, frab

CONTENT_TYPE = "application/json"
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# The schema's own pattern for time zone names; others (e.g. "Etc/GMT+5") are left out.
_CODE = re.compile(r"^[A-Z0-9]+$")
_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def _event(session: frab.Session) -> dict:
    code = {"code": session.code} if _CODE.match(session.code) else {}
    return code | {
        "guid": session.guid,
        "id": session.id,
        "date": session.start.replace(microsecond=0).isoformat(),
        "start": session.start.strftime("%H:%M"),
        "end": session.end.replace(microsecond=0).isoformat(),
        "duration": common.hhmm(session.minutes),
        "room": session.room,
        "slug": session.slug,
        "url": session.url,
        "title": session.title,
        "subtitle": session.subtitle,
        "track": session.track or None,
        "type": session.type,
        "language": session.language or None,
        "abstract": session.abstract,
        "description": session.description,
        "recording_license": session.recording_license,
        "do_not_record": session.do_not_record,
        "persons": [
            {"name": person.name, "public_name": person.name}
            | ({"code": person.code} if _CODE.match(person.code) else {})
            | {"guid": person.guid}
            for person in session.persons
        ],
        "links": session.links + _video(session),
        **_optional(session),
    }


def _video(session: frab.Session) -> list[dict]:
    """The schema has no video address: it goes into the links as type "media" (the importer reads
    it back from there)."""
    return [{"type": "media", "title": "Video", "url": session.video_url}] if session.video_url else []


def _optional(session: frab.Session) -> dict:
    return (
        ({"attachments": session.attachments} if session.attachments else {})
        | ({"feedback_url": session.feedback_url} if session.feedback_url else {})
        | ({"origin_url": session.origin_url} if session.origin_url else {})
    )


def _conference(schedule: frab.Schedule) -> dict:
    conference = {
        "acronym": schedule.acronym,
        "title": schedule.title,
        "start": schedule.days[0].date.isoformat() if schedule.days else "",
        "end": schedule.days[-1].date.isoformat() if schedule.days else "",
        "daysCount": len(schedule.days),
        "timeslot_duration": "00:05",
        "url": schedule.url,
        "tracks": [
            {"name": track["name"], "slug": track["slug"]}
            | ({"color": track["color"]} if track["color"] else {})
            for track in schedule.tracks
        ],
        "rooms": [
            {"name": common.clean(room["name"]), "guid": room["uuid"], "capacity": room.get("capacity")}
            for room in schedule.rooms
        ],
        "days": [
            {
                "index": day.index,
                "date": day.date.isoformat(),
                "day_start": day.start.isoformat(),
                "day_end": day.end.isoformat(),
                "rooms": {
                    common.clean(room["name"]): [_event(session) for session in sessions]
                    for room, sessions in day.rooms
                },
            }
            for day in schedule.days
        ],
    }
    if _ZONE.match(schedule.time_zone_name):
        conference["time_zone_name"] = schedule.time_zone_name
    return conference


def render(release: Release) -> common.Export:
    schedule = frab.build(release)
    document = {
        "$schema": SCHEMA_URL,
        "generator": {"name": common.GENERATOR, "version": common.generator_version()},
        "schedule": {
            "version": schedule.version,
            "base_url": schedule.base_url,
            "conference": _conference(schedule),
        },
    }
    content = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return common.Export(content, CONTENT_TYPE, f"{release.event.slug}-schedule.json")
