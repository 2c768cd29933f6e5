"""What a person did at the doors as a member of an event's team: the check-ins and scans recorded
under their account (their own tickets' check-ins are exported with the tickets, privacy/tickets.py).
Erasure keeps these rows, pointing at the anonymised account (privacy.ON_ERASE)."""

from podium.checkin.models import CheckIn, Scan


def _when(moment):
    return moment.isoformat() if moment else None


def export(user) -> dict:
    """The check-ins and scans the person recorded at a desk (no attendee's name: only the ticket id)."""
    check_ins = CheckIn.objects.filter(by=user).select_related("event").order_by("scanned_at", "pk")
    scans = Scan.objects.filter(by=user).select_related("event").order_by("scanned_at", "pk")
    return {
        "check_ins_recorded": [
            {
                "event": entry.event.slug,
                "ticket": entry.ticket_id,
                "desk": entry.desk,
                "scanned_at": _when(entry.scanned_at),
                "offline": entry.offline,
            }
            for entry in check_ins
        ],
        "scans_recorded": [
            {
                "event": scan.event.slug,
                "result": scan.result,
                "desk": scan.desk,
                "scanned_at": _when(scan.scanned_at),
            }
            for scan in scans
        ],
    }
