"""What the API reads and writes, per audience. Field names are the API's contract (docs/openapi.json).

Input is taken as sent, never converted into another type: request bodies derive from `StrictInput`
(false is no score 0, 1 no `force`, 5 no comment "5"); their integers are `JsonInt` (a JSON number
without a fraction: 2 or 2.0, as JSON Schema has it, never 2.5, true or "2"), and the values JSON
carries as text (uuids, dates, times) are the text types below, which refuse a number. Query and path
parameters arrive as text; an integer there is digits only ("true" and "1.5" are refused).
`tests/api/test_main_openapi.py` checks every input field of every operation.
"""

import datetime as dt
import re
import uuid
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, BeforeValidator, ConfigDict, Field, Strict, StringConstraints
from pydantic_core import PydanticCustomError

from podium.accounts.models import TokenScope
from podium.proposals.enums import ProposalState

MAX_LIMIT = 200
# Free text never holds NUL characters (PostgreSQL cannot store them).
NO_NUL = r"^[^\x00]*$"
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,48}$")]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,16}$")]
PageSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
DbInt = Annotated[int, Field(ge=1, le=2**31 - 1)]
IdempotencyKey = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,200}$")]
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> dt.date:
    """Only YYYY-MM-DD: no timestamps ("0"), no short or basic forms ("2025-1-1", "20250101")."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("iso_date", "Give a date as YYYY-MM-DD, e.g. 2025-06-14.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "iso_date", "{value} is no day of the calendar.", {"value": value}
        ) from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _text(kind: type, message: str):
    """A value JSON carries as text: a string (parsed by the type), never a number or a boolean."""

    def check(value: Any) -> Any:
        if isinstance(value, str | kind):
            return value
        raise PydanticCustomError("text_type", message)

    return check


def _json_number(value: Any) -> Any:
    """A JSON number for an integer field; whether it has a fraction is the int type's to say."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "Give a whole number, e.g. 3.")


# Strict(False) lets these parse inside a StrictInput, after the check before refused another type.
JsonInt = Annotated[int, Strict(False), BeforeValidator(_json_number)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1), Strict(False), BeforeValidator(_json_number)]
Uuid = Annotated[uuid.UUID, Strict(False), BeforeValidator(_text(uuid.UUID, "Give a uuid as a string."))]
IsoDatetime = Annotated[
    AwareDatetime,
    Strict(False),
    BeforeValidator(_text(dt.datetime, "Give a date and time as a string, e.g. 2025-06-14T10:00:00+02:00.")),
]

ProposalStateName = Literal[tuple(ProposalState.values)]  # type: ignore[valid-type]
Decision = Literal["accepted", "rejected"]
Scope = Literal[tuple(TokenScope.values)]  # type: ignore[valid-type]


class StrictInput(Schema):
    """Every request body: each value must have its field's JSON type (no true for 1, no 1 for "1")."""

    model_config = ConfigDict(strict=True)


class Error(Schema):
    """Every refusal: a message a person can act on (a list of field errors for invalid input)."""

    detail: str | list[dict[str, Any]]
    field: str | None = None


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=1_000_000)


class Page(Schema):
    count: int
    limit: int
    offset: int


# Public: the latest release of public events.


class ReleaseRef(Schema):
    version: int
    name: str
    published_at: dt.datetime


class EventOut(Schema):
    slug: str
    name: str = Field(description="The main text, in whatever language the organisers write it.")
    name_translations: dict[str, str] = Field(
        description="The name in other languages of the interface, by language code; only those given."
    )
    organiser: str
    timezone: str
    date_from: dt.date
    date_to: dt.date
    day_start_hour: int
    description: str = Field(description="The call for papers text (Markdown), the main text.")
    description_translations: dict[str, str] = Field(
        description="The description in other languages of the interface, by language code; only those given."
    )
    release: ReleaseRef | None


class EventPage(Page):
    items: list[EventOut]


class InformationPageOut(Schema):
    slug: str = Field(description="The page's short name, its address on the site: /<event>/pages/<slug>/.")
    title: str
    title_translations: dict[str, str] = Field(
        description="The title in other languages of the interface, by language code; only those given."
    )
    body: str = Field(description="The text (Markdown), the main text.")
    body_translations: dict[str, str] = Field(
        description="The text in other languages of the interface, by language code; only those given."
    )
    url: str = Field(description="The page on the event's site.")
    updated_at: dt.datetime


class RoomOut(Schema):
    id: int
    uuid: uuid.UUID
    name: str
    capacity: int | None


class TrackOut(Schema):
    id: int
    name: str
    colour: str


class SessionTypeOut(Schema):
    name: str
    sessions: int


class SpeakerRef(Schema):
    code: str
    name: str


class TrackRef(Schema):
    id: int
    name: str
    colour: str


class RoomRef(Schema):
    id: int
    uuid: uuid.UUID
    name: str


