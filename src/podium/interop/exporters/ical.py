"""iCalendar feeds of a release: the whole event, one room, one speaker, one talk, a person's stars, a
person's agenda (their stars and booked seats).

One VEVENT per session slot (breaks are left out). Calendar clients de-duplicate on UID, so the UID is
the slot's UUID and never changes; SEQUENCE counts the releases that moved or changed the session
(and the one that cancelled it), so a subscribed calendar takes the newer copy. A session cancelled
in this release stays in the feed with STATUS:CANCELLED at its last public place, rather than
silently vanishing from calendars that already hold it. STATUS is CONFIRMED only for a session its
speakers confirmed; an accepted one not confirmed yet (published when the event publishes accepted
sessions too) is TENTATIVE.

SUMMARY is the title alone (with the session's LANGUAGE); the speakers are X-PODIUM-SPEAKER properties
(name, and code in X-PODIUM-CODE) and the first line of DESCRIPTION, the track is CATEGORIES, and the
calendar names the event's zone (X-WR-TIMEZONE) and carries its VTIMEZONE, so Podium reads its own
feed back unchanged (see docs/formats.md).
"""

import datetime as dt
import re
from collections import Counter

import icalendar
import lxml.html
from django.conf import settings
from lxml import etree

from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.schedule import changelog
from podium.schedule.models import Release, ReleasedSession, SlotKind
from podium.schedule.queries import released_sessions

from . import common

CONTENT_TYPE = "text/calendar; charset=utf-8"
_REVISING = (changelog.MOVED, changelog.CHANGED, changelog.CANCELLED)
# The first line of DESCRIPTION when a session has speakers (the importer recognises it).
SPEAKERS_LINE = "Speakers: "
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")  # RFC 5646, as LANGUAGE= takes it


_TAG = re.compile(r"</?[a-zA-Z][^>]*>|&[a-zA-Z]+;|&#\d+;")
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "tr", "table", "section", "article", "hr", "dd", "dt"}  # fmt: skip


def plain_text(value: str) -> str:
    """DESCRIPTION is plain text (RFC 5545): HTML (abstracts imported from other systems often are)
    loses its tags and entities, block elements become line breaks; other text is left as it is."""
    if not value or not _TAG.search(value):
        return value or ""
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return value
    for node in root.iter("script", "style"):
        node.drop_tree()
    parts = []
    for node in root.iter():
        if node is not root and isinstance(node.tag, str) and node.tag.lower() in _BLOCKS:
            parts.append((node, "\n"))
    for node, mark in parts:
        node.tail = mark + (node.tail or "")
        if node.tag.lower() == "li":
            node.text = "- " + (node.text or "")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _sequences(release: Release) -> Counter:
    """{code: number of releases up to this one whose changelog moved, changed or cancelled it}."""
    counts: Counter = Counter()
    past = release.event.releases.filter(version__lte=release.version).values_list("changes", flat=True)
    for changes in past:
        counts.update({change["code"] for change in changes if change["kind"] in _REVISING})
    return counts


def _cancelled(release: Release) -> list[ReleasedSession]:
    """Sessions cancelled in this release, as the previous release showed them."""
    codes = {change["code"] for change in release.changes if change["kind"] == changelog.CANCELLED}
    if not codes:
        return []
    return list(
        ReleasedSession.objects.filter(
            release__event=release.event,
            release__version__lt=release.version,
            kind=SlotKind.SESSION,
            code__in=codes,
        ).order_by("code", "-release__version")
    )


def _latest_per_code(sessions: list[ReleasedSession]) -> list[ReleasedSession]:
    seen, result = set(), []
    for session in sessions:
        if session.code not in seen:
            seen.add(session.code)
            result.append(session)
    return result


def _matches(session: ReleasedSession, *, room_uuid, speaker_code, talk_code, codes) -> bool:
    if room_uuid is not None and str(session.room_uuid) != str(room_uuid):
        return False
    if speaker_code is not None and speaker_code not in {s["code"] for s in session.speakers}:
        return False
    if talk_code is not None and session.code != talk_code:
        return False
    return codes is None or session.code in codes


