"""The unsubscribe link of campaign mail: GET shows what it does and a button (mail scanners open
links, so opening it changes nothing); POST unsubscribes. A mail client's one-click POST (RFC 8058:
body `List-Unsubscribe=One-Click`, no CSRF token, no cookies) works too; the signed token is the
credential, so this one view is exempt from CSRF."""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from podium.base.errors import ServiceError
from podium.base.permissions import token as token_link
from podium.campaigns import services
from podium.campaigns import unsubscribe as links
from podium.events.models import Organiser


def _render(request, context, status=200):
    response = render(request, "site/mail/unsubscribe.html", context, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


@token_link
@csrf_exempt
def unsubscribe(request, token):
    """Confirm (GET) and unsubscribe (POST) the address the signed link names."""
    data = links.read_token(token)
    organiser = Organiser.objects.filter(pk=data["organiser_id"]).first() if data else None
    if organiser is None:
        return _render(request, {"invalid": True}, status=404)
    context = {"organiser": organiser, "address": data["address"], "token": token}
    if request.method == "POST":
        try:
            services.unsubscribe_with_token(token=token)
        except ServiceError as exc:  # pragma: no cover - the token was read above
            return _render(request, {**context, "error": exc.message}, status=400)
        return _render(request, {**context, "done": True})
    if request.method not in ("GET", "HEAD"):
        return _render(request, context, status=405)
    return _render(request, context)