class LinkOut(Schema):
    title: str
    url: str


class SeatsOut(Schema):
    capacity: int = Field(description="The session's seats.")
    taken: int = Field(description="Seats booked.")
    left: int = Field(description="Seats still free (0 when full; bookings can exceed a lowered capacity).")
    waiting: int = Field(description="People on the session's waiting list.")


class SessionOut(Schema):
    code: str
    kind: Literal["session", "break"]
    slot_id: int
    slot_uuid: uuid.UUID
    title: str
    abstract: str
    description: str
    track: TrackRef | None
    room: RoomRef | None
    start: dt.datetime
    end: dt.datetime
    day: dt.date
    duration_minutes: int
    session_type: str
    language: str
    audience_level: str
    speakers: list[SpeakerRef]
    guid: str = Field(description="The source's guid of an imported session (any text), else the slot UUID.")
    subtitle: str
    do_not_record: bool = Field(description="The speakers do not consent to recording.")
    links: list[LinkOut]
    attachments: list[LinkOut]
    video_url: str
    feedback_url: str
    seats: SeatsOut | None = Field(
        description="For a session booked seat by seat (a tutorial): its seats as counted now; else null."
    )


class SessionPage(Page):
    items: list[SessionOut]


class SessionFilters(PageParams):
    track: DbInt | None = Field(None, description="A track id (breaks are kept).")
    room: uuid.UUID | None = Field(None, description="A room uuid (breaks in every room are kept).")
    day: IsoDate | None = Field(None, description="A conference day, in the event's time zone.")


class SpeakerOut(Schema):
    code: str
    name: str
    bio: str
    photo: str
    website: str
    social: str
    sessions: list[str]


class SpeakerPage(Page):
    items: list[SpeakerOut]


class ScheduleDay(Schema):
    day: dt.date
    sessions: list[SessionOut]


class ScheduleOut(Schema):
    release: ReleaseRef | None
    days: list[ScheduleDay]


class DayFilter(Schema):
    day: IsoDate | None = None


class ChangeOut(Schema):
    kind: Literal["new", "moved", "changed", "cancelled"]
    code: str
    title: str
    old: Any = None
    new: Any = None
    fields: list[str] = []


class ReleaseOut(Schema):
    version: int
    name: str
    comment: str
    published_at: dt.datetime
    counts: dict[str, int]
    changes: list[ChangeOut]


class ReleasePage(Page):
    items: list[ReleaseOut]


# Organiser: a token acting as its user.


class ProposalSpeakerOut(Schema):
    code: str
    name: str
    email: str
    bio: str


class SessionTypeRef(Schema):
    id: int
    name: str
    duration_minutes: int


class ProposalOut(Schema):
    code: str
    title: str
    abstract: str
    description: str
    state: str
    pending_state: str
    track: TrackRef | None
    session_type: SessionTypeRef
    language: str
    audience_level: str
    created: dt.datetime
    updated: dt.datetime
    version: int
    speakers: list[ProposalSpeakerOut] | None = Field(
        description="null when the event anonymises review and the token's user only reviews."
    )
    notes: str | None = Field(description="Organiser notes; null where speaker identity is hidden.")


class ProposalPage(Page):
    items: list[ProposalOut]


class ProposalFilters(PageParams):
    state: ProposalStateName | None = None
    track: DbInt | None = None


class ReviewOut(Schema):
    proposal: str
    reviewer: str
    mine: bool
    score: int
    comment: str
    created: dt.datetime
    updated: dt.datetime


class ReviewPage(Page):
    items: list[ReviewOut]


class ReviewFilters(PageParams):
    proposal: Code | None = None


class ReviewIn(StrictInput):
    score: JsonInt = Field(ge=-1000, le=1000)
    comment: Annotated[str, StringConstraints(max_length=10_000, pattern=NO_NUL)] = ""


class DecisionIn(StrictInput):
    decision: Decision


class SlotOut(Schema):
    id: int
    uuid: uuid.UUID
    kind: Literal["session", "break"]
    code: str
    title: str
    room: RoomRef | None
    start: dt.datetime | None
    end: dt.datetime | None
    pinned: bool
    version: int


class SlotPage(Page):
    items: list[SlotOut]


class PlaceIn(StrictInput):
    room: Uuid
    start: IsoDatetime = Field(description="With a time zone offset.")
    version: Version = Field(description="The slot version you last read (0 for a session never placed).")


class UnscheduleIn(StrictInput):
    version: Version


class PinIn(StrictInput):
    pinned: bool = Field(description="True: automatic scheduling leaves the session where it is.")
    version: Version = Field(description="The slot version you last read.")


class PublishIn(StrictInput):
    name: Annotated[str, StringConstraints(max_length=100, pattern=NO_NUL)] = ""
    comment: Annotated[str, StringConstraints(max_length=5000, pattern=NO_NUL)] = ""
    force: bool = False