def _status(*, cancelled: bool, tentative: bool) -> str:
    if cancelled:
        return "CANCELLED"
    return "TENTATIVE" if tentative else "CONFIRMED"


def _unconfirmed(release: Release, codes) -> set[str]:
    """The codes among `codes` whose speakers have not confirmed yet (an event that publishes
    accepted sessions too, see Event.publish_unconfirmed): their STATUS is TENTATIVE, not CONFIRMED."""
    codes = {code for code in codes if code}
    if not codes:
        return set()
    return set(
        Proposal.objects.filter(
            event_id=release.event_id, code__in=codes, state=ProposalState.ACCEPTED
        ).values_list("code", flat=True)
    )


def _vevent(session: ReleasedSession, *, event, stamp, sequence: int, cancelled: bool, tentative=False):
    vevent = icalendar.Event()
    vevent.add("uid", _uid(session))
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", sequence)
    vevent.add("status", _status(cancelled=cancelled, tentative=tentative))
    language = {"LANGUAGE": session.language} if _LANGUAGE.fullmatch(session.language or "") else {}
    vevent.add("summary", common.clean(session.title), parameters=language)
    if session.language and not language:  # not a language tag ("de, en"): the importer reads it here
        vevent.add("x-podium-language", _one_line(session.language))
    for speaker in session.speakers:
        vevent.add(
            "x-podium-speaker", _one_line(speaker["name"]), parameters={"X-PODIUM-CODE": speaker["code"]}
        )
    if session.track_name:
        vevent.add("categories", [common.clean(session.track_name)])
    vevent.add("location", common.clean(session.room_name))
    vevent.add("url", common.talk_url(event.slug, session.code))
    vevent.add("description", common.clean(description(session)))
    if getattr(session, "do_not_record", False):
        vevent.add("x-podium-do-not-record", icalendar.vText("TRUE"))
    vevent.add("dtstart", session.start.astimezone(dt.UTC))
    vevent.add("dtend", session.end.astimezone(dt.UTC))
    for item in [*session.links, *session.attachments]:
        vevent.add("attach", item["url"])
    if session.video_url:
        vevent.add("attach", session.video_url)
    return vevent


def description(session: ReleasedSession) -> str:
    """DESCRIPTION: a line naming the speakers (calendar apps show SUMMARY and DESCRIPTION only), a
    blank line, the abstract as plain text. The importer takes the speakers line off again."""
    names = ", ".join(speaker["name"] for speaker in session.speakers)
    abstract = plain_text(session.abstract)
    if not names:
        return abstract
    return f"{SPEAKERS_LINE}{names}\n\n{abstract}" if abstract else f"{SPEAKERS_LINE}{names}"


def _one_line(text: str) -> icalendar.vText:
    """An X- property value as escaped text on one line (see the feed name below), spaces kept."""
    return icalendar.vText(re.sub(r"[\r\n]+", " ", common.clean(str(text))))


def _zone(calendar, release: Release, sessions) -> None:
    """The VTIMEZONE of the event's zone over the event's days (its name is X-WR-TIMEZONE, for the
    importers): a component even when the feed has no session (RFC 5545 wants one)."""
    event = release.event
    days = [*event.days, *(session.start.astimezone(event.tz).date() for session in sessions)]
    first, last = min(days), max(days)
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            event.timezone, first_date=first - dt.timedelta(days=1), last_date=last + dt.timedelta(days=2)
        )
    )


def _uid(session: ReleasedSession) -> str:
    """The slot's UUID at this host; an imported session gives back its source guid instead (as it
    is when it already names a host)."""
    if "@" in session.guid:
        return session.guid
    return f"{session.guid or session.slot_uuid}@{settings.SITE_HOST}"


