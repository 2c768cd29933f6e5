"""Printed program: door signs, a sheet per speaker and the full program grid, as PDF.

Everything is drawn from one release (the latest, when the organisers print), never the draft, so
the paper on the doors agrees with the public site. Times are shown in the event's time zone.
Long days flow onto more pages and long titles wrap; the program grid puts a few rooms on each
landscape page so that it stays readable however many rooms the event has.

Set in the fonts of base/pdf.py (DejaVu Sans): speakers' names print in the letters they are written in.
"""

import contextlib
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from podium.base.pdf import BOLD, FONT, Text, draw_string, qr_code, use_fonts
from podium.schedule.models import Release, ReleasedSession, SlotKind
from podium.schedule.queries import released_sessions

PAPERS = {"a4": A4, "letter": letter}
ROOMS_PER_PAGE = 8
QR_SIZE = 4.2 * cm
TIME_WIDTH = 3.9 * cm  # a door sign's start and end time in bold 13 pt, with the cell's padding, on one line


class UnknownPaper(ValueError):
    pass


def paper_size(name: str) -> tuple[float, float]:
    """The portrait page size of a paper name (`a4` or `letter`)."""
    try:
        return PAPERS[name]
    except KeyError:
        raise UnknownPaper(f"Unknown paper “{name}”: choose one of {', '.join(PAPERS)}.") from None


# --- What the pages say ----------------------------------------------------------------------------

_BASE = ParagraphStyle("base", fontName=FONT, fontSize=11, leading=14)
STYLES = {
    "room": ParagraphStyle("room", _BASE, fontName=BOLD, fontSize=40, leading=46),
    "heading": ParagraphStyle("heading", _BASE, fontName=BOLD, fontSize=24, leading=30),
    "day": ParagraphStyle("day", _BASE, fontSize=18, leading=24),
    "time": ParagraphStyle("time", _BASE, fontName=BOLD, fontSize=13, leading=16),
    "title": ParagraphStyle("title", _BASE, fontName=BOLD, fontSize=13, leading=16),
    "speakers": ParagraphStyle(
        "speakers", _BASE, fontSize=11, leading=14, textColor=colors.HexColor("#444444")
    ),
    "caption": ParagraphStyle("caption", _BASE, fontSize=9, leading=11, alignment=1),
    "cell": ParagraphStyle("cell", _BASE, fontSize=7, leading=8.5),
    "cell_head": ParagraphStyle("cell_head", _BASE, fontName=BOLD, fontSize=8, leading=10),
}


def speaker_names(session: ReleasedSession) -> str:
    return ", ".join(person["name"] for person in session.speakers)


def _local(moment: dt.datetime, tz) -> dt.datetime:
    return moment.astimezone(tz)


def time_span(session: ReleasedSession, tz) -> str:
    return f"{_local(session.start, tz):%H:%M}\N{EN DASH}{_local(session.end, tz):%H:%M}"


def day_label(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def room_live_url(event, room_uuid) -> str:
    """The absolute address of the room's live page (what is on now), which the door sign's QR code opens."""
    path = reverse("site:room_now", kwargs={"event": event.slug, "room": room_uuid})
    return settings.BASE_URL + path


# --- Documents -------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """What a document is: its page size, title (PDF metadata) and footer line."""

    pagesize: tuple[float, float]
    title: str
    footer: str
    logo: str = ""  # the event's logo (a file path), top right of every page
    colour: str = ""  # the event's primary colour (#rrggbb), a band along the top of every page


def branded(sheet: Sheet, event) -> Sheet:
    """`sheet` with the event's branding (events.branding): its logo and primary colour."""
    sheet.colour = event.brand_colour or ""
    if event.logo:
        try:
            sheet.logo = event.logo.path
        except (NotImplementedError, ValueError):  # a storage without local files
            sheet.logo = ""
    return sheet


def _footer(text: str, sheet: Sheet | None = None):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#555555"))
        draw_string(canvas, doc.leftMargin, 1 * cm, text, FONT, 8)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 1 * cm, f"Page {doc.page}")
        width, height = doc.pagesize
        if sheet is not None and sheet.colour:
            canvas.setFillColor(colors.HexColor(sheet.colour))
            canvas.rect(0, height - 0.4 * cm, width, 0.4 * cm, stroke=0, fill=1)
        if sheet is not None and sheet.logo:
            with contextlib.suppress(OSError):  # the file went away: the page without it
                canvas.drawImage(
                    sheet.logo, width - doc.rightMargin - 3 * cm, height - 1.4 * cm, 3 * cm, 0.9 * cm,
                    preserveAspectRatio=True, anchor="ne", mask="auto",
                )  # fmt: skip
        canvas.restoreState()

    return draw


