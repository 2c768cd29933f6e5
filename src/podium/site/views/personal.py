"""What a program page shows of the visitor: one small JSON answer its script fills the page from.

Program pages are the same files for everyone (podium.site.release_files), rendered for an
anonymous visitor. stars.js asks `/<event>/me.json` once per page and, for a logged-in visitor,
marks their stars, shows their links (agenda, notes, tickets, account, log out) and sends their star
changes with the CSRF token given here. An anonymous visitor gets the same shape, empty.
"""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from podium.base.permissions import public
from podium.site.templatetags.site_registration import shows_my_tickets
from podium.site.views.common import public_event, visitor_stars


def personal_data(request, event) -> dict:
    """The visitor's part of a program page; nothing but the shape for anonymous visitors."""
    if not request.user.is_authenticated:
        return {"logged_in": False, "stars": [], "tickets": False, "csrf_token": "", "links": {}}
    tickets = shows_my_tickets(event, request.user)
    links = {
        "starred_ics": {
            "href": reverse("site:export_starred_ics", kwargs={"event": event.slug}),
            "text": _("My starred sessions (iCal)"),
        }
    }
    if tickets:
        links["tickets"] = {
            "href": reverse("site:my_orders", kwargs={"event": event.slug}),
            "text": _("My tickets"),
        }
    return {
        "logged_in": True,
        "stars": sorted(visitor_stars(request, event)),
        "tickets": tickets,
        "csrf_token": get_token(request),
        "links": links,
    }


@public
@require_safe
def me(request, event):
    event = public_event(event)
    response = JsonResponse(personal_data(request, event))
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    return response
