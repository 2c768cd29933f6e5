"""The public tags of a talk (proposals.tagging), for the talk page."""

from django import template

from podium.proposals.tagging import public_tags_by_code

register = template.Library()


@register.simple_tag
def talk_public_tags(event, code: str) -> list:
    """The public tags of the event's talk with `code`, by name: one query per event object, so a
    render of every talk page of a release (site.release_files) asks once, not once per page."""
    by_code = getattr(event, "_podium_public_tags", None)
    if by_code is None:
        by_code = event._podium_public_tags = public_tags_by_code(event)
    return by_code.get(code, [])
