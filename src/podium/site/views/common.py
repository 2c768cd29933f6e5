"""What every public program page needs: the event (public only), the visitor's stars, the sponsors."""

from django.utils.http import url_has_allowed_host_and_scheme

from podium.attendance.queries import starred_codes
from podium.events.models import Event
from podium.events.visibility import event_or_404
from podium.sponsors.public import PublicSponsors, public_sponsors


def public_event(slug: str) -> Event:
    """The URL's event; 404 as for an unknown slug when it is not public (its program is not public either,
    for its team neither: program pages and exports are cached and shared)."""
    return event_or_404(slug)


def mark_starred(items, starred: set[str]):
    """Set `is_starred` on each session (released session or proposal) for the templates; returns them."""
    for item in items:
        item.is_starred = item.code in starred
    return items


def visitor_stars(request, event: Event) -> set[str]:
    """The codes the logged-in visitor starred (anonymous visitors keep theirs in the browser)."""
    return starred_codes(event, request.user)


def event_sponsors(request, event: Event) -> PublicSponsors:
    """The event's public sponsors, read once per request (the navigation, footer and marks share them)."""
    if request is None:
        return public_sponsors(event)
    memo = request.__dict__.setdefault("_podium_sponsors", {})
    if event.pk not in memo:
        memo[event.pk] = public_sponsors(event)
    return memo[event.pk]


def safe_next(request, fallback: str) -> str:
    """The `next` address from the request if it stays on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
