"""What the site's pages ask about an event's public sponsors (podium.sponsors.public), read once per
request."""

from django import template

from podium.site.views.common import event_sponsors as sponsors_of_request
from podium.sponsors.public import PublicSponsors

register = template.Library()


@register.simple_tag(takes_context=True)
def event_sponsors(context, event) -> PublicSponsors:
    """The event's public sponsors (false when it has none)."""
    return sponsors_of_request(context.get("request"), event)


@register.simple_tag(takes_context=True)
def track_sponsor(context, event, track_id) -> str:
    """The names of the organisations sponsoring the track, "" when none does."""
    if not track_id:
        return ""
    return sponsors_of_request(context.get("request"), event).of_track(track_id)
