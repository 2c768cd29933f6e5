"""The site's own path words under /<event>/ are reserved: no information page may take one."""

from django.urls import URLPattern, URLResolver, get_resolver

from podium.events.models import RESERVED_PAGE_SLUGS


def _first_segments(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _first_segments(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("<slug:event>/"):
            segment = route.removeprefix("<slug:event>/").split("/", 1)[0]
            if segment and not segment.startswith("<"):
                yield segment.split(".", 1)[0]  # tracks.css, notes.md: the word before the dot


def test_every_first_path_word_under_an_event_is_reserved_for_pages():
    segments = set(_first_segments(get_resolver().url_patterns))

    assert {"schedule", "cfp", "me", "pages", "tickets"} <= segments
    assert segments - RESERVED_PAGE_SLUGS == set()
