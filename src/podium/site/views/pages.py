"""The event's information pages (venue, travel, code of conduct, FAQ), written by its organisers.

A published page is public; a draft answers 404 as an unknown page does, except to those who may edit
the event, who see it with a "Draft" banner. The body is the organisers' Markdown, rendered and
sanitised (base.text.render_markdown): no raw HTML of theirs reaches the page.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from podium.base.permissions import public
from podium.events.rules import can_edit_event
from podium.events.visibility import TEAM, event_or_404
from podium.schedule.queries import latest_release


@public
def page(request, event, page):
    # A non-public event's pages are its team's to read before it opens, like its track colours.
    event = event_or_404(event, request.user, admit={TEAM})
    shown = event.pages.filter(slug=page).first()
    if shown is None or (not shown.is_published and not can_edit_event(request.user, event)):
        raise Http404("There is no such page.")
    response = render(
        request,
        "site/page.html",
        {"event": event, "release": latest_release(event), "page": shown},
    )
    if not (shown.is_published and event.is_public):
        patch_cache_control(response, private=True, no_cache=True)
    return response
