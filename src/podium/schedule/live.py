"""What the live bus carries for an event's program: one message per release.

Open program pages and room screens subscribe to the event's channel; `announce_release` runs after the
release's transaction commits, so subscribers never hear of a release they cannot read yet.

Without Redis, a release published by another process (`podium release`, an import, a worker, a second
server) reaches this process through the bus's poller: `latest_releases` is its one query per interval
for every event with an open page here.
"""

from django.db.models import Max

from podium.base import live

PREFIX = "event-"


def channel(event_id: int) -> str:
    """The live channel of one event (its primary key, which never changes, unlike the slug)."""
    return f"{PREFIX}{event_id}"


def release_message(release) -> dict:
    """The message for one release; its `version` is also the SSE event id clients resume from."""
    return {
        "version": release.version,
        "name": release.name,
        "comment": release.comment,
        "published_at": release.published_at.isoformat(),
        "counts": release.counts(),
        "changes": release.changes,
    }


def announce_release(release) -> None:
    """Tell every open page of the release's event (in every process) that the program changed."""
    live.publish(channel(release.event_id), release_message(release))


def releases_after(event_id: int, after: int) -> list[dict]:
    """The messages of the event's releases with a version above `after`, oldest first."""
    from podium.schedule.models import Release

    releases = (
        Release.objects.filter(event_id=event_id, version__gt=after)
        .only("version", "name", "comment", "published_at", "changes")
        .order_by("version")
    )
    return [release_message(release) for release in releases]


def latest_releases(known: dict[str, int | None]) -> dict[str, tuple[int, list[dict]]]:
    """For the bus's poller: per event channel, the latest release version (0: none yet) and the
    messages of the releases above the `known` version (none when that is not known yet).

    One query for all the channels; a second per event only when it has a new release.
    """
    from podium.schedule.models import Release

    events = {int(name.removeprefix(PREFIX)): name for name in known}
    latest = dict(
        Release.objects.filter(event_id__in=events)
        .order_by()
        .values("event_id")
        .annotate(latest=Max("version"))
        .values_list("event_id", "latest")
    )
    found = {}
    for event_id, name in events.items():
        version, after = latest.get(event_id, 0), known[name]
        found[name] = (
            version,
            releases_after(event_id, after) if after is not None and version > after else [],
        )
    return found


live.poll_source(PREFIX, latest_releases)
