"""What every public program page needs: the event (public only) and the visitor's stars."""

from django.utils.http import url_has_allowed_host_and_scheme

from podium.attendance.queries import starred_codes
from podium.events.models import Event
from podium.events.visibility import event_or_404


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


def safe_next(request, fallback: str) -> str:
    """The `next` address from the request if it stays on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