def build_pdf(sheet: Sheet, story: list, *, compress: bool = True) -> bytes:
    """Lay out `story` on pages of `sheet`; `compress=False` keeps the page text readable (tests)."""
    use_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=sheet.pagesize,
        title=sheet.title,
        author="Podium",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=2 * cm,
        pageCompression=1 if compress else 0,
    )
    footer = _footer(sheet.footer, sheet)
    doc.build(story or [Spacer(1, 1)], onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _release_footer(release: Release) -> str:
    return (
        f"{release.event.name} · release {release.name or release.version} · {release.published_at:%Y-%m-%d}"
    )


# --- Door signs ------------------------------------------------------------------------------------


def _sessions_by_room(sessions: Iterable[ReleasedSession], room_uuids: list[str]) -> dict[str, list]:
    """The day's sessions per room (UUID as text); a break in every room is in each of them."""
    by_room: dict[str, list] = defaultdict(list)
    for session in sessions:
        targets = [str(session.room_uuid)] if session.room_uuid else room_uuids
        for uuid in targets:
            by_room[uuid].append(session)
    return by_room


def door_sign_story(release: Release, room: dict, day: dt.date, sessions: list, width: float) -> list:
    """One room's door sign for one day: name, day, QR code to the live page, then the sessions."""
    use_fonts()  # before any Paragraph: it looks its font up when made
    event = release.event
    head = Table(
        [
            [
                [Text(room["name"], STYLES["room"]), Paragraph(day_label(day), STYLES["day"])],
                [
                    qr_code(room_live_url(event, room["uuid"]), QR_SIZE),
                    Paragraph("Scan: what is on now", STYLES["caption"]),
                ],
            ]
        ],
        colWidths=[width - QR_SIZE - 0.5 * cm, QR_SIZE + 0.5 * cm],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]),
    )
    rows = []
    for session in sessions:
        cell = [Text(session.title, STYLES["title"])]
        if session.speakers:
            cell.append(Text(speaker_names(session), STYLES["speakers"]))
        rows.append([Paragraph(time_span(session, event.tz), STYLES["time"]), cell])
    story = [head, Spacer(1, 0.6 * cm)]
    if rows:
        table = Table(rows, colWidths=[TIME_WIDTH, width - TIME_WIDTH])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#BBBBBB")),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph("Nothing is scheduled in this room on this day.", STYLES["day"]))
    return story


def _room(release: Release, room_uuid) -> dict:
    for room in release.rooms:
        if room["uuid"] == str(room_uuid):
            return room
    raise LookupError(f"Release {release.version} has no room {room_uuid}.")


def _usable_width(pagesize) -> float:
    return pagesize[0] - 3 * cm


def door_sign(
    release: Release, *, room_uuid, day: dt.date, paper: str = "a4", compress: bool = True
) -> bytes:
    """The door sign of one room for one day (LookupError for a room the release does not have)."""
    pagesize = paper_size(paper)
    room = _room(release, room_uuid)
    sessions = list(released_sessions(release, day=day, room_uuid=room["uuid"]))
    story = door_sign_story(release, room, day, sessions, _usable_width(pagesize))
    sheet = branded(
        Sheet(pagesize, f"{room['name']}, {day_label(day)}", _release_footer(release)), release.event
    )
    return build_pdf(sheet, story, compress=compress)


def door_signs(release: Release, *, day: dt.date, paper: str = "a4", compress: bool = True) -> bytes:
    """The door signs of every room with something on `day`, one after the other, in one PDF."""
    pagesize = paper_size(paper)
    rooms = release.rooms
    by_room = _sessions_by_room(released_sessions(release, day=day), [room["uuid"] for room in rooms])
    story = []
    for room in rooms:
        if not by_room.get(room["uuid"]):
            continue
        if story:
            story.append(PageBreak())
        story += door_sign_story(release, room, day, by_room[room["uuid"]], _usable_width(pagesize))
    sheet = branded(Sheet(pagesize, f"Door signs, {day_label(day)}", _release_footer(release)), release.event)
    return build_pdf(sheet, story, compress=compress)


# --- Speakers --------------------------------------------------------------------------------------


