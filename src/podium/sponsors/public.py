"""What the public sees of an event's sponsors: the organisations in a public stage (committed,
invoiced, paid) by level, and which of them sponsors a track (the "Sponsored by" mark on its talks).

A page reads the list once (one query; the site's template tags keep it for the request). The site's
page cache, which serves anonymous visitors without rendering, puts `sponsors_version` in its keys: a
token kept in the cache that any save or delete of a sponsorship, a level, an organisation or a
track drops (signals connected in apps.py; at once and again when the transaction commits), so a
cached page shows a new sponsor as soon as it is saved and a cache hit asks the database nothing
more. Code that changes these rows without saving them one by one (a queryset's `update()`) calls
`sponsors_changed` itself.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.encoding import filepath_to_uri

from podium.events.models import Event
from podium.sponsors.models import PUBLIC_STAGES, LogoSize, Sponsorship

#: How long a version token lives (as long as the pages cached under it); a change drops it at once.
TIMEOUT_SECONDS = 24 * 3600
#: The heading of the public sponsorships without a level (media partners, community partners).
PARTNERS = "Partners"


@dataclass(frozen=True)
class PublicSponsor:
    """One organisation as the public pages show it at one event."""

    organisation_id: int
    name: str
    kind: str
    website: str
    description: str  # Markdown, rendered and sanitised by the pages (base.text.render_markdown)
    logo_url: str  # "" without a logo (or when its file is missing)
    level: str  # "" without a level
    logo_size: str
    track_id: int | None


@dataclass(frozen=True)
class SponsorGroup:
    """A level's heading with its sponsors (the last group, "Partners", has no level)."""

    name: str
    logo_size: str
    sponsors: tuple[PublicSponsor, ...]


@dataclass(frozen=True)
class PublicSponsors:
    """An event's public sponsorships, levels first by position and name, then those without a level;
    organisations by name within each."""

    sponsors: tuple[PublicSponsor, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sponsors)

    def __iter__(self):
        return iter(self.sponsors)

    def __len__(self) -> int:
        return len(self.sponsors)

    @property
    def groups(self) -> list[SponsorGroup]:
        groups: list[SponsorGroup] = []
        for sponsor in self.sponsors:
            name = sponsor.level or PARTNERS
            if groups and groups[-1].name == name:
                groups[-1] = SponsorGroup(name, groups[-1].logo_size, (*groups[-1].sponsors, sponsor))
            else:
                groups.append(SponsorGroup(name, sponsor.logo_size, (sponsor,)))
        return groups

    def of_track(self, track_id: int | None) -> str:
        """The names of the organisations sponsoring the track ("" when none does)."""
        if track_id is None:
            return ""
        return " and ".join(sponsor.name for sponsor in self.sponsors if sponsor.track_id == track_id)


def _logo_url(name: str) -> str:
    """The logo's address, served as uploads are (base.views.serve_media); "" when the file is gone."""
    if not name or not default_storage.exists(name):
        return ""
    return settings.MEDIA_URL + filepath_to_uri(name)


def public_sponsors(event: Event) -> PublicSponsors:
    """The event's public sponsorships, in one query (see `PublicSponsors`)."""
    rows = (
        Sponsorship.objects.filter(event=event, stage__in=PUBLIC_STAGES)
        .order_by(
            F("level__position").asc(nulls_last=True),
            Lower("level__name"),
            "level_id",
            Lower("organisation__name"),
            "organisation_id",
        )
        .values(
            "organisation_id",
            "organisation__name",
            "organisation__kind",
            "organisation__website",
            "organisation__description",
            "organisation__logo",
            "level__name",
            "level__logo_size",
            "track_id",
        )
    )
    return PublicSponsors(
        tuple(
            PublicSponsor(
                organisation_id=row["organisation_id"],
                name=row["organisation__name"],
                kind=row["organisation__kind"],
                website=row["organisation__website"],
                description=row["organisation__description"],
                logo_url=_logo_url(row["organisation__logo"]),
                level=row["level__name"] or "",
                # Partners without a level get the smallest logos.
                logo_size=row["level__logo_size"] or LogoSize.SMALL,
                track_id=row["track_id"],
            )
            for row in rows
        )
    )


def _version_key(event_id: int) -> str:
    return f"podium:sponsors:{event_id}:version"


def sponsors_version(event: Event) -> str:
    """A token that changes whenever the event's public sponsors may have changed (for cache keys);
    read from the cache alone."""
    key = _version_key(event.pk)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, TIMEOUT_SECONDS):  # another request made one first
            version = cache.get(key) or version
    return version


def _forget(event_ids: Iterable[int]) -> None:
    cache.delete_many([_version_key(event_id) for event_id in event_ids])


def sponsors_changed(event_ids: Iterable[int]) -> None:
    """Drop the cached public sponsors of these events, now and again once the transaction commits
    (a page rendered in between from the old rows is not kept past the commit)."""
    event_ids = sorted(set(event_ids))
    if not event_ids:
        return
    _forget(event_ids)
    transaction.on_commit(lambda: _forget(event_ids))


def on_event_row_changed(sender, instance, **kwargs):
    """A sponsorship, level or track was saved or deleted (connected in apps.py)."""
    sponsors_changed([instance.event_id])


def on_organisation_saved(sender, instance, created, **kwargs):
    """An organisation was saved (connected in apps.py): the events it shows at change. Deleting one
    deletes its sponsorships first, and each of those is heard by `on_event_row_changed`."""
    if not created:
        sponsors_changed(instance.sponsorships.values_list("event_id", flat=True))
