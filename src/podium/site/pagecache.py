"""Public program pages rendered once per release and served again from the cache.

A release never changes once published, so a page of it that depends on nothing but the release,
the event's settings and the (normalised) query string can be kept until the next release. Only
anonymous visitors get the cached copy, and logged-in ones the release's file of the pages whose
view says `members_share` (their stars, links and CSRF token come from `me.json`, read by stars.js);
otherwise their pages are rendered every time, as are those of a visitor with messages waiting.
Anonymous visitors' stars live in the browser (stars.js), and their star buttons carry no CSRF
token (see site/_star.html), so a cached page holds nothing personal.

Every answer from here carries an ETag (a hash of the page) and Last-Modified (the release's
publication), so a browser that has the page gets 304 Not Modified without the page being sent.
`PODIUM_PAGE_CACHE=off` turns the cache off (the ETag and 304 stay: they cost nothing).
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from podium.events.models import Event
from podium.events.queries import published_pages
from podium.schedule.models import Release
from podium.site import release_files
from podium.sponsors.public import public_sponsors, sponsors_version

#: Entries outlive a release only until this runs out; a new release changes the key anyway.
TIMEOUT_SECONDS = 24 * 3600


def page_key(*, event: Event, release: Release, path: str, variant: str = "") -> str:
    """The cache key of one page of one release: new with every release and every event settings edit,
    and when erasing a person rewrites the release (its fingerprint changes; privacy)."""
    raw = f"{event.pk}:{event.version}:{release.pk}:{release.version}:{release.fingerprint}:{path}:{variant}"
    return "podium:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _is_personal(request) -> bool:
    """Whether this visitor's page holds something of their own (their stars, a message to them)."""
    return request.user.is_authenticated or bool(get_messages(request))


def _finish(request, response: HttpResponse, *, etag: str, release: Release) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(release.published_at.timestamp())
    patch_cache_control(response, no_cache=True)  # browsers ask again (cheaply) for a newer release
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(
        request, etag=etag, last_modified=int(release.published_at.timestamp()), response=response
    )


def _menu(event: Event) -> str:
    return ",".join(f"{page.pk}:{page.version}" for page in published_pages(event))


def _context(event: Event, menu: str | None = None) -> str:
    """What every page shows besides the release and the path: the navigation lists the published
    information pages, which change between releases; the sponsors (navigation, footer, marks) change
    too, and their token comes from the cache alone."""
    return f"|pages:{_menu(event) if menu is None else menu}|sponsors:{sponsors_version(event)}"


def _file_context(event: Event, menu: str) -> str:
    """The same for the release's files, which outlive the cache and are shared by every process:
    the sponsors by what they show, not by the cache's token."""
    shown = hashlib.sha256(repr(public_sponsors(event)).encode()).hexdigest()[:16]
    return f"|pages:{menu}|sponsors:{shown}"


def cached_page(
    request,
    *,
    event: Event,
    release: Release | None,
    render: Callable[[], HttpResponse],
    variant: str = "",
    cacheable: bool = True,
    members_share: bool = False,
) -> HttpResponse:
    """The page `render()` makes, from the release's files or the cache when this anonymous visitor's
    page may be shared.

    `variant` names what besides the path decides the page (the normalised filters); `cacheable` is
    false for query strings that are not in their normal form, so the cache holds a bounded number
    of pages and no page carries a stranger's query string. Only 200 answers are kept.
    `members_share`: logged-in visitors get the anonymous page's file too (its script fills in their
    stars and links from `me.json`); pages with a visitor's own forms (a talk's note) leave it off.
    """
    if release is None or request.method not in ("GET", "HEAD"):
        return render()
    capture = getattr(request, "podium_render_capture", None)
    if capture is not None:  # release_files is writing this page: render it and say how it is keyed
        capture["variant"] = variant
        capture["members"] = members_share  # and whether a logged-in visitor gets it too
        if "context" not in capture:  # the same for every page of a render: release_files gives it once
            capture["context"] = _file_context(event, _menu(event))
        return render()
    menu = None
    if (
        settings.PODIUM_RELEASE_FILES
        and cacheable
        and (members_share or not request.user.is_authenticated)
        and not get_messages(request)
    ):
        menu = _menu(event)
        stored = release_files.serve_page(request, event, release, variant, _file_context(event, menu))
        if stored is not None:
            return stored
    use_cache = settings.PODIUM_PAGE_CACHE and cacheable and not _is_personal(request)
    if not use_cache:
        response = render()
        if response.status_code == 200 and not request.user.is_authenticated:
            return _finish(request, response, etag=_etag(response.content), release=release)
        return response
    # One copy per language: the page's words are the visitor's language's (LocaleMiddleware).
    language = f"|language:{translation.get_language()}"
    key = page_key(
        event=event, release=release, path=request.path, variant=variant + _context(event, menu) + language
    )
    entry = cache.get(key)
    if entry is None:
        response = render()
        if response.status_code != 200:
            return response
        entry = {"content": response.content, "content_type": response["Content-Type"]}
        entry["etag"] = _etag(entry["content"])
        cache.set(key, entry, TIMEOUT_SECONDS)
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    return _finish(request, response, etag=entry["etag"], release=release)


def release_fact(release: Release, name: str, compute: Callable):
    """A value derived from a release alone (its days, say), computed once: releases never change."""
    if not settings.PODIUM_PAGE_CACHE:
        return compute()
    return cache.get_or_set(f"podium:release:{release.pk}:{name}", compute, TIMEOUT_SECONDS)
