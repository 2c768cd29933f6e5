"""Public program pages rendered once per release and served again from the cache.

A release never changes once published, so a page of it that depends on nothing but the release,
the event's settings and the (normalised) query string can be kept until the next release. Only
anonymous visitors get the cached copy: logged-in visitors see their own stars on the page, so
their pages are rendered every time. Anonymous visitors' stars live in the browser (stars.js), and
their star buttons carry no CSRF token (see site/_star.html), so a cached page holds nothing
personal.

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
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from podium.events.models import Event
from podium.events.queries import published_pages
from podium.schedule.models import Release

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


def cached_page(
    request,
    *,
    event: Event,
    release: Release | None,
    render: Callable[[], HttpResponse],
    variant: str = "",
    cacheable: bool = True,
) -> HttpResponse:
    """The page `render()` makes, from the cache when this anonymous visitor's page may be shared.

    `variant` names what besides the path decides the page (the normalised filters); `cacheable` is
    false for query strings that are not in their normal form, so the cache holds a bounded number
    of pages and no page carries a stranger's query string. Only 200 answers are kept.
    """
    if release is None or request.method not in ("GET", "HEAD"):
        return render()
    use_cache = settings.PODIUM_PAGE_CACHE and cacheable and not _is_personal(request)
    if not use_cache:
        response = render()
        if response.status_code == 200 and not request.user.is_authenticated:
            return _finish(request, response, etag=_etag(response.content), release=release)
        return response
    # The navigation lists the published information pages, which change between releases.
    menu = ",".join(f"{page.pk}:{page.version}" for page in published_pages(event))
    key = page_key(event=event, release=release, path=request.path, variant=f"{variant}|pages:{menu}")
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
