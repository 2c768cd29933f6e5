"""The `data` of each webhook kind, built from the objects the domain services just changed.

Only what the receiver needs to act and nothing the public may not know: a proposal's state change
names no speaker (review may be anonymous), and slot changes describe the draft, not a release.
"""

from django.conf import settings
from django.urls import reverse


def _absolute(name: str, **kwargs) -> str:
    return settings.BASE_URL + reverse(name, kwargs=kwargs)


def release_published(release) -> dict:
    slug = release.event.slug
    return {
        "version": release.version,
        "name": release.name,
        "comment": release.comment,
        "published_at": release.published_at,
        "counts": release.counts(),
        "changes": release.changes,
        "urls": {
            "schedule": _absolute("site:schedule", event=slug),
            "releases": _absolute("site:releases", event=slug),
        },
    }


def proposal_state_changed(proposal, *, old: str, new: str) -> dict:
    return {"code": proposal.code, "old_state": old, "new_state": new}


def slot_changed(*, code: str, room, start, end) -> dict:
    """Where a session is in the draft now; room, start and end are null once it is unscheduled."""
    return {
        "code": code,
        "room": {"uuid": str(room.uuid), "name": room.name} if room is not None else None,
        "start": start,
        "end": end,
        "draft": True,
    }


def speaker_confirmed(proposal) -> dict:
    return {"code": proposal.code}


def order(order, *, currency: str) -> dict:
    """An order as the `order.*` kinds send it: its state, money and ticket types, but no attendee's
    name or address (personal data stays in Podium, not in every receiver's logs)."""
    return {
        "code": order.code,
        "state": order.state,
        "origin": order.origin,
        "total": order.total,
        "currency": currency,
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "cancelled_at": order.cancelled_at,
        "tickets": [
            {"ticket_type": ticket.ticket_type.name, "price": ticket.price}
            for ticket in order.tickets.select_related("ticket_type").order_by("pk")
        ],
    }


def check_in(check_in) -> dict:
    """A check-in as `checkin.created` sends it: the ticket, its order and type, when and where, but
    not the attendee's name or address."""
    ticket = check_in.ticket
    return {
        "ticket": ticket.pk,
        "order": ticket.order.code,
        "ticket_type": ticket.ticket_type.name,
        "desk": check_in.desk,
        "scanned_at": check_in.scanned_at,
        "received_at": check_in.received_at,
        "offline": check_in.offline,
    }
