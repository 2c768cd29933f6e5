"""What the schedule tells the apps above it, without importing them.

`release_published` is sent by `services.publish_release` inside its transaction, after the release rows
are saved, with `release` and `changes` (the changelog). Receivers write what the release sets off in
the same commit (the notices app queues the change notices, podium.notices.services) and return a dict of
counts, which the release keeps as `release.notices` (e.g. {"speakers": 3, "attendees": 12}) for the
audit entry and the pages that report them.
"""

from django.dispatch import Signal

release_published = Signal()


def notify_release(*, release, changes: list[dict]) -> dict[str, int]:
    """Send `release_published` and sum the counts its receivers return."""
    counts: dict[str, int] = {}
    for _receiver, answer in release_published.send(sender=type(release), release=release, changes=changes):
        for key, value in (answer or {}).items():
            counts[key] = counts.get(key, 0) + value
    return counts
