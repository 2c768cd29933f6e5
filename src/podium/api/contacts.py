"""An organiser's contact lists through API tokens: the lists with how many people are on each, one list,
and a list's contacts a page at a time (searched by address, name or organisation), as the organiser's
contact pages show them.

The lists belong to the organiser, not to an event, so the path names the token's organiser (any other
organiser answers 404). The token's user needs what the pages need (`contacts.rules`: the organiser's
administrators and its mail teams, `is_admin`, `can_draft_mail` or `can_send_mail`, a team limited to
some events included); check-in device tokens are refused.
"""

import datetime as dt
from typing import Annotated

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field, StringConstraints

from podium.accounts.models import TokenScope
from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.organiser import READ_ERRORS, _page
from podium.contacts import queries, rules
from podium.contacts.models import ContactList

router = Router(tags=["contacts"])


class ContactListOut(Schema):
    id: int
    name: str
    description: str
    created: dt.datetime
    contacts: int = Field(description="How many people are on the list.")
    version: int


class ContactListPage(s.Page):
    items: list[ContactListOut]


class ListedContactOut(Schema):
    id: int
    email: str
    name: str
    organisation: str
    phone: str
    notes: str = Field(description="For the organiser's team only.")
    created: dt.datetime
    updated: dt.datetime
    version: int


class ListedContactPage(s.Page):
    items: list[ListedContactOut]


class ContactFilters(s.PageParams):
    search: Annotated[str, StringConstraints(max_length=200, pattern=s.NO_NUL)] = Field(
        "", description="Part of an address, a name or an organisation (any letter case)."
    )


def _organiser(request, slug: str):
    """The token's organiser, when the path names it and the token's user keeps its contacts."""
    token = request.auth
    if token.scope == TokenScope.CHECKIN:
        raise HttpError(
            403, "This token is for check-in devices: it reads the attendee list and checks tickets in."
        )
    organiser = token.organiser
    if organiser.slug != slug:
        raise Http404("This token belongs to no organiser with this slug.")
    if not rules.can_manage_contacts(token.user, organiser):
        raise HttpError(403, "The token's user does not keep this organiser's contacts.")
    return organiser


def _lists_out(lists) -> list[dict]:
    return [
        {
            "id": contact_list.pk,
            "name": contact_list.name,
            "description": contact_list.description,
            "created": contact_list.created,
            "contacts": contact_list.member_count,
            "version": contact_list.version,
        }
        for contact_list in lists
    ]


def _contacts_out(contacts) -> list[dict]:
    return [
        {
            "id": contact.pk,
            "email": contact.email,
            "name": contact.name,
            "organisation": contact.organisation,
            "phone": contact.phone,
            "notes": contact.notes,
            "created": contact.created,
            "updated": contact.updated,
            "version": contact.version,
        }
        for contact in contacts
    ]


def _list(organiser, pk: int) -> ContactList:
    found = queries.lists_for(organiser).filter(pk=pk).first()
    if found is None:
        raise Http404("The organiser has no contact list with this id.")
    return found


@router.get(
    "/orga/organisers/{organiser}/contact-lists",
    response={200: ContactListPage, **READ_ERRORS},
    auth=TOKEN,
)
def contact_lists(request, organiser: s.Slug, page: Query[s.PageParams]):
    """The organiser's contact lists by name, each with how many people are on it."""
    found = _organiser(request, organiser)
    return _page(queries.lists_for(found), page, _lists_out)


@router.get(
    "/orga/organisers/{organiser}/contact-lists/{contact_list}",
    response={200: ContactListOut, **READ_ERRORS},
    auth=TOKEN,
)
def contact_list_detail(request, organiser: s.Slug, contact_list: s.DbInt):
    found = _organiser(request, organiser)
    return _lists_out([_list(found, contact_list)])[0]


@router.get(
    "/orga/organisers/{organiser}/contact-lists/{contact_list}/contacts",
    response={200: ListedContactPage, **READ_ERRORS},
    auth=TOKEN,
)
def contact_list_contacts(request, organiser: s.Slug, contact_list: s.DbInt, filters: Query[ContactFilters]):
    """The list's contacts by address, a page at a time; `search` keeps those whose address, name or
    organisation contains it."""
    found = _organiser(request, organiser)
    return _page(queries.contacts_on(_list(found, contact_list), filters.search), filters, _contacts_out)
