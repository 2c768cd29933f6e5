"""The frab schedule of a release as plain data, shared by the XML and the JSON serialisers.

Only sessions are events: breaks are not part of the frab formats. Every conference day is listed
(with every room), even when it is empty, so clients that need `day@end` find it.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from podium.proposals.models import SpeakerProfile
from podium.schedule.models import Release, SlotKind
from podium.schedule.queries import released_sessions

from . import common


@dataclass
class Person:
    name: str
    code: str
    guid: str
    id: int | None


@dataclass
class Session:
    guid: str
    id: int
    code: str
    room: str
    title: str
    type: str
    start: dt.datetime  # local, with the event's offset
    end: dt.datetime
    minutes: int
    abstract: str
    description: str
    slug: str
    track: str
    language: str
    url: str
    persons: list[Person]
    source_guid: str = ""  # the imported session's own guid (any text); `guid` is always a UUID
    subtitle: str = ""
    do_not_record: bool = False
    recording_license: str = ""
    links: list[dict] = field(default_factory=list)  # [{"title", "url"}], http(s) only
    attachments: list[dict] = field(default_factory=list)
    video_url: str = ""
    feedback_url: str = ""
    origin_url: str = ""


@dataclass
class Day:
    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    rooms: list[tuple[dict, list[Session]]] = field(default_factory=list)


@dataclass
class Schedule:
    version: str
    title: str
    acronym: str
    time_zone_name: str
    base_url: str
    url: str
    tracks: list[dict]
    rooms: list[dict]
    days: list[Day]


def _person_ids(event, sessions) -> dict[str, int]:
    codes = {speaker["code"] for session in sessions for speaker in session.speakers}
    return dict(SpeakerProfile.objects.filter(event=event, code__in=codes).values_list("code", "pk"))


def _session(event, released, person_ids: dict[str, int]) -> Session:
    tz = event.tz
    return Session(
        guid=str(released.slot_uuid),
        id=released.slot_id,
        code=released.code,
        room=common.clean(released.room_name),
        title=common.clean(released.title),
        type=common.clean(common.own_type_name(released.session_type, released.duration_minutes)),
        start=released.start.astimezone(tz),
        end=released.end.astimezone(tz),
        minutes=released.duration_minutes,
        abstract=common.clean(released.abstract),
        description=common.clean(released.description),
        slug=common.session_slug(event, released),
        track=common.clean(released.track_name),
        language=released.language,
        url=common.talk_url(event.slug, released.code),
        persons=[
            Person(
                name=common.clean(speaker["name"]),
                code=speaker["code"],
                guid=common.person_guid(event, speaker["code"]),
                id=person_ids.get(speaker["code"]),
            )
            for speaker in released.speakers
        ],
        source_guid=released.guid,
        subtitle=common.clean(released.subtitle),
        do_not_record=released.do_not_record,
        recording_license=common.clean(released.recording_license),
        links=_references(released.links),
        attachments=_references(released.attachments),
        video_url=common.clean(released.video_url),
        feedback_url=common.clean(released.feedback_url),
        origin_url=common.clean(released.origin_url),
    )


def _references(items) -> list[dict]:
    return [{"title": common.clean(item["title"]), "url": common.clean(item["url"])} for item in items or []]


def build(release: Release) -> Schedule:
    """The release as frab data, in a fixed number of queries whatever its size."""
    event = release.event
    sessions = list(released_sessions(release).filter(kind=SlotKind.SESSION))
    person_ids = _person_ids(event, sessions)
    placed: dict[tuple[dt.date, str], list[Session]] = defaultdict(list)
    for released in sessions:
        placed[(released.day, str(released.room_uuid))].append(_session(event, released, person_ids))
    days = []
    for index, date in enumerate(common.conference_days(release, sessions), start=1):
        start, end = event.day_range(date)
        day = Day(index=index, date=date, start=start, end=end)
        day.rooms = [(room, placed.get((date, room["uuid"]), [])) for room in release.rooms]
        days.append(day)
    return Schedule(
        version=release.name,
        title=common.clean(event.name),
        acronym=common.acronym(event),
        time_zone_name=event.timezone,
        base_url=common.absolute("/"),
        url=common.event_url(event.slug),
        tracks=[
            {
                "name": common.clean(track["name"]),
                "slug": common.track_slug(track["name"]),
                "color": common.hex_colour(track.get("colour", "")),
            }
            for track in release.tracks
        ],
        rooms=release.rooms,
        days=days,
    )
