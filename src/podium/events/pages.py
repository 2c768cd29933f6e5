"""The event's information pages (venue, travel, code of conduct, FAQ): write, publish, order, delete.

A page's address is /<event>/pages/<slug>/; its short name comes from the title unless given, and may
not be one of the site's own path words (RESERVED_PAGE_SLUGS). Only published pages are public.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError
from podium.base.translated import column, other_languages
from podium.events.models import RESERVED_PAGE_SLUGS, Event, Page, PageState
from podium.events.rules import check_can_edit_event
from podium.events.services import _lock_version

PAGE_FIELDS = ("title", "slug", "body", "position", "state", "title_de", "title_fr", "body_de", "body_fr")
SLUG_MAX = Page._meta.get_field("slug").max_length


def slug_from_title(title: str) -> str:
    """The short name a title gives: lowercase ASCII letters and digits joined by single hyphens."""
    words = re.split(r"[^a-z0-9]+", slugify(title or ""))
    return "-".join(word for word in words if word)[:SLUG_MAX].strip("-")


def _check_slug(page: Page, *, derived: bool) -> None:
    if not page.slug:
        raise ServiceError(
            _("Give the page a short name of letters and digits; the title has none to take."), field="slug"
        )
    try:
        Page._meta.get_field("slug").run_validators(page.slug)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field="slug") from exc
    if page.slug in RESERVED_PAGE_SLUGS:
        message = (
            _(
                'The title gives the short name "%(slug)s", which the site uses for its own pages; choose another.'
            )
            if derived
            else _('The short name "%(slug)s", which the site uses for its own pages; choose another.')
        )
        raise ServiceError(message % {"slug": page.slug}, field="slug")
    if Page.objects.filter(event_id=page.event_id, slug=page.slug).exclude(pk=page.pk).exists():
        message = (
            _('The title gives the short name "%(slug)s", which another page has; choose another.')
            if derived
            else _('The short name "%(slug)s", which another page has; choose another.')
        )
        raise ServiceError(message % {"slug": page.slug}, field="slug")


@transaction.atomic
def save_page(*, event: Event, by, data: dict, page: Page | None = None, version: int | None = None) -> Page:
    """Create or edit an information page; `data` holds any of title, slug, body, position and state.

    An empty slug is taken from the title; a new page without a position goes after the last one.
    Publishing and unpublishing is a change of `state`. An edit with a stale `version` (someone saved
    the page in between) is refused with StaleEdit; a malformed, reserved or taken slug, an empty title
    or an unknown state with a ServiceError on that field. Refused when `by` may not edit the event.
    Side effects: audit entry.
    """
    check_can_edit_event(by, event)
    if page is not None and page.event_id != event.pk:
        raise NotAllowed(_("This page belongs to another event."))
    page = page or Page(event=event)
    stored_version = (
        _lock_version(Page, pk=page.pk, version=version, what=_("this page")) if page.pk is not None else 0
    )
    for name, value in data.items():
        if name in PAGE_FIELDS:
            setattr(page, name, value)
    page.title = (page.title or "").strip()
    if not page.title:
        raise ServiceError(_("Give the page a title."), field="title")
    page.slug = (page.slug or "").strip().lower()
    derived = not page.slug
    if derived:
        page.slug = slug_from_title(page.title)
    _check_slug(page, derived=derived)
    if page.state not in PageState.values:
        raise ServiceError(_("Choose draft or published."), field="state")
    if page.position is None or (page.pk is None and "position" not in data):
        last = event.pages.aggregate(last=Max("position"))["last"]
        page.position = 0 if last is None else last + 1
    if isinstance(page.position, bool) or not isinstance(page.position, int) or page.position < 0:
        raise ServiceError(_("The order is a whole number from 0."), field="position")
    page.body = page.body or ""
    for code, _language in other_languages():  # the translations (podium.base.translated); empty: none
        setattr(page, column("title", code), (getattr(page, column("title", code)) or "").strip())
        setattr(page, column("body", code), getattr(page, column("body", code)) or "")
    page.version = stored_version + 1
    page.save()
    audit.record(
        action="page.saved", actor=by, target=page, event_id=event.pk, slug=page.slug, state=page.state
    )
    return page


@transaction.atomic
def delete_page(*, page: Page, by) -> None:
    """Delete an information page; its address answers 404 from then on. Refused when `by` may not edit
    the event. Side effects: audit entry."""
    check_can_edit_event(by, page.event)
    title, event_id = page.title, page.event_id
    page.delete()
    audit.record(action="page.deleted", actor=by, event_id=event_id, title=title)
