"""Attendees' stars: star a session, merge the stars kept in the browser, list one's stars.

The star form works without JavaScript (POST, then back to the page); stars.js sends the same form
with fetch and gets JSON. Anonymous visitors keep their stars in the browser until they log in.
"""

import json

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from podium.attendance import services
from podium.attendance.queries import public_talks, starred_codes
from podium.base.errors import ServiceError
from podium.base.permissions import login_required
from podium.site.views.common import public_event, safe_next


class BadRequest(Exception):
    pass


def _wants_json(request) -> bool:
    return "X-Requested-With" in request.headers or "application/json" in request.headers.get("Accept", "")


def _parse_starred(value) -> bool:
    if value not in ("0", "1"):
        raise BadRequest("Send starred=1 to star a session or starred=0 to remove the star.")
    return value == "1"


@login_required
def star(request, event, code):
    """POST starred=1|0. A GET comes from a star button without JavaScript on a page shared by every
    visitor (no CSRF token in it), or back from logging in: it asks to confirm with a POST form."""
    event = public_event(event)
    back = safe_next(request, reverse("site:talk", kwargs={"event": event.slug, "code": code.upper()}))
    if request.method == "GET":
        return _confirm(request, event, code.strip().upper(), back)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    as_json = _wants_json(request)
    try:
        starred = services.set_star(
            event=event, user=request.user, code=code, starred=_parse_starred(request.POST.get("starred"))
        )
    except BadRequest as exc:
        if as_json:
            return JsonResponse({"error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect(back)
    except ServiceError as exc:
        if as_json:
            return JsonResponse({"error": exc.message}, status=404)
        messages.error(request, exc.message)
        return redirect(back)
    if as_json:
        return JsonResponse({"code": code.upper(), "starred": starred})
    messages.success(request, _("Added to your stars.") if starred else _("Removed from your stars."))
    return redirect(back)


def _confirm(request, event, code: str, back: str):
    """The page that asks to star (or unstar) one session, whose POST form does it."""
    starred = code in starred_codes(event, request.user)
    title = public_talks(event).filter(code=code).values_list("title", flat=True).first()
    if title is None and starred:
        title = (
            event.stars.filter(user=request.user, proposal__code=code)
            .values_list("proposal__title", flat=True)
            .first()
        )
    if title is None:
        raise Http404("There is no public session with this code.")
    context = {"event": event, "code": code, "title": title, "starred": starred, "back": back}
    return render(request, "site/star_confirm.html", context)


def _codes_from(request) -> list[str]:
    """The codes of a merge: a JSON body {"codes": [...]}, or form fields `codes` (repeated or comma-separated)."""
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest("The request body is not valid JSON.") from exc
        codes = payload.get("codes") if isinstance(payload, dict) else None
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise BadRequest('Send a JSON object like {"codes": ["K7QF9X"]}.')
        return codes
    return [code for value in request.POST.getlist("codes") for code in value.split(",") if code.strip()]


@login_required
def stars_merge(request, event):
    """Add the stars an anonymous visitor kept in the browser; answers with all their stars."""
    event = public_event(event)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        codes = services.merge_stars(event=event, user=request.user, codes=_codes_from(request))
    except BadRequest as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except ServiceError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    return JsonResponse({"codes": sorted(codes)})


@login_required
def my_stars(request, event):
    event = public_event(event)
    return JsonResponse({"codes": sorted(starred_codes(event, request.user))})
