"""Exports of a release: frab XML and JSON, iCal feeds, organiser CSV files.

`render(release, fmt, **options)` builds one export; `cached(...)` returns it from the cache, so each
export is rendered once per release (and options), not once per request. A release never changes,
so its exports never go stale; a new release has a new primary key and therefore new cache keys.
The one exception, erasing a person (privacy), rewrites the release's speaker rows and its
fingerprint; the fingerprint is part of the key, so no export or ETag from before is served again.
"""

import hashlib
import json

from django.core.cache import cache

from podium.base import metrics
from podium.schedule.models import Release

from . import csv, frab_json, frab_xml, ical
from .common import Export

__all__ = ["FORMATS", "PUBLIC_FORMATS", "Export", "UnknownFormat", "cached", "export_key", "render"]

FORMATS = {
    "frab-xml": frab_xml.render,
    "frab-json": frab_json.render,
    "ical": ical.render,
    "sessions-csv": csv.render_sessions,
    "speakers-csv": csv.render_speakers,
}
# Formats that read nothing but the release, so one rendering serves every request for it.
PUBLIC_FORMATS = frozenset({"frab-xml", "frab-json", "ical"})
# Raised when the output of a format changes shape, so caches from before a deploy are not served.
LAYOUT_VERSION = 1
CACHE_SECONDS = 60 * 60 * 24 * 7


class UnknownFormat(ValueError):
    def __init__(self, fmt: str):
        super().__init__(f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}.")


@metrics.times_release_render
def render(release: Release, fmt: str, **options) -> Export:
    """Build the export `fmt` of `release` (options: see each format's module)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise UnknownFormat(fmt) from None
    return renderer(release, **options)


def _canonical(options: dict) -> str:
    def plain(value):
        if isinstance(value, set | frozenset | list | tuple):
            return sorted(str(item) for item in value)
        return None if value is None else str(value)

    return json.dumps({key: plain(value) for key, value in sorted(options.items())}, sort_keys=True)


def export_key(release: Release, fmt: str, **options) -> str:
    """Identifies one export of one release: the cache key and the HTTP ETag are made from it."""
    digest = hashlib.sha256(_canonical(options).encode()).hexdigest()[:32]
    return f"{release.pk}-{release.fingerprint[:12]}-{fmt}-{LAYOUT_VERSION}-{digest}"


def cached(release: Release, fmt: str, **options) -> Export:
    """The export from the cache, rendered on the first request for this release and options.

    Only formats that read the release alone are cached; the organiser CSV files read live data.
    """
    if fmt not in PUBLIC_FORMATS:
        return render(release, fmt, **options)
    key = "podium:export:" + export_key(release, fmt, **options)
    export = cache.get(key)
    if export is None:
        export = render(release, fmt, **options)
        cache.set(key, export, CACHE_SECONDS)
    return export
