"""What the live bus carries for an event's program: one message per release.

Open program pages and room screens subscribe to the event's channel; `announce_release` runs after the
release's transaction commits, so subscribers never hear of a release they cannot read yet.
"""

from podium.base import live


def channel(event_id: int) -> str:
    """The live channel of one event (its primary key, which never changes, unlike the slug)."""
    return f"event-{event_id}"


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