def speaker_sheet(release: Release, *, speaker_code: str, paper: str = "a4", compress: bool = True) -> bytes:
    """One speaker's sessions in the release (time, room, title); LookupError for an unknown speaker."""
    use_fonts()  # before any Paragraph: it looks its font up when made
    pagesize = paper_size(paper)
    person = release.speakers.filter(code=speaker_code.upper()).first()
    if person is None:
        raise LookupError(f"Release {release.version} has no speaker {speaker_code}.")
    sessions = release.sessions.filter(kind=SlotKind.SESSION, code__in=person.session_codes).order_by("start")
    tz = release.event.tz
    rows = [
        [
            Paragraph(f"{day_label(session.day)}<br/>{time_span(session, tz)}", STYLES["speakers"]),
            Text(session.room_name, STYLES["speakers"]),
            Text(session.title, STYLES["title"]),
        ]
        for session in sessions
    ]
    width = _usable_width(pagesize)
    story = [
        Text(person.name, STYLES["heading"]),
        Text(release.event.name, STYLES["day"]),
        Spacer(1, 0.6 * cm),
    ]
    if rows:
        table = Table(
            [
                [Paragraph(f"<b>{label}</b>", STYLES["speakers"]) for label in ("When", "Room", "Session")],
                *rows,
            ],
            colWidths=[5 * cm, 4 * cm, width - 9 * cm],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#BBBBBB")),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph("No session in this release.", STYLES["day"]))
    sheet = branded(Sheet(pagesize, f"{person.name}: sessions", _release_footer(release)), release.event)
    return build_pdf(sheet, story, compress=compress)


# --- The full program ------------------------------------------------------------------------------


def _grid_cell(sessions: list, tz) -> list:
    cell = []
    for session in sessions:
        # Title, time and speakers as paragraphs of their own (no spacing between them): a title or
        # names in a right-to-left script are broken into lines in reading order (Text).
        cell.append(Text(session.title, STYLES["cell"], bold=True))
        cell.append(Paragraph(time_span(session, tz), STYLES["cell"]))
        if session.speakers:
            cell.append(Text(speaker_names(session), STYLES["cell"]))
    return cell


def program_grid_story(release: Release, sessions: list, pagesize, rooms_per_page: int) -> list:
    """Per day, the rooms in groups of `rooms_per_page` (one group per page): a row per start time."""
    use_fonts()  # before any Paragraph: it looks its font up when made
    tz = release.event.tz
    rooms = release.rooms
    by_day: dict[dt.date, list] = defaultdict(list)
    for session in sessions:
        by_day[session.day].append(session)
    width = _usable_width(pagesize)
    story = []
    for day in sorted(by_day):
        by_room = _sessions_by_room(by_day[day], [room["uuid"] for room in rooms])
        used = [room for room in rooms if by_room.get(room["uuid"])]
        groups = [used[i : i + rooms_per_page] for i in range(0, len(used), rooms_per_page)]
        for number, group in enumerate(groups, start=1):
            if story:
                story.append(PageBreak())
            heading = day_label(day)
            if len(groups) > 1:
                first = (number - 1) * rooms_per_page + 1
                heading += f" · rooms {first}\N{EN DASH}{first + len(group) - 1} of {len(used)}"
            story.append(Paragraph(heading, STYLES["day"]))
            story.append(Spacer(1, 0.3 * cm))
            story.append(_grid_table(group, by_room, tz, width))
    return story


def _grid_table(rooms: list, by_room: dict, tz, width: float) -> Table:
    starts = sorted({session.start for room in rooms for session in by_room[room["uuid"]]})
    header = [Paragraph("Time", STYLES["cell_head"])]
    header += [Text(room["name"], STYLES["cell_head"]) for room in rooms]
    rows = [header]
    for start in starts:
        row = [Paragraph(f"{_local(start, tz):%H:%M}", STYLES["cell_head"])]
        for room in rooms:
            row.append(_grid_cell([s for s in by_room[room["uuid"]] if s.start == start], tz))
        rows.append(row)
    time_width = 1.4 * cm
    column = (width - time_width) / len(rooms)
    table = Table(rows, colWidths=[time_width] + [column] * len(rooms), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def program_grid(
    release: Release, *, paper: str = "a4", rooms_per_page: int = ROOMS_PER_PAGE, compress: bool = True
) -> bytes:
    """The whole program as a grid per day (rooms by time) on landscape pages."""
    use_fonts()  # before any Paragraph: it looks its font up when made
    pagesize = landscape(paper_size(paper))
    story = program_grid_story(release, list(released_sessions(release)), pagesize, rooms_per_page)
    if not story:
        story = [Paragraph("This release has no sessions.", STYLES["day"])]
    sheet = branded(
        Sheet(pagesize, f"{release.event.name}: program", _release_footer(release)), release.event
    )
    return build_pdf(sheet, story, compress=compress)