def _feed_name(release: Release, entries, *, room_uuid, speaker_code, talk_code, codes, agenda) -> str:
    """X-WR-CALNAME: the event, and what the feed is limited to."""
    name = release.event.name
    sessions = [session for session, _ in entries]
    if talk_code is not None and sessions:
        return f"{name}: {sessions[0].title}"
    if speaker_code is not None and sessions:
        speakers = {s["code"]: s["name"] for s in sessions[0].speakers}
        return f"{name}: {speakers.get(speaker_code, speaker_code)}"
    if room_uuid is not None:
        rooms = {room["uuid"]: room["name"] for room in release.rooms}
        return f"{name}: {rooms.get(str(room_uuid), 'room')}"
    if codes is not None:
        return f"{name}: {'my agenda' if agenda else 'starred sessions'}"
    return name


def _filename(release: Release, *, room_uuid, speaker_code, talk_code, codes, agenda) -> str:
    chosen = ("agenda" if agenda else "starred") if codes is not None else "schedule"
    what = talk_code or speaker_code or room_uuid or chosen
    return f"{release.event.slug}-{what}.ics"


def render(release: Release, *, room_uuid=None, speaker_code=None, talk_code=None, codes=None, agenda=False):
    """The feed; the filters combine, `codes` is a set of session codes: a person's stars, or with
    `agenda` their agenda (stars and booked seats), which names the feed "my agenda"."""
    filters = {"room_uuid": room_uuid, "speaker_code": speaker_code, "talk_code": talk_code, "codes": codes}
    named = {**filters, "agenda": agenda}
    entries = _entries(release, **filters)
    name = _one_line(" ".join(_feed_name(release, entries, **named).split()))
    calendar = _calendar_head(release, name)
    _zone(calendar, release, [session for session, _ in entries])
    for _code, vevent in _vevents(release, entries):
        calendar.add_component(vevent)
    return common.Export(calendar.to_ical(), CONTENT_TYPE, _filename(release, **named))


def _entries(release: Release, **filters) -> list[tuple[ReleasedSession, bool]]:
    """(session, cancelled) for the release's sessions and those it cancels that pass the filters."""
    current = released_sessions(release).filter(kind=SlotKind.SESSION)
    entries = [(session, False) for session in current if _matches(session, **filters)]
    return entries + [
        (session, True) for session in _latest_per_code(_cancelled(release)) if _matches(session, **filters)
    ]


def _vevents(release: Release, entries) -> list[tuple[str, icalendar.Event]]:
    stamp = release.published_at.astimezone(dt.UTC)
    sequences = _sequences(release)
    unconfirmed = _unconfirmed(release, {session.code for session, cancelled in entries if not cancelled})
    return [
        (
            session.code,
            _vevent(
                session,
                event=release.event,
                stamp=stamp,
                sequence=sequences[session.code],
                cancelled=cancelled,
                tentative=session.code in unconfirmed,
            ),
        )
        for session, cancelled in entries
    ]


def vevents(release: Release, codes: set[str]) -> list[tuple[str, icalendar.Event]]:
    """(session code, VEVENT) for the sessions of `codes` as the release's feed has them (cancelled ones
    included), without writing and reading a feed: the files of release notices pick from these."""
    return _vevents(
        release, _entries(release, room_uuid=None, speaker_code=None, talk_code=None, codes=codes)
    )


def _index(everything, key) -> dict:
    """{value: the entries in order} for one of `render`'s filters (`key` gives a session's values)."""
    index: dict = {}
    for entry in everything:
        for value in key(entry[0]):
            index.setdefault(value, []).append(entry)
    return index


