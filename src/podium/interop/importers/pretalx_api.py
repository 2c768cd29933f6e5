"""A pretalx REST API dump: submissions with `?expand=slots,slots.room,speakers,submission_type`.

Accepted shapes: a list of submissions, an API page (`{"results": [...]}`), or a site generator's
re-keyed copy (`{"schedule": {date: {minute: {room id: submission}}}, "rooms": [...]}`, PyCon FR).
Every slot of a submission becomes one session; a submission without a placed slot is skipped.
"""

from podium.interop.importers import values
from podium.interop.importers.schedule_json import _pointer
from podium.interop.importers.source import (
    ImportRefused,
    Skip,
    SourcePerson,
    SourceProgram,
    SourceRoom,
    SourceSession,
)


def looks_like(document) -> bool:
    """True for the shapes above (checked on the first submission found)."""
    first = next(iter(_submissions(document)), None)
    return first is not None and "slots" in first[1] and "code" in first[1]


def _mapping(value):
    return value.items() if isinstance(value, dict) else ()


def _submissions(document):
    """(JSON pointer, submission) pairs in file order."""
    if isinstance(document, list):
        yield from ((_pointer(i), item) for i, item in enumerate(document) if isinstance(item, dict))
    elif isinstance(document, dict) and isinstance(document.get("results"), list):
        for i, item in enumerate(document["results"]):
            if isinstance(item, dict):
                yield _pointer("results", i), item
    elif isinstance(document, dict) and isinstance(document.get("schedule"), dict):
        for section in ("schedule", "sprints"):
            for date, minutes in _mapping(document.get(section)):
                for minute, rooms in _mapping(minutes):
                    for room_id, item in _mapping(rooms):
                        if isinstance(item, dict) and "code" in item:
                            yield _pointer(section, date, minute, room_id), item


def _persons(submission: dict) -> list[SourcePerson]:
    people = []
    for speaker in submission.get("speakers") or []:
        if isinstance(speaker, dict) and values.text(speaker.get("name")):
            name = values.text(speaker["name"])
            people.append(
                SourcePerson(
                    key=values.person_key(ident=speaker.get("code"), name=name),
                    name=name,
                    bio=values.text(speaker.get("biography")),
                )
            )
        elif isinstance(speaker, str):  # not expanded: only a code
            people.append(SourcePerson(key=values.person_key(ident=speaker), name=speaker, named=False))
    return people


def _named(value) -> str:
    """The name of an expanded object ({"id", "name": {"en": …}}), or the value itself."""
    return values.text(value.get("name") if isinstance(value, dict) and "name" in value else value)


def _room(slot: dict) -> tuple[str, str]:
    room = slot.get("room")
    if isinstance(room, dict):
        return values.text(room.get("name")), values.text(room.get("uuid") or room.get("guid"))
    return values.text(room), ""


def _extras(submission: dict, session: SourceSession) -> None:
    """Recording consent and resources: an uploaded file is an attachment, an external link a link."""
    session.do_not_record = values.flag(submission.get("do_not_record"))
    files, links = [], []
    for resource in submission.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        title = values.text(resource.get("description"))
        if values.text(resource.get("link")):
            links.append((title, resource["link"]))
        if values.text(resource.get("resource")):
            files.append((title, resource["resource"]))
    session.links = session.web_links("link", links)
    session.attachments = session.web_links("attachment", files)


def parse(document) -> SourceProgram:
    """Read a parsed pretalx API dump into a SourceProgram."""
    program = SourceProgram(format="pretalx-api")
    if isinstance(document, dict):
        for room in document.get("rooms") or []:
            if isinstance(room, dict) and values.text(room.get("name")):
                program.rooms.append(
                    SourceRoom(
                        name=values.text(room["name"]),
                        guid=values.text(room.get("uuid") or room.get("guid")),
                        capacity=room.get("capacity") if isinstance(room.get("capacity"), int) else None,
                    )
                )
    found, seen = False, set()
    for ref, submission in _submissions(document):
        found = True
        code = values.text(submission.get("code"))
        if code in seen:
            continue  # a re-keyed dump lists a submission once per slot; its slots are read once
        seen.add(code)
        slots = [s for s in submission.get("slots") or [] if isinstance(s, dict) and s.get("start")]
        if not slots:
            program.skips.append(Skip("session", ref, "the submission has no slot on the schedule"))
            continue
        for n, slot in enumerate(slots):
            room, room_guid = _room(slot)
            start = values.moment(slot.get("start"), None)
            end = values.moment(slot.get("end"), None)
            minutes = values.minutes_between(start, end)
            submission_type = submission.get("submission_type")
            program.sessions.append(
                SourceSession(
                    key=f"code:{code}" if n == 0 else f"code:{code}-{n + 1}",
                    ref=f"{ref}/slots/{n}",
                    title=values.text(submission.get("title")),
                    start=start,
                    duration_minutes=minutes or values.duration_minutes(submission.get("duration")),
                    floating_end=end if minutes and start.tzinfo is None else None,
                    room=room,
                    room_guid=room_guid,
                    code=code if n == 0 else "",
                    track=_named(submission.get("track")),
                    type_name=_named(submission_type),
                    language=values.text(submission.get("content_locale")),
                    abstract=values.text(submission.get("abstract")),
                    description=values.text(submission.get("description")),
                    persons=_persons(submission),
                )
            )
            _extras(submission, program.sessions[-1])
    if not found:
        raise ImportRefused("This JSON file holds no pretalx submissions.")
    # The API has no subtitle, licence, video, feedback or origin address: a re-import keeps them.
    program.absent_fields = frozenset(
        {"subtitle", "recording_license", "video_url", "feedback_url", "origin_url", "guid"}
    )
    return program
