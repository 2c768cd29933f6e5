"""frab `schedule.json` and pretalx's frab-compatible `schedule.json` (the same shape).

`schedule.conference.days[].rooms{room name: [events]}`; every event is referenced by its JSON pointer.
"""

import datetime as dt

from podium.interop.importers import values
from podium.interop.importers.frab_xml import _CODE_IN_URL, _COLOUR
from podium.interop.importers.source import (
    ImportRefused,
    SourcePerson,
    SourceProgram,
    SourceRoom,
    SourceSession,
    SourceTrack,
)


def _pointer(*parts) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _persons(event: dict) -> list[SourcePerson]:
    people = []
    for person in event.get("persons") or []:
        if not isinstance(person, dict):
            continue
        name = values.text(person.get("public_name") or person.get("name") or person.get("full_public_name"))
        if name:
            ident = person.get("code") or person.get("guid") or person.get("id")
            people.append(
                SourcePerson(
                    key=values.person_key(ident=ident, name=name),
                    name=name,
                    bio=values.text(person.get("biography")),
                    guid=values.text(person.get("guid")),
                    code=values.text(person.get("code")),
                )
            )
    return people


def _code(event: dict) -> str:
    slug = values.text(event.get("slug"))
    if slug.isalnum() and slug.isupper() and 4 <= len(slug) <= 16:
        return slug  # pretalx writes the submission code as the slug
    match = _CODE_IN_URL.search(values.text(event.get("url")))
    return match.group(1) if match else ""


def _start(event: dict, day: dict, tz) -> dt.datetime | None:
    stamp = values.text(event.get("date"))
    if "T" in stamp:
        return values.moment(stamp, tz)
    date, clock = values.day(day.get("date")), values.clock(event.get("start"))
    return dt.datetime.combine(date, clock, tzinfo=tz) if date and clock else None


def _references(items, base: str) -> list[tuple[str, str]]:
    return [
        (values.text(item.get("title")), values.absolute_url(base, item.get("url")))
        for item in items or []
        if isinstance(item, dict) and values.text(item.get("url"))
    ]


def _extras(event: dict, session: SourceSession, base: str) -> None:
    """The fields beyond the program. This format has no video address: a link of type "media" (the
    schema's word for recordings) gives it, and stays out of the links."""
    session.subtitle = values.text(event.get("subtitle"))
    session.do_not_record = values.flag(event.get("do_not_record"))
    session.recording_license = values.text(event.get("recording_license"))[:200]
    links = [item for item in event.get("links") or [] if isinstance(item, dict)]
    media = [item for item in links if item.get("type") == "media"]
    video = media[0] if media and not values.text(event.get("video_download_url")) else None
    session.video_url = session.web_url(
        "video address",
        values.absolute_url(base, event.get("video_download_url") or (video or {}).get("url")),
    )
    session.links = session.web_links("link", _references([i for i in links if i is not video], base))
    session.attachments = session.web_links("attachment", _references(event.get("attachments"), base))
    session.feedback_url = session.web_url("feedback address", event.get("feedback_url"))
    session.origin_url = session.web_url("origin address", event.get("origin_url") or event.get("url"))


def _session(event: dict, day: dict, room_name: str, ref: str, tz, base: str = "") -> SourceSession:
    guid, ident = values.text(event.get("guid")), values.text(event.get("id"))
    session = SourceSession(
        key=f"guid:{guid}"
        if guid
        else (f"id:{ident}" if ident else f"slug:{values.text(event.get('slug'))}"),
        ref=ref,
        title=values.text(event.get("title")),
        start=_start(event, day, tz),
        duration_minutes=values.duration_minutes(event.get("duration")),
        room=values.text(event.get("room")) or room_name,
        code=_code(event),
        guid=guid,
        track=values.text(event.get("track")),
        type_name=values.text(event.get("type")),
        language=values.text(event.get("language")),
        abstract=values.text(event.get("abstract")),
        description=values.text(event.get("description")),
        persons=_persons(event),
    )
    _extras(event, session, base)
    return session


def _conference(document) -> dict:
    conference = (document.get("schedule") or {}).get("conference") if isinstance(document, dict) else None
    if not isinstance(conference, dict) or not isinstance(conference.get("days"), list):
        raise ImportRefused("This JSON file is not a schedule.json: it has no schedule.conference.days.")
    return conference


def parse(document) -> SourceProgram:
    """Read a parsed schedule.json into a SourceProgram."""
    conference = _conference(document)
    program = SourceProgram(
        format="frab-json",
        title=values.text(conference.get("title")),
        acronym=values.text(conference.get("acronym")),
        time_zone=values.text(conference.get("time_zone_name")),
        zone_source="time_zone_name" if values.text(conference.get("time_zone_name")) else "",
        date_from=values.day(conference.get("start")),
        date_to=values.day(conference.get("end")),
        day_start_hour=values.day_start_hour(conference.get("day_change")),
    )
    tz = values.zone(program.time_zone)
    schedule = document.get("schedule") if isinstance(document.get("schedule"), dict) else {}
    base = values.text(schedule.get("base_url") or conference.get("base_url") or conference.get("url"))
    for room in conference.get("rooms") or []:
        if isinstance(room, dict) and values.text(room.get("name")):
            program.rooms.append(
                SourceRoom(name=values.text(room.get("name")), guid=values.text(room.get("guid")))
            )
    for track in conference.get("tracks") or []:
        if isinstance(track, dict) and values.text(track.get("name")):
            colour = values.text(track.get("color"))
            program.tracks.append(
                SourceTrack(name=values.text(track["name"]), colour=colour if _COLOUR.match(colour) else "")
            )
    for d, day in enumerate(conference["days"]):
        rooms = day.get("rooms") if isinstance(day, dict) else None
        for room_name, events in (rooms or {}).items():
            if room_name not in {room.name for room in program.rooms}:
                program.rooms.append(SourceRoom(name=room_name))
            for e, event in enumerate(events or []):
                ref = _pointer("schedule", "conference", "days", d, "rooms", room_name, e)
                if isinstance(event, dict):
                    program.sessions.append(_session(event, day, room_name, ref, tz, base))
    return program