def _calendar_head(release: Release, name) -> icalendar.Calendar:
    """A feed's calendar without its components: of its lines only the feed's name (X-WR-CALNAME)
    differs from feed to feed."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{common.GENERATOR}//{settings.SITE_HOST}//{release.event.slug}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is not known to be text, so it is not escaped for us: a line break in a name (an
    # imported room, a crafted event name) would end the content line. A feed name is one line.
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", icalendar.vText(release.event.timezone))
    return calendar


_NAME_MARK = "podium-feed-name"


def _head_around_name(release: Release) -> tuple[bytes, bytes]:
    """The bytes of every feed's calendar lines before its X-WR-CALNAME line and after it (without
    END:VCALENDAR), serialised once for all the feeds of a release."""
    head = _calendar_head(release, icalendar.vText(_NAME_MARK)).to_ical()
    before, found, after = head.partition(f"X-WR-CALNAME:{_NAME_MARK}\r\n".encode())
    end = b"END:VCALENDAR\r\n"
    if not found or not after.endswith(end) or _NAME_MARK.encode() in before + after:
        raise ValueError("unexpected calendar serialisation")
    return before, after[: -len(end)]


#: icalendar folds a content line of this many octets or more (RFC 5545: at most 75 without the CRLF).
_FOLD_AT = 75


def _folded(line: str) -> str:
    """An ASCII content line folded exactly as icalendar folds it (cut after 74 characters, each
    continuation line after a space, and never right after a backslash or caret, which begin an
    escape), by slicing instead of icalendar's character by character: the abstracts are long lines,
    and folding them that way was about a quarter of the CPU of a FOSDEM-size release's feeds."""
    width = _FOLD_AT - 1
    parts = []
    start = 0
    while len(line) - start > width:
        cut = start + width
        if line[cut - 1] in "\\^":
            cut -= 1
        parts.append(line[start:cut])
        start = cut
    parts.append(line[start:])
    return "\r\n ".join(parts)


def _serialised(component) -> bytes:
    """`component.to_ical()`, byte for byte, with the ASCII lines (nearly all) folded by _folded."""
    lines = [
        _folded(line).encode("ascii") if line.isascii() else line.to_ical()
        for line in component.content_lines()
        if line
    ]
    return b"\r\n".join(lines) + b"\r\n"


def render_feeds(release: Release, feeds: list[dict]) -> list[common.Export]:
    """Many feeds of one release at once (each `feeds` item: the filters `render` takes), byte for byte
    as `render` makes them one by one, but reading the sessions, sequences and zones once, finding each
    feed's sessions in an index by room, speaker and talk instead of among all, and writing every
    VEVENT and VTIMEZONE once: a release's files hold a feed per room, speaker and talk."""
    event = release.event
    everything = _entries(release, room_uuid=None, speaker_code=None, talk_code=None, codes=None)
    built = dict(
        zip(
            map(id, everything),
            (_serialised(vevent) for _code, vevent in _vevents(release, everything)),
            strict=True,
        )
    )
    indexes = {
        "talk_code": _index(everything, lambda session: (session.code,)),
        "room_uuid": _index(everything, lambda session: (str(session.room_uuid),)),
        "speaker_code": _index(
            everything, lambda session: dict.fromkeys(s["code"] for s in session.speakers)
        ),
    }
    zones: dict[tuple, bytes] = {}
    end = b"END:VCALENDAR\r\n"
    head_before, head_after = _head_around_name(release)
    exports = []
    for feed in feeds:
        filters = {key: feed.get(key) for key in ("room_uuid", "speaker_code", "talk_code", "codes")}
        named = {**filters, "agenda": bool(feed.get("agenda"))}
        candidates = everything
        for key in ("talk_code", "speaker_code", "room_uuid"):
            if filters[key] is not None:
                value = str(filters[key]) if key == "room_uuid" else filters[key]
                candidates = indexes[key].get(value, [])
                break
        entries = [entry for entry in candidates if _matches(entry[0], **filters)]
        name = _one_line(" ".join(_feed_name(release, entries, **named).split()))
        days = [*event.days, *(session.start.astimezone(event.tz).date() for session, _ in entries)]
        span = (min(days), max(days))
        if span not in zones:
            zones[span] = icalendar.Timezone.from_tzid(
                event.timezone,
                first_date=span[0] - dt.timedelta(days=1),
                last_date=span[1] + dt.timedelta(days=2),
            ).to_ical()
        # A component's content lines do not depend on where it is placed: the calendar's bytes are
        # its own lines (ending with END:VCALENDAR) with its subcomponents' bytes before that line.
        name_line = icalendar.Calendar().content_line("X-WR-CALNAME", name).to_ical() + b"\r\n"
        content = b"".join(
            [head_before, name_line, head_after, zones[span], *(built[id(entry)] for entry in entries), end]
        )
        exports.append(common.Export(content, CONTENT_TYPE, _filename(release, **named)))
    return exports
