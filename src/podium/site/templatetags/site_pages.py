"""What the site's navigation asks about the event's information pages."""

from django import template

from podium.events.queries import published_pages

register = template.Library()


@register.simple_tag
def info_pages(event) -> list:
    """The event's published pages in their order (one query per request, shared with the page cache)."""
    return published_pages(event)
