"""schedule.xml: the frab/Pentabarf format every schedule app reads, valid against the c3voc XSD.

`<schedule>`, `<generator>`, `<version>` and `<conference>` come first, so `<conference>` sits within
the first kilobyte (Giggity sniffs the format there), and the first `<day>` within the first 5 KB (some
clients read no further to recognise a schedule): the conference's `<track>` list (names and colours)
is written only when it takes at most TRACKS_BUDGET bytes; a longer one (FOSDEM's 70 tracks) is left
out, since the XSD allows tracks nowhere after the days. Each event still names its track, and
schedule.json lists every track with its colour. `<link>` elements, when there are any, carry
text and attributes only: clients flatten child elements into the event.
"""

import re

from django.conf import settings
from lxml import etree

from podium.schedule.models import Release

from . import common, frab

CONTENT_TYPE = "application/xml; charset=utf-8"
# The XSD's pattern for `event@code` (pretalx-style codes); other codes are left out.
_CODE = re.compile(r"[0-9A-Z]{6}")
TRACKS_BUDGET = 3072


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, tag, {key: str(value) for key, value in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _conference(root, schedule: frab.Schedule):
    conference = _sub(root, "conference")
    _sub(conference, "title", schedule.title)
    _sub(conference, "acronym", schedule.acronym)
    if schedule.days:
        _sub(conference, "start", schedule.days[0].date.isoformat())
        _sub(conference, "end", schedule.days[-1].date.isoformat())
    _sub(conference, "days", str(len(schedule.days)))
    _sub(conference, "timeslot_duration", "00:05")
    _sub(conference, "base_url", schedule.base_url)
    _sub(conference, "url", schedule.url)
    _sub(conference, "time_zone_name", schedule.time_zone_name)
    tracks = []
    for track in schedule.tracks:
        attributes = {"name": track["name"], "slug": track["slug"]}
        if track["color"]:
            attributes["color"] = track["color"]
        tracks.append(_sub(conference, "track", **attributes))
    if sum(len(etree.tostring(track, encoding="utf-8")) + 5 for track in tracks) > TRACKS_BUDGET:
        for track in tracks:
            conference.remove(track)


def _event(room_element, session: frab.Session):
    attributes = {"guid": session.guid, "id": session.id}
    if _CODE.fullmatch(session.code):
        attributes["code"] = session.code
    element = _sub(room_element, "event", **attributes)
    _sub(element, "room", session.room)
    _sub(element, "title", session.title)
    _sub(element, "subtitle", session.subtitle)
    _sub(element, "type", session.type)
    _sub(element, "date", session.start.replace(microsecond=0).isoformat())
    _sub(element, "start", session.start.strftime("%H:%M"))
    _sub(element, "duration", common.hhmm(session.minutes))
    _sub(element, "abstract", session.abstract)
    _sub(element, "slug", session.slug)
    _sub(element, "track", session.track)
    persons = _sub(element, "persons")
    for person in session.persons:
        attributes = {"guid": person.guid}
        if person.id is not None:
            attributes["id"] = person.id
        _sub(persons, "person", person.name, **attributes)
    _sub(element, "language", session.language)
    _sub(element, "description", session.description)
    recording = _sub(element, "recording")
    _sub(recording, "license", session.recording_license)
    _sub(recording, "optout", "true" if session.do_not_record else "false")
    links = _sub(element, "links")
    for item in session.links:
        _sub(links, "link", item["title"], href=item["url"])
    if session.attachments:
        attachments = _sub(element, "attachments")
        for item in session.attachments:
            _sub(attachments, "attachment", item["title"], href=item["url"])
    if session.video_url:
        _sub(element, "video_download_url", session.video_url)
    _sub(element, "url", session.url)
    if session.feedback_url:
        _sub(element, "feedback_url", session.feedback_url)
    if session.origin_url:
        _sub(element, "origin_url", session.origin_url)


def render(release: Release) -> common.Export:
    schedule = frab.build(release)
    root = etree.Element("schedule")
    _sub(
        root,
        "generator",
        name=common.GENERATOR,
        system=settings.SITE_HOST,
        version=common.generator_version(),
    )
    _sub(root, "version", common.clean(schedule.version))
    _conference(root, schedule)
    for day in schedule.days:
        day_element = _sub(
            root,
            "day",
            index=day.index,
            date=day.date.isoformat(),
            start=day.start.isoformat(),
            end=day.end.isoformat(),
        )
        for room, sessions in day.rooms:
            room_element = _sub(day_element, "room", name=common.clean(room["name"]), guid=room["uuid"])
            for session in sessions:
                _event(room_element, session)
    content = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return common.Export(content, CONTENT_TYPE, f"{release.event.slug}-schedule.xml")
