"""Many iCal feeds of a release at once (ical.render_feeds, what the release files write): each the
bytes `ical.render` makes for it alone, whatever the filters."""

import re

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from podium.interop.exporters import ical
from tests.program import at, cancel, placed_talk, release, speaker_code

pytestmark = pytest.mark.django_db


def _every_feed(published) -> list[dict]:
    rooms = [room["uuid"] for room in published.rooms]
    speakers = list(published.speakers.values_list("code", flat=True))
    talks = [change["code"] for change in published.changes] + list(
        published.sessions.values_list("code", flat=True)
    )
    return (
        [{}]
        + [{"room_uuid": room} for room in rooms]
        + [{"speaker_code": code} for code in speakers]
        + [{"talk_code": code} for code in talks]
        + [{"room_uuid": room, "speaker_code": code} for room in rooms for code in speakers]
        + [{"codes": set(talks)}, {"codes": set(talks[:1]), "agenda": True}, {"codes": set()}]
        + [{"room_uuid": "no-such-room"}, {"speaker_code": "NOBODY"}, {"talk_code": "NOTALK"}]
    )


def _rendered_together(published) -> tuple[list[dict], list]:
    """Every feed of `published` rendered together, each checked to be the feed rendered alone."""
    feeds = _every_feed(published)
    together = ical.render_feeds(published, feeds)
    for feed, export in zip(feeds, together, strict=True):
        assert export.content == ical.render(published, **feed).content, feed
    return feeds, together


def test_feeds_rendered_together_are_each_feed_rendered_alone(small_program):
    event, by = small_program["event"], small_program["by"]
    cancel(small_program["beta"], by)  # a cancelled session stays in its feeds, as cancelled
    placed_talk(event, "Delta talk", "Room 101", at(event, 14), by, speakers=[])
    second = release(event, by, name="v2")
    feeds = _every_feed(second)
    assert {"speaker_code": speaker_code(small_program["alpha"])} in feeds

    together = ical.render_feeds(second, feeds)

    for feed, export in zip(feeds, together, strict=True):
        alone = ical.render(second, **feed)
        assert export.content == alone.content, feed
        assert export.filename == alone.filename
    by_speaker = together[feeds.index({"speaker_code": speaker_code(small_program["alpha"])})]
    assert by_speaker.content.count(b"BEGIN:VEVENT") == 2  # Alpha and Gamma, each once


def test_feed_names_that_are_long_accented_or_hold_separators_are_each_feeds_own(small_program):
    """Each feed's name line is written on its own (folded, escaped) and the rest of the calendar's
    lines once: a name that folds, escapes or holds what looks like another line stays the feed's."""
    event, by = small_program["event"], small_program["by"]
    event.name = "Conférence « Les Données », édition 2030; Ünïcode; a name long enough to fold twice over"
    event.save()
    room = event.rooms.get(name="Room 101")
    room.name = "Salle 101,\nX-WR-CALNAME:Injected\r\nEND:VCALENDAR"
    room.save()
    published = release(event, by, name="v2")

    feeds, together = _rendered_together(published)

    for export in together:
        lines = export.content.split(b"\r\n")
        assert sum(line.startswith(b"X-WR-CALNAME:") for line in lines) == 1
        assert lines.count(b"END:VCALENDAR") == 1
    by_room = together[feeds.index({"room_uuid": str(room.uuid)})].content
    assert b"Salle 101\\, X-WR-CALNAME:Injected END:VCALENDAR" in by_room.replace(b"\r\n ", b"")


# RFC 5545 CONTROL: what no content line of a feed may hold (bytes; tab is allowed).
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def test_control_characters_in_imported_text_never_reach_a_feed(small_program):
    """Text pasted from a PDF or imported from a CSV may hold control characters (a vertical tab, a unit
    separator, DEL); calendar apps refuse or garble a feed with them, and the frab exports drop them
    already. Every feed of the release is free of them, and the text around them stays."""
    event, by = small_program["event"], small_program["by"]
    alpha, ada = small_program["alpha"], small_program["alpha"].ordered_speakers[0]
    alpha.title = "Alpha\x0btalk\x1f with DEL\x7f"
    alpha.abstract = "An abstract\x0c with a form feed\x01."  # (PostgreSQL stores no NUL)
    alpha.save()
    ada.name = "Ada\x08 Lovelace"
    ada.save()
    room = event.rooms.get(name="Hall A")
    room.name = "Hall\x1e A"
    room.save()
    event.name = "Conf\x07erence"
    event.save()
    published = release(event, by, name="v2")

    feeds, together = _rendered_together(published)

    for feed, export in zip(feeds, together, strict=True):
        for line in export.content.split(b"\r\n"):
            assert not CONTROL.search(line), (feed, line)
    whole = together[0].content.replace(b"\r\n ", b"")
    assert b"SUMMARY;LANGUAGE=en:Alphatalk with DEL" in whole
    assert b"An abstract with a form feed." in whole
    assert re.search(rb"X-PODIUM-SPEAKER;X-PODIUM-CODE=\w+:Ada Lovelace\r\n", whole)
    assert b"LOCATION:Hall A" in whole
    assert b"X-WR-CALNAME:Conference" in whole


@given(
    st.text(alphabet=st.sampled_from("ab \\^;,:"), min_size=60, max_size=400)
    | st.text(alphabet=st.sampled_from("ab\\^é€"), min_size=30, max_size=200)
    | st.text(alphabet=st.characters(codec="ascii", exclude_characters="\r\n"), max_size=300)
)
@settings(max_examples=300)
def test_content_lines_fold_as_icalendar_folds_them(text):
    """The release's feeds fold their ASCII lines themselves (_folded, by slicing); every line folds
    exactly as icalendar's own folding, backslash and caret escapes at a cut included."""
    line = Contentline(text)
    if line.isascii():
        assert ical._folded(line).encode() == line.to_ical()
    event = icalendar.Event()
    event.add("description", text)
    event.add("summary", text[::-1])
    assert ical._serialised(event) == event.to_ical()
