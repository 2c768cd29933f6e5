"""Attendee use cases: starring sessions, and merging the stars a visitor kept in the browser."""

from django.db import transaction

from podium.attendance.models import AgendaPreference, Star
from podium.attendance.queries import public_talks
from podium.base.errors import ServiceError
from podium.events.models import Event

MAX_MERGE = 500


@transaction.atomic
def set_star(*, event: Event, user, code: str, starred: bool) -> bool:
    """Star or unstar one public session; returns whether it is starred now. No side effects.

    A star can always be removed, even after its session left the program (cancelled, or no
    longer listed before the first release); only public sessions can be starred.
    """
    code = code.strip().upper()
    if not starred:
        removed, _ = Star.objects.filter(event=event, user=user, proposal__code=code).delete()
        if removed or public_talks(event).filter(code=code).exists():
            return False
        raise ServiceError("There is no public session with this code.")
    proposal = public_talks(event).filter(code=code).first()
    if proposal is None:
        raise ServiceError("There is no public session with this code.")
    Star.objects.get_or_create(event=event, user=user, proposal=proposal)
    return True


@transaction.atomic
def merge_stars(*, event: Event, user, codes: list[str]) -> set[str]:
    """Add the stars a visitor kept in the browser before logging in; returns all their codes now.

    Unknown codes are ignored (a session may have been cancelled since it was starred).
    No side effects.
    """
    if len(codes) > MAX_MERGE:
        raise ServiceError(f"At most {MAX_MERGE} stars can be merged at once.")
    wanted = {str(code).strip().upper() for code in codes if str(code).strip()}
    proposals = list(public_talks(event).filter(code__in=wanted))
    have = set(event.stars.filter(user=user).values_list("proposal_id", flat=True))
    Star.objects.bulk_create(
        [Star(event=event, user=user, proposal=p) for p in proposals if p.pk not in have],
        ignore_conflicts=True,
    )
    return set(event.stars.filter(user=user).values_list("proposal__code", flat=True))


@transaction.atomic
def set_change_notices(*, event: Event, user, notify: bool) -> AgendaPreference:
    """Opt in to (or out of) one mail per release about the starred sessions it changes. No side effects."""
    preference, _ = AgendaPreference.objects.get_or_create(event=event, user=user)
    if preference.notify_changes != notify:
        preference.notify_changes = notify
        preference.save(update_fields=["notify_changes", "updated"])
    return preference


@transaction.atomic
def mark_agenda_seen(*, event: Event, user, version: int) -> AgendaPreference:
    """Remember that `user` has seen release `version` of the agenda (never goes back). No side effects."""
    preference, _ = AgendaPreference.objects.select_for_update().get_or_create(event=event, user=user)
    if version > preference.last_seen_version:
        preference.last_seen_version = version
        preference.save(update_fields=["last_seen_version", "updated"])
    return preference
