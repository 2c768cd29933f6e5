"""Reads of attendees' stars."""

from django.db.models import Count, QuerySet

from podium.events.models import Event
from podium.proposals.models import Proposal
from podium.proposals.states import SCHEDULABLE
from podium.schedule.queries import latest_release


def public_talks(event: Event) -> QuerySet[Proposal]:
    """The proposals the public may see and star: those in the latest release, or before the first
    release the accepted and confirmed ones when the event lists them. None for a hidden event."""
    if not event.is_public:
        return event.proposals.none()
    release = latest_release(event)
    if release is not None:
        codes = release.sessions.exclude(code="").values("code")
        return event.proposals.filter(code__in=codes)
    if event.show_accepted_talks:
        return event.proposals.filter(state__in=SCHEDULABLE)
    return event.proposals.none()


def starred_codes(event: Event, user) -> set[str]:
    """The codes of the sessions `user` starred in `event` (empty for anonymous visitors)."""
    if not user.is_authenticated:
        return set()
    return set(event.stars.filter(user=user).values_list("proposal__code", flat=True))


def star_counts(event: Event) -> dict[int, int]:
    """{proposal id: number of stars}: the demand signal for scheduling."""
    return dict(event.stars.values_list("proposal_id").annotate(count=Count("id")).order_by())
