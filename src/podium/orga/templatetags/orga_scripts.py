"""`{% script_messages "checkin" %}`: the words a back-office page's script shows, in the page's
language, as the JSON data block the script reads (podium.base.scripts). The keys are the ones the
script reads (`TEXT.<key>` in orga/static/podium/<script>.js); its built-in English is the same text.
Where the server says the same (a scan's answer), the text is the server's own."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base.scripts import messages_block, plural_forms
from podium.checkin.models import ScanResult
from podium.registration.enums import OrderState

register = template.Library()


def _refused(result):
    return _("Refused: %(label)s") % {"label": result.label}


def _checkin():
    return {
        "labels": {
            "ok": _("Valid"),
            "already": _("Already checked in"),
            "cancelled": _refused(ScanResult.CANCELLED),
            "unpaid": _refused(ScanResult.UNPAID),
            "wrong_event": _refused(ScanResult.WRONG_EVENT),
            "unknown": _refused(ScanResult.UNKNOWN),
            "forged": _refused(ScanResult.FORGED),
            "error": _("Not recorded"),
        },
        "states": {str(state.value): str(state.label) for state in OrderState},
        "offline": _("(offline)"),
        "a_desk": _("a desk"),
        "online": _("Online"),
        "offline_status": _("Offline: codes are checked against this device's copy of the attendee list"),
        "list": plural_forms(
            lambda n: ngettext(
                "list of %(count)s ticket from %(time)s", "list of %(count)s tickets from %(time)s", n
            )
        ),
        "no_list": _("no attendee list on this device yet"),
        "waiting": plural_forms(
            lambda n: ngettext("%(count)s scan waits to be sent", "%(count)s scans wait to be sent", n)
        ),
        "unknown_here": _("Unknown code (not on this device's attendee list)"),
        "unknown_no_list": _("Unknown code: this device has no attendee list yet"),
        "cancelled": _("Cancelled ticket (the order was cancelled)"),
        "refunded": _("Cancelled ticket (the order was refunded)"),
        "unpaid": _("Not paid (the order is still pending)"),
        "already_at_desk": _("Already checked in at %(time)s at %(desk)s"),
        "already_at": _("Already checked in at %(time)s"),
        "checked_in": _("Checked in: %(attendee)s"),
        "scan_failed": _(
            "The scan was not recorded (the server answered %(status)s). Reload the page and log in again."
        ),
        "sync_refused": plural_forms(
            lambda n: ngettext(
                "The server refused %(count)s queued scan: %(reason)s",
                "The server refused %(count)s queued scans: %(reason)s",
                n,
            )
        ),
        "unreadable": _("they could not be read"),
        "order": _("order %(code)s"),
        "checked_in_when": _("checked in %(when)s"),
        "check_in": _("Check in"),
        "check_in_name": _("Check in %(name)s"),
        "no_match": _("No ticket on this device's list matches."),
        "camera_start": _("Scan with the camera"),
        "camera_stop": _("Stop the camera"),
        "camera_failed": _("The camera could not be opened: allow this page to use it, or type the code."),
    }


def _editor():
    return {
        "not_sent": _(
            "The change could not be sent: the connection failed. Reload the page to see the schedule as it is now."
        ),
        "not_made": _(
            "The change was not made (the server answered %(status)s). Reload the page to see the schedule as it "
            "is now."
        ),
    }


SCRIPTS = {"checkin": _checkin, "editor": _editor}


@register.simple_tag
def script_messages(name):
    """The data block of the script `name` (one of SCRIPTS), in the active language."""
    return messages_block(name, SCRIPTS[name]())
