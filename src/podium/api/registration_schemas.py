"""What the registration and check-in calls of the API read and write (docs/openapi.json); the input
rules of schemas.py hold here too."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, Strict, StringConstraints

from podium.api.schemas import NO_NUL, IsoDatetime, Page, PageParams, StrictInput, _json_number
from podium.checkin.models import ScanResult
from podium.registration.enums import OrderState

OrderStateName = Literal[tuple(OrderState.values)]  # type: ignore[valid-type]
ScanKind = Literal[tuple(ScanResult.values)]  # type: ignore[valid-type]
# A JSON number without a fraction, as schemas.JsonInt, and a database id.
TicketId = Annotated[int, Field(ge=1, le=2**31 - 1), Strict(False), BeforeValidator(_json_number)]


class TicketTypeOut(Schema):
    id: int
    name: str
    price: Decimal
    quota: int | None
    seats_taken: int
    active: bool


class TicketTypeList(Schema):
    items: list[TicketTypeOut]


class CheckInRef(Schema):
    desk: str
    scanned_at: dt.datetime
    offline: bool


class TicketOut(Schema):
    id: int
    ticket_type: str
    attendee_name: str
    attendee_email: str
    attendee_company: str
    price: Decimal
    check_in: CheckInRef | None


class OrderOut(Schema):
    code: str
    state: OrderStateName
    origin: str
    email: str
    total: Decimal
    created_at: dt.datetime
    paid_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    tickets: list[TicketOut]


class OrderPage(Page):
    items: list[OrderOut]


class OrderFilters(PageParams):
    state: OrderStateName | None = None


class AttendeeOut(Schema):
    id: int
    name: str
    company: str
    type: str
    order: str
    state: OrderStateName
    token: str = Field(
        description="The ticket's current QR code token (its payload, before the first colon, is the same in every token of the ticket)."
    )
    checked_in_at: dt.datetime | None
    desk: str | None


class AttendeePage(Page):
    items: list[AttendeeOut]


class CheckInOut(Schema):
    ticket: int
    order: str
    ticket_type: str
    attendee_name: str
    desk: str
    scanned_at: dt.datetime
    received_at: dt.datetime
    offline: bool


class CheckInPage(Page):
    items: list[CheckInOut]


class ScannedTicket(Schema):
    id: int
    name: str
    company: str
    type: str
    order: str


class ScanOut(Schema):
    kind: ScanKind
    label: str
    message: str
    admitted: bool
    offline: bool
    conflict: bool
    ticket: ScannedTicket | None
    checked_in_at: dt.datetime | None
    desk: str | None


class CheckInIn(StrictInput):
    code: Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=NO_NUL)] = Field(
        description="The scanned QR code token, or an order code (with `ticket` for one of its tickets)."
    )
    ticket: TicketId | None = Field(
        None, description="A ticket of the order whose code is given (from a search)."
    )
    desk: Annotated[str, StringConstraints(max_length=60, pattern=NO_NUL)] = ""
    scanned_at: IsoDatetime | None = Field(None, description="When the device scanned (default: now).")
